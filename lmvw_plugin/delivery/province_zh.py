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
from .province import ProvinceRecord, WriteContext, YearRow, register_writer, year_cell_names, year_cell_values

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


def _geometries(records: List[ProvinceRecord], rfc7946: bool) -> List[Optional[str]]:
    """Each record's geometry as GeoJSON text (None without geometry): coordinates rounded to mm in
    RD (1e-7 degrees in WGS84), written by GEOS where shapely offers it."""
    geoms = [shapely.from_wkb(r.geometry_wkb) if r.geometry_wkb is not None else None for r in records]
    if rfc7946:
        geoms = _to_wgs84(geoms)
    ndigits = 7 if rfc7946 else 3
    out: List[Optional[str]] = [None] * len(geoms)
    multi = [i for i, g in enumerate(geoms) if g is not None and not g.is_empty and g.geom_type == "MultiPolygon"]
    if multi and hasattr(shapely, "to_geojson"):
        import numpy as np
        arr = np.asarray([geoms[i] for i in multi], dtype=object)
        arr = shapely.transform(arr, lambda c: np.round(c, ndigits))
        for i, text in zip(multi, shapely.to_geojson(arr).tolist()):
            out[i] = text
    for i, g in enumerate(geoms):
        if out[i] is None and g is not None and not g.is_empty:
            out[i] = json.dumps(_coords(g, ndigits), separators=(",", ":"))
    return out


def feature_texts(profile, records: List[ProvinceRecord], rfc7946: bool = False):
    """The features one by one as JSON text (the document is written as a stream)."""
    yp = profile.mapping["year_cells"].get("property", "year_properties")
    template = _year_template(profile)
    for rec, geom in zip(records, _geometries(records, rfc7946)):
        props: "OrderedDict[str, Any]" = OrderedDict((k, _json_value(v)) for k, v in rec.fields.items())
        props[yp] = None
        text = json.dumps(props, ensure_ascii=False, separators=(",", ":"))
        years = ",".join(template % tuple(v for v in year_cell_values(profile, row) if not isinstance(v, str))
                         for row in rec.years)
        text = text[:-len("null}")] + "[" + years + "]}"          # year_properties, written from a template
        yield '{"type":"Feature","properties":' + text + ',"geometry":' + (geom if geom is not None else "null") + "}"


def _year_template(profile) -> str:
    """One year_properties object as a %-template: the keys and the fixed flags ('Nee') literal, %d
    for the year and the counts."""
    parts = []
    row = YearRow(0, 0, 0)
    for name, value in zip(year_cell_names(profile), year_cell_values(profile, row)):
        slot = json.dumps(value, ensure_ascii=False).replace("%", "%%") if isinstance(value, str) else "%d"
        parts.append(json.dumps(name) + ":" + slot)
    return "{" + ",".join(parts) + "}"


def feature_collection(profile, records: List[ProvinceRecord], rfc7946: bool = False) -> "OrderedDict[str, Any]":
    """The whole document as a JSON object (for tests and small files)."""
    head = OrderedDict([("type", "FeatureCollection")])
    if not rfc7946:
        head["crs"] = CRS_MEMBER
    head["features"] = [json.loads(t, object_pairs_hook=OrderedDict) for t in feature_texts(profile, records, rfc7946)]
    return head


@register_writer(FORMAT)
def write(out_path: str, profile, records: List[ProvinceRecord], context: WriteContext) -> Dict[str, Any]:
    rfc = bool(context.options.get("rfc7946"))
    head = '{"type":"FeatureCollection",'
    if not rfc:
        head += '"crs":' + json.dumps(CRS_MEMBER, separators=(",", ":")) + ","
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write(head + '"features":[')
        for i, text in enumerate(feature_texts(profile, records, rfc)):
            if i:
                fh.write(",")
            fh.write(text)
            if i % 2000 == 1999:
                context.step(45 + 45 * i / max(1, len(records)))
        fh.write("]}\n")
    return {"features": len(records), "crs": "EPSG:4326" if rfc else "EPSG:28992"}
