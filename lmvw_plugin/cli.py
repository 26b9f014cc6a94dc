"""Command line over the plugin's own code: new, validate, export, inspect, demo.

`python -m lmvw_plugin --help`. Messages are Dutch unless --lang en. Every user mistake ends in
a message that names the cause and the fix, and a non-zero exit; never a traceback.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import signal
import sys
from typing import List, Optional

from .common import timing
from .common.files import write_whole
from .common.jsontext import json_text
from .i18n import QT_TR_NOOP, n_errors, n_warnings, tr, trn, use_catalog
from .messages import (
    confidential_left_out_text,
    delivered_text,
    delivery_error_message,
    plugin_version,
    profile_ids,
    profiles_help,
    summary_text,
    unwritable_text,
)
from .standard import load

EXIT_OK, EXIT_ERRORS, EXIT_INPUT = 0, 1, 2
EXIT_SIGNAL = 128                 # + the signal's number: 129 SIGHUP, 130 SIGINT (Ctrl-C), 143 SIGTERM


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so that an export removes what it started."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_stopping: List[int] = []


def _on_signal(signum, frame) -> None:
    if _stopping:                 # already cleaning up after the first signal: let it finish
        return
    _stopping.append(signum)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt()
    raise Terminated(signum)


def _catch_signals() -> dict:
    """Install the handlers; returns the previous ones (main() puts them back)."""
    previous = {}
    _stopping.clear()
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        if hasattr(signal, name):
            try:
                previous[getattr(signal, name)] = signal.signal(getattr(signal, name), _on_signal)
            except (ValueError, OSError):            # not the main thread, or not allowed
                pass
    return previous


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def err(msg: str) -> None:
    print(msg, file=sys.stderr)


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("'{}' is not a date; write YYYY-MM-DD, e.g. 2026-10-01", text)) from None


# ------------------------------------------------------------------------------------------------
# reading input with clear messages


def read_input(path: str, standard, layer: Optional[str] = None, schema: Optional[str] = None):
    """(plans, fasering, info) from a file or a PostGIS register (PG:"…" with --schema), or None
    after printing why it cannot be read."""
    from .rules.table import SchemaError
    from .storage import ogr as ogrio
    from .storage import postgis as pgio
    if pgio.is_pg(path):
        return read_pg_input(path, standard, schema)
    try:
        plans, info, fasering = ogrio.read_plans_and_fasering(path, standard, layer, facts=True)  # validated next
    except SchemaError as e:
        names = ", ".join(e.missing)
        err(tr("{} does not have the Basisset fields. Missing: {}.", path, names))
        if path.lower().endswith(".shp"):
            err(tr("Shapefile field names are at most 10 characters, too short for the Basisset: "
                   "use a GeoPackage (python -m lmvw_plugin new)."))
        else:
            err(tr("Create a plan layer with 'python -m lmvw_plugin new' or add the missing fields."))
        return None
    except ogrio.SourceError as e:
        err({"not_found": tr("{} does not exist: check the path.", path),
             "no_layer": tr("{} has no layer with geometry: give the file with the plan layer.", path),
             "layer_not_found": tr("{} has no layer '{}': check --layer.", path, e.detail),
             "damaged": tr("{} is damaged ({}): restore it from a backup, or open it in QGIS and save the "
                           "layers to a new GeoPackage.", path, e.detail),
             "is_folder": tr("{} is a folder, not a file: give the GeoPackage with the plan layer.", path),
             "not_a_file": tr("{} is not a regular file (a pipe or a device): copy the data to a GeoPackage "
                              "and give that file.", path),
             "duplicate_fids": tr("Layer '{}' of {} has several features with the same feature id (a view?): "
                                  "give a table, or a view with a unique id.", e.detail, path),
             "no_transform": tr("{} is in {}, which cannot be transformed to EPSG:28992 (RD New): reproject the "
                                "layer to EPSG:28992 first (in QGIS: Export ▸ Save Features As).", path, e.detail),
             "bad_coordinates": tr("The coordinates of {} do not fit its CRS {} (RD coordinates labelled as "
                                   "degrees?): set the layer's right CRS, e.g. EPSG:28992.", path, e.detail),
             }.get(e.reason, tr("Cannot read {}: {}", path, e.detail or _damaged_text())))
        return None
    except (RuntimeError, MemoryError) as e:        # GDAL on a damaged file
        err(tr("Cannot read {}: {}", path, str(e) or _damaged_text()))
        return None
    except OSError as e:
        err(tr("Cannot read {}: {}", path, e))
        return None
    if info.epsg is not None and info.epsg != 28992:
        err(tr("Note: {} is in EPSG:{}; the geometries were transformed to EPSG:28992 (RD New).", path, info.epsg))
    if info.crs_undefined:
        err(tr("Note: {} has no coordinate reference system; the coordinates are taken as EPSG:28992 (RD New).",
               path))
    if info.curved:
        err(tr("Note: {} curved geometries were linearised (the delivery holds polygons).", info.curved))
    if info.flattened:
        err(tr("Note: {} geometries had Z or M values; they were dropped (the delivery is 2D).", info.flattened))
    if info.converted:
        err(tr("Note: {} geometries were TINs or polyhedral surfaces; they were read as multipolygons.",
               info.converted))
    if info.unreadable:
        err(tr("Note: {} geometries are damaged and cannot be read; they count as missing (G01): draw them "
               "again.", info.unreadable))
    return plans, fasering, info


# -- PostGIS (issue 12): PG:"service=…" or PG:"dbname=… host=…" with --schema ------------------------


def read_pg_input(source: str, standard, schema: Optional[str]):
    from .storage import postgis as pgio
    schema = schema or DEFAULT_SCHEMA
    try:
        plans, info = pgio.read_plans(source, schema, standard)
        fasering = pgio.read_fasering(source, schema, standard)
    except pgio.PgError as e:
        err(pgio.pg_error_text(e, source, schema))
        return None
    return plans, fasering, info


DEFAULT_SCHEMA = "public"


def cmd_new_pg(args, s) -> int:
    from .layers.create import CreateError
    from .layers.pgregister import create_register
    from .storage import postgis as pgio
    schema = args.schema or DEFAULT_SCHEMA
    try:
        create_register(args.out, schema, args.gemeente, s, args.lang)
    except pgio.PgError as e:
        err(pgio.pg_error_text(e, args.out, schema))
        return EXIT_INPUT
    except CreateError as e:
        err(tr("The tables were created, but the form and style could not be stored in the database ({}): "
               "apply them in QGIS with 'Formulieren toepassen'.", e.detail or e.reason))
        return EXIT_INPUT
    print(tr("Created the plan register in schema '{}' of {}: table '{}' and table '{}', with the database's "
             "checks, the form and style as default styles and a project in the database.", schema,
             pgio.display(args.out), s.layer_name, s.fasering_name))
    return EXIT_OK


def cmd_intake(args) -> int:
    """The province's intake (issue 12): every package inspected, then stored in one transaction."""
    from .delivery.intake import intake
    from .storage import postgis as pgio
    missing = [p for p in args.packages if not os.path.isfile(p)]
    for p in missing:
        err(tr("Cannot read {}: the file does not exist.", p))
    if missing:
        err(tr("Nothing was stored: give only existing packages."))
        return EXIT_INPUT
    pg = None
    try:
        pg = pgio.psycopg2()

        def show(o):
            name = safe(os.path.basename(o.path))
            if o.status == "refused":
                err(tr("✗ {}: refused, nothing of it is stored:", name))
                for p in o.problems:
                    err("    " + inspect_message(p))
                return
            print({"loaded": tr("✓ {}: {} {}, {} plans stored.", name, o.gemeentecode, o.uitvraag, o.plans),
                   "replaced": tr("✓ {}: {} {}, {} plans stored; they replace the earlier delivery.", name,
                                  o.gemeentecode, o.uitvraag, o.plans),
                   "unchanged": tr("= {}: {} {} is already stored unchanged.", name, o.gemeentecode, o.uitvraag),
                   }[o.status])
            for note in o.notes:          # a province file: what the intake could not check
                print("    " + safe(note, 600))
        outcomes = intake(args.packages, args.db, args.schema, args.lang, load(), progress=show,
                          replace_newer=args.replace_newer, uitvraag=args.uitvraag)
    except pgio.PgError as e:
        err(pgio.pg_error_text(e, args.db, args.schema))
        err(tr("Nothing was stored."))
        return EXIT_INPUT
    except (Terminated, KeyboardInterrupt):
        err(tr("Intake stopped: nothing was stored, the database is as it was."))
        raise
    except Exception as e:  # noqa: BLE001 - the database refused or failed: the transaction is rolled back
        if pg is None or not isinstance(e, pg.Error):
            raise
        err(tr("The database refused the intake ({}): nothing was stored, the database is as it was.",
               pgio.problem_text(pgio.db_problem(e, load()), load())))
        return EXIT_INPUT
    refused = [o for o in outcomes if o.status == "refused"]
    stored = len(outcomes) - len(refused)
    print(tr("Intake into schema '{}': {} packages stored or unchanged, {} refused.", args.schema, stored,
             len(refused)))
    return 3 if refused else EXIT_OK


