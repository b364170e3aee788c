"""Entry point: page config, shared sidebar and navigation (titles and order live here)."""
import logging
import time

import streamlit as st

from ui import data, require_navigation, widgets

require_navigation()

st.set_page_config(page_title="ESS et emploi dans les territoires ruraux", page_icon="📊",
                   layout="wide")

PAGES = [
    st.Page("pages/accueil.py", title="Vue d'ensemble", url_path="accueil", default=True),
    st.Page("pages/territoires.py", title="Carte des territoires", url_path="territoires"),
    st.Page("pages/territoire.py", title="Profil d'un territoire", url_path="territoire"),
    st.Page("pages/dla.py", title="Dispositif local d'accompagnement", url_path="dla"),
    st.Page("pages/ptce.py", title="Pôles territoriaux de coopération", url_path="ptce"),
    st.Page("pages/acteurs.py", title="Qui fait quoi", url_path="acteurs"),
    st.Page("pages/presentation.py", title="Mode présentation", url_path="presentation"),
    st.Page("pages/sources.py", title="Sources et définitions", url_path="sources"),
    st.Page("pages/admin.py", title="Administration des données", url_path="admin"),
]

with st.sidebar:
    st.markdown("**L'ESS dans l'emploi des territoires ruraux**")
    st.caption("Chiffres publiés, chacun avec sa source et son année. "
               "Fonctionne sans connexion internet.")

if not data.warehouse_ready():
    st.error("L'entrepôt de données n'est pas construit. Lancez `make run` "
             "(ou `python -m ess_data build`) puis rechargez la page.")
    st.stop()

page = st.navigation(PAGES)
started = time.perf_counter()
widgets.start_page()
try:
    page.run()
    widgets.export_panel()
finally:  # each page run's duration, for `make bench` and the server log at DEBUG level
    logging.getLogger("ess_dashboard.timing").debug(
        "/%s %.1f", page.url_path, (time.perf_counter() - started) * 1e3)
