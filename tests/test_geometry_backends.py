"""The OGR geometry back end (common/geo_ogr.py, for QGIS without shapely 2) gives the same
findings as shapely 2, and the plugin's pure part runs where shapely cannot be imported.

Both back ends run GEOS, but not the same GEOS: the shapely 2 wheel brings its own (3.14 here),
OGR uses the system's (3.11 on Debian 12). Of a polygon's several self-intersections the two GEOS
versions name different ones; G03 therefore takes its location from our own choice of crossing
(rules/geometry.py crossing_point), and the comparisons below run each back end with its own GEOS
and demand every finding (rule, message, location) identical. `test_reasons_are_the_systems_geos`
proves the OGR back end says exactly what the system's GEOS says."""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from osgeo import ogr
from test_rules_properties import FASERING_ROW, SETTINGS, as_tuples, build_record, geometries, records

from conftest import PEILDATUM
from lmvw_plugin import demo
from lmvw_plugin.common import geo, geo_ogr
from lmvw_plugin.rules import FaseringTable, PlanTable, Validator
from lmvw_plugin.standard import load

ROOT = Path(__file__).resolve().parent.parent
S = load()
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


# ------------------------------------------------------------------------------------------------
# the system's GEOS, directly


class SystemGEOS:
    """GEOSisValidReason of the libgeos_c GDAL links (checked by version)."""

    def __init__(self):
        name = ctypes.util.find_library("geos_c")
        if not name:
            pytest.skip("libgeos_c not found")
        lib = ctypes.CDLL(name)
        lib.GEOSversion.restype = ctypes.c_char_p
        version = lib.GEOSversion().decode().split("-")[0]
        if tuple(int(v) for v in version.split(".")[:2]) != geo_ogr.geos_version[:2]:
            pytest.skip(f"libgeos_c {version} is not GDAL's GEOS {geo_ogr.geos_version}")
        vp = ctypes.c_void_p
        lib.GEOS_init_r.restype = vp
        lib.GEOSWKBReader_create_r.restype = vp
        lib.GEOSWKBReader_create_r.argtypes = [vp]
        lib.GEOSWKBReader_read_r.restype = vp
        lib.GEOSWKBReader_read_r.argtypes = [vp, vp, ctypes.c_char_p, ctypes.c_size_t]
        lib.GEOSisValidReason_r.restype = vp
        lib.GEOSisValidReason_r.argtypes = [vp, vp]
        lib.GEOSGeom_destroy_r.argtypes = [vp, vp]
        lib.GEOSFree_r.argtypes = [vp, vp]
        self.lib = lib
        self.ctx = lib.GEOS_init_r()
        self.reader = lib.GEOSWKBReader_create_r(self.ctx)

    def reason(self, g):
        if g is None:
            return None
        wkb = shapely.to_wkb(g, output_dimension=2)
        h = self.lib.GEOSWKBReader_read_r(self.ctx, self.reader, wkb, len(wkb))
        if not h:
            return None
        p = self.lib.GEOSisValidReason_r(self.ctx, h)
        text = ctypes.string_at(p).decode()
        self.lib.GEOSFree_r(self.ctx, p)
        self.lib.GEOSGeom_destroy_r(self.ctx, h)
        return text

    def is_valid_reason(self, x):
        if x is None or isinstance(x, shapely.Geometry):
            return self.reason(x)
        arr = np.asarray(x, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        out.ravel()[:] = [self.reason(g) for g in arr.ravel()]
        return out


@pytest.fixture(scope="module")
def system_geos():
    return SystemGEOS()


def validate(backend, recs, geoms, fas, lang="nl", gemeente=None, fids=None):
    """Findings of one back end; the geometries travel as WKB, as they do from a file."""
    geo.use(backend)
    try:
        mod = geo_ogr if backend == "ogr" else shapely
        gs = [None if g is None else mod.from_wkb(g.wkb) for g in geoms]
        t = PlanTable.from_records(S, recs, gs, fids=fids)
        return Validator(S, lang, PEILDATUM).validate(t, FaseringTable.from_records(S, fas), gemeente=gemeente)
    finally:
        geo.use("shapely")


def same_findings(recs, geoms, fas, **kw):
    """Each back end with its own GEOS (3.14 in the wheel, 3.11 under GDAL): the same findings."""
    a = validate("shapely", recs, geoms, fas, **kw)
    b = validate("ogr", recs, geoms, fas, **kw)
    assert [(f, f.x, f.y) for f in sorted(a.findings, key=repr)] == \
        [(f, f.x, f.y) for f in sorted(b.findings, key=repr)]
    return a


# ------------------------------------------------------------------------------------------------
# the same findings


@settings(max_examples=150, **SETTINGS)
@given(specs=records(), geoms=st.lists(geometries(), min_size=6, max_size=6),
       fas=st.lists(st.tuples(st.integers(0, 7), FASERING_ROW), max_size=6),
       lang=st.sampled_from(["nl", "en"]), gemeente=st.sampled_from([None, "GM0344"]))
def test_same_findings_on_any_geometry(specs, geoms, fas, lang, gemeente):
    recs = [build_record(i, s) for i, s in enumerate(specs)]
    geoms = geoms[:len(recs)]
    ids = [r.get("plan_id") for r in recs] + [None]
    rows = [dict(r, plan_id=ids[k % len(ids)]) for k, r in fas]
    same_findings(recs, geoms, rows, lang=lang, gemeente=gemeente)


@pytest.mark.parametrize("seed", [1, 2, 3, 5])
def test_same_findings_on_a_municipal_layer(seed):
    """A thousand plans with bow-ties, overlaps and attribute defects: every finding the same,
    G03's location included, though the two GEOS versions name different crossings."""
    ps = demo.generate(1000, S, seed, peiljaar=PEILDATUM.year, invalid_rate=0.1, overlap_rate=0.4,
                       defect_rate=0.1, vertices=(12, 80))
    report = same_findings(ps.records, ps.geometries, ps.fasering)
    assert {"G03", "C03"} <= {f.rule for f in report.findings}          # the comparison covers them


def test_the_two_geos_versions_name_different_crossings_and_g03_does_not():
    """The reason the location is ours: on these plans the wheel's GEOS and GDAL's GEOS name other
    points for some self-intersections; G03 gives the smallest (x, y) crossing on both."""
    if shapely.geos_version[:2] == geo_ogr.geos_version[:2]:
        pytest.skip("both back ends run the same GEOS version")
    ps = demo.generate(300, S, 5, invalid_rate=0.3, vertices=(12, 60))
    sh = [shapely.from_wkb(g.wkb) for g in ps.geometries]
    og = geo_ogr.from_wkb(np.array([g.wkb for g in sh], dtype=object))
    assert [r.split("[")[0] for r in shapely.is_valid_reason(sh)] == \
        [r.split("[")[0] for r in geo_ogr.is_valid_reason(og)]           # the same reasons ...
    assert list(shapely.is_valid_reason(sh)) != list(geo_ogr.is_valid_reason(og))   # ... other points
    a = validate("shapely", ps.records, ps.geometries, ps.fasering).for_rule("G03")
    b = validate("ogr", ps.records, ps.geometries, ps.fasering).for_rule("G03")
    assert len(a) > 20 and as_tuples(a) == as_tuples(b)
    assert [(f.x, f.y) for f in a] == [(f.x, f.y) for f in b]


WKTS = ["POLYGON((0.1 0.3, 2.7 2.123456789, 2 0, 0 2.5, 0.1 0.3))", "POLYGON((0 0, 1 0, 0 0))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0),(20 20, 21 20, 21 21, 20 20))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0),(1 1, 9 1, 9 9, 1 9, 1 1),(2 2, 8 2, 8 8, 2 8, 2 2))",
        "MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0)),((1 1, 2 1, 2 2, 1 2, 1 1)))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0),(0 0, 5 5, 10 0, 0 0))",
        "POLYGON((0 0, 10 0, 10 10, 5 0, 0 10, 0 0))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0),(0 5, 5 0, 10 5, 5 10, 0 5))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON EMPTY", "POINT(1 2)", "LINESTRING(0 0, 1 1)",
        "POLYGON((130000.123 450000.987, 131000.5 451000.25, 131000.75 450000.125, 130000.333333 451000.666666, "
        "130000.123 450000.987))"]


def test_reasons_are_the_systems_geos(system_geos):
    ps = demo.generate(200, S, 9, invalid_rate=0.5, vertices=(12, 60))
    gs = [shapely.from_wkt(w) for w in WKTS] + [shapely.from_wkb(g.wkb) for g in ps.geometries]
    gs.append(shapely.from_wkt("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"))
    gs[-1] = shapely.from_wkb(gs[-1].wkb.replace(np.float64(10).tobytes(), np.float64(np.nan).tobytes(), 1))
    ours = geo_ogr.is_valid_reason(geo_ogr.from_wkb(np.array([g.wkb for g in gs], dtype=object)))
    assert list(ours) == [system_geos.reason(g) for g in gs]
    assert "Invalid Coordinate[nan" in ours[-1]


# ------------------------------------------------------------------------------------------------
# the functions themselves, against shapely 2

def _pairs():
    ps = demo.generate(400, S, 11, invalid_rate=0.2, overlap_rate=0.6, vertices=(12, 60),
                       boxes=[(130000, 450000, 134000, 453000)])
    sh = np.array([shapely.from_wkb(g.wkb) for g in ps.geometries] +
                  [shapely.from_wkt(w) for w in WKTS] + [None], dtype=object)
    og = geo_ogr.from_wkb(np.array([None if g is None else g.wkb for g in sh], dtype=object))
    return sh, og


def test_measures_are_shapelys_to_the_last_bit():
    sh, og = _pairs()
    assert (shapely.area(sh).tobytes() == geo_ogr.area(og).tobytes())
    np.testing.assert_array_equal(shapely.bounds(sh), geo_ogr.bounds(og))
    np.testing.assert_array_equal(shapely.total_bounds(sh), geo_ogr.total_bounds(og))
    for f in ("is_valid", "is_empty", "get_type_id", "get_num_coordinates", "has_z"):
        np.testing.assert_array_equal(getattr(shapely, f)(sh), getattr(geo_ogr, f)(og), err_msg=f)
    bad = ~shapely.is_valid(sh) & np.isin(shapely.get_type_id(sh), (3, 6))
    np.testing.assert_array_equal(shapely.area(shapely.make_valid(sh[bad])),
                                  geo_ogr.area(geo_ogr.make_valid(og[bad])))
    c1, i1 = shapely.get_coordinates(sh, return_index=True)
    c2, i2 = geo_ogr.get_coordinates(og, return_index=True)
    np.testing.assert_array_equal(c1, c2)
    np.testing.assert_array_equal(i1, i2)
    p1, j1 = shapely.get_parts(sh[:-1], return_index=True)
    p2, j2 = geo_ogr.get_parts(og[:-1], return_index=True)
    np.testing.assert_array_equal(j1, j2)
    r1, k1 = shapely.get_rings(p1, return_index=True)
    r2, k2 = geo_ogr.get_rings(p2, return_index=True)
    np.testing.assert_array_equal(k1, k2)
    assert [g.wkb for g in r1] == [g.wkb for g in r2]
    np.testing.assert_array_equal(shapely.get_type_id(r1), geo_ogr.get_type_id(r2))


def test_tree_intersection_and_equality_are_shapelys():
    sh, og = _pairs()
    ok = np.isin(shapely.get_type_id(sh), (3, 6)) & shapely.is_valid(sh)
    t1, t2 = shapely.STRtree(sh[ok]), geo_ogr.STRtree(og[ok])
    q1 = t1.query(sh[ok], predicate="intersects")
    q2 = t2.query(og[ok], predicate="intersects")
    assert sorted(map(tuple, q1.T.tolist())) == sorted(map(tuple, q2.T.tolist()))
    assert sorted(t1.query(sh[3]).tolist()) == t2.query(og[3]).tolist()
    a, b = np.nonzero(ok)[0][q1[0]], np.nonzero(ok)[0][q1[1]]
    i1 = shapely.intersection(sh[a], sh[b])
    i2 = geo_ogr.intersection(og[a], og[b])
    assert shapely.area(i1).tobytes() == geo_ogr.area(i2).tobytes()
    np.testing.assert_array_equal(shapely.get_coordinates(shapely.point_on_surface(i1)),
                                  geo_ogr.get_coordinates(geo_ogr.point_on_surface(i2)))
    np.testing.assert_array_equal(shapely.equals(sh[a], sh[b]), geo_ogr.equals(og[a], og[b]))
    np.testing.assert_array_equal(shapely.equals_exact(sh[a], sh[b], 0.0), geo_ogr.equals_exact(og[a], og[b], 0.0))
    np.testing.assert_array_equal(shapely.intersects(sh[a], sh[a[::-1]]), geo_ogr.intersects(og[a], og[a[::-1]]))


@pytest.mark.parametrize("wkt, readable", [
    ("POLYGON((0 0,1 0,1 1,0 1))", False),                 # unclosed ring: GEOS refuses it
    ("POLYGON((0 0,1 0,1 1))", False), ("LINESTRING(0 0)", False),
    ("POLYGON((0 0,1 0,0 0))", True), ("POLYGON((0 0,0 0,0 0,0 0))", True),
    ("POLYGON((0 0,0 0,1 0,1 1,0 1,0 0))", True), ("CIRCULARSTRING(0 0,1 1,2 0)", False),
    ("POLYGON Z((0 0 1,1 0 1,1 1 1,0 0 1))", True), ("MULTIPOLYGON EMPTY", True)])
def test_reading_and_repeated_points_like_geos(wkt, readable):
    wkb = bytes(ogr.CreateGeometryFromWkt(wkt).ExportToIsoWkb())
    try:
        s = shapely.from_wkb(wkb, on_invalid="ignore")
    except NotImplementedError:         # curves: shapely refuses them whatever on_invalid says
        s = None
    o = geo_ogr.from_wkb(wkb, on_invalid="ignore")
    assert (s is not None) == (o is not None) == readable
    if not readable:
        with pytest.raises(geo_ogr.errors.GEOSException):
            geo_ogr.from_wkb(wkb)
        return
    assert shapely.has_z(s) == geo_ogr.has_z(o)
    assert shapely.force_2d(s).wkb == geo_ogr.force_2d(o).wkb
    try:
        expected = shapely.get_num_coordinates(shapely.remove_repeated_points(s, 0.0))
    except shapely.errors.GEOSException:
        with pytest.raises(geo_ogr.errors.GEOSException):
            geo_ogr.remove_repeated_points(o, 0.0)
    else:
        assert geo_ogr.get_num_coordinates(geo_ogr.remove_repeated_points(o, 0.0)) == expected


def test_transform_and_constructors():
    sh, og = _pairs()
    def tf(c):
        return c * 2 + 1
    assert [g.wkb for g in shapely.transform(sh[:50], tf)] == [g.wkb for g in geo_ogr.transform(og[:50], tf)]
    p = shapely.Polygon([(0, 0), (3, 0), (3, 2)])
    q = geo_ogr.Polygon([(0, 0), (3, 0), (3, 2)])
    assert p.wkb == q.wkb and shapely.MultiPolygon([p]).wkb == geo_ogr.MultiPolygon([q]).wkb
    assert shapely.affinity.translate(p, 5, 6).wkb == geo_ogr.affinity.translate(q, 5, 6).wkb
    m = geo_ogr.MultiPolygon([q])
    assert m.geom_type == "MultiPolygon" and m.geoms[0].exterior.coords == list(p.exterior.coords)
    assert m.bounds == p.bounds and m.area == p.area and m.centroid.x == pytest.approx(p.centroid.x)


# ------------------------------------------------------------------------------------------------
# without shapely at all


def run_python(code: str, block, tmp_path, env=None) -> subprocess.CompletedProcess:
    head = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in block)
    e = {k: v for k, v in os.environ.items() if k != "LMVW_GEOMETRY"}
    e.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run([sys.executable, "-c", head + textwrap.dedent(code)], cwd=str(tmp_path), env=e,
                          capture_output=True, text=True, timeout=600)


