"""Python packages the plugin uses besides QGIS, and how to get shapely 2 for the QGIS that runs.

Needed: numpy and GDAL/OGR's Python bindings (every QGIS has both). Optional: shapely >= 2, the fast
geometry back end; without it `common.geo` uses GDAL/OGR (same findings, slower on large layers).
QGIS installs differ (Debian 12's QGIS has no shapely or python3-shapely 1.8), so the plugin checks
at start-up and offers to install shapely 2 with the pip of the Python QGIS really runs, into the
profile's python folder (which QGIS puts on sys.path), instead of failing with a traceback.

Pure: no qgis; the task that runs pip is in gui/deps_install.py."""
from __future__ import annotations

import os
import shutil
import sys
from typing import List, Optional

SHAPELY_REQUIREMENT = "shapely>=2"
# the GEOS each shapely series brings in its wheels: on Linux QGIS's own GEOS (linked into QGIS)
# runs instead, so the series must not be built for a newer GEOS than that (common/geo.py)
SHAPELY_SERIES_GEOS = (("2.2", (3, 14)), ("2.1", (3, 13)), ("2.0", (3, 11)))


def shapely_requirement(geos: Optional[tuple] = None) -> str:
    """What pip installs: the newest shapely 2 series built for a GEOS not newer than the one QGIS
    runs (`geos`, default: the running one, else GDAL/OGR's), e.g. 'shapely>=2.0,<2.1' for GEOS 3.11."""
    geos = geos or _qgis_geos()
    if geos is None:
        return SHAPELY_REQUIREMENT
    for series, built in SHAPELY_SERIES_GEOS:
        if tuple(geos[:2]) >= built:
            major, minor = series.split(".")
            return f"shapely>={series},<{major}.{int(minor) + 1}"
    return "shapely>=2.0,<2.1"                    # an older GEOS: the oldest series of shapely 2


def _qgis_geos() -> Optional[tuple]:
    from .common import geo
    running = geo.running_geos()
    if running is not None:
        return running
    try:
        from osgeo import ogr
        return (ogr.GetGEOSVersionMajor(), ogr.GetGEOSVersionMinor()) if ogr.GetGEOSVersionMajor() else None
    except Exception:
        return None


def missing() -> List[str]:
    """Requirements without which the plugin cannot validate or export, e.g. ['numpy']."""
    from .common import geo
    if geo.backend() is not None:
        return []
    out: List[str] = []
    try:
        import numpy  # noqa: F401
    except Exception:
        out.append("numpy")
    try:
        from osgeo import ogr
        if not ogr.GetGEOSVersionMajor():
            out.append("GDAL/OGR with GEOS")
    except Exception:
        out.append("GDAL/OGR (osgeo)")
    return out or [geo.problem() or "geometry"]


def shapely2_missing() -> Optional[str]:
    """None when shapely >= 2 is in use; else what is there instead ('shapely>=2 (found 1.8.5)')."""
    from .common import geo
    if geo.backend() == "shapely":
        return None
    try:
        import shapely
        why = geo.geos_mismatch(shapely) if int(str(shapely.__version__).split(".")[0]) >= 2 else None
        return f"{SHAPELY_REQUIREMENT} (found {why or shapely.__version__})"
    except Exception:
        return SHAPELY_REQUIREMENT


def _is_python(path: Optional[str]) -> bool:
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        return False
    name = os.path.basename(path).lower()
    return name.startswith("python") and "config" not in name


def _inside(path: str, prefix: str) -> bool:
    for p in {os.path.abspath(path), os.path.realpath(path)}:
        if os.path.commonpath([p, os.path.abspath(prefix)]) == os.path.abspath(prefix):
            return True
    return False


def qgis_python() -> Optional[str]:
    """The Python interpreter this QGIS runs. Inside QGIS `sys.executable` is often QGIS itself
    (/usr/bin/qgis on Linux, qgis-bin.exe on Windows), so the interpreter is found from the
    running Python's prefix, with its own version: python3.11 in <prefix>/bin, python.exe in the
    prefix on Windows (OSGeo4W: apps/Python3x), then the same name on PATH."""
    prefixes = []
    for p in (sys.prefix, sys.exec_prefix, getattr(sys, "base_prefix", None), getattr(sys, "base_exec_prefix", None)):
        if p and p not in prefixes:
            prefixes.append(p)
    for cand in (sys.executable, getattr(sys, "_base_executable", None)):
        # only one of this Python's own: an embedded Python may name the first python3 on PATH (a
        # pyenv shim, a conda Python: another version, whose pip installs a shapely QGIS cannot load)
        if _is_python(cand) and any(_inside(cand, p) for p in prefixes):
            return cand
    ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    names = ["python.exe", "python3.exe"] if sys.platform.startswith("win") else [f"python{ver}", "python3"]
    for prefix in prefixes:
        for sub in (("",) if sys.platform.startswith("win") else ("bin",)) + ("Scripts", "MacOS/bin", ""):
            for name in names:
                cand = os.path.join(prefix, sub, name) if sub else os.path.join(prefix, name)
                if _is_python(cand):
                    return cand
    for name in names if not sys.platform.startswith("win") else []:
        cand = shutil.which(name)
        if _is_python(cand) and name != "python3":      # bare 'python3' may be another Python
            return cand
    return None


def install_command(target: str, python: Optional[str] = None) -> List[str]:
    """pip of QGIS's Python, installing shapely 2 into `target` (the profile's python folder).
    --no-deps: the numpy QGIS's GDAL was built with stays the one that is used."""
    python = python or qgis_python() or "python3"
    return [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--upgrade",
            "--no-deps", "--target", target, shapely_requirement()]


def install_hint(target: Optional[str] = None) -> str:
    """The command that installs shapely 2 for the Python QGIS runs, to show (or copy)."""
    cmd = install_command(target or "<profiel>/python")
    return " ".join(f'"{c}"' if (" " in c or ">" in c) else c for c in cmd)
