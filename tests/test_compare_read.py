"""Issue 11, the comparison's fast reading: the command line's `diff` reads of a package only the
fields it compares, in one SQL scan of the GeoPackage (GDAL 3.6 unpacks Arrow booleans wrongly, so
the layer's own stream needs a second scan for them). The values must be exactly those of the full
read, and the changes exactly those of the full tables."""
from __future__ import annotations

import numpy as np
import pytest
from diff_util import GM, S, current_records, geom, previous_records, record
from hypothesis import given, settings
from hypothesis import strategies as st
from osgeo import ogr
from test_diff_package import make_package

from lmvw_plugin.delivery.compare import compare, compared_fields
from lmvw_plugin.delivery.compare_read import read_both, read_package
from lmvw_plugin.storage.ogr import read_fasering, read_plans
from pkg_util import write_plans


def same(a, b) -> bool:
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    return a.tolist() == b.tolist()


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """12,000 plans (three Arrow batches) with booleans true, false and NULL in every pattern, and
    gaps in the fids (deleted rows)."""
    rng = np.random.default_rng(11)
    recs, geoms = [], []
    for i in range(12_000):
        b = rng.integers(0, 3, 3)
        val = [True, False, None]
        recs.append(record(i, plannaam=f"Plan {i}", gerealiseerd=val[b[0]], vervallen=val[b[1]],
                           harde_plancapaciteit=val[b[2]], bruto_plancapaciteit=int(rng.integers(0, 400))))
        geoms.append(geom(i % 300))
    path = write_plans(tmp_path_factory.mktemp("many") / "plans.gpkg", recs, geoms,
                       [{"plan_id": r["plan_id"], "jaar": 2027 + i % 5, "aantal": 3} for i, r in enumerate(recs)])
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayerByName(S.layer_name)
    for fid in (1, 2, 500, 5001, 5002, 9999):
        lyr.DeleteFeature(fid)
    lyr = ds = None
    return path


def test_the_compared_fields_in_one_scan_are_the_full_reads_values(many):
    plans_f, fas_f = compared_fields(S)
    full, _ = read_plans(many, S, to_rd=False, scan_stored=False, parse_geometry=False)
    part, _ = read_plans(many, S, to_rd=False, scan_stored=False, parse_geometry=False, fields=plans_f)
    assert part.n == full.n == 12_000 - 6 and part.fids.tolist() == full.fids.tolist()
    assert set(part.columns) == set(plans_f)
    for name in plans_f:
        assert same(part.columns[name], full.columns[name]), name
    # the booleans as stored, not as GDAL 3.6's Arrow stream unpacks them (NULL stays NULL)
    assert set(np.unique(part.columns["gerealiseerd"].astype(str)).tolist()) == {"0.0", "1.0", "nan"}
    assert part.wkb.tolist() == full.wkb.tolist()
    with pytest.raises(KeyError):
        part.columns["opmerkingen"]                   # left out, not silently NULL
    fas_full = read_fasering(many, S, scan_stored=False)
    fas_part = read_fasering(many, S, scan_stored=False, fields=fas_f)
    assert set(fas_part.columns) == set(fas_f) and fas_part.fids.tolist() == fas_full.fids.tolist()
    for name in fas_f:
        assert same(fas_part.columns[name], fas_full.columns[name]), name


def test_compared_only_packages_give_the_full_tables_changes(tmp_path):
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    prev = make_package(tmp_path, pr, pg, pf)
    cur = make_package(tmp_path, cr, cg, cf, uitvraag="2026-najaar")
    full = compare(S, read_package(prev.zip_path, S), read_package(cur.zip_path, S))
    a, b = read_both(prev.zip_path, cur.zip_path, S, checksum=False, compared_only=True)
    assert "opmerkingen" not in a.plans.columns and "sloop" not in a.fasering.columns
    got = compare(S, a, b)
    assert got.to_dict() == full.to_dict()
    assert got.summary() == full.summary()
    assert got.to_dict()["summary"]["gewijzigd"] > 0 and got.findings


