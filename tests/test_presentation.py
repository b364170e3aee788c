"""The presentation page as a projector shows it (AppTest through dashboard.py): no sidebar, one
bar of controls with the settings tucked in a closed panel, the slide under it, the chart at the
height the browser measured, the URL as the state of truth; the slides are the deck's, all of
them, in its order, with its titles, each drawn as its kind with the deck's numbers; the
speaker notes under the slide only when asked.

Most tests run on the fixture warehouse; the walk through every slide runs on the shipped one
(Occitanie and Lozère have every kind of slide there: ranking, big numbers, two source pages)."""
import html
import io
import json
from datetime import date

import plotly.graph_objects as go
import pytest
from pptx import Presentation

from ess_data.export import deck
from tests.conftest import charts_sent, open_page

ALL_48 = ["title", "key", "part_ess_emploi_salarie", "map", "rural", "support", "points",
          "definitions", "sources"]  # Lozère's slides on the fixture warehouse (Slide.key)
# a 1x1 PNG for the PowerPoint's map picture (not under test here)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
WARNING = ("Le lien demande des diapositives qui n'existent pas pour ce territoire ; elles sont "
           "ignorées.")


@pytest.fixture()
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    return lambda **params: open_page("presentation", **params)


@pytest.fixture()
def real_app(real_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(real_db))
    return lambda **params: open_page("presentation", **params)


def _deck(con, niveau: str = "departement", code: str = "48", lang: str = "fr") -> deck.Deck:
    """A territory's deck as the page reads it (extracted today)."""
    return deck.load(con, niveau, code, date.today(), lang=lang)


def _present():
    """ui.present (imported here: the page's other tests do not need it)."""
    from ui import present
    return present


def _component(at, name: str) -> dict:
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == name]
    return json.loads(element.proto.json)


def _block(at, key: str):
    """The page's container with this key, or None."""
    found = [b for b in at.main.children.values() if getattr(b, "key", None) == key]
    return found[0] if found else None


def _html(block) -> str:
    """The text the block writes as markup (ui.present: big numbers, paragraphs)."""
    return "\n".join(h.proto.body for h in block.get("html"))


def _has(text: str, markup: str) -> bool:
    return html.escape(text) in markup


def test_no_sidebar_and_no_header_on_this_page_only(app, fixture_db):
    style = app(niveau="departement", code="48").markdown[0].value
    assert style.startswith("<style>") and "[data-testid=stSidebar]" in style
    assert "header[data-testid=stHeader] { display: none !important; }" in style
    overview = open_page("accueil")
    assert not any("stSidebar" in m.value for m in overview.markdown)


def test_one_bar_above_the_slide_with_the_settings_in_a_closed_panel(app):
    at = app(niveau="departement", code="48", diapo="3")
    style, bar, slide = at.main.children.values()
    assert bar.key == "pres_bar" and bar.proto.flex_container.direction == 2  # HORIZONTAL
    assert slide.key == "pres_slide"
    settings, prev, where, next_, controls, notes, downloads = bar.children.values()
    assert settings.label == "Territoire et diapositives" and not settings.proto.expanded
    assert settings.radio(key="pres_niveau").value == "departement"
    assert settings.selectbox(key="pres_code").value == "48"
    assert settings.multiselect(key="pres_choix").value == ALL_48
    assert settings.segmented_control(key="pres_langue").value == "fr"
    link = settings.get("page_link")[0].proto
    assert link.label == "Quitter la présentation : profil du territoire"
    assert link.page == "territoire"  # the profile written in full: Back returns here
    assert link.query_string == ("niveau=departement&code=48&comparer=&annee=2014"
                                 "&rural=approx_densite_communale")
    assert (prev.key, next_.key) == ("pres_prev", "pres_next")
    assert where.value == "Diapositive 3 sur 9 — Lozère (48)"
    assert controls.proto.component_name == "ess_present"
    assert notes.label == "Notes" and notes.value is False  # off: the projected slide only
    assert downloads.proto.popover.label == "Télécharger"
    assert [b.proto.label for b in downloads.get("download_button")] == [
        "Dossier PowerPoint", "Dossier PDF", "Dossier Excel", "PNG (diapositive)", "SVG", "PDF"]
    assert slide.header[0].value.startswith("Lozère (48) : part de l'ESS")  # first, under the bar


