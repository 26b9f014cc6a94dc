"""The benchmark's plan file: generated once with `lmvw_plugin.demo.generate`, cached in bench/data/.

The parameters are stored next to the file (`<file>.params.json`); the file is regenerated only
when it is missing or when the parameters differ. Usable on its own:

    .venv/bin/python bench/datagen.py [--plans N] [--force]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

DATA_DIR = os.path.join(HERE, "data")
FORMAT = 1          # bump when the way this module builds the file changes


def default_params(plans: int = 50_000) -> Dict[str, Any]:
    return {
        "format": FORMAT,
        "plans": plans,
        "seed": 20261001,
        "peiljaar": 2026,
        "invalid_rate": 0.01,
        "overlap_rate": 0.06,
        "defect_rate": 0.02,
        "vertices": [12, 200],
        "gemeenten": ["GM0344"],           # one gemeente: the export really writes every plan
        "fasering_rows": 4 * plans,        # ~200,000 for 50,000 plans
    }


def data_path(params: Dict[str, Any]) -> str:
    return os.path.join(DATA_DIR, f"plans_{params['plans']}.gpkg")


def _params_file(path: str) -> str:
    return path + ".params.json"


def cached(path: str, params: Dict[str, Any]) -> bool:
    try:
        with open(_params_file(path), encoding="utf-8") as fh:
            stored = json.load(fh)
    except (OSError, ValueError):
        return False
    return os.path.exists(path) and stored.get("params") == params


def stored_stats(path: str) -> Dict[str, Any]:
    with open(_params_file(path), encoding="utf-8") as fh:
        return json.load(fh).get("stats", {})


def extend_fasering(fasering: List[Dict[str, Any]], target: int, last_year: int) -> List[Dict[str, Any]]:
    """Add rows until there are `target`: for plans with fasering, round-robin, a next year that
    takes half of the plan's last row (so every plan's fasering sum stays the same, years stay
    unique per plan and within the R19 horizon)."""
    if len(fasering) >= target:
        return fasering
    by_plan: Dict[str, List[Dict[str, Any]]] = {}
    for row in fasering:
        by_plan.setdefault(row["plan_id"], []).append(row)
    plans = list(by_plan.values())
    need = target - len(fasering)
    while need > 0 and plans:
        grew = False
        for rows in plans:
            if need <= 0:
                break
            last = max(rows, key=lambda r: r["jaar"])
            if last["jaar"] >= last_year:
                continue
            moved = last["aantal"] // 2
            last["aantal"] -= moved
            new = {"plan_id": last["plan_id"], "jaar": last["jaar"] + 1, "aantal": moved, "sloop": 0}
            rows.append(new)
            need -= 1
            grew = True
        if not grew:
            break
    return [r for rows in plans for r in rows]


def generate(path: str, params: Dict[str, Any], log=print) -> Dict[str, Any]:
    import numpy as np
    import shapely

    from lmvw_plugin import demo
    from lmvw_plugin.delivery.writers import write_gpkg
    from lmvw_plugin.rules.table import FaseringTable, PlanTable
    from lmvw_plugin.standard import load

    s = load()
    t0 = time.perf_counter()
    ps = demo.generate(params["plans"], s, seed=params["seed"], peiljaar=params["peiljaar"],
                       invalid_rate=params["invalid_rate"], overlap_rate=params["overlap_rate"],
                       defect_rate=params["defect_rate"], vertices=tuple(params["vertices"]),
                       gemeenten=params["gemeenten"])
    t1 = time.perf_counter()
    raw_fas = len(ps.fasering)
    fas = extend_fasering(ps.fasering, params["fasering_rows"], params["peiljaar"] + 20)
    plans = PlanTable.from_records(s, ps.records, ps.geometries)
    fas_t = FaseringTable.from_records(s, fas)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for p in (path, _params_file(path), path + "-wal", path + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    tmp = path + ".part.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    write_gpkg(tmp, s, s.fields, plans.columns, plans.geometry, fas_t, np.arange(fas_t.n))
    os.replace(tmp, path)
    t2 = time.perf_counter()
    geoms = plans.geometry
    nverts = shapely.get_num_coordinates(geoms)
    stats = {
        "plans": int(plans.n),
        "fasering_rows": int(fas_t.n),
        "fasering_rows_from_generator": raw_fas,
        "invalid_geometries": int((~shapely.is_valid(geoms)).sum()),
        "vertices_min": int(nverts.min()), "vertices_mean": round(float(nverts.mean()), 1),
        "vertices_max": int(nverts.max()),
        "file_mb": round(os.path.getsize(path) / 2**20, 1),
        "generate_s": round(t1 - t0, 1), "write_s": round(t2 - t1, 1),
    }
    with open(_params_file(path), "w", encoding="utf-8") as fh:
        json.dump({"params": params, "stats": stats}, fh, indent=2)
    log(f"generated {path}: {stats}")
    return stats


def ensure(params: Dict[str, Any], force: bool = False, log=print) -> Tuple[str, Dict[str, Any], bool]:
    """(path, stats, generated_now)."""
    path = data_path(params)
    if not force and cached(path, params):
        return path, stored_stats(path), False
    log(f"generating {params['plans']} plans into {path} (cached for later runs) ...")
    return path, generate(path, params, log), True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--plans", type=int, default=50_000)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    path, stats, _ = ensure(default_params(a.plans), a.force)
    print(path, json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
