"""Carte des territoires: a choropleth at any level (communes within a region or a department),
with class breaks, a rural outline and a ranking table.

The whole view lives in the URL, always written in full so a link keeps its meaning:
?niveau=<region|departement|epci|commune>&zone=<france|region-XX|departement-XX>
&indicateur=<id>&annee=<period>&source=<source id>&rural=<definition>
&classes=<quantiles|egal|seuils>&n=<2-7>
&seuils=<a;b;c>&contour=<rural|aucun>&evolution=<aucune|earlier period>
&symboles=<aucun|population_municipale|communes_rurales>
Names and values stay French in every language (a link is the same for every reader); the
interface language is `lang=en`, written by dashboard.py.
"""
import streamlit as st

from ess_data import classify, fmt, territory
from ess_data.territory import LEVELS, NATIONAL_LEVELS, level_label, short_level
from ui import data, lang, require_navigation, widgets
from ui.lang import t

require_navigation()

st.title(t("Carte des territoires"))

language = lang.current()
registry = data.registry()
zones = data.zones()  # slug -> (menu label, place named in the map title)
rural_defs = data.rural_definitions()

LAST_VIEW = "_territoires_view"  # this session's last view, written on every run
MISSING = "_territoires_missing"  # an indicator asked for at a level that has no value of it


def at_level(level: str) -> str:
    """`des EPCI`: a level after « au niveau »."""
    return {"region": t("des régions"), "departement": t("des départements"),
            "epci": t("des EPCI"), "commune": t("des communes")}[level]


def the_level(level: str) -> str:
    """`le département`: a level with its article."""
    return {"region": t("la région"), "departement": t("le département"),
            "epci": t("l'EPCI"), "commune": t("la commune")}[level]


def finest_offer(indicator_id: str) -> tuple[str, str, str] | None:
    """The finest level a map of the indicator can be drawn at, with the publisher and the
    period of the series it opens on there (the warehouse's map_offers.default_offer)."""
    for level in reversed(list(LEVELS)):
        if indicator_id in data.indicators_at_level(level):
            offers_, best = data.offers(indicator_id, level)
            if best:
                row = offers_[offers_["default_offer"].astype(bool)]  # the warehouse's choice
                return level, row["source_publisher"].iloc[0], best[0]
    return None


def show_at(level: str, indicator_id: str) -> None:
    """The one-click way back: the indicator at a level that has it (a button's callback,
    which runs before the widgets are drawn)."""
    st.session_state.update({"t_niveau": level, "t_indicateur": indicator_id})
    st.session_state.pop(MISSING, None)
if "code" in st.query_params and LAST_VIEW in st.session_state:
    # Back from a profile opened by a click on the map: Streamlit's page switch left a history
    # entry of this page with the profile's parameters (this page never writes `code`); show
    # the view the click came from, so one Back returns to it
    lang.write_url(st.session_state[LAST_VIEW])

c1, c2 = st.columns([1, 2])
widgets.seed_state("t_niveau", widgets.url_choice(
    "niveau", list(LEVELS), "departement", t("le niveau"),
    label=lambda lvl: level_label(lvl, lang=language)))
niveau = c1.radio(t("Niveau"), list(LEVELS), key="t_niveau",
                  format_func=lambda lvl: level_label(lvl, lang=language))
first_department = next(z for z in zones if z.startswith("departement-"))
zone_default = "france" if niveau in NATIONAL_LEVELS else first_department
widgets.seed_state("t_zone", widgets.url_choice("zone", list(zones), zone_default,
                                                t("la zone"), label=lambda z: zones[z][0]))
if niveau not in NATIONAL_LEVELS and st.session_state["t_zone"] == "france":
    st.info(t("Les 34 875 communes de France sur une seule carte : environ 7 Mo à charger "
              "et des contours trop petits pour être lus. Choisissez une région ou un "
              "département."))
    st.session_state["t_zone"] = zone_default
zone_slug = c2.selectbox(t("Zone"), list(zones), format_func=lambda z: zones[z][0],
                         key="t_zone")
zone = territory.parse_zone(zone_slug)

available = data.indicators_at_level(niveau)
if "t_indicateur" not in st.session_state:  # a link may ask for one mapped at another level
    anywhere = list(dict.fromkeys(i for lvl in LEVELS for i in data.indicators_at_level(lvl)))
    st.session_state["t_indicateur"] = widgets.url_choice(
        "indicateur", anywhere, available[0], t("l'indicateur"),
        label=lambda i: registry.get(i).label(language))
# an indicator not published at this level: said plainly, with one click back to the finest
# level that has it; the map shows the level's first indicator meanwhile, and the indicator
# comes back if the user returns to a level that has it (unless another was chosen since)
absent = st.session_state.get(MISSING)  # (indicator asked for, the one shown instead)
if absent and st.session_state["t_indicateur"] != absent[1]:
    absent = None  # another indicator was chosen since
