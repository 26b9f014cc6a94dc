"""Column tables the engine works on: plans (attributes + shapely geometries) and fasering.

Every reader (OGR for files, the QGIS adapter for layers and edit buffers) ends in
`PlanTable.from_columns`, which normalises values per field type of the standard:

- text      object array of str or None
- int       float64 array, NaN for NULL (so 2.5 or -1 stay visible to R03)
- bool      float64 array: 1.0, 0.0 or NaN
- date      object array of datetime.date or None
- datetime  object array of datetime.datetime or None

Values that cannot be read as their type (a word in a count field, "maybe" in a boolean) become
NULL in the column and are kept in `bad` so that the engine can report them.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence

import numpy as np

from ..common.arrays import SMALL, isin_text
from ..standard import FieldDef, Standard

_TRUE = {"1", "true", "t", "ja", "j", "yes", "y", "waar"}
_FALSE = {"0", "false", "f", "nee", "n", "no", "onwaar"}


class SchemaError(ValueError):
    """The source lacks fields of the standard; `missing` lists them."""

    def __init__(self, message: str, missing: Sequence[str] = ()):
        super().__init__(message)
        self.missing = list(missing)


def _is_null(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    # QVariant NULL and numpy masked constants present themselves this way
    if type(v).__name__ in ("QVariant", "MaskedConstant"):
        try:
            return v.isNull() if hasattr(v, "isNull") else True
        except Exception:  # pragma: no cover - defensive
            return True
    return False


def _to_text(v: Any) -> Optional[str]:
    if _is_null(v):
        return None
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _to_number(v: Any):
    """(value, ok): float or NaN for NULL; ok False when the value is not a number."""
    if _is_null(v):
        return np.nan, True
    if isinstance(v, (bool, np.bool_)):
        return float(v), True
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v), True
    if isinstance(v, bytes):
        v = v.decode("utf-8", errors="replace")
    if isinstance(v, str):
        s = v.strip().replace(",", ".")
        if s == "":
            return np.nan, True
        try:
            return float(s), True
        except ValueError:
            return np.nan, False
    return np.nan, False


def _to_bool(v: Any):
    if _is_null(v):
        return np.nan, True
    if isinstance(v, (bool, np.bool_)):
        return (1.0 if v else 0.0), True
    if isinstance(v, (int, float, np.integer, np.floating)):
        if v in (0, 1):
            return float(v), True
        return np.nan, False
    s = _to_text(v).strip().lower()
    if s == "":
        return np.nan, True
    if s in _TRUE:
        return 1.0, True
    if s in _FALSE:
        return 0.0, True
    return np.nan, False


def _to_date(v: Any):
    if _is_null(v):
        return None, True
    if isinstance(v, _dt.datetime):
        return v.date(), True
    if isinstance(v, _dt.date):
        return v, True
    if isinstance(v, np.datetime64):
        if np.isnat(v):
            return None, True
        return v.astype("datetime64[D]").astype(object), True
    if hasattr(v, "toPyDate"):          # QDate / QDateTime without importing Qt here
        try:
            if hasattr(v, "isValid") and not v.isValid():
                return None, True
            d = v.toPyDate() if hasattr(v, "toPyDate") else v.date().toPyDate()
            return d, True
        except Exception:
            return None, False
    if hasattr(v, "date") and hasattr(v, "toPyDateTime"):
        return v.toPyDateTime().date(), True
    s = _to_text(v).strip()
    if s == "":
        return None, True
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return _dt.datetime.strptime(s[:19], fmt).date(), True
        except ValueError:
            continue
    return None, False


def _to_datetime(v: Any):
    if _is_null(v):
        return None, True
    if isinstance(v, _dt.datetime):
        return v, True
    if isinstance(v, np.datetime64):
        return (None if np.isnat(v) else v.astype("datetime64[ms]").astype(object)), True
    if hasattr(v, "toPyDateTime"):
        try:
            return (v.toPyDateTime() if v.isValid() else None), True
        except Exception:
            return None, False
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day), True
    s = _to_text(v).strip()
    if not s:
        return None, True
    try:
        return _dt.datetime.fromisoformat(s.replace("Z", "+00:00")), True
    except ValueError:
        return None, False


def _utf8(b: bytes, row: int, bad: Dict[int, Any]) -> Optional[str]:
    """Stored text that is not UTF-8 is not text: NULL in the column, kept (readably) in `bad`."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        bad[row] = b.decode("utf-8", errors="replace")
        return None


