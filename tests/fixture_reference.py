"""A tiny synthetic territory reference (two regions, three departments, seven communes).

Made of squares so areas are exact; written as Parquet in the same layout as
`ess_data/reference/`, so the fixture warehouse is built by the real loader.

| commune | dep | reg | epci | pop    | km2  | density | approx class |
|---------|-----|-----|------|--------|------|---------|--------------|
| 48001   | 48  | 76  | E1   | 10 000 | 5    | 2 000   | 1 dense      |
| 48002   | 48  | 76  | E1   | 900    | 3    | 300     | 2 interm.    |
| 48003   | 48  | 76  | E2   | 100    | 10   | 10      | 4 rural      |
| 15001   | 15  | 84  | E2   | 400    | 8    | 50      | 3 rural      |
| 15002   | 15  | 84  | -    | 50     | -    | -       | unclassified |
| 63001   | 63  | 84  | E3   | 5 000  | 20   | 250     | 3 rural      |
| 63002   | 63  | 84  | E3   | 60 000 | 30   | 2 000   | 1 dense      |
"""
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import box

COMMUNES = [
    # code, name, dep, reg, epci, pop, area_km2
    ("48001", "Aville", "48", "76", "E1", 10000, 5.0),
    ("48002", "Bourg-les-Bains", "48", "76", "E1", 900, 3.0),
    ("48003", "Saint-Champ", "48", "76", "E2", 100, 10.0),
    ("15001", "Dval", "15", "84", "E2", 400, 8.0),
    ("15002", "Île-Test", "15", "84", None, 50, None),
    ("63001", "Saint-Fmont", "63", "84", "E3", 5000, 20.0),
    ("63002", "Gcity", "63", "84", "E3", 60000, 30.0),
]
DEPARTEMENTS = [("48", "Lozère", "76"), ("15", "Cantal", "84"), ("63", "Puy-de-Dôme", "84")]
REGIONS = [("76", "Occitanie"), ("84", "Auvergne-Rhône-Alpes")]
EPCI = [("E1", "CC Alpha", "CC"), ("E2", "CC Beta", "CC"), ("E3", "CA Gamma", "CA")]


def _square(i: int) -> bytes:
    x = 2.0 + 0.1 * i
    return shapely.to_wkb(box(x, 45.0, x + 0.09, 45.09))


def write_reference(out: Path) -> Path:
    """Write communes/epci/departements/regions Parquet files and meta.json into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    geoms = [_square(i) if c[6] is not None else None for i, c in enumerate(COMMUNES)]
    pq.write_table(pa.table({
        "code": [c[0] for c in COMMUNES], "name": [c[1] for c in COMMUNES],
        "departement_code": [c[2] for c in COMMUNES], "region_code": [c[3] for c in COMMUNES],
        "epci_code": [c[4] for c in COMMUNES],
        "population": pa.array([c[5] for c in COMMUNES], pa.int64()),
        "population_year": pa.array([2022] * len(COMMUNES), pa.int32()),
        "population_source": ["fixture"] * len(COMMUNES),
        "area_km2": [c[6] for c in COMMUNES],
        "lon": [2.0 + 0.1 * i for i in range(len(COMMUNES))], "lat": [45.05] * len(COMMUNES),
        "geometry": pa.array(geoms, pa.binary()),
    }), out / "communes.parquet")
    dep_geom = {d[0]: shapely.to_wkb(box(2.0 + i, 45.0, 2.9 + i, 45.9))
                for i, d in enumerate(DEPARTEMENTS)}
    pq.write_table(pa.table({
        "code": [d[0] for d in DEPARTEMENTS], "name": [d[1] for d in DEPARTEMENTS],
        "region_code": [d[2] for d in DEPARTEMENTS],
        "geometry": [dep_geom[d[0]] for d in DEPARTEMENTS],
        "geometry_inset": [dep_geom[d[0]] for d in DEPARTEMENTS],
    }), out / "departements.parquet")
    reg_geom = [shapely.to_wkb(box(2.0 + 2 * i, 46.0, 3.9 + 2 * i, 46.9)) for i in range(2)]
    pq.write_table(pa.table({
        "code": [r[0] for r in REGIONS], "name": [r[1] for r in REGIONS],
        "geometry": reg_geom, "geometry_inset": reg_geom,
    }), out / "regions.parquet")
    pq.write_table(pa.table({
        "code": [e[0] for e in EPCI], "name": [e[1] for e in EPCI], "nature": [e[2] for e in EPCI],
        "geometry": pa.array([None] * len(EPCI), pa.binary()),
    }), out / "epci.parquet")
    (out / "meta.json").write_text(
        '{"cog_vintage": "test", "counts": {"communes": 7}}',
        encoding="utf-8")
    return out
