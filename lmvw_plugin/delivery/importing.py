"""Import plans into a Basisset plan layer: from any table GDAL reads (through a mapping) and from
an earlier LMVW package. Pure (no qgis).

The steps, each usable on its own (the command line, Processing and the QGIS dialog share them):

1. `read_source(path)`: every row of the source as raw columns and geometries, the geometries
   made fit for the plan layer (MultiPolygon, EPSG:28992, linear, 2D) with notes on what was done.
2. `propose_mapping(columns, standard)`: source column → Basisset field from the field's name,
   its labels and the aliases of `standard/import-aliases.json`; a `Mapping` can be corrected,
   saved (`save`) and loaded (`load_mapping`, which refuses unknown fields and codes).
3. `convert(source, mapping, standard)`: the rows as Basisset records; every value that cannot
   come over is a `Problem` (source row, field, value, reason), never a guess.
4. `preview(records, target)`: per plan new / update (field old → new) / unchanged / conflict,
   matched by plan_id, then by the province's key (plan_id_extern), then by plannaam within the
   gemeente.
5. `write_gpkg(path, preview)`: the new and changed plans into a GeoPackage in one SQLite
   transaction (nothing changes when anything fails).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..common import timing
from ..common.files import write_whole
from ..common.geo import shapely
from ..i18n import tr
from ..rules import table as tbl
from ..standard import HERE as STANDARD_DIR
from ..standard import FieldDef, Standard
from ..storage import ogr as ogrio
from . import writers
from .import_formats import FORMATS, PROVINCE_FORMATS  # (there: light, for the command line's parser)
from .import_source import (  # noqa: F401 - step 1 lives there; re-exported for the other steps
    _BAD_WKT,
    _UUID,
    ImportRefused,
    Problem,
    Source,
    _fix_geometries,
    _jsonable,
    _norm_name,
    _row_label,
    read_source,
    refusal_for,
)

MAPPING_VERSION = 1
NEW, UPDATE, UNCHANGED, CONFLICT = "new", "update", "unchanged", "conflict"
GEOMETRY = "geometry"
FASERING = "fasering"

# ------------------------------------------------------------------------------------------------
# 2. the mapping


@dataclass
class Mapping:
    """Source column → Basisset field, and per code-list field source value → code."""
    fields: Dict[str, str] = field(default_factory=dict)
    values: Dict[str, Dict[str, str]] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        return {"lmvw_mapping": MAPPING_VERSION, "fields": dict(self.fields),
                "values": {k: dict(v) for k, v in self.values.items() if v}}

    def save(self, path: str) -> None:
        """Completely or not at all (common/files.write_whole)."""
        write_whole(path, json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n")


def _aliases() -> Dict[str, Any]:
    with open(os.path.join(str(STANDARD_DIR), "import-aliases.json"), encoding="utf-8") as fh:
        return json.load(fh)


def _targets(standard: Standard) -> Dict[str, FieldDef]:
    return {f.name: f for f in standard.fields}


def load_mapping(path: str, standard: Standard) -> Mapping:
    """A mapping file; refused (ImportRefused) when it is not one or names unknown fields or codes."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise ImportRefused("mapping", tr("The mapping file {} does not exist: check the path.", path)) from None
    except (OSError, UnicodeError, ValueError) as e:
        raise ImportRefused("mapping", tr("The mapping file {} cannot be read ({}): give a mapping file saved by "
                                          "the import.", path, e)) from None
    if not isinstance(data, dict) or data.get("lmvw_mapping") != MAPPING_VERSION or \
            not isinstance(data.get("fields"), dict) or not isinstance(data.get("values", {}), dict):
        raise ImportRefused("mapping", tr("{} is not a mapping file of this plugin (it needs \"lmvw_mapping\": {} and "
                                          "\"fields\"): save one with the import's --save-mapping.", path,
                                          MAPPING_VERSION))
    targets = _targets(standard)
    unknown = sorted({str(v) for v in data["fields"].values() if v is not None and v not in targets})
    if unknown or not all(isinstance(k, str) for k in data["fields"]):
        raise ImportRefused("mapping", tr("The mapping file {} names fields the Basisset does not have: {}. Correct "
                                          "them to Basisset field names (e.g. plannaam, planstatus).", path,
                                          ", ".join(unknown)))
    values: Dict[str, Dict[str, str]] = {}
    for fname, table in data.get("values", {}).items():
        f = targets.get(fname)
        if f is None or f.codelist is None or not isinstance(table, dict):
            raise ImportRefused("mapping", tr("The mapping file {} maps values of '{}', which is not a Basisset field "
                                              "with a code list.", path, fname))
        codes = set(standard.codes(f.codelist))
        wrong = sorted({str(c) for c in table.values() if c is not None and c not in codes})
        if wrong:
            raise ImportRefused("mapping", tr("The mapping file {} maps values of {} to codes the code list does not "
                                              "have: {}. Use one of: {}.", path, fname, ", ".join(wrong),
                                              ", ".join(sorted(codes))))
        values[fname] = {str(k): v for k, v in table.items()}
    fields = {k: v for k, v in data["fields"].items() if v is not None}
    doubled = sorted({v for v in fields.values() if list(fields.values()).count(v) > 1})
    if doubled:
        raise ImportRefused("mapping", tr("The mapping file {} maps several columns onto {}: keep one.", path,
                                          ", ".join(doubled)))
    return Mapping(fields, values)


def propose_mapping(columns: Sequence[str], standard: Standard) -> Mapping:
    """Source column → Basisset field by the field's name, its labels (nl, en) and the aliases;
    a field goes to one column at most (an exact name first)."""
    names: Dict[str, str] = {}
    for f in standard.fields:
        names.setdefault(_norm_name(f.name), f.name)
    for f in standard.fields:
        for text in f.label.values():
            names.setdefault(_norm_name(text), f.name)
    for fname, aliases in _aliases()["fields"].items():
        for a in aliases:
            names.setdefault(_norm_name(a), fname)
    exact = {_norm_name(f.name): f.name for f in standard.fields}
    out: Dict[str, str] = {}
    taken = set()
    ordered = sorted(columns, key=lambda c: _norm_name(c) not in exact)
    for col in ordered:
        target = names.get(_norm_name(col))
        if target and target not in taken:
            out[col] = target
            taken.add(target)
    return Mapping({c: out[c] for c in columns if c in out})


