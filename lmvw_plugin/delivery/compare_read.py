"""Reading both sides of a comparison: a previous package zip, read safely (the zip's members,
sizes, manifest and checksums are checked by `inspect` before its GeoPackage is read; a damaged or
changed package is refused with the problems inspect found), and the current plans from a second
package or any file GDAL reads."""
from __future__ import annotations

import hashlib
import os
import threading
from typing import Dict, Optional

import numpy as np

from ..common import timing
from ..common.threads import background
from ..rules.table import FaseringTable, PlanTable, SchemaError
from ..standard import Standard, load
from ..storage import ogr as ogrio
from .compare import GEOMETRY, Delivery, compared_fields, layer_delivery
from .inspect import inspect
from .names import GPKG


class CompareError(Exception):
    """An input cannot be read. `reason`: not_found, not_file, package (inspect's `problems`),
    unreadable (`detail`), schema (`detail`: the missing fields), province (`detail`: the import's
    message for a province file)."""

    def __init__(self, reason: str, path: str, detail: str = "", problems=None):
        super().__init__(f"{reason}: {path} {detail}".strip())
        self.reason, self.path, self.detail = reason, path, detail
        self.problems = list(problems or [])


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_package(path: str, standard: Optional[Standard] = None, lang: str = "nl",
                 checksum: bool = True, compared_only: bool = False, deferred: bool = False) -> Delivery:
    """The plans of a package zip, read safely (inspect's checks, beside the read; what was read is
    used only when they find nothing); CompareError when it is missing, damaged, changed after
    export or not one of ours. `checksum` False: without the zip's own SHA-256 (`Delivery.sha256`
    empty; the command line's comparison does not show it); inspect's checks are made either way.
    `compared_only`: the tables hold only the fields the comparison reads (`compared_fields`), and of
    the members' checksums only the GeoPackage's is checked (the member that is read).
    `deferred`: return as soon as the plans are read and the manifest is (the rest of inspect's
    checks, the members' checksums, may still run): the caller may compute with the delivery but
    must call `Delivery.confirm()` (which waits for the checks and raises their CompareError)
    before it shows or writes anything of it."""
    standard = standard or load()
    if not os.path.exists(path):
        raise CompareError("not_found", path)
    if not os.path.isfile(path):
        raise CompareError("not_file", path)
    # inspect's checks (the members' checksums) and the package's own checksum run in threads
    # beside GDAL's read (hashlib and zlib release the GIL); what was read counts only once the
    # checks found nothing: a damaged or changed package is refused with inspect's problems
    # (every member's SHA-256 against the manifest; the zip's CRC-32 of the same bytes adds nothing)
    # `compared_only`: of the members' checksums the GeoPackage's, the one member compared (the CSVs are
    # copies of it for people, the report is not compared: those three are checked as present,
    # listed and of their listed size; `inspect` and the export's previous delivery check them all)
    members = (GPKG,) if compared_only else None
    early: Dict = {}
    manifest_read = threading.Event()

    def seen(manifest: Dict) -> None:
        early.update(manifest)
        manifest_read.set()

    checks = background(timing.staged("checks (inspect)", lambda: inspect(path, lang, standard, extract_to="",
                                                                          zip_crc=False, checksums=members,
                                                                          on_manifest=seen if deferred else None)))
    checks.add_done_callback(lambda _f: manifest_read.set())
    digest = background(sha256_of, path) if checksum else None
    held: Optional[BaseException] = None
    try:
        plans, fasering = _read_gpkg(path, standard, compared_fields(standard) if compared_only else (None, None))
    except Exception as e:               # noqa: BLE001 - raised below, unless the checks refuse the package
        held = e

    def confirm() -> Dict:
        result = checks.result()
        if result.problems:
            raise CompareError("package", path, problems=result.problems)
        return result.manifest

    if held is not None or not deferred:
        m = confirm()
        if held is not None:
            raise held
    else:
        manifest_read.wait()
        m = early if early and not checks.done() else confirm()
    sha256 = digest.result() if digest is not None else ""
    plans.origin = None                      # never copied from inside a zip
    if fasering is not None:
        fasering.origin = None
    delivery = Delivery(plans, fasering, m.get("uitvraag", ""), m.get("peildatum", ""), m.get("gemeentecode", ""),
                        m.get("profile", ""), sha256, os.path.abspath(path))
    if deferred and m is early:
        delivery.confirm = confirm
    return delivery


