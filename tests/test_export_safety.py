"""An export never touches its source, replaces only a previous package of ours, and leaves nothing
behind when it fails: full disks, faults in the middle of writing, signals, a killed process."""
from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile

import pytest

from lmvw_plugin.delivery import package as pkgmod
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
    from qgis_util import lmvw_provider
    return lmvw_provider()


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


# ------------------------------------------------------------------------ §4 faults during export


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """A source of 2,000 plans: a package of ~6 MB that needs ~13 MB while it is written."""
    plans = clean_plans(2000, seed=5)
    return write_plans(tmp_path_factory.mktemp("medium") / "plans.gpkg", plans.records, plans.geometries,
                       plans.fasering)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A source of 8,000 plans: its export takes long enough to be stopped half-way."""
    plans = clean_plans(8000, seed=6)
    return write_plans(tmp_path_factory.mktemp("large") / "plans.gpkg", plans.records, plans.geometries,
                       plans.fasering)


class SmallDisk:
    """A tmpfs of `size` mounted at `path` (root only: CI and this machine run as root)."""

    def __init__(self, path, size):
        self.path, self.size = str(path), size

    def __enter__(self):
        os.makedirs(self.path, exist_ok=True)
        if shutil.which("mount") is None:
            pytest.skip("no mount command to make a small file system")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", self.path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {r.stderr.strip()}")
        return self.path

    def __exit__(self, *exc):
        r = subprocess.run(["umount", self.path], capture_output=True, text=True)
        if r.returncode != 0:                    # busy: this process still holds a file open there
            subprocess.run(["umount", "-l", self.path], capture_output=True)
            if exc[0] is None:
                raise AssertionError(f"a file is still open on the full disk: {r.stderr.strip()}")


def names(folder):
    return sorted(os.listdir(folder))


# sizes that fail in different places: GDAL creating the GeoPackage, SQLite copying the plans, the
# CSVs, the GeoPackage going into the zip, the text files going into the zip (its close)
FULL_DISKS = ["200k", "300k", "1m", "3m", "6m", "9m", "11m"]


@pytest.mark.parametrize("size", FULL_DISKS)
def test_a_disk_that_fills_up_leaves_nothing_and_says_so(medium, tmp_path, monkeypatch, dutch, size):
    """The estimate is switched off so the disk really fills up while writing."""
    monkeypatch.setattr(pkgmod, "estimate_size", lambda content: 0)
    with SmallDisk(tmp_path / "disk", size) as disk:
        with pytest.raises(DeliveryError) as info:
            do_export(medium, os.path.join(disk, "p.zip"))
        assert names(disk) == []
        e = info.value
        assert e.reason == "no_space" and e.free is not None and e.needed > e.free
        msg = delivery_error_message(e)
        assert "MB nodig" in msg and "MB vrij" in msg and disk in msg
        assert "()" not in msg and "CREATE" not in msg and "sqlite" not in msg


def test_too_small_disk_is_refused_before_writing_with_the_sizes(medium, tmp_path, dutch):
    with SmallDisk(tmp_path / "disk", "6m") as disk:
        calls = []
        with pytest.raises(DeliveryError) as info:
            do_export(medium, os.path.join(disk, "p.zip"), progress=calls.append)
        assert names(disk) == []
        e = info.value
        assert e.reason == "no_space" and 12_000_000 < e.needed < 16_000_000 and e.free <= 6 * 2 ** 20
        assert "het pakket heeft ongeveer" in delivery_error_message(e)


def test_the_estimate_covers_what_the_export_uses(medium, tmp_path, monkeypatch):
    """The estimate is at most 15 % above the export's peak (a disk of the peak's size suffices)."""
    plans, fasering = read(medium)
    from lmvw_plugin.delivery.content import select
    needed = pkgmod.estimate_size(select(S, plans, fasering, S.profiles["provincie"], "GM0344"))
    peak = []
    real_replace = os.replace

    def measuring_replace(src, dst):
        peak.append(sum(os.path.getsize(os.path.join(os.path.dirname(src), n))
                        for n in os.listdir(os.path.dirname(src))))
        real_replace(src, dst)
    monkeypatch.setattr(pkgmod.os, "replace", measuring_replace)
    do_export(medium, tmp_path / "p.zip")
    assert peak and peak[0] <= needed <= 1.15 * peak[0]


def test_cli_on_a_full_disk_answers_in_one_line(medium, tmp_path):
    """No traceback, no GDAL 'Exception ignored' with its SQL statement: one message and exit 2."""
    code = ("import sys; from lmvw_plugin.delivery import package; package.estimate_size = lambda c: 0; "
            "from lmvw_plugin.cli import main; sys.exit(main(sys.argv[1:]))")
    for size in ("300k", "9m"):
        with SmallDisk(tmp_path / f"disk{size}", size) as disk:
            r = subprocess.run([sys.executable, "-c", code, *export_args(medium, disk)], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 2, r.stderr
            assert r.stderr.strip().count("\n") == 0, r.stderr
            assert "MB nodig" in r.stderr and "Traceback" not in r.stderr and "Exception" not in r.stderr
            assert names(disk) == []


def fail_once(monkeypatch, owner, name, exc):
    real = getattr(owner, name)
    state = {"n": 0}

    def failing(*a, **k):
        state["n"] += 1
        if state["n"] == 1:
            raise exc
        return real(*a, **k)
    monkeypatch.setattr(owner, name, failing)
    return state


def test_full_disk_inside_the_clean_up_still_cleans_up(source, tmp_path, monkeypatch):
    """The zip's close fails again (a full disk) in the clean-up: the temporaries go all the same."""
    out = tmp_path / "out"
    out.mkdir()
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(zipfile.ZipFile, "write", lambda *a, **k: (_ for _ in ()).throw(full))
    real_close = zipfile.ZipFile.close

    def close(self):
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        finally:
            real_close(self)
    monkeypatch.setattr(zipfile.ZipFile, "close", close)
    with pytest.raises(DeliveryError) as info:
        do_export(source, out / "p.zip")
    assert info.value.reason == "no_space" and names(out) == []


