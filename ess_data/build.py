"""Build the DuckDB warehouse from the curated figures and the territory reference.

The new file is written beside the target and renamed over it only once every check passed,
so a failed build never damages the warehouse being served.
"""
import datetime as dt
import json
import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ess_data.config import QUERIES_DIR, REFERENCE_DIR, SEED_DIR
from ess_data.db import run_query
from ess_data.imports.apply import replay
from ess_data.imports.problems import ImportRefused
from ess_data.imports.store import locked, swap_in

SEED_FILES = {
    "sources": ["source_id", "title", "publisher", "published", "url", "read_at_url", "licence",
                "kind", "notes"],
    "indicators": ["indicator_id", "theme", "label_fr", "label_en", "definition_fr",
                   "definition_en", "unit", "decimals", "breakdown", "default_source_id",
                   "mappable", "notes"],
    "observations": ["indicator_id", "territory_level", "territory_code", "period",
                     "breakdown_value", "source_id", "value", "qualifier", "note"],
    "pseudo_territories": ["territory_level", "territory_code", "name_fr", "name_en", "note"],
    "rural_definitions": ["rural_definition_id", "label_fr", "label_en", "producer", "vintage",
                          "method_fr", "source_id", "is_approximation", "commune_level"],
    "breakdowns": ["breakdown", "breakdown_value", "label_fr", "label_en", "sort_order"],
    "structures": ["region_code", "kind", "departement_code", "name", "website",
                   "website_source_id", "note", "source_id"],
    "source_precedence": ["indicator_id", "source_id", "rank"],
}
REFERENCE_FILES = {
    "communes": ["code", "name", "departement_code", "region_code", "epci_code", "population",
                 "population_year", "area_km2", "lon", "lat", "geometry"],
    "epci": ["code", "name", "geometry"],
    "departements": ["code", "name", "region_code", "geometry", "geometry_inset"],
    "regions": ["code", "name", "geometry", "geometry_inset"],
}
CHECKS = ["checks/observation_references", "checks/observation_values",
          "checks/observation_formats",
          "checks/registry_complete", "checks/territory_parents", "checks/source_precedence",
          "checks/shown_series"]


class BuildError(Exception):
    """The inputs are not fit to build a warehouse; the message says where, in French."""


def read_seed(seed_dir: Path) -> dict[str, pd.DataFrame]:
    """Read every seed CSV as text, checking its columns."""
    frames = {}
    for name, columns in SEED_FILES.items():
        path = seed_dir / f"{name}.csv"
        if not path.exists():
            raise BuildError(f"Fichier manquant : {path}")
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise BuildError(f"{path} : fichier illisible ({exc})") from exc
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise BuildError(f"{path} : colonne(s) manquante(s) : {', '.join(missing)}")
        frames[name] = df[columns]
    return frames


def read_reference(reference_dir: Path) -> dict[str, pa.Table]:
    """Read the committed territory extract (Parquet), checking its columns."""
    tables = {}
    for name, columns in REFERENCE_FILES.items():
        path = reference_dir / f"{name}.parquet"
        if not path.exists():
            raise BuildError(f"Référentiel manquant : {path} (voir `make reference`)")
        try:
            table = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise BuildError(f"{path} : fichier Parquet illisible ou tronqué ({exc})") from exc
        missing = [c for c in columns if c not in table.column_names]
        if missing:
            raise BuildError(f"{path} : colonne(s) manquante(s) : {', '.join(missing)}")
        tables[name] = table
    return tables


def _run_script(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        con.execute(path.read_text(encoding="utf-8"))
    except duckdb.ConstraintException as exc:
        raise BuildError(f"{path.name} : doublon ou valeur obligatoire manquante ({exc})") from exc
    except duckdb.ConversionException as exc:
        raise BuildError(f"{path.name} : valeur non numérique ({exc})") from exc


def build(db: Path, seed_dir: Path = SEED_DIR, reference_dir: Path = REFERENCE_DIR) -> dict:
    """Build the warehouse at `db` (atomically replaced); return a summary of what was built.

    Imports kept next to `db` (`data/imports/manifest.json`) are re-applied in order, and the
    replaced warehouse is kept as `*.previous.duckdb` for `rollback`.
    """
    started = time.perf_counter()
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    seed = read_seed(Path(seed_dir))
    reference = read_reference(Path(reference_dir))
    with locked(db):
        return _build(db, seed, reference, Path(reference_dir), started)


def _build(db: Path, seed: dict, reference: dict, reference_dir: Path, started: float) -> dict:
    tmp = db.with_name(f".{db.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name, df in seed.items():
            con.register(f"seed_{name}", df)
        for name, table in reference.items():
            con.register(f"ref_{name}", table)
        for script in sorted((QUERIES_DIR / "build").glob("*.sql")):
            _run_script(con, script)
        try:  # imports kept next to the warehouse (data/imports/), in order
            replayed = replay(con, db)
        except ImportRefused as exc:
            raise BuildError("un import conservé ne s'applique plus :\n" + exc.text()) from exc
        problems = []
        for check in CHECKS:
            bad = run_query(con, check)
            problems += [f"{check.split('/')[-1]} : {row}" for row in bad.to_dict("records")]
        if problems:
            raise BuildError("Contrôles en échec :\n" + "\n".join(problems[:50]))
        meta_path = Path(reference_dir) / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        year, source = con.execute(
            "SELECT max(population_year), mode(population_source) FROM ref_communes").fetchone()
        info = {
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "population_year": str(year),
            "population_source": str(source or ""),
            "cog_vintage": str(meta.get("cog_vintage", "")),
            "reference_inputs": json.dumps(meta.get("inputs", {}), ensure_ascii=False),
        }
        con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))
        summary = dict(con.execute(
            "SELECT 'observations', count(*) FROM observations UNION ALL "
            "SELECT 'indicators', count(*) FROM indicators UNION ALL "
            "SELECT 'sources', count(*) FROM sources UNION ALL "
            "SELECT level, count(*) FROM territories GROUP BY level").fetchall())
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    swap_in(tmp, db)  # the replaced warehouse is kept as *.previous.duckdb (rollback)
    if replayed:
        summary["imports"] = len(replayed)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary
