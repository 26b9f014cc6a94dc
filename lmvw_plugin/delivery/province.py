"""The province export pipeline (pure: no qgis): select, map, check, write atomically.

    export_province(plans, fasering, out_path, province="zuid-holland", gemeente=..., ...)

1. **Select** the delivered plans exactly like the LMVW package (`content.select` with the
   chosen delivery profile): never 5A/5B, never `vertrouwelijk_reden`, confidential plans as the
   profile says, only the delivery's gemeente. The plans' vertrouwelijkheid is then mapped onto
   the province's own values (`"vertrouwelijkheid"` of the profile, never wider).
2. **Map** each delivered plan into a `ProvinceRecord`: the province's fields in the profile's
   order with mapped values (`mapping.fields`), and per fasering year the woningtype × price
   cells, recorded by the user (fasering split columns) or distributed with exact margins
   (`distribute.py`).
3. **Check**: the validation of the layer (Basisset rules + the province's rules, through the
   extended standard), the profile's export checks on the records (`EXPORT_CHECKS`), and the
   writer's own pre-checks (`PRECHECKS[format]`). Errors refuse a final delivery before anything
   is written (`DeliveryRefused`), like the package. The validation runs in a thread of its own
   beside the mapping and the export checks.
4. **Write** with `WRITERS[format]` into a temporary folder beside the target, then move the file
   into place (os.replace) and write `<name>_validatierapport.html` beside it: the findings and
   the plans whose split was distributed rather than recorded. A failure or cancel leaves nothing;
   an earlier file is replaced only with `overwrite` and only when it is ours (its report beside
   it says so).

What a writer receives
----------------------
`WRITERS[format](out_path, profile, records, context)`:

- `out_path` (str): the file to create, inside a temporary folder; it does not exist yet. Write
  exactly one file there (a zip for formats that are folders or several files). Do not write
  elsewhere; the pipeline moves it into place and removes the folder.
- `profile` (`standard.provinces.Province`): the profile (`profile.data`, `profile.mapping`,
  `profile.lookup(...)`, `profile.export_check(kind)`).
- `records` (list of `ProvinceRecord`, in the order of the layer): only delivered plans, already
  checked (no error findings unless `context.concept`). `record.fields` holds the province's
  fields in order with mapped values (None = null); `record.values` our values by Basisset /
  extra / derived field name (Python scalars, None for NULL); `record.years` the `YearRow`s
  (ascending `jaar`); `record.geometry_wkb` WKB in EPSG:28992 (or None); `record.distributed`.
  `year_cells(profile, row)` turns a YearRow into the province's named cells.
- `context` (`WriteContext`): gemeente, uitvraag, peildatum, lang, standard (extended), concept,
  options (dict: e.g. `{"rfc7946": True}` or `{"template": "/path/Gelderland.gdb.zip"}`),
  `created_at` (UTC) and `step(percent)` which raises DeliveryCancelled when the user cancelled
  (call it now and then in long loops); `memo(key, make)` shares what the writer and its
  pre-check both compute (made once), `remember(key, value)` / `remembered(key)` what one of them
  found for the other.

A writer returns None or a dict of facts for the report (e.g. `{"workbooks": 12}`), raises
`WriterError(message)` for a problem it can word (it becomes a DeliveryError `write_failed` with
that text), and any other exception is a write failure like the package's.

`PRECHECKS[format](profile, records, context) -> list of Finding` may add format checks (domains,
Int16 ranges of its own cells, …); they run before anything is written.
"""
from __future__ import annotations

import datetime as _dt
import gc
import html
import os
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import wait
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..common.geo import shapely
from ..common.threads import background
from ..i18n import QT_TRANSLATE_NOOP, translated
from ..rules.engine import Validator
from ..rules.findings import ERROR, WARNING, Finding, render
from ..rules.table import FaseringTable, PlanTable, text_arrays
from ..standard import Standard, load, pick
from ..standard.provinces import Province, extend, load_province, province_of
from . import distribute as dist
from .content import Content, delivered_findings, select
from .package import (
    DeliveryCancelled,
    DeliveryError,
    DeliveryRefused,
    _remove,
    _write_error,
    check_choices,
    check_delivers,
    check_target,
    check_uitvraag,
    delivery_summary,
    is_source,
    remove_stale,
    temp_prefix,
)

REPORT_SUFFIX = "_validatierapport.html"
REPORT_MARK = '<meta name="generator" content="lmvw_plugin province export">'


class WriterError(Exception):
    """A writer's own problem, worded for the user (becomes DeliveryError('write_failed', text))."""


# ------------------------------------------------------------------------------------------------
# what a writer gets


class YearRow:
    """One fasering year of a plan. `cells[dimension][category]` sum to `aantal` for every
    dimension (woningtype, prijs, ouderen, tijdelijk); `joint[type][price]` is the year's
    woningtype × price matrix (also summing to `aantal`).

    Rows made by build_records() hold no dicts of their own: `cells` and `joint` are built on
    each access from the export's matrices (`YearCellStore`, row `index`), which the writers
    may also read directly (`YearCellStore.of(records)`)."""
    __slots__ = ("jaar", "aantal", "sloop", "recorded", "_cells", "_joint", "store", "index")

    def __init__(self, jaar: int, aantal: int, sloop: int, cells: Optional[Dict[str, Dict[str, int]]] = None,
                 joint: Optional[Dict[str, Dict[str, int]]] = None, recorded: bool = False):
        self.jaar, self.aantal, self.sloop, self.recorded = jaar, aantal, sloop, recorded
        self._cells = {} if cells is None else cells
        self._joint = {} if joint is None else joint
        self.store: Optional["YearCellStore"] = None
        self.index = -1

    @property
    def cells(self) -> Dict[str, Dict[str, int]]:
        if self.store is not None:
            return self.store.cells(self.index)
        return self._cells

    @cells.setter
    def cells(self, value: Dict[str, Dict[str, int]]) -> None:
        self.store, self._cells = None, value

    @property
    def joint(self) -> Dict[str, Dict[str, int]]:
        if self.store is not None and self.store.has_joint:
            return self.store.joint(self.index)
        return self._joint

    @joint.setter
    def joint(self, value: Dict[str, Dict[str, int]]) -> None:
        if self.store is not None:
            self._cells, self.store = self.store.cells(self.index), None
        self._joint = value

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, YearRow):
            return NotImplemented
        return (self.jaar, self.aantal, self.sloop, self.cells, self.joint, self.recorded) == \
            (other.jaar, other.aantal, other.sloop, other.cells, other.joint, other.recorded)

    def __repr__(self) -> str:
        return (f"YearRow(jaar={self.jaar!r}, aantal={self.aantal!r}, sloop={self.sloop!r}, cells={self.cells!r}, "
                f"joint={self.joint!r}, recorded={self.recorded!r})")


