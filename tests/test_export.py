"""Exports opened back and checked: charts (PNG/SVG/PDF), tables (CSV/XLSX), decks, CLI.

Charts and PDF decks are rendered by the real engine (kaleido + Debian's Chromium, which
`make test` installs); everything else needs no browser.
"""
import io
import math
import struct
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from ess_data import db, figures
from ess_data.__main__ import main
from ess_data.export import ExportUnavailable, charts, deck, slug, tables
from ess_data.registry import load_registry

DAY = date(2026, 11, 27)
NB = "\u00a0"
EXTRACTED = "Extrait le 27/11/2026"


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture()
def lozere_bars(fixture_con):
    reg = load_registry(fixture_con)
    prof = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    return figures.compare_bars(prof.sort_values("period"), reg.get("part_ess_emploi_salarie"),
                                "Lozère")


# --- charts ---------------------------------------------------------------------------------

def test_for_export_adds_the_extraction_date_under_the_source(lozere_bars):
    before = lozere_bars.to_dict()["layout"]
    spec = charts.for_export(lozere_bars, DAY)
    note = spec["layout"]["annotations"][-1]["text"]
    assert note.endswith("<br>Extrait le 27/11/2026 du tableau de bord « L'ESS dans l'emploi "
                         "des territoires ruraux ».")
    assert note.startswith("Source : Éditeur B, Indicateurs fictifs B (données de test) (2017)")
    assert spec["layout"]["height"] == before["height"] + 15
    assert spec["layout"]["margin"]["b"] == before["margin"]["b"] + 15
    assert lozere_bars.layout.annotations[-1].text == before["annotations"][-1]["text"]  # a copy


def test_png_is_high_resolution_with_its_note(lozere_bars):
    png = charts.to_image(lozere_bars, "png", DAY)
    assert _png_size(png) == (1100 * 2, (lozere_bars.layout.height + 15) * 2)


def test_svg_and_pdf_carry_title_source_year_and_date(lozere_bars):
    svg = charts.to_image(lozere_bars, "svg", DAY).decode()
    assert svg.startswith("<svg")
    for text in ("Part de l'ESS dans l'emploi salarié", "Éditeur B", "données 2008, 2014",
                 EXTRACTED):
        assert text.replace("'", "&#39;") in svg or text in svg
    pdf = charts.to_image(lozere_bars, "pdf", DAY)
    text = _pdf_text(pdf)
    assert "Part de l'ESS dans l'emploi salarié" in text
    assert "Éditeur B, Indicateurs fictifs B" in text and EXTRACTED in text


def test_no_chromium_gives_a_french_reason(monkeypatch, lozere_bars):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert charts.chromium_path() is None
    with pytest.raises(ExportUnavailable, match="^export serveur indisponible : le navigateur"):
        charts.to_image(lozere_bars, "png", DAY)
    monkeypatch.delenv("BROWSER_PATH")
    assert charts.unavailable_reason() is None  # Debian's chromium is on PATH here


def test_unknown_format_is_refused(lozere_bars):
    with pytest.raises(ValueError, match="Format inconnu"):
        charts.to_image(lozere_bars, "gif", DAY)


# --- tables ---------------------------------------------------------------------------------

@pytest.fixture()
def obs(fixture_con):
    return db.run_query(fixture_con, "observations",
                        indicator_ids=["part_ess_emploi_salarie", "effectifs_salaries_ess"],
                        levels=["france", "departement"])


def test_french_csv_parses_back_with_semicolon_and_comma(obs):
    raw = tables.csv_fr(tables.observations_frame(obs))
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert b"\r\n" in raw
    back = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    assert list(back.columns[:8]) == ["Indicateur", "Niveau", "Code territoire", "Territoire",
                                      "Détail", "Période", "Précision", "Valeur"]
    assert "_decimals" not in back.columns
    lozere = back[back["Code territoire"] == "48"]
    assert lozere["Valeur"].tolist() == ["25,1", "27,9"]  # stored 27.8697: as on screen
    assert lozere["Unité"].tolist() == ["%", "%"]
    assert "Valeur non arrondie" not in back.columns  # the stored value: in the XLSX only
    assert back.loc[back["Indicateur"] == "Salariés de l'ESS", "Valeur"].tolist() == [
        "2370000", "2380000"]  # no thousands separator: Excel reads a number
    numbers = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    assert numbers["Valeur"].tolist() == _shown(obs)


def _shown(obs) -> list[float]:
    """The values as the screen writes them (fmt.number), read back as numbers."""
    from ess_data import fmt
    return [float(fmt.number(v, d).replace(NB, "").replace("\u202f", "").replace(",", "."))
            for v, d in zip(obs["value"], obs["decimals"])]


