"""The Basisset as data: one versioned JSON file plus a loader giving typed objects.

Pure Python (no qgis import): the layer schema, the form, the rules and the export are all
derived from what this module returns. A new Basisset version is a second JSON file.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
DEFAULT_VERSION = "2.0"
LANGUAGES = ("nl", "en")

FIELD_TYPES = ("text", "int", "bool", "date", "datetime")


def pick(texts: Optional[Dict[str, str]], lang: str) -> str:
    """The text for a language, Dutch when that language is missing."""
    if not texts:
        return ""
    return texts.get(lang) or texts.get("nl") or next(iter(texts.values()))


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: Dict[str, str]
    help: Dict[str, str]
    width: Optional[int] = None
    required: bool = False
    count: bool = False
    codelist: Optional[str] = None
    default: Any = None
    editable: bool = True
    free_text: bool = False

    def text(self, lang: str) -> str:
        return pick(self.label, lang)

    @property
    def default_expression(self) -> Optional[str]:
        if isinstance(self.default, dict):
            return self.default.get("expression")
        return None

    @property
    def default_on_update(self) -> bool:
        return isinstance(self.default, dict) and bool(self.default.get("on_update"))


@dataclass(frozen=True)
class CodeItem:
    code: str
    label: Dict[str, str]
    group: Optional[str] = None


@dataclass(frozen=True)
class Check:
    """One executable check of a rule. `id` is unique, e.g. 'R04', 'R07.2', 'R01.plannaam'."""
    id: str
    rule: str
    severity: str
    kind: str
    field: Optional[str]
    title: Dict[str, str]
    message: Any                      # {"nl","en"} or {"under": {...}, "over": {...}} or named variants
    params: Dict[str, Any] = field(default_factory=dict)

    def title_text(self, lang: str) -> str:
        return pick(self.title, lang)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    scope: str
    title: Dict[str, str]
    params: Dict[str, Any]
    raw: Dict[str, Any]

    def title_text(self, lang: str) -> str:
        return pick(self.title, lang)

    def message(self, lang: str, variant: Optional[str] = None) -> str:
        if variant:
            return pick(self.raw["messages"][variant], lang)
        return pick(self.raw["message"], lang)


@dataclass(frozen=True)
class PriceBounds:
    year: int
    sociale_huur_max: Optional[float]
    middenhuur_max: Optional[float]
    betaalbare_koop_max: Optional[float]


@dataclass(frozen=True)
class Profile:
    id: str
    label: Dict[str, str]
    explanation: Dict[str, str]
    confidential: str                 # aggregate | include | exclude
    only_codes: Optional[Tuple[str, ...]]
    drop_free_text: bool


class StandardError(ValueError):
    """The standard's data file is inconsistent."""


