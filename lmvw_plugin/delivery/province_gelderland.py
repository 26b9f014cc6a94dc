"""WRITERS["filegdb-gelderland"]: the province pipeline's records → filegdb.write.

The profile's `mapping.fields` give the Planregistratie fields (province.map_fields); what that
mapping language cannot say is in `mapping.computed` and filled here: sums and differences of our
counts (`add`/`sub`) and the remaining dwellings per woningtype or price group (`rest`: the plan's
bruto split minus its realised part, as the distribution computed them). `mapping.year_cells`
turns each fasering year into a DetailPlanning row (province.year_cells); `mapping.detail_from_plan`
names the fields a row copies from its plan. The checks of filegdb.check() run before anything is
written and are reported under the profile's own codes (int_range, domain, required_value)."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple

from ..i18n import tr
from ..rules.findings import Finding, render
from ..standard import pick
from . import filegdb as gdb
from .province import ProvinceRecord, WriteContext, WriterError, YearCellStore, register_writer

FORMAT = "filegdb-gelderland"
_KIND = {gdb.INT16_RANGE: "int_range", gdb.DOMAIN_MISS: "domain", gdb.NOT_NULL: "required_value"}


def _num(v: Any) -> int:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v else 0


def computed(spec: Dict[str, Any], rec: ProvinceRecord) -> int:
    if "rest" in spec:
        dim = spec["rest"]
        return sum(_num(rec.totals.get(dim, {}).get(p)) - _num(rec.realised.get(dim, {}).get(p))
                   for p in spec["parts"])
    return sum(_num(rec.values.get(a)) for a in spec.get("add", [])) - \
        sum(_num(rec.values.get(s)) for s in spec.get("sub", []))


def plan_dict(profile, rec: ProvinceRecord) -> Dict[str, Any]:
    d = dict(rec.fields)
    for name, spec in profile.mapping.get("computed", {}).items():
        d[name] = computed(spec, rec)
    d[gdb.GEOMETRY] = rec.geometry_wkb
    return d


def _n(v: Any) -> int:
    return v if type(v) is int else _num(v)


def plan_dicts(profile, records: List[ProvinceRecord]) -> List[Dict[str, Any]]:
    """plan_dict() of every record, each computed field a column at a time (each value or
    category part read once for all the fields that use it)."""
    specs = list(profile.mapping.get("computed", {}).items())
    n = len(records)
    values: Dict[str, List[int]] = {}
    rests: Dict[Tuple[str, str], List[int]] = {}

    def value(name: str) -> List[int]:
        if name not in values:
            values[name] = [_n(rec.values.get(name)) for rec in records]
        return values[name]

    def rest(dim: str, part: str) -> List[int]:
        if (dim, part) not in rests:
            rests[(dim, part)] = [_n(rec.totals.get(dim, {}).get(part)) - _n(rec.realised.get(dim, {}).get(part))
                                  for rec in records]
        return rests[(dim, part)]

    def total(cols: List[List[int]]) -> List[int]:
        return list(map(sum, zip(*cols))) if cols else [0] * n

    cols = []
    for _name, spec in specs:
        if "rest" in spec:
            cols.append(total([rest(spec["rest"], p) for p in spec["parts"]]))
        else:
            plus = total([value(a) for a in spec.get("add", [])])
            minus = total([value(s_) for s_ in spec.get("sub", [])])
            cols.append([a - b for a, b in zip(plus, minus)])
    names = [name for name, _spec in specs]
    out = []
    for rec, row in zip(records, zip(*cols) if cols else ((),) * n):
        d = dict(rec.fields)
        d.update(zip(names, row))
        d[gdb.GEOMETRY] = rec.geometry_wkb
        out.append(d)
    return out


class YearCells:
    """`mapping.year_cells` compiled once: a fasering year as the DetailPlanning cells that are not
    0 (the writer's prototype row holds the zeros and the flags), the same values as
    province.year_cells without spelling out 66 names per row."""

    def __init__(self, profile):
        yc = profile.mapping["year_cells"]
        self.year = yc.get("year", "jaartal")
        self.names = {(b, p): yc["cell"].format(type=t, **{"class": c})
                      for b, t in yc["types"].items() for p, c in yc["classes"].items()}
        self.sloop = yc.get("sloop_into")
        self.flags = {f["name"]: f["value"] for f in (yc.get("built_flag"), yc.get("sloop_flag")) if f}

    def cells(self, row) -> Dict[str, Any]:
        d: Dict[str, Any] = {self.year: int(row.jaar), **self.flags}
        names = self.names
        for b, by_price in row.joint.items():
            for p, n in by_price.items():
                if n:
                    k = names[(b, p)]
                    d[k] = d.get(k, 0) + int(n)
        if row.sloop and self.sloop:
            d[self.sloop] = int(row.sloop)
        return d


def detail_dicts(cells: YearCells, profile, rec: ProvinceRecord, plan: Dict[str, Any]) -> List[Dict[str, Any]]:
    copied = {k: plan.get(k) for k in profile.mapping.get("detail_from_plan", [])}
    copied[gdb.KOPPELID] = plan.get("koppelid")
    return [{**copied, **cells.cells(row)} for row in rec.years]


def tables(profile, records: List[ProvinceRecord], ctx: Optional[WriteContext] = None
           ) -> Tuple[List[Dict[str, Any]], "List[Dict[str, Any]] | gdb.DetailRows"]:
    """The Planregistratie rows (dicts) and the DetailPlanning rows (filegdb.DetailRows read
    from the records' year matrices; dicts for records made by hand); made once per export
    (kept on the context between the pre-check and the writer)."""
    if ctx is None:
        return _tables(profile, records)
    got = ctx.memo("gelderland_tables", lambda: (records, _tables(profile, records)))
    return got[1] if got[0] is records else _tables(profile, records)


def _tables(profile, records: List[ProvinceRecord]):
    cells = YearCells(profile)
    plans = plan_dicts(profile, records)
    store, index = YearCellStore.of(records)
    details: "List[Dict[str, Any]] | gdb.DetailRows"
    if store is not None and store.has_joint:
        details = detail_rows(cells, profile, records, plans, store, index)
    else:
        details = []
        for rec, p in zip(records, plans):
            details += detail_dicts(cells, profile, rec, p)
    return plans, details


def detail_rows(cells: YearCells, profile, records: List[ProvinceRecord], plans: List[Dict[str, Any]],
                store: YearCellStore, index: List[int]) -> gdb.DetailRows:
    """detail_dicts() of every record, column-wise: the same rows as filegdb.DetailRows."""
    plan_of: List[int] = []
    jaartal: List[int] = []
    sloop: List[int] = []
    copied = []
    keys = profile.mapping.get("detail_from_plan", [])
    for j, (rec, plan) in enumerate(zip(records, plans)):
        c = {k: plan.get(k) for k in keys}
        c[gdb.KOPPELID] = plan.get("koppelid")
        copied.append(c)
        for row in rec.years:
            plan_of.append(j)
            jaartal.append(int(row.jaar))
            sloop.append(int(row.sloop) if row.sloop else 0)
    names = [[cells.names.get((t, p)) for p in store.pnames] for t in store.tnames]
    return gdb.DetailRows(plan_of, copied, jaartal, cells.flags, store.jointm[index], names, sloop,
                          cells.sloop)


def precheck(profile, records: List[ProvinceRecord], ctx: WriteContext) -> List[Finding]:
    """filegdb.problems() on the tables as they will be written, worded by the profile's own check
    of that kind (int_range, domain, required_value) where it has one, else by the writer."""
    plans, details = tables(profile, records, ctx)
    fids = {r.plan_id: r.fid for r in records}
    out = []
    found = gdb.problems(plans, details)
    ctx.remember("gelderland_problems", (plans, details, found))   # the writer's own check of the same tables
    for p in found:
        f = p.finding()
        check = profile.export_check(_KIND[p.code]) if p.code in _KIND else None
        code, msg = f.rule, f.message
        if check is not None:
            code = check["code"]
            msg = p.where + ": " + render(pick(check["message"], ctx.lang), field=p.field, value=p.value,
                                          domain=p.domain, min=p.low, max=p.high,
                                          fix=tr("fill it in in the plan."))
        out.append(Finding(code, f.severity, f.plan_id, p.field, msg, fid=fids.get(f.plan_id),
                           plannaam=f.plannaam, check=code))
    return out


@register_writer(FORMAT, precheck)
def write(out_path: str, profile, records: List[ProvinceRecord], ctx: WriteContext):
    problem = gdb.gdal_problem()
    if problem:
        raise WriterError(problem)
    plans, details = tables(profile, records, ctx)
    name = os.path.basename(out_path)
    name = name[: -len(".gdb.zip")] if name.endswith(".gdb.zip") else os.path.splitext(name)[0]
    template = (ctx.options or {}).get("template")

    got = ctx.remembered("gelderland_problems")
    checked = got[2] if got is not None and got[0] is plans and got[1] is details else None
    try:
        facts = gdb.write(out_path, plans, details, gdb_name=name, creator=ctx.gemeente, when=ctx.created_at,
                          template=template, progress=lambda p: ctx.step(45 + 45 * p),
                          strict=not ctx.concept, checked=checked)
    except gdb.GdbRefused as e:
        raise WriterError("; ".join(f.message for f in e.findings[:5])) from None
    except gdb.GdbError as e:
        raise WriterError(str(e)) from None
    return {"plans": facts["plans"], "detailplanning_rows": facts["detail_rows"]}
