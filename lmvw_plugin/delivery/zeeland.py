"""Zeeland's Planmonitor Wonen workbooks: one .xlsx per plan, in a zip named after the delivery.

The layout is the one both versions of Zeeland's importer read (reference §5.4): A1:A16 the plan
labels with their values in B (the first importer reads them), the years 2024…2043 as numbers in
G1:Z1 (the current importer takes each column's year from row 1), row 18 the template's grid
header, rows 19–38 the 20 category rows with label in A and group name in B on every row (not
merged), literal whole numbers in C (Totalen), E (Gerealiseerd) and G..Z (the years), and the
template's `Check` formulas in D and AA and `Restcapaciteit` in F.

Zeeland stores one polygon per plan and has only the years 2024–2043; its app requires each
group (woningtype, wonen en zorg, flexwoningen, betaalbaarheid) to add up to Nieuwbouw per row and
per year. `check()` reports a multipart plan, a year outside the columns and a group that does not
add up before anything is written, and `write()` refuses while there is such a finding.

Input is neutral: per plan a dict with `name` (the plan's name: file and sheet), `plan_id`,
`fields` ({label: value} for the 16 plan labels), `rows` ({(label, group): (totaal,
gerealiseerd, {year: aantal})}) and `geometry` (WKB). The province profile's mapping makes them
(delivery.province). Workbooks via openpyxl (MIT), bundled in the plugin zip where QGIS lacks it."""
from __future__ import annotations

import io
import os
import re
import zipfile
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..common.geo import shapely
from ..common.vendor import load as _load
from ..i18n import tr
from ..rules.findings import ERROR, WARNING, Finding

PLAN_LABELS = ("Plannaam", "Plaatsnaam", "Gemeente", "Regio", "Provincie", "Plantype", "Vertrouwelijkheid",
               "Status Project", "Status Planologisch", "Knelpunten", "Woonmilieu", "Studentenwoningen",
               "Opdrachtegever", "Opdrachtgever Naam", "Sleutelproject", "Opmerkingen")
CATEGORIES: Tuple[Tuple[str, str], ...] = (
    ("Nieuwbouw", "nieuwbouw"),
    ("Eengezins", "woningtype"), ("Meergezins", "woningtype"), ("Onbekend", "woningtype"),
    ("Nultreden", "wonen en zorg"), ("Geclusterd", "wonen en zorg"), ("Zorggeschikt", "wonen en zorg"),
    ("Onbekend", "wonen en zorg"), ("Regulier", "wonen en zorg"),
    ("Flexwoningen", "flexwoningen"), ("Regulier permanent", "flexwoningen"),
    ("Sociale huur", "betaalbaarheid"), ("Huur middenhuur", "betaalbaarheid"), ("Huur dure huur", "betaalbaarheid"),
    ("Huur onbekend", "betaalbaarheid"), ("Koop betaalbare koop", "betaalbaarheid"),
    ("Koop dure koop", "betaalbaarheid"), ("Koop onbekend", "betaalbaarheid"),
    ("Onbekend Koop of Huur", "betaalbaarheid"),
    ("Sloop", "sloop"),
)
GROUPS = ("woningtype", "wonen en zorg", "flexwoningen", "betaalbaarheid")
YEARS = tuple(range(2024, 2044))
FIRST_ROW = 19                      # row of Nieuwbouw; header in row 18
HEADER = (("", "Groepnaam", "Totalen", "Check", "Gerealiseerd", "Restcapaciteit")
          + tuple(str(y) for y in YEARS) + ("Check",))
YEAR_COL = 7                        # G
MULTIPART, YEAR_OUTSIDE, GROUP_SUM, DROPPED, NEGATIVE, UNPLANNED = (
    "PZLD90", "PZLD91", "PZLD92", "PZLD93", "PZLD94", "PZLD95")
Row = Tuple[int, int, Dict[int, int]]


class XlsxError(Exception):
    """The workbooks cannot be written (no openpyxl); the message says why and what to do."""


class XlsxRefused(Exception):
    """Plans Zeeland cannot store as they are: nothing was written."""

    def __init__(self, findings: List[Finding]):
        super().__init__(f"{len(findings)} plans Zeeland cannot store as they are")
        self.findings = findings


def openpyxl_problem() -> Optional[str]:
    try:
        _load("openpyxl")
    except ImportError:
        return tr("The Zeeland workbooks need the Python package openpyxl, which this QGIS lacks and the "
                  "plugin's copy could not supply. Reinstall the plugin from its zip, or install it: "
                  "python -m pip install openpyxl.")
    return None


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _row(plan: Dict[str, Any], key: Tuple[str, str]) -> Row:
    r = plan.get("rows", {}).get(key)
    return (0, 0, {}) if r is None else (int(r[0] or 0), int(r[1] or 0), dict(r[2] or {}))


