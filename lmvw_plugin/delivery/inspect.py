"""What a province runs on receipt: is the package complete, untampered and valid?

A receiver's tool: the package may be damaged or made to deceive. Every member of the zip is
looked at (names, duplicates, encryption, compression, declared sizes) before anything is
inflated; sizes are bounded (per member, in total, by compression ratio) and extraction is
streamed with a counter, because declared sizes can lie. The manifest is read with a size cap and
checked against its expected shape. Then every file is checked against the manifest and against
the others: checksums, the totals and counts recomputed from the GeoPackage, the CSVs row by row
and field by field against the GeoPackage, what the profile lets out (no 5A/5B, no
vertrouwelijk_reden, no confidential or non-public plans, no free text where dropped), and the
validation summary.

Every outcome is a `Problem` with a stable `kind` and named `args`; the command line words them
(Dutch or English). Exit codes: 0 complete, unchanged and valid; 1 validation errors; 2 cannot be
read (or cannot be inspected safely here); 3 incomplete or changed.
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import errno
import hashlib
import io
import itertools
import json
import math
import os
import re
import shutil
import sqlite3
import struct
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Dict, Iterator, List, Optional, Tuple

import numpy as np

from ..rules.engine import Validator
from ..rules.findings import ERROR, WARNING, Finding
from ..rules.table import SchemaError
from ..standard import Standard, load
from ..storage import ogr as ogrio
from .content import derived_fields, totals
from .package import FASERING_CSV, FILES, GPKG, MANIFEST, PLANS_CSV, REPORT
from .zipread import GiB, KiB, Limits, MiB, digest_ahead, taken  # noqa: F401 (KiB, GiB: inspect's names too)
from .zipread import stream as _stream

OK, INVALID, UNREADABLE, TAMPERED = 0, 1, 2, 3

AREA_CSV = "oppervlakte_m2"                  # the CSV's extra column (area of the geometry, 0.1 m²)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")   # CSV cells starting so get a leading quote


# kinds whose presence means "cannot be read (safely)": exit 2; every other kind: exit 3
UNREADABLE_KINDS = {"not_zip", "encrypted", "compression", "damaged", "too_large", "too_large_total",
                    "ratio", "too_many", "manifest_too_large", "no_space", "tmp_failed", "gpkg_unreadable"}


@dataclass
class Problem:
    kind: str
    name: str = ""                 # the member (or manifest key) concerned
    args: Dict[str, Any] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.args.items())

    def as_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "name": self.name, **{k: _jsonable(v) for k, v in self.args.items()}}


def _jsonable(v: Any) -> Any:
    return v if isinstance(v, (str, int, float, bool, type(None))) else str(v)


@dataclass
class Inspection:
    path: str
    manifest: Dict = field(default_factory=dict)
    problems: List[Problem] = field(default_factory=list)
    findings: List[Finding] = field(default_factory=list)
    plans: int = 0
    tables: Optional[Tuple[Any, Any]] = None     # (plans, fasering) as re-validated, when keep_tables (intake)

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    @property
    def unreadable(self) -> List[Problem]:
        return [p for p in self.problems if p.kind in UNREADABLE_KINDS]

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return UNREADABLE
        if self.problems:
            return TAMPERED
        if self.errors:
            return INVALID
        return OK

    def add(self, kind: str, name: str = "", **args) -> None:
        self.problems.append(Problem(kind, name, args))


class _Stop(Exception):
    """Nothing more can be checked."""


def inspect(path: str, lang: str = "nl", standard: Optional[Standard] = None,
            limits: Optional[Limits] = None, tmp_dir: Optional[str] = None,
            extract_to: Optional[str] = None, keep_tables: bool = False, zip_crc: bool = True,
            on_manifest: Optional[Callable[[Dict], None]] = None,
            checksums: Optional[Collection[str]] = None) -> Inspection:
    """`extract_to`: a folder the GeoPackage is extracted into after the zip's checks (members, sizes,
    manifest, checksums of every file); the contents are then not re-validated. `extract_to=""`: the
    same checks without extracting (the comparison with a previous delivery then reads the stored
    GeoPackage inside the zip, see delivery/compare_read.py). `keep_tables`: hand over the tables
    that were re-validated (the province intake stores them). `zip_crc` False (with `extract_to=""`):
    the zip's own CRC-32 of each listed member is not computed, its SHA-256 against the manifest
    is (the same bytes, checked more strictly). `on_manifest`: called (in this thread) with a copy of
    the manifest as soon as it is read and nothing is wrong yet, before the files' checksums: what
    was read beside the checks can then be put to work (compare_read's deferred reading); it counts
    only once the whole inspection found nothing. `checksums` (with `extract_to=""`): the members
    whose SHA-256 is checked (the others are checked as present, listed and of the listed size);
    None: all (the comparison reads only the GeoPackage and checks that one: compare_read)."""
    standard = standard or load()
    limits = limits or Limits()
    result = Inspection(path)
    result.tables = () if keep_tables else None
    try:
        with open(path, "rb") as fh:            # the directory's size, before zipfile parses all of it
            end = zipfile._EndRecData(fh)
        if end is not None and (end[zipfile._ECD_ENTRIES_TOTAL] > limits.members or
                                end[zipfile._ECD_SIZE] > limits.directory):
            result.add("too_many", count=end[zipfile._ECD_ENTRIES_TOTAL], limit=limits.members)
            return result
    except (OSError, AttributeError, IndexError, TypeError, struct.error):
        pass                                    # zipfile below says what is wrong
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError,
            RuntimeError, UnicodeError, OverflowError) as e:
        result.add("not_zip", os.path.basename(path), reason=str(e) or type(e).__name__)
        return result
    try:
        with zf:
            _inspect_zip(zf, result, standard, lang, limits, tmp_dir, extract_to, zip_crc, on_manifest,
                         checksums if extract_to == "" else None)
    except _Stop:
        pass
    return result


# ------------------------------------------------------------------------------------------------
# the zip's members


def name_problem(name: str) -> Optional[str]:
    """Why a member name is not one of ours (absolute, parent, backslash, directory, control)."""
    if name.endswith("/"):
        return "directory"
    if "\\" in name:
        return "backslash"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute"
    if ".." in name.split("/"):
        return "parent"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "control"
    return None


def _inspect_zip(zf: zipfile.ZipFile, result: Inspection, standard: Standard, lang: str, limits: Limits,
                 tmp_dir: Optional[str], extract_to: Optional[str] = None, zip_crc: bool = True,
                 on_manifest: Optional[Callable[[Dict], None]] = None,
                 checksums: Optional[Collection[str]] = None) -> None:
    infos = zf.infolist()
    if len(infos) > limits.members:
        result.add("too_many", count=len(infos), limit=limits.members)
        raise _Stop
    expected = set(FILES) | {MANIFEST}
    seen = Counter(i.filename for i in infos)
    for name, n in seen.items():
        if n > 1:
            result.add("duplicate", name, count=n)
    members: Dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        why = name_problem(info.filename)
        if why:
            result.add("bad_name", info.filename, why=why)
        elif info.filename not in expected:
            result.add("extra", info.filename)
        elif seen[info.filename] == 1:
            members[info.filename] = info
    # everything we will read is checked before a byte is inflated
    total = 0
    for name, info in members.items():
        cap = limits.manifest if name == MANIFEST else limits.member
        if info.flag_bits & 0x1:
            result.add("encrypted", name)
        elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            result.add("compression", name, method=info.compress_type)
        elif info.file_size > cap:
            result.add("manifest_too_large" if name == MANIFEST else "too_large", name, size=info.file_size,
                       limit=cap)
        elif info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            result.add("damaged", name, reason="stored size differs from its size")
        elif info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
            result.add("ratio", name, ratio=info.file_size // max(info.compress_size, 1), limit=limits.ratio)
        total += info.file_size
    if total > limits.total:
        result.add("too_large_total", size=total, limit=limits.total)
    if result.unreadable:
        raise _Stop
    if MANIFEST not in members:
        if not seen.get(MANIFEST):
            result.add("missing", MANIFEST)
        raise _Stop
    manifest = _read_manifest(zf, members[MANIFEST], result, standard, limits)
    result.manifest = manifest
    listed = {f["name"]: f for f in manifest["files"]}
    if len(listed) != len(manifest["files"]):
        result.add("manifest_files", "files", why="duplicate", value="")
    for name in listed:
        if name not in FILES:
            result.add("manifest_files", "files", why="unknown", value=name)
    for name in FILES:
        if not seen.get(name):
            result.add("missing", name)
        elif name not in listed:
            result.add("not_listed", name)
    if on_manifest is not None and not result.problems:
        on_manifest(dict(manifest))
    if extract_to is not None:
        _check_files(zf, members, listed, result, extract_to or None, zip_crc, checksums)
        return
    try:
        _remove_stale(tmp_dir or tempfile.gettempdir())
        tmp = tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=tmp_dir)
    except OSError as e:
        result.add("tmp_failed", tmp_dir or tempfile.gettempdir(), reason=e.strerror or str(e))
        raise _Stop from None
    try:
        readable = _check_files(zf, members, listed, result, tmp)
        if REPORT in readable:
            _check_report(zf, members[REPORT], result)
        gpkg = os.path.join(tmp, GPKG)
        if GPKG in readable:
            _revalidate(result, zf, members, readable, gpkg, manifest, standard, lang)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


TMP_PREFIX = "lmvw-inspect-"


_CLEANED: set = set()


def _remove_stale(folder: str) -> None:
    """Temporary folders of inspections that were killed (their process is gone); once per folder
    and process (an intake inspects hundreds of packages)."""
    if folder in _CLEANED:
        return
    _CLEANED.add(folder)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not name.startswith(TMP_PREFIX):
            continue
        pid = name[len(TMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
        except OSError:
            pass


class _Known:
    """A digest computed ahead (zipread.taken), in hashlib's shape."""

    def __init__(self, hexdigest: str):
        self._hex = hexdigest

    def hexdigest(self) -> str:
        return self._hex


_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)


