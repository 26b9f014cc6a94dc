"""Zeeland's workbooks, read back with openpyxl the way Zeeland's importer reads them: the layout
both importer versions read, and Zeeland's own checks (each group sums to Nieuwbouw, per row and
per year); a multipart plan or a year outside 2024–2043 is refused and nothing is written."""
from __future__ import annotations

import io
import os
import zipfile

import openpyxl
import pytest
from osgeo import ogr

from lmvw_plugin.delivery import zeeland as z
from lmvw_plugin.i18n import use_catalog

ONE = ogr.CreateGeometryFromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)))").ExportToWkb()
TWO = ogr.CreateGeometryFromWkt(
    "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((20 0,30 0,30 10,20 10,20 0)))").ExportToWkb()


@pytest.fixture(autouse=True)
def _dutch():
    use_catalog("nl")
    yield
    use_catalog("nl")


def plan(name="Havenkwartier", geometry=ONE, years=None):
    """40 dwellings, 4 realised, 36 over 2027/2028, split consistently in every group."""
    years = years or {2027: 20, 2028: 16}
    y = list(years)
    rows = {
        ("Nieuwbouw", "nieuwbouw"): (40, 4, dict(years)),
        ("Eengezins", "woningtype"): (10, 4, {y[0]: 6}),
        ("Meergezins", "woningtype"): (30, 0, {y[0]: 14, y[1]: 16}),
        ("Nultreden", "wonen en zorg"): (8, 0, {y[1]: 8}),
        ("Zorggeschikt", "wonen en zorg"): (2, 0, {y[0]: 2}),
        ("Regulier", "wonen en zorg"): (30, 4, {y[0]: 18, y[1]: 8}),
        ("Regulier permanent", "flexwoningen"): (40, 4, dict(years)),
        ("Sociale huur", "betaalbaarheid"): (12, 0, {y[0]: 12}),
        ("Koop dure koop", "betaalbaarheid"): (28, 4, {y[0]: 8, y[1]: 16}),
        ("Sloop", "sloop"): (3, 1, {y[0]: 2}),
    }
    return {"name": name, "plan_id": f"id-{name}", "geometry": geometry, "rows": rows,
            "fields": {"Plannaam": name, "Plaatsnaam": "Vlissingen", "Gemeente": "Vlissingen", "Regio": "Walcheren",
                       "Provincie": "Zeeland", "Plantype": "Verdichting", "Vertrouwelijkheid": "Openbaar",
                       "Status Project": "Initiatief", "Status Planologisch": "3. In voorbereiding",
                       "Knelpunten": "Geen", "Woonmilieu": "Centrum", "Studentenwoningen": 0,
                       "Opdrachtegever": "Gemeente", "Sleutelproject": "Nee"}}


def read_like_zeeland(ws):
    """Zeeland's current importer (§5.3): per category the first row whose A and B text are the
    label and group; the years from row 1 of columns G..Z; C and E the totals."""
    years = {c: ws.cell(row=1, column=c).value for c in range(7, 27)}
    assert all(isinstance(v, int) for v in years.values())
    out = {}
    for label, group in z.CATEGORIES:
        for r in range(1, ws.max_row + 1):
            if ws.cell(row=r, column=1).value == label and ws.cell(row=r, column=2).value == group:
                out[(label, group)] = (ws.cell(row=r, column=3).value or 0, ws.cell(row=r, column=5).value or 0,
                                       {years[c]: ws.cell(row=r, column=c).value or 0 for c in range(7, 27)})
                break
    return out


def zeeland_checks(cats):
    """§5.5: per group, Totalen and Gerealiseerd sum to Nieuwbouw's, per year too; per row
    (except Sloop) Totalen − Gerealiseerd − sum(years) = 0."""
    problems = []
    nb = cats[("Nieuwbouw", "nieuwbouw")]
    for key, (tot, ger, years) in cats.items():
        if key[1] != "sloop" and tot - ger - sum(years.values()):
            problems.append(("row", key))
    for group in z.GROUPS:
        members = [v for k, v in cats.items() if k[1] == group]
        if sum(m[0] for m in members) != nb[0] or sum(m[1] for m in members) != nb[1]:
            problems.append(("totals", group))
        for y in range(2024, 2044):
            if sum(m[2][y] for m in members) != nb[2][y]:
                problems.append(("year", group, y))
    return problems


