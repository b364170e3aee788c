"""Territories: levels, zones, the indicators computed from the communes, and map values.

Published indicators come from `observations`; the indicators of theme `territoire` are computed
at run time from the commune level (queries/territory_metrics.sql), so every level down to the
commune has figures even where no ESS figure is published.
"""
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from ess_data.db import run_query
from ess_data.i18n import t
from ess_data.registry import LEVEL_LABELS, Indicator, level_label  # noqa: F401 - re-exported

LEVELS = LEVEL_LABELS


def short_level(level: str, lang: str = "fr") -> str:
    """A level in running text, lower case: `département` / `department`."""
    labels = {"region": t("région", lang), "departement": t("département", lang),
              "epci": t("EPCI", lang), "commune": t("commune", lang), "france": t("pays", lang)}
    return labels.get(level, level)


def level_plural(level: str, lang: str = "fr") -> str:
    """A level's plural in running text: `départements` / `departments`."""
    labels = {"region": t("régions", lang), "departement": t("départements", lang),
              "epci": t("EPCI", lang), "commune": t("communes", lang)}
    return labels.get(level, level)


SHORT_LEVELS = {k: short_level(k) for k in ("region", "departement", "epci", "commune", "france")}
LEVEL_PLURALS = {k: level_plural(k) for k in ("region", "departement", "epci", "commune")}
# Levels drawn for all of France; communes only inside a region or a department (all 34,875
# communes are about 24 MB of GeoJSON: see the bench).
NATIONAL_LEVELS = ("region", "departement", "epci")
COMPUTED = {  # indicator id -> column of territory_metrics, in menu order
    "densite_population": "density",
    "part_population_rurale": "rural_population_share",
    "population_municipale": "population",
    "communes_rurales": "n_rural_communes",
    "part_communes_rurales": "rural_communes_share",
}
SYMBOLS = ("population_municipale", "communes_rurales")  # counts drawn as circles on maps
RURAL_DEPENDENT = {"part_population_rurale", "communes_rurales", "part_communes_rurales"}
DEFAULT_RURAL = "approx_densite_communale"
_ZONE = re.compile(r"^(france|region-[0-9]{2}|departement-(?:[0-9]{2,3}|2[AB]))$")


@dataclass(frozen=True)
class Zone:
    """Where a map is drawn: all of France, one region or one department."""

    kind: str
    code: str | None = None

    @property
    def slug(self) -> str:
        """The URL form: `france`, `region-53`, `departement-2A`."""
        return "france" if self.kind == "france" else f"{self.kind}-{self.code}"

    @property
    def region_code(self) -> str | None:
        return self.code if self.kind == "region" else None

    @property
    def departement_code(self) -> str | None:
        return self.code if self.kind == "departement" else None


FRANCE = Zone("france")


def parse_zone(text: str | None) -> Zone | None:
    """`region-53` -> Zone('region', '53'); None when the text is not a zone."""
    if not text or not _ZONE.match(text):
        return None
    if text == "france":
        return FRANCE
    kind, code = text.split("-", 1)
    return Zone(kind, code)


def is_computed(indicator: Indicator) -> bool:
    """True for the indicators computed from the communes (theme `territoire`)."""
    return indicator.indicator_id in COMPUTED


def metrics(con: duckdb.DuckDBPyConnection, level: str, zone: Zone = FRANCE,
            rural: str = DEFAULT_RURAL, code: str | None = None) -> pd.DataFrame:
    """Computed figures of every territory of `level` in `zone`, or of the one territory
    `code` (see territory_metrics.sql)."""
    return run_query(con, "territory_metrics", level=level, rural_definition_id=rural,
                     region_code=zone.region_code, departement_code=zone.departement_code,
                     code=code)


def table_series(con: duckdb.DuckDBPyConnection, indicator_id: str,
                 targets: list[tuple[str, str]]) -> str | None:
    """The one series a table of several territories shows for an indicator: the series shown
    for the first of `targets` that has one (a profiled territory, else its nearest parent;
    query displayed_series), so that no row of the table comes from another source."""
    for level, code in targets:
        found = run_query(con, "displayed_series", indicator_id=indicator_id, level=level,
                          code=code)
        if len(found):
            return found["series_id"].iloc[0]
    return None


def offers(con: duckdb.DuckDBPyConnection, indicator: Indicator,
           level: str) -> tuple[pd.DataFrame, tuple[str, str] | None]:
    """What a map can show (query map_periods: period, source_id, source_publisher,
    n_territories, n_sources, default_offer; newest first, one row per period x source) and the
    default (period, source), marked by the warehouse (map_offers.default_offer: the most recent
    comparable series). Computed indicators have one, the legal population's year."""
    if is_computed(indicator):
        year = str(run_query(con, "build_info").set_index("key")["value"].get("population_year"))
        src = run_query(con, "sources").set_index("source_id").loc[indicator.default_source_id]
        df = pd.DataFrame({"period": [year], "source_id": [indicator.default_source_id],
                           "source_publisher": [src["publisher"]],
                           "source_title": [src["title"]], "n_territories": [None],
                           "n_sources": [1], "default_offer": [True]})
        return df, (year, indicator.default_source_id)
    df = run_query(con, "map_periods", indicator_id=indicator.indicator_id, level=level)
    if df.empty:
        return df, None
    best = df[df["default_offer"].astype(bool)].iloc[0]
    return df, (best["period"], best["source_id"])