def test_a_gemeente_layer_against_a_compared_only_package(tmp_path):
    """The current plans from a GeoPackage (read whole), the previous package compared-only."""
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    prev = make_package(tmp_path, pr, pg, pf)
    gpkg = write_plans(tmp_path / "nu.gpkg", cr, cg, [{"plan_id": p, "jaar": y, "aantal": a} for p, y, a in cf])
    full = compare(S, *read_both(prev.zip_path, gpkg, S))
    got = compare(S, *read_both(prev.zip_path, gpkg, S, checksum=False, compared_only=True))
    assert got.to_dict() == full.to_dict() and got.previous.gemeente == GM


def test_the_json_text_is_json_dumps_text(tmp_path):
    """`diff --json` writes what json.dumps(indent=2, ensure_ascii=False) writes, byte for byte."""
    import json

    from lmvw_plugin.common.jsontext import json_text
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    prev = make_package(tmp_path, pr, pg, pf)
    cur = make_package(tmp_path, cr, cg, cf, uitvraag="2026-najaar")
    real = compare(S, *read_both(prev.zip_path, cur.zip_path, S)).to_dict()
    odd = {"tekst": ['a"b\\c', "regel\nnieuw\t\x01\x1f", "é ü ✓ 😀", "\u2028", ""], "leeg": [[], {}, ()],
           "getallen": [0, -1, 10**30, 1.5, -0.0, 1e-7, 1e22, float("nan"), float("inf"), -float("inf")],
           "waar": [True, False, None], "diep": {"a": [{"b": [1, {"c": []}]}]}, "tupel": (1, "x")}
    for obj in (real, odd, [], {}, "x", 3, None):
        assert json_text(obj) == json.dumps(obj, ensure_ascii=False, indent=2)
    # what it does not know it leaves to json.dumps (which raises as before)
    assert json_text({1: "a", "b": [2.5]}) == json.dumps({1: "a", "b": [2.5]}, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        json_text({"a": {1, 2}})


def test_a_long_column_of_runs_normalises_as_value_by_value():
    """A fasering's plan ids come in runs (a plan's years): each run is converted once, with the
    same values, NULLs and blank keys as one by one."""
    from lmvw_plugin.rules.table import FaseringTable
    rng = np.random.default_rng(5)
    ids = [f"plan-{i:05d}" for i in range(400)] + ["   ", ""]
    col = [ids[i] for i in np.repeat(rng.integers(0, len(ids), 900), rng.integers(1, 9, 900))]
    col[7:12] = [None] * 5
    n = len(col)
    raw = np.ma.array(np.array([c or "" for c in col], dtype="S16"), mask=[c is None for c in col])
    years = np.arange(n) % 7 + 2027.0
    fast = FaseringTable.from_columns(S, {"plan_id": raw, "jaar": years, "aantal": np.ones(n)}, fids=np.arange(n))
    slow = FaseringTable.from_columns(S, {"plan_id": list(col), "jaar": years, "aantal": np.ones(n)},
                                      fids=np.arange(n))
    assert n > 2000 and fast.plan_ids.tolist() == slow.plan_ids.tolist()
    blank = [c is not None and not c.strip() for c in col]
    assert any(blank) and all(v is None for v, b in zip(fast.plan_ids.tolist(), blank) if b)
    assert fast.plan_ids[7] is None and fast.plan_ids[0] is not None


def _with_crc_field_changed(src, dst, name):
    """A copy of the zip whose stored CRC-32 of member `name` (local header and central directory)
    is wrong while its bytes are unchanged."""
    import shutil
    import struct
    import zipfile
    shutil.copy(src, dst)
    with zipfile.ZipFile(dst) as zf:
        info = zf.getinfo(name)
    with open(dst, "rb") as fh:
        data = bytearray(fh.read())
    bad = struct.pack("<I", (info.CRC + 1) & 0xFFFFFFFF)
    data[info.header_offset + 14: info.header_offset + 18] = bad
    pos = data.find(b"PK\x01\x02")                     # the central directory's entries
    while pos >= 0:
        n = struct.unpack("<H", data[pos + 28:pos + 30])[0]
        if data[pos + 46:pos + 46 + n].decode() == name:
            data[pos + 16:pos + 20] = bad
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    with open(dst, "wb") as fh:
        fh.write(bytes(data))


def test_the_comparisons_checks_leave_out_only_the_zips_crc(tmp_path):
    """The comparison's read skips zipfile's CRC-32 of members whose SHA-256 it checks against the
    manifest: a wrong CRC field over unchanged bytes passes there (inspect itself still reports
    it), changed bytes are refused by their SHA-256 as before."""
    from lmvw_plugin.delivery.compare_read import CompareError
    from lmvw_plugin.delivery.inspect import inspect
    pr, pg, pf = previous_records()
    prev = make_package(tmp_path, pr, pg, pf)
    odd = tmp_path / "crc.zip"
    _with_crc_field_changed(prev.zip_path, odd, "fasering.csv")
    assert {p.kind for p in inspect(str(odd), "nl", S, extract_to="").problems} == {"damaged"}
    assert inspect(str(odd), "nl", S, extract_to="", zip_crc=False).problems == []
    assert read_package(str(odd), S).plans.n == len(pr)
    changed = tmp_path / "changed.zip"
    import shutil
    import zipfile
    shutil.copy(prev.zip_path, changed)
    with zipfile.ZipFile(changed) as zf:
        info = zf.getinfo("woningbouwplannen.gpkg")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    with open(changed, "r+b") as fh:                   # a byte of the stored GeoPackage's last page
        fh.seek(start + info.file_size - 10)
        b = fh.read(1)
        fh.seek(start + info.file_size - 10)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(CompareError) as e:
        read_package(str(changed), S)
    assert "checksum" in {p.kind for p in e.value.problems}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_the_json_text_is_json_dumps_text_for_any_plain_value(obj):
    """The fast JSON text (its one-piece leaves in lists and dicts too) is json.dumps's, for any plain value."""
    import json

    from lmvw_plugin.common.jsontext import json_text
    assert json_text(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=12).map(lambda b: bytes(x & 0x7F for x in b)), max_size=40))
