"""The attribute form of a plan layer, built from the standard's data file (never by hand).

Widgets per field type, Dutch/English aliases, defaults, tabs and groups that appear only when
they apply, constraints compiled from the same checks the validator runs (`rules.checks`), a live
running total where a split must add up. Help texts become tooltips through `forms.help`.

QGIS allows one expression constraint per field, with one strength. Each field gets its error
checks as a hard constraint; its warnings become a soft constraint when the field has no error
checks, otherwise they show live in the field's label (⚠ …). `form_plan()` returns that
allocation so that tests can prove every check of the form's scope landed somewhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from qgis.core import (
    QgsAttributeEditorContainer,
    QgsAttributeEditorElement,
    QgsAttributeEditorField,
    QgsAttributeEditorRelation,
    QgsDefaultValue,
    QgsEditFormConfig,
    QgsEditorWidgetSetup,
    QgsExpression,
    QgsFieldConstraints,
    QgsOptionalExpression,
    QgsProperty,
    QgsPropertyCollection,
    QgsRelation,
    QgsVectorLayer,
)

from ..rules import checks as ck
from ..rules import kinds
from ..rules.kinds import kind_of, on_fasering_rows
from ..standard import Check, FieldDef, Standard, pick

HARD = QgsFieldConstraints.ConstraintStrength.ConstraintStrengthHard
SOFT = QgsFieldConstraints.ConstraintStrength.ConstraintStrengthSoft
NOT_NULL = QgsFieldConstraints.Constraint.ConstraintNotNull
UNIQUE = QgsFieldConstraints.Constraint.ConstraintUnique
EXPRESSION = QgsFieldConstraints.Constraint.ConstraintExpression

# the value QGIS's ValueMap stores for its NULL entry
VALUEMAP_NULL = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"
MULTILINE = {"opmerkingen", "vertrouwelijk_reden"}


@dataclass
class FieldForm:
    """Everything the form does with one field."""
    hard: List[Check] = field(default_factory=list)
    soft: List[Check] = field(default_factory=list)
    label_warnings: List[Check] = field(default_factory=list)


def form_plan(standard: Standard) -> Dict[str, FieldForm]:
    """Allocate the plan layer's checks to fields: hard, soft, or a warning in the label."""
    plan: Dict[str, FieldForm] = {f.name: FieldForm() for f in standard.fields}
    ctx = ck.ExprContext(standard, relation_id=standard.relation_id)
    checks = [c for c in standard.checks if c.field in plan and kinds.expression(c, ctx) is not None]
    for c in checks:
        if c.kind == "required" and c.params.get("type") != "text":
            continue                  # QGIS's not-null constraint is exactly R01 for non-text fields
        if c.severity == "error":
            plan[c.field].hard.append(c)
    for c in checks:
        if c.severity == "warning":
            target = plan[c.field]
            if target.hard:
                target.label_warnings.append(c)
            else:
                target.soft.append(c)
    return plan


def _and(exprs: List[str]) -> str:
    return " AND ".join(exprs) if len(exprs) > 1 else exprs[0]


def _description(checks: List[Check], lang: str, extra: List[str] = ()) -> str:
    seen: List[str] = []
    for t in [c.title_text(lang) for c in checks] + list(extra):
        if t not in seen:
            seen.append(t)
    return "; ".join(seen)


def unique_name_expression() -> str:
    """C02 in the form: no other plan of the same gemeente has this plannaam."""
    return ("(\"plannaam\" IS NULL OR coalesce(try(aggregate(@layer_id, 'count', \"plan_id\", "
            "filter:=\"plannaam\" = attribute(@parent, 'plannaam') "
            "AND \"gemeentecode\" IS attribute(@parent, 'gemeentecode') "
            "AND \"plan_id\" IS NOT attribute(@parent, 'plan_id')) = 0, true), true))")


# ------------------------------------------------------------------------------------------------
# widgets


