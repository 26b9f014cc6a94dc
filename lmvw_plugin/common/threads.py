"""Vectorised work in threads: GEOS and GDAL release the GIL, so a large array is split into chunks
over a few workers (reading, checking and writing geometries all use it). The chunks' results are
put together in order, so the outcome is the same as in one thread (tests/test_parallel.py).

LMVW_THREADS=1 in the environment makes everything run in the calling thread (also for comparing)."""
from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Optional

import numpy as np

from . import timing


def _workers() -> int:
    try:
        wanted = int(os.environ.get("LMVW_THREADS", "") or 0)
    except ValueError:
        wanted = 0
    return max(1, wanted if wanted > 0 else min(4, os.cpu_count() or 1))


WORKERS = _workers()
PARALLEL_MIN = 2000          # below this, threads cost more than they gain
CHUNKS_PER_WORKER = 4        # more chunks than workers: a worker slowed by costly rows or by other
                             # work on the machine does not hold up the rest


def chunks(n: int, min_size: int) -> np.ndarray:
    """Boundaries of the chunks of n rows (one chunk when it is not worth threads)."""
    if WORKERS == 1 or n < min_size:
        return np.array([0, n])
    k = max(WORKERS, min(WORKERS * CHUNKS_PER_WORKER, n // max(1, min_size // WORKERS)))
    return np.linspace(0, n, k + 1).astype(int)


def parallel(func, *arrays, min_size: Optional[int] = None):
    """Apply a vectorised shapely function in threads (GEOS releases the GIL); `min_size` is the
    length below which one thread is faster (lower it for costly work per element)."""
    n = len(arrays[0])
    bounds = chunks(n, PARALLEL_MIN if min_size is None else min_size)
    if len(bounds) == 2:
        return func(*arrays)
    work = timing.staged(timing.current(), func)        # the workers' CPU counts for the caller's stage
    with ThreadPoolExecutor(WORKERS) as pool:
        parts = list(pool.map(lambda ab: work(*(a[ab[0]:ab[1]] for a in arrays)),
                              zip(bounds[:-1], bounds[1:])))
    return np.concatenate(parts)


def background(func, *args):
    """Start func(*args) now in a thread of its own; returns its Future (for GEOS, GDAL or SQLite
    work, which releases the GIL, beside Python work). With one worker: run now, in this thread."""
    if WORKERS == 1:
        done: Future = Future()
        try:
            done.set_result(func(*args))
        except BaseException as e:          # noqa: BLE001 - raised by result(), as from a thread
            done.set_exception(e)
        return done
    pool = ThreadPoolExecutor(1, thread_name_prefix="lmvw")
    try:
        return pool.submit(func, *args)
    finally:
        pool.shutdown(wait=False)
