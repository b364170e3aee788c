"""Meeting-ready exports: charts (PNG/SVG/PDF), tables (CSV/XLSX) and territory decks.

A plain library (no Streamlit): `ui/exports.py` wraps it in download buttons, and
`python -m ess_data export` runs it in batches. Every file it writes carries its sources,
their years and the extraction date; nothing in it needs the network.
"""
import re
import unicodedata
from datetime import date

APP_NAME = "tableau de bord « L'ESS dans l'emploi des territoires ruraux »"


class ExportUnavailable(RuntimeError):
    """Server-side rendering is impossible here (no Chromium); the message is French."""


def extraction_line(extracted: date) -> str:
    """`Extrait le 27/11/2026 du tableau de bord « ... ».` for notes and footers."""
    return f"Extrait le {extracted:%d/%m/%Y} du {APP_NAME}."


def slug(text: str) -> str:
    """A file-name-safe ASCII slug: `Provence-Alpes-Côte d'Azur` -> `provence-alpes-cote-d-azur`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"
