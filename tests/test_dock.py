"""The LMVW-controle dock in QGIS (pytest-qgis): foreign form code, layers leaving the project,
errors at its slots, readability, double-click."""
from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from qgis.core import Qgis, QgsEditFormConfig, QgsProject, QgsVectorLayer
from qgis.gui import QgsAttributeEditorContext
from qgis.PyQt.QtCore import Qt

from pkg_util import clean_plans, write_plans
from qgis_util import wait_for

EVIL = "def evil(dialog, layer, feature):\n    open('/tmp/lmvw-evil', 'w').write('ran')\n"


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
    from qgis.PyQt.QtWidgets import QMessageBox

    from lmvw_plugin.gui import dock as dock_module
    monkeypatch.setattr(dock_module.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
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
    warnings = bar.get_messages(Qgis.MessageLevel.Warning)
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
    assert bar.get_messages(Qgis.MessageLevel.Warning) == []


def test_an_unexpected_error_in_a_slot_ends_in_the_message_bar(dock, layers, qgis_app, bar, monkeypatch):
    from lmvw_plugin.gui import dock as dock_module
    layer, _ = layers
    dock.set_layer(layer)
    assert wait_for(qgis_app, lambda: dock.task is None)

    def broken(*args, **kwargs):
        raise ValueError("kapot")
    monkeypatch.setattr(dock_module, "PlanSource", broken)
    dock.run_button.click()                       # a Qt slot: must not raise into QGIS
    assert any("kapot" in m for m in bar.get_messages(Qgis.MessageLevel.Warning))
    assert "kapot" in dock.status.text()


@pytest.fixture
def pkg(qgis_new_project, tmp_path):
    """A package made by the plugin (form with tabs) with one valid plan."""
    from qgis.core import QgsGeometry, QgsVectorLayerUtils

    from conftest import make_plan
    from qgis_util import new_package
    p = new_package(tmp_path)
    layer = p.plans
    rec = make_plan()
    rec.pop("plan_id")
    feat = QgsVectorLayerUtils.createFeature(
        layer, QgsGeometry.fromWkt("MultiPolygon(((130000 450000, 130100 450000, 130100 450100, 130000 450000)))"),
        {}, layer.createExpressionContext())
    for k, v in rec.items():
        if v is not None:
            feat[k] = v
    layer.startEditing()
    assert layer.addFeature(feat)
    assert layer.commitChanges(), layer.commitErrors()
    yield p
    for w in list(_dialogs):
        w.reject()
    _dialogs.clear()
    QgsProject.instance().removeAllMapLayers()


_dialogs = []


def qgis_like_open(lyr, feat, update_only=False, modal=True):
    """What QGIS's openFeatureForm does: an attribute dialog, editable when the layer is."""
    from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext, QgsGui

    from qgis_util import TOOLS
    QgsGui.editorWidgetRegistry().initEditors()
    ctx = QgsAttributeEditorContext()
    ctx.setVectorLayerTools(TOOLS)
    dlg = QgsAttributeDialog(lyr, feat, False, None, True, ctx)
    dlg.setMode(QgsAttributeEditorContext.Mode.SingleEditMode if lyr.isEditable()
                else QgsAttributeEditorContext.Mode.IdentifyMode)
    dlg.show()
    _dialogs.append(dlg)
    return True


def current_tab(dlg):
    from qgis.PyQt.QtWidgets import QTabWidget
    tabs = dlg.findChildren(QTabWidget)[0]
    return tabs.tabText(tabs.currentIndex())


def test_the_dock_is_readable(dock, layers, qgis_app):
    from qgis.core import QgsApplication

    from lmvw_plugin.i18n import tr
    from lmvw_plugin.rules.findings import Finding
    layer, _ = layers
    assert dock.widget().sizeHint().width() >= 480                 # was about 316 px
    long = "Woningtypen tellen op tot 38, bruto plancapaciteit is 40: verdeel de 2 resterende woningen. " * 3
    err = Finding(rule="R04", severity="error", message=long, plan_id="a", plannaam="A", field="x", fid=1)
    warn = Finding(rule="R16", severity="warning", message="kort", plan_id="b", plannaam="B", field="x", fid=2)
    dock.model.set_findings([err, warn])
    m = dock.model
    assert m.data(m.index(0, 0)) == tr("error") and m.data(m.index(1, 0)) == tr("warning")
    assert tr("error") in ("fout", "error")

    def image(icon):
        return icon.pixmap(16, 16).toImage()
    critical = QgsApplication.getThemeIcon("/mIconCritical.svg")
    triangle = QgsApplication.getThemeIcon("/mIconWarning.svg")
    deco = Qt.ItemDataRole.DecorationRole
    assert image(m.data(m.index(0, 0), deco)) == image(critical)
    assert image(m.data(m.index(1, 0), deco)) == image(triangle)
    dock.resize(520, 500)
    dock.show()
    qgis_app.processEvents()
    dock.view.resizeRowsToContents()
    line = dock.view.fontMetrics().height()
    from qgis.PyQt.QtWidgets import QHeaderView
    assert dock.view.wordWrap() and dock.view.textElideMode() == Qt.TextElideMode.ElideNone
    assert dock.view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    if dock.view.isVisible() and dock.view.rowHeight(0) > 0:
        assert max(dock.view.rowHeight(r) for r in range(2)) > 2 * line   # the long message wraps
    # plural: one error, one warning
    dock.state = object()
    dock._update_title()
    title = dock.windowTitle()
    assert ("1 fout," in title or "1 error," in title) and ("1 waarschuwing" in title or "1 warning" in title)
    assert "fouten" not in title and "errors" not in title
    dock.state = None


def test_double_click_opens_the_form_editable_on_the_findings_tab(dock, pkg, qgis_app, qgis_iface, monkeypatch):
    from qgis.PyQt.QtWidgets import QMessageBox

    from lmvw_plugin.gui import dock as dock_module
    layer = pkg.plans
    asked = []
    monkeypatch.setattr(dock_module.QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    qgis_iface.openFeatureForm.side_effect = qgis_like_open
    dock.set_layer(layer)
    open_finding(dock, finding_for(layer, "R04", "woningtype_onbekend"))
    qgis_app.processEvents()
    assert asked and layer.isEditable()                           # offered, and editing started
    assert current_tab(_dialogs[-1]) == "Aantallen"
    assert _dialogs[-1].attributeForm().mode() == QgsAttributeEditorContext.Mode.SingleEditMode
    open_finding(dock, finding_for(layer, "R17", "bruto_plancapaciteit"))
    qgis_app.processEvents()
    assert current_tab(_dialogs[-1]) == "Fasering"
    layer.rollBack()


def test_double_click_on_a_geometry_finding_marks_the_spot(dock, pkg, qgis_app, qgis_iface):
    from qgis.gui import QgsVertexMarker

    from lmvw_plugin.rules.findings import Finding
    layer = pkg.plans
    dock.set_layer(layer)
    feat = next(layer.getFeatures())
    g03 = Finding(rule="G03", severity="error", message="zelfdoorsnijding", plan_id=feat["plan_id"],
                  plannaam=feat["plannaam"], field=None, fid=feat.id(), x=130050.0, y=450050.0)
    open_finding(dock, g03)
    qgis_app.processEvents()
    markers = [i for i in qgis_iface.mapCanvas().scene().items() if isinstance(i, QgsVertexMarker)]
    assert len(markers) == 1
    assert not qgis_iface.openFeatureForm.called                  # the map shows it, no form on tab 1
    open_finding(dock, finding_for(layer, "R04", "woningtype_onbekend"))    # the next double-click
    markers = [i for i in qgis_iface.mapCanvas().scene().items() if isinstance(i, QgsVertexMarker)]
    assert markers == []
    layer.rollBack()


def test_a_new_province_brings_its_rules_into_the_dock_and_its_rechecks(dock, layers, qgis_app):
    """After *Instellingen* changes the province, the dock checks the layer again with the province's rules,
    and the re-check of an edited plan uses them too (before, the incremental validator kept the old rules
    until the next full *Valideer*)."""
    from lmvw_plugin.layers.province_fields import add_province_fields
    from lmvw_plugin.standard import load
    from lmvw_plugin.standard.provinces import extend
    layer, fas = layers
    zeeland = extend(load(), "zeeland")
    add_province_fields(layer, fas, zeeland)

    def codes():
        return {f.rule for f in (dock.state.findings() if dock.state is not None else [])}
    dock.set_layer(layer)
    assert wait_for(qgis_app, lambda: dock.task is None and dock.state is not None)
    assert not {c for c in codes() if c.startswith("PZL")}                   # the Basisset only
    dock.set_standard(zeeland)
    assert wait_for(qgis_app, lambda: dock.task is None and dock.state is not None and "PZL02" in codes())
    regio = [f for f in dock.state.findings() if f.rule == "PZL02"]
    assert len(regio) == layer.featureCount()                                # no plan has a regio yet
    fid = regio[0].fid
    layer.startEditing()
    layer.changeAttributeValue(fid, layer.fields().indexOf("zl_regio"), "Walcheren")
    assert wait_for(qgis_app, lambda: fid not in {f.fid for f in dock.state.findings() if f.rule == "PZL02"})
    assert len([f for f in dock.state.findings() if f.rule == "PZL02"]) == len(regio) - 1
    layer.rollBack()
