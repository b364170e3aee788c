"""A second floor: a bare page with one small Plotly chart (what Plotly alone costs to show)."""
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
