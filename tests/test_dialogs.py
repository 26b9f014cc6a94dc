"""The plugin's dialogs: what they refuse, what they show before anything is written."""
from __future__ import annotations

import os

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDate

from lmvw_plugin.gui import settings
from lmvw_plugin.standard import load
from pkg_util import clean_plans, write_plans

S = load()


@pytest.fixture(autouse=True)
def dutch(qgis_app):
    from lmvw_plugin.i18n import install_translator, remove_translator
    install_translator("nl_NL")
    yield
    remove_translator()


@pytest.fixture
def clean_settings():
    from qgis.core import QgsSettings
    old = (settings.gemeentecode(), settings.folder())
    settings.set_gemeentecode("")
    QgsSettings().remove(settings.PREFIX + "background_map")     # the default
    yield
    QgsSettings().remove(settings.PREFIX + "background_map")
    settings.set_gemeentecode(old[0])
    settings.set_folder(old[1])


def test_settings_dialog_stores_gemeente_and_folder(clean_settings, tmp_path):
    from lmvw_plugin.gui.dialogs import SettingsDialog
    dlg = SettingsDialog(S)
    assert dlg.gemeente.count() == 342
    dlg.gemeente.setEditText("Utrecht (GM0344)")
    dlg.folder.setFilePath(str(tmp_path))
    dlg._accept()
    assert settings.gemeentecode() == "GM0344" and settings.folder() == str(tmp_path)
    assert dlg.backgroundMap.isChecked() and settings.background_map()          # on by default
    dlg = SettingsDialog(S)
    dlg.backgroundMap.setChecked(False)
    dlg._accept()
    assert settings.background_map() is False
    dlg = SettingsDialog(S)
    dlg.gemeente.setEditText("Atlantis")
    dlg._accept()
    assert "GM" in dlg.hint.text() and settings.gemeentecode() == "GM0344"


def test_gemeente_combo_accepts_code_name_or_list_entry():
    from qgis.PyQt.QtWidgets import QComboBox
    combo = QComboBox()
    combo.setEditable(True)
    settings.fill_gemeente_combo(combo, S, None)
    for text, code in (("Amsterdam (GM0363)", "GM0363"), ("gm0344", "GM0344"), ("utrecht", "GM0344"),
                       ("GM9999", "GM9999"), ("Nergenshuizen", "")):
        combo.setEditText(text)
        assert settings.combo_gemeentecode(combo, S) == code, text


def test_new_layer_dialog_refuses_existing_file(clean_settings, tmp_path):
    from lmvw_plugin.gui.dialogs import NewLayerDialog
    existing = tmp_path / "plans.gpkg"
    existing.write_bytes(b"keep")
    dlg = NewLayerDialog(S)
    dlg.file.setFilePath(str(existing))
    dlg.gemeente.setEditText("Utrecht (GM0344)")
    dlg._accept()
    assert "bestaat al" in dlg.problem.text() and dlg.result() == 0
    assert existing.read_bytes() == b"keep"
    dlg.file.setFilePath(str(tmp_path / "nieuw"))
    dlg._accept()
    assert dlg.path == str(tmp_path / "nieuw.gpkg") and dlg.code == "GM0344"
    assert settings.gemeentecode() == "GM0344"          # the first gemeente chosen becomes the default


def export_dialog(tmp_path, records, geometries, fasering=()):
    from lmvw_plugin.gui.dialogs import ExportDialog
    path = write_plans(tmp_path / "p.gpkg", records, geometries, fasering)
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fas])
    settings.set_gemeentecode("GM0344")
    settings.set_folder(str(tmp_path))
    dlg = ExportDialog(None, S, layer)
    dlg.peildatum.setDate(QDate(2026, 10, 1))
    dlg.refresh()
    return dlg, layer


def test_export_dialog_summary_and_ok(qgis_new_project, clean_settings, tmp_path):
    plans = clean_plans(12, seed=21)
    plans.records[0].update(planstatus="5B", vertrouwelijkheid="gemeente", vertrouwelijk_reden="x")
    plans.records[1].update(planstatus="3", vertrouwelijkheid="gemeente", vertrouwelijk_reden="y")
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    text = dlg.summary.text()
    internal = sum(r["planstatus"] in ("5A", "5B") for r in plans.records)
    conf = sum(r["planstatus"] not in ("5A", "5B") and r["vertrouwelijkheid"] == "gemeente" for r in plans.records)
    assert f"{12 - internal - conf} plannen worden geleverd" in text and "0 fouten" in text
    assert f"{conf} vertrouwelijk{'e' if conf != 1 else ''} plan" in text
    assert f"{internal} plannen met planstatus 5A/5B" in text
    assert dlg.ok.isEnabled() and not dlg.concept.isEnabled()
    assert dlg.target_path().endswith("lmvw_GM0344_" + dlg.uitvraag.text() + ".zip")
    assert "Levering" in dlg.windowTitle() or "levering" in dlg.windowTitle()
    dlg.profile.setCurrentIndex(dlg.profile.findData("openbaar"))
    assert "openbaar" in dlg.profileExplanation.text().lower()
    dlg.uitvraag.setText("najaar")
    dlg.refresh()
    assert not dlg.ok.isEnabled() and "2026-najaar" in dlg.summary.text()


