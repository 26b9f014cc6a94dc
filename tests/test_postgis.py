"""The plan register in PostGIS against a real PostgreSQL 15 + PostGIS 3 server (pg_util.py):
the schema and what the database itself refuses, whole-layer reads equal to a GeoPackage's,
the optimistic lock between two officers."""
from __future__ import annotations

import uuid

import pytest

from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.storage import postgis as pgio
from pkg_util import clean_plans

pytestmark = pytest.mark.postgis
psycopg2 = pytest.importorskip("psycopg2")


@pytest.fixture
def register(pg_db, standard):
    src = "PG:" + pg_db
    pgio.create_register(src, "gemeente", standard)
    return src


def _insert(con, standard, **values):
    rec = {"plan_id": str(uuid.uuid4()), "plannaam": "x", "gemeentecode": "GM0344", "plantype": "verdichting",
           "planstatus": "3", "vertrouwelijkheid": "openbaar"}
    rec.update(values)
    geom = rec.pop("geom", "MULTIPOLYGON(((0 0,10 0,10 10,0 0)))")
    names = ", ".join(pgio.qi(k) for k in rec)
    with con.cursor() as cur:
        cur.execute(f"INSERT INTO gemeente.woningbouwplannen (geom, {names}) VALUES "
                    f"(ST_GeomFromText(%s, 28992), {', '.join(['%s'] * len(rec))})", [geom] + list(rec.values()))
    con.commit()
    return rec["plan_id"]


def _refused(con, standard, **values):
    with pytest.raises(psycopg2.Error) as e:
        _insert(con, standard, **values)
    con.rollback()
    return pgio.db_problem(e.value, standard)


def test_schema_types_and_defaults(register, standard):
    con = pgio.connect(register)
    with con.cursor() as cur:
        cur.execute("SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'gemeente' "
                    "AND f_table_name = 'woningbouwplannen'")
        assert cur.fetchone() == ("MULTIPOLYGON", 28992)
        cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                    "'gemeente' AND table_name = 'woningbouwplannen'")
        types = dict(cur.fetchall())
    assert types["plan_id"] == "uuid" and types["bruto_plancapaciteit"] == "integer"
    assert types["gerealiseerd"] == "boolean" and types["gewijzigd_door"] == "text"
    assert set(standard.field_names) <= set(types)
    pid = _insert(con, standard)
    with con.cursor() as cur:
        cur.execute("SELECT sloop, vervallen, gewijzigd_op IS NOT NULL, gewijzigd_door FROM "
                    "gemeente.woningbouwplannen WHERE plan_id = %s", (pid,))
        assert cur.fetchone() == (0, False, True, "postgres")
    # a second register in the same schema is refused, nothing changes
    with pytest.raises(pgio.PgError) as e:
        pgio.create_register(register, "gemeente", standard)
    assert e.value.reason == "exists"


@pytest.mark.parametrize("values, kind, field, words", [
    ({"sloop": -1}, "negative", "sloop", ["Sloop", "negatief", "0 of meer"]),
    ({"planstatus": "9Z"}, "code", "planstatus", ["Planstatus", "codelijst"]),
    ({"geom": "POINT(5 5)"}, "geometry", "geom", ["polygoon", "EPSG:28992"]),
    ({"plan_id": "not-a-uuid"}, "uuid", "plan_id", ["not-a-uuid", "UUID"]),
])
def test_database_refuses_with_a_translated_message(register, standard, values, kind, field, words):
    from lmvw_plugin.i18n import use_catalog
    use_catalog("nl")
    con = pgio.connect(register)
    p = _refused(con, standard, **values)
    assert (p.kind, p.field) == (kind, field)
    text = pgio.problem_text(p, standard)
    for w in words:
        assert w in text, text
    with con.cursor() as cur:
        cur.execute("SELECT count(*) FROM gemeente.woningbouwplannen")
        assert cur.fetchone()[0] == 0


