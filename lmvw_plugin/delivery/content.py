"""What goes into a delivery: which plans, which fields, the derived fields, the totals.

Pure (numpy): the rules of the standard's §6 applied to a PlanTable.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Set

import numpy as np

from ..common.arrays import lookup
from ..rules.findings import Finding, render
from ..rules.table import FaseringTable, PlanTable, text_arrays
from ..standard import FieldDef, Profile, Standard, load, pick


@dataclass
class Content:
    """The plans and fields of one delivery."""
    profile: Profile
    gemeente: str
    rows: np.ndarray                              # delivered plan rows of the source table
    fields: List[FieldDef]                        # plan fields as delivered (standard minus dropped + derived)
    columns: Dict[str, np.ndarray]                # per field, aligned with `rows`
    geometry: np.ndarray                          # shapely, EPSG:28992, aligned with `rows`
    fasering_rows: np.ndarray                     # rows of the fasering table delivered
    internal_left_out: int = 0                    # 5A/5B plans, never delivered
    other_gemeente_left_out: int = 0
    confidential_left_out: Dict[str, int] = field(default_factory=dict)   # aggregate of left-out plans
    confidential_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    dropped_fields: List[str] = field(default_factory=list)
    ambiguous_plan_ids: Set[str] = field(default_factory=set)   # held by a delivered and a left-out plan

    @property
    def n(self) -> int:
        return len(self.rows)


def derived_fields(standard: Standard) -> List[FieldDef]:
    return [FieldDef(name=d["name"], type=d["type"], label=d["label"], help={}, count=d["type"] == "int")
            for d in standard.derived]


def compute_derived(standard: Standard, plans: PlanTable, rows: np.ndarray,
                    fasering: Optional[FaseringTable]) -> Dict[str, np.ndarray]:
    """The derived fields of §1 for the given rows (NULL where an input is NULL)."""
    out: Dict[str, np.ndarray] = {}
    first = last = None
    if fasering is not None and fasering.n:
        first, last = _fasering_years(fasering, plans.columns["plan_id"][rows])
    for d in standard.derived:
        op = d["op"]
        if op == "sub":
            a, b = (plans.columns[n][rows] for n in d["args"])
            out[d["name"]] = a - b
        elif op == "sum":
            total = np.zeros(len(rows))
            nulls = np.ones(len(rows), dtype=bool)
            for n in d["args"]:
                col = plans.columns[n][rows]
                nulls &= np.isnan(col)
                total += np.nan_to_num(col, nan=0.0)
            total[nulls] = np.nan
            out[d["name"]] = total
        elif op == "in_group":
            codes = standard.group_codes(standard.field(d["field"]).codelist, d["group"])
            u, null, _ = text_arrays(plans.columns[d["field"]][rows])
            val = np.isin(u, np.asarray(codes, dtype=str)).astype(float)
            val[null] = np.nan
            out[d["name"]] = val
        elif op == "fasering_min_year":
            out[d["name"]] = first if first is not None else np.full(len(rows), np.nan)
        elif op == "fasering_max_year":
            out[d["name"]] = last if last is not None else np.full(len(rows), np.nan)
        else:  # pragma: no cover - the data file is tested
            raise ValueError(f"unknown derived op {op}")
    return out


def _fasering_years(fas: FaseringTable, plan_ids: np.ndarray):
    """First and last fasering year per plan id (NaN when the plan has no fasering)."""
    _, _, keys, code = fas.groups()
    lo = np.full(len(keys), np.inf)
    hi = np.full(len(keys), -np.inf)
    ok = (code >= 0) & ~np.isnan(fas.years)
    np.minimum.at(lo, code[ok], fas.years[ok])
    np.maximum.at(hi, code[ok], fas.years[ok])
    u, null, _ = text_arrays(plan_ids)
    k = lookup(keys, u, null)
    first = np.where(k >= 0, lo[np.maximum(k, 0)] if len(keys) else np.nan, np.nan)
    last = np.where(k >= 0, hi[np.maximum(k, 0)] if len(keys) else np.nan, np.nan)
    first[~np.isfinite(first)] = np.nan
    last[~np.isfinite(last)] = np.nan
    return first, last


def select(standard: Standard, plans: PlanTable, fasering: Optional[FaseringTable], profile: Profile,
           gemeente: str) -> Content:
    """Apply §6: 5A/5B never leave; confidential plans follow the profile; only the delivery's
    gemeente; vertrouwelijk_reden never leaves; free text not in a public delivery.

    Everything a package holds is built from what this returns: the delivered plan rows, the
    fasering rows of exactly those plans, and an aggregate of left-out confidential plans that
    never describes fewer than `aggregate_min_plans` plans."""
    dl = standard.delivery
    status_u = plans.text("planstatus")[0]
    conf_u = plans.text("vertrouwelijkheid")[0]
    gem_u = plans.text("gemeentecode")[0]
    internal = np.isin(status_u, np.asarray(standard.internal_statuses, dtype=str))
    other = gem_u != gemeente
    confidential = conf_u == dl["confidential_code"]
    keep = ~internal & ~other
    conf_left = np.zeros(plans.n, dtype=bool)
    if profile.only_codes is not None:
        allowed = np.isin(conf_u, np.asarray(profile.only_codes, dtype=str))
        conf_left = keep & ~allowed & confidential
        keep &= allowed
    elif profile.confidential in ("aggregate", "exclude"):
        conf_left = keep & confidential
        keep &= ~confidential
    rows = np.nonzero(keep)[0]
    fas_rows, ambiguous = _fasering_selection(plans, fasering, keep)
    dropped = list(dl["never_leaves"])
    if profile.drop_free_text:
        dropped += [f.name for f in standard.fields if f.free_text]
    fields = [f for f in standard.fields if f.name not in dropped] + derived_fields(standard)
    delivered_fas = _subset(fasering, fas_rows) if fasering is not None else None
    derived = compute_derived(standard, plans, rows, delivered_fas)
    columns = {f.name: plans.columns[f.name][rows] for f in standard.fields if f.name not in dropped}
    columns.update(derived)
    conf_rows = np.nonzero(conf_left)[0]
    aggregate = confidential_aggregate(standard, plans, conf_rows, profile.confidential == "aggregate")
    content = Content(profile, gemeente, rows, fields, columns, plans.geometry[rows], fas_rows,
                      int((internal & ~other).sum()), int(other.sum()), aggregate, conf_rows, dropped)
    content.ambiguous_plan_ids = ambiguous
    return content


def _fasering_selection(plans: PlanTable, fasering: Optional[FaseringTable], keep: np.ndarray):
    """The fasering rows of the delivered plans, and the plan ids shared by a delivered and a
    left-out plan. A fasering row belongs to a plan only through its plan_id; where a left-out plan
    (5A/5B, confidential, not public, another gemeente) holds the same plan_id, the rows may be
    that plan's: they are not delivered (C01 reports the shared id)."""
    empty = np.empty(0, dtype=np.int64)
    pid_u, pid_null = plans.text("plan_id")[:2]
    held_out = set(pid_u[~keep & ~pid_null].tolist())
    ambiguous = held_out & set(pid_u[keep & ~pid_null].tolist())
    if fasering is None or not fasering.n:
        return empty, ambiguous
    _, _, keys, code = fasering.groups()
    if not len(keys):
        return empty, ambiguous
    delivered = np.zeros(len(keys), dtype=bool)
    k = lookup(keys, pid_u[keep], pid_null[keep])
    delivered[k[k >= 0]] = True
    k = lookup(keys, pid_u[~keep], pid_null[~keep])
    delivered[k[k >= 0]] = False
    return np.nonzero((code >= 0) & delivered[np.maximum(code, 0)])[0], ambiguous


