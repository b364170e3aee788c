"""Exported maps (ess_data.mapfigure through kaleido): vector paths and real text in SVG and PDF,
no raster, no request leaving the machine, and the colours of the description the in-app map
draws too. Needs Chromium (skipped without it, like the other export tests)."""
import io
import json
import pickle
import re
import socket
import threading
import time
from datetime import date
from pathlib import Path

import kaleido
import pytest
from pypdf import PdfReader

from ess_data import classify, mapview, territory
from ess_data.export import charts, deck
from ess_data.mapfigure import EMPTY_TOPOJSON
from ess_data.registry import load_registry

pytestmark = pytest.mark.skipif(charts.unavailable_reason() is not None,
                                reason="no Chromium for server-side export")
DAY = date(2026, 12, 6)


@pytest.fixture()
def share_map(fixture_con):
    """The fixture's departments: two with a value in two classes, one without, named."""
    from ess_data import figures
    ind = load_registry(fixture_con).get("part_ess_emploi_salarie")
    values = territory.map_values(fixture_con, ind, "departement", "2008")
    return figures.choropleth(territory.shapes(fixture_con, "departement"), values, ind,
                              "2008", edges=classify.breaks(values["value"], "seuils", 2, [20.0]),
                              outline=["48"], rural_label="Typologie de test")


def test_svg_draws_every_territory_as_a_vector_path_and_no_image(share_map):
    svg = charts.to_image(share_map, "svg", DAY).decode()
    assert "<image" not in svg  # the map is not a picture inside the SVG
    fills = re.findall(r'<path class="choroplethlocation" fill="([^"]*)" d="M', svg)
    assert len(fills) == len(share_map.spec.places) + 1  # every place, and the rural outline
    drawn = set(fills)
    wanted = {"rgb({}, {}, {})".format(*(int(p.colour[i:i + 2], 16) for i in (1, 3, 5)))
              for p in share_map.spec.places}
    assert wanted <= drawn  # the description's colours, exactly
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"Lozère", "Cantal", "Puy-de-Dôme"} <= set(texts)  # names as text, system fonts
    assert {"Aucune valeur publiée", f"moins de 20,0{chr(160)}%"} <= set(texts)  # the legend
    assert "Source : Éditeur B" in svg and "Extrait le 06/12/2026" in svg  # the note's lines
    assert "DejaVu" not in svg and "glyphs" not in svg


def test_pdf_has_no_raster_and_real_text(share_map):
    pdf = PdfReader(io.BytesIO(charts.to_image(share_map, "pdf", DAY)))
    (page,) = pdf.pages
    xobjects = page["/Resources"].get("/XObject")
    images = [x for x in (xobjects.get_object().values() if xobjects else [])
              if x.get_object().get("/Subtype") == "/Image"]
    assert images == []
    text = page.extract_text()
    for words in ("Lozère", "Cantal", "Part de l'ESS dans l'emploi salarié, 2008",
                  "Rural : Typologie de test.", "Aucune valeur publiée"):
        assert words in text


def test_export_and_in_app_map_read_one_description(share_map):
    """For every territory, the colour the exported figure gives it (its z in the colorscale)
    is the one the in-app payload paints, both the description's."""
    trace = share_map.to_dict()["data"][0]
    scale = [c for _, c in trace["colorscale"]]
    exported = {code: scale[z] for code, z in zip(trace["locations"], trace["z"])}
    sent = mapview.payload(share_map.spec)
    painted = {code: fill for layer in sent["layers"] if layer["kind"] == "fill"
               for code, fill in zip(layer["codes"], layer["fill"])}
    described = {p.code: p.colour for p in share_map.spec.places}
    assert exported == painted == described
    assert len(set(described.values())) == 3  # two classes and "no data": a real check
    legend = [list(c) for c in share_map.spec.legend.classes]
    assert sent["legend"]["classes"] == legend
    assert sent["title"] == share_map.layout.title.text
    # a cached copy (Streamlit pickles) is drawn again from the same description
    again = pickle.loads(pickle.dumps(share_map))
    assert again.spec.places == share_map.spec.places
    assert again.to_dict()["data"][0]["z"] == trace["z"]


def test_deck_map_outlines_its_territory_in_ochre(fixture_con):
    fig = deck.load(fixture_con, "departement", "48").map_figure
    assert fig.spec.highlight == ("48",) and "Lozère entouré en ocre" in fig.spec.title
    svg = charts.to_image(fig, "svg", DAY).decode()
    assert "<image" not in svg
    assert re.search(r'class="choroplethlocation"[^>]*stroke: rgb\(192, 140, 0\)', svg)


