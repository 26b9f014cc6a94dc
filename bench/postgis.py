"""PostGIS benchmark (issue 12), on a throw-away PostgreSQL + PostGIS cluster (tests/pg_util.py):

  a. the province's intake of the national layer delivered as one package per gemeente (342
     packages: each inspected, i.e. checksummed and re-validated, then stored) against
     `ogr2ogr -append` of the same plans (the national GeoPackage's two tables) into the same
     database; target <= 2x; and the intake's floor (bench/floor_intake.py: the checksums, the
     reading, parsing and is_valid, the CSV parsing and the COPY an intake that re-validates cannot
     leave out, with no rule), against both;
  b. `validate` reading the 50,000 plans from PostGIS against the same validation from the
     GeoPackage; target <= 1.5x.

`run(...)` is called from bench/run.py; standalone:
    .venv/bin/python bench/postgis.py bench/data/plans_50000.gpkg [--runs 1]
"""
from __future__ import annotations

import glob
import json
import os
import sys
from typing import Any, Dict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for p in (HERE, ROOT, os.path.join(ROOT, "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

TARGETS = {"intake_vs_ogr2ogr": 2.0, "validate_pg_vs_gpkg": 1.5}
PEILDATUM = "2026-10-01"
UITVRAAG = "2026-najaar"


def make_packages(path: str, folder: str, log=print):
    """The plans of `path` spread over the 342 gemeenten (plan i to the i-th gemeente, round robin),
    written as one national GeoPackage and as one package per gemeente; cached in `folder`, keyed
    by the source file. Returns (national GeoPackage, packages)."""
    import numpy as np

    from lmvw_plugin.delivery.package import export
    from lmvw_plugin.standard import load
    from lmvw_plugin.storage import ogr as ogrio
    stamp = os.path.join(folder, "source.json")
    key = {"path": os.path.abspath(path), "mtime": os.path.getmtime(path), "size": os.path.getsize(path)}
    national = os.path.join(folder, "national_342.gpkg")
    done = sorted(glob.glob(os.path.join(folder, "lmvw_GM*.zip")))
    if done and os.path.exists(stamp) and os.path.exists(national):
        with open(stamp, encoding="utf-8") as fh:
            if json.load(fh) == key:
                return national, done
    os.makedirs(folder, exist_ok=True)
    for old in done + [national]:
        if os.path.exists(old):
            os.remove(old)
    from lmvw_plugin.delivery.writers import write_gpkg
    s = load()
    plans, _ = ogrio.read_plans(path, s)
    fas = ogrio.read_fasering(path, s)
    gemeenten = sorted(s.gemeenten)
    plans.columns["gemeentecode"][:] = [gemeenten[i % len(gemeenten)] for i in range(plans.n)]
    write_gpkg(national, s, s.fields, plans.columns, plans.geometry, fas, np.arange(fas.n), only_polygons=False)
    log(f"national GeoPackage of {plans.n} plans in {len(gemeenten)} gemeenten written")
    codes = np.asarray(plans.columns["gemeentecode"], dtype=str)
    fas_ids = np.asarray(fas.column(s.fasering_key).tolist(), dtype=str)
    plan_ids = np.asarray(plans.columns[s.key].tolist(), dtype=str)
    out = []
    for k, code in enumerate(sorted(set(codes.tolist()))):
        rows = np.nonzero(codes == code)[0]
        frows = np.nonzero(np.isin(fas_ids, plan_ids[rows]))[0]
        target = os.path.join(folder, f"lmvw_{code}_{UITVRAAG}.zip")
        import datetime as _dt
        export(plans.take(rows), fas.take(frows), target, gemeente=code, uitvraag=UITVRAAG,
               peildatum=_dt.date.fromisoformat(PEILDATUM), concept=True, standard=s)
        out.append(target)
        if k % 50 == 0:
            log(f"packages: {k + 1} written")
    with open(stamp, "w", encoding="utf-8") as fh:
        json.dump(key, fh)
    return national, out


def run(path: str, runs: int, logdir: str, outdir: str, env: Dict[str, str], timed, log=print) -> Dict[str, Any]:
    from pg_util import Cluster, missing_reason
    why = missing_reason()
    if why:
        log("    SKIPPED: " + why)
        return {"skipped": why}
    py = sys.executable
    result: Dict[str, Any] = {"targets": TARGETS}
    log("    packages per gemeente (cached after the first run) …")
    path, packages = make_packages(path, os.path.join(os.path.dirname(outdir), "packages"),
                                   log=lambda m: log("    " + m))
    result["national"] = os.path.relpath(path, ROOT)
    result["packages"] = len(packages)
    cluster = Cluster().start()
    try:
        cluster.make_template()

        def recreate(name, schema=None):
            def go():
                cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                cluster.sql(f"CREATE DATABASE {name} TEMPLATE template_postgis")
                if schema:
                    cluster.sql(f"CREATE SCHEMA {schema}", name)
            return go
        intake_db, ref_db = "PG:" + cluster.dsn("bench_intake"), "PG:" + cluster.dsn("bench_ref")
        result["intake"] = timed("pg_intake", [py, "-m", "lmvw_plugin", "intake", *packages, "--db", intake_db],
                                 runs, logdir, ok_codes=(0, 3), env=env, before=recreate("bench_intake"))
        rows = cluster.sql("SELECT count(*), (SELECT count(*) FROM provincie.levering) FROM provincie.plannen",
                           "bench_intake")
        result["intake"]["stored"] = {"plans": rows[0][0], "packages": rows[0][1]}
        log(f"    intake stored {rows[0][0]} plans of {rows[0][1]} packages")
        best = result["ogr2ogr_append"] = timed(
            "pg_ogr2ogr_append", ["ogr2ogr", "-append", "-f", "PostgreSQL", ref_db, path, "woningbouwplannen",
                                  "fasering", "-lco", "SCHEMA=ref", "-lco", "FID=fid", "-lco", "GEOMETRY_NAME=geom",
                                  "-nlt", "PROMOTE_TO_MULTI"],
            runs, logdir, env=env, before=recreate("bench_ref", "ref"))
        ratio = result["intake"]["wall_s"] / best["wall_s"]
        result["intake_vs_ogr2ogr"] = {"ratio": ratio, "pass": ratio <= TARGETS["intake_vs_ogr2ogr"]}
        # the work an intake that re-validates cannot leave out, with nothing else (bench/floor_intake.py)
        floor = result["intake_floor"] = timed(
            "pg_intake_floor", [py, os.path.join(HERE, "floor_intake.py"), cluster.dsn("bench_floor"), *packages],
            runs, logdir, env=env, before=recreate("bench_floor"))
        floor["vs_ogr2ogr"] = floor["wall_s"] / best["wall_s"]
        floor["intake_vs_floor"] = result["intake"]["wall_s"] / floor["wall_s"]
        # b. validation read from PostGIS (the ogr2ogr copy: the same plans, defects and all) vs the file
        pg = ref_db
        vj = os.path.join(outdir, "pg_validate.json")
        gj = os.path.join(outdir, "gpkg_validate.json")
        v_pg = timed("validate_pg", [py, "-m", "lmvw_plugin", "validate", pg, "--schema", "ref", "--peildatum",
                                     PEILDATUM, "--json", vj], runs, logdir, ok_codes=(0, 1), env=env)
        v_gp = timed("validate_gpkg_same_run", [py, "-m", "lmvw_plugin", "validate", path, "--peildatum", PEILDATUM,
                                                "--json", gj], runs, logdir, ok_codes=(0, 1), env=env)
        with open(vj, encoding="utf-8") as fh:
            s_pg = json.load(fh)["summary"]
        with open(gj, encoding="utf-8") as fh:
            s_gp = json.load(fh)["summary"]
        ratio = v_pg["wall_s"] / v_gp["wall_s"]
        result["validate_pg"], result["validate_gpkg"] = v_pg, v_gp
        result["validate_summaries"] = {"pg": s_pg, "gpkg": s_gp}
        result["validate_pg_vs_gpkg"] = {"ratio": ratio, "pass": ratio <= TARGETS["validate_pg_vs_gpkg"]}
    finally:
        cluster.stop()
    i, o = result["intake"], result["ogr2ogr_append"]
    log(f"    intake {len(packages)} packages: {i['wall_s']:.1f} s   ogr2ogr -append: {o['wall_s']:.1f} s   "
        f"ratio {result['intake_vs_ogr2ogr']['ratio']:.2f}x (target <= {TARGETS['intake_vs_ogr2ogr']}x: "
        f"{'PASS' if result['intake_vs_ogr2ogr']['pass'] else 'FAIL'})")
    f = result["intake_floor"]
    log(f"    the intake's floor (checksums, SQLite read, parse, is_valid, CSV parse, COPY; no rule): "
        f"{f['wall_s']:.1f} s, cpu {f['cpu_s']:.1f} s = {f['vs_ogr2ogr']:.2f}x ogr2ogr -append; "
        f"the intake = {f['intake_vs_floor']:.2f}x its floor")
    log(f"    validate from PostGIS: {result['validate_pg']['wall_s']:.1f} s   from GeoPackage: "
        f"{result['validate_gpkg']['wall_s']:.1f} s   ratio {result['validate_pg_vs_gpkg']['ratio']:.2f}x (target <= "
        f"{TARGETS['validate_pg_vs_gpkg']}x: {'PASS' if result['validate_pg_vs_gpkg']['pass'] else 'FAIL'})")
    return result


def run_guarded(path: str, runs: int, logdir: str, outdir: str, env: Dict[str, str], timed) -> Dict[str, Any]:
    """For bench/run.py: the heading, and a failure reported instead of raised."""
    print("\n[+] PostGIS (issue 12): intake of one package per gemeente vs ogr2ogr -append; validate from "
          "PostGIS vs GeoPackage", flush=True)
    try:
        return run(path, runs, logdir, outdir, env, timed, log=lambda m: print(m, flush=True))
    except Exception as e:  # noqa: BLE001 - a measurement: say what failed, go on with the rest
        print(f"    FAILED TO RUN: {type(e).__name__}: {e}", flush=True)
        return {"failed": f"{type(e).__name__}: {e}"}


def main() -> int:
    import argparse

    import run as runmod
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "data", "postgis.json"))
    a = ap.parse_args()
    runmod.WAIT_IDLE = 0
    datadir = os.path.join(HERE, "data")
    logdir, outdir = os.path.join(datadir, "logs"), os.path.join(datadir, "out")
    os.makedirs(logdir, exist_ok=True)
    os.makedirs(outdir, exist_ok=True)
    got = run(a.path, a.runs, logdir, outdir, runmod.child_env(), runmod.timed)
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(got, fh, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
