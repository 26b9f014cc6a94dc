"""The province formats read back into Basisset fields (pure): the profile's export mapping
(`standard/provinces/*.json`, `mapping.fields` and `mapping.year_cells`) reversed.

- plan fields: every `{"name": province field, "from": our field}` read back, code lists through the
  reversed `value_maps` (a value the map lacks stays as it is, so that the conversion reports it);
  the gemeente by its name; province extras land in the profile's extra fields;
- year rows: a row whose built flag says not realised is a fasering row (its construction cells
  summed into `aantal`, its demolition cells into `sloop`); realised rows add to the realised totals;
- totals the format lacks as fields (Zuid-Holland: bruto, sloop, the splits) are sums of the cells;
  the woningtype and price splits come from the cells over all rows, a remainder the cells do not
  cover goes to the `_onbekend` field (reported);
- a class that maps onto several Basisset fields (huur2: sociale huur corporatie + markt; huur3:
  middenhuur corporatie + markt) takes the province's finer column where it has one (Zuid-Holland
  ph_short3/ph_short4, Gelderland aantal_middenhuur_corporatie) and the rest in the other field; else
  the whole class in the group's `_onbekend` field (reported). A class the export never writes
  (koop1, koop3/koop4, huur1) counts as its neighbour in `class_order`.
"""
from __future__ import annotations

import json
import os
import re
import struct
import zipfile
from itertools import chain, repeat
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
from osgeo import gdal, ogr, osr

from ..common.geo import shapely
from ..common.threads import background
from ..i18n import tr
from ..rules import table as tbl
from ..standard import Standard
from ..storage import ogr as ogrio
from .import_source import _UUID, ImportRefused, Problem, Source, _fix_geometries

gdal.UseExceptions()


def _reverse_maps(mapping: Dict[str, Any]) -> Dict[str, Dict[str, Optional[str]]]:
    out: Dict[str, Dict[str, Optional[str]]] = {}
    for name, vm in mapping.get("value_maps", {}).items():
        rev: Dict[str, Optional[str]] = {}
        for code, value in vm.items():
            if value is not None and value not in rev:
                rev[str(value)] = code or None
        out[name] = rev
    return out


def _class_fields(yc: Dict[str, Any]) -> Dict[str, List[str]]:
    """Province class → our price fields; a class the export never writes counts as its nearest
    neighbour of the same kind in class_order (the higher one on a tie)."""
    by: Dict[str, List[str]] = {}
    for ours, cls in yc["classes"].items():
        by.setdefault(cls, []).append(ours)
    order = yc["class_order"]
    out = dict(by)
    for i, c in enumerate(order):
        if c in by:
            continue
        kind = re.sub(r"\d+$", "", c)
        best = None
        for d in range(1, len(order)):
            for j in (i + d, i - d):
                if 0 <= j < len(order) and order[j] in by and re.sub(r"\d+$", "", order[j]) == kind \
                        and re.search(r"\d$", order[j]):
                    best = order[j]
                    break
            if best:
                break
        if best:
            out[c] = by[best]
    return out


def _onbekend(fields: List[str]) -> str:
    if all("huur" in f for f in fields):
        return "huur_prijs_onbekend"
    if all("koop" in f for f in fields):
        return "koop_prijs_onbekend"
    return "eigendom_onbekend"


def _int(v: Any) -> int:
    try:
        return int(v) if v not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


_ABSENT = object()          # a column value: the plan does not have the property at all


def _spec_value(v: Any, values: Optional[Dict[str, Optional[str]]], sep: str) -> Any:
    """A province property's value as our field's raw value: a list joined by the spec's separator, a
    code through the reversed value map (a value the map lacks stays as it is)."""
    if isinstance(v, list):
        v = sep.join(str(x) for x in v)
    if values is not None:
        v = values.get(str(v), v) if v not in (None, "") else None
    return v


def _plan_id(pid: Any) -> Optional[str]:
    """A plan_id as the import keeps it (lower case, without braces); None when it is not a UUID."""
    if not (isinstance(pid, str) and _UUID.match(pid.strip("{}"))):
        return None
    return pid.strip("{}").lower()


