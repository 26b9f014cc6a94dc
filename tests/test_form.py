"""The attribute form of a new plan layer (pytest-qgis): widgets, defaults, constraints."""
from __future__ import annotations

import re

import pytest
from qgis.core import (
    QgsFieldConstraints,
    QgsGeometry,
    QgsProject,
    QgsVectorLayerUtils,
)
from qgis.gui import QgsAttributeEditorContext
from qgis.PyQt.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QLabel, QPlainTextEdit, QSpinBox, QTabWidget

from conftest import make_plan
from qgis_util import dialog_for, form_for, new_package, ok_button

HARD = QgsFieldConstraints.ConstraintStrength.ConstraintStrengthHard
SOFT = QgsFieldConstraints.ConstraintStrength.ConstraintStrengthSoft
GEOM = "MultiPolygon(((130000 450000, 130100 450000, 130100 450100, 130000 450100, 130000 450000)))"


@pytest.fixture
def pkg(qgis_new_project, tmp_path):
    p = new_package(tmp_path)
    yield p
    QgsProject.instance().removeAllMapLayers()


def violations(layer, feature, strength):
    out = {}
    for i, f in enumerate(layer.fields()):
        ok, msgs = QgsVectorLayerUtils.validateAttribute(layer, feature, i, strength)
        if not ok:
            out[f.name()] = msgs
    return out


def feature_with(layer, **values):
    feat = QgsVectorLayerUtils.createFeature(layer, QgsGeometry.fromWkt(GEOM), {}, layer.createExpressionContext())
    for k, v in values.items():
        feat[k] = v
    return feat


def valid_values(**overrides):
    rec = make_plan(**overrides)
    rec.pop("plan_id")           # the layer's default makes it
    return {k: v for k, v in rec.items() if v is not None}


def test_widgets_per_field_type(pkg, qgis_app):
    layer = pkg.plans
    layer.startEditing()
    form = form_for(layer, feature_with(layer), QgsAttributeEditorContext.Mode.AddFeatureMode)
    form.show()
    qgis_app.processEvents()
    tabs = form.findChildren(QTabWidget)[0]
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Algemeen", "Aantallen", "Betaalbaarheid", "Ouderen en tijdelijk", "Fasering", "Status", "Vertrouwelijkheid"]

    def widget(name, cls):
        found = [w for w in form.findChildren(cls, name)]
        assert found, f"no {cls.__name__} for {name}"
        return found[0]
    combo = widget("planstatus", QComboBox)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "1A Onherroepelijk" in labels and "5B Ambtelijk, zonder locatie" in labels
    spin = widget("bruto_plancapaciteit", QSpinBox)
    assert spin.minimum() == 0
    widget("gerealiseerd", QCheckBox)
    date = widget("datum_vervallen", QDateTimeEdit)
    assert date.calendarPopup()
    widget("opmerkingen", QPlainTextEdit)
    # running totals in labels: "woningtype 0 van 0"
    texts = [w.text() for w in form.findChildren(QLabel)]
    assert any(re.search(r"woningtype \d+ van \d+", t) for t in texts)
    form.close()
    layer.rollBack()


def test_defaults_on_a_new_feature(pkg):
    feat = feature_with(pkg.plans)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", feat["plan_id"])
    assert feat["gemeentecode"] == "GM0344"
    import datetime
    assert feat["prijspeil_jaar"] == datetime.date.today().year
    assert feat["bruto_plancapaciteit"] == 0 and feat["eigendom_onbekend"] == 0
    assert feat["gerealiseerd"] is False and feat["vervallen"] is False
    assert not feat["vertrouwelijkheid"]          # no default: the user chooses
    assert feat["gewijzigd_op"] is not None
    other = feature_with(pkg.plans)
    assert other["plan_id"] != feat["plan_id"]


def test_gewijzigd_op_is_updated_on_edit(pkg):
    layer = pkg.plans
    idx = layer.fields().indexOf("gewijzigd_op")
    assert layer.defaultValueDefinition(idx).applyOnUpdate()


def test_valid_plan_has_no_hard_violations(pkg):
    feat = feature_with(pkg.plans, **valid_values())
    assert violations(pkg.plans, feat, HARD) == {}