def _subset(fasering: FaseringTable, rows: np.ndarray) -> FaseringTable:
    return fasering.take(rows).without_bad()


def confidential_aggregate(standard: Standard, plans: PlanTable, rows: np.ndarray,
                           with_totals: bool) -> Dict[str, Any]:
    """What the manifest says about left-out confidential plans: their capacity totals only when at
    least `aggregate_min_plans` of them add capacity (one plan's totals are its own numbers), else
    their number alone."""
    if not len(rows):
        return {}
    minimum = int(standard.delivery.get("aggregate_min_plans", 3))
    # only the sums over all of them (a split by status, hard/soft or vervallen could describe a
    # group of one); vervallen plans add no capacity, so they do not count towards the threshold
    contributing = int((plans.columns["vervallen"][rows] != 1.0).sum())
    if with_totals and contributing >= minimum:
        t = totals(standard, plans, rows)
        return {"plans": t["plans"], "bruto": t["bruto"], "netto": t["netto"], "rest": t["rest"]}
    out: Dict[str, Any] = {"plans": int(len(rows))}
    if with_totals:
        out["totals_withheld"] = True
        out["min_plans_for_totals"] = minimum
    return out


def totals(standard: Standard, plans: PlanTable, rows: np.ndarray) -> Dict[str, Any]:
    """Counts and capacity totals over `rows`; vervallen plans are counted but add no capacity."""
    status_u, _, _ = text_arrays(plans.columns["planstatus"][rows])
    vervallen = plans.columns["vervallen"][rows] == 1.0
    gerealiseerd = plans.columns["gerealiseerd"][rows] == 1.0
    active = ~vervallen

    def total(name, mask=None):
        col = np.nan_to_num(plans.columns[name][rows], nan=0.0)
        m = active if mask is None else (active & mask)
        return int(col[m].sum())
    hard = np.isin(status_u, np.asarray(standard.hard_statuses, dtype=str))
    soft = np.isin(status_u, np.asarray(standard.soft_statuses, dtype=str))
    bruto = total("bruto_plancapaciteit")
    sloop = total("sloop")
    real = total("aantal_gerealiseerd")
    return {
        "plans": int(len(rows)),
        "per_planstatus": {k: int(v) for k, v in sorted(Counter(status_u.tolist()).items())},
        "hard": int((hard & active).sum()), "soft": int((soft & active).sum()),
        "vervallen": int(vervallen.sum()), "gerealiseerd": int(gerealiseerd.sum()),
        "bruto": bruto, "netto": bruto - sloop, "rest": bruto - real,
        "bruto_hard": total("bruto_plancapaciteit", hard), "bruto_zacht": total("bruto_plancapaciteit", soft),
    }


