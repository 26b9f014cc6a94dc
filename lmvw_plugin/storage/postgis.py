"""The plan register in PostgreSQL/PostGIS (no qgis): the standard's two tables with the database
enforcing what must always hold, fast whole-layer reads, database errors as translated messages,
and the optimistic lock on `gewijzigd_op`.

A source is `PG:"service=lmvw"` or `PG:"dbname=… host=…"` (libpq's connection string) plus a schema.
Statements and transactions go through psycopg2 (Debian's python3-psycopg2; QGIS's installers
ship it); whole-layer reads go through GDAL's PostgreSQL driver (the Arrow stream, not feature
by feature).

What the database enforces (every client: the plugin, QGIS without it, psql, ogr2ogr):
plan_id a unique uuid; geometry MultiPolygon in EPSG:28992; counts >= 0; code values from their
lists (CHECK constraints named `<field>_code`); fasering rows belong to a plan (FK, ON DELETE
CASCADE: deleting a plan deletes its years); `gewijzigd_op` and `gewijzigd_door` set by a trigger
on every insert and update. The trigger is also the optimistic lock: an UPDATE that sets
`gewijzigd_op` names the version it edited; when the row has changed since, the database refuses
with `lmvw_conflict` naming who changed it and when (`Conflict`). An UPDATE that leaves
`gewijzigd_op` alone (QGIS without the plugin, psql) is stamped and saved.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from osgeo import gdal, ogr

from ..i18n import tr
from ..rules.table import FaseringTable, PlanTable
from ..standard import FieldDef, Standard
from . import ogr as ogrio

gdal.UseExceptions()
ogr.UseExceptions()

USER_FIELD = "gewijzigd_door"         # not in the Basisset: who saved the plan last (the database's user)
STAMP_FIELD = "gewijzigd_op"
SRID = 28992
CONFLICT = "lmvw_conflict"


class PgError(Exception):
    """A PostgreSQL source that cannot be used. `reason`: no_driver | connect | no_schema | no_table |
    exists | database; `detail` the server's text."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Conflict(Exception):
    """Another user saved the plan after it was read: who and when (the row as it is now)."""
    plan_id: str
    who: str
    when: str

    def __str__(self):
        return f"{CONFLICT}: {self.plan_id} {self.who} {self.when}"


def is_pg(source: Optional[str]) -> bool:
    return bool(source) and source.strip()[:3].upper() == "PG:"


def conninfo(source: str) -> str:
    """libpq's connection string of `PG:"…"` (quotes as a shell would leave them are removed)."""
    text = source.strip()
    if text[:3].upper() == "PG:":
        text = text[3:]
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text


def display(source: str) -> str:
    """The connection for messages: without its password."""
    return re.sub(r"""\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)\s*""", "", conninfo(source)).strip()


