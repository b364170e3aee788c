#!/usr/bin/env python3
"""Standalone checks of the curated seed files (ess_data/seed/*.csv). Needs pandas only.

    python scripts/check_seed.py [--seed DIR] [--raw PATH]

Checks the schema of ess_data/seed/README.md (exact columns, allowed values), key uniqueness,
that every indicator / source / breakdown / pseudo-territory / rural definition referenced exists,
territory codes, period formats, units and value ranges (percent within 0-100, except growth
rates and net changes, which may be negative), then prints counts. With --raw (default: the
shared reference file if present) it also warns when a note or label repeats a long passage of
the raw file's `quote` column: our text must be our own words.

Exit status 1 if any error was found; warnings do not fail.
"""

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = ROOT / "ess_data" / "seed"
DEFAULT_RAW = Path("/work/shared/reference/ess_facts.csv")

COLUMNS = {
    "sources.csv": [
        "source_id",
        "title",
        "publisher",
        "published",
        "url",
        "read_at_url",
        "licence",
        "kind",
        "notes",
    ],
    "indicators.csv": [
        "indicator_id",
        "theme",
        "label_fr",
        "label_en",
        "definition_fr",
        "definition_en",
        "unit",
        "decimals",
        "breakdown",
        "default_source_id",
        "mappable",
        "notes",
    ],
    "observations.csv": [
        "indicator_id",
        "territory_level",
        "territory_code",
        "period",
        "breakdown_value",
        "source_id",
        "value",
        "qualifier",
        "note",
    ],
    "pseudo_territories.csv": ["territory_level", "territory_code", "name_fr", "name_en", "note"],
    "rural_definitions.csv": [
        "rural_definition_id",
        "label_fr",
        "label_en",
        "producer",
        "vintage",
        "method_fr",
        "source_id",
        "is_approximation",
        "commune_level",
    ],
    "breakdowns.csv": ["breakdown", "breakdown_value", "label_fr", "label_en", "sort_order"],
    "structures.csv": [
        "region_code",
        "kind",
        "departement_code",
        "name",
        "website",
        "website_source_id",
        "note",
        "source_id",
    ],
}
KEYS = {
    "sources.csv": ["source_id"],
    "indicators.csv": ["indicator_id"],
    "observations.csv": [
        "indicator_id",
        "territory_level",
        "territory_code",
        "period",
        "breakdown_value",
        "source_id",
    ],
    "pseudo_territories.csv": ["territory_level", "territory_code"],
    "rural_definitions.csv": ["rural_definition_id"],
    "breakdowns.csv": ["breakdown", "breakdown_value"],
    "structures.csv": ["region_code", "kind", "departement_code", "name"],
}
REQUIRED = {  # columns that may not be empty
    "sources.csv": ["source_id", "title", "publisher", "kind"],
    "indicators.csv": [
        "indicator_id",
        "theme",
        "label_fr",
        "label_en",
        "definition_fr",
        "definition_en",
        "unit",
        "decimals",
        "default_source_id",
        "mappable",
    ],
    "observations.csv": [
        "indicator_id",
        "territory_level",
        "territory_code",
        "period",
        "source_id",
        "value",
    ],
    "pseudo_territories.csv": ["territory_level", "territory_code", "name_fr", "name_en"],
    "rural_definitions.csv": [
        "rural_definition_id",
        "label_fr",
        "label_en",
        "is_approximation",
        "commune_level",
    ],
    "breakdowns.csv": ["breakdown", "breakdown_value", "label_fr", "label_en"],
    "structures.csv": ["region_code", "kind", "name", "source_id"],
}

