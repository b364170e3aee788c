"""Key messages of five departments of the shipped warehouse, checked against sentences written
out by hand: the numbers of a sentence agree with those it shows (ratios and changes from the
rounded values), French plurals, France's scope as its source publishes it, no comparison of a
territory with itself, the project's computations said to be so (docs/methods.md).

The inputs are built as the profile page and the deck build them: the territory's
territory_profile rows of the ESS share from the indicator's default source, territory metrics
under our rural approximation, the region's name as parent.
"""
import re

import pytest

from ess_data import db, profile, territory
from ess_data.registry import load_registry

APPROX = "approx_densite_communale"
NB = "\u00a0"
RURAL = "Rural approché par la densité communale (calcul du projet)"


def messages(con, code: str, lang: str = "fr") -> list[str]:
    """The key messages of department `code`, from the warehouse, as the callers make them."""
    terr = db.run_query(con, "territory", level="departement", code=code).iloc[0].to_dict()
    ess = db.run_query(con, "territory_profile", level="departement", code=code)
    default = load_registry(con).get(profile.ESS_SHARE).default_source_id
    ess = ess[(ess["indicator_id"] == profile.ESS_SHARE) & (ess["source_id"] == default)]
    me = territory.metrics(con, "departement", code=code, rural=APPROX).iloc[0].to_dict()
    france = territory.metrics(con, "france", rural=APPROX).iloc[0].to_dict()
    rural = db.run_query(con, "rural_definitions").set_index("rural_definition_id")
    return profile.key_messages(terr["name"], "departement", me, france,
                                rural.loc[APPROX, f"label_{lang}"], ess if len(ess) else None,
                                terr["region_name"], lang=lang)


def test_aude_change_from_the_rounded_values(real_con):
    # published 11,85 % and 12,847854 %: shown 11,9 % and 12,8 %, so +0,9 point (was +1,0)
    assert messages(real_con, "11") == [
        f"Aude compte 379{NB}648 habitants (population légale 2023), soit 59,9{NB}hab./km² : "
        f"1,8 fois moins dense que la France (107,2{NB}hab./km²). Densités et rapport : calcul "
        "du projet.",
        f"66,2{NB}% de ses habitants vivent dans une commune rurale et 425 de ses 433 communes "
        f"sont rurales (France : 39,1{NB}% des habitants ; « rural » : {RURAL}).",
        f"L'ESS y représente 12,8{NB}% de l'emploi salarié en 2014 (Insee), au 29e rang des "
        "100 départements que publie la source : 1,2 fois plus qu'en France hors Mayotte "
        f"(10,5{NB}%) et comparable à sa région (Occitanie : 12,1{NB}%). Rang et rapports : "
        "calcul du projet.",
        f"Entre 2008 et 2014, cette part est passée de 11,9{NB}% à 12,8{NB}% (+0,9 point), "
        f"contre +0,6 point en France hors Mayotte (de 9,9{NB}% à 10,5{NB}%). Évolutions : "
        "calcul du projet."]


def test_seine_saint_denis_change_and_no_rural_commune(real_con):
    # published 5,26 % and 5,640951 %: shown 5,3 % and 5,6 %, so +0,3 point (was +0,4)
    assert messages(real_con, "93") == [
        f"Seine-Saint-Denis compte 1{NB}704{NB}316 habitants (population légale 2023), soit "
        f"7{NB}182,4{NB}hab./km² : 67,0 fois plus dense que la France (107,2{NB}hab./km²). "
        "Densités et rapport : calcul du projet.",
        f"0,0{NB}% de ses habitants vivent dans une commune rurale et aucune de ses 39 communes "
        f"n'est rurale (France : 39,1{NB}% des habitants ; « rural » : {RURAL}).",
        f"L'ESS y représente 5,6{NB}% de l'emploi salarié en 2014 (Insee), au 99e rang des "
        "100 départements que publie la source : 1,9 fois moins qu'en France hors Mayotte "
        f"(10,5{NB}%) et 1,3 fois moins que sa région (Île-de-France : 7,1{NB}%). Rang et "
        "rapports : calcul du projet.",
        f"Entre 2008 et 2014, cette part est passée de 5,3{NB}% à 5,6{NB}% (+0,3 point), "
        f"contre +0,6 point en France hors Mayotte (de 9,9{NB}% à 10,5{NB}%). Évolutions : "
        "calcul du projet."]