def _masked_to_list(values: Any) -> List[Any]:
    if isinstance(values, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(values)
        data = values.data
        if data.dtype.kind == "M":
            data = data.astype(object)
        out = data.tolist() if data.dtype != object else list(data)
        return [None if m else v for v, m in zip(out, mask)]
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "M":
            return values.astype(object).tolist()
        return values.tolist()
    return list(values)


def normalise_column(f: FieldDef, values: Any, n: int, bad: Dict[int, Any], text: Optional[Dict] = None):
    """Turn any sequence of raw values into the engine's column for field f. For text read as
    bytes, `text[f.name]` receives the vectorised views PlanTable.text() would compute."""
    if values is None:
        if f.type == "text" or f.type in ("date", "datetime"):
            return np.full(n, None, dtype=object)
        return np.full(n, np.nan)
    # fast paths for numpy columns from OGR's Arrow reader
    if isinstance(values, np.ndarray) and f.type in ("int", "bool") and values.dtype.kind in "iufb":
        if isinstance(values, np.ma.MaskedArray):
            out = values.data.astype(float)
            out[np.ma.getmaskarray(values)] = np.nan
        else:
            out = values.astype(float)
        if f.type == "bool":                # an integer field used as a boolean: 2 is neither
            with np.errstate(invalid="ignore"):
                odd = ~np.isnan(out) & (out != 0.0) & (out != 1.0)
            for i in np.nonzero(odd)[0]:
                bad[int(i)] = int(out[i]) if float(out[i]).is_integer() else float(out[i])
                out[i] = np.nan
        return out
    if isinstance(values, np.ndarray) and f.type == "text" and values.dtype.kind == "S":
        mask = np.ma.getmaskarray(values) if isinstance(values, np.ma.MaskedArray) else np.zeros(n, dtype=bool)
        data = values.data if isinstance(values, np.ma.MaskedArray) else values
        ascii = is_ascii(data)
        runs = _runs(data) if text is None and ascii else None
        if runs is not None:
            # a column of runs of equal values (a fasering's plan ids): each run's value converted once
            out = ascii_unicode(data[runs[0]]).astype(object)[runs[1]]
        elif ascii:                                    # ASCII: widened byte by byte
            u = ascii_unicode(data)
            u[mask] = ""
            out = u.astype(object)
            if text is not None:
                text[f.name] = views(u, mask)
        else:
            out = np.empty(n, dtype=object)
            out[:] = [_utf8(b, i, bad) for i, b in enumerate(data.tolist())]
        if mask.any():
            out[mask] = None
        return out
    raw = _masked_to_list(values)
    if f.type == "text":
        out = np.empty(n, dtype=object)
        out[:] = [_to_text(v) for v in raw]
        return out
    conv = {"int": _to_number, "bool": _to_bool, "date": _to_date, "datetime": _to_datetime}[f.type]
    if f.type in ("int", "bool"):
        out = np.empty(n, dtype=float)
    else:
        out = np.empty(n, dtype=object)
    for i, v in enumerate(raw):
        val, ok = conv(v)
        out[i] = val
        if not ok:
            bad[i] = v
    return out


@dataclass
class PlanTable:
    """The plans of one layer as columns. Row i is feature `fids[i]` of the source."""
    columns: Dict[str, np.ndarray]
    geometry: np.ndarray                 # shapely geometries (object array), None where absent
    fids: np.ndarray                     # int64 feature ids of the source
    bad: Dict[str, Dict[int, Any]] = field(default_factory=dict)
    missing_optional: List[str] = field(default_factory=list)
    source: str = ""
    _text: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # where the rows came from, when they are an unchanged copy of a GeoPackage table (set by
    # storage.ogr); lets the delivery copy them inside SQLite instead of re-encoding every row
    origin: Optional[Dict[str, Any]] = field(default=None, repr=False, compare=False)
    # the geometry facts (rules.geometry.GeomInfo) being computed beside the reading: (geometry, Future)
    _facts: Any = field(default=None, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.fids)

    def geometry_of(self, rows) -> np.ndarray:
        """The geometries of `rows` (a table read with its geometries left as WKB parses only those)."""
        return self.geometry[rows]

    def wkb_of(self, rows) -> Optional[np.ndarray]:
        """The stored WKB of `rows` (bytes or None) when the table was read without parsing its
        geometries, else None."""
        return None

    def start_geometry_facts(self, future) -> None:
        """The reader computes the GeomInfo of `self.geometry` in the background (`future`)."""
        self._facts = (self.geometry, future)

    def geometry_facts(self):
        """The GeomInfo the reader computed beside the reading (waiting for it), once; None when
        there is none or the geometry array was replaced since."""
        got, self._facts = self._facts, None
        if got is None or got[0] is not self.geometry or len(got[0]) != self.n:
            return None
        return got[1].result()

    def text(self, name: str):
        """(values as a numpy unicode array with '' for NULL, NULL mask, blank mask) of a text
        column, computed once. Blank = NULL or only whitespace."""
        hit = self._text.get(name)
        if hit is None:
            hit = text_arrays(self.columns[name])
            self._text[name] = hit
        return hit

    def __len__(self) -> int:
        return self.n

    @classmethod
    def from_columns(cls, standard: Standard, columns: Dict[str, Any], geometry: Any,
                     fids: Optional[Sequence[int]] = None, source: str = "",
                     strict: bool = True) -> "PlanTable":
        """Normalise raw columns. Raises SchemaError when required fields are absent."""
        n = _length(columns, geometry, fids)
        missing = [f.name for f in standard.fields if f.name not in columns]
        missing_required = [m for m in missing if standard.field(m).required]
        if strict and missing_required:
            raise SchemaError("missing fields", missing)
        cols: Dict[str, np.ndarray] = {}
        bad: Dict[str, Dict[int, Any]] = {}
        text: Dict[str, Any] = {}
        for f in standard.fields:
            b: Dict[int, Any] = {}
            cols[f.name] = normalise_column(f, columns.get(f.name), n, b, text)
            if b:
                bad[f.name] = b
        geom = np.empty(n, dtype=object)
        if geometry is not None:
            geom[:] = list(geometry) if not isinstance(geometry, np.ndarray) else geometry
        fid_arr = np.arange(n, dtype=np.int64) if fids is None else np.asarray(fids, dtype=np.int64)
        if _key_blank_to_null(cols[standard.key], columns.get(standard.key)):
            text.pop(standard.key, None)
        return cls(cols, geom, fid_arr, bad, missing, source, text)

    @classmethod
    def from_records(cls, standard: Standard, records: Iterable[Dict[str, Any]],
                     geometries: Optional[Sequence[Any]] = None, fids=None, strict=False) -> "PlanTable":
        recs = list(records)
        names = set(standard.field_names)
        for r in recs:
            names.update(r)
        columns = {name: [r.get(name) for r in recs] for name in names
                   if any(name in r for r in recs) or not strict}
        geoms = list(geometries) if geometries is not None else [None] * len(recs)
        return cls.from_columns(standard, columns, geoms, fids, strict=strict)

    def take(self, rows: Sequence[int]) -> "PlanTable":
        rows = np.asarray(rows, dtype=np.int64)
        pos = {int(r): i for i, r in enumerate(rows)}
        bad = {k: {pos[r]: v for r, v in d.items() if r in pos} for k, d in self.bad.items()}
        return PlanTable({k: v[rows] for k, v in self.columns.items()}, self.geometry[rows],
                         self.fids[rows], {k: v for k, v in bad.items() if v},
                         list(self.missing_optional), self.source)

    def value(self, name: str, row: int) -> Any:
        v = self.columns[name][row]
        if isinstance(v, float):
            if v != v:
                return None
            return int(v) if v.is_integer() else v
        return v


@dataclass
class FaseringTable:
    """The fasering rows as columns, one per fasering field of the standard (normalised like the
    plans'). Which column holds the plan's key, the year and the dwellings is the standard's
    (`fasering.parent_key`, `year_field`, `count_field`); a column is also an attribute by its
    field name (`fas.jaar`)."""
    columns: Dict[str, np.ndarray]
    fids: np.ndarray
    key: str                             # the column holding the plan key
    year_field: str
    count_field: str
    bad: Dict[str, Dict[int, Any]] = field(default_factory=dict)
    _groups: Any = field(default=None, repr=False, compare=False)
    _text: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    origin: Optional[Dict[str, Any]] = field(default=None, repr=False, compare=False)

    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("columns")
        if columns is not None and name in columns:
            return columns[name]
        raise AttributeError(name)

    @property
    def n(self) -> int:
        return len(self.fids)

    def __len__(self) -> int:
        return self.n

    @property
    def plan_ids(self) -> np.ndarray:
        return self.columns[self.key]

    @property
    def years(self) -> np.ndarray:
        return self.columns[self.year_field]

    @property
    def counts(self) -> np.ndarray:
        return self.columns[self.count_field]

    def text(self, name: str):
        """As PlanTable.text."""
        hit = self._text.get(name)
        if hit is None:
            hit = text_arrays(self.columns[name])
            self._text[name] = hit
        return hit

    def value(self, name: str, row: int) -> Any:
        """The value as normalised (a count stays a float)."""
        return self.columns[name][row]

    def groups(self):
        """(plan ids as a unicode array, NULL mask, sorted distinct plan ids, per row the index
        into those or -1 for NULL), computed once."""
        if self._groups is None:
            u, null, _ = text_arrays(self.plan_ids)
            keys, inverse = _unique_text(u[~null])
            code = np.full(self.n, -1, dtype=np.int64)
            code[~null] = inverse
            self._groups = (u, null, keys, code)
        return self._groups

    @classmethod
    def empty(cls, standard: Standard) -> "FaseringTable":
        return cls.from_columns(standard, {}, fids=[], strict=False)

    @classmethod
    def from_columns(cls, standard: Standard, columns: Dict[str, Any], fids=None,
                     strict: bool = True) -> "FaseringTable":
        n = _length(columns, None, fids)
        missing = [f.name for f in standard.fasering_fields if f.required and f.name not in columns]
        if strict and missing:
            raise SchemaError("missing fasering fields", missing)
        bad: Dict[str, Dict[int, Any]] = {}
        cols = {}
        for f in standard.fasering_fields:
            b: Dict[int, Any] = {}
            cols[f.name] = normalise_column(f, columns.get(f.name), n, b)
            if b:
                bad[f.name] = b
        fid_arr = np.arange(n, dtype=np.int64) if fids is None else np.asarray(fids, dtype=np.int64)
        _key_blank_to_null(cols[standard.fasering_key], columns.get(standard.fasering_key))
        return cls(cols, fid_arr, standard.fasering_key, standard.fasering_year, standard.fasering_count, bad)

    @classmethod
    def from_records(cls, standard: Standard, records: Iterable[Dict[str, Any]], fids=None):
        recs = list(records)
        names = [f.name for f in standard.fasering_fields]
        return cls.from_columns(standard, {n: [r.get(n) for r in recs] for n in names}, fids,
                                strict=False)

    def _like(self, columns: Dict[str, np.ndarray], fids: np.ndarray,
              bad: Dict[str, Dict[int, Any]]) -> "FaseringTable":
        return FaseringTable(columns, fids, self.key, self.year_field, self.count_field, bad)

    def take(self, rows) -> "FaseringTable":
        rows = np.asarray(rows, dtype=np.int64)
        pos = {int(r): i for i, r in enumerate(rows)}
        bad = {k: {pos[r]: v for r, v in d.items() if r in pos} for k, d in self.bad.items()}
        return self._like({k: v[rows] for k, v in self.columns.items()}, self.fids[rows],
                          {k: v for k, v in bad.items() if v})

    def without_bad(self) -> "FaseringTable":
        """The rows as read, without the unreadable values kept for the findings (those are NULL
        in the columns)."""
        return self._like(self.columns, self.fids, {})

    def concat(self, other: "FaseringTable") -> "FaseringTable":
        """These rows followed by `other`'s."""
        n0 = self.n
        bad = {k: dict(d) for k, d in self.bad.items()}
        for k, d in other.bad.items():
            for i, val in d.items():
                bad.setdefault(k, {})[n0 + i] = val
        return self._like({k: np.concatenate([v, other.columns[k]]) for k, v in self.columns.items()},
                          np.concatenate([self.fids, other.fids]), bad)

    def column(self, name: str) -> np.ndarray:
        return self.columns[name]


def is_ascii(data: np.ndarray) -> bool:
    """Whether a bytes array has rows and holds ASCII only (GDAL's text columns mostly do)."""
    return bool(len(data) and data.itemsize and int(np.ascontiguousarray(data).view(np.uint8).max()) < 128)


def ascii_unicode(data: np.ndarray) -> np.ndarray:
    """A bytes array of ASCII only (the caller checked) as unicode: each byte widened to a code point
    (numpy's own S-to-U cast converts element by element, 3 to 10 times slower; the same array)."""
    if not data.itemsize:
        return data.astype("U1")
    return np.ascontiguousarray(data).view(np.uint8).astype(np.uint32).view(f"U{data.itemsize}").reshape(data.shape)


def _runs(data: np.ndarray):
    """(first row of each run of equal values, each row's run) of a long column whose runs are at
    most half as many as its rows; else None."""
    if len(data) < 1000:
        return None
    starts = np.empty(len(data), dtype=bool)
    starts[0] = True
    np.not_equal(data[1:], data[:-1], out=starts[1:])
    if int(starts.sum()) > len(data) // 2:
        return None
    return np.nonzero(starts)[0], np.cumsum(starts) - 1


# the bytes str.strip() removes from an ASCII text, and numpy's padding of a bytes array
_ASCII_BLANK = np.zeros(256, dtype=bool)
_ASCII_BLANK[[b for b in range(128) if chr(b).isspace()] + [0]] = True


def _key_blank_to_null(col: np.ndarray, raw: Any) -> bool:
    """_blank_to_null of a key column, found on the bytes GDAL read where they are ASCII (a table of
    bytes instead of a set of every distinct value: the same rows)."""
    data = raw.data if isinstance(raw, np.ma.MaskedArray) else raw
    if not (isinstance(data, np.ndarray) and data.dtype.kind == "S" and data.ndim == 1 and len(data) >= 1000
            and is_ascii(data)):
        return _blank_to_null(col)
    octets = np.ascontiguousarray(data).view(np.uint8).reshape(len(data), data.itemsize)
    # rows that start with whitespace or are empty, then of whitespace and NULs only; those checked one
    # by one (a NUL inside a text is not whitespace)
    maybe = np.nonzero(_ASCII_BLANK[octets[:, 0]])[0]
    maybe = maybe[_ASCII_BLANK[octets[maybe]].all(axis=1)]
    blank = [int(i) for i in maybe if col[i] is not None and not col[i].strip()]
    col[blank] = None
    return bool(blank)


def _blank_to_null(col: np.ndarray) -> bool:
    """A key of only whitespace is no key: NULL (R01 reports it; fasering never links to it).
    Returns whether anything changed."""
    if len(col) >= 1000:                # a long column (a fasering's): each distinct value checked once
        distinct = set(col.tolist())
        distinct.discard(None)
        blank = {v for v in distinct if not v.strip()}
        if not blank:
            return False
        col[np.fromiter((v in blank for v in col.tolist()), dtype=bool, count=len(col))] = None
        return True
    changed = False
    for i, v in enumerate(col):
        if v is not None and not v.strip():
            col[i] = None
            changed = True
    return changed


_WS = np.array([" ", "\t", "\n", "\r", "\u00a0", "\u2009", "\x0b", "\x0c"])
_WS_SET = frozenset(_WS.tolist())


def _unique_text(u: np.ndarray):
    """np.unique(u, return_inverse=True) for a unicode array with many repeats (a plan's fasering
    rows): the distinct values through a dict, then only those sorted (~2x faster, same arrays)."""
    first: Dict[str, int] = {}
    inverse = np.fromiter((first.setdefault(v, len(first)) for v in u.tolist()), dtype=np.int64, count=len(u))
    distinct = np.array(list(first), dtype=u.dtype)
    order = np.argsort(distinct, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return distinct[order], rank[inverse]


def text_arrays(col: np.ndarray):
    """Vectorised views of an object column of str/None (see PlanTable.text)."""
    null = np.fromiter((v is None for v in col), dtype=bool, count=len(col))
    u = np.array(["" if v is None else v for v in col], dtype=str) if len(col) else np.empty(0, dtype=str)
    return views(u, null)


def views(u: np.ndarray, null: np.ndarray):
    """(values, NULL mask, blank mask) from a unicode array with '' where NULL."""
    if len(u) <= SMALL:                       # a few rows (the one-plan re-check): in Python
        blank = np.fromiter((n or v == "" or (v[0] in _WS_SET and v.strip() == "")
                             for v, n in zip(u.tolist(), null.tolist())), dtype=bool, count=len(u))
        return u, null, blank
    blank = null | (u == "")
    maybe = ~blank & isin_text(u.astype("U1"), _WS)        # starts with whitespace: check fully
    for i in np.nonzero(maybe)[0]:
        blank[i] = u[i].strip() == ""
    return u, null, blank


def _length(columns: Dict[str, Any], geometry: Any, fids: Any) -> int:
    if fids is not None:
        return len(fids)
    if geometry is not None:
        return len(geometry)
    for v in columns.values():
        if v is not None:
            return len(v)
    return 0
