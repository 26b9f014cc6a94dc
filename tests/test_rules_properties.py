"""Properties of the validation engine on random input (hypothesis):

- whatever the records and geometries, `Validator.validate` does not crash and every finding has
  a known rule code, the severity §5 gives it and a message;
- the same input gives the same findings twice;
- `LayerValidator` after any sequence of edits gives exactly the findings of a fresh full
  validation of the resulting layer.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import uuid

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import GeometryCollection, LinearRing, LineString, MultiPolygon, Point, Polygon, box

from conftest import PEILDATUM, make_plan, to_backend
from lmvw_plugin import demo
from lmvw_plugin.rules import FaseringTable, PlanTable, Validator, incremental
from lmvw_plugin.rules.incremental import LayerValidator
from lmvw_plugin.standard import load

# every test with shapely 2 and with the OGR back end; huge and NaN coordinates make numpy/shapely warn
# about overflow: expected here
pytestmark = [pytest.mark.usefixtures("geometry_backend"), pytest.mark.filterwarnings("ignore::RuntimeWarning")]

S = load()
RULES = {r.code: r for r in S.rules}
# LMVW_PROPERTY_SCALE=10 runs ten times as many examples, with a random seed (a deeper search)
SCALE = int(os.environ.get("LMVW_PROPERTY_SCALE", "1"))
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=SCALE == 1, print_blob=True)

X0, Y0 = 130000.0, 450000.0

# ---------------------------------------------------------------------------------------------
# values


SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    max_size=12)
ALL_CODES = sorted({c for items in S.codelists.values() for c in (i.code for i in items)})

TEXT = st.one_of(
    st.none(), st.sampled_from(["", "   ", "\t", "GM0344", "GM9999", "gm0344", "3", "1A", "5A", "gemeente"]),
    st.sampled_from(ALL_CODES), SAFE_TEXT, st.text(alphabet="xé€", min_size=250, max_size=260),
    st.integers(-3, 3),
)
NUMBER = st.one_of(
    st.none(), st.integers(-3, 60), st.integers(-(2 ** 63), 2 ** 63 - 1),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([2.5, 1e308, -0.0, 1e-300]),
    st.sampled_from(["abc", "12", "", " 7 ", "2,5", "1e400", "nan", "inf", "-4"]), st.booleans(),
    st.sampled_from([2022, 2026, 2030]),
)
BOOL = st.one_of(st.none(), st.booleans(), st.sampled_from(["ja", "nee", "maybe", "", 0, 1, 2, 0.5, "TRUE"]))
DATE = st.one_of(
    st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 1, 1)),
    st.sampled_from(["2026-01-01", "01-02-2026", "2026/10/02", "garbage", "", "2026-13-45", 20260101]),
)
BY_TYPE = {"text": TEXT, "int": NUMBER, "bool": BOOL, "date": DATE, "datetime": DATE}
VALUE_OF = {f.name: BY_TYPE[f.type] for f in S.fields}
NAMES = S.field_names


def overrides(max_fields=10):
    return st.lists(st.sampled_from(NAMES), max_size=max_fields, unique=True).flatmap(
        lambda ns: st.fixed_dictionaries({n: VALUE_OF[n] for n in ns}))


ANY_RECORD = st.fixed_dictionaries({n: VALUE_OF[n] for n in NAMES})


def records(n_max=6):
    """Plans based on the reference plan with random fields replaced, or entirely random."""
    one = st.one_of(overrides(), overrides(40), ANY_RECORD.map(lambda r: ("all", r)))
    return st.lists(one, min_size=0, max_size=n_max)


def build_record(i, spec):
    if isinstance(spec, tuple):
        return dict(spec[1])
    rec = make_plan(plan_id=f"00000000-0000-4000-8000-{i:012d}", plannaam=f"Plan {i}")
    rec.update(spec)
    return rec


# ---------------------------------------------------------------------------------------------
# geometries


def as_shapely(g):
    """A geometry of either back end (demo data is made by the active one) as shapely's."""
    import shapely
    return g if isinstance(g, shapely.Geometry) else shapely.from_wkb(g.wkb)


def _sq(x, y, w, h=None):
    return MultiPolygon([box(x, y, x + w, y + (w if h is None else h))])


