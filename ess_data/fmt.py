"""French (and English) number formatting for every figure the app or an export shows."""
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

NBSP = "\u00a0"  # one kind of non-breaking space everywhere: fonts of every office suite have it
PLOTLY_SEPARATORS = {"fr": "," + NBSP, "en": ".,"}
_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


def number(value, decimals: int = 0, lang: str = "fr") -> str:
    """`2600000` -> `2 600 000`, `13.8` -> `13,8` (fixed number of decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n.d." if lang == "fr" else "n/a"
    # Round half away from zero, as statistical publications do (Babel would round half-even).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(rounded, format=pattern, locale=_LOCALE[lang])
    return text.replace("\u202f", NBSP)


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