def _damaged_text() -> str:
    return tr("the file is damaged or not a GeoPackage; check that it is the right file, or restore it from a backup")


def print_summary(report, lang: str, limit: int = 40) -> None:
    print(summary_text(report, lang, limit))


# ------------------------------------------------------------------------------------------------
# commands


def cmd_new(args) -> int:
    s = load()
    if getattr(args, "provincie", None):                 # the province's extra fields too (cli_province.py)
        from .standard.provinces import extend
        s = extend(s, args.provincie)
    if not s.valid_gemeentecode(args.gemeente):
        err(tr("'{}' is not a gemeentecode: write GM followed by 4 digits, e.g. GM0344 (Utrecht).", args.gemeente))
        return EXIT_INPUT
    if args.gemeente not in s.gemeenten:
        err(tr("Warning: {} is not in the CBS list of municipalities of {}; check the code.", args.gemeente,
               s.gemeenten_year))
    from .storage.postgis import is_pg
    if is_pg(args.out):
        return cmd_new_pg(args, s)
    path = os.path.abspath(args.out)
    if os.path.exists(path):
        err(tr("{} already exists: choose another name or remove the file first (nothing was changed).", path))
        return EXIT_INPUT
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        err(tr("The folder {} does not exist: create it or choose another place.", folder))
        return EXIT_INPUT
    from .common.files import writable
    if not writable(folder):
        err(unwritable_text(folder))
        return EXIT_INPUT
    from .layers.headless import qgis_app
    qgis_app()
    from .layers.create import CreateError, create_package
    try:
        create_package(path, args.gemeente, s, args.lang)
    except Exception as e:        # a full disk, GDAL or SQLite failing: one message (the file is removed)
        from .delivery.package import failure_cause, free_space
        kind, detail = failure_cause(e)
        free = free_space(folder)
        if kind == "no_space" or (free is not None and free < 2_000_000):   # a new GeoPackage takes ~1 MB
            err(tr("The disk of {} is full: make room or choose another place. Nothing was written.", folder))
        elif kind == "unwritable":
            err(unwritable_text(folder))
        elif isinstance(e, CreateError):
            err(tr("Could not create {}: {}", path, e.detail or e.reason))
        else:
            err(tr("Could not create {}: {}", path, detail or type(e).__name__))
        return EXIT_INPUT
    print(tr("Created {} for {} ({}): layer '{}' with the form and style, table '{}'.",
             path, s.gemeente_name(args.gemeente) or args.gemeente, args.gemeente, s.layer_name, s.fasering_name))
    return EXIT_OK


