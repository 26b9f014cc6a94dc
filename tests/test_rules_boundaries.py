"""Every rule of §5 on both sides of its boundary: the rule code appears exactly when it should, and
its message carries the numbers involved."""
from __future__ import annotations

import datetime as dt

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from conftest import PEILDATUM, make_plan
from lmvw_plugin.rules import FaseringTable, PlanTable, Validator
from lmvw_plugin.rules.findings import fmt_number

pytestmark = pytest.mark.usefixtures("geometry_backend")   # every test: shapely 2 and the OGR back end

X0, Y0 = 130000, 450000                        # Utrecht, RD New


def square(i: int = 0, size: float = 100.0, x: float = None, y: float = None) -> MultiPolygon:
    """A valid size×size square; plan i lies 1 km east of plan i-1."""
    x = X0 + 1000 * i if x is None else x
    y = Y0 if y is None else y
    return MultiPolygon([box(x, y, x + size, y + size)])


def uid(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


def plan_with_bruto(n: int, **kw):
    """A consistent plan of n dwellings (types and prices all 'onbekend' / eengezins)."""
    prices = dict(sociale_huur_corporatie=0, sociale_huur_markt=0, middenhuur_corporatie=0,
                  middenhuur_markt=0, dure_huur=0, huur_prijs_onbekend=0, betaalbare_koop=0,
                  dure_koop=0, koop_prijs_onbekend=0, eigendom_onbekend=n)
    rec = make_plan(bruto_plancapaciteit=n, eengezins=n, meergezins=0, woningtype_onbekend=0, **prices)
    rec.update(kw)
    return rec


def fas_rows(plan_id, years):
    return [{"plan_id": plan_id, "jaar": y, "aantal": a, "sloop": 0} for y, a in years]


def run(records, geoms=None, fasering=None, *, lang="en", peildatum=PEILDATUM, gemeente=None,
        standard=None, fids=None):
    if isinstance(records, dict):
        records = [records]
    if geoms is None:
        geoms = [square(i) for i in range(len(records))]
    from lmvw_plugin.standard import load
    s = standard or load()
    t = PlanTable.from_records(s, records, geoms, fids=fids)
    f = FaseringTable.from_records(s, fasering) if fasering is not None else None
    report = Validator(s, lang, peildatum).validate(t, f, gemeente=gemeente)
    for finding in report.findings:     # no placeholder left unfilled, no Python repr leaking
        assert "{" not in finding.message and "}" not in finding.message, finding
        assert "nan" not in finding.message.lower().split(), finding
    return report


def rules(report):
    return {f.rule for f in report.findings}


def checks(report):
    return {f.check for f in report.findings}


def one(report, rule):
    found = report.for_rule(rule)
    assert len(found) == 1, [f.message for f in report.findings]
    return found[0]


def has_numbers(message, *numbers, lang="en"):
    for n in numbers:
        assert fmt_number(n, lang) in message, (n, message)


# --------------------------------------------------------------------------------------------


def test_the_reference_plan_passes_everything():
    assert run(make_plan(), fasering=[]).findings == []
    assert run(make_plan(), fasering=[], lang="nl", gemeente="GM0344").findings == []


# ---- R01 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "   ", "\t\n", "\u00a0 "])
def test_r01_empty_or_whitespace_text(value):
    r = run(make_plan(plannaam=value))
    assert checks(r) == {"R01.plannaam"}
    f = one(r, "R01")
    assert f.severity == "error" and f.field == "plannaam" and "Plan name" in f.message


def test_r01_null_count_and_null_bool():
    r = run(make_plan(meergezins=None))
    # a NULL count is missing (R01) and does not also make the sums fail
    assert checks(r) == {"R01.meergezins", "R04"}
    r = run(make_plan(bruto_plancapaciteit=None))
    assert checks(r) == {"R01.bruto_plancapaciteit"}
    r = run(make_plan(gerealiseerd=None))
    assert checks(r) == {"R01.gerealiseerd"}


def test_r01_filled_text_and_optional_fields():
    assert run(make_plan(plannaam="x")).findings == []
    assert run(make_plan(woonplaats="", opmerkingen="  ", sloop_gerealiseerd=None,
                         overig_geschikt_ouderen=None)).findings == []


def test_r01_unreadable_count_is_r03_not_r01():
    r = run(make_plan(overig_geschikt_ouderen="abc"))
    assert checks(r) == {"R03.overig_geschikt_ouderen"}
    assert "abc" in one(r, "R03").message


@pytest.mark.parametrize("name, value, expected", [
    ("bruto_plancapaciteit", "veel", {"R03.bruto_plancapaciteit"}),      # a count: R03 says what is wrong
    ("prijspeil_jaar", "abc", {"R25.prijspeil_jaar"}),                   # not a count: R25, with the value
    ("gerealiseerd", "misschien", {"R25.gerealiseerd"}),
    ("vervallen", 2, {"R25.vervallen"}),
    ("datum_vervallen", "gisteren", {"R25.datum_vervallen"}),            # optional fields too
])
def test_unreadable_required_values_are_reported(name, value, expected):
    """A value that cannot be read as its field's type is never dropped without a finding."""
    assert checks(run(make_plan(**{name: value}))) == expected


def test_unreadable_fasering_values_are_reported_once():
    p = make_plan()
    r = run(p, fasering=[{"plan_id": p["plan_id"], "jaar": 2027, "aantal": "x", "sloop": 0}])
    assert "R03.fasering.aantal" in checks(r)
    assert "R01.fasering.aantal" not in checks(r)            # like the plan's counts: R03, not "empty"
    r = run(p, fasering=[{"plan_id": p["plan_id"], "jaar": "abc", "aantal": 40, "sloop": 0}])
    assert checks(r) == {"R25.fasering.jaar"}                  # not a count: R25 with the value


# ---- R02 ---------------------------------------------------------------------------------


def test_r02_code_lists():
    r = run(make_plan(plantype="uitbreiding"))
    assert checks(r) == {"R02.plantype"}
    f = one(r, "R02")
    assert "'uitbreiding'" in f.message and "uitbreiding_uitleg" in f.message
    assert checks(run(make_plan(planstatus="3a"))) == {"R02.planstatus"}
    assert checks(run(make_plan(reden_vervallen="weg"))) == {"R02.reden_vervallen"}
    assert checks(run(make_plan(projectfase="bouw"))) == {"R02.projectfase"}
    for code in ("pand_transformatie", "transformatiegebied", "herstructurering", "verdichting"):
        assert run(make_plan(plantype=code)).findings == []
    assert run(make_plan(projectfase="realisatie", opdrachtgever_type="corporatie")).findings == []


# ---- R03 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [(-1, "-1"), (2.5, "2.5"), ("abc", "abc"), ("-3", "-3")])
def test_r03_negative_or_fraction(value, shown):
    r = run(make_plan(overig_geschikt_ouderen=value))
    assert checks(r) == {"R03.overig_geschikt_ouderen"}
    f = one(r, "R03")
    assert f.severity == "error" and shown in f.message


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), "inf", "1e400"])
def test_r03_infinite_is_not_a_whole_number(value):
    r = run(make_plan(overig_geschikt_ouderen=value))
    assert "R03.overig_geschikt_ouderen" in checks(r)
    r = run(make_plan(bruto_plancapaciteit=value))
    assert "R03.bruto_plancapaciteit" in checks(r)
    assert not r.for_rule("G07")         # no density computed from an infinite count
    p = make_plan()
    r = run(p, fasering=[{"plan_id": p["plan_id"], "jaar": 2027, "aantal": value, "sloop": 0}])
    assert "R03.fasering.aantal" in checks(r)


