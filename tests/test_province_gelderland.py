"""The Gelderland File Geodatabase, read back with GDAL: its schema is the template's
(gelderland_schema.json) field by field, every value is inside its domain, every DetailPlanning
row has its parent, and values the template cannot hold are refused before anything is written."""
from __future__ import annotations

import os
import uuid
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from osgeo import gdal, ogr

from lmvw_plugin.delivery import filegdb as g
from lmvw_plugin.i18n import use_catalog

gdal.UseExceptions()
SQUARE = ogr.CreateGeometryFromWkt(
    "MULTIPOLYGON(((190000 440000,190100 440000,190100 440100,190000 440100,190000 440000)))").ExportToWkb()
GMA = {"gemeente": "Arnhem", "regio": "Groene Metropoolregio Arnhem-Nijmegen"}


@pytest.fixture(autouse=True)
def _dutch():
    """Dutch messages without Qt, as on the command line; the catalog as it was afterwards."""
    from lmvw_plugin import i18n
    before = i18n._catalog
    use_catalog("nl")
    yield
    i18n._catalog = before


def plans_and_rows(n=3, years=(2027, 2028)):
    plans, rows = [], []
    for i in range(n):
        pid = str(uuid.UUID(int=i + 1))
        plans.append({"koppelid": pid, "plannaam": f"Plan {i}", **GMA, "woonplaats": "Arnhem",
                      "status_planologisch": "3. In voorbereiding", "plantype": "Verdichting",
                      "vertrouwelijkheid": "Openbaar", "projectfase": "1. Initiatief", "totaal_bouw": 20,
                      "oplevering_eerste": years[0], "oplevering_laatste": years[-1], g.GEOMETRY: SQUARE})
        for y in years:
            rows.append({g.KOPPELID: pid, "jaartal": y, **GMA, "vertrouwelijkheid": "Openbaar",
                         "meergezins_koop2": 6, "eengezins_huur3": 4, "sloop_onbekend_onbekend": 1})
    return plans, rows


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("gld") / "lmvw_GM0202_2026-najaar_gelderland.gdb.zip"
    plans, rows = plans_and_rows()
    g.write(str(out), plans, rows, gdb_name="lmvw_GM0202_2026-najaar_gelderland", creator="GM0202")
    return out


def _open(path):
    return gdal.OpenEx(str(path), gdal.OF_VECTOR)


def rows_of(path, layer):
    """A layer's features as plain dicts (no GDAL object outlives its dataset)."""
    ds = _open(path)
    out = []
    for f in ds.GetLayerByName(layer):
        d = f.items()
        g_ = f.GetGeometryRef()
        d["_geom_type"] = g_.GetGeometryType() if g_ is not None else None
        out.append(d)
        f = None
    ds = None
    return out


def _type_name(fd):
    t = ogr.GetFieldTypeName(fd.GetType())
    return f"{t}(Int16)" if fd.GetSubType() == ogr.OFSTInt16 else t


def test_zip_holds_one_gdb_folder(written):
    with zipfile.ZipFile(written) as zf:
        tops = {n.split("/")[0] for n in zf.namelist()}
    assert tops == {"lmvw_GM0202_2026-najaar_gelderland.gdb"}
    assert not [n for n in os.listdir(written.parent) if n != written.name]     # no temporaries left


