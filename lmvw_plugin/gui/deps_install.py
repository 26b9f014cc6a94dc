"""Offer shapely 2 where it is missing: a message bar with a button, a question that says what
and where, then pip of the Python QGIS runs as a task with progress and a clear result.

The plugin works without shapely 2 (the GDAL/OGR geometry back end); shapely 2 makes validation
and export of large layers several times faster. Nothing is installed unless the user agrees."""
from __future__ import annotations

import os
import subprocess
from typing import Callable, List, Optional

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings, QgsTask
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QMessageBox, QPushButton

from .. import deps
from ..i18n import tr

DECLINED_KEY = "lmvw_plugin/shapely_offer_declined"


def profile_python_dir() -> str:
    """The profile's python folder: QGIS puts it on sys.path at start-up."""
    return os.path.join(QgsApplication.qgisSettingsDirPath(), "python")


def gain_text() -> str:
    return tr("Without shapely 2 the plugin uses GDAL/OGR for the geometry checks: the same findings, but "
              "several times slower on large layers (a municipality's few hundred plans take well under a "
              "second either way; a province's 50,000 plans take much longer). Installing shapely 2 for this "
              "QGIS makes validation, the dock and the export fast on large layers.")


class InstallTask(QgsTask):
    """Runs a pip command; progress follows pip's steps; cancel stops pip."""
    STEPS = (("Collecting", 20), ("Downloading", 40), ("Installing collected", 80), ("Successfully", 100))

    def __init__(self, command: List[str], done: Callable[["InstallTask"], None]):
        super().__init__(tr("Installing shapely 2 for QGIS"), QgsTask.Flag.CanCancel)
        self.command = command
        self.done = done
        self.returncode: Optional[int] = None
        self.output = ""
        self.error: Optional[str] = None

    def run(self) -> bool:
        lines: List[str] = []
        try:
            proc = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    stdin=subprocess.DEVNULL, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except OSError as e:
            self.error = str(e)
            return False
        self.setProgress(5)
        with proc:
            for line in proc.stdout:
                lines.append(line.rstrip())
                for word, pct in self.STEPS:
                    if line.lstrip().startswith(word):
                        self.setProgress(max(self.progress(), pct))
                if self.isCanceled():
                    proc.terminate()
                    break
        self.returncode = proc.returncode
        self.output = "\n".join(lines)
        return proc.returncode == 0 and not self.isCanceled()

    def finished(self, ok: bool) -> None:
        self.done(self)


class ShapelyOffer:
    """The message bar's offer and what follows from it (one per plugin instance)."""

    def __init__(self, iface):
        self.iface = iface
        self.task: Optional[InstallTask] = None
        self.widget = None                         # the message with the button

    def offer(self, force: bool = False) -> bool:
        """Push the offer when shapely 2 is missing (and the user did not decline it before)."""
        if deps.shapely2_missing() is None:
            return False
        if not force and QgsSettings().value(DECLINED_KEY, False, type=bool):
            return False
        bar = self.iface.messageBar()
        widget = bar.createMessage(tr("LMVW"), tr("shapely 2 is not installed for this QGIS ({}).",
                                                  deps.shapely2_missing()) + " " + gain_text())
        button = QPushButton(tr("Install shapely 2…"))
        button.setObjectName("LmvwInstallShapelyButton")
        self.widget = widget
        button.clicked.connect(self._clicked)      # a bound method: no Python callable for Qt to keep
        widget.layout().addWidget(button)
        bar.pushWidget(widget, Qgis.MessageLevel.Info, 0)
        return True

    def _clicked(self, *_checked) -> None:
        """The bar's button (a lambda or a partial holding the message made the click in the real
        desktop end in "TypeError: <lambda>() missing 1 required positional argument" or a crash,
        and nothing was asked; tests/desktop_scenario.py clicks it). Removing the message deletes the
        button: not while it is still being clicked."""
        QTimer.singleShot(0, self._pop_and_ask)

    def _pop_and_ask(self) -> None:
        widget, self.widget = self.widget, None
        try:
            if widget is not None:
                self.iface.messageBar().popWidget(widget)
        except RuntimeError:
            pass
        self.ask()

    def ask(self) -> None:
        python = deps.qgis_python()
        if python is None:
            self.iface.messageBar().pushMessage(
                tr("LMVW"), tr("The Python that QGIS runs was not found, so shapely 2 cannot be installed from "
                               "here. Install it with that Python's pip: python -m pip install \"shapely>=2\" "
                               "(Windows: in the OSGeo4W Shell), then restart QGIS."),
                Qgis.MessageLevel.Warning, 0)
            return
        target = profile_python_dir()
        command = deps.install_command(target, python)
        answer = QMessageBox.question(
            self.iface.mainWindow(), tr("Install shapely 2"),
            tr("Install shapely 2 for this QGIS?\n\n{}\n\nIt is downloaded from the Python Package Index (needs "
               "internet) with the pip of QGIS's Python ({}) into this profile's python folder ({}), which "
               "only this QGIS profile uses. Command:\n{}\n\nRestart QGIS afterwards.", gain_text(), python, target,
               " ".join(command)))
        if answer != QMessageBox.StandardButton.Yes:
            QgsSettings().setValue(DECLINED_KEY, True)
            self.iface.messageBar().pushMessage(
                tr("LMVW"), tr("shapely 2 was not installed; the plugin keeps working with GDAL/OGR. You can "
                               "install it later: menu Plugins ▸ LMVW woningbouwplannen ▸ Install shapely 2…."),
                Qgis.MessageLevel.Info, 8)
            return
        self.start(command)

    def start(self, command: List[str]) -> InstallTask:
        self.task = InstallTask(command, self._done)
        QgsApplication.taskManager().addTask(self.task)
        self.iface.messageBar().pushMessage(tr("LMVW"), tr("Installing shapely 2… (progress in the task bar)"),
                                            Qgis.MessageLevel.Info, 4)
        return self.task

    def _done(self, task: InstallTask) -> None:
        self.task = None
        bar = self.iface.messageBar()
        if task.returncode == 0 and not task.isCanceled():
            QgsSettings().remove(DECLINED_KEY)
            bar.pushMessage(tr("LMVW"), tr("shapely 2 is installed for this QGIS profile. Restart QGIS to use it."),
                            Qgis.MessageLevel.Success, 0)
            return
        QgsMessageLog.logMessage(" ".join(task.command) + "\n" + (task.output or task.error or ""), "LMVW",
                                 Qgis.MessageLevel.Warning)
        if task.isCanceled():
            text = tr("Installing shapely 2 was cancelled; nothing changes, the plugin keeps working with GDAL/OGR.")
        elif task.error is not None or "No module named pip" in task.output:
            text = tr("shapely 2 could not be installed: QGIS's Python ({}) has no pip. Install pip for it "
                      "(Debian/Ubuntu: sudo apt install python3-pip) and try again from the plugin's menu; the plugin "
                      "keeps working with GDAL/OGR.", task.command[0])
        else:
            last = [ln for ln in task.output.splitlines() if ln.strip()][-1:] or ["?"]
            text = tr("shapely 2 could not be installed ({}); the plugin keeps working with GDAL/OGR. pip's "
                      "output is in the log (tab LMVW).", last[0][:200])
        bar.pushMessage(tr("LMVW"), text, Qgis.MessageLevel.Warning, 0)

