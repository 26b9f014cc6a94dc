"""GeoPackage I/O with GDAL/OGR (no qgis): the schema of the standard, fast columnar reads.

Used by the command line, by the delivery writer and by `layers.create` (which adds the QGIS
form and style on top of the schema written here).
"""
from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import quote as urllib_quote

import numpy as np
from osgeo import gdal, ogr, osr

from ..common import geo, threads, timing
from ..common.geo import shapely
from ..common.threads import background, parallel
from ..rules import table as tbl
from ..rules.geometry import geom_info
from ..rules.table import FaseringTable, PlanTable
from ..standard import FieldDef, Standard

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

RD_EPSG = 28992


_DAMAGED = ("malformed", "not a database", "corrupt", "database disk image", "disk i/o error")


def _gdal_problem(e: BaseException) -> "SourceError":
    """GDAL's or SQLite's error on reading as a SourceError: `damaged` when the file is corrupt."""
    text = str(e)
    return SourceError("damaged" if any(k in text.lower() for k in _DAMAGED) else "unreadable", text)


class SourceError(OSError):
    """A file that cannot be read as a plan layer. `reason`: not_found | unreadable | damaged |
    is_folder | not_a_file | no_layer | layer_not_found | duplicate_fids | no_transform |
    bad_coordinates; `detail` names the file, layer, CRS or GDAL's message."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def field_defn(f: FieldDef) -> ogr.FieldDefn:
    if f.type == "text":
        d = ogr.FieldDefn(f.name, ogr.OFTString)
        if f.width:
            d.SetWidth(f.width)
    elif f.type == "int":
        d = ogr.FieldDefn(f.name, ogr.OFTInteger)
    elif f.type == "bool":
        d = ogr.FieldDefn(f.name, ogr.OFTInteger)
        d.SetSubType(ogr.OFSTBoolean)
    elif f.type == "date":
        d = ogr.FieldDefn(f.name, ogr.OFTDate)
    elif f.type == "datetime":
        d = ogr.FieldDefn(f.name, ogr.OFTDateTime)
    else:  # pragma: no cover - the standard's loader rejects other types
        raise ValueError(f.type)
    return d


def rd_srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(RD_EPSG)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def create_datasource(path: str, standard: Standard, plan_fields: Optional[Sequence[FieldDef]] = None,
                      spatial_index: bool = True) -> ogr.DataSource:
    """Create a GeoPackage with the plan layer and the fasering table of the standard
    (`plan_fields`: the plan layer's fields, default those of the standard).
    The caller makes sure `path` does not exist."""
    plan_fields = list(standard.fields) if plan_fields is None else list(plan_fields)
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    if ds is None:  # pragma: no cover - UseExceptions raises first
        raise SourceError("unreadable", path)
    lyr = ds.CreateLayer(standard.layer_name, rd_srs(), ogr.wkbMultiPolygon,
                         options=["FID=fid", "GEOMETRY_NAME=geom",
                                  f"SPATIAL_INDEX={'YES' if spatial_index else 'NO'}",
                                  f"IDENTIFIER={standard.layer_name}",
                                  "DESCRIPTION=" + f"Basisset {standard.version} woningbouwplannen"])
    for f in plan_fields:
        lyr.CreateField(field_defn(f))
    fas = ds.CreateLayer(standard.fasering_name, None, ogr.wkbNone,
                         options=["FID=fid", "DESCRIPTION=Fasering per plan en jaar"])
    for f in standard.fasering_fields:
        fas.CreateField(field_defn(f))
    write_column_descriptions(ds, [(standard.layer_name, plan_fields),
                                   (standard.fasering_name, standard.fasering_fields)])
    return ds


def _sql_text(v: str) -> str:
    return "'" + v.replace("'", "''") + "'"


def write_column_descriptions(ds, tables, lang: str = "nl") -> None:
    """Labels and help texts as GeoPackage column metadata (the gpkg_schema extension).
    QGIS built with GDAL >= 3.7 shows them as field tooltips, also without the plugin."""
    ds.ExecuteSQL(
        "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
        "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
        "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
        "CONSTRAINT gdc_tn UNIQUE (table_name, name))")
    ds.ExecuteSQL(
        "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
        "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, "
        "max_is_inclusive BOOLEAN, description TEXT, "
        "CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))")
    ds.ExecuteSQL(
        "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
        "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
        "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))")
    for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
        ds.ExecuteSQL(
            "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
            f"SELECT '{table}', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', "
            f"'read-write' WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = '{table}' "
            "AND extension_name = 'gpkg_schema')")
    for table, fields in tables:
        for f in fields:
            ds.ExecuteSQL(
                "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, description) "
                f"VALUES ({_sql_text(table)}, {_sql_text(f.name)}, {_sql_text(f.name)}, "
                f"{_sql_text(f.label.get(lang, ''))}, {_sql_text(f.help.get(lang, ''))})")


# ------------------------------------------------------------------------------------------------
# reading


@dataclass
class LayerInfo:
    path: str
    layer: str
    epsg: Optional[int]
    wkt: Optional[str]
    geometry_type: str
    count: int
    is_shapefile: bool
    curved: int = 0            # curved geometries, linearised on reading
    flattened: int = 0         # geometries with Z or M, read as 2D
    converted: int = 0         # TIN / polyhedral surfaces read as multipolygons
    unreadable: int = 0        # geometry blobs that neither shapely nor OGR can read (no geometry)
    crs_undefined: bool = False


def _open_readonly(path: str):
    """gdal.OpenEx of a file for reading. A GeoPackage is opened without SpatiaLite: GDAL would
    register its ~1,000 SQL functions on every opening (a third of the 4-5 ms GDAL takes to open a
    gemeente's package; the intake opens 342), and no read here uses one (the SQL this module runs
    is SQLite's own; GDAL's GeoPackage functions are its own, not SpatiaLite's)."""
    flags = gdal.OF_VECTOR | gdal.OF_READONLY
    if not path.lower().endswith(".gpkg"):
        return gdal.OpenEx(path, flags)
    before = gdal.GetThreadLocalConfigOption("SPATIALITE_LOAD", None)
    gdal.SetThreadLocalConfigOption("SPATIALITE_LOAD", "NO")
    try:
        return gdal.OpenEx(path, flags)
    finally:
        gdal.SetThreadLocalConfigOption("SPATIALITE_LOAD", before)


def _open(path: str) -> ogr.DataSource:
    if path.startswith("PG:"):                    # a PostGIS table (the import of a layer in the project)
        try:
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
        except RuntimeError as e:
            raise SourceError("unreadable", re.sub(r"password\s*=\s*\S+", "password=…", str(e))) from None
        if ds is None:
            raise SourceError("unreadable", "the database cannot be opened")
        return ds
    if path.startswith("/vsizip/"):               # a member of a checked package (delivery/compare_read.py)
        try:
            ds = _open_readonly(path)
        except RuntimeError as e:
            raise _gdal_problem(e) from None
        if ds is None:
            raise SourceError("unreadable", "not a vector file GDAL knows")
        return ds
    if not os.path.exists(path):
        raise SourceError("not_found", path)
    folder = os.path.isdir(path)
    if not folder and not stat.S_ISREG(os.stat(path).st_mode):
        raise SourceError("not_a_file", path)       # a named pipe or a device would hang or never end
    try:
        ds = _open_readonly(path)
    except RuntimeError as e:
        if folder:
            raise SourceError("is_folder", path) from None
        raise _gdal_problem(e) from None
    if folder and (ds is None or ds.GetLayerCount() == 0):  # a folder GDAL reads (FileGDB, shapefiles) is fine
        raise SourceError("is_folder", path)
    if ds is None:
        raise SourceError("unreadable", "not a vector file GDAL knows")
    return ds


def find_plan_layer(ds, standard: Standard, layer: Optional[str] = None):
    if layer:
        lyr = ds.GetLayerByName(layer)
        if lyr is None:
            raise SourceError("layer_not_found", layer)
        return lyr
    lyr = ds.GetLayerByName(standard.layer_name)
    if lyr is not None:
        return lyr
    for i in range(ds.GetLayerCount()):
        cand = ds.GetLayer(i)
        if cand.GetGeomType() != ogr.wkbNone:
            return cand
    raise SourceError("no_layer", "")


# rows per Arrow batch: GDAL's default (65,536) reads a 50,000-plan layer 4-5x slower than batches
# of a few thousand (measured with GDAL 3.6: 0.42 s against 0.08 s of CPU), and smaller batches
# let the parsing of one batch run beside the reading of the next
ARROW_BATCH = "MAX_FEATURES_IN_BATCH=5000"


def _arrow_columns(lyr, wanted: Iterable[str], ds=None,
                   one_scan: bool = False) -> Tuple[Dict[str, list], list, np.ndarray]:
    """All rows of an OGR layer as columns via the Arrow stream (GDAL >= 3.6). `one_scan`: a
    GeoPackage layer with booleans among `wanted` is read in one SQL query (the booleans cast to
    integers) instead of the layer's stream followed by a second scan for the booleans: the same
    values, in the same order, in about two thirds of the time."""
    wanted = set(wanted)
    cols: Dict[str, list] = {}
    geoms: list = []
    fids: list = []
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    geom_col = lyr.GetGeometryColumn() or "wkb_geometry"
    fid_col = lyr.GetFIDColumn() or "OGC_FID"
    bool_names = {n for n in names if defn.GetFieldDefn(defn.GetFieldIndex(n)).GetSubType() == ogr.OFSTBoolean}
    if one_scan and ds is not None and wanted & bool_names:
        got = _arrow_sql(ds, lyr, [n for n in names if n in wanted], bool_names)
        if got is not None:
            return got
    lyr.SetIgnoredFields([n for n in names if n not in wanted or n in bool_names])
    stream = lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES", ARROW_BATCH])
    for batch in stream:
        # copy: the batch's arrays point into Arrow buffers that the layer releases
        for k, v in batch.items():
            if k == fid_col:
                fids.append(np.array(v, dtype=np.int64))
            elif k == geom_col:
                geoms.append(_copy(v))
            elif k in wanted:
                cols.setdefault(k, []).append(_copy(v))
        del batch
    del stream
    lyr.SetIgnoredFields([])
    # GDAL 3.6 unpacks Arrow booleans into numpy wrongly: read them as integers through SQL
    # (GeoPackage, fast) or feature by feature (other formats)
    bools = [n for n in names if n in wanted and n in bool_names]
    if bools:
        fid = np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)
        got = _read_bools_sql(ds, lyr, bools, fid) if ds is not None else None
        cols.update(got if got is not None else _read_plain(lyr, bools, names))
    out = {k: (np.ma.concatenate(v) if any(isinstance(x, np.ma.MaskedArray) for x in v)
               else np.concatenate(v)) if len(v) > 1 else v[0] for k, v in cols.items()}
    fid = np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)
    return out, geoms, fid


