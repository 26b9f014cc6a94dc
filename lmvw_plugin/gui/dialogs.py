"""The plugin's dialogs: settings, new plan layer, export delivery (their Qt Designer files lie beside this one)."""
from __future__ import annotations

import datetime as _dt
import html
import os
import traceback
from typing import Optional

from qgis.core import QgsApplication, QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QDate, QTimer, pyqtSlot
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox

from ..common.files import writable
from ..i18n import QT_TR_NOOP, language, n_errors, n_warnings, tr, trn
from ..layers.schema import fields_problem, find_fasering_layer, unsaved_edits
from ..messages import confidential_left_out_text, severity_counts, unwritable_text
from ..rules.table import SchemaError
from ..standard import Standard, pick
from . import settings

UI_DIR = os.path.dirname(os.path.abspath(__file__))


def _ui(name: str):
    return uic.loadUiType(os.path.join(UI_DIR, name))[0]


class SettingsDialog(QDialog, _ui("settings_dialog.ui")):
    def __init__(self, standard: Standard, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.standard = standard
        settings.fill_gemeente_combo(self.gemeente, standard, settings.gemeentecode())
        self.folder.setFilePath(settings.folder())
        self.backgroundMap.setChecked(settings.background_map())
        from .province import add_settings_row  # Provincie (gui/province.py)
        add_settings_row(self)
        self.buttonBox.accepted.connect(self._accept)

    def _accept(self) -> None:
        code = settings.combo_gemeentecode(self.gemeente, self.standard)
        if not code:
            self.hint.setText(tr("Choose a municipality from the list, or type its code as GM followed by 4 digits."))
            self.hint.setStyleSheet("color: #b00020;")
            return
        settings.set_gemeentecode(code)
        settings.set_folder(self.folder.filePath())
        settings.set_background_map(self.backgroundMap.isChecked())
        from .province import save_settings_row
        save_settings_row(self)
        self.accept()


class NewLayerDialog(QDialog, _ui("new_layer_dialog.ui")):
    def __init__(self, standard: Standard, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.standard = standard
        settings.fill_gemeente_combo(self.gemeente, standard, settings.gemeentecode())
        self.file.setFilePath(os.path.join(settings.folder(), "woningbouwplannen.gpkg"))
        self.file.setConfirmOverwrite(False)       # we refuse to overwrite and say so
        self.buttonBox.accepted.connect(self._accept)
        self.path = ""
        self.code = ""
        from .pg_section import PgSection  # GeoPackage or PostGIS (issue 12)
        self.pg = PgSection(self, self.verticalLayout, 1, (self.file, self.fileLabel))
        self.pg_target = None                        # (PG:"…", schema) when PostGIS is chosen

    def _accept(self) -> None:
        path = self.file.filePath().strip()
        code = settings.combo_gemeentecode(self.gemeente, self.standard)
        problem = ""
        if self.pg.chosen():
            self.pg_target, problem = self.pg.target()
            if not problem and not code:
                problem = tr("Choose a municipality from the list, or type its code as GM followed by 4 digits.")
            if problem:
                self.pg_target = None
                self.problem.setText(problem)
                return
            self.code = code
            if not settings.gemeentecode():
                settings.set_gemeentecode(code)
            self.accept()
            return
        if not path:
            problem = tr("Choose where to save the GeoPackage.")
        else:
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
            folder = os.path.dirname(path)
            if os.path.exists(path):
                problem = tr("{} already exists: choose another name (an existing file is never overwritten).", path)
            elif not os.path.isdir(folder):
                problem = tr("The folder {} does not exist: choose another place.", folder)
            elif not writable(folder):
                problem = unwritable_text(folder)
        if not problem and not code:
            problem = tr("Choose a municipality from the list, or type its code as GM followed by 4 digits.")
        if problem:
            self.problem.setText(problem)
            return
        self.path, self.code = path, code
        if not settings.gemeentecode():
            settings.set_gemeentecode(code)
        settings.set_folder(os.path.dirname(path))
        self.accept()


class _Job:
    """The dialog's own run of tasks.prepare_tables on a small layer (no task, nothing to cancel)."""

    def __init__(self):
        self.tables = self.prepared = self.exception = None
        self.trace = ""

    def setProgress(self, p: float) -> None:  # noqa: N802
        pass

    def isCanceled(self) -> bool:  # noqa: N802
        return False


class ExportDialog(QDialog, _ui("export_dialog.ui")):
    """Asks uitvraag, peildatum, gemeente, profile and folder; shows the validation summary
    before anything is written. Errors block the OK button unless 'concept' is ticked."""

    def __init__(self, iface, standard: Standard, layer: Optional[QgsVectorLayer] = None, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.iface = iface
        self.standard = standard
        self.lang = language()
        from ..delivery.package import propose_uitvraag
        self.layer.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        if layer is not None:
            self.layer.setLayer(layer)
        self.uitvraag.setText(propose_uitvraag())
        self.peildatum.setDate(QDate.currentDate())
        settings.fill_gemeente_combo(self.gemeente, standard, settings.gemeentecode())
        for pid, profile in standard.profiles.items():
            self.profile.addItem(pick(profile.label, self.lang), pid)
        self.profile.setCurrentIndex(max(0, self.profile.findData(standard.delivery["default_profile"])))
        self.folder.setFilePath(settings.folder())
        from .province import add_format_row  # Formaat (gui/province.py)
        add_format_row(self)
        self.ok = self.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Export"))
        self.errors = 0
        self.ready = False
        self._prepared_key = None
        self._prepared = (None, [])
        self._tables = None                        # (plans, fasering) behind self._prepared
        self._task = None                          # the PrepareTask running, and the choices it is for
        self._task_key = None
        self._stopped_key = None                   # the choices whose validation the user stopped
        self._closed = False
        self._progress_widgets()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self._fit_timer = QTimer(self)             # grows the dialog to its rows once they are laid out (_fit)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit)
        for signal in (self.layer.layerChanged, self.gemeente.currentIndexChanged, self.gemeente.editTextChanged,
                       self.profile.currentIndexChanged, self.peildatum.dateChanged, self.uitvraag.textChanged,
                       self.folder.fileChanged):
            signal.connect(self._later)             # a slot without arguments: nothing is converted
        self.profile.currentIndexChanged.connect(self._explain)
        self.concept.toggled.connect(self._update_ok)
        self.buttonBox.accepted.connect(self._accept)
        self.open_dock = False                     # the user asked for the dock instead of exporting
        self.dockButton.clicked.connect(self._to_dock)
        self._explain()
        from .previous import PreviousChooser  # issue 11: Vergelijk met vorige levering
        self.previous = PreviousChooser(self)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._fit_timer.start()

    @pyqtSlot()
    def _fit(self) -> None:
        """Grow the dialog (never shrink it, at most to the screen's height) to what its rows need, so that no
        explanation is cut off: a province's format, its option and the comparison add rows, and the summary
        grows with the findings."""
        lay = self.layout()
        if self._closed or lay is None or not self.isVisible():
            return
        need = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else lay.totalSizeHint().height()
        screen = self.screen()
        cap = screen.availableGeometry().height() - 40 if screen is not None else need
        height = min(max(self.height(), need), cap)
        if height > self.height():
            self.resize(self.width(), height)

    @pyqtSlot()
    def _later(self) -> None:
        """Refresh shortly after a change (a layer removed from the project included: its pointer,
        half destroyed, is never turned into a Python object)."""
        if not self._closed:
            self._timer.start()

    def _to_dock(self) -> None:
        self.open_dock = True
        self.reject()

    def _accept(self) -> None:
        """Export: with the values as they are now (a change may still wait for the timer)."""
        if self._timer.isActive():
            self._timer.stop()
            self.refresh()
        if self.ok.isEnabled():
            self.accept()

    # the values --------------------------------------------------------------------------------
    def values(self) -> dict:
        from .province import chosen_format, format_options
        return {
            "layer": self.layer.currentLayer(),
            "uitvraag": self.uitvraag.text().strip(),
            "peildatum": self.peildatum.date().toPyDate() if self.peildatum.date().isValid() else _dt.date.today(),
            "gemeente": settings.combo_gemeentecode(self.gemeente, self.standard),
            "profile": self.profile.currentData(),
            "folder": self.folder.filePath().strip(),
            "concept": self.concept.isChecked(),
            "previous": self.previous.path(),
            "format": chosen_format(self),                # lmvw or a province (gui/province.py)
            "options": format_options(self),              # that format's own choices (its profile's options)
        }

    def target_path(self) -> str:
        from ..delivery.package import package_name
        from .province import target_name
        v = self.values()
        name = target_name(self, v["gemeente"], v["uitvraag"])          # a province's file name
        if name:
            return os.path.join(v["folder"], name)
        return os.path.join(v["folder"], package_name(self.standard, v["gemeente"] or "GM????", v["uitvraag"]))

    def _explain(self) -> None:
        p = self.standard.profiles.get(self.profile.currentData())
        self.profileExplanation.setText(pick(p.explanation, self.lang) if p else "")

    # the summary ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Validate and select what would be delivered; show it; enable Export when allowed."""
        from ..delivery.package import DeliveryError, check_uitvraag
        self.ready = False
        v = self.values()
        layer = v["layer"]
        problems = []
        if layer is None:
            problems.append(tr("Choose the plan layer."))
        elif fields_problem(layer, self.standard):
            problems.append(fields_problem(layer, self.standard))
            layer = None
        try:
            check_uitvraag(self.standard, v["uitvraag"])
        except DeliveryError:
            problems.append(tr("Write the uitvraag as the year and voorjaar or najaar, e.g. 2026-najaar."))
        if not v["gemeente"]:
            problems.append(tr("Choose the municipality that delivers."))
        if not v["folder"] or not os.path.isdir(v["folder"]):
            problems.append(tr("Choose an existing output folder."))
        elif not writable(v["folder"]):
            problems.append(unwritable_text(v["folder"]))
        fasering = find_fasering_layer(layer, QgsProject.instance(), self.standard) if layer is not None else None
        problems += unsaved_edits([layer, fasering])
        self.target.setText(tr("Will write: {}", self.target_path()) if v["folder"] else "")
        if layer is not None and v["gemeente"]:
            # validating is the expensive part: only again when what it depends on changed, and
            # in a background task (with progress, cancellable) on a large layer
            key = (layer.id(), fasering.id() if fasering is not None else None, v["gemeente"], v["profile"],
                   v["peildatum"], layer.isModified(), fasering.isModified() if fasering is not None else False)
            if key != self._prepared_key:
                if key == self._stopped_key:
                    problems.append(tr("Validation stopped: nothing was checked or written. Press Validate to "
                                       "check the layer (Export stays disabled until then)."))
                    self._show_summary(None, [], problems, False)
                    return
                if key != self._task_key:
                    self._start_prepare(layer, fasering, v, key)
                if self._task is not None:
                    self._show_summary(None, [], problems, False)
                    self.summary.setText(self.summary.text() + ("<br>" if self.summary.text() else "")
                                         + html.escape(tr("Validating {} plans in the background…",
                                                          self._task.source.count)))
                    return
            if len(self._prepared) == 4:
                problems.append(self._prepared[3])
            if self._prepared[0] is None:
                self._show_summary(None, [], problems, False)
            else:
                self._show_summary(self._prepared[0], self._prepared[1], problems, fasering is None,
                                   self._prepared[2])
        else:
            self._show_summary(None, [], problems, False)

    # validation in the background ----------------------------------------------------------------
    SYNC_PLANS = 500           # a layer of at most this many plans is validated at once (well under a second)

    def _progress_widgets(self) -> None:
        """A progress bar and a stop/validate button under the summary (made here, not in the .ui)."""
        from qgis.PyQt.QtWidgets import QProgressBar, QPushButton
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.stopButton = QPushButton(tr("Stop validating"), self)
        self.stopButton.setObjectName("LmvwStopValidating")
        self.stopButton.setVisible(False)
        self.stopButton.clicked.connect(self._stop_or_restart)
        layout = self.summaryBox.layout()
        layout.insertWidget(1, self.progress)
        layout.insertWidget(2, self.stopButton)

    def validating(self) -> bool:
        """A validation task is running (Export is disabled until it is done)."""
        return self._task is not None

    def _start_prepare(self, layer, fasering, v: dict, key) -> None:
        from ..layers.reader import FaseringSource, plan_source
        from .tasks import PrepareTask, prepare_tables
        self._cancel_task()
        self._stopped_key = None
        try:
            source = plan_source(layer, self.standard, QgsProject.instance().transformContext())
        except SchemaError as e:
            self._prepared, self._prepared_key, self._tables = (None, [], None, str(e)), key, None
            return
        fas = FaseringSource(fasering, self.standard) if fasering is not None else None
        kwargs = dict(gemeente=v["gemeente"], peildatum=v["peildatum"], profile=v["profile"], lang=self.lang)
        if v.get("format", "lmvw") != "lmvw":           # a province's format: its export checks too
            kwargs.update(province=v["format"], uitvraag=v["uitvraag"])
        if source.count <= self.SYNC_PLANS:
            job = _Job()
            try:
                prepare_tables(job, source, fas, kwargs)
            except Exception as e:  # worded by _take, never a traceback dialog
                job.exception = e
                job.trace = traceback.format_exc()
            self._take(job, key)
            return
        task = PrepareTask(tr("Validating {} for the export", layer.name()), source, fas, kwargs,
                           lambda t, key=key: self._task_done(t, key))
        self._task, self._task_key = task, key
        task.progressChanged.connect(lambda p, t=task: self._task is t and self.progress.setValue(int(p)))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.stopButton.setText(tr("Stop validating"))
        self.stopButton.setVisible(True)
        QgsApplication.taskManager().addTask(task)

    def _take(self, job, key) -> None:
        """The prepared summary (or the reason there is none) of a finished job, for `key`."""
        from ..delivery.package import DeliveryError, check_delivers
        from ..messages import delivery_error_message
        self._prepared_key, self._tables = key, None
        e = job.exception
        if isinstance(e, SchemaError):
            self._prepared = (None, [], None, str(e))
        elif isinstance(e, DeliveryError):
            self._prepared = (None, [], None, delivery_error_message(e))
        elif e is not None:
            from qgis.core import Qgis, QgsMessageLog
            QgsMessageLog.logMessage(job.trace or repr(e), "LMVW", Qgis.MessageLevel.Critical)
            self._prepared = (None, [], None, tr("Validation failed unexpectedly ({}: {}); nothing was written. The "
                                                 "details are in the log (tab LMVW).", type(e).__name__, e))
        else:
            content, shown, anonymous, report = job.prepared
            self._prepared = (content, shown + anonymous, report)
            self._tables = job.tables
            try:
                check_delivers(job.tables[0], content)      # shown with what would (not) be delivered
            except DeliveryError as e2:
                self._prepared += (delivery_error_message(e2),)

    def _task_done(self, task, key) -> None:
        if self._closed or task is not self._task:
            return                                  # a stale task (cancelled, or the dialog is gone)
        self._task, self._task_key = None, None
        self.progress.setVisible(False)
        if task.isCanceled():
            self._stopped_key = key
            self.stopButton.setText(tr("Validate"))
        else:
            self.stopButton.setVisible(False)
            self._take(task, key)
        self.refresh()

    def _stop_or_restart(self) -> None:
        if self._task is not None:
            self._task.cancel()                     # _task_done follows when the task has stopped
        else:
            self._stopped_key = None
            self.stopButton.setVisible(False)
            self.refresh()

    def _cancel_task(self) -> None:
        task, self._task, self._task_key = self._task, None, None
        if task is not None:
            task.cancel()
            self.progress.setVisible(False)
            self.stopButton.setVisible(False)

    def prepared_tables(self):
        """(plans, fasering) as read and validated for the choices shown now, for the export task
        (no second read); None when they are not current."""
        v = self.values()
        layer = v["layer"]
        if layer is None or self._tables is None or self._prepared_key is None:
            return None
        fasering = find_fasering_layer(layer, QgsProject.instance(), self.standard)
        key = (layer.id(), fasering.id() if fasering is not None else None, v["gemeente"], v["profile"],
               v["peildatum"], layer.isModified(), fasering.isModified() if fasering is not None else False)
        return self._tables if key == self._prepared_key else None

    def done(self, result: int) -> None:  # closing (Export, Cancel, Esc, the dock button) stops a validation
        self._closed = True
        self._timer.stop()
        self._cancel_task()
        super().done(result)

    def _per_rule(self, findings) -> list:
        """'R04 Woningtypen tellen niet op … (2)': errors first, then warnings."""
        from collections import Counter

        from ..rules.findings import ERROR
        counts = Counter((f.severity != ERROR, f.rule) for f in findings)
        lines = []
        for (is_warning, code), n in sorted(counts.items()):
            rule = self.standard.rule_by_code.get(code)
            title = rule.title_text(self.lang) if rule is not None else self._export_check_title(code)
            kind = tr("warning") if is_warning else tr("error")
            lines.append(f"&nbsp;&nbsp;{html.escape(code)} {html.escape(title)}: {n} × {kind}")
        if len(lines) > 12:
            lines = lines[:11] + ["&nbsp;&nbsp;" + tr("… and {} more rules (see the dock)", len(lines) - 11)]
        return lines

    def _export_check_title(self, code: str) -> str:
        """The title of a province format's export check (PGLD10 …), which is not a rule of the standard."""
        from ..standard.provinces import LMVW, load_province
        from .province import chosen_format
        key = chosen_format(self)
        if key == LMVW:
            return ""
        check = next((c for c in load_province(key).export_checks if c["code"] == code), None)
        return pick(check["title"], self.lang) if check is not None else ""

    def _not_counted(self, findings, report) -> list:
        """Why the dock may show other numbers: export rules count only here, and findings of
        what is not delivered count only in the dock."""
        lines = []
        export_rules = [r for r in self.standard.rules if r.scope == "export"]
        if export_rules:
            names = ", ".join(f"{r.code} ({r.title_text(self.lang)})" for r in export_rules)
            lines.append(tr("Checked only at export, against the delivering municipality: {}.", names))
        if report is not None:
            counted = {id(f) for f in findings}
            left = [f for f in report.findings if id(f) not in counted]
            if left:
                rules = ", ".join(sorted({f.rule for f in left}))
                lines.append(trn(QT_TR_NOOP("{} finding in the dock does not count here: it concerns a plan or "
                                            "fasering row that is not delivered ({})."),
                                 QT_TR_NOOP("{} findings in the dock do not count here: they concern plans or "
                                            "fasering rows that are not delivered ({})."), len(left),
                                 len(left), rules))
        return [f"<span style='color:#555'>{html.escape(t)}</span>" for t in lines]

    def _show_summary(self, content, findings, problems, no_fasering, report=None) -> None:
        if getattr(self, "previous", None) is not None:   # issue 11: with the V rules (gui/previous.py)
            findings, problems = self.previous.with_changes(self, content, findings, problems)
        lines = []
        self.errors, warnings = severity_counts(findings)
        if content is not None:
            lines.append(trn(QT_TR_NOOP("{} plan will be delivered; {}, {}."),
                             QT_TR_NOOP("{} plans will be delivered; {}, {}."), content.n,
                             content.n, n_errors(self.errors), n_warnings(warnings)))
            if content.confidential_left_out.get("plans", 0):
                lines.append(confidential_left_out_text(content.confidential_left_out))
            if content.internal_left_out:
                lines.append(trn(QT_TR_NOOP("{} plan with status 5A/5B is never delivered."),
                                 QT_TR_NOOP("{} plans with status 5A/5B are never delivered."),
                                 content.internal_left_out))
            if content.other_gemeente_left_out:
                lines.append(trn(QT_TR_NOOP("{} plan of another municipality is left out."),
                                 QT_TR_NOOP("{} plans of another municipality are left out."),
                                 content.other_gemeente_left_out))
            if no_fasering:
                lines.append(tr("No fasering table found: the package will have an empty fasering."))
            lines.extend(self._per_rule(findings))
            lines.extend(self._not_counted(findings, report))
            if self.errors:
                lines.append("<b>" + tr("The errors block a final delivery: fix them (see the LMVW-controle dock) "
                                        "or deliberately choose a concept delivery.") + "</b>")
        for p in problems:
            lines.append(f"<span style='color:#b00020'>{html.escape(p)}</span>")
        self.summary.setText("<br>".join(lines))
        self.dockButton.setVisible(bool(findings))
        self._fit_timer.start()
        self.concept.setEnabled(content is not None and self.errors > 0)
        if not self.errors:
            self.concept.setChecked(False)
        self.ready = content is not None and not problems
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.ready and (self.errors == 0 or self.concept.isChecked()))