def qi(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def ql(value: str) -> str:
    """A quoted SQL literal."""
    return "'" + str(value).replace("'", "''") + "'"


def psycopg2():
    try:
        import psycopg2 as mod
        import psycopg2.extras  # noqa: F401
    except ImportError:
        raise PgError("no_driver", "psycopg2") from None
    return mod


def connect(source: str, autocommit: bool = False):
    """A psycopg2 connection; PgError('connect') with the server's reason."""
    pg = psycopg2()
    try:
        con = pg.connect(conninfo(source))
    except pg.Error as e:
        raise PgError("connect", (str(e) or type(e).__name__).strip()) from None
    con.autocommit = autocommit
    return con


# ------------------------------------------------------------------------------------------------
# the schema


def _column(f: FieldDef, standard: Standard, table: str) -> str:
    if f.name == standard.key:
        return f"{qi(f.name)} uuid NOT NULL DEFAULT gen_random_uuid()"
    if f.type == "text":
        sql = f"{qi(f.name)} varchar({int(f.width)})" if f.width else f"{qi(f.name)} text"
    elif f.type == "int":
        sql = f"{qi(f.name)} integer"
    elif f.type == "bool":
        sql = f"{qi(f.name)} boolean"
    elif f.type == "date":
        sql = f"{qi(f.name)} date"
    else:
        sql = f"{qi(f.name)} timestamp(3) with time zone"
    if f.default is not None and not isinstance(f.default, dict):
        sql += " DEFAULT " + ("true" if f.default is True else "false" if f.default is False
                              else str(int(f.default)) if f.type == "int" else ql(f.default))
    if f.count:
        sql += f" CONSTRAINT {qi(f'{table}_{f.name}_ge0')} CHECK ({qi(f.name)} >= 0)"
    if f.codelist:
        codes = ", ".join(ql(c) for c in standard.codes(f.codelist))
        sql += f" CONSTRAINT {qi(f'{table}_{f.name}_code')} CHECK ({qi(f.name)} IN ({codes}))"
    return sql


def ddl(standard: Standard, schema: str) -> List[str]:
    """The statements that create the register in `schema` (which may exist, its tables not)."""
    s, plans, fas = qi(schema), standard.layer_name, standard.fasering_name
    key = standard.fasering_key
    cols = [_column(f, standard, plans) for f in standard.fields]
    fcols = []
    for f in standard.fasering_fields:
        if f.name == key:
            fcols.append(f"{qi(key)} uuid NOT NULL CONSTRAINT {qi(f'{fas}_{key}_plan')} REFERENCES "
                         f"{s}.{qi(plans)} ({qi(standard.key)}) ON DELETE CASCADE ON UPDATE CASCADE")
        else:
            fcols.append(_column(f, standard, fas))
    return [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        f"CREATE SCHEMA IF NOT EXISTS {s}",
        f"CREATE TABLE {s}.{qi(plans)} (fid serial PRIMARY KEY, "
        f"geom geometry(MultiPolygon, {SRID}), " + ", ".join(cols) + f", {qi(USER_FIELD)} text, "
        f"CONSTRAINT {qi(f'{plans}_{standard.key}_unique')} UNIQUE ({qi(standard.key)}))",
        f"CREATE INDEX {qi(f'{plans}_geom_idx')} ON {s}.{qi(plans)} USING gist (geom)",
        f"CREATE TABLE {s}.{qi(fas)} (fid serial PRIMARY KEY, " + ", ".join(fcols) + ")",
        f"CREATE INDEX {qi(f'{fas}_{key}_idx')} ON {s}.{qi(fas)} ({qi(key)})",
        f"""CREATE FUNCTION {s}.lmvw_stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.{qi(STAMP_FIELD)} IS DISTINCT FROM OLD.{qi(STAMP_FIELD)}
     AND NEW.{qi(STAMP_FIELD)} IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '40001',
      MESSAGE = format('{CONFLICT}|%s|%s|%s', OLD.{qi(standard.key)}, coalesce(OLD.{qi(USER_FIELD)}, ''),
                       to_char(OLD.{qi(STAMP_FIELD)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      HINT = 'the plan was saved by another user after it was read';
  END IF;
  NEW.{qi(STAMP_FIELD)} := clock_timestamp();
  NEW.{qi(USER_FIELD)} := session_user;
  RETURN NEW;
END $f$""",
        f"CREATE TRIGGER lmvw_stamp BEFORE INSERT OR UPDATE ON {s}.{qi(plans)} "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.lmvw_stamp()",
        f"COMMENT ON TABLE {s}.{qi(plans)} IS {ql(f'Basisset {standard.version} woningbouwplannen')}",
        f"COMMENT ON TABLE {s}.{qi(fas)} IS 'Fasering per plan en jaar'",
    ] + [f"COMMENT ON COLUMN {s}.{qi(t)}.{qi(f.name)} IS {ql(f.label.get('nl', ''))}"
         for t, fields in ((plans, standard.fields), (fas, standard.fasering_fields)) for f in fields] + [
        f"COMMENT ON COLUMN {s}.{qi(plans)}.{qi(USER_FIELD)} IS 'Gewijzigd door (gebruiker van de database)'",
    ]


def tables_exist(con, schema: str, standard: Standard) -> List[str]:
    with con.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                    "AND table_name IN (%s, %s) ORDER BY 1",
                    (schema, standard.layer_name, standard.fasering_name))
        return [r[0] for r in cur.fetchall()]


def create_register(source: str, schema: str, standard: Standard) -> None:
    """Create the two tables in `schema`, in one transaction (nothing is left when it fails).
    PgError('exists') when they are there already."""
    con = connect(source)
    pg = psycopg2()
    try:
        found = tables_exist(con, schema, standard)
        if found:
            raise PgError("exists", f"{schema}." + ", ".join(found))
        try:
            with con.cursor() as cur:
                for statement in ddl(standard, schema):
                    cur.execute(statement)
            con.commit()
        except pg.Error as e:
            con.rollback()
            raise PgError("database", (e.pgerror or str(e)).strip()) from None
    finally:
        con.close()


