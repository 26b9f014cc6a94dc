"""validatierapport.html: one self-contained page (inline CSS and SVG, no external resources)
that an alderman or the province can read and print: totals, three charts, every finding."""
from __future__ import annotations

import datetime as _dt
import html
from collections import OrderedDict, defaultdict
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..common.geo import shapely
from ..i18n import QT_TRANSLATE_NOOP, translated
from ..rules.findings import Finding, fmt_number
from ..standard import Standard, pick

# the report's texts: English source strings, their Dutch in the .ts file's context "Report"
T = {
    "title": QT_TRANSLATE_NOOP("Report", "Validation report housing plans"),
    "gemeente": QT_TRANSLATE_NOOP("Report", "Municipality"),
    "uitvraag": QT_TRANSLATE_NOOP("Report", "Survey"),
    "peildatum": QT_TRANSLATE_NOOP("Report", "Reference date"),
    "profile": QT_TRANSLATE_NOOP("Report", "Profile"),
    "created": QT_TRANSLATE_NOOP("Report", "Created on"),
    "concept": QT_TRANSLATE_NOOP("Report", "CONCEPT: this delivery contains errors and is not a final delivery."),
    "totals": QT_TRANSLATE_NOOP("Report", "Totals"),
    "plans": QT_TRANSLATE_NOOP("Report", "Plans delivered"),
    "bruto": QT_TRANSLATE_NOOP("Report", "Gross plan capacity"),
    "netto": QT_TRANSLATE_NOOP("Report", "Net plan capacity"),
    "rest": QT_TRANSLATE_NOOP("Report", "Remaining capacity"),
    "hard": QT_TRANSLATE_NOOP("Report", "of which hard"),
    "soft": QT_TRANSLATE_NOOP("Report", "of which soft"),
    "vervallen": QT_TRANSLATE_NOOP("Report", "Cancelled (delivered, not counted)"),
    "gerealiseerd": QT_TRANSLATE_NOOP("Report", "Completed"),
    "conf": QT_TRANSLATE_NOOP("Report", "Confidential plans, totals only"),
    "withheld": QT_TRANSLATE_NOOP("Report", "no totals: fewer than {n} plans"),
    "internal": QT_TRANSLATE_NOOP("Report", "Plans 5A/5B (not delivered)"),
    "chart_status": QT_TRANSLATE_NOOP("Report", "Gross capacity per planning status"),
    "chart_price": QT_TRANSLATE_NOOP("Report", "Gross capacity per price category"),
    "chart_year": QT_TRANSLATE_NOOP("Report", "Expected delivery per year (phasing)"),
    "validation": QT_TRANSLATE_NOOP("Report", "Validation"),
    "errors": QT_TRANSLATE_NOOP("Report", "errors"),
    "warnings": QT_TRANSLATE_NOOP("Report", "warnings"),
    "none": QT_TRANSLATE_NOOP("Report", "No findings: every Basisset rule is met."),
    "plan": QT_TRANSLATE_NOOP("Report", "Plan"),
    "rule": QT_TRANSLATE_NOOP("Report", "Rule"),
    "message": QT_TRANSLATE_NOOP("Report", "Finding"),
    "anonymous": QT_TRANSLATE_NOOP("Report", "Findings on plans outside this delivery (without names)"),
    "no_data": QT_TRANSLATE_NOOP("Report", "no data"),
    "dwellings": QT_TRANSLATE_NOOP("Report", "dwellings"),
    "footer": QT_TRANSLATE_NOOP("Report", "Made with lmvw_plugin {version}, Basisset {basisset}."),
    "rules": QT_TRANSLATE_NOOP("Report", "The rules of the findings"),
    "rules_intro": QT_TRANSLATE_NOOP("Report", "The rules of Basisset {basisset} this delivery has findings on. "
                                               "An error blocks a final delivery, a warning does not."),
    "error": QT_TRANSLATE_NOOP("Report", "error"),
    "warning": QT_TRANSLATE_NOOP("Report", "warning"),
    "plan_list": QT_TRANSLATE_NOOP("Report", "Delivered plans"),
    "map": QT_TRANSLATE_NOOP("Report", "Overview map of the delivered plans"),
    "map_hard": QT_TRANSLATE_NOOP("Report", "hard"),
    "map_soft": QT_TRANSLATE_NOOP("Report", "soft"),
    "map_vervallen": QT_TRANSLATE_NOOP("Report", "cancelled"),
    "map_scale": QT_TRANSLATE_NOOP("Report", "RD New (EPSG:28992), width {km} km"),
    "at": QT_TRANSLATE_NOOP("Report", "at"),
}

