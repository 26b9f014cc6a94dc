"""An export never touches its source, replaces only a previous package of ours, and leaves nothing
behind when it fails: full disks, faults in the middle of writing, signals, a killed process."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile

import pytest

from lmvw_plugin.delivery.package import DeliveryError, check_target, export, is_package
from lmvw_plugin.messages import delivery_error_message
from lmvw_plugin.standard import load
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import clean_plans, leftovers, sha256, write_plans

S = load()
PEIL = dt.date(2026, 10, 1)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, cwd=ROOT, timeout=120):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "lmvw_plugin", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=timeout)


def export_args(src, out, *extra):
    return ("export", src, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01", "--concept", "-o", out,
            *extra)


@pytest.fixture
def source(tmp_path):
    """The municipality's GeoPackage (with a 5A plan that exists nowhere else)."""
    plans = clean_plans(20, seed=21)
    plans.records[0].update(planstatus="5A", vertrouwelijkheid="gemeente", vertrouwelijk_reden="grondaankoop")
    return write_plans(tmp_path / "T.gpkg", plans.records, plans.geometries, plans.fasering)


@pytest.fixture
def dutch(monkeypatch):
    """Messages in Dutch, as a user sees them first (the Qt-free catalog of the command line)."""
    from lmvw_plugin import i18n
    monkeypatch.setattr(i18n, "_catalog", None)
    i18n.use_catalog("nl")
    yield


def read(path):
    plans, _info = ogrio.read_plans(path, S)
    return plans, ogrio.read_fasering(path, S)


def do_export(path, out, **kw):
    plans, fasering = read(path)
    kw.setdefault("gemeente", "GM0344")
    kw.setdefault("uitvraag", "2026-najaar")
    kw.setdefault("peildatum", PEIL)
    kw.setdefault("concept", True)
    return export(plans, fasering, str(out), standard=S, plugin_version="test", **kw)


# ------------------------------------------------------------------------------ §2 never the source


