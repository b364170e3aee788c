"""Geometry for the maps: WKB from the warehouse to GeoJSON, bounds, and where names go.

shapely 2's vectorised functions do all of it (decoding, points inside, ring orientation,
poles of inaccessibility) on a few thousand shapes at most; see docs/exports.md for why
geopandas is not a dependency.
"""
import numpy as np
import pandas as pd
import shapely
from shapely import geometry as shapes_
from shapely.ops import polylabel


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
    # Outer rings clockwise, holes anticlockwise: the winding the exported map's projection
    # (d3-geo, inside Plotly) reads as "this side is inside"; a ring wound the other way is
    # drawn as the whole globe minus the place. The in-app canvas fills even-odd: either suits.
    geoms = shapely.orient_polygons(shapely.from_wkb([bytes(g) for g in df["geometry"]]),
                                    exterior_cw=True)
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


def label_points(geojson: dict, widths: dict | None = None) -> dict[str, tuple[float, float]]:
    """code -> (lon, lat) where a name reads best: the pole of inaccessibility of the largest
    part (the inside point farthest from the edges), not a point that may hug a coast.
    `widths`, if given, receives code -> width in degrees of that largest part."""
    where = {}
    for feature in geojson["features"]:
        shape = shapes_.shape(feature["geometry"])
        part = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
        west, south, east, north = part.bounds
        point = polylabel(part, tolerance=max(east - west, north - south) / 200)
        where[feature["properties"]["code"]] = (point.x, point.y)
        if widths is not None:
            widths[feature["properties"]["code"]] = east - west
    return where
