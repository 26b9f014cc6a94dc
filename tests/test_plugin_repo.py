"""`make repo`: the zip passes the official repository's upload checks, and plugins.xml beside it is
a repository QGIS's plugin manager installs from (a fresh profile pointed at a file:// URL)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_zip  # noqa: E402
import plugin_repo  # noqa: E402


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist") / "lmvw_plugin-0.1.0.zip"
    return build_zip.build(str(out))


def rezip(src: str, dst: Path, drop=(), add=None, meta_edit=None) -> str:
    """A copy of the plugin zip with members left out, added, or metadata.txt changed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info)
            if info.filename == "lmvw_plugin/metadata.txt" and meta_edit:
                data = meta_edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return str(dst)


def test_the_built_zip_passes_the_official_upload_checks(built_zip):
    problems, meta, package = plugin_repo.check_upload(built_zip)
    assert problems == []
    assert package == "lmvw_plugin" and meta["supportsQt6"] == "True"
    with zipfile.ZipFile(built_zip) as zf:
        names = zf.namelist()
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]
    assert os.path.getsize(built_zip) < plugin_repo.MAX_SIZE


@pytest.mark.parametrize("case, expected", [
    (dict(add={"lmvw_plugin/__pycache__/plugin.cpython-311.pyc": b"x"}), "compiled"),
    (dict(add={"lmvw_plugin/rules/__pycache__/": b""}), "__pycache__ folder"),
    (dict(add={"lmvw_plugin/.git/config": b"x"}), ".git folder"),
    (dict(add={"README.md": b"x"}), "top-level entries"),
    (dict(drop={"lmvw_plugin/LICENSE"}), "lmvw_plugin/LICENSE is missing"),
    (dict(meta_edit=lambda t: t.replace("\nemail=", "\nmail=")), "lacks email"),
    (dict(meta_edit=lambda t: t.replace("\nabout=", "\nabout_=")), "lacks about"),
    (dict(meta_edit=lambda t: t.replace("tracker=https://github.com/lmvw-plugin/lmvw_plugin/issues",
                                        "tracker=http://bugs")), "tracker='http://bugs'"),
    (dict(meta_edit=lambda t: t.replace("\nicon=resources/icon.svg", "\nicon=resources/nope.svg")),
     "icon resources/nope.svg is not in the zip"),
    (dict(meta_edit=lambda t: t.replace("\nauthor=", "\nauthor=a/b ")), "author may not contain '/'"),
])
def test_the_checks_refuse_what_the_official_repository_refuses(built_zip, tmp_path, case, expected):
    bad = rezip(built_zip, tmp_path / "bad.zip", **case)
    problems = plugin_repo.check_upload(bad)[0]
    assert any(expected in p for p in problems), problems
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "plugin_repo.py"), bad], capture_output=True,
                         text=True)
    assert run.returncode == 1 and expected in run.stderr
    assert not (tmp_path / "plugins.xml").exists()          # nothing written for a zip that fails


def test_the_checks_refuse_a_zip_over_the_size_limit(built_zip, monkeypatch):
    monkeypatch.setattr(plugin_repo, "MAX_SIZE", 1000)
    assert any("at most" in p and "MB" in p for p in plugin_repo.check_upload(built_zip)[0])


