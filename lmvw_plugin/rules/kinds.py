"""Every kind of record check, in one place: one class per kind, registered by its name.

A kind declares what the validator, the form and the incremental validator need of it:

- `fields_read`   the fields of its table it reads (besides `check.field`);
- `passes`        its vectorised test: a boolean array, True where a row passes, or None when it
                  cannot run here (a fasering check without fasering);
- `expression`    the same test as a NULL-safe QGIS expression for the form, or None when the
                  form cannot express it;
- `message`       the variant of its message and the values for the message's placeholders;
- `running_total` what the form's label shows while a split is being filled in, if anything.

When a field rule applies to a field is data: the rule's `applies_to` in the standard's data file.
A check of the fasering table runs the same kind on the fasering rows (`FaseringTable` has the same
column interface as `PlanTable`). The geometry rules (G) are functions in `GEOMETRY_KINDS` of
`rules/engine.py`; the layer rules (C) are found there by their kind (`Validator.rule_of_kind`).

Adding a kind: a class here with `@register`, and a rule (or a check of a rule) with that kind in
the data file; see README, "Recipes".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ..standard import Check, Standard
from .checks import (
    Context,
    ExprContext,
    blank,
    coalesce0,
    cond_eval,
    cond_expr,
    condition_fields,
    filled,
    isin,
    isin_text,
    lit,
    lit_list,
    q,
)
from .findings import fmt_number, fmt_value

Values = Dict[str, Any]


@dataclass(frozen=True)
class RunningTotal:
    """The form's running total of a split: two expressions that are equal when it adds up, and
    the condition under which the form can know it (None: always)."""
    got: str
    total: str
    known: Optional[str] = None


class Kind:
    """The base of every kind: a check of one field of one row."""
    name = ""
    fasering_rows = False             # True: it checks rows of the fasering table, not plans

    def fields_read(self, check: Check, standard: Standard) -> List[str]:
        return []

    def passes(self, check: Check, table, ctx: Context) -> Optional[np.ndarray]:
        raise NotImplementedError

    def expression(self, check: Check, ctx: ExprContext) -> Optional[str]:
        return None

    def message(self, check: Check, table, row: int, ctx: Context) -> Tuple[Optional[str], Values]:
        raise NotImplementedError

    def running_total(self, check: Check, ctx: ExprContext) -> Optional[RunningTotal]:
        return None


KINDS: Dict[str, Kind] = {}


def register(cls):
    KINDS[cls.name] = cls()
    return cls


def kind_of(check: Check) -> Kind:
    try:
        return KINDS[check.kind]
    except KeyError:
        raise ValueError(f"unknown check kind {check.kind}") from None


def on_fasering_rows(check: Check, standard: Standard) -> bool:
    """Whether a check runs on the fasering table's rows (a field check of that table, or a kind
    of its rows) rather than on the plans."""
    return check.params.get("table") == standard.fasering_name or kind_of(check).fasering_rows


def passes(check: Check, table, ctx: Context) -> Optional[np.ndarray]:
    """Boolean array, True where the plan passes; None when the check cannot run here
    (a fasering check without fasering, a check of another table)."""
    if on_fasering_rows(check, ctx.standard):
        return None
    return kind_of(check).passes(check, table, ctx)


def expression(check: Check, ctx: ExprContext) -> Optional[str]:
    """The check as a NULL-safe QGIS expression that is true where the feature passes.
    None for checks that have no form equivalent (geometry, layer, a relation the form lacks)."""
    kind = kind_of(check)
    if kind.fasering_rows and not ctx.fasering_form:
        return None
    return kind.expression(check, ctx)


def plan_fields_read(check: Check, standard: Standard) -> List[str]:
    """Every plan field a check reads, `check.field` first; none for a check of the fasering table."""
    if check.params.get("table", standard.layer_name) != standard.layer_name:
        return []
    names = [check.field] if check.field in standard.field_by_name else []
    for n in kind_of(check).fields_read(check, standard):
        if n not in names:
            names.append(n)
    return names


# --------------------------------------------------------------------------------------------
# a value of one field


def _is_null_expr(f: str) -> str:
    return f"{f} IS NULL OR trim({f}) = ''"


class ValueKind(Kind):
    """A test of one field's value; its message names the field and shows the value."""

    def message(self, check, table, row, ctx):
        s = ctx.standard
        p = check.params
        name = check.field
        raw = table.bad.get(name, {}).get(row, table.value(name, row))
        return self.variant(check), {
            "value": fmt_value(raw, ctx.lang),
            "codes": ", ".join(s.codes(p["codelist"])) if p.get("codelist") else "",
            "length": len(raw) if isinstance(raw, str) else "", "width": p.get("width", ""),
            "year": s.gemeenten_year, "years": ", ".join(str(y) for y in sorted(s.price_bounds)),
            "peildatum": ctx.peildatum.isoformat()}

    def variant(self, check: Check) -> Optional[str]:
        return None


