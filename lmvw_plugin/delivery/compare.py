"""What changed since the last delivery: the current plans against the previous package.

Pure (numpy, shapely through `common.geo`; no qgis). The previous delivery and the current plans are
`Delivery`s: plan and fasering tables with what the package's manifest says (reading them safely
from a zip or a GeoPackage is `compare_read.py`).

Plans are matched by plan_id; where plan ids were lost, a plan of the same plannaam and overlapping
geometry is proposed as the match (`proposed`, see rules/previous.py). Per plan the kind of change:
*nieuw*, *verdwenen*, *gewijzigd* (with the fields: `standard.comparison.fields`, the derived netto
and rest, hard ⇄ soft, plan_id of a proposed match, the geometry beyond the tolerance, the
fasering) or *ongewijzigd*; per fasering the dwelling-years moved later (**vertraging**) or earlier.

Vertraging of one plan, in dwelling-years: with C(y) the dwellings delivered up to year y (then:
the previous fasering; now: the dwellings realised since, then the current fasering), both capped
at the smaller of the two totals (a change of capacity is a change of bruto, not a delay),
vertraging = Σ_y max(0, C_then(y) − C_now(y)) and versnelling = Σ_y max(0, C_now(y) − C_then(y)).
Ten dwellings moved from 2027 to 2029 are 20 dwelling-years of vertraging.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

from ..common.geo import shapely
from ..rules.engine import Validator
from ..rules.findings import Finding
from ..rules.previous import Matching, Previous, first_rows, match
from ..rules.table import FaseringTable, PlanTable
from ..standard import Profile, Standard, load

NIEUW, VERDWENEN, GEWIJZIGD, ONGEWIJZIGD = "nieuw", "verdwenen", "gewijzigd", "ongewijzigd"
KINDS = (NIEUW, VERDWENEN, GEWIJZIGD, ONGEWIJZIGD)
GROUPS = ("hard", "soft")


@dataclass
class Delivery:
    """One side of a comparison."""
    plans: PlanTable
    fasering: Optional[FaseringTable] = None
    uitvraag: str = ""
    peildatum: str = ""
    gemeente: str = ""
    profile: str = ""
    sha256: str = ""
    path: str = ""
    # what this delivery does not hold (a province file's format): not compared, never a change;
    # GEOMETRY when it has no plan areas (Zeeland's workbooks)
    not_held: List[str] = field(default_factory=list)
    # per plan field, the rows whose value is an estimate (a province file's split the format does
    # not hold per plan): not compared for those rows
    estimated: Dict[str, np.ndarray] = field(default_factory=dict)
    # per fasering row its plan row, when the plans hold no plan ids to link them by (Zeeland)
    fasering_rows: Optional[np.ndarray] = None
    # a package read with its checks still running (compare_read.read_package(deferred=True)):
    # waits for them and raises their CompareError; nothing of the delivery is shown before
    confirm: Callable[[], Any] = field(default=lambda: None, compare=False, repr=False)


GEOMETRY = "geometrie"
_WITH_REALISED = {"bruto_plancapaciteit", "netto_plancapaciteit", "restcapaciteit", "eengezins", "meergezins",
                  "woningtype_onbekend", "sociale_huur_corporatie", "sociale_huur_markt", "sociale_huur_markt_geborgd",
                  "middenhuur_corporatie", "middenhuur_markt", "middenhuur_markt_geborgd", "dure_huur",
                  "huur_prijs_onbekend", "betaalbare_koop", "dure_koop", "koop_prijs_onbekend", "eigendom_onbekend"}
_DERIVED_FROM = {"netto_plancapaciteit": ("bruto_plancapaciteit", "sloop"),
                 "restcapaciteit": ("bruto_plancapaciteit", "aantal_gerealiseerd")}


# the plan fields the comparison reads besides the data file's (`comparison.fields`, the V rules'
# fields): the key and name, the inputs of the derived fields and of the capacity per status group,
# what makes a plan deliverable, and what a profile keeps out
_READ = ("planstatus", "gemeentecode", "vertrouwelijkheid", "bruto_plancapaciteit", "sloop",
         "aantal_gerealiseerd", "vervallen", "gerealiseerd")


def compared_fields(standard: Standard) -> Tuple[List[str], List[str]]:
    """(plan fields, fasering fields) that `compare`, its summary and the V rules read: a reader may
    leave the others out (the command line's `diff` does)."""
    names = [standard.key, standard.name_field, *_READ, *standard.comparison.get("fields", [])]
    for rule in standard.rules:
        if rule.scope == "previous":
            names += list(rule.raw.get("fields", {}).values())
    fas = [standard.fasering_key, standard.fasering_year, standard.fasering_count]
    return list(dict.fromkeys(names)), fas


def deliverable(standard: Standard, plans: PlanTable, gemeente: Optional[str] = None) -> np.ndarray:
    """Rows a delivery can hold: never 5A/5B; only the gemeente's plans when it is given."""
    status = plans.text("planstatus")[0]
    keep = ~np.isin(status, np.asarray(standard.internal_statuses, dtype=str))
    if gemeente:
        keep &= plans.text("gemeentecode")[0] == gemeente
    return np.nonzero(keep)[0]


def layer_delivery(standard: Standard, plans: PlanTable, fasering: Optional[FaseringTable],
                   gemeente: Optional[str] = None, uitvraag: str = "", path: str = "") -> Delivery:
    rows = deliverable(standard, plans, gemeente)
    table = plans if len(rows) == plans.n else plans.take(rows)
    return Delivery(table, fasering, uitvraag, gemeente=gemeente or "", path=path)


# ------------------------------------------------------------------------------------------------
# the result


@dataclass
class PlanChange:
    kind: str
    plan_id: Optional[str]
    plannaam: Optional[str]
    changes: List[Dict[str, Any]]
    old_row: Optional[int] = None
    new_row: Optional[int] = None
    proposed: bool = False
    vertraging: float = 0.0
    versnelling: float = 0.0
    moved: bool = False                   # the geometry changed beyond the tolerance

    def as_dict(self) -> Dict[str, Any]:
        return {"plan_id": self.plan_id, "plannaam": self.plannaam, "kind": self.kind, "changes": self.changes}


@dataclass
class Changes:
    previous: Delivery
    current: Delivery
    matching: Matching
    plans: List[PlanChange]                  # every plan except the unchanged ones
    unchanged: np.ndarray                    # pair indices of the unchanged plans
    findings: List[Finding]
    years: Dict[int, Tuple[float, float]]    # per year: dwellings planned then, now
    pair_vertraging: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pair_versnelling: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pair_realised: np.ndarray = field(default_factory=lambda: np.zeros(0))
    fasering_rows_old: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))   # plan row per
    fasering_rows_new: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))   # fasering row

    @property
    def counts(self) -> Dict[str, int]:
        out = {k: 0 for k in KINDS}
        for p in self.plans:
            out[p.kind] += 1
        out[ONGEWIJZIGD] = int(len(self.unchanged))
        return out

    def summary(self, profile: Optional[Profile] = None, standard: Optional[Standard] = None) -> Dict[str, Any]:
        """Counts per kind (every plan), and the totals (dwelling-years, realised since, capacity then
        and now) over the plans that may be named under `profile` (all without one): a confidential
        plan's numbers never show through a total."""
        standard = standard or load()
        ok_old, ok_new = self.allowed(profile, standard)
        pair_ok = ok_old[self.matching.old_rows] & ok_new[self.matching.new_rows]
        out: Dict[str, Any] = dict(self.counts)
        out["vertraging_woningjaren"] = _num(self.pair_vertraging[pair_ok].sum())
        out["versnelling_woningjaren"] = _num(self.pair_versnelling[pair_ok].sum())
        out["gerealiseerd_sinds"] = _num(self.pair_realised[pair_ok].sum())
        out["capacity"] = {"then": capacity(standard, self.previous.plans, ok_old),
                           "now": capacity(standard, self.current.plans, ok_new)}
        out["proposed_matches"] = int(self.matching.proposed.sum())
        if profile is not None:
            out["not_named"] = sum(1 for p in self.plans if not self.nameable(p, ok_old, ok_new))
        return out

    def to_dict(self) -> Dict[str, Any]:
        """The command line's JSON: summary, the plans with a change, the V-rule findings."""
        c = self.counts
        summary = {k: c[k] for k in KINDS}
        summary["vertraging_woningjaren"] = _num(self.pair_vertraging.sum())
        return {"summary": summary, "plans": [p.as_dict() for p in self.plans],
                "findings": [f.as_dict(full=True) for f in self.findings]}

    # -- what may be named -----------------------------------------------------------------------
    def allowed(self, profile: Optional[Profile], standard: Standard) -> Tuple[np.ndarray, np.ndarray]:
        """Per old row and per new row: would `profile` deliver that plan as it was (is)?"""
        return (allowed_rows(standard, self.previous.plans, profile),
                allowed_rows(standard, self.current.plans, profile))

    @staticmethod
    def nameable(p: PlanChange, ok_old: np.ndarray, ok_new: np.ndarray) -> bool:
        return (p.old_row is None or bool(ok_old[p.old_row])) and (p.new_row is None or bool(ok_new[p.new_row]))

    def named(self, profile: Optional[Profile], standard: Optional[Standard] = None) -> List[PlanChange]:
        """The plan changes that may be named under `profile`: the plan is delivered by it in the
        previous delivery (if it was there) and in the current one (if it is there)."""
        standard = standard or load()
        ok_old, ok_new = self.allowed(profile, standard)
        return [p for p in self.plans if self.nameable(p, ok_old, ok_new)]

    def split_findings(self, profile: Optional[Profile], standard: Optional[Standard] = None):
        """(findings that may name their plan, findings counted only per rule) under `profile`."""
        standard = standard or load()
        ok_old, ok_new = self.allowed(profile, standard)
        m = self.matching
        old_of_new = np.full(self.current.plans.n, -1, dtype=np.int64)
        old_of_new[m.new_rows] = m.old_rows
        new_of_fid = {int(f): i for i, f in enumerate(self.current.plans.fids.tolist())}
        gone = {self.previous.plans.columns[standard.key][r]: int(r) for r in m.gone.tolist()}
        shown, anonymous = [], []
        for f in self.findings:
            if f.fid is None:                                # V01: a plan of the previous delivery
                r = gone.get(f.plan_id)
                ok = r is not None and bool(ok_old[r])
            else:
                row = new_of_fid.get(f.fid)
                ok = row is not None and bool(ok_new[row]) and (old_of_new[row] < 0 or bool(ok_old[old_of_new[row]]))
            (shown if ok else anonymous).append(f)
        return shown, anonymous