def _finding(code: str, plan: Dict[str, Any], message: str, severity: str = ERROR,
             fld: Optional[str] = None) -> Finding:
    return Finding(rule=code, severity=severity, plan_id=plan.get("plan_id"), field=fld, message=message,
                   plannaam=plan.get("name"))


def check(plans: Sequence[Dict[str, Any]]) -> List[Finding]:
    """What Zeeland cannot take as it is: a plan of more than one polygon, a year outside
    2024–2043, a negative count, a group that does not add up to Nieuwbouw (per row and per year);
    and, as a warning, a category whose dwellings are all realised (the current importer drops a
    row without a year value)."""
    out: List[Finding] = []
    for p in plans:
        name = p.get("name") or p.get("plan_id") or "?"
        wkb = p.get("geometry")
        if wkb is not None:
            parts = int(shapely.get_num_geometries(shapely.from_wkb(bytes(wkb))))
            if parts > 1:
                out.append(_finding(MULTIPART, p, tr(
                    "Plan '{}' consists of {} separate polygons; Zeeland stores one polygon per plan. Merge the "
                    "parts into one polygon (QGIS: Edit ▸ Merge Selected Features, or draw one outline), or "
                    "split it into {} plans.", name, parts, parts), fld="geometry"))
        rows = {key: _row(p, key) for key in CATEGORIES}
        outside = sorted({y for (_, _, years) in rows.values() for y, v in years.items() if v and y not in YEARS})
        if outside:
            out.append(_finding(YEAR_OUTSIDE, p, tr(
                "Plan '{}' has dwellings in {}; Zeeland's workbook has only the years 2024 to 2043. Move them "
                "to a year within that range, or leave this plan out of the Zeeland export.",
                name, ", ".join(str(y) for y in outside)), fld="fasering"))
        if any(v < 0 for (t, g, years) in rows.values() for v in (t, g, *years.values())):
            out.append(_finding(NEGATIVE, p, tr("Plan '{}' has a negative count.", name)))
        nb = rows[CATEGORIES[0]]
        planned = nb[0] - nb[1] - sum(nb[2].values()) == 0
        if not planned:
            out.append(_finding(UNPLANNED, p, tr(
                "Plan '{}': its fasering holds {} of its {} remaining dwellings; Zeeland's check (Totalen minus "
                "Gerealiseerd is the sum of the years) fails until the fasering is complete.",
                name, sum(nb[2].values()), nb[0] - nb[1]), severity=WARNING, fld="fasering"))
        for key, (tot, ger, years) in rows.items():
            if planned and key[1] != "sloop" and tot - ger - sum(years.values()) != 0:
                out.append(_finding(GROUP_SUM, p, tr(
                    "Plan '{}', row {} ({}): Totalen {} minus Gerealiseerd {} is not the sum of its years ({}).",
                    name, key[0], key[1], tot, ger, sum(years.values()))))
        realised = [f"{k[0]} ({k[1]})" for k, (tot, ger, _) in rows.items()
                    if k[1] not in ("nieuwbouw", "sloop") and tot > 0 and tot == ger]
        if realised:
            out.append(_finding(DROPPED, p, tr(
                "Plan '{}': in the rows {} all dwellings are realised, so no year holds them; Zeeland's current "
                "importer skips such a row (its first version reads it). Check these rows in Zeeland after the "
                "import.", name, ", ".join(realised)), severity=WARNING))
        for group in GROUPS:
            members = [rows[k] for k in CATEGORIES if k[1] == group]
            for what, ours, theirs in (("Totalen", nb[0], sum(m[0] for m in members)),
                                       ("Gerealiseerd", nb[1], sum(m[1] for m in members))):
                if ours != theirs:
                    out.append(_finding(GROUP_SUM, p, tr(
                        "Plan '{}': the group {} adds up to {} in {}, Nieuwbouw has {}.",
                        name, group, theirs, what, ours)))
            for y in YEARS:
                s = sum(m[2].get(y, 0) for m in members)
                if s != nb[2].get(y, 0):
                    out.append(_finding(GROUP_SUM, p, tr(
                        "Plan '{}': the group {} adds up to {} in {}, Nieuwbouw has {}.",
                        name, group, s, y, nb[2].get(y, 0))))
    return out


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_BAD_FILE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def sheet_title(name: str) -> str:
    t = _BAD_SHEET.sub("_", str(name or "")).strip().strip("'")[:31]
    return t or "Plan 1"


def file_names(plans: Sequence[Dict[str, Any]]) -> List[str]:
    """One `.xlsx` name per plan, after the plan's name; the same name twice gets ` (2)` …"""
    seen: Dict[str, int] = {}
    out = []
    for p in plans:
        base = _BAD_FILE.sub("_", str(p.get("name") or p.get("plan_id") or "plan")).strip(" .")[:120] or "plan"
        n = seen.get(base.lower(), 0) + 1
        seen[base.lower()] = n
        out.append(f"{base}.xlsx" if n == 1 else f"{base} ({n}).xlsx")
    return out


