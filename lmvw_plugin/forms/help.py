"""Help texts of the standard as tooltips on attribute forms.

QGIS 3.22 shows a field's *comment* as the tooltip of its label, and cannot read comments from a
GeoPackage before GDAL 3.7. So the plugin sets the tooltips itself: when the keyboard focus enters
an attribute form of a layer with the Basisset fields, every label and editor widget of that form
gets the help text of its field, in the user's language. This costs one signal per focus change,
not an event filter on every event. (The GeoPackage also carries the Dutch help texts as column
descriptions, which QGIS builds with GDAL >= 3.7 show without the plugin.)
"""
from __future__ import annotations

import functools
import html
from typing import List, Optional

from qgis.gui import QgsAttributeForm
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtWidgets import QApplication, QLabel, QWidget

from ..standard import Standard, pick

DONE = "lmvw_help_installed"


def _slot(method):
    """A Qt slot that never raises into QGIS's error dialog: a failure goes to the log (tab LMVW).
    The signal's arguments are not needed by these slots and are dropped."""
    @functools.wraps(method)
    def run(self, *_args):
        try:
            return method(self)
        except Exception as e:  # noqa: BLE001 - a Qt slot
            _log(e)
    return run


def tooltip(standard: Standard, name: str, lang: str) -> Optional[str]:
    f = standard.field_by_name.get(name)
    if f is None:
        return None
    return f"<b>{html.escape(pick(f.label, lang))}</b><p>{html.escape(pick(f.help, lang))}</p>"


def install_tooltips(form: QWidget, standard: Standard, lang: str) -> int:
    """Set the help tooltips on a form's labels and widgets; returns how many fields got one.

    An editor widget carries its field's name as object name; its label is the QLabel whose buddy
    it is, or (QGIS 3.22 without buddy) the label whose tooltip QGIS starts with the field's alias
    in bold (or the name where the field has no alias)."""
    count = 0
    labels = form.findChildren(QLabel)
    layer = _layer_of(form)
    fields = layer.fields() if layer is not None else None
    for f in standard.fields:
        tip = tooltip(standard, f.name, lang)
        hit = False
        widgets = form.findChildren(QWidget, f.name)
        for w in widgets:
            w.setToolTip(tip)
            hit = True
        heads = {f"<b>{html.escape(f.name)}</b>", f"<b>{f.name}</b>"}
        if fields is not None and fields.indexOf(f.name) >= 0:
            alias = layer.attributeDisplayName(fields.indexOf(f.name))
            heads |= {f"<b>{alias}</b>", f"<b>{html.escape(alias)}</b>"}
        for lab in labels:
            buddy = lab.buddy()
            if (buddy is not None and buddy.objectName() == f.name) or lab.toolTip().startswith(tuple(heads)):
                lab.setToolTip(tip)
                hit = True
        count += hit
    form.setProperty(DONE, True)
    return count


def _layer_of(form: QWidget):
    try:
        return sip.cast(form, QgsAttributeForm).layer() if form.inherits("QgsAttributeForm") else None
    except (TypeError, RuntimeError):
        return None


def _form_of(widget: Optional[QWidget]) -> Optional[QgsAttributeForm]:
    """The attribute form a widget is in. sip presents a form QGIS made as a plain QWidget
    (isinstance fails on 3.22): ask Qt's meta object, then cast."""
    while widget is not None:
        if widget.inherits("QgsAttributeForm"):
            return sip.cast(widget, QgsAttributeForm)
        widget = widget.parentWidget()
    return None


class FormHelp(QObject):
    """Installs tooltips on attribute forms of plan layers as the user enters them."""

    def __init__(self, standard: Standard, lang: str, is_plan_layer, parent=None):
        super().__init__(parent)
        self.standard = standard
        self.lang = lang
        self.is_plan_layer = is_plan_layer
        self.link = FaseringLink(standard, self)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        try:
            form = _form_of(new)
            if form is None or form.property(DONE):
                return
            layer = form.layer()
            if layer is not None and self.is_plan_layer(layer):
                install_tooltips(form, self.standard, self.lang)
                fit_form(form)
                install_reasons(form, layer)
                self.link.watch(form, layer)
        except Exception as e:  # noqa: BLE001 - a Qt slot: log, never QGIS's error dialog
            from qgis.core import Qgis, QgsMessageLog
            QgsMessageLog.logMessage(f"form help: {e}", "LMVW", Qgis.MessageLevel.Warning)

    def unload(self) -> None:
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        except (TypeError, RuntimeError):
            pass
        self.link.unload()


