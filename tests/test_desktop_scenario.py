"""A GIS officer's day in a real QGIS 3.22 desktop under Xvfb, clicked with QTest on the real
widgets (tests/desktop_scenario.py does the clicking): Nieuwe planlaag through its dialog, a
polygon digitised on the canvas, the form filled through its editors (a wrong sum keeps OK
disabled), a fasering row added in the form, a finding double-clicked in the dock, and the
delivery exported twice with the Exporteren button, the second time confirming the overwrite
question. Screenshots of each step go to $LMVW_SCREENSHOT_DIR when set."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
from test_desktop import qgis_available, run_qgis

pytestmark = [pytest.mark.desktop, pytest.mark.slow]
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.skipif(not qgis_available(), reason="QGIS desktop or xvfb-run not installed")
def test_a_users_day_clicked_through_the_desktop(tmp_path):
    out_dir = tmp_path / "levering"
    out_dir.mkdir()
    gpkg = str(tmp_path / "plannen" / "woningbouwplannen.gpkg")
    os.makedirs(os.path.dirname(gpkg))
    jaar = dt.date.today().year + 1
    r = run_qgis(tmp_path, gpkg, with_plugin=True, script=os.path.join(HERE, "desktop_scenario.py"),
                 env_extra={"gpkg": gpkg, "out_dir": str(out_dir), "centre": [136500, 456500],
                            "plannaam": "Zuilen Noord", "jaar": jaar}, timeout=300)
    print("\n".join(r["log"] + r["steps"]))
    assert "failure" not in r, r["failure"]
    assert r["python_errors"] == []
    assert r.get("done")
    # Nieuwe planlaag
    a = r["after_new"]
    assert a["file"] and a["editable"] and "toggled editing by hand" not in r["steps"]      # ready to draw
    xmin, ymin, xmax, ymax = a["extent"]
    assert xmin < 136000 < xmax and ymin < 456000 < ymax and xmax - xmin > 200000           # the Netherlands
    assert a["tree"][0] == "woningbouwplannen" and a["tree"][-1] == "BRT Achtergrondkaart (PDOK)", a["tree"]
    provider, source = a["sources"]["BRT Achtergrondkaart (PDOK)"]
    assert provider == "wms" and "service.pdok.nl/brt/achtergrondkaart/wmts/v2_0" in source.replace("%2F", "/")
    assert not any(m["buttons"] for m in a["messages"]), a["messages"]     # a new layer has the current form
    assert "layers=standaard" in source and "tileMatrixSet=EPSG:28992" in source.replace("%3A", ":")
    # the form: a wrong sum keeps OK disabled, the fixed one enables it
    assert r["ok_with_wrong_sum"] is False and r["ok_after_fix"] is True
    assert r["fasering_buffer"] and r["fasering_buffer"][0][1:] == [jaar, 40]
    assert r["saved"] == {"plans": 1, "modified": False, "fasering": 1}
    # the dock
    assert any(f[0] == "R16" for f in r["dock_findings"])
    assert r["dock_form_plannaam"] == "Zuilen Noord" and r["selected_after_double_click"] == 1
    # the export: the button exports, the package is on disk, the message bar links to it
    e1 = r["export1"]
    assert e1["ok_text"] == "Exporteren" and e1["ok_enabled"], e1
    assert "1 plan wordt geleverd; 0 fouten, 1 waarschuwing" in e1["summary"], e1["summary"]
    assert e1["buttons"] == ["Exporteren", "Annuleren"] and r["new_layer_buttons"] == ["OK", "Annuleren"]
    assert r["dialog_closed_after_export"]
    m = r["zip1"]["manifest"]
    assert m["counts"]["plans"] == 1 and m["gemeentecode"] == "GM0344" and not m["concept"]
    assert {"woningbouwplannen.gpkg", "manifest.json", "validatierapport.html"} <= set(r["zip1"]["names"])
    plan_rows = list(csv.DictReader(io.StringIO(r["zip1"]["plans_csv"])))
    assert [(p["plannaam"], p["bruto_plancapaciteit"], p["eengezins"]) for p in plan_rows] == \
        [("Zuilen Noord", "40", "40")]
    fas_rows = list(csv.DictReader(io.StringIO(r["zip1"]["fasering_csv"])))
    assert [(f["plan_id"], f["jaar"], f["aantal"]) for f in fas_rows] == [(plan_rows[0]["plan_id"], str(jaar), "40")]
    buttons = [b for item in r["bar1"] for b in item["buttons"]]
    assert "Map openen" in buttons and "Rapport openen" in buttons, r["bar1"]
    assert r["report_opened"]["path"].endswith("validatierapport.html")      # clicked: the package's report
    assert "Validatierapport woningbouwplannen" in r["report_opened"]["head"]
    # the second export asks before it replaces the first package, and replaces it
    assert "bestaat al" in r["question"]["text"]
    assert sorted(b.replace("&", "") for b in r["question"]["buttons"]) == ["Ja", "Nee"]
    assert r["replaced2"] and r["zip2"]["manifest"]["counts"]["plans"] == 1
    assert r["leftovers"] == []