def _arrow_sql(ds, lyr, fields: List[str], bool_names) -> Optional[Tuple[Dict[str, np.ndarray], list, np.ndarray]]:
    """`_arrow_columns` of a GeoPackage table in one SQL query (fid, the fields with the booleans
    cast to integers, the geometry); None when the layer is not one it can read so."""
    fid_col, geom_col = lyr.GetFIDColumn(), lyr.GetGeometryColumn()
    if ds.GetDriver().ShortName != "GPKG" or not fid_col or not geom_col:
        return None
    q = lambda n: '"' + n.replace('"', '""') + '"'  # noqa: E731
    sel = [q(fid_col)] + [f"CAST({q(n)} AS INTEGER) AS {q(n)}" if n in bool_names else q(n) for n in fields]
    sql = f"SELECT {', '.join(sel + [q(geom_col)])} FROM {q(lyr.GetName())} ORDER BY {q(fid_col)}"
    try:
        res = ds.ExecuteSQL(sql, dialect="SQLITE")
    except RuntimeError:
        return None
    if res is None:
        return None
    cols: Dict[str, list] = {n: [] for n in fields}
    geoms: list = []
    fids: list = []
    try:
        if res.GetFIDColumn() != fid_col or res.GetGeometryColumn() != geom_col:
            return None
        stream = res.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES", ARROW_BATCH])
        for batch in stream:
            for k, v in batch.items():
                if k == fid_col:
                    fids.append(np.array(v, dtype=np.int64))
                elif k == geom_col:
                    geoms.append(_copy(v))
                elif k in cols:
                    cols[k].append(_copy(v))
            del batch
        del stream
    finally:
        ds.ReleaseResultSet(res)
    out = {k: (np.ma.concatenate(v) if any(isinstance(x, np.ma.MaskedArray) for x in v)
               else np.concatenate(v)) if len(v) > 1 else v[0] for k, v in cols.items() if v}
    fid = np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)
    return out, geoms, fid


