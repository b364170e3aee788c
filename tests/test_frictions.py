"""Issue 14's frictions, on the fixture warehouse: an indicator asked for at a level where no
source publishes it (the map page says so in words, with one click back), the comparison of
territories drawn as charts on the profile page, and the language switch keeping every menu's
choice (the browser half is tests/browser/test_lang_browser.py)."""
import re

import plotly.graph_objects as go
import pytest

from ess_data import figures
from ess_data.registry import load_registry
from tests.conftest import open_page

NB = "\u00a0"
CODES = re.compile(r"part_ess|_emploi|densite_population|departement|\bepci\b|src_[ab]")


@pytest.fixture()
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("ESS_DB", str(fixture_db))
    return open_page


def _shown_text(at) -> str:
    """Every text a person reads on the page (messages, captions, buttons, labels)."""
    parts = [e.value for kind in (at.info, at.warning, at.error, at.caption, at.markdown)
             for e in kind]
    return "\n".join(parts + [b.label for b in at.button])


# --- an indicator not published at the level chosen ----------------------------------------

def test_epci_level_says_plainly_that_no_source_publishes_the_ess_share(app):
    at = app("territoires", niveau="epci", indicateur="part_ess_emploi_salarie", annee="2014")
    (info,) = [i.value for i in at.info if "Aucune source" in i.value]
    assert info == ("Aucune source ne publie « Part de l'ESS dans l'emploi salarié » au niveau "
                    "des EPCI. Le niveau le plus fin publié est le département (Éditeur B, 2014).")
    assert not at.warning  # no « le lien demande l'indicateur part_ess_... » nor a year warning
    assert not CODES.search(_shown_text(at)), _shown_text(at)
    # meanwhile the map shows the level's first indicator, named in the menu
    assert at.selectbox(key="t_indicateur").value == "densite_population"
    assert at.query_params["niveau"] == "epci"
    # one click back to the finest level that has it, with the indicator
    (back,) = [b for b in at.button if b.key == "t_back_to_finest"]
    assert back.label == "Voir « Part de l'ESS dans l'emploi salarié » par département"
    back.click().run()
    assert not at.exception
    assert at.radio(key="t_niveau").value == "departement"
    assert at.selectbox(key="t_indicateur").value == "part_ess_emploi_salarie"
    assert at.query_params["indicateur"] == "part_ess_emploi_salarie"
    assert not [i for i in at.info if "Aucune source" in i.value]


def test_switching_the_radio_to_communes_and_back_keeps_the_indicator(app):
    at = app("territoires", niveau="departement", indicateur="part_ess_emploi_salarie",
             annee="2008")
    at.radio(key="t_niveau").set_value("commune").run()
    assert not at.exception
    (info,) = [i.value for i in at.info if "Aucune source" in i.value]
    assert "au niveau des communes" in info and "le département (Éditeur B, 2014)" in info
    assert not at.warning and not CODES.search(_shown_text(at))
    at.radio(key="t_niveau").set_value("departement").run()  # back by hand: the indicator too
    assert at.selectbox(key="t_indicateur").value == "part_ess_emploi_salarie"
    assert not [i for i in at.info if "Aucune source" in i.value]


def test_another_indicator_chosen_meanwhile_is_kept(app):
    at = app("territoires", niveau="commune", zone="departement-48",
             indicateur="part_ess_emploi_salarie")
    at.selectbox(key="t_indicateur").set_value("population_municipale").run()
    assert not [i for i in at.info if "Aucune source" in i.value]  # the user chose: no message
    at.radio(key="t_niveau").set_value("departement").run()
    assert at.selectbox(key="t_indicateur").value == "population_municipale"


def test_epci_message_in_english(app):
    at = app("territoires", niveau="epci", indicateur="part_ess_emploi_salarie", lang="en")
    (info,) = [i.value for i in at.info if "No source" in i.value]
    assert info == ("No source publishes “ESS share of salaried jobs” at the level of "
                    "inter-municipalities (EPCI). The finest level published is the department "
                    "(Éditeur B, 2014).")
    (back,) = [b for b in at.button if b.key == "t_back_to_finest"]
    assert back.label == "Show “ESS share of salaried jobs” by department"


