"""The English version of the overview, DLA, PTCE, actors, sources, admin and presentation pages:
opened through dashboard.py with `?lang=en`, they show English titles, labels and numbers, and
none of the French sentences their code translates; French stays the default."""
import string

import pytest
from streamlit.testing.v1 import AppTest

from ess_data import i18n
from ess_data.config import ROOT
from ess_data.imports.apply import run_import
from tests.conftest import FIXTURES, open_page

NB = "\u00a0"


def _open(page: str, lang: str | None = "en", **params) -> AppTest:
    return open_page(page, **({"lang": lang} if lang else {}), **params)


@pytest.fixture()
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    return _open


@pytest.fixture()
def admin_app(warehouse, monkeypatch):
    """The admin page, enabled, on a private warehouse holding one imported ESS table."""
    path = warehouse
    monkeypatch.setenv("ESS_DB", str(path))
    monkeypatch.setenv("ESS_ADMIN", "1")
    run_import(path, "ess-emploi",
               {"FILE": FIXTURES / "imports" / "ess_emploi_departements_2022.csv"})
    return _open


def _texts(at: AppTest) -> str:
    """Every interface text of a run: headings, paragraphs, notices, labels, table headers."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info",
                                  "warning", "error", "success") for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [e.label for e in at.expander]
    parts += [b.label for b in at.button]
    parts += [w.label for kind in ("radio", "selectbox", "multiselect", "checkbox",
                                   "text_input") for w in getattr(at, kind)]
    parts += [str(c) for d in at.dataframe for c in d.value.columns]
    return "\n".join(parts)


def _french_pieces(page: str) -> list[str]:
    """The literal French parts (12 characters or more) of the messages `pages/<page>.py`
    translates into something else: none may remain on the English page."""
    english = i18n.catalogue("en")
    pieces = []
    for message, places in i18n.extract().items():
        if not any(p.startswith(f"pages/{page}.py:") for p in places):
            continue
        if english.get(message, message) == message:
            continue
        for literal, *_ in string.Formatter().parse(message):
            pieces += [line.strip() for line in literal.split("\n") if len(line.strip()) >= 12]
    return pieces


def _no_french_left(at: AppTest, page: str) -> None:
    texts = _texts(at)
    left = [p for p in _french_pieces(page) if p in texts]
    assert not left, left


def test_the_check_finds_french_sentences():
    assert "Le réseau des structures" not in _french_pieces("dla")  # a docs heading, not code
    assert any(p.startswith("- **Loi n° 2014-856") for p in _french_pieces("dla"))
    assert "Aucun organisme renseigné pour cette région." in _french_pieces("acteurs")


def test_overview_in_english(app):
    at = app("accueil")
    assert at.title[0].value == "The social and solidarity economy in rural employment"
    assert [m.label for m in at.metric] == [
        "ESS share of salaried jobs — rural territories",
        "ESS share of private salaried jobs — rural territories",
        "Share of micro-establishments — rural territories"]
    assert [m.value for m in at.metric] == [f"13.8{NB}%", f"17.7{NB}%", f"over 83{NB}%"]
    captions = "\n".join(c.value for c in at.caption)
    assert (f"Rest of the country (test typology): 10.5{NB}% · 2015 data · rural as defined by: "
            "Test typology · source: ") in captions
    assert "The ESS in France: national figures" in [s.value for s in at.subheader]
    national = [d.value for d in at.dataframe if "Indicator" in d.value.columns][-1]
    assert national["Value"].tolist()[:2] == ["2,370,000", "2,380,000"]
    _no_french_left(at, "accueil")


def test_overview_stays_french_by_default(app):
    at = app("accueil", lang=None)
    assert at.title[0].value == "L'économie sociale et solidaire dans l'emploi rural"
    assert at.metric[0].label == "Part de l'ESS dans l'emploi salarié — territoires ruraux"
    assert "rural as defined by" not in _texts(at)


def test_dla_and_ptce_in_english(app):
    dla = app("dla")
    assert dla.title[0].value == "The DLA (local support scheme)"
    assert {"The network", "Legal framework"} <= {s.value for s in dla.subheader}
    assert "**Law no. 2014-856 of July 31, 2014** on the social and solidarity economy" in (
        _texts(dla))
    _no_french_left(dla, "dla")
    ptce = app("ptce")
    assert ptce.title[0].value == "PTCE (territorial cooperation hubs)"
    table = [d.value for d in ptce.dataframe if "Period" in d.value.columns][0]
    assert table["Value"].tolist() == ["56", "210"]
    assert set(table["Indicator"]) == {"PTCE laureates"}
    _no_french_left(ptce, "ptce")


def test_actors_in_english(app):
    at = app("acteurs", region="76")
    assert at.title[0].value == "Who does what"
    assert at.selectbox(key="a_region").label == "Region"
    assert at.header[0].value == "Who to contact in Occitanie"
    block = at.markdown[1].value
    assert "- **Regional DLA**: no source consulted names it;" in block
    assert "- **Regional State service**: DREETS Test-Sud — [test-sud.example]" in block
    assert "- **Regional chamber of the ESS**: CRESS Test-Sud" in block
    assert "*Source: Éditeur A, « Étude fictive A (données de test) », 2019-06.*" in block
    carriers = at.table[0].value
    assert list(carriers.columns) == ["Carrier", "Note", "Source"]
    assert carriers.index.name == "Department"
    assert at.subheader[0].value == (
        "Departmental DLAs: 1 of 1 departments with a carrier named by a source")
    assert "- **DLA (local support scheme)**: a DLA in each department" in _texts(at)
    _no_french_left(at, "acteurs")
    bad = app("acteurs", region="<b>99</b>")
    assert "The link asks for the region" in bad.warning[0].value


def test_sources_in_english(app):
    at = app("sources")
    assert at.title[0].value == "Sources and definitions"
    sources = [d.value for d in at.dataframe if "Publisher" in d.value.columns][0]
    assert "Éditeur A" in sources["Publisher"].tolist()  # publishers stay as published
    indicators = [d.value for d in at.dataframe if "Identifier" in d.value.columns][0]
    assert "ESS share of salaried jobs" in indicators["Indicator"].tolist()
    assert "Test definition A." in indicators["Definition"].tolist()
    approx = [d.value for d in at.dataframe if "Class" in d.value.columns][0]
    assert approx.columns.tolist() == ["Class", "Municipalities", "Share of municipalities",
                                       "Population", "Share of the population"]
    assert approx["Class"].iloc[-1].startswith("Unclassified")
    texts = _texts(at)
    assert "**Test typology**" in texts and "**Typologie de test**" not in texts
    assert "— *approximation* (Ce projet, vintage not stated): Seuils" in texts  # not "nan"
    assert "With our approximation, **" in texts
    assert "Reading with care" in [s.value for s in at.subheader]  # docs/en/caveats.md
    assert "Précautions de lecture" not in texts
    assert "## 14. The figures calculated by the project" in texts.replace("### 14.", "## 14.")
    _no_french_left(at, "sources")


def test_sources_stay_french_by_default(app):
    at = app("sources", lang=None)
    texts = _texts(at)
    assert "**Typologie de test** (Éditeur A, 2019) : Méthode de test." in texts
    assert "(Ce projet, millésime non précisé) : Seuils 1500/300/25." in texts
    assert "Précautions de lecture" in [s.value for s in at.subheader]
    assert "Reading with care" not in texts


def test_sources_after_an_import_names_the_grid_in_english(warehouse, monkeypatch):
    path = warehouse
    monkeypatch.setenv("ESS_DB", str(path))
    run_import(path, "grille-densite",
               {"FILE": FIXTURES / "imports" / "fichier_diffusion_2025.xlsx"})
    at = _open("sources")
    texts = _texts(at)
    assert "**Agreement with Rural, municipal density grid (INSEE 2025)**" in texts
    assert "3 of the 5 municipalities compared the same way" in texts
    history = [d.value for d in at.dataframe if "Imported on" in d.value.columns][0]
    assert history["File"].tolist() == ["fichier_diffusion_2025.xlsx"]
    _no_french_left(at, "sources")


def test_english_caveats_keep_every_section_of_the_french_ones():
    french = (ROOT / "docs" / "caveats.md").read_text(encoding="utf-8")
    english = (ROOT / "docs" / "en" / "caveats.md").read_text(encoding="utf-8")
    heads = [line.split(".")[0] for line in french.splitlines() if line.startswith("## ")]
    assert heads == [line.split(".")[0] for line in english.splitlines()
                     if line.startswith("## ")]
    for code in ("part_ess_emploi_salarie", "cget_2019", "approx_densite_communale",
                 "part_fondations_emploi_ess_imprimee", "15141"):
        assert code in english


def test_admin_disabled_in_english(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    monkeypatch.delenv("ESS_ADMIN", raising=False)
    at = _open("admin")
    assert at.title[0].value == "Data administration"
    assert at.info[0].value.startswith("Administration is disabled on this deployment")
    assert len(at.button) == 0


def test_admin_enabled_in_english(admin_app):
    at = admin_app("admin")
    texts = _texts(at)
    assert "Check and import reports come from the import tool and stay in French." in texts
    assert at.radio(key="adm_kind").label == "File type"
    assert at.button(key="adm_import").label == "Import"
    history = [d.value for d in at.dataframe if "Target" in d.value.columns][0]
    assert history.columns.tolist()[:4] == ["No.", "Date (UTC)", "Type", "File"]
    cells = [d.value for d in at.dataframe if "Establishments" in d.value.columns][0]
    whole = cells[cells["Family"] == "whole ESS"].set_index("Code")
    assert whole.loc["15", "Establishments"] == "statistical confidentiality"
    assert whole.loc["48", "Establishments"] == "27"
    at.radio(key="adm_kind").set_value("ess-emploi").run()
    guide = [e for e in at.expander if e.label == "How to use the template"][0]
    assert "statistical confidentiality" in guide.markdown[0].value  # docs/en template guide
    _no_french_left(at, "admin")
    french = admin_app("admin", lang=None)
    cells = [d.value for d in french.dataframe if "Établissements" in d.value.columns][0]
    assert "secret statistique" in cells["Établissements"].tolist()


def test_presentation_in_english(app):
    at = app("presentation", niveau="departement", code="48", diapo="2")
    assert at.header[0].value.startswith("Lozère (48): the ESS accounts for 27.9")  # key figures
    assert at.radio(key="pres_niveau").options == ["Region", "Department"]
    assert at.button(key="pres_prev").label == "◀ Previous"
    assert at.button(key="pres_next").label == "Next ▶"
    assert "Slide 2 of 9 — Lozère (48)" in at.markdown[1].value
    assert "Choose the slides" in [e.label for e in at.expander]
    at.button(key="pres_next").click().run()
    assert at.header[0].value.startswith("Lozère (48): ESS share of salaried jobs, from")
    _no_french_left(at, "presentation")
    bad = app("presentation", niveau="departement", code="48", diapos="map,inconnue")
    assert bad.warning[0].value.startswith("The link asks for slides that do not exist")
