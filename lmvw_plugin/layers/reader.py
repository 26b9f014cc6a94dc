"""Read a QGIS layer (any provider, including its edit buffer) into the engine's tables."""
from __future__ import annotations

import os
from typing import Iterable, List, Optional

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
    QgsWkbTypes,
)

from ..common.geo import shapely
from ..rules.table import FaseringTable, PlanTable, SchemaError
from ..standard import Standard
from ..storage import ogr as ogrio
from .schema import check_layer

RD = "EPSG:28992"


def _transform(layer: QgsVectorLayer, context: Optional[QgsCoordinateTransformContext]):
    target = QgsCoordinateReferenceSystem(RD)
    if not layer.crs().isValid() or layer.crs() == target:
        return None
    ctx = context or QgsProject.instance().transformContext()
    return QgsCoordinateTransform(layer.crs(), target, ctx)


class PlanSource:
    """What a background task needs to read a plan layer: created in the main thread (a layer is
    not thread-safe), read in any thread. Includes the layer's edit buffer."""

    def __init__(self, layer: QgsVectorLayer, standard: Standard,
                 context: Optional[QgsCoordinateTransformContext] = None, to_rd: bool = True):
        schema = check_layer(layer, standard)
        if not schema.ok:
            raise SchemaError("missing fields", schema.missing)
        names = [f.name() for f in layer.fields()]
        lower = {n.lower(): n for n in names}
        self.standard = standard
        self.wanted = [f.name for f in standard.fields if f.name in names or f.name.lower() in lower]
        source_names = [f if f in names else lower[f.lower()] for f in self.wanted]
        self.idx = [layer.fields().indexOf(n) for n in source_names]
        self.has_geom = layer.geometryType() != QgsWkbTypes.GeometryType.NullGeometry
        self.ct = _transform(layer, context) if to_rd and self.has_geom else None
        self.count = max(1, layer.featureCount())
        self.name = layer.source()
        self.source = QgsVectorLayerFeatureSource(layer)
        self.stored = _gpkg_table(layer)
        buf = layer.editBuffer()
        names = layer.fields().names()
        self.edited = {} if buf is None else {
            **{fid: {names[i] for i in changes} for fid, changes in buf.changedAttributeValues().items()},
            **{fid: None for fid in buf.addedFeatures()}}
        self.pg = _pg_register(layer, self.ct, standard)

    def read(self, fids: Optional[Iterable[int]] = None, feedback=None) -> Optional[PlanTable]:
        """The features as a PlanTable (geometries in EPSG:28992); None when cancelled."""
        if self.pg is not None and fids is None:     # a saved PostGIS register: one SQL, columnar
            from ..storage import postgis as pgio
            try:
                return pgio.read_plans(*self.pg, self.standard)[0]
            except pgio.PgError:
                pass                                 # e.g. no psycopg2: read through QGIS below
        request = QgsFeatureRequest()
        request.setSubsetOfAttributes(self.idx)
        if fids is not None:
            request.setFilterFids(list(fids))
        if not self.has_geom:
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        rows: List[list] = []
        wkb: List[Optional[bytes]] = []
        fid_list: List[int] = []
        idx = self.idx
        for k, feat in enumerate(self.source.getFeatures(request)):
            attrs = feat.attributes()
            rows.append([attrs[i] for i in idx])
            g = feat.geometry()
            if self.has_geom and not g.isNull():
                if self.ct is not None:
                    g = QgsGeometry(g)
                    g.transform(self.ct)
                g = _linear_2d(g)
                wkb.append(bytes(g.asWkb()))
            else:
                wkb.append(None)
            fid_list.append(feat.id())
            if feedback is not None and k % 500 == 0:
                if feedback.isCanceled():
                    return None
                feedback.setProgress(min(99.0, 100.0 * k / self.count))
        columns = {name: [r[j] for r in rows] for j, name in enumerate(self.wanted)}
        geoms = np.empty(len(wkb), dtype=object)
        ok = np.fromiter((w is not None for w in wkb), dtype=bool, count=len(wkb))
        if ok.any():
            arr = np.empty(int(ok.sum()), dtype=object)
            arr[:] = [w for w in wkb if w is not None]
            geoms[ok] = shapely.from_wkb(arr, on_invalid="ignore")
        table = PlanTable.from_columns(self.standard, columns, geoms, fid_list, source=self.name)
        if self.stored is not None:          # QGIS shows coerced values (text in a count as 0, 2.5 as 2)
            ogrio.apply_stored_values(*self.stored, self.standard.fields, table.columns, table.bad, table.fids,
                                      self.edited, table._text, None if fids is None else fid_list)
        return table


