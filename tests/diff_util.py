"""Two deliveries with known differences, for the comparison's tests (issue 11)."""
from __future__ import annotations

import datetime as _dt
import uuid

from shapely import affinity
from shapely.geometry import MultiPolygon, box

from lmvw_plugin.rules.table import FaseringTable, PlanTable
from lmvw_plugin.standard import load

S = load()
GM = "GM0344"


def pid(i: int) -> str:
    return str(uuid.UUID(int=0x1234_0000_0000_4000_8000_0000_0000_0000 + i))


def record(i: int, **kw):
    r = {"plan_id": pid(i), "plannaam": f"Plan {i:02d}", "gemeentecode": GM, "plantype": "verdichting",
         "planstatus": "3", "vertrouwelijkheid": "openbaar", "bruto_plancapaciteit": 20, "sloop": 0,
         "aantal_gerealiseerd": 0, "eengezins": 20, "meergezins": 0, "woningtype_onbekend": 0,
         "betaalbare_koop": 20, "prijspeil_jaar": 2026, "gerealiseerd": False, "vervallen": False}
    for name in ("sociale_huur_corporatie", "sociale_huur_markt", "sociale_huur_markt_geborgd",
                 "middenhuur_corporatie", "middenhuur_markt", "middenhuur_markt_geborgd", "dure_huur",
                 "huur_prijs_onbekend", "dure_koop", "koop_prijs_onbekend", "eigendom_onbekend",
                 "nultredenwoningen", "geclusterd", "zorggeschikt", "tijdelijke_woningen"):
        r[name] = 0
    r.update(kw)
    return r


def geom(i: int):
    x, y = 130000 + 300 * (i % 10), 450000 + 300 * (i // 10)
    return MultiPolygon([box(x, y, x + 100, y + 100)])


def table(records, geoms) -> PlanTable:
    return PlanTable.from_records(S, records, geoms)


def fasering(rows) -> FaseringTable:
    return FaseringTable.from_records(S, [{"plan_id": p, "jaar": y, "aantal": a} for p, y, a in rows])


# the plans of the previous delivery, by letter; what happens to each in the current one
LETTERS = "ABCDEFGHIJKLMNPQ"
IDX = {c: i for i, c in enumerate(LETTERS)}


def previous_records():
    recs, geoms = [], []
    for c, i in IDX.items():
        kw = {"plannaam": f"Plan {c}"}
        if c == "E":
            kw["planstatus"] = "1A"
        if c == "F":
            kw.update(aantal_gerealiseerd=10)
        if c == "G":
            kw.update(gerealiseerd=True, aantal_gerealiseerd=20, datum_gerealiseerd=_dt.date(2025, 6, 1),
                      planstatus="1A")
        if c == "N":
            kw.update(vervallen=True, datum_vervallen=_dt.date(2025, 1, 1), reden_vervallen="besluit_gemeente")
        recs.append(record(i, **kw))
        geoms.append(geom(i))
    fas = [(pid(IDX["Q"]), 2027, 10), (pid(IDX["Q"]), 2028, 10)]
    return recs, geoms, fas


def current_records():
    """Every kind of change, one per plan; returned in another order than the previous delivery."""
    recs, geoms, fas = previous_records()
    by = {r["plannaam"][-1]: (dict(r), g) for r, g in zip(recs, geoms)}
    out = {}
    for c, (r, g) in by.items():
        if c == "B":
            g = affinity.translate(g, 0.3, 0.2)                       # under the tolerance
        elif c == "C":
            r.update(bruto_plancapaciteit=25, eengezins=25, betaalbare_koop=25)
        elif c == "D":
            r["planstatus"] = "1A"                                    # soft -> hard
        elif c == "E":
            r["planstatus"] = "3"                                     # hard -> soft: V03
        elif c == "F":
            r["aantal_gerealiseerd"] = 5                              # V02
        elif c == "G":
            r.update(gerealiseerd=False, datum_gerealiseerd=None)     # V04
        elif c == "H":
            r.update(betaalbare_koop=18, dure_koop=2)                 # price split
        elif c == "I":
            r.update(eengezins=19, meergezins=1)                      # woningtype split
        elif c == "J":
            r["vertrouwelijkheid"] = "regio"
        elif c == "K":
            g = affinity.translate(g, 10, 0)                          # moved
        elif c == "L":
            g = affinity.scale(g, 1.2, 1.2)                           # resized
        elif c in "MN":
            continue                                                  # gone (N was vervallen)
        elif c == "P":
            r["plan_id"] = pid(99)                                    # plan id lost: V05
        out[c] = (r, g)
    out["O"] = (record(50, plannaam="Plan O"), geom(50))              # new
    order = sorted(out, reverse=True)                                 # another file order
    fas = [(pid(IDX["Q"]), 2027, 0 + 0), (pid(IDX["Q"]), 2029, 10), (pid(IDX["Q"]), 2028, 10)]
    fas = [f for f in fas if f[2]]
    return [out[c][0] for c in order], [out[c][1] for c in order], fas