def allowed_rows(standard: Standard, plans: PlanTable, profile: Optional[Profile]) -> np.ndarray:
    """True where `profile` delivers the plan (None: every plan)."""
    if profile is None:
        return np.ones(plans.n, dtype=bool)
    conf = plans.text("vertrouwelijkheid")[0]
    if profile.only_codes is not None:
        return np.isin(conf, np.asarray(profile.only_codes, dtype=str))
    if profile.confidential in ("aggregate", "exclude"):
        return conf != standard.delivery["confidential_code"]
    return np.ones(plans.n, dtype=bool)


def capacity(standard: Standard, plans: PlanTable, rows_ok: np.ndarray) -> Dict[str, Dict[str, int]]:
    """Bruto, netto and rest per status group (hard, soft) of the active plans among `rows_ok`."""
    status = plans.text("planstatus")[0]
    active = rows_ok & (plans.columns["vervallen"] != 1.0)
    bruto = np.nan_to_num(plans.columns["bruto_plancapaciteit"], nan=0.0)
    sloop = np.nan_to_num(plans.columns["sloop"], nan=0.0)
    real = np.nan_to_num(plans.columns["aantal_gerealiseerd"], nan=0.0)
    out = {}
    for group, codes in (("hard", standard.hard_statuses), ("soft", standard.soft_statuses)):
        m = active & np.isin(status, np.asarray(codes, dtype=str))
        out[group] = {"plans": int(m.sum()), "bruto": int(bruto[m].sum()), "netto": int((bruto - sloop)[m].sum()),
                      "rest": int((bruto - real)[m].sum())}
    return out


