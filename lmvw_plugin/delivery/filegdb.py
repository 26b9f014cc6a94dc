"""Gelderland's *Planregistratie* File Geodatabase, written with GDAL's OpenFileGDB driver.

The province's template may not be shipped (its licence is unknown), so the geodatabase is built
from its schema (`standard/provinces/gelderland/schema.json`, read from the template): the five
layers and tables with the same field names in the same order, the same Esri types (Int16 where
the template has SmallInteger, real GlobalID and GUID fields), widths, nullability and aliases, the
16 coded-value domains attached to their fields, the two relationship classes, and the lookup
tables `Gemeenten` and `Regiovelden` filled. Where the user has the template itself, the export can
start from a file copy of its `.gdb` folder instead (never a plain ogr2ogr copy: that turns the
GlobalID/GUID fields into text and drops the relationship classes, reference §3.7).

GDAL does not enforce coded domains, text widths or Int16 ranges (it wraps 70000 to 4464), so
`check()` does, before anything is written: every such value is a finding, and `write()` refuses
while there is one. The plans are written first, their generated `GlobalID` read back by
`koppelid`, and only then the `DetailPlanning` rows with `parent_globalid` set to it.

Input is neutral: one dict per plan with Planregistratie field names (plus `GEOMETRY` = WKB of a
MultiPolygon in EPSG:28992) and one dict per DetailPlanning row (plus `KOPPELID` = the parent's
`koppelid`). The province profile's mapping makes these from the plans (delivery.province).
Pure: osgeo only, no qgis."""
from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import re
import shutil
import tempfile
import threading
import zipfile
import zlib
from functools import cache
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence

from ..i18n import tr
from ..rules.findings import ERROR, Finding

PROVINCES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "standard", "provinces")
HERE = os.path.join(PROVINCES, "gelderland")
SCHEMA_PATH = os.path.join(HERE, "schema.json")          # the template's schema (reference gelderland_schema.json)
# the template's lookup tables (the profile's own look-ups share the first two)
GEMEENTEN_CSV = os.path.join(PROVINCES, "gelderland_gemeenten.csv")
WOONPLAATSEN_CSV = os.path.join(PROVINCES, "gelderland_woonplaatsen.csv")
REGIOVELDEN_CSV = os.path.join(HERE, "regiovelden.csv")
GEOMETRY = "GEOMETRY"          # key of the plan's WKB in a plan dict
KOPPELID = "KOPPELID"          # key of the parent's koppelid in a DetailPlanning dict
PLANS = "Planregistratie"
DETAIL = "DetailPlanning"
GEMEENTEN = "Gemeenten"
REGIOVELDEN = "Regiovelden"
LAYER_ORDER = (PLANS, DETAIL, GEMEENTEN, REGIOVELDEN, "Overkoepelendeplannen")
INT16 = (-32768, 32767)
INT32 = (-2147483648, 2147483647)
GUID_RE = re.compile(r"^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$")
MIN_GDAL = 3060000
# codes of the findings check() reports (messages below, Dutch in lmvw_nl.ts)
DOMAIN_MISS, INT16_RANGE, TOO_LONG, NOT_NULL, BAD_GUID, NO_PARENT = (
    "PGLD90", "PGLD91", "PGLD92", "PGLD93", "PGLD94", "PGLD95")
HARD = (INT16_RANGE, NOT_NULL, BAD_GUID, NO_PARENT)    # refused even in a concept: GDAL would wrap or fail


class GdbError(Exception):
    """The geodatabase cannot be written (GDAL too old, a write failure); the message says why."""


class GdbRefused(Exception):
    """Values the template cannot hold: nothing was written."""

    def __init__(self, findings: List[Finding]):
        super().__init__(f"{len(findings)} values the Gelderland template cannot hold")
        self.findings = findings


@cache
def schema() -> Dict[str, Any]:
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def domain_codes(name: str) -> frozenset:
    return frozenset(cv["code"] for cv in schema()["domains"][name]["coded_values"])


