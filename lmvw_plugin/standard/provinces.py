"""Province profiles as data: one JSON file per province beside the standard
(`provinces/<key>.json`, shape in `province.schema.json`), and the loader.

Pure Python (no qgis). A profile names the province's format (the writer that writes it), its file
name, the extra fields it asks that Basisset lacks (with code lists, labels and help), its own
checks (rules with codes PGLD01…, run by the validator and the form like every other rule, and
export checks run on the mapped records) and the mapping from our fields to its fields.

`extend(standard, province)` gives the Standard *with* the province: the extra fields appended
(optional), its code lists, its form tab, its rules, and the years × categories split columns on
the fasering table (`fasering_split` of the standard's data file). Everything derived from a
Standard (layer schema, form, validator, reader) then knows the province without further code.

A fourth province is a new data file (and, for a new format, a writer registered in
`lmvw_plugin.delivery.province.WRITERS`).
"""
from __future__ import annotations

import copy
import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from . import HERE, Standard, StandardError, load, pick

PROVINCES_DIR = HERE / "provinces"
LMVW = "lmvw"                  # the format key of the LMVW package (no province)


@dataclass(frozen=True)
class Province:
    """One loaded province profile. `data` is the JSON as read (read-only by convention)."""
    key: str
    data: Dict[str, Any] = field(repr=False, compare=False, hash=False)
    base: Path = field(default=PROVINCES_DIR, repr=False, compare=False, hash=False)

    # -- plain properties of the data -------------------------------------------------------
    @property
    def format(self) -> str:
        return self.data["format"]

    def name(self, lang: str = "nl") -> str:
        return pick(self.data["name"], lang)

    def format_label(self, lang: str = "nl") -> str:
        return pick(self.data["format_label"], lang)

    def filename(self, gemeentecode: str, uitvraag: str) -> str:
        return self.data["filename"].format(gemeentecode=gemeentecode, uitvraag=uitvraag)

    @property
    def options(self) -> List[Dict[str, Any]]:
        """The writer's choices a user may make (a template file, a variant), as the dialog, Processing and
        the command line offer them."""
        return list(self.data.get("options", []))

    @property
    def extra_fields(self) -> List[Dict[str, Any]]:
        return list(self.data["fields"])

    @property
    def extra_field_names(self) -> List[str]:
        return [f["name"] for f in self.data["fields"]]

    @property
    def rules(self) -> List[Dict[str, Any]]:
        return list(self.data["rules"])

    @property
    def export_checks(self) -> List[Dict[str, Any]]:
        return list(self.data["export_checks"])

    def export_check(self, kind: str) -> Optional[Dict[str, Any]]:
        """The export check of a kind (the first), or None when the province has none."""
        return next((c for c in self.data["export_checks"] if c["kind"] == kind), None)

    @property
    def mapping(self) -> Dict[str, Any]:
        return self.data["mapping"]

    @property
    def vertrouwelijkheid(self) -> Dict[str, str]:
        """Basisset vertrouwelijkheid code -> the province's value."""
        return dict(self.data["vertrouwelijkheid"])

    # -- lookups -----------------------------------------------------------------------------
    def lookup_rows(self, name: str) -> List[Dict[str, str]]:
        """The rows of a lookup table shipped beside the profile (e.g. gelderland_gemeenten.csv)."""
        return _read_lookup(self.base / self.data["lookups"][name]["file"])

    def lookup(self, name: str, key: str) -> Optional[Dict[str, str]]:
        """The first row of lookup table `name` whose key column equals `key`."""
        col = self.data["lookups"][name]["key"]
        return next((r for r in self.lookup_rows(name) if r.get(col) == key), None)

    def lookup_values(self, spec: str) -> List[str]:
        """'<name>:<column>' -> that column's distinct values (in file order);
        '<name>:<col1>|<col2>' -> the distinct pairs 'v1|v2'."""
        name, _, cols = spec.partition(":")
        columns = cols.split("|")
        out: List[str] = []
        seen = set()
        for r in self.lookup_rows(name):
            v = "|".join((r.get(c) or "").strip() for c in columns)
            if v not in seen:
                seen.add(v)
                out.append(v)
        return out

    @property
    def gemeente_codes(self) -> Tuple[str, ...]:
        """The gemeentecodes the data knows for this province (empty when it does not know them)."""
        g = self.data.get("gemeenten")
        if not g:
            return ()
        if "codes" in g:
            return tuple(g["codes"])
        return tuple(self.lookup_values(f"{g['lookup']}:{g['key']}"))