REASONS = "lmvw_reasons"


def fit_form(form: QWidget) -> None:
    """Labels with live warnings wrap instead of pushing the widgets off the right edge, and the
    form's window is wide enough for its whole tab bar (QGIS's default hides the seventh tab)."""
    from qgis.PyQt.QtWidgets import QTabWidget
    for lab in form.findChildren(QLabel):
        if "⚠" in lab.text() or len(lab.text()) > 60:
            lab.setWordWrap(True)
    # empty fields read empty, not "NULL" (QGIS's null representation is the user's setting: leave
    # it, and change only how these widgets show an empty value; what they store stays NULL)
    from qgis.core import QgsApplication
    from qgis.gui import QgsDateTimeEdit
    null = QgsApplication.nullRepresentation()
    from qgis.PyQt.QtWidgets import QDateTimeEdit
    for w in form.findChildren(QDateTimeEdit):
        if not w.inherits("QgsDateTimeEdit"):
            continue
        w = sip.cast(w, QgsDateTimeEdit)         # sip may present it as a plain QDateTimeEdit
        if w.allowNull():
            w.setNullRepresentation("")
            if w.isNull():
                w.clear()
    from qgis.PyQt.QtWidgets import QSpinBox
    for w in form.findChildren(QSpinBox):
        if w.inherits("QgsSpinBox") and w.specialValueText() == null:
            w.setSpecialValueText(" ")          # a space: an empty text would switch it off
    tabs = form.findChildren(QTabWidget)
    win = form.window()
    if tabs and win is not None:
        need = tabs[0].tabBar().sizeHint().width() + 80
        if win.width() < need:
            win.resize(need, max(win.height(), 560))


def failing_hard_constraints(form, layer) -> List[str]:
    """The messages of the hard constraints the form's current values break (why OK is disabled)."""
    from qgis.core import QgsFieldConstraints, QgsVectorLayerUtils
    hard = QgsFieldConstraints.ConstraintStrength.ConstraintStrengthHard
    feat = form.currentFormFeature()
    out: List[str] = []
    for i in range(layer.fields().count()):
        ok, msgs = QgsVectorLayerUtils.validateAttribute(layer, feat, i, hard)
        if not ok:
            name = layer.attributeDisplayName(i)
            for m in msgs:
                text = f"{name}: {m}"
                if text not in out:
                    out.append(text)
    return out


def install_reasons(form, layer) -> Optional[QLabel]:
    """A label at the top of an editable form that says which hard constraints keep OK disabled."""
    box = form.layout()                  # QGIS 3.22: a vertical box (message bar, then the tabs)
    if box is None or not hasattr(box, "insertWidget") or form.findChild(QLabel, REASONS) is not None:
        return None
    label = QLabel()
    label.setObjectName(REASONS)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    box.insertWidget(min(1, box.count()), label)

    def update(*_args):
        try:
            if sip.isdeleted(label) or sip.isdeleted(layer):
                return
            reasons = failing_hard_constraints(form, layer) if layer.isEditable() else []
            label.setVisible(bool(reasons))
            label.setText("⛔ " + "<br>".join(html.escape(r) for r in reasons[:8]) if reasons else "")
        except Exception as e:  # noqa: BLE001 - a Qt slot
            _log(e)
    form.widgetValueChanged.connect(update)
    _UPDATERS[id(form)] = update
    form.destroyed.connect(lambda *_a, k=id(form): _UPDATERS.pop(k, None))
    update()
    return label


_UPDATERS = {}