def _grid(plan: Dict[str, Any]) -> List[List[Any]]:
    """The sheet's rows 1..38 as lists of cell values (None = empty cell)."""
    width = YEAR_COL + len(YEARS)                       # A .. AA
    fields = plan.get("fields", {})
    grid: List[List[Any]] = [[None] * width for _ in range(FIRST_ROW - 1 + len(CATEGORIES))]
    for i, label in enumerate(PLAN_LABELS):
        v = fields.get(label)
        grid[i][0] = label
        grid[i][1] = None if v == "" else v
    for j, y in enumerate(YEARS):
        grid[0][YEAR_COL - 1 + j] = y                   # G1:Z1, the years as numbers
    grid[FIRST_ROW - 2] = list(HEADER)
    first_year, last_year = _col(YEAR_COL), _col(YEAR_COL + len(YEARS) - 1)
    starts: Dict[str, Tuple[int, int]] = {}
    for k, key in enumerate(CATEGORIES):
        r = FIRST_ROW + k
        lo, hi = starts.get(key[1], (r, r))
        starts[key[1]] = (lo, r)
    for k, key in enumerate(CATEGORIES):
        r = FIRST_ROW + k
        tot, ger, years = _row(plan, key)
        row = grid[r - 1]
        row[0], row[1], row[2], row[4], row[5] = key[0], key[1], tot, ger, f"=C{r}-E{r}"
        for j, y in enumerate(YEARS):
            v = years.get(y, 0)
            if v:
                row[YEAR_COL - 1 + j] = int(v)
        if key[1] != "sloop":
            row[width - 1] = f"=F{r}-SUM({first_year}{r}:{last_year}{r})"
        lo, hi = starts[key[1]]
        if key[1] in GROUPS and r == lo:
            row[3] = f"=C{FIRST_ROW}-SUM(C{lo}:C{hi})"
    return grid


class Book:
    """One openpyxl workbook reused for every plan of an export: the constant cells (labels, header,
    years, formulas) are written once, each plan sets only its own values before it is saved."""

    def __init__(self):
        openpyxl = _load("openpyxl")
        self.wb = openpyxl.Workbook()
        self.ws = self.wb.active
        self.ws.column_dimensions["A"].width = 22
        self.ws.column_dimensions["B"].width = 16
        self.wb.calculation.fullCalcOnLoad = True      # no cached results: Excel computes the checks on opening
        self.cells: Dict[Tuple[int, int], Any] = {}

    def fill(self, plan: Dict[str, Any]):
        ws = self.ws
        ws.title = sheet_title(plan.get("name"))
        new: Dict[Tuple[int, int], Any] = {}
        for r, row in enumerate(_grid(plan), start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    new[(r, c)] = v
        for key in self.cells.keys() - new.keys():
            ws.cell(row=key[0], column=key[1]).value = None
        for key, v in new.items():
            if self.cells.get(key) != v or type(self.cells.get(key)) is not type(v):
                ws.cell(row=key[0], column=key[1]).value = v
        self.cells = new
        return self.wb


def workbook(plan: Dict[str, Any]):
    """The openpyxl workbook of one plan (a plain grid, nothing merged)."""
    return Book().fill(plan)


def write(out_zip: str, plans: Sequence[Dict[str, Any]], *, strict: bool = True,
          progress: Optional[Callable[[float], None]] = None,
          cancelled: Optional[Callable[[], bool]] = None) -> Dict[str, Any]:
    """Write `out_zip` with one workbook per plan. Refuses (XlsxRefused, nothing written) while
    check() finds an error, unless strict=False (a concept delivery: written as it is, years
    outside 2024–2043 left out); the zip appears only when complete."""
    problem = openpyxl_problem()
    if problem:
        raise XlsxError(problem)
    found = [f for f in check(plans) if f.severity == ERROR] if strict else []
    if found:
        raise XlsxRefused(found)
    step = progress or (lambda p: None)
    stop = cancelled or (lambda: False)
    names = file_names(plans)
    book = Book()
    part = out_zip + ".part"
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for k, (p, name) in enumerate(zip(plans, names)):
                if stop():
                    raise InterruptedError
                buf = io.BytesIO()
                book.fill(p).save(buf)
                zf.writestr(name, buf.getvalue(), compress_type=zipfile.ZIP_STORED)   # xlsx is a zip already
                step((k + 1) / max(1, len(plans)))
        os.replace(part, out_zip)
    finally:
        if os.path.exists(part):
            os.remove(part)
    return {"plans": len(plans), "files": names}
