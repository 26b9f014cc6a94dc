"""The province's intake: received packages into one provincial PostGIS database (no qgis).

Each package is inspected first (`delivery.inspect`: checksums, contents, re-validation); one
that is unreadable or changed after export is refused and nothing of it is stored. The others are
stored keyed by gemeentecode and uitvraag: table `levering` (one row per key, with the manifest
and the zip's sha256), `plannen` and `fasering` (the delivered rows, linked to their levering,
ON DELETE CASCADE). A package for a key that is already there replaces the earlier one, unless it
is older (its manifest's peildatum, then created_at: `_older`), which is refused naming both unless
the intake is told to replace newer ones. Province files (Gelderland, Zuid-Holland, Zeeland) are
read by the import's readers and stored the same way (intake_province.py).

The whole intake run is one transaction: it is committed after the last package, so an intake
stopped half-way (killed, a lost connection, a full disk) leaves the database as it was. A
package whose zip is byte for byte the stored one changes nothing, so running the same intake
twice changes nothing. Each key is locked (an advisory lock) while it is replaced, so two
intakes at once never mix two deliveries of the same gemeente.

Views per uitvraag: `totalen_gemeente`, `totalen_planstatusgroep` and `totalen_jaar`, capacity
counted as the manifest counts it (vervallen plans add none).
"""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from ..standard import Standard, load
from ..storage import postgis as pgio
from ..storage.postgis import qi, ql
from .inspect import TAMPERED, UNREADABLE, Problem, inspect

LEVERING, PLANNEN, FASERING = "levering", "plannen", "fasering"


@dataclass
class Outcome:
    path: str
    status: str                       # loaded | replaced | unchanged | refused
    gemeentecode: str = ""
    uitvraag: str = ""
    plans: int = 0
    errors: int = 0
    problems: List[Problem] = field(default_factory=list)
    unreadable: bool = False
    notes: List[str] = field(default_factory=list)      # a province file: what could not be checked


def plan_fields(standard: Standard):
    never = set(standard.delivery["never_leaves"])
    return [f for f in standard.fields if f.name not in never]


def ddl(standard: Standard, schema: str) -> List[str]:
    s = qi(schema)
    cols = []
    for f in plan_fields(standard):
        t = {"text": "text", "int": "integer", "bool": "boolean", "date": "date",
             "datetime": "timestamp(3) with time zone"}[f.type]
        cols.append(f"{qi(f.name)} {t}")
    fcols = [f"{qi(f.name)} {'text' if f.type == 'text' else 'integer'}" for f in standard.fasering_fields]
    groups = ", ".join(f"({ql(i.code)}, {ql(i.group or '')})" for i in standard.codelists["planstatus"])
    active = "NOT coalesce(p.vervallen, false)"
    return [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        f"CREATE SCHEMA IF NOT EXISTS {s}",
        f"CREATE TABLE IF NOT EXISTS {s}.{LEVERING} (id serial PRIMARY KEY, gemeentecode text NOT NULL, "
        "gemeentenaam text, uitvraag text NOT NULL, peildatum date, profiel text, concept boolean, "
        "plannen integer, fouten integer, waarschuwingen integer, sha256 text NOT NULL, bestand text, "
        "manifest jsonb, ontvangen_op timestamptz NOT NULL DEFAULT now(), ingelezen_door text NOT NULL "
        "DEFAULT session_user, CONSTRAINT levering_sleutel UNIQUE (gemeentecode, uitvraag))",
        f"CREATE TABLE IF NOT EXISTS {s}.{PLANNEN} (fid serial PRIMARY KEY, levering_id integer NOT NULL "
        f"REFERENCES {s}.{LEVERING} (id) ON DELETE CASCADE, geom geometry(MultiPolygon, {pgio.SRID}), "
        + ", ".join(cols) + ")",
        f"CREATE INDEX IF NOT EXISTS plannen_levering_idx ON {s}.{PLANNEN} (levering_id)",
        f"CREATE INDEX IF NOT EXISTS plannen_geom_idx ON {s}.{PLANNEN} USING gist (geom)",
        f"CREATE TABLE IF NOT EXISTS {s}.{FASERING} (fid serial PRIMARY KEY, levering_id integer NOT NULL "
        f"REFERENCES {s}.{LEVERING} (id) ON DELETE CASCADE, " + ", ".join(fcols) + ")",
        f"CREATE INDEX IF NOT EXISTS fasering_levering_idx ON {s}.{FASERING} (levering_id)",
        f"CREATE TABLE IF NOT EXISTS {s}.planstatus_groep (planstatus text PRIMARY KEY, groep text)",
        f"INSERT INTO {s}.planstatus_groep VALUES {groups} ON CONFLICT (planstatus) DO UPDATE SET "
        "groep = EXCLUDED.groep",
        f"CREATE OR REPLACE VIEW {s}.totalen_gemeente AS SELECT l.uitvraag, l.gemeentecode, l.gemeentenaam, "
        "l.peildatum, l.concept, count(p.fid) AS plannen, "
        f"coalesce(sum(p.bruto_plancapaciteit) FILTER (WHERE {active}), 0) AS bruto, "
        f"coalesce(sum(p.bruto_plancapaciteit - coalesce(p.sloop, 0)) FILTER (WHERE {active}), 0) AS netto, "
        f"coalesce(sum(p.bruto_plancapaciteit - coalesce(p.aantal_gerealiseerd, 0)) FILTER (WHERE {active}), 0) "
        f"AS rest FROM {s}.{LEVERING} l LEFT JOIN {s}.{PLANNEN} p ON p.levering_id = l.id "
        "GROUP BY l.id ORDER BY l.uitvraag, l.gemeentecode",
        f"CREATE OR REPLACE VIEW {s}.totalen_planstatusgroep AS SELECT l.uitvraag, coalesce(g.groep, '?') AS groep, "
        f"count(p.fid) AS plannen, coalesce(sum(p.bruto_plancapaciteit) FILTER (WHERE {active}), 0) AS bruto "
        f"FROM {s}.{LEVERING} l JOIN {s}.{PLANNEN} p ON p.levering_id = l.id "
        f"LEFT JOIN {s}.planstatus_groep g ON g.planstatus = p.planstatus GROUP BY 1, 2 ORDER BY 1, 2",
        f"CREATE OR REPLACE VIEW {s}.totalen_jaar AS SELECT l.uitvraag, f.jaar, count(*) AS regels, "
        "coalesce(sum(f.aantal), 0) AS aantal, coalesce(sum(f.sloop), 0) AS sloop "
        f"FROM {s}.{LEVERING} l JOIN {s}.{FASERING} f ON f.levering_id = l.id GROUP BY 1, 2 ORDER BY 1, 2",
    ]


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _lock_key(gemeentecode: str, uitvraag: str) -> int:
    return zlib.crc32(f"lmvw-intake|{gemeentecode}|{uitvraag}".encode()) - (1 << 31)


