"""The province's intake against a real PostgreSQL + PostGIS (pg_util.py): several packages,
a re-delivery, a tampered package refused, twice is once, a killed intake leaves nothing."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from lmvw_plugin import cli
from lmvw_plugin.delivery.package import export
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from pkg_util import clean_plans

pytestmark = pytest.mark.postgis
psycopg2 = pytest.importorskip("psycopg2")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _package(standard, folder, gemeente, uitvraag, n, seed, bump=0):
    ps = clean_plans(n, seed=seed, gemeenten=[gemeente])
    recs = [dict(r) for r in ps.records]
    for r in recs:
        r["planstatus"] = "3" if r["planstatus"] in ("5A", "5B") else r["planstatus"]
    recs[0]["bruto_plancapaciteit"] += bump
    recs[0]["woningtype_onbekend"] += bump
    recs[0]["eigendom_onbekend"] += bump
    plans = PlanTable.from_records(standard, recs, ps.geometries)
    fas = FaseringTable.from_records(standard, list(ps.fasering))
    out = os.path.join(folder, f"{gemeente}_{uitvraag}_{seed}_{bump}.zip")
    export(plans, fas, out, gemeente=gemeente, uitvraag=uitvraag, peildatum=dt.date(2026, 10, 1), concept=True,
           standard=standard)
    return out, plans, fas


@pytest.fixture(scope="module")
def packages(tmp_path_factory, standard):
    folder = str(tmp_path_factory.mktemp("packages"))
    got = {}
    for k, (g, u) in enumerate([("GM0344", "2026-najaar"), ("GM0363", "2026-najaar"), ("GM0599", "2026-najaar"),
                                ("GM0344", "2026-voorjaar"), ("GM0363", "2026-voorjaar"),
                                ("GM0599", "2026-voorjaar")]):
        got[(g, u)] = _package(standard, folder, g, u, 8 + k, seed=10 + k)
    got["again"] = _package(standard, folder, "GM0344", "2026-najaar", 5, seed=40, bump=7)
    tampered = os.path.join(folder, "tampered.zip")
    with zipfile.ZipFile(got[("GM0363", "2026-najaar")][0]) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "woningbouwplannen.csv":
                data = data.replace(b"Plan 000001", b"Plan 999999")
            dst.writestr(info, data)
    got["tampered"] = (tampered, None, None)
    return got


def _manifest(path):
    import json
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("manifest.json"))


def _fasering_csv(path):
    import csv
    import io
    with zipfile.ZipFile(path) as z:
        rows = list(csv.reader(io.StringIO(z.read("fasering.csv").decode("utf-8"))))
    col = rows[0].index("aantal")
    return [(r[0], r[1], r[col]) for r in rows[1:]]


def _state(dsn):
    con = psycopg2.connect(dsn)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT to_regclass('provincie.levering') IS NOT NULL")
            if not cur.fetchone()[0]:
                return None
            cur.execute("SELECT id, gemeentecode, uitvraag, sha256, ontvangen_op, xmin::text FROM provincie.levering "
                        "ORDER BY 1")
            lev = cur.fetchall()
            cur.execute("SELECT count(*), sum(bruto_plancapaciteit), string_agg(xmin::text, ',' ORDER BY fid) "
                        "FROM provincie.plannen")
            plans = cur.fetchone()
            cur.execute("SELECT count(*), sum(aantal) FROM provincie.fasering")
            return lev, plans, cur.fetchone()
    finally:
        con.close()


def _query(dsn, sql):
    con = psycopg2.connect(dsn)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def test_intake_redelivery_tampered_and_twice(pg_db, packages, standard, capsys):
    db = "PG:" + pg_db
    najaar = [packages[(g, "2026-najaar")][0] for g in ("GM0344", "GM0363", "GM0599")]
    assert cli.main(["intake", *najaar, packages["tampered"][0], "--db", db]) == 3
    out = capsys.readouterr()
    assert "✗ tampered.zip" in out.err and "controlesom wijkt af" in out.err
    assert "tampered" not in out.out
    rows = _query(pg_db, "SELECT gemeentecode, plannen, bruto FROM provincie.totalen_gemeente "
                         "WHERE uitvraag = '2026-najaar' ORDER BY 1")
    want = {g: _manifest(packages[(g, "2026-najaar")][0])["counts"] for g in ("GM0344", "GM0363", "GM0599")}
    assert rows == [(g, c["plans"], c["bruto"]) for g, c in sorted(want.items())]
    assert all(c["plans"] > 5 for c in want.values())
    # totals per planstatus group and per year add up to the same
    groups = _query(pg_db, "SELECT sum(plannen), sum(bruto) FROM provincie.totalen_planstatusgroep "
                           "WHERE uitvraag = '2026-najaar'")
    assert groups == [(sum(r[1] for r in rows), sum(r[2] for r in rows))]
    years = _query(pg_db, "SELECT sum(aantal) FROM provincie.totalen_jaar WHERE uitvraag = '2026-najaar'")
    assert years[0][0] == sum(int(r[2] or 0) for g in want for r in _fasering_csv(packages[(g, "2026-najaar")][0]))
    # twice is once: nothing changes, not even the row versions
    before = _state(pg_db)
    assert cli.main(["intake", *najaar, "--db", db]) == 0
    assert "=" in capsys.readouterr().out
    assert _state(pg_db) == before
    # a re-delivery replaces the earlier one: the new plans only
    again, plans, _ = packages["again"]
    assert cli.main(["intake", again, "--db", db, "--lang", "en"]) == 0
    assert "replace the earlier delivery" in capsys.readouterr().out
    rows2 = _query(pg_db, "SELECT gemeentecode, plannen FROM provincie.totalen_gemeente "
                          "WHERE uitvraag = '2026-najaar' ORDER BY 1")
    n = _manifest(again)["counts"]["plans"]
    assert rows2 == [("GM0344", n)] + [r[:2] for r in rows[1:]] and n != rows[0][1]
    assert _query(pg_db, "SELECT count(*) FROM provincie.plannen p JOIN provincie.levering l ON l.id = p.levering_id "
                         "WHERE l.gemeentecode = 'GM0344'") == [(n,)]


def _children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(x) for x in fh.read().split()]


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"      # a zombie has ended
    except OSError:
        return False


def test_parallel_inspection_stores_what_one_process_stores(pg_cluster, packages, standard):
    from lmvw_plugin.delivery.intake import intake
    names = [packages[k][0] for k in packages if isinstance(k, tuple)] + [packages["tampered"][0],
                                                                           packages["again"][0]]
    got = []
    for workers in (0, 2):
        dsn = pg_cluster.new_database()
        outcomes = intake(names, "PG:" + dsn, standard=standard, workers=workers)
        rows = _query(dsn, "SELECT l.gemeentecode, l.uitvraag, l.sha256, l.manifest::text, p.fid, p.geom::text, "
                           "p.plan_id::text, p.bruto_plancapaciteit FROM provincie.plannen p JOIN provincie.levering l "
                           "ON l.id = p.levering_id ORDER BY p.fid")
        fas = _query(dsn, "SELECT * FROM provincie.fasering ORDER BY fid")
        got.append(([(o.status, o.plans, o.errors, [p.kind for p in o.problems]) for o in outcomes], rows, fas))
    assert got[0] == got[1]
    assert [o[0] for o in got[1][0]].count("refused") == 1 and "replaced" in [o[0] for o in got[1][0]]
    assert len(got[1][1]) > 30 and got[1][2]


def test_a_killed_intake_leaves_the_database_as_it_was(pg_db, packages):
    db = "PG:" + pg_db
    assert cli.main(["intake", packages[("GM0599", "2026-najaar")][0], "--db", db]) == 0
    before = _state(pg_db)
    names = [packages[k][0] for k in packages if isinstance(k, tuple)] * 10       # long enough to be stopped
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "lmvw_plugin", "intake", *names, "--db", db], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:      # kill once it holds at least two gemeenten' locks (in the middle)
            locks = _query(pg_db, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                                  "WHERE l.locktype = 'advisory' AND a.application_name = 'lmvw-intake'")[0][0]
            if locks >= 3 or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the intake ended before it could be killed"
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        for _ in range(100):               # its inspection processes notice and end too (none left running)
            if not [w for w in workers if _running(w)]:
                break
            time.sleep(0.1)
        assert workers and not [w for w in workers if _running(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
    for _ in range(100):                   # the server notices the lost client and rolls back
        if not _query(pg_db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lmvw-intake'")[0][0]:
            break
        time.sleep(0.1)
    assert _state(pg_db) == before


def test_an_inspection_process_that_dies_leaves_its_packages_to_the_intake(pg_db, packages, standard):
    from lmvw_plugin.delivery.intake import intake
    names = [packages[k][0] for k in packages if isinstance(k, tuple)]
    me = os.getpid()
    with open(f"/proc/{me}/cmdline", "rb") as fh:
        cmdline = fh.read()
    killed = []

    def kill_a_worker(outcome):            # as the system's OOM killer would, after the first package
        if killed:
            return
        for pid in _children(me):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    if fh.read() != cmdline:         # a forked worker runs our command line
                        continue
            except OSError:
                continue
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            break
    outcomes = intake(names, "PG:" + pg_db, standard=standard, workers=2, progress=kill_a_worker)
    assert killed
    assert [o.status for o in outcomes] == ["loaded"] * len(names)
    assert _query(pg_db, "SELECT count(*) FROM provincie.levering") == [(len(names),)]


def _older_package(standard, folder, peildatum):
    ps = clean_plans(6, seed=77, gemeenten=["GM0344"])
    recs = [dict(r, planstatus="3" if r["planstatus"] in ("5A", "5B") else r["planstatus"]) for r in ps.records]
    plans = PlanTable.from_records(standard, recs, ps.geometries)
    fas = FaseringTable.from_records(standard, list(ps.fasering))
    out = os.path.join(folder, f"GM0344_2026-najaar_{peildatum}.zip")
    export(plans, fas, out, gemeente="GM0344", uitvraag="2026-najaar", peildatum=dt.date.fromisoformat(peildatum),
           concept=True, standard=standard)
    return out


def test_an_older_delivery_does_not_replace_a_newer_one(pg_db, packages, standard, tmp_path, capsys):
    db = "PG:" + pg_db
    newer = packages[("GM0344", "2026-najaar")][0]
    older = _older_package(standard, str(tmp_path), "2026-07-01")
    assert cli.main(["intake", newer, "--db", db]) == 0
    capsys.readouterr()
    before = _state(pg_db)
    # the older one (an earlier peildatum) arrives late: refused, naming both, the newer one stays
    assert cli.main(["intake", older, "--db", db]) == 3
    out = capsys.readouterr()
    assert "is ouder dan de levering van GM0344 2026-najaar" in out.err
    assert os.path.basename(older) in out.err and os.path.basename(newer) in out.err
    assert "2026-07-01" in out.err and "2026-10-01" in out.err and "--replace-newer" in out.err
    assert _state(pg_db) == before
    # in one run too: the newer first, then the older
    assert cli.main(["intake", newer, older, "--db", db, "--lang", "en"]) == 3
    assert "is older than the delivery of GM0344 2026-najaar" in capsys.readouterr().err
    assert _state(pg_db) == before
    # asked for: it replaces
    assert cli.main(["intake", older, "--db", db, "--replace-newer"]) == 0
    n = _manifest(older)["counts"]["plans"]
    assert _query(pg_db, "SELECT bestand, peildatum::text, plannen FROM provincie.levering "
                         "WHERE gemeentecode = 'GM0344'") == [(os.path.basename(older), "2026-07-01", n)]
    # and the newer one, delivered again, replaces the older without being asked
    assert cli.main(["intake", newer, "--db", db]) == 0
    assert _query(pg_db, "SELECT bestand FROM provincie.levering WHERE gemeentecode = 'GM0344'") == \
        [(os.path.basename(newer),)]


def test_deliveries_are_ordered_by_peildatum_then_creation():
    from lmvw_plugin.delivery.intake import Outcome, Prepared, _older

    def prepared(peildatum, created):
        return Prepared(Outcome("/in/new.zip", "refused", "GM0344", "2026-najaar"),
                        manifest={"peildatum": peildatum, "created_at": created})
    stored = ("old.zip", "2026-10-01", "2026-10-02T08:00:00Z")
    assert _older(prepared("2026-10-01", "2026-10-02T09:00:00Z"), stored) is None        # made later
    assert _older(prepared("2026-10-01", "2026-10-02T08:00:00Z"), stored) is None        # the same moment
    assert _older(prepared("2026-11-01", "2026-01-01T00:00:00Z"), stored) is None        # a later peildatum
    p = _older(prepared("2026-10-01", "2026-10-02T07:59:59Z"), stored)                   # made earlier
    assert p is not None and p.kind == "older_delivery" and p.args["stored"] == "old.zip"
    assert _older(prepared("2026-09-30", "2026-12-01T00:00:00Z"), stored) is not None    # an earlier peildatum


def _schema_shape(dsn):
    return _query(dsn, "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE connamespace = 'provincie'::regnamespace ORDER BY 1, 2") + \
        _query(dsn, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'provincie' ORDER BY 1")


def test_the_first_intake_restores_links_and_index_and_replaces_within_the_run(pg_cluster, packages, standard):
    from lmvw_plugin.delivery.intake import ddl, intake
    from lmvw_plugin.storage import postgis as pgio
    plain = pg_cluster.new_database()                  # the schema as created, nothing stored
    con = pgio.connect("PG:" + plain)
    with con.cursor() as cur:
        for statement in ddl(standard, "provincie"):
            cur.execute(statement)
    con.commit()
    con.close()
    dsn = pg_cluster.new_database()
    first, again = packages[("GM0344", "2026-najaar")][0], packages["again"][0]
    other = packages[("GM0363", "2026-najaar")][0]
    outcomes = intake([first, again, other], "PG:" + dsn, standard=standard, workers=0)
    assert [o.status for o in outcomes] == ["loaded", "replaced", "loaded"]
    assert _schema_shape(dsn) == _schema_shape(plain)
    assert any("FOREIGN KEY (levering_id)" in str(r) for r in _schema_shape(dsn))
    assert _query(dsn, "SELECT count(*) FROM provincie.plannen p LEFT JOIN provincie.levering l ON "
                       "l.id = p.levering_id WHERE l.id IS NULL") == [(0,)]
    assert _query(dsn, "SELECT count(*) FROM provincie.fasering f LEFT JOIN provincie.levering l ON "
                       "l.id = f.levering_id WHERE l.id IS NULL") == [(0,)]
    n = _manifest(again)["counts"]["plans"]
    assert _query(dsn, "SELECT l.bestand, count(p.fid) FROM provincie.levering l JOIN provincie.plannen p ON "
                       "p.levering_id = l.id WHERE l.gemeentecode = 'GM0344' GROUP BY 1") == \
        [(os.path.basename(again), n)]
    # the database still deletes a delivery's rows with it
    con = psycopg2.connect(dsn)
    with con.cursor() as cur:
        cur.execute("DELETE FROM provincie.levering WHERE gemeentecode = 'GM0363'")
    con.commit()
    con.close()
    assert _query(dsn, "SELECT count(*) FROM provincie.plannen p JOIN provincie.levering l ON l.id = p.levering_id "
                       "WHERE l.gemeentecode = 'GM0363'") == [(0,)]
    assert _query(dsn, "SELECT count(*) FROM provincie.fasering") == \
        _query(dsn, "SELECT count(*) FROM provincie.fasering f JOIN provincie.levering l ON l.id = f.levering_id")


def test_the_first_intake_beside_a_session_reading_the_empty_tables(pg_cluster, packages, standard):
    """A colleague's QGIS holds the empty tables: the intake does not wait for her, it checks and
    indexes the rows one by one (as later intakes do) and stores everything as usual."""
    from lmvw_plugin.delivery.intake import ddl, intake
    from lmvw_plugin.storage import postgis as pgio
    dsn = pg_cluster.new_database()
    con = pgio.connect("PG:" + dsn)
    with con.cursor() as cur:
        for statement in ddl(standard, "provincie"):
            cur.execute(statement)
    con.commit()
    shape = _schema_shape(dsn)
    with con.cursor() as cur:                    # an open transaction that has read the table
        cur.execute("SELECT count(*) FROM provincie.plannen")
    try:
        names = [packages[("GM0344", "2026-najaar")][0], packages[("GM0363", "2026-najaar")][0]]
        start = time.time()
        outcomes = intake(names, "PG:" + dsn, standard=standard, workers=0)
        assert [o.status for o in outcomes] == ["loaded", "loaded"] and time.time() - start < 60
    finally:
        con.rollback()
        con.close()
    assert _schema_shape(dsn) == shape
    assert _query(dsn, "SELECT count(*) FROM provincie.plannen") == [(sum(o.plans for o in outcomes),)]
