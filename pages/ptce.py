"""Pôles territoriaux de coopération économique: calls, laureates, funding."""
import streamlit as st

from ess_data import figures, views
from ui import data, lang, require_navigation, widgets

require_navigation()

st.title("Les pôles territoriaux de coopération économique (PTCE)")
st.markdown(
    "Un PTCE réunit sur un territoire des entreprises de l'ESS, des PME, des collectivités, des "
    "centres de recherche et des organismes de formation autour d'une stratégie commune de "
    "coopération. L'État soutient leur émergence et leur consolidation par des appels à "
    "manifestation d'intérêt et une offre d'accompagnement.")

registry = data.registry()
obs = data.query("theme_observations", theme="ptce")
if obs.empty:
    st.info("Aucun chiffre sur les PTCE dans l'entrepôt.")
    st.stop()

for ind_id, part in obs.groupby("indicator_id", sort=False):
    if part["period"].nunique() >= 2 and part["breakdown_value"].eq("").all():
        widgets.chart(figures.period_bars(part.sort_values("period"), registry.get(ind_id),
                                          lang.current()), key=f"ptce_{ind_id}")

st.subheader("Tous les chiffres publiés")
st.caption("Les chiffres d'ensemble (lauréats cumulés, enveloppes annuelles) et ceux de chaque "
           "appel viennent de sources différentes : ils sont présentés côte à côte, sans être "
           "additionnés.")
widgets.table(views.table(obs, with_territory=False), obs, "ptce-chiffres", key="ptce_table")

widgets.about(registry.theme("ptce"), obs)
