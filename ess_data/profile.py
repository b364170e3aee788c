"""A territory's profile: its parents, computed figures side by side, similar territories and
the key messages that open the page (and the deck), written by rules from warehouse figures."""
import math
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pandas as pd

from ess_data import fmt
from ess_data.i18n import t
from ess_data.registry import ESS_SHARE as REGISTRY_ESS_SHARE
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
ESS_SHARE = REGISTRY_ESS_SHARE  # one constant, in the registry


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


def shown(value, decimals: int = 1) -> Decimal | None:
    """A figure as the reader sees it, rounded as `fmt.number` rounds (half away from zero);
    None when missing. The key messages compute their ratios and changes from these, so a
    sentence agrees with the numbers it prints (docs/methods.md)."""
    if value is None or pd.isna(value):
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def singular(amount, lang: str = "fr") -> bool:
    """Whether a count or an amount takes the singular: below 2 in French (`0 habitant`,
    `1,5 point`: typographic usage), exactly 1 in English (`1.0 point`, `0.4 points`)."""
    amount = abs(Decimal(str(amount)))
    return amount < 2 if lang == "fr" else amount == 1


def points(change: Decimal, lang: str = "fr") -> str:
    """A signed change in percentage points with its noun agreed: `+0,9 point`, `+2,1 points`,
    `-0,3 point` (as many decimals as `change` has)."""
    change = abs(change) if change == 0 else change  # never `+-0,0`
    text = ("+" if change >= 0 else "") + fmt.number(change, -change.as_tuple().exponent, lang)
    if singular(change, lang):
        return t("{change} point", lang, change=text)
    return t("{change} points", lang, change=text)


def gap(value, other, decimals: int, lang: str = "fr") -> str | None:
    """`+3,3 points, ×1,3`: a share against another of the same series, both as shown (rounded
    to `decimals`): the difference in points and the ratio (our calculation, docs/methods.md);
    None when either is missing or zero."""
    mine, theirs = shown(value, decimals), shown(other, decimals)
    if mine is None or theirs is None or theirs == 0:
        return None
    times = fmt.number(float(mine / theirs), 1, lang)
    return f"{points(mine - theirs, lang)}, ×{times}"


def _ratio(mine: Decimal | None, other: Decimal | None) -> Decimal | None:
    """mine / other from values as shown; None when either is missing or zero (no ratio to a
    figure shown as 0)."""
    if not mine or not other:
        return None
    return mine / other


def _times(ratio: Decimal, than: str, lang: str, france: str = "France") -> str:
    """`2,7 fois plus dense que la France`, `1,3 fois moins que sa région`, `1,2 fois plus qu'en
    France hors Mayotte`, `comparable à ...` (0,9 to 1,1): a ratio against France's density
    (`than="density"`), the region's value or France's (`france`: its scope as published)."""
    same = Decimal("0.9") <= ratio <= Decimal("1.1")
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
        return t("du même ordre qu'en {france}", lang, france=france)
    return (t("{times} fois plus qu'en {france}", lang, times=times, france=france) if ratio > 1
            else t("{times} fois moins qu'en {france}", lang, times=times, france=france))


def _rural_communes(rural: int, n: int, lang: str) -> str:
    """`425 de ses 433 communes sont rurales`, agreed in number (none, one, a single commune)."""
    if n == 1:
        return (t("sa seule commune est rurale", lang) if rural
                else t("sa seule commune n'est pas rurale", lang))
    total = fmt.number(n, 0, lang)
    if rural == 0:
        return t("aucune de ses {n} communes n'est rurale", lang, n=total)
    if rural == 1:
        return t("1 de ses {n} communes est rurale", lang, n=total)
    return t("{rural} de ses {n} communes sont rurales", lang, rural=fmt.number(rural, 0, lang),
             n=total)


def _ours_ess(rank: bool, ratios: int, lang: str) -> str:
    """The sentence saying which figures of the ESS message the project computed."""
    if rank and ratios == 2:
        return t("Rang et rapports : calcul du projet.", lang)
    if rank and ratios == 1:
        return t("Rang et rapport : calcul du projet.", lang)
    if rank:
        return t("Rang : calcul du projet.", lang)
    if ratios == 2:
        return t("Rapports : calcul du projet.", lang)
    return t("Rapport : calcul du projet.", lang)


def _france_name(row, lang: str) -> str:
    """The scope of France's figure as its source publishes it (`France hors Mayotte`)."""
    name = row.get("france_name_en") if lang == "en" else None
    name = name if isinstance(name, str) and name else row.get("france_name")
    return name if isinstance(name, str) and name else "France"  # the same in both languages