class YearCellStore:
    """Every fasering year of an export as matrices: `dims[dim]` (rows × parts of the dimension,
    names `names[dim]`) and `jointm` (rows × woningtype parts × price parts); row k is the
    YearRow with `index` k."""

    def __init__(self, n: int, names: "OrderedDict[str, List[str]]"):
        self.names = names
        self.dims = {dim: np.zeros((n, len(ns)), dtype=np.int64) for dim, ns in names.items()}
        self.has_joint = "woningtype" in names and "prijs" in names
        self.tnames = names.get("woningtype", [])
        self.pnames = names.get("prijs", [])
        self.jointm = np.zeros((n if self.has_joint else 0, len(self.tnames), len(self.pnames)), dtype=np.int64)

    def cells(self, k: int) -> Dict[str, Dict[str, int]]:
        return {dim: dict(zip(self.names[dim], m[k].tolist())) for dim, m in self.dims.items()}

    def joint(self, k: int) -> Dict[str, Dict[str, int]]:
        m = self.jointm[k].tolist()
        return {tn: dict(zip(self.pnames, m[a])) for a, tn in enumerate(self.tnames)}

    @staticmethod
    def of(records: Sequence["ProvinceRecord"]) -> Tuple[Optional["YearCellStore"], List[int]]:
        """The store behind the records' years and each year's row in it, in record and year
        order; (None, []) when the rows have no single store (records made by hand)."""
        rows = [row for rec in records for row in rec.years]
        stores = {id(r.store) for r in rows}
        if rows and len(stores) == 1 and rows[0].store is not None:
            return rows[0].store, [r.index for r in rows]
        return None, []


@dataclass
class ProvinceRecord:
    """One delivered plan, mapped for a province."""
    plan_id: Optional[str]
    plannaam: Optional[str]
    fid: int
    fields: "OrderedDict[str, Any]"          # the province's fields, in the profile's order, mapped
    values: Dict[str, Any]                   # our values: Basisset + extra + derived fields
    years: List[YearRow]
    totals: Dict[str, Dict[str, int]]        # per dimension: the plan's category counts (bruto)
    realised: Dict[str, Dict[str, int]]      # per dimension: the realised part of each category
    geometry_wkb: Optional[bytes]
    distributed: bool                        # a year's woningtype or price split was distributed, not recorded
    distributable: bool = True               # False: the margins do not add up (concept only)
    distributed_dims: List[str] = field(default_factory=list)   # every dimension computed for some year


