#!/usr/bin/env python3
"""Scan Python code for Qt 5-only API that QGIS 4 (Qt 6, PyQt6) does not have.

    python scripts/qt6_scan.py [PATH ...]        (default: lmvw_plugin tests)

Prints one line a hit, `file:line:col: QT6nn what (the fix)`, and exits 1 when it finds any, 0
when the code is clean. `make lint` runs it; metadata.txt declares supportsQt6=True only while it
finds nothing (tests/test_qt6_scan.py holds the two together).

What it looks for follows QGIS's own migration script (scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py in
the QGIS sources) and the Qt 6 porting notes:

- QT601 unscoped enum values (`Qt.AlignLeft`, `QMessageBox.Yes`, `QgsTask.CanCancel`): PyQt6 has
  only the scoped names (`Qt.AlignmentFlag.AlignLeft`). Found by resolving the names the file
  imports from qgis.* / PyQt5.* in the running PyQt5 and QGIS: a class attribute that is an enum
  member is unscoped (the suggestion names its enum).
- QT602 QFlags classes (`Qt.Alignment`, `QgsTask.Flags`): gone in PyQt6, use the enum.
- QT603 `QVariant.String`, `QVariant.Int`, … field types and `QVariant()`: use the QGIS version's
  type API (lmvw_plugin.layers.qtcompat.field_type) and `NULL`.
- QT604 `exec_()`: `exec()`.
- QT605 removed classes and modules: QRegExp, QRegExpValidator, QDesktopWidget, QStringRef,
  QString, QGLWidget, QtWebKit, resources_rc, qgis.PyQt.Qt, and any direct PyQt5 import.
- QT606 classes that moved from QtWidgets to QtGui (QAction, QActionGroup, QShortcut,
  QUndoCommand, QUndoStack, QFileSystemModel): import them from QtGui, with QtWidgets only as
  the `except ImportError` fallback (lmvw_plugin.layers.qtcompat does this once).
- QT607 removed members: `.midRef()`/`.leftRef()`/`.rightRef()`, `QFontMetrics.width()`
  (`horizontalAdvance`), `QApplication.desktop()`, `qApp`, overloaded signals by type
  (`activated[str]`), Qt.MidButton / TextColorRole / BackgroundColorRole,
  QPainter.HighQualityAntialiasing, `QDateTime(y, m, d, h, mi, s, ms, spec)`, `addAction` with
  four or more arguments.
- QT608 pyqtSignal misuse: a signal made outside a class body (PyQt binds signals only as class
  attributes) or declared with the C++ type names 'QString' / 'QVariant' / 'QStringList'.
"""
from __future__ import annotations

import argparse
import ast
import enum
import importlib
import os
import sys
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

REMOVED_NAMES = {
    "QRegExp": "use QRegularExpression",
    "QRegExpValidator": "use QRegularExpressionValidator",
    "QDesktopWidget": "use QScreen (QGuiApplication.screens(), widget.screen())",
    "QStringRef": "use str slicing",
    "QString": "use str",
    "QGLWidget": "use QOpenGLWidget",
    "qApp": "use QApplication.instance()",
}
REMOVED_MODULES = {
    "qgis.PyQt.Qt": "import Qt from qgis.PyQt.QtCore",
    "qgis.PyQt.QtWebKit": "QtWebKit is gone in Qt 6 (QtWebEngine)",
    "qgis.PyQt.QtWebKitWidgets": "QtWebKit is gone in Qt 6 (QtWebEngine)",
}
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut", "QUndoCommand", "QUndoStack", "QUndoGroup",
                  "QFileSystemModel"}
RENAMED_ENUMS = {
    ("Qt", "MidButton"): "Qt.MouseButton.MiddleButton",
    ("Qt", "TextColorRole"): "Qt.ItemDataRole.ForegroundRole",
    ("Qt", "BackgroundColorRole"): "Qt.ItemDataRole.BackgroundRole",
    ("QPainter", "HighQualityAntialiasing"): "QPainter.RenderHint.Antialiasing",
}
REF_METHODS = {"midRef", "leftRef", "rightRef"}
CPP_SIGNAL_TYPES = {"QString", "QVariant", "QStringList", "QVariantMap", "QVariantList"}
QT_MODULE_PREFIXES = ("qgis.", "PyQt5.")


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    col: int
    code: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.text}"