def test_the_selector_names_every_slide_of_the_deck(real_app):
    at = real_app(niveau="region", code="76")
    choice = at.multiselect(key="pres_choix")
    assert choice.value == ["title", "key", "part_ess_emploi_salarie", "map", "ranking", "rural",
                            "lone", "support", "points", "definitions", "sources", "sources-2"]
    assert choice.options == [
        "Titre", "Chiffres clés", "Part de l'ESS dans l'emploi salarié", "Carte",
        "Départements de la région", "Rural et reste du territoire",
        "Chiffres sans comparaison", "DLA et PTCE", "À retenir", "Définitions", "Sources",
        "Sources (2)"]
    english = real_app(niveau="region", code="76", lang="en").multiselect(key="pres_choix")
    assert english.options[:2] == ["Title", "Key figures"]
    assert "Departments of the region" in english.options


def test_the_controls_know_the_slide_and_speak_the_language(app):
    present = _present()
    sent = _component(app(niveau="departement", code="48", diapo="3"), "ess_present")
    assert sent == {
        "labels": {"enter": "Plein écran", "exit": "Quitter le plein écran",
                   "enter_hint": "Montrer la diapositive sur tout l'écran (Échap pour en "
                                 "sortir). Flèches ou Page précédente / suivante : changer de "
                                 "diapositive.",
                   "exit_hint": "Revenir à la fenêtre (Échap)"},
        "box": ".st-key-pres_chart_box", "height": present.DEFAULT_ROOM, "room": None,
        "slide": 3, "total": len(ALL_48)}
    english = _component(app(niveau="departement", code="48", lang="en"), "ess_present")
    assert english["labels"]["enter"] == "Full screen"
    assert english["labels"]["exit"] == "Exit full screen"
    assert "Arrows or Page Up / Page Down" in english["labels"]["enter_hint"]


def _check_slide(at, content: deck.Deck, spec: deck.Slide) -> None:
    """The slide on the page is `spec` drawn as its kind, with the deck's numbers."""
    slide = _block(at, "pres_slide")
    assert [h.value for h in slide.header] == [spec.title]  # the finding, the one heading
    assert all(h.hide_anchor for h in slide.header)  # no link icon on a projected title
    markup, charts = _html(slide), charts_sent(at)
    maps = [e for e in at.get("bidi_component") if e.proto.component_name == "ess_present_map"]
    assert len(maps) == (spec.kind == "map")
    drawn = {"chart", "ranking"} | ({"rural"} if len(content.story.national) >= 2 else set())
    assert len(charts) == (spec.kind in drawn), spec.kind
    if charts:
        (sent,) = charts
        assert sent["id"].endswith(f"pres_chart_{spec.key}")
        assert sent["layout"]["title"]["text"] == ""  # the slide's heading says it
        points = [(name, value) for trace in sent["data"]
                  for name, value in zip(trace["y" if trace.get("orientation") == "h" else "x"],
                                         trace["x" if trace.get("orientation") == "h" else "y"])]
    if spec.kind == "title":
        assert _has(content.subtitle, markup)
    elif spec.kind == "key":
        for value, label in deck.key_figures(content):
            assert _has(value, markup) and _has(label, markup)
        assert _has(deck.key_figures_note(content), markup)
        assert len(slide.table) == (deck.ess_share_table(content) is not None)
    elif spec.kind == "chart":  # the PowerPoint chart's series, period by period
        assert [trace["y"] for trace in sent["data"]] == [values for _, values in spec.item.series]
        assert [trace["name"] for trace in sent["data"]] == [n for n, _ in spec.item.series]
    elif spec.kind == "ranking":  # every bar of the PowerPoint's ranking, highest first
        assert sorted(points, key=lambda p: -p[1]) == [(n, v) for n, v, _ in
                                                       deck.ranking_rows(content)]
    elif spec.kind == "rural":
        lines = deck.rural_lines(content)
        assert _has(lines[0], markup)
        nat = content.story.national
        if len(nat) >= 2:
            assert [v for _, v in points] == nat["value"].tolist()
    elif spec.kind in ("lone", "support"):
        numbers = (deck.lone_numbers(content) if spec.kind == "lone"
                   else content.support.numbers)
        assert numbers
        for big in numbers:
            assert _has(big.value, markup) and _has(big.label, markup) and _has(big.note, markup)
        for line in (content.support.statements if spec.kind == "support" else []):
            assert _has(line, markup)
    elif spec.kind == "text":
        for line in spec.item:
            assert _has(line, markup)
    assert _block(at, "pres_notes_box") is None  # no notes unless asked


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("niveau", "code"), [("region", "76"), ("departement", "48")])
def test_every_slide_of_the_deck_in_its_order_drawn_as_its_kind(real_app, real_con, niveau,
                                                                  code, lang):
    content = _deck(real_con, niveau, code, lang)
    specs = deck.slides(content)
    kinds = {s.kind for s in specs}
    assert {"title", "key", "chart", "map", "ranking", "rural", "support", "text"} <= kinds
    at = real_app(niveau=niveau, code=code, **({"lang": lang} if lang != "fr" else {}))
    assert at.multiselect(key="pres_choix").value == [s.key for s in specs]
    titles = []
    for n, spec in enumerate(specs, start=1):
        if n > 1:
            at.button(key="pres_next").click().run()
            assert not at.exception, [e.value for e in at.exception]
        assert at.query_params["diapo"] == str(n)
        titles.append(_block(at, "pres_slide").header[0].value)
        _check_slide(at, content, spec)
    assert titles == deck.slide_titles(content)  # the deck's titles, in the deck's order
    assert at.button(key="pres_next").disabled


