"""A territory's profile: its parents, computed figures side by side, similar territories and
the key messages that open the page (and the deck), written by rules from warehouse figures."""
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pandas as pd

from ess_data import fmt
from ess_data.i18n import t
from ess_data.registry import ESS_SHARE as REGISTRY_ESS_SHARE
from ess_data.registry import Indicator
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
                 lang: str = "fr", story: "Story | None" = None) -> list[str]:
    """Short sentences for a briefing note in `lang`, every number from the warehouse.

    `me`, `france`: territory_metrics rows. `ess`: territory_profile rows of the ESS share of
    salaried jobs for this territory (default source), any periods. `rural_label`: the rural
    definition's label, already in `lang`. `parent_name`: the region's name (None for a region);
    a region that is the territory itself (an overseas department) is not compared with it.
    Ratios and changes come from the values as shown, and each sentence says which of its
    figures the project computed (method: docs/methods.md).
    `story` (see `story()`): for a region, the messages open with its own finding (its ESS
    share and gap with France, its departments' range, its rural figures or the national
    reference when none is published for it).
    """
    out, opening, wrote = [], [], False
    if story is not None and level == "region":
        opening, wrote = _region_messages(name, ess, story, lang)
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
    ess_out = (_ess_messages(name, level, ess, parent_name, lang)[1 if wrote else 0:]
               if ess is not None and len(ess) else [])
    if wrote:  # the region's finding, its change since ("cette part"), then the rest
        return [opening[0], *ess_out, *opening[1:], *out]
    return opening + out + ess_out


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


# --- a region's own story: its departments and its rural figures -----------------------------

@dataclass(frozen=True)
class Departments:
    """The ESS share of one region's departments on one series: the departmental map's default
    (territory.offers, decided by the warehouse's views), with the region's and France's figures
    from the same source and period where it publishes them (None where it does not)."""

    region_code: str
    region_name: str
    period: str
    rows: pd.DataFrame            # map_values rows of the region's departments, highest first
    indicator: Indicator
    region_value: float | None
    france_value: float | None
    france_name: str | None       # France's scope as the source publishes it
    france_name_en: str | None

    @property
    def published(self) -> pd.DataFrame:
        """The departments the source publishes, highest first."""
        return self.rows[self.rows["value"].notna()].reset_index(drop=True)

    def france(self, lang: str = "fr") -> str:
        """France's scope in `lang` (`France hors Mayotte`)."""
        return _france_name({"france_name": self.france_name,
                             "france_name_en": self.france_name_en}, lang)

    def source(self, lang: str = "fr") -> str:
        """`Source : Insee, ... (2017) ; données 2014.`"""
        from ess_data.figures import source_line
        return source_line(self.rows, lang)


@dataclass(frozen=True)
class Story:
    """What a region's (or a department's) own story adds to its key messages and its deck: its
    region's departments on one series, the rural figures published for the territory itself
    (`regional`: territory_profile rows of the shown series of indicators about its rural part),
    and the national rural vs rest reference (`national`: the pair the overview page shows)."""

    departments: Departments | None
    regional: pd.DataFrame
    national: pd.DataFrame


def _no_nan(value):
    return None if value is None or pd.isna(value) else float(value)


def departments(con: duckdb.DuckDBPyConnection, region_code: str) -> Departments | None:
    """The region's departments on the departmental map's default ESS-share series; None when
    no source publishes two of them (a one-department region has no range)."""
    from ess_data.db import run_query
    from ess_data.registry import load_registry
    from ess_data.territory import Zone, map_values, offers
    registry = load_registry(con)
    if ESS_SHARE not in registry:
        return None
    ind = registry.get(ESS_SHARE)
    _, best = offers(con, ind, "departement")
    if best is None:
        return None
    period, source_id = best
    rows = map_values(con, ind, "departement", period, Zone("region", region_code),
                      source_id=source_id)
    published = rows[rows["value"].notna()]
    if len(published) < 2:
        return None
    region = run_query(con, "territory", level="region", code=region_code).iloc[0]
    # the region's and France's figures of the same series, as a department's profile has them
    prof = run_query(con, "territory_profile", level="departement",
                     code=published["code"].iloc[0])
    same = prof[(prof["indicator_id"] == ESS_SHARE) & (prof["source_id"] == source_id)
                & (prof["period"] == period) & (prof["breakdown_value"].fillna("") == "")]
    ref = same.iloc[0].to_dict() if len(same) else {}
    return Departments(
        region_code=region_code, region_name=region["name"], period=period, rows=rows,
        indicator=ind, region_value=_no_nan(ref.get("value_region")),
        france_value=_no_nan(ref.get("value_france")),
        france_name=ref.get("france_name"), france_name_en=ref.get("france_name_en"))