KINDS = {"statistique_publique", "etude", "administration", "presse", "reseau", "calcul"}
THEMES = {
    "emploi",
    "etablissements",
    "familles",
    "ruralite",
    "dla",
    "ptce",
    "reseau",
    "remuneration",
    "territoire",  # computed by the build from the communes (ess_data/territory.py)
}
UNITS = {"percent", "count", "count_fte", "euros", "points", "density"}
BREAKDOWNS = {"secteur", "porteur", "famille", "theme", "financeur"}
LEVELS = {
    "france",
    "rural",
    "hors_rural",
    "urbain",
    "periurbain",
    "region",
    "departement",
    "ancienne_region",
    "groupe_regions",
}
RURAL_LEVELS = {"rural", "hors_rural", "urbain", "periurbain"}
QUALIFIERS = {"", "environ", "plus_de", "moins_de"}
STRUCTURE_KINDS = {"service_etat", "sgar", "cress", "dla_regional", "dla_departemental"}
BOOLS = {"true", "false"}

REGIONS = {
    "11",
    "24",
    "27",
    "28",
    "32",
    "44",
    "52",
    "53",
    "75",
    "76",
    "84",
    "93",
    "94",
    "01",
    "02",
    "03",
    "04",
    "06",
}
DEPARTEMENTS = (
    {f"{i:02d}" for i in range(1, 96) if i != 20}
    | {"2A", "2B"}
    | {"971", "972", "973", "974", "976"}
)
PERIOD_RE = re.compile(r"^(\d{4}|\d{4}-\d{4}|\d{4}-\d{2}-\d{2}|\d{4}-|nd)$")
DATE_RE = re.compile(r"^(\d{4}|\d{4}-\d{2}|\d{4}-\d{2}-\d{2})?$")
ID_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
# growth rates and net changes may be negative
SIGNED_PREFIXES = ("evolution_", "creations_nettes_")


class Report:
    def __init__(self):
        self.errors, self.warnings = [], []

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def load(seed: Path, rep: Report) -> dict:
    tables = {}
    for name, cols in COLUMNS.items():
        path = seed / name
        if not path.exists():
            rep.error(f"{name}: missing file")
            continue
        raw_bytes = path.read_bytes()
        try:
            raw_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            rep.error(f"{name}: not UTF-8 ({exc})")
        if raw_bytes.startswith(b"\xef\xbb\xbf"):
            rep.error(f"{name}: has a byte-order mark")
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        if list(df.columns) != cols:
            rep.error(f"{name}: columns {list(df.columns)} != expected {cols}")
            continue
        for c in cols:
            bad = df[df[c] != df[c].str.strip()]
            for i in bad.index:
                rep.error(f"{name} line {i + 2}: leading/trailing spaces in {c}")
        for c in REQUIRED[name]:
            for i in df.index[df[c] == ""]:
                rep.error(f"{name} line {i + 2}: empty {c}")
        dup = df[df.duplicated(KEYS[name], keep=False)]
        for i in dup.index:
            rep.error(f"{name} line {i + 2}: duplicate key {tuple(dup.loc[i, KEYS[name]])}")
        tables[name] = df
    return tables


def bad_values(rep, name, df, col, allowed):
    for i in df.index[~df[col].isin(allowed)]:
        rep.error(f"{name} line {i + 2}: {col}={df.at[i, col]!r} not in {sorted(allowed)}")


