"""The standard's data file follows its JSON Schema (lmvw_plugin/standard/standard.schema.json), and
the schema catches the mistakes a person writing Basisset 2.1 or a province profile would make."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from lmvw_plugin.standard import HERE, spec_path

SCHEMA = json.loads((HERE / "standard.schema.json").read_text(encoding="utf-8"))
DATA_FILES = sorted(Path(HERE).glob("basisset-*.json"))


def validator():
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def errors(data):
    return [(list(e.absolute_path), e.message) for e in validator().iter_errors(data)]


def base():
    return json.loads(spec_path().read_text(encoding="utf-8"))


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_data_file_follows_the_schema(path):
    assert errors(json.loads(path.read_text(encoding="utf-8"))) == []


def _rule(data, code):
    return next(r for r in data["rules"] if r["code"] == code)


MISTAKES = {
    # what a writer gets wrong                       (edit, path where the schema points)
    "field type unknown": (lambda d: d["fields"][1].update(type="string"), ["fields", 1, "type"]),
    "label without Dutch": (lambda d: d["fields"][1]["label"].pop("nl"), ["fields", 1, "label"]),
    "field name with a capital": (lambda d: d["fields"][1].update(name="PlanNaam"), ["fields", 1, "name"]),
    "misspelt field key": (lambda d: d["fields"][1].update(requird=True), ["fields", 1]),
    "rule code not stable": (lambda d: _rule(d, "R04").update(code="R4"), None),
    "severity unknown": (lambda d: _rule(d, "R04").update(severity="fatal"), None),
    "sum check without its parts": (lambda d: _rule(d, "R04")["checks"][0].pop("parts"), None),
    "condition with a typo": (lambda d: _rule(d, "R10")["checks"][0]["when"].update(in_grp="hard"), None),
    "code-list item without label": (lambda d: d["codelists"]["plantype"][0].pop("label"),
                                     ["codelists", "plantype", 0]),
    "price bound negative": (lambda d: d["price_bounds"]["years"][0].update(sociale_huur_max=-1),
                             ["price_bounds", "years", 0, "sociale_huur_max"]),
    "profile confidentiality unknown": (lambda d: d["delivery"]["profiles"][0].update(confidential="hide"),
                                        ["delivery", "profiles", 0, "confidential"]),
    "bad regular expression": (lambda d: d["gemeenten"].update(pattern="^GM[0-9{4}$"), ["gemeenten", "pattern"]),
    "unknown top-level key": (lambda d: d.update(provincie="gelderland"), []),
    "field rule without the fields it applies to": (lambda d: _rule(d, "R01").pop("applies_to"), None),
    "applies_to on an unknown field property": (lambda d: _rule(d, "R22")["applies_to"].update(lenght=True), None),
    "geometry rule without its kind": (lambda d: _rule(d, "G04").pop("kind"), None),
    "fasering sum without the capacity it reads": (lambda d: _rule(d, "R17")["checks"][0].pop("capacity"), None),
    "fasering without its year field": (lambda d: d["fasering"].pop("year_field"), ["fasering"]),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_schema_rejects_a_typical_mistake(name):
    edit, where = MISTAKES[name]
    data = copy.deepcopy(base())
    edit(data)
    found = errors(data)
    assert found, f"the schema accepts: {name}"
    if where is not None:
        assert any(path[:len(where)] == where for path, _ in found), found
