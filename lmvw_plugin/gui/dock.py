"""Dock "LMVW-controle": the findings of a plan layer, kept up to date while editing."""
from __future__ import annotations

import datetime as _dt
import functools
import inspect
import traceback
from typing import List, Optional, Set

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsMessageLog,
    QgsProject,
    QgsVectorDataProvider,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
)
from qgis.gui import QgsDockWidget, QgsMapLayerComboBox
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSize, QSortFilterProxyModel, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..forms.builder import strip_form_code
from ..i18n import language, tr
from ..layers.reader import PlanSource, fasering_stored, read_fasering_layer
from ..layers.schema import fields_problem, find_fasering_layer, lacks_fields_message
from ..messages import severity_counts
from ..rules.engine import Validator
from ..rules.findings import ERROR, Finding
from ..rules.incremental import LayerValidator
from ..rules.table import SchemaError
from ..standard import Standard
from .tasks import ValidateTask

DEBOUNCE_MS = 600
DOCK_WIDTH = 520
FASERING_RULES = {"R17", "R18", "R19", "C04"}


def guarded(func):
    """A Qt slot of the dock: an unexpected error is logged and told in the message bar, never
    left to QGIS's Python error dialog. Extra signal arguments the slot does not take are dropped
    (as PyQt does for plain slots)."""
    params = list(inspect.signature(func).parameters.values())[1:]
    var = any(p.kind == p.VAR_POSITIONAL for p in params)
    n = len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])

    @functools.wraps(func)
    def slot(self, *args):
        try:
            return func(self, *(args if var else args[:n]))
        except Exception as e:  # noqa: BLE001 - the slot boundary: nothing reaches QGIS's dialog
            self._unexpected(e)
            return None
    return slot


def n_errors(n: int) -> str:
    return tr("1 error") if n == 1 else tr("{} errors", n)


def n_warnings(n: int) -> str:
    return tr("1 warning") if n == 1 else tr("{} warnings", n)


def n_plans(n: int) -> str:
    return tr("1 plan") if n == 1 else tr("{} plans", n)


def alive(obj) -> bool:
    return obj is not None and not sip.isdeleted(obj)


