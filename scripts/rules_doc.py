"""Write docs/regels.md from the standard's data file (the rules as users see them).
`python scripts/rules_doc.py` rewrites it; tests/test_docs.py checks it is up to date."""
from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from lmvw_plugin.standard import load, pick  # noqa: E402

OUT = os.path.join(ROOT, "docs", "regels.md")
SEVERITY = {"error": "fout", "warning": "waarschuwing"}
SCOPE = {"field": "per veld", "record": "per plan", "fasering": "fasering van een plan",
         "fasering_row": "faseringsrij", "geometry": "geometrie", "layer": "hele laag", "export": "bij levering",
         "previous": "t.o.v. vorige levering"}


def message_text(m) -> str:
    if isinstance(m, dict) and "nl" in m:
        return m["nl"]
    return " / ".join(pick(v, "nl") for v in m.values())


def render() -> str:
    s = load()
    lines = [
        f"# Regels van Basisset {s.version} (validatie)",
        "",
        f"Gegenereerd uit `lmvw_plugin/standard/basisset-{s.version}.json` door `scripts/rules_doc.py`; "
        "niet met de hand bewerken. De codes zijn stabiel: rapporten, tests en gebruikers verwijzen ernaar.",
        "",
        "*Generated from the standard's data file. Every rule runs in the dock (LMVW-controle), in Processing "
        "(`lmvw:validate`), on the command line (`python -m lmvw_plugin validate`) and in the delivery report; "
        "record rules also drive the constraints of the attribute form (hard for errors, soft or a ⚠ in the "
        "label for warnings).*",
        "",
        "Een **fout** blokkeert een definitieve levering; een **waarschuwing** niet.",
        "",
        "| code | ernst | bereik | regel |",
        "|---|---|---|---|",
    ]
    for r in s.rules:
        sev = {c.severity for c in s.checks_for_rule(r.code)} or {r.severity}
        sev |= set(r.raw.get("variant_severity", {}).values())
        sev_text = " / ".join(SEVERITY[x] for x in sorted(sev, key=lambda v: v != r.severity))
        lines.append(f"| {r.code} | {sev_text} | {SCOPE.get(r.scope, r.scope)} | {pick(r.title, 'nl')} |")
    lines += ["", "## Per regel", ""]
    for r in s.rules:
        lines.append(f"### {r.code} {pick(r.title, 'nl')}")
        lines.append("")
        lines.append(f"*{pick(r.title, 'en')}*")
        lines.append("")
        if r.scope == "previous":
            lines.append("Alleen als een vorige levering bekend is: `python -m lmvw_plugin diff`, `export --previous`, "
                         "*Vergelijk met vorige levering* in het exportvenster (en dan in de dock).")
            lines.append("")
        if r.params:
            lines.append("Parameters: " + ", ".join(f"`{k}` = {v}" for k, v in r.params.items()))
            lines.append("")
        checks = s.checks_for_rule(r.code)
        if r.scope == "field":
            fields = ", ".join(f"`{c.field}`" for c in checks)
            lines.append(f"Geldt voor: {fields}.")
            lines.append("")
            lines.append(f"Melding: “{message_text(r.raw['message'])}”")
            lines.append("")
            continue
        if checks:
            for c in checks:
                field = f" (veld `{c.field}`)" if c.field else ""
                lines.append(f"- **{c.id}**{field}, {SEVERITY[c.severity]}: {c.title_text('nl')}. "
                             f"Melding: “{message_text(c.message)}”")
            lines.append("")
        else:
            msg = r.raw.get("message") or r.raw.get("messages")
            lines.append(f"Melding: “{message_text(msg)}”")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(render())
    print(OUT)
