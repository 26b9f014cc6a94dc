"""Issue 11 in QGIS (pytest-qgis): the changes layer, Processing lmvw:diff, the export dialog's
*Vergelijk met vorige levering* and the V rules in the dock."""
from __future__ import annotations

import datetime as _dt
import json
import os

import pytest
from diff_util import GM, IDX, S, current_records, fasering, pid, previous_records, table
from qgis.core import QgsProject, QgsVectorLayer

from lmvw_plugin.delivery.compare import Delivery, compare, layer_delivery
from lmvw_plugin.delivery.package import export
from pkg_util import write_plans


@pytest.fixture(autouse=True)
def dutch(qgis_app):
    from lmvw_plugin.i18n import install_translator, remove_translator
    install_translator("nl_NL")
    yield
    remove_translator()


@pytest.fixture(scope="module")
def provider(qgis_processing):
    from qgis_util import lmvw_provider
    return lmvw_provider()


@pytest.fixture
def previous_zip(tmp_path):
    pr, pg, pf = previous_records()
    out = os.path.join(str(tmp_path), f"lmvw_{GM}_2026-voorjaar.zip")
    export(table(pr, pg), fasering(pf), out, gemeente=GM, uitvraag="2026-voorjaar", peildatum=_dt.date(2026, 4, 1),
           profile="provincie", concept=True, standard=S)
    return out


def current_layer(tmp_path):
    cr, cg, cf = current_records()
    path = write_plans(tmp_path / "nu.gpkg", cr, cg, [{"plan_id": p, "jaar": y, "aantal": a} for p, y, a in cf])
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    assert layer.isValid() and fas.isValid()
    QgsProject.instance().addMapLayers([layer, fas])
    return layer


def test_changes_layer_is_styled_by_kind_with_the_previous_outline(qgis_new_project):
    from lmvw_plugin.layers.changes import changes_layer
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    ch = compare(S, Delivery(table(pr, pg), fasering(pf), "2026-voorjaar"),
                 layer_delivery(S, table(cr, cg), fasering(cf)))
    layer = changes_layer(ch)
    assert layer.isValid() and layer.name() == "Wijzigingen sinds 2026-voorjaar"
    rows = [(f["plannaam"], f["soort"], f["geometrie"]) for f in layer.getFeatures()]
    assert sorted(r for r in rows if r[2] == "vorige") == [("Plan K", "gewijzigd", "vorige"),
                                                           ("Plan L", "gewijzigd", "vorige"),
                                                           ("Plan M", "verdwenen", "vorige"),
                                                           ("Plan N", "verdwenen", "vorige")]
    assert len([r for r in rows if r[2] == "nu"]) == 13                 # 12 changed + 1 new, unchanged left out
    assert all(not f.geometry().isEmpty() for f in layer.getFeatures())
    k = {f["geometrie"]: f.geometry().centroid().asPoint().x() for f in layer.getFeatures()
         if f["plannaam"] == "Plan K"}
    assert k["nu"] - k["vorige"] == pytest.approx(10)
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol"
    assert {c.value() for c in renderer.categories()} == {"nieuw", "gewijzigd", "verdwenen", "vorige"}


def test_processing_diff(provider, qgis_new_project, previous_zip, tmp_path):
    import processing
    layer = current_layer(tmp_path)
    out_json = str(tmp_path / "changes.json")
    res = processing.run("lmvw:diff", {"PREVIOUS": previous_zip, "INPUT": layer, "OUTPUT": "memory:",
                                       "JSON": out_json})
    assert (res["NIEUW"], res["VERDWENEN"], res["GEWIJZIGD"], res["ONGEWIJZIGD"], res["VERTRAGING"]) == \
        (1, 2, 12, 2, 20)
    out = res["OUTPUT"]
    if isinstance(out, str):
        out = QgsProject.instance().mapLayer(out)
    assert {f["soort"] for f in out.getFeatures()} == {"nieuw", "verdwenen", "gewijzigd"}
    with open(out_json, encoding="utf-8") as fh:
        assert sorted(f["rule"] for f in json.load(fh)["findings"]) == ["V01", "V02", "V03", "V04", "V05"]


