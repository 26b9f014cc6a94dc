"""Issue 7 §3: every value a rule reads is read as it is stored in the GeoPackage (SQLite is
dynamically typed), an out-of-type value is a finding on its field with the value, and every file
of a package (GeoPackage, CSVs, manifest) carries the values the validator saw."""
from __future__ import annotations

import csv
import json
import os
import sqlite3
import zipfile

import numpy as np
import pytest
from osgeo import gdal

from lmvw_plugin.cli import main
from pkg_util import clean_plans, write_plans

PEIL = "2026-10-01"


def plans_gpkg(path):
    p = clean_plans(4)
    return write_plans(path, p.records, p.geometries, p.fasering)


def execute(path, *sql):
    """SQL through GDAL (whose GeoPackage triggers need its SQL functions)."""
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_UPDATE)
    for s in sql:
        ds.ExecuteSQL(s)
    ds = None


def validate_json(path, tmp_path):
    out = tmp_path / "f.json"
    code = main(["validate", str(path), "--peildatum", PEIL, "--json", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("column, stored, rule, shown", [
    ("sloop", "'abc'", "R03", "abc"),                     # text in a count (read as 0 before)
    ("eengezins", "2.5", "R03", "2,50"),                  # a fraction (read as 2)
    ("meergezins", "'12abc'", "R03", "12abc"),            # (read as 12)
    ("dure_koop", "1e30", "R03", "1e+30"),                # (read as -1, reported as "is -1")
    ("sloop_gerealiseerd", "9223372036854775808", "R03", "9.22337e+18"),   # 2**63: stored as a real
    ("prijspeil_jaar", "'twintig'", "R25", "twintig"),    # an int that is not a count
    ("gerealiseerd", "2", "R25", "'2'"),                  # a boolean neither true nor false
    ("vervallen", "'misschien'", "R25", "misschien"),
    ("datum_vervallen", "'2026-02-30'", "R25", "2026-02-30"),   # a date that does not exist
    ("gewijzigd_op", "'gisteren'", "R25", "gisteren"),          # (read as 1970-01-01 or NULL)
    ("plannaam", "X'00FF41'", "R25", "X'00FF41'"),               # a blob in a text field
    ("plannaam", "CAST(X'41FF42' AS TEXT)", "R25", "A\ufffdB"),   # text that is not UTF-8
])
def test_out_of_type_values_are_findings_with_the_value(tmp_path, column, stored, rule, shown):
    path = plans_gpkg(tmp_path / "p.gpkg")
    assert main(["validate", path, "--peildatum", PEIL]) == 0
    execute(path, f"UPDATE woningbouwplannen SET {column} = {stored} WHERE fid = 2")
    code, data = validate_json(path, tmp_path)
    assert code == 1
    hits = [f for f in data["findings"] if f["rule"] == rule and f["field"] == column]
    assert len(hits) == 1, data["findings"]
    assert shown in hits[0]["message"]
    assert not [f for f in data["findings"] if f["rule"] == "R01"]     # not reported as empty as well


def test_out_of_type_fasering_values_are_findings(tmp_path):
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE fasering SET aantal = 'x' WHERE fid = 1", "UPDATE fasering SET jaar = 2027.5 WHERE fid = 2")
    code, data = validate_json(path, tmp_path)
    assert code == 1
    got = {(f["rule"], f["field"]) for f in data["findings"]}
    assert ("R03", "fasering.aantal") in got and ("R25", "fasering.jaar") in got


def package_values(zip_path, tmp_path):
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp_path / "pkg")
    con = sqlite3.connect(tmp_path / "pkg" / "woningbouwplannen.gpkg")
    con.row_factory = sqlite3.Row
    gpkg = [dict(r) for r in con.execute("SELECT * FROM woningbouwplannen ORDER BY fid")]
    fas = [dict(r) for r in con.execute("SELECT * FROM fasering ORDER BY fid")]
    con.close()
    with open(tmp_path / "pkg" / "woningbouwplannen.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(tmp_path / "pkg" / "fasering.csv", encoding="utf-8") as fh:
        frows = list(csv.DictReader(fh))
    manifest = json.loads((tmp_path / "pkg" / "manifest.json").read_text(encoding="utf-8"))
    return gpkg, rows, fas, frows, manifest


def as_csv(v):
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def assert_files_agree(gpkg, rows, fas, frows, standard):
    types = {f.name: f.type for f in standard.fields}
    assert len(gpkg) == len(rows)
    for g, c in zip(gpkg, rows):
        for name, v in g.items():
            if name in ("fid", "geom") or name not in c:
                continue
            t = types.get(name)
            if t == "int":
                assert v is None or isinstance(v, (int, float)), (name, v)
            elif t in ("text", "date", "datetime"):
                assert v is None or isinstance(v, str), (name, v)
            if t == "bool" or name == "harde_plancapaciteit":
                assert v in (None, 0, 1), (name, v)
                expect = "" if v is None else ("true" if v else "false")
            else:
                expect = as_csv(v)
            assert c[name] == expect, (name, v, c[name])
    assert [[as_csv(r[k]) for k in ("plan_id", "jaar", "aantal", "sloop")] for r in fas] == \
           [[r[k] for k in ("plan_id", "jaar", "aantal", "sloop")] for r in frows]


def test_concept_package_files_agree_with_what_was_validated(tmp_path, standard):
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE woningbouwplannen SET sloop = 'abc', gerealiseerd = 2 WHERE fid = 1",
            "UPDATE woningbouwplannen SET eengezins = 2.5, bruto_plancapaciteit = 1e30 WHERE fid = 2",
            "UPDATE woningbouwplannen SET datum_vervallen = 'nooit', plannaam = X'41' WHERE fid = 3",
            "UPDATE woningbouwplannen SET opmerkingen = CAST(X'41FF42' AS TEXT) WHERE fid = 4",
            "UPDATE fasering SET aantal = 'x' WHERE fid = 1")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", path, "--uitvraag", "2026-najaar", "--peildatum", PEIL, "--concept", "-o", str(out)]) == 0
    gpkg, rows, fas, frows, manifest = package_values(out / "lmvw_GM0344_2026-najaar.zip", tmp_path)
    assert_files_agree(gpkg, rows, fas, frows, standard)
    by_fid = {g["fid"]: g for g in gpkg}
    assert by_fid[1]["sloop"] is None and by_fid[1]["gerealiseerd"] is None     # unreadable: not delivered raw
    assert by_fid[2]["eengezins"] == 2.5                                        # what R03 reported
    assert by_fid[2]["bruto_plancapaciteit"] is None
    assert by_fid[3]["plannaam"] is None and by_fid[3]["datum_vervallen"] is None
    assert by_fid[4]["opmerkingen"] is None                                      # not UTF-8: not delivered raw
    assert manifest["counts"]["bruto"] == sum(g["bruto_plancapaciteit"] or 0 for g in gpkg)
    assert manifest["validation"]["errors"] > 0 and manifest["concept"] is True


def test_final_package_never_copies_a_value_stored_as_another_type(tmp_path, standard):
    """Values that read as valid but are stored otherwise ('ja' in a boolean, 2026/09/01 in a
    date) are delivered as the validator read them, not copied raw beside CSVs that differ."""
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE woningbouwplannen SET vervallen = 'nee', geclusterd_min50pct_55plus = 'ja' WHERE fid = 2",
            "UPDATE woningbouwplannen SET gewijzigd_op = '2026-09-01 10:00:00' WHERE fid = 3")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", path, "--uitvraag", "2026-najaar", "--peildatum", PEIL, "-o", str(out)]) == 0
    gpkg, rows, fas, frows, manifest = package_values(out / "lmvw_GM0344_2026-najaar.zip", tmp_path)
    assert_files_agree(gpkg, rows, fas, frows, standard)
    by_name = {g["plannaam"]: g for g in gpkg}
    assert sorted((g["vervallen"], g["geclusterd_min50pct_55plus"]) for g in by_name.values()).count((0, 1)) == 1
    assert sum(1 for g in gpkg if (g["gewijzigd_op"] or "").startswith("2026-09-01T10:00:00")) == 1
    assert manifest["concept"] is False