class ProvinceError(StandardError):
    """No such province, or its data file is inconsistent."""


@cache
def _read_lookup(path: Path) -> List[Dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def provinces() -> List[str]:
    """The keys of every province profile, sorted by name."""
    return sorted(p.stem for p in PROVINCES_DIR.glob("*.json"))


@cache
def load_province(key: str) -> Province:
    """The province profile `key` (e.g. 'gelderland'). ProvinceError when there is none."""
    path = PROVINCES_DIR / f"{key}.json"
    if not key or "/" in key or "\\" in key or not path.is_file():
        raise ProvinceError(f"no province profile {key!r}: known are {', '.join(provinces())}")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if data.get("key") != key:
        raise ProvinceError(f"{path.name}: key {data.get('key')!r} is not {key!r}")
    return Province(key, data, PROVINCES_DIR)


def by_format(fmt: str) -> Optional[Province]:
    """The province whose format is `fmt`, or whose key is `fmt` (None: no such province)."""
    for key in provinces():
        p = load_province(key)
        if fmt in (p.key, p.format):
            return p
    return None


def province_for_gemeente(gemeentecode: Optional[str]) -> Optional[str]:
    """The key of the province the data knows `gemeentecode` in, or None (then: the LMVW package)."""
    if not gemeentecode:
        return None
    for key in provinces():
        if gemeentecode in load_province(key).gemeente_codes:
            return key
    return None


# ------------------------------------------------------------------------------------------------
# the standard with a province


_EXTENDED: Dict[Tuple[int, str], Standard] = {}


def extend(standard: Optional[Standard] = None, province: Optional[Province | str] = None) -> Standard:
    """The standard with the province's extra fields, code lists, form tab and rules, and with the
    years × categories split columns on the fasering table. Without a province: the standard as is.

    The result is cached per (standard, province) and carries `.province` (the Province)."""
    standard = standard or load()
    if province is None:
        return standard
    if isinstance(province, str):
        province = load_province(province)
    cache_key = (id(standard), province.key)
    hit = _EXTENDED.get(cache_key)
    if hit is not None:
        return hit
    data = extended_data(standard.data, province)
    out = Standard(data, HERE)
    out.province = province                      # type: ignore[attr-defined]
    out.base_standard = standard                 # type: ignore[attr-defined]
    _EXTENDED[cache_key] = out
    return out


def extended_data(data: Dict[str, Any], province: Province) -> Dict[str, Any]:
    """The standard's data (a dict) with the province merged in (see extend)."""
    data = copy.deepcopy(data)
    pdata = province.data
    names = {f["name"] for f in data["fields"]}
    clash = [f["name"] for f in pdata["fields"] if f["name"] in names]
    if clash:
        raise ProvinceError(f"{province.key}: extra fields clash with the standard: {', '.join(clash)}")
    data["fields"] += [dict(f, required=False) for f in pdata["fields"]]
    clash = [c for c in pdata["codelists"] if c in data["codelists"]]
    if clash:
        raise ProvinceError(f"{province.key}: code lists clash with the standard: {', '.join(clash)}")
    data["codelists"].update(copy.deepcopy(pdata["codelists"]))
    data["form"]["tabs"].append(copy.deepcopy(pdata["form_tab"]))
    data["rules"] += [_resolve_lookups(r, province) for r in pdata["rules"]]
    split = data.get("fasering_split")
    if split:
        have = {f["name"] for f in data["fasering"]["fields"]}
        data["fasering"]["fields"] += [f for f in split["fields"] if f["name"] not in have]
        data["rules"] += copy.deepcopy(split.get("rules", []))
    return data


def _resolve_lookups(rule: Dict[str, Any], province: Province) -> Dict[str, Any]:
    rule = copy.deepcopy(rule)
    params = rule.get("params") or {}
    for k, v in list(params.items()):
        if isinstance(v, str) and v.startswith("@lookup:"):
            params[k] = province.lookup_values(v[len("@lookup:"):])
    return rule


def province_of(standard: Standard) -> Optional[Province]:
    """The province a standard was extended with (None: the plain standard)."""
    return getattr(standard, "province", None)
