"""Issue 14's frictions, on the fixture warehouse: an indicator asked for at a level where no
source publishes it (the map page says so in words, with one click back), the comparison of
territories drawn as charts on the profile page, and the language switch keeping every menu's
choice (the browser half is tests/browser/test_lang_browser.py)."""
import re

import pytest

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


def test_an_unknown_indicator_in_a_link_still_gets_the_french_warning(app):
    at = app("territoires", niveau="epci", indicateur="pas_un_indicateur")
    assert any("n'existe pas ici" in w.value for w in at.warning)
    assert not [i for i in at.info if "Aucune source" in i.value]
