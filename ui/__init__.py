"""The thin layer that adapts `ess_data` to Streamlit: cached data access and shared widgets."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_navigation() -> None:
    """Make sure this run goes through dashboard.py and st.navigation; call first in every page.

    Streamlit still has a legacy "pages directory" mode, chosen because our page scripts live in
    `pages/`: when the first visit after a server start is a shared deep link (e.g.
    /territoire?code=48), it runs pages/territoire.py alone, without dashboard.py and its
    navigation (AppTest does so on every new app). This switches that mode off and reruns, so
    the visit goes through dashboard.py like every other; the URL and its parameters are kept.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
