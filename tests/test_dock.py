"""The LMVW-controle dock in QGIS (pytest-qgis): foreign form code, layers leaving the project,
errors at its slots, readability, double-click."""
from __future__ import annotations

import time
from unittest.mock import MagicMock

import pytest
from qgis.core import Qgis, QgsEditFormConfig, QgsProject, QgsVectorLayer

from pkg_util import clean_plans, write_plans

EVIL = "def evil(dialog, layer, feature):\n    open('/tmp/lmvw-evil', 'w').write('ran')\n"


def wait_for(app, predicate, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def bar(qgis_iface):
    b = qgis_iface.messageBar()
    for msgs in b.messages.values():
        msgs.clear()
    return b


@pytest.fixture
def layers(qgis_new_project, tmp_path):
    plans = clean_plans(6, seed=21)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    yield layer, fas
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture
def dock(qgis_iface, qgis_app, monkeypatch, bar):
    from lmvw_plugin.gui.dock import ValidationDock
    from lmvw_plugin.standard import load
    monkeypatch.setattr(qgis_iface, "openFeatureForm", MagicMock(name="openFeatureForm"), raising=False)
    d = ValidationDock(qgis_iface, load())
    yield d
    d.unload()
    d.deleteLater()


def with_foreign_code(layer):
    cfg = layer.editFormConfig()
    cfg.setInitCodeSource(QgsEditFormConfig.PythonInitCodeSource.CodeSourceDialog)
    cfg.setInitFunction("evil")
    cfg.setInitCode(EVIL)
    cfg.setInitFilePath("/tmp/evil.py")
    layer.setEditFormConfig(cfg)


def finding_for(layer, rule="R04", field="woningtype_onbekend", severity="error"):
    from lmvw_plugin.rules.findings import Finding
    feat = next(layer.getFeatures())
    return Finding(rule=rule, severity=severity, message="x", plan_id=feat["plan_id"], plannaam=feat["plannaam"],
                   field=field, fid=feat.id())


def open_finding(dock, finding):
    dock.model.set_findings([finding])
    dock._open(dock.proxy.index(0, 3))


def test_double_click_never_opens_a_form_with_foreign_code(dock, layers, qgis_app, qgis_iface, bar):
    layer, fas = layers
    with_foreign_code(layer)
    with_foreign_code(fas)
    dock.set_layer(layer)
    seen = []
    qgis_iface.openFeatureForm.side_effect = lambda lyr, feat, *a: seen.append(
        (lyr.editFormConfig().initCode(), lyr.editFormConfig().initFunction(),
         lyr.editFormConfig().initCodeSource(), fas.editFormConfig().initCode()))
    open_finding(dock, finding_for(layer))
    assert seen == [("", "", QgsEditFormConfig.PythonInitCodeSource.CodeSourceNone, "")]
    warnings = bar.get_messages(Qgis.Warning)
    assert any("woningbouwplannen" in m and "evil" in m for m in warnings), warnings
    assert any("'fasering'" in m for m in warnings), warnings


def test_fasering_leaving_the_project_keeps_the_dock_working(dock, layers, qgis_app, bar):
    layer, fas = layers
    dock.set_layer(layer)
    assert wait_for(qgis_app, lambda: dock.state is not None and dock.task is None)
    QgsProject.instance().removeMapLayer(fas.id())
    qgis_app.processEvents()
    assert dock.fasering is None
    dock.validate_full()                          # *Valideer*: raised RuntimeError (deleted layer)
    assert wait_for(qgis_app, lambda: dock.task is None and dock.state is not None)
    assert "Unexpected" not in dock.status.text() and "Onverwacht" not in dock.status.text()
    # editing the plan layer afterwards still re-checks it
    layer.startEditing()
    feat = next(layer.getFeatures())
    layer.changeAttributeValue(feat.id(), layer.fields().indexOf("eengezins"), (feat["eengezins"] or 0) + 5)
    assert wait_for(qgis_app, lambda: any(f.rule == "R04" for f in dock.model.findings))
    layer.rollBack()
    dock.unload()                                 # unloading after the removal: no error either
    assert bar.get_messages(Qgis.Warning) == []


def test_an_unexpected_error_in_a_slot_ends_in_the_message_bar(dock, layers, qgis_app, bar, monkeypatch):
    from lmvw_plugin.gui import dock as dock_module
    layer, _ = layers
    dock.set_layer(layer)
    assert wait_for(qgis_app, lambda: dock.task is None)

    def broken(*args, **kwargs):
        raise ValueError("kapot")
    monkeypatch.setattr(dock_module, "PlanSource", broken)
    dock.run_button.click()                       # a Qt slot: must not raise into QGIS
    assert any("kapot" in m for m in bar.get_messages(Qgis.Warning))
    assert "kapot" in dock.status.text()