@pytest.mark.parametrize("value", [0, 0.0, "0", 3, "7"])
def test_r03_whole_numbers_pass(value):
    assert run(make_plan(overig_geschikt_ouderen=value)).findings == []


def test_r03_fasering_counts():
    p = make_plan()
    r = run(p, fasering=fas_rows(p["plan_id"], [(2027, 41), (2028, -1)]))
    assert "R03.fasering.aantal" in checks(r)
    f = [x for x in r.findings if x.check == "R03.fasering.aantal"][0]
    assert f.fid == 0 and f.plan_id == p["plan_id"] and "-1" in f.message


# ---- R04 / R05 -----------------------------------------------------------------------------


def test_r04_under_equal_over():
    r = run(make_plan(eengezins=8))
    assert checks(r) == {"R04"}
    f = one(r, "R04")
    assert f.field == "woningtype_onbekend"
    has_numbers(f.message, 38, 40, 2)
    assert "assign the 2 remaining" in f.message
    f = one(run(make_plan(eengezins=12)), "R04")
    has_numbers(f.message, 42, 40, 2)
    assert "remove 2" in f.message
    assert run(make_plan(eengezins=10)).findings == []
    # woningtype_onbekend counts
    assert run(make_plan(eengezins=8, woningtype_onbekend=2)).findings == []


PRICE_FIELDS = ["sociale_huur_corporatie", "sociale_huur_markt", "middenhuur_corporatie", "middenhuur_markt",
                "dure_huur", "huur_prijs_onbekend", "betaalbare_koop", "dure_koop", "koop_prijs_onbekend",
                "eigendom_onbekend"]


@pytest.mark.parametrize("name", PRICE_FIELDS)
def test_r05_each_of_the_ten_counts(name):
    p = make_plan()
    p[name] += 1
    r = run(p)
    assert checks(r) == {"R05"}
    has_numbers(one(r, "R05").message, 41, 40, 1)


def test_r05_under_and_geborgd_not_counted():
    f = one(run(make_plan(dure_koop=0)), "R05")
    has_numbers(f.message, 30, 40, 10)
    # the two _geborgd counts are part of their parent, not an eleventh category
    assert run(make_plan(middenhuur_markt_geborgd=10, sociale_huur_markt=0,
                         sociale_huur_markt_geborgd=0)).findings == []
    p = make_plan(sociale_huur_corporatie=5, sociale_huur_markt=5, sociale_huur_markt_geborgd=5)
    assert run(p).findings == []


# ---- R06 / R07 / R08 / R09 ----------------------------------------------------------------


@pytest.mark.parametrize("child, parent, check", [
    ("sociale_huur_markt_geborgd", "sociale_huur_markt", "R06.1"),
    ("middenhuur_markt_geborgd", "middenhuur_markt", "R06.2"),
    ("tijdelijke_woningen_tijdelijke_kwaliteit", "tijdelijke_woningen", "R06.3"),
])
def test_r06_waarvan(child, parent, check):
    base = make_plan(sociale_huur_corporatie=5, sociale_huur_markt=5, tijdelijke_woningen=5)
    ok = dict(base, **{child: base[parent]})
    assert run(ok).findings == []
    bad = dict(base, **{child: base[parent] + 3})
    r = run(bad)
    assert checks(r) == {check}
    has_numbers(one(r, "R06").message, base[parent] + 3, base[parent], 3)


