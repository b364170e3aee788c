"""Carte des territoires: a choropleth at any level (communes within a region or a department),
with class breaks, a rural outline and a ranking table.

The whole view lives in the URL, always written in full so a link keeps its meaning:
?niveau=<region|departement|epci|commune>&zone=<france|region-XX|departement-XX>
&indicateur=<id>&annee=<period>&rural=<definition>&classes=<quantiles|egal|seuils>&n=<2-7>
&seuils=<a;b;c>&contour=<rural|aucun>&evolution=<aucune|earlier period>
&symboles=<aucun|population_municipale|communes_rurales>
"""
import streamlit as st

from ess_data import classify, figures, fmt, territory
from ess_data.territory import LEVEL_PLURALS, LEVELS, NATIONAL_LEVELS
from ui import data, lang, require_navigation, widgets

require_navigation()

st.title("Carte des territoires")

registry = data.registry()
zones = data.query("zones")
zone_labels = dict(zip(zones["zone"], zones["label"]))
rural_defs = data.rural_definitions()

c1, c2 = st.columns([1, 2])
widgets.seed_state("t_niveau", widgets.url_choice("niveau", list(LEVELS), "departement",
                                                  "le niveau"))
niveau = c1.radio("Niveau", list(LEVELS), format_func=LEVELS.get, key="t_niveau")
first_department = zones.loc[zones["zone"].str.startswith("departement-"), "zone"].iloc[0]
zone_default = "france" if niveau in NATIONAL_LEVELS else first_department
widgets.seed_state("t_zone", widgets.url_choice("zone", list(zone_labels), zone_default,
                                                "la zone"))
if niveau not in NATIONAL_LEVELS and st.session_state["t_zone"] == "france":
    st.info("Les 34 875 communes de France sur une seule carte pèsent environ 24 Mo : trop pour "
            "un navigateur en réunion. Choisissez une région ou un département.")
    st.session_state["t_zone"] = zone_default
zone_slug = c2.selectbox("Zone", list(zone_labels), format_func=zone_labels.get, key="t_zone")
zone = territory.parse_zone(zone_slug)

available = data.indicators_at_level(niveau)
widgets.seed_state("t_indicateur", widgets.url_choice("indicateur", available, available[0],
                                                      "l'indicateur"))
if st.session_state["t_indicateur"] not in available:
    st.session_state["t_indicateur"] = available[0]
c3, c4, c5 = st.columns([2, 1, 1])
indicator = registry.get(c3.selectbox("Indicateur", available, key="t_indicateur",
                                      format_func=lambda i: registry.get(i).label_fr))
period_list, default_period = data.periods(indicator.indicator_id, niveau)
if st.session_state.get("t_annee") not in period_list:
    st.session_state.pop("t_annee", None)
widgets.seed_state("t_annee", widgets.url_choice("annee", period_list, default_period, "l'année"))
annee = c4.selectbox("Année", period_list, key="t_annee", format_func=fmt.period)
earlier = [p for p in period_list if p != "nd" and annee != "nd" and p < annee]
widgets.seed_state("t_evolution", widgets.url_choice("evolution", ["aucune", *earlier], "aucune",
                                                     "la période de comparaison"))
if st.session_state["t_evolution"] not in ["aucune", *earlier]:
    st.session_state["t_evolution"] = "aucune"
evolution = c4.selectbox("Évolution depuis", ["aucune", *earlier], key="t_evolution",
                         disabled=not earlier)
default_rural = next(iter(rural_defs))  # the newest official grid once imported
widgets.seed_state("t_rural", widgets.url_choice("rural", list(rural_defs), default_rural,
                                                 "la définition du rural"))
rural = c5.selectbox("Définition du rural", list(rural_defs), key="t_rural",
                     format_func=rural_defs.get)

c6, c7, c8 = st.columns([2, 1, 1])
widgets.seed_state("t_classes", widgets.url_choice("classes", list(classify.METHODS),
                                                   "quantiles", "la méthode de classes"))
method = c6.radio("Classes", list(classify.METHODS), format_func=classify.METHODS.get,
                  key="t_classes", horizontal=True)
widgets.seed_state("t_n", int(widgets.url_choice("n", [str(k) for k in range(2, 8)], "5",
                                                 "le nombre de classes")))