class _Reverser:
    """The profile's mapping reversed once per import (not once per plan): the field specs with their
    reversed value maps, the computed sums and the year cells' names."""

    def __init__(self, province, standard: Standard):
        mapping = province.mapping
        self.names = names = set(standard.field_names)
        rev = _reverse_maps(mapping)
        self.specs: List[Tuple[str, str, Optional[Dict[str, Optional[str]]], str]] = []
        for spec in mapping.get("fields", []):
            src = spec.get("from")
            if "constant" in spec or "derive" in spec or src is None:
                continue
            if "lookup" in spec and spec.get("column", "gemeentenaam") != "gemeentenaam" \
                    and spec["lookup"] != "gemeentenaam":
                continue
            target = src if src in names else (spec["name"] if spec["name"] in names else None)
            if target is None and src.endswith("_provincie") and src[: -len("_provincie")] in names:
                target = src[: -len("_provincie")]      # vertrouwelijkheid as the province writes it
            if target is None:
                continue
            values = rev.get(spec["values"], {}) if "values" in spec else None
            self.specs.append((target, spec["name"], values, spec.get("separator", ";")))
        self.computed = [(k, v["add"]) for k, v in mapping.get("computed", {}).items()
                         if set(v) == {"add"} and all(p in names for p in v["add"])]
        self.yc = yc = mapping.get("year_cells")
        if yc:
            self.types = {prov: ours for ours, prov in yc["types"].items()}
            self.classes = _class_fields(yc)
            self.class_fields = set(f for fs in self.classes.values() for f in fs)     # our price fields
            self.built, self.sflag = yc.get("built_flag"), yc.get("sloop_flag")
            self.year_key = yc.get("year", "jaartal")
            self.cell_keys = [(t, c, yc["cell"].format(type=t, **{"class": c}))
                              for t in yc["type_order"] for c in yc["class_order"]]
            self.sloop_keys = [yc["sloop_cell"].format(type=t, **{"class": c}) for t in yc["type_order"]
                               for c in yc["class_order"]] if yc.get("sloop_cell") else []

    @property
    def wanted(self) -> List[str]:
        """The province's plan properties the import reads."""
        return list(dict.fromkeys([s[1] for s in self.specs] + [k for k, _ in self.computed]))

    @property
    def wanted_rows(self) -> List[str]:
        """The properties of a year row the import reads."""
        if not self.yc:
            return []
        flags = [f["name"] for f in (self.built, self.sflag) if f]
        return list(dict.fromkeys([self.year_key] + flags + [k for _, _, k in self.cell_keys] + self.sloop_keys))

    def records(self, cols: Dict[str, List[Any]], n: int) -> List[Dict[str, Any]]:
        """Our fields of n plans from the province's properties as columns (a value `_ABSENT` where a plan
        lacks the property; a column that is not there: no plan has it)."""
        recs: List[Dict[str, Any]] = [{} for _ in range(n)]
        for target, name, values, sep in self.specs:
            col = cols.get(name)
            if col is None:
                continue
            for rec, v in zip(recs, col):
                if v is not _ABSENT:
                    rec[target] = _spec_value(v, values, sep)
        for rec in recs:
            pid = rec.get("plan_id", _ABSENT)
            if pid is _ABSENT:
                continue
            pid = _plan_id(pid)
            if pid is None:
                rec.pop("plan_id")                   # not a UUID: the plan gets a new plan_id
            else:
                rec["plan_id"] = pid
        if self.computed:
            comp = [(k, parts, cols[k]) for k, parts in self.computed if k in cols]
            if comp:
                for i, rec in enumerate(recs):
                    self._computed(rec, [(k, parts, col[i]) for k, parts, col in comp])
        return recs

    @staticmethod
    def _computed(rec: Dict[str, Any], specs) -> None:
        """A computed province field that is a sum of our fields gives the one part still unknown
        (Gelderland: aantal_huurwoningen_corporatie − middenhuur corporatie = sociale huur corporatie)."""
        specs = [(k, parts, v) for k, parts, v in specs if v is not _ABSENT and v is not None]
        progress = True
        while progress:
            progress = False
            for _k, parts, v in specs:
                unknown = [p for p in parts if p not in rec]
                if len(unknown) == 1:
                    rest = _int(v) - sum(_int(rec[p]) for p in parts if p in rec)
                    if rest >= 0:
                        rec[unknown[0]] = rest
                        progress = True

    def aggregate(self, years: List[Dict[str, Any]]):
        """The sums of one plan's year rows (dicts): (by type, by class, total, realised, sloop, sloop
        realised, fasering rows)."""
        yc = self.yc
        by_type = {t: 0 for t in yc["type_order"]}
        by_class = {c: 0 for c in yc["class_order"]}
        total = realised = sloop = sloop_done = 0
        built, sflag = self.built, self.sflag
        fasering: List[Dict[str, Any]] = []
        for row in years:
            cells = 0
            for t, c, key in self.cell_keys:
                n = row.get(key)
                if type(n) is not int:
                    n = _int(n)
                if n:
                    by_type[t] += n
                    by_class[c] += n
                    cells += n
            s = 0
            for key in self.sloop_keys:
                n = row.get(key)
                s += n if type(n) is int else _int(n)
            total += cells
            sloop += s
            done = built is not None and row.get(built["name"]) not in (None, built["value"])
            sdone = sflag is not None and row.get(sflag["name"]) not in (None, sflag["value"])
            if done:
                realised += cells
            if sdone:
                sloop_done += s
            if not (done and sdone):
                fasering.append({"jaar": row.get(self.year_key), "aantal": 0 if done else cells,
                                 "sloop": 0 if sdone else s})
        return by_type, by_class, total, realised, sloop, sloop_done, fasering

    def finish(self, rec: Dict[str, Any], agg, problems: List[Problem], where: str) -> None:
        """The totals, the woningtype and the price classes of one plan from its year sums."""
        yc, types = self.yc, self.types
        by_type, by_class, total, realised, sloop, sloop_done, _fas = agg
        for name, value in (("bruto_plancapaciteit", total), ("aantal_gerealiseerd", realised), ("sloop", sloop),
                            ("sloop_gerealiseerd", sloop_done)):
            rec.setdefault(name, value)
        bruto = _int(rec.get("bruto_plancapaciteit"))
        # woningtype
        if not any(k in rec for k in yc["types"]):
            for t, n in by_type.items():
                rec[types[t]] = n
            gap = bruto - sum(by_type.values())
            if gap > 0:
                rec["woningtype_onbekend"] = _int(rec.get("woningtype_onbekend")) + gap
                problems.append(Problem(where, rec.get("plannaam"), "woningtype_onbekend", gap, tr(
                    "{} dwellings have no woningtype in the year rows (realised or not delivered per year): counted as "
                    "woningtype onbekend", gap), "estimated"))
        self._finish_classes(rec, by_class, bruto, problems, where)

    def _finish_classes(self, rec: Dict[str, Any], by_class: Dict[str, int], bruto: int, problems: List[Problem],
                        where: str) -> None:
        """`finish`'s price classes of one plan (and the remainder without a class)."""
        yc, classes = self.yc, self.classes
        # price classes: the format's plan fields first, then the cells per group of our fields
        fields_done = {f for f in self.class_fields if f in rec}
        groups: Dict[Tuple[str, ...], Tuple[int, List[str]]] = {}
        for c, n in by_class.items():
            fs = classes.get(c)
            if not fs or not n or all(f in fields_done for f in fs):
                continue
            total_n, names_ = groups.get(tuple(fs), (0, []))
            groups[tuple(fs)] = (total_n + n, names_ + [c])
        for fs, (n, cls) in groups.items():
            if len(fs) == 1:
                rec[fs[0]] = n
                continue
            finer = [f for f in fs if f in rec]
            others = [f for f in fs if f not in rec]
            rest = n - sum(_int(rec[f]) for f in finer)
            if finer and others and rest >= 0:
                rec[others[0]] = rest
                for f in others[1:]:
                    rec[f] = 0
                continue
            target = _onbekend(list(fs))
            rec[target] = _int(rec.get(target)) + n
            for f in fs:
                rec.setdefault(f, 0)
            problems.append(Problem(where, rec.get("plannaam"), target, n, tr(
                "class {} is {} in the Basisset and the file does not say how many of each: the {} dwellings are "
                "counted as {}", "+".join(cls), " + ".join(fs), n, target), "class_split"))
        for ours in yc["classes"]:
            rec.setdefault(ours, 0)
        covered = sum(_int(rec.get(f)) for f in self.class_fields)
        gap = bruto - covered
        if gap > 0:
            rec["eigendom_onbekend"] = _int(rec.get("eigendom_onbekend")) + gap
            problems.append(Problem(where, rec.get("plannaam"), "eigendom_onbekend", gap, tr(
                "{} dwellings have no price class in the file: counted as huur of koop onbekend", gap), "estimated"))

    def table(self, cols: Dict[str, List[Any]], n: int, plain: bool = False) -> "_Table":
        """`records` of n plans as a `_Table` (the same values, a field at a time). `plain`: the columns
        hold neither `_ABSENT` nor lists (a layer read by columns)."""
        t = _Table(n)
        for target, name, values, sep in self.specs:
            col = cols.get(name)
            if col is None:
                continue
            if plain:
                t.put_all(target, col if values is None else [_spec_value(v, values, sep) for v in col])
                continue
            rows = [i for i, v in enumerate(col) if v is not _ABSENT]
            vals = [_spec_value(col[i], values, sep) for i in rows]
            if len(rows) == n:
                t.put_all(target, vals)
            else:
                t.put(target, rows, vals)
        if "plan_id" in t.values:
            lst, gone = t.values["plan_id"], []
            for i in np.flatnonzero(t.has["plan_id"]).tolist():
                pid = _plan_id(lst[i])
                if pid is None:
                    gone.append(i)                   # not a UUID: the plan gets a new plan_id
                else:
                    lst[i] = pid
            if gone:
                t.drop("plan_id", gone)
        comp = []
        for k, parts in self.computed:
            if k in cols:
                col = cols[k]
                valid = np.fromiter((v is not _ABSENT and v is not None for v in col), dtype=bool, count=n)
                comp.append((parts, valid, _int_array([0 if v is _ABSENT else v for v in col])))
        progress = bool(comp)
        while progress:                            # `_computed`, every plan at once
            progress = False
            for parts, valid, v in comp:
                has = [t.has_of(p) for p in parts]
                known = np.sum(has, axis=0) if has else np.zeros(n, dtype=np.int64)
                cand = valid & (known == len(parts) - 1)
                if not cand.any():
                    continue
                rest = v - np.sum([t.ints(p) for p in parts], axis=0)
                ok = cand & (rest >= 0)
                if not ok.any():
                    continue
                for p, h in zip(parts, has):
                    rows = np.flatnonzero(ok & ~h)
                    t.put(p, rows, rest[rows].tolist())
                progress = True
        return t

    def finish_table(self, t: "_Table", sums: "_Sums", wheres: List[str]) -> List[Problem]:
        """`finish` of every plan of `t` at once; the problems in plan order, as `finish` gives them. A
        plan whose price classes need `finish`'s groups is finished a plan at a time."""
        yc, types = self.yc, self.types
        n = t.n
        for name, arr in (("bruto_plancapaciteit", sums.total), ("aantal_gerealiseerd", sums.realised),
                          ("sloop", sums.sloop), ("sloop_gerealiseerd", sums.sloop_done)):
            rows = np.flatnonzero(~t.has_of(name))
            t.put(name, rows, arr[rows].tolist())
        bruto = t.ints("bruto_plancapaciteit")
        found: List[Tuple[int, int, Problem]] = []
        names = t.values.get("plannaam") or [None] * n
        no_type = ~np.logical_or.reduce([t.has_of(k) for k in yc["types"]] + [np.zeros(n, dtype=bool)])
        rows = np.flatnonzero(no_type)
        if len(rows):
            for j, tn in enumerate(yc["type_order"]):
                t.put(types[tn], rows, sums.by_type[rows, j].tolist())
            gap = bruto - sums.by_type.sum(axis=1)
            rows = np.flatnonzero(no_type & (gap > 0))
            if len(rows):
                cur = t.ints("woningtype_onbekend")
                t.put("woningtype_onbekend", rows, (cur[rows] + gap[rows]).tolist())
                for i, g in zip(rows.tolist(), gap[rows].tolist()):
                    found.append((i, 0, Problem(wheres[i], names[i], "woningtype_onbekend", g, tr(
                        "{} dwellings have no woningtype in the year rows (realised or not delivered per year): "
                        "counted as woningtype onbekend", g), "estimated")))
        # the plans for which finish's groups of price classes do something: a plan at a time
        grouped = np.zeros(n, dtype=bool)
        for k, c in enumerate(yc["class_order"]):
            fs = self.classes.get(c)
            if fs:
                grouped |= (sums.by_class[:, k] != 0) & ~np.logical_and.reduce([t.has_of(f) for f in fs])
        rows = np.flatnonzero(grouped).tolist()
        if rows:
            # what `_finish_classes` reads and writes, as a record per plan; what it changed written back
            # a field at a time, a field it added ranked after the plan's others in the order it added them
            keys = list(dict.fromkeys([*self.class_fields, *yc["classes"],
                                       *(_onbekend(list(fs)) for fs in self.classes.values()),
                                       "eigendom_onbekend", "plannaam"]))
            cols = [(k, t.values.get(k), t.has[k].tolist() if k in t.has else None) for k in keys]
            by_class, order = sums.by_class.tolist(), yc["class_order"]
            base = t.step + 1
            width = 0
            changes: Dict[str, Tuple[List[int], List[Any], List[int]]] = {}
            for i in rows:
                rec = {k: lst[i] for k, lst, has in cols if has is not None and has[i]}
                before = dict(rec)
                got: List[Problem] = []
                self._finish_classes(rec, dict(zip(order, by_class[i])), int(bruto[i]), got, wheres[i])
                j = 0
                for k, v in rec.items():
                    if k not in before:
                        ch = changes.setdefault(k, ([], [], []))
                        ch[0].append(i), ch[1].append(v), ch[2].append(base + j)
                        j += 1
                    elif before[k] is not v:
                        ch = changes.setdefault(k, ([], [], []))
                        ch[0].append(i), ch[1].append(v), ch[2].append(0)
                width = max(width, j)
                found.extend((i, 1 + j, p) for j, p in enumerate(got))
            for k, (rs, vs, ws) in changes.items():
                t.put(k, rs, vs, ws)
            t.step = base + width
        rest = ~grouped
        for ours in yc["classes"]:
            rows = np.flatnonzero(rest & ~t.has_of(ours))
            t.put(ours, rows, [0] * len(rows))
        gap = bruto - np.sum([t.ints(f) for f in self.class_fields] + [np.zeros(n, dtype=np.int64)], axis=0)
        rows = np.flatnonzero(rest & (gap > 0))
        if len(rows):
            cur = t.ints("eigendom_onbekend")
            t.put("eigendom_onbekend", rows, (cur[rows] + gap[rows]).tolist())
            for i, g in zip(rows.tolist(), gap[rows].tolist()):
                found.append((i, 1, Problem(wheres[i], names[i], "eigendom_onbekend", g, tr(
                    "{} dwellings have no price class in the file: counted as huur of koop onbekend", g),
                    "estimated")))
        found.sort(key=lambda x: (x[0], x[1]))
        return [p for _i, _j, p in found]


