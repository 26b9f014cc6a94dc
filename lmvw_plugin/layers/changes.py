"""The map layer *Wijzigingen sinds <uitvraag>*: a memory layer of the plans that changed since the
previous delivery, styled by kind of change, with the previous outline (dashed) where a plan moved
or changed shape beyond the tolerance, and the outline a gone plan had."""
from __future__ import annotations

from typing import List, Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsFillSymbol,
    QgsGeometry,
    QgsRendererCategory,
    QgsVectorLayer,
)

from ..common.geo import shapely
from ..delivery.compare import GEWIJZIGD, NIEUW, PREVIOUS_GEOMETRY, VERDWENEN, Changes, layer_rows
from ..i18n import tr
from ..standard import Standard
from .qtcompat import field_type

FIELDS = [("plan_id", field_type("QString"), 36), ("plannaam", field_type("QString"), 255),
          ("soort", field_type("QString"), 12), ("wijzigingen", field_type("QString"), 1000),
          ("vertraging", field_type("Double"), 0), ("versnelling", field_type("Double"), 0),
          ("voorgesteld", field_type("Bool"), 0), ("geometrie", field_type("QString"), 8)]

# category value -> (fill, outline, outline style, fill style)
STYLE = {NIEUW: ("#1b7837", "#0b4d1f", "solid", "solid"),
         GEWIJZIGD: ("#e08214", "#8a4b00", "solid", "solid"),
         VERDWENEN: ("#c0392b", "#c0392b", "solid", "b_diagonal"),
         PREVIOUS_GEOMETRY: ("#666666", "#333333", "dash", "no")}


def changes_fields() -> QgsFields:
    fields = QgsFields()
    for name, typ, length in FIELDS:
        fields.append(QgsField(name, typ, len=length))
    return fields


def changes_features(changes: Changes, fields: QgsFields, standard: Optional[Standard] = None) -> List[QgsFeature]:
    out = []
    for attrs, geom in layer_rows(changes, standard):
        f = QgsFeature(fields)
        f.setAttributes([attrs[name] for name, _, _ in FIELDS])
        if geom is not None:
            g = QgsGeometry()
            g.fromWkb(shapely.to_wkb(geom))
            f.setGeometry(g)
        out.append(f)
    return out


def layer_name(changes: Changes) -> str:
    return tr("Changes since {}", changes.previous.uitvraag or "?")


def changes_layer(changes: Changes, standard: Optional[Standard] = None) -> QgsVectorLayer:
    """The memory layer (EPSG:28992), styled; not yet added to a project."""
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:28992", layer_name(changes), "memory")
    provider = layer.dataProvider()
    fields = changes_fields()
    provider.addAttributes(list(fields))
    layer.updateFields()
    provider.addFeatures(changes_features(changes, layer.fields(), standard))
    layer.updateExtents()
    style(layer)
    return layer


def style(layer: QgsVectorLayer) -> None:
    labels = {NIEUW: tr("new"), GEWIJZIGD: tr("changed"), VERDWENEN: tr("gone"),
              PREVIOUS_GEOMETRY: tr("previous outline (moved or reshaped)")}
    categories = []
    for value, (fill, outline, outline_style, fill_style) in STYLE.items():
        symbol = QgsFillSymbol.createSimple({"color": fill + "99", "outline_color": outline, "outline_width": "0.5",
                                             "outline_style": outline_style, "style": fill_style})
        categories.append(QgsRendererCategory(value, symbol, labels[value]))
    expression = f"CASE WHEN \"geometrie\" = '{PREVIOUS_GEOMETRY}' THEN '{PREVIOUS_GEOMETRY}' ELSE \"soort\" END"
    layer.setRenderer(QgsCategorizedSymbolRenderer(expression, categories))
