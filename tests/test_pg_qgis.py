"""The PostGIS register in QGIS (pytest-qgis) against the real server: form and style from
layer_styles in a fresh project without the plugin's help, the project stored in the database,
and two officers' QGIS sessions saving the same plan."""
from __future__ import annotations

import os
import uuid

import pytest

from lmvw_plugin.layers import formversion
from lmvw_plugin.storage import postgis as pgio

pytestmark = pytest.mark.postgis
psycopg2 = pytest.importorskip("psycopg2")


@pytest.fixture
def register(pg_cluster, pg_db, qgis_app, standard, monkeypatch):
    from lmvw_plugin.layers import pgregister
    monkeypatch.setenv("PGHOST", pg_cluster.sock)             # the project's address has no socket folder
    monkeypatch.setenv("PGPORT", pg_db.split("port=")[1].split()[0])
    src = "PG:" + pg_db
    pgregister.create_register(src, "gemeente", "GM0344", standard)
    return src


def test_a_colleague_gets_the_form_and_style_from_the_database(register, standard, qgis_app):
    from qgis.core import QgsProject, QgsVectorLayer

    from lmvw_plugin.layers import pgregister
    project = QgsProject()
    lyr = QgsVectorLayer(pgregister.layer_uri(register, "gemeente", standard.layer_name), "plannen", "postgres")
    assert lyr.isValid()
    project.addMapLayer(lyr)
    # what QGIS loaded by itself from layer_styles
    assert formversion.outdated(lyr, standard) is None
    cfg = lyr.editFormConfig()
    assert [t.name() for t in cfg.tabs()][:2] == ["Algemeen", "Aantallen"]
    idx = lyr.fields().indexOf("planstatus")
    assert lyr.editorWidgetSetup(idx).type() == "ValueMap"
    stamp = lyr.fields().indexOf("gewijzigd_op")
    assert cfg.readOnly(stamp) and not lyr.defaultValueDefinition(stamp).expression()
    assert lyr.renderer().type() in ("categorizedSymbol", "RuleRenderer")
    con = pgio.connect(register)
    with con.cursor() as cur:
        cur.execute("SELECT f_table_schema, f_table_name, useasdefault FROM public.layer_styles ORDER BY 2")
        assert cur.fetchall() == [("gemeente", "fasering", True), ("gemeente", "woningbouwplannen", True)]
    con.close()
    # the project in the database: both layers and their relation
    stored = QgsProject()
    assert stored.read(pgregister.project_uri(register, "gemeente")), stored.error()
    assert sorted(layer.name() for layer in stored.mapLayers().values()) == ["fasering", "woningbouwplannen"]
    assert stored.relationManager().relation(standard.relation_id).isValid()
    stored.clear()