def _num(v: Any) -> Any:
    """A JSON value: whole floats as int, NaN as None, dates as ISO text."""
    if v is None:
        return None
    if isinstance(v, (np.floating, float)):
        v = float(v)
        if v != v:
            return None
        return int(v) if v.is_integer() else round(v, 3)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return v


def package_view(standard: Standard, previous: Delivery, current: Delivery, profile: Optional[Profile]) -> Delivery:
    """The current plans as the package compares them: without the plans that neither the previous
    package's profile nor this one delivers and that the previous package does not hold (a
    confidential plan left out both times is not *nieuw*)."""
    plans = current.plans
    key = standard.key
    ok_now = allowed_rows(standard, plans, profile)
    ok_then = allowed_rows(standard, plans, standard.profiles.get(previous.profile)) if previous.profile \
        else np.ones(plans.n, dtype=bool)
    known = np.isin(plans.text(key)[0], previous.plans.text(key)[0][~previous.plans.text(key)[1]])
    keep = ok_now | ok_then | known
    if keep.all():
        return current
    return Delivery(plans.take(np.nonzero(keep)[0]), current.fasering, current.uitvraag, current.peildatum,
                    current.gemeente, current.profile, current.sha256, current.path, list(current.not_held))


# ------------------------------------------------------------------------------------------------
# the comparison


