"""The validatierapport's section *Wijzigingen sinds <uitvraag>*: counts per kind of change,
capacity per status group then and now, the fasering then and now as a chart, and the plans per
kind. Built only from what the package may say: a plan that the profile keeps out (in the previous
delivery or in this one) is never named; it counts in the numbers per kind only, and its capacity
and delays stay out of the totals (Changes.summary)."""
from __future__ import annotations

import html
from typing import Dict, List, Optional, Sequence, Tuple

from ..i18n import QT_TRANSLATE_NOOP, translated
from ..rules.findings import fmt_number
from ..standard import Profile, Standard, pick
from .compare import GEWIJZIGD, NIEUW, ONGEWIJZIGD, VERDWENEN, Changes, PlanChange, per_year

T = {
    "title": QT_TRANSLATE_NOOP("Report", "Changes since {uitvraag}"),
    "intro": QT_TRANSLATE_NOOP("Report", "Compared with the previous delivery {uitvraag} (peildatum {peildatum}, "
                                         "SHA-256 {sha})."),
    NIEUW: QT_TRANSLATE_NOOP("Report", "new"),
    VERDWENEN: QT_TRANSLATE_NOOP("Report", "gone"),
    GEWIJZIGD: QT_TRANSLATE_NOOP("Report", "changed"),
    ONGEWIJZIGD: QT_TRANSLATE_NOOP("Report", "unchanged"),
    "kind": QT_TRANSLATE_NOOP("Report", "Kind of change"),
    "plans": QT_TRANSLATE_NOOP("Report", "Plans"),
    "proposed": QT_TRANSLATE_NOOP("Report", "of which matched by name and geometry (plan id changed)"),
    "not_named": QT_TRANSLATE_NOOP("Report", "Plans counted but not named (the profile keeps them out, now or in "
                                             "the previous delivery): {n}"),
    "capacity": QT_TRANSLATE_NOOP("Report", "Capacity per status group, then and now"),
    "then": QT_TRANSLATE_NOOP("Report", "then"),
    "now": QT_TRANSLATE_NOOP("Report", "now"),
    "hard": QT_TRANSLATE_NOOP("Report", "hard"),
    "soft": QT_TRANSLATE_NOOP("Report", "soft"),
    "bruto": QT_TRANSLATE_NOOP("Report", "Gross plan capacity"),
    "netto": QT_TRANSLATE_NOOP("Report", "Net plan capacity"),
    "rest": QT_TRANSLATE_NOOP("Report", "Remaining capacity"),
    "delay": QT_TRANSLATE_NOOP("Report", "Delay: {later} dwelling-years later, {earlier} dwelling-years earlier; "
                                         "{realised} dwellings delivered since."),
    "chart": QT_TRANSLATE_NOOP("Report", "Expected delivery per year, then and now"),
    "list": QT_TRANSLATE_NOOP("Report", "Plans per kind of change"),
    "fields": QT_TRANSLATE_NOOP("Report", "What changed"),
    "none": QT_TRANSLATE_NOOP("Report", "none"),
    "geometry": QT_TRANSLATE_NOOP("Report", "geometry"),
    "moved": QT_TRANSLATE_NOOP("Report", "geometry moved"),
    "area": QT_TRANSLATE_NOOP("Report", "area"),
    "hard_zacht": QT_TRANSLATE_NOOP("Report", "hard/soft"),
    "fasering": QT_TRANSLATE_NOOP("Report", "phasing"),
    "vertraging": QT_TRANSLATE_NOOP("Report", "{n} dwelling-years later"),
    "versnelling": QT_TRANSLATE_NOOP("Report", "{n} dwelling-years earlier"),
}

THEN_COLOUR, NOW_COLOUR = "#9ecae1", "#154273"


def _t(key: str, lang: str) -> str:
    return translated(T[key], lang, "Report")


def paired_bar_chart(title: str, rows: Sequence[Tuple[str, float, float]], legend: Tuple[str, str], lang: str,
                     width: int = 640) -> str:
    """Two horizontal bars per row (then, now) as inline SVG, like the report's other charts."""
    e = html.escape
    if not rows or max(max(a, b) for _, a, b in rows) <= 0:
        return f'<div class="chart"><h3>{e(title)}</h3><p>{e(translated("no data", lang, "Report"))}</p></div>'
    bar, gap, label_w, pad = 10, 8, 80, 70
    row_h = 2 * bar + gap
    h = row_h * len(rows) + 30
    vmax = max(max(a, b) for _, a, b in rows)
    scale = (width - label_w - pad) / vmax
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
             f'aria-label="{e(title)}" font-family="Arial, sans-serif" font-size="11">']
    for i, (label, a, b) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + bar + 4}" text-anchor="end">{e(label)}</text>')
        for j, (v, colour) in enumerate(((a, THEN_COLOUR), (b, NOW_COLOUR))):
            w = max(0.0, v * scale)
            yy = y + j * bar
            parts.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar - 1}" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{yy + bar - 2}">{e(fmt_number(v, lang))}</text>')
    y = h - 12
    parts.append(f'<rect x="{label_w}" y="{y - 8}" width="10" height="8" fill="{THEN_COLOUR}"/>'
                 f'<text x="{label_w + 14}" y="{y}">{e(legend[0])}</text>'
                 f'<rect x="{label_w + 80}" y="{y - 8}" width="10" height="8" fill="{NOW_COLOUR}"/>'
                 f'<text x="{label_w + 94}" y="{y}">{e(legend[1])}</text>')
    parts.append("</svg>")
    return f'<div class="chart"><h3>{e(title)}</h3>{"".join(parts)}</div>'


