"""Where things are: package data, queries and the warehouse file."""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
SEED_DIR = PACKAGE_DIR / "seed"
REFERENCE_DIR = PACKAGE_DIR / "reference"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "ess.duckdb"


def db_path() -> Path:
    """The warehouse the app reads: env `ESS_DB`, else `data/ess.duckdb`."""
    return Path(os.environ.get("ESS_DB") or DEFAULT_DB)