@pytest.mark.parametrize("fault, reason, shown, hidden", [
    (OSError(), "write_failed", "OSError", "()"),
    (sqlite3.OperationalError("database or disk is full"), "no_space", "MB", "database"),
    (RuntimeError('sqlite3_exec(CREATE TABLE "fasering" ( "fid" INTEGER PRIMARY KEY)) failed: attempt to write a '
                  'readonly database'), "write_failed", "readonly database", "CREATE"),
    (RuntimeError("INSERT INTO x VALUES (1)"), "write_failed", "RuntimeError", "INSERT"),
    (MemoryError(), "no_memory", "memory", "MemoryError"),
    (OSError(errno.EFBIG, "File too large"), "too_big", "FAT32", "Errno"),
])
def test_faults_become_clear_messages(source, tmp_path, monkeypatch, fault, reason, shown, hidden):
    out = tmp_path / "out"
    out.mkdir()

    def broken(*a, **k):
        raise fault
    monkeypatch.setattr(pkgmod, "write_gpkg", broken)
    with pytest.raises(DeliveryError) as info:
        do_export(source, out / "p.zip")
    msg = delivery_error_message(info.value)
    assert info.value.reason == reason, msg
    assert shown in msg and hidden not in msg and "()" not in msg
    assert names(out) == []


def test_an_io_error_on_a_nearly_full_disk_is_a_full_disk(source, tmp_path, monkeypatch):
    """GDAL and SQLite answer a full disk with 'disk I/O error' or 'readonly database' too."""
    out = tmp_path / "out"
    out.mkdir()
    free = iter([10 ** 12] + [1000] * 10)                  # room at the start, none after the failure
    monkeypatch.setattr(pkgmod, "free_space", lambda folder: next(free))
    monkeypatch.setattr(pkgmod, "write_gpkg", lambda *a, **k: (_ for _ in ()).throw(
        sqlite3.OperationalError("disk I/O error")))
    with pytest.raises(DeliveryError) as info:
        do_export(source, out / "p.zip")
    assert info.value.reason == "no_space" and info.value.free == 1000 and names(out) == []