def earlier_periods(offers_: pd.DataFrame, source_id: str, period: str) -> list[str]:
    """Periods of the same series (same source) before `period` in `offers` (newest first):
    what a change map can start from."""
    return [p for p, s in offers_[["period", "source_id"]].itertuples(index=False)
            if s == source_id and p < period]


def offer_periods(offers_: pd.DataFrame) -> list[str]:
    """The periods of `offers` rows (one per period x source), newest first, each once."""
    return list(dict.fromkeys(offers_["period"]))


def periods(con: duckdb.DuckDBPyConnection, indicator: Indicator,
            level: str) -> tuple[list[str], str | None]:
    """Dated periods a map can show (newest first, each once) and the default one."""
    df, best = offers(con, indicator, level)
    return offer_periods(df), best[0] if best else None


def map_values(con: duckdb.DuckDBPyConnection, indicator: Indicator, level: str, period: str,
               zone: Zone = FRANCE, rural: str = DEFAULT_RURAL,
               sources: pd.DataFrame | None = None, source_id: str | None = None
               ) -> pd.DataFrame:
    """One series on a map: one row per territory of `level` in `zone`: code, name, value (NaN
    where the source publishes none), rank (1 = highest, within the zone), n_ranked, source
    columns, period. `source_id`: the series' source (None: the first in precedence publishing
    that period, chosen in SQL). `sources`: the `sources` query, for computed indicators."""
    if is_computed(indicator):
        df = metrics(con, level, zone, rural)
        src = (sources if sources is not None else run_query(con, "sources")).set_index(
            "source_id").loc[indicator.default_source_id]
        df = pd.DataFrame({
            "code": df["code"], "name": df["name"], "region_code": df["region_code"],
            "value": df[COMPUTED[indicator.indicator_id]].astype(float),
            "source_id": indicator.default_source_id, "source_title": src["title"],
            "source_publisher": src["publisher"], "source_published": src["published"],
            "qualifier": None, "note": None})
    else:
        df = run_query(con, "map_values", indicator_id=indicator.indicator_id, level=level,
                       period=period, source_id=source_id, region_code=zone.region_code,
                       departement_code=zone.departement_code).drop(columns=["n_published"])
    df["rank"] = df["value"].rank(ascending=False, method="min")
    df["n_ranked"] = int(df["value"].notna().sum())
    df["period"] = period
    return df.sort_values(["value", "code"], ascending=[False, True],
                          na_position="last").reset_index(drop=True)


def change_values(con: duckdb.DuckDBPyConnection, indicator: Indicator, level: str,
                  start: str, end: str, zone: Zone = FRANCE, source_id: str | None = None
                  ) -> pd.DataFrame:
    """map_values of the change between two periods of ONE series (end - start, in points for a
    share); NaN where either value is missing. `source_id`: the series (None: the first in
    precedence publishing `end`); the start is read from the same source, never another."""
    b = map_values(con, indicator, level, end, zone, source_id=source_id).set_index("code")
    source_id = source_id or next(iter(b["source_id"].dropna()), None)
    a = map_values(con, indicator, level, start, zone, source_id=source_id).set_index("code")
    b["value"] = b["value"] - a["value"].reindex(b.index)
    b["rank"] = b["value"].rank(ascending=False, method="min")
    b["n_ranked"] = int(b["value"].notna().sum())
    b["period"] = f"{start}-{end}"
    return b.reset_index().sort_values(["value", "code"], ascending=[False, True],
                                       na_position="last").reset_index(drop=True)


def shapes(con: duckdb.DuckDBPyConnection, level: str, zone: Zone = FRANCE) -> dict:
    """GeoJSON of the territories of `level` in `zone` (insets only on maps of all France)."""
    from ess_data.geo import to_geojson
    return to_geojson(run_query(con, "geometries", level=level, region_code=zone.region_code,
                                departement_code=zone.departement_code))


def change_indicator(indicator: Indicator, start: str, end: str) -> Indicator:
    """The registry entry describing the change of `indicator` between two periods."""
    from dataclasses import replace
    unit = "points" if indicator.unit == "percent" else indicator.unit
    return replace(
        indicator, unit=unit,
        label_fr=f"Évolution de « {indicator.label_fr} » entre {start} et {end}",
        label_en=f"Change in '{indicator.label_en}' from {start} to {end}",
        definition_fr=f"{indicator.definition_fr} Différence entre {end} et {start}"
                      + (" en points de pourcentage." if unit == "points" else "."),
        definition_en=f"{indicator.definition_en} Difference {end} minus {start}"
                      + (" in percentage points." if unit == "points" else "."))