@pytest.mark.parametrize("over, ok, expected", [
    (dict(nultredenwoningen=20, geclusterd=5, zorggeschikt=6),
     dict(nultredenwoningen=20, geclusterd=5, zorggeschikt=5), {"R07.1"}),
    (dict(nultredenwoningen=20, geclusterd=21, zorggeschikt=0),
     dict(nultredenwoningen=20, geclusterd=20, zorggeschikt=0), {"R07.2"}),
    (dict(nultredenwoningen=41), dict(nultredenwoningen=40), {"R07.3", "R07.4"}),
    (dict(nultredenwoningen=30, overig_geschikt_ouderen=11),
     dict(nultredenwoningen=30, overig_geschikt_ouderen=10), {"R07.4"}),
])
def test_r07_nesting(over, ok, expected):
    assert run(make_plan(**ok)).findings == []
    r = run(make_plan(**over))
    assert checks(r) == expected
    for f in r.findings:
        assert "by 1" in f.message, f.message


def test_r07_messages_carry_numbers():
    f = one(run(make_plan(nultredenwoningen=30, overig_geschikt_ouderen=13)), "R07")
    has_numbers(f.message, 43, 40, 3)
    f = one(run(make_plan(nultredenwoningen=20, geclusterd=5, zorggeschikt=9)), "R07")
    has_numbers(f.message, 9, 5, 4)


def test_r08():
    assert run(make_plan(tijdelijke_woningen=40)).findings == []
    r = run(make_plan(tijdelijke_woningen=41))
    assert checks(r) == {"R08"}
    has_numbers(one(r, "R08").message, 41, 40, 1)


def test_r09():
    assert run(make_plan(aantal_gerealiseerd=40)).findings == []
    r = run(make_plan(aantal_gerealiseerd=45))
    assert checks(r) == {"R09.1"}
    has_numbers(one(r, "R09").message, 45, 40, 5)
    assert run(make_plan(sloop=2, sloop_gerealiseerd=2)).findings == []
    r = run(make_plan(sloop=2, sloop_gerealiseerd=3))
    assert checks(r) == {"R09.2"}
    has_numbers(one(r, "R09").message, 3, 2, 1)


# ---- R10 / R11 / R12 ------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["5A", "5B"])
def test_r10_internal_status_must_be_confidential(status):
    r = run(make_plan(planstatus=status, vertrouwelijkheid="openbaar"))
    assert checks(r) == {"R10"}
    assert status in one(r, "R10").message and "'openbaar'" in one(r, "R10").message
    assert run(make_plan(planstatus=status, vertrouwelijkheid="gemeente",
                         vertrouwelijk_reden="intern")).findings == []


@pytest.mark.parametrize("status", ["1A", "1B", "2A", "2B"])
def test_r11_hard_plan_not_confidential(status):
    r = run(make_plan(planstatus=status, vertrouwelijkheid="gemeente", vertrouwelijk_reden="grond"))
    assert checks(r) == {"R11"}
    assert status in one(r, "R11").message
    assert run(make_plan(planstatus=status, vertrouwelijkheid="provincie_rijk")).findings == []


@pytest.mark.parametrize("status", ["1C", "2C", "3", "4A", "4B"])
def test_r11_soft_plan_may_be_confidential(status):
    assert run(make_plan(planstatus=status, vertrouwelijkheid="gemeente",
                         vertrouwelijk_reden="grond")).findings == []


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_r12_reason_required(reason):
    r = run(make_plan(vertrouwelijkheid="gemeente", vertrouwelijk_reden=reason))
    assert checks(r) == {"R12"}
    assert one(r, "R12").field == "vertrouwelijk_reden"
    # only for 'gemeente'
    assert run(make_plan(vertrouwelijkheid="regio", vertrouwelijk_reden=reason)).findings == []


# ---- R13 / R14 / R15 ------------------------------------------------------------------------


def test_r13_gerealiseerd():
    done = dict(gerealiseerd=True, aantal_gerealiseerd=40, datum_gerealiseerd=dt.date(2026, 6, 1))
    assert run(make_plan(**done)).findings == []
    assert checks(run(make_plan(**dict(done, datum_gerealiseerd=None)))) == {"R13.1"}
    r = run(make_plan(**dict(done, aantal_gerealiseerd=39)))
    assert checks(r) == {"R13.2"}
    assert "39 of 40" in one(r, "R13").message
    # not gerealiseerd: partly delivered and no date is fine
    assert run(make_plan(aantal_gerealiseerd=39)).findings == []


def test_r14_vervallen():
    gone = dict(vervallen=True, datum_vervallen=dt.date(2026, 3, 1), reden_vervallen="besluit_gemeente")
    assert run(make_plan(**gone)).findings == []
    assert checks(run(make_plan(**dict(gone, datum_vervallen=None)))) == {"R14.1"}
    assert checks(run(make_plan(**dict(gone, reden_vervallen=None)))) == {"R14.2"}
    assert checks(run(make_plan(**dict(gone, reden_vervallen="opgegaan_in_ander_plan")))) == {"R14.3"}
    assert run(make_plan(**dict(gone, reden_vervallen="opgegaan_in_ander_plan",
                                vervangen_door_plan_id=uid(9)))).findings == []
    # the details are only required for a vervallen plan
    assert run(make_plan(reden_vervallen="opgegaan_in_ander_plan")).findings == []


