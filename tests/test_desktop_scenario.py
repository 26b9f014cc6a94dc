"""A GIS officer's day in a real QGIS 3.22 desktop under Xvfb, clicked with QTest on the real
widgets (tests/desktop_scenario.py does the clicking): Nieuwe planlaag through its dialog, a
polygon digitised on the canvas, the form filled through its editors (a wrong sum keeps OK
disabled), a fasering row added in the form, a finding double-clicked in the dock, and the
delivery exported twice with the Exporteren button, the second time confirming the overwrite
question, the second time compared with the first package (*Vergelijk met vorige levering*, the
layer *Wijzigingen sinds …*). Then the dialogs of the last round: *Validatie stoppen* on a large
layer (nothing written, the earlier package kept), *Nieuwe planlaag* for a gemeente of
Zuid-Holland (in a throw-away PostGIS cluster when one can be started, else a GeoPackage),
*Plannen importeren…* of a Zuid-Holland GeoJSON into it (detected format, mapping, preview, the
edit buffer, Undo and Redo, saved), and its export in the province's *Formaat*. A second, short run
in a QGIS without shapely 2 clicks the *Shapely 2 installeren…* offer and declines it.
Screenshots of each step go to $LMVW_SCREENSHOT_DIR when set."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from test_desktop import ROOT, qgis_available, run_qgis

pytestmark = [pytest.mark.desktop, pytest.mark.slow]
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.skipif(not qgis_available(), reason="QGIS desktop or xvfb-run not installed")
def test_a_users_day_clicked_through_the_desktop(tmp_path):
    out_dir = tmp_path / "levering"
    out_dir.mkdir()
    gpkg = str(tmp_path / "plannen" / "woningbouwplannen.gpkg")
    os.makedirs(os.path.dirname(gpkg))
    jaar = dt.date.today().year + 1
    extra = province_inputs(tmp_path)
    cluster = pg_cluster(tmp_path)
    try:
        if cluster is not None:
            extra.update(pg_service="lmvwdesktop", pg_schema="rotterdam")
        r = run_qgis(tmp_path, gpkg, with_plugin=True, script=os.path.join(HERE, "desktop_scenario.py"),
                     env_extra=dict(extra, gpkg=gpkg, out_dir=str(out_dir), centre=[136500, 456500],
                                    plannaam="Zuilen Noord", jaar=jaar), timeout=360)
        print("\n".join(r["log"] + r["steps"] + r.get("lmvw_log", [])))
        assert "failure" not in r, r["failure"]
        assert r.get("step_failures", {}) == {}, "\n".join(r["step_failures"].values())
        assert r["python_errors"] == []
        assert r.get("done")
        in_db = cluster.sql("SELECT plannaam, opmerkingen, zh_categorie_planlijst FROM rotterdam.woningbouwplannen",
                            "desktop1") if cluster is not None else None
    finally:
        if cluster is not None:
            cluster.stop()
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
    # Vergelijk met vorige levering: proposed with the first package; the changes are on the map
    assert r["export1"]["previous"] == [False, ""]
    assert r["export2"]["previous"] == [True, r["export1"]["target"]]
    previous = r["zip2"]["manifest"]["previous"]
    assert previous["file"] == os.path.basename(e1["target"]) and previous["uitvraag"] == m["uitvraag"]
    assert r["changes_layer"]["name"] == f"Wijzigingen sinds {m['uitvraag']}"
    assert r["changes_layer"]["count"] == 0                     # nothing changed in between: nothing to draw
    changes = r["zip2"]["manifest"]["changes"]
    assert (changes["nieuw"], changes["verdwenen"], changes["gewijzigd"], changes["ongewijzigd"]) == (0, 0, 0, 1)
    assert r["changes_layer"]["tree"][0] == r["changes_layer"]["name"]
    # Validatie stoppen: a large layer is validated in the background, the button stops it, Export
    # stays disabled, nothing is written and the earlier package stays as it was
    st = r["stop"]
    assert st["while"]["button"] == "Validatie stoppen" and st["while"]["progress"] and not st["while"]["ok"]
    assert "op de achtergrond gevalideerd" in st["while"]["summary"]
    assert st["after"]["button"] == "Valideer" and not st["after"]["progress"] and not st["after"]["ok"]
    assert "Validatie gestopt" in st["after"]["summary"]
    assert "niets gecontroleerd of geschreven" in st["after"]["summary"]
    assert st["after"]["target"] == e1["target"] and os.path.basename(e1["target"]) in st["files"]
    assert st["open_after_export_click"] and st["unchanged"] and not st["task_left"]
    # Nieuwe planlaag for Rotterdam: in PostGIS (or a GeoPackage), with Zuid-Holland's fields
    nz = r["new_zh"]
    assert nz["provider"] == ("postgres" if cluster is not None else "ogr") and nz["editable"] and nz["active"]
    assert "zh_categorie_planlijst" in nz["fields"], nz["fields"]
    if cluster is not None:
        assert nz["pg_box_visible"] and not nz["file_enabled"]
    assert any("Rotterdam" in t for t in nz["bar"]), nz["bar"]
    assert not any("oudere versie" in t for t in nz["bar"]), nz["bar"]       # just made: its form is current
    # Plannen importeren…: the Zuid-Holland file, mapped, previewed, in the edit buffer, undone, redone, saved
    im = r["import"]
    assert im["into"] and not im["ok_at_start"]
    assert im["format"] == ["zuid-holland", "Zuid-Holland: GeoJSON (Planmonitor Wonen)"], im["format"]   # detected
    assert im["read_status"].startswith("1 rij gelezen uit " + os.path.basename(extra["zh_source"]))
    assert im["mapping"]["opmerkingen"] == "" and im["mapping"]["plannaam"] == "plannaam"
    assert im["mapping"]["zh_categorie_planlijst"] == "zh_categorie_planlijst"
    assert not im["ok_before_preview"] and im["ok_after_preview"] == ["Importeren in de bewerkingen", True]
    assert im["preview"] == [["nieuw", f"Hoek van Holland Zuid ({ZH_ID})"]] and im["preview_tab"] == "Voorbeeld"
    # Koppeling opslaan over the source itself ("replace?" answered yes): refused, the source unchanged
    text, red, unchanged = im["mapping_over_source"]
    assert im["mapping_replace_asked"] and red and unchanged, im["mapping_over_source"]
    assert "kies een andere naam voor de koppeling" in text, text
    assert im["before"] == {"count": 0, "modified": False, "names": []}
    assert im["buffer"] == {"count": 1, "modified": True, "names": ["Hoek van Holland Zuid"]} and im["file_unchanged"]
    assert im["values"] == [{"plannaam": "Hoek van Holland Zuid", "opmerkingen": None}]      # not imported
    assert any("1 nieuwe en 0 bijgewerkte plannen staan in de bewerkingen" in t for t in im["bar"]), im["bar"]
    assert im["after_undo"] == im["before"] and im["after_redo"] == im["buffer"]
    assert im["fasering_buffer"] == 1 and im["fasering_after_undo"] == 0       # its fasering row too
    assert im["saved"] == {"count": 1, "modified": False, "names": ["Hoek van Holland Zuid"]}
    if cluster is not None:
        assert in_db == [("Hoek van Holland Zuid", None, "2 reserveplannen")]
    # … and a layer of the project as the source, chosen in its combo box: read, previewed, cancelled
    il = r["import_layer"]
    assert il["chosen"] and il["format"] == "table", il
    assert il["read_status"].startswith(f"{il['source_count']} rij") and il["source"] in il["read_status"], il
    assert il["preview"] and set(il["preview"]) <= {"nieuw", "bijwerken", "ongewijzigd", "conflict"}, il["preview"]
    assert il["after"] == il["before"]                                        # cancelled: nothing in the buffer
    # … and a spreadsheet whose status "Harde plannen" matches no code: listed, its code chosen, previewed
    iv = r["import_values"]
    assert iv["listed"] == [["Planstatus", "Harde plannen"]], iv["listed"]
    assert "1 van 1" in iv["unmapped_before"] and "0 van 1" in iv["unmapped_after"], iv
    assert iv["chosen"] == "1A" and iv["statuses"] == {"Katendrecht Noord": "1A", "Katendrecht Zuid": "2A"}, iv
    assert not iv["problems"] and iv["after"] == iv["before"], iv          # cancelled: nothing in the buffer
    # the export dialog on the Utrecht layer with Zuid-Holland's format: the format's own export checks (PZH10,
    # not a rule of the standard) listed by their title before anything is written; Export stays disabled
    ec = r["export_checks"]
    assert ec["layer"] and "PZH10 Verplicht veld van Zuid-Holland leeg: 3 × fout" in ec["summary"], ec["summary"]
    assert "PZH01 Categorie planlijst ontbreekt (Zuid-Holland): 1 × fout" in ec["summary"], ec["summary"]
    assert not ec["ok"] and ec["unchanged"], ec
    assert ec["cut"] == [], ec["cut"]                  # the dialog grew to its rows: no explanation cut off
    # Instellingen: the province changed, the dock checks again at once with its rules, and without them after
    sp = r["settings_province"]
    assert not [c for c in sp["before"] if c.startswith("PZH")] and "PZH01" in sp["zuid-holland"], sp
    assert sp["lmvw"] == sp["before"], sp
    assert any("Formulieren toepassen" in t for t in sp["bar"]), sp["bar"]
    # the export in Zuid-Holland's format
    ez = r["export_zh"]
    assert ez["layer"] and not ez["compare_proposed"] and "Zuid-Holland" in ez["format"], ez["format"]
    assert ez["ok"] and "1 plan wordt geleverd; 0 fouten" in ez["summary"], ez["summary"]
    assert ez["target"].endswith("lmvw_GM0599_" + m["uitvraag"] + ".pzh.geojson")
    assert os.path.basename(ez["target"]) in ez["files"] and not [n for n in ez["files"] if n.startswith(".lmvw")]
    assert [p["ph_text1"] for p in ez["features"]] == ["2 reserveplannen"], ez["features"]
    assert ez["rfc7946_offered"] and ez["rfc7946_ticked"]                # Zuid-Holland's own option, clicked:
    assert ez["crs"] is None and 3 < ez["first_xy"][0] < 8 and 50 < ez["first_xy"][1] < 54, ez   # WGS84
    assert any("Rapport openen" in item["buttons"] for item in ez["bar"]), ez["bar"]


ZH_ID = "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b"


def province_inputs(tmp_path):
    """A Zuid-Holland GeoJSON to import (written by the command line from a Rotterdam plan), a
    GeoPackage for the province's new layer, and a large Utrecht layer (validated in the background)."""
    from test_cli_province import zh_gpkg

    from pkg_util import clean_plans, write_plans
    src = tmp_path / "provincie"
    src.mkdir()
    gpkg = zh_gpkg(src / "bron.gpkg", plan_id=ZH_ID, plannaam="Hoek van Holland Zuid",
                   opmerkingen="Uit de provinciale planlijst")
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "export", gpkg, "--uitvraag", "2026-voorjaar",
                        "--peildatum", "2026-04-01", "--format", "zuid-holland", "-o", str(src)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    (zh_source,) = [str(src / n) for n in os.listdir(src) if n.endswith(".pzh.geojson")]
    out_zh = tmp_path / "levering-zh"
    out_zh.mkdir()
    os.makedirs(tmp_path / "plannen-zh")
    big = clean_plans(4000, seed=41)
    write_plans(tmp_path / "groot.gpkg", big.records, big.geometries, big.fasering)
    csv = src / "planlijst.csv"          # a spreadsheet's export: one status that matches no code by itself
    csv.write_text("plannaam,gemeentecode,planstatus,bruto_plancapaciteit,WKT\n"
                   '"Katendrecht Noord",GM0599,Harde plannen,40,"POLYGON((92000 436000,92100 436000,92100 436100,'
                   '92000 436000))"\n'
                   '"Katendrecht Zuid",GM0599,2A. Vastgesteld,25,"POLYGON((92200 436000,92300 436000,'
                   '92300 436100,92200 436000))"\n', encoding="utf-8")
    return {"zh_source": zh_source, "values_source": str(csv),
            "unmap": "opmerkingen", "zh_gemeente": "Rotterdam (GM0599)",
            "gpkg_zh": str(tmp_path / "plannen-zh" / "rotterdam.gpkg"), "out_dir_zh": str(out_zh),
            "big": str(tmp_path / "groot.gpkg")}