def test_duplicate_plan_id_and_cascade(register, standard):
    from lmvw_plugin.i18n import use_catalog
    use_catalog("en")
    con = pgio.connect(register)
    pid = _insert(con, standard)
    p = _refused(con, standard, plan_id=pid)
    assert p.kind == "duplicate" and p.detail == pid
    assert pid in pgio.problem_text(p, standard) and "new plan_id" in pgio.problem_text(p, standard)
    with con.cursor() as cur:
        cur.execute("INSERT INTO gemeente.fasering (plan_id, jaar, aantal) VALUES (%s, 2027, 5), (%s, 2028, 3)",
                    (pid, pid))
        con.commit()
        with pytest.raises(psycopg2.Error) as e:
            cur.execute("INSERT INTO gemeente.fasering (plan_id, jaar, aantal) VALUES (%s, 2027, 5)",
                        (str(uuid.uuid4()),))
        con.rollback()
        assert pgio.db_problem(e.value, standard).kind == "orphan"
        with pytest.raises(psycopg2.Error) as e:
            cur.execute("INSERT INTO gemeente.fasering (plan_id, jaar, aantal) VALUES (%s, 2027, -5)", (pid,))
        con.rollback()
        assert (pgio.db_problem(e.value, standard).kind, pgio.db_problem(e.value, standard).field) == \
            ("negative", "aantal")
        cur.execute("DELETE FROM gemeente.woningbouwplannen WHERE plan_id = %s", (pid,))
        cur.execute("SELECT count(*) FROM gemeente.fasering")
        assert cur.fetchone()[0] == 0
    con.commit()
    use_catalog("nl")


def _plans_with_findings(standard, n=30):
    """Plans of Utrecht with findings the database allows: a sum that does not add up, an overlap,
    a self-intersecting ring, fasering of several years."""
    from shapely.geometry import Polygon
    ps = clean_plans(n, seed=5)
    recs, geoms = [dict(r) for r in ps.records], list(ps.geometries)
    recs[0]["eengezins"] = recs[0]["eengezins"] + 3               # R-sum: woningtypen do not add up
    recs[1]["plannaam"] = recs[2]["plannaam"]                      # C02 shared name
    geoms[3] = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])       # a bow-tie: G rules
    geoms[4] = geoms[5]                                            # identical geometry
    recs[6]["opmerkingen"] = "regel 1\nregel 2 met 'quote' en \\ backslash\t tab"
    plans = PlanTable.from_records(standard, recs, geoms)
    fas = FaseringTable.from_records(standard, list(ps.fasering))
    return recs, geoms, list(ps.fasering), plans, fas


def test_validation_and_export_equal_a_geopackage(register, standard, tmp_path):
    from lmvw_plugin import cli
    from lmvw_plugin.storage import ogr as ogrio
    from pkg_util import write_plans
    recs, geoms, fas_rows, plans, fas = _plans_with_findings(standard)
    gpkg = write_plans(tmp_path / "plans.gpkg", recs, geoms, fas_rows)
    pgio.write_plans(register, "gemeente", standard, plans, fas)

    got, _ = pgio.read_plans(register, "gemeente", standard)
    want, _ = ogrio.read_plans(gpkg, standard)
    copied = pgio._copy_geometries(register, "gemeente", standard.layer_name)     # the fast path works here
    assert list(copied[0]) == list(got.fids) and sum(w is not None for w in copied[1]) == len(recs)
    assert got.n == want.n == len(recs)
    for f in standard.fields:
        if f.name != "gewijzigd_op":
            assert list(map(str, got.columns[f.name].tolist())) == list(map(str, want.columns[f.name].tolist())), \
                f.name
    # the command line on both: the same findings, the same package
    outs = {}
    for name, src, extra in (("gpkg", gpkg, []), ("pg", register, ["--schema", "gemeente"])):
        js = tmp_path / f"{name}.json"
        assert cli.main(["validate", src, *extra, "--peildatum", "2026-10-01", "--json", str(js)]) == 1
        out = tmp_path / name
        out.mkdir()
        assert cli.main(["export", src, *extra, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01",
                         "--concept", "-o", str(out)]) == 0
        outs[name] = (js, out / "lmvw_GM0344_2026-najaar.zip")
    import json
    a, b = (json.loads(outs[k][0].read_text()) for k in ("gpkg", "pg"))
    key = lambda f: (f["rule"], f.get("plan_id") or "", f.get("field") or "", f["message"])  # noqa: E731
    assert a["summary"] == b["summary"] and a["summary"]["errors"] > 0
    assert sorted(map(key, a["findings"])) == sorted(map(key, b["findings"]))
    import zipfile
    za, zb = (zipfile.ZipFile(outs[k][1]) for k in ("gpkg", "pg"))
    assert sorted(za.namelist()) == sorted(zb.namelist())
    import csv
    import io
    for name in ("woningbouwplannen.csv", "fasering.csv"):
        ra, rb = (list(csv.reader(io.StringIO(z.read(name).decode("utf-8")))) for z in (za, zb))
        assert ra[0] == rb[0] and len(ra) == len(rb) > 10
        drop = ra[0].index("gewijzigd_op") if "gewijzigd_op" in ra[0] else None     # the database's stamp
        cut = [[c for k, c in enumerate(r) if k != drop] for r in ra[1:]], \
            [[c for k, c in enumerate(r) if k != drop] for r in rb[1:]]
        assert sorted(cut[0]) == sorted(cut[1])
    assert any("regel 1\nregel 2" in c for r in csv.reader(io.StringIO(zb.read("woningbouwplannen.csv").decode()))
               for c in r)


