"""How many worker processes a headless batch should use on this machine right now."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """Cores this process may run on (affinity-aware on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def busy_cores() -> int:
    """Other processes running right now (Linux ``/proc/loadavg``; 0 when unknown).

    The instantaneous count, not the load average: a benchmark that runs us back to back
    would otherwise see its own previous runs as load.
    """
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            running = int(f.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, running - 1)  # minus ourselves


def idle_workers(limit: int = 4) -> int:
    """Worker processes worth starting: idle cores, at most ``limit``, at least 1.

    On a busy machine extra processes only add their start-up CPU time to the same wall time.
    """
    cores = usable_cores()
    return max(1, min(limit, cores, cores - busy_cores()))
