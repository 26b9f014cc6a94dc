"""The province in the interface: Instellingen proposes it from the gemeente ('LMVW-pakket' when
unknown), the export dialog's Formaat with the province's checks in its summary, Formulieren
toepassen adds the missing extra fields (never drops or rewrites), the form gets the province tab."""
from __future__ import annotations

import pytest
from qgis.core import QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QDate
from test_cli_province import zh_gpkg

from lmvw_plugin.gui import settings
from lmvw_plugin.i18n import language
from lmvw_plugin.standard import load
from lmvw_plugin.standard.provinces import extend, load_province


@pytest.fixture(autouse=True)
def dutch(qgis_app):
    from lmvw_plugin.i18n import install_translator, remove_translator
    install_translator("nl_NL")
    yield
    remove_translator()


@pytest.fixture
def clean_settings():
    old = (settings.gemeentecode(), settings.folder(), settings.provincie_setting())
    settings.set_gemeentecode("")
    QgsSettings().remove(settings.PREFIX + "provincie")
    yield
    settings.set_gemeentecode(old[0])
    settings.set_folder(old[1])
    if old[2]:
        settings.set_provincie(old[2])
    else:
        QgsSettings().remove(settings.PREFIX + "provincie")


def test_the_province_is_proposed_from_the_gemeente_until_chosen(clean_settings):
    from lmvw_plugin.gui.dialogs import SettingsDialog
    settings.set_gemeentecode("GM0202")
    assert settings.provincie() == "gelderland"                       # nothing chosen: proposed
    dlg = SettingsDialog(load())
    assert dlg.provincie.currentData() == "gelderland"
    dlg.gemeente.setCurrentIndex(dlg.gemeente.findData("GM0344"))       # Utrecht: no known format
    assert dlg.provincie.currentData() == "lmvw" and "LMVW" in dlg.provincie.currentText()
    dlg.gemeente.setCurrentIndex(dlg.gemeente.findData("GM0599"))
    assert dlg.provincie.currentData() == "zuid-holland"
    dlg._accept()
    assert settings.provincie_setting() == "zuid-holland" and settings.provincie() == "zuid-holland"
    # chosen: the setting stays when the gemeente changes later
    settings.set_gemeentecode("GM0202")
    assert settings.provincie() == "zuid-holland"
    settings.set_provincie("lmvw")
    assert settings.provincie() is None


def test_the_export_dialog_offers_the_format_and_shows_the_provinces_checks(qgis_new_project, clean_settings,
                                                                            tmp_path):
    from lmvw_plugin.gui.dialogs import ExportDialog
    path = zh_gpkg(tmp_path / "p.gpkg", zh_categorie_planlijst=None)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    settings.set_gemeentecode("GM0599")
    settings.set_folder(str(tmp_path))
    dlg = ExportDialog(None, load(), layer)
    dlg.peildatum.setDate(QDate(2026, 10, 1))
    assert dlg.format.currentData() == "zuid-holland"                 # the settings' (proposed) province
    dlg.refresh()
    assert dlg.target_path().endswith(".pzh.geojson")
    assert "PZH01" in dlg.summary.text() and not dlg.ok.isEnabled()
    dlg.format.setCurrentIndex(dlg.format.findData("lmvw"))
    dlg.refresh()
    assert dlg.target_path().endswith(".zip") and "PZH01" not in dlg.summary.text()
    assert dlg.values()["format"] == "lmvw"


def test_apply_forms_adds_the_missing_province_fields_and_keeps_the_data(qgis_new_project, tmp_path):
    from shapely.geometry import MultiPolygon, box

    from conftest import make_plan
    from lmvw_plugin.layers.province_fields import add_province_fields
    from pkg_util import write_plans
    path = write_plans(tmp_path / "plain.gpkg", [make_plan(plannaam="Oud plan")],
                       [MultiPolygon([box(130000, 450000, 130100, 450100)])])
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    before = layer.fields().names()
    s = extend(load(), "zeeland")
    added, fas_added = add_province_fields(layer, fas, s)
    assert added == ["zl_regio", "zl_knelpunten", "zl_woonmilieu", "zl_studentenwoningen", "zl_sleutelproject"]
    assert "eengezins" in fas_added
    after = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "again", "ogr")
    assert after.fields().names()[:len(before)] == before                # nothing dropped or moved
    assert next(after.getFeatures())["plannaam"] == "Oud plan"           # nothing rewritten
    assert add_province_fields(layer, fas, s) == ([], [])                # a second time: nothing to add
    assert add_province_fields(layer, fas, load()) == ([], [])           # no province: nothing