def _read_gpkg(path: str, standard: Standard, fields=(None, None)):
    """(plans, fasering) of a package's GeoPackage, read where it lies, inside the zip (stored: GDAL
    reads it directly); the values are taken as GDAL reads them (checked by inspect: a comparison
    reports no stored types), the geometries stay WKB until the comparison asks for them.
    `fields`: (plan fields, fasering fields) to read, None for all."""
    gpkg = f"/vsizip/{os.path.abspath(path)}/{GPKG}"
    try:
        # the fasering in a thread of its own beside the plans (GDAL and SQLite release the GIL)
        fas = background(ogrio.read_fasering, gpkg, standard, None, False, fields[1])
        try:
            plans, _info = ogrio.read_plans(gpkg, standard, layer=standard.layer_name, to_rd=False,
                                            scan_stored=False, parse_geometry=False, fields=fields[0])
        except BaseException:
            fas.exception()                  # waited for; the plans' error is the one that counts
            raise
        fasering = fas.result()
    except SchemaError as e:
        raise CompareError("schema", path, ", ".join(e.missing)) from None
    except (OSError, RuntimeError, ValueError) as e:
        raise CompareError("unreadable", path, str(e) or type(e).__name__) from None
    return plans, fasering


def province_kind(path: str) -> Optional[str]:
    """gelderland | zuid-holland | zeeland when `path` is one of those provinces' files (as the
    import detects them), else None (an LMVW package, or not a delivery at all)."""
    from .importing import PROVINCE_FORMATS, detect_format
    try:
        kind = detect_format(path)
    except (OSError, ValueError):
        return None
    return kind if kind in PROVINCE_FORMATS else None


def read_previous(path: str, standard: Optional[Standard] = None, lang: str = "nl", checksum: bool = True,
                  compared_only: bool = False, deferred: bool = False) -> Delivery:
    """The previous delivery: an LMVW package (`read_package`), or the file delivered in a
    province's own format (Gelderland's FileGDB, Zuid-Holland's GeoJSON, Zeeland's workbooks),
    read back through the import's province readers (`read_province_file`). `deferred`: see
    read_package (a province file is read whole)."""
    standard = standard or load()
    if not os.path.exists(path):
        raise CompareError("not_found", path)
    kind = province_kind(path)
    if kind is None:
        return read_package(path, standard, lang, checksum, compared_only, deferred)
    return read_province_file(path, kind, standard, checksum)


def read_province_file(path: str, kind: str, standard: Optional[Standard] = None,
                       checksum: bool = True) -> Delivery:
    """A province file as the previous delivery, read as the import reads it (the province's
    mapping reversed, its values converted as an import converts them). It has no manifest: its
    label is the file's name, its profile unknown (each plan's own vertrouwelijkheid, as the file
    holds it, decides whether it may be named). The fields the format does not hold are
    `not_held`: not compared (never a change)."""
    from .import_source import ImportRefused
    from .importing import convert, identity_mapping, load_source
    standard = standard or load()
    try:
        source = load_source(path, standard, fmt=kind)
        ext = source.standard or standard
        conv = convert(source, identity_mapping(source, ext), ext)
    except ImportRefused as e:
        raise CompareError("province", path, e.message) from None
    except (OSError, RuntimeError, ValueError) as e:
        raise CompareError("unreadable", path, str(e) or type(e).__name__) from None
    names = set(standard.field_names)
    records = [{k: v for k, v in r.items() if k in names} for r in conv.records]
    plans = PlanTable.from_records(standard, records, list(conv.geometry))
    # the fasering rows in plan order, each with its plan's row (linked by the reader's own key: a
    # file without plan ids has none to link them by)
    keys = conv.fasering_keys or [r.get(standard.key) for r in conv.records]
    rows, plan_rows = [], []
    for i, k in enumerate(keys):
        for r in (conv.fasering or {}).get(str(k), []) if k else ():
            rows.append(dict(r, **{standard.fasering_key: records[i].get(standard.key)}))
            plan_rows.append(i)
    fasering = FaseringTable.from_records(standard, rows)
    not_held = [f for f in source.not_carried if f in names]
    if kind == "zuid-holland":              # its file holds no realised dwellings (province-formats.md §7.1)
        not_held.append("aantal_gerealiseerd")
    # a split the file does not hold per plan (the import estimated it): not compared for that plan
    row_of = {label: i for i, label in enumerate(source.rows)}
    estimated: dict = {}
    for p in conv.problems:
        group = next((g for g in _SPLIT_GROUPS if p.field in g), None)
        if p.kind in ("estimated", "class_split") and group is not None and p.source in row_of:
            for f in group:
                estimated.setdefault(f, np.zeros(plans.n, dtype=bool))[row_of[p.source]] = True
    if not source.has_geometry or not any(g is not None for g in conv.geometry):
        not_held.append(GEOMETRY)
    codes = {c for c in plans.text("gemeentecode")[0].tolist() if c}
    sha256 = sha256_of(path) if checksum and os.path.isfile(path) else ""
    return Delivery(plans, fasering, os.path.basename(path.rstrip("/\\")), "", codes.pop() if len(codes) == 1 else "",
                    "", sha256, os.path.abspath(path), not_held, estimated,
                    np.asarray(plan_rows, dtype=np.int64) if standard.key in not_held else None)


