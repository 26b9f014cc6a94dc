"""The Qt 6 scan (scripts/qt6_scan.py, run by `make lint`) finds Qt 5-only API, finds none in the
plugin, and metadata.txt declares supportsQt6 only then."""
from __future__ import annotations

import configparser
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import qt6_scan  # noqa: E402

# every line marked `# QTnnn` must be reported with that code on that line, and no other line
KNOWN_HITS = '''
from qgis.PyQt.QtCore import Qt, QVariant, QRegExp, pyqtSignal, QObject, QDateTime  # QT605
from qgis.PyQt.QtWidgets import QAction, QMessageBox, QDialogButtonBox, QApplication, QDialog  # QT606
from qgis.PyQt.QtGui import QFontMetrics, QPainter
from qgis.PyQt import QtCore
from qgis.core import Qgis, QgsTask, QgsField, QgsWkbTypes
from PyQt5.QtCore import QTimer  # QT605
from qgis.PyQt.Qt import Qt as OldQt  # QT605


class Thing(QObject):
    changed = pyqtSignal('QString')  # QT608
    fine = pyqtSignal(str)

    def __init__(self):
        super().__init__()
        self.late = pyqtSignal(int)  # QT608

    def exec_(self):  # QT604
        return 0


def run(dlg, label, combo):
    label.setAlignment(Qt.AlignLeft)  # QT601
    label.setAlignment(QtCore.Qt.AlignRight)  # QT601
    if QMessageBox.question(None, "t", "q") == QMessageBox.Yes:  # QT601
        pass
    dlg.exec_()  # QT604
    f = QgsField("naam", QVariant.String)  # QT603
    g = QgsField("n", QVariant.Int)  # QT603
    null = QVariant()  # QT603
    task_flags = QgsTask.CanCancel  # QT601
    level = Qgis.Warning  # QT601
    geometry = QgsWkbTypes.PolygonGeometry  # QT601
    flags = Qt.Alignment()  # QT602
    w = QFontMetrics(label.font()).width("x")  # QT607
    w2 = label.fontMetrics().width("x")  # QT607
    fm = QFontMetrics(label.font())
    w3 = fm.width("y")  # QT607
    screen = QApplication.desktop()  # QT607
    part = "abc".midRef(1)  # QT607
    combo.activated[str].connect(print)  # QT607
    button = Qt.MidButton  # QT607
    hint = QPainter.HighQualityAntialiasing  # QT607
    when = QDateTime(2026, 1, 2, 3, 4, 5, 0, Qt.UTC)  # QT607 QT601
    text = QtCore.QString  # QT605
    return (f, g, null, task_flags, level, geometry, flags, w, w2, w3, screen, part, button, hint, when, text,
            QRegExp, QTimer, QAction, OldQt, QDialogButtonBox, QDialog)
'''

CLEAN = '''
from qgis.PyQt.QtCore import Qt, QMetaType, pyqtSignal, QObject
from qgis.PyQt.QtWidgets import QMessageBox, QDialogButtonBox, QDialog
from qgis.core import Qgis, QgsTask, QgsWkbTypes, NULL

try:
    from qgis.PyQt.QtGui import QAction
except ImportError:
    from qgis.PyQt.QtWidgets import QAction


class Thing(QObject):
    changed = pyqtSignal(str)


def run(dlg, label):
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    if QMessageBox.question(None, "t", "q") == QMessageBox.StandardButton.Yes:
        pass
    dlg.exec()
    ok = dlg.result() == QDialog.DialogCode.Accepted
    return (ok, QgsTask.Flag.CanCancel, Qgis.MessageLevel.Warning, QgsWkbTypes.GeometryType.PolygonGeometry,
            QMetaType.Type.QString, NULL, QAction, QDialogButtonBox.StandardButton.Ok,
            label.fontMetrics().horizontalAdvance("x"))
'''


def expected(source: str):
    out = set()
    for n, line in enumerate(source.splitlines(), 1):
        if "# QT" in line:
            for code in line.split("#", 1)[1].split():
                out.add((n, code))
    return out


def test_the_scan_finds_every_known_qt5_only_use():
    hits = qt6_scan.scan_source(KNOWN_HITS)
    found = {(h.line, h.code) for h in hits}
    assert found == expected(KNOWN_HITS), "\n".join(map(str, hits))
    texts = "\n".join(map(str, hits))
    assert "use Qt.AlignmentFlag.AlignLeft" in texts and "use QMessageBox.StandardButton.Yes" in texts
    assert "use QgsTask.Flag.CanCancel" in texts and "use Qgis.MessageLevel.Warning" in texts


def test_the_scan_passes_scoped_qt6_ready_code():
    assert qt6_scan.scan_source(CLEAN) == []


def test_the_scan_fails_on_a_file_with_hits_and_names_it(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent(KNOWN_HITS), encoding="utf-8")
    good = tmp_path / "good.py"
    good.write_text(CLEAN, encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "qt6_scan.py"), str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert f"{bad}:" in run.stdout and str(good) not in run.stdout
    good_only = subprocess.run([sys.executable, str(ROOT / "scripts" / "qt6_scan.py"), str(good)],
                               capture_output=True, text=True)
    assert good_only.returncode == 0, good_only.stdout


def test_the_plugin_and_its_tests_have_no_qt5_only_api_and_declare_qt6():
    hits = qt6_scan.scan_paths([str(ROOT / "lmvw_plugin"), str(ROOT / "tests")])
    assert hits == [], "\n".join(map(str, hits))
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    assert meta["general"]["supportsQt6"] == "True"


@pytest.mark.parametrize("version", [32200, 33400, 33800, 34000])
def test_field_type_uses_the_type_api_of_the_qgis_at_hand(qgis_app, version):
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QMetaType, QVariant

    from lmvw_plugin.layers.qtcompat import field_type
    t = field_type("QString", version)
    assert isinstance(t, QMetaType.Type if version >= 33800 else QVariant.Type)
    assert QgsField("x", field_type("QString"), len=5).type() == QVariant.Type.String
    assert int(field_type("Int", version)) == int(QVariant.Type.Int)
    assert int(field_type("QDate", version)) == int(QVariant.Type.Date)