def _read_csv(path: str) -> List[Dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def gdal_problem() -> Optional[str]:
    """Why this GDAL cannot write a File Geodatabase, or None when it can."""
    try:
        from osgeo import gdal
    except ImportError:
        return tr("GDAL's Python bindings (osgeo) are missing: the Gelderland File Geodatabase cannot "
                  "be written. Install QGIS 3.28 or newer, which comes with GDAL 3.6 or newer.")
    if int(gdal.VersionInfo("VERSION_NUM")) < MIN_GDAL or gdal.GetDriverByName("OpenFileGDB") is None:
        return tr("This QGIS uses GDAL {}, which cannot write a File Geodatabase: GDAL 3.6 or newer is "
                  "needed (QGIS 3.28 or newer on Windows and macOS, or a QGIS built with GDAL 3.6). "
                  "Choose another format or update QGIS.", gdal.__version__)
    return None


# --------------------------------------------------------------------------------------------
# checks before writing


def _fields(layer: str) -> List[Dict[str, Any]]:
    return schema()["layers"][layer]["fields"]


def _value_fields(layer: str) -> List[Dict[str, Any]]:
    """The fields a writer fills (not OBJECTID, the geometry, GlobalID or the shape measures)."""
    return [f for f in _fields(layer)
            if f["esri_type"] not in ("esriFieldTypeOID", "esriFieldTypeGeometry", "esriFieldTypeGlobalID")
            and not (f["esri_type"] == "esriFieldTypeDouble" and f["name"].lower() in ("shape_length", "shape_area"))]


class Problem(NamedTuple):
    """One value the template cannot hold: where (layer and jaartal), which field, what."""
    code: str
    plan: Dict[str, Any]          # the plan (dict) the row belongs to
    layer: str
    year: Optional[int]
    field: str
    value: Any
    domain: Optional[str] = None
    low: Optional[int] = None
    high: Optional[int] = None
    width: int = 0

    @property
    def where(self) -> str:
        return self.layer if self.year is None else f"{self.layer} {self.year}"

    def message(self) -> str:
        w, name, v = self.where, self.field, self.value
        if self.code == NOT_NULL:
            return tr("{}: field {} is empty, but the Gelderland template requires it. Fill it in the plan.", w, name)
        if self.code == INT16_RANGE:
            return tr("{}: {} = {} does not fit the template's field ({} to {}); GDAL would store another "
                      "number. Check the count in the plan.", w, name, v, self.low, self.high)
        if self.code == BAD_GUID:
            return tr("{}: {} = \"{}\" is not a GUID in braces.", w, name, v)
        if self.code == DOMAIN_MISS:
            return tr("{}: {} = \"{}\" is not a value of Gelderland's list {}. Choose one of its values.",
                      w, name, v, self.domain)
        if self.code == NO_PARENT:
            return tr("DetailPlanning row {} belongs to no delivered plan ({}).", self.year, v)
        return tr("{}: {} has {} characters, the template holds {}. Shorten the text in the plan.",
                  w, name, len(str(v)), self.width)

    def finding(self) -> Finding:
        return Finding(rule=self.code, severity=ERROR, plan_id=self.plan.get("koppelid") or self.plan.get(KOPPELID),
                       field=self.field, message=self.message(), plannaam=self.plan.get("plannaam"))


@cache
def _rules(layer: str):
    """Per field what check() tests: (kind, low, high, domain codes, domain name, width); and the
    fields the template requires."""
    rules = {}
    for f in _value_fields(layer):
        t = f["esri_type"]
        if t in ("esriFieldTypeSmallInteger", "esriFieldTypeInteger"):
            lo, hi = INT16 if t == "esriFieldTypeSmallInteger" else INT32
            rules[f["name"]] = ("i", lo, hi, None, None, 0)
        elif t == "esriFieldTypeString":
            dom = f["domain"]
            rules[f["name"]] = ("s", 0, 0, domain_codes(dom) if dom else None, dom, int(f["width"] or 0))
        elif t == "esriFieldTypeGUID":
            rules[f["name"]] = ("g", 0, 0, None, None, 0)
    required = tuple(f["name"] for f in _value_fields(layer) if not f["nullable"])
    return rules, required


def _holds(rule: tuple, v: Any) -> bool:
    """Can the template's field of `rule` (see _rules) hold the value `v` (not None)?"""
    kind, lo, hi, codes, _dom, width = rule
    if kind == "i":
        return type(v) is int and lo <= v <= hi
    if kind == "s":
        return type(v) is str and (codes is None or v in codes) and (not width or len(v) <= width)
    return kind == "g" and bool(GUID_RE.match(str(v)))


def _check_row(layer: str, row: Dict[str, Any], plan: Dict[str, Any], out: List[Problem]) -> None:
    rules, required = _rules(layer)
    bad = [k for k in required if row.get(k) is None]
    for k, v in row.items():
        r = rules.get(k)
        if r is not None and v is not None and not _holds(r, v):
            bad.append(k)
    year = row.get("jaartal") if layer == DETAIL else None
    for name in bad:
        v = row.get(name)
        kind, lo, hi, codes, dom, width = rules.get(name, ("s", 0, 0, None, None, 0))
        if v is None:
            code = NOT_NULL
        elif kind == "i":
            code = INT16_RANGE
        elif kind == "g":
            code = BAD_GUID
        elif codes is not None and str(v) not in codes:
            code = DOMAIN_MISS
        else:
            code = TOO_LONG
        out.append(Problem(code, plan, layer, year, name, v, dom, lo if kind == "i" else None,
                           hi if kind == "i" else None, width))


def suspect_rows(layer: str, rows: Sequence[Dict[str, Any]]) -> List[int]:
    """The indices of the rows _check_row() may find something in (a superset, ascending), found
    a field at a time: a column of one type (None aside) is checked on its distinct values, so
    only the rows holding a value the template cannot hold are left for _check_row."""
    rules, required = _rules(layer)
    sus: set = set()
    none = type(None)
    for k in list(rules) + [k for k in required if k not in rules]:
        col = [r.get(k) for r in rows]
        if k in required:
            sus.update(i for i, v in enumerate(col) if v is None)
        rule = rules.get(k)
        if rule is None:
            continue
        types = set(map(type, col))
        types.discard(none)
        if len(types) <= 1:                 # one type: 1, 1.0 and True cannot meet in one set
            try:
                bad = {v for v in set(col) if v is not None and not _holds(rule, v)}
            except TypeError:               # a value that cannot be a key
                bad = None
            if bad is not None:
                if bad:
                    sus.update(i for i, v in enumerate(col) if v is not None and v in bad)
                continue
        sus.update(i for i, v in enumerate(col) if v is not None and not _holds(rule, v))
    return sorted(sus)


class DetailRows:
    """DetailPlanning rows column-wise, for exports too large for a dict per row. Row r belongs to
    the plan `plan_of[r]` and copies that plan's `copied[plan_of[r]]` (an ordered dict of the
    fields a row copies from its plan, `KOPPELID` last); its year is `jaartal[r]`, its fixed
    values `flags`; its construction cells come from `joint[r]` (types × price classes), cell
    (a, b) landing in the field `cell_names[a][b]` (cells of one field add up), and its demolition
    `sloop[r]` in the field `sloop_name`. `row(r)` is exactly the dict a row would otherwise be."""

    def __init__(self, plan_of: Sequence[int], copied: Sequence[Dict[str, Any]], jaartal: Sequence[int],
                 flags: Dict[str, Any], joint, cell_names: Sequence[Sequence[Optional[str]]], sloop: Sequence[int],
                 sloop_name: Optional[str]):
        import numpy as np
        self.plan_of = list(plan_of)
        self.copied = list(copied)
        self.jaartal = [int(y) for y in jaartal]
        self.flags = dict(flags)
        self.joint = np.asarray(joint, dtype=np.int64).reshape(len(self.plan_of), len(cell_names),
                                                                len(cell_names[0]) if cell_names else 0)
        self.cell_names = [list(r) for r in cell_names]
        self.sloop = np.asarray(sloop, dtype=np.int64).reshape(len(self.plan_of))
        self.sloop_name = sloop_name
        # the cells as one matrix, a column per field (in the order the fields first appear)
        cols: Dict[str, int] = {}
        for a, names in enumerate(self.cell_names):
            for b, name in enumerate(names):
                if name is None:
                    if self.joint[:, a, b].any():
                        raise KeyError((a, b))
                    continue
                cols.setdefault(name, len(cols))
        if sloop_name is not None and sloop_name in cols:
            raise ValueError(f"{sloop_name} is both a construction and the demolition cell")
        if sloop_name is not None:
            cols[sloop_name] = len(cols)
        self.columns = list(cols)
        m = np.zeros((len(self.plan_of), len(cols)), dtype=np.int64)
        for a, names in enumerate(self.cell_names):
            for b, name in enumerate(names):
                if name is not None:
                    m[:, cols[name]] += self.joint[:, a, b]
        if sloop_name is not None:
            m[:, cols[sloop_name]] = self.sloop
        self.matrix = m

    def __len__(self) -> int:
        return len(self.plan_of)

    def row(self, r: int) -> Dict[str, Any]:
        d: Dict[str, Any] = dict(self.copied[self.plan_of[r]])
        d["jaartal"] = self.jaartal[r]
        d.update(self.flags)
        jr = self.joint[r].tolist()
        for a, names in enumerate(self.cell_names):
            for b, n in enumerate(jr[a]):
                if n:
                    k = names[b]
                    d[k] = d.get(k, 0) + int(n)
        s = int(self.sloop[r])
        if s and self.sloop_name:
            d[self.sloop_name] = s
        return d

    def __iter__(self):
        return (self.row(r) for r in range(len(self)))

    def suspect(self, by_id: Dict[str, Dict[str, Any]]) -> List[int]:
        """The rows _check_row() may find something in (a superset): no parent, a copied or fixed
        value the template cannot hold, a year or cell outside its field's range."""
        import numpy as np
        rules, _ = _rules(DETAIL)
        bad_plan = [by_id.get(c.get(KOPPELID)) is None for c in self.copied]
        for j in suspect_rows(DETAIL, [{**c, **self.flags} for c in self.copied]):
            bad_plan[j] = True
        bad = np.array(bad_plan, dtype=bool)[np.asarray(self.plan_of, dtype=np.int64)] if self.plan_of else \
            np.zeros(0, dtype=bool)
        for name, col in [("jaartal", np.asarray(self.jaartal, dtype=np.int64))] + \
                [(n, self.matrix[:, k]) for k, n in enumerate(self.columns)]:
            r = rules.get(name)
            if r is not None and r[0] == "i":
                bad |= (col < r[1]) | (col > r[2])
            elif name != "jaartal":
                bad |= col != 0
        return np.nonzero(bad)[0].tolist()


def problems(plans: Sequence[Dict[str, Any]], details: "Sequence[Dict[str, Any]] | DetailRows" = ()
             ) -> List[Problem]:
    """Every value the template cannot hold as it is: outside its coded domain, past its Int16
    (or Int32) range, longer than the field, empty where the template requires a value, a GUID
    field without a GUID; and DetailPlanning rows without a plan. `details` may be DetailRows:
    only its rows that may hold such a value are looked at, with the same result."""
    plans = list(plans)
    out: List[Problem] = []
    by_id: Dict[str, Dict[str, Any]] = {}
    for p in plans:
        if p.get("koppelid"):
            by_id[p["koppelid"]] = p
    for i in suspect_rows(PLANS, plans):
        _check_row(PLANS, plans[i], plans[i], out)
    rows = (details.row(r) for r in details.suspect(by_id)) if isinstance(details, DetailRows) else details
    for d in rows:
        parent = by_id.get(d.get(KOPPELID))
        if parent is None:
            out.append(Problem(NO_PARENT, d, DETAIL, d.get("jaartal"), DETAIL, d.get(KOPPELID)))
            continue
        _check_row(DETAIL, d, parent, out)
    return out


def check(plans: Sequence[Dict[str, Any]], details: Sequence[Dict[str, Any]] = ()) -> List[Finding]:
    """problems() as findings, worded. Nothing is written."""
    return [p.finding() for p in problems(plans, details)]


# --------------------------------------------------------------------------------------------
# building the empty geodatabase from the schema


def _gdal():
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    ogr.UseExceptions()
    return gdal, ogr, osr


def _field_defn(ogr, f: Dict[str, Any]):
    t = f["esri_type"]
    if t == "esriFieldTypeSmallInteger":
        fd = ogr.FieldDefn(f["name"], ogr.OFTInteger)
        fd.SetSubType(ogr.OFSTInt16)
    elif t == "esriFieldTypeInteger":
        fd = ogr.FieldDefn(f["name"], ogr.OFTInteger)
    elif t == "esriFieldTypeDouble":
        fd = ogr.FieldDefn(f["name"], ogr.OFTReal)
        low = f["name"].lower()
        if low == "shape_length":
            fd.SetDefault("FILEGEODATABASE_SHAPE_LENGTH")
        elif low == "shape_area":
            fd.SetDefault("FILEGEODATABASE_SHAPE_AREA")
    elif t == "esriFieldTypeDate":
        fd = ogr.FieldDefn(f["name"], ogr.OFTDateTime)
    else:                                    # String, GUID, GlobalID
        fd = ogr.FieldDefn(f["name"], ogr.OFTString)
        if t == "esriFieldTypeString" and f["width"]:
            fd.SetWidth(int(f["width"]))
    fd.SetNullable(bool(f["nullable"]))
    if f.get("alias"):
        fd.SetAlternativeName(f["alias"])
    if f.get("domain"):
        fd.SetDomainName(f["domain"])
    return fd


def build(gdb: str) -> None:
    """An empty Planregistratie geodatabase at `gdb` (a folder ending in .gdb) from the schema."""
    gdal, ogr, osr = _gdal()
    sch = schema()
    ds = gdal.GetDriverByName("OpenFileGDB").Create(gdb, 0, 0, 0, gdal.GDT_Unknown)
    try:
        for name, dom in sch["domains"].items():
            codes = {cv["code"]: cv["name"] for cv in dom["coded_values"]}
            fdom = ogr.CreateCodedFieldDomain(name, "", ogr.OFTString, ogr.OFSTNone, codes)
            if not ds.AddFieldDomain(fdom):
                raise GdbError(f"domain {name}")
        for lname in LAYER_ORDER:
            lay = sch["layers"][lname]
            fields = lay["fields"]
            oid = next(f["name"] for f in fields if f["esri_type"] == "esriFieldTypeOID")
            types = [f"{f['name']}={f['esri_type']}" for f in fields
                     if f["esri_type"] in ("esriFieldTypeGlobalID", "esriFieldTypeGUID")]
            opts = [f"FID={oid}", "CREATE_SHAPE_AREA_AND_LENGTH_FIELDS=NO"]
            if types:
                opts.append("COLUMN_TYPES=" + ",".join(types))
            if lay["dataset_type"] == "esriDTFeatureClass":
                geom = next(f["name"] for f in fields if f["esri_type"] == "esriFieldTypeGeometry")
                srs = None
                if lay.get("wkid"):
                    srs = osr.SpatialReference()
                    srs.ImportFromEPSG(int(lay["wkid"]))
                opts += [f"GEOMETRY_NAME={geom}", "XYTOLERANCE=0.001", "XYSCALE=10000"]
                layer = ds.CreateLayer(lname, srs, ogr.wkbMultiPolygon, opts)
            else:
                layer = ds.CreateLayer(lname, None, ogr.wkbNone, opts)
            for f in fields:
                if f["esri_type"] in ("esriFieldTypeOID", "esriFieldTypeGeometry"):
                    continue
                layer.CreateField(_field_defn(ogr, f))
    finally:
        ds = None
    # relationship classes only attach to tables already registered: reopen first
    ds = gdal.OpenEx(gdb, gdal.OF_VECTOR | gdal.OF_UPDATE)
    try:
        for rel in sch["relationships"]:
            r = gdal.Relationship(rel["name"], rel["origin"], rel["destination"],
                                  gdal.GRC_ONE_TO_MANY if rel["cardinality"] == "OneToMany" else gdal.GRC_ONE_TO_ONE)
            r.SetLeftTableFields([rel["origin_primary_key"]])
            r.SetRightTableFields([rel["origin_foreign_key"]])
            r.SetType(gdal.GRT_COMPOSITE if rel.get("composite") else gdal.GRT_ASSOCIATION)
            if not ds.AddRelationship(r):
                raise GdbError(f"relationship {rel['name']}")
    finally:
        ds = None


# --------------------------------------------------------------------------------------------
# writing


class _Setter:
    """Fills one layer's features fast: a prototype feature holds the constant values and
    zeros, each row is a clone of it with only the values that differ set."""

    def __init__(self, layer, lname: str, constants: Dict[str, Any]):
        defn = layer.GetLayerDefn()
        self.defn = defn
        self.index = {defn.GetFieldDefn(i).GetName(): i for i in range(defn.GetFieldCount())}
        # GDAL fills an unset field with its default (a template's own fields may have one)
        self.has_default = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())
                            if defn.GetFieldDefn(i).GetDefault() is not None}
        self.kind = {}
        for f in _value_fields(lname):
            t = f["esri_type"]
            self.kind[f["name"]] = ("i" if t in ("esriFieldTypeSmallInteger", "esriFieldTypeInteger") else
                                    "d" if t == "esriFieldTypeDate" else "r" if t == "esriFieldTypeDouble" else "s")
        from osgeo import ogr
        self.ogr = ogr
        self.proto = ogr.Feature(defn)
        self.base = dict(constants)
        for k, v in constants.items():
            self._set(self.proto, k, v)

    def _set(self, feat, name: str, v: Any) -> None:
        i = self.index[name]
        if v is None:
            feat.SetFieldNull(i)
            return
        k = self.kind.get(name, "s")
        if k == "i":
            feat.SetFieldInteger64(i, int(v))
        elif k == "s":
            feat.SetFieldString(i, str(v))
        elif k == "r":
            feat.SetFieldDouble(i, float(v))
        else:
            if isinstance(v, _dt.datetime):
                u = v.astimezone(_dt.timezone.utc) if v.tzinfo else v
                feat.SetField(i, u.year, u.month, u.day, u.hour, u.minute, float(u.second), 100)
            elif isinstance(v, _dt.date):
                feat.SetField(i, v.year, v.month, v.day, 0, 0, 0.0, 100)
            else:
                feat.SetFieldString(i, str(v))

    def _plan(self, keys: tuple) -> List[tuple]:
        """For rows with these keys in this order: per field written (position in the row, field
        name, index, kind, whether the prototype holds a value for it, that value, whether a null
        must be set: the prototype holds a value or GDAL would fill in the field's default)."""
        plans = self.__dict__.setdefault("_plans", {})
        plan = plans.get(keys)
        if plan is None:
            base = self.base
            plan = [(pos, k, self.index[k], self.kind.get(k, "s"), k in base, base.get(k),
                     k in base or k in self.has_default)
                    for pos, k in enumerate(keys) if k in self.index]
            if len(plans) < 1000:               # rows whose keys keep changing (dicts of their cells): not kept
                plans[keys] = plan
        return plan

    def feature(self, row: Dict[str, Any]):
        """A clone of the prototype with the row's values that differ from it (by field index,
        through GDAL's own calls without the Python wrappers' frame where it has them; what to do
        per field worked out once for each order of keys)."""
        feat = self.proto.Clone()
        null, set_int, set_str = self._calls
        values = list(row.values())
        for pos, k, i, kd, in_base, bv, set_null in self._plan(tuple(row)):
            v = values[pos]
            if in_base and bv == v:
                continue
            if v is None:
                if set_null:                    # else left unset, which GDAL writes as null
                    null(feat, i)
            elif kd == "i":
                set_int(feat, i, int(v))
            elif kd == "s":
                set_str(feat, i, str(v))
            else:
                self._set(feat, k, v)
        return feat

    @property
    def _calls(self):
        calls = self.__dict__.get("_calls_")
        if calls is None:
            raw = getattr(self.ogr, "_ogr", None)
            f = self.ogr.Feature
            calls = (getattr(raw, "Feature_SetFieldNull", f.SetFieldNull),
                     getattr(raw, "Feature_SetFieldInteger64", f.SetFieldInteger64),
                     getattr(raw, "Feature_SetFieldString", f.SetFieldString))
            self.__dict__["_calls_"] = calls
        return calls


