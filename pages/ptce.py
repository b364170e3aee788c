"""Pôles territoriaux de coopération économique: calls, laureates, funding."""
import streamlit as st

from ess_data import figures, views
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

for ind_id, part in obs.groupby("indicator_id", sort=False):
    if part["period"].nunique() >= 2 and part["breakdown_value"].eq("").all():
        widgets.chart(figures.period_bars(part.sort_values("period"), registry.get(ind_id),
                                          lang=language), key=f"ptce_{ind_id}")

st.subheader(t("Tous les chiffres publiés"))
st.caption(t("Les chiffres d'ensemble (lauréats cumulés, enveloppes annuelles) et ceux de chaque "
             "appel viennent de sources différentes : ils sont présentés côte à côte, sans être "
             "additionnés."))
widgets.table(views.table(obs, lang=language, with_territory=False), obs, t("ptce-chiffres"),
              key="ptce_table")

widgets.about(registry.theme("ptce"), obs)