class _TooBig(Exception):
    """A count beyond what the columnar path computes exactly in int64: the row-wise path takes over."""


_EXACT = 1 << 53


class _Sums:
    """The year sums of n plans as arrays (`_aggregate_columns`; `of_rows` for `_Reverser.aggregate`'s
    tuples): by_type (n × type_order), by_class (n × class_order), the four totals, and per plan its
    fasering rows."""

    def __init__(self, by_type, by_class, total, realised, sloop, sloop_done, fasering):
        self.by_type, self.by_class = by_type, by_class
        self.total, self.realised, self.sloop, self.sloop_done = total, realised, sloop, sloop_done
        self.fasering = fasering

    @classmethod
    def of_rows(cls, aggs: List[Any], yc: Dict[str, Any]) -> "_Sums":
        n = len(aggs)
        types, classes = yc["type_order"], yc["class_order"]
        col = lambda j: np.array([a[j] for a in aggs], dtype=np.int64).reshape(n)  # noqa: E731
        return cls(np.array([[a[0][t] for t in types] for a in aggs], dtype=np.int64).reshape(n, len(types)),
                   np.array([[a[1][c] for c in classes] for a in aggs], dtype=np.int64).reshape(n, len(classes)),
                   col(2), col(3), col(4), col(5), [a[6] for a in aggs])

    def rows(self, yc: Dict[str, Any]) -> List[Any]:
        """`_Reverser.aggregate`'s tuple per plan."""
        types, classes = yc["type_order"], yc["class_order"]
        bt, bc = self.by_type.tolist(), self.by_class.tolist()
        tot, rea, sl, sd = (a.tolist() for a in (self.total, self.realised, self.sloop, self.sloop_done))
        return [(dict(zip(types, bt[i])), dict(zip(classes, bc[i])), tot[i], rea[i], sl[i], sd[i], self.fasering[i])
                for i in range(len(self.fasering))]


