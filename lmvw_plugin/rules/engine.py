"""The validation engine: plans (+ fasering) in, findings out.

Every rule of the standard's §5 with its stable code. Record rules run vectorised over the
whole table (each kind of check is one entry of `rules/kinds.py`), geometry rules (by kind, see
GEOMETRY_KINDS) with shapely 2, the overlap rule with an STRtree.
The same pieces are reused by `incremental.LayerValidator` to re-check only what an edit touched.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ..common import timing
from ..common.arrays import lookup
from ..common.threads import background
from ..standard import Check, Rule, Standard, load, pick
from . import checks as ck
from .findings import ERROR, Finding, Report, fmt_beyond, fmt_coord, fmt_number, fmt_value, render, sort_key
from .geometry import (
    GeomInfo,
    geom_info,
    invalid_reason,
    overlap_pairs,
    reason_text,
    repeated_vertices,
    type_name,
)
from .kinds import kind_of, on_fasering_rows
from .previous import PREVIOUS_KINDS, Previous, PreviousFacts, previous_rules
from .table import FaseringTable, PlanTable

__all__ = ["Validator", "validate"]


class Validator:
    """Runs the Basisset rules. Stateless apart from its settings; safe to reuse."""

    def __init__(self, standard: Optional[Standard] = None, lang: str = "nl",
                 peildatum: Optional[_dt.date] = None):
        self.standard = standard or load()
        self.lang = lang if lang in ("nl", "en") else "en"
        self.peildatum = peildatum or _dt.date.today()
        standard = self.standard
        # the checks of plan rows, and those of fasering rows (field checks of the fasering table
        # and the fasering_row rules)
        self.record_checks: List[Check] = [
            c for c in standard.checks
            if standard.rule_by_code[c.rule].scope in ("field", "record", "fasering")
            and not on_fasering_rows(c, standard)]
        self.fasering_row_checks: List[Check] = [
            c for c in standard.checks if on_fasering_rows(c, standard)]
        for c in self.record_checks + self.fasering_row_checks:
            kind_of(c)                      # an unknown kind fails here, not halfway a validation
        self.rules = standard.rule_by_code
        self._rule_of_kind: Dict[str, Rule] = {
            r.raw["kind"]: r for r in standard.rules if r.scope in ("geometry", "layer", "export")}

    # ---------------------------------------------------------------------------- entry point
    def validate(self, plans: PlanTable, fasering: Optional[FaseringTable] = None,
                 gemeente: Optional[str] = None, previous: Optional[Previous] = None) -> Report:
        """Validate a whole layer. `fasering` None: the fasering rules (R17–R19, C04) are skipped.
        `gemeente`: the delivery's gemeente, which enables C05. `previous`: the previous delivery,
        which enables the rules across uitvragen (V01…)."""
        # the geometry work (GEOS, which releases the GIL) runs in a second thread while this
        # thread does the attribute rules (numpy and Python)
        geometry = background(self._geometry_part, plans)
        with timing.stage("attribute rules"):
            ctx = self.context(plans, fasering)
            findings: List[Finding] = self.record_findings(plans, ctx)
            findings += self.duplicate_findings(plans)
        if fasering is not None:
            with timing.stage("fasering rules"):
                findings += self.fasering_findings(plans, fasering)
        if gemeente:
            with timing.stage("attribute rules"):
                findings += self.export_findings(plans, gemeente)
        if previous is not None:
            with timing.stage("attribute rules"):
                findings += self.previous_findings(plans, previous)
        findings += geometry.result()
        with timing.stage("report"):
            findings.sort(key=sort_key)
            return Report(findings, plans.n, self.peildatum, self.lang, list(plans.missing_optional))

    def _geometry_part(self, plans: PlanTable) -> List[Finding]:
        info = plans.geometry_facts()              # computed beside the reading, if it was
        if info is None:
            with timing.stage("validity"):
                info = geom_info(plans.geometry)
        # the overlaps (mostly GEOS, in threads) beside the geometry rules (mostly Python); they
        # share only the areas of valid polygons, which the geometry rules leave alone
        overlaps = background(timing.staged("overlaps", self.overlap_findings), plans, info)
        with timing.stage("geometry rules"):
            out = self.geometry_findings(plans, info)
        return out + overlaps.result()

    # ---------------------------------------------------------------------------- context
    def context(self, plans: PlanTable, fasering: Optional[FaseringTable]) -> ck.Context:
        ctx = ck.Context(self.standard, self.peildatum, self.lang)
        if fasering is not None:
            _, _, keys, code = fasering.groups()
            linked = code >= 0
            counts = np.bincount(code[linked], minlength=len(keys)).astype(float)
            sums = np.bincount(code[linked], weights=np.nan_to_num(fasering.counts[linked], nan=0.0),
                               minlength=len(keys))
            index = lookup(keys, *plans.text(self.standard.key)[:2])
            found = index >= 0
            ctx.fasering_count = np.where(found, counts[np.maximum(index, 0)] if len(keys) else 0.0, 0.0)
            ctx.fasering_sum = np.where(found, sums[np.maximum(index, 0)] if len(keys) else 0.0, 0.0)
            split = [f["name"] for f in (self.standard.data.get("fasering_split") or {}).get("fields", [])
                     if f["name"] in fasering.columns]
            if split:
                ctx.fasering_columns = {}
                for name in split:
                    col = np.bincount(code[linked], weights=np.nan_to_num(fasering.columns[name][linked], nan=0.0),
                                      minlength=len(keys))
                    ctx.fasering_columns[name] = np.where(found, col[np.maximum(index, 0)] if len(keys) else 0.0, 0.0)
        return ctx

    # ---------------------------------------------------------------------------- helpers
    def _label(self, name: str, table: Optional[str] = None) -> str:
        standard = self.standard
        fields = standard.fasering_fields if table == standard.fasering_name else standard.fields
        for f in fields:
            if f.name == name:
                return pick(f.label, self.lang)
        return name

    def _finding(self, check_or_rule, plans: Optional[PlanTable], row: Optional[int], message: str,
                 field: Optional[str] = None, severity: Optional[str] = None,
                 x=None, y=None, plan_id=None, refs: Tuple[int, ...] = ()) -> Finding:
        if isinstance(check_or_rule, Check):
            code, sev, chk = check_or_rule.rule, check_or_rule.severity, check_or_rule.id
            field = field if field is not None else check_or_rule.field
        else:
            code, sev, chk = check_or_rule, self.rules[check_or_rule].severity, check_or_rule
        fid = plannaam = None
        if plans is not None and row is not None:
            plan_id = plan_id if plan_id is not None else plans.columns[self.standard.key][row]
            fid = int(plans.fids[row])
            plannaam = plans.columns[self.standard.name_field][row]
        return Finding(code, severity or sev, plan_id, field, message,
                       None if x is None or x != x else float(x),
                       None if y is None or y != y else float(y), fid, plannaam, chk, tuple(refs))

    def _msg(self, check: Check, variant: Optional[str] = None) -> str:
        message = check.message
        if variant:
            message = message[variant]
        return pick(message, self.lang)

    def check_message(self, check: Check, table, row: int, ctx: ck.Context,
                      table_name: Optional[str] = None) -> str:
        """The message of a failed check on `row` of `table` (plans, or fasering rows)."""
        variant, values = kind_of(check).message(check, table, row, ctx)
        label = self._label(check.field, table_name) if check.field else ""
        return render(self._msg(check, variant), **{"label": label, **values})

    # ---------------------------------------------------------------------------- record rules
    def record_findings(self, plans: PlanTable, ctx: ck.Context,
                        checks: Optional[Iterable[Check]] = None) -> List[Finding]:
        out: List[Finding] = []
        for check in (checks if checks is not None else self.record_checks):
            ok = kind_of(check).passes(check, plans, ctx)
            if ok is None:
                continue
            for row in np.nonzero(~ok)[0]:
                out.append(self._finding(check, plans, int(row), self.check_message(check, plans, int(row), ctx)))
        return out

    # ---------------------------------------------------------------------------- geometry rules
    def geometry_findings(self, plans: PlanTable, info: GeomInfo,
                          rows: Optional[np.ndarray] = None) -> List[Finding]:
        """The geometry rules (G01–G07) for the given rows (all when None), each by its kind."""
        rows = np.arange(plans.n) if rows is None else np.asarray(rows, dtype=np.int64)
        selected = np.zeros(plans.n, dtype=bool)
        selected[rows] = True
        if info.rough is not None:
            self._settle(plans, info, selected)
        facts = _GeometryFacts(self, plans, info, selected)
        out: List[Finding] = []
        for rule in self.standard.rules:
            if rule.scope == "geometry":
                out += GEOMETRY_KINDS[rule.raw["kind"]](facts, rule)
        return out

    def _settle(self, plans: PlanTable, info: GeomInfo, selected: np.ndarray) -> None:
        """Repair the selected polygons whose area is only bounded (GeomInfo.rough) where a rule on
        the area could flag them for some area within the bounds: the findings are those of their
        repaired area, and the rest cannot have any."""
        rows = np.nonzero(selected & info.polygonal & info.rough)[0]
        if len(rows) == 0:
            return
        lo, hi = info.bounds_of_area(rows)
        maybe = np.zeros(len(rows), dtype=bool)
        for rule in self.standard.rules:
            if rule.scope == "geometry" and rule.raw["kind"] in AREA_KINDS:
                maybe |= AREA_KINDS[rule.raw["kind"]](self, plans, rule, rows, lo, hi)
        info.settle(plans.geometry, rows[maybe])

    # ---------------------------------------------------------------------------- layer rules
    def rule_of_kind(self, kind: str) -> Rule:
        """The geometry or layer rule of a kind."""
        return self._rule_of_kind[kind]

    def duplicate_key(self, rule: Rule, plans: PlanTable, rows=slice(None)) -> List:
        """Per plan (of `rows`) its key under a duplicate rule (None: it has none): the key
        field's value (duplicate_key), or (within, name) for a name that is not blank
        (duplicate_name)."""
        fields = rule.raw["fields"]
        if rule.raw["kind"] == "duplicate_key":
            return list(plans.columns[fields["key"]][rows])
        names = plans.columns[fields["name"]][rows]
        return [(within, name) if name is not None and name.strip() else None
                for within, name in zip(plans.columns[fields["within"]][rows], names)]

    def duplicate_findings(self, plans: PlanTable, rows: Optional[Iterable[int]] = None) -> List[Finding]:
        """The duplicate rules (C01 plan_id, C02 plannaam within a gemeente), for `rows` (all
        when None)."""
        out: List[Finding] = []
        names = plans.columns[self.standard.name_field]
        wanted = None if rows is None else set(int(r) for r in rows)
        for kind in ("duplicate_key", "duplicate_name"):
            rule = self.rule_of_kind(kind)
            fields = rule.raw["fields"]
            for key, members in group_rows(self.duplicate_key(rule, plans)).items():
                if len(members) < 2:
                    continue
                for row in members:
                    if wanted is not None and row not in wanted:
                        continue
                    refs = tuple(int(plans.fids[other]) for other in members if other != row)
                    if kind == "duplicate_key":
                        others = ", ".join(str(names[other]) for other in members if other != row)
                        message = render(rule.message(self.lang), value=key, count=len(members), others=others)
                        field = fields["key"]
                    else:
                        message = render(rule.message(self.lang), value=key[1], count=len(members),
                                         gemeentecode=key[0])
                        field = fields["name"]
                    out.append(self._finding(rule.code, plans, row, message, field=field, refs=refs))
        return out

    def overlap_params(self) -> Tuple[float, float]:
        limits = self.rule_of_kind("overlap").params
        return limits["min_overlap_m2"], limits["min_overlap_fraction"]

    def overlap_findings(self, plans: PlanTable, info: GeomInfo) -> List[Finding]:
        rows = np.nonzero(info.polygonal & info.valid)[0]
        a, b, ov, ident, x, y = overlap_pairs(plans.geometry, rows, info.area, *self.overlap_params())
        return self.pair_findings(plans, info, a, b, ov, ident, x, y)

    def pair_findings(self, plans, info, a, b, ov, ident, x, y, only: Optional[set] = None,
                      first_only: bool = False) -> List[Finding]:
        """C03 findings for overlapping pairs (a[i], b[i]): for both plans of each pair, or only
        for a[i] when first_only."""
        out: List[Finding] = []
        names = plans.columns[self.standard.name_field]
        rule = self.rule_of_kind("overlap")
        for i in range(len(a)):
            sides = ((int(a[i]), int(b[i])),) if first_only else ((int(a[i]), int(b[i])), (int(b[i]), int(a[i])))
            for me, other in sides:
                if only is not None and me not in only:
                    continue
                other_name = names[other] if names[other] is not None else plans.columns[self.standard.key][other]
                if ident[i]:
                    msg = render(rule.message(self.lang, "identical"), other=other_name)
                    severity = rule.raw.get("variant_severity", {}).get("identical", ERROR)
                    out.append(self._finding(rule.code, plans, me, msg, severity=severity, x=x[i], y=y[i],
                                             refs=(int(plans.fids[other]),)))
                else:
                    smaller = min(info.area[me], info.area[other])
                    pct = 100.0 * ov[i] / smaller if smaller > 0 else 100.0
                    msg = render(rule.message(self.lang, "overlap"), other=other_name,
                                 area=fmt_number(ov[i], self.lang, 0), pct=fmt_number(pct, self.lang, 1))
                    out.append(self._finding(rule.code, plans, me, msg, x=x[i], y=y[i], refs=(int(plans.fids[other]),)))
        return out

    # ---------------------------------------------------------------------------- fasering
    def fasering_findings(self, plans: PlanTable, fasering: FaseringTable,
                          plan_ids: Optional[set] = None) -> List[Finding]:
        """The checks of fasering rows (field checks, R19) and C04 (rows of no plan), limited to
        `plan_ids`."""
        standard = self.standard
        lang = self.lang
        out: List[Finding] = []
        key_values, key_null, keys, group = fasering.groups()
        if plan_ids is None:
            selected = np.ones(fasering.n, dtype=bool)
        else:
            selected = np.isin(key_values, np.asarray(sorted(pid for pid in plan_ids if pid), dtype=str)) & ~key_null
        plan_u, plan_null, _ = plans.text(standard.key)
        # the (first) plan row of every distinct fasering plan_id, -1 when no plan has it
        plan_rows = np.nonzero(~plan_null)[0]
        plan_keys, plan_first = np.unique(plan_u[plan_rows], return_index=True)
        index = lookup(plan_keys, keys, np.zeros(len(keys), dtype=bool))
        first_row = np.where(index >= 0, plan_rows[plan_first[np.maximum(index, 0)]] if len(plan_keys) else -1, -1)

        def plan_finding(check, i, message, field):
            row = int(first_row[group[i]]) if group[i] >= 0 and first_row[group[i]] >= 0 else None
            return self._finding(check, plans if row is not None else None, row, message, field=field,
                                 plan_id=fasering.plan_ids[i])

        # the row checks: field checks (R01, R03, R22, R25 on the fasering table) and R19
        ctx = ck.Context(standard, self.peildatum, lang)
        for check in self.fasering_row_checks:
            ok = kind_of(check).passes(check, fasering, ctx)
            for i in np.nonzero(~ok & selected)[0]:
                message = self.check_message(check, fasering, int(i), ctx, standard.fasering_name)
                out.append(plan_finding(check, int(i), message, f"{standard.fasering_name}.{check.field}"))

        # C04: rows whose plan does not exist
        orphan = selected & (group >= 0) & (first_row[np.maximum(group, 0)] < 0) if len(keys) else \
            np.zeros(fasering.n, dtype=bool)
        if orphan.any():
            ids, counts = np.unique(key_values[orphan], return_counts=True)
            for pid, count in zip(ids.tolist(), counts.tolist()):
                out.append(self.orphan_finding(pid, count))
        return out

    def orphan_finding(self, plan_id: str, count: int) -> Finding:
        """C04: `count` fasering rows point at `plan_id`, which no plan has."""
        rule = self.rule_of_kind("fasering_orphan")
        return Finding(rule.code, rule.severity, plan_id,
                       f"{self.standard.fasering_name}.{self.standard.fasering_key}",
                       render(rule.message(self.lang), value=plan_id, count=count), check=rule.code)

    # ---------------------------------------------------------------------------- across uitvragen
    def previous_findings(self, plans: PlanTable, previous: Previous) -> List[Finding]:
        """The rules of scope `previous` (V01…), each by its kind (rules/previous.py)."""
        facts = PreviousFacts(self.standard, plans, previous, self.lang,
                              lambda code, row, message, field: self._finding(code, plans, row, message, field=field))
        out: List[Finding] = []
        for rule in previous_rules(self.standard):
            out += PREVIOUS_KINDS[rule.raw["kind"]](facts, rule)
        return out

    # ---------------------------------------------------------------------------- export rule
    def export_findings(self, plans: PlanTable, gemeente: str) -> List[Finding]:
        """The export rule (C05): every plan belongs to the delivery's gemeente."""
        rule = self.rule_of_kind("other_gemeente")
        field = rule.raw["fields"]["gemeente"]
        out = []
        for row, code in enumerate(plans.columns[field]):
            if code != gemeente:
                out.append(self._finding(rule.code, plans, row, render(
                    rule.message(self.lang), value=fmt_value(code, self.lang),
                    gemeentecode=gemeente), field=field))
        return out


