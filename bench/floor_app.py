"""The floor: a bare one-metric Streamlit page, served next to the dashboard in the same run.
Its select box gives the floor of an interaction (pick an option -> the page shows it)."""
import streamlit as st

choice = st.selectbox("Zone", ["France entière", "Région : Grand Est"])
st.metric("Plancher", choice)
