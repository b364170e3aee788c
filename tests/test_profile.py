"""Profiles: parents, side-by-side figures, similar territories, key messages, search."""
import pandas as pd
import pytest

from ess_data import db, profile, search, territory

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
    assert msgs[0] == (f"Lozère compte 11{NB}000 habitants (population légale 2022), soit "
                       f"611,1{NB}hab./km² : 1,6 fois moins dense que la France "
                       f"(1{NB}005,3{NB}hab./km²).")
    assert msgs[1].startswith(f"0,9{NB}% de ses habitants vivent dans une commune rurale et 1 "
                              "de ses 3 communes sont rurales")
    assert msgs[2] == (f"L'ESS y représente 27,9{NB}% de l'emploi salarié en 2014 (Éditeur B), "
                       "au 1er rang des 3 départements : 2,7 fois plus que la France "
                       f"(10,5{NB}%) et 2,3 fois plus que sa région (Occitanie : 12,3{NB}%).")
    assert msgs[3] == (f"Entre 2008 et 2014, cette part est passée de 25,1{NB}% à 27,9{NB}% "
                       "(+2,8 point).")


def test_key_messages_for_a_commune_name_its_class(fixture_con):
    me = territory.metrics(fixture_con, "commune", code="48003").iloc[0].to_dict()
    fr = territory.metrics(fixture_con, "france").iloc[0].to_dict()
    msgs = profile.key_messages("Saint-Champ", "commune", me, fr, "Approximation")
    assert msgs[1] == "La commune est classée « Rural très peu dense » (« rural » : Approximation)."


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