def test_slide_keys_name_each_slide_once_the_same_in_every_language(fixture_con):
    """The `diapos=` of a link: one key a slide, whatever the language of the page."""
    fr, en = (deck.slides(_deck(fixture_con, lang=lang)) for lang in ("fr", "en"))
    assert [s.key for s in fr] == [s.key for s in en] == ALL_48
    assert [s.title for s in fr] != [s.title for s in en]


def test_the_notes_shown_are_the_powerpoints(fixture_con):
    content = _deck(fixture_con)
    prs = Presentation(io.BytesIO(deck.to_pptx(content, map_png=PNG)))
    assert [s.notes_slide.notes_text_frame.text for s in prs.slides] == [
        "\n".join(deck.slide_notes(content, spec)) for spec in deck.slides(content)]


def test_the_big_numbers_are_written_as_text_not_markup(real_app, real_con):
    """Labels and sources come from the warehouse: escaped, never read as HTML or markdown."""
    content = _deck(real_con, "region", "76")
    n = [s.kind for s in deck.slides(content)].index("lone") + 1
    markup = _html(_block(real_app(niveau="region", code="76", diapo=str(n)), "pres_slide"))
    assert markup.count('class="esspres-number"') == len(content.lone)
    assert "<script" not in markup


def test_the_chart_fills_the_room_under_the_title(app):
    present = _present()
    at = app(niveau="departement", code="48", diapo="3")
    (sent,) = charts_sent(at)
    layout = sent["layout"]
    assert layout["height"] == present.DEFAULT_ROOM  # 1280 x 720 until the browser measures
    assert layout["title"]["text"] == ""  # the slide's heading says it
    assert layout["font"]["size"] == 20 and layout["showlegend"] is True
    assert sent["id"].endswith("pres_chart_part_ess_emploi_salarie")


def test_the_map_fills_the_room_under_the_title(app):
    present = _present()
    sent = _component(app(niveau="departement", code="48", diapo="4"), "ess_present_map")
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