@register
class Required(ValueKind):
    name = "required"

    def passes(self, check, table, ctx):
        ok = filled(table, check.field, check.params["type"])
        bad = table.bad.get(check.field)
        if bad:                            # an unreadable value is reported with its value (R03 for
            ok[list(bad)] = True           # counts, R25 for the rest), not as empty
        return ok

    def expression(self, check, ctx):
        f = q(check.field)
        if check.params["type"] == "text":
            return f"({f} IS NOT NULL AND trim(to_string({f})) <> '')"
        return f"({f} IS NOT NULL)"


@register
class WrongType(ValueKind):
    """R25: a value stored as another type than its field's (the form's typed widgets cannot
    hold one, so it has no expression)."""
    name = "type"

    def passes(self, check, table, ctx):
        ok = np.ones(table.n, dtype=bool)
        bad = table.bad.get(check.field)
        if bad:
            ok[list(bad)] = False
        return ok

    def variant(self, check):
        return check.params["type"]


@register
class Codelist(ValueKind):
    name = "codelist"

    def passes(self, check, table, ctx):
        return blank(table, check.field) | isin_text(table, check.field, ctx.standard.codes(check.params["codelist"]))

    def expression(self, check, ctx):
        f = q(check.field)
        return f"({_is_null_expr(f)} OR {f} IN {lit_list(ctx.standard.codes(check.params['codelist']))})"


@register
class Count(ValueKind):
    name = "count"

    def passes(self, check, table, ctx):
        col = table.columns[check.field]
        with np.errstate(invalid="ignore"):
            ok = np.isnan(col) | (np.isfinite(col) & (col >= 0) & (col == np.floor(col)))
        bad = table.bad.get(check.field)
        if bad:
            ok[list(bad)] = False
        return ok

    def expression(self, check, ctx):
        f = q(check.field)
        return f"({f} IS NULL OR ({f} >= 0 AND {f} = floor({f})))"


@register
class MaxLength(ValueKind):
    name = "max_length"

    def passes(self, check, table, ctx):
        u = table.text(check.field)[0]
        if u.dtype.kind == "U" and u.dtype.itemsize // 4 <= check.params["width"]:
            return np.ones(len(u), dtype=bool)      # none is longer than the array's own width
        return np.char.str_len(u) <= check.params["width"]

    def expression(self, check, ctx):
        f = q(check.field)
        return f"({f} IS NULL OR length(to_string({f})) <= {check.params['width']})"


@register
class Pattern(ValueKind):
    name = "pattern"

    def passes(self, check, table, ctx):
        rx = re.compile(check.params["pattern"])
        values, _, empty = table.text(check.field)
        ok = empty.copy()
        for value in np.unique(values[~empty]):          # few distinct codes: test each once
            if rx.search(value):
                ok |= values == value
        return ok

    def expression(self, check, ctx):
        f = q(check.field)
        return f"({_is_null_expr(f)} OR regexp_match({f}, {lit(check.params['pattern'])}) > 0)"


@register
class InGemeenten(ValueKind):
    """A gemeentecode of the right form is one of the standard's gemeenten."""
    name = "in_gemeenten"

    def passes(self, check, table, ctx):
        s = ctx.standard
        rx = re.compile(s.gemeente_pattern)
        values, _, empty = table.text(check.field)
        ok = empty.copy()
        for value in np.unique(values[~empty]):
            if rx.search(value) is None or value in s.gemeenten:
                ok |= values == value
        return ok

    def expression(self, check, ctx):
        s = ctx.standard
        f = q(check.field)
        return (f"({_is_null_expr(f)} OR regexp_match({f}, {lit(s.gemeente_pattern)}) = 0"
                f" OR {f} IN {lit_list(sorted(s.gemeenten))})")