# -------------------------------------------------------------------------------------------------
# the geometry kinds: each turns the facts of the selected rows into the findings of one rule


class _GeometryFacts:
    """What the geometry kinds share: the rows, their geometry facts, and the masks one kind
    derives for another (the extent for the density)."""

    def __init__(self, validator: "Validator", table: PlanTable, info: GeomInfo, selected: np.ndarray):
        self.validator = validator
        self.table = table
        self.info = info
        self.selected = selected
        self.lang = validator.lang
        self.polygonal = selected & info.polygonal
        self._outside: Optional[np.ndarray] = None

    def rule_of_kind(self, kind: str) -> Rule:
        return self.validator.rule_of_kind(kind)

    def finding(self, rule, row, message, x=None, y=None) -> Finding:
        return self.validator._finding(rule.code, self.table, int(row), message, x=x, y=y)

    @property
    def outside(self) -> np.ndarray:
        """Selected rows whose bounding box leaves the extent of the outside_extent rule."""
        if self._outside is None:
            extent = self.rule_of_kind("outside_extent").params
            bounds = self.info.bounds
            with np.errstate(invalid="ignore"):
                self._outside = self.selected & ~self.info.missing & (
                    (bounds[:, 0] < extent["xmin"]) | (bounds[:, 1] < extent["ymin"]) |
                    (bounds[:, 2] > extent["xmax"]) | (bounds[:, 3] > extent["ymax"]))
        return self._outside