def _norm_value(v: str) -> str:
    return re.sub(r"[\s.,:;_\-()]+", " ", str(v).casefold()).strip()


def value_lookup(standard: Standard, f: FieldDef) -> Dict[str, str]:
    """Normalised source value → code of field f's code list (codes, labels, aliases)."""
    look: Dict[str, str] = {}
    items = standard.codelists[f.codelist]
    for it in items:
        look.setdefault(_norm_value(it.code), it.code)
    for it in items:
        for text in it.label.values():
            look.setdefault(_norm_value(text), it.code)
    for alias, code in _aliases()["values"].get(f.codelist, {}).items():
        look.setdefault(_norm_value(alias), code)
    return look


def unmapped_values(source: Source, mapping: Mapping, standard: Standard) -> Dict[str, List[str]]:
    """Per code-list field the distinct source values that map to no code (for the user to map)."""
    out: Dict[str, List[str]] = {}
    targets = _targets(standard)
    for col, fname in mapping.fields.items():
        f = targets.get(fname)
        if f is None or f.codelist is None or col not in source.columns:
            continue
        look = value_lookup(standard, f)
        own = {_norm_value(k): v for k, v in mapping.values.get(fname, {}).items()}
        seen: List[str] = []
        for v in source.columns[col]:
            if v is None or str(v).strip() == "":
                continue
            key = _norm_value(v)
            if key not in own and key not in look and str(v) not in seen:
                seen.append(str(v))
        if seen:
            out[fname] = seen
    return out


# ------------------------------------------------------------------------------------------------
# 3. converting rows to Basisset records


@dataclass
class Converted:
    records: List[Dict[str, Any]]            # Basisset field → value, only the fields the source holds
    geometry: np.ndarray
    rows: List[str]
    present: List[str]                       # Basisset fields the source holds
    problems: List[Problem]
    fasering: Optional[Dict[str, List[Dict[str, Any]]]]   # plan_id → rows (jaar, aantal, sloop)
    bad: List[Dict[str, Any]] = field(default_factory=list)   # per record: fields whose value could not come over
    fasering_keys: Optional[List[str]] = None


def _reason(kind: str, f: FieldDef, standard: Standard, detail: Any = None) -> str:
    if kind == "codelist":
        return tr("not in the code list {} ({}): map the value in the mapping file, or correct it in the source",
                  f.codelist, ", ".join(standard.codes(f.codelist)))
    if kind == "negative":
        return tr("a negative count: counts are 0 or more")
    if kind == "fraction":
        return tr("not a whole number")
    if kind == "date_not_year":
        return tr("a date, not a year: write the year only (e.g. 2027)")
    if kind == "number":
        return tr("not a number")
    if kind == "bool":
        return tr("not yes/no (ja/nee, true/false, 1/0)")
    if kind == "date":
        return tr("not a date (write YYYY-MM-DD)")
    if kind == "too_long":
        return tr("longer than {} characters", detail)
    if kind == "gemeente":
        return tr("not a gemeentecode or gemeente name (write GM followed by 4 digits, e.g. GM0344)")
    return kind


def _looks_like_date(v: Any) -> bool:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return True
    return isinstance(v, str) and re.match(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", v) is not None


def convert_value(f: FieldDef, v: Any, standard: Standard, lookup: Optional[Dict[str, str]] = None,
                  own: Optional[Dict[str, str]] = None, names: Optional[Dict[str, str]] = None):
    """(value, problem kind or None). None stays None; a value that cannot come over gives
    (None, kind)."""
    if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and v.strip() == ""):
        return None, None
    if f.codelist:
        key = _norm_value(v)
        got = (own or {}).get(key) or (lookup or {}).get(key)
        return (got, None) if got else (None, "codelist")
    if f.name == "gemeentecode":
        return _gemeente(v, standard, names)
    if f.type == "text":
        s = str(v).strip() if not isinstance(v, float) or not v.is_integer() else str(int(v))
        if f.width and len(s) > f.width:
            return None, "too_long"
        return s, None
    if f.type == "int":
        if _looks_like_date(v):
            return None, "date_not_year"
        got, ok = tbl._to_number(v)
        if not ok or got != got:
            return None, "number"
        if not float(got).is_integer():
            return None, "fraction"
        if f.count and got < 0:
            return None, "negative"
        return int(got), None
    if f.type == "bool":
        got, ok = tbl._to_bool(v)
        return (bool(got), None) if ok and got == got else (None, "bool")
    if f.type == "date":
        got, ok = tbl._to_date(v)
        return (got, None) if ok and got is not None else (None, "date")
    got, ok = tbl._to_datetime(v)
    return (got, None) if ok and got is not None else (None, "date")


def _gemeente(v: Any, standard: Standard, names: Optional[Dict[str, str]]):
    s = str(v).strip()
    if isinstance(v, float) and v.is_integer():
        s = str(int(v))
    if re.fullmatch(r"\d{1,4}", s):
        s = "GM" + s.zfill(4)
    s = s.upper() if s[:2].lower() == "gm" else s
    if standard.valid_gemeentecode(s):
        return s, None
    code = (names or {}).get(_norm_value(s))
    return (code, None) if code else (None, "gemeente")


