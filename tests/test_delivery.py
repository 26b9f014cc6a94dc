"""The delivery package: round trip, what leaves per profile, atomic writing, inspect."""
from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import shapely

from lmvw_plugin.delivery import package as pkgmod
from lmvw_plugin.delivery.inspect import inspect
from lmvw_plugin.delivery.package import DeliveryCancelled, DeliveryError, DeliveryRefused, export
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import clean_plans, leftovers

S = load()
PEIL = dt.date(2026, 10, 1)
VALIDATE_GPKG = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"


def tables(plans):
    return PlanTable.from_records(S, plans.records, plans.geometries), FaseringTable.from_records(S, plans.fasering)


def do_export(t, f, out, **kw):
    kw.setdefault("gemeente", "GM0344")
    kw.setdefault("uitvraag", "2026-najaar")
    kw.setdefault("peildatum", PEIL)
    kw.setdefault("concept", True)
    return export(t, f, str(out), standard=S, plugin_version="test", **kw)


def read_back(zip_path, tmp_path):
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(folder)
    plans, _ = ogrio.read_plans(str(folder / "woningbouwplannen.gpkg"), S)
    fas = ogrio.read_fasering(str(folder / "woningbouwplannen.gpkg"), S)
    return folder, plans, fas


def equal_column(a, b):
    if a.dtype == object:
        return list(a) == list(b)
    return np.array_equal(a, b, equal_nan=True)


@pytest.fixture(scope="module")
def thousand():
    plans = clean_plans(1000, seed=11)
    # some plans of every kind the profiles treat differently
    for i, rec in enumerate(plans.records):
        if i % 50 == 0:
            rec.update(planstatus="5A", vertrouwelijkheid="gemeente", vertrouwelijk_reden="intern")
        elif i % 50 == 1:
            rec.update(planstatus="3", vertrouwelijkheid="gemeente", vertrouwelijk_reden="grondaankoop")
        elif i % 50 == 2:
            rec.update(opmerkingen="vrije tekst", vertrouwelijkheid="regio")
        elif i % 50 == 3:
            rec.update(vertrouwelijkheid="openbaar")
    return plans