def cmd_validate(args) -> int:
    # a validation makes ~1 million objects and hardly any cycles: without the cyclic collector's
    # ~450 passes (0.1 s CPU, each holding up every thread) until it is done
    import gc
    was = gc.isenabled()
    gc.disable()
    try:
        return _validate(args)
    finally:
        if was:
            gc.enable()


def _validate(args) -> int:
    with timing.stage("imports"):
        from .rules.engine import Validator
        from .storage import ogr  # noqa: F401 - GDAL's import is timed apart from the reading
    from .common.paths import is_source
    if args.json and is_source(args.json, [args.input]):         # refused before the reading
        err(tr("{} is the file being validated (or one of its files): choose another name for --json. Nothing "
               "was written.", args.json))
        return EXIT_INPUT
    s = load()
    got = read_input(args.input, s, args.layer, args.schema)
    if got is None:
        return EXIT_INPUT
    plans, fasering, _info = got
    report = Validator(s, args.lang, args.peildatum).validate(plans, fasering)
    with timing.stage("summary"):
        print(tr("Validation of {}", args.input))
        print_summary(report, args.lang)
    if args.json:
        from .messages import write_text
        with timing.stage("JSON writing"):
            problem = write_text(args.json, report.to_json())
        if problem:
            err(problem)
            return EXIT_INPUT
        print(tr("Findings written to {}", args.json))
    return EXIT_ERRORS if report.errors else EXIT_OK


def _refused_message(e, lang) -> None:
    err(tr("Not exported: {} errors block a final delivery ({} warnings besides). Nothing was written.",
           e.errors, e.warnings))
    from .rules.findings import ERROR
    for f in [f for f in e.findings if f.severity == ERROR][:20]:
        err(f"● {f.rule} {f.plannaam or f.plan_id or '—'}: {f.message}")
    err(tr("Fix the errors, or deliberately make a concept delivery with --concept."))


def read_delivery_input(args, standard):
    """(plans, fasering, gemeente) for an export, or None after printing why not: the input cannot be
    read, holds no plans, or holds several gemeenten and --gemeente does not say which delivers."""
    from .delivery.package import single_gemeente
    got = read_input(args.input, standard, args.layer, getattr(args, "schema", None))
    if got is None:
        return None
    plans, fasering, _info = got
    if plans.n == 0:
        from .messages import no_plans_message
        err(no_plans_message(0))
        return None
    gemeente = args.gemeente or single_gemeente(plans)
    if not gemeente:
        codes = ", ".join(sorted({c for c in plans.columns["gemeentecode"].tolist() if c})) or "—"
        err(tr("The plans have several gemeentecodes ({}): say which gemeente delivers with --gemeente GMdddd.",
               codes))
        return None
    return plans, fasering, gemeente


