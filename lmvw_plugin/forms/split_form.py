"""The fasering form with the optional years × categories split (province layers): the year's
numbers on the first tab, the split on a second tab that the user opens only when she knows it
(`fasering_split` of the standard's data file; the columns exist only in a province's layer)."""
from __future__ import annotations

from qgis.core import QgsAttributeEditorContainer, QgsAttributeEditorField, QgsEditFormConfig, QgsVectorLayer

from ..i18n import tr
from ..standard import Standard


def split_fields(layer: QgsVectorLayer, standard: Standard):
    names = [f["name"] for f in (standard.data.get("fasering_split") or {}).get("fields", [])]
    have = set(layer.fields().names())
    return [n for n in names if n in have]


def apply_split_tabs(layer: QgsVectorLayer, standard: Standard, cfg: QgsEditFormConfig) -> bool:
    """Give the fasering form two tabs when the layer has split columns; False (nothing changed)
    when it has none."""
    split = split_fields(layer, standard)
    if not split:
        return False
    fields = layer.fields()
    types = [f["name"] for f in standard.data["fasering_split"]["dimensions"][0]["parts"]]
    cfg.clearTabs()
    root = cfg.invisibleRootContainer()
    year = QgsAttributeEditorContainer(tr("Year"), root)
    for f in standard.fasering_fields:
        if f.name in split or f.name == standard.fasering_key:
            continue
        year.addChildElement(QgsAttributeEditorField(f.name, fields.indexOf(f.name), year))
    tab = QgsAttributeEditorContainer(tr("Split (optional)"), root)
    tab.setColumnCount(2)
    for title, names in ((tr("Dwelling type"), [n for n in split if n in types]),
                         (tr("Price category"), [n for n in split if n not in types])):
        group = QgsAttributeEditorContainer(title, tab)
        group.setIsGroupBox(True)
        for n in names:
            group.addChildElement(QgsAttributeEditorField(n, fields.indexOf(n), group))
        tab.addChildElement(group)
    cfg.addTab(year)
    cfg.addTab(tab)
    cfg.setLayout(QgsEditFormConfig.EditorLayout.TabLayout)
    return True