def _geometry_missing(facts: _GeometryFacts, rule) -> List[Finding]:
    return [facts.finding(rule, row, rule.message(facts.lang))
            for row in np.nonzero(facts.selected & facts.info.missing)[0]]


def _geometry_type(facts: _GeometryFacts, rule) -> List[Finding]:
    info, lang = facts.info, facts.lang
    return [facts.finding(rule, row, render(rule.message(lang),
                                            geomtype=type_name(int(info.type_id[row]), lang)))
            for row in np.nonzero(facts.selected & ~info.missing & ~info.polygonal)[0]]


def _geometry_invalid(facts: _GeometryFacts, rule) -> List[Finding]:
    out = []
    lang = facts.lang
    for row in np.nonzero(facts.polygonal & ~facts.info.valid)[0]:
        reason, x, y = invalid_reason(facts.table.geometry[row])
        if x is None:
            x, y = facts.info.bounds[row, 0], facts.info.bounds[row, 1]
        out.append(facts.finding(rule, row, render(rule.message(lang), reason=reason_text(reason, lang),
                                                   x=fmt_coord(x, lang), y=fmt_coord(y, lang)), x=x, y=y))
    return out


def _area_too_small(facts: _GeometryFacts, rule) -> List[Finding]:
    out = []
    lang, info = facts.lang, facts.info
    min_area = rule.params["min_area_m2"]
    for row in np.nonzero(facts.polygonal & (info.area < min_area))[0]:
        cx, cy = _center(info.bounds[row])
        out.append(facts.finding(rule, row, render(
            rule.message(lang), area=fmt_beyond(info.area[row], min_area, lang, 1),
            min_area=fmt_number(min_area, lang)), x=cx, y=cy))
    return out


