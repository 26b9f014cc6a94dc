"""Import, step 1: the source read whole (any table GDAL reads), geometries made fit for the plan
layer; the objects every import step shares (Source, Problem, ImportRefused). Pure (no qgis)."""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
from osgeo import gdal, ogr

from ..common.geo import shapely
from ..i18n import tr
from ..rules import table as tbl
from ..standard import Standard
from ..storage import ogr as ogrio
from . import writers

_WKT_NAMES = ("wkt", "geom", "geometry", "the_geom", "geometrie", "wkt_geom")
_X_NAMES = ("x", "xcoord", "x_coord", "rd_x", "xrd")
_Y_NAMES = ("y", "ycoord", "y_coord", "rd_y", "yrd")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class ImportRefused(Exception):
    """Nothing can be imported. `reason` is a stable key; `message` names the cause and the fix in
    the user's language."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Problem:
    """A value that could not come over (or a plan that could not)."""
    source: str                  # where in the source: "rij 3", "fasering rij 7"
    plannaam: Optional[str]
    field: str
    value: Any
    reason: str                  # in the user's language
    kind: str = ""               # stable key (tests, the dialog's icons)

    def as_dict(self) -> Dict[str, Any]:
        return {"source": self.source, "plannaam": self.plannaam, "field": self.field,
                "value": _jsonable(self.value), "reason": self.reason}


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, bool)):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return str(v)


# ------------------------------------------------------------------------------------------------
# 1. reading the source


@dataclass
class Source:
    path: str
    layer: str
    columns: Dict[str, List[Any]]            # raw values per source column, in row order
    geometry: np.ndarray                     # shapely (Multi)Polygons or None, after the fixes
    rows: List[str]                          # how a row is named in the problems
    format: str = "table"
    fasering: Optional[List[Dict[str, Any]]] = None   # Basisset fasering records, if the source has them
    geometry_problems: Dict[int, Tuple[str, str]] = field(default_factory=dict)   # row -> (kind, type name)
    notes: List[str] = field(default_factory=list)
    has_geometry: bool = True
    not_carried: List[str] = field(default_factory=list)   # Basisset fields this format does not hold
    fasering_keys: Optional[List[str]] = None     # per row, the key of its fasering rows (default: its plan_id)
    problems: List["Problem"] = field(default_factory=list)  # found while reading (province formats)
    standard: Optional[Standard] = None           # the standard extended by the province, for its formats

    @property
    def n(self) -> int:
        return len(self.rows)


def _row_label(i: int) -> str:
    return tr("row {}", i + 1)


def _decode(v: Any) -> Any:
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return v.decode("latin-1")
    if isinstance(v, np.generic):
        return v.item()
    return v


def _column_values(values) -> List[Any]:
    """A column from GDAL's Arrow reader as Python values (str, int, float, date, None)."""
    out = tbl._masked_to_list(values)
    if getattr(values, "dtype", None) is not None and values.dtype.kind in "biuf":
        return out                              # tolist() gave Python numbers already
    return [_decode(v) if type(v) is bytes or isinstance(v, np.generic) else v for v in out]


def _pick_layer(ds, standard: Standard, layer: Optional[str]):
    if layer:
        lyr = ds.GetLayerByName(layer)
        if lyr is None:
            raise ImportRefused("layer_not_found", tr("{} has no layer '{}': check the layer name.",
                                                      ds.GetDescription(), layer))
        return lyr
    lyr = ds.GetLayerByName(standard.layer_name)
    if lyr is not None:
        return lyr
    for i in range(ds.GetLayerCount()):
        if ds.GetLayer(i).GetGeomType() != ogr.wkbNone:
            return ds.GetLayer(i)
    if ds.GetLayerCount():
        return ds.GetLayer(0)
    raise ImportRefused("no_layer", tr("{} holds no table: give the file with the plans.", ds.GetDescription()))


def refusal_for(e: ogrio.SourceError, path: str) -> ImportRefused:
    texts = {
        "not_found": tr("{} does not exist: check the path.", path),
        "is_folder": tr("{} is a folder, not a file GDAL reads: give the file with the plans.", path),
        "not_a_file": tr("{} is not a regular file (a pipe or a device): copy the data to a file and give that.",
                         path),
        "damaged": tr("{} is damaged ({}): restore it from a backup.", path, e.detail),
    }
    return ImportRefused("unreadable", texts.get(e.reason, tr("Cannot read {}: {}. Check that it is a file GDAL "
                                                             "reads (GeoPackage, shapefile, GeoJSON, CSV, XLSX).",
                                                             path, e.detail or e.reason)))


def read_source(path: str, standard: Standard, layer: Optional[str] = None) -> Source:
    """Every row of a table GDAL reads, with its geometry fixed for the plan layer."""
    # a sheet's first row holds the column names (GDAL 3.6 has no open option for it, and parses
    # the sheet only when it is first read)
    option = {".xlsx": "OGR_XLSX_HEADERS", ".ods": "OGR_ODS_HEADERS"}.get(os.path.splitext(path)[1].lower())
    if option:
        gdal.SetThreadLocalConfigOption(option, "FORCE")
    try:
        return _read_source(path, standard, layer)
    finally:
        if option:
            gdal.SetThreadLocalConfigOption(option, None)


