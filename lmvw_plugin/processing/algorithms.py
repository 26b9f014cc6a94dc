"""Processing algorithms: thin wrappers over rules/ and delivery/."""
from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime

from ..i18n import QT_TR_NOOP, language, n_errors, n_plans, n_warnings, tr, trn
from ..layers.qtcompat import field_type
from ..messages import profile_ids, write_text
from ..rules.table import SchemaError
from ..standard import load


def _peildatum(value) -> _dt.date:
    if isinstance(value, QDateTime):
        value = value.date()
    if isinstance(value, QDate) and value.isValid():
        return value.toPyDate()
    if isinstance(value, (_dt.date,)):
        return value if not isinstance(value, _dt.datetime) else value.date()
    if isinstance(value, str) and value:
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            raise QgsProcessingException(tr("'{}' is not a date; write YYYY-MM-DD.", value)) from None
    return _dt.date.today()


def _json_target(path: Optional[str], sources) -> Optional[str]:
    """The JSON output's path; refused before any work when writing it would replace or damage a
    file the algorithm reads or writes (as the command line refuses such a --json)."""
    if not path:
        return None
    from ..common.paths import is_source
    if os.path.isdir(path) or is_source(path, sources):
        raise QgsProcessingException(tr("{} is one of the files this algorithm reads or writes (or a folder): "
                                        "choose another name for the JSON file. Nothing was done.", path))
    return path


def read_inputs(layer: QgsVectorLayer, fasering_layer: Optional[QgsVectorLayer], context, feedback, standard):
    """(plans, fasering) from QGIS layers; the fasering from the parameter, else from the plan
    layer's relation or file."""
    from ..layers.reader import read_fasering_layer, read_plan_layer
    from ..layers.schema import find_fasering_layer, is_fasering_layer, lacks_fields_message
    from ..messages import not_fasering_text
    try:
        plans = read_plan_layer(layer, standard, context=context.transformContext(), feedback=feedback)
    except SchemaError as e:
        raise QgsProcessingException(lacks_fields_message(layer, e.missing)) from None
    if plans is None:
        raise QgsProcessingException(tr("Cancelled."))
    if fasering_layer is None:
        fasering_layer = find_fasering_layer(layer, context.project() or QgsProject.instance(), standard)
        if fasering_layer is not None:
            feedback.pushInfo(tr("Fasering read from '{}'.", fasering_layer.name()))
        else:
            feedback.pushInfo(tr("No fasering table found: rules R17–R19 and C04 are skipped."))
    elif not is_fasering_layer(fasering_layer, standard):
        raise QgsProcessingException(not_fasering_text(fasering_layer.name(), standard))
    fasering = read_fasering_layer(fasering_layer, standard) if fasering_layer is not None else None
    return plans, fasering


class _Base(QgsProcessingAlgorithm):
    def group(self):
        return tr("LMVW woningbouwplannen")

    def groupId(self):
        return "lmvw"

    def createInstance(self):
        return type(self)()

    def add_inputs(self, plan_types) -> None:
        """INPUT (the plan layer) and FASERING (optional), shared by the algorithms."""
        self.addParameter(QgsProcessingParameterVectorLayer("INPUT", tr("Plan layer"), plan_types))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "FASERING", tr("Fasering table (default: the plan layer's relation or file)"),
            [QgsProcessing.SourceType.TypeVector], optional=True))


