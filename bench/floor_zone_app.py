"""The floor of an interaction: a bare page whose select box holds the same options as the map
page's "Zone" box (France, 18 regions, 101 departments); pick one, the page shows it in a metric.
Typing a name into a select box costs more the more options it filters (about 0.4 s here against
0.25 s with two options), so the dashboard's drill is compared with the same select box."""
import streamlit as st

from ess_data import db


@st.cache_data
def zone_labels() -> list[str]:
    con = db.connect(read_only=True)
    rows = db.run_query(con, "zones")[["kind", "code", "name"]].itertuples(index=False)
    con.close()
    return [{"france": "France entière", "region": f"Région : {name}"}.get(
        kind, f"Département : {name} ({code})") for kind, code, name in rows]


choice = st.selectbox("Zone", zone_labels())
st.metric("Plancher", choice)
