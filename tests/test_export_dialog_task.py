"""The export dialog on a large layer: validation runs as a cancellable task with progress, and a
GeoPackage layer is read (and exported) the way the command line does it, with the same findings."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDate

from lmvw_plugin.gui import settings
from lmvw_plugin.standard import load
from pkg_util import clean_plans, leftovers, write_plans
from qgis_util import wait_for

S = load()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def dutch(qgis_app):
    from lmvw_plugin.i18n import install_translator, remove_translator
    install_translator("nl_NL")
    yield
    remove_translator()


@pytest.fixture
def clean_settings():
    old = (settings.gemeentecode(), settings.folder())
    yield
    settings.set_gemeentecode(old[0])
    settings.set_folder(old[1])


@pytest.fixture
def errors_seen(monkeypatch):
    """Python exceptions in Qt slots and critical LMVW log messages while the test runs."""
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: seen.append(repr(exc[1])))

    def log(message, tag, level):
        if level == Qgis.MessageLevel.Critical or tag == "Python error":
            seen.append(f"{tag}: {message}")
    QgsApplication.messageLog().messageReceived.connect(log)
    yield seen
    QgsApplication.messageLog().messageReceived.disconnect(log)


@pytest.fixture
def in_a_task(monkeypatch):
    """Every layer is 'large': the dialog validates in a background task."""
    from lmvw_plugin.gui.dialogs import ExportDialog
    monkeypatch.setattr(ExportDialog, "SYNC_PLANS", 0)


def plans_with_defects(n=60, seed=31):
    from lmvw_plugin.demo import generate
    return generate(n, S, seed=seed, invalid_rate=0.05, overlap_rate=0.06, defect_rate=0.15, gemeenten=["GM0344"])


def open_dialog(folder, path, subset=""):
    from lmvw_plugin.gui.dialogs import ExportDialog
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    if subset:
        layer.setSubsetString(subset)
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    settings.set_gemeentecode("GM0344")
    settings.set_folder(str(folder))
    dlg = ExportDialog(None, S, layer)
    dlg.peildatum.setDate(QDate(2026, 10, 1))
    dlg.refresh()
    return dlg, layer


def settle(app, dlg):
    assert wait_for(app, lambda: not dlg.validating(), 60), "the validation task did not finish"


def test_validation_runs_as_a_task_with_progress_and_shows_the_same_summary(qgis_app, qgis_new_project, in_a_task,
                                                                          clean_settings, errors_seen, tmp_path,
                                                                          monkeypatch):
    plans = plans_with_defects()
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    dlg, layer = open_dialog(tmp_path, path)
    assert dlg.validating() and not dlg.ok.isEnabled()               # the dialog is open, nothing blocks
    assert "op de achtergrond gevalideerd" in dlg.summary.text()
    assert dlg.progress.isVisibleTo(dlg) and dlg.stopButton.text() == "Validatie stoppen"
    values = []
    dlg._task.progressChanged.connect(values.append)
    settle(qgis_app, dlg)
    assert values and max(values) == 100 and not dlg.progress.isVisibleTo(dlg)
    in_task = dlg.summary.text()
    from lmvw_plugin.gui.dialogs import ExportDialog
    monkeypatch.setattr(ExportDialog, "SYNC_PLANS", 10_000)         # the same layer checked at once
    at_once, _ = open_dialog(tmp_path, path)
    assert not at_once.validating() and at_once.summary.text() == in_task
    assert "fout" in in_task and dlg.concept.isEnabled()
    assert errors_seen == []


def test_stopping_the_validation_leaves_no_file_and_no_error(qgis_app, qgis_new_project, in_a_task, clean_settings,
                                                             errors_seen, tmp_path, monkeypatch):
    from lmvw_plugin.layers import reader
    plans = clean_plans(8, seed=32)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    before = sorted(os.listdir(tmp_path))
    reading = threading.Event()
    real_read = reader.GpkgPlanSource.read

    def slow_read(self, fids=None, feedback=None):          # a province-size read, until it is stopped
        reading.set()
        while not feedback.isCanceled():
            threading.Event().wait(0.01)
        return None
    monkeypatch.setattr(reader.GpkgPlanSource, "read", slow_read)
    dlg, layer = open_dialog(tmp_path, path)
    assert wait_for(qgis_app, reading.is_set, 20)
    task = dlg._task
    dlg.stopButton.click()
    settle(qgis_app, dlg)
    assert task.status() == task.TaskStatus.Terminated
    text = dlg.summary.text()
    assert "Validatie gestopt" in text and "niets gecontroleerd of geschreven" in text
    assert not dlg.ok.isEnabled() and dlg.stopButton.text() == "Valideer"
    dlg.refresh()                                             # nothing restarts it but the button
    assert not dlg.validating()
    assert sorted(os.listdir(tmp_path)) == before and leftovers(str(tmp_path)) == []
    monkeypatch.setattr(reader.GpkgPlanSource, "read", real_read)
    dlg.stopButton.click()                                    # Valideer: checks the layer after all
    settle(qgis_app, dlg)
    assert dlg.ok.isEnabled() and "plannen worden geleverd; 0 fouten" in dlg.summary.text()
    assert errors_seen == []


def test_closing_the_dialog_while_it_validates_stops_the_task_quietly(qgis_app, qgis_new_project, in_a_task,
                                                                      clean_settings, errors_seen, tmp_path):
    plans = clean_plans(8, seed=33)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    before = sorted(os.listdir(tmp_path))
    dlg, layer = open_dialog(tmp_path, path)
    task = dlg._task
    dlg.reject()
    assert wait_for(qgis_app, lambda: task.status() in (task.TaskStatus.Terminated, task.TaskStatus.Complete), 20)
    qgis_app.processEvents()
    assert not dlg.validating() and sorted(os.listdir(tmp_path)) == before and errors_seen == []


def test_the_dialog_reads_a_geopackage_as_the_command_line_and_finds_the_same(qgis_app, qgis_new_project, in_a_task,
                                                                              clean_settings, tmp_path):
    from lmvw_plugin.layers.reader import GpkgPlanSource
    plans = plans_with_defects(80, seed=34)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    dlg, layer = open_dialog(tmp_path, path)
    assert isinstance(dlg._task.source, GpkgPlanSource)
    settle(qgis_app, dlg)
    assert dlg._task is None and dlg._tables[0].origin is not None        # rows copied inside SQLite on export
    content, shown, report = dlg._prepared[:3]
    # the command line on the same file
    out = tmp_path / "cli"
    out.mkdir()
    findings_json = tmp_path / "findings.json"
    run = subprocess.run([sys.executable, "-m", "lmvw_plugin", "validate", path, "--peildatum", "2026-10-01",
                          "--json", str(findings_json), "--lang", dlg.lang], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    cli = json.loads(findings_json.read_text(encoding="utf-8"))["findings"]
    export_rules = {r.code for r in S.rules if r.scope == "export"}
    ours = sorted((f.rule, f.plan_id or "", f.field or "", f.message) for f in report.findings
                  if f.rule not in export_rules)
    theirs = sorted((f["rule"], f["plan_id"] or "", f["field"] or "", f["message"]) for f in cli)
    assert ours == theirs and len(ours) > 5
    run = subprocess.run([sys.executable, "-m", "lmvw_plugin", "export", path, "--uitvraag", "2026-najaar",
                          "--peildatum", "2026-10-01", "--gemeente", "GM0344", "--concept", "--lang", dlg.lang,
                          "-o", str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    import zipfile
    with zipfile.ZipFile(out / "lmvw_GM0344_2026-najaar.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
    from lmvw_plugin.delivery.package import delivery_summary
    assert dict(delivery_summary(shown), plans=content.n + len(content.confidential_rows)) == manifest["validation"]
    assert content.n == manifest["counts"]["plans"]


def test_a_filtered_or_edited_layer_is_read_through_qgis(qgis_app, qgis_new_project, in_a_task, clean_settings,
                                                         errors_seen, tmp_path):
    """The fast path reads the file: only where QGIS shows the file as it is (no filter, no edits)."""
    from lmvw_plugin.layers.reader import GpkgPlanSource, PlanSource, plan_source
    plans = clean_plans(10, seed=35)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    dlg, layer = open_dialog(tmp_path, path, subset="fid <= 4")
    assert type(dlg._task.source) is PlanSource
    settle(qgis_app, dlg)
    internal = sum(r["planstatus"] in ("5A", "5B") for r in plans.records[:4])
    assert dlg._prepared[0].n == 4 - internal - sum(
        r["planstatus"] not in ("5A", "5B") and r["vertrouwelijkheid"] == "gemeente" for r in plans.records[:4])
    whole = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "w", "ogr")
    assert isinstance(plan_source(whole, S), GpkgPlanSource)
    whole.startEditing()
    whole.changeAttributeValue(next(whole.getFeatures()).id(), whole.fields().indexOf("plannaam"), "Nieuw")
    assert type(plan_source(whole, S)) is PlanSource
    whole.rollBack()
    assert errors_seen == []


def test_the_export_task_uses_the_dialogs_tables_and_a_cancelled_export_leaves_nothing(
        qgis_app, qgis_new_project, in_a_task, clean_settings, errors_seen, tmp_path, monkeypatch):
    from lmvw_plugin.delivery import package
    from lmvw_plugin.gui.tasks import ExportTask
    from lmvw_plugin.layers.reader import FaseringSource, plan_source
    plans = clean_plans(12, seed=36)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    out = tmp_path / "out"
    out.mkdir()
    dlg, layer = open_dialog(out, path)
    settle(qgis_app, dlg)
    tables = dlg.prepared_tables()
    assert tables is not None and tables[0].n == 12
    fas_layer = QgsProject.instance().mapLayersByName("fasering")[0]

    def run_export(target):
        done = []
        kwargs = dict(out_zip=str(target), gemeente="GM0344", uitvraag="2026-najaar",
                      peildatum=dlg.values()["peildatum"], profile="provincie", standard=S)
        task = ExportTask("export", plan_source(layer, S), FaseringSource(fas_layer, S), kwargs, done.append,
                          tables=tables)
        QgsApplication.taskManager().addTask(task)
        return task, done

    # cancelled while it writes: no package, no temporaries
    started = threading.Event()
    real_render = package.report_mod.render_report

    running = []

    def slow_render(*a, **kw):
        started.set()
        while not running or not running[0].isCanceled():
            threading.Event().wait(0.01)
        return real_render(*a, **kw)
    monkeypatch.setattr(package.report_mod, "render_report", slow_render)
    task, done = run_export(out / "pkg.zip")
    running.append(task)
    assert wait_for(qgis_app, started.is_set, 30)
    task.cancel()
    assert wait_for(qgis_app, lambda: bool(done), 30)
    assert isinstance(task.exception, package.DeliveryCancelled) and task.result is None
    assert sorted(os.listdir(out)) == [] and errors_seen == []
    monkeypatch.setattr(package.report_mod, "render_report", real_render)
    task, done = run_export(out / "pkg.zip")
    assert wait_for(qgis_app, lambda: bool(done), 60)
    assert task.exception is None and task.result.manifest["counts"]["plans"] == dlg._prepared[0].n