@register
class PriceYear(ValueKind):
    name = "price_year"

    def passes(self, check, table, ctx):
        col = table.columns[check.field]
        return np.isnan(col) | isin(col, [float(y) for y in ctx.standard.price_bounds])

    def expression(self, check, ctx):
        f = q(check.field)
        return f"({f} IS NULL OR {f} IN {lit_list(sorted(ctx.standard.price_bounds))})"


@register
class DateNotAfterPeildatum(ValueKind):
    name = "date_not_after_peildatum"

    def passes(self, check, table, ctx):
        peildatum = ctx.peildatum
        return np.fromiter((v is None or v <= peildatum for v in table.columns[check.field]),
                           dtype=bool, count=table.n)

    def expression(self, check, ctx):
        return f"({q(check.field)} IS NULL OR to_date({q(check.field)}) <= {ctx.peildatum})"


# --------------------------------------------------------------------------------------------
# several fields of one row


def _sum(table, names: List[str]) -> np.ndarray:
    total = np.zeros(table.n)
    for n in names:
        total += coalesce0(table.columns[n])
    return total


def _num(table, name: str, row: int) -> float:
    """A count as a float, 0 for NULL: sums of counts stay floats (table.value gives Python ints,
    which cannot be added past the float range and then mixed with a float)."""
    v = float(table.columns[name][row])
    return 0.0 if v != v else v


def _split_message(got: float, total: float, lang: str) -> Tuple[str, Values]:
    return ("under" if got < total else "over"), {
        "sum": fmt_number(got, lang), "total": fmt_number(total, lang),
        "diff": fmt_number(abs(got - total), lang)}


def _coalesced_sum(names: List[str]) -> str:
    return " + ".join(f"coalesce({q(n)}, 0)" for n in names)


@register
class SumEquals(Kind):
    """The parts add up to the total (when the total is filled)."""
    name = "sum_equals"

    def fields_read(self, check, standard):
        return check.params["parts"] + [check.params["total"]]

    def passes(self, check, table, ctx):
        total = table.columns[check.params["total"]]
        return np.isnan(total) | (_sum(table, check.params["parts"]) == total)

    def expression(self, check, ctx):
        total = q(check.params["total"])
        return f"({total} IS NULL OR ({_coalesced_sum(check.params['parts'])}) = {total})"

    def message(self, check, table, row, ctx):
        total = table.value(check.params["total"], row)
        got = sum(_num(table, n, row) for n in check.params["parts"])
        return _split_message(got, total, ctx.lang)

    def running_total(self, check, ctx):
        return RunningTotal(f"({_coalesced_sum(check.params['parts'])})",
                            f"coalesce({q(check.params['total'])}, 0)")


@register
class LessOrEqual(Kind):
    """The sum of `left` is at most `right` (when both are filled)."""
    name = "le"

    def fields_read(self, check, standard):
        return check.params["left"] + [check.params["right"]]

    def passes(self, check, table, ctx):
        p = check.params
        right = table.columns[p["right"]]
        left_null = np.ones(table.n, dtype=bool)
        for n in p["left"]:
            left_null &= np.isnan(table.columns[n])
        return np.isnan(right) | left_null | (_sum(table, p["left"]) <= right)

    def expression(self, check, ctx):
        p = check.params
        all_null = " AND ".join(f"{q(n)} IS NULL" for n in p["left"])
        return (f"({q(p['right'])} IS NULL OR ({all_null}) OR ({_coalesced_sum(p['left'])}) <= "
                f"{q(p['right'])})")

    def message(self, check, table, row, ctx):
        left = sum(_num(table, n, row) for n in check.params["left"])
        right = table.value(check.params["right"], row)
        lang = ctx.lang
        return None, {"left": fmt_number(left, lang), "right": fmt_number(right, lang),
                      "excess": fmt_number(left - right, lang)}