class _Table:
    """Our fields of n plans as columns while they are made: `_Reverser.records` and `finish` done a
    field at a time for all plans instead of a plan at a time. Per field its values (None where a plan
    lacks it), whether each plan has it (a record's `k in rec`) and the step that first gave it to each
    plan, so that `columns()` comes out in the order the records' keys would (`dict.fromkeys` over
    them)."""

    def __init__(self, n: int):
        self.n = n
        self.values: Dict[str, List[Any]] = {}
        self.has: Dict[str, np.ndarray] = {}
        self.when: Dict[str, np.ndarray] = {}
        self._ints: Dict[str, np.ndarray] = {}
        self.step = 0

    def has_of(self, k: str) -> np.ndarray:
        got = self.has.get(k)
        return got if got is not None else np.zeros(self.n, dtype=bool)

    def _field(self, k: str):
        if k not in self.values:
            self.values[k] = [None] * self.n
            self.has[k] = np.zeros(self.n, dtype=bool)
            self.when[k] = np.zeros(self.n, dtype=np.int64)
        self._ints.pop(k, None)
        self.step += 1
        return self.values[k], self.has[k], self.when[k]

    def put_all(self, k: str, col: List[Any]) -> None:
        """Every plan's k (a copy of `col`)."""
        _vals, has, when = self._field(k)
        when[~has] = self.step
        has[:] = True
        self.values[k] = list(col)

    def put(self, k: str, rows, vals, whens: Optional[List[int]] = None) -> None:
        """k of the plans `rows` (row numbers, ascending); `whens`: per row the step a plan that did not
        have k gets it at (default: this put's)."""
        rows = rows.tolist() if isinstance(rows, np.ndarray) else rows
        if not rows:
            return
        lst, has, when = self._field(k)
        idx = np.asarray(rows, dtype=np.int64)
        new = ~has[idx]
        when[idx[new]] = self.step if whens is None else np.asarray(whens, dtype=np.int64)[new]
        has[idx] = True
        for i, v in zip(rows, vals):
            lst[i] = v

    def drop(self, k: str, rows: List[int]) -> None:
        """k removed from the plans `rows` (a record's `pop`)."""
        lst, has = self.values[k], self.has[k]
        self._ints.pop(k, None)
        for i in rows:
            lst[i] = None
        has[rows] = False

    def ints(self, k: str) -> np.ndarray:
        """k as `_int` reads each value (0 where a plan lacks it); _TooBig beyond 2**53."""
        got = self._ints.get(k)
        if got is None:
            lst = self.values.get(k)
            got = np.zeros(self.n, dtype=np.int64) if lst is None else _int_array(lst)
            self._ints[k] = got
        return got

    def columns(self) -> Dict[str, List[Any]]:
        """Every field some plan has, in the records' key order (by the first plan that has it, then by
        when that plan got it)."""
        first = []
        for k, has in self.has.items():
            if has.any():
                r = int(np.argmax(has))
                first.append((r, int(self.when[k][r]), k))
        return {k: self.values[k] for _r, _w, k in sorted(first)}


def _int_array(values: List[Any]) -> np.ndarray:
    """`_int` of every value, as int64; _TooBig where the sums could lose exactness."""
    try:
        out = np.fromiter((v if type(v) is int else _int(v) for v in values), dtype=np.int64, count=len(values))
    except OverflowError:
        raise _TooBig() from None
    if len(out) and (out.max() > _EXACT or out.min() < -_EXACT):
        raise _TooBig()
    return out


def reverse_plan(province, standard: Standard, props: Dict[str, Any], years: List[Dict[str, Any]],
                 where: str) -> Tuple[Dict[str, Any], List[Dict[str, Any]], List[Problem]]:
    """(record: our field → raw value, fasering rows, problems) of one province plan."""
    r = _Reverser(province, standard)
    rec = r.records({k: [v] for k, v in props.items()}, 1)[0]
    problems: List[Problem] = []
    fasering: List[Dict[str, Any]] = []
    if r.yc:
        agg = r.aggregate(years)
        r.finish(rec, agg, problems, where)
        fasering = agg[-1]
    return rec, fasering, problems


def _source(path: str, fmt: str, r: "_Reverser", cols: Dict[str, List[Any]], aggs: Any,
            wkbs: List[Optional[bytes]], wheres: List[str], province, standard: Standard,
            wkt: Optional[str], table: Optional["_Table"] = None,
            geoms: Optional[np.ndarray] = None, plain: bool = False) -> Source:
    """The Source of n province plans: their properties as columns (`_Reverser.table`, or `table` when
    the caller has it already; `plain`: see there), their year sums (`_Sums`, or `_Reverser.aggregate`'s
    tuple per plan, or None without year cells) and their WKB (or `geoms`: its geometries,
    `_geometries(wkbs)`)."""
    n = len(wheres)
    if r.yc and aggs is not None and not isinstance(aggs, _Sums):
        aggs = _Sums.of_rows(aggs, r.yc)
    try:
        t = table if table is not None else r.table(cols, n, plain)
        problems = r.finish_table(t, aggs, wheres) if r.yc else []
        columns = t.columns()
        pids = columns.get("plan_id") or [None] * n
        names = columns.get("plannaam") or [None] * n
    except _TooBig:                            # counts beyond int64's exact range: a plan at a time
        recs = r.records(cols, n)
        problems = []
        if r.yc:
            for rec, agg, where in zip(recs, aggs.rows(r.yc), wheres):
                r.finish(rec, agg, problems, where)
        order = dict.fromkeys(chain.from_iterable(recs))         # every field any plan has, in order
        columns = {k: list(map(dict.get, recs, repeat(k))) for k in order}
        pids = [rec.get("plan_id") for rec in recs]
        names = [rec.get("plannaam") for rec in recs]
    fasering: List[Dict[str, Any]] = []
    keys: List[str] = []
    fas_of = aggs.fasering if r.yc else None
    for i in range(n):
        key = pids[i] or f"#row{i}"
        if fas_of is not None:
            where, name = wheres[i], names[i]
            for row in fas_of[i]:
                row["plan_id"] = key
                row["_source"] = where
                row["_plannaam"] = name
            fasering.extend(fas_of[i])
        keys.append(key)
    if geoms is None:
        geoms = _geometries(wkbs, ogrio._no_counts())
    notes = []
    if wkt and len(geoms):
        epsg_srs = osr.SpatialReference()
        epsg_srs.ImportFromWkt(wkt)
        if epsg_srs.GetAuthorityCode(None) != "28992":
            geoms = ogrio.transform_to_rd(geoms, wkt)
            notes.append(tr("The geometries were transformed from {} to EPSG:28992 (RD New).", ogrio._crs_name(wkt)))
    src = Source(path, fmt, columns, geoms, list(wheres), format=fmt, fasering=fasering, notes=notes)
    src.fasering_keys = keys
    src.problems = problems
    src.standard = standard
    carried = set(columns)
    src.not_carried = [f.name for f in standard.fields if f.name not in carried]
    if src.not_carried:
        src.notes.append(tr("The {} format does not hold: {}. Those fields keep their value in the target, or their "
                            "default for new plans.", province.name(), ", ".join(src.not_carried)))
    _fix_geometries(src)
    return src