def check(tables: dict, rep: Report):
    src = tables.get("sources.csv")
    ind = tables.get("indicators.csv")
    obs = tables.get("observations.csv")
    pseudo = tables.get("pseudo_territories.csv")
    rdef = tables.get("rural_definitions.csv")
    bd = tables.get("breakdowns.csv")
    st = tables.get("structures.csv")
    if any(t is None for t in (src, ind, obs, pseudo, rdef, bd, st)):
        return
    source_ids = set(src.source_id)

    # sources
    bad_values(rep, "sources.csv", src, "kind", KINDS)
    for i, r in src.iterrows():
        if not ID_RE.match(r.source_id):
            rep.error(f"sources.csv line {i + 2}: source_id {r.source_id!r} is not snake_case")
        if not DATE_RE.match(r.published):
            rep.error(
                f"sources.csv line {i + 2}: published {r.published!r} "
                "not YYYY, YYYY-MM or YYYY-MM-DD"
            )
        for c in ("url", "read_at_url"):
            if r[c] and not r[c].startswith(("http://", "https://")):
                rep.error(f"sources.csv line {i + 2}: {c} is not an http(s) address")
        if r.url and r.url == r.read_at_url:
            rep.warn(f"sources.csv line {i + 2}: read_at_url repeats url")
        if (
            not r.url
            and not r.read_at_url
            and r.kind != "calcul"
            and not re.search(r"inconnu|non connu|non relev", r.notes)
        ):
            rep.warn(f"sources.csv {r.source_id}: no address at all and the notes do not say why")
        if not r.licence:
            rep.warn(f"sources.csv {r.source_id}: licence empty")

    # indicators
    bad_values(rep, "indicators.csv", ind, "theme", THEMES)
    bad_values(rep, "indicators.csv", ind, "unit", UNITS)
    bad_values(rep, "indicators.csv", ind, "mappable", BOOLS)
    bad_values(rep, "indicators.csv", ind, "breakdown", BREAKDOWNS | {""})
    for i, r in ind.iterrows():
        if not ID_RE.match(r.indicator_id):
            rep.error(
                f"indicators.csv line {i + 2}: indicator_id {r.indicator_id!r} is not snake_case"
            )
        if not r.decimals.isdigit() or int(r.decimals) > 3:
            rep.error(f"indicators.csv line {i + 2}: decimals {r.decimals!r} not an integer 0-3")
        if r.default_source_id not in source_ids:
            rep.error(
                f"indicators.csv {r.indicator_id}: "
                f"default_source_id {r.default_source_id!r} not in sources"
            )
    units = dict(zip(ind.indicator_id, ind.unit))
    breakdown_of = dict(zip(ind.indicator_id, ind.breakdown))

    # breakdowns
    bad_values(rep, "breakdowns.csv", bd, "breakdown", BREAKDOWNS)
    for i in bd.index[(bd.sort_order != "") & ~bd.sort_order.str.fullmatch(r"\d+")]:
        rep.error(f"breakdowns.csv line {i + 2}: sort_order not an integer")
    bd_pairs = set(zip(bd.breakdown, bd.breakdown_value))

    # rural definitions
    bad_values(rep, "rural_definitions.csv", rdef, "is_approximation", BOOLS)
    bad_values(rep, "rural_definitions.csv", rdef, "commune_level", BOOLS)
    for i, r in rdef.iterrows():
        if r.source_id and r.source_id not in source_ids:
            rep.error(
                f"rural_definitions.csv line {i + 2}: source_id {r.source_id!r} not in sources"
            )
    rural_ids = set(rdef.rural_definition_id)
    approx_ids = set(rdef.rural_definition_id[rdef.is_approximation == "true"])

    # pseudo-territories
    bad_values(
        rep, "pseudo_territories.csv", pseudo, "territory_level", LEVELS - {"region", "departement"}
    )
    pseudo_keys = set(zip(pseudo.territory_level, pseudo.territory_code))
    for i, r in pseudo.iterrows():
        if r.territory_level in RURAL_LEVELS and r.territory_code not in rural_ids:
            rep.error(
                f"pseudo_territories.csv line {i + 2}: "
                f"{r.territory_code!r} is not a rural definition"
            )
        if r.territory_level == "france" and r.territory_code == "FR":
            rep.error(
                "pseudo_territories.csv: FR is built from the official geography; do not list it"
            )

    # observations
    bad_values(rep, "observations.csv", obs, "territory_level", LEVELS)
    bad_values(rep, "observations.csv", obs, "qualifier", QUALIFIERS)
    for i, r in obs.iterrows():
        where = f"observations.csv line {i + 2}"
        if r.indicator_id not in units:
            rep.error(f"{where}: unknown indicator {r.indicator_id!r}")
            continue
        if r.source_id not in source_ids:
            rep.error(f"{where}: unknown source {r.source_id!r}")
        if not PERIOD_RE.match(r.period):
            rep.error(f"{where}: period {r.period!r} not YYYY, YYYY-YYYY, YYYY-MM-DD, YYYY- or nd")
        elif re.fullmatch(r"\d{4}-\d{4}", r.period) and r.period[:4] >= r.period[5:]:
            rep.error(f"{where}: period {r.period!r} does not run forward")
        # breakdown
        dim = breakdown_of[r.indicator_id]
        if dim and not r.breakdown_value:
            rep.error(f"{where}: {r.indicator_id} needs a breakdown_value ({dim})")
        elif not dim and r.breakdown_value:
            rep.error(
                f"{where}: {r.indicator_id} has no breakdown "
                f"but breakdown_value={r.breakdown_value!r}"
            )
        elif dim and (dim, r.breakdown_value) not in bd_pairs:
            rep.error(f"{where}: ({dim}, {r.breakdown_value}) missing from breakdowns.csv")
        # territory
        lvl, code = r.territory_level, r.territory_code
        if lvl == "region" and code not in REGIONS:
            rep.error(f"{where}: region code {code!r} not a current COG region")
        elif lvl == "departement" and code not in DEPARTEMENTS:
            rep.error(f"{where}: departement code {code!r} not a COG department")
        elif lvl in RURAL_LEVELS:
            if code not in rural_ids:
                rep.error(f"{where}: {lvl} code {code!r} is not a rural_definition_id")
            elif code in approx_ids:
                rep.error(f"{where}: {code!r} is computed by the build; no observation may hold it")
            if (lvl, code) not in pseudo_keys:
                rep.error(f"{where}: ({lvl}, {code}) missing from pseudo_territories.csv")
        elif lvl == "france" and code != "FR" and (lvl, code) not in pseudo_keys:
            rep.error(f"{where}: ({lvl}, {code}) missing from pseudo_territories.csv")
        elif lvl in {"ancienne_region", "groupe_regions"} and (lvl, code) not in pseudo_keys:
            rep.error(f"{where}: ({lvl}, {code}) missing from pseudo_territories.csv")
        # value and unit range
        try:
            v = float(r.value)
        except ValueError:
            rep.error(f"{where}: value {r.value!r} is not a number")
            continue
        if "," in r.value or r.value.lower() in {"nan", "inf", "-inf"}:
            rep.error(f"{where}: value {r.value!r} must use '.' and be finite")
        signed = r.indicator_id.startswith(SIGNED_PREFIXES)
        unit = units[r.indicator_id]
        if unit == "percent":
            if v > 100 or (v < 0 and not signed):
                rep.error(f"{where}: {r.indicator_id}={v} outside 0-100")
            if signed and abs(v) > 100:
                rep.warn(f"{where}: growth rate {v} beyond ±100 %")
        elif unit in {"count", "count_fte", "euros"} and v < 0 and not signed:
            rep.error(f"{where}: {r.indicator_id}={v} negative")
        if r.period == "nd" and not r.note:
            rep.warn(f"{where}: undated figure without a note")

    # referential completeness
    used = set(obs.indicator_id)
    for iid in sorted(set(ind.indicator_id) - used):
        rep.warn(f"indicators.csv {iid}: no observation")
    for _, r in ind.iterrows():
        sub = obs[obs.indicator_id == r.indicator_id]
        if len(sub) and r.default_source_id not in set(sub.source_id):
            rep.warn(
                f"indicators.csv {r.indicator_id}: "
                f"default source {r.default_source_id} gives no value"
            )
        computed = r.theme == "territoire"  # values made by the build, not in the seed
        if r.mappable == "true" and not computed \
                and not sub.territory_level.isin({"region", "departement"}).any():
            rep.error(f"indicators.csv {r.indicator_id}: mappable but no region/departement values")
    used_pairs = {
        (breakdown_of[i], b)
        for i, b in zip(obs.indicator_id, obs.breakdown_value)
        if b and i in breakdown_of
    }
    for p in sorted(bd_pairs - used_pairs):
        rep.warn(f"breakdowns.csv {p}: label never used")
    used_ids = set(obs.source_id) | set(st.source_id) | set(rdef.source_id)
    used_ids |= set(st.website_source_id)  # where a body's website address was read
    for s in sorted(source_ids - used_ids):
        rep.warn(f"sources.csv {s}: not referenced")

    # structures
    bad_values(rep, "structures.csv", st, "kind", STRUCTURE_KINDS)
    for i, r in st.iterrows():
        if r.region_code not in REGIONS:
            rep.error(
                f"structures.csv line {i + 2}: region_code {r.region_code!r} not a current region"
            )
        if r.source_id not in source_ids:
            rep.error(f"structures.csv line {i + 2}: source_id {r.source_id!r} not in sources")
        # a departmental DLA carrier names its department; no other body does
        if (r.kind == "dla_departemental") != bool(r.departement_code):
            rep.error(f"structures.csv line {i + 2}: departement_code is for dla_departemental")
        elif r.departement_code and r.departement_code not in DEPARTEMENTS:
            rep.error(f"structures.csv line {i + 2}: departement_code {r.departement_code!r}")
        if r.website and not r.website.startswith(("http://", "https://")):
            rep.error(f"structures.csv line {i + 2}: website is not an http(s) address")
        if bool(r.website) != bool(r.website_source_id):
            rep.error(f"structures.csv line {i + 2}: a website needs its website_source_id")
        elif r.website_source_id and r.website_source_id not in source_ids:
            rep.error(f"structures.csv line {i + 2}: website_source_id not in sources")
    for reg in sorted(REGIONS):
        kinds = set(st.kind[st.region_code == reg])
        for k in ("service_etat", "sgar", "cress"):
            if k not in kinds:
                rep.error(f"structures.csv: region {reg} has no {k}")


