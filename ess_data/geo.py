"""Geometry for the maps: WKB from the warehouse to GeoJSON, and a map view that fits it."""
import math

import numpy as np
import pandas as pd
import shapely


def _coords(geom) -> list:
    """GeoJSON coordinates with each ring as one numpy array: figures that deep-copy their
    GeoJSON (Plotly does) then copy a few hundred arrays, not a million Python floats."""
    def ring(r):
        return np.asarray(r.coords)[:, :2]

    def polygon(p):
        return [ring(p.exterior), *(ring(i) for i in p.interiors)]

    if geom.geom_type == "Polygon":
        return polygon(geom)
    return [polygon(p) for p in geom.geoms]


def to_geojson(df: pd.DataFrame) -> dict:
    """A FeatureCollection from rows with `code`, `name` and WKB `geometry` (NULLs skipped)."""
    df = df[df["geometry"].notna()]
    geoms = shapely.from_wkb([bytes(g) for g in df["geometry"]])
    points = shapely.get_coordinates(shapely.point_on_surface(geoms))
    features = [
        {"type": "Feature", "id": code,
         "properties": {"code": code, "name": name,  # a point inside, for symbols
                        "lon": round(float(x), 5), "lat": round(float(y), 5)},
         "geometry": {"type": g.geom_type, "coordinates": _coords(g)}}
        for code, name, g, (x, y) in zip(df["code"], df["name"], geoms, points)
    ]
    return {"type": "FeatureCollection", "features": features}


def points(geojson: dict) -> dict[str, tuple[float, float]]:
    """code -> (lon, lat) of a point inside each feature."""
    return {f["properties"]["code"]: (f["properties"]["lon"], f["properties"]["lat"])
            for f in geojson["features"]}


class Shared:
    """Made for one figure and never changed afterwards, so a copy of it is itself. Plotly
    deep-copies every trace it is given: for a map, that was most of the time to build the
    figure (150 ms for the 5,121 communes of Grand Est)."""

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class Shapes(Shared, dict):
    """A FeatureCollection made for one figure (see Shared)."""


class Column(Shared, list):
    """One value per territory of a map trace (see Shared)."""


def subset(geojson: dict, codes) -> Shapes:
    """The features of `geojson` whose code is in `codes`, slimmed to what a map trace needs
    (code and shape), as Shapes (Plotly's copies of it cost nothing)."""
    keep = set(codes)
    return Shapes({"type": "FeatureCollection",
                   "features": [{"type": "Feature", "properties": {"code": f["properties"]["code"]},
                                 "geometry": f["geometry"]}
                                for f in geojson["features"] if f["properties"]["code"] in keep]})


def bounds(geojson: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a FeatureCollection."""
    points = np.vstack([ring for f in geojson["features"] for ring in rings(f["geometry"])])
    return (*points.min(axis=0), *points.max(axis=0))


def rings(geometry: dict):
    """Every ring (outer and holes) of a GeoJSON Polygon or MultiPolygon."""
    coords = geometry["coordinates"]
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    for polygon in polygons:
        yield from polygon


def fit_view(bbox: tuple[float, float, float, float], width_px: int = 820,
             height_px: int = 530) -> tuple[dict, float]:
    """Centre and zoom of a web-mercator map showing `bbox` in a frame of the given size."""
    west, south, east, north = bbox

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(east - west, 1e-6)
    y_span = max(merc_y(north) - merc_y(south), 1e-6)
    # MapLibre draws the world 512 px wide at zoom 0 (not 256 as raster tiles did).
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * y_span))
    centre_y = (merc_y(north) + merc_y(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"lon": (west + east) / 2, "lat": centre_lat}, min(zoom_x, zoom_y) - 0.1