def _zero_ints(lname: str) -> Dict[str, Any]:
    return {f["name"]: 0 for f in _value_fields(lname)
            if f["esri_type"] == "esriFieldTypeSmallInteger" and f["name"] != "jaartal"}


def _fill_lookups(ds, creator: str, when: _dt.datetime) -> None:
    stamp = {"Creator": creator, "CreationDate": when, "Editor": creator, "EditDate": when}
    for lname, rows in ((GEMEENTEN, _read_csv(WOONPLAATSEN_CSV)), (REGIOVELDEN, _read_csv(REGIOVELDEN_CSV))):
        layer = ds.GetLayerByName(lname)
        s = _Setter(layer, lname, stamp)
        for r in rows:
            row = {k: (v if v != "" else None) for k, v in r.items()}
            if "zichtbaar" in row and row["zichtbaar"] is not None:
                row["zichtbaar"] = int(row["zichtbaar"])
            layer.CreateFeature(s.feature(row))


def write(out_zip: str, plans: Sequence[Dict[str, Any]], details: "Sequence[Dict[str, Any]] | DetailRows", *,
          gdb_name: str, creator: str = "", when: Optional[_dt.datetime] = None,
          template: Optional[str] = None, strict: bool = True,
          progress: Optional[Callable[[float], None]] = None,
          cancelled: Optional[Callable[[], bool]] = None,
          checked: Optional[Sequence[Problem]] = None) -> Dict[str, Any]:
    """Write `out_zip` holding the folder `<gdb_name>.gdb/`. Refuses (GdbRefused, nothing written)
    while check() finds anything (with strict=False, a concept delivery: only what GDAL would wrap
    or refuse, HARD); the zip appears only when complete. `template`: the province's own `.gdb`
    folder to start from (a file copy of it) instead of building one from the schema.
    `checked`: problems() of exactly these `plans` and `details` when the caller has them already
    (the province pre-check), so they are not checked twice. Returns counts of what was written."""
    problem = gdal_problem()
    if problem:
        raise GdbError(problem)
    found = [p.finding() for p in (problems(plans, details) if checked is None else checked)
             if strict or p.code in HARD]
    if found:
        raise GdbRefused(found)
    gdal, ogr, _ = _gdal()
    when = when or _dt.datetime.now(_dt.timezone.utc)
    folder = os.path.dirname(os.path.abspath(out_zip))
    tmpdir = tempfile.mkdtemp(prefix=".lmvw-gdb-", dir=folder)
    step = progress or (lambda p: None)
    stop = cancelled or (lambda: False)
    ahead: Optional[_ZipAhead] = None
    try:
        gdb = os.path.join(tmpdir, gdb_name + ".gdb")
        if template:
            copy_template(template, gdb)
        else:
            build(gdb)
        step(0.05)
        ds = gdal.OpenEx(gdb, gdal.OF_VECTOR | gdal.OF_UPDATE)
        if not template:
            _fill_lookups(ds, creator, when)
        stamp = {"Creator": creator or None, "Created": when, "Editor": creator or None, "Edited": when}
        plans_l = ds.GetLayerByName(PLANS)
        s = _Setter(plans_l, PLANS, {**stamp, "provincie": "Gelderland"})
        n = max(1, len(plans) + len(details))
        for k, p in enumerate(plans):
            feat = s.feature(p)
            wkb = p.get(GEOMETRY)
            if wkb is not None:
                feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(bytes(wkb)))
            plans_l.CreateFeature(feat)
            if k % 2000 == 0:
                if stop():
                    raise InterruptedError
                step(0.05 + 0.45 * k / n)
        plans_l.SyncToDisk()
        if not template:
            for lname in (GEMEENTEN, REGIOVELDEN):
                unique_globalids(ds.GetLayerByName(lname))
        unique_globalids(plans_l)
        # read the generated GlobalIDs back (§3.2)
        _fid, got = read_text_columns(plans_l, ["koppelid", "GlobalID"])
        gid: Dict[str, str] = dict(zip(got["koppelid"], got["GlobalID"]))
        ahead = _ZipAhead(gdb, gdb_name + ".gdb", out_zip)      # the plans' table while the rows are written
        detail_l = ds.GetLayerByName(DETAIL)
        ds_ = _Setter(detail_l, DETAIL, {**stamp, **_zero_ints(DETAIL),
                                         "bouw_gerealiseerd": "Nee", "sloop_gerealiseerd": "Nee"})
        progress_at = lambda k: step(0.05 + 0.45 * (len(plans) + k) / n)      # noqa: E731
        if isinstance(details, DetailRows):
            _write_detail_rows(detail_l, ds_, details, gid, stop, progress_at)
        else:
            for k, d in enumerate(details):
                feat = ds_.feature(d)
                feat.SetFieldString(ds_.index["parent_globalid"], gid[d[KOPPELID]])
                detail_l.CreateFeature(feat)
                if k % 5000 == 0:
                    if stop():
                        raise InterruptedError
                    progress_at(k)
        detail_l.SyncToDisk()
        unique_globalids(detail_l)
        ds.FlushCache()
        feat = s = ds_ = None         # features hold the layer's definition: free them before closing
        ds = None
        step(0.9)
        ahead.finish()
        step(1.0)
        return {"plans": len(plans), "detail_rows": len(details)}
    except RuntimeError as e:
        raise GdbError(str(e)) from e
    finally:
        feat = s = ds_ = None
        ds = None
        if ahead is not None:
            ahead.abort()
        shutil.rmtree(tmpdir, ignore_errors=True)


