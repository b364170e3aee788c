"""The admin page: off unless enabled; when on, it lists imports; imports change what pages show."""

import pytest
from streamlit.testing.v1 import AppTest

from ess_data.config import ROOT
from ess_data.imports import admin
from ess_data.imports.apply import run_import
from tests.conftest import FIXTURES

GRID = FIXTURES / "imports" / "fichier_diffusion_2025.xlsx"
ENTRY = f"""
import streamlit as st
st.navigation([st.Page({str(ROOT / "pages" / "admin.py")!r}, url_path="admin")]).run()
"""


@pytest.fixture()
def warehouse(warehouse, monkeypatch):
    """conftest's private warehouse copy, served to the app."""
    monkeypatch.setenv("ESS_DB", str(warehouse))
    return warehouse


def open_admin() -> AppTest:
    at = AppTest.from_string(ENTRY, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_disabled_by_default_offers_no_upload(warehouse, monkeypatch):
    monkeypatch.delenv("ESS_ADMIN", raising=False)
    at = open_admin()
    assert "L'administration est désactivée" in at.info[0].value
    assert len(at.get("file_uploader")) == 0
    assert len(at.button) == 0


def test_import_function_refuses_when_disabled(warehouse):
    before = warehouse.read_bytes()
    with pytest.raises(admin.AdminDisabled):
        admin.import_upload(warehouse, "grille-densite", GRID.name, GRID.read_bytes(), {},
                            enabled=False)
    assert warehouse.read_bytes() == before


@pytest.mark.parametrize("value,expected", [("1", True), ("oui", True), ("0", False),
                                            ("", False)])
def test_enabled_by_env(value, expected):
    assert admin.enabled_by_env({"ESS_ADMIN": value}) is expected


def test_enabled_page_imports_upload_and_shows_history(warehouse, monkeypatch):
    monkeypatch.setenv("ESS_ADMIN", "1")
    # what the page's button does with an uploaded file
    result = admin.import_upload(warehouse, "grille-densite", "fichier_diffusion_2025.xlsx",
                                 GRID.read_bytes(), {}, enabled=True)
    assert result.import_id == 1
    at = open_admin()
    assert len(at.get("file_uploader")) == 1
    history = at.dataframe[0].value
    assert history["Fichier"].tolist() == ["fichier_diffusion_2025.xlsx"]
    assert history["Cible"].tolist() == ["insee_grille_densite_2025"]
    texts = "\n".join(m.value for m in at.markdown)
    assert "3 communes sur 5 (60,0\u00a0%)" in texts


def test_admin_page_shows_secret_cells_in_words(warehouse, monkeypatch):
    monkeypatch.setenv("ESS_ADMIN", "1")
    run_import(warehouse, "ess-emploi",
               {"FILE": FIXTURES / "imports" / "ess_emploi_departements_2022.csv"})
    at = open_admin()
    cells = [d.value for d in at.dataframe if "Établissements" in d.value.columns][0]
    whole = cells[cells["Famille"] == "ensemble de l'ESS"].set_index("Code")
    assert whole.loc["15", "Établissements"] == "secret statistique"
    assert whole.loc["48", "Établissements"] == "27"


def test_successful_import_changes_the_sources_page(warehouse):
    run_import(warehouse, "grille-densite", {"FILE": GRID})
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    titles = [d.value for d in at.dataframe if "Titre" in d.value.columns][0]["Titre"].tolist()
    assert ("Grille communale de densité, millésime 2025 (fichier importé "
            "« fichier_diffusion_2025.xlsx »)") in titles
    texts = "\n".join(m.value for m in at.markdown)
    assert "Rural, grille communale de densité (Insee 2025)" in texts


def test_sources_page_reports_the_secrecy_of_an_employment_import(warehouse):
    run_import(warehouse, "ess-emploi", {"FILE": FIXTURES / "imports" / "ess_emploi_2023.csv"})
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = [d.value for d in at.dataframe if "Secret primaire" in d.value.columns][0]
    rows = {r["Niveau"]: (r["Secret primaire"], r["Secret secondaire"])
            for _, r in table.iterrows()}
    assert rows["commune"][0] == "2" and int(rows["commune"][1]) > 0
    assert rows["france"] == ("0", "0")
    effect = [d.value for d in at.dataframe if "Effet" in d.value.columns][0]["Effet"][0]
    assert "emplois ESS masqués : 16 (primaires)" in effect
    assert "Secret statistique des tableaux d'emploi importés" in "\n".join(
        m.value for m in at.markdown)
