"""The one place the plugin takes its geometry functions from.

Every module writes ``from ..common.geo import shapely`` and uses the shapely 2 functions through
that name. The back end behind it is shapely >= 2 when it can be imported (fast: whole arrays in
GEOS); otherwise `geo_ogr`, the same functions on GDAL/OGR's GEOS bindings that every QGIS has
(Debian's own QGIS has no shapely or shapely 1.8). ``LMVW_GEOMETRY=ogr`` (or ``shapely``) in the
environment forces a back end; `use()` switches it in a running process (tests).

Importing this module never fails: without any usable back end (no numpy, no GDAL), the name
`shapely` is a stand-in whose every use raises `GeometryUnavailable`, and `problem()` says why."""
from __future__ import annotations

import os
from typing import Any, Optional

__all__ = ["shapely", "backend", "use", "problem", "GeometryUnavailable", "shapely2_version"]


class GeometryUnavailable(ImportError):
    """Neither shapely >= 2 nor GDAL/OGR with numpy can be imported."""


def shapely2_version() -> Optional[str]:
    """The version of an importable shapely >= 2, else None."""
    try:
        import shapely as real
        if int(str(real.__version__).split(".")[0]) >= 2:
            return str(real.__version__)
    except Exception:            # ImportError, or a broken install (numpy ABI and the like)
        pass
    return None


def running_geos() -> Optional[tuple]:
    """(major, minor) of the GEOS whose C functions this process really calls, when a libgeos_c is
    loaded globally (QGIS on Linux links it into its executable); None when none is (a plain Python).
    On Linux the first library loaded globally wins, so a shapely wheel then runs QGIS's GEOS, not the
    copy it brings along."""
    import ctypes
    import re
    try:
        fn = ctypes.CDLL(None).GEOSversion
    except Exception:            # no global libgeos_c, or a platform without a global namespace
        return None
    fn.restype = ctypes.c_char_p
    m = re.match(rb"(\d+)\.(\d+)", fn() or b"")
    return (int(m.group(1)), int(m.group(2))) if m else None


def geos_mismatch(real) -> Optional[str]:
    """Why this shapely cannot run here: it was built for a newer GEOS than the one the process runs
    (shapely 2.2 brings GEOS 3.14; Debian 12's QGIS runs GEOS 3.11: its calls go to 3.11, which
    fails with 'WKB output dimension must be 2 or 3' and other GEOSExceptions). None when it can."""
    running = running_geos()
    built = tuple(getattr(real, "geos_version", ())[:2])
    if running is None or len(built) < 2 or running >= built:
        return None
    return (f"shapely {real.__version__} is built for GEOS {built[0]}.{built[1]}, but this QGIS runs GEOS "
            f"{running[0]}.{running[1]}")


def _load(name: str):
    if name == "shapely":
        import shapely as real
        if int(str(real.__version__).split(".")[0]) < 2:
            raise ImportError(f"shapely {real.__version__} is older than 2")
        why = geos_mismatch(real)
        if why:
            raise ImportError(why)
        import shapely.affinity  # noqa: F401  (shapely.affinity.translate)
        import shapely.errors  # noqa: F401
        return real
    if name == "ogr":
        from . import geo_ogr
        return geo_ogr
    raise ValueError(f"unknown geometry back end {name!r} (shapely or ogr)")


class _Unavailable:
    def __init__(self, why: str):
        self.why = why

    def __getattr__(self, name: str) -> Any:
        raise GeometryUnavailable(self.why)


class _Seam:
    """`shapely` as the modules see it: every attribute is the current back end's."""
    __slots__ = ("_mod",)

    def __init__(self, mod):
        object.__setattr__(self, "_mod", mod)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mod, name)

    def __repr__(self) -> str:
        return f"<geometry back end {backend()!r}>"


_problem: Optional[str] = None


def _choose():
    global _problem
    forced = os.environ.get("LMVW_GEOMETRY", "").strip().lower()
    order = [forced] if forced else ["shapely", "ogr"]
    errors = []
    for name in order:
        try:
            return _load(name)
        except Exception as e:       # ImportError, a shapely < 2, a broken numpy
            errors.append(f"{name}: {e}")
    _problem = "; ".join(errors)
    return _Unavailable(_problem)


shapely = _Seam(_choose())


def backend() -> Optional[str]:
    """'shapely' or 'ogr', None when neither is usable."""
    mod = object.__getattribute__(shapely, "_mod")
    if isinstance(mod, _Unavailable):
        return None
    return "ogr" if getattr(mod, "NAME", "") == "ogr" else "shapely"


def problem() -> Optional[str]:
    """Why no back end could be loaded (None when one is in use)."""
    return _problem if backend() is None else None


def use(name: str) -> str:
    """Switch the back end ('shapely' or 'ogr'); returns the previous one. Geometries made by one
    back end are not the other's: convert through WKB (`to_wkb` / `from_wkb`)."""
    global _problem
    before = backend()
    object.__setattr__(shapely, "_mod", _load(name))
    _problem = None
    return before or ""
