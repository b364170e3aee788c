"""Helpers shared by the import kinds: code formats, staging tables, the commune reference."""
import re

import duckdb
import pandas as pd

from ess_data.db import run_query

COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTEMENT_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$")
REGION_CODE = re.compile(r"^\d{2}$")
EPCI_CODE = re.compile(r"^\d{9}$|^[A-Z]\d+$")  # SIREN of the EPCI (fixtures use E1, E2, ...)
YEAR = re.compile(r"^(19|20)\d{2}$")
STAGING = {"staging_definition", "staging_source", "staging_classes", "staging_communes",
           "staging_unmatched", "staging_cells", "staging_observations", "staging_indicators",
           "staging_breakdowns", "staging_sirene"}


def stage(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    """Copy a DataFrame into a staging table of the warehouse being written (fixed names only)."""
    if name not in STAGING:
        raise ValueError(name)
    view = f"{name}_df"
    con.register(view, df)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}").fetchall()
    finally:
        con.unregister(view)


def reference(con: duckdb.DuckDBPyConnection, level: str) -> dict[str, str]:
    """Code -> name of the territories of one level in the warehouse being written."""
    df = run_query(con, "imports/reference_codes", level=level)
    return dict(zip(df["code"], df["name"]))
