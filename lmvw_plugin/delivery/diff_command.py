"""`python -m lmvw_plugin diff PREVIOUS.zip CURRENT(.zip|.gpkg) [--json CHANGES.json]`: what changed
since the previous delivery. Exit 0 with or without changes, 2 when an input cannot be read (with
the reason). cli.py registers the command; the wording of inspect's problems is passed in."""
from __future__ import annotations

import errno
import gc
import json
import os
import sys
from typing import Callable, Optional

from ..common import timing
from ..common.files import write_whole
from ..i18n import QT_TR_NOOP, tr, trn
from ..standard import Standard, load
from .compare import GEWIJZIGD, NIEUW, VERDWENEN, Changes, compare
from .compare_read import CompareError, read_both
from .compare_read import read_previous as read_previous_delivery
from .package import is_source

EXIT_OK, EXIT_INPUT = 0, 2


def err(msg: str) -> None:
    print(msg, file=sys.stderr)


def compare_error_text(e: CompareError, problem_text: Optional[Callable] = None) -> str:
    """Why an input of the comparison cannot be read, and what to do."""
    if e.reason == "not_found":
        return tr("{} does not exist: check the path.", e.path)
    if e.reason == "not_file":
        return tr("Cannot read {}: it is not a file.", e.path)
    if e.reason == "province":
        return tr("{} cannot be compared: {}", e.path, e.detail)
    if e.reason == "schema":
        return tr("{} does not have the Basisset fields. Missing: {}.", e.path, e.detail)
    if e.reason == "package":
        lines = [tr("{} cannot be compared: it is not a complete, unchanged LMVW package. Use the package as it "
                    "was exported (from the delivery folder, or the province's copy).", e.path)]
        if problem_text is not None:
            lines += ["✗ " + problem_text(p) for p in e.problems[:10]]
        return "\n".join(lines)
    return tr("Cannot read {}: {}", e.path, e.detail)


def read_previous(path: str, standard: Standard, lang: str, problem_text=None):
    """The previous delivery (a package or a province file), or None after printing why it cannot
    be used."""
    try:
        return read_previous_delivery(path, standard, lang)
    except CompareError as e:
        err(compare_error_text(e, problem_text))
        return None


def print_changes(changes: Changes, limit: int = 30) -> None:
    c = changes.counts
    total = changes.summary()
    print(tr("Compared with the delivery {}: {} new, {} gone, {} changed, {} unchanged.",
             changes.previous.uitvraag or "?", c[NIEUW], c[VERDWENEN], c[GEWIJZIGD], c["ongewijzigd"]))
    print(tr("Phasing: {} dwelling-years later, {} dwelling-years earlier; {} dwellings delivered since.",
             total["vertraging_woningjaren"], total["versnelling_woningjaren"], total["gerealiseerd_sinds"]))
    if total["proposed_matches"]:
        print(trn(QT_TR_NOOP("{} plan was matched by name and geometry because its plan id changed (V05)."),
                  QT_TR_NOOP("{} plans were matched by name and geometry because their plan ids changed (V05)."),
                  total["proposed_matches"]))
    labels = {NIEUW: tr("new"), VERDWENEN: tr("gone"), GEWIJZIGD: tr("changed")}
    shown = 0
    for p in changes.plans:
        if shown >= limit:
            print(tr("… and {} more (all of them with --json).", len(changes.plans) - shown))
            break
        fields = ", ".join(dict.fromkeys(ch["field"] for ch in p.changes))
        print(f"  {labels[p.kind]:<10} {p.plannaam or p.plan_id or '—'}" + (f": {fields}" if fields else ""))
        shown += 1
    for f in changes.findings[:limit]:
        print(f"▲ {f.rule} {f.plannaam or f.plan_id or '—'}: {f.message}")


def cmd_diff(args, problem_text=None) -> int:
    # a short command that creates ~a million objects and no garbage cycles worth collecting:
    # Python's cycle collector would walk them over and over (~5 % of its CPU)
    gc.disable()
    try:
        return _cmd_diff(args, problem_text)
    finally:
        gc.enable()


def _cmd_diff(args, problem_text=None) -> int:
    s = load()
    try:
        # the packages' own SHA-256 is not shown here (export --previous records it)
        # and of the packages only the fields compared (the others are not shown either)
        previous, current = read_both(args.previous, args.current, s, args.lang, checksum=False,
                                      compared_only=True)
    except CompareError as e:
        err(compare_error_text(e, problem_text))
        return EXIT_INPUT
    if args.json and is_source(args.json, [args.previous, args.current]):
        err(tr("{} is one of the files being compared: choose another name for --json. Nothing was written.",
               args.json))
        return EXIT_INPUT
    with timing.stage("comparison"):
        changes = compare(s, previous, current, args.lang)
    with timing.stage("printing"):
        print_changes(changes)
    if args.json:
        try:
            with timing.stage("JSON writing"):
                write_whole(args.json, json_text(changes.to_dict()))
        except OSError as e:
            if e.errno in (errno.ENOSPC, errno.EDQUOT):
                err(tr("The disk of {} is full: make room or choose another place. Nothing was written.",
                       os.path.dirname(os.path.abspath(args.json))))
            else:
                err(tr("Cannot write {}: {}", args.json, e.strerror or e))
            return EXIT_INPUT
        print(tr("Changes written to {}", args.json))
    return EXIT_OK


class _NotPlain(Exception):
    pass


def json_text(obj) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=2)`, the same text, about three times faster:
    Python's encoder runs in Python when it indents (its C encoder only writes without indent).
    Anything other than dicts with text keys, lists, tuples, text, numbers, booleans and None is
    left to json.dumps."""
    out: list = []
    try:
        _encode(obj, "\n", out)
    except _NotPlain:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return "".join(out)


_escape = json.encoder.encode_basestring           # the C one when there is one, as json.dumps uses


def _float(v: float) -> str:
    if v != v:
        return "NaN"
    if v == float("inf"):
        return "Infinity"
    if v == -float("inf"):
        return "-Infinity"
    return float.__repr__(v)


def _encode(o, nl: str, out: list) -> None:
    """Append o's JSON; `nl`: a newline and the indentation of o's own line."""
    if isinstance(o, str):
        out.append(_escape(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in o:
            out.append(sep)
            _encode(v, inner, out)
            sep = "," + inner
        out.append(nl + "]")
    elif isinstance(o, dict):
        if not o:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in o.items():
            if not isinstance(k, str):
                raise _NotPlain
            out.append(sep)
            out.append(_escape(k))
            out.append(": ")
            _encode(v, inner, out)
            sep = "," + inner
        out.append(nl + "}")
    else:
        raise _NotPlain


