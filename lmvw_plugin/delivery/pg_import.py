"""`import SOURCE --into PG:"…" --schema S` (issue 12): the target of an import is a plan register
in PostGIS (made by `new PG:"…"`). The import itself (reading, mapping, preview) is
delivery/importing.py's; this reads the register as the import's Target and writes the preview's
new and changed plans (and their fasering) into it in one transaction: everything or nothing.

The database stamps every written plan (`gewijzigd_op`, `gewijzigd_door`: its trigger) and checks
what it always checks (codes, counts, geometry, unique plan_id); a refusal is the import's
ImportRefused with the database's reason in the user's language, and nothing is written.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np

from ..i18n import tr
from ..standard import Standard
from ..storage import postgis as pgio
from ..storage.postgis import qi
from .import_source import ImportRefused

GEOMETRY, FASERING = "geometry", "fasering"        # keys of an import action's values (importing.py)


def _refusal(e: "pgio.PgError", source: str, schema: str) -> ImportRefused:
    return ImportRefused("database", pgio.pg_error_text(e, source, schema))


def read_tables(source: str, schema: str, standard: Standard):
    """The register's (plans, fasering) for the import's Target; ImportRefused when it cannot be read."""
    try:
        con = pgio.connect(source)
        try:
            if pgio.tables_exist(con, schema, standard) != sorted([standard.fasering_name, standard.layer_name]):
                raise pgio.PgError("no_table", schema)
        finally:
            con.close()
        plans, _info = pgio.read_plans(source, schema, standard)
        fasering = pgio.read_fasering(source, schema, standard)
    except pgio.PgError as e:
        raise _refusal(e, source, schema) from None
    return plans, fasering


def write_preview(source: str, schema: str, new: List, upd: List, target, standard: Standard,
                  lang: str = "nl") -> Dict[str, int]:
    """Insert the `new` plans and update the changed ones (`upd`) of an import's preview in the
    register (`target`: the Target they were compared with), with their fasering, in one
    transaction. Raises ImportRefused (nothing written) when the database refuses, or when a changed
    plan was saved by someone else after the register was read (`gewijzigd_op`, as in QGIS)."""
    never = {pgio.STAMP_FIELD, pgio.USER_FIELD}           # the database's trigger sets these
    fields = [f for f in standard.fields if f.name in target.fields and f.name not in never]
    table = f"{qi(schema)}.{qi(standard.layer_name)}"
    fas_table = f"{qi(schema)}.{qi(standard.fasering_name)}"
    fas_fields = list(standard.fasering_fields)
    pg = pgio.psycopg2()
    try:
        con = pgio.connect(source)
    except pgio.PgError as e:
        raise _refusal(e, source, schema) from None
    try:
        with con.cursor() as cur:
            if new:
                geoms = np.array([a.values.get(GEOMETRY) for a in new], dtype=object)
                wkb = pgio._hex_ewkb(pgio.SRID, geoms)
                rows = [[w] + [pgio._cell(f, a.values.get(f.name)) for f in fields] for a, w in zip(new, wkb)]
                pgio.copy_rows(cur, table, ["geom"] + [f.name for f in fields], rows)
            for a in upd:
                fid = target.fids[a.target]
                sets = [f for f in fields if f.name in a.values]
                sql = [f"{qi(f.name)} = %s" for f in sets]
                args: List[Any] = [a.values[f.name] for f in sets]
                if GEOMETRY in a.values:
                    sql.append("geom = %s::geometry")
                    args.append(pgio._hex_ewkb(pgio.SRID, np.array([a.values[GEOMETRY]], dtype=object))[0])
                if not sql:
                    continue
                # the version read (optimistic lock): a colleague's save since then is not overwritten
                read = target.records[a.target].get(pgio.STAMP_FIELD)
                cur.execute(f"UPDATE {table} SET {', '.join(sql)} WHERE fid = %s AND "
                            f"{qi(pgio.STAMP_FIELD)} IS NOT DISTINCT FROM %s", args + [fid, read])
                if cur.rowcount == 0:
                    cur.execute(f"SELECT coalesce({qi(pgio.USER_FIELD)}, ''), to_char({qi(pgio.STAMP_FIELD)} AT TIME "
                                f"ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM {table} WHERE fid = %s", (fid,))
                    who, when = cur.fetchone() or ("", "")
                    raise ImportRefused("conflict", tr(
                        "Plan {} was saved by {} at {} after the import read the register: nothing was imported. "
                        "Run the import again (it then compares with that save).", a.plannaam or a.plan_id,
                        who or "?", pgio.local_time(when or "")))
            fas_rows: List[List[Optional[str]]] = []
            for k, a in enumerate(new + upd):
                if FASERING not in a.values:
                    continue
                if k >= len(new):                 # a changed plan: its years are replaced
                    cur.execute(f"DELETE FROM {fas_table} WHERE {qi(standard.fasering_key)} = %s", (a.plan_id,))
                for r in a.values[FASERING]:
                    fas_rows.append([pgio._cell(f, a.plan_id if f.name == standard.fasering_key else r.get(f.name))
                                     for f in fas_fields])
            if fas_rows:
                pgio.copy_rows(cur, fas_table, [f.name for f in fas_fields], fas_rows)
        con.commit()
    except ImportRefused:
        con.rollback()
        raise
    except pg.Error as e:
        con.rollback()
        raise ImportRefused("database", tr("The database refused the import ({}): nothing was imported.",
                                           pgio.problem_text(pgio.db_problem(e, standard), standard, lang))) from None
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()
    return {"new": len(new), "updated": len(upd)}