def _repeated_vertices(facts: _GeometryFacts, rule) -> List[Finding]:
    lang = facts.lang
    found = repeated_vertices(facts.table.geometry, np.nonzero(facts.polygonal)[0])
    return [facts.finding(rule, row, render(rule.message(lang), count=count, x=fmt_coord(x, lang),
                                            y=fmt_coord(y, lang)), x=x, y=y)
            for row, (count, x, y) in sorted(found.items())]


def _outside_extent(facts: _GeometryFacts, rule) -> List[Finding]:
    out = []
    lang = facts.lang
    for row in np.nonzero(facts.outside)[0]:
        cx, cy = _center(facts.info.bounds[row])
        out.append(facts.finding(rule, row, render(rule.message(lang), x=fmt_coord(cx, lang, 0),
                                                   y=fmt_coord(cy, lang, 0)), x=cx, y=cy))
    return out


def _unlikely_density(facts: _GeometryFacts, rule) -> List[Finding]:
    """Too many dwellings per hectare (on a plan large enough to judge), or a huge plan area."""
    out = []
    lang, info = facts.lang, facts.info
    limits = rule.params
    min_area = facts.rule_of_kind("area_too_small").params["min_area_m2"]
    capacity = facts.table.columns[rule.raw["fields"]["capacity"]]
    capacity = np.where(np.isfinite(capacity), capacity, 0.0)          # NULL or infinite (R01/R03)
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(info.area > 0, capacity / (info.area / 10000.0), 0.0)
    judged = facts.polygonal & ~facts.outside
    dense = judged & (info.area >= min_area) & (density > limits["max_dwellings_per_ha"])
    for row in np.nonzero(dense)[0]:
        cx, cy = _center(info.bounds[row])
        out.append(facts.finding(rule, row, render(
            rule.message(lang, "density"), count=fmt_number(capacity[row], lang),
            area_ha=fmt_number(info.area[row] / 10000.0, lang, 2),
            density=fmt_beyond(density[row], limits["max_dwellings_per_ha"], lang, 0),
            max_density=fmt_number(limits["max_dwellings_per_ha"], lang)), x=cx, y=cy))
    for row in np.nonzero(judged & (info.area > limits["max_area_km2"] * 1e6))[0]:
        cx, cy = _center(info.bounds[row])
        out.append(facts.finding(rule, row, render(
            rule.message(lang, "area"), area_km2=fmt_beyond(info.area[row] / 1e6, limits["max_area_km2"], lang, 1),
            max_area=fmt_number(limits["max_area_km2"], lang)), x=cx, y=cy))
    return out


