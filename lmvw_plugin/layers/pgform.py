"""The plan form on a PostgreSQL layer of the register (issue 12): the database stamps the changes."""
from __future__ import annotations

from qgis.core import QgsDefaultValue, QgsEditorWidgetSetup, QgsVectorLayer

from ..standard import Standard
from ..storage import postgis as pgio


def adapt_form(plans: QgsVectorLayer, standard: Standard) -> None:
    """On a PostgreSQL layer the database stamps gewijzigd_op and gewijzigd_door: the form shows them
    read-only and sets neither (a value set by the form would be taken as the version edited)."""
    cfg = plans.editFormConfig()
    for name in (pgio.STAMP_FIELD, pgio.USER_FIELD, "fid"):
        idx = plans.fields().indexOf(name)
        if idx < 0:
            continue
        plans.setDefaultValueDefinition(idx, QgsDefaultValue())
        cfg.setReadOnly(idx, True)
        if name == "fid":
            plans.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("Hidden", {}))
    plans.setEditFormConfig(cfg)
    idx = plans.fields().indexOf(pgio.USER_FIELD)
    if idx >= 0:
        plans.setFieldAlias(idx, "Gewijzigd door")