def test_schema_equals_the_template_field_by_field(written):
    sch = g.schema()
    ds = _open(written)
    assert [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())] == list(sch["layers"])
    for name, spec in sch["layers"].items():
        lyr = ds.GetLayerByName(name)
        fields = spec["fields"]
        oid = [f["name"] for f in fields if f["esri_type"] == "esriFieldTypeOID"]
        geom = [f["name"] for f in fields if f["esri_type"] == "esriFieldTypeGeometry"]
        assert lyr.GetFIDColumn() == oid[0]
        assert (lyr.GetGeometryColumn() or None) == (geom[0] if geom else None)
        expected = [f for f in fields if f["esri_type"] not in ("esriFieldTypeOID", "esriFieldTypeGeometry")]
        defn = lyr.GetLayerDefn()
        got = [defn.GetFieldDefn(i) for i in range(defn.GetFieldCount())]
        assert [fd.GetName() for fd in got] == [f["name"] for f in expected], name
        for fd, f in zip(got, expected):
            where = f"{name}.{f['name']}"
            assert _type_name(fd) == f["gdal_type"], where
            assert fd.GetWidth() == (f["width"] or 0), where
            assert bool(fd.IsNullable()) == f["nullable"], where
            assert (fd.GetDomainName() or None) == f["domain"], where
            assert (fd.GetAlternativeName() or None) == (f["alias"] or None), where
        # the Esri types (GlobalID, GUID, SmallInteger ...) as the geodatabase's catalogue has them
        esri = g.esri_types(ds, name)
        assert {k: esri[k] for k in [f["name"] for f in fields]} == {f["name"]: f["esri_type"] for f in fields}
        assert [k for k in esri if k not in oid + geom] == [f["name"] for f in expected]
        if spec.get("wkid"):
            assert lyr.GetSpatialRef().GetAuthorityCode(None) == spec["wkid"]


def test_domains_and_relationships_are_the_templates(written):
    sch = g.schema()
    ds = _open(written)
    assert sorted(ds.GetFieldDomainNames()) == sorted(sch["domains"])
    for name, spec in sch["domains"].items():
        dom = ds.GetFieldDomain(name)
        assert dom.GetDomainType() == ogr.OFDT_CODED
        assert dom.GetEnumeration() == {cv["code"]: cv["name"] for cv in spec["coded_values"]}, name
    assert sorted(ds.GetRelationshipNames()) == sorted(r["name"] for r in sch["relationships"])
    for r in sch["relationships"]:
        rel = ds.GetRelationship(r["name"])
        assert (rel.GetLeftTableName(), rel.GetRightTableName()) == (r["origin"], r["destination"])
        assert rel.GetLeftTableFields() == [r["origin_primary_key"]]
        assert rel.GetRightTableFields() == [r["origin_foreign_key"]]
        assert rel.GetCardinality() == gdal.GRC_ONE_TO_MANY


def test_values_inside_domains_and_every_row_has_its_parent(written):
    sch = g.schema()
    gids = {}
    for f in rows_of(written, "Planregistratie"):
        gids[f["GlobalID"]] = f["koppelid"]
        assert f["provincie"] == "Gelderland"
        assert f["_geom_type"] == ogr.wkbMultiPolygon
        assert f["SHAPE_Area"] == pytest.approx(10000)
    assert len(gids) == 3 and all(g.GUID_RE.match(k) for k in gids)
    rows = rows_of(written, "DetailPlanning")
    assert len(rows) == 6
    for r in rows:
        assert r["parent_globalid"] in gids
        assert r["meergezins_koop2"] == 6 and r["eengezins_huur3"] == 4 and r["meergezins_koop1"] == 0
    # one row per (parent, jaartal)
    assert len({(r["parent_globalid"], r["jaartal"]) for r in rows}) == len(rows)
    for name, spec in sch["layers"].items():
        doms = {f["name"]: f["domain"] for f in spec["fields"] if f["domain"]}
        for feat in rows_of(written, name):
            for fld, dom in doms.items():
                v = feat[fld]
                assert v is None or v in g.domain_codes(dom), (name, fld, v)
    assert len(rows_of(written, "Gemeenten")) == 335
    assert len(rows_of(written, "Regiovelden")) == 198
    gm = {f["gemeentecode"]: f["gemeentenaam"] for f in rows_of(written, "Gemeenten")}
    assert len(gm) == 51 and gm["GM0202"] == "Arnhem"


