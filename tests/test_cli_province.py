"""`export --format …` and `new --provincie …` on the command line: the file names of the issue, the
exit codes of the package, lmvw still the default."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, box

from conftest import make_plan
from lmvw_plugin.delivery.writers import write_gpkg
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from lmvw_plugin.standard.provinces import extend
from pkg_util import leftovers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEOM = MultiPolygon([box(92000, 437000, 92100, 437100)])
ARGS = ["--uitvraag", "2026-najaar", "--peildatum", "2026-10-01"]


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "LMVW_LANG"}
    return subprocess.run([sys.executable, "-m", "lmvw_plugin", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env)


def zh_gpkg(path, **extra):
    s = extend(load(), "zuid-holland")
    rec = make_plan(gemeentecode="GM0599", woonplaats="Rotterdam", opdrachtgever_type="gemeente")
    rec.update({"zh_categorie_planlijst": "2 reserveplannen", "zh_studentenwoningen": 0, "zh_regio": "Rotterdam"})
    rec.update(extra)
    t = PlanTable.from_records(s, [rec], [GEOM])
    rest = (rec["bruto_plancapaciteit"] or 0) - (rec.get("aantal_gerealiseerd") or 0)
    f = FaseringTable.from_records(s, [{"plan_id": rec["plan_id"], "jaar": 2027, "aantal": rest, "sloop": 0}])
    write_gpkg(str(path), s, s.fields, t.columns, t.geometry, f, np.arange(f.n), only_polygons=False)
    return str(path)


def test_zuid_holland_is_written_with_its_file_name_and_report(tmp_path):
    src = zh_gpkg(tmp_path / "plans.gpkg")
    out = tmp_path / "out"
    out.mkdir()
    r = run("export", src, *ARGS, "--format", "zuid-holland", "-o", out)
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(os.listdir(out)) == ["lmvw_GM0599_2026-najaar.pzh.geojson",
                                       "lmvw_GM0599_2026-najaar_validatierapport.html"]
    doc = json.loads((out / "lmvw_GM0599_2026-najaar.pzh.geojson").read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["ph_text1"] == "2 reserveplannen"
    assert "lmvw_GM0599_2026-najaar.pzh.geojson" in r.stdout
    # again: exists (2), with --overwrite replaced (0)
    r = run("export", src, *ARGS, "--format", "zuid-holland", "-o", out)
    assert r.returncode == 2 and "bestaat al" in r.stderr
    r = run("export", src, *ARGS, "--format", "zuid-holland", "-o", out, "--overwrite", "--rfc7946")
    assert r.returncode == 0, r.stderr
    assert "crs" not in json.loads((out / "lmvw_GM0599_2026-najaar.pzh.geojson").read_text(encoding="utf-8"))
    assert leftovers(out) == []


def test_the_provinces_errors_give_exit_1_and_nothing_is_written(tmp_path):
    src = zh_gpkg(tmp_path / "plans.gpkg", zh_categorie_planlijst=None)
    out = tmp_path / "out"
    out.mkdir()
    r = run("export", src, *ARGS, "--format", "zuid-holland", "-o", out)
    assert r.returncode == 1
    assert "PZH01" in r.stderr and "Categorie planlijst is leeg" in r.stderr
    assert os.listdir(out) == []
    r = run("export", src, *ARGS, "--format", "zuid-holland", "-o", out, "--concept", "--lang", "en")
    assert r.returncode == 0 and "CONCEPT" in r.stdout


def test_lmvw_stays_the_default_and_unchanged(tmp_path):
    src = zh_gpkg(tmp_path / "plans.gpkg")
    out = tmp_path / "out"
    out.mkdir()
    r = run("export", src, *ARGS, "-o", out)
    assert r.returncode == 0, r.stderr
    assert os.listdir(out) == ["lmvw_GM0599_2026-najaar.zip"]
    r = run("export", src, *ARGS, "--format", "lmvw", "-o", out, "--overwrite")
    assert r.returncode == 0, r.stderr


def test_an_unknown_format_is_refused_by_the_parser(tmp_path):
    r = run("export", "x.gpkg", *ARGS, "--format", "friesland", "-o", tmp_path)
    assert r.returncode == 2 and "friesland" in r.stderr
    r = run("export", "--help")
    assert "zuid-holland" in r.stdout and "gelderland" in r.stdout


def test_a_format_without_its_writer_says_so(tmp_path):
    from lmvw_plugin.delivery.province import available
    if available("filegdb-gelderland"):
        pytest.skip("the Gelderland writer is installed (branch gld)")
    src = zh_gpkg(tmp_path / "plans.gpkg")
    r = run("export", src, *ARGS, "--format", "gelderland", "-o", tmp_path, "--concept")
    assert r.returncode == 2 and "filegdb-gelderland" in r.stderr
    assert sorted(os.listdir(tmp_path)) == ["plans.gpkg"]


@pytest.mark.parametrize("key,field", [("zuid-holland", "zh_categorie_planlijst"), ("gelderland", "gld_realisatiekans"),
                                       ("zeeland", "zl_knelpunten")])
def test_new_with_a_province_adds_its_fields_and_the_split_columns(tmp_path, key, field):
    from osgeo import ogr
    path = tmp_path / "p.gpkg"
    r = run("new", path, "--gemeente", "GM0599", "--provincie", key)
    assert r.returncode == 0, r.stderr
    ds = ogr.Open(str(path))
    names = [ds.GetLayerByName("woningbouwplannen").GetLayerDefn().GetFieldDefn(i).GetName()
             for i in range(ds.GetLayerByName("woningbouwplannen").GetLayerDefn().GetFieldCount())]
    assert field in names
    fas = ds.GetLayerByName("fasering").GetLayerDefn()
    assert "eengezins" in [fas.GetFieldDefn(i).GetName() for i in range(fas.GetFieldCount())]
    # without --provincie: today's layer, no extras
    plain = tmp_path / "plain.gpkg"
    assert run("new", plain, "--gemeente", "GM0599").returncode == 0
    ds = ogr.Open(str(plain))
    defn = ds.GetLayerByName("woningbouwplannen").GetLayerDefn()
    assert field not in [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