def test_a_wrong_link_names_the_defaults_as_the_menus_do(app):
    """Each wrong parameter gets its French warning; the default it falls back to is written
    as its menu shows it, not as the code the URL uses."""
    at = app("territoires", niveau="canton", indicateur="x", annee="1900", rural="y",
             classes="z", symboles="w", zone="v")
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 7 and all("n'existe pas ici" in w for w in warnings)
    assert "Affichage par défaut : « Département »." in warnings[0]
    assert "Affichage par défaut : « France entière »." in warnings[1]
    assert "« Approximation par la densité communale »" in " ".join(warnings)
    assert "« Quantiles (effectifs égaux) »" in " ".join(warnings)
    assert not CODES.search(" ".join(warnings)), warnings
    assert "approx_densite" not in " ".join(warnings) and "quantiles" not in " ".join(warnings)
    profile = app("territoire", niveau="canton", code="999", rural="y")
    warnings = " ".join(w.value for w in profile.warning)
    assert "« Département »" in warnings and "« Cantal (15) »" in warnings
    assert not CODES.search(warnings), warnings


def test_an_unknown_indicator_in_a_link_still_gets_the_french_warning(app):
    at = app("territoires", niveau="epci", indicateur="pas_un_indicateur")
    assert any("n'existe pas ici" in w.value for w in at.warning)
    assert not [i for i in at.info if "Aucune source" in i.value]


# --- comparison of territories: charts ------------------------------------------------------

def _charts(at) -> dict[str, dict]:
    """The figures the page's run showed with ui.widgets.chart, by chart key (the list its
    export panel reads: whatever draws them in the browser, these are the figures)."""
    return {key: fig.to_dict() for key, _, fig in at.session_state["_page_charts"]}


def test_profile_comparison_is_drawn_one_chart_per_indicator(app):
    """2008: src_b publishes 48 and 15, src_a publishes 63: the chart draws src_b's series, the
    one of the table above it, and marks 63 « non publié » rather than mixing src_a in."""
    at = app("territoire", niveau="departement", code="48", annee="2008",
             comparer="departement-15,departement-63")
    charts = _charts(at)
    ess = charts["compared_part_ess_emploi_salarie"]
    (bars,) = ess["data"]
    assert bars["y"] == ["Lozère (département)", "Cantal (département)",
                         "Puy-de-Dôme (département)"]
    assert bars["text"] == [f"25,1{NB}%", f"14,2{NB}%", "non publié"]
    assert bars["marker"]["color"][0] == figures.BLUE
    assert ess["layout"]["title"]["text"] == "Part de l'ESS dans l'emploi salarié, 2008"
    assert ess["layout"]["meta"]["source"].startswith("Source : Éditeur B")
    assert "Éditeur A" not in ess["layout"]["meta"]["source"]
    assert "données 2008" in ess["layout"]["meta"]["source"]
    # the table above shows the same figures
    table = [d.value for d in at.dataframe if "Habitants en commune rurale" in d.value.columns][-1]
    assert table.iloc[:, -1].tolist() == [f"25,1{NB}%", f"14,2{NB}%", ""]
    rural = charts["compared_part_population_rurale"]
    assert "« Rural » : " in rural["layout"]["meta"]["source"]  # which rural definition
    assert rural["layout"]["title"]["text"].endswith(", 2022")  # the legal population's year
    assert "compared_densite_population" in charts


def test_profile_comparison_charts_in_english(app):
    at = app("territoire", niveau="departement", code="48", comparer="departement-15",
             lang="en")
    ess = _charts(at)["compared_part_ess_emploi_salarie"]
    assert ess["data"][0]["y"] == ["Lozère (department)", "Cantal (department)"]
    assert ess["layout"]["meta"]["source"].startswith("Source: Éditeur B")


def test_no_comparison_no_chart(app):
    at = app("territoire", niveau="departement", code="48")
    assert not [k for k in _charts(at) if k.startswith("compared_")]


def test_compare_territories_figure(fixture_con):
    import pandas as pd
    ind = load_registry(fixture_con).get("part_ess_emploi_salarie")
    rows = pd.DataFrame({"territory": ["A (département)", "B (département)"],
                         "value": [27.8697, float("nan")], "period": ["2014", None],
                         "source_publisher": ["Éditeur B", None],
                         "source_title": ["Titre", None], "source_published": ["2017", None]})
    fig = figures.compare_territories(rows, ind, note="« Rural » : test.")
    go.Figure(fig.to_dict())  # valid Plotly
    assert list(fig.data[0].text) == [f"27,9{NB}%", "non publié"]
    assert list(fig.data[0].x) == [27.8697, 0.0]
    assert fig.layout.meta["source"] == ("Source : Éditeur B, Titre (2017) ; données 2014. "
                                         "« Rural » : test.")
    assert figures.data_table(fig)["Valeur"].tolist() == [f"27,9{NB}%", "non publié"]
