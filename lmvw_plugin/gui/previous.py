"""Comparing with the previous delivery in QGIS (issue 11): the export dialog's *Vergelijk met vorige
levering* (proposes the last package exported for the layer, remembered in the layer's custom
properties; any zip can be chosen), reading that package with a clear message when it cannot be
used, and after the export the layer *Wijzigingen sinds …* and the V-rule findings in the dock."""
from __future__ import annotations

import os
from typing import Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QCheckBox, QLabel

from ..delivery.compare_read import CompareError, read_previous
from ..delivery.diff_command import compare_error_text
from ..i18n import language, tr

PROPERTY = "lmvw_plugin/previous_package"


def remembered(layer: Optional[QgsVectorLayer]) -> str:
    """The last package exported for this layer, when it still exists."""
    if layer is None:
        return ""
    path = layer.customProperty(PROPERTY, "") or ""
    return path if isinstance(path, str) and os.path.isfile(path) else ""


def remember(layer: Optional[QgsVectorLayer], zip_path: str) -> None:
    if layer is not None and zip_path:
        layer.setCustomProperty(PROPERTY, os.path.abspath(zip_path))


class PreviousChooser:
    """A check box and a file widget in the export dialog's form."""

    def __init__(self, dialog):
        self.check = QCheckBox(tr("Compare with the previous delivery"), dialog)
        self.check.setObjectName("LmvwComparePrevious")
        self.check.setToolTip(tr("Adds 'Changes since …' to the report and the manifest, checks the rules across "
                                 "surveys (V01–V05) and shows the changes on the map"))
        self.file = QgsFileWidget(dialog)
        self.file.setObjectName("LmvwPreviousPackage")
        self.file.setFilter(tr("LMVW packages (*.zip)"))
        self.file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        dialog.formLayout.addRow(self.check, self.file)
        self.note = QLabel(dialog)                 # what changed since then (the summary's V findings)
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        dialog.formLayout.addRow("", self.note)
        self.check.toggled.connect(self.file.setEnabled)
        dialog.layer.layerChanged.connect(self.propose)
        self.propose(dialog.layer.currentLayer())
        self.check.toggled.connect(dialog._later)  # the summary follows the choice
        self.file.fileChanged.connect(dialog._later)
        self._read = None                          # (file key, Future of the previous delivery)
        self._compared = None                      # (key, Changes)
        self._poll = QTimer(dialog)
        self._poll.setSingleShot(True)
        self._poll.setInterval(150)
        self._poll.timeout.connect(dialog._later)

    def propose(self, layer) -> None:
        path = remembered(layer)
        self.file.setFilePath(path)
        self.check.setChecked(bool(path))
        self.file.setEnabled(bool(path))

    def path(self) -> str:
        return self.file.filePath().strip() if self.check.isChecked() else ""

    # the summary before writing ----------------------------------------------------------------
    BACKGROUND_BYTES = 20 * 2**20     # a larger previous package is read in a thread (the dialog stays live)

    def with_changes(self, dialog, content, findings, problems):
        """(findings, problems) of the export dialog's summary with the chosen previous delivery:
        the V rules' findings added (counted and listed as the export counts them: the report's
        and the anonymous ones alike), or why that package cannot be used (which blocks Export,
        as the export itself would refuse it). The counts of changes go under the chooser."""
        path = self.path()
        tables = getattr(dialog, "_tables", None)
        if not path or content is None or tables is None:
            self.note.setVisible(False)
            return findings, problems
        previous, why = self._previous(path, dialog.standard, dialog.lang)
        if why is not None:
            self.note.setVisible(False)
            return findings, list(problems) + [why]
        if previous is None:                       # still reading (in a thread)
            self._poll.start()
            self.note.setText(tr("Reading the previous delivery {}…", os.path.basename(path)))
            self.note.setVisible(True)
            return findings, list(problems) + [tr("Comparing with the previous delivery: Export waits for it.")]
        changes = self._compare(dialog, previous, tables)
        c = changes.counts
        self.note.setText(tr("Compared with the delivery {}: {} new, {} gone, {} changed, {} unchanged.",
                             previous.uitvraag or "?", c["nieuw"], c["verdwenen"], c["gewijzigd"], c["ongewijzigd"]))
        self.note.setVisible(True)
        return list(findings) + list(changes.findings), problems

    def _previous(self, path: str, standard, lang: str):
        """(delivery, None), (None, why it cannot be used) or (None, None) while it is being read."""
        try:
            st = os.stat(path)
            key = (os.path.abspath(path), st.st_mtime_ns, st.st_size, lang)
        except OSError:
            key, st = (os.path.abspath(path), None, None, lang), None
        if self._read is None or self._read[0] != key:
            from concurrent.futures import Future
            if st is not None and st.st_size > self.BACKGROUND_BYTES:
                from ..common.threads import background
                future = background(_for_dialog, path, standard, lang)
            else:
                future = Future()
                future.set_result(_for_dialog(path, standard, lang))
            self._read, self._compared = (key, future), None
        future = self._read[1]
        if not future.done():
            return None, None
        try:
            return future.result()
        except Exception as e:  # noqa: BLE001 - worded, never a traceback dialog
            return None, tr("Cannot read {}: {}", path, e) + " " + _choose()

    def _compare(self, dialog, previous, tables):
        from ..delivery import compare as compare_mod
        v = dialog.values()
        plans, fasering = tables
        key = (id(previous), id(plans), id(fasering), v["gemeente"], v["profile"], v["peildatum"], dialog.lang)
        if self._compared is None or self._compared[0] != key:
            standard = dialog.standard
            profile = standard.profiles[v["profile"]]
            current = compare_mod.package_view(standard, previous, compare_mod.layer_delivery(
                standard, plans, fasering, v["gemeente"]), profile)
            self._compared = (key, compare_mod.compare(standard, previous, current, dialog.lang, v["peildatum"]))
        return self._compared[1]


