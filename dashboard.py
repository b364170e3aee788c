"""Entry point: page config, shared sidebar and navigation (titles and order live here)."""
import logging
import time

import streamlit as st

from ess_data import serve
from ui import chart, data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

st.set_page_config(page_title=t("ESS et emploi dans les territoires ruraux"), page_icon="📊",
                   layout="wide")

PAGES = [
    st.Page("pages/accueil.py", title=t("Vue d'ensemble"), url_path="accueil", default=True),
    st.Page("pages/territoires.py", title=t("Carte des territoires"), url_path="territoires"),
    st.Page("pages/territoire.py", title=t("Profil d'un territoire"), url_path="territoire"),
    st.Page("pages/dla.py", title=t("Dispositif local d'accompagnement"), url_path="dla"),
    st.Page("pages/ptce.py", title=t("Pôles territoriaux de coopération"), url_path="ptce"),
    st.Page("pages/acteurs.py", title=t("Qui fait quoi"), url_path="acteurs"),
    st.Page("pages/presentation.py", title=t("Mode présentation"), url_path="presentation"),
    st.Page("pages/sources.py", title=t("Sources et définitions"), url_path="sources"),
]
if not serve.public():  # a public worker (`python -m ess_data.serve`) has no import page at all
    PAGES.append(st.Page("pages/admin.py", title=t("Administration des données"),
                         url_path="admin"))

with st.sidebar:
    chart.preload()  # the chart library loads while the page runs
    lang.switch()
    st.markdown("**" + t("L'ESS dans l'emploi des territoires ruraux") + "**")
    st.caption(t("Chiffres publiés, chacun avec sa source et son année. "
                 "Fonctionne sans connexion internet."))

if not data.warehouse_ready():
    st.error(t("L'entrepôt de données n'est pas construit. Lancez `make run` "
               "(ou `python -m ess_data build`) puis rechargez la page."))
    st.stop()

page = st.navigation(PAGES)
started = time.perf_counter()
widgets.start_page(page.url_path)
try:
    page.run()
    widgets.export_panel()
    lang.keep_in_url()
finally:  # each page run's duration, for `make bench` and the server log at DEBUG level
    logging.getLogger("ess_dashboard.timing").debug(
        "/%s %.1f", page.url_path, (time.perf_counter() - started) * 1e3)
