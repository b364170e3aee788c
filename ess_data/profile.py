"""A territory's profile: its parents, computed figures side by side, similar territories and
the key messages that open the page (and the deck), written by rules from warehouse figures."""
import math

import duckdb
import numpy as np
import pandas as pd

from ess_data import fmt
from ess_data.i18n import t
from ess_data.territory import FRANCE, LEVEL_PLURALS, level_plural, metrics, short_level

PEER_FEATURES = {  # column -> transform; standardised over all territories of the level
    "population": math.log10,
    "density": math.log10,
    "rural_population_share": float,
}


def peer_method(lang: str = "fr") -> str:
    """How similar territories are found (see `similar`), in words."""
    return t("Territoires du même niveau les plus proches sur trois critères, chacun centré et "
             "réduit sur l'ensemble des territoires de ce niveau : population (en logarithme), "
             "densité (en logarithme) et part de la population vivant en commune rurale (selon "
             "la définition du rural choisie). Distance euclidienne, les cinq plus proches.", lang)


PEER_METHOD = peer_method()  # French
ESS_SHARE = "part_ess_emploi_salarie"


def parents(level: str, row: dict) -> list[tuple[str, str]]:
    """(level, code) of the territories a territory belongs to, smallest first, then France."""
    out = []
    if level == "commune" and row.get("epci_code"):
        out.append(("epci", row["epci_code"]))
    if level in ("commune", "epci") and row.get("departement_code"):
        out.append(("departement", row["departement_code"]))
    if level in ("commune", "epci", "departement") and row.get("region_code"):
        out.append(("region", row["region_code"]))
    return [*out, ("france", "FR")]


def side_by_side(con: duckdb.DuckDBPyConnection, targets: list[tuple[str, str]],
                 rural: str) -> pd.DataFrame:
    """Computed figures of several territories (any levels), one row each, in the given order."""
    rows = []
    for level, code in targets:
        df = metrics(con, level, FRANCE, rural, code=code)
        if len(df):
            rows.append(df.iloc[0].to_dict() | {"level": level})
    return pd.DataFrame(rows)


def similar(all_metrics: pd.DataFrame, code: str, n: int = 5) -> pd.DataFrame:
    """The n territories closest to `code` on PEER_FEATURES (see PEER_METHOD), with distance."""
    df = all_metrics.copy()
    cols = []
    for col, f in PEER_FEATURES.items():
        values = df[col].astype(float)
        if f is math.log10:
            values = values.where(values > 0)
            values = np.log10(values)
        df[f"_{col}"] = values
        cols.append(f"_{col}")
    df = df.dropna(subset=cols)
    if code not in set(df["code"]):
        return df.iloc[0:0]
    z = (df[cols] - df[cols].mean()) / df[cols].std(ddof=0).replace(0, 1)
    me = z[df["code"] == code].iloc[0]
    df["distance"] = np.sqrt(((z - me) ** 2).sum(axis=1))
    df = df[df["code"] != code].sort_values(["distance", "code"]).head(n)
    return df.drop(columns=cols).reset_index(drop=True)


def ordinal(n: int, lang: str = "fr") -> str:
    """1 -> `1er`, 2 -> `2e` (French); 1 -> `1st`, 2 -> `2nd`, 11 -> `11th` (English)."""
    if lang == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _times(ratio: float, than: str, lang: str) -> str:
    """`2,7 fois plus dense que la France`, `5,8 fois moins que sa région`, `comparable à ...`:
    a ratio against France's density (`than="density"`), France's or the region's value."""
    same = 0.9 <= ratio <= 1.1
    times = fmt.number(ratio if ratio > 1 else 1 / ratio, 1, lang)
    if than == "density":
        if same:
            return t("comparable à celle de la France", lang)
        return (t("{times} fois plus dense que la France", lang, times=times) if ratio > 1
                else t("{times} fois moins dense que la France", lang, times=times))
    if than == "region":
        if same:
            return t("comparable à sa région", lang)
        return (t("{times} fois plus que sa région", lang, times=times) if ratio > 1
                else t("{times} fois moins que sa région", lang, times=times))
    if same:
        return t("comparable à celle de la France", lang)
    return (t("{times} fois plus que la France", lang, times=times) if ratio > 1
            else t("{times} fois moins que la France", lang, times=times))


