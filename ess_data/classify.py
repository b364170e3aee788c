"""Class breaks for maps: quantiles, equal intervals or thresholds typed by the user."""
import math

import numpy as np

from ess_data import fmt
from ess_data.i18n import t


def method_label(method: str, lang: str = "fr") -> str:
    """How a method of class breaks reads in a menu: `Intervalles égaux` / `Equal intervals`."""
    labels = {"quantiles": t("Quantiles (effectifs égaux)", lang),
              "egal": t("Intervalles égaux", lang), "seuils": t("Seuils choisis", lang)}
    return labels.get(method, method)


METHODS = {m: method_label(m) for m in ("quantiles", "egal", "seuils")}  # French, menu order
# ColorBrewer "Blues": sequential, single hue, readable by every colour vision and in grey.
PALETTES = {
    2: ["#9ecae1", "#3182bd"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
}
MIN_CLASSES, MAX_CLASSES = 2, 7


class BadThresholds(ValueError):
    """Thresholds typed by the user that cannot be read; the message is in the language asked."""


def parse_thresholds(text: str, lang: str = "fr") -> list[float]:
    """`10 ; 12,5 ; 15` -> [10.0, 12.5, 15.0]: values separated by `;`, decimal comma or point,
    sorted and distinct. Anything else raises BadThresholds with a message in `lang`."""
    values = []
    for part in (text or "").split(";"):
        p = part.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not p:
            continue
        try:
            v = float(p)
        except ValueError:
            raise BadThresholds(t("Seuil illisible : « {text} ». Séparez les seuils par « ; », "
                                  "par exemple 10 ; 12,5 ; 15.", lang,
                                  text=part.strip()[:20])) from None
        if not math.isfinite(v):
            raise BadThresholds(t("Seuil illisible : « {text} ».", lang, text=part.strip()[:20]))
        values.append(v)
    values = sorted(set(values))
    if not values:
        raise BadThresholds(t("Aucun seuil saisi : par exemple 10 ; 12,5 ; 15.", lang))
    if len(values) > MAX_CLASSES - 1:
        raise BadThresholds(t("Au plus {n} seuils ({k} classes).", lang, n=MAX_CLASSES - 1,
                              k=MAX_CLASSES))
    return values


def thresholds_text(values: list[float]) -> str:
    """The URL and input form of thresholds: `10;12.5;15`."""
    return ";".join(f"{v:g}" for v in values)


def breaks(values, method: str = "quantiles", n: int = 5,
           thresholds: list[float] | None = None) -> list[float]:
    """Class edges, lowest first: n+1 edges from min to max (fewer if values repeat)."""
    v = np.asarray([x for x in values if x is not None and not math.isnan(x)], dtype=float)
    if v.size == 0:
        return []
    lo, hi = float(v.min()), float(v.max())
    if method == "seuils":
        inner = [t for t in (thresholds or []) if lo < t < hi]
        edges = [lo, *inner, hi]
    elif method == "egal":
        edges = list(np.linspace(lo, hi, n + 1))
    else:
        edges = list(np.quantile(v, np.linspace(0, 1, n + 1)))
    out = []
    for e in edges:
        if not out or e > out[-1]:
            out.append(float(e))
    return out if len(out) > 1 else [lo, hi]


def assign(values, edges: list[float]) -> list[int | None]:
    """Class index of each value (0 = lowest class); None for a missing value."""
    x = np.array([np.nan if v is None else v for v in values], dtype=float)
    k = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    return [None if math.isnan(v) else c for v, c in zip(x.tolist(), k.tolist())]


def labels(edges: list[float], unit: str, decimals: int, lang: str = "fr") -> list[str]:
    """Legend labels: `moins de 10,0 %`, `10,0 à 12,5 %`, `25,0 % et plus` (`under 10.0 %`,
    `10.0 to 12.5 %`, `25.0 % and over` in English)."""
    def f(x):
        return fmt.value(x, unit, decimals, lang)
    k = len(edges) - 1
    if k == 1:
        return [f"{f(edges[0])} – {f(edges[1])}"]
    out = []
    for i in range(k):
        if i == 0:
            out.append(t("moins de {value}", lang, value=f(edges[1])))
        elif i == k - 1:
            out.append(t("{value} et plus", lang, value=f(edges[i])))
        else:
            out.append(t("{low} à {high}", lang, low=fmt.number(edges[i], decimals, lang),
                         high=f(edges[i + 1])))
    return out


def palette(k: int) -> list[str]:
    """k colours, light to dark."""
    return PALETTES[min(max(k, MIN_CLASSES), MAX_CLASSES)][:k] if k >= 2 else [PALETTES[2][1]]
