"""The Processing algorithms, run through processing.run like a user's model or script."""
from __future__ import annotations

import json
import os
import zipfile

import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer
from shapely.geometry import MultiPolygon, Point, box

from conftest import make_plan
from pkg_util import clean_plans, leftovers, write_plans

GEOM = MultiPolygon([box(130000, 450000, 130100, 450100)])


@pytest.fixture(scope="module")
def provider(qgis_processing):
    from qgis_util import lmvw_provider
    return lmvw_provider()


def load_layers(path):
    plans = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    assert plans.isValid() and fas.isValid()
    QgsProject.instance().addMapLayers([plans, fas])
    return plans, fas


def test_provider_lists_algorithms(provider):
    ids = {a.id() for a in provider.algorithms()}
    assert {"lmvw:validate", "lmvw:exportdelivery"} <= ids


def test_validate_outputs_findings_json_and_counts(provider, qgis_new_project, tmp_path):
    import processing
    recs = [make_plan(), make_plan(plan_id="b", plannaam="Noord", eengezins=8),
            make_plan(plan_id="c", plannaam="Punt")]
    path = write_plans(tmp_path / "p.gpkg", recs, [GEOM, MultiPolygon([box(131000, 450000, 131100, 450100)]),
                                                   Point(132000, 450000)])
    plans, fas = load_layers(path)
    out_json = str(tmp_path / "r.json")
    res = processing.run("lmvw:validate", {"INPUT": plans, "PEILDATUM": "2026-10-01", "OUTPUT": "memory:",
                                           "JSON": out_json})
    assert res["PLANS"] == 3 and res["ERRORS"] == 2 and res["WARNINGS"] == 0
    layer = res["OUTPUT"]
    if isinstance(layer, str):                     # processing.run may return a layer id
        layer = QgsProject.instance().mapLayer(layer)
    rows = {f["rule"]: f for f in layer.getFeatures()}
    assert set(rows) == {"R04", "G02"}
    assert rows["R04"]["plan_id"] == "b" and rows["R04"]["severity"] == "error"
    assert "38" in rows["R04"]["message"]
    assert [f.name() for f in layer.fields()][:6] == ["plan_id", "plannaam", "rule", "severity", "field", "message"]
    with open(out_json, encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["summary"]["by_rule"] == {"G02": 1, "R04": 1}


def test_a_json_report_over_the_plan_layer_is_refused_and_the_plans_are_kept(provider, qgis_new_project, tmp_path):
    """Typing the plan GeoPackage (or its -wal companion) as the JSON report used to write the report
    over her plans; now refused before anything is read or written."""
    import processing

    from lmvw_plugin.i18n import install_translator, remove_translator
    from pkg_util import sha256
    path = write_plans(tmp_path / "p.gpkg", [make_plan()], [GEOM])
    plans, _fas = load_layers(path)
    before = sha256(path)
    install_translator("nl_NL")
    try:
        for target in (str(path), str(path) + "-wal", str(tmp_path)):
            with pytest.raises(QgsProcessingException, match="kies een andere naam voor het JSON-bestand"):
                processing.run("lmvw:validate", {"INPUT": plans, "OUTPUT": "memory:", "JSON": target})
    finally:
        remove_translator()
    assert sha256(path) == before and not os.path.exists(str(path) + "-wal")
    assert plans.featureCount() == 1


def test_an_unwritable_json_report_is_a_message_naming_it_and_leaves_nothing(provider, qgis_new_project,
                                                                          tmp_path):
    import processing
    path = write_plans(tmp_path / "p.gpkg", [make_plan()], [GEOM])
    plans, _fas = load_layers(path)
    from lmvw_plugin.i18n import install_translator, remove_translator
    missing = str(tmp_path / "weg" / "r.json")                  # a folder that does not exist
    install_translator("nl_NL")
    try:
        with pytest.raises(QgsProcessingException, match=r"Kan .*r\.json niet schrijven: .* ongewijzigd\."):
            processing.run("lmvw:validate", {"INPUT": plans, "OUTPUT": "memory:", "JSON": missing})
    finally:
        remove_translator()
    assert not os.path.exists(missing) and leftovers(tmp_path) == []


def test_validate_layer_without_fields_gives_clear_message(provider, qgis_new_project):
    import processing
    layer = QgsVectorLayer("Polygon?crs=epsg:28992&field=naam:string", "wijken", "memory")
    QgsProject.instance().addMapLayer(layer)
    with pytest.raises(QgsProcessingException, match="planstatus"):
        processing.run("lmvw:validate", {"INPUT": layer, "OUTPUT": "memory:"})


def test_export_delivery_writes_zip(provider, qgis_new_project, tmp_path):
    import processing
    plans = clean_plans(20, seed=8)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer, fas = load_layers(path)
    out = str(tmp_path / "out" / "lmvw.zip")
    os.makedirs(os.path.dirname(out))
    res = processing.run("lmvw:exportdelivery", {
        "INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01", "PROFILE": 0, "CONCEPT": False,
        "OUTPUT": out})
    assert res["OUTPUT"] == out and res["PLANS"] > 0 and res["ERRORS"] == 0
    with zipfile.ZipFile(out) as zf:
        m = json.loads(zf.read("manifest.json"))
        assert m["gemeentecode"] == "GM0344" and m["profile"] == "provincie"
        fas_csv = zf.read("fasering.csv").decode()
    assert len(fas_csv.splitlines()) > 1                 # the fasering came from the same file
    # an existing package is only replaced with OVERWRITE
    with pytest.raises(QgsProcessingException, match="overwrite|bestaat al|already exists"):
        processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
                                               "OUTPUT": out})
    processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
                                           "OVERWRITE": True, "OUTPUT": out})


