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