def _check_files(zf: zipfile.ZipFile, members: Dict[str, zipfile.ZipInfo], listed: Dict[str, Dict],
                 result: Inspection, tmp: Optional[str], zip_crc: bool = True,
                 checksums: Optional[Collection[str]] = None) -> List[str]:
    """Size and checksum of each listed file (the GeoPackage is extracted); the names that can be
    read further. `checksums`: the names whose checksum is checked (None: all)."""
    readable = []
    ahead = taken(zf.filename) if tmp is None and not zip_crc and isinstance(zf.filename, str) else {}
    for name in FILES:
        info, entry = members.get(name), listed.get(name)
        if info is None or entry is None:
            continue
        if info.file_size != entry["size"]:
            result.add("size", name, size=info.file_size, listed=entry["size"])
            continue
        if checksums is not None and name not in checksums:
            continue
        digest = hashlib.sha256()
        target = os.path.join(tmp, GPKG) if name == GPKG and tmp is not None else None
        try:
            if target is not None:
                free = shutil.disk_usage(tmp).free
                if free < info.file_size + 16 * MiB:
                    result.add("no_space", tmp, needed=_mb(info.file_size + 16 * MiB), free=_mb(free))
                    continue
                with open(target, "wb") as dst:
                    for block in _stream(zf, info):
                        digest.update(block)
                        dst.write(block)
            elif digest_ahead(ahead, info) is not None:       # the same member, hashed during the imports
                digest = _Known(digest_ahead(ahead, info))
            else:
                for block in _stream(zf, info, crc=zip_crc):
                    digest.update(block)
        except _READ_ERRORS as e:
            result.add("damaged", name, reason=str(e) or type(e).__name__)
            continue
        except OSError as e:
            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                result.add("no_space", tmp, needed=_mb(info.file_size + 16 * MiB),
                           free=_mb(shutil.disk_usage(tmp).free))
            else:
                result.add("tmp_failed", tmp, reason=e.strerror or str(e))
            continue
        if digest.hexdigest() != entry["sha256"]:
            result.add("checksum", name)
        readable.append(name)
    return readable