def _copy(v):
    """A numpy (masked) array that owns its memory."""
    if isinstance(v, np.ma.MaskedArray):
        return np.ma.array(v, copy=True)
    return np.array(v, copy=True)


def _read_bools_sql(ds, lyr, fields: List[str], fids: np.ndarray) -> Optional[Dict[str, list]]:
    """Boolean fields of a GeoPackage as integer columns aligned with `fids`; None if not possible."""
    if ds.GetDriver().ShortName not in ("GPKG", "SQLite") or not lyr.GetFIDColumn():
        return None
    q = lambda n: '"' + n.replace('"', '""') + '"'  # noqa: E731
    sql = (f"SELECT {q(lyr.GetFIDColumn())} + 0 AS lmvw_fid, "
           + ", ".join(f"CAST({q(n)} AS INTEGER) AS {q(n)}" for n in fields)
           + f" FROM {q(lyr.GetName())} ORDER BY {q(lyr.GetFIDColumn())}")
    try:
        res = ds.ExecuteSQL(sql, dialect="SQLITE")
    except RuntimeError:
        return None
    if res is None:
        return None
    try:
        parts: Dict[str, list] = {n: [] for n in fields + ["lmvw_fid"]}
        stream = res.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=NO", ARROW_BATCH])
        for batch in stream:
            for n in parts:
                parts[n].append(_copy(batch[n]))
            del batch
        del stream
    finally:
        ds.ReleaseResultSet(res)
    if not parts["lmvw_fid"]:
        return {n: [np.empty(0, dtype=object)] for n in fields}
    got_fid = np.concatenate([np.asarray(p) for p in parts["lmvw_fid"]]).astype(np.int64)
    pos = np.searchsorted(got_fid, fids)
    if len(got_fid) != len(fids) or not np.array_equal(got_fid[np.clip(pos, 0, len(got_fid) - 1)], fids):
        return None
    out: Dict[str, list] = {}
    for n in fields:
        col = np.ma.concatenate(parts[n]) if len(parts[n]) > 1 else parts[n][0]
        col = np.ma.asarray(col)[pos]
        out[n] = [col]
    return out


def _read_plain(lyr, fields: List[str], names: List[str]) -> Dict[str, list]:
    """Some fields read through the classic feature API (one list per field, in fid order)."""
    lyr.SetIgnoredFields([n for n in names if n not in fields] + ["OGR_GEOMETRY"])
    lyr.ResetReading()
    idx = [lyr.GetLayerDefn().GetFieldIndex(n) for n in fields]
    values: Dict[str, list] = {n: [] for n in fields}
    for feat in lyr:
        for n, i in zip(fields, idx):
            values[n].append(feat.GetField(i) if feat.IsFieldSetAndNotNull(i) else None)
    lyr.SetIgnoredFields([])
    lyr.ResetReading()
    return {n: [np.array(v, dtype=object)] for n, v in values.items()}


_INT32 = (-2147483648, 2147483647)


def _stored_ok(f: FieldDef, col: str, ogr_type: int) -> str:
    """SQL that is true where the stored value of column `col` is what GDAL reads faithfully
    as field f's type (SQLite is dynamically typed: any column can hold any value)."""
    t = f"typeof({col})"
    if f.type == "int":
        if ogr_type == ogr.OFTInteger64:
            return f"{t} = 'integer'"
        return f"({t} = 'integer' AND {col} BETWEEN {_INT32[0]} AND {_INT32[1]})"
    if f.type == "bool":
        return f"({t} = 'integer' AND {col} IN (0, 1))"
    if f.type == "date":
        return f"({t} = 'text' AND date({col}, '+0 days') IS {col})"
    if f.type == "datetime":
        return (f"({t} = 'text' AND length({col}) > 10 AND julianday({col}) IS NOT NULL "
                f"AND date(substr({col}, 1, 10), '+0 days') IS substr({col}, 1, 10))")
    return f"{t} = 'text'"


def _scan_sql(lyr, fields: Sequence[FieldDef], only: Optional[Sequence[int]] = None):
    """The SQL of the stored-type scan and the fields it reports, or None when the table cannot be
    scanned; '' when there is nothing to scan."""
    if not lyr.GetFIDColumn():
        return None
    defn = lyr.GetLayerDefn()
    q = lambda n: '"' + n.replace('"', '""') + '"'  # noqa: E731
    present = [(f, defn.GetFieldDefn(i).GetType()) for f in fields
               for i in [defn.GetFieldIndex(f.name)] if i >= 0]
    if not present:
        return "", []
    conds = [f"({q(f.name)} IS NULL OR {_stored_ok(f, q(f.name), t)})" for f, t in present]
    cells = ", ".join(f"CASE WHEN {c} THEN NULL ELSE typeof({q(f.name)}) || ':' || quote({q(f.name)}) END "
                      f"AS lmvw_{k}" for k, ((f, _), c) in enumerate(zip(present, conds)))
    sql = (f"SELECT {q(lyr.GetFIDColumn())} + 0 AS lmvw_fid, {cells} FROM {q(lyr.GetName())} "
           f"WHERE NOT ({' AND '.join(conds)})")
    if only is not None:                      # a few features (the dock re-checks edited plans)
        sql += f" AND {q(lyr.GetFIDColumn())} IN ({', '.join(str(int(i)) for i in only) or 'NULL'})"
    return sql, [f for f, _ in present]