def _geometries(wkbs: List[Optional[bytes]], counts: Dict[str, int]) -> np.ndarray:
    """Shapely geometries of WKB blobs (None stays None) in one call; a blob shapely cannot read
    goes through OGR (`_one_wkb`: curves linearised, Z/M dropped)."""
    out = np.full(len(wkbs), None, dtype=object)
    idx = [i for i, w in enumerate(wkbs) if w is not None]
    if not idx:
        return out
    arr = np.empty(len(idx), dtype=object)
    arr[:] = [wkbs[i] for i in idx]
    try:
        got = shapely.from_wkb(arr, on_invalid="ignore")
    except (NotImplementedError, shapely.errors.ShapelyError):     # a curve or an odd blob among them
        got = np.full(len(idx), None, dtype=object)
    for k, i in enumerate(idx):
        g = got[k]
        out[i] = g if g is not None else ogrio._one_wkb(arr[k], counts)
    return out


_LE_UINT = struct.Struct("<I")


def _ring_wkb(ring) -> Optional[bytes]:
    if not isinstance(ring, list) or len(ring) < 4:
        return None
    for pos in ring:
        if not (type(pos) is list and len(pos) == 2 and type(pos[0]) in (float, int) and type(pos[1]) in (float, int)):
            return None
    return _LE_UINT.pack(len(ring)) + np.array(ring, dtype="<f8").tobytes()


def _polygon_wkb(geom: Any) -> Optional[bytes]:
    """The ISO WKB OGR makes of a GeoJSON Polygon or MultiPolygon with 2D positions, built straight from the
    coordinates (OGR parses a JSON text per feature: 12 s for 45,000 plans); None for anything else (OGR
    reads it)."""
    if not isinstance(geom, dict):
        return None
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Polygon":
        polys, head = [coords], b""
    elif kind == "MultiPolygon" and isinstance(coords, list):
        polys, head = coords, b"\x01\x06\x00\x00\x00" + _LE_UINT.pack(len(coords))
    else:
        return None
    parts = [head]
    for poly in polys:
        if not isinstance(poly, list) or not poly:
            return None
        parts.append(b"\x01\x03\x00\x00\x00" + _LE_UINT.pack(len(poly)))
        for ring in poly:
            got = _ring_wkb(ring)
            if got is None:
                return None
            parts.append(got)
    return b"".join(parts)


def read_zuid_holland(path: str, standard: Standard, province) -> Source:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, UnicodeError, ValueError) as e:
        raise ImportRefused("unreadable", tr("Cannot read {} as Zuid-Holland's GeoJSON ({}): give the *.pzh.geojson "
                                             "file.", path, e)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise ImportRefused("unreadable", tr("{} is not a GeoJSON FeatureCollection: give Zuid-Holland's "
                                             "*.pzh.geojson file.", path))
    name = ((doc.get("crs") or {}).get("properties") or {}).get("name") or "EPSG:4326"
    srs = osr.SpatialReference()
    try:
        srs.SetFromUserInput(str(name))
    except RuntimeError:
        srs.ImportFromEPSG(28992)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    yp = province.mapping.get("year_cells", {}).get("property", "year_properties")
    r = _Reverser(province, standard)
    props_of, wkbs, aggs, wheres = [], [], [], []
    for i, feat in enumerate(doc["features"]):
        props = (feat or {}).get("properties") or {}
        years = props.get(yp) if yp in props else None
        geom = (feat or {}).get("geometry")
        wkb = None
        if geom:
            wkb = _polygon_wkb(geom)
            if wkb is None:
                try:
                    wkb = bytes(ogr.CreateGeometryFromJson(json.dumps(geom)).ExportToIsoWkb())
                except (RuntimeError, AttributeError):
                    wkb = None
        props_of.append(props)
        wkbs.append(wkb)
        if r.yc:
            aggs.append(r.aggregate([y for y in (years or []) if isinstance(y, dict)]))
        wheres.append(tr("feature {}", i + 1))
    cols = {k: [p.get(k, _ABSENT) for p in props_of] for k in r.wanted if k != yp}
    return _source(path, "zuid-holland", r, cols, aggs, wkbs, wheres, province, standard, srs.ExportToWkt())



def _extract(path: str, members, folder: str) -> None:
    with zipfile.ZipFile(path) as zf:
        for i in members:
            zf.extract(i, folder)


def read_gelderland(path: str, standard: Standard, province) -> Source:
    """Planregistratie + DetailPlanning (joined on GlobalID = parent_globalid) of a FileGDB; a zip is
    unpacked into a temporary folder first (GDAL reading a FileGDB inside a zip re-inflates the
    members on every seek: minutes for a few thousand plans)."""
    import shutil
    import tempfile
    if not path.lower().endswith(".zip"):
        return _read_gelderland(path, path, standard, province)
    folder = tempfile.mkdtemp(prefix=".lmvw-import-")
    try:
        try:
            with zipfile.ZipFile(path) as zf:
                safe = [i for i in zf.infolist() if not i.is_dir() and ".." not in i.filename
                        and not i.filename.startswith("/")]
                members = [i for i in safe if ".gdb/" in i.filename.lower()] or safe
                if sum(i.file_size for i in members) > 8 << 30:
                    raise ImportRefused("unreadable", tr("{} would unpack to more than 8 GB: not a Gelderland "
                                                         "delivery.", path))
                # the two large tables (plans, year rows) inflated side by side: zlib lets go of the GIL
                for i in members:                # the folders first: two threads making one would collide
                    os.makedirs(os.path.dirname(os.path.join(folder, i.filename)), exist_ok=True)
                halves: Tuple[List[Any], List[Any]] = ([], [])
                for i in sorted(members, key=lambda i: -i.file_size):
                    min(halves, key=lambda h: sum(x.file_size for x in h)).append(i)
                other = background(_extract, path, halves[1], folder)
                for i in halves[0]:
                    zf.extract(i, folder)
                other.result()
        except (OSError, zipfile.BadZipFile, ValueError) as e:
            raise ImportRefused("unreadable", tr("Cannot read {} as Gelderland's File Geodatabase ({}): give the "
                                                 ".gdb folder or its zip.", path, e)) from None
        gdbs = sorted({os.path.join(folder, i.filename.split("/")[0]) for i in members
                       if ".gdb/" in i.filename.lower()})
        return _read_gelderland(gdbs[0] if gdbs else folder, path, standard, province)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _get_bool(f, i: int) -> bool:
    return bool(f.GetFieldAsInteger(i))


def _features(layer):
    """(feature, {field: value}) per feature, the values as `Feature.items()` gives them, with the field
    indices and getters prepared once per layer: `items()` looks every field up by name, a scan of all the
    fields for each one (quadratic in Gelderland's ~150 columns: 100+ s for 5,000 plans)."""
    defn = layer.GetLayerDefn()
    getters = []
    for i in range(defn.GetFieldCount()):
        fd = defn.GetFieldDefn(i)
        t, sub = fd.GetType(), fd.GetSubType()
        if t == ogr.OFTInteger and sub == ogr.OFSTBoolean:
            get = _get_bool
        elif t == ogr.OFTInteger:
            get = ogr.Feature.GetFieldAsInteger
        elif t == ogr.OFTInteger64:
            get = ogr.Feature.GetFieldAsInteger64
        elif t == ogr.OFTReal:
            get = ogr.Feature.GetFieldAsDouble
        else:  # lists, dates and strings exactly as Feature.GetField gives them
            get = ogr.Feature.GetField
        getters.append((fd.GetName(), i, get))
    layer.ResetReading()
    f = layer.GetNextFeature()
    while f is not None:
        yield f, {name: (get(f, i) if f.IsFieldSetAndNotNull(i) else None) for name, i, get in getters}
        f = layer.GetNextFeature()


# the field types GDAL's Arrow stream gives exactly as `_features` does (GDAL 3.6 unpacks Arrow
# booleans wrongly, and dates and lists come differently): another type reads feature by feature
_ARROW_TYPES = {(ogr.OFTInteger, ogr.OFSTNone), (ogr.OFTInteger, ogr.OFSTInt16), (ogr.OFTInteger64, ogr.OFSTNone),
                (ogr.OFTReal, ogr.OFSTNone), (ogr.OFTReal, ogr.OFSTFloat32), (ogr.OFTString, ogr.OFSTNone),
                (ogr.OFTString, ogr.OFSTUUID), (ogr.OFTString, ogr.OFSTJSON)}


def _arrow_table(layer, wanted: List[str], geometry: bool):
    """(columns {field: numpy array, masked where NULL}, FIDs, WKB list or None) of the `wanted` fields the
    layer has, through GDAL's Arrow stream (one C loop instead of a Python call per value); None when a
    field has a type the stream does not give as `_features` does."""
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    present = set(wanted) & set(names)
    for name in present:
        fd = defn.GetFieldDefn(defn.GetFieldIndex(name))
        if (fd.GetType(), fd.GetSubType()) not in _ARROW_TYPES:
            return None
    fid_col = layer.GetFIDColumn() or "OGC_FID"
    geom_col = layer.GetGeometryColumn() or "wkb_geometry"
    ignored = [n for n in names if n not in present]
    if not geometry and layer.GetGeomType() != ogr.wkbNone:
        ignored.append("OGR_GEOMETRY")
    cols: Dict[str, list] = {}
    fids: list = []
    geoms: list = []
    layer.SetIgnoredFields(ignored)
    try:
        layer.ResetReading()
        stream = layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES",
                                                      ogrio.ARROW_BATCH])
        for batch in stream:
            for k, v in batch.items():      # copies: the arrays point into buffers the stream releases
                if k == fid_col:
                    fids.append(np.array(v, dtype=np.int64))
                elif k == geom_col and geometry:
                    geoms.append(ogrio._copy(v))
                elif k in present:
                    cols.setdefault(k, []).append(ogrio._copy(v))
            del batch
        del stream
    finally:
        layer.SetIgnoredFields([])
    out = {k: (np.ma.concatenate(v) if any(isinstance(x, np.ma.MaskedArray) for x in v) else np.concatenate(v))
           if len(v) > 1 else v[0] for k, v in cols.items()}
    wkb = None
    if geometry:
        wkb = []
        for v in geoms:
            mask = np.ma.getmaskarray(v) if isinstance(v, np.ma.MaskedArray) else np.zeros(len(v), bool)
            data = v.data if isinstance(v, np.ma.MaskedArray) else v
            wkb.extend(None if m or w is None else bytes(w) for w, m in zip(data, mask))
    return out, (np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)), wkb


