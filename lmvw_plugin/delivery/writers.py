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

from ..common.geo import backend, shapely
from ..common.threads import parallel
from ..rules.table import FaseringTable
from ..standard import FieldDef, Standard
from ..storage import ogr as ogrio

RD_SRS_ID = 28992
_HEADER = struct.pack("<2sBBi", b"GP", 0, 0b00000011, RD_SRS_ID)   # little endian, xy envelope


def gpkg_blobs(geoms: np.ndarray) -> List[Optional[bytes]]:
    """GeoPackage geometry blobs (header with envelope + ISO WKB) for shapely geometries."""
    n = len(geoms)
    out: List[Optional[bytes]] = [None] * n
    ok = present(geoms)
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
        frac = ~nan & (col != np.floor(np.where(nan, 0, col)))
        if frac.any():                  # a count of 2.5 (a concept delivery, R03) is delivered as 2.5
            vals[frac] = col[frac].tolist()
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


def present(geoms: np.ndarray) -> np.ndarray:
    """Per element: a geometry (not None) that is not empty."""
    ok = np.asarray(shapely.get_type_id(geoms), dtype=np.int64) >= 0 if len(geoms) else np.zeros(0, dtype=bool)
    if ok.any():
        ok[ok] = ~np.asarray(shapely.is_empty(geoms[ok]), dtype=bool)
    return ok


def as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Polygons become one-part MultiPolygons (the layer's declared type); the rest is kept."""
    out = geoms.copy()
    if not len(geoms):
        return out
    polys = np.nonzero(np.asarray(shapely.get_type_id(geoms)) == 3)[0]
    if not len(polys):
        return out
    if backend() == "shapely":               # all at once in GEOS: each polygon its own multipolygon
        out[polys] = shapely.multipolygons(geoms[polys], indices=np.arange(len(polys)))
    else:
        for i in polys.tolist():
            out[i] = shapely.MultiPolygon([geoms[i]])
    return out


def polygonal_only(geoms: np.ndarray) -> np.ndarray:
    """The geometries a MultiPolygon layer can hold: a point, a line or a mixed collection (G02,
    only in a concept delivery) is delivered without geometry; a collection of polygons as their
    MultiPolygon. Keeps the delivered GeoPackage valid (validate_gpkg.py, Req 32)."""
    present = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if not present.any():
        return geoms
    kind = np.full(len(geoms), -1)
    kind[present] = shapely.get_type_id(geoms[present])
    odd = present & ~np.isin(kind, (3, 6))
    if not odd.any():
        return geoms
    out = geoms.copy()
    for i in np.nonzero(odd)[0]:
        g = geoms[i]
        parts = [p for p in getattr(g, "geoms", [])] if kind[i] == 7 else []
        polys = [q for p in parts for q in (p.geoms if p.geom_type == "MultiPolygon" else [p])
                 if q.geom_type == "Polygon"]
        out[i] = shapely.MultiPolygon(polys) if parts and len(polys) == sum(
            len(p.geoms) if p.geom_type == "MultiPolygon" else 1 for p in parts) else None
    return out


def write_gpkg(path: str, standard: Standard, fields: Sequence[FieldDef], columns: Dict[str, np.ndarray],
               geometry: np.ndarray, fasering: Optional[FaseringTable], fasering_rows: np.ndarray,
               copy_from: Optional[Dict] = None, source_fids: Optional[np.ndarray] = None,
               only_polygons: bool = True) -> None:
    """The delivery GeoPackage. `copy_from` (a PlanTable's origin) and `source_fids` let the
    plan rows be copied inside SQLite from the source GeoPackage (the derived fields still come
    from `columns`); without them every row is encoded here. `only_polygons` False: other
    geometries are written as they are (test data for G02, not a delivery)."""
    if only_polygons:
        geometry = polygonal_only(geometry)
    ds = ogrio.create_datasource(path, standard, plan_fields=fields, spatial_index=True)
    ds = None  # noqa: F841 - close before SQLite writes
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-262144")        # 256 MiB: the copy touches every page once
        # OGR's insert triggers keep the R-tree and the feature count up to date row by row (and
        # the R-tree one calls GeoPackage SQL functions plain SQLite lacks): lift them while the
        # rows go in, update index and counts in one batch, then put OGR's triggers back unchanged
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (?, ?) "
                               "AND (sql LIKE '%AFTER INSERT ON%' OR sql LIKE '%AFTER UPDATE%')",
                               (standard.layer_name, standard.fasering_name)).fetchall()
        for name, _ in triggers:
            con.execute(f"DROP TRIGGER {_q(name)}")
        if copy_from is not None and source_fids is not None:
            _copy_plans(con, standard, fields, columns, copy_from, source_fids, geometry)
        else:
            _insert_plans(con, standard, fields, columns, geometry)
        if fasering is not None and len(fasering_rows):
            if fasering.origin is not None and fasering.origin["path"] == (copy_from or {}).get("path"):
                _copy_fasering(con, standard, fasering.origin, fasering.fids[fasering_rows])
            else:
                fcols = [_values(f, getattr(fasering, f.name)[fasering_rows]) for f in standard.fasering_fields]
                fnames = ", ".join(f'"{f.name}"' for f in standard.fasering_fields)
                con.executemany(f'INSERT INTO "{standard.fasering_name}" ({fnames}) VALUES '
                                f'({", ".join("?" * len(standard.fasering_fields))})', zip(*fcols))
        _fill_rtree(con, standard, geometry)
        for table in (standard.layer_name, standard.fasering_name):
            con.execute(f"UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM {_q(table)}) "
                        "WHERE lower(table_name) = lower(?)", (table,))
        for _, sql in triggers:
            con.execute(sql)
        present = np.array([g for g in geometry if g is not None], dtype=object)
        if len(present):
            b = shapely.total_bounds(present)
            con.execute("UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?",
                        (*[float(x) for x in b], standard.layer_name))
        con.commit()
    finally:
        con.close()