def test_csv_values_are_those_shown_on_screen(obs):
    """Every value of a CSV reads as fmt.value writes it on screen (indicator's decimals, half
    up), never with the stored value's extra digits."""
    from ess_data import fmt
    back = pd.read_csv(io.BytesIO(tables.csv_fr(tables.observations_frame(obs))), sep=";",
                       encoding="utf-8-sig", dtype=str)
    shown = [fmt.number(v, d).replace(NB, "").replace("\u202f", "")
             for v, d in zip(obs["value"], obs["decimals"])]
    assert back["Valeur"].tolist() == shown
    assert max(len(v.partition(",")[2]) for v in back["Valeur"]) == max(obs["decimals"])


def test_rounding_is_half_up_like_the_screen():
    assert tables.rounded(27.85, 1) == 27.9  # binary 27.85 is 27.8499...: round() gives 27.8
    assert tables.rounded(27.86972990777339, 1) == 27.9
    assert tables.rounded(2.5, 0) == 3.0 and tables.rounded(12.25, 1) == 12.3
    assert math.isnan(tables.rounded(float("nan"), 1)) and math.isnan(tables.rounded(None, 1))


def test_international_csv(obs):
    raw = tables.csv_intl(tables.observations_frame(obs))
    assert not raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw))
    assert back.loc[back["Code territoire"].astype(str) == "48", "Valeur"].tolist() == [25.1,
                                                                                          27.9]
    assert back["Valeur"].tolist() == _shown(obs)
    assert back["Source"].iloc[0] == "Éditeur A, Étude fictive A (données de test)"


