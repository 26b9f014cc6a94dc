"""The province readers' columnar path (`_Reverser.table` + `finish_table`, a field at a time for all
plans) gives what the plan-at-a-time path (`records` + `finish`, as `reverse_plan` reads one plan)
gives: the same fields in the same order, the same values, the same problems in the same order, the
same plan ids. Pure: no QGIS application."""
from __future__ import annotations

from itertools import chain, repeat

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmvw_plugin.delivery import import_province as ip
from lmvw_plugin.standard import load
from lmvw_plugin.standard.provinces import extend, load_province

UUID = "3933ffa6-fd37-4a15-83b0-585c54790908"


@pytest.fixture(scope="module", params=["gelderland", "zuid-holland"])
def reverser(request):
    province = load_province(request.param)
    return ip._Reverser(province, extend(load(), province))


def _row_wise(r, cols, n, aggs, wheres):
    """The plan-at-a-time reading: what `_source` made before the columnar path."""
    recs = r.records(cols, n)
    problems = []
    for rec, agg, where in zip(recs, aggs, wheres):
        r.finish(rec, agg, problems, where)
    order = dict.fromkeys(chain.from_iterable(recs))
    return {k: list(map(dict.get, recs, repeat(k))) for k in order}, problems


def _columnar(r, cols, n, sums, wheres, plain):
    t = r.table(cols, n, plain)
    problems = r.finish_table(t, sums, wheres)
    return t.columns(), problems


def _scalars(codes):
    return st.one_of(st.none(), st.just(""), st.integers(-3, 40), st.sampled_from(["7", "x", " 12", "1.5", UUID,
                                                                                   "{" + UUID.upper() + "}"]),
                     st.floats(-2, 30, allow_nan=False), st.sampled_from(codes or ["a"]), st.booleans())


@st.composite
def plans(draw, r, absent: bool):
    n = draw(st.integers(0, 7))
    codes = sorted({k for _t, _n, values, _s in r.specs if values for k in values})
    value = _scalars(codes)
    if absent:
        value = st.one_of(value, st.just(ip._ABSENT), st.lists(st.integers(0, 3), max_size=3))
    # a few fields of each kind at random, most of them present: a column is either there or not
    names = r.wanted
    cols = {}
    for name in names:
        if draw(st.integers(0, 4)) == 0:
            continue
        cols[name] = draw(st.lists(value, min_size=n, max_size=n))
    yc = r.yc
    tn, kn = len(yc["type_order"]), len(yc["class_order"])
    small = st.integers(0, 6) | st.just(0)
    by_type = np.array(draw(st.lists(st.lists(small, min_size=tn, max_size=tn), min_size=n, max_size=n)),
                       dtype=np.int64).reshape(n, tn)
    by_class = np.array(draw(st.lists(st.lists(small, min_size=kn, max_size=kn), min_size=n, max_size=n)),
                        dtype=np.int64).reshape(n, kn)
    totals = [np.array(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n)), dtype=np.int64) for _ in range(4)]
    fasering = [[{"jaar": 2030, "aantal": 1, "sloop": 0}] for _ in range(n)]
    return n, cols, ip._Sums(by_type, by_class, *totals, fasering)


def _check(r, n, cols, sums, plain):
    wheres = [f"plan {i}" for i in range(n)]
    want_cols, want_problems = _row_wise(r, cols, n, sums.rows(r.yc), wheres)
    got_cols, got_problems = _columnar(r, cols, n, sums, wheres, plain)
    assert list(got_cols) == list(want_cols)
    assert got_cols == want_cols
    assert got_problems == want_problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_columnar_reading_equals_the_plan_at_a_time_reading(reverser, data):
    n, cols, sums = data.draw(plans(reverser, absent=True))
    _check(reverser, n, cols, sums, plain=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_columnar_reading_of_a_layer_read_by_columns_equals_it_too(reverser, data):
    n, cols, sums = data.draw(plans(reverser, absent=False))
    _check(reverser, n, cols, sums, plain=True)


def test_the_columnar_path_hands_counts_beyond_int64_to_the_plan_at_a_time_path(reverser):
    """A count int64 cannot sum exactly raises _TooBig (the reader then reads a plan at a time)."""
    field = next(k for k, _parts in reverser.computed) if reverser.computed else "bruto_plancapaciteit"
    cols = {name: [None, 3] for name in reverser.wanted}
    cols[field] = [2 ** 70, 5]
    t = ip._Table(2)
    t.put_all("x", [2 ** 70, 1])
    with pytest.raises(ip._TooBig):
        t.ints("x")
    if reverser.computed:
        with pytest.raises(ip._TooBig):
            reverser.table(cols, 2, plain=True)


def test_a_grouped_class_split_comes_out_as_finish_gives_it(reverser):
    """A plan whose price class maps onto two fields and whose file holds neither: the whole class in
    the group's onbekend field, reported (the plan-at-a-time part of the columnar path)."""
    yc = reverser.yc
    k = yc["class_order"].index("huur2")
    by_class = np.zeros((2, len(yc["class_order"])), dtype=np.int64)
    by_class[0, k] = 4
    sums = ip._Sums(np.zeros((2, len(yc["type_order"])), dtype=np.int64), by_class,
                    *(np.array([4, 0], dtype=np.int64) for _ in range(4)), [[], []])
    cols = {name: [None, None] for name in reverser.wanted
            if name not in {s[1] for s in reverser.specs if s[0] in reverser.class_fields}}
    for name in [c for c, _p in reverser.computed]:
        cols.pop(name, None)
    _check(reverser, 2, cols, sums, plain=True)
    _c, problems = _columnar(reverser, cols, 2, sums, ["a", "b"], True)
    assert "class_split" in [p.kind for p in problems if p.source == "a"]
    assert [p.kind for p in problems if p.source == "b"] == []
