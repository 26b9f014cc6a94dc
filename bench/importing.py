"""Benchmark of the import (issue 10), called from bench/run.py: the 50,000-plan bench layer imported
into a new GeoPackage (`python -m lmvw_plugin import SOURCE --into NEW.gpkg`, a whole process, the new
file made as `new` makes one, with its form and style), against `ogr2ogr -f GPKG` copying the same
source (all its layers), the two alternating in the same run. Target: at most 2x ogr2ogr.

The sources:
- **gelderland**: the whole bench layer exported to Gelderland's File Geodatabase (zip) by
  `export --format gelderland`, from a copy whose plans are in Arnhem (bench/provinces.py);
- **zuid-holland**: the same for Zuid-Holland's `.pzh.geojson` (plans in Rotterdam);
- **gpkg**: the bench GeoPackage itself; **lmvw**: the package the export step wrote (its import runs
  `inspect`, the whole validation of the package, first).

A province file holds only the delivered plans: the bench layer's internal plans (planstatus 5A/5B)
are never delivered, so 45,744 of the 50,000 plans are in it. The province files are written once
and kept in OUTDIR/provinces (delete them to write them again: about 90 s each).

    .venv/bin/python bench/importing.py [PLANS.gpkg] [PACKAGE.zip] [--runs N] [--only gelderland,...]
"""
from __future__ import annotations

import json
import os
import sys
import zipfile
from typing import Any, Callable, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 2.0
PROVINCES = (("gelderland", "GM0202", "import_gelderland.gdb.zip"),
             ("zuid-holland", "GM0599", "import_zuid-holland.pzh.geojson"))
# issue 10's speed target covers the imports of the provinces' formats; the GeoPackage and LMVW
# package imports are measured for information
TARGETED = tuple(name for name, _, _ in PROVINCES)


def bench(path: str, outdir: str, logdir: str, timed: Callable, runs: int, env: Dict[str, str],
          failures: List[str], package: Optional[str] = None, ogr2ogr: Optional[Dict[str, Any]] = None,
          remove: Callable = None, py: str = sys.executable, only: Optional[List[str]] = None) -> Dict[str, Any]:
    """Times each import against ogr2ogr of its own source, alternating run by run. (`ogr2ogr`, run.py's
    copy of the bench layer's two tables, is no longer used: each source has its own reference.)"""
    remove = remove or _remove
    print("\n[+] import: python -m lmvw_plugin import SOURCE --into NEW.gpkg  vs  ogr2ogr -f GPKG of SOURCE "
          "(alternating)", flush=True)
    out: Dict[str, Any] = {"target_vs_ogr2ogr": TARGET}
    sources = province_files(path, outdir, logdir, timed, env, failures, py)
    sources += [("gpkg", path, path)]
    if package and os.path.exists(package):
        with zipfile.ZipFile(package) as zf:
            member = next((n for n in zf.namelist() if n.endswith(".gpkg")), None)
        if member:
            sources.append(("lmvw", package, f"/vsizip/{package}/{member}"))
    for name, src, ref_src in sources:
        if only and name not in only:
            continue
        new = os.path.join(outdir, f"imported_{name}.gpkg")
        ref = os.path.join(outdir, f"ogr2ogr_{name}.gpkg")
        report = os.path.join(outdir, f"import_{name}.json")
        stages_file = os.path.join(outdir, f"import_{name}.stages.json")
        ours_cmd = [py, "-m", "lmvw_plugin", "import", src, "--into", new, "--gemeente", "GM0344", "--json", report]
        ref_cmd = ["ogr2ogr", "-f", "GPKG", ref, ref_src]
        ours_runs, ref_runs = [], []
        try:
            for i in range(max(1, runs)):
                stage_env = dict(env, LMVW_TIMINGS=stages_file) if i == 0 else env
                ours_runs.append(timed(f"import_{name}", ours_cmd, 1, logdir, ok_codes=(0, 1),
                                       before=lambda p=new: remove(p), env=stage_env))
                ref_runs.append(timed(f"ogr2ogr_import_{name}", ref_cmd, 1, logdir, before=lambda p=ref: remove(p),
                                      env=env))
        except Exception as e:  # noqa: BLE001 - a measurement: say what failed and go on
            print("    FAILED TO RUN:", e)
            failures.append(f"import_{name}")
            continue
        r, base = _best(ours_runs), _best(ref_runs)
        r["stages"] = _stages(stages_file)
        r["plans"] = _plans(report)
        ratio, cpu = r["wall_s"] / base["wall_s"], r["cpu_s"] / max(base["cpu_s"], 1e-6)
        r["vs_ogr2ogr"], r["cpu_vs_ogr2ogr"], r["pass"] = ratio, cpu, ratio <= TARGET
        out[name], out[f"ogr2ogr_{name}"] = r, base
        print(f"    import from {name} ({r['plans']} plans): {r['wall_s']:.1f} s (cpu {r['cpu_s']:.1f} s) vs ogr2ogr "
              f"{base['wall_s']:.1f} s (cpu {base['cpu_s']:.1f} s): {ratio:.2f}x wall, {cpu:.2f}x cpu "
              + (f"(target <= {TARGET:.0f}x: {'PASS' if ratio <= TARGET else 'FAIL'})" if name in TARGETED
                 else "(info)"), flush=True)
        if r["stages"]:
            print("      stages (first run, wall / cpu s): " + ", ".join(
                f"{s['stage']} {s['wall_s']:.2f}/{s['cpu_s']:.2f}" for s in r["stages"]), flush=True)
    return out