HAUTE_SAONE_EN = [
    f"Haute-Saône has 233,185 inhabitants (2023 legal population), that is 43.3{NB}inhab./km²: "
    f"2.5 times less dense than France (107.2{NB}inhab./km²). Densities and ratio: project "
    "calculation.",
    f"80.4{NB}% of its inhabitants live in a rural municipality and 529 of its 536 "
    f"municipalities are rural (France: 39.1{NB}% of inhabitants; “rural”: Rural approximated "
    "from municipal density (project calculation)).",
    f"The social and solidarity economy (ESS) accounts for 16.0{NB}% of salaried employment "
    "there in 2014 (Insee), ranking 9th of the 100 departments the source publishes: 1.5 times "
    f"as high as in France excluding Mayotte (10.5{NB}%) and 1.4 times as high as in its region "
    f"(Bourgogne-Franche-Comté: 11.7{NB}%). Rank and ratios: project calculation.",
    f"Between 2008 and 2014, this share went from 13.9{NB}% to 16.0{NB}% (+2.1 percentage "
    f"points), against +0.6 percentage points in France excluding Mayotte (from 9.9{NB}% to "
    f"10.5{NB}%). Changes: project calculation."]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_haute_saone_points_in_the_plural(real_con, lang):
    expected = [
        f"Haute-Saône compte 233{NB}185 habitants (population légale 2023), soit "
        f"43,3{NB}hab./km² : 2,5 fois moins dense que la France (107,2{NB}hab./km²). Densités "
        "et rapport : calcul du projet.",
        f"80,4{NB}% de ses habitants vivent dans une commune rurale et 529 de ses 536 communes "
        f"sont rurales (France : 39,1{NB}% des habitants ; « rural » : {RURAL}).",
        f"L'ESS y représente 16,0{NB}% de l'emploi salarié en 2014 (Insee), au 9e rang des "
        "100 départements que publie la source : 1,5 fois plus qu'en France hors Mayotte "
        f"(10,5{NB}%) et 1,4 fois plus que sa région (Bourgogne-Franche-Comté : 11,7{NB}%). "
        "Rang et rapports : calcul du projet.",
        f"Entre 2008 et 2014, cette part est passée de 13,9{NB}% à 16,0{NB}% (+2,1 points), "
        f"contre +0,6 point en France hors Mayotte (de 9,9{NB}% à 10,5{NB}%). Évolutions : "
        "calcul du projet."]
    if lang == "en":
        expected = HAUTE_SAONE_EN
    assert messages(real_con, "70", lang) == expected


def test_guyane_not_compared_with_its_own_region(real_con):
    # region 03 is the department 973: no « comparable à sa région (Guyane : 7,4 %) »; its
    # density ratio from the densities shown: 107,2 / 3,5 = 30,6 (was 30,3 from 107,18 / 3,54)
    assert messages(real_con, "973") == [
        f"Guyane compte 293{NB}996 habitants (population légale 2023), soit 3,5{NB}hab./km² : "
        f"30,6 fois moins dense que la France (107,2{NB}hab./km²). Densités et rapport : calcul "
        "du projet.",
        f"69,3{NB}% de ses habitants vivent dans une commune rurale et 20 de ses 22 communes "
        f"sont rurales (France : 39,1{NB}% des habitants ; « rural » : {RURAL}).",
        f"L'ESS y représente 7,4{NB}% de l'emploi salarié en 2014 (Insee), au 93e rang des "
        "100 départements que publie la source : 1,4 fois moins qu'en France hors Mayotte "
        f"(10,5{NB}%). Rang et rapport : calcul du projet.",
        f"Entre 2008 et 2014, cette part est passée de 7,1{NB}% à 7,4{NB}% (+0,3 point), "
        f"contre +0,6 point en France hors Mayotte (de 9,9{NB}% à 10,5{NB}%). Évolutions : "
        "calcul du projet."]