@pytest.mark.parametrize("overrides,field", [
    ({"eengezins": 8}, "woningtype_onbekend"),                                    # R04: 38 of 40
    ({"dure_koop": 12}, "eigendom_onbekend"),                                     # R05
    ({"zorggeschikt": 3, "geclusterd": 2, "nultredenwoningen": 2}, "zorggeschikt"),  # R07
    ({"planstatus": "1A", "vertrouwelijkheid": "gemeente", "vertrouwelijk_reden": "x"}, "vertrouwelijkheid"),  # R11
    ({"vertrouwelijkheid": "gemeente"}, "vertrouwelijk_reden"),                   # R12
    ({"vervallen": True}, "datum_vervallen"),                                     # R14
    ({"gemeentecode": "0344"}, "gemeentecode"),                                   # R20 format
    ({"plannaam": "x" * 300}, "plannaam"),                                        # R22
])
def test_violating_feature_rejected_by_hard_constraints(pkg, qgis_bot, overrides, field):
    values = valid_values(**overrides)
    feat = feature_with(pkg.plans, **values)
    assert field in violations(pkg.plans, feat, HARD)
    with pytest.raises(ValueError, match="enforcing constraint"):
        qgis_bot.create_feature_with_attribute_dialog(pkg.plans, QgsGeometry.fromWkt(GEOM), values)


def test_warning_only_feature_is_accepted(pkg, qgis_app):
    """R16 (uitbreiding uitleg with 11 dwellings) and R21 (no bounds for 2030) are warnings:
    soft constraint or label warning, but the form saves."""
    layer = pkg.plans
    values = valid_values(plantype="uitbreiding_uitleg", bruto_plancapaciteit=11, meergezins=1, middenhuur_markt=0,
                          betaalbare_koop=0, dure_koop=1, prijspeil_jaar=2030)
    feat = feature_with(layer, **values)
    assert violations(layer, feat, HARD) == {}
    assert "prijspeil_jaar" in violations(layer, feat, SOFT)
    layer.startEditing()
    dlg = dialog_for(layer, feat)
    dlg.show()
    qgis_app.processEvents()
    labels = [w.text() for w in dlg.findChildren(QLabel)]
    assert any("⚠" in t and "12" in t for t in labels), labels       # R16 shown live in the label
    assert ok_button(dlg).isEnabled()
    dlg.accept()
    assert layer.commitChanges(), layer.commitErrors()
    names = [f["plannaam"] for f in layer.getFeatures()]
    assert names == [values["plannaam"]]


def test_form_refuses_to_save_a_violating_feature(pkg, qgis_app):
    layer = pkg.plans
    feat = feature_with(layer, **valid_values(eengezins=8))
    layer.startEditing()
    dlg = dialog_for(layer, feat)
    dlg.show()
    qgis_app.processEvents()
    assert not ok_button(dlg).isEnabled()
    dlg.reject()
    assert layer.featureCount() == 0
    layer.rollBack()


def test_conditional_groups(pkg):
    cfg = pkg.plans.editFormConfig()
    from lmvw_plugin.forms.builder import find_element
    root = cfg.invisibleRootContainer()
    vervallen = find_element(root, "Vervallen")
    assert vervallen is not None
    assert "vervallen" in vervallen.visibilityExpression().data().expression()
    conf = find_element(root, "Vertrouwelijk")
    assert "'gemeente'" in conf.visibilityExpression().data().expression()


def test_english_form_when_qgis_runs_in_english(qgis_new_project, tmp_path):
    pkg = new_package(tmp_path, lang="en")
    assert [t.name() for t in pkg.plans.editFormConfig().tabs()][:3] == ["General", "Numbers", "Affordability"]
    assert pkg.plans.attributeAlias(pkg.plans.fields().indexOf("bruto_plancapaciteit")) == "Gross plan capacity"
    QgsProject.instance().removeAllMapLayers()


