"""The thin layer that adapts `ess_data` to Streamlit: cached data access and shared widgets."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# Streamlit still has a legacy "pages directory" mode, chosen at server start because our page
# scripts live in `pages/`: when the first visit after a start is a shared deep link
# (e.g. /territoire?code=48), it runs pages/territoire.py alone, without dashboard.py and its
# navigation. The first page to import this package switches that mode off and reruns, so the
# visit goes through dashboard.py and st.navigation like every other (URL and state are kept).
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
