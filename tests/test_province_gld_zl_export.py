"""The Gelderland and Zeeland exports through the province pipeline (export_province), read back:
the geodatabase with GDAL (the template's schema, values inside the domains, every DetailPlanning
row with its parent, the plan's totals and cells as ours), the workbooks with openpyxl (Zeeland's
own checks); and the profiles' mappings cover every code of our code lists."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest
from osgeo import gdal
from test_province_gelderland import rows_of
from test_province_zeeland import read_like_zeeland, zeeland_checks

from lmvw_plugin.delivery import filegdb as g
from lmvw_plugin.delivery import province as P
from lmvw_plugin.delivery import zeeland as z
from lmvw_plugin.delivery.package import DeliveryError, DeliveryRefused
from lmvw_plugin.demo import demo_plans
from lmvw_plugin.i18n import use_catalog
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from lmvw_plugin.standard.provinces import extend, load_province

PEIL = dt.date(2026, 10, 1)
CELLS = [f"{t}_{c}" for t in ("meergezins", "eengezins", "onbekend")
         for c in ("koop1", "koop2", "koop3", "koop4", "koop_onb", "huur1", "huur2", "huur3", "huur4", "huur_onb",
                   "onbekend")]


@pytest.fixture(autouse=True)
def _dutch():
    """Dutch messages without Qt, as on the command line; the catalog as it was afterwards."""
    from lmvw_plugin import i18n
    before = i18n._catalog
    use_catalog("nl")
    yield
    i18n._catalog = before


def plans_for(province, gm, woonplaats, **extra):
    s = extend(load(), province)
    ps = demo_plans(s, today=PEIL)
    for r in ps.records:
        r.update(gemeentecode=gm, woonplaats=woonplaats, **extra)
        r["opdrachtgever_type"] = r.get("opdrachtgever_type") or "gemeente"
    return s, ps


def run(tmp_path, province, gm, s, ps, name, **kw):
    plans = PlanTable.from_records(s, ps.records, ps.geometries)
    fas = FaseringTable.from_records(s, ps.fasering)
    return P.export_province(plans, fas, str(tmp_path / name), province=province, gemeente=gm,
                             uitvraag="2026-najaar", peildatum=PEIL, standard=s, **kw)


@pytest.fixture(scope="module")
def gelderland(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gld")
    s, ps = plans_for("gelderland", "GM0202", "Arnhem")
    res = run(tmp, "gelderland", "GM0202", s, ps, "lmvw_GM0202_2026-najaar_gelderland.gdb.zip")
    return res, ps


def test_gelderland_file_is_the_template_with_our_plans(gelderland):
    res, ps = gelderland
    assert res.path.endswith("lmvw_GM0202_2026-najaar_gelderland.gdb.zip")
    with zipfile.ZipFile(res.path) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {"lmvw_GM0202_2026-najaar_gelderland.gdb"}
    ds = gdal.OpenEx(res.path, gdal.OF_VECTOR)
    for name, spec in g.schema()["layers"].items():
        esri = g.esri_types(ds, name)
        assert esri == {f["name"]: f["esri_type"] for f in spec["fields"]}
        assert list(esri.values()).count("esriFieldTypeGlobalID") == 1
    ds = None
    plans = rows_of(res.path, "Planregistratie")
    details = rows_of(res.path, "DetailPlanning")
    assert len(plans) == len(res.records) > 0
    gid = {p["GlobalID"]: p for p in plans}
    ours = {r["plan_id"]: r for r in ps.records}
    fas = {}
    for f in ps.fasering:
        fas.setdefault(f["plan_id"], {})[f["jaar"]] = f
    for d in details:
        parent = gid[d["parent_globalid"]]                       # every row has its parent
        f = fas[parent["koppelid"]][d["jaartal"]]
        assert sum(d[c] for c in CELLS) == f["aantal"]
        assert sum(d["sloop_" + c] for c in CELLS) == (f.get("sloop") or 0)
        assert (d["gemeente"], d["regio"]) == (parent["gemeente"], parent["regio"])
    for p in plans:
        r = ours[p["koppelid"]]
        assert p["gemeente"] == "Arnhem" and p["regio"] == "Groene Metropoolregio Arnhem-Nijmegen"
        assert p["totaal_bouw"] == r["bruto_plancapaciteit"]
        prices = sum(p[k] for k in ("Totaal_koop1", "Totaal_koop2", "Totaal_koop3", "Totaal_koop4",
                                    "Totaal_koop_onbekend", "Totaal_huur1", "Totaal_huur2", "Totaal_huur3",
                                    "Totaal_huur4", "Totaal_huur_onbekend", "Totaal_eigendom_onbekend"))
        assert prices == p["totaal_bouw"]
        assert p["totaal_resterend"] == p["totaal_bouw"] - p["totaal_gerealiseerd"]
        for group in (("totaal_eengezins_resterend", "totaal_meergezins_resterend", "totaal_type_onbekend_resterend"),
                      ("totaal_koop_resterend", "totaal_huur_resterend", "totaal_koop_huur_onbekend_resterend")):
            assert sum(p[k] for k in group) == p["totaal_resterend"], group
        assert p["aantal_huurwoningen_corporatie"] == r["sociale_huur_corporatie"] + r["middenhuur_corporatie"]
        rows = [d for d in details if d["parent_globalid"] == p["GlobalID"]]
        if rows:
            assert sum(d[c] for d in rows for c in CELLS) == p["totaal_resterend"]
    for name, spec in g.schema()["layers"].items():
        doms = {f["name"]: f["domain"] for f in spec["fields"] if f["domain"]}
        for feat in rows_of(res.path, name):
            for fld, dom in doms.items():
                assert feat[fld] is None or feat[fld] in g.domain_codes(dom), (name, fld, feat[fld])


def test_gelderland_int16_overflow_is_refused_before_writing(tmp_path):
    s, ps = plans_for("gelderland", "GM0202", "Arnhem")
    rec = next(r for r in ps.records if r["planstatus"] not in ("5A", "5B") and r["vertrouwelijkheid"] != "gemeente")
    rec["nultredenwoningen"] = 40000
    with pytest.raises(DeliveryRefused) as e:
        run(tmp_path, "gelderland", "GM0202", s, ps, "x.gdb.zip")
    msgs = [f for f in e.value.findings if f.field == "aantal_nultreden_woningen"]
    assert msgs and "40000" in msgs[0].message and msgs[0].rule == "PGLD10"
    assert "buiten het bereik -32768..32767" in msgs[0].message
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DeliveryError) as e:                    # a concept neither: never wrapped
        run(tmp_path, "gelderland", "GM0202", s, ps, "x.gdb.zip", concept=True)
    assert "40000" in e.value.detail and "32767" in e.value.detail
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def zeeland(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zl")
    s, ps = plans_for("zeeland", "GM0718", "Vlissingen", zl_regio="Walcheren", zl_knelpunten="Stikstof; Nuts",
                      zl_woonmilieu="Centrum", zl_studentenwoningen=0, zl_sleutelproject=False)
    res = run(tmp, "zeeland", "GM0718", s, ps, "lmvw_GM0718_2026-najaar_zeeland.zip")
    return res, ps


def test_zeeland_workbooks_pass_zeelands_checks(zeeland):
    res, ps = zeeland
    with zipfile.ZipFile(res.path) as zf:
        names = zf.namelist()
        books = {n: openpyxl.load_workbook(io.BytesIO(zf.read(n))) for n in names}
    assert len(books) == len(res.records) == res.facts["workbooks"]
    assert sorted(names) == sorted(z.file_names([{"name": r.plannaam} for r in res.records]))
    ours = {r["plannaam"]: r for r in ps.records}
    complete = 0
    for name, wb in books.items():
        ws = wb.worksheets[0]
        fields = {ws.cell(row=i, column=1).value: ws.cell(row=i, column=2).value for i in range(1, 17)}
        r = ours[fields["Plannaam"]]
        assert fields["Gemeente"] == "Vlissingen" and fields["Provincie"] == "Zeeland"
        assert fields["Knelpunten"] == "Stikstof, Nuts" and fields["Sleutelproject"] == "Nee"
        assert fields["Vertrouwelijkheid"] in ("Gemeente", "Openbaar", "Provincie")
        cats = read_like_zeeland(ws)
        nb = cats[("Nieuwbouw", "nieuwbouw")]
        assert nb[0] == r["bruto_plancapaciteit"] and nb[1] == (r.get("aantal_gerealiseerd") or 0)
        if sum(nb[2].values()) == nb[0] - nb[1]:                 # fasering complete: Zeeland's checks hold
            assert zeeland_checks(cats) == [], name
            complete += 1
    assert complete >= len(books) // 2


def test_zeeland_multipart_plan_is_refused_with_the_fix(tmp_path):
    s, ps = plans_for("zeeland", "GM0718", "Vlissingen", zl_regio="Walcheren", zl_knelpunten="Geen",
                      zl_woonmilieu="Centrum", zl_studentenwoningen=0, zl_sleutelproject=True)
    from lmvw_plugin.common.geo import shapely
    i = next(k for k, r in enumerate(ps.records) if r["planstatus"] not in ("5A", "5B")
             and r["vertrouwelijkheid"] != "gemeente")
    g0 = ps.geometries[i]
    ps.geometries[i] = shapely.multipolygons([shapely.get_geometry(g0, 0), shapely.box(0, 300000, 10, 300010)])
    with pytest.raises(DeliveryRefused) as e:
        run(tmp_path, "zeeland", "GM0718", s, ps, "z.zip")
    (f,) = [f for f in e.value.findings if f.plannaam == ps.records[i]["plannaam"] and "delen" in f.message]
    assert f.severity == "error" and "voeg de delen samen" in f.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("province,domains", [
    ("gelderland", {"plantype": "DOMAIN_PLANTYPE", "planstatus": "DOMAIN_STATUSPLANOLOGISCH",
                    "projectfase": "DOMAIN_PROJECTFASE", "opdrachtgever_type": "DOMAIN_OPDRACHTGEVER_TYPE",
                    "verhuurder_type": "DOMAIN_EIGENDOM_HUUR"}),
    ("zeeland", {}),
])
def test_value_maps_cover_every_code_of_our_lists(province, domains):
    s = load()
    prof = load_province(province)
    maps = prof.mapping["value_maps"]
    for spec in prof.mapping["fields"]:
        if "values" in spec and "from" in spec:
            codes = set(s.codes(s.field(spec["from"]).codelist))
            codes -= {"5A", "5B"}                                 # never delivered
            missing = codes - set(maps[spec["values"]])
            assert not missing, (province, spec["name"], missing)
    for name, dom in domains.items():
        assert set(v for v in maps[name].values() if v) <= g.domain_codes(dom), name
    # the Gelderland fields the mapping fills are the template's, and every template value field is filled or
    # deliberately left null
    if province == "gelderland":
        names = [f["name"] for f in prof.mapping["fields"]] + list(prof.mapping["computed"])
        template = [f["name"] for f in g._value_fields("Planregistratie")]
        assert set(names) <= set(template)
        assert set(template) - set(names) == {"Creator", "Created", "Editor", "Edited", "klopt_geom",
                                              "overkoeppelende_plan_id"}
        assert json.dumps(prof.mapping["year_cells"]["class_order"]) == json.dumps(
            ["koop1", "koop2", "koop3", "koop4", "koop_onb", "huur1", "huur2", "huur3", "huur4", "huur_onb",
             "onbekend"])
    else:
        assert [f["name"] for f in prof.mapping["fields"]] == list(z.PLAN_LABELS)
        assert [(r["label"], r["group"]) for r in prof.mapping["rows"]] == list(z.CATEGORIES)


def test_gelderland_year_cells_are_the_pipelines_year_cells(gelderland):
    from lmvw_plugin.delivery.province_gelderland import YearCells
    res, _ = gelderland
    prof = load_province("gelderland")
    yc = YearCells(prof)
    rows = [y for r in res.records for y in r.years]
    assert rows
    for y in rows:
        dense = P.year_cells(prof, y)
        assert {k: v for k, v in dense.items() if v} == {k: v for k, v in yc.cells(y).items() if v}


def _gpkg(path, province, gm, woonplaats, **extra):
    import numpy as np
    from shapely.geometry import MultiPolygon, box

    from conftest import make_plan
    from lmvw_plugin.delivery.writers import write_gpkg
    s = extend(load(), province)
    rec = make_plan(gemeentecode=gm, woonplaats=woonplaats, opdrachtgever_type="gemeente", **extra)
    t = PlanTable.from_records(s, [rec], [MultiPolygon([box(190000, 440000, 190100, 440100)])])
    rest = rec["bruto_plancapaciteit"] - rec["aantal_gerealiseerd"]
    f = FaseringTable.from_records(s, [{"plan_id": rec["plan_id"], "jaar": 2027, "aantal": rest - 10, "sloop": 0},
                                      {"plan_id": rec["plan_id"], "jaar": 2028, "aantal": 10, "sloop": 2}])
    write_gpkg(str(path), s, s.fields, t.columns, t.geometry, f, np.arange(f.n), only_polygons=False)
    return path


def _cli(*args):
    import os
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "LMVW_LANG"}
    return subprocess.run([sys.executable, "-m", "lmvw_plugin", *map(str, args)], cwd=root, capture_output=True,
                          text=True, env=env, timeout=300)


def test_cli_writes_the_gelderland_and_zeeland_files_by_the_issues_names(tmp_path):
    args = ["--uitvraag", "2026-najaar", "--peildatum", "2026-10-01"]
    src = _gpkg(tmp_path / "gld.gpkg", "gelderland", "GM0202", "Arnhem")
    out = tmp_path / "out"
    out.mkdir()
    r = _cli("export", src, *args, "--format", "gelderland", "-o", out)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["lmvw_GM0202_2026-najaar_gelderland.gdb.zip",
                                                    "lmvw_GM0202_2026-najaar_gelderland_validatierapport.html"]
    (plan,) = rows_of(out / "lmvw_GM0202_2026-najaar_gelderland.gdb.zip", "Planregistratie")
    assert plan["gemeente"] == "Arnhem" and plan["totaal_bouw"] == 40
    assert len(rows_of(out / "lmvw_GM0202_2026-najaar_gelderland.gdb.zip", "DetailPlanning")) == 2
    # from the province's own template: its rows stay
    tpl = tmp_path / "Gelderland.gdb"
    g.build(str(tpl))
    r = _cli("export", src, *args, "--format", "gelderland", "-o", out, "--overwrite", "--template", tpl)
    assert r.returncode == 0, r.stderr
    assert len(rows_of(out / "lmvw_GM0202_2026-najaar_gelderland.gdb.zip", "Gemeenten")) == 0    # its (empty) table
    src = _gpkg(tmp_path / "zl.gpkg", "zeeland", "GM0718", "Vlissingen", zl_regio="Walcheren", zl_knelpunten="Geen",
                zl_woonmilieu="Dorps", zl_studentenwoningen=0, zl_sleutelproject=True, plannaam="Oost / fase 1",
                projectfase="initiatief")
    zout = tmp_path / "zout"
    zout.mkdir()
    r = _cli("export", src, *args, "--format", "zeeland", "-o", zout)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in zout.iterdir()) == ["lmvw_GM0718_2026-najaar_zeeland.zip",
                                                     "lmvw_GM0718_2026-najaar_zeeland_validatierapport.html"]
    with zipfile.ZipFile(zout / "lmvw_GM0718_2026-najaar_zeeland.zip") as zf:
        assert zf.namelist() == ["Oost _ fase 1.xlsx"]
        ws = openpyxl.load_workbook(io.BytesIO(zf.read("Oost _ fase 1.xlsx"))).worksheets[0]
    cats = read_like_zeeland(ws)
    assert zeeland_checks(cats) == []
    assert ws["B15"].value == "Ja" and ws["B3"].value == "Vlissingen"
    # without the Zeeland fields: refused, exit 1, nothing written
    bare = _gpkg(tmp_path / "bare.gpkg", "zeeland", "GM0718", "Vlissingen")
    r = _cli("export", bare, *args, "--format", "zeeland", "-o", tmp_path / "none.zip")
    assert r.returncode == 1 and "Knelpunten" in r.stdout + r.stderr
    assert not (tmp_path / "none.zip").exists()


def test_the_schema_catches_a_misspelt_key_in_the_writer_sections():
    import test_provinces as tp
    for key in ("gelderland", "zeeland"):
        assert tp.errors(tp.raw(key)) == [], key
    d = tp.raw("zeeland")
    d["mapping"]["rows"][1]["dimensoin"] = "woningtype"
    assert tp.errors(d)
    d = tp.raw("gelderland")
    d["mapping"]["computed"]["Totaal_huur2"]["ad"] = ["dure_huur"]
    assert tp.errors(d)


def test_the_validation_runs_beside_the_records_and_the_file_comes_after(tmp_path, monkeypatch):
    """The validation runs in a thread of its own while the records are made (it waits here until
    they are begun); the file is written after both, the same as ever, and nothing else stays."""
    import threading
    s, ps = plans_for("gelderland", "GM0202", "Arnhem")
    began, validated = threading.Event(), threading.Event()
    real_build, real_validate = P.build_records, P.Validator.validate
    order = []

    def build(*a, **kw):
        began.set()
        return real_build(*a, **kw)

    def validate(self, *a, **kw):
        assert began.wait(30), "the validation did not run beside the records"
        res = real_validate(self, *a, **kw)
        validated.set()
        return res

    def writer(*a, **kw):
        order.append(validated.is_set())
        return real_writer(*a, **kw)

    real_writer = P.WRITERS["filegdb-gelderland"]
    from lmvw_plugin.common import threads
    monkeypatch.setattr(threads, "WORKERS", 2)          # (one worker, e.g. LMVW_THREADS=1: no thread at all)
    monkeypatch.setattr(P, "build_records", build)
    monkeypatch.setattr(P.Validator, "validate", validate)
    monkeypatch.setitem(P.WRITERS, "filegdb-gelderland", writer)
    res = run(tmp_path, "gelderland", "GM0202", s, ps, "x.gdb.zip")
    assert order == [True]                                  # written once, after the validation
    assert len(rows_of(res.path, "Planregistratie")) == len(res.records) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gdb.zip", "x_validatierapport.html"]


def test_a_failure_while_the_records_are_made_waits_for_the_validation(tmp_path, monkeypatch):
    """A failure (or cancel) while the records are made is raised once the validation thread is
    done: no thread of the export outlives it, and nothing is written."""
    import threading
    import time
    s, ps = plans_for("gelderland", "GM0202", "Arnhem")
    real_validate = P.Validator.validate
    finished = threading.Event()

    def slow_validate(self, *a, **kw):
        time.sleep(0.3)
        res = real_validate(self, *a, **kw)
        finished.set()
        return res

    def broken(*a, **kw):
        raise P.DeliveryCancelled()

    monkeypatch.setattr(P.Validator, "validate", slow_validate)
    monkeypatch.setattr(P, "build_records", broken)
    with pytest.raises(P.DeliveryCancelled):
        run(tmp_path, "gelderland", "GM0202", s, ps, "x.gdb.zip")
    assert finished.is_set()
    assert list(tmp_path.iterdir()) == []


def test_a_context_makes_what_both_ask_for_once():
    import threading
    import time
    ctx = P.WriteContext("GM0202", "2026-najaar", PEIL, "nl", load())
    made, got = [], []
    start = threading.Barrier(2)

    def make():
        made.append(1)
        time.sleep(0.05)
        return object()

    def ask():
        start.wait()
        got.append(ctx.memo("k", make))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and got[0] is got[1]


def test_the_computed_fields_column_wise_are_plan_dict_of_every_record(gelderland):
    """plan_dicts (each computed field a column at a time) gives every record exactly plan_dict:
    also with the odd values a record can hold (None, floats, NaN, booleans, big counts)."""
    import copy
    import random

    from lmvw_plugin.delivery.province_gelderland import plan_dict, plan_dicts
    res, _ps = gelderland
    prof = load_province("gelderland")
    rng = random.Random(5)
    odd = [None, 0, 7, 2.0, 2.5, float("nan"), True, False, 2 ** 70, -3, "12"]
    records = []
    for _ in range(6):
        for rec in res.records:
            r = copy.copy(rec)
            r.values = {k: (rng.choice(odd) if rng.random() < 0.3 else v) for k, v in rec.values.items()}
            r.totals = {d: {p: (rng.choice(odd) if rng.random() < 0.3 else v) for p, v in parts.items()}
                        for d, parts in rec.totals.items()}
            r.realised = {d: {p: v for p, v in parts.items() if rng.random() < 0.8}
                          for d, parts in rec.realised.items()}
            records.append(r)

    def typed(d):
        return [(k, type(v), v) for k, v in d.items()]
    assert [typed(d) for d in plan_dicts(prof, records)] == [typed(plan_dict(prof, r)) for r in records]
    assert any(d["totaal_resterend"] != 0 for d in plan_dicts(prof, res.records))


def test_int16_findings_come_in_each_records_own_field_order(gelderland):
    """The profile's Int16 check finds every value past the range, per record in the order of its
    own fields (also a record whose fields come in another order), and only those."""
    import copy

    from lmvw_plugin.standard.provinces import Province
    res, _ps = gelderland
    real = load_province("gelderland")
    data = copy.deepcopy(real.data)              # a profile that marks three count fields Int16 (a data file could)
    names = []
    for spec in data["mapping"]["fields"]:
        if spec.get("type") == "int" and len(names) < 3 and spec["name"] not in names:
            spec["int16"] = True
            names.append(spec["name"])
    assert len(names) == 3
    prof = Province(real.key, data, real.base)
    check = prof.export_check("int_range")
    recs = [copy.copy(r) for r in res.records[:3]]
    recs[0].fields = dict(recs[0].fields, **{names[0]: 40000, names[2]: -40000})
    two = dict(recs[1].fields, **{names[0]: 70000, names[1]: 40000, names[2]: 1})
    recs[1].fields = dict(reversed(list(two.items())))                  # its fields the other way round
    recs[2].fields = dict(recs[2].fields, **{names[1]: True})            # True is 1: inside the range
    source = {spec["name"]: spec.get("from") for spec in data["mapping"]["fields"]}     # a finding names our field
    got = [(f.plan_id, f.field, f.message) for f in P.export_findings(prof, load(), recs, "nl")
           if f.rule == check["code"]]
    want = [(r.plan_id, source[k], str(v)) for r in recs for k, v in r.fields.items()
            if k in names and isinstance(v, int) and not check["min"] <= v <= check["max"]]
    assert [g_[:2] for g_ in got] == [w[:2] for w in want]
    assert all(w[2] in g_[2] for g_, w in zip(got, want))
    assert [f for _pid, f, _m in got] == [source[n] for n in (names[0], names[2], names[1], names[0])]