def _refused(tmp_path, plans, rows):
    out = tmp_path / "x.gdb.zip"
    out.write_bytes(b"earlier export")
    with pytest.raises(g.GdbRefused) as exc:
        g.write(str(out), plans, rows, gdb_name="x")
    assert out.read_bytes() == b"earlier export"                          # untouched
    assert sorted(os.listdir(tmp_path)) == ["x.gdb.zip"]                  # nothing else written
    return exc.value.findings


def test_int16_overflow_is_refused_never_wrapped(tmp_path):
    plans, rows = plans_and_rows(1)
    rows[0]["meergezins_koop2"] = 70000
    found = _refused(tmp_path, plans, rows)
    assert [(f.rule, f.field) for f in found] == [(g.INT16_RANGE, "meergezins_koop2")]
    assert "70000" in found[0].message and "32767" in found[0].message and "2027" in found[0].message
    assert "past niet in het veld van het sjabloon" in found[0].message          # Dutch first


def test_domain_miss_is_refused_with_the_list_named(tmp_path):
    plans, rows = plans_and_rows(1)
    plans[0]["vertrouwelijkheid"] = "Provincie"
    plans[0]["status_planologisch"] = "5A. Ambtelijk met locatie"
    found = _refused(tmp_path, plans, rows)
    assert {(f.rule, f.field) for f in found} == {(g.DOMAIN_MISS, "vertrouwelijkheid"),
                                                 (g.DOMAIN_MISS, "status_planologisch")}
    assert any("DOMAIN_VERTROUWELIJKHEID" in f.message and '"Provincie"' in f.message for f in found)
    assert all(f.plan_id == plans[0]["koppelid"] for f in found)


def test_width_not_null_and_orphans_are_refused(tmp_path):
    plans, rows = plans_and_rows(1)
    plans[0]["opmerkingen_basis"] = "x" * 1001
    del plans[0]["regio"]
    rows.append({g.KOPPELID: "elsewhere", "jaartal": 2030, **GMA})
    found = _refused(tmp_path, plans, rows)
    assert {(f.rule, f.field) for f in found} == {(g.TOO_LONG, "opmerkingen_basis"), (g.NOT_NULL, "regio"),
                                                 (g.NO_PARENT, "DetailPlanning")}


def test_english_messages(tmp_path):
    use_catalog("en")
    plans, rows = plans_and_rows(1)
    rows[0]["jaartal"] = 40000
    (f,) = g.check(plans, rows)
    assert f.message.startswith("DetailPlanning 40000: jaartal = 40000 does not fit")


def test_old_gdal_names_the_versions_that_can(monkeypatch):
    assert g.gdal_problem() is None
    monkeypatch.setattr(gdal, "VersionInfo", lambda what="VERSION_NUM": "3040100")
    msg = g.gdal_problem()
    assert "GDAL 3.6" in msg and "QGIS 3.28" in msg and gdal.__version__ in msg
    with pytest.raises(g.GdbError):
        g.write("/nonexistent/x.gdb.zip", [], [], gdb_name="x")


def test_a_concept_writes_domain_misses_but_never_wraps(tmp_path):
    plans, rows = plans_and_rows(1)
    plans[0]["plantype"] = "Iets anders"
    g.write(str(tmp_path / "c.gdb.zip"), plans, rows, gdb_name="c", strict=False)
    (f,) = rows_of(tmp_path / "c.gdb.zip", "Planregistratie")
    assert f["plantype"] == "Iets anders"
    rows[0]["jaartal"] = 70000
    with pytest.raises(g.GdbRefused) as exc:
        g.write(str(tmp_path / "d.gdb.zip"), plans, rows, gdb_name="d", strict=False)
    assert [f.rule for f in exc.value.findings] == [g.INT16_RANGE]
    assert not (tmp_path / "d.gdb.zip").exists()