def test_r15_both():
    both = dict(gerealiseerd=True, aantal_gerealiseerd=40, datum_gerealiseerd=dt.date(2026, 6, 1),
                vervallen=True, datum_vervallen=dt.date(2026, 3, 1), reden_vervallen="anders")
    r = run(make_plan(**both))
    assert checks(r) == {"R15"}
    assert one(r, "R15").severity == "error"
    assert run(make_plan(**dict(both, vervallen=False))).findings == []


# ---- R16 -------------------------------------------------------------------------------


def test_r16_plantype_and_size():
    r = run(plan_with_bruto(11, plantype="uitbreiding_uitleg"))
    assert checks(r) == {"R16.1"}
    f = one(r, "R16")
    assert f.severity == "warning" and "has 11" in f.message
    assert run(plan_with_bruto(12, plantype="uitbreiding_uitleg")).findings == []
    r = run(plan_with_bruto(12, plantype="uitbreiding_overig"))
    assert checks(r) == {"R16.2"}
    assert "has 12" in one(r, "R16").message
    assert run(plan_with_bruto(11, plantype="uitbreiding_overig")).findings == []
    # other plan types have no size
    assert run(plan_with_bruto(1, plantype="verdichting")).findings == []


# ---- R17 / R18 / R19 -----------------------------------------------------------------------


def test_r17_fasering_sum():
    p = make_plan()
    pid = p["plan_id"]
    assert run(p, fasering=fas_rows(pid, [(2027, 20), (2028, 20)])).findings == []
    r = run(p, fasering=fas_rows(pid, [(2027, 20), (2028, 18)]))
    assert checks(r) == {"R17"}
    f = one(r, "R17")
    assert f.fid == 0 and f.plan_id == pid
    has_numbers(f.message, 38, 40, 2)
    f = one(run(p, fasering=fas_rows(pid, [(2027, 25), (2028, 20)])), "R17")
    has_numbers(f.message, 45, 40, 5)
    # rest = bruto − gerealiseerd
    q = make_plan(aantal_gerealiseerd=10)
    assert run(q, fasering=fas_rows(pid, [(2027, 30)])).findings == []
    f = one(run(q, fasering=fas_rows(pid, [(2027, 40)])), "R17")
    has_numbers(f.message, 40, 30, 10)
    # no rows for the plan: nothing to sum (a soft plan)
    assert run(p, fasering=[]).findings == []
    assert run(p, fasering=fas_rows(uid(7), [(2027, 1)]), gemeente=None).for_rule("R17") == []


def test_r18_hard_plan_without_fasering():
    hard = make_plan(planstatus="1A", vertrouwelijkheid="provincie_rijk")
    r = run(hard, fasering=[])
    assert checks(r) == {"R18"}
    f = one(r, "R18")
    assert f.severity == "warning" and "40" in f.message
    assert run(hard, fasering=fas_rows(hard["plan_id"], [(2027, 40)])).findings == []
    # without a fasering table the rule cannot run
    assert run(hard).findings == []
    assert run(dict(hard, planstatus="3"), fasering=[]).findings == []
    assert run(dict(hard, vervallen=True, datum_vervallen=dt.date(2026, 1, 1), reden_vervallen="anders"),
               fasering=[]).findings == []
    assert run(dict(hard, gerealiseerd=True, aantal_gerealiseerd=40, datum_gerealiseerd=dt.date(2026, 1, 1)),
               fasering=[]).findings == []
    assert run(dict(hard, aantal_gerealiseerd=40), fasering=[]).findings == []
    f = one(run(dict(hard, aantal_gerealiseerd=15), fasering=[]), "R18")
    assert "25" in f.message


@pytest.mark.parametrize("year, bad", [(2026, False), (2025, True), (2056, False), (2057, True),
                                       (2040, False), (1999, True)])
def test_r19_year_range(year, bad):
    p = make_plan()
    r = run(p, fasering=fas_rows(p["plan_id"], [(year, 40)]))
    if not bad:
        assert r.findings == []
        return
    assert checks(r) == {"R19.1"}
    f = one(r, "R19")
    assert f.field == "fasering.jaar" and f.fid == 0 and f.plan_id == p["plan_id"]
    assert str(year) in f.message and "2026" in f.message and "2056" in f.message


def test_r19_range_follows_peildatum():
    p = make_plan()
    fas = fas_rows(p["plan_id"], [(2026, 40)])
    assert run(p, fasering=fas, peildatum=dt.date(2026, 1, 1)).findings == []
    assert checks(run(p, fasering=fas, peildatum=dt.date(2027, 1, 1))) == {"R19.1"}


def test_r19_duplicate_year():
    p = make_plan()
    r = run(p, fasering=fas_rows(p["plan_id"], [(2027, 20), (2027, 10), (2028, 10)]))
    assert checks(r) == {"R19.2"}
    f = one(r, "R19")
    assert "2027" in f.message and "2 times" in f.message
    # the same year in two plans is fine
    q = make_plan(plan_id=uid(2), plannaam="Ander plan")
    fas = fas_rows(p["plan_id"], [(2027, 40)]) + fas_rows(q["plan_id"], [(2027, 40)])
    assert run([p, q], fasering=fas).findings == []


def test_r19_duplicates_are_the_same_year_of_the_same_plan():
    """Absurd years are out of range (R19.1), but they are not duplicates of each other."""
    p = make_plan()
    q = make_plan(plan_id="ffffffff-0000-4000-8000-000000000000", plannaam="Ander plan")
    fas = fas_rows(p["plan_id"], [(100000, 20), (100001, 20)]) + fas_rows(q["plan_id"], [(-1, 40)])
    r = run([p, q], fasering=fas)
    assert checks(r) == {"R19.1"}
    assert len(r.findings) == 3


