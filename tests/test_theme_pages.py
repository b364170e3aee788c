"""/dla and /ptce draw one series per time axis, name the territory of rows that are not
national, and say when a year is implied: on a warehouse holding the real DLA and PTCE figures
(ess_data/seed) beside the fixture's territories (Occitanie is region 76 in both)."""
import re

import pandas as pd
import pytest

from ess_data import db, theme
from ess_data.build import build
from ess_data.config import SEED_DIR
from ess_data.registry import load_registry
from tests.conftest import FIXTURES, charts_sent, open_page

THEMES = ("dla", "ptce")
SINGLE_YEAR = re.compile(r"\d{4}( \(année déduite\)| \(implied year\))?")


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _theme_seed(out):
    """The fixture seed with its DLA and PTCE indicators replaced by the real seed's (their
    observations, sources, breakdown labels and source precedence)."""
    real = {p.stem: _read(p) for p in SEED_DIR.glob("*.csv")}
    ids = set(real["indicators"].loc[real["indicators"]["theme"].isin(THEMES), "indicator_id"])
    out.mkdir()
    for path in (FIXTURES / "seed").glob("*.csv"):
        df, extra = _read(path), real.get(path.stem)
        if "indicator_id" in df.columns and extra is not None:
            df = pd.concat([df[~df["indicator_id"].isin(ids)],
                            extra[extra["indicator_id"].isin(ids)][df.columns]])
        elif path.stem == "sources":
            df = pd.concat([df, extra[~extra["source_id"].isin(df["source_id"])][df.columns]])
        elif path.stem == "breakdowns":
            known = set(zip(df["breakdown"], df["breakdown_value"]))
            new = [k not in known for k in zip(extra["breakdown"], extra["breakdown_value"])]
            df = pd.concat([df, extra[new][df.columns]])
        df.to_csv(out / path.name, index=False, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def theme_db(tmp_path_factory, fixture_reference):
    tmp = tmp_path_factory.mktemp("theme")
    path = tmp / "data" / "theme.duckdb"
    build(path, _theme_seed(tmp / "seed"), fixture_reference)
    return path


@pytest.fixture()
def con(theme_db):
    c = db.connect(theme_db)
    yield c
    c.close()


@pytest.fixture()
def page(theme_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(theme_db))
    return open_page


def _charts(at) -> list[dict]:
    return charts_sent(at)


def _frame(at, column: str) -> pd.DataFrame:
    return [d.value for d in at.dataframe if column in d.value.columns][0]


def _check_one_series(spec: dict) -> None:
    """A chart as sent to the browser draws one source; a vertical (time) axis holds distinct
    single years only; a horizontal (breakdown) chart one period, in its title."""
    source = spec["layout"]["meta"]["source"]
    assert source.startswith(("Source : ", "Source: ")), source  # not "Sources :"
    assert len(spec["data"]) == 1, [tr.get("name") for tr in spec["data"]]
    (trace,) = spec["data"]
    if trace.get("orientation") != "h":
        assert all(SINGLE_YEAR.fullmatch(x) for x in trace["x"]), trace["x"]
        assert len(set(trace["x"])) == len(trace["x"]) >= 2


def test_ptce_table_names_the_territory_of_each_row(page):
    at = page("ptce")
    table = _frame(at, "Période")
    assert "Territoire" in table.columns
    phase1 = table[table["Indicateur"] == "Lauréats de phase 1 de l'AMI PTCE"]
    assert phase1[["Territoire", "Valeur"]].values.tolist() == [["France", "107"],
                                                               ["Occitanie", "8"]]
    english = _frame(page("ptce", lang="en"), "Period")
    assert "Occitanie" in english["Territory"].tolist()


def test_tables_without_regional_rows_keep_no_territory_column(con):
    obs = db.run_query(con, "theme_observations", theme="dla")
    assert theme.is_national(obs).all()
    assert "Territoire" not in theme.table(obs).columns
    ptce = db.run_query(con, "theme_observations", theme="ptce")
    assert set(theme.table(ptce)["Territoire"]) == {"France", "Occitanie"}


def test_every_chart_of_the_pages_draws_one_series(page):
    dla, ptce = page("dla"), page("ptce")
    for spec in _charts(dla) + _charts(ptce):
        _check_one_series(spec)
    series = [s for s in _charts(dla) if s["data"][0].get("orientation") != "h"]
    # 2004-2006 (Igas), 2014 (Opale, a broader count) and each year of another source are off
    # the axis: one source gives two years, 2009 and 2010
    assert [(s["layout"]["title"]["text"], s["data"][0]["x"]) for s in series] == [
        ("Structures accompagnées par le DLA", ["2009", "2010"])]
    assert series[0]["layout"]["meta"]["source"].startswith("Source : ESS et Société")
    assert "données 2009, 2010." in series[0]["layout"]["meta"]["source"]
    assert [s["layout"]["title"]["text"] for s in _charts(ptce)] == [
        "PTCE lauréats soutenus par l'État (cumul)"]


@pytest.mark.parametrize("name", THEMES)
def test_builders_give_one_series_per_time_axis(con, name):
    reg = load_registry(con)
    obs = db.run_query(con, "theme_observations", theme=name)
    for rows in theme.time_series(obs):
        assert len(rows[theme.SERIES].drop_duplicates()) == 1
        assert set(rows["period"].map(theme.period_kind)) == {"year"}
        fig = theme.series_bars(rows, reg.get(rows["indicator_id"].iloc[0])).to_dict()
        _check_one_series(fig)
        assert fig["layout"]["meta"]["source"].startswith(
            f"Source : {rows['source_publisher'].iloc[0]},")
    for rows in theme.cross_sections(obs):
        assert len(rows[theme.CROSS_SECTION].drop_duplicates()) == 1
        _check_one_series(theme.breakdown_bars(rows, reg.get(rows["indicator_id"].iloc[0]))
                          .to_dict())


def test_builders_refuse_two_series_or_a_range_on_one_axis(con):
    reg = load_registry(con)
    obs = db.run_query(con, "theme_observations", theme="dla")
    ind = reg.get("dla_structures_accompagnees")
    rows = obs[obs["indicator_id"] == ind.indicator_id]
    with pytest.raises(ValueError):  # six sources
        theme.series_bars(rows, ind)
    igas = rows[rows["source_id"] == "igas_dla_2012_bdt"]
    with pytest.raises(ValueError):  # 2004-2006 beside 2009 (as if one source gave both)
        theme.series_bars(pd.concat([igas.assign(source_id="essetsociete_dla_2010"),
                                     rows[rows["source_id"] == "essetsociete_dla_2010"]]), ind)
    assert theme.period_kind("2004-2006") == "range" and theme.period_kind("2021-") == "open"
    assert theme.period_kind("nd") == "nd" and theme.period_kind("2024-06-30") == "date"


def test_an_implied_year_is_labelled_on_the_chart_and_in_the_table(page):
    at = page("ptce")
    (chart,) = _charts(at)
    assert chart["data"][0]["x"] == ["2021 (année déduite)", "2024"]
    assert chart["data"][0]["text"] == ["56", "210"]
    assert chart["layout"]["meta"]["source"].endswith("; données 2021 (année déduite), 2024.")
    table = _frame(at, "Période")
    cumul = table[table["Indicateur"] == "PTCE lauréats soutenus par l'État (cumul)"]
    assert cumul[["Valeur", "Période"]].values.tolist() == [["56", "2021 (année déduite)"],
                                                           ["210", "2024"]]
    calls = table[table["Indicateur"] == "Candidatures à l'AMI PTCE"]
    assert calls["Période"].tolist() == ["2021", "2023", "2025"]  # dated by their sources
    assert any(c.value.startswith("« Année déduite » :") for c in at.caption)
    english = page("ptce", lang="en")
    assert _charts(english)[0]["data"][0]["x"] == ["2021 (implied year)", "2024"]
    assert "2021 (implied year)" in _frame(english, "Period")["Period"].tolist()


def test_implied_years_are_read_from_the_note(con):
    obs = db.run_query(con, "theme_observations", theme="ptce")
    implied = obs[theme.is_implied(obs)]
    assert implied[["indicator_id", "period", "value"]].values.tolist() == [
        ["ptce_laureats", "2021", 56.0]]
    dla = db.run_query(con, "theme_observations", theme="dla")
    assert not theme.is_implied(dla).any() and theme.implied_note(dla) == ""
