"""Pure-Python libraries the plugin zip carries for QGIS installs that lack them (openpyxl and
et_xmlfile, MIT licensed, in `lmvw_plugin/ext/`, put there by scripts/build_zip.py). The one the
Python already has is used first; the bundled copy only when it has none."""
from __future__ import annotations

import importlib
import os
import sys

EXT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ext")


def load(name: str):
    """Import `name`, from the bundled copy when the Python has none; ImportError when neither."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if not os.path.isdir(EXT):
            raise
        if EXT not in sys.path:
            sys.path.append(EXT)
        return importlib.import_module(name)
