"""`python -m lmvw_plugin diff PREVIOUS.zip CURRENT(.zip|.gpkg) [--json CHANGES.json]`: what changed
since the previous delivery. Exit 0 with or without changes, 2 when an input cannot be read (with
the reason). cli.py registers the command; the wording of inspect's problems is passed in."""
from __future__ import annotations

import gc
import sys
from typing import Callable, Optional

from ..common import timing
from ..common.jsontext import json_text
from ..i18n import QT_TR_NOOP, tr, trn
from ..standard import Standard, load
from .compare import GEWIJZIGD, NIEUW, VERDWENEN, Changes, compare
from .compare_read import CompareError, confirm_both, read_both
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
    if args.json and is_source(args.json, [args.previous, args.current]):   # refused before the reading
        err(tr("{} is one of the files being compared: choose another name for --json. Nothing was written.",
               args.json))
        return EXIT_INPUT
    s = load()
    try:
        # the packages' own SHA-256 is not shown here (export --previous records it)
        # and of the packages only the fields compared (the others are not shown either)
        # and the comparison runs while the packages' checksums are still being checked: nothing of
        # it is shown before both packages passed inspect's checks (confirm_both)
        previous, current = read_both(args.previous, args.current, s, args.lang, checksum=False,
                                      compared_only=True, deferred=True)
        text = None
        try:
            with timing.stage("comparison"):
                changes = compare(s, previous, current, args.lang)
            if args.json:
                with timing.stage("JSON text"):
                    text = json_text(changes.to_dict())
        except Exception:
            confirm_both(previous, current)      # a changed package's values: refused as changed
            raise
        with timing.stage("checks (waiting)"):
            confirm_both(previous, current)
    except CompareError as e:
        err(compare_error_text(e, problem_text))
        return EXIT_INPUT
    with timing.stage("printing"):
        print_changes(changes)
    if text is not None:
        from ..messages import write_text
        with timing.stage("JSON writing"):
            problem = write_text(args.json, text)
        if problem:
            err(problem)
            return EXIT_INPUT
        print(tr("Changes written to {}", args.json))
    return EXIT_OK
