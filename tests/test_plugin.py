"""The plugin inside QGIS (pytest-qgis's iface): menu, toolbar, dock, live re-validation, unload."""
from __future__ import annotations

import os
import re
import time

import pytest
from qgis.core import QgsApplication, QgsPointXY, QgsProject, QgsVectorLayer

from lmvw_plugin.layers.qtcompat import QAction
from pkg_util import clean_plans, write_plans
from qgis_util import wait_for


@pytest.fixture(autouse=True)
def complete_iface(qgis_iface, monkeypatch):
    """pytest-qgis's iface stub lacks a few QgisInterface methods the plugin calls."""
    from unittest.mock import MagicMock
    for name in ("removePluginMenu", "removeDockWidget", "openFeatureForm"):
        if not hasattr(qgis_iface, name):
            monkeypatch.setattr(qgis_iface, name, MagicMock(name=name), raising=False)
    from qgis.gui import QgsMessageBar  # its mock bar cannot hold widgets with buttons
    bar = QgsMessageBar()
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    return qgis_iface


@pytest.fixture
def plugin(qgis_iface, qgis_app, qgis_new_project):
    import lmvw_plugin
    p = lmvw_plugin.classFactory(qgis_iface)
    p.initGui()
    yield p
    p.unload()


def test_menu_toolbar_and_provider(plugin, qgis_iface):
    from lmvw_plugin.deps import shapely2_missing
    texts = [a.text() for a in plugin.actions]
    # + Plannen importeren… (issue 10), + 'Install shapely 2…' without it
    assert len(texts) == 6 + bool(shapely2_missing())
    assert {"Import plans…", "Plannen importeren…"} & set(texts)       # English or Dutch, by the locale
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


def test_export_dialog_dock_button_opens_the_dock_on_the_errors(plugin, qgis_app, tmp_path, monkeypatch):
    """'Show the findings in the dock' in the export dialog closes it and opens the dock on the
    layer, filtered to the errors."""
    plans = clean_plans(4, seed=13)
    plans.records[0]["eengezins"] += 2
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    plugin.iface.setActiveLayer(layer)
    from lmvw_plugin.gui import dialogs
    from lmvw_plugin.gui import settings as lmvw_settings
    monkeypatch.setattr(lmvw_settings, "gemeentecode", lambda: "GM0344")
    monkeypatch.setattr(lmvw_settings, "folder", lambda: str(tmp_path))

    def exec_and_click(dlg):
        assert dlg.errors == 1 and dlg.dockButton.isVisibleTo(dlg)
        dlg.dockButton.click()
        return dlg.result()
    monkeypatch.setattr(dialogs.ExportDialog, "exec", exec_and_click)
    plugin.export()
    assert plugin.dock is not None and plugin.dock.layer is layer and plugin.export_task is None
    assert plugin.dock.severity_combo.currentData() == "error"
    assert wait_for(qgis_app, lambda: any(f.rule == "R04" for f in plugin.dock.model.findings))


def _new_layer(plugin, monkeypatch, tmp_path, background=True):
    from lmvw_plugin.gui import dialogs
    from lmvw_plugin.gui import settings as lmvw_settings
    monkeypatch.setattr(lmvw_settings, "background_map", lambda: background)

    def accept(dlg):
        dlg.path, dlg.code = str(tmp_path / "nieuw.gpkg"), "GM0344"
        return True
    monkeypatch.setattr(dialogs.NewLayerDialog, "exec", accept)
    plugin.new_layer()
    return QgsProject.instance().mapLayersByName("woningbouwplannen")[0]


def test_new_layer_starts_on_the_netherlands_with_the_brt_in_edit_mode(plugin, qgis_iface, tmp_path, monkeypatch):
    """After Nieuwe planlaag the map is not white at 1:1: the Netherlands in RD New, PDOK's BRT
    Achtergrondkaart (WMTS) under the plans, and the layer ready to draw in."""
    from lmvw_plugin.layers.background import BRT_URL, is_brt
    plans = _new_layer(plugin, monkeypatch, tmp_path)
    assert plans.isEditable() and qgis_iface.activeLayer() is plans
    tree = [node.layer() for node in QgsProject.instance().layerTreeRoot().findLayers()]
    brt = [lyr for lyr in tree if is_brt(lyr)]
    assert len(brt) == 1 and tree[-1] is brt[0] and tree.index(plans) < tree.index(brt[0])
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri()
    uri.setEncodedUri(brt[0].source())
    assert brt[0].providerType() == "wms" and uri.param("url").startswith(BRT_URL + "?")
    assert (uri.param("layers"), uri.param("tileMatrixSet"), uri.param("format"), uri.param("crs")) == \
        ("standaard", "EPSG:28992", "image/png", "EPSG:28992")
    assert QgsProject.instance().crs().authid() == "EPSG:28992"
    ext = qgis_iface.mapCanvas().extent()
    assert ext.width() > 200000 and ext.contains(QgsPointXY(136000, 456000))     # Utrecht is in view
    plans.rollBack()


