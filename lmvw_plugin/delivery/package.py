"""Assemble the uitvraag package (§6): validate, select, write to a temporary place, and move the
zip into place only when it is complete. The source is only read."""
from __future__ import annotations

import datetime as _dt
import errno
import gc
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional

import numpy as np

from ..common.files import writable
from ..common.geo import shapely
from ..common.paths import is_source  # noqa: F401 - (there, light for the command line)
from ..rules.engine import Validator
from ..rules.findings import ERROR, WARNING, Finding, Report
from ..rules.table import FaseringTable, PlanTable
from ..standard import Standard, load
from . import compare as compare_mod
from . import report as report_mod
from .changes_report import changes_html
from .content import Content, delivered_findings, select, totals
from .names import FASERING_CSV, FILES, GPKG, MANIFEST, PLANS_CSV, REPORT  # noqa: F401 - package.X as before
from .writers import file_entries, write_csv, write_fasering_csv, write_gpkg


class DeliveryError(Exception):
    """The package cannot be made; `reason` is a stable key, `detail` names the cause."""

    def __init__(self, reason: str, detail: str = "", needed: Optional[int] = None, free: Optional[int] = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.needed = needed              # no_space: bytes the export needs (estimated) and bytes free
        self.free = free


class DeliveryRefused(Exception):
    """Validation errors block a final delivery (nothing was written)."""

    def __init__(self, errors: int, warnings: int, findings: List[Finding]):
        super().__init__(f"{errors} validation errors")
        self.errors = errors
        self.warnings = warnings
        self.findings = findings


class DeliveryCancelled(Exception):
    pass


@dataclass
class DeliveryResult:
    zip_path: str
    manifest: Dict
    content: Content
    shown: List[Finding]
    anonymous: List[Finding]
    report_html: str = ""
    validation: Optional[Report] = None
    timings: Dict[str, float] = field(default_factory=dict)
    changes: Optional["compare_mod.Changes"] = None          # with a previous delivery (issue 11)


# ------------------------------------------------------------------------------------------------
# the target: never the source, never a file that is not a package of ours

def is_package(path: str) -> bool:
    """Is `path` a package this plugin wrote: a zip with our manifest.json (an object with the
    Basisset version, the plugin version and the file list) and the delivery GeoPackage?
    Only such a file may be replaced (--overwrite, OVERWRITE, the dialog's confirmed replace)."""
    try:
        if not os.path.isfile(path) or not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(MANIFEST)
            if info.file_size > (1 << 20) or GPKG not in zf.namelist():
                return False
            manifest = json.loads(zf.read(info).decode("utf-8"))
    except (OSError, KeyError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile, EOFError):
        return False
    return (isinstance(manifest, dict) and isinstance(manifest.get("basisset"), str)
            and isinstance(manifest.get("plugin_version"), str) and isinstance(manifest.get("files"), list))


def check_target(out_zip: str, sources: Iterable[Optional[str]] = (), overwrite: bool = False) -> str:
    """The absolute path the package may be written to, or DeliveryError:

    - `is_source`: the target is one of `sources` (the files the export reads), in any spelling (relative,
      `..`, a symlink, a hard link, another case on a case-insensitive file system, a trailing slash),
      one of their SQLite companions (-wal, -shm, -journal) or shapefile parts, or lies inside a source
      folder;
    - `is_folder`: the target is a folder; `no_folder`: its folder does not exist;
    - `exists`: it exists and `overwrite` is off; `not_package`: it exists but is not a package of ours
      (only a previous package is ever replaced);
    - `unwritable`: the folder cannot be written.

    The command line, Processing and the export dialog all call this (export() does too)."""
    given = out_zip or ""
    target = os.path.abspath(given) if given else ""
    if target and is_source(target, sources):
        raise DeliveryError("is_source", target)
    if not target:
        raise DeliveryError("no_folder", os.getcwd())
    if os.path.isdir(target):
        raise DeliveryError("is_folder", target)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder) or given.endswith(tuple({os.sep, os.altsep or os.sep})):
        raise DeliveryError("no_folder", folder if not os.path.isdir(folder) else target)
    if os.path.lexists(target):
        if not overwrite:
            raise DeliveryError("exists", target)
        if not is_package(target):
            raise DeliveryError("not_package", target)
    if not writable(folder):
        raise DeliveryError("unwritable", folder)
    return target


def propose_uitvraag(today: Optional[_dt.date] = None) -> str:
    today = today or _dt.date.today()
    return f"{today.year}-{'voorjaar' if today.month <= 6 else 'najaar'}"