# ---- R20 / R21 / R22 / R23 / R24 -----------------------------------------------------------


@pytest.mark.parametrize("code", ["GM344", "0344", "gm0344", "GM03440", "GM 0344"])
def test_r20_format_error(code):
    r = run(make_plan(gemeentecode=code))
    assert "R20.1" in checks(r) and "R20.2" not in checks(r)
    assert checks(r) - {"R20.1", "R22.gemeentecode"} == set()
    f = [x for x in r.findings if x.check == "R20.1"][0]
    assert f.severity == "error" and code in f.message


def test_r20_unknown_code_is_a_warning():
    r = run(make_plan(gemeentecode="GM9999"))
    assert checks(r) == {"R20.2"}
    f = one(r, "R20")
    assert f.severity == "warning" and "GM9999" in f.message and "2024" in f.message
    assert run(make_plan(gemeentecode="GM0363")).findings == []


def test_r21_price_year():
    for year in (2022, 2023, 2024, 2025, 2026):
        assert run(make_plan(prijspeil_jaar=year)).findings == []
    for year in (2021, 2027, 2030):
        r = run(make_plan(prijspeil_jaar=year))
        assert checks(r) == {"R21"}
        f = one(r, "R21")
        assert f.severity == "warning" and str(year) in f.message and "2022, 2023, 2024, 2025, 2026" in f.message


def test_r22_text_length():
    assert run(make_plan(plannaam="x" * 255)).findings == []
    r = run(make_plan(plannaam="x" * 256))
    assert checks(r) == {"R22.plannaam"}
    f = one(r, "R22")
    assert "256" in f.message and "255" in f.message
    # characters, not bytes
    assert run(make_plan(plannaam="é" * 255)).findings == []
    assert run(make_plan(opmerkingen="€" * 1000)).findings == []
    assert checks(run(make_plan(opmerkingen="€" * 1001))) == {"R22.opmerkingen"}


def test_r23_dates_after_peildatum():
    done = dict(gerealiseerd=True, aantal_gerealiseerd=40)
    assert run(make_plan(**done, datum_gerealiseerd=PEILDATUM)).findings == []
    r = run(make_plan(**done, datum_gerealiseerd=PEILDATUM + dt.timedelta(days=1)))
    assert checks(r) == {"R23.1"}
    f = one(r, "R23")
    assert f.severity == "warning" and "2026-10-02" in f.message and "2026-10-01" in f.message
    gone = dict(vervallen=True, reden_vervallen="anders")
    assert run(make_plan(**gone, datum_vervallen=PEILDATUM)).findings == []
    assert checks(run(make_plan(**gone, datum_vervallen=dt.date(2027, 1, 1)))) == {"R23.2"}
    # dates as text, as a file reader gives them
    assert checks(run(make_plan(**gone, datum_vervallen="2027-01-01"))) == {"R23.2"}


def test_r24_plan_without_dwellings():
    r = run(plan_with_bruto(0))
    assert checks(r) == {"R24"}
    assert one(r, "R24").severity == "warning"
    assert run(plan_with_bruto(0, vervallen=True, datum_vervallen=dt.date(2026, 1, 1),
                               reden_vervallen="anders")).findings == []
    assert run(plan_with_bruto(1)).findings == []


# ---- G01–G07 -----------------------------------------------------------------------------


@pytest.mark.parametrize("geom", [None, MultiPolygon(), Polygon()])
def test_g01_no_geometry(geom):
    r = run(make_plan(), [geom])
    assert rules(r) == {"G01"}
    assert one(r, "G01").severity == "error"


@pytest.mark.parametrize("geom, name", [(Point(X0, Y0), "point"),
                                        (LineString([(X0, Y0), (X0 + 100, Y0 + 100)]), "line")])
def test_g02_not_a_polygon(geom, name):
    r = run(make_plan(), [geom])
    assert rules(r) == {"G02"}
    assert f"is a {name}," in one(r, "G02").message
    r = run(make_plan(), [geom], lang="nl")
    assert {"point": "punt", "line": "lijn"}[name] in one(r, "G02").message


def test_g02_plain_polygon_is_fine():
    assert run(make_plan(), [box(X0, Y0, X0 + 100, Y0 + 100)]).findings == []


def test_g03_bowtie_with_location():
    bow = MultiPolygon([Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])])
    r = run(make_plan(), [bow])
    f = one(r, "G03")
    assert f.severity == "error"
    assert (f.x, f.y) == (X0 + 50, Y0 + 50)
    assert "(130050.0, 450050.0)" in f.message        # coordinates without thousands separators
    assert "Self-intersection" in f.message
    nl = one(run(make_plan(), [bow], lang="nl"), "G03")
    assert "zelfdoorsnijding" in nl.message and "(130050,0; 450050,0)" in nl.message


