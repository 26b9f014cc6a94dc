"""The province in the interface: the settings row *Provincie*, the export dialog's *Formaat*,
the background task of a province export, and the standard the plugin works with (the Basisset
extended with the chosen province's fields and checks)."""
from __future__ import annotations

import os
import traceback
from typing import Callable, Optional

from qgis.core import QgsTask
from qgis.PyQt.QtWidgets import QComboBox, QLabel

from ..i18n import language, tr
from ..layers.reader import read_fasering_layer
from ..standard import Standard, load, pick
from ..standard.provinces import LMVW, extend, load_province, province_for_gemeente, provinces
from . import settings


def plugin_standard() -> Standard:
    """The Basisset with the province of the settings (its extra fields, form tab and checks)."""
    return extend(load(), settings.provincie())


def new_layer_standard(standard: Standard, gemeentecode: str) -> Standard:
    """*Nieuwe planlaag*: the settings' province, or, while none is chosen, the one of the new layer's
    gemeente (so that its extra fields are in the layer from the start)."""
    if settings.provincie_setting():
        return standard
    base = getattr(standard, "base_standard", standard)
    return extend(base, province_for_gemeente(gemeentecode))


def layer_standard(standard: Standard, layer) -> Standard:
    """The standard a plan layer was made with: the plugin's, or, while no province is chosen in the
    settings, the one of the province whose extra fields the layer has (*Nieuwe planlaag* for a
    gemeente of that province; new_layer_standard)."""
    if settings.provincie_setting() or layer is None:
        return standard
    names = set(layer.fields().names())
    for key in provinces():
        extra = load_province(key).extra_field_names
        if extra and names.issuperset(extra):
            return extend(getattr(standard, "base_standard", standard), key)
    return standard


# -- settings ---------------------------------------------------------------------------------

def add_settings_row(dialog) -> None:
    """Add *Provincie* to the settings dialog, proposed from the gemeente while the user has not
    chosen one; the dialog calls save_settings_row on OK."""
    dialog.provincie = QComboBox(dialog)
    dialog.provincie.setObjectName("provincie")
    dialog.provincieLabel = QLabel(tr("Province"), dialog)
    dialog.provincie.setToolTip(tr("The format the export writes and the extra fields the province asks; "
                                   "'LMVW package' for a province without its own format."))
    settings.fill_provincie_combo(dialog.provincie, settings.provincie(), language())
    dialog.formLayout.addRow(dialog.provincieLabel, dialog.provincie)
    dialog._provincie_touched = bool(settings.provincie_setting())

    def touched(*_a):
        dialog._provincie_touched = True
    dialog.provincie.activated.connect(touched)

    def propose(*_a):
        if dialog._provincie_touched:
            return
        code = settings.combo_gemeentecode(dialog.gemeente, dialog.standard)
        key = province_for_gemeente(code) or LMVW
        dialog.provincie.setCurrentIndex(max(0, dialog.provincie.findData(key)))
    dialog.gemeente.currentIndexChanged.connect(propose)


def save_settings_row(dialog) -> None:
    settings.set_provincie(dialog.provincie.currentData() or LMVW)


# -- export dialog ----------------------------------------------------------------------------

def add_format_row(dialog) -> None:
    """Add *Formaat* to the export dialog: the LMVW package or the province's format (default the
    settings' province)."""
    dialog.format = QComboBox(dialog)
    dialog.format.setObjectName("format")
    dialog.formatLabel = QLabel(tr("Format"), dialog)
    dialog.format.addItem(tr("LMVW package (zip)"), LMVW)
    lang = language()
    for key in provinces():
        dialog.format.addItem(load_province(key).format_label(lang), key)
    current = settings.provincie() or LMVW
    dialog.format.setCurrentIndex(max(0, dialog.format.findData(current)))
    dialog.formLayout.addRow(dialog.formatLabel, dialog.format)
    base = getattr(dialog.standard, "base_standard", dialog.standard)

    dialog.formatOptions = {}                            # the chosen format's options: key -> widget

    def follow(*_a):
        """The validation shown before writing includes the chosen province's checks; the format's own
        options (Gelderland's template, Zuid-Holland's RFC 7946 variant) appear under it."""
        key = chosen_format(dialog)
        dialog.standard = extend(base, None if key == LMVW else key)
        _format_options(dialog, None if key == LMVW else load_province(key))
        dialog._prepared_key = None                      # validate again, with these rules
        timer = getattr(dialog, "_timer", None)
        if timer is not None:
            timer.start()
    follow()
    dialog.format.currentIndexChanged.connect(follow)


