"""A new GeoPackage, read back with OGR/SQLite (not with the code that wrote it), has exactly the
standard's schema and carries the tabbed form as its default style."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from osgeo import ogr

from lmvw_plugin.standard import load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VALIDATE_GPKG = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"

# §1 of the standard, written out here on purpose: the test must not read the data file to know
# what the file should contain.
EXPECTED_TEXT = {
    "plan_id": 36, "plannaam": 255, "gemeentecode": 6, "woonplaats": 80, "plan_id_extern": 80,
    "overkoepelend_plan": 255, "plantype": 40, "planstatus": 40, "planologisch_besluit_id": 80,
    "projectfase": 40, "opdrachtgever_type": 40, "opdrachtgever_naam": 255, "vertrouwelijkheid": 40,
    "vertrouwelijk_reden": 255, "reden_vervallen": 40, "vervangen_door_plan_id": 36, "opmerkingen": 1000,
}
EXPECTED_INT = [
    "bruto_plancapaciteit", "sloop", "aantal_gerealiseerd", "sloop_gerealiseerd", "eengezins", "meergezins",
    "woningtype_onbekend", "sociale_huur_corporatie", "sociale_huur_markt", "sociale_huur_markt_geborgd",
    "middenhuur_corporatie", "middenhuur_markt", "middenhuur_markt_geborgd", "dure_huur", "huur_prijs_onbekend",
    "betaalbare_koop", "dure_koop", "koop_prijs_onbekend", "eigendom_onbekend", "prijspeil_jaar",
    "nultredenwoningen", "geclusterd", "zorggeschikt", "overig_geschikt_ouderen", "tijdelijke_woningen",
    "tijdelijke_woningen_tijdelijke_kwaliteit",
]
EXPECTED_BOOL = ["geclusterd_min50pct_55plus", "zorggeschikt_min50pct_55plus", "gerealiseerd", "vervallen"]
EXPECTED_DATE = ["datum_gerealiseerd", "datum_vervallen"]
EXPECTED_DATETIME = ["gewijzigd_op"]
TABS = ["Algemeen", "Aantallen", "Betaalbaarheid", "Ouderen en tijdelijk", "Fasering", "Status", "Vertrouwelijkheid"]


def _fields(layer):
    d = layer.GetLayerDefn()
    out = {}
    for i in range(d.GetFieldCount()):
        f = d.GetFieldDefn(i)
        out[f.GetName()] = (f.GetType(), f.GetSubType(), f.GetWidth())
    return out


def check_schema(path):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName("woningbouwplannen")
    assert lyr is not None
    assert lyr.GetGeomType() == ogr.wkbMultiPolygon
    assert lyr.GetSpatialRef().GetAuthorityCode(None) == "28992"
    fields = _fields(lyr)
    expected = set(EXPECTED_TEXT) | set(EXPECTED_INT) | set(EXPECTED_BOOL) | set(EXPECTED_DATE) | set(EXPECTED_DATETIME)
    assert set(fields) == expected
    for name, width in EXPECTED_TEXT.items():
        assert fields[name] == (ogr.OFTString, ogr.OFSTNone, width), name
    for name in EXPECTED_INT:
        assert fields[name][:2] == (ogr.OFTInteger, ogr.OFSTNone), name
    for name in EXPECTED_BOOL:
        assert fields[name][:2] == (ogr.OFTInteger, ogr.OFSTBoolean), name
    for name in EXPECTED_DATE:
        assert fields[name][0] == ogr.OFTDate, name
    for name in EXPECTED_DATETIME:
        assert fields[name][0] == ogr.OFTDateTime, name
    fas = ds.GetLayerByName("fasering")
    assert fas is not None and fas.GetGeomType() == ogr.wkbNone
    ff = _fields(fas)
    assert set(ff) == {"plan_id", "jaar", "aantal", "sloop"}
    assert ff["plan_id"] == (ogr.OFTString, ogr.OFSTNone, 36)
    assert all(ff[n][0] == ogr.OFTInteger for n in ("jaar", "aantal", "sloop"))


def default_style(path, table):
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = ?",
                           (table,)).fetchall()
    finally:
        con.close()
    defaults = [qml for qml, default in rows if default]
    assert len(defaults) == 1, f"{table}: expected one default style"
    return ET.fromstring(defaults[0])


def check_form_style(path):
    root = default_style(path, "woningbouwplannen")
    assert root.findtext("editorlayout") == "tablayout"
    tabs = [c.get("name") for c in root.find("attributeEditorForm").findall("attributeEditorContainer")]
    assert tabs == TABS
    # Dutch aliases, ValueMap for code lists, a hard expression constraint for R04's field
    aliases = {a.get("field"): a.get("name") for a in root.find("aliases")}
    assert aliases["bruto_plancapaciteit"] == "Bruto plancapaciteit"
    widgets = {f.get("name"): f.find("editWidget").get("type") for f in root.find("fieldConfiguration")}
    assert widgets["planstatus"] == "ValueMap"
    assert widgets["bruto_plancapaciteit"] == "Range"
    assert widgets["vervallen"] == "CheckBox"
    assert widgets["datum_vervallen"] == "DateTime"
    exprs = {c.get("field"): c.get("exp") for c in root.find("constraintExpressions")}
    assert "bruto_plancapaciteit" in exprs["woningtype_onbekend"]
    assert root.find("renderer-v2").get("type") == "categorizedSymbol"


def test_new_package_schema_and_style(qgis_new_project, tmp_path):
    from qgis_util import new_package
    pkg = new_package(tmp_path)
    path = pkg.path
    pkg.project.removeAllMapLayers()
    check_schema(path)
    check_form_style(path)
    default_style(path, "fasering")
    # the relation comes with a QGIS project stored in the GeoPackage
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM qgis_projects WHERE name = 'woningbouwplannen'").fetchone()[0] == 1
    con.close()
    r = subprocess.run([sys.executable, VALIDATE_GPKG, path], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_project_in_geopackage_has_relation(qgis_new_project, tmp_path):
    from qgis.core import QgsProject

    from qgis_util import new_package
    pkg = new_package(tmp_path)
    path = pkg.path
    QgsProject.instance().removeAllMapLayers()
    project = QgsProject()
    assert project.read(f"geopackage:{path}?projectName=woningbouwplannen")
    rels = project.relationManager().relations()
    assert "lmvw_fasering" in rels and rels["lmvw_fasering"].isValid()
    project.clear()


def test_layer_opened_without_plugin_code_has_tabbed_form(qgis_new_project, tmp_path):
    """A colleague's QGIS loads the default style from the GeoPackage: tabs, aliases, defaults."""
    from qgis.core import QgsProject, QgsVectorLayer

    from qgis_util import new_package
    pkg = new_package(tmp_path)
    QgsProject.instance().removeAllMapLayers()
    layer = QgsVectorLayer(pkg.path + "|layername=woningbouwplannen", "plans", "ogr")
    assert layer.isValid()
    assert [t.name() for t in layer.editFormConfig().tabs()] == TABS
    assert layer.attributeAlias(layer.fields().indexOf("eengezins")) == "Eengezins"
    idx = layer.fields().indexOf("gemeentecode")
    assert layer.defaultValueDefinition(idx).expression() == "'GM0344'"


