"""The one place the plugin takes its geometry functions from.

Every module writes ``from ..common.geo import shapely`` and uses the shapely 2 functions through
that name. Today it is shapely 2 itself; a back end on GDAL/OGR's GEOS bindings for QGIS installs
without shapely 2 (Debian's own QGIS) takes its place there, so the rest of the code never imports
shapely directly."""
from __future__ import annotations

import shapely  # noqa: F401  (re-exported)

__all__ = ["shapely"]