def _small_if(validator, plans, rule, rows, lo, hi) -> np.ndarray:
    """Rows that area_too_small could flag for an area between lo and hi."""
    return lo < rule.params["min_area_m2"]


def _dense_if(validator, plans, rule, rows, lo, hi) -> np.ndarray:
    """Rows that unlikely_density could flag for an area between lo and hi (the density falls
    as the area grows; either end may be the larger for a negative capacity)."""
    limits = rule.params
    min_area = validator.rule_of_kind("area_too_small").params["min_area_m2"]
    capacity = plans.columns[rule.raw["fields"]["capacity"]][rows]
    capacity = np.where(np.isfinite(capacity), capacity, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        dense = (lo <= 0) | (capacity / (lo / 10000.0) > limits["max_dwellings_per_ha"]) | \
            (capacity / (hi / 10000.0) > limits["max_dwellings_per_ha"])
    return ((hi >= min_area) & dense) | (hi > limits["max_area_km2"] * 1e6)


# the geometry kinds that use a polygon's area: which rows they might flag for an area in bounds
# (a new kind that reads GeomInfo.area of invalid polygons belongs here, or it sees rough areas)
AREA_KINDS = {"area_too_small": _small_if, "unlikely_density": _dense_if}

GEOMETRY_KINDS = {
    "geometry_missing": _geometry_missing,
    "geometry_type": _geometry_type,
    "geometry_invalid": _geometry_invalid,
    "area_too_small": _area_too_small,
    "repeated_vertices": _repeated_vertices,
    "outside_extent": _outside_extent,
    "unlikely_density": _unlikely_density,
}


def _center(b) -> Tuple[float, float]:
    return (float((b[0] + b[2]) / 2), float((b[1] + b[3]) / 2))


def group_rows(keys: Sequence) -> Dict[object, List[int]]:
    """{key: [rows]} for the non-NULL keys."""
    groups: Dict[object, List[int]] = defaultdict(list)
    for row, key in enumerate(keys):
        if key is not None and key != "":
            groups[key].append(row)
    return groups


def validate(plans: PlanTable, fasering: Optional[FaseringTable] = None, *, lang: str = "nl",
             peildatum: Optional[_dt.date] = None, gemeente: Optional[str] = None,
             standard: Optional[Standard] = None) -> Report:
    return Validator(standard, lang, peildatum).validate(plans, fasering, gemeente)