def read_text_columns(layer, names: Sequence[str]):
    """The layer's FIDs and its text fields `names` (str, None where null), in the layer's order,
    through GDAL's Arrow stream (a C loop: a third of the time of reading feature by feature)."""
    import numpy as np
    defn = layer.GetLayerDefn()
    layer.SetIgnoredFields([defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())
                            if defn.GetFieldDefn(i).GetName() not in names]
                           + ([layer.GetGeometryColumn() or "SHAPE"] if defn.GetGeomFieldCount() else []))
    layer.ResetReading()
    fid_col = layer.GetFIDColumn() or "OBJECTID"
    fids: List[Any] = []
    cols: Dict[str, List[Any]] = {n: [] for n in names}
    try:
        stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES", "USE_MASKED_ARRAYS=YES"])
        for batch in stream:
            fids.append(np.array(batch[fid_col], dtype=np.int64))
            for n in names:
                v = batch[n]
                mask = np.ma.getmaskarray(v) if isinstance(v, np.ma.MaskedArray) else None
                vals = [x.decode("utf-8") if isinstance(x, bytes) else x for x in np.asarray(v).tolist()]
                if mask is not None and mask.any():
                    vals = [None if m else x for x, m in zip(vals, mask.tolist())]
                cols[n] += vals
            del batch
        del stream
    finally:
        layer.SetIgnoredFields([])
    return (np.concatenate(fids) if fids else np.zeros(0, dtype=np.int64)).tolist(), cols


