"""Add plan records (dicts + shapely geometries) and fasering rows to QGIS layers."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Optional, Sequence

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QDateTime, QTime


def _qt_value(v: Any) -> Any:
    if isinstance(v, _dt.datetime):
        return QDateTime(QDate(v.year, v.month, v.day), QTime(v.hour, v.minute, v.second))
    if isinstance(v, _dt.date):
        return QDate(v.year, v.month, v.day)
    return v


def features(layer: QgsVectorLayer, records: Sequence[Dict[str, Any]],
             geometries: Optional[Sequence[Any]] = None) -> List[QgsFeature]:
    fields = layer.fields()
    out = []
    for k, rec in enumerate(records):
        f = QgsFeature(fields)
        for name, value in rec.items():
            idx = fields.indexOf(name)
            if idx >= 0:
                f.setAttribute(idx, _qt_value(value))
        if geometries is not None and geometries[k] is not None:
            g = QgsGeometry()
            g.fromWkb(geometries[k].wkb)
            f.setGeometry(g)
        out.append(f)
    return out


def add_records(layer: QgsVectorLayer, records: Iterable[Dict[str, Any]],
                geometries: Optional[Sequence[Any]] = None, commit: bool = True) -> bool:
    """Add records in one edit session; returns False (with the edits rolled back) on failure."""
    recs = list(records)
    started = not layer.isEditable()
    if started:
        layer.startEditing()
    ok = layer.addFeatures(features(layer, recs, geometries))
    if not ok:
        if started:
            layer.rollBack()
        return False
    if commit and started:
        return layer.commitChanges()
    return True
