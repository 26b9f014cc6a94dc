"""The standard, the rules, storage and delivery work without QGIS (command line, servers, CI).

A subprocess blocks `qgis` (sys.modules['qgis'] = None makes every `import qgis…` fail) before
importing them and running a validation, an incremental update, an export and an inspection.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "lmvw_plugin"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

MODULES = [
    "lmvw_plugin.common.files", "lmvw_plugin.common.threads", "lmvw_plugin.common.arrays", "lmvw_plugin.i18n",
    "lmvw_plugin.messages",
    "lmvw_plugin.standard",
    "lmvw_plugin.rules", "lmvw_plugin.rules.engine", "lmvw_plugin.rules.checks", "lmvw_plugin.rules.findings",
    "lmvw_plugin.rules.geometry", "lmvw_plugin.rules.incremental", "lmvw_plugin.rules.table",
    "lmvw_plugin.storage", "lmvw_plugin.storage.ogr",
    "lmvw_plugin.delivery", "lmvw_plugin.delivery.content", "lmvw_plugin.delivery.report",
    "lmvw_plugin.delivery.package", "lmvw_plugin.delivery.writers", "lmvw_plugin.delivery.inspect",
    "lmvw_plugin.demo",
]

BLOCK = "import sys\nsys.modules['qgis'] = None\n"


def python() -> str:
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def run_blocked(code: str, tmp_path=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([python(), "-c", BLOCK + textwrap.dedent(code)], cwd=str(tmp_path or ROOT), env=env,
                          capture_output=True, text=True, timeout=300)


def test_blocking_works():
    """The harness itself: with qgis blocked, importing it fails (so the tests below can fail)."""
    r = run_blocked("import qgis.core\n")
    assert r.returncode != 0 and "qgis" in r.stderr
    r = run_blocked("from qgis.PyQt.QtCore import QCoreApplication\n")
    assert r.returncode != 0
    # a module of the plugin that does need QGIS fails too
    r = run_blocked("import lmvw_plugin.layers.create\n")
    assert r.returncode != 0


@pytest.mark.parametrize("module", MODULES)
def test_imports_without_qgis(module):
    r = run_blocked(f"""
        import importlib
        importlib.import_module({module!r})
        loaded = [m for m, v in sys.modules.items() if v is not None and (m == "qgis" or m.startswith("qgis."))]
        assert not loaded, loaded
        """)
    assert r.returncode == 0, r.stderr


def test_validate_export_and_inspect_without_qgis(tmp_path):
    r = run_blocked(f"""
        import datetime as dt, os
        from lmvw_plugin.standard import load
        from lmvw_plugin.rules import Validator, PlanTable, FaseringTable
        from lmvw_plugin.rules.incremental import LayerValidator
        from lmvw_plugin.demo import demo_plans
        from lmvw_plugin.delivery.package import export
        from lmvw_plugin.delivery.inspect import inspect
        s = load()
        peildatum = dt.date(2026, 10, 1)
        ps = demo_plans(s, today=peildatum)
        plans = PlanTable.from_records(s, ps.records, ps.geometries)
        fas = FaseringTable.from_records(s, ps.fasering)
        report = Validator(s, "en", peildatum).validate(plans, fas, gemeente="GM0344")
        assert report.findings, "the demo has deliberate warnings"
        lv = LayerValidator(Validator(s, "en", peildatum), plans, fas)
        lv.update(deleted=[0])
        out = os.path.join({str(tmp_path)!r}, "lmvw_GM0344_2026-najaar.zip")
        export(plans, fas, out, gemeente="GM0344", uitvraag="2026-najaar", peildatum=peildatum, concept=True,
               lang="en")
        assert os.path.getsize(out) > 0
        inspect(out, lang="en")
        loaded = [m for m, v in sys.modules.items() if v is not None and (m == "qgis" or m.startswith("qgis."))]
        assert not loaded, loaded
        print("ok")
        """, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("ok")


def _qgis_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "qgis" or alias.name.startswith("qgis."):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and (node.module == "qgis" or node.module.startswith("qgis.")):
                yield node.lineno, node.module
        elif isinstance(node, ast.Call):
            # importlib.import_module("qgis...") / __import__("qgis...")
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                fn = node.func
                name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                if name in ("import_module", "__import__") and node.args[0].value.startswith("qgis"):
                    yield node.lineno, node.args[0].value


def test_finder_finds_qgis_imports(tmp_path):
    p = tmp_path / "x.py"
    p.write_text("import os\ndef f():\n    from qgis.core import QgsProject\n    import qgis.gui as g\n"
                 "    __import__('qgis.PyQt')\nfrom .qgisish import y\n", encoding="utf-8")
    assert [line for line, _ in _qgis_imports(p)] == [3, 4, 5]


@pytest.mark.parametrize("folder", ["common", "standard", "rules"])
def test_no_qgis_import_in_source(folder):
    files = sorted((PLUGIN / folder).rglob("*.py"))
    assert files
    found = [(str(f.relative_to(ROOT)), line, name) for f in files for line, name in _qgis_imports(f)]
    assert not found, found
