"""Translations: source strings are English, lmvw_nl.ts holds the Dutch. Dutch is the default.

All plugin strings go through `tr()` (context "@default", the context pylupdate5 gives a bare
`tr("…")` call). Qt Designer strings use the form's class name as their context.

Inside QGIS, `install_translator()` loads the compiled .qm into Qt. The command line's validate,
export and inspect never start Qt (importing qgis alone takes a second): `use_catalog()` reads the
same translations from the .ts file, and `tr()` looks them up there.

Counts: `trn(QT_TR_NOOP("{} plan"), QT_TR_NOOP("{} plans"), n)` picks the singular for 1 and the
plural otherwise, and translates that source string (both are in the .ts; QT_TR_NOOP marks them
for pylupdate5). `n_plans(n)`, `n_errors(n)`, `n_warnings(n)` are the common phrases.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from functools import cache
from typing import Dict, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
TS = os.path.join(HERE, "lmvw_nl.ts")
_installed = None                                   # the QTranslator in use, if any
_qt_installed = None                                # Qt's own Dutch (qtbase_nl), when we loaded it
_catalog: Optional[Dict[str, str]] = None          # Qt-free translations (command line)


def tr(text: str, *args, **kwargs) -> str:
    """Translate an English source string; format it with args if given."""
    if _catalog is not None:
        out = _catalog.get(text, text)
    else:
        from qgis.PyQt.QtCore import QCoreApplication
        out = QCoreApplication.translate("@default", text)
    return out.format(*args, **kwargs) if (args or kwargs) else out


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    """Mark a source string for translation without translating it (for `trn`)."""
    return text


def trn(singular: str, plural: str, n: int, *args, **kwargs) -> str:
    """Translate the singular source string when n is 1, else the plural one; format it with
    args (n when none are given)."""
    return tr(singular if n == 1 else plural, *(args or (n,)), **kwargs)


def n_plans(n: int) -> str:
    return trn(QT_TR_NOOP("{} plan"), QT_TR_NOOP("{} plans"), n)


def n_errors(n: int) -> str:
    return trn(QT_TR_NOOP("{} error"), QT_TR_NOOP("{} errors"), n)


def n_warnings(n: int) -> str:
    return trn(QT_TR_NOOP("{} warning"), QT_TR_NOOP("{} warnings"), n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    """Mark a source string of a context (e.g. "Report") for translation without translating it."""
    return text


@cache
def dutch(context: str = "@default") -> Dict[str, str]:
    """The finished Dutch translations of one context of the .ts file: {English source: Dutch}."""
    out: Dict[str, str] = {}
    if not os.path.exists(TS):
        return out
    for ctx in ET.parse(TS).getroot().iter("context"):
        if ctx.findtext("name") != context:
            continue
        for msg in ctx.iter("message"):
            tr_el = msg.find("translation")
            if tr_el is not None and tr_el.text and tr_el.get("type") != "unfinished":
                out[msg.findtext("source")] = tr_el.text
    return out


def translated(text: str, lang: str, context: str = "@default") -> str:
    """An English source string in `lang`, whatever language the interface speaks (a delivery's report
    is written in the language asked for): Dutch from the .ts file, else the source itself."""
    return dutch(context).get(text, text) if lang == "nl" else text


def use_catalog(lang: str) -> None:
    """Translate without Qt: Dutch from the .ts file, or the English source strings."""
    global _catalog
    _catalog = dict(dutch("@default")) if lang == "nl" else {}


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
    install_qt_translator(loc)
    return translator


def qt_translations_dir() -> str:
    """Where Qt's own translations are (Debian: qttranslations5-l10n, /usr/share/qt5/translations)."""
    from qgis.PyQt.QtCore import QLibraryInfo
    if hasattr(QLibraryInfo, "path"):                                  # Qt 6
        return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return QLibraryInfo.location(QLibraryInfo.LibraryLocation.TranslationsPath)


def install_qt_translator(locale: str):
    """Qt's own buttons (OK/Cancel, Yes/No) in Dutch too: load qtbase_nl when QGIS did not.
    Returns the translator when one was installed here."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    global _qt_installed
    if _qt_installed is not None or language(locale) != "nl":
        return _qt_installed
    if QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel":
        return None                                                    # QGIS loaded them already
    translator = QTranslator()
    folder = qt_translations_dir()
    for name in (f"qtbase_{locale}", "qtbase_nl"):
        if folder and translator.load(name, folder):
            QCoreApplication.installTranslator(translator)
            _qt_installed = translator
            return translator
    return None


def remove_translator() -> None:
    global _installed, _qt_installed
    from qgis.PyQt.QtCore import QCoreApplication
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
    if _qt_installed is not None:
        QCoreApplication.removeTranslator(_qt_installed)
        _qt_installed = None