def _values(arr) -> List[Any]:
    """A column of `_arrow_table` as `_features` gives its values: int, float, str, None for NULL."""
    out = tbl._masked_to_list(arr)
    if arr.dtype.kind in "SO":
        return [_decode(v) if type(v) is bytes else v for v in out]
    return out


def _decode(v: bytes) -> str:
    try:
        return v.decode("utf-8")
    except UnicodeDecodeError:
        return v.decode("latin-1")


def _cell_ints(col, m: int) -> np.ndarray:
    """A year-row count column as `_int` reads each value (NULL or not a number: 0)."""
    if col is None:
        return np.zeros(m, dtype=np.int64)
    data = np.ma.getdata(col)
    mask = np.ma.getmaskarray(col)
    if data.dtype.kind in "iu":
        return np.where(mask, 0, data.astype(np.int64))
    return np.array([_int(v) for v in _values(col)], dtype=np.int64)


def _aggregate_columns(r: "_Reverser", det: Dict[str, Any], m: int, groups: List[List[int]]) -> "_Sums":
    """`_Reverser.aggregate` of every plan at once: `det` the year rows' columns (m rows), `groups` per
    plan its row numbers in layer order."""
    yc = r.yc
    tn, kn = len(yc["type_order"]), len(yc["class_order"])
    cells = np.zeros((m, tn, kn), dtype=np.int64)
    for j, (_t, _c, key) in enumerate(r.cell_keys):
        cells[:, j // kn, j % kn] = _cell_ints(det.get(key), m)
    sloop = np.zeros(m, dtype=np.int64)
    for key in r.sloop_keys:
        sloop += _cell_ints(det.get(key), m)

    def flag(spec):                                # set, and not the value that says "not realised"
        if spec is None or spec["name"] not in det:
            return np.zeros(m, dtype=bool)
        col, value = det[spec["name"]], spec["value"]
        data = np.ma.getdata(col)
        if data.dtype.kind == "S" and isinstance(value, str):      # text as GDAL gives it: compared as bytes
            return ~np.ma.getmaskarray(col) & (data != value.encode("utf-8"))
        return np.array([v is not None and v != value for v in _values(col)], dtype=bool)
    done, sdone = flag(r.built), flag(r.sflag)
    per_row = cells.sum(axis=2).sum(axis=1)
    jaar = _values(det[r.year_key]) if r.year_key in det else [None] * m
    counts = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    order = np.fromiter((i for g in groups for i in g), dtype=np.int64, count=int(counts.sum()))
    bounds = np.concatenate([[0], np.cumsum(counts)])

    def sums(x: np.ndarray) -> np.ndarray:         # per plan, the sum of x over its rows (exact, int64)
        cs = np.concatenate([np.zeros((1,) + x.shape[1:], dtype=np.int64), np.cumsum(x[order], axis=0)])
        return cs[bounds[1:]] - cs[bounds[:-1]]
    # the fasering rows of all plans at once, in plan order (a row that is built and demolished: none)
    keep = ~(done & sdone)[order]
    kept = order[keep]
    # plan i's rows are rows[cut[i]:cut[i + 1]]: its kept rows counted up to its bounds
    cut = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])[bounds].tolist()
    jaar_a = np.empty(m, dtype=object)
    jaar_a[:] = jaar
    rows = list(map(dict, map(zip, repeat(("jaar", "aantal", "sloop")),
                              zip(jaar_a[kept].tolist(), np.where(done, 0, per_row)[kept].tolist(),
                                  np.where(sdone, 0, sloop)[kept].tolist()))))
    return _Sums(sums(cells.sum(axis=2)), sums(cells.sum(axis=1)), sums(per_row), sums(np.where(done, per_row, 0)),
                 sums(sloop), sums(np.where(sdone, sloop, 0)), [rows[cut[i]:cut[i + 1]] for i in range(len(groups))])