def _format_options(dialog, prov) -> None:
    """The rows of the chosen format's options (from its profile's `options`), replacing the previous ones."""
    from qgis.gui import QgsFileWidget
    from qgis.PyQt.QtWidgets import QCheckBox
    lang = language()
    for widget, _label in getattr(dialog, "_format_option_rows", []):
        dialog.formLayout.removeRow(widget)             # deletes the widget and its label
    dialog._format_option_rows, dialog.formatOptions = [], {}
    if prov is None:
        return
    row = dialog.formLayout.getWidgetPosition(dialog.format)[0] + 1
    for opt in prov.options:
        text, help_text = pick(opt["label"], lang), pick(opt["help"], lang)
        if opt["kind"] == "bool":
            widget = QCheckBox(text, dialog)
            label = None
        else:
            widget = QgsFileWidget(dialog)
            widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
            if opt.get("filter"):
                widget.setFilter(opt["filter"])
            label = QLabel(text, dialog)
        widget.setObjectName("formatOption_" + opt["key"])
        widget.setToolTip(help_text)
        if label is None:
            dialog.formLayout.insertRow(row, widget)
        else:
            label.setToolTip(help_text)
            dialog.formLayout.insertRow(row, label, widget)
        row += 1
        dialog._format_option_rows.append((widget, label))
        dialog.formatOptions[opt["key"]] = widget


def format_options(dialog) -> dict:
    """The chosen format's options as the writer takes them: a file's path (when given), a box ticked."""
    out = {}
    for key, widget in getattr(dialog, "formatOptions", {}).items():
        if hasattr(widget, "filePath"):
            path = widget.filePath().strip()
            if path:
                out[key] = os.path.abspath(path)
        elif widget.isChecked():
            out[key] = True
    return out


def chosen_format(dialog) -> str:
    combo = getattr(dialog, "format", None)
    return (combo.currentData() if combo is not None else None) or LMVW


def target_name(dialog, gemeente: str, uitvraag: str) -> Optional[str]:
    """The province file's name for the chosen format, or None for the LMVW package."""
    key = chosen_format(dialog)
    if key == LMVW:
        return None
    return load_province(key).filename(gemeente or "GM????", uitvraag)


# -- the background export --------------------------------------------------------------------

class ProvinceExportTask(QgsTask):
    """Reads the layers and writes the province file (delivery.province.export_province)."""

    def __init__(self, description: str, source, fasering_source, export_kwargs: dict,
                 done: Callable[["ProvinceExportTask"], None], fasering_stored=None):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.source = source
        self.fasering_source = fasering_source
        self.fasering_stored = fasering_stored
        self.kwargs = export_kwargs
        self.done = done
        self.result = None
        self.exception: Optional[BaseException] = None
        self.trace = ""

    def run(self) -> bool:
        from ..delivery.province import export_province
        try:
            plans = self.source.read(feedback=None)
            if plans is None:
                return False
            fasering = (read_fasering_layer(self.fasering_source, self.source.standard,
                                            stored=self.fasering_stored)
                        if self.fasering_source is not None else None)
            self.result = export_province(plans, fasering, progress=self.setProgress,
                                          is_cancelled=self.isCanceled, **self.kwargs)
            return True
        except BaseException as e:   # shown in the message bar by the plugin
            self.exception = e
            self.trace = traceback.format_exc()
            return False

    def finished(self, ok: bool) -> None:
        self.done(self)