def repeated(fids: Sequence[int], values: Sequence[Any]) -> List[int]:
    """The FIDs whose value an earlier feature (in the given order) already has."""
    seen: set = set()
    out: List[int] = []
    add = seen.add
    for f, v in zip(fids, values):
        if v in seen:
            out.append(f)
        add(v)
    return out


def unique_globalids(layer) -> int:
    """Make the layer's GlobalIDs unique; returns how many were renewed. GDAL 3.6 seeds a new
    Mersenne Twister for every GlobalID with a counter plus (seconds XOR microseconds), so two
    features of one file can get the same GlobalID (about 1 in 1,500 rows, measured) and a
    DetailPlanning row would then point at two plans. Rewriting a feature (SetFeature, all its
    values unchanged) makes GDAL give it a new one; repeated until no GlobalID is used twice."""
    defn = layer.GetLayerDefn()
    at = defn.GetFieldIndex("GlobalID")
    if at < 0:
        return 0
    fids, got = read_text_columns(layer, ["GlobalID"])
    again = repeated(fids, got["GlobalID"])
    seen: set = set(got["GlobalID"])
    renewed = 0
    from osgeo import gdal
    gdal.PushErrorHandler("CPLQuietErrorHandler")     # its warning that the GlobalID is replaced: we ask it to
    try:
        for _round in range(100):
            if not again:
                break
            later: List[int] = []
            for fid in again:
                feat = layer.GetFeature(fid)
                layer.SetFeature(feat)
                g = layer.GetFeature(fid).GetFieldAsString(at)
                renewed += 1
                if g in seen:
                    later.append(fid)
                seen.add(g)
            again = later
            feat = None
    finally:
        gdal.PopErrorHandler()
    if again:
        raise GdbError(tr("GDAL gave {} features of {} the same GlobalID.", len(again), layer.GetName()))
    layer.SyncToDisk()
    return renewed