def _read_source(path: str, standard: Standard, layer: Optional[str]) -> Source:
    try:
        ds = ogrio._open(path)
    except ogrio.SourceError as e:
        raise refusal_for(e, path) from None
    except RuntimeError as e:
        raise ImportRefused("unreadable", tr("Cannot read {}: {}. Restore it from a backup or export it again.",
                                             path, str(e))) from None
    try:
        lyr = _pick_layer(ds, standard, layer)
        defn = lyr.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        epsg, wkt = ogrio._layer_epsg(lyr)
        has_geom = lyr.GetGeomType() != ogr.wkbNone
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            cols, geom_batches, fids = ogrio._arrow_columns(lyr, set(names), ds)
        finally:
            gdal.PopErrorHandler()
        layer_name = lyr.GetName()
    except RuntimeError as e:
        raise ImportRefused("unreadable", tr("Cannot read {}: {}. Restore it from a backup or export it again.",
                                             path, str(e))) from None
    finally:
        lyr = ds = None  # noqa: F841
    n = len(fids)
    columns = {k: _column_values(cols[k]) if k in cols else [None] * n for k in names}
    counts = {"curved": 0, "flattened": 0, "converted": 0, "unreadable": 0}
    notes: List[str] = []
    if has_geom and geom_batches:
        geoms = ogrio._wkb_to_shapely(geom_batches, counts)
    else:
        geoms = _geometry_from_columns(columns, counts, notes)
        has_geom = geoms is not None
        if geoms is None:
            geoms = np.full(n, None, dtype=object)
        else:
            wkt = None
    if has_geom and wkt and epsg != ogrio.RD_EPSG and n:
        try:
            geoms = ogrio.transform_to_rd(geoms, wkt)
        except (RuntimeError, ValueError):
            raise ImportRefused("no_transform", tr(
                "{} is in {}, which cannot be transformed to EPSG:28992 (RD New): reproject it to EPSG:28992 "
                "first (in QGIS: Export ▸ Save Features As).", path, ogrio._crs_name(wkt))) from None
        notes.append(tr("The geometries were transformed from {} to EPSG:28992 (RD New).", ogrio._crs_name(wkt)))
    elif has_geom and not wkt and n:
        notes.append(tr("The source has no coordinate reference system: the coordinates are taken as EPSG:28992 "
                        "(RD New)."))
    if counts["curved"]:
        notes.append(tr("{} curved geometries were linearised.", counts["curved"]))
    if counts["flattened"]:
        notes.append(tr("{} geometries had Z or M values; they were dropped.", counts["flattened"]))
    if counts["converted"]:
        notes.append(tr("{} TINs or polyhedral surfaces were read as multipolygons.", counts["converted"]))
    src = Source(path, layer_name, columns, geoms, [_row_label(i) for i in range(n)], notes=notes,
                 has_geometry=has_geom)
    _fix_geometries(src)
    return src


def _norm_name(name: str) -> str:
    return re.sub(r"[\s._\-/()]+", "", str(name).casefold())


def _geometry_from_columns(columns: Dict[str, List[Any]], counts, notes) -> Optional[np.ndarray]:
    """Geometries of a table without a geometry column: a WKT column, or x/y columns (points)."""
    by = {_norm_name(k): k for k in columns}
    wkt_col = next((by[n] for n in _WKT_NAMES if n in by), None)
    if wkt_col is not None:
        vals = columns.pop(wkt_col)
        out = np.full(len(vals), None, dtype=object)
        for i, v in enumerate(vals):
            if v is None or str(v).strip() == "":
                continue
            try:
                g = ogr.CreateGeometryFromWkt(str(v).strip())
            except RuntimeError:
                g = None
            if g is None:
                counts["unreadable"] += 1
                out[i] = _BAD_WKT
                continue
            out[i] = ogrio._one_wkb(bytes(g.ExportToIsoWkb()), counts)
        notes.append(tr("The geometries were read from the WKT column '{}'.", wkt_col))
        return out
    x_col = next((by[n] for n in _X_NAMES if n in by), None)
    y_col = next((by[n] for n in _Y_NAMES if n in by), None)
    if x_col and y_col:
        xs, ys = columns[x_col], columns[y_col]
        out = np.full(len(xs), None, dtype=object)
        for i, (x, y) in enumerate(zip(xs, ys)):
            a, ok1 = tbl._to_number(x)
            b, ok2 = tbl._to_number(y)
            if ok1 and ok2 and a == a and b == b:
                out[i] = shapely.points(a, b)
        return out
    return None


_BAD_WKT = object()


def _fix_geometries(src: Source) -> None:
    """Polygons become MultiPolygons; points, lines and mixed collections are refused per plan."""
    geoms = src.geometry
    for i, g in enumerate(geoms):
        if g is _BAD_WKT:
            src.geometry_problems[i] = ("bad_wkt", "WKT")
            geoms[i] = None
            continue
        if g is None:
            continue
        if g.is_empty:
            geoms[i] = None
            continue
        kind = g.geom_type
        if kind == "Polygon":
            geoms[i] = shapely.MultiPolygon([g])
        elif kind == "MultiPolygon":
            pass
        else:
            fixed = writers.polygonal_only(np.array([g], dtype=object))[0] if kind == "GeometryCollection" else None
            if fixed is not None and not fixed.is_empty:
                geoms[i] = fixed
            else:
                src.geometry_problems[i] = ("not_polygon", kind)
                geoms[i] = None
