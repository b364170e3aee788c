"""Pôles territoriaux de coopération économique: calls, laureates, funding."""
import streamlit as st

from ess_data import theme
from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

language = lang.current()
st.title(t("Les pôles territoriaux de coopération économique (PTCE)"))
st.markdown(t(
    "Un PTCE réunit sur un territoire des entreprises de l'ESS, des PME, des collectivités, des "
    "centres de recherche et des organismes de formation autour d'une stratégie commune de "
    "coopération. L'État soutient leur émergence et leur consolidation par des appels à "
    "manifestation d'intérêt et une offre d'accompagnement."))

registry = data.registry()
obs = data.query("theme_observations", theme="ptce")
if obs.empty:
    st.info(t("Aucun chiffre sur les PTCE dans l'entrepôt."))
    st.stop()

series = theme.time_series(obs)
for part in series:
    indicator = registry.get(part["indicator_id"].iloc[0])
    widgets.chart(data.figure(theme.series_bars, part, indicator, lang=language),
                  key=theme.chart_key("ptce", part))
if series:
    st.caption(theme.series_note(language))

st.subheader(t("Tous les chiffres publiés"))
st.caption(t("Les chiffres d'ensemble (lauréats cumulés, enveloppes annuelles) et ceux de chaque "
             "appel viennent de sources différentes : ils sont présentés côte à côte, sans être "
             "additionnés."))
widgets.table(theme.table(obs, lang=language), obs, t("ptce-chiffres"), key="ptce_table")
if note := theme.implied_note(obs, language):
    st.caption(note)

widgets.about(registry.theme("ptce"), obs)