@dataclass
class Prepared:
    """A package inspected (in a worker process, or in this one) and made ready to store: the
    outcome so far and the COPY text of its rows (without levering_id, which the loading
    transaction knows only)."""
    outcome: Outcome
    digest: str = ""
    manifest: dict = field(default_factory=dict)
    plans_copy: Optional[str] = None            # None: refused, nothing to store
    fasering_copy: str = ""
    plans_n: int = 0
    plan_names: List[str] = field(default_factory=list)
    fasering_names: List[str] = field(default_factory=list)


def prepare(path: str, standard: Standard, lang: str, uitvraag: Optional[str] = None) -> Prepared:
    """Checksum and inspect one package (delivery.inspect, re-validation included) and, when it may
    be stored, its rows as COPY text; a province file through intake_province.py (`uitvraag`: its
    uitvraag when its name does not say it). Touches no database: runs in a worker process."""
    try:
        digest = _sha256(path)
    except OSError as e:
        out = Outcome(path, "refused", unreadable=True)
        out.problems.append(Problem("not_zip", path, {"reason": e.strerror or str(e)}))
        return Prepared(out)
    from .intake_province import prepare_province, province_kind
    kind = province_kind(path)
    if kind is not None:
        r = prepare_province(path, kind, standard, lang, plan_fields(standard), uitvraag)
        out = Outcome(path, "refused", r.gemeentecode, r.uitvraag, r.plans, r.errors, r.problems, r.unreadable,
                      r.notes)
        return Prepared(out, digest, r.manifest, r.plans_copy, r.fasering_copy, r.plans_n, r.plan_names,
                        r.fasering_names)
    result = inspect(path, lang, standard, keep_tables=True)
    m = result.manifest or {}
    out = Outcome(path, "refused", str(m.get("gemeentecode") or ""), str(m.get("uitvraag") or ""),
                  result.plans, result.errors, list(result.problems))
    got = Prepared(out, digest, m)
    if result.exit_code in (UNREADABLE, TAMPERED) or not result.tables:
        out.unreadable = result.exit_code == UNREADABLE
        return got
    plans, fasering = result.tables
    got.plan_names, got.plans_copy = pgio.plan_copy(standard, plans, plan_fields(standard))
    got.plans_n = plans.n
    if fasering is not None and fasering.n:
        got.fasering_names, got.fasering_copy = pgio.fasering_copy(standard, fasering)
    return got