def _write_detail_rows(layer, setter: "_Setter", rows: DetailRows, gid: Dict[str, str],
                       stop: Callable[[], bool], progress_at: Callable[[int], None]) -> None:
    """The DetailRows as features: per plan a prototype with its copied values and its parent's
    GlobalID, per row a clone of it with the year and the cells that are not 0 (the same values
    as setter.feature(rows.row(r)))."""
    import numpy as np
    pg = setter.index["parent_globalid"]
    jaartal = setter.index["jaartal"]
    col_index = np.array([setter.index[c] for c in rows.columns], dtype=np.int64)
    nz_r, nz_c = np.nonzero(rows.matrix)
    values = rows.matrix[nz_r, nz_c].tolist()
    fields = col_index[nz_c].tolist()
    starts = np.searchsorted(nz_r, np.arange(len(rows) + 1)).tolist()
    set_int = setter._calls[1]
    create = layer.CreateFeature
    protos: Dict[int, Any] = {}
    years = rows.jaartal
    for r, j in enumerate(rows.plan_of):
        proto = protos.get(j)
        if proto is None:
            protos.clear()                       # the rows of a plan follow each other
            c = rows.copied[j]
            proto = setter.feature({k: v for k, v in c.items() if k != KOPPELID})
            proto.SetFieldString(pg, gid[c[KOPPELID]])
            protos[j] = proto
        feat = proto.Clone()
        set_int(feat, jaartal, years[r])
        for k in range(starts[r], starts[r + 1]):
            set_int(feat, fields[k], values[k])
        create(feat)
        if r % 5000 == 0:
            if stop():
                raise InterruptedError
            progress_at(r)
    protos.clear()


