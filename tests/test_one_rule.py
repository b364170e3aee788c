"""One figure, one rule: over the shipped warehouse, every chart, map, deck and table draws one
series (one indicator x one source x one breakdown), chosen by the warehouse's views only."""
import io
import re
from pathlib import Path

import openpyxl
import pytest

from ess_data import db, series, territory
from ess_data.config import ROOT
from ess_data.export import deck
from ess_data.registry import load_registry


@pytest.fixture(scope="module")
def con(real_db):
    c = db.connect(real_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def places(con):
    return [(lvl, code) for lvl, code in con.execute(
        "SELECT level, code FROM territories WHERE level IN ('region', 'departement') "
        "ORDER BY level DESC, code").fetchall()]


def one_series(rows) -> None:
    assert rows["source_id"].nunique() == 1, sorted(rows["source_id"].unique())
    assert rows["breakdown_value"].fillna("").nunique() == 1


def test_profile_charts_draw_one_series_each(con, places):
    charts = slopes = 0
    for level, code in places:
        profile = db.run_query(con, "territory_profile", level=level, code=code)
        for _, part in profile.groupby("indicator_id", sort=False):
            for _, rows, kind in series.profile_charts(part):
                charts += 1
                if kind == "breakdown":
                    assert rows["source_id"].nunique() == 1 and rows["period"].nunique() == 1
                    continue
                one_series(rows)
                if kind == "slope":
                    slopes += 1
                    assert rows["period"].nunique() >= 2 and "nd" not in set(rows["period"])
    assert (charts, slopes) >= (290, 110)  # what was checked (measured: 297 and 113 today)


def test_a_lone_figure_is_a_number_not_a_one_bar_chart(con, places):
    """Occitanie's undated ESS employees (one figure, no region or France in its series) are a
    number with their source; bars always have more than one bar."""
    numbers = 0
    for level, code in places:
        profile = db.run_query(con, "territory_profile", level=level, code=code)
        for _, part in profile.groupby("indicator_id", sort=False):
            for _, rows, kind in series.profile_charts(part):
                if kind == "number":
                    numbers += 1
                    assert len(rows) == 1
                elif kind == "bars":
                    bars = rows[["value_territory", "value_region", "value_france"]].notna()
                    assert bars.to_numpy().sum() > 1
    assert numbers > 0
    occitanie = db.run_query(con, "territory_profile", level="region", code="76")
    part = occitanie[occitanie["indicator_id"] == "effectifs_salaries_ess"]
    assert [kind for _, _, kind in series.profile_charts(part)] == ["number"]


def test_the_profile_page_gives_a_lone_figure_with_its_source(real_db, monkeypatch):
    from tests.conftest import charts_sent, open_page
    monkeypatch.setenv("ESS_DB", str(real_db))
    at = open_page("territoire", niveau="region", code="76")
    (employees,) = [m for m in at.metric if m.label.startswith("Effectifs salariés de l'ESS")]
    assert employees.label == "Effectifs salariés de l'ESS — Occitanie (non daté)"
    assert employees.value == "211\u00a0772"
    assert any(c.value.startswith("Source : CNCRESS") for c in at.caption)
    titles = [f["layout"]["title"]["text"] for f in charts_sent(at)]
    assert titles and not any(title.startswith("Effectifs salariés") for title in titles)


def test_hauts_de_france_families_never_one_slope(con):
    """The old slope « 2020 -> 2021 » went from 9,2 % (cooperatives, CRESS) to 84,7 %
    (associations, INSEE)."""
    profile = db.run_query(con, "territory_profile", level="region", code="32")
    part = profile[profile["indicator_id"] == "part_famille_emploi_ess"]
    assert part["source_id"].nunique() > 1 and part["breakdown_value"].nunique() > 1
    drawn = series.profile_charts(part)
    assert drawn and {kind for _, _, kind in drawn} == {"breakdown"}
    for _, rows, _ in drawn:
        assert rows["source_id"].nunique() == 1 and rows["period"].nunique() == 1


def test_bourgogne_franche_comte_employees_no_fall_across_scopes(con):
    """INSEE's whole ESS (2013) and Urssaf's private non-farm jobs (2024) are two series: the
    chart draws the first in precedence only, never a fall from one to the other."""
    profile = db.run_query(con, "territory_profile", level="region", code="27")
    part = profile[profile["indicator_id"] == "effectifs_salaries_ess"]
    assert part["source_id"].nunique() >= 2
    for _, rows, _ in series.profile_charts(part):
        one_series(rows)
        assert rows["source_id"].iloc[0] == part.sort_values("source_order")["source_id"].iloc[0]


def test_every_offered_map_is_one_dated_series(con):
    registry = load_registry(con)
    offered = 0
    for ind in registry.mappable():
        for level in ("region", "departement"):
            offers, best = territory.offers(con, ind, level)
            assert "nd" not in set(offers["period"])  # undated figures never go on a map
            for period, source_id in offers[["period", "source_id"]].itertuples(index=False):
                values = territory.map_values(con, ind, level, period, source_id=source_id)
                shown = values.dropna(subset=["value"])
                assert set(shown["source_id"]) == {source_id}, (ind.indicator_id, period)
                assert shown["n_ranked"].iloc[0] == len(shown)
                offered += 1
    assert offered > 20


def _end(period: str) -> str:
    return period[5:] if re.fullmatch(r"\d{4}-\d{4}", period) else period


def test_every_map_opens_on_the_most_recent_of_the_most_complete_series(con):
    """The default map covers as many territories of the level as any offer, and is the newest
    of those; ESS share: INSEE ITDD 2014 (17 regions, 100 departments) until a more complete
    or equally complete and newer series is published."""
    registry = load_registry(con)
    pairs = con.execute("SELECT DISTINCT indicator_id, territory_level FROM map_offers "
                        "ORDER BY ALL").fetchall()
    for indicator_id, level in pairs:
        offers, best = territory.offers(con, registry.get(indicator_id), level)
        top = offers[offers["n_territories"] == offers["n_territories"].max()]
        row = offers[(offers["period"] == best[0]) & (offers["source_id"] == best[1])]
        assert len(row) == 1 and row["n_territories"].iloc[0] == top["n_territories"].iloc[0]
        assert _end(best[0]) == max(_end(p) for p in top["period"]), (indicator_id, level)
    assert len(pairs) >= 15  # measured: 17 indicator x level pairs have a map today
    ind = registry.get("part_ess_emploi_salarie")
    assert territory.offers(con, ind, "region")[1] == ("2014", "insee_itdd")
    assert territory.offers(con, ind, "departement")[1] == ("2014", "insee_itdd")


def test_a_recent_partial_series_is_published_beside_the_shown_one(con):
    """Pas-de-Calais: the profile's chart draws the complete series (INSEE ITDD); the CRESS
    panorama's 2020 figure stays in the published table with its region and France from the
    same publication, never on the ITDD line."""
    profile = db.run_query(con, "territory_profile", level="departement", code="62")
    share = profile[profile["indicator_id"] == "part_ess_emploi_salarie"]
    assert set(series.shown_series(share)["source_id"]) == {"insee_itdd"}
    cress = share[share["source_id"] == "cress_hdf_panorama_abherve"]
    assert cress[["period", "value_territory", "value_region", "value_france"]].values.tolist() \
        == [["2020", 12.0, 10.8, 10.2]]
    assert not cress["displayed"].any()


def test_region_map_of_undated_figures_is_not_offered(con):
    """Period 'nd' used to put 7 regions from 5 publications on one colour scale; periods 2021
    and 2013 mixed 3 and 2 producers."""
    ind = load_registry(con).get("part_ess_emploi_salarie")
    offers, _ = territory.offers(con, ind, "region")
    assert "nd" not in set(offers["period"])
    for period in ("2021", "2013"):
        here = offers[offers["period"] == period]
        assert len(here) > 1 and (here["n_sources"] == len(here)).all()
        for source_id in here["source_id"]:
            values = territory.map_values(con, ind, "region", period, source_id=source_id)
            assert set(values["source_id"].dropna()) == {source_id}


def test_every_deck_chart_and_workbook_row_is_one_series(con, places):
    for level, code in places:
        d = deck.load(con, level, code)
        for chart in d.charts:
            one_series(chart.rows)
        book = openpyxl.load_workbook(io.BytesIO(deck.to_xlsx(d)))
        sheet = book["Chiffres publiés"]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert "Parmi N territoires publiés par la source" in header
        assert "Rang (calcul du projet)" in header
        source = header.index("Identifiant source")
        assert all(row[source] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_key_message_figures_come_from_the_displayed_series(con, places):
    for level, code in places[:30]:
        profile = db.run_query(con, "territory_profile", level=level, code=code)
        share = profile[profile["indicator_id"] == "part_ess_emploi_salarie"]
        shown = series.shown_series(share)
        if len(shown):
            one_series(shown)
            assert shown["source_order"].iloc[0] == share["source_order"].min()


SELECTING = [r"default_source", r"is_default_source", r"source_order",
             r"\[\s*[\"']source_id[\"']\s*\]\s*==", r"sort_values\(\s*[\"']source"]


def test_no_page_ui_module_or_export_selects_a_source_by_itself():
    files = [*Path(ROOT, "pages").glob("*.py"), *Path(ROOT, "ui").glob("*.py"),
             *Path(ROOT, "ess_data", "export").glob("*.py"), Path(ROOT, "ess_data", "views.py")]
    found = [(f.name, p) for f in files for p in SELECTING
             if re.search(p, f.read_text(encoding="utf-8"))]
    assert len(files) > 15 and found == []
