"""Issue 7 §6: random mutations of a valid GeoPackage (wrong-type values in random columns,
deleted GeoPackage metadata rows, corrupted geometry blobs, flipped bytes in pages, truncation)
fed to `validate` and `export`: never a traceback, always a documented exit code, and the output
folder holds a complete package (whose GeoPackage passes GDAL's validate_gpkg) or nothing.
Bounded: about 60 examples, well under a minute."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import signal
import sqlite3
import struct
import tempfile
import zipfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from osgeo import ogr
from osgeo_utils.samples import validate_gpkg

from lmvw_plugin.cli import main
from lmvw_plugin.standard import load
from pkg_util import clean_plans, write_plans

S = load()
PLAN_COLUMNS = [f.name for f in S.fields]
FASERING_COLUMNS = [f.name for f in S.fasering_fields]
VALUES = ["'abc'", "2.5", "1e30", "9223372036854775808", "-1", "2", "''", "'2026-02-30'", "X'00FF'", "NULL",
          "'12abc'", "-2147483649", "'ja'", "0.0"]
META = ["DELETE FROM gpkg_contents WHERE table_name = 'woningbouwplannen'",
        "DELETE FROM gpkg_geometry_columns",
        "DELETE FROM gpkg_spatial_ref_sys WHERE srs_id = 28992",
        "DELETE FROM gpkg_contents WHERE table_name = 'fasering'",
        "DELETE FROM gpkg_ogr_contents",
        "UPDATE gpkg_geometry_columns SET geometry_type_name = 'POINT'",
        "UPDATE gpkg_contents SET srs_id = 4326",
        "DROP TABLE fasering"]
N_PLANS = 4
EXPECTED = {"woningbouwplannen.gpkg", "woningbouwplannen.csv", "fasering.csv", "manifest.json",
            "validatierapport.html"}

_BASE = {}


def base() -> str:
    if "path" not in _BASE:
        folder = tempfile.mkdtemp(prefix="lmvw-fuzz-base-")
        p = clean_plans(N_PLANS)
        _BASE["path"] = write_plans(os.path.join(folder, "base.gpkg"), p.records, p.geometries, p.fasering)
    return _BASE["path"]


updates = st.one_of(
    st.tuples(st.just("woningbouwplannen"), st.sampled_from(PLAN_COLUMNS), st.sampled_from(VALUES),
              st.integers(1, N_PLANS)),
    st.tuples(st.just("fasering"), st.sampled_from(FASERING_COLUMNS), st.sampled_from(VALUES), st.integers(1, 8)))
CURVE = "CIRCULARSTRING(136000 455000,136100 455100,136200 455000,136100 454900,136000 455000)"
GEOMETRIES = [f"CURVEPOLYGON({CURVE})", f"MULTISURFACE(CURVEPOLYGON({CURVE}))",
              "MULTIPOLYGON Z (((136000 455000 1,136100 455100 2,136200 455000 3,136000 455000 1)))",
              "POLYGON M ((136000 455000 1,136100 455100 2,136200 455000 3,136000 455000 1))",
              "POLYGON ((136000 455000,136000 455000,136000 455000,136000 455000))",
              "POINT (136000 455000)", "MULTIPOLYGON EMPTY", "GEOMETRYCOLLECTION (POINT (1 2))",
              "POLYGON ((136000 455000,136100 455100,136200 455000,136000 455000))"]
SRS = ["UPDATE gpkg_geometry_columns SET srs_id = 0", "UPDATE gpkg_geometry_columns SET srs_id = -1",
       "UPDATE gpkg_geometry_columns SET srs_id = 4326", "UPDATE gpkg_geometry_columns SET srs_id = 3857"]
blob_cuts = st.tuples(st.integers(1, N_PLANS), st.integers(0, 120), st.binary(min_size=0, max_size=16))
blob_flips = st.tuples(st.integers(1, N_PLANS), st.lists(st.tuples(st.integers(0, 80), st.integers(0, 255)),
                                                           min_size=1, max_size=4))
flips = st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=6)
mutation = st.fixed_dictionaries({
    "updates": st.lists(updates, max_size=4),
    "meta": st.lists(st.sampled_from(META + SRS), max_size=2, unique=True),
    "geometries": st.lists(st.tuples(st.integers(1, N_PLANS), st.sampled_from(GEOMETRIES)), max_size=2),
    "blobs": st.lists(blob_cuts, max_size=2),
    "blob_flips": st.lists(blob_flips, max_size=2),
    "page_flips": st.one_of(st.just([]), flips),     # inside the plan table's pages
    "flips": st.one_of(st.just([]), st.just([]), flips),   # anywhere after the file header
    "truncate": st.one_of(st.none(), st.none(), st.none(), st.floats(0.05, 0.99)),
})


def gpkg_blob(wkt: str) -> bytes:
    """A GeoPackage geometry blob (header without envelope + ISO WKB) for any OGR geometry."""
    g = ogr.CreateGeometryFromWkt(wkt)
    return struct.pack("<2sBBi", b"GP", 0, 0b00000001 | (0b10000 if g.IsEmpty() else 0), 28992) + \
        bytes(g.ExportToIsoWkb())


def mutate(path: str, m) -> None:
    sql = [f"UPDATE {t} SET \"{c}\" = {v} WHERE fid = {fid}" for t, c, v, fid in m["updates"]]
    con = sqlite3.connect(path)
    rows = dict(con.execute("SELECT fid, geom FROM woningbouwplannen").fetchall())
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'woningbouwplannen'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    for fid, wkt in m["geometries"]:
        sql.append(f"UPDATE woningbouwplannen SET geom = X'{gpkg_blob(wkt).hex()}' WHERE fid = {fid}")
    for fid, cut, tail in m["blobs"]:
        blob = rows.get(fid) or b""
        sql.append(f"UPDATE woningbouwplannen SET geom = X'{(blob[:cut] + tail).hex()}' WHERE fid = {fid}")
    for fid, changes in m["blob_flips"]:
        blob = bytearray(rows.get(fid) or b"")
        for at, byte in changes:
            if at < len(blob):
                blob[at] = byte
        sql.append(f"UPDATE woningbouwplannen SET geom = X'{bytes(blob).hex()}' WHERE fid = {fid}")
    sql += m["meta"]
    # plain SQLite with stand-ins for the GeoPackage functions of GDAL's R-tree triggers, which
    # would refuse a damaged blob (the index then holds wrong bounds: one more kind of damage)
    con = sqlite3.connect(path)
    con.create_function("ST_IsEmpty", 1, lambda b: 0)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(name, 1, lambda b: 0.0)
    for s in sql:
        with contextlib.suppress(sqlite3.Error):         # a mutation that SQLite refuses is no mutation
            con.execute(s)
    con.commit()
    con.close()
    size = os.path.getsize(path)
    if m["page_flips"]:
        with open(path, "r+b") as fh:
            for where, byte in m["page_flips"]:
                fh.seek((root - 1) * page + int(where * (page - 1)))
                fh.write(bytes([byte]))
    if m["flips"]:
        with open(path, "r+b") as fh:
            for where, byte in m["flips"]:
                fh.seek(100 + int(where * (size - 101)))
                fh.write(bytes([byte]))
    if m["truncate"] is not None:
        with open(path, "r+b") as fh:
            fh.truncate(int(size * m["truncate"]))


def call(argv):
    out, errs = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(errs):
        code = main(argv)
    return code, out.getvalue(), errs.getvalue()


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("LMVW_FUZZ_EXAMPLES", "60")), deadline=dt.timedelta(seconds=20),
          derandomize=not os.environ.get("LMVW_FUZZ_EXAMPLES"),
          suppress_health_check=[HealthCheck.too_slow])
@given(m=mutation)
def test_mutated_geopackages_never_crash_and_leave_nothing_half(m):
    work = tempfile.mkdtemp(prefix="lmvw-fuzz-")
    signal.signal(signal.SIGALRM, _hung)             # in-process: a hang fails the test instead
    signal.alarm(60)
    try:
        path = os.path.join(work, "p.gpkg")
        shutil.copy(base(), path)
        mutate(path, m)
        code, _, err = call(["validate", path, "--peildatum", "2026-10-01"])
        assert code in (0, 1, 2), (code, err)
        assert "Traceback" not in err
        event(f"validate exit {code}")
        if code == 2 and os.environ.get("LMVW_FUZZ_EXAMPLES"):
            event("  " + err.strip().splitlines()[-1].replace(path, "P")[:90])
        out = os.path.join(work, "out")
        os.mkdir(out)
        for concept in ([], ["--concept"]):
            code, _, err = call(["export", path, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01",
                                 "--overwrite", *concept, "-o", out])
            assert code in (0, 1, 2), (code, err)
            assert "Traceback" not in err
            event(f"export{concept[:1]} exit {code}")
            left = os.listdir(out)
            if code == 0:
                assert left == ["lmvw_GM0344_2026-najaar.zip"], left
                with zipfile.ZipFile(os.path.join(out, left[0])) as zf:
                    assert set(zf.namelist()) == EXPECTED
                    assert zf.testzip() is None
                    zf.extract("woningbouwplannen.gpkg", os.path.join(work, "pkg"))
                validate_gpkg.check(os.path.join(work, "pkg", "woningbouwplannen.gpkg"), warning_msg=False)
                shutil.rmtree(os.path.join(work, "pkg"))
            else:
                assert left == [] or left == ["lmvw_GM0344_2026-najaar.zip"] and concept, left
    finally:
        signal.alarm(0)
        shutil.rmtree(work, ignore_errors=True)


def _hung(signum, frame):
    raise AssertionError("validate or export hung on a mutated GeoPackage")
