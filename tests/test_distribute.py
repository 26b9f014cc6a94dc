"""The years × categories distribution: whole numbers >= 0, every margin exact (per year the cells
sum to its aantal; per category the years plus the realised part sum to the plan's count), for
random plans, with and without recorded years."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmvw_plugin.delivery import distribute as D


def split(total: int, k: int, draw) -> list:
    """`total` as k random non-negative parts."""
    if k == 1:
        return [total]
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=k - 1, max_size=k - 1)))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


@st.composite
def plans(draw):
    bruto = draw(st.integers(0, 5000))
    cats = split(bruto, draw(st.integers(1, 11)), draw)
    realised = draw(st.integers(0, bruto))
    years = split(bruto - realised, draw(st.integers(1, 12)), draw)
    return years, cats, realised


@settings(max_examples=300, deadline=None)
@given(plans())
def test_every_margin_is_exact_and_no_cell_is_negative(plan):
    years, cats, realised = plan
    cells, parts = D.distribute(years, cats, realised)
    assert cells.dtype.kind == "i" and cells.shape == (len(years), len(cats))
    assert (cells >= 0).all() and (parts >= 0).all()
    assert cells.sum(axis=1).tolist() == years
    assert (cells.sum(axis=0) + parts).tolist() == cats
    assert int(parts.sum()) == realised
    assert D.margins_ok(cells, years, cats, parts) == []


@settings(max_examples=200, deadline=None)
@given(plans(), st.data())
def test_recorded_years_are_kept_and_the_rest_still_adds_up(plan, data):
    years, cats, realised = plan
    full, _ = D.distribute(years, cats, realised)
    # a user records some years as they are in a valid split (so the recorded split fits the plan)
    chosen = data.draw(st.sets(st.integers(0, len(years) - 1)))
    recorded = {y: full[y].tolist() for y in chosen}
    cells, parts = D.distribute(years, cats, realised, recorded)
    for y, vec in recorded.items():
        assert cells[y].tolist() == vec
    assert D.margins_ok(cells, years, cats, parts) == []


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_years_type_by_class_matrix_has_both_margins(data):
    total = data.draw(st.integers(0, 3000))
    rows = split(total, 3, data.draw)
    cols = split(total, 11, data.draw)
    m = D.joint(rows, cols)
    assert (m >= 0).all()
    assert m.sum(axis=1).tolist() == rows and m.sum(axis=0).tolist() == cols


def test_the_distribution_follows_the_shares_and_is_deterministic():
    cells, parts = D.distribute([50, 50], [30, 70], 0)
    assert cells.tolist() == [[15, 35], [15, 35]]
    again, _ = D.distribute([50, 50], [30, 70], 0)
    assert np.array_equal(cells, again)
    # thirds are not lost: rounding each cell on its own (DIWI) gives 33 + 33 + 33 = 99 of 100
    cells, _ = D.distribute([50, 50], [34, 33, 33], 0)
    assert cells.sum() == 100 and cells.sum(axis=0).tolist() == [34, 33, 33]


def test_a_small_plan_is_not_rounded_away():
    cells, parts = D.distribute([1, 1, 1], [1, 1, 1], 0)
    assert cells.sum(axis=1).tolist() == [1, 1, 1] and cells.sum(axis=0).tolist() == [1, 1, 1]


def test_margins_that_do_not_add_up_are_refused():
    with pytest.raises(D.DistributionError) as e:
        D.distribute([10, 10], [5, 5], 0)                # R17/R04 broken
    assert e.value.reason == "unequal_margins"
    with pytest.raises(D.DistributionError):
        D.distribute([5], [5, 5], 20)                    # more realised than planned
    with pytest.raises(D.DistributionError) as e:
        D.distribute([5, 5], [2, 8], 0, {0: [5, 0]})     # the recorded year takes more of category 0 than there is
    assert e.value.reason == "recorded_exceeds" and e.value.category == 0
    with pytest.raises(D.DistributionError):
        D.distribute([5, 5], [2, 8], 0, {0: [1, 1]})     # a recorded year that does not add up to its aantal
    with pytest.raises(D.DistributionError) as e:
        D.distribute([-1, 11], [5, 5], 0)
    assert e.value.reason == "negative"


def test_null_counts_are_zero():
    cells, parts = D.distribute([None, 4.0], [float("nan"), 4], 0)
    assert cells.tolist() == [[0, 0], [0, 4]]


# ------------------------------------------------------------------------------------------------
# distribute_many / fill_many (all plans at once, numpy) give exactly what distribute() / fill()
# give plan by plan (the reference, kept as it was), for random plans: valid ones, ones whose margins
# do not add up (refused the same way), with and without recorded years (fitting or not).



def reference(years, cats, realised, recorded):
    try:
        cells, parts = D.distribute(np.asarray(years, dtype=np.int64), np.asarray(cats, dtype=np.int64),
                                    realised, recorded)
    except D.DistributionError:
        return None
    return cells.tolist(), parts.tolist()


@st.composite
def batches(draw):
    """B plans with the same number of years and categories; some broken, some with recorded years."""
    ny = draw(st.integers(1, 6))
    nc = draw(st.integers(1, 10))
    out = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["valid", "valid", "recorded", "random"]))
        if kind == "random":      # anything, mostly margins that do not add up, sometimes negative
            years = draw(st.lists(st.integers(-3, 60), min_size=ny, max_size=ny))
            cats = draw(st.lists(st.integers(-3, 60), min_size=nc, max_size=nc))
            realised = draw(st.integers(-2, 40))
        else:
            years, cats, realised = draw(plans())
            years = (years + [0] * ny)[:ny]
            cats = (cats + [0] * nc)[:nc]
            if sum(years) + realised != sum(cats):          # truncation broke the margins: re-balance
                diff = sum(cats) - sum(years) - realised
                if diff >= 0:
                    years[0] += diff
                else:
                    cats[0] -= diff
        recorded = {}
        if kind != "random" or draw(st.booleans()):
            for y in draw(st.sets(st.integers(0, ny - 1))):
                if draw(st.booleans()):     # fitting: a share of the year
                    vec = D.apportion(max(years[y], 0), [max(c, 0) for c in cats]).tolist() \
                        if 0 <= years[y] <= sum(max(c, 0) for c in cats) else [years[y]] + [0] * (nc - 1)
                else:
                    vec = draw(st.lists(st.integers(-1, 30), min_size=nc, max_size=nc))
                recorded[y] = vec
        out.append((years, cats, realised, recorded))
    return ny, nc, out


@settings(max_examples=400, deadline=None)
@given(batches())
def test_distribute_many_is_distribute_plan_by_plan(batch):
    ny, nc, items = batch
    b = len(items)
    years = np.array([it[0] for it in items], dtype=np.int64).reshape(b, ny)
    cats = np.array([it[1] for it in items], dtype=np.int64).reshape(b, nc)
    realised = np.array([it[2] for it in items], dtype=np.int64)
    fixed = np.zeros((b, ny, nc), dtype=np.int64)
    free = np.ones((b, ny), dtype=bool)
    for k, it in enumerate(items):
        for y, vec in it[3].items():
            fixed[k, y] = vec
            free[k, y] = False
    cells, parts, ok = D.distribute_many(years, cats, realised, fixed, free)
    for k, it in enumerate(items):
        want = reference(*it)
        if want is None:
            assert not ok[k]
        else:
            assert ok[k]
            assert (cells[k].tolist(), parts[k].tolist()) == want


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fill_many_is_fill_row_by_row(data):
    nr, nc, b = data.draw(st.integers(1, 8)), data.draw(st.integers(1, 12)), data.draw(st.integers(1, 6))
    rows, cols = [], []
    for _ in range(b):
        total = data.draw(st.integers(0, 3000))
        rows.append(split(total, nr, data.draw))
        cols.append(split(total, nc, data.draw))
    got = D.fill_many(np.array(rows), np.array(cols))
    for k in range(b):
        assert got[k].tolist() == D.fill(rows[k], cols[k]).tolist()