@pytest.mark.parametrize("lang,tab", [("nl", "Betaalbaarheid"), ("en", "Affordability")])
def test_cli_new(tmp_path, lang, tab):
    out = tmp_path / "plans.gpkg"
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "new", str(out), "--gemeente", "GM0363", "--lang", lang],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.exists()
    check_schema(str(out))
    root = default_style(str(out), "woningbouwplannen")
    tabs = [c.get("name") for c in root.find("attributeEditorForm").findall("attributeEditorContainer")]
    assert tab in tabs


def test_cli_new_refuses_bad_input_and_changes_nothing(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "lmvw_plugin", *args], cwd=ROOT, capture_output=True, text=True)
    bad = run("new", str(tmp_path / "a.gpkg"), "--gemeente", "0344")
    assert bad.returncode == 2 and "GM" in bad.stderr and not (tmp_path / "a.gpkg").exists()
    existing = tmp_path / "b.gpkg"
    existing.write_bytes(b"keep me")
    r = run("new", str(existing), "--gemeente", "GM0344")
    assert r.returncode == 2 and "bestaat al" in r.stderr
    assert existing.read_bytes() == b"keep me"
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o555)
    folder = "/sys/kernel" if os.geteuid() == 0 else str(locked)      # root may write in a 0555 folder
    try:
        r = run("new", os.path.join(folder, "c.gpkg"), "--gemeente", "GM0344")
        assert r.returncode == 2 and folder in r.stderr
        assert not os.path.exists(os.path.join(folder, "c.gpkg"))
    finally:
        os.chmod(locked, 0o755)
    missing = run("new", str(tmp_path / "nope" / "d.gpkg"), "--gemeente", "GM0344")
    assert missing.returncode == 2 and "bestaat niet" in missing.stderr


def test_required_fields_in_standard_match_this_test(standard=None):
    """Guards the hand-written lists above against drifting from the data file."""
    s = load()
    assert set(EXPECTED_TEXT) == {f.name for f in s.fields if f.type == "text"}
    assert {n: w for n, w in EXPECTED_TEXT.items()} == {f.name: f.width for f in s.fields if f.type == "text"}