MONTHS = [    # one literal each, so that pylupdate5 (make transup) finds them
    QT_TRANSLATE_NOOP("Report", "January"), QT_TRANSLATE_NOOP("Report", "February"),
    QT_TRANSLATE_NOOP("Report", "March"), QT_TRANSLATE_NOOP("Report", "April"), QT_TRANSLATE_NOOP("Report", "May"),
    QT_TRANSLATE_NOOP("Report", "June"), QT_TRANSLATE_NOOP("Report", "July"), QT_TRANSLATE_NOOP("Report", "August"),
    QT_TRANSLATE_NOOP("Report", "September"), QT_TRANSLATE_NOOP("Report", "October"),
    QT_TRANSLATE_NOOP("Report", "November"), QT_TRANSLATE_NOOP("Report", "December"),
]


CSS = """
body{font-family:"Segoe UI",Arial,Helvetica,sans-serif;margin:2em auto;max-width:60em;color:#1d1d1d;
  padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}
h2{font-size:1.2em;border-bottom:2px solid #154273;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f3f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta td{border:none;padding:.1em .6em .1em 0}
.concept{background:#fde2e1;border:2px solid #c0392b;padding:.6em;font-weight:bold}
.sev-error{color:#b00020;font-weight:bold}.sev-warning{color:#9a6700;font-weight:bold}
.chart{page-break-inside:avoid;margin:1em 0}.rule{page-break-inside:avoid}
footer{margin-top:2em;color:#666;font-size:.85em}
.rules dt{font-weight:bold;margin-top:.6em}.rules dd{margin:.1em 0 0 1.5em}
.map svg{border:1px solid #ddd;background:#fafafa}.legend span{display:inline-block;width:1em;height:.8em;
  margin:0 .3em 0 1em;border:1px solid #555;vertical-align:middle}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}
"""


def _t(key: str, lang: str) -> str:
    return translated(T[key], lang, "Report")


def fmt_date(value, lang: str) -> str:
    """A date as people write it: 1 oktober 2026 / 1 October 2026 (accepts an ISO string)."""
    d = _dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{d.day} {translated(MONTHS[d.month - 1], lang, 'Report')} {d.year}"


def fmt_created(value: str, lang: str) -> str:
    """The manifest's UTC time stamp in Dutch local time: 1 december 2026 om 22:30 (CET)."""
    t = _dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)
    try:
        from zoneinfo import ZoneInfo
        t = t.astimezone(ZoneInfo("Europe/Amsterdam"))
    except Exception:  # noqa: BLE001 - no time zone data: stay in UTC, and say so
        pass
    return f"{fmt_date(t.date(), lang)} {_t('at', lang)} {t:%H:%M} ({t.tzname()})"