# ------------------------------------------------------------------------------------------------
# database errors in the user's language


@dataclass
class DbProblem:
    kind: str                 # negative | code | geometry | duplicate | orphan | conflict | not_null | other
    field: str = ""
    detail: str = ""
    who: str = ""
    when: str = ""


def db_problem(error, standard: Optional[Standard] = None) -> DbProblem:
    """What a database error (psycopg2's exception, or the text QGIS or GDAL report) means."""
    text = getattr(error, "pgerror", None) or str(error)
    diag = getattr(error, "diag", None)
    constraint = (getattr(diag, "constraint_name", None) or "") if diag is not None else ""
    if not constraint:
        m = re.search(r'constraint "([^"]+)"', text)
        constraint = m.group(1) if m else ""
    m = re.search(CONFLICT + r"\|([^|]*)\|([^|]*)\|([^\s|\"]*)", text)
    if m:
        return DbProblem("conflict", STAMP_FIELD, m.group(1), m.group(2), m.group(3))
    names = [f.name for f in (standard.fields + standard.fasering_fields)] if standard else []
    for suffix, kind in (("_ge0", "negative"), ("_code", "code"), ("_unique", "duplicate"), ("_plan", "orphan")):
        if constraint.endswith(suffix):
            stem = constraint[:-len(suffix)]
            field = next((n for n in sorted(names, key=len, reverse=True) if stem.endswith("_" + n)), stem)
            value = ""
            dm = re.search(r"Key \([^)]*\)=\(([^)]*)\)", text)
            if dm:
                value = dm.group(1)
            return DbProblem(kind, field, value)
    if "does not match column type" in text or "Geometry SRID" in text or "does not match column SRID" in text:
        return DbProblem("geometry", "geom", text.splitlines()[0].replace("ERROR:", "").strip())
    m = re.search(r'null value in column "([^"]+)"', text)
    if m:
        return DbProblem("not_null", m.group(1))
    m = re.search(r'invalid input syntax for type uuid: "([^"]*)"', text)
    if m:
        return DbProblem("uuid", "plan_id", m.group(1))
    return DbProblem("other", "", text.strip().splitlines()[0] if text.strip() else type(error).__name__)


def problem_text(p: DbProblem, standard: Optional[Standard] = None, lang: str = "nl") -> str:
    """The problem as a message naming the field and the fix (in the interface's language)."""
    label = p.field
    if standard is not None:
        f = standard.field_by_name.get(p.field) or {g.name: g for g in standard.fasering_fields}.get(p.field)
        if f is not None:
            label = f"{f.text(lang)} ({p.field})"
    if p.kind == "negative":
        return tr("The database refused the save: {} is negative. A count is 0 or more; correct it and save again.",
                  label)
    if p.kind == "code":
        return tr("The database refused the save: {} has a value that is not in its code list. Choose a value "
                  "from the list and save again.", label)
    if p.kind == "duplicate":
        return tr("The database refused the save: plan_id {} is already used by another plan. Give this plan a "
                  "new plan_id (a new UUID) and save again.", p.detail or "")
    if p.kind == "orphan":
        return tr("The database refused the save: a fasering row names plan_id {}, which is no plan in the "
                  "register. Save the plan first, or correct the plan_id of the row.", p.detail or "")
    if p.kind == "geometry":
        return tr("The database refused the save: the geometry must be a (multi)polygon in EPSG:28992 (RD New) "
                  "({}). Draw the plan as a polygon.", p.detail)
    if p.kind == "uuid":
        return tr("The database refused the save: plan_id '{}' is not a UUID. Leave plan_id empty to get a new "
                  "one, or write a UUID such as 123e4567-e89b-42d3-a456-426614174000.", p.detail)
    if p.kind == "not_null":
        return tr("The database refused the save: {} is empty and must be filled in.", label)
    if p.kind == "conflict":
        return tr("Plan {} was saved by {} at {} after you started editing it: your change was not saved and "
                  "is still in your edit buffer. Reload the plan to see theirs, then make your change again "
                  "(or discard yours).", p.detail, p.who or "?", local_time(p.when))
    return tr("The database refused the save: {}", p.detail)