def check_uitvraag(standard: Standard, uitvraag: str) -> None:
    if not re.match(standard.delivery["uitvraag_pattern"], uitvraag or ""):
        raise DeliveryError("bad_uitvraag", uitvraag or "")


def package_name(standard: Standard, gemeente: str, uitvraag: str) -> str:
    return standard.delivery["filename"].format(gemeentecode=gemeente, uitvraag=uitvraag)


def single_gemeente(plans: PlanTable) -> Optional[str]:
    """The one gemeentecode all plans share, else None."""
    codes = {c for c in plans.columns["gemeentecode"].tolist() if c}
    return codes.pop() if len(codes) == 1 else None


def delivery_summary(findings: List[Finding]) -> Dict:
    by_rule: Dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    return {"errors": sum(f.severity == ERROR for f in findings),
            "warnings": sum(f.severity == WARNING for f in findings),
            "by_rule": dict(sorted(by_rule.items()))}


def check_choices(standard: Standard, gemeente: str, profile: str) -> None:
    if profile not in standard.profiles:
        raise DeliveryError("bad_profile", profile)
    if not standard.valid_gemeentecode(gemeente):
        raise DeliveryError("bad_gemeente", gemeente or "")


def check_delivers(plans: PlanTable, content: Content) -> None:
    """A delivery without plans would silently replace the previous package: refuse it."""
    if content.n == 0:
        raise DeliveryError("no_plans", str(int(plans.n)))


def prepare(plans: PlanTable, fasering: Optional[FaseringTable], *, gemeente: str, peildatum: _dt.date,
            profile: str, lang: str = "nl", standard: Optional[Standard] = None):
    """Validate and select without writing: what the dialog shows before export.
    Returns (content, shown findings, anonymous findings, full report)."""
    standard = standard or load()
    check_choices(standard, gemeente, profile)
    content = select(standard, plans, fasering, standard.profiles[profile], gemeente)
    validation = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
    shown, anonymous = delivered_findings(validation.findings, plans, content, standard, lang)
    return content, shown, anonymous, validation


class _DestructorErrors:
    """Collects what GDAL raises while a dataset is closed in this thread (`ds = None`): Python can only
    print such an exception ("Exception ignored in: delete_DataSource", with GDAL's SQL statement) and
    would go on with a GeoPackage that was not written completely. Other threads' exceptions, and any
    after the block, go to the hook that was there."""

    def __init__(self):
        self.thread = threading.current_thread()
        self.errors: List[BaseException] = []
        self.active = False

    def __enter__(self) -> "_DestructorErrors":
        self.previous = sys.unraisablehook
        self.active = True
        sys.unraisablehook = self.hook
        return self

    def hook(self, unraisable) -> None:
        if self.active and threading.current_thread() is self.thread and \
                isinstance(unraisable.exc_value, RuntimeError):
            self.errors.append(unraisable.exc_value)
        else:
            self.previous(unraisable)

    def __exit__(self, *exc) -> None:
        self.active = False
        if sys.unraisablehook is self.hook:
            sys.unraisablehook = self.previous


