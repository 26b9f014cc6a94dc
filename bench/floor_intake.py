"""The work any intake of packages must do, with nothing else (issue 12): per package the zip's
sha256, every member read and its sha256 (the manifest's checksums), the GeoPackage's two tables
read through SQLite, the geometries parsed (GeoPackage blob header stripped, shapely's from_wkb)
and GEOS's `is_valid` of each (the geometry rules cannot do without it), both CSVs parsed, and the
rows written as COPY text; the loading process COPYs them into the database in one transaction and
builds the spatial index at the end, as the intake does. No rule, no comparison, no report. The
packages are worked on by two processes beside the loading one, as the intake's are.

`make bench` prints its time against ogr2ogr -append and the intake's: the fastest an intake that
re-validates can be on this machine with these libraries, before a single rule.

    .venv/bin/python bench/floor_intake.py "host=... dbname=..." PACKAGE.zip...
"""
import csv
import hashlib
import io
import os
import sqlite3
import sys
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import shapely

ENVELOPE = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}        # GeoPackage blob header: envelope bytes per flag


def _cell(v) -> str:
    if v is None:
        return "\\N"
    text = str(v)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def work(path: str):
    """(plan columns, plan COPY text, fasering columns, fasering COPY text) of one package."""
    with open(path, "rb") as fh:
        hashlib.sha256(fh.read()).hexdigest()
    with zipfile.ZipFile(path) as zf:
        data = {n: zf.read(n) for n in zf.namelist()}
    for b in data.values():
        hashlib.sha256(b).hexdigest()
    with tempfile.TemporaryDirectory(prefix="lmvw-floor-") as tmp:
        gpkg = os.path.join(tmp, "p.gpkg")
        with open(gpkg, "wb") as fh:
            fh.write(data["woningbouwplannen.gpkg"])
        con = sqlite3.connect(f"file:{gpkg}?mode=ro&immutable=1", uri=True)
        try:
            cur = con.execute("SELECT * FROM woningbouwplannen ORDER BY fid")
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
            fcur = con.execute("SELECT * FROM fasering ORDER BY fid")
            fnames = [d[0] for d in fcur.description]
            frows = fcur.fetchall()
        finally:
            con.close()
    g = names.index("geom")
    wkb = np.array([None if r[g] is None else r[g][8 + ENVELOPE[(r[g][3] >> 1) & 7]:] for r in rows], dtype=object)
    geoms = shapely.from_wkb(wkb)
    shapely.is_valid(geoms)
    for n in ("woningbouwplannen.csv", "fasering.csv"):
        if n in data:
            list(csv.reader(io.StringIO(data[n].decode("utf-8-sig"))))
    hexes = ["\\N" if b is None else b.hex() for b in shapely.to_wkb(shapely.set_srid(geoms, 28992),
                                                                      include_srid=True)]
    keep = [i for i, n in enumerate(names) if n not in ("fid", "geom")]
    plans = "".join("\t".join([h] + [_cell(r[i]) for i in keep]) + "\n" for h, r in zip(hexes, rows))
    fkeep = [i for i, n in enumerate(fnames) if n != "fid"]
    fas = "".join("\t".join(_cell(r[i]) for i in fkeep) + "\n" for r in frows)
    return ["geom"] + [names[i] for i in keep], plans, [fnames[i] for i in fkeep], fas


def main(dsn: str, packages) -> int:
    import psycopg2
    with ProcessPoolExecutor(2) as pool:
        futures = [pool.submit(work, p) for p in packages]
        con = psycopg2.connect(dsn)
        try:
            with con.cursor() as cur:
                made = False
                for k, f in enumerate(futures):
                    names, plans, fnames, fas = f.result()
                    if not made:       # the columns as the packages have them (text: the floor's server
                        cur.execute("CREATE SCHEMA floor")                  # parses no typed values)
                        cur.execute("CREATE TABLE floor.plannen (fid serial PRIMARY KEY, levering integer, "
                                    "geom geometry(Geometry, 28992), "
                                    + ", ".join(f'"{n}" text' for n in names[1:]) + ")")
                        cur.execute("CREATE TABLE floor.fasering (fid serial PRIMARY KEY, levering integer, "
                                    + ", ".join(f'"{n}" text' for n in fnames) + ")")
                        made = True
                    lev = f"\t{k}\n"
                    cur.copy_expert("COPY floor.plannen (" + ", ".join(f'"{n}"' for n in names) + ", levering) "
                                    "FROM STDIN", io.StringIO(plans.replace("\n", lev)))
                    if fas:
                        cur.copy_expert("COPY floor.fasering (" + ", ".join(f'"{n}"' for n in fnames)
                                        + ", levering) FROM STDIN", io.StringIO(fas.replace("\n", lev)))
                cur.execute("CREATE INDEX ON floor.plannen USING gist (geom)")
                cur.execute("CREATE INDEX ON floor.plannen (levering)")
                cur.execute("CREATE INDEX ON floor.fasering (levering)")
            con.commit()
        finally:
            con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
