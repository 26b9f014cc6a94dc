"""`import SOURCE --into PG:"…" --schema S` (issue 12) against a real PostgreSQL + PostGIS: the new
plans and the changed ones are written into the plan register, everything or nothing."""
from __future__ import annotations

import pytest

from lmvw_plugin import cli
from lmvw_plugin.storage import postgis as pgio
from pkg_util import clean_plans, write_plans

pytestmark = pytest.mark.postgis
psycopg2 = pytest.importorskip("psycopg2")


def _query(dsn, sql):
    con = psycopg2.connect(dsn)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def _execute(dsn, sql):
    con = psycopg2.connect(dsn)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
        con.commit()
    finally:
        con.close()


@pytest.fixture
def register(pg_db, standard):
    pgio.create_register("PG:" + pg_db, "gemeente", standard)
    return pg_db


def _source(tmp_path, name, n=6, seed=5, rename=None):
    ps = clean_plans(n, seed=seed)
    recs = [dict(r) for r in ps.records]
    if rename:
        recs[0]["bruto_plancapaciteit"] += rename
        recs[0]["woningtype_onbekend"] += rename
        recs[0]["eigendom_onbekend"] += rename
    return write_plans(tmp_path / name, recs, ps.geometries, ps.fasering), recs, ps.fasering


def test_import_into_a_postgis_register_new_then_changed(register, standard, tmp_path, capsys):
    db = "PG:" + register
    src, recs, fas = _source(tmp_path, "a.gpkg")
    assert cli.main(["import", src, "--into", db, "--schema", "gemeente"]) == 0
    assert "6" in capsys.readouterr().out
    rows = _query(register, "SELECT plan_id::text, plannaam, bruto_plancapaciteit, gewijzigd_door IS NOT NULL, "
                            "gewijzigd_op IS NOT NULL FROM gemeente.woningbouwplannen ORDER BY plannaam")
    assert [(r[0], r[1], r[2]) for r in rows] == sorted(((r["plan_id"], r["plannaam"], r["bruto_plancapaciteit"])
                                                         for r in recs), key=lambda t: t[1])
    assert all(r[3] and r[4] for r in rows)
    assert _query(register, "SELECT count(*), sum(aantal) FROM gemeente.fasering") == \
        [(len(fas), sum(f["aantal"] for f in fas))]
    # the same source with one plan changed: that plan is updated, nothing is added twice
    src2, recs2, _ = _source(tmp_path, "b.gpkg", rename=5)
    assert cli.main(["import", src2, "--into", db, "--schema", "gemeente", "--lang", "en"]) == 0
    rows2 = _query(register, "SELECT plan_id::text, bruto_plancapaciteit FROM gemeente.woningbouwplannen")
    assert len(rows2) == 6 and (recs2[0]["plan_id"], recs[0]["bruto_plancapaciteit"] + 5) in rows2
    assert _query(register, "SELECT count(*) FROM gemeente.fasering") == [(len(fas),)]


def test_a_refused_import_into_postgis_writes_nothing(register, standard, tmp_path, capsys):
    db = "PG:" + register
    src, recs, _ = _source(tmp_path, "a.gpkg", n=8)
    # the database refuses one of the eight plans (a rule of this database): none is written
    _execute(register, "ALTER TABLE gemeente.woningbouwplannen ADD CONSTRAINT lmvw_test CHECK (plannaam <> "
                       f"'{recs[5]['plannaam']}')")
    assert cli.main(["import", src, "--into", db, "--schema", "gemeente"]) == 2
    err = capsys.readouterr().err
    assert "De database weigerde de import" in err and "Traceback" not in err
    assert _query(register, "SELECT count(*) FROM gemeente.woningbouwplannen") == [(0,)]
    assert _query(register, "SELECT count(*) FROM gemeente.fasering") == [(0,)]
    # no register in that schema: said so, with the fix
    assert cli.main(["import", src, "--into", db, "--schema", "elders"]) == 2
    assert "geen planregister in schema 'elders'" in capsys.readouterr().err


def test_a_colleagues_save_after_the_import_read_the_register_is_not_overwritten(register, standard, tmp_path,
                                                                                 capsys, monkeypatch):
    from lmvw_plugin.delivery import pg_import
    db = "PG:" + register
    src, recs, _ = _source(tmp_path, "a.gpkg")
    assert cli.main(["import", src, "--into", db, "--schema", "gemeente"]) == 0
    src2, recs2, _ = _source(tmp_path, "b.gpkg", rename=5)          # the first plan changed
    pid = recs2[0]["plan_id"]
    read = pg_import.read_tables

    def read_then_a_colleague_saves(*args, **kw):
        got = read(*args, **kw)
        _execute(register, f"UPDATE gemeente.woningbouwplannen SET opmerkingen = 'collega' WHERE plan_id = '{pid}'")
        return got
    monkeypatch.setattr(pg_import, "read_tables", read_then_a_colleague_saves)
    capsys.readouterr()
    assert cli.main(["import", src2, "--into", db, "--schema", "gemeente"]) == 2
    err = capsys.readouterr().err
    assert "na het lezen van het register" in err and "postgres" in err and "Traceback" not in err
    assert _query(register, f"SELECT bruto_plancapaciteit, opmerkingen FROM gemeente.woningbouwplannen "
                            f"WHERE plan_id = '{pid}'") == [(recs[0]["bruto_plancapaciteit"], "collega")]
    # read again, it goes through
    monkeypatch.setattr(pg_import, "read_tables", read)
    assert cli.main(["import", src2, "--into", db, "--schema", "gemeente"]) == 0
    assert _query(register, f"SELECT bruto_plancapaciteit FROM gemeente.woningbouwplannen WHERE plan_id = '{pid}'") \
        == [(recs[0]["bruto_plancapaciteit"] + 5,)]


def test_import_from_a_postgis_table_names_no_password(register, standard, tmp_path, capsys):
    """A PostGIS table as the import's source (GDAL's PostgreSQL driver), into a PostGIS register: the messages
    show the connection without its password, and the hint to validate names the schema."""
    from osgeo import gdal
    gdal.UseExceptions()
    src, recs, _fas = _source(tmp_path, "elders.gpkg", n=3, seed=8)
    gdal.VectorTranslate("PG:" + register, src, layers=["woningbouwplannen"], layerName="plannen_elders",
                         geometryType="MULTIPOLYGON")
    secret = "PG:" + register + " password=geheim123"
    out = tmp_path / "nieuw.gpkg"
    assert cli.main(["import", secret, "--layer", "public.plannen_elders", "--into", str(out),
                     "--gemeente", "GM0344"]) == 0
    printed = capsys.readouterr()
    assert "geheim123" not in printed.out + printed.err
    ds = gdal.OpenEx(str(out))
    assert sorted(r["plannaam"] for r in recs) == sorted(f.GetField("plannaam") for f in
                                                         ds.GetLayerByName("woningbouwplannen"))
    ds = None
    assert cli.main(["import", secret, "--layer", "public.plannen_elders", "--into", secret,
                     "--schema", "gemeente"]) == 0
    printed = capsys.readouterr()
    assert "geheim123" not in printed.out + printed.err
    assert "--schema gemeente" in printed.out
    assert _query(register, "SELECT count(*) FROM gemeente.woningbouwplannen") == [(3,)]