def test_clean_source_is_still_copied_fast(tmp_path, standard):
    from lmvw_plugin.storage import ogr as ogrio
    path = plans_gpkg(tmp_path / "p.gpkg")
    plans, _ = ogrio.read_plans(path, standard)
    assert plans.origin is not None and ogrio.read_fasering(path, standard).origin is not None
    execute(path, "UPDATE woningbouwplannen SET vervallen = 'nee' WHERE fid = 1")
    plans, _ = ogrio.read_plans(path, standard)
    assert plans.origin is None and plans.bad == {} and plans.columns["vervallen"][0] == 0.0
    assert os.path.exists(path)


def test_qgis_reader_reads_values_as_stored(tmp_path, standard, qgis_app):
    """QGIS's OGR provider shows 'abc' in a count as 0, 2.5 as 2, 1e30 as -1, a boolean 2 as
    true: the dock must make the same findings as the command line; an unsaved edit wins."""
    from qgis.core import QgsVectorLayer

    from lmvw_plugin.layers.reader import read_plan_layer
    from lmvw_plugin.rules.engine import Validator
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE woningbouwplannen SET sloop = 'abc', gerealiseerd = 2 WHERE fid = 1",
            "UPDATE woningbouwplannen SET eengezins = 2.5, dure_koop = 1e30 WHERE fid = 2")
    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "plans", "ogr")
    assert layer.isValid()
    import datetime as dt
    v = Validator(standard, "nl", dt.date(2026, 10, 1))
    got = {(f.rule, f.field, f.fid) for f in v.validate(read_plan_layer(layer, standard)).findings}
    assert {("R03", "sloop", 1), ("R25", "gerealiseerd", 1), ("R03", "eengezins", 2), ("R03", "dure_koop", 2)} <= got
    cli = validate_json(path, tmp_path)[1]
    assert {(f["rule"], f["field"]) for f in cli["findings"]} == {(r, fld) for r, fld, _ in got}
    layer.startEditing()
    layer.changeAttributeValue(1, layer.fields().indexOf("sloop"), 0)
    t = read_plan_layer(layer, standard, fids=[1])
    assert "sloop" not in t.bad and t.columns["sloop"][0] == 0 and t.bad["gerealiseerd"] == {0: 2}
    layer.rollBack()


