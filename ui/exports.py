"""Download buttons for the exports: thin wrappers over `ess_data.export`.

Files are made only when a button is clicked (Streamlit's deferred downloads run the callable
on their own thread), so a page run never waits for Chromium; `ess_data.export.charts` keeps
one engine and serialises its use. Pages call:

    exports.chart_downloads(fig, "part-ess-lozere", key="compare_x")
    exports.table_downloads(observations, "chiffres-lozere", key="profile")
    exports.deck_downloads(niveau, code, key="deck")

Labels and files are in the session's language (`ui.lang`), read when the page runs: a
deferred download runs on its own thread, where the session is not known.
"""
from datetime import date
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ess_data import db
from ess_data.config import db_path
from ess_data.export import charts, deck, slug, tables
from ui import data, lang
from ui.lang import t

DECK_FORMATS = {"pptx": "PowerPoint", "pdf": "PDF", "xlsx": "Excel"}


def chart_formats() -> dict[str, str]:
    """Chart file formats and their button labels in the session's language."""
    return {"png": t("PNG (diapositive)"), "svg": "SVG", "pdf": "PDF"}


def server_export_notice() -> bool:
    """Show why server-side exports are off (session language); True when they are available."""
    reason = charts.unavailable_reason(lang=lang.current())
    if reason:
        st.info(t("{reason} L'icône appareil photo de la barre d'outils du graphique exporte "
                  "toujours en PNG dans votre navigateur, sans rien demander au serveur.",
                  reason=reason[0].upper() + reason[1:]), icon="ℹ️")
    return reason is None


def chart_downloads(fig: go.Figure, name: str, key: str) -> None:
    """PNG / SVG / PDF buttons for one of our figures (with its source and extraction date)."""
    if not server_export_notice():
        return
    formats, language = chart_formats(), lang.current()  # the click runs on another thread
    cols = st.columns(len(formats))
    for col, (fmt, label) in zip(cols, formats.items()):
        col.download_button(  # the figure is copied and rendered only on click
            label, data=lambda fmt=fmt: charts.to_image(fig, fmt, lang=language),
            file_name=f"{slug(name)}.{fmt}", mime=charts.FORMATS[fmt], on_click="ignore",
            key=f"{key}_dl_{fmt}")


def table_downloads(observations: pd.DataFrame, name: str, key: str) -> None:
    """CSV for French Excel, international CSV and XLSX (with a Sources sheet) of observations."""
    sources, language = data.query("sources"), lang.current()
    frame = tables.observations_frame(observations, lang=language)
    files = {
        "csv_fr": (t("CSV (Excel français)"), f"{slug(name)}.csv", "text/csv",
                   lambda: tables.csv_fr(frame)),
        "csv_intl": (t("CSV international"), f"{slug(name)}-intl.csv", "text/csv",
                     lambda: tables.csv_intl(frame)),
        "xlsx": (t("Excel (XLSX)"), f"{slug(name)}.xlsx", deck.MIME["xlsx"],
                 lambda: tables.observations_xlsx(observations, sources, lang=language)),
    }
    cols = st.columns(len(files))
    for col, (suffix, (label, file_name, mime, make)) in zip(cols, files.items()):
        col.download_button(label, data=make, file_name=file_name, mime=mime,
                            on_click="ignore", key=f"{key}_dl_{suffix}")


@lru_cache(maxsize=32)
def _deck_file(stamp: str, niveau: str, code: str, fmt: str, day: date, lang: str) -> bytes:
    """A territory's deck in `lang`, kept while the warehouse file and the day are the same."""
    con = db.connect(db_path())  # its own connection: this runs on the download's thread
    try:
        return deck.export(con, niveau, code, fmt, day, lang=lang)
    finally:
        con.close()


def deck_downloads(niveau: str, code: str, key: str) -> None:
    """The territory deck as PowerPoint, PDF and Excel, in the session's language (no PDF, and
    no map, without Chromium)."""
    name = data.query("territory", level=niveau, code=code)["name"].iloc[0]
    formats = dict(DECK_FORMATS)
    if not server_export_notice():
        formats.pop("pdf")
    stamp = data.stamp()  # the warehouse version keys the cache
    language = lang.current()  # the click runs on another thread, without the session
    cols = st.columns(len(formats))
    for col, (fmt, label) in zip(cols, formats.items()):
        col.download_button(
            t("Dossier {format}", format=label),
            data=lambda fmt=fmt: _deck_file(stamp, niveau, code, fmt, date.today(), language),
            file_name=f"{code}-{slug(name)}.{fmt}", mime=deck.MIME[fmt], on_click="ignore",
            key=f"{key}_dl_{fmt}")


@st.cache_data(show_spinner=False, max_entries=32)
def _deck_content(stamp: str, niveau: str, code: str, day: date, lang: str) -> deck.Deck:
    con = db.connect(db_path())
    try:
        return deck.load(con, niveau, code, day, lang=lang)
    finally:
        con.close()


def deck_content(niveau: str, code: str) -> deck.Deck:
    """A territory's deck content in the session's language (cached per warehouse, day and
    language) for the presentation page."""
    return _deck_content(data.stamp(), niveau, code, date.today(), lang.current())
