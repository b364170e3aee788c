"""Profiles: parents, side-by-side figures, similar territories, key messages, search."""
from decimal import Decimal

import pandas as pd
import pytest

from ess_data import db, fmt, profile, search, territory

APPROX = "approx_densite_communale"
NB = "\u00a0"


def test_parents_smallest_first_then_france():
    row = {"epci_code": "E2", "departement_code": "48", "region_code": "76"}
    assert profile.parents("commune", row) == [("epci", "E2"), ("departement", "48"),
                                               ("region", "76"), ("france", "FR")]
    assert profile.parents("departement", row) == [("region", "76"), ("france", "FR")]
    assert profile.parents("commune", {"epci_code": None, "departement_code": "15",
                                       "region_code": "84"})[0] == ("departement", "15")


def test_side_by_side_keeps_order_and_levels(fixture_con):
    df = profile.side_by_side(fixture_con, [("commune", "48003"), ("departement", "48"),
                                            ("france", "FR")], APPROX)
    assert df["name"].tolist() == ["Saint-Champ", "Lozère", "France"]
    assert df["population"].tolist() == [100, 11000, 76450]
    assert df["n_rural_communes"].tolist() == [1, 1, 3]


def test_similar_territories_by_standardised_distance():
    m = pd.DataFrame({
        "code": ["a", "b", "c", "d"], "name": list("abcd"),
        "population": [1000, 1100, 100000, 900], "density": [10, 11, 1000, 50],
        "rural_population_share": [100, 100, 0, 100]})
    peers = profile.similar(m, "a", n=2)
    assert peers["code"].tolist() == ["b", "d"]
    assert peers["distance"].iloc[0] < peers["distance"].iloc[1]


def test_key_messages_every_number_from_the_inputs(fixture_con):
    me = territory.metrics(fixture_con, "departement", code="48").iloc[0].to_dict()
    fr = territory.metrics(fixture_con, "france").iloc[0].to_dict()
    ess = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    msgs = profile.key_messages("Lozère", "departement", me, fr, "Approximation", ess,
                                "Occitanie")
    assert msgs == [
        f"Lozère compte 11{NB}000 habitants (population légale 2022), soit 611,1{NB}hab./km² : "
        f"1,6 fois moins dense que la France (1{NB}005,3{NB}hab./km²). Densités et rapport : "
        "calcul du projet.",
        f"0,9{NB}% de ses habitants vivent dans une commune rurale et 1 de ses 3 communes est "
        f"rurale (France : 7,2{NB}% des habitants ; « rural » : Approximation).",
        # the region's 12,25 % is shown 12,3 % (half away from zero) and the ratio uses 12,3
        f"L'ESS y représente 27,9{NB}% de l'emploi salarié en 2014 (Éditeur B), au 1er rang des "
        "3 départements que publie la source : 2,7 fois plus qu'en France hors Mayotte "
        f"(10,5{NB}%) et 2,3 fois plus que sa région (Occitanie : 12,3{NB}%). Rang et rapports : "
        "calcul du projet.",
        # no French figure in 2008 for this source: the territory's change only
        f"Entre 2008 et 2014, cette part est passée de 25,1{NB}% à 27,9{NB}% (+2,8 points). "
        "Évolution : calcul du projet."]


def test_key_messages_for_a_commune_name_its_class(fixture_con):
    me = territory.metrics(fixture_con, "commune", code="48003").iloc[0].to_dict()
    fr = territory.metrics(fixture_con, "france").iloc[0].to_dict()
    msgs = profile.key_messages("Saint-Champ", "commune", me, fr, "Approximation")
    assert msgs[1] == "La commune est classée « Rural très peu dense » (« rural » : Approximation)."


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (11.85, 1, "11.9"), (12.847854, 1, "12.8"), (5.26, 1, "5.3"), (9.9111648988188, 1, "9.9"),
    (-0.25, 1, "-0.3"), (2.5, 0, "3"), (None, 1, None), (float("nan"), 1, None)])
