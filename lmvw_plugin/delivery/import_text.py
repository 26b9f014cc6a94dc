"""The import's preview and result as text for the command line and Processing's log (pure)."""
from __future__ import annotations

from typing import List

from ..i18n import QT_TR_NOOP, tr, trn
from .importing import CONFLICT, NEW, UNCHANGED, UPDATE, ImportResult

_ACTIONS = {NEW: QT_TR_NOOP("new"), UPDATE: QT_TR_NOOP("update"), UNCHANGED: QT_TR_NOOP("unchanged"),
            CONFLICT: QT_TR_NOOP("conflict")}


def _show(v, limit: int = 60) -> str:
    text = "—" if v is None else str(v)
    text = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def summary_line(result: ImportResult) -> str:
    s = result.preview.summary
    values = trn(QT_TR_NOOP("{} value could not come over"), QT_TR_NOOP("{} values could not come over"),
                 s["problems"])
    return tr("{} new, {} updated, {} unchanged, {} conflicts; {}.", s["new"], s["updated"], s["unchanged"],
              s["conflicts"], values)


def report_lines(result: ImportResult, limit: int = 40) -> List[str]:
    """The preview per plan (changed plans first) and every problem, at most `limit` of each."""
    pv = result.preview
    out: List[str] = []
    for n in pv.notes:
        out.append(tr("Note: {}", n))
    shown = [a for a in pv.actions if a.action in (NEW, UPDATE, CONFLICT)]
    for a in shown[:limit]:
        line = f"{tr(_ACTIONS[a.action]):>10}  {_show(a.plannaam)} ({_show(a.plan_id, 36)})"
        if a.changes:
            line += ": " + "; ".join(f"{k} {_show(o, 30)} → {_show(n, 30)}" for k, (o, n) in a.changes.items())
        out.append(line)
    if len(shown) > limit:
        out.append(tr("… and {} more plans (all are in --json).", len(shown) - limit))
    if pv.problems:
        out.append(trn(QT_TR_NOOP("{} value could not come over:"), QT_TR_NOOP("{} values could not come over:"),
                       len(pv.problems)))
    for p in pv.problems[:limit]:
        out.append(f"✗ {_show(p.source, 30)} {_show(p.plannaam, 40)} {p.field} = {_show(p.value, 40)}: {p.reason}")
    if len(pv.problems) > limit:
        out.append(tr("… and {} more (all are in --json).", len(pv.problems) - limit))
    return out