def test_os_replace_failing_leaves_the_earlier_package(source, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    first = do_export(source, out / "p.zip").zip_path
    before = sha256(first)
    fail_once(monkeypatch, pkgmod.os, "replace", OSError(errno.EIO, "Input/output error"))
    with pytest.raises(DeliveryError) as info:
        do_export(source, first, overwrite=True)
    msg = delivery_error_message(info.value)
    assert info.value.reason == "write_failed" and "Input/output error" in msg and "Errno" not in msg
    assert sha256(first) == before and names(out) == ["p.zip"]


def test_a_failing_removal_is_retried(source, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    fail_once(monkeypatch, pkgmod.shutil, "rmtree", PermissionError(errno.EBUSY, "busy"))
    monkeypatch.setattr(pkgmod, "write_gpkg", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EIO, "I/O")))
    with pytest.raises(DeliveryError):
        do_export(source, out / "p.zip")
    assert names(out) == []


def dead_pid():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def stale_set(folder):
    """What killed exports left: ours of a dead process, old ones of 0.1.0; and what must stay."""
    host = pkgmod._HOST
    old = dt.datetime.now().timestamp() - pkgmod.STALE_SECONDS - 60
    made = {}
    for name, age_old in ((f".lmvw-export-{host}-{dead_pid()}-abcd1234", False),      # dead process: gone
                          (".lmvw-export-k2j4h5g6", True),                             # 0.1.0, old: gone
                          (".lmvw-q1w2e3r4.zip.part", True),                           # 0.1.0, old: gone
                          (f".lmvw-export-{host}-{os.getpid()}-live0001", False),      # running: stays
                          (f".lmvw-export-{host}-{os.getpid()}-live0002", True),       # running for 6 h: gone
                          (".lmvw-export-z9y8x7w6", False),                            # 0.1.0, fresh: stays
                          (".lmvw-export-0badc0de-1-other001", False),                 # other machine: stays
                          (".lmvw-notes.txt", True)):                                  # not ours: stays
        path = os.path.join(folder, name)
        if name.endswith(".part") or name.endswith(".txt"):
            with open(path, "wb") as fh:
                fh.write(b"x" * 1000)
        else:
            os.makedirs(path)
            for part in ("woningbouwplannen.gpkg", "package.zip.part"):
                with open(os.path.join(path, part), "wb") as fh:
                    fh.write(b"x" * 1000)
        if age_old:
            os.utime(path, (old, old))
        made[name] = age_old
    return [".lmvw-export-z9y8x7w6", ".lmvw-export-0badc0de-1-other001",
            f".lmvw-export-{pkgmod._HOST}-{os.getpid()}-live0001", ".lmvw-notes.txt"]


