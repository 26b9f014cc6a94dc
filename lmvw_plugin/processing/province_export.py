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
