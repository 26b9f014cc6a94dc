"""Where a run's time goes: named stages with their wall time and CPU time, per thread.

Off unless `enable()` was called (the command line does so when the environment variable
LMVW_TIMINGS names a file, see `bench/breakdown.py`); then every `with stage("name"):` records
its interval and the CPU time of its thread. A stage inside another one in the same thread pauses
the outer one, so CPU time is never counted twice; the same name in several threads (chunks
over a pool) adds up. `summary()` turns the records into shares of the wall time and of the CPU
capacity (wall time x cores), so that idle cores show.
"""
from __future__ import annotations

import json
import os
import resource
import threading
import time
from contextlib import contextmanager
from typing import Any, Dict, List, Optional

_rows: Optional[List[tuple]] = None
_local = threading.local()
_t0 = 0.0
_cpu0 = 0.0


def _process_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def enable() -> None:
    global _rows, _t0, _cpu0
    _rows = []
    _t0 = time.perf_counter()
    _cpu0 = _process_cpu()


def enabled() -> bool:
    return _rows is not None


def _close(top: list, wall: float, cpu: float) -> None:
    _rows.append((top[0], top[1], wall, cpu - top[2]))


@contextmanager
def stage(name: str):
    """Time the block as stage `name` (no cost when timings are off)."""
    if _rows is None:
        yield
        return
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    wall, cpu = time.perf_counter(), time.thread_time()
    if stack:
        _close(stack[-1], wall, cpu)
    stack.append([name, wall, cpu])
    try:
        yield
    finally:
        wall, cpu = time.perf_counter(), time.thread_time()
        _close(stack.pop(), wall, cpu)
        if stack:
            stack[-1][1], stack[-1][2] = wall, cpu


def current() -> Optional[str]:
    """The stage this thread is in (None when timings are off or outside any stage)."""
    stack = getattr(_local, "stack", None) if _rows is not None else None
    return stack[-1][0] if stack else None


def staged(name: Optional[str], func):
    """`func` wrapped in stage(name) (for work handed to a pool); func itself when name is None."""
    if name is None:
        return func

    def run(*args, **kw):
        with stage(name):
            return func(*args, **kw)
    return run


def _since_process_start() -> Optional[float]:
    """Seconds since this process started (from /proc; None where there is none)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))


def _union(intervals: List[tuple]) -> float:
    total, end = 0.0, None
    for a, b in sorted(intervals):
        if end is None or a > end:
            total += b - a
            end = b
        elif b > end:
            total += b - end
            end = b
    return total


def summary() -> Dict[str, Any]:
    """The stages in order of first start: wall (time any thread spent in it), cpu (summed over
    threads), the time from the process's start until enable() (the interpreter's start), and the
    process's totals so far."""
    rows = list(_rows or [])
    now = time.perf_counter()
    cpu_total = _process_cpu()
    since_start = _since_process_start()
    before = (since_start - (now - _t0)) if since_start is not None else 0.0
    order: List[str] = []
    by: Dict[str, List[tuple]] = {}
    for name, a, b, cpu in sorted(rows, key=lambda r: r[1]):
        if name not in by:
            order.append(name)
            by[name] = []
        by[name].append((a, b, cpu))
    stages = [{"stage": name, "wall_s": _union([(a, b) for a, b, _ in by[name]]),
               "cpu_s": sum(c for _, _, c in by[name])} for name in order]
    return {"cores": os.cpu_count() or 1,
            "start": {"wall_s": max(0.0, before), "cpu_s": _cpu0},      # interpreter start, until enable()
            "wall_s": max(0.0, before) + (now - _t0), "cpu_s": cpu_total, "stages": stages}


def write(path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(summary(), fh, indent=2)
