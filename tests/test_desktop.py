"""The whole plugin in a real QGIS desktop under Xvfb.

1. Installed from the zip (dist/, built by `make zip`) into a fresh profile, in Dutch: it loads
   without Python errors, its menu and toolbar appear, the attribute form of a demo plan opens
   with its tabs, and the LMVW-controle dock validates the layer.
2. In a fresh profile without the plugin, a GeoPackage made by `new` opens with the same tabbed
   form (the default style in the GeoPackage).

Screenshots are written to the test's folder, and to $LMVW_SCREENSHOT_DIR when set (that is how
docs/ gets its pictures: `LMVW_SCREENSHOT_DIR=docs make test`)."""
from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WITHOUT_SHAPELY = bool(os.environ.get("LMVW_TEST_WITHOUT_SHAPELY"))
pytestmark = [pytest.mark.desktop, pytest.mark.slow]

TABS = ["Algemeen", "Aantallen", "Betaalbaarheid", "Ouderen en tijdelijk", "Fasering", "Status", "Vertrouwelijkheid"]

SCRIPT = r'''
import json, os, sys, time, traceback
import qgis.utils
from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer, Qt
from qgis.PyQt.QtWidgets import QApplication, QMenu, QTabWidget, QToolBar, QDockWidget

OUT = {out!r}
GPKG = {gpkg!r}
SHOTS = {shots!r}
WITH_PLUGIN = {with_plugin!r}
result = {{"python_errors": [], "log": []}}
iface = qgis.utils.iface


def log(message, tag, level):
    if tag == "Python error" or (level == Qgis.MessageLevel.Critical and "lmvw" in (tag + message).lower()):
        result["python_errors"].append(tag + ": " + message[:2000])
    if "lmvw" in (tag + message).lower():
        result["log"].append(tag + ": " + message[:300])


QgsApplication.messageLog().messageReceived.connect(log)
_hook = sys.excepthook
def hook(*exc):
    result["python_errors"].append("".join(traceback.format_exception(*exc))[:2000])
    _hook(*exc)
sys.excepthook = hook


def finish():
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1)
    QgsProject.instance().clear()                  # no "save the project?" question on exit
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(200, iface.actionExit().trigger)
    QTimer.singleShot(15000, lambda: os._exit(0))  # should QGIS still ask something


def guarded(fn):
    def run():
        try:
            fn()
        except Exception:
            result["python_errors"].append("script: " + traceback.format_exc())
            finish()
    return run


@guarded
def step1():
    result["plugins"] = sorted(qgis.utils.plugins)
    result["plugin_loaded"] = "lmvw_plugin" in qgis.utils.plugins
    menu_actions = []
    for action in iface.pluginMenu().actions():
        if action.menu() is not None and "LMVW" in action.text():
            menu_actions = [a.text() for a in action.menu().actions()]
    result["menu"] = menu_actions
    tb = iface.mainWindow().findChild(QToolBar, "LmvwToolbar")
    result["toolbar"] = [a.text() for a in tb.actions()] if tb is not None else None
    plans = QgsVectorLayer(GPKG + "|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    fas = QgsVectorLayer(GPKG + "|layername=fasering", "fasering", "ogr")
    QgsProject.instance().addMapLayers([plans, fas])
    iface.setActiveLayer(plans)
    iface.mapCanvas().setExtent(plans.extent())
    result["layer_valid"] = plans.isValid()
    feats = list(plans.getFeatures())
    result["features"] = len(feats)
    feat = [f for f in feats if f["plannaam"] == "Merwedekanaalzone deelgebied 4"] or feats
    global dialog
    plans.startEditing()                           # the form as a user edits it
    dialog = iface.getFeatureForm(plans, feat[0]) if feats else None
    if dialog is not None:
        dialog.resize(760, 720)
        dialog.show()
    if WITH_PLUGIN:
        plugin = qgis.utils.plugins["lmvw_plugin"]
        plugin.toggle_dock(True)
    QTimer.singleShot(4000, step2)


@guarded
def step2():
    if dialog is not None:
        tabs = dialog.findChildren(QTabWidget)
        result["tabs"] = [tabs[0].tabText(i) for i in range(tabs[0].count())] if tabs else []
        tabs[0].setCurrentIndex(1)
        QApplication.processEvents()
        for folder in SHOTS:
            dialog.grab().save(os.path.join(folder, "form{{}}.png".format("" if WITH_PLUGIN else "-without-plugin")))
        labels = [w.text() for w in dialog.findChildren(__import__("qgis.PyQt.QtWidgets", fromlist=["QLabel"]).QLabel)]
        result["labels"] = [t for t in labels if "van" in t or "of" in t][:10]
        dialog.close()
    QgsProject.instance().mapLayersByName("woningbouwplannen")[0].rollBack()
    if WITH_PLUGIN:
        dock = iface.mainWindow().findChild(QDockWidget, "LmvwValidationDock")
        result["dock_title"] = dock.windowTitle() if dock is not None else None
        result["backend"] = sys.modules["lmvw_plugin.common.geo"].backend()
        result["bar"] = [item.text() for item in iface.messageBar().items()]
        result["dock_rows"] = dock.model.rowCount() if dock is not None else None
        iface.mainWindow().resize(1500, 950)
        QApplication.processEvents()
        for folder in SHOTS:
            iface.mainWindow().grab().save(os.path.join(folder, "qgis.png"))
    finish()


QTimer.singleShot(2500, step1)
'''


