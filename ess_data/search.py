"""Find a territory by name or code: accent- and case-insensitive, `st`/`saint` alike."""
import re
import unicodedata

import duckdb
import pandas as pd

from ess_data.db import run_query
from ess_data.territory import short_level

MAX_QUERY = 80


def normalise(text: str) -> str:
    """`  Saint-Étienne ` -> `saint etienne`; `St Malo` -> `saint malo` (as the SQL does)."""
    text = unicodedata.normalize("NFKD", (text or "")[:MAX_QUERY].lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = " " + re.sub(r"[^a-z0-9]+", " ", text) + " "
    text = text.replace(" st ", " saint ").replace(" ste ", " sainte ")
    return re.sub(r"\s+", " ", text).strip()


def search(con: duckdb.DuckDBPyConnection, text: str, limit: int = 20,
           lang: str = "fr") -> pd.DataFrame:
    """Matching territories, best first, with a `label` (in `lang`) that tells homonyms apart."""
    q = normalise(text)
    if len(q) < 2:
        return pd.DataFrame(columns=["level", "code", "name", "label"])
    code = re.sub(r"[^0-9A-Za-z]", "", (text or "")[:MAX_QUERY]).upper()
    df = run_query(con, "search_territories", q=q, code=code, limit=limit)
    df["label"] = [
        f"{name} ({dep_name}, {dep})" if level == "commune" else
        f"{name} ({short_level(level, lang)} {code})"
        for level, code, name, dep, dep_name in zip(
            df["level"], df["code"], df["name"], df["departement_code"], df["departement_name"])]
    return df
