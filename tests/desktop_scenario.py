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
import faulthandler
import hashlib
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
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
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
    if tag == "LMVW":                              # the plugin's log tab: printed by the test
        result.setdefault("lmvw_log", []).append(message[:3000])
    if tag == "Python error" or (level == Qgis.MessageLevel.Critical and "lmvw" in (tag + message).lower()):
        result["python_errors"].append(tag + ": " + message[:2000])


QgsApplication.messageLog().messageReceived.connect(log_message)
_hook = sys.excepthook


def hook(*exc):
    result["python_errors"].append("".join(traceback.format_exception(*exc))[:2000])
    _hook(*exc)


sys.excepthook = hook
T0 = time.monotonic()
# should QGIS hang (the main thread blocked: no step deadline can fire), the test finds where
STACKS = open(OUT + ".stacks", "w", encoding="utf-8")
faulthandler.enable(file=STACKS)                    # and where it crashed
faulthandler.dump_traceback_later(CFG.get("stacks_after", 240), file=STACKS)


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
    """Generator: wait until pred() is truthy; fails the scenario with `what` (or what(), said at the time)
    after `seconds`."""
    end = time.monotonic() + seconds
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {seconds} s waiting for {what() if callable(what) else what}")
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


def choose(combo, data=None, text=None, index=None):
    """Open the drop-down and click the entry (by its data, its text or its index)."""
    idx = index if index is not None else combo.findData(data) if data is not None else \
        combo.findText(text, Qt.MatchFlag.MatchContains)
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


def bar_texts():
    return [m["text"] for m in message_bar_buttons()]


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def listing(folder):
    return {n: sha256(os.path.join(folder, n)) for n in sorted(os.listdir(folder))
            if os.path.isfile(os.path.join(folder, n))}


def lmvw_menu():
    for action in iface.pluginMenu().actions():
        if action.menu() is not None and "LMVW" in action.text():
            return action.menu()
    raise AssertionError("no LMVW submenu in " + str([a.text() for a in iface.pluginMenu().actions()]))


def click_menu_entry(text):
    """Generator: open the plugin's menu (Plugins ▸ LMVW woningbouwplannen) and click the entry
    `text` (from a timer: it may open a modal dialog). If the popup does not take the click (as
    combo popups under Xvfb sometimes do not), the entry is chosen with the keyboard."""
    menu = lmvw_menu()
    entries = [a.text() for a in menu.actions()]
    action = next((a for a in menu.actions() if a.text() == text), None)
    assert action is not None, f"no menu entry {text!r} in {entries}"
    assert action.isEnabled(), f"menu entry {text!r} is disabled"
    menu.popup(iface.mainWindow().mapToGlobal(QPoint(300, 80)))
    yield from wait(menu.isVisible, 5, "the plugin menu")
    yield 150
    rect = menu.actionGeometry(action)
    later(lambda: click(menu, rect.center()))
    yield 400
    if menu.isVisible():
        result["steps"].append(f"menu {text}: the click missed, used the keyboard")
        menu.setActiveAction(action)
        later(lambda: QTest.keyClick(menu, Qt.Key.Key_Return))
        yield 300


def qgis_button(name):
    """The toolbar button of one of QGIS's own actions (mActionUndo, mActionSaveLayerEdits, …)."""
    from lmvw_plugin.layers.qtcompat import QAction
    action = iface.mainWindow().findChild(QAction, name)
    assert action is not None, f"no QGIS action {name}"
    for bar in iface.mainWindow().findChildren(QToolBar):
        w = bar.widgetForAction(action)
        if w is not None and w.isVisible():
            return w, action
    raise AssertionError(f"no visible toolbar button for {name}")


def click_qgis(name):
    """Generator: click the toolbar button of QGIS action `name` (it must be enabled)."""
    button, action = qgis_button(name)
    assert action.isEnabled(), f"{name} is disabled"
    click(button)
    yield 300


def save_edits(*layers):
    """Generator: Save Layer Edits, clicked on the digitizing toolbar, for each modified layer."""
    for layer in layers:
        if layer is not None and layer.isEditable() and layer.isModified():
            iface.setActiveLayer(layer)
            yield 200
            yield from click_qgis("mActionSaveLayerEdits")
            yield from wait(lambda layer=layer: not layer.isModified(), 20, f"{layer.name()} to be saved")


