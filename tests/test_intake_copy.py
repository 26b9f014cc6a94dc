"""The intake's COPY text, built a column at a time, is the text the row by row builder gives
(issue 12's intake speed): the same stored contents, whatever the values."""
import numpy as np

from lmvw_plugin.common.geo import shapely
from lmvw_plugin.delivery.intake import plan_fields
from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load
from lmvw_plugin.storage import postgis as pgio
from pkg_util import clean_plans


def _rows_text(s, plans, fields=None):
    return pgio.copy_text(pgio.plan_rows(s, plans, fields)[1])


def test_plan_copy_equals_row_by_row_for_awkward_values():
    s = load()
    ps = clean_plans(12)
    t = PlanTable.from_records(s, ps.records, ps.geometries)
    fasering = FaseringTable.from_records(s, ps.fasering)
    text_fields = [f.name for f in s.fields if f.type == "text" and f.name in t.columns]
    awkward = ["a\\b", "tab\there", "new\nline", "cr\rx", "'=formula", "ü ñ €", ""]
    col = np.array(t.columns[text_fields[1]], dtype=object)
    for i, v in enumerate(awkward):
        col[i] = v
    t.columns[text_fields[1]] = col
    geoms = np.array(t.geometry, dtype=object)
    geoms[0] = None                                            # no geometry
    geoms[1] = shapely.get_parts(geoms[2])[0] if geoms[2] is not None else geoms[1]   # a Polygon
    t.geometry = geoms
    for fields in (None, plan_fields(s)):
        names, text = pgio.plan_copy(s, t, fields)
        assert names == pgio.plan_rows(s, t, fields)[0]
        assert text == _rows_text(s, t, fields)
    assert "a\\\\b" in text and "tab\\there" in text and "new\\nline" in text and "\\N" in text
    names, text = pgio.fasering_copy(s, fasering)
    assert text == pgio.copy_text(pgio.fasering_rows(s, fasering)[1]) and text.count("\n") == fasering.n


def test_plan_copy_of_masked_and_nan_values():
    s = load()
    recs = [{"plan_id": "7d4e0a52-5a58-4c1d-9a53-2c7f7c4b0c01", "bruto_plancapaciteit": 3, "plannaam": "x"},
            {"plan_id": "7d4e0a52-5a58-4c1d-9a53-2c7f7c4b0c02", "bruto_plancapaciteit": None, "plannaam": None}]
    t = PlanTable.from_records(s, recs, [None, None])
    ints = [f.name for f in s.fields if f.type == "int"]
    t.columns[ints[0]] = np.ma.array([5, 7], mask=[False, True])
    floats = np.array([2.0, np.nan])
    t.columns[ints[1]] = floats
    names, text = pgio.plan_copy(s, t)
    assert text == _rows_text(s, t)
    f = FaseringTable.from_records(s, [])
    assert pgio.fasering_copy(s, f)[1] == "" == pgio.copy_text(pgio.fasering_rows(s, f)[1])