def _fill_rtree(con, standard: Standard, geometry: np.ndarray) -> None:
    """The spatial index of the plan layer, whose rows were inserted in `geometry`'s order."""
    name = con.execute("SELECT table_name || '_' || column_name FROM gpkg_extensions WHERE table_name = ? "
                       "AND extension_name = 'gpkg_rtree_index'", (standard.layer_name,)).fetchone()
    if name is None:
        return
    fids = [r[0] for r in con.execute(f"SELECT fid FROM {_q(standard.layer_name)} ORDER BY fid")]
    ok = np.fromiter((g is not None and not g.is_empty for g in geometry), dtype=bool, count=len(geometry))
    if not ok.any():
        return
    b = shapely.bounds(geometry[ok])
    ids = np.asarray(fids, dtype=np.int64)[ok]
    order = np.lexsort(((b[:, 1] + b[:, 3]) // 2000, (b[:, 0] + b[:, 2]) // 2000))   # neighbours together
    b, ids = b[order], ids[order]
    con.executemany(f"INSERT INTO {_q('rtree_' + name[0])} VALUES (?, ?, ?, ?, ?)",
                    zip(ids.tolist(), b[:, 0].tolist(), b[:, 2].tolist(), b[:, 1].tolist(), b[:, 3].tolist()))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _insert_plans(con, standard: Standard, fields, columns, geometry) -> None:
    names = [f.name for f in fields]
    cols = [_values(f, columns[f.name]) for f in fields]
    blobs = gpkg_blobs(as_multipolygons(geometry))
    quoted = ", ".join(_q(n) for n in ["geom"] + names)
    marks = ", ".join("?" * (len(names) + 1))
    con.executemany(f"INSERT INTO {_q(standard.layer_name)} ({quoted}) VALUES ({marks})", zip(blobs, *cols))


def _copy_plans(con, standard: Standard, fields, columns, origin: Dict, source_fids: np.ndarray,
                geometry: Optional[np.ndarray] = None) -> None:
    """Source values and geometry blobs copied by SQLite; derived fields from `columns`. A blob
    whose header is not the one this layer needs (another srs_id in it, big endian, an extended
    type) is not copied: it is encoded from `geometry`, the geometry the validator saw."""
    derived = {d["name"] for d in standard.derived}
    copied = [f.name for f in fields if f.name not in derived]
    computed = [f for f in fields if f.name in derived]
    con.execute("ATTACH DATABASE ? AS src", (origin["path"],))
    con.execute("CREATE TEMP TABLE lmvw_sel (n INTEGER PRIMARY KEY, src_fid INTEGER, lmvw_geom INTEGER"
                + "".join(f", {_q(f.name)}" for f in computed) + ")")
    values = [_values(f, columns[f.name]) for f in computed]
    # a blob is copied only where the validator saw a geometry (GDAL reads a damaged one as none)
    seen = [1] * len(source_fids) if geometry is None else [int(g is not None) for g in geometry]
    con.executemany(f"INSERT INTO temp.lmvw_sel VALUES ({', '.join('?' * (len(computed) + 3))})",
                    zip(range(len(source_fids)), source_fids.tolist(), seen, *values))
    if origin.get("geom"):
        g = f"s.{_q(origin['geom'])}"
        ok = [(_HEADER[:3] + bytes([flags]) + _HEADER[4:]).hex() for flags in (0b00000011, 0b00000001)]
        geom = f"CASE WHEN t.lmvw_geom AND substr({g}, 1, 8) IN (X'{ok[0]}', X'{ok[1]}') THEN {g} END"
    else:
        geom = "NULL"
    target = ", ".join(_q(n) for n in ["geom"] + copied + [f.name for f in computed])
    select = ", ".join([geom] + [f"s.{_q(n)}" for n in copied] + [f"t.{_q(f.name)}" for f in computed])
    con.execute(f"INSERT INTO {_q(standard.layer_name)} ({target}) SELECT {select} FROM temp.lmvw_sel t "
                f"JOIN src.{_q(origin['table'])} s ON s.{_q(origin['fid'])} = t.src_fid ORDER BY t.n")
    con.execute("DROP TABLE temp.lmvw_sel")
    con.commit()
    con.execute("DETACH DATABASE src")
    if geometry is not None and origin.get("geom"):
        fids = np.array([r[0] for r in con.execute(f"SELECT fid FROM {_q(standard.layer_name)} ORDER BY fid")])
        empty = {r[0] for r in con.execute(f"SELECT fid FROM {_q(standard.layer_name)} WHERE geom IS NULL")}
        rows = [i for i, fid in enumerate(fids.tolist()) if fid in empty and geometry[i] is not None]
        if rows:
            blobs = gpkg_blobs(as_multipolygons(geometry[np.asarray(rows)]))
            con.executemany(f"UPDATE {_q(standard.layer_name)} SET geom = ? WHERE fid = ?",
                            [(b, int(fids[i])) for b, i in zip(blobs, rows)])


def _copy_fasering(con, standard: Standard, origin: Dict, source_fids: np.ndarray) -> None:
    """The fasering rows `content.select` delivers, copied by their row identity (a plan_id may be
    shared with a plan that is not delivered)."""
    con.execute("ATTACH DATABASE ? AS fsrc", (origin["path"],))
    con.execute("CREATE TEMP TABLE lmvw_fsel (src_fid INTEGER PRIMARY KEY)")
    con.executemany("INSERT INTO temp.lmvw_fsel VALUES (?)", ((int(v),) for v in source_fids.tolist()))
    names = ", ".join(_q(f.name) for f in standard.fasering_fields)
    fid = _q(origin["fid"])
    con.execute(f"INSERT INTO {_q(standard.fasering_name)} ({names}) SELECT {names} FROM fsrc.{_q(origin['table'])} "
                f"WHERE {fid} IN (SELECT src_fid FROM temp.lmvw_fsel) ORDER BY {fid}")
    con.execute("DROP TABLE temp.lmvw_fsel")
    con.commit()
    con.execute("DETACH DATABASE fsrc")


# A spreadsheet reads a cell that starts with one of these as a formula (or DDE command), e.g.
# =HYPERLINK(...), +cmd|..., @SUM(...), -2+3+cmd|...; a tab or carriage return in front hides it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_text(value: Optional[str]) -> Optional[str]:
    """A text cell made inert for spreadsheets (OWASP, CSV injection): a single quote in front of a
    value that starts with = + - @ TAB or CR. A value that already starts with quotes before such a
    character gets one more, so `unescape_csv_text` gives back exactly the original."""
    if not value or not isinstance(value, str):
        return value
    if value[0] in FORMULA_START or (value[0] == "'" and value.lstrip("'")[:1] in FORMULA_START):
        return "'" + value
    return value


def unescape_csv_text(value: Optional[str]) -> Optional[str]:
    """The inverse of `escape_csv_text`: the value as stored in the GeoPackage (for comparing a CSV
    text cell with the layer)."""
    if not value or not isinstance(value, str):
        return value
    if value[0] == "'" and value.lstrip("'")[:1] in FORMULA_START:
        return value[1:]
    return value


def write_csv(path: str, fields: Sequence[FieldDef], columns: Dict[str, np.ndarray],
              extra: Optional[Dict[str, list]] = None) -> None:
    """UTF-8, comma separated, CRLF, header row. Booleans as true/false, dates ISO 8601; text cells
    escaped against formula injection (`escape_csv_text`), numbers written as numbers."""
    names = [f.name for f in fields]
    cols = []
    for f in fields:
        vals = _values(f, columns[f.name])
        if f.type == "bool":
            vals = [None if v is None else ("true" if v else "false") for v in vals]
        elif f.type == "text":
            vals = [escape_csv_text(v) for v in vals]
        cols.append(vals)
    if extra:
        names += list(extra)
        cols += list(extra.values())
    with open(path, "w", newline="", encoding="utf-8") as fh:
        # CRLF as RFC 4180 says: the csv module quotes a cell that holds a character of the line
        # terminator, so a CR inside a text (not quoted with "\n") can no longer split a row
        w = csv.writer(fh, lineterminator="\r\n")
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


def file_entries(folder: str, names: Iterable[str], known: Optional[Dict[str, Optional[str]]] = None
                 ) -> List[Dict[str, object]]:
    """Name, size and sha256 of each file (`known`: checksums already computed)."""
    known = known or {}
    return [{"name": n, "size": os.path.getsize(os.path.join(folder, n)),
             "sha256": known.get(n) or sha256(os.path.join(folder, n))} for n in names]