# what our report never holds and a browser would run or fetch
_ACTIVE = re.compile(rb"<\s*(script|iframe|object|embed|applet|base|form|link)\b|<\s*meta[^>]*http-equiv|"
                     rb"\son[a-z]+\s*=|javascript:|vbscript:|(src|href|action)\s*=\s*[\"']?\s*(https?:|//|data:)|"
                     rb"url\(\s*[\"']?\s*(https?:|//)|@import",
                     re.IGNORECASE)
# _ACTIVE's alternatives one by one, on lower-cased bytes (bytes.lower() and IGNORECASE on bytes are
# both ASCII only), each with a literal start that the regex engine or bytes.find skips to: the same
# first hit as _ACTIVE (no two alternatives start with the same character, so the earliest start
# decides), in a quarter of the time (the intake checks 342 reports)
_ACTIVE_TAG = re.compile(rb"<\s*(script|iframe|object|embed|applet|base|form|link)\b|<\s*meta[^>]*http-equiv")
_ACTIVE_ON = re.compile(rb"on[a-z]+\s*=")          # _ACTIVE's \son[a-z]+\s*= without its whitespace
_ACTIVE_REST = [re.compile(attr + rb"\s*=\s*[\"']?\s*(https?:|//|data:)") for attr in (b"src", b"href", b"action")]
_ACTIVE_REST.append(re.compile(rb"url\(\s*[\"']?\s*(https?:|//)"))
_ACTIVE_WORDS = (b"javascript:", b"vbscript:", b"@import")
_SPACE = frozenset(b" \t\n\r\f\v")


def _active_span(low: bytes) -> Optional[Tuple[int, int]]:
    """(start, end) of _ACTIVE's first match in lower-cased bytes, or None."""
    spans = []
    for rx in [_ACTIVE_TAG] + _ACTIVE_REST:
        m = rx.search(low)
        if m:
            spans.append(m.span())
    for word in _ACTIVE_WORDS:
        k = low.find(word)
        if k >= 0:
            spans.append((k, k + len(word)))
    for m in _ACTIVE_ON.finditer(low):      # a match inside a word cannot hide one after a space
        if m.start() > 0 and low[m.start() - 1] in _SPACE:
            spans.append((m.start() - 1, m.end()))
            break
    return min(spans) if spans else None