def _collect(rows, present: Sequence[FieldDef]) -> Dict[str, Dict[int, Tuple[str, str]]]:
    out: Dict[str, Dict[int, Tuple[str, str]]] = {}
    for row in rows:
        fid = int(row[0])
        for k, f in enumerate(present):
            v = row[k + 1]
            if v is not None:
                kind, _, text = v.partition(":")
                out.setdefault(f.name, {})[fid] = (kind, text)
    return out


def _scan_stored(ds, lyr, fields: Sequence[FieldDef],
                 only: Optional[Sequence[int]] = None,
                 con: Optional[sqlite3.Connection] = None) -> Optional[Dict[str, Dict[int, Tuple[str, str]]]]:
    """The cells of a GeoPackage / SQLite table whose stored value is not of its field's type,
    per field {fid: (storage class, SQLite quote() of the value)}; one scan in SQLite, which
    returns only the offending rows. None when the table is not SQLite or cannot be scanned.
    `con`: an open sqlite3 connection to the same file, which runs the scan instead of GDAL's."""
    if ds.GetDriver().ShortName not in ("GPKG", "SQLite"):
        return None
    built = _scan_sql(lyr, fields, only)
    if built is None:
        return None
    sql, present = built
    if not present:
        return {}
    if con is not None:
        try:
            return _collect(con.execute(sql), present)
        except sqlite3.Error:
            pass                                # GDAL's scan below decides
    try:
        res = ds.ExecuteSQL(sql, dialect="SQLITE")
    except RuntimeError:
        return None
    if res is None:
        return {}
    try:
        return _collect(([feat.GetField("lmvw_fid")] + [feat.GetField(f"lmvw_{k}") for k in range(len(present))]
                         for feat in res), present)
    finally:
        ds.ReleaseResultSet(res)


class _StoredScan:
    """The stored-type scan of a GeoPackage table run on a read-only SQLite connection of its own
    (or `con`, the caller's open connection to the same file, made with check_same_thread=False:
    the file's schema is not read again) in a thread (sqlite3 releases the GIL) while GDAL reads the
    same table, or at once with one worker (`threads.background`); `result()` falls back to the
    scan through GDAL when the file cannot be read that way."""

    def __init__(self, ds, lyr, path: str, fields: Sequence[FieldDef], con: Optional[sqlite3.Connection] = None):
        self._ds, self._lyr, self._fields = ds, lyr, fields
        self._out = None
        self._future = None
        built = _scan_sql(lyr, fields) if ds.GetDriver().ShortName == "GPKG" and os.path.isfile(path) else None
        if built is None or not built[1]:
            return
        sql, present = built
        uri = "file:" + urllib_quote(os.path.abspath(path)) + "?mode=ro"

        def run():
            with timing.stage("reading plans: stored-type scan"):
                scan()

        def scan():
            try:
                if con is not None:
                    self._out = _collect(con.execute(sql), present)
                    return
                own = sqlite3.connect(uri, uri=True, check_same_thread=False)
                try:
                    self._out = _collect(own.execute(sql), present)
                finally:
                    own.close()
            except Exception:      # noqa: BLE001 - any failure: the GDAL scan below decides
                self._out = None
        self._future = background(run)

    def wait(self) -> None:
        """The scan ended (the read failed: the connection it may use is the caller's to close)."""
        if self._future is not None:
            self._future.result()

    def result(self):
        if self._future is not None:
            self._future.result()
            if self._out is not None:
                return self._out
        return _scan_stored(self._ds, self._lyr, self._fields)


def _unquote(kind: str, text: str):
    """A value from SQLite's quote() as Python (int, float, str or bytes)."""
    if kind == "integer":
        return int(text)
    if kind == "real":
        return float(text)
    if kind == "text":
        return text[1:-1].replace("''", "'")
    if kind == "blob":
        return text                                  # shown as stored: X'00FF'
    return None


def _read_as_stored(f: FieldDef, kind: str, value):
    """(value for the engine's column, ok): a stored value GDAL would have coerced, read as it is
    with the converters every reader uses. ok False: the value is not of the field's type (it is
    reported on its field, with the value)."""
    if kind == "blob":
        return None, False
    if f.type == "text":
        return tbl._to_text(value), True
    if f.type == "int":
        got, ok = tbl._to_number(value)
        if not ok:
            return np.nan, False
        if got != got:                    # '' is no value
            return np.nan, True
        if not (np.isfinite(got) and _INT32[0] <= got <= _INT32[1]) or not (f.count or got.is_integer()):
            return np.nan, False
        return got, True                  # ' 5' is 5; a count of 2.5 stays 2.5 (R03 reports it)
    if f.type == "bool":
        got, ok = tbl._to_bool(value)
        return (got, True) if ok and got == got else (np.nan, False)
    if kind != "text":                    # a number in a date field
        return None, False
    got, ok = (tbl._to_date if f.type == "date" else tbl._to_datetime)(value)
    return (got, True) if ok and got is not None else (None, False)


