"""Comparing with the previous delivery in QGIS (issue 11): the export dialog's *Vergelijk met vorige
levering* (proposes the last package exported for the layer, remembered in the layer's custom
properties; any zip can be chosen), reading that package with a clear message when it cannot be
used, and after the export the layer *Wijzigingen sinds …* and the V-rule findings in the dock."""
from __future__ import annotations

import os
from typing import Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import QCheckBox

from ..delivery.compare_read import CompareError, read_package
from ..delivery.diff_command import compare_error_text
from ..i18n import tr

PROPERTY = "lmvw_plugin/previous_package"


def remembered(layer: Optional[QgsVectorLayer]) -> str:
    """The last package exported for this layer, when it still exists."""
    if layer is None:
        return ""
    path = layer.customProperty(PROPERTY, "") or ""
    return path if isinstance(path, str) and os.path.isfile(path) else ""


def remember(layer: Optional[QgsVectorLayer], zip_path: str) -> None:
    if layer is not None and zip_path:
        layer.setCustomProperty(PROPERTY, os.path.abspath(zip_path))


class PreviousChooser:
    """A check box and a file widget in the export dialog's form."""

    def __init__(self, dialog):
        self.check = QCheckBox(tr("Compare with the previous delivery"), dialog)
        self.check.setObjectName("LmvwComparePrevious")
        self.check.setToolTip(tr("Adds 'Changes since …' to the report and the manifest, checks the rules across "
                                 "surveys (V01–V05) and shows the changes on the map"))
        self.file = QgsFileWidget(dialog)
        self.file.setObjectName("LmvwPreviousPackage")
        self.file.setFilter(tr("LMVW packages (*.zip)"))
        self.file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        dialog.formLayout.addRow(self.check, self.file)
        self.check.toggled.connect(self.file.setEnabled)
        dialog.layer.layerChanged.connect(self.propose)
        self.propose(dialog.layer.currentLayer())

    def propose(self, layer) -> None:
        path = remembered(layer)
        self.file.setFilePath(path)
        self.check.setChecked(bool(path))
        self.file.setEnabled(bool(path))

    def path(self) -> str:
        return self.file.filePath().strip() if self.check.isChecked() else ""


def _problem(p) -> str:
    return p.kind + (f" ({p.name})" if p.name else "")


def load_previous(path: str, standard, lang: str):
    """(the previous delivery, None) or (None, the message saying why it cannot be used)."""
    if not path:
        return None, None
    try:
        return read_package(path, standard, lang), None
    except CompareError as e:
        return None, compare_error_text(e, _problem) + " " + tr("Nothing was exported.")
    except MemoryError:
        return None, tr("Not enough memory to read {}. Nothing was exported.", path)


def show_changes(iface, dock, layer, result) -> None:
    """After an export with a previous delivery: the changes layer in the project (replacing an
    earlier one of the same name) and the V-rule findings in the dock."""
    from ..layers.changes import changes_layer
    changes = getattr(result, "changes", None)
    if changes is None:
        return
    new = changes_layer(changes)
    project = QgsProject.instance()
    for old in project.mapLayersByName(new.name()):
        if old.providerType() == "memory":
            project.removeMapLayer(old.id())
    project.addMapLayer(new)
    if dock is not None and layer is not None and hasattr(dock, "set_extra_findings"):
        dock.set_extra_findings(layer, list(changes.findings))
