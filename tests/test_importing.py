"""Import (issue 10): tables through a mapping, earlier packages, the preview, the command line."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from osgeo import ogr, osr
from shapely.geometry import MultiPolygon, box

from conftest import PEILDATUM, make_plan
from lmvw_plugin.delivery import importing as im
from lmvw_plugin.delivery.package import export
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import clean_plans, sha256, write_plans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IDS = [f"11111111-2222-4333-8444-{i:012d}" for i in range(10)]


def cli(*args):
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "import", *map(str, args)], cwd=ROOT,
                       capture_output=True, text=True, env=dict(os.environ, LMVW_LANG="nl"))
    return r.returncode, r.stdout, r.stderr


def target_with(tmp_path, recs, name="target.gpkg", fasering=()):
    geoms = [MultiPolygon([box(130000 + 200 * i, 450000, 130100 + 200 * i, 450100)]) for i in range(len(recs))]
    return write_plans(tmp_path / name, recs, geoms, fasering)


def read(path, standard):
    plans, _ = ogrio.read_plans(str(path), standard)
    return plans, ogrio.read_fasering(str(path), standard)


def by_id(plans, standard):
    return {plans.value("plan_id", i): {f.name: plans.value(f.name, i) for f in standard.fields}
            for i in range(plans.n)}


def ogr_table(path, driver, fields, rows, geoms=None, srs_epsg=None, geom_type=ogr.wkbUnknown, options=()):
    """A source table written by OGR: fields [(name, ogr type)], rows [dict], geoms [WKT or None]."""
    drv = ogr.GetDriverByName(driver)
    ds = drv.CreateDataSource(str(path))
    srs = None
    if srs_epsg:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(srs_epsg)
    lyr = ds.CreateLayer("plannen", srs, geom_type if geoms is not None else ogr.wkbNone, options=list(options))
    for name, kind in fields:
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for k, r in enumerate(rows):
        f = ogr.Feature(lyr.GetLayerDefn())
        for name, v in r.items():
            if v is not None:
                f.SetField(name, v)
        if geoms is not None and geoms[k]:
            f.SetGeometry(ogr.CreateGeometryFromWkt(geoms[k]))
        lyr.CreateFeature(f)
    ds = None  # noqa: F841
    return str(path)


# ------------------------------------------------------------------------------------------------
# round trips


def test_round_trip_export_then_import_gives_the_same_plans(tmp_path, standard):
    g = clean_plans(25, seed=5)
    src = write_plans(tmp_path / "plans.gpkg", g.records, g.geometries, g.fasering)
    plans, fas = read(src, standard)
    zip_path = tmp_path / "lmvw_GM0344_2026-najaar.zip"
    export(plans, fas, str(zip_path), gemeente="GM0344", uitvraag="2026-najaar", peildatum=PEILDATUM,
           profile="provincie_volledig", concept=True, lang="nl", plugin_version="0.1.0", standard=standard,
           sources=[src])
    res = im.run_import(str(zip_path), str(tmp_path / "back.gpkg"), standard)
    assert res.source.format == "lmvw"
    # the report names what the format does not hold
    assert res.source.not_carried == ["vertrouwelijk_reden"]
    assert any("vertrouwelijk_reden" in n for n in res.preview.notes)
    back, back_fas = read(tmp_path / "back.gpkg", standard)
    orig = by_id(plans, standard)
    got = by_id(back, standard)
    delivered = {k for k, v in orig.items() if v["planstatus"] not in standard.internal_statuses}
    assert set(got) == delivered and res.preview.summary["new"] == len(delivered)
    for pid in delivered:
        for f in standard.fields:
            if f.name in ("vertrouwelijk_reden", "gewijzigd_op"):
                continue
            assert got[pid][f.name] == orig[pid][f.name], (pid, f.name)
    geo_orig = {plans.value("plan_id", i): plans.geometry[i] for i in range(plans.n)}
    for i in range(back.n):
        assert back.geometry[i].equals(geo_orig[back.value("plan_id", i)])
    rows = lambda t: sorted((t.value("plan_id", i), t.value("jaar", i), t.value("aantal", i))  # noqa: E731
                            for i in range(t.n) if t.value("plan_id", i) in delivered)
    assert rows(back_fas) == rows(fas)
    # importing the same package again changes nothing: plan_id continuity
    again = im.run_import(str(zip_path), str(tmp_path / "back.gpkg"), standard)
    assert again.preview.summary["unchanged"] == len(delivered) and not again.written
    assert read(tmp_path / "back.gpkg", standard)[0].n == len(delivered)


def test_round_trip_of_a_table_gpkg_keeps_every_field(tmp_path, standard):
    g = clean_plans(12, seed=2)
    src = write_plans(tmp_path / "other.gpkg", g.records, g.geometries, g.fasering)
    res = im.run_import(src, str(tmp_path / "new.gpkg"), standard)
    assert res.preview.problems == [] and res.preview.summary["new"] == 12
    a, b = read(src, standard)[0], read(tmp_path / "new.gpkg", standard)[0]
    assert by_id(a, standard).keys() == by_id(b, standard).keys()
    for pid, rec in by_id(a, standard).items():
        other = by_id(b, standard)[pid]
        assert {k: v for k, v in rec.items() if k != "gewijzigd_op"} == \
            {k: v for k, v in other.items() if k != "gewijzigd_op"}


def test_import_into_a_layer_with_some_plans_updates_by_key(tmp_path, standard):
    target = target_with(tmp_path, [
        make_plan(plan_id=IDS[0], plannaam="Centrum"),
        make_plan(plan_id=IDS[1], plannaam="Haven", plan_id_extern="{GLOBAL-1}"),
        make_plan(plan_id=IDS[2], plannaam="Stationsgebied"),
        make_plan(plan_id=IDS[3], plannaam="Blijft"),
    ], fasering=[{"plan_id": IDS[0], "jaar": 2027, "aantal": 40, "sloop": 0}])
    csv = tmp_path / "bron.csv"
    csv.write_text(
        "plan_id,GlobalID,Plannaam,Gemeente,Planstatus,Bruto plancapaciteit,WKT\n"
        f"{IDS[0]},,Centrum,GM0344,2A. Vastgesteld,40,\n"            # by plan_id: status changes
        ",{GLOBAL-1},Haven,GM0344,3. In voorbereiding,55,\n"            # by plan_id_extern: capacity changes
        ",,Stationsgebied ,Utrecht,3,40,\n"                              # by name within the gemeente: unchanged
        ",,Nieuw plan,GM0344,4A,12,\"POLYGON((131000 451000,131100 451000,131100 451100,131000 451000))\"\n",
        encoding="utf-8")
    before = sha256(csv)
    res = im.run_import(str(csv), target, standard)
    acts = {a.plannaam.strip(): a for a in res.preview.actions}
    assert acts["Centrum"].action == im.UPDATE and acts["Centrum"].matched_by == "plan_id"
    assert acts["Centrum"].changes == {"planstatus": ("3", "2A")}
    assert acts["Haven"].action == im.UPDATE and acts["Haven"].matched_by == "plan_id_extern"
    assert acts["Haven"].changes == {"bruto_plancapaciteit": (40, 55)}
    assert acts["Stationsgebied"].action == im.UNCHANGED and acts["Stationsgebied"].matched_by == "plannaam"
    assert acts["Nieuw plan"].action == im.NEW
    plans, fas = read(target, standard)
    got = by_id(plans, standard)
    assert plans.n == 5                                  # four kept, one added: nothing doubled
    assert got[IDS[0]]["planstatus"] == "2A" and got[IDS[1]]["bruto_plancapaciteit"] == 55
    assert got[IDS[3]]["plannaam"] == "Blijft"
    new = [v for k, v in got.items() if k not in IDS][0]
    assert new["plannaam"] == "Nieuw plan" and new["planstatus"] == "4A" and new["gemeentecode"] == "GM0344"
    assert im._UUID.match(new["plan_id"])
    assert fas.n == 1                                    # the target's fasering is kept (the CSV has none)
    assert sha256(csv) == before                         # the source is only read


def test_conflicts_are_not_imported(tmp_path, standard):
    target = target_with(tmp_path, [make_plan(plan_id=IDS[0], plannaam="Dubbel"),
                                    make_plan(plan_id=IDS[1], plannaam="Dubbel"),
                                    make_plan(plan_id=IDS[2], plannaam="Enkel")])
    csv = tmp_path / "c.csv"
    csv.write_text("plannaam,gemeentecode,bruto_plancapaciteit,plan_id\n"
                   "Dubbel,GM0344,10,\n"                       # two target plans of that name
                   f"Enkel,GM0344,10,{IDS[5]}\n", encoding="utf-8")     # same name, another plan-id
    before = sha256(target)
    res = im.run_import(str(csv), target, standard)
    assert [a.action for a in res.preview.actions] == [im.CONFLICT, im.CONFLICT]
    assert {p.kind for p in res.preview.problems} >= {"ambiguous", "name_other_id"}
    assert not res.written and sha256(target) == before


# ------------------------------------------------------------------------------------------------
# mapping


def test_mapping_proposed_from_labels_and_aliases(standard):
    m = im.propose_mapping(["Naam", "Gemeente", "Status planologisch", "Bruto plancapaciteit", "Type opdrachtgever",
                            "waarvan geclusterd", "Iets anders", "GlobalID"], standard)
    assert m.fields == {"Naam": "plannaam", "Gemeente": "gemeentecode", "Status planologisch": "planstatus",
                        "Bruto plancapaciteit": "bruto_plancapaciteit", "Type opdrachtgever": "opdrachtgever_type",
                        "waarvan geclusterd": "geclusterd", "GlobalID": "plan_id_extern"}


def test_mapping_file_round_trip(tmp_path, standard):
    m = im.Mapping({"Projectnaam": "plannaam", "Fase": "projectfase", "Woningen": "bruto_plancapaciteit"},
                   {"projectfase": {"Schetsfase": "initiatief"}})
    path = tmp_path / "map.json"
    m.save(str(path))
    assert im.load_mapping(str(path), standard) == m
    # and it is applied: the own value map works where the code list alone would not
    csv = tmp_path / "s.csv"
    csv.write_text("Projectnaam,Fase,Woningen\nA,Schetsfase,12\n", encoding="utf-8")
    src = im.read_source(str(csv), standard)
    conv = im.convert(src, im.load_mapping(str(path), standard), standard)
    assert conv.records == [{"plannaam": "A", "projectfase": "initiatief", "bruto_plancapaciteit": 12}]


@pytest.mark.parametrize("content, words", [
    ({"lmvw_mapping": 1, "fields": {"Naam": "plannaam", "X": "aantal_huizen"}}, ["aantal_huizen"]),
    ({"lmvw_mapping": 1, "fields": {"S": "planstatus"}, "values": {"planstatus": {"Hard": "1Z"}}}, ["1Z"]),
    ({"lmvw_mapping": 1, "fields": {}, "values": {"plannaam": {"a": "b"}}}, ["plannaam"]),
    ({"fields": {}}, ["lmvw_mapping"]),
])
def test_mapping_file_with_unknown_fields_is_refused(tmp_path, standard, content, words):
    path = tmp_path / "map.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(im.ImportRefused) as e:
        im.load_mapping(str(path), standard)
    assert all(w in e.value.message for w in words)


def test_code_list_values_mapped_ignoring_case_and_spacing_unmapped_listed(tmp_path, standard):
    csv = tmp_path / "s.csv"
    csv.write_text("plannaam,planstatus,vertrouwelijkheid,projectfase\n"
                   "A,1A. Onherroepelijk,Openbaar,5. Realisatie\n"
                   "B,\"  1b   onherroepelijk,  uitwerkingsplicht \",ProvincieGemeente,Bouwvoorbereiding\n"
                   "C,hard,openbaar,initiatief\n", encoding="utf-8")
    src = im.read_source(str(csv), standard)
    m = im.propose_mapping(list(src.columns), standard)
    assert im.unmapped_values(src, m, standard) == {"planstatus": ["hard"]}
    conv = im.convert(src, m, standard)
    assert [r["planstatus"] for r in conv.records] == ["1A", "1B", None]
    assert [r["vertrouwelijkheid"] for r in conv.records] == ["openbaar", "provincie_rijk", "openbaar"]
    assert [r["projectfase"] for r in conv.records] == ["realisatie", "voorbereiding", "initiatief"]
    [p] = conv.problems
    assert (p.source, p.plannaam, p.field, p.value, p.kind) == (im._row_label(2), "C", "planstatus", "hard", "codelist")


def test_bad_values_are_reported_and_the_rest_imported(tmp_path, standard):
    """Values outside their domain, negative counts and years that are dates: each reported, the rest of
    the plan comes over; the command line says so with exit 1 and the JSON report."""
    xlsx = ogr_table(tmp_path / "plannen.xlsx", "XLSX",
                     [("Plannaam", ogr.OFTString), ("Gemeentecode", ogr.OFTString), ("Plantype", ogr.OFTString),
                      ("Planstatus", ogr.OFTString), ("Bruto plancapaciteit", ogr.OFTString),
                      ("Sloop", ogr.OFTString), ("Prijspeiljaar", ogr.OFTString)],
                     [{"Plannaam": "Goed", "Gemeentecode": "344", "Plantype": "Verdichting", "Planstatus": "2A",
                       "Bruto plancapaciteit": "20", "Sloop": "0", "Prijspeiljaar": "2026"},
                      {"Plannaam": "Fout", "Gemeentecode": "GM0344", "Plantype": "Kantoor", "Planstatus": "2A",
                       "Bruto plancapaciteit": "-5", "Sloop": "2.5", "Prijspeiljaar": "2026-01-01"}])
    out = tmp_path / "plans.gpkg"
    report = tmp_path / "report.json"
    rc, stdout, stderr = cli(xlsx, "--into", out, "--json", report)
    assert rc == 1, stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert set(data) == {"summary", "plans", "problems"}
    assert set(data["summary"]) == {"new", "updated", "unchanged", "conflicts", "problems"}
    assert set(data["plans"][0]) == {"plan_id", "plannaam", "action", "changes"}
    got = {(p["source"], p["field"], p["value"]) for p in data["problems"] if p["source"] != "—"}
    assert got == {("rij 2", "plantype", "Kantoor"), ("rij 2", "bruto_plancapaciteit", "-5"),
                   ("rij 2", "sloop", "2.5"), ("rij 2", "prijspeil_jaar", "2026-01-01")}
    assert all(set(p) == {"source", "plannaam", "field", "value", "reason"} and p["reason"] for p in data["problems"])
    assert "negatief" in stdout and "een datum, geen jaartal" in stdout
    plans, _ = read(out, standard)
    rec = {plans.value("plannaam", i): {f.name: plans.value(f.name, i) for f in standard.fields} for i in range(2)}
    assert rec["Goed"]["gemeentecode"] == "GM0344" and rec["Goed"]["prijspeil_jaar"] == 2026
    assert rec["Fout"]["planstatus"] == "2A"                           # the rest came over
    assert rec["Fout"]["plantype"] is None and rec["Fout"]["bruto_plancapaciteit"] is None   # never guessed
    assert rec["Fout"]["sloop"] is None and rec["Fout"]["prijspeil_jaar"] is None


def test_fasering_year_that_is_a_date_drops_that_row_only(standard):
    fas, problems = im._convert_fasering([{"plan_id": "a", "jaar": 2027, "aantal": 3},
                                          {"plan_id": "a", "jaar": "2028-01-01", "aantal": 4}], standard)
    assert fas == {"a": [{"jaar": 2027, "aantal": 3, "sloop": None}]}
    assert [(p.field, p.value, p.kind) for p in problems] == [("fasering.jaar", "2028-01-01", "date_not_year")]


# ------------------------------------------------------------------------------------------------
# geometry


def test_geometries_made_fit_for_the_plan_layer(tmp_path, standard):
    wkts = ["POLYGON ((5.1 52.1, 5.101 52.1, 5.101 52.101, 5.1 52.1))",
            "CURVEPOLYGON (COMPOUNDCURVE (CIRCULARSTRING (5.1 52.0, 5.101 52.001, 5.102 52.0), "
            "(5.102 52.0, 5.1 52.0)))",
            "POLYGON Z ((5.1 52.2 3, 5.101 52.2 3, 5.101 52.201 3, 5.1 52.2 3))",
            "POINT (5.1 52.3)",
            "LINESTRING (5.1 52.3, 5.2 52.3)"]
    src_path = ogr_table(tmp_path / "wgs.gpkg", "GPKG", [("plannaam", ogr.OFTString)],
                         [{"plannaam": f"P{i}"} for i in range(5)], wkts, srs_epsg=4326)
    src = im.read_source(src_path, standard)
    types = [None if g is None else g.geom_type for g in src.geometry]
    assert types == ["MultiPolygon", "MultiPolygon", "MultiPolygon", None, None]
    assert all(100000 < g.centroid.x < 200000 and 400000 < g.centroid.y < 500000 and not g.has_z
               for g in src.geometry[:3])
    assert len(src.notes) == 3 and "EPSG:4326" in src.notes[0]      # transformed, linearised, Z dropped
    conv = im.convert(src, im.propose_mapping(list(src.columns), standard), standard)
    refused = [(p.source, p.field, p.value) for p in conv.problems]
    assert refused == [(im._row_label(3), "geometry", "Point"), (im._row_label(4), "geometry", "LineString")]


def test_csv_with_x_y_points_imports_plans_without_area(tmp_path, standard):
    csv = tmp_path / "xy.csv"
    csv.write_text("plannaam,x,y\nA,131000,455000\n", encoding="utf-8")
    src = im.read_source(str(csv), standard)
    assert src.geometry[0] is None and src.geometry_problems == {0: ("not_polygon", "Point")}


# ------------------------------------------------------------------------------------------------
# refusals: nothing changes


def test_refusals_leave_source_and_target_byte_identical(tmp_path, standard):
    target = target_with(tmp_path, [make_plan(plan_id=IDS[0])])
    src = tmp_path / "bron.csv"
    src.write_text("plannaam,bruto_plancapaciteit\nA,5\n", encoding="utf-8")
    bad_map = tmp_path / "map.json"
    bad_map.write_text(json.dumps({"lmvw_mapping": 1, "fields": {"plannaam": "naam_van_plan"}}), encoding="utf-8")
    damaged = tmp_path / "kapot.gpkg"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    nokey = tmp_path / "nokey.csv"
    nokey.write_text("bruto_plancapaciteit,sloop\n1,2\n", encoding="utf-8")
    plain = ogr_table(tmp_path / "plain.gpkg", "GPKG", [("naam", ogr.OFTString)], [{"naam": "x"}], ["POINT (1 1)"])
    hashes = {p: sha256(p) for p in (target, src, bad_map, damaged, nokey, plain)}
    cases = [(src, ["--mapping", bad_map], "naam_van_plan"),          # a mapping naming unknown fields
             (damaged, [], "kapot.gpkg"),                                # an unreadable file
             (nokey, [], "plannaam"),                                    # nothing to tell plans apart
             (tmp_path / "bestaat-niet.csv", [], "bestaat niet"),
             (src, ["--format", "gelderland"], "Planregistratie"),      # not what the format says
             (src, ["--format", "zeeland"], "Totalen")]                 # a workbook without its labels
    for source, extra, word in cases:
        rc, _out, stderr = cli(source, "--into", target, *extra)
        assert rc == 2 and word in stderr and "ongewijzigd" in stderr, (source, stderr)
    rc, _out, stderr = cli(src, "--into", plain)                       # a target without the Basisset fields
    assert rc == 2 and "Basisset" in stderr
    assert {p: sha256(p) for p in hashes} == hashes


def test_a_failure_while_writing_leaves_the_target_as_it_was(tmp_path, standard, monkeypatch):
    target = target_with(tmp_path, [make_plan(plan_id=IDS[0], plannaam="A")],
                         fasering=[{"plan_id": IDS[0], "jaar": 2027, "aantal": 40, "sloop": 0}])
    src = tmp_path / "s.csv"
    src.write_text(f"plan_id,plannaam,bruto_plancapaciteit\n{IDS[0]},A,41\n,B,3\n", encoding="utf-8")
    before = sha256(target)
    real = im._rtree_insert

    def boom(*a, **k):
        real(*a, **k)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(im, "_rtree_insert", boom)
    with pytest.raises(OSError):
        im.run_import(str(src), target, standard)
    assert sha256(target) == before


def test_a_new_target_is_not_left_behind_after_a_failure(tmp_path, standard, monkeypatch):
    src = tmp_path / "s.csv"
    src.write_text("plannaam,gemeentecode\nA,GM0344\n", encoding="utf-8")
    monkeypatch.setattr(im, "_rtree_insert", lambda *a: (_ for _ in ()).throw(OSError(28, "full")))
    with pytest.raises(OSError):
        im.run_import(str(src), str(tmp_path / "nieuw.gpkg"), standard,
                      create_target=lambda p, g: ogrio.create_datasource(p, standard))
    assert not os.path.exists(tmp_path / "nieuw.gpkg")


# ------------------------------------------------------------------------------------------------
# command line


def test_cli_new_geopackage_as_new_makes_it_then_dry_run(tmp_path, standard):
    g = clean_plans(6, seed=8)
    src = write_plans(tmp_path / "bron.gpkg", g.records, g.geometries, g.fasering)
    out = tmp_path / "nieuw.gpkg"
    rc, stdout, stderr = cli(src, "--into", out)
    assert rc == 0, stderr
    assert "6 nieuw" in stdout
    ds = ogr.Open(str(out))
    assert ds.GetLayerByName("layer_styles") is not None            # the form and style, as 'new' writes them
    assert ds.GetLayerByName("fasering").GetFeatureCount() == len(g.fasering)
    ds = None
    before = sha256(out)
    rc, stdout, _ = cli(src, "--into", out, "--dry-run", "--json", tmp_path / "r.json")
    assert rc == 0 and "6 ongewijzigd" in stdout and sha256(out) == before
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["unchanged"] == 6


def test_new_target_made_beside_the_reading_is_what_new_makes_and_leaves_nothing_when_unused(tmp_path):
    """The command line starts QGIS in a child while it reads the source (the new file's form and
    style); the file it makes is the one `new` makes, and a refused import leaves no trace of it."""
    import sqlite3

    from lmvw_plugin.layers.import_target import TargetMaker
    made, ref = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    m = TargetMaker()
    m.start("nl")
    assert m.make(str(made), "GM0344")
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "new", str(ref), "--gemeente", "GM0344"], cwd=ROOT,
                       capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert r.returncode == 0, r.stderr

    def content(path):
        con = sqlite3.connect(path)
        try:
            return (con.execute("SELECT name, type FROM sqlite_master ORDER BY name").fetchall(),
                    con.execute("SELECT f_table_name, styleName, description, styleQML LIKE '%GM0344%', "
                                "instr(styleQML, ?) > 0 FROM layer_styles ORDER BY id", (os.path.basename(path),)
                                ).fetchall(),
                    con.execute("SELECT name FROM qgis_projects").fetchall())
        finally:
            con.close()
    assert content(made) == content(ref)
    assert content(made)[1][0][3]                       # the gemeente's default in the form
    rc, _, stderr = cli(tmp_path / "missing.gpkg", "--into", tmp_path / "c.gpkg")
    assert rc == 2 and "missing.gpkg" in stderr
    assert sorted(os.listdir(tmp_path)) == ["a.gpkg", "b.gpkg"]


def test_new_target_handed_over_early_is_made_while_reading_and_removed_when_unused(tmp_path, standard):
    """With --gemeente the child is told the new file at once and makes it while the source is read: the import
    writes into it; an import refused after that leaves no file; another gemeente after all: the child's file
    is removed and the caller makes its own."""
    from lmvw_plugin.layers.import_target import TargetMaker
    g = clean_plans(4, seed=3)
    src = write_plans(tmp_path / "bron.gpkg", g.records, g.geometries, g.fasering)
    out = tmp_path / "nieuw.gpkg"
    rc, stdout, stderr = cli(src, "--into", out, "--gemeente", "GM0344")
    assert rc == 0, stderr
    assert "4 nieuw" in stdout
    ds = ogr.Open(str(out))
    assert ds.GetLayerByName("layer_styles") is not None
    assert ds.GetLayerByName(standard.layer_name).GetFeatureCount() == 4
    ds = None
    rc, _, stderr = cli(tmp_path / "missing.gpkg", "--into", tmp_path / "c.gpkg", "--gemeente", "GM0344")
    assert rc == 2 and "missing.gpkg" in stderr
    m = TargetMaker()
    m.start("nl")
    assert m.prepare(str(tmp_path / "d.gpkg"), "GM0344")
    assert not m.make(str(tmp_path / "d.gpkg"), "GM0363")             # not what it was told: the caller makes it
    m.close()
    m = TargetMaker()                                                  # made, then not wanted: removed
    m.start("nl")
    assert m.prepare(str(tmp_path / "e.gpkg"), "GM0344")
    for _ in range(600):
        if m.proc.poll() is not None:
            break
        time.sleep(0.1)
    assert (tmp_path / "e.gpkg").exists()
    m.close()
    assert sorted(os.listdir(tmp_path)) == ["bron.gpkg", "nieuw.gpkg"]
    calls = []                                                         # told before the source is read, once
    with pytest.raises(im.ImportRefused):
        im.run_import(str(tmp_path / "missing.gpkg"), str(tmp_path / "f.gpkg"), standard, gemeente="GM0344",
                      prepare_target=lambda path, code: calls.append((path, code, os.path.exists(path))))
    assert calls == [(str(tmp_path / "f.gpkg"), "GM0344", False)]
    calls.clear()                                                      # a dry run makes nothing
    im.run_import(src, str(tmp_path / "g.gpkg"), standard, gemeente="GM0344", dry_run=True,
                  prepare_target=lambda path, code: calls.append(path))
    assert calls == [] and not (tmp_path / "g.gpkg").exists()


def test_cli_save_mapping_then_reuse(tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("Naam,Gemeente,Status\nA,GM0344,3\n", encoding="utf-8")
    rc, _, stderr = cli(csv, "--into", tmp_path / "a.gpkg", "--dry-run", "--save-mapping", tmp_path / "m.json")
    assert rc == 1, stderr                     # required fields the CSV lacks are reported
    m = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert m["fields"] == {"Naam": "plannaam", "Gemeente": "gemeentecode", "Status": "planstatus"}
    assert not os.path.exists(tmp_path / "a.gpkg")


def test_import_command_is_listed():
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "import", "--help"], cwd=ROOT, capture_output=True,
                       text=True)
    assert r.returncode == 0 and "--into" in r.stdout and "--dry-run" in r.stdout


def test_detect_format(tmp_path):
    p = tmp_path / "zh.geojson"
    p.write_text('{"type": "FeatureCollection", "features": [{"properties": {"year_properties": []}}]}')
    assert im.detect_format(str(p)) == "zuid-holland"
    assert im.detect_format(str(tmp_path / "x.gdb")) == "gelderland"
    assert im.detect_format(str(tmp_path / "x.csv")) == "table"


def test_sources_in_the_preview_are_unique_rows(standard):
    # two rows with one plan-id: neither is imported
    conv = im.Converted([{"plan_id": IDS[0], "plannaam": "A"}, {"plan_id": IDS[0], "plannaam": "B"}],
                        np.array([None, None], dtype=object), ["rij 1", "rij 2"], ["plan_id", "plannaam"], [], None,
                        [{}, {}])
    pv = im.preview(conv, im.Target.empty(standard), standard, "GM0344", now=dt.datetime(2026, 1, 1))
    assert [a.action for a in pv.actions] == [im.CONFLICT, im.CONFLICT]


# ------------------------------------------------------------------------------------------------
# the province formats (their writers: delivery/province_*.py)


def _province_export(tmp_path, standard, province, gemeente, name, n=10):
    from lmvw_plugin.delivery.province import export_province
    from lmvw_plugin.standard.provinces import extend, load_province
    ext = extend(standard, load_province(province))
    g = clean_plans(n, seed=4, gemeenten=[gemeente])
    src = write_plans(tmp_path / f"{province}.gpkg", g.records, g.geometries, g.fasering)
    plans, _ = ogrio.read_plans(src, ext)
    fas = ogrio.read_fasering(src, ext)
    out = tmp_path / name
    export_province(plans, fas, str(out), province=province, gemeente=gemeente, uitvraag="2026-najaar",
                    peildatum=PEILDATUM, concept=True, standard=ext, profile="provincie_volledig")
    return ext, src, str(out)


# what the formats cannot carry (province-formats.md §7.1), and what the import sets itself
NOT_CARRIED = {"vertrouwelijk_reden", "sociale_huur_markt_geborgd", "middenhuur_markt_geborgd", "prijspeil_jaar",
               "overig_geschikt_ouderen", "geclusterd_min50pct_55plus", "zorggeschikt_min50pct_55plus",
               "tijdelijke_woningen_tijdelijke_kwaliteit", "gerealiseerd", "datum_gerealiseerd", "vervallen",
               "datum_vervallen", "reden_vervallen", "vervangen_door_plan_id", "gewijzigd_op", "plan_id_extern"}


SPLITS = {"eengezins", "meergezins", "woningtype_onbekend", "sociale_huur_corporatie", "sociale_huur_markt",
          "middenhuur_corporatie", "middenhuur_markt", "dure_huur", "huur_prijs_onbekend", "betaalbare_koop",
          "dure_koop", "koop_prijs_onbekend", "eigendom_onbekend"}


@pytest.mark.parametrize("province, gemeente, name, extra", [
    ("zuid-holland", "GM0599", "lmvw_GM0599_2026-najaar.pzh.geojson",
     {"overkoepelend_plan", "tijdelijke_woningen", "zh_categorie_planlijst"}),
    ("gelderland", "GM0202", "lmvw_GM0202_2026-najaar.gdb.zip", set()),
])
def test_round_trip_province_format(tmp_path, standard, province, gemeente, name, extra):
    """Our plans → the province's file → import: the same plans for every field the format holds,
    and the report names the fields it does not."""
    ext, src, path = _province_export(tmp_path, standard, province, gemeente, name)
    assert im.detect_format(path) == province
    res = im.run_import(path, str(tmp_path / "back.gpkg"), standard)
    assert res.source.format == province
    assert NOT_CARRIED - {"plan_id_extern"} <= set(res.source.not_carried) | {"gewijzigd_op"}
    a, fa = read(src, ext)
    b, fb = read(tmp_path / "back.gpkg", ext)
    orig = {a.value("plan_id", i): {f.name: a.value(f.name, i) for f in ext.fields} for i in range(a.n)}
    delivered = {k for k, v in orig.items() if v["planstatus"] not in standard.internal_statuses}
    got = {b.value("plan_id", i): {f.name: b.value(f.name, i) for f in ext.fields} for i in range(b.n)}
    assert set(got) == delivered                         # plan_id comes back (koppelid / ph_text9)
    for pid in delivered:
        o = orig[pid]
        skip = NOT_CARRIED | extra
        if province == "zuid-holland" and (o["aantal_gerealiseerd"] or o["sloop_gerealiseerd"]):
            continue                                     # ZH has no realised dwellings (§7.1)
        if o["aantal_gerealiseerd"]:                     # the split of the realised part is not in the file:
            skip = skip | SPLITS                         # reported as estimated (woningtype/eigendom onbekend)
            assert {p.kind for p in res.preview.problems if p.plannaam == o["plannaam"]} == {"estimated"}
        for f in ext.fields:
            if f.name not in skip:
                assert got[pid][f.name] == o[f.name], (pid, f.name)
    if province == "gelderland":                         # GlobalID kept as the province's key
        assert all(im._UUID.match(v["plan_id_extern"]) for v in got.values())
    rows = lambda t, ids: sorted((t.value("plan_id", i), t.value("jaar", i), t.value("aantal", i))  # noqa: E731
                                 for i in range(t.n) if t.value("plan_id", i) in ids)
    assert rows(fb, delivered) == rows(fa, delivered)
    # and again: matched by plan_id, nothing doubled
    again = im.run_import(path, str(tmp_path / "back.gpkg"), standard)
    assert again.preview.summary["new"] == 0 and read(tmp_path / "back.gpkg", ext)[0].n == len(delivered)


def test_gelderland_file_with_bad_values_reports_each_and_imports_the_rest(tmp_path, standard):
    import zipfile
    _ext, _src, path = _province_export(tmp_path, standard, "gelderland", "GM0202", "g.gdb.zip", n=4)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
    gdb = str(next(folder.iterdir()))
    ds = ogr.Open(gdb, 1)
    lyr = ds.GetLayerByName("Planregistratie")
    feats = list(lyr)
    feats[0].SetField("status_planologisch", "9. Onbestaand")          # outside its domain
    feats[1].SetField("totaal_bouw", -5)                                 # a negative count
    for f in feats[:2]:
        lyr.SetFeature(f)
    names = {f.GetFID(): f.GetField("plannaam") for f in feats[:2]}
    feats = lyr = ds = None  # noqa: F841
    res = im.run_import(gdb, str(tmp_path / "in.gpkg"), standard)
    got = {(p.plannaam, p.field, p.value) for p in res.preview.problems if p.kind in ("codelist", "negative")}
    assert got == {(names[min(names)], "planstatus", "9. Onbestaand"),
                   (names[max(names)], "bruto_plancapaciteit", -5)}
    plans, _ = read(tmp_path / "in.gpkg", standard)
    assert plans.n == res.preview.summary["new"] >= 2                    # every plan came in
    rec = {plans.value("plannaam", i): plans.value("planstatus", i) for i in range(plans.n)}
    assert rec[names[min(names)]] is None and rec[names[max(names)]] is not None


def test_zuid_holland_year_that_is_a_date_is_reported(tmp_path, standard):
    _ext, _src, path = _province_export(tmp_path, standard, "zuid-holland", "GM0599", "z.pzh.geojson", n=4)
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    row = next(f for f in doc["features"] if f["properties"]["year_properties"])
    row["properties"]["year_properties"][0]["jaartal"] = "2027-01-01"
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh)
    res = im.run_import(path, str(tmp_path / "in.gpkg"), standard)
    [p] = [p for p in res.preview.problems if p.kind == "date_not_year"]
    assert p.field == "fasering.jaar" and p.value == "2027-01-01" and p.plannaam == row["properties"]["plannaam"]
    assert res.preview.summary["new"] == len(doc["features"])


@pytest.mark.parametrize("layout", ["first", "current"])
def test_zeeland_workbooks_in_both_layouts(tmp_path, standard, layout):
    """The writer's layout (plan labels in A1:B16, grid header in row 18: Zeeland's first importer)
    and the current importer's (grid header in row 1, no plan labels), as a zip and as a folder."""
    import zipfile

    from lmvw_plugin.common.vendor import load as vendor_load
    openpyxl = vendor_load("openpyxl")
    ext, src, path = _province_export(tmp_path, standard, "zeeland", "GM0687", "z.zip", n=8)
    folder = tmp_path / "werkboeken"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
    books = sorted(folder.rglob("*.xlsx"))
    assert books
    if layout == "current":
        for b in books:
            wb = openpyxl.load_workbook(b)
            wb.active.delete_rows(1, 17)                       # the grid header is now row 1
            wb.save(b)
    source = str(path) if layout == "first" else str(books[0].parent)
    assert im.detect_format(str(path)) == "zeeland"
    res = im.run_import(source, str(tmp_path / "in.gpkg"), standard, fmt="zeeland", gemeente="GM0687")
    assert res.preview.summary["new"] == len(books)
    a, fa = read(src, ext)
    b, fb = read(tmp_path / "in.gpkg", ext)
    orig = {a.value("plannaam", i): i for i in range(a.n)}
    for j in range(b.n):
        i = orig[b.value("plannaam", j)]
        for name in ("bruto_plancapaciteit", "aantal_gerealiseerd", "sloop", "sloop_gerealiseerd", "eengezins",
                     "meergezins", "woningtype_onbekend", "nultredenwoningen", "geclusterd", "zorggeschikt",
                     "tijdelijke_woningen", "betaalbare_koop", "dure_koop", "dure_huur"):
            assert b.value(name, j) == a.value(name, i), name
        soc = sum(a.value(n, i) for n in ("sociale_huur_corporatie", "sociale_huur_markt", "middenhuur_corporatie",
                                          "middenhuur_markt", "huur_prijs_onbekend"))
        assert b.value("huur_prijs_onbekend", j) == soc         # corporatie/markt unknown: reported
        if layout == "first":
            for name in ("plantype", "planstatus", "vertrouwelijkheid", "projectfase", "opdrachtgever_type",
                         "woonplaats", "gemeentecode"):
                assert b.value(name, j) == a.value(name, i), name
    assert {p.kind for p in res.preview.problems} >= {"class_split"}
    years = lambda t, key: sorted((t.value(key, i), t.value("jaar", i), t.value("aantal", i))  # noqa: E731
                                  for i in range(t.n) if t.value("aantal", i))
    ids = {a.value("plan_id", i): a.value("plannaam", i) for i in range(a.n)}
    ids_b = {b.value("plan_id", i): b.value("plannaam", i) for i in range(b.n)}
    named = lambda t, m: sorted((m.get(p), y, n) for p, y, n in years(t, "plan_id") if p in m)  # noqa: E731
    assert named(fb, ids_b) == [r for r in named(fa, ids) if r[0] in set(ids_b.values())]