def _derived(name: str, t: PlanTable) -> np.ndarray:
    c = t.columns
    if name == "netto_plancapaciteit":
        return c["bruto_plancapaciteit"] - c["sloop"]
    if name == "restcapaciteit":
        return c["bruto_plancapaciteit"] - c["aantal_gerealiseerd"]
    raise ValueError(f"unknown derived field {name}")       # pragma: no cover - the data file is tested


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f":
        return ~((a == b) | (np.isnan(a) & np.isnan(b)))
    if a.dtype == object and b.dtype == object:     # element by element, as Python's != (numpy's loop)
        return np.asarray(a != b, dtype=bool)
    return np.fromiter((x != y for x, y in zip(a, b)), dtype=bool, count=len(a))


def _group(standard: Standard, status: np.ndarray) -> np.ndarray:
    out = np.full(len(status), "", dtype=object)
    out[np.isin(status, np.asarray(standard.hard_statuses, dtype=str))] = "hard"
    out[np.isin(status, np.asarray(standard.soft_statuses, dtype=str))] = "soft"
    return out


def fasering_plan_rows(standard: Standard, plans: PlanTable, fas: Optional[FaseringTable],
                       first: Optional[Dict[str, int]] = None) -> np.ndarray:
    """Per fasering row, the (first) plan row with its plan_id, or -1. `first`: the plans'
    `first_rows` when the caller has them."""
    if fas is None or not fas.n:
        return np.empty(0, dtype=np.int64)
    # a dict of the plan ids (the first row wins) instead of sorting the texts; looked up in C
    # (map), a NULL plan id (None, never a key) finds nothing
    first = first if first is not None else first_rows(plans, standard.key)
    # a plan's rows mostly follow each other: only the first of each run of equal plan ids is looked up
    keys = fas.plan_ids
    starts = np.ones(fas.n, dtype=bool)
    starts[1:] = np.asarray(keys[1:] != keys[:-1], dtype=bool)
    heads = np.nonzero(starts)[0]
    found = np.fromiter(map(first.get, keys[heads].tolist(), repeat(-1)), dtype=np.int64, count=len(heads))
    return found[np.cumsum(starts) - 1]


def _fasering_matrix(fas: Optional[FaseringTable], plan_row: np.ndarray, n_plans: int, pair_rows: np.ndarray,
                     y0: int, ny: int) -> np.ndarray:
    """(pairs × years) dwellings per year of each pair's plan."""
    out = np.zeros((len(pair_rows), ny))
    if fas is None or not fas.n or not len(pair_rows):
        return out
    pair_of_row = np.full(n_plans, -1, dtype=np.int64)
    pair_of_row[pair_rows] = np.arange(len(pair_rows))
    year = fas.years
    ok = (plan_row >= 0) & ~np.isnan(year)
    pair = np.where(ok, pair_of_row[np.maximum(plan_row, 0)], -1)
    ok &= pair >= 0
    idx = pair[ok] * ny + (year[ok].astype(np.int64) - y0)
    out.ravel()[:] = np.bincount(idx, weights=np.nan_to_num(fas.counts[ok], nan=0.0), minlength=out.size)
    return out