_WORKER: Dict[str, object] = {}


def _worker_init(standard: Standard, parent: int) -> None:
    import signal
    import threading
    import time

    from ..common import threads
    _WORKER["standard"] = standard
    threads.WORKERS = 1          # the processes are the parallelism: no threads beside them (same results)
    # Ctrl-C and a stop are the loading process's to handle (it rolls back and ends the pool): no
    # traceback from a worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch():                 # the intake was killed: this worker has nobody to answer, it ends
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, name="lmvw-intake-parent", daemon=True).start()


def _worker_prepare(path: str, lang: str, uitvraag: Optional[str] = None) -> Prepared:
    return prepare(path, _WORKER["standard"], lang, uitvraag)       # type: ignore[arg-type]


def workers_for(n_packages: int) -> int:
    """Inspection processes beside the loading one: up to 2 (inspection is CPU-bound; the server
    and the loading need the rest); none for a single package."""
    return 0 if n_packages < 2 else max(0, min(2, (os.cpu_count() or 1), n_packages))


def intake(packages: List[str], source: str, schema: str = "provincie", lang: str = "nl",
           standard: Optional[Standard] = None,
           progress: Optional[Callable[[Outcome], None]] = None, workers: Optional[int] = None,
           replace_newer: bool = False, uitvraag: Optional[str] = None) -> List[Outcome]:
    """Inspect and store every package in one transaction (see the module's text). Raises
    pgio.PgError when the database cannot be reached; psycopg2's error when it fails (nothing is
    stored then). `workers`: processes that inspect the next packages while this one stores the
    inspected ones, in the given order (default workers_for; 0: all here). `replace_newer`: a
    package older than the stored delivery of its gemeente and uitvraag replaces it too (see
    _older); without it such a package is refused and the stored one stays."""
    standard = standard or load()
    workers = workers_for(len(packages)) if workers is None else workers
    pool = None
    if workers > 0:              # started (forked) before the connection is opened: they share nothing of it
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(workers, multiprocessing.get_context(method), initializer=_worker_init,
                                   initargs=(standard, os.getpid()))
        try:
            futures = [pool.submit(_worker_prepare, p, lang, uitvraag) for p in packages]
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        prepared = _in_order(futures, packages, standard, lang, uitvraag)
    else:
        prepared = (prepare(p, standard, lang, uitvraag) for p in packages)
    outcomes: List[Outcome] = []
    try:
        con = pgio.connect(source)
        try:
            with con.cursor() as cur:
                cur.execute("SET application_name = 'lmvw-intake'")
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("schema", schema),))
                for statement in ddl(standard, schema):
                    cur.execute(statement)
                deferred = _defer_checks(cur, schema)
                for got in prepared:
                    _store(cur, got, schema, replace_newer)
                    outcomes.append(got.outcome)
                    if progress is not None:
                        progress(got.outcome)
                for statement in deferred:
                    cur.execute(statement)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return outcomes


def _defer_checks(cur, schema: str) -> List[str]:
    """The first intake into a schema (its plan and fasering tables empty): the links to levering
    (foreign keys) and the spatial index are dropped inside the transaction and made again after the
    last package (returned: the statements that restore them exactly as they were). The database
    then checks every row's link once, in one query, and builds the index in one pass, instead of
    row by row (about half the server's work for 342 packages). Later intakes keep both as they are.
    All of it is inside the one transaction: stopped half-way, nothing of it remains."""
    s = qi(schema)
    cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {s}.{PLANNEN}) AND NOT EXISTS (SELECT 1 FROM {s}.{FASERING})")
    if not cur.fetchone()[0]:
        return []
    cur.execute("SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.contype = 'f' AND c.conrelid IN (%s::regclass, %s::regclass) ORDER BY 1, 2",
                (f"{s}.{PLANNEN}", f"{s}.{FASERING}"))
    keys = cur.fetchall()
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s "
                "AND indexdef LIKE '%% USING gist %%' ORDER BY 1", (schema, PLANNEN))
    indexes = cur.fetchall()
    restore = []
    # only what this user may do at once: not the tables' owner, or a session holding them (a
    # QGIS showing the empty layer), and the rows are checked and indexed one by one as later
    cur.execute("SAVEPOINT lmvw_defer")
    try:
        cur.execute("SET LOCAL lock_timeout = '2s'")
        for table, name, definition in keys:
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qi(name)}")
            restore.append(f"ALTER TABLE {table} ADD CONSTRAINT {qi(name)} {definition}")
        for name, definition in indexes:
            cur.execute(f"DROP INDEX {s}.{qi(name)}")
            restore.append(definition)
        cur.execute("SET LOCAL lock_timeout = 0")
    except pgio.psycopg2().Error:
        cur.execute("ROLLBACK TO SAVEPOINT lmvw_defer")
        return []
    cur.execute("RELEASE SAVEPOINT lmvw_defer")
    return restore