def _apply_stored(fields: Sequence[FieldDef], columns: Dict[str, np.ndarray], bad: Dict[str, Dict[int, object]],
                  fids: np.ndarray, found: Dict[str, Dict[int, Tuple[str, str]]], text_cache=None) -> None:
    """Put the values found by _scan_stored into the normalised columns (in place)."""
    if not found:
        return
    row_of = {int(fid): i for i, fid in enumerate(fids.tolist())}
    by_name = {f.name: f for f in fields}
    for name, cells in found.items():
        col = columns[name]
        f = by_name[name]
        for fid, (kind, text) in cells.items():
            row = row_of.get(fid)
            if row is None:
                continue
            raw = _unquote(kind, text)
            value, ok = _read_as_stored(f, kind, raw)
            col[row] = value
            if ok:
                bad.get(name, {}).pop(row, None)
            else:
                bad.setdefault(name, {})[row] = raw
        if text_cache is not None:
            text_cache.pop(name, None)


_SCANS: Dict[tuple, Dict[str, Dict[int, Tuple[str, str]]]] = {}


def _file_state(path: str) -> tuple:
    """What changes when a GeoPackage is written (its -wal file included)."""
    out = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def apply_stored_values(path: str, layer: str, fields: Sequence[FieldDef], columns: Dict[str, np.ndarray],
                        bad: Dict[str, Dict[int, object]], fids: np.ndarray, skip=None, text_cache=None,
                        only: Optional[Sequence[int]] = None) -> bool:
    """For readers that get values through another API (QGIS's OGR provider coerces them as GDAL
    does): correct the columns of table `layer` of GeoPackage `path` with the values as stored,
    except for the cells in `skip` ({fid: field names, or None for the whole feature}: edited,
    not yet saved). `only`: just these fids. True when anything was found."""
    key = (path, layer, tuple(f.name for f in fields if f.name in columns), _file_state(path))
    hit = _SCANS.get(key)
    if hit is not None:                       # the file is unchanged since its last full scan
        wanted = None if only is None else {int(i) for i in only}
        found = {n: {fid: v for fid, v in cells.items() if wanted is None or fid in wanted}
                 for n, cells in hit.items()}
    else:
        ds = lyr = None
        try:
            ds = _open_readonly(path)
            lyr = None if ds is None else ds.GetLayerByName(layer) if layer else (
                ds.GetLayer(0) if ds.GetLayerCount() == 1 else None)
            found = _scan_stored(ds, lyr, [f for f in fields if f.name in columns], only) if lyr is not None else None
        except RuntimeError:
            return False
        finally:
            lyr = ds = None  # noqa: F841
        if only is None and found is not None:
            if len(_SCANS) > 16:
                _SCANS.clear()
            _SCANS[key] = found
    skip = skip or {}

    def keep(fid, name):
        return fid not in skip or (skip[fid] is not None and name not in skip[fid])
    found = {n: {fid: v for fid, v in cells.items() if keep(fid, n)} for n, cells in (found or {}).items()}
    found = {n: c for n, c in found.items() if c}
    _apply_stored(fields, columns, bad, fids, found, text_cache)
    return bool(found)


def wkb_column(batches, n: int) -> np.ndarray:
    """One object array of the WKB (bytes, None where absent) of the Arrow batches."""
    parts = []
    for v in batches:
        data = v.data if isinstance(v, np.ma.MaskedArray) else v
        if data.dtype.kind == "V":
            arr = np.empty(len(data), dtype=object)
            arr[:] = [bytes(x) for x in data]
        else:
            arr = np.array(data, dtype=object, copy=True)
        if isinstance(v, np.ma.MaskedArray):
            arr[np.ma.getmaskarray(v)] = None
        parts.append(arr)
    return np.concatenate(parts) if parts else np.full(n, None, dtype=object)


class WkbPlanTable(PlanTable):
    """A plan table whose geometries stay the stored WKB until they are asked for: `geometry`
    parses all of them (once), `geometry_of(rows)` only those rows, both exactly as `read_plans`
    parses them. For the comparison, which needs the geometries of only the plans whose WKB
    changed."""
    wkb: Optional[np.ndarray] = None

    @property
    def geometry(self) -> np.ndarray:
        got = self.__dict__.get("_geom")
        if got is None:
            with _PARSE_LOCK:
                got = self.__dict__.get("_geom")
                if got is None:
                    got = self.__dict__["_geom"] = _wkb_to_shapely([self.wkb], _no_counts())
        return got

    @geometry.setter
    def geometry(self, value) -> None:
        self.__dict__["_geom"] = value

    def geometry_of(self, rows) -> np.ndarray:
        got = self.__dict__.get("_geom")
        if got is not None:
            return got[rows]
        return _wkb_to_shapely([self.wkb[rows]], _no_counts())

    def wkb_of(self, rows) -> Optional[np.ndarray]:
        return None if self.__dict__.get("_geom") is not None else self.wkb[rows]


_PARSE_LOCK = threading.Lock()


def _no_counts() -> Dict[str, int]:
    return {"curved": 0, "flattened": 0, "converted": 0, "unreadable": 0}