def test_notes_only_when_asked_under_the_slide(app, fixture_con):
    content = _deck(fixture_con)
    specs = deck.slides(content)
    at = app(niveau="departement", code="48", diapo="3")
    assert _block(at, "pres_notes_box") is None
    at.toggle(key="pres_notes").set_value(True).run()
    *_, slide, box = at.main.children.values()
    assert (slide.key, box.key) == ("pres_slide", "pres_notes_box")  # under the slide
    assert box.subheader[0].value == "Notes de l'orateur"
    notes = deck.slide_notes(content, specs[2])
    assert _html(box) == ('<div class="esspres-notes">'
                          + "".join(f"<p>{html.escape(line)}</p>" for line in notes) + "</div>")
    assert any("Source" in line for line in notes)  # the presenter can read the sources
    at.button(key="pres_next").click().run()  # the notes follow the slide
    after = _html(_block(at, "pres_notes_box"))
    assert after.count("<p>") == len(deck.slide_notes(content, specs[3]))
    assert all(_has(line, after) for line in deck.slide_notes(content, specs[3]))
    at.toggle(key="pres_notes").set_value(False).run()
    assert _block(at, "pres_notes_box") is None
    english = app(niveau="departement", code="48", diapo="3", lang="en")
    english.toggle(key="pres_notes").set_value(True).run()
    box = _block(english, "pres_notes_box")
    assert box.subheader[0].value == "Speaker notes"
    assert _has(deck.slide_notes(_deck(fixture_con, lang="en"), specs[2])[0], _html(box))


def test_an_old_link_still_opens_its_slides(app, fixture_con):
    content = _deck(fixture_con)
    at = app(niveau="departement", code="48", diapos="key,part_ess_emploi_salarie,map")
    assert not at.warning
    assert at.multiselect(key="pres_choix").value == ["key", "part_ess_emploi_salarie", "map"]
    by_key = {s.key: s.title for s in deck.slides(content)}
    for n, key in enumerate(["key", "part_ess_emploi_salarie", "map"], start=1):
        if n > 1:
            at.button(key="pres_next").click().run()
        assert at.markdown[1].value == f"Diapositive {n} sur 3 — Lozère (48)"
        assert _block(at, "pres_slide").header[0].value == by_key[key]
    assert at.query_params["diapos"] == "key,part_ess_emploi_salarie,map"


def test_an_old_link_to_an_indicator_that_moved(real_app):
    """An indicator an old link named now shows among the big numbers, or on the DLA and PTCE
    slide (shipped warehouse: Occitanie has both)."""
    moved = real_app(niveau="region", code="76",
                     diapos="effectifs_salaries_ess,ptce_ami_laureats_phase1")
    assert not moved.warning
    assert moved.multiselect(key="pres_choix").value == ["lone", "support"]


def test_an_unknown_slide_in_a_link_gets_the_french_warning(app):
    at = app(niveau="departement", code="48", diapos="key,inconnue")
    assert at.warning[0].value == WARNING
    assert at.multiselect(key="pres_choix").value == ["key"]
    assert at.query_params["diapos"] == "key"
    alone = app(niveau="departement", code="48", diapos="inconnue")
    assert alone.warning[0].value == WARNING
    assert alone.multiselect(key="pres_choix").value == ALL_48  # none left: all of them


def test_back_or_a_link_in_the_same_session_shows_the_url(app, fixture_con):
    titles = deck.slide_titles(_deck(fixture_con))
    at = app(niveau="departement", code="48", diapo="2")
    at.button(key="pres_next").click().run()
    at.button(key="pres_next").click().run()
    assert at.query_params["diapo"] == "4" and at.header[0].value == titles[3]
    at.query_params["diapo"] = "3"  # the browser's Back: the page runs with the URL before
    at.run()
    assert at.header[0].value == titles[2]
    assert at.query_params["diapo"] == "3"
    at.button(key="pres_next").click().run()  # and goes on from there
    assert at.query_params["diapo"] == "4"
    at.query_params.update({"niveau": "departement", "code": "15", "diapo": "2"})
    at.run()
    assert at.header[0].value.startswith("Cantal (15) : ")  # its key figures' finding
    assert at.selectbox(key="pres_code").value == "15"


def test_the_language_switch_keeps_the_slides(app, fixture_con):
    at = app(niveau="departement", code="48", diapos="key,map", diapo="2")
    at.segmented_control(key="pres_langue").set_value("en").run()
    assert not at.exception
    assert dict(at.query_params) == {"niveau": "departement", "code": "48", "diapo": "2",
                                     "diapos": "key,map", "lang": "en"}
    assert at.header[0].value == deck.map_title(_deck(fixture_con, lang="en"))
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