class ValidateAlgorithm(_Base):
    INPUT, FASERING, PEILDATUM, OUTPUT, JSON = "INPUT", "FASERING", "PEILDATUM", "OUTPUT", "JSON"

    def name(self):
        return "validate"

    def displayName(self):
        return tr("Validate housing plans (Basisset)")

    def shortHelpString(self):
        return tr("Checks every Basisset 2.0 rule (R01–R24, G01–G07, C01–C04) on a plan layer and its fasering "
                  "table. Outputs a findings table (point geometry where the problem is known), a JSON report "
                  "and the counts. The rules are described in docs/regels.md.")

    def initAlgorithm(self, config=None):
        self.add_inputs([QgsProcessing.SourceType.TypeVectorAnyGeometry])
        self.addParameter(QgsProcessingParameterDateTime(
            self.PEILDATUM, tr("Peildatum (default today)"), QgsProcessingParameterDateTime.Type.Date,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Findings"), QgsProcessing.SourceType.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.JSON, tr("JSON report"), tr("JSON files (*.json)"), optional=True))
        self.addOutput(QgsProcessingOutputNumber("PLANS", tr("Plans")))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", tr("Errors")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", tr("Warnings")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..rules.engine import Validator
        standard = load()
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(tr("No plan layer given."))
        fas_layer = self.parameterAsVectorLayer(parameters, self.FASERING, context)
        peildatum = _peildatum(self.parameterAsDateTime(parameters, self.PEILDATUM, context)
                               if parameters.get(self.PEILDATUM) else None)
        json_path = _json_target(self.parameterAsFileOutput(parameters, self.JSON, context),
                                 _source_files(layer, fas_layer, context, standard))
        lang = language()
        plans, fasering = read_inputs(layer, fas_layer, context, feedback, standard)
        feedback.setProgressText(trn(QT_TR_NOOP("Checking {} plan…"), QT_TR_NOOP("Checking {} plans…"), plans.n))
        report = Validator(standard, lang, peildatum).validate(plans, fasering)
        fields = QgsFields()
        text = field_type("QString")          # QMetaType on QGIS >= 3.38 (Qt 6), else QVariant
        for name, length in (("plan_id", 36), ("plannaam", 255), ("rule", 3), ("severity", 7), ("field", 80),
                             ("message", 1000)):
            fields.append(QgsField(name, text, len=length))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Point,
                                          QgsCoordinateReferenceSystem("EPSG:28992"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for f in report.findings:
            feat = QgsFeature(fields)
            feat.setAttributes([f.plan_id, f.plannaam, f.rule, f.severity, f.field, f.message])
            if f.x is not None and f.y is not None:
                feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(f.x, f.y)))
            sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert)
        if json_path:
            problem = write_text(json_path, report.to_json())
            if problem:
                raise QgsProcessingException(problem + " " + tr("An earlier file of that name is unchanged."))
        s = report.summary()
        feedback.pushInfo(tr("{}: {}, {}.", n_plans(s["plans"]), n_errors(s["errors"]), n_warnings(s["warnings"])))
        return {self.OUTPUT: dest, self.JSON: json_path or None, "PLANS": s["plans"], "ERRORS": s["errors"],
                "WARNINGS": s["warnings"]}