class _EarlyValidity:
    """GEOS's validity of each batch of geometries as soon as it is parsed, in threads of their own:
    `is_valid` lets go of the GIL, so it runs on the other core while the parsing of the next
    batches and the making of the attribute columns hold it, and on both once they are done (for
    `geom_info`'s `validity`). Row for row the same as `is_valid` of the whole array, also where Z or M
    is dropped after (GEOS checks a geometry in x and y)."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(threads.WORKERS, thread_name_prefix="lmvw-valid")
        self._parts: List[Future] = []
        self._check = timing.staged("validity", _is_valid)

    def add(self, geoms: np.ndarray) -> None:
        bounds = threads.chunks(len(geoms), 2 * threads.WORKERS)        # a share for each worker
        for a, b in zip(bounds[:-1], bounds[1:]):
            self._parts.append(self._pool.submit(self._check, geoms[a:b]))

    def result(self) -> np.ndarray:
        try:
            return np.concatenate([f.result() for f in self._parts]) if self._parts else np.zeros(0, dtype=bool)
        finally:
            self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _is_valid(geoms: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):          # NaN coordinates: G03 reports them
        return shapely.is_valid(geoms)


def _wkb_to_shapely(batches, counts: Dict[str, int], early: Optional[_EarlyValidity] = None) -> np.ndarray:
    """Shapely geometries of WKB batches; `counts` receives how many were curved / had Z or M.
    `early`: gets each batch's geometries once parsed."""
    parts = []
    for v in batches:
        mask = np.ma.getmaskarray(v) if isinstance(v, np.ma.MaskedArray) else np.zeros(len(v), bool)
        data = v.data if isinstance(v, np.ma.MaskedArray) else v
        if data.dtype.kind == "V":
            wkb = [bytes(x) for x in data]
        else:
            wkb = list(data)
        arr = np.empty(len(wkb), dtype=object)
        arr[:] = [None if m or w is None else w for w, m in zip(wkb, mask)]
        ok = np.fromiter((w is not None for w in arr), dtype=bool, count=len(arr))
        geoms = np.empty(len(arr), dtype=object)
        if ok.any():
            try:
                with warnings.catch_warnings():      # NaN coordinates: G03 reports them
                    warnings.simplefilter("ignore", RuntimeWarning)
                    geoms[ok] = parallel(lambda a: shapely.from_wkb(a, on_invalid="ignore"), arr[ok])
            except (NotImplementedError, shapely.errors.ShapelyError):     # curves, odd geometries
                for i in np.nonzero(ok)[0]:
                    geoms[i] = _one_wkb(arr[i], counts)
            else:
                for i in np.nonzero(ok)[0]:         # TIN, polyhedral surfaces, damaged blobs
                    if geoms[i] is None:
                        geoms[i] = _one_wkb(arr[i], counts)
        parts.append(geoms)
        if early is not None:
            early.add(geoms)
    out = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    present = np.fromiter((g is not None for g in out), dtype=bool, count=len(out))
    if present.any():
        z = shapely.has_z(out[present])
        if hasattr(shapely, "has_m"):               # shapely >= 2.1 reads M values too
            z |= shapely.has_m(out[present])
        if z.any():                     # the delivery's layer is 2D: Z (and M) are dropped, with a note
            idx = np.nonzero(present)[0][z]
            out[idx] = shapely.force_2d(out[idx])
            counts["flattened"] += int(len(idx))       # (GEOS's validity is in x and y: the same)
    return out


def _one_wkb(wkb, counts: Dict[str, int]):
    """One WKB geometry: curves linearised and Z/M dropped by OGR when shapely cannot read it;
    None when neither can."""
    try:
        got = shapely.from_wkb(wkb, on_invalid="ignore")
        if got is not None:
            return got
    except (NotImplementedError, shapely.errors.ShapelyError):
        pass
    try:
        g = ogr.CreateGeometryFromWkb(bytes(wkb))
        if g is None:
            counts["unreadable"] += 1
            return None
        if ogr.GT_Flatten(g.GetGeometryType()) in (ogr.wkbTIN, ogr.wkbPolyhedralSurface, ogr.wkbTriangle):
            g = ogr.ForceToMultiPolygon(g)        # a surface of triangles or faces: their polygons
            counts["converted"] += 1
        if g.HasCurveGeometry():
            g = g.GetLinearGeometry()
            counts["curved"] += 1
        if g.Is3D() or g.IsMeasured():
            g.FlattenTo2D()
            g.SetMeasured(False)
            counts["flattened"] += 1
        got = shapely.from_wkb(bytes(g.ExportToIsoWkb()), on_invalid="ignore")
    except (RuntimeError, NotImplementedError, shapely.errors.ShapelyError):
        got = None
    if got is None:
        counts["unreadable"] += 1
    return got


def _layer_epsg(lyr) -> Tuple[Optional[int], Optional[str]]:
    srs = lyr.GetSpatialRef()
    if srs is None or (srs.GetName() or "").startswith("Undefined"):    # GeoPackage srs_id 0 / -1
        return None, None
    code = srs.GetAuthorityCode(None)
    try:
        srs2 = osr.SpatialReference(srs.ExportToWkt())
        srs2.AutoIdentifyEPSG()
        code = srs2.GetAuthorityCode(None) or code
    except RuntimeError:
        pass
    return (int(code) if code and code.isdigit() else None), srs.ExportToWkt()


def _crs_name(wkt: str) -> str:
    srs = osr.SpatialReference()
    try:
        srs.ImportFromWkt(wkt)
        code = srs.GetAuthorityCode(None)
        return f"{srs.GetName()}{f' (EPSG:{code})' if code else ''}"
    except RuntimeError:
        return "?"


def transform_to_rd(geoms: np.ndarray, wkt: str) -> np.ndarray:
    """Transform shapely geometries from a CRS (WKT) to EPSG:28992 with PROJ's default operation."""
    src = osr.SpatialReference()
    src.ImportFromWkt(wkt)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, rd_srs())

    def tf(coords):
        if len(coords) == 0:
            return coords
        res = np.array(ct.TransformPoints(coords[:, :2].tolist()))
        if np.isinf(res).any():
            raise ValueError("coordinates outside the CRS's area")
        return res[:, :2]
    out = np.empty(len(geoms), dtype=object)
    ok = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if ok.any():
        out[ok] = shapely.transform(geoms[ok], tf)
    return out


