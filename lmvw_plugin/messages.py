"""Texts shared by the command line, the dialogs, Processing and the plugin: the plugin's version,
the validation summary, what to tell a user when a delivery cannot be written."""
from __future__ import annotations

import os
from typing import Iterable, List, Optional, Sequence, Tuple

from .i18n import QT_TR_NOOP, n_errors, n_plans, n_warnings, tr, trn


def write_text(path: str, text: str) -> Optional[str]:
    """Write `text` to `path` whole or not at all (common.files.write_whole): None when written, else
    what to tell her (a full disk, or the system's reason); an earlier file of that name stays."""
    import errno

    from .common.files import write_whole
    try:
        write_whole(path, text)
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return tr("The disk of {} is full: make room or choose another place. Nothing was written.",
                      os.path.dirname(os.path.abspath(path)))
        return tr("Cannot write {}: {}", path, e.strerror or e)
    return None


def plugin_version() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.path.join(here, "metadata.txt"), os.path.join(os.path.dirname(here), "metadata.txt")):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("version="):
                        return line.split("=", 1)[1].strip()
    return "0"


# ------------------------------------------------------------------------------------------------
# preconditions every interface checks before it reads or writes (the dock, the dialogs, Processing,
# the plugin and the command line word them alike)


def either(names: Sequence[str]) -> str:
    """'a, b or c' in the user's language."""
    names = list(names)
    return names[0] if len(names) == 1 else tr("{} or {}", ", ".join(names[:-1]), names[-1])


def both(names: Sequence[str]) -> str:
    """'a, b and c' in the user's language."""
    names = list(names)
    return names[0] if len(names) == 1 else tr("{} and {}", ", ".join(names[:-1]), names[-1])


def lacks_fields_text(layer_name: str, missing: Iterable[str], shapefile: bool = False) -> str:
    """A layer without the Basisset fields: which are missing and, for a shapefile, why."""
    text = tr("Layer '{}' does not have the Basisset fields. Missing: {}.", layer_name, ", ".join(missing))
    if shapefile:
        text += " " + tr("Shapefile field names are at most 10 characters, too short for the Basisset: "
                         "use a GeoPackage made with 'New plan layer…'.")
    return text


def not_fasering_text(table_name: str, standard=None) -> str:
    """A table given as the fasering that lacks the fasering's required fields (named by the standard)."""
    from .standard import load
    s = standard or load()
    return tr("Table '{}' is not a fasering table: it needs the fields {}.", table_name,
              both([f.name for f in s.fasering_fields if f.required]))


def unsaved_edits_text(layer_name: str) -> str:
    """An export reads what is saved: a layer with unsaved edits is not exported."""
    return tr("'{}' has unsaved edits: save them first (Toggle Editing → Save). Nothing is exported from unsaved "
              "edits.", layer_name)


def unsaved_source_text(layer_name: str) -> str:
    """The import reads what a source layer has stored: one with unsaved edits is not read."""
    return tr("'{}' has unsaved edits, and the import reads what is stored: save or discard them first.", layer_name)


def unwritable_text(folder: str) -> str:
    return tr("Cannot write in {}: choose a folder where you may write.", folder)


def profile_ids(standard=None) -> List[str]:
    """The delivery profiles the standard defines, in its order (the choices of every interface)."""
    from .standard import load
    return list((standard or load()).profiles)


def profiles_help(lang: str, standard=None) -> str:
    """'provincie: …; provincie_volledig: …; openbaar: …': each profile with its explanation."""
    from .standard import load, pick
    s = standard or load()
    return "; ".join(f"{p.id}: {pick(p.explanation, lang).rstrip('.')}" for p in s.profiles.values())


def unknown_profile_text(profile: str, standard=None) -> str:
    return tr("Unknown profile '{}': choose {}.", profile, either(profile_ids(standard)))


def severity_counts(findings) -> Tuple[int, int]:
    """(errors, warnings) among findings."""
    from .rules.findings import ERROR, WARNING
    errors = sum(f.severity == ERROR for f in findings)
    return errors, sum(f.severity == WARNING for f in findings)


def summary_text(report, lang: str, limit: int = 40) -> str:
    """A validation report as the command line and `make demo` print it: the counts, the findings per
    rule with its title, the missing optional fields, the first `limit` findings (errors first)."""
    from .rules.findings import ERROR
    from .standard import load
    s = load()
    lines: List[str] = [tr("{}: {}, {} (peildatum {})", n_plans(report.plans), n_errors(report.errors),
                           n_warnings(report.warnings), report.peildatum.isoformat())]
    for code, count in report.by_rule.items():
        rule = s.rule_by_code[code]
        lines.append(f"  {code}  {count:6d}  {rule.title_text(lang)}")
    if report.missing_optional:
        names = ", ".join(report.missing_optional)
        lines.append(tr("Optional fields missing from the layer (treated as empty): {}", names))
    shown = sorted(report.findings, key=lambda f: (f.severity != ERROR, f.rule))[:limit]
    if shown:
        lines.append("")
    for f in shown:
        mark = "●" if f.severity == ERROR else "▲"
        name = f.plannaam or f.plan_id or "—"
        lines.append(f"{mark} {f.rule} {name}: {f.message}")
    rest = len(report.findings) - len(shown)
    if rest > 0:
        lines.append(tr("… and {} more findings (write them all with --json FILE).", rest))
    return "\n".join(lines)


