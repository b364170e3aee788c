"""Cached access to the read-only warehouse for the pages."""
import gc
import hashlib
import pickle

import duckdb
import pandas as pd
import streamlit as st

from ess_data import db, figures, mapview, profile, search, series, territory
from ess_data.config import db_path
from ess_data.registry import ESS_SHARE, Registry, load_registry
from ui import lang
from ui.lang import t


def stamp() -> str:
    """Path and modification time of the warehouse: a rebuilt file gets new caches."""
    path = db_path()
    return f"{path}:{path.stat().st_mtime_ns if path.exists() else 0}"


# two warehouses at most: the current one and, for a page still running, the one it replaced
@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(stamp: str) -> duckdb.DuckDBPyConnection:
    return db.connect(db_path(), read_only=True)


@st.cache_data(show_spinner=False, max_entries=512)
def _query(stamp: str, name: str, params: tuple) -> pd.DataFrame:
    return db.run_query(_connection(stamp), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query (cached: each call gets its own copy, st.cache_data's); lists in
    params are passed as tuples for hashing."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _query(stamp(), name, frozen)


# Figures are the same for every visitor of a warehouse in a language: built once, shared
# (st.cache_resource: never copied; nothing mutates a figure after it is made, ui/present.py
# draws a copy). Measured on /dla: its nine figures cost ~130 ms of CPU a run. The key is a
# digest of the pickled arguments (0.6 ms a chart), not Streamlit's hash of their DataFrames
# (4.8 ms a chart on Arrow strings: half the page's time).
@st.cache_resource(show_spinner=False, max_entries=512)
def _figure(stamp: str, name: str, digest: str, _build, _args: tuple, _kwargs: dict):
    return _build(*_args, **_kwargs)


def figure(build, *args, **kwargs):
    """`build(*args, **kwargs)` (an ess_data figure builder), cached per warehouse and
    arguments (compared by the digest of their pickled bytes)."""
    try:
        digest = hashlib.blake2b(pickle.dumps((args, sorted(kwargs.items())), protocol=5),
                                 digest_size=16).hexdigest()
    except (pickle.PicklingError, TypeError, AttributeError):  # not picklable: not cached
        return build(*args, **kwargs)
    return _figure(stamp(), f"{build.__module__}.{build.__qualname__}", digest, build, args,
                   kwargs)


@st.cache_resource(show_spinner=False)
def _registry(stamp: str) -> Registry:
    return load_registry(_connection(stamp))


def registry() -> Registry:
    """The indicator registry of the served warehouse."""
    return _registry(stamp())


def _long_lived(value):
    """Keep `value` out of Python's full garbage collections: moves every object alive now to
    the permanent generation (gc.freeze). Shapes are tens of thousands of objects kept for the
    server's life; scanning them cost each later page run of a commune map about 90 ms."""
    gc.freeze()
    return value


@st.cache_resource(show_spinner=False, max_entries=64)  # read only: shared, never copied
def _geojson(stamp: str, level: str, zone: str) -> dict:
    return _long_lived(territory.shapes(_connection(stamp), level, territory.parse_zone(zone)))


def _choropleth_of(stamp: str, level: str, zone: str, *args, **kwargs):
    return figures.choropleth(_geojson(stamp, level, zone), *args, **kwargs)


def choropleth(level: str, zone: str, *args, **kwargs):
    """figures.choropleth on the shapes of `level` in `zone` (its other arguments as there),
    cached as `figure` is: the shapes are named by level and zone, not pickled into the key.
    Building the map's description and export figure was ~40 % of a map page's run."""
    return figure(_choropleth_of, stamp(), level, zone, *args, **kwargs)


def geojson(level: str, zone: str = "france") -> dict:
    """Display shapes of a level in a zone as GeoJSON (cached per warehouse)."""
    return _geojson(stamp(), level, zone)


@st.cache_resource(show_spinner=False, max_entries=64)  # read only: shared, never copied
def _map_shapes(stamp: str, level: str, zone: str) -> dict:
    return _long_lived(mapview.encode_shapes(_geojson(stamp, level, zone)))


def map_shapes(level: str, zone: str = "france") -> dict:
    """The same shapes encoded for the in-app map (mapview.encode_shapes; cached)."""
    return _map_shapes(stamp(), level, zone)


@st.cache_data(show_spinner=False, max_entries=256)
def _map_values(stamp: str, indicator_id: str, level: str, period: str, zone: str,
                rural: str, source_id: str | None) -> pd.DataFrame:
    con = _connection(stamp)
    return territory.map_values(con, _registry(stamp).get(indicator_id), level, period,
                                territory.parse_zone(zone), rural,
                                sources=_query(stamp, "sources", ()), source_id=source_id)


def map_values(indicator_id: str, level: str, period: str, zone: str = "france",
               rural: str = territory.DEFAULT_RURAL, source_id: str | None = None
               ) -> pd.DataFrame:
    """One series on a map: an indicator's values from one source for every territory of a
    level in a zone, ranked (source None: the one the warehouse's rule shows first)."""
    return _map_values(stamp(), indicator_id, level, period, zone, rural, source_id).copy()


def rural_definitions() -> dict[str, str]:
    """Rural definitions classifying every commune (id -> label in the session's language), the
    default first: the newest imported official grid, else our approximation."""
    df = query("imports/commune_definitions")
    labels = dict(zip(df["rural_definition_id"], df["label_fr"]))
    if lang.current() == "en":  # the warehouse's English labels (the same table's label_en)
        english = query("rural_definitions").set_index("rural_definition_id")["label_en"]
        labels = {k: english.get(k) or v for k, v in labels.items()}
    return labels


def zones() -> dict[str, tuple[str, str]]:
    """Every zone a map can be drawn in, in menu order: slug -> (menu label in the session's
    language, the place a map title names: '' for France, `Lozère (48)` for a department)."""
    out = {}
    for zone, kind, code, name in query("zones")[["zone", "kind", "code", "name"]].itertuples(
            index=False):
        if kind == "france":
            out[zone] = (t("France entière"), "")
        elif kind == "region":
            out[zone] = (t("Région : {name}", name=name), name)
        else:
            place = f"{name} ({code})"
            out[zone] = (t("Département : {place}", place=place), place)
    return out


def indicators_at_level(level: str) -> list[str]:
    """Mappable indicators with values at `level`: computed ones first, then published ones."""
    published = query("indicator_levels")
    have = set(published.loc[published["territory_level"] == level, "indicator_id"])
    reg = registry()
    published = [i.indicator_id for i in reg.mappable()
                 if not territory.is_computed(i) and i.indicator_id in have]
    return published + [i for i in territory.COMPUTED if i in reg]


def offers(indicator_id: str, level: str) -> tuple[pd.DataFrame, tuple[str, str] | None]:
    """What a map of an indicator at a level can show: (period, source) rows, newest first,
    and the default pair (territory.offers)."""
    df, best = _offers(stamp(), indicator_id, level)
    return df.copy(), best


@st.cache_data(show_spinner=False, max_entries=256)
def _offers(stamp: str, indicator_id: str, level: str):
    return territory.offers(_connection(stamp), _registry(stamp).get(indicator_id), level)


def periods(indicator_id: str, level: str) -> tuple[list[str], str | None]:
    """Dated periods a map of an indicator can show (newest first) and the default one."""
    df, best = offers(indicator_id, level)
    return territory.offer_periods(df), best[0] if best else None


def rural_codes(zone: str, rural: str) -> list[str]:
    """Codes of the rural communes of a zone under a rural definition."""
    z = territory.parse_zone(zone)
    return query("rural_communes", rural_definition_id=rural, region_code=z.region_code,
                 departement_code=z.departement_code)["code"].tolist()


def warehouse_ready() -> bool:
    """True when the warehouse file exists."""
    return db_path().exists()


@st.cache_data(show_spinner=False, max_entries=256)
def _search(stamp: str, text: str, lang: str) -> pd.DataFrame:  # labels depend on lang
    return search.search(_connection(stamp), text, lang=lang)


def search_territories(text: str) -> pd.DataFrame:
    """Territories matching a name or code, best first, labelled for homonyms (labels in the
    session's language)."""
    return _search(stamp(), text[:search.MAX_QUERY], lang.current()).copy()


@st.cache_data(show_spinner=False, max_entries=64)
def _level_metrics(stamp: str, level: str, rural: str) -> pd.DataFrame:
    return territory.metrics(_connection(stamp), level, territory.FRANCE, rural)


def level_metrics(level: str, rural: str) -> pd.DataFrame:
    """Computed figures of every territory of a level in France (for peers and ranks)."""
    return _level_metrics(stamp(), level, rural).copy()


@st.cache_data(show_spinner=False, max_entries=64)
def _story(stamp: str, level: str, code: str) -> profile.Story | None:
    return profile.story(_connection(stamp), level, code)


def story(level: str, code: str) -> profile.Story | None:
    """A region's or a department's own story for its key messages (profile.story; cached)."""
    return _story(stamp(), level, code)


@st.cache_data(show_spinner=False, max_entries=256)
def _side_by_side(stamp: str, targets: tuple, rural: str) -> pd.DataFrame:
    return profile.side_by_side(_connection(stamp), list(targets), rural)


def side_by_side(targets: list[tuple[str, str]], rural: str) -> pd.DataFrame:
    """Computed figures of several territories, one row each, in order."""
    return _side_by_side(stamp(), tuple(targets), rural).copy()


@st.cache_data(show_spinner=False, max_entries=64)
def _change_values(stamp: str, indicator_id: str, level: str, start: str, end: str,
                   zone: str, source_id: str | None) -> pd.DataFrame:
    return territory.change_values(_connection(stamp), _registry(stamp).get(indicator_id), level,
                                   start, end, territory.parse_zone(zone), source_id)


def change_values(indicator_id: str, level: str, start: str, end: str,
                  zone: str = "france", source_id: str | None = None) -> pd.DataFrame:
    """Change of one series between two periods for every territory of a level in a zone."""
    return _change_values(stamp(), indicator_id, level, start, end, zone, source_id).copy()


def ess_share(level: str, code: str) -> pd.DataFrame:
    """A territory's ESS share of salaried jobs from the one series shown for it (the rows of
    the territory_profile query the warehouse marks `displayed`): what its profile sums up."""
    ess = query("territory_profile", level=level, code=code)
    return series.shown_series(ess[ess["indicator_id"] == ESS_SHARE])


@st.cache_data(show_spinner=False, max_entries=256)
def _table_series(stamp: str, indicator_id: str, targets: tuple) -> str | None:
    return territory.table_series(_connection(stamp), indicator_id, list(targets))


def series_rows(indicator_id: str, targets: list[tuple[str, str]], levels: list[str]
                ) -> pd.DataFrame:
    """Observations of the one series a table of `targets` shows (territory.table_series) at
    `levels`; empty when none is published."""
    series_id = _table_series(stamp(), indicator_id, tuple(targets))
    if series_id is None:
        return query("series_observations", series_id="", levels=levels)
    return query("series_observations", series_id=series_id, levels=levels)


def share_periods(rows: pd.DataFrame) -> list[str]:
    """The periods of ess_share rows, newest first (["nd"] when there is none): the profile's
    years, its default the first."""
    return sorted(rows["period"].unique(), reverse=True) or ["nd"]


def profile_params(level: str, code: str, rural: str) -> dict[str, str]:
    """The URL parameters of a territory's profile written in full, as that page writes them
    (same values, same order, the language last): opening it with these adds no second entry
    to the browser's history, so Back returns to where the link was followed."""
    return lang.in_url({"niveau": level, "code": code, "comparer": "",
                        "annee": share_periods(ess_share(level, code))[0], "rural": rural})
