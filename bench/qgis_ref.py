"""Geometry-only reference, done the way a PyQGIS user would: Processing's "Check validity"
(GEOS method) plus an overlap loop over a QgsSpatialIndex.

    .venv/bin/python bench/qgis_ref.py PLANS.gpkg RESULT.json

Writes timings and counts as JSON. Run headless (QT_QPA_PLATFORM=offscreen).
"""
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append("/usr/share/qgis/python/plugins")

MIN_M2, MIN_FRACTION = 1.0, 0.01        # C03: more than 1 m² and 1 % of the smaller plan


def main(path: str, out: str) -> int:
    t0 = time.perf_counter()
    from qgis.core import QgsApplication, QgsSpatialIndex, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    Processing.initialize()
    import processing
    t_init = time.perf_counter()

    layer = QgsVectorLayer(f"{path}|layername=woningbouwplannen", "plans", "ogr")
    if not layer.isValid():
        print(f"cannot open {path}", file=sys.stderr)
        return 2
    res = processing.run("qgis:checkvalidity", {
        "INPUT_LAYER": layer, "METHOD": 2,
        "VALID_OUTPUT": "memory:", "INVALID_OUTPUT": "memory:", "ERROR_OUTPUT": "memory:"})
    t_valid = time.perf_counter()

    geoms = {}
    for f in layer.getFeatures():
        geoms[f.id()] = f.geometry()
    index = QgsSpatialIndex(layer.getFeatures())
    t_index = time.perf_counter()
    candidates = intersecting = overlapping = 0
    for fid, g in geoms.items():
        area = g.area()
        for other_id in index.intersects(g.boundingBox()):
            if other_id <= fid:          # each pair once
                continue
            candidates += 1
            other = geoms[other_id]
            if g.intersects(other):
                intersecting += 1
                ov = g.intersection(other).area()
                if ov > MIN_M2 and ov > MIN_FRACTION * min(area, other.area()):
                    overlapping += 1
    t_end = time.perf_counter()
    result = {
        "features": layer.featureCount(),
        "valid": res["VALID_COUNT"], "invalid": res["INVALID_COUNT"], "errors": res["ERROR_COUNT"],
        "candidate_pairs": candidates, "intersecting_pairs": intersecting, "overlapping_pairs": overlapping,
        "seconds": {"init": t_init - t0, "checkvalidity": t_valid - t_init,
                    "read_and_index": t_index - t_valid, "overlap_loop": t_end - t_index,
                    "total": t_end - t0},
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    print(json.dumps(result))
    # leave without exitQgis(): its teardown can crash in headless runs and adds nothing here
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
