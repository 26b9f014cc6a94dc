"""Issue 11: a province's own file as the previous delivery (Gelderland's FileGDB, Zuid-Holland's
GeoJSON, Zeeland's workbooks), read through the import's province readers, for `diff` and
`export --previous`; what the format does not hold is never a change, and a plan the profile keeps
out is never named."""
from __future__ import annotations

import datetime as _dt
import json
import os
import zipfile

import pytest
from diff_util import geom, record
from test_diff_package import S, conf, run, section

from lmvw_plugin.delivery.compare import compare
from lmvw_plugin.delivery.compare_read import CompareError, province_kind, read_current, read_previous
from lmvw_plugin.delivery.province import export_province
from lmvw_plugin.standard.provinces import extend, load_province
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import clean_plans, write_plans

PROVINCES = [("zuid-holland", "GM0599", "lmvw_GM0599_2026-voorjaar.pzh.geojson"),
             ("gelderland", "GM0202", "lmvw_GM0202_2026-voorjaar.gdb.zip"),
             ("zeeland", "GM0654", "lmvw_GM0654_2026-voorjaar.zip")]


def province_file(folder, province, gemeente, name, records, geometries, fasering=()):
    """The plans delivered in the province's own format (as the export writes it)."""
    ext = extend(S, load_province(province))
    src = write_plans(folder / f"{province}.gpkg", records, geometries, fasering)
    plans, _ = ogrio.read_plans(src, ext)
    fas = ogrio.read_fasering(src, ext)
    out = str(folder / name)
    export_province(plans, fas, out, province=province, gemeente=gemeente, uitvraag="2026-voorjaar",
                    peildatum=_dt.date(2026, 4, 1), concept=True, standard=ext, profile="provincie_volledig")
    return out


@pytest.mark.parametrize("province, gemeente, name", PROVINCES)
def test_the_same_plans_in_a_province_file_are_unchanged(tmp_path, province, gemeente, name):
    """Plans with dwellings realised, splits the format holds only as a whole, Zeeland without plan
    ids or areas: delivered to the province and compared with themselves, nothing changed."""
    g = clean_plans(10, seed=4, gemeenten=[gemeente])
    path = province_file(tmp_path, province, gemeente, name, g.records, g.geometries, g.fasering)
    assert province_kind(path) == province
    prev = read_previous(path, S)
    assert prev.uitvraag == name and prev.gemeente == gemeente and prev.fasering.n > 0
    src = str(tmp_path / f"{province}.gpkg")
    ch = compare(S, prev, read_current(src, S, gemeente=gemeente))
    delivered = prev.plans.n
    assert ch.counts == {"nieuw": 0, "verdwenen": 0, "gewijzigd": 0, "ongewijzigd": delivered}, \
        [(p.plannaam, p.changes) for p in ch.plans]
    assert ch.findings == []


@pytest.mark.parametrize("province, gemeente, name", PROVINCES)
def test_diff_with_a_province_file_finds_the_changes(tmp_path, province, gemeente, name):
    recs = [record(i, plannaam=f"Plan {i:02d}", gemeentecode=gemeente) for i in range(6)]
    fas = [{"plan_id": r["plan_id"], "jaar": 2027, "aantal": 20} for r in recs]      # every plan's 20 dwellings
    path = province_file(tmp_path, province, gemeente, name, recs, [geom(i) for i in range(6)], fas)
    now = [dict(r) for r in recs if r["plannaam"] != "Plan 05"]                      # Plan 05 gone (V01)
    now[0]["planstatus"] = "1A"                                                        # Plan 00 up, hard
    now.append(record(9, plannaam="Plan 09", gemeentecode=gemeente))                  # new
    fas_now = [dict(f, jaar=2029 if f["plan_id"] == recs[1]["plan_id"] else 2027)     # Plan 01 two years later
               for f in fas if f["plan_id"] != recs[5]["plan_id"]]
    cur = write_plans(tmp_path / "nu.gpkg", now, [geom(i) for i in (0, 1, 2, 3, 4, 9)], fas_now)
    out = tmp_path / "changes.json"
    r = run("diff", path, cur, "--json", out)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"] == {"nieuw": 1, "verdwenen": 1, "gewijzigd": 2, "ongewijzigd": 3,
                               "vertraging_woningjaren": 40}
    changed = {p["plannaam"]: {c["field"] for c in p["changes"]} for p in data["plans"] if p["kind"] == "gewijzigd"}
    assert changed == {"Plan 00": {"planstatus", "planstatus_richting", "hard_zacht"},
                       "Plan 01": {"fasering", "vertraging_woningjaren"}}
    assert [f["rule"] for f in data["findings"]] == ["V01"]


def test_export_previous_with_a_province_file_keeps_the_confidentiality_rule(tmp_path):
    """Zuid-Holland's file of the spring delivery as the previous one of the autumn package: the
    changes section and the manifest are there; a plan confidential now is counted, never named."""
    recs = [record(i, plannaam=n, gemeentecode="GM0599") for i, n in enumerate(["Open Een", "Geheim Nu", "Open Weg"])]
    fas = [{"plan_id": r["plan_id"], "jaar": 2027, "aantal": 20} for r in recs]
    path = province_file(tmp_path, "zuid-holland", "GM0599", "lmvw_GM0599_2026-voorjaar.pzh.geojson", recs,
                         [geom(i) for i in range(3)], fas)
    now = [dict(recs[0], bruto_plancapaciteit=30, eengezins=30, betaalbare_koop=30),
           dict(recs[1], **conf()), record(7, plannaam="Geheim Erbij", gemeentecode="GM0599", **conf())]
    out = tmp_path / "nu"
    out.mkdir()
    gpkg = write_plans(tmp_path / "nu.gpkg", now, [geom(0), geom(1), geom(7)],
                       [{"plan_id": r["plan_id"], "jaar": 2027, "aantal": r["bruto_plancapaciteit"]} for r in now])
    r = run("export", gpkg, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01", "--profile", "provincie",
            "--concept", "-o", out, "--previous", path)
    assert r.returncode == 0, r.stderr
    (zip_path,) = [os.path.join(out, n) for n in os.listdir(out) if n.endswith(".zip")]
    with zipfile.ZipFile(zip_path) as zf:
        html = zf.read("validatierapport.html").decode("utf-8")
        m = json.loads(zf.read("manifest.json"))
    part = section(html)
    assert "Open Een" in part and "Open Weg" in part
    assert "Geheim Nu" not in part and "Geheim Erbij" not in part
    assert m["previous"]["file"] == os.path.basename(path) and len(m["previous"]["sha256"]) == 64
    ch = m["changes"]
    assert (ch["nieuw"], ch["verdwenen"], ch["gewijzigd"]) == (1, 1, 2) and ch["not_named"] == 2


def test_an_unreadable_province_file_is_refused_with_the_imports_reason(tmp_path):
    bad = tmp_path / "kapot.pzh.geojson"
    bad.write_text('{"type": "FeatureCollection", "year_properties": [], "features": 3}', encoding="utf-8")
    with pytest.raises(CompareError) as e:
        read_previous(str(bad), S)
    assert e.value.reason == "province"
    cur = write_plans(tmp_path / "nu.gpkg", [record(0)], [geom(0)])
    r = run("diff", bad, cur)
    assert r.returncode == 2 and "kapot.pzh.geojson" in r.stderr and "Traceback" not in r.stderr
