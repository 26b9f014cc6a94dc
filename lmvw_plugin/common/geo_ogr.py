"""The geometry back end for QGIS installs without shapely 2: the part of the shapely 2 API the
plugin uses, on GDAL/OGR's GEOS bindings (`osgeo.ogr`, which every QGIS has) and numpy object arrays.

Selected by `common/geo.py` when shapely >= 2 cannot be imported. It is slower (one Python call per
geometry instead of one per array) but gives the same findings: the same GEOS operations (validity,
make_valid, intersection, point on surface) and, where OGR's own code differs from shapely's, the
shapely/GEOS semantics written out here (the ring area in GEOS's summation order, GEOS's validity
reason text and its 15-digit location, GEOS's WKB reader refusing unclosed rings, topological
equality, the STRtree query)."""
from __future__ import annotations

import enum
import math
import re
import struct
import threading
from types import SimpleNamespace
from typing import Any, Callable, List, Optional, Sequence, Tuple

import numpy as np
from osgeo import gdal, ogr

NAME = "ogr"
__version__ = "ogr-" + gdal.__version__
geos_version = (ogr.GetGEOSVersionMajor(), ogr.GetGEOSVersionMinor(), ogr.GetGEOSVersionMicro())


class ShapelyError(Exception):
    """Like shapely.errors.ShapelyError."""


class GEOSException(ShapelyError):
    """Like shapely.errors.GEOSException: GEOS refused an operation."""


errors = SimpleNamespace(ShapelyError=ShapelyError, GEOSException=GEOSException)


class GeometryType(enum.IntEnum):
    MISSING = -1
    POINT = 0
    LINESTRING = 1
    LINEARRING = 2
    POLYGON = 3
    MULTIPOINT = 4
    MULTILINESTRING = 5
    MULTIPOLYGON = 6
    GEOMETRYCOLLECTION = 7


# OGR flat type -> shapely type id and name
_TYPE = {ogr.wkbPoint: 0, ogr.wkbLineString: 1, ogr.wkbLinearRing: 2, ogr.wkbPolygon: 3,
         ogr.wkbMultiPoint: 4, ogr.wkbMultiLineString: 5, ogr.wkbMultiPolygon: 6,
         ogr.wkbGeometryCollection: 7}
_NAMES = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
          "GeometryCollection")
_REASON = re.compile(r"^(.*?) at or near point (\S+) (\S+)")
_quiet = threading.local()


class _Quiet:
    """GDAL's error handler for this thread while OGR runs GEOS: its notices (validity reasons,
    'TopologyException') are collected, never printed or shown in QGIS's log."""
    def __enter__(self):
        self.messages: List[str] = []
        gdal.PushErrorHandler(lambda _cls, _no, msg: self.messages.append(msg))
        return self

    def __exit__(self, *exc):
        gdal.PopErrorHandler()
        return False