def test_export_refuses_unsaved_edits_and_errors(provider, qgis_new_project, tmp_path):
    import processing
    plans = clean_plans(10, seed=8)
    plans.records[0]["eengezins"] += 3
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer, _ = load_layers(path)
    out = str(tmp_path / "x.zip")
    with pytest.raises(QgsProcessingException, match="3|fout|error"):
        processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar",
                                               "PEILDATUM": "2026-10-01", "OUTPUT": out})
    assert not os.path.exists(out) and leftovers(tmp_path) == []
    layer.startEditing()
    layer.changeAttributeValue(next(layer.getFeatures()).id(), layer.fields().indexOf("plannaam"), "Nieuw")
    with pytest.raises(QgsProcessingException, match="opgeslagen|unsaved"):
        processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "CONCEPT": True,
                                               "PEILDATUM": "2026-10-01", "OUTPUT": out})
    layer.rollBack()
    res = processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "CONCEPT": True,
                                                 "PEILDATUM": "2026-10-01", "OUTPUT": out})
    assert res["ERRORS"] == 1 and os.path.exists(out)


def test_export_refuses_a_delivery_without_plans(provider, qgis_new_project, tmp_path):
    """0 delivered plans would silently replace the last package: refused, the old one stays."""
    import processing
    plans = clean_plans(4, seed=9)
    path = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    layer, _ = load_layers(path)
    out = str(tmp_path / "x.zip")
    processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
                                           "OUTPUT": out})
    before = (tmp_path / "x.zip").read_bytes()
    with pytest.raises(QgsProcessingException, match="4 plan"):
        processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
                                               "GEMEENTECODE": "GM0363", "OVERWRITE": True, "OUTPUT": out})
    assert (tmp_path / "x.zip").read_bytes() == before and leftovers(tmp_path) == []
    empty = write_plans(tmp_path / "leeg.gpkg", [], [])
    empty_layer, _ = load_layers(empty)
    with pytest.raises(QgsProcessingException, match="no plans|geen plannen"):
        processing.run("lmvw:exportdelivery", {"INPUT": empty_layer, "UITVRAAG": "2026-najaar",
                                               "PEILDATUM": "2026-10-01", "OVERWRITE": True, "OUTPUT": out})
    assert (tmp_path / "x.zip").read_bytes() == before
