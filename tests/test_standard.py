"""The standard's data file (basisset-2.0.json) is consistent with itself, with the engine that
executes it and with the normative text (/work/shared/basisset-2.0.md, §1, §3, §4, §5)."""
from __future__ import annotations

import re
import string
from collections import Counter

import pytest

from lmvw_plugin.rules.checks import condition_fields
from lmvw_plugin.rules.kinds import plan_fields_read
from lmvw_plugin.standard import LANGUAGES, load

PLACEHOLDER = string.Formatter()


def placeholders(template: str):
    return {name for _, name, _, _ in PLACEHOLDER.parse(template) if name is not None}


def texts_of(message):
    """Every {nl, en} dict inside a message (plain, or with variants such as under/over)."""
    if isinstance(message, dict) and set(message) >= {"nl"} and all(isinstance(v, str) for v in message.values()):
        return [message]
    assert isinstance(message, dict), message
    out = []
    for v in message.values():
        out += texts_of(v)
    return out


# --------------------------------------------------------------------------------------------
# §1 fields


# (name, type, width or None, required, code list or None) as §1 gives them
SPEC_FIELDS = [
    ("plan_id", "text", 36, True, None),
    ("plannaam", "text", 255, True, None),
    ("gemeentecode", "text", 6, True, None),
    ("woonplaats", "text", 80, False, None),
    ("plan_id_extern", "text", 80, False, None),
    ("overkoepelend_plan", "text", 255, False, None),
    ("plantype", "text", None, True, "plantype"),
    ("planstatus", "text", None, True, "planstatus"),
    ("planologisch_besluit_id", "text", 80, False, None),
    ("projectfase", "text", None, False, "projectfase"),
    ("opdrachtgever_type", "text", None, False, "opdrachtgever_type"),
    ("opdrachtgever_naam", "text", 255, False, None),
    ("vertrouwelijkheid", "text", None, True, "vertrouwelijkheid"),
    ("vertrouwelijk_reden", "text", 255, False, None),
    ("bruto_plancapaciteit", "int", None, True, None),
    ("sloop", "int", None, True, None),
    ("aantal_gerealiseerd", "int", None, True, None),
    ("sloop_gerealiseerd", "int", None, False, None),
    ("eengezins", "int", None, True, None),
    ("meergezins", "int", None, True, None),
    ("woningtype_onbekend", "int", None, True, None),
    ("sociale_huur_corporatie", "int", None, True, None),
    ("sociale_huur_markt", "int", None, True, None),
    ("sociale_huur_markt_geborgd", "int", None, True, None),
    ("middenhuur_corporatie", "int", None, True, None),
    ("middenhuur_markt", "int", None, True, None),
    ("middenhuur_markt_geborgd", "int", None, True, None),
    ("dure_huur", "int", None, True, None),
    ("huur_prijs_onbekend", "int", None, True, None),
    ("betaalbare_koop", "int", None, True, None),
    ("dure_koop", "int", None, True, None),
    ("koop_prijs_onbekend", "int", None, True, None),
    ("eigendom_onbekend", "int", None, True, None),
    ("prijspeil_jaar", "int", None, True, None),
    ("nultredenwoningen", "int", None, True, None),
    ("geclusterd", "int", None, True, None),
    ("zorggeschikt", "int", None, True, None),
    ("overig_geschikt_ouderen", "int", None, False, None),
    ("geclusterd_min50pct_55plus", "bool", None, False, None),
    ("zorggeschikt_min50pct_55plus", "bool", None, False, None),
    ("tijdelijke_woningen", "int", None, True, None),
    ("tijdelijke_woningen_tijdelijke_kwaliteit", "int", None, False, None),
    ("gerealiseerd", "bool", None, True, None),
    ("datum_gerealiseerd", "date", None, False, None),
    ("vervallen", "bool", None, True, None),
    ("datum_vervallen", "date", None, False, None),
    ("reden_vervallen", "text", None, False, "reden_vervallen"),
    ("vervangen_door_plan_id", "text", 36, False, None),
    ("opmerkingen", "text", 1000, False, None),
    ("gewijzigd_op", "datetime", None, False, None),
]
NOT_COUNTS = {"prijspeil_jaar"}