def convert(source: Source, mapping: Mapping, standard: Standard) -> Converted:
    """The source's rows as Basisset records; what cannot come over is listed."""
    targets = _targets(standard)
    problems: List[Problem] = []
    cols = [(c, targets[t]) for c, t in mapping.fields.items() if t in targets and c in source.columns]
    present = [f.name for _, f in cols]
    names = {_norm_value(n): c for c, n in standard.gemeenten.items()}
    lookups = {f.name: (value_lookup(standard, f),
                        {_norm_value(k): v for k, v in mapping.values.get(f.name, {}).items()})
               for _, f in cols if f.codelist}
    name_col = next((c for c, f in cols if f.name == standard.data["layer"]["name_field"]), None)
    bad: List[Dict[str, Any]] = [dict() for _ in range(source.n)]
    converted: List[List[Any]] = []                 # per column: the values converted, in row order
    for col, f in cols:
        look, own = lookups.get(f.name, (None, None))
        values = source.columns[col]
        same = _column_as_is(f, values)
        if same is not None:
            converted.append(same)
            continue
        res = list(map(_converter(f, standard, look, own, names), values))
        converted.append([r[0] for r in res])
        if any(r[1] for r in res):
            for i, (v, (_got, kind)) in enumerate(zip(values, res)):
                if kind:
                    bad[i][f.name] = v
                    pname = source.columns[name_col][i] if name_col else None
                    problems.append(Problem(source.rows[i], _jsonable(pname), f.name, v,
                                            _reason(kind, f, standard, f.width), kind))
    records: List[Dict[str, Any]] = ([dict(zip(present, row)) for row in zip(*converted)] if converted
                                     else [dict() for _ in range(source.n)])
    for i, (kind, gtype) in sorted(source.geometry_problems.items()):
        pname = source.columns[name_col][i] if name_col else None
        reason = (tr("the WKT cannot be read; the plan is imported without geometry: draw it")
                  if kind == "bad_wkt" else
                  tr("a {} is not a plan area; the plan is imported without geometry: draw its outline", gtype))
        problems.append(Problem(source.rows[i], _jsonable(pname), GEOMETRY, gtype, reason, kind))
    problems.extend(source.problems)
    fasering = None
    if source.fasering is not None:
        fasering, fas_problems = _convert_fasering(source.fasering, standard)
        problems.extend(fas_problems)
    out = Converted(records, source.geometry, source.rows, present, problems, fasering, bad)
    out.fasering_keys = source.fasering_keys
    return out


def _plain_int(f: FieldDef) -> bool:
    """A whole-number field that convert_value takes as it is (no code list; not the gemeentecode)."""
    return f.type == "int" and not f.codelist and f.name != "gemeentecode"


def _converter(f: FieldDef, standard: Standard, look=None, own=None, names=None):
    """convert_value for one field, remembering the answer per distinct value (a column holds few)."""
    if f.type == "text" and not f.codelist and f.name != "gemeentecode":
        width = f.width or 0

        def text(v):
            if type(v) is str:
                t = v.strip()
                if not t:
                    return None, None
                return (t, None) if not width or len(t) <= width else (None, "too_long")
            return convert_value(f, v, standard, look, own, names)
        return text
    memo: Dict[Any, Tuple[Any, Optional[str]]] = {}
    if _plain_int(f):
        count = bool(f.count)

        def integer(v):                          # a whole number as it is (convert_value's answer for it)
            if type(v) is int and (v >= 0 or not count) and -(1 << 53) < v < (1 << 53):
                return v, None
            return conv(v)
    else:
        integer = None

    def conv(v):
        try:
            return memo[(type(v), v)]
        except KeyError:
            got = memo[(type(v), v)] = convert_value(f, v, standard, look, own, names)
            return got
        except TypeError:                       # an unhashable value
            return convert_value(f, v, standard, look, own, names)
    return integer or conv


def _convert_fasering(rows: List[Dict[str, Any]], standard: Standard):
    """The fasering rows converted field by field, a column at a time (a column of whole numbers, or of
    one value, is checked at once); a row with a value that cannot come over is not imported."""
    fields = {f.name: f for f in standard.fasering_fields}
    key = standard.fasering_key
    convs = {name: _converter(f, standard) for name, f in fields.items() if name != key}
    n = len(rows)
    columns: List[List[Any]] = []
    failed: Dict[int, List[str]] = {}                  # row → its fields that cannot come over, in field order
    # the fields some row has (a province's rows hold a few of its fasering fields: the others are
    # NULL in every row, which convert_value keeps)
    held = set().union(*map(dict.keys, rows)) if rows else set()
    for name, conv in convs.items():
        if name not in held:
            columns.append([None] * n)
            continue
        values = _column_of(rows, name)
        got = _column_as_is(fields[name], values)
        if got is None:
            res = list(map(conv, values))
            got = [v for v, _kind in res]
            for k, (_v, kind) in enumerate(res):
                if kind:
                    failed.setdefault(k, []).append(name)
        columns.append(got)
    problems: List[Problem] = []
    for k in sorted(failed):
        r = rows[k]
        for name in failed[k]:
            f = fields[name]
            kind = convs[name](r.get(name))[1]
            where = r.get("_source") or tr("fasering row {}", k + 1)
            problems.append(Problem(where, r.get("_plannaam"), f"{standard.fasering_name}.{name}", r.get(name),
                                    _reason(kind, f, standard) + tr("; the fasering row is not imported"), kind))
    names = list(convs)
    recs = list(map(dict, map(zip, repeat(names), zip(*columns)))) if columns else [{} for _ in range(n)]
    out: Dict[str, List[Dict[str, Any]]] = {}
    for k, (pid, rec) in enumerate(zip(_column_of(rows, key), recs)):
        if pid not in (None, "") and k not in failed:
            out.setdefault(str(pid), []).append(rec)
    return out, problems


def _column_of(rows: List[Dict[str, Any]], name: str) -> List[Any]:
    """Each row's value of `name` (None where a row has none), read in C when every row has it."""
    try:
        return list(map(itemgetter(name), rows))
    except KeyError:
        return [r.get(name) for r in rows]


def _column_as_is(f: FieldDef, values: List[Any]) -> Optional[List[Any]]:
    """`values` when each converts to itself without a problem (convert_value's answer, checked for the
    whole column at once): a column of NULLs, or of whole numbers within the field's range; else None
    (converted value by value)."""
    kinds = set(map(type, values))
    if kinds <= {type(None)}:                    # convert_value keeps None, in every field
        return values
    if not _plain_int(f) or kinds != {int}:
        return None
    low, high = min(values), max(values)
    if high >= (1 << 53) or low <= -(1 << 53) or (f.count and low < 0):
        return None
    return values


# ------------------------------------------------------------------------------------------------
# 4. the preview