def local_time(iso: str) -> str:
    """'2026-12-01T10:15:00.000Z' as local time, to the second."""
    try:
        t = _dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        return t.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def pg_error_text(e, source: str, schema: str) -> str:
    where = display(source)
    return {"no_driver": tr("PostgreSQL needs the Python module psycopg2: install it (Debian: apt-get install "
                            "python3-psycopg2; OSGeo4W: python3-psycopg2) and try again."),
            "connect": tr("Cannot connect to the database {}: {}. Check the connection (host, dbname, user, "
                          "password or the service in pg_service.conf).", where, e.detail),
            "no_table": tr("The database {} has no plan register in schema '{}': check --schema, or create it "
                           "with 'python -m lmvw_plugin new PG:\"…\" --schema {}'.", where, schema, schema),
            "exists": tr("Schema '{}' of {} already holds a plan register ({}): choose another schema (nothing "
                         "was changed).", schema, where, e.detail),
            }.get(e.reason, tr("The database {} answered: {}", where, e.detail))


# ------------------------------------------------------------------------------------------------
# reading whole layers (validation, export)


def open_ogr(source: str, schema: str):
    """GDAL's PostgreSQL data source limited to `schema`."""
    try:
        return gdal.OpenEx("PG:" + conninfo(source), gdal.OF_VECTOR | gdal.OF_READONLY,
                           open_options=[f"SCHEMAS={schema}", f"ACTIVE_SCHEMA={schema}"])
    except RuntimeError as e:
        raise PgError("connect", str(e).strip()) from None


def _select(fields: Sequence[FieldDef], present: set, schema: str, table: str, geom: bool) -> str:
    cols = ["fid AS lmvw_fid"] + (["geom"] if geom else [])
    for f in fields:
        if f.name not in present:
            continue
        if f.type == "bool":
            cols.append(f"{qi(f.name)}::int AS {qi(f.name)}")
        elif f.type == "datetime":
            cols.append(f"to_char({qi(f.name)} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS "
                        f"{qi(f.name)}")
        elif f.type == "date":
            cols.append(f"to_char({qi(f.name)}, 'YYYY-MM-DD') AS {qi(f.name)}")
        else:
            cols.append(f"{qi(f.name)}::text AS {qi(f.name)}" if f.type == "text" else qi(f.name))
    return f"SELECT {', '.join(cols)} FROM {qi(schema)}.{qi(table)} ORDER BY fid"


def _columns(con_source: str, schema: str, table: str) -> set:
    con = connect(con_source, autocommit=True)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                        "AND table_name = %s", (schema, table))
            return {r[0] for r in cur.fetchall()}
    finally:
        con.close()


def _read_sql(source: str, schema: str, sql: str, geom: bool):
    ds = open_ogr(source, schema)
    try:
        res = ds.ExecuteSQL(sql)
        try:
            cols: Dict[str, list] = {}
            geoms: list = []
            fids: list = []
            geom_col = res.GetGeometryColumn() or "geom"
            stream = res.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=NO"])
            for batch in stream:
                for k, v in batch.items():
                    if k == "lmvw_fid":
                        fids.append(np.array(v, dtype=np.int64))
                    elif geom and k in (geom_col, "wkb_geometry", "geom"):
                        geoms.append(ogrio._copy(v))
                    elif k != "OGC_FID":
                        cols.setdefault(k, []).append(ogrio._copy(v))
                del batch
            del stream
        finally:
            ds.ReleaseResultSet(res)
    except RuntimeError as e:
        raise PgError("database", str(e).strip()) from None
    finally:
        ds = None  # noqa: F841
    out = {k: (np.ma.concatenate(v) if len(v) > 1 else v[0]) for k, v in cols.items()}
    fid = np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)
    return out, geoms, fid


def _copy_geometries(source: str, schema: str, table: str):
    """(fids, WKB list) of a table by a binary COPY through psycopg2 (the fastest way out of the
    server; run beside GDAL's read of the attributes)."""
    import io
    import struct
    con = connect(source, autocommit=True)
    try:
        buf = io.BytesIO()
        with con.cursor() as cur:
            cur.copy_expert(f"COPY (SELECT fid, ST_AsBinary(geom) FROM {qi(schema)}.{qi(table)} ORDER BY fid) "
                            "TO STDOUT (FORMAT binary)", buf)
    finally:
        con.close()
    data = buf.getbuffer()
    pos = 11 + 4
    ext, = struct.unpack_from(">i", data, pos)
    pos += 4 + ext
    fids: List[int] = []
    wkbs: List[Optional[bytes]] = []
    unpack_h, unpack_i = struct.Struct(">h").unpack_from, struct.Struct(">i").unpack_from
    while True:
        n, = unpack_h(data, pos)
        pos += 2
        if n == -1:
            break
        size, = unpack_i(data, pos)
        pos += 4
        fids.append(int.from_bytes(data[pos:pos + size], "big", signed=True))
        pos += size
        size, = unpack_i(data, pos)
        pos += 4
        if size < 0:
            wkbs.append(None)
        else:
            wkbs.append(bytes(data[pos:pos + size]))
            pos += size
    return np.asarray(fids, dtype=np.int64), wkbs


