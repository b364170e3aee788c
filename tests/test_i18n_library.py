"""The library in English: figures, tables, key messages, decks and the export command.

French stays the default (the other test files check it word for word); here every text a
function writes with `lang="en"` is English, with English number formatting, and no French
interface word is left (published titles, publishers and names stay as published).
"""
import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from ess_data import classify, db, figures, fmt, mapview, profile, search, territory, views
from ess_data.__main__ import main
from ess_data.export import charts, deck, extraction_line, tables
from ess_data.registry import MICRO_SHARE, RURAL_SHARES, level_label, load_registry

DAY = date(2026, 11, 27)
NB = "\u00a0"
EXTRACTED = ("Extracted on 27 November 2026 from the dashboard “The social and solidarity "
             "economy (ESS) in rural employment”.")
# French interface words and punctuation that must not appear in English output (none of
# them is in the fixture's published titles or names).
FRENCH = ("Source :", "Sources :", " : ", " ; ", "À retenir", "Chiffres", "Extrait le",
          "Définitions", "habitants", "Carte", "Population légale", "(suite)", "Rural :",
          "Valeur", "Période", "Territoire", "Données", "Graphique", "n.d.", "fois", "rang",
          "Identifiant", "Licence :", "licence :", "oui", "Région", "communes")


def _french_left(text: str) -> list[str]:
    """The French words of FRENCH in `text` (whole words: `habitants` is not `inhabitants`)."""
    return [w for w in FRENCH if re.search(rf"(?<!\w){re.escape(w)}", text)]


@pytest.fixture()
def reg(fixture_con):
    return load_registry(fixture_con)


@pytest.fixture()
def lozere_en(fixture_con):
    return deck.load(fixture_con, "departement", "48", DAY, lang="en")


@pytest.fixture()
def lozere_profile(fixture_con):
    prof = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    return prof.sort_values("period")


# --- small helpers ---------------------------------------------------------------------------

def test_levels_methods_and_legend_classes_in_english():
    assert level_label("departement", lang="en") == "Department"
    assert level_label("epci", lang="en") == "Inter-municipality (EPCI)"
    assert level_label("departement") == "Département"  # French by default
    assert territory.short_level("commune", lang="en") == "municipality"
    assert territory.level_plural("departement", lang="en") == "departments"
    assert territory.SHORT_LEVELS["departement"] == "département"
    assert classify.method_label("egal", lang="en") == "Equal intervals"
    assert classify.METHODS["egal"] == "Intervalles égaux"
    assert classify.labels([1.0, 5.0, 10.0, 20.0], "percent", 1, lang="en") == [
        f"under 5.0{NB}%", f"5.0 to 10.0{NB}%", f"10.0{NB}% and over"]
    with pytest.raises(classify.BadThresholds, match="^Unreadable threshold: “abc”"):
        classify.parse_thresholds("10 ; abc", lang="en")
    assert profile.ordinal(1, "en") == "1st" and profile.ordinal(12, "en") == "12th"
    assert profile.ordinal(22, "en") == "22nd" and profile.ordinal(3, "fr") == "3e"
    assert profile.peer_method("en").startswith("Territories of the same level closest")
    assert extraction_line(DAY, "en") == EXTRACTED
    assert fmt.day(DAY, "en") == "27 November 2026" and fmt.day(DAY) == "27/11/2026"


def test_registry_rural_definitions_in_english(reg):
    ind = reg.get("part_ess_emploi_prive")
    assert ind.rural_definition_labels("en") == "Test typology"
    assert ind.rural_definition_labels() == ind.rural_definitions == "Typologie de test"
    assert reg.get("dla_part_secteur").rural_definition_labels("en") is None


def test_search_labels_in_english(fixture_con):
    assert search.search(fixture_con, "lozere", lang="en")["label"].tolist() == [
        "Lozère (department 48)"]


# --- figures ---------------------------------------------------------------------------------

def test_compare_bars_title_legend_and_source_in_english(reg, lozere_profile):
    ind = reg.get("part_ess_emploi_salarie")
    fig = figures.compare_bars(lozere_profile, ind, "Lozère", lang="en")
    d = fig.to_dict()
    assert d["layout"]["title"]["text"] == ind.label_en
    assert d["layout"]["separators"] == ".,"
    assert [t["name"] for t in d["data"]] == ["Lozère", "Occitanie", "France excluding Mayotte"]
    assert list(d["data"][0]["text"]) == [f"25.1{NB}%", f"27.9{NB}%"]
    assert d["data"][0]["hovertemplate"] == "Lozère<br>%{x}: %{text}<extra></extra>"
    note = d["layout"]["annotations"][-1]["text"].replace("<br>", " ")
    assert note == ("Source: Éditeur B, Indicateurs fictifs B (données de test) (2017); "
                    "2008, 2014 data.")
    assert figures.describe(fig, lang="en").startswith(
        f"Bar chart: {ind.label_en}. Lozère, 2008: 25.1{NB}%; Lozère, 2014: 27.9{NB}%;")
    table = figures.data_table(fig, lang="en")
    assert list(table.columns) == ["Series", "Category", "Value"]
    assert table.values.tolist()[-1] == ["France excluding Mayotte", "2014", f"10.5{NB}%"]
    assert list(figures.data_table(fig).columns) == ["Série", "Catégorie", "Valeur"]


