"""Findings of a whole layer, kept up to date by re-checking only what an edit touched.

`LayerValidator` validates the layer once (vectorised), then `update()` re-checks the edited
plans, the plans that shared a plan_id or plannaam with them before or after the edit, and their
overlap neighbours before and after the edit. The STRtree of the first run is reused: an edited
geometry is compared with the tree (unchanged plans) and, by brute force, with the few other plans
edited since; the tree is rebuilt only after many geometry edits.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Set, Tuple

import numpy as np

from ..common.geo import shapely
from .engine import Validator
from .findings import Finding, sort_key
from .geometry import GeomInfo, geom_info, overlap_pairs
from .table import FaseringTable, PlanTable, text_arrays

REBUILD_AFTER = 256          # stale tree entries tolerated before the STRtree is rebuilt

Pair = Tuple[float, bool, float, float]            # overlap area, identical, x, y


class LayerValidator:
    def __init__(self, validator: Validator, plans: PlanTable, fasering: Optional[FaseringTable] = None):
        self.validator = validator
        self.table = plans
        self.fasering = fasering
        self.alive = np.ones(plans.n, dtype=bool)
        self.pos: Dict[int, int] = {int(f): i for i, f in enumerate(plans.fids.tolist())}
        self.info = geom_info(plans.geometry)
        self.own: Dict[int, List[Finding]] = defaultdict(list)        # record, geometry, fasering
        self.dup: Dict[int, List[Finding]] = defaultdict(list)
        self.ovl: Dict[int, List[Finding]] = defaultdict(list)
        self.orphans: Dict[str, List[Finding]] = defaultdict(list)    # C04 by plan_id
        self.pairs: Dict[int, Dict[int, Pair]] = defaultdict(dict)
        self._build_fasering_index()
        self._full_run()

    # ---------------------------------------------------------------------------- state
    def _build_fasering_index(self) -> None:
        self.fas_rows: Dict[str, List[int]] = defaultdict(list)
        if self.fasering is not None:
            u, null, _ = text_arrays(self.fasering.plan_ids)
            for i in np.nonzero(~null)[0].tolist():
                self.fas_rows[u[i]].append(i)

    def _key_groups(self) -> None:
        self.by_id: Dict[str, Set[int]] = defaultdict(set)
        self.by_name: Dict[Tuple, Set[int]] = defaultdict(set)
        ids = self.table.columns[self.validator.standard.key]
        names = self.validator.duplicate_key(self.validator.rule_of_kind("duplicate_name"), self.table)
        for r in np.nonzero(self.alive)[0].tolist():
            if ids[r]:
                self.by_id[ids[r]].add(r)
            if names[r]:
                self.by_name[names[r]].add(r)

    def _keys(self, r: int):
        """The plan's key (which also links its fasering) and its key under the duplicate-name
        rule (None where it has none)."""
        pid = self.table.columns[self.validator.standard.key][r]
        name_rule = self.validator.rule_of_kind("duplicate_name")
        return (pid if pid else None, self.validator.duplicate_key(name_rule, self.table, [r])[0])

    def _add_keys(self, r: int) -> None:
        pid, nk = self._keys(r)
        if pid:
            self.by_id[pid].add(r)
        if nk:
            self.by_name[nk].add(r)

    def _remove_keys(self, r: int) -> Set[int]:
        pid, nk = self._keys(r)
        touched: Set[int] = set()
        if pid and r in self.by_id.get(pid, ()):
            self.by_id[pid].discard(r)
            touched |= self.by_id[pid]
        if nk and r in self.by_name.get(nk, ()):
            self.by_name[nk].discard(r)
            touched |= self.by_name[nk]
        return touched

    def _build_tree(self) -> None:
        ok = self.alive & self.info.polygonal & self.info.valid
        self.tree_rows = np.nonzero(ok)[0]
        self.tree = shapely.STRtree(self.table.geometry[self.tree_rows]) if len(self.tree_rows) else None
        self.stale: Set[int] = set()

    # ---------------------------------------------------------------------------- full run
    def _full_run(self) -> None:
        t = self.table
        ctx = self.validator.context(t, self.fasering)
        for f in self.validator.record_findings(t, ctx) + self.validator.geometry_findings(t, self.info):
            self.own[self.pos[f.fid]].append(f)
        self._key_groups()
        for f in self.validator.duplicate_findings(t):
            self.dup[self.pos[f.fid]].append(f)
        self._build_tree()
        if self.tree is not None:
            a, b, ov, ident, x, y = overlap_pairs(t.geometry, self.tree_rows, self.info.area,
                                                  *self.validator.overlap_params(), tree=self.tree)
            for i in range(len(a)):
                p = (float(ov[i]), bool(ident[i]), float(x[i]), float(y[i]))
                self.pairs[int(a[i])][int(b[i])] = p
                self.pairs[int(b[i])][int(a[i])] = p
            for f in self.validator.pair_findings(t, self.info, a, b, ov, ident, x, y):
                self.ovl[self.pos[f.fid]].append(f)
        if self.fasering is not None:
            for f in self.validator.fasering_findings(t, self.fasering):
                if f.fid is not None:
                    self.own[self.pos[f.fid]].append(f)
                else:
                    self.orphans[f.plan_id].append(f)

    # ---------------------------------------------------------------------------- results
    def findings(self) -> List[Finding]:
        out: List[Finding] = []
        for store in (self.own, self.dup, self.ovl):
            for r, items in store.items():
                if self.alive[r]:
                    out.extend(items)
        for items in self.orphans.values():
            out.extend(items)
        out.sort(key=sort_key)
        return out

    def findings_for(self, fid: int) -> List[Finding]:
        r = self.pos.get(fid)
        if r is None or not self.alive[r]:
            return []
        return sorted(self.own[r] + self.dup[r] + self.ovl[r], key=sort_key)

    @property
    def plans(self) -> int:
        return int(self.alive.sum())

    # ---------------------------------------------------------------------------- updates
    def update(self, changed: Optional[PlanTable] = None, deleted: Iterable[int] = (),
               fasering: Optional[FaseringTable] = None, fasering_plan_ids: Iterable[str] = ()) -> Set[int]:
        """Apply an edit: `changed` holds the new state of edited or added features, `deleted`
        their fids; `fasering` holds every current fasering row of `fasering_plan_ids`.
        Returns the fids whose findings were recomputed."""
        touched: Set[int] = set()          # rows to re-check fully
        dup_rows: Set[int] = set()         # rows whose C01/C02 findings may change
        ovl_rows: Set[int] = set()         # rows whose C03 findings may change
        geom_changed: List[int] = []
        ids: Set[str] = set()              # plan ids whose fasering links may change
        for fid in deleted:
            r = self.pos.get(int(fid))
            if r is None or not self.alive[r]:
                continue
            ids.add(self._keys(r)[0])
            dup_rows |= self._remove_keys(r)
            ovl_rows |= set(self.pairs.pop(r, {}))
            for o in ovl_rows:
                self.pairs[o].pop(r, None)
            self.alive[r] = False
            for store in (self.own, self.dup, self.ovl):
                store.pop(r, None)
        if changed is not None and changed.n:
            ids |= {self._keys(self.pos[int(f)])[0] for f in changed.fids.tolist() if int(f) in self.pos}
            ids |= set(changed.columns[self.validator.standard.key].tolist())
            # a deleted feature that comes back with its fid (undo): its row is revived, and its
            # overlaps (dropped at the deletion) are searched again whatever its geometry
            revived = {self.pos[int(f)] for f in changed.fids.tolist()
                       if int(f) in self.pos and not self.alive[self.pos[int(f)]]}
            rows = self._apply_rows(changed, dup_rows)
            for i, r in enumerate(rows):
                old = self.table.geometry[r] if r < len(self.info.missing) else None
                new = changed.geometry[i]
                if r in revived or old is None or new is None or not shapely.equals_exact(old, new, 0.0):
                    geom_changed.append(r)
            self._write_rows(changed, rows)
            touched |= set(rows)
            for r in rows:                 # partners' C03 messages name this plan
                ovl_rows |= set(self.pairs.get(r, {}))
            dup_rows |= set(rows)
            for r in rows:
                self._add_keys(r)
                dup_rows |= self.by_id.get(self._keys(r)[0], set()) | self.by_name.get(self._keys(r)[1], set())
        plan_ids_fas = {p for p in fasering_plan_ids if p}
        if fasering is not None or plan_ids_fas:
            self._replace_fasering(fasering, plan_ids_fas)
        ids = {p for p in ids | plan_ids_fas if p}
        for pid in ids:
            touched |= self.by_id.get(pid, set())
        self._refresh_orphans(ids)
        touched = {r for r in touched if self.alive[r]}
        # geometry facts and overlaps of the rows whose geometry changed
        if geom_changed:
            self._refresh_info(geom_changed)
            ovl_rows |= self._reoverlap(geom_changed)
        # recompute
        if touched:
            self._recheck(sorted(touched))
        self._redo_dup(sorted(r for r in dup_rows if self.alive[r]))
        self._redo_ovl(sorted(r for r in (ovl_rows | set(geom_changed)) if self.alive[r]))
        affected = touched | dup_rows | ovl_rows | set(geom_changed)
        return {int(self.table.fids[r]) for r in affected}

    def _apply_rows(self, changed: PlanTable, dup_rows: Set[int]) -> List[int]:
        rows: List[int] = []
        new = []
        for i, fid in enumerate(changed.fids.tolist()):
            r = self.pos.get(int(fid))
            if r is None:
                new.append(i)
                rows.append(-1)
            else:
                if self.alive[r]:
                    dup_rows |= self._remove_keys(r)
                else:                          # a deleted feature restored with its fid
                    self.alive[r] = True
                rows.append(r)
        if new:
            n0 = self.table.n
            extra = changed.take(new)
            for k in self.table.columns:
                self.table.columns[k] = np.concatenate([self.table.columns[k], extra.columns[k]])
            self.table.geometry = np.concatenate([self.table.geometry, np.full(len(new), None, dtype=object)])
            self.table.fids = np.concatenate([self.table.fids, extra.fids])
            self.alive = np.concatenate([self.alive, np.ones(len(new), dtype=bool)])
            self.table._text.clear()
            for j, i in enumerate(new):
                rows[i] = n0 + j
                self.pos[int(changed.fids[i])] = n0 + j
            self._grow_info(len(new))
        return rows

    def _write_rows(self, changed: PlanTable, rows: List[int]) -> None:
        idx = np.asarray(rows, dtype=np.int64)
        for k in self.table.columns:
            self.table.columns[k][idx] = changed.columns[k]
        self.table.geometry[idx] = changed.geometry
        for d in list(self.table.bad.values()):
            for r in rows:
                d.pop(r, None)
        for k, d in changed.bad.items():
            for i, val in d.items():
                self.table.bad.setdefault(k, {})[rows[i]] = val
        if self.table._text:
            self.table._text.clear()

    def _grow_info(self, k: int) -> None:
        i = self.info
        self.info = GeomInfo(np.concatenate([i.missing, np.ones(k, dtype=bool)]),
                             np.concatenate([i.type_id, np.full(k, -1)]),
                             np.concatenate([i.polygonal, np.zeros(k, dtype=bool)]),
                             np.concatenate([i.valid, np.zeros(k, dtype=bool)]),
                             np.concatenate([i.area, np.zeros(k)]),
                             np.concatenate([i.bounds, np.full((k, 4), np.nan)]),
                             None if i.rough is None else np.concatenate([i.rough, np.zeros(k, dtype=bool)]))

    def _refresh_info(self, rows: List[int]) -> None:
        idx = np.asarray(rows, dtype=np.int64)
        sub = geom_info(self.table.geometry[idx])
        for name in ("missing", "type_id", "polygonal", "valid", "area", "bounds"):
            getattr(self.info, name)[idx] = getattr(sub, name)
        if sub.rough is not None or self.info.rough is not None:
            if self.info.rough is None:
                self.info.rough = np.zeros(len(self.info.area), dtype=bool)
            self.info.rough[idx] = False if sub.rough is None else sub.rough

    def _reoverlap(self, rows: List[int]) -> Set[int]:
        """New overlap pairs for rows whose geometry changed; returns every row whose pairs changed."""
        affected: Set[int] = set()
        for r in rows:
            for o in self.pairs.pop(r, {}):
                self.pairs[o].pop(r, None)
                affected.add(o)
            self.stale.add(r)
        if len(self.stale) > REBUILD_AFTER:
            self._build_tree()
            self.stale = set(rows)           # (rebuilt tree already holds them; harmless)
        geoms = self.table.geometry
        judged = self.alive & self.info.polygonal & self.info.valid
        queried = [r for r in rows if judged[r]]
        candidates: Set[int] = set(queried)
        for r in queried:
            g = geoms[r]
            if self.tree is not None:
                hits = self.tree.query(g, predicate="intersects")
                candidates |= {int(x) for x in self.tree_rows[hits]} - self.stale
            for other in self.stale:
                if other != r and judged[other] and shapely.intersects(g, geoms[other]):
                    candidates.add(other)
        candidates = {o for o in candidates if self.alive[o]}
        if not queried or len(candidates) < 2:
            return affected
        # the whole layer's criterion, on the changed rows and their candidates only
        a, b, ov, ident, x, y = overlap_pairs(geoms, np.asarray(sorted(candidates), dtype=np.int64),
                                              self.info.area, *self.validator.overlap_params(),
                                              query_rows=np.asarray(queried, dtype=np.int64))
        for i in range(len(a)):
            first, second = int(a[i]), int(b[i])
            pair = (float(ov[i]), bool(ident[i]), float(x[i]), float(y[i]))
            self.pairs[first][second] = pair
            self.pairs[second][first] = pair
            affected |= {first, second}
        return affected

    def _replace_fasering(self, fasering: Optional[FaseringTable], plan_ids: Set[str]) -> None:
        for pid in plan_ids:
            self.fas_rows.pop(pid, None)
            self.orphans.pop(pid, None)
        if fasering is not None and fasering.n:
            if self.fasering is None:
                self.fasering = FaseringTable.empty(self.validator.standard)
            n0 = self.fasering.n
            self.fasering = self.fasering.concat(fasering)          # unreadable values stay reportable (R03)
            for i, pid in enumerate(fasering.plan_ids.tolist()):
                if pid:
                    self.fas_rows[pid].append(n0 + i)

    def _refresh_orphans(self, plan_ids: Set[str]) -> None:
        """Findings of the fasering rows whose plan_id no live plan has, for these plan ids: C04
        and, as in a full run, their own row checks (R01/R03/R22 on the row, R19) without a fid."""
        for pid in plan_ids:
            self.orphans.pop(pid, None)
            rows = self.fas_rows.get(pid)
            if rows and not any(self.alive[r] for r in self.by_id.get(pid, ())):
                fas = self.fasering.take(np.asarray(rows, dtype=np.int64))
                self.orphans[pid] = self.validator.fasering_findings(self.table.take([]), fas)

    def _fasering_for(self, plan_ids) -> Optional[FaseringTable]:
        if self.fasering is None:
            return None
        rows = [i for pid in plan_ids if pid for i in self.fas_rows.get(pid, [])]
        return self.fasering.take(np.asarray(rows, dtype=np.int64))

    def _recheck(self, rows: List[int]) -> None:
        sub = self.table.take(rows)
        fas = self._fasering_for(set(sub.columns[self.validator.standard.key].tolist()))
        ctx = self.validator.context(sub, fas)
        info = geom_info(sub.geometry)
        found = self.validator.record_findings(sub, ctx) + self.validator.geometry_findings(sub, info)
        if fas is not None:
            found += [f for f in self.validator.fasering_findings(sub, fas) if f.fid is not None]
        for r in rows:
            self.own[r] = []
        for f in found:
            self.own[self.pos[f.fid]].append(f)

    def _redo_dup(self, rows: List[int]) -> None:
        if not rows:
            return
        groups: Set[int] = set(rows)
        for r in rows:
            pid, nk = self._keys(r)
            groups |= self.by_id.get(pid, set()) | self.by_name.get(nk, set())
        members = sorted(r for r in groups if self.alive[r])
        # a member's findings are recomputed from both of its groups (plan_id and plannaam): the
        # sub-table needs those complete, also the group the edit did not touch
        context = set(members)
        for r in members:
            pid, nk = self._keys(r)
            context |= self.by_id.get(pid, set()) | self.by_name.get(nk, set())
        sub_rows = sorted(r for r in context if self.alive[r])
        sub = self.table.take(sub_rows)
        keep = set(members)
        for r in members:
            self.dup[r] = []
        for f in self.validator.duplicate_findings(sub, [i for i, r in enumerate(sub_rows) if r in keep]):
            self.dup[self.pos[f.fid]].append(f)

    def _redo_ovl(self, rows: List[int]) -> None:
        if not rows:
            return
        for r in rows:
            self.ovl[r] = []
        a, b, ov, ident, x, y = [], [], [], [], [], []
        for r in rows:
            for o, (area, same, px, py) in self.pairs.get(r, {}).items():
                if self.alive[o]:
                    a.append(r)
                    b.append(o)
                    ov.append(area)
                    ident.append(same)
                    x.append(px)
                    y.append(py)
        if a:
            found = self.validator.pair_findings(self.table, self.info, np.asarray(a), np.asarray(b), np.asarray(ov),
                                         np.asarray(ident), np.asarray(x), np.asarray(y), first_only=True)
            for f in found:
                self.ovl[self.pos[f.fid]].append(f)
