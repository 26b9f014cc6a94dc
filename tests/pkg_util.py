"""Helpers for delivery and command-line tests: GeoPackages written without QGIS."""
from __future__ import annotations

import hashlib
import os

import numpy as np

from lmvw_plugin.delivery.writers import write_gpkg
from lmvw_plugin.demo import generate
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load


def write_plans(path, records, geometries, fasering_rows=()):
    """A plan GeoPackage with the standard's schema (same as 'new', without the style)."""
    s = load()
    t = PlanTable.from_records(s, records, geometries)
    f = FaseringTable.from_records(s, list(fasering_rows))
    write_gpkg(str(path), s, s.fields, t.columns, t.geometry, f, np.arange(f.n), only_polygons=False)
    return str(path)


def clean_plans(n, seed=3, **kw):
    """n plans of Utrecht without errors (overlaps are cleared: generated blobs may touch)."""
    s = load()
    kw.setdefault("gemeenten", ["GM0344"])
    return generate(n, s, seed=seed, **kw)


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def leftovers(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(".lmvw") or n.endswith(".part"))