def _template(tmp_path, broken=False):
    """A stand-in for the province's Gelderland.gdb.zip: the schema with its lookup tables and one
    row of its own in Gemeenten (the template has test rows)."""
    gdb = tmp_path / "Gelderland.gdb"
    g.build(str(gdb))
    ds = gdal.OpenEx(str(gdb), gdal.OF_VECTOR | gdal.OF_UPDATE)
    lyr = ds.GetLayerByName("Gemeenten")
    f = ogr.Feature(lyr.GetLayerDefn())
    f["plaatsnaam"], f["gemeentenaam"] = "PlaatsnaamA", "GemeenteA"
    lyr.CreateFeature(f)
    f = None
    if broken:
        det = ds.GetLayerByName("DetailPlanning")
        det.DeleteField(det.GetLayerDefn().GetFieldIndex("meergezins_koop1"))
    ds = None
    out = tmp_path / "Gelderland.gdb.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(os.listdir(gdb)):
            zf.write(gdb / name, f"Gelderland.gdb/{name}")
    return out


def test_export_can_start_from_the_provinces_template(tmp_path):
    tpl = _template(tmp_path)
    plans, rows = plans_and_rows(2)
    out = tmp_path / "out" / "x.gdb.zip"
    out.parent.mkdir()
    g.write(str(out), plans, rows, gdb_name="x", template=str(tpl))
    assert [r["gemeentenaam"] for r in rows_of(out, "Gemeenten")] == ["GemeenteA"]     # its own content kept
    assert len(rows_of(out, "Planregistratie")) == 2 and len(rows_of(out, "DetailPlanning")) == 4
    gids = {p["GlobalID"] for p in rows_of(out, "Planregistratie")}
    assert {d["parent_globalid"] for d in rows_of(out, "DetailPlanning")} <= gids
    ds = _open(out)
    assert sorted(ds.GetRelationshipNames()) == ["DetailPlanning", "REL_OVERKOEPELENDE_PLAN"]
    assert g.esri_types(ds, "DetailPlanning")["parent_globalid"] == "esriFieldTypeGUID"
    ds = None
    assert tpl.exists()                                                # the template itself untouched


def test_a_template_that_is_not_planregistratie_is_refused(tmp_path):
    tpl = _template(tmp_path, broken=True)
    plans, rows = plans_and_rows(1)
    with pytest.raises(g.GdbError) as exc:
        g.write(str(tmp_path / "x.gdb.zip"), plans, rows, gdb_name="x", template=str(tpl))
    assert "DetailPlanning.meergezins_koop1 ontbreekt" in str(exc.value) and "Gelderland.gdb.zip" in str(exc.value)
    assert not (tmp_path / "x.gdb.zip").exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".lmvw")]


def _detail_rows(plans, bad=False):
    """DetailRows of two years per plan; with `bad` a row the template cannot hold in each way
    (a cell past Int16, a year past Int16, a gemeente outside its domain, a plan without koppelid)."""
    import numpy as np
    types, prices = ["meergezins", "eengezins"], ["koop2", "huur2a", "huur2b"]
    names = [[f"{t}_{'huur2' if p.startswith('huur2') else p}" for p in prices] for t in types]
    copied = [{"gemeente": p.get("gemeente"), "regio": p.get("regio"), "vertrouwelijkheid": p.get("vertrouwelijkheid"),
               g.KOPPELID: p.get("koppelid")} for p in plans]
    plan_of = [j for j in range(len(plans)) for _ in range(2)]
    jaartal = [2027 + (r % 2) for r in range(len(plan_of))]
    joint = np.zeros((len(plan_of), 2, 3), dtype=np.int64)
    joint[:, 0, 0] = 6
    joint[:, 1, 1] = 3
    joint[:, 1, 2] = 1                      # huur2 from two Basisset classes: 4 together
    sloop = [1, 0] * len(plans)
    if bad:
        joint[1, 0, 0] = 70000
        jaartal[4] = 40000                  # plan 2, its first year
        copied[2]["gemeente"] = "Utrecht"
        copied[3][g.KOPPELID] = None
    return g.DetailRows(plan_of, copied, jaartal, {"bouw_gerealiseerd": "Nee", "sloop_gerealiseerd": "Nee"},
                        joint, names, sloop, "sloop_onbekend_onbekend")


