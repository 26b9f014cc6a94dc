"""LMVW woningbouwplannen: a QGIS plugin for Basisset 2.0 housing plans.

Importing the package does not import qgis; `classFactory` is QGIS's entry point.
"""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import LmvwPlugin
    return LmvwPlugin(iface)
