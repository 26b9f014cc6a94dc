"""Array look-ups shared by the validator and the delivery (plan ids, code lists)."""
from __future__ import annotations

import numpy as np


def lookup(keys: np.ndarray, values: np.ndarray, null: np.ndarray) -> np.ndarray:
    """For each value, its index in the sorted unique `keys`, or -1 (also for NULL values)."""
    if len(keys) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    pos = np.searchsorted(keys, values)
    pos_c = np.minimum(pos, len(keys) - 1)
    hit = (keys[pos_c] == values) & ~null
    return np.where(hit, pos_c, -1)


SMALL = 64          # rows up to which a Python set beats np.isin (~70 µs a call: the dock's one-plan re-check)


def isin_text(values: np.ndarray, codes) -> np.ndarray:
    """np.isin(values, codes as str) for a unicode array; through a set for a few rows."""
    if len(values) <= SMALL:
        s = {c if type(c) is str else str(np.asarray(c, dtype=str)) for c in codes}
        return np.fromiter((v in s for v in values.tolist()), dtype=bool, count=len(values))
    return np.isin(values, np.asarray(list(codes), dtype=str))
