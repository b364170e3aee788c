"""The in-app map: a Streamlit component (no iframe, no library) that draws a map description
(ess_data.mapspec) on a canvas, packed by ess_data.mapview. Exports draw the same description
as a Plotly figure (ess_data.mapfigure)."""
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from ess_data import figures, mapview
from ui import lang
from ui.lang import t

_HERE = Path(__file__).parent
_MAP = st.components.v2.component(
    "ess_map", js=(_HERE / "mapview.js").read_text(encoding="utf-8"),
    css=(_HERE / "mapview.css").read_text(encoding="utf-8"), isolate_styles=False)


def show(fig: go.Figure, key: str, shapes: dict | None = None,
         clickable: bool = False) -> str | None:
    """Draw a `figures.choropleth` figure's description (`fig.spec`; `shapes`: data.map_shapes
    of its zone). With
    `clickable`, return the code of the territory clicked on the map (this run only), else
    None; the caller checks it is one of its territories (it comes from the browser)."""
    labels = {"in": t("Zoomer"), "out": t("Dézoomer"), "reset": t("Revenir à la vue entière")}
    if clickable:
        labels["click"] = t("Cliquer pour ouvrir son profil")
    sent = mapview.payload(fig.spec, shapes, alt=figures.describe(fig, lang=lang.current()),
                           labels=labels)
    if not clickable:
        _MAP(key=key, data=sent)
        return None
    sent["clickable"] = True
    clicked = _MAP(key=key, data=sent, on_clicked_change=lambda: None).clicked
    return clicked if isinstance(clicked, str) else None