def test_map_legend_hover_and_text_alternative_in_english(fixture_con, reg):
    ind = reg.get("part_ess_emploi_salarie")
    values = territory.map_values(fixture_con, ind, "departement", "2008")
    fig = figures.choropleth(territory.shapes(fixture_con, "departement"), values, ind, "2008",
                             lang="en", edges=[10.0, 15.0, 20.0, 30.0],
                             rural_label="Test typology")
    assert [text for _, text in fig.spec.legend.classes] == [  # the map's description
        f"under 15.0{NB}%", f"15.0 to 20.0{NB}%", f"20.0{NB}% and over"]
    main = mapview.payload(fig.spec)["layers"][1]  # the values, as the in-app map hovers them
    assert "<br>Year: 2008<br>" in main["hover"]["template"]
    text = figures.describe(fig, lang="en")
    assert text == (
        f"Map of 2 territories: {ind.label_en}, 2008. Highest value: Lozère (25.1{NB}%); "
        f"lowest: Cantal (14.2{NB}%); 1 without a value. Source: Éditeur B, Indicateurs "
        "fictifs B (données de test) (2017); 2008 data. Rural: Test typology.")
    assert fig.spec.legend.no_data[1] == "No published value"


def test_rural_comparison_in_english(fixture_con, reg):
    obs = db.run_query(fixture_con, "rural_comparison", definition="cget_2019",
                       indicator_ids=[*RURAL_SHARES, MICRO_SHARE])
    fig = figures.rural_comparison(obs[obs["chosen"]],
                                   [reg.get(i) for i in [*RURAL_SHARES, MICRO_SHARE]],
                                   {"cget_2019": "Test typology"}, lang="en")
    d = fig.to_dict()
    assert d["layout"]["title"]["text"] == (
        "The social and solidarity economy (ESS) weighs more in rural employment")
    assert list(d["data"][2]["x"]) == ["Rural areas", "All of France"]
    assert list(d["data"][2]["text"]) == [f"over 83{NB}%", f"77{NB}%"]
    note = d["layout"]["annotations"][-1]["text"].replace("<br>", " ")
    assert note.endswith("; 2015 data. Rural: Test typology.")
    assert not _french_left(note.replace("(données de test)", ""))


# --- tables ----------------------------------------------------------------------------------

@pytest.fixture()
def obs(fixture_con):
    return db.run_query(fixture_con, "observations",
                        indicator_ids=["part_ess_emploi_salarie", "effectifs_salaries_ess"],
                        levels=["france", "departement"])


def test_display_tables_in_english(fixture_con, obs):
    t = views.table(obs, lang="en")
    assert list(t.columns) == ["Indicator", "Territory", "Value", "Period", "Source", "Note"]
    assert t["Value"].tolist()[:2] == ["2,370,000", "2,380,000"]
    split = db.run_query(fixture_con, "territory_rurality", level="departement", code="48",
                         rural_definition_id="approx_densite_communale")
    r = views.rurality_table(split, lang="en")
    assert list(r.columns) == ["Class", "Rural", "Municipalities", "Share of municipalities",
                               "Inhabitants", "Share of inhabitants"]
    assert r["Rural"].tolist() == ["no", "no", "yes"]
    assert r["Class"].iloc[-1] == "Rural, very low density"  # the warehouse's label_en
    rows = profile.side_by_side(fixture_con, [("departement", "48"), ("france", "FR")],
                                "approx_densite_communale")
    m = views.metrics_table(rows, lang="en", ess=obs[obs["indicator_id"]
                                                     == "part_ess_emploi_salarie"],
                            period="2014")
    assert m.columns[0] == "Territory" and m.columns[-1] == "ESS share of salaried jobs (2014)"
    assert m["Territory"].tolist() == ["Lozère (department)", "France (country)"]
    assert m.iloc[1, -1] == f"10.5{NB}% (France excluding Mayotte)"


