"""Import in QGIS: the dialog (read as a task, mapping, preview, into the edit buffer, undo) and
Processing's lmvw:import."""
from __future__ import annotations

import json
import os

import pytest
from shapely.geometry import box

from conftest import make_plan
from lmvw_plugin.layers.writer import add_records
from lmvw_plugin.standard import load
from pkg_util import sha256

S = load()
ID = "11111111-2222-4333-8444-000000000001"


@pytest.fixture(autouse=True)
def dutch(qgis_app):
    from lmvw_plugin.i18n import install_translator, remove_translator
    install_translator("nl_NL")
    yield
    remove_translator()


def package_with_one_plan(tmp_path):
    from qgis_util import new_package
    pkg = new_package(tmp_path)
    rec = make_plan(plan_id=ID, plannaam="Centrum")
    assert add_records(pkg.plans, [rec], [box(130000, 450000, 130100, 450100)])
    return pkg


def test_dialog_reads_maps_previews_and_imports_into_the_edit_buffer(qgis_app, qgis_new_project, tmp_path):
    from lmvw_plugin.gui.import_dialog import ImportDialog
    from qgis_util import wait_for
    pkg = package_with_one_plan(tmp_path)
    saved = sha256(pkg.path)
    csv = tmp_path / "plannen.csv"
    csv.write_text("Naam project,Gemeente,Status,Bruto plancapaciteit,plan_id,WKT\n"
                   f"Centrum,GM0344,2A. Vastgesteld,40,{ID},\n"
                   "Nieuw,GM0344,3,12,,\"POLYGON((131000 451000,131100 451000,131100 451100,131000 451000))\"\n",
                   encoding="utf-8")
    dlg = ImportDialog(S, pkg.plans)
    dlg.file.setFilePath(str(csv))
    assert dlg.format.currentData() == "table"
    dlg.start_read()                                      # a QgsTask
    assert wait_for(qgis_app, lambda: dlg.source is not None or "Kan" in dlg.status.text())
    m = dlg.mapping()
    assert m.fields.get("Status") == "planstatus" and "Naam project" not in m.fields
    dlg.set_field("Naam project", "plannaam")              # the user corrects the proposal
    assert dlg.make_preview()
    acts = {a.plannaam: a for a in dlg.preview.actions}
    assert acts["Centrum"].action == "update" and acts["Centrum"].changes == {"planstatus": ("3", "2A")}
    assert acts["Nieuw"].action == "new"
    assert dlg.plans_table.rowCount() == 2 and dlg.ok.isEnabled()
    dlg.ok.click()
    assert dlg.applied == {"new": 1, "updated": 1, "fasering": 0}
    layer = pkg.plans
    assert layer.isEditable() and layer.featureCount() == 2
    values = {f["plannaam"]: f for f in layer.getFeatures()}
    assert values["Centrum"]["planstatus"] == "2A" and values["Nieuw"]["gemeentecode"] == "GM0344"
    assert not values["Nieuw"].geometry().isNull()
    assert sha256(pkg.path) == saved                      # nothing saved: the edit buffer only
    layer.undoStack().undo()                              # one undo step takes the import back
    assert layer.featureCount() == 1
    assert next(layer.getFeatures())["planstatus"] == "3"
    layer.rollBack()
    dlg.deleteLater()