@dataclass
class Target:
    """The plans already in the target layer (empty for a new GeoPackage)."""
    records: List[Dict[str, Any]]
    geometry: np.ndarray
    fids: List[int]
    fasering: Dict[str, List[Dict[str, Any]]]
    fields: List[str]                        # the layer's Basisset columns
    has_fasering: bool = True

    @classmethod
    def empty(cls, standard: Standard) -> "Target":
        return cls([], np.empty(0, dtype=object), [], {}, [f.name for f in standard.fields])


def read_target(path: str, standard: Standard) -> Target:
    """The plans of a GeoPackage made by `new` (or any with the Basisset fields)."""
    try:
        plans, _info = ogrio.read_plans(path, standard)
        fas = ogrio.read_fasering(path, standard)
    except tbl.SchemaError as e:
        raise ImportRefused("target_fields", tr("{} does not have the Basisset fields (missing: {}): import into a "
                                                "GeoPackage made with 'new', or give a new file name.", path,
                                                ", ".join(e.missing))) from None
    except ogrio.SourceError as e:
        raise refusal_for(e, path) from None
    except RuntimeError as e:
        raise ImportRefused("unreadable", tr("Cannot read {}: {}", path, e)) from None
    return target_from_tables(plans, fas, standard)


def target_from_tables(plans: tbl.PlanTable, fas: Optional[tbl.FaseringTable], standard: Standard) -> Target:
    """A Target from the tables a reader made (a GeoPackage, or a QGIS layer with its edit buffer)."""
    names = [f.name for f in standard.fields if f.name not in plans.missing_optional]
    records = [{n: plans.value(n, i) for n in names} for i in range(plans.n)]
    fasering: Dict[str, List[Dict[str, Any]]] = {}
    if fas is not None:
        for r in fasering_records(fas, standard):
            pid = r.pop(fas.key)
            if pid is not None:
                fasering.setdefault(str(pid), []).append(r)
    return Target(records, plans.geometry, plans.fids.tolist(), fasering, names, fas is not None)


def fasering_records(fas: tbl.FaseringTable, standard: Standard) -> List[Dict[str, Any]]:
    """The rows of a FaseringTable as dicts of plain values (a count as int, NULL as None)."""
    cols: Dict[str, List[Any]] = {}
    for f in standard.fasering_fields:
        c = fas.column(f.name)
        if c.dtype.kind == "f":
            cols[f.name] = [None if v != v else (int(v) if v.is_integer() else v) for v in c.tolist()]
        else:
            cols[f.name] = list(c)
    names = list(cols)
    return [dict(zip(names, row)) for row in zip(*cols.values())]


def _plain(v: Any) -> Any:
    if isinstance(v, float):
        return None if v != v else (int(v) if v.is_integer() else v)
    return v


@dataclass
class PlanAction:
    row: int                                 # record index in the Converted
    action: str
    plan_id: Optional[str]
    plannaam: Optional[str]
    changes: Dict[str, Tuple[Any, Any]] = field(default_factory=dict)
    target: Optional[int] = None             # index into Target.records for update/unchanged
    matched_by: Optional[str] = None
    values: Dict[str, Any] = field(default_factory=dict)   # what is written (new: the whole record)

    def as_dict(self) -> Dict[str, Any]:
        return {"plan_id": self.plan_id, "plannaam": self.plannaam, "action": self.action,
                "changes": {k: {"old": _jsonable(o), "new": _jsonable(n)} for k, (o, n) in self.changes.items()}}


@dataclass
class Preview:
    actions: List[PlanAction]
    problems: List[Problem]
    converted: Converted
    target: Target
    notes: List[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(a.action == action for a in self.actions)

    @property
    def summary(self) -> Dict[str, int]:
        n: Dict[str, int] = {}
        for a in self.actions:                  # one pass over the plans, not one per kind
            n[a.action] = n.get(a.action, 0) + 1
        return {"new": n.get(NEW, 0), "updated": n.get(UPDATE, 0), "unchanged": n.get(UNCHANGED, 0),
                "conflicts": n.get(CONFLICT, 0), "problems": len(self.problems)}

    def to_json(self) -> Dict[str, Any]:
        return {"summary": self.summary, "plans": [a.as_dict() for a in self.actions],
                "problems": [p.as_dict() for p in self.problems]}


def _key(v: Any) -> Optional[str]:
    if v is None:
        return None
    s = str(v).strip()
    return s.casefold() if s else None


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, _dt.datetime) or isinstance(b, _dt.datetime):
        return str(a) == str(b)
    try:
        return a == b
    except (TypeError, ValueError):
        return False


def _defaults(standard: Standard) -> Dict[str, Any]:
    return {f.name: f.default for f in standard.fields
            if f.default is not None and not isinstance(f.default, dict)}


