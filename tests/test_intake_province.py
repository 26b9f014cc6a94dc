"""The intake of the province formats (issue 12) against a real PostgreSQL + PostGIS: Gelderland's
FileGDB zip, Zuid-Holland's GeoJSON and Zeeland's workbooks, keyed by gemeente and uitvraag like a
package, with what the intake could not check said in its report."""
from __future__ import annotations

import os
import shutil

import pytest

from lmvw_plugin import cli
from lmvw_plugin.storage import ogr as ogrio
from pkg_util import clean_plans, write_plans

pytestmark = pytest.mark.postgis
psycopg2 = pytest.importorskip("psycopg2")
PEILDATUM = __import__("datetime").date(2026, 10, 1)


def _query(dsn, sql):
    con = psycopg2.connect(dsn)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def _province_file(folder, standard, province, gemeente, name, n=6, seed=4):
    from lmvw_plugin.delivery.province import export_province
    from lmvw_plugin.standard.provinces import extend, load_province
    ext = extend(standard, load_province(province))
    g = clean_plans(n, seed=seed, gemeenten=[gemeente])
    src = write_plans(os.path.join(folder, f"{province}_{seed}.gpkg"), g.records, g.geometries, g.fasering)
    plans, _ = ogrio.read_plans(src, ext)
    fas = ogrio.read_fasering(src, ext)
    out = os.path.join(folder, name)
    export_province(plans, fas, out, province=province, gemeente=gemeente, uitvraag="2026-najaar",
                    peildatum=PEILDATUM, concept=True, standard=ext, profile="provincie_volledig")
    delivered = sum(1 for r in g.records if r["planstatus"] not in standard.internal_statuses)
    return out, delivered


@pytest.fixture(scope="module")
def files(tmp_path_factory, standard):
    folder = str(tmp_path_factory.mktemp("province"))
    return {
        "gelderland": _province_file(folder, standard, "gelderland", "GM0202", "lmvw_GM0202_2026-najaar.gdb.zip"),
        "zuid-holland": _province_file(folder, standard, "zuid-holland", "GM0599",
                                       "lmvw_GM0599_2026-najaar.pzh.geojson"),
        "zeeland": _province_file(folder, standard, "zeeland", "GM0687", "lmvw_GM0687_2026-najaar_zeeland.zip"),
    }


def test_province_files_are_stored_keyed_like_packages(pg_db, files, capsys):
    db = "PG:" + pg_db
    names = [files[k][0] for k in ("gelderland", "zuid-holland", "zeeland")]
    assert cli.main(["intake", *names, "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.count("is een provinciebestand") == 3 and "geen manifest en geen controlesommen" in out
    assert "bevat niet" in out and "Opnieuw gevalideerd" in out     # the fields a format does not hold; findings
    rows = _query(pg_db, "SELECT l.gemeentecode, l.uitvraag, l.profiel, l.manifest->>'format', count(p.fid), "
                         "count(p.geom) FROM provincie.levering l LEFT JOIN provincie.plannen p "
                         "ON p.levering_id = l.id GROUP BY l.id ORDER BY 1")
    want = {"GM0202": "gelderland", "GM0599": "zuid-holland", "GM0687": "zeeland"}
    assert [r[:4] for r in rows] == [(g, "2026-najaar", k, k) for g, k in sorted(want.items())]
    for k, n, with_geom in [(r[2], r[4], r[5]) for r in rows]:
        assert n == files[k][1] and n > 0
        assert with_geom == (0 if k == "zeeland" else n)       # Zeeland's workbooks hold no geometry
    assert _query(pg_db, "SELECT count(*) FROM provincie.fasering") != [(0,)]
    assert _query(pg_db, "SELECT count(*) FROM provincie.levering WHERE manifest ? 'not_checked'") == [(3,)]
    # the same files again: nothing changes
    before = _query(pg_db, "SELECT id, sha256, xmin::text FROM provincie.levering ORDER BY id")
    assert cli.main(["intake", *names, "--db", db, "--lang", "en"]) == 0
    assert capsys.readouterr().out.count("is already stored unchanged") == 3
    assert _query(pg_db, "SELECT id, sha256, xmin::text FROM provincie.levering ORDER BY id") == before


def test_a_province_file_without_its_key_needs_the_uitvraag(pg_db, files, tmp_path, capsys):
    db = "PG:" + pg_db
    bare = str(tmp_path / "planmonitor.pzh.geojson")
    shutil.copy(files["zuid-holland"][0], bare)
    assert cli.main(["intake", bare, "--db", db]) == 3
    err = capsys.readouterr().err
    assert "planmonitor.pzh.geojson" in err and "--uitvraag" in err and "Traceback" not in err
    assert _query(pg_db, "SELECT count(*) FROM provincie.levering") == [(0,)]
    # the gemeente comes from the plans, the uitvraag from the option
    assert cli.main(["intake", bare, "--db", db, "--uitvraag", "2026-najaar"]) == 0
    assert _query(pg_db, "SELECT gemeentecode, uitvraag FROM provincie.levering") == [("GM0599", "2026-najaar")]


def test_an_unreadable_province_file_is_refused(pg_db, tmp_path, capsys):
    bad = tmp_path / "lmvw_GM0599_2026-najaar.pzh.geojson"
    bad.write_text('{"type": "FeatureCollection", "year_properties": 1, "features": [', encoding="utf-8")
    assert cli.main(["intake", str(bad), "--db", "PG:" + pg_db]) == 3
    err = capsys.readouterr().err
    assert "✗" in err and "Traceback" not in err