def refresh_form(form: QWidget, field_name: str) -> bool:
    """Make an open form re-evaluate its constraints and labels as if `field_name` changed (QGIS 3.22
    does not when only the rows of a relation editor change): re-emit the value of its widget."""
    from qgis.gui import QgsEditorWidgetWrapper
    for w in form.findChildren(QWidget, field_name):
        eww = QgsEditorWidgetWrapper.fromWidget(w)
        if eww is not None:
            eww.valuesChanged.emit(eww.value(), eww.additionalFieldValues())
            updater = _UPDATERS.get(id(form))
            if updater is not None:
                updater()
            return True
    return False


class FaseringLink(QObject):
    """Keeps the plan forms that the user enters in step with their fasering rows: when a row is
    added, changed or deleted (in the form's relation editor or anywhere) the forms re-check R17
    and update the running total; while the plan layer is editable the fasering table is too (no
    pencil in the relation editor first), and its edits are saved or undone with the plan layer's."""

    def __init__(self, standard: Standard, parent=None):
        super().__init__(parent)
        self.standard = standard
        self.forms = {}                  # id -> form wrapper, removed when Qt destroys the form
        self.hooked = {}                 # fasering layer id -> (plan layer, fasering layer, connections)
        totals = [rt for rt in standard.form.get("running_totals", [])
                  if standard.check_by_id[rt["check"]].kind == "fasering_sum"]
        self.field = totals[0]["field"] if totals else "bruto_plancapaciteit"

    def watch(self, form, layer) -> None:
        from qgis.core import QgsProject
        rel = QgsProject.instance().relationManager().relation(self.standard.relation_id)
        if not rel.isValid() or rel.referencedLayer() is not layer:
            return
        fas = rel.referencingLayer()
        if fas is None:
            return
        key = id(form)
        if key not in self.forms:
            self.forms[key] = form
            form.destroyed.connect(lambda *_a, k=key: self.forms.pop(k, None))
        if fas.id() not in self.hooked:
            conns = [(fas.featureAdded, self._rows_changed), (fas.featuresDeleted, self._rows_changed),
                     (fas.attributeValueChanged, self._rows_changed), (fas.afterRollBack, self._rows_changed),
                     (layer.editingStarted, self._plans_editing), (layer.afterCommitChanges, self._plans_saved),
                     (layer.afterRollBack, self._plans_undone), (fas.willBeDeleted, self._fasering_gone)]
            for sig, slot in conns:
                sig.connect(slot)
            self.hooked[fas.id()] = (layer, fas, conns)
        if layer.isEditable() and not fas.isEditable():
            fas.startEditing()

    def _pairs(self):
        return [(p, f) for p, f, _c in self.hooked.values() if not sip.isdeleted(p) and not sip.isdeleted(f)]

    @_slot
    def _rows_changed(self) -> None:
        for form in list(self.forms.values()):
            refresh_form(form, self.field)

    @_slot
    def _plans_editing(self) -> None:
        for plans, fas in self._pairs():
            if plans.isEditable() and not fas.isEditable():
                fas.startEditing()

    @_slot
    def _plans_saved(self) -> None:
        for plans, fas in self._pairs():
            if fas.isEditable() and fas.isModified():
                if not fas.commitChanges(not plans.isEditable()):
                    _log("; ".join(fas.commitErrors()))
            elif fas.isEditable() and not plans.isEditable():
                fas.rollBack()

    @_slot
    def _plans_undone(self) -> None:
        for plans, fas in self._pairs():
            if fas.isEditable() and not plans.isEditable():
                fas.rollBack()

    def _fasering_gone(self) -> None:
        self.unload()                    # watched again when the user enters a form

    def unload(self) -> None:
        for _plans, _fas, conns in list(self.hooked.values()):
            for sig, slot in conns:
                try:
                    sig.disconnect(slot)
                except (TypeError, RuntimeError):
                    pass
        self.hooked.clear()
        self.forms.clear()


def _log(e) -> None:
    from qgis.core import Qgis, QgsMessageLog
    QgsMessageLog.logMessage(f"fasering link: {e}", "LMVW", Qgis.MessageLevel.Warning)
