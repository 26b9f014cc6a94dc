"""lmvw:exportdelivery with FORMAT: the LMVW package stays the default; a province's format writes
its file and report, and refuses with the province's messages."""
from __future__ import annotations

import json
import os

import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer
from test_cli_province import zh_gpkg


@pytest.fixture(scope="module")
def provider(qgis_processing):
    from qgis_util import lmvw_provider
    return lmvw_provider()


def layers(path):
    plans = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    assert plans.isValid() and fas.isValid()
    QgsProject.instance().addMapLayers([plans, fas])
    return plans


def fmt_index(key):
    from lmvw_plugin.processing.province_export import format_keys
    return format_keys().index(key)


def test_format_zuid_holland_writes_the_geojson_with_its_ending(provider, qgis_new_project, tmp_path):
    import processing
    layer = layers(zh_gpkg(tmp_path / "p.gpkg"))
    out = tmp_path / "out"
    out.mkdir()
    res = processing.run("lmvw:exportdelivery", {
        "INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01", "FORMAT": fmt_index("zuid-holland"),
        "OUTPUT": str(out / "levering.zip")})
    assert res["OUTPUT"] == str(out / "levering.pzh.geojson") and res["PLANS"] == 1 and res["ERRORS"] == 0
    doc = json.loads((out / "levering.pzh.geojson").read_text(encoding="utf-8"))
    assert doc["crs"]["properties"]["name"] == "EPSG:28992"
    assert doc["features"][0]["properties"]["year_properties"][0]["jaartal"] == 2027
    assert sorted(os.listdir(out)) == ["levering.pzh.geojson", "levering_validatierapport.html"]


def test_the_provinces_errors_refuse_with_its_message(provider, qgis_new_project, tmp_path):
    import processing
    layer = layers(zh_gpkg(tmp_path / "p.gpkg", zh_studentenwoningen=None))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QgsProcessingException, match="errors|fouten"):
        processing.run("lmvw:exportdelivery", {
            "INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
            "FORMAT": fmt_index("zuid-holland"), "OUTPUT": str(out / "x.pzh.geojson")})
    assert os.listdir(out) == []


def test_without_format_it_is_the_package(provider, qgis_new_project, tmp_path):
    import processing
    layer = layers(zh_gpkg(tmp_path / "p.gpkg"))
    res = processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar",
                                                 "PEILDATUM": "2026-10-01", "OUTPUT": str(tmp_path / "lmvw.zip")})
    assert res["OUTPUT"].endswith("lmvw.zip") and os.path.isfile(res["OUTPUT"])


def test_a_formats_options_are_parameters(provider, qgis_new_project, tmp_path):
    """The options of a format's profile are Processing parameters: Zuid-Holland's RFC 7946 variant in WGS84,
    and Gelderland's template, which a Zuid-Holland export leaves alone."""
    import processing
    from qgis.core import QgsApplication
    alg = QgsApplication.processingRegistry().algorithmById("lmvw:exportdelivery")
    assert alg.parameterDefinition("OPTION_RFC7946") is not None and alg.parameterDefinition("OPTION_TEMPLATE")
    layer = layers(zh_gpkg(tmp_path / "p.gpkg"))
    out = tmp_path / "out"
    out.mkdir()
    res = processing.run("lmvw:exportdelivery", {
        "INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01", "FORMAT": fmt_index("zuid-holland"),
        "OPTION_RFC7946": True, "OPTION_TEMPLATE": str(tmp_path / "niet-gebruikt.gdb.zip"),
        "OUTPUT": str(out / "levering.zip")})
    with open(res["OUTPUT"], encoding="utf-8") as fh:
        doc = json.load(fh)
    assert "crs" not in doc                                             # RFC 7946: WGS84, no crs member
    x, y = doc["features"][0]["geometry"]["coordinates"][0][0][0][:2]
    assert 3 < x < 8 and 50 < y < 54