def test_plugins_xml_describes_the_zip_as_qgis_reads_it(built_zip, tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    zip_path = shutil.copy(built_zip, folder / "lmvw_plugin-0.1.0.zip")
    xml_path = plugin_repo.write_repo(str(zip_path), "https://gis.example.nl/qgis")
    root = ET.parse(xml_path).getroot()
    (plugin,) = root.findall("pyqgis_plugin")
    assert plugin.get("name") == "LMVW woningbouwplannen" and plugin.get("version") == "0.1.0"
    # QGIS takes the plugin's id from file_name up to the first '.'
    assert plugin.findtext("file_name").partition(".")[0] == "lmvw_plugin"
    assert plugin.findtext("download_url") == "https://gis.example.nl/qgis/lmvw_plugin-0.1.0.zip"
    assert plugin.findtext("qgis_minimum_version") == "3.22"
    assert plugin.findtext("experimental") == "True" and plugin.findtext("supports_qt6") == "True"
    assert "Basisset" in plugin.findtext("about")
    assert plugin.findtext("icon") == "https://gis.example.nl/qgis/lmvw_plugin.svg"
    assert (folder / "lmvw_plugin.svg").read_bytes().startswith(b"<")
    local = plugin_repo.write_repo(str(zip_path))                  # default: the folder's file:// address
    assert ET.parse(local).getroot().find("pyqgis_plugin/download_url").text == (folder / zip_path.name).as_uri()


# ------------------------------------------------------------------------------------------------
# a fresh QGIS profile installs from the file:// repository with QGIS's own plugin installer

INSTALL = r'''
import json, os, sys, traceback
import qgis.utils
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialog, QMessageBox

CONFIG = json.load(open(os.environ["LMVW_SCENARIO"], encoding="utf-8"))
result = {"python_errors": [], "dialogs": []}
iface = qgis.utils.iface
_hook = sys.excepthook
def hook(*exc):
    result["python_errors"].append("".join(traceback.format_exception(*exc))[:2000])
    _hook(*exc)
sys.excepthook = hook


def finish():
    with open(CONFIG["out"], "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1)
    QTimer.singleShot(200, iface.actionExit().trigger)
    QTimer.singleShot(15000, lambda: os._exit(0))


def close_modals():
    """An installer question or error would wait for a click: note its text and close it."""
    w = QApplication.activeModalWidget()
    if w is not None and w.objectName() != "QgsPluginInstallerInstallingDialogBase":
        result["dialogs"].append(w.windowTitle() + ": " + (w.text() if isinstance(w, QMessageBox) else ""))
        w.reject() if isinstance(w, QDialog) else w.close()


guard = QTimer()
guard.timeout.connect(close_modals)
guard.start(1000)


def start():
    try:
        import pyplugin_installer
        from pyplugin_installer.installer_data import officialRepo, plugins, repositories, reposGroup
        s = QgsSettings()
        s.setValue(reposGroup + "/" + officialRepo[0] + "/url", officialRepo[1])
        s.setValue(reposGroup + "/" + officialRepo[0] + "/enabled", False)      # no internet here
        s.setValue(reposGroup + "/Gemeente/url", CONFIG["url"])
        s.setValue(reposGroup + "/Gemeente/enabled", True)
        s.setValue("app/plugin_installer/allowExperimental", True)
        repositories.load()
        result["repositories"] = {k: v["url"] for k, v in repositories.allEnabled().items()}
        repositories.requestFetching("Gemeente", force_reload=True)
        wait_fetch(0)
    except Exception:
        result["python_errors"].append("script: " + traceback.format_exc())
        finish()


def wait_fetch(n):
    from pyplugin_installer.installer_data import repositories
    if repositories.fetchingInProgress() and n < 60:
        QTimer.singleShot(500, lambda: wait_fetch(n + 1))
        return
    QTimer.singleShot(0, install)


def install():
    try:
        import pyplugin_installer
        from pyplugin_installer.installer_data import plugins, repositories
        repo = repositories.all()["Gemeente"]
        result["repo_state"], result["repo_error"] = repo["state"], repo["error"]
        plugins.getAllInstalled()
        plugins.rebuild()
        p = plugins.all().get("lmvw_plugin")
        result["listed"] = None if p is None else {k: p[k] for k in ("name", "version_available", "status_exp",
                                                                     "zip_repository", "experimental")}
        result["installed_before"] = os.path.isdir(os.path.join(qgis.utils.home_plugin_path, "lmvw_plugin"))
        if p is not None:
            installer = pyplugin_installer.instance()
            installer.installPlugin("lmvw_plugin", quiet=True, stable=False)
        path = os.path.join(qgis.utils.home_plugin_path, "lmvw_plugin")
        result["installed"] = os.path.isfile(os.path.join(path, "metadata.txt"))
        result["active"] = "lmvw_plugin" in qgis.utils.active_plugins
        result["enabled_setting"] = QgsSettings().value("PythonPlugins/lmvw_plugin", False, type=bool)
        result["menu"] = [a.text() for a in iface.pluginMenu().actions()]
    except Exception:
        result["python_errors"].append("script: " + traceback.format_exc())
    finish()


QTimer.singleShot(2500, start)
'''


@pytest.mark.desktop
@pytest.mark.skipif(not (shutil.which("qgis") and shutil.which("xvfb-run")), reason="QGIS desktop or xvfb-run missing")
def test_a_fresh_profile_installs_the_plugin_from_a_file_repository(built_zip, tmp_path):
    from test_desktop import run_qgis
    repo = tmp_path / "repo"
    repo.mkdir()
    zip_path = shutil.copy(built_zip, repo / "lmvw_plugin-0.1.0.zip")
    xml_path = plugin_repo.write_repo(str(zip_path))
    python = tmp_path / "qgis" / "profiles" / "default" / "python"
    python.mkdir(parents=True)
    # Debian's QGIS has shapely 1.8: give the profile shapely 2, as `make install` does
    subprocess.run([sys.executable, str(ROOT / "scripts" / "install_deps.py"), str(python)], check=True,
                   capture_output=True)
    script = tmp_path / "install.py"
    script.write_text(textwrap.dedent(INSTALL))
    result = run_qgis(tmp_path, "", with_plugin=False, script=script,
                      env_extra={"url": Path(xml_path).as_uri()})
    assert result["python_errors"] == [], result["python_errors"]
    assert result["repo_error"] == "" and result["repo_state"] == 2, result      # STATE_LOADED
    assert result["listed"] == {"name": "LMVW woningbouwplannen", "version_available": "0.1.0",
                                "status_exp": "not installed", "zip_repository": "Gemeente",
                                "experimental": True}, result
    assert not result["installed_before"] and result["installed"], result
    assert result["active"] and result["enabled_setting"], result
    assert any("LMVW" in t for t in result["menu"]), result["menu"]
    assert result["dialogs"] == [], result["dialogs"]
    assert json.dumps(result)                                                       # plain data only