def test_integer_column_used_as_boolean_two_is_neither(standard):
    """Formats without a boolean type (an integer field, read by GDAL's Arrow stream as numbers):
    2 is neither true nor false and is reported, not kept as a 'true-ish' 2.0."""
    import numpy as np

    from lmvw_plugin.rules.table import PlanTable
    cols = {f.name: None for f in standard.fields}
    cols["vervallen"] = np.ma.masked_array(np.array([0, 1, 2, 0]), mask=[False, False, False, True])
    t = PlanTable.from_columns(standard, cols, [None] * 4, strict=False)
    assert t.bad["vervallen"] == {2: 2}
    assert np.isnan(t.columns["vervallen"][2]) and np.isnan(t.columns["vervallen"][3])


def test_qgis_fasering_reader_reads_values_as_stored(tmp_path, standard, qgis_app):
    from qgis.core import QgsVectorLayer

    from lmvw_plugin.layers.reader import read_fasering_layer
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE fasering SET aantal = 'x' WHERE fid = 1", "UPDATE fasering SET jaar = 2027.5 WHERE fid = 2")
    layer = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    t = read_fasering_layer(layer, standard)
    assert t.bad["aantal"] == {0: "x"} and 1 in t.bad["jaar"]


def test_stored_value_scan_is_cached_until_the_file_changes(tmp_path, standard):
    """The dock re-reads one edited plan at a time: the full scan is kept while the file is
    unchanged, and a save (a new off-type value) is seen on the next read."""
    import numpy as np

    from lmvw_plugin.storage import ogr as ogrio
    path = plans_gpkg(tmp_path / "p.gpkg")

    def read(only=None):
        n = 4 if only is None else len(only)
        cols = {f.name: (np.zeros(n) if f.type in ("int", "bool") else np.full(n, None, dtype=object))
                for f in standard.fields}
        bad = {}
        fids = np.arange(1, 5) if only is None else np.asarray(only)
        ogrio.apply_stored_values(path, "woningbouwplannen", standard.fields, cols, bad, fids, None, None, only)
        return bad
    assert read() == {} and read([2]) == {}
    execute(path, "UPDATE woningbouwplannen SET sloop = 'abc' WHERE fid = 2")
    assert read([2]) == {"sloop": {0: "abc"}}


def test_threaded_scan_finds_what_the_gdal_scan_finds(tmp_path, standard):
    """The plan layer's scan runs on its own SQLite connection beside GDAL's read: it reports the
    same cells as the scan through GDAL (which the dock's one-plan reads use)."""
    from lmvw_plugin.storage import ogr as ogrio
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE woningbouwplannen SET sloop = 'abc', gerealiseerd = 2 WHERE fid = 2",
            "UPDATE woningbouwplannen SET datum_vervallen = '2026-02-30', plannaam = x'00ff' WHERE fid = 3")
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName("woningbouwplannen")
    threaded = ogrio._StoredScan(ds, lyr, str(path), standard.fields).result()
    direct = ogrio._scan_stored(ds, lyr, standard.fields)
    ds = None
    assert threaded == direct
    assert set(threaded) == {"sloop", "gerealiseerd", "datum_vervallen", "plannaam"}


