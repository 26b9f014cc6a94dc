"""Whole-number distributions with exact margins (pure numpy, no qgis).

The province formats want per-year figures per category (woningtype, price class, Zeeland's
groups); Basisset has per-year totals and per-category plan totals only. Where a user has not
recorded the split, the export distributes deterministically so that

- every cell is a whole number >= 0,
- every year's cells sum to that year's `aantal`,
- every category's cells over the years plus its realised part sum to the plan's category count.

(DIWI rounds every cell on its own and loses dwellings; this never does.)

The method is proportional fill with largest-remainder rounding, row by row against what is left
of the column margin: each row takes its share of every column's remainder, rounded down, and hands
out the rest one by one to the largest fractions (ties to the first column). A share never exceeds
what is left of a column, so no cell is negative and the last row takes exactly the remainder.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np


class DistributionError(ValueError):
    """The margins do not add up to the same total (a plan with errors: R04/R05/R17), or a
    recorded split exceeds a category's total."""

    def __init__(self, reason: str, rows_total: int = 0, cols_total: int = 0, category: Optional[int] = None):
        super().__init__(f"{reason}: rows {rows_total}, columns {cols_total}")
        self.reason = reason                  # unequal_margins | negative | recorded_exceeds
        self.rows_total = rows_total
        self.cols_total = cols_total
        self.category = category


def _ints(values: Sequence, name: str) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        if (values < 0).any():
            raise DistributionError("negative", int(values.sum()), 0)
        return values.astype(np.int64)
    a = np.asarray([0 if v is None or (isinstance(v, float) and v != v) else v for v in values], dtype=float)
    if (a < 0).any():
        raise DistributionError("negative", int(a.sum()), 0)
    return np.rint(a).astype(np.int64)


def apportion(total: int, weights: Sequence, caps: Optional[Sequence] = None) -> np.ndarray:
    """`total` split over `weights` in whole numbers (largest remainder; ties to the first), each
    part at most its cap (default: its weight). Requires total <= sum of caps; with weights that
    sum to more than zero the parts follow the weights, else they fill the caps in order."""
    w = _ints(weights, "weights")
    cap = w if caps is None else _ints(caps, "caps")
    total = int(total)
    if total < 0 or total > int(cap.sum()):
        raise DistributionError("unequal_margins", total, int(cap.sum()))
    return _apportion(total, w, cap)


def _apportion(total: int, w, cap) -> np.ndarray:
    """apportion() on checked whole numbers (the inner loop of fill)."""
    return np.asarray(_apportion_py(int(total), [int(x) for x in w], [int(x) for x in cap]), dtype=np.int64)


def _apportion_py(total: int, w: List[int], cap: List[int]) -> List[int]:
    """The same on Python ints: the vectors are short (3 to 20 categories), where numpy's per-call cost
    outweighs its speed. Exact integer shares floor(total * b / sum b), no float rounding."""
    n = len(w)
    if total == 0:
        return [0] * n
    wsum = sum(w)
    basis = w if wsum > 0 else cap
    bsum = wsum if wsum > 0 else sum(cap)
    out = [0] * n
    frac = [0] * n
    for i in range(n):
        q, r = divmod(total * basis[i], bsum)
        if q >= cap[i]:
            q, r = cap[i], 0
        out[i] = q
        frac[i] = r
    rest = total - sum(out)
    if rest:
        for i in sorted((i for i in range(n) if out[i] < cap[i]), key=lambda i: (-frac[i], i)):
            if rest == 0:
                break
            out[i] += 1
            rest -= 1
        i = 0
        while rest:                               # only when caps bind before the remainders run out
            if out[i] < cap[i]:
                out[i] += 1
                rest -= 1
            i = (i + 1) % n
    return out


def fill(row_totals: Sequence, col_totals: Sequence) -> np.ndarray:
    """A whole-number matrix >= 0 whose row sums are `row_totals` and column sums `col_totals`
    (both must sum to the same total: DistributionError otherwise)."""
    rows = _ints(row_totals, "rows")
    cols = _ints(col_totals, "cols")
    if int(rows.sum()) != int(cols.sum()):
        raise DistributionError("unequal_margins", int(rows.sum()), int(cols.sum()))
    return _fill(rows, cols)


def _fill(rows, cols) -> np.ndarray:
    left = [int(c) for c in cols]
    out = []
    for total in (int(r) for r in rows):
        row = _apportion_py(total, left, left) if total else [0] * len(left)
        left = [a - b for a, b in zip(left, row)]
        out.append(row)
    return np.asarray(out, dtype=np.int64).reshape(len(out), len(left))