def _officers(pg_cluster, dsn, schema="gemeente"):
    """Two database users (two colleagues) with rights on the register; their conninfos."""
    dbname = dsn.split("dbname=")[1].split()[0]
    for user in ("anna", "bram"):
        pg_cluster.sql(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN "
                       f"CREATE ROLE {user} LOGIN; END IF; END $$")
        pg_cluster.sql([f"GRANT USAGE ON SCHEMA {schema} TO {user}",
                        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {user}",
                        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {user}"], dbname)
    return [pg_cluster.dsn(dbname, user) for user in ("anna", "bram")]


def test_two_officers_different_plans_and_the_same_plan(pg_cluster, pg_db, register, standard):
    from lmvw_plugin.i18n import use_catalog
    use_catalog("nl")
    con = pgio.connect(register)
    p1, p2 = _insert(con, standard, plannaam="Noord"), _insert(con, standard, plannaam="Zuid")
    anna_dsn, bram_dsn = _officers(pg_cluster, pg_db)
    anna, bram = pgio.connect(anna_dsn), pgio.connect(bram_dsn)
    # both read both plans (the version each will edit)
    v1, v2 = (pgio.read_version(anna, "gemeente", standard, p)[0] for p in (p1, p2))
    anna.commit()
    assert v1 and v2
    # different plans: both saves land
    new1 = pgio.save_plan(anna, "gemeente", standard, p1, {"plannaam": "Noord (Anna)"}, v1)
    pgio.save_plan(bram, "gemeente", standard, p2, {"plannaam": "Zuid (Bram)"}, v2)
    with con.cursor() as cur:
        cur.execute("SELECT plannaam, gewijzigd_door FROM gemeente.woningbouwplannen ORDER BY plannaam")
        assert cur.fetchall() == [("Noord (Anna)", "anna"), ("Zuid (Bram)", "bram")]
    con.commit()
    # the same plan: Bram read it before Anna's save; his save is refused, naming her and when
    with pytest.raises(pgio.Conflict) as e:
        pgio.save_plan(bram, "gemeente", standard, p1, {"plannaam": "Noord (Bram)", "sloop": 2}, v1)
    assert (e.value.who, e.value.plan_id) == ("anna", p1) and e.value.when.startswith(new1[:16])
    text = pgio.problem_text(pgio.DbProblem("conflict", "gewijzigd_op", p1, e.value.who, e.value.when), standard)
    assert "anna" in text and p1 in text and "bewerkingsbuffer" in text
    with con.cursor() as cur:
        cur.execute("SELECT plannaam, sloop, gewijzigd_door FROM gemeente.woningbouwplannen WHERE plan_id = %s",
                    (p1,))
        assert cur.fetchone() == ("Noord (Anna)", 0, "anna")          # Anna's change stands, nothing of Bram's
    con.commit()
    # Bram reloads, makes his change again on the new version: saved
    v1b = pgio.read_version(bram, "gemeente", standard, p1)[0]
    pgio.save_plan(bram, "gemeente", standard, p1, {"sloop": 2}, v1b)
    # a client that does not send the version (QGIS without the plugin, psql) is stamped, not refused
    with anna.cursor() as cur:
        cur.execute("UPDATE gemeente.woningbouwplannen SET woonplaats = 'Utrecht' WHERE plan_id = %s", (p1,))
    anna.commit()
    assert pgio.read_version(con, "gemeente", standard, p1)[1] == "anna"