def test_xlsx_numbers_frozen_header_and_sources(obs, fixture_con):
    raw = tables.observations_xlsx(obs, db.run_query(fixture_con, "sources"), DAY)
    wb = load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["Données", "Sources"]
    ws = wb["Données"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    col = header.index("Valeur") + 1
    values = [ws.cell(row=i, column=col).value for i in range(2, ws.max_row + 1)]
    assert values == _shown(obs)
    assert 27.9 in values and 27.8697 not in values  # the number shown, stored as a number
    assert ws.cell(row=2, column=col).number_format == "#,##0"          # count, 0 decimals
    assert ws.cell(row=ws.max_row, column=col).number_format == "#,##0.0"  # percent, 1
    # the stored value, all its digits, in the one column that says so, right after the unit
    raw_col = header.index("Valeur non arrondie") + 1
    assert header[raw_col - 2] == "Unité"
    assert [ws.cell(row=i, column=raw_col).value for i in range(2, ws.max_row + 1)] == obs[
        "value"].tolist()
    assert ws.cell(row=ws.max_row, column=raw_col).number_format == "General"
    src = wb["Sources"]
    assert [c.value for c in src[1]] == ["Source", "Éditeur", "Date de publication", "Adresse",
                                         "Licence", "Identifiant"]
    rows = [[c.value for c in r] for r in src.iter_rows(min_row=2)]
    assert rows[0] == ["Étude fictive A (données de test)", "Éditeur A", "2019-06",
                       "https://example.invalid/a", "Licence Ouverte 2.0", "src_a"]
    assert rows[1][0] == "Indicateurs fictifs B (données de test)" and rows[1][5] == "src_b"
    assert rows[-1] == [f"{EXTRACTED} du tableau de bord « L'ESS dans l'emploi des territoires "
                        "ruraux ».", None, None, None, None, None]


def test_slug():
    assert slug("Provence-Alpes-Côte d'Azur") == "provence-alpes-cote-d-azur"
    assert slug("Île-de-France") == "ile-de-france"


# --- territory deck -------------------------------------------------------------------------

@pytest.fixture()
def lozere(fixture_con):
    return deck.load(fixture_con, "departement", "48", DAY)


def test_deck_content_from_the_warehouse(lozere, fixture_con):
    # every content slide's title is its finding, from the values as shown (the DLA carriers
    # named depend on the bundled lists: checked apart)
    titles = deck.slide_titles(lozere)
    assert titles[5].startswith("Lozère (48) : aucun chiffre PTCE publié pour la région ; ")
    titles[5] = "DLA and PTCE"
    assert titles == [
        "Lozère (48)",
        f"Lozère (48) : l'ESS pèse 27,9{NB}% de l'emploi salarié en 2014, 17,4 points de plus "
        "qu'en France hors Mayotte",
        f"Lozère (48) : part de l'ESS dans l'emploi salarié, de 25,1{NB}% en 2008 à 27,9{NB}% "
        "en 2014 (+2,8 points)",
        f"Lozère (48) : 1er des 3 départements pour la part de l'ESS dans l'emploi salarié "
        f"(27,9{NB}% en 2014)",
        f"Lozère (48) : aucun chiffre publié sur son rural ; en France, l'ESS pèse 13,8{NB}% de "
        f"l'emploi salarié rural contre 10,5{NB}% ailleurs en 2015",
        "DLA and PTCE", "À retenir — Lozère (48)", "Définitions", "Sources"]
    assert lozere.messages[2].startswith(  # the profile page's key messages
        f"L'ESS y représente 27,9{NB}% de l'emploi salarié en 2014 (Éditeur B), au 1er rang")
    assert deck.key_figures(lozere) == [
        (f"11{NB}000", "habitants (population municipale 2022)"),
        ("611,1", "habitants par km²"),
        (f"0,9{NB}%", "de la population en commune rurale (approximation)"),
        ("1 sur 3", "communes rurales (approximation)")]
    assert deck.ess_share_table(lozere) == [
        ["", "2008", "2014"], ["Lozère", f"25,1{NB}%", f"27,9{NB}%"],
        ["Occitanie", f"11,0{NB}%", f"12,3{NB}%"], ["France hors Mayotte", "n.d.", f"10,5{NB}%"]]
    # src_a: the national rural vs rest reference of the rural slide
    assert lozere.sources["Identifiant"].tolist() == [
        "src_b", "calcul_projet", "src_a", "insee_populations_legales_2023",
        "calcul_projet_territoires"]


def test_unknown_territory_is_refused(fixture_con):
    with pytest.raises(deck.UnknownTerritory, match="Aucun territoire de niveau « region » "
                                                    "n'a le code « 99 »"):
        deck.load(fixture_con, "region", "99")
    with pytest.raises(deck.UnknownTerritory, match="Niveau inconnu"):
        deck.load(fixture_con, "commune", "48001")


def test_pptx_native_charts_hold_the_warehouse_values(lozere, fixture_con):
    prs = Presentation(io.BytesIO(deck.to_pptx(lozere)))
    assert (prs.slide_width, prs.slide_height) == (12191695, 6858000)  # 16:9
    slides = list(prs.slides)
    assert [s.shapes.title.text for s in slides] == deck.slide_titles(lozere)
    texts = "\n".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert f"11{NB}000" in texts and f"0,9{NB}%" in texts and EXTRACTED in texts
    charts_ = [sh.chart for sh in slides[2].shapes if sh.has_chart]
    assert len(charts_) == 1
    plot = charts_[0].plots[0]
    assert list(plot.categories) == ["2008", "2014"]
    prof = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    prof = prof.sort_values("period")
    assert [s.name for s in plot.series] == ["Lozère", "Occitanie", "France hors Mayotte"]
    assert list(plot.series[0].values) == prof["value_territory"].tolist() == [25.1, 27.8697]
    assert list(plot.series[1].values) == prof["value_region"].tolist()
    assert list(plot.series[2].values) == [None, 10.5]
    assert plot.data_labels.number_format == '#,##0.0"\u00a0%"'
    kinds = [spec.kind for spec in deck.slides(lozere)]
    pictures = [sh for sh in slides[kinds.index("map")].shapes
                if sh.shape_type == 13]  # the map, a PNG
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    retenir = "\n".join(sh.text_frame.text for sh in slides[-3].shapes if sh.has_text_frame)
    assert "Lozère compte 11" in retenir
    sources = "\n".join(sh.text_frame.text for sh in slides[-1].shapes if sh.has_text_frame)
    assert "Éditeur B, Indicateurs fictifs B (données de test) (2017)" in sources
    assert "Insee, Populations légales (test) (2025) — licence : Licence Ouverte 2.0" in sources


def test_pptx_without_chromium_keeps_its_native_charts(lozere, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    prs = Presentation(io.BytesIO(deck.to_pptx(lozere)))
    assert [s.shapes.title.text for s in prs.slides] == deck.slide_titles(lozere)
    assert any(sh.has_chart for sh in prs.slides[2].shapes)
    texts = [sh.text_frame.text for sh in prs.slides[3].shapes if sh.has_text_frame]
    assert texts[1].startswith("Carte non incluse : export serveur indisponible : le navigateur")
    with pytest.raises(ExportUnavailable):
        deck.to_pdf(lozere)


def test_pdf_deck_has_one_page_per_slide_and_its_sources(lozere):
    pdf = deck.to_pdf(lozere)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(deck.slide_titles(lozere))
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == [960.0, 540.0]
    text = _pdf_text(pdf)
    for expected in ("Lozère (48) : l'ESS pèse 27,9", "Éditeur B, Indicateurs fictifs B",
                     "Populations légales (test)", EXTRACTED, "27,9 %"):
        assert expected.replace(NB, " ") in text.replace(NB, " ")


def test_xlsx_deck_values_and_sources(lozere):
    wb = load_workbook(io.BytesIO(deck.to_xlsx(lozere)))
    assert wb.sheetnames == ["Chiffres clés", "Chiffres publiés", "Ruralité (approximation)",
                             "Sources"]
    keys = {r[0].value: r[1].value for r in wb["Chiffres clés"].iter_rows(min_row=2)}
    assert keys["Population municipale 2022"] == 11000
    assert keys["Densité (hab./km²)"] == pytest.approx(611.1111111111111)
    assert keys["Communes rurales (approximation)"] == 1
    pub = wb["Chiffres publiés"]
    header = [c.value for c in pub[1]]
    assert header[:7] == ["Indicateur", "Période", "Détail", "Précision", "Lozère", "Région",
                          "France"]
    rows = [[c.value for c in r] for r in pub.iter_rows(min_row=2)]
    assert [(r[1], r[4], r[5], r[6]) for r in rows] == [("2014", 27.8697, 12.25, 10.5),
                                                        ("2008", 25.1, 11.0, None)]
    assert pub.freeze_panes == "A2"
    assert pub["E2"].number_format == "#,##0.0"  # the indicator's one decimal
    assert "_decimals" not in header
    ids = [r[5].value for r in wb["Sources"].iter_rows(min_row=2) if r[5].value]
    assert ids == ["src_b", "calcul_projet", "src_a", "insee_populations_legales_2023",
                   "calcul_projet_territoires"]


def test_real_bretagne_deck(real_con):
    bretagne = deck.load(real_con, "region", "53", DAY)
    prs = Presentation(io.BytesIO(deck.to_pptx(bretagne)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "Bretagne" and titles[1].startswith("Bretagne : l'ESS pèse ")
    assert titles[2].startswith("Bretagne : part de l'ESS dans l'emploi salarié, de ")
    assert titles[3].startswith("Bretagne : la part de l'ESS dans l'emploi salarié va de ")
    assert titles[-1].startswith("Sources")
    # the region's own departments on its map, one series; every slide has speaker notes
    assert set(bretagne.map_values["code"]) == {"22", "29", "35", "56"}
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in prs.slides)
    key_points = next(s for s in prs.slides if s.shapes.title.text.startswith("À retenir"))
    sizes = {r.font.size.pt for sh in key_points.shapes if sh.has_text_frame and sh != key_points
             .shapes.title for p in sh.text_frame.paragraphs for r in p.runs if r.font.size}
    assert sizes == {20.0}
    plot = next(sh.chart for sh in prs.slides[2].shapes if sh.has_chart).plots[0]
    prof = db.run_query(real_con, "territory_profile", level="region", code="53")
    itdd = prof[(prof["indicator_id"] == "part_ess_emploi_salarie")
                & (prof["source_id"] == "insee_itdd")].sort_values("period")
    assert list(plot.categories) == ["2008", "2014"]
    assert list(plot.series[0].values) == itdd["value_territory"].tolist()
    assert list(plot.series[1].values) == itdd["value_france"].tolist()
    assert plot.series[1].name == "France hors Mayotte"


# --- command line ---------------------------------------------------------------------------

def test_cli_writes_one_deck(fixture_db, tmp_path, capsys):
    out = tmp_path / "lozere.xlsx"
    assert main(["export", "--niveau", "departement", "--code", "48", "--format", "xlsx",
                 "--out", str(out), "--db", str(fixture_db)]) == 0
    assert load_workbook(out).sheetnames[-1] == "Sources"
    assert f"Écrit : {out}" in capsys.readouterr().out


def test_cli_all_regions_one_file_each(fixture_db, tmp_path):
    assert main(["export", "--toutes-regions", "--format", "xlsx", "--out", str(tmp_path / "d"),
                 "--db", str(fixture_db)]) == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [
        "76-occitanie.xlsx", "84-auvergne-rhone-alpes.xlsx"]


def test_cli_unknown_code_exits_1_in_french(fixture_db, tmp_path, capsys):
    assert main(["export", "--code", "99", "--out", str(tmp_path / "x.pptx"),
                 "--db", str(fixture_db)]) == 1
    assert ("Export impossible : Aucun territoire de niveau « region » n'a le code « 99 »"
            in capsys.readouterr().err)
    assert not (tmp_path / "x.pptx").exists()
    assert main(["export", "--code", "53", "--out", str(tmp_path / "x.pptx"),
                 "--db", str(tmp_path / "absent.duckdb")]) == 1
    assert "Entrepôt introuvable" in capsys.readouterr().err