def widget_setup(f: FieldDef, standard: Standard, lang: str,
                 layer: Optional[QgsVectorLayer] = None) -> QgsEditorWidgetSetup:
    if f.codelist:
        entries = [{"— " + ("kies" if lang == "nl" else "choose") + " —": VALUEMAP_NULL}]
        entries += [{pick(i.label, lang): i.code} for i in standard.codelists[f.codelist]]
        return QgsEditorWidgetSetup("ValueMap", {"map": entries})
    if f.name == "vervangen_door_plan_id" and layer is not None:
        return QgsEditorWidgetSetup("ValueRelation", {
            "Layer": layer.id(), "LayerName": layer.name(), "LayerSource": layer.source(),
            "LayerProviderName": layer.providerType(), "Key": "plan_id", "Value": "plannaam",
            "AllowNull": True, "OrderByValue": True, "AllowMulti": False, "UseCompleter": True,
            "FilterExpression": "\"plan_id\" <> current_value('plan_id')"})
    if f.type == "int":
        if f.count:
            return QgsEditorWidgetSetup("Range", {"Min": 0, "Max": 1000000, "Step": 1,
                                                  "AllowNull": not f.required, "Style": "SpinBox"})
        return QgsEditorWidgetSetup("Range", {"Min": 1900, "Max": 2200, "Step": 1,
                                              "AllowNull": True, "Style": "SpinBox"})
    if f.type == "bool":
        return QgsEditorWidgetSetup("CheckBox", {"CheckedState": "", "UncheckedState": "",
                                                 "TextDisplayMethod": 1})
    if f.type == "date":
        return QgsEditorWidgetSetup("DateTime", {"field_format": "yyyy-MM-dd", "display_format": "dd-MM-yyyy",
                                                 "calendar_popup": True, "allow_null": True,
                                                 "field_iso_format": False})
    if f.type == "datetime":
        return QgsEditorWidgetSetup("DateTime", {"field_format": "yyyy-MM-dd HH:mm:ss",
                                                 "display_format": "dd-MM-yyyy HH:mm:ss",
                                                 "calendar_popup": False, "allow_null": True,
                                                 "field_iso_format": True})
    return QgsEditorWidgetSetup("TextEdit", {"IsMultiline": f.name in MULTILINE, "UseHtml": False})


def default_expression(f: FieldDef, gemeentecode: Optional[str]) -> Optional[str]:
    d = f.default
    if isinstance(d, dict):
        if "expression" in d:
            return d["expression"]
        if d.get("setting") == "gemeentecode":
            return ck.lit(gemeentecode) if gemeentecode else None
        return None
    if d is None:
        return None
    return ck.lit(d)


# ------------------------------------------------------------------------------------------------
# labels: running totals and live warnings


def label_expression(standard: Standard, f: FieldDef, lang: str, plan: FieldForm) -> Optional[str]:
    """A data-defined alias: the label plus running totals and live warnings, or None."""
    ctx = ck.ExprContext(standard, relation_id=standard.relation_id)
    parts: List[str] = []
    for rt in standard.form.get("running_totals", []):
        if rt["field"] != f.name:
            continue
        check = standard.check_by_id[rt["check"]]
        running = kind_of(check).running_total(check, ctx)
        got, total = running.got, running.total
        template = pick(rt["label"], lang)
        text = ck.lit(template.split("{sum}")[0])
        middle = ck.lit(template.split("{sum}")[1].split("{total}")[0])
        end = ck.lit(template.split("{total}")[1])
        mark = f"CASE WHEN {got} = {total} THEN ' ✓' ELSE ' ✗' END"
        if standard.check_by_id[rt["check"]].kind == "fasering_sum":
            # R17 applies only when the plan has fasering rows: no ✗ for a plan without any (yet)
            rows = f"coalesce(try(relation_aggregate({ck.lit(standard.relation_id)}, 'count', \"plan_id\"), 0), 0)"
            mark = f"CASE WHEN {rows} = 0 THEN '' ELSE {mark} END"
        part = f"' · ' || {text} || to_string({got}) || {middle} || to_string({total}) || {end} || {mark}"
        if running.known:
            part = f"CASE WHEN {running.known} THEN {part} ELSE '' END"
        parts.append(part)
    for c in plan.label_warnings:
        passes = kinds.expression(c, ctx)
        parts.append(f"CASE WHEN {passes} THEN '' ELSE {ck.lit(' ⚠ ' + c.title_text(lang))} END")
    if not parts:
        return None
    return ck.lit(f.text(lang)) + " || " + " || ".join(parts)


# ------------------------------------------------------------------------------------------------
# the form


def _container(name: str, parent, is_group: bool, columns: int = 1) -> QgsAttributeEditorContainer:
    c = QgsAttributeEditorContainer(name, parent)
    c.setIsGroupBox(is_group)
    c.setColumnCount(columns)
    return c