class Geometry:
    """One geometry (an ogr.Geometry) with the attributes of a shapely geometry the plugin reads."""
    __slots__ = ("_g", "_tid", "_srid")

    def __init__(self, g: "ogr.Geometry", srid: int = 0):
        self._g = g
        self._srid = srid
        t = ogr.GT_Flatten(g.GetGeometryType())
        self._tid = 2 if t == ogr.wkbLineString and g.GetGeometryName() == "LINEARRING" else _TYPE.get(t, -1)

    # shapely-like attributes
    @property
    def geom_type(self) -> str:
        return _NAMES[self._tid] if self._tid >= 0 else self._g.GetGeometryName().title()

    @property
    def is_empty(self) -> bool:
        return bool(self._g.IsEmpty())

    @property
    def is_valid(self) -> bool:
        return bool(is_valid(self))

    @property
    def area(self) -> float:
        return float(area(self))

    @property
    def bounds(self) -> Tuple[float, float, float, float]:
        return tuple(float(v) for v in bounds(self))

    @property
    def wkb(self) -> bytes:
        return to_wkb(self)

    @property
    def wkt(self) -> str:
        return to_wkt(self)

    @property
    def geoms(self) -> Tuple["Geometry", ...]:
        if self._tid < 4:
            raise AttributeError("a single-part geometry has no 'geoms'")
        return tuple(_parts(self))

    @property
    def exterior(self) -> "Geometry":
        return Geometry(self._g.GetGeometryRef(0).Clone())

    @property
    def interiors(self) -> Tuple["Geometry", ...]:
        return tuple(Geometry(self._g.GetGeometryRef(i).Clone()) for i in range(1, self._g.GetGeometryCount()))

    @property
    def coords(self) -> List[Tuple[float, float]]:
        return [tuple(p) for p in get_coordinates(self).tolist()]

    @property
    def x(self) -> float:
        return float(self._g.GetX())

    @property
    def y(self) -> float:
        return float(self._g.GetY())

    @property
    def centroid(self) -> "Geometry":
        return _op1(self, lambda g: g.Centroid())

    def representative_point(self) -> "Geometry":
        return point_on_surface(self)

    def __bool__(self) -> bool:
        return not self.is_empty

    def __reduce__(self):
        return (_from_wkb_one, (to_wkb(self),))

    def __repr__(self) -> str:
        return f"<{self.geom_type} {to_wkt(self)[:60]}>"

    def __str__(self) -> str:
        return to_wkt(self)


# -------------------------------------------------------------------------------- helpers
def _vec(func: Callable, x, dtype, missing):
    """Apply func to one geometry or to each element of an array (None gives `missing`)."""
    if x is None:
        return missing
    if isinstance(x, Geometry):
        return func(x)
    arr = np.asarray(x, dtype=object)
    out = np.empty(arr.shape, dtype=dtype)
    flat, res = arr.ravel(), out.ravel()
    for i, g in enumerate(flat):
        res[i] = missing if g is None else func(g)
    return out


