"""The map (/territoires) and profile (/territoire) pages in English, through dashboard.py, on
the fixture warehouse: titles, widget labels, captions, tables and warnings in English, the URL
keeping its French parameter names and values plus `lang=en`; French unchanged by default."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import map_sent, open_page, open_panels

NB = "\u00a0"
# Words of the French interface that no English screen of these pages may show (territory
# names, source titles and publishers stay as published: they are left out of the check).
FRENCH = re.compile(r"\b(Carte des|Profil d'un|Niveau|Indicateur|Année|Définition du rural|"
                    r"Classement|Rang|Territoire|Cercles|Seuils|communes rurales|À propos|"
                    r"Télécharger|Exporter|Graphique|Comparer|Dossier|Rechercher|Densité|"
                    r"Habitants|Population municipale|sur|données|Définitions|Outre-mer|"
                    r"aucune?|en encart|Le lien demande)\b")


@pytest.fixture()
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    return open_page


def _labels(at: AppTest) -> dict[str, str]:
    """Widget key -> label, for every keyed input widget of the page."""
    kinds = ("radio", "selectbox", "multiselect", "text_input", "slider", "checkbox")
    return {w.key: w.label for kind in kinds for w in at.get(kind) if w.key}


def _page_texts(at: AppTest) -> list[str]:
    """Every text of the page body a reader sees (not the sidebar, not data tables)."""
    texts = [e.value for kind in ("title", "header", "subheader", "caption", "info", "warning")
             for e in getattr(at.main, kind)]
    texts += [e.label for e in at.main.expander]
    texts += list(_labels(at).values())
    texts += [m.label for m in at.metric]
    texts += [b.proto.label for b in at.get("download_button")]
    texts += [str(c) for d in at.dataframe for c in d.value.columns]  # table headers
    return texts


def _frame(at, column: str, nth: int = 0):
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    return frames[nth]


def test_map_page_in_english(app):
    at = app("territoires", lang="en", niveau="region", indicateur="part_ess_emploi_salarie",
             annee="2008")
    assert at.title[0].value == "Territory map"
    assert _labels(at) == {
        "t_niveau": "Level", "t_zone": "Zone", "t_indicateur": "Indicator", "t_annee": "Year",
        "t_source": "Source", "t_evolution": "Change since", "t_rural": "Rural definition",
        "t_classes": "Classes",
        "t_n": "Number of classes", "t_seuils": "Thresholds (separated by ;)",
        "t_contour": "Outline rural municipalities", "t_symboles": "Proportional circles"}
    assert at.radio(key="t_niveau").options == ["Region", "Department",
                                                "Inter-municipality (EPCI)", "Municipality"]
    assert at.radio(key="t_classes").options[0] == "Quantiles (equal counts)"
    assert at.main.expander[0].label == "Ranking of the map's territories"
    assert at.selectbox(key="t_zone").options[:2] == ["All of France", "Region: Occitanie"]
    assert "Department: Lozère (48)" in at.selectbox(key="t_zone").options
    assert at.selectbox(key="t_indicateur").options[0] == "ESS share of salaried jobs"
    assert at.selectbox(key="t_symboles").options[0] == "none"
    assert at.selectbox(key="t_rural").options == ["Approximation from commune density"]
    captions = " ".join(c.value for c in at.main.caption)
    assert "“Rural”: Approximation from commune density. Overseas departments" in captions
    open_panels(at)
    ranking = _frame(at, "Rank")
    assert list(ranking.columns) == ["Rank", "Code", "Territory", "ESS share of salaried jobs",
                                     "Source"]
    assert ranking["ESS share of salaried jobs"].tolist() == [f"11.0{NB}%", f"9.0{NB}%"]
    assert "About this data" in [e.label for e in at.expander]
    assert at.table[0].value.index.name == "Series"  # the export panel's data view
    about = " ".join(m.value for m in at.main.markdown)
    assert "**ESS share of salaried jobs** — " in about
    assert "“Rural” as defined by: " in about
    assert re.search(r"- Source: .*; 2008, 2014 data", about)
    french = [text for text in _page_texts(at) if FRENCH.search(text)]
    assert not french, french
    sent = map_sent(at)  # the map: title, hover, legend, buttons, text alternative
    assert sent["title"] == "ESS share of salaried jobs, 2008"
    fill = next(layer for layer in sent["layers"] if layer["kind"] == "fill")
    assert "Year: 2008" in fill["hover"]["template"]
    assert sent["legend"]["classes"][0][1].startswith("under ")
    assert sent["labels"] == {"in": "Zoom in", "out": "Zoom out",
                              "reset": "Back to the whole view",
                              "click": "Click to open its profile"}
    assert sent["clickable"] is True
    assert sent["note"].startswith("Source: ") and sent["alt"].startswith("Map of 2 ")
    # the link: French parameter names and values, plus the language
    assert dict(at.query_params) == {
        "niveau": "region", "zone": "france", "indicateur": "part_ess_emploi_salarie",
        "annee": "2008", "source": "src_b", "rural": "approx_densite_communale",
        "classes": "quantiles", "n": "5", "contour": "aucun", "evolution": "aucune",
        "symboles": "aucun", "lang": "en"}


def test_map_page_widgets_change_the_view_in_english(app):
    at = app("territoires", lang="en", niveau="departement", annee="2014")
    at.selectbox(key="t_evolution").set_value("2008").run()
    assert at.query_params["evolution"] == "2008"
    assert at.query_params["lang"] == "en"
    assert any(c.value.startswith("Map of changes: diverging scale")
               for c in at.main.caption)
    at.radio(key="t_classes").set_value("seuils").run()
    at.text_input(key="t_seuils").input("10 ; abc").run()
    assert "Quantile classes meanwhile." in at.warning[0].value
    assert not FRENCH.search(at.warning[0].value)


def test_map_page_hostile_parameters_warn_in_english(app):
    at = app("territoires", lang="en", niveau="<script>alert(1)</script>",
             indicateur="x' OR 1=1 --", annee="9999")
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("The link asks for the level “") and
               w.endswith("”, which does not exist here. Showing the default: “Department”.")
               for w in warnings), warnings
    assert any(w.startswith("The link asks for the indicator “") for w in warnings)
    assert any(w.startswith("The link asks for the year “9999”") for w in warnings)
    assert "<script>" not in " ".join(warnings)
    assert not [w for w in warnings if FRENCH.search(w)]
    assert at.query_params["niveau"] == "departement"
    assert at.query_params["lang"] == "en"


def test_map_page_in_french_by_default(app):
    at = app("territoires", niveau="region", indicateur="x")
    assert at.title[0].value == "Carte des territoires"
    assert _labels(at)["t_niveau"] == "Niveau"
    assert at.radio(key="t_niveau").options[0] == "Région"
    assert at.selectbox(key="t_zone").options[:2] == ["France entière", "Région : Occitanie"]
    assert at.main.expander[0].label == "Classement des territoires de la carte"
    assert at.warning[0].value == ("Le lien demande l'indicateur « x », qui n'existe pas ici. "
                                   "Affichage par défaut : « Part de l'ESS dans l'emploi "
                                   "salarié ».")  # as the menu writes it, not its code
    assert "lang" not in at.query_params


def test_profile_page_in_english(app):
    at = open_panels(app("territoire", lang="en", niveau="departement", code="48"))
    assert at.title[0].value == "Territory profile"
    assert at.header[0].value == "Lozère (48)"
    assert _labels(at) == {
        "p_search": "Search for a territory (name or code, accents optional)",
        "p_niveau": "Level", "p_code": "Territory", "p_rural": "Rural definition",
        "p_annee": "Year of the ESS figures in the summary",
        "p_compare": "Up to three territories", "export_chart": "Chart"}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Municipal population 2022": "11,000", "Density": f"611.1{NB}inhab./km²",
                       "Rural municipalities": "1 of 3",
                       "Population in rural municipalities": f"0.9{NB}%"}
    assert [s.value for s in at.subheader] == [
        "Rurality: municipalities and inhabitants by density class",
        "Against the territories it belongs to and France", "Published ESS figures",
        "Similar territories", "Compare with other territories", "Territory pack"]
    assert any(c.value.startswith("Legal population 2022 (INSEE); area computed")
               for c in at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Territory pack, PowerPoint" in labels
    assert "CSV (French Excel)" in labels
    assert dict(at.query_params) == {"niveau": "departement", "code": "48", "comparer": "",
                                     "annee": "2014", "rural": "approx_densite_communale",
                                     "lang": "en"}


def test_profile_page_says_no_french_in_english(app):
    at = open_panels(app("territoire", lang="en", niveau="departement", code="48"))
    french = [text for text in _page_texts(at) if FRENCH.search(text)]
    assert not french, french


def test_profile_search_and_bad_code_in_english(app):
    at = app("territoire", lang="en", niveau="departement", code="../../etc")
    assert at.warning[0].value.startswith("The link asks for the territory code “")
    at.text_input(key="p_search").input("zzzz").run()
    assert "No territory matches." in [c.value for c in at.caption]
    at.text_input(key="p_search").input("saint").run()
    assert at.selectbox(key="p_found").label == "Results"
    assert at.button(key="p_go").label == "Show this territory"


def test_profile_language_from_the_switch_is_written_into_the_url(app):
    at = app("territoire", niveau="departement", code="48")
    assert at.title[0].value == "Profil d'un territoire"
    assert "lang" not in at.query_params
    at.session_state["langue"] = "en"
    at.run()
    assert at.title[0].value == "Territory profile"
    assert at.query_params["lang"] == "en"
    assert at.query_params["code"] == "48"
    at.session_state["langue"] = "fr"
    at.run()
    assert at.title[0].value == "Profil d'un territoire"
    assert "lang" not in at.query_params


def test_profile_downloads_are_made_in_english(app, monkeypatch):
    """Every file behind the page's download buttons is asked of the library in English (the
    language is read when the page runs: the click runs on another thread)."""
    from streamlit.delta_generator import DeltaGenerator

    from ess_data.export import charts, deck, tables
    from ui import exports

    asked: list[tuple[str, str]] = []
    original = DeltaGenerator.download_button

    def eager(self, label, data, *args, **kwargs):  # make deferred files now, as a click would
        return original(self, label, data() if callable(data) else data, *args, **kwargs)

    def record(name, real=None, lang_position=99):
        def fake(*args, **kwargs):
            asked.append((name, kwargs.get("lang", args[lang_position]
                                        if len(args) > lang_position else "fr")))
            return real(*args, **kwargs) if real else b""
        return fake

    monkeypatch.setattr(DeltaGenerator, "download_button", eager)
    monkeypatch.setattr(charts, "unavailable_reason", lambda lang="fr": None)
    monkeypatch.setattr(charts, "to_image", record("chart"))
    monkeypatch.setattr(deck, "export", record("deck"))
    monkeypatch.setattr(tables, "observations_xlsx", record("xlsx", tables.observations_xlsx))
    monkeypatch.setattr(tables, "observations_frame",
                        record("frame", tables.observations_frame, lang_position=1))
    exports._deck_file.cache_clear()
    at = open_panels(app("territoire", lang="en", niveau="departement", code="48"))
    assert sorted(set(asked)) == [("chart", "en"), ("deck", "en"), ("frame", "en"),
                                  ("xlsx", "en")]
    assert len([a for a in asked if a[0] == "deck"]) == 3  # PowerPoint, PDF, Excel
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["CSV (French Excel)", "International CSV", "Excel (XLSX)",
                      "Territory pack, PowerPoint", "Territory pack, PDF",
                      "Territory pack, Excel", "PNG (slide)", "SVG", "PDF"]
    exports._deck_file.cache_clear()
