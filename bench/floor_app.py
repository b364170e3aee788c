"""The floor: a bare one-metric Streamlit page, served next to the dashboard in the same run
(bench/floor_zone_app.py is the floor of an interaction)."""
import streamlit as st

choice = st.selectbox("Zone", ["France entière", "Région : Grand Est"])
st.metric("Plancher", choice)
