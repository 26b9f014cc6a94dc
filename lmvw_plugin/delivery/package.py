"""Assemble the uitvraag package (§6): validate, select, write to a temporary place, and move the
zip into place only when it is complete. The source is only read."""
from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np

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


def prepare(plans: PlanTable, fasering: Optional[FaseringTable], *, gemeente: str, peildatum: _dt.date,
            profile: str, lang: str = "nl", standard: Optional[Standard] = None):
    """Validate and select without writing: what the dialog shows before export.
    Returns (content, shown findings, anonymous findings, full report)."""
    standard = standard or load()
    if profile not in standard.profiles:
        raise DeliveryError("bad_profile", profile)
    if not standard.valid_gemeentecode(gemeente):
        raise DeliveryError("bad_gemeente", gemeente or "")
    validation = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
    content = select(standard, plans, fasering, standard.profiles[profile], gemeente)
    shown, anonymous = delivered_findings(validation.findings, plans, content)
    return content, shown, anonymous, validation


def export(plans: PlanTable, fasering: Optional[FaseringTable], out_zip: str, *, gemeente: str,
           uitvraag: str, peildatum: _dt.date, profile: str = "provincie", concept: bool = False,
           overwrite: bool = False, lang: str = "nl", plugin_version: str = "", standard: Optional[Standard] = None,
           progress: Optional[Callable[[float], None]] = None,
           is_cancelled: Optional[Callable[[], bool]] = None,
           created_at: Optional[_dt.datetime] = None) -> DeliveryResult:
    """Write the package to `out_zip`. Raises DeliveryError (bad input, cannot write),
    DeliveryRefused (validation errors and not concept) or DeliveryCancelled; in all three
    cases nothing is left behind and an existing package is untouched."""
    import time
    timings: Dict[str, float] = {}
    t0 = time.perf_counter()
    standard = standard or load()
    check_uitvraag(standard, uitvraag)
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
    content, shown, anonymous, validation = prepare(plans, fasering, gemeente=gemeente, peildatum=peildatum,
                                                    profile=profile, lang=lang, standard=standard)
    timings["validate"] = time.perf_counter() - t0
    summary = delivery_summary(shown + anonymous)
    if summary["errors"] and not concept:
        raise DeliveryRefused(summary["errors"], summary["warnings"], shown + anonymous)
    step(30)
    created = (created_at or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
    counts = totals(standard, plans, content.rows)
    counts["not_delivered_internal"] = content.internal_left_out
    if content.confidential_left_out:
        counts["confidential_left_out"] = content.confidential_left_out
    if content.other_gemeente_left_out:
        counts["other_gemeente_left_out"] = content.other_gemeente_left_out
    manifest = {
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
    tmpdir = None
    tmpzip = None
    try:
        tmpdir = tempfile.mkdtemp(prefix=".lmvw-export-", dir=folder)
        t = time.perf_counter()
        write_gpkg(os.path.join(tmpdir, GPKG), standard, content.fields, content.columns, content.geometry,
                   fasering, content.fasering_rows)
        timings["gpkg"] = time.perf_counter() - t
        step(60)
        t = time.perf_counter()
        areas = _areas(content.geometry)
        write_csv(os.path.join(tmpdir, PLANS_CSV), content.fields, content.columns, {"oppervlakte_m2": areas})
        write_fasering_csv(os.path.join(tmpdir, FASERING_CSV), standard, fasering, content.fasering_rows)
        timings["csv"] = time.perf_counter() - t
        step(70)
        fjaar = fasering.jaar[content.fasering_rows] if fasering is not None else np.empty(0)
        faantal = fasering.aantal[content.fasering_rows] if fasering is not None else np.empty(0)
        html = report_mod.render_report(standard, manifest, content.columns, fjaar, faantal, shown,
                                        anonymous, lang)
        with open(os.path.join(tmpdir, REPORT), "w", encoding="utf-8") as fh:
            fh.write(html)
        step(75)
        t = time.perf_counter()
        manifest["files"] = file_entries(tmpdir, FILES)
        with open(os.path.join(tmpdir, MANIFEST), "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=2)
        step(80)
        fd, tmpzip = tempfile.mkstemp(prefix=".lmvw-", suffix=".zip.part", dir=folder)
        os.close(fd)
        with zipfile.ZipFile(tmpzip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name in FILES + [MANIFEST]:
                step(82)
                zf.write(os.path.join(tmpdir, name), name)
        timings["zip"] = time.perf_counter() - t
        step(99)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmpzip, 0o666 & ~umask)
        os.replace(tmpzip, out_zip)
        tmpzip = None
    except DeliveryCancelled:
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
        if tmpdir and os.path.isdir(tmpdir):
            shutil.rmtree(tmpdir, ignore_errors=True)
        if tmpzip and os.path.exists(tmpzip):
            os.remove(tmpzip)
    if progress is not None:
        progress(100)
    timings["total"] = time.perf_counter() - t0
    return DeliveryResult(out_zip, manifest, content, shown, anonymous, html, validation, timings)


def _areas(geoms: np.ndarray) -> List[Optional[float]]:
    import shapely
    out: List[Optional[float]] = [None] * len(geoms)
    ok = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if ok.any():
        a = np.round(shapely.area(geoms[ok]), 1)
        for i, v in zip(np.nonzero(ok)[0].tolist(), a.tolist()):
            out[i] = v
    return out