def test_column_wise_detail_rows_are_the_dict_rows_checked_and_written_alike(tmp_path):
    plans, _ = plans_and_rows(4)
    rows = _detail_rows(plans)
    dicts = list(rows)
    assert dicts[0] == {"gemeente": "Arnhem", "regio": GMA["regio"], "vertrouwelijkheid": "Openbaar",
                        g.KOPPELID: plans[0]["koppelid"], "jaartal": 2027, "bouw_gerealiseerd": "Nee",
                        "sloop_gerealiseerd": "Nee", "meergezins_koop2": 6, "eengezins_huur2": 4,
                        "sloop_onbekend_onbekend": 1}
    bad = _detail_rows(plans, bad=True)
    found = g.problems(plans, bad)
    assert found == g.problems(plans, list(bad))           # only suspect rows looked at: the same problems
    assert {(p.code, p.field, p.year) for p in found} == {
        (g.INT16_RANGE, "meergezins_koop2", 2028), (g.INT16_RANGE, "jaartal", 40000),
        (g.DOMAIN_MISS, "gemeente", 40000), (g.DOMAIN_MISS, "gemeente", 2028),
        (g.NO_PARENT, g.DETAIL, 2027), (g.NO_PARENT, g.DETAIL, 2028)}
    a, b = tmp_path / "a.gdb.zip", tmp_path / "b.gdb.zip"
    when = __import__("datetime").datetime(2026, 11, 1, tzinfo=__import__("datetime").timezone.utc)
    g.write(str(a), plans, rows, gdb_name="a", creator="GM0202", when=when)
    g.write(str(b), plans, dicts, gdb_name="a", creator="GM0202", when=when)

    def detail(path):
        plan_of = {r["GlobalID"]: r["koppelid"] for r in rows_of(path, g.PLANS)}
        return [{**{k: v for k, v in r.items() if k != "GlobalID"}, "parent_globalid": plan_of[r["parent_globalid"]]}
                for r in rows_of(path, g.DETAIL)]
    assert detail(a) == detail(b) and len(detail(a)) == 8
    assert detail(a)[0]["eengezins_huur2"] == 4 and detail(a)[0]["sloop_onbekend_onbekend"] == 1


def test_every_globalid_is_unique_although_gdal_repeats_some(tmp_path):
    """GDAL 3.6 seeds each GlobalID with a counter plus seconds XOR microseconds: in 24,000 rows some
    come out twice (about 1 in 1,500). The writer renews those, so every DetailPlanning row points at
    one plan and no two rows share a GlobalID."""
    plans, rows = plans_and_rows(2000, years=tuple(range(2027, 2039)))
    out = tmp_path / "x.gdb.zip"
    g.write(str(out), plans, rows, gdb_name="x", creator="GM0202")
    ds = _open(out)
    for layer, n in ((g.PLANS, 2000), (g.DETAIL, 24000), (g.GEMEENTEN, 335)):
        lyr = ds.GetLayerByName(layer)
        at = lyr.GetLayerDefn().GetFieldIndex("GlobalID")
        ids = [f.GetFieldAsString(at) for f in lyr]
        assert len(ids) == n and len(set(ids)) == n, layer
    ds = lyr = None


def _unzipped(path, tmp_path):
    with zipfile.ZipFile(path) as zf:
        zf.extractall(tmp_path)
    (gdb,) = [p for p in tmp_path.iterdir() if p.suffix == ".gdb"]
    return gdb