def _best(results: List[Dict[str, Any]]) -> Dict[str, Any]:
    best = dict(min(results, key=lambda r: r["wall_s"]))
    best["wall_all_s"] = [r["wall_s"] for r in results]
    best["cpu_all_s"] = [r["cpu_s"] for r in results]
    best["other_cores_all"] = [r["other_cores"] for r in results]
    return best


def _stages(path: str) -> Optional[List[Dict[str, Any]]]:
    """The import's stages (LMVW_TIMINGS of the first run), the interpreter's start first."""
    try:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
    except (OSError, ValueError):
        return None
    return [{"stage": "interpreter start", **d["start"]}] + d["stages"]


def _plans(report: str) -> Optional[int]:
    try:
        with open(report, encoding="utf-8") as fh:
            s = json.load(fh)["summary"]
        return s["new"] + s["updated"] + s["unchanged"] + s["conflicts"]
    except (OSError, ValueError, KeyError):
        return None


def province_files(path: str, outdir: str, logdir: str, timed: Callable, env: Dict[str, str],
                   failures: List[str], py: str) -> List[tuple]:
    """The whole bench layer in Gelderland's FileGDB and Zuid-Holland's GeoJSON, written once with
    `export --format` from a copy in one of the province's gemeenten; (name, file, file) each."""
    import provinces
    work = os.path.join(outdir, "provinces")
    os.makedirs(work, exist_ok=True)
    out = []
    for province, gemeente, name in PROVINCES:
        target = os.path.join(work, name)
        stamp = target + ".from"
        want = f"{os.path.abspath(path)} {os.path.getsize(path)} {os.path.getmtime(path)}"
        if not (os.path.exists(target) and _read(stamp) == want):
            provinces.GEMEENTE.setdefault(province, gemeente)
            copy = provinces.province_copy(path, os.path.join(work, f"import_{province}.gpkg"), province)
            try:
                timed(f"export_{province}_for_import", [py, "-m", "lmvw_plugin", "export", copy, "--format", province,
                                                        "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01",
                                                        "--gemeente", gemeente, "--concept", "--overwrite", "-o",
                                                        target], 1, logdir, env=env)
            except Exception as e:  # noqa: BLE001 - a measurement: say what failed and go on
                print("    FAILED TO RUN:", e)
                failures.append(f"export_{province}_for_import")
                continue
            finally:
                _remove(copy)
            with open(stamp, "w", encoding="utf-8") as fh:
                fh.write(want)
        out.append((province, target, target))
    return out


def _read(p: str) -> Optional[str]:
    try:
        with open(p, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def rows(res: Dict[str, Any], checks: Optional[Dict[str, Any]] = None) -> List[List[str]]:
    """Summary rows for bench/run.py's table (name, wall, memory, cpu, target, verdict); the verdicts
    go into `checks` (results.json's targets)."""
    out: List[List[str]] = []
    checks = {} if checks is None else checks
    for name in ("gelderland", "zuid-holland", "gpkg", "lmvw"):
        r, base = res.get(name), res.get(f"ogr2ogr_{name}")
        if not r or not base:
            continue
        if name in TARGETED:
            checks[f"import_{name}_vs_ogr2ogr"] = {"ours_s": r["wall_s"], "ogr2ogr_s": base["wall_s"],
                                                   "ratio": r["vs_ogr2ogr"], "target": TARGET, "pass": r["pass"]}
        out.append([f"import from {name} ({r.get('plans')} plans)", f"{r['wall_s']:.2f} s",
                    f"{r['maxrss_mib']:.0f} MiB", f"{r['cpu_s']:.1f} s", "", ""])
        out.append([f"  ogr2ogr -f GPKG of the same {name} source", f"{base['wall_s']:.2f} s",
                    f"{base['maxrss_mib']:.0f} MiB", f"{base['cpu_s']:.1f} s", "", ""])
        out.append([f"  import {name} / ogr2ogr", f"{r['vs_ogr2ogr']:.2f}x", "", f"{r['cpu_vs_ogr2ogr']:.2f}x",
                    f"<= {TARGET:.0f}x" if name in TARGETED else "",
                    ("PASS" if r["pass"] else "FAIL") if name in TARGETED else "(info)"])
    return out


def _remove(*paths: str) -> None:
    for p in paths:
        for q in (p, p + "-wal", p + "-shm", p + "-journal"):
            if os.path.exists(q):
                os.remove(q)


def main() -> int:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("plans", nargs="?")
    ap.add_argument("package", nargs="?")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--only", help="comma-separated: gelderland, zuid-holland, gpkg, lmvw")
    ap.add_argument("--outdir")
    a = ap.parse_args()
    sys.path.insert(0, HERE)
    import datagen
    import run
    path = a.plans or datagen.ensure(datagen.default_params(50_000))[0]
    outdir = a.outdir or os.path.join(datagen.DATA_DIR, "out")
    package = a.package or os.path.join(outdir, "pkg.zip")
    run.WAIT_IDLE = 0
    logdir = os.path.join(outdir, "logs")
    os.makedirs(logdir, exist_ok=True)
    failures: List[str] = []
    res = bench(path, outdir, logdir, run.timed, a.runs, run.child_env(), failures, package,
                only=a.only.split(",") if a.only else None)
    print(run.table(rows(res), ["measure", "wall", "peak memory", "cpu", "target", ""]))
    with open(os.path.join(outdir, "import_bench.json"), "w", encoding="utf-8") as fh:
        json.dump(res, fh, indent=2, default=str)
    return 2 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