@st.composite
def geometries(draw):
    x = X0 + draw(st.integers(0, 8)) * 50.0
    y = Y0 + draw(st.integers(0, 4)) * 50.0
    kind = draw(st.sampled_from([
        "square", "square", "square", "none", "empty", "point", "line", "bowtie", "tiny", "huge", "wgs",
        "repeated", "ring", "collection", "polygon", "nan", "inf", "overlapping_parts", "hole", "far"]))
    w = draw(st.sampled_from([1.0, 3.2, 9.99, 10.0, 50.0, 100.0, 120.0, 5100.0]))
    if kind == "square":
        return _sq(x, y, w)
    if kind == "none":
        return None
    if kind == "empty":
        return draw(st.sampled_from([MultiPolygon(), Polygon(), Point()]))
    if kind == "point":
        return Point(x, y)
    if kind == "line":
        return LineString([(x, y), (x + w, y + w)])
    if kind == "bowtie":
        return MultiPolygon([Polygon([(x, y), (x + w, y + w), (x + w, y), (x, y + w)])])
    if kind == "tiny":
        return _sq(x, y, draw(st.sampled_from([1e-6, 0.1, 3.16])))
    if kind == "huge":
        c = draw(st.sampled_from([1e12, 1e100, 1e300]))
        return _sq(c, c, c / 1e6)
    if kind == "wgs":
        return _sq(5.1, 52.0, 0.01)
    if kind == "repeated":
        return MultiPolygon([Polygon([(x, y), (x + w, y), (x + w, y), (x + w, y + w), (x, y + w)])])
    if kind == "ring":
        return LinearRing([(x, y), (x + w, y), (x + w, y + w)])
    if kind == "collection":
        return GeometryCollection([Point(x, y), box(x, y, x + w, y + w)])
    if kind == "polygon":
        return box(x, y, x + w, y + w)
    if kind == "nan":
        return Polygon([(x, y), (math.nan, y + 1), (x + w, y + w), (x, y)])
    if kind == "inf":
        return Polygon([(x, y), (math.inf, y + 1), (x + w, y + w), (x, y)])
    if kind == "overlapping_parts":
        return MultiPolygon([box(x, y, x + w, y + w), box(x + w / 2, y + w / 2, x + 2 * w, y + 2 * w)])
    if kind == "hole":
        return MultiPolygon([Polygon([(x, y), (x + w, y), (x + w, y + w), (x, y + w)],
                                     [[(x + w / 4, y + w / 4), (x + w / 2, y + w / 4), (x + w / 2, y + w / 2)]])])
    return _sq(x + 2e6, y, w)


FASERING_ROW = st.fixed_dictionaries({
    "jaar": st.one_of(st.none(), st.integers(2020, 2060), st.sampled_from([2026, 2027, 2056, 2057, -99999, 10 ** 6]),
                      st.sampled_from(["abc", 2027.5, ""])),
    "aantal": NUMBER,
    "sloop": st.one_of(st.none(), st.integers(-1, 5)),
})


def check_severity(f):
    if f.rule == "C03" and f.severity == "error":
        return "error"                                  # identical geometries
    if f.check in S.check_by_id:
        return S.check_by_id[f.check].severity
    return RULES[f.rule].severity


def as_tuples(findings):
    return sorted((-1 if f.fid is None else f.fid, f.rule, f.check or "", f.severity, f.message)
                  for f in findings)


# ---------------------------------------------------------------------------------------------
# 1. no crash, known codes, right severity; 2. deterministic


@settings(max_examples=120 * SCALE, **SETTINGS)
@given(specs=records(), geoms=st.lists(geometries(), min_size=6, max_size=6),
       fas=st.lists(st.tuples(st.integers(0, 7), FASERING_ROW), max_size=6),
       lang=st.sampled_from(["nl", "en"]), gemeente=st.sampled_from([None, "GM0344"]))
