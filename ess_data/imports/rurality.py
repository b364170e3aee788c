"""Which commune-level rural definition the app should use by default once a grid is imported."""
import duckdb

from ess_data.db import run_query


def commune_definitions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of the commune-level rural definitions, default first (newest official grid, else
    the approximation)."""
    return run_query(con, "imports/commune_definitions")["rural_definition_id"].tolist()
