"""The geometry work any validation of a plan layer must do, in one thread, with nothing else:
GDAL's read of the geometries, shapely's parse, GEOS's `is_valid` of every plan, and the exact
intersection of every pair of valid plans whose boxes overlap by more than the C03 thresholds
(the work behind G03 and C03, which QGIS's reference does too). Its CPU seconds on two cores, with
the interpreter's start and these imports added, are the fastest a validation can be on this
machine with these libraries, before a single attribute rule (`make bench` prints the ratio of
the QGIS reference to it: the highest speed-up this data allows).

    .venv/bin/python bench/floor_validate.py PLANS.gpkg RESULT.json MIN_M2 MIN_FRACTION
"""
import json
import sys
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from osgeo import gdal  # noqa: E402


def main(path: str, out: str, min_m2: float, min_fraction: float) -> int:
    gdal.UseExceptions()
    t = {"imports": time.perf_counter() - T0}
    c0 = time.process_time()
    mark = time.perf_counter()

    def step(name):
        nonlocal mark
        now = time.perf_counter()
        t[name] = now - mark
        mark = now

    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName("woningbouwplannen")
    lyr.SetIgnoredFields([lyr.GetLayerDefn().GetFieldDefn(i).GetName()
                          for i in range(lyr.GetLayerDefn().GetFieldCount())])
    geom = lyr.GetGeometryColumn()
    parts = [np.array(b[geom], copy=True)
             for b in lyr.GetArrowStreamAsNumPy(options=["MAX_FEATURES_IN_BATCH=5000"])]
    wkb = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    lyr = ds = None
    step("read")
    g = shapely.from_wkb(wkb)
    step("parse")
    valid = shapely.is_valid(g)
    area = shapely.area(g)
    step("validity")
    rows = np.nonzero(valid)[0]
    qi, ti = shapely.STRtree(g[rows]).query(g[rows])
    a, b = rows[qi], rows[ti]
    a, b = a[a < b], b[a < b]
    ba, bb = shapely.bounds(g[a]), shapely.bounds(g[b])
    box = (np.clip(np.minimum(ba[:, 2], bb[:, 2]) - np.maximum(ba[:, 0], bb[:, 0]), 0, None) *
           np.clip(np.minimum(ba[:, 3], bb[:, 3]) - np.maximum(ba[:, 1], bb[:, 1]), 0, None))
    keep = (box > min_m2) & (box > min_fraction * np.minimum(area[a], area[b]))
    a, b = a[keep], b[keep]
    meet = shapely.intersects(g[a], g[b])
    ov = shapely.area(shapely.intersection(g[a[meet]], g[b[meet]]))
    step("overlaps")
    work_cpu = time.process_time() - c0
    smaller = np.minimum(area[a[meet]], area[b[meet]])
    res = {"plans": int(len(g)), "invalid": int((~valid).sum()), "pairs_intersected": int(meet.sum()),
           "overlapping_pairs": int(((ov > min_m2) & (ov > min_fraction * smaller)).sum()),
           "seconds": t, "work_cpu_s": work_cpu}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(res, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])))
