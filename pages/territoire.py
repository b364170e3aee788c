"""Profil d'un territoire, at any level: key messages, rurality, its parents and France, the
published ESS figures, similar territories and a side-by-side comparison.

The view lives in the URL, written in full:
?niveau=<region|departement|epci|commune>&code=<code>&comparer=<niveau-code,...>
&annee=<period of the ESS share>&rural=<definition>   (e.g. ?niveau=departement&code=48)
plus `lang=en` for English (written by dashboard.py).
"""
import pandas as pd
import streamlit as st

from ess_data import figures, fmt, profile, territory, views
from ess_data.registry import ESS_SHARE
from ess_data.series import profile_charts
from ess_data.territory import LEVELS, level_label, short_level
from ui import data, exports, lang, require_navigation, widgets
from ui.lang import t

require_navigation()
st.title(t("Profil d'un territoire"))

language = lang.current()

rural_defs = data.rural_definitions()


def open_territory(level: str, code: str, departement: str | None) -> None:
    """Show a territory found by the search (runs before the page, so widgets can be set)."""
    st.session_state.update({"p_niveau": level, "p_code": code, "p_search": ""})
    if level == "commune":
        st.session_state["p_dep"] = departement


def open_single() -> None:
    """Enter in the search box opens the territory when the search finds only one (several:
    the list below lets the user choose among homonyms)."""
    found = data.search_territories(st.session_state.get("p_search") or "")
    if len(found) == 1:
        open_territory(found["level"].iloc[0], found["code"].iloc[0],
                       found["departement_code"].iloc[0])


query = st.text_input(t("Rechercher un territoire (nom ou code, sans se soucier des accents)"),
                      key="p_search", max_chars=80, on_change=open_single,
                      placeholder=t("ex. Lozère, St-Flour, 2A, 48"))
if query:
    found = data.search_territories(query)
    if found.empty:
        st.caption(t("Aucun territoire ne correspond."))
    else:
        choice = st.selectbox(t("Résultats"), range(len(found)), key="p_found",
                              format_func=lambda i: found["label"].iloc[i])
        st.button(t("Afficher ce territoire"), key="p_go", on_click=open_territory,
                  args=(found["level"].iloc[choice], found["code"].iloc[choice],
                        found["departement_code"].iloc[choice]))

widgets.seed_state("p_niveau", widgets.url_choice(
    "niveau", list(LEVELS), "departement", t("le niveau"),
    label=lambda lvl: level_label(lvl, lang=language)))
left, right = st.columns([1, 3])
niveau = left.radio(t("Niveau"), list(LEVELS), key="p_niveau",
                    format_func=lambda lvl: level_label(lvl, lang=language))
if niveau == "commune":  # 34,875 communes: pick the department first
    deps = data.query("territory_list", level="departement", region_code=None)
    url_code = st.query_params.get("code") or ""
    known = data.query("territory", level="commune", code=url_code[:5])
    widgets.seed_state("p_dep", known["departement_code"].iloc[0] if len(known) else "01")
    dep_names = dict(zip(deps["code"], deps["name"]))
    dep = right.selectbox(t("Département"), list(dep_names), key="p_dep",
                          format_func=lambda c: f"{dep_names[c]} ({c})")
    listed = data.query("commune_list", departement_code=dep)
else:
    listed = data.query("territory_list", level=niveau, region_code=None)
codes = listed["code"].tolist()
names = dict(zip(codes, listed["name"]))
if st.session_state.get("p_code") not in codes:
    st.session_state.pop("p_code", None)
widgets.seed_state("p_code", widgets.url_choice("code", codes, codes[0],
                                                t("le code territoire"),
                                                label=lambda c: f"{names[c]} ({c})"))
code = right.selectbox(t("Territoire"), codes, key="p_code",
                       format_func=lambda c: f"{names[c]} ({c})")
default_rural = next(iter(rural_defs))  # the newest official grid once imported
widgets.seed_state("p_rural", widgets.url_choice("rural", list(rural_defs), default_rural,
                                                 t("la définition du rural"),
                                                 label=rural_defs.get))
rural = st.selectbox(t("Définition du rural"), list(rural_defs), key="p_rural",
                     format_func=rural_defs.get)

