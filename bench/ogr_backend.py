"""`make bench` line: validation with the OGR geometry back end (QGIS installs without shapely 2).

Runs the same command as step 2 with LMVW_GEOMETRY=ogr (common/geo.py then uses GDAL/OGR's GEOS
bindings instead of shapely 2) on the same file, and compares the findings' summary and the time
with the shapely 2 run of step 2. This shows what a municipality without shapely 2 waits, and that
it gets the same findings."""
from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, List, Optional

PEILDATUM = "2026-10-01"


def bench(timed: Callable[..., Dict[str, Any]], py: str, path: str, outdir: str, logdir: str,
          env: Dict[str, str], ours: Optional[Dict[str, Any]], rows: List[List[str]]) -> Optional[Dict[str, Any]]:
    print("\n[+] validation with the OGR geometry back end (no shapely 2): LMVW_GEOMETRY=ogr ... validate",
          flush=True)
    out = os.path.join(outdir, "validate_ogr.json")

    def read() -> Dict[str, Any]:
        with open(out, encoding="utf-8") as fh:
            return json.load(fh)["summary"]
    try:
        r = timed("validate_ogr", [py, "-m", "lmvw_plugin", "validate", path, "--peildatum", PEILDATUM,
                                   "--json", out], 1, logdir, ok_codes=(0, 1), after=read,
                  env=dict(env, LMVW_GEOMETRY="ogr"))
    except Exception as e:          # StepFailed and the like: a measurement, never a failed bench
        print("    FAILED TO RUN:", e)
        return None
    summ = r["summary"] = r.pop("detail")
    same = ours is not None and ours.get("summary") == summ
    ratio = r["wall_s"] / ours["wall_s"] if ours else None
    r["same_summary_as_shapely"] = same
    r["ratio_to_shapely"] = ratio
    print(f"    {summ['plans']} plans: {summ['errors']} errors, {summ['warnings']} warnings; summary "
          + ("identical to shapely 2's" if same else f"DIFFERS from shapely 2's: {summ['by_rule']}")
          + (f"; {ratio:.1f}x the shapely 2 time" if ratio else ""))
    rows.append(["validate, OGR back end (no shapely 2)", f"{r['wall_s']:.1f} s", f"{r['maxrss_mib']:.0f} MiB",
                 f"{r['cpu_s']:.1f} s", "(info)", (f"{ratio:.1f}x shapely 2" if ratio else "")
                 + ("" if same else ", findings differ")])
    return r
