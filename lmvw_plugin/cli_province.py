"""`export --format gelderland|zuid-holland|zeeland` on the command line: the province export
(lmvw_plugin/delivery/province.py) with the command line's messages and exit codes (those of the
package: 0 written, 1 validation errors, 2 bad input or a write failure, 128 + signal)."""
from __future__ import annotations

import os
import signal
from typing import List

from .i18n import n_errors, n_warnings, tr
from .messages import province_error_message
from .standard import load
from .standard.provinces import LMVW, ProvinceError, extend, load_province, provinces

EXIT_OK, EXIT_ERRORS, EXIT_INPUT, EXIT_SIGNAL = 0, 1, 2, 128


def format_choices() -> List[str]:
    return [LMVW] + provinces()


def format_help() -> str:
    names = ", ".join(f"{k} ({load_province(k).format_label()})" for k in provinces())
    return tr("what to write: lmvw (the LMVW package, default) or the format of a province: {}", names)


def cmd_export_province(args, read_delivery_input, err, refused_message, signal_name, terminated, stopping) -> int:
    from .delivery.package import DeliveryError, DeliveryRefused
    from .delivery.province import export_province
    try:
        prov = load_province(args.format)
    except ProvinceError:
        err(tr("'{}' is not a format: choose one of {}.", args.format, ", ".join(format_choices())))
        return EXIT_INPUT
    s = extend(load(), prov)
    got = read_delivery_input(args, s)
    if got is None:
        return EXIT_INPUT
    plans, fasering, gemeente = got
    if plans.missing_optional:
        extra = [n for n in prov.extra_field_names if n in plans.missing_optional]
        if extra:
            err(tr("Note: the layer lacks the fields {} asks for ({}); they count as empty. Add them with "
                   "'Formulieren toepassen' in QGIS.", prov.name(args.lang), ", ".join(extra)))
    out = args.output
    if os.path.isdir(out):
        out = os.path.join(out, prov.filename(gemeente, args.uitvraag))
    options = {}
    if getattr(args, "rfc7946", False):
        options["rfc7946"] = True
    if getattr(args, "template", None):
        options["template"] = os.path.abspath(args.template)
    try:
        result = export_province(plans, fasering, out, province=prov.key, gemeente=gemeente,
                                 uitvraag=args.uitvraag, peildatum=args.peildatum, profile=args.profile,
                                 concept=args.concept, overwrite=args.overwrite, lang=args.lang, options=options,
                                 standard=s, sources=[args.input])
    except DeliveryRefused as e:
        refused_message(e, args.lang)
        return EXIT_ERRORS
    except DeliveryError as e:
        err(province_error_message(e))
        return EXIT_INPUT
    except (terminated, KeyboardInterrupt) as e:
        signum = e.signum if isinstance(e, terminated) else int(signal.SIGINT)
        err(tr("Export stopped by {}: nothing was written, the temporary files are removed.", signal_name(signum)))
        return EXIT_SIGNAL + signum
    stopping.append(0)
    print(tr("{} written: {}", prov.format_label(args.lang), result.path))
    print(tr("Report: {}", result.report_path))
    print(tr("Plans delivered: {}.", len(result.records)))
    findings = result.shown + result.anonymous + result.export_findings
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    print(tr("Validation: {}, {}.", n_errors(errors), n_warnings(warnings)))
    if result.distributed:
        print(tr("For {} plans the split over years and categories was computed (not recorded); the report "
                 "lists them.", len(result.distributed)))
    if errors:
        print(tr("This is a CONCEPT delivery (it contains errors)."))
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# `make demo`: the demo plans in every province format whose writer is available

DEMO_HOMES = {  # a gemeente of each province and a woonplaats of it; the demo plans move there for its file
    "gelderland": ("GM0202", "Arnhem"),
    "zuid-holland": ("GM0599", "Rotterdam"),
    "zeeland": ("GM0687", "Middelburg"),
}
DEMO_EXTRAS = {
    "gelderland": {"gld_realisatiekans": "80%", "gld_sleutelproject": "Nee", "gld_knelpunt": "Netcongestie"},
    "zuid-holland": {"zh_categorie_planlijst": "1b kansrijke plannen", "zh_studentenwoningen": 0,
                     "zh_regio": "Rotterdam", "zh_knelpunten": "Netcongestie; Stikstof"},
    "zeeland": {"zl_regio": "Walcheren", "zl_knelpunten": "Nuts", "zl_woonmilieu": "Dorps",
                "zl_studentenwoningen": 0, "zl_sleutelproject": False},
}


def make_province_demos(out_dir: str, lang: str = "nl", today=None) -> int:
    """Write the demo plans in each province's format into out_dir/<province>/ (via a GeoPackage made
    with `new --provincie`); a format whose writer is not available is skipped with a line saying so.
    Returns the number of failures."""
    import datetime as _dt

    from .delivery.package import DeliveryError, DeliveryRefused, propose_uitvraag
    from .delivery.province import available, export_province
    from .demo import demo_plans
    from .layers.create import create_package
    from .layers.writer import add_records
    from .storage import ogr as ogrio

    today = today or _dt.date.today()
    uitvraag = propose_uitvraag(today)
    failures = 0
    for key in provinces():
        prov = load_province(key)
        if not available(prov.format):
            print(tr("{}: skipped, the writer for {} is not available in this version.", prov.name(lang), prov.format))
            continue
        gemeente, woonplaats = DEMO_HOMES.get(key, (None, None))
        if gemeente is None:
            print(tr("{}: skipped, the demo has no gemeente in this province.", prov.name(lang)))
            continue
        s = extend(load(), prov)
        folder = os.path.abspath(os.path.join(out_dir, key))
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "woningbouwplannen.gpkg")
        for p in (path, path + "-wal", path + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        pkg = create_package(path, gemeente, s, lang)
        plans = demo_plans(s, today=today)
        for r in plans.records:
            r.update(gemeentecode=gemeente, woonplaats=woonplaats, **DEMO_EXTRAS.get(key, {}))
        ok = add_records(pkg.plans, plans.records, plans.geometries) and add_records(pkg.fasering, plans.fasering)
        pkg.project.clear()
        if not ok:
            print(tr("{}: could not write the demo plans.", prov.name(lang)))
            failures += 1
            continue
        table, _ = ogrio.read_plans(path, s)
        fasering = ogrio.read_fasering(path, s)
        target = os.path.join(folder, prov.filename(gemeente, uitvraag))
        try:
            result = export_province(table, fasering, target, province=key, gemeente=gemeente, uitvraag=uitvraag,
                                     peildatum=today, overwrite=True, lang=lang, standard=s, concept=True)
        except (DeliveryError, DeliveryRefused) as e:
            print(tr("{}: the demo file failed: {}", prov.name(lang), province_error_message(e)
                     if isinstance(e, DeliveryError) else e))
            failures += 1
            continue
        errors = sum(f.severity == "error" for f in result.shown + result.export_findings)
        print(tr("{} ({} {}): {} (report {}), {}.", prov.format_label(lang), gemeente, s.gemeente_name(gemeente),
                 result.path, os.path.basename(result.report_path), n_errors(errors)))
    return failures