def test_text_columns_through_arrow_are_the_features_values(written, tmp_path):
    """read_text_columns (GDAL's Arrow stream) gives what reading feature by feature gives: the
    FIDs in order, the text, and None where a value is null."""
    gdb = _unzipped(written, tmp_path)
    ds = gdal.OpenEx(str(gdb), gdal.OF_VECTOR | gdal.OF_UPDATE)
    lyr = ds.GetLayerByName(g.PLANS)
    feat = lyr.GetFeature(2)
    feat.SetFieldNull("woonplaats")
    lyr.SetFeature(feat)
    feat = None
    names = ["koppelid", "woonplaats", "GlobalID"]
    fids, cols = g.read_text_columns(lyr, names)
    lyr.ResetReading()
    want = [(f.GetFID(), [f.GetField(n) for n in names]) for f in lyr]
    assert fids == [w[0] for w in want]
    assert [list(r) for r in zip(*(cols[n] for n in names))] == [w[1] for w in want]
    assert cols["woonplaats"][1] is None and cols["woonplaats"][0] == "Arnhem"
    lyr = None
    ds = None


def test_a_globalid_used_twice_is_renewed(written, tmp_path, monkeypatch):
    """GDAL 3.6 can give two features the same GlobalID: the later one is rewritten until every
    GlobalID is unique (the duplicate is simulated: GDAL's own are too rare to wait for)."""
    gdb = _unzipped(written, tmp_path)
    ds = gdal.OpenEx(str(gdb), gdal.OF_VECTOR | gdal.OF_UPDATE)
    lyr = ds.GetLayerByName(g.DETAIL)
    real = g.read_text_columns
    fids, cols = real(lyr, ["GlobalID"])
    before = dict(zip(fids, cols["GlobalID"]))

    def with_a_duplicate(layer, names):
        f, c = real(layer, names)
        c = {k: list(v) for k, v in c.items()}
        c["GlobalID"][3] = c["GlobalID"][1]            # the fourth row "has" the second's GlobalID
        return f, c

    monkeypatch.setattr(g, "read_text_columns", with_a_duplicate)
    assert g.unique_globalids(lyr) == 1
    monkeypatch.setattr(g, "read_text_columns", real)
    fids, cols = real(lyr, ["GlobalID"])
    after = dict(zip(fids, cols["GlobalID"]))
    assert len(set(after.values())) == len(after)
    changed = [f for f in fids if after[f] != before[f]]
    assert changed == [fids[3]]
    assert g.GUID_RE.match(after[fids[3]])
    assert g.repeated([1, 2, 3, 4], ["a", "b", "a", "a"]) == [3, 4]
    lyr = None
    ds = None


def test_the_zip_begun_ahead_holds_the_files_as_they_end(tmp_path):
    """The large files are zipped while the rest is written; one changed after it was zipped is
    zipped again as it is at the end, and the zip holds every file exactly."""
    gdb = tmp_path / "x.gdb"
    gdb.mkdir()
    big = os.urandom(3000) * 400
    (gdb / "a00000009.gdbtable").write_bytes(big)
    (gdb / "a00000001.gdbtable").write_bytes(b"small")
    out = tmp_path / "x.gdb.zip"
    ahead = g._ZipAhead(str(gdb), "x.gdb", str(out), min_size=1 << 20)
    ahead.thread.join()
    (gdb / "a00000009.gdbtable").write_bytes(big[:-1] + b"!")        # rewritten after it was zipped
    (gdb / "a0000000a.gdbtable").write_bytes(b"written later")
    ahead.finish()
    with zipfile.ZipFile(out) as zf:
        got = {n: zf.read(n) for n in zf.namelist()}
    assert got == {"x.gdb/" + p.name: p.read_bytes() for p in gdb.iterdir()}
    assert not (tmp_path / "x.gdb.zip.part").exists()
    ahead = g._ZipAhead(str(gdb), "x.gdb", str(tmp_path / "y.gdb.zip"), min_size=1 << 20)
    ahead.abort()                                                      # a failure or cancel: nothing left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gdb", "x.gdb.zip"]


def _rowwise_problems(layer, rows):
    out = []
    for r in rows:
        g._check_row(layer, r, r, out)
    return out