def test_zeeland_workbook_without_its_labels_is_refused(tmp_path, standard):
    from lmvw_plugin.common.vendor import load as vendor_load
    wb = vendor_load("openpyxl").Workbook()
    wb.active["A1"] = "Iets anders"
    path = tmp_path / "leeg.xlsx"
    wb.save(path)
    target = target_with(tmp_path, [make_plan(plan_id=IDS[0])])
    before = sha256(target)
    with pytest.raises(im.ImportRefused, match="Totalen"):
        im.run_import(str(path), target, standard, fmt="zeeland")
    assert sha256(target) == before


def test_the_summary_counts_values_in_the_right_number():
    """'1 waarde kon niet mee', '2 waarden konden niet mee' (it said '1 waarden konden niet mee')."""
    from types import SimpleNamespace

    from lmvw_plugin import i18n
    from lmvw_plugin.delivery.import_text import summary_line

    def line(problems):
        counts = {"new": 1, "updated": 0, "unchanged": 0, "conflicts": 0, "problems": problems}
        return summary_line(SimpleNamespace(preview=SimpleNamespace(summary=counts)))
    before = i18n._catalog
    try:
        i18n.use_catalog("nl")
        assert line(1).endswith("; 1 waarde kon niet mee.") and line(2).endswith("; 2 waarden konden niet mee.")
        i18n.use_catalog("en")
        assert line(1).endswith("; 1 value could not come over.")
    finally:
        i18n._catalog = before


