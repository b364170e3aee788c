"""In Chromium: the presentation page's deck buttons give valid files, with no outside request."""
import io
import struct

from openpyxl import load_workbook
from pptx import Presentation


def _download(v, label: str) -> bytes:
    """Click the download button `label` and return the file (a deck is built on the first
    click: its map is drawn by the export browser, a minute or more on a busy CI machine)."""
    with v.page.expect_download(timeout=300_000) as info:
        v.page.get_by_role("button", name=label).click()
    return open(info.value.path(), "rb").read()


def test_presentation_deck_downloads(server, visit):
    v = visit(f"{server}/presentation?niveau=region&code=53&diapo=3")  # the ESS share chart
    v.wait_text("Diapositive 3 sur")
    v.page.get_by_text("Télécharger", exact=True).click()  # the slide bar's downloads
    v.page.get_by_text("Télécharger le dossier de ce territoire").wait_for(timeout=30_000)
    wb = load_workbook(io.BytesIO(_download(v, "Dossier Excel")))
    assert wb.sheetnames[-1] == "Sources"
    assert wb["Chiffres clés"]["A2"].value.startswith("Population municipale")
    prs = Presentation(io.BytesIO(_download(v, "Dossier PowerPoint")))
    assert prs.slides[0].shapes.title.text == "Bretagne"
    assert any(sh.has_chart for sh in prs.slides[2].shapes)
    png = _download(v, "PNG (diapositive)")  # the chart of slide 3
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", png[16:20])[0] == 2200
    assert v.exceptions() == []
    assert v.outside == []


def test_map_export_panel_opens_then_gives_the_map(server, visit):
    """The export panel is made only once opened (ui.widgets._lazy): opening it shows the map's
    buttons and data, and the PNG is the map at slide width."""
    v = visit(f"{server}/territoires?niveau=departement&zone=region-53"
              "&indicateur=densite_population")
    v.page.wait_for_selector(".essmap[data-drawn]", timeout=60_000)
    assert v.page.get_by_role("button", name="PNG (diapositive)").count() == 0
    v.page.get_by_text("Exporter un graphique de cette page et voir ses données").click()
    png = _download(v, "PNG (diapositive)")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", png[16:20])[0] == 2200
    table = v.page.wait_for_selector("[data-testid=stTable]", timeout=30_000)  # its data
    assert "Finistère" in table.inner_text()
    assert v.exceptions() == []
    assert v.outside == []
