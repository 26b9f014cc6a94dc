"""The new GeoPackage of `import SOURCE --into NEW.gpkg`, made beside the reading (command line).

Making the new file's form and style needs a QGIS application, whose start costs about a second
before `create_package` can run. `TargetMaker.start()` launches this module as a child process that
starts QGIS at once, while the import reads the source, and then waits on its standard input for the
gemeentecode and the path: known once the source is read and the import is about to write, or at once when
`--gemeente` says it (`prepare`: the child then makes the file during the reading, and it is removed again
when the import writes nothing).
`make(path, code)` hands them over and waits; the child makes the file at that path itself (the form,
style and project inside name the file's own path). When the child is not there or fails, the caller
makes the file itself as before. The file is the same either way: the child does what
`cli.cmd_import` does in-process (`use_catalog(lang)`, `qgis_app()`, `create_package(path, code,
load(), lang)`).

    python -m lmvw_plugin.layers.import_target LANG      # reads "GMdddd<TAB>PATH" (or nothing) on stdin
"""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Optional


class TargetMaker:
    """A child process that makes the new GeoPackage (see the module doc)."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = None
        self.early: Optional[tuple] = None          # (path, code) handed over by `prepare`

    def start(self, lang: str) -> None:
        """Launch the child (quietly nothing when it cannot be launched)."""
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "lmvw_plugin.layers.import_target", lang],
                                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=dict(os.environ))
        except (OSError, ValueError):
            self.proc = None

    def prepare(self, path: str, code: str) -> bool:
        """Hand `path` and `code` over now, when they are known before the source is read (`--gemeente`):
        the child makes the file as soon as QGIS runs, while the import reads. True when handed over;
        `make(path, code)` then waits for it, `discard()` removes it when the import writes nothing."""
        if self.proc is None or self.early is not None or os.path.exists(path) or "\n" in path or "\t" in path:
            return False
        try:
            self.proc.stdin.write(f"{code}\t{path}\n".encode())
            self.proc.stdin.flush()                 # the child reads one line; `make` closes the pipe
        except (OSError, ValueError):
            self.close()
            return False
        self.early = (path, code)
        return True

    def make(self, path: str, code: str) -> bool:
        """True when the child made the new GeoPackage for `code` at `path` (which must not exist, unless the
        child was given it by `prepare`)."""
        if self.proc is None or "\n" in path or "\t" in path:
            return False
        if self.early is not None:
            if self.early != (path, code):      # another file or gemeente after all: this one makes it itself
                self.discard()
                return False
            return self._finish(path, None)
        if os.path.exists(path):
            return False
        return self._finish(path, f"{code}\t{path}\n".encode())

    def _finish(self, path: str, line: Optional[bytes]) -> bool:
        proc, self.proc = self.proc, None
        self.early = None
        try:
            proc.communicate(line, timeout=600)
        except (OSError, ValueError, subprocess.SubprocessError):
            proc.kill()
            proc.wait()
            _remove(path)
            return False
        if proc.returncode != 0:
            _remove(path)                       # create_package removes its own half-made file; to be sure
            return False
        return os.path.isfile(path)

    def discard(self) -> None:
        """The file handed over by `prepare` is not wanted (the import writes nothing): stop the child, after
        which the file it made, or was making, is removed."""
        if self.early is None:
            return
        path = self.early[0]
        self.early = None
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None
        _remove(path)

    def close(self) -> None:
        """Stop the child if it still runs: nothing needed it (a file handed over early is removed)."""
        self.discard()
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


def _stop(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait()
    if proc.stdin is not None:
        try:
            proc.stdin.close()
        except OSError:                          # the pipe's unwritten line: the child is gone anyway
            pass


def _remove(path: str) -> None:
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.exists(p):
            try:
                os.remove(p)
            except OSError:
                pass


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = argv[0]
    if hasattr(os, "nice"):                      # a helper: it takes the CPU the import's reading leaves over
        try:
            os.nice(10)
        except OSError:
            pass
    from ..i18n import use_catalog
    use_catalog(lang)
    from .headless import qgis_app
    qgis_app()
    from ..standard import load
    from .create import create_package
    s = load()
    line = sys.stdin.buffer.readline().decode("utf-8").rstrip("\n")
    if "\t" not in line:
        return 0                                  # nothing to make
    code, path = line.split("\t", 1)
    create_package(path, code, s, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
