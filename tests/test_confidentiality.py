"""What the profile leaves out never reaches the package: not in a layer, a CSV, the manifest or the
report, not through a finding of a delivered plan, not through a shared plan_id (issue 7 §1)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile

import pytest
from osgeo import gdal
from shapely.affinity import translate

from lmvw_plugin.delivery.package import export
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import clean_plans, write_plans

S = load()
PEIL = dt.date(2026, 10, 1)
PROFILES = ["provincie", "provincie_volledig", "openbaar"]


def _scenario():
    """8 delivered-everywhere plans and left-out plans of every kind, each tied to a delivered one
    by a finding that today names it: C03 overlap, C03 identical geometry, C01 shared plan_id (with
    fasering rows), C05 another gemeente."""
    plans = clean_plans(14, seed=7)
    recs, geoms, fas = plans.records, list(plans.geometries), list(plans.fasering)
    for i, rec in enumerate(recs):
        rec["vertrouwelijk_reden"] = f"REDEN-{i:03d}-geheim"
        rec["opmerkingen"] = f"OPMERKING-{i:03d}-vrij"
        if i < 8:
            rec["vertrouwelijkheid"] = "openbaar"
            if rec["planstatus"] in ("5A", "5B"):
                rec["planstatus"] = "3"
    kinds = {}

    def left_out(i, kind, **values):
        recs[i].update(values)
        recs[i]["plannaam"] = f"GEHEIM-{kind}-{i}"
        kinds[i] = kind

    # 8: 5A, overlapping delivered plan 0
    left_out(8, "5A", planstatus="5A", vertrouwelijkheid="gemeente")
    geoms[8] = translate(geoms[0], 15, 10)
    # 9: confidential, the same geometry as delivered plan 1
    left_out(9, "conf", planstatus="3", vertrouwelijkheid="gemeente")
    geoms[9] = geoms[1]
    # 10: confidential, the plan_id of delivered plan 2, with fasering rows of its own
    left_out(10, "conf", planstatus="3", vertrouwelijkheid="gemeente")
    recs[10]["plan_id"] = recs[2]["plan_id"]
    fas = [r for r in fas if r["plan_id"] not in (recs[2]["plan_id"], recs[10]["plan_id"])]
    fas += [{"plan_id": recs[2]["plan_id"], "jaar": 2031, "aantal": 7777, "sloop": 0},
            {"plan_id": recs[2]["plan_id"], "jaar": 2033, "aantal": 6666, "sloop": 0}]
    # 11: not public (regio), overlapping delivered plan 3: left out only under openbaar
    left_out(11, "regio", vertrouwelijkheid="regio")
    geoms[11] = translate(geoms[3], 12, -8)
    # 12: another gemeente, overlapping delivered plan 4
    left_out(12, "other", gemeentecode="GM0363")
    geoms[12] = translate(geoms[4], -10, 5)
    # 13: 5A with the same geometry as delivered plan 5
    left_out(13, "5A", planstatus="5B", vertrouwelijkheid="gemeente")
    geoms[13] = geoms[5]
    return recs, geoms, fas, kinds


def _left_out(kinds, profile):
    out = {i for i, k in kinds.items() if k in ("5A", "other")}
    if profile != "provincie_volledig":
        out |= {i for i, k in kinds.items() if k == "conf"}
    if profile == "openbaar":
        out |= {i for i, k in kinds.items() if k == "regio"}
    return out


def _all_text(zip_path):
    """Every member's bytes, and the GeoPackage's SQLite content as an SQL dump."""
    blobs = []
    with zipfile.ZipFile(zip_path) as zf:
        for name in zf.namelist():
            blobs.append(zf.read(name))
        gpkg = zf.read("woningbouwplannen.gpkg")
    return blobs, gpkg


def _dump(gpkg_bytes, tmp_path):
    path = tmp_path / "dump.gpkg"
    path.write_bytes(gpkg_bytes)
    con = sqlite3.connect(str(path))
    try:
        return "\n".join(con.iterdump()).encode("utf-8")
    finally:
        con.close()


def _export(tmp_path, recs, geoms, fas, profile, source):
    if source == "gpkg":                      # the fast path: rows copied inside SQLite
        src = write_plans(tmp_path / "src.gpkg", recs, geoms, fas)
        t, _ = ogrio.read_plans(src, S)
        f = ogrio.read_fasering(src, S)
        assert t.origin is not None and f.origin is not None
    else:
        t = PlanTable.from_records(S, recs, geoms)
        f = FaseringTable.from_records(S, fas)
    return export(t, f, str(tmp_path / "p.zip"), gemeente="GM0344", uitvraag="2026-najaar", peildatum=PEIL,
                  profile=profile, concept=True, standard=S, plugin_version="test")


@pytest.mark.parametrize("source", ["memory", "gpkg"])
@pytest.mark.parametrize("profile", PROFILES)
def test_no_byte_of_the_package_names_a_left_out_plan(tmp_path, profile, source):
    recs, geoms, fas, kinds = _scenario()
    result = _export(tmp_path, recs, geoms, fas, profile, source)
    blobs, gpkg = _all_text(result.zip_path)
    blobs.append(_dump(gpkg, tmp_path))
    out = _left_out(kinds, profile)
    shared_id = recs[10]["plan_id"]             # also delivered plan 2's own id
    secrets = []
    for i in out:
        secrets.append(recs[i]["plannaam"])
        if recs[i]["plan_id"] != shared_id:
            secrets.append(recs[i]["plan_id"])
    secrets += [r["vertrouwelijk_reden"] for r in recs]            # never leaves, of any plan
    if profile == "openbaar":
        secrets += [r["opmerkingen"] for r in recs]                # no free text in a public delivery
    for secret in secrets:
        for blob in blobs:
            assert secret.encode("utf-8") not in blob, (secret, blob[:80])
    # the findings of the delivered plans still say what is wrong, without a name
    c03 = [f for f in result.shown if f.rule == "C03" and f.fid == 5]        # plan 5: identical to a 5B plan
    assert c03 and "niet in deze levering" in c03[0].message and c03[0].x is None


@pytest.mark.parametrize("source", ["memory", "gpkg"])
@pytest.mark.parametrize("profile", ["provincie", "openbaar"])
def test_fasering_of_a_left_out_plan_sharing_a_plan_id_stays_home(tmp_path, profile, source):
    recs, geoms, fas, _ = _scenario()
    result = _export(tmp_path, recs, geoms, fas, profile, source)
    shared = recs[10]["plan_id"]
    with zipfile.ZipFile(result.zip_path) as zf:
        text = zf.read("fasering.csv").decode("utf-8")
        zf.extract("woningbouwplannen.gpkg", tmp_path / "x")
    assert shared not in text and "7777" not in text and "6666" not in text
    back = ogrio.read_fasering(str(tmp_path / "x" / "woningbouwplannen.gpkg"), S)
    assert shared not in set(back.plan_id.tolist())
    con = sqlite3.connect(str(tmp_path / "x" / "woningbouwplannen.gpkg"))
    first = con.execute("SELECT oplevering_eerste, oplevering_laatste FROM woningbouwplannen WHERE plan_id = ?",
                        (shared,)).fetchall()
    con.close()
    assert first == [(None, None)]                 # not derived from rows that may be the left-out plan's
    # the delivered plan's finding explains why its fasering did not come along
    assert any(f.plan_id == shared and "niet eenduidig" in f.message for f in result.shown) or \
        not any(f.plan_id == shared and f.rule.startswith("R1") for f in result.shown)


def _confidential_only(n_conf):
    plans = clean_plans(6 + n_conf, seed=9)
    for i, rec in enumerate(plans.records):
        rec["vertrouwelijkheid"] = "gemeente" if i >= 6 else "openbaar"
        rec["vertrouwelijk_reden"] = "reden"
        if i >= 6 or rec["planstatus"] in ("5A", "5B"):
            rec["planstatus"] = "3"
            rec["vervallen"] = False
    return plans


@pytest.mark.parametrize("n_conf", [1, 2])
def test_aggregate_of_fewer_plans_than_the_threshold_gives_no_totals(tmp_path, n_conf):
    assert S.delivery["aggregate_min_plans"] == 3
    plans = _confidential_only(n_conf)
    t = PlanTable.from_records(S, plans.records, plans.geometries)
    f = FaseringTable.from_records(S, plans.fasering)
    result = export(t, f, str(tmp_path / "p.zip"), gemeente="GM0344", uitvraag="2026-najaar", peildatum=PEIL,
                    profile="provincie", concept=True, standard=S)
    with zipfile.ZipFile(result.zip_path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        html = zf.read("validatierapport.html").decode("utf-8")
    agg = manifest["counts"]["confidential_left_out"]
    assert agg == {"plans": n_conf, "totals_withheld": True, "min_plans_for_totals": 3}
    assert manifest["validation"]["plans"] == 6 + n_conf
    bruto = sum(r["bruto_plancapaciteit"] for r in plans.records[6:])
    assert f"({bruto} woningen)" not in html and "geen totalen: minder dan 3 plannen" in html


def test_aggregate_from_the_threshold_on_gives_totals_only(tmp_path):
    plans = _confidential_only(3)
    t = PlanTable.from_records(S, plans.records, plans.geometries)
    f = FaseringTable.from_records(S, plans.fasering)
    result = export(t, f, str(tmp_path / "p.zip"), gemeente="GM0344", uitvraag="2026-najaar", peildatum=PEIL,
                    profile="provincie", concept=True, standard=S)
    agg = result.manifest["counts"]["confidential_left_out"]
    assert agg["plans"] == 3 and agg["bruto"] == sum(r["bruto_plancapaciteit"] for r in plans.records[6:])
    assert set(agg) == {"plans", "bruto", "netto", "rest"}


def test_extra_source_columns_and_tables_are_not_copied(tmp_path):
    """The fast path copies the standard's columns only, whatever else the source holds."""
    recs, geoms, fas, _ = _scenario()
    src = write_plans(tmp_path / "src.gpkg", recs, geoms, fas)
    ds = gdal.OpenEx(src, gdal.OF_VECTOR | gdal.OF_UPDATE)
    ds.ExecuteSQL("ALTER TABLE woningbouwplannen ADD COLUMN geheim_extra TEXT")
    ds.ExecuteSQL("UPDATE woningbouwplannen SET geheim_extra = 'EXTRA-KOLOM-' || fid")
    ds.ExecuteSQL("CREATE TABLE notities (tekst TEXT)")
    ds.ExecuteSQL("INSERT INTO notities VALUES ('EXTRA-TABEL')")
    ds = None
    t, _ = ogrio.read_plans(src, S)
    f = ogrio.read_fasering(src, S)
    assert t.origin is not None
    result = export(t, f, str(tmp_path / "p.zip"), gemeente="GM0344", uitvraag="2026-najaar", peildatum=PEIL,
                    profile="provincie", concept=True, standard=S)
    blobs, gpkg = _all_text(result.zip_path)
    blobs.append(_dump(gpkg, tmp_path))
    assert not any(b"EXTRA-KOLOM" in b or b"EXTRA-TABEL" in b for b in blobs)


def test_a_shared_plan_name_or_id_is_told_without_the_left_out_plan(tmp_path):
    """C01 with two delivered plans and a left-out one, C02 with a left-out plan of the same name:
    the delivered plans' findings name nobody outside and give no count that includes it."""
    recs, geoms, fas, _ = _scenario()
    recs[13]["plannaam"] = recs[6]["plannaam"]              # 5B plan named like delivered plan 6
    recs[7]["plan_id"] = recs[2]["plan_id"]                 # plans 2, 7 (delivered) and 10 (left out)
    result = _export(tmp_path, recs, geoms, fas, "provincie", "memory")
    c02 = [f for f in result.shown if f.rule == "C02"]
    assert [f.fid for f in c02] == [6] and "niet in deze levering" in c02[0].message
    assert "2 keer" not in c02[0].message
    c01 = sorted((f for f in result.shown if f.rule == "C01"), key=lambda f: f.fid)
    assert [f.fid for f in c01] == [2, 7]
    for f in c01:
        assert "niet in deze levering" in f.message and "GEHEIM" not in f.message and "3 keer" not in f.message