# ------------------------------------------------------------------------------------------------
# resolving names in the running PyQt5 / QGIS

def _sip_types():
    """PyQt5's enum metatype (sip.enumtype, not exported by qgis.PyQt.sip) and sip.wrappertype."""
    try:
        from qgis.PyQt import QtCore, sip
    except ImportError:               # no QGIS: unscoped enums cannot be found
        return None, None
    enumtype = type(QtCore.Qt.AlignmentFlag)
    if issubclass(enumtype, enum.EnumMeta):      # PyQt6: enums are Python enums
        return enum.EnumMeta, getattr(sip, "wrappertype", None)
    return enumtype, getattr(sip, "wrappertype", None)


ENUMTYPE, WRAPPERTYPE = _sip_types()


def is_enum_type(obj) -> bool:
    return isinstance(obj, type) and ((ENUMTYPE is not None and isinstance(obj, ENUMTYPE))
                                      or issubclass(obj, enum.Enum))


def is_enum_member(obj) -> bool:
    return is_enum_type(type(obj))


def is_flags_class(obj) -> bool:
    """A PyQt5 QFlags wrapper (Qt.Alignment, QgsTask.Flags): a class made from an enum's values."""
    if not isinstance(obj, type) or is_enum_type(obj) or WRAPPERTYPE is None or not isinstance(obj, WRAPPERTYPE):
        return False
    return all(hasattr(obj, m) for m in ("__int__", "__invert__", "__or__", "__and__", "__xor__"))