terr = data.query("territory", level=niveau, code=code).iloc[0].to_dict()
ups = profile.parents(niveau, terr)
up_rows = data.side_by_side([(niveau, code), *ups], rural)
me, france = up_rows.iloc[0].to_dict(), up_rows.iloc[-1].to_dict()
ess = data.query("territory_profile", level=niveau, code=code)
registry = data.registry()
ess_share = data.ess_share(niveau, code)
periods = data.share_periods(ess_share)
widgets.seed_state("p_annee", widgets.url_choice("annee", periods, periods[0], t("l'année"),
                                                 label=lambda p: fmt.period(p, lang=language)))
if len(periods) > 1:
    st.selectbox(t("Année des chiffres de l'ESS dans le résumé"), periods, key="p_annee")
ess_share = ess_share[ess_share["period"] <= st.session_state["p_annee"]]


def territory_name(item: str) -> str | None:
    """Name of `niveau-code`, or None when it is not a territory."""
    lvl, _, c = item.partition("-")
    found = data.query("territory", level=lvl, code=c) if lvl in LEVELS else None
    return None if found is None or found.empty else f"{found['name'].iloc[0]} ({c})"


compare = [c for c in widgets.url_text("comparer", 200).split(",") if c and territory_name(c)][:3]

st.header(f"{terr['name']} ({code})")
st.caption(" · ".join([level_label(niveau, lang=language)] + [
    t("{level} : {name}", level=short_level(lvl, lang=language), name=r["name"])
    for (lvl, _), r in zip(ups[:-1], up_rows.iloc[1:-1].to_dict("records"))]))
region_name = next((r["name"] for (lvl, _), r in zip(ups, up_rows.iloc[1:].to_dict("records"))
                    if lvl == "region"), None)
messages = profile.key_messages(terr["name"], niveau, me, france, rural_defs[rural],
                                ess_share if len(ess_share) else None, region_name,
                                lang=language, story=data.story(niveau, code))
st.info("\n".join(f"- {m}" for m in messages))

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("Population municipale {year}", year=me["population_year"]),
          fmt.number(me["population"], lang=language))
c2.metric(t("Densité"), fmt.value(me["density"], "density", 1, lang=language))
c3.metric(t("Communes rurales"), t("{n} sur {total}",
                                   n=fmt.number(me["n_rural_communes"], lang=language),
                                   total=fmt.number(me["n_communes"], lang=language)))
c4.metric(t("Population en commune rurale"),
          fmt.value(me["rural_population_share"], "percent", 1, lang=language))
st.caption(t("Population légale {year} (Insee) ; superficie calculée sur les contours "
             "communaux. « Rural » : {rural}.", year=me["population_year"],
             rural=rural_defs[rural]))

st.subheader(t("Ruralité : communes et habitants par classe de densité"))
split = data.query("territory_rurality", level=niveau, code=code, rural_definition_id=rural)
st.dataframe(views.rurality_table(split, lang=language), hide_index=True, width="stretch",
             key="rurality")

st.subheader(t("Face à ses territoires de rattachement et à la France"))
# one series for every row of the table: the one shown for this territory, else its parent's
ess_all = data.series_rows(ESS_SHARE, [(niveau, code), *ups],
                           ["region", "departement", "epci", "commune", "france"])
ess_period = st.session_state["p_annee"]
st.dataframe(views.metrics_table(up_rows, lang=language, ess=ess_all, period=ess_period),
             hide_index=True, width="stretch", key="parents")

if len(ess):
    st.subheader(t("Chiffres de l'ESS publiés"))
    st.caption(t("Chaque graphique trace une seule série : un indicateur, une source, un "
                 "champ. Quand plusieurs sources publient un indicateur pour ce territoire, la "
                 "série tracée est celle que la règle du tableau de bord montre d'abord (la "
                 "plus complète et la plus récente, voir « Sources et définitions ») ; les "
                 "autres sont dans le tableau, jamais reliées à elle. Un chiffre seul, sans "
                 "région ni France dans sa série, est donné tel quel avec sa source."))
    for ind_id, part in ess.groupby("indicator_id", sort=False):
        ind = registry.get(ind_id)
        for key, rows, kind in profile_charts(part):
            if kind == "number":  # one figure: no one-bar chart
                row = rows.iloc[0]
                st.metric(f"{ind.label(language)} — {terr['name']} "
                          f"({fmt.period(row['period'], lang=language)})",
                          widgets.value_text(row["value_territory"], ind, row["qualifier"]))
                st.caption(figures.source_line(rows, lang=language))
                continue
            build = {"bars": figures.compare_bars, "slope": figures.slope,
                     "breakdown": figures.breakdown_bars}[kind]
            args = (rows, ind) if kind == "breakdown" else (rows, ind, terr["name"])
            widgets.chart(data.figure(build, *args, lang=language), key=key)
    obs = data.query("observations", indicator_ids=ess["indicator_id"].unique().tolist(),
                     levels=[niveau])
    mine = obs[obs["territory_code"] == code]
    widgets.table(views.table(mine, lang=language), mine, f"ess-{code}-{terr['name']}",
                  key="profile_table")

