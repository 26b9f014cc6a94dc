"""File-system facts that every interface asks before it writes."""
from __future__ import annotations

import os
import tempfile


def writable(folder: str) -> bool:
    """Can we create a file in folder? (os.access says yes to root on read-only file systems.)"""
    if not os.access(folder, os.W_OK):
        return False
    try:
        fd, probe = tempfile.mkstemp(prefix=".lmvw-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.remove(probe)
    return True


def write_whole(path: str, text: str) -> None:
    """Write `text` to `path` completely or not at all: a temporary file beside it, then renamed (a full disk
    leaves no half file, and an earlier file stays as it was; stale temporaries are removed like a probe's)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".lmvw-probe-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
