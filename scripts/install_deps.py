"""Copy shapely 2 from this venv into a QGIS profile's python folder (QGIS puts that folder on
sys.path), for QGIS builds whose own shapely is older (Debian 12 ships 1.8). Same machine, same
Python: no download. Used by `make install` and the desktop test."""
from __future__ import annotations

import argparse
import os
import shutil
import sys

import shapely


def install(target: str) -> list:
    site = os.path.dirname(os.path.dirname(os.path.abspath(shapely.__file__)))
    os.makedirs(target, exist_ok=True)
    done = []
    for name in os.listdir(site):
        if name == "shapely" or name.startswith("shapely.libs") or (name.startswith("shapely-") and
                                                                     name.endswith(".dist-info")):
            dst = os.path.join(target, name)
            if os.path.exists(dst):
                shutil.rmtree(dst)
            shutil.copytree(os.path.join(site, name), dst)
            done.append(dst)
    return done


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("target", help="e.g. ~/.local/share/QGIS/QGIS3/profiles/default/python")
    for path in install(p.parse_args().target):
        print(path)
    sys.exit(0)
