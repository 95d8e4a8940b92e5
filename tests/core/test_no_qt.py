"""veil.core and veil.cli must work without Qt (headless servers, scripts)."""

import subprocess
import sys


def test_core_and_cli_import_no_qt() -> None:
    code = (
        "import sys, veil.core, veil.core.audit, veil.cli, veil.cli.scan, veil.cli.clean;"
        "from veil.cli import build_parser; build_parser();"
        "qt = ('PySide6', 'shiboken6', 'veil.gui');"
        "bad = sorted(m for m in sys.modules if m.startswith(qt));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
