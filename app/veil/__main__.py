"""``python -m veil ARGS`` is ``veil ARGS``; no arguments opens the window."""

import sys

from veil.cli import main

sys.exit(main())
