"""Where the time goes: the steps of `validate` and `export`, timed one by one in one process,
with the process's current and peak RSS after each step.

    .venv/bin/python bench/stages.py PLANS.gpkg RESULT.json OUT_DIR

Uses the same public pieces as the command line (read_plans / read_fasering, the Validator's rule
groups, delivery.package.export and its `timings`); a step that fails is reported, not fatal.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * PAGE / 2**20
    except OSError:
        return float("nan")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Steps:
    def __init__(self):
        self.rows = []
        self.t = time.perf_counter()

    def __call__(self, name: str, func, *args, **kw):
        t = time.perf_counter()
        try:
            out = func(*args, **kw)
            err = None
        except Exception as e:                     # report, keep going
            out, err = None, f"{type(e).__name__}: {e}"
        self.rows.append({"step": name, "s": time.perf_counter() - t, "rss_mib": rss_mib(),
                          "peak_mib": peak_mib(), **({"error": err} if err else {})})
        return out


def main(path: str, out: str, outdir: str) -> int:
    st = Steps()
    mods = st("import lmvw_plugin (standard, storage, rules)", lambda: __import__("lmvw_plugin.rules.engine"))
    from lmvw_plugin.rules.engine import Validator
    from lmvw_plugin.rules.geometry import geom_info
    from lmvw_plugin.standard import load
    from lmvw_plugin.storage import ogr as ogrio
    del mods
    s = load()
    peil = _dt.date(2026, 10, 1)
    got = st("read_plans (OGR Arrow + fallbacks, WKB -> shapely, normalise)", ogrio.read_plans, path, s)
    plans = got[0]
    fas = st("read_fasering", ogrio.read_fasering, path, s)
    v = Validator(s, "nl", peil)
    ctx = st("validate: context (fasering aggregates)", v.context, plans, fas)
    info = st("validate: geom_info (is_valid, area, bounds)", geom_info, plans.geometry)
    st("validate: record_findings (R01-R24)", v.record_findings, plans, ctx)
    st("validate: geometry_findings (G01-G07)", v.geometry_findings, plans, info)
    st("validate: duplicate_findings (C01, C02)", v.duplicate_findings, plans)
    st("validate: overlap_findings (C03)", v.overlap_findings, plans, info)
    st("validate: fasering_findings (R17-R19, C04)", v.fasering_findings, plans, fas)
    report = st("validate: whole Validator.validate() again", v.validate, plans, fas)
    st("report.to_json()", lambda: len(report.to_json()))
    validate_rows = len(st.rows)

    from lmvw_plugin.delivery.package import export
    os.makedirs(outdir, exist_ok=True)
    zpath = os.path.join(outdir, "stages.zip")
    res = st("export() (validate + select + write + zip)", export, plans, fas, zpath, gemeente="GM0344",
             uitvraag="2026-najaar", peildatum=peil, concept=True, overwrite=True, plugin_version="bench")
    timings = dict(res.timings) if res is not None else {}
    if os.path.exists(zpath):
        os.remove(zpath)
    result = {"steps": st.rows, "validate_steps": validate_rows, "export_timings": timings}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    for r in st.rows:
        print(f"{r['s']:7.2f} s  rss {r['rss_mib']:6.0f}  peak {r['peak_mib']:6.0f} MiB  {r['step']}"
              + (f"  ERROR {r['error']}" if "error" in r else ""))
    print("export timings:", {k: round(x, 2) for k, x in timings.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
