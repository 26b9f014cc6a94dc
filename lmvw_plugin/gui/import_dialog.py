"""*Plannen importeren…*: source, format, mapping, preview, then the import into the plan layer's
edit buffer (undoable; nothing is saved). The source is read by a cancellable task."""
from __future__ import annotations

import os
from typing import Callable, Optional

from qgis.core import QgsApplication, QgsMapLayerProxyModel, QgsProject, QgsTask, QgsVectorLayer
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..delivery import importing as im
from ..delivery.import_text import summary_line
from ..i18n import QT_TR_NOOP, language, tr, trn
from ..layers.schema import fields_problem, find_fasering_layer
from ..rules.table import SchemaError
from ..standard import Standard

NOT_IMPORTED = ""


class ReadTask(QgsTask):
    """Reads the whole source (im.load_source) in the background."""

    def __init__(self, path: str, fmt: str, standard: Standard, done: Callable[["ReadTask"], None],
                 table: Optional[str] = None, label: Optional[str] = None):
        self.label = label or os.path.basename(path)        # what messages name (never a connection's password)
        super().__init__(tr("Reading {}", self.label), QgsTask.Flag.CanCancel)
        self.path, self.fmt, self.standard, self.done, self.table = path, fmt, standard, done, table
        self.source: Optional[im.Source] = None
        self.error: Optional[str] = None

    def run(self) -> bool:
        try:
            self.source = im.load_source(self.path, self.standard, fmt=self.fmt, layer=self.table, lang=language())
            return not self.isCanceled()
        except im.ImportRefused as e:
            self.error = e.message
        except Exception as e:  # noqa: BLE001 - said in the dialog, never a traceback dialog
            self.error = tr("Cannot read {}: {}", self.path, f"{type(e).__name__}: {e}")
        if self.error and self.path.startswith("PG:"):
            self.error = self.error.replace(self.path, self.label)
        return False

    def finished(self, ok: bool) -> None:
        self.done(self)


