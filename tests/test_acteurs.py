"""Who to call about the DLA in a region (/acteurs): the bundled list of regional DLA, departmental
DLA carriers, CRESS and State services, each name with its source, and the page showing it."""
import csv
import importlib.util
import re
from collections import Counter

import pytest

from ess_data import db
from ess_data.config import ROOT, SEED_DIR
from tests.conftest import open_page


def _rows(name: str) -> list[dict]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STRUCTURES = _rows("structures.csv")
SOURCES = {r["source_id"]: r for r in _rows("sources.csv")}
REGIONS = ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75",
           "76", "84", "93", "94"]
# A read date written in a source's notes when the page itself is undated.
READ_DATE = re.compile(r"\blue? le \d{4}-\d{2}-\d{2}\b")
# Sources of the earlier curation that record neither a publication nor a reading date. Listed
# so that the gap is visible and shrinks: none of the DLA rows may use one of them.
UNDATED = {"cress_cvl_portrait", "cress_normandie_chiffres_2019", "cress_hdf_panorama",
           "cress_aura_historique", "cress_reunion_site", "egapro_referents_code",
           "pref_reunion_sgar", "mission_animation_territoriale"}
# The project's reference text (the State's page on ESS territorial animation): no known address.
NO_ADDRESS = {"mission_animation_territoriale"}


def test_seed_names_a_contact_per_region_where_one_was_found():
    carriers = [r for r in STRUCTURES if r["kind"] == "dla_departemental"]
    assert Counter(r["region_code"] for r in carriers) == {
        "76": 4, "44": 2, "84": 1, "93": 1, "24": 1, "75": 1, "04": 1, "03": 1}
    assert sorted(r["departement_code"] for r in carriers if r["region_code"] == "76") == [
        "09", "30", "48", "65"]
    assert {r["region_code"] for r in STRUCTURES if r["kind"] == "dla_regional"} == {"11", "44"}
    for region in REGIONS:
        kinds = Counter(r["kind"] for r in STRUCTURES if r["region_code"] == region)
        assert kinds["service_etat"] == 1 and kinds["cress"] == 1, region
        (state,) = [r for r in STRUCTURES
                    if r["region_code"] == region and r["kind"] == "service_etat"]
        assert re.fullmatch(r"https://[a-z-]+\.(dreets|drieets|deets)\.gouv\.fr", state["website"])
    assert {r["region_code"] for r in STRUCTURES if r["kind"] == "cress" and r["website"]} == {
        "11", "24", "28", "76", "84", "04"}
    assert {r["region_code"] for r in STRUCTURES} == set(REGIONS)


def test_every_row_has_a_source_with_address_and_date():
    for r in STRUCTURES:
        assert bool(r["website"]) == bool(r["website_source_id"]), r["name"]
        for sid in filter(None, (r["source_id"], r["website_source_id"])):
            source = SOURCES[sid]
            if sid not in NO_ADDRESS:
                assert source["url"] or source["read_at_url"], sid
            if sid not in UNDATED:
                assert source["published"] or READ_DATE.search(source["notes"]), sid
        if r["kind"] in {"dla_regional", "dla_departemental"} or r["website"]:
            assert r["source_id"] not in NO_ADDRESS, r["name"]
        if r["kind"] in {"dla_regional", "dla_departemental"}:
            assert r["source_id"] not in UNDATED, r["name"]
    used = {r["source_id"] for r in STRUCTURES} | {r["website_source_id"] for r in STRUCTURES}
    assert UNDATED <= used  # drop a source from the list once no row uses it


def test_no_personal_contact_details():
    text = " ".join(r[c] for r in STRUCTURES for c in ("name", "note", "website"))
    assert "@" not in text
    assert not re.search(r"\b0\d(?:[ .]?\d{2}){4}\b", text)  # French phone numbers


def test_carriers_listed_under_their_own_region(real_con):
    for region in REGIONS:
        carriers = db.run_query(real_con, "dla_carriers", region_code=region)
        departements = db.run_query(real_con, "territory_list", level="departement",
                                    region_code=region)
        assert carriers["departement_code"].drop_duplicates().tolist() == departements[
            "code"].tolist()
        seeded = sorted(r["name"] for r in STRUCTURES
                        if r["kind"] == "dla_departemental" and r["region_code"] == region)
        assert sorted(carriers["name"].dropna()) == seeded, region