def _years(fas: Optional[FaseringTable]) -> np.ndarray:
    if fas is None or not fas.n:
        return np.empty(0)
    y = fas.years
    return y[~np.isnan(y)]


def per_year(fas: Optional[FaseringTable], plan_row: np.ndarray,
             rows_ok: Optional[np.ndarray] = None) -> Dict[int, float]:
    """Dwellings per year over the fasering rows of the plans (those of `rows_ok` when given)."""
    if fas is None or not fas.n:
        return {}
    ok = (plan_row >= 0) & ~np.isnan(fas.years)
    if rows_ok is not None:
        ok &= rows_ok[np.maximum(plan_row, 0)]
    years, inverse = np.unique(fas.years[ok].astype(np.int64), return_inverse=True)
    sums = np.bincount(inverse, weights=np.nan_to_num(fas.counts[ok], nan=0.0), minlength=len(years))
    return {int(y): float(v) for y, v in zip(years.tolist(), sums.tolist())}


def delays(then: np.ndarray, now: np.ndarray, realised_since: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(vertraging, versnelling) in dwelling-years per row of two (rows × years) matrices; the
    dwellings realised since count as delivered before the first year."""
    now = now.copy()
    if now.shape[1]:
        now[:, 0] += realised_since
    c_then, c_now = np.cumsum(then, axis=1), np.cumsum(now, axis=1)
    cap = np.minimum(c_then[:, -1:], c_now[:, -1:]) if then.shape[1] else np.zeros((len(then), 1))
    c_then, c_now = np.minimum(c_then, cap), np.minimum(c_now, cap)
    later = np.maximum(c_then - c_now, 0.0).sum(axis=1)
    earlier = np.maximum(c_now - c_then, 0.0).sum(axis=1)
    return later, earlier


def _geometry_changes(old: PlanTable, new: PlanTable, oi: np.ndarray, ni: np.ndarray, tol: float):
    """Per pair: changed beyond `tol` (Hausdorff distance); and {pair: (old geometry, new geometry)}
    of the changed pairs. Where both tables hold their stored WKB, the pairs whose WKB is the same
    are unchanged without being parsed (the same bytes are the same geometry)."""
    n = len(oi)
    wa, wb = old.wkb_of(oi), new.wkb_of(ni)
    if wa is not None and wb is not None:
        check = np.nonzero(wa != wb)[0] if n else np.empty(0, dtype=np.int64)
        ga, gb = old.geometry_of(oi[check]), new.geometry_of(ni[check])
    else:
        check = np.arange(n)
        ga, gb = old.geometry_of(oi), new.geometry_of(ni)
    changed = np.zeros(n, dtype=bool)
    changed[check] = _changed(ga, gb, tol)
    return changed, {int(check[j]): (ga[j], gb[j]) for j in np.nonzero(changed[check])[0].tolist()}


def _changed(ga: np.ndarray, gb: np.ndarray, tol: float) -> np.ndarray:
    n = len(ga)
    has_a = np.fromiter((g is not None for g in ga), dtype=bool, count=n)
    has_b = np.fromiter((g is not None for g in gb), dtype=bool, count=n)
    changed = has_a != has_b
    both = np.nonzero(has_a & has_b)[0]
    if len(both):
        a, b = ga[both], gb[both]
        same = shapely.equals_exact(a, b, tolerance=tol)
        # a bound that moved farther than tol: farther in Hausdorff distance too
        far = np.abs(shapely.bounds(a) - shapely.bounds(b)).max(axis=1) > tol
        changed[both[~same & far]] = True
        check = np.nonzero(~same & ~far)[0]
        if len(check):
            d = shapely.hausdorff_distance(a[check], b[check])
            changed[both[check]] = ~(d <= tol)
    return changed


def compare(standard: Optional[Standard], previous: Delivery, current: Delivery, lang: str = "nl",
            peildatum: Optional[_dt.date] = None) -> Changes:
    standard = standard or load()
    old, new = previous.plans, current.plans
    firsts = first_rows(old, standard.key), first_rows(new, standard.key)
    if standard.key in previous.not_held:       # a file without plan ids (Zeeland): by name
        m = match_by_name(standard, old, new)
    else:
        m = match(standard, old, new, firsts)
    oi, ni = m.old_rows, m.new_rows
    n = m.n
    cmp = standard.comparison
    tol = float(cmp.get("geometry_tolerance_m", 1.0))
    key, name = standard.key, standard.name_field
    labels: List[Tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []     # (field, changed, old, new)

    not_held = set(previous.not_held) | set(current.not_held)
    # a previous file without realised dwellings (Zuid-Holland's) holds a plan's capacity and splits
    # without its realised part: for a plan with dwellings realised now, those are not compared
    realised_now = new.columns["aantal_gerealiseerd"][ni] > 0 if "aantal_gerealiseerd" in not_held else None

    def add(field_name: str, a: np.ndarray, b: np.ndarray) -> None:
        d = _differs(a, b)
        est = previous.estimated.get(field_name)
        if est is not None:
            d &= ~est[oi]
        if realised_now is not None and field_name in _WITH_REALISED:
            d &= ~realised_now
        if d.any():
            labels.append((field_name, d, a, b))

    if key not in not_held:
        add(key, old.columns[key][oi], new.columns[key][ni])
    for f in cmp.get("fields", []):
        if f == "planstatus" or f in not_held:
            continue
        add(f, old.columns[f][oi], new.columns[f][ni])
    for f in cmp.get("derived", []):
        if not not_held & set(_DERIVED_FROM.get(f, ())):
            add(f, _derived(f, old)[oi], _derived(f, new)[ni])
    so, sn = old.columns["planstatus"][oi], new.columns["planstatus"][ni]
    status_changed = _differs(so, sn)
    go, gn = _group(standard, old.text("planstatus")[0][oi]), _group(standard, new.text("planstatus")[0][ni])
    group_changed = _differs(go, gn)
    rank = {c: i for i, c in enumerate(standard.codes(standard.field("planstatus").codelist))}
    if GEOMETRY in not_held:
        geom_changed, geom_pairs = np.zeros(n, dtype=bool), {}
    else:
        geom_changed, geom_pairs = _geometry_changes(old, new, oi, ni, tol)

    # fasering and delays
    years = np.concatenate([_years(previous.fasering), _years(current.fasering)])
    if len(years):
        y0, y1 = int(years.min()), int(years.max())
    else:
        y0, y1 = 0, -1
    ny = y1 - y0 + 1
    prow_old = previous.fasering_rows if previous.fasering_rows is not None else \
        fasering_plan_rows(standard, old, previous.fasering, firsts[0])
    prow_new = fasering_plan_rows(standard, new, current.fasering, firsts[1])
    then = _fasering_matrix(previous.fasering, prow_old, old.n, oi, y0, ny)
    now = _fasering_matrix(current.fasering, prow_new, new.n, ni, y0, ny)
    fas_changed = (then != now).any(axis=1) if ny > 0 else np.zeros(n, dtype=bool)
    real_o = np.nan_to_num(old.columns["aantal_gerealiseerd"][oi], nan=0.0)
    real_n = np.nan_to_num(new.columns["aantal_gerealiseerd"][ni], nan=0.0)
    realised = np.maximum(real_n - real_o, 0.0) if realised_now is None else np.zeros(n)   # unknown then
    later, earlier = delays(then, now, realised) if ny > 0 else (np.zeros(n), np.zeros(n))

    geom_entries = _geometry_entries(geom_pairs)
    any_changed = status_changed | group_changed | geom_changed | fas_changed
    for _, d, _, _ in labels:
        any_changed |= d

    # the changed pairs' entries, field by field in the order above (numpy's masks turned into
    # lists of the changed pairs first: no numpy scalar per pair and field)
    idx = np.nonzero(any_changed)[0]
    entries: Dict[int, List[Dict[str, Any]]] = {i: [] for i in idx.tolist()}
    for fname, d, a, b in labels:
        rows = np.nonzero(d)[0]
        for i, va, vb in zip(rows.tolist(), a[rows].tolist(), b[rows].tolist()):
            entries[i].append({"field": fname, "old": _num(va), "new": _num(vb)})
    rows = np.nonzero(status_changed)[0]
    for i, o, s_ in zip(rows.tolist(), so[rows].tolist(), sn[rows].tolist()):
        up = rank.get(s_, 99) < rank.get(o, 99)
        entries[i].append({"field": "planstatus", "old": o, "new": s_})
        entries[i].append({"field": "planstatus_richting", "old": None, "new": "omhoog" if up else "omlaag"})
    rows = np.nonzero(group_changed)[0]
    for i, o, g in zip(rows.tolist(), go[rows].tolist(), gn[rows].tolist()):
        entries[i].append({"field": "hard_zacht", "old": o or None, "new": g or None})
    for i in np.nonzero(geom_changed)[0].tolist():
        entries[i] += geom_entries[i]
    rows = np.nonzero(fas_changed)[0]
    for i, t_, n_, la, ea in zip(rows.tolist(), then[rows].tolist(), now[rows].tolist(), later[rows].tolist(),
                                 earlier[rows].tolist()):
        entries[i].append({"field": "fasering", "old": _year_dict(t_, y0), "new": _year_dict(n_, y0)})
        if la:
            entries[i].append({"field": "vertraging_woningjaren", "old": 0, "new": _num(la)})
        if ea:
            entries[i].append({"field": "versnelling_woningjaren", "old": 0, "new": _num(ea)})
    plans: List[PlanChange] = []
    nrow, orow = ni[idx], oi[idx]
    for i, pid_, pname, o, r, prop, la, ea, moved in zip(
            idx.tolist(), new.columns[key][nrow].tolist(), new.columns[name][nrow].tolist(), orow.tolist(),
            nrow.tolist(), m.proposed[idx].tolist(), later[idx].tolist(), earlier[idx].tolist(),
            geom_changed[idx].tolist()):
        plans.append(PlanChange(GEWIJZIGD, pid_, pname, entries[i], o, r, prop, la, ea, moved))
    for r in m.new.tolist():
        plans.append(PlanChange(NIEUW, new.columns[key][r], new.columns[name][r], [], None, int(r)))
    for r in m.gone.tolist():
        plans.append(PlanChange(VERDWENEN, old.columns[key][r], old.columns[name][r], [], int(r), None))
    order = {NIEUW: 0, VERDWENEN: 1, GEWIJZIGD: 2}
    plans.sort(key=lambda p: (order[p.kind], str(p.plannaam or "").casefold(), str(p.plan_id or "")))

    validator = Validator(standard, lang, peildatum)
    findings = validator.previous_findings(new, Previous(old, previous.fasering, previous.uitvraag, m))
    per_then = per_year(previous.fasering, prow_old)
    per_now = per_year(current.fasering, prow_new)
    years_out = {y: (per_then.get(y, 0.0), per_now.get(y, 0.0)) for y in sorted(set(per_then) | set(per_now))}
    return Changes(previous, current, m, plans, np.nonzero(~any_changed)[0], findings, years_out,
                   later, earlier, realised, prow_old, prow_new)


def match_by_name(standard: Standard, old: PlanTable, new: PlanTable) -> Matching:
    """Pairs of plans by their name (blanks and case ignored), where the name is held by one plan
    on each side: for a previous delivery whose file holds no plan ids (Zeeland's workbooks)."""
    def names(t: PlanTable) -> Dict[str, List[int]]:
        out: Dict[str, List[int]] = {}
        for r, v in enumerate(t.columns[standard.name_field].tolist()):
            if v is not None and str(v).strip():
                out.setdefault(" ".join(str(v).split()).casefold(), []).append(r)
        return out
    a, b = names(old), names(new)
    pairs = sorted((b[k][0], a[k][0]) for k in a.keys() & b.keys() if len(a[k]) == 1 and len(b[k]) == 1)
    new_rows = np.asarray([p[0] for p in pairs], dtype=np.int64)
    old_rows = np.asarray([p[1] for p in pairs], dtype=np.int64)
    old_left = np.ones(old.n, dtype=bool)
    old_left[old_rows] = False
    new_left = np.ones(new.n, dtype=bool)
    new_left[new_rows] = False
    return Matching(old_rows, new_rows, np.zeros(len(pairs), dtype=bool), np.nonzero(old_left)[0].astype(np.int64),
                    np.nonzero(new_left)[0].astype(np.int64))


def _year_dict(row: List[float], y0: int) -> Dict[str, Any]:
    return {str(y0 + j): _num(v) for j, v in enumerate(row) if v}


def _geometry_entries(pairs: Dict[int, Tuple[Any, Any]]) -> Dict[int, List[Dict[str, Any]]]:
    """Per pair, what changed of its geometry (old, new): its place (centroid, metres) and its area
    (m²). Measured for all pairs at once; rounded as Python rounds."""
    out: Dict[int, List[Dict[str, Any]]] = {}
    both = []
    for i, (a, b) in pairs.items():
        if a is None or b is None:
            out[i] = [{"field": "geometrie", "old": None if a is None else "polygon",
                       "new": None if b is None else "polygon"}]
        else:
            both.append(i)
    if not both:
        return out
    ga = np.empty(len(both), dtype=object)
    gb = np.empty(len(both), dtype=object)
    ga[:] = [pairs[i][0] for i in both]
    gb[:] = [pairs[i][1] for i in both]
    ca, cb = shapely.centroid(ga), shapely.centroid(gb)
    moved = (shapely.distance(ca, cb) > 0.05).tolist()
    area_a, area_b = shapely.area(ga).tolist(), shapely.area(gb).tolist()
    for j, i in enumerate(both):
        entries = []
        if moved[j]:                          # (an empty geometry's centroid has no x: never moved)
            pa, pb = ca[j], cb[j]
            entries.append({"field": "geometrie_verplaatst", "old": [round(pa.x, 1), round(pa.y, 1)],
                            "new": [round(pb.x, 1), round(pb.y, 1)]})
        a, b = round(area_a[j], 1), round(area_b[j], 1)
        if a != b:
            entries.append({"field": "geometrie_oppervlakte", "old": a, "new": b})
        if not entries:
            entries.append({"field": "geometrie", "old": a, "new": b})
        out[i] = entries
    return out


# ------------------------------------------------------------------------------------------------
# the map layer "Wijzigingen sinds …" (its QGIS side is layers/changes.py)

PREVIOUS_GEOMETRY = "vorige"          # the `geometrie` value of a plan's previous outline
CURRENT_GEOMETRY = "nu"


def layer_rows(changes: Changes, standard: Optional[Standard] = None) -> List[Tuple[Dict[str, Any], Any]]:
    """(attributes, shapely geometry) per feature of the changes layer: every plan with a change in
    its current outline (a gone plan in its previous one), and the previous outline of a plan whose
    geometry moved or changed beyond the tolerance. Unchanged plans are left out."""
    standard = standard or load()
    old, new = changes.previous.plans, changes.current.plans
    out: List[Tuple[Dict[str, Any], Any]] = []
    for p in changes.plans:
        fields = ", ".join(dict.fromkeys(c["field"] for c in p.changes))
        attrs = {"plan_id": p.plan_id, "plannaam": p.plannaam, "soort": p.kind, "wijzigingen": fields,
                 "vertraging": float(p.vertraging), "versnelling": float(p.versnelling),
                 "voorgesteld": bool(p.proposed)}
        if p.new_row is not None:
            out.append((dict(attrs, geometrie=CURRENT_GEOMETRY), new.geometry[p.new_row]))
        if p.old_row is not None and (p.new_row is None or p.moved):
            out.append((dict(attrs, geometrie=PREVIOUS_GEOMETRY), old.geometry[p.old_row]))
    return out
