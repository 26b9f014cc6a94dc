"""python -m lmvw_plugin: see cli.py."""
import sys

from .cli import main

sys.exit(main())