def test_fields_are_those_of_section_1(standard):
    assert [f.name for f in standard.fields] == [s[0] for s in SPEC_FIELDS]
    for name, ftype, width, required, codelist in SPEC_FIELDS:
        f = standard.field(name)
        assert f.type == ftype, name
        if width is not None:
            assert f.width == width, name
        if ftype == "text":
            assert f.width, f"text field {name} has no width"
        assert f.required == required, name
        assert f.codelist == codelist, name
        assert f.count == (ftype == "int" and name not in NOT_COUNTS), name


def test_field_names_unique(standard):
    dup = [n for n, c in Counter(standard.field_names).items() if c > 1]
    assert not dup
    fas = [f.name for f in standard.fasering_fields]
    assert fas == ["plan_id", "jaar", "aantal", "sloop"]
    assert len(set(fas)) == len(fas)


def test_vertrouwelijkheid_has_no_default(standard):
    assert standard.field("vertrouwelijkheid").default is None


def test_every_field_in_exactly_one_form_place(standard):
    def walk(items):
        for it in items:
            if isinstance(it, str):
                yield it
            elif "items" in it:
                yield from walk(it["items"])
    placed = [name for tab in standard.form["tabs"] for name in walk(tab["items"])]
    counts = Counter(placed)
    assert not [n for n, c in counts.items() if c > 1], "fields placed twice"
    assert set(placed) == set(standard.field_names), (
        f"not placed: {set(standard.field_names) - set(placed)}; unknown: {set(placed) - set(standard.field_names)}")


def test_form_tabs_and_groups_are_sound(standard):
    tab_ids = [t["id"] for t in standard.form["tabs"]]
    assert len(set(tab_ids)) == len(tab_ids)
    groups = []

    def walk(items):
        for it in items:
            if isinstance(it, str):
                continue
            if "relation" in it:
                assert it["relation"] == standard.fasering_name
                continue
            groups.append(it["group"])
            for lang in LANGUAGES:
                assert it["label"].get(lang), (it["group"], lang)
            if "visible_when" in it:
                for name in condition_fields(it["visible_when"]):
                    assert name in standard.field_by_name, name
            walk(it["items"])

    for tab in standard.form["tabs"]:
        walk(tab["items"])
    assert len(set(groups)) == len(groups)
    assert any(it == {"relation": "fasering"} for t in standard.form["tabs"] for it in t["items"])


# --------------------------------------------------------------------------------------------
# §3 code lists


def test_codelists_used_by_fields_exist(standard):
    used = {f.codelist for f in standard.fields + standard.fasering_fields if f.codelist}
    assert used <= set(standard.codelists)
    for name, items in standard.codelists.items():
        codes = [i.code for i in items]
        assert codes, name
        assert len(set(codes)) == len(codes), name


def test_code_lists_are_those_of_section_3(standard):
    assert standard.codes("plantype") == ["pand_transformatie", "transformatiegebied", "herstructurering",
                                          "verdichting", "uitbreiding_uitleg", "uitbreiding_overig"]
    assert standard.codes("planstatus") == ["1A", "1B", "1C", "2A", "2B", "2C", "3", "4A", "4B", "5A", "5B"]
    assert standard.codes("vertrouwelijkheid") == ["gemeente", "regio", "provincie_rijk", "openbaar"]
    assert standard.codes("reden_vervallen") == ["besluit_gemeente", "besluit_initiatiefnemer",
                                                 "opgegaan_in_ander_plan", "dubbel_geregistreerd", "anders"]
    assert standard.codes("opdrachtgever_type") == ["gemeente", "corporatie", "ontwikkelaar", "particulier",
                                                    "meerdere", "anders", "onbekend"]
    assert standard.codes("projectfase") == ["initiatief", "definitie", "ontwerp", "voorbereiding",
                                             "realisatie", "nazorg", "afgerond", "onbekend"]


def test_planstatus_groups(standard):
    assert standard.hard_statuses == ["1A", "1B", "2A", "2B"]
    assert standard.soft_statuses == ["1C", "2C", "3", "4A", "4B"]
    assert standard.internal_statuses == ["5A", "5B"]
    # every status is in exactly one group
    assert all(i.group in ("hard", "soft", "internal") for i in standard.codelists["planstatus"])