class ExportDeliveryAlgorithm(_Base):
    (INPUT, FASERING, UITVRAAG, PEILDATUM, GEMEENTECODE, PROFILE, CONCEPT, OVERWRITE,
     OUTPUT) = ("INPUT", "FASERING", "UITVRAAG", "PEILDATUM", "GEMEENTECODE", "PROFILE", "CONCEPT",
                "OVERWRITE", "OUTPUT")
    PROFILES = profile_ids()                     # the standard's delivery profiles, in its order
    FORMAT = "FORMAT"

    def name(self):
        return "exportdelivery"

    def displayName(self):
        return tr("Export delivery package (uitvraag)")

    def shortHelpString(self):
        return tr("Writes the zip a gemeente sends to its province: GeoPackage, CSVs, manifest.json and "
                  "validatierapport.html. 5A/5B plans never leave; confidential plans follow the profile. Errors "
                  "block a final delivery unless 'Concept delivery' is ticked. Nothing is written unless the "
                  "whole package is; an existing package is only replaced with 'Replace an existing package'.")

    def initAlgorithm(self, config=None):
        from ..delivery.package import propose_uitvraag
        self.add_inputs([QgsProcessing.SourceType.TypeVectorPolygon])
        self.addParameter(QgsProcessingParameterString(self.UITVRAAG, tr("Uitvraag (e.g. 2026-najaar)"),
                                                       propose_uitvraag()))
        self.addParameter(QgsProcessingParameterDateTime(
            self.PEILDATUM, tr("Peildatum"), QgsProcessingParameterDateTime.Type.Date, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.GEMEENTECODE, tr("Gemeentecode (default: the one all plans share)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.PROFILE, tr("Profile"), self.PROFILES,
                                                     defaultValue=self.PROFILES.index(load().delivery["default_profile"])))
        self.addParameter(QgsProcessingParameterBoolean(self.CONCEPT, tr("Concept delivery (despite errors)"), False))
        self.addParameter(QgsProcessingParameterBoolean(self.OVERWRITE, tr("Replace an existing package"), False))
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, tr("Package"), tr("Zip files (*.zip)")))
        from .province_export import add_option_parameters, format_labels  # FORMAT (province_export.py)
        self.addParameter(QgsProcessingParameterEnum(self.FORMAT, tr("Format"), format_labels(), defaultValue=0))
        add_option_parameters(self)                    # the formats' own options (Gelderland's template, …)
        self.addOutput(QgsProcessingOutputNumber("PLANS", tr("Plans delivered")))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", tr("Errors")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", tr("Warnings")))

    def processAlgorithm(self, parameters, context, feedback):
        """The LMVW package or, with FORMAT, a province's own file (delivery/province.py): the same inputs,
        the same refusals, each with its own writer."""
        from ..delivery.package import DeliveryCancelled, DeliveryError, DeliveryRefused, export, single_gemeente
        from ..layers.schema import unsaved_edits
        from ..messages import delivery_error_message, no_plans_message, plugin_version, province_error_message
        from ..rules.findings import ERROR
        from ..standard.provinces import LMVW, extend, load_province
        from .province_export import format_keys, output_path
        fmt = format_keys()[self.parameterAsEnum(parameters, self.FORMAT, context)] \
            if parameters.get(self.FORMAT) is not None else LMVW
        prov = load_province(fmt) if fmt != LMVW else None
        standard = extend(load(), prov) if prov is not None else load()
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(tr("No plan layer given."))
        fas_layer = self.parameterAsVectorLayer(parameters, self.FASERING, context)
        unsaved = unsaved_edits([layer, fas_layer])
        if unsaved:
            raise QgsProcessingException(unsaved[0])
        plans, fasering = read_inputs(layer, fas_layer, context, feedback, standard)
        if plans.n == 0:
            raise QgsProcessingException(no_plans_message(0))
        gemeente = (self.parameterAsString(parameters, self.GEMEENTECODE, context) or "").strip() or \
            single_gemeente(plans)
        if not gemeente:
            raise QgsProcessingException(tr("The plans have several gemeentecodes: fill in Gemeentecode."))
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if prov is not None:
            out = output_path(out, fmt)
        elif not out.lower().endswith(".zip"):
            out += ".zip"
        common = dict(gemeente=gemeente, uitvraag=self.parameterAsString(parameters, self.UITVRAAG, context).strip(),
                      peildatum=_peildatum(self.parameterAsDateTime(parameters, self.PEILDATUM, context)
                                           if parameters.get(self.PEILDATUM) else None),
                      profile=self.PROFILES[self.parameterAsEnum(parameters, self.PROFILE, context)],
                      concept=self.parameterAsBool(parameters, self.CONCEPT, context),
                      overwrite=self.parameterAsBool(parameters, self.OVERWRITE, context),
                      lang=language(), standard=standard, progress=feedback.setProgress,
                      is_cancelled=feedback.isCanceled, sources=_source_files(layer, fas_layer, context, standard))
        try:
            if prov is not None:
                from ..delivery.province import export_province
                from .province_export import chosen_options
                options = chosen_options(self, parameters, context, fmt)
                common["sources"] = common["sources"] + [o for o in options.values() if isinstance(o, str)]
                result = export_province(plans, fasering, out, province=fmt, options=options, **common)
            else:
                result = export(plans, fasering, out, plugin_version=plugin_version(), **common)
        except DeliveryRefused as e:
            for f in [f for f in e.findings if f.severity == ERROR][:30]:
                feedback.reportError(f"{f.rule} {f.plannaam or f.plan_id}: {f.message}")
            raise QgsProcessingException(tr("Not exported: {} errors block a final delivery. Fix them, or tick "
                                            "'Concept delivery (despite errors)'. Nothing was written.",
                                            e.errors)) from None
        except DeliveryError as e:
            message = province_error_message if prov is not None else delivery_error_message
            raise QgsProcessingException(message(e, "'" + tr("Replace an existing package") + "'")) from None
        except DeliveryCancelled:
            raise QgsProcessingException(tr("Cancelled: nothing was written.")) from None
        if prov is not None:
            findings = result.shown + result.anonymous + result.export_findings
            feedback.pushInfo(tr("{} written: {}", prov.format_label(language()), result.path))
            feedback.pushInfo(tr("Report: {}", result.report_path))
            return {self.OUTPUT: result.path, "PLANS": len(result.records),
                    "ERRORS": sum(f.severity == ERROR for f in findings),
                    "WARNINGS": sum(f.severity != ERROR for f in findings)}
        m = result.manifest
        feedback.pushInfo(tr("Package written: {}", result.zip_path))
        feedback.pushInfo(json.dumps(m["counts"], ensure_ascii=False))
        return {self.OUTPUT: result.zip_path, "PLANS": m["counts"]["plans"], "ERRORS": m["validation"]["errors"],
                "WARNINGS": m["validation"]["warnings"]}


