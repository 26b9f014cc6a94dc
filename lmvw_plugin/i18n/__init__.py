"""Translations: source strings are English, lmvw_nl.ts holds the Dutch. Dutch is the default.

All plugin strings go through `tr()` (context "@default", the context pylupdate5 gives a bare
`tr("…")` call). Qt Designer strings use the form's class name as their context.
"""
from __future__ import annotations

import os
from typing import Optional

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

HERE = os.path.dirname(os.path.abspath(__file__))
_installed: Optional[QTranslator] = None


def tr(text: str, *args, **kwargs) -> str:
    """Translate an English source string; format it with args if given."""
    out = QCoreApplication.translate("@default", text)
    return out.format(*args, **kwargs) if (args or kwargs) else out


def user_locale() -> str:
    """The locale QGIS runs in: the user's override when set (a fresh profile has none),
    else the system locale."""
    try:
        from qgis.core import QgsSettings
        settings = QgsSettings()
        if settings.value("locale/overrideFlag", False, type=bool):
            loc = settings.value("locale/userLocale", "")
            if loc:
                return str(loc)
    except Exception:  # pragma: no cover - outside QGIS
        pass
    return QLocale.system().name() or "C"


def qm_path(locale: str) -> Optional[str]:
    """The .qm for a locale: lmvw_nl_NL.qm, else lmvw_nl.qm; None when there is none."""
    for name in (locale, locale.split("_")[0]):
        path = os.path.join(HERE, f"lmvw_{name}.qm")
        if os.path.exists(path):
            return path
    return None


def language(locale: Optional[str] = None) -> str:
    """'nl' or 'en': the language of the interface and of the standard's texts."""
    loc = (locale or user_locale()).lower()
    return "nl" if loc.startswith("nl") else "en"


def install_translator(locale: Optional[str] = None) -> Optional[QTranslator]:
    """Install the Dutch translator when the locale is Dutch. Returns it (keep a reference)."""
    global _installed
    loc = locale or user_locale()
    if language(loc) != "nl":
        return None
    path = qm_path(loc)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(path):
        return None
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
    QCoreApplication.installTranslator(translator)
    _installed = translator
    return translator


def remove_translator() -> None:
    global _installed
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
