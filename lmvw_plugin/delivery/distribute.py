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
    out = np.zeros(len(w), dtype=np.int64)
    if total == 0:
        return out
    basis = w if w.sum() > 0 else cap
    quota = total * basis.astype(float) / float(basis.sum())
    out = np.minimum(np.floor(quota + 1e-9).astype(np.int64), cap)
    rest = total - int(out.sum())
    if rest:
        frac = quota - out
        order = sorted(range(len(w)), key=lambda i: (-round(frac[i], 9), i))
        for i in order:
            if rest == 0:
                break
            if out[i] < cap[i]:
                out[i] += 1
                rest -= 1
        i = 0
        while rest:                               # only when caps bind before the fractions run out
            if out[i] < cap[i]:
                out[i] += 1
                rest -= 1
            i = (i + 1) % len(w)
    return out


def fill(row_totals: Sequence, col_totals: Sequence) -> np.ndarray:
    """A whole-number matrix >= 0 whose row sums are `row_totals` and column sums `col_totals`
    (both must sum to the same total: DistributionError otherwise)."""
    rows = _ints(row_totals, "rows")
    cols = _ints(col_totals, "cols")
    if int(rows.sum()) != int(cols.sum()):
        raise DistributionError("unequal_margins", int(rows.sum()), int(cols.sum()))
    out = np.zeros((len(rows), len(cols)), dtype=np.int64)
    left = cols.copy()
    for r, total in enumerate(rows.tolist()):
        if total:
            out[r] = apportion(total, left, left)
            left -= out[r]
    return out


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
    parts = apportion(realised, left, left)
    cells = fixed
    cells[free] = fill(years[free], left - parts)
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