def read_plans(path: str, standard: Standard, layer: Optional[str] = None,
               to_rd: bool = True, scan_stored: bool = True, facts: bool = False,
               parse_geometry: bool = True, fields: Optional[Iterable[str]] = None) -> Tuple[PlanTable, LayerInfo]:
    """Read a plan layer from any OGR-readable file. Raises SourceError / SchemaError.
    `fields`: only these fields are read and normalised, and the table holds only them (the others
    are absent from `columns`, not NULL), and a GeoPackage's are read in one scan (`_arrow_columns`'
    `one_scan`); the required fields must still be in the layer. For a caller that uses a few
    columns (the command line's comparison).
    `scan_stored` False: values as GDAL reads them, without the SQLite type scan (the comparison with
    a previous package, whose values only need to compare, not to be reported).
    `parse_geometry` False (with `to_rd` False or a layer in RD, without `facts`): a WkbPlanTable,
    whose geometries are parsed when asked for (the counts of curved, flattened, converted and
    unreadable geometries in the LayerInfo are then 0).

    The geometries are parsed in a thread beside the reading of the attributes. `facts`: for a
    caller that validates the table next, the geometry facts of the geometry rules (validity, area,
    bounds: most of a validation's work) go on in the background after this returns, beside the
    attribute rules (`PlanTable.geometry_facts()`).
    GDAL objects must not outlive this call (an exception's traceback would keep them alive
    past GDAL's shutdown), so columns are read first and errors are raised afterwards."""
    return _read_plans(path, standard, layer, to_rd, scan_stored, facts, parse_geometry, fields)[:2]


def read_plans_and_fasering(path: str, standard: Standard, layer: Optional[str] = None, to_rd: bool = True,
                            facts: bool = False, con: Optional[sqlite3.Connection] = None
                            ) -> Tuple[PlanTable, LayerInfo, Optional[FaseringTable]]:
    """read_plans and, for a GeoPackage, read_fasering (None otherwise) of one file opened once:
    GDAL's opening of a GeoPackage costs about as much as reading a gemeente's fasering (the
    intake's inspection of every package, the command line's validation). The fasering is read
    while the plans' geometries are parsed. Raises as read_plans and read_fasering do.
    `con`: the caller's open read-only sqlite3 connection to the same GeoPackage (made with
    check_same_thread=False), which runs the stored-type scans: a new connection would read the
    file's schema again (about a millisecond for each of the intake's packages)."""
    return _read_plans(path, standard, layer, to_rd, True, facts, True, None,
                       fasering=path.lower().endswith(".gpkg"), con=con)


def _read_plans(path: str, standard: Standard, layer: Optional[str], to_rd: bool, scan_stored: bool,
                facts: bool, parse_geometry: bool, fields: Optional[Iterable[str]], fasering: bool = False,
                con: Optional[sqlite3.Connection] = None):
    problem = None
    fas = None
    ds = _open(path)
    try:
        cols, parsing, fids, info, origin, stored = _read_layer(ds, path, standard, layer, facts, to_rd,
                                                                scan_stored, parse_geometry, fields, con)
        if fasering:
            try:
                with timing.stage("reading fasering"):
                    fas = _read_fasering(ds, path, standard, None, con=con)
            except BaseException:
                _settle(parsing)
                raise
    except SourceError as e:
        problem = SourceError(e.reason, e.detail)
    except RuntimeError as e:                  # GDAL / SQLite on damaged pages
        problem = _gdal_problem(e)
    finally:
        ds = None  # noqa: F841 - closes the file before anything is raised
    if problem is not None:
        raise problem
    lazy = isinstance(parsing, np.ndarray)
    with timing.stage("reading plans"):
        table = (WkbPlanTable if lazy else PlanTable).from_columns(standard, cols, None, fids, source=path)
        if stored:
            _apply_stored(standard.fields, table.columns, table.bad, table.fids, stored, table._text)
        if fields is not None:
            _keep_only(table, fields)
    if lazy:
        table.wkb, table.geometry = parsing, None
        return table, info, fas
    geoms, checking = parsing.result()
    transformed = bool(to_rd and info.wkt and info.epsg != RD_EPSG and len(geoms))
    if transformed:
        try:
            geoms = transform_to_rd(geoms, info.wkt)
        except (RuntimeError, ValueError) as e:
            raise SourceError("no_transform" if "coordinate operation" in str(e) else "bad_coordinates",
                              _crs_name(info.wkt)) from None
        if facts:
            checking = background(timing.staged("validity", geom_info), geoms)
    table.geometry = geoms
    if checking is not None:
        table.start_geometry_facts(checking)
    # the rows may be copied raw only when every value is stored as what was validated
    if origin is not None and stored == {} and not transformed and info.epsg == RD_EPSG \
            and not (info.curved or info.flattened or info.converted or info.unreadable):
        table.origin = origin
    return table, info, fas


def _settle(parsing) -> None:
    """Wait for the background parse of a read that fails, so that no thread works on after it."""
    if isinstance(parsing, _Parsed):
        try:
            parsing.result()
        except BaseException:       # noqa: BLE001 - the read's own failure is what is raised
            pass


def _keep_only(table, fields: Iterable[str]) -> None:
    """Drop the columns (and their cached text views) outside `fields`."""
    keep = set(fields)
    for name in [k for k in table.columns if k not in keep]:
        del table.columns[name]
        table._text.pop(name, None)
        table.bad.pop(name, None)


def _parse(batches, counts: Dict[str, int], n: int, facts: bool, rd: bool):
    """(geometries, the Future of their GeomInfo when `facts` and they need no transformation)."""
    # (shapely 2 only: the OGR back end checks one geometry at a time, each call taking the GIL again)
    early = _EarlyValidity() if facts and rd and batches and threads.WORKERS > 1 and geo.backend() == "shapely" \
        else None
    try:
        with timing.stage("geometry parsing"):
            geoms = _wkb_to_shapely(batches, counts, early) if batches else np.full(n, None, dtype=object)
    except BaseException:
        if early is not None:
            early.close()
        raise
    if not (facts and rd):
        return geoms, None
    return geoms, background(timing.staged("validity", geom_info), geoms, early.result if early else None)


