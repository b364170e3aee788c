"""The language switch, round trip, in Chromium: every menu keeps its choice and shows it in the
language chosen, nothing of the other language is left, and `<html lang>` follows (RGAA).

Streamlit sends a menu's value to the server as the label of the option: before ui.lang kept
the choices, switching language blanked the radios, left French labels in English menus and,
back in French, put labels into the URL (`niveau=R%C3%A9gion`)."""
import re

RUN_DONE = "[data-testid=stStatusWidget]"


def _settled(v) -> None:
    """Wait for the script run the last click started to finish."""
    v.page.wait_for_timeout(300)
    v.page.wait_for_selector(RUN_DONE, state="detached", timeout=60_000)


def _radio(v, label: str) -> str:
    """The checked option of the radio group labelled `label` ('' when none is)."""
    return v.page.evaluate("""label => {
        const group = [...document.querySelectorAll('[data-testid=stRadio]')].find(
            r => r.querySelector('[data-testid=stWidgetLabel]')?.innerText.trim() === label);
        const checked = group?.querySelector('input:checked');
        return checked ? checked.closest('label').innerText.trim() : '';
    }""", label)


def _select(v, label: str) -> str:
    """The value shown by the select box labelled `label`."""
    return v.page.locator(f'[data-testid=stSelectbox] input[aria-label="{label}"]').input_value()


def _type(box, text: str) -> None:
    """Type into a menu's search box as a person does (long lists are virtual: only the
    options in view exist in the page; `fill` does not filter them)."""
    box.click()
    box.press_sequentially(text, delay=30)


def _choose(v, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label`."""
    _type(v.page.locator(f'[data-testid=stSelectbox] input[aria-label="{label}"]'),
          option.split(" (")[0])
    v.page.get_by_role("option", name=option, exact=True).click()
    _settled(v)


def _click(v, text: str) -> None:
    v.page.get_by_text(text, exact=True).first.click()
    _settled(v)


def _html_lang(v) -> str:
    return v.page.evaluate("document.documentElement.lang")


def _wait_lang(v, lang: str) -> None:
    v.page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=30_000)


RURAL_FR = "Rural approché par la densité communale (calcul du projet)"
RURAL_EN = "Rural approximated from municipal density (project calculation)"


def test_map_page_language_round_trip_keeps_every_choice(server, visit):
    v = visit(server + "/territoires")
    v.wait_text("Carte des territoires")
    _settled(v)
    assert _html_lang(v) == "fr"
    _click(v, "Région")
    v.page.wait_for_url(re.compile(r"niveau=region"), timeout=30_000)
    _click(v, "Intervalles égaux")
    v.page.wait_for_url(re.compile(r"classes=egal"), timeout=30_000)
    _choose(v, "Indicateur", "Population municipale")
    v.page.wait_for_url(re.compile(r"indicateur=population_municipale"), timeout=30_000)
    assert (_radio(v, "Niveau"), _radio(v, "Classes")) == ("Région", "Intervalles égaux")
    assert "niveau=region" in v.page.url and "indicateur=population_municipale" in v.page.url

    _click(v, "English")
    v.wait_text("Territory map")
    _wait_lang(v, "en")
    v.page.wait_for_url(re.compile(r"lang=en"), timeout=30_000)
    assert _radio(v, "Level") == "Region"
    assert _radio(v, "Classes") == "Equal intervals"
    assert _select(v, "Indicator") == "Municipal population"
    assert _select(v, "Rural definition") == RURAL_EN
    assert _select(v, "Zone") == "All of France"
    assert _select(v, "Proportional circles") == "none"
    assert re.search(r"niveau=region&.*indicateur=population_municipale&.*classes=egal.*"
                     r"&lang=en$", v.page.url), v.page.url

    _click(v, "Français")
    v.wait_text("Carte des territoires")
    _wait_lang(v, "fr")
    assert _radio(v, "Niveau") == "Région"
    assert _radio(v, "Classes") == "Intervalles égaux"
    assert _select(v, "Indicateur") == "Population municipale"
    assert _select(v, "Définition du rural") == RURAL_FR
    assert _select(v, "Zone") == "France entière"
    assert _select(v, "Cercles proportionnels") == "aucun"
    # no label of either language went into the link: the values are codes
    assert "niveau=region" in v.page.url and "classes=egal" in v.page.url
    assert "lang=" not in v.page.url and "%C3%A9" not in v.page.url
    assert v.exceptions() == [] and v.outside == []


def test_profile_page_language_round_trip(server, visit):
    v = visit(server + "/territoire")
    v.wait_text("Profil d'un territoire")
    _settled(v)
    _click(v, "Région")
    v.page.wait_for_url(re.compile(r"niveau=region"), timeout=30_000)
    _choose(v, "Territoire", "Bretagne (53)")
    v.page.wait_for_url(re.compile(r"code=53"), timeout=30_000)
    _type(v.page.locator('[data-testid=stMultiSelect] input'), "Normandie")
    v.page.get_by_role("option", name="Normandie (28)", exact=True).wait_for(state="attached")
    v.page.keyboard.press("Enter")  # the one option left (its list may open off screen)
    v.page.keyboard.press("Escape")  # close the list: the choice is sent
    v.page.wait_for_url(re.compile(r"comparer=region-28"), timeout=30_000)
    _settled(v)

    _click(v, "English")
    v.wait_text("Territory profile")
    _wait_lang(v, "en")
    v.page.wait_for_url(re.compile(r"lang=en"), timeout=30_000)
    assert _radio(v, "Level") == "Region"
    assert _select(v, "Territory") == "Bretagne (53)"
    assert _select(v, "Rural definition") == RURAL_EN
    assert "Normandie (28)" in v.page.locator("[data-testid=stMultiSelect]").inner_text()
    assert re.search(r"niveau=region&code=53&comparer=region-28&.*&lang=en$", v.page.url)

    _click(v, "Français")
    v.wait_text("Profil d'un territoire")
    _wait_lang(v, "fr")
    assert _radio(v, "Niveau") == "Région"
    assert _select(v, "Territoire") == "Bretagne (53)"
    assert _select(v, "Définition du rural") == RURAL_FR
    assert "niveau=region&code=53&comparer=region-28" in v.page.url
    assert "lang=" not in v.page.url
    assert v.exceptions() == [] and v.outside == []


def test_html_lang_of_a_link_follows_its_language(server, visit):
    """A shared link opens with the page's language declared (Streamlit's own page says "en"
    whatever the language)."""
    french = visit(server + "/sources")
    french.wait_text("Sources et définitions")
    _wait_lang(french, "fr")
    english = visit(server + "/sources?lang=en")
    english.wait_text("Sources and definitions")
    _wait_lang(english, "en")