def test_cli_export_onto_its_source_is_refused(source, tmp_path):
    """The case of the review: `export T.gpkg -o T.gpkg --overwrite` replaced the GeoPackage by the zip."""
    before = sha256(source)
    r = cli(*export_args("T.gpkg", "T.gpkg", "--overwrite"), cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "bron" in r.stderr and "Traceback" not in r.stderr
    assert sha256(source) == before and not zipfile.is_zipfile(source)
    assert sorted(os.listdir(tmp_path)) == ["T.gpkg"]


def spellings(tmp_path, source):
    """Other names of the source (or of a file that belongs to it) than its own."""
    folder = os.path.dirname(source)
    os.makedirs(tmp_path / "sub", exist_ok=True)
    os.symlink(source, tmp_path / "link.zip")
    os.link(source, tmp_path / "hard.zip")
    os.symlink(folder, tmp_path / "dirlink")
    return {
        "same": source,
        "relative": os.path.relpath(source),
        "dot": os.path.join(folder, ".", "T.gpkg"),
        "dotdot": os.path.join(folder, "sub", "..", "T.gpkg"),
        "trailing slash": source + os.sep,
        "symlink": str(tmp_path / "link.zip"),
        "hard link": str(tmp_path / "hard.zip"),
        "through a linked folder": str(tmp_path / "dirlink" / "T.gpkg"),
        "other case": os.path.join(folder, "t.GPKG"),      # one file on Windows and macOS
        "wal": source + "-wal",
        "shm": source + "-shm",
        "journal": source + "-journal",
        "wal other case": os.path.join(folder, "T.GPKG-WAL"),
        "wal through linked folder": str(tmp_path / "dirlink" / "T.gpkg-wal"),
        "inside the file": os.path.join(source, "x.zip"),
    }


@pytest.mark.parametrize("overwrite", [True, False])
def test_no_spelling_of_the_source_is_a_target(source, tmp_path, monkeypatch, dutch, overwrite):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")                  # relative spellings start with ..
    before = sha256(source)
    names = set(os.listdir(tmp_path))
    for label, target in spellings(tmp_path, source).items():
        with pytest.raises(DeliveryError) as info:
            do_export(source, target, overwrite=overwrite)          # the table's origin names the source
        assert info.value.reason == "is_source", label
        assert "bron" in delivery_error_message(info.value)
        with pytest.raises(DeliveryError) as info:                  # and so do the caller's `sources`
            check_target(target, [os.path.relpath(source)], overwrite=overwrite)
        assert info.value.reason == "is_source", label
    assert sha256(source) == before
    assert set(os.listdir(tmp_path)) == names | {"sub", "link.zip", "hard.zip", "dirlink"}


def test_a_source_read_elsewhere_is_still_the_source(source, tmp_path):
    """Plans read by QGIS (no origin in the table): the caller's sources protect the file."""
    plans, fasering = read(source)
    plans.origin = None
    fasering.origin = None
    with pytest.raises(DeliveryError) as info:
        export(plans, fasering, source, gemeente="GM0344", uitvraag="2026-najaar", peildatum=PEIL, concept=True,
               overwrite=True, standard=S, sources=[source])
    assert info.value.reason == "is_source"


def test_a_folder_source_takes_no_package_inside(tmp_path):
    """A source that is a folder (FileGDB, a folder of shapefiles): nothing is written inside it."""
    gdb = tmp_path / "plannen.gdb"
    (gdb / "deep").mkdir(parents=True)
    for target in (gdb / "p.zip", gdb / "deep" / "p.zip"):
        with pytest.raises(DeliveryError) as info:
            check_target(str(target), [str(gdb)], overwrite=True)
        assert info.value.reason == "is_source"
    with pytest.raises(DeliveryError) as info:
        check_target(str(gdb), [], overwrite=True)
    assert info.value.reason == "is_folder"


def test_shapefile_parts_are_the_source(tmp_path):
    for ext in (".shp", ".dbf", ".shx", ".prj", ".cpg"):
        (tmp_path / ("plans" + ext)).write_bytes(b"x")
    for name in ("plans.dbf", "PLANS.shx", "plans.zip", "plans.prj"):
        with pytest.raises(DeliveryError) as info:
            check_target(str(tmp_path / name), [str(tmp_path / "plans.shp")], overwrite=True)
        assert info.value.reason == "is_source", name
    assert check_target(str(tmp_path / "lmvw.zip"), [str(tmp_path / "plans.shp")]) == str(tmp_path / "lmvw.zip")


def test_cli_folder_of_the_source_is_fine_its_companions_are_not(tmp_path):
    folder = tmp_path / "plannen"
    folder.mkdir()
    plans = clean_plans(5, seed=2)
    src = write_plans(folder / "T.gpkg", plans.records, plans.geometries, plans.fasering)
    before = sha256(src)
    r = cli(*export_args(src, folder))                      # -o the folder of the source: the package beside it
    assert r.returncode == 0, r.stderr
    for target in (src, src + "-wal", folder / "." / "t.gpkg"):
        r = cli(*export_args(src, target, "--overwrite"))
        assert r.returncode == 2 and "bron" in r.stderr and "Traceback" not in r.stderr
    assert sha256(src) == before
    assert sorted(os.listdir(folder)) == ["T.gpkg", "lmvw_GM0344_2026-najaar.zip"]


def test_cli_missing_folder_with_trailing_slash_writes_nothing(source, tmp_path):
    """`-o missing/` used to write a file called 'missing' in the current folder."""
    r = cli(*export_args("T.gpkg", "missing" + os.sep), cwd=tmp_path)
    assert r.returncode == 2 and "missing" in r.stderr and "bestaat niet" in r.stderr
    r = cli(*export_args("T.gpkg", os.path.join("nowhere", "x.zip")), cwd=tmp_path)
    assert r.returncode == 2 and "bestaat niet" in r.stderr
    assert sorted(os.listdir(tmp_path)) == ["T.gpkg"]


# ------------------------------------------------------------------------ §2 only a package of ours


def not_ours(tmp_path):
    (tmp_path / "notes.zip").write_bytes(b"the municipality's notes")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("readme.txt", "someone else's zip")
    with zipfile.ZipFile(tmp_path / "fake.zip", "w") as zf:        # a manifest, but not ours
        zf.writestr("manifest.json", '{"name": "something else", "files": []}')
        zf.writestr("woningbouwplannen.gpkg", "x")
    with zipfile.ZipFile(tmp_path / "list.zip", "w") as zf:
        zf.writestr("manifest.json", "[1, 2]")
        zf.writestr("woningbouwplannen.gpkg", "x")
    return ["notes.zip", "other.zip", "fake.zip", "list.zip"]


def test_overwrite_replaces_only_a_previous_package(source, tmp_path, dutch):
    first = do_export(source, tmp_path / "lmvw.zip").zip_path
    assert is_package(first)
    for name in not_ours(tmp_path):
        assert not is_package(str(tmp_path / name))
        before = sha256(tmp_path / name)
        with pytest.raises(DeliveryError) as info:
            do_export(source, tmp_path / name, overwrite=True)
        assert info.value.reason == "not_package", name
        assert "geen LMVW-pakket" in delivery_error_message(info.value)
        assert sha256(tmp_path / name) == before
    do_export(source, first, overwrite=True)                      # a previous package is replaced
    assert is_package(first) and leftovers(tmp_path) == []


def test_cli_overwrite_of_a_file_that_is_not_a_package(source, tmp_path):
    not_ours(tmp_path)
    r = cli(*export_args("T.gpkg", "notes.zip", "--overwrite"), cwd=tmp_path)
    assert r.returncode == 2 and "LMVW" in r.stderr
    assert (tmp_path / "notes.zip").read_bytes() == b"the municipality's notes"


@pytest.fixture
def provider(qgis_processing):
    from qgis.core import QgsApplication

    from lmvw_plugin.processing.provider import LmvwProvider
    registry = QgsApplication.processingRegistry()
    p = registry.providerById("lmvw")
    if p is None:
        p = LmvwProvider()
        registry.addProvider(p)
    yield p


def test_processing_overwrite_never_replaces_the_source_or_a_stranger(source, tmp_path, provider,
                                                                    qgis_new_project):
    import processing
    from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer
    layer = QgsVectorLayer(f"{source}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    QgsProject.instance().addMapLayer(layer)
    not_ours(tmp_path)
    os.symlink(source, tmp_path / "link.zip")
    before = sha256(source)
    for name, expect in (("link.zip", "bron|source"), ("notes.zip", "LMVW")):
        with pytest.raises(QgsProcessingException, match=expect):
            processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM":
                                                   "2026-10-01", "CONCEPT": True, "OVERWRITE": True,
                                                   "OUTPUT": str(tmp_path / name)})
    assert sha256(source) == before and os.path.islink(tmp_path / "link.zip")
    assert (tmp_path / "notes.zip").read_bytes() == b"the municipality's notes"