def _row_values(table, row: int, lang: str, check: Optional[Check] = None) -> Values:
    """The row's values for a message: of the fields its templates name (every field without a check)."""
    names = _placeholders(check) if check is not None else None
    return {n: fmt_value(table.value(n, row), lang) for n in table.columns if names is None or n in names}


def _placeholders(check: Check) -> set:
    """The placeholder names of a check's message (every language and variant)."""
    import string
    out: set = set()

    def walk(m):
        if isinstance(m, str):
            out.update(name for _t, name, _f, _c in string.Formatter().parse(m) if name)
        elif isinstance(m, dict):
            for v in m.values():
                walk(v)
    walk(check.message)
    return out


@register
class Condition(Kind):
    """When `when` holds, `require` must hold too (without `require`: `when` must not hold)."""
    name = "condition"

    def fields_read(self, check, standard):
        p = check.params
        return condition_fields(p["when"]) + (condition_fields(p["require"]) if "require" in p else [])

    def passes(self, check, table, ctx):
        p = check.params
        when = cond_eval(p["when"], table, ctx.standard)
        if "require" not in p:
            return ~when
        return ~when | cond_eval(p["require"], table, ctx.standard)

    def expression(self, check, ctx):
        p = check.params
        when = cond_expr(p["when"], ctx.standard)
        if "require" not in p:
            return f"(NOT {when})"
        return f"(NOT {when} OR {cond_expr(p['require'], ctx.standard)})"

    def message(self, check, table, row, ctx):
        return None, _row_values(table, row, ctx.lang, check)


# --------------------------------------------------------------------------------------------
# a plan and its fasering


def _relation_count(ctx: ExprContext) -> str:
    return f"relation_aggregate({lit(ctx.relation_id)}, 'count', {q(ctx.standard.fasering_key)})"


def _relation_sum(ctx: ExprContext) -> str:
    return f"relation_aggregate({lit(ctx.relation_id)}, 'sum', coalesce({q(ctx.standard.fasering_count)}, 0))"


def _rest(check: Check, table, row: int) -> float:
    p = check.params
    return (table.value(p["capacity"], row) or 0) - (table.value(p["realised"], row) or 0)


def _rest_expr(check: Check) -> str:
    p = check.params
    return f"coalesce({q(p['capacity'])}, 0) - coalesce({q(p['realised'])}, 0)"


def _relation_guard(inner: str) -> str:
    # try(): a project without the relation must not block saving (the validator checks it)
    return f"coalesce(try(({inner}), true), true)"


@register
class FaseringSum(Kind):
    """R17: the fasering of a plan adds up to its remaining capacity."""
    name = "fasering_sum"

    def fields_read(self, check, standard):
        return [check.params["capacity"], check.params["realised"]]

    def passes(self, check, table, ctx):
        if ctx.fasering_count is None:
            return None
        capacity = table.columns[check.params["capacity"]]
        rest = coalesce0(capacity) - coalesce0(table.columns[check.params["realised"]])
        return (ctx.fasering_count == 0) | np.isnan(capacity) | (ctx.fasering_sum == rest)

    def expression(self, check, ctx):
        if not ctx.relation_id:
            return None
        return _relation_guard(f"{_relation_count(ctx)} = 0 OR {q(check.params['capacity'])} IS NULL OR "
                               f"{_relation_sum(ctx)} = {_rest_expr(check)}")

    def message(self, check, table, row, ctx):
        return _split_message(ctx.fasering_sum[row], _rest(check, table, row), ctx.lang)

    def running_total(self, check, ctx):
        return RunningTotal(f"coalesce(try({_relation_sum(ctx)}, 0), 0)", f"({_rest_expr(check)})",
                            # only where the project has the relation (without it the form cannot
                            # know the fasering)
                            f"try({_relation_count(ctx)}, -1) >= 0")


@register
class FaseringMissing(Kind):
    """R18: a plan for which `when` holds has a fasering."""
    name = "fasering_missing"

    def fields_read(self, check, standard):
        return condition_fields(check.params["when"]) + [check.params["capacity"], check.params["realised"]]

    def passes(self, check, table, ctx):
        if ctx.fasering_count is None:
            return None
        return ~cond_eval(check.params["when"], table, ctx.standard) | (ctx.fasering_count > 0)

    def expression(self, check, ctx):
        if not ctx.relation_id:
            return None
        return _relation_guard(f"NOT {cond_expr(check.params['when'], ctx.standard)} OR {_relation_count(ctx)} > 0")

    def message(self, check, table, row, ctx):
        return None, {"rest": fmt_number(_rest(check, table, row), ctx.lang),
                      **_row_values(table, row, ctx.lang, check)}


