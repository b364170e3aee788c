"""Download buttons for the exports: thin wrappers over `ess_data.export`.

Files are made only when a button is clicked (Streamlit's deferred downloads run the callable
on their own thread), so a page run never waits for Chromium; `ess_data.export.charts` keeps
one engine and serialises its use. Pages call:

    exports.chart_downloads(fig, "part-ess-lozere", key="compare_x")
    exports.table_downloads(observations, "chiffres-lozere", key="profile")
    exports.deck_downloads(niveau, code, key="deck")
"""
from datetime import date
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ess_data import db
from ess_data.config import db_path
from ess_data.export import charts, deck, slug, tables
from ui import data

TOOLBAR_HINT = ("L'icône appareil photo de la barre d'outils du graphique exporte toujours en "
                "PNG dans votre navigateur, sans rien demander au serveur.")
CHART_FORMATS = {"png": "PNG (diapositive)", "svg": "SVG", "pdf": "PDF"}
DECK_FORMATS = {"pptx": "PowerPoint", "pdf": "PDF", "xlsx": "Excel"}


def server_export_notice() -> bool:
    """Show in French why server-side exports are off; True when they are available."""
    reason = charts.unavailable_reason()
    if reason:
        st.info(f"{reason[0].upper()}{reason[1:]} {TOOLBAR_HINT}", icon="ℹ️")
    return reason is None


def chart_downloads(fig: go.Figure, name: str, key: str) -> None:
    """PNG / SVG / PDF buttons for one of our figures (with its source and extraction date)."""
    if not server_export_notice():
        return
    cols = st.columns(len(CHART_FORMATS))
    for col, (fmt, label) in zip(cols, CHART_FORMATS.items()):
        col.download_button(  # the figure is copied and rendered only on click
            label, data=lambda fmt=fmt: charts.to_image(fig, fmt),
            file_name=f"{slug(name)}.{fmt}", mime=charts.FORMATS[fmt], on_click="ignore",
            key=f"{key}_dl_{fmt}")


def table_downloads(observations: pd.DataFrame, name: str, key: str) -> None:
    """CSV for French Excel, international CSV and XLSX (with a Sources sheet) of observations."""
    sources = data.query("sources")
    frame = tables.observations_frame(observations)
    files = {
        "csv_fr": ("CSV (Excel français)", f"{slug(name)}.csv", "text/csv",
                   lambda: tables.csv_fr(frame)),
        "csv_intl": ("CSV international", f"{slug(name)}-intl.csv", "text/csv",
                     lambda: tables.csv_intl(frame)),
        "xlsx": ("Excel (XLSX)", f"{slug(name)}.xlsx", deck.MIME["xlsx"],
                 lambda: tables.observations_xlsx(observations, sources)),
    }
    cols = st.columns(len(files))
    for col, (suffix, (label, file_name, mime, make)) in zip(cols, files.items()):
        col.download_button(label, data=make, file_name=file_name, mime=mime,
                            on_click="ignore", key=f"{key}_dl_{suffix}")


@lru_cache(maxsize=32)
def _deck_file(stamp: str, niveau: str, code: str, fmt: str, day: date) -> bytes:
    """A territory's deck, kept while the warehouse file and the day are the same."""
    con = db.connect(db_path())  # its own connection: this runs on the download's thread
    try:
        return deck.export(con, niveau, code, fmt, day)
    finally:
        con.close()


def deck_downloads(niveau: str, code: str, key: str) -> None:
    """The territory deck as PowerPoint, PDF and Excel (no PDF, and no map, without Chromium)."""
    name = data.query("territory", level=niveau, code=code)["name"].iloc[0]
    formats = dict(DECK_FORMATS)
    if not server_export_notice():
        formats.pop("pdf")
    stamp = data.stamp()  # the warehouse version keys the cache
    cols = st.columns(len(formats))
    for col, (fmt, label) in zip(cols, formats.items()):
        col.download_button(
            f"Dossier {label}",
            data=lambda fmt=fmt: _deck_file(stamp, niveau, code, fmt, date.today()),
            file_name=f"{code}-{slug(name)}.{fmt}", mime=deck.MIME[fmt], on_click="ignore",
            key=f"{key}_dl_{fmt}")


@st.cache_data(show_spinner=False, max_entries=32)
def _deck_content(stamp: str, niveau: str, code: str, day: date) -> deck.Deck:
    con = db.connect(db_path())
    try:
        return deck.load(con, niveau, code, day)
    finally:
        con.close()


def deck_content(niveau: str, code: str) -> deck.Deck:
    """A territory's deck content (cached per warehouse and day) for the presentation page."""
    return _deck_content(data.stamp(), niveau, code, date.today())