def qgis_available():
    return shutil.which("qgis") and shutil.which("xvfb-run")


def plugin_zip():
    zips = sorted(glob.glob(os.path.join(ROOT, "dist", "lmvw_plugin-*.zip")))
    if zips:
        return zips[-1]
    out = os.path.join(ROOT, "dist", "lmvw_plugin-test.zip")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "build_zip.py"), "--out", out], check=True)
    return out


def run_qgis(tmp_path, gpkg, with_plugin, script=None, env_extra=None, timeout=240, with_shapely=None):
    """Run QGIS in a fresh Dutch profile (with the plugin from the zip) on a --code script; the
    default script is SCRIPT above. The profile gets shapely 2 unless `with_shapely` is False (by
    default: unless LMVW_TEST_WITHOUT_SHAPELY). Returns the script's result file."""
    # QGIS 3.22 reads settings and python paths from <profiles-path>/profiles/<name>
    profiles = tmp_path / "qgis"
    profile = profiles / "profiles" / "default"
    (profile / "QGIS").mkdir(parents=True)
    ini = ["[locale]", "overrideFlag=true", "userLocale=nl_NL", "", "[qgis]", "showTips=false",
           "checkVersion=false", "allowVersionCheck=false", "", "[PythonPlugins]"]
    if with_plugin:
        plugins = profile / "python" / "plugins"
        plugins.mkdir(parents=True)
        with zipfile.ZipFile(plugin_zip()) as zf:
            zf.extractall(plugins)
        assert (plugins / "lmvw_plugin" / "metadata.txt").exists()
        ini.append("lmvw_plugin=true")
        # Debian's QGIS has shapely 1.8 or none: give this profile shapely 2, as `make install` does
        # (not in make test's second run, LMVW_TEST_WITHOUT_SHAPELY: the plugin then runs on GDAL/OGR)
        if (not WITHOUT_SHAPELY) if with_shapely is None else with_shapely:
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "install_deps.py"), str(profile / "python")],
                           check=True, capture_output=True)
    (profile / "QGIS" / "QGIS3.ini").write_text("\n".join(ini) + "\n")
    out = tmp_path / "result.json"
    shots = [str(tmp_path)]
    if os.environ.get("LMVW_SCREENSHOT_DIR"):
        shots.append(os.path.abspath(os.environ["LMVW_SCREENSHOT_DIR"]))
    if script is None:
        script = tmp_path / "check.py"
        script.write_text(textwrap.dedent(SCRIPT.format(out=str(out), gpkg=gpkg, shots=shots,
                                                        with_plugin=with_plugin)))
    else:
        config = tmp_path / "scenario.json"
        config.write_text(json.dumps(dict(env_extra or {}, out=str(out), shots=shots)))
        env_extra = {"LMVW_SCENARIO": str(config)}
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "PYTHONPATH")}
    env.update(HOME=str(tmp_path), LANG="nl_NL.UTF-8", QGIS_DISABLE_MESSAGE_HOOKS="1",
               XDG_RUNTIME_DIR=str(tmp_path / "xdg"), **(env_extra or {}))
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
           "--profiles-path", str(profiles), "--code", str(script)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:                 # never leave a QGIS or an Xvfb behind
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
    (tmp_path / "qgis.stderr").write_text(stderr or "", encoding="utf-8")    # QGIS's own crash report included
    stacks = tmp_path / "result.json.stacks"            # desktop_scenario.py: where a hung QGIS was
    hung = stacks.read_text(encoding="utf-8")[-6000:] if stacks.exists() and not out.exists() else ""
    assert out.exists(), f"QGIS did not finish the check script (exit {proc.returncode}):\n{stderr[-3000:]}\n{hung}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_gpkg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "demo", "--out", str(folder)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return str(folder / "woningbouwplannen.gpkg")