def _problem(p) -> str:
    return p.kind + (f" ({p.name})" if p.name else "")


def _choose() -> str:
    return tr("Choose another package, or untick the comparison.")


def _for_dialog(path: str, standard, lang: str):
    """As load_previous, worded for the dialog (before anything is written)."""
    try:
        return read_previous(path, standard, lang), None
    except CompareError as e:
        return None, compare_error_text(e, _problem) + " " + _choose()
    except MemoryError:
        return None, tr("Not enough memory to read {}.", path) + " " + _choose()


def load_previous(path: str, standard, lang: str):
    """(the previous delivery, None) or (None, the message saying why it cannot be used)."""
    if not path:
        return None, None
    try:
        return read_previous(path, standard, lang), None
    except CompareError as e:
        return None, compare_error_text(e, _problem) + " " + tr("Nothing was exported.")
    except MemoryError:
        return None, tr("Not enough memory to read {}. Nothing was exported.", path)


def show_changes(iface, dock, layer, result) -> None:
    """After an export with a previous delivery: the changes layer in the project (replacing an
    earlier one of the same name) and the V-rule findings in the dock."""
    from ..layers.changes import changes_layer
    changes = getattr(result, "changes", None)
    if changes is None:
        return
    new = changes_layer(changes)
    project = QgsProject.instance()
    for old in project.mapLayersByName(new.name()):
        if old.providerType() == "memory":
            project.removeMapLayer(old.id())
    project.addMapLayer(new)
    if dock is not None and layer is not None and hasattr(dock, "set_extra_findings"):
        dock.set_extra_findings(layer, list(changes.findings))
        dock.previous_check = PreviousCheck(layer, changes)


class PreviousCheck:
    """The V rules of the plans edited in the dock, re-run against the previous delivery of the last
    comparison (V02–V05 are about a plan's own values then and now; V01, about plans of the previous
    delivery that are gone, stays as the comparison found it until the next one)."""

    def __init__(self, layer, changes):
        self.layer, self.previous = layer, changes.previous
        self._first = None                          # the previous plans' first rows per plan id

    def update(self, dock, findings, table, deleted, changed):
        """The dock's V findings after an edit: those of the edited (and deleted) plans replaced."""
        if dock.layer is not self.layer:
            return findings
        from ..rules.engine import Validator
        from ..rules.previous import Previous, first_rows, match
        standard = dock.standard
        touched = set(int(f) for f in changed) | set(int(f) for f in deleted)
        kept = [f for f in findings if f.rule == "V01" or f.fid is None or int(f.fid) not in touched]
        if table is None or not table.n:
            return kept
        old = self.previous.plans
        if self._first is None:
            self._first = first_rows(old, standard.key)
        m = match(standard, old, table, (self._first, first_rows(table, standard.key)))
        got = Validator(standard, language(), None).previous_findings(
            table, Previous(old, self.previous.fasering, self.previous.uitvraag, m))
        return kept + [f for f in got if f.rule != "V01"]
