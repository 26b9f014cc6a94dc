"""Reading files with GDAL (no QGIS): columns come back aligned and typed."""
from __future__ import annotations

import datetime as dt

import numpy as np
from shapely.geometry import MultiPolygon, box

from conftest import make_plan
from lmvw_plugin.standard import load
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import write_plans

S = load()


def test_booleans_dates_and_geometries_stay_on_their_row(tmp_path):
    """GDAL 3.6's Arrow-to-numpy conversion scrambles booleans; the reader must not."""
    n = 40
    flags = [i in (0, 3, 9, 17, 30) for i in range(n)]
    recs = [make_plan(plan_id=f"p{i:02d}", plannaam=f"Plan {i}", vervallen=flags[i], gerealiseerd=(i == 5),
                      datum_vervallen=dt.date(2026, 1, 1 + i % 28) if flags[i] else None) for i in range(n)]
    geoms = [MultiPolygon([box(130000 + 200 * i, 450000, 130100 + 200 * i, 450100)]) for i in range(n)]
    path = write_plans(tmp_path / "p.gpkg", recs, geoms)
    t, info = ogrio.read_plans(path, S)
    assert info.epsg == 28992 and t.n == n
    order = np.argsort(t.columns["plan_id"].astype(str))
    assert (t.columns["vervallen"][order] == 1.0).tolist() == flags
    assert (t.columns["gerealiseerd"][order] == 1.0).tolist() == [i == 5 for i in range(n)]
    assert [d for d in t.columns["datum_vervallen"][order]] == [r["datum_vervallen"] for r in recs]
    assert [round(g.bounds[0]) for g in t.geometry[order]] == [130000 + 200 * i for i in range(n)]


def test_missing_file_and_layer_reasons(tmp_path):
    import pytest
    with pytest.raises(ogrio.SourceError) as e:
        ogrio.read_plans(str(tmp_path / "nope.gpkg"), S)
    assert e.value.reason == "not_found"
    path = write_plans(tmp_path / "p.gpkg", [make_plan()], [MultiPolygon([box(130000, 450000, 130100, 450100)])])
    with pytest.raises(ogrio.SourceError) as e:
        ogrio.read_plans(path, S, layer="wijken")
    assert e.value.reason == "layer_not_found"