def _check_report(zf: zipfile.ZipFile, info: zipfile.ZipInfo, result: Inspection) -> None:
    """The HTML report is UTF-8 and carries nothing a browser runs or fetches."""
    tail = b""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in _stream(zf, info):
            decoder.decode(block)
            text = tail + block
            hit = _active_span(text.lower())
            if hit:
                found = text[hit[0]:hit[1]]
                result.add("active_content", info.filename, found=found[:60].decode("utf-8", "replace"))
                return
            tail = block[-4096:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as e:
        result.add("report_unreadable", info.filename, reason=str(e)[:200])
    except _READ_ERRORS as e:
        result.add("damaged", info.filename, reason=str(e) or type(e).__name__)


def _mb(n: int) -> int:
    return max(1, math.ceil(n / MiB))


# ------------------------------------------------------------------------------------------------
# the manifest


_INT, _STR, _BOOL = "integer", "text", "true/false"
_COUNTS = ["plans", "hard", "soft", "vervallen", "gerealiseerd", "bruto", "netto", "rest", "bruto_hard",
           "bruto_zacht"]


def _type_ok(value: Any, kind: str) -> bool:
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _STR:
        return isinstance(value, str)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind == "text or null":
        return value is None or isinstance(value, str)
    raise AssertionError(kind)  # pragma: no cover


def manifest_shape_problems(m: Any) -> List[Tuple[str, str]]:
    """(key, expected type) for every key we use that is absent or of another type."""
    out: List[Tuple[str, str]] = []

    def need(obj: Any, key: str, kind: str, path: str) -> bool:
        if not isinstance(obj, dict) or key not in obj or not _type_ok(obj[key], kind):
            out.append((path, kind))
            return False
        return True

    def int_map(obj: Dict, path: str) -> None:
        for k, v in obj.items():
            if not _type_ok(v, _INT):
                out.append((f"{path}.{k}", _INT))

    if not isinstance(m, dict):
        return [("manifest", "object")]
    for key in ("basisset", "gemeentecode", "uitvraag", "peildatum", "profile", "crs"):
        need(m, key, _STR, key)
    need(m, "gemeentenaam", "text or null", "gemeentenaam")
    need(m, "concept", _BOOL, "concept")
    if need(m, "dropped_fields", "list", "dropped_fields"):
        for i, v in enumerate(m["dropped_fields"]):
            if not isinstance(v, str):
                out.append((f"dropped_fields[{i}]", _STR))
    if need(m, "counts", "object", "counts"):
        c = m["counts"]
        for key in _COUNTS:
            need(c, key, _INT, f"counts.{key}")
        for key in ("not_delivered_internal", "other_gemeente_left_out"):     # informative: typed if present
            if key in c:
                need(c, key, _INT, f"counts.{key}")
        if need(c, "per_planstatus", "object", "counts.per_planstatus"):
            int_map(c["per_planstatus"], "counts.per_planstatus")
    if need(m, "validation", "object", "validation"):
        v = m["validation"]
        for key in ("plans", "errors", "warnings"):
            need(v, key, _INT, f"validation.{key}")
        if need(v, "by_rule", "object", "validation.by_rule"):
            int_map(v["by_rule"], "validation.by_rule")
    if need(m, "files", "list", "files"):
        for i, f in enumerate(m["files"]):
            if not isinstance(f, dict):
                out.append((f"files[{i}]", "object"))
                continue
            need(f, "name", _STR, f"files[{i}].name")
            need(f, "size", _INT, f"files[{i}].size")
            if need(f, "sha256", _STR, f"files[{i}].sha256"):
                if len(f["sha256"]) != 64 or any(ch not in "0123456789abcdef" for ch in f["sha256"]):
                    out.append((f"files[{i}].sha256", "sha256"))
    return out


def _read_manifest(zf: zipfile.ZipFile, info: zipfile.ZipInfo, result: Inspection, standard: Standard,
                   limits: Limits) -> Dict:
    try:
        data = b"".join(_stream(zf, info))
    except _READ_ERRORS as e:
        result.add("damaged", MANIFEST, reason=str(e) or type(e).__name__)
        raise _Stop from None
    if len(data) > limits.manifest:        # pragma: no cover - _stream stops at the declared size
        result.add("manifest_too_large", MANIFEST, size=len(data), limit=limits.manifest)
        raise _Stop
    try:
        manifest = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        result.add("manifest_json", MANIFEST, reason=str(e)[:200] or type(e).__name__)
        raise _Stop from None
    shape = manifest_shape_problems(manifest)
    for key, kind in shape[:20]:
        result.add("manifest_key", key, expected=kind)
    if len(shape) > 20:
        result.add("manifest_key", "…", expected=f"+{len(shape) - 20}")
    if shape:
        if isinstance(manifest, dict):
            result.manifest = {k: v for k, v in manifest.items() if isinstance(v, (str, bool))}
        raise _Stop
    if manifest["basisset"] != standard.version:
        result.add("manifest_value", "basisset", value=manifest["basisset"], expected=standard.version)
    if manifest["profile"] not in standard.profiles:
        result.add("manifest_value", "profile", value=manifest["profile"], expected=", ".join(standard.profiles))
    if not standard.valid_gemeentecode(manifest["gemeentecode"]):
        result.add("manifest_value", "gemeentecode", value=manifest["gemeentecode"], expected="GMdddd")
    try:
        _dt.date.fromisoformat(manifest["peildatum"])
    except ValueError:
        result.add("manifest_value", "peildatum", value=manifest["peildatum"], expected="YYYY-MM-DD")
    if not re.match(standard.delivery["uitvraag_pattern"], manifest["uitvraag"]):
        result.add("manifest_value", "uitvraag", value=manifest["uitvraag"], expected="YYYY-voorjaar|YYYY-najaar")
    known = standard.gemeente_name(manifest["gemeentecode"])
    if known and manifest["gemeentenaam"] != known:
        result.add("manifest_value", "gemeentenaam", value=manifest["gemeentenaam"], expected=known)
    if manifest["crs"] != standard.crs:
        result.add("manifest_value", "crs", value=manifest["crs"], expected=standard.crs)
    if result.problems and any(p.kind == "manifest_value" and p.name in ("basisset", "profile") for p in
                               result.problems):
        raise _Stop
    return manifest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


# ------------------------------------------------------------------------------------------------
# the files against each other and the manifest


def _revalidate(result: Inspection, zf: zipfile.ZipFile, members: Dict[str, zipfile.ZipInfo], readable: List[str],
                gpkg: str, manifest: Dict, standard: Standard, lang: str) -> None:
    profile = standard.profiles[manifest["profile"]]
    dropped = list(standard.delivery["never_leaves"])
    if profile.drop_free_text:
        dropped += [f.name for f in standard.fields if f.free_text]
    if sorted(set(manifest["dropped_fields"])) != sorted(dropped):
        result.add("manifest_value", "dropped_fields", value=", ".join(manifest["dropped_fields"]),
                   expected=", ".join(dropped))
    plan_fields = [f for f in standard.fields if f.name not in dropped] + derived_fields(standard)
    opened = _open_gpkg(result, gpkg, standard, plan_fields)
    if opened is None:
        return
    con, plan_cols, fas_cols = opened
    try:
        _revalidate_open(result, zf, members, readable, gpkg, manifest, standard, lang, profile, dropped,
                         plan_fields, con, plan_cols, fas_cols)
    except sqlite3.Error as e:
        result.add("gpkg_unreadable", GPKG, reason=str(e))
    finally:
        con.close()


def _revalidate_open(result, zf, members, readable, gpkg, manifest, standard, lang, profile, dropped, plan_fields,
                     con, plan_cols, fas_cols) -> None:
    try:
        plans, info, fasering = ogrio.read_plans_and_fasering(gpkg, standard, layer=standard.layer_name,
                                                              to_rd=False, facts=True, con=con)
    except (SchemaError, OSError, RuntimeError, ValueError) as e:
        result.add("gpkg_unreadable", GPKG, reason=str(e) or type(e).__name__)
        return
    if f"EPSG:{info.epsg}" != standard.crs:
        result.add("manifest_value", f"{GPKG}:crs", value=f"EPSG:{info.epsg}" if info.epsg else "?",
                   expected=standard.crs)
    result.plans = plans.n
    if result.tables is not None:
        result.tables = (plans, fasering)
    _check_rtree(result, con, standard, plans)
    peildatum = _dt.date.fromisoformat(manifest["peildatum"]) if _is_date(manifest["peildatum"]) else \
        _dt.date.today()
    gemeente = manifest["gemeentecode"]
    report = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
    # rules about a field the profile does not deliver cannot be checked here
    result.findings = [f for f in report.findings if f.field not in dropped]

    # what the profile lets out, in the GeoPackage
    check = RowCheck(standard, profile, gemeente)
    names = [c for c in check.fields if c in plan_cols]
    if names:
        for row in con.execute(f"SELECT {', '.join(_q(c) for c in names)} FROM {_q(standard.layer_name)}"):
            check.feed(dict(zip(names, row)))
    check.report(result, GPKG)
    # counts and totals, recomputed
    counts = manifest["counts"]
    got = totals(standard, plans, np.arange(plans.n))
    for key in _COUNTS:
        if counts[key] != got[key]:
            result.add("count", f"counts.{key}", package=got[key], manifest=counts[key])
    if dict(counts["per_planstatus"]) != got["per_planstatus"]:
        result.add("count", "counts.per_planstatus", package=_fmt_map(got["per_planstatus"]),
                   manifest=_fmt_map(counts["per_planstatus"]))
    # the validation summary: the package's own findings are among those the export counted (the
    # export validated more plans; per rule they need not match: a value the export found
    # unreadable (R03/R25) is delivered empty, and is then a missing value (R01) here)
    v = manifest["validation"]
    if sum(v["by_rule"].values()) != v["errors"] + v["warnings"]:
        result.add("summary", "validation.by_rule", package=sum(v["by_rule"].values()),
                   manifest=v["errors"] + v["warnings"])
    if result.errors > v["errors"]:
        result.add("summary", "validation.errors", package=result.errors, manifest=v["errors"])
    if result.warnings > v["warnings"]:
        result.add("summary", "validation.warnings", package=result.warnings, manifest=v["warnings"])
    if v["plans"] < plans.n:
        result.add("summary", "validation.plans", package=plans.n, manifest=v["plans"])
    if v["errors"] and not manifest["concept"]:
        result.add("manifest_value", "concept", value="false", expected="true")
    # fasering rows only of delivered plans
    key = standard.data["fasering"]["parent_key"]
    if key in fas_cols and standard.key in plan_cols:
        orphans = con.execute(f"SELECT count(*) FROM {_q(standard.fasering_name)} WHERE {_q(key)} IS NULL OR "
                              f"{_q(key)} NOT IN (SELECT {_q(standard.key)} FROM {_q(standard.layer_name)} "
                              f"WHERE {_q(standard.key)} IS NOT NULL)").fetchone()[0]
        if orphans:
            result.add("fasering_orphan", standard.fasering_name, count=orphans)
    # the CSVs, row by row and field by field
    areas = {int(fid): (None if g is None else float(g.area)) for fid, g in zip(plans.fids, plans.geometry)}
    if PLANS_CSV in readable:
        expected = [f.name for f in plan_fields] + [AREA_CSV]
        types = {f.name: f.type for f in plan_fields}
        _compare_csv(result, zf, members[PLANS_CSV], expected, types, _table(con, standard.layer_name, plan_cols),
                     standard, RowCheck(standard, profile, gemeente), areas)
    if FASERING_CSV in readable:
        expected = [f.name for f in standard.fasering_fields]
        types = {f.name: f.type for f in standard.fasering_fields}
        _compare_csv(result, zf, members[FASERING_CSV], expected, types,
                     _table(con, standard.fasering_name, fas_cols), standard, None, {})


def _check_rtree(result: Inspection, con: sqlite3.Connection, standard: Standard, plans) -> None:
    """The spatial index (what QGIS and GDAL select and draw by) agrees with the geometries."""
    row = con.execute("SELECT table_name, column_name FROM gpkg_extensions WHERE lower(table_name) = lower(?) "
                      "AND extension_name = 'gpkg_rtree_index'", (standard.layer_name,)).fetchone()
    if row is None:
        return
    try:
        index = {int(r[0]): r[1:] for r in con.execute(
            f"SELECT id, minx, maxx, miny, maxy FROM {_q('rtree_' + row[0] + '_' + row[1])}")}
    except sqlite3.OperationalError as e:
        if "no such module" in str(e):            # an SQLite without R*Tree: cannot check
            return
        raise
    from ..common.geo import shapely
    geoms = np.asarray(plans.geometry, dtype=object)
    ok = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    ok[ok] = ~shapely.is_empty(geoms[ok])
    fids = [int(f) for f in np.asarray(plans.fids)[ok].tolist()]
    wrong = len(set(index) - set(fids))
    if fids:                                  # all bounds at once; the same tolerance per geometry
        bounds = shapely.bounds(geoms[ok])[:, [0, 2, 1, 3]]              # x0, x1, y0, y1 as the index
        missing = np.array([f not in index for f in fids])
        stored = np.array([index.get(f, (0.0,) * 4) for f in fids], dtype=float)
        finite = np.isfinite(bounds).all(axis=1)
        with np.errstate(invalid="ignore"):
            tol = 1e-6 * np.maximum(np.abs(bounds).max(axis=1), 1.0) + 1e-3
            off = (np.abs(stored - bounds) > tol[:, None]).any(axis=1)
        for k in np.nonzero(~finite & ~missing)[0]:      # NaN coordinates: compared as one by one did
            x0, x1, y0, y1 = bounds[k].tolist()
            t = 1e-6 * max(abs(x0), abs(x1), abs(y0), abs(y1), 1.0) + 1e-3
            off[k] = any(abs(a - c) > t for a, c in zip(stored[k].tolist(), (x0, x1, y0, y1)))
        wrong += int((missing | off).sum())
    if wrong:
        result.add("spatial_index", GPKG, count=wrong)


def _table(con: sqlite3.Connection, table: str, cols: List[str]) -> Tuple[List[str], int, Iterator[tuple]]:
    """Columns, row count and a cursor over the stored rows in fid order."""
    if not cols:
        return [], 0, iter(())
    n = con.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]
    order = " ORDER BY fid" if "fid" in cols else ""
    return cols, n, con.execute(f"SELECT {', '.join(_q(c) for c in cols)} FROM {_q(table)}{order}")