_VALUES = st.one_of(st.none(), st.integers(min_value=-(1 << 60), max_value=1 << 60), st.booleans(),
                    st.sampled_from([(1 << 53) + 1, -(1 << 53) - 1, (1 << 53) - 1, 0, -1]),
                    st.floats(allow_nan=True), st.text(max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(_VALUES, max_size=12), st.sampled_from(["bruto_plancapaciteit", "prijspeil_jaar", "plannaam",
                                                        "planstatus", "gemeentecode", "gerealiseerd"]))
def test_a_column_taken_as_it_is_converts_as_value_by_value(values, name):
    """The import takes a column of NULLs, or of whole numbers in range, without converting each value;
    it must then be exactly what converting each value gives, without a problem."""
    from lmvw_plugin.standard import load
    s = load()
    f = s.field(name)
    same = im._column_as_is(f, values)
    if same is not None:
        assert [im.convert_value(f, v, s) for v in values] == [(v, None) for v in same]


@pytest.mark.parametrize("lacking", [False, True])
def test_a_new_plan_gets_the_defaults_of_the_fields_the_source_lacks(standard, lacking):
    """A new plan: the source's values over the fields' defaults; a value the source holds but that could not come
    over stays empty (never the default); a field the source has no column for gets its default. The same with a
    source column the target has no field for (then the record is not copied whole)."""
    present = ["plan_id", "plannaam", "bruto_plancapaciteit"] + (["kolom_zonder_veld"] if lacking else [])
    recs = [dict(zip(present, [IDS[0], "A", 12, "x"])), dict(zip(present, [IDS[1], "B", None, "y"]))]
    conv = im.Converted(recs, np.array([None, None], dtype=object), ["rij 1", "rij 2"], present, [], None,
                        [{}, {}])
    pv = im.preview(conv, im.Target.empty(standard), standard, "GM0344", now=dt.datetime(2026, 1, 1))
    a, b = (act.values for act in pv.actions)
    assert [act.action for act in pv.actions] == [im.NEW, im.NEW]
    assert (a["bruto_plancapaciteit"], b["bruto_plancapaciteit"]) == (12, None)     # the source's, even empty
    assert a["sloop"] == b["sloop"] == 0 and a["vervallen"] is b["vervallen"] is False   # the defaults
    assert a["plannaam"] == "A" and a["gemeentecode"] == "GM0344" and "kolom_zonder_veld" not in a
    assert a["gewijzigd_op"] == dt.datetime(2026, 1, 1)
