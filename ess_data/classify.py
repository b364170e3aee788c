"""Class breaks for maps: quantiles, equal intervals or thresholds typed by the user."""
import math

import numpy as np

from ess_data import fmt

METHODS = {"quantiles": "Quantiles (effectifs égaux)", "egal": "Intervalles égaux",
           "seuils": "Seuils choisis"}
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
    """Thresholds typed by the user that cannot be read; the message is in French."""


def parse_thresholds(text: str) -> list[float]:
    """`10 ; 12,5 ; 15` -> [10.0, 12.5, 15.0]: values separated by `;`, decimal comma or point,
    sorted and distinct. Anything else raises BadThresholds with a French message."""
    values = []
    for part in (text or "").split(";"):
        p = part.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not p:
            continue
        try:
            v = float(p)
        except ValueError:
            raise BadThresholds(f"Seuil illisible : « {part.strip()[:20]} ». Séparez les seuils "
                                "par « ; », par exemple 10 ; 12,5 ; 15.") from None
        if not math.isfinite(v):
            raise BadThresholds(f"Seuil illisible : « {part.strip()[:20]} ».")
        values.append(v)
    values = sorted(set(values))
    if not values:
        raise BadThresholds("Aucun seuil saisi : par exemple 10 ; 12,5 ; 15.")
    if len(values) > MAX_CLASSES - 1:
        raise BadThresholds(f"Au plus {MAX_CLASSES - 1} seuils ({MAX_CLASSES} classes).")
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
    out = []
    for x in values:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            out.append(None)
            continue
        k = int(np.searchsorted(edges, x, side="right")) - 1
        out.append(min(max(k, 0), len(edges) - 2))
    return out


def labels(edges: list[float], unit: str, decimals: int, lang: str = "fr") -> list[str]:
    """Legend labels in French: `moins de 10,0 %`, `10,0 à 12,5 %`, `25,0 % et plus`."""
    def f(x):
        return fmt.value(x, unit, decimals, lang)
    k = len(edges) - 1
    if k == 1:
        return [f"{f(edges[0])} – {f(edges[1])}"]
    out = []
    for i in range(k):
        if i == 0:
            out.append(("moins de " if lang == "fr" else "under ") + f(edges[1]))
        elif i == k - 1:
            out.append(f(edges[i]) + (" et plus" if lang == "fr" else " and over"))
        else:
            sep = " à " if lang == "fr" else " to "
            out.append(f"{fmt.number(edges[i], decimals, lang)}{sep}{f(edges[i + 1])}")
    return out


def palette(k: int) -> list[str]:
    """k colours, light to dark."""
    return PALETTES[min(max(k, MIN_CLASSES), MAX_CLASSES)][:k] if k >= 2 else [PALETTES[2][1]]