def _books(path):
    with zipfile.ZipFile(path) as zf:
        return {n: openpyxl.load_workbook(io.BytesIO(zf.read(n))) for n in zf.namelist()}


def test_workbooks_pass_zeelands_own_checks(tmp_path):
    out = tmp_path / "lmvw_GM0718_2026-najaar_zeeland.zip"
    plans = [plan("Havenkwartier"), plan("Oost: fase 2/3", years={2030: 20, 2043: 16}), plan("Havenkwartier")]
    facts = z.write(str(out), plans)
    books = _books(out)
    assert sorted(books) == sorted(facts["files"]) == ["Havenkwartier (2).xlsx", "Havenkwartier.xlsx",
                                                        "Oost_ fase 2_3.xlsx"]
    for name, wb in books.items():
        assert len(wb.worksheets) == 1
        cats = read_like_zeeland(wb.worksheets[0])
        assert len(cats) == 20, name                     # every category found by label and group
        assert zeeland_checks(cats) == [], name
        assert cats[("Nieuwbouw", "nieuwbouw")][0] == 40
    assert sorted(os.listdir(tmp_path)) == [out.name]    # nothing else left beside it


def test_layout_both_importer_versions_read(tmp_path):
    out = tmp_path / "z.zip"
    z.write(str(out), [plan("Plan [A]: *x*?")])
    (wb,) = _books(out).values()
    ws = wb.worksheets[0]
    assert ws.title == "Plan _A__ _x__"                 # no [ ] : * ? / \ in a sheet name
    # first version: A1:A16 the labels, B the values
    assert [ws.cell(row=r, column=1).value for r in range(1, 17)] == list(z.PLAN_LABELS)
    assert ws["B1"].value == "Plan [A]: *x*?" and ws["B5"].value == "Zeeland" and ws["B12"].value == 0
    # current version: the years as numbers in row 1, header in 18, categories from 19 with B on every row
    assert [ws.cell(row=1, column=c).value for c in range(7, 27)] == list(range(2024, 2044))
    assert [ws.cell(row=18, column=c).value or "" for c in range(1, 28)] == list(z.HEADER)
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(19, 39)] == \
        list(z.CATEGORIES)
    assert not ws.merged_cells.ranges
    # the template's checks as formulas
    assert ws["D20"].value == "=C19-SUM(C20:C22)" and ws["D23"].value == "=C19-SUM(C23:C27)"
    assert ws["D28"].value == "=C19-SUM(C28:C29)" and ws["D30"].value == "=C19-SUM(C30:C37)"
    assert ws["F19"].value == "=C19-E19" and ws["AA19"].value == "=F19-SUM(G19:Z19)"
    assert ws["AA38"].value is None and ws["D19"].value is None
    # literal numbers where the importer reads
    assert ws["C19"].value == 40 and ws["E19"].value == 4 and ws["J19"].value == 20     # J = 2027


def _refused(tmp_path, plans):
    out = tmp_path / "z.zip"
    out.write_bytes(b"earlier export")
    with pytest.raises(z.XlsxRefused) as exc:
        z.write(str(out), plans)
    assert out.read_bytes() == b"earlier export"
    assert sorted(os.listdir(tmp_path)) == ["z.zip"]
    return exc.value.findings


def test_multipart_plan_is_refused_naming_the_fix(tmp_path):
    (f,) = _refused(tmp_path, [plan("Goed"), plan("Twee delen", geometry=TWO)])
    assert f.rule == z.MULTIPART and f.plan_id == "id-Twee delen"
    assert "2 losse vlakken" in f.message and "één vlak" in f.message and "samen" in f.message


