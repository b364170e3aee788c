"""What a person sees: every page in Chromium, offline, the map drawn, links that open a view."""
import io

import numpy as np
import pytest
from PIL import Image

from tests.browser.conftest import start_server, stop_server

PAGES = [
    ("/", "L'économie sociale et solidaire dans l'emploi rural"),
    ("/territoires", "Carte des territoires"),
    ("/territoire", "Profil d'un territoire"),
    ("/dla", "Le dispositif local d'accompagnement"),
    ("/ptce", "Les pôles territoriaux de coopération économique"),
    ("/acteurs", "Qui fait quoi"),
    ("/sources", "Sources et définitions"),
]


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_page_opens_offline_without_exception(server, visit, path, title):
    v = visit(server + path)
    v.wait_text(title)
    v.page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=60_000)
    assert v.exceptions() == []
    assert v.outside == [], "requests left localhost"


def _blue_pixels(png: bytes) -> int:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    # every class of the blue palettes, from #eff3ff to #000091; white and greys are r = g = b
    return int(((b > r + 12) & (b >= g)).sum())


MAP = ".essmap[data-drawn]"  # ui/mapview.js sets data-drawn once the canvas is painted


def _map(v):
    """Wait for the map; its canvas."""
    v.page.wait_for_selector(MAP, timeout=60_000)
    return v.page.query_selector(".essmap-canvas")


def test_map_is_drawn_hovered_and_zoomed(server, visit):
    v = visit(server + "/territoires?niveau=departement&zone=france"
                       "&indicateur=part_ess_emploi_salarie&annee=2014")
    canvas = _map(v)
    assert int(v.page.get_attribute(MAP, "data-drawn")) == 101  # every department, even greyed
    before = canvas.screenshot()
    pixels = _blue_pixels(before)
    assert pixels > 20_000, f"only {pixels} coloured pixels: the map looks blank"
    legend = v.page.inner_text(".essmap-legend")
    assert "%" in legend and "Aucune valeur publiée" in legend  # Mayotte: no 2014 figure
    v.wait_text("En gris : aucune valeur pour 1 territoire(s) (Mayotte)")
    assert "Source : Insee" in v.page.inner_text(".essmap-note")
    # hovering the Massif central names a department, its value, year and source
    box = canvas.bounding_box()
    v.page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.6)
    tip = v.page.wait_for_selector(".essmap-tip:not([hidden])", timeout=10_000).inner_text()
    assert "%" in tip and "Année : 2014" in tip and "Insee" in tip, tip
    v.page.click(".essmap-tools [data-zoom=in]")
    v.page.wait_for_timeout(300)
    assert canvas.screenshot() != before  # zoomed in
    v.page.click(".essmap-tools [data-zoom=reset]")
    v.page.mouse.move(0, 0)  # off the button (its hover colour) before the picture
    v.page.wait_for_timeout(300)
    assert canvas.screenshot() == before  # the whole view again
    canvas.focus()  # the keyboard: + zooms, 0 refits (a focus ring now frames the map)
    v.page.keyboard.press("0")
    v.page.wait_for_timeout(300)
    focused = canvas.screenshot()
    v.page.keyboard.press("+")
    v.page.wait_for_timeout(300)
    assert canvas.screenshot() != focused
    v.page.keyboard.press("0")
    v.page.wait_for_timeout(300)
    assert canvas.screenshot() == focused
    assert v.errors == [] and v.outside == []


def test_shared_link_shows_lozere(server, visit):
    v = visit(server + "/territoire?niveau=departement&code=48")
    v.wait_text("Lozère (48)")
    assert v.exceptions() == []


def test_malformed_code_gives_french_message(server, visit):
    v = visit(server + "/territoire?niveau=departement&code=%3Cscript%3Ealert(1)%3C/script%3E")
    v.wait_text("n'existe pas ici")
    alert = v.page.query_selector("[data-testid=stAlert]").inner_text()
    assert "le code territoire" in alert
    assert "<script>" not in v.page.content().split("stAlert")[1][:2000]
    assert v.exceptions() == []


def test_first_visit_after_start_can_be_a_deep_link(real_db, visit):
    """A shared link opened first on a fresh server still gets the app's navigation."""
    proc, base = start_server(real_db)
    try:
        v = visit(base + "/territoire?niveau=region&code=53")
        v.wait_text("Bretagne (53)")
        nav = v.page.query_selector("[data-testid=stSidebarNav]").inner_text()
        assert "Carte des territoires" in nav and "dashboard" not in nav
        # the page then writes its defaults in the URL, at the end of its run
        v.page.wait_for_url("**/territoire?niveau=region&code=53&*", timeout=30_000)
    finally:
        stop_server(proc)


@pytest.mark.parametrize("query", [
    "niveau=commune&zone=departement-48&indicateur=densite_population&contour=rural",
    "niveau=epci&zone=region-53&indicateur=part_population_rurale&classes=seuils&seuils=25;50;75",
    "niveau=region&zone=france&indicateur=part_ess_emploi_salarie&annee=2008&classes=egal&n=4",
])
def test_shared_map_links_draw_their_map(server, visit, query):
    v = visit(f"{server}/territoires?{query}")
    assert _blue_pixels(_map(v).screenshot()) > 20_000
    params = dict(p.split("=") for p in query.split("&"))
    v.page.wait_for_function(  # the URL keeps every parameter of the link (and adds defaults)
        "ps => ps.every(p => decodeURIComponent(location.search).includes(p))",
        arg=[f"{k}={val}" for k, val in params.items()], timeout=30_000)
    assert v.exceptions() == [] and v.errors == [] and v.outside == []


