"""ess_data: the plain-Python library behind the ESS rural employment dashboard.

It builds the DuckDB warehouse from the curated figures (`seed/`) and the territory reference
(`reference/`), runs the named SQL queries of `queries/`, formats numbers the French way and
builds Plotly figures. It imports no Streamlit: the app adapts it in `ui/`.
"""