def test_lozere(real_con):
    # density ratio from the densities shown: 107,2 / 14,8 = 7,2 (was 7,3 from 107,18 / 14,78)
    assert messages(real_con, "48") == [
        f"Lozère compte 76{NB}486 habitants (population légale 2023), soit 14,8{NB}hab./km² : "
        f"7,2 fois moins dense que la France (107,2{NB}hab./km²). Densités et rapport : calcul "
        "du projet.",
        f"77,5{NB}% de ses habitants vivent dans une commune rurale et 150 de ses 152 communes "
        f"sont rurales (France : 39,1{NB}% des habitants ; « rural » : {RURAL}).",
        f"L'ESS y représente 27,9{NB}% de l'emploi salarié en 2014 (Insee), au 1er rang des "
        "100 départements que publie la source : 2,7 fois plus qu'en France hors Mayotte "
        f"(10,5{NB}%) et 2,3 fois plus que sa région (Occitanie : 12,1{NB}%). Rang et "
        "rapports : calcul du projet.",
        f"Entre 2008 et 2014, cette part est passée de 27,4{NB}% à 27,9{NB}% (+0,5 point), "
        f"contre +0,6 point en France hors Mayotte (de 9,9{NB}% à 10,5{NB}%). Évolutions : "
        "calcul du projet."]


def test_a_department_named_as_its_region_is_its_region(real_con):
    """key_messages tells a department that is its own region by their names: in the
    warehouse, a department has its region's name exactly when it is its region's only
    department (the five overseas departments)."""
    deps = db.run_query(real_con, "territory_list", level="departement", region_code=None)
    regions = db.run_query(real_con, "territory_list", level="region", region_code=None)
    names = dict(zip(regions["code"], regions["name"]))
    alone = set(deps["region_code"].value_counts().loc[lambda n: n == 1].index)
    same_name = {r for r, n in zip(deps["region_code"], deps["name"]) if names.get(r) == n}
    assert same_name == alone == {"01", "02", "03", "04", "06"}


def region_messages(con, code: str, lang: str = "fr") -> list[str]:
    """The key messages of region `code` with its story, as the profile page and the deck make
    them."""
    from ess_data import series
    terr = db.run_query(con, "territory", level="region", code=code).iloc[0].to_dict()
    prof = db.run_query(con, "territory_profile", level="region", code=code)
    ess = series.shown_series(prof[prof["indicator_id"] == profile.ESS_SHARE])
    me = territory.metrics(con, "region", code=code, rural=APPROX).iloc[0].to_dict()
    france = territory.metrics(con, "france", rural=APPROX).iloc[0].to_dict()
    rural = db.run_query(con, "rural_definitions").set_index("rural_definition_id")
    return profile.key_messages(terr["name"], "region", me, france,
                                rural.loc[APPROX, f"label_{lang}"], ess if len(ess) else None,
                                lang=lang, story=profile.story(con, "region", code))