def test_validate_never_crashes_and_findings_are_well_formed(specs, geoms, fas, lang, gemeente):
    recs = [build_record(i, sp) for i, sp in enumerate(specs)]
    geoms = geoms[:len(recs)]
    fids = [10 * i + 3 for i in range(len(recs))]
    ids = [r.get("plan_id") for r in recs] + [str(uuid.UUID(int=7)), None]
    rows = [dict(row, plan_id=ids[k % len(ids)]) for k, row in fas]
    t = PlanTable.from_records(S, recs, geoms, fids=fids)
    ft = FaseringTable.from_records(S, rows)
    report = Validator(S, lang, PEILDATUM).validate(t, ft, gemeente=gemeente)
    for f in report.findings:
        assert f.rule in RULES, f
        assert f.severity in ("error", "warning")
        assert f.severity == check_severity(f), f
        assert f.check is not None and (f.check in S.check_by_id or f.check == f.rule), f
        assert f.message and isinstance(f.message, str)
        assert f.fid is None or f.fid in fids, f
        if f.fid is None:                               # only fasering rows without their plan
            assert f.rule in ("C04", "R01", "R03", "R19", "R22", "R25"), f
        if f.x is not None:
            assert not math.isnan(f.x) and not math.isnan(f.y)
    assert report.errors + report.warnings == len(report.findings)
    assert sum(report.by_rule.values()) == len(report.findings)
    if gemeente is None:
        assert not report.for_rule("C05")
    # 2. the same input gives the same findings (also with a new validator and a rebuilt table)
    t2 = PlanTable.from_records(S, recs, geoms, fids=fids)
    again = Validator(S, lang, PEILDATUM).validate(t2, FaseringTable.from_records(S, rows), gemeente=gemeente)
    assert again.findings == report.findings


@pytest.mark.parametrize("values", [
    # found by hypothesis: Python ints from huge whole floats, summed past the float range
    dict(dure_koop=8.988465674311579e+307, koop_prijs_onbekend=8.98846567431158e+307, eigendom_onbekend=1.5),
    dict(nultredenwoningen=1.7e308, overig_geschikt_ouderen=1.7e308, bruto_plancapaciteit=2.5),
    dict(bruto_plancapaciteit=1.7e308, aantal_gerealiseerd=-1.7e308),
])
def test_huge_counts_do_not_crash(values):
    rec = make_plan(**values)
    for fas in ([], [{"plan_id": rec["plan_id"], "jaar": 2027, "aantal": 1.7e308},
                     {"plan_id": rec["plan_id"], "jaar": 2028, "aantal": 1.7e308}]):
        report = Validator(S, "en", PEILDATUM).validate(
            PlanTable.from_records(S, [rec], [_sq(X0, Y0, 100)]), FaseringTable.from_records(S, fas))
        assert report.findings


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(n=st.integers(1, 40), seed=st.integers(0, 2 ** 16), invalid=st.floats(0, 1), overlap=st.floats(0, 1),
       defect=st.floats(0, 1))
def test_demo_data_validates_deterministically(n, seed, invalid, overlap, defect):
    ps = demo.generate(n, S, seed, peiljaar=PEILDATUM.year, invalid_rate=invalid, overlap_rate=overlap,
                       defect_rate=defect, vertices=(12, 40))
    v = Validator(S, "nl", PEILDATUM)
    a = v.validate(PlanTable.from_records(S, ps.records, ps.geometries), FaseringTable.from_records(S, ps.fasering))
    b = v.validate(PlanTable.from_records(S, ps.records, ps.geometries), FaseringTable.from_records(S, ps.fasering))
    assert a.findings == b.findings
    assert {f.rule for f in a.findings} <= set(RULES)
    if defect == 0 and invalid == 0 and overlap == 0:
        # consistent plans: only the warnings generate() cannot rule out
        assert {f.rule for f in a.findings} <= {"R20", "R18", "R24", "G07", "C03"}, a.by_rule


# ---------------------------------------------------------------------------------------------
# 3. incremental == full


CLUSTER = [(X0, Y0, X0 + 900, Y0 + 500)]          # plans close together: overlaps are likely

ATTR_FIELDS = ["plannaam", "gemeentecode", "planstatus", "vertrouwelijkheid", "vertrouwelijk_reden",
               "bruto_plancapaciteit", "aantal_gerealiseerd", "eengezins", "dure_koop", "gerealiseerd",
               "vervallen", "datum_vervallen", "reden_vervallen", "prijspeil_jaar", "plantype",
               "overig_geschikt_ouderen", "nultredenwoningen"]