def pg_cluster(tmp_path):
    """A throw-away PostgreSQL cluster (pg_util.py) with a database `desktop1`, reachable from the
    QGIS under test as the service lmvwdesktop of ~/.pg_service.conf (HOME is tmp_path); None when
    PostgreSQL with PostGIS is not installed (then the province's layer is a GeoPackage)."""
    from pg_util import Cluster, missing_reason
    why = missing_reason()
    if why:
        if os.environ.get("LMVW_REQUIRE_POSTGIS"):
            pytest.fail(why)
        return None
    cluster = Cluster().start()
    try:
        cluster.sql("CREATE DATABASE desktop1")
        cluster.sql("CREATE EXTENSION postgis", "desktop1")
    except Exception:
        cluster.stop()
        raise
    (tmp_path / ".pg_service.conf").write_text(
        f"[lmvwdesktop]\nhost={cluster.sock}\nport={cluster.dsn().split('port=')[1].split()[0]}\n"
        "dbname=desktop1\nuser=postgres\n", encoding="utf-8")
    return cluster


def qgis_python_has_shapely2():
    r = subprocess.run(["/usr/bin/python3", "-c", "import shapely, sys; sys.exit(shapely.__version__ < '2')"],
                       capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not qgis_available(), reason="QGIS desktop or xvfb-run not installed")