if absent and absent[0] in available:
    st.session_state["t_indicateur"], absent = absent[0], None
if st.session_state["t_indicateur"] not in available:
    absent = (st.session_state["t_indicateur"], available[0])
    st.session_state["t_indicateur"] = available[0]
st.session_state[MISSING] = absent
if absent:
    finest = finest_offer(absent[0])
    text = t("Aucune source ne publie « {indicator} » au niveau {level}.",
             indicator=registry.get(absent[0]).label(language), level=at_level(niveau))
    if finest:
        text += " " + t("Le niveau le plus fin publié est {level} ({publisher}, {year}).",
                        level=the_level(finest[0]), publisher=finest[1],
                        year=fmt.period(finest[2], lang=language))
    st.info(text, icon=":material/info:")
    if finest:
        st.button(t("Voir « {indicator} » par {level}",
                    indicator=registry.get(absent[0]).label(language),
                    level=short_level(finest[0], lang=language)),
                  key="t_back_to_finest", on_click=show_at, args=(finest[0], absent[0]))
c3, c4, c5 = st.columns([2, 1, 1])
indicator = registry.get(c3.selectbox(t("Indicateur"), available, key="t_indicateur",
                                      format_func=lambda i: registry.get(i).label(language)))
# one series per map: a dated period from ONE source (the warehouse's map_offers); when several
# sources publish the period, the source is chosen too, and named
offers, default_offer = data.offers(indicator.indicator_id, niveau)
period_list = territory.offer_periods(offers)
if st.session_state.get("t_annee") not in period_list:
    st.session_state.pop("t_annee", None)
widgets.seed_state("t_annee", default_offer[0] if absent else widgets.url_choice(
    "annee", period_list, default_offer[0], t("l'année"),
    label=lambda p: fmt.period(p, lang=language)))
annee = c4.selectbox(t("Année"), period_list, key="t_annee",
                     format_func=lambda p: fmt.period(p, lang=language))
here = offers[offers["period"] == annee]
source_list = here["source_id"].tolist()
publishers = dict(zip(here["source_id"], here["source_publisher"].fillna("")))
titles = dict(zip(here["source_id"], here["source_title"].fillna("")))
if st.session_state.get("t_source") not in source_list:
    st.session_state.pop("t_source", None)
widgets.seed_state("t_source", source_list[0] if absent else widgets.url_choice(
    "source", source_list, source_list[0], t("la source"), label=publishers.get))
source = c3.selectbox(t("Source"), source_list, key="t_source",
                      disabled=len(source_list) < 2,
                      format_func=lambda s: f"{publishers[s]} — {titles[s]}"[:90])
none_label = t("aucune")  # format_func runs outside the page too (AppTest): no t() inside
earlier = territory.earlier_periods(offers, source, annee)  # the same series only
widgets.seed_state("t_evolution", widgets.url_choice(
    "evolution", ["aucune", *earlier], "aucune", t("la période de comparaison"),
    label=lambda p: none_label if p == "aucune" else p))
if st.session_state["t_evolution"] not in ["aucune", *earlier]:
    st.session_state["t_evolution"] = "aucune"
evolution = c4.selectbox(t("Évolution depuis"), ["aucune", *earlier], key="t_evolution",
                         disabled=not earlier,
                         format_func=lambda p: none_label if p == "aucune" else p)
default_rural = next(iter(rural_defs))  # the newest official grid once imported
widgets.seed_state("t_rural", widgets.url_choice("rural", list(rural_defs), default_rural,
                                                 t("la définition du rural"),
                                                 label=rural_defs.get))
rural = c5.selectbox(t("Définition du rural"), list(rural_defs), key="t_rural",
                     format_func=rural_defs.get)

c6, c7, c8 = st.columns([2, 1, 1])
widgets.seed_state("t_classes", widgets.url_choice(
    "classes", list(classify.METHODS), "quantiles", t("la méthode de classes"),
    label=lambda m: classify.method_label(m, lang=language)))
method = c6.radio(t("Classes"), list(classify.METHODS), key="t_classes", horizontal=True,
                  format_func=lambda m: classify.method_label(m, lang=language))
widgets.seed_state("t_n", int(widgets.url_choice("n", [str(k) for k in range(2, 8)], "5",
                                                 t("le nombre de classes"))))
n_classes = c7.slider(t("Nombre de classes"), 2, 7, key="t_n", disabled=method == "seuils")
widgets.seed_state("t_seuils", widgets.url_text("seuils", 60))
seuils_text = c7.text_input(t("Seuils (séparés par ;)"), key="t_seuils",
                            disabled=method != "seuils", placeholder=t("10 ; 12,5 ; 15"))
