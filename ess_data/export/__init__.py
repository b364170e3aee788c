"""Meeting-ready exports: charts (PNG/SVG/PDF), tables (CSV/XLSX) and territory decks.

A plain library (no Streamlit): `ui/exports.py` wraps it in download buttons, and
`python -m ess_data export` runs it in batches. Every file it writes carries its sources,
their years and the extraction date; nothing in it needs the network. Each writer takes
`lang` ("fr", the default, or "en") for every word it writes.
"""
import re
import unicodedata
from datetime import date

from ess_data import fmt
from ess_data.i18n import t


class ExportUnavailable(RuntimeError):
    """Server-side rendering is impossible here (no Chromium); the message is in the language
    asked."""


def extraction_line(extracted: date, lang: str = "fr") -> str:
    """`Extrait le 27/11/2026 du tableau de bord « ... ».` for notes and footers."""
    return t("Extrait le {date} du tableau de bord « {dashboard} ».", lang,
             date=fmt.day(extracted, lang),
             dashboard=t("L'ESS dans l'emploi des territoires ruraux", lang))


def slug(text: str) -> str:
    """A file-name-safe ASCII slug: `Provence-Alpes-Côte d'Azur` -> `provence-alpes-cote-d-azur`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"
