"""Writing the package files: the GeoPackage (bulk, through SQLite), the CSVs, checksums.

The GeoPackage is created by OGR (metadata tables, schema, column descriptions), filled with one
bulk INSERT per table through Python's sqlite3 (GeoPackage geometry blobs built vectorised), and
then indexed by OGR (`CreateSpatialIndex`). This is several times faster than writing feature by
feature through OGR's Python API, and the result passes GDAL's validate_gpkg.py.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import os
import sqlite3
import struct
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import shapely
from osgeo import ogr

from ..rules.geometry import parallel
from ..rules.table import FaseringTable
from ..standard import FieldDef, Standard
from ..storage import ogr as ogrio

RD_SRS_ID = 28992
_HEADER = struct.pack("<2sBBi", b"GP", 0, 0b00000011, RD_SRS_ID)   # little endian, xy envelope


def gpkg_blobs(geoms: np.ndarray) -> List[Optional[bytes]]:
    """GeoPackage geometry blobs (header with envelope + ISO WKB) for shapely geometries."""
    n = len(geoms)
    out: List[Optional[bytes]] = [None] * n
    ok = np.fromiter((g is not None and not g.is_empty for g in geoms), dtype=bool, count=n)
    if not ok.any():
        return out
    idx = np.nonzero(ok)[0]
    g = geoms[idx]
    wkb = parallel(lambda a: shapely.to_wkb(a, byte_order=1, output_dimension=2, include_srid=False), g)
    env = shapely.bounds(g)[:, [0, 2, 1, 3]].astype("<f8").tobytes()
    for k, i in enumerate(idx.tolist()):
        out[i] = _HEADER + env[32 * k: 32 * k + 32] + wkb[k]
    return out


def _values(f: FieldDef, col: np.ndarray) -> list:
    """A column as Python values for SQLite / CSV (None for NULL)."""
    if f.type == "int":
        nan = np.isnan(col)
        vals = np.where(nan, 0, col).astype(np.int64).astype(object)
        vals[nan] = None
        return vals.tolist()
    if f.type == "bool":
        nan = np.isnan(col)
        vals = (col == 1.0).astype(np.int64).astype(object)
        vals[nan] = None
        return vals.tolist()
    if f.type == "date":
        return [None if v is None else v.isoformat() for v in col]
    if f.type == "datetime":
        return [None if v is None else _iso_datetime(v) for v in col]
    return list(col)


def _iso_datetime(v: _dt.datetime) -> str:
    if v.tzinfo is not None:
        v = v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"


def write_gpkg(path: str, standard: Standard, fields: Sequence[FieldDef], columns: Dict[str, np.ndarray],
               geometry: np.ndarray, fasering: Optional[FaseringTable], fasering_rows: np.ndarray) -> None:
    ds = ogrio.create_datasource(path, standard, plan_fields=fields, spatial_index=False)
    ds = None  # noqa: F841 - close before SQLite writes
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        names = [f.name for f in fields]
        cols = [_values(f, columns[f.name]) for f in fields]
        blobs = gpkg_blobs(geometry)
        quoted = ", ".join(f'"{n}"' for n in ["geom"] + names)
        marks = ", ".join("?" * (len(names) + 1))
        con.executemany(f'INSERT INTO "{standard.layer_name}" ({quoted}) VALUES ({marks})',
                        zip(blobs, *cols))
        if fasering is not None and len(fasering_rows):
            fcols = [_values(f, getattr(fasering, f.name)[fasering_rows]) for f in standard.fasering_fields]
            fnames = ", ".join(f'"{f.name}"' for f in standard.fasering_fields)
            con.executemany(f'INSERT INTO "{standard.fasering_name}" ({fnames}) VALUES '
                            f'({", ".join("?" * len(standard.fasering_fields))})', zip(*fcols))
        if len(geometry):
            present = np.array([g for g in geometry if g is not None], dtype=object)
            if len(present):
                b = shapely.total_bounds(present)
                con.execute("UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?",
                            (*[float(x) for x in b], standard.layer_name))
        con.commit()
    finally:
        con.close()
    ds = ogr.Open(path, 1)
    ds.ExecuteSQL(f"SELECT CreateSpatialIndex('{standard.layer_name}', 'geom')")
    ds = None


def write_csv(path: str, fields: Sequence[FieldDef], columns: Dict[str, np.ndarray],
              extra: Optional[Dict[str, list]] = None) -> None:
    """UTF-8, comma separated, header row. Booleans as true/false, dates ISO 8601."""
    names = [f.name for f in fields]
    cols = []
    for f in fields:
        vals = _values(f, columns[f.name])
        if f.type == "bool":
            vals = [None if v is None else ("true" if v else "false") for v in vals]
        cols.append(vals)
    if extra:
        names += list(extra)
        cols += list(extra.values())
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(names)
        w.writerows(zip(*cols))


def write_fasering_csv(path: str, standard: Standard, fasering: Optional[FaseringTable],
                       rows: np.ndarray) -> None:
    fields = standard.fasering_fields
    if fasering is None:
        columns = {f.name: np.empty(0, dtype=object if f.type == "text" else float) for f in fields}
    else:
        columns = {f.name: getattr(fasering, f.name)[rows] for f in fields}
    write_csv(path, fields, columns)


def sha256(path: str, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            b = fh.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def file_entries(folder: str, names: Iterable[str]) -> List[Dict[str, object]]:
    return [{"name": n, "size": os.path.getsize(os.path.join(folder, n)),
             "sha256": sha256(os.path.join(folder, n))} for n in names]
