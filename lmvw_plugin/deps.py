"""Python packages the plugin needs besides QGIS: shapely >= 2 (with numpy).

QGIS installs ship different versions (Debian 12's python3-shapely is 1.8). The plugin checks at
start-up and explains how to install what is missing, instead of failing with a traceback."""
from __future__ import annotations

import sys
from typing import List


def missing() -> List[str]:
    """Requirements that are not met, e.g. ['shapely>=2 (found 1.8.5)']."""
    out: List[str] = []
    try:
        import numpy  # noqa: F401
    except ImportError:
        out.append("numpy")
    try:
        import shapely
        major = int(str(shapely.__version__).split(".")[0])
        if major < 2:
            out.append(f"shapely>=2 (found {shapely.__version__})")
    except ImportError:
        out.append("shapely>=2")
    return out


def install_hint() -> str:
    """The command that installs them for the Python QGIS runs."""
    if sys.platform.startswith("win"):
        return "OSGeo4W Shell: python -m pip install \"shapely>=2\""
    return f"{sys.executable or 'python3'} -m pip install --user \"shapely>=2\""
