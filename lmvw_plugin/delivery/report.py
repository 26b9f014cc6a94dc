"""validatierapport.html: one self-contained page (inline CSS and SVG, no external resources)
that an alderman or the province can read and print: totals, three charts, every finding."""
from __future__ import annotations

import html
from collections import OrderedDict, defaultdict
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from ..rules.findings import Finding, fmt_number
from ..standard import Standard, pick

T = {
    "title": {"nl": "Validatierapport woningbouwplannen", "en": "Validation report housing plans"},
    "gemeente": {"nl": "Gemeente", "en": "Municipality"},
    "uitvraag": {"nl": "Uitvraag", "en": "Survey"},
    "peildatum": {"nl": "Peildatum", "en": "Reference date"},
    "profile": {"nl": "Profiel", "en": "Profile"},
    "created": {"nl": "Gemaakt op", "en": "Created on"},
    "concept": {"nl": "CONCEPT: deze levering bevat fouten en is geen definitieve levering.",
                "en": "CONCEPT: this delivery contains errors and is not a final delivery."},
    "totals": {"nl": "Totalen", "en": "Totals"},
    "plans": {"nl": "Plannen geleverd", "en": "Plans delivered"},
    "bruto": {"nl": "Bruto plancapaciteit", "en": "Gross plan capacity"},
    "netto": {"nl": "Netto plancapaciteit", "en": "Net plan capacity"},
    "rest": {"nl": "Restcapaciteit", "en": "Remaining capacity"},
    "hard": {"nl": "waarvan hard", "en": "of which hard"},
    "soft": {"nl": "waarvan zacht", "en": "of which soft"},
    "vervallen": {"nl": "Vervallen (geleverd, telt niet mee)", "en": "Cancelled (delivered, not counted)"},
    "gerealiseerd": {"nl": "Gerealiseerd", "en": "Completed"},
    "conf": {"nl": "Vertrouwelijke plannen, alleen als totaal", "en": "Confidential plans, totals only"},
    "internal": {"nl": "Plannen 5A/5B (niet geleverd)", "en": "Plans 5A/5B (not delivered)"},
    "chart_status": {"nl": "Bruto plancapaciteit per planstatus", "en": "Gross capacity per planning status"},
    "chart_price": {"nl": "Bruto plancapaciteit per prijscategorie", "en": "Gross capacity per price category"},
    "chart_year": {"nl": "Verwachte oplevering per jaar (fasering)", "en": "Expected delivery per year (phasing)"},
    "validation": {"nl": "Validatie", "en": "Validation"},
    "errors": {"nl": "fouten", "en": "errors"},
    "warnings": {"nl": "waarschuwingen", "en": "warnings"},
    "none": {"nl": "Geen bevindingen: alle regels van de Basisset zijn gehaald.",
             "en": "No findings: every Basisset rule is met."},
    "plan": {"nl": "Plan", "en": "Plan"},
    "rule": {"nl": "Regel", "en": "Rule"},
    "message": {"nl": "Bevinding", "en": "Finding"},
    "anonymous": {"nl": "Bevindingen bij plannen buiten deze levering (zonder namen)",
                  "en": "Findings on plans outside this delivery (without names)"},
    "no_data": {"nl": "geen gegevens", "en": "no data"},
    "dwellings": {"nl": "woningen", "en": "dwellings"},
    "footer": {"nl": "Gemaakt met lmvw_plugin {version}, Basisset {basisset}. De regels staan in "
                     "docs/regels.md van de plugin.",
               "en": "Made with lmvw_plugin {version}, Basisset {basisset}. The rules are described in "
                     "docs/regels.md of the plugin."},
}

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
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}
"""


def _t(key: str, lang: str) -> str:
    return pick(T[key], lang)


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


def render_report(standard: Standard, manifest: Dict[str, Any], columns: Dict[str, np.ndarray],
                  fasering_jaar: np.ndarray, fasering_aantal: np.ndarray, shown: List[Finding],
                  anonymous: List[Finding], lang: str) -> str:
    e = html.escape
    c = manifest["counts"]
    status = np.asarray(["" if v is None else v for v in columns["planstatus"]], dtype=str)
    active = ~(columns["vervallen"] == 1.0)
    bruto = np.where(active, np.nan_to_num(columns["bruto_plancapaciteit"], nan=0.0), 0.0)
    meta = [("gemeente", f"{manifest['gemeentenaam'] or ''} ({manifest['gemeentecode']})"),
            ("uitvraag", manifest["uitvraag"]), ("peildatum", manifest["peildatum"]),
            ("profile", manifest["profile"]), ("created", manifest["created_at"])]
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
        parts.append(f"<tr><td>{e(_t('conf', lang))}</td><td class='n'>{e(fmt_number(conf.get('plans', 0), lang))}"
                     f"{extra}</td></tr>")
    parts.append("</table>")
    parts.append(bar_chart(_t("chart_status", lang), status_bars(standard, status, bruto, lang), lang))
    parts.append(bar_chart(_t("chart_price", lang), price_bars(standard, columns, active, lang), lang))
    parts.append(bar_chart(_t("chart_year", lang), year_bars(fasering_jaar, fasering_aantal), lang))
    parts.append(f"<h2>{e(_t('validation', lang))}: {v['errors']} {e(_t('errors', lang))}, "
                 f"{v['warnings']} {e(_t('warnings', lang))}</h2>")
    parts.append(findings_html(standard, shown, lang))
    parts.append(anonymous_html(anonymous, lang))
    footer = _t("footer", lang).format(version=manifest["plugin_version"], basisset=manifest["basisset"])
    parts.append(f"<footer>{e(footer)}</footer></body></html>")
    return "\n".join(parts)
