"""Province profiles are data (lmvw_plugin/standard/provinces/*.json) in the shape of
province.schema.json; the loader proposes a province from a gemeentecode and extends the standard
with a province's extra fields, code lists, form tab and rules."""
from __future__ import annotations

import copy
import json
import os

import jsonschema
import pytest

from lmvw_plugin.standard import HERE, load
from lmvw_plugin.standard import provinces as P

SCHEMA = json.loads((HERE / "province.schema.json").read_text(encoding="utf-8"))
STANDARD_SCHEMA = json.loads((HERE / "standard.schema.json").read_text(encoding="utf-8"))
KEYS = ["gelderland", "zeeland", "zuid-holland"]


def validator():
    resolver = jsonschema.RefResolver.from_schema(SCHEMA, store={STANDARD_SCHEMA["$id"]: STANDARD_SCHEMA})
    return jsonschema.Draft202012Validator(SCHEMA, resolver=resolver, format_checker=jsonschema.FormatChecker())


def errors(data):
    return [(list(e.absolute_path), e.message) for e in validator().iter_errors(data)]


def raw(key):
    return json.loads((P.PROVINCES_DIR / f"{key}.json").read_text(encoding="utf-8"))


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_three_provinces_are_there():
    assert P.provinces() == KEYS
    assert {P.load_province(k).format for k in KEYS} == {"filegdb-gelderland", "geojson-pzh", "xlsx-zeeland"}


@pytest.mark.parametrize("key", KEYS)
def test_every_profile_follows_the_schema(key):
    assert errors(raw(key)) == []


