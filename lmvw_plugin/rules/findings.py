"""Findings, the report that groups them, and the message formatting both use."""
from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str                          # stable code: R04, G03, C03, ...
    severity: str                      # error | warning
    plan_id: Optional[str]
    field: Optional[str]
    message: str
    x: Optional[float] = None          # where the problem is, when known (source CRS)
    y: Optional[float] = None
    fid: Optional[int] = None          # feature id in the source layer
    plannaam: Optional[str] = None
    check: Optional[str] = None        # the check id, e.g. R07.2
    refs: Tuple[int, ...] = ()         # fids of the other plans the message names (C01-C03)

    def as_dict(self, full: bool = False) -> Dict[str, Any]:
        d = {"rule": self.rule, "severity": self.severity, "plan_id": self.plan_id,
             "field": self.field, "message": self.message}
        if full:
            d.update({"plannaam": self.plannaam, "x": self.x, "y": self.y})
        return d


def sort_key(f: Finding):
    return (f.fid if f.fid is not None else -1, f.rule, f.check or "", f.field or "", f.message)


@dataclass
class Report:
    findings: List[Finding]
    plans: int
    peildatum: _dt.date
    lang: str = "nl"
    missing_optional: List[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    @property
    def by_rule(self) -> Dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items()))

    def summary(self) -> Dict[str, Any]:
        return {"plans": self.plans, "errors": self.errors, "warnings": self.warnings,
                "by_rule": self.by_rule}

    def to_dict(self) -> Dict[str, Any]:
        return {"summary": self.summary(),
                "peildatum": self.peildatum.isoformat(),
                "findings": [f.as_dict(full=True) for f in self.findings]}

    def to_json(self, indent=None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def for_rule(self, code: str) -> List[Finding]:
        return [f for f in self.findings if f.rule == code]


# --------------------------------------------------------------------------------------------
# formatting values for messages


def fmt_number(v: Any, lang: str, decimals: int = 1) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, float) and v != v:
        return "NULL"
    if isinstance(v, (int,)) or (isinstance(v, float) and float(v).is_integer()):
        s = f"{int(v):,}"
    else:
        s = f"{float(v):,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return s


def fmt_coord(v: Any, lang: str, decimals: int = 1) -> str:
    """A coordinate: no thousands separator (130050,5 450050,0 in Dutch; 130050.5 in English)."""
    if v is None or (isinstance(v, float) and v != v):
        return "?"
    s = f"{float(v):.{decimals}f}"
    return s.replace(".", ",") if lang == "nl" else s


def fmt_beyond(v: float, bound: float, lang: str, decimals: int = 1) -> str:
    """`v`, a value that broke the limit `bound`, with as many decimals (from `decimals` on) as it
    takes not to read as the limit itself: 9.99 m² against a minimum of 10 m² is "9.99", not
    "10.0"."""
    v = float(v)
    if v == v and abs(v) != float("inf") and v != bound:
        for d in range(decimals, decimals + 7):
            if round(v, d) != bound:
                return fmt_number(round(v, d), lang, d)
    return fmt_number(v, lang, decimals)


def fmt_value(v: Any, lang: str) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return ("ja" if v else "nee") if lang == "nl" else ("yes" if v else "no")
    if isinstance(v, float):
        if v != v:
            return "NULL"
        if abs(v) >= 1e15 or v in (float("inf"), float("-inf")):    # as stored: 1e+30, not 30 digits
            return f"{v:g}"
        if v.is_integer():
            return str(int(v))
        return fmt_number(v, lang, 2)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return str(v)


class _Safe(dict):
    def __missing__(self, key):            # a template placeholder without a value stays visible
        return "{" + key + "}"


def render(template: str, **values: Any) -> str:
    return template.format_map(_Safe(values))
