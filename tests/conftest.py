"""Shared fixtures: a small synthetic warehouse built by the real loader, and the real one."""
import json
import os
import shutil
from pathlib import Path

import pytest

from ess_data import db
from ess_data.build import build
from ess_data.config import DEFAULT_DB, ROOT
from tests.fixture_reference import write_reference

FIXTURES = Path(__file__).parent / "fixtures"


def open_page(page: str, **params):
    """Run dashboard.py on `pages/<page>.py` with these URL parameters (e.g. `lang="en"`), as
    a shared link would, with AppTest; fails on any exception."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_panels(at):
    """Open the page's panels that are closed by default (exports, "À propos de ces données",
    the map page's ranking) and rerun: their content is only made once opened
    (ui.widgets.panel)."""
    page = at.session_state["_page_name"]
    for name in ("exports", "about", "ranking"):
        at.session_state[f"{name}_{page}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def change_map(con):
    """The map of the change in the ESS share of salaried jobs, 2008 -> 2014, by department
    (figures.choropleth on the fixture warehouse)."""
    from ess_data import figures, territory
    from ess_data.registry import load_registry
    ind = load_registry(con).get("part_ess_emploi_salarie")
    values = territory.change_values(con, ind, "departement", "2008", "2014")
    change = territory.change_indicator(ind, "2008", "2014")
    return figures.choropleth(territory.shapes(con, "departement"), values, change, "2008-2014")


def map_sent(at) -> dict:
    """What a page's map component received (ui/mapview.py): ess_data.mapview.payload."""
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == "ess_map"]
    return json.loads(element.proto.json)


def charts_sent(at) -> list[dict]:
    """The figures a page's charts received (ui/chart.py), in page order, each with the
    element's id under "id"."""
    out = []
    for element in at.get("bidi_component"):
        if element.proto.component_name == "ess_chart":
            figure = json.loads(json.loads(element.proto.json)["figure"])
            out.append({**figure, "id": element.proto.id})
    return out


@pytest.fixture(scope="session")
def fixture_reference(tmp_path_factory) -> Path:
    """Directory holding the synthetic territory reference."""
    return write_reference(tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory, fixture_reference) -> Path:
    """Path of the fixture warehouse (synthetic seed + synthetic reference)."""
    path = tmp_path_factory.mktemp("warehouse") / "fixture.duckdb"
    build(path, FIXTURES / "seed", fixture_reference)
    return path


@pytest.fixture()
def fixture_con(fixture_db):
    """Read-only connection to the fixture warehouse."""
    con = db.connect(fixture_db)
    yield con
    con.close()


@pytest.fixture()
def warehouse(tmp_path, fixture_db) -> Path:
    """A private copy of the fixture warehouse in its own data folder (imports write there)."""
    path = tmp_path / "data" / "ess.duckdb"
    path.parent.mkdir()
    shutil.copyfile(fixture_db, path)
    return path


@pytest.fixture(scope="session")
def real_db() -> Path:
    """The shipped warehouse (built by `make test` before pytest runs)."""
    path = Path(os.environ.get("ESS_DB") or DEFAULT_DB)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `python -m ess_data build` (make test does it)")
    return path


@pytest.fixture()
def real_con(real_db):
    """Read-only connection to the shipped warehouse."""
    con = db.connect(real_db)
    yield con
    con.close()