def _is_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _fmt_map(d: Dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(d.items()))


def _open_gpkg(result: Inspection, gpkg: str, standard: Standard, plan_fields):
    """(connection, plan columns, fasering columns) after checking the file is an undamaged SQLite
    database with exactly our tables and columns; None when it cannot be read."""
    try:
        # shared with the reader's stored-type scans, which may run in a thread while GDAL reads
        con = sqlite3.connect(f"file:{gpkg}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except sqlite3.Error as e:
        result.add("gpkg_unreadable", GPKG, reason=str(e))
        return None
    try:
        con.execute("PRAGMA trusted_schema=OFF")
        check = [r[0] for r in con.execute("PRAGMA quick_check(5)")]
        if check != ["ok"]:
            raise sqlite3.DatabaseError("; ".join(map(str, check))[:300])
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        ours = {standard.layer_name, standard.fasering_name}
        for t in sorted(tables - ours):
            low = t.lower()
            if not (low.startswith("gpkg_") or low.startswith("rtree_") or low.startswith("sqlite_")):
                result.add("extra_table", GPKG, table=t)
        if standard.layer_name not in tables:
            raise sqlite3.DatabaseError(f"no table {standard.layer_name}")
        out = []
        never = set(standard.delivery["never_leaves"])
        for table, fields, extra in ((standard.layer_name, plan_fields, {"fid", "geom"}),
                                     (standard.fasering_name, standard.fasering_fields, {"fid"})):
            if table not in tables:
                out.append([])
                continue
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]
            wanted = [f.name for f in fields]
            for c in cols:
                if c in never:
                    result.add("never_leaves", f"{GPKG}:{table}", field=c)
                elif c not in wanted and c not in extra:
                    result.add("columns", f"{GPKG}:{table}", extra=c)
            for c in wanted:
                if c not in cols:
                    result.add("columns", f"{GPKG}:{table}", missing=c)
            out.append([c for c in cols if c != "geom"])
        return con, out[0], out[1]
    except sqlite3.Error as e:
        con.close()
        result.add("gpkg_unreadable", GPKG, reason=str(e))
        return None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class RowCheck:
    """No 5A/5B plan, no plan of another gemeente, and what the profile allows: fed row by row
    (a dict of the stored or written values), reported once."""

    def __init__(self, standard: Standard, profile, gemeente: str):
        self.standard, self.profile, self.gemeente = standard, profile, gemeente
        self.internal = set(standard.internal_statuses)
        self.conf = standard.delivery["confidential_code"]
        self.free = [f.name for f in standard.fields if f.free_text] if profile.drop_free_text else []
        self.fields = ["planstatus", "gemeentecode", "vertrouwelijkheid"] + self.free
        self.status: Counter = Counter()
        self.other: Counter = Counter()
        self.not_allowed = self.confidential = 0
        self.free_found: set = set()

    def feed(self, r: Dict[str, Any]) -> None:
        if r.get("planstatus") in self.internal:
            self.status[str(r["planstatus"])] += 1
        if r.get("gemeentecode") != self.gemeente:
            self.other[str(r.get("gemeentecode"))] += 1
        code = r.get("vertrouwelijkheid")
        if self.profile.only_codes is not None:
            self.not_allowed += code not in self.profile.only_codes
        elif self.profile.confidential in ("aggregate", "exclude"):
            self.confidential += code == self.conf
        for name in self.free:
            if r.get(name) not in (None, ""):
                self.free_found.add(name)

    def report(self, result: Inspection, where: str) -> None:
        if self.status:
            result.add("internal_status", where, statuses=_fmt_map(self.status), count=sum(self.status.values()))
        if self.other:
            result.add("other_gemeente", where, codes=_fmt_map(self.other), count=sum(self.other.values()))
        if self.not_allowed:
            result.add("not_allowed", where, count=self.not_allowed, profile=self.profile.id,
                       allowed=", ".join(self.profile.only_codes))
        if self.confidential:
            result.add("confidential", where, count=self.confidential, profile=self.profile.id)
        for name in sorted(self.free_found):
            result.add("free_text", where, field=name, profile=self.profile.id)


