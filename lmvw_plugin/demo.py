"""Demo and test data: realistic Basisset plans with consistent counts and fasering.

Pure Python (numpy; geometries from the `common.geo` back end, shapely 2 or OGR). `demo_plans()`
gives the ~25 plans of `make demo` in Utrecht;
`generate()` gives any number of plans spread over an area, with optional defects, for tests and
for the national-scale benchmark.
"""
from __future__ import annotations

import datetime as _dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .common.geo import shapely
from .standard import Standard, load

DEMO_GEMEENTE = "GM0344"   # Utrecht
# (x, y) in RD New of places in Utrecht, with the plan names of the demo
DEMO_SITES: List[Tuple[str, str, float, float]] = [
    ("Merwedekanaalzone deelgebied 4", "Utrecht", 134200, 453300),
    ("Merwedekanaalzone deelgebied 5", "Utrecht", 134650, 452850),
    ("Beurskwartier", "Utrecht", 135600, 455700),
    ("Jaarbeurs Noord", "Utrecht", 135250, 456150),
    ("Leidsche Rijn Centrum Oost", "Utrecht", 131000, 455300),
    ("Rijnvliet fase 3", "De Meern", 128400, 453200),
    ("Haarzicht", "Vleuten", 127200, 456900),
    ("Wisselspoor", "Utrecht", 137150, 457500),
    ("Cartesiusdriehoek", "Utrecht", 134300, 457200),
    ("Kanaleneiland Zuid herstructurering", "Utrecht", 133450, 453900),
    ("Overvecht Noord Vernieuwing", "Utrecht", 137600, 459700),
    ("Hoograven Tolsteeg", "Utrecht", 137000, 453800),
    ("Lunetten Winkelcentrum", "Utrecht", 138800, 453300),
    ("Galgenwaard", "Utrecht", 139200, 455100),
    ("Science Park Woongebied", "Utrecht", 140800, 455500),
    ("Zuilen Elinkwijk", "Utrecht", 134600, 459400),
    ("Ondiep Amsterdamsestraatweg", "Utrecht", 135000, 458500),
    ("Lombok Kop van Lombok", "Utrecht", 134700, 456000),
    ("Tuindorp Oost Pand Biltstraat", "Utrecht", 137800, 456700),
    ("Oudwijk Kloosterhof", "Utrecht", 138100, 455700),
    ("Papendorp Woontoren", "Utrecht", 132300, 453300),
    ("Rijnenburg Noord", "Utrecht", 131000, 450200),
    ("Strijkviertel", "De Meern", 130100, 452000),
    ("Hof van Vleuten", "Vleuten", 127700, 457800),
    ("Terwijde Oost kavels", "Vleuten", 129300, 456100),
    ("Ambtelijke verkenning Zuilense Ring", "Utrecht", 135900, 460300),
]

PRICE_FIELDS = ["sociale_huur_corporatie", "sociale_huur_markt", "middenhuur_corporatie",
                "middenhuur_markt", "dure_huur", "huur_prijs_onbekend", "betaalbare_koop",
                "dure_koop", "koop_prijs_onbekend", "eigendom_onbekend"]


@dataclass
class PlanSet:
    records: List[Dict[str, Any]]
    geometries: List[Any]
    fasering: List[Dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records)


def blob(rng: np.random.Generator, cx: float, cy: float, radius: float, vertices: int):
    """A star-shaped, valid polygon around (cx, cy)."""
    ang = np.sort(rng.uniform(0, 2 * math.pi, vertices))
    ang = ang + np.linspace(0, 1e-6, vertices)        # strictly increasing
    r = radius * rng.uniform(0.65, 1.0, vertices)
    pts = np.stack([cx + r * np.cos(ang), cy + r * np.sin(ang)], axis=1)
    pts = np.round(pts, 3)
    poly = shapely.Polygon(pts)
    if not poly.is_valid:
        poly = shapely.convex_hull(poly)
    return poly


def bowtie(poly):
    """Make a polygon invalid (self-intersecting) by swapping two of its vertices."""
    c = list(poly.exterior.coords)[:-1]
    k = len(c) // 3
    c[k], c[2 * k] = c[2 * k], c[k]
    return shapely.Polygon(c)


def split_counts(rng: np.random.Generator, total: int, k: int, weights=None) -> List[int]:
    if total <= 0:
        return [0] * k
    p = np.asarray(weights if weights is not None else rng.dirichlet(np.ones(k)), dtype=float)
    p = p / p.sum()
    return [int(x) for x in rng.multinomial(total, p)]


