"""Put shapely 2 into a QGIS profile's python folder (QGIS puts that folder on sys.path), for QGIS
builds whose own shapely is older (Debian 12 ships 1.8). Used by `make install` and the desktop test.

On Linux QGIS links the system's GEOS into its executable, and a shapely wheel's calls then go to
that GEOS, not to the copy the wheel brings: the shapely must be built for a GEOS that is not newer
(lmvw_plugin/deps.py). This venv's shapely is copied when it is; otherwise pip installs the series
that is (e.g. shapely 2.0 for Debian 12's GEOS 3.11), with this Python (the one QGIS runs)."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

import shapely

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lmvw_plugin.deps import shapely_requirement  # noqa: E402


def qgis_geos() -> tuple:
    """The GEOS QGIS runs: the system's, which GDAL/OGR (the system's too) links."""
    from osgeo import ogr
    return ogr.GetGEOSVersionMajor(), ogr.GetGEOSVersionMinor()


def install(target: str) -> list:
    os.makedirs(target, exist_ok=True)
    for name in os.listdir(target):                     # an earlier install, of either kind
        if name == "shapely" or name.startswith("shapely.libs") or (name.startswith("shapely-") and
                                                                     name.endswith(".dist-info")):
            shutil.rmtree(os.path.join(target, name))
    geos = qgis_geos()
    if tuple(shapely.geos_version[:2]) > geos:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-input",
                        "--no-deps", "--only-binary", ":all:", "--target", target, shapely_requirement(geos)],
                       check=True)
        return sorted(os.path.join(target, n) for n in os.listdir(target) if n.startswith("shapely"))
    site = os.path.dirname(os.path.dirname(os.path.abspath(shapely.__file__)))
    done = []
    for name in os.listdir(site):
        if name == "shapely" or name.startswith("shapely.libs") or (name.startswith("shapely-") and
                                                                     name.endswith(".dist-info")):
            dst = os.path.join(target, name)
            shutil.copytree(os.path.join(site, name), dst)
            done.append(dst)
    return done


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("target", help="e.g. ~/.local/share/QGIS/QGIS3/profiles/default/python")
    for path in install(p.parse_args().target):
        print(path)
    sys.exit(0)
