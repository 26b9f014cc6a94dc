"""The export dialog's path on a large layer against the command line's export, in one process.

    .venv/bin/python bench/dialog.py PLANS.gpkg RESULT.json OUTDIR [--no-old]

Times, on the same file:
- cli: what `python -m lmvw_plugin export` does after start-up (cli.read_input + export(), --concept);
- dialog: the real ExportDialog on the layer in a headless QGIS: from opening until its validation
  task is done (read the command line's way + prepare), then the export task that reuses the
  dialog's tables (export()), through QGIS's task manager; with the longest time the main thread
  went without handling events meanwhile (what a user would feel as a freeze);
- old (reference, unless --no-old): reading the layer row by row through QGIS (PlanSource), what the
  dialog and the export task did before (the synchronous validation under a wait cursor came on top).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

PEILDATUM = _dt.date(2026, 10, 1)
GEMEENTE = "GM0344"


def pump(app, done, timeout=1800.0):
    """Process events until done(); returns (seconds, longest gap between two rounds of events)."""
    t0 = last = time.perf_counter()
    gap = 0.0
    while not done():
        app.processEvents()
        now = time.perf_counter()
        gap, last = max(gap, now - last), now
        if now - t0 > timeout:
            raise TimeoutError("the task did not finish")
        time.sleep(0.005)
    return time.perf_counter() - t0, gap


def bench(py, path, outdir, logdir, env, timed, step_failed):
    """The step bench/run.py calls: runs this file once (timed), prints the comparison, returns it."""
    print("\n[+] the export dialog's path (validation task + export task) vs the command line's export, "
          "one process, one run", flush=True)
    out = os.path.join(outdir, "dialog.json")

    def read():
        with open(out, encoding="utf-8") as fh:
            return json.load(fh)
    try:
        r = timed("dialog", [py, os.path.abspath(__file__), path, out, outdir], 1, logdir,
                  before=lambda: os.path.exists(out) and os.remove(out), after=read, env=env)
    except step_failed as e:
        print("    FAILED TO RUN:", e)
        return None
    d = r["detail"]
    c, g = d["cli"], d["dialog"]
    print(f"    command line (after start-up): read {c['read_s']:.1f} s + export {c['export_s']:.1f} s "
          f"= {c['total_s']:.1f} s")
    print(f"    dialog: validation task {g['validate_s']:.1f} s (longest main-thread stall "
          f"{g['validate_longest_stall_s'] * 1000:.0f} ms), export task {g['export_s']:.1f} s (stall "
          f"{g['export_longest_stall_s'] * 1000:.0f} ms); fast path {'yes' if g['fast_path'] else 'NO'}, rows copied "
          f"in SQLite {'yes' if g['rows_copied_in_sqlite'] else 'NO'}, same validation as the command line "
          f"{'yes' if g['same_as_cli'] else 'NO'}")
    print(f"    dialog export / command-line export: {g['export_s'] / c['export_s']:.2f}x; dialog validation + "
          f"export / command line: {g['total_s'] / c['total_s']:.2f}x")
    if "old_read" in d:
        o = d["old_read"]
        print(f"    before: the dialog read the layer row by row through QGIS: {o['total_s']:.1f} s for the read "
              f"alone ({o['total_s'] / c['read_s']:.1f}x the command line's read), on the main thread under a "
              f"wait cursor, and the export task read it again")
    return r


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("out")
    ap.add_argument("outdir")
    ap.add_argument("--no-old", action="store_true")
    a = ap.parse_args()

    from lmvw_plugin.layers.headless import qgis_app
    app = qgis_app()
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
    from qgis.PyQt.QtCore import QDate

    from lmvw_plugin import cli
    from lmvw_plugin.delivery.package import export
    from lmvw_plugin.gui import settings
    from lmvw_plugin.gui.dialogs import ExportDialog
    from lmvw_plugin.gui.tasks import ExportTask
    from lmvw_plugin.layers.reader import GpkgPlanSource, PlanSource, read_fasering_layer
    from lmvw_plugin.standard import load

    s = load()
    res = {}
    common = dict(gemeente=GEMEENTE, uitvraag="2026-najaar", peildatum=PEILDATUM, profile="provincie", concept=True,
                  overwrite=True, standard=s)

    # the command line's path (in-process, after start-up)
    t0 = time.perf_counter()
    plans, fasering, _info = cli.read_input(a.path, s, None)
    t1 = time.perf_counter()
    r = export(plans, fasering, os.path.join(a.outdir, "cli.zip"), **common)
    t2 = time.perf_counter()
    res["cli"] = {"read_s": t1 - t0, "export_s": t2 - t1, "total_s": t2 - t0,
                  "plans": r.manifest["counts"]["plans"], "validation": r.manifest["validation"]}
    del plans, fasering, r

    # the dialog's path
    layer = QgsVectorLayer(f"{a.path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{a.path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    settings.set_gemeentecode(GEMEENTE)
    settings.set_folder(a.outdir)
    t0 = time.perf_counter()
    dlg = ExportDialog(None, s, layer)
    dlg.peildatum.setDate(QDate(PEILDATUM.year, PEILDATUM.month, PEILDATUM.day))
    dlg.refresh()
    opened = time.perf_counter() - t0
    fast = isinstance(dlg._task.source, GpkgPlanSource) if dlg._task is not None else None
    validate_s, validate_gap = pump(app, lambda: not dlg.validating())
    validate_s += opened
    tables = dlg.prepared_tables()
    done = []
    kwargs = dict(common, out_zip=os.path.join(a.outdir, "dialog.zip"), peildatum=dlg.values()["peildatum"])
    task = ExportTask("bench export", None, None, kwargs, done.append, tables=tables)
    t0 = time.perf_counter()
    QgsApplication.taskManager().addTask(task)
    export_s, export_gap = pump(app, lambda: bool(done))
    if task.exception is not None:
        raise SystemExit(f"the dialog's export failed: {task.trace or task.exception!r}")
    m = task.result.manifest
    res["dialog"] = {"open_s": opened, "validate_s": validate_s, "validate_longest_stall_s": validate_gap,
                     "export_s": export_s, "export_longest_stall_s": export_gap, "total_s": validate_s + export_s,
                     "fast_path": fast, "rows_copied_in_sqlite": tables[0].origin is not None,
                     "plans": m["counts"]["plans"], "validation": m["validation"],
                     "same_as_cli": m["validation"] == res["cli"]["validation"]}
    dlg.done(0)
    del tables, task

    if not a.no_old:                 # the row-by-row read the dialog and the export task did before
        t0 = time.perf_counter()
        table = PlanSource(layer, s).read()
        t1 = time.perf_counter()
        read_fasering_layer(fas, s)
        t2 = time.perf_counter()
        res["old_read"] = {"plans_s": t1 - t0, "fasering_s": t2 - t1, "total_s": t2 - t0, "plans": int(table.n)}
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(res, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
