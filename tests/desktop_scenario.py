"""A GIS officer's day, clicked in a real QGIS desktop (run by tests/test_desktop_scenario.py as
`qgis --code desktop_scenario.py`; the settings come from the JSON file in $LMVW_SCENARIO).

Everything a user does goes through the real widgets with QTest: the plugin's toolbar buttons,
the dialogs' fields and buttons, clicks on the map canvas, the attribute form's editors, the
relation editor's buttons, a double-click in the dock, the overwrite question. What happened is
written to the result file; the test asserts on it. Widgets are found by their objectName (the
attribute form names each editor after its field); every step has a deadline.

The steps run as a generator: `yield ms` waits (the event loop runs, modal dialogs included);
an action that opens a modal dialog is clicked from a timer (`later`), so the generator is never
inside a nested event loop when it resumes."""
import json
import os
import sys
import time
import traceback
import zipfile

import qgis.utils
from qgis.core import Qgis, QgsApplication, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QPoint, Qt, QTimer
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

CFG = json.load(open(os.environ["LMVW_SCENARIO"], encoding="utf-8"))
OUT = CFG["out"]
SHOTS = CFG["shots"]
iface = qgis.utils.iface
result = {"python_errors": [], "log": [], "steps": [], "shots": []}
LEFT = Qt.MouseButton.LeftButton


def note(text):
    result["log"].append(f"{time.monotonic() - T0:6.1f}s {text}")


def log_message(message, tag, level):
    if tag == "Python error" or (level == Qgis.MessageLevel.Critical and "lmvw" in (tag + message).lower()):
        result["python_errors"].append(tag + ": " + message[:2000])


QgsApplication.messageLog().messageReceived.connect(log_message)
_hook = sys.excepthook


def hook(*exc):
    result["python_errors"].append("".join(traceback.format_exception(*exc))[:2000])
    _hook(*exc)


sys.excepthook = hook
T0 = time.monotonic()


# ------------------------------------------------------------------------------------ helpers
def shot(name, widget=None):
    widget = widget or iface.mainWindow()
    QApplication.processEvents()
    for folder in SHOTS:
        widget.grab().save(os.path.join(folder, f"scenario-{len(result['shots']) + 1:02d}-{name}.png"))
    result["shots"].append(name)


def later(fn, ms=0):
    """Do fn from the event loop (it may open a modal dialog and block until it closes)."""
    def run():
        try:
            fn()
        except Exception:
            result["python_errors"].append("script: " + traceback.format_exc())
    QTimer.singleShot(ms, run)


def click(widget, pos=None):
    if pos is None:
        QTest.mouseClick(widget, LEFT)
    else:
        QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos)


def double_click(widget, pos):
    """What the window system sends for a double-click: a click, then the double-click
    (QTest.mouseDClick alone is not seen as one by Qt 5's item views)."""
    QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos)
    QTest.mouseDClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos)


def plugin():
    return qgis.utils.plugins["lmvw_plugin"]


def tool_button(text):
    """The plugin's toolbar button for the action with this text, or the menu action."""
    bar = iface.mainWindow().findChild(QToolBar, "LmvwToolbar")
    for action in bar.actions():
        if action.text() == text:
            return bar.widgetForAction(action), action
    for action in plugin().actions:
        if action.text() == text:
            return None, action
    raise AssertionError(f"no action {text!r}: {[a.text() for a in plugin().actions]}")


def press_action(text):
    button, action = tool_button(text)
    if button is not None:
        later(lambda: click(button))
    else:
        later(action.trigger)


def modal(kind=QDialog, name=None):
    w = QApplication.activeModalWidget()
    if w is not None and isinstance(w, kind) and (name is None or w.objectName() == name):
        return w
    return None


def top_dialogs():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def wait(pred, seconds, what):
    """Generator: wait until pred() is truthy; fails the scenario with `what` after `seconds`."""
    end = time.monotonic() + seconds
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        yield 100


def type_into(widget, text):
    """Select what is in a line edit, spin box or editable combo and type text over it."""
    widget.setFocus()
    target = widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        target = widget.lineEdit()
    elif isinstance(widget, QAbstractSpinBox):
        target = widget.findChild(QLineEdit) or widget
    if isinstance(target, QLineEdit):
        target.selectAll()
    else:
        QTest.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(target, text)
    if isinstance(widget, QAbstractSpinBox):
        QTest.keyClick(target, Qt.Key.Key_Tab)    # a spin box takes the value when it loses focus
    QApplication.processEvents()


