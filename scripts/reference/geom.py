"""Geometry helpers: projections, coverage cleaning, gaps, simplification, WKB output."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Transformer

WGS84 = CRS.from_epsg(4326)
METRO_CRS = "EPSG:3035"  # ETRS89-extended / LAEA Europe: equal-area
DECIMALS = 5                     # ~1 m; enough for maps at any zoom used here


def local_laea(lon: float, lat: float) -> str:
    """Lambert azimuthal equal-area projection centred on (lon, lat): one overseas department."""
    return f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"


class Projection:
    """Forward/inverse transform between WGS84 lon/lat and one projected CRS."""

    def __init__(self, definition: str):
        self.definition = definition  # "EPSG:3035" or a PROJ string
        crs = CRS.from_user_input(definition)
        self._fwd = Transformer.from_crs(WGS84, crs, always_xy=True)
        self._inv = Transformer.from_crs(crs, WGS84, always_xy=True)

    def forward(self, geoms):
        return shapely.transform(geoms, lambda c: np.column_stack(self._fwd.transform(*c.T)))

    def inverse(self, geoms):
        return shapely.transform(geoms, lambda c: np.column_stack(self._inv.transform(*c.T)))


def polygons_of(geom) -> list:
    """The polygons of any geometry (Polygon, MultiPolygon, collections), flattened."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in polygons_of(g)]


def polygonal(geom):
    """Keep the polygonal part of a geometry, as a MultiPolygon."""
    return shapely.MultiPolygon(polygons_of(geom))


def interior_gaps(geoms) -> list:
    """Areas enclosed by a coverage but covered by none of its polygons.

    A hole of the union may hold islands (polygons lying inside it): they are cut out.
    """
    union = shapely.coverage_union_all(np.asarray(geoms, dtype=object))
    parts = polygons_of(union)
    tree = shapely.STRtree(parts)
    gaps = []
    for p in parts:
        for ring in p.interiors:
            hole = shapely.Polygon(ring)
            inside = [parts[i] for i in tree.query(hole, predicate="contains")]
            if inside:
                hole = polygonal(shapely.difference(hole, shapely.union_all(inside)))
            gaps.append(hole)
    return gaps


def shared_length(a, b) -> float:
    """Length of boundary shared by two polygonal geometries (exact on a clean coverage)."""
    return shapely.intersection(a.boundary, b.boundary).length


def round_valid(geoms_wgs84) -> tuple[np.ndarray, int]:
    """Round lon/lat to DECIMALS, repair the rare geometry this makes invalid, orient rings."""
    out = shapely.transform(np.asarray(geoms_wgs84, dtype=object), lambda c: np.round(c, DECIMALS))
    bad = ~shapely.is_valid(out) & ~shapely.is_missing(out)
    for i in np.flatnonzero(bad):
        out[i] = polygonal(shapely.make_valid(out[i], method="structure", keep_collapsed=False))
    out = shapely.orient_polygons(out, exterior_cw=False)
    return out, int(bad.sum())


def to_wkb(geoms) -> list:
    """ISO WKB, little-endian, 2D; None stays None."""
    return [None if g is None else shapely.to_wkb(g, output_dimension=2, byte_order=1, flavor="iso")
            for g in geoms]


def vertex_count(geoms) -> int:
    """Number of vertices of the non-null geometries."""
    return int(shapely.get_num_coordinates(np.asarray([g for g in geoms if g is not None],
                                                      dtype=object)).sum())
