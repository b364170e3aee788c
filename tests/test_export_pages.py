"""The presentation page through dashboard.py, on the fixture warehouse."""
import pytest
from streamlit.testing.v1 import AppTest

from ess_data.config import ROOT

NB = "\u00a0"


@pytest.fixture()
def presentation(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))

    def open_page(**params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page("pages/presentation.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    return open_page


def test_first_slide_is_the_title_then_the_key_figures(presentation):
    at = presentation(niveau="departement", code="48")
    assert at.header[0].value == "Lozère (48)"  # the deck's title slide
    assert dict(at.query_params) == {"niveau": "departement", "code": "48", "diapo": "1"}
    assert at.button(key="pres_prev").disabled
    at.button(key="pres_next").click().run()
    figures = "\n".join(h.proto.body for h in at.get("html"))  # big numbers (ui.present)
    for value in (f"11{NB}000", "611,1", f"0,9{NB}%", "1 sur 3"):
        assert f'<p class="esspres-value">{value}</p>' in figures
    assert at.header[0].value.startswith("Lozère (48) : l'ESS pèse 27,9")  # its finding


def test_next_and_previous_walk_the_slides_with_the_url(presentation):
    at = presentation(niveau="departement", code="48", diapo="2")
    at.button(key="pres_next").click().run()
    assert at.query_params["diapo"] == "3"
    assert at.header[0].value.startswith("Lozère (48) : part de l'ESS dans l'emploi salarié")
    at = presentation(niveau="departement", code="48", diapo="8")
    at.button(key="pres_next").click().run()
    assert at.query_params["diapo"] == "9"  # the sources, the last slide
    assert at.button(key="pres_next").disabled
    at.button(key="pres_prev").click().run()
    assert at.query_params["diapo"] == "8"


def test_deep_link_to_a_slide_and_a_bad_one(presentation):
    at = presentation(niveau="region", code="76", diapo="2")
    assert at.query_params["diapo"] == "2"
    at = presentation(niveau="region", code="76", diapo="99")
    assert at.query_params["diapo"] == "1"
    assert "la diapositive « 99 »" in at.warning[0].value


def test_without_chromium_the_page_says_what_server_exports_need(presentation, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = presentation(niveau="departement", code="48")
    notice = at.info[0].value
    assert notice.startswith("Export serveur indisponible : le navigateur indiqué par "
                             "BROWSER_PATH (/nonexistent/chromium) est introuvable.")
    assert "appareil photo" in notice


def test_chosen_slides_only_and_in_the_url(presentation):
    at = presentation(niveau="departement", code="48")
    assert at.multiselect(key="pres_choix").value == [
        "title", "key", "part_ess_emploi_salarie", "map", "rural", "support", "points",
        "definitions", "sources"]  # every slide of the deck
    at.multiselect(key="pres_choix").set_value(["map", "part_ess_emploi_salarie"]).run()
    assert at.query_params["diapos"] == "part_ess_emploi_salarie,map"  # deck order kept
    assert "Diapositive 1 sur 2" in at.markdown[1].value
    at = presentation(niveau="departement", code="48", diapos="map,inconnue", diapo="1")
    assert at.query_params["diapos"] == "map"
    assert "n'existent pas pour ce territoire" in at.warning[0].value
    assert at.button(key="pres_next").disabled


def test_table_buttons(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))

    def app():
        from ess_data import db
        from ui import exports
        con = db.connect()
        obs = db.run_query(con, "observations", indicator_ids=["part_ess_emploi_salarie"],
                           levels=["departement"])
        exports.table_downloads(obs, "Part ESS départements", key="t")
    at = AppTest.from_function(app, default_timeout=60).run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [
        "CSV (Excel français)", "CSV international", "Excel (XLSX)"]