def build_containers(standard: Standard, layer: QgsVectorLayer, cfg: QgsEditFormConfig, lang: str,
                     relation: Optional[QgsRelation]) -> None:
    fields = layer.fields()

    def add_items(container: QgsAttributeEditorContainer, items):
        for it in items:
            if isinstance(it, str):
                idx = fields.indexOf(it)
                if idx >= 0:
                    container.addChildElement(QgsAttributeEditorField(it, idx, container))
            elif "relation" in it:
                if relation is not None and relation.isValid():
                    el = QgsAttributeEditorRelation(relation, container)
                    el.setRelationWidgetTypeId("relation_editor")
                    el.setShowLabel(False)
                    container.addChildElement(el)
            else:
                group = _container(pick(it["label"], lang), container, True)
                if it.get("visible_when"):
                    expr = ck.cond_expr(it["visible_when"], standard)
                    group.setVisibilityExpression(QgsOptionalExpression(QgsExpression(expr)))
                add_items(group, it["items"])
                container.addChildElement(group)

    cfg.clearTabs()
    root = cfg.invisibleRootContainer()
    for tab in standard.form["tabs"]:
        c = _container(pick(tab["label"], lang), root, False)
        add_items(c, tab["items"])
        cfg.addTab(c)


def apply_plan_form(layer: QgsVectorLayer, standard: Standard, lang: str = "nl",
                    gemeentecode: Optional[str] = None, relation: Optional[QgsRelation] = None) -> Dict[str, FieldForm]:
    """Configure aliases, widgets, defaults, constraints and the tabbed form on a plan layer."""
    plan = form_plan(standard)
    ctx = ck.ExprContext(standard, relation_id=standard.relation_id if relation is not None else None)
    fields = layer.fields()
    cfg = layer.editFormConfig()
    for f in standard.fields:
        idx = fields.indexOf(f.name)
        if idx < 0:
            continue
        layer.setFieldAlias(idx, f.text(lang))
        layer.setEditorWidgetSetup(idx, widget_setup(f, standard, lang, layer))
        expr = default_expression(f, gemeentecode)
        if expr:
            layer.setDefaultValueDefinition(idx, QgsDefaultValue(expr, f.default_on_update))
        else:
            layer.setDefaultValueDefinition(idx, QgsDefaultValue())
        # constraints (remove what an earlier configuration left)
        for kind in (NOT_NULL, UNIQUE, EXPRESSION):
            layer.removeFieldConstraint(idx, kind)
        if f.required:
            layer.setFieldConstraint(idx, NOT_NULL, HARD)
        if f.name == standard.key:
            layer.setFieldConstraint(idx, UNIQUE, HARD)                       # C01
        fp = plan[f.name]
        hard = [e for e in (kinds.expression(c, ctx) for c in fp.hard) if e]
        extra_desc: List[str] = []
        if f.name == "plannaam":                                                # C02
            hard.append(unique_name_expression())
            extra_desc.append(standard.rule_title("C02", lang))
        if hard:
            layer.setConstraintExpression(idx, _and(hard), _description(fp.hard, lang, extra_desc))
            layer.setFieldConstraint(idx, EXPRESSION, HARD)
        elif fp.soft:
            soft = [e for e in (kinds.expression(c, ctx) for c in fp.soft) if e]
            layer.setConstraintExpression(idx, _and(soft), _description(fp.soft, lang))
            layer.setFieldConstraint(idx, EXPRESSION, SOFT)
        else:
            layer.setConstraintExpression(idx, "", "")
        cfg.setReadOnly(idx, not f.editable)
        cfg.setLabelOnTop(idx, False)
        props = QgsPropertyCollection()
        label = label_expression(standard, f, lang, fp)
        if label:
            props.setProperty(QgsEditFormConfig.DataDefinedProperty.Alias, QgsProperty.fromExpression(label))
        cfg.setDataDefinedFieldProperties(f.name, props)
    cfg.setLayout(QgsEditFormConfig.EditorLayout.TabLayout)
    build_containers(standard, layer, cfg, lang, relation)
    # no embedded Python: QGIS would ask every user to allow macros; tooltips come from
    # forms.help (plugin) and from the GeoPackage's column descriptions (GDAL >= 3.7).
    # Code a foreign file brought along is removed, not only switched off (it would be saved again)
    clear_form_code(cfg)
    layer.setEditFormConfig(cfg)
    layer.setDisplayExpression(standard.data["layer"]["display_expression"])
    return plan


