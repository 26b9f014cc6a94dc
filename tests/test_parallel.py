"""The validation split over threads (chunks over a pool, geometry facts beside the reading) gives
byte for byte the findings JSON of a run in one thread, on the same file (issue 15)."""
from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from lmvw_plugin import demo
from lmvw_plugin.common import threads
from lmvw_plugin.delivery.writers import write_gpkg
from lmvw_plugin.rules.engine import Validator
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from lmvw_plugin.storage import ogr as ogrio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEILDATUM = _dt.date(2026, 10, 1)
# a small area, so that many plans overlap
BOXES = [(130000.0, 450000.0, 140000.0, 460000.0)]


@pytest.fixture(scope="module")
def layer(tmp_path_factory):
    s = load()
    ps = demo.generate(3000, s, seed=15, peiljaar=2026, invalid_rate=0.05, overlap_rate=0.15,
                       defect_rate=0.05, vertices=(12, 60), boxes=BOXES, gemeenten=["GM0344"])
    plans = PlanTable.from_records(s, ps.records, ps.geometries)
    fas = FaseringTable.from_records(s, ps.fasering)
    path = str(tmp_path_factory.mktemp("parallel") / "plans.gpkg")
    write_gpkg(path, s, s.fields, plans.columns, plans.geometry, fas, np.arange(fas.n))
    return path


def _findings_json(path: str, facts: bool) -> str:
    s = load()
    plans, _ = ogrio.read_plans(path, s, facts=facts)
    fasering = ogrio.read_fasering(path, s)
    return Validator(s, "nl", PEILDATUM).validate(plans, fasering).to_json()


def test_chunked_parallel_run_equals_one_thread(layer, monkeypatch):
    monkeypatch.setattr(threads, "WORKERS", 1)
    one = _findings_json(layer, facts=False)

    calls = []
    real = threads.chunks

    def counting(n, min_size):
        got = real(n, min_size)
        calls.append(len(got) - 1)
        return got
    monkeypatch.setattr(threads, "WORKERS", 3)              # uneven chunks, more threads than cores
    monkeypatch.setattr(threads, "PARALLEL_MIN", 40)         # chunked also at 3,000 plans
    monkeypatch.setattr(threads, "chunks", counting)
    many = _findings_json(layer, facts=True)

    assert max(calls) > 3, calls                            # the work really was split
    by_rule = json.loads(one)["summary"]["by_rule"]
    assert by_rule.get("C03", 0) > 50 and by_rule.get("G03", 0) > 50, by_rule
    assert many == one


def test_command_line_in_one_thread_writes_the_same_json(layer, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, QT_QPA_PLATFORM="offscreen")
    out = {}
    for name, threads_env in (("one", "1"), ("default", "")):
        target = str(tmp_path / f"{name}.json")
        e = dict(env, LMVW_THREADS=threads_env)
        r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "validate", layer, "--peildatum",
                            PEILDATUM.isoformat(), "--json", target], env=e, capture_output=True, text=True)
        assert r.returncode == 1, r.stderr                  # the layer has errors
        with open(target, "rb") as fh:
            out[name] = fh.read()
    assert out["one"] == out["default"]


def test_validity_beside_the_parsing_checks_the_geometries_made_2d(layer, tmp_path, monkeypatch):
    """Each parsed batch's validity is worked out at once, beside the parsing of the next
    (storage.ogr `_EarlyValidity`); plans stored with Z are made 2D after that, and their validity
    is the one of the 2D geometry, as in one thread."""
    import shutil

    import shapely
    from osgeo import ogr

    path = str(tmp_path / "z.gpkg")
    shutil.copy(layer, path)
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayerByName(load().layer_name)
    changed = 0
    for feat in lyr:
        if feat.GetFID() % 7 == 0:                       # every 7th plan, invalid ones included
            g = shapely.from_wkb(bytes(feat.GetGeometryRef().ExportToIsoWkb()))
            feat.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.force_3d(g, 5.0))))
            lyr.SetFeature(feat)
            changed += 1
    lyr = ds = None
    s = load()
    monkeypatch.setattr(threads, "WORKERS", 1)
    one = _findings_json(path, facts=False)
    monkeypatch.setattr(threads, "WORKERS", 2)
    plans, info = ogrio.read_plans(path, s, facts=True)
    facts = plans.geometry_facts()
    assert info.flattened == changed > 300
    assert not shapely.has_z(plans.geometry).any()
    polygonal = facts.polygonal
    assert (facts.valid[polygonal] == shapely.is_valid(plans.geometry[polygonal])).all()
    assert (~facts.valid).sum() > 50
    assert _findings_json(path, facts=True) == one


def test_a_failure_of_the_validity_beside_the_parsing_reaches_the_caller(layer, monkeypatch):
    monkeypatch.setattr(threads, "WORKERS", 2)

    def broken(geoms):
        raise MemoryError("no memory for GEOS")
    monkeypatch.setattr(ogrio, "_is_valid", broken)
    plans, _ = ogrio.read_plans(layer, load(), facts=True)
    with pytest.raises(MemoryError, match="no memory for GEOS"):
        plans.geometry_facts()
