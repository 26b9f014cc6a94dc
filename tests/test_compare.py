"""Issue 11: what changed since the last delivery (pure: no QGIS)."""
from __future__ import annotations

import numpy as np
import pytest
from diff_util import IDX, S, current_records, fasering, geom, pid, previous_records, record, table
from shapely import affinity

from lmvw_plugin.delivery.compare import Delivery, compare, delays, layer_delivery
from lmvw_plugin.rules.engine import Validator
from lmvw_plugin.rules.previous import Previous, match


def deliveries():
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    prev = Delivery(table(pr, pg), fasering(pf), "2026-voorjaar")
    cur = layer_delivery(S, table(cr, cg), fasering(cf), "GM0344")
    return prev, cur


def by_name(changes):
    return {p.plannaam: p for p in changes.plans}


def fields(p):
    return [(c["field"], c["old"], c["new"]) for c in p.changes if c["field"] != "fasering"]


def test_every_kind_of_change_exactly():
    prev, cur = deliveries()
    ch = compare(S, prev, cur)
    got = by_name(ch)
    assert ch.counts == {"nieuw": 1, "verdwenen": 2, "gewijzigd": 12, "ongewijzigd": 2}
    assert {n for n, p in got.items() if p.kind == "nieuw"} == {"Plan O"}
    assert {n for n, p in got.items() if p.kind == "verdwenen"} == {"Plan M", "Plan N"}
    assert "Plan A" not in got and "Plan B" not in got          # file order; 0.36 m under the tolerance
    assert fields(got["Plan C"]) == [("bruto_plancapaciteit", 20, 25), ("eengezins", 20, 25),
                                     ("betaalbare_koop", 20, 25), ("netto_plancapaciteit", 20, 25),
                                     ("restcapaciteit", 20, 25)]
    assert fields(got["Plan D"]) == [("planstatus", "3", "1A"), ("planstatus_richting", None, "omhoog"),
                                     ("hard_zacht", "soft", "hard")]
    assert fields(got["Plan E"]) == [("planstatus", "1A", "3"), ("planstatus_richting", None, "omlaag"),
                                     ("hard_zacht", "hard", "soft")]
    assert fields(got["Plan F"]) == [("aantal_gerealiseerd", 10, 5), ("restcapaciteit", 10, 15)]
    assert fields(got["Plan G"]) == [("gerealiseerd", 1, 0)]
    assert fields(got["Plan H"]) == [("betaalbare_koop", 20, 18), ("dure_koop", 0, 2)]
    assert fields(got["Plan I"]) == [("eengezins", 20, 19), ("meergezins", 0, 1)]
    assert fields(got["Plan J"]) == [("vertrouwelijkheid", "openbaar", "regio")]
    k = fields(got["Plan K"])
    assert [f for f, _, _ in k] == ["geometrie_verplaatst"] and k[0][2][0] - k[0][1][0] == pytest.approx(10)
    assert fields(got["Plan L"]) == [("geometrie_oppervlakte", 10000.0, 14400.0)]
    assert fields(got["Plan P"]) == [("plan_id", pid(IDX["P"]), pid(99))] and got["Plan P"].proposed
    q = got["Plan Q"]
    assert fields(q) == [("vertraging_woningjaren", 0, 20)]
    assert [c for c in q.changes if c["field"] == "fasering"] == [
        {"field": "fasering", "old": {"2027": 10, "2028": 10}, "new": {"2028": 10, "2029": 10}}]
    assert q.vertraging == 20 and q.versnelling == 0
    assert ch.to_dict()["summary"] == {"nieuw": 1, "verdwenen": 2, "gewijzigd": 12, "ongewijzigd": 2,
                                       "vertraging_woningjaren": 20}


def test_the_v_rules_of_the_known_differences():
    prev, cur = deliveries()
    ch = compare(S, prev, cur)
    assert sorted((f.rule, f.plannaam) for f in ch.findings) == [
        ("V01", "Plan M"), ("V02", "Plan F"), ("V03", "Plan E"), ("V04", "Plan G"), ("V05", "Plan P")]
    v02 = next(f for f in ch.findings if f.rule == "V02")
    assert "10" in v02.message and "5" in v02.message and "2026-voorjaar" in v02.message


def test_file_order_and_small_geometry_changes_are_unchanged():
    pr, pg, pf = previous_records()
    rng = np.random.default_rng(1)
    order = rng.permutation(len(pr))
    shifted = [affinity.translate(g, 0.6, -0.7) if i % 2 else g for i, g in enumerate(pg)]   # 0.92 m
    cur = Delivery(table([pr[i] for i in order], [shifted[i] for i in order]), fasering(pf[::-1]))
    ch = compare(S, Delivery(table(pr, pg), fasering(pf)), cur)
    assert ch.plans == [] and ch.counts["ongewijzigd"] == len(pr) and ch.findings == []
    # just beyond the tolerance: changed
    moved = [affinity.translate(pg[0], 1.01, 0)] + pg[1:]
    ch = compare(S, Delivery(table(pr, pg)), Delivery(table(pr, moved)))
    assert [(p.plannaam, p.kind) for p in ch.plans] == [("Plan A", "gewijzigd")]