def test_export_dialog_errors_need_concept(qgis_new_project, clean_settings, tmp_path):
    plans = clean_plans(6, seed=22)
    plans.records[2]["eengezins"] += 4
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    assert "1 fout," in dlg.summary.text() and "1 fouten" not in dlg.summary.text()
    assert not dlg.ok.isEnabled() and dlg.concept.isEnabled()
    dlg.concept.setChecked(True)
    assert dlg.ok.isEnabled()


def test_export_dialog_refuses_unsaved_edits(qgis_new_project, clean_settings, tmp_path):
    plans = clean_plans(4, seed=23)
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    assert dlg.ok.isEnabled()
    layer.startEditing()
    layer.changeAttributeValue(next(layer.getFeatures()).id(), layer.fields().indexOf("plannaam"), "Nieuw")
    dlg.refresh()
    assert not dlg.ok.isEnabled() and "niet-opgeslagen" in dlg.summary.text().replace("niet opgeslagen",
                                                                                    "niet-opgeslagen")
    layer.rollBack()


def test_export_dialog_escapes_layer_names(qgis_new_project, clean_settings, tmp_path):
    plans = clean_plans(3, seed=24)
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    layer.setName("<b>plannen</b>")
    layer.startEditing()
    layer.changeAttributeValue(next(layer.getFeatures()).id(), layer.fields().indexOf("plannaam"), "x")
    dlg.refresh()
    assert "&lt;b&gt;plannen&lt;/b&gt;" in dlg.summary.text()
    layer.rollBack()
    assert os.path.isdir(str(tmp_path))


def test_export_button_accepts_the_dialog(qgis_new_project, clean_settings, tmp_path):
    """Pressing Exporteren closes the dialog as accepted (the export starts); while the summary
    blocks it, it does nothing."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest
    from qgis.PyQt.QtWidgets import QDialog
    plans = clean_plans(3, seed=25)
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    dlg.show()
    assert dlg.ok.text() == "Exporteren" and dlg.ok.isEnabled()
    dlg.uitvraag.setText("najaar")                 # not yet re-checked: the click checks first
    QTest.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.result() == 0 and "2026-najaar" in dlg.summary.text()
    dlg.uitvraag.setText("2026-najaar")
    dlg.refresh()
    QTest.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted and not dlg.isVisible()


def test_export_dialog_refuses_a_delivery_without_plans(qgis_new_project, clean_settings, tmp_path):
    """A package of 0 plans would replace the previous one without a word: Export stays disabled
    and the dialog says why."""
    plans = clean_plans(3, seed=26)
    for r in plans.records:
        r.update(planstatus="5A", vertrouwelijkheid="gemeente", vertrouwelijk_reden="intern")
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    assert not dlg.ok.isEnabled()
    text = dlg.summary.text()
    assert "Geen van de 3 plannen in de laag zou worden geleverd" in text and "niets geschreven" in text
    (tmp_path / "leeg").mkdir()
    empty, _ = export_dialog(tmp_path / "leeg", [], [])
    assert not empty.ok.isEnabled() and "De laag heeft geen plannen" in empty.summary.text()


def test_export_dialog_names_the_errors_per_rule_and_what_counts_only_here(qgis_new_project, clean_settings,
                                                                          tmp_path):
    plans = clean_plans(6, seed=27)
    plans.records[0]["eengezins"] += 4                                  # R04, delivered
    plans.records[1]["eengezins"] += 4
    plans.records[2].update(planstatus="5B", vertrouwelijkheid="gemeente", vertrouwelijk_reden="x")
    plans.records[2]["eengezins"] += 4                                  # R04 of a plan that is not delivered
    dlg, layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    text = dlg.summary.text()
    assert "2 fouten" in text, text.replace("<br>", "\n")
    assert f"R04 {S.rule_by_code['R04'].title_text(dlg.lang)}: 2 × fout" in text    # the rule's short text
    assert "Alleen bij het exporteren gecontroleerd" in text and "C05" in text
    assert "1 bevinding in het paneel telt hier niet mee" in text and "(R04)" in text
    assert dlg.dockButton.isVisibleTo(dlg)
    dlg.show()
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest
    QTest.mouseClick(dlg.dockButton, Qt.MouseButton.LeftButton)
    assert dlg.open_dock and dlg.result() == 0 and not dlg.isVisible()


@pytest.mark.skipif(not os.path.isdir("/proc") or not os.access("/proc", os.W_OK),
                    reason="needs a folder that os.access calls writable and that is not (/proc as root)")
def test_dialogs_refuse_a_folder_only_os_access_calls_writable(qgis_new_project, clean_settings, tmp_path):
    """Root may 'write' anywhere by os.access, also on /proc or a read-only mount: the dialogs ask the
    delivery's own probe (create a file), so the user hears it before she fills in the rest."""
    from lmvw_plugin.gui.dialogs import NewLayerDialog
    dlg = NewLayerDialog(S)
    dlg.file.setFilePath("/proc/plannen.gpkg")
    dlg.gemeente.setEditText("Utrecht (GM0344)")
    dlg._accept()
    assert "Kan niet schrijven in /proc" in dlg.problem.text() and dlg.result() == 0 and not dlg.path
    plans = clean_plans(3, seed=24)
    export, _layer = export_dialog(tmp_path, plans.records, plans.geometries, plans.fasering)
    assert export.ok.isEnabled()
    export.folder.setFilePath("/proc")
    export.refresh()
    assert not export.ok.isEnabled() and "Kan niet schrijven in /proc" in export.summary.text()
