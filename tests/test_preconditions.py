"""The preconditions every interface checks (the dock, the dialogs, Processing, the plugin, the command
line) are written once: a layer without the Basisset fields, unsaved edits, a folder one may not write
in, the profiles to choose from, the fasering table's fields, the error and warning counts."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from lmvw_plugin import messages
from lmvw_plugin.i18n import use_catalog
from lmvw_plugin.standard import Profile, load

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "lmvw_plugin"
INTERFACES = ["gui", "processing", "plugin.py", "cli.py", "demomake.py"]


@pytest.fixture
def catalog(monkeypatch):
    """Qt-free translations for the test, the previous state afterwards."""
    import lmvw_plugin.i18n as i18n
    monkeypatch.setattr(i18n, "_catalog", i18n._catalog)
    return use_catalog


@pytest.fixture
def english(catalog):
    catalog("en")


def _sources():
    return {p: p.read_text(encoding="utf-8") for p in sorted(PLUGIN.rglob("*.py")) if "__pycache__" not in p.parts}


@pytest.mark.parametrize("text, most", [
    ("Layer '{}' does not have the Basisset fields. Missing: {}.", 1),
    ("has unsaved edits", 1),
    ("Cannot write in {}: choose a folder where you may write.", 1),
    ("is not a fasering table", 1),
    ("Unknown profile", 1),
    ('"provincie", "provincie_volledig"', 0),        # the choices are the standard's
    ('"plan_id, jaar', 0),                           # the fasering's fields too
])
def test_each_precondition_is_worded_in_one_place(text, most):
    """A new interface calls the shared check; it does not copy its message (the CLI's file-level
    "{path} does not have the Basisset fields" and the plugin's "…so no form was applied" differ)."""
    where = [str(p.relative_to(ROOT)) for p, src in _sources().items() if text in src]
    assert len(where) <= most, f"{text!r} is written in {where}"


def test_interfaces_ask_the_writability_probe_not_os_access():
    """os.access says yes to root on a file system it cannot write (/proc, a read-only mount)."""
    found = []
    for p, src in _sources().items():
        rel = p.relative_to(PLUGIN)
        if rel.parts[0] in INTERFACES and re.search(r"os\.access\([^)]*\b(folder|dir)", src):
            found.append(str(rel))
    assert not found, found


def _with_extra_profile():
    s = copy.copy(load())
    s.profiles = dict(s.profiles)
    base = s.profiles["provincie"]
    s.profiles["provincie_zeeland"] = Profile("provincie_zeeland", base.label, base.explanation, base.confidential,
                                              base.only_codes, base.drop_free_text)
    return s


def test_profile_choices_come_from_the_standard(monkeypatch, english):
    import lmvw_plugin.cli as cli
    import lmvw_plugin.standard as standard
    s = _with_extra_profile()
    monkeypatch.setattr(standard, "load", lambda *a, **k: s)
    monkeypatch.setattr(cli, "load", lambda *a, **k: s)
    args = cli.parser().parse_args(["export", "x.gpkg", "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01",
                                    "-o", "out.zip", "--profile", "provincie_zeeland"])
    assert args.profile == "provincie_zeeland"
    assert cli.parser().parse_args(["export", "x.gpkg", "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01",
                                    "-o", "out.zip"]).profile == s.delivery["default_profile"]
    assert "; provincie_zeeland: Default: confidential plans stay out" in messages.profiles_help("en")
    from lmvw_plugin.delivery.package import DeliveryError
    text = messages.delivery_error_message(DeliveryError("bad_profile", "zeeland"))
    assert text == ("Unknown profile 'zeeland': choose provincie, provincie_volledig, openbaar or "
                    "provincie_zeeland.")


def test_profile_message_reads_as_before_in_dutch(catalog):
    from lmvw_plugin.delivery.package import DeliveryError
    catalog("nl")
    assert messages.delivery_error_message(DeliveryError("bad_profile", "x")) == \
        "Onbekend profiel 'x': kies provincie, provincie_volledig of openbaar."
    assert messages.not_fasering_text("rijen") == \
        "Tabel 'rijen' is geen faseringstabel: een faseringstabel moet de velden plan_id, jaar en aantal hebben."


def test_fasering_fields_in_the_message_come_from_the_standard(english):
    s = copy.copy(load())
    s.fasering_fields = [f for f in load().fasering_fields if f.name != "aantal"]
    assert messages.not_fasering_text("t", s) == \
        "Table 't' is not a fasering table: it needs the fields plan_id and jaar."


def test_lacks_fields_names_the_missing_and_why_for_a_shapefile(english):
    assert messages.lacks_fields_text("a", ["plannaam", "jaar"]) == \
        "Layer 'a' does not have the Basisset fields. Missing: plannaam, jaar."
    assert "10 characters" in messages.lacks_fields_text("a.shp", ["plannaam"], shapefile=True)


def test_severity_counts():
    from lmvw_plugin.rules.findings import ERROR, WARNING, Finding
    fs = [Finding("R01", ERROR, None, None, "x"), Finding("R02", WARNING, None, None, "y"),
          Finding("R03", ERROR, None, None, "z")]
    assert messages.severity_counts(fs) == (2, 1) and messages.severity_counts([]) == (0, 0)


# ------------------------------------------------------------------------------------------------
# a user-facing string has one home: the data file (rules, fields, code lists, profiles) or the
# translations (everything the code says); no {"nl": …, "en": …} written in Python

NL_EN_LEFT: set = set()                # files allowed to keep such a dict: none


def _nl_en_dicts(src: str):
    import ast
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"nl", "en"} <= keys:
                yield node.lineno


def test_finder_sees_a_language_dict():
    assert list(_nl_en_dicts('X = {"a": {"nl": "ja", "en": "yes"}}\nY = {"nl": 1}\n')) == [1]


def test_no_language_dicts_in_python_code():
    found = [f"{p.relative_to(PLUGIN)}:{line}" for p, src in _sources().items()
             if str(p.relative_to(PLUGIN)) not in NL_EN_LEFT for line in _nl_en_dicts(src)]
    assert not found, found


def test_report_and_legend_texts_come_from_the_translations():
    import datetime as dt

    from lmvw_plugin.delivery import report
    from lmvw_plugin.i18n import dutch
    assert report._t("title", "nl") == "Validatierapport woningbouwplannen"
    assert report._t("title", "en") == "Validation report housing plans"
    assert report._t("plans", "nl") == "Plannen geleverd"          # its own context: not Processing's text
    assert report.fmt_date(dt.date(2026, 10, 1), "nl") == "1 oktober 2026"
    assert report.fmt_date("2026-03-02", "en") == "2 March 2026"
    assert set(report.T.values()) | set(report.MONTHS) <= set(dutch("Report"))
    from lmvw_plugin.i18n import translated
    from lmvw_plugin.layers import style
    assert translated(style.NO_STATUS, "nl", "Style") == "zonder of onbekende planstatus"
    assert translated(style.DWELLINGS, "nl", "Style") == "won." and translated(style.DWELLINGS, "en", "Style") == "dw."
    assert set(style.EXTRA_LABELS.values()) | set(style.GROUP_LABELS.values()) <= set(dutch("Style"))