def _detail_table(gdb: str, wanted: List[str]):
    """`_arrow_table` of the DetailPlanning layer, through a dataset opened for it (closed here)."""
    ds = gdal.OpenEx(gdb, gdal.OF_VECTOR | gdal.OF_READONLY)
    try:
        layer = ds.GetLayerByName("DetailPlanning")
        got = _arrow_table(layer, wanted, geometry=False) if layer is not None else None
    finally:
        layer = ds = None  # noqa: F841
    return got


def _read_gelderland(gdb: str, path: str, standard: Standard, province) -> Source:
    try:
        ds = gdal.OpenEx(gdb, gdal.OF_VECTOR | gdal.OF_READONLY)
    except (RuntimeError, OSError, ValueError) as e:
        raise ImportRefused("unreadable", tr("Cannot read {} as Gelderland's File Geodatabase ({}): give the .gdb "
                                             "folder or its zip.", path, e)) from None
    r = _Reverser(province, standard)
    detail_read = None
    try:
        plan_lyr = ds.GetLayerByName("Planregistratie") if ds else None
        if plan_lyr is None:
            raise ImportRefused("unreadable", tr("{} has no layer Planregistratie: give Gelderland's File "
                                                 "Geodatabase.", path))
        det = ds.GetLayerByName("DetailPlanning")
        # the year rows (five times as many as the plans) read in a thread, through a dataset of their
        # own (GDAL's are not shared between threads), while this one reads the plans
        detail_read = background(_detail_table, gdb, r.wanted_rows + ["parent_globalid"]) if det is not None \
            else None
        srs = plan_lyr.GetSpatialRef()
        wkt = srs.ExportToWkt() if srs is not None else None
        plans = _arrow_table(plan_lyr, r.wanted + ["GlobalID"], geometry=True)
        if plans is not None:
            # the plans' own fields, while the year rows are still read
            cols_np, fids, wkbs = plans
            cols = {k: _values(v) for k, v in cols_np.items()}
            n = len(fids)
            try:
                table = r.table(cols, n, plain=True)
            except _TooBig:
                table = None
            wheres = [tr("Planregistratie {}", f) for f in fids.tolist()]
            geoms = _geometries(wkbs, ogrio._no_counts())
        detail = detail_read.result() if detail_read is not None else None
        detail_read = None
        if plans is not None and (det is None or detail is not None):
            gids = [str(v or "").strip("{}").lower() for v in cols.get("GlobalID", [None] * n)]
            groups: Dict[str, List[int]] = {}
            m = 0
            if detail is not None:
                det_cols, det_fids, _ = detail
                m = len(det_fids)
                parents = _values(det_cols["parent_globalid"]) if "parent_globalid" in det_cols else [None] * m
                for k, v in enumerate(parents):
                    groups.setdefault(str(v or "").strip("{}").lower(), []).append(k)
            aggs = _aggregate_columns(r, detail[0] if detail is not None else {}, m,
                                      [groups.get(g, []) for g in gids]) if r.yc else None
            ext = cols.get("GlobalID", [None] * n)
        else:                                  # a field type the Arrow stream does not give as GetField: per feature
            rows: Dict[str, List[Dict[str, Any]]] = {}
            if det is not None:
                for _f, row in _features(det):
                    rows.setdefault(str(row.get("parent_globalid") or "").strip("{}").lower(), []).append(row)
            props_of, wkbs, wheres = [], [], []
            for f, props in _features(plan_lyr):
                g = f.GetGeometryRef()
                wkbs.append(bytes(g.ExportToIsoWkb()) if g is not None else None)
                props_of.append(props)
                wheres.append(tr("Planregistratie {}", f.GetFID()))
            cols = {k: [p.get(k, _ABSENT) for p in props_of] for k in r.wanted}
            aggs = [r.aggregate(rows.get(str(p.get("GlobalID") or "").strip("{}").lower(), []))
                    for p in props_of] if r.yc else None
            ext = [p.get("GlobalID") for p in props_of]
            table = geoms = None
    finally:
        plan_lyr = det = ds = None  # noqa: F841
        if detail_read is not None:         # an error above: the thread's dataset is closed before this returns
            detail_read.exception()
    src = _source(path, "gelderland", r, cols, aggs, wkbs, wheres, province, standard, wkt, table, geoms,
                  plain=table is not None)
    src.columns["plan_id_extern"] = [str(v).strip("{}") if v else None for v in ext]
    return src


def read_province(path: str, kind: str, standard: Standard) -> Source:
    """A province file as a Source in Basisset (and the province's extra) fields."""
    from ..standard.provinces import extend, load_province
    province = load_province(kind)
    ext = extend(getattr(standard, "base_standard", standard), province)
    if not os.path.exists(path):
        raise ImportRefused("unreadable", tr("{} does not exist: check the path.", path))
    if kind == "zuid-holland":
        return read_zuid_holland(path, ext, province)
    if kind == "gelderland":
        return read_gelderland(path, ext, province)
    if kind == "zeeland":
        return read_zeeland(path, ext, province)
    raise ImportRefused("format", tr("Importing the {} format is not available yet in this version: export the "
                                     "plans from the province file to a GeoPackage or spreadsheet and import that "
                                     "as a table (--format table).", kind))


# ------------------------------------------------------------------------------------------------
# Zeeland: workbooks (province-formats.md §5.3, §5.8)

_ZL_ROWS = {  # (label, group) → our field; the wonen-en-zorg rows nest (§5.8)
    ("eengezins", "woningtype"): "eengezins", ("meergezins", "woningtype"): "meergezins",
    ("onbekend", "woningtype"): "woningtype_onbekend", ("flexwoningen", "flexwoningen"): "tijdelijke_woningen",
}