def test_english_csv_headers_and_values(obs):
    raw = tables.csv_intl(tables.observations_frame(obs, lang="en"))
    back = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    assert list(back.columns) == [
        "Indicator", "Level", "Territory code", "Territory", "Breakdown", "Period", "Qualifier",
        "Value", "Unit", "Source", "Source date", "Note", "Indicator identifier",
        "Source identifier"]
    lozere = back[back["Territory code"] == "48"]
    assert lozere["Value"].tolist() == ["25.1", "27.9"]  # as on screen, decimal point
    assert set(back["Level"]) == {"France", "Department"}
    assert set(back["Unit"]) == {"%", "number"}


def test_english_xlsx_headers_formats_and_sources(obs, fixture_con):
    raw = tables.observations_xlsx(obs, db.run_query(fixture_con, "sources"), DAY, lang="en")
    wb = load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["Data", "Sources"]
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["Indicator", "Level", "Territory code", "Territory", "Breakdown",
                          "Period", "Qualifier", "Value"]
    col = header.index("Value") + 1
    assert header[header.index("Unit") + 1] == "Unrounded value"  # the stored value, XLSX only
    assert ws.cell(row=2, column=col).number_format == "#,##0"          # count, 0 decimals
    assert ws.cell(row=ws.max_row, column=col).number_format == "#,##0.0"  # percent, 1
    src = wb["Sources"]
    assert [c.value for c in src[1]] == ["Source", "Publisher", "Publication date", "Address",
                                         "License", "Identifier"]
    assert [[c.value for c in r] for r in src.iter_rows(min_row=2)][-1][0] == EXTRACTED
    assert wb.properties.creator == "ESS and rurality dashboard"


# --- key messages ----------------------------------------------------------------------------

def test_key_messages_in_english_keep_the_numbers(fixture_con):
    me = territory.metrics(fixture_con, "departement", code="48").iloc[0].to_dict()
    fr = territory.metrics(fixture_con, "france").iloc[0].to_dict()
    ess = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    msgs = profile.key_messages("Lozère", "departement", me, fr, "Approximation", ess,
                                "Occitanie", lang="en")
    assert msgs == [
        f"Lozère has 11,000 inhabitants (2022 legal population), that is 611.1{NB}inhab./km²: "
        f"1.6 times less dense than France (1,005.3{NB}inhab./km²). Densities and ratio: "
        "project calculation.",
        f"0.9{NB}% of its inhabitants live in a rural municipality and 1 of its 3 "
        f"municipalities is rural (France: 7.2{NB}% of inhabitants; “rural”: Approximation).",
        f"The social and solidarity economy (ESS) accounts for 27.9{NB}% of salaried "
        "employment there in 2014 (Éditeur B), ranking 1st of the 3 departments the source "
        f"publishes: 2.7 times as high as in France excluding Mayotte (10.5{NB}%) and 2.3 "
        f"times as high as in its region (Occitanie: 12.3{NB}%). Rank and ratios: project "
        "calculation.",
        f"Between 2008 and 2014, this share went from 25.1{NB}% to 27.9{NB}% "
        "(+2.8 percentage points). Change: project calculation."]
    french = profile.key_messages("Lozère", "departement", me, fr, "Approximation", ess,
                                  "Occitanie")
    assert french[0].startswith(f"Lozère compte 11{NB}000 habitants")  # default unchanged


def test_key_message_of_a_commune_names_its_english_class(fixture_con):
    me = territory.metrics(fixture_con, "commune", code="48003").iloc[0].to_dict()
    fr = territory.metrics(fixture_con, "france").iloc[0].to_dict()
    msgs = profile.key_messages("Saint-Champ", "commune", me, fr, "Approximation", lang="en")
    assert msgs[1] == ("The municipality is classified as “Rural, very low density” "
                       "(“rural”: Approximation).")


# --- deck ------------------------------------------------------------------------------------

def test_english_deck_content(lozere_en):
    titles = deck.slide_titles(lozere_en)  # content slides: their findings (test_deck.py)
    assert titles[:2] == ["Lozère (48)", f"Lozère (48): the ESS accounts for 27.9{NB}% of "
                          "salaried employment in 2014, 17.4 percentage points above France "
                          "excluding Mayotte"]
    assert titles[-3:] == ["Key points — Lozère (48)", "Definitions", "Sources"]
    assert lozere_en.subtitle.startswith("Department (code 48) · region Occitanie · ")
    assert lozere_en.subtitle.endswith("extracted on 27 November 2026")
    assert deck.key_figures(lozere_en) == [
        ("11,000", "inhabitants (2022 municipal population)"),
        ("611.1", "inhabitants per km²"),
        (f"0.9{NB}%", "of the population in rural municipalities (approximation)"),
        ("1 of 3", "rural municipalities (approximation)")]
    assert deck.ess_share_table(lozere_en)[-1] == ["France excluding Mayotte", "n/a",
                                                   f"10.5{NB}%"]
    assert lozere_en.messages[2].startswith(
        f"The social and solidarity economy (ESS) accounts for 27.9{NB}%")
    assert list(lozere_en.sources.columns) == ["Source", "Publisher", "Publication date",
                                               "Address", "License", "Identifier"]
    # the French deck of the same territory is unchanged by an English one
    assert deck.slide_titles(lozere_en, lang="fr")[1].startswith("Lozère (48) : l'ESS pèse")


