"""The thin layer that adapts `ess_data` to Streamlit: cached data access and shared widgets."""
