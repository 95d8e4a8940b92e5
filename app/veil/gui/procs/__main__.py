"""``python -m veil.gui.procs FD``: one audit worker, talking over the socket ``FD``.

A module of its own, so that the worker's classes are pickled under their real module
names (``veil.gui.procs.child.AuditResult``), never ``__main__``.
"""

import sys
from multiprocessing.connection import Connection

from veil.gui.procs.child import serve

serve(Connection(int(sys.argv[1])))
