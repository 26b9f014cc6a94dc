"""The command line: exit codes, messages, the JSON report, and what it never touches."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from shapely.geometry import MultiPolygon, Point, box

from conftest import make_plan
from pkg_util import leftovers, sha256, write_plans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEOM = MultiPolygon([box(130000, 450000, 130100, 450100)])


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "LMVW_LANG"}
    return subprocess.run([sys.executable, "-m", "lmvw_plugin", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env)


@pytest.fixture
def good(tmp_path):
    return write_plans(tmp_path / "good.gpkg", [make_plan()], [GEOM])


@pytest.fixture
def bad(tmp_path):
    recs = [make_plan(), make_plan(plan_id="22222222-2222-4333-8444-555555555555", plannaam="Noord", eengezins=8)]
    return write_plans(tmp_path / "bad.gpkg", recs, [GEOM, MultiPolygon([box(131000, 450000, 131100, 450100)])])


def test_help_documents_every_command():
    r = run("--help")
    assert r.returncode == 0
    for cmd in ("new", "validate", "export", "inspect", "demo"):
        assert cmd in r.stdout
    for cmd in ("new", "validate", "export", "inspect", "demo"):
        assert run(cmd, "--help").returncode == 0


def test_validate_exit_0_without_errors(good):
    r = run("validate", good, "--peildatum", "2026-10-01")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 plan: 0 fouten" in r.stdout


def test_validate_exit_1_with_errors_and_json(bad, tmp_path):
    out = tmp_path / "report.json"
    r = run("validate", bad, "--peildatum", "2026-10-01", "--json", out)
    assert r.returncode == 1
    assert "Woningtypen tellen op tot 38, bruto plancapaciteit is 40: verdeel de 2 resterende woningen." in r.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"] == {"plans": 2, "errors": 1, "warnings": 0, "by_rule": {"R04": 1}}
    f = data["findings"][0]
    assert {k: f[k] for k in ("rule", "severity", "plan_id", "field")} == {
        "rule": "R04", "severity": "error", "plan_id": "22222222-2222-4333-8444-555555555555",
        "field": "woningtype_onbekend"}
    assert "38" in f["message"]


def test_validate_in_english(bad):
    r = run("validate", bad, "--peildatum", "2026-10-01", "--lang", "en")
    assert "Dwelling types add up to 38, gross plan capacity is 40" in r.stdout
    assert "2 plans: 1 error," in r.stdout


def test_validate_peildatum_changes_r19(tmp_path):
    path = write_plans(tmp_path / "p.gpkg", [make_plan(aantal_gerealiseerd=0)], [GEOM],
                       [{"plan_id": make_plan()["plan_id"], "jaar": 2026, "aantal": 40, "sloop": 0}])
    assert run("validate", path, "--peildatum", "2026-10-01").returncode == 0
    r = run("validate", path, "--peildatum", "2027-01-01", "--lang", "en")
    assert r.returncode == 1 and "R19" in r.stdout


@pytest.mark.parametrize("make,expect", [
    (lambda p: p / "missing.gpkg", "bestaat niet"),
    (lambda p: (p / "junk.gpkg").write_text("not a geopackage") and p / "junk.gpkg", "Kan"),
])
def test_validate_exit_2_when_unreadable(tmp_path, make, expect):
    path = make(tmp_path)
    r = run("validate", path)
    assert r.returncode == 2
    assert expect in r.stderr and "Traceback" not in r.stderr


def test_validate_exit_2_lists_missing_fields(tmp_path):
    from osgeo import ogr
    path = str(tmp_path / "other.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("wijken", None, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("plannaam", ogr.OFTString))
    ds = None
    r = run("validate", path)
    assert r.returncode == 2
    assert "planstatus" in r.stderr and "bruto_plancapaciteit" in r.stderr and "Traceback" not in r.stderr


def test_validate_shapefile_message(tmp_path):
    from osgeo import ogr
    path = str(tmp_path / "plans.shp")
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    lyr = ds.CreateLayer("plans", None, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("bruto_plancapaciteit", ogr.OFTInteger))   # truncated to bruto_plan
    ds = None
    r = run("validate", path)
    assert r.returncode == 2 and "10 tekens" in r.stderr


def test_validate_points_give_g02_per_feature(tmp_path):
    recs = [make_plan(plan_id=f"p{i}", plannaam=f"P{i}") for i in range(3)]
    path = write_plans(tmp_path / "pts.gpkg", recs, [MultiPolygon([box(130000, 450000, 130100, 450100)]),
                                                     Point(130000, 450000), Point(131000, 450000)])
    r = run("validate", path, "--json", tmp_path / "r.json", "--peildatum", "2026-10-01")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"]["by_rule"].get("G02") == 2 and r.returncode == 1


# --------------------------------------------------------------------------------------------- export


def export_args(src, out, *extra):
    return ("export", src, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01", "-o", out, *extra)


def test_export_exit_0_and_source_unchanged(good, tmp_path):
    before = sha256(good)
    out = tmp_path / "out"
    out.mkdir()
    r = run(*export_args(good, out))
    assert r.returncode == 0, r.stderr
    zip_path = out / "lmvw_GM0344_2026-najaar.zip"
    assert zip_path.exists()
    assert sha256(good) == before
    with zipfile.ZipFile(zip_path) as zf:
        assert sorted(zf.namelist()) == sorted(["woningbouwplannen.gpkg", "woningbouwplannen.csv", "fasering.csv",
                                                "manifest.json", "validatierapport.html"])
    assert leftovers(out) == []


def test_export_exit_1_when_errors_block_and_nothing_written(bad, tmp_path):
    out = tmp_path / "pkg.zip"
    r = run(*export_args(bad, out))
    assert r.returncode == 1
    assert "Niet geëxporteerd" in r.stderr and "--concept" in r.stderr
    assert not out.exists() and leftovers(tmp_path) == []
    r = run(*export_args(bad, out, "--concept"))
    assert r.returncode == 0
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["concept"] is True and manifest["validation"]["errors"] == 1
    assert "bevat fouten" in r.stdout


def test_export_concept_without_errors_does_not_claim_errors(good, tmp_path):
    r = run(*export_args(good, tmp_path / "pkg.zip", "--concept"))
    assert r.returncode == 0, r.stderr
    assert "CONCEPT" in r.stdout and "bevat fouten" not in r.stdout and "geen fouten" in r.stdout


def test_export_exit_2_on_bad_input(good, tmp_path):
    r = run("export", good, "--uitvraag", "najaar-2026", "--peildatum", "2026-10-01", "-o", tmp_path / "x.zip")
    assert r.returncode == 2 and "2026-najaar" in r.stderr
    r = run("export", good, "--uitvraag", "2026-najaar", "--peildatum", "1-10-2026", "-o", tmp_path / "x.zip")
    assert r.returncode == 2
    existing = tmp_path / "exists.zip"
    assert run(*export_args(good, existing)).returncode == 0
    earlier = existing.read_bytes()
    r = run(*export_args(good, existing))
    assert r.returncode == 2 and "--overwrite" in r.stderr
    assert existing.read_bytes() == earlier
    assert run(*export_args(good, existing, "--overwrite")).returncode == 0
    assert zipfile.is_zipfile(existing)
    r = run(*export_args(good, "/sys/kernel/x.zip" if os.geteuid() == 0 else "/x.zip"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_export_asks_for_gemeente_when_plans_differ(tmp_path):
    recs = [make_plan(), make_plan(plan_id="b", plannaam="Noord", gemeentecode="GM0363")]
    path = write_plans(tmp_path / "two.gpkg", recs, [GEOM, MultiPolygon([box(131000, 450000, 131100, 450100)])])
    r = run(*export_args(path, tmp_path / "x.zip"))
    assert r.returncode == 2 and "--gemeente" in r.stderr and "GM0363" in r.stderr
    r = run(*export_args(path, tmp_path / "x.zip", "--gemeente", "GM0344"))
    assert r.returncode == 1 and "C05" in r.stderr          # a plan of another gemeente is an error


def test_inspect_detects_tampering(good, tmp_path):
    pkg = tmp_path / "pkg.zip"
    assert run(*export_args(good, pkg)).returncode == 0
    r = run("inspect", pkg)
    assert r.returncode == 0, r.stdout + r.stderr
    # change one file inside the zip
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pkg) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "woningbouwplannen.csv":
                data = data.replace(b",40,", b",400,", 1)
            dst.writestr(item, data)
    r = run("inspect", tampered)
    assert r.returncode == 3 and "woningbouwplannen.csv" in r.stderr
    # drop a file
    incomplete = tmp_path / "incomplete.zip"
    with zipfile.ZipFile(pkg) as src, zipfile.ZipFile(incomplete, "w") as dst:
        for item in src.infolist():
            if item.filename != "fasering.csv":
                dst.writestr(item, src.read(item.filename))
    assert run("inspect", incomplete).returncode == 3
    junk = tmp_path / "junk.zip"
    junk.write_text("nope")
    assert run("inspect", junk).returncode == 2


def test_inspect_concept_package_is_invalid(bad, tmp_path):
    pkg = tmp_path / "c.zip"
    assert run(*export_args(bad, pkg, "--concept")).returncode == 0
    r = run("inspect", pkg)
    assert r.returncode == 1 and "CONCEPT" in r.stdout


def test_validate_export_inspect_do_not_start_qgis(good, tmp_path):
    """The command line checks and exports without importing qgis (that alone takes a second)."""
    code = ("import sys; from lmvw_plugin.cli import main\n"
            f"rc = [main(['validate', {good!r}]), main(['export', {good!r}, '--uitvraag', '2026-najaar', "
            f"'--peildatum', '2026-10-01', '-o', {str(tmp_path / 'p.zip')!r}]), main(['inspect', "
            f"{str(tmp_path / 'p.zip')!r}])]\n"
            "assert rc == [0, 0, 0], rc\n"
            "assert not [m for m in sys.modules if m == 'qgis' or m.startswith('qgis.')], 'qgis imported'\n"
            "assert 'PyQt5.QtCore' not in sys.modules\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Pakket geschreven" in r.stdout or "geschreven" in r.stdout


def test_demo_summary_adds_up(tmp_path):
    """'24 plannen geleverd (13 hard, 10 zacht)' did not add up: the cancelled plan is named."""
    import re
    r = run("demo", "--out", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"(\d+) plannen geleverd \((\d+) hard, (\d+) zacht, (\d+) vervallen\)", r.stdout)
    assert m, r.stdout
    plans, hard, soft, vervallen = map(int, m.groups())
    assert plans == hard + soft + vervallen and vervallen >= 1
    assert "1 plannen" not in r.stdout and "1 fouten" not in r.stdout


def test_export_refuses_zero_plans_and_keeps_the_previous_package(good, tmp_path):
    """A delivery in which no plan is delivered would replace the last package: exit 2, a clear
    message, nothing replaced."""
    out = tmp_path / "out"
    out.mkdir()
    assert run(*export_args(good, out / "pakket.zip")).returncode == 0
    before = sha256(out / "pakket.zip")
    r = run(*export_args(good, out / "pakket.zip", "--gemeente", "GM0363", "--overwrite"))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Het enige plan in de laag wordt niet geleverd" in r.stderr and "niets geschreven" in r.stderr
    assert sha256(out / "pakket.zip") == before and sorted(os.listdir(out)) == ["pakket.zip"]


def test_export_of_an_empty_layer_says_so(tmp_path):
    empty = write_plans(tmp_path / "leeg.gpkg", [], [])
    r = run(*export_args(empty, tmp_path))
    assert r.returncode == 2 and "De laag heeft geen plannen" in r.stderr, r.stderr
    assert not any(name.endswith(".zip") for name in os.listdir(tmp_path))