def test_occitanie_opens_with_its_own_finding(real_con):
    """Its ESS share and gap with France (from the values as shown), its departments' range
    (highest and lowest on the departmental map's series), then rural vs rest: not published
    for the region, so said plainly, with the national reference and its definition."""
    from decimal import Decimal

    from ess_data.registry import ESS_SHARE, load_registry
    msgs = region_messages(real_con, "76")
    found = re.fullmatch(
        r"Occitanie : l'ESS pèse (\d+,\d)\xa0% de l'emploi salarié en \d{4} \(([^)]+)\), "
        r"(\d+,\d) points? de (plus|moins) qu'en (France[^(]*) \((\d+,\d)\xa0%\), au \d+(er|e) "
        r"rang des \d+ régions que publie la source\. Selon le département, de (\d+,\d)\xa0% "
        r"\(([^)]+)\) à (\d+,\d)\xa0% \(([^)]+)\) en \d{4} \(([^)]+)\)\. Écart et rang : calcul du "
        r"projet\.", msgs[0])
    assert found, msgs[0]
    share, _, gap, sign, _, fr, _, low, low_name, high, high_name, _ = found.groups()

    def num(text):
        return Decimal(text.replace(",", "."))
    assert num(gap) == abs(num(share) - num(fr)) and (sign == "plus") == (num(share) > num(fr))
    ind = load_registry(real_con).get(ESS_SHARE)
    _, (period, source_id) = territory.offers(real_con, ind, "departement")
    deps = territory.map_values(real_con, ind, "departement", period,
                                territory.parse_zone("region-76"), source_id=source_id)
    deps = deps[deps["value"].notna()]
    assert len(deps) == 13
    assert (high_name, low_name) == (deps["name"].iloc[0], deps["name"].iloc[-1])
    assert (num(high), num(low)) == (profile.shown(deps["value"].iloc[0]),
                                     profile.shown(deps["value"].iloc[-1]))
    # the share sentence is not repeated; its change follows it ("cette part")
    assert msgs[1].startswith("Entre ") and "cette part est passée de" in msgs[1]
    assert not any(m.startswith("L'ESS y représente") for m in msgs)
    assert msgs[2].startswith("Part de l'ESS dans le rural et dans le reste du territoire : "
                              "aucune source du tableau de bord ne la publie pour ce "
                              "territoire. Repère national : ")
    assert "typologie CGET" in msgs[2]  # the national reference's definition of rural
    assert msgs[3].startswith("Occitanie compte ")


def test_a_region_with_rural_figures_published_says_so(real_con):
    """Île-de-France: the 2019 study publishes the change of ESS jobs in its rural communes."""
    msgs = region_messages(real_con, "11")
    assert msgs[2].startswith("Publié pour le rural de ce territoire (le reste du territoire ne "
                              "l'est pas) : Évolution de l'emploi ESS dans le rural d'une région")
    assert "Repère national : " in msgs[2]


def test_region_story_in_english(real_con):
    msgs = region_messages(real_con, "76", "en")
    assert msgs[0].startswith("Occitanie: the social and solidarity economy (ESS) accounts for ")
    assert "Across its departments, from " in msgs[0]
    assert msgs[2].startswith("ESS share in rural areas and in the rest of the territory: none")


def test_a_department_keeps_its_messages_with_a_story(real_con):
    story = profile.story(real_con, "departement", "48")
    assert story.departments is not None and story.departments.region_code == "76"
    terr = db.run_query(real_con, "territory", level="departement", code="48").iloc[0].to_dict()
    ess = db.run_query(real_con, "territory_profile", level="departement", code="48")
    default = load_registry(real_con).get(profile.ESS_SHARE).default_source_id
    ess = ess[(ess["indicator_id"] == profile.ESS_SHARE) & (ess["source_id"] == default)]
    me = territory.metrics(real_con, "departement", code="48", rural=APPROX).iloc[0].to_dict()
    france = territory.metrics(real_con, "france", rural=APPROX).iloc[0].to_dict()
    with_story = profile.key_messages(terr["name"], "departement", me, france, RURAL, ess,
                                      terr["region_name"], story=story)
    assert with_story == messages(real_con, "48")


@pytest.mark.parametrize(("period", "fr", "en"), [
    ("2014", "en 2014", "in 2014"), ("2024-06-30", "au 30/06/2024", "at 30 June 2024"),
    ("2008-2015", "sur 2008-2015", "over 2008-2015"), ("2021-", "depuis 2021", "since 2021"),
    ("nd", "(données non datées)", "(undated figures)")])
def test_periods_in_running_text(period, fr, en):
    assert (profile.when(period), profile.when(period, "en")) == (fr, en)
