"""Import in QGIS: the dialog (read as a task, mapping, preview, into the edit buffer, undo) and
Processing's lmvw:import."""
from __future__ import annotations

import json

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