def field_label(standard: Standard, name: str, lang: str) -> str:
    if name in standard.field_by_name:
        return pick(standard.field(name).label, lang)
    for d in standard.derived:
        if d["name"] == name:
            return pick(d["label"], lang)
    special = {"geometrie": "geometry", "geometrie_verplaatst": "moved", "geometrie_oppervlakte": "area",
               "hard_zacht": "hard_zacht", "fasering": "fasering"}
    return _t(special[name], lang) if name in special else name


def _what(standard: Standard, p: PlanChange, lang: str) -> str:
    shown = []
    for c in p.changes:
        f = c["field"]
        if f in ("planstatus_richting", "vertraging_woningjaren", "versnelling_woningjaren"):
            continue
        label = field_label(standard, f, lang)
        if f in ("planstatus", "hard_zacht") or (f in standard.field_by_name and standard.field(f).type == "int") \
                or f in ("netto_plancapaciteit", "restcapaciteit"):
            old = _t(c["old"], lang) if f == "hard_zacht" and c["old"] else c["old"]
            new = _t(c["new"], lang) if f == "hard_zacht" and c["new"] else c["new"]
            shown.append(f"{label} {'—' if old is None else old} → {'—' if new is None else new}")
        else:
            shown.append(label)
    if p.vertraging:
        shown.append(_t("vertraging", lang).format(n=fmt_number(p.vertraging, lang)))
    if p.versnelling:
        shown.append(_t("versnelling", lang).format(n=fmt_number(p.versnelling, lang)))
    return "; ".join(shown)


def changes_html(standard: Standard, changes: Changes, profile: Optional[Profile], lang: str) -> str:
    """The section, naming only the plans `profile` delivers then and now."""
    e = html.escape
    prev = changes.previous
    summary = changes.summary(profile, standard)
    intro = _t("intro", lang).format(uitvraag=prev.uitvraag or "?", peildatum=prev.peildatum or "?",
                                     sha=prev.sha256[:12] or "?")
    out: List[str] = [f"<h2>{e(_t('title', lang).format(uitvraag=prev.uitvraag or '?'))}</h2>",
                      f"<p>{e(intro)}</p>"]
    out.append(f"<table><tr><th>{e(_t('kind', lang))}</th><th>{e(_t('plans', lang))}</th></tr>")
    for k in (NIEUW, VERDWENEN, GEWIJZIGD, ONGEWIJZIGD):
        out.append(f"<tr><td>{e(_t(k, lang))}</td><td class='n'>{e(fmt_number(summary[k], lang))}</td></tr>")
    if summary["proposed_matches"]:
        out.append(f"<tr><td>{e(_t('proposed', lang))}</td>"
                   f"<td class='n'>{e(fmt_number(summary['proposed_matches'], lang))}</td></tr>")
    out.append("</table>")
    if summary.get("not_named"):
        out.append(f"<p>{e(_t('not_named', lang).format(n=summary['not_named']))}</p>")
    cap = summary["capacity"]
    out.append(f"<h3>{e(_t('capacity', lang))}</h3><table><tr><th></th>")
    for g in ("hard", "soft"):
        out.append(f"<th>{e(_t(g, lang))}, {e(_t('then', lang))}</th><th>{e(_t(g, lang))}, {e(_t('now', lang))}</th>")
    out.append("</tr>")
    for key in ("bruto", "netto", "rest"):
        cells = "".join(f"<td class='n'>{e(fmt_number(cap[w][g][key], lang))}</td>"
                        for g in ("hard", "soft") for w in ("then", "now"))
        out.append(f"<tr><td>{e(_t(key, lang))}</td>{cells}</tr>")
    out.append("</table>")
    delay = _t("delay", lang).format(later=fmt_number(summary["vertraging_woningjaren"], lang),
                                     earlier=fmt_number(summary["versnelling_woningjaren"], lang),
                                     realised=fmt_number(summary["gerealiseerd_sinds"], lang))
    out.append(f"<p>{e(delay)}</p>")
    years = _years_named(changes, profile, standard)
    out.append(paired_bar_chart(_t("chart", lang), [(str(y), a, b) for y, (a, b) in years.items()],
                                (_t("then", lang), _t("now", lang)), lang))
    named = changes.named(profile, standard)
    out.append(f"<h3>{e(_t('list', lang))}</h3>")
    for k in (NIEUW, VERDWENEN, GEWIJZIGD):
        items = [p for p in named if p.kind == k]
        out.append(f"<h4>{e(_t(k, lang))} ({len(items)})</h4>")
        if not items:
            out.append(f"<p>{e(_t('none', lang))}</p>")
            continue
        out.append(f"<table><tr><th>{e(translated('Plan', lang, 'Report'))}</th>"
                   + (f"<th>{e(_t('fields', lang))}</th>" if k == GEWIJZIGD else "") + "</tr>")
        for p in items:
            name = e(str(p.plannaam or p.plan_id or "—"))
            what = f"<td>{e(_what(standard, p, lang))}</td>" if k == GEWIJZIGD else ""
            out.append(f"<tr><td>{name}</td>{what}</tr>")
        out.append("</table>")
    return "\n".join(out)


def _years_named(changes: Changes, profile: Optional[Profile], standard: Standard) -> Dict[int, Tuple[float, float]]:
    """Dwellings per year then and now over the plans the profile delivers (each side by its own
    values): a left-out plan's fasering never shows through the chart."""
    if profile is None:
        return changes.years
    ok_old, ok_new = changes.allowed(profile, standard)
    then = per_year(changes.previous.fasering, changes.fasering_rows_old, ok_old)
    now = per_year(changes.current.fasering, changes.fasering_rows_new, ok_new)
    return {y: (then.get(y, 0.0), now.get(y, 0.0)) for y in sorted(set(then) | set(now))}
