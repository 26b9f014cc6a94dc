"""Whether writing a file would touch a file being read (its SQLite companions, a shapefile's parts,
a folder source's inside). Light on imports: the command line asks before it validates."""
from __future__ import annotations

import os
from typing import Iterable, List, Optional

_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd")


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _spellings(path: str) -> List[str]:
    """The path as given (absolute) and with every symlink resolved."""
    out = [os.path.abspath(path)]
    real = os.path.realpath(path)
    if real not in out:
        out.append(real)
    return out


def _is_source(target: str, source: str) -> bool:
    """Would writing `target` (absolute) replace or damage `source` or a file that belongs to it
    (SQLite's -wal/-shm/-journal, a shapefile's other parts), or write inside it (a folder)?"""
    if _same(target, source):                    # the file itself: symlink, hard link, any spelling
        return True
    if os.path.isdir(source):                    # a FileGDB or shapefile folder: nothing inside it
        return any(_same(anc, source) or os.path.normcase(anc) == os.path.normcase(src)
                   for anc in _ancestors(target) for src in _spellings(source))
    t_folder, t_name = os.path.split(target)
    for t_dir in {t_folder, os.path.realpath(t_folder)}:
        for src in _spellings(source):
            s_folder, s_name = os.path.split(src)
            if _same(t_folder, src):             # T.gpkg/x.zip
                return True
            if not (_same(t_dir, s_folder) or os.path.normcase(t_dir) == os.path.normcase(s_folder)):
                continue
            # names compared without case: a case-insensitive file system (Windows, macOS) has one file
            name, s_low = t_name.casefold(), s_name.casefold()
            if name == s_low or name in {s_low + c for c in _SQLITE_COMPANIONS}:
                return True
            stem, ext = os.path.splitext(s_low)
            if ext in _SHAPEFILE_PARTS and os.path.splitext(name)[0] == stem:
                return True
    return False


def _ancestors(path: str) -> Iterable[str]:
    path = os.path.dirname(path)
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


def is_source(target: str, sources: Iterable[Optional[str]]) -> bool:
    """Would writing `target` touch one of `sources` (see check_target)? For every output the plugin
    writes next to what it reads (the package, `validate --json`)."""
    target = os.path.abspath(target)
    return any(source and _is_source(target, source) for source in sources)