def close_modals():
    """Generator: after a failed step, close what it left open."""
    for _ in range(5):
        w = QApplication.activeModalWidget()
        if w is None:
            return
        w.reject() if isinstance(w, QDialog) else w.close()
        yield 300


def part(name, gen):
    """Generator: one of the steps of the last round; its failure is recorded under its name and
    the day goes on with the next step (the test fails on any recorded failure)."""
    note("step " + name)
    try:
        return (yield from gen)
    except Exception:
        result.setdefault("step_failures", {})[name] = traceback.format_exc()[-2500:]
        try:
            shot("fout-" + name)
        except Exception:
            pass
        yield from close_modals()
        return None


def plan_layers():
    from lmvw_plugin.layers.schema import is_plan_layer
    standard = plugin().standard
    return [lyr for lyr in QgsProject.instance().mapLayers().values()
            if isinstance(lyr, QgsVectorLayer) and is_plan_layer(lyr, getattr(standard, "base_standard", standard))]


def first_layer():
    """The day's first plan layer (Utrecht, made by Nieuwe planlaag in CFG["gpkg"]); mapLayers() is ordered by
    the layers' random ids, so never by position."""
    return next(lyr for lyr in plan_layers() if lyr.source().split("|")[0] == CFG["gpkg"])


def layer_state(layer):
    return {"count": layer.featureCount(), "modified": layer.isModified(),
            "names": sorted(str(f["plannaam"]) for f in layer.getFeatures())}


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
        # the second time, Vergelijk met vorige levering proposes the package exported the first time
        result[f"export{attempt}"]["previous"] = [exp.findChild(QCheckBox, "LmvwComparePrevious").isChecked(),
                                                  exp.previous.file.filePath()]
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
        if attempt == 2:                 # compared with the first package: the changes on the map
            changes = yield from wait(lambda: [lyr for lyr in QgsProject.instance().mapLayers().values()
                                               if lyr.name().startswith("Wijzigingen sinds")], 10,
                                      "the layer Wijzigingen sinds …")
            result["changes_layer"] = {"name": changes[0].name(), "count": changes[0].featureCount(),
                                       "tree": [n.name() for n in QgsProject.instance().layerTreeRoot().findLayers()]}
        shot(f"geleverd-{attempt}")
        with zipfile.ZipFile(target) as zf:
            result[f"zip{attempt}"] = {"names": sorted(zf.namelist()),
                                       "manifest": json.loads(zf.read("manifest.json")),
                                       "plans_csv": zf.read("woningbouwplannen.csv").decode("utf-8-sig"),
                                       "fasering_csv": zf.read("fasering.csv").decode("utf-8-sig")}
        iface.messageBar().clearWidgets()
    result["leftovers"] = sorted(n for n in os.listdir(CFG["out_dir"]) if n.startswith(".lmvw"))

    # 7. the last round's dialogs: stop a validation, a province's layer, import, the province's format
    result["stop"] = yield from part("stop", step_stop_validation())
    got = yield from part("new_layer_province", step_new_layer_province(CFG["zh_gemeente"]))
    if got:
        result["new_zh"], zh = got
        result["import"] = yield from part("import", step_import(zh, CFG["zh_source"], CFG["unmap"]))
        result["import_layer"] = yield from part("import_layer", step_import_layer_source(zh))
        result["import_values"] = yield from part("import_values", step_import_values(zh, CFG["values_source"]))
        result["export_zh"] = yield from part("export_zh", step_export_province(zh, CFG["zh_gemeente"],
                                                                                  "zuid-holland"))
    result["export_checks"] = yield from part("export_checks", step_export_checks("zuid-holland"))
    result["settings_province"] = yield from part("settings_province", step_settings_province())
    result["done"] = True