def test_the_shapely_offer_clicked_and_declined_in_a_qgis_without_shapely(tmp_path):
    if qgis_python_has_shapely2():
        pytest.skip("this QGIS's own Python has shapely 2: there is nothing to offer")
    r = run_qgis(tmp_path, str(tmp_path / "none.gpkg"), with_plugin=True, with_shapely=False,
                 script=os.path.join(HERE, "desktop_scenario.py"), env_extra={"part": "shapely"}, timeout=180)
    print("\n".join(r["log"] + r["steps"]))
    assert "failure" not in r, r["failure"]
    assert r["python_errors"] == [] and r.get("done")
    sh = r["shapely"]
    assert sh["backend"] == "ogr" and sh["menu"][6] == "Shapely 2 installeren…" and sh["bar_button"]
    q = sh["question"]
    assert q["title"] == "Shapely 2 installeren" and "shapely 2 installeren voor deze qgis" in q["text"].lower()
    assert q["buttons"] == ["Ja", "Nee"]
    assert sh["menu_question"] == q["text"][:80]          # the menu entry asks the same
    # declined: nothing installed, nothing running, the plugin as it was (on GDAL/OGR)
    assert any("niet geïnstalleerd" in t for t in sh["bar_after_no"]), sh["bar_after_no"]
    assert sh["declined"] and not sh["task"]
    assert sh["python_dir"][0] == sh["python_dir"][1] and not any("shapely" in n for n in sh["python_dir"][0])
    assert sh["menu_after"] == sh["menu"] and sh["backend_after"] == "ogr"