def _officer(pg_cluster, register, user):
    dbname = register.split("dbname=")[1].split()[0]
    pg_cluster.sql(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN "
                   f"CREATE ROLE {user} LOGIN; END IF; END $$")
    pg_cluster.sql([f"GRANT USAGE ON SCHEMA gemeente TO {user}",
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA gemeente TO {user}",
                    f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA gemeente TO {user}"], dbname)
    return "PG:" + pg_cluster.dsn(dbname, user)


def test_two_officers_in_qgis_the_second_is_told_and_keeps_her_edit(pg_cluster, register, standard, qgis_app):
    from qgis.core import QgsVectorLayer

    from lmvw_plugin.i18n import use_catalog
    from lmvw_plugin.layers import pgregister
    con = pgio.connect(register)
    pids = [str(uuid.uuid4()), str(uuid.uuid4())]
    with con.cursor() as cur:
        for k, pid in enumerate(pids):
            cur.execute("INSERT INTO gemeente.woningbouwplannen (geom, plan_id, plannaam, gemeentecode) VALUES "
                        "(ST_GeomFromText('MULTIPOLYGON(((0 0,10 0,10 10,0 0)))', 28992), %s, %s, 'GM0344')",
                        (pid, f"Plan {k}"))
    con.commit()
    layers, told = {}, []
    for user in ("anna", "bram"):
        src = _officer(pg_cluster, register, user)
        lyr = QgsVectorLayer(pgregister.layer_uri(src, "gemeente", standard.layer_name), user, "postgres")
        assert lyr.isValid()
        pgregister.guard(lyr, told.append)
        lyr.startEditing()
        layers[user] = lyr
    name = layers["anna"].fields().indexOf("plannaam")
    sloop = layers["anna"].fields().indexOf("sloop")
    fid = {u: {f["plan_id"]: f.id() for f in lyr.getFeatures()} for u, lyr in layers.items()}
    # both start on plan 0; Bram also on plan 1
    layers["anna"].changeAttributeValue(fid["anna"][pids[0]], name, "Plan 0 (Anna)")
    layers["bram"].changeAttributeValue(fid["bram"][pids[0]], sloop, 3)
    layers["bram"].changeAttributeValue(fid["bram"][pids[1]], name, "Plan 1 (Bram)")
    assert layers["anna"].commitChanges(False), layers["anna"].commitErrors()
    # Bram saves second: plan 0 was saved by Anna after he started: refused, his edits stay
    assert not layers["bram"].commitChanges(False)
    use_catalog("nl")
    text = pgregister.conflict_message(layers["bram"], standard)
    assert text and "anna" in text and pids[0] in text and "bewerkingsbuffer" in text, \
        layers["bram"].commitErrors()
    qgis_app.processEvents()                    # the message bar's message comes right after the commit
    assert told == [text]
    buf = layers["bram"].editBuffer().changedAttributeValues()
    assert buf[fid["bram"][pids[0]]][sloop] == 3
    with con.cursor() as cur:
        cur.execute("SELECT plan_id::text, plannaam, sloop, gewijzigd_door FROM gemeente.woningbouwplannen "
                    "ORDER BY plannaam")
        rows = cur.fetchall()
    con.commit()
    assert (pids[0], "Plan 0 (Anna)", 0, "anna") in rows
    # he discards his change of plan 0 and saves the rest: plan 1 lands
    layers["bram"].rollBack()
    layers["bram"].startEditing()
    layers["bram"].changeAttributeValue(fid["bram"][pids[1]], name, "Plan 1 (Bram)")
    assert layers["bram"].commitChanges(), layers["bram"].commitErrors()
    with con.cursor() as cur:
        cur.execute("SELECT plannaam, gewijzigd_door FROM gemeente.woningbouwplannen WHERE plan_id = %s", (pids[1],))
        assert cur.fetchone() == ("Plan 1 (Bram)", "bram")
    con.close()
    layers["anna"].rollBack()


def test_processing_and_the_layer_reader_on_a_postgis_layer(register, standard, qgis_app, qgis_processing, tmp_path):
    """Processing validates and exports a PostGIS layer as it does the same plans in a GeoPackage."""
    import json

    import processing
    from qgis.core import QgsProject, QgsVectorLayer

    from lmvw_plugin.layers import pgregister
    from lmvw_plugin.layers.reader import PlanSource
    from lmvw_plugin.rules.table import FaseringTable, PlanTable
    from pkg_util import clean_plans, write_plans
    from qgis_util import lmvw_provider
    provider = lmvw_provider()  # noqa: F841 - kept alive while processing runs
    ps = clean_plans(12, seed=8)
    recs = [dict(r) for r in ps.records]
    recs[0]["eengezins"] += 2
    pgio.write_plans(register, "gemeente", standard, PlanTable.from_records(standard, recs, ps.geometries),
                     FaseringTable.from_records(standard, list(ps.fasering)))
    gpkg = write_plans(tmp_path / "p.gpkg", recs, ps.geometries, ps.fasering)
    project = QgsProject.instance()
    plans, fas = pgregister.load_layers(register, "gemeente", standard)
    gp = QgsVectorLayer(f"{gpkg}|layername=woningbouwplannen", "gpkg", "ogr")
    gf = QgsVectorLayer(f"{gpkg}|layername=fasering", "gpkg_fasering", "ogr")
    project.addMapLayers([plans, fas, gp, gf])
    try:
        src = PlanSource(plans, standard)
        assert src.pg is not None                     # the fast path: one SQL through GDAL
        assert src.read().n == 12
        out = {}
        for name, layer in (("pg", plans), ("gpkg", gp)):
            js = str(tmp_path / f"{name}.json")
            res = processing.run("lmvw:validate", {"INPUT": layer, "PEILDATUM": "2026-10-01", "OUTPUT": "memory:",
                                                   "JSON": js})
            with open(js, encoding="utf-8") as fh:
                out[name] = json.load(fh)
            assert res["PLANS"] == 12
        assert out["pg"]["summary"] == out["gpkg"]["summary"] and out["pg"]["summary"]["errors"] >= 1
        key = lambda f: (f["rule"], f.get("plan_id") or "", f["message"])  # noqa: E731
        assert sorted(map(key, out["pg"]["findings"])) == sorted(map(key, out["gpkg"]["findings"]))
        # an edit in the buffer is read through QGIS (and validated) before it is saved
        plans.startEditing()
        f = next(plans.getFeatures())
        plans.changeAttributeValue(f.id(), plans.fields().indexOf("sloop"), 1)
        assert PlanSource(plans, standard).pg is None
        plans.rollBack()
        zip_path = str(tmp_path / "pg.zip")
        processing.run("lmvw:exportdelivery", {"INPUT": plans, "UITVRAAG": "2026-najaar", "PEILDATUM": "2026-10-01",
                                               "GEMEENTECODE": "GM0344", "CONCEPT": True, "OUTPUT": zip_path})
        assert os.path.exists(zip_path)
    finally:
        project.removeMapLayers([lyr.id() for lyr in (plans, fas, gp, gf)])


def test_cli_new_on_postgis(pg_db, standard, qgis_app):
    """`new PG:"…" --schema` makes the tables, the default styles and the project (a socket connection)."""
    from lmvw_plugin import cli
    assert cli.main(["new", "PG:" + pg_db, "--schema", "plannen_utrecht", "--gemeente", "GM0344"]) == 0
    con = pgio.connect("PG:" + pg_db)
    with con.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'plannen_utrecht'")
        assert cur.fetchone()[0] == 2
        cur.execute("SELECT name FROM plannen_utrecht.qgis_projects")
        assert cur.fetchall() == [("woningbouwplannen",)]
    con.close()
    assert cli.main(["new", "PG:" + pg_db, "--schema", "plannen_utrecht", "--gemeente", "GM0344"]) == 2


def test_new_layer_dialog_offers_postgis(pg_cluster, pg_db, standard, qgis_app, monkeypatch, tmp_path):
    from qgis.core import QgsProject, QgsProviderRegistry

    from lmvw_plugin.gui.dialogs import NewLayerDialog
    from lmvw_plugin.i18n import use_catalog
    from lmvw_plugin.layers import pgregister
    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    md.saveConnection(md.createConnection(pg_db + " sslmode=disable", {"saveUsername": True}), "lmvw-test")
    service = tmp_path / "pg_service.conf"
    service.write_text("[lmvw]\nhost=db.example\ndbname=plannen\n")
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    monkeypatch.setenv("PGHOST", pg_cluster.sock)
    monkeypatch.setenv("PGPORT", pg_db.split("port=")[1].split()[0])
    use_catalog("nl")
    try:
        dlg = NewLayerDialog(standard)
        items = [dlg.pg.connection.itemText(i) for i in range(dlg.pg.connection.count())]
        assert any("lmvw-test" in t for t in items) and any("lmvw" in t and "pg_service" in t for t in items)
        assert not dlg.pg.box.isVisible() and dlg.file.isEnabled()
        dlg.pg.pg.setChecked(True)
        assert not dlg.file.isEnabled()
        dlg.gemeente.setEditText("Utrecht (GM0344)")
        dlg.pg.connection.setCurrentIndex(next(i for i, t in enumerate(items) if "lmvw-test" in t))
        dlg.pg.schema.setText("Plannen; DROP")
        dlg._accept()
        assert dlg.pg_target is None and "Plannen; DROP" in dlg.problem.text() and dlg.result() == 0
        dlg.pg.schema.setText("plannen")
        dlg._accept()
        assert dlg.pg_target is not None and dlg.pg_target[1] == "plannen" and dlg.code == "GM0344"
        project = QgsProject()
        reg = pgregister.new_register_in_project(dlg.pg_target, dlg.code, standard, "nl", project)
        assert reg.plans.isValid() and reg.plans.providerType() == "postgres"
        assert project.relationManager().relation(standard.relation_id).isValid()
        # the plan layer's form knows the gemeente as its default
        idx = reg.plans.fields().indexOf("gemeentecode")
        assert "GM0344" in reg.plans.defaultValueDefinition(idx).expression()
        project.clear()
    finally:
        md.deleteConnection("lmvw-test")


def test_dock_validates_a_postgis_layer_and_rechecks_edits(register, standard, qgis_app, qgis_iface, monkeypatch):
    """The dock on a PostGIS layer: the whole-layer run (one SQL), then live re-validation of an edit."""
    from qgis.core import QgsProject

    from lmvw_plugin.gui.dock import ValidationDock
    from lmvw_plugin.layers import pgregister
    from lmvw_plugin.rules.table import FaseringTable, PlanTable
    from pkg_util import clean_plans
    from qgis_util import wait_for
    ps = clean_plans(6, seed=21)
    pgio.write_plans(register, "gemeente", standard, PlanTable.from_records(standard, ps.records, ps.geometries),
                     FaseringTable.from_records(standard, list(ps.fasering)))
    plans, fas = pgregister.load_layers(register, "gemeente", standard)
    QgsProject.instance().addMapLayers([plans, fas])
    dock = ValidationDock(qgis_iface, standard)
    try:
        dock.set_layer(plans)
        assert wait_for(qgis_app, lambda: dock.state is not None and dock.task is None)
        assert dock.fasering is fas
        assert not any(f.rule == "R04" for f in dock.model.findings)
        plans.startEditing()
        feat = next(plans.getFeatures())
        plans.changeAttributeValue(feat.id(), plans.fields().indexOf("eengezins"), (feat["eengezins"] or 0) + 5)
        assert wait_for(qgis_app, lambda: any(f.rule == "R04" for f in dock.model.findings))
        plans.rollBack()
    finally:
        dock.unload()
        dock.deleteLater()
        QgsProject.instance().removeMapLayers([plans.id(), fas.id()])