def _cell_int(v: Any) -> Tuple[int, bool]:
    """A count as Zeeland writes it (a number, or text with '.' thousands / ',' decimals); ok False
    when it is not a number."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return 0, True
    if isinstance(v, bool):
        return 0, False
    if isinstance(v, (int, float)):
        return (int(v), True) if float(v).is_integer() else (0, False)
    s = str(v).strip().replace(".", "").replace(",", ".")
    try:
        f = float(s)
    except ValueError:
        return 0, False
    return (int(f), True) if f.is_integer() else (0, False)


def _header(ws) -> Optional[Tuple[int, Dict[str, int], Dict[int, int]]]:
    """(row, {Totalen|Gerealiseerd: column}, {column: year}) of the grid header in row 1 or 18."""
    for r in (1, 18):
        cols: Dict[str, int] = {}
        years: Dict[int, int] = {}
        for c in range(1, 30):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str) and v.strip() in ("Totalen", "Gerealiseerd"):
                cols[v.strip()] = c
            if c >= 7 and re.fullmatch(r"\s*(20\d\d)(\.0)?\s*", str(v or "")):
                years[c] = int(float(str(v).strip()))
        if years and ("Totalen" in cols or r == 1):
            for r2 in (r, 18):                # the current importer reads the years from row 1 only
                for c in range(1, 30):
                    v = ws.cell(row=r2, column=c).value
                    if isinstance(v, str) and v.strip() in ("Totalen", "Gerealiseerd"):
                        cols.setdefault(v.strip(), c)
            cols.setdefault("Totalen", 3)
            cols.setdefault("Gerealiseerd", 5)
            return (18 if ws.cell(row=18, column=3).value == "Totalen" else r), cols, years
    return None


def _zeeland_sheet(ws, where: str, province, standard: Standard):
    head = _header(ws)
    if head is None:
        return None
    hrow, cols, years = head
    props: Dict[str, Any] = {}
    if hrow == 18:                            # the first importer's layout: plan labels in A1:B16
        for r in range(1, 17):
            label = ws.cell(row=r, column=1).value
            if isinstance(label, str) and label.strip():
                props[label.strip()] = ws.cell(row=r, column=2).value
    rows: Dict[Tuple[str, str], Tuple[int, int, Dict[int, int]]] = {}
    problems: List[Problem] = []
    group = ""
    for r in range(hrow + 1, hrow + 40):
        label = ws.cell(row=r, column=1).value
        if not isinstance(label, str) or not label.strip():
            continue
        g = ws.cell(row=r, column=2).value
        group = g.strip().lower() if isinstance(g, str) and g.strip() else group
        vals = []
        for c in [cols["Totalen"], cols["Gerealiseerd"]] + sorted(years):
            n, ok = _cell_int(ws.cell(row=r, column=c).value)
            if not ok or n < 0:
                problems.append(Problem(f"{where} {ws.cell(row=r, column=c).coordinate}", None, label.strip(),
                                        ws.cell(row=r, column=c).value,
                                        tr("not a whole number of 0 or more; counted as 0"), "negative" if ok
                                        else "number"))
                n = 0
            vals.append(n)
        rows[(label.strip().lower(), group)] = (vals[0], vals[1], dict(zip(sorted(years.values()), vals[2:])))
    if not rows:
        return None
    rec, _fas, probs = reverse_plan(province, standard, props, [], where)
    for p in problems + probs:
        p.plannaam = p.plannaam or rec.get("plannaam")
    if "plannaam" not in rec or not rec.get("plannaam"):
        rec["plannaam"] = ws.title
    get = lambda k: rows.get(k, (0, 0, {}))  # noqa: E731
    nb, sl = get(("nieuwbouw", "nieuwbouw")), get(("sloop", "sloop"))
    rec.update(bruto_plancapaciteit=nb[0], aantal_gerealiseerd=nb[1], sloop=sl[0], sloop_gerealiseerd=sl[1])
    for key, name in _ZL_ROWS.items():
        rec[name] = get(key)[0]
    zorg, clus, nul = (get((k, "wonen en zorg"))[0] for k in ("zorggeschikt", "geclusterd", "nultreden"))
    rec.update(zorggeschikt=zorg, geclusterd=clus + zorg, nultredenwoningen=nul + clus + zorg)
    unknown = get(("onbekend", "wonen en zorg"))[0]
    if unknown:
        problems.append(Problem(where, rec["plannaam"], "nultredenwoningen", unknown, tr(
            "{} dwellings are 'Onbekend' in wonen en zorg, which has no Basisset field: not counted", unknown),
            "not_carried"))
    price = {"koop betaalbare koop": "betaalbare_koop", "koop dure koop": "dure_koop",
             "koop onbekend": "koop_prijs_onbekend", "huur dure huur": "dure_huur",
             "huur onbekend": "huur_prijs_onbekend", "onbekend koop of huur": "eigendom_onbekend"}
    for label, name in price.items():
        rec[name] = get((label, "betaalbaarheid"))[0]
    for label, parts in (("sociale huur", ("sociale_huur_corporatie", "sociale_huur_markt")),
                         ("huur middenhuur", ("middenhuur_corporatie", "middenhuur_markt"))):
        n = get((label, "betaalbaarheid"))[0]
        for f in parts:
            rec[f] = 0
        if n:
            rec["huur_prijs_onbekend"] += n
            problems.append(Problem(where, rec["plannaam"], "huur_prijs_onbekend", n, tr(
                "class {} is {} in the Basisset and the file does not say how many of each: the {} dwellings are "
                "counted as {}", label, " + ".join(parts), n, "huur_prijs_onbekend"), "class_split"))
    fasering = [{"jaar": y, "aantal": n, "sloop": sl[2].get(y, 0)}
                for y, n in sorted(nb[2].items()) if n or sl[2].get(y, 0)]
    return rec, fasering, problems


def _workbooks(path: str) -> List[Tuple[str, Any]]:
    """(name, file object or path) of every workbook in a file, a folder or a zip."""
    import io
    import zipfile
    if os.path.isdir(path):
        return [(n, os.path.join(path, n)) for n in sorted(os.listdir(path)) if n.lower().endswith(".xlsx")
                and not n.startswith("~$")]
    if path.lower().endswith(".zip"):
        out = []
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.lower().endswith(".xlsx") and info.file_size < 64 << 20:
                    out.append((os.path.basename(info.filename), io.BytesIO(zf.read(info))))
        return out
    return [(os.path.basename(path), path)]


def read_zeeland(path: str, standard: Standard, province) -> Source:
    from ..common.vendor import load as vendor_load
    try:
        openpyxl = vendor_load("openpyxl")
    except ImportError:
        raise ImportRefused("unreadable", tr("Reading Zeeland's workbooks needs the Python package openpyxl: "
                                             "reinstall the plugin from its zip, or run python -m pip install "
                                             "openpyxl.")) from None
    plans = []
    problems: List[Problem] = []
    for name, fh in _workbooks(path):
        try:
            wb = openpyxl.load_workbook(fh, read_only=False, data_only=True)
        except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
            problems.append(Problem(name, None, "", None, tr("not a readable workbook ({}): skipped", e),
                                    "unreadable"))
            continue
        for ws in wb.worksheets:
            got = _zeeland_sheet(ws, f"{name} [{ws.title}]", province, standard)
            if got is not None:
                plans.append((f"{name} [{ws.title}]", got))
        wb.close()
    if not plans:
        raise ImportRefused("no_labels", tr(
            "{} holds no sheet with Zeeland's layout (the header 'Totalen', 'Gerealiseerd' and the years 2024–2043 "
            "in row 1 or row 18, the categories in column A): give the Planmonitor Wonen workbooks.", path))
    columns: Dict[str, List[Any]] = {}
    fasering: List[Dict[str, Any]] = []
    keys: List[str] = []
    for i, (where, (rec, fas, probs)) in enumerate(plans):
        for k in rec:
            if k not in columns:
                columns[k] = [None] * len(plans)
        key = f"#row{i}"
        keys.append(key)
        for r in fas:
            fasering.append(dict(r, plan_id=key, _source=where, _plannaam=rec.get("plannaam")))
        problems.extend(probs)
    for i, (_where, (rec, _f, _p)) in enumerate(plans):
        for k, v in rec.items():
            columns[k][i] = v
    src = Source(path, "zeeland", columns, np.full(len(plans), None, dtype=object), [w for w, _ in plans],
                 format="zeeland", fasering=fasering, has_geometry=False)
    src.fasering_keys, src.problems, src.standard = keys, problems, standard
    src.not_carried = [f.name for f in standard.fields if f.name not in columns]
    src.notes.append(tr("Zeeland's workbooks hold no geometry and no plan_id: plans are matched by name within the "
                        "gemeente, new ones come without geometry."))
    if src.not_carried:
        src.notes.append(tr("The {} format does not hold: {}. Those fields keep their value in the target, or their "
                            "default for new plans.", province.name(), ", ".join(src.not_carried)))
    return src
