"""Every record check kind, twice: as a vectorised numpy test and as a QGIS expression.

The two live side by side on purpose: the form's constraints are the QGIS expressions, the
validator runs the numpy tests, and `tests/test_form_rule_equivalence.py` proves on random
records that both give the same verdict. Both return True where a record *passes*.

NULL semantics are explicit: a check never fails because of a NULL it is not about (R01 reports
missing values), and every QGIS expression is NULL-safe (it never evaluates to NULL).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

import numpy as np

from ..standard import Check, Standard
from .table import PlanTable

# --------------------------------------------------------------------------------------------
# helpers


def q(name: str) -> str:
    """A QGIS field reference."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: Any) -> str:
    """A QGIS literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(int(value)) if float(value).is_integer() else repr(float(value))
    return "'" + str(value).replace("'", "''") + "'"


def lit_list(values: Iterable[Any]) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def _notnull_num(a: np.ndarray) -> np.ndarray:
    return ~np.isnan(a)


def _notnull_obj(a: np.ndarray) -> np.ndarray:
    return np.fromiter((v is not None for v in a), dtype=bool, count=len(a))


def _blank(t: PlanTable, name: str) -> np.ndarray:
    return t.text(name)[2]


def _isin_text(t: PlanTable, name: str, values: Iterable[Any]) -> np.ndarray:
    u, null, _ = t.text(name)
    return np.isin(u, np.asarray(list(values), dtype=str)) & ~null


def _isin(a: np.ndarray, values: Iterable[Any]) -> np.ndarray:
    s = set(values)
    return np.fromiter((v in s for v in a), dtype=bool, count=len(a))


def _filled(t: PlanTable, name: str, ftype: str) -> np.ndarray:
    col = t.columns[name]
    if ftype == "text":
        return ~_blank(t, name)
    return _notnull_obj(col) if col.dtype == object else _notnull_num(col)


def _coalesce0(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), 0.0, a)


@dataclass
class Context:
    """What checks need besides the record: the standard, the peildatum, fasering aggregates."""
    standard: Standard
    peildatum: _dt.date
    # per plan row: number of fasering rows and the sum of their aantal; None = no fasering known
    fasering_count: Optional[np.ndarray] = None
    fasering_sum: Optional[np.ndarray] = None

    @property
    def peiljaar(self) -> int:
        return self.peildatum.year


@dataclass
class ExprContext:
    """How the QGIS expressions refer to what is not a field (the form uses now())."""
    standard: Standard
    peildatum: str = "to_date(now())"         # a QGIS date expression
    relation_id: Optional[str] = None         # None: fasering checks become `true`


# --------------------------------------------------------------------------------------------
# conditions


def cond_eval(cond: Dict[str, Any], t: PlanTable, s: Standard) -> np.ndarray:
    """A condition as a boolean array; NULL makes a comparison false."""
    if "all" in cond:
        out = np.ones(t.n, dtype=bool)
        for c in cond["all"]:
            out &= cond_eval(c, t, s)
        return out
    if "any" in cond:
        out = np.zeros(t.n, dtype=bool)
        for c in cond["any"]:
            out |= cond_eval(c, t, s)
        return out
    if "not" in cond:
        return ~cond_eval(cond["not"], t, s)
    name = cond["field"]
    col = t.columns[name]
    ftype = s.field(name).type
    if "eq" in cond:
        v = cond["eq"]
        if ftype in ("int", "bool"):
            return np.nan_to_num(col, nan=np.inf) == float(v)
        return _isin_text(t, name, [v])
    if "in" in cond or "in_group" in cond:
        values = cond.get("in") or s.group_codes(s.field(name).codelist, cond["in_group"])
        return _isin_text(t, name, values)
    if "is_true" in cond:
        return (col == 1.0) if cond["is_true"] else (col == 0.0)
    if "filled" in cond:
        filled = _filled(t, name, ftype)
        return filled if cond["filled"] else ~filled
    if "ge" in cond:
        return np.nan_to_num(col, nan=-np.inf) >= float(cond["ge"])
    if "le" in cond:
        return np.nan_to_num(col, nan=np.inf) <= float(cond["le"])
    if "eq_field" in cond:
        return _coalesce0(col) == _coalesce0(t.columns[cond["eq_field"]])
    if "gt_field" in cond:
        return _coalesce0(col) > _coalesce0(t.columns[cond["gt_field"]])
    raise ValueError(f"unknown condition {cond}")


def cond_expr(cond: Dict[str, Any], s: Standard) -> str:
    """The same condition as a NULL-safe QGIS expression."""
    if "all" in cond:
        return "(" + " AND ".join(cond_expr(c, s) for c in cond["all"]) + ")"
    if "any" in cond:
        return "(" + " OR ".join(cond_expr(c, s) for c in cond["any"]) + ")"
    if "not" in cond:
        return "(NOT " + cond_expr(cond["not"], s) + ")"
    name = cond["field"]
    f = q(name)
    ftype = s.field(name).type
    if "eq" in cond:
        return f"coalesce({f} = {lit(cond['eq'])}, false)"
    if "in" in cond or "in_group" in cond:
        values = cond.get("in") or s.group_codes(s.field(name).codelist, cond["in_group"])
        return f"coalesce({f} IN {lit_list(values)}, false)"
    if "is_true" in cond:
        return f"coalesce({f}, false)" if cond["is_true"] else f"coalesce(NOT {f}, false)"
    if "filled" in cond:
        filled = (f"({f} IS NOT NULL AND trim(to_string({f})) <> '')" if ftype == "text"
                  else f"({f} IS NOT NULL)")
        return filled if cond["filled"] else f"(NOT {filled})"
    if "ge" in cond:
        return f"coalesce({f} >= {lit(cond['ge'])}, false)"
    if "le" in cond:
        return f"coalesce({f} <= {lit(cond['le'])}, false)"
    if "eq_field" in cond:
        return f"(coalesce({f}, 0) = coalesce({q(cond['eq_field'])}, 0))"
    if "gt_field" in cond:
        return f"(coalesce({f}, 0) > coalesce({q(cond['gt_field'])}, 0))"
    raise ValueError(f"unknown condition {cond}")


# --------------------------------------------------------------------------------------------
# record checks: pass arrays


def _sum(t: PlanTable, names: List[str]) -> np.ndarray:
    total = np.zeros(t.n)
    for n in names:
        total += _coalesce0(t.columns[n])
    return total


def passes(check: Check, t: PlanTable, ctx: Context) -> Optional[np.ndarray]:
    """Boolean array, True where the plan passes; None when the check cannot run here
    (a fasering check without fasering, a check of another table)."""
    s = ctx.standard
    p = check.params
    k = check.kind
    if p.get("table", s.layer_name) != s.layer_name:
        return None
    name = check.field
    col = t.columns.get(name) if name else None
    bad = t.bad.get(name, {}) if name else {}
    if k == "required":
        ok = _filled(t, name, p["type"])
        if bad:                            # an unreadable value is reported with its value (R03 for
            ok[list(bad)] = True           # counts, R25 for the rest), not as empty
        return ok
    if k == "type":
        ok = np.ones(t.n, dtype=bool)
        if bad:
            ok[list(bad)] = False
        return ok
    if k == "codelist":
        return _blank(t, name) | _isin_text(t, name, s.codes(p["codelist"]))
    if k == "count":
        with np.errstate(invalid="ignore"):
            ok = np.isnan(col) | (np.isfinite(col) & (col >= 0) & (col == np.floor(col)))
        if bad:
            ok[list(bad)] = False
        return ok
    if k == "max_length":
        return np.char.str_len(t.text(name)[0]) <= p["width"]
    if k == "sum_equals":
        tot = t.columns[p["total"]]
        return np.isnan(tot) | (_sum(t, p["parts"]) == tot)
    if k == "le":
        right = t.columns[p["right"]]
        left_null = np.ones(t.n, dtype=bool)
        for n in p["left"]:
            left_null &= np.isnan(t.columns[n])
        return np.isnan(right) | left_null | (_sum(t, p["left"]) <= right)
    if k == "condition":
        when = cond_eval(p["when"], t, s)
        if "require" not in p:
            return ~when
        return ~when | cond_eval(p["require"], t, s)
    if k == "pattern":
        rx = re.compile(p["pattern"])
        u, _, blank = t.text(name)
        ok = blank.copy()
        for value in np.unique(u[~blank]):          # few distinct codes: test each once
            if rx.search(value):
                ok |= u == value
        return ok
    if k == "in_gemeenten":
        rx = re.compile(s.gemeente_pattern)
        u, _, blank = t.text(name)
        ok = blank.copy()
        for value in np.unique(u[~blank]):
            if rx.search(value) is None or value in s.gemeenten:
                ok |= u == value
        return ok
    if k == "price_year":
        return np.isnan(col) | _isin(col, [float(y) for y in s.price_bounds])
    if k == "date_not_after_peildatum":
        pd = ctx.peildatum
        return np.fromiter((v is None or v <= pd for v in col), dtype=bool, count=t.n)
    if k == "fasering_sum":
        if ctx.fasering_count is None:
            return None
        bruto = t.columns["bruto_plancapaciteit"]
        rest = _coalesce0(bruto) - _coalesce0(t.columns["aantal_gerealiseerd"])
        return (ctx.fasering_count == 0) | np.isnan(bruto) | (ctx.fasering_sum == rest)
    if k == "fasering_missing":
        if ctx.fasering_count is None:
            return None
        return ~cond_eval(p["when"], t, s) | (ctx.fasering_count > 0)
    if k in ("fasering_year_range", "fasering_year_unique"):
        return None                   # row checks of the fasering table: see engine
    raise ValueError(f"unknown check kind {k}")


# --------------------------------------------------------------------------------------------
# record checks: QGIS expressions


def expression(check: Check, ctx: ExprContext) -> Optional[str]:
    """The check as a NULL-safe QGIS expression that is true where the feature passes.
    None for checks that have no form equivalent (geometry, layer, other table)."""
    s = ctx.standard
    p = check.params
    k = check.kind
    name = check.field
    f = q(name) if name else None
    if p.get("table", s.layer_name) != s.layer_name:
        return _fasering_field_expression(check, ctx)
    if k == "required":
        if p["type"] == "text":
            return f"({f} IS NOT NULL AND trim(to_string({f})) <> '')"
        return f"({f} IS NOT NULL)"
    if k == "codelist":
        return f"({f} IS NULL OR trim({f}) = '' OR {f} IN {lit_list(s.codes(p['codelist']))})"
    if k == "count":
        return f"({f} IS NULL OR ({f} >= 0 AND {f} = floor({f})))"
    if k == "max_length":
        return f"({f} IS NULL OR length(to_string({f})) <= {p['width']})"
    if k == "type":                        # the form's widgets only take values of the field's type
        return None
    if k == "sum_equals":
        parts = " + ".join(f"coalesce({q(n)}, 0)" for n in p["parts"])
        return f"({q(p['total'])} IS NULL OR ({parts}) = {q(p['total'])})"
    if k == "le":
        left = " + ".join(f"coalesce({q(n)}, 0)" for n in p["left"])
        all_null = " AND ".join(f"{q(n)} IS NULL" for n in p["left"])
        return f"({q(p['right'])} IS NULL OR ({all_null}) OR ({left}) <= {q(p['right'])})"
    if k == "condition":
        when = cond_expr(p["when"], s)
        if "require" not in p:
            return f"(NOT {when})"
        return f"(NOT {when} OR {cond_expr(p['require'], s)})"
    if k == "pattern":
        return f"({f} IS NULL OR trim({f}) = '' OR regexp_match({f}, {lit(p['pattern'])}) > 0)"
    if k == "in_gemeenten":
        codes = lit_list(sorted(s.gemeenten))
        return (f"({f} IS NULL OR trim({f}) = '' OR regexp_match({f}, {lit(s.gemeente_pattern)}) = 0"
                f" OR {f} IN {codes})")
    if k == "price_year":
        return f"({f} IS NULL OR {f} IN {lit_list(sorted(s.price_bounds))})"
    if k == "date_not_after_peildatum":
        return f"({f} IS NULL OR to_date({f}) <= {ctx.peildatum})"
    if k in ("fasering_sum", "fasering_missing"):
        if not ctx.relation_id:
            return None
        rel = lit(ctx.relation_id)
        count = f"relation_aggregate({rel}, 'count', \"plan_id\")"
        if k == "fasering_sum":
            total = f"relation_aggregate({rel}, 'sum', coalesce(\"aantal\", 0))"
            inner = (f"{count} = 0 OR \"bruto_plancapaciteit\" IS NULL OR {total} = "
                     f"coalesce(\"bruto_plancapaciteit\", 0) - coalesce(\"aantal_gerealiseerd\", 0)")
        else:
            inner = f"NOT {cond_expr(p['when'], s)} OR {count} > 0"
        # try(): a project without the relation must not block saving (the validator checks it)
        return f"coalesce(try(({inner}), true), true)"
    if k in ("fasering_year_range", "fasering_year_unique"):
        return None
    raise ValueError(f"unknown check kind {k}")


def _fasering_field_expression(check: Check, ctx: ExprContext) -> Optional[str]:
    """Checks that live on the fasering table's own form."""
    f = q(check.field)
    p = check.params
    if check.kind == "required":
        if p["type"] == "text":
            return f"({f} IS NOT NULL AND trim(to_string({f})) <> '')"
        return f"({f} IS NOT NULL)"
    if check.kind == "count":
        return f"({f} IS NULL OR ({f} >= 0 AND {f} = floor({f})))"
    if check.kind == "max_length":
        return f"({f} IS NULL OR length(to_string({f})) <= {p['width']})"
    return None


def year_range_expression(standard: Standard, ctx: ExprContext) -> str:
    """R19's year range as an expression on the fasering table's `jaar`."""
    ahead = standard.rule_by_code["R19"].params["years_ahead"]
    y = f"year({ctx.peildatum})"
    return f"(\"jaar\" IS NULL OR (\"jaar\" >= {y} AND \"jaar\" <= {y} + {ahead}))"
