"""Helpers for tests that need QGIS (imported by those tests only)."""
from __future__ import annotations

import os
import time

from qgis.core import QgsFeature, QgsProject, QgsVectorLayerTools
from qgis.gui import QgsAttributeEditorContext, QgsAttributeForm, QgsGui


class Tools(QgsVectorLayerTools):
    """The part of QGIS's vector layer tools an attribute form with a relation editor needs."""

    def addFeature(self, layer, defaultValues=None, defaultGeometry=None, parentWidget=None,  # noqa: N802
                   showModal=True, hideParent=False):
        return False, QgsFeature()

    def startEditing(self, layer):  # noqa: N802
        return layer.startEditing()

    def stopEditing(self, layer, allowCancel=True):  # noqa: N802
        return layer.commitChanges()

    def saveEdits(self, layer):  # noqa: N802
        return layer.commitChanges(False)

    def copyMoveFeatures(self, layer, request, dx=0, dy=0, errorMsg=None, topologicalEditing=False,  # noqa: N802
                         topologicalLayer=None):
        return False


TOOLS = Tools()


def form_for(layer, feature, mode=QgsAttributeEditorContext.Mode.SingleEditMode):
    QgsGui.editorWidgetRegistry().initEditors()
    ctx = QgsAttributeEditorContext()
    ctx.setVectorLayerTools(TOOLS)
    form = QgsAttributeForm(layer, feature, ctx)
    form.setMode(mode)
    return form


def new_package(tmp_path, gemeente="GM0344", lang="nl", name="woningbouwplannen.gpkg"):
    from lmvw_plugin.layers.create import create_package
    QgsGui.editorWidgetRegistry().initEditors()
    return create_package(os.path.join(str(tmp_path), name), gemeente, lang=lang, project=QgsProject.instance())


def dialog_for(layer, feature):
    """A QgsAttributeDialog for a new feature, as QGIS opens it after digitising."""
    from qgis.gui import QgsAttributeDialog
    QgsGui.editorWidgetRegistry().initEditors()
    ctx = QgsAttributeEditorContext()
    ctx.setVectorLayerTools(TOOLS)
    dlg = QgsAttributeDialog(layer, feature, False, None, True, ctx)
    dlg.setMode(QgsAttributeEditorContext.Mode.AddFeatureMode)
    return dlg


def ok_button(dialog):
    from qgis.PyQt.QtWidgets import QDialogButtonBox
    boxes = dialog.findChildren(QDialogButtonBox)
    ok = QDialogButtonBox.StandardButton.Ok
    return [b.button(ok) for b in boxes if b.button(ok)][0]


def wait_for(app, predicate, timeout=20.0):
    """Process Qt events until `predicate()` holds (True) or `timeout` seconds pass (False)."""
    end = time.time() + timeout
    while time.time() < end:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


_providers = []


def lmvw_provider():
    """The plugin's Processing provider, registered once for the test session.

    The registry holds the C++ provider but not its Python half: once the last Python reference
    is gone, the registry keeps a bare QgsProcessingProvider whose loadAlgorithms adds nothing, and
    a later test's algorithm is "not found". This module keeps the reference, as the plugin keeps
    self.provider."""
    from qgis.core import QgsApplication

    from lmvw_plugin.processing.provider import LmvwProvider
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("lmvw")
    if provider is None:
        provider = LmvwProvider()
        if registry.addProvider(provider):
            _providers.append(provider)
    return provider