def test_command_line_without_shapely(tmp_path):
    """shapely cannot be imported: the OGR back end is chosen, and demo, validate, export and inspect
    work, with the same exit codes and findings as with shapely 2."""
    r = run_python("""
        from lmvw_plugin.common import geo
        assert geo.backend() == "ogr", geo.backend()
        from lmvw_plugin.cli import main
        codes = [main(["demo", "--out", "out"]),
                 main(["validate", "out/woningbouwplannen.gpkg", "--peildatum", "2026-10-01", "--json", "f.json"]),
                 main(["export", "out/woningbouwplannen.gpkg", "--uitvraag", "2026-najaar", "--peildatum",
                       "2026-10-01", "-o", "pkg.zip", "--concept"])]
        codes.append(main(["inspect", "pkg.zip"]))
        print("codes", codes)
        assert not [m for m, v in sys.modules.items() if v is not None and m.split(".")[0] == "shapely"]
        """, ["shapely"], tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    codes = r.stdout.strip().splitlines()[-1]
    without = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    with_shapely = subprocess.run([sys.executable, "-m", "lmvw_plugin", "validate", "out/woningbouwplannen.gpkg",
                                   "--peildatum", "2026-10-01", "--json", "g.json"], cwd=str(tmp_path),
                                  env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert with_shapely.returncode in (0, 1), with_shapely.stderr
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8")) == without
    assert codes.startswith("codes [0, ") and codes.endswith(", 0, 0]"), codes
    assert without["findings"]


def test_forced_back_end_and_shapely_1(tmp_path):
    """LMVW_GEOMETRY=ogr forces the OGR back end; a shapely 1.x counts as no shapely 2."""
    r = run_python("""
        from lmvw_plugin.common import geo
        print(geo.backend())
        """, [], tmp_path, {"LMVW_GEOMETRY": "ogr"})
    assert r.stdout.split() == ["ogr"], r.stderr
    fake = tmp_path / "old" / "shapely"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("__version__ = '1.8.5'\n", encoding="utf-8")
    r = run_python(f"""
        sys.path.insert(0, {str(tmp_path / 'old')!r})
        from lmvw_plugin.common import geo
        import shapely
        print(shapely.__version__, geo.backend(), geo.shapely2_version())
        """, [], tmp_path)
    assert r.stdout.split() == ["1.8.5", "ogr", "None"], r.stderr


def test_no_back_end_at_all_imports_and_says_why(tmp_path):
    """Without numpy and GDAL the seam still imports; using it raises GeometryUnavailable."""
    r = run_python("""
        from lmvw_plugin.common import geo
        print(geo.backend())
        assert geo.problem() and "shapely" in geo.problem() and "ogr" in geo.problem(), geo.problem()
        try:
            geo.shapely.from_wkb(b"")
        except geo.GeometryUnavailable as e:
            print("unavailable")
        """, ["shapely", "numpy", "osgeo"], tmp_path)
    assert r.stdout.split() == ["None", "unavailable"], r.stderr


def test_switching_back_ends_in_one_process():
    before = geo.use("ogr")
    try:
        assert geo.backend() == "ogr"
        assert isinstance(demo.generate(2, S, 1).geometries[0], geo_ogr.Geometry)
    finally:
        geo.use(before or "shapely")
    assert geo.backend() == "shapely"
    assert isinstance(demo.generate(2, S, 1).geometries[0], shapely.Geometry)


def test_every_shapely_function_the_plugin_uses_exists_in_the_ogr_back_end():
    """A new `shapely.xyz` in the plugin needs its twin in geo_ogr.py (or QGIS without shapely 2
    fails on it): this names the ones that are missing."""
    import re
    used = set()
    for path in (ROOT / "lmvw_plugin").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "common.geo import shapely" in text or path.name == "geo.py":
            used.update(re.findall(r"\bshapely\.([A-Za-z_][A-Za-z_0-9]*(?:\.[A-Za-z_][A-Za-z_0-9]*)?)", text))
    used.discard("__version__")
    missing = []
    for name in sorted(used):
        obj = geo_ogr
        for part in name.split("."):
            obj = getattr(obj, part, None)
        if obj is None:
            missing.append(name)
    assert used and not missing, missing