def test_occitanie_bodies_in_the_warehouse(real_con):
    bodies = db.run_query(real_con, "structures", region_code="76")
    assert bodies["kind"].tolist() == ["service_etat", "cress", "sgar"]  # no regional DLA named
    cress = bodies.set_index("kind").loc["cress"]
    assert cress["name"] == "CRESS Occitanie"
    assert cress["website"] == "https://www.cressoccitanie.org"
    assert cress["source_publisher"] == "CRESS Occitanie" and cress["source_published"] == "2021"
    grand_est = db.run_query(real_con, "structures", region_code="44").set_index("kind")
    assert grand_est.loc["dla_regional", "name"] == (
        "CRESS Grand Est, avec Lorraine Mouvement associatif")
    assert "non vérifiée" not in grand_est.loc["cress", "note"]


@pytest.fixture()
def real_page(real_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(real_db))
    return open_page


def test_occitanie_page_names_its_dla_carriers_and_cress(real_page):
    at = real_page("acteurs", region="76")
    assert at.header[0].value == "Qui contacter en Occitanie"
    block = at.markdown[1].value
    assert "**Chambre régionale de l'ESS** : CRESS Occitanie — [www.cressoccitanie.org]" in block
    assert "(https://occitanie.dreets.gouv.fr)" in block
    assert "**DLA régional** : aucune source consultée ne le nomme" in block
    assert "Source : CRESS Occitanie, « 8 lauréats en Occitanie pour les PTCE émergents », 2021." \
        in block
    carriers = at.table[0].value
    assert len(carriers) == 13
    named = carriers[~carriers["Structure porteuse"].str.startswith("non relevé")]
    assert named["Structure porteuse"].to_dict() == {
        "Ariège (09)": "BGE Sud-Ouest et Ligue de l'enseignement (co-portage)",
        "Gard (30)": "Acegaa", "Lozère (48)": "Adefpat",
        "Hautes-Pyrénées (65)": "France Active Midi-Pyrénées-Occitanie (France Active "
                                "MPA-Occitanie)"}
    assert named.loc["Lozère (48)", "Source"] == (
        "Adefpat, « DLA en Lozère : une mission reconduite pour l'Adefpat », 2023")
    assert named.loc["Gard (30)", "Source"].endswith(  # undated page: the day it was read
        "« Écoutez les témoignages podcasts du DLA Gard », non daté, lu le 2026-12-06")
    assert carriers.loc["Tarn (81)", "Structure porteuse"] == (
        "non relevé : voir https://www.info-dla.fr")
    assert at.subheader[0].value.startswith("DLA départementaux : 4 département(s) sur 13")
    sources = at.caption[1].value
    assert "https://adefpat.fr/actus/dla-en-lozere-une-mission-reconduite-pour-ladefpat" in sources
    assert "SocialGouv/code-du-travail-numerique" in sources  # where the websites were read
    assert at.query_params["region"] == "76"


def test_page_in_english(real_page):
    at = real_page("acteurs", region="44", lang="en")
    assert at.header[0].value == "Who to contact in Grand Est"
    assert "**Regional DLA**: CRESS Grand Est, avec Lorraine Mouvement associatif" in (
        at.markdown[1].value)
    assert list(at.table[0].value.columns) == ["Carrier", "Note", "Source"]


@pytest.mark.parametrize("raw", ["99", "<b>76</b>"])
def test_wrong_region_in_the_link_gets_a_french_message(real_page, raw):
    at = real_page("acteurs", region=raw)
    (warning,) = at.warning
    assert warning.value.startswith("Le lien demande la région « ")
    assert "<b>" not in warning.value
    assert at.header[0].value == "Qui contacter en Guadeloupe"  # the first region, by code
    assert at.query_params["region"] == "01"


def _check_seed():
    """scripts/check_seed.py, loaded as a module (it is a standalone script)."""
    spec = importlib.util.spec_from_file_location("check_seed", ROOT / "scripts" / "check_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_check_of_the_contact_rows():
    check = _check_seed()
    rep = check.Report()
    tables = check.load(SEED_DIR, rep)
    check.check(tables, rep)
    assert not [e for e in rep.errors if "structures.csv" in e]
    bad = tables["structures.csv"].copy()
    bad.loc[len(bad)] = ["76", "dla_departemental", "", "Sans département", "www.exemple.fr", "",
                         "", "adefpat_dla_lozere_2023"]
    bad.loc[len(bad)] = ["76", "cress", "31", "CRESS départementale", "", "", "",
                         "adefpat_dla_lozere_2023"]
    rep = check.Report()
    check.check({**tables, "structures.csv": bad}, rep)
    errors = [e for e in rep.errors if "structures.csv" in e]
    assert errors == [
        f"structures.csv line {len(bad)}: departement_code is for dla_departemental",
        f"structures.csv line {len(bad)}: website is not an http(s) address",
        f"structures.csv line {len(bad)}: a website needs its website_source_id",
        f"structures.csv line {len(bad) + 1}: departement_code is for dla_departemental"]