# the splits a province file may hold only as a whole (the import puts what it cannot place in the
# group's `_onbekend` field and says so)
_SPLIT_GROUPS = (
    ("eengezins", "meergezins", "woningtype_onbekend"),
    ("sociale_huur_corporatie", "sociale_huur_markt", "sociale_huur_markt_geborgd", "middenhuur_corporatie",
     "middenhuur_markt", "middenhuur_markt_geborgd", "dure_huur", "huur_prijs_onbekend", "betaalbare_koop",
     "dure_koop", "koop_prijs_onbekend", "eigendom_onbekend"),
)


def read_current(path: str, standard: Optional[Standard] = None, lang: str = "nl",
                 gemeente: Optional[str] = None, checksum: bool = True, compared_only: bool = False,
                 deferred: bool = False) -> Delivery:
    """The current plans from a package zip or any file GDAL reads (a GeoPackage with its
    fasering); of a plan layer only what a delivery could hold (see `deliverable`). `deferred`: see
    read_package."""
    standard = standard or load()
    if path.lower().endswith(".zip"):
        return read_package(path, standard, lang, checksum, compared_only, deferred)
    if not os.path.exists(path):
        raise CompareError("not_found", path)
    try:
        plans, _info = ogrio.read_plans(path, standard)
        fasering = ogrio.read_fasering(path, standard) if path.lower().endswith(".gpkg") else None
    except SchemaError as e:
        raise CompareError("schema", path, ", ".join(e.missing)) from None
    except (OSError, RuntimeError, ValueError) as e:
        detail = getattr(e, "detail", "") or getattr(e, "reason", "") or str(e) or type(e).__name__
        raise CompareError("unreadable", path, detail) from None
    return layer_delivery(standard, plans, fasering, gemeente, path=os.path.abspath(path))


def read_both(previous: str, current: str, standard: Optional[Standard] = None, lang: str = "nl",
              checksum: bool = True, compared_only: bool = False, deferred: bool = False):
    """(previous package, current plans), read side by side (GDAL, the checksums and GEOS release
    the GIL); the CompareError of the previous package first, then the current one's. Of a plan
    layer only the previous delivery's gemeente counts. `compared_only`: of the packages only the
    fields the comparison reads (see read_package). `deferred`: the packages' checks may still run
    (see read_package): call `confirm_both` before showing anything."""
    from concurrent.futures import ThreadPoolExecutor
    standard = standard or load()
    with ThreadPoolExecutor(2, thread_name_prefix="lmvw-diff") as pool:
        prev = pool.submit(read_previous, previous, standard, lang, checksum, compared_only, deferred)
        cur = pool.submit(read_current, current, standard, lang, None, checksum, compared_only, deferred)
        p = prev.result()
        try:
            c = cur.result()
        except BaseException:
            p.confirm()                         # the previous package's refusal comes first
            raise
    if p.gemeente and not current.lower().endswith(".zip"):
        c = layer_delivery(standard, c.plans, c.fasering, p.gemeente, path=c.path)
    return p, c


def confirm_both(previous: Delivery, current: Delivery) -> None:
    """Wait for the checks of both deliveries read with `deferred`; the previous one's CompareError
    first."""
    previous.confirm()
    current.confirm()