def _canon(kind: str, value: Any) -> Any:
    """A stored or written value in one comparable form."""
    if value is None or value == "":
        return None
    if kind in ("int", "bool"):
        if isinstance(value, str):
            if kind == "bool" and value in ("true", "false"):
                return int(value == "true")
            try:
                return int(value)
            except ValueError:
                pass
            try:
                value = float(value)              # a concept delivery carries a count of 2.5 as 2.5
            except ValueError:
                return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if kind == "date":
        try:
            return _dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if kind == "datetime":
        text = str(value)
        try:
            v = _dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            return text
        if v.tzinfo is not None:
            v = v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return v.replace(microsecond=v.microsecond // 1000 * 1000)
    return value if isinstance(value, str) else str(value)


def _csv_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[List[str]]:
    with zf.open(info) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield from csv.reader(text)


_BLOCK = 4096          # CSV rows compared at once (a column at a time), so a large CSV is never held whole


def _compare_csv(result: Inspection, zf: zipfile.ZipFile, info: zipfile.ZipInfo, expected: List[str],
                 types: Dict[str, str], stored: Tuple[List[str], int, Iterator[tuple]], standard: Standard,
                 check: Optional[RowCheck], areas: Dict[int, Optional[float]]) -> None:
    """The CSV against the stored rows (in the same order), streamed in blocks of rows that are
    compared a column at a time: at most 10 differences named, in row order and, within a row, in
    the header's order; every row with another number of cells than the header is named."""
    name = info.filename
    cols, count, rows = stored
    pos = {c: i for i, c in enumerate(cols)}
    differ = 0
    n = 0
    try:
        reader = _csv_rows(zf, info)
        header = next(reader, None)
        if header is None:
            result.add("csv_header", name, missing=", ".join(expected))
            return
        for c in header:
            if c in standard.delivery["never_leaves"]:
                result.add("never_leaves", name, field=c)
        if header != expected:
            miss = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected]
            result.add("csv_header", name, missing=", ".join(miss) or "—", extra=", ".join(extra) or "—")
        hpos = {c: i for i, c in enumerate(header)}
        text_cols = [i for c, i in hpos.items() if types.get(c) == "text"]
        # per header name (first place, last index, as a dict of the row's cells has them): what it
        # is compared with; worked out once, not per row
        compared = [(c, i, pos[c] if c in pos and c in types else None, types.get(c)) for c, i in hpos.items()
                    if c == AREA_CSV or (c in pos and c in types)]
        fed = [(k, hpos.get(k)) for k in check.fields] if check is not None else []
        fid_at, key_at = pos.get("fid"), pos.get(standard.key)
        width = len(header)
        formulas, first_formula = 0, None
        while True:
            lines = list(itertools.islice(reader, _BLOCK))
            if not lines:
                break
            block = list(itertools.islice(rows, len(lines)))
            good = [k for k, line in enumerate(lines) if len(line) == width]
            short = [k for k, line in enumerate(lines) if len(line) != width]
            first = None
            for ci, i in enumerate(text_cols):           # unescaped: a spreadsheet would run it
                hits = [k for k in good if lines[k][i][:1] in FORMULA_START]
                formulas += len(hits)
                if hits and first_formula is None and (first is None or (n + hits[0] + 1, ci) < first[:2]):
                    first = (n + hits[0] + 1, ci, header[i])
            first_formula = first_formula or first
            if check is not None:
                for k in good:
                    line = lines[k]
                    check.feed({f: (line[i] if i is not None else None) or None for f, i in fed})
            wrong: Dict[int, List[tuple]] = {}
            if differ < 10:
                both = [k for k in good if k < len(block)]
                for c, i, at, kind in compared:          # per row, the differences in the header's order
                    for k, cell, gv in _differences(c, i, at, kind, both, lines, block, fid_at, areas):
                        wrong.setdefault(k, []).append((c, cell, gv))
            for k in sorted(short + list(wrong)):            # a short row is never compared: never in both
                if k not in wrong:
                    result.add("csv_cells", name, row=n + k + 1, cells=len(lines[k]), header=width)
                    differ += 1
                    continue
                if differ >= 10:
                    continue
                key = block[k][key_at] if key_at is not None else None
                for c, cell, gv in wrong[k]:
                    differ += 1
                    result.add("csv_value", name, row=n + k + 1, plan_id=key or "—", field=c, csv=cell[:80],
                               gpkg=str(gv)[:80])
                    if differ >= 10:
                        break
            n += len(lines)
        if formulas:
            result.add("csv_formula", name, count=formulas, row=first_formula[0], field=first_formula[2])
        if check is not None:
            check.report(result, name)
    except (csv.Error, UnicodeDecodeError) + _READ_ERRORS as e:
        result.add("csv_unreadable", name, reason=str(e)[:200] or type(e).__name__)
        return
    if n != count:
        result.add("csv_rows", name, csv=n, gpkg=count)


