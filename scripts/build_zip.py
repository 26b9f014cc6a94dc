"""Build dist/lmvw_plugin-<version>.zip: lmvw_plugin/ with metadata.txt and the compiled .qm,
without tests or caches. Installable with Plugins ▸ Install from ZIP.

The pure-Python libraries QGIS installs may lack (openpyxl and its et_xmlfile, both MIT) go into
lmvw_plugin/ext/ with their licence files, copied from the Python that runs this script;
lmvw_plugin/common/vendor.py uses them only when QGIS's Python has none of its own."""
from __future__ import annotations

import argparse
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis"}
SKIP_SUFFIX = (".pyc", ".pyo", "~")
BUNDLED = ("openpyxl", "et_xmlfile")             # pure Python, MIT: see README (Licences)


def _bundle(zf: zipfile.ZipFile) -> None:
    import importlib.metadata
    import importlib.util
    for name in BUNDLED:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(f"{name} is not installed in {sys.executable}: pip install -r requirements-dev.txt")
        src = list(spec.submodule_search_locations)[0]
        for folder, dirs, files in os.walk(src):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for fname in sorted(files):
                if not fname.endswith(SKIP_SUFFIX):
                    path = os.path.join(folder, fname)
                    zf.write(path, "lmvw_plugin/ext/" + os.path.relpath(path, os.path.dirname(src)))
        dist = importlib.metadata.distribution(name.replace("_", "-"))
        licences = [f for f in (dist.files or []) if "LICEN" in f.name.upper()]
        if not licences:
            raise SystemExit(f"{name}: no licence file found in its distribution")
        for f in licences:
            zf.write(str(f.locate()), f"lmvw_plugin/ext/{name}-{dist.version}.dist-info/{f.name}")


def version() -> str:
    with open(os.path.join(ROOT, "metadata.txt"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("version="):
                return line.split("=", 1)[1].strip()
    raise SystemExit("metadata.txt has no version")


def build(out: str) -> str:
    pkg = os.path.join(ROOT, "lmvw_plugin")
    qm = os.path.join(pkg, "i18n", "lmvw_nl.qm")
    if not os.path.exists(qm):
        raise SystemExit(f"{qm} is missing: run 'make transcompile' first")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".part"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder, dirs, files in os.walk(pkg):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                if name.endswith(SKIP_SUFFIX):
                    continue
                path = os.path.join(folder, name)
                zf.write(path, os.path.relpath(path, ROOT))
        zf.write(os.path.join(ROOT, "metadata.txt"), "lmvw_plugin/metadata.txt")
        zf.write(os.path.join(ROOT, "LICENSE"), "lmvw_plugin/LICENSE")
        _bundle(zf)
    os.replace(tmp, out)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default=os.path.join(ROOT, "dist", f"lmvw_plugin-{version()}.zip"))
    args = p.parse_args()
    print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