@pytest.mark.parametrize("then,now,realised,later,earlier", [
    ({2027: 10}, {2029: 10}, 0, 20, 0),                          # ten dwellings two years later
    ({2027: 20}, {2027: 10, 2028: 10}, 0, 10, 0),                # half of them one year later
    ({2029: 5}, {2028: 5}, 0, 0, 5),                             # earlier
    ({2026: 10, 2027: 10}, {2027: 10}, 10, 0, 0),                # 2026's ten were delivered
    ({2027: 10}, {2026: 5, 2029: 5}, 0, 10, 5),                  # both ways
    ({2027: 10}, {2027: 10, 2030: 10}, 0, 0, 0),                 # more capacity is no delay
    ({2027: 10, 2028: 10}, {2030: 5}, 0, 15, 0),                 # less capacity: the 5 left, 3 years later
])
def test_delays_in_dwelling_years(then, now, realised, later, earlier):
    years = sorted(set(then) | set(now))
    y0, ny = years[0], years[-1] - years[0] + 1
    a, b = np.zeros((1, ny)), np.zeros((1, ny))
    for y, n in then.items():
        a[0, y - y0] = n
    for y, n in now.items():
        b[0, y - y0] = n
    got_later, got_earlier = delays(a, b, np.array([float(realised)]))
    assert (got_later[0], got_earlier[0]) == (later, earlier)


def test_delay_through_compare_counts_realised_dwellings():
    """A plan whose 2026 dwellings were delivered and whose 2027 ones slipped a year."""
    old = table([record(1, bruto_plancapaciteit=20)], [geom(1)])
    new = table([record(1, bruto_plancapaciteit=20, aantal_gerealiseerd=10)], [geom(1)])
    ch = compare(S, Delivery(old, fasering([(pid(1), 2026, 10), (pid(1), 2027, 10)]), "2026-voorjaar"),
                 Delivery(new, fasering([(pid(1), 2028, 10)])))
    p = ch.plans[0]
    assert (p.vertraging, p.versnelling) == (10, 0)
    assert ch.summary()["gerealiseerd_sinds"] == 10 and ch.summary()["vertraging_woningjaren"] == 10


# ------------------------------------------------------------------------------------------------
# the V rules at their boundaries


def v_findings(old_recs, new_recs, old_geoms=None, new_geoms=None, rule=None):
    old_geoms = old_geoms or [geom(i) for i in range(len(old_recs))]
    new_geoms = new_geoms or [geom(i) for i in range(len(new_recs))]
    new = table(new_recs, new_geoms)
    prev = Previous(table(old_recs, old_geoms), None, "2026-voorjaar")
    found = Validator(S).validate(new, previous=prev).findings
    return [f for f in found if f.rule.startswith("V") and (rule is None or f.rule == rule)]


@pytest.mark.parametrize("old,new,fires", [(10, 10, False), (10, 9, True), (10, 11, False), (None, 5, False),
                                           (10, None, False)])
def test_v02_boundaries(old, new, fires):
    got = v_findings([record(0, aantal_gerealiseerd=old)], [record(0, aantal_gerealiseerd=new)], rule="V02")
    assert bool(got) == fires


@pytest.mark.parametrize("old,new,fires", [("1A", "2B", False), ("2B", "1C", True), ("1A", "4B", True),
                                           ("3", "4A", False), ("3", "1A", False), ("2A", "2A", False)])
def test_v03_boundaries(old, new, fires):
    assert bool(v_findings([record(0, planstatus=old)], [record(0, planstatus=new)], rule="V03")) == fires


@pytest.mark.parametrize("old,new,fires", [(True, True, False), (True, False, True), (True, None, True),
                                           (False, True, False), (None, False, False)])
def test_v04_boundaries(old, new, fires):
    assert bool(v_findings([record(0, gerealiseerd=old)], [record(0, gerealiseerd=new)], rule="V04")) == fires


@pytest.mark.parametrize("kw,fires", [({}, True), ({"vervallen": True}, False), ({"gerealiseerd": True}, False),
                                      ({"vervallen": False, "gerealiseerd": False}, True)])
def test_v01_boundaries(kw, fires):
    got = v_findings([record(0), record(1, **kw)], [record(0)], rule="V01")
    assert [f.plannaam for f in got] == (["Plan 01"] if fires else [])
    if fires:
        assert got[0].plan_id == pid(1) and got[0].fid is None


@pytest.mark.parametrize("dx,fires", [(0, True), (49, True), (51, False)])
def test_v05_boundaries_overlap_of_half_the_smaller(dx, fires):
    """Same name, another plan_id: a proposed match when they overlap by ≥ 50 % (100 m wide boxes)."""
    old_g = [geom(0)]
    new_g = [affinity.translate(geom(0), dx, 0)]
    got = v_findings([record(0)], [record(0, plan_id=pid(7))], old_g, new_g)
    assert [f.rule for f in got] == (["V05"] if fires else ["V01"])


def test_v05_needs_the_same_name():
    got = v_findings([record(0)], [record(0, plan_id=pid(7), plannaam="Anders")])
    assert [f.rule for f in got] == ["V01"]


def test_v_rules_run_only_with_a_previous_delivery():
    new = table([record(0, aantal_gerealiseerd=1)], [geom(0)])
    assert not [f for f in Validator(S).validate(new).findings if f.rule.startswith("V")]
    prev = Previous(table([record(0, aantal_gerealiseerd=5)], [geom(0)]), None, "2026-voorjaar")
    assert [f.rule for f in Validator(S).validate(new, previous=prev).findings if f.rule.startswith("V")] == ["V02"]


def test_match_prefers_plan_id_and_is_one_to_one():
    old = table([record(0), record(1, plannaam="Plan 00")], [geom(0), geom(0)])
    new = table([record(5, plannaam="Plan 00"), record(1, plannaam="Plan 00")], [geom(0), geom(0)])
    m = match(S, old, new)
    pairs = sorted(zip(m.old_rows.tolist(), m.new_rows.tolist(), m.proposed.tolist()))
    assert pairs == [(0, 0, True), (1, 1, False)]
