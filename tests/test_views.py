"""Choices the pages make from query results."""
from ess_data import db, views
from ess_data.registry import UnknownIndicator, load_registry


def test_table_formats_values_in_french(fixture_con):
    obs = db.run_query(fixture_con, "observations", indicator_ids=["effectifs_salaries_ess"],
                       levels=["france"])
    t = views.table(obs)
    assert t["Valeur"].tolist() == ["2\u00a0370\u00a0000", "2\u00a0380\u00a0000"]
    assert t["Source"].tolist()[1] == "Éditeur B, Indicateurs fictifs B (données de test) (2017)"
    assert t["Note"].tolist() == ["", "deux sources"]


def test_registry_lookup(fixture_con):
    reg = load_registry(fixture_con)
    assert len(reg) == 11
    assert [i.indicator_id for i in reg.mappable() if i.theme != "territoire"] == [
        "part_ess_emploi_salarie"]
    assert reg.get("dla_part_secteur").label("en") == "Share of supported structures by sector"
    assert reg.get("part_ess_emploi_prive").rural_definitions == "Typologie de test"
    assert reg.get("dla_part_secteur").rural_definitions is None
    try:
        reg.get("nope")
    except UnknownIndicator:
        pass
    else:
        raise AssertionError("unknown indicator accepted")