st.subheader(t("Territoires semblables"))
peers = profile.similar(data.level_metrics(niveau, rural), code)
st.dataframe(views.metrics_table(peers.assign(level=niveau), lang=language, ess=ess_all,
                                 period=ess_period), hide_index=True, width="stretch",
             key="peers")
st.caption(profile.peer_method(lang=language))

st.subheader(t("Comparer avec d'autres territoires"))
labels = {f"{niveau}-{c}": f"{n} ({c})" for c, n in names.items() if c != code}
if niveau == "commune":  # peers rather than the department's communes
    labels = {f"commune-{c}": f"{n} ({c})" for c, n in zip(peers["code"], peers["name"])}
labels = {item: territory_name(item) for item in compare} | labels
widgets.seed_state("p_compare", compare)
chosen = st.multiselect(t("Jusqu'à trois territoires"), list(labels), key="p_compare",
                        placeholder=t("Choisir un ou plusieurs territoires"),
                        max_selections=3, format_func=labels.get)
if chosen:
    targets = [(niveau, code)] + [tuple(c.split("-", 1)) for c in chosen]
    side = data.side_by_side(targets, rural)
    st.dataframe(views.metrics_table(side, lang=language, ess=ess_all, period=ess_period),
                 hide_index=True, width="stretch", key="compare_table")
    # the same figures drawn, one chart per indicator: the ESS share from the one series of
    # the table above (ess_all), the computed figures with the source and year the warehouse
    # gives them (data.offers); a territory the series does not cover keeps an empty place
    shown = side.assign(territory=[f"{n} ({short_level(lvl, lang=language)})"
                                   for n, lvl in zip(side["name"], side["level"])])
    ess_now = ess_all[ess_all["period"] == ess_period]
    published = shown.merge(ess_now.drop(columns=["name"], errors="ignore"), how="left",
                            left_on=["level", "code"],
                            right_on=["territory_level", "territory_code"])
    plots = [(ESS_SHARE, published, "")] if published["value"].notna().any() else []
    sources = data.query("sources").set_index("source_id")
    for ind_id, note in [("part_population_rurale", t("« Rural » : {rural}.",
                                                      rural=rural_defs[rural])),
                         ("densite_population", "")]:
        period, source_id = data.offers(ind_id, niveau)[1]
        src = sources.loc[source_id]
        plots.append((ind_id, shown.assign(
            value=shown[territory.COMPUTED[ind_id]], period=period,
            source_publisher=src["publisher"], source_title=src["title"],
            source_published=src["published"]), note))
    for ind_id, rows, note in plots:
        widgets.chart(data.figure(figures.compare_territories, rows, registry.get(ind_id),
                                  lang=language, note=note), key=f"compared_{ind_id}")

lang.write_url({"niveau": niveau, "code": code, "comparer": ",".join(chosen),
                "annee": st.session_state["p_annee"], "rural": rural})
if niveau in ("region", "departement"):
    st.subheader(t("Dossier du territoire"))
    st.caption(t("Diapositives 16:9 : chiffres clés, graphiques modifiables, carte, définitions "
                 "et sources ; les mêmes en PDF ; les chiffres en Excel. Voir aussi le mode "
                 "présentation."))
    exports.deck_downloads(niveau, code, key="deck")
widgets.about([registry.get(i) for i in
               ["population_municipale", "densite_population", "part_population_rurale",
                *ess["indicator_id"].unique()]],
              data.query("observations", indicator_ids=ess["indicator_id"].unique().tolist(),
                         levels=[niveau]) if len(ess) else pd.DataFrame())
