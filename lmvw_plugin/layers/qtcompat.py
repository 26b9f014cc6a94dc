"""What differs between QGIS 3 (Qt 5) and QGIS 4 (Qt 6), in one place (scripts/qt6_scan.py points here).

- `QAction` lives in QtGui in Qt 6 and in QtWidgets in Qt 5.
- Field types: QGIS >= 3.38 takes `QMetaType.Type` (the only type API in Qt 6); older QGIS takes
  the `QVariant` type of the same name.
"""
from __future__ import annotations

from qgis.core import Qgis

try:
    from qgis.PyQt.QtGui import QAction
except ImportError:                      # Qt 5: QAction is a widget class
    from qgis.PyQt.QtWidgets import QAction

__all__ = ["QAction", "field_type"]

METATYPE_SINCE = 33800                   # QgsField(name, QMetaType.Type) from QGIS 3.38 on

# QMetaType.Type name -> the QVariant.Type name of Qt 5, where they differ
_QVARIANT_NAMES = {"QString": "String", "QDate": "Date", "QDateTime": "DateTime", "QTime": "Time",
                   "QByteArray": "ByteArray", "QStringList": "StringList", "QVariantMap": "Map",
                   "QVariantList": "List"}


def field_type(name: str, version: int = Qgis.QGIS_VERSION_INT):
    """The field type `name` (QMetaType's spelling: "QString", "Int", "LongLong", "Double",
    "Bool", "QDate", "QDateTime") in the type API of the QGIS at hand."""
    if version >= METATYPE_SINCE:
        from qgis.PyQt.QtCore import QMetaType
        return getattr(QMetaType.Type, name)
    from qgis.PyQt.QtCore import QVariant
    return getattr(QVariant.Type, _QVARIANT_NAMES.get(name, name))