# --------------------------------------------------------------------------------------------
# rows of the fasering table


def _year_range(check: Check, standard: Standard, peiljaar: int) -> Tuple[int, int]:
    return peiljaar, peiljaar + standard.rule_by_code[check.rule].params["years_ahead"]


@register
class FaseringYearRange(Kind):
    """R19: a fasering year lies between the peiljaar and `years_ahead` later."""
    name = "fasering_year_range"
    fasering_rows = True

    def passes(self, check, table, ctx):
        year = table.columns[check.field]
        low, high = _year_range(check, ctx.standard, ctx.peiljaar)
        with np.errstate(invalid="ignore"):
            return np.isnan(year) | ((year >= low) & (year <= high))

    def expression(self, check, ctx):
        ahead = ctx.standard.rule_by_code[check.rule].params["years_ahead"]
        f = q(check.field)
        y = f"year({ctx.peildatum})"
        return f"({f} IS NULL OR ({f} >= {y} AND {f} <= {y} + {ahead}))"

    def message(self, check, table, row, ctx):
        low, high = _year_range(check, ctx.standard, ctx.peiljaar)
        return None, {"jaar": fmt_value(table.value(check.field, row), ctx.lang), "min_year": low, "max_year": high}


@register
class FaseringYearUnique(Kind):
    """R19: one fasering row per plan and year; the first row of a repeated year is reported."""
    name = "fasering_year_unique"
    fasering_rows = True

    def _groups(self, check, table):
        _, key_null, _, code = table.groups()
        year = table.columns[check.field]
        rows = np.nonzero(~np.isnan(year) & ~key_null)[0]
        pairs = code[rows].astype(float) + 1j * year[rows]         # (plan, year) as one exact number
        return rows, pairs

    def passes(self, check, table, ctx):
        ok = np.ones(table.n, dtype=bool)
        rows, pairs = self._groups(check, table)
        if len(rows):
            _, first, counts = np.unique(pairs, return_index=True, return_counts=True)
            ok[rows[first[counts > 1]]] = False
        return ok

    def message(self, check, table, row, ctx):
        rows, pairs = self._groups(check, table)
        mine = pairs[np.searchsorted(rows, row)]
        return None, {"jaar": fmt_value(table.value(check.field, row), ctx.lang),
                      "count": int(np.count_nonzero(pairs == mine))}


# --------------------------------------------------------------------------------------------
# province checks (lmvw_plugin/standard/provinces/*.json)


def _split_multi(value: Optional[str], separator: str) -> List[str]:
    return [v.strip() for v in (value or "").split(separator) if v.strip()]


@register
class CodelistMulti(ValueKind):
    """A text holding one or more code-list values separated by `separator` (e.g. knelpunten);
    empty passes (whether it is required is another check)."""
    name = "codelist_multi"

    def passes(self, check, table, ctx):
        codes = set(ctx.standard.codes(check.params["codelist"]))
        sep = check.params.get("separator", ";")
        col = table.columns[check.field]
        return np.fromiter((all(v in codes for v in _split_multi(x, sep)) for x in col),
                           dtype=bool, count=len(col))

    def expression(self, check, ctx):
        f = q(check.field)
        sep = check.params.get("separator", ";")
        codes = lit_list(ctx.standard.codes(check.params["codelist"]))
        return (f"({_is_null_expr(f)} OR array_length(array_filter(string_to_array({f}, {lit(sep)}), "
                f"trim(@element) <> '' AND NOT array_contains(array{codes}, trim(@element)))) = 0)")

    def message(self, check, table, row, ctx):
        sep = check.params.get("separator", ";")
        codes = set(ctx.standard.codes(check.params["codelist"]))
        wrong = [v for v in _split_multi(table.value(check.field, row), sep) if v not in codes]
        return None, {"value": "; ".join(wrong),
                      "codes": "; ".join(ctx.standard.codes(check.params["codelist"]))}