def test_english_pptx_has_english_titles_and_no_french_interface_words(lozere_en,
                                                                        monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")  # map slide says why, in English
    prs = Presentation(io.BytesIO(deck.to_pptx(lozere_en)))
    assert [s.shapes.title.text for s in prs.slides] == deck.slide_titles(lozere_en)
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                     if sh.has_text_frame)
    for expected in ("Key points — Lozère (48)", EXTRACTED, "Lozère has 11,000 inhabitants",
                     "Map not included: server-side export unavailable: the browser named",
                     "Source: Éditeur B, Indicateurs fictifs B (données de test) (2017)",
                     "Insee, Populations légales (test) (2025) — license: Licence Ouverte 2.0"):
        assert expected in text
    # published titles, the licence's name and the French-only method text aside
    text = text.replace("(données de test)", "").replace("Licence Ouverte", "")
    assert not _french_left(text), _french_left(text)
    plot = next(sh.chart for sh in prs.slides[2].shapes if sh.has_chart).plots[0]
    assert [s.name for s in plot.series] == ["Lozère", "Occitanie", "France excluding Mayotte"]
    assert prs.core_properties.title == "ESS employment — Lozère (48)"


def test_english_pdf_deck(lozere_en):
    pdf = deck.to_pdf(lozere_en)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(deck.slide_titles(lozere_en))
    text = "\n".join(p.extract_text() for p in reader.pages).replace(NB, " ")
    for expected in ("Lozère (48): the ESS accounts for", "Key points — Lozère (48)", "27.9 %",
                     "Extracted on 27 November 2026"):
        assert expected in text
    for french in ("Chiffres clés", "À retenir", "Extrait le", "Source :"):
        assert french not in text


def test_english_xlsx_deck(lozere_en):
    wb = load_workbook(io.BytesIO(deck.to_xlsx(lozere_en)))
    assert wb.sheetnames == ["Key figures", "Published figures", "Rurality (approximation)",
                             "Sources"]
    keys = {r[0].value: r[1].value for r in wb["Key figures"].iter_rows(min_row=2)}
    assert keys["Municipal population 2022"] == 11000
    assert keys["Density (inhab./km²)"] == pytest.approx(611.1111111111111)
    pub = wb["Published figures"]
    header = [c.value for c in pub[1]]
    assert header[:7] == ["Indicator", "Period", "Breakdown", "Qualifier", "Lozère", "Region",
                          "France"]
    assert pub["E2"].number_format == "#,##0.0"
    rural = wb["Rurality (approximation)"]
    assert [c.value for c in rural[1]] == ["Density class", "Rural", "Municipalities",
                                           "Population", "Share of municipalities (%)",
                                           "Share of the population (%)"]
    assert [c.value for c in rural["B"]][1:] == ["no", "no", "yes"]


def test_english_errors(fixture_con):
    with pytest.raises(deck.UnknownTerritory, match="^No territory of level “region” has the "
                                                    "code “99”"):
        deck.load(fixture_con, "region", "99", lang="en")
    with pytest.raises(ValueError, match="^Unknown format: “gif”"):
        deck.export(fixture_con, "region", "76", "gif", lang="en")
    assert charts.unavailable_reason("en") is None  # Chromium is here; in French otherwise


# --- command line ----------------------------------------------------------------------------

def test_cli_langue_en_writes_an_english_deck(fixture_db, tmp_path, capsys):
    out = tmp_path / "lozere.xlsx"
    assert main(["export", "--niveau", "departement", "--code", "48", "--format", "xlsx",
                 "--out", str(out), "--db", str(fixture_db), "--langue", "en"]) == 0
    assert load_workbook(out).sheetnames[0] == "Key figures"
    assert f"Written: {out}" in capsys.readouterr().out
    assert main(["export", "--code", "99", "--out", str(tmp_path / "x.xlsx"), "--format",
                 "xlsx", "--db", str(fixture_db), "--lang", "en"]) == 1
    assert "Export failed: No territory of level “region” has the code “99”" in (
        capsys.readouterr().err)
    default = tmp_path / "defaut.xlsx"
    assert main(["export", "--niveau", "departement", "--code", "48", "--format", "xlsx",
                 "--out", str(default), "--db", str(fixture_db)]) == 0
    assert load_workbook(default).sheetnames[0] == "Chiffres clés"  # French by default
