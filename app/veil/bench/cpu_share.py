"""How much of the machine a benchmarked command got: on a shared machine the wall time of
a parallel command says as much about the other users as about the command itself."""

from __future__ import annotations

import statistics


def cores_used(runs: list[tuple[float, float]]) -> float:
    """How many cores a command kept busy on average: the median of CPU / wall over its
    ``(wall, CPU)`` runs (2.0: both cores of a 2-CPU machine all along)."""
    return statistics.median(cpu / wall for wall, cpu in runs if wall > 0) if runs else 0.0


def sharing_note(autogroup: str | None = None) -> str | None:
    """A note when Linux shares the CPU between sessions (``sched_autogroup``): then a
    session gets an equal share while another one keeps a core busy, whatever its number of
    processes or their nice value, so the wall ratio on a shared machine mostly says how
    busy the others were. ``autogroup``: the setting's text (default: read it)."""
    if autogroup is None:
        try:
            with open("/proc/sys/kernel/sched_autogroup_enabled", encoding="ascii") as f:
                autogroup = f.read()
        except OSError:
            return None
    if autogroup.strip() != "1":
        return None
    return (
        "clean: note: the kernel shares the CPU between sessions (sched_autogroup): while "
        "other sessions are busy, this one gets an equal share (one core of two with one "
        "other busy session) whatever its number of processes or their nice value, so "
        "veil's workers lose most of their second core and exiftool, one process, little: "
        "the wall ratio then follows the CPU ratio. 'ran on N cores' below says what each "
        "tool got"
    )
