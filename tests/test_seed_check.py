"""scripts/check_seed.py, the maintainers' check of the curated seed, passes on the shipped seed
(it had fallen behind the computed `territoire` indicators) and still catches a bad row."""
from ess_data.config import SEED_DIR
from tests.test_acteurs import _check_seed


def test_the_shipped_seed_has_no_error():
    check = _check_seed()
    assert check.main(["--seed", str(SEED_DIR), "--quiet"]) == 0


def test_a_published_indicator_mappable_without_values_is_an_error():
    check = _check_seed()
    rep = check.Report()
    tables = check.load(SEED_DIR, rep)
    ind = tables["indicators.csv"].copy()
    row = ind[ind.indicator_id == "dla_budget"].index[0]
    ind.loc[row, "mappable"] = "true"
    rep = check.Report()
    check.check({**tables, "indicators.csv": ind}, rep)
    assert any("dla_budget: mappable but no region/departement values" in e for e in rep.errors)
