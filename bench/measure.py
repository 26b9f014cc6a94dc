"""Run a command as a child process and measure its wall time and peak memory (max RSS).

Peak memory needs care on Linux: a process's ru_maxrss starts from the high-water mark of the
memory it was forked from (exec keeps the larger of the two), so a command forked straight from
the benchmark's own (large) Python process would report at least the benchmark's RSS. Each
command is therefore started through a small launcher that forks and execs it and reads the
child's rusage with wait4(): GNU `/usr/bin/time` when present (floor ~1 MiB), else this file run
as `python -I -S measure.py --launch RESULT -- CMD...` (floor ~8 MiB). The figure is the peak RSS
of the command's process (for a command that waits for children of its own: the largest of
them, not the sum).

Wall time is measured here, around the launcher (its overhead is about a millisecond).
The machine's other CPU use during a run (all CPU time in /proc/stat minus the command's own) is
recorded too, so that a run disturbed by other work on the machine can be recognised;
`wait_idle()` waits for a quiet machine before a run.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional, Sequence

_TIME = "/usr/bin/time"


@dataclass
class Run:
    cmd: List[str]
    wall_s: float
    maxrss_mib: float
    user_s: float
    sys_s: float
    returncode: int
    log: str
    launcher: str
    other_cores: float = 0.0        # average CPU use of everything else during the run (cores)

    def as_dict(self) -> Dict:
        return asdict(self)


def _gnu_time() -> bool:
    if not os.access(_TIME, os.X_OK):
        return False
    try:
        r = subprocess.run([_TIME, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "GNU" in (r.stdout + r.stderr)


LAUNCHER = "gnu-time" if _gnu_time() else "python-wait4"


_TICK = float(os.sysconf("SC_CLK_TCK")) if hasattr(os, "sysconf") else 100.0


def cpu_busy_s() -> float:
    """CPU seconds spent by the whole machine (all CPUs, not idle/iowait) since boot; 0 if unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            f = fh.readline().split()
    except OSError:
        return 0.0
    if not f or f[0] != "cpu":
        return 0.0
    v = [int(x) for x in f[1:9]]          # user nice system idle iowait irq softirq steal
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / _TICK


def busy_cores(seconds: float = 1.0) -> float:
    """Average number of busy CPUs over `seconds` (call it while this process idles)."""
    a, t = cpu_busy_s(), time.perf_counter()
    time.sleep(seconds)
    return (cpu_busy_s() - a) / max(time.perf_counter() - t, 1e-6)


def wait_idle(max_wait: float, threshold: float = 0.25, log=None) -> float:
    """Wait (up to max_wait seconds) until the machine uses less than `threshold` CPUs;
    returns the last load seen."""
    t0 = time.perf_counter()
    load = busy_cores()
    said = False
    while load >= threshold and time.perf_counter() - t0 < max_wait:
        if log and not said:
            log(f"machine busy ({load:.1f} CPUs in use by other processes): waiting up to {max_wait:.0f} s")
            said = True
        load = busy_cores(2.0)
    return load


def run(cmd: Sequence[str], log: str, env: Optional[Dict[str, str]] = None, cwd: Optional[str] = None,
        timeout: float = 7200.0) -> Run:
    """Run cmd with stdout+stderr to the file `log`; never raises on a non-zero exit."""
    cmd = [str(c) for c in cmd]
    fd, res = tempfile.mkstemp(prefix="bench-rusage-", suffix=".txt")
    os.close(fd)
    try:
        if LAUNCHER == "gnu-time":
            full = [_TIME, "-o", res, "-f", "%M %U %S %x"] + cmd
        else:
            full = [sys.executable, "-I", "-S", os.path.abspath(__file__), "--launch", res, "--"] + cmd
        with open(log, "wb") as fh:
            busy0 = cpu_busy_s()
            t0 = time.perf_counter()
            p = subprocess.Popen(full, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 env=env, cwd=cwd)
            try:
                rc = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
            wall = time.perf_counter() - t0
            busy = cpu_busy_s() - busy0
        with open(res, encoding="utf-8", errors="replace") as fh:
            lines = [ln for ln in fh.read().splitlines() if ln.strip()]
        maxrss_kib, user, sys_, code = -1.0, 0.0, 0.0, rc
        if lines:
            parts = lines[-1].split()
            try:
                maxrss_kib, user, sys_ = float(parts[0]), float(parts[1]), float(parts[2])
                code = int(parts[3])
            except (ValueError, IndexError):
                pass
        if any("terminated by signal" in ln for ln in lines) and code == 0:
            code = rc or -1
        other = max(0.0, busy - user - sys_) / max(wall, 1e-6) if busy0 else 0.0
        return Run(cmd, wall, maxrss_kib / 1024.0, user, sys_, code, log, LAUNCHER, other)
    finally:
        os.remove(res)


def tail(path: str, lines: int = 15) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return ""


def _launch(res: str, cmd: List[str]) -> int:
    """Launcher mode: fork+exec cmd, wait4() for it, write 'maxrss_kib user sys exitcode'."""
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, f"cannot run {cmd[0]}: {e}\n".encode())
        os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with open(res, "w") as fh:
        fh.write(f"{ru.ru_maxrss} {ru.ru_utime} {ru.ru_stime} {code}\n")
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[1] == "--launch" and sys.argv[3] == "--":
        sys.exit(_launch(sys.argv[2], sys.argv[4:]))
    print("usage: python -I -S measure.py --launch RESULT -- CMD [ARGS...]", file=sys.stderr)
    sys.exit(2)
