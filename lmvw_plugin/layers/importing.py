"""The import in QGIS: the target plans from a layer (with its edit buffer), and the preview applied
to the layers' edit buffers as one undoable command per layer (nothing is saved)."""
from __future__ import annotations

from typing import Dict, Optional, Tuple

from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
)

from ..delivery.importing import FASERING, GEOMETRY, NEW, UPDATE, Preview, Target, target_from_tables
from ..i18n import tr
from ..standard import Standard
from .reader import read_fasering_layer, read_plan_layer
from .writer import _qt_value, features

RD = "EPSG:28992"


class LayerSourceError(Exception):
    """A layer in the project that the import cannot read as its source; str() is the message."""


def layer_as_source(layer: QgsVectorLayer) -> Tuple[str, Optional[str]]:
    """(what GDAL opens, the table in it) for a layer of the project chosen as the import's source: its file
    (GeoPackage, shapefile, GeoJSON, CSV, spreadsheet) or its PostGIS table. What is read is what is stored,
    so a layer with unsaved edits, a filter or a source GDAL cannot open is refused with the fix."""
    name = layer.name()
    if layer.isEditable() and layer.isModified():
        from ..messages import unsaved_source_text
        raise LayerSourceError(unsaved_source_text(name))
    if layer.subsetString():
        raise LayerSourceError(tr("'{}' has a filter, and the import reads the whole stored table: remove the "
                                  "filter, or save the filtered features as a GeoPackage and import that.", name))
    provider = layer.providerType()
    if provider in ("ogr", "delimitedtext"):
        parts = QgsProviderRegistry.instance().decodeUri(provider, layer.source())
        path = parts.get("path") or ""
        if path:
            return path, (parts.get("layerName") or None) if provider == "ogr" else None
    if provider == "postgres":
        uri = QgsDataSourceUri(layer.source())
        table = f"{uri.schema()}.{uri.table()}" if uri.schema() else uri.table()
        return "PG:" + uri.connectionInfo(True), table
    raise LayerSourceError(tr("'{}' is not stored in a file or a PostGIS database (its provider is '{}'): save it "
                              "as a GeoPackage first (right-click, Export, Save Features As…) and import that.",
                              name, provider))


def target_from_layer(layer: QgsVectorLayer, fasering: Optional[QgsVectorLayer], standard: Standard) -> Target:
    """The plans already in `layer` (edits included), geometries in EPSG:28992; fids are the
    layer's feature ids. Raises SchemaError when the layer lacks Basisset fields."""
    plans = read_plan_layer(layer, standard)
    fas = read_fasering_layer(fasering, standard) if fasering is not None else None
    target = target_from_tables(plans, fas, standard)
    target.has_fasering = fasering is not None
    return target


def _geometry(g, transform) -> Optional[QgsGeometry]:
    if g is None:
        return None
    out = QgsGeometry()
    out.fromWkb(g.wkb)
    if transform is not None:
        out.transform(transform)
    return out


class ApplyFailed(Exception):
    """The layer refused the edits (nothing of the import is left in its edit buffer)."""


def _layer_defaults(layer: QgsVectorLayer, feats) -> None:
    """A new plan's empty fields get the layer's default value expression, as in the form (a province's
    format has no prijspeil_jaar: it stayed empty, an R01 error, where the import promises the default)."""
    fields = layer.fields()
    exprs = [i for i in range(fields.count()) if layer.defaultValueDefinition(i).expression()]
    for f in feats:
        for i in exprs:
            value = f.attribute(i)
            if value is None or value == NULL:
                f.setAttribute(i, layer.defaultValue(i, f))


def apply_to_layers(pv: Preview, layer: QgsVectorLayer, fasering: Optional[QgsVectorLayer],
                    standard: Standard) -> Dict[str, int]:
    """New plans added and changed ones updated in the edit buffers of `layer` and `fasering`
    (editing is started where needed). One edit command per layer: Ctrl+Z undoes the import."""
    new = [a for a in pv.actions if a.action == NEW]
    upd = [a for a in pv.actions if a.action == UPDATE]
    crs = layer.crs()
    transform = None
    if crs.isValid() and crs.authid() != RD:
        transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(RD), crs, QgsProject.instance())
    if not layer.isEditable() and not layer.startEditing():
        raise ApplyFailed(tr("The layer {} cannot be edited.", layer.name()))
    fields = layer.fields()
    layer.beginEditCommand(tr("Import plans"))
    try:
        recs = [{k: v for k, v in a.values.items() if k not in (GEOMETRY, FASERING)} for a in new]
        feats = features(layer, recs, None)
        _layer_defaults(layer, feats)
        for f, a in zip(feats, new):
            g = _geometry(a.values.get(GEOMETRY), transform)
            if g is not None:
                f.setGeometry(g)
        if feats and not layer.addFeatures(feats):
            raise ApplyFailed(tr("The layer {} did not accept the new plans.", layer.name()))
        for a in upd:
            fid = pv.target.fids[a.target]
            for name, value in a.values.items():
                if name == GEOMETRY:
                    layer.changeGeometry(fid, _geometry(value, transform))
                elif name != FASERING and fields.indexOf(name) >= 0:
                    layer.changeAttributeValue(fid, fields.indexOf(name), _qt_value(value))
        layer.endEditCommand()
    except BaseException:
        layer.destroyEditCommand()
        raise
    rows = 0
    moving = [a for a in new + upd if a.values.get(FASERING) is not None]
    if fasering is not None and moving:
        if not fasering.isEditable() and not fasering.startEditing():
            raise ApplyFailed(tr("The layer {} cannot be edited.", fasering.name()))
        key = standard.fasering_key
        fasering.beginEditCommand(tr("Import plans"))
        try:
            for a in upd:
                if FASERING in a.values:
                    req = QgsFeatureRequest().setFilterExpression(
                        f"\"{key}\" = '{str(a.plan_id).replace(chr(39), chr(39) * 2)}'")
                    fasering.deleteFeatures([f.id() for f in fasering.getFeatures(req)])
            recs = [dict(r, **{key: a.plan_id}) for a in moving for r in a.values[FASERING]]
            if recs and not fasering.addFeatures(features(fasering, recs, None)):
                raise ApplyFailed(tr("The layer {} did not accept the fasering rows.", fasering.name()))
            rows = len(recs)
            fasering.endEditCommand()
        except BaseException:
            fasering.destroyEditCommand()
            raise
    return {"new": len(new), "updated": len(upd), "fasering": rows}
