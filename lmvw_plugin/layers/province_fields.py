"""*Formulieren toepassen* with a province: add the province's extra fields (and the fasering split
columns) that a layer lacks. Columns are only added, never dropped, renamed or rewritten; the values
of existing features stay as they are (the new columns are empty)."""
from __future__ import annotations

from typing import List, Optional, Tuple

from qgis.core import QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from ..standard import FieldDef, Standard
from ..standard.provinces import province_of

_TYPES = {"text": QVariant.String, "int": QVariant.Int, "bool": QVariant.Bool, "date": QVariant.Date,
          "datetime": QVariant.DateTime}


def qgs_field(f: FieldDef) -> QgsField:
    field = QgsField(f.name, _TYPES[f.type])
    if f.type == "text" and f.width:
        field.setLength(int(f.width))
    return field


def missing_extra_fields(layer: Optional[QgsVectorLayer], fields: List[FieldDef]) -> List[FieldDef]:
    if layer is None:
        return []
    have = {n.lower() for n in layer.fields().names()}
    return [f for f in fields if f.name.lower() not in have]


class AddFieldsError(Exception):
    def __init__(self, layer_name: str, detail: str):
        super().__init__(detail)
        self.layer_name = layer_name
        self.detail = detail


def add_province_fields(plans: QgsVectorLayer, fasering: Optional[QgsVectorLayer],
                        standard: Standard) -> Tuple[List[str], List[str]]:
    """Add the province's extra plan fields and the fasering split columns the layers lack.
    Returns (plan fields added, fasering fields added); nothing when the standard has no province.
    Raises AddFieldsError when the provider cannot add columns (nothing else is changed)."""
    prov = province_of(standard)
    if prov is None:
        return [], []
    extra = [standard.field(n) for n in prov.extra_field_names]
    split_names = {f["name"] for f in (standard.data.get("fasering_split") or {}).get("fields", [])}
    split = [f for f in standard.fasering_fields if f.name in split_names]
    added = []
    for layer, fields in ((plans, extra), (fasering, split)):
        missing = missing_extra_fields(layer, fields)
        if not missing:
            added.append([])
            continue
        provider = layer.dataProvider()
        if not provider.addAttributes([qgs_field(f) for f in missing]):
            raise AddFieldsError(layer.name(), "; ".join(provider.errors()) or "addAttributes")
        layer.updateFields()
        added.append([f.name for f in missing])
    return added[0], added[1]
