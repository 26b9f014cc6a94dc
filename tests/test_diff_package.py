"""Issue 11 with real packages: the previous delivery read safely, the diff command, export
--previous (report section and manifest) and what the changes section never names."""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from diff_util import GM, S, current_records, fasering, geom, pid, previous_records, record, table

from lmvw_plugin.delivery.compare import compare, layer_delivery
from lmvw_plugin.delivery.compare_read import CompareError, read_current, read_package
from lmvw_plugin.delivery.package import export
from lmvw_plugin.storage.ogr import read_plans
from pkg_util import sha256, write_plans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEIL = _dt.date(2026, 4, 1)


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "LMVW_LANG"}
    return subprocess.run([sys.executable, "-m", "lmvw_plugin", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env)


def make_package(folder, records, geoms, fas, uitvraag="2026-voorjaar", profile="provincie", previous=None,
                 peildatum=PEIL):
    out = os.path.join(str(folder), f"lmvw_{GM}_{uitvraag}.zip")
    return export(table(records, geoms), fasering(fas), out, gemeente=GM, uitvraag=uitvraag, peildatum=peildatum,
                  profile=profile, concept=True, standard=S, previous=previous)


@pytest.fixture
def pair(tmp_path):
    """The previous package and the current plans as a GeoPackage."""
    pr, pg, pf = previous_records()
    prev = make_package(tmp_path, pr, pg, pf)
    cr, cg, cf = current_records()
    gpkg = write_plans(tmp_path / "nu.gpkg", cr, cg, [{"plan_id": p, "jaar": y, "aantal": a} for p, y, a in cf])
    return prev.zip_path, gpkg


def test_a_package_round_trip_gives_the_same_changes_as_the_tables(pair):
    prev_zip, gpkg = pair
    previous = read_package(prev_zip, S)
    assert previous.uitvraag == "2026-voorjaar" and previous.sha256 == sha256(prev_zip)
    got = compare(S, previous, read_current(gpkg, S, gemeente=GM))
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    want = compare(S, layer_delivery(S, table(pr, pg), fasering(pf)), layer_delivery(S, table(cr, cg), fasering(cf)))
    assert got.to_dict()["summary"] == want.to_dict()["summary"]
    assert [p.as_dict() for p in got.plans] == [p.as_dict() for p in want.plans]


def test_diff_json_onto_an_input_is_refused_before_the_packages_are_read(pair, monkeypatch, capsys):
    from lmvw_plugin import cli
    from lmvw_plugin.delivery import diff_command
    prev_zip, gpkg = pair

    def read_both(*a, **k):
        raise AssertionError("the packages were read before the --json target was refused")
    monkeypatch.setattr(diff_command, "read_both", read_both)
    for target in (prev_zip, gpkg):
        before = sha256(target)
        assert cli.main(["diff", prev_zip, gpkg, "--json", target]) == 2
        assert "--json" in capsys.readouterr().err and sha256(target) == before


def test_diff_command_json_and_exit_codes(pair, tmp_path):
    prev_zip, gpkg = pair
    out = tmp_path / "changes.json"
    r = run("diff", prev_zip, gpkg, "--json", out)
    assert r.returncode == 0, r.stderr
    assert "Vergeleken met de levering 2026-voorjaar: 1 nieuw, 2 verdwenen, 12 gewijzigd, 2 ongewijzigd." in r.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"summary", "plans", "findings"}
    assert data["summary"] == {"nieuw": 1, "verdwenen": 2, "gewijzigd": 12, "ongewijzigd": 2,
                               "vertraging_woningjaren": 20}
    assert all(set(p) == {"plan_id", "plannaam", "kind", "changes"} for p in data["plans"])
    assert all(set(c) == {"field", "old", "new"} for p in data["plans"] for c in p["changes"])
    assert sorted(f["rule"] for f in data["findings"]) == ["V01", "V02", "V03", "V04", "V05"]
    # no changes: still 0
    r = run("diff", prev_zip, prev_zip)
    assert r.returncode == 0 and "0 nieuw, 0 verdwenen, 0 gewijzigd, 16 ongewijzigd" in r.stdout
    # the --json target is never an input
    r = run("diff", prev_zip, gpkg, "--json", gpkg)
    assert r.returncode == 2 and "--json" in r.stderr


