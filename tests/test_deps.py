"""What the plugin does about missing Python packages: it names the Python QGIS really runs, offers
shapely 2 for it (after the user agrees, as a task with progress and a clear result), and without
numpy or GDAL it explains in the message bar instead of raising into QGIS's error dialog."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from qgis.core import QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtWidgets import QMessageBox, QPushButton

from lmvw_plugin import deps
from qgis_util import wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def iface(qgis_iface, monkeypatch):
    from unittest.mock import MagicMock

    from qgis.gui import QgsMessageBar
    for name in ("removePluginMenu", "removeDockWidget", "openFeatureForm"):
        if not hasattr(qgis_iface, name):
            monkeypatch.setattr(qgis_iface, name, MagicMock(name=name), raising=False)
    bar = QgsMessageBar()
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    QgsSettings().remove("lmvw_plugin/shapely_offer_declined")
    yield qgis_iface
    QgsSettings().remove("lmvw_plugin/shapely_offer_declined")


def bar_texts(iface):
    return [item.text() for item in iface.messageBar().items()]


def test_the_python_qgis_runs_not_qgis_itself(monkeypatch):
    """Inside QGIS on Linux sys.executable is /usr/bin/qgis: the interpreter is found from the
    running Python's prefix and version, and it is that Python."""
    monkeypatch.setattr(sys, "executable", "/usr/bin/qgis")
    monkeypatch.setattr(sys, "_base_executable", "/usr/bin/qgis", raising=False)
    python = deps.qgis_python()
    assert python and os.path.basename(python).startswith("python") and python != "/usr/bin/qgis"
    out = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2], sys.prefix)"],
                         capture_output=True, text=True, check=True).stdout.split(") ")
    assert out[0] + ")" == str(sys.version_info[:2])
    assert out[1].strip() == sys.prefix
    cmd = deps.install_command("/profile/python", python)
    assert cmd[:4] == [python, "-m", "pip", "install"] and "--no-deps" in cmd
    assert cmd[cmd.index("--target") + 1] == "/profile/python" and cmd[-1] == deps.shapely_requirement()
    assert deps.install_hint("/p").startswith(python + " -m pip install")


def test_requirements_and_the_optional_shapely(monkeypatch):
    from lmvw_plugin.common import geo
    assert deps.missing() == []
    if geo.backend() == "shapely":
        assert deps.shapely2_missing() is None
    before = geo.use("ogr")
    try:
        assert deps.missing() == [] and deps.shapely2_missing().startswith("shapely>=2")
    finally:
        geo.use(before)


def fake_pip(monkeypatch, code):
    monkeypatch.setattr(deps, "install_command", lambda target, python=None: [sys.executable, "-c", code])
    monkeypatch.setattr(deps, "shapely2_missing", lambda: "shapely>=2")


def test_offer_asks_then_installs_as_a_task(iface, qgis_app, monkeypatch):
    from lmvw_plugin.gui.deps_install import ShapelyOffer
    fake_pip(monkeypatch, "print('Collecting shapely>=2'); print('Successfully installed shapely-2.1.1')")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    offer = ShapelyOffer(iface)
    assert offer.offer()
    text = bar_texts(iface)[0]
    assert "shapely 2" in text and "GDAL/OGR" in text
    button = iface.messageBar().findChild(QPushButton, "LmvwInstallShapelyButton")
    button.click()
    from lmvw_plugin.gui.deps_install import profile_python_dir
    assert wait_for(qgis_app, lambda: asked, timeout=10)      # asked once the click is over
    assert asked and profile_python_dir() in asked[0] and deps.qgis_python() in asked[0]   # with what, where
    assert wait_for(qgis_app, lambda: offer.task is None, timeout=60)
    assert any("Start QGIS opnieuw" in t or "Restart QGIS" in t for t in bar_texts(iface)), bar_texts(iface)


def test_a_failed_install_says_why_and_changes_nothing(iface, qgis_app, monkeypatch):
    from lmvw_plugin.gui.deps_install import ShapelyOffer
    fake_pip(monkeypatch, "import sys; print('ERROR: No matching distribution found for shapely>=2'); sys.exit(1)")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    offer = ShapelyOffer(iface)
    offer.ask()
    assert wait_for(qgis_app, lambda: offer.task is None, timeout=60)
    texts = bar_texts(iface)
    assert any("No matching distribution" in t and "GDAL/OGR" in t for t in texts), texts