def rural_indicators(ids) -> list[str]:
    """Published indicators about a territory's own rural part (`..._rural` in the registry,
    e.g. evolution_emploi_ess_rural: the ESS jobs of a region's rural communes)."""
    return [i for i in dict.fromkeys(ids) if str(i).endswith("_rural")]


def story(con: duckdb.DuckDBPyConnection, level: str, code: str) -> Story | None:
    """A region's or a department's story (see Story); None at other levels."""
    from ess_data.db import run_query
    from ess_data.registry import HEADLINE_RURAL_DEFINITION
    from ess_data.series import shown_series
    if level not in ("region", "departement"):
        return None
    terr = run_query(con, "territory", level=level, code=code)
    if terr.empty:
        return None
    region_code = code if level == "region" else terr["region_code"].iloc[0]
    prof = run_query(con, "territory_profile", level=level, code=code)
    regional = [shown_series(prof[prof["indicator_id"] == i])
                for i in rural_indicators(prof["indicator_id"])]
    regional = [r for r in regional if len(r)]
    national = run_query(con, "rural_comparison", indicator_ids=[ESS_SHARE],
                         definition=HEADLINE_RURAL_DEFINITION)
    national = national[national["chosen"] & (national["indicator_id"] == ESS_SHARE)]
    return Story(departments=departments(con, region_code),
                 regional=pd.concat(regional, ignore_index=True) if regional else prof.iloc[0:0],
                 national=national.reset_index(drop=True))


def more_or_less(mine: Decimal, theirs: Decimal, france: str, lang: str = "fr") -> str:
    """`1,6 point de plus qu'en France hors Mayotte`, `0,4 point de moins qu'en ...`,
    `autant qu'en ...`: the difference of two shares as shown (our calculation)."""
    diff = mine - theirs
    if diff == 0:
        return t("autant qu'en {france}", lang, france=france)
    amount = fmt.number(abs(diff), -diff.as_tuple().exponent, lang)
    if diff > 0:
        return (t("{n} point de plus qu'en {france}", lang, n=amount, france=france)
                if singular(diff, lang) else
                t("{n} points de plus qu'en {france}", lang, n=amount, france=france))
    return (t("{n} point de moins qu'en {france}", lang, n=amount, france=france)
            if singular(diff, lang) else
            t("{n} points de moins qu'en {france}", lang, n=amount, france=france))


def when(period: str, lang: str = "fr") -> str:
    """A period in running text: `en 2014`, `au 30/06/2024` (a date), `sur 2008-2015` (a
    range), `depuis 2021` (an open period), `(données non datées)` (undated)."""
    import datetime
    import re
    if period in (None, "", "nd"):
        return t("(données non datées)", lang)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return t("au {date}", lang, date=fmt.day(datetime.date.fromisoformat(period), lang))
    if re.fullmatch(r"\d{4}-\d{4}", period):
        return t("sur {period}", lang, period=period)
    if period.endswith("-"):
        return fmt.period(period, lang)  # `depuis 2021`
    return t("en {period}", lang, period=fmt.period(period, lang))


def range_text(deps: Departments, lang: str = "fr") -> str:
    """`de 9,5 % (Tarn-et-Garonne) à 27,9 % (Lozère)`: the lowest and highest department."""
    pub = deps.published
    decimals = deps.indicator.decimals
    low, high = pub.iloc[-1], pub.iloc[0]
    return t("de {low} ({low_name}) à {high} ({high_name})", lang,
             low=fmt.value(shown(low["value"], decimals), "percent", decimals, lang),
             low_name=low["name"],
             high=fmt.value(shown(high["value"], decimals), "percent", decimals, lang),
             high_name=high["name"])