def apply_fasering_form(layer: QgsVectorLayer, standard: Standard, lang: str = "nl") -> None:
    """Aliases, spin boxes, defaults and the R19 year range on the fasering table."""
    ctx = ck.ExprContext(standard, fasering_form=True)
    fields = layer.fields()
    # the fasering table's field checks, and of its row rules (R19) those the form can express
    checks = [c for c in standard.checks if c.params.get("table") == standard.fasering_name
              or (on_fasering_rows(c, standard) and kinds.expression(c, ctx) is not None)]
    for f in standard.fasering_fields:
        idx = fields.indexOf(f.name)
        if idx < 0:
            continue
        layer.setFieldAlias(idx, f.text(lang))
        for kind in (NOT_NULL, UNIQUE, EXPRESSION):
            layer.removeFieldConstraint(idx, kind)
        if f.name == "plan_id":
            layer.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("Hidden", {}))
        elif f.name == "jaar":
            layer.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("Range", {
                "Min": 1900, "Max": 2200, "Step": 1, "AllowNull": False, "Style": "SpinBox"}))
            layer.setDefaultValueDefinition(idx, QgsDefaultValue("year(now())"))
        else:
            layer.setEditorWidgetSetup(idx, widget_setup(f, standard, lang))
            expr = default_expression(f, None)
            if expr:
                layer.setDefaultValueDefinition(idx, QgsDefaultValue(expr))
        if f.required:
            layer.setFieldConstraint(idx, NOT_NULL, HARD)
        mine = [c for c in checks if c.field == f.name]
        exprs = [e for e in (kinds.expression(c, ctx) for c in mine) if e]
        if exprs:
            layer.setConstraintExpression(idx, _and(exprs), _description(mine, lang))
            layer.setFieldConstraint(idx, EXPRESSION, HARD)
    for i, fld in enumerate(fields):         # the GeoPackage's fid and other non-Basisset columns
        if fld.name() not in {f.name for f in standard.fasering_fields}:
            layer.setEditorWidgetSetup(i, QgsEditorWidgetSetup("Hidden", {}))
    cfg = layer.editFormConfig()
    cfg.setLayout(QgsEditFormConfig.EditorLayout.GeneratedLayout)
    from .split_form import apply_split_tabs  # a province layer's split per year on its own tab
    apply_split_tabs(layer, standard, cfg)
    clear_form_code(cfg)
    layer.setEditFormConfig(cfg)
    layer.setDisplayExpression("\"jaar\" || ': ' || \"aantal\"")


# ------------------------------------------------------------------------------------------------
# Python in a form's configuration (form init code): the plugin's forms need none


def form_code(cfg: QgsEditFormConfig) -> Optional[str]:
    """What Python a form configuration carries (function, file or code), or None."""
    parts = []
    if cfg.initFunction().strip():
        parts.append(cfg.initFunction().strip())
    if cfg.initFilePath().strip():
        parts.append(cfg.initFilePath().strip())
    if cfg.initCode().strip():
        first = cfg.initCode().strip().splitlines()[0]
        parts.append(first[:60] + ("…" if len(first) > 60 else ""))
    if not parts and cfg.initCodeSource() != QgsEditFormConfig.PythonInitCodeSource.CodeSourceNone:
        parts.append("?")
    return ", ".join(parts) if parts else None


def clear_form_code(cfg: QgsEditFormConfig) -> None:
    """Remove form init code entirely: source none, and no text, file or function left to save."""
    cfg.setInitCodeSource(QgsEditFormConfig.PythonInitCodeSource.CodeSourceNone)
    cfg.setInitCode("")
    cfg.setInitFilePath("")
    cfg.setInitFunction("")


def strip_form_code(layer: QgsVectorLayer) -> Optional[str]:
    """Remove the Python of a layer's form before a form opens; returns what was removed, or None."""
    cfg = layer.editFormConfig()
    found = form_code(cfg)
    if found is None:
        return None
    clear_form_code(cfg)
    layer.setEditFormConfig(cfg)
    return found


def find_element(container, name: str) -> Optional[QgsAttributeEditorElement]:
    for child in container.children():
        if child.name() == name:
            return child
        if child.type() == QgsAttributeEditorElement.AttributeEditorType.AeTypeContainer:
            hit = find_element(child, name)
            if hit is not None:
                return hit
    return None