@dataclass
class WriteContext:
    gemeente: str
    uitvraag: str
    peildatum: _dt.date
    lang: str
    standard: Standard
    concept: bool = False
    options: Dict[str, Any] = field(default_factory=dict)
    created_at: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc))
    step: Callable[[float], None] = lambda p: None
    _memo: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """make() once per context (thread-safe)."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = make()
            return self._memo[key]

    def remembered(self, key: str) -> Any:
        with self._lock:
            return self._memo.get(key)

    def remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memo[key] = value


Writer = Callable[[str, Province, List[ProvinceRecord], WriteContext], Optional[Dict[str, Any]]]
PreCheck = Callable[[Province, List[ProvinceRecord], WriteContext], List[Finding]]

WRITERS: Dict[str, Writer] = {}
PRECHECKS: Dict[str, PreCheck] = {}


def register_writer(fmt: str, precheck: Optional[PreCheck] = None):
    """Decorator: `@register_writer("geojson-pzh")` on a writer function (see the module doc)."""
    def deco(fn: Writer) -> Writer:
        WRITERS[fmt] = fn
        if precheck is not None:
            PRECHECKS[fmt] = precheck
        return fn
    return deco


def load_writers() -> None:
    """Import the writer modules so that they register (each guarded: a writer whose library is
    missing is simply not available)."""
    import importlib
    for name in WRITER_MODULES:
        try:
            importlib.import_module(name, __package__)
        except ImportError:
            pass


WRITER_MODULES = [".province_zh", ".province_gelderland", ".province_zeeland"]


def available(fmt: str) -> bool:
    load_writers()
    return fmt in WRITERS


@dataclass
class ProvinceResult:
    path: str
    report_path: str
    records: List[ProvinceRecord]
    shown: List[Finding]
    anonymous: List[Finding]
    export_findings: List[Finding]
    content: Content
    facts: Dict[str, Any] = field(default_factory=dict)
    timings: Dict[str, float] = field(default_factory=dict)

    @property
    def distributed(self) -> List[ProvinceRecord]:
        return [r for r in self.records if r.distributed]


# ------------------------------------------------------------------------------------------------
# the split dimensions (data: fasering_split of the standard's data file)


def dimensions(standard: Standard) -> "OrderedDict[str, List[Dict[str, Any]]]":
    """dimension -> its parts [{name, add: [...], sub: [...], recorded: fasering column or None}]."""
    spec = standard.data.get("fasering_split") or _DEFAULT_SPLIT
    out: "OrderedDict[str, List[Dict[str, Any]]]" = OrderedDict()
    for dim in spec["dimensions"]:
        out[dim["name"]] = [dict(p) for p in dim["parts"]]
    return out


def recordable(standard: Standard) -> Dict[str, bool]:
    spec = standard.data.get("fasering_split") or _DEFAULT_SPLIT
    return {d["name"]: bool(d.get("recorded")) for d in spec["dimensions"]}


_DEFAULT_SPLIT = {"dimensions": []}


# ------------------------------------------------------------------------------------------------
# values


def _py(v: Any, ftype: str) -> Any:
    if v is None:
        return None
    if isinstance(v, float):
        if v != v:
            return None
        if ftype == "bool":
            return bool(v)
        if ftype == "int":
            return int(v) if float(v).is_integer() else v
    if isinstance(v, np.generic):
        return v.item()
    return v


def plan_values(standard: Standard, content: Content, i: int) -> Dict[str, Any]:
    return {f.name: _py(content.columns[f.name][i], f.type) for f in content.fields}


def _python_columns(content: Content) -> Dict[str, List[Any]]:
    """Every delivered column as a list of Python values (None for NULL), converted once."""
    out: Dict[str, List[Any]] = {}
    for f in content.fields:
        col = content.columns[f.name]
        if isinstance(col, np.ndarray) and col.dtype.kind == "f":
            null = np.isnan(col)
            if f.type == "bool":
                vals = (col == 1.0).tolist()
            elif f.type == "int" and np.all(null | ((col == np.floor(np.nan_to_num(col))) & (np.abs(col) < 2 ** 53))):
                vals = np.nan_to_num(col).astype(np.int64).tolist()
            else:
                vals = [_py(v, f.type) for v in col.tolist()]
            if null.any():
                for k in np.nonzero(null)[0].tolist():
                    vals[k] = None
            out[f.name] = vals
        else:
            vals = col.tolist() if isinstance(col, np.ndarray) else list(col)
            if any(issubclass(k, (float, np.generic)) for k in set(map(type, vals))):
                vals = [_py(v, f.type) for v in vals]
            out[f.name] = vals              # (else _py() would give every value back as it is)
    return out


def _num_value(v: Any) -> int:
    return int(v) if isinstance(v, (int, float)) and v == v else 0


def _num(values: Dict[str, Any], name: str) -> int:
    return _num_value(values.get(name))


def category_totals(parts: List[Dict[str, Any]], values: Dict[str, Any]) -> List[int]:
    return [sum(_num(values, a) for a in p.get("add", [p["name"]])) - sum(_num(values, s) for s in p.get("sub", []))
            for p in parts]


def _category_totals_all(parts: List[Dict[str, Any]], plan_values: List[Dict[str, Any]],
                         nums: Dict[str, np.ndarray], columns: Optional[Dict[str, List[Any]]] = None
                         ) -> List[List[int]]:
    """category_totals() of every plan, a column at a time (`nums`: each field's _num() of every
    plan, kept between calls; `columns`: the plans' values as columns where the caller has them)."""
    def num(name: str) -> np.ndarray:
        col = nums.get(name)
        if col is None:
            if columns is not None and name in columns:
                col = nums[name] = np.array([v if type(v) is int else _num_value(v) for v in columns[name]],
                                            dtype=object)
            else:
                col = nums[name] = np.array([_num(values, name) for values in plan_values], dtype=object)
        return col
    n = len(plan_values)
    out = []
    for p in parts:
        t = np.zeros(n, dtype=object)
        for a in p.get("add", [p["name"]]):
            t = t + num(a)
        for s_ in p.get("sub", []):
            t = t - num(s_)
        out.append(t.tolist())
    return [list(row) for row in zip(*out)] if out else [[] for _ in range(n)]


# ------------------------------------------------------------------------------------------------
# mapping


def _verhuurder_type(values: Dict[str, Any], ctx: Dict[str, Any]) -> Optional[str]:
    corp = _num(values, "sociale_huur_corporatie") + _num(values, "middenhuur_corporatie")
    markt = _num(values, "sociale_huur_markt") + _num(values, "middenhuur_markt") + _num(values, "dure_huur")
    unknown = _num(values, "huur_prijs_onbekend")
    if corp and markt:
        return "combinatie"
    if corp:
        return "corporatie"
    if markt:
        return "overig"
    if unknown:
        return "onbekend"
    return None


def _ja_nee_positive(values: Dict[str, Any], ctx: Dict[str, Any], source: Optional[str] = None) -> Optional[str]:
    v = values.get(source) if source else None
    if v is None:
        return "Nee"
    return "Ja" if v > 0 else "Nee"


def _export_date(values: Dict[str, Any], ctx: Dict[str, Any]) -> _dt.date:
    return ctx["export_date"]


DERIVE: Dict[str, Callable[..., Any]] = {
    "verhuurder_type": _verhuurder_type,
    "ja_nee_positive": _ja_nee_positive,
    "export_date": _export_date,
}


def map_fields(province: Province, standard: Standard, values: Dict[str, Any],
               ctx: Dict[str, Any]) -> "OrderedDict[str, Any]":
    """The province's fields of one plan, in order (`mapping.fields`; empty for a placeholder)."""
    mapping = province.mapping
    maps = mapping.get("value_maps", {})
    out: "OrderedDict[str, Any]" = OrderedDict()
    for spec in mapping.get("fields", []):
        out[spec["name"]] = map_value(province, standard, spec, values, ctx, maps)
    return out


def map_value(province: Province, standard: Standard, spec: Dict[str, Any], values: Dict[str, Any],
              ctx: Dict[str, Any], maps: Optional[Dict[str, Dict[str, Any]]] = None) -> Any:
    maps = province.mapping.get("value_maps", {}) if maps is None else maps
    return _finish(spec, _raw_value(province, standard, spec, values, ctx), maps)


def _raw_value(province: Province, standard: Standard, spec: Dict[str, Any], values: Dict[str, Any],
               ctx: Dict[str, Any]) -> Any:
    """A field's value before its value map, default and type."""
    source = spec.get("from")
    if "constant" in spec:
        return spec["constant"]
    if "derive" in spec:
        fn = DERIVE[spec["derive"]]
        return fn(values, ctx, source) if source and spec["derive"] == "ja_nee_positive" else fn(values, ctx)
    if "lookup" in spec:
        key = values.get(source) if source else None
        if spec["lookup"] == "gemeentenaam":
            return standard.gemeente_name(key)
        row = province.lookup(spec["lookup"], key) if key else None
        return row.get(spec.get("column", "")) if row else None
    return values.get(source)


def _finish(spec: Dict[str, Any], v: Any, maps: Dict[str, Dict[str, Any]]) -> Any:
    """A raw value through the spec's value map, default and type."""
    if "values" in spec:
        vm = maps[spec["values"]]
        if v is None or v == "":
            v = vm.get("", None)
        else:
            v = vm.get(str(v), None)
    if v is None and "default" in spec:
        v = spec["default"]
    t = spec.get("type")
    if v is not None:
        if t == "int":
            v = int(v)
        elif t == "list":
            sep = spec.get("separator", ";")
            parts = [p.strip() for p in str(v).split(sep) if p.strip()]
            v = parts or None
        elif t == "bool":
            v = bool(v)
        elif isinstance(v, str) and spec.get("width"):
            v = v[: spec["width"]]
    return v


def _by_distinct(raw: List[Any], finish: Callable[[Any], Any]) -> List[Any]:
    """[finish(v) for v in raw] with finish() once per distinct value: on the values themselves
    when they are of one type (None aside: a C-speed look-up per value), else on (type, value)
    so that 1, 1.0 and True stay apart."""
    kinds = set(map(type, raw))
    kinds.discard(type(None))
    if len(kinds) <= 1:
        try:
            done = {v: finish(v) for v in set(raw)}
            return list(map(done.__getitem__, raw))
        except TypeError:                               # a value that cannot be a key
            pass
    out_of: Dict[Any, Any] = {}
    col = []
    for v in raw:
        mk = (type(v), v)
        try:
            out = out_of[mk]
        except KeyError:
            out = out_of[mk] = finish(v)
        except TypeError:
            out = finish(v)
        col.append(out)
    return col


def map_columns(province: Province, standard: Standard, plan_values: List[Dict[str, Any]],
                ctx: Dict[str, Any], columns: Optional[Dict[str, List[Any]]] = None) -> List["OrderedDict[str, Any]"]:
    """map_fields() of every plan, a field at a time: each distinct value goes through the value
    map, default and type once (lists excepted: every plan gets its own). `columns`: the plans'
    values as columns where the caller has them (column k = [values[k] for values in plan_values])."""
    columns = columns or {}
    mapping = province.mapping
    maps = mapping.get("value_maps", {})
    specs = mapping.get("fields", [])
    cols: List[List[Any]] = []
    for spec in specs:
        source = spec.get("from")
        if "constant" in spec:
            raw: List[Any] = [spec["constant"]] * len(plan_values)
        elif "derive" in spec or "lookup" in spec:
            if "derive" in spec:
                raw = [_raw_value(province, standard, spec, values, ctx) for values in plan_values]
            else:
                seen: Dict[Any, Any] = {}
                raw = []
                for values in plan_values:
                    key = values.get(source) if source else None
                    mk = (type(key), key)
                    if mk not in seen:
                        seen[mk] = _raw_value(province, standard, spec, values, ctx)
                    raw.append(seen[mk])
        elif source in columns:
            raw = columns[source]
        else:
            raw = [values.get(source) for values in plan_values]
        if spec.get("type") == "list":
            cols.append([_finish(spec, v, maps) for v in raw])
            continue
        cols.append(_by_distinct(raw, lambda v, spec=spec: _finish(spec, v, maps)))
    names = [spec["name"] for spec in specs]
    return [OrderedDict(zip(names, row)) for row in zip(*cols)] if cols else \
        [OrderedDict() for _ in plan_values]


def year_cells(province: Province, row: YearRow) -> "OrderedDict[str, Any]":
    """A YearRow as the province's named cells (`mapping.year_cells`): the year, the construction
    cells `{type}_{class}` in order, the built flag, the demolition cells (all of the year's sloop
    in `sloop_into`: Basisset has no type or class for demolition) and the demolition flag."""
    return OrderedDict(zip(_cell_layout(province)[0], year_cell_values(province, row)))


def year_cell_values(province: Province, row: YearRow) -> List[Any]:
    """The values of year_cells() in its order, without the names."""
    keys, cell_of, _year_key, built, sloop_at, sloop_flag = _cell_layout(province)
    values: List[Any] = [0] * len(keys)
    values[0] = int(row.jaar)
    for btype, by_price in row.joint.items():
        for bprice, n in by_price.items():
            if n:
                values[cell_of[(btype, bprice)]] += int(n)
    if built is not None:
        values[built[0]] = built[1]
    if sloop_at is not None:
        values[sloop_at] = int(row.sloop)
    if sloop_flag is not None:
        values[sloop_flag[0]] = sloop_flag[1]
    return values


def year_cell_names(province: Province) -> List[str]:
    return list(_cell_layout(province)[0])


_LAYOUTS: Dict[int, tuple] = {}


def _cell_layout(province: Province):
    """The cell names of a year in order and where each Basisset (type, price) lands (computed once)."""
    hit = _LAYOUTS.get(id(province.data))
    if hit is not None:
        return hit
    yc = province.mapping["year_cells"]
    keys = [yc.get("year", "jaartal")]
    pos = {}
    for t in yc["type_order"]:
        for c in yc["class_order"]:
            pos[(t, c)] = len(keys)
            keys.append(yc["cell"].format(type=t, **{"class": c}))
    built = sloop_at = sloop_flag = None
    if yc.get("built_flag"):
        built = (len(keys), yc["built_flag"]["value"])
        keys.append(yc["built_flag"]["name"])
    if yc.get("sloop_cell"):
        for t in yc["type_order"]:
            for c in yc["class_order"]:
                name = yc["sloop_cell"].format(type=t, **{"class": c})
                if name == yc["sloop_into"]:
                    sloop_at = len(keys)
                keys.append(name)
    if yc.get("sloop_flag"):
        sloop_flag = (len(keys), yc["sloop_flag"]["value"])
        keys.append(yc["sloop_flag"]["name"])
    cell_of = {(bt, bp): pos[(t, c)] for bt, t in yc["types"].items() for bp, c in yc["classes"].items()}
    hit = (keys, cell_of, keys[0], built, sloop_at, sloop_flag)
    _LAYOUTS[id(province.data)] = hit
    return hit


# ------------------------------------------------------------------------------------------------
# records


def _fasering_by_plan(standard: Standard, fasering: Optional[FaseringTable], rows: np.ndarray):
    """plan_id -> list of fasering row indices (delivered rows only), in year order."""
    out: Dict[str, List[int]] = {}
    if fasering is None or not len(rows):
        return out
    pid_u, pid_null, _ = text_arrays(fasering.plan_ids[rows])
    years = fasering.years[rows]
    order = np.lexsort((years, pid_u))
    order = order[~pid_null[order] & (years[order] == years[order])]        # (NaN: no year)
    pids, frows = pid_u[order], np.asarray(rows)[order]
    starts = [0] + (np.flatnonzero(pids[1:] != pids[:-1]) + 1).tolist() + [len(order)]
    frow_list = frows.tolist()
    for a, b in zip(starts[:-1], starts[1:]):
        if a < b:
            out[str(pids[a])] = frow_list[a:b]
    return out


def build_records(standard: Standard, province: Province, plans: PlanTable, fasering: Optional[FaseringTable],
                  content: Content, *, peildatum: _dt.date, created_at: Optional[_dt.datetime] = None
                  ) -> List[ProvinceRecord]:
    """Every delivered plan as a ProvinceRecord (see the module doc)."""
    dims = dimensions(standard)
    rec_dims = recordable(standard)
    by_plan = _fasering_by_plan(standard, fasering, content.fasering_rows)
    fas_cols = fasering.columns if fasering is not None else {}
    conf = province.vertrouwelijkheid
    export_date = (created_at or _dt.datetime.now(_dt.timezone.utc)).date()
    ctx = {"export_date": export_date, "peildatum": peildatum}
    geoms = content.geometry
    wkb = [None] * len(geoms)
    present = [i for i, g in enumerate(geoms) if g is not None]
    if present:
        for i, b in zip(present, shapely.to_wkb(np.asarray([geoms[i] for i in present], dtype=object)).tolist()):
            wkb[i] = b
    pycols = _python_columns(content)
    names_of = {dim: [p["name"] for p in parts] for dim, parts in dims.items()}
    rec_of = {dim: _recorded_rows(fas_cols, parts, fasering.n if fasering is not None else 0)
              for dim, parts in dims.items() if rec_dims.get(dim)}
    # 1. per plan: its values, years and category totals; each year's row in the store
    plan_values_: List[Dict[str, Any]] = []
    plan_years: List[List[YearRow]] = []
    plan_frows: List[List[int]] = []
    plan_realised: List[int] = []
    plan_start: List[int] = []
    jaar, aantal, sloop = (c.tolist() if isinstance(c, np.ndarray) else c
                           for c in (fas_cols.get("jaar"), fas_cols.get("aantal"), fas_cols.get("sloop")))
    nrows = 0
    col_names = list(pycols)
    as_columns = {k: v for k, v in pycols.items() if k != "vertrouwelijkheid_provincie"}   # (added per plan)
    for row in zip(*pycols.values()) if pycols else ((),) * content.n:
        values = dict(zip(col_names, row))
        if values.get("vertrouwelijkheid") in conf:
            values["vertrouwelijkheid_provincie"] = conf[values["vertrouwelijkheid"]]
        frows = by_plan.get(values.get("plan_id") or "", [])
        plan_values_.append(values)
        plan_frows.append(frows)
        plan_years.append([YearRow(int(jaar[r]), _int0(aantal[r]), _int0(sloop[r])) for r in frows]
                          if frows else [])
        plan_start.append(nrows)
        nrows += len(frows)
        plan_realised.append(_num(values, "aantal_gerealiseerd"))
    store = YearCellStore(nrows, OrderedDict((dim, names_of[dim]) for dim in dims))
    # 2. per dimension: every plan's distribution at once (plans grouped by their number of years),
    # into the store's matrix of that dimension
    results: Dict[str, tuple] = {}
    nums: Dict[str, np.ndarray] = {}
    for dim, parts in dims.items():
        tots = _category_totals_all(parts, plan_values_, nums, as_columns)
        results[dim] = (tots,) + _distribute_all(plan_years, plan_frows, plan_realised, tots, len(parts),
                                                rec_of.get(dim), store.dims[dim], plan_start)
    # 3. the records
    records: List[ProvinceRecord] = []
    fids = np.asarray(plans.fids)[np.asarray(content.rows, dtype=np.int64)].tolist() if content.n else []
    for i in range(content.n):
        values, years = plan_values_[i], plan_years[i]
        pid = values.get("plan_id")
        totals: Dict[str, Dict[str, int]] = {}
        realised: Dict[str, Dict[str, int]] = {}
        distributed = False
        distributed_dims: List[str] = []
        distributable = True
        for dim in dims:
            names = names_of[dim]
            tots, ok_of, parts_of, recorded_of = results[dim]
            totals[dim] = dict(zip(names, tots[i]))
            parts_real, recorded = parts_of[i], recorded_of[i]
            parts_of[i] = None
            if not ok_of[i]:
                distributable = False
                parts_real = [0] * len(names)
                if years:
                    store.dims[dim][plan_start[i]:plan_start[i] + len(years)] = _fallback(years, names)
            if len(years) and len(recorded) < len(years):
                distributed_dims.append(dim)
                distributed = distributed or bool(rec_dims.get(dim))
            realised[dim] = dict(zip(names, parts_real))
            if recorded:
                for y in recorded:
                    years[y].recorded = True
        for y, row in enumerate(years):
            row.store, row.index = store, plan_start[i] + y
        rec = ProvinceRecord(pid, values.get("plannaam"), int(fids[i]), OrderedDict(), values,
                             years, totals, realised, wkb[i], distributed, distributable, distributed_dims)
        records.append(rec)
    for rec, fields in zip(records, map_columns(province, standard, plan_values_, ctx, as_columns)):
        rec.fields = fields
    if store.has_joint:
        _joint_all(store, np.array([row.aantal for rec in records for row in rec.years], dtype=np.int64))
    return records


def _recorded_rows(fas_cols: Dict[str, Any], parts: List[Dict[str, Any]], n: int):
    """Per fasering row: whether the user recorded this dimension's split (any part not null) and
    the recorded vector (null = 0, values truncated like int()), as (has n, values n × parts)."""
    cols = []
    for p in parts:
        c = fas_cols.get(p.get("recorded")) if p.get("recorded") in fas_cols else None
        if c is None:
            cols.append(np.full(n, np.nan))
        elif isinstance(c, np.ndarray) and c.dtype.kind in "fiu":
            cols.append(c.astype(float))
        else:
            cols.append(np.array([np.nan if v is None or v != v else float(v) for v in c], dtype=float))
    if not cols:
        return np.zeros(n, dtype=bool), np.zeros((n, 0), dtype=np.int64)
    m = np.column_stack(cols)
    null = np.isnan(m)
    return ~null.all(axis=1), np.where(null, 0, m).astype(np.int64)


def _distribute_all(plan_years: List[List[YearRow]], plan_frows: List[List[int]], plan_realised: List[int],
                    tots: List[List[int]], nc: int, rec, out: np.ndarray, plan_start: List[int]):
    """Every plan's dist.distribute() for one dimension, via dist.distribute_many on the plans of
    each number of years: the cells go into `out` (the store's rows × parts matrix, at each
    plan's `plan_start`); returns (ok: False where distribute() raises DistributionError,
    realised parts as lists, recorded year indices). `rec` is _recorded_rows() (None: not
    recordable)."""
    n = len(plan_years)
    ok_of: List[bool] = [False] * n
    parts_of: List[Any] = [None] * n
    recorded_of: List[Any] = [()] * n
    groups: Dict[int, List[int]] = {}
    for i, years in enumerate(plan_years):
        groups.setdefault(len(years), []).append(i)
    for ny, idx in groups.items():
        b = len(idx)
        years = np.array([[y.aantal for y in plan_years[i]] for i in idx], dtype=np.int64).reshape(b, ny)
        cats = np.array([tots[i] for i in idx], dtype=np.int64).reshape(b, nc)
        realised = np.array([plan_realised[i] for i in idx], dtype=np.int64)
        fixed = np.zeros((b, ny, nc), dtype=np.int64)
        free = np.ones((b, ny), dtype=bool)
        if rec is not None and ny:
            has, vals = rec
            frows = np.array([plan_frows[i] for i in idx], dtype=np.int64).reshape(b, ny)
            free = ~has[frows]
            fixed = vals[frows]
            for k, i in enumerate(idx):
                if not free[k].all():
                    recorded_of[i] = set(np.nonzero(~free[k])[0].tolist())
        cells, parts, ok = dist.distribute_many(years, cats, realised, fixed, free)
        if ny:
            starts = np.array([plan_start[i] for i in idx], dtype=np.int64)
            at = (starts[:, None] + np.arange(ny)[None, :])[ok]
            out[at.reshape(-1)] = cells[ok].reshape(-1, nc)
        pl, okl = parts.tolist(), ok.tolist()
        for k, i in enumerate(idx):
            if okl[k]:
                ok_of[i], parts_of[i] = True, pl[k]
    return ok_of, parts_of, recorded_of


def _joint_all(store: YearCellStore, aantal: np.ndarray) -> None:
    """Every year's woningtype × price matrix (dist.joint) into the store, at once for the years
    whose two vectors are whole numbers >= 0 with the same sum; the others (none in a valid
    delivery) one by one. A year of 0 dwellings is all zeros."""
    t_all, p_all = store.dims["woningtype"], store.dims["prijs"]
    todo = np.nonzero(aantal != 0)[0]
    if not len(todo):
        return
    t, p = t_all[todo], p_all[todo]
    good = (t >= 0).all(axis=1) & (p >= 0).all(axis=1) & (t.sum(axis=1) == p.sum(axis=1))
    store.jointm[todo] = dist.fill_many(np.where(good[:, None], t, 0), np.where(good[:, None], p, 0))
    for k in np.nonzero(~good)[0].tolist():
        store.jointm[todo[k]] = dist.joint(t[k], p[k])


def _int0(v: Any) -> int:
    return 0 if v is None or v != v else int(v)


def _fallback(years: List[YearRow], names: List[str]) -> np.ndarray:
    """Margins that cannot hold (a concept delivery with R04/R05/R17 errors): each year's total in
    the last category of the dimension (its 'onbekend'), nothing invented."""
    cells = np.zeros((len(years), len(names)), dtype=np.int64)
    for y, row in enumerate(years):
        cells[y, -1] = row.aantal
    return cells


# ------------------------------------------------------------------------------------------------
# export checks on the records


def _finding(check: Dict[str, Any], rec: ProvinceRecord, lang: str, field_name: Optional[str] = None,
             **values: Any) -> Finding:
    return Finding(check["code"], check["severity"], rec.plan_id, field_name,
                   render(pick(check["message"], lang), **values), fid=rec.fid, plannaam=rec.plannaam,
                   check=check["code"])


def _fix_text(spec: Dict[str, Any], standard: Standard, lang: str) -> str:
    if spec.get("fix"):
        return pick(spec["fix"], lang)
    src = spec.get("from")
    if src and src in standard.field_by_name:
        return render(translated(_FILL_IN, lang, "Report"), label=standard.field(src).text(lang))
    return translated(_NO_SOURCE, lang, "Report")


_FILL_IN = QT_TRANSLATE_NOOP("Report", "fill in {label}.")
_NO_SOURCE = QT_TRANSLATE_NOOP("Report", "the plugin has no source for it.")


def export_findings(province: Province, standard: Standard, records: List[ProvinceRecord], lang: str,
                    ) -> List[Finding]:
    """The profile's export checks (`export_checks`) on the mapped records."""
    out: List[Finding] = []
    specs = province.mapping.get("fields", [])
    # per kind what it looks at, found once (the first spec of a name counts, like rec.fields)
    required = [spec for spec in specs if spec.get("required")]
    first: Dict[str, Dict[str, Any]] = {}
    for spec in specs:
        first.setdefault(spec["name"], spec)
    int16_names = [name for name, spec in first.items() if spec.get("int16")]
    domains = province.mapping.get("domains", {})
    with_domain = [(spec, spec["name"], spec["domain"]) for spec in specs if spec.get("domain")]
    domain_values = {dom: _domain_values(province, domains, dom) for _s, _n, dom in with_domain}
    n_parts: List[int] = []
    if any(c["kind"] == "single_polygon" for c in province.export_checks) and records:
        geoms = shapely.from_wkb(np.array([rec.geometry_wkb for rec in records], dtype=object))
        n_parts = shapely.get_num_geometries(geoms).tolist()          # 0 for a plan without geometry
    for check in province.export_checks:
        kind = check["kind"]
        if kind == "required_value":
            fixes = [_fix_text(spec, standard, lang) for spec in required]
        for k, rec in enumerate(records):
            if kind == "required_value":
                for spec, fix in zip(required, fixes):
                    if rec.fields.get(spec["name"]) in (None, "", []):
                        out.append(_finding(check, rec, lang, spec.get("from"), field=spec["name"], fix=fix))
            elif kind == "single_polygon":
                if n_parts[k] > 1:
                    out.append(_finding(check, rec, lang, None, parts=n_parts[k]))
            elif kind == "year_range":
                for row in rec.years:
                    if not (check["min"] <= row.jaar <= check["max"]):
                        out.append(_finding(check, rec, lang, "fasering.jaar", value=row.jaar,
                                            min=check["min"], max=check["max"]))
            elif kind == "realised_not_carried":
                n = _num(rec.values, "aantal_gerealiseerd")
                if n > 0:
                    out.append(_finding(check, rec, lang, "aantal_gerealiseerd", value=n))
            elif kind == "int_range":
                fields = rec.fields
                bad = [name for name in int16_names if name in fields and isinstance(fields[name], int)
                       and not (check["min"] <= fields[name] <= check["max"])]
                if len(bad) > 1:                        # in the record's own field order
                    order = {name: pos for pos, name in enumerate(fields)}
                    bad.sort(key=order.__getitem__)
                for name in bad:
                    out.append(_finding(check, rec, lang, first[name].get("from"), field=name, value=fields[name],
                                        min=check["min"], max=check["max"]))
            elif kind == "domain":
                for spec, name, dom in with_domain:
                    v = rec.fields.get(name)
                    if v not in (None, "") and v not in domain_values[dom]:
                        out.append(_finding(check, rec, lang, spec.get("from"), field=name, value=v, domain=dom))
    return out


def export_checks(province: Province, standard: Standard, records: List[ProvinceRecord],
                  ctx: WriteContext) -> List[Finding]:
    """What the export checks on the mapped records before anything is written: the profile's export
    checks and the writer's own (Int16 ranges, domains, one polygon, years, ...)."""
    out = export_findings(province, standard, records, ctx.lang)
    pre = PRECHECKS.get(province.format)
    if pre is not None:
        out += pre(province, records, ctx)
    return out


def preview_export_checks(plans: PlanTable, fasering: Optional[FaseringTable], content: Content, *,
                          province: str, standard: Standard, gemeente: str, uitvraag: str,
                          peildatum: _dt.date, lang: str = "nl") -> List[Finding]:
    """The export checks of a province's format on what would be delivered, for the export dialog's
    summary before writing (the same findings the export refuses on)."""
    prov = load_province(province)
    load_writers()
    if prov.format not in WRITERS:
        return []
    was_gc = gc.isenabled()
    gc.disable()
    try:
        records = build_records(standard, prov, plans, fasering, content, peildatum=peildatum)
        ctx = WriteContext(gemeente, uitvraag, peildatum, lang, standard)
        return export_checks(prov, standard, records, ctx)
    finally:
        if was_gc:
            gc.enable()


def _domain_values(province: Province, domains: Dict[str, Any], name: str) -> set:
    if name in domains:
        return set(domains[name])
    return {c["code"] for c in province.data["codelists"].get(name, [])}


def _geom(rec: ProvinceRecord):
    if rec.geometry_wkb is None:
        return None
    return shapely.from_wkb(rec.geometry_wkb)


# ------------------------------------------------------------------------------------------------
# the pipeline


def output_name(province: Province, gemeente: str, uitvraag: str) -> str:
    return province.filename(gemeente, uitvraag)


def report_path(out_path: str) -> str:
    """`<folder>/<name up to the first dot>_validatierapport.html` beside the province file."""
    folder, name = os.path.split(out_path)
    return os.path.join(folder, name.split(".", 1)[0] + REPORT_SUFFIX)


def is_province_output(path: str) -> bool:
    """Was `path` written by a province export of this plugin? (Its report beside it says so.)
    Only such a file is replaced by --overwrite."""
    rp = report_path(path)
    try:
        with open(rp, encoding="utf-8") as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return REPORT_MARK in head and html.escape(os.path.basename(path)) in head


def check_province_target(out_path: str, sources, overwrite: bool) -> str:
    """Like the package's check_target: never a source, never a folder; an existing file only with
    overwrite and only when it is ours."""
    try:
        return check_target(out_path, sources, overwrite=False)
    except DeliveryError as e:
        if e.reason != "exists":
            raise
        if not overwrite:
            raise
        target = os.path.abspath(out_path)
        if os.path.isdir(target) or not is_province_output(target):
            raise DeliveryError("not_package", target) from None
        return target


def export_province(plans: PlanTable, fasering: Optional[FaseringTable], out_path: str, *,
                    province: str, gemeente: str, uitvraag: str, peildatum: _dt.date,
                    profile: str = "provincie", concept: bool = False, overwrite: bool = False,
                    lang: str = "nl", options: Optional[Dict[str, Any]] = None,
                    standard: Optional[Standard] = None,
                    progress: Optional[Callable[[float], None]] = None,
                    is_cancelled: Optional[Callable[[], bool]] = None,
                    created_at: Optional[_dt.datetime] = None, sources: Sequence[Optional[str]] = ()
                    ) -> ProvinceResult:
    """Write the province file `out_path` (see the module doc). Raises DeliveryError, DeliveryRefused
    or DeliveryCancelled like the package's export(); in each case nothing is written and an
    earlier file is untouched. `standard`: the standard the tables were read with (extended with
    the province, or plain: it is extended here)."""
    t0 = time.perf_counter()
    prov = load_province(province)
    base = standard or load()
    if province_of(base) is None:
        base = extend(base, prov)
    elif province_of(base).key != prov.key:
        base = extend(getattr(base, "base_standard", load()), prov)
    standard = base
    check_uitvraag(standard, uitvraag)
    check_choices(standard, gemeente, profile)
    load_writers()
    writer = WRITERS.get(prov.format)
    if writer is None:
        raise DeliveryError("no_writer", prov.format)
    sources = list(sources) + [t.origin["path"] for t in (plans, fasering)
                               if t is not None and t.origin and t.origin.get("path")]
    target = check_province_target(out_path, sources, overwrite)
    rpath = report_path(target)
    if is_source(rpath, sources):
        raise DeliveryError("is_source", rpath)
    folder = os.path.dirname(target)
    created = (created_at or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)

    def step(p: float) -> None:
        if is_cancelled is not None and is_cancelled():
            raise DeliveryCancelled()
        if progress is not None:
            progress(p)

    remove_stale(folder)
    step(1)
    content = select(standard, plans, fasering, standard.profiles[profile], gemeente)
    check_delivers(plans, content)
    step(5)
    # The validation runs in a thread of its own from here on (GEOS lets go of the GIL in large
    # calls) beside the records and the export's checks (Python); the file is written after them,
    # alone: GDAL's many small calls would each wait for the GIL behind Python work beside them.
    validating = background(lambda: Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente))
    was_gc = gc.isenabled()
    gc.disable()                    # many small objects and no cycles: the collector would only rescan
    try:
        try:
            records = build_records(standard, prov, plans, fasering, content, peildatum=peildatum,
                                    created_at=created)
            wctx = WriteContext(gemeente, uitvraag, peildatum, lang, standard, concept, dict(options or {}), created,
                                step)
            extra = export_checks(prov, standard, records, wctx)
            step(30)
        except BaseException:
            wait([validating])
            raise
        validation = validating.result()
        shown, anonymous = delivered_findings(validation.findings, plans, content, standard, lang)
        step(35)
        summary = delivery_summary(shown + anonymous + extra)
        if summary["errors"] and not concept:
            raise DeliveryRefused(summary["errors"], summary["warnings"], shown + anonymous + extra)
        step(45)
        try:
            tmpdir = tempfile.mkdtemp(prefix=temp_prefix(), dir=folder)
        except OSError as e:
            raise _write_error(e, folder, 0, 0) from None
        facts: Dict[str, Any] = {}
        try:
            tmp_out = os.path.join(tmpdir, os.path.basename(target))
            facts = writer(tmp_out, prov, records, wctx) or {}
            step(90)
            if not os.path.isfile(tmp_out):
                raise WriterError(f"the writer for {prov.format} wrote no file")
            report = render_report(prov, standard, records, shown, anonymous, extra, gemeente=gemeente,
                                   uitvraag=uitvraag, peildatum=peildatum, profile=profile, concept=concept,
                                   created=created, file_name=os.path.basename(target), lang=lang, facts=facts)
            tmp_report = os.path.join(tmpdir, os.path.basename(rpath))
            with open(tmp_report, "w", encoding="utf-8") as fh:
                fh.write(report)
            step(95)
            if os.path.lexists(target) and (not overwrite or not is_province_output(target)):
                raise DeliveryError("exists" if not overwrite else "not_package", target)
            os.replace(tmp_out, target)
            os.replace(tmp_report, rpath)
        except (DeliveryCancelled, DeliveryRefused):
            raise
        except WriterError as e:
            raise DeliveryError("write_failed", str(e)) from None
        except DeliveryError:
            raise
        except Exception as e:
            raise _write_error(e, folder, 0, 0) from None
        finally:
            _remove(tmpdir)
    finally:
        if was_gc:
            gc.enable()
    if progress is not None:
        progress(100)
    return ProvinceResult(target, rpath, records, shown, anonymous, extra, content, facts,
                          {"total": time.perf_counter() - t0})