def preview(conv: Converted, target: Target, standard: Standard, gemeente: Optional[str] = None,
            now: Optional[_dt.datetime] = None) -> Preview:
    """What an import would do, per plan, and every problem; nothing is written."""
    key, name_field, ext = standard.key, standard.data["layer"]["name_field"], "plan_id_extern"
    by_id: Dict[str, List[int]] = {}
    by_ext: Dict[str, List[int]] = {}
    by_name: Dict[Tuple[Optional[str], str], List[int]] = {}
    for j, r in enumerate(target.records):
        if _key(r.get(key)):
            by_id.setdefault(_key(r.get(key)), []).append(j)
        if _key(r.get(ext)):
            by_ext.setdefault(_key(r.get(ext)), []).append(j)
        if _key(r.get(name_field)):
            by_name.setdefault((_key(r.get("gemeentecode")), _key(r.get(name_field))), []).append(j)
    problems = list(conv.problems)
    actions: List[PlanAction] = []
    claimed: Dict[int, int] = {}
    seen_ids: Dict[str, int] = {}
    defaults = _defaults(standard)
    tfields = set(target.fields)
    writable = [n for n in conv.present if n in tfields]
    lacking = [n for n in conv.present if n not in tfields]
    every_writable = not lacking
    new_defaults = {n: v for n, v in defaults.items() if n in tfields}
    defaults_left = {n: v for n, v in new_defaults.items() if n not in set(writable)}   # for no field of a record
    has_gewijzigd, has_gemeente = "gewijzigd_op" in tfields, "gemeentecode" in tfields
    for n in lacking:
        problems.append(Problem("—", None, n, None, tr("the target layer has no field {}: its values are not imported; "
                                                       "add the field to the layer", n), "target_field"))
    now = now or _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    for i, rec in enumerate(conv.records):
        pid, pname = rec.get(key), rec.get(name_field)
        gm = rec.get("gemeentecode") or gemeente
        kpid, kname = _key(pid), _key(pname)
        kext = _key(rec.get(ext)) if by_ext else None
        kgm = _key(gm) if by_name else None
        cands, how = [], None
        if kpid and kpid in by_id:
            cands, how = by_id[kpid], "plan_id"
        elif kext and kext in by_ext:
            cands, how = by_ext[kext], ext
        elif not kpid and kname and (kgm, kname) in by_name:
            cands, how = by_name[(kgm, kname)], name_field
        act = PlanAction(i, NEW, pid, pname, matched_by=how)
        if how is None and kpid and kname and (kgm, kname) in by_name:
            act.action = CONFLICT          # another plan-id than the target's plan of that name: never merged
            other = target.records[by_name[(kgm, kname)][0]].get(key)
            problems.append(Problem(conv.rows[i], pname, name_field, pname, tr(
                "the target has a plan of this name with another plan-id ({}): correct the plan-id in the source, or "
                "rename one of the plans", other), "name_other_id"))
            actions.append(act)
            continue
        if kpid and kpid in seen_ids:
            act.action = CONFLICT
            problems.append(Problem(conv.rows[i], pname, key, pid,
                                    tr("the plan-id is also in {} of the source: neither is imported",
                                       conv.rows[seen_ids[kpid]]), "duplicate_source"))
            _conflict_other(actions, seen_ids[kpid])
            actions.append(act)
            continue
        if kpid:
            seen_ids[kpid] = i
        if len(cands) > 1:
            act.action = CONFLICT
            problems.append(Problem(conv.rows[i], pname, how, rec.get(how) if how != name_field else pname,
                                    tr("matches {} plans of the target ({}): give the plan its plan-id in the source",
                                       len(cands), how), "ambiguous"))
        elif cands:
            j = cands[0]
            if j in claimed:
                act.action = CONFLICT
                problems.append(Problem(conv.rows[i], pname, how, rec.get(how),
                                        tr("{} of the source matches the same plan of the target: neither is imported",
                                           conv.rows[claimed[j]]), "same_target"))
                _conflict_other(actions, claimed[j])
            else:
                claimed[j] = i
                act.target = j
                old = target.records[j]
                act.plan_id = old.get(key)
                act.plannaam = old.get(name_field) if pname is None else pname
                for n in writable:
                    if n == key or n in conv.bad[i] or n == "gewijzigd_op":
                        continue
                    if not _same(old.get(n), rec.get(n)):
                        act.changes[n] = (old.get(n), rec.get(n))
                        act.values[n] = rec.get(n)
                g_new = conv.geometry[i]
                g_old = target.geometry[j] if j < len(target.geometry) else None
                if g_new is not None and (g_old is None or not bool(shapely.equals(g_old, g_new))):
                    act.changes[GEOMETRY] = (None if g_old is None else g_old.geom_type,
                                             g_new.geom_type)
                    act.values[GEOMETRY] = g_new
                if conv.fasering is not None and target.has_fasering:
                    fkey = conv.fasering_keys[i] if conv.fasering_keys else (str(pid) if pid is not None else "")
                    new_rows = conv.fasering.get(fkey, [])
                    old_rows = target.fasering.get(str(act.plan_id), [])
                    if _fas_key(new_rows) != _fas_key(old_rows) and (new_rows or fkey in conv.fasering):
                        act.changes[FASERING] = (len(old_rows), len(new_rows))
                        act.values[FASERING] = new_rows
                act.action = UPDATE if act.changes else UNCHANGED
                if act.action == UPDATE and has_gewijzigd:
                    act.values["gewijzigd_op"] = now
        if act.action == NEW:
            # the record's values over the defaults (a value that could not come over: empty); a record of
            # exactly the writable fields is copied whole, the defaults added where it has no field
            if every_writable and len(rec) == len(writable):
                values = dict(rec)
                values.update(defaults_left)
            else:
                values = dict(new_defaults)
                values.update(zip(writable, map(rec.get, writable)))
            if not _key(values.get(key)):
                values[key] = str(uuid.uuid4())
            if not values.get("gemeentecode") and gemeente and has_gemeente:
                values["gemeentecode"] = gemeente
            if has_gewijzigd and values.get("gewijzigd_op") is None:
                values["gewijzigd_op"] = now
            values[GEOMETRY] = conv.geometry[i]
            fkey = conv.fasering_keys[i] if conv.fasering_keys else (str(pid) if pid is not None else None)
            if conv.fasering is not None and fkey is not None:
                values[FASERING] = conv.fasering.get(fkey, [])
            act.values = values
            act.plan_id = values[key]
        actions.append(act)
    if any(a.action == NEW for a in actions):
        for f in standard.fields:
            if f.required and f.name not in conv.present and f.name not in defaults and f.name != key and \
                    not (f.name == "gemeentecode" and gemeente) and f.name in target.fields:
                problems.append(Problem("—", None, f.name, None, tr(
                    "the source has no column for this required field: new plans get it empty; map a column onto it "
                    "or fill it in after the import"), "missing_column"))
    return Preview(actions, problems, conv, target)


def _conflict_other(actions: List[PlanAction], row: int) -> None:
    for a in actions:
        if a.row == row:
            a.action, a.values, a.changes = CONFLICT, {}, {}


def _fas_key(rows: List[Dict[str, Any]]) -> List[tuple]:
    return sorted((r.get("jaar"), r.get("aantal") or 0, r.get("sloop") or 0) for r in rows)


