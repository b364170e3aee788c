"""The floor: a bare one-metric Streamlit page, served next to the dashboard in the same run."""
import streamlit as st

st.metric("Plancher", "1")