def read_plans(source: str, schema: str, standard: Standard) -> Tuple[PlanTable, "ogrio.LayerInfo"]:
    """The plan table of the register in `schema`: the attributes through GDAL (columnar, in two
    halves of the columns over two connections at once), the geometries at the same time by a
    binary COPY (GDAL's read of them when that fails)."""
    import threading
    present = _columns(source, schema, standard.layer_name)
    if not present:
        raise PgError("no_table", f"{schema}.{standard.layer_name}")
    has_geom = "geom" in present
    got: Dict[str, object] = {}

    def copy():
        try:
            got["geom"] = _copy_geometries(source, schema, standard.layer_name)
        except Exception as e:  # noqa: BLE001 - any failure: GDAL reads the geometries below
            got["error"] = e
    worker = threading.Thread(target=copy, name="lmvw-pg-geometries", daemon=True) if has_geom else None
    if worker is not None:
        worker.start()
    # the attributes in two halves, each over its own connection at the same time (GDAL converts the
    # rows in C without the GIL, the server works for both): the columns are the same as in one read
    wanted = [f for f in standard.fields if f.name in present]
    halves = [wanted[0::2], wanted[1::2]] if len(wanted) > 1 else [wanted]
    parts: Dict[int, object] = {}

    def attributes(k):
        try:
            parts[k] = _read_sql(source, schema, _select(halves[k], present, schema, standard.layer_name, False),
                                 False)
        except Exception as e:  # noqa: BLE001 - raised below, in the caller's thread
            parts[k] = e
    others = [threading.Thread(target=attributes, args=(k,), name="lmvw-pg-attributes", daemon=True)
              for k in range(1, len(halves))]
    try:
        for t in others:
            t.start()
        attributes(0)
    finally:
        for t in others:
            t.join()
        if worker is not None:
            worker.join()
    for k in range(len(halves)):
        if isinstance(parts[k], Exception):
            raise parts[k]
    cols, _, fids = parts[0]
    for k in range(1, len(halves)):
        more, _, more_fids = parts[k]
        if not np.array_equal(more_fids, fids):           # the table changed between the reads: one read
            cols, _, fids = _read_sql(source, schema, _select(standard.fields, present, schema,
                                                              standard.layer_name, False), False)
            break
        cols.update(more)
    order = {f.name: i for i, f in enumerate(wanted)}
    cols = dict(sorted(cols.items(), key=lambda kv: order.get(kv[0], len(order))))     # as one read orders them
    geom_batches: list = []
    if has_geom:
        if "geom" in got and np.array_equal(got["geom"][0], fids):
            arr = np.empty(len(fids), dtype=object)
            arr[:] = got["geom"][1]
            geom_batches = [arr]
        else:                                  # the table changed between the two reads, or no COPY
            cols, geom_batches, fids = _read_sql(source, schema, _select(standard.fields, present, schema,
                                                                         standard.layer_name, True), True)
    for f in standard.fields:
        if f.name in present:
            cols.setdefault(f.name, np.empty(0, dtype=object))
    counts = {"curved": 0, "flattened": 0, "converted": 0, "unreadable": 0}
    geoms = ogrio._wkb_to_shapely(geom_batches, counts) if geom_batches else np.full(len(fids), None, dtype=object)
    label = f"PG:{display(source)} {schema}.{standard.layer_name}"
    table = PlanTable.from_columns(standard, cols, geoms, fids, source=label)
    info = ogrio.LayerInfo(label, standard.layer_name, SRID, None, "MultiPolygon", len(fids), False)
    info.curved, info.flattened = counts["curved"], counts["flattened"]
    info.converted, info.unreadable = counts["converted"], counts["unreadable"]
    return table, info


