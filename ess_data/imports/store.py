"""Where imports live beside the warehouse: kept files, their manifest, the previous warehouse.

Layout next to the warehouse `data/ess.duckdb`:
- `data/imports/manifest.json`: every import in order (id, kind, files, SHA-256, options, date,
  active); `build` re-applies the active ones so rebuilding never loses an import;
- `data/imports/0001-grille-densite-<file name>`: the imported file as received;
- `data/ess.previous.duckdb`: the warehouse as it was before the last import or build;
- `data/.ess.duckdb.lock`: held while a process replaces the warehouse.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

MANIFEST = "manifest.json"


def imports_dir(db: Path) -> Path:
    """Folder of the kept imported files, next to the warehouse."""
    return Path(db).parent / "imports"


def previous_path(db: Path) -> Path:
    """The previous warehouse kept next to `db` (`ess.previous.duckdb`)."""
    db = Path(db)
    return db.with_name(f"{db.stem}.previous{db.suffix}")


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(folder: Path) -> list[dict]:
    """Entries of the manifest in import order (empty when there is none)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["imports"]


def write_manifest(folder: Path, entries: list[dict]) -> None:
    """Write the manifest atomically (temp file then rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{MANIFEST}.{os.getpid()}"
    tmp.write_text(json.dumps({"imports": entries}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def kept_name(import_id: int, kind: str, original: str) -> str:
    """File name under imports/: id, kind and a safe version of the original name."""
    safe = re.sub(r"[^0-9A-Za-z._-]+", "_", Path(original).name)[-120:].lstrip(".") or "fichier"
    return f"{import_id:04d}-{kind}-{safe}"


def _link_or_copy(src: Path, dest: Path) -> None:
    """Put `src` at `dest` atomically: a hard link when possible (no copy of large files)."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def keep_file(src: Path, dest: Path) -> None:
    """Keep a copy of an imported file (a hard link when possible: SIRENE files are large)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    _link_or_copy(src, dest)


@contextlib.contextmanager
def locked(db: Path):
    """Hold an exclusive lock so two imports or builds never replace the warehouse at once."""
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(f".{db.name}.lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        # with the lock held no other import is running: a working copy left next to the
        # warehouse is from a process that was killed; remove it (and its DuckDB WAL)
        for stale in db.parent.glob(f".{db.name}.importing-*"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def swap_in(new: Path, db: Path) -> None:
    """Keep the current warehouse as the previous one, then rename `new` over `db` atomically.

    The served file is never written: the previous copy is a hard link to it (or a copy), and
    the new file replaces it by one rename, so readers see either the old or the new warehouse.
    """
    db = Path(db)
    if db.exists():
        _link_or_copy(db, previous_path(db))
    os.replace(new, db)


def swap_back(db: Path) -> None:
    """Restore the previous warehouse; the replaced one becomes the previous (twice = redo)."""
    db = Path(db)
    prev = previous_path(db)
    if not prev.exists():
        raise FileNotFoundError(prev)
    tmp = db.with_name(f".{db.name}.rollback-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    if db.exists():
        try:
            os.link(db, tmp)
        except OSError:
            shutil.copyfile(db, tmp)
    os.replace(prev, db)
    if tmp.exists():
        os.replace(tmp, prev)
