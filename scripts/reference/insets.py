"""Display insets: overseas departments moved next to metropolitan France, each at a readable size.

Each overseas department is drawn, in its own local equal-area projection (metres), inside a box
of fixed size in the Atlantic west of the Bay of Biscay; boxes are stacked north to south.
The mapping keeps shapes (same scale in x and y at the box latitude) but not relative sizes:
the scale factor of each department is recorded in meta.json and docs/reference.md.
"""

from __future__ import annotations

import math

import shapely

EARTH_RADIUS_M = 6_371_008.8
BOX_WIDTH_M = 150_000   # ~2.0 degrees of longitude at 47 N
BOX_HEIGHT_M = 120_000  # ~1.1 degrees of latitude
BOX_CENTRE_LON = -7.6   # west of Brittany (Ouessant is at -5.1), north of Galicia
# Top to bottom; 1.4 degrees of latitude apart.
BOX_CENTRE_LAT = {"971": 50.0, "972": 48.6, "973": 47.2, "974": 45.8, "976": 44.4}


def inset_params(dep_code: str, geom_local_m) -> dict:
    """Scale and offsets that fit a department (local metres) into its display box."""
    minx, miny, maxx, maxy = geom_local_m.bounds
    scale = min(BOX_WIDTH_M / (maxx - minx), BOX_HEIGHT_M / (maxy - miny))
    lat_c = BOX_CENTRE_LAT[dep_code]
    half_w = math.degrees(BOX_WIDTH_M / 2 / (EARTH_RADIUS_M * math.cos(math.radians(lat_c))))
    half_h = math.degrees(BOX_HEIGHT_M / 2 / EARTH_RADIUS_M)
    return {
        "centre_x_m": round((minx + maxx) / 2, 1),
        "centre_y_m": round((miny + maxy) / 2, 1),
        "scale": round(scale, 6),
        "box_centre_lon": BOX_CENTRE_LON,
        "box_centre_lat": lat_c,
        "box_bounds_lonlat": [round(BOX_CENTRE_LON - half_w, 5), round(lat_c - half_h, 5),
                              round(BOX_CENTRE_LON + half_w, 5), round(lat_c + half_h, 5)],
    }


def place(geoms_local_m, params: dict):
    """Map geometries in the department's local projection (metres) to display lon/lat."""
    k_lon = math.degrees(1 / (EARTH_RADIUS_M * math.cos(math.radians(params["box_centre_lat"]))))
    k_lat = math.degrees(1 / EARTH_RADIUS_M)
    s, xc, yc = params["scale"], params["centre_x_m"], params["centre_y_m"]

    def f(c):
        out = c.copy()
        out[:, 0] = params["box_centre_lon"] + (c[:, 0] - xc) * s * k_lon
        out[:, 1] = params["box_centre_lat"] + (c[:, 1] - yc) * s * k_lat
        return out

    return shapely.transform(geoms_local_m, f)