MISTAKES = {
    "format missing": lambda d: d.pop("format"),
    "extra field with an unknown type": lambda d: d["fields"][0].update(type="string"),
    "label without Dutch": lambda d: d["fields"][0]["label"].pop("nl"),
    "check code not a province code": lambda d: d["rules"][0].update(code="R99"),
    "export check of an unknown kind": lambda d: d["export_checks"][0].update(kind="magic"),
    "file name without the uitvraag": lambda d: d.update(filename="lmvw_{gemeentecode}.json"),
    "a confidentiality value missing": lambda d: d["vertrouwelijkheid"].pop("regio"),
    "misspelt top-level key": lambda d: d.update(mapings={}),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_the_schema_catches_a_writers_mistakes(name):
    data = copy.deepcopy(raw("zuid-holland"))
    MISTAKES[name](data)
    assert errors(data), name


def test_a_profile_is_found_by_key_or_format_and_unknown_ones_are_refused():
    assert P.by_format("geojson-pzh").key == "zuid-holland"
    assert P.by_format("gelderland").format == "filegdb-gelderland"
    assert P.by_format("lmvw") is None
    with pytest.raises(P.ProvinceError, match="gelderland"):
        P.load_province("friesland")
    with pytest.raises(P.ProvinceError):
        P.load_province("../basisset-2.0")


@pytest.mark.parametrize("code,key", [("GM0202", "gelderland"), ("GM0228", "gelderland"),   # Arnhem, Ede
                                      ("GM0599", "zuid-holland"), ("GM0518", "zuid-holland"),  # Rotterdam, Den Haag
                                      ("GM0687", "zeeland"),                                   # Middelburg
                                      ("GM0344", None), ("GM0014", None), ("", None), (None, None)])
def test_the_province_is_proposed_from_the_gemeente_where_the_data_knows_it(code, key):
    assert P.province_for_gemeente(code) == key


def test_gelderlands_gemeenten_come_from_its_table_and_exist_in_the_cbs_list():
    gld = P.load_province("gelderland")
    codes = gld.gemeente_codes
    assert len(codes) == 51
    standard = load()
    assert all(standard.gemeente_name(c) for c in codes)
    assert gld.lookup("gemeenten", "GM0228")["regionaam"] == "Foodvalley"
    for key in ("zuid-holland", "zeeland"):
        assert all(standard.gemeente_name(c) for c in P.load_province(key).gemeente_codes)
    assert not set(codes) & set(P.load_province("zuid-holland").gemeente_codes)


@pytest.mark.parametrize("key", KEYS)
def test_the_extended_standard_has_the_extras_the_tab_and_the_rules(key):
    base = load()
    prov = P.load_province(key)
    s = P.extend(base, prov)
    assert P.extend(base, key) is s                       # cached
    assert P.province_of(s) is prov and P.province_of(base) is None
    assert s.field_names[:len(base.field_names)] == base.field_names
    assert s.field_names[len(base.field_names):] == prov.extra_field_names
    assert all(not s.field(n).required for n in prov.extra_field_names)     # optional in the layer
    assert s.form["tabs"][-1]["id"] == prov.data["form_tab"]["id"]
    codes = {r.code for r in s.rules}
    assert {r["code"] for r in prov.rules} <= codes
    assert {"R26", "R27"} <= codes and not {"R26", "R27"} & {r.code for r in base.rules}
    fas = [f.name for f in s.fasering_fields]
    assert "eengezins" in fas and "eigendom_onbekend" in fas
    assert [f.name for f in base.fasering_fields] == fas[:len(base.fasering_fields)]
    # every extended standard is still a valid standard data file
    assert jsonschema.Draft202012Validator(STANDARD_SCHEMA).is_valid(s.data)
    # the base is untouched
    assert len(load().fields) == len(base.fields) and base.form["tabs"][-1]["id"] == "vertrouwelijkheid"


def test_every_prefix_is_the_provinces_own():
    seen = set()
    for key in KEYS:
        names = set(P.load_province(key).extra_field_names)
        assert not names & seen
        seen |= names
        assert len({n.split("_", 1)[0] for n in names}) == 1


def test_a_lookup_parameter_becomes_the_tables_values():
    s = P.extend(load(), "gelderland")
    pgld01 = s.rule_by_code["PGLD01"]
    assert len(pgld01.params["gemeenten"]) == 51
    check = s.check_by_id["PGLD02"]
    assert "GM0209|Beuningen Gld" in check.params["pairs"]


def test_a_fourth_province_is_a_data_file(tmp_path, monkeypatch):
    data = copy.deepcopy(raw("zuid-holland"))
    data.update(key="utrecht", name={"nl": "Utrecht", "en": "Utrecht"},
                gemeenten={"codes": ["GM0344"]})
    for f in data["fields"]:
        f["name"] = "ut_" + f["name"].split("_", 1)[1]
    data["form_tab"]["items"] = [f["name"] for f in data["fields"]]
    data["codelists"] = {"ut_" + k.split("_", 1)[1]: v for k, v in data["codelists"].items()}
    for f in data["fields"]:
        if "codelist" in f:
            f["codelist"] = "ut_" + f["codelist"].split("_", 1)[1]
    data["rules"] = []
    assert errors(data) == []
    (tmp_path / "utrecht.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(P, "PROVINCES_DIR", tmp_path)
    P.load_province.cache_clear()
    try:
        assert P.provinces() == ["utrecht"]
        assert P.province_for_gemeente("GM0344") == "utrecht"
        s = P.extend(load(), "utrecht")
        assert "ut_categorie_planlijst" in s.field_names
    finally:
        P.load_province.cache_clear()


@pytest.mark.parametrize("key", P.provinces())
def test_every_option_of_a_format_is_an_option_of_the_command_line(key):
    """A profile's `options` are what the dialog and Processing offer; the command line has each by its `cli`
    name, and the writer of that format reads it (a misspelt key would be silently ignored)."""
    from lmvw_plugin.cli import parser
    export = next(a for a in parser()._subparsers._group_actions[0].choices.values()
                  if a.prog.endswith(" export"))
    flags = {s for a in export._actions for s in a.option_strings}
    prov = P.load_province(key)
    writer_src = {"filegdb-gelderland": "province_gelderland.py", "geojson-pzh": "province_zh.py",
                  "xlsx-zeeland": "zeeland.py"}[prov.format]
    import lmvw_plugin.delivery as delivery
    with open(os.path.join(os.path.dirname(delivery.__file__), writer_src), encoding="utf-8") as fh:
        text = fh.read()
    for opt in prov.options:
        assert "--" + opt["cli"] in flags, opt
        assert f'"{opt["key"]}"' in text, (opt["key"], writer_src)