def test_a_damaged_or_changed_previous_package_is_refused(pair, tmp_path):
    prev_zip, gpkg = pair
    bad = tmp_path / "changed.zip"
    shutil.copy(prev_zip, bad)
    with zipfile.ZipFile(bad) as zf:
        info = zf.getinfo("woningbouwplannen.gpkg")
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5000
    with open(bad, "r+b") as fh:                    # the GeoPackage is stored: one byte of it
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(CompareError) as e:
        read_package(str(bad), S)
    assert e.value.reason == "package" and {p.kind for p in e.value.problems} & {"checksum", "damaged"}
    r = run("diff", bad, gpkg)
    assert r.returncode == 2
    assert "kan niet worden vergeleken" in r.stderr and "changed.zip" in r.stderr
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    r = run("diff", junk, gpkg)
    assert r.returncode == 2 and "geen leesbaar zipbestand" in r.stderr
    r = run("diff", tmp_path / "missing.zip", gpkg)
    assert r.returncode == 2 and "bestaat niet" in r.stderr
    r = run("diff", prev_zip, tmp_path / "missing.gpkg")
    assert r.returncode == 2 and "bestaat niet" in r.stderr
    r = run("export", gpkg, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01", "--previous", bad,
            "-o", tmp_path)
    assert r.returncode == 2 and not os.path.exists(tmp_path / f"lmvw_{GM}_2026-najaar.zip")


def test_export_previous_adds_the_section_and_the_manifest_records_it(pair, tmp_path):
    prev_zip, gpkg = pair
    out = tmp_path / "nieuw"
    out.mkdir()
    r = run("export", gpkg, "--uitvraag", "2026-najaar", "--peildatum", "2026-10-01", "--previous", prev_zip,
            "--concept", "-o", out)
    assert r.returncode == 0, r.stderr
    path = out / f"lmvw_{GM}_2026-najaar.zip"
    with zipfile.ZipFile(path) as zf:
        m = json.loads(zf.read("manifest.json"))
        html = zf.read("validatierapport.html").decode("utf-8")
    assert m["previous"] == {"uitvraag": "2026-voorjaar", "peildatum": "2026-04-01", "sha256": sha256(prev_zip),
                             "file": os.path.basename(prev_zip)}
    assert {k: m["changes"][k] for k in ("nieuw", "verdwenen", "gewijzigd", "ongewijzigd")} == \
        {"nieuw": 1, "verdwenen": 2, "gewijzigd": 12, "ongewijzigd": 2}
    assert m["changes"]["vertraging_woningjaren"] == 20
    assert "<h2>Wijzigingen sinds 2026-voorjaar</h2>" in html and "Verwachte oplevering per jaar, toen en nu" in html
    assert m["validation"]["by_rule"].get("V01") == 1
    assert run("inspect", path).returncode == 0              # the province's check still passes


# ------------------------------------------------------------------------------------------------
# confidentiality: a plan the profile keeps out, now or in the previous delivery, is never named


def conf(**kw):
    return dict(vertrouwelijkheid="gemeente", vertrouwelijk_reden="grondaankoop", planstatus="3", **kw)


def section(html):
    start = html.index("<h2>Wijzigingen sinds")
    end = html.index("<h2>", start + 5)
    return html[start:end]


def test_the_changes_section_never_names_a_plan_the_profile_keeps_out(tmp_path):
    names = {0: "Open Een", 1: "Open Twee", 2: "Geheim Oud", 3: "Geheim Weg", 4: "Geheim Nieuw",
             5: "Geheim Blijft", 6: "Open Drie"}
    then = [record(0, plannaam=names[0]), record(1, plannaam=names[1]), record(2, plannaam=names[2], **conf()),
            record(3, plannaam=names[3], **conf()), record(4, plannaam=names[4], aantal_gerealiseerd=8),
            record(5, plannaam=names[5], **conf()), record(6, plannaam=names[6])]
    prev = make_package(tmp_path, then, [geom(i) for i in range(7)], [], profile="provincie_volledig")
    now = [record(0, plannaam=names[0], bruto_plancapaciteit=30, eengezins=30, betaalbare_koop=30),   # changed
           record(2, plannaam=names[2], bruto_plancapaciteit=25, eengezins=25, betaalbare_koop=25),   # public now
           record(4, plannaam=names[4], aantal_gerealiseerd=3, **conf()),                              # V02, secret now
           record(5, plannaam=names[5], bruto_plancapaciteit=40, eengezins=40, betaalbare_koop=40, **conf()),
           record(6, plannaam=names[6]),
           record(7, plannaam="Geheim Erbij", **conf())]
    # Open Twee and Geheim Weg are gone (V01 each)
    out = tmp_path / "nu"
    out.mkdir()
    result = make_package(out, now, [geom(i) for i in (0, 2, 4, 5, 6, 7)], [], uitvraag="2026-najaar",
                          previous=read_package(prev.zip_path, S), peildatum=_dt.date(2026, 10, 1))
    with zipfile.ZipFile(result.zip_path) as zf:
        html = zf.read("validatierapport.html").decode("utf-8")
        m = json.loads(zf.read("manifest.json"))
        everything = "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()
                               if not n.endswith(".gpkg"))
    part = section(html)
    assert "Open Een" in part and "Open Twee" in part
    for secret in ("Geheim Oud", "Geheim Weg", "Geheim Nieuw", "Geheim Blijft", "Geheim Erbij"):
        assert secret not in part, secret
    for i in (2, 3, 4, 5, 7):
        assert pid(i) not in part
    # nowhere in the package a plan that is confidential now, or a gone one that was confidential then
    for secret in ("Geheim Weg", "Geheim Nieuw", "Geheim Blijft", "Geheim Erbij"):
        assert secret not in everything, secret
    for i in (3, 4, 5, 7):
        assert pid(i) not in everything
    # counted in the aggregate only: every kind counts them, the totals leave them out
    ch = m["changes"]
    assert (ch["nieuw"], ch["verdwenen"], ch["gewijzigd"], ch["ongewijzigd"]) == (1, 2, 4, 1)
    assert ch["not_named"] == 5                          # Geheim Oud, Weg, Nieuw, Blijft, Erbij
    assert ch["capacity"]["now"]["soft"]["bruto"] == m["counts"]["bruto_zacht"]       # delivered plans only
    assert ch["capacity"]["now"]["soft"]["plans"] == 3
    assert ch["capacity"]["then"]["soft"]["plans"] == 4                                # Open Een, Twee, Drie, Nieuw
    assert "V02" in m["validation"]["by_rule"]            # Geheim Nieuw's finding counts, without its name
    assert re.search(r"V01</td><td class='n'>0</td><td class='n'>1", html)            # Geheim Weg: anonymous