OPS = st.one_of(
    st.tuples(st.just("attr"), st.integers(0, 99), st.sampled_from(ATTR_FIELDS), st.integers(0, 10 ** 6)),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 99),
              st.sampled_from([0.0, 0.0, 5.0, 30.0, 99.0, 200.0])),
    st.tuples(st.just("geom"), st.integers(0, 99), geometries()),
    st.tuples(st.just("pid"), st.integers(0, 99), st.integers(0, 99),
              st.sampled_from(["other", "other", "fresh", None, ""])),
    st.tuples(st.just("name"), st.integers(0, 99), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("add"), st.integers(0, 99), st.booleans(), geometries()),
    st.tuples(st.just("fasering"), st.integers(0, 99), st.lists(FASERING_ROW, max_size=4)),
    st.tuples(st.just("restore"), st.integers(0, 99)),      # undo of a deletion: the same fid returns
)


class Layer:
    """The model: what the layer holds after the edits (fid → record, geometry; fasering rows)."""

    def __init__(self, ps):
        self.recs = {i: dict(r) for i, r in enumerate(ps.records)}
        self.geoms = {i: g for i, g in enumerate(ps.geometries)}
        self.fas = [dict(r) for r in ps.fasering]
        self.next_fid = len(ps.records) + 100
        self.trash = {}                                       # deleted fid → (record, geometry)
        self.known_ids = [r["plan_id"] for r in ps.records]

    def fids(self):
        return sorted(self.recs)

    def pick(self, k):
        f = self.fids()
        return f[k % len(f)] if f else None

    def plans(self, fids=None):
        fids = self.fids() if fids is None else fids
        return PlanTable.from_records(S, [self.recs[f] for f in fids], [self.geoms[f] for f in fids], fids=fids)

    def fasering(self, plan_ids=None):
        rows = self.fas if plan_ids is None else [r for r in self.fas if r["plan_id"] in plan_ids]
        return FaseringTable.from_records(S, rows)


def attr_choices(name):
    f = S.field(name)
    if f.codelist:
        return S.codes(f.codelist) + [None, "onzin"]
    if name == "plannaam":
        return ["Plan 0", "Plan 1", "Plan 2", "Nieuw", None, "  "]
    if name == "gemeentecode":
        return ["GM0344", "GM0363", "GM9999", "344", None]
    if name == "vertrouwelijk_reden":
        return [None, "", "grond"]
    if f.type == "bool":
        return [True, False, None, "maybe"]
    if f.type == "date":
        return [None, dt.date(2026, 1, 1), dt.date(2027, 1, 1), "garbage"]
    if name == "prijspeil_jaar":
        return [2026, 2030, None, "abc"]
    return [0, 1, 11, 12, 40, 500, 5000, -1, 2.5, None, "abc"]


def apply_ops(layer, ops):
    """Apply a batch of edits to the model; return what LayerValidator.update needs."""
    changed, deleted, fas_ids = [], [], set()
    for op in ops:
        kind = op[0]
        if kind == "restore":
            gone = sorted(f for f in layer.trash if f not in deleted)   # not deleted in this batch
            if gone:
                fid = gone[op[1] % len(gone)]
                layer.recs[fid], layer.geoms[fid] = layer.trash.pop(fid)
                changed.append(fid)
            continue
        fid = layer.pick(op[1])
        if fid is None and kind != "fasering":
            continue
        if kind == "attr":
            choices = attr_choices(op[2])
            layer.recs[fid][op[2]] = choices[op[3] % len(choices)]
            changed.append(fid)
        elif kind == "move":
            other = layer.pick(op[2])
            g = layer.geoms[other]
            layer.geoms[fid] = affinity.translate(as_shapely(g), op[3], op[3] / 2) if g is not None else None
            changed.append(fid)
        elif kind == "geom":
            layer.geoms[fid] = op[2]
            changed.append(fid)
        elif kind == "pid":
            other = layer.pick(op[2])
            how = op[3]
            pid = (layer.recs[other]["plan_id"] if how == "other" else
                   str(uuid.UUID(int=op[2] + 1000 * op[1] + 1)) if how == "fresh" else how)
            layer.recs[fid]["plan_id"] = pid
            if pid:
                layer.known_ids.append(pid)
            changed.append(fid)
        elif kind == "name":
            other = layer.pick(op[2])
            layer.recs[fid]["plannaam"] = layer.recs[other]["plannaam"]
            if op[3]:
                layer.recs[fid]["gemeentecode"] = layer.recs[other]["gemeentecode"]
            changed.append(fid)
        elif kind == "delete":
            layer.trash[fid] = (layer.recs.pop(fid), layer.geoms.pop(fid))
            changed = [c for c in changed if c != fid]
            deleted.append(fid)
        elif kind == "add":
            new = layer.next_fid
            layer.next_fid += 1
            rec = dict(layer.recs[fid])
            if not op[2]:                            # a copy of a plan, or a new plan next to it
                rec["plan_id"] = str(uuid.UUID(int=new))
                rec["plannaam"] = f"Nieuw {new}"
                layer.known_ids.append(rec["plan_id"])
            layer.recs[new] = rec
            layer.geoms[new] = op[3]
            changed.append(new)
        elif kind == "fasering":
            ids = [p for p in layer.known_ids if p]
            if not ids:
                continue
            pid = ids[op[1] % len(ids)]
            layer.fas = [r for r in layer.fas if r["plan_id"] != pid] + [dict(r, plan_id=pid) for r in op[2]]
            fas_ids.add(pid)
    changed = [c for c in dict.fromkeys(changed) if c in layer.recs]
    return changed, deleted, fas_ids


