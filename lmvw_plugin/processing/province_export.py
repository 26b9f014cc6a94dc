"""The FORMAT parameter of `lmvw:exportdelivery`: the LMVW package or a province's own format
(lmvw_plugin/delivery/province.py); the algorithm itself is in algorithms.py."""
from __future__ import annotations

from typing import List

from ..i18n import language, tr
from ..standard.provinces import LMVW, load_province, provinces


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


def option_parameter(key: str) -> str:
    """The Processing parameter of a format's option (its profile's `options`): OPTION_TEMPLATE, …"""
    return "OPTION_" + key.upper()


def add_option_parameters(alg) -> None:
    """One optional parameter per option of any province's format (a file, or a box), from the profiles."""
    from qgis.core import QgsProcessingParameterBoolean, QgsProcessingParameterFile

    from ..standard import pick
    lang = language()
    seen = set()
    for key in provinces():
        prov = load_province(key)
        for opt in prov.options:
            name = option_parameter(opt["key"])
            if name in seen:
                continue
            seen.add(name)
            label = f"{pick(opt['label'], lang)} ({prov.name(lang)})"
            if opt["kind"] == "bool":
                param = QgsProcessingParameterBoolean(name, label, False, optional=True)
            else:
                param = QgsProcessingParameterFile(name, label, QgsProcessingParameterFile.Behavior.File,
                                                   optional=True)
            param.setHelp(pick(opt["help"], lang))
            alg.addParameter(param)


def chosen_options(alg, parameters, context, key: str) -> dict:
    """The chosen format's options as the writer takes them (only that format's, only those given)."""
    out = {}
    for opt in load_province(key).options:
        name = option_parameter(opt["key"])
        if parameters.get(name) in (None, ""):
            continue
        if opt["kind"] == "bool":
            if alg.parameterAsBool(parameters, name, context):
                out[opt["key"]] = True
        else:
            path = alg.parameterAsFile(parameters, name, context)
            if path:
                out[opt["key"]] = path
    return out

