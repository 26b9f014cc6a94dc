"""Province exports in `make bench` (called from bench/run.py), each against a reference in the
same run:

- **Gelderland**: the export of the whole bench layer (50,000 plans, ~200,000 fasering rows) to the
  Planregistratie File Geodatabase through the province pipeline (read, validate, map, distribute,
  check, write, zip), against `ogr2ogr -f OpenFileGDB` writing the same plans and fasering table to
  a geodatabase. Target: ≤ 2× the reference. For information also `ogr2ogr -f OpenFileGDB` of our
  own output's two tables (from a GeoPackage copy): the same rows and all their columns.
- **Zeeland**: the export of 500 of those plans to one workbook each. Target: < 10 s.

The bench layer's plans are in a Utrecht gemeente; each export runs on a copy whose gemeentecode
is one of the province's (GM0202 Arnhem, GM0718 Vlissingen) and whose woonplaats is emptied. Both
run as `--concept` like the package's benchmark (the bench data has errors on purpose).

    .venv/bin/python bench/provinces.py PLANS.gpkg OUTDIR [--runs 2]          # on its own
    .venv/bin/python bench/provinces.py --child PROVINCE GPKG OUT             # one timed export
    .venv/bin/python bench/provinces.py --floor OURS_AS.gpkg GDB              # GDAL's own floor

**GDAL's floor** (for information): our own output's rows (Planregistratie and DetailPlanning, from
a GeoPackage copy of them) appended by GDAL's C loop (`gdal.VectorTranslate`, no Python per row)
into an empty geodatabase built from the template's schema: real GlobalID and GUID fields, Int16,
domains. It is what GDAL itself needs for the rows the template asks for, before any reading,
mapping or checking of ours; OpenFileGDB in GDAL 3.6 draws a new Mersenne Twister for every
GlobalID and parses every GUID with sscanf (perf: a quarter of its time), which the plain
`ogr2ogr` reference (text columns) does not pay.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

TARGET_GELDERLAND = 2.0         # our export / ogr2ogr to OpenFileGDB
TARGET_ZEELAND_S = 10.0         # 500 workbooks
ZEELAND_PLANS = 500
GEMEENTE = {"gelderland": "GM0202", "zeeland": "GM0718"}
PEILDATUM = "2026-10-01"


def province_copy(src: str, dst: str, province: str, limit: int = 0) -> str:
    """A copy of the bench layer as if it were the province's: its gemeentecode, no woonplaats;
    with `limit` only the first plans and their fasering."""
    for p in (dst, dst + "-wal", dst + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    shutil.copyfile(src, dst)
    from osgeo import gdal
    gdal.UseExceptions()
    ds = gdal.OpenEx(dst, gdal.OF_VECTOR | gdal.OF_UPDATE)      # GDAL: the GeoPackage's triggers need its SQL functions
    try:
        if limit:
            keep = f"SELECT plan_id FROM woningbouwplannen ORDER BY fid LIMIT {int(limit)}"
            ds.ExecuteSQL(f"DELETE FROM fasering WHERE plan_id NOT IN ({keep})")
            ds.ExecuteSQL(f"DELETE FROM woningbouwplannen WHERE fid NOT IN (SELECT fid FROM woningbouwplannen "
                          f"ORDER BY fid LIMIT {int(limit)})")
        ds.ExecuteSQL(f"UPDATE woningbouwplannen SET gemeentecode = '{GEMEENTE[province]}', woonplaats = NULL")
        if limit:
            ds.ExecuteSQL("VACUUM")
    finally:
        ds = None
    return dst


def child(province: str, gpkg: str, out: str) -> int:
    """One export as a user runs it: read the file, export_province (validation included)."""
    from lmvw_plugin.delivery.province import export_province
    from lmvw_plugin.i18n import use_catalog
    from lmvw_plugin.standard import load
    from lmvw_plugin.standard.provinces import extend
    from lmvw_plugin.storage import ogr as ogrio

    use_catalog("nl")
    t0 = time.perf_counter()
    s = extend(load(), province)
    plans, _ = ogrio.read_plans(gpkg, s)
    fasering = ogrio.read_fasering(gpkg, s)
    t1 = time.perf_counter()
    res = export_province(plans, fasering, out, province=province, gemeente=GEMEENTE[province],
                          uitvraag="2026-najaar", peildatum=_dt.date.fromisoformat(PEILDATUM), standard=s,
                          concept=True, overwrite=True, sources=[gpkg])
    t2 = time.perf_counter()
    print(json.dumps({"plans": len(res.records), "facts": res.facts, "read_s": round(t1 - t0, 2),
                      "export_s": round(t2 - t1, 2), "bytes": os.path.getsize(res.path)}))
    return 0


def floor(same_gpkg: str, gdb: str) -> int:
    """GDAL's floor (module doc): build the empty geodatabase from the schema, then append our two
    tables' rows with GDAL's C loop (GlobalID left to GDAL, as our writer does)."""
    from osgeo import gdal

    from lmvw_plugin.delivery import filegdb
    gdal.UseExceptions()
    _rm(gdb)
    t0 = time.perf_counter()
    filegdb.build(gdb)
    for name in (filegdb.PLANS, filegdb.DETAIL):
        cols = [f["name"] for f in filegdb.schema()["layers"][name]["fields"]
                if f["esri_type"] not in ("esriFieldTypeOID", "esriFieldTypeGlobalID")]
        src = gdal.OpenEx(same_gpkg, gdal.OF_VECTOR)
        sql = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{name}"'
        gdal.VectorTranslate(gdb, src, accessMode="append", SQLStatement=sql, layerName=name)
        src = None
    print(json.dumps({"floor_s": round(time.perf_counter() - t0, 2)}))
    return 0


def _rm(*paths: str) -> None:
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)


def run(path: str, outdir: str, logdir: str, runs: int, env: Dict[str, str], timed: Callable,
        log: Callable[[str], None] = print) -> Dict[str, Any]:
    """Both measurements; `timed` is bench/run.py's runner (min wall time of undisturbed runs)."""
    py = sys.executable
    me = os.path.abspath(__file__)
    out: Dict[str, Any] = {}
    work = os.path.join(outdir, "provinces")
    os.makedirs(work, exist_ok=True)

    gpkg = province_copy(path, os.path.join(work, "gelderland.gpkg"), "gelderland")
    target = os.path.join(work, "lmvw_GM0202_2026-najaar_gelderland.gdb.zip")
    report = os.path.join(work, "lmvw_GM0202_2026-najaar_gelderland_validatierapport.html")
    stdout = os.path.join(work, "gelderland.json")

    def after_gld():
        with open(os.path.join(logdir, sorted(f for f in os.listdir(logdir) if f.startswith("gelderland."))[-1]),
                  encoding="utf-8") as fh:
            lines = [ln for ln in fh.read().splitlines() if ln.startswith("{")]
        return json.loads(lines[-1]) if lines else None

    ours = timed("gelderland", [py, me, "--child", "gelderland", gpkg, target], runs, logdir,
                 before=lambda: _rm(target, report, stdout), after=after_gld, env=env)
    ref_gdb = os.path.join(work, "ogr2ogr.gdb")
    ref = timed("ogr2ogr_openfilegdb", ["ogr2ogr", "-f", "OpenFileGDB", ref_gdb, gpkg, "woningbouwplannen",
                                        "fasering"], runs, logdir, before=lambda: _rm(ref_gdb), env=env)
    ratio = ours["wall_s"] / ref["wall_s"] if ref["wall_s"] else None
    # a second reference: ogr2ogr writing exactly our two tables (all 75 + 79 columns) to the driver
    same = os.path.join(work, "ours_as.gpkg")
    _rm(same)
    subprocess.run(["ogr2ogr", "-f", "GPKG", same, target, "Planregistratie", "DetailPlanning"], check=True,
                   capture_output=True, timeout=1800)
    same_gdb = os.path.join(work, "ogr2ogr_same.gdb")
    same_ref = timed("ogr2ogr_same_tables", ["ogr2ogr", "-f", "OpenFileGDB", same_gdb, same, "Planregistratie",
                                             "DetailPlanning"], runs, logdir, before=lambda: _rm(same_gdb), env=env)
    floor_gdb = os.path.join(work, "gdal_floor.gdb")
    gdal_floor = timed("gdal_floor_template", [py, me, "--floor", same, floor_gdb], runs, logdir,
                       before=lambda: _rm(floor_gdb), env=env)
    floor_ratio = gdal_floor["wall_s"] / ref["wall_s"] if ref["wall_s"] else None
    out["gelderland"] = {"ours": ours, "ogr2ogr": ref, "ogr2ogr_same_tables": same_ref, "ratio": ratio,
                         "ratio_same_tables": ours["wall_s"] / same_ref["wall_s"] if same_ref["wall_s"] else None,
                         "gdal_floor": gdal_floor, "floor_ratio": floor_ratio,
                         "target": TARGET_GELDERLAND, "pass": ratio is not None and ratio <= TARGET_GELDERLAND}
    d = ours.get("detail") or {}
    log(f"    Gelderland: {d.get('plans')} plans, {(d.get('facts') or {}).get('detailplanning_rows')} "
        f"DetailPlanning rows: ours {ours['wall_s']:.2f} s (read {d.get('read_s')} s, export {d.get('export_s')} s) "
        f"vs ogr2ogr -f OpenFileGDB {ref['wall_s']:.2f} s: {ratio:.2f}x (target <= {TARGET_GELDERLAND:.0f}x); "
        f"ogr2ogr of our own two tables {same_ref['wall_s']:.2f} s; GDAL's floor (our rows into the "
        f"template's schema, C loop) {gdal_floor['wall_s']:.2f} s = {floor_ratio:.2f}x the reference")

    zgpkg = province_copy(path, os.path.join(work, "zeeland.gpkg"), "zeeland", limit=ZEELAND_PLANS)
    ztarget = os.path.join(work, "lmvw_GM0718_2026-najaar_zeeland.zip")
    zreport = os.path.join(work, "lmvw_GM0718_2026-najaar_zeeland_validatierapport.html")

    def after_zl():
        with open(os.path.join(logdir, sorted(f for f in os.listdir(logdir) if f.startswith("zeeland."))[-1]),
                  encoding="utf-8") as fh:
            lines = [ln for ln in fh.read().splitlines() if ln.startswith("{")]
        return json.loads(lines[-1]) if lines else None

    zl = timed("zeeland", [py, me, "--child", "zeeland", zgpkg, ztarget], runs, logdir,
               before=lambda: _rm(ztarget, zreport), after=after_zl, env=env)
    out["zeeland"] = {"ours": zl, "target_s": TARGET_ZEELAND_S, "pass": zl["wall_s"] < TARGET_ZEELAND_S}
    d = zl.get("detail") or {}
    log(f"    Zeeland: {d.get('plans')} plans, {(d.get('facts') or {}).get('workbooks')} workbooks in "
        f"{zl['wall_s']:.2f} s (read {d.get('read_s')} s, export {d.get('export_s')} s; target < "
        f"{TARGET_ZEELAND_S:.0f} s)")
    return out


