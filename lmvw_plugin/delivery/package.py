"""Assemble the uitvraag package (§6): validate, select, write to a temporary place, and move the
zip into place only when it is complete. The source is only read."""
from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np
import shapely

from ..rules.engine import Validator
from ..rules.findings import ERROR, WARNING, Finding, Report
from ..rules.table import FaseringTable, PlanTable
from ..standard import Standard, load
from . import report as report_mod
from .content import Content, delivered_findings, select, totals
from .writers import file_entries, write_csv, write_fasering_csv, write_gpkg

GPKG = "woningbouwplannen.gpkg"
PLANS_CSV = "woningbouwplannen.csv"
FASERING_CSV = "fasering.csv"
MANIFEST = "manifest.json"
REPORT = "validatierapport.html"
FILES = [GPKG, PLANS_CSV, FASERING_CSV, REPORT]          # the manifest lists these


class DeliveryError(Exception):
    """The package cannot be made; `reason` is a stable key, `detail` names the cause."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


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


def writable(folder: str) -> bool:
    """Can we create a file in folder? (os.access says yes to root on read-only file systems.)"""
    if not os.access(folder, os.W_OK):
        return False
    try:
        fd, probe = tempfile.mkstemp(prefix=".lmvw-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.remove(probe)
    return True


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


def prepare(plans: PlanTable, fasering: Optional[FaseringTable], *, gemeente: str, peildatum: _dt.date,
            profile: str, lang: str = "nl", standard: Optional[Standard] = None):
    """Validate and select without writing: what the dialog shows before export.
    Returns (content, shown findings, anonymous findings, full report)."""
    standard = standard or load()
    check_choices(standard, gemeente, profile)
    content = select(standard, plans, fasering, standard.profiles[profile], gemeente)
    validation = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
    shown, anonymous = delivered_findings(validation.findings, plans, content)
    return content, shown, anonymous, validation


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
            self.write(self.gpkg)
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
        self.stop.set()
        self.join()
        if self.zf is not None:
            self.zf.close()


def export(plans: PlanTable, fasering: Optional[FaseringTable], out_zip: str, *, gemeente: str,
           uitvraag: str, peildatum: _dt.date, profile: str = "provincie", concept: bool = False,
           overwrite: bool = False, lang: str = "nl", plugin_version: str = "", standard: Optional[Standard] = None,
           progress: Optional[Callable[[float], None]] = None,
           is_cancelled: Optional[Callable[[], bool]] = None,
           created_at: Optional[_dt.datetime] = None) -> DeliveryResult:
    """Write the package to `out_zip`. Raises DeliveryError (bad input, cannot write),
    DeliveryRefused (validation errors and not concept) or DeliveryCancelled; in all three
    cases nothing is left behind and an existing package is untouched.

    Everything is written in a temporary folder next to the target; the zip is moved into place
    only when it is complete. The GeoPackage is written in a second thread while the plans are
    validated: a refused or cancelled export discards it."""
    timings: Dict[str, float] = {}
    t0 = time.perf_counter()
    standard = standard or load()
    check_uitvraag(standard, uitvraag)
    check_choices(standard, gemeente, profile)
    out_zip = os.path.abspath(out_zip)
    folder = os.path.dirname(out_zip)
    if not os.path.isdir(folder):
        raise DeliveryError("no_folder", folder)
    if not writable(folder):
        raise DeliveryError("unwritable", folder)
    if os.path.exists(out_zip) and not overwrite:
        raise DeliveryError("exists", out_zip)

    def step(p: float) -> None:
        if is_cancelled is not None and is_cancelled():
            raise DeliveryCancelled()
        if progress is not None:
            progress(p)

    step(1)
    content = select(standard, plans, fasering, standard.profiles[profile], gemeente)
    copy_from = _copyable(plans, content)
    tmpdir = tempfile.mkdtemp(prefix=".lmvw-export-", dir=folder)
    fd, tmpzip = tempfile.mkstemp(prefix=".lmvw-", suffix=".zip.part", dir=folder)
    os.close(fd)
    # unreadable fasering values are NULL in the columns: such a table is written, not copied raw
    fas_out = _clean_copy(fasering) if fasering is not None and fasering.bad else fasering
    job = _GpkgJob(lambda path: write_gpkg(path, standard, content.fields, content.columns, content.geometry,
                                           fas_out, content.fasering_rows, copy_from,
                                           plans.fids[content.rows] if copy_from else None),
                   os.path.join(tmpdir, GPKG), tmpzip)
    html = ""
    csvs = ThreadPoolExecutor(1, thread_name_prefix="lmvw-csv")
    try:
        job.start()
        csv_done = csvs.submit(_write_csvs, tmpdir, standard, content, fasering)
        step(5)
        validation = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
        shown, anonymous = delivered_findings(validation.findings, plans, content)
        timings["validate"] = time.perf_counter() - t0
        summary = delivery_summary(shown + anonymous)
        if summary["errors"] and not concept:
            raise DeliveryRefused(summary["errors"], summary["warnings"], shown + anonymous)
        step(40)
        manifest = _manifest(standard, plans, content, summary, gemeente=gemeente, uitvraag=uitvraag,
                             peildatum=peildatum, profile=profile, concept=concept, plugin_version=plugin_version,
                             created_at=created_at)
        step(55)
        fjaar = fasering.jaar[content.fasering_rows] if fasering is not None else np.empty(0)
        faantal = fasering.aantal[content.fasering_rows] if fasering is not None else np.empty(0)
        html = report_mod.render_report(standard, manifest, content.columns, fjaar, faantal, shown,
                                        anonymous, lang)
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
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmpzip, 0o666 & ~umask)
        os.replace(tmpzip, out_zip)
        tmpzip = None
    except (DeliveryCancelled, DeliveryRefused):
        raise
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DeliveryError("no_space", folder) from None
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise DeliveryError("unwritable", folder) from None
        raise DeliveryError("write_failed", str(e)) from None
    except (RuntimeError, sqlite3.Error, zipfile.BadZipFile) as e:     # GDAL / SQLite failures
        raise DeliveryError("write_failed", str(e)) from None
    finally:
        csvs.shutdown(wait=True)
        if job.is_alive() or job.zf is not None:
            job.abandon()
        shutil.rmtree(tmpdir, ignore_errors=True)
        if tmpzip and os.path.exists(tmpzip):
            os.remove(tmpzip)
    if progress is not None:
        progress(100)
    timings["total"] = time.perf_counter() - t0
    return DeliveryResult(out_zip, manifest, content, shown, anonymous, html, validation, timings)


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
    return FaseringTable(fasering.plan_id, fasering.jaar, fasering.aantal, fasering.sloop, fasering.fids)


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
        "validation": {"plans": int(plans.n), **summary},
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
