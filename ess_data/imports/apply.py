"""Apply an import all or nothing, re-apply kept imports at build time, and roll back.

An import never writes the served warehouse: it copies it beside itself, validates the file
against the copy (territory codes, duplicates, ranges), applies it there, runs the build checks,
then renames the copy over the served file (the old one is kept as `*.previous.duckdb`). A
refused import leaves the served file byte for byte as it was.
"""
import datetime as dt
import importlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ess_data.db import run_query
from ess_data.imports import store
from ess_data.imports.problems import ImportRefused, Problem

# kind -> module defining ROLES, validate(con, files, names, options) and apply(con, prepared,
# entry) (entry: the manifest entry, with its id and date)
KINDS = {
    "grille-densite": "ess_data.imports.grille",
    "ess-emploi": "ess_data.imports.ess_emploi",
    "sirene": "ess_data.imports.sirene",
}


@dataclass
class Prepared:
    """A validated file, ready to apply: rows per role, the data, a French report, its target."""

    n_rows: dict[str, int]
    data: Any
    target: str
    report: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an applied import did."""

    import_id: int
    kind: str
    report: list[str]
    seconds: float


def handler(kind: str):
    """The module handling an import kind."""
    if kind not in KINDS:
        raise ImportRefused([Problem(kind, "type d'import inconnu (attendu : "
                                          f"{', '.join(KINDS)})")])
    return importlib.import_module(KINDS[kind])


def _checks(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    from ess_data.build import CHECKS  # late: build imports this module for replay

    problems = []
    for check in CHECKS:
        for row in run_query(con, check).to_dict("records"):
            problems.append(Problem("entrepôt", f"contrôle {check.split('/')[-1]} : {row}"))
    return problems


def _apply(con, mod, prepared: Prepared, entry: dict, names: dict[str, str]) -> list[str]:
    """Apply a prepared import on `con` and log it; return the report lines."""
    report = list(prepared.report) + list(mod.apply(con, prepared, entry) or [])
    summary = "\n".join(report)
    for role in mod.ROLES:
        run_query(con, "imports/log_import", import_id=entry["id"], file_role=role,
                  kind=entry["kind"], file_name=names[role], sha256=entry["sha256"][role],
                  n_rows=prepared.n_rows.get(role, 0), imported_at=entry["imported_at"],
                  target=prepared.target, summary_fr=summary)
    return report


def run_import(db: Path, kind: str, files: dict[str, Path], options: dict | None = None,
               names: dict[str, str] | None = None, now: dt.datetime | None = None) -> ImportResult:
    """Validate and apply an import to the warehouse at `db`; raise ImportRefused if unfit.

    `names` gives the original file names when the files are temporary copies (admin page).
    """
    started = time.perf_counter()
    db = Path(db)
    mod = handler(kind)
    options = dict(options or {})
    missing = [r for r in mod.ROLES if r not in files]
    if missing:
        raise ImportRefused([Problem(kind, f"fichier manquant : {', '.join(missing)}")])
    names = {r: (names or {}).get(r) or Path(files[r]).name for r in mod.ROLES}
    if not db.exists():
        raise ImportRefused([Problem(str(db), "entrepôt introuvable : lancez d'abord "
                                              "`python -m ess_data build`")])
    for role in mod.ROLES:
        if not Path(files[role]).is_file():
            raise ImportRefused([Problem(names[role], "fichier introuvable")])
    with store.locked(db):
        folder = store.imports_dir(db)
        entries = store.read_manifest(folder)
        import_id = max((e["id"] for e in entries), default=0) + 1
        stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        entry = {"id": import_id, "kind": kind, "imported_at": stamp, "active": True,
                 "options": options, "original_names": names,
                 "sha256": {r: store.sha256(Path(files[r])) for r in mod.ROLES},
                 "files": {r: store.kept_name(import_id, kind, names[r]) for r in mod.ROLES}}
        tmp = db.with_name(f".{db.name}.importing-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            missing = run_query(con, "imports/schema_ready")["name"].tolist()
            if missing:
                raise ImportRefused([Problem(
                    str(db), f"entrepôt construit avant les imports (tables absentes : "
                             f"{', '.join(missing)}) : relancez `python -m ess_data build`")])
            prepared = mod.validate(con, {r: Path(files[r]) for r in mod.ROLES}, names, options)
            report = _apply(con, mod, prepared, entry, names)
            problems = _checks(con)
            if problems:
                raise ImportRefused(problems)
            entry["n_rows"] = prepared.n_rows
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        try:
            for role in mod.ROLES:
                store.keep_file(Path(files[role]), folder / entry["files"][role])
            # the manifest first: if the rename below never happens, a later build still has
            # the (validated) import; the reverse order could lose it
            store.write_manifest(folder, entries + [entry])
            store.swap_in(tmp, db)
        except BaseException:
            tmp.unlink(missing_ok=True)
            store.write_manifest(folder, entries)
            raise
    return ImportResult(import_id, kind, report, round(time.perf_counter() - started, 2))


def replay(con: duckdb.DuckDBPyConnection, db: Path) -> list[str]:
    """Re-apply, in order, the active imports kept next to `db` (used by `build`)."""
    folder = store.imports_dir(db)
    lines = []
    for entry in store.read_manifest(folder):
        if not entry.get("active", True):
            continue
        mod = handler(entry["kind"])
        files = {r: folder / name for r, name in entry["files"].items()}
        names = entry["original_names"]
        for role, path in files.items():
            if not path.is_file():
                raise ImportRefused([Problem(str(path), f"fichier de l'import n° {entry['id']} "
                                                        "introuvable")])
            if store.sha256(path) != entry["sha256"][role]:
                raise ImportRefused([Problem(str(path), f"fichier de l'import n° {entry['id']} "
                                                        "modifié depuis l'import (SHA-256)")])
        prepared = mod.validate(con, files, names, entry.get("options", {}))
        _apply(con, mod, prepared, entry, names)
        lines.append(f"import n° {entry['id']} ({entry['kind']}, {', '.join(names.values())}) "
                     "ré-appliqué")
    return lines


def rollback(db: Path) -> list[int]:
    """Restore the previous warehouse; return the ids of the imports it holds.

    The manifest follows: imports absent from the restored warehouse become inactive (a later
    build does not re-apply them); rolling back again restores the other file.
    """
    db = Path(db)
    with store.locked(db):
        if not store.previous_path(db).exists():
            raise FileNotFoundError(store.previous_path(db))
        store.swap_back(db)
        con = duckdb.connect(str(db), read_only=True)
        try:
            ids = set(run_query(con, "import_history")["import_id"].astype(int))
        except duckdb.CatalogException:
            ids = set()  # a warehouse built before imports existed holds none
        finally:
            con.close()
        folder = store.imports_dir(db)
        entries = store.read_manifest(folder)
        if entries:
            for e in entries:
                e["active"] = e["id"] in ids
            store.write_manifest(folder, entries)
    return sorted(ids)