# ------------------------------------------------------------------------------------ the last round's dialogs
def dock_codes():
    dock = iface.mainWindow().findChild(QDockWidget, "LmvwValidationDock")
    proxy = dock.view.model()
    found = [proxy.data(proxy.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(proxy.rowCount())]
    return sorted({f.rule for f in found if f is not None})


def step_export_checks(province):
    """The export dialog on the day's first layer (Utrecht, without the province's fields) with *Formaat* set to
    a province: its summary lists the format's own export checks before anything is written; *Annuleren*."""
    r = {}
    layer = first_layer()
    iface.setActiveLayer(layer)
    folder = CFG["out_dir"]
    before = listing(folder)
    press_action("Levering exporteren…")
    exp = yield from wait(lambda: modal(QDialog, "ExportDialog"), 20, "the export dialog")
    yield 300
    choose(exp.findChild(QComboBox, "format"), data=province)
    yield from wait(lambda: "plan" in exp.summary.text() and not exp.validating(), 30, "the summary")
    yield 800
    r.update(layer=exp.layer.currentLayer() is layer, summary=exp.summary.text(), ok=exp.ok.isEnabled())
    r["cut"] = [w.objectName() or w.text()[:40] for w in exp.findChildren(QLabel)       # texts cut off
                if w.isVisible() and w.wordWrap() and w.height() < w.heightForWidth(w.width())]
    shot("exporteren-controles", exp)
    cancel = exp.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
    later(lambda: click(cancel))
    yield from wait(lambda: modal() is None, 10, "the dialog to close")
    r["unchanged"] = listing(folder) == before
    return r


def step_settings_province():
    """*Instellingen…*: Provincie set to Zuid-Holland and OK; the dock checks the day's first layer (Utrecht, no
    province fields) again at once, now with Zuid-Holland's rules; back to *LMVW-pakket*, they are gone again."""
    r = {}
    layer = first_layer()
    iface.setActiveLayer(layer)
    dock = iface.mainWindow().findChild(QDockWidget, "LmvwValidationDock")
    if not dock.isVisible():
        press_action("Validatie (LMVW-controle)")
        yield from wait(lambda: dock.isVisible(), 10, "the dock")
    combo = dock.layer_combo
    if combo.currentLayer() is not layer:                 # the dock's own layer choice
        choose(combo, index=next(i for i in range(combo.count()) if combo.layer(i) is layer))
    yield from wait(lambda: dock.layer is layer and dock.task is None and dock.state is not None, 30,
                    "the dock to check the first layer")
    r["before"] = dock_codes()
    for key in ("zuid-holland", "lmvw"):
        press_action("Instellingen…")
        dlg = yield from wait(lambda: modal(QDialog, "SettingsDialog"), 20, "the settings dialog")
        yield 300
        choose(dlg.findChild(QComboBox, "provincie"), data=key)
        yield 200
        if key == "zuid-holland":
            shot("instellingen-provincie", dlg)
        ok = ok_button(dlg)
        later(lambda ok=ok: click(ok))
        yield from wait(lambda: modal() is None, 20, "the settings dialog to close")
        want = (lambda c: any(x.startswith("PZH") for x in c)) if key == "zuid-holland" else \
            (lambda c: not any(x.startswith("PZH") for x in c))
        yield from wait(lambda want=want: dock.task is None and want(dock_codes()), 60,
                        lambda key=key: f"the dock to check again with the rules of {key}; it shows "
                                        f"{dock_codes()}, says {dock.status.text()!r}, layer {dock.layer}")
        r[key] = dock_codes()
        if key == "zuid-holland":
            shot("dock-provincie")
    r["bar"] = bar_texts()
    iface.messageBar().clearWidgets()
    return r


def step_import(layer, source, unmap):
    """*Plannen importeren…* from the plugin's menu: the source typed in the file widget, the format
    it detects, *Bron lezen*, one column set to *(niet geïmporteerd)* in the mapping, *Voorbeeld*,
    then *In de bewerkbuffer importeren*; the plans are in the edit buffer (nothing saved), Undo on
    the digitizing toolbar takes them out again, Redo puts them back."""
    from lmvw_plugin.layers.schema import find_fasering_layer
    r = {}
    fasering = find_fasering_layer(layer, QgsProject.instance(), plugin().standard)
    iface.setActiveLayer(layer)
    before = layer_state(layer)
    yield from click_menu_entry("Plannen importeren…")
    dlg = yield from wait(lambda: modal(QDialog, "LmvwImportDialog"), 20, "the import dialog")
    yield 300
    r["into"] = dlg.layer.currentLayer() is layer
    r["ok_at_start"] = dlg.ok.isEnabled()
    type_into(dlg.file.lineEdit(), source)
    yield 300
    r["format"] = [dlg.format.currentData(), dlg.format.currentText()]
    click(dlg.read_button)
    yield from wait(lambda: dlg.task is None and dlg.read_button.isEnabled() and dlg.status.text()
                    and "…" not in dlg.status.text(), 30, "the source to be read")
    r["read_status"] = dlg.status.text()
    table = dlg.mapping_table
    rows = {table.item(i, 0).text(): i for i in range(table.rowCount())}
    assert unmap in rows, f"no column {unmap} in the mapping: {sorted(rows)}"
    table.scrollToItem(table.item(rows[unmap], 0))
    yield 200
    choose(table.cellWidget(rows[unmap], 2), data="")
    r["mapping"] = {c: table.cellWidget(i, 2).currentData() for c, i in rows.items()}
    r["ok_before_preview"] = dlg.ok.isEnabled()
    shot("importeren-koppeling", dlg)
    click(dlg.preview_button)
    yield from wait(lambda: dlg.plans_table.rowCount() > 0 or "#b00020" in dlg.status.styleSheet(), 20,
                    "the preview")
    r["preview"] = [[dlg.plans_table.item(i, c).text() for c in range(2)] for i in range(dlg.plans_table.rowCount())]
    r["preview_tab"] = dlg.tabs.tabText(dlg.tabs.currentIndex())
    r["preview_status"] = dlg.status.text()
    r["ok_after_preview"] = [dlg.ok.text(), dlg.ok.isEnabled()]
    shot("importeren-voorbeeld", dlg)
    # *Koppeling opslaan* with the source's own name typed in the save dialog, its "replace?" answered
    # yes: refused, the source unchanged
    source_sum = sha256(source)
    later(lambda: click(dlg.save_mapping_button))
    fd = yield from wait(lambda: modal(QFileDialog), 10, "the save dialog of the mapping")
    yield 300
    name_edit = fd.findChild(QLineEdit, "fileNameEdit")
    type_into(name_edit, source)
    later(lambda: QTest.keyClick(name_edit, Qt.Key.Key_Return))     # the replace question blocks the key
    question = yield from wait(lambda: modal(QMessageBox), 10, "the save dialog's replace question")
    r["mapping_replace_asked"] = True
    later(lambda: click(question.button(QMessageBox.StandardButton.Yes)))
    yield from wait(lambda: modal(QDialog, "LmvwImportDialog"), 10, "the import dialog again")
    yield 300
    r["mapping_over_source"] = [dlg.status.text(), "#b00020" in dlg.status.styleSheet(),
                                sha256(source) == source_sum]
    saved = sha256(layer.source().split("|")[0]) if layer.providerType() == "ogr" else None
    later(lambda: click(dlg.ok))                 # from a timer: an error dialog would not block the day
    yield from wait(lambda: modal() is None, 20, "the import dialog to close")
    yield from wait(lambda: layer.featureCount() > before["count"], 20, "the plans in the edit buffer")
    yield 500
    r["before"] = before
    r["buffer"] = layer_state(layer)
    r["fasering_buffer"] = fasering.featureCount() if fasering is not None else None
    r["file_unchanged"] = saved is None or sha256(layer.source().split("|")[0]) == saved
    r["values"] = [{k: (None if f[k] is None or str(f[k]) == "NULL" else str(f[k])) for k in ("plannaam", unmap)}
                   for f in layer.getFeatures()]
    r["bar"] = bar_texts()
    shot("geimporteerd")
    # Undo (one step per layer), then Redo
    iface.setActiveLayer(layer)
    yield 300
    yield from click_qgis("mActionUndo")
    yield from wait(lambda: layer.featureCount() == before["count"], 10, "Undo to take the imported plans out")
    r["after_undo"] = layer_state(layer)
    if fasering is not None and fasering.isModified():
        iface.setActiveLayer(fasering)
        yield 300
        yield from click_qgis("mActionUndo")
        r["fasering_after_undo"] = fasering.featureCount()
        yield from click_qgis("mActionRedo")
    iface.setActiveLayer(layer)
    yield 300
    yield from click_qgis("mActionRedo")
    yield from wait(lambda: layer.featureCount() == r["buffer"]["count"], 10, "Redo to put them back")
    r["after_redo"] = layer_state(layer)
    yield from save_edits(layer, fasering)
    r["saved"] = layer_state(layer)
    iface.messageBar().clearWidgets()
    return r


def step_import_layer_source(target):
    """*Plannen importeren…* with a layer of the project as the source: the day's first plan layer chosen in
    *of een laag in het project*, *Bron lezen*, *Voorbeeld*; then *Annuleren* leaves the target as it was."""
    r = {}
    source = next(lyr for lyr in plan_layers() if lyr is not target)
    iface.setActiveLayer(target)
    before = layer_state(target)
    yield from click_menu_entry("Plannen importeren…")
    dlg = yield from wait(lambda: modal(QDialog, "LmvwImportDialog"), 20, "the import dialog")
    yield 300
    combo = dlg.findChild(QComboBox, "lmvwImportSourceLayer")
    assert combo is not None, "no layer choice in the import dialog"
    choose(combo, index=next(i for i in range(combo.count()) if combo.layer(i) is source))
    yield 300
    r["chosen"] = combo.currentLayer() is source
    r["format"] = dlg.format.currentData()
    click(dlg.read_button)
    yield from wait(lambda: dlg.task is None and dlg.read_button.isEnabled() and dlg.status.text()
                    and "…" not in dlg.status.text(), 30, "the layer to be read")
    r["read_status"] = dlg.status.text()
    r["source"] = source.name()
    r["source_count"] = source.featureCount()
    click(dlg.preview_button)
    yield from wait(lambda: dlg.plans_table.rowCount() > 0 or "#b00020" in dlg.status.styleSheet(), 20,
                    "the preview")
    r["preview"] = [dlg.plans_table.item(i, 0).text() for i in range(dlg.plans_table.rowCount())]
    shot("importeren-uit-laag", dlg)
    cancel = dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    later(lambda: click(cancel))
    yield from wait(lambda: modal() is None, 20, "the import dialog to close")
    r["before"], r["after"] = before, layer_state(target)
    return r


def step_import_values(target, source):
    """*Plannen importeren…* from a spreadsheet whose planstatus "Harde plannen" matches no code: the values
    table lists it, she opens its drop-down and clicks *1A*, the count of values left drops to 0, the preview
    uses her code; then *Annuleren* leaves the target as it was."""
    r = {}
    iface.setActiveLayer(target)
    before = layer_state(target)
    yield from click_menu_entry("Plannen importeren…")
    dlg = yield from wait(lambda: modal(QDialog, "LmvwImportDialog"), 20, "the import dialog")
    yield 300
    type_into(dlg.file.lineEdit(), source)
    yield 300
    click(dlg.read_button)
    yield from wait(lambda: dlg.task is None and dlg.read_button.isEnabled() and dlg.status.text()
                    and "…" not in dlg.status.text(), 30, "the spreadsheet to be read")
    table = dlg.findChild(QTableWidget, "lmvwImportValues")
    assert table is not None and table.isVisible(), "no table of values to map: " + dlg.status.text()
    r["listed"] = [[table.item(i, c).text() for c in range(2)] for i in range(table.rowCount())]
    r["unmapped_before"] = dlg.unmapped.text()
    table.scrollToItem(table.item(0, 0))
    yield 200
    choose(table.cellWidget(0, 2), data="1A")
    yield 200
    r["chosen"] = table.cellWidget(0, 2).currentData()
    r["unmapped_after"] = dlg.unmapped.text()
    shot("importeren-waarden", dlg)
    click(dlg.preview_button)
    yield from wait(lambda: dlg.plans_table.rowCount() > 0 or "#b00020" in dlg.status.styleSheet(), 20,
                    "the preview")
    r["statuses"] = {a.plannaam: a.values.get("planstatus") for a in dlg.preview.actions}
    r["problems"] = [(p.field, p.value) for p in dlg.preview.problems if p.field == "planstatus"]
    cancel = dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    later(lambda: click(cancel))
    yield from wait(lambda: modal() is None, 20, "the import dialog to close")
    r["before"], r["after"] = before, layer_state(target)
    return r


def step_new_layer_province(gemeente_text):
    """*Nieuwe planlaag* for a gemeente of Zuid-Holland: PostGIS (the service of pg_service.conf)
    when the test has a cluster, else a GeoPackage; the layer gets the province's fields."""
    r = {}
    before = {lyr.id() for lyr in plan_layers()}
    press_action("Nieuwe planlaag…")
    dlg = yield from wait(lambda: modal(QDialog, "NewLayerDialog"), 20, "the Nieuwe planlaag dialog")
    yield 300
    pg = CFG.get("pg_service")
    if pg:
        radio = dlg.findChild(QRadioButton, "LmvwTargetPg")
        click(radio)
        yield 300
        box = dlg.pg.box
        r["pg_box_visible"] = box.isVisible()
        r["file_enabled"] = dlg.file.isEnabled()
        assert box.isVisible(), "choosing PostGIS did not show the database and schema"
        choose(dlg.findChild(QComboBox, "LmvwPgConnection"), text=pg)
        type_into(dlg.findChild(QLineEdit, "LmvwPgSchema"), CFG["pg_schema"])
    else:
        type_into(dlg.file.lineEdit(), CFG["gpkg_zh"])
    type_into(dlg.gemeente, gemeente_text)
    shot("nieuwe-planlaag-provincie", dlg)
    ok = ok_button(dlg)
    later(lambda: click(ok))
    yield from wait(lambda: modal() is None, 60, "the dialog to close; it says: " + dlg.problem.text())
    new = yield from wait(lambda: [lyr for lyr in plan_layers() if lyr.id() not in before], 60,
                          "the new plan layer")
    layer = new[0]
    yield 500
    r["provider"] = layer.providerType()
    r["editable"] = layer.isEditable()
    r["fields"] = [f.name() for f in layer.fields() if f.name().startswith("zh_")]
    r["bar"] = bar_texts()
    r["active"] = iface.activeLayer() is layer
    iface.messageBar().clearWidgets()
    return r, layer


def step_export_province(layer, gemeente_text, province):
    """The export dialog with *Formaat* set to the province: the province's file is written."""
    r = {}
    iface.setActiveLayer(layer)
    press_action("Levering exporteren…")
    exp = yield from wait(lambda: modal(QDialog, "ExportDialog"), 20, "the export dialog")
    yield 300
    r["layer"] = exp.layer.currentLayer() is layer
    r["compare_proposed"] = exp.previous.check.isChecked()
    type_into(exp.gemeente, gemeente_text)
    type_into(exp.folder.lineEdit(), CFG["out_dir_zh"])
    choose(exp.findChild(QComboBox, "format"), data=province)
    yield from wait(lambda: "plan" in exp.summary.text() and not exp.validating(), 20, "the summary")
    yield 800
    variant = exp.findChild(QCheckBox, "formatOption_rfc7946")      # the format's own option (its profile's)
    r["rfc7946_offered"] = variant is not None and variant.isVisible()
    if variant is not None:
        click(variant, QPoint(8, variant.height() // 2))             # on its box (the row is wider than its text)
        yield 200
        r["rfc7946_ticked"] = variant.isChecked()
    target = exp.target_path()
    r.update(format=exp.format.currentText(), target=target, summary=exp.summary.text(), ok=exp.ok.isEnabled())
    shot("exporteren-provincie", exp)
    later(lambda: click(exp.ok))
    yield from wait(lambda: modal() is None, 10, "the dialog to close")
    yield from wait(lambda: os.path.exists(target) and plugin().export_task is None and any(
        b["buttons"] for b in message_bar_buttons()), 60, "the province's file and the message bar")
    r["bar"] = message_bar_buttons()
    r["files"] = sorted(os.listdir(CFG["out_dir_zh"]))
    with open(target, encoding="utf-8") as fh:
        doc = json.load(fh)
    r["features"] = [f["properties"] for f in doc.get("features", [])]
    r["crs"] = doc.get("crs")
    r["first_xy"] = doc["features"][0]["geometry"]["coordinates"][0][0][0][:2] if doc.get("features") else None
    shot("geleverd-provincie")
    iface.messageBar().clearWidgets()
    return r


def step_stop_validation():
    """A large layer: the export dialog validates it in the background; *Validatie stoppen* stops
    it, Export stays disabled, nothing is written and the earlier package is kept."""
    r = {}
    big = iface.addVectorLayer(CFG["big"] + "|layername=woningbouwplannen", "grote planlaag", "ogr")
    assert big is not None and big.isValid(), "the large layer did not open"
    iface.setActiveLayer(big)
    folder = CFG["out_dir"]
    before = listing(folder)
    press_action("Levering exporteren…")
    exp = yield from wait(lambda: modal(QDialog, "ExportDialog"), 20, "the export dialog")
    stop = exp.findChild(QPushButton, "LmvwStopValidating")
    assert stop is not None, "no stop button in the export dialog"
    yield from wait(lambda: stop.isVisible(), 10, "the validation in the background")
    r["while"] = {"button": stop.text(), "progress": exp.progress.isVisible(), "ok": exp.ok.isEnabled(),
                  "summary": exp.summary.text()}
    shot("valideren", exp)
    click(stop)
    yield from wait(lambda: not exp.validating(), 30, "the validation to stop")
    yield 500
    r["after"] = {"button": stop.text(), "progress": exp.progress.isVisible(), "ok": exp.ok.isEnabled(),
                  "summary": exp.summary.text(), "target": exp.target_path()}
    shot("validatie-gestopt", exp)
    assert "Validatie gestopt" in exp.summary.text(), "the validation was not stopped: " + exp.summary.text()[:200]
    click(exp.ok)                                   # disabled: nothing happens
    yield 500
    r["open_after_export_click"] = exp.isVisible()
    cancel = exp.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
    later(lambda: click(cancel))
    yield from wait(lambda: modal() is None, 10, "the dialog to close")
    yield 500
    r["unchanged"] = listing(folder) == before
    r["files"] = sorted(before)
    r["task_left"] = plugin().export_task is not None
    QgsProject.instance().removeMapLayer(big.id())
    return r


def scenario_shapely():
    """QGIS without shapely 2: the message bar's offer, its *Shapely 2 installeren…* button and the
    menu's seventh entry show the question; *Nee* installs nothing and leaves everything as it was."""
    r = {}
    result["plugin_loaded"] = "lmvw_plugin" in qgis.utils.plugins
    assert result["plugin_loaded"], sorted(qgis.utils.plugins)
    yield 500
    python_dir = os.path.join(QgsApplication.qgisSettingsDirPath(), "python")
    before = sorted(os.listdir(python_dir)) if os.path.isdir(python_dir) else []
    r["menu"] = [a.text() for a in lmvw_menu().actions()]
    r["backend"] = sys.modules["lmvw_plugin.common.geo"].backend()
    buttons = [b for b in iface.messageBar().findChildren(QPushButton, "LmvwInstallShapelyButton") if b.isVisible()]
    r["bar_button"] = [b.text() for b in buttons]
    assert buttons, "no Shapely 2 installeren… in the message bar: " + str(bar_texts())
    shot("shapely-aanbod")
    later(lambda: click(buttons[0]))
    box = yield from wait(lambda: modal(QMessageBox), 10, "the question after the bar's button")
    r["question"] = {"title": box.windowTitle(), "text": box.text(),
                     "buttons": sorted(b.text().replace("&", "") for b in box.buttons())}
    shot("shapely-vraag", box)
    click(box.button(QMessageBox.StandardButton.No))
    yield from wait(lambda: modal() is None, 10, "the question to close")
    yield 300
    r["bar_after_no"] = bar_texts()
    from qgis.core import QgsSettings
    r["declined"] = QgsSettings().value("lmvw_plugin/shapely_offer_declined", False, type=bool)
    iface.messageBar().clearWidgets()
    # the menu's entry still asks (the user may change her mind)
    yield from click_menu_entry("Shapely 2 installeren…")
    box = yield from wait(lambda: modal(QMessageBox), 10, "the question after the menu entry")
    r["menu_question"] = box.text()[:80]
    click(box.button(QMessageBox.StandardButton.No))
    yield from wait(lambda: modal() is None, 10, "the question to close")
    yield 500
    r["task"] = plugin().shapely_offer.task is not None
    r["python_dir"] = [sorted(os.listdir(python_dir)) if os.path.isdir(python_dir) else [], before]
    r["menu_after"] = [a.text() for a in lmvw_menu().actions()]
    r["backend_after"] = sys.modules["lmvw_plugin.common.geo"].backend()
    result["shapely"] = r
    result["done"] = True


# ------------------------------------------------------------------------------------ driver
def finish():
    faulthandler.cancel_dump_traceback_later()
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


QTimer.singleShot(2500, lambda: drive(scenario_shapely() if CFG.get("part") == "shapely" else scenario()))