def test_g03_names_the_smallest_of_several_crossings():
    # a shell that crosses itself three times: GEOS versions name different ones (3.11 and 3.14
    # do); G03 names the crossing with the smallest x (then y), whatever the GEOS
    zig = [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 100), (X0 + 250, Y0 - 50), (X0 + 200, Y0 + 100),
           (X0 + 150, Y0 - 50), (X0 + 100, Y0 + 100), (X0 + 50, Y0 - 50), (X0, Y0 + 100)]
    f = one(run(make_plan(), [MultiPolygon([Polygon(zig)])]), "G03")
    assert "Self-intersection" in f.message
    assert f.x == pytest.approx(X0 + 50 - 50 / 3, abs=1e-6) and f.y == Y0    # GEOS 3.14: X0 + 266.67
    # a ring touching itself at a vertex: that vertex (the smallest where it touches twice)
    touch = [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 50), (X0 + 50, Y0), (X0 + 50, Y0 + 100),
             (X0 + 20, Y0 + 100), (X0 + 20, Y0), (X0 + 10, Y0 + 100), (X0, Y0 + 100)]
    f = one(run(make_plan(), [MultiPolygon([Polygon(touch)])]), "G03")
    assert "Ring Self-intersection" in f.message and (f.x, f.y) == (X0 + 20, Y0)


def test_g03_nested_holes_read_in_dutch():
    # GEOS >= 3.10 says "Holes are nested" (older GEOS "Nested holes"): both are translated
    outer = [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)]
    hole1 = [(X0 + 10, Y0 + 10), (X0 + 90, Y0 + 10), (X0 + 90, Y0 + 90), (X0 + 10, Y0 + 90)]
    hole2 = [(X0 + 20, Y0 + 20), (X0 + 80, Y0 + 20), (X0 + 80, Y0 + 80), (X0 + 20, Y0 + 80)]
    nested = MultiPolygon([Polygon(outer, [hole1, hole2])])
    nl = one(run(make_plan(), [nested], lang="nl"), "G03")
    assert "geneste gaten" in nl.message
    assert "nested" not in nl.message.lower()


def test_g04_area_boundary():
    small = MultiPolygon([box(X0, Y0, X0 + 9.99, Y0 + 1)])
    r = run(plan_with_bruto(0, vervallen=True, datum_vervallen=dt.date(2026, 1, 1),
                            reden_vervallen="anders"), [small])
    assert rules(r) == {"G04"}
    f = one(r, "G04")
    assert f.severity == "error"
    assert "9.99" in f.message and "10" in f.message
    assert "10.0 m²" not in f.message          # 9.99 m² must not read as 10 m²
    ten = MultiPolygon([box(X0, Y0, X0 + 10, Y0 + 1)])
    r = run(plan_with_bruto(0, vervallen=True, datum_vervallen=dt.date(2026, 1, 1),
                            reden_vervallen="anders"), [ten])
    assert r.findings == []


def test_g04_g07_use_the_repaired_area_of_an_invalid_plan(monkeypatch):
    """An invalid plan's area is that of its repair: a bow-tie's two triangles add up (its signed
    area is 0). The repair is done where the area decides G04 or G07, and only there."""
    from lmvw_plugin.rules import geometry
    repaired = []
    real = geometry.repaired_area

    def counting(geoms):
        repaired.append(len(geoms))
        return real(geoms)
    monkeypatch.setattr(geometry, "repaired_area", counting)

    def bowtie(w, h):                              # two triangles of w*h/4 each
        return MultiPolygon([Polygon([(X0, Y0), (X0 + w, Y0 + h), (X0 + w, Y0), (X0, Y0 + h)])])
    gone = dict(vervallen=True, datum_vervallen=dt.date(2026, 1, 1), reden_vervallen="anders")
    assert rules(run(plan_with_bruto(0, **gone), [bowtie(200, 200)])) == {"G03"}
    assert repaired == []                          # 2 ha, far from every limit: no repair needed
    r = run(plan_with_bruto(0, **gone), [bowtie(9.99, 2)])
    assert rules(r) == {"G03", "G04"} and "9.99" in one(r, "G04").message
    assert repaired == [1]
    assert rules(run(plan_with_bruto(0, **gone), [bowtie(10, 2)])) == {"G03"}
    # 2 ha hold 2000 dwellings at most
    assert rules(run(plan_with_bruto(2000), [bowtie(200, 200)])) == {"G03"}
    r = run(plan_with_bruto(2001), [bowtie(200, 200)])
    assert rules(r) == {"G03", "G07"} and "1,000.5 dwellings per hectare" in one(r, "G07").message


def test_an_edit_that_makes_an_invalid_plan_too_dense_is_found_as_in_a_full_validation():
    """The one-plan re-check repairs an invalid plan when an edit makes its area decide G07 (its
    area was only bounded until then), and finds what a full validation finds."""
    from lmvw_plugin.rules.incremental import LayerValidator
    from lmvw_plugin.standard import load
    s = load()
    bow = MultiPolygon([Polygon([(X0, Y0), (X0 + 200, Y0 + 200), (X0 + 200, Y0), (X0, Y0 + 200)])])
    t = PlanTable.from_records(s, [plan_with_bruto(10), plan_with_bruto(10, plan_id=uid(2), plannaam="B")],
                               [bow, square(1)])
    v = Validator(s, "en", PEILDATUM)
    lv = LayerValidator(v, t)
    assert {f.rule for f in lv.findings()} == {"G03"}
    assert lv.info.rough is not None and lv.info.rough[0]         # its area only bounded so far
    changed = lv.table.take([0])
    changed.columns["bruto_plancapaciteit"][0] = 2001.0          # 2 ha: 1000.5 dwellings per hectare
    lv.update(changed=changed)
    full = v.validate(lv.table)
    assert sorted((f.rule, f.message) for f in lv.findings()) == sorted((f.rule, f.message) for f in full.findings)
    assert "1,000.5 dwellings per hectare" in one(full, "G07").message


