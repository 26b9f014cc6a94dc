"""The plugin inside QGIS (pytest-qgis's iface): menu, toolbar, dock, live re-validation, unload."""
from __future__ import annotations

import re
import time

import pytest
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QAction

from pkg_util import clean_plans, write_plans


def wait_for(app, predicate, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(autouse=True)
def complete_iface(qgis_iface, monkeypatch):
    """pytest-qgis's iface stub lacks a few QgisInterface methods the plugin calls."""
    from unittest.mock import MagicMock
    for name in ("removePluginMenu", "removeDockWidget", "openFeatureForm"):
        if not hasattr(qgis_iface, name):
            monkeypatch.setattr(qgis_iface, name, MagicMock(name=name), raising=False)
    return qgis_iface


@pytest.fixture
def plugin(qgis_iface, qgis_app, qgis_new_project):
    import lmvw_plugin
    p = lmvw_plugin.classFactory(qgis_iface)
    p.initGui()
    yield p
    p.unload()


def test_menu_toolbar_and_provider(plugin, qgis_iface):
    texts = [a.text() for a in plugin.actions]
    assert len(texts) == 5
    assert plugin.toolbar is not None and len(plugin.toolbar.actions()) == 3
    assert QgsApplication.processingRegistry().providerById("lmvw") is not None
    for a in plugin.actions:
        assert isinstance(a, QAction) and not a.icon().isNull()


def test_unload_removes_everything(qgis_iface, qgis_app, qgis_new_project):
    import lmvw_plugin
    registry = QgsApplication.processingRegistry()
    if registry.providerById("lmvw") is not None:       # left by the Processing tests
        registry.removeProvider(registry.providerById("lmvw"))
    p = lmvw_plugin.classFactory(qgis_iface)
    p.initGui()
    p.toggle_dock(True)
    p.unload()
    assert QgsApplication.processingRegistry().providerById("lmvw") is None
    assert p.actions == [] and p.dock is None


def test_dock_validates_and_follows_edits(plugin, qgis_app, tmp_path):
    plans = clean_plans(30, seed=12)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    plugin.iface.setActiveLayer(layer)
    plugin.toggle_dock(True)
    dock = plugin.dock
    dock.set_layer(layer)
    assert wait_for(qgis_app, lambda: dock.state is not None)
    before = {f.rule for f in dock.model.findings}
    assert "R04" not in before
    # edit one plan: the dock re-checks it after the debounce, without a full run
    feat = next(layer.getFeatures())
    layer.startEditing()
    layer.changeAttributeValue(feat.id(), layer.fields().indexOf("eengezins"), (feat["eengezins"] or 0) + 5)
    assert wait_for(qgis_app, lambda: any(f.rule == "R04" for f in dock.model.findings))
    assert re.search(r"\b1 (fout|error),", dock.windowTitle()), dock.windowTitle()   # singular for one
    r04 = [f for f in dock.model.findings if f.rule == "R04"][0]
    assert r04.fid == feat.id()
    # filters
    dock.severity_combo.setCurrentIndex(dock.severity_combo.findData("error"))
    assert dock.proxy.rowCount() == sum(f.severity == "error" for f in dock.model.findings)
    # undo by rollback: full re-validation, the finding disappears
    layer.rollBack()
    assert wait_for(qgis_app, lambda: dock.state is not None and not any(f.rule == "R04" for f in dock.model.findings))


def test_dock_rejects_layer_without_fields(plugin, qgis_app):
    layer = QgsVectorLayer("Polygon?crs=epsg:28992&field=naam:string", "wijken", "memory")
    QgsProject.instance().addMapLayer(layer)
    plugin.toggle_dock(True)
    plugin.dock.set_layer(layer)
    assert "planstatus" in plugin.dock.status.text()
    assert plugin.dock.state is None


def test_dock_validation_can_be_cancelled(plugin, qgis_app, tmp_path, monkeypatch):
    from lmvw_plugin.layers import reader
    plans = clean_plans(50, seed=13)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    QgsProject.instance().addMapLayer(layer)
    started = []

    def slow_read(self, fids=None, feedback=None):      # a read that lasts until it is cancelled
        started.append(True)
        while feedback is not None and not feedback.isCanceled():
            time.sleep(0.01)
        return None
    monkeypatch.setattr(reader.PlanSource, "read", slow_read)
    plugin.toggle_dock(True)
    dock = plugin.dock
    dock.set_layer(layer)
    assert dock.task is not None and dock.run_button.text() == "Stop"
    assert wait_for(qgis_app, lambda: bool(started))
    dock.run_button.click()                      # Stop
    assert wait_for(qgis_app, lambda: dock.task is None)
    assert dock.state is None and "cancelled" in dock.status.text().lower()
    assert dock.run_button.text() == "Validate"


def test_dock_plan_and_fasering_edits_in_one_go(plugin, qgis_app, tmp_path):
    """A plan edit and a fasering edit within one debounce: the dock equals a full validation."""
    import datetime as dt

    from lmvw_plugin.layers.reader import read_fasering_layer, read_plan_layer
    from lmvw_plugin.rules.engine import Validator
    from lmvw_plugin.standard import load
    plans = clean_plans(30, seed=14)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    plugin.toggle_dock(True)
    dock = plugin.dock
    dock.set_layer(layer)
    assert wait_for(qgis_app, lambda: dock.state is not None)
    plan_ids = {f["plan_id"] for f in fas.getFeatures()}
    edited = [f for f in layer.getFeatures() if f["plan_id"] in plan_ids][0]
    row = [f for f in fas.getFeatures() if f["plan_id"] != edited["plan_id"]][0]
    layer.startEditing()
    fas.startEditing()
    layer.changeAttributeValue(edited.id(), layer.fields().indexOf("eengezins"), edited["eengezins"] + 1)
    fas.changeAttributeValue(row.id(), fas.fields().indexOf("aantal"), row["aantal"] + 7)
    key = lambda f: (f.fid if f.fid is not None else -1, f.rule, f.check or "", f.message)  # noqa: E731
    s = load()

    def full():
        table = read_plan_layer(layer, s)
        return sorted(map(key, Validator(s, "en", dt.date.today()).validate(
            table, read_fasering_layer(fas, s)).findings))
    expected = full()
    assert {k[1] for k in expected} >= {"R04", "R17"}
    assert wait_for(qgis_app, lambda: sorted(map(key, dock.model.findings)) == expected)
    layer.rollBack()
    fas.rollBack()
