"""Carte des territoires: choropleth by region or department, with a ranking table.

State lives in the URL: ?niveau=region|departement&zone=france&indicateur=<id>&annee=<period>.
"""
import streamlit as st

from ess_data import figures, fmt
from ess_data.registry import LEVELS
from ui import data, require_navigation, widgets

require_navigation()

st.title("Carte des territoires")

registry = data.registry()
mappable = [i.indicator_id for i in registry.mappable()]
if not mappable:
    st.info("Aucun indicateur n'est publié par région ou département dans cet entrepôt.")
    st.stop()

widgets.seed_state("t_niveau", widgets.url_choice("niveau", list(LEVELS), "departement",
                                                  "le niveau"))
widgets.seed_state("t_indicateur", widgets.url_choice("indicateur", mappable, mappable[0],
                                                      "l'indicateur"))
widgets.url_choice("zone", ["france"], "france", "la zone")

left, mid, right = st.columns([1, 2, 1])
niveau = left.radio("Niveau", list(LEVELS), format_func=LEVELS.get, key="t_niveau",
                    horizontal=True)
indicator = registry.get(mid.selectbox("Indicateur", mappable, key="t_indicateur",
                                       format_func=lambda i: registry.get(i).label_fr))
periods = data.query("map_periods", indicator_id=indicator.indicator_id, level=niveau)
if periods.empty:
    st.info(f"« {indicator.label_fr} » n'est pas publié au niveau {LEVELS[niveau].lower()}.")
    st.stop()
period_list = periods["period"].tolist()
if st.session_state.get("t_annee") not in period_list:
    st.session_state.pop("t_annee", None)
widgets.seed_state("t_annee", widgets.url_choice("annee", period_list, period_list[0], "l'année"))
annee = right.selectbox("Année", period_list, key="t_annee", format_func=fmt.period)

st.query_params.from_dict({"niveau": niveau, "zone": "france",
                           "indicateur": indicator.indicator_id, "annee": annee})

values = data.query("map_values", indicator_id=indicator.indicator_id, level=niveau, period=annee)
fig = figures.choropleth(data.geojson(niveau), values, indicator, annee, widgets.LANG)
widgets.chart(fig, key="map")
n_missing = int(values["value"].isna().sum())
if n_missing:
    names = ", ".join(values.loc[values["value"].isna(), "name"])
    st.caption(f"En gris : aucune valeur publiée pour {n_missing} territoire(s) ({names}). "
               "Les départements et régions d'outre-mer sont dessinés en encart.")

st.subheader("Classement")
ranked = values[values["value"].notna()]
st.dataframe(
    {"Rang": ranked["rank"].astype(int), "Code": ranked["code"], "Territoire": ranked["name"],
     indicator.label_fr: [widgets.value_text(v, indicator) for v in ranked["value"]],
     "Source": ranked["source_publisher"] + ", " + ranked["source_title"]},
    hide_index=True, width="stretch", key="ranking")

widgets.about([indicator], data.query("observations", indicator_ids=[indicator.indicator_id],
                                      levels=[niveau]))
