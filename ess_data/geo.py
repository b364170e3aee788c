"""Geometry for the maps: WKB from the warehouse to GeoJSON, and a map view that fits it."""
import math

import pandas as pd
import shapely


def to_geojson(df: pd.DataFrame) -> dict:
    """A FeatureCollection from rows with `code`, `name` and WKB `geometry`."""
    geoms = shapely.from_wkb([bytes(g) for g in df["geometry"]])
    features = [
        {"type": "Feature", "id": code,
         "properties": {"code": code, "name": name},
         "geometry": shapely.geometry.mapping(g)}
        for code, name, g in zip(df["code"], df["name"], geoms)
    ]
    return {"type": "FeatureCollection", "features": features}


def bounds(geojson: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a FeatureCollection."""
    geoms = [shapely.geometry.shape(f["geometry"]) for f in geojson["features"]]
    return tuple(shapely.total_bounds(geoms))


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
