"""Shared fixtures. Pure tests use `standard`/`plan`/`table`; QGIS tests use pytest-qgis's
fixtures (qgis_app, qgis_new_project, ...) plus the ones here."""
from __future__ import annotations

import datetime as dt
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# `make test`'s second run: shapely cannot be imported (as in Debian's own QGIS), so the plugin runs
# on the OGR geometry back end; the desktop test then gives the QGIS profile no shapely either
WITHOUT_SHAPELY = bool(os.environ.get("LMVW_TEST_WITHOUT_SHAPELY"))
if WITHOUT_SHAPELY:
    sys.modules["shapely"] = None          # every `import shapely…` fails, in the plugin and in tests

from lmvw_plugin.standard import load  # noqa: E402

PEILDATUM = dt.date(2026, 10, 1)


@pytest.fixture(scope="session")
def standard():
    return load()


def make_plan(**overrides):
    """A plan record that passes every record rule (peildatum 2026-10-01)."""
    s = load()
    rec = {f.name: None for f in s.fields}
    rec.update(
        plan_id="11111111-2222-4333-8444-555555555555", plannaam="Centrumplan", gemeentecode="GM0344",
        plantype="verdichting", planstatus="3", vertrouwelijkheid="openbaar",
        bruto_plancapaciteit=40, sloop=0, aantal_gerealiseerd=0, sloop_gerealiseerd=0,
        eengezins=10, meergezins=30, woningtype_onbekend=0,
        sociale_huur_corporatie=10, sociale_huur_markt=0, sociale_huur_markt_geborgd=0,
        middenhuur_corporatie=0, middenhuur_markt=10, middenhuur_markt_geborgd=0, dure_huur=0,
        huur_prijs_onbekend=0, betaalbare_koop=10, dure_koop=10, koop_prijs_onbekend=0, eigendom_onbekend=0,
        prijspeil_jaar=2026, nultredenwoningen=0, geclusterd=0, zorggeschikt=0, overig_geschikt_ouderen=0,
        geclusterd_min50pct_55plus=False, zorggeschikt_min50pct_55plus=False,
        tijdelijke_woningen=0, tijdelijke_woningen_tijdelijke_kwaliteit=0,
        gerealiseerd=False, vervallen=False,
    )
    rec.update(overrides)
    return rec


@pytest.fixture
def plan():
    return make_plan


# ------------------------------------------------------------------------------------------------
# geometry back ends (common/geo.py): shapely 2, and GDAL/OGR for QGIS installs without it

GEOMETRY_BACKENDS = ["shapely", "ogr"]


def to_backend(g):
    """A geometry (shapely 2 or the OGR back end's) as the active back end's, through WKB."""
    from lmvw_plugin.common import geo
    if g is None:
        return None
    if geo.backend() == "ogr":
        from lmvw_plugin.common import geo_ogr
        return g if isinstance(g, geo_ogr.Geometry) else geo_ogr.from_wkb(g.wkb)
    import shapely
    return g if isinstance(g, shapely.Geometry) else shapely.from_wkb(g.wkb)


@pytest.fixture(scope="module", params=GEOMETRY_BACKENDS)
def geometry_backend(request):
    """Runs a test module once per geometry back end: the tests build their geometries with shapely,
    and PlanTable.from_records hands them to the validator as the back end's own."""
    from lmvw_plugin.common import geo
    from lmvw_plugin.rules import PlanTable
    if request.param == "shapely" and WITHOUT_SHAPELY:
        pytest.skip("shapely is blocked in this run (LMVW_TEST_WITHOUT_SHAPELY)")
    before = geo.use(request.param)
    original = PlanTable.__dict__["from_records"].__func__

    def from_records(cls, standard, records, geometries=None, *args, **kw):
        if geometries is not None:
            geometries = [to_backend(g) for g in geometries]
        return original(cls, standard, records, geometries, *args, **kw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PlanTable, "from_records", classmethod(from_records))
        yield request.param
    geo.use(before or request.param)
# PostgreSQL + PostGIS (tests marked `postgis`): one throw-away cluster per session, see pg_util.py
@pytest.fixture(scope="session")
def pg_cluster():
    from pg_util import Cluster, missing_reason
    why = missing_reason()
    if why and os.environ.get("LMVW_REQUIRE_POSTGIS"):       # make test / .ci/run: never skipped there
        pytest.fail(why)
    if why:
        pytest.skip(why)
    cluster = Cluster().start()
    try:
        cluster.make_template()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_db(pg_cluster):
    """A fresh database with PostGIS: its conninfo (for PG:"…" prefix it with PG:)."""
    return pg_cluster.new_database()
