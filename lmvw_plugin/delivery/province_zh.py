"""Zuid-Holland's GeoJSON for its ArcGIS Planmonitor Wonen (`*.pzh.geojson`, province-formats.md §4).

Written with the json module (key order, nesting and the legacy `crs` member exactly as the
province expects, not GDAL's notation): a FeatureCollection with `crs` EPSG:28992, one Feature per
plan with the 42 properties of the profile's mapping in order, `year_properties` per fasering year
(ascending) with every one of its 69 keys, JSON null where a value is empty, and the geometry as a
MultiPolygon in RD metres (null for a plan without geometry).

Option `rfc7946`: the RFC 7946 variant instead, in WGS84 (EPSG:4326, lon/lat), without `crs`.
"""
from __future__ import annotations

import datetime as _dt
import json
from collections import OrderedDict
from typing import Any, Dict, List, Optional

from ..common.geo import shapely
from .province import ProvinceRecord, WriteContext, register_writer, year_cells

FORMAT = "geojson-pzh"
CRS_MEMBER = OrderedDict([("type", "name"), ("properties", OrderedDict([("name", "EPSG:28992")]))])


def _json_value(v: Any) -> Any:
    if isinstance(v, (_dt.datetime,)):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _coords(geom, ndigits: int) -> Optional[Dict[str, Any]]:
    if geom is None or geom.is_empty:
        return None
    polys = list(shapely.get_parts(geom)) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        rings = [p.exterior] + list(p.interiors)
        out.append([[[round(x, ndigits), round(y, ndigits)] for x, y, *_ in r.coords] for r in rings])
    return OrderedDict([("type", "MultiPolygon"), ("coordinates", out)])


def _to_wgs84(geoms: List[Any]) -> List[Any]:
    """RD New -> WGS84 lon/lat with PROJ's default operation (GDAL's osr, as the reader uses)."""
    from osgeo import osr
    src = osr.SpatialReference()
    src.ImportFromEPSG(28992)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    tr = osr.CoordinateTransformation(src, dst)

    def transform(coords):
        pts = tr.TransformPoints([tuple(c[:2]) for c in coords])
        return [(p[0], p[1]) for p in pts]
    out = []
    for g in geoms:
        if g is None:
            out.append(None)
        else:
            out.append(shapely.transform(g, lambda a: __import__("numpy").asarray(transform(a.tolist()))))
    return out


def feature_collection(profile, records: List[ProvinceRecord], rfc7946: bool = False) -> "OrderedDict[str, Any]":
    geoms = [shapely.from_wkb(r.geometry_wkb) if r.geometry_wkb is not None else None for r in records]
    if rfc7946:
        geoms = _to_wgs84(geoms)
    yp = profile.mapping["year_cells"].get("property", "year_properties")
    features = []
    for rec, geom in zip(records, geoms):
        props: "OrderedDict[str, Any]" = OrderedDict((k, _json_value(v)) for k, v in rec.fields.items())
        props[yp] = [year_cells(profile, row) for row in rec.years]
        features.append(OrderedDict([("type", "Feature"), ("properties", props),
                                     ("geometry", _coords(geom, 7 if rfc7946 else 3))]))
    doc: "OrderedDict[str, Any]" = OrderedDict([("type", "FeatureCollection")])
    if not rfc7946:
        doc["crs"] = CRS_MEMBER
    doc["features"] = features
    return doc


@register_writer(FORMAT)
def write(out_path: str, profile, records: List[ProvinceRecord], context: WriteContext) -> Dict[str, Any]:
    rfc = bool(context.options.get("rfc7946"))
    doc = feature_collection(profile, records, rfc)
    context.step(70)
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    return {"features": len(records), "crs": "EPSG:4326" if rfc else "EPSG:28992"}
