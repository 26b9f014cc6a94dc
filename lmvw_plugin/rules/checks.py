"""What the record checks are made of: QGIS literals, conditions (as numpy tests and as QGIS
expressions), the contexts, and `passes` / `expression` for one check.

Each kind of check is one entry of `rules/kinds.py`, with its vectorised numpy test and its QGIS
expression side by side on purpose: the form's constraints are the QGIS expressions, the
validator runs the numpy tests, and `tests/test_form_rule_equivalence.py` proves on random
records that both give the same verdict. Both return True where a record *passes*.

NULL semantics are explicit: a check never fails because of a NULL it is not about (R01 reports
missing values), and every QGIS expression is NULL-safe (it never evaluates to NULL).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

import numpy as np

from ..standard import Standard
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


def blank(t: PlanTable, name: str) -> np.ndarray:
    return t.text(name)[2]


def isin_text(t: PlanTable, name: str, values: Iterable[Any]) -> np.ndarray:
    u, null, _ = t.text(name)
    return np.isin(u, np.asarray(list(values), dtype=str)) & ~null


def isin(a: np.ndarray, values: Iterable[Any]) -> np.ndarray:
    s = set(values)
    return np.fromiter((v in s for v in a), dtype=bool, count=len(a))


def filled(t: PlanTable, name: str, ftype: str) -> np.ndarray:
    col = t.columns[name]
    if ftype == "text":
        return ~blank(t, name)
    return _notnull_obj(col) if col.dtype == object else _notnull_num(col)


def coalesce0(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), 0.0, a)


@dataclass
class Context:
    """What checks need besides the record: the standard, the peildatum, fasering aggregates."""
    standard: Standard
    peildatum: _dt.date
    lang: str = "nl"                        # of the messages
    # per plan row: number of fasering rows and the sum of their aantal; None = no fasering known
    fasering_count: Optional[np.ndarray] = None
    fasering_sum: Optional[np.ndarray] = None
    # per plan row: the sum of each recorded split column of its fasering rows (province layers)
    fasering_columns: Optional[Dict[str, np.ndarray]] = None

    @property
    def peiljaar(self) -> int:
        return self.peildatum.year


@dataclass
class ExprContext:
    """How the QGIS expressions refer to what is not a field (the form uses now())."""
    standard: Standard
    peildatum: str = "to_date(now())"         # a QGIS date expression
    relation_id: Optional[str] = None         # None: fasering checks become `true`
    fasering_form: bool = False               # the expressions are for the fasering table's form


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
        return isin_text(t, name, [v])
    if "in" in cond or "in_group" in cond:
        values = cond.get("in") or s.group_codes(s.field(name).codelist, cond["in_group"])
        return isin_text(t, name, values)
    if "is_true" in cond:
        return (col == 1.0) if cond["is_true"] else (col == 0.0)
    if "filled" in cond:
        has_value = filled(t, name, ftype)
        return has_value if cond["filled"] else ~has_value
    if "ge" in cond:
        return np.nan_to_num(col, nan=-np.inf) >= float(cond["ge"])
    if "le" in cond:
        return np.nan_to_num(col, nan=np.inf) <= float(cond["le"])
    if "eq_field" in cond:
        return coalesce0(col) == coalesce0(t.columns[cond["eq_field"]])
    if "gt_field" in cond:
        return coalesce0(col) > coalesce0(t.columns[cond["gt_field"]])
    raise ValueError(f"unknown condition {cond}")


def condition_fields(cond: Dict[str, Any]) -> List[str]:
    """Every field a condition refers to."""
    out: List[str] = []
    if "field" in cond:
        out.append(cond["field"])
    for key in ("eq_field", "gt_field"):
        if key in cond:
            out.append(cond[key])
    for key in ("all", "any"):
        for sub in cond.get(key, []):
            out.extend(condition_fields(sub))
    if "not" in cond:
        out.extend(condition_fields(cond["not"]))
    return out


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
# record checks: each kind is one entry of rules/kinds.py, which also has passes() and expression()
