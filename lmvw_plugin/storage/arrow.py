"""A layer's columns through GDAL's Arrow stream (no qgis), in this process or in a child process.

`arrow_table(layer, wanted, geometry)` reads the `wanted` fields of an OGR layer as numpy columns in
one C loop. GDAL 3.6's Python bindings keep the GIL while a driver without its own Arrow code (the
OpenFileGDB driver of Gelderland's File Geodatabase, say) fills a batch, so a thread reading one layer
stops every other Python thread: `read_in_child()` reads a layer in a child Python process instead
(the command line's import of Gelderland's year rows, five times as many as its plans, while its own
process converts the plans), and hands the columns back through a pipe (numpy's buffers, pickled).

    python -m lmvw_plugin.storage.arrow        # the child: a pickled (path, layer, wanted) on stdin

Only this module, numpy and GDAL are imported in the child: it starts in a quarter of a second.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future
from typing import Dict, List, Optional

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

# rows per Arrow batch: GDAL's default (65,536) reads a 50,000-plan layer 4-5x slower than batches
# of a few thousand (measured with GDAL 3.6: 0.42 s against 0.08 s of CPU), and smaller batches
# let the parsing of one batch run beside the reading of the next
BATCH = "MAX_FEATURES_IN_BATCH=5000"

# the field types GDAL's Arrow stream gives exactly as the feature API's GetField does (GDAL 3.6 unpacks
# Arrow booleans wrongly, and dates and lists come differently)
TYPES = {(ogr.OFTInteger, ogr.OFSTNone), (ogr.OFTInteger, ogr.OFSTInt16), (ogr.OFTInteger64, ogr.OFSTNone),
         (ogr.OFTReal, ogr.OFSTNone), (ogr.OFTReal, ogr.OFSTFloat32), (ogr.OFTString, ogr.OFSTNone),
         (ogr.OFTString, ogr.OFSTUUID), (ogr.OFTString, ogr.OFSTJSON)}

# the Python that runs a child (`read_in_child`); None: no child, the caller reads in a thread. The
# command line sets it to its own interpreter; inside QGIS it stays None (QGIS's executable is not a
# Python interpreter)
CHILD_PYTHON: Optional[str] = None


def copy_array(v):
    """A numpy (masked) array that owns its memory."""
    if isinstance(v, np.ma.MaskedArray):
        return np.ma.array(v, copy=True)
    return np.array(v, copy=True)


def arrow_table(layer, wanted: List[str], geometry: bool):
    """(columns {field: numpy array, masked where NULL}, FIDs, WKB list or None) of the `wanted` fields the
    layer has, through GDAL's Arrow stream (one C loop instead of a Python call per value); None when a
    field has a type the stream does not give as the feature API does (`TYPES`)."""
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    present = set(wanted) & set(names)
    for name in present:
        fd = defn.GetFieldDefn(defn.GetFieldIndex(name))
        if (fd.GetType(), fd.GetSubType()) not in TYPES:
            return None
    fid_col = layer.GetFIDColumn() or "OGC_FID"
    geom_col = layer.GetGeometryColumn() or "wkb_geometry"
    ignored = [n for n in names if n not in present]
    if not geometry and layer.GetGeomType() != ogr.wkbNone:
        ignored.append("OGR_GEOMETRY")
    cols: Dict[str, list] = {}
    fids: list = []
    geoms: list = []
    layer.SetIgnoredFields(ignored)
    try:
        layer.ResetReading()
        stream = layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES", BATCH])
        for batch in stream:
            for k, v in batch.items():      # copies: the arrays point into buffers the stream releases
                if k == fid_col:
                    fids.append(np.array(v, dtype=np.int64))
                elif k == geom_col and geometry:
                    geoms.append(copy_array(v))
                elif k in present:
                    cols.setdefault(k, []).append(copy_array(v))
            del batch
        del stream
    finally:
        layer.SetIgnoredFields([])
    out = {k: (np.ma.concatenate(v) if any(isinstance(x, np.ma.MaskedArray) for x in v) else np.concatenate(v))
           if len(v) > 1 else v[0] for k, v in cols.items()}
    wkb = None
    if geometry:
        wkb = []
        for v in geoms:
            mask = np.ma.getmaskarray(v) if isinstance(v, np.ma.MaskedArray) else np.zeros(len(v), bool)
            data = v.data if isinstance(v, np.ma.MaskedArray) else v
            wkb.extend(None if m or w is None else bytes(w) for w, m in zip(data, mask))
    return out, (np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)), wkb


def read_layer(path: str, layer_name: str, wanted: List[str]):
    """`arrow_table` (without geometry) of the layer `layer_name` of `path`, through a dataset opened for
    it and closed here (GDAL's datasets are not shared between threads); None when the layer is not
    there or has a field the Arrow stream does not give as the feature API does."""
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    try:
        layer = ds.GetLayerByName(layer_name)
        got = arrow_table(layer, wanted, geometry=False) if layer is not None else None
    finally:
        layer = ds = None  # noqa: F841
    return got


def read_in_child(path: str, layer_name: str, wanted: List[str]) -> Optional[Future]:
    """`read_layer(path, layer_name, wanted)` in a child Python process (`CHILD_PYTHON`), whose
    Future gives what it read; None when there is no child to run (the caller reads in a thread). A
    child that fails, for whatever reason, gives the Future the exception `ChildFailed`: the caller
    then reads the layer itself."""
    if not CHILD_PYTHON:
        return None
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    try:
        proc = subprocess.Popen([CHILD_PYTHON, "-m", "lmvw_plugin.storage.arrow"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    except (OSError, ValueError):
        return None
    done: Future = Future()

    def run():
        try:
            try:
                proc.stdin.write(pickle.dumps((path, layer_name, list(wanted))))
                proc.stdin.close()
                kind, got = pickle.load(proc.stdout)
            except Exception as e:       # noqa: BLE001 - a broken pipe, a truncated answer: read it here
                raise ChildFailed(str(e) or type(e).__name__) from None
            finally:
                proc.stdout.close()
                proc.wait()
            if kind != "ok" or proc.returncode != 0:
                raise ChildFailed(got if kind == "error" else f"exit {proc.returncode}")
            done.set_result(got)
        except BaseException as e:       # noqa: BLE001 - handed to the caller
            done.set_exception(e)
    threading.Thread(target=run, name="lmvw-arrow-child", daemon=True).start()
    return done


class ChildFailed(Exception):
    """The child process could not read the layer (the caller reads it itself)."""


def main() -> int:
    out = sys.stdout.buffer
    try:
        path, layer_name, wanted = pickle.load(sys.stdin.buffer)
        got = read_layer(path, layer_name, wanted)
    except Exception as e:              # noqa: BLE001 - said to the parent, which reads the layer itself
        pickle.dump(("error", f"{type(e).__name__}: {e}"), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        return 1
    pickle.dump(("ok", got), out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
