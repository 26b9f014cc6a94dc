"""A layer's columns read in a child process (storage/arrow.py): the command line's import reads
Gelderland's year rows so, beside its own work, because GDAL keeps the GIL while it reads a FileGDB."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from osgeo import ogr

from lmvw_plugin.delivery import import_province as ip
from lmvw_plugin.storage import arrow


def _table(path, rows):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("DetailPlanning", geom_type=ogr.wkbNone)
    for name, kind in (("parent_globalid", ogr.OFTString), ("jaartal", ogr.OFTInteger), ("aantal", ogr.OFTInteger),
                       ("opmerking", ogr.OFTString)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for r in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in r.items():
            if v is not None:
                f.SetField(k, v)
        lyr.CreateFeature(f)
    ds = None
    return str(path)


ROWS = [{"parent_globalid": "{A}", "jaartal": 2027, "aantal": 5, "opmerking": "één"},
        {"parent_globalid": "{B}", "jaartal": None, "aantal": 7, "opmerking": None},
        {"parent_globalid": "{A}", "jaartal": 2029, "aantal": None, "opmerking": "x"}]
WANTED = ["parent_globalid", "jaartal", "aantal"]


def _same(a, b):
    ca, fa, _ = a
    cb, fb, _ = b
    assert np.array_equal(fa, fb) and set(ca) == set(cb) == set(WANTED)
    for k in ca:
        assert ip._values(ca[k]) == ip._values(cb[k]), k


def test_the_child_reads_what_this_process_reads(tmp_path, monkeypatch):
    path = _table(tmp_path / "d.gpkg", ROWS)
    monkeypatch.setattr(arrow, "CHILD_PYTHON", sys.executable)
    here = arrow.read_layer(path, "DetailPlanning", WANTED)
    future = arrow.read_in_child(path, "DetailPlanning", WANTED)
    assert future is not None
    got = future.result(timeout=60)
    _same(got, here)
    assert ip._values(got[0]["jaartal"]) == [2027, None, 2029]
    assert ip._values(got[0]["parent_globalid"]) == ["{A}", "{B}", "{A}"]


def test_no_child_inside_qgis_and_a_failing_child_is_read_here(tmp_path, monkeypatch):
    path = _table(tmp_path / "d.gpkg", ROWS)
    here = arrow.read_layer(path, "DetailPlanning", WANTED)
    monkeypatch.setattr(arrow, "CHILD_PYTHON", None)              # QGIS: a thread, no child
    assert arrow.read_in_child(path, "DetailPlanning", WANTED) is None
    _same(ip._detail_result(ip._read_detail(path, WANTED), path, WANTED), here)
    monkeypatch.setattr(arrow, "CHILD_PYTHON", "/bin/false")        # a child that dies at once
    future = arrow.read_in_child(path, "DetailPlanning", WANTED)
    with pytest.raises(arrow.ChildFailed):
        future.result(timeout=60)
    _same(ip._detail_result(ip._read_detail(path, WANTED), path, WANTED), here)


def test_a_layer_the_child_cannot_read_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(arrow, "CHILD_PYTHON", sys.executable)
    future = arrow.read_in_child(str(tmp_path / "missing.gdb"), "DetailPlanning", WANTED)
    with pytest.raises(arrow.ChildFailed) as e:
        future.result(timeout=60)
    assert "RuntimeError" in str(e.value)
