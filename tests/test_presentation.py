"""The presentation page as a projector shows it (AppTest through dashboard.py, fixture warehouse):
no sidebar, one bar of controls with the settings tucked in a closed panel, the slide under it,
the chart at the height the browser measured, the URL as the state of truth."""
import json

import plotly.graph_objects as go
import pytest

from tests.conftest import charts_sent, open_page

TITLES = ["key", "Part de l'ESS dans l'emploi salarié"]  # the key figures' finding, then the map


@pytest.fixture()
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    return lambda **params: open_page("presentation", **params)


def _key_title(con, lang: str = "fr") -> str:
    """Lozère's key figures slide title (its finding), as the deck writes it."""
    from ess_data.export import deck
    return deck.key_figures_title(deck.load(con, "departement", "48", lang=lang), lang)


def _map_title(con, lang: str = "fr") -> str:
    """Lozère's map slide title, as the deck writes it."""
    from ess_data.export import deck
    return deck.map_title(deck.load(con, "departement", "48", lang=lang), lang)


def _present():
    """ui.present (imported here: the page's other tests do not need it)."""
    from ui import present
    return present


def _component(at, name: str) -> dict:
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == name]
    return json.loads(element.proto.json)


def test_no_sidebar_and_no_header_on_this_page_only(app, fixture_db):
    style = app(niveau="departement", code="48").markdown[0].value
    assert style.startswith("<style>") and "[data-testid=stSidebar]" in style
    assert "header[data-testid=stHeader] { display: none !important; }" in style
    overview = open_page("accueil")
    assert not any("stSidebar" in m.value for m in overview.markdown)


def test_one_bar_above_the_slide_with_the_settings_in_a_closed_panel(app):
    at = app(niveau="departement", code="48", diapo="2")
    style, bar, slide = at.main.children.values()
    assert bar.key == "pres_bar" and bar.proto.flex_container.direction == 2  # HORIZONTAL
    assert slide.key == "pres_slide"
    settings, prev, where, next_, controls, downloads = bar.children.values()
    assert settings.label == "Territoire et diapositives" and not settings.proto.expanded
    assert settings.radio(key="pres_niveau").value == "departement"
    assert settings.selectbox(key="pres_code").value == "48"
    assert settings.multiselect(key="pres_choix").value == ["key", "part_ess_emploi_salarie",
                                                            "map"]
    assert settings.segmented_control(key="pres_langue").value == "fr"
    link = settings.get("page_link")[0].proto
    assert link.label == "Quitter la présentation : profil du territoire"
    assert link.page == "territoire"  # the profile written in full: Back returns here
    assert link.query_string == ("niveau=departement&code=48&comparer=&annee=2014"
                                 "&rural=approx_densite_communale")
    assert (prev.key, next_.key) == ("pres_prev", "pres_next")
    assert where.value == "Diapositive 2 sur 3 — Lozère (48)"
    assert controls.proto.component_name == "ess_present"
    assert downloads.proto.popover.label == "Télécharger"
    assert [b.proto.label for b in downloads.get("download_button")] == [
        "Dossier PowerPoint", "Dossier PDF", "Dossier Excel", "PNG (diapositive)", "SVG", "PDF"]
    assert slide.header[0].value == TITLES[1]  # the slide's title: first thing under the bar


def test_the_controls_know_the_slide_and_speak_the_language(app):
    present = _present()
    sent = _component(app(niveau="departement", code="48", diapo="2"), "ess_present")
    assert sent == {
        "labels": {"enter": "Plein écran", "exit": "Quitter le plein écran",
                   "enter_hint": "Montrer la diapositive sur tout l'écran (Échap pour en "
                                 "sortir). Flèches ou Page précédente / suivante : changer de "
                                 "diapositive.",
                   "exit_hint": "Revenir à la fenêtre (Échap)"},
        "box": ".st-key-pres_chart_box", "height": present.DEFAULT_ROOM, "room": None,
        "slide": 2, "total": 3}
    english = _component(app(niveau="departement", code="48", lang="en"), "ess_present")
    assert english["labels"]["enter"] == "Full screen"
    assert english["labels"]["exit"] == "Exit full screen"
    assert "Arrows or Page Up / Page Down" in english["labels"]["enter_hint"]


