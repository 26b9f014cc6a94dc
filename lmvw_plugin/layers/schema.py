"""Does a QGIS layer carry the Basisset fields? The answer with what is missing and why."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from qgis.core import QgsVectorLayer, QgsWkbTypes

from ..messages import lacks_fields_text, unsaved_edits_text
from ..standard import Standard


@dataclass
class SchemaCheck:
    missing_required: List[str] = field(default_factory=list)
    missing_optional: List[str] = field(default_factory=list)
    is_shapefile: bool = False

    @property
    def missing(self) -> List[str]:
        return self.missing_required + self.missing_optional

    @property
    def ok(self) -> bool:
        return not self.missing_required


def check_layer(layer: QgsVectorLayer, standard: Standard) -> SchemaCheck:
    names = {f.name() for f in layer.fields()}
    lower = {n.lower() for n in names}
    out = SchemaCheck(is_shapefile=is_shapefile(layer))
    for f in standard.fields:
        if f.name in names or f.name.lower() in lower:
            continue
        (out.missing_required if f.required else out.missing_optional).append(f.name)
    return out


def is_shapefile(layer: QgsVectorLayer) -> bool:
    return layer.providerType() == "ogr" and layer.source().split("|")[0].lower().endswith(".shp")


def lacks_fields_message(layer: QgsVectorLayer, missing: Iterable[str]) -> str:
    """The message for a layer that lacks the Basisset fields `missing` (a shapefile's says why)."""
    return lacks_fields_text(layer.name(), missing, is_shapefile(layer))


def fields_problem(layer: QgsVectorLayer, standard: Standard) -> Optional[str]:
    """None when the layer has the Basisset's required fields, else the message naming what is missing."""
    schema = check_layer(layer, standard)
    return None if schema.ok else lacks_fields_message(layer, schema.missing)


def unsaved_edits(layers: Iterable[Optional[QgsVectorLayer]]) -> List[str]:
    """A message for each layer with unsaved edits (an export reads only what is saved)."""
    return [unsaved_edits_text(lyr.name()) for lyr in layers
            if lyr is not None and lyr.isEditable() and lyr.isModified()]


def is_plan_layer(layer, standard: Standard) -> bool:
    return (isinstance(layer, QgsVectorLayer) and layer.isValid()
            and layer.geometryType() != QgsWkbTypes.GeometryType.NullGeometry
            and check_layer(layer, standard).ok)


def is_fasering_layer(layer, standard: Standard) -> bool:
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return False
    names = {f.name() for f in layer.fields()}
    return all(f.name in names for f in standard.fasering_fields if f.required)


def _same_store(layer: QgsVectorLayer) -> str:
    """The file of a layer, or for a PostgreSQL layer its database and schema (issue 12)."""
    if layer.providerType() == "postgres":
        from qgis.core import QgsDataSourceUri
        uri = QgsDataSourceUri(layer.source())
        return f"postgres:{uri.connectionInfo(False)}|{uri.schema()}"
    return layer.source().split("|")[0]


def find_fasering_layer(plan_layer: QgsVectorLayer, project, standard: Standard) -> Optional[QgsVectorLayer]:
    """The fasering table for a plan layer: the relation's child, else a layer of the same file."""
    for rel in project.relationManager().referencedRelations(plan_layer):
        child = rel.referencingLayer()
        if child is not None and is_fasering_layer(child, standard):
            return child
    base = _same_store(plan_layer)
    for lyr in project.mapLayers().values():
        if (lyr is not plan_layer and isinstance(lyr, QgsVectorLayer)
                and _same_store(lyr) == base and is_fasering_layer(lyr, standard)):
            return lyr
    return None