def delivered_text(counts: dict) -> str:
    """'24 plans delivered (13 hard, 10 soft, 1 cancelled); bruto …': the parts add up to the
    plans (a cancelled plan counts as cancelled, whatever its planstatus)."""
    c = counts
    parts = [tr("{} hard", c["hard"]), tr("{} soft", c["soft"])]
    if c.get("vervallen"):
        parts.append(tr("{} cancelled", c["vervallen"]))
    other = c["plans"] - c["hard"] - c["soft"] - c.get("vervallen", 0)
    if other > 0:
        parts.append(tr("{} without a hard or soft planstatus", other))
    return trn(QT_TR_NOOP("{} plan delivered ({}); bruto {}, netto {}, rest {}."),
               QT_TR_NOOP("{} plans delivered ({}); bruto {}, netto {}, rest {}."), c["plans"],
               c["plans"], ", ".join(parts), c["bruto"], c["netto"], c["rest"])


def confidential_left_out_text(aggregate: dict) -> str:
    """What happens to the left-out confidential plans, as the manifest says it: their totals, or
    (fewer than the threshold, or a profile without aggregate) only their number."""
    n = int(aggregate.get("plans", 0))
    if "bruto" in aggregate:
        return trn(QT_TR_NOOP("{} confidential plan is left out; only its totals are in the manifest."),
                   QT_TR_NOOP("{} confidential plans are left out; only their totals are in the manifest."), n, n)
    if aggregate.get("totals_withheld"):
        return trn(QT_TR_NOOP("{} confidential plan is left out; the manifest gives only the number, no totals "
                              "(fewer than {} plans, so the totals would be its own numbers)."),
                   QT_TR_NOOP("{} confidential plans are left out; the manifest gives only their number, no totals "
                              "(fewer than {} plans, so the totals would reveal single plans)."),
                   n, n, aggregate.get("min_plans_for_totals", 3))
    return trn(QT_TR_NOOP("{} confidential plan is left out; the manifest gives only the number."),
               QT_TR_NOOP("{} confidential plans are left out; the manifest gives only their number."), n, n)


def no_plans_message(plans_in_layer) -> str:
    """No plan would be delivered: an empty package is never written (it would replace the last one)."""
    if str(plans_in_layer) == "0":
        return tr("The layer has no plans: draw or import the plans first. Nothing was written; an earlier "
                  "package stays as it is.")
    return trn(QT_TR_NOOP("The only plan in the layer would not be delivered (planstatus 5A/5B, confidential in "
                          "this profile, or of another municipality): check the municipality and the profile. Nothing "
                          "was written; an earlier package stays as it is."),
               QT_TR_NOOP("None of the {} plans in the layer would be delivered (planstatus 5A/5B, confidential in "
                          "this profile, or of another municipality): check the municipality and the profile. Nothing "
                          "was written; an earlier package stays as it is."), int(plans_in_layer or 0))


def delivery_error_message(e, overwrite: str = "--overwrite") -> str:
    """The message for a DeliveryError; `overwrite` names how this interface replaces a package."""
    if e.reason == "no_plans":
        return no_plans_message(e.detail)
    return {
        "bad_uitvraag": tr("'{}' is not an uitvraag: write the year and voorjaar or najaar, e.g. 2026-najaar.",
                           e.detail),
        "bad_profile": unknown_profile_text(e.detail),
        "bad_gemeente": tr("'{}' is not a gemeentecode: write GM followed by 4 digits, e.g. GM0344.", e.detail),
        "no_folder": tr("The folder {} does not exist: create it or choose another place.", e.detail),
        "unwritable": unwritable_text(e.detail),
        "exists": tr("{} already exists: choose another name, or replace it with {}.", e.detail, overwrite),
        "is_source": tr("{} is the source of the plans (or one of its files): an export never writes over its "
                        "source. Choose another name or folder for the package. Nothing was written.", e.detail),
        "not_package": tr("{} exists and is not an LMVW package: only a previous package is ever replaced. Choose "
                          "another name, or move the file away first. Nothing was written.", e.detail),
        "is_folder": tr("{} is a folder: give the name of the zip to write, e.g. lmvw_GM0344_2026-najaar.zip.",
                        e.detail),
        "no_space": _no_space(e),
        "too_big": tr("The package is too large for the file system of {} (FAT32 takes at most 4 GB per file): "
                      "choose a place on another disk. Nothing was written.", e.detail),
        "no_memory": tr("There was not enough memory to write the package: close other programs and try again. "
                        "Nothing was written."),
        "write_failed": tr("Writing the package failed: {}. Nothing was written.", e.detail) if e.detail else
        tr("Writing the package failed. Nothing was written."),
    }.get(e.reason, e.reason + (": " + e.detail if e.detail else ""))


def _mb(n: int, up: bool) -> int:
    return max(1, -(-n // 1_000_000)) if up else n // 1_000_000


def _no_space(e) -> str:
    if getattr(e, "needed", None) is None or getattr(e, "free", None) is None:
        return tr("The disk of {} is full: make room or choose another place. Nothing was written.", e.detail)
    return tr("The disk is full: the package needs about {} MB, {} MB is free at {}. Make room or choose another "
              "place. Nothing was written.", _mb(e.needed, True), _mb(e.free, False), e.detail)


# the province export (lmvw_plugin/delivery/province.py): the refusals that differ from the package's

def province_error_message(e, overwrite: str = "--overwrite") -> str:
    """The messages of the province export that differ from the package's."""
    if e.reason == "not_package":
        return tr("{} exists and was not written by a province export of this plugin: only such a file is ever "
                  "replaced. Choose another name, or move the file away first. Nothing was written.", e.detail)
    if e.reason == "no_writer":
        return tr("The format {} cannot be written by this version of the plugin (its writer is not installed). "
                  "Nothing was written.", e.detail)
    return delivery_error_message(e, overwrite)