def consistent_record(rng: np.random.Generator, standard: Standard, *, gemeentecode: str,
                      plannaam: str, bruto: int, planstatus: str, plantype: str,
                      peiljaar: int, woonplaats: str = "", vertrouwelijkheid: Optional[str] = None,
                      gerealiseerd_frac: float = 0.0) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """A plan record that passes every record rule, with its fasering rows."""
    s = standard
    rec: Dict[str, Any] = {f.name: None for f in s.fields}
    hard = planstatus in s.hard_statuses
    internal = planstatus in s.internal_statuses
    if vertrouwelijkheid is None:
        vertrouwelijkheid = "gemeente" if internal else ("provincie_rijk" if hard else "openbaar")
    gerealiseerd = int(round(bruto * gerealiseerd_frac))
    rec.update(
        plan_id=str(uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | int(rng.integers(0, 2**63)), version=4)),
        plannaam=plannaam, gemeentecode=gemeentecode, woonplaats=woonplaats or None,
        plantype=plantype, planstatus=planstatus, vertrouwelijkheid=vertrouwelijkheid,
        vertrouwelijk_reden="Grondaankopen lopen nog" if vertrouwelijkheid == "gemeente" else None,
        projectfase=str(rng.choice(["initiatief", "definitie", "ontwerp", "voorbereiding", "realisatie"])),
        opdrachtgever_type=str(rng.choice(["gemeente", "corporatie", "ontwikkelaar", "meerdere"])),
        bruto_plancapaciteit=bruto,
        sloop=int(rng.integers(0, max(1, bruto // 8))) if plantype == "herstructurering" else 0,
        aantal_gerealiseerd=gerealiseerd, sloop_gerealiseerd=0, prijspeil_jaar=peiljaar,
        gerealiseerd=False, vervallen=False, geclusterd_min50pct_55plus=False,
        zorggeschikt_min50pct_55plus=False, tijdelijke_woningen=0,
        tijdelijke_woningen_tijdelijke_kwaliteit=0, overig_geschikt_ouderen=0,
        opmerkingen=None,
    )
    e, m, o = split_counts(rng, bruto, 3, [0.35, 0.6, 0.05])
    rec.update(eengezins=e, meergezins=m, woningtype_onbekend=o)
    prices = split_counts(rng, bruto, len(PRICE_FIELDS), [0.2, 0.05, 0.03, 0.12, 0.05, 0.05, 0.15, 0.2, 0.05, 0.1])
    rec.update(dict(zip(PRICE_FIELDS, prices)))
    rec["sociale_huur_markt_geborgd"] = int(rng.integers(0, rec["sociale_huur_markt"] + 1))
    rec["middenhuur_markt_geborgd"] = int(rng.integers(0, rec["middenhuur_markt"] + 1))
    nul = int(rng.integers(0, bruto + 1)) if bruto else 0
    gec = int(rng.integers(0, nul + 1)) if nul >= 12 else 0
    zorg = int(rng.integers(0, gec + 1)) if gec else 0
    rec.update(nultredenwoningen=nul, geclusterd=gec, zorggeschikt=zorg,
               geclusterd_min50pct_55plus=bool(gec and rng.random() < 0.6),
               zorggeschikt_min50pct_55plus=bool(zorg and rng.random() < 0.6))
    rest = bruto - gerealiseerd
    fas: List[Dict[str, Any]] = []
    if rest > 0 and not internal:
        years = int(rng.integers(1, 6))
        start = peiljaar + int(rng.integers(0, 3))
        for y, a in zip(range(start, start + years), split_counts(rng, rest, years)):
            fas.append({"plan_id": rec["plan_id"], "jaar": y, "aantal": a, "sloop": 0})
    return rec, fas


def demo_plans(standard: Optional[Standard] = None, today: Optional[_dt.date] = None,
               seed: int = 2026) -> PlanSet:
    """The ~25 plans of `make demo`: Utrecht, consistent, with a few deliberate warnings."""
    s = standard or load()
    rng = np.random.default_rng(seed)
    today = today or _dt.date.today()
    year = today.year
    specs = [  # planstatus, plantype, bruto
        ("1A", "transformatiegebied", 620), ("2A", "transformatiegebied", 540),
        ("2B", "transformatiegebied", 1200), ("3", "transformatiegebied", 450),
        ("1A", "verdichting", 380), ("1A", "uitbreiding_uitleg", 260),
        ("1B", "uitbreiding_uitleg", 180), ("2A", "verdichting", 320),
        ("1A", "verdichting", 410), ("2A", "herstructurering", 300),
        ("3", "herstructurering", 500), ("4A", "herstructurering", 220),
        ("3", "verdichting", 160), ("4A", "verdichting", 400),
        ("4B", "transformatiegebied", 650), ("3", "herstructurering", 140),
        ("2A", "verdichting", 95), ("1A", "verdichting", 60),
        ("1A", "pand_transformatie", 24), ("2C", "verdichting", 48),
        ("2A", "verdichting", 280), ("4B", "uitbreiding_uitleg", 3500),
        ("3", "uitbreiding_uitleg", 210), ("1A", "uitbreiding_uitleg", 10),
        ("1C", "uitbreiding_overig", 9), ("5A", "transformatiegebied", 700),
    ]
    records, geoms, fasering = [], [], []
    for i, ((name, place, x, y), (status, ptype, bruto)) in enumerate(zip(DEMO_SITES, specs)):
        radius = 60 + math.sqrt(bruto) * 9 if ptype != "uitbreiding_uitleg" else 120 + math.sqrt(bruto) * 14
        poly = blob(rng, x, y, radius, int(rng.integers(12, 60)))
        rec, fas = consistent_record(rng, s, gemeentecode=DEMO_GEMEENTE, plannaam=name, bruto=bruto,
                                     planstatus=status, plantype=ptype, peiljaar=year, woonplaats=place,
                                     gerealiseerd_frac=0.3 if i in (0, 4) else 0.0)
        records.append(rec)
        geoms.append(shapely.MultiPolygon([poly]))
        fasering.extend(fas)
    by_name = {r["plannaam"]: k for k, r in enumerate(records)}
    # deliberate situations the demo shows off
    k = by_name["Hof van Vleuten"]               # R16: uitleg with 10 homes (warning)
    assert records[k]["plantype"] == "uitbreiding_uitleg"
    k = by_name["Terwijde Oost kavels"]          # confidential soft plan (left out of the default delivery)
    records[k].update(vertrouwelijkheid="gemeente", vertrouwelijk_reden="Onderhandelingen met grondeigenaar")
    k = by_name["Papendorp Woontoren"]           # R18: hard plan without fasering (warning)
    fasering = [f for f in fasering if f["plan_id"] != records[k]["plan_id"]]
    k = by_name["Lombok Kop van Lombok"]         # vervallen, delivered flagged
    records[k].update(vervallen=True, datum_vervallen=_dt.date(year, 3, 12), reden_vervallen="besluit_initiatiefnemer")
    fasering = [f for f in fasering if f["plan_id"] != records[k]["plan_id"]]
    k = by_name["Tuindorp Oost Pand Biltstraat"]  # gerealiseerd
    records[k].update(gerealiseerd=True, aantal_gerealiseerd=records[k]["bruto_plancapaciteit"],
                      datum_gerealiseerd=_dt.date(year, 6, 30))
    fasering = [f for f in fasering if f["plan_id"] != records[k]["plan_id"]]
    # C03: a small overlap (warning) between two neighbours
    a, b = by_name["Beurskwartier"], by_name["Jaarbeurs Noord"]
    ga = geoms[a].geoms[0]
    nudge = shapely.affinity.translate(geoms[b].geoms[0], 0, 0)
    cx, cy = ga.centroid.x, ga.centroid.y
    bx, by = nudge.centroid.x, nudge.centroid.y
    d = math.hypot(bx - cx, by - cy)
    ra = math.sqrt(ga.area / math.pi)
    rb = math.sqrt(nudge.area / math.pi)
    shift = (d - (ra + rb) * 0.85) / d
    geoms[b] = shapely.MultiPolygon([shapely.affinity.translate(nudge, -(bx - cx) * shift, -(by - cy) * shift)])
    for r in records:
        r["gewijzigd_op"] = _dt.datetime(year, 10, 1, 9, 0, 0)
    return PlanSet(records, geoms, fasering)


# NL extent for generated data: a rough land mask of boxes in RD New (x0, y0, x1, y1)
NL_BOXES = [(155000, 560000, 270000, 610000), (130000, 480000, 250000, 560000),
            (80000, 430000, 250000, 480000), (50000, 370000, 200000, 430000),
            (160000, 320000, 200000, 370000), (100000, 380000, 160000, 410000)]


def generate(n: int, standard: Optional[Standard] = None, seed: int = 1, *, peiljaar: Optional[int] = None,
             invalid_rate: float = 0.0, overlap_rate: float = 0.0, defect_rate: float = 0.0,
             vertices: Tuple[int, int] = (12, 200), boxes: Sequence[Tuple[float, float, float, float]] = NL_BOXES,
             gemeenten: Optional[Sequence[str]] = None) -> PlanSet:
    """n plans spread over the boxes, with rates of invalid rings, overlapping pairs and
    attribute defects. Deterministic for a seed."""
    s = standard or load()
    rng = np.random.default_rng(seed)
    peiljaar = peiljaar or _dt.date.today().year
    codes = list(gemeenten or sorted(s.gemeenten))
    statuses = [c for c in s.codes("planstatus")]
    status_p = np.array([10, 4, 2, 8, 3, 2, 12, 8, 6, 3, 2], dtype=float)
    status_p /= status_p.sum()
    areas = np.array([(b[2] - b[0]) * (b[3] - b[1]) for b in boxes], dtype=float)
    box_idx = rng.choice(len(boxes), size=n, p=areas / areas.sum())
    records: List[Dict[str, Any]] = []
    geoms: List[Any] = []
    fasering: List[Dict[str, Any]] = []
    for i in range(n):
        b = boxes[box_idx[i]]
        x, y = rng.uniform(b[0], b[2]), rng.uniform(b[1], b[3])
        bruto = int(min(5000, rng.lognormal(3.6, 1.2))) + 1
        radius = 30 + math.sqrt(bruto) * 8
        poly = blob(rng, x, y, radius, int(rng.integers(vertices[0], vertices[1] + 1)))
        status = str(rng.choice(statuses, p=status_p))
        ptype = "uitbreiding_overig" if bruto <= 11 and rng.random() < 0.5 else str(
            rng.choice(["pand_transformatie", "transformatiegebied", "herstructurering", "verdichting",
                        "uitbreiding_uitleg" if bruto >= 12 else "verdichting"]))
        rec, fas = consistent_record(rng, s, gemeentecode=codes[i % len(codes)], plannaam=f"Plan {i + 1:06d}",
                                     bruto=bruto, planstatus=status, plantype=ptype, peiljaar=peiljaar,
                                     gerealiseerd_frac=0.2 if rng.random() < 0.1 else 0.0)
        records.append(rec)
        geoms.append(shapely.MultiPolygon([poly]))
        fasering.extend(fas)
    # overlapping pairs: move plan i+1 onto plan i
    for i in range(0, n - 1, 2):
        if rng.random() < overlap_rate:
            g = geoms[i].geoms[0]
            o = geoms[i + 1].geoms[0]
            dx = g.centroid.x - o.centroid.x + rng.uniform(-0.4, 0.4) * math.sqrt(g.area)
            dy = g.centroid.y - o.centroid.y + rng.uniform(-0.4, 0.4) * math.sqrt(g.area)
            geoms[i + 1] = shapely.MultiPolygon([shapely.affinity.translate(o, dx, dy)])
    for i in range(n):
        if rng.random() < invalid_rate and len(geoms[i].geoms[0].exterior.coords) > 6:
            geoms[i] = shapely.MultiPolygon([bowtie(geoms[i].geoms[0])])
        if rng.random() < defect_rate:
            _defect(rng, records[i])
    return PlanSet(records, geoms, fasering)


def _defect(rng: np.random.Generator, rec: Dict[str, Any]) -> None:
    """One attribute defect of a kind municipalities really make."""
    kind = int(rng.integers(0, 6))
    if kind == 0:
        rec["eengezins"] = (rec["eengezins"] or 0) + 2                      # R04
    elif kind == 1:
        rec["dure_koop"] = (rec["dure_koop"] or 0) + 3                      # R05
    elif kind == 2:
        rec["vertrouwelijkheid"] = "gemeente"                               # R11/R12
        rec["planstatus"] = "1A"
    elif kind == 3:
        rec["plantype"] = "uitbreiding"                                     # R02
    elif kind == 4:
        rec["zorggeschikt"] = (rec["geclusterd"] or 0) + 1                  # R07
    else:
        rec["gemeentecode"] = "0344"                                        # R20