def read_fasering(source: str, schema: str, standard: Standard) -> Optional[FaseringTable]:
    present = _columns(source, schema, standard.fasering_name)
    if not present:
        return None
    cols, _, fids = _read_sql(source, schema, _select(standard.fasering_fields, present, schema,
                                                      standard.fasering_name, False), False)
    for f in standard.fasering_fields:
        if f.name in present:
            cols.setdefault(f.name, np.empty(0, dtype=object))
    return FaseringTable.from_columns(standard, cols, fids)


# ------------------------------------------------------------------------------------------------
# writing plans (intake, import, tests) and saving one plan with the optimistic lock


def _cell(f: FieldDef, v) -> Optional[str]:
    """A value for COPY's text format (None is NULL)."""
    if v is None or (isinstance(v, float) and v != v) or v is np.ma.masked:
        return None
    if f.type == "bool":
        return "t" if bool(v) else "f"
    if f.type == "int":
        return str(int(v))
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return str(v)
    text = str(v)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_text(rows) -> str:
    """Rows (lists of text cells or None) as COPY's text format: one line per row; a newline in a
    value is escaped (see _cell), so every raw newline ends a row."""
    return "".join("\t".join("\\N" if c is None else c for c in row) + "\n" for row in rows)


def append_cell(text: str, cell: str) -> str:
    """COPY text with one more cell (the same plain value, no tab or newline) at the end of each row."""
    return text.replace("\n", "\t" + cell + "\n")


def copy_text_into(cur, table_sql: str, names: Sequence[str], text: str) -> None:
    import io
    cur.copy_expert(f"COPY {table_sql} ({', '.join(qi(n) for n in names)}) FROM STDIN", io.StringIO(text))


def copy_rows(cur, table_sql: str, names: Sequence[str], rows) -> None:
    """COPY rows (lists of text cells or None) into a table: one round trip for many rows."""
    copy_text_into(cur, table_sql, names, copy_text(rows))


def plan_rows(standard: Standard, plans: PlanTable, fields: Optional[Sequence[FieldDef]] = None,
              extra: Sequence[str] = ()):
    """(column names, rows) of a plan table for copy_rows (geometry as hex EWKB)."""
    from ..common.geo import shapely
    fields = [f for f in (fields or standard.fields)]
    names = ["geom"] + [f.name for f in fields]
    geoms = plans.geometry
    wkb = np.full(len(geoms), None, dtype=object)
    ok = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if ok.any():
        multi = np.array([shapely.multipolygons([g]) if g.geom_type == "Polygon" else g for g in geoms[ok]],
                         dtype=object)
        wkb[ok] = shapely.to_wkb(shapely.set_srid(multi, SRID), hex=True, include_srid=True)
    cols = [plans.columns[f.name] for f in fields]

    def rows():
        for i in range(plans.n):
            yield [wkb[i]] + [_cell(f, c[i]) for f, c in zip(fields, cols)] + list(extra)
    return names, rows()


def fasering_rows(standard: Standard, fasering: FaseringTable, extra: Sequence[str] = ()):
    fields = list(standard.fasering_fields)
    cols = [fasering.column(f.name) for f in fields]

    def rows():
        for i in range(fasering.n):
            yield [_cell(f, c[i]) for f, c in zip(fields, cols)] + list(extra)
    return [f.name for f in fields], rows()


def _hex_ewkb(standard_srid: int, geoms: np.ndarray) -> List[Optional[str]]:
    """Hex EWKB (upper case, as GEOS writes it) of each geometry, a Polygon as a one-part
    MultiPolygon; None for a missing one. GEOS's own hex writer is ~5x slower than bytes.hex()."""
    from ..common.geo import shapely
    out: List[Optional[str]] = [None] * len(geoms)
    ok = np.fromiter((g is not None for g in geoms), dtype=bool, count=len(geoms))
    if ok.any():
        multi = np.array([shapely.multipolygons([g]) if g.geom_type == "Polygon" else g for g in geoms[ok]],
                         dtype=object)
        wkb = shapely.to_wkb(shapely.set_srid(multi, standard_srid), hex=False, include_srid=True)
        for i, b in zip(np.nonzero(ok)[0].tolist(), wkb):
            out[i] = b.hex().upper()
    return out