def _pg_register(layer: QgsVectorLayer, ct, standard: Standard):
    """(PG:"…", schema) of a PostGIS register's plan layer without unsaved edits or a filter, read
    faster with storage.postgis than feature by feature; else None."""
    if layer.providerType() != "postgres" or ct is not None or layer.subsetString() or layer.isModified():
        return None
    from qgis.core import QgsDataSourceUri

    from .pgregister import register_of
    uri = QgsDataSourceUri(layer.source())
    if uri.table() != standard.layer_name or uri.keyColumn() not in ("fid", ""):
        return None
    return register_of(layer)


def _pg_fasering(layer: QgsVectorLayer, standard: Standard) -> Optional[FaseringTable]:
    if layer.providerType() != "postgres" or layer.subsetString() or layer.isModified():
        return None
    from qgis.core import QgsDataSourceUri

    from ..storage import postgis as pgio
    from .pgregister import register_of
    uri = QgsDataSourceUri(layer.source())
    if uri.table() != standard.fasering_name or uri.keyColumn() not in ("fid", ""):
        return None
    try:
        return pgio.read_fasering(*register_of(layer), standard)
    except pgio.PgError:
        return None


def _linear_2d(g: QgsGeometry) -> QgsGeometry:
    """Curves linearised and Z/M dropped, as the command line reads them (the delivery is 2D)."""
    t = g.wkbType()
    if not (QgsWkbTypes.isCurvedType(t) or QgsWkbTypes.hasZ(t) or QgsWkbTypes.hasM(t)):
        return g
    geom = g.constGet().segmentize() if QgsWkbTypes.isCurvedType(t) else g.constGet().clone()
    geom.dropZValue()
    geom.dropMValue()
    return QgsGeometry(geom)


def _gpkg_table(layer: QgsVectorLayer):
    """(file, table) of a layer that is a GeoPackage table read by QGIS's OGR provider, else None."""
    if layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, name = parts.get("path") or "", parts.get("layerName") or ""
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    return path, name


def read_plan_layer(layer: QgsVectorLayer, standard: Standard, fids: Optional[Iterable[int]] = None,
                    context: Optional[QgsCoordinateTransformContext] = None, feedback=None,
                    to_rd: bool = True) -> Optional[PlanTable]:
    """The layer's features (with its edit buffer) as a PlanTable, geometries in EPSG:28992.
    `fids`: only these features. Raises SchemaError when fields are missing."""
    return PlanSource(layer, standard, context, to_rd).read(fids, feedback)


def fasering_stored(layer: QgsVectorLayer):
    """What read_fasering_layer needs to read a GeoPackage fasering table's values as stored
    (create it in the main thread, like the feature source): (file, table, edited) or None."""
    where = _gpkg_table(layer)
    if where is None:
        return None
    buf = layer.editBuffer()
    names = layer.fields().names()
    edited = {} if buf is None else {
        **{fid: {names[i] for i in changes} for fid, changes in buf.changedAttributeValues().items()},
        **{fid: None for fid in buf.addedFeatures()}}
    return (*where, edited)


def read_fasering_layer(layer, standard: Standard, plan_ids: Optional[Iterable[str]] = None,
                        stored=None) -> FaseringTable:
    """Fasering rows of a layer (or of a QgsVectorLayerFeatureSource with `fields()`; pass
    `stored=fasering_stored(layer)` to read a GeoPackage's values as stored, as for a layer)."""
    if stored is None and plan_ids is None and isinstance(layer, QgsVectorLayer):
        fast = _pg_fasering(layer, standard)        # a saved PostGIS fasering table: one SQL
        if fast is not None:
            return fast
    if stored is None and isinstance(layer, QgsVectorLayer):
        stored = fasering_stored(layer)
    table = _fasering_rows(layer, standard, plan_ids)
    if stored is not None:               # QGIS shows 'x' in a count as 0, as for the plans
        path, name, edited = stored
        columns = {f.name: table.column(f.name) for f in standard.fasering_fields}
        if ogrio.apply_stored_values(path, name, standard.fasering_fields, columns, table.bad, table.fids,
                                     edited, None, None if plan_ids is None else table.fids.tolist()):
            table._groups = None
    return table