class FindingsModel(QAbstractTableModel):
    COLUMNS = ("", "rule", "plan", "message")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.findings: List[Finding] = []
        # QGIS's own symbols: the red critical icon for errors, the warning triangle for warnings
        self._icons = {ERROR: QgsApplication.getThemeIcon("/mIconCritical.svg"),
                       "warning": QgsApplication.getThemeIcon("/mIconWarning.svg")}

    def set_findings(self, findings: List[Finding]) -> None:
        self.beginResetModel()
        self.findings = findings
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [tr("Severity"), tr("Rule"), tr("Plan"), tr("Finding")][section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.findings[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            sev = tr("error") if f.severity == ERROR else tr("warning")
            return [sev, f.rule, f.plannaam or f.plan_id or "—", f.message][col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._icons.get(f.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            sev = tr("error") if f.severity == ERROR else tr("warning")
            return f"{f.rule} ({sev}): {f.message}"
        if role == Qt.ItemDataRole.UserRole:
            return f
        return None


class FindingsFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.severity: Optional[str] = None
        self.rule: Optional[str] = None

    def set(self, severity: Optional[str], rule: Optional[str]) -> None:
        self.severity, self.rule = severity, rule
        self.invalidateFilter()

    def filterAcceptsRow(self, row, parent):  # noqa: N802
        f = self.sourceModel().findings[row]
        return (self.severity is None or f.severity == self.severity) and (self.rule is None or f.rule == self.rule)


class _Content(QWidget):
    """The dock's content: wide enough by default to read a finding (QGIS docks start narrow)."""

    def sizeHint(self):  # noqa: N802
        return QSize(DOCK_WIDTH, 420)


class ValidationDock(QgsDockWidget):
    def __init__(self, iface, standard: Standard, parent=None):
        super().__init__(tr("LMVW-controle"), parent)
        self.setObjectName("LmvwValidationDock")
        self.iface = iface
        self.standard = standard
        self.layer: Optional[QgsVectorLayer] = None
        self.fasering: Optional[QgsVectorLayer] = None
        self.state: Optional[LayerValidator] = None
        self.task: Optional[ValidateTask] = None
        self.marker = None
        self._changed: Set[int] = set()
        self._deleted: Set[int] = set()
        self._fas_ids: Set[str] = set()
        self._full_pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._flush)

        w = _Content()
        lay = QVBoxLayout(w)
        top = QHBoxLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.layer_combo.setToolTip(tr("The plan layer to check"))
        top.addWidget(self.layer_combo, 1)
        self.run_button = QPushButton(tr("Validate"))
        self.run_button.setToolTip(tr("Check every Basisset rule on the whole layer"))
        top.addWidget(self.run_button)
        lay.addLayout(top)
        filters = QHBoxLayout()
        self.severity_combo = QComboBox()
        self.severity_combo.addItem(tr("Errors and warnings"), None)
        self.severity_combo.addItem(tr("Errors"), ERROR)
        self.severity_combo.addItem(tr("Warnings"), "warning")
        self.rule_combo = QComboBox()
        filters.addWidget(self.severity_combo)
        filters.addWidget(self.rule_combo, 1)
        lay.addLayout(filters)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        lay.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)                 # whole messages, rows as high as they need
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hdr = self.view.horizontalHeader()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        hdr.resizeSection(2, 110)
        hdr.setStretchLastSection(True)
        lay.addWidget(self.view, 1)
        self.setWidget(w)

        self.run_button.clicked.connect(self._run_or_stop)
        self.layer_combo.layerChanged.connect(self.set_layer)
        self.severity_combo.currentIndexChanged.connect(self._apply_filter)
        self.rule_combo.currentIndexChanged.connect(self._apply_filter)
        self.view.doubleClicked.connect(self._open)
        self._update_title()

    # ---------------------------------------------------------------------------- layer
    @guarded
    def set_standard(self, standard: Standard) -> None:
        """Another standard (the province in *Instellingen* changed): the layer is checked again in full
        with its rules, so the re-checks while editing use them too, not the old ones."""
        if standard is self.standard:
            return
        self.standard = standard
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.layer is not None:
            self.set_layer(self.layer)

    def set_layer(self, layer) -> None:
        self._disconnect()
        self.state = None
        self.extra_findings: List[Finding] = []      # the V rules of the last comparison (issue 11)
        self.model.set_findings([])
        self.layer = layer if isinstance(layer, QgsVectorLayer) else None
        if self.layer_combo.currentLayer() is not layer:
            self.layer_combo.setLayer(layer)
        if self.layer is None:
            self._status("")
            self._update_title()
            return
        problem = fields_problem(self.layer, self.standard)
        if problem:
            self._status(problem, error=True)
            self.layer = None
            self._update_title()
            return
        self.fasering = find_fasering_layer(self.layer, QgsProject.instance(), self.standard)
        self._connect()
        self.validate_full()

    def _connect(self) -> None:
        lyr = self.layer
        lyr.attributeValueChanged.connect(self._on_attr)
        lyr.geometryChanged.connect(self._on_geom)
        lyr.featureAdded.connect(self._on_added)
        lyr.featuresDeleted.connect(self._on_deleted)
        lyr.afterCommitChanges.connect(self._on_full)
        lyr.afterRollBack.connect(self._on_full)
        lyr.willBeDeleted.connect(self._on_layer_gone)
        self._connect_fasering()

    def _connect_fasering(self) -> None:
        if self.fasering is not None:
            self.fasering.willBeDeleted.connect(self._on_fasering_gone)
            self.fasering.attributeValueChanged.connect(self._on_fas_attr)
            self.fasering.featureAdded.connect(self._on_fas_added)
            self.fasering.featuresDeleted.connect(self._on_full)
            self.fasering.afterCommitChanges.connect(self._on_full)
            self.fasering.afterRollBack.connect(self._on_full)

    def _disconnect(self) -> None:
        self._disconnect_fasering()
        pairs = []
        if alive(self.layer):
            pairs += [(self.layer.attributeValueChanged, self._on_attr), (self.layer.geometryChanged, self._on_geom),
                      (self.layer.featureAdded, self._on_added), (self.layer.featuresDeleted, self._on_deleted),
                      (self.layer.afterCommitChanges, self._on_full), (self.layer.afterRollBack, self._on_full),
                      (self.layer.willBeDeleted, self._on_layer_gone)]
        _disconnect_all(pairs)

    def _disconnect_fasering(self) -> None:
        if alive(self.fasering):
            _disconnect_all([(self.fasering.willBeDeleted, self._on_fasering_gone),
                             (self.fasering.attributeValueChanged, self._on_fas_attr),
                             (self.fasering.featureAdded, self._on_fas_added),
                             (self.fasering.featuresDeleted, self._on_full),
                             (self.fasering.afterCommitChanges, self._on_full),
                             (self.fasering.afterRollBack, self._on_full)])

    @guarded
    def _on_fasering_gone(self) -> None:
        """The fasering table leaves the project: validate without it (R17–R19 need it)."""
        self._disconnect_fasering()
        self.fasering = None
        self._fas_ids.clear()
        self._full_pending = True
        self._timer.start()

    @guarded
    def _on_layer_gone(self) -> None:
        self._disconnect()
        self.layer = None
        self.fasering = None
        self.state = None
        self.model.set_findings([])
        self._update_title()

    # ---------------------------------------------------------------------------- edits
    @guarded
    def _on_attr(self, fid, _idx, _value) -> None:
        self._changed.add(int(fid))
        self._timer.start()

    @guarded
    def _on_geom(self, fid, _geom) -> None:
        self._changed.add(int(fid))
        self._timer.start()

    @guarded
    def _on_added(self, fid) -> None:
        self._changed.add(int(fid))
        self._timer.start()

    @guarded
    def _on_deleted(self, fids) -> None:
        self._deleted |= {int(f) for f in fids}
        self._timer.start()

    @guarded
    def _on_fas_attr(self, fid, _idx, _value) -> None:
        self._fasering_touched(fid)

    @guarded
    def _on_fas_added(self, fid) -> None:
        self._fasering_touched(fid)

    def _fasering_touched(self, fid) -> None:
        if not alive(self.fasering):
            return
        feat = self.fasering.getFeature(fid)
        pid = feat["plan_id"] if feat.isValid() else None
        if pid:
            self._fas_ids.add(str(pid))
        else:
            self._full_pending = True
        self._timer.start()

    @guarded
    def _on_full(self, *args) -> None:
        self._full_pending = True
        self._timer.start()

    @guarded
    def _flush(self) -> None:
        """Re-check what the edits since the last flush touched (or everything after a commit)."""
        if self.layer is None:
            return
        if self._full_pending or self.state is None:
            self._changed.clear()
            self._deleted.clear()
            self._fas_ids.clear()
            self._full_pending = False
            self.validate_full()
            return
        changed = sorted(self._changed - self._deleted)
        deleted = sorted(self._deleted)
        fas_ids = set(self._fas_ids)
        self._changed.clear()
        self._deleted.clear()
        self._fas_ids.clear()
        try:
            source = PlanSource(self.layer, self.standard, QgsProject.instance().transformContext())
            table = source.read(changed) if changed else None
            if table is not None:              # their fasering too (a plan_id may have changed)
                fas_ids |= {p for p in table.columns["plan_id"].tolist() if p}
            # every current fasering row of all these plan ids, read once: update() replaces them
            fas = (read_fasering_layer(self.fasering, self.standard, fas_ids)
                   if alive(self.fasering) and fas_ids else None)
            self.state.update(table, deleted, fas, fas_ids)
            if getattr(self, "previous_check", None) is not None:     # issue 11: the edited plans' V rules
                self.extra_findings = self.previous_check.update(self, self.extra_findings, table, deleted, changed)
        except SchemaError:
            self.set_layer(self.layer)
            return
        self._show()

    # ---------------------------------------------------------------------------- full validation
    @guarded
    def _run_or_stop(self) -> None:
        if self.task is not None:
            self.task.cancel()              # the button reads "Stop" while a validation runs
        else:
            self.validate_full()

    @guarded
    def validate_full(self) -> None:
        if self.layer is None:
            layer = self.layer_combo.currentLayer()
            if layer is None:
                self._status(tr("Choose a plan layer."), error=True)
                return
            self.set_layer(layer)
            return
        if self.task is not None:
            self.task.cancel()
        try:
            source = PlanSource(self.layer, self.standard, QgsProject.instance().transformContext())
        except SchemaError as e:
            self._status(lacks_fields_message(self.layer, e.missing), error=True)
            return
        if not alive(self.fasering):          # removed meanwhile, or added since: look again
            self._disconnect_fasering()
            self.fasering = find_fasering_layer(self.layer, QgsProject.instance(), self.standard)
            if self.fasering is not None:
                self._connect_fasering()
        fas_source = QgsVectorLayerFeatureSource(self.fasering) if self.fasering is not None else None
        validator = Validator(self.standard, language(), _dt.date.today())
        self.task = ValidateTask(tr("Validating {}", self.layer.name()), source, fas_source, validator,
                                 self._task_done,
                                 fasering_stored(self.fasering) if self.fasering is not None else None)
        self.task.progressChanged.connect(lambda p: self.progress.setValue(int(p)))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.run_button.setText(tr("Stop"))
        self.run_button.setToolTip(tr("Cancel the validation"))
        self._status(tr("Validating {} plans…", source.count))
        QgsApplication.taskManager().addTask(self.task)

    @guarded
    def _task_done(self, task: ValidateTask) -> None:
        if task is not self.task:
            return
        self.task = None
        self.progress.setVisible(False)
        self.run_button.setText(tr("Validate"))
        self.run_button.setToolTip(tr("Check every Basisset rule on the whole layer"))
        if task.result is not None:
            self.state = task.result
            self._show()
        elif task.error:
            self._status(tr("Validation failed: {}", task.error), error=True)
        else:
            self._status(tr("Validation cancelled."))

    # ---------------------------------------------------------------------------- display
    def set_extra_findings(self, layer, findings: List[Finding]) -> None:
        """Findings beside the layer's own (the V rules against the previous delivery, issue 11),
        shown while this layer is the dock's layer."""
        if layer is not self.layer:
            self.set_layer(layer)
        self.extra_findings = list(findings)
        self._show()

    def _show(self) -> None:
        findings = self.state.findings() if self.state is not None else []
        findings = findings + list(getattr(self, "extra_findings", []))
        self.model.set_findings(findings)
        current = self.rule_combo.currentData()
        self.rule_combo.blockSignals(True)
        self.rule_combo.clear()
        self.rule_combo.addItem(tr("All rules"), None)
        for code in sorted({f.rule for f in findings}):
            self.rule_combo.addItem(f"{code} {self.standard.rule_title(code, language())}", code)
        idx = self.rule_combo.findData(current)
        self.rule_combo.setCurrentIndex(max(0, idx))
        self.rule_combo.blockSignals(False)
        self._apply_filter()
        self._update_title()
        if self.state is not None:
            errors = severity_counts(findings)[0]
            if not findings:
                self._status(tr("{} checked: no findings.", n_plans(self.state.plans)))
            else:
                self._status(tr("{} checked: {}, {}. Double-click a finding to open the plan.",
                                n_plans(self.state.plans), n_errors(errors), n_warnings(len(findings) - errors)))

    @guarded
    def _apply_filter(self) -> None:
        self.proxy.set(self.severity_combo.currentData(), self.rule_combo.currentData())

    def _update_title(self) -> None:
        findings = self.model.findings
        errors = severity_counts(findings)[0]
        if self.state is None:
            self.setWindowTitle(tr("LMVW-controle"))
        else:
            self.setWindowTitle(tr("LMVW-controle — {}, {}", n_errors(errors), n_warnings(len(findings) - errors)))

    def _status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    @guarded
    def _open(self, index) -> None:
        """Double-click: a geometry finding is shown on the map (marked where it is); any other
        opens the plan's form, editable when the layer is (or after offering to start editing),
        on the tab of the finding's field (the Fasering tab for the fasering rules)."""
        f: Finding = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        self._clear_marker()
        if f is None or self.layer is None or f.fid is None:
            if f is not None and f.fid is None:
                self.iface.messageBar().pushMessage(tr("LMVW"), tr("This finding is not about one plan: {}", f.message),
                                                    Qgis.MessageLevel.Info, 6)
            return
        layer = self.layer
        layer.selectByIds([f.fid])
        canvas = self.iface.mapCanvas()
        canvas.zoomToFeatureIds(layer, [f.fid])
        if f.rule.startswith("G"):
            if f.x is not None and f.y is not None:
                self._mark(layer, f.x, f.y)
            canvas.refresh()
            self.iface.messageBar().pushMessage(tr("LMVW"), f"{f.rule}: {f.message}", Qgis.MessageLevel.Info, 10)
            return
        canvas.refresh()
        feat = next(layer.getFeatures(QgsFeatureRequest(f.fid)), None)
        if feat is None:
            return
        if not layer.isEditable() and not layer.readOnly() and layer.dataProvider() is not None and \
                layer.dataProvider().capabilities() & QgsVectorDataProvider.Capability.ChangeAttributeValues:
            answer = QMessageBox.question(
                self, tr("LMVW-controle"),
                tr("Layer '{}' is not in edit mode, so the form opens read-only. Start editing to correct the plan?",
                   layer.name()),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                layer.startEditing()
        self._strip_foreign_code()
        before = set(self._forms_of(layer))
        self.iface.openFeatureForm(layer, feat, False, False)      # not modal: the tab is chosen below
        opened = [w for w in self._forms_of(layer) if w not in before]
        if opened:
            self._show_tab(opened[-1], f)

    @staticmethod
    def _forms_of(layer) -> List[QWidget]:
        from qgis.gui import QgsAttributeForm
        from qgis.PyQt.QtWidgets import QApplication
        out = []
        for w in QApplication.allWidgets():
            if w.inherits("QgsAttributeForm") and w.isVisible():
                lyr = sip.cast(w, QgsAttributeForm).layer()
                if lyr is not None and lyr.id() == layer.id():
                    out.append(w)
        return out

    def _show_tab(self, form: QWidget, f: Finding) -> None:
        from qgis.PyQt.QtWidgets import QTabWidget
        tabs = [t for t in form.findChildren(QTabWidget) if t.parentWidget() is not None]
        if not tabs:
            return
        top = tabs[0]
        for i in range(top.count()):
            page = top.widget(i)
            if f.rule in FASERING_RULES:
                hit = any(w.inherits("QgsRelationEditorWidget") or w.inherits("QgsRelationWidgetWrapper")
                          for w in page.findChildren(QWidget))
            else:
                hit = bool(f.field) and page.findChild(QWidget, f.field) is not None
            if hit:
                top.setCurrentIndex(i)
                if f.field and f.rule not in FASERING_RULES:
                    target = page.findChild(QWidget, f.field)
                    if target is not None:
                        target.setFocus()
                return

    def _mark(self, layer, x: float, y: float) -> None:
        from qgis.core import QgsCoordinateTransform, QgsPointXY
        from qgis.gui import QgsVertexMarker
        from qgis.PyQt.QtGui import QColor
        canvas = self.iface.mapCanvas()
        point = QgsPointXY(x, y)
        dest = canvas.mapSettings().destinationCrs()
        if dest.isValid() and layer.crs().isValid() and dest != layer.crs():
            point = QgsCoordinateTransform(layer.crs(), dest, QgsProject.instance()).transform(point)
        marker = QgsVertexMarker(canvas)
        marker.setCenter(point)
        marker.setIconType(QgsVertexMarker.IconType.ICON_X)
        marker.setIconSize(18)
        marker.setPenWidth(3)
        marker.setColor(QColor("#d0021b"))
        self.marker = marker
        canvas.setCenter(point)

    def _clear_marker(self) -> None:
        marker, self.marker = getattr(self, "marker", None), None
        if marker is not None and not sip.isdeleted(marker):
            canvas = self.iface.mapCanvas()
            if canvas is not None and not sip.isdeleted(canvas):
                canvas.scene().removeItem(marker)
            sip.delete(marker)

    def closeEvent(self, event):  # noqa: N802
        try:
            self._clear_marker()
        except Exception as e:  # noqa: BLE001 - closing must finish
            QgsMessageLog.logMessage(f"dock close: {e}", "LMVW", Qgis.MessageLevel.Warning)
        super().closeEvent(event)

    def _strip_foreign_code(self) -> None:
        """Python in the form configuration came with the file, not from the plugin (whose forms
        carry none): remove it before a form opens, and say so."""
        for lyr in (self.layer, self.fasering):
            if not alive(lyr):
                continue
            found = strip_form_code(lyr)
            if found:
                self.iface.messageBar().pushMessage(
                    tr("LMVW"), tr("The form of layer '{}' carried Python code from the file ({}). It was removed "
                                   "before the form opened, so it did not run. Apply forms (and save the default "
                                   "style) to remove it from the file too.", lyr.name(), found),
                    Qgis.MessageLevel.Warning, 0)

    def _unexpected(self, e: Exception) -> None:
        try:
            QgsMessageLog.logMessage(traceback.format_exc(), "LMVW", Qgis.MessageLevel.Critical)
            self._status(tr("Unexpected problem: {}. Press Validate to check again; the details are in the "
                            "log (tab LMVW).", e), error=True)
            self.iface.messageBar().pushMessage(
                tr("LMVW"), tr("The LMVW-controle dock hit an unexpected problem: {}. The details are in the log "
                               "(tab LMVW).", e), Qgis.MessageLevel.Warning, 10)
        except Exception:  # noqa: BLE001 - reporting must never raise
            pass

    def unload(self) -> None:
        self._timer.stop()
        try:
            self._clear_marker()
        except Exception:  # noqa: BLE001 - unloading must finish
            pass
        if self.task is not None:
            self.task.cancel()
            self.task = None
        try:
            self._disconnect()
        except Exception as e:  # noqa: BLE001 - unloading must finish
            QgsMessageLog.logMessage(f"dock unload: {e}", "LMVW", Qgis.MessageLevel.Warning)
        # the combo box listens to the project until Qt deletes it: stop that now
        try:
            self.layer_combo.layerChanged.disconnect(self.set_layer)
        except (TypeError, RuntimeError):
            pass
        self.layer = None
        self.fasering = None
        self.state = None


def _disconnect_all(pairs) -> None:
    for signal, slot in pairs:
        try:
            signal.disconnect(slot)
        except (TypeError, RuntimeError):
            pass
