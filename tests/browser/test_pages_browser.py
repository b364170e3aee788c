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


def test_map_is_drawn(server, visit):
    v = visit(server + "/territoires?niveau=departement&zone=france"
                       "&indicateur=part_ess_emploi_salarie&annee=2014")
    canvas = v.page.wait_for_selector(".js-plotly-plot canvas", timeout=60_000)
    v.page.wait_for_timeout(1500)  # MapLibre paints after the element exists
    plot = v.page.query_selector(".js-plotly-plot")
    pixels = _blue_pixels(plot.screenshot())
    assert canvas is not None
    assert pixels > 20_000, f"only {pixels} coloured pixels: the map looks blank"
    assert v.outside == []


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
    v.page.wait_for_selector(".js-plotly-plot canvas", timeout=60_000)
    v.page.wait_for_timeout(1500)
    assert _blue_pixels(v.page.query_selector(".js-plotly-plot").screenshot()) > 20_000
    params = dict(p.split("=") for p in query.split("&"))
    v.page.wait_for_function(  # the URL keeps every parameter of the link (and adds defaults)
        "ps => ps.every(p => decodeURIComponent(location.search).includes(p))",
        arg=[f"{k}={val}" for k, val in params.items()], timeout=30_000)
    assert v.exceptions() == [] and v.outside == []


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


def test_region_map_has_labels_from_the_app_glyphs(server, visit):
    served = []
    v = visit(server + "/territoires?niveau=region&zone=france"
                       "&indicateur=part_ess_emploi_salarie&annee=2014")
    v.page.on("response", lambda r: served.append((r.url, r.status))
              if "/app/static/glyphs/" in r.url else None)
    canvas = v.page.wait_for_selector(".js-plotly-plot canvas", timeout=60_000)
    v.page.wait_for_timeout(2500)  # glyphs arrive after the fills
    box = canvas.bounding_box()
    centre = {"x": box["x"] + box["width"] * 0.2, "y": box["y"] + box["height"] * 0.15,
              "width": box["width"] * 0.6, "height": box["height"] * 0.7}
    labels = _dark_grey_pixels(v.page.screenshot(clip=centre))
    assert any(status == 200 for _, status in served), served
    assert all(status == 200 for _, status in served), served
    assert labels > 100, f"only {labels} dark pixels: no region names on the map"  # 0 unlabelled
    assert v.outside == []