_ODD = [None, "", "Arnhem", "Utrecht", "Openbaar", "x" * 300, 3, 7, 40000, -40000, 2 ** 40, True, False, 2.0,
        "{12345678-1234-1234-1234-123456789ABC}", "12345678-1234-1234-1234-123456789abc"]


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_values_found_a_field_at_a_time_are_found_row_by_row(data):
    """problems() looks only at the rows suspect_rows() leaves (a field at a time, on distinct
    values): the same problems in the same order as checking every row, whatever the values."""
    layer = data.draw(st.sampled_from([g.PLANS, g.DETAIL]))
    fields = [f["name"] for f in g._value_fields(layer)]
    base = plans_and_rows(1)[0][0] if layer == g.PLANS else plans_and_rows(1)[1][0]
    n = data.draw(st.integers(0, 12))
    # per field either one type throughout (the distinct-value path) or anything
    pools = {k: data.draw(st.sampled_from([_ODD, [v for v in _ODD if type(v) is int or v is None],
                                           [v for v in _ODD if type(v) is str or v is None]])) for k in fields}
    rows = []
    for _ in range(n):
        r = dict(base)
        for k in data.draw(st.lists(st.sampled_from(fields), max_size=6)):
            r[k] = data.draw(st.sampled_from(pools[k]))
        if data.draw(st.booleans()):
            r.pop(data.draw(st.sampled_from(sorted(r))), None)
        rows.append(r)
    want = _rowwise_problems(layer, rows)
    sus = g.suspect_rows(layer, rows)
    assert sus == sorted(set(sus))
    assert {id(p.plan) for p in want} <= {id(rows[i]) for i in sus}
    got = []
    for i in sus:
        g._check_row(layer, rows[i], rows[i], got)
    assert got == want
    if layer == g.PLANS:
        assert [p for p in g.problems(rows) if p.layer == g.PLANS] == want


def test_the_zip_begun_ahead_keeps_what_it_zipped_when_nothing_changed(tmp_path):
    """The usual case: the large file zipped ahead stays as it was, the files written after it are
    added behind it, and the zip holds every file exactly."""
    gdb = tmp_path / "x.gdb"
    gdb.mkdir()
    (gdb / "a00000009.gdbtable").write_bytes(os.urandom(3000) * 400)
    (gdb / "a00000001.gdbtable").write_bytes(b"small")
    out = tmp_path / "x.gdb.zip"
    ahead = g._ZipAhead(str(gdb), "x.gdb", str(out), min_size=1 << 20)
    (gdb / "a0000000a.gdbtable").write_bytes(b"written later" * 1000)
    ahead.finish()
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        got = {n: zf.read(n) for n in names}
    assert names[0] == "x.gdb/a00000009.gdbtable"            # zipped ahead, kept (a full zip is sorted)
    assert got == {"x.gdb/" + p.name: p.read_bytes() for p in gdb.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gdb", "x.gdb.zip"]


def test_a_null_is_set_where_gdal_would_fill_in_a_default():
    """A field left unset is written as null, except where the field has a default (a template's
    own fields may): GDAL would fill that in, so a null is set there explicitly."""
    ds = ogr.GetDriverByName("Memory").CreateDataSource("x")
    lyr = ds.CreateLayer(g.PLANS, None, ogr.wkbNone)
    plain, with_default = ogr.FieldDefn("woonplaats", ogr.OFTString), ogr.FieldDefn("plantype", ogr.OFTString)
    with_default.SetDefault("'Verdichting'")
    lyr.CreateField(plain)
    lyr.CreateField(with_default)
    s = g._Setter(lyr, g.PLANS, {})
    feat = s.feature({"woonplaats": None, "plantype": None})
    assert not feat.IsFieldSet(0)                             # unset: null in the file
    assert feat.IsFieldSet(1) and feat.IsFieldNull(1)         # null, not the default
    feat = s.feature({"woonplaats": "Arnhem", "plantype": "Verdichting"})
    assert feat.GetField(0) == "Arnhem" and feat.GetField(1) == "Verdichting"
    feat = lyr = None
    ds = None