def _column_cells(f: FieldDef, col) -> List[str]:
    """_cell of every value of a column, as COPY text cells ('\\N' for NULL): the same text, worked
    out a column at a time (the intake writes ~50 columns of a few hundred rows per package)."""
    null = "\\N"
    masked = np.ma.masked
    if isinstance(col, np.ndarray) and col.dtype.kind in "OiufbU":
        values = col.tolist()                  # masked values read as None, numbers as Python's
    else:
        values = list(col)
    if f.type == "bool":
        return [null if v is None or v is masked or (isinstance(v, float) and v != v) else ("t" if v else "f")
                for v in values]
    if f.type == "int":
        return [null if v is None or v is masked or (isinstance(v, float) and v != v) else str(int(v))
                for v in values]
    out = [None if v is None or v is masked or (isinstance(v, float) and v != v) else
           v if type(v) is str else _plain(v) for v in values]
    probe = "\x00".join(c for c in out if c is not None)
    if "\\" in probe or "\t" in probe or "\n" in probe or "\r" in probe:
        out = [None if c is None else c.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
               .replace("\r", "\\r") for c in out]
    return [null if c is None else c for c in out]


def _plain(v) -> str:
    """_cell's text of a value that is not NULL, not a str, of a text/date/datetime field, before escaping."""
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return str(v)


def _copy_columns(columns: List[List[str]]) -> str:
    return "".join("\t".join(row) + "\n" for row in zip(*columns)) if columns else ""


def plan_copy(standard: Standard, plans: PlanTable,
              fields: Optional[Sequence[FieldDef]] = None) -> Tuple[List[str], str]:
    """(column names, COPY text) of a plan table: the text copy_text(plan_rows(...)) gives, faster."""
    fields = list(fields or standard.fields)
    cols = [[c if c is not None else "\\N" for c in _hex_ewkb(SRID, plans.geometry)]]
    cols += [_column_cells(f, plans.columns[f.name]) for f in fields]
    return ["geom"] + [f.name for f in fields], _copy_columns(cols) if plans.n else ""


def fasering_copy(standard: Standard, fasering: FaseringTable) -> Tuple[List[str], str]:
    """(column names, COPY text) of a fasering table (as copy_text(fasering_rows(...)))."""
    fields = list(standard.fasering_fields)
    cols = [_column_cells(f, fasering.column(f.name)) for f in fields]
    return [f.name for f in fields], _copy_columns(cols) if fasering.n else ""


def write_plans(source: str, schema: str, standard: Standard, plans: PlanTable,
                fasering: Optional[FaseringTable] = None) -> None:
    """Append plans (and their fasering) to the register in one transaction; a database error
    raises psycopg2's exception (see db_problem) and stores nothing."""
    con = connect(source)
    try:
        with con.cursor() as cur:
            names, text = plan_copy(standard, plans)
            copy_text_into(cur, f"{qi(schema)}.{qi(standard.layer_name)}", names, text)
            if fasering is not None and fasering.n:
                names, text = fasering_copy(standard, fasering)
                copy_text_into(cur, f"{qi(schema)}.{qi(standard.fasering_name)}", names, text)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()


def read_version(con, schema: str, standard: Standard, plan_id: str) -> Tuple[Optional[str], str]:
    """(gewijzigd_op as ISO text in UTC, gewijzigd_door) of a plan as it is now."""
    with con.cursor() as cur:
        cur.execute(f"SELECT to_char({qi(STAMP_FIELD)} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
                    f"{qi(USER_FIELD)} FROM {qi(schema)}.{qi(standard.layer_name)} "
                    f"WHERE {qi(standard.key)} = %s", (plan_id,))
        row = cur.fetchone()
    return (row[0], row[1] or "") if row else (None, "")


def save_plan(con, schema: str, standard: Standard, plan_id: str, values: Dict[str, object],
              read_version_iso: str) -> str:
    """Save changed values of one plan that was read at version `read_version_iso` (its
    gewijzigd_op); raises Conflict when another user saved it since (nothing is changed then).
    Returns the new version. Commits."""
    pg = psycopg2()
    sets = [f"{qi(k)} = %s" for k in values] + [f"{qi(STAMP_FIELD)} = %s::timestamptz"]
    try:
        with con.cursor() as cur:
            cur.execute(f"UPDATE {qi(schema)}.{qi(standard.layer_name)} SET {', '.join(sets)} "
                        f"WHERE {qi(standard.key)} = %s", list(values.values()) + [read_version_iso, plan_id])
        con.commit()
    except pg.Error as e:
        con.rollback()
        p = db_problem(e, standard)
        if p.kind == "conflict":
            raise Conflict(p.detail, p.who, p.when) from None
        raise
    return read_version(con, schema, standard, plan_id)[0]