def check_sequence(n, seed, defect, invalid, batches, rebuild_after=256, lang="en"):
    """Build a layer, apply the batches of edits, compare incremental with full after each."""
    ps = demo.generate(n, S, seed, peiljaar=PEILDATUM.year, invalid_rate=invalid, overlap_rate=0.7,
                       defect_rate=defect, vertices=(12, 30), boxes=CLUSTER, gemeenten=["GM0344"])
    layer = Layer(ps)
    v = Validator(S, lang, PEILDATUM)
    old = incremental.REBUILD_AFTER
    incremental.REBUILD_AFTER = rebuild_after
    try:
        lv = LayerValidator(v, layer.plans(), layer.fasering())
        assert as_tuples(lv.findings()) == as_tuples(v.validate(layer.plans(), layer.fasering()).findings)
        for ops in batches:
            changed, deleted, fas_ids = apply_ops(layer, ops)
            lv.update(changed=layer.plans(changed) if changed else None, deleted=deleted,
                      fasering=layer.fasering(fas_ids) if fas_ids else None, fasering_plan_ids=sorted(fas_ids))
            full = v.validate(layer.plans(), layer.fasering())
            assert as_tuples(lv.findings()) == as_tuples(full.findings), (ops, changed, deleted, fas_ids)
            assert lv.plans == len(layer.recs)
            for fid in layer.fids()[:3]:
                assert as_tuples(lv.findings_for(fid)) == as_tuples([f for f in full.findings if f.fid == fid])
    finally:
        incremental.REBUILD_AFTER = old


@settings(max_examples=250 * SCALE, **SETTINGS)
@given(n=st.integers(2, 9), seed=st.integers(0, 2 ** 16), defect=st.sampled_from([0.0, 0.5, 1.0]),
       invalid=st.sampled_from([0.0, 0.3]), batches=st.lists(st.lists(OPS, min_size=1, max_size=3),
                                                               min_size=1, max_size=6),
       rebuild_after=st.sampled_from([0, 1, 256]), lang=st.sampled_from(["nl", "en"]))
def test_incremental_equals_full_validation(n, seed, defect, invalid, batches, rebuild_after, lang):
    check_sequence(n, seed, defect, invalid, batches, rebuild_after, lang)


# Sequences hypothesis found (kept so that they always run)
FOUND = [
    # a deleted plan leaves fasering rows with their own findings (R01 on the row) behind
    (2, 0, 0.0, 0.0, [[("delete", 0), ("fasering", 0, [{"jaar": None, "aantal": None, "sloop": None}])]]),
    # an unreadable fasering count keeps its R03 after the rows are replaced
    (2, 0, 0.0, 0.0, [[("fasering", 0, [{"jaar": None, "aantal": "abc", "sloop": None}])]]),
    # plan 0 shares its plan_id with one plan and its name with another: editing the latter must
    # not drop plan 0's C01
    (9, 0, 0.0, 0.0, [[("attr", 0, "plannaam", 0), ("attr", 38, "plannaam", 0), ("pid", 0, 47, "other")],
                      [("pid", 1, 0, "other"), ("pid", 0, 3, "other")],
                      [("attr", 1, "plannaam", 1)]]),
]


