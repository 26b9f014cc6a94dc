"""The new GeoPackage of `import SOURCE --into NEW.gpkg`, made beside the reading (command line).

Making the new file's form and style needs a QGIS application, whose start costs about a second
before `create_package` can run. `TargetMaker.start()` launches this module as a child process that
starts QGIS at once, while the import reads the source, and then waits for the gemeentecode on its
standard input (known once the source is read). `make(path, code)` hands it over, waits, and moves
the file into place; when the child is not there or fails, the caller makes the file itself as
before. The file is the same either way: the child does what `cli.cmd_import` does in-process
(`use_catalog(lang)`, `qgis_app()`, `create_package(path, code, load(), lang)`).

    python -m lmvw_plugin.layers.import_target TMP.gpkg LANG      # reads GMdddd (or nothing) on stdin
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Optional


class TargetMaker:
    """A child process that makes the new GeoPackage (see the module doc)."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = None
        self.tmp: Optional[str] = None

    def start(self, into: str, lang: str) -> None:
        """Launch the child (quietly nothing when it cannot be launched)."""
        folder = os.path.dirname(os.path.abspath(into))
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=".lmvw-import-", suffix=".gpkg", dir=folder)
            os.close(fd)
            os.remove(self.tmp)                   # create_package makes it; the name is ours
            self.proc = subprocess.Popen([sys.executable, "-m", "lmvw_plugin.layers.import_target", self.tmp, lang],
                                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=dict(os.environ))
        except (OSError, ValueError):
            self.proc = None
            self._remove()

    def make(self, path: str, code: str) -> bool:
        """True when the child made the file for `code` and it is now at `path`."""
        if self.proc is None:
            return False
        try:
            self.proc.communicate((code + "\n").encode("ascii"), timeout=600)
        except (OSError, ValueError, subprocess.SubprocessError):
            self.close()
            return False
        ok = (self.proc.returncode == 0 and self.tmp is not None and os.path.isfile(self.tmp)
              and not os.path.exists(path))
        self.proc = None
        if ok:
            try:
                os.replace(self.tmp, path)
            except OSError:
                ok = False
        self._remove()
        return ok

    def close(self) -> None:
        """Stop the child if it still runs (nothing needed it) and remove its file."""
        if self.proc is not None:                 # still starting QGIS or waiting for a code: it wrote nothing
            self.proc.kill()
            self.proc.wait()
            self.proc = None
        self._remove()

    def _remove(self) -> None:
        if self.tmp:
            for p in (self.tmp, self.tmp + "-wal", self.tmp + "-shm", self.tmp + "-journal"):
                if os.path.exists(p):
                    try:
                        os.remove(p)
                    except OSError:
                        pass


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    path, lang = argv[0], argv[1]
    from ..i18n import use_catalog
    use_catalog(lang)
    from .headless import qgis_app
    qgis_app()
    from ..standard import load
    from .create import create_package
    s = load()
    code = sys.stdin.readline().strip()
    if not code:
        return 0
    create_package(path, code, s, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
