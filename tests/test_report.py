"""validatierapport.html as a province reader gets it (issue 13 §2 'The report'): readable dates,
the profile's label, the rule texts of its findings, the delivered plans and an overview map."""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from lmvw_plugin.delivery.package import export
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from pkg_util import clean_plans

S = load()


def _report(tmp_path, profile="provincie", lang="nl", n=12):
    plans = clean_plans(n, seed=21)
    for i, rec in enumerate(plans.records):
        rec["opmerkingen"] = f"Opmerking bij plan {i}"
        rec["vertrouwelijkheid"] = "openbaar"
        if rec["planstatus"] in ("5A", "5B"):
            rec["planstatus"] = "3"
    plans.records[0].update(planstatus="5A", vertrouwelijkheid="gemeente", vertrouwelijk_reden="intern",
                            plannaam="Ambtelijk Plan")
    plans.records[1]["eengezins"] += 2                      # one R04 error
    t = PlanTable.from_records(S, plans.records, plans.geometries)
    f = FaseringTable.from_records(S, plans.fasering)
    result = export(t, f, str(tmp_path / "p.zip"), gemeente="GM0344", uitvraag="2026-najaar",
                    peildatum=dt.date(2026, 10, 1), profile=profile, concept=True, lang=lang, standard=S,
                    plugin_version="t", created_at=dt.datetime(2030, 1, 1, 12, 5, tzinfo=dt.timezone.utc))
    with zipfile.ZipFile(result.zip_path) as zf:
        html = zf.read("validatierapport.html").decode("utf-8")
    return plans, result, html


def test_dates_are_readable_and_the_profile_has_its_label(tmp_path):
    _, _, html = _report(tmp_path, profile="provincie_volledig")
    assert "<b>1 oktober 2026</b>" in html
    assert "<b>1 januari 2030 om 13:05 (CET)</b>" in html          # the manifest's UTC in Dutch time
    assert "2030-01-01T" not in html and "2026-10-01" not in html
    assert "<b>Provincie, volledig</b>" in html and "provincie_volledig" not in html


def test_english_report_dates(tmp_path):
    _, _, html = _report(tmp_path, lang="en")
    assert "<b>1 October 2026</b>" in html and "<b>1 January 2030 at 13:05 (CET)</b>" in html
    assert "<b>Province</b>" in html


def test_rule_texts_of_the_findings_replace_the_pointer_to_the_docs(tmp_path):
    _, result, html = _report(tmp_path)
    assert "docs/regels.md" not in html and "regels.md" not in html
    codes = {f.rule for f in result.shown + result.anonymous}
    assert "R04" in codes
    rules = html[html.index("De regels van de bevindingen"):]
    r04 = S.checks_for_rule("R04")[0].title_text("nl")
    assert "R04 " + S.rule_by_code["R04"].title_text("nl") in rules and r04 in rules
    for rule in S.rules:                                  # only the rules of findings in the report
        if rule.code not in codes:
            assert f"<dt>{rule.code} " not in rules


@pytest.mark.parametrize("profile", ["provincie", "openbaar"])
def test_list_of_delivered_plans_respects_the_profile(tmp_path, profile):
    plans, result, html = _report(tmp_path, profile=profile)
    section = html[html.index("Geleverde plannen"):]
    delivered = [r for r in plans.records[1:]]
    assert f"Geleverde plannen ({len(delivered)})" in section
    for rec in delivered:
        assert f"<td>{rec['plannaam']}</td>" in section
    assert "Ambtelijk Plan" not in html
    if profile == "openbaar":
        assert "Opmerking bij plan" not in html and "<th>Opmerkingen</th>" not in section
    else:
        assert "Opmerking bij plan 3" in section


def test_overview_map_is_inline_svg_of_the_delivered_outlines(tmp_path):
    plans, result, html = _report(tmp_path)
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 4
    overview = svgs[-1]
    assert html.index("Overzichtskaart van de geleverde plannen") < html.index(overview)
    titles = re.findall(r"<title>(.*?)</title>", overview)
    assert sorted(titles) == sorted(r["plannaam"] for r in plans.records[1:])
    assert overview.count("<path") == len(plans.records) - 1
    assert "href" not in overview and "http" not in overview.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for d in re.findall(r' d="([^"]+)"', overview):            # every point inside the drawing
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
        assert nums and min(nums) >= 0 and max(nums) <= 640