# ------------------------------------------------------------------------------------------------
# 5. writing into a GeoPackage


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_value(f: FieldDef, v: Any) -> Any:
    if v is None:
        return None
    if f.type == "bool":
        return int(bool(v))
    if f.type == "date":
        return v.isoformat() if isinstance(v, _dt.date) else v
    if f.type == "datetime":
        return writers._iso_datetime(v) if isinstance(v, _dt.datetime) else v
    return v


def write_gpkg(path: str, pv: Preview, standard: Standard) -> Dict[str, int]:
    """Insert the new plans and update the changed ones of `pv` in GeoPackage `path`, in one SQLite
    transaction: on any failure the file is left as it was. Returns the counts written."""
    targets = _targets(standard)
    layer, fas_name = standard.layer_name, standard.fasering_name
    new = [a for a in pv.actions if a.action == NEW]
    upd = [a for a in pv.actions if a.action == UPDATE]
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            defaults = {r[1]: r[4] for r in con.execute(f"PRAGMA table_info({_q(layer)})")}
            cols = set(defaults)
            fas_defaults = {r[1]: r[4] for r in con.execute(f"PRAGMA table_info({_q(fas_name)})")}
            fas_cols = set(fas_defaults)
            geom_col = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                                   (layer,)).fetchone()
            geom_col = geom_col[0] if geom_col else None
            triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (?, ?) "
                                   "AND (sql LIKE '%AFTER INSERT ON%' OR sql LIKE '%AFTER UPDATE%')",
                                   (layer, fas_name)).fetchall()
            for name, _ in triggers:
                con.execute(f"DROP TRIGGER {_q(name)}")
            rtree = con.execute("SELECT 'rtree_' || table_name || '_' || column_name FROM gpkg_extensions WHERE "
                                "lower(table_name) = lower(?) AND extension_name = 'gpkg_rtree_index'",
                                (layer,)).fetchone()
            rtree = rtree[0] if rtree else None
            names = [f.name for f in standard.fields if f.name in cols]
            fas_fields = [f for f in standard.fasering_fields if f.name in fas_cols]
            # new plans
            if new:
                geoms = np.array([a.values.get(GEOMETRY) for a in new], dtype=object)
                blobs = writers.gpkg_blobs(writers.as_multipolygons(geoms)) if geom_col else [None] * len(new)
                base = con.execute(f"SELECT coalesce(max(rowid), 0) FROM {_q(layer)}").fetchone()[0]
                seq = con.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (layer,)).fetchone() \
                    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() else None
                base = max(base, seq[0] if seq else 0) + 1
                fids = list(range(base, base + len(new)))
                gcol = [_q(geom_col)] if geom_col else []
                # a column that no new plan has a value for and that has no default: left out of the INSERT
                # (NULL); fewer values to bind
                held = set().union(*(a.values.keys() for a in new))
                ins_names = [n for n in names if n in held or defaults.get(n) is not None]
                sql = (f"INSERT INTO {_q(layer)} (rowid, {', '.join(gcol + [_q(n) for n in ins_names])}) "
                       f"VALUES ({', '.join('?' * (len(ins_names) + len(gcol) + 1))})")
                con.executemany(sql, _plan_rows(new, ins_names, targets, fids, blobs if geom_col else None))
                if rtree:
                    _rtree_insert(con, rtree, fids, geoms)
            # updated plans
            for a in upd:
                fid = pv.target.fids[a.target]
                sets = [n for n in a.values if n in cols and n in targets]
                if sets:
                    con.execute(f"UPDATE {_q(layer)} SET {', '.join(_q(n) + ' = ?' for n in sets)} WHERE rowid = ?",
                                [_sql_value(targets[n], a.values[n]) for n in sets] + [fid])
                if GEOMETRY in a.values and geom_col:
                    g = np.array([a.values[GEOMETRY]], dtype=object)
                    con.execute(f"UPDATE {_q(layer)} SET {_q(geom_col)} = ? WHERE rowid = ?",
                                (writers.gpkg_blobs(writers.as_multipolygons(g))[0], fid))
                    if rtree:
                        con.execute(f"DELETE FROM {_q(rtree)} WHERE id = ?", (fid,))
                        _rtree_insert(con, rtree, [fid], g)
            # fasering
            if fas_cols:
                pids: List[Any] = []
                rows: List[Dict[str, Any]] = []
                for a in new + upd:
                    if FASERING not in a.values:
                        continue
                    if a.action == UPDATE:
                        con.execute(f"DELETE FROM {_q(fas_name)} WHERE {_q(standard.fasering_key)} = ?", (a.plan_id,))
                    got = a.values[FASERING]
                    pids.extend([a.plan_id] * len(got))
                    rows.extend(got)
                key = standard.fasering_key
                # a field that no row has a value for and that has no default: left out of the INSERT (NULL)
                fnames: List[str] = []
                cols_: List[List[Any]] = []
                for f in fas_fields:
                    col = pids if f.name == key else _column_of(rows, f.name)
                    if f.name != key and col.count(None) == len(col) and fas_defaults.get(f.name) is None:
                        continue
                    fnames.append(f.name)
                    cols_.append(col if f.name == key else _sql_column(f, col))
                ins = (f"INSERT INTO {_q(fas_name)} ({', '.join(_q(n) for n in fnames)}) "
                       f"VALUES ({', '.join('?' * len(fnames))})")
                if rows:
                    con.executemany(ins, zip(*cols_))
            for table in ([layer, fas_name] if fas_cols else [layer]):
                con.execute(f"UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM {_q(table)}) "
                            "WHERE lower(table_name) = lower(?)", (table,))
            if rtree:
                b = con.execute(f"SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {_q(rtree)}").fetchone()
                if b and b[0] is not None:
                    con.execute("UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE "
                                "lower(table_name) = lower(?)", (*b, layer))
            for _, sql in triggers:
                con.execute(sql)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    return {"new": len(new), "updated": len(upd)}