def test_dialog_refuses_to_replace_a_file_that_is_not_a_package(source, tmp_path, qgis_iface, qgis_app,
                                                              qgis_new_project, monkeypatch):
    """The dialog's target exists but is someone else's file: say so instead of asking to replace it."""
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
    from qgis.PyQt.QtWidgets import QMessageBox

    import lmvw_plugin
    from lmvw_plugin.gui import dialogs
    layer = QgsVectorLayer(f"{source}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    QgsProject.instance().addMapLayer(layer)
    target = tmp_path / "lmvw_GM0344_2026-najaar.zip"
    target.write_bytes(b"not a package")

    class Dialog:
        def __init__(self, *a, **k):
            pass

        def exec(self):
            return True

        def values(self):
            return {"layer": layer, "uitvraag": "2026-najaar", "peildatum": PEIL, "gemeente": "GM0344",
                    "profile": "provincie", "folder": str(tmp_path), "concept": True}

        def target_path(self):
            return str(target)
    monkeypatch.setattr(dialogs, "ExportDialog", Dialog)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    messages = []

    class Tasks:                                  # run an export task (today's code) in this thread
        def addTask(self, task):  # noqa: N802
            task.finished(task.run())
    monkeypatch.setattr(QgsApplication, "taskManager", staticmethod(lambda: Tasks()))
    for name in ("removePluginMenu", "removeDockWidget", "openFeatureForm"):
        if not hasattr(qgis_iface, name):
            monkeypatch.setattr(qgis_iface, name, lambda *a, **k: None, raising=False)
    plugin = lmvw_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        monkeypatch.setattr(plugin, "bar", lambda text, *a, **k: messages.append(text))
        plugin.export()
    finally:
        plugin.unload()
    assert target.read_bytes() == b"not a package"
    assert asked == [] and any("LMVW" in m for m in messages), messages