def test_help_documents_diff_and_export_previous():
    r = run("diff", "--help")
    assert r.returncode == 0 and "PREVIOUS" in r.stdout and "--json" in r.stdout
    assert "Gelderland" in r.stdout                      # a province's file can be the previous delivery
    r = run("export", "--help")
    assert r.returncode == 0 and "--previous" in r.stdout
    assert "diff" in run("--help").stdout


def test_a_confidential_plan_left_out_both_times_is_not_new(tmp_path):
    plans = [record(0, plannaam="Open"), record(1, plannaam="Geheim", **conf())]
    prev = make_package(tmp_path, plans, [geom(0), geom(1)], [])                     # provincie: 'Geheim' stays home
    out = tmp_path / "nu"
    out.mkdir()
    result = make_package(out, plans, [geom(0), geom(1)], [], uitvraag="2026-najaar",
                          previous=read_package(prev.zip_path, S), peildatum=_dt.date(2026, 10, 1))
    ch = result.manifest["changes"]
    assert (ch["nieuw"], ch["verdwenen"], ch["gewijzigd"], ch["ongewijzigd"]) == (0, 0, 0, 1)


def test_two_packages_compare_as_their_tables(tmp_path):
    """Both sides packages (their geometries stay WKB; only the plans whose stored WKB differs are
    parsed and measured): the same changes as the tables give, B moved under the tolerance is
    unchanged, K and L changed, P matched by name and overlapping geometry."""
    pr, pg, pf = previous_records()
    cr, cg, cf = current_records()
    prev = make_package(tmp_path, pr, pg, pf)
    cur = make_package(tmp_path, cr, cg, cf, uitvraag="2026-najaar")
    a, b = read_package(prev.zip_path, S), read_package(cur.zip_path, S)
    got = compare(S, a, b)
    want = compare(S, layer_delivery(S, table(pr, pg), fasering(pf)), layer_delivery(S, table(cr, cg), fasering(cf)))
    assert [p.as_dict() for p in got.plans] == [p.as_dict() for p in want.plans]
    assert got.to_dict()["summary"] == want.to_dict()["summary"]
    changed = {p.plannaam: [c["field"] for c in p.changes] for p in got.plans}
    assert "Plan B" not in changed and "geometrie_verplaatst" in changed["Plan K"]
    assert "geometrie_oppervlakte" in changed["Plan L"] and got.matching.proposed.sum() == 1
    # every geometry, when asked for, as the reader parses them
    eager, _ = read_plans(f"/vsizip/{cur.zip_path}/woningbouwplannen.gpkg", S, to_rd=False)
    rows = [0, 3, 5]
    assert [g.wkb for g in b.plans.geometry_of(rows)] == [g.wkb for g in eager.geometry[rows]]
    assert [g.wkb for g in b.plans.geometry] == [g.wkb for g in eager.geometry]