def choose(combo, data=None, text=None):
    """Open the drop-down and click the entry (by its data or its text)."""
    idx = combo.findData(data) if data is not None else combo.findText(text, Qt.MatchFlag.MatchContains)
    entries = [combo.itemText(i) for i in range(combo.count())]
    assert idx >= 0, f"{combo.objectName()}: no entry {data or text} in {entries}"
    combo.setFocus()
    click(combo)
    QApplication.processEvents()
    view = combo.view()
    model_index = view.model().index(idx, combo.modelColumn(), view.rootIndex())
    view.scrollTo(model_index)
    QApplication.processEvents()
    rect = view.visualRect(model_index)
    if view.isVisible() and rect.isValid():
        click(view.viewport(), rect.center())
    QApplication.processEvents()
    if combo.currentIndex() != idx:                # the popup did not take the click: keyboard
        result["steps"].append(f"choose {combo.objectName()}: popup click missed, used the keyboard")
        if view.isVisible():
            QTest.keyClick(view, Qt.Key.Key_Escape)
        combo.setFocus()
        for _ in range(combo.count()):
            if combo.currentIndex() == idx:
                break
            QTest.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < idx else Qt.Key.Key_Up)
    assert combo.currentIndex() == idx, f"{combo.objectName()} shows {combo.currentText()!r}"


EDITORS = (QComboBox, QAbstractSpinBox, QLineEdit, QCheckBox)


def field_widget(form, name):
    """The attribute form's editor of a field (QGIS names each editor after its field; the
    editor may sit inside a wrapper of the same name)."""
    found = form.findChildren(QWidget, name)
    for w in found:
        if isinstance(w, EDITORS):
            return w
    for w in found:
        for kind in EDITORS:
            inner = w.findChildren(kind)
            if inner:
                return inner[0]
    if found:
        kinds = [(type(w).__name__, w.metaObject().className()) for w in found]
        raise AssertionError(f"field {name}: no editor in {kinds}")
    names = sorted({w.objectName() for w in form.findChildren(QWidget) if w.objectName()})
    raise AssertionError(f"no editor for field {name}; object names: {names[:200]}")


def show_tab(form, label):
    for tabs in form.findChildren(QTabWidget):
        bar = tabs.tabBar()
        for i in range(tabs.count()):
            if tabs.tabText(i).replace("&", "") == label:
                click(bar, bar.tabRect(i).center())
                QApplication.processEvents()
                assert tabs.currentIndex() == i, f"tab {label} not shown"
                return tabs.widget(i)
    raise AssertionError(f"no tab {label}")


def ok_button(dialog):
    box = dialog.findChildren(QDialogButtonBox)
    for b in box:
        ok = b.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None and ok.isVisible():
            return ok
    raise AssertionError(f"no OK button in {dialog.objectName()}")


def form_dialog(plannaam_widget=True, exclude=()):
    """The visible attribute dialog of the plan layer (it has the Algemeen tab)."""
    for d in top_dialogs():
        if d in exclude:
            continue
        for tabs in d.findChildren(QTabWidget):
            if any(tabs.tabText(i).replace("&", "") == "Algemeen" for i in range(tabs.count())):
                return d
    return None


def canvas_point(x, y):
    """Pixel position on the canvas viewport of map coordinate (x, y)."""
    canvas = iface.mapCanvas()
    p = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(int(round(p.x())), int(round(p.y())))


def message_bar_buttons():
    bar = iface.messageBar()
    items = bar.items() if hasattr(bar, "items") else []
    out = []
    for item in items:
        out.append({"text": item.text(), "title": item.title(),
                    "buttons": [b.text() for b in item.findChildren(QPushButton) if b.text()]})
    return out