def test_help_texts_become_tooltips(pkg, qgis_app):
    """Through a form QGIS builds itself (QgsAttributeDialog makes its QgsAttributeForm in C++, which
    sip presents as a plain QWidget): focus entering it installs the help texts on widgets and labels."""
    from lmvw_plugin.forms.help import FormHelp
    from lmvw_plugin.layers.schema import is_plan_layer
    from lmvw_plugin.standard import load
    s = load()
    helper = FormHelp(s, "nl", lambda lyr: is_plan_layer(lyr, s))
    layer = pkg.plans
    layer.startEditing()
    dlg = dialog_for(layer, feature_with(layer))
    dlg.show()
    qgis_app.processEvents()
    spin = [w for w in dlg.findChildren(QSpinBox, "bruto_plancapaciteit")][0]
    dlg.activateWindow()
    spin.setFocus()
    qgis_app.processEvents()
    if not spin.hasFocus():                       # offscreen platforms without window activation
        qgis_app.focusChanged.emit(None, spin)
    assert "zelfstandige woningen" in spin.toolTip()
    label = [lab for lab in dlg.findChildren(QLabel) if lab.buddy() is spin
             or lab.text().startswith("Bruto plancapaciteit")][0]
    assert "zelfstandige woningen" in label.toolTip(), label.toolTip()
    helper.unload()
    dlg.reject()
    layer.rollBack()


def test_apply_forms_on_imported_layer(qgis_new_project):
    """'Formulieren toepassen' on a layer with the fields, and a clear refusal without them."""
    from qgis.core import QgsVectorLayer

    from lmvw_plugin.layers.create import apply_to_layer
    from lmvw_plugin.standard import load
    s = load()
    types = {"text": "string", "int": "integer", "bool": "boolean", "date": "date", "datetime": "datetime"}
    uri = "MultiPolygon?crs=epsg:28992&" + "&".join(f"field={f.name}:{types[f.type]}" for f in s.fields)
    layer = QgsVectorLayer(uri, "import", "memory")
    QgsProject.instance().addMapLayer(layer)
    result, _ = apply_to_layer(layer, QgsProject.instance(), s, "nl", "GM0344")
    assert result.ok
    assert len(layer.editFormConfig().tabs()) == 7
    partial = QgsVectorLayer("MultiPolygon?crs=epsg:28992&field=plannaam:string&field=bruto_plancapaciteit:integer",
                             "partial", "memory")
    QgsProject.instance().addMapLayer(partial)
    result, _ = apply_to_layer(partial, QgsProject.instance(), s, "nl", "GM0344")
    assert not result.ok and "planstatus" in result.missing_required
    from qgis.core import QgsEditFormConfig
    assert partial.editFormConfig().layout() != QgsEditFormConfig.EditorLayout.TabLayout   # nothing was changed
    assert partial.attributeAlias(0) == ""


def test_apply_forms_removes_foreign_form_code_and_never_saves_it(pkg, qgis_app):
    """A GeoPackage from elsewhere with form-init Python: 'Formulieren toepassen' removes it
    (not only switched off), and the default style it saves carries none."""
    from qgis.core import QgsEditFormConfig, QgsVectorLayer

    from lmvw_plugin.layers.create import apply_to_layer, save_default_styles
    from lmvw_plugin.standard import load
    evil = "def evil(dialog, layer, feature):\n    import os\n    os.system('echo pwned')\n"
    for lyr in (pkg.plans, pkg.fasering):
        cfg = lyr.editFormConfig()
        cfg.setInitCodeSource(QgsEditFormConfig.PythonInitCodeSource.CodeSourceDialog)
        cfg.setInitFunction("evil")
        cfg.setInitCode(evil)
        cfg.setInitFilePath("/tmp/evil.py")
        lyr.setEditFormConfig(cfg)
    apply_to_layer(pkg.plans, QgsProject.instance(), load(), "nl", "GM0344", pkg.fasering)
    for lyr in (pkg.plans, pkg.fasering):
        cfg = lyr.editFormConfig()
        assert (cfg.initCode(), cfg.initFunction(), cfg.initFilePath()) == ("", "", "")
        assert cfg.initCodeSource() == QgsEditFormConfig.PythonInitCodeSource.CodeSourceNone
    save_default_styles(pkg.plans, pkg.fasering, load())
    for name in ("woningbouwplannen", "fasering"):
        fresh = QgsVectorLayer(f"{pkg.path}|layername={name}", name, "ogr")
        cfg = fresh.editFormConfig()
        assert "pwned" not in cfg.initCode() and cfg.initFunction() == "", name
        del fresh
    from osgeo import gdal
    ds = gdal.OpenEx(pkg.path)
    rows = ds.ExecuteSQL("SELECT styleQML FROM layer_styles")
    qml = " ".join(f.GetField(0) for f in rows)
    ds.ReleaseResultSet(rows)
    ds = None  # noqa: F841 - closes the file
    assert "pwned" not in qml and "evil" not in qml


