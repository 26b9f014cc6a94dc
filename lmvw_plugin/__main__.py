"""python -m lmvw_plugin: see cli.py."""
import os
import sys

from .cli import main

code = main()
# everything is written and closed when main() returns: leave without the interpreter's teardown,
# which would free every geometry and array one by one (0.1-0.2 s after a 50,000-plan validation)
sys.stdout.flush()
sys.stderr.flush()
os._exit(code if isinstance(code, int) else 1)
