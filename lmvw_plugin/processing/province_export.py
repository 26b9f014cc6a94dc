"""The FORMAT parameter of `lmvw:exportdelivery`: the LMVW package or a province's own format
(lmvw_plugin/delivery/province.py)."""
from __future__ import annotations

from typing import List

from qgis.core import QgsProcessingException

from ..i18n import language, tr
from ..standard import load
from ..standard.provinces import LMVW, extend, load_province, provinces


def format_keys() -> List[str]:
    """The FORMAT choices in order: lmvw first, then the provinces."""
    return [LMVW] + provinces()


def format_labels() -> List[str]:
    lang = language()
    return [tr("LMVW package (zip)")] + [load_province(k).format_label(lang) for k in provinces()]


def output_path(out: str, key: str) -> str:
    """The output with the ending the province's file name has (.pzh.geojson, .gdb.zip, .zip)."""
    ending = load_province(key).data["filename"].rsplit("}", 1)[-1]
    ending = ending[ending.find("."):] if "." in ending else ending
    if out.lower().endswith(ending.lower()):
        return out
    if out.lower().endswith(".zip"):
        out = out[:-4]
    return out + ending


def export_province_algorithm(alg, parameters, context, feedback, key: str, read_inputs, _peildatum, _source_files):
    """processAlgorithm of lmvw:exportdelivery for a province format (the algorithm's own helpers are passed
    in: this module is imported by algorithms.py)."""
    from ..delivery.package import DeliveryCancelled, DeliveryError, DeliveryRefused, single_gemeente
    from ..delivery.province import export_province
    from ..layers.schema import unsaved_edits
    from ..messages import no_plans_message, province_error_message
    from ..rules.findings import ERROR
    prov = load_province(key)
    standard = extend(load(), prov)
    layer = alg.parameterAsVectorLayer(parameters, alg.INPUT, context)
    if layer is None:
        raise QgsProcessingException(tr("No plan layer given."))
    fas_layer = alg.parameterAsVectorLayer(parameters, alg.FASERING, context)
    unsaved = unsaved_edits([layer, fas_layer])
    if unsaved:
        raise QgsProcessingException(unsaved[0])
    plans, fasering = read_inputs(layer, fas_layer, context, feedback, standard)
    if plans.n == 0:
        raise QgsProcessingException(no_plans_message(0))
    gemeente = (alg.parameterAsString(parameters, alg.GEMEENTECODE, context) or "").strip() or single_gemeente(plans)
    if not gemeente:
        raise QgsProcessingException(tr("The plans have several gemeentecodes: fill in Gemeentecode."))
    out = output_path(alg.parameterAsFileOutput(parameters, alg.OUTPUT, context), key)
    peildatum = _peildatum(alg.parameterAsDateTime(parameters, alg.PEILDATUM, context)
                           if parameters.get(alg.PEILDATUM) else None)
    profile = alg.PROFILES[alg.parameterAsEnum(parameters, alg.PROFILE, context)]
    try:
        result = export_province(plans, fasering, out, province=key, gemeente=gemeente,
                                 uitvraag=alg.parameterAsString(parameters, alg.UITVRAAG, context).strip(),
                                 peildatum=peildatum, profile=profile,
                                 concept=alg.parameterAsBool(parameters, alg.CONCEPT, context),
                                 overwrite=alg.parameterAsBool(parameters, alg.OVERWRITE, context),
                                 lang=language(), standard=standard, progress=feedback.setProgress,
                                 is_cancelled=feedback.isCanceled,
                                 sources=_source_files(layer, fas_layer, context, standard))
    except DeliveryRefused as e:
        for f in [f for f in e.findings if f.severity == ERROR][:30]:
            feedback.reportError(f"{f.rule} {f.plannaam or f.plan_id}: {f.message}")
        raise QgsProcessingException(tr("Not exported: {} errors block a final delivery. Fix them, or tick "
                                        "'Concept delivery (despite errors)'. Nothing was written.",
                                        e.errors)) from None
    except DeliveryError as e:
        raise QgsProcessingException(province_error_message(
            e, "'" + tr("Replace an existing package") + "'")) from None
    except DeliveryCancelled:
        raise QgsProcessingException(tr("Cancelled: nothing was written.")) from None
    findings = result.shown + result.anonymous + result.export_findings
    feedback.pushInfo(tr("{} written: {}", prov.format_label(language()), result.path))
    feedback.pushInfo(tr("Report: {}", result.report_path))
    return {alg.OUTPUT: result.path, "PLANS": len(result.records),
            "ERRORS": sum(f.severity == ERROR for f in findings),
            "WARNINGS": sum(f.severity != ERROR for f in findings)}