def test_code_fields_are_wide_enough(standard):
    for f in standard.fields:
        if f.codelist:
            assert max(len(c) for c in standard.codes(f.codelist)) <= f.width, f.name


def test_gemeenten(standard):
    assert len(standard.gemeenten) == 342
    rx = re.compile(r"^GM[0-9]{4}$")
    assert all(rx.match(code) for code in standard.gemeenten)
    assert all(name.strip() for name in standard.gemeenten.values())
    assert standard.gemeente_pattern == "^GM[0-9]{4}$"
    assert standard.gemeente_name("GM0344") == "Utrecht"
    # R20's format check uses the same pattern
    (fmt,) = [c for c in standard.checks_for_rule("R20") if c.kind == "pattern"]
    assert fmt.params["pattern"] == standard.gemeente_pattern


# --------------------------------------------------------------------------------------------
# §4 price bounds

SECTION_4 = {  # year: (sociale huur, middenhuur, betaalbare koop)
    2022: (763.47, 1000.0, 355000),
    2023: (808.06, None, 355000),
    2024: (879.66, 1157.95, 390000),
    2025: (900.07, 1184.82, 405000),
    2026: (932.93, 1228.07, 420000),
}


def test_price_bounds(standard):
    assert sorted(standard.price_bounds) == [2022, 2023, 2024, 2025, 2026]
    for year, (soc, mid, koop) in SECTION_4.items():
        b = standard.price_bounds.get(year)
        assert b.year == year
        assert b.sociale_huur_max == soc, year
        assert b.middenhuur_max == mid, year
        assert b.betaalbare_koop_max == koop, year
        if mid is not None:
            assert soc < mid, year
    raw = {y["year"]: y for y in standard.data["price_bounds"]["years"]}
    assert raw[2024]["middenhuur_max_before_july"] == 1123.13
    assert standard.price_bounds.get(2021) is None
    assert standard.price_bounds.get(None) is None


# --------------------------------------------------------------------------------------------
# §5 rules

SECTION_5 = {
    "R01": "error", "R02": "error", "R03": "error", "R04": "error", "R05": "error", "R06": "error",
    "R07": "error", "R08": "error", "R09": "error", "R10": "error", "R11": "error", "R12": "error",
    "R13": "error", "R14": "error", "R15": "error", "R16": "warning", "R17": "error", "R18": "warning",
    "R19": "error", "R20": "error", "R21": "warning", "R22": "error", "R23": "warning", "R24": "warning",
    "R25": "error",                          # beyond §5: a stored value of the wrong type (issue 7 §3)
    "G01": "error", "G02": "error", "G03": "error", "G04": "error", "G05": "warning", "G06": "error",
    "G07": "warning",
    "C01": "error", "C02": "error", "C03": "warning", "C04": "error", "C05": "error",
    # across uitvragen (issue 11): run only when a previous delivery is known
    "V01": "warning", "V02": "warning", "V03": "warning", "V04": "warning", "V05": "warning",
}


def test_every_rule_of_section_5_with_its_severity(standard):
    codes = [r.code for r in standard.rules]
    assert len(set(codes)) == len(codes)
    assert set(codes) == set(SECTION_5)
    for code, severity in SECTION_5.items():
        assert standard.rule_by_code[code].severity == severity, code


def test_c03_identical_geometries_are_an_error(standard):
    """§5: C03 is a warning for an overlap, an error for identical geometries."""
    c03 = standard.rule_by_code["C03"]
    assert set(c03.raw["messages"]) == {"overlap", "identical"}
    assert c03.raw.get("variant_severity", {}).get("identical", "error") == "error"
    assert set(c03.raw.get("variant_severity", {})) <= set(c03.raw["messages"])


def test_r20_severities_per_check(standard):
    sev = {c.kind: c.severity for c in standard.checks_for_rule("R20")}
    assert sev == {"pattern": "error", "in_gemeenten": "warning"}


def test_record_rules_have_checks(standard):
    for r in standard.rules:
        if r.code.startswith("R"):
            assert standard.checks_for_rule(r.code), r.code
            for c in standard.checks_for_rule(r.code):
                assert c.severity in ("error", "warning")
                # a check only deviates from its rule's severity where §5 says so (R20)
                if r.code != "R20":
                    assert c.severity == r.severity, c.id