def bar_chart(title: str, bars: Sequence[Tuple[str, float, str]], lang: str, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG: bars are (label, value, colour)."""
    e = html.escape
    if not bars or max(v for _, v, _ in bars) <= 0:
        return f'<div class="chart"><h3>{e(title)}</h3><p>{e(_t("no_data", lang))}</p></div>'
    row, pad = 24, 70
    label_w = int(min(330, max(120, 7 * max(len(label) for label, _, _ in bars) + 12)))   # ~7 px a character
    h = row * len(bars) + 10
    vmax = max(v for _, v, _ in bars)
    scale = (width - label_w - pad) / vmax
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
             f'aria-label="{e(title)}" font-family="Arial, sans-serif" font-size="12">']
    for i, (label, value, colour) in enumerate(bars):
        y = 5 + i * row
        w = max(0.0, value * scale)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{e(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{e(fmt_number(value, lang))}</text>')
    parts.append("</svg>")
    return f'<div class="chart"><h3>{e(title)}</h3>{"".join(parts)}</div>'


STATUS_COLOURS = {"hard": "#1b7837", "soft": "#e08214", "internal": "#999999"}


def status_bars(standard: Standard, status: np.ndarray, bruto: np.ndarray, lang: str):
    bars = []
    for item in standard.codelists["planstatus"]:
        if item.group == "internal":
            continue
        value = float(bruto[status == item.code].sum())
        bars.append((pick(item.label, lang), value, STATUS_COLOURS.get(item.group or "", "#666")))
    return bars


def price_bars(standard: Standard, columns: Dict[str, np.ndarray], active: np.ndarray, lang: str):
    colours = ["#2166ac", "#4393c3", "#92c5de", "#5aae61", "#a6dba0", "#b35806", "#999999"]
    bars = []
    for d, c in zip([d for d in standard.derived if d.get("price_category")], colours):
        col = np.nan_to_num(columns[d["name"]], nan=0.0)
        bars.append((pick(d["label"], lang), float(col[active].sum()), c))
    return bars


def year_bars(jaar: np.ndarray, aantal: np.ndarray):
    ok = ~np.isnan(jaar)
    if not ok.any():
        return []
    years = sorted(set(int(y) for y in jaar[ok]))
    return [(str(y), float(np.nan_to_num(aantal[ok & (jaar == y)]).sum()), "#154273") for y in years]


def findings_html(standard: Standard, findings: List[Finding], lang: str) -> str:
    e = html.escape
    if not findings:
        return f"<p>{e(_t('none', lang))}</p>"
    groups: "OrderedDict[str, List[Finding]]" = OrderedDict()
    for f in sorted(findings, key=lambda f: (f.rule, f.plannaam or "", f.message)):
        groups.setdefault(f.rule, []).append(f)
    out = []
    for code, items in groups.items():
        rule = standard.rule_by_code.get(code)
        title = rule.title_text(lang) if rule else code
        sev = items[0].severity
        out.append(f'<div class="rule"><h3><span class="sev-{e(sev)}">{e(code)}</span> {e(title)} '
                   f'({len(items)})</h3><table><tr><th>{e(_t("plan", lang))}</th>'
                   f'<th>{e(_t("message", lang))}</th></tr>')
        for f in items:
            name = f.plannaam or f.plan_id or "—"
            out.append(f'<tr><td>{e(str(name))}</td><td><span class="sev-{e(f.severity)}">'
                       f'{"●" if f.severity == "error" else "▲"}</span> {e(f.message)}</td></tr>')
        out.append("</table></div>")
    return "".join(out)


def anonymous_html(findings: List[Finding], lang: str) -> str:
    if not findings:
        return ""
    by_rule: Dict[str, Dict[str, int]] = defaultdict(lambda: {"error": 0, "warning": 0})
    for f in findings:
        by_rule[f.rule][f.severity] += 1
    rows = "".join(f"<tr><td>{html.escape(r)}</td><td class='n'>{c['error']}</td><td class='n'>{c['warning']}</td></tr>"
                   for r, c in sorted(by_rule.items()))
    e = html.escape
    return (f"<h3>{e(_t('anonymous', lang))}</h3><table><tr><th>{e(_t('rule', lang))}</th>"
            f"<th>{e(_t('errors', lang))}</th><th>{e(_t('warnings', lang))}</th></tr>{rows}</table>")


def rules_html(standard: Standard, findings: List[Finding], lang: str, basisset: str) -> str:
    """The rule texts of the findings in the report (from the data file): a reader of the report
    has no copy of the plugin's documentation."""
    e = html.escape
    present: "OrderedDict[str, set]" = OrderedDict()
    for f in sorted(findings, key=lambda f: f.rule):
        present.setdefault(f.rule, set()).add(f.check or f.rule)
    if not present:
        return ""
    out = [f"<h2>{e(_t('rules', lang))}</h2><p>{e(_t('rules_intro', lang).format(basisset=basisset))}</p>"
           '<dl class="rules">']
    for code, checks in present.items():
        rule = standard.rule_by_code.get(code)
        if rule is None:
            continue
        sev = {c.severity for c in standard.checks_for_rule(code) if c.id in checks} or {rule.severity}
        sev |= {f.severity for f in findings if f.rule == code}
        sev_text = " / ".join(_t(x, lang) for x in sorted(sev, key=lambda v: v != "error"))
        out.append(f"<dt>{e(code)} {e(rule.title_text(lang))} ({e(sev_text)})</dt>")
        texts = [c.title_text(lang) for c in standard.checks_for_rule(code) if c.id in checks]
        for text in dict.fromkeys(t for t in texts if t):
            out.append(f"<dd>{e(text)}</dd>")
    out.append("</dl>")
    return "".join(out)


PLAN_COLUMNS = ["plannaam", "woonplaats", "planstatus", "vertrouwelijkheid", "bruto_plancapaciteit",
                "restcapaciteit", "opmerkingen"]


def plans_html(standard: Standard, columns: Dict[str, np.ndarray], lang: str) -> str:
    """The delivered plans, by name: only the columns the profile delivers (no opmerkingen in a
    public delivery)."""
    e = html.escape
    names = [n for n in PLAN_COLUMNS if n in columns]
    labels = {f.name: pick(f.label, lang) for f in standard.fields}
    labels.update({d["name"]: pick(d["label"], lang) for d in standard.derived})
    n = len(columns["plannaam"])
    if not n:
        return f"<h2>{e(_t('plan_list', lang))}</h2><p>{e(_t('no_data', lang))}</p>"
    code_labels = {}
    for name in ("planstatus", "vertrouwelijkheid"):
        cl = standard.field(name).codelist
        code_labels[name] = {item.code: pick(item.label, lang) for item in standard.codelists[cl]}
    vervallen = columns["vervallen"] == 1.0
    order = sorted(range(n), key=lambda i: (str(columns["plannaam"][i] or "").lower(), i))
    out = [f"<h2>{e(_t('plan_list', lang))} ({fmt_number(n, lang)})</h2><table><tr>"
           + "".join(f"<th>{e(labels.get(c, c))}</th>" for c in names) + "</tr>"]
    for i in order:
        cells = []
        for c in names:
            v = columns[c][i]
            if c in code_labels:
                text = code_labels[c].get(v, v or "")
                if c == "planstatus" and vervallen[i]:
                    text += f" ({_t('map_vervallen', lang)})"
                cells.append(f"<td>{e(str(text))}</td>")
            elif isinstance(v, (float, np.floating)):
                cells.append(f"<td class='n'>{e(fmt_number(float(v), lang)) if v == v else ''}</td>")
            else:
                cells.append(f"<td>{e('' if v is None else str(v))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


MAP_COLOURS = {"hard": "#1b7837", "soft": "#e08214", "vervallen": "#bbbbbb"}


def map_svg(standard: Standard, columns: Dict[str, np.ndarray], geometry: Optional[np.ndarray], lang: str,
            width: int = 640) -> str:
    """An overview map of the delivered plans' outlines as inline SVG (no background, no external
    resources): outlines simplified to half a pixel, coloured hard / soft / vervallen."""
    e = html.escape
    title = _t("map", lang)
    if geometry is None or not len(geometry):
        return ""
    present = np.fromiter((g is not None and not g.is_empty for g in geometry), dtype=bool, count=len(geometry))
    if not present.any():
        return f'<div class="chart map"><h2>{e(title)}</h2><p>{e(_t("no_data", lang))}</p></div>'
    idx = np.nonzero(present)[0]
    geoms = geometry[idx]
    minx, miny, maxx, maxy = (float(v) for v in shapely.total_bounds(geoms))
    span = max(maxx - minx, maxy - miny, 1.0)
    pad = 8
    scale = (width - 2 * pad) / span
    w = int(round((maxx - minx) * scale)) + 2 * pad
    h = int(round((maxy - miny) * scale)) + 2 * pad
    simple = shapely.simplify(geoms, 0.5 / scale, preserve_topology=False)
    status = np.asarray(["" if v is None else str(v) for v in columns["planstatus"][idx]], dtype=str)
    hard = np.isin(status, np.asarray(standard.hard_statuses, dtype=str))
    vervallen = columns["vervallen"][idx] == 1.0
    names = columns["plannaam"][idx]
    groups: Dict[str, List[str]] = {g: [] for g in MAP_COLOURS}
    for k in range(len(idx)):
        g = simple[k]
        if g is None or g.is_empty:
            g = geoms[k].representative_point()
        d = _svg_path(g, minx, maxy, scale, pad)
        if d:
            group = "vervallen" if vervallen[k] else ("hard" if hard[k] else "soft")
            groups[group].append(f'<path d="{d}"><title>{e(str(names[k] or ""))}</title></path>')
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
             f'role="img" aria-label="{e(title)}">']
    for group, paths in groups.items():
        if paths:
            parts.append(f'<g fill="{MAP_COLOURS[group]}" fill-opacity="0.6" stroke="#333" stroke-width="0.6" '
                         f'fill-rule="evenodd">{"".join(paths)}</g>')
    parts.append("</svg>")
    legend = "".join(f'<span style="background:{MAP_COLOURS[g]}"></span>{e(_t("map_" + g, lang))}'
                     for g in ("hard", "soft", "vervallen"))
    km = fmt_number(round(span / 1000.0, 1), lang, 1)
    return (f'<div class="chart map"><h2>{e(title)}</h2>{"".join(parts)}<p class="legend">{legend}'
            f' &nbsp; {e(_t("map_scale", lang).format(km=km))}</p></div>')


def _svg_path(g, minx: float, maxy: float, scale: float, pad: int) -> str:
    """SVG path data of a (multi)polygon's rings in pixels; a point becomes a small square."""
    if g.geom_type == "Point":
        x, y = (g.x - minx) * scale + pad, (maxy - g.y) * scale + pad
        return f"M{x - 1:.1f} {y - 1:.1f} {x + 1:.1f} {y - 1:.1f} {x + 1:.1f} {y + 1:.1f} {x - 1:.1f} {y + 1:.1f}Z"
    rings = shapely.get_rings(shapely.get_parts(g))
    out = []
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        if len(xy) < 3:
            continue
        px = np.round((xy[:, 0] - minx) * scale + pad, 1)
        py = np.round((maxy - xy[:, 1]) * scale + pad, 1)
        pts = " ".join(f"{a:g} {b:g}" for a, b in zip(px.tolist(), py.tolist()))
        out.append(f"M{pts}Z")
    return "".join(out)


def _profile_label(standard: Standard, profile: str, lang: str) -> str:
    p = standard.profiles.get(profile)
    return pick(p.label, lang) if p is not None else profile


def render_report(standard: Standard, manifest: Dict[str, Any], columns: Dict[str, np.ndarray],
                  fasering_jaar: np.ndarray, fasering_aantal: np.ndarray, shown: List[Finding],
                  anonymous: List[Finding], lang: str, geometry: Optional[np.ndarray] = None,
                  changes_section: str = "") -> str:
    """The report of one package, built only from what the package delivers: `columns` and
    `geometry` of the delivered plans, their fasering, the shown findings (of delivered plans, in
    wording that names no other plan) and the anonymous ones (counted per rule)."""
    e = html.escape
    c = manifest["counts"]
    status = np.asarray(["" if v is None else v for v in columns["planstatus"]], dtype=str)
    active = ~(columns["vervallen"] == 1.0)
    bruto = np.where(active, np.nan_to_num(columns["bruto_plancapaciteit"], nan=0.0), 0.0)
    meta = [("gemeente", f"{manifest['gemeentenaam'] or ''} ({manifest['gemeentecode']})"),
            ("uitvraag", manifest["uitvraag"]), ("peildatum", fmt_date(manifest["peildatum"], lang)),
            ("profile", _profile_label(standard, manifest["profile"], lang)),
            ("created", fmt_created(manifest["created_at"], lang))]
    total_rows = [("plans", c["plans"]), ("bruto", c["bruto"]), ("netto", c["netto"]), ("rest", c["rest"]),
                  ("hard", c["bruto_hard"]), ("soft", c["bruto_zacht"]), ("vervallen", c["vervallen"]),
                  ("gerealiseerd", c["gerealiseerd"]), ("internal", c.get("not_delivered_internal", 0))]
    conf = c.get("confidential_left_out") or {}
    v = manifest["validation"]
    parts = [
        "<!DOCTYPE html>", f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(_t('title', lang))} {e(manifest['gemeentecode'])} {e(manifest['uitvraag'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(_t('title', lang))}</h1>",
        '<table class="meta">' + "".join(f"<tr><td>{e(_t(k, lang))}</td><td><b>{e(str(val))}</b></td></tr>"
                                         for k, val in meta) + "</table>",
    ]
    if manifest.get("concept"):
        parts.append(f'<p class="concept">{e(_t("concept", lang))}</p>')
    parts.append(f"<h2>{e(_t('totals', lang))}</h2><table>")
    parts += [f"<tr><td>{e(_t(k, lang))}</td><td class='n'>{e(fmt_number(val, lang))}</td></tr>"
              for k, val in total_rows]
    if conf:
        extra = f" ({e(fmt_number(conf['bruto'], lang))} {e(_t('dwellings', lang))})" if "bruto" in conf else ""
        if conf.get("totals_withheld"):
            extra = f" ({e(_t('withheld', lang).format(n=conf.get('min_plans_for_totals', '')))})"
        parts.append(f"<tr><td>{e(_t('conf', lang))}</td><td class='n'>{e(fmt_number(conf.get('plans', 0), lang))}"
                     f"{extra}</td></tr>")
    parts.append("</table>")
    parts.append(bar_chart(_t("chart_status", lang), status_bars(standard, status, bruto, lang), lang))
    parts.append(bar_chart(_t("chart_price", lang), price_bars(standard, columns, active, lang), lang))
    parts.append(bar_chart(_t("chart_year", lang), year_bars(fasering_jaar, fasering_aantal), lang))
    if changes_section:                     # Wijzigingen sinds <uitvraag> (delivery/changes_report.py)
        parts.append(changes_section)
    parts.append(f"<h2>{e(_t('validation', lang))}: {v['errors']} {e(_t('errors', lang))}, "
                 f"{v['warnings']} {e(_t('warnings', lang))}</h2>")
    parts.append(findings_html(standard, shown, lang))
    parts.append(anonymous_html(anonymous, lang))
    parts.append(rules_html(standard, shown + anonymous, lang, manifest["basisset"]))
    parts.append(map_svg(standard, columns, geometry, lang))
    parts.append(plans_html(standard, columns, lang))
    footer = _t("footer", lang).format(version=manifest["plugin_version"], basisset=manifest["basisset"])
    parts.append(f"<footer>{e(footer)}</footer></body></html>")
    return "\n".join(parts)
