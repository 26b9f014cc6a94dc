"""Read a QGIS layer (any provider, including its edit buffer) into the engine's tables."""
from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..rules.table import FaseringTable, PlanTable, SchemaError
from ..standard import Standard
from .schema import check_layer

RD = "EPSG:28992"


def _transform(layer: QgsVectorLayer, context: Optional[QgsCoordinateTransformContext]):
    target = QgsCoordinateReferenceSystem(RD)
    if not layer.crs().isValid() or layer.crs() == target:
        return None
    ctx = context or QgsProject.instance().transformContext()
    return QgsCoordinateTransform(layer.crs(), target, ctx)


def read_plan_layer(layer: QgsVectorLayer, standard: Standard, fids: Optional[Iterable[int]] = None,
                    context: Optional[QgsCoordinateTransformContext] = None, feedback=None,
                    to_rd: bool = True) -> PlanTable:
    """The layer's features as a PlanTable (geometries in EPSG:28992 unless to_rd is False).
    `fids`: only these features (incremental re-validation). Raises SchemaError."""
    schema = check_layer(layer, standard)
    if not schema.ok:
        raise SchemaError("missing fields", schema.missing)
    names = [f.name() for f in layer.fields()]
    lower = {n.lower(): n for n in names}
    wanted = [f.name for f in standard.fields if f.name in names or f.name.lower() in lower]
    source_names = [f if f in names else lower[f.lower()] for f in wanted]
    idx = [layer.fields().indexOf(n) for n in source_names]
    request = QgsFeatureRequest()
    request.setSubsetOfAttributes(idx)
    if fids is not None:
        request.setFilterFids(list(fids))
    has_geom = layer.geometryType() != QgsWkbTypes.GeometryType.NullGeometry
    if not has_geom:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    ct = _transform(layer, context) if to_rd and has_geom else None
    rows: List[list] = []
    wkb: List[Optional[bytes]] = []
    fid_list: List[int] = []
    total = max(1, layer.featureCount())
    for k, feat in enumerate(layer.getFeatures(request)):
        attrs = feat.attributes()
        rows.append([attrs[i] for i in idx])
        g = feat.geometry()
        if has_geom and not g.isNull():
            if ct is not None:
                g = type(g)(g)
                g.transform(ct)
            wkb.append(bytes(g.asWkb()))
        else:
            wkb.append(None)
        fid_list.append(feat.id())
        if feedback is not None and k % 1000 == 0:
            if feedback.isCanceled():
                break
            feedback.setProgress(100.0 * k / total)
    columns = {name: [r[j] for r in rows] for j, name in enumerate(wanted)}
    geoms = np.empty(len(wkb), dtype=object)
    ok = np.fromiter((w is not None for w in wkb), dtype=bool, count=len(wkb))
    if ok.any():
        arr = np.empty(int(ok.sum()), dtype=object)
        arr[:] = [w for w in wkb if w is not None]
        geoms[ok] = shapely.from_wkb(arr, on_invalid="ignore")
    return PlanTable.from_columns(standard, columns, geoms, fid_list, source=layer.source())


def read_fasering_layer(layer: QgsVectorLayer, standard: Standard,
                        plan_ids: Optional[Iterable[str]] = None) -> FaseringTable:
    names = [f.name for f in standard.fasering_fields if layer.fields().indexOf(f.name) >= 0]
    idx = [layer.fields().indexOf(n) for n in names]
    request = QgsFeatureRequest()
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes(idx)
    if plan_ids is not None:
        ids = [p for p in plan_ids if p]
        if not ids:
            return FaseringTable.empty()
        quoted = ",".join("'" + p.replace("'", "''") + "'" for p in ids)
        request.setFilterExpression(f"\"plan_id\" IN ({quoted})")
    rows, fids = [], []
    for feat in layer.getFeatures(request):
        a = feat.attributes()
        rows.append([a[i] for i in idx])
        fids.append(feat.id())
    cols = {n: [r[j] for r in rows] for j, n in enumerate(names)}
    return FaseringTable.from_columns(standard, cols, fids)


def layer_crs_info(layer: QgsVectorLayer) -> Tuple[str, bool]:
    """(authid, is RD New)."""
    authid = layer.crs().authid()
    return authid, authid == RD