n_classes = c7.slider("Nombre de classes", 2, 7, key="t_n", disabled=method == "seuils")
widgets.seed_state("t_seuils", widgets.url_text("seuils", 60))
seuils_text = c7.text_input("Seuils (séparés par ;)", key="t_seuils",
                            disabled=method != "seuils", placeholder="10 ; 12,5 ; 15")
widgets.seed_state("t_contour", widgets.url_choice("contour", ["rural", "aucun"], "aucun",
                                                   "le contour") == "rural")
contour = c8.checkbox("Entourer les communes rurales", key="t_contour",
                      disabled=niveau != "commune")
symbol_choices = ["aucun", *territory.SYMBOLS]
widgets.seed_state("t_symboles", widgets.url_choice("symboles", symbol_choices, "aucun",
                                                    "les symboles"))
symboles = c8.selectbox("Cercles proportionnels", symbol_choices, key="t_symboles",
                        format_func=lambda i: "aucun" if i == "aucun" else
                        registry.get(i).label_fr)

thresholds = None
if method == "seuils":
    try:
        thresholds = classify.parse_thresholds(seuils_text)
    except classify.BadThresholds as exc:
        st.warning(f"{exc} Classes par quantiles en attendant.")
        method = "quantiles"

params = {"niveau": niveau, "zone": zone.slug, "indicateur": indicator.indicator_id,
          "annee": annee, "rural": rural, "classes": method, "n": str(n_classes),
          "contour": "rural" if contour else "aucun", "evolution": evolution,
          "symboles": symboles}
if thresholds:
    params["seuils"] = classify.thresholds_text(thresholds)
st.query_params.from_dict(params)

if evolution != "aucune":
    values = data.change_values(indicator.indicator_id, niveau, evolution, annee, zone.slug)
    indicator = territory.change_indicator(indicator, evolution, annee)
    annee_shown = f"{evolution}-{annee}"
    st.caption("Carte des évolutions : échelle divergente centrée sur zéro (orange : baisse, "
               "violet : hausse), sans classes ; même source aux deux dates.")
else:
    values = data.map_values(indicator.indicator_id, niveau, annee, zone.slug, rural)
    annee_shown = annee
edges = classify.breaks(values["value"], method, n_classes, thresholds)
outline = data.rural_codes(zone.slug, rural) if contour and niveau == "commune" else None
place = "" if zone.kind == "france" else zone_labels[zone.slug].split(" : ", 1)[1]
symbols = None if symboles == "aucun" else data.map_values(
    symboles, niveau, data.periods(symboles, niveau)[1], zone.slug, rural)
uses_rural = (indicator.indicator_id in territory.RURAL_DEPENDENT or outline is not None
              or symboles in territory.RURAL_DEPENDENT)
fig = figures.choropleth(data.geojson(niveau, zone.slug), values, indicator, annee_shown,
                         lang.current(), edges=edges, outline=outline, place=place,
                         rural_label=rural_defs[rural] if uses_rural else "",
                         symbols=symbols,
                         symbol_indicator=None if symbols is None else registry.get(symboles))
widgets.chart(fig, key="map")
missing = values[values["value"].isna()]
if len(missing):
    names = ", ".join(missing["name"].head(12)) + (" ..." if len(missing) > 12 else "")
    st.caption(f"En gris : aucune valeur pour {len(missing)} territoire(s) ({names}).")
st.caption(f"« Rural » : {rural_defs[rural]}. Outre-mer en encart sur les cartes de la France "
           "entière. Classes : " + classify.METHODS[method].lower() + ".")

st.subheader(f"Classement des {LEVEL_PLURALS[niveau]}")
ranked = values[values["value"].notna()]
st.dataframe(
    {"Rang": ranked["rank"].astype(int), "Code": ranked["code"], "Territoire": ranked["name"],
     indicator.label_fr: [widgets.value_text(v, indicator) for v in ranked["value"]],
     "Source": ranked["source_publisher"] + ", " + ranked["source_title"]},
    hide_index=True, width="stretch", key="ranking")

widgets.about([indicator], data.query("observations", indicator_ids=[indicator.indicator_id],
                                      levels=[niveau]))
