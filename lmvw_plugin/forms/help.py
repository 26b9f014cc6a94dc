"""Help texts of the standard as tooltips on attribute forms.

QGIS 3.22 shows a field's *comment* as the tooltip of its label, and cannot read comments from a
GeoPackage before GDAL 3.7. So the plugin sets the tooltips itself: when the keyboard focus enters
an attribute form of a layer with the Basisset fields, every label and editor widget of that form
gets the help text of its field, in the user's language. This costs one signal per focus change,
not an event filter on every event. (The GeoPackage also carries the Dutch help texts as column
descriptions, which QGIS builds with GDAL >= 3.7 show without the plugin.)
"""
from __future__ import annotations

import html
from typing import Optional

from qgis.gui import QgsAttributeForm
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtWidgets import QApplication, QLabel, QWidget

from ..standard import Standard, pick

DONE = "lmvw_help_installed"


def tooltip(standard: Standard, name: str, lang: str) -> Optional[str]:
    f = standard.field_by_name.get(name)
    if f is None:
        return None
    return f"<b>{html.escape(pick(f.label, lang))}</b><p>{html.escape(pick(f.help, lang))}</p>"


def install_tooltips(form: QWidget, standard: Standard, lang: str) -> int:
    """Set the help tooltips on a form's labels and widgets; returns how many fields got one.

    An editor widget carries its field's name as object name; its label is the QLabel whose buddy
    it is, or (QGIS 3.22 without buddy) the label whose tooltip QGIS starts with the field's alias
    in bold (or the name where the field has no alias)."""
    count = 0
    labels = form.findChildren(QLabel)
    layer = _layer_of(form)
    fields = layer.fields() if layer is not None else None
    for f in standard.fields:
        tip = tooltip(standard, f.name, lang)
        hit = False
        widgets = form.findChildren(QWidget, f.name)
        for w in widgets:
            w.setToolTip(tip)
            hit = True
        heads = {f"<b>{html.escape(f.name)}</b>", f"<b>{f.name}</b>"}
        if fields is not None and fields.indexOf(f.name) >= 0:
            alias = layer.attributeDisplayName(fields.indexOf(f.name))
            heads |= {f"<b>{alias}</b>", f"<b>{html.escape(alias)}</b>"}
        for lab in labels:
            buddy = lab.buddy()
            if (buddy is not None and buddy.objectName() == f.name) or lab.toolTip().startswith(tuple(heads)):
                lab.setToolTip(tip)
                hit = True
        count += hit
    form.setProperty(DONE, True)
    return count


def _layer_of(form: QWidget):
    try:
        return sip.cast(form, QgsAttributeForm).layer() if form.inherits("QgsAttributeForm") else None
    except (TypeError, RuntimeError):
        return None


def _form_of(widget: Optional[QWidget]) -> Optional[QgsAttributeForm]:
    """The attribute form a widget is in. sip presents a form QGIS made as a plain QWidget
    (isinstance fails on 3.22): ask Qt's meta object, then cast."""
    while widget is not None:
        if widget.inherits("QgsAttributeForm"):
            return sip.cast(widget, QgsAttributeForm)
        widget = widget.parentWidget()
    return None


class FormHelp(QObject):
    """Installs tooltips on attribute forms of plan layers as the user enters them."""

    def __init__(self, standard: Standard, lang: str, is_plan_layer, parent=None):
        super().__init__(parent)
        self.standard = standard
        self.lang = lang
        self.is_plan_layer = is_plan_layer
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        try:
            form = _form_of(new)
            if form is None or form.property(DONE):
                return
            layer = form.layer()
            if layer is not None and self.is_plan_layer(layer):
                install_tooltips(form, self.standard, self.lang)
        except Exception as e:  # noqa: BLE001 - a Qt slot: log, never QGIS's error dialog
            from qgis.core import Qgis, QgsMessageLog
            QgsMessageLog.logMessage(f"form help: {e}", "LMVW", Qgis.MessageLevel.Warning)

    def unload(self) -> None:
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        except (TypeError, RuntimeError):
            pass
