"""WRITERS["xlsx-zeeland"]: the province pipeline's records → zeeland.write.

`mapping.fields` of the profile give the 16 plan values of A1:B16 (by label; province.map_fields);
a list becomes comma-separated (Zeeland's first importer splits on ","), a yes/no `Ja`/`Nee`, and
`mapping.projectfase_realised` replaces the status project of a plan with realised dwellings
(`realisatie` → `Realisatie tot laatste woning`). `mapping.rows` gives the 20 category rows: the
Nieuwbouw and Sloop rows from our totals and fasering (`total`, `realised`, `years`), the others
from a split dimension's parts as distributed (or recorded) per year, with their realised part
(`dimension`, `parts`); a row without a source is 0 (wonen en zorg `Onbekend`)."""
from __future__ import annotations

from typing import Any, Dict, List

from ..rules.findings import Finding
from . import zeeland as zl
from .province import ProvinceRecord, WriteContext, WriterError, register_writer

FORMAT = "xlsx-zeeland"


def _num(v: Any) -> int:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v else 0


def _cell(v: Any) -> Any:
    if isinstance(v, bool):
        return "Ja" if v else "Nee"
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v) or None
    return v


def plan_dict(profile, rec: ProvinceRecord) -> Dict[str, Any]:
    m = profile.mapping
    fields = {k: _cell(v) for k, v in rec.fields.items()}
    if _num(rec.values.get("aantal_gerealiseerd")) > 0:
        over = m.get("projectfase_realised", {}).get(str(rec.values.get("projectfase")))
        if over:
            fields["Status Project"] = over
    rows = {}
    for spec in m.get("rows", []):
        key = (spec["label"], spec["group"])
        if "total" in spec:
            years = {y.jaar: int(getattr(y, spec["years"])) for y in rec.years}
            rows[key] = (_num(rec.values.get(spec["total"])), _num(rec.values.get(spec["realised"])), years)
        elif "dimension" in spec:
            dim, parts = spec["dimension"], spec["parts"]
            tot = sum(_num(rec.totals.get(dim, {}).get(p)) for p in parts)
            real = sum(_num(rec.realised.get(dim, {}).get(p)) for p in parts)
            years = {y.jaar: sum(_num(y.cells.get(dim, {}).get(p)) for p in parts) for y in rec.years}
            rows[key] = (tot, real, years)
    return {"name": rec.plannaam, "plan_id": rec.plan_id, "fid": rec.fid, "fields": fields, "rows": rows,
            "geometry": rec.geometry_wkb}


def precheck(profile, records: List[ProvinceRecord], ctx: WriteContext) -> List[Finding]:
    """zeeland.check() on the workbooks as they will be written; the multipart and year checks the
    profile already has (single_polygon, year_range) are left to it."""
    skip = {code for code, kind in ((zl.MULTIPART, "single_polygon"), (zl.YEAR_OUTSIDE, "year_range"))
            if profile.export_check(kind) is not None}
    fids = {r.plan_id: r.fid for r in records}
    return [Finding(f.rule, f.severity, f.plan_id, f.field, f.message, fid=fids.get(f.plan_id),
                    plannaam=f.plannaam, check=f.rule)
            for f in zl.check([plan_dict(profile, r) for r in records]) if f.rule not in skip]


@register_writer(FORMAT, precheck)
def write(out_path: str, profile, records: List[ProvinceRecord], ctx: WriteContext):
    problem = zl.openpyxl_problem()
    if problem:
        raise WriterError(problem)
    try:
        facts = zl.write(out_path, [plan_dict(profile, r) for r in records], strict=not ctx.concept,
                         progress=lambda p: ctx.step(45 + 45 * p))
    except zl.XlsxRefused as e:
        raise WriterError("; ".join(f.message for f in e.findings[:5])) from None
    return {"workbooks": len(facts["files"])}