def _signed(value: float, lang: str) -> str:
    return ("+" if value >= 0 else "") + fmt.number(value, 1, lang)


def key_messages(name: str, level: str, me: dict, france: dict, rural_label: str,
                 ess: pd.DataFrame | None = None, parent_name: str | None = None,
                 lang: str = "fr") -> list[str]:
    """Short sentences for a briefing note in `lang`, every number from the warehouse.

    `me`, `france`: territory_metrics rows. `ess`: territory_profile rows of the ESS share of
    salaried jobs for this territory (default source), any periods. `rural_label`: the rural
    definition's label, already in `lang`.
    """
    def pct(v):
        return fmt.value(v, "percent", 1, lang)

    out = []
    pop, year = me.get("population"), me.get("population_year")
    dens, fdens = me.get("density"), france.get("density")
    if pop is not None and not pd.isna(pop):
        text = t("{name} compte {population} habitants (population légale {year})", lang,
                 name=name, population=fmt.number(pop, 0, lang), year=year)
        if dens and not pd.isna(dens) and fdens:
            text += t(", soit {density} : {comparison} ({france})", lang,
                      density=fmt.value(dens, "density", 1, lang),
                      comparison=_times(dens / fdens, "density", lang),
                      france=fmt.value(fdens, "density", 1, lang))
        out.append(text + ".")
    share, fshare = me.get("rural_population_share"), france.get("rural_population_share")
    if level == "commune":
        label = me.get(f"class_label_{lang}") or me.get("class_label_fr")
        if label:
            out.append(t("La commune est classée « {label} » (« rural » : {rural}).", lang,
                         label=label, rural=rural_label))
    elif share is not None and not pd.isna(share):
        out.append(t(
            "{share} de ses habitants vivent dans une commune rurale et {rural} de ses {n} "
            "communes sont rurales (France : {france} des habitants ; « rural » : {label}).",
            lang, share=pct(share), rural=fmt.number(me["n_rural_communes"], 0, lang),
            n=fmt.number(me["n_communes"], 0, lang), france=pct(fshare), label=rural_label))
    if ess is not None and len(ess):
        ess = ess.sort_values("period")
        last = ess.iloc[-1]
        text = t("L'ESS y représente {share} de l'emploi salarié en {period} ({publisher})",
                 lang, share=pct(last["value_territory"]), period=last["period"],
                 publisher=last["source_publisher"])
        if not pd.isna(last.get("rank")):
            text += t(", au {rank} rang des {n} {territories}", lang,
                      rank=ordinal(int(last["rank"]), lang), n=int(last["n_ranked"]),
                      territories=level_plural(level, lang) if level in LEVEL_PLURALS
                      else short_level(level, lang))
        ratios, v = [], last["value_territory"]
        if not pd.isna(last.get("value_france")):
            ratios.append(f"{_times(v / last['value_france'], 'france', lang)}"
                          f" ({pct(last['value_france'])})")
        if not pd.isna(last.get("value_region")) and parent_name:
            ratios.append(t("{comparison} ({region} : {share})", lang,
                            comparison=_times(v / last["value_region"], "region", lang),
                            region=parent_name, share=pct(last["value_region"])))
        if len(ratios) == 2:
            text += t(" : {first} et {second}", lang, first=ratios[0], second=ratios[1])
        elif ratios:
            text += fmt.colon(lang) + ratios[0]
        out.append(text + ".")
        if len(ess) > 1:
            first = ess.iloc[0]
            text = t("Entre {start} et {end}, cette part est passée de {before} à {after} "
                     "({change} point)", lang, start=first["period"], end=last["period"],
                     before=pct(first["value_territory"]), after=pct(last["value_territory"]),
                     change=_signed(last["value_territory"] - first["value_territory"], lang))
            if not pd.isna(first.get("value_france")) and not pd.isna(last.get("value_france")):
                text += t(", contre {change} point pour la France", lang,
                          change=_signed(last["value_france"] - first["value_france"], lang))
            out.append(text + ".")
    return out