@register
class InPairs(Kind):
    """The values of `fields` together are one of `pairs` ('v1|v2'); passes when one is empty
    (e.g. Gelderland: the woonplaats belongs to the gemeente, on the pair, never the name alone)."""
    name = "in_pairs"

    def fields_read(self, check, standard):
        return [f for f in check.params["fields"] if f != check.field]

    def passes(self, check, table, ctx):
        names = check.params["fields"]
        parts = [table.text(n) for n in names]
        empty = np.zeros(table.n, dtype=bool)
        for _u, _null, blank_ in parts:
            empty |= blank_
        joined = parts[0][0].astype(object)
        for u, _n, _b in parts[1:]:
            joined = joined + "|" + u.astype(object)
        return empty | np.isin(joined.astype(str), np.asarray(check.params["pairs"], dtype=str))

    def expression(self, check, ctx):
        names = check.params["fields"]
        empty = " OR ".join(f"({_is_null_expr(q(n))})" for n in names)
        joined = " || '|' || ".join(f"trim({q(n)})" for n in names)
        return f"({empty} OR ({joined}) IN {lit_list(check.params['pairs'])})"

    def message(self, check, table, row, ctx):
        return None, _row_values(table, row, ctx.lang, check)


# --------------------------------------------------------------------------------------------
# the years × categories split recorded on fasering rows (fasering_split of the data file)


@register
class SplitSum(Kind):
    """R26: a fasering row's recorded split (`parts`) adds up to its `total` (aantal); a row whose
    parts are all empty has no recorded split and passes."""
    name = "split_sum"
    fasering_rows = True

    def fields_read(self, check, standard):
        return [n for n in check.params["parts"] if n != check.field] + [check.params["total"]]

    def _parts(self, check, table):
        return [table.columns[n] for n in check.params["parts"] if n in table.columns]

    def passes(self, check, table, ctx):
        parts = self._parts(check, table)
        if not parts:
            return np.ones(table.n, dtype=bool)
        stack = np.vstack(parts)
        none = np.isnan(stack).all(axis=0)
        got = np.nan_to_num(stack, nan=0.0).sum(axis=0)
        total = coalesce0(table.columns[check.params["total"]])
        return none | (got == total)

    def expression(self, check, ctx):
        parts = check.params["parts"]
        none = " AND ".join(f"{q(n)} IS NULL" for n in parts)
        got = " + ".join(f"coalesce({q(n)}, 0)" for n in parts)
        return f"(({none}) OR ({got}) = coalesce({q(check.params['total'])}, 0))"

    def message(self, check, table, row, ctx):
        got = sum(_num(table, n, row) for n in check.params["parts"] if n in table.columns)
        total = table.value(check.params["total"], row) or 0
        return None, {"jaar": fmt_value(table.value(table.year_field, row), ctx.lang),
                      "got": fmt_number(got, ctx.lang), "total": fmt_number(total, ctx.lang),
                      "diff": fmt_number(abs(total - got), ctx.lang)}


@register
class SplitWithinPlan(Kind):
    """R27: per category, what the fasering rows record over the years is no more than the plan's
    count of that category (fasering column `p` against plan field `p`)."""
    name = "split_within_plan"

    def fields_read(self, check, standard):
        return [n for n in check.params["parts"] if n != check.field]

    def _excess(self, check, table, ctx):
        cols = ctx.fasering_columns or {}
        out = []
        for n in check.params["parts"]:
            if n in cols:
                out.append((n, cols[n] - coalesce0(table.columns[n])))
        return out

    def passes(self, check, table, ctx):
        ok = np.ones(table.n, dtype=bool)
        for _n, excess in self._excess(check, table, ctx):
            ok &= excess <= 0
        return ok

    def message(self, check, table, row, ctx):
        for n, excess in self._excess(check, table, ctx):
            if excess[row] > 0:
                total = _num(table, n, row)
                return None, {"label": ctx.standard.field(n).text(ctx.lang).lower(),
                              "got": fmt_number(total + excess[row], ctx.lang),
                              "total": fmt_number(total, ctx.lang), "excess": fmt_number(excess[row], ctx.lang)}
        return None, {}