class ImportDialog(QDialog):
    def __init__(self, standard: Standard, layer: Optional[QgsVectorLayer] = None, parent=None):
        super().__init__(parent)
        self.setObjectName("LmvwImportDialog")      # found by the desktop test
        self.standard = standard
        self.setWindowTitle(tr("Import plans"))
        self.resize(900, 640)
        self.source: Optional[im.Source] = None
        self.preview: Optional[im.Preview] = None
        self.task: Optional[ReadTask] = None
        self._read_path = ""                        # the source last read (a file, or a layer's file)
        self.applied = None
        form = QFormLayout()
        self.file = QgsFileWidget()
        self.file.setFilter(tr("Plans (*.gpkg *.shp *.geojson *.json *.csv *.xlsx *.ods *.zip *.gdb);;All files (*)"))
        self.file.fileChanged.connect(self._source_changed)
        form.addRow(tr("Source"), self.file)
        self.source_layer = QgsMapLayerComboBox()         # or a layer of the project (its stored table)
        self.source_layer.setObjectName("lmvwImportSourceLayer")
        self.source_layer.setFilters(QgsMapLayerProxyModel.Filter.VectorLayer)
        self.source_layer.setAllowEmptyLayer(True)
        self.source_layer.setLayer(None)
        self.source_layer.layerChanged.connect(self._source_layer_changed)
        form.addRow(tr("or a layer in the project"), self.source_layer)
        self.format = QComboBox()
        self.format.setObjectName("LmvwImportFormat")
        from ..standard.provinces import load_province
        for f in im.FORMATS:
            label = {"auto": tr("detect"), "lmvw": tr("earlier LMVW package"),
                     "table": tr("table (with a mapping)")}.get(f)
            if label is None:                      # a province's format, by its name (not its key)
                label = load_province(f).format_label(language())
            self.format.addItem(label, f)
        form.addRow(tr("Format"), self.format)
        self.layer = QgsMapLayerComboBox()
        self.layer.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        if layer is not None:
            self.layer.setLayer(layer)
        self.layer.layerChanged.connect(self._inputs_changed)
        form.addRow(tr("Import into plan layer"), self.layer)
        self.read_button = QPushButton(tr("Read source"))
        self.read_button.clicked.connect(self.start_read)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        # mapping
        mapping_page = QWidget()
        mv = QVBoxLayout(mapping_page)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([tr("Source column"), tr("Example"), tr("Basisset field")])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        mv.addWidget(self.mapping_table)
        self.unmapped = QLabel()
        self.unmapped.setWordWrap(True)
        mv.addWidget(self.unmapped)
        # the source's values that match no code: she maps each here (or in a mapping file); never guessed
        self.values_table = QTableWidget(0, 3)
        self.values_table.setObjectName("lmvwImportValues")
        self.values_table.setHorizontalHeaderLabels([tr("Basisset field"), tr("Source value"), tr("Code")])
        self.values_table.horizontalHeader().setStretchLastSection(True)
        self.values_table.setVisible(False)
        mv.addWidget(self.values_table)
        row = QHBoxLayout()
        self.load_mapping_button = QPushButton(tr("Load mapping…"))
        self.load_mapping_button.clicked.connect(self._load_mapping)
        self.save_mapping_button = QPushButton(tr("Save mapping…"))
        self.save_mapping_button.clicked.connect(self._save_mapping)
        self.preview_button = QPushButton(tr("Preview"))
        self.preview_button.clicked.connect(self.make_preview)
        for b in (self.load_mapping_button, self.save_mapping_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.preview_button)
        mv.addLayout(row)
        self.tabs.addTab(mapping_page, tr("Mapping"))
        # preview and problems
        self.plans_table = QTableWidget(0, 3)
        self.plans_table.setHorizontalHeaderLabels([tr("Action"), tr("Plan"), tr("Changes")])
        self.plans_table.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.plans_table, tr("Preview"))
        self.problems_table = QTableWidget(0, 5)
        self.problems_table.setHorizontalHeaderLabels([tr("Source"), tr("Plan"), tr("Field"), tr("Value"),
                                                       tr("Reason")])
        self.problems_table.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.problems_table, tr("Problems"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Import into the edit buffer"))
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        top = QVBoxLayout(self)
        top.addLayout(form)
        top.addWidget(self.read_button)
        top.addWidget(self.status)
        top.addWidget(self.tabs, 1)
        top.addWidget(self.buttons)
        self._set_mapping_enabled(False)

    # reading -------------------------------------------------------------------------------------
    def _source_changed(self, path: str) -> None:
        if path:
            self.source_layer.blockSignals(True)
            self.source_layer.setLayer(None)             # a file chosen replaces the layer
            self.source_layer.blockSignals(False)
        self.source = None
        self._invalidate()
        self.mapping_table.setRowCount(0)
        if path and os.path.exists(path):
            idx = self.format.findData(im.detect_format(path))
            self.format.setCurrentIndex(max(0, idx))

    def _source_layer_changed(self, layer) -> None:
        """A layer chosen as the source replaces the file, and its format is detected from its file."""
        if layer is None:
            return
        self.file.blockSignals(True)
        self.file.setFilePath("")
        self.file.blockSignals(False)
        self.source = None
        self._invalidate()
        self.mapping_table.setRowCount(0)
        from ..layers.importing import LayerSourceError, layer_as_source
        try:
            path, _table = layer_as_source(layer)
        except LayerSourceError:
            return                                   # said when she reads it
        if not path.startswith("PG:") and os.path.exists(path):
            self.format.setCurrentIndex(max(0, self.format.findData(im.detect_format(path))))

    def start_read(self) -> None:
        if self.task is not None:
            return
        path, table, label = self.file.filePath().strip(), None, None
        layer = self.source_layer.currentLayer() if not path else None
        if layer is not None:
            from ..layers.importing import LayerSourceError, layer_as_source
            try:
                path, table = layer_as_source(layer)
            except LayerSourceError as e:
                self._say(str(e), error=True)
                return
            label = layer.name()
        if not path:
            self._say(tr("Choose the source file, or a layer in the project."), error=True)
            return
        self._read_path = path
        self._say(tr("Reading {}… (the task bar shows the progress; you can cancel it there)", label or path))
        self.read_button.setEnabled(False)
        self.task = ReadTask(path, self.format.currentData(), self.standard, self._read_done, table, label)
        QgsApplication.taskManager().addTask(self.task)

    def _read_done(self, task: ReadTask) -> None:
        self.task = None
        self.read_button.setEnabled(True)
        if task.source is None:
            self._say(task.error or tr("Reading was cancelled."), error=True)
            return
        self.source = task.source
        self.fill_mapping(im.default_mapping(self.source, self._standard()))
        self._say(trn(QT_TR_NOOP("{} row read from {}."), QT_TR_NOOP("{} rows read from {}."), self.source.n,
                      self.source.n, task.label) +
                  "".join(" " + n for n in self.source.notes))

    # mapping -------------------------------------------------------------------------------------
    def fill_mapping(self, mapping: im.Mapping) -> None:
        self.values = dict(mapping.values)
        cols = list(self.source.columns) if self.source else []
        self.mapping_table.setRowCount(len(cols))
        names = [NOT_IMPORTED] + self._standard().field_names
        for r, col in enumerate(cols):
            self.mapping_table.setItem(r, 0, QTableWidgetItem(col))
            sample = next((v for v in self.source.columns[col] if v not in (None, "")), "")
            self.mapping_table.setItem(r, 1, QTableWidgetItem(str(sample)[:60]))
            combo = QComboBox()
            for n in names:
                combo.addItem(n or tr("(not imported)"), n)
            combo.setCurrentIndex(max(0, combo.findData(mapping.fields.get(col, NOT_IMPORTED))))
            combo.currentIndexChanged.connect(self._field_changed)
            self.mapping_table.setCellWidget(r, 2, combo)
        self._set_mapping_enabled(bool(cols))
        self.tabs.setCurrentIndex(0)
        self._show_unmapped()

    def _standard(self) -> Standard:
        """A province's file brings its standard (with the province's fields); a table the plugin's. (With
        the plugin's Basisset the province's fields were left out of the mapping: not imported.)"""
        return (self.source.standard if self.source is not None else None) or self.standard

    def mapping(self) -> im.Mapping:
        fields = {}
        for r in range(self.mapping_table.rowCount()):
            target = self.mapping_table.cellWidget(r, 2).currentData()
            if target:
                fields[self.mapping_table.item(r, 0).text()] = target
        return im.Mapping(fields, {k: v for k, v in getattr(self, "values", {}).items() if k in fields.values()})

    def set_field(self, column: str, target: str) -> None:
        for r in range(self.mapping_table.rowCount()):
            if self.mapping_table.item(r, 0).text() == column:
                combo = self.mapping_table.cellWidget(r, 2)
                combo.setCurrentIndex(max(0, combo.findData(target)))

    def _show_unmapped(self) -> None:
        """The values table: per mapped code-list field, the source values that match no code by themselves,
        each with a choice of the field's codes (her choice goes into the mapping, and into a saved mapping
        file); what stays unchosen stays empty and is listed among the problems."""
        self.values_table.setRowCount(0)
        if self.source is None:
            self.unmapped.setText("")
            self.values_table.setVisible(False)
            return
        mapping = self.mapping()
        standard = self.source.standard or self.standard
        rows = [(f, v) for f, vs in im.unmapped_values(self.source, im.Mapping(mapping.fields, {}), standard).items()
                for v in vs]
        self.values_table.setRowCount(len(rows))
        lang = language()
        defs = {f.name: f for f in standard.fields}
        for r, (fname, value) in enumerate(rows):
            self.values_table.setItem(r, 0, QTableWidgetItem(defs[fname].text(lang)))
            self.values_table.setItem(r, 1, QTableWidgetItem(value))
            combo = QComboBox()
            combo.addItem(tr("(no code: stays empty)"), "")
            for item in standard.codelists[defs[fname].codelist]:
                combo.addItem(f"{item.code} — {item.label.get(lang) or item.label.get('nl') or ''}".rstrip(" —"),
                              item.code)
            chosen = self.values.get(fname, {}).get(value, "")
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.setProperty("lmvw_field", fname)
            combo.setProperty("lmvw_value", value)
            combo.currentIndexChanged.connect(self._value_changed)
            self.values_table.setCellWidget(r, 2, combo)
        self.values_table.setVisible(bool(rows))
        self._values_summary()

    def _values_summary(self) -> None:
        n = self.values_table.rowCount()
        left = sum(1 for r in range(n) if not self.values_table.cellWidget(r, 2).currentData())
        self.unmapped.setText("" if not n else tr("{} of {} source values match no code: choose one below, or leave "
                                                  "them empty (they are listed among the problems).", left, n))

    def set_value(self, fname: str, value: str, code: str) -> None:
        """Maps one source value of a code-list field onto a code, as choosing it in the values table does."""
        for r in range(self.values_table.rowCount()):
            combo = self.values_table.cellWidget(r, 2)
            if combo.property("lmvw_field") == fname and combo.property("lmvw_value") == value:
                combo.setCurrentIndex(max(0, combo.findData(code)))
                return
        raise KeyError(f"{fname}: {value}")

    def _value_changed(self, *_args) -> None:
        combo = self.sender()
        if combo is None:
            return
        fname, value, code = combo.property("lmvw_field"), combo.property("lmvw_value"), combo.currentData()
        own = self.values.setdefault(fname, {})
        if code:
            own[value] = code
        else:
            own.pop(value, None)
        self._invalidate()
        self._values_summary()

    def _field_changed(self, *_args) -> None:
        """Another Basisset field for a column: the preview is stale, and the values to map may differ."""
        self._invalidate()
        self._show_unmapped()

    def _load_mapping(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Load mapping"), "", tr("Mapping (*.json)"))
        if not path:
            return
        try:
            self.fill_mapping(im.load_mapping(path, self._standard()))
        except im.ImportRefused as e:
            self._say(e.message, error=True)

    def _files_in_use(self):
        """The files the import reads or writes: the source (the file read, the file or layer now
        chosen) and the plan layer's and its fasering's files."""
        from ..layers.reader import layer_files
        paths = [p for p in (self._read_path, self.file.filePath().strip()) if p and not p.startswith("PG:")]
        layer, fas = self._target_layers()
        return paths + layer_files(layer, fas, self.source_layer.currentLayer())

    def _save_mapping(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save mapping"), "", tr("Mapping (*.json)"))
        if not path:
            return
        from ..common.paths import is_source
        if os.path.isdir(path) or is_source(path, self._files_in_use()):
            self._say(tr("{} is the source or the plan layer's file (or a folder): choose another name for the "
                         "mapping. Nothing was written.", path), error=True)
            return
        try:
            self.mapping().save(path)
            self._say(tr("Mapping written to {}", path))
        except OSError as e:
            self._say(tr("Cannot write {}: {}", path, e.strerror or e), error=True)

    def _set_mapping_enabled(self, on: bool) -> None:
        for w in (self.save_mapping_button, self.preview_button):
            w.setEnabled(on)

    # preview and import --------------------------------------------------------------------------
    def _target_layers(self):
        layer = self.layer.currentLayer()
        if layer is None:
            return None, None
        return layer, find_fasering_layer(layer, QgsProject.instance(), self.standard)

    def make_preview(self) -> bool:
        self._invalidate()
        layer, fas = self._target_layers()
        if self.source is None:
            self._say(tr("Read the source first."), error=True)
            return False
        if layer is None:
            self._say(tr("Choose the plan layer to import into."), error=True)
            return False
        problem = fields_problem(layer, self.standard)
        if problem:
            self._say(problem, error=True)
            return False
        from ..layers.importing import target_from_layer
        try:
            mapping = self.mapping()
            im.check_mapping(self.source, mapping, self._standard())
            target = target_from_layer(layer, fas, self.source.standard or self.standard)
        except im.ImportRefused as e:
            self._say(e.message, error=True)
            return False
        except SchemaError as e:
            self._say(tr("The layer lacks Basisset fields: {}", ", ".join(e.missing)), error=True)
            return False
        from . import settings
        standard = self.source.standard or self.standard     # a province format: with its extra fields
        conv = im.convert(self.source, mapping, standard)
        self.preview = im.preview(conv, target, standard, settings.gemeentecode() or None)
        self._fill_preview()
        self._show_unmapped()
        self.ok.setEnabled(bool(self.preview.count(im.NEW) or self.preview.count(im.UPDATE)))
        self._say(summary_line(self._result()))
        self.tabs.setCurrentIndex(1)
        return True

    def _result(self) -> im.ImportResult:
        return im.ImportResult(self.preview, self.source, self.mapping())

    def _fill_preview(self) -> None:
        names = {im.NEW: tr("new"), im.UPDATE: tr("update"), im.UNCHANGED: tr("unchanged"),
                 im.CONFLICT: tr("conflict")}
        order = [im.CONFLICT, im.NEW, im.UPDATE, im.UNCHANGED]
        acts = sorted(self.preview.actions, key=lambda a: order.index(a.action))
        self.plans_table.setRowCount(len(acts))
        for r, a in enumerate(acts):
            changes = "; ".join(f"{k}: {'—' if o is None else o} → {'—' if n is None else n}"
                                for k, (o, n) in a.changes.items())
            for c, text in enumerate((names[a.action], f"{a.plannaam or '—'} ({a.plan_id or '—'})", changes)):
                self.plans_table.setItem(r, c, QTableWidgetItem(text))
        probs = self.preview.problems
        self.problems_table.setRowCount(len(probs))
        for r, p in enumerate(probs):
            for c, text in enumerate((p.source, p.plannaam or "—", p.field, "—" if p.value is None else str(p.value),
                                      p.reason)):
                self.problems_table.setItem(r, c, QTableWidgetItem(text))
        self.tabs.setTabText(2, tr("Problems ({})", len(probs)))

    def apply(self) -> None:
        """Into the edit buffer: one undo step per layer; nothing is saved."""
        if self.preview is None:
            return
        layer, fas = self._target_layers()
        from ..layers.importing import ApplyFailed, apply_to_layers
        try:
            self.applied = apply_to_layers(self.preview, layer, fas, self.source.standard or self.standard)
        except ApplyFailed as e:
            self._say(str(e), error=True)
            return
        self.accept()

    def _inputs_changed(self, *_args) -> None:
        """A bound method, not a lambda: Qt drops the connection when the dialog goes (a lambda kept
        the dialog alive and was called after its widgets were deleted)."""
        self._invalidate()

    def _invalidate(self) -> None:
        self.preview = None
        self.ok.setEnabled(False)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")