def test_shown_rounds_as_the_numbers_are_printed(value, decimals, expected):
    assert profile.shown(value, decimals) == (None if expected is None else Decimal(expected))
    if expected is not None:  # the same figure as fmt prints
        assert fmt.number(value, decimals) == expected.replace(".", ",")


@pytest.mark.parametrize(("change", "french", "english"), [
    ("0.4", "+0,4 point", "+0.4 percentage points"),
    ("1.0", "+1,0 point", "+1.0 percentage point"),
    ("1.5", "+1,5 point", "+1.5 percentage points"),
    ("1.9", "+1,9 point", "+1.9 percentage points"),
    ("2.0", "+2,0 points", "+2.0 percentage points"),
    ("2.1", "+2,1 points", "+2.1 percentage points"),
    ("-0.3", "-0,3 point", "-0.3 percentage points"),
    ("-1.0", "-1,0 point", "-1.0 percentage point"),
    ("-2.4", "-2,4 points", "-2.4 percentage points"),
    ("0.0", "+0,0 point", "+0.0 percentage points"),
    ("-0.0", "+0,0 point", "+0.0 percentage points")])
def test_points_agree_in_number(change, french, english):
    """French: singular below 2 (1,5 point); English: singular for exactly 1.0 only."""
    assert profile.points(Decimal(change)) == french
    assert profile.points(Decimal(change), "en") == english


def test_singular_counts():
    assert [profile.singular(n) for n in (0, 1, 1.99, 2, 76486)] == [True, True, True, False, False]
    assert [profile.singular(n, "en") for n in (0, 1, 1.5, 2)] == [False, True, False, False]


def _me(**values) -> dict:
    return {"population": 1000, "population_year": 2023, "density": 10.0,
            "rural_population_share": 50.0, "n_rural_communes": 2, "n_communes": 4} | values


FRANCE = {"density": 107.17, "rural_population_share": 39.05}


@pytest.mark.parametrize(("rural", "n", "french", "english"), [
    (0, 39, "aucune de ses 39 communes n'est rurale", "none of its 39 municipalities is rural"),
    (1, 3, "1 de ses 3 communes est rurale", "1 of its 3 municipalities is rural"),
    (2, 4, "2 de ses 4 communes sont rurales", "2 of its 4 municipalities are rural"),
    (1, 1, "sa seule commune est rurale", "its only municipality is rural"),
    (0, 1, "sa seule commune n'est pas rurale", "its only municipality is not rural")])
def test_rural_communes_agree_in_number(rural, n, french, english):
    me = _me(n_rural_communes=rural, n_communes=n)
    assert f" et {french} (France" in profile.key_messages("X", "epci", me, FRANCE, "A")[1]
    assert f" and {english} (France" in profile.key_messages("X", "epci", me, FRANCE, "A",
                                                             lang="en")[1]


def test_population_agrees_in_number_and_no_ratio_to_a_density_shown_as_zero():
    msgs = profile.key_messages("Bezonvaux", "commune", _me(population=0, density=0.0), FRANCE,
                                "A")
    assert msgs[0] == "Bezonvaux compte 0 habitant (population légale 2023)."
    msgs = profile.key_messages("Saint-Élie", "commune", _me(population=95, density=0.0275),
                                FRANCE, "A")
    assert msgs[0] == "Saint-Élie compte 95 habitants (population légale 2023)."  # 0,0 shown
    msgs = profile.key_messages("X", "commune", _me(population=1), FRANCE, "A", lang="en")
    assert msgs[0].startswith("X has 1 inhabitant (2023 legal population), that is 10.0")