def test_apply_forms_refuses_while_a_form_of_the_layer_is_open(pkg, qgis_app):
    """Applying forms while a plan form is open crashed QGIS (removeFieldConstraint → updateFields
    → the open form's resetValues): refuse, name the open form, change nothing."""
    from lmvw_plugin.layers.create import FormsOpen, apply_to_layer
    from lmvw_plugin.standard import load
    layer = pkg.plans
    layer.startEditing()
    dlg = dialog_for(layer, feature_with(layer, **valid_values()))
    dlg.setWindowTitle("Centrumplan — Objectattributen")
    dlg.show()
    qgis_app.processEvents()
    display_before = layer.displayExpression()
    layer.setDisplayExpression('"plan_id"')          # apply would set it back: a sign of a change
    titles = None
    try:
        apply_to_layer(layer, QgsProject.instance(), load(), "nl", "GM0344", pkg.fasering)
    except FormsOpen as e:
        titles = e.titles
    assert titles is not None and "Centrumplan — Objectattributen" in titles
    assert layer.displayExpression() == '"plan_id"'                       # nothing was changed
    dlg.reject()
    from qgis.PyQt.QtCore import QCoreApplication, QEvent
    dlg.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    layer.rollBack()
    result, _ = apply_to_layer(layer, QgsProject.instance(), load(), "nl", "GM0344", pkg.fasering)
    assert result.ok and layer.displayExpression() == display_before


def _focus(qgis_app, dlg, widget):
    dlg.activateWindow()
    widget.setFocus()
    qgis_app.processEvents()
    if not widget.hasFocus():                     # offscreen platforms without window activation
        qgis_app.focusChanged.emit(None, widget)
    qgis_app.processEvents()


def test_fasering_rows_added_in_the_form_recheck_r17(pkg, qgis_app):
    """A row of 30 added while the plan form is open (rest 40): the running total and R17 follow
    (OK disabled); a plan without rows shows no ✗; the relation editor needs no pencil; no fid."""
    from qgis.core import QgsFeature
    from qgis.gui import QgsAttributeDialog
    from qgis.PyQt.QtWidgets import QToolButton

    from lmvw_plugin.forms.help import FormHelp
    from lmvw_plugin.layers.schema import is_plan_layer
    from lmvw_plugin.standard import load
    from qgis_util import TOOLS
    s = load()
    layer, fas = pkg.plans, pkg.fasering
    fid_idx = fas.fields().indexOf("fid")
    assert fas.editorWidgetSetup(fid_idx).type() == "Hidden"
    layer.startEditing()
    assert layer.addFeature(feature_with(layer, **valid_values()))
    assert layer.commitChanges(), layer.commitErrors()
    feat = next(layer.getFeatures())
    helper = FormHelp(s, "nl", lambda lyr: is_plan_layer(lyr, s))
    layer.startEditing()
    ctx = QgsAttributeEditorContext()
    ctx.setVectorLayerTools(TOOLS)
    dlg = QgsAttributeDialog(layer, feat, False, None, True, ctx)
    dlg.setMode(QgsAttributeEditorContext.Mode.SingleEditMode)
    dlg.show()
    qgis_app.processEvents()
    spin = dlg.findChildren(QSpinBox, "bruto_plancapaciteit")[0]
    _focus(qgis_app, dlg, spin)

    def fasering_label():
        return [lab.text() for lab in dlg.findChildren(QLabel) if "fasering" in lab.text()][0]
    assert "fasering 0 van rest 40" in fasering_label() and "✗" not in fasering_label()
    assert fas.isEditable()                                       # no pencil first
    add = [b for b in dlg.findChildren(QToolButton, "mAddFeatureButton")]
    assert add and add[0].isEnabled()
    assert ok_button(dlg).isEnabled()
    row = QgsFeature(fas.fields())
    row["plan_id"], row["jaar"], row["aantal"] = feat["plan_id"], 2027, 30
    assert fas.addFeature(row)
    qgis_app.processEvents()
    assert "fasering 30 van rest 40 ✗" in fasering_label()
    assert not ok_button(dlg).isEnabled()                          # R17 blocks OK
    row2 = QgsFeature(fas.fields())
    row2["plan_id"], row2["jaar"], row2["aantal"] = feat["plan_id"], 2028, 10
    assert fas.addFeature(row2)
    qgis_app.processEvents()
    assert "fasering 40 van rest 40 ✓" in fasering_label()
    assert ok_button(dlg).isEnabled()
    dlg.reject()
    helper.unload()
    layer.rollBack()
    fas.rollBack()