def test_check_ids_unique(standard):
    ids = [c.id for c in standard.checks]
    assert len(set(ids)) == len(ids)
    assert set(standard.check_by_id) == set(ids)


def test_rule_parameters_match_section_5(standard):
    R = standard.rule_by_code
    assert R["R16"].params == {"uitleg_min": 12, "overig_max": 11}
    assert R["R19"].params == {"years_ahead": 30}
    assert R["G04"].params == {"min_area_m2": 10}
    assert R["G06"].params == {"xmin": 0, "ymin": 289000, "xmax": 300000, "ymax": 629000}
    assert R["G07"].params == {"max_dwellings_per_ha": 1000, "max_area_km2": 25}
    assert R["C03"].params == {"min_overlap_m2": 1, "min_overlap_fraction": 0.01}
    # '@name' references were resolved
    r16 = standard.checks_for_rule("R16")
    assert r16[0].params["require"] == {"field": "bruto_plancapaciteit", "ge": 12}
    assert r16[1].params["require"] == {"field": "bruto_plancapaciteit", "le": 11}


def test_r05_sums_the_ten_price_fields_without_geborgd(standard):
    (c,) = standard.checks_for_rule("R05")
    assert len(c.params["parts"]) == 10
    assert not [p for p in c.params["parts"] if p.endswith("_geborgd")]
    (c4,) = standard.checks_for_rule("R04")
    assert c4.params["parts"] == ["eengezins", "meergezins", "woningtype_onbekend"]
    assert c4.params["total"] == c.params["total"] == "bruto_plancapaciteit"


def test_checks_name_existing_fields(standard):
    layer = set(standard.field_names)
    fasering = {f.name for f in standard.fasering_fields}
    for c in standard.checks:
        table = c.params.get("table", standard.layer_name)
        assert table in (standard.layer_name, standard.fasering_name), c.id
        if table == standard.fasering_name:
            assert c.field in fasering, c.id
            # a check of the fasering table reads no field of the plan layer
            assert plan_fields_read(c, standard) == [], (c.id, plan_fields_read(c, standard))
            continue
        if c.kind in ("fasering_year_range", "fasering_year_unique"):
            assert c.field in fasering, c.id
            continue
        assert c.field in layer, c.id
        names = plan_fields_read(c, standard)
        assert names, c.id
        assert set(names) <= layer, (c.id, set(names) - layer)
        assert len(set(names)) == len(names), c.id
        assert c.field in names, c.id


def _conditions(cond):
    yield cond
    for key in ("all", "any"):
        for sub in cond.get(key, []):
            yield from _conditions(sub)
    if "not" in cond:
        yield from _conditions(cond["not"])


CONDITION_OPS = {"eq", "in", "in_group", "is_true", "filled", "ge", "le", "eq_field", "gt_field"}


def test_conditions_are_executable(standard):
    for c in standard.checks:
        for key in ("when", "require"):
            if key not in c.params:
                continue
            for cond in _conditions(c.params[key]):
                if {"all", "any", "not"} & set(cond):
                    continue
                f = standard.field(cond["field"])
                ops = set(cond) - {"field"}
                assert len(ops) == 1 and ops <= CONDITION_OPS, (c.id, cond)
                if "in_group" in cond:
                    assert f.codelist and standard.group_codes(f.codelist, cond["in_group"]), (c.id, cond)
                if "eq" in cond and f.codelist:
                    assert cond["eq"] in standard.codes(f.codelist), (c.id, cond)
                for k in ("eq_field", "gt_field"):
                    if k in cond:
                        assert cond[k] in standard.field_by_name, (c.id, cond)
                if "ge" in cond or "le" in cond:
                    assert isinstance(cond.get("ge", cond.get("le")), (int, float)), (c.id, cond)