def test_the_form_has_the_provinces_tab(qgis_new_project, tmp_path):
    from lmvw_plugin.layers.create import create_package
    s = extend(load(), "gelderland")
    pkg = create_package(str(tmp_path / "g.gpkg"), "GM0202", s, "nl")
    config = pkg.plans.editFormConfig()
    tabs = [t.name() for t in config.tabs()]
    assert "Gelderland" in tabs
    tab = next(t for t in config.tabs() if t.name() == "Gelderland")
    names = []

    def walk(el):
        for c in (el.children() if hasattr(el, "children") else []):
            names.append(c.name())
            walk(c)
    walk(tab)
    assert "gld_realisatiekans" in names
    idx = pkg.plans.fields().indexOf("gld_realisatiekans")
    assert pkg.plans.editorWidgetSetup(idx).type() == "ValueMap"


def test_the_fasering_form_has_the_split_on_a_tab_of_its_own_with_its_check(qgis_new_project, tmp_path):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeature

    from lmvw_plugin.layers.create import create_package
    s = extend(load(), "zuid-holland")
    pkg = create_package(str(tmp_path / "z.gpkg"), "GM0599", s, "nl")
    cfg = pkg.fasering.editFormConfig()
    assert [t.name() for t in cfg.tabs()] == ["Jaar", "Verdeling (optioneel)"]
    idx = pkg.fasering.fields().indexOf("woningtype_onbekend")
    expr = pkg.fasering.constraintExpression(idx)
    assert expr
    feat = QgsFeature(pkg.fasering.fields())
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(pkg.fasering))

    def ok(**values):
        for k, v in values.items():
            feat[k] = v
        ctx.setFeature(feat)
        return bool(QgsExpression(expr).evaluate(ctx))
    assert ok(jaar=2030, aantal=5)                                       # no split recorded: fine
    assert not ok(eengezins=1, meergezins=0, woningtype_onbekend=0)      # 1 of 5: the form says no
    assert ok(eengezins=2, meergezins=3, woningtype_onbekend=0)
    # the plain layer keeps its one-page fasering form
    plain = create_package(str(tmp_path / "p.gpkg"), "GM0599", load(), "nl")
    from qgis.core import QgsEditFormConfig
    assert plain.fasering.editFormConfig().layout() == QgsEditFormConfig.EditorLayout.GeneratedLayout


def test_a_new_layer_gets_the_fields_of_the_gemeentes_province_unless_chosen_otherwise(clean_settings):
    from lmvw_plugin.gui.province import new_layer_standard
    base = load()
    assert "gld_realisatiekans" in new_layer_standard(base, "GM0202").field_names
    assert new_layer_standard(base, "GM0344") is base                    # Utrecht: the plain Basisset
    settings.set_provincie("lmvw")
    assert new_layer_standard(base, "GM0202") is base                    # the user chose the LMVW package


def test_a_new_layer_of_a_provinces_gemeente_is_not_offered_an_older_form(clean_settings, qgis_new_project, tmp_path):
    """Nieuwe planlaag for Rotterdam (no province chosen): the layer has Zuid-Holland's fields and its
    form, and is not offered 'an older form' right after it was made (nor the Basisset's form)."""
    from lmvw_plugin.gui.province import layer_standard, new_layer_standard
    from lmvw_plugin.layers import formversion
    from lmvw_plugin.layers.create import create_package
    base = load()
    pkg = create_package(str(tmp_path / "r.gpkg"), "GM0599", new_layer_standard(base, "GM0599"), "nl")
    assert formversion.outdated(pkg.plans, base) is not None                 # what the plugin compared with
    assert "zh_categorie_planlijst" in layer_standard(base, pkg.plans).field_names
    assert formversion.outdated(pkg.plans, layer_standard(base, pkg.plans)) is None
    utrecht = create_package(str(tmp_path / "u.gpkg"), "GM0344", new_layer_standard(base, "GM0344"), "nl")
    assert layer_standard(base, utrecht.plans) is base
    settings.set_provincie("lmvw")                                            # chosen: the plugin's standard
    assert layer_standard(base, pkg.plans) is base