def _release(e: BaseException) -> None:
    """Drop the frames an exception (and its chain) holds: a GDAL dataset in one of them keeps the file
    open (a full disk of deleted space on Linux; a folder that cannot be removed on Windows)."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        e.__traceback__ = None
        e = e.__cause__ or e.__context__
    gc.collect()


class _GpkgJob(threading.Thread):
    """Writes the GeoPackage and puts it in the zip while the main thread validates and writes the
    small files (SQLite releases the GIL; the machine has more than one core).

    The GeoPackage is stored in the zip, not deflated: GIS software opens a stored GeoPackage
    directly inside the zip (GDAL's /vsizip/, QGIS) with random access, and deflating a large one
    costs more time than everything else the export does. The text files are deflated."""

    CHUNK = 1 << 20

    def __init__(self, write: Callable[[str], None], gpkg: str, zip_path: str):
        super().__init__(name="lmvw-gpkg", daemon=True)
        self.write, self.gpkg, self.zip_path = write, gpkg, zip_path
        self.stop = threading.Event()
        self.zf: Optional[zipfile.ZipFile] = None
        self.sha256: Optional[str] = None
        self.error: Optional[BaseException] = None
        self.seconds: Dict[str, float] = {}

    def run(self) -> None:
        try:
            t = time.perf_counter()
            with _DestructorErrors() as closing:
                try:
                    self.write(self.gpkg)
                except BaseException as e:
                    _release(e)                  # GDAL's dataset, held by the traceback, is closed here
                    raise
            if closing.errors:                   # GDAL failed closing the GeoPackage (a full disk)
                raise closing.errors[0]
            self.seconds["gpkg"] = time.perf_counter() - t
            t = time.perf_counter()
            self.zf = zipfile.ZipFile(self.zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
            info = zipfile.ZipInfo.from_file(self.gpkg, GPKG)
            info.compress_type = zipfile.ZIP_STORED
            digest = hashlib.sha256()
            with open(self.gpkg, "rb") as src, self.zf.open(info, "w", force_zip64=True) as dst:
                while not self.stop.is_set():
                    block = src.read(self.CHUNK)
                    if not block:
                        break
                    digest.update(block)
                    dst.write(block)
            self.sha256 = digest.hexdigest()
            self.seconds["zip_gpkg"] = time.perf_counter() - t
        except BaseException as e:  # re-raised in the main thread
            self.error = e

    def finish(self) -> zipfile.ZipFile:
        self.join()
        if self.error is not None:
            raise self.error
        return self.zf

    def abandon(self) -> None:
        """Stop and close the zip; never raises (a full disk fails the close too)."""
        self.stop.set()
        self.join()
        zf, self.zf = self.zf, None
        if zf is not None:
            try:
                zf.close()
            except Exception:
                fp = getattr(zf, "fp", None)
                if fp is not None:
                    try:
                        fp.close()
                    except Exception:
                        pass


# ------------------------------------------------------------------------------------------------
# temporaries beside the target: named after this machine and process, so that a later export (the
# command line, Processing or the dialog) finds the ones a killed export left and removes them

TEMP_PREFIX = ".lmvw-export-"
STALE_SECONDS = 6 * 3600            # an export whose process cannot be asked is over after this long
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_OURS = re.compile(r"^\.lmvw-export-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-[A-Za-z0-9_]+$")
_UNOWNED = re.compile(r"^\.lmvw-(export-[a-z0-9_]{8}|[a-z0-9_]{8}\.zip\.part|probe-[a-z0-9_]{8})$")  # 0.1.0, probes


def temp_prefix() -> str:
    return f"{TEMP_PREFIX}{_HOST}-{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Is process `pid` of this machine still running? (Unknown counts as running.)"""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":                    # os.kill(pid, 0) would terminate the process on Windows
        try:
            import ctypes
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            handle = kernel32.OpenProcess(0x1000, False, pid)       # PROCESS_QUERY_LIMITED_INFORMATION
            if not handle:
                return ctypes.get_last_error() == 5                  # access denied: it exists
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            kernel32.CloseHandle(handle)
            return code.value == 259                                 # STILL_ACTIVE
        except Exception:
            return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                        # EPERM: another user's process
        return True
    return True


def remove_stale(folder: str, now: Optional[float] = None) -> List[str]:
    """Remove what exports that can no longer finish left in `folder`: ours from a process of this
    machine that has ended, and any (also of other machines on a shared folder, and of version 0.1.0)
    older than STALE_SECONDS. Returns the names removed."""
    removed: List[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time() if now is None else now
    for name in names:
        ours = _OURS.match(name)
        if ours is None and not _UNOWNED.match(name):
            continue
        path = os.path.join(folder, name)
        try:
            age = now - os.lstat(path).st_mtime
        except OSError:
            continue
        stale = age > STALE_SECONDS
        if ours is not None and ours["host"] == _HOST and not pid_alive(int(ours["pid"])):
            stale = True
        if stale and _remove(path):
            removed.append(name)
    return removed


def _remove(path: str) -> bool:
    for attempt in range(3):
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            elif os.path.lexists(path):
                os.remove(path)
        except FileNotFoundError:
            pass
        except OSError:
            time.sleep(0.05 * (attempt + 1))
        if not os.path.lexists(path):
            return True
    return False


def _tree_size(path: str) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def free_space(folder: str) -> Optional[int]:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def estimate_size(content: Content) -> int:
    """Bytes an export of `content` needs at its peak beside the target: the GeoPackage twice (written,
    then stored in the zip), the CSVs and the report with their deflated copies. Fitted on generated
    layers of 1 to 50,000 plans; a few per cent above what is used."""
    geoms = content.geometry
    present = np.array([g for g in geoms if g is not None], dtype=object)
    coords = int(shapely.get_num_coordinates(present).sum()) if len(present) else 0
    rows, fas = content.n, len(content.fasering_rows)
    gpkg = 160_000 + 19 * coords + 1000 * rows + 50 * fas
    text = 250 * rows + 47 * fas + 64_000
    return int(2 * gpkg + 1.5 * text)


_DISK_FULL = re.compile(r"disk is full|no space|not enough space|disk full|quota|ENOSPC|EDQUOT", re.I)
_IO = re.compile(r"I/O error|readonly database|read-only|unable to open|cannot open|short write|failed to write",
                 re.I)
_SQL = re.compile(r"\b(CREATE|INSERT|SELECT|UPDATE|DELETE|DROP|ALTER|PRAGMA|ATTACH|DETACH|REPLACE|VALUES)\b", re.I)


def plain_detail(text: str) -> str:
    """A library's message without SQL statements, temporary paths or line noise (never empty)."""
    text = " ".join(str(text or "").split())
    m = re.search(r"sqlite3_\w+\(.*\)\s*failed:\s*(.*)$", text)
    if m:
        text = m.group(1)
    while _SQL.search(text) and ": " in text:          # "…statement…: the reason" -> the reason
        text = text.rsplit(": ", 1)[1]
    if _SQL.search(text):
        text = ""
    text = re.sub(r"\S*\.lmvw-export-\S*", "", text).strip(" :;,.")
    return text[:200]


def failure_cause(e: BaseException):
    """(kind, detail) of a failure while writing: no_space, unwritable, too_big, no_memory, io, other."""
    if isinstance(e, MemoryError):
        return "no_memory", ""
    if isinstance(e, OSError):
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return "no_space", ""
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "unwritable", ""
        if e.errno == errno.EFBIG:
            return "too_big", ""
        detail = e.strerror or (os.strerror(e.errno) if e.errno else "") or plain_detail(str(e))
        return ("io" if e.errno == errno.EIO else "other"), detail
    text = plain_detail(str(e))
    if isinstance(e, sqlite3.Error):
        code = getattr(e, "sqlite_errorcode", None)
        if code is not None:
            primary = code & 0xFF
            if primary == 13:                            # SQLITE_FULL
                return "no_space", ""
            if primary in (8, 10, 14):                   # READONLY, IOERR, CANTOPEN: often a full disk
                return "io", text or getattr(e, "sqlite_errorname", "")
    if _DISK_FULL.search(str(e)):
        return "no_space", ""
    if _IO.search(str(e)):
        return "io", text
    return "other", text or type(e).__name__


def _write_error(e: BaseException, folder: str, needed: int, written: int) -> DeliveryError:
    """The DeliveryError for a failure while writing (after the temporaries are gone)."""
    if isinstance(e, DeliveryError):
        return e
    kind, detail = failure_cause(e)
    free = free_space(folder)
    if kind == "no_space" or (kind == "io" and free is not None and free < needed):
        return DeliveryError("no_space", folder, needed=max(needed, int(written * 1.1) + 1), free=free)
    if kind == "unwritable":
        return DeliveryError("unwritable", folder)
    if kind == "too_big":
        return DeliveryError("too_big", folder)
    if kind == "no_memory":
        return DeliveryError("no_memory", "")
    return DeliveryError("write_failed", detail or type(e).__name__)


def _discard(job: "_GpkgJob", csvs: ThreadPoolExecutor, tmpdir: str) -> None:
    """Stop the writers and remove the temporary folder; never raises, may run twice."""
    try:
        csvs.shutdown(wait=True)
    except BaseException:
        pass
    try:
        job.abandon()
    except BaseException:
        pass
    _remove(tmpdir)


def export(plans: PlanTable, fasering: Optional[FaseringTable], out_zip: str, *, gemeente: str,
           uitvraag: str, peildatum: _dt.date, profile: str = "provincie", concept: bool = False,
           overwrite: bool = False, lang: str = "nl", plugin_version: str = "", standard: Optional[Standard] = None,
           progress: Optional[Callable[[float], None]] = None,
           is_cancelled: Optional[Callable[[], bool]] = None,
           created_at: Optional[_dt.datetime] = None, sources: Iterable[Optional[str]] = (),
           previous: Optional["compare_mod.Delivery"] = None) -> DeliveryResult:
    """Write the package to `out_zip`. Raises DeliveryError (bad input, cannot write),
    DeliveryRefused (validation errors and not concept) or DeliveryCancelled; in all three
    cases nothing is left behind and an existing package is untouched. `sources` are the files the
    plans were read from (the tables' own origins are added): the target is never one of them, and
    only a previous package is replaced (check_target). `previous`: the previous delivery
    (compare_read.read_package): the rules across uitvragen (V01…) run, the report gets the section
    *Wijzigingen sinds <uitvraag>* and the manifest records the previous package and the summary.

    Everything is written in a temporary folder next to the target; the zip is moved into place
    only when it is complete. The GeoPackage is written in a second thread while the plans are
    validated: a refused or cancelled export discards it."""
    timings: Dict[str, float] = {}
    t0 = time.perf_counter()
    standard = standard or load()
    check_uitvraag(standard, uitvraag)
    check_choices(standard, gemeente, profile)
    sources = list(sources) + [t.origin["path"] for t in (plans, fasering)
                               if t is not None and t.origin and t.origin.get("path")]
    out_zip = check_target(out_zip, sources, overwrite)
    folder = os.path.dirname(out_zip)

    def step(p: float) -> None:
        if is_cancelled is not None and is_cancelled():
            raise DeliveryCancelled()
        if progress is not None:
            progress(p)

    remove_stale(folder)
    step(1)
    content = select(standard, plans, fasering, standard.profiles[profile], gemeente)
    check_delivers(plans, content)
    copy_from = _copyable(plans, content)
    needed = estimate_size(content)
    free = free_space(folder)
    if free is not None and free < needed:
        raise DeliveryError("no_space", folder, needed=needed, free=free)
    # unreadable fasering values are NULL in the columns: such a table is written, not copied raw
    fas_out = _clean_copy(fasering) if fasering is not None and fasering.bad else fasering
    html = ""
    csvs = ThreadPoolExecutor(1, thread_name_prefix="lmvw-csv")
    try:
        tmpdir = tempfile.mkdtemp(prefix=temp_prefix(), dir=folder)
    except OSError as e:
        raise _write_error(e, folder, needed, 0) from None
    tmpzip = os.path.join(tmpdir, "package.zip.part")      # one folder holds every temporary
    job = _GpkgJob(lambda path: write_gpkg(path, standard, content.fields, content.columns, content.geometry,
                                           fas_out, content.fasering_rows, copy_from,
                                           plans.fids[content.rows] if copy_from else None),
                   os.path.join(tmpdir, GPKG), tmpzip)
    try:
        job.start()
        csv_done = csvs.submit(_write_csvs, tmpdir, standard, content, fasering)
        step(5)
        validation = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
        shown, anonymous = delivered_findings(validation.findings, plans, content, standard, lang)
        changes = None
        if previous is not None:                 # issue 11: what changed since the last delivery
            current = compare_mod.package_view(standard, previous, compare_mod.layer_delivery(
                standard, plans, fasering, gemeente), standard.profiles[profile])
            changes = compare_mod.compare(standard, previous, current, lang, peildatum)
            v_shown, v_anonymous = changes.split_findings(standard.profiles[profile], standard)
            shown, anonymous = shown + v_shown, anonymous + v_anonymous
        timings["validate"] = time.perf_counter() - t0
        summary = delivery_summary(shown + anonymous)
        if summary["errors"] and not concept:
            raise DeliveryRefused(summary["errors"], summary["warnings"], shown + anonymous)
        step(40)
        manifest = _manifest(standard, plans, content, summary, gemeente=gemeente, uitvraag=uitvraag,
                             peildatum=peildatum, profile=profile, concept=concept, plugin_version=plugin_version,
                             created_at=created_at)
        changes_section = ""
        if changes is not None:
            manifest["previous"] = {"uitvraag": previous.uitvraag, "peildatum": previous.peildatum,
                                    "sha256": previous.sha256, "file": os.path.basename(previous.path)}
            manifest["changes"] = changes.summary(standard.profiles[profile], standard)
            changes_section = changes_html(standard, changes, standard.profiles[profile], lang)
        step(55)
        fjaar = fasering.years[content.fasering_rows] if fasering is not None else np.empty(0)
        faantal = fasering.counts[content.fasering_rows] if fasering is not None else np.empty(0)
        html = report_mod.render_report(standard, manifest, content.columns, fjaar, faantal, shown,
                                        anonymous, lang, geometry=content.geometry,
                                        changes_section=changes_section)
        with open(os.path.join(tmpdir, REPORT), "w", encoding="utf-8") as fh:
            fh.write(html)
        step(60)
        csv_done.result()
        step(70)
        while job.is_alive():                    # the GeoPackage stored in the zip (and its checksum)
            job.join(0.2)
            step(80)
        zf = job.finish()
        timings.update(job.seconds)
        manifest["files"] = file_entries(tmpdir, FILES, known={GPKG: job.sha256})
        with open(os.path.join(tmpdir, MANIFEST), "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=2)
        with zf:
            for name in (PLANS_CSV, FASERING_CSV, REPORT, MANIFEST):
                zf.write(os.path.join(tmpdir, name), name, compresslevel=1)
        step(99)
        if os.path.lexists(out_zip) and (not overwrite or not is_package(out_zip)):
            # created while we wrote (another export, the user): the same rules as before we began
            raise DeliveryError("exists" if not overwrite else "not_package", out_zip)
        os.replace(tmpzip, out_zip)            # zipfile created it with the user's umask
    except (DeliveryCancelled, DeliveryRefused):
        raise
    except Exception as e:                     # OSError, GDAL's RuntimeError, sqlite3.Error, zipfile, ...
        written = _tree_size(tmpdir)
        _discard(job, csvs, tmpdir)
        error = _write_error(e, folder, needed, written)
        if error.reason == "write_failed":       # an unexpected failure: its traceback for the log
            raise error from e
        raise error from None
    finally:                                   # every exit, signals turned into exceptions included
        _discard(job, csvs, tmpdir)
    if progress is not None:
        progress(100)
    timings["total"] = time.perf_counter() - t0
    return DeliveryResult(out_zip, manifest, content, shown, anonymous, html, validation, timings, changes)


def _write_csvs(folder: str, standard: Standard, content: Content, fasering: Optional[FaseringTable]) -> None:
    write_csv(os.path.join(folder, PLANS_CSV), content.fields, content.columns,
              {"oppervlakte_m2": _areas(content.geometry)})
    write_fasering_csv(os.path.join(folder, FASERING_CSV), standard, fasering, content.fasering_rows)


def _copyable(plans: PlanTable, content: Content) -> Optional[Dict]:
    """The source GeoPackage to copy plan rows from, when the delivered rows are exactly its rows:
    unchanged values (nothing unreadable), in RD New, MultiPolygon (or no) geometry."""
    if plans.origin is None or plans.bad or not _attachable(plans.origin["path"]):
        return None
    geoms = content.geometry
    present = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if present.any() and not (shapely.get_type_id(geoms[present]) == 6).all():
        return None
    return plans.origin


def _attachable(path: str) -> bool:
    """SQLite can read the source from another connection: a GeoPackage in WAL mode needs its
    -shm/-wal files, which a read-only file or folder does not let it create."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    if len(header) < 20 or header[18] != 2:          # not WAL: a plain read works
        return True
    folder = os.path.dirname(path) or "."
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _clean_copy(fasering: FaseringTable) -> FaseringTable:
    """The fasering as read (unreadable values are NULL in the columns): never copied raw."""
    return fasering.without_bad()


def _manifest(standard: Standard, plans: PlanTable, content: Content, summary: Dict, *, gemeente: str,
              uitvraag: str, peildatum: _dt.date, profile: str, concept: bool, plugin_version: str,
              created_at: Optional[_dt.datetime]) -> Dict:
    created = (created_at or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
    counts = totals(standard, plans, content.rows)
    counts["not_delivered_internal"] = content.internal_left_out
    if content.confidential_left_out:
        counts["confidential_left_out"] = content.confidential_left_out
    if content.other_gemeente_left_out:
        counts["other_gemeente_left_out"] = content.other_gemeente_left_out
    return {
        "basisset": standard.version,
        "plugin_version": plugin_version,
        "gemeentecode": gemeente,
        "gemeentenaam": standard.gemeente_name(gemeente),
        "uitvraag": uitvraag,
        "peildatum": peildatum.isoformat(),
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "profile": profile,
        "concept": bool(summary["errors"] > 0 or concept),
        "crs": standard.crs,
        "counts": counts,
        # the plans the summary covers: the delivered ones and the confidential ones in the aggregate
        "validation": {"plans": int(content.n + len(content.confidential_rows)), **summary},
        "dropped_fields": content.dropped_fields,
        "files": [],
    }


def _areas(geoms: np.ndarray) -> List[Optional[float]]:
    out: List[Optional[float]] = [None] * len(geoms)
    ok = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if ok.any():
        a = np.round(shapely.area(geoms[ok]), 1)
        for i, v in zip(np.nonzero(ok)[0].tolist(), a.tolist()):
            out[i] = v
    return out
