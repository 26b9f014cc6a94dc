"""Rules across uitvragen (V01…): the current plans against the previous delivery.

Pure (numpy, shapely through `common.geo`). Two parts:

- `match(standard, old, new)`: which plan of the previous delivery is which plan now. By plan_id
  first (the key never changes across uitvragen); where plan ids were lost (a rebuilt layer), a
  plan of the same plannaam whose geometry overlaps by at least `comparison.match_min_overlap_fraction`
  of the smaller is *proposed* as the match, and marked so.
- the V rules' kinds, a family of their own (`PREVIOUS_KINDS`, one function per kind, like the
  geometry kinds of `engine.py`): a rule of scope `previous` in the data file names its kind and,
  in `fields`, the fields it reads by their role. `Validator.validate(..., previous=...)` runs them
  only when a previous delivery is known.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from typing import Callable, Dict, List, Optional

import numpy as np

from ..common.geo import shapely
from ..standard import Rule, Standard
from .findings import Finding, fmt_value, render
from .table import FaseringTable, PlanTable


@dataclass
class Matching:
    """Pairs (old row, new row); `proposed[i]` when pair i was matched by name and geometry rather
    than by plan_id. `gone`: old rows without a match; `new`: new rows without one."""
    old_rows: np.ndarray
    new_rows: np.ndarray
    proposed: np.ndarray
    gone: np.ndarray
    new: np.ndarray

    @property
    def n(self) -> int:
        return len(self.old_rows)


@dataclass
class Previous:
    """The previous delivery as the V rules and the comparison need it."""
    plans: PlanTable
    fasering: Optional[FaseringTable] = None
    uitvraag: str = ""
    matching: Optional[Matching] = None        # against the current plans (computed when None)


def first_rows(table: PlanTable, key: str) -> Dict[str, int]:
    """{plan id: the first row holding it} of a table (`match` and the comparison share it)."""
    return _first_rows(*table.text(key)[:2])


def _first_rows(u: np.ndarray, null: np.ndarray) -> Dict[str, int]:
    """{key: the first row holding it} (a dict filled backwards: no sorting of the texts)."""
    rows = np.nonzero(~null)[0][::-1]
    return dict(zip(u[rows].tolist(), rows.tolist()))


def _norm_names(col: np.ndarray) -> List[Optional[str]]:
    return [None if v is None or not str(v).strip() else " ".join(str(v).split()).casefold() for v in col]


def overlap_fraction(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair, the area of a ∩ b as a fraction of the smaller of the two (0 where either is
    missing or empty). Invalid polygons are repaired first."""
    out = np.zeros(len(a))
    ok = np.fromiter((x is not None and y is not None for x, y in zip(a, b)), dtype=bool, count=len(a))
    if not ok.any():
        return out
    ga, gb = a[ok].copy(), b[ok].copy()
    for g in (ga, gb):
        bad = ~shapely.is_valid(g)
        if bad.any():
            g[bad] = shapely.make_valid(g[bad])
    inter = shapely.area(shapely.intersection(ga, gb))
    smaller = np.minimum(shapely.area(ga), shapely.area(gb))
    with np.errstate(invalid="ignore", divide="ignore"):
        out[ok] = np.where(smaller > 0, inter / smaller, 0.0)
    return out


def match(standard: Standard, old: PlanTable, new: PlanTable, firsts=None) -> Matching:
    """Match plans by plan_id, then propose matches by plannaam and overlapping geometry for the
    rest (one-to-one, the largest overlap first). `firsts`: the `first_rows` of old and new, when
    the caller has them."""
    key = standard.key
    nu = new.text(key)[0]
    ofirst, nfirst_rows = firsts if firsts is not None else (first_rows(old, key), first_rows(new, key))
    # a plan_id held by several current plans (C01) matches its first one only
    nfirst = np.fromiter(nfirst_rows.values(), dtype=np.int64, count=len(nfirst_rows))
    nfirst.sort()
    k = np.fromiter(map(ofirst.get, nu[nfirst].tolist(), repeat(-1)), dtype=np.int64, count=len(nfirst))
    hit = np.zeros(new.n, dtype=bool)
    hit[nfirst[k >= 0]] = True
    new_rows = nfirst[k >= 0]
    old_rows = k[k >= 0]
    old_left = np.ones(old.n, dtype=bool)
    old_left[old_rows] = False
    new_left = ~hit
    # proposals among the rest: same plannaam, overlapping geometry
    p_old, p_new = _propose(standard, old, new, np.nonzero(old_left)[0], np.nonzero(new_left)[0])
    old_left[p_old] = False
    new_left[p_new] = False
    proposed = np.concatenate([np.zeros(len(old_rows), dtype=bool), np.ones(len(p_old), dtype=bool)])
    old_all = np.concatenate([old_rows, p_old]).astype(np.int64)
    new_all = np.concatenate([new_rows, p_new]).astype(np.int64)
    order = np.argsort(new_all, kind="stable")
    return Matching(old_all[order], new_all[order], proposed[order],
                    np.nonzero(old_left)[0].astype(np.int64), np.nonzero(new_left)[0].astype(np.int64))