def _vec2(func: Callable, a, b, dtype, missing):
    if (a is None or isinstance(a, Geometry)) and (b is None or isinstance(b, Geometry)):
        return missing if a is None or b is None else func(a, b)
    a, b = np.broadcast_arrays(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    out = np.empty(a.shape, dtype=dtype)
    res = out.ravel()
    for i, (p, q) in enumerate(zip(a.ravel(), b.ravel())):
        res[i] = missing if p is None or q is None else func(p, q)
    return out


def _op1(g: Geometry, op: Callable) -> Geometry:
    """A GEOS operation through OGR; GEOSException when GEOS refuses it (OGR returns None)."""
    with _Quiet() as q:
        try:
            r = op(g._g)
        except RuntimeError as e:
            raise GEOSException(str(e)) from None
    if r is None:
        raise GEOSException("; ".join(q.messages) or "GEOS operation failed")
    return Geometry(r)


def _parts(g: Geometry) -> List[Geometry]:
    return [Geometry(g._g.GetGeometryRef(i).Clone()) for i in range(g._g.GetGeometryCount())]


def _rings(g: Geometry) -> List["ogr.Geometry"]:
    """The point sequences (rings, lines) of a geometry, in order, as ogr geometries."""
    t = g._tid
    if t in (0, 1, 2):
        return [g._g]
    out = []
    for i in range(g._g.GetGeometryCount()):
        out.extend(_rings(Geometry(g._g.GetGeometryRef(i))))
    return out


def _points(seq: "ogr.Geometry") -> List[Tuple[float, float]]:
    if seq.IsEmpty():
        return []
    return [(p[0], p[1]) for p in (seq.GetPoints() or [])]


def _ogr_geom(g: Any) -> "ogr.Geometry":
    return g._g


# -------------------------------------------------------------------------------- reading, writing
def _structure_ok(g: "ogr.Geometry") -> bool:
    """What GEOS's WKB reader accepts: closed rings of 0 or >= 3 points (first equals last in 2D),
    lines of 0 or >= 2 points; curves and surfaces not at all."""
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t not in _TYPE:
        return False
    if t == ogr.wkbPolygon:
        for i in range(g.GetGeometryCount()):
            r = g.GetGeometryRef(i)
            n = r.GetPointCount()
            if n == 0:
                continue
            if n < 3 or not (r.GetX(0) == r.GetX(n - 1) and r.GetY(0) == r.GetY(n - 1)):
                return False
        return True
    if t in (ogr.wkbLineString, ogr.wkbLinearRing):
        return g.GetPointCount() != 1
    if t in (ogr.wkbMultiPoint, ogr.wkbMultiLineString, ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
        return all(_structure_ok(g.GetGeometryRef(i)) for i in range(g.GetGeometryCount()))
    return True


def _from_wkb_one(w, on_invalid: str = "raise"):
    try:
        with _Quiet():
            g = ogr.CreateGeometryFromWkb(bytes(w))
    except (RuntimeError, TypeError):
        g = None
    if g is None or not _structure_ok(g):
        if on_invalid == "raise":
            raise GEOSException("ParseException: the WKB cannot be read as a simple geometry")
        return None
    return Geometry(g)


def from_wkb(x, on_invalid: str = "raise"):
    if x is None or isinstance(x, (bytes, bytearray, memoryview)):
        return None if x is None else _from_wkb_one(x, on_invalid)
    return _vec(lambda w: _from_wkb_one(w, on_invalid), x, object, None)


def _from_wkt_one(w: str):
    try:
        with _Quiet():
            g = ogr.CreateGeometryFromWkt(w)
    except RuntimeError as e:
        raise GEOSException(str(e)) from None
    if g is None or not _structure_ok(g):
        raise GEOSException(f"ParseException: {w[:40]}")
    return Geometry(g)


def from_wkt(x):
    if x is None or isinstance(x, str):
        return None if x is None else _from_wkt_one(x)
    return _vec(_from_wkt_one, x, object, None)


def _to_wkb_one(g: Geometry, output_dimension: int = 3, byte_order: int = 1) -> bytes:
    o = g._g
    if g._tid == 2:                            # OGR writes no WKB for a ring: a LineString, as GEOS does
        o = ogr.ForceToLineString(o.Clone())
    if output_dimension == 2 and (o.Is3D() or o.IsMeasured()):
        o = o.Clone()
        o.FlattenTo2D()
    return bytes(o.ExportToIsoWkb(ogr.wkbNDR if byte_order != 0 else ogr.wkbXDR))


def _ewkb(b: bytes, srid: int) -> bytes:
    """PostGIS's extended WKB of a 2D ISO WKB: the type word gets the SRID flag, the SRID follows it."""
    order = "<" if b[0] == 1 else ">"
    (tid,) = struct.unpack(order + "I", b[1:5])
    return b[:1] + struct.pack(order + "II", tid | 0x20000000, srid) + b[5:]


def to_wkb(x, hex: bool = False, output_dimension: int = 3, byte_order: int = -1,  # noqa: A002
           include_srid: bool = False, flavor: str = "extended", **_kw):
    def one(g):
        b = _to_wkb_one(g, output_dimension, 0 if byte_order == 0 else 1)
        if include_srid and g._srid:
            b = _ewkb(b, g._srid)
        return b.hex().upper() if hex else b
    return _vec(one, x, object, None)


def to_wkt(x, **_kw):
    return _vec(lambda g: g._g.ExportToIsoWkt(), x, object, None)


# -------------------------------------------------------------------------------- constructors
def _polygon_ogr(shell, holes=None) -> "ogr.Geometry":
    if isinstance(shell, Geometry):            # a polygon or a ring given as a geometry
        if shell._tid == 3:
            return shell._g.Clone()
        shell = get_coordinates(shell)
    poly = ogr.Geometry(ogr.wkbPolygon)
    for ring_xy in [shell] + list(holes or []):
        if isinstance(ring_xy, Geometry):
            ring_xy = get_coordinates(ring_xy)
        xy = [(float(p[0]), float(p[1])) for p in ring_xy]
        if not xy:
            continue
        if xy[0] != xy[-1]:
            xy.append(xy[0])
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for px, py in xy:
            ring.AddPoint_2D(px, py)
        poly.AddGeometry(ring)
    return poly


def Polygon(shell=None, holes=None) -> Geometry:  # noqa: N802  (like shapely.Polygon)
    if shell is None:
        return Geometry(ogr.Geometry(ogr.wkbPolygon))
    return Geometry(_polygon_ogr(shell, holes))


def MultiPolygon(polygons=None) -> Geometry:  # noqa: N802  (like shapely.MultiPolygon)
    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    if isinstance(polygons, Geometry) and polygons._tid == 6:
        return Geometry(polygons._g.Clone())
    for p in polygons or []:
        multi.AddGeometry(p._g if isinstance(p, Geometry) else _polygon_ogr(p))
    return Geometry(multi)


# -------------------------------------------------------------------------------- predicates, measures
def is_empty(x):
    return _vec(lambda g: bool(g._g.IsEmpty()), x, bool, False)


def get_type_id(x):
    return _vec(lambda g: g._tid, x, np.int64, -1)


def has_z(x):
    return _vec(lambda g: bool(g._g.Is3D()), x, bool, False)


def has_m(x):
    return _vec(lambda g: bool(g._g.IsMeasured()), x, bool, False)


def _is_valid_one(g: Geometry) -> bool:
    with _Quiet():
        try:
            return bool(g._g.IsValid())
        except RuntimeError:
            return False


def is_valid(x):
    return _vec(_is_valid_one, x, bool, False)


def _fmt15(v: str) -> str:
    """GEOS's isValidReason prints the location with 15 significant digits; its notice via OGR
    prints 17: the same number, written as shapely 2 writes it."""
    try:
        f = float(v)
    except ValueError:
        return v
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f"{f:.15g}"


def _reason_one(g: Geometry) -> str:
    with _Quiet() as q:
        try:
            ok = bool(g._g.IsValid())
        except RuntimeError as e:
            q.messages.append(str(e))
            ok = False
    if ok:
        return "Valid Geometry"
    for msg in q.messages:
        m = _REASON.match(msg.strip())
        if m:
            return f"{m.group(1)}[{_fmt15(m.group(2))} {_fmt15(m.group(3))}]"
    return (q.messages[0].strip() if q.messages else "Invalid Geometry")


def is_valid_reason(x):
    return _vec(_reason_one, x, object, None)


def _ring_area(seq: "ogr.Geometry") -> float:
    """|signed area| of a ring in GEOS's order of operations (Area::ofRingSigned), so that areas,
    and the thresholds compared with them, are the same to the last bit as with shapely 2."""
    pts = _points(seq)
    n = len(pts)
    if n < 3:
        return 0.0
    x0 = pts[0][0]
    s = 0.0
    for i in range(1, n - 1):
        s += (pts[i][0] - x0) * (pts[i - 1][1] - pts[i + 1][1])
    return abs(s / 2.0)


def _area_one(g: Geometry) -> float:
    t = g._tid
    if t == 3:
        o = g._g
        k = o.GetGeometryCount()
        if k == 0:
            return 0.0
        a = 0.0
        a += _ring_area(o.GetGeometryRef(0))
        for i in range(1, k):
            a -= _ring_area(o.GetGeometryRef(i))
        return a
    if t >= 4:
        a = 0.0
        for i in range(g._g.GetGeometryCount()):
            a += _area_one(Geometry(g._g.GetGeometryRef(i)))
        return a
    return 0.0


def area(x):
    return _vec(_area_one, x, float, np.nan)


_NAN4 = (np.nan, np.nan, np.nan, np.nan)


def _bounds_one(g: Geometry):
    """GEOS's envelope: of a polygon, its shell only (a hole outside the shell is not in it)."""
    o = g._g
    if o.IsEmpty():
        return _NAN4
    if g._tid == 3:
        x0, x1, y0, y1 = o.GetGeometryRef(0).GetEnvelope()
        return (x0, y0, x1, y1)
    if g._tid >= 4:
        parts = [b for b in (_bounds_one(Geometry(o.GetGeometryRef(i))) for i in range(o.GetGeometryCount()))
                 if b is not _NAN4]
        if not parts:
            return _NAN4
        return (min(b[0] for b in parts), min(b[1] for b in parts), max(b[2] for b in parts),
                max(b[3] for b in parts))
    x0, x1, y0, y1 = o.GetEnvelope()
    return (x0, y0, x1, y1)


def bounds(x):
    if x is None:
        return np.array(_NAN4)
    if isinstance(x, Geometry):
        return np.array(_bounds_one(x), dtype=float)
    arr = np.asarray(x, dtype=object)
    out = np.full(arr.shape + (4,), np.nan)
    flat = out.reshape(-1, 4)
    for i, g in enumerate(arr.ravel()):
        if g is not None:
            flat[i] = _bounds_one(g)
    return out


def total_bounds(x):
    b = bounds(x).reshape(-1, 4)
    if len(b) == 0 or np.isnan(b).all():
        return np.array(_NAN4)
    with np.errstate(invalid="ignore"):
        return np.array([np.nanmin(b[:, 0]), np.nanmin(b[:, 1]), np.nanmax(b[:, 2]), np.nanmax(b[:, 3])])


def _num_coords_one(g: Geometry) -> int:
    o = g._g
    if g._tid in (0,):
        return 0 if o.IsEmpty() else 1
    if g._tid in (1, 2):
        return o.GetPointCount()
    return sum(_num_coords_one(Geometry(o.GetGeometryRef(i))) for i in range(o.GetGeometryCount()))


def get_num_coordinates(x):
    return _vec(_num_coords_one, x, np.int64, 0)


def get_coordinates(x, include_z: bool = False, return_index: bool = False):
    single = x is None or isinstance(x, Geometry)
    arr = np.asarray([x] if single else x, dtype=object).ravel()
    xy: List[Tuple[float, float]] = []
    idx: List[int] = []
    for k, g in enumerate(arr):
        if g is None:
            continue
        for seq in _rings(g):
            pts = _points(seq)
            xy.extend(pts)
            idx.extend([k] * len(pts))
    coords = np.array(xy, dtype=float).reshape(-1, 2)
    if return_index:
        return coords, np.array(idx, dtype=np.int64)
    return coords


def get_parts(x, return_index: bool = False):
    """Parts of multi-part geometries (a single geometry is its own part)."""
    arr = np.asarray([x] if isinstance(x, Geometry) or x is None else x, dtype=object).ravel()
    out: List[Geometry] = []
    idx: List[int] = []
    for k, g in enumerate(arr):
        if g is None:
            continue
        parts = _parts(g) if g._tid >= 4 else [g]
        out.extend(parts)
        idx.extend([k] * len(parts))
    res = np.empty(len(out), dtype=object)
    res[:] = out
    return (res, np.array(idx, dtype=np.int64)) if return_index else res


def get_rings(x, return_index: bool = False):
    """Exterior and interior rings of polygons (other geometries have none)."""
    arr = np.asarray([x] if isinstance(x, Geometry) or x is None else x, dtype=object).ravel()
    out: List[Geometry] = []
    idx: List[int] = []
    for k, g in enumerate(arr):
        if g is None or g._tid != 3:
            continue
        for i in range(g._g.GetGeometryCount()):
            r = g._g.GetGeometryRef(i)
            if r.IsEmpty():
                continue
            out.append(Geometry(r.Clone()))
            idx.append(k)
    res = np.empty(len(out), dtype=object)
    res[:] = out
    return (res, np.array(idx, dtype=np.int64)) if return_index else res


# -------------------------------------------------------------------------------- operations
def _map_coords(g: Geometry, func: Callable[[List[Tuple[float, float]]], List[Tuple[float, float]]]
                ) -> Geometry:
    """A new 2D geometry like g with every point sequence replaced by func(points)."""
    def build(o, ring=False):
        t = ogr.wkbLinearRing if ring else ogr.GT_Flatten(o.GetGeometryType())
        new = ogr.Geometry(t)
        if t in (ogr.wkbPoint, ogr.wkbLineString, ogr.wkbLinearRing):
            if not o.IsEmpty():
                for px, py in func([(p[0], p[1]) for p in o.GetPoints()]):
                    new.AddPoint_2D(px, py)
            return new
        for i in range(o.GetGeometryCount()):
            new.AddGeometry(build(o.GetGeometryRef(i), t == ogr.wkbPolygon))
        return new
    return Geometry(build(g._g, g._tid == 2))


def force_2d(x):
    def one(g):
        o = g._g.Clone()
        o.FlattenTo2D()
        return Geometry(o)
    return _vec(one, x, object, None)


def _remove_repeated_one(g: Geometry, tolerance: float) -> Geometry:
    def dedupe(pts):
        out = pts[:1]
        for p in pts[1:]:
            q = out[-1]
            if tolerance > 0 and math.hypot(p[0] - q[0], p[1] - q[1]) <= tolerance:
                continue
            if p[0] == q[0] and p[1] == q[1]:
                continue
            out.append(p)
        return out
    rings = _rings(g)
    for seq in rings:                       # GEOS refuses a ring that collapses below 3 points
        if g._tid in (2, 3, 6, 7) and seq.GetGeometryName() == "LINEARRING":
            n = len(dedupe(_points(seq)))
            if 0 < n < 3:
                raise GEOSException(f"IllegalArgumentException: Invalid number of points in LinearRing found {n}"
                                    " - must be 0 or >= 3")
    return _map_coords(g, dedupe)


def remove_repeated_points(x, tolerance: float = 0.0):
    return _vec(lambda g: _remove_repeated_one(g, tolerance), x, object, None)


def make_valid(x, **_kw):
    return _vec(lambda g: _op1(g, lambda o: o.MakeValid()), x, object, None)


def simplify(x, tolerance: float, preserve_topology: bool = True):
    if preserve_topology:
        return _vec(lambda g: _op1(g, lambda o: o.SimplifyPreserveTopology(tolerance)), x, object, None)
    return _vec(lambda g: _op1(g, lambda o: o.Simplify(tolerance)), x, object, None)


def point_on_surface(x):
    def one(g):
        if g._g.IsEmpty():
            return Geometry(ogr.Geometry(ogr.wkbPoint))
        return _op1(g, lambda o: o.PointOnSurface())
    return _vec(one, x, object, None)


def convex_hull(x):
    return _vec(lambda g: _op1(g, lambda o: o.ConvexHull()), x, object, None)


def intersection(a, b, **_kw):
    return _vec2(lambda p, q: _op1(p, lambda o: o.Intersection(q._g)), a, b, object, None)


def _intersects_one(p: Geometry, q: Geometry) -> bool:
    with _Quiet():
        try:
            return bool(p._g.Intersects(q._g))
        except RuntimeError:
            return False


def intersects(a, b):
    return _vec2(_intersects_one, a, b, bool, False)


def _equals_one(p: Geometry, q: Geometry) -> bool:
    """Topological equality (GEOS equals: T*F**FFF*), which is 'within' both ways; OGR's own
    Equals compares the vertices."""
    pe, qe = p._g.IsEmpty(), q._g.IsEmpty()
    if pe or qe:
        return bool(pe and qe)
    with _Quiet():
        try:
            return bool(p._g.Within(q._g) and q._g.Within(p._g))
        except RuntimeError:
            return False


def equals(a, b):
    return _vec2(_equals_one, a, b, bool, False)


def _equals_exact_one(p: Geometry, q: Geometry, tolerance: float) -> bool:
    if p._tid != q._tid:
        return False
    if tolerance == 0:
        return bool(p._g.Equals(q._g))
    rp, rq = _rings(p), _rings(q)
    if len(rp) != len(rq):
        return False
    for s, t in zip(rp, rq):
        a, b = _points(s), _points(t)
        if len(a) != len(b):
            return False
        if any(abs(u[0] - v[0]) > tolerance or abs(u[1] - v[1]) > tolerance for u, v in zip(a, b)):
            return False
    return True


def equals_exact(a, b, tolerance: float = 0.0):
    return _vec2(lambda p, q: _equals_exact_one(p, q, tolerance), a, b, bool, False)


def transform(x, transformation: Callable[[np.ndarray], np.ndarray], include_z: bool = False):
    """Like shapely.transform: one call of `transformation` with the (n, 2) coordinates of all
    geometries, written back in order."""
    single = isinstance(x, Geometry)
    arr = np.asarray([x] if single else x, dtype=object)
    coords = get_coordinates(arr)
    new = np.asarray(transformation(coords), dtype=float).reshape(-1, 2)
    if len(new) != len(coords):
        raise ValueError("the transformation changed the number of coordinates")
    pos = [0]

    def take(pts):
        k = pos[0]
        pos[0] += len(pts)
        return [(float(a), float(b)) for a, b in new[k:k + len(pts)]]
    out = np.empty(arr.shape, dtype=object)
    for i, g in enumerate(arr.ravel()):
        out.ravel()[i] = None if g is None else _map_coords(g, take)
    return out[0] if single else out


def _translate(g: Geometry, xoff: float = 0.0, yoff: float = 0.0, zoff: float = 0.0) -> Geometry:
    return _map_coords(g, lambda pts: [(px + xoff, py + yoff) for px, py in pts])


affinity = SimpleNamespace(translate=_translate)


# -------------------------------------------------------------------------------- STRtree
class STRtree:
    """Bounding boxes sorted by their west edge; a query looks only at the boxes whose west edge
    lies within reach (boxes wider than most are checked against every query), then applies the
    predicate with GEOS. Returns what shapely 2's STRtree.query returns."""

    def __init__(self, geoms: Sequence, node_capacity: int = 10):
        self.geometries = np.asarray(geoms, dtype=object)
        b = bounds(self.geometries).reshape(-1, 4)
        ok = ~np.isnan(b).any(axis=1)
        idx = np.nonzero(ok)[0]
        w = b[idx, 2] - b[idx, 0]
        limit = np.percentile(w, 99) * 2 if len(w) else 0.0
        wide = w > limit
        self._wide = idx[wide]
        narrow = idx[~wide]
        order = np.argsort(b[narrow, 0], kind="stable")
        self._idx = narrow[order]
        self._minx = b[self._idx, 0]
        self._reach = float(w[~wide].max()) if (~wide).any() else 0.0
        self._b = b

    def __len__(self) -> int:
        return len(self.geometries)

    def _candidates(self, qb: np.ndarray) -> np.ndarray:
        if np.isnan(qb).any():
            return np.empty(0, dtype=np.int64)
        lo = np.searchsorted(self._minx, qb[0] - self._reach, side="left")
        hi = np.searchsorted(self._minx, qb[2], side="right")
        cand = np.concatenate([self._idx[lo:hi], self._wide])
        tb = self._b[cand]
        hit = (tb[:, 0] <= qb[2]) & (tb[:, 2] >= qb[0]) & (tb[:, 1] <= qb[3]) & (tb[:, 3] >= qb[1])
        return np.sort(cand[hit])

    def _query_one(self, g, predicate: Optional[str]) -> np.ndarray:
        if g is None:
            return np.empty(0, dtype=np.int64)
        cand = self._candidates(np.asarray(_bounds_one(g)))
        if predicate is None or len(cand) == 0:
            return cand
        if predicate != "intersects":
            raise ValueError(f"predicate {predicate!r} is not supported by the OGR back end")
        keep = np.fromiter((_intersects_one(g, self.geometries[t]) for t in cand), dtype=bool, count=len(cand))
        return cand[keep]

    def query(self, geometry, predicate: Optional[str] = None, distance=None):
        if geometry is None or isinstance(geometry, Geometry):
            return self._query_one(geometry, predicate)
        arr = np.asarray(geometry, dtype=object).ravel()
        qi: List[np.ndarray] = []
        ti: List[np.ndarray] = []
        for k, g in enumerate(arr):
            t = self._query_one(g, predicate)
            if len(t):
                qi.append(np.full(len(t), k, dtype=np.int64))
                ti.append(t)
        if not qi:
            return np.empty((2, 0), dtype=np.int64)
        return np.stack([np.concatenate(qi), np.concatenate(ti)])


# ------------------------------------------------------- added for the comparison, the province files, PostGIS
def centroid(x):
    return _vec(lambda g: g.centroid, x, object, None)


def distance(a, b):
    def one(p: Geometry, q: Geometry) -> float:
        if p._g.IsEmpty() or q._g.IsEmpty():
            return float("nan")
        return float(p._g.Distance(q._g))
    return _vec2(one, a, b, float, float("nan"))


def get_num_geometries(x):
    def one(g: Geometry) -> int:
        if g._g.IsEmpty():
            return 0
        return g._g.GetGeometryCount() if g._tid in (4, 5, 6, 7) else 1
    return _vec(one, x, np.int64, 0)


def _segments(g: Geometry) -> np.ndarray:
    """The segments of a geometry's rings and lines, (n, 4): x0, y0, x1, y1."""
    out = []
    for seq in _rings(g):
        pts = np.asarray(_points(seq), dtype=float).reshape(-1, 2)
        if len(pts) >= 2:
            out.append(np.hstack([pts[:-1], pts[1:]]))
        elif len(pts) == 1:
            out.append(np.hstack([pts, pts]))
    return np.vstack(out) if out else np.empty((0, 4))


def _max_vertex_to_segments(pts: np.ndarray, seg: np.ndarray) -> float:
    """max over the points of their distance to the nearest segment."""
    best = 0.0
    a, b = seg[:, :2], seg[:, 2:]
    d = b - a
    dd = np.einsum("ij,ij->i", d, d)
    dd[dd == 0] = 1.0
    for k in range(0, len(pts), 256):
        p = pts[k:k + 256, None, :]                       # (m, 1, 2)
        t = np.clip(np.einsum("mij,ij->mi", p - a[None], d) / dd, 0.0, 1.0)
        c = a[None] + t[..., None] * d[None]
        dist = np.sqrt(((p - c) ** 2).sum(-1)).min(axis=1)
        best = max(best, float(dist.max()))
    return best


def hausdorff_distance(a, b, densify=None):
    """GEOS's discrete Hausdorff distance: the farthest vertex of one from the lines of the other
    (rings of a polygon as lines, as GEOS's DistanceToPoint does), both ways."""
    def one(p: Geometry, q: Geometry) -> float:
        if p._g.IsEmpty() or q._g.IsEmpty():
            return float("nan")
        sp, sq = _segments(p), _segments(q)
        vp, vq = sp[:, :2], sq[:, :2]
        vp = np.vstack([vp, sp[-1:, 2:]]) if len(sp) else vp
        vq = np.vstack([vq, sq[-1:, 2:]]) if len(sq) else vq
        return max(_max_vertex_to_segments(vp, sq), _max_vertex_to_segments(vq, sp))
    return _vec2(one, a, b, float, float("nan"))


def multipolygons(geometries):
    """One MultiPolygon of the polygons given (as shapely.multipolygons for a flat list)."""
    if isinstance(geometries, Geometry):
        geometries = [geometries]
    return MultiPolygon([g for g in geometries if g is not None])


def set_srid(x, srid: int):
    return _vec(lambda g: Geometry(g._g.Clone(), int(srid)), x, object, None)


def points(x, y=None):
    """Points from x and y (scalars or arrays), as shapely.points(x, y)."""
    def one(a: float, b: float) -> Geometry:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(float(a), float(b))
        return Geometry(p)
    if y is None:
        xy = np.asarray(x, dtype=float)
        if xy.ndim == 1:
            return one(xy[0], xy[1])
        out = np.empty(len(xy), dtype=object)
        for i, (a, b) in enumerate(xy[:, :2]):
            out[i] = one(a, b)
        return out
    if np.ndim(x) == 0 and np.ndim(y) == 0:
        return one(x, y)
    xa, ya = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    out = np.empty(xa.shape, dtype=object)
    res = out.ravel()
    for i, (a, b) in enumerate(zip(xa.ravel(), ya.ravel())):
        res[i] = one(a, b)
    return out