def check_own_words(tables: dict, raw_path: Path, rep: Report, n: int = 8):
    """Warn when one of our texts repeats n consecutive words of a raw `quote`."""
    if not raw_path.exists():
        return
    raw = pd.read_csv(raw_path, dtype=str, keep_default_na=False)
    if "quote" not in raw.columns:
        return

    def words(s):
        return re.findall(r"\w+", s.lower())

    shingles = set()
    for q in raw.quote:
        w = words(q)
        shingles.update(tuple(w[k : k + n]) for k in range(len(w) - n + 1))
    text_cols = {
        "observations.csv": ["note"],
        "indicators.csv": ["label_fr", "definition_fr", "notes"],
        "sources.csv": ["notes"],
        "structures.csv": ["note"],
        "pseudo_territories.csv": ["note"],
        "rural_definitions.csv": ["method_fr"],
    }
    for name, cols in text_cols.items():
        df = tables.get(name)
        if df is None:
            continue
        for c in cols:
            for i, s in df[c].items():
                w = words(s)
                if any(tuple(w[k : k + n]) in shingles for k in range(len(w) - n + 1)):
                    rep.warn(f"{name} line {i + 2}: {c} repeats {n}+ words of a raw quote")


def summary(tables: dict):
    print("== counts")
    for name, df in tables.items():
        print(f"  {name:24s} {len(df):5d} rows")
    obs, ind = tables.get("observations.csv"), tables.get("indicators.csv")
    if obs is None or ind is None:
        return
    print("== observations by territory level")
    for lvl, n in obs.territory_level.value_counts().items():
        print(f"  {lvl:16s} {n:5d}")
    print("== observations by indicator (unit)")
    unit = dict(zip(ind.indicator_id, ind.unit))
    for iid, n in obs.indicator_id.value_counts().sort_index().items():
        print(f"  {iid:48s} {unit.get(iid, '?'):9s} {n:4d}")
    print(
        f"== sources used by observations: {obs.source_id.nunique()}; "
        f"undated (nd) observations: {(obs.period == 'nd').sum()}"
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    ap.add_argument(
        "--raw", type=Path, default=DEFAULT_RAW, help="raw reference file, for the own-words check"
    )
    ap.add_argument("--quiet", action="store_true", help="do not print counts")
    args = ap.parse_args(argv)
    rep = Report()
    tables = load(args.seed, rep)
    check(tables, rep)
    check_own_words(tables, args.raw, rep)
    if not args.quiet:
        summary(tables)
    for w in rep.warnings:
        print(f"WARNING {w}")
    for e in rep.errors:
        print(f"ERROR {e}")
    print(f"== {len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