def cmd_export(args) -> int:
    if getattr(args, "format", "lmvw") != "lmvw":          # a province's own format (cli_province.py)
        from .cli_province import cmd_export_province
        return cmd_export_province(args, read_delivery_input, err, _refused_message, _signal_name, Terminated,
                                   _stopping)
    from .delivery.package import DeliveryError, DeliveryRefused, export, package_name
    s = load()
    got = read_delivery_input(args, s)
    if got is None:
        return EXIT_INPUT
    plans, fasering, gemeente = got
    out = args.output
    if os.path.isdir(out):
        out = os.path.join(out, package_name(s, gemeente, args.uitvraag))
    prev = None
    if args.previous:                            # issue 11: compare with the previous delivery
        from .delivery.diff_command import read_previous
        prev = read_previous(args.previous, s, args.lang, inspect_message)
        if prev is None:
            return EXIT_INPUT
    try:
        result = export(plans, fasering, out, gemeente=gemeente, uitvraag=args.uitvraag, peildatum=args.peildatum,
                        profile=args.profile, concept=args.concept, overwrite=args.overwrite, lang=args.lang,
                        plugin_version=plugin_version(), standard=s, sources=[args.input, args.previous],
                        previous=prev)
    except DeliveryRefused as e:
        _refused_message(e, args.lang)
        return EXIT_ERRORS
    except DeliveryError as e:
        err(delivery_error_message(e))
        return EXIT_INPUT
    except (Terminated, KeyboardInterrupt) as e:   # export() removed its temporaries on the way out
        signum = e.signum if isinstance(e, Terminated) else int(signal.SIGINT)
        err(tr("Export stopped by {}: nothing was written, the temporary files are removed.", _signal_name(signum)))
        return EXIT_SIGNAL + signum
    _stopping.append(0)                          # the package is in place: a signal now changes nothing
    m = result.manifest
    c = m["counts"]
    print(tr("Package written: {}", result.zip_path))
    print(delivered_text(c))
    if c.get("confidential_left_out"):
        print(confidential_left_out_text(c["confidential_left_out"]))
    if c.get("not_delivered_internal"):
        print(trn(QT_TR_NOOP("{} plan with status 5A/5B is not delivered."),
                  QT_TR_NOOP("{} plans with status 5A/5B are not delivered."), c["not_delivered_internal"]))
    v = m["validation"]
    print(tr("Validation: {}, {}.", n_errors(v["errors"]), n_warnings(v["warnings"])))
    if m.get("changes"):
        ch = m["changes"]
        print(tr("Compared with the delivery {}: {} new, {} gone, {} changed, {} unchanged.",
                 m["previous"]["uitvraag"], ch["nieuw"], ch["verdwenen"], ch["gewijzigd"], ch["ongewijzigd"]))
    if m["concept"]:
        print(tr("This is a CONCEPT delivery (it contains errors).") if v["errors"]
              else tr("This is a CONCEPT delivery (chosen with --concept; it has no errors)."))
    return EXIT_OK


def safe(value, limit: int = 200) -> str:
    """Text from a received file, fit for a terminal: control and format characters (escape
    sequences, bidi overrides) shown as escapes, and at most `limit` characters."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def inspect_message(p) -> str:
    """One problem found by inspect, in the user's language, naming the cause."""
    a = {k: (v if isinstance(v, int) else safe(v)) for k, v in p.args.items()}
    why = {"directory": tr("a folder entry"), "backslash": tr("contains a backslash"),
           "absolute": tr("an absolute path"), "parent": tr("contains '..'"),
           "control": tr("contains control characters"), "duplicate": tr("a file is listed twice"),
           "unknown": tr("lists a file that is not part of a package")}
    kinds = {"integer": tr("an integer"), "text": tr("a text"), "true/false": tr("true or false"),
             "object": tr("an object"), "list": tr("a list"), "text or null": tr("a text or null"),
             "sha256": tr("a SHA-256 checksum (64 hex digits)")}
    if "why" in a:
        a["why"] = why.get(a["why"], a["why"])
    if "expected" in a and p.kind == "manifest_key":
        a["expected"] = kinds.get(a["expected"], a["expected"])
    texts = {
        "not_zip": tr("{name} is not a readable zip file ({reason})."),
        "too_many": tr("The zip holds {count} entries (at most {limit} are inspected): not a package of ours."),
        "duplicate": tr("{name} is in the zip {count} times: programs open different copies, so the package "
                        "cannot be trusted."),
        "bad_name": tr("Member '{name}' has a name no package has ({why})."),
        "extra": tr("{name}: not part of a package (not in the manifest)."),
        "encrypted": tr("{name} is encrypted: a package is never encrypted."),
        "compression": tr("{name} uses compression method {method}, which inspect does not read (only stored "
                          "and Deflate)."),
        "too_large": tr("{name} would unpack to {size} bytes, more than the limit of {limit}: not inflated."),
        "too_large_total": tr("The members would unpack to {size} bytes in total, more than the limit of "
                              "{limit}: not inflated."),
        "manifest_too_large": tr("manifest.json would unpack to {size} bytes, more than the limit of {limit}: "
                                 "not read."),
        "ratio": tr("{name} is compressed {ratio} to 1 (at most {limit} to 1 is accepted): a zip bomb, not "
                    "inflated."),
        "damaged": tr("{name} is damaged in the zip ({reason})."),
        "missing": tr("{name}: missing."),
        "not_listed": tr("{name}: not listed in the manifest."),
        "size": tr("{name}: size {size} differs from the manifest's {listed}."),
        "checksum": tr("{name}: checksum differs from the manifest (changed after export)."),
        "manifest_json": tr("manifest.json is not valid JSON ({reason})."),
        "manifest_key": tr("manifest.json: '{name}' is missing or not {expected}."),
        "manifest_value": tr("manifest.json: '{name}' is '{value}', expected {expected}."),
        "manifest_files": tr("manifest.json: '{name}' {why}: {value}"),
        "no_space": tr("Not enough space in the temporary folder {name}: {needed} MB needed, {free} MB free. "
                       "Free space there or set TMPDIR to another folder."),
        "tmp_failed": tr("Cannot write in the temporary folder {name} ({reason}): set TMPDIR to a folder where "
                         "you may write."),
        "gpkg_unreadable": tr("{name} is not a readable GeoPackage ({reason})."),
        "extra_table": tr("{name} holds a table that is not part of a package: {table}."),
        "columns": tr("{name}: columns differ from the profile's (extra: {extra}; missing: {missing})."),
        "never_leaves": tr("{name} contains the field {field}, which never leaves the gemeente."),
        "internal_status": tr("{name} contains {count} plans with status 5A/5B ({statuses}), which are never "
                              "delivered."),
        "other_gemeente": tr("{name} contains {count} plans of another gemeente ({codes})."),
        "confidential": tr("{name} contains {count} confidential plans, which profile {profile} leaves out."),
        "not_allowed": tr("{name} contains {count} plans that profile {profile} does not deliver (only {allowed})."),
        "free_text": tr("{name} contains the free-text field {field}, which profile {profile} leaves out."),
        "fasering_orphan": tr("{name}: {count} fasering rows belong to no delivered plan."),
        "count": tr("manifest.json: {name} is {manifest}, the GeoPackage has {package}."),
        "summary": tr("manifest.json: {name} is {manifest}, re-validation of the package finds {package}."),
        "csv_header": tr("{name}: columns differ from the GeoPackage's (missing: {missing}; extra: {extra})."),
        "csv_rows": tr("{name} has {csv} rows, the GeoPackage {gpkg}."),
        "csv_value": tr("{name} row {row}, field {field}: '{csv}' in the CSV, '{gpkg}' in the GeoPackage."),
        "active_content": tr("{name} contains active content ({found}), which a report never has: do not open it "
                             "in a browser."),
        "report_unreadable": tr("{name} is not UTF-8 text ({reason})."),
        "spatial_index": tr("{name}: the spatial index disagrees with {count} geometries (programs that use it "
                            "would show or select other plans)."),
        "csv_formula": tr("{name}: {count} text cells start with = + - @ or a tab (first: row {row}, field {field}); "
                          "a spreadsheet would run them as formulas. Do not open it in a spreadsheet."),
        "csv_cells": tr("{name} row {row} has {cells} cells, the header {header}."),
        "csv_unreadable": tr("{name} cannot be read as a UTF-8 CSV ({reason})."),
        "province_unreadable": tr("{name} cannot be read as a {format} file: {reason}"),
        "province_no_key": tr("{name} ({format}) does not say its gemeente and uitvraag (found: {gemeente}, "
                              "{uitvraag}): name the file lmvw_GMdddd_YYYY-najaar_… as the export does, or give "
                              "--uitvraag."),
        "older_delivery": tr("{name} (peildatum {peildatum}, made {created}) is older than the delivery of {gemeente} "
                             "{uitvraag} already stored, {stored} (peildatum {stored_peildatum}, made "
                             "{stored_created}): the stored one stays. Give --replace-newer to store the older one "
                             "anyway."),
    }
    a.setdefault("name", safe(p.name))
    for k in ("extra", "missing"):
        a.setdefault(k, "—")
    a.setdefault("plan_id", "—")
    text = texts.get(p.kind)
    if text is None:
        return safe(f"{p.name}: {p.kind} {p.detail}", 400)
    try:
        return text.format(**a)
    except (KeyError, IndexError, ValueError):
        return safe(f"{p.name}: {p.kind} {p.detail}", 400)