def _source_files(layer, fas_layer, context, standard):
    """The files the export reads (it never writes over them)."""
    from ..layers.reader import layer_files
    from ..layers.schema import find_fasering_layer
    fas = fas_layer or find_fasering_layer(layer, context.project() or QgsProject.instance(), standard)
    return layer_files(layer, fas)


class DiffAlgorithm(_Base):
    """Issue 11: what changed since the previous delivery."""
    PREVIOUS, INPUT, FASERING, OUTPUT, JSON = "PREVIOUS", "INPUT", "FASERING", "OUTPUT", "JSON"

    def name(self):
        return "diff"

    def displayName(self):
        return tr("Compare with the previous delivery")

    def shortHelpString(self):
        return tr("Compares the plan layer with a previous delivery package (zip, checked like inspect does): per "
                  "plan new, gone, changed (which fields) or unchanged, the phasing delays in dwelling-years, and "
                  "the rules across surveys (V01–V05). Outputs the changes layer (the previous outline where a plan "
                  "moved) and a JSON file like 'python -m lmvw_plugin diff --json'.")

    def initAlgorithm(self, config=None):
        from qgis.core import QgsProcessingParameterFile
        self.addParameter(QgsProcessingParameterFile(self.PREVIOUS, tr("Previous delivery (package zip)"),
                                                     extension="zip"))
        self.add_inputs([QgsProcessing.SourceType.TypeVectorPolygon])
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Changes"), QgsProcessing.SourceType.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.JSON, tr("JSON of the changes"), tr("JSON files (*.json)"), optional=True))
        for key, label in (("NIEUW", tr("new")), ("VERDWENEN", tr("gone")), ("GEWIJZIGD", tr("changed")),
                           ("ONGEWIJZIGD", tr("unchanged")), ("VERTRAGING", tr("Delay (dwelling-years)"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def processAlgorithm(self, parameters, context, feedback):
        from ..delivery.compare import compare, layer_delivery
        from ..delivery.compare_read import CompareError, read_previous  # a package or a province's zip
        from ..delivery.diff_command import compare_error_text
        from ..layers.changes import changes_features, changes_fields
        standard = load()
        path = self.parameterAsFile(parameters, self.PREVIOUS, context)
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(tr("No plan layer given."))
        fas_layer = self.parameterAsVectorLayer(parameters, self.FASERING, context)
        json_path = _json_target(self.parameterAsFileOutput(parameters, self.JSON, context),
                                 [path] + _source_files(layer, fas_layer, context, standard))
        try:
            previous = read_previous(path, standard, language())
        except CompareError as e:
            raise QgsProcessingException(compare_error_text(e, lambda p: p.kind + (f" ({p.name})" if p.name
                                                                                    else ""))) from None
        plans, fasering = read_inputs(layer, fas_layer, context, feedback, standard)
        changes = compare(standard, previous, layer_delivery(standard, plans, fasering, previous.gemeente or None),
                          language())
        fields = changes_fields()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.MultiPolygon,
                                          QgsCoordinateReferenceSystem("EPSG:28992"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for feat in changes_features(changes, fields, standard):
            sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert)
        data = changes.to_dict()
        if json_path:
            problem = write_text(json_path, json.dumps(data, ensure_ascii=False, indent=2))
            if problem:
                raise QgsProcessingException(problem + " " + tr("An earlier file of that name is unchanged."))
        for f in changes.findings:
            feedback.pushWarning(f"{f.rule} {f.plannaam or f.plan_id or '—'}: {f.message}")
        s = data["summary"]
        feedback.pushInfo(tr("Compared with the delivery {}: {} new, {} gone, {} changed, {} unchanged.",
                             previous.uitvraag, s["nieuw"], s["verdwenen"], s["gewijzigd"], s["ongewijzigd"]))
        return {self.OUTPUT: dest, self.JSON: json_path or None, "NIEUW": s["nieuw"], "VERDWENEN": s["verdwenen"],
                "GEWIJZIGD": s["gewijzigd"], "ONGEWIJZIGD": s["ongewijzigd"],
                "VERTRAGING": s["vertraging_woningjaren"]}


class ImportAlgorithm(_Base):
    """lmvw:import (issue 10): the command line's `import`, same parameters; the work is in
    delivery/importing.py."""
    SOURCE, INTO, FORMAT, MAPPING, GEMEENTECODE, DRY_RUN, JSON = (
        "SOURCE", "INTO", "FORMAT", "MAPPING", "GEMEENTECODE", "DRY_RUN", "JSON")

    def name(self):
        return "import"

    def displayName(self):
        return tr("Import plans")

    def shortHelpString(self):
        return tr("Brings plans into a plan GeoPackage from any table GDAL reads (columns matched to the Basisset "
                  "fields by name, label or a mapping file) or from an earlier LMVW package. Plans are matched by "
                  "plan_id, then plan_id_extern, then plannaam within the gemeente: new ones are added, changed "
                  "ones updated. Every value that could not come over is listed. A new file name makes a new "
                  "GeoPackage; the target is unchanged on any failure.")

    def initAlgorithm(self, config=None):
        from qgis.core import QgsProcessingParameterFile

        from ..delivery.importing import FORMATS
        self.addParameter(QgsProcessingParameterFile(self.SOURCE, tr("Source (table, province file or package)")))
        self.addParameter(QgsProcessingParameterFileDestination(self.INTO, tr("Plan GeoPackage to import into"),
                                                                tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterEnum(self.FORMAT, tr("Format"), list(FORMATS), defaultValue=0))
        self.addParameter(QgsProcessingParameterFile(self.MAPPING, tr("Mapping file"), optional=True,
                                                     extension="json"))
        self.addParameter(QgsProcessingParameterString(self.GEMEENTECODE, tr("Gemeentecode (plans without one)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterBoolean(self.DRY_RUN, tr("Preview only (write nothing)"), False))
        self.addParameter(QgsProcessingParameterFileDestination(self.JSON, tr("Report (JSON)"),
                                                                tr("JSON files (*.json)"), optional=True))
        for key, text in (("NEW", tr("New plans")), ("UPDATED", tr("Updated plans")),
                          ("UNCHANGED", tr("Unchanged plans")), ("CONFLICTS", tr("Conflicts")),
                          ("PROBLEMS", tr("Values that could not come over"))):
            self.addOutput(QgsProcessingOutputNumber(key, text))

    def processAlgorithm(self, parameters, context, feedback):
        from ..delivery.import_text import report_lines, summary_line
        from ..delivery.importing import FORMATS, ImportRefused, run_import
        from ..layers.create import create_package
        standard = load()
        into = self.parameterAsFileOutput(parameters, self.INTO, context)
        if into and not into.lower().endswith(".gpkg"):
            into += ".gpkg"
        source = self.parameterAsFile(parameters, self.SOURCE, context)
        mapping = self.parameterAsFile(parameters, self.MAPPING, context) or None
        report = _json_target(self.parameterAsFileOutput(parameters, self.JSON, context)
                              if parameters.get(self.JSON) else None, [source, into, mapping])
        try:
            result = run_import(source, into, standard,
                                fmt=FORMATS[self.parameterAsEnum(parameters, self.FORMAT, context)],
                                mapping_path=mapping,
                                gemeente=(self.parameterAsString(parameters, self.GEMEENTECODE, context) or "").strip()
                                or None, dry_run=self.parameterAsBool(parameters, self.DRY_RUN, context),
                                lang=language(), create_target=lambda p, g: create_package(p, g, standard, language()))
        except ImportRefused as e:
            raise QgsProcessingException(e.message + " " + tr("Nothing was imported.")) from None
        except Exception as e:  # noqa: BLE001 - a write failure: one message, the target is unchanged
            raise QgsProcessingException(tr("Could not write {}: {}. Nothing was imported; the file is unchanged.",
                                            into, f"{type(e).__name__}: {e}")) from None
        for line in report_lines(result, 200):
            (feedback.reportError if line.startswith("✗") else feedback.pushInfo)(line)
        feedback.pushInfo(summary_line(result))
        if report:
            problem = write_text(report, json.dumps(result.preview.to_json(), ensure_ascii=False, indent=2))
            if problem:                    # the import itself is done: say so, without the report
                feedback.reportError(problem + " " + tr("The import itself is done; the report was not written."))
                report = None
        out = {self.INTO: into, self.JSON: report}
        out.update({k.upper(): v for k, v in result.preview.summary.items()})
        return out


def algorithms():
    return [ValidateAlgorithm(), ExportDeliveryAlgorithm(), DiffAlgorithm(), ImportAlgorithm()]
