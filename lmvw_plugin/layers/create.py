"""Create a Basisset GeoPackage (layer, fasering table, relation, form, style) and configure
existing layers. The form and style are saved inside the GeoPackage as the default style, and a
QGIS project with both layers and their relation is stored in it too, so that a colleague without
the plugin gets the same form."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional, Tuple

from qgis.core import (
    QgsProject,
    QgsRelation,
    QgsRelationContext,
    QgsVectorLayer,
)

from ..common.files import writable
from ..forms.builder import apply_fasering_form, apply_plan_form
from ..standard import Standard, load
from ..storage import ogr as ogrio
from . import formversion
from .schema import check_layer
from .style import apply_style

STYLE_NAME = "lmvw_basisset"
PROJECT_NAME = "woningbouwplannen"


class CreateError(Exception):
    """A new GeoPackage cannot be made; `reason` is a stable key for the message."""

    def __init__(self, reason: str, path: str, detail: str = ""):
        super().__init__(f"{reason}: {path} {detail}".strip())
        self.reason = reason
        self.path = path
        self.detail = detail


def check_target(path: str, overwrite: bool = False) -> None:
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.exists(path) and not overwrite:
        raise CreateError("exists", path)
    if not os.path.isdir(folder):
        raise CreateError("no_folder", folder)
    if not writable(folder):
        raise CreateError("unwritable", folder)


def plan_uri(path: str, standard: Standard) -> str:
    return f"{path}|layername={standard.layer_name}"


def fasering_uri(path: str, standard: Standard) -> str:
    return f"{path}|layername={standard.fasering_name}"


def make_relation(plans: QgsVectorLayer, fasering: QgsVectorLayer, standard: Standard,
                  lang: str = "nl", project: Optional[QgsProject] = None) -> QgsRelation:
    # the context ties the relation to its project (without it QGIS looks in QgsProject.instance())
    rel = QgsRelation(QgsRelationContext(project or QgsProject.instance()))
    rel.setId(standard.relation_id)
    rel.setName(standard.relation_name.get(lang, standard.relation_name["nl"]))
    rel.setReferencedLayer(plans.id())
    rel.setReferencingLayer(fasering.id())
    rel.addFieldPair(standard.data["fasering"]["parent_key"], standard.key)
    rel.setStrength(QgsRelation.RelationStrength.Composition)
    return rel


def configure(plans: QgsVectorLayer, fasering: Optional[QgsVectorLayer], project: QgsProject,
              standard: Standard, lang: str = "nl", gemeentecode: Optional[str] = None) -> Optional[QgsRelation]:
    """Relation, forms and style on two layers that are in `project`."""
    relation = None
    if fasering is not None:
        manager = project.relationManager()
        existing = manager.relation(standard.relation_id)
        if existing.isValid():
            manager.removeRelation(existing)
        relation = make_relation(plans, fasering, standard, lang, project)
        manager.addRelation(relation)
        relation = manager.relation(standard.relation_id)
        apply_fasering_form(fasering, standard, lang)
    apply_plan_form(plans, standard, lang, gemeentecode, relation)
    if plans.providerType() == "postgres":        # the database stamps the changes (issue 12)
        from .pgform import adapt_form
        adapt_form(plans, standard)
    apply_style(plans, standard, lang)
    formversion.stamp(plans, standard)          # kept in the default style: later versions can tell
    return relation


def save_default_styles(plans: QgsVectorLayer, fasering: Optional[QgsVectorLayer], standard: Standard) -> None:
    desc = f"Basisset {standard.version}: formulier en stijl (lmvw_plugin)"
    for lyr in (plans, fasering):
        if lyr is None:
            continue
        # QGIS 3.22 hangs (a lock it waits for forever) when it updates an existing style row of a
        # GeoPackage: remove the plugin's earlier row first, then write a new one
        own, ids, names, _descs, _err = lyr.listStylesInDatabase()     # the first `own` are this layer's
        for sid, name in list(zip(ids, names))[:own]:
            if name == STYLE_NAME:
                lyr.deleteStyleFromDatabase(sid)
        err = lyr.saveStyleToDatabase(STYLE_NAME, desc, True, "")
        if err:
            raise CreateError("style", lyr.source(), err)


def _load(uri: str, name: str) -> QgsVectorLayer:
    lyr = QgsVectorLayer(uri, name, "ogr")
    if not lyr.isValid():
        raise CreateError("unreadable", uri)
    return lyr


def store_project(path: str, standard: Standard, lang: str = "nl") -> None:
    """A QGIS project inside the GeoPackage with both layers and their relation."""
    project = QgsProject()
    plans = _load(plan_uri(path, standard), standard.layer_name)
    fas = _load(fasering_uri(path, standard), standard.fasering_name)
    project.addMapLayers([plans, fas])
    # the layers loaded their default style from the GeoPackage; configure() adds the relation
    # and re-applies the form so that its relation editor finds the project's relation
    configure(plans, fas, project, standard, lang, _default_gemeente(plans))
    project.setCrs(plans.crs())
    project.setTitle(f"Woningbouwplannen (Basisset {standard.version})")
    if not project.write(f"geopackage:{path}?projectName={PROJECT_NAME}"):
        raise CreateError("project", path, project.error())
    project.clear()


def _default_gemeente(plans: QgsVectorLayer) -> Optional[str]:
    idx = plans.fields().indexOf("gemeentecode")
    expr = plans.defaultValueDefinition(idx).expression() if idx >= 0 else ""
    return expr.strip("'") if expr.startswith("'") else None


@dataclass
class NewPackage:
    path: str
    plans: QgsVectorLayer
    fasering: QgsVectorLayer
    project: QgsProject          # owns the layers (a private project when none was given)


def create_package(path: str, gemeentecode: str, standard: Optional[Standard] = None, lang: str = "nl",
                   project: Optional[QgsProject] = None, overwrite: bool = False) -> NewPackage:
    """Create woningbouwplannen.gpkg with everything; add its layers to `project` if given."""
    standard = standard or load()
    if not standard.valid_gemeentecode(gemeentecode):
        raise CreateError("bad_gemeente", path, gemeentecode)
    check_target(path, overwrite)
    if overwrite and os.path.exists(path):
        os.remove(path)
    try:
        ds = ogrio.create_datasource(path, standard)
        ds = None  # noqa: F841 - closes the file
        work = project or QgsProject()
        plans = _load(plan_uri(path, standard), standard.layer_name)
        fas = _load(fasering_uri(path, standard), standard.fasering_name)
        work.addMapLayers([plans, fas], project is not None)
        configure(plans, fas, work, standard, lang, gemeentecode)
        save_default_styles(plans, fas, standard)
        store_project(path, standard, lang)
    except Exception:
        if os.path.exists(path) and not (project is not None and _in_project(project, path)):
            _remove_quietly(path)
        raise
    return NewPackage(path, plans, fas, work)


def _in_project(project: QgsProject, path: str) -> bool:
    return any(lyr.source().split("|")[0] == path for lyr in project.mapLayers().values())


def _remove_quietly(path: str) -> None:
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        try:
            os.remove(p)
        except OSError:
            pass


class FormsOpen(Exception):
    """Forms of the layers are open: changing their fields now would crash QGIS (the open form
    resets its widgets while the fields change). `titles` names them for the message."""

    def __init__(self, titles: List[str]):
        super().__init__(", ".join(titles))
        self.titles = titles


def open_forms(layers) -> List[str]:
    """The window titles of the attribute forms (dialogs, attribute tables in form view, forms
    embedded in a relation editor) that show a feature of one of `layers`."""
    from qgis.gui import QgsAttributeForm
    from qgis.PyQt import sip
    from qgis.PyQt.QtWidgets import QApplication
    ids = {lyr.id() for lyr in layers if lyr is not None and not sip.isdeleted(lyr)}
    titles: List[str] = []
    for w in QApplication.allWidgets():
        # sip presents a form QGIS made as a plain QWidget: ask Qt's meta object, then cast
        if not w.inherits("QgsAttributeForm"):
            continue
        layer = sip.cast(w, QgsAttributeForm).layer()
        layer_id = layer.id() if layer is not None else None
        name = layer.name() if layer is not None else ""
        del layer
        if layer_id not in ids:
            continue
        title = w.window().windowTitle() or name
        if title not in titles:
            titles.append(title)
    return titles


def apply_to_layer(plans: QgsVectorLayer, project: QgsProject, standard: Optional[Standard] = None,
                   lang: str = "nl", gemeentecode: Optional[str] = None,
                   fasering: Optional[QgsVectorLayer] = None) -> Tuple[object, Optional[QgsRelation]]:
    """'Formulieren toepassen': form, relation and style on an existing layer. Returns the schema
    check; when required fields are missing nothing is changed. Raises FormsOpen (and changes
    nothing) while a form of either layer is open: changing the fields under it crashes QGIS."""
    standard = standard or load()
    result = check_layer(plans, standard)
    if not result.ok:
        return result, None
    busy = open_forms([plans, fasering])
    if busy:
        raise FormsOpen(busy)
    rel = configure(plans, fasering, project, standard, lang, gemeentecode)
    return result, rel