def _json_target_problem(path: str, package: str) -> Optional[str]:
    """Why --json FILE cannot be written (checked before the inspection), or None."""
    target = os.path.abspath(path)
    folder = os.path.dirname(target)
    try:
        same = os.path.exists(target) and os.path.samefile(target, package)
    except OSError:
        same = False
    if same:
        return tr("Cannot write {}: it is the package being inspected; give another file name.", path)
    if os.path.isdir(target):
        return tr("Cannot write {}: it is a folder; give a file name.", path)
    if not os.path.isdir(folder):
        return tr("Cannot write {}: the folder {} does not exist.", path, folder)
    if os.path.exists(target) and not os.access(target, os.W_OK):
        return tr("Cannot write {}: the file is read-only.", path)
    from .common.files import writable
    if not os.path.exists(target) and not writable(folder):
        return tr("Cannot write {}: you may not write in {}.", path, folder)
    return None


def cmd_inspect(args) -> int:
    from .delivery.inspect import UNREADABLE, inspect
    s = load()
    if not os.path.exists(args.package):
        err(tr("Cannot read {}: the file does not exist.", args.package))
        return EXIT_INPUT
    if not os.path.isfile(args.package):
        err(tr("Cannot read {}: it is not a file.", args.package))
        return EXIT_INPUT
    if args.json:
        why = _json_target_problem(args.json, args.package)
        if why:
            err(why)
            return EXIT_INPUT
    def stop(signum, _frame):
        raise SystemExit(128 + signum)            # unwinds: the temporary folder is removed
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if sig}
    try:
        result = inspect(args.package, args.lang, s)
    except MemoryError:
        err(tr("Cannot inspect {}: not enough memory.", args.package))
        return UNREADABLE
    except Exception as e:  # noqa: BLE001 - a receiver's tool answers, whatever the package holds
        err(tr("Inspection of {} failed unexpectedly ({}): the package could not be checked; please report "
               "this.", args.package, f"{type(e).__name__}: {e}"))
        return UNREADABLE
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    m = result.manifest
    if m:
        print(tr("Package {}: {} ({}), uitvraag {}, peildatum {}, profile {}{}.", safe(os.path.basename(args.package)),
                 safe(m.get("gemeentenaam") or "?", 60), safe(m.get("gemeentecode"), 20), safe(m.get("uitvraag"), 20),
                 safe(m.get("peildatum"), 20), safe(m.get("profile"), 30),
                 tr(", CONCEPT") if m.get("concept") is True else ""))
    for p in result.problems:
        err("✗ " + inspect_message(p))
    if result.unreadable:
        err(tr("The package cannot be read or inspected safely: ask the gemeente for a new one."))
    elif result.problems:
        err(tr("The package is incomplete or was changed after export: ask the gemeente for a new one."))
    if result.plans or not result.problems:
        print(tr("{} plans re-validated: {} errors, {} warnings.", result.plans, result.errors, result.warnings))
        from .rules.findings import ERROR
        for f in [f for f in result.findings if f.severity == ERROR][:20]:
            print(f"● {f.rule} {safe(f.plannaam or f.plan_id or '—', 80)}: {safe(f.message, 400)}")
    if args.json:
        try:
            write_whole(args.json, json_text({
                "exit_code": result.exit_code,
                "problems": [dict(p.as_dict(), message=inspect_message(p)) for p in result.problems],
                "plans": result.plans, "errors": result.errors, "warnings": result.warnings,
                "findings": [f.as_dict() for f in result.findings]}))
        except OSError as e:
            err(tr("Cannot write {}: {}", args.json, e.strerror or e))
            return EXIT_INPUT
    if result.exit_code == 0:
        print(tr("OK: complete, unchanged and valid."))
    return result.exit_code