# Chromium's own background services (clock, component updates, account check): the browser
# calls them at every start whatever it renders. Through a proxy they reach it; without one,
# ess_data/export/chromium-offline makes every host but loopback unresolvable in the browser.
BROWSER_OWN = {"clients2.google.com", "update.googleapis.com", "accounts.google.com",
               "redirector.gvt1.com", "optimizationguide-pa.googleapis.com",
               "start.duckduckgo.com"}
# Chromium's network log: the events by which something would leave the machine
LEAVING = {"HOST_RESOLVER_DNS_TASK", "HOST_RESOLVER_SYSTEM_TASK", "UDP_BYTES_SENT",
           "TCP_CONNECT_ATTEMPT", "SOCKET_BYTES_SENT"}


def _left(netlog: Path) -> list[str]:
    """What Chromium's network log shows leaving the machine: name lookups (DNS), and bytes
    or connection attempts to an address that is not loopback."""
    text = netlog.read_text(encoding="utf-8").rstrip()
    try:
        log = json.loads(text)
    except ValueError:  # the browser was stopped before closing the file: close it
        log = json.loads(text.rstrip(",") + "]}")
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    out = []
    for event in log["events"]:
        kind = names.get(event["type"])
        if kind not in LEAVING:
            continue
        params = json.dumps(event.get("params", {}))
        addresses = re.findall(r'"address": "([^"]+)"', params)
        if addresses and all(a.startswith(("127.", "[::1]", "::1")) for a in addresses):
            continue  # loopback: kaleido's own page and this test's servers
        out.append(f"{kind} {params[:120]}")
    return out


def test_the_export_browser_sends_nothing_off_the_machine(share_map, monkeypatch, tmp_path):
    """Exports run in Chromium started by ess_data/export/chromium-offline: its own network log
    shows no name lookup and nothing sent off loopback, though Chromium tries its background
    calls meanwhile; the same browser without the resolver rule looks those names up (the
    control: the check can fail)."""
    def run(online: bool) -> list[str]:
        log = tmp_path / f"net-{online}.json"
        monkeypatch.setenv("ESS_CHROMIUM_NETLOG", str(log))
        monkeypatch.setenv("ESS_CHROMIUM_ONLINE", "1" if online else "")
        charts.stop_engine()
        try:
            assert charts.to_image(share_map, "png", DAY)
            time.sleep(4)  # the background calls start within seconds of the browser
        finally:
            charts.stop_engine()
        return _left(log)

    assert run(online=False) == []
    assert any("HOST_RESOLVER" in line for line in run(online=True))


def _host(request: bytes) -> str:
    """The host a proxied request is for (`CONNECT host:443` or `GET http://host/...`)."""
    target = request.split(b" ")[1].decode()
    return re.sub(r"^https?://", "", target).split("/")[0].split(":")[0]


class _Recorder:
    """A stand-in proxy on 127.0.0.1 that records every request Chromium sends to it."""

    def __init__(self):
        self.seen: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.seen.append(conn.recv(4096))


def test_no_request_leaves_the_machine(share_map, monkeypatch):
    """The export browser is started behind a recording proxy: a map export sends it nothing;
    the same figure without the inline basemap makes plotly.js ask Plotly's CDN, which the
    recorder sees (so the check can fail)."""
    recorder = _Recorder()
    monkeypatch.setenv("CHOREO_PROXY_SERVER", recorder.url)  # read by kaleido's browser
    charts.stop_engine()
    try:
        for fmt in ("svg", "pdf", "png"):
            assert charts.to_image(share_map, fmt, DAY)
        # nothing of the export's own (Chromium's own background calls to Google's services
        # reach a proxy too; without one they cannot resolve: see the test below)
        assert {_host(r) for r in recorder.seen if r.strip()} <= BROWSER_OWN  # (b"": closed)
        spec = charts.for_export(share_map, DAY)
        with charts._lock, pytest.raises(Exception, match="topojson"):  # noqa: SLF001
            kaleido.calc_fig_sync(spec, opts={"format": "svg", "width": 800, "height": 600})
        assert any(b"cdn.plot.ly" in request for request in recorder.seen)
    finally:
        charts.stop_engine()  # the next export starts a browser without the proxy
        recorder.sock.close()
    assert EMPTY_TOPOJSON.startswith("data:")
