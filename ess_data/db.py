"""The single choke point that runs SQL: named queries from `queries/`, bound parameters."""
import logging
import re
import time
import weakref
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from ess_data.config import QUERIES_DIR, db_path

log = logging.getLogger(__name__)
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)?$")


class WarehouseMissing(RuntimeError):
    """The warehouse file does not exist yet (run `python -m ess_data build`)."""


_ATTACHED: "weakref.WeakSet[duckdb.DuckDBPyConnection]" = weakref.WeakSet()


def connect(path: Path | str | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; read-only unless building."""
    path = Path(path) if path else db_path()
    if read_only and not path.exists():
        raise WarehouseMissing(f"Entrepôt introuvable : {path}. Lancez `python -m ess_data build`.")
    if not read_only:
        return duckdb.connect(str(path))
    # A fresh in-memory instance that attaches the file: duckdb.connect(path) would hand back
    # the process's cached instance of that path, i.e. the file as it was when first opened,
    # even after a build or an import has renamed a new warehouse over it.
    con = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS warehouse (READ_ONLY)")
    con.execute("USE warehouse")
    _ATTACHED.add(con)  # its cursors must USE it too (a cursor starts in the memory catalog)
    return con


@cache
def load_query(name: str) -> str:
    """Text of `queries/<name>.sql`; names are checked so no path can escape the folder."""
    if not _NAME.match(name):
        raise ValueError(f"Nom de requête invalide : {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every named query shipped in `queries/` (build scripts excluded)."""
    return sorted(
        str(p.relative_to(QUERIES_DIR).with_suffix(""))
        for p in QUERIES_DIR.rglob("*.sql")
        if p.parent.name != "build"
    )


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query with bound `$param` values on its own cursor; return a DataFrame."""
    sql = load_query(name)
    started = time.perf_counter()
    cur = con.cursor()
    if con in _ATTACHED:
        cur.execute("USE warehouse")
    try:
        df = cur.execute(sql, params).df() if params else cur.execute(sql).df()
    finally:
        cur.close()
    log.debug("query %s: %d rows in %.1f ms", name, len(df), (time.perf_counter() - started) * 1e3)
    return plain_strings(df)


def plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python strings (object dtype) instead of pandas 3's Arrow-backed `str`:
    the pages filter, group and take rows of small frames many times a run, and each such step
    on an Arrow string column costs several times more (measured by py-spy under load: Arrow
    `take` and scalar access were the first cost of /dla and /territoire once their figures
    were cached). Missing text stays NaN."""
    text = [c for c, dtype in df.dtypes.items() if isinstance(dtype, pd.StringDtype)]
    return df.astype(dict.fromkeys(text, object)) if text else df