def cmd_diff(args) -> int:
    # the standard library only: of each package the member compared, the GeoPackage, is hashed (for
    # inspect's checks, see compare_read.read_package) while GDAL and numpy are imported
    from .delivery import zipread
    from .delivery.names import GPKG
    zipread.start_niced([p for p in (args.previous, args.current) if p.lower().endswith(".zip")], only=(GPKG,))
    with timing.stage("imports"):
        from .delivery.diff_command import cmd_diff as run
    return run(args, inspect_message)
# -- import (issue 10): the work is in delivery/importing.py, the texts in delivery/import_text.py --


def _shown(path: str) -> str:
    """A path as messages show it: a PostGIS connection without its password."""
    if path and path.startswith("PG:"):
        from .storage.postgis import display
        return "PG:" + display(path)
    return path


def cmd_import(args) -> int:
    with timing.stage("import: imports"):
        from .delivery.importing import ImportRefused, exit_code, run_import
        from .delivery.package import failure_cause, is_source
    s = load()
    into = _shown(args.into)                                    # a PG:"…" without its password
    for out in (args.json, args.save_mapping):
        if out and (is_source(out, [args.source, args.into]) or os.path.isdir(out)):
            err(tr("{} is the source, the target or a folder: choose another file name. Nothing was written.", out))
            return EXIT_INPUT

    maker = None
    if not args.dry_run and not os.path.exists(args.into) and args.into.lower().endswith(".gpkg"):
        # QGIS starts in a child while the source is read
        from .layers.import_target import TargetMaker
        maker = TargetMaker()
        maker.start(args.lang)

    def create(path: str, code: str) -> None:
        if maker is not None and maker.make(path, code):
            return
        from .layers.create import create_package
        from .layers.headless import qgis_app
        with timing.stage("import: QGIS start"):
            qgis_app()
        create_package(path, code, s, args.lang)
    try:
        result = run_import(args.source, args.into, s, fmt=args.format, mapping_path=args.mapping,
                            gemeente=args.gemeente, dry_run=args.dry_run, lang=args.lang, layer=args.layer,
                            create_target=create, schema=args.schema,
                            prepare_target=maker.prepare if maker is not None else None)
    except ImportRefused as e:
        err(e.message)
        err(tr("Nothing was imported; {} is unchanged.", into))
        return EXIT_INPUT
    except (OSError, RuntimeError, MemoryError) as e:
        kind, detail = failure_cause(e)
        err(tr("Could not write {}: {}. Nothing was imported; the file is unchanged.", into,
               tr("the disk is full") if kind == "no_space" else (detail or type(e).__name__)))
        return EXIT_INPUT
    except Exception as e:  # noqa: BLE001 - sqlite3.Error and the like: one message, the target is unchanged
        err(tr("Could not write {}: {}. Nothing was imported; the file is unchanged.", into,
               f"{type(e).__name__}: {e}"))
        return EXIT_INPUT
    finally:
        if maker is not None:
            maker.close()
    with timing.stage("import: report"):
        return _import_report(args, result, exit_code)


