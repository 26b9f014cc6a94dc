"""The plan register in PostGIS inside QGIS: create it with its form, style, relation and a project
stored in the database, and guard saves with the database's optimistic lock.

Where QGIS looks without the plugin: the form and style are each layer's default style in the
database's `layer_styles` table (QGIS loads it when the layer is added), and a project with both
layers and their relation is stored in the register's schema (`qgis_projects`; *Browser ▸
PostgreSQL ▸ … ▸ schema ▸ woningbouwplannen*).

The lock (`storage.postgis`): the database refuses an UPDATE that says it edited an older version
of the plan. `VersionGuard` tells the database which version each changed plan had when its
officer started changing it: at the first change of a feature it reads that feature's
`gewijzigd_op` from the database, and just before the commit it puts that value in the edit
buffer. When a colleague saved the plan in between, QGIS's commit fails, the edits stay in the
buffer, and `conflict_message()` words the database's answer (who, when) for the message bar.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Optional

from qgis.core import (
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QObject, Qt, QTimer

from ..standard import Standard, load
from ..storage import postgis as pgio
from . import create
from .pgform import adapt_form  # noqa: F401 - part of this module's interface

PROJECT_NAME = create.PROJECT_NAME


def layer_uri(source: str, schema: str, table: str, geometry: bool = True) -> str:
    """QGIS's PostgreSQL data source of a table of the register."""
    uri = QgsDataSourceUri(pgio.conninfo(source))
    uri.setDataSource(schema, table, "geom" if geometry else None, "", "fid")
    if geometry:
        uri.setSrid(str(pgio.SRID))
        uri.setWkbType(QgsWkbTypes.Type.MultiPolygon)
    return uri.uri(False)


def project_uri(source: str, schema: str, name: str = PROJECT_NAME) -> str:
    """The address QGIS stores a project in PostgreSQL under (QgsPostgresProjectStorage)."""
    from urllib.parse import quote
    u = QgsDataSourceUri(pgio.conninfo(source))
    query = []
    if u.service():
        query.append(("service", u.service()))
    for key, value in (("sslmode", None), ("dbname", u.database()), ("schema", schema), ("project", name)):
        if value:
            query.append((key, value))
    host = u.host() if u.host() and not u.host().startswith("/") else ""      # a socket folder: PGHOST
    auth = quote(u.username(), safe="") + (":" + quote(u.password(), safe="") if u.password() else "") + "@" \
        if u.username() else ""
    netloc = f"{auth}{host}{':' + u.port() if u.port() and host else ''}"
    return f"postgresql://{netloc}?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query)


def load_layers(source: str, schema: str, standard: Standard):
    plans = QgsVectorLayer(layer_uri(source, schema, standard.layer_name), standard.layer_name, "postgres")
    fas = QgsVectorLayer(layer_uri(source, schema, standard.fasering_name, False), standard.fasering_name,
                         "postgres")
    if not plans.isValid() or not fas.isValid():
        raise create.CreateError("unreadable", f"{pgio.conninfo(source)} {schema}")
    return plans, fas


@dataclass
class NewRegister:
    source: str
    schema: str
    plans: QgsVectorLayer
    fasering: QgsVectorLayer
    project: QgsProject
    path: str = ""


def create_register(source: str, schema: str, gemeentecode: str, standard: Optional[Standard] = None,
                    lang: str = "nl", project: Optional[QgsProject] = None) -> NewRegister:
    """The two tables (storage.postgis), then the form, relation and style as both layers' default
    styles in layer_styles, and a project in the schema. Raises pgio.PgError / CreateError."""
    standard = standard or load()
    if not standard.valid_gemeentecode(gemeentecode):
        raise create.CreateError("bad_gemeente", source, gemeentecode)
    pgio.create_register(source, schema, standard)
    work = project or QgsProject()
    plans, fas = load_layers(source, schema, standard)
    work.addMapLayers([plans, fas], project is not None)
    create.configure(plans, fas, work, standard, lang, gemeentecode)
    create.save_default_styles(plans, fas, standard)
    store_project(source, schema, standard, lang, gemeentecode)
    return NewRegister(source, schema, plans, fas, work)


def new_register_in_project(target, gemeentecode: str, standard: Standard, lang: str, project: QgsProject):
    """Create the register for 'Nieuwe planlaag' and add its layers to `project`; returns an object
    with `plans`, `fasering` and `path` (the database, for the message) like create_package's."""
    source, schema = target
    reg = create_register(source, schema, gemeentecode, standard, lang, project)
    reg.path = pgio.display(source)
    return reg