# ------------------------------------------------------------------------------------------------
# the report beside the file


_T = {
    "title": QT_TRANSLATE_NOOP("Report", "Validation report of the delivery to the province of {provincie}"),
    "file": QT_TRANSLATE_NOOP("Report", "File"),
    "format": QT_TRANSLATE_NOOP("Report", "Format"),
    "gemeente": QT_TRANSLATE_NOOP("Report", "Municipality"),
    "uitvraag": QT_TRANSLATE_NOOP("Report", "Request"),
    "peildatum": QT_TRANSLATE_NOOP("Report", "Reference date"),
    "profile": QT_TRANSLATE_NOOP("Report", "Profile"),
    "created": QT_TRANSLATE_NOOP("Report", "Created"),
    "plans": QT_TRANSLATE_NOOP("Report", "Plans delivered"),
    "concept": QT_TRANSLATE_NOOP("Report", "Concept delivery: there are errors."),
    "findings": QT_TRANSLATE_NOOP("Report", "Findings"),
    "none": QT_TRANSLATE_NOOP("Report", "No findings."),
    "distributed": QT_TRANSLATE_NOOP("Report", "Plans whose split over years and categories was computed (not recorded)"),  # noqa: E501
    "distributed_note": QT_TRANSLATE_NOOP("Report", "Every cell is a whole number of 0 or more; per year and per category the cells add up exactly to the plan's numbers."),  # noqa: E501
    "not_distributable": QT_TRANSLATE_NOOP("Report", "Plans whose numbers do not add up: the year totals are in 'unknown'"),  # noqa: E501
    "severity": QT_TRANSLATE_NOOP("Report", "Severity"),
    "rule": QT_TRANSLATE_NOOP("Report", "Rule"),
    "plan": QT_TRANSLATE_NOOP("Report", "Plan"),
    "message": QT_TRANSLATE_NOOP("Report", "Message"),
    "error": QT_TRANSLATE_NOOP("Report", "error"),
    "warning": QT_TRANSLATE_NOOP("Report", "warning"),
    "anonymous": QT_TRANSLATE_NOOP("Report", "Findings of plans not delivered, per rule"),
}


