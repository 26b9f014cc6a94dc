"""The start of a new plan layer: PDOK's BRT Achtergrondkaart under it, and the map on the
Netherlands.

There is no boundary data of the municipalities in the plugin (the CBS list has codes and
names only), so a new, empty layer is shown on the Netherlands in RD New: the extent the standard
uses for G06 ("outside the Netherlands")."""
from __future__ import annotations

from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)

from ..standard import Standard

BRT_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0"
BRT_LAYER = "standaard"
BRT_MATRIX_SET = "EPSG:28992"
BRT_NAME = "BRT Achtergrondkaart (PDOK)"


def brt_uri() -> str:
    """The WMTS source as QGIS writes it (the capabilities URL names the service: QGIS would ask
    for WMS capabilities otherwise)."""
    uri = QgsDataSourceUri()
    for key, value in (("contextualWMSLegend", "0"), ("crs", BRT_MATRIX_SET), ("dpiMode", "7"),
                       ("featureCount", "10"), ("format", "image/png"), ("layers", BRT_LAYER),
                       ("styles", "default"), ("tileMatrixSet", BRT_MATRIX_SET),
                       ("url", f"{BRT_URL}?request=GetCapabilities&service=WMTS")):
        uri.setParam(key, value)
    return bytes(uri.encodedUri()).decode("utf-8")


def is_brt(layer) -> bool:
    if not isinstance(layer, QgsRasterLayer) or layer.providerType() != "wms":
        return False
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    return uri.param("url").split("?")[0].rstrip("/") == BRT_URL and uri.param("layers") == BRT_LAYER


def add_brt(project: QgsProject) -> Optional[QgsRasterLayer]:
    """Add the BRT Achtergrondkaart at the bottom of the layer tree, unless it is there already.
    Without a network connection the layer is added all the same (QGIS marks it unavailable and
    draws nothing); it draws as soon as PDOK can be reached."""
    for layer in project.mapLayers().values():
        if is_brt(layer):
            return None
    layer = QgsRasterLayer(brt_uri(), BRT_NAME, "wms")
    if project.addMapLayer(layer, False) is None:
        return None
    project.layerTreeRoot().addLayer(layer)          # last = drawn first, under the plans
    return layer


def netherlands_extent(standard: Standard) -> QgsRectangle:
    p = standard.rule_by_code["G06"].params
    return QgsRectangle(p["xmin"], p["ymin"], p["xmax"], p["ymax"])


def zoom_to_start(canvas, project: QgsProject, standard: Standard) -> None:
    """Show the Netherlands (in the canvas's CRS)."""
    extent = netherlands_extent(standard)
    rd = QgsCoordinateReferenceSystem(standard.crs)
    dest = canvas.mapSettings().destinationCrs()
    if dest.isValid() and dest != rd:
        extent = QgsCoordinateTransform(rd, dest, project.transformContext()).transformBoundingBox(extent)
    canvas.setExtent(extent)
    canvas.refresh()