def copy_template(template: str, gdb: str) -> None:
    """A file copy of the province's own template at `gdb`: from its `.gdb` folder, or from a zip
    holding one (`Gelderland.gdb.zip`). Refused (GdbError) when it is not the Planregistratie
    template (a layer or field missing, another type) or already holds plans."""
    if os.path.isdir(template):
        shutil.copytree(template, gdb)
    elif zipfile.is_zipfile(template):
        with zipfile.ZipFile(template) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            tops = {m.filename.split("/")[0] for m in members}
            prefix = next(iter(tops)) + "/" if len(tops) == 1 and next(iter(tops)).lower().endswith(".gdb") else ""
            os.makedirs(gdb)
            for m in members:
                rel = m.filename[len(prefix):]
                if not rel or "/" in rel or rel.startswith(".") or "\\" in rel:
                    raise GdbError(tr("{} is not a zipped File Geodatabase (unexpected member {}).",
                                      template, m.filename))
                with zf.open(m) as src, open(os.path.join(gdb, rel), "wb") as dst:
                    shutil.copyfileobj(src, dst)
    else:
        raise GdbError(tr("{} is neither a .gdb folder nor a zip of one.", template))
    problems = template_problems(gdb)
    if problems:
        raise GdbError(tr("{} is not Gelderland's Planregistratie template: {}. Use the province's "
                          "Gelderland.gdb.zip, or export without a template.", template, "; ".join(problems[:5])))


