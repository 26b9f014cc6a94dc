"""Wiring only: translator, menu and toolbar, dock, form help, Processing provider."""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from typing import List, Optional

from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QMessageBox, QPushButton

from .i18n import QT_TR_NOOP, install_translator, language, n_errors, n_plans, n_warnings, remove_translator, tr, trn
from .layers.qtcompat import QAction
from .standard import load

HERE = os.path.dirname(os.path.abspath(__file__))
MENU = "LMVW woningbouwplannen"


def icon(name: str) -> QIcon:
    return QIcon(os.path.join(HERE, "resources", name))


class _FormsOffer(QObject):
    """The message bar's *Formulieren toepassen* for one layer. Its click acts after the click is over
    (removing the message deletes the button); a lambda or partial as the slot made such a button
    in the real desktop fail with a TypeError or crash (gui/deps_install.py, tests/desktop_scenario.py)."""

    def __init__(self, plugin, layer_id, widget):
        super().__init__(widget)
        self.plugin, self.layer_id, self.widget = plugin, layer_id, widget

    def clicked(self, *_checked):
        QTimer.singleShot(0, self.apply)

    def apply(self):
        self.plugin._apply_offered(self.layer_id, self.widget)


class LmvwPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator()     # before any string is made
        self.standard = load()
        try:                                        # with the province of the settings (gui/province.py)
            from .gui.province import plugin_standard
            self.standard = plugin_standard()
        except Exception:                           # a broken province profile must not stop the plugin
            self.standard = load()
        from .deps import missing
        self.missing = missing()
        self.actions: List[QAction] = []
        self._report_dir: Optional[str] = None      # reports opened from the message bar; removed on unload
        self.toolbar = None
        self.dock = None
        self.form_help = None
        self.provider = None
        self.export_task = None
        self._offered = set()                      # layer ids offered the current form this session
        self.shapely_offer = None                  # gui.deps_install.ShapelyOffer while shapely 2 is missing
        self._told_missing = False

    # -------------------------------------------------------------------------------- QGIS API
    def initProcessing(self):  # noqa: N802
        if self.provider is not None or self.missing:   # QGIS may call this and initGui both
            return
        from .processing.provider import LmvwProvider
        registry = QgsApplication.processingRegistry()
        if registry.providerById("lmvw") is not None:      # registered already (another instance)
            return
        provider = LmvwProvider()
        if registry.addProvider(provider):                 # on failure QGIS deletes the provider
            self.provider = provider

    def initGui(self):  # noqa: N802
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(tr("LMVW woningbouwplannen"))
        self.toolbar.setObjectName("LmvwToolbar")
        self._action("new_layer.svg", tr("New plan layer…"), self.new_layer,
                     tr("Create a GeoPackage with the Basisset plan layer, fasering table, form and style"),
                     toolbar=True)
        self._action("apply_form.svg", tr("Apply forms"), self.apply_forms,
                     tr("Apply the Basisset form, relation and style to the active layer"))
        self.validate_action = self._action("validate.svg", tr("Validation (LMVW-controle)"), self.toggle_dock,
                                            tr("Show the findings of the active plan layer"), toolbar=True)
        self.validate_action.setCheckable(True)
        self._action("export.svg", tr("Export delivery…"), self.export, tr("Write the uitvraag package"),
                     toolbar=True)
        self._action("import.svg", tr("Import plans…"), self.import_plans,
                     tr("Bring plans in from a table, a spreadsheet or an earlier package"))
        self._action("settings.svg", tr("Settings…"), self.open_settings, tr("Municipality and default folder"))
        from .forms.help import FormHelp
        from .layers.schema import is_plan_layer
        self.form_help = FormHelp(self.standard, language(), lambda lyr: is_plan_layer(lyr, self.standard))
        if self.missing:
            self.bar(self.missing_text(), Qgis.MessageLevel.Critical, 0)
        else:                        # without shapely 2: works on GDAL/OGR, offers to install it
            from .deps import shapely2_missing
            if shapely2_missing():
                from .gui.deps_install import ShapelyOffer
                self.shapely_offer = ShapelyOffer(self.iface)
                self._action("settings.svg", tr("Install shapely 2…"), self.shapely_offer.ask,
                             tr("Faster validation and export of large layers"))
                self.shapely_offer.offer()
        QgsProject.instance().layersAdded.connect(self.link_fasering)
        QgsProject.instance().layersAdded.connect(self.offer_forms)
        QgsProject.instance().layersAdded.connect(self.guard_pg_layers)

    def link_fasering(self, _layers=None):
        """When a plan layer and the fasering table of the same GeoPackage are in the project
        without their relation (added by hand), add it: the form's Fasering tab needs it."""
        if self.missing:             # the layer modules need them: say so once, never raise
            if not self._told_missing:
                self._told_missing = True
                self.bar(self.missing_text(), Qgis.MessageLevel.Critical, 0)
            return
        from .layers.create import make_relation
        from .layers.schema import find_fasering_layer, is_plan_layer
        project = QgsProject.instance()
        manager = project.relationManager()
        if manager.relation(self.standard.relation_id).isValid():
            return
        for layer in project.mapLayers().values():
            if is_plan_layer(layer, self.standard):
                fasering = find_fasering_layer(layer, project, self.standard)
                if fasering is not None:
                    manager.addRelation(make_relation(layer, fasering, self.standard, language(), project))
                    return

    def guard_pg_layers(self, layers=None):
        """PostGIS plan layers: the optimistic lock on saving (issue 12, layers/pgregister.py)."""
        from .layers.pgregister import guard
        from .layers.schema import is_plan_layer
        for layer in layers or []:
            if isinstance(layer, QgsVectorLayer) and layer.providerType() == "postgres" \
                    and is_plan_layer(layer, self.standard):
                guard(layer, lambda text: self.bar(text, Qgis.MessageLevel.Warning, 0))

    def offer_forms(self, layers=None):
        """A plan layer whose form is older than this plugin's (or was never applied): offer
        'Formulieren toepassen' in the message bar (after the layer is set up: a new layer is
        stamped right after it is added)."""
        ids = [lyr.id() for lyr in (layers or []) if isinstance(lyr, QgsVectorLayer)]
        if ids and not self.missing:
            QTimer.singleShot(0, lambda: self._offer_forms(ids))

    def _offer_forms(self, ids):
        from .layers import formversion
        from .layers.schema import is_plan_layer
        for layer_id in ids:
            layer = QgsProject.instance().mapLayer(layer_id)
            if layer is None or layer_id in self._offered or not is_plan_layer(layer, self.standard):
                continue
            from .gui.province import layer_standard  # a new layer of a province's gemeente has its fields
            have = formversion.outdated(layer, layer_standard(self.standard, layer))
            if have is None:
                continue
            self._offered.add(layer_id)
            if have:
                text = tr("The form of '{}' was made by an older version of the plugin ({}): apply the current "
                          "form, relation and style?", layer.name(), have.split("+")[0])
            else:
                text = tr("'{}' has the Basisset fields but not the current form of the plugin: apply the form, "
                          "relation and style?", layer.name())
            bar = self.iface.messageBar()
            widget = bar.createMessage(tr("LMVW"), text)
            button = QPushButton(tr("Apply forms"))
            button.setObjectName("LmvwApplyFormsButton")
            offer = _FormsOffer(self, layer_id, widget)      # the slot: a bound method of a QObject
            button.clicked.connect(offer.clicked)
            widget.layout().addWidget(button)
            bar.pushWidget(widget, Qgis.MessageLevel.Info, 0)

    def _apply_offered(self, layer_id, widget):
        layer = QgsProject.instance().mapLayer(layer_id)
        try:
            self.iface.messageBar().popWidget(widget)
        except RuntimeError:
            pass
        if layer is not None:
            self.iface.setActiveLayer(layer)
            self.apply_forms()

    def missing_text(self) -> str:
        names = ", ".join(self.missing)
        return tr("LMVW woningbouwplannen needs Python packages that every QGIS normally brings, but this one "
                  "lacks: {}. Repair or reinstall QGIS with its Python packages (Debian/Ubuntu: sudo apt install "
                  "python3-numpy python3-gdal; Windows: the OSGeo4W installer) and restart QGIS.", names)

    def _action(self, icon_name: str, text: str, slot, tip: str = "", toolbar: bool = False) -> QAction:
        action = QAction(icon(icon_name), text, self.iface.mainWindow())
        action.setToolTip(tip or text)
        action.setStatusTip(tip or text)
        if self.missing and slot is not self.open_settings:
            slot = self._explain_missing
        action.triggered.connect(slot)
        self.iface.addPluginToMenu(MENU, action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def unload(self):
        if self._report_dir is not None:
            shutil.rmtree(self._report_dir, ignore_errors=True)
            self._report_dir = None
        for slot in (self.link_fasering, self.offer_forms, self.guard_pg_layers):
            try:
                QgsProject.instance().layersAdded.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
        self.actions = []
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.dock is not None:
            self.dock.unload()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.form_help is not None:
            self.form_help.unload()
            self.form_help = None
        if self.provider is not None:
            try:
                QgsApplication.processingRegistry().removeProvider(self.provider)
            except RuntimeError:          # already gone with the registry
                pass
            self.provider = None
        remove_translator()

    # -------------------------------------------------------------------------------- helpers
    def bar(self, text: str, level=Qgis.MessageLevel.Info, seconds: int = 8):
        self.iface.messageBar().pushMessage(tr("LMVW"), text, level, seconds)

    def active_vector_layer(self) -> Optional[QgsVectorLayer]:
        layer = self.iface.activeLayer()
        return layer if isinstance(layer, QgsVectorLayer) else None

    # -------------------------------------------------------------------------------- actions
    def _explain_missing(self, *args):
        self.bar(self.missing_text(), Qgis.MessageLevel.Critical, 0)

    def open_settings(self):
        from .gui.dialogs import SettingsDialog
        if SettingsDialog(self.standard, self.iface.mainWindow()).exec():
            self._province_changed()

    def _province_changed(self):
        """The settings' province changed: the form, the validator and the export follow it."""
        from .gui.province import plugin_standard
        standard = plugin_standard()
        if standard is self.standard:
            return
        self.standard = standard
        if self.dock is not None:
            self.dock.set_standard(standard)            # a full check with the province's rules
        if self.form_help is not None and hasattr(self.form_help, "standard"):
            self.form_help.standard = standard
        self.bar(tr("The province changed: choose 'Formulieren toepassen' on the plan layer to get its fields "
                    "and form tab."), Qgis.MessageLevel.Info, 8)

    def new_layer(self):
        from .gui import settings
        from .gui.dialogs import NewLayerDialog
        from .layers.background import add_brt, zoom_to_start
        from .layers.create import CreateError, create_package
        dlg = NewLayerDialog(self.standard, self.iface.mainWindow())
        if not dlg.exec():
            return
        project = QgsProject.instance()
        empty_map = not project.mapLayers()
        try:
            from .gui.province import new_layer_standard  # the province's extra fields (gui/province.py)
            standard = new_layer_standard(self.standard, dlg.code)
            if dlg.pg_target is not None:             # a PostGIS register (issue 12, layers/pgregister.py)
                from .layers.pgregister import new_register_in_project
                pkg = new_register_in_project(dlg.pg_target, dlg.code, standard, language(), project)
                if pkg is None:
                    return
                dlg.path = f"{dlg.pg_target[1]} ({pkg.path})"
            else:
                pkg = create_package(dlg.path, dlg.code, standard, language(), project=project)
        except CreateError as e:
            self.bar(tr("Could not create {}: {}", dlg.path, e.detail or e.reason), Qgis.MessageLevel.Critical, 0)
            return
        except Exception as e:  # noqa: BLE001 - the database's answer, as a message (storage.postgis)
            from .storage import postgis as pgio
            if not isinstance(e, pgio.PgError) or dlg.pg_target is None:
                raise
            self.bar(pgio.pg_error_text(e, *dlg.pg_target), Qgis.MessageLevel.Critical, 0)
            return
        self.guard_pg_layers([pkg.plans])
        if settings.background_map():
            add_brt(project)
        if empty_map:        # a new map: on the Netherlands in RD New (a map already open stays where it is)
            project.setCrs(pkg.plans.crs())
            zoom_to_start(self.iface.mapCanvas(), project, self.standard)
        self.iface.setActiveLayer(pkg.plans)
        pkg.plans.startEditing()                   # ready to draw, as the message says
        self.bar(tr("Created {} for {}. Draw a plan with 'Add Polygon Feature'; the form opens with the defaults.",
                    dlg.path, self.standard.gemeente_name(dlg.code) or dlg.code), Qgis.MessageLevel.Success)
        if self.dock is not None and self.dock.isVisible():
            self.dock.set_layer(pkg.plans)

    def apply_forms(self):
        from .gui import settings
        from .layers.create import FormsOpen, apply_to_layer, save_default_styles
        from .layers.schema import find_fasering_layer
        layer = self.active_vector_layer()
        if layer is None:
            self.bar(tr("Select the plan layer in the Layers panel first."), Qgis.MessageLevel.Warning)
            return
        fasering = find_fasering_layer(layer, QgsProject.instance(), self.standard)
        added = self._add_province_fields(layer, fasering)
        if added is None:
            return
        try:
            result, _ = apply_to_layer(layer, QgsProject.instance(), self.standard, language(),
                                       settings.gemeentecode() or None, fasering)
        except FormsOpen as e:
            self.bar(tr("Close the open form first ({}): the forms cannot be applied while a form of this "
                        "layer is open. Nothing was changed.", "; ".join(e.titles)), Qgis.MessageLevel.Warning, 0)
            return
        if not result.ok:
            names = ", ".join(result.missing)
            text = tr("Layer '{}' does not have the Basisset fields, so no form was applied. Missing: {}.",
                      layer.name(), names)
            if result.is_shapefile:
                text += " " + tr("Shapefile field names are at most 10 characters: convert the layer to a "
                                 "GeoPackage first.")
            QMessageBox.warning(self.iface.mainWindow(), tr("Apply forms"), text)
            return
        msg = tr("Form, style and constraints applied to '{}'.", layer.name())
        if added:
            msg += " " + added
        if result.missing_optional:
            names = ", ".join(result.missing_optional)
            msg += " " + tr("Optional fields missing (left out of the form): {}.", names)
        if fasering is None:
            msg += " " + tr("No fasering table found next to it: the Fasering tab stays empty.")
        self.bar(msg, Qgis.MessageLevel.Success)
        if layer.providerType() == "ogr" and layer.source().split("|")[0].lower().endswith(".gpkg"):
            answer = QMessageBox.question(
                self.iface.mainWindow(), tr("Apply forms"),
                tr("Also save the form and style in the GeoPackage as its default style, so that colleagues "
                   "get them too?"))
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    save_default_styles(layer, fasering, self.standard)
                except Exception as e:  # the layer keeps the form in this project either way
                    self.bar(tr("The style could not be saved in the file: {}", e), Qgis.MessageLevel.Warning)

    def _add_province_fields(self, layer, fasering):
        """The province's extra fields the layers lack, added (columns only; never dropped or rewritten).
        Returns the sentence saying what was added ('' for nothing), None when it failed (said)."""
        from .layers.province_fields import AddFieldsError, add_province_fields
        from .layers.schema import check_layer
        if not check_layer(layer, self.standard).ok:
            return ""                               # not a plan layer: apply_to_layer says what is missing
        try:
            plan_added, fas_added = add_province_fields(layer, fasering, self.standard)
        except AddFieldsError as e:
            self.bar(tr("The province's fields could not be added to '{}': {}. Nothing was changed.",
                        e.layer_name, e.detail), Qgis.MessageLevel.Critical, 0)
            return None
        parts = []
        if plan_added:
            parts.append(tr("Added the province's fields: {}.", ", ".join(plan_added)))
        if fas_added:
            parts.append(tr("Added to the fasering table the columns of the split per year: {}.",
                            ", ".join(fas_added)))
        return " ".join(parts)

    def toggle_dock(self, checked: bool = True):
        if self.dock is None:
            from .gui.dock import ValidationDock
            self.dock = ValidationDock(self.iface, self.standard, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            try:                      # QGIS keeps a new dock as narrow as its neighbours: give it room
                from .gui.dock import DOCK_WIDTH
                self.iface.mainWindow().resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
            except (AttributeError, TypeError):   # a main window without resizeDocks (test stubs)
                pass
            self.dock.visibilityChanged.connect(self.validate_action.setChecked)
            layer = self.active_vector_layer()
            from .layers.schema import is_plan_layer
            if layer is not None and is_plan_layer(layer, self.standard):
                self.dock.set_layer(layer)
            else:
                self.dock.set_layer(self.dock.layer_combo.currentLayer())
        self.dock.setUserVisible(bool(checked))

    def show_findings(self, layer, errors_only: bool = False):
        """The dock on `layer`, showing only the errors when asked (from the export dialog)."""
        self.toggle_dock(True)
        if layer is not None and self.dock.layer is not layer:
            self.dock.set_layer(layer)
        if errors_only:
            from .rules.findings import ERROR
            idx = self.dock.severity_combo.findData(ERROR)
            if idx >= 0:
                self.dock.severity_combo.setCurrentIndex(idx)

    def import_plans(self):
        """Plannen importeren… (issue 10): the dialog puts the plans in the layer's edit buffer."""
        from .gui.import_dialog import ImportDialog
        dlg = ImportDialog(self.standard, self.active_vector_layer(), self.iface.mainWindow())
        if not dlg.exec() or not dlg.applied:
            return
        layer = dlg.layer.currentLayer()
        self.bar(tr("{} new and {} updated plans are in the edit buffer of {}: check them on the map and in the dock, "
                    "then save the edits (or undo them).", dlg.applied["new"], dlg.applied["updated"], layer.name()),
                 Qgis.MessageLevel.Success, 0)
        self.show_findings(layer)
        self.dock.validate_full()

    def export(self):
        from .gui import settings
        from .gui.dialogs import ExportDialog
        from .gui.tasks import ExportTask
        from .layers.reader import FaseringSource, plan_source
        from .layers.schema import find_fasering_layer
        dlg = ExportDialog(self.iface, self.standard, self.active_vector_layer(), self.iface.mainWindow())
        if not dlg.exec():
            if dlg.open_dock:
                self.show_findings(dlg.values()["layer"], errors_only=dlg.errors > 0)
            return
        v = dlg.values()
        target = dlg.target_path()
        if v.get("format", "lmvw") != "lmvw":            # a province's format (gui/province.py)
            return self._export_province(v, target)
        from .delivery.package import DeliveryError, check_target
        from .layers.reader import layer_files
        from .messages import delivery_error_message
        layer = v["layer"]
        fasering = find_fasering_layer(layer, QgsProject.instance(), self.standard)
        sources = layer_files(layer, fasering)
        try:                                    # never the source, and only a previous package is replaced
            check_target(target, sources, overwrite=True)
        except DeliveryError as e:
            self.bar(delivery_error_message(e), Qgis.MessageLevel.Critical, 0)
            return
        overwrite = self._replace_asked(target, tr("{} already exists. Replace it? The old package stays until "
                                                   "the new one is complete.", target))
        if overwrite is None:
            return
        from .gui.previous import load_previous  # issue 11: Vergelijk met vorige levering
        previous, why = load_previous(v.get("previous", ""), self.standard, language())
        if why:
            self.bar(why, Qgis.MessageLevel.Critical, 0)
            return
        # the command line's fast path for a GeoPackage table (columnar read, rows copied in SQLite), and
        # the tables the dialog has just read and validated (no second read)
        source = plan_source(layer, self.standard, QgsProject.instance().transformContext())
        fas_source = FaseringSource(fasering, self.standard) if fasering is not None else None
        from .messages import plugin_version
        kwargs = dict(out_zip=target, gemeente=v["gemeente"], uitvraag=v["uitvraag"], peildatum=v["peildatum"],
                      profile=v["profile"], concept=v["concept"], overwrite=overwrite, lang=language(),
                      plugin_version=plugin_version(), standard=self.standard, sources=sources, previous=previous)
        self._export_layer = layer
        settings.set_folder(v["folder"])
        self.export_task = ExportTask(tr("Exporting delivery {}", os.path.basename(target)), source, fas_source,
                                      kwargs, self._export_done, tables=dlg.prepared_tables())
        QgsApplication.taskManager().addTask(self.export_task)
        self.bar(tr("Exporting… (progress in the task bar; you can cancel it there)"), Qgis.MessageLevel.Info, 4)

    def _replace_asked(self, target: str, question: str):
        """False when `target` does not exist yet; True when she agreed to replace it; None when not."""
        if not os.path.exists(target):
            return False
        answer = QMessageBox.question(self.iface.mainWindow(), tr("Export delivery"), question)
        return True if answer == QMessageBox.StandardButton.Yes else None

    def _export_province(self, v, target):
        from qgis.core import QgsVectorLayerFeatureSource

        from .delivery.package import DeliveryError
        from .delivery.province import check_province_target
        from .gui import settings
        from .gui.province import ProvinceExportTask
        from .layers.reader import PlanSource, fasering_stored, layer_files
        from .layers.schema import find_fasering_layer
        from .messages import province_error_message
        from .standard.provinces import extend
        standard = extend(getattr(self.standard, "base_standard", self.standard), v["format"])
        layer = v["layer"]
        fasering = find_fasering_layer(layer, QgsProject.instance(), standard)
        sources = layer_files(layer, fasering)
        try:
            check_province_target(target, sources, overwrite=True)
        except DeliveryError as e:
            self.bar(province_error_message(e), Qgis.MessageLevel.Critical, 0)
            return
        overwrite = self._replace_asked(target, tr("{} already exists. Replace it? The old file stays until the "
                                                   "new one is complete.", target))
        if overwrite is None:
            return
        source = PlanSource(layer, standard, QgsProject.instance().transformContext())
        fas_source = QgsVectorLayerFeatureSource(fasering) if fasering is not None else None
        options = dict(v.get("options", {}))              # the format's own choices (a template is a source too)
        kwargs = dict(out_path=target, province=v["format"], gemeente=v["gemeente"], uitvraag=v["uitvraag"],
                      peildatum=v["peildatum"], profile=v["profile"], concept=v["concept"], overwrite=overwrite,
                      lang=language(), standard=standard, options=options,
                      sources=sources + [o for o in options.values() if isinstance(o, str)])
        settings.set_folder(v["folder"])
        self.export_task = ProvinceExportTask(tr("Exporting delivery {}", os.path.basename(target)), source,
                                              fas_source, kwargs, self._province_export_done,
                                              fasering_stored(fasering) if fasering is not None else None)
        QgsApplication.taskManager().addTask(self.export_task)
        self.bar(tr("Exporting… (progress in the task bar; you can cancel it there)"), Qgis.MessageLevel.Info, 4)

    def _province_export_done(self, task):
        from .messages import province_error_message
        self.export_task = None
        r = task.result
        if r is not None:
            findings = r.shown + r.anonymous + r.export_findings
            text = tr("{} written: {} ({}, {}, {}).", os.path.basename(r.path), r.path, n_plans(len(r.records)),
                      n_errors(sum(f.severity == "error" for f in findings)),
                      n_warnings(sum(f.severity != "error" for f in findings)))
            widget = self.iface.messageBar().createMessage(tr("LMVW"), text)
            folder_button = QPushButton(tr("Open folder"))
            folder_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(r.path))))
            report_button = QPushButton(tr("Open report"))
            report_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(r.report_path)))
            widget.layout().addWidget(folder_button)
            widget.layout().addWidget(report_button)
            self.iface.messageBar().pushWidget(widget, Qgis.MessageLevel.Success, 0)
            return
        self._export_failed(task, province_error_message)

    def _export_done(self, task):
        from .messages import delivery_error_message
        self.export_task = None
        if task.result is not None:
            self._announce_package(task.result)
            from .gui.previous import remember, show_changes  # issue 11
            layer = getattr(self, "_export_layer", None)
            if task.result.changes is not None and task.result.changes.findings and layer is not None:
                self.show_findings(layer)                       # the V rules in the dock
            show_changes(self.iface, self.dock, layer, task.result)
            remember(layer, task.result.zip_path)
            return
        self._export_failed(task, delivery_error_message)

    def _export_failed(self, task, error_message):
        """What the message bar says when an export task ended without a result; `error_message` words the
        delivery's own errors (the package's or a province's)."""
        from .delivery.package import DeliveryCancelled, DeliveryError, DeliveryRefused
        e = task.exception
        if isinstance(e, DeliveryRefused):
            self.bar(trn(QT_TR_NOOP("Not exported: {} error blocks a final delivery. Nothing was written."),
                         QT_TR_NOOP("Not exported: {} errors block a final delivery. Nothing was written."), e.errors),
                     Qgis.MessageLevel.Critical, 0)
        elif isinstance(e, DeliveryError):
            if e.reason == "write_failed" and getattr(task, "trace", ""):   # unexpected: the details in the log
                from qgis.core import QgsMessageLog
                QgsMessageLog.logMessage(task.trace, "LMVW", Qgis.MessageLevel.Warning)
            self.bar(error_message(e), Qgis.MessageLevel.Critical, 0)
        elif isinstance(e, DeliveryCancelled) or e is None:
            self.bar(tr("Export cancelled: nothing was written."), Qgis.MessageLevel.Warning)
        else:
            self.bar(self._export_failure_text(task), Qgis.MessageLevel.Critical, 0)

    def _export_failure_text(self, task) -> str:
        """What an export failure outside the delivery's own errors says: the cause where it is
        known (a layer without the Basisset fields, a layer removed meanwhile, memory), else the
        kind of problem, with the details in the log (tab LMVW). Nothing is ever written then."""
        from qgis.core import QgsMessageLog

        from .messages import lacks_fields_text
        from .rules.table import SchemaError
        e = task.exception
        QgsMessageLog.logMessage(getattr(task, "trace", "") or repr(e), "LMVW", Qgis.MessageLevel.Critical)
        if isinstance(e, SchemaError):
            name = os.path.basename(str(getattr(task.source, "name", "?")).split("|")[0])
            return lacks_fields_text(name, e.missing) + " " + tr("Nothing was written.")
        if isinstance(e, MemoryError):
            return tr("Not enough memory to export this layer: close other programs or export from the command "
                      "line (python -m lmvw_plugin export). Nothing was written.")
        if isinstance(e, RuntimeError) and "deleted" in str(e):
            return tr("The layer was removed while it was exported: add it again and export once more. Nothing "
                      "was written.")
        return tr("Export failed unexpectedly ({}: {}). Nothing was written; the details are in the log (tab "
                  "LMVW).", type(e).__name__, e)

    def _announce_package(self, result):
        bar = self.iface.messageBar()
        m = result.manifest
        text = tr("Package written: {} ({}, {}, {}{}).", result.zip_path, n_plans(m["counts"]["plans"]),
                  n_errors(m["validation"]["errors"]), n_warnings(m["validation"]["warnings"]),
                  tr(", CONCEPT") if m["concept"] else "")
        widget = bar.createMessage(tr("LMVW"), text)
        folder_button = QPushButton(tr("Open folder"))
        folder_button.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(os.path.dirname(result.zip_path))))
        report_button = QPushButton(tr("Open report"))
        report_button.clicked.connect(lambda: self._open_report(result.zip_path))
        widget.layout().addWidget(folder_button)
        widget.layout().addWidget(report_button)
        bar.pushWidget(widget, Qgis.MessageLevel.Success, 0)

    def _open_report(self, zip_path: str):
        if self._report_dir is None or not os.path.isdir(self._report_dir):
            self._report_dir = tempfile.mkdtemp(prefix="lmvw-report-")
        folder = tempfile.mkdtemp(dir=self._report_dir)      # one per package: the browser keeps it open
        try:
            with zipfile.ZipFile(zip_path) as zf:
                zf.extract("validatierapport.html", folder)
        except (OSError, KeyError, zipfile.BadZipFile):
            self.bar(tr("Cannot open the report: {} is no longer a readable package (moved, removed or "
                        "replaced). Open the folder and unzip validatierapport.html yourself.", zip_path),
                     Qgis.MessageLevel.Warning)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.join(folder, "validatierapport.html")))