def test_ascii_text_widened_is_numpys_own_conversion(values):
    """The readers turn GDAL's ASCII text columns into unicode by widening each byte
    (rules.table.ascii_unicode): the same array as numpy's element-by-element cast, for any ASCII
    values (empty, NUL inside or at the end, any width, no rows), and as the column the engine keeps."""
    from lmvw_plugin.rules.table import ascii_unicode
    data = np.array(values, dtype="S") if values else np.empty(0, dtype="S4")
    got, want = ascii_unicode(data), data.astype(f"U{data.itemsize}")
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert ascii_unicode(data[::2]).tolist() == data[::2].astype(f"U{data.itemsize}").tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([b"", b" ", b"\t \n", b"\x1f", b"a", b" a ", b"\x00", b" \x00x", b"\x0b\x0c",
                                 b"abc-1", b"\r"]), min_size=1, max_size=30),
       st.integers(1000, 1200))
def test_blank_keys_found_on_the_bytes_are_the_strip_rule(values, n):
    """A key of only whitespace is NULL (R01 reports it): found on GDAL's ASCII bytes for long
    columns, the same rows as str.strip() on every value."""
    from lmvw_plugin.rules.table import FaseringTable, PlanTable
    from lmvw_plugin.standard import load
    s = load()
    rows = [values[i % len(values)] for i in range(n)]
    mask = np.array([i % 7 == 3 for i in range(n)])
    raw = np.ma.masked_array(np.array(rows, dtype="S"), mask)
    # as numpy holds them (a bytes array drops trailing NULs)
    want = [None if m or not v.decode().strip() else v.decode() for v, m in zip(raw.data.tolist(), mask)]
    plans = PlanTable.from_columns(s, {s.key: raw}, None, fids=list(range(n)), strict=False)
    assert plans.columns[s.key].tolist() == want
    fas = FaseringTable.from_columns(s, {s.fasering_key: raw}, fids=list(range(n)), strict=False)
    assert fas.columns[s.fasering_key].tolist() == want