def _plan_rows(new: List["PlanAction"], names: List[str], targets: Dict[str, FieldDef], fids: List[int],
               blobs: Optional[List[Any]]) -> List[List[Any]]:
    """The INSERT's rows of the new plans: fid, the geometry's blob (when `blobs`), then `names`' values as
    SQLite stores them. Plan by plan, not field by field: each plan's values are read while they are at
    hand (a column of 45,000 plans' dicts read 60 times over took three times as long)."""
    head = 2 if blobs is not None else 1
    convert = [(head + k, targets[n], targets[n].type == "bool", {}) for k, n in enumerate(names)
               if targets[n].type not in ("text", "int")]
    rows: List[List[Any]] = []
    for i, a in enumerate(new):
        row = [fids[i], blobs[i]] if blobs is not None else [fids[i]]
        row.extend(map(a.values.get, names))
        for k, f, is_bool, seen in convert:
            v = row[k]
            if v is None:
                continue
            if is_bool:
                row[k] = 1 if v else 0
                continue
            try:                                # a date or time: most plans share a few (gewijzigd_op: one)
                row[k] = seen[v]
            except (KeyError, TypeError):
                row[k] = got = _sql_value(f, v)
                try:
                    seen[v] = got
                except TypeError:
                    pass
        rows.append(row)
    return rows


def _sql_column(f: FieldDef, values: List[Any]) -> List[Any]:
    """A column of Basisset values as SQLite stores them (GDAL's GeoPackage conventions)."""
    if f.type in ("text", "int"):
        return values
    return [_sql_value(f, v) for v in values]


def _rtree_insert(con, rtree: str, fids: List[int], geoms: np.ndarray) -> None:
    """The bounding boxes of the geometries (not NULL, not empty) into the GeoPackage's R*Tree."""
    ok = writers.present(geoms)
    if not ok.any():
        return
    b = shapely.bounds(geoms[ok])
    ids = np.asarray(fids, dtype=np.int64)[ok]
    con.executemany(f"INSERT INTO {_q(rtree)} VALUES (?, ?, ?, ?, ?)",
                    zip(ids.tolist(), b[:, 0].tolist(), b[:, 2].tolist(), b[:, 1].tolist(), b[:, 3].tolist()))


# ------------------------------------------------------------------------------------------------
# formats and an earlier LMVW package


def detect_format(path: str) -> str:
    """lmvw | gelderland | zuid-holland | zeeland | table, from the file itself."""
    low = path.lower().rstrip("/\\")
    if low.endswith(".zip"):
        import zipfile
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (OSError, zipfile.BadZipFile, ValueError):
            return "table"
        if "manifest.json" in names and any(n.endswith(".gpkg") for n in names):
            return "lmvw"
        if any(".gdb/" in n.lower() or n.lower().endswith(".gdbtable") for n in names):
            return "gelderland"
        if names and all(n.lower().endswith(".xlsx") or n.endswith("/") for n in names):
            return "zeeland"
        return "table"
    if low.endswith(".gdb"):
        return "gelderland"
    if low.endswith(".geojson") or low.endswith(".json"):
        try:
            with open(path, "rb") as fh:
                head = fh.read(1 << 16)
            if b"year_properties" in head:
                return "zuid-holland"
        except OSError:
            pass
    return "table"


def read_lmvw_package(path: str, standard: Standard, lang: str = "nl", tmp_dir: Optional[str] = None) -> Source:
    """The plans and fasering of an earlier package (as `export` writes it), after `inspect` has
    checked it; a package that cannot be read safely or was changed is refused."""
    from .inspect import UNREADABLE_KINDS, inspect
    result = inspect(path, lang, standard)
    if result.problems:
        kinds = sorted({p.kind for p in result.problems})
        unreadable = any(k in UNREADABLE_KINDS for k in kinds)
        raise ImportRefused("package", tr("{} is not an intact LMVW package ({}): inspect it with 'python -m "
                                          "lmvw_plugin inspect' and import the package as it was exported.",
                                          path, ", ".join(kinds)) if not unreadable else
                            tr("{} cannot be read safely as an LMVW package ({}): check that it is the right file.",
                               path, ", ".join(kinds)))
    import zipfile
    folder = tempfile.mkdtemp(prefix=".lmvw-import-", dir=tmp_dir)
    try:
        with zipfile.ZipFile(path) as zf:
            gpkg = next(n for n in zf.namelist() if n.endswith(".gpkg"))
            target = os.path.join(folder, "plans.gpkg")
            with zf.open(gpkg) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        source = read_source(target, standard)
        fas = ogrio.read_fasering(target, standard)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    source.path = path
    source.format = "lmvw"
    if fas is not None:
        source.fasering = fasering_records(fas, standard)
    profile = (result.manifest or {}).get("profile")
    source.not_carried = [f.name for f in standard.fields if f.name not in source.columns]
    if source.not_carried:
        source.notes.append(tr("The package (profile {}) does not hold: {}. Those fields keep their value in the "
                               "target, or their default for new plans.", profile, ", ".join(source.not_carried)))
    return source


def identity_mapping(source: Source, standard: Standard) -> Mapping:
    names = set(standard.field_names)
    return Mapping({c: c for c in source.columns if c in names})


def load_source(source_path: str, standard: Standard, *, fmt: str = "auto", layer: Optional[str] = None,
                lang: str = "nl") -> Source:
    """The whole source read, in the format given or detected (the slow step: a task in QGIS)."""
    if fmt not in FORMATS:
        raise ImportRefused("format", tr("Unknown format '{}': use one of {}.", fmt, ", ".join(FORMATS)))
    kind = detect_format(source_path) if fmt == "auto" else fmt
    if kind in PROVINCE_FORMATS:
        from .import_province import read_province
        source = read_province(source_path, kind, standard)
    elif kind == "lmvw":
        source = read_lmvw_package(source_path, standard, lang)
    else:
        source = read_source(source_path, standard, layer)
        source.format = "table"
        if source.columns and source_path.lower().endswith(".gpkg"):
            _attach_fasering(source, source_path, standard)
    if source.n == 0:
        raise ImportRefused("empty", tr("{} holds no rows: give the file (or --layer) with the plans.", source_path))
    return source


def default_mapping(source: Source, standard: Standard) -> Mapping:
    """A package's own fields 1:1; a table's proposed from names, labels and aliases."""
    if source.format != "table":
        return identity_mapping(source, source.standard or standard)
    return propose_mapping(list(source.columns), standard)


