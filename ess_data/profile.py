"""A territory's profile: its parents, computed figures side by side, similar territories and
the key messages that open the page (and the deck), written by rules from warehouse figures."""
import math

import duckdb
import numpy as np
import pandas as pd

from ess_data import fmt
from ess_data.territory import FRANCE, LEVEL_PLURALS, SHORT_LEVELS, metrics

PEER_FEATURES = {  # column -> transform; standardised over all territories of the level
    "population": math.log10,
    "density": math.log10,
    "rural_population_share": float,
}
PEER_METHOD = (
    "Territoires du même niveau les plus proches sur trois critères, chacun centré et réduit "
    "sur l'ensemble des territoires de ce niveau : population (en logarithme), densité (en "
    "logarithme) et part de la population vivant en commune rurale (selon la définition du "
    "rural choisie). Distance euclidienne, les cinq plus proches.")
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


def ordinal(n: int) -> str:
    """1 -> `1er`, 2 -> `2e` (French)."""
    return "1er" if n == 1 else f"{n}e"


def _times(ratio: float, more: str, less: str, than: str) -> str:
    """`2,7 fois plus dense que X` / `5,8 fois moins dense que X` / `comparable à X`."""
    if 0.9 <= ratio <= 1.1:
        return f"comparable à {than.removeprefix('que ').replace('la ', 'celle de la ', 1)}"
    if ratio > 1:
        return f"{fmt.number(ratio, 1)} fois {more} {than}"
    return f"{fmt.number(1 / ratio, 1)} fois {less} {than}"


def key_messages(name: str, level: str, me: dict, france: dict, rural_label: str,
                 ess: pd.DataFrame | None = None, parent_name: str | None = None) -> list[str]:
    """Short French sentences for a briefing note, every number from the warehouse.

    `me`, `france`: territory_metrics rows. `ess`: territory_profile rows of the ESS share of
    salaried jobs for this territory (default source), any periods.
    """
    out = []
    pop, year = me.get("population"), me.get("population_year")
    dens, fdens = me.get("density"), france.get("density")
    if pop is not None and not pd.isna(pop):
        text = f"{name} compte {fmt.number(pop)} habitants (population légale {year})"
        if dens and not pd.isna(dens) and fdens:
            text += (f", soit {fmt.value(dens, 'density', 1)} : "
                     f"{_times(dens / fdens, 'plus dense', 'moins dense', 'que la France')} "
                     f"({fmt.value(fdens, 'density', 1)})")
        out.append(text + ".")
    share, fshare = me.get("rural_population_share"), france.get("rural_population_share")
    if level == "commune":
        if me.get("class_label_fr"):
            out.append(f"La commune est classée « {me['class_label_fr']} » "
                       f"(« rural » : {rural_label}).")
    elif share is not None and not pd.isna(share):
        out.append(
            f"{fmt.value(share, 'percent', 1)} de ses habitants vivent dans une commune rurale "
            f"et {fmt.number(me['n_rural_communes'])} de ses {fmt.number(me['n_communes'])} "
            f"communes sont rurales (France : {fmt.value(fshare, 'percent', 1)} des habitants ; "
            f"« rural » : {rural_label}).")
    if ess is not None and len(ess):
        ess = ess.sort_values("period")
        last = ess.iloc[-1]
        text = (f"L'ESS y représente {fmt.value(last['value_territory'], 'percent', 1)} de "
                f"l'emploi salarié en {last['period']} ({last['source_publisher']})")
        if not pd.isna(last.get("rank")):
            text += (f", au {ordinal(int(last['rank']))} rang des {int(last['n_ranked'])} "
                     f"{LEVEL_PLURALS.get(level, SHORT_LEVELS.get(level, level))}")
        ratios, v = [], last["value_territory"]
        if not pd.isna(last.get("value_france")):
            ratios.append(f"{_times(v / last['value_france'], 'plus', 'moins', 'que la France')}"
                          f" ({fmt.value(last['value_france'], 'percent', 1)})")
        if not pd.isna(last.get("value_region")) and parent_name:
            ratios.append(f"{_times(v / last['value_region'], 'plus', 'moins', 'que sa région')}"
                          f" ({parent_name} : {fmt.value(last['value_region'], 'percent', 1)})")
        out.append(text + (" : " + " et ".join(ratios) if ratios else "") + ".")
        if len(ess) > 1:
            first = ess.iloc[0]
            diff = last["value_territory"] - first["value_territory"]
            text = (f"Entre {first['period']} et {last['period']}, cette part est passée de "
                    f"{fmt.value(first['value_territory'], 'percent', 1)} à "
                    f"{fmt.value(last['value_territory'], 'percent', 1)} "
                    f"({'+' if diff >= 0 else ''}{fmt.number(diff, 1)} point)")
            if not pd.isna(first.get("value_france")) and not pd.isna(last.get("value_france")):
                fd = last["value_france"] - first["value_france"]
                text += f", contre {'+' if fd >= 0 else ''}{fmt.number(fd, 1)} point pour la France"
            out.append(text + ".")
    return out