def delivered_findings(findings: List[Finding], plans: PlanTable, content: Content,
                       standard: Optional[Standard] = None, lang: str = "nl"):
    """Split findings for the package: those of delivered plans (shown by name), those of
    confidential plans counted in the aggregate and C05 of plans of another gemeente (counted
    without names), and the rest (5A/5B, not public, fasering without a plan), which do not
    concern the delivery.

    A shown finding never names or locates a plan outside the delivery: where its message refers
    to one (C01-C03 `refs`), or to fasering that a left-out plan's plan_id shares, it is told in
    the data file's anonymous wording (`delivery.anonymous_messages`), without coordinates."""
    delivered_fids = set(plans.fids[content.rows].tolist())
    conf_fids = set(plans.fids[content.confidential_rows].tolist())
    shown: List[Finding] = []
    anonymous: List[Finding] = []
    for f in findings:
        if f.fid in delivered_fids:
            if (f.refs and not delivered_fids.issuperset(f.refs)) or (
                    f.plan_id in content.ambiguous_plan_ids and _about_fasering(standard, f)):
                f = _anonymised(standard, f, plans, lang)
            shown.append(f)
        elif f.fid is not None and (f.fid in conf_fids or f.rule == "C05"):
            anonymous.append(f)
    return shown, anonymous


def _about_fasering(standard: Optional[Standard], f: Finding) -> bool:
    """Does the finding's message rest on the fasering rows of its plan_id?"""
    standard = standard or load()
    if f.field and f.field.startswith(standard.fasering_name + "."):
        return True
    rule = standard.rule_by_code.get(f.rule)
    return rule is not None and rule.scope in ("fasering", "fasering_row")


def _anonymised(standard: Optional[Standard], f: Finding, plans: PlanTable, lang: str) -> Finding:
    """The finding in the anonymous wording: only values of its own plan, no location."""
    standard = standard or load()
    texts = standard.delivery["anonymous_messages"]
    key = f.rule
    if f.rule == "C03":
        rule = standard.rule_by_code["C03"]
        identical = rule.raw.get("variant_severity", {}).get("identical")
        key = "C03.identical" if identical and identical != rule.severity and f.severity == identical \
            else "C03.overlap"
    elif f.rule not in texts:
        key = "fasering"
    gemeentecode = None
    rows = np.nonzero(plans.fids == f.fid)[0]
    if len(rows):
        gemeentecode = plans.columns["gemeentecode"][rows[0]]
    message = render(pick(texts[key], lang), value=f.plannaam if f.rule == "C02" else f.plan_id,
                     gemeentecode=gemeentecode or "")
    return replace(f, message=message, x=None, y=None, refs=())
