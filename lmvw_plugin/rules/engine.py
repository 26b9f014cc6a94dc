"""The validation engine: plans (+ fasering) in, findings out.

Every rule of the standard's §5 with its stable code. Record rules run vectorised over the
whole table (`checks.passes`), geometry rules with shapely 2, the overlap rule with an STRtree.
The same pieces are reused by `incremental.LayerValidator` to re-check only what an edit touched.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ..common.arrays import lookup
from ..standard import Check, Standard, load, pick
from . import checks as ck
from .findings import ERROR, Finding, Report, fmt_beyond, fmt_coord, fmt_number, fmt_value, render, sort_key
from .geometry import (
    TYPE_NAMES,
    GeomInfo,
    geom_info,
    invalid_reason,
    overlap_pairs,
    reason_text,
    repeated_vertices,
)
from .table import FaseringTable, PlanTable, text_arrays

__all__ = ["Validator", "validate"]


class Validator:
    """Runs the Basisset rules. Stateless apart from its settings; safe to reuse."""

    def __init__(self, standard: Optional[Standard] = None, lang: str = "nl",
                 peildatum: Optional[_dt.date] = None):
        self.standard = standard or load()
        self.lang = lang if lang in ("nl", "en") else "en"
        self.peildatum = peildatum or _dt.date.today()
        s = self.standard
        self.record_checks: List[Check] = [
            c for c in s.checks
            if s.rule_by_code[c.rule].scope in ("field", "record", "fasering")
            and c.params.get("table", s.layer_name) == s.layer_name]
        self.fasering_field_checks: List[Check] = [
            c for c in s.checks if c.params.get("table") == s.fasering_name]
        self._rule = s.rule_by_code

    # ---------------------------------------------------------------------------- entry point
    def validate(self, plans: PlanTable, fasering: Optional[FaseringTable] = None,
                 gemeente: Optional[str] = None) -> Report:
        """Validate a whole layer. `fasering` None: the fasering rules (R17–R19, C04) are skipped.
        `gemeente`: the delivery's gemeente, which enables C05."""
        # the geometry work (GEOS, which releases the GIL) runs in a second thread while this
        # thread does the attribute rules (numpy and Python)
        with ThreadPoolExecutor(1) as pool:
            geometry = pool.submit(self._geometry_part, plans)
            ctx = self.context(plans, fasering)
            findings: List[Finding] = self.record_findings(plans, ctx)
            findings += self.duplicate_findings(plans)
            if fasering is not None:
                findings += self.fasering_findings(plans, fasering)
            if gemeente:
                findings += self.export_findings(plans, gemeente)
            findings += geometry.result()
        findings.sort(key=sort_key)
        return Report(findings, plans.n, self.peildatum, self.lang, list(plans.missing_optional))

    def _geometry_part(self, plans: PlanTable) -> List[Finding]:
        info = geom_info(plans.geometry)
        return self.geometry_findings(plans, info) + self.overlap_findings(plans, info)

    # ---------------------------------------------------------------------------- context
    def context(self, plans: PlanTable, fasering: Optional[FaseringTable]) -> ck.Context:
        ctx = ck.Context(self.standard, self.peildatum)
        if fasering is not None:
            _, _, keys, code = fasering.groups()
            ok = code >= 0
            counts = np.bincount(code[ok], minlength=len(keys)).astype(float)
            sums = np.bincount(code[ok], weights=np.nan_to_num(fasering.aantal[ok], nan=0.0), minlength=len(keys))
            k = lookup(keys, *plans.text("plan_id")[:2])
            ctx.fasering_count = np.where(k >= 0, counts[np.maximum(k, 0)] if len(keys) else 0.0, 0.0)
            ctx.fasering_sum = np.where(k >= 0, sums[np.maximum(k, 0)] if len(keys) else 0.0, 0.0)
        return ctx

    # ---------------------------------------------------------------------------- helpers
    def _label(self, name: str, table: Optional[str] = None) -> str:
        s = self.standard
        fields = s.fasering_fields if table == s.fasering_name else s.fields
        for f in fields:
            if f.name == name:
                return pick(f.label, self.lang)
        return name

    def _finding(self, check_or_rule, t: Optional[PlanTable], row: Optional[int], message: str,
                 field: Optional[str] = None, severity: Optional[str] = None,
                 x=None, y=None, plan_id=None, refs: Tuple[int, ...] = ()) -> Finding:
        if isinstance(check_or_rule, Check):
            code, sev, chk = check_or_rule.rule, check_or_rule.severity, check_or_rule.id
            field = field if field is not None else check_or_rule.field
        else:
            code, sev, chk = check_or_rule, self._rule[check_or_rule].severity, check_or_rule
        fid = plannaam = None
        if t is not None and row is not None:
            plan_id = plan_id if plan_id is not None else t.columns["plan_id"][row]
            fid = int(t.fids[row])
            plannaam = t.columns["plannaam"][row]
        return Finding(code, severity or sev, plan_id, field, message,
                       None if x is None or x != x else float(x),
                       None if y is None or y != y else float(y), fid, plannaam, chk, tuple(refs))

    def _msg(self, check: Check, variant: Optional[str] = None) -> str:
        m = check.message
        if variant:
            m = m[variant]
        return pick(m, self.lang)

    # ---------------------------------------------------------------------------- record rules
    def record_findings(self, t: PlanTable, ctx: ck.Context,
                        checks: Optional[Iterable[Check]] = None) -> List[Finding]:
        out: List[Finding] = []
        for check in (checks if checks is not None else self.record_checks):
            ok = ck.passes(check, t, ctx)
            if ok is None:
                continue
            for row in np.nonzero(~ok)[0]:
                out.append(self._finding(check, t, int(row), self._record_message(check, t, int(row), ctx)))
        return out

    def _record_message(self, check: Check, t: PlanTable, row: int, ctx: ck.Context) -> str:
        lang = self.lang
        s = self.standard
        p = check.params
        k = check.kind
        name = check.field
        label = self._label(name) if name else ""
        if k in ("required", "codelist", "count", "max_length", "type", "pattern", "in_gemeenten",
                 "price_year", "date_not_after_peildatum"):
            raw = t.bad.get(name, {}).get(row, t.value(name, row))
            value = fmt_value(raw, lang)
            return render(self._msg(check, p["type"] if k == "type" else None), label=label, value=value,
                          codes=", ".join(s.codes(p["codelist"])) if p.get("codelist") else "",
                          length=len(raw) if isinstance(raw, str) else "", width=p.get("width", ""),
                          year=s.gemeenten_year, years=", ".join(str(y) for y in sorted(s.price_bounds)),
                          peildatum=ctx.peildatum.isoformat())
        if k in ("sum_equals", "fasering_sum"):
            if k == "sum_equals":
                total = t.value(p["total"], row)
                got = sum(_num(t, n, row) for n in p["parts"])
            else:
                total = (t.value("bruto_plancapaciteit", row) or 0) - (t.value("aantal_gerealiseerd", row) or 0)
                got = ctx.fasering_sum[row]
            diff = abs(got - total)
            return render(self._msg(check, "under" if got < total else "over"),
                          sum=fmt_number(got, lang), total=fmt_number(total, lang),
                          diff=fmt_number(diff, lang))
        if k == "le":
            left = sum(_num(t, n, row) for n in p["left"])
            right = t.value(p["right"], row)
            return render(self._msg(check), left=fmt_number(left, lang), right=fmt_number(right, lang),
                          excess=fmt_number(left - right, lang))
        if k in ("condition", "fasering_missing"):
            values = {n: fmt_value(t.value(n, row), lang) for n in t.columns}
            rest = (t.value("bruto_plancapaciteit", row) or 0) - (t.value("aantal_gerealiseerd", row) or 0)
            return render(self._msg(check), rest=fmt_number(rest, lang), **values)
        raise ValueError(k)

    # ---------------------------------------------------------------------------- geometry rules
    def geometry_findings(self, t: PlanTable, info: GeomInfo,
                          rows: Optional[np.ndarray] = None) -> List[Finding]:
        """G01–G07 for the given rows (all when None)."""
        lang = self.lang
        R = self._rule
        g = t.geometry
        rows = np.arange(t.n) if rows is None else np.asarray(rows, dtype=np.int64)
        out: List[Finding] = []
        sel = np.zeros(t.n, dtype=bool)
        sel[rows] = True
        for r in np.nonzero(sel & info.missing)[0]:
            out.append(self._finding("G01", t, int(r), R["G01"].message(lang)))
        for r in np.nonzero(sel & ~info.missing & ~info.polygonal)[0]:
            tname = TYPE_NAMES[lang].get(int(info.type_id[r]), "?")
            out.append(self._finding("G02", t, int(r), render(R["G02"].message(lang), geomtype=tname)))
        poly = sel & info.polygonal
        for r in np.nonzero(poly & ~info.valid)[0]:
            reason, x, y = invalid_reason(g[r])
            if x is None:
                x, y = info.bounds[r, 0], info.bounds[r, 1]
            out.append(self._finding("G03", t, int(r), render(
                R["G03"].message(lang), reason=reason_text(reason, lang),
                x=fmt_coord(x, lang), y=fmt_coord(y, lang)), x=x, y=y))
        p4 = R["G04"].params
        for r in np.nonzero(poly & (info.area < p4["min_area_m2"]))[0]:
            cx, cy = _center(info.bounds[r])
            out.append(self._finding("G04", t, int(r), render(
                R["G04"].message(lang), area=fmt_beyond(info.area[r], p4["min_area_m2"], lang, 1),
                min_area=fmt_number(p4["min_area_m2"], lang)), x=cx, y=cy))
        for r, (count, x, y) in sorted(repeated_vertices(g, np.nonzero(poly)[0]).items()):
            out.append(self._finding("G05", t, r, render(
                R["G05"].message(lang), count=count, x=fmt_coord(x, lang),
                y=fmt_coord(y, lang)), x=x, y=y))
        p6 = R["G06"].params
        b = info.bounds
        with np.errstate(invalid="ignore"):
            outside = sel & ~info.missing & ((b[:, 0] < p6["xmin"]) | (b[:, 1] < p6["ymin"]) |
                                             (b[:, 2] > p6["xmax"]) | (b[:, 3] > p6["ymax"]))
        for r in np.nonzero(outside)[0]:
            cx, cy = _center(b[r])
            out.append(self._finding("G06", t, int(r), render(
                R["G06"].message(lang), x=fmt_coord(cx, lang, 0), y=fmt_coord(cy, lang, 0)),
                x=cx, y=cy))
        p7 = R["G07"].params
        bruto = t.columns["bruto_plancapaciteit"]
        bruto = np.where(np.isfinite(bruto), bruto, 0.0)          # NULL or infinite (R01/R03)
        with np.errstate(invalid="ignore", divide="ignore"):
            density = np.where(info.area > 0, bruto / (info.area / 10000.0), 0.0)
        dense = poly & ~outside & (info.area >= p4["min_area_m2"]) & (density > p7["max_dwellings_per_ha"])
        for r in np.nonzero(dense)[0]:
            cx, cy = _center(b[r])
            out.append(self._finding("G07", t, int(r), render(
                R["G07"].message(lang, "density"), count=fmt_number(bruto[r], lang),
                area_ha=fmt_number(info.area[r] / 10000.0, lang, 2),
                density=fmt_beyond(density[r], p7["max_dwellings_per_ha"], lang, 0),
                max_density=fmt_number(p7["max_dwellings_per_ha"], lang)), x=cx, y=cy))
        huge = poly & ~outside & (info.area > p7["max_area_km2"] * 1e6)
        for r in np.nonzero(huge)[0]:
            cx, cy = _center(b[r])
            out.append(self._finding("G07", t, int(r), render(
                R["G07"].message(lang, "area"),
                area_km2=fmt_beyond(info.area[r] / 1e6, p7["max_area_km2"], lang, 1),
                max_area=fmt_number(p7["max_area_km2"], lang)), x=cx, y=cy))
        return out

    # ---------------------------------------------------------------------------- layer rules
    def duplicate_findings(self, t: PlanTable, rows: Optional[Iterable[int]] = None) -> List[Finding]:
        """C01 (plan_id) and C02 (plannaam within a gemeente), for `rows` (all when None)."""
        out: List[Finding] = []
        ids = t.columns["plan_id"]
        names = t.columns["plannaam"]
        gem = t.columns["gemeentecode"]
        by_id = group_rows(ids)
        by_name = group_rows([(g, n) if n is not None and n.strip() else None for g, n in zip(gem, names)])
        wanted = None if rows is None else set(int(r) for r in rows)
        for key, members in by_id.items():
            if len(members) < 2:
                continue
            for r in members:
                if wanted is not None and r not in wanted:
                    continue
                others = ", ".join(str(names[o]) for o in members if o != r)
                out.append(self._finding("C01", t, r, render(
                    self._rule["C01"].message(self.lang), value=key, count=len(members), others=others),
                    field="plan_id", refs=tuple(int(t.fids[o]) for o in members if o != r)))
        for key, members in by_name.items():
            if len(members) < 2:
                continue
            for r in members:
                if wanted is not None and r not in wanted:
                    continue
                out.append(self._finding("C02", t, r, render(
                    self._rule["C02"].message(self.lang), value=key[1], count=len(members),
                    gemeentecode=key[0]), field="plannaam",
                    refs=tuple(int(t.fids[o]) for o in members if o != r)))
        return out

    def overlap_params(self) -> Tuple[float, float]:
        p = self._rule["C03"].params
        return p["min_overlap_m2"], p["min_overlap_fraction"]

    def overlap_findings(self, t: PlanTable, info: GeomInfo) -> List[Finding]:
        rows = np.nonzero(info.polygonal & info.valid)[0]
        a, b, ov, ident, x, y = overlap_pairs(t.geometry, rows, info.area, *self.overlap_params())
        return self.pair_findings(t, info, a, b, ov, ident, x, y)

    def pair_findings(self, t, info, a, b, ov, ident, x, y, only: Optional[set] = None,
                      first_only: bool = False) -> List[Finding]:
        """C03 findings for overlapping pairs (a[i], b[i]): for both plans of each pair, or only
        for a[i] when first_only."""
        out: List[Finding] = []
        names = t.columns["plannaam"]
        R = self._rule["C03"]
        for i in range(len(a)):
            sides = ((int(a[i]), int(b[i])),) if first_only else ((int(a[i]), int(b[i])), (int(b[i]), int(a[i])))
            for me, other in sides:
                if only is not None and me not in only:
                    continue
                other_name = names[other] if names[other] is not None else t.columns["plan_id"][other]
                if ident[i]:
                    msg = render(R.message(self.lang, "identical"), other=other_name)
                    severity = R.raw.get("variant_severity", {}).get("identical", ERROR)
                    out.append(self._finding("C03", t, me, msg, severity=severity, x=x[i], y=y[i],
                                             refs=(int(t.fids[other]),)))
                else:
                    smaller = min(info.area[me], info.area[other])
                    pct = 100.0 * ov[i] / smaller if smaller > 0 else 100.0
                    msg = render(R.message(self.lang, "overlap"), other=other_name,
                                 area=fmt_number(ov[i], self.lang, 0), pct=fmt_number(pct, self.lang, 1))
                    out.append(self._finding("C03", t, me, msg, x=x[i], y=y[i], refs=(int(t.fids[other]),)))
        return out

    # ---------------------------------------------------------------------------- fasering
    def fasering_findings(self, t: PlanTable, fas: FaseringTable,
                          plan_ids: Optional[set] = None) -> List[Finding]:
        """Field checks on fasering rows, R19 (years), C04 (orphans). Limited to `plan_ids`."""
        s = self.standard
        lang = self.lang
        out: List[Finding] = []
        pid_u, pid_null, keys, code = fas.groups()
        if plan_ids is None:
            sel = np.ones(fas.n, dtype=bool)
        else:
            sel = np.isin(pid_u, np.asarray(sorted(p for p in plan_ids if p), dtype=str)) & ~pid_null
        plan_u, plan_null, _ = t.text("plan_id")
        # the (first) plan row of every distinct fasering plan_id, -1 when no plan has it
        plan_rows = np.nonzero(~plan_null)[0]
        plan_keys, plan_first = np.unique(plan_u[plan_rows], return_index=True)
        k = lookup(plan_keys, keys, np.zeros(len(keys), dtype=bool))
        first_row = np.where(k >= 0, plan_rows[plan_first[np.maximum(k, 0)]] if len(plan_keys) else -1, -1)

        def plan_finding(code_or_check, i, message, field):
            pid = fas.plan_id[i]
            r = int(first_row[code[i]]) if code[i] >= 0 and first_row[code[i]] >= 0 else None
            return self._finding(code_or_check, t if r is not None else None, r, message, field=field,
                                 plan_id=pid)

        # field checks (R01, R03, R22 on the fasering table)
        for check in self.fasering_field_checks:
            col = fas.column(check.field)
            bad = fas.bad.get(check.field, {})
            if check.kind == "required":
                ok = ~pid_null if check.field == "plan_id" else (
                    ~text_arrays(col)[2] if col.dtype == object else ~np.isnan(col))
                if bad:                        # an unreadable value is reported by R03 / R25, as for plans
                    ok[list(bad)] = True
            elif check.kind == "count":
                with np.errstate(invalid="ignore"):
                    ok = np.isnan(col) | (np.isfinite(col) & (col >= 0) & (col == np.floor(col)))
                if bad:
                    ok[list(bad)] = False
            elif check.kind == "max_length":
                ok = np.char.str_len(text_arrays(col)[0]) <= check.params["width"]
            elif check.kind == "type":
                ok = np.ones(fas.n, dtype=bool)
                if bad:
                    ok[list(bad)] = False
            else:
                continue
            for i in np.nonzero(~ok & sel)[0]:
                raw = bad.get(int(i), col[i])
                msg = render(self._msg(check, check.params["type"] if check.kind == "type" else None),
                             label=self._label(check.field, s.fasering_name),
                             value=fmt_value(raw, lang), width=check.params.get("width", ""),
                             length=len(raw) if isinstance(raw, str) else "")
                out.append(plan_finding(check, int(i), msg, f"{s.fasering_name}.{check.field}"))

        # R19: year range and duplicates
        r19 = {c.kind: c for c in s.checks_for_rule("R19")}
        ahead = self._rule["R19"].params["years_ahead"]
        lo, hi = self.peildatum.year, self.peildatum.year + ahead
        jaar = fas.jaar
        with np.errstate(invalid="ignore"):
            out_of_range = ~np.isnan(jaar) & ((jaar < lo) | (jaar > hi))
        for i in np.nonzero(out_of_range & sel)[0]:
            msg = render(self._msg(r19["fasering_year_range"]), jaar=fmt_value(jaar[i], lang),
                         min_year=lo, max_year=hi)
            out.append(plan_finding(r19["fasering_year_range"], int(i), msg, f"{s.fasering_name}.jaar"))
        cand = sel & ~np.isnan(jaar) & ~pid_null
        idx = np.nonzero(cand)[0]
        if len(idx):
            pairs = code[idx].astype(float) + 1j * jaar[idx]         # (plan, year) as one exact number
            _, first, counts = np.unique(pairs, return_index=True, return_counts=True)
            for k in np.nonzero(counts > 1)[0]:
                i = int(idx[first[k]])
                msg = render(self._msg(r19["fasering_year_unique"]), jaar=fmt_value(jaar[i], lang),
                             count=int(counts[k]))
                out.append(plan_finding(r19["fasering_year_unique"], i, msg, f"{s.fasering_name}.jaar"))

        # C04: rows whose plan does not exist
        orphan = sel & (code >= 0) & (first_row[np.maximum(code, 0)] < 0) if len(keys) else \
            np.zeros(fas.n, dtype=bool)
        if orphan.any():
            ids, counts = np.unique(pid_u[orphan], return_counts=True)
            for pid, count in zip(ids.tolist(), counts.tolist()):
                out.append(self.orphan_finding(pid, count))
        return out

    def orphan_finding(self, plan_id: str, count: int) -> Finding:
        """C04: `count` fasering rows point at `plan_id`, which no plan has."""
        return Finding("C04", self._rule["C04"].severity, plan_id, f"{self.standard.fasering_name}.plan_id",
                       render(self._rule["C04"].message(self.lang), value=plan_id, count=count), check="C04")

    # ---------------------------------------------------------------------------- export rule
    def export_findings(self, t: PlanTable, gemeente: str) -> List[Finding]:
        out = []
        for r, code in enumerate(t.columns["gemeentecode"]):
            if code != gemeente:
                out.append(self._finding("C05", t, r, render(
                    self._rule["C05"].message(self.lang), value=fmt_value(code, self.lang),
                    gemeentecode=gemeente), field="gemeentecode"))
        return out


# -------------------------------------------------------------------------------------------------


def _num(t: PlanTable, name: str, row: int) -> float:
    """A count as a float, 0 for NULL: sums of counts stay floats (t.value gives Python ints,
    which cannot be added past the float range and then mixed with a float)."""
    v = float(t.columns[name][row])
    return 0.0 if v != v else v


def _center(b) -> Tuple[float, float]:
    return (float((b[0] + b[2]) / 2), float((b[1] + b[3]) / 2))


def group_rows(keys: Sequence) -> Dict[object, List[int]]:
    """{key: [rows]} for the non-NULL keys."""
    groups: Dict[object, List[int]] = defaultdict(list)
    for r, k in enumerate(keys):
        if k is not None and k != "":
            groups[k].append(r)
    return groups


def validate(plans: PlanTable, fasering: Optional[FaseringTable] = None, *, lang: str = "nl",
             peildatum: Optional[_dt.date] = None, gemeente: Optional[str] = None,
             standard: Optional[Standard] = None) -> Report:
    return Validator(standard, lang, peildatum).validate(plans, fasering, gemeente)
