"""The province formats in the intake (issue 12): Gelderland's FileGDB zip, Zuid-Holland's GeoJSON
and Zeeland's workbooks, read by the import's province readers (delivery/import_province.py),
converted to Basisset values as an import into an empty layer does, re-validated, and stored like
a package: keyed by gemeentecode and uitvraag (from the file's name, `lmvw_GMdddd_YYYY-najaar_…`,
or the intake's --uitvraag), with the file's sha256 (the same file twice changes nothing).

A province file has no manifest: what a package's inspection checks and a province file cannot
show is said in the outcome's notes (and in the levering's manifest column): no checksums (a
change after export cannot be seen), no totals or validation summary to compare with, the fields
the format does not hold, and the values that could not come over. Its moment (for "an older
delivery does not replace a newer one") is the file's modification time; it has no peildatum.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from typing import Any, Dict, List, Optional, Sequence

from ..i18n import tr
from ..rules.engine import Validator
from ..rules.table import FaseringTable, PlanTable
from ..standard import FieldDef, Standard
from ..storage import postgis as pgio
from .import_source import ImportRefused
from .inspect import Problem

KEY_IN_NAME = re.compile(r"(GM\d{4})_(\d{4}-(?:voorjaar|najaar))", re.IGNORECASE)


def province_kind(path: str) -> Optional[str]:
    """gelderland | zuid-holland | zeeland when the file is one of the province formats, else None
    (a package, or something inspect refuses)."""
    from .importing import PROVINCE_FORMATS, detect_format
    kind = detect_format(path)
    return kind if kind in PROVINCE_FORMATS else None


class Read:
    """A province file made ready for the intake (delivery/intake.py makes its Prepared of it)."""

    def __init__(self):
        self.problems: List[Problem] = []
        self.unreadable = False
        self.gemeentecode = self.uitvraag = ""
        self.plans = self.errors = 0
        self.notes: List[str] = []
        self.manifest: Dict[str, Any] = {}
        self.plans_copy: Optional[str] = None         # None: refused
        self.plan_names: List[str] = []
        self.plans_n = 0
        self.fasering_names: List[str] = []
        self.fasering_copy = ""


def prepare_province(path: str, kind: str, standard: Standard, lang: str, fields: Sequence[FieldDef],
                     uitvraag: Optional[str] = None) -> Read:
    """A province file read for the intake: refused with its reason when it cannot be read or keyed,
    else its plans (`fields` of them) as COPY text and, in the notes, what was not checked."""
    from . import importing as im
    name = os.path.basename(path)
    out = got = Read()
    m = KEY_IN_NAME.search(name)
    gemeente = m.group(1).upper() if m else None
    uitvraag = (m.group(2).lower() if m else None) or uitvraag
    try:
        source = im.load_source(path, standard, fmt=kind, lang=lang)
    except ImportRefused as e:
        out.unreadable = True
        out.problems.append(Problem("province_unreadable", name, {"format": kind, "reason": e.message}))
        return got
    ext = source.standard or standard
    conv = im.convert(source, im.default_mapping(source, ext), ext)
    codes = sorted({str(r.get("gemeentecode")) for r in conv.records if r.get("gemeentecode")})
    gemeente = gemeente or (codes[0] if len(codes) == 1 else None)
    if not gemeente or not uitvraag or not re.match(standard.delivery["uitvraag_pattern"], uitvraag):
        out.problems.append(Problem("province_no_key", name, {
            "format": kind, "gemeente": gemeente or "?", "uitvraag": uitvraag or "?"}))
        return got
    out.gemeentecode, out.uitvraag = gemeente, uitvraag
    pv = im.preview(conv, im.Target.empty(ext), ext, gemeente)
    new = [a for a in pv.actions if a.action == im.NEW]
    records, geoms, fas_rows = [], [], []
    for a in new:
        values = dict(a.values)
        if "gewijzigd_op" in source.not_carried:
            values["gewijzigd_op"] = None            # the format does not hold it: not made up here
        geoms.append(values.pop(im.GEOMETRY, None))
        for r in values.pop(im.FASERING, None) or []:
            fas_rows.append(dict(r, **{standard.fasering_key: values.get(standard.key)}))
        records.append(values)
    plans = PlanTable.from_records(standard, records, geoms)
    fasering = FaseringTable.from_records(standard, fas_rows)
    other = sorted({c for c in (r.get("gemeentecode") for r in records) if c and c != gemeente})
    if other:
        out.problems.append(Problem("other_gemeente", name, {"codes": ", ".join(other), "count": sum(
            1 for r in records if r.get("gemeentecode") in other)}))
        return got
    try:
        peil = _dt.date.fromtimestamp(os.path.getmtime(path))
        made = _dt.datetime.fromtimestamp(os.path.getmtime(path), _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError:
        peil, made = _dt.date.today(), ""
    report = Validator(standard, lang, peil).validate(plans, fasering, gemeente=gemeente)
    out.plans, out.errors = plans.n, report.errors
    notes = [tr("{} is a province file ({}), not a package: it has no manifest and no checksums, so a change after "
                "export cannot be seen, and there are no totals or validation summary to compare with.", name, kind)]
    notes += list(source.notes)
    skipped = len(pv.actions) - len(new)
    if skipped:
        notes.append(tr("{} plans of the file could not be stored (a plan-id twice, or a conflict).", skipped))
    if pv.problems:
        notes.append(tr("{} remarks on reading the file (values that could not come over, or were estimated; first: "
                        "{}).", len(pv.problems), "; ".join(f"{p.source} {p.field}: {p.reason}"
                                                            for p in pv.problems[:3])))
    notes.append(tr("Re-validated: {} errors, {} warnings.", report.errors, report.warnings))
    out.notes = notes
    got.manifest = {"format": kind, "gemeentecode": gemeente, "gemeentenaam": standard.gemeente_name(gemeente),
                    "uitvraag": uitvraag, "peildatum": None,
                    "created_at": made, "profile": kind, "concept": None, "not_checked": notes,
                    "validation": {"plans": plans.n, "errors": report.errors, "warnings": report.warnings}}
    got.plan_names, got.plans_copy = pgio.plan_copy(standard, plans, fields)
    got.plans_n = plans.n
    if fasering.n:
        got.fasering_names, got.fasering_copy = pgio.fasering_copy(standard, fasering)
    return got
