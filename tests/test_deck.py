"""A region's deck read back with python-pptx (issue 14): every content slide's title is its
finding (the territory's name and a number), every slide has speaker notes naming a source, the
map shows the region's departments, the ranking lists all of them in order with France and the
region as references (one source, one period), no chart draws a single bar, a slide gives DLA
and PTCE for the region, and rural vs rest says plainly when no source publishes it.

Run on the shipped warehouse; the expected figures are read from the warehouse through the
functions that decide what is shown (territory.offers, map_values), so the checks hold whatever
series the views pick, while the arithmetic of the titles is checked from the numbers they print.
"""
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from pptx import Presentation

from ess_data import db
from ess_data.export import deck
from ess_data.registry import ESS_SHARE, load_registry
from ess_data.territory import map_values, offers, parse_zone

DAY = date(2026, 11, 27)
NB = "\u00a0"
FRAME = ("title", "text")  # the title slide, key points, definitions, sources: not findings


@pytest.fixture(scope="module")
def occitanie(real_db):
    con = db.connect(real_db)
    content = deck.load(con, "region", "76", DAY)
    prs = Presentation(io.BytesIO(deck.to_pptx(content, map_png=_PNG)))
    yield con, content, prs
    con.close()


# a 1x1 PNG: the map picture is not under test here (test_export renders the real one)
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _texts(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(NB, "").replace(",", "."))


def test_titles_are_findings(occitanie):
    _, content, prs = occitanie
    specs = deck.slides(content)
    assert [s.shapes.title.text for s in prs.slides] == [s.title for s in specs]
    kinds = [s.kind for s in specs]
    assert kinds[:2] == ["title", "key"]
    assert {"map", "ranking", "rural", "support"} <= set(kinds)
    for spec in specs:
        if spec.kind not in FRAME:
            assert spec.title.startswith("Occitanie : "), spec.title
            assert re.search(r"\d", spec.title), spec.title


def test_share_title_gap_from_the_rounded_values(occitanie):
    _, content, _ = occitanie
    title = deck.key_figures_title(content)
    found = re.fullmatch(r"Occitanie : l'ESS pèse (\d+,\d)\xa0% de l'emploi salarié en (\d{4}), "
                         r"(\d+,\d) points? de (plus|moins) qu'en (France.*)", title)
    assert found, title
    share, _, gap, sign, france = found.groups()
    last = content.ess_share().rows.query("period != 'nd'").iloc[-1]
    assert _number(share) == round(Decimal(str(last["value_territory"])), 1)
    fr = round(Decimal(str(last["value_france"])), 1)
    assert _number(gap) == abs(_number(share) - fr)  # from the values as shown
    assert sign == ("plus" if _number(share) > fr else "moins")
    assert france == last["france_name"]


def test_every_slide_has_notes_naming_a_source(occitanie):
    _, content, prs = occitanie
    publishers = set(content.sources.iloc[:, 1])
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert "Source" in notes, slide.shapes.title.text
        assert any(p in notes for p in publishers), slide.shapes.title.text


def test_map_shows_the_regions_departments(occitanie):
    con, content, _ = occitanie
    deps = db.run_query(con, "territory_list", level="departement", region_code="76")
    assert len(deps) == 13
    assert set(content.map_values["code"]) == set(deps["code"])  # what the map draws
    assert content.map_values["value"].notna().all()


def test_ranking_lists_all_13_departments_in_order_with_references(occitanie):
    con, content, prs = occitanie
    ind = load_registry(con).get(ESS_SHARE)
    _, (period, source_id) = offers(con, ind, "departement")  # the map's series
    expected = map_values(con, ind, "departement", period, parse_zone("region-76"),
                          source_id=source_id)
    assert expected["value"].notna().sum() == 13
    kinds = [s.kind for s in deck.slides(content)]
    slide = prs.slides[kinds.index("ranking")]
    (chart,) = [sh.chart for sh in slide.shapes if sh.has_chart]
    plot = chart.plots[0]
    (series,) = plot.series  # one source, one period: one series
    names, values = list(plot.categories), list(series.values)
    assert values == sorted(values, reverse=True)
    deps = {n: v for n, v in zip(names, values) if n in set(expected["name"])}
    assert deps == dict(zip(expected["name"], expected["value"]))
    assert len(names) == 15  # 13 departments, the region and France
    refs = [n for n in names if n not in deps]
    france = content.departments.france()
    assert refs == sorted(["Occitanie (région)", france],
                          key=lambda n: -values[names.index(n)])
    # the references come from the same source and period as the departments
    prof = db.run_query(con, "territory_profile", level="region", code="76")
    same = prof[(prof["indicator_id"] == ESS_SHARE) & (prof["source_id"] == source_id)
                & (prof["period"] == period)]
    assert values[names.index("Occitanie (région)")] == same["value_territory"].iloc[0]
    assert values[names.index(france)] == same["value_france"].iloc[0]
    assert chart.category_axis.reverse_order  # the highest at the top
    note = _texts(slide)
    assert expected["source_publisher"].iloc[0] in note and "calcul du projet" in note


