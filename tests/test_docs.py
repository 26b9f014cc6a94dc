"""docs/regels.md is generated from the standard's data file and must be up to date."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_rules_doc_is_current():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import rules_doc
    with open(os.path.join(ROOT, "docs", "regels.md"), encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == rules_doc.render(), "run: python scripts/rules_doc.py"


def test_readme_starts_with_the_two_commands():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        head = fh.read(1500)
    assert head.index("make demo") < 1500 and head.index("make test") < 1500


def test_readme_names_what_exists():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    for name in ("lmvw:validate", "lmvw:exportdelivery", "docs/regels.md", "docs/qgis.png", "make bench",
                 "python -m lmvw_plugin validate", "python -m lmvw_plugin export", "python -m lmvw_plugin inspect",
                 "python -m lmvw_plugin new"):
        assert name in text, name
    for image in ("docs/qgis.png", "docs/form.png"):
        assert os.path.exists(os.path.join(ROOT, image))
    r = subprocess.run(["make", "-n", "demo", "test", "zip", "install", "run", "transup", "transcompile", "lint",
                        "bench"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