def test_processing_diff_never_writes_its_json_over_the_previous_delivery(provider, qgis_new_project,
                                                                         previous_zip, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    from pkg_util import sha256
    layer = current_layer(tmp_path)
    before = sha256(previous_zip), sha256(tmp_path / "nu.gpkg")
    for target in (previous_zip, str(tmp_path / "nu.gpkg")):
        with pytest.raises(QgsProcessingException, match="kies een andere naam voor het JSON-bestand"):
            processing.run("lmvw:diff", {"PREVIOUS": previous_zip, "INPUT": layer, "OUTPUT": "memory:",
                                         "JSON": target})
    assert (sha256(previous_zip), sha256(tmp_path / "nu.gpkg")) == before


def test_processing_diff_refuses_a_damaged_package(provider, qgis_new_project, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    layer = current_layer(tmp_path)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(QgsProcessingException) as e:
        processing.run("lmvw:diff", {"PREVIOUS": str(bad), "INPUT": layer, "OUTPUT": "memory:"})
    assert "kan niet worden vergeleken" in str(e.value)


def dispose(dlg) -> None:
    """Delete the dialog now: its lambdas keep it alive, connected to the project's layers."""
    from qgis.PyQt.QtCore import QCoreApplication, QEvent
    dlg.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_export_dialog_proposes_the_last_package_of_the_layer(qgis_new_project, previous_zip, tmp_path):
    from lmvw_plugin.gui import previous as prev_mod
    from lmvw_plugin.gui.dialogs import ExportDialog
    layer = current_layer(tmp_path)
    dlg = ExportDialog(None, S, layer)
    assert not dlg.previous.check.isChecked() and dlg.values()["previous"] == ""       # nothing remembered yet
    dispose(dlg)
    prev_mod.remember(layer, previous_zip)
    assert layer.customProperty(prev_mod.PROPERTY) == os.path.abspath(previous_zip)
    dlg = ExportDialog(None, S, layer)
    assert dlg.previous.check.isChecked() and dlg.values()["previous"] == os.path.abspath(previous_zip)
    other = tmp_path / "andere.zip"
    dlg.previous.file.setFilePath(str(other))                      # any zip can be chosen
    assert dlg.values()["previous"] == str(other)
    dlg.previous.check.setChecked(False)
    assert dlg.values()["previous"] == ""
    dispose(dlg)
    os.remove(previous_zip)                                        # a package that is gone is not proposed
    assert prev_mod.remembered(layer) == ""


def test_load_previous_says_why_a_package_cannot_be_used(tmp_path):
    from lmvw_plugin.gui.previous import load_previous
    bad = tmp_path / "kapot.zip"
    bad.write_bytes(b"junk")
    delivery, why = load_previous(str(bad), S, "nl")
    assert delivery is None and "kapot.zip" in why and "niets geëxporteerd" in why
    assert load_previous("", S, "nl") == (None, None)


def test_after_an_export_with_a_previous_delivery_the_map_and_the_dock(qgis_iface, qgis_new_project, previous_zip,
                                                                       tmp_path, monkeypatch):
    from unittest.mock import MagicMock

    from lmvw_plugin.delivery.compare_read import read_package
    from lmvw_plugin.gui.dock import ValidationDock
    from lmvw_plugin.gui.previous import show_changes
    from lmvw_plugin.layers.reader import read_plan_layer
    monkeypatch.setattr(qgis_iface, "openFeatureForm", MagicMock(name="openFeatureForm"), raising=False)
    layer = current_layer(tmp_path)
    plans = read_plan_layer(layer, S)
    out = tmp_path / "nieuw"
    out.mkdir()
    result = export(plans, None, str(out / "p.zip"), gemeente=GM, uitvraag="2026-najaar",
                    peildatum=_dt.date(2026, 10, 1), concept=True, standard=S, previous=read_package(previous_zip, S))
    assert result.changes is not None
    dock = ValidationDock(qgis_iface, S)
    try:
        show_changes(qgis_iface, dock, layer, result)
        show_changes(qgis_iface, dock, layer, result)              # once more: replaces, does not pile up
        layers = QgsProject.instance().mapLayersByName("Wijzigingen sinds 2026-voorjaar")
        assert len(layers) == 1 and layers[0].featureCount() > 0
        v = {f.rule: f for f in dock.model.findings if f.rule.startswith("V")}
        assert set(v) == {"V01", "V02", "V03", "V04", "V05"}
        assert v["V02"].plan_id == pid(IDX["F"]) and v["V02"].fid is not None      # double-click opens it
        assert dock.rule_combo.findData("V02") >= 0                                 # and the rule filter has it
    finally:
        dock.unload()
        dock.deleteLater()


def _summary_after_validation(dlg) -> str:
    dlg.refresh()
    return dlg.summary.text()


def test_the_export_dialogs_summary_shows_the_v_findings_before_writing(qgis_new_project, previous_zip, tmp_path):
    """With a previous delivery chosen, the summary before anything is written counts and lists the V
    rules' findings (as the export will), and says what changed; without it, none; an unusable
    package says why and blocks Export."""
    from lmvw_plugin.gui import previous as prev_mod
    from lmvw_plugin.gui.dialogs import ExportDialog
    layer = current_layer(tmp_path)
    prev_mod.remember(layer, previous_zip)
    dlg = ExportDialog(None, S, layer)
    try:
        dlg.gemeente.setEditText(GM)
        dlg.folder.setFilePath(str(tmp_path))
        dlg.concept.setChecked(True)
        with_v = _summary_after_validation(dlg)
        for code in ("V01", "V02", "V03", "V04", "V05"):
            assert code in with_v, code
        note = dlg.previous.note.text()
        assert "Vergeleken met de levering 2026-voorjaar: 1 nieuw, 2 verdwenen, 12 gewijzigd" in note
        warnings_with = int(with_v.split(" waarschuwing")[0].rsplit(" ", 1)[-1])
        dlg.previous.check.setChecked(False)
        without = _summary_after_validation(dlg)
        assert "V01" not in without and "V05" not in without
        warnings_without = int(without.split(" waarschuwing")[0].rsplit(" ", 1)[-1])
        assert warnings_with == warnings_without + 5                # one finding of each V rule
        bad = tmp_path / "kapot.zip"
        bad.write_bytes(b"PK\x03\x04 junk")
        dlg.previous.check.setChecked(True)
        dlg.previous.file.setFilePath(str(bad))
        text = _summary_after_validation(dlg)
        assert "kapot.zip" in text and "V01" not in text and not dlg.ok.isEnabled()
    finally:
        dispose(dlg)


def test_editing_in_the_dock_reruns_the_v_rules_of_the_edited_plan(qgis_iface, qgis_new_project, previous_zip,
                                                                   tmp_path, monkeypatch):
    """After an export with a previous delivery: correcting Plan F's realised dwellings (V02) takes
    its finding away, making Plan G soft (it was hard) adds V03; the other V findings stay."""
    from unittest.mock import MagicMock

    from lmvw_plugin.delivery.compare_read import read_package
    from lmvw_plugin.gui.dock import ValidationDock
    from lmvw_plugin.gui.previous import show_changes
    from lmvw_plugin.layers.reader import read_plan_layer
    from qgis_util import wait_for
    monkeypatch.setattr(qgis_iface, "openFeatureForm", MagicMock(name="openFeatureForm"), raising=False)
    layer = current_layer(tmp_path)
    out = tmp_path / "nieuw"
    out.mkdir()
    result = export(read_plan_layer(layer, S), None, str(out / "p.zip"), gemeente=GM, uitvraag="2026-najaar",
                    peildatum=_dt.date(2026, 10, 1), concept=True, standard=S, previous=read_package(previous_zip, S))
    dock = ValidationDock(qgis_iface, S)
    app = __import__("qgis.core", fromlist=["QgsApplication"]).QgsApplication.instance()
    try:
        show_changes(qgis_iface, dock, layer, result)
        assert wait_for(app, lambda: dock.state is not None and dock.task is None)

        def v_rules():
            return sorted(f.rule for f in dock.model.findings if f.rule.startswith("V"))
        before = v_rules()
        assert {"V02", "V03", "V04", "V05"} <= set(before)
        feats = {f["plannaam"]: f for f in layer.getFeatures()}
        layer.startEditing()
        layer.changeAttributeValue(feats["Plan F"].id(), layer.fields().indexOf("aantal_gerealiseerd"), 10)
        assert wait_for(app, lambda: "V02" not in v_rules())
        assert sorted(before.copy()) == sorted(v_rules() + ["V02"])
        layer.changeAttributeValue(feats["Plan G"].id(), layer.fields().indexOf("planstatus"), "3")
        assert wait_for(app, lambda: v_rules().count("V03") == before.count("V03") + 1)
        v03 = [f for f in dock.model.findings if f.rule == "V03" and f.fid == feats["Plan G"].id()]
        assert len(v03) == 1 and v_rules().count("V04") == before.count("V04")
        layer.rollBack()
    finally:
        dock.unload()
        dock.deleteLater()


def test_processing_diff_with_gelderlands_file_as_the_previous_delivery(provider, qgis_new_project, tmp_path):
    import processing
    from diff_util import geom, record
    from test_diff_province import province_file
    recs = [record(i, plannaam=f"Plan {i:02d}", gemeentecode="GM0202") for i in range(4)]
    fas = [{"plan_id": r["plan_id"], "jaar": 2027, "aantal": 20} for r in recs]
    folder = tmp_path / "gld"
    folder.mkdir()
    prev = province_file(folder, "gelderland", "GM0202", "lmvw_GM0202_2026-voorjaar.gdb.zip", recs,
                         [geom(i) for i in range(4)], fas)
    now = recs[:3]
    path = write_plans(tmp_path / "nu.gpkg", now, [geom(i) for i in range(3)], fas[:3])
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fl = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([layer, fl])
    res = processing.run("lmvw:diff", {"PREVIOUS": prev, "INPUT": layer, "OUTPUT": "memory:"})
    assert (res["NIEUW"], res["VERDWENEN"], res["GEWIJZIGD"], res["ONGEWIJZIGD"]) == (0, 1, 0, 3)
