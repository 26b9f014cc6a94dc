"""Does a QGIS layer carry the Basisset fields? The answer with what is missing and why."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from qgis.core import QgsVectorLayer, QgsWkbTypes

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
    out = SchemaCheck(is_shapefile=layer.providerType() == "ogr" and
                      layer.source().split("|")[0].lower().endswith(".shp"))
    for f in standard.fields:
        if f.name in names or f.name.lower() in lower:
            continue
        (out.missing_required if f.required else out.missing_optional).append(f.name)
    return out


def is_plan_layer(layer, standard: Standard) -> bool:
    return (isinstance(layer, QgsVectorLayer) and layer.isValid()
            and layer.geometryType() != QgsWkbTypes.GeometryType.NullGeometry
            and check_layer(layer, standard).ok)


def is_fasering_layer(layer, standard: Standard) -> bool:
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return False
    names = {f.name() for f in layer.fields()}
    return all(f.name in names for f in standard.fasering_fields if f.required)


def find_fasering_layer(plan_layer: QgsVectorLayer, project, standard: Standard) -> Optional[QgsVectorLayer]:
    """The fasering table for a plan layer: the relation's child, else a layer of the same file."""
    for rel in project.relationManager().referencedRelations(plan_layer):
        child = rel.referencingLayer()
        if child is not None and is_fasering_layer(child, standard):
            return child
    base = plan_layer.source().split("|")[0]
    for lyr in project.mapLayers().values():
        if (lyr is not plan_layer and isinstance(lyr, QgsVectorLayer)
                and lyr.source().split("|")[0] == base and is_fasering_layer(lyr, standard)):
            return lyr
    return None