def template_problems(gdb: str) -> List[str]:
    """How a geodatabase differs from the schema: missing layers or fields, other Esri types, plans
    or DetailPlanning rows already in it. Empty when it can be the start of an export."""
    gdal, _, _ = _gdal()
    try:
        ds = gdal.OpenEx(gdb, gdal.OF_VECTOR)
    except RuntimeError as e:
        return [str(e)]
    out: List[str] = []
    try:
        for name, spec in schema()["layers"].items():
            if ds.GetLayerByName(name) is None:
                out.append(tr("layer {} is missing", name))
                continue
            esri = esri_types(ds, name)
            for f in spec["fields"]:
                if f["name"] not in esri:
                    out.append(tr("{}.{} is missing", name, f["name"]))
                elif esri[f["name"]] != f["esri_type"]:
                    out.append(tr("{}.{} is {}, not {}", name, f["name"], esri[f["name"]], f["esri_type"]))
        for name in (PLANS, DETAIL):
            lyr = ds.GetLayerByName(name)
            if lyr is not None and lyr.GetFeatureCount():
                out.append(tr("{} already holds {} rows", name, lyr.GetFeatureCount()))
    finally:
        ds = None
    return out


class _ZipAhead:
    """The geodatabase's zip, begun in a thread with its files of `min_size` or more while the
    rest is still being written (the plans' table: half the zip's time, and zlib lets go of the
    GIL); finish() adds the other files once the geodatabase is closed. A file zipped ahead whose
    content changed since (its CRC-32 read again) makes finish() zip everything anew, so the zip
    always holds the files as they are at the end."""

    def __init__(self, gdb: str, arcdir: str, out_zip: str, min_size: int = 4 << 20):
        self.gdb, self.arcdir, self.out_zip = gdb, arcdir, out_zip
        self.part = out_zip + ".part"
        self.names = [n for n in sorted(os.listdir(gdb)) if os.path.getsize(os.path.join(gdb, n)) >= min_size]
        self.error: Optional[BaseException] = None
        self._stop = threading.Event()
        self.zf: Optional[zipfile.ZipFile] = zipfile.ZipFile(self.part, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.thread = threading.Thread(target=self._run, name="lmvw-gdb-zip", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for n in self.names:
                if self._stop.is_set():
                    return
                self.zf.write(os.path.join(self.gdb, n), f"{self.arcdir}/{n}")
        except BaseException as e:          # handed to finish(): zipped anew there
            self.error = e

    def _unchanged(self) -> bool:
        try:
            for n in self.names:
                info = self.zf.getinfo(f"{self.arcdir}/{n}")
                crc = size = 0
                with open(os.path.join(self.gdb, n), "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        crc = zlib.crc32(chunk, crc)
                        size += len(chunk)
                if crc != info.CRC or size != info.file_size:
                    return False
        except (OSError, KeyError):                # a file gone or not zipped: zip everything anew
            return False
        return True

    def finish(self) -> None:
        self.thread.join()
        if self.error is None and self._unchanged():
            try:
                for n in sorted(set(os.listdir(self.gdb)) - set(self.names)):
                    self.zf.write(os.path.join(self.gdb, n), f"{self.arcdir}/{n}")
                self.zf.close()
                self.zf = None
                os.replace(self.part, self.out_zip)
                return
            finally:
                self.abort()
        self.abort()
        _zip(self.gdb, self.arcdir, self.out_zip)

    def abort(self) -> None:
        """Stop (after the file being zipped) and remove the part; the finished zip stays."""
        self._stop.set()
        self.thread.join()
        try:
            if self.zf is not None:
                self.zf.close()
        except (OSError, ValueError):
            pass
        finally:
            self.zf = None
            if os.path.exists(self.part):
                os.remove(self.part)


def _zip(gdb: str, arcdir: str, out_zip: str) -> None:
    part = out_zip + ".part"
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name in sorted(os.listdir(gdb)):
                zf.write(os.path.join(gdb, name), f"{arcdir}/{name}")
        os.replace(part, out_zip)
    finally:
        if os.path.exists(part):
            os.remove(part)


# --------------------------------------------------------------------------------------------
# reading back (tests, and the check after writing)


def esri_types(ds, layer: str) -> Dict[str, str]:
    """Field name -> Esri field type, in the layer's field order, from the geodatabase's own
    catalogue (GDB_Items)."""
    import xml.etree.ElementTree as ET
    res = ds.ExecuteSQL(f"SELECT Definition FROM GDB_Items WHERE Name = '{layer}'")
    try:
        xml = next(iter(res)).GetField("Definition")
    finally:
        ds.ReleaseResultSet(res)
    out: Dict[str, str] = {}
    for el in ET.fromstring(xml).iter():
        kids = {c.tag.rsplit("}", 1)[-1]: c.text for c in el}
        if el.tag.rsplit("}", 1)[-1] == "GPFieldInfoEx" and "Name" in kids and "FieldType" in kids:
            out[kids["Name"]] = kids["FieldType"]
    return out