def test_every_text_has_dutch_and_english(standard):
    d = standard.data

    def both(texts, where):
        assert isinstance(texts, dict), where
        for lang in LANGUAGES:
            assert isinstance(texts.get(lang), str) and texts[lang].strip(), f"{where}: no {lang}"

    both(d["title"], "title")
    both(standard.relation_name, "relation_name")
    for f in standard.fields + standard.fasering_fields:
        both(f.label, f"label of {f.name}")
        both(f.help, f"help of {f.name}")
    for name, items in standard.codelists.items():
        for i in items:
            both(i.label, f"code {name}.{i.code}")
    for tab in standard.form["tabs"]:
        both(tab["label"], f"tab {tab['id']}")
    for rt in standard.form["running_totals"]:
        both(rt["label"], f"running total {rt['check']}")
    for dv in standard.derived:
        both(dv["label"], f"derived {dv['name']}")
    for p in standard.profiles.values():
        both(p.label, f"profile {p.id}")
        both(p.explanation, f"profile {p.id} explanation")
    for r in standard.rules:
        both(r.title, f"title of {r.code}")
        if "check_title" in r.raw:
            both(r.raw["check_title"], f"check_title of {r.code}")
        msgs = r.raw.get("message") or r.raw.get("messages")
        if msgs is None:
            assert "checks" in r.raw, r.code
        else:
            for m in texts_of(msgs):
                both(m, f"message of {r.code}")
    for c in standard.checks:
        both(c.title, f"title of {c.id}")
        for m in texts_of(c.message):
            both(m, f"message of {c.id}")


def test_check_titles_are_expanded(standard):
    for c in standard.checks:
        for lang in LANGUAGES:
            assert not placeholders(c.title[lang]), (c.id, c.title[lang])


# What the kinds' message values (rules/kinds.py; and the fasering / geometry / layer parts of the engine) fill in.
FIELD_MESSAGE = {"label", "value", "codes", "length", "width", "year", "years", "peildatum"}
FASERING_FIELD_MESSAGE = {"label", "value", "width", "length"}
KIND_PLACEHOLDERS = {
    "required": FIELD_MESSAGE, "codelist": FIELD_MESSAGE, "count": FIELD_MESSAGE,
    "max_length": FIELD_MESSAGE, "type": FIELD_MESSAGE, "pattern": FIELD_MESSAGE, "in_gemeenten": FIELD_MESSAGE,
    "price_year": FIELD_MESSAGE, "date_not_after_peildatum": FIELD_MESSAGE,
    "sum_equals": {"sum", "total", "diff"}, "fasering_sum": {"sum", "total", "diff"},
    "le": {"left", "right", "excess"},
    "fasering_year_range": {"jaar", "min_year", "max_year"},
    "fasering_year_unique": {"jaar", "count"},
}
RULE_PLACEHOLDERS = {
    ("G01", None): set(), ("G02", None): {"geomtype"}, ("G03", None): {"reason", "x", "y"},
    ("G04", None): {"area", "min_area"}, ("G05", None): {"count", "x", "y"}, ("G06", None): {"x", "y"},
    ("G07", "density"): {"count", "area_ha", "density", "max_density"},
    ("G07", "area"): {"area_km2", "max_area"},
    ("C01", None): {"value", "count", "others"}, ("C02", None): {"value", "count", "gemeentecode"},
    ("C03", "overlap"): {"other", "area", "pct"}, ("C03", "identical"): {"other"},
    ("C04", None): {"value", "count"}, ("C05", None): {"value", "gemeentecode"},
}


def test_message_placeholders_are_filled_by_the_engine(standard):
    layer = set(standard.field_names)
    for c in standard.checks:
        if c.kind in ("sum_equals", "fasering_sum"):
            assert set(c.message) == {"under", "over"}, c.id
        if c.kind in ("condition", "fasering_missing"):
            allowed = layer | {"rest"}
        elif c.params.get("table") == standard.fasering_name:
            allowed = FASERING_FIELD_MESSAGE
        else:
            allowed = KIND_PLACEHOLDERS[c.kind]
        for m in texts_of(c.message):
            for lang in LANGUAGES:
                unknown = placeholders(m[lang]) - allowed
                assert not unknown, (c.id, lang, unknown)
    for (code, variant), allowed in RULE_PLACEHOLDERS.items():
        r = standard.rule_by_code[code]
        for lang in LANGUAGES:
            got = placeholders(r.message(lang, variant))
            assert got <= allowed, (code, variant, lang, got - allowed)
    # the nl and en text of a message use the same placeholders
    for c in standard.checks:
        for m in texts_of(c.message):
            assert placeholders(m["nl"]) == placeholders(m["en"]), c.id
    for (code, variant) in RULE_PLACEHOLDERS:
        r = standard.rule_by_code[code]
        assert placeholders(r.message("nl", variant)) == placeholders(r.message("en", variant)), code


