"""One definition, two uses: every record check gives the same verdict as a QGIS expression (what
the form enforces) and in the validator (what the dock, Processing, the CLI and the report show)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeature, QgsVectorLayer
from qgis.PyQt.QtCore import QDate

from lmvw_plugin.rules import checks as ck
from lmvw_plugin.rules import kinds
from lmvw_plugin.rules.table import PlanTable
from lmvw_plugin.standard import load

pytestmark = pytest.mark.usefixtures("geometry_backend")   # every test: shapely 2 and the OGR back end

S = load()
PEIL = dt.date(2026, 10, 1)
TYPES = {"text": "string", "int": "integer", "bool": "boolean", "date": "date", "datetime": "datetime"}
LAYER = QgsVectorLayer("MultiPolygon?crs=epsg:28992&" + "&".join(
    f"field={f.name}:{TYPES[f.type]}" + (f"({f.width})" if f.width else "") for f in S.fields), "eq", "memory")
EXPR_CTX = ck.ExprContext(S, peildatum="to_date('2026-10-01')", relation_id=None)
CHECKS = [c for c in S.checks if kinds.expression(c, EXPR_CTX) is not None
          and c.params.get("table", S.layer_name) == S.layer_name]
COMPILED = {c.id: QgsExpression(kinds.expression(c, EXPR_CTX)) for c in CHECKS}


def value_strategy(f):
    if f.type == "int":
        return st.one_of(st.none(), st.integers(-3, 60), st.sampled_from([11, 12, 2022, 2026, 2030, 0]))
    if f.type == "bool":
        return st.one_of(st.none(), st.booleans())
    if f.type == "date":
        return st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
                         st.sampled_from([PEIL, PEIL + dt.timedelta(days=1)]))
    if f.type == "datetime":
        return st.none()
    pool = []
    if f.codelist:
        pool = S.codes(f.codelist)
    if f.name == "gemeentecode":
        pool = ["GM0344", "GM9999", "0344", "GMabcd"]
    texts = st.text(alphabet="ab é'\"", max_size=8)
    choices = [st.none(), st.sampled_from(["", "  ", "x" * (f.width or 10), "x" * ((f.width or 10) + 1)]), texts]
    if pool:
        choices.append(st.sampled_from(pool))
    return st.one_of(*choices)


RECORDS = st.fixed_dictionaries({f.name: value_strategy(f) for f in S.fields})


def qgis_verdicts(record):
    feat = QgsFeature(LAYER.fields())
    for f in S.fields:
        v = record[f.name]
        if isinstance(v, dt.date):
            v = QDate(v.year, v.month, v.day)
        feat[f.name] = v
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(LAYER))
    ctx.setFeature(feat)
    out = {}
    for cid, expr in COMPILED.items():
        value = expr.evaluate(ctx)
        assert not expr.hasEvalError(), (cid, expr.evalErrorString())
        assert value is not None, f"{cid} evaluates to NULL"
        out[cid] = bool(value)
    return out


def engine_verdicts(record):
    table = PlanTable.from_records(S, [record], [None])
    ctx = ck.Context(S, PEIL)
    return {c.id: bool(kinds.passes(c, table, ctx)[0]) for c in CHECKS}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_form_and_validator_agree(qgis_app, record):
    assert qgis_verdicts(record) == engine_verdicts(record)


def test_agree_on_demo_plans_with_deliberate_defects(qgis_app):
    from lmvw_plugin.demo import generate
    plans = generate(200, S, seed=7, defect_rate=0.5)
    disagreements = []
    for rec in plans.records:
        rec = {k: rec.get(k) for k in S.field_names}
        rec["gewijzigd_op"] = None
        if qgis_verdicts(rec) != engine_verdicts(rec):
            disagreements.append(rec["plannaam"])
    assert disagreements == []


def test_every_record_check_has_a_form_expression():
    """Only the fasering checks (a relation), the fasering table's own row checks and R25 (a value
    stored as another type, which the form's typed widgets cannot hold) lack one here."""
    missing = [c.id for c in S.checks
               if S.rule_by_code[c.rule].scope in ("field", "record") and c.params.get("table", S.layer_name) ==
               S.layer_name and c.kind != "type" and kinds.expression(c, EXPR_CTX) is None]
    assert missing == []