def test_every_slide_has_its_title_as_a_heading(app, fixture_con):
    for n, title in enumerate([_key_title(fixture_con), TITLES[1], _map_title(fixture_con)],
                              start=1):
        at = app(niveau="departement", code="48", diapo=str(n))
        assert [h.value for h in at.header] == [title]
        assert at.header[0].hide_anchor  # no link icon on a projected title


def test_the_chart_fills_the_room_under_the_title(app):
    present = _present()
    at = app(niveau="departement", code="48", diapo="2")
    (sent,) = charts_sent(at)
    layout = sent["layout"]
    assert layout["height"] == present.DEFAULT_ROOM  # 1280 x 720 until the browser measures
    assert layout["title"]["text"] == ""  # the slide's heading says it
    assert layout["font"]["size"] == 20 and layout["showlegend"] is True
    assert sent["id"].endswith("pres_chart_part_ess_emploi_salarie")


def test_the_map_fills_the_room_under_the_title(app):
    present = _present()
    sent = _component(app(niveau="departement", code="48", diapo="3"), "ess_present_map")
    assert sent["height"] == present.DEFAULT_ROOM - present.MAP_TEXT
    assert "Lozère" in sent["title"]  # the map's own title stays, under the slide's
    assert sent["labels"] == {"in": "Zoomer", "out": "Dézoomer",
                              "reset": "Revenir à la vue entière"}


def test_slide_figure_keeps_the_deck_figure_whole():
    present = _present()
    fig = go.Figure(go.Bar(x=["2014"], y=[1.0], name="Lozère"),
                    layout={"title": {"text": "Titre"}, "height": 415,
                            "annotations": [{"text": "Source", "yshift": -48}]})
    shown = present.slide_figure(fig, 612)
    assert shown.layout.height == 612 and shown.layout.title.text == ""
    assert shown.layout.showlegend is True  # one territory alone is named too
    assert shown.layout.annotations[-1].font.size == 15
    assert fig.layout.title.text == "Titre" and fig.layout.height == 415  # for the downloads


def test_back_or_a_link_in_the_same_session_shows_the_url(app):
    at = app(niveau="departement", code="48")
    at.button(key="pres_next").click().run()
    at.button(key="pres_next").click().run()
    assert at.query_params["diapo"] == "3" and at.header[0].value != TITLES[1]
    at.query_params["diapo"] = "2"  # the browser's Back: the page runs with the URL before
    at.run()
    assert at.header[0].value == TITLES[1]
    assert at.query_params["diapo"] == "2"
    at.button(key="pres_next").click().run()  # and goes on from there
    assert at.query_params["diapo"] == "3"
    at.query_params.update({"niveau": "departement", "code": "15", "diapo": "1"})
    at.run()
    assert at.header[0].value.startswith("Cantal (15) : ")  # its key figures' finding
    assert at.selectbox(key="pres_code").value == "15"


def test_the_language_switch_keeps_the_slides(app, fixture_con):
    at = app(niveau="departement", code="48", diapos="key,map", diapo="2")
    at.segmented_control(key="pres_langue").set_value("en").run()
    assert not at.exception
    assert dict(at.query_params) == {"niveau": "departement", "code": "48", "diapo": "2",
                                     "diapos": "key,map", "lang": "en"}
    assert at.header[0].value == _map_title(fixture_con, "en")
    assert at.radio(key="pres_niveau").value == "departement"
    assert at.multiselect(key="pres_choix").value == ["key", "map"]
    assert at.session_state["langue"] == "en"  # the sidebar's switch: every page in English


def test_a_move_stays_within_the_slides():
    """Buttons send -1 / +1, keys (ui/present.js) "prev", "next", "first", "last"."""
    present = _present()
    assert [present.step(2, move, 3) for move in (1, -1, "next", "prev", "first", "last")] == [
        3, 1, 3, 1, 1, 3]
    assert present.step(3, "next", 3) == 3 and present.step(1, "prev", 3) == 1
    assert present.step(2, None, 3) == 2 and present.step(2, "other", 3) == 2
    assert present.step(9, 0, 3) == 3  # a link to a slide that is no more
