"""Geometry checks G01–G07 and the overlap check C03, vectorised with shapely 2."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ..common import threads, timing
from ..common.geo import shapely
from ..common.threads import parallel
from ..i18n import QT_TRANSLATE_NOOP, translated

GeometryType = shapely.GeometryType

_POLY = (int(GeometryType.POLYGON), int(GeometryType.MULTIPOLYGON))
_REASON_XY = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)")

# geometry type names by shapely type id, and GEOS's reasons: English source strings with their
# Dutch in the .ts (context "Geometry"), like every user text
TYPE_NAMES = {0: QT_TRANSLATE_NOOP("Geometry", "point"), 1: QT_TRANSLATE_NOOP("Geometry", "line"),
              2: QT_TRANSLATE_NOOP("Geometry", "linear ring"), 3: QT_TRANSLATE_NOOP("Geometry", "polygon"),
              4: QT_TRANSLATE_NOOP("Geometry", "multipoint"), 5: QT_TRANSLATE_NOOP("Geometry", "multiline"),
              6: QT_TRANSLATE_NOOP("Geometry", "multipolygon"),
              7: QT_TRANSLATE_NOOP("Geometry", "geometry collection")}

REASONS = (QT_TRANSLATE_NOOP("Geometry", "Self-intersection"),
           QT_TRANSLATE_NOOP("Geometry", "Ring Self-intersection"),
           QT_TRANSLATE_NOOP("Geometry", "Too few points in geometry component"),
           QT_TRANSLATE_NOOP("Geometry", "Interior is disconnected"),
           QT_TRANSLATE_NOOP("Geometry", "Hole lies outside shell"),
           QT_TRANSLATE_NOOP("Geometry", "Nested holes"),
           QT_TRANSLATE_NOOP("Geometry", "Holes are nested"),         # GEOS >= 3.10's wording
           QT_TRANSLATE_NOOP("Geometry", "Nested shells"),
           QT_TRANSLATE_NOOP("Geometry", "Invalid Coordinate"),
           QT_TRANSLATE_NOOP("Geometry", "Ring is not closed"),
           QT_TRANSLATE_NOOP("Geometry", "Duplicate Rings"))


def type_name(type_id: int, lang: str) -> str:
    """A geometry type in the user's language ('?' for an unknown id)."""
    return translated(TYPE_NAMES[type_id], lang, "Geometry") if type_id in TYPE_NAMES else "?"