def check_mapping(source: Source, mapping: Mapping, standard: Standard) -> None:
    """Refuses a mapping that maps nothing, or nothing that tells the plans apart."""
    if not mapping.fields:
        raise ImportRefused("no_fields", tr(
            "No column of {} could be matched to a Basisset field: write a mapping file (--save-mapping makes one "
            "to correct) and give it with --mapping.", source.path))
    ids = {"plan_id", "plan_id_extern", standard.data["layer"]["name_field"]}
    if not ids & set(mapping.fields.values()):
        raise ImportRefused("no_key", tr(
            "No column of {} is mapped onto plan_id, plan_id_extern or plannaam, so the plans cannot be told apart: "
            "map the column with the plan's name or id (--save-mapping writes the proposal to correct).",
            source.path))


@dataclass
class ImportResult:
    preview: Preview
    source: Source
    mapping: Mapping
    written: bool = False
    created: bool = False


def run_import(source_path: str, into: str, standard: Standard, *, fmt: str = "auto",
               mapping_path: Optional[str] = None, gemeente: Optional[str] = None, dry_run: bool = False,
               lang: str = "nl", layer: Optional[str] = None,
               create_target: Optional[Callable[[str, str], None]] = None,
               progress: Optional[Callable[[str], None]] = None, schema: Optional[str] = None,
               prepare_target: Optional[Callable[[str, str], None]] = None) -> ImportResult:
    """Read the source completely, build the preview, then (unless dry_run) write it into `into`:
    a new GeoPackage made by `create_target(path, gemeentecode)` (removed again on failure), or an
    existing one in one transaction. Raises ImportRefused when nothing can be imported.
    `into` PG:"…": the plan register in `schema` (default public) of that database (pg_import.py).
    `prepare_target(path, gemeentecode)`: told at once, once the target is known to be a new GeoPackage
    for a given gemeente, before the source is read (the command line's child then makes the file
    meanwhile; whoever made it removes it again when nothing is written)."""
    from ..storage.postgis import is_pg
    from .package import is_source
    pg = is_pg(into)
    if fmt not in FORMATS:
        raise ImportRefused("format", tr("Unknown format '{}': use one of {}.", fmt, ", ".join(FORMATS)))
    if gemeente is not None and not standard.valid_gemeentecode(gemeente):
        raise ImportRefused("gemeente", tr("'{}' is not a gemeentecode: write GM followed by 4 digits, e.g. GM0344 "
                                           "(Utrecht).", gemeente))
    if not pg and is_source(into, [source_path]) or (os.path.exists(into) and os.path.exists(source_path)
                                          and os.path.samefile(into, source_path)):
        raise ImportRefused("same_file", tr("{} is the source itself: import into another GeoPackage.", into))
    if not pg and not into.lower().endswith(".gpkg"):
        raise ImportRefused("target_kind", tr("{} is not a GeoPackage (.gpkg): give the plan GeoPackage to import into "
                                              "(a new name makes a new one).", into))
    exists = pg or os.path.exists(into)
    if not pg and exists and not os.path.isfile(into):
        raise ImportRefused("target_kind", tr("{} is a folder: give a GeoPackage file.", into))
    folder = os.path.dirname(os.path.abspath(into))
    if not pg and not os.path.isdir(folder):
        raise ImportRefused("no_folder", tr("The folder {} does not exist: create it or choose another place.", folder))
    mapping = load_mapping(mapping_path, standard) if mapping_path else None
    if prepare_target is not None and not exists and gemeente and not dry_run:
        prepare_target(into, gemeente)
    with timing.stage("import: read the source"):
        source = load_source(source_path, standard, fmt=fmt, layer=layer, lang=lang)
    standard = source.standard or standard      # a province format: the Basisset with its extra fields
    mapping = mapping or default_mapping(source, standard)
    check_mapping(source, mapping, standard)
    if pg:
        from . import pg_import
    with timing.stage("import: read the target"):
        target = target_from_tables(*pg_import.read_tables(into, schema or "public", standard), standard) if pg \
            else read_target(into, standard) if exists else Target.empty(standard)
    with timing.stage("import: convert"):
        conv = convert(source, mapping, standard)
    with timing.stage("import: preview"):
        pv = preview(conv, target, standard, gemeente)
    pv.notes = list(source.notes)
    result = ImportResult(pv, source, mapping)
    if dry_run or not (pv.count(NEW) or pv.count(UPDATE)):
        return result
    if pg:
        pg_import.write_preview(into, schema or "public", [a for a in pv.actions if a.action == NEW],
                                [a for a in pv.actions if a.action == UPDATE], target, standard, lang)
        result.written = True
        return result
    created = False
    if not exists:
        code = gemeente or _one_gemeente(pv)
        if not code:
            raise ImportRefused("gemeente_needed", tr(
                "The plans have no single gemeentecode: say for which gemeente the new GeoPackage is with --gemeente "
                "GMdddd."))
        with timing.stage("import: new GeoPackage (form, style)"):
            if create_target is None:
                ds = ogrio.create_datasource(into, standard)
                ds = None  # noqa: F841
            else:
                create_target(into, code)
        created = True
    try:
        with timing.stage("import: write"):
            write_gpkg(into, pv, standard)
    except BaseException:
        if created:
            for p in (into, into + "-wal", into + "-shm", into + "-journal"):
                if os.path.exists(p):
                    os.remove(p)
        raise
    result.written, result.created = True, created
    return result


def _attach_fasering(source: Source, path: str, standard: Standard) -> None:
    try:
        fas = ogrio.read_fasering(path, standard)
    except (ogrio.SourceError, RuntimeError, tbl.SchemaError):
        return
    if fas is not None and source.layer == standard.layer_name:
        source.fasering = fasering_records(fas, standard)


def _one_gemeente(pv: Preview) -> Optional[str]:
    codes = {a.values.get("gemeentecode") for a in pv.actions if a.action == NEW}
    codes.discard(None)
    return codes.pop() if len(codes) == 1 else None


def exit_code(result: ImportResult) -> int:
    """0 everything came over, 1 imported with values (or plans) that could not come over."""
    return 1 if result.preview.problems else 0
