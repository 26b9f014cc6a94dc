"""Vectorised work in threads: GEOS and GDAL release the GIL, so a large array is split over a few
workers (reading, checking and writing geometries all use it)."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import timing

WORKERS = max(1, min(4, os.cpu_count() or 1))
PARALLEL_MIN = 2000          # below this, threads cost more than they gain


def parallel(func, *arrays, min_size: int = PARALLEL_MIN):
    """Apply a vectorised shapely function in threads (GEOS releases the GIL); `min_size` is the
    length below which one thread is faster (lower it for costly work per element)."""
    n = len(arrays[0])
    if WORKERS == 1 or n < min_size:
        return func(*arrays)
    bounds = np.linspace(0, n, WORKERS + 1).astype(int)
    work = timing.staged(timing.current(), func)        # the workers' CPU counts for the caller's stage
    with ThreadPoolExecutor(WORKERS) as pool:
        parts = list(pool.map(lambda ab: work(*(a[ab[0]:ab[1]] for a in arrays)),
                              zip(bounds[:-1], bounds[1:])))
    return np.concatenate(parts)


def background(func, *args):
    """Start func(*args) now in a thread of its own; returns its Future (for GEOS, GDAL or SQLite
    work, which releases the GIL, beside Python work)."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="lmvw")
    try:
        return pool.submit(func, *args)
    finally:
        pool.shutdown(wait=False)