def bench(path: str, outdir: str, logdir: str, runs: int, env: Dict[str, str], timed: Callable,
          failures: List[str]) -> Dict[str, Any]:
    """bench/run.py's step: run() with its header; a step that cannot run is named in `failures`."""
    print("\n[+] province exports: Gelderland (FileGDB) vs ogr2ogr -f OpenFileGDB; Zeeland, 500 workbooks",
          flush=True)
    try:
        return run(path, outdir, logdir, runs, env, timed, log=lambda m: print(m, flush=True))
    except Exception as e:             # reported, the other figures stand
        print("    FAILED TO RUN:", e)
        failures.append("province_exports")
        return {}


def rows(res: Dict[str, Any], checks: Optional[Dict[str, Any]] = None) -> List[List[str]]:
    """Summary rows for bench/run.py's table: name, wall, memory, cpu, target, verdict; the
    verdicts go into `checks` (results.json's targets)."""
    out = []
    checks = {} if checks is None else checks
    if res.get("gelderland"):
        g_ = res["gelderland"]
        checks["gelderland_vs_ogr2ogr"] = {"ours_s": g_["ours"]["wall_s"], "ogr2ogr_s": g_["ogr2ogr"]["wall_s"],
                                           "ratio": g_["ratio"], "target": g_["target"], "pass": g_["pass"],
                                           "gdal_floor_s": (g_.get("gdal_floor") or {}).get("wall_s"),
                                           "floor_ratio": g_.get("floor_ratio")}
    if res.get("zeeland"):
        z_ = res["zeeland"]
        checks["zeeland_500"] = {"ours_s": z_["ours"]["wall_s"], "cpu_s": z_["ours"]["cpu_s"],
                                 "target_s": z_["target_s"], "pass": z_["pass"]}
    g = res.get("gelderland")
    if g:
        out.append(["export Gelderland (FileGDB, 50,000 plans)", f"{g['ours']['wall_s']:.2f} s",
                    f"{g['ours']['maxrss_mib']:.0f} MiB", f"{g['ours']['cpu_s']:.1f} s", "", ""])
        out.append(["ogr2ogr -f OpenFileGDB (same plans + fasering)", f"{g['ogr2ogr']['wall_s']:.2f} s",
                    f"{g['ogr2ogr']['maxrss_mib']:.0f} MiB", f"{g['ogr2ogr']['cpu_s']:.1f} s", "", ""])
        out.append(["Gelderland / ogr2ogr", f"{g['ratio']:.2f}x", "", "", f"<= {g['target']:.0f}x",
                    "PASS" if g["pass"] else "FAIL"])
        s_ = g["ogr2ogr_same_tables"]
        out.append(["  ogr2ogr of our own Planregistratie + DetailPlanning", f"{s_['wall_s']:.2f} s",
                    f"{s_['maxrss_mib']:.0f} MiB", f"{s_['cpu_s']:.1f} s", "(info)", ""])
        f_ = g.get("gdal_floor")
        if f_:
            out.append(["  GDAL's floor: our rows into the template's schema (C loop)", f"{f_['wall_s']:.2f} s",
                        f"{f_['maxrss_mib']:.0f} MiB", f"{f_['cpu_s']:.1f} s",
                        f"{g['floor_ratio']:.2f}x ref (info)", ""])
    z = res.get("zeeland")
    if z:
        out.append([f"export Zeeland ({ZEELAND_PLANS} workbooks)", f"{z['ours']['wall_s']:.2f} s",
                    f"{z['ours']['maxrss_mib']:.0f} MiB", f"{z['ours']['cpu_s']:.1f} s",
                    f"< {z['target_s']:.0f} s", "PASS" if z["pass"] else "FAIL"])
    return out


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(*sys.argv[2:5])
    if len(sys.argv) > 1 and sys.argv[1] == "--floor":
        return floor(*sys.argv[2:4])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("plans")
    ap.add_argument("outdir")
    ap.add_argument("--runs", type=int, default=2)
    a = ap.parse_args()
    sys.path.insert(0, HERE)
    import run as bench_run
    bench_run.WAIT_IDLE = 0
    logdir = os.path.join(a.outdir, "logs")
    os.makedirs(logdir, exist_ok=True)
    res = run(a.plans, a.outdir, logdir, a.runs, bench_run.child_env(), bench_run.timed)
    print(bench_run.table(rows(res), ["measure", "wall", "peak memory", "cpu", "target", ""]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
