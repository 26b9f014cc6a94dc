"""Latency of re-validating one edited plan in a loaded layer (`LayerValidator.update`).

    .venv/bin/python bench/latency.py PLANS.gpkg RESULT.json [--edits 50]

Loads the file, builds the LayerValidator (one full run), then times single-plan edits one by
one (each on a different plan; the edits accumulate as in an editing session):
- attribute edits, cycling through: a count changed (R04/R05), the plannaam set to that of
  another plan of the gemeente (C02), the planstatus changed (R10/R11/R18 may flip);
- geometry edits: the plan moved onto its nearest neighbour so that they overlap (C03).
Only `update()` is timed; the one-row `changed` table is built before. A few untimed edits of
each kind come first (warm-up). At the end the incremental findings are compared with a full
validation of the edited table.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

WARMUP = 3


def pct(values, q):
    return float(np.percentile(np.asarray(values), q)) if len(values) else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("out")
    ap.add_argument("--edits", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    import shapely
    from shapely.geometry import MultiPolygon

    from lmvw_plugin.rules.engine import Validator
    from lmvw_plugin.rules.incremental import LayerValidator
    from lmvw_plugin.standard import load
    from lmvw_plugin.storage import ogr as ogrio

    s = load()
    peildatum = _dt.date(2026, 10, 1)
    t0 = time.perf_counter()
    plans, _info = ogrio.read_plans(a.path, s)
    fasering = ogrio.read_fasering(a.path, s)
    t1 = time.perf_counter()
    lv = LayerValidator(Validator(s, "nl", peildatum), plans, fasering)
    t2 = time.perf_counter()

    # plans to edit: distinct rows with a valid polygon
    rng = np.random.default_rng(a.seed)
    geoms = lv.table.geometry
    ok = np.nonzero(lv.info.polygonal & lv.info.valid)[0]
    n_edits = a.edits + WARMUP
    rows = rng.choice(ok, size=2 * n_edits, replace=False)
    attr_rows, geom_rows = rows[:n_edits].tolist(), rows[n_edits:].tolist()
    # nearest neighbour of each geometry-edited plan (computed before any edit)
    tree = shapely.STRtree(geoms[ok])
    nearest = {}
    for r in geom_rows:
        hits = tree.query_nearest(geoms[r], exclusive=True, all_matches=False)
        nearest[r] = int(ok[hits[0]]) if len(hits) else None
    names = lv.table.columns["plannaam"]
    statuses = ["1A", "2A", "3", "4A", "1B"]

    def attribute_edit(k: int, r: int):
        ch = lv.table.take([r])
        kind = k % 3
        if kind == 0:
            ch.columns["bruto_plancapaciteit"][0] = ch.columns["bruto_plancapaciteit"][0] + 7
        elif kind == 1:
            other = int(rng.choice(ok))
            ch.columns["plannaam"][0] = names[other]
        else:
            cur = ch.columns["planstatus"][0]
            ch.columns["planstatus"][0] = statuses[(statuses.index(cur) + 1) % len(statuses)] \
                if cur in statuses else "1A"
        return ch

    def geometry_edit(r: int):
        ch = lv.table.take([r])
        g = geoms[r]
        o = nearest[r]
        if o is None:
            dx, dy = 10.0, 0.0
        else:
            og = geoms[o]
            step = 0.3 * np.sqrt(shapely.area(og))
            dx = shapely.centroid(og).x - shapely.centroid(g).x + step
            dy = shapely.centroid(og).y - shapely.centroid(g).y
        moved = shapely.affinity.translate(g, dx, dy)
        ch.geometry[0] = moved if moved.geom_type == "MultiPolygon" else MultiPolygon([moved])
        return ch

    times = {"attribute": [], "geometry": []}
    touched = {"attribute": [], "geometry": []}
    gc.collect()
    for k in range(n_edits):
        for kind in ("attribute", "geometry"):
            ch = attribute_edit(k, attr_rows[k]) if kind == "attribute" else geometry_edit(geom_rows[k])
            t = time.perf_counter()
            affected = lv.update(changed=ch)
            dt = (time.perf_counter() - t) * 1000.0
            if k >= WARMUP:
                times[kind].append(dt)
                touched[kind].append(len(affected))
    t3 = time.perf_counter()

    # consistency: incremental findings == a full validation of the edited table
    full = Validator(s, "nl", peildatum).validate(lv.table, lv.fasering)
    t4 = time.perf_counter()

    def key(f):
        return (f.fid, f.rule, f.check or "", f.field or "", f.severity)
    inc = sorted(key(f) for f in lv.findings())
    ref = sorted(key(f) for f in full.findings)
    from collections import Counter
    ci, cr = Counter(inc), Counter(ref)
    only_inc, only_full = ci - cr, cr - ci

    import resource
    result = {
        "plans": int(lv.plans), "fasering_rows": int(lv.fasering.n) if lv.fasering is not None else 0,
        "load_s": t1 - t0, "build_s": t2 - t1, "edits_s": t3 - t2, "full_revalidate_s": t4 - t3,
        "warmup_edits_per_kind": WARMUP,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    for kind in ("attribute", "geometry"):
        v = times[kind]
        result[kind] = {"n": len(v), "median_ms": pct(v, 50), "p95_ms": pct(v, 95), "max_ms": max(v),
                        "min_ms": min(v), "mean_touched_plans": float(np.mean(touched[kind])),
                        "all_ms": [round(x, 3) for x in v]}
    result["consistency"] = {
        "incremental_findings": len(inc), "full_findings": len(ref),
        "only_incremental": sum(only_inc.values()), "only_full": sum(only_full.values()),
        "examples_only_incremental": [list(map(str, k)) for k in list(only_inc)[:5]],
        "examples_only_full": [list(map(str, k)) for k in list(only_full)[:5]],
    }
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    print(json.dumps({k: v for k, v in result.items() if k not in ("attribute", "geometry")}))
    for kind in ("attribute", "geometry"):
        print(kind, {k: v for k, v in result[kind].items() if k != "all_ms"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
