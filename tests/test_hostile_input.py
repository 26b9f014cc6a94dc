"""Issue 7 §6: real-world geometry, CRS and odd files end in a finding or a message and the
documented exit code (validate 0/1/2, export 0/1/2), never a traceback or a hang."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import shapely
from osgeo import gdal, ogr, osr

from pkg_util import clean_plans, leftovers, write_plans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEIL = "2026-10-01"
VALIDATE_GPKG = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
CIRCLE = "CIRCULARSTRING(136000 455000,136100 455100,136200 455000,136100 454900,136000 455000)"


def run(*args, timeout=60):
    env = {k: v for k, v in os.environ.items() if k != "LMVW_LANG"}
    return subprocess.run([sys.executable, "-m", "lmvw_plugin", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    p = clean_plans(3)
    return write_plans(tmp_path_factory.mktemp("base") / "p.gpkg", p.records, p.geometries, p.fasering)


def copy(base, tmp_path, name="p.gpkg"):
    path = str(tmp_path / name)
    shutil.copy(base, path)
    return path


def set_geometry(path, wkt=None, wkb=None, fid=1):
    gdal.UseExceptions()
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    if wkb is not None:
        ds.ExecuteSQL(f"UPDATE woningbouwplannen SET geom = X'{wkb.hex()}' WHERE fid = {fid}")
    else:
        lyr = ds.GetLayerByName("woningbouwplannen")
        f = lyr.GetFeature(fid)
        f.SetGeometryDirectly(ogr.CreateGeometryFromWkt(wkt))
        lyr.SetFeature(f)
    ds = None


def set_srs(path, srs_id, wkt=None):
    con = sqlite3.connect(path)
    if wkt:
        con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('x', ?, 'NONE', ?, ?, NULL)", (srs_id, srs_id, wkt))
    con.execute("UPDATE gpkg_geometry_columns SET srs_id = ?", (srs_id,))
    con.execute("UPDATE gpkg_contents SET srs_id = ? WHERE table_name = 'woningbouwplannen'", (srs_id,))
    con.commit()
    con.close()


def both(path, tmp_path, *extra):
    """(validate, export) results; the export is a concept so that only the input decides."""
    v = run("validate", path, "--peildatum", PEIL, *extra)
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    e = run("export", path, "--uitvraag", "2026-najaar", "--peildatum", PEIL, "--concept", "-o", out, *extra)
    for r in (v, e):
        assert "Traceback" not in r.stderr, r.stderr
    return v, e, out


def delivered_geometry(out):
    zp = out / "lmvw_GM0344_2026-najaar.zip"
    with zipfile.ZipFile(zp) as zf:
        zf.extract("woningbouwplannen.gpkg", out / "x")
    ds = gdal.OpenEx(str(out / "x" / "woningbouwplannen.gpkg"), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName("woningbouwplannen")
    geoms = [f.GetGeometryRef().ExportToIsoWkt() if f.GetGeometryRef() else None for f in lyr]
    return geoms


@pytest.mark.parametrize("wkt", [f"CURVEPOLYGON({CIRCLE})", f"MULTISURFACE(CURVEPOLYGON({CIRCLE}))"])
def test_curves_are_linearised_with_a_note(base, tmp_path, wkt):
    path = copy(base, tmp_path)
    set_geometry(path, wkt)
    v, e, out = both(path, tmp_path)
    assert v.returncode == 0 and e.returncode == 0, v.stderr + e.stderr
    assert "gebogen geometrieën zijn omgezet" in v.stderr and "gebogen" in e.stderr
    geoms = delivered_geometry(out)
    assert all(g.startswith("MULTIPOLYGON") for g in geoms) and "CURVE" not in " ".join(geoms)
    r = subprocess.run([sys.executable, VALIDATE_GPKG, str(out / "x" / "woningbouwplannen.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("dims", ["Z", "M", "ZM"])
def test_3d_plan_is_delivered_2d_with_a_note(base, tmp_path, dims):
    path = copy(base, tmp_path)
    extra = " 5" * len(dims)
    set_geometry(path, f"MULTIPOLYGON {dims}(((136000 455000{extra},136100 455100{extra},136200 455000{extra},"
                       f"136000 455000{extra})))")
    v, e, out = both(path, tmp_path)
    assert v.returncode == 0 and e.returncode == 0, v.stderr + e.stderr
    assert "Z- of M-waarden" in v.stderr
    geoms = delivered_geometry(out)
    assert not any(" Z" in g or " M" in g for g in geoms), geoms
    r = subprocess.run([sys.executable, VALIDATE_GPKG, str(out / "x" / "woningbouwplannen.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ring_of_identical_points_is_an_invalid_geometry(base, tmp_path):
    path = copy(base, tmp_path)
    set_geometry(path, "MULTIPOLYGON(((136000 455000,136000 455000,136000 455000,136000 455000)))")
    v, e, _ = both(path, tmp_path)
    assert v.returncode == 1 and e.returncode == 0, v.stderr + e.stderr
    assert "G03" in v.stdout


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_nan_coordinates_are_an_invalid_geometry_not_no_geometry(base, tmp_path):
    from lmvw_plugin.delivery.writers import gpkg_blobs
    path = copy(base, tmp_path)
    g = shapely.MultiPolygon([shapely.Polygon(np.array([[136000, 455000], [136100, np.nan], [136200, 455000],
                                                        [136000, 455000]]))])
    set_geometry(path, wkb=gpkg_blobs(np.array([g], dtype=object))[0])
    v, e, _ = both(path, tmp_path)
    assert v.returncode == 1 and e.returncode == 0, v.stderr + e.stderr
    assert "G03" in v.stdout and "G01" not in v.stdout
    assert "RuntimeWarning" not in v.stderr


def test_undefined_crs_is_taken_as_rd_with_a_note(base, tmp_path):
    path = copy(base, tmp_path)
    set_srs(path, 0)
    v, e, _ = both(path, tmp_path)
    assert v.returncode == 0 and e.returncode == 0, v.stderr + e.stderr
    assert "geen coördinatenstelsel" in v.stderr


def test_crs_without_a_path_to_rd_new(base, tmp_path):
    path = copy(base, tmp_path)
    mars = osr.SpatialReference()
    mars.ImportFromWkt('GEOGCRS["Mars (2015) - Sphere",DATUM["Mars (2015) - Sphere",ELLIPSOID["Mars (2015) - Sphere",'
                       '3396190,0,LENGTHUNIT["metre",1]]],PRIMEM["Reference Meridian",0,ANGLEUNIT["degree",'
                       '0.0174532925199433]],CS[ellipsoidal,2],AXIS["lat",north,ORDER[1],ANGLEUNIT["degree",'
                       '0.0174532925199433]],AXIS["lon",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]]]')
    set_srs(path, 99001, mars.ExportToWkt())
    v, e, out = both(path, tmp_path)
    assert v.returncode == 2 and e.returncode == 2
    assert "niet naar EPSG:28992 (RD New) te transformeren" in v.stderr
    assert os.listdir(out) == []


def test_rd_coordinates_labelled_wgs84(base, tmp_path):
    path = copy(base, tmp_path)
    set_srs(path, 4326)
    v, e, out = both(path, tmp_path)
    assert v.returncode == 2 and e.returncode == 2
    assert "passen niet bij het coördinatenstelsel" in v.stderr and "EPSG:4326" in v.stderr
    assert os.listdir(out) == []


def test_damaged_pages(base, tmp_path):
    path = copy(base, tmp_path)
    with open(path, "rb") as fh:
        b = bytearray(fh.read())
    for i in range(4096 * 3, len(b), 4096):
        b[i + 100:i + 140] = b"\xff" * 40
    with open(path, "wb") as fh:
        fh.write(b)
    v, e, out = both(path, tmp_path)
    assert v.returncode == 2 and e.returncode == 2
    assert "Kan " in v.stderr and "niet lezen" in v.stderr and not v.stderr.rstrip().endswith(":")
    assert os.listdir(out) == []


def test_view_with_duplicate_fids(base, tmp_path):
    path = copy(base, tmp_path)
    gdal.UseExceptions()
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    ds.ExecuteSQL("CREATE VIEW dup AS SELECT * FROM woningbouwplannen UNION ALL SELECT * FROM woningbouwplannen")
    ds.ExecuteSQL("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                  "VALUES ('dup', 'features', 'dup', 28992)")
    ds.ExecuteSQL("INSERT INTO gpkg_geometry_columns VALUES ('dup', 'geom', 'MULTIPOLYGON', 28992, 0, 0)")
    ds = None
    v, e, out = both(path, tmp_path, "--layer", "dup")
    assert v.returncode == 2 and e.returncode == 2, e.stderr
    assert "hetzelfde object-id" in v.stderr
    assert os.listdir(out) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_does_not_hang(tmp_path):
    fifo = tmp_path / "plans.gpkg"
    os.mkfifo(fifo)
    v, e, out = both(str(fifo), tmp_path)
    assert v.returncode == 2 and e.returncode == 2
    assert "geen gewoon bestand" in v.stderr
    assert os.listdir(out) == []


def test_directory_is_not_missing_fields(tmp_path):
    d = tmp_path / "plans.gpkg"
    d.mkdir()
    v, e, out = both(str(d), tmp_path)
    assert v.returncode == 2 and e.returncode == 2
    assert "is een map" in v.stderr and "velden" not in v.stderr
    assert os.listdir(out) == []


def test_wal_source_that_cannot_be_attached_is_not_copied(base, tmp_path, monkeypatch):
    """A read-only GeoPackage in WAL mode: GDAL reads it, but a second SQLite connection (the fast
    copy) cannot create its -shm file; the export writes the validated columns instead."""
    from lmvw_plugin.delivery import package
    path = copy(base, tmp_path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    real = os.access
    monkeypatch.setattr(package.os, "access", lambda p, mode: False if str(p).startswith(str(tmp_path))
                        and mode == os.W_OK and "out" not in str(p) else real(p, mode))
    assert package._attachable(path) is False
    from lmvw_plugin.cli import main
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", path, "--uitvraag", "2026-najaar", "--peildatum", PEIL, "-o", str(out)]) == 0
    assert leftovers(out) == []


def test_qgis_reader_linearises_curves_and_drops_z(base, tmp_path, qgis_app):
    """The dock and Processing read curved and 3D plans as the command line does (shapely
    cannot read curves: without this the dock's validation ended in QGIS's error dialog)."""
    from qgis.core import QgsVectorLayer

    from lmvw_plugin.layers.reader import read_plan_layer
    from lmvw_plugin.standard import load
    path = copy(base, tmp_path)
    set_geometry(path, f"CURVEPOLYGON({CIRCLE})", fid=1)
    set_geometry(path, "MULTIPOLYGON Z(((136000 455000 5,136100 455100 5,136200 455000 5,136000 455000 5)))", fid=2)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "plans", "ogr")
    t = read_plan_layer(layer, load())
    assert {g.geom_type for g in t.geometry[:2]} <= {"Polygon", "MultiPolygon"}
    assert not shapely.has_z(t.geometry[:2]).any()
    assert shapely.area(t.geometry[0]) == pytest.approx(3.14159 * 100 ** 2, rel=0.01)


def raw_blob(path, blob, fid=1):
    """A geometry blob written by plain SQLite (GDAL's R-tree triggers refuse a damaged one)."""
    con = sqlite3.connect(path)
    con.create_function("ST_IsEmpty", 1, lambda b: 0)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(name, 1, lambda b: 0.0)
    con.execute("UPDATE woningbouwplannen SET geom = ? WHERE fid = ?", (blob, fid))
    con.commit()
    con.close()


def test_tin_is_read_as_its_polygons(base, tmp_path):
    path = copy(base, tmp_path)
    set_geometry(path, "TIN Z(((136000 455000 1,136100 455100 1,136200 455000 1,136000 455000 1)))")
    v, e, out = both(path, tmp_path)
    assert v.returncode == 0 and e.returncode == 0, v.stdout + v.stderr
    assert "TIN's of veelvlakken" in v.stderr and "G01" not in v.stdout
    assert delivered_geometry(out)[0].startswith("MULTIPOLYGON")


def test_damaged_geometry_blob_says_so(base, tmp_path):
    path = copy(base, tmp_path)
    raw_blob(path, b"GP\x00\x01\xcc\x6f\x00\x00" + b"\x01\x06\x00\x00\x00\xff\xff\xff\x7f")
    v, e, _ = both(path, tmp_path)
    assert v.returncode == 1 and e.returncode == 0
    assert "G01" in v.stdout and "beschadigd en niet te lezen" in v.stderr


def test_blob_header_with_another_srs_is_not_copied_raw(base, tmp_path):
    """The fast copy took geometry blobs as they were: a header naming SRID 4326 in an RD layer
    went into the package, which then failed validate_gpkg.py (Req 33)."""
    import struct
    path = copy(base, tmp_path)
    con = sqlite3.connect(path)
    blob = bytearray(con.execute("SELECT geom FROM woningbouwplannen WHERE fid = 1").fetchone()[0])
    con.close()
    blob[4:8] = struct.pack("<i", 4326)
    raw_blob(path, bytes(blob))
    out = tmp_path / "out"
    out.mkdir()
    r = run("export", path, "--uitvraag", "2026-najaar", "--peildatum", PEIL, "-o", out)
    assert r.returncode == 0, r.stderr
    delivered_geometry(out)
    r = subprocess.run([sys.executable, VALIDATE_GPKG, str(out / "x" / "woningbouwplannen.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("damage", ["point", "header_only"])
def test_concept_package_stays_a_valid_geopackage(base, tmp_path, damage):
    """A point (G02) or a blob with only a header (no geometry to GDAL, G01) went into the
    MultiPolygon layer of a concept package as it was: validate_gpkg.py failed (Req 32, Req 19)."""
    path = copy(base, tmp_path)
    if damage == "point":
        set_geometry(path, "POINT (136000 455000)")
    else:
        con = sqlite3.connect(path)
        blob = con.execute("SELECT geom FROM woningbouwplannen WHERE fid = 1").fetchone()[0]
        con.close()
        raw_blob(path, blob[:8])
    v, e, out = both(path, tmp_path)
    assert v.returncode == 1 and e.returncode == 0, v.stdout + e.stderr
    delivered_geometry(out)
    r = subprocess.run([sys.executable, VALIDATE_GPKG, str(out / "x" / "woningbouwplannen.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