def distribute(year_totals: Sequence, category_totals: Sequence, realised: int = 0,
               recorded: Optional[Dict[int, Sequence]] = None):
    """Split a plan over years × categories.

    `year_totals[y]`: fasering.aantal of year row y; `category_totals[c]`: the plan's count of
    category c (bruto, so the categories sum to the bruto capacity); `realised`: aantal_gerealiseerd;
    `recorded`: year row -> the category vector the user recorded for that year (kept as is).

    Returns (cells, realised_parts): cells[y, c] with sum over c = year_totals[y] and
    sum over y + realised_parts[c] = category_totals[c]. The realised dwellings are split over the
    categories in proportion to them first (so both margins hold when sum(year_totals) + realised
    = sum(category_totals), rule R17 with R04/R05). DistributionError when the margins cannot hold."""
    years = _ints(year_totals, "years")
    cats = _ints(category_totals, "categories")
    realised = int(realised or 0)
    if realised < 0 or realised > int(cats.sum()):
        raise DistributionError("unequal_margins", realised, int(cats.sum()))
    if int(years.sum()) + realised != int(cats.sum()):
        raise DistributionError("unequal_margins", int(years.sum()) + realised, int(cats.sum()))
    recorded = recorded or {}
    fixed = np.zeros((len(years), len(cats)), dtype=np.int64)
    free = np.ones(len(years), dtype=bool)
    for y, vec in recorded.items():
        v = _ints(vec, "recorded")
        if len(v) != len(cats) or int(v.sum()) != int(years[y]):
            raise DistributionError("unequal_margins", int(v.sum()), int(years[y]))
        fixed[y] = v
        free[y] = False
    left = cats - fixed.sum(axis=0)
    if (left < 0).any():
        c = int(np.nonzero(left < 0)[0][0])
        raise DistributionError("recorded_exceeds", int(fixed[:, c].sum()), int(cats[c]), c)
    # the realised part: in proportion to what the recorded years leave of each category
    parts = _apportion(realised, left, left)
    cells = fixed
    cells[free] = _fill(years[free], left - parts)
    return cells, parts


def joint(row_totals: Sequence, col_totals: Sequence) -> np.ndarray:
    """One year's type × class matrix from its type vector and class vector (same total)."""
    return fill(row_totals, col_totals)


def margins_ok(cells: np.ndarray, year_totals: Sequence, category_totals: Sequence,
               realised_parts: Sequence) -> List[str]:
    """What is wrong with a distribution (empty when every margin is exact and no cell is < 0)."""
    problems: List[str] = []
    cells = np.asarray(cells)
    if (cells < 0).any():
        problems.append("negative cell")
    if not np.array_equal(cells.sum(axis=1), np.asarray(year_totals, dtype=np.int64)):
        problems.append("year sums")
    if not np.array_equal(cells.sum(axis=0) + np.asarray(realised_parts, dtype=np.int64),
                          np.asarray(category_totals, dtype=np.int64)):
        problems.append("category sums")
    return problems


# ------------------------------------------------------------------------------------------------
# many at once: the same results as fill() / distribute() / joint(), plan by plan, in a few numpy calls


def _apportion_rows(total: np.ndarray, left: np.ndarray) -> np.ndarray:
    """_apportion_py(total[b], left[b], left[b]) for every row b of `left` (B × C), with
    0 <= total[b] <= left[b].sum(). Weights and caps are the same vector, so a share never reaches
    its cap unless it is exact, and the rest (< the number of non-zero remainders) goes one by one
    to the largest remainders, ties to the first column: a stable sort of -remainder."""
    lsum = left.sum(axis=1)
    div = np.where(lsum > 0, lsum, 1)[:, None]
    num = total[:, None] * left
    q, r = np.divmod(num, div)
    rest = total - q.sum(axis=1)
    if rest.any():
        order = np.argsort(-r, axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.broadcast_to(np.arange(left.shape[1]), order.shape), axis=1)
        q += rank < rest[:, None]
    return q


def fill_many(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """fill(rows[b], cols[b]) for every b: `rows` B × Y and `cols` B × C whole numbers >= 0 with
    equal sums per b (not checked: see distribute_many). Returns B × Y × C."""
    rows = np.asarray(rows, dtype=np.int64)
    left = np.array(cols, dtype=np.int64)
    out = np.zeros((rows.shape[0], rows.shape[1], left.shape[1]), dtype=np.int64)
    for y in range(rows.shape[1]):
        cell = _apportion_rows(rows[:, y], left)
        out[:, y] = cell
        left -= cell
    return out


def distribute_many(years: np.ndarray, cats: np.ndarray, realised: np.ndarray,
                    fixed: np.ndarray, free: np.ndarray):
    """distribute() for B plans with the same number of years Y at once.

    `years` B × Y, `cats` B × C, `realised` B, `fixed` B × Y × C (the recorded vectors, 0 elsewhere),
    `free` B × Y (False where a year is recorded). Returns (cells B × Y × C, parts B × C, ok B):
    where ok[b], cells[b] and parts[b] are exactly distribute()'s; where not, distribute() raises
    DistributionError for that plan (and cells[b], parts[b] are zeros)."""
    years = np.asarray(years, dtype=np.int64)
    cats = np.asarray(cats, dtype=np.int64)
    realised = np.asarray(realised, dtype=np.int64)
    fixed = np.asarray(fixed, dtype=np.int64)
    free = np.asarray(free, dtype=bool)
    b, ny, nc = fixed.shape
    csum = cats.sum(axis=1)
    ok = ((years >= 0).all(axis=1) & (cats >= 0).all(axis=1) & (realised >= 0) & (realised <= csum)
          & (years.sum(axis=1) + realised == csum) & (fixed >= 0).all(axis=(1, 2))
          & (free | (fixed.sum(axis=2) == years)).all(axis=1))
    fixed = np.where(free[:, :, None], 0, fixed)
    left = cats - fixed.sum(axis=1)
    ok &= (left >= 0).all(axis=1)
    left = np.where(ok[:, None], left, 0)
    parts = _apportion_rows(np.where(ok, realised, 0), left)
    free_totals = np.where(free & ok[:, None], years, 0)
    cells = fill_many(free_totals, left - parts) + np.where(ok[:, None, None], fixed, 0)
    return cells, parts, ok
