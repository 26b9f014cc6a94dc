"""Translations: source strings are English, lmvw_nl.ts holds the Dutch. Dutch is the default.

All plugin strings go through `tr()` (context "@default", the context pylupdate5 gives a bare
`tr("…")` call). Qt Designer strings use the form's class name as their context.

Inside QGIS, `install_translator()` loads the compiled .qm into Qt. The command line's validate,
export and inspect never start Qt (importing qgis alone takes a second): `use_catalog()` reads the
same translations from the .ts file, and `tr()` looks them up there.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from typing import Dict, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
TS = os.path.join(HERE, "lmvw_nl.ts")
_installed = None                                   # the QTranslator in use, if any
_catalog: Optional[Dict[str, str]] = None          # Qt-free translations (command line)


def tr(text: str, *args, **kwargs) -> str:
    """Translate an English source string; format it with args if given."""
    if _catalog is not None:
        out = _catalog.get(text, text)
    else:
        from qgis.PyQt.QtCore import QCoreApplication
        out = QCoreApplication.translate("@default", text)
    return out.format(*args, **kwargs) if (args or kwargs) else out


def use_catalog(lang: str) -> None:
    """Translate without Qt: Dutch from the .ts file, or the English source strings."""
    global _catalog
    catalog: Dict[str, str] = {}
    if lang == "nl" and os.path.exists(TS):
        for context in ET.parse(TS).getroot().iter("context"):
            if context.findtext("name") != "@default":
                continue
            for msg in context.iter("message"):
                tr_el = msg.find("translation")
                if tr_el is not None and tr_el.text and tr_el.get("type") != "unfinished":
                    catalog[msg.findtext("source")] = tr_el.text
    _catalog = catalog


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
    from qgis.PyQt.QtCore import QLocale
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


def install_translator(locale: Optional[str] = None):
    """Install the Dutch translator when the locale is Dutch. Returns it (keep a reference)."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    global _installed, _catalog
    _catalog = None
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
        from qgis.PyQt.QtCore import QCoreApplication
        QCoreApplication.removeTranslator(_installed)
        _installed = None
