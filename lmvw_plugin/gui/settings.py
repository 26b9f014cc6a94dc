"""The plugin's settings (QgsSettings): the gemeente and the default folder."""
from __future__ import annotations

import os
from typing import Optional

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QStringListModel, Qt
from qgis.PyQt.QtWidgets import QComboBox, QCompleter

from ..standard import Standard

PREFIX = "lmvw_plugin/"


def gemeentecode() -> str:
    return str(QgsSettings().value(PREFIX + "gemeentecode", "") or "")


def set_gemeentecode(code: str) -> None:
    QgsSettings().setValue(PREFIX + "gemeentecode", code or "")


def folder() -> str:
    value = str(QgsSettings().value(PREFIX + "folder", "") or "")
    return value if value and os.path.isdir(value) else os.path.expanduser("~")


def set_folder(path: str) -> None:
    QgsSettings().setValue(PREFIX + "folder", path or "")


def background_map() -> bool:
    """Add the BRT Achtergrondkaart under a new plan layer (default on)."""
    return QgsSettings().value(PREFIX + "background_map", True, type=bool)


def set_background_map(on: bool) -> None:
    QgsSettings().setValue(PREFIX + "background_map", bool(on))


def fill_gemeente_combo(combo: QComboBox, standard: Standard, current: Optional[str]) -> None:
    """A searchable list 'Utrecht (GM0344)'; typing part of the name or code filters it."""
    combo.clear()
    items = sorted(standard.gemeenten.items(), key=lambda kv: kv[1].lower())
    for code, name in items:
        combo.addItem(f"{name} ({code})", code)
    completer = QCompleter(QStringListModel([combo.itemText(i) for i in range(combo.count())], combo), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if current:
        idx = combo.findData(current)
        if idx >= 0:
            combo.setCurrentIndex(idx)
        else:                      # a code not in the 2024 list (e.g. after a merger): keep it
            combo.setEditText(current)
    else:
        combo.setCurrentIndex(-1)


def combo_gemeentecode(combo: QComboBox, standard: Standard) -> str:
    """The chosen code: from the list, or typed as GMdddd or as a name; '' when unclear."""
    text = combo.currentText().strip()
    idx = combo.findText(text)
    if idx >= 0:
        return combo.itemData(idx)
    if "(" in text and text.endswith(")"):
        text = text[text.rfind("(") + 1:-1]
    if standard.valid_gemeentecode(text.upper()):
        return text.upper()
    for code, name in standard.gemeenten.items():
        if name.lower() == text.lower():
            return code
    return ""


# the province (its format and extra fields): "lmvw" = the LMVW package; unset = proposed from the gemeente

def provincie_setting() -> str:
    return str(QgsSettings().value(PREFIX + "provincie", "") or "")


def set_provincie(key: str) -> None:
    QgsSettings().setValue(PREFIX + "provincie", key or "lmvw")


def provincie() -> Optional[str]:
    """The province whose format and fields the plugin uses, or None for the LMVW package: the
    setting, else proposed from the gemeente where the data knows it."""
    from ..standard.provinces import LMVW, province_for_gemeente, provinces
    value = provincie_setting()
    if value == LMVW:
        return None
    if value in provinces():
        return value
    return province_for_gemeente(gemeentecode())


def fill_provincie_combo(combo: QComboBox, current: Optional[str], lang: str) -> None:
    """'LMVW-pakket' first (no province format), then the provinces by name."""
    from ..i18n import tr
    from ..standard.provinces import LMVW, load_province, provinces
    combo.clear()
    combo.addItem(tr("LMVW package (no province format)"), LMVW)
    for key in provinces():
        p = load_province(key)
        combo.addItem(f"{p.name(lang)}: {p.format_label(lang).split(': ', 1)[-1]}", key)
    idx = combo.findData(current or LMVW)
    combo.setCurrentIndex(max(0, idx))