@dataclass
class GeomInfo:
    """Per-row geometry facts, computed once and shared by the checks."""
    missing: np.ndarray          # G01
    type_id: np.ndarray          # shapely type id, -1 when missing
    polygonal: np.ndarray        # Polygon / MultiPolygon and not missing
    valid: np.ndarray            # GEOS validity (False where not polygonal)
    area: np.ndarray
    bounds: np.ndarray           # (n, 4)
    # rows whose area is the even-odd area of their rings (`parity_area`), within ROUGH of the
    # area of their repair; None: none. `settle` repairs them when a rule's outcome depends on it.
    rough: Optional[np.ndarray] = None

    def bounds_of_area(self, rows: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """(low, high): the area of `rows` lies between them (equal where it is exact)."""
        area = self.area[rows]
        if self.rough is None:
            return area, area
        margin = np.where(self.rough[rows], ROUGH_RELATIVE * np.abs(area) + ROUGH_ABSOLUTE, 0.0)
        return area - margin, area + margin

    def settle(self, geoms: np.ndarray, rows: np.ndarray) -> None:
        """Give `rows` the area of their repair (make_valid) where it was only bounded."""
        if self.rough is None:
            return
        rows = np.asarray(rows, dtype=np.int64)
        rows = rows[self.rough[rows]]
        if len(rows):
            self.area[rows] = repaired_area(geoms[rows])
            self.rough[rows] = False


def geom_info(geoms: np.ndarray, validity: Optional[Callable[[], np.ndarray]] = None) -> GeomInfo:
    """The geometry facts of `geoms`. `validity`: gives `shapely.is_valid(geoms)`, worked out
    already (storage.ogr's `_EarlyValidity`, beside the parsing)."""
    n = len(geoms)
    present = np.fromiter((g is not None for g in geoms), dtype=bool, count=n)
    arr = geoms.copy()
    arr[~present] = None
    with np.errstate(invalid="ignore"):
        empty = np.zeros(n, dtype=bool)
        empty[present] = shapely.is_empty(arr[present])
        missing = ~present | empty
        type_id = np.full(n, -1, dtype=np.int64)
        type_id[~missing] = shapely.get_type_id(arr[~missing])
        polygonal = (type_id == _POLY[0]) | (type_id == _POLY[1])
        checked = validity() if validity is not None else None
        valid = np.zeros(n, dtype=bool)
        valid[polygonal] = checked[polygonal] if checked is not None else parallel(shapely.is_valid, arr[polygonal])
        area = np.zeros(n)
        area[polygonal] = parallel(shapely.area, arr[polygonal])
        # an invalid polygon's signed parts can cancel out (a bow-tie reads 0 m²): use the repaired area
        # (that area decides G04/G07 only far from their thresholds: the even-odd area of the rings
        # stands in for it where it is certain to be the same, and `settle` repairs the rest later)
        bad = np.nonzero(polygonal & ~valid)[0]
        rough = None
        if len(bad):
            with timing.stage("validity: repair (make_valid)"):
                parity = parity_areas(arr[bad])
                known = ~np.isnan(parity)
                area[bad[known]] = parity[known]
                rough = np.zeros(n, dtype=bool)
                rough[bad[known]] = True
                if (~known).any():
                    area[bad[~known]] = repaired_area(arr[bad[~known]])
        bounds = np.full((n, 4), np.nan)
        if (~missing).any():
            bounds[~missing] = shapely.bounds(arr[~missing])
    return GeomInfo(missing, type_id, polygonal, valid, area, bounds, rough)


def repaired_area(geoms: np.ndarray) -> np.ndarray:
    """The area of invalid polygons once repaired (make_valid): an invalid polygon's signed parts
    can cancel out (a bow-tie reads 0 m²). Repairing costs ~1-2 ms a plan: in threads."""
    try:
        return parallel(lambda g: shapely.area(shapely.make_valid(g)), geoms, min_size=64)
    except shapely.errors.GEOSException:      # NaN/Inf coordinates (G03 says so): one by one
        out = np.zeros(len(geoms))
        for i, g in enumerate(geoms):
            try:
                out[i] = shapely.area(shapely.make_valid(g))
            except shapely.errors.GEOSException:
                pass
        return out


# how far the even-odd area of the rings may lie from the area GEOS gives their repair (both round
# off differently: measured within 1e-12 of the area; the margin is a million times wider)
ROUGH_RELATIVE = 1e-6
ROUGH_ABSOLUTE = 1e-3            # m²


def _orient(o: np.ndarray, d: np.ndarray, x: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """The orientation determinant of (o, d, x) per row, and whether it is too close to 0 for its
    sign to be certain in floating point."""
    dx, dy = d[:, 0] - o[:, 0], d[:, 1] - o[:, 1]
    wx, wy = x[:, 0] - o[:, 0], x[:, 1] - o[:, 1]
    det = dx * wy - dy * wx
    tol = 1e-8 * (np.abs(dx * wy) + np.abs(dy * wx)) + 1e-9 * (np.abs(dx) + np.abs(dy) + np.abs(wx) + np.abs(wy))
    return det, np.abs(det) <= tol


def _pairs_within(group: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """(i, j), i < j, of the items of the same group whose boxes (lo, hi) meet: a sweep along x."""
    n = len(group)
    if n < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    gmin = np.full(group.max() + 1, np.inf)
    gmax = np.full(group.max() + 1, -np.inf)
    np.minimum.at(gmin, group, lo[:, 0])
    np.maximum.at(gmax, group, hi[:, 0])
    span = (gmax - gmin)[group] + 1.0

    def key(x):      # within [group, group + 0.5]; monotone in x (rounding never reverses an order)
        return group + 0.5 * ((x - gmin[group]) / span)
    start = key(lo[:, 0])
    order = np.lexsort((start, group))
    sorted_start = start[order]
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    end = np.searchsorted(sorted_start, key(hi[:, 0]), side="right")    # past the last that may meet
    count = np.maximum(end - pos - 1, 0)
    i = np.repeat(np.arange(n), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    j = order[np.repeat(pos + 1, count) + offset]
    meet = ((group[i] == group[j]) & (lo[i, 0] <= hi[j, 0]) & (lo[j, 0] <= hi[i, 0])
            & (lo[i, 1] <= hi[j, 1]) & (lo[j, 1] <= hi[i, 1]))
    i, j = i[meet], j[meet]
    return np.minimum(i, j), np.maximum(i, j)


def parity_area(g) -> Optional[float]:
    """parity_areas of one geometry (None where that gives NaN)."""
    got = float(parity_areas(np.array([g], dtype=object))[0])
    return None if got != got else got


def parity_areas(geoms, max_segments: int = 2000) -> np.ndarray:
    """Per polygon (or multipolygon) the area of the even-odd fill of all its rings (shells and
    holes alike: a point is inside when a ray from it crosses the rings an odd number of times),
    or NaN when its rings are not in the plain case: they meet only in proper crossings of two
    segments, each crossing at a point of its own, and no vertex lies on (or within rounding of)
    another segment's line.

    In the plain case this is the area of GEOS's repair (`make_valid`, linework method: the noded
    rings, areas built from them and symmetric differences): the same point set, up to rounding
    (tests/test_rules_properties.py compares the two). All polygons at once, ~0.25 ms each against
    ~2 ms for the repair. The boundary is walked ring by ring with the crossings inserted: at every
    crossing the even-odd area changes side, and the pieces with it on their left add their
    shoelace term, the others subtract it. Per ring, its lexicographically smallest vertex starts
    the count: the outer side of its two segments there lies outside the ring, where the parity is
    that of the geometry's other rings (a ray towards -x)."""
    geoms = np.asarray(geoms, dtype=object)
    ng = len(geoms)
    out = np.full(ng, np.nan)
    if ng == 0:
        return out
    parts, part_geom = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    if len(rings) == 0:
        return out
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return out
    ring_geom = part_geom[ring_part]
    cgeom = ring_geom[ring]
    bad = np.zeros(ng, dtype=bool)
    bad[np.unique(cgeom[~np.isfinite(coords).all(axis=1)])] = True
    first = np.r_[0, np.nonzero(cgeom[1:] != cgeom[:-1])[0] + 1]
    # small numbers (each geometry from its first vertex): the shoelace terms keep their digits
    coords = coords - np.repeat(coords[first], np.diff(np.r_[first, len(coords)]), axis=0)
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = ~((ring[1:] == ring[:-1]) & (coords[1:] == coords[:-1]).all(axis=1))
    coords, ring = coords[keep], ring[keep]
    seg = ring[1:] == ring[:-1]
    a, b, r = coords[:-1][seg], coords[1:][seg], ring[:-1][seg]
    n = len(a)
    sg = ring_geom[r]                                  # geometry of each segment
    has = np.zeros(ng, dtype=bool)
    has[sg] = True
    counts = np.bincount(sg, minlength=ng)
    bad |= ~has | (counts < 3) | (counts > max_segments)
    if n == 0:
        return out
    starts = np.r_[0, np.nonzero(r[1:] != r[:-1])[0] + 1]
    runs = np.diff(np.r_[starts, n])
    bad[sg[starts[(runs < 3) | (b[starts + runs - 1] != a[starts]).any(axis=1)]]] = True
    k = np.arange(n) - np.repeat(starts, runs)
    m = np.repeat(runs, runs)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    i, j = _pairs_within(sg, lo, hi)
    gap = j - i
    adjacent = (r[i] == r[j]) & ((gap == 1) | (gap == m[i] - 1))
    # neighbours share a vertex and meet nowhere else, unless the second folds back along the first
    s, t = i[adjacent], j[adjacent]
    f, sec = np.where(gap[adjacent] == 1, s, t), np.where(gap[adjacent] == 1, t, s)
    _, flat = _orient(a[f], b[f], b[sec])
    bad[sg[f[flat & (((b[f] - a[f]) * (b[sec] - a[sec])).sum(axis=1) <= 0)]]] = True
    s, t = i[~adjacent], j[~adjacent]
    p, p2, q, q2 = a[s], b[s], a[t], b[t]
    o1, f1 = _orient(p, p2, q)
    o2, f2 = _orient(p, p2, q2)
    o3, f3 = _orient(q, q2, p)
    o4, f4 = _orient(q, q2, p2)
    bad[sg[s[f1 | f2 | f3 | f4]]] = True             # a vertex on (or next to) another segment's line
    cross = ((o1 > 0) != (o2 > 0)) & ((o3 > 0) != (o4 > 0))
    s, t = s[cross], t[cross]
    d1, d2, w = p2[cross] - p[cross], q2[cross] - q[cross], q[cross] - p[cross]
    den = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
    u = (w[:, 0] * d2[:, 1] - w[:, 1] * d2[:, 0]) / den
    v = (w[:, 0] * d1[:, 1] - w[:, 1] * d1[:, 0]) / den
    points = a[s] + u[:, None] * d1
    # crossings at (almost) one point
    if len(s) > 1:
        cg = sg[s]
        order = np.argsort(cg, kind="stable")
        cg, pts = cg[order], points[order]
        size = np.zeros(ng)
        np.maximum.at(size, sg, np.max(hi - lo, axis=1))
        cstarts = np.r_[0, np.nonzero(cg[1:] != cg[:-1])[0] + 1]
        csz = np.diff(np.r_[cstarts, len(cg)])
        rep = np.repeat(cstarts, csz * csz)
        within = np.arange(int((csz * csz).sum())) - np.repeat(np.cumsum(csz * csz) - csz * csz, csz * csz)
        cs = np.repeat(csz, csz * csz)
        pi, pj = rep + within // cs, rep + within % cs
        keep_p = pi < pj
        pi, pj = pi[keep_p], pj[keep_p]
        close = np.abs(pts[pi] - pts[pj]).max(axis=1) <= 1e-7 * (size[cg[pi]] + 1.0)
        bad[cg[pi[close]]] = True
    # the boundary ring by ring, vertices and crossings in order along it
    ev_seg = np.concatenate([np.arange(n), s, t])
    ev_at = np.concatenate([np.zeros(n), u, v])
    ev_xy = np.concatenate([a, points, points])
    ev_cross = np.concatenate([np.zeros(n, dtype=np.int64), np.ones(2 * len(s), dtype=np.int64)])
    order = np.lexsort((ev_at, ev_seg))
    ev_seg, ev_xy, ev_cross = ev_seg[order], ev_xy[order], ev_cross[order]
    ev_ring = r[ev_seg]
    rstart = np.r_[0, np.nonzero(ev_ring[1:] != ev_ring[:-1])[0] + 1]
    last = np.r_[rstart[1:] - 1, len(ev_seg) - 1]
    following = np.arange(1, len(ev_seg) + 1)
    following[last] = rstart
    passed = np.cumsum(ev_cross)
    per_ring = np.add.reduceat(ev_cross, rstart)     # (closed rings cross an even number of times)
    bad[sg[ev_seg[rstart[per_ring % 2 == 1]]]] = True
    # per ring its lexicographically smallest vertex
    by_xy = np.lexsort((a[:, 1], a[:, 0], r))
    vmin = by_xy[np.r_[0, np.nonzero(r[by_xy][1:] != r[by_xy][:-1])[0] + 1]]
    before = np.where(k[vmin] == 0, vmin + m[vmin] - 1, vmin - 1)
    turn, flat = _orient(a[before], a[vmin], b[vmin])
    bad[sg[vmin[flat]]] = True
    ring_ids = r[vmin]                                   # ring id of each vmin (ascending)
    outside = np.zeros(len(vmin), dtype=np.int64)
    nrings = np.bincount(sg[vmin], minlength=ng)
    for q_ in np.nonzero(nrings[sg[vmin]] > 1)[0]:
        gq = sg[vmin[q_]]
        if bad[gq]:
            continue
        x0, y0 = a[vmin[q_]]
        other = (sg == gq) & (r != ring_ids[q_])
        ya, yb = a[other, 1] - y0, b[other, 1] - y0
        if (np.abs(ya) <= 1e-9 * (np.abs(ya).max() + 1.0)).any():
            bad[gq] = True
            continue
        hit = (ya > 0) != (yb > 0)
        xa, xb = a[other][hit, 0], b[other][hit, 0]
        xc = xa + (xb - xa) * (ya[hit] / (ya[hit] - yb[hit]))
        if len(xc) and (np.abs(xc - x0) <= 1e-9 * (np.abs(xc).max() + 1.0)).any():
            bad[gq] = True
            continue
        outside[q_] = int((xc < x0).sum() % 2)
    left_at_min = np.where(turn > 0, 1 - outside, outside)
    vertex = np.nonzero(ev_cross == 0)[0]
    at_min = vertex[np.searchsorted(ev_seg[vertex], vmin)]
    ring_pos = np.searchsorted(ring_ids, ev_ring)        # each event's ring among the vmin rings
    left = (left_at_min[ring_pos] + passed - passed[at_min][ring_pos]) % 2
    p0, p1 = ev_xy, ev_xy[following]
    term = np.where(left == 1, 1.0, -1.0) * (p0[:, 0] * p1[:, 1] - p1[:, 0] * p0[:, 1])
    area = 0.5 * np.bincount(sg[ev_seg], weights=term, minlength=ng)
    ok = ~bad
    out[ok] = area[ok]
    return out


def invalid_reason(g) -> Tuple[str, Optional[float], Optional[float]]:
    """GEOS's reason (its text) and a location. For a self-intersection the location is our own
    choice (`crossing_point`): of a polygon's several crossings GEOS names the first its index
    meets, and that differs between GEOS versions (3.11 under GDAL, 3.14 in the shapely 2 wheel)."""
    reason = shapely.is_valid_reason(g) or ""
    m = _REASON_XY.search(reason)
    x = y = None
    if m:
        x, y = float(m.group(1)), float(m.group(2))
    text = reason.split("[")[0].strip()
    if text in ("Self-intersection", "Ring Self-intersection"):
        point = crossing_point(g, ring_touch=text == "Ring Self-intersection")
        if point is not None:        # none found (a case we do not model): GEOS's own location
            x, y = point
    return text, x, y


def crossing_point(g, ring_touch: bool = False) -> Optional[Tuple[float, float]]:
    """The lexicographically smallest (x, y) of a polygon's self-intersections, as GEOS's validity
    check counts them, computed with numpy on the ring coordinates (the same in both back ends,
    whatever GEOS version): for "Self-intersection" the proper crossings of two segments and the
    ends of collinear overlaps (any rings of any part); for "Ring Self-intersection" (`ring_touch`)
    a vertex of a ring touching another, non-adjacent segment of the same ring. Repeated vertices
    are dropped first, as GEOS does. None when there is none of these."""
    rings = shapely.get_rings(shapely.get_parts(g))
    if len(rings) == 0:
        return None
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = ~((ring[1:] == ring[:-1]) & (coords[1:] == coords[:-1]).all(axis=1))
    coords, ring = coords[keep], ring[keep]
    seg = ring[1:] == ring[:-1]
    a, b, r = coords[:-1][seg], coords[1:][seg], ring[:-1][seg]
    n = len(a)
    if n < 2 or not np.isfinite(coords).all():
        return None
    starts = np.r_[0, np.nonzero(r[1:] != r[:-1])[0] + 1]
    runs = np.diff(np.r_[starts, n])
    k = np.arange(n) - np.repeat(starts, runs)            # segment's index in its ring
    m = np.repeat(runs, runs)                             # segments in its ring
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    order = np.argsort(lo[:, 0], kind="stable")
    block = max(1, 2_000_000 // n)
    best: Optional[Tuple[float, float]] = None
    for s in range(0, n, block):
        i = order[s:s + block]
        if best is not None and lo[i[0], 0] > best[0]:
            break                          # a crossing's x is at least both segments' smallest x
        j = order[:s + block]
        pi, pj = np.arange(s, s + len(i))[:, None], np.arange(s + len(i))[None, :]
        near = ((pj < pi) & (lo[i, None, 0] <= hi[None, j, 0]) & (lo[None, j, 0] <= hi[i, None, 0])
                & (lo[i, None, 1] <= hi[None, j, 1]) & (lo[None, j, 1] <= hi[i, None, 1]))
        u, v = np.nonzero(near)
        points = _pair_points(a, b, r, k, m, i[u], j[v], ring_touch)
        if len(points):
            first = points[np.lexsort((points[:, 1], points[:, 0]))[0]]
            if best is None or (first[0], first[1]) < best:
                best = (float(first[0]), float(first[1]))
    return best


def _pair_points(a, b, r, k, m, s, t, ring_touch: bool) -> np.ndarray:
    """The intersection points GEOS calls invalid between segments s[i] and t[i] (see crossing_point)."""
    out = []
    if len(s) == 0:
        return np.empty((0, 2))
    p, p2, q, q2 = a[s], b[s], a[t], b[t]

    def orient(o, d, x):
        return np.sign((d[:, 0] - o[:, 0]) * (x[:, 1] - o[:, 1]) - (d[:, 1] - o[:, 1]) * (x[:, 0] - o[:, 0]))

    def on(x, o, d):                     # x (collinear with o-d) within the segment o-d
        return ((np.minimum(o, d) <= x) & (x <= np.maximum(o, d))).all(axis=1)
    o1, o2, o3, o4 = orient(p, p2, q), orient(p, p2, q2), orient(q, q2, p), orient(q, q2, p2)
    if not ring_touch:
        proper = (o1 * o2 < 0) & (o3 * o4 < 0)
        if proper.any():
            d1, d2, w = p2[proper] - p[proper], q2[proper] - q[proper], q[proper] - p[proper]
            den = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
            tt = (w[:, 0] * d2[:, 1] - w[:, 1] * d2[:, 0]) / den
            out.append(p[proper] + tt[:, None] * d1)
        for c in np.nonzero((o1 == 0) & (o2 == 0) & (o3 == 0) & (o4 == 0))[0]:
            ends = [e[c] for e, o, d in ((p, q, q2), (p2, q, q2), (q, p, p2), (q2, p, p2))
                    if on(e[c][None], o[c][None], d[c][None])[0]]
            if len({tuple(e) for e in ends}) >= 2:         # an overlap, not just a shared end
                out.append(np.array(ends))
        return np.concatenate(out) if out else np.empty((0, 2))
    same = r[s] == r[t]
    gap = np.abs(k[s] - k[t])
    adjacent = (gap == 1) | (gap == m[s] - 1)
    single = same & ~adjacent & ~((o1 == 0) & (o2 == 0) & (o3 == 0) & (o4 == 0))
    for e, o, d, side in ((p, q, q2, o3), (p2, q, q2, o4), (q, p, p2, o1), (q2, p, p2, o2)):
        hit = single & (side == 0) & on(e, o, d)
        if hit.any():
            out.append(e[hit])
    return np.concatenate(out) if out else np.empty((0, 2))


def reason_text(reason: str, lang: str) -> str:
    """GEOS's reason in the user's language (GEOS's own words for a reason we do not know)."""
    return translated(reason, lang, "Geometry")


def repeated_vertices(geoms: np.ndarray, rows: np.ndarray) -> Dict[int, Tuple[int, float, float]]:
    """For the given rows (polygonal geometries), {row: (count, x, y)} of repeated consecutive
    vertices. The closing vertex of a ring is not a repetition.

    Rows are first flagged cheaply (two equal consecutive coordinates anywhere in the geometry's
    coordinates, ring ends included: a superset), in chunks to keep memory flat; only flagged rows
    are searched ring by ring."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return {}

    def flag(chunk: np.ndarray) -> np.ndarray:
        coords, index = shapely.get_coordinates(geoms[chunk], return_index=True)
        same = (index[1:] == index[:-1]) & (coords[1:, 0] == coords[:-1, 0]) & (coords[1:, 1] == coords[:-1, 1])
        return chunk[np.unique(index[1:][same])]
    chunks = [rows[i:i + 5000] for i in range(0, len(rows), 5000)]
    if threads.WORKERS > 1 and len(rows) >= threads.PARALLEL_MIN:
        with ThreadPoolExecutor(threads.WORKERS) as pool:
            flagged = list(pool.map(timing.staged(timing.current(), flag), chunks))
    else:
        flagged = [flag(c) for c in chunks]
    hit = np.concatenate(flagged)
    return _repeated(geoms, hit) if len(hit) else {}


def _repeated(geoms: np.ndarray, rows: np.ndarray) -> Dict[int, Tuple[int, float, float]]:
    out: Dict[int, Tuple[int, float, float]] = {}
    if len(rows) == 0:
        return out
    parts, part_geom = shapely.get_parts(geoms[rows], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    ring_geom = part_geom[ring_part]
    if len(rings) == 0:
        return out
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = coord_ring[1:] == coord_ring[:-1]
    same_xy = (coords[1:, 0] == coords[:-1, 0]) & (coords[1:, 1] == coords[:-1, 1])
    dup = np.nonzero(same_ring & same_xy)[0]
    if len(dup) == 0:
        return out
    dup_geom = ring_geom[coord_ring[dup]]
    for k, pos in zip(dup_geom, dup):
        r = int(rows[k])
        if r in out:
            c, x, y = out[r]
            out[r] = (c + 1, x, y)
        else:
            out[r] = (1, float(coords[pos, 0]), float(coords[pos, 1]))
    return out


def overlap_pairs(geoms: np.ndarray, rows: np.ndarray, areas: np.ndarray,
                  min_m2: float, min_fraction: float,
                  query_rows: Optional[np.ndarray] = None, tree=None):
    """Pairs of plans that overlap by more than min_m2 and min_fraction of the smaller plan.

    rows: the candidate rows (valid polygons). query_rows: only pairs involving these rows
    (incremental); None = all pairs. tree: an STRtree over geoms[rows] to reuse.
    Returns (a, b, overlap_area, identical, x, y) arrays with a < b (row numbers).
    """
    empty = (np.empty(0, dtype=np.int64),) * 2 + (np.empty(0), np.empty(0, dtype=bool),
                                                  np.empty(0), np.empty(0))
    if len(rows) < 2 and query_rows is None:
        return empty
    if tree is None:
        tree = shapely.STRtree(geoms[rows])
    q = rows if query_rows is None else query_rows
    if len(q) == 0:
        return empty
    # candidates from the bounding boxes alone (the tree's envelopes, no GEOS predicate): cheap;
    # the exact test follows on the few pairs whose boxes overlap enough
    qi, ti = tree.query(geoms[q])
    a = q[qi]
    b = rows[ti]
    keep = a != b
    a, b = a[keep], b[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if len(lo) == 0:
        return empty
    pairs = np.unique(np.stack([lo, hi], axis=1), axis=0)
    a, b = pairs[:, 0], pairs[:, 1]
    # the overlap cannot exceed the overlap of the bounding boxes: skip pairs that only touch
    ba, bb = shapely.bounds(geoms[a]), shapely.bounds(geoms[b])
    box = (np.clip(np.minimum(ba[:, 2], bb[:, 2]) - np.maximum(ba[:, 0], bb[:, 0]), 0, None) *
           np.clip(np.minimum(ba[:, 3], bb[:, 3]) - np.maximum(ba[:, 1], bb[:, 1]), 0, None))
    maybe = (box > min_m2) & (box > min_fraction * np.minimum(areas[a], areas[b]))
    a, b = a[maybe], b[maybe]
    touching = parallel(shapely.intersects, geoms[a], geoms[b], min_size=threads.PARALLEL_MIN // 4)
    a, b = a[touching], b[touching]
    inter = parallel(shapely.intersection, geoms[a], geoms[b], min_size=64)
    ov = shapely.area(inter)
    smaller = np.minimum(areas[a], areas[b])
    with np.errstate(invalid="ignore", divide="ignore"):
        big = (ov > min_m2) & (ov > min_fraction * smaller)
    a, b, ov, inter = a[big], b[big], ov[big], inter[big]
    # identical: the overlap is (almost) all of both plans, confirmed topologically
    near = (np.abs(areas[a] - ov) <= 1e-6 * np.maximum(ov, 1)) & \
           (np.abs(areas[b] - ov) <= 1e-6 * np.maximum(ov, 1))
    identical = np.zeros(len(a), dtype=bool)
    if near.any():
        identical[near] = shapely.equals(geoms[a[near]], geoms[b[near]])
    pts = shapely.point_on_surface(inter) if len(inter) else inter
    xy = shapely.get_coordinates(pts) if len(inter) else np.empty((0, 2))
    if len(xy) != len(a):            # an empty intersection yields no coordinate
        xy = np.array([shapely.get_coordinates(p)[0] if not shapely.is_empty(p) else (np.nan, np.nan)
                       for p in pts]).reshape(-1, 2)
    return a, b, ov, identical, xy[:, 0], xy[:, 1]
