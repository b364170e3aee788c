"""French (and English) number formatting for every figure the app or an export shows."""
import datetime
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

NBSP = "\u00a0"  # one kind of non-breaking space everywhere: fonts of every office suite have it
PLOTLY_SEPARATORS = {"fr": "," + NBSP, "en": ".,"}
_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


@cache
def _symbols(lang: str) -> tuple[str, str]:
    """Decimal and group separators of the language, from Babel's locale data."""
    locale = _LOCALE[lang]
    group = get_group_symbol(locale).replace("\u202f", NBSP).replace("\u00a0", NBSP)
    return get_decimal_symbol(locale), group


def number(value, decimals: int = 0, lang: str = "fr") -> str:
    """`2600000` -> `2 600 000`, `13.8` -> `13,8` (fixed number of decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n.d." if lang == "fr" else "n/a"
    # Round half away from zero, as statistical publications do (not half-even).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    decimal_sep, group_sep = _symbols(lang)
    text = f"{rounded:,.{decimals}f}"  # Babel's separators, without its per-call cost
    return text.replace(",", "\0").replace(".", decimal_sep).replace("\0", group_sep)


def value(value, unit: str, decimals: int = 0, lang: str = "fr", qualifier: str = "") -> str:
    """A value with its unit: `13,8 %`, `2 600 000`, `27 164 €`, `140 900 ETP`, `14,8 hab./km²`."""
    text = number(value, decimals, lang)
    if text in ("n.d.", "n/a"):
        return text
    if unit == "percent":
        text = f"{text}{NBSP}%"
    elif unit == "euros":
        text = f"{text}{NBSP}€"
    elif unit == "count_fte":
        text = f"{text}{NBSP}{'ETP' if lang == 'fr' else 'FTE'}"
    elif unit == "density":
        text = f"{text}{NBSP}{'hab./km²' if lang == 'fr' else 'inhab./km²'}"
    elif unit == "points":
        text = f"{text}{NBSP}{'pts' if lang == 'fr' else 'pp'}"
    prefix = QUALIFIERS.get(qualifier, {}).get(lang, "")
    return f"{prefix}{text}"


QUALIFIERS = {
    "environ": {"fr": "environ ", "en": "about "},
    "plus_de": {"fr": "plus de ", "en": "over "},
    "moins_de": {"fr": "moins de ", "en": "under "},
}


def period(period: str, lang: str = "fr") -> str:
    """How a stored period reads: `2014`, `2008-2015` -> `2008-2015`, `nd` -> `non daté`."""
    if period in (None, "", "nd"):
        return "non daté" if lang == "fr" else "undated"
    if period.endswith("-"):
        return ("depuis " if lang == "fr" else "since ") + period[:-1]
    return period


def day(when: datetime.date, lang: str = "fr") -> str:
    """A date as a reader of the language writes it: `27/11/2026`, `27 November 2026`."""
    if lang == "fr":
        return f"{when:%d/%m/%Y}"
    return format_date(when, "d MMMM y", locale=_LOCALE[lang])  # month in words: unambiguous


def colon(lang: str = "fr") -> str:
    """The colon between a label and its value: ` : ` in French, `: ` in English."""
    return " : " if lang == "fr" else ": "


def semicolon(lang: str = "fr") -> str:
    """The separator of a list of clauses: ` ; ` in French, `; ` in English."""
    return " ; " if lang == "fr" else "; "