def test_the_form_says_why_ok_is_disabled_and_fits_its_tabs(pkg, qgis_app):
    """A wrong split (R04) keeps OK disabled: a label at the top of the form names why; the window
    is wide enough for all seven tabs; long live warnings wrap."""
    from qgis.PyQt.QtWidgets import QTabWidget

    from lmvw_plugin.forms.help import REASONS, FormHelp
    from lmvw_plugin.layers.schema import is_plan_layer
    from lmvw_plugin.standard import load
    s = load()
    helper = FormHelp(s, "nl", lambda lyr: is_plan_layer(lyr, s))
    layer = pkg.plans
    layer.startEditing()
    dlg = dialog_for(layer, feature_with(layer, **valid_values(eengezins=8)))
    dlg.show()
    qgis_app.processEvents()
    spin = dlg.findChildren(QSpinBox, "bruto_plancapaciteit")[0]
    _focus(qgis_app, dlg, spin)
    assert not ok_button(dlg).isEnabled()
    reasons = dlg.findChild(QLabel, REASONS)
    assert reasons is not None and reasons.isVisible()
    assert "Woningtypen" in reasons.text() or "woningtype" in reasons.text().lower(), reasons.text()
    bar = dlg.findChildren(QTabWidget)[0].tabBar()
    assert dlg.width() >= bar.sizeHint().width()                   # the seventh tab is not hidden
    assert all(lab.wordWrap() for lab in dlg.findChildren(QLabel) if "⚠" in lab.text())
    date = dlg.findChildren(QDateTimeEdit, "datum_vervallen")[0]
    assert "NULL" not in date.text(), date.text()                        # empty reads empty
        # fixing the split clears the reason
    other = dlg.findChildren(QSpinBox, "woningtype_onbekend")[0]
    other.setValue(other.value() + 2)
    qgis_app.processEvents()
    assert ok_button(dlg).isEnabled() and not reasons.isVisible()
    dlg.accept()                                   # what the empty widgets store stays NULL
    saved = [f for f in layer.getFeatures()]
    assert len(saved) == 1 and saved[0]["datum_vervallen"] is None or not saved[0]["datum_vervallen"]
    helper.unload()
    layer.rollBack()


def test_saving_the_default_style_again_keeps_one_per_layer(pkg):
    """'Formulieren toepassen' on a package the plugin made saves the style a second time: QGIS 3.22
    hung on updating the existing row; now each layer keeps exactly one default style."""
    import sqlite3

    from lmvw_plugin.layers.create import save_default_styles
    from lmvw_plugin.standard import load
    save_default_styles(pkg.plans, pkg.fasering, load())
    save_default_styles(pkg.plans, pkg.fasering, load())
    con = sqlite3.connect(pkg.path)
    try:
        rows = con.execute("SELECT f_table_name, count(*) FROM layer_styles WHERE useAsDefault "
                           "GROUP BY f_table_name").fetchall()
    finally:
        con.close()
    assert dict(rows) == {"woningbouwplannen": 1, "fasering": 1}