def render_report(province: Province, standard: Standard, records: List[ProvinceRecord], shown: List[Finding],
                  anonymous: List[Finding], extra: List[Finding], *, gemeente: str, uitvraag: str,
                  peildatum: _dt.date, profile: str, concept: bool, created: _dt.datetime, file_name: str,
                  lang: str, facts: Optional[Dict[str, Any]] = None) -> str:
    """One offline HTML page: what was delivered, every finding, the plans whose split was
    distributed. No script, no external resource; every text escaped."""
    def t(key: str, **kw: Any) -> str:
        return html.escape(render(translated(_T[key], lang, "Report"), **kw))
    e = html.escape
    findings = shown + extra
    errors = sum(f.severity == ERROR for f in findings + anonymous)
    prof = standard.profiles[profile]
    rows = [
        (t("file"), e(file_name)), (t("format"), e(province.format_label(lang))),
        (t("gemeente"), e(f"{gemeente} {standard.gemeente_name(gemeente) or ''}".strip())),
        (t("uitvraag"), e(uitvraag)), (t("peildatum"), e(peildatum.isoformat())),
        (t("profile"), e(pick(prof.label, lang))), (t("created"), e(created.strftime("%Y-%m-%d %H:%M UTC"))),
        (t("plans"), str(len(records))),
    ]
    out = ["<!DOCTYPE html>", f'<html lang="{e(lang)}"><head><meta charset="utf-8">', REPORT_MARK,
           f"<title>{t('title', provincie=province.name(lang))}</title>",
           "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}.error{color:#b00}</style></head><body>",
           f"<h1>{t('title', provincie=province.name(lang))}</h1>"]
    if errors and concept:
        out.append(f'<p class="error">{t("concept")}</p>')
    out.append("<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>")
    out.append(f"<h2>{t('findings')}</h2>")
    if findings:
        out.append(f"<table><tr><th>{t('severity')}</th><th>{t('rule')}</th><th>{t('plan')}</th>"
                   f"<th>{t('message')}</th></tr>")
        for f in findings:
            out.append(f'<tr class="{e(f.severity)}"><td>{t(f.severity if f.severity in (ERROR, WARNING) else "error")}'
                       f"</td><td>{e(f.rule)}</td><td>{e(f.plannaam or f.plan_id or '')}</td>"
                       f"<td>{e(f.message)}</td></tr>")
        out.append("</table>")
    else:
        out.append(f"<p>{t('none')}</p>")
    if anonymous:
        counts: Dict[str, int] = {}
        for f in anonymous:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        out.append(f"<h3>{t('anonymous')}</h3><ul>" +
                   "".join(f"<li>{e(k)}: {v}</li>" for k, v in sorted(counts.items())) + "</ul>")
    dist_recs = [r for r in records if r.distributed and r.distributable]
    out.append(f"<h2>{t('distributed')}</h2><p>{t('distributed_note')}</p><ul>")
    out += [f"<li>{e(r.plannaam or '')} ({e(r.plan_id or '')})</li>" for r in dist_recs]
    out.append("</ul>")
    bad = [r for r in records if not r.distributable]
    if bad:
        out.append(f"<h2>{t('not_distributable')}</h2><ul>")
        out += [f"<li>{e(r.plannaam or '')} ({e(r.plan_id or '')})</li>" for r in bad]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)