def test_year_outside_the_columns_is_refused(tmp_path):
    p = plan("Laat", years={2027: 20, 2044: 16})
    (f,) = [f for f in _refused(tmp_path, [p]) if f.rule == z.YEAR_OUTSIDE]
    assert "2044" in f.message and "2024" in f.message and "2043" in f.message


def test_a_group_that_does_not_add_up_is_refused(tmp_path):
    p = plan()
    p["rows"][("Eengezins", "woningtype")] = (11, 4, {2027: 7})
    found = _refused(tmp_path, [p])
    assert {f.rule for f in found} == {z.GROUP_SUM}
    assert any("woningtype" in f.message and "41" in f.message for f in found)


def test_fully_realised_row_is_a_warning_not_a_refusal(tmp_path):
    p = plan()
    found = [f for f in z.check([p]) if f.rule == z.DROPPED]
    assert found == []
    p["rows"][("Eengezins", "woningtype")] = (4, 4, {})
    p["rows"][("Meergezins", "woningtype")] = (36, 0, {2027: 20, 2028: 16})
    (f,) = [f for f in z.check([p]) if f.rule == z.DROPPED]
    assert f.severity == "warning"
    z.write(str(tmp_path / "z.zip"), [p])
    assert (tmp_path / "z.zip").exists()


def test_english_message():
    use_catalog("en")
    (f,) = z.check([plan("Twee", geometry=TWO)])
    assert f.message.startswith("Plan 'Twee' consists of 2 separate polygons")


def test_the_plugin_zip_carries_openpyxl_for_a_python_without_it(tmp_path):
    """Debian's QGIS Python has no openpyxl: the copy in the zip's lmvw_plugin/ext/ is used."""
    import subprocess
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
    try:
        import build_zip
    finally:
        sys.path.pop(0)
    pkg = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lmvw_plugin")
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as zf:
        build_zip._bundle(zf)
        for rel in ("__init__.py", "common/__init__.py", "common/vendor.py"):
            zf.write(os.path.join(pkg, rel), "lmvw_plugin/" + rel)
    names = zipfile.ZipFile(tmp_path / "p.zip").namelist()
    assert "lmvw_plugin/ext/openpyxl-3.1.5.dist-info/LICENCE.rst" in names
    zipfile.ZipFile(tmp_path / "p.zip").extractall(tmp_path)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from lmvw_plugin.common import vendor; "
            "m = vendor.load('openpyxl'); wb = m.Workbook(); wb.save(sys.argv[1] + '/t.xlsx'); print(m.__file__)")
    # -I: isolated, without the venv's site-packages, like a QGIS Python without openpyxl
    run = subprocess.run([sys.base_prefix + "/bin/python3", "-I", "-c", code, str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().startswith(str(tmp_path / "lmvw_plugin" / "ext" / "openpyxl"))
    assert (tmp_path / "t.xlsx").stat().st_size > 0


def test_a_plan_without_full_fasering_is_a_warning(tmp_path):
    p = plan()
    p["rows"] = {("Nieuwbouw", "nieuwbouw"): (40, 4, {}), ("Eengezins", "woningtype"): (40, 4, {}),
                 ("Regulier", "wonen en zorg"): (40, 4, {}), ("Regulier permanent", "flexwoningen"): (40, 4, {}),
                 ("Koop dure koop", "betaalbaarheid"): (40, 4, {})}
    found = z.check([p])
    assert [(f.rule, f.severity) for f in found] == [(z.UNPLANNED, "warning")]
    assert "0 van de 36" in found[0].message


def test_a_concept_is_written_as_it_is(tmp_path):
    p = plan("Laat", years={2027: 20, 2044: 16}, geometry=TWO)
    with pytest.raises(z.XlsxRefused):
        z.write(str(tmp_path / "z.zip"), [p])
    z.write(str(tmp_path / "z.zip"), [p], strict=False)
    (wb,) = _books(tmp_path / "z.zip").values()
    assert wb.worksheets[0]["J19"].value == 20 and wb.worksheets[0]["AA1"].value is None