def test_no_chart_draws_a_single_bar(occitanie):
    _, content, prs = occitanie
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                bars = [v for s in shape.chart.plots[0].series for v in s.values
                        if v is not None]
                assert len(bars) >= 2, slide.shapes.title.text
    assert all(deck.n_bars(c) >= 2 for c in content.charts)
    assert all(deck.n_bars(c) == 1 for c in content.lone)


def test_lone_figures_are_big_numbers_with_their_source(occitanie):
    _, content, prs = occitanie
    kinds = [s.kind for s in deck.slides(content)]
    if "lone" not in kinds:
        pytest.skip("every figure published for Occitanie has a comparison")
    slide = prs.slides[kinds.index("lone")]
    text = _texts(slide)
    for big in deck.lone_numbers(content):
        assert big.value in text and big.note in text and big.note.startswith("Source")
    assert not any(sh.has_chart for sh in slide.shapes)


def test_dla_and_ptce_for_the_region(occitanie):
    con, content, prs = occitanie
    kinds = [s.kind for s in deck.slides(content)]
    slide = prs.slides[kinds.index("support")]
    text = _texts(slide)
    obs = db.run_query(con, "theme_observations", theme="ptce")
    mine = obs[(obs["territory_level"] == "region") & (obs["territory_code"] == "76")
               & obs["displayed"].astype(bool)]
    assert len(mine)  # CRESS Occitanie's PTCE laureates
    for value, publisher in zip(mine["value"], mine["source_publisher"]):
        assert f"{value:.0f}" in text and publisher in text
    assert "PTCE" in slide.shapes.title.text and "DLA" in slide.shapes.title.text
    assert "DLA" in text


def test_rural_slide_says_plainly_none_is_published_and_gives_the_national_reference(occitanie):
    _, content, prs = occitanie
    assert content.story.regional.empty  # no source publishes Occitanie's rural part
    kinds = [s.kind for s in deck.slides(content)]
    slide = prs.slides[kinds.index("rural")]
    assert slide.shapes.title.text.startswith("Occitanie : aucun chiffre publié sur son rural ; "
                                              "en France, l'ESS pèse ")
    text = _texts(slide)
    assert "aucune source du tableau de bord ne la publie" in text
    nat = content.story.national
    assert list(nat["territory_level"]) == ["rural", "hors_rural"]
    assert nat["source_id"].nunique() == 1 and nat["period"].nunique() == 1  # one pair
    assert nat["territory_name_fr"].iloc[0] in text  # its definition of rural
    (chart,) = [sh.chart for sh in slide.shapes if sh.has_chart]
    assert list(chart.plots[0].series[0].values) == nat["value"].tolist()


def test_department_deck_ranks_it_among_its_regions_departments(real_con):
    content = deck.load(real_con, "departement", "48", DAY)
    titles = {s.kind: s.title for s in deck.slides(content)}
    assert re.fullmatch(r"Lozère \(48\) : \d+(er|e) des 13 départements de la région Occitanie "
                        r"pour la part de l'ESS en \d{4}", titles["ranking"])
    assert re.fullmatch(r"Lozère \(48\) : \d+(er|e) des \d+ départements pour la part de l'ESS "
                        r"dans l'emploi salarié \(\d+,\d\xa0% en \d{4}\)", titles["map"])
    rows = deck.ranking_rows(content)
    assert [k for _, _, k in rows].count("territory") == 1  # Lozère, highlighted
    assert "(région Occitanie)" in titles["support"]  # its region's PTCE, said so


def test_english_deck_titles(real_con):
    content = deck.load(real_con, "region", "76", DAY, lang="en")
    titles = {s.kind: s.title for s in deck.slides(content)}
    assert titles["key"].startswith("Occitanie: the ESS accounts for ")
    assert titles["rural"].startswith("Occitanie: no figure published for its rural areas; ")
    assert "departments out of 13 above the share in" in titles["ranking"]


def test_xlsx_holds_the_ranking_figures(occitanie):
    from openpyxl import load_workbook
    _, content, _ = occitanie
    wb = load_workbook(io.BytesIO(deck.to_xlsx(content)))
    assert wb.sheetnames == ["Chiffres clés", "Chiffres publiés", "Départements de la région",
                             "Ruralité (approximation)", "Sources"]
    rows = [[c.value for c in r] for r in wb["Départements de la région"].iter_rows(min_row=2)]
    expected = deck.ranking_rows(content)
    assert [r[0] for r in rows] == [n for n, _, _ in expected]
    assert [r[1] for r in rows] == pytest.approx([v for _, v, _ in expected], rel=1e-12)
    ranks = [r[2] for r in rows if r[2] is not None]
    assert ranks == list(range(1, 14))  # the 13 departments, highest first
    assert {r[3] for r in rows} == {content.departments.period}
