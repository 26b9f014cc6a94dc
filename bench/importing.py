"""Benchmark of the import (issue 10), called from bench/run.py: the 50,000-plan layer imported
into a new GeoPackage (`python -m lmvw_plugin import SOURCE --into NEW.gpkg`, made as `new` makes
one), from the plan GeoPackage itself, from the LMVW package the export step wrote and from the
bench layer in Zuid-Holland's GeoJSON and Gelderland's FileGDB (written once here), against
`ogr2ogr` copying the same source. Target: at most 2x ogr2ogr.

    .venv/bin/python bench/importing.py [PLANS.gpkg] [PACKAGE.zip]     (on its own)
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 2.0
PROVINCE_PLANS = 5000


def bench(path: str, outdir: str, logdir: str, timed: Callable, runs: int, env: Dict[str, str],
          failures: List[str], package: Optional[str] = None, ogr2ogr: Optional[Dict[str, Any]] = None,
          remove: Callable = None, py: str = sys.executable) -> Dict[str, Any]:
    """Times the imports; `ogr2ogr` is run.py's measurement of copying `path` (timed here when None)."""
    remove = remove or _remove
    print("\n[+] import: python -m lmvw_plugin import SOURCE --into NEW.gpkg  vs  ogr2ogr -f GPKG", flush=True)
    out: Dict[str, Any] = {"target_vs_ogr2ogr": TARGET}
    new = os.path.join(outdir, "imported.gpkg")
    sources = [("gpkg", path, None)] + ([("lmvw", package, None)] if package and os.path.exists(package) else [])
    sources += province_files(path, outdir, logdir, timed, env, failures, py)
    for name, src, _ref in sources:
        try:
            r = timed(f"import_{name}", [py, "-m", "lmvw_plugin", "import", src, "--into", new, "--gemeente",
                                         "GM0344", "--json", os.path.join(outdir, f"import_{name}.json")],
                      runs, logdir, ok_codes=(0, 1), before=lambda: remove(new), env=env)
            out[name] = r
        except Exception as e:  # noqa: BLE001 - a measurement: say what failed and go on
            print("    FAILED TO RUN:", e)
            failures.append(f"import_{name}")
    if ogr2ogr is None:
        opath = os.path.join(outdir, "ogr2ogr_import.gpkg")
        try:
            ogr2ogr = timed("ogr2ogr_import", ["ogr2ogr", "-f", "GPKG", opath, path, "woningbouwplannen",
                                               "fasering"], runs, logdir, before=lambda: remove(opath), env=env)
        except Exception as e:  # noqa: BLE001
            print("    FAILED TO RUN:", e)
            failures.append("ogr2ogr_import")
    out["ogr2ogr"] = ogr2ogr
    for name, _src, ref in sources:
        r = out.get(name)
        base = ogr2ogr
        if ref is not None:                   # a province file of the smaller copy: ogr2ogr of that copy
            rpath = os.path.join(outdir, f"ogr2ogr_{name}.gpkg")
            try:
                base = timed(f"ogr2ogr_{name}", ["ogr2ogr", "-f", "GPKG", rpath, ref, "woningbouwplannen",
                                                 "fasering"], runs, logdir, before=lambda rp=rpath: remove(rp), env=env)
                out[f"ogr2ogr_{name}"] = base
            except Exception as e:  # noqa: BLE001
                print("    FAILED TO RUN:", e)
                base = None
        if r and base:
            ratio, cpu = r["wall_s"] / base["wall_s"], r["cpu_s"] / max(base["cpu_s"], 1e-6)
            r["vs_ogr2ogr"], r["cpu_vs_ogr2ogr"], r["pass"] = ratio, cpu, ratio <= TARGET
            print(f"    import from {name}: {r['wall_s']:.1f} s (cpu {r['cpu_s']:.1f} s) vs ogr2ogr "
                  f"{base['wall_s']:.1f} s (cpu {base['cpu_s']:.1f} s): {ratio:.1f}x wall, {cpu:.1f}x cpu "
                  f"(target <= {TARGET:.0f}x: {'PASS' if ratio <= TARGET else 'FAIL'})", flush=True)
    return out


def province_files(path: str, outdir: str, logdir: str, timed: Callable, env: Dict[str, str],
                   failures: List[str], py: str) -> List[tuple]:
    """The first PROVINCE_PLANS plans of the bench layer in Zuid-Holland's GeoJSON and Gelderland's
    FileGDB, written once with `export --format` (the province export of all 50,000 plans takes
    minutes on this machine); (name, file, the GeoPackage copy they were written from)."""
    import provinces
    work = os.path.join(outdir, "provinces")
    os.makedirs(work, exist_ok=True)
    out = []
    for province, gemeente, name in (("zuid-holland", "GM0599", "import_zuid-holland.pzh.geojson"),
                                     ("gelderland", "GM0202", "import_gelderland.gdb.zip")):
        target = os.path.join(work, name)
        if not os.path.exists(target) or not os.path.exists(os.path.join(work, f"import_{province}.gpkg")):
            provinces.GEMEENTE.setdefault(province, gemeente)
            copy = provinces.province_copy(path, os.path.join(work, f"import_{province}.gpkg"), province,
                                           limit=PROVINCE_PLANS)
            try:
                timed(f"export_{province}_for_import", [py, "-m", "lmvw_plugin", "export", copy, "--format", province,
                                                        "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01",
                                                        "--gemeente", gemeente, "--concept", "--overwrite", "-o",
                                                        target], 1, logdir, env=env)
            except Exception as e:  # noqa: BLE001 - a measurement: say what failed and go on
                print("    FAILED TO RUN:", e)
                failures.append(f"export_{province}_for_import")
                continue
        out.append((province, target, os.path.join(work, f"import_{province}.gpkg")))
    return out


def _remove(*paths: str) -> None:
    for p in paths:
        for q in (p, p + "-wal", p + "-shm", p + "-journal"):
            if os.path.exists(q):
                os.remove(q)


def main() -> int:
    sys.path.insert(0, HERE)
    import datagen
    import run
    path = sys.argv[1] if len(sys.argv) > 1 else datagen.ensure(datagen.default_params(50_000))[0]
    package = sys.argv[2] if len(sys.argv) > 2 else os.path.join(datagen.DATA_DIR, "out", "pkg.zip")
    run.WAIT_IDLE = 0
    outdir, logdir = os.path.join(datagen.DATA_DIR, "out"), os.path.join(datagen.DATA_DIR, "logs")
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    failures: List[str] = []
    bench(path, outdir, logdir, run.timed, 1, run.child_env(), failures, package)
    return 2 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
