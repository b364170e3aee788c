"""Cached access to the read-only warehouse for the pages."""
import duckdb
import pandas as pd
import streamlit as st

from ess_data import db, geo
from ess_data.config import db_path
from ess_data.registry import Registry, load_registry


def _stamp() -> str:
    """Path and modification time of the warehouse: a rebuilt file gets new caches."""
    path = db_path()
    return f"{path}:{path.stat().st_mtime_ns if path.exists() else 0}"


@st.cache_resource(show_spinner=False)
def _connection(stamp: str) -> duckdb.DuckDBPyConnection:
    return db.connect(db_path(), read_only=True)


@st.cache_data(show_spinner=False, max_entries=512)
def _query(stamp: str, name: str, params: tuple) -> pd.DataFrame:
    return db.run_query(_connection(stamp), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query (cached); lists in params are passed as tuples for hashing."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    df = _query(_stamp(), name, frozen)
    return df.copy()


@st.cache_resource(show_spinner=False)
def _registry(stamp: str) -> Registry:
    return load_registry(_connection(stamp))


def registry() -> Registry:
    """The indicator registry of the served warehouse."""
    return _registry(_stamp())


@st.cache_data(show_spinner=False)
def _geojson(stamp: str, level: str) -> dict:
    return geo.to_geojson(db.run_query(_connection(stamp), "geometries", level=level))


def geojson(level: str) -> dict:
    """Display shapes of a level as GeoJSON (cached per warehouse)."""
    return _geojson(_stamp(), level)


def warehouse_ready() -> bool:
    """True when the warehouse file exists."""
    return db_path().exists()