def test_an_export_removes_stale_temporaries_beside_its_target(source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stays = stale_set(str(out))
    do_export(source, out / "p.zip")
    assert names(out) == sorted(stays + ["p.zip"])


def test_processing_removes_stale_temporaries_too(source, tmp_path, provider, qgis_new_project):
    import processing
    from qgis.core import QgsProject, QgsVectorLayer
    out = tmp_path / "out"
    out.mkdir()
    stays = stale_set(str(out))
    layer = QgsVectorLayer(f"{source}|layername=woningbouwplannen", "woningbouwplannen", "ogr")
    QgsProject.instance().addMapLayer(layer)
    processing.run("lmvw:exportdelivery", {"INPUT": layer, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
                                           "CONCEPT": True, "OUTPUT": str(out / "p.zip")})
    assert names(out) == sorted(stays + ["p.zip"])


def start_export(src, out):
    """The command-line export of `src` into `out`, returned once it is writing its temporaries."""
    p = subprocess.Popen([sys.executable, "-m", "lmvw_plugin", *export_args(src, out)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.time() + 60
    while time.time() < end and p.poll() is None:
        temps = [n for n in os.listdir(out) if n.startswith(".lmvw")]
        if any(os.path.exists(os.path.join(out, n, "woningbouwplannen.gpkg")) for n in temps):
            return p
        time.sleep(0.005)
    p.kill()
    pytest.fail(f"the export did not start writing: {p.communicate()}")


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_cli_stopped_by_a_signal_cleans_up_and_says_so(large, tmp_path, signame):
    out = tmp_path / "out"
    out.mkdir()
    p = start_export(large, out)
    signum = getattr(signal, signame)
    p.send_signal(signum)
    _stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 128 + signum, stderr
    assert signame in stderr and "niets geschreven" in stderr and "Traceback" not in stderr
    assert names(out) == []


def test_after_sigkill_the_next_export_removes_the_remains(large, source, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    p = start_export(large, out)
    p.kill()
    p.communicate()
    left = names(out)
    assert left and all(n.startswith(".lmvw-export-") for n in left)     # a kill cannot clean up ...
    r = cli(*export_args(source, out / "next.zip"))                      # ... the next export does
    assert r.returncode == 0, r.stderr
    assert names(out) == ["next.zip"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_file_that_appears_while_exporting_is_not_replaced(source, tmp_path, overwrite):
    """Someone saves a file under the package's name while the export runs: it stays."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "p.zip"
    if overwrite:
        do_export(source, target)

    def save_over(p):
        if p == 99:
            target.unlink(missing_ok=True)
            target.write_bytes(b"saved meanwhile")
    with pytest.raises(DeliveryError) as info:
        do_export(source, target, overwrite=overwrite, progress=save_over)
    assert info.value.reason == ("not_package" if overwrite else "exists")
    assert target.read_bytes() == b"saved meanwhile" and names(out) == ["p.zip"]


def test_validate_json_never_replaces_the_source(source, tmp_path):
    """A sibling: `validate T.gpkg --json T.gpkg` wrote the findings over the GeoPackage."""
    before = sha256(source)
    for target in ("T.gpkg", "./T.gpkg", "T.gpkg-wal"):
        r = cli("validate", "T.gpkg", "--json", target, cwd=tmp_path)
        assert r.returncode == 2 and "--json" in r.stderr, r.stderr
    assert sha256(source) == before and names(tmp_path) == ["T.gpkg"]
    assert cli("validate", "T.gpkg", "--json", "r.json", cwd=tmp_path).returncode in (0, 1)
    assert (tmp_path / "r.json").exists()


def test_validate_json_over_the_source_is_refused_before_the_plans_are_read(source, tmp_path, monkeypatch,
                                                                             capsys):
    """At once: not after reading (and checking) a layer of 50,000 plans."""
    from lmvw_plugin import cli as cli_module

    def read_input(*a, **k):
        raise AssertionError("the plans were read before the --json target was refused")
    monkeypatch.setattr(cli_module, "read_input", read_input)
    assert cli_module.main(["validate", str(source), "--json", str(source)]) == 2
    assert "--json" in capsys.readouterr().err


@pytest.mark.parametrize("size", ["100k", "400k"])
def test_new_on_a_full_disk_answers_in_one_line(tmp_path, size):
    """A sibling: `new` on a full disk ended in a traceback with GDAL's SQL statement."""
    with SmallDisk(tmp_path / "disk", size) as disk:
        r = cli("new", os.path.join(disk, "w.gpkg"), "--gemeente", "GM0344")
        assert r.returncode == 2 and "vol" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and "INSERT" not in r.stderr and "query" not in r.stderr
        assert names(disk) == []


def test_validate_json_on_a_full_disk_keeps_the_earlier_file(tmp_path):
    """A sibling: a full disk left half a JSON file (over the earlier one) and an errno message."""
    plans = clean_plans(300, seed=9)
    for rec in plans.records[::2]:
        rec["eengezins"] = (rec["eengezins"] or 0) + 1                # many findings: a JSON of ~100 kB
    src = write_plans(tmp_path / "p.gpkg", plans.records, plans.geometries, plans.fasering)
    with SmallDisk(tmp_path / "disk", "8k") as disk:
        earlier = os.path.join(disk, "r.json")
        with open(earlier, "w") as fh:
            fh.write('{"earlier": true}')
        r = cli("validate", src, "--json", earlier)
        assert r.returncode == 2 and "vol" in r.stderr and "Errno" not in r.stderr, r.stderr
        with open(earlier) as fh:
            assert names(disk) == ["r.json"] and fh.read() == '{"earlier": true}'