def _propose(standard: Standard, old: PlanTable, new: PlanTable, old_rows: np.ndarray, new_rows: np.ndarray):
    empty = np.empty(0, dtype=np.int64)
    if not len(old_rows) or not len(new_rows):
        return empty, empty
    name = standard.name_field
    by_name: Dict[str, List[int]] = {}
    for r, n in zip(old_rows.tolist(), _norm_names(old.columns[name][old_rows])):
        if n is not None:
            by_name.setdefault(n, []).append(r)
    ca: List[int] = []
    cb: List[int] = []
    for r, n in zip(new_rows.tolist(), _norm_names(new.columns[name][new_rows])):
        for o in by_name.get(n, ()) if n is not None else ():
            ca.append(o)
            cb.append(r)
    if not ca:
        return empty, empty
    a, b = np.asarray(ca, dtype=np.int64), np.asarray(cb, dtype=np.int64)
    frac = overlap_fraction(old.geometry_of(a), new.geometry_of(b))
    minimum = float(standard.comparison.get("match_min_overlap_fraction", 0.5))
    good = frac >= minimum
    a, b, frac = a[good], b[good], frac[good]
    used_a, used_b = set(), set()
    out_a: List[int] = []
    out_b: List[int] = []
    for i in np.argsort(-frac, kind="stable").tolist():          # largest overlap first, one to one
        if a[i] in used_a or b[i] in used_b:
            continue
        used_a.add(int(a[i]))
        used_b.add(int(b[i]))
        out_a.append(int(a[i]))
        out_b.append(int(b[i]))
    return np.asarray(out_a, dtype=np.int64), np.asarray(out_b, dtype=np.int64)


# ------------------------------------------------------------------------------------------------
# the V rules' kinds


class PreviousFacts:
    """What the kinds share: both tables, the matching, the language."""

    def __init__(self, standard: Standard, plans: PlanTable, previous: Previous, lang: str,
                 finding: Callable[..., Finding]):
        self.standard, self.plans, self.previous, self.lang = standard, plans, previous, lang
        self.old = previous.plans
        self.matching = previous.matching if previous.matching is not None else match(standard, self.old, plans)
        self.finding = finding          # (rule code, new row, message, field) -> Finding

    def values(self, rule: Rule, role: str):
        """(old values, new values) of the pairs for the field of `role`."""
        name = rule.raw["fields"][role]
        m = self.matching
        return self.old.columns[name][m.old_rows], self.plans.columns[name][m.new_rows]

    def render(self, rule: Rule, **values) -> str:
        return render(rule.message(self.lang), uitvraag=self.previous.uitvraag or "?", **values)


def _gone_unmarked(facts: PreviousFacts, rule: Rule) -> List[Finding]:
    old, m = facts.old, facts.matching
    f = rule.raw["fields"]
    rows = m.gone
    marked = (old.columns[f["vervallen"]][rows] == 1.0) | (old.columns[f["gerealiseerd"]][rows] == 1.0)
    out = []
    key, name = facts.standard.key, facts.standard.name_field
    for r in rows[~marked].tolist():
        pid, pname = old.columns[key][r], old.columns[name][r]
        msg = facts.render(rule, plannaam=pname or "—", plan_id=pid or "—")
        out.append(Finding(rule.code, rule.severity, pid, None, msg, plannaam=pname, check=rule.code))
    return out


def _count_went_down(facts: PreviousFacts, rule: Rule) -> List[Finding]:
    old, new = facts.values(rule, "count")
    with np.errstate(invalid="ignore"):
        down = new < old                                     # NaN on either side: no finding
    field = rule.raw["fields"]["count"]
    return [facts.finding(rule.code, int(facts.matching.new_rows[i]),
                          facts.render(rule, old=fmt_value(float(old[i]), facts.lang),
                                       new=fmt_value(float(new[i]), facts.lang)), field)
            for i in np.nonzero(down)[0]]


def _hard_to_soft(facts: PreviousFacts, rule: Rule) -> List[Finding]:
    old, new = facts.values(rule, "status")
    s = facts.standard
    hard, soft = set(s.hard_statuses), set(s.soft_statuses)
    field = rule.raw["fields"]["status"]
    return [facts.finding(rule.code, int(facts.matching.new_rows[i]), facts.render(rule, old=o, new=n), field)
            for i, (o, n) in enumerate(zip(old, new)) if o in hard and n in soft]


def _flag_undone(facts: PreviousFacts, rule: Rule) -> List[Finding]:
    old, new = facts.values(rule, "flag")
    undone = (old == 1.0) & (new != 1.0)
    field = rule.raw["fields"]["flag"]
    return [facts.finding(rule.code, int(facts.matching.new_rows[i]), facts.render(rule), field)
            for i in np.nonzero(undone)[0]]


def _key_changed(facts: PreviousFacts, rule: Rule) -> List[Finding]:
    old, new = facts.values(rule, "key")
    field = rule.raw["fields"]["key"]
    m = facts.matching
    return [facts.finding(rule.code, int(m.new_rows[i]), facts.render(rule, old=old[i] or "—", new=new[i] or "—"),
                          field)
            for i in np.nonzero(m.proposed)[0] if old[i] != new[i]]


PREVIOUS_KINDS: Dict[str, Callable[[PreviousFacts, Rule], List[Finding]]] = {
    "gone_unmarked": _gone_unmarked,
    "count_went_down": _count_went_down,
    "hard_to_soft": _hard_to_soft,
    "flag_undone": _flag_undone,
    "key_changed": _key_changed,
}


def previous_rules(standard: Standard) -> List[Rule]:
    return [r for r in standard.rules if r.scope == "previous"]