def test_shared_profile_link_of_a_commune(server, visit):
    v = visit(f"{server}/territoire?niveau=commune&code=15187&comparer=commune-48095")
    v.wait_text("Saint-Flour (15187)")
    v.wait_text("Mende (48095)")
    assert "La commune est classée" in v.page.inner_text("[data-testid=stAlert]")
    assert v.exceptions() == [] and v.outside == []


def _dark_grey_pixels(png: bytes) -> int:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    # label text (#161616 and its anti-aliasing); the fills are blues, borders white
    return int(((r < 90) & (abs(r - b) < 20) & (abs(r - g) < 20)).sum())


def test_region_map_has_labels(server, visit):
    v = visit(server + "/territoires?niveau=region&zone=france"
                       "&indicateur=part_ess_emploi_salarie&annee=2014")
    box = _map(v).bounding_box()
    centre = {"x": box["x"] + box["width"] * 0.2, "y": box["y"] + box["height"] * 0.15,
              "width": box["width"] * 0.6, "height": box["height"] * 0.7}
    labels = _dark_grey_pixels(v.page.screenshot(clip=centre))
    assert labels > 100, f"only {labels} dark pixels: no region names on the map"  # 0 unlabelled
    departments = visit(server + "/territoires?niveau=departement&zone=france"
                                 "&indicateur=part_ess_emploi_salarie&annee=2014")
    box = _map(departments).bounding_box()  # 101 departments: too many to name
    centre = {"x": box["x"] + box["width"] * 0.2, "y": box["y"] + box["height"] * 0.15,
              "width": box["width"] * 0.6, "height": box["height"] * 0.7}
    assert _dark_grey_pixels(departments.page.screenshot(clip=centre)) < labels / 5
    assert v.errors == [] and v.outside == []


def _click_a_place(v, x: float, y: float) -> str:
    """Hover then click the map at (x, y) as fractions of its canvas; the place's name."""
    box = _map(v).bounding_box()
    at = (box["x"] + box["width"] * x, box["y"] + box["height"] * y)
    v.page.mouse.move(*at)
    tip = v.page.wait_for_selector(".essmap-tip:not([hidden])", timeout=10_000).inner_text()
    assert "Cliquer pour ouvrir son profil" in tip
    v.page.mouse.click(*at)
    return tip.splitlines()[0]


def test_a_click_on_the_map_opens_the_profile(server, visit):
    v = visit(server + "/territoires?niveau=departement&zone=region-76"
                       "&indicateur=part_ess_emploi_salarie&annee=2014")
    name = _click_a_place(v, 0.5, 0.5)
    v.page.wait_for_url("**/territoire?*", timeout=30_000)
    v.wait_text(f"{name} (")  # the profile's heading: name (code)
    assert "niveau=departement" in v.page.url and "rural=" in v.page.url
    # the profile's URL came written in full: one history entry, Back returns to the map
    assert "comparer=&annee=" in v.page.url
    v.page.go_back()
    v.page.wait_for_url("**/territoires?*zone=region-76*", timeout=30_000)
    _map(v)
    # back to the map (same session), another place opens its own profile, not the last one
    v.page.get_by_test_id("stSidebarNav").get_by_text("Carte des territoires").click()
    v.page.wait_for_url("**/territoires?*", timeout=30_000)
    v.page.wait_for_function("() => document.querySelector('.essmap-title')"
                             "?.textContent.includes('2014')", timeout=30_000)
    other = _click_a_place(v, 0.5, 0.3)  # France's departments: the north of the centre
    assert other != name
    v.wait_text(f"{other} (")
    assert v.exceptions() == [] and v.errors == [] and v.outside == []


def test_in_english_one_view_is_one_history_entry(server, visit):
    """A page writes its parameters and the language in one go: a change of zone adds one
    entry to the browser's history, and Back returns to the previous view, still in English."""
    v = visit(server + "/territoires?niveau=departement&zone=france"
                       "&indicateur=densite_population&lang=en")
    _map(v)
    v.page.wait_for_timeout(500)
    before = v.page.evaluate("history.length")
    box = v.page.locator("[data-testid=stSelectbox]").filter(has_text="Zone").first
    box.click()
    v.page.keyboard.type("Bretagne")
    v.page.keyboard.press("Enter")
    v.page.wait_for_url("**zone=region-53*", timeout=30_000)
    v.page.wait_for_function("() => document.querySelector('.essmap-title')"
                             "?.textContent.includes('Bretagne')", timeout=30_000)
    assert v.page.evaluate("history.length") == before + 1
    assert v.page.url.endswith("&lang=en")
    v.page.go_back()
    v.page.wait_for_url("**zone=france*", timeout=30_000)
    assert v.page.url.endswith("&lang=en")
    v.wait_text("Territory map")
    assert v.exceptions() == [] and v.errors == []
