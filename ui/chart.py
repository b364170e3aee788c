"""On-screen charts: a Plotly figure drawn in the browser by Plotly's official basic bundle,
served by the dashboard from static/vendor/ (`make vendor`), through a small Streamlit component
(ui/chart.js, no iframe).

Why not `st.plotly_chart`: its script carries the whole of plotly.js (4.7 MB) and, measured by
`make bench`, put the first chart of a page at about twice a bare page; the basic bundle
(1.2 MB: bar, scatter, pie, every chart drawn on screen; maps have their own renderer) is
loaded once per tab, in parallel with the page. The figure is the same Plotly figure the
exports use."""
from collections import OrderedDict
from pathlib import Path
from threading import Lock

import plotly.graph_objects as go
import streamlit as st

from ui.lang import t

_HERE = Path(__file__).parent
VENDOR = _HERE.parent / "static" / "vendor"
# Streamlit serves static/ at app/static/ (server.enableStaticServing), relative to the page
BASE = "app/static/vendor/"
TRACES = {"bar", "scatter", "pie"}  # what plotly-basic draws

_LOADER = (_HERE / "chart_loader.js").read_text(encoding="utf-8")
_CHART = st.components.v2.component(
    "ess_chart", js=_LOADER + (_HERE / "chart.js").read_text(encoding="utf-8"),
    css=".esschart { width: 100%; }", isolate_styles=False)


# A figure's JSON, kept while the figure is: cached figures (ui/data.figure) are the same object
# run after run, so they are serialised once (9 figures of /dla: ~50 ms a run). Keyed by the
# object's id, checked against the object itself (an id is reused once an object is gone).
_JSON: OrderedDict[int, tuple[go.Figure, str]] = OrderedDict()
_JSON_MAX = 512
_JSON_LOCK = Lock()


def to_json(fig: go.Figure) -> str:
    """`fig.to_json()`, computed once per figure object (bounded memo, shared by sessions)."""
    with _JSON_LOCK:
        kept = _JSON.get(id(fig))
        if kept is not None and kept[0] is fig:
            _JSON.move_to_end(id(fig))
            return kept[1]
    text = fig.to_json()
    with _JSON_LOCK:
        _JSON[id(fig)] = (fig, text)
        while len(_JSON) > _JSON_MAX:
            _JSON.popitem(last=False)
    return text


def preload() -> None:
    """Start loading the chart library as the page starts (the shell calls it before the page
    runs), instead of when the first chart arrives: measured by `make bench`, the first chart
    of /territoire came ~1 s after a bare page's content."""
    if available():
        st.html(f"<script>{_LOADER}\nwindow.essPlotly({BASE!r});</script>",
                unsafe_allow_javascript=True)


def available() -> bool:
    """Whether `make vendor` has fetched the bundle (else charts use st.plotly_chart)."""
    return (VENDOR / "plotly-basic.min.js").is_file()


def show(fig: go.Figure, key: str, config: dict, alt: str) -> None:
    """Draw `fig` full width with the toolbar `config`; `alt` is its text alternative."""
    kinds = {trace.type or "scatter" for trace in fig.data}
    if not available() or not kinds <= TRACES:
        st.plotly_chart(fig, width="stretch", config=config, key=key, alt=alt)
        return
    _CHART(key=key, data={
        "figure": to_json(fig), "config": config, "alt": alt, "base": BASE,
        "error": t("Le graphique n'a pas pu être dessiné : la bibliothèque de graphiques "
                   "manque sur ce serveur (make vendor).")})