def test_g05_repeated_vertex():
    rep = MultiPolygon([Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100),
                                 (X0, Y0 + 100), (X0, Y0)])])
    r = run(make_plan(), [rep])
    f = one(r, "G05")
    assert rules(r) == {"G05"}
    assert f.severity == "warning" and (f.x, f.y) == (X0 + 100, Y0)
    assert "1 repeated" in f.message
    # the closing vertex of a ring repeats the first one by definition: not a finding
    closed = MultiPolygon([Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100), (X0, Y0)])])
    assert run(make_plan(), [closed]).findings == []
    # a hole's repeated vertex counts too
    hole = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)],
                   [[(X0 + 10, Y0 + 10), (X0 + 20, Y0 + 10), (X0 + 20, Y0 + 10), (X0 + 20, Y0 + 20),
                     (X0 + 10, Y0 + 20)]])
    assert rules(run(make_plan(), [MultiPolygon([hole])])) == {"G05"}


def test_g06_wrong_crs():
    wgs = MultiPolygon([box(5.10, 52.08, 5.12, 52.09)])         # Utrecht in EPSG:4326
    r = run(make_plan(), [wgs])
    f = one(r, "G06")
    assert f.severity == "error"
    assert "EPSG:28992" in f.message
    assert rules(r) - {"G04"} == {"G06"}
    # the extent is inclusive
    assert run(make_plan(), [MultiPolygon([box(0, 289000, 100, 289100)])]).findings == []
    assert run(make_plan(), [MultiPolygon([box(299900, 628900, 300000, 629000)])]).findings == []
    assert rules(run(make_plan(), [MultiPolygon([box(299900.5, 628900, 300000.5, 629000)])])) == {"G06"}
    assert rules(run(make_plan(), [MultiPolygon([box(-1, 400000, 99, 400100)])])) == {"G06"}


def test_g07_density():
    # 1 ha: 1000 dwellings is the maximum
    assert run(plan_with_bruto(1000), [square(size=100)]).findings == []
    r = run(plan_with_bruto(1001), [square(size=100)])
    assert rules(r) == {"G07"}
    f = one(r, "G07")
    assert f.severity == "warning"
    assert "1,001 dwellings" in f.message and "1,001 dwellings per hectare" in f.message and "1,000" in f.message
    # just above the limit never reads as the limit itself
    r = run(plan_with_bruto(2001), [MultiPolygon([box(X0, Y0, X0 + 100, Y0 + 200)])])
    f = one(r, "G07")
    assert "1,000.5" in f.message


def test_g07_area():
    side = 5000.0                                # 25 km² is the maximum
    assert run(make_plan(), [square(size=side)]).findings == []
    r = run(make_plan(), [MultiPolygon([box(X0, Y0, X0 + side, Y0 + 5100)])])
    assert rules(r) == {"G07"}
    f = one(r, "G07")
    assert "25.5 km²" in f.message and "25 km²" in f.message
    f = one(run(make_plan(), [MultiPolygon([box(X0, Y0, X0 + side, Y0 + 5001)])]), "G07")
    assert "25.0 km²" not in f.message            # 25.005 km² must not read as 25 km²


# ---- C01–C05 -------------------------------------------------------------------------------


def test_c01_duplicate_plan_id():
    a = make_plan(plannaam="A")
    b = make_plan(plannaam="B")
    r = run([a, b])
    assert rules(r) == {"C01"}
    fa, fb = sorted(r.for_rule("C01"), key=lambda f: f.fid)
    assert (fa.fid, fb.fid) == (0, 1)
    assert "2 times" in fa.message and "'B'" in fa.message and "'A'" in fb.message
    assert run([a, dict(b, plan_id=uid(2))]).findings == []


def test_c02_duplicate_name_within_a_gemeente():
    a = make_plan()
    b = make_plan(plan_id=uid(2))
    r = run([a, b])
    assert rules(r) == {"C02"}
    assert len(r.for_rule("C02")) == 2
    assert "'Centrumplan'" in r.for_rule("C02")[0].message and "GM0344" in r.for_rule("C02")[0].message
    assert run([a, dict(b, gemeentecode="GM0363")]).findings == []
    assert run([a, dict(b, plannaam="Centrumplan 2")]).findings == []


def _two(ga, gb, bruto=40):
    a = plan_with_bruto(bruto, plannaam="A")
    b = plan_with_bruto(bruto, plannaam="B", plan_id=uid(2))
    return run([a, b], [ga, gb])


def test_c03_fraction_boundary():
    a = MultiPolygon([box(X0, Y0, X0 + 100, Y0 + 100)])             # 10 000 m²: 1 % = 100 m²
    exact = MultiPolygon([box(X0 + 98, Y0 + 50, X0 + 198, Y0 + 150)])        # overlap 2 × 50 = 100
    assert _two(a, exact).findings == []
    more = MultiPolygon([box(X0 + 98, Y0 + 49.5, X0 + 198, Y0 + 149.5)])     # overlap 2 × 50.5 = 101
    r = _two(a, more)
    assert rules(r) == {"C03"}
    fa, fb = sorted(r.for_rule("C03"), key=lambda f: f.fid)
    assert fa.severity == fb.severity == "warning"
    assert "'B'" in fa.message and "'A'" in fb.message
    assert "101 m²" in fa.message and "1.0 %" in fa.message
    assert fa.x is not None and X0 + 98 <= fa.x <= X0 + 100