def test_a_package_with_an_unreadable_geopackage_is_refused_for_its_checksum(pair, tmp_path):
    """The checks run beside GDAL's read: a package whose GeoPackage GDAL cannot open is still
    refused as a changed package (inspect's problems), not as an unreadable file."""
    prev_zip, gpkg = pair
    bad = tmp_path / "broken.zip"
    shutil.copy(prev_zip, bad)
    with zipfile.ZipFile(bad) as zf:
        info = zf.getinfo("woningbouwplannen.gpkg")
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
    with open(bad, "r+b") as fh:                    # the SQLite header of the stored GeoPackage
        fh.seek(offset)
        fh.write(b"\0" * 100)
    with pytest.raises(CompareError) as e:
        read_package(str(bad), S)
    assert e.value.reason == "package" and {p.kind for p in e.value.problems} & {"checksum", "damaged"}


def _changed_copy(prev_zip, tmp_path, member="woningbouwplannen.gpkg"):
    bad = tmp_path / f"changed-{member}.zip"
    shutil.copy(prev_zip, bad)
    with zipfile.ZipFile(bad) as zf:
        info = zf.getinfo(member)
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    with open(bad, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0xFF]))
    return str(bad)


@pytest.fixture
def slow_checks(monkeypatch):
    """inspect's checksums held back until the test lets them go: the reading is done first, so the
    comparison runs while the checks still run (diff's deferred reading)."""
    import threading

    from lmvw_plugin.delivery import compare_read
    from lmvw_plugin.delivery.inspect import inspect as real
    go = threading.Event()

    def held(path, *a, on_manifest=None, **kw):
        def seen(m):
            on_manifest(m)
            assert go.wait(30)
        return real(path, *a, on_manifest=seen if on_manifest else None, **kw)
    monkeypatch.setattr(compare_read, "inspect", held)
    return go


def test_a_deferred_read_refuses_a_changed_package_when_confirmed(pair, tmp_path, slow_checks):
    prev_zip, _gpkg = pair
    bad = _changed_copy(prev_zip, tmp_path)
    d = read_package(bad, S, compared_only=True, deferred=True)    # read, the manifest seen, the checksums not yet
    assert d.uitvraag == "2026-voorjaar" and d.plans.n > 0
    slow_checks.set()
    with pytest.raises(CompareError) as e:
        d.confirm()
    assert e.value.reason == "package" and {p.kind for p in e.value.problems} & {"checksum", "damaged"}
    good = read_package(prev_zip, S, compared_only=True, deferred=True)
    good.confirm()                                     # an unchanged package passes


def test_the_comparison_checks_the_member_it_reads_and_the_others_are_listed_and_sized(pair, tmp_path):
    """diff reads a package's GeoPackage: that member's SHA-256 is checked against the manifest; the
    CSV copies and the report are checked as present, listed and of their listed size, and their
    checksums by the full reading (export --previous, the dialog) and by inspect."""
    prev_zip, _gpkg = pair
    csv_changed = _changed_copy(prev_zip, tmp_path, "woningbouwplannen.csv")
    d = read_package(csv_changed, S, compared_only=True)
    assert d.plans.n == read_package(prev_zip, S, compared_only=True).plans.n
    with pytest.raises(CompareError) as e:
        read_package(csv_changed, S)
    assert {p.kind for p in e.value.problems} & {"checksum", "damaged"}
    assert run("inspect", csv_changed).returncode in (2, 3)          # damaged or changed
    for member in ("fasering.csv", "validatierapport.html"):       # gone: refused all the same
        gone = tmp_path / f"without-{member}.zip"
        with zipfile.ZipFile(prev_zip) as src, zipfile.ZipFile(gone, "w") as dst:
            for info in src.infolist():
                if info.filename != member:
                    dst.writestr(info, src.read(info.filename))
        with pytest.raises(CompareError) as e:
            read_package(str(gone), S, compared_only=True)
        assert "missing" in {p.kind for p in e.value.problems}


@pytest.mark.parametrize("compare_fails", [False, True])
def test_diff_shows_and_writes_nothing_of_a_changed_package(pair, tmp_path, slow_checks, monkeypatch, capsys,
                                                            compare_fails):
    """The comparison runs before the checks end; a changed package is still refused as changed
    (exit 2, inspect's problem) with nothing printed or written, also when its values make the
    comparison itself fail."""
    import threading

    from lmvw_plugin import cli
    from lmvw_plugin.delivery import diff_command
    prev_zip, gpkg = pair
    bad = _changed_copy(prev_zip, tmp_path)
    real = diff_command.compare

    def compare_then_release(*a, **kw):
        threading.Timer(0.2, slow_checks.set).start()
        if compare_fails:
            raise ValueError("a value no unchanged package holds")
        return real(*a, **kw)
    monkeypatch.setattr(diff_command, "compare", compare_then_release)
    out = tmp_path / "changes.json"
    assert cli.main(["diff", bad, gpkg, "--json", str(out)]) == 2
    got = capsys.readouterr()
    assert "kan niet worden vergeleken" in got.err and "Vergeleken met" not in got.out
    assert not out.exists()