def test_declining_is_remembered(iface, qgis_app, monkeypatch):
    from lmvw_plugin.gui.deps_install import ShapelyOffer
    fake_pip(monkeypatch, "raise SystemExit(3)")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    offer = ShapelyOffer(iface)
    offer.ask()
    assert offer.task is None
    assert not offer.offer()                        # not pushed again at the next start
    assert offer.offer(force=True)


def test_without_numpy_or_gdal_nothing_raises(iface, qgis_app, qgis_new_project, monkeypatch, tmp_path):
    """The plugin loads, every action and the layer-added handlers explain in the message bar."""
    monkeypatch.setattr(deps, "missing", lambda: ["numpy"])
    import lmvw_plugin
    plugin = lmvw_plugin.classFactory(iface)
    plugin.initGui()
    try:
        assert any("numpy" in t for t in bar_texts(iface))
        iface.messageBar().clearWidgets()
        from lmvw_plugin.cli import main
        gpkg = tmp_path / "p.gpkg"
        assert main(["new", str(gpkg), "--gemeente", "GM0344"]) == 0
        layer = QgsVectorLayer(f"{gpkg}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
        QgsProject.instance().addMapLayer(layer)     # the handler that raised before
        qgis_app.processEvents()
        assert any("numpy" in t for t in bar_texts(iface))
        for action in plugin.actions[:-1]:          # the last one, Settings, works without them
            iface.messageBar().clearWidgets()
            action.trigger()
            assert any("numpy" in t for t in bar_texts(iface)), action.text()
    finally:
        plugin.unload()


def test_the_offered_shapely_is_built_for_the_geos_qgis_runs():
    """On Linux QGIS's own GEOS runs instead of the one a shapely wheel brings: pip gets the newest
    series built for a GEOS that is not newer (2.0: 3.11, 2.1: 3.13, 2.2: 3.14)."""
    assert deps.shapely_requirement((3, 10)) == "shapely>=2.0,<2.1"
    assert deps.shapely_requirement((3, 11)) == "shapely>=2.0,<2.1"          # Debian 12
    assert deps.shapely_requirement((3, 12)) == "shapely>=2.0,<2.1"
    assert deps.shapely_requirement((3, 13)) == "shapely>=2.1,<2.2"
    assert deps.shapely_requirement((3, 14)) == "shapely>=2.2,<2.3"
    assert deps.shapely_requirement((3, 15)) == "shapely>=2.2,<2.3"


SYSTEM_GEOS = "/usr/lib/x86_64-linux-gnu/libgeos_c.so.1"


@pytest.mark.skipif(not os.path.exists(SYSTEM_GEOS), reason="no system libgeos_c")
def test_a_shapely_built_for_a_newer_geos_than_qgis_runs_is_not_used():
    """As in QGIS (which links libgeos_c into its executable): with the system's GEOS loaded first,
    a shapely built for a newer GEOS fails ('WKB output dimension must be 2 or 3' and worse); the
    plugin then works on GDAL/OGR and says why shapely 2 is not used."""
    shapely = pytest.importorskip("shapely")           # not in make test's run without shapely
    code = ("from lmvw_plugin.common import geo; from lmvw_plugin import deps; "
            "print(geo.running_geos()); print(geo.backend()); print(deps.shapely2_missing())")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=dict(os.environ, LD_PRELOAD=SYSTEM_GEOS, LMVW_GEOMETRY=""))
    assert r.returncode == 0, r.stderr
    running, backend, missing = r.stdout.splitlines()
    running = tuple(int(x) for x in running.strip("()").split(","))
    if running >= tuple(shapely.geos_version[:2]):
        assert backend == "shapely" and missing == "None"
    else:
        assert backend == "ogr"
        assert f"shapely {shapely.__version__} is built for GEOS" in missing and "this QGIS runs GEOS 3." in missing


def test_the_python_on_path_is_not_taken_for_qgis_s_own(monkeypatch, tmp_path):
    """Embedded in QGIS, sys.executable may name the first python3 on PATH (here a pyenv shim): its pip
    would install a shapely for another Python. The interpreter of QGIS's own prefix is used."""
    shim = tmp_path / "shims" / "python3"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\nexit 1\n")
    shim.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(shim))
    monkeypatch.setattr(sys, "_base_executable", str(shim), raising=False)
    python = deps.qgis_python()
    assert python and python != str(shim)
    assert any(deps._inside(python, p) for p in (sys.prefix, sys.base_prefix)), python