# ------------------------------------------------------------------------------------ the day
def scenario():
    main = iface.mainWindow()
    main.resize(1500, 950)
    canvas = iface.mapCanvas()
    result["plugin_loaded"] = "lmvw_plugin" in qgis.utils.plugins
    assert result["plugin_loaded"], sorted(qgis.utils.plugins)
    yield 500

    # 1. Nieuwe planlaag… through its dialog -------------------------------------------------
    press_action("Nieuwe planlaag…")
    dlg = yield from wait(lambda: modal(QDialog, "NewLayerDialog"), 20, "the Nieuwe planlaag dialog")
    result["new_layer_buttons"] = [b.text() for b in dlg.buttonBox.buttons()]
    type_into(dlg.file.lineEdit(), CFG["gpkg"])
    type_into(dlg.gemeente, "Utrecht (GM0344)")
    shot("nieuwe-planlaag", dlg)
    result["new_layer_input"] = [dlg.file.filePath(), dlg.gemeente.currentText()]
    click(ok_button(dlg))
    yield from wait(lambda: modal() is None, 30, "the dialog to close")

    def created():
        names = {lyr.name() for lyr in QgsProject.instance().mapLayers().values()}
        return {"woningbouwplannen", "fasering"} <= names and any(m["text"] for m in message_bar_buttons())
    yield from wait(created, 30, "the new layers and the message " + dlg.problem.text())
    plans = QgsProject.instance().mapLayersByName("woningbouwplannen")[0]
    fasering = QgsProject.instance().mapLayersByName("fasering")[0]
    yield 500
    ext = canvas.extent()
    result["after_new"] = {
        "file": os.path.exists(CFG["gpkg"]),
        "editable": plans.isEditable(),
        "extent": [ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum()],
        "scale": canvas.scale(),
        "tree": [node.name() for node in QgsProject.instance().layerTreeRoot().findLayers()],
        "sources": {lyr.name(): [lyr.providerType(), lyr.source()]
                    for lyr in QgsProject.instance().mapLayers().values()},
        "messages": message_bar_buttons(),
    }
    note("new layer: " + json.dumps(result["after_new"])[:400])
    shot("na-nieuwe-planlaag")

    # 2. a polygon on the canvas -------------------------------------------------------------
    iface.setActiveLayer(plans)
    if not plans.isEditable():
        result["steps"].append("toggled editing by hand")
        later(iface.actionToggleEditing().trigger)
        yield from wait(lambda: plans.isEditable(), 10, "edit mode")
    cx, cy = CFG["centre"]
    canvas.zoomScale(10000)                        # the user zooms in on the place of the plan
    canvas.setCenter(QgsPointXY(cx, cy))
    canvas.refresh()
    yield 800
    iface.actionAddFeature().trigger()
    yield 300
    result["map_tool"] = type(canvas.mapTool()).__name__ if canvas.mapTool() else None
    viewport = canvas.viewport()
    ring = [(cx - 150, cy - 100), (cx + 150, cy - 100), (cx + 150, cy + 100), (cx - 150, cy + 100)]
    for x, y in ring:
        pos = canvas_point(x, y)
        QTest.mouseMove(viewport, pos)
        yield 50
        click(viewport, pos)
        yield 150
    pos = canvas_point(*ring[0])
    QTest.mouseMove(viewport, canvas_point(cx, cy))
    later(lambda: QTest.mouseClick(viewport, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                                   canvas_point(cx, cy)))
    form = yield from wait(form_dialog, 20, "the attribute form after finishing the polygon")
    yield 500
    shot("formulier-nieuw", form)

    # 3. the form, through its widgets ---------------------------------------------------------
    form.resize(900, 800)
    ok = ok_button(form)
    show_tab(form, "Algemeen")
    type_into(field_widget(form, "plannaam"), CFG["plannaam"])
    choose(field_widget(form, "plantype"), data="uitbreiding_overig")   # ≤ 11 dwellings: R16 warns
    show_tab(form, "Status")
    choose(field_widget(form, "planstatus"), data="3")
    show_tab(form, "Vertrouwelijkheid")
    choose(field_widget(form, "vertrouwelijkheid"), data="openbaar")
    show_tab(form, "Aantallen")
    type_into(field_widget(form, "bruto_plancapaciteit"), "40")
    type_into(field_widget(form, "eengezins"), "38")
    show_tab(form, "Betaalbaarheid")
    type_into(field_widget(form, "eigendom_onbekend"), "40")
    show_tab(form, "Aantallen")
    yield 600
    shot("formulier-fout", form)
    result["ok_with_wrong_sum"] = ok.isEnabled()
    result["labels_wrong_sum"] = [w.text() for w in form.findChildren(QLabel) if "38" in w.text()][:5]
    type_into(field_widget(form, "eengezins"), "40")
    yield 600
    result["ok_after_fix"] = ok.isEnabled()
    result["values_in_form"] = {n: str(field_widget(form, n).value() if hasattr(field_widget(form, n), "value")
                                       else field_widget(form, n).text())
                                for n in ("bruto_plancapaciteit", "eengezins", "eigendom_onbekend")}

    # 4. a fasering row, added in the form -------------------------------------------------------
    tab = show_tab(form, "Fasering")
    yield 300
    add = tab.findChild(QToolButton, "mAddFeatureButton")
    assert add is not None, sorted({w.objectName() for w in tab.findChildren(QToolButton)})
    if not (add.isVisible() and add.isEnabled()):
        pencil = tab.findChild(QToolButton, "mToggleEditingButton")
        result["steps"].append("fasering: the pencil first")
        assert pencil is not None and pencil.isVisible(), "the add-row button is disabled and no pencil"
        click(pencil)
        yield 300
    assert add.isEnabled(), "cannot add a fasering row"
    before = set(top_dialogs())
    shot("fasering-tab", form)
    later(lambda: click(add))

    def child_form():
        for d in top_dialogs():
            if d not in before and d.findChild(QWidget, "jaar") is not None:
                return d
        return None
    row = yield from wait(child_form, 20, "the fasering row form")
    yield 300
    result["fasering_form_fields"] = sorted(
        {w.objectName() for w in row.findChildren(QWidget) if w.objectName() in
         ("fid", "plan_id", "jaar", "aantal", "sloop")})
    type_into(field_widget(row, "jaar"), str(CFG["jaar"]))
    type_into(field_widget(row, "aantal"), "40")
    yield 300
    shot("faseringsrij", row)
    click(ok_button(row))
    yield from wait(lambda: not row.isVisible(), 10, "the fasering row form to close")
    yield 800
    result["fasering_buffer"] = [[f["plan_id"], f["jaar"], f["aantal"]] for f in fasering.getFeatures()]
    shot("formulier-compleet", form)
    result["ok_before_save"] = ok.isEnabled()
    assert ok.isEnabled(), "OK stays disabled on a complete plan"
    click(ok)
    yield from wait(lambda: not form.isVisible(), 10, "the form to close")
    result["plans_in_buffer"] = plans.featureCount()

    # save the edits as a user does (Save Layer Edits on the digitizing toolbar) ------------------
    for layer in (plans, fasering):
        iface.setActiveLayer(layer)
        if layer.isEditable() and layer.isModified():
            iface.actionSaveActiveLayerEdits().trigger()
            yield 300
    iface.setActiveLayer(plans)
    result["saved"] = {"plans": plans.featureCount(), "modified": plans.isModified() or fasering.isModified(),
                       "fasering": fasering.featureCount()}
    iface.actionPan().trigger()

    # 5. the dock: a finding, double-clicked ------------------------------------------------------
    press_action("Validatie (LMVW-controle)")
    dock = yield from wait(lambda: main.findChild(QDockWidget, "LmvwValidationDock"), 10, "the dock")
    yield from wait(lambda: dock.isVisible() and dock.model.rowCount() > 0, 30, "findings in the dock")
    yield 500
    view = dock.view
    proxy = view.model()
    findings = [proxy.data(proxy.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(proxy.rowCount())]
    result["dock_findings"] = [[f.rule, f.severity, f.message] for f in findings if f is not None]
    result["dock_title"] = dock.windowTitle()
    shot("dock")
    row_nr = next((r for r, f in enumerate(findings) if f is not None and f.rule == "R16"), None)
    assert row_nr is not None, result["dock_findings"]
    index = proxy.index(row_nr, min(1, proxy.columnCount() - 1))
    view.scrollTo(index)
    rect = view.visualRect(index).intersected(view.viewport().rect())
    assert not rect.isEmpty(), "the finding is not visible in the dock"
    before = set(top_dialogs())
    f = findings[row_nr]
    ext = canvas.extent()
    note(f"double-click R16 fid={f.fid} ids={[ft.id() for ft in plans.getFeatures()]} "
         f"extent={ext.toString()} geom={[ft.geometry().asWkt()[:80] for ft in plans.getFeatures()]}")
    later(lambda: double_click(view.viewport(), rect.center()))
    yield 1000
    note(f"after double-click: selected={plans.selectedFeatureIds()} extent={canvas.extent().toString()} "
         f"bar={message_bar_buttons()}")
    opened = yield from wait(lambda: form_dialog(exclude=before), 15, "the form of the double-clicked finding; "
                             "visible windows: " + str([(w.metaObject().className(), w.windowTitle())
                                                        for w in QApplication.topLevelWidgets() if w.isVisible()]))
    yield 500
    result["dock_form_plannaam"] = field_widget(opened, "plannaam").text() \
        if isinstance(field_widget(opened, "plannaam"), QLineEdit) else str(field_widget(opened, "plannaam"))
    result["selected_after_double_click"] = plans.selectedFeatureCount()
    shot("dock-dubbelklik")
    QTest.keyClick(opened, Qt.Key.Key_Escape)
    yield from wait(lambda: not opened.isVisible(), 10, "the form to close")
    if plans.isEditable() and plans.isModified():
        plans.rollBack()

    # 6. Levering exporteren…, twice: the second time over the first -------------------------------
    target = None
    for attempt in (1, 2):
        press_action("Levering exporteren…")
        exp = yield from wait(lambda: modal(QDialog, "ExportDialog"), 20, "the export dialog")
        yield 500
        type_into(exp.folder.lineEdit(), CFG["out_dir"])
        yield 800
        target = exp.target_path()
        result[f"export{attempt}"] = {"summary": exp.summary.text(), "ok_text": exp.ok.text(),
                                      "ok_enabled": exp.ok.isEnabled(), "target": target,
                                      "buttons": [b.text() for b in exp.buttonBox.buttons()]}
        shot(f"exporteren-{attempt}", exp)
        old = os.stat(target).st_ino if os.path.exists(target) else None
        click(exp.ok)
        if attempt == 2:
            question = yield from wait(lambda: modal(QMessageBox), 10, "the overwrite question")
            result["question"] = {"text": question.text(),
                                  "buttons": [b.text() for b in question.buttons()]}
            shot("overschrijven", question)
            yes = question.button(QMessageBox.StandardButton.Yes)
            click(yes)
        yield from wait(lambda: modal() is None, 10, "the dialog to close")
        if attempt == 1:
            result["dialog_closed_after_export"] = not exp.isVisible()

        def written(target=target, old=old):
            return any(b["buttons"] for b in message_bar_buttons()) and os.path.exists(target) and \
                (old is None or os.stat(target).st_ino != old) and plugin().export_task is None
        yield from wait(written, 60, "the package and the message bar's buttons")
        result[f"bar{attempt}"] = message_bar_buttons()
        if attempt == 1:                 # the bar's *Rapport openen* opens the package's own report
            opened = []
            real_open = QDesktopServices.openUrl     # no browser under Xvfb: record what would open
            QDesktopServices.openUrl = staticmethod(lambda url, seen=opened: seen.append(url.toLocalFile()) or True)
            try:
                button = next(b for item in iface.messageBar().items() for b in item.findChildren(QPushButton)
                              if b.text().replace("&", "") == "Rapport openen")
                click(button)
                yield from wait(lambda seen=opened: seen, 10, "the report to open")
            finally:
                QDesktopServices.openUrl = real_open
            with open(opened[0], encoding="utf-8") as fh:
                result["report_opened"] = {"path": opened[0], "head": fh.read(2000)}
        result[f"replaced{attempt}"] = old is not None and os.stat(target).st_ino != old
        shot(f"geleverd-{attempt}")
        with zipfile.ZipFile(target) as zf:
            result[f"zip{attempt}"] = {"names": sorted(zf.namelist()),
                                       "manifest": json.loads(zf.read("manifest.json")),
                                       "plans_csv": zf.read("woningbouwplannen.csv").decode("utf-8-sig"),
                                       "fasering_csv": zf.read("fasering.csv").decode("utf-8-sig")}
        iface.messageBar().clearWidgets()
    result["leftovers"] = sorted(n for n in os.listdir(CFG["out_dir"]) if n.startswith(".lmvw"))
    result["done"] = True


# ------------------------------------------------------------------------------------ driver
def finish():
    for _ in range(10):                            # close what is still open (after a failure)
        w = QApplication.activeModalWidget()
        if w is None:
            break
        w.close() if not isinstance(w, QDialog) else w.reject()
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1, default=str)
    for layer in QgsProject.instance().mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and layer.isEditable():
            layer.rollBack()
    QgsProject.instance().clear()                  # no "save the project?" question on exit
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(200, iface.actionExit().trigger)
    QTimer.singleShot(15000, lambda: os._exit(0))


def drive(gen):
    def resume():
        try:
            delay = next(gen)
        except StopIteration:
            finish()
            return
        except Exception:
            result["failure"] = traceback.format_exc()[-3000:]
            try:
                shot("fout")
            except Exception:
                pass
            finish()
            return
        QTimer.singleShot(delay, resume)
    QTimer.singleShot(0, resume)


QTimer.singleShot(2500, lambda: drive(scenario()))