def _fasering_rows(layer, standard: Standard,
                   plan_ids: Optional[Iterable[str]] = None) -> FaseringTable:
    names = [f.name for f in standard.fasering_fields if layer.fields().indexOf(f.name) >= 0]
    idx = [layer.fields().indexOf(n) for n in names]
    request = QgsFeatureRequest()
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes(idx)
    if plan_ids is not None:
        ids = [p for p in plan_ids if p]
        if not ids:
            return FaseringTable.empty(standard)
        quoted = ",".join("'" + p.replace("'", "''") + "'" for p in ids)
        request.setFilterExpression(f"\"{standard.fasering_key}\" IN ({quoted})")
    rows, fids = [], []
    for feat in layer.getFeatures(request):
        a = feat.attributes()
        rows.append([a[i] for i in idx])
        fids.append(feat.id())
    cols = {n: [r[j] for r in rows] for j, n in enumerate(names)}
    return FaseringTable.from_columns(standard, cols, fids)


def layer_files(*layers) -> List[str]:
    """The files the layers are read from (for delivery.package.check_target: an export never writes
    over its source); layers without a file (memory, databases) give nothing."""
    from qgis.core import QgsProviderRegistry
    out: List[str] = []
    for layer in layers:
        if layer is None:
            continue
        try:
            parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        except Exception:  # an odd provider: fall back to the plain source string
            parts = {}
        path = parts.get("path") or layer.source().split("|")[0]
        if path and os.path.exists(path) and path not in out:
            out.append(path)
    return out


# ------------------------------------------------------------------------------------------------
# the command line's fast path, for the export dialog and the export task

class GpkgPlanSource:
    """A plan layer that is a GeoPackage table QGIS shows as stored (no edits, no filter, in RD New
    or without a CRS), read as the command line reads it: GDAL's columnar read (storage.ogr), and
    the export then copies its rows inside SQLite instead of writing them one by one. Made in the
    main thread like PlanSource, read in any; falls back to PlanSource when GDAL cannot read it so."""

    def __init__(self, layer: QgsVectorLayer, standard: Standard, path: str, table: str,
                 context: Optional[QgsCoordinateTransformContext] = None):
        self.fallback = PlanSource(layer, standard, context)     # checks the fields (SchemaError)
        self.standard = standard
        self.path, self.table = path, table
        self.name = self.fallback.name
        self.count = self.fallback.count
        self.fast = True                # False after a read that had to fall back

    def read(self, fids: Optional[Iterable[int]] = None, feedback=None) -> Optional[PlanTable]:
        if fids is not None:
            return self.fallback.read(fids, feedback)
        try:
            plans, info = ogrio.read_plans(self.path, self.standard, self.table)
        except ogrio.SourceError:
            plans, info = None, None
        if plans is None or info.epsg not in (None, ogrio.RD_EPSG):   # QGIS would transform it its own way
            self.fast = False
            return self.fallback.read(None, feedback)
        if feedback is not None:
            if feedback.isCanceled():
                return None
            feedback.setProgress(99.0)
        return plans


def unchanged_gpkg_table(layer: Optional[QgsVectorLayer]):
    """(file, table) when QGIS shows the layer exactly as its GeoPackage table stores it (the
    OGR provider, no unsaved edits, no filter), else None."""
    if layer is None or layer.isModified() or layer.subsetString():
        return None
    where = _gpkg_table(layer)
    return where if where is not None and where[1] else None       # by name (a layerid= URI: not sure which)


def plan_source(layer: QgsVectorLayer, standard: Standard,
                context: Optional[QgsCoordinateTransformContext] = None):
    """The fastest faithful reader of a plan layer: GpkgPlanSource for a GeoPackage table in RD New
    (or without a CRS) that QGIS shows as stored, else PlanSource (row by row through QGIS, with
    the edit buffer and the project's transform context)."""
    where = unchanged_gpkg_table(layer)
    if where is not None and (not layer.crs().isValid() or layer.crs().authid() == RD):
        return GpkgPlanSource(layer, standard, *where, context=context)
    return PlanSource(layer, standard, context)


class FaseringSource:
    """The fasering table for a background read: GDAL's columnar read of an unchanged GeoPackage
    table (as the command line), else QGIS's features with the values as stored. Made in the main
    thread."""

    def __init__(self, layer: QgsVectorLayer, standard: Standard):
        self.standard = standard
        self.where = unchanged_gpkg_table(layer)
        self.source = QgsVectorLayerFeatureSource(layer)
        self.stored = fasering_stored(layer)

    def read(self) -> FaseringTable:
        if self.where is not None:
            try:
                table = ogrio.read_fasering(self.where[0], self.standard, self.where[1])
            except ogrio.SourceError:
                table = None
            if table is not None:
                return table
        return read_fasering_layer(self.source, self.standard, stored=self.stored)