def _import_report(args, result, exit_code) -> int:
    from .delivery.import_text import report_lines, summary_line
    source, into = _shown(args.source), _shown(args.into)
    print(tr("Import of {} ({}) into {}{}", source, result.source.format, into,
             tr(" (dry run: nothing written)") if args.dry_run else ""))
    for line in report_lines(result):
        print(line)
    print(summary_line(result))
    if result.written:
        again = f'"{into}" --schema {args.schema or DEFAULT_SCHEMA}' if args.into.startswith("PG:") else into
        print(tr("Written to {}; validate it with 'python -m lmvw_plugin validate {}'.", into, again))
    if args.save_mapping:
        try:
            result.mapping.save(args.save_mapping)
        except OSError as e:
            err(tr("Cannot write {}: {}", args.save_mapping, e.strerror or e))
            return EXIT_INPUT
        print(tr("Mapping written to {}", args.save_mapping))
    if args.json:
        try:
            write_whole(args.json, json_text(result.preview.to_json()))
        except OSError as e:
            err(tr("Cannot write {}: {}", args.json, e.strerror or e))
            return EXIT_INPUT
    return exit_code(result)


def _import_parser(sub, common) -> None:
    from .delivery.import_formats import FORMATS
    m = sub.add_parser("import", parents=[common], help=tr("bring plans in from a table, a province file or an "
                                                           "earlier package"),
                       description=tr("Exit 0 when everything came over, 1 when imported with values that could "
                                      "not come over (all listed), 2 when nothing was imported. The target is "
                                      "written only after the whole source was read, and is unchanged on any "
                                      "failure."))
    m.add_argument("source", metavar="SOURCE", help=tr("any table GDAL reads, or an lmvw_*.zip package"))
    m.add_argument("--into", required=True, metavar="PLANS.gpkg",
                   help=tr("the plan GeoPackage to add to (a new name makes a new one, as 'new' does), or a plan "
                           "register in PostGIS: PG:\"…\" with --schema"))
    m.add_argument("--format", default="auto", choices=FORMATS, help=tr("the source's format (default: detected)"))
    m.add_argument("--mapping", metavar="MAP.json", help=tr("a mapping file: source column → Basisset field"))
    m.add_argument("--save-mapping", metavar="MAP.json", help=tr("write the mapping used (to correct and reuse)"))
    m.add_argument("--gemeente", metavar="GMdddd", help=tr("gemeentecode for plans without one (and a new file)"))
    m.add_argument("--dry-run", action="store_true", help=tr("show the preview, write nothing"))
    m.add_argument("--json", metavar="REPORT.json", help=tr("write the preview and the problems as JSON"))
    m.add_argument("--layer", help=tr("layer or sheet of the source (default: the plan layer or the first)"))
    m.add_argument("--schema", help=tr("with PG:\"…\": the schema of the plan register (default public)"))
    m.set_defaults(func=cmd_import)


def cmd_demo(args) -> int:
    from .demo import DEMO_GEMEENTE
    from .demomake import make_demo
    return make_demo(args.out, DEMO_GEMEENTE, args.lang)


# ------------------------------------------------------------------------------------------------