def rural_story(st: Story, lang: str = "fr") -> str:
    """The rural figures published for the territory itself, or the plain statement that none
    is, followed by the national rural vs rest reference with its definition and source."""
    parts = []
    reg = st.regional
    if len(reg):
        for _, rows in reg.groupby("indicator_id", sort=False):
            last = rows.iloc[-1]
            decimals = 1 if pd.isna(last.get("decimals")) else int(last["decimals"])
            label = last[f"label_{lang}"] if f"label_{lang}" in last else last["label_fr"]
            parts.append(t("{label} : {value} ({period}, {publisher})", lang, label=label,
                           value=fmt.value(last["value_territory"], last["unit"], decimals, lang),
                           period=fmt.period(last["period"], lang),
                           publisher=last["source_publisher"]))
        text = t("Publié pour le rural de ce territoire (le reste du territoire ne l'est pas) : "
                 "{figures}", lang, figures=fmt.semicolon(lang).join(parts))
    else:
        text = t("Part de l'ESS dans le rural et dans le reste du territoire : aucune source du "
                 "tableau de bord ne la publie pour ce territoire", lang)
    nat = st.national
    if len(nat) >= 2:
        rural, other = nat.iloc[0], nat.iloc[1]
        decimals = 1 if pd.isna(rural.get("decimals")) else int(rural["decimals"])
        text += ". " + t(
            "Repère national : {rural} de l'emploi salarié dans les {rural_name} contre {other} "
            "dans le {other_name}, {when} ({publisher})", lang,
            rural=fmt.value(rural["value"], "percent", decimals, lang),
            rural_name=_lower(rural[f"territory_name_{lang}"]),
            other=fmt.value(other["value"], "percent", decimals, lang),
            other_name=_lower(other[f"territory_name_{lang}"]),
            when=when(rural["period"], lang), publisher=rural["source_publisher"])
    return text + "."


def _lower(text: str) -> str:
    """`Territoires ruraux (...)` -> `territoires ruraux (...)` (an acronym stays as is)."""
    return text[:1].lower() + text[1:] if len(text) > 1 and text[1:2].islower() else text


def _region_messages(name: str, ess: pd.DataFrame | None, st: Story,
                     lang: str) -> tuple[list[str], bool]:
    """The region's own finding: its ESS share and gap with France (with its rank), its
    departments' range, then its rural figures; and whether the share sentence was written."""
    out, wrote = [], False
    ours = []
    if ess is not None and len(ess):
        rows = ess.sort_values("period")
        dated = rows[rows["period"] != "nd"]
        last = (dated if len(dated) else rows).iloc[-1]
        decimals = 1 if pd.isna(last.get("decimals", 1)) else int(last.get("decimals", 1))
        v, v_fr = shown(last["value_territory"], decimals), shown(last.get("value_france"),
                                                                  decimals)
        text = t("{name} : l'ESS pèse {share} de l'emploi salarié {when} ({publisher})", lang,
                 name=name, share=fmt.value(v, "percent", decimals, lang),
                 when=when(last["period"], lang), publisher=last["source_publisher"])
        if v_fr is not None:
            france = _france_name(last, lang)
            text += ", " + more_or_less(v, v_fr, france, lang) + " ({})".format(
                fmt.value(v_fr, "percent", decimals, lang))
            ours.append("gap")
        if not pd.isna(last.get("rank")) and last.get("n_ranked", 0) >= 2:
            text += t(", au {rank} rang des {n} régions que publie la source", lang,
                      rank=ordinal(int(last["rank"]), lang), n=int(last["n_ranked"]))
            ours.append("rank")
        out.append(text)
        wrote = True
    deps = st.departments
    if deps is not None:
        sentence = t("Selon le département, {range} {when} ({publisher})", lang,
                     range=range_text(deps, lang), when=when(deps.period, lang),
                     publisher=deps.published["source_publisher"].iloc[0])
        out.append(sentence)
    if out:
        method = {("gap",): t("Écart : calcul du projet.", lang),
                  ("rank",): t("Rang : calcul du projet.", lang),
                  ("gap", "rank"): t("Écart et rang : calcul du projet.", lang)}.get(tuple(ours))
        text = ". ".join(out) + "."
        out = [text + (" " + method if method else "")]
    out.append(rural_story(st, lang))
    return out, wrote