def test_c03_square_metre_boundary():
    small = MultiPolygon([box(X0, Y0, X0 + 10, Y0 + 5)])             # 50 m²: 1 % = 0.5 m²
    one_m2 = MultiPolygon([box(X0 + 9, Y0 + 4, X0 + 30, Y0 + 30)])   # overlap 1 × 1
    assert _two(small, one_m2, bruto=1).findings == []
    more = MultiPolygon([box(X0 + 8.5, Y0 + 4, X0 + 30, Y0 + 30)])   # overlap 1.5 × 1
    r = _two(small, more, bruto=1)
    assert rules(r) == {"C03"}
    assert "(3 % of the smaller plan)" in r.for_rule("C03")[0].message


def test_c03_touching_is_fine_identical_is_an_error():
    a = square(0)
    assert _two(a, MultiPolygon([box(X0 + 100, Y0, X0 + 200, Y0 + 100)])).findings == []
    r = _two(a, square(0))
    assert rules(r) == {"C03"}
    assert [f.severity for f in r.findings] == ["error", "error"]
    assert "same geometry" in r.findings[0].message and "'B'" in r.findings[0].message
    # same shape, vertices in another order: still identical
    b = MultiPolygon([Polygon([(X0 + 100, Y0 + 100), (X0, Y0 + 100), (X0, Y0), (X0 + 100, Y0)])])
    assert [f.severity for f in _two(a, b).findings] == ["error", "error"]


def test_c04_fasering_without_plan():
    p = make_plan()
    r = run(p, fasering=fas_rows(p["plan_id"], [(2027, 40)]) + fas_rows(uid(5), [(2027, 3), (2028, 4)]))
    assert rules(r) == {"C04"}
    f = one(r, "C04")
    assert f.fid is None and f.plan_id == uid(5) and f.severity == "error"
    assert "(count: 2)" in f.message and "row(s)" not in f.message and uid(5) in f.message


def test_c05_only_at_export():
    a = make_plan()
    b = make_plan(plan_id=uid(2), plannaam="Elders", gemeentecode="GM0363")
    assert run([a, b]).findings == []
    r = run([a, b], gemeente="GM0344")
    assert rules(r) == {"C05"}
    f = one(r, "C05")
    assert f.fid == 1 and "GM0363" in f.message and "GM0344" in f.message
    assert run([a], gemeente="GM0344").findings == []


# ---- language, peildatum, report -------------------------------------------------------------


def test_languages():
    from lmvw_plugin.standard import load
    s = load()
    assert Validator(s).lang == "nl"
    assert Validator(s, "de").lang == "en"
    nl = one(run(make_plan(eengezins=8), lang="nl"), "R04")
    en = one(run(make_plan(eengezins=8), lang="en"), "R04")
    assert nl.message.startswith("Woningtypen tellen op tot 38")
    assert en.message.startswith("Dwelling types add up to 38")
    assert one(run(make_plan(plannaam=""), lang="nl"), "R01").message.startswith("Plannaam is leeg")
    # Dutch number formatting
    big = one(run(plan_with_bruto(1001), [square(size=100)], lang="nl"), "G07")
    assert "1.001 woningen" in big.message


def test_default_peildatum_is_today():
    from lmvw_plugin.standard import load
    s = load()
    today = dt.date.today()
    v = Validator(s)
    assert v.peildatum == today
    done = dict(gerealiseerd=True, aantal_gerealiseerd=40)
    t = PlanTable.from_records(s, [make_plan(**done, datum_gerealiseerd=today, prijspeil_jaar=2026)], [square()])
    assert v.validate(t).for_rule("R23") == []
    t = PlanTable.from_records(s, [make_plan(**done, datum_gerealiseerd=today + dt.timedelta(days=1))], [square()])
    assert len(v.validate(t).for_rule("R23")) == 1
    p = make_plan()
    fas = FaseringTable.from_records(s, fas_rows(p["plan_id"], [(today.year - 1, 40)]))
    t = PlanTable.from_records(s, [p], [square()])
    assert [f.check for f in v.validate(t, fas).findings] == ["R19.1"]


def test_report_summary():
    r = run([make_plan(eengezins=8), make_plan(plan_id=uid(2), plannaam="B", prijspeil_jaar=2030)])
    assert r.summary() == {"plans": 2, "errors": 1, "warnings": 1, "by_rule": {"R04": 1, "R21": 1}}
    assert [f.fid for f in r.findings] == [0, 1]
    assert r.findings[0].plannaam == "Centrumplan" and r.findings[0].plan_id == make_plan()["plan_id"]


def test_fids_are_the_source_feature_ids():
    r = run([make_plan(eengezins=8)], fids=[42])
    assert one(r, "R04").fid == 42


def test_g04_uses_the_repaired_area_of_an_invalid_polygon():
    """A bow-tie's signed halves cancel out (0 m²): G04 judges the area of the repaired geometry."""
    import numpy as np

    from lmvw_plugin.common.geo import shapely
    from lmvw_plugin.rules.geometry import geom_info
    bowtie = shapely.from_wkt("POLYGON((130000 450000, 131000 451000, 131000 450000, 130000 451000, 130000 450000))")
    assert not bowtie.is_valid and abs(bowtie.area) < 1
    info = geom_info(np.array([bowtie], dtype=object))
    assert info.area[0] == pytest.approx(500000.0)          # two triangles of 25 ha
    tiny = shapely.from_wkt("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))")
    assert geom_info(np.array([tiny], dtype=object)).area[0] == pytest.approx(2.0)