def store_project(source: str, schema: str, standard: Standard, lang: str, gemeentecode: str) -> None:
    project = QgsProject()
    plans, fas = load_layers(source, schema, standard)
    project.addMapLayers([plans, fas])
    create.configure(plans, fas, project, standard, lang, gemeentecode)
    project.setCrs(plans.crs())
    project.setTitle(f"Woningbouwplannen (Basisset {standard.version})")
    u = QgsDataSourceUri(pgio.conninfo(source))
    socket = {"PGHOST": u.host(), "PGPORT": u.port()} if u.host().startswith("/") else {}
    saved = {k: os.environ.get(k) for k in socket}
    os.environ.update({k: v for k, v in socket.items() if v})      # a socket folder has no place in the URL
    try:
        ok = project.write(project_uri(source, schema))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if not ok:
        raise create.CreateError("project", f"{pgio.conninfo(source)} {schema}", project.error())
    project.clear()


def register_of(layer: QgsVectorLayer) -> Optional[tuple]:
    """(PG:"conninfo", schema) of a PostgreSQL plan layer, else None (for reads with storage.postgis)."""
    if layer is None or layer.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(layer.source())
    info = QgsDataSourceUri(uri.connectionInfo(True)).connectionInfo(True)
    return "PG:" + info, uri.schema() or "public"


# ------------------------------------------------------------------------------------------------
# the optimistic lock in QGIS


class VersionGuard(QObject):
    """Sends the version each changed plan was edited from with QGIS's commit (see the module)."""

    def __init__(self, layer: QgsVectorLayer, on_refused=None):
        super().__init__(layer)
        self.layer = layer
        self.on_refused = on_refused          # called with the translated message when a commit is refused
        self.base: Dict[int, object] = {}
        self.idx = layer.fields().indexOf(pgio.STAMP_FIELD)
        layer.attributeValueChanged.connect(self._touch)
        layer.geometryChanged.connect(self._touch)
        layer.beforeCommitChanges.connect(self._before_commit)
        layer.afterCommitChanges.connect(self.base.clear)
        layer.afterRollBack.connect(self.base.clear)

    def _touch(self, fid, *_args) -> None:
        if fid < 0 or fid in self.base or self.idx < 0:
            return
        req = QgsFeatureRequest(fid).setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes([self.idx])
        for f in self.layer.dataProvider().getFeatures(req):
            value = f.attribute(self.idx)
            self.base[fid] = value.toUTC().toString(Qt.DateFormat.ISODateWithMs) \
                if hasattr(value, "toUTC") and value.isValid() else None

    def _before_commit(self, *_args) -> None:
        buf = self.layer.editBuffer()
        if buf is None or self.idx < 0:
            return
        deleted = set(buf.deletedFeatureIds())
        for fid, base in self.base.items():
            if fid in deleted or base is None:
                continue
            buf.changeAttributeValue(fid, self.idx, base)
        if self.on_refused is not None:
            QTimer.singleShot(0, self._after_commit)

    def _after_commit(self) -> None:
        try:
            if not self.layer.isModified():
                return
            text = conflict_message(self.layer)
        except RuntimeError:                  # the layer is gone
            return
        if text:
            self.on_refused(text)


def guard(layer: QgsVectorLayer, on_refused=None) -> Optional[VersionGuard]:
    """A VersionGuard on a PostgreSQL plan layer with the stamp column (once per layer)."""
    if layer is None or layer.providerType() != "postgres" or layer.fields().indexOf(pgio.STAMP_FIELD) < 0:
        return None
    got = layer.findChild(VersionGuard)
    if got is None:
        got = VersionGuard(layer, on_refused)
    elif on_refused is not None:
        got.on_refused = on_refused
    return got


def conflict_message(layer: QgsVectorLayer, standard: Optional[Standard] = None, lang: str = "nl") -> Optional[str]:
    """The translated message for a commit the database refused (a conflict, a negative count, …),
    from QGIS's commit errors; None when the errors are not the database's."""
    text = "\n".join(layer.commitErrors())
    if "ERROR" not in text and pgio.CONFLICT not in text:
        return None
    p = pgio.db_problem(text, standard or load())
    return None if p.kind == "other" else pgio.problem_text(p, standard or load(), lang)