def test_dialog_lets_her_map_the_values_that_match_no_code(qgis_app, qgis_new_project, tmp_path, monkeypatch):
    """A source value that matches no code is listed with the field's codes to choose from; her choice is used
    by the preview and saved in the mapping file; what she leaves stays empty and is a problem, never guessed."""
    from lmvw_plugin.gui import import_dialog
    from lmvw_plugin.gui.import_dialog import ImportDialog
    pkg = package_with_one_plan(tmp_path)
    csv = tmp_path / "plannen.csv"
    def square(x):
        return f'"POLYGON(({x} 451000,{x + 100} 451000,{x + 100} 451100,{x} 451000))"'
    csv.write_text("plannaam,gemeentecode,planstatus,bruto_plancapaciteit,WKT\n"
                   f"Noord,GM0344,Harde plannen,10,{square(131000)}\n"
                   f"Zuid,GM0344,Idee,12,{square(132000)}\n"
                   f"West,GM0344,2A. Vastgesteld,5,{square(133000)}\n", encoding="utf-8")
    dlg = ImportDialog(S, pkg.plans)
    dlg.file.setFilePath(str(csv))
    _read(dlg, qgis_app)
    assert dlg.source is not None, dlg.status.text()
    t = dlg.values_table
    listed = {t.item(r, 1).text() for r in range(t.rowCount())}
    assert listed == {"Harde plannen", "Idee"}                   # "2A. Vastgesteld" maps by itself
    assert "2 van 2" in dlg.unmapped.text()
    codes = [t.cellWidget(0, 2).itemData(i) for i in range(t.cellWidget(0, 2).count())]
    assert codes == [""] + S.codes("planstatus")
    dlg.set_value("planstatus", "Harde plannen", "1A")
    assert "1 van 2" in dlg.unmapped.text()
    assert dlg.make_preview()
    new = {a.plannaam: a for a in dlg.preview.actions}
    assert new["Noord"].values["planstatus"] == "1A" and new["West"].values["planstatus"] == "2A"
    assert not new["Zuid"].values.get("planstatus")              # left: empty, and a problem
    assert [(p.value, p.field) for p in dlg.preview.problems if p.field == "planstatus"] == [("Idee", "planstatus")]
    saved = tmp_path / "map.json"
    monkeypatch.setattr(import_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    dlg.save_mapping_button.click()
    assert json.loads(saved.read_text(encoding="utf-8"))["values"] == {"planstatus": {"Harde plannen": "1A"}}
    # never over the source or the plan layer's GeoPackage (a save dialog's "replace?" answered yes)
    for target in (csv, pkg.path, str(pkg.path) + "-wal"):
        before = sha256(target) if os.path.exists(target) else None
        monkeypatch.setattr(import_dialog.QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        dlg.save_mapping_button.click()
        assert "kies een andere naam voor de koppeling" in dlg.status.text(), dlg.status.text()
        assert (sha256(target) if os.path.exists(target) else None) == before
    dlg.deleteLater()


def test_a_provinces_file_is_mapped_with_the_provinces_fields(qgis_app, qgis_new_project, tmp_path):
    """The plugin works with the Basisset (no province chosen); a Zuid-Holland file imported into a
    Rotterdam layer keeps the province's fields: they are in the mapping and in the edit buffer."""
    import subprocess
    import sys

    from qgis.core import QgsProject
    from test_cli_province import zh_gpkg

    from lmvw_plugin.gui.import_dialog import ImportDialog
    from lmvw_plugin.layers.create import create_package
    from lmvw_plugin.standard.provinces import extend
    from qgis_util import wait_for
    src = zh_gpkg(tmp_path / "bron.gpkg")
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "export", src, "--uitvraag", "2026-voorjaar",
                        "--peildatum", "2026-04-01", "--format", "zuid-holland", "-o", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    pkg = create_package(str(tmp_path / "rotterdam.gpkg"), "GM0599", extend(S, "zuid-holland"), "nl",
                         project=QgsProject.instance())
    dlg = ImportDialog(S, pkg.plans)
    dlg.file.setFilePath(str(tmp_path / "lmvw_GM0599_2026-voorjaar.pzh.geojson"))
    assert dlg.format.currentData() == "zuid-holland" and dlg.format.currentText().startswith("Zuid-Holland")
    dlg.start_read()
    assert wait_for(qgis_app, lambda: dlg.task is None)
    m = dlg.mapping()
    assert m.fields.get("zh_categorie_planlijst") == "zh_categorie_planlijst", m.fields
    assert dlg.make_preview(), dlg.status.text()
    dlg.ok.click()
    (plan,) = pkg.plans.getFeatures()
    assert plan["zh_categorie_planlijst"] == "2 reserveplannen" and plan["zh_regio"] == "Rotterdam"
    import datetime as _dt
    assert plan["prijspeil_jaar"] == _dt.date.today().year          # not in the format: the default
    pkg.plans.rollBack()
    dlg.deleteLater()


def test_dialog_says_why_a_source_cannot_be_read(qgis_app, qgis_new_project, tmp_path):
    from lmvw_plugin.gui.import_dialog import ImportDialog
    from qgis_util import wait_for
    pkg = package_with_one_plan(tmp_path)
    bad = tmp_path / "kapot.gpkg"
    bad.write_bytes(b"niets")
    dlg = ImportDialog(S, pkg.plans)
    dlg.file.setFilePath(str(bad))
    dlg.start_read()
    assert wait_for(qgis_app, lambda: dlg.task is None)
    assert dlg.source is None and "kapot.gpkg" in dlg.status.text() and not dlg.ok.isEnabled()
    dlg.deleteLater()


def _other_plans(tmp_path, n=3):
    """A second plan file (another municipality's export, say) to bring in as a layer of the project."""
    from pkg_util import write_plans
    recs = [make_plan(plan_id=f"11111111-2222-4333-8444-00000000010{i}", plannaam=f"Elders {i}") for i in range(n)]
    geoms = [box(132000 + 200 * i, 452000, 132100 + 200 * i, 452100) for i in range(n)]
    return write_plans(tmp_path / "elders.gpkg", recs, geoms)


def _read(dlg, qgis_app):
    from qgis_util import wait_for
    dlg.start_read()
    assert wait_for(qgis_app, lambda: dlg.task is None)


def test_dialog_imports_a_layer_of_the_project(qgis_app, qgis_new_project, tmp_path):
    """The source can be a layer already in the project, not only a file: its stored table is read."""
    from qgis.core import QgsProject, QgsVectorLayer

    from lmvw_plugin.gui.import_dialog import ImportDialog
    pkg = package_with_one_plan(tmp_path)
    path = _other_plans(tmp_path)
    other = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "plannen elders", "ogr")
    QgsProject.instance().addMapLayer(other)
    dlg = ImportDialog(S, pkg.plans)
    dlg.source_layer.setLayer(other)
    assert dlg.format.currentData() == "table"             # detected from the layer's file
    _read(dlg, qgis_app)
    assert dlg.source is not None and dlg.source.n == 3, dlg.status.text()
    assert "plannen elders" in dlg.status.text()
    assert dlg.make_preview()
    assert sorted(a.action for a in dlg.preview.actions) == ["new"] * 3
    dlg.ok.click()
    assert dlg.applied["new"] == 3 and pkg.plans.featureCount() == 4
    assert other.featureCount() == 3                        # the source is only read
    dlg.file.setFilePath(path)                             # a file chosen replaces the layer
    assert dlg.source_layer.currentLayer() is None
    pkg.plans.rollBack()
    dlg.deleteLater()


def test_dialog_says_why_a_layer_cannot_be_the_source(qgis_app, qgis_new_project, tmp_path):
    from qgis.core import QgsFeature, QgsProject, QgsVectorLayer

    from lmvw_plugin.gui.import_dialog import ImportDialog
    pkg = package_with_one_plan(tmp_path)
    memory = QgsVectorLayer("Polygon?crs=EPSG:28992&field=plannaam:string", "kladlaag", "memory")
    other = QgsVectorLayer(f"{_other_plans(tmp_path)}|layername=woningbouwplannen", "plannen elders", "ogr")
    QgsProject.instance().addMapLayers([memory, other])
    dlg = ImportDialog(S, pkg.plans)
    dlg.source_layer.setLayer(memory)
    _read(dlg, qgis_app)
    assert dlg.source is None and "kladlaag" in dlg.status.text() and "GeoPackage" in dlg.status.text()
    other.startEditing()
    other.addFeature(QgsFeature(other.fields()))
    dlg.source_layer.setLayer(other)
    _read(dlg, qgis_app)
    assert dlg.source is None and "plannen elders" in dlg.status.text() and "sla ze eerst op" in dlg.status.text()
    other.rollBack()
    other.setSubsetString("plannaam = 'Elders 1'")
    _read(dlg, qgis_app)
    assert dlg.source is None and "filter" in dlg.status.text()
    assert not dlg.ok.isEnabled()
    dlg.deleteLater()


@pytest.mark.postgis
def test_dialog_imports_a_postgis_layer_of_the_project(qgis_app, qgis_new_project, tmp_path, pg_db):
    """A PostGIS table in the project is read through GDAL's PostgreSQL driver; no message shows the
    connection's password."""
    from osgeo import gdal
    from qgis.core import QgsDataSourceUri, QgsProject, QgsVectorLayer

    from lmvw_plugin.gui.import_dialog import ImportDialog
    path = _other_plans(tmp_path, n=2)
    gdal.UseExceptions()
    gdal.VectorTranslate("PG:" + pg_db, path, layers=["woningbouwplannen"], layerCreationOptions=["SCHEMA=public"],
                         layerName="plannen_elders", geometryType="MULTIPOLYGON")
    uri = QgsDataSourceUri(pg_db)
    uri.setDataSource("public", "plannen_elders", "geom", "", "fid")
    layer = QgsVectorLayer(uri.uri(False), "plannen in de database", "postgres")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    pkg = package_with_one_plan(tmp_path)
    dlg = ImportDialog(S, pkg.plans)
    dlg.source_layer.setLayer(layer)
    _read(dlg, qgis_app)
    assert dlg.source is not None and dlg.source.n == 2, dlg.status.text()
    assert sorted(dlg.source.columns["plannaam"]) == ["Elders 0", "Elders 1"]
    assert "password" not in dlg.status.text() and "plannen in de database" in dlg.status.text()
    dlg.deleteLater()


@pytest.fixture(scope="module")
def provider(qgis_processing):
    from qgis_util import lmvw_provider
    return lmvw_provider()


def test_processing_import(provider, qgis_new_project, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    csv = tmp_path / "s.csv"
    csv.write_text("plannaam,gemeentecode,planstatus\nA,GM0344,3\nB,GM0344,hard\n", encoding="utf-8")
    out = tmp_path / "nieuw.gpkg"
    res = processing.run("lmvw:import", {"SOURCE": str(csv), "INTO": str(out), "JSON": str(tmp_path / "r.json")})
    assert res["NEW"] == 2 and res["PROBLEMS"] >= 1
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["new"] == 2
    assert any(p["value"] == "hard" for p in report["problems"])
    before = sha256(out)
    with pytest.raises(QgsProcessingException, match="niets geïmporteerd"):
        processing.run("lmvw:import", {"SOURCE": str(tmp_path / "weg.csv"), "INTO": str(out)})
    assert sha256(out) == before


def test_processing_import_never_writes_its_report_over_the_source_or_the_target(provider, qgis_new_project,
                                                                                 tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    csv = tmp_path / "s.csv"
    csv.write_text("plannaam,gemeentecode,planstatus\nA,GM0344,3\n", encoding="utf-8")
    out = tmp_path / "nieuw.gpkg"
    processing.run("lmvw:import", {"SOURCE": str(csv), "INTO": str(out)})
    before = sha256(csv), sha256(out)
    for target in (str(csv), str(out), str(out) + "-journal"):
        with pytest.raises(QgsProcessingException, match="kies een andere naam voor het JSON-bestand"):
            processing.run("lmvw:import", {"SOURCE": str(csv), "INTO": str(out), "JSON": target})
    assert (sha256(csv), sha256(out)) == before


def test_processing_import_whose_report_cannot_be_written_says_the_import_is_done(provider, qgis_new_project,
                                                                                  tmp_path):
    import processing
    from qgis.core import QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.errors = []

        def reportError(self, error, fatalError=False):
            self.errors.append(error)

    csv = tmp_path / "s.csv"
    csv.write_text("plannaam,gemeentecode,planstatus\nA,GM0344,3\n", encoding="utf-8")
    out = tmp_path / "nieuw.gpkg"
    feedback = Feedback()
    missing = str(tmp_path / "weg" / "r.json")                  # a folder that does not exist
    res = processing.run("lmvw:import", {"SOURCE": str(csv), "INTO": str(out), "JSON": missing}, feedback=feedback)
    assert res["NEW"] == 1 and res["JSON"] is None and out.exists()
    assert any("r.json" in e and "rapport is niet geschreven" in e for e in feedback.errors), feedback.errors