def test_density_ratio_from_the_densities_shown():
    # 107.17 / 14.78 = 7.25 (7,3) but the sentence shows 107,2 and 14,8: 7,24 -> 7,2
    msgs = profile.key_messages("X", "departement", _me(density=14.78), FRANCE, "A")
    assert msgs[0].endswith(f"soit 14,8{NB}hab./km² : 7,2 fois moins dense que la France "
                            f"(107,2{NB}hab./km²). Densités et rapport : calcul du projet.")
    msgs = profile.key_messages("X", "departement", _me(density=117.9), FRANCE, "A")
    assert f"117,9{NB}hab./km² : comparable à celle de la France" in msgs[0]  # 1,0998


def _ess(**values) -> pd.DataFrame:
    """territory_profile rows of one series (2008 and 2014) with these columns overridden."""
    rows = {"period": ["2008", "2014"], "value_territory": [11.85, 12.847854],
            "value_region": [11.8, 12.1], "value_france": [9.9111648988188, 10.5],
            "france_name": ["France hors Mayotte"] * 2,
            "france_name_en": ["France excluding Mayotte"] * 2, "rank": [33, 29],
            "n_ranked": [100, 100], "source_publisher": ["Insee"] * 2, "source_id": ["s"] * 2,
            "breakdown_value": [""] * 2, "decimals": [1, 1]}
    return pd.DataFrame(rows | values)


def _ess_lines(ess, parent="Occitanie", name="Aude", level="departement", lang="fr"):
    return profile.key_messages(name, level, _me(), FRANCE, "A", ess, parent, lang=lang)[2:]


@pytest.mark.parametrize(("region", "expected"), [
    ([11.8, 11.7], f"comparable à sa région (Occitanie : 11,7{NB}%)"),  # 12,8 / 11,7 = 1,094
    ([11.8, 11.6], f"1,1 fois plus que sa région (Occitanie : 11,6{NB}%)"),  # 1,103: out of band
    ([11.8, 14.2], f"comparable à sa région (Occitanie : 14,2{NB}%)"),  # 0,901
    ([11.8, 14.3], f"1,1 fois moins que sa région (Occitanie : 14,3{NB}%)")])  # 0,895
def test_comparable_band_on_the_values_shown(region, expected):
    text = _ess_lines(_ess(value_region=region))[0]
    assert text.endswith(expected + ". Rang et rapports : calcul du projet.")


def test_ratio_band_edges():
    assert profile._times(Decimal("1.094"), "region", "fr") == "comparable à sa région"
    assert profile._times(Decimal("1.103"), "region", "fr") == "1,1 fois plus que sa région"
    assert profile._times(Decimal("0.9"), "france", "fr", "France") == (
        "du même ordre qu'en France")
    assert profile._times(Decimal("0.89"), "france", "en", "France") == (
        "1.1 times lower than in France")


def test_no_comparison_of_a_territory_with_itself_nor_of_a_region_with_a_region():
    guyane = _ess_lines(_ess(value_region=[7.084396, 7.4], value_territory=[7.08, 7.4]),
                        parent="Guyane", name="Guyane")[0]
    assert "sa région" not in guyane and guyane.endswith(
        f"(10,5{NB}%). Rang et rapport : calcul du projet.")
    region = _ess_lines(_ess(rank=[2, 3], n_ranked=[17, 17]), parent=None, name="Bretagne",
                        level="region")[0]
    assert ("au 3e rang des 17 régions que publie la source : 1,2 fois plus qu'en France hors "
            f"Mayotte (10,5{NB}%). Rang et rapport : calcul du projet.") in region


def test_what_the_project_computed_is_said_whatever_is_there():
    no_rank = _ess_lines(_ess(rank=[None, None], n_ranked=[None, None]))[0]
    assert no_rank.endswith(f"(Occitanie : 12,1{NB}%). Rapports : calcul du projet.")
    alone = _ess_lines(_ess(rank=[None, 1], n_ranked=[None, 1], value_france=[None, None]))[0]
    assert alone == (f"L'ESS y représente 12,8{NB}% de l'emploi salarié en 2014 (Insee) : "
                     f"comparable à sa région (Occitanie : 12,1{NB}%). Rapport : calcul du projet.")
    bare = _ess_lines(_ess(value_france=[None, None], value_region=[None, None]), parent=None)
    assert bare[0].endswith("au 29e rang des 100 départements que publie la source. "
                            "Rang : calcul du projet.")
    assert bare[1].endswith("(+0,9 point). Évolution : calcul du projet.")


