"""Stage breakdown of one command-line validation: where the wall time and the CPU time go.

    .venv/bin/python bench/breakdown.py PLANS.gpkg RESULT.json [--runs 2] [--peildatum D]

Runs `python -m lmvw_plugin validate PLANS.gpkg --json ...` with LMVW_TIMINGS set, which makes
the command line record its stages (lmvw_plugin/common/timing.py): interpreter start, imports,
reading, geometry parsing, validity (with the repair of invalid polygons), geometry rules,
overlaps, attribute rules, fasering rules, report, summary, JSON writing, and the process's exit
(measured from outside). Per stage: its wall time (any thread in it) and share of the run's wall
time, its CPU time (all threads) and share of the CPU capacity (wall time x cores): a run that
keeps both cores busy has CPU shares adding up to ~100 %; what is missing is idle. Stages run
side by side (threads), so wall shares add up to more than 100 %.
The fastest of `--runs` runs is shown. Called by bench/run.py; usable on its own.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import measure  # noqa: E402


def run_once(path: str, peildatum: str, env: Dict[str, str], logdir: str, i: int,
             code: str = ROOT) -> Dict[str, Any]:
    """One validation with the lmvw_plugin of folder `code` (default this checkout)."""
    fd, tfile = tempfile.mkstemp(prefix="lmvw-timings-", suffix=".json")
    os.close(fd)
    jfile = tfile + ".findings.json"
    try:
        e = dict(env, LMVW_TIMINGS=tfile, PYTHONPATH=code)
        tag = "" if code == ROOT else ".before"
        r = measure.run([sys.executable, "-m", "lmvw_plugin", "validate", os.path.abspath(path), "--peildatum",
                         peildatum, "--json", jfile], os.path.join(logdir, f"breakdown{tag}.{i}.log"), env=e, cwd=code)
        if r.returncode not in (0, 1):
            raise RuntimeError(f"validate exited {r.returncode}: {measure.tail(r.log)}")
        with open(tfile, encoding="utf-8") as fh:
            t = json.load(fh)
    finally:
        for p in (tfile, jfile):
            if os.path.exists(p):
                os.remove(p)
    wall = r.wall_s
    cores = t["cores"]
    rows: List[Dict[str, Any]] = [{"stage": "interpreter start", "wall_s": t["start"]["wall_s"],
                                   "cpu_s": t["start"]["cpu_s"]}]
    rows += [{"stage": s["stage"], "wall_s": s["wall_s"], "cpu_s": s["cpu_s"]} for s in t["stages"]]
    accounted = sum(x["cpu_s"] for x in rows)
    rows.append({"stage": "other (unlabelled, between stages)", "wall_s": None,
                 "cpu_s": max(0.0, t["cpu_s"] - accounted)})
    exit_wall = max(0.0, wall - t["wall_s"])
    exit_cpu = max(0.0, r.user_s + r.sys_s - t["cpu_s"])
    rows.append({"stage": "exit (interpreter shutdown)", "wall_s": exit_wall, "cpu_s": exit_cpu})
    for x in rows:
        x["wall_share"] = None if x["wall_s"] is None else x["wall_s"] / wall
        x["cpu_share"] = x["cpu_s"] / (wall * cores)
    cpu = r.user_s + r.sys_s
    return {"wall_s": wall, "cpu_s": cpu, "cores": cores, "cores_busy": cpu / wall,
            "idle_share": max(0.0, 1.0 - cpu / (wall * cores)), "maxrss_mib": r.maxrss_mib,
            "other_cores": r.other_cores, "stages": rows}


def show(res: Dict[str, Any], indent: str = "    ") -> str:
    out = [f"{indent}{'stage':38s} {'wall':>7s} {'of wall':>7s} {'cpu':>7s} {'of cpu':>7s}"]
    for x in res["stages"]:
        w = "" if x["wall_s"] is None else f"{x['wall_s']:6.2f}s"
        ws = "" if x["wall_share"] is None else f"{100 * x['wall_share']:6.0f}%"
        out.append(f"{indent}{x['stage']:38s} {w:>7s} {ws:>7s} {x['cpu_s']:6.2f}s {100 * x['cpu_share']:6.0f}%")
    out.append(f"{indent}{'whole process':38s} {res['wall_s']:6.2f}s {100:6.0f}% {res['cpu_s']:6.2f}s "
               f"{100 * (1 - res['idle_share']):6.0f}%   ({res['cores_busy']:.2f} of {res['cores']} cores busy, "
               f"idle {100 * res['idle_share']:.0f} % of the capacity; peak {res['maxrss_mib']:.0f} MiB; "
               f"other processes {res['other_cores']:.1f} CPUs)")
    return "\n".join(out)


def breakdown(path: str, peildatum: str, env: Dict[str, str], logdir: str, runs: int = 2,
              before: Optional[str] = None) -> Dict[str, Any]:
    """The fastest of `runs` runs; with `before` (a folder holding an older lmvw_plugin), the same
    for that code, the runs alternating (so that both see the same load on a shared machine)."""
    got, old = [], []
    for i in range(runs):
        if before:
            old.append(run_once(path, peildatum, env, logdir, i + 1, before))
        got.append(run_once(path, peildatum, env, logdir, i + 1))
    best = min(got, key=lambda r: r["wall_s"])
    best["walls_s"] = [r["wall_s"] for r in got]
    if old:
        best["before"] = min(old, key=lambda r: r["wall_s"])
        best["before"]["walls_s"] = [r["wall_s"] for r in old]
    return best


def export_code(commit: str, folder: str) -> str:
    """The lmvw_plugin of `commit` (git archive) in folder/<commit>; returns that folder."""
    target = os.path.join(folder, f"code-{commit}")
    if not os.path.isdir(os.path.join(target, "lmvw_plugin")):
        os.makedirs(target, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "lmvw_plugin"], cwd=ROOT, capture_output=True,
                                 timeout=120, check=True).stdout
        subprocess.run(["tar", "-x", "-C", target], input=archive, check=True, timeout=120)
    return target


def compare(res: Dict[str, Any], indent: str = "    ") -> str:
    """Before / after per stage (wall s, CPU s) side by side."""
    old = {x["stage"]: x for x in res["before"]["stages"]}
    new = {x["stage"]: x for x in res["stages"]}
    names = list(old) + [n for n in new if n not in old]

    def cell(x):
        if x is None:
            return f"{'':>7s} {'':>7s}"
        w = "" if x["wall_s"] is None else f"{x['wall_s']:6.2f}s"
        return f"{w:>7s} {x['cpu_s']:6.2f}s"
    out = [f"{indent}{'stage':38s} {'before: wall':>12s} {'cpu':>3s}   {'after: wall':>11s} {'cpu':>4s}"]
    for n in names:
        out.append(f"{indent}{n:38s} {cell(old.get(n))}   {cell(new.get(n))}")
    b = res["before"]
    out.append(f"{indent}{'whole process':38s} {b['wall_s']:6.2f}s {b['cpu_s']:6.2f}s   "
               f"{res['wall_s']:6.2f}s {res['cpu_s']:6.2f}s   ({b['wall_s'] / res['wall_s']:.2f}x faster; "
               f"cores busy {b['cores_busy']:.2f} -> {res['cores_busy']:.2f}; peak {b['maxrss_mib']:.0f} -> "
               f"{res['maxrss_mib']:.0f} MiB)")
    return "\n".join(out)


BEFORE = "8d476fd"       # the validation before issue 15's work (only the stage timings added)


def report(path: str, peildatum: str, env: Dict[str, str], logdir: str, runs: int = 2,
           before: Optional[str] = BEFORE):
    """bench/run.py's step: print the breakdown of the fastest of `runs` validations, and the same
    for the code of commit `before`, run alternately."""
    print(f"\n[+] stage breakdown of `validate` (wall and CPU per stage; fastest of {runs} runs"
          + (f", alternating with the code of {before}" if before else "") + ")", flush=True)
    try:
        folder = export_code(before, os.path.dirname(logdir)) if before else None
        res = breakdown(path, peildatum, env, logdir, runs, folder)
    except (OSError, ValueError, KeyError, RuntimeError, subprocess.SubprocessError) as e:
        print("    FAILED TO RUN:", e)
        return None
    print(show(res))
    if before:
        print(f"\n    before ({before}) / after, per stage:")
        print(compare(res))
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--peildatum", default="2026-10-01")
    ap.add_argument("--before", default=BEFORE, help=f"also time this commit's code (default {BEFORE}; '' not)")
    a = ap.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    logdir = tempfile.mkdtemp(prefix="lmvw-breakdown-")
    folder = export_code(a.before, os.path.dirname(logdir)) if a.before else None
    res = breakdown(a.path, a.peildatum, env, logdir, a.runs, folder)
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(res, fh, indent=2)
    print(show(res, ""))
    if folder:
        print(f"\nbefore ({a.before}) / after:")
        print(compare(res, ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