class Resolver:
    """Maps a file's imported names to the objects in the running PyQt5/QGIS (None when unknown)."""

    def __init__(self, tree: ast.AST):
        self.names: Dict[str, Tuple[str, Optional[str]]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and node.module.startswith(QT_MODULE_PREFIXES):
                for a in node.names:
                    self.names[a.asname or a.name] = (node.module, a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith(QT_MODULE_PREFIXES) or a.name in ("qgis", "PyQt5"):
                        # import qgis.core as qc: qc is qgis.core; import qgis.core: the name is qgis
                        self.names[a.asname or a.name.split(".")[0]] = (a.name if a.asname else a.name.split(".")[0],
                                                                        None)

    def resolve(self, name: str):
        where = self.names.get(name)
        if where is None:
            return None
        module, attr = where
        try:
            mod = importlib.import_module(module)
            return getattr(mod, attr) if attr else mod
        except Exception:  # noqa: BLE001 - an import that fails here is not the scan's business
            return None


def _chain(node: ast.Attribute) -> Optional[List[str]]:
    """['Qt', 'AlignmentFlag', 'AlignLeft'] for Qt.AlignmentFlag.AlignLeft; None when it does not
    start with a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


# ------------------------------------------------------------------------------------------------
# the scan

class Scanner(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.AST):
        self.path = path
        self.hits: List[Hit] = []
        self.resolver = Resolver(tree)
        self.class_depth = 0
        self.in_import_fallback = 0
        self.font_metrics: set = set()

    def hit(self, node, code: str, text: str) -> None:
        self.hits.append(Hit(self.path, node.lineno, node.col_offset + 1, code, text))

    # structure ---------------------------------------------------------------------------------
    def visit_ClassDef(self, node):  # noqa: N802
        self.class_depth += 1
        for stmt in node.body:                        # the class body's own statements
            self._class_body(stmt)
        for dec in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(dec)
        self.class_depth -= 1

    def _class_body(self, stmt) -> None:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and self._is_signal_call(stmt.value):
            self._check_signal_args(stmt.value)
            for sub in ast.iter_child_nodes(stmt.value):
                self.visit(sub)
            return
        depth = self.class_depth
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.class_depth = 0                      # inside a method: not a class body
        self.visit(stmt)
        self.class_depth = depth

    def visit_FunctionDef(self, node):  # noqa: N802
        if node.name == "exec_":
            self.hit(node, "QT604", "defines exec_(): Qt 6 has only exec()")
        depth, self.class_depth = self.class_depth, 0
        self.generic_visit(node)
        self.class_depth = depth

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Try(self, node):  # noqa: N802
        for stmt in node.body + node.orelse + node.finalbody:
            self.visit(stmt)
        for handler in node.handlers:
            fallback = self._catches_import_error(handler)
            self.in_import_fallback += fallback
            self.visit(handler)
            self.in_import_fallback -= fallback

    @staticmethod
    def _catches_import_error(handler: ast.ExceptHandler) -> bool:
        names = []
        t = handler.type
        for n in (t.elts if isinstance(t, ast.Tuple) else [t]):
            if isinstance(n, ast.Name):
                names.append(n.id)
        return bool({"ImportError", "ModuleNotFoundError"} & set(names))

    # imports -----------------------------------------------------------------------------------
    def visit_ImportFrom(self, node):  # noqa: N802
        module = node.module or ""
        if node.level == 0 and (module == "PyQt5" or module.startswith("PyQt5.")):
            self.hit(node, "QT605", f"imports {module}: import through qgis.PyQt")
        if module in REMOVED_MODULES:
            self.hit(node, "QT605", f"imports {module}: {REMOVED_MODULES[module]}")
        for a in node.names:
            if a.name in REMOVED_NAMES:
                self.hit(node, "QT605", f"imports {a.name}, which Qt 6 removed: {REMOVED_NAMES[a.name]}")
            if a.name == "resources_rc":
                self.hit(node, "QT605", "imports resources_rc: load icons and .ui files by path")
            if a.name in MOVED_TO_QTGUI and module.endswith("QtWidgets") and not self.in_import_fallback:
                self.hit(node, "QT606", f"imports {a.name} from QtWidgets: it lives in QtGui in Qt 6 (import it "
                                        f"from QtGui, QtWidgets only as the ImportError fallback)")

    def visit_Import(self, node):  # noqa: N802
        for a in node.names:
            if a.name == "PyQt5" or a.name.startswith("PyQt5."):
                self.hit(node, "QT605", f"imports {a.name}: import through qgis.PyQt")
            if a.name in REMOVED_MODULES:
                self.hit(node, "QT605", f"imports {a.name}: {REMOVED_MODULES[a.name]}")

    # names and attributes ----------------------------------------------------------------------
    def visit_Name(self, node):  # noqa: N802
        if node.id == "qApp" and isinstance(node.ctx, ast.Load):
            self.hit(node, "QT607", "qApp is gone in Qt 6: use QApplication.instance()")

    def visit_Attribute(self, node):  # noqa: N802
        chain = _chain(node)
        if chain is not None:
            self._check_chain(node, chain)
        if node.attr == "exec_":
            self.hit(node, "QT604", "exec_() is gone in Qt 6: use exec()")
        elif node.attr == "QString" and isinstance(node.value, ast.Name) and node.value.id in ("QtCore", "PyQt5"):
            self.hit(node, "QT605", "QString is gone: use str")
        elif node.attr == "width" and self._is_font_metrics(node.value):
            self.hit(node, "QT607", "QFontMetrics.width() is gone in Qt 6: use horizontalAdvance()")
        self.generic_visit(node)

    def _check_chain(self, node: ast.Attribute, chain: List[str]) -> None:
        # only the outermost attribute of a chain is checked as a whole (Qt.AlignmentFlag.AlignLeft
        # is visited again as Qt.AlignmentFlag, which is fine on its own)
        first, second = chain[0], chain[1] if len(chain) > 1 else None
        if (first, second) in RENAMED_ENUMS and len(chain) == 2:
            self.hit(node, "QT607", f"{first}.{second} is gone in Qt 6: use {RENAMED_ENUMS[(first, second)]}")
            return
        if first == "QVariant" and len(chain) == 2 and second not in ("Type",) and second[:1].isupper():
            self.hit(node, "QT603", f"QVariant.{second} as a type is gone in Qt 6: use the QGIS version's type API "
                                    f"(lmvw_plugin.layers.qtcompat.field_type)")
            return
        obj = self.resolver.resolve(first)
        if obj is None:
            return
        walked = first
        for attr in chain[1:]:
            try:
                child = getattr(obj, attr)
            except Exception:  # noqa: BLE001 - not an attribute of the running Qt: not ours to judge
                return
            if isinstance(obj, type) and not is_enum_type(obj):
                if is_enum_member(child):
                    enum_name = type(child).__name__
                    self.hit(node, "QT601", f"unscoped enum {walked}.{attr}: use {walked}.{enum_name}.{attr}")
                    return
                if is_flags_class(child):
                    self.hit(node, "QT602", f"{walked}.{attr} is a QFlags class, gone in PyQt6: use the enum "
                                            f"itself (combine its values with |)")
                    return
            obj, walked = child, f"{walked}.{attr}"

    def _is_font_metrics(self, value) -> bool:
        if isinstance(value, ast.Call):
            f = value.func
            return ((isinstance(f, ast.Attribute) and f.attr == "fontMetrics")
                    or (isinstance(f, ast.Name) and f.id in ("QFontMetrics", "QFontMetricsF")))
        return isinstance(value, ast.Name) and value.id in self.font_metrics

    def visit_Assign(self, node):  # noqa: N802
        v = node.value
        if isinstance(v, ast.Call) and self._is_font_metrics(v):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    self.font_metrics.add(t.id)
        if self._is_signal_call(v):
            self.hit(node, "QT608", "pyqtSignal made outside a class body: PyQt binds signals only as class "
                                    "attributes")
        self.generic_visit(node)

    def visit_Subscript(self, node):  # noqa: N802
        s = node.slice
        if isinstance(node.value, ast.Attribute) and isinstance(s, ast.Name) and s.id in ("str", "int", "QString"):
            self.hit(node, "QT607", f"{node.value.attr}[{s.id}]: overloaded signals by type are gone in Qt 6 "
                                    f"(connect the signal itself, e.g. textActivated)")
        self.generic_visit(node)

    def visit_Call(self, node):  # noqa: N802
        f = node.func
        if isinstance(f, ast.Attribute):
            if f.attr in REF_METHODS:
                self.hit(node, "QT607", f".{f.attr}() is gone in Qt 6: slice the str")
            elif f.attr == "desktop" and not node.args:
                self.hit(node, "QT607", "QApplication.desktop() is gone in Qt 6: use QScreen")
            elif f.attr == "addAction" and len(node.args) >= 4:
                self.hit(node, "QT607", "addAction(icon, text, receiver, slot…) is fragile in Qt 6: make the "
                                        "QAction, then addAction(action)")
        if isinstance(f, ast.Name):
            if f.id == "QVariant" and not node.args:
                self.hit(node, "QT603", "QVariant() as NULL: use qgis.core.NULL")
            elif f.id == "QDateTime" and len(node.args) == 8:
                self.hit(node, "QT607", "QDateTime(y, m, d, h, mi, s, ms, spec) is gone: QDateTime(QDate, QTime, spec)")
        self.generic_visit(node)

    # signals ------------------------------------------------------------------------------------
    def _is_signal_call(self, v) -> bool:
        if not isinstance(v, ast.Call):
            return False
        f = v.func
        return (isinstance(f, ast.Name) and f.id == "pyqtSignal") or (isinstance(f, ast.Attribute)
                                                                      and f.attr == "pyqtSignal")

    def _check_signal_args(self, call: ast.Call) -> None:
        for a in call.args:
            if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value in CPP_SIGNAL_TYPES:
                self.hit(a, "QT608", f"pyqtSignal('{a.value}'): name the Python type (str, object, list, dict)")


def scan_source(source: str, path: str = "<snippet>") -> List[Hit]:
    tree = ast.parse(source, filename=path)
    s = Scanner(path, tree)
    s.visit(tree)
    return sorted(set(s.hits), key=lambda h: (h.path, h.line, h.col, h.code))


def python_files(paths: Iterable[str]) -> List[str]:
    out = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "node_modules") and not d.startswith("."))
            out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".py"))
    return out


def scan_paths(paths: Iterable[str]) -> List[Hit]:
    hits: List[Hit] = []
    for path in python_files(paths):
        with open(path, encoding="utf-8") as fh:
            hits.extend(scan_source(fh.read(), path))
    return hits


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Find Qt 5-only API (QGIS 4 runs Qt 6).")
    ap.add_argument("paths", nargs="*", default=["lmvw_plugin", "tests"])
    args = ap.parse_args(argv)
    if ENUMTYPE is None:
        print("qt6_scan: qgis.PyQt is not importable (run it with the Python QGIS uses)", file=sys.stderr)
        return 2
    hits = scan_paths(args.paths)
    for h in hits:
        print(h)
    print(f"qt6_scan: {len(hits)} Qt 5-only use{'s' if len(hits) != 1 else ''} in "
          f"{len(python_files(args.paths))} files", file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