def test_background_tasks_read_fasering_values_as_stored(tmp_path, standard, qgis_app):
    """The dock's Valideer and the dialog's export read the fasering in a task, from a feature
    source: they get what the main thread prepared, so 'x' in aantal is a finding there too (QGIS
    shows it as 0)."""
    import datetime as dt

    from qgis.core import QgsVectorLayer, QgsVectorLayerFeatureSource

    from lmvw_plugin.gui.tasks import ValidateTask
    from lmvw_plugin.layers.reader import PlanSource, fasering_stored
    from lmvw_plugin.rules.engine import Validator
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE fasering SET aantal = 'x' WHERE fid = 1")
    plans = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "plannen", "ogr")
    fasering = QgsVectorLayer(f"{path}|layername=fasering", "fasering", "ogr")
    task = ValidateTask("t", PlanSource(plans, standard), QgsVectorLayerFeatureSource(fasering),
                        Validator(standard, "nl", dt.date(2026, 10, 1)), lambda t: None,
                        fasering_stored(fasering))
    assert task.run(), task.error
    found = [(f.rule, f.field) for f in task.result.findings()]
    assert ("R03", "fasering.aantal") in found, found


def _same_table(a, b):
    assert list(a.fids) == list(b.fids)
    assert set(a.columns) == set(b.columns)
    def cells(col):
        return [repr(v) for v in np.ma.asarray(col, dtype=object).filled(None).tolist()]
    for name in a.columns:
        assert cells(a.columns[name]) == cells(b.columns[name]), name
    assert a.bad == b.bad


def test_plans_and_fasering_read_at_once_are_read_as_apart(tmp_path, standard):
    """The validation and the intake read a GeoPackage's two tables through one opening of the
    file: the same tables, out-of-type cells included, as the two reads apart; the SpatiaLite
    setting it opens with is not left behind for the user's own GDAL work."""
    from lmvw_plugin.storage import ogr as ogrio
    path = plans_gpkg(tmp_path / "p.gpkg")
    execute(path, "UPDATE woningbouwplannen SET sloop = 'abc' WHERE fid = 2",
            "UPDATE fasering SET aantal = 'x' WHERE fid = 1")
    plans, info, fas = ogrio.read_plans_and_fasering(path, standard, facts=True)
    apart, info2 = ogrio.read_plans(path, standard, facts=True)
    fas2 = ogrio.read_fasering(path, standard)
    _same_table(plans, apart)
    assert [g.wkb for g in plans.geometry] == [g.wkb for g in apart.geometry]
    assert plans.geometry_facts().valid.tolist() == apart.geometry_facts().valid.tolist()
    assert info == info2
    assert fas.bad == fas2.bad and fas.bad["aantal"]
    assert [[repr(v) for v in fas.column(f.name)] for f in standard.fasering_fields] == \
           [[repr(v) for v in fas2.column(f.name)] for f in standard.fasering_fields]
    assert gdal.GetThreadLocalConfigOption("SPATIALITE_LOAD", None) is None
    assert gdal.GetConfigOption("SPATIALITE_LOAD") is None


def test_damaged_fasering_read_at_once_is_a_source_error_after_the_parse(tmp_path, standard, monkeypatch):
    """A fasering table GDAL cannot read is the file's problem in words (SourceError), raised only
    after the plans' geometries in the background are parsed (no thread works on after it)."""
    import time

    from lmvw_plugin.storage import ogr as ogrio
    path = plans_gpkg(tmp_path / "p.gpkg")
    real_parse, parsed = ogrio._parse, []

    def slow_parse(*a, **k):                  # still parsing when the fasering fails
        time.sleep(0.3)
        out = real_parse(*a, **k)
        parsed.append(True)
        return out

    def damaged(*a, **k):
        raise RuntimeError("database disk image is malformed")
    monkeypatch.setattr(ogrio, "_parse", slow_parse)
    monkeypatch.setattr(ogrio, "_read_fasering", damaged)
    with pytest.raises(ogrio.SourceError):
        ogrio.read_plans_and_fasering(path, standard, facts=True)
    assert parsed == [True]
