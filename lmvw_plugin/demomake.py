"""`make demo`: create the demo GeoPackage through the plugin's own code, validate it and write
a delivery, headless."""
from __future__ import annotations

import datetime as _dt
import os
import time

from .i18n import QT_TR_NOOP, n_errors, n_plans, n_warnings, tr, trn


def make_demo(out_dir: str, gemeente: str, lang: str = "nl") -> int:
    from .delivery.package import DeliveryError, DeliveryRefused, export, package_name, propose_uitvraag
    from .demo import demo_plans
    from .layers.create import create_package
    from .layers.headless import qgis_app
    from .layers.writer import add_records
    from .messages import confidential_left_out_text, delivered_text, plugin_version, summary_text
    from .rules.engine import Validator
    from .rules.findings import fmt_number
    from .standard import load
    from .storage import ogr as ogrio

    s = load()
    qgis_app()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.abspath(os.path.join(out_dir, "woningbouwplannen.gpkg"))
    if os.path.exists(path):
        print(tr("Replacing the earlier demo file {}", path))
        for p in (path, path + "-wal", path + "-shm"):
            if os.path.exists(p):
                os.remove(p)
    t0 = time.perf_counter()
    pkg = create_package(path, gemeente, s, lang)
    plans = demo_plans(s)
    if not add_records(pkg.plans, plans.records, plans.geometries):
        errors = "; ".join(pkg.plans.commitErrors())
        print(tr("Could not write the demo plans: {}", errors))
        return 2
    if not add_records(pkg.fasering, plans.fasering):
        errors = "; ".join(pkg.fasering.commitErrors())
        print(tr("Could not write the demo fasering: {}", errors))
        return 2
    pkg.project.clear()
    seconds = fmt_number(time.perf_counter() - t0, lang, 1)
    rows = trn(QT_TR_NOOP("{} fasering row"), QT_TR_NOOP("{} fasering rows"), len(plans.fasering))
    print(tr("Demo GeoPackage: {} ({}, {}, gemeente {} {}), made in {} s",
             path, n_plans(len(plans)), rows, gemeente, s.gemeente_name(gemeente), seconds))

    table, _ = ogrio.read_plans(path, s)
    fasering = ogrio.read_fasering(path, s)
    today = _dt.date.today()
    report = Validator(s, lang, today).validate(table, fasering)
    print()
    print(tr("Validation"))
    print(summary_text(report, lang))

    uitvraag = propose_uitvraag(today)
    zip_path = os.path.abspath(os.path.join(out_dir, package_name(s, gemeente, uitvraag)))
    print()
    try:
        result = export(table, fasering, zip_path, gemeente=gemeente, uitvraag=uitvraag, peildatum=today,
                        profile="provincie", overwrite=True, lang=lang, plugin_version=plugin_version(), standard=s)
    except (DeliveryError, DeliveryRefused) as e:
        print(tr("The demo delivery failed: {}", e))
        return 1
    c = result.manifest["counts"]
    print(tr("Delivery: {}", result.zip_path))
    print(delivered_text(c))
    print(tr("Left out: {}.", trn(QT_TR_NOOP("{} plan 5A/5B"), QT_TR_NOOP("{} plans 5A/5B"),
                                  c["not_delivered_internal"])))
    if c.get("confidential_left_out", {}).get("plans", 0):
        print(confidential_left_out_text(c["confidential_left_out"]))
    v = result.manifest["validation"]
    print(tr("Validation of the delivery: {}, {}. Report: validatierapport.html in the zip.",
             n_errors(v["errors"]), n_warnings(v["warnings"])))
    print()
    from .cli_province import make_province_demos  # the province formats (cli_province.py)
    print(tr("The demo plans in the provinces' formats (moved to a gemeente of each province):"))
    if make_province_demos(out_dir, lang, today):
        return 1
    return 0