def test_numbers_in_record_messages(standard):
    """The messages of the arithmetic rules say the numbers involved."""
    for c in standard.checks:
        for m in texts_of(c.message):
            for lang in LANGUAGES:
                ph = placeholders(m[lang])
                if c.kind in ("sum_equals", "fasering_sum"):
                    assert ph == {"sum", "total", "diff"}, (c.id, lang)
                if c.kind == "le":
                    assert ph == {"left", "right", "excess"}, (c.id, lang)


def test_running_totals(standard):
    fields = set(standard.field_names)
    assert standard.form["running_totals"]
    for rt in standard.form["running_totals"]:
        assert rt["check"] in standard.check_by_id, rt
        assert standard.check_by_id[rt["check"]].kind in ("sum_equals", "fasering_sum"), rt
        assert rt["field"] in fields, rt
        for lang in LANGUAGES:
            tpl = rt["label"][lang]
            assert placeholders(tpl) == {"sum", "total"}, (rt, lang)
            assert tpl.count("{sum}") == 1 and tpl.count("{total}") == 1, (rt, lang)
            assert tpl.index("{sum}") < tpl.index("{total}"), (rt, lang)


KNOWN_DERIVED_OPS = {"sub", "sum", "in_group", "fasering_min_year", "fasering_max_year"}


def test_derived(standard):
    names = [d["name"] for d in standard.derived]
    assert len(set(names)) == len(names)
    assert not set(names) & set(standard.field_names)
    for d in standard.derived:
        assert d["op"] in KNOWN_DERIVED_OPS, d
        assert d["type"] in ("int", "bool"), d
        for a in d.get("args", []):
            assert standard.field(a).type == "int", (d["name"], a)
        if d["op"] == "sub":
            assert len(d["args"]) == 2, d
        if d["op"] == "sum":
            assert d["args"], d
        if d["op"] == "in_group":
            f = standard.field(d["field"])
            assert standard.group_codes(f.codelist, d["group"]), d
    by = {d["name"]: d for d in standard.derived}
    assert by["netto_plancapaciteit"]["args"] == ["bruto_plancapaciteit", "sloop"]
    assert by["restcapaciteit"]["args"] == ["bruto_plancapaciteit", "aantal_gerealiseerd"]
    assert by["harde_plancapaciteit"]["group"] == "hard"
    cats = [d for d in standard.derived if d.get("price_category")]
    assert len(cats) == 7
    # the price categories cover exactly the ten price/tenure counts of R05, each once
    (r05,) = standard.checks_for_rule("R05")
    covered = [a for d in cats for a in d["args"]]
    assert sorted(covered) == sorted(r05.params["parts"])


def test_delivery_profiles(standard):
    dl = standard.delivery
    assert dl["default_profile"] in standard.profiles
    assert dl["confidential_code"] in standard.codes("vertrouwelijkheid")
    assert dl["never_delivered_group"] == "internal"
    for name in dl["never_leaves"]:
        assert name in standard.field_by_name
    for p in standard.profiles.values():
        assert p.confidential in ("aggregate", "include", "exclude")
        if p.only_codes:
            assert set(p.only_codes) <= set(standard.codes("vertrouwelijkheid"))
    assert re.match(dl["uitvraag_pattern"], "2026-najaar")
    assert not re.match(dl["uitvraag_pattern"], "2026-zomer")


def test_layer(standard):
    assert standard.layer_name == "woningbouwplannen"
    assert standard.geometry_type == "MultiPolygon"
    assert standard.crs == "EPSG:28992"
    assert standard.key == "plan_id"
    assert standard.version == "2.0"


def test_load_is_cached_and_unknown_version_fails():
    from lmvw_plugin.standard import StandardError
    assert load() is load()
    assert load("2.0").version == "2.0"
    with pytest.raises(StandardError):
        load("9.9")