def _in_order(futures, packages: List[str], standard: Standard, lang: str, uitvraag: Optional[str] = None):
    """The workers' results in the packages' order, each let go once stored (their rows are not
    all held until the end). A worker that died (the system ended it: memory) leaves the rest to
    this process, as without workers."""
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool
    waiting = deque(zip(packages, futures))
    futures.clear()
    while waiting:
        path, future = waiting.popleft()
        try:
            got = future.result()
        except BrokenProcessPool:
            got = prepare(path, standard, lang, uitvraag)
        yield got


def delivery_moment(manifest: dict) -> tuple:
    """What orders two deliveries of one gemeente and uitvraag: the peildatum, then the moment the
    package was made (manifest `created_at`, ISO 8601 in UTC: text order is time order)."""
    return (str(manifest.get("peildatum") or ""), str(manifest.get("created_at") or ""))


def _older(got: Prepared, stored: tuple) -> Optional[Problem]:
    """The refusal of a package that is older than the stored delivery `stored` (its bestand,
    peildatum, created_at), or None when it is as new or newer."""
    name, peildatum, created = stored
    stored_at = (str(peildatum or ""), str(created or ""))
    here = mine = delivery_moment(got.manifest)
    theirs = stored_at
    if not here[0] or not stored_at[0]:   # a province file has no peildatum: the moments made alone
        mine, theirs = ("", here[1]), ("", stored_at[1])
    if mine >= theirs:
        return None
    return Problem("older_delivery", os.path.basename(got.outcome.path),
                   {"peildatum": here[0] or "?", "created": here[1] or "?", "stored": name or "?",
                    "stored_peildatum": stored_at[0] or "?", "stored_created": stored_at[1] or "?",
                    "gemeente": got.outcome.gemeentecode, "uitvraag": got.outcome.uitvraag})


def _store(cur, got: Prepared, schema: str, replace_newer: bool = False) -> None:
    out, m = got.outcome, got.manifest
    if got.plans_copy is None:
        return
    s = qi(schema)
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(out.gemeentecode, out.uitvraag),))
    cur.execute(f"SELECT id, sha256, bestand, peildatum::text, manifest->>'created_at' FROM {s}.{LEVERING} "
                "WHERE gemeentecode = %s AND uitvraag = %s", (out.gemeentecode, out.uitvraag))
    row = cur.fetchone()
    if row is not None and row[1] == got.digest:
        out.status = "unchanged"
        return
    older = _older(got, row[2:]) if row is not None and not replace_newer else None
    if older is not None:                 # an older delivery arriving late: the stored one stays
        out.problems.append(older)
        return
    if row is not None:                   # its rows (by hand: their links may be deferred, see _defer_checks)
        cur.execute(f"DELETE FROM {s}.{FASERING} WHERE levering_id = %s", (row[0],))
        cur.execute(f"DELETE FROM {s}.{PLANNEN} WHERE levering_id = %s", (row[0],))
        cur.execute(f"DELETE FROM {s}.{LEVERING} WHERE id = %s", (row[0],))
    v = m.get("validation") or {}
    cur.execute(f"INSERT INTO {s}.{LEVERING} (gemeentecode, gemeentenaam, uitvraag, peildatum, profiel, concept, "
                "plannen, fouten, waarschuwingen, sha256, bestand, manifest) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (out.gemeentecode, m.get("gemeentenaam"), out.uitvraag, m.get("peildatum"), m.get("profile"),
                 bool(m.get("concept")), got.plans_n, v.get("errors"), v.get("warnings"), got.digest,
                 out.path.replace("\\", "/").rsplit("/", 1)[-1], json.dumps(m, ensure_ascii=False)))
    lev = str(cur.fetchone()[0])
    pgio.copy_text_into(cur, f"{s}.{PLANNEN}", got.plan_names + ["levering_id"], pgio.append_cell(got.plans_copy, lev))
    if got.fasering_copy:
        pgio.copy_text_into(cur, f"{s}.{FASERING}", got.fasering_names + ["levering_id"],
                            pgio.append_cell(got.fasering_copy, lev))
    out.status = "replaced" if row is not None else "loaded"
