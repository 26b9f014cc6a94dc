"""Qt and QGIS without a window, for the command line and `make demo` (which write forms and styles)."""
from __future__ import annotations

import os
import tempfile

from ..i18n import install_translator

_app = None                       # kept alive for the process


def quiet_qt() -> None:
    """Qt warns on stderr when XDG_RUNTIME_DIR is unset (servers, CI): give it a private one."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        path = os.path.join(tempfile.gettempdir(), f"runtime-{os.getuid()}")
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = path


def qt_core(lang: str):
    """A Qt core application with the translator (enough for messages)."""
    global _app
    quiet_qt()
    from qgis.PyQt.QtCore import QCoreApplication
    if QCoreApplication.instance() is None:
        _app = QCoreApplication(["lmvw"])
    install_translator("nl_NL" if lang == "nl" else "en_US")


def qgis_app():
    """A headless QGIS application (needed to write forms and styles)."""
    global _app
    quiet_qt()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication
    from qgis.gui import QgsGui
    if not isinstance(QgsApplication.instance(), QgsApplication):
        _app = QgsApplication([], False)
        _app.initQgis()
    QgsGui.editorWidgetRegistry().initEditors()
    return _app
