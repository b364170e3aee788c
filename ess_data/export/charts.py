"""Charts to PNG, SVG and PDF on the server: kaleido 1.x driving the system Chromium.

One engine (kaleido's sync server: one Chromium, one tab) is started on first use and reused;
each later image costs a few hundred milliseconds instead of a browser start (1-3 s). MathJax
is off (it would load from a CDN) and plotly.js comes from the installed plotly package, so
rendering needs no network. Maps are Plotly geo traces (ess_data.mapfigure): vector paths
and text in SVG and PDF; the world basemap plotly.js would fetch for them is an empty one
given inline (mapfigure.EMPTY_TOPOJSON). kaleido's own browser download (`get_chrome`) is
never used.
"""
import copy
import os
import shutil
import threading
from datetime import date
from pathlib import Path

import kaleido
import plotly.graph_objects as go

from ess_data.export import ExportUnavailable, extraction_line
from ess_data.i18n import t
from ess_data.mapfigure import EMPTY_TOPOJSON

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
WIDTH = 1100       # layout pixels: wide enough for a slide, small enough for notes
PNG_SCALE = 2      # 2200 px wide: sharp on a full-width 16:9 slide
RENDER_TIMEOUT = 60
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_NOTE_LINE = 15    # pixels one more line of the source note takes (figures.figure's rule)
_lock = threading.Lock()
# Chromium with its background calls off (no request leaves the machine); see the script
LAUNCHER = Path(__file__).with_name("chromium-offline")


def chromium_path() -> str | None:
    """The browser kaleido will drive: $BROWSER_PATH if set, else the first on PATH, or None."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable_reason(lang: str = "fr") -> str | None:
    """Why server-side chart export cannot run here (in `lang`), or None when it can."""
    if chromium_path():
        return None
    wanted = os.environ.get("BROWSER_PATH")
    where = (t("le navigateur indiqué par BROWSER_PATH ({path}) est introuvable", lang,
               path=wanted) if wanted
             else t("aucun navigateur Chromium n'est installé sur le serveur", lang))
    return t("export serveur indisponible : {why}. Installez le paquet Debian « chromium » "
             "(ou indiquez son chemin dans BROWSER_PATH) puis relancez l'application.", lang,
             why=where)


def _engine(lang: str = "fr") -> None:
    """Start the shared engine if it is not running (call with _lock held)."""
    reason = unavailable_reason(lang)
    if reason:
        raise ExportUnavailable(reason)
    server = kaleido._global_server  # noqa: SLF001 - only way to see a dead engine thread
    if server.is_running() and not server._thread.is_alive():  # noqa: SLF001
        # Chromium died: without this reset every later call would wait forever.
        server.close(silence_warnings=True)
    os.environ["ESS_CHROMIUM"] = chromium_path()  # what the launcher starts
    kaleido.start_sync_server(path=str(LAUNCHER), mathjax=False, timeout=RENDER_TIMEOUT,
                              silence_warnings=True)


def stop_engine() -> None:
    """Stop the shared engine (it restarts on the next export)."""
    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)


def for_export(fig: go.Figure | dict, extracted: date, lang: str = "fr") -> dict:
    """A copy of a figure's spec with the extraction date (in `lang`) under its source note.

    Our figures (ess_data.figures) end their annotations with the source note and keep the
    source in `layout.meta.source`; the note grows by one line, and the figure by its height.
    """
    spec = copy.deepcopy(fig.to_dict() if hasattr(fig, "to_dict") else fig)
    layout = spec.setdefault("layout", {})
    line = extraction_line(extracted, lang)
    notes = layout.get("annotations") or []
    if notes and (layout.get("meta") or {}).get("source"):
        notes[-1]["text"] = f"{notes[-1]['text']}<br>{line}"
        margin = layout.setdefault("margin", {})
        margin["b"] = margin.get("b", 80) + _NOTE_LINE
        if layout.get("height"):
            layout["height"] += _NOTE_LINE
    else:  # a figure without our note still says when and where it comes from
        layout["annotations"] = [*notes, {
            "text": line, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -48,
            "xanchor": "left", "yanchor": "top", "showarrow": False,
            "font": {"size": 11, "color": "#3A3A3A"}}]
    # Room on the left so the title does not touch the edge of the picture.
    margin = layout.setdefault("margin", {})
    margin["l"] = max(margin.get("l", 0), 30)
    margin["r"] = max(margin.get("r", 0), 30)
    if isinstance(layout.get("title"), dict):
        layout["title"].setdefault("pad", {})["l"] = 20
    return spec


def render(spec: dict, fmt: str, width: int | None = None, height: int | None = None,
           scale: float = 1, lang: str = "fr") -> bytes:
    """Render a ready spec with the shared engine (no note added); errors in `lang`."""
    if fmt not in FORMATS:
        raise ValueError(t("Format inconnu : {format} (png, svg ou pdf)", lang,
                           format=repr(fmt)))
    layout = spec.get("layout", {})
    opts = {"format": fmt, "scale": scale,
            "width": width or layout.get("width") or WIDTH,
            "height": height or layout.get("height") or 500}
    with _lock:  # kaleido's sync server pairs requests and answers through shared queues
        _engine(lang)
        return kaleido.calc_fig_sync(spec, opts=opts, topojson=EMPTY_TOPOJSON)


def to_image(fig: go.Figure | dict, fmt: str = "png", extracted: date | None = None,
             width: int = WIDTH, scale: float | None = None, lang: str = "fr") -> bytes:
    """One of our figures as PNG (2x, for slides), SVG or PDF, with the extraction date
    written in `lang` (the figure's own texts are in the language it was built in)."""
    spec = for_export(fig, extracted or date.today(), lang)
    if scale is None:
        scale = PNG_SCALE if fmt == "png" else 1
    return render(spec, fmt, width=width, scale=scale, lang=lang)
