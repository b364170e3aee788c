"""Profil d'un territoire: its figures against its region and France.

Chosen in the page or by URL: ?niveau=region|departement&code=XX (code=48 shows Lozère).
"""
import streamlit as st

from ess_data import figures, fmt, views
from ess_data.registry import LEVELS
from ui import data, require_navigation, widgets

require_navigation()

APPROX = "approx_densite_communale"

st.title("Profil d'un territoire")

widgets.seed_state("p_niveau", widgets.url_choice("niveau", list(LEVELS), "departement",
                                                  "le niveau"))
left, right = st.columns([1, 3])
niveau = left.radio("Niveau", list(LEVELS), format_func=LEVELS.get, key="p_niveau",
                    horizontal=True)
territories = data.query("territory_list", level=niveau, region_code=None)
names = dict(zip(territories["code"], territories["name"]))
codes = territories["code"].tolist()
if st.session_state.get("p_code") not in codes:
    st.session_state.pop("p_code", None)
widgets.seed_state("p_code", widgets.url_choice("code", codes, codes[0], "le code territoire"))
code = right.selectbox("Territoire (nom ou code)", codes, key="p_code",
                       format_func=lambda c: f"{names[c]} ({c})")
st.query_params.from_dict({"niveau": niveau, "code": code})

terr = data.query("territory", level=niveau, code=code).iloc[0]
st.header(f"{terr['name']} ({code})")
if niveau == "departement":
    st.caption(f"{LEVELS[niveau]} de la région {terr['region_name']}")

rural = data.query("territory_rurality", level=niveau, code=code, rural_definition_id=APPROX)
rural_pop = rural.loc[rural["is_rural"].fillna(False).astype(bool), "share_population"].sum()
rural_communes = int(rural.loc[rural["is_rural"].fillna(False).astype(bool), "n_communes"].sum())
c1, c2, c3, c4 = st.columns(4)
c1.metric(f"Population municipale {terr['population_year']}", fmt.number(terr["population"]))
c2.metric("Densité (hab./km²)", fmt.number(terr["density"], 1))
c3.metric("Communes rurales (approximation)",
          f"{fmt.number(rural_communes)} sur {fmt.number(terr['n_communes'])}")
c4.metric("Population en commune rurale (approximation)", fmt.value(rural_pop, "percent", 1))
st.caption(
    f"Population légale {terr['population_year']} (INSEE, recensement) ; superficie calculée par "
    "nous sur les contours communaux. « Rural » ici : notre approximation de la grille de "
    "densité de l'INSEE à partir de la densité de chaque commune (page Sources), pas la grille "
    "officielle.")

profile = data.query("territory_profile", level=niveau, code=code)
if profile.empty:
    st.info("Aucun chiffre ESS publié pour ce territoire dans l'entrepôt.")
else:
    registry = data.registry()
    for ind_id, part in profile.groupby("indicator_id", sort=False):
        ind = registry.get(ind_id)
        default = part[part["source_id"] == ind.default_source_id]
        part = (default if len(default) else part).sort_values("period")
        widgets.chart(figures.compare_bars(part, ind, terr["name"], widgets.LANG),
                      key=f"compare_{ind_id}")
        latest = part.iloc[-1]
        if latest["rank"] == latest["rank"]:
            st.caption(f"Rang en {fmt.period(latest['period'])} : {int(latest['rank'])}e sur "
                       f"{int(latest['n_ranked'])} ({LEVELS[niveau].lower()}s ayant une valeur "
                       "publiée), du plus élevé au plus faible.")
    obs = data.query("observations", indicator_ids=profile["indicator_id"].unique().tolist(),
                     levels=[niveau, "region", "france"])
    mine = obs[obs["territory_code"].isin([code])]
    st.subheader("Tous les chiffres publiés pour ce territoire")
    st.dataframe(views.table(mine), hide_index=True, width="stretch", key="profile_table")
    widgets.about([registry.get(i) for i in profile["indicator_id"].unique()], obs)