def test_new_layer_without_background_map_when_switched_off(plugin, qgis_iface, tmp_path, monkeypatch):
    from lmvw_plugin.layers.background import is_brt
    plans = _new_layer(plugin, monkeypatch, tmp_path, background=False)
    assert not any(is_brt(lyr) for lyr in QgsProject.instance().mapLayers().values())
    plans.rollBack()


def _bar_offers(iface):
    from qgis.PyQt.QtWidgets import QPushButton
    return [(item.text(), item.findChild(QPushButton, "LmvwApplyFormsButton")) for item in iface.messageBar().items()
            if item.findChild(QPushButton, "LmvwApplyFormsButton") is not None]


def test_a_layer_without_the_current_form_is_offered_it(plugin, qgis_app, qgis_iface, tmp_path, monkeypatch):
    """A GeoPackage made without the plugin's form (or by an older version) gets a message with a
    'Formulieren toepassen' button when it is added; one made now does not."""
    from qgis.PyQt.QtWidgets import QMessageBox

    from lmvw_plugin.layers import formversion
    from lmvw_plugin.layers.create import create_package
    from lmvw_plugin.standard import load
    qgis_iface.messageBar().clearWidgets()
    current = create_package(str(tmp_path / "nu.gpkg"), "GM0344", load(), "nl")
    fresh = QgsVectorLayer(current.path + "|layername=woningbouwplannen", "nu", "ogr")
    QgsProject.instance().addMapLayer(fresh)
    qgis_app.processEvents()
    assert formversion.outdated(fresh, load()) is None and _bar_offers(qgis_iface) == []

    plans = clean_plans(3, seed=14)
    path = write_plans(tmp_path / "oud.gpkg", plans.records, plans.geometries, plans.fasering)
    old = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "oud", "ogr")
    old.setCustomProperty(formversion.KEY, "0.0.1+000000000000")
    QgsProject.instance().addMapLayer(old)
    assert wait_for(qgis_app, lambda: _bar_offers(qgis_iface), 5)
    (text, button), = _bar_offers(qgis_iface)
    assert "'oud'" in text and "0.0.1" in text
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    button.click()
    assert wait_for(qgis_app, lambda: formversion.outdated(old, load()) is None, 5)   # stamped with the current form
    assert old.editFormConfig().tabs() and _bar_offers(qgis_iface) == []


def test_an_export_failing_outside_the_delivery_says_what_happened(plugin, qgis_iface):
    """A failure while reading the layer (not one of the delivery's own errors) names its cause in
    the message bar, and an unexpected one its kind, with the details in the log: never a bare
    exception text or QGIS's error dialog."""
    from types import SimpleNamespace

    from lmvw_plugin.rules.table import SchemaError
    source = SimpleNamespace(name="/data/plannen.gpkg|layername=woningbouwplannen")
    bar = qgis_iface.messageBar()
    plugin._export_done(SimpleNamespace(result=None, exception=SchemaError("missing fields", ["plannaam"]),
                                        trace="", source=source))
    text = bar.currentItem().text()
    assert "plannen.gpkg" in text and "plannaam" in text
    plugin._export_done(SimpleNamespace(result=None, exception=ValueError("boom"), trace="Traceback …",
                                        source=source))
    text = bar.currentItem().text()
    assert "ValueError" in text and "boom" in text and "LMVW" in text


def test_reports_opened_from_the_message_bar_are_removed_on_unload(plugin, qgis_iface, tmp_path, monkeypatch):
    import zipfile

    from qgis.PyQt.QtGui import QDesktopServices
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    pkg = tmp_path / "lmvw_GM0344_2026-najaar.zip"
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.writestr("validatierapport.html", "<html></html>")
    plugin._open_report(str(pkg))
    assert len(opened) == 1 and os.path.exists(opened[0])
    plugin._open_report(str(tmp_path / "gone.zip"))            # moved meanwhile: a message, no error
    assert "gone.zip" in qgis_iface.messageBar().currentItem().text() and len(opened) == 1
    plugin.unload()
    assert not os.path.exists(opened[0])
    plugin.initGui()                                           # the fixture unloads again