widgets.seed_state("t_contour", widgets.url_choice("contour", ["rural", "aucun"], "aucun",
                                                   t("le contour"),
                                                   label=lambda _: t("aucun")) == "rural")
contour = c8.checkbox(t("Entourer les communes rurales"), key="t_contour",
                      disabled=niveau != "commune")
symbol_choices = ["aucun", *territory.SYMBOLS]
symbol_labels = {"aucun": t("aucun")} | {i: registry.get(i).label(language)
                                         for i in territory.SYMBOLS}
widgets.seed_state("t_symboles", widgets.url_choice("symboles", symbol_choices, "aucun",
                                                    t("les symboles"), label=symbol_labels.get))
symboles = c8.selectbox(t("Cercles proportionnels"), symbol_choices, key="t_symboles",
                        format_func=symbol_labels.get)

thresholds = None
if method == "seuils":
    try:
        thresholds = classify.parse_thresholds(seuils_text, lang=language)
    except classify.BadThresholds as exc:
        st.warning(t("{error} Classes par quantiles en attendant.", error=str(exc)))
        method = "quantiles"

params = {"niveau": niveau, "zone": zone.slug, "indicateur": indicator.indicator_id,
          "annee": annee, "source": source, "rural": rural, "classes": method, "n": str(n_classes),
          "contour": "rural" if contour else "aucun", "evolution": evolution,
          "symboles": symboles}
if thresholds:
    params["seuils"] = classify.thresholds_text(thresholds)
lang.write_url(params)
st.session_state[LAST_VIEW] = params

if evolution != "aucune":
    values = data.change_values(indicator.indicator_id, niveau, evolution, annee, zone.slug,
                                source)
    indicator = territory.change_indicator(indicator, evolution, annee)
    annee_shown = f"{evolution}-{annee}"
    st.caption(t("Carte des évolutions : échelle divergente centrée sur zéro (orange : baisse, "
                 "violet : hausse), sans classes ; même source aux deux dates."))
else:
    values = data.map_values(indicator.indicator_id, niveau, annee, zone.slug, rural, source)
    annee_shown = annee
edges = classify.breaks(values["value"], method, n_classes, thresholds)
outline = data.rural_codes(zone.slug, rural) if contour and niveau == "commune" else None
place = zones[zone.slug][1]
symbols = None if symboles == "aucun" else data.map_values(
    symboles, niveau, data.periods(symboles, niveau)[1], zone.slug, rural)
uses_rural = (indicator.indicator_id in territory.RURAL_DEPENDENT or outline is not None
              or symboles in territory.RURAL_DEPENDENT)
fig = data.choropleth(niveau, zone.slug, values, indicator, annee_shown, lang=language,
                      edges=edges, outline=outline, place=place,
                      rural_label=rural_defs[rural] if uses_rural else "", symbols=symbols,
                      symbol_indicator=None if symbols is None else registry.get(symboles))
clicked = widgets.chart(fig, key="map", shapes=data.map_shapes(niveau, zone.slug),
                        clickable=True)
if clicked in set(values["code"]):  # a territory of this map opens its profile
    st.switch_page("pages/territoire.py",
                   query_params=data.profile_params(niveau, clicked, rural))
missing = values[values["value"].isna()]
if len(missing):
    names = ", ".join(missing["name"].head(12)) + (" ..." if len(missing) > 12 else "")
    st.caption(t("En gris : aucune valeur pour {n} territoire(s) ({names}).", n=len(missing),
                 names=names))
st.caption(t("« Rural » : {rural}. Outre-mer en encart sur les cartes de la France entière. "
             "Classes : {classes}.", rural=rural_defs[rural],
             classes=classify.method_label(method, lang=language).lower()))

# one label for every level: a panel's label is part of its identity (it stays open through
# changes of level); made only once opened, so a zone change does not rebuild a closed grid
with widgets.panel(t("Classement des territoires de la carte"), "ranking",
                   icon=":material/format_list_numbered:") as box:
    if box.open:
        ranked = values[values["value"].notna()]
        st.caption(t("Rang parmi les {n} territoires de la carte pour lesquels la source publie "
                     "une valeur (calcul du projet).", n=len(ranked)))
        st.dataframe(
            {t("Rang"): ranked["rank"].astype(int), "Code": ranked["code"],
             t("Territoire"): ranked["name"],
             indicator.label(language): [fmt.value(v, indicator.unit, indicator.decimals,
                                                   language) for v in ranked["value"]],
             "Source": ranked["source_publisher"] + ", " + ranked["source_title"]},
            hide_index=True, width="stretch", key="ranking")

widgets.about([indicator], data.query("observations", indicator_ids=[indicator.indicator_id],
                                      levels=[niveau]))