class Standard:
    """The loaded Basisset specification. Read-only after construction."""

    def __init__(self, data: Dict[str, Any], base: Path = HERE):
        self.data = data
        self.version: str = data["basisset"]
        self.layer_name: str = data["layer"]["name"]
        self.geometry_type: str = data["layer"]["geometry"]
        self.crs: str = data["layer"]["crs"]
        self.key: str = data["layer"]["key"]
        self.name_field: str = data["layer"]["name_field"]
        self.fields: List[FieldDef] = [self._field(f) for f in data["fields"]]
        self.field_by_name: Dict[str, FieldDef] = {f.name: f for f in self.fields}
        fas = data["fasering"]
        self.fasering_name: str = fas["name"]
        self.relation_id: str = fas["relation_id"]
        self.relation_name: Dict[str, str] = fas["relation_name"]
        self.fasering_key: str = fas["parent_key"]            # the fasering field holding the plan's key
        self.fasering_year: str = fas["year_field"]
        self.fasering_count: str = fas["count_field"]
        self.fasering_fields: List[FieldDef] = [self._field(f) for f in fas["fields"]]
        self.codelists: Dict[str, List[CodeItem]] = {
            name: [CodeItem(i["code"], i["label"], i.get("group")) for i in items]
            for name, items in data["codelists"].items()
        }
        gem = data["gemeenten"]
        self.gemeente_pattern: str = gem["pattern"]
        self.gemeenten_year: int = gem["year"]
        self.gemeenten: Dict[str, str] = _read_gemeenten(base / gem["file"])
        self.price_bounds: Dict[int, PriceBounds] = {
            y["year"]: PriceBounds(y["year"], y.get("sociale_huur_max"), y.get("middenhuur_max"),
                                   y.get("betaalbare_koop_max"))
            for y in data["price_bounds"]["years"]
        }
        self.rules: List[Rule] = [
            Rule(r["code"], r["severity"], r["scope"], r["title"], r.get("params", {}), r)
            for r in data["rules"]
        ]
        self.rule_by_code: Dict[str, Rule] = {r.code: r for r in self.rules}
        self.checks: List[Check] = self._expand_checks()
        self.check_by_id: Dict[str, Check] = {c.id: c for c in self.checks}
        self.form: Dict[str, Any] = data["form"]
        self.derived: List[Dict[str, Any]] = data["derived"]
        self.comparison: Dict[str, Any] = data.get("comparison", {})     # diff and the V rules
        dl = data["delivery"]
        self.delivery: Dict[str, Any] = dl
        self.profiles: Dict[str, Profile] = {
            p["id"]: Profile(p["id"], p["label"], p["explanation"], p["confidential"],
                             tuple(p["only_codes"]) if p.get("only_codes") else None,
                             bool(p.get("drop_free_text")))
            for p in dl["profiles"]
        }

    # -- construction -------------------------------------------------------------------------
    @staticmethod
    def _field(f: Dict[str, Any]) -> FieldDef:
        if f["type"] not in FIELD_TYPES:
            raise StandardError(f"field {f['name']}: unknown type {f['type']}")
        return FieldDef(
            name=f["name"], type=f["type"], label=f["label"], help=f.get("help", {}),
            width=f.get("width"), required=bool(f.get("required")), count=bool(f.get("count")),
            codelist=f.get("codelist"), default=f.get("default"),
            editable=f.get("editable", True), free_text=bool(f.get("free_text")),
        )

    def _resolve(self, value: Any, params: Dict[str, Any]) -> Any:
        """Replace '@name' references by the rule's parameter of that name, recursively."""
        if isinstance(value, str) and value.startswith("@"):
            try:
                return params[value[1:]]
            except KeyError:
                raise StandardError(f"unknown parameter {value}") from None
        if isinstance(value, dict):
            return {k: self._resolve(v, params) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v, params) for v in value]
        return value

    def _expand_checks(self) -> List[Check]:
        checks: List[Check] = []
        for rule in self.rules:
            raw = rule.raw
            if rule.scope == "field":
                for table, fields in ((self.layer_name, self.fields),
                                      (self.fasering_name, self.fasering_fields)):
                    prefix = "" if table == self.layer_name else f"{table}."
                    for f in fields:
                        if not _applies(raw["applies_to"], f):
                            continue
                        labels = {lang: pick(f.label, lang) for lang in LANGUAGES}
                        title = {lang: pick(raw["check_title"], lang).format(label=labels[lang],
                                                                             width=f.width or "")
                                 for lang in LANGUAGES}
                        params = {"codelist": f.codelist, "width": f.width, "type": f.type,
                                  "table": table}
                        checks.append(Check(f"{rule.code}.{prefix}{f.name}", rule.code, rule.severity,
                                            raw["kind"], f.name, title, raw["message"], params))
            elif "checks" in raw:
                many = len(raw["checks"]) > 1
                for i, c in enumerate(raw["checks"], start=1):
                    c = self._resolve(c, {**rule.params})
                    params = {k: v for k, v in c.items()
                              if k not in ("kind", "field", "title", "message", "severity")}
                    checks.append(Check(f"{rule.code}.{i}" if many else rule.code, rule.code,
                                        c.get("severity", rule.severity), c["kind"], c.get("field"),
                                        c["title"], c["message"], params))
        return checks

    # -- queries ------------------------------------------------------------------------------
    def field(self, name: str) -> FieldDef:
        return self.field_by_name[name]

    @property
    def field_names(self) -> List[str]:
        return [f.name for f in self.fields]

    def codes(self, codelist: str) -> List[str]:
        return [i.code for i in self.codelists[codelist]]

    def group_codes(self, codelist: str, group: str) -> List[str]:
        return [i.code for i in self.codelists[codelist] if i.group == group]

    @property
    def hard_statuses(self) -> List[str]:
        return self.group_codes("planstatus", "hard")

    @property
    def soft_statuses(self) -> List[str]:
        return self.group_codes("planstatus", "soft")

    @property
    def internal_statuses(self) -> List[str]:
        return self.group_codes("planstatus", self.delivery["never_delivered_group"])

    def checks_for_rule(self, code: str) -> List[Check]:
        return [c for c in self.checks if c.rule == code]

    def rule_title(self, code: str, lang: str) -> str:
        return self.rule_by_code[code].title_text(lang)

    def gemeente_name(self, code: Optional[str]) -> Optional[str]:
        return self.gemeenten.get(code or "")

    def valid_gemeentecode(self, code: Optional[str]) -> bool:
        return bool(code) and re.match(self.gemeente_pattern, code) is not None


def _applies(applies_to: Dict[str, Any], f: FieldDef) -> bool:
    """Whether a field rule applies to a field: every property in `applies_to` matches (true: the
    field has it, false: it has not, a string: it equals)."""
    for name, wanted in applies_to.items():
        value = getattr(f, name)
        if isinstance(wanted, bool):
            if bool(value) != wanted:
                return False
        elif value != wanted:
            return False
    return True


def _read_gemeenten(path: Path) -> Dict[str, str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["gemeentecode"].strip(): row["gemeentenaam"].strip() for row in csv.DictReader(fh)}


def spec_path(version: str = DEFAULT_VERSION) -> Path:
    return HERE / f"basisset-{version}.json"


@lru_cache(maxsize=4)
def load(version: str = DEFAULT_VERSION) -> Standard:
    """Load (once) the standard of the given Basisset version."""
    path = spec_path(version)
    if not path.exists():
        raise StandardError(f"no data file for Basisset {version}: {path}")
    with open(path, encoding="utf-8") as fh:
        return Standard(json.load(fh), path.parent)