FOUND.append(
    # a deleted plan comes back with its fid (undo in QGIS): its findings and overlaps return
    (4, 3, 1.0, 0.0, [[("delete", 1)], [("restore", 0)]]),
)


@pytest.mark.parametrize("case", FOUND)
def test_incremental_found_sequences(case):
    n, seed, defect, invalid, batches = case
    for rebuild_after in (0, 256):
        check_sequence(n, seed, defect, invalid, batches, rebuild_after, "nl")


def test_incremental_detects_a_real_difference():
    """The comparison above can fail: an update that is not reported leaves the findings stale."""
    ps = demo.generate(3, S, 1, peiljaar=PEILDATUM.year, boxes=CLUSTER, gemeenten=["GM0344"])
    layer = Layer(ps)
    v = Validator(S, "en", PEILDATUM)
    lv = LayerValidator(v, layer.plans(), layer.fasering())
    layer.recs[0]["eengezins"] = (layer.recs[0]["eengezins"] or 0) + 5
    assert as_tuples(lv.findings()) != as_tuples(v.validate(layer.plans(), layer.fasering()).findings)
    lv.update(changed=layer.plans([0]))
    assert as_tuples(lv.findings()) == as_tuples(v.validate(layer.plans(), layer.fasering()).findings)


# ---------------------------------------------------------------------------------------------
# the even-odd area that stands in for the repaired area of an invalid polygon (rules.geometry)

COORD = st.one_of(st.integers(0, 20).map(float), st.floats(0, 20, allow_nan=False, allow_infinity=False))


@st.composite
def tangles(draw):
    """Polygon(s) from random rings: crossings, touches, shared vertices and collinear pieces."""
    def ring(k):
        return [(X0 + draw(COORD), Y0 + draw(COORD)) for _ in range(k)]
    polys = []
    for _ in range(draw(st.integers(1, 3))):
        holes = [ring(draw(st.integers(3, 6))) for _ in range(draw(st.integers(0, 2)))]
        polys.append(Polygon(ring(draw(st.integers(3, 12))), holes))
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


@settings(max_examples=400 * SCALE, **SETTINGS)
@given(g=tangles())
def test_parity_area_is_the_repaired_area(g):
    """Where it gives an area, it is that of GEOS's repair (make_valid) to within its margin: a
    rule on the area of an invalid polygon that it leaves unrepaired decides as on the repair."""
    from lmvw_plugin.common.geo import shapely as geo
    from lmvw_plugin.rules.geometry import ROUGH_ABSOLUTE, ROUGH_RELATIVE, parity_area
    mine = to_backend(g)
    got = parity_area(mine)
    if got is not None:
        repaired = float(geo.area(geo.make_valid(mine)))
        assert abs(got - repaired) <= 1e-3 * (ROUGH_RELATIVE * repaired + ROUGH_ABSOLUTE), (got, repaired)


def test_parity_area_takes_the_plain_cases():
    """The generated bow-ties (two vertices swapped) are plain cases; a ring through one of its own
    vertices, or folding back along itself, is not."""
    from lmvw_plugin.common.geo import shapely as geo
    from lmvw_plugin.rules.geometry import parity_area
    for i in range(20):
        bow = to_backend(demo.bowtie(demo.blob(np.random.default_rng(i), X0, Y0, 80.0, 40)))
        assert not geo.is_valid(bow)
        assert parity_area(bow) == pytest.approx(float(geo.area(geo.make_valid(bow))), rel=1e-9)
    touch = Polygon([(X0, Y0), (X0 + 10, Y0), (X0 + 10, Y0 + 10), (X0 + 5, Y0), (X0 + 5, Y0 + 10), (X0, Y0 + 10)])
    fold = Polygon([(X0, Y0), (X0 + 10, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0 + 5), (X0 + 20, Y0 + 5),
                    (X0 + 10, Y0 + 5), (X0, Y0 + 10)])
    assert parity_area(to_backend(touch)) is None and parity_area(to_backend(fold)) is None