def test_round_trip_1000_plans(thousand, tmp_path):
    t, f = tables(thousand)
    result = do_export(t, f, tmp_path / "p.zip", profile="provincie_volledig")
    folder, back, fas = read_back(result.zip_path, tmp_path)
    ids = t.columns["plan_id"]
    internal = np.isin(t.columns["planstatus"].astype(str), ["5A", "5B"])
    expected_rows = np.nonzero(~internal)[0]
    assert back.n == len(expected_rows) == result.manifest["counts"]["plans"]
    order = {pid: i for i, pid in enumerate(back.columns["plan_id"])}
    rows_back = np.array([order[p] for p in ids[expected_rows]])
    for field in S.fields:
        if field.name in S.delivery["never_leaves"]:
            assert field.name in back.missing_optional
            continue
        a = t.columns[field.name][expected_rows]
        b = back.columns[field.name][rows_back]
        assert equal_column(a, b), field.name
    dist = shapely.hausdorff_distance(t.geometry[expected_rows], back.geometry[rows_back])
    assert float(np.max(dist)) < 0.001
    # fasering: only rows of delivered plans, all of them
    delivered = set(ids[expected_rows])
    expected_fas = sorted((p, int(j), int(a)) for p, j, a in zip(f.plan_id, f.jaar, f.aantal) if p in delivered)
    got_fas = sorted((p, int(j), int(a)) for p, j, a in zip(fas.plan_id, fas.jaar, fas.aantal))
    assert got_fas == expected_fas
    r = subprocess.run([sys.executable, VALIDATE_GPKG, str(folder / "woningbouwplannen.gpkg")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_derived_fields_and_csv(thousand, tmp_path):
    t, f = tables(thousand)
    result = do_export(t, f, tmp_path / "p.zip")
    folder, back, _ = read_back(result.zip_path, tmp_path)
    with open(folder / "woningbouwplannen.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == back.n
    row = rows[0]
    assert int(row["netto_plancapaciteit"]) == int(row["bruto_plancapaciteit"]) - int(row["sloop"])
    assert int(row["restcapaciteit"]) == int(row["bruto_plancapaciteit"]) - int(row["aantal_gerealiseerd"])
    assert row["harde_plancapaciteit"] == ("true" if row["planstatus"] in ("1A", "1B", "2A", "2B") else "false")
    assert float(row["oppervlakte_m2"]) > 10
    assert "geom" not in row and "WKT" not in row
    cats = sum(int(row[n]) for n in row if n.startswith("cat_"))
    assert cats == int(row["bruto_plancapaciteit"])
    with open(folder / "fasering.csv", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["plan_id", "jaar", "aantal", "sloop"]


@pytest.mark.parametrize("profile", ["provincie", "provincie_volledig", "openbaar"])
def test_confidentiality_per_profile(thousand, tmp_path, profile):
    t, f = tables(thousand)
    result = do_export(t, f, tmp_path / "p.zip", profile=profile)
    folder, back, _ = read_back(result.zip_path, tmp_path)
    conf = back.columns["vertrouwelijkheid"].astype(str)
    status = back.columns["planstatus"].astype(str)
    assert not np.isin(status, ["5A", "5B"]).any()
    header = (folder / "woningbouwplannen.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "vertrouwelijk_reden" not in header and "vertrouwelijk_reden" in back.missing_optional
    source_conf = (t.columns["vertrouwelijkheid"] == "gemeente") & ~np.isin(t.columns["planstatus"].astype(str),
                                                                            ["5A", "5B"])
    manifest = result.manifest
    html = (folder / "validatierapport.html").read_text(encoding="utf-8")
    if profile == "provincie":
        assert "gemeente" not in set(conf)
        agg = manifest["counts"]["confidential_left_out"]
        assert agg["plans"] == int(source_conf.sum())
        assert agg["bruto"] == int(np.nansum(t.columns["bruto_plancapaciteit"][source_conf]))
        for name in t.columns["plannaam"][source_conf]:
            assert name not in html
    elif profile == "provincie_volledig":
        assert (conf == "gemeente").sum() == int(source_conf.sum())
    else:
        assert set(conf) == {"openbaar"}
        assert "opmerkingen" not in header and "opmerkingen" in back.missing_optional
    assert "grondaankoop" not in (folder / "woningbouwplannen.csv").read_text(encoding="utf-8")
    assert "intern" not in html


def test_manifest_checksums_and_counts(thousand, tmp_path):
    t, f = tables(thousand)
    result = do_export(t, f, tmp_path / "p.zip")
    with zipfile.ZipFile(result.zip_path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        import hashlib
        for entry in manifest["files"]:
            data = zf.read(entry["name"])
            assert len(data) == entry["size"]
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert {e["name"] for e in manifest["files"]} == {"woningbouwplannen.gpkg", "woningbouwplannen.csv",
                                                      "fasering.csv", "validatierapport.html"}
    for key in ("basisset", "plugin_version", "gemeentecode", "gemeentenaam", "uitvraag", "peildatum", "created_at",
                "profile", "counts", "validation", "concept"):
        assert key in manifest
    assert manifest["gemeentenaam"] == "Utrecht" and manifest["basisset"] == "2.0"
    assert manifest["created_at"].endswith("Z")
    c = manifest["counts"]
    assert c["hard"] + c["soft"] + c["vervallen"] <= c["plans"]
    assert sum(c["per_planstatus"].values()) == c["plans"]


def test_report_is_offline_and_complete(tmp_path):
    plans = clean_plans(40, seed=5)
    plans.records[3]["eengezins"] += 2                    # one R04 error, delivered as concept
    t, f = tables(plans)
    result = do_export(t, f, tmp_path / "p.zip")
    html = result.report_html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    assert "<script" not in html and "<link" not in html
    assert html.count("<svg") == 4                        # three charts and the overview map
    assert "R04" in html and plans.records[3]["plannaam"] in html
    assert "CONCEPT" in html


def test_crs_transform_from_wgs84_lands_within_1_m(qgis_new_project, tmp_path):
    """A layer in EPSG:4326 is transformed with the project's transform context."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject, QgsVectorLayer

    from lmvw_plugin.layers.reader import read_plan_layer
    from lmvw_plugin.layers.writer import features
    plans = clean_plans(20, seed=9)
    types = {"text": "string", "int": "integer", "bool": "boolean", "date": "date", "datetime": "datetime"}
    layer = QgsVectorLayer("MultiPolygon?crs=epsg:4326&" + "&".join(
        f"field={fd.name}:{types[fd.type]}" for fd in S.fields), "wgs84", "memory")
    ct = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:28992"), QgsCoordinateReferenceSystem("EPSG:4326"),
                                QgsProject.instance().transformContext())
    feats = features(layer, plans.records, plans.geometries)
    for feat in feats:
        g = QgsGeometry(feat.geometry())
        g.transform(ct)
        feat.setGeometry(g)
    layer.dataProvider().addFeatures(feats)
    table = read_plan_layer(layer, S, context=QgsProject.instance().transformContext())
    result = do_export(table, FaseringTable.from_records(S, plans.fasering), tmp_path / "p.zip")
    _, back, _ = read_back(result.zip_path, tmp_path)
    order = {p: i for i, p in enumerate(back.columns["plan_id"])}
    orig = {r["plan_id"]: g for r, g in zip(plans.records, plans.geometries)}
    worst = max(shapely.hausdorff_distance(orig[p], back.geometry[i]) for p, i in order.items())
    assert worst < 1.0
    bounds = shapely.total_bounds(back.geometry)
    assert 0 < bounds[0] < 300000 and 289000 < bounds[1] < 629000


# ------------------------------------------------------------------------------------------ safety


def test_refused_export_writes_nothing_and_keeps_earlier_package(tmp_path):
    plans = clean_plans(30, seed=4)
    t, f = tables(plans)
    target = tmp_path / "lmvw.zip"
    do_export(t, f, target)
    earlier = target.read_bytes()
    plans.records[0]["eengezins"] += 1
    t2, f2 = tables(plans)
    with pytest.raises(DeliveryRefused) as info:
        do_export(t2, f2, target, concept=False, overwrite=True)
    assert info.value.errors == 1
    assert target.read_bytes() == earlier
    assert leftovers(tmp_path) == []


def test_cancel_writes_nothing(tmp_path):
    plans = clean_plans(30, seed=4)
    t, f = tables(plans)
    calls = {"n": 0}

    def cancel_after_three():
        calls["n"] += 1
        return calls["n"] > 3
    with pytest.raises(DeliveryCancelled):
        do_export(t, f, tmp_path / "p.zip", is_cancelled=cancel_after_three)
    assert os.listdir(tmp_path) == []


def test_existing_package_needs_overwrite(tmp_path):
    plans = clean_plans(10, seed=4)
    t, f = tables(plans)
    target = tmp_path / "p.zip"
    do_export(t, f, target)
    first = target.read_bytes()
    with pytest.raises(DeliveryError) as info:
        do_export(t, f, target)
    assert info.value.reason == "exists" and target.read_bytes() == first
    do_export(t, f, target, overwrite=True, created_at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    assert json.loads(zipfile.ZipFile(target).read("manifest.json"))["created_at"] == "2030-01-01T00:00:00Z"


def test_full_disk_gives_clear_error_and_no_files(tmp_path, monkeypatch):
    plans = clean_plans(10, seed=4)
    t, f = tables(plans)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(pkgmod, "write_csv", full)
    with pytest.raises(DeliveryError) as info:
        do_export(t, f, tmp_path / "p.zip")
    assert info.value.reason == "no_space"
    assert os.listdir(tmp_path) == []


def test_unwritable_folder(tmp_path):
    plans = clean_plans(5, seed=4)
    t, f = tables(plans)
    folder = "/sys/kernel" if os.geteuid() == 0 else "/"
    with pytest.raises(DeliveryError) as info:
        do_export(t, f, os.path.join(folder, "p.zip"))
    assert info.value.reason == "unwritable"


def test_bad_uitvraag_and_gemeente(tmp_path):
    plans = clean_plans(5, seed=4)
    t, f = tables(plans)
    with pytest.raises(DeliveryError) as info:
        do_export(t, f, tmp_path / "p.zip", uitvraag="2026-herfst")
    assert info.value.reason == "bad_uitvraag"
    with pytest.raises(DeliveryError) as info:
        do_export(t, f, tmp_path / "p.zip", gemeente="Utrecht")
    assert info.value.reason == "bad_gemeente"
    assert os.listdir(tmp_path) == []


def test_inspect_in_process(tmp_path):
    plans = clean_plans(25, seed=2)
    t, f = tables(plans)
    result = do_export(t, f, tmp_path / "p.zip", concept=False)
    ok = inspect(result.zip_path, standard=S)
    assert ok.exit_code == 0 and ok.plans == result.manifest["counts"]["plans"]
    # a manifest that lies about the counts is detected too
    tampered = tmp_path / "t.zip"
    with zipfile.ZipFile(result.zip_path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "manifest.json":
                m = json.loads(data)
                m["counts"]["plans"] += 1
                data = json.dumps(m).encode()
            dst.writestr(item, data)
    assert inspect(str(tampered), standard=S).exit_code == 3


def test_uitvraag_proposal():
    assert pkgmod.propose_uitvraag(dt.date(2026, 3, 1)) == "2026-voorjaar"
    assert pkgmod.propose_uitvraag(dt.date(2026, 11, 28)) == "2026-najaar"


def test_csv_is_utf8_with_header(tmp_path):
    plans = clean_plans(3, seed=4)
    plans.records[0]["plannaam"] = "Één, \"twee\" en drie"
    t, f = tables(plans)
    result = do_export(t, f, tmp_path / "p.zip")
    with zipfile.ZipFile(result.zip_path) as zf:
        text = zf.read("woningbouwplannen.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "Één, \"twee\" en drie" in [r["plannaam"] for r in rows]


def test_copy_from_geopackage_equals_written_package(tmp_path):
    """A GeoPackage source is copied inside SQLite; the result equals the row-by-row writer's."""
    from pkg_util import write_plans
    plans = clean_plans(300, seed=31)
    for i, rec in enumerate(plans.records):
        if i % 40 == 0:
            rec.update(planstatus="5A", vertrouwelijkheid="gemeente", vertrouwelijk_reden="intern")
    src = write_plans(tmp_path / "src.gpkg", plans.records, plans.geometries, plans.fasering)
    t, _ = ogrio.read_plans(src, S)
    f = ogrio.read_fasering(src, S)
    assert t.origin is not None and f.origin is not None
    copied = do_export(t, f, tmp_path / "copied.zip")
    t.origin = None                        # force the row-by-row writer
    f.origin = None
    written = do_export(t, f, tmp_path / "written.zip")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, a, fa = read_back(copied.zip_path, tmp_path / "a")
    _, b, fb = read_back(written.zip_path, tmp_path / "b")
    assert a.n == b.n == copied.manifest["counts"]["plans"]
    for name in a.columns:
        assert equal_column(a.columns[name], b.columns[name]), name
    assert all(ga.equals_exact(gb, 0) for ga, gb in zip(a.geometry, b.geometry))
    assert list(fa.plan_id) == list(fb.plan_id) and np.array_equal(fa.aantal, fb.aantal)
    for folder in (tmp_path / "a" / "unzipped", tmp_path / "b" / "unzipped"):
        r = subprocess.run([sys.executable, VALIDATE_GPKG, str(folder / "woningbouwplannen.gpkg")],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    with zipfile.ZipFile(copied.zip_path) as zf:        # the GeoPackage is stored, the text deflated
        assert zf.getinfo("woningbouwplannen.gpkg").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("woningbouwplannen.csv").compress_type == zipfile.ZIP_DEFLATED