def _differences(c: str, i: int, at: Optional[int], kind: Optional[str], both: List[int], lines: List[List[str]],
                 block: List[tuple], fid_at: Optional[int], areas: Dict[int, Optional[float]]):
    """(row in the block, CSV cell, stored value) of each row in `both` where the CSV's column `c`
    (cell i) differs from what is stored (column at): the cells written for the stored values
    compared as one list first, one by one only where the two lists differ."""
    cells = [lines[k][i] for k in both]
    if c == AREA_CSV:
        for k, cell in zip(both, cells):
            fid = block[k][fid_at] if fid_at is not None else None
            area = areas.get(fid) if fid is not None else None
            if not ((cell == "" and area is None) or (area is not None and _close(cell, area))):
                yield k, cell, (None if area is None else round(area, 1))
        return
    values = [block[k][at] for k in both]
    written = _written_column(kind, values)
    if written == cells:
        return
    for k, cell, w, gv in zip(both, cells, written, values):
        if w != cell and not _same(kind, cell, gv):
            yield k, cell, gv


def _written_column(kind: Optional[str], values: List[Any]) -> List[Optional[str]]:
    """_written of each stored value, a column at once; a text value stands for itself in a date
    or datetime column too (the same text gives the same _canon, so _same would agree)."""
    if kind in ("text", "date", "datetime"):
        return [v if v.__class__ is str else ("" if v is None else None) for v in values]
    if kind == "int":
        return [str(v) if v.__class__ is int else ("" if v is None else None) for v in values]
    return [_written(kind, v) for v in values]


def _close(text: str, area: float) -> bool:
    try:
        return abs(float(text) - area) <= 0.051 + 1e-9 * area
    except ValueError:
        return False


def _written(kind: str, stored: Any) -> Optional[str]:
    """The CSV text the export writes for a stored value, where that is plain (else None)."""
    if stored is None:
        return ""
    t = type(stored)
    if t is str:
        return stored if kind in ("text", "date") else None
    if t is int:
        return ("true" if stored == 1 else "false" if stored == 0 else None) if kind == "bool" else \
            (str(stored) if kind == "int" else None)
    return None


def _same(kind: str, cell: str, stored: Any) -> bool:
    if kind == "text" and isinstance(stored, str) and stored.lstrip("'")[:1] in FORMULA_START and \
            cell == "'" + stored:
        return True                       # the CSV's formula-injection escaping (a quote in front)
    return _canon(kind, cell) == _canon(kind, stored)