def test_change_from_the_values_shown_within_one_series():
    # unrounded: 12,847854 - 11,85 = +1,0; shown: 12,8 - 11,9 = +0,9
    change = _ess_lines(_ess())[1]
    assert change == (f"Entre 2008 et 2014, cette part est passée de 11,9{NB}% à 12,8{NB}% "
                      f"(+0,9 point), contre +0,6 point en France hors Mayotte (de 9,9{NB}% à "
                      f"10,5{NB}%). Évolutions : calcul du projet.")
    # France's figure of another scope in 2008: no French change across two scopes
    other = _ess_lines(_ess(france_name=["France métropolitaine", "France hors Mayotte"]))[1]
    assert other.endswith("(+0,9 point). Évolution : calcul du projet.")
    # another source's or breakdown's rows are another series: not the start of the change
    mixed = pd.concat([_ess(), _ess(period=["2001", "2002"], source_id=["t", "t"]).iloc[:1]])
    assert _ess_lines(mixed)[1].startswith("Entre 2008 et 2014")
    # an undated figure is not the last period of a change
    undated = pd.concat([_ess(), _ess(period=["nd", "nd"], value_territory=[20.0, 20.0]).iloc[:1]])
    assert _ess_lines(undated)[0].startswith(f"L'ESS y représente 12,8{NB}% de l'emploi salarié "
                                              "en 2014")
    only_nd = _ess(period=["nd", "nd"]).iloc[1:]
    assert _ess_lines(only_nd)[0].startswith(f"L'ESS y représente 12,8{NB}% de l'emploi salarié "
                                             "(chiffre non daté, Insee)")
    assert len(_ess_lines(only_nd)) == 1


def test_french_scope_named_in_english():
    lines = _ess_lines(_ess(), lang="en")
    assert "1.2 times as high as in France excluding Mayotte (10.5" in lines[0]
    assert lines[1].endswith("(+0.9 percentage points), against +0.6 percentage points in France "
                             f"excluding Mayotte (from 9.9{NB}% to 10.5{NB}%). Changes: project "
                             "calculation.")


@pytest.mark.parametrize(("text", "expected"), [
    ("  Saint-Étienne ", "saint etienne"), ("St Malo", "saint malo"), ("STE-MARIE", "sainte marie"),
    ("L'Haÿ-les-Roses", "l hay les roses"), ("", ""), ("<script>", "script")])
def test_normalise(text, expected):
    assert search.normalise(text) == expected


def test_search_is_accent_case_and_saint_insensitive(fixture_con):
    assert search.search(fixture_con, "st champ")["code"].tolist() == ["48003"]
    assert search.search(fixture_con, "LOZERE")["code"].tolist() == ["48"]
    assert search.search(fixture_con, "ile test")["label"].tolist() == ["Île-Test (Cantal, 15)"]
    assert search.search(fixture_con, "48")["code"].tolist()[0] == "48"  # code first
    assert search.search(fixture_con, "x").empty
    assert search.search(fixture_con, "'; DROP TABLE territories; --").empty


def test_search_real_codes_and_homonyms(real_con):
    assert search.search(real_con, "2a")["code"].tolist()[0] == "2A"
    assert search.search(real_con, "971")["label"].tolist()[0] == "Guadeloupe (département 971)"
    labels = search.search(real_con, "saint martin")["label"].tolist()
    homonyms = [x for x in labels if x.startswith("Saint-Martin (")]
    assert len(homonyms) >= 3 and len(set(homonyms)) == len(homonyms)  # told apart by dept
    assert search.search(real_con, "st flour")["code"].tolist()[0] == "15187"