@pytest.mark.skipif(not qgis_available(), reason="QGIS desktop or xvfb-run not installed")
def test_plugin_in_real_qgis_desktop(tmp_path, demo_gpkg):
    result = run_qgis(tmp_path, demo_gpkg, with_plugin=True)
    assert result["python_errors"] == []
    assert result["plugin_loaded"], result["plugins"]
    assert result["menu"][:6] == ["Nieuwe planlaag…", "Formulieren toepassen", "Validatie (LMVW-controle)",
                                  "Levering exporteren…", "Plannen importeren…", "Instellingen…"]
    assert len(result["toolbar"]) == 3
    assert result["features"] == 26
    assert result["tabs"] == TABS
    assert result["dock_title"].startswith("LMVW-controle — ")
    assert result["dock_rows"] >= 1
    # the geometry back end: shapely 2 from the profile, or GDAL/OGR without it, with the offer
    offer = [t for t in result["bar"] if "shapely 2" in t]
    if WITHOUT_SHAPELY:
        assert result["backend"] == "ogr", result
        assert offer and "GDAL/OGR" in offer[0], result["bar"]
        assert result["menu"][6] == "Shapely 2 installeren…", result["menu"]
    else:
        assert result["backend"] == "shapely", result
        assert not offer and len(result["menu"]) == 6, (offer, result["menu"])
    assert (tmp_path / "form.png").exists() and (tmp_path / "qgis.png").exists()


@pytest.mark.skipif(not qgis_available(), reason="QGIS desktop or xvfb-run not installed")
def test_new_geopackage_has_tabbed_form_in_qgis_without_plugin(tmp_path):
    gpkg = tmp_path / "nieuw.gpkg"
    r = subprocess.run([sys.executable, "-m", "lmvw_plugin", "new", str(gpkg), "--gemeente", "GM0344"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # a plan to open the form on: written with OGR, not with the plugin
    from osgeo import ogr
    ds = ogr.Open(str(gpkg), 1)
    lyr = ds.GetLayerByName("woningbouwplannen")
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("plannaam", "Zonder plugin")
    wkt = "MULTIPOLYGON(((130000 450000,130100 450000,130100 450100,130000 450000)))"
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    lyr.CreateFeature(f)
    ds = None
    result = run_qgis(tmp_path, str(gpkg), with_plugin=False)
    assert "lmvw_plugin" not in result["plugins"]
    assert result["python_errors"] == []
    assert result["tabs"] == TABS