def key_messages(name: str, level: str, me: dict, france: dict, rural_label: str,
                 ess: pd.DataFrame | None = None, parent_name: str | None = None,
                 lang: str = "fr") -> list[str]:
    """Short sentences for a briefing note in `lang`, every number from the warehouse.

    `me`, `france`: territory_metrics rows. `ess`: territory_profile rows of the ESS share of
    salaried jobs for this territory (default source), any periods. `rural_label`: the rural
    definition's label, already in `lang`. `parent_name`: the region's name (None for a region);
    a region that is the territory itself (an overseas department) is not compared with it.
    Ratios and changes come from the values as shown, and each sentence says which of its
    figures the project computed (method: docs/methods.md).
    """
    out = []
    pop, year = me.get("population"), me.get("population_year")
    if pop is not None and not pd.isna(pop):
        text = (t("{name} compte {population} habitant (population légale {year})", lang,
                  name=name, population=fmt.number(pop, 0, lang), year=year)
                if singular(pop, lang) else
                t("{name} compte {population} habitants (population légale {year})", lang,
                  name=name, population=fmt.number(pop, 0, lang), year=year))
        dens, fdens = shown(me.get("density")), shown(france.get("density"))
        ratio = _ratio(dens, fdens)
        if ratio is not None:
            text += t(", soit {density} : {comparison} ({france})", lang,
                      density=fmt.value(dens, "density", 1, lang),
                      comparison=_times(ratio, "density", lang),
                      france=fmt.value(fdens, "density", 1, lang))
            text += ". " + t("Densités et rapport : calcul du projet.", lang)
        else:
            text += "."
        out.append(text)
    share, fshare = me.get("rural_population_share"), france.get("rural_population_share")
    if level == "commune":
        label = me.get(f"class_label_{lang}") or me.get("class_label_fr")
        if label:
            out.append(t("La commune est classée « {label} » (« rural » : {rural}).", lang,
                         label=label, rural=rural_label))
    elif share is not None and not pd.isna(share):
        out.append(t(
            "{share} de ses habitants vivent dans une commune rurale et {communes} (France : "
            "{france} des habitants ; « rural » : {label}).", lang,
            share=fmt.value(share, "percent", 1, lang),
            france=fmt.value(fshare, "percent", 1, lang),
            communes=_rural_communes(int(me["n_rural_communes"]), int(me["n_communes"]), lang),
            label=rural_label))
    if ess is not None and len(ess):
        out += _ess_messages(name, level, ess, parent_name, lang)
    return out


def _ess_messages(name: str, level: str, ess: pd.DataFrame, parent_name: str | None,
                  lang: str) -> list[str]:
    """The ESS share in the last period (rank, ratios to France and the region) and its change
    since the first period of the same series."""
    ess = ess.sort_values("period")
    dated = ess[ess["period"] != "nd"]
    last = (dated if len(dated) else ess).iloc[-1]  # the newest dated figure
    decimals = 1 if pd.isna(last.get("decimals", 1)) else int(last.get("decimals", 1))

    def pct(v):
        return fmt.value(v, "percent", decimals, lang)

    v, v_fr, v_reg = (shown(last.get(c), decimals)
                      for c in ("value_territory", "value_france", "value_region"))
    if last["period"] == "nd":
        text = t("L'ESS y représente {share} de l'emploi salarié (chiffre non daté, {publisher})",
                 lang, share=pct(v), publisher=last["source_publisher"])
    else:
        text = t("L'ESS y représente {share} de l'emploi salarié en {period} ({publisher})",
                 lang, share=pct(v), period=last["period"], publisher=last["source_publisher"])
    rank = not pd.isna(last.get("rank")) and last.get("n_ranked", 0) >= 2
    if rank:
        text += t(", au {rank} rang des {n} {territories} que publie la source", lang,
                  rank=ordinal(int(last["rank"]), lang), n=int(last["n_ranked"]),
                  territories=level_plural(level, lang) if level in LEVEL_PLURALS
                  else short_level(level, lang))
    ratios = []
    france_name = _france_name(last, lang)
    if (ratio := _ratio(v, v_fr)) is not None:
        ratios.append(f"{_times(ratio, 'france', lang, france_name)} ({pct(v_fr)})")
    # No region for a region; and an overseas department is its own one-department region:
    # not compared with itself (their names are the same, see tests/test_key_messages.py).
    if parent_name not in (None, name) and (ratio := _ratio(v, v_reg)) is not None:
        ratios.append(t("{comparison} ({region} : {share})", lang,
                        comparison=_times(ratio, "region", lang), region=parent_name,
                        share=pct(v_reg)))
    if len(ratios) == 2:
        text += t(" : {first} et {second}", lang, first=ratios[0], second=ratios[1])
    elif ratios:
        text += fmt.colon(lang) + ratios[0]
    if rank or ratios:
        text += ". " + _ours_ess(rank, len(ratios), lang)
    else:
        text += "."
    out = [text]
    # One series: same source and breakdown as the last figure, dated periods only.
    keys = [c for c in ("source_id", "breakdown_value") if c in ess.columns]
    series = ess[(ess[keys].fillna("") == last[keys].fillna("")).all(axis=1)] if keys else ess
    series = series[series["period"] != "nd"]
    if len(series) < 2:
        return out
    first = series.iloc[0]
    before = shown(first["value_territory"], decimals)
    text = t("Entre {start} et {end}, cette part est passée de {before} à {after} ({change})",
             lang, start=first["period"], end=last["period"], before=pct(before), after=pct(v),
             change=points(v - before, lang))
    fr_before = shown(first.get("value_france"), decimals)
    if (fr_before is not None and v_fr is not None
            and first.get("france_name") == last.get("france_name")):  # one scope
        text += t(", contre {change} en {france} (de {before} à {after})", lang,
                  change=points(v_fr - fr_before, lang), france=france_name,
                  before=pct(fr_before), after=pct(v_fr))
        text += ". " + t("Évolutions : calcul du projet.", lang)
    else:
        text += ". " + t("Évolution : calcul du projet.", lang)
    out.append(text)
    return out