def test_the_export_dialog_shows_the_formats_export_checks_before_writing(qgis_new_project, clean_settings,
                                                                          tmp_path):
    """Gelderland's Int16 fields: a count that does not fit is named in the summary before anything is written
    (before, it came only as a refusal at write time); the LMVW package has no such limit."""
    import numpy as np
    from shapely.geometry import MultiPolygon, box

    from conftest import make_plan
    from lmvw_plugin.delivery.writers import write_gpkg
    from lmvw_plugin.gui.dialogs import ExportDialog
    from lmvw_plugin.rules.table import FaseringTable, PlanTable
    s = extend(load(), "gelderland")
    rec = make_plan(gemeentecode="GM0202", woonplaats="Arnhem", opdrachtgever_type="gemeente",
                    nultredenwoningen=40000)
    t = PlanTable.from_records(s, [rec], [MultiPolygon([box(190000, 440000, 190100, 440100)])])
    f = FaseringTable.from_records(s, [{"plan_id": rec["plan_id"], "jaar": 2027, "aantal": 40, "sloop": 0}])
    path = str(tmp_path / "arnhem.gpkg")
    write_gpkg(path, s, s.fields, t.columns, t.geometry, f, np.arange(f.n), only_polygons=False)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    settings.set_gemeentecode("GM0202")
    settings.set_folder(str(tmp_path))
    dlg = ExportDialog(None, load(), layer)
    dlg.peildatum.setDate(QDate(2026, 10, 1))
    dlg.format.setCurrentIndex(dlg.format.findData("gelderland"))
    dlg.refresh()
    text = dlg.summary.text()
    title = next(c for c in load_province("gelderland").export_checks if c["code"] == "PGLD10")["title"]
    assert f"PGLD10 {title[language()]}: 1" in text, text           # the export check, with its title
    assert not dlg.ok.isEnabled()
    dlg.concept.setChecked(True)                                     # a concept may have errors, but this one
    assert dlg.errors >= 1                                           # is counted like every other error
    dlg.format.setCurrentIndex(dlg.format.findData("lmvw"))
    dlg.refresh()
    assert "PGLD10" not in dlg.summary.text()
    assert all(p.name.startswith("arnhem.gpkg") for p in tmp_path.iterdir())   # nothing written


def test_the_export_dialog_offers_the_formats_own_options(qgis_new_project, clean_settings, tmp_path):
    """Under *Formaat* the chosen format's options from its profile: Gelderland's template (a file), Zuid-Holland's
    RFC 7946 variant (a box); none for the LMVW package. What is chosen goes to the writer."""
    from qgis.gui import QgsFileWidget
    from qgis.PyQt.QtWidgets import QCheckBox

    from lmvw_plugin.gui.dialogs import ExportDialog
    path = zh_gpkg(tmp_path / "p.gpkg")
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    QgsProject.instance().addMapLayer(layer)
    settings.set_folder(str(tmp_path))
    dlg = ExportDialog(None, load(), layer)
    dlg.format.setCurrentIndex(dlg.format.findData("gelderland"))
    template = dlg.findChild(QgsFileWidget, "formatOption_template")
    assert template is not None and dlg.findChild(QCheckBox, "formatOption_rfc7946") is None
    assert dlg.values()["options"] == {}                           # optional: nothing chosen, nothing passed
    template.setFilePath(str(tmp_path / "Gelderland.gdb.zip"))
    assert dlg.values()["options"] == {"template": str(tmp_path / "Gelderland.gdb.zip")}
    dlg.format.setCurrentIndex(dlg.format.findData("zuid-holland"))
    box = dlg.findChild(QCheckBox, "formatOption_rfc7946")
    assert box is not None and dlg.findChild(QgsFileWidget, "formatOption_template") is None
    box.setChecked(True)
    assert dlg.values()["options"] == {"rfc7946": True}
    dlg.format.setCurrentIndex(dlg.format.findData("lmvw"))
    assert dlg.values()["options"] == {} and not dlg.findChildren(QCheckBox, "formatOption_rfc7946")