def _read_layer(ds, path: str, standard: Standard, layer: Optional[str], facts: bool = False,
                to_rd: bool = True, scan_stored: bool = True, parse_geometry: bool = True,
                fields: Optional[Iterable[str]] = None, con: Optional[sqlite3.Connection] = None):
    lyr = find_plan_layer(ds, standard, layer)
    defn = lyr.GetLayerDefn()
    present = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
    # case-insensitive match (some formats upper-case names)
    lower = {n.lower(): n for n in present}
    rename = {lower[f.name.lower()]: f.name for f in standard.fields
              if f.name not in present and f.name.lower() in lower}
    is_shp = ds.GetDriver().ShortName == "ESRI Shapefile"
    epsg, wkt = _layer_epsg(lyr)
    info = LayerInfo(path, lyr.GetName(), epsg, wkt, ogr.GeometryTypeToName(lyr.GetGeomType()),
                     lyr.GetFeatureCount(), is_shp)
    info.crs_undefined = wkt is None and lyr.GetGeomType() != ogr.wkbNone
    wanted = present if fields is None else {n for n in present if rename.get(n, n) in set(fields)}
    # the stored-type scan runs beside GDAL's read (its own SQLite connection or the caller's, in a thread)
    scan = _StoredScan(ds, lyr, path, [f for f in standard.fields if f.name in wanted], con) \
        if not rename and scan_stored else None
    try:
        return _read_layer_scanned(ds, path, lyr, info, present, wanted, rename, facts, to_rd, parse_geometry,
                                   fields, scan)
    except BaseException:
        if scan is not None:
            scan.wait()
        raise


def _read_layer_scanned(ds, path: str, lyr, info: LayerInfo, present, wanted, rename, facts: bool, to_rd: bool,
                        parse_geometry: bool, fields, scan):
    gdal.PushErrorHandler("CPLQuietErrorHandler")     # GDAL warns about values it coerces: they are
    try:                                                # read as stored below and reported as findings
        with timing.stage("reading plans"):
            cols, geom_batches, fids = _arrow_columns(lyr, set(wanted), ds, one_scan=fields is not None)
    finally:
        gdal.PopErrorHandler()
    for name in wanted:                        # an empty layer yields no batches
        cols.setdefault(name, [])
    for name in present - wanted:              # not read (`fields`): there, but left out
        cols[name] = None
    cols = {rename.get(k, k): v for k, v in cols.items()}
    counts = {"curved": 0, "flattened": 0, "converted": 0, "unreadable": 0}
    # parsed (and checked) in a thread while this one finishes the attributes
    as_read = not to_rd or info.epsg == RD_EPSG or not info.wkt        # no transformation follows
    if parse_geometry or facts or not as_read:
        parsing = _Parsed(background(_parse, geom_batches, counts, len(fids), facts, as_read), counts, info)
    else:                                       # left as WKB (WkbPlanTable)
        parsing = wkb_column(geom_batches, len(fids))
    if len(np.unique(fids)) != len(fids):
        raise SourceError("duplicate_fids", lyr.GetName())
    origin = _origin(ds, lyr, path) if not rename and fields is None else None
    with timing.stage("reading plans"):
        stored = scan.result() if scan is not None else None
    return cols, parsing, fids, info, origin, stored


class _Parsed:
    """The parse thread's result; puts its counts into the LayerInfo."""

    def __init__(self, future, counts: Dict[str, int], info: LayerInfo):
        self._future, self._counts, self._info = future, counts, info

    def result(self):
        got = self._future.result()
        c, info = self._counts, self._info
        info.curved, info.flattened, info.converted, info.unreadable = \
            c["curved"], c["flattened"], c["converted"], c["unreadable"]
        return got


def _origin(ds, lyr, path: str) -> Optional[Dict[str, str]]:
    """Table, FID and geometry column of a GeoPackage layer (for copies inside SQLite)."""
    if ds.GetDriver().ShortName != "GPKG" or not lyr.GetFIDColumn():
        return None
    return {"path": os.path.abspath(path), "table": lyr.GetName(), "fid": lyr.GetFIDColumn(),
            "geom": lyr.GetGeometryColumn() or None}


def read_fasering(path: str, standard: Standard, table: Optional[str] = None,
                  scan_stored: bool = True, fields: Optional[Iterable[str]] = None) -> Optional[FaseringTable]:
    """The fasering table of a GeoPackage, or None when the file has none. `fields`: as read_plans'."""
    problem = None
    ds = _open(path)
    try:
        with timing.stage("reading fasering"):
            return _read_fasering(ds, path, standard, table, scan_stored, fields)
    except RuntimeError as e:                  # GDAL / SQLite on damaged pages
        problem = _gdal_problem(e)
    finally:
        ds = None  # noqa: F841
    raise problem


def _read_fasering(ds, path: str, standard: Standard, table: Optional[str],
                   scan_stored: bool = True, fields: Optional[Iterable[str]] = None,
                   con: Optional[sqlite3.Connection] = None) -> Optional[FaseringTable]:
    lyr = ds.GetLayerByName(table or standard.fasering_name)
    if lyr is None:
        return None
    wanted = [f.name for f in standard.fasering_fields if fields is None or f.name in set(fields)]
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        cols, _, fids = _arrow_columns(lyr, wanted, ds)
    finally:
        gdal.PopErrorHandler()
    defn = lyr.GetLayerDefn()
    for i in range(defn.GetFieldCount()):
        name = defn.GetFieldDefn(i).GetName()
        cols.setdefault(name, [] if name in wanted or fields is None else None)
    table = FaseringTable.from_columns(standard, cols, fids)
    if fields is not None:
        scan_stored = False                     # only what the caller compares, as GDAL reads it
        _keep_only(table, fields)
    stored = _scan_stored(ds, lyr, standard.fasering_fields, con=con) if scan_stored else None
    if stored:
        _apply_stored(standard.fasering_fields, {f.name: table.column(f.name) for f in standard.fasering_fields},
                      table.bad, table.fids, stored)
        table._groups = None
    table.origin = _origin(ds, lyr, path) if stored == {} else None
    lyr = None  # noqa: F841
    ds = None  # noqa: F841
    return table