def parser(lang: str = "nl") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m lmvw_plugin",
        description=tr("Basisset 2.0 housing plans for the LMVW: create a plan layer, validate it, "
                       "export the province's package, inspect a received package."))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["nl", "en"], default=os.environ.get("LMVW_LANG") or "nl",
                        help=tr("language of messages and findings (default nl)"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    n = sub.add_parser("new", parents=[common],
                       help=tr("create a GeoPackage with the plan layer, fasering table, form and style"))
    n.add_argument("out", metavar="OUT.gpkg", help=tr("the GeoPackage to create (must not exist)"))
    n.add_argument("--gemeente", required=True, metavar="GMdddd", help=tr("CBS code of the gemeente, e.g. GM0344"))
    n.add_argument("--schema", help=tr("with PG:\"…\": the schema of the plan register (default public)"))
    from .standard.provinces import provinces
    n.add_argument("--provincie", choices=provinces(),
                   help=tr("add the fields this province asks besides the Basisset (its own tab in the form)"))
    n.set_defaults(func=cmd_new)

    v = sub.add_parser("validate", parents=[common], help=tr("check every Basisset rule and print a summary"),
                       description=tr("Exit 0 without errors, 1 with errors, 2 when the input cannot be read."))
    v.add_argument("input", metavar="PLANS.gpkg", help=tr("plan layer: a GeoPackage or any file GDAL reads"))
    v.add_argument("--peildatum", type=_date, default=_dt.date.today(), metavar="YYYY-MM-DD",
                   help=tr("reference date for rules R19 and R23 (default today)"))
    v.add_argument("--json", metavar="FILE", help=tr("write the summary and every finding as JSON"))
    v.add_argument("--layer", help=tr("layer name in the file (default woningbouwplannen)"))
    v.add_argument("--schema", help=tr("with PG:\"…\": the schema of the plan register (default public)"))
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("export", parents=[common], help=tr("write the uitvraag package (zip) for the province"),
                       description=tr("Exit 0 on success, 1 when validation errors block it, 2 on bad input or a "
                                      "write failure, 128 + the signal's number when stopped (130 Ctrl-C, 129 "
                                      "SIGHUP, 143 SIGTERM). Nothing is written unless the whole package is."))
    e.add_argument("input", metavar="PLANS.gpkg")
    e.add_argument("--uitvraag", required=True, metavar="YYYY-voorjaar|YYYY-najaar", help=tr("e.g. 2026-najaar"))
    e.add_argument("--peildatum", type=_date, required=True, metavar="YYYY-MM-DD")
    e.add_argument("--gemeente", metavar="GMdddd",
                   help=tr("the delivering gemeente (default: the one gemeentecode all plans share)"))
    e.add_argument("--profile", default=load().delivery["default_profile"], choices=profile_ids(),
                   help=profiles_help(lang))
    e.add_argument("--concept", action="store_true", help=tr("deliver despite errors, marked as concept"))
    e.add_argument("--overwrite", action="store_true", help=tr("replace an existing package"))
    e.add_argument("-o", "--output", required=True, metavar="OUT.zip", help=tr("the zip to write, or a folder"))
    e.add_argument("--layer", help=tr("layer name in the file (default woningbouwplannen)"))
    e.add_argument("--previous", metavar="PREVIOUS.zip",
                   help=tr("the previous delivery: adds the changes since then to the report and the manifest"))
    e.add_argument("--schema", help=tr("with PG:\"…\": the schema of the plan register (default public)"))
    from .cli_province import format_choices, format_help  # province formats (cli_province.py)
    e.add_argument("--format", default="lmvw", choices=format_choices(), help=format_help())
    e.add_argument("--rfc7946", action="store_true",
                   help=tr("zuid-holland: write RFC 7946 GeoJSON in WGS84 instead of the province's EPSG:28992"))
    e.add_argument("--template", metavar="Gelderland.gdb.zip",
                   help=tr("gelderland: start from a copy of the province's own template (.gdb folder or its zip)"))
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("inspect", parents=[common],
                       help=tr("check a received package: checksums, contents, re-validation"),
                       description=tr("Exit 0 when complete, unchanged and valid; 1 validation errors; "
                                      "2 unreadable; 3 incomplete or changed."))
    i.add_argument("package", metavar="PACKAGE.zip")
    i.add_argument("--json", metavar="FILE", help=tr("write the result as JSON"))
    i.set_defaults(func=cmd_inspect)

    # issue 11: what changed since the previous delivery (delivery/diff_command.py)
    c = sub.add_parser("diff", parents=[common], help=tr("what changed since the previous delivery"),
                       description=tr("Exit 0 with or without changes, 2 when an input cannot be read."))
    c.add_argument("previous", metavar="PREVIOUS",
                   help=tr("the previous delivery: a package zip, or the file delivered in a province's format "
                           "(Gelderland, Zuid-Holland, Zeeland)"))
    c.add_argument("current", metavar="CURRENT", help=tr("the current plans: a package zip or a GeoPackage"))
    c.add_argument("--json", metavar="FILE", help=tr("write the summary, the changed plans and the findings as JSON"))
    c.set_defaults(func=cmd_diff)
    ik = sub.add_parser("intake", parents=[common],
                        help=tr("the province: inspect received packages and store them in a PostGIS database"),
                        description=tr("Exit 0 when every package is stored (or already stored unchanged), 3 when "
                                       "some were refused (the others are stored), 2 when the database cannot be "
                                       "used (nothing is stored)."))
    ik.add_argument("packages", nargs="+", metavar="PACKAGE.zip")
    ik.add_argument("--db", required=True, metavar='PG:"…"', help=tr('the database, e.g. PG:"service=provincie"'))
    ik.add_argument("--schema", default="provincie", help=tr("schema of the intake (default provincie)"))
    ik.add_argument("--uitvraag", metavar="YYYY-najaar",
                    help=tr("the uitvraag of province files whose name does not say it (a package's manifest does)"))
    ik.add_argument("--replace-newer", action="store_true",
                    help=tr("let a package with an older peildatum (or made earlier) replace the stored delivery of "
                            "its gemeente and uitvraag (default: it is refused)"))
    ik.set_defaults(func=cmd_intake)
    _import_parser(sub, common)

    d = sub.add_parser("demo", parents=[common], help=tr("create, validate and deliver the built-in demo plans"))
    d.add_argument("--out", default="out", help=tr("folder for the demo files (default ./out)"))
    d.set_defaults(func=cmd_demo)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    if hasattr(signal, "SIGPIPE"):               # `… | head` ends quietly, as Unix tools do
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    argv = list(sys.argv[1:] if argv is None else argv)
    timings = os.environ.get("LMVW_TIMINGS")      # a file: bench/breakdown.py's stage breakdown
    if timings:
        timing.enable()
    lang = "en" if ("--lang" in argv and argv[argv.index("--lang") + 1:][:1] == ["en"]) or \
        os.environ.get("LMVW_LANG") == "en" else "nl"
    if any(a in ("new", "demo") for a in argv[:3]):
        from .layers.headless import qgis_app, qt_core
        qgis_app()                    # these write forms and styles: QGIS must be the Qt application
        qt_core(lang)
    else:
        use_catalog(lang)             # validate, export, inspect: no Qt, no qgis (fast start)
    args = parser(lang).parse_args(argv)
    previous = _catch_signals()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        err(tr("Interrupted."))
        return EXIT_SIGNAL + int(signal.SIGINT)
    except Terminated as e:
        err(tr("Stopped by {}.", _signal_name(e.signum)))
        return EXIT_SIGNAL + e.signum
    finally:
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)
        if timings:
            timing.write(timings)
