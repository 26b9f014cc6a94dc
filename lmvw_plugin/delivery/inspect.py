"""What a province runs on receipt: is the package complete, untampered and valid?"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ..rules.engine import Validator
from ..rules.findings import Finding
from ..rules.table import SchemaError
from ..standard import Standard, load
from ..storage import ogr as ogrio
from .package import FILES, GPKG, MANIFEST
from .writers import sha256

OK, INVALID, UNREADABLE, TAMPERED = 0, 1, 2, 3


@dataclass
class Problem:
    kind: str                 # missing | extra | size | checksum | manifest | content
    name: str
    detail: str = ""


@dataclass
class Inspection:
    path: str
    manifest: Dict = field(default_factory=dict)
    problems: List[Problem] = field(default_factory=list)
    findings: List[Finding] = field(default_factory=list)
    plans: int = 0
    unreadable: str = ""

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return UNREADABLE
        if self.problems:
            return TAMPERED
        if self.errors:
            return INVALID
        return OK


def inspect(path: str, lang: str = "nl", standard: Optional[Standard] = None) -> Inspection:
    standard = standard or load()
    result = Inspection(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        result.unreadable = str(e)
        return result
    with zf:
        names = set(zf.namelist())
        if MANIFEST not in names:
            result.problems.append(Problem("missing", MANIFEST))
            return result
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            result.problems.append(Problem("manifest", MANIFEST, str(e)))
            return result
        result.manifest = manifest
        listed = {f["name"]: f for f in manifest.get("files", [])}
        for name in FILES:
            if name not in names:
                result.problems.append(Problem("missing", name))
            elif name not in listed:
                result.problems.append(Problem("manifest", name, "not listed"))
        for name in sorted(names - set(FILES) - {MANIFEST}):
            result.problems.append(Problem("extra", name))
        tmp = tempfile.mkdtemp(prefix="lmvw-inspect-")
        try:
            for name, entry in listed.items():
                if name not in names:
                    continue
                target = os.path.join(tmp, os.path.basename(name))
                with zf.open(name) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                size = os.path.getsize(target)
                if size != entry.get("size"):
                    result.problems.append(Problem("size", name, f"{size} != {entry.get('size')}"))
                elif sha256(target) != entry.get("sha256"):
                    result.problems.append(Problem("checksum", name))
            gpkg = os.path.join(tmp, GPKG)
            if os.path.exists(gpkg):
                _revalidate(result, gpkg, manifest, standard, lang)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return result


def _revalidate(result: Inspection, gpkg: str, manifest: Dict, standard: Standard, lang: str) -> None:
    try:
        plans, _ = ogrio.read_plans(gpkg, standard)
        fasering = ogrio.read_fasering(gpkg, standard)
    except (SchemaError, OSError) as e:
        result.problems.append(Problem("content", GPKG, str(e)))
        return
    result.plans = plans.n
    try:
        peildatum = _dt.date.fromisoformat(manifest.get("peildatum", ""))
    except ValueError:
        result.problems.append(Problem("manifest", MANIFEST, "peildatum"))
        peildatum = _dt.date.today()
    gemeente = manifest.get("gemeentecode") or None
    report = Validator(standard, lang, peildatum).validate(plans, fasering, gemeente=gemeente)
    result.findings = report.findings
    counts = manifest.get("counts", {})
    if counts.get("plans") != plans.n:
        result.problems.append(Problem("content", GPKG, f"{plans.n} plans, manifest says {counts.get('plans')}"))
    status = set(plans.columns["planstatus"].tolist())
    leaked = status & set(standard.internal_statuses)
    if leaked:
        result.problems.append(Problem("content", GPKG, "planstatus " + ", ".join(sorted(leaked))))
    for name in standard.delivery["never_leaves"]:
        if name not in plans.missing_optional and any(v is not None for v in plans.columns[name]):
            result.problems.append(Problem("content", GPKG, f"field {name} present"))
