"""Run a child under ``strace`` in a throw-away HOME and read what it did to the network.

The child gets HOME and every XDG folder inside a temp dir that starts empty, so anything a
library writes "for the user" (caches, device ids, settings) shows up there. ``strace -f``
follows every thread and forked worker; ``trace=network`` lists sockets, connects and sends,
and the few file calls that create files let us name who created what under HOME.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Syscalls traced: all network ones, plus those that create files or folders.
TRACED = "trace=network,open,openat,creat,mkdir,mkdirat"

_INET_SOCKET = re.compile(r"\bsocket\((?:AF|PF)_INET6?\b")
_DNS_PORT = re.compile(r"\bsin6?_port=htons\(53\)")
_CREATE = re.compile(r'\b(?:open|openat|creat|mkdir|mkdirat)\((?:[^,]*, )?"([^"]+)"(.*)$')


@dataclass(frozen=True)
class Sandbox:
    """An empty HOME (with the XDG folders inside it) and the environment pointing at it."""

    home: Path
    runtime: Path
    env: dict[str, str]
    baseline: frozenset[Path]


def make_sandbox(root: Path) -> Sandbox:
    """HOME, XDG_{CONFIG,CACHE,DATA,STATE}_HOME under ``root/home``; XDG_RUNTIME_DIR beside it."""
    home = root / "home"
    xdg = {
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
    }
    for folder in xdg.values():
        folder.mkdir(parents=True)
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ)
    env.update({k: str(v) for k, v in xdg.items()})
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return Sandbox(home, runtime, env, frozenset(_tree(home)))


def _tree(folder: Path) -> set[Path]:
    return {folder, *folder.rglob("*")}


def strace_path() -> str | None:
    """The strace binary, or None (the test then skips; CI installs it)."""
    return shutil.which("strace")


def run_traced(
    module: str, args: list[str], sandbox: Sandbox, log: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """``python -m module args...`` under ``strace -f``, cwd the repo root; the log in ``log``."""
    strace = strace_path()
    assert strace is not None
    repo = Path(__file__).resolve().parents[2]
    env = dict(sandbox.env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
    argv = [strace, "-f", "-qq", "-e", TRACED, "-e", "signal=none", "-s", "200", "-o", str(log)]
    argv += [sys.executable, "-m", module, *args]
    return subprocess.run(
        argv, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def network_violations(log: str) -> list[str]:
    """strace lines that open an internet socket or send anything to port 53 (DNS)."""
    return [
        line
        for line in log.splitlines()
        if _INET_SOCKET.search(line) or _DNS_PORT.search(line)
    ]


def created_under(home: Path, log: str, sandbox: Sandbox) -> list[str]:
    """Files and folders created under ``home``: by the trace (even if deleted again) and
    what is there now that was not before."""
    prefix = str(home) + os.sep
    found = []
    for line in log.splitlines():
        m = _CREATE.search(line)
        if m is None or not m.group(1).startswith(prefix):
            continue
        creating = "mkdir" in line.split("(", 1)[0] or "O_CREAT" in m.group(2)
        if creating and not re.search(r"= -1 E", m.group(2)):
            found.append(line)
    left = sorted(str(p) for p in _tree(home) - sandbox.baseline)
    return found + [f"left behind: {p}" for p in left]
