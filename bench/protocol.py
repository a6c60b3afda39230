"""What the benchmark children and the orchestrator share: the line protocol and /proc reads.

Stdlib only, because ``child.py`` imports it before Qt or dockview and the start-time figure
should not pay for more than the program itself imports.

A child writes one line per event on stdout, prefixed so that anything else printed there
(a library's chatter) is ignored: ``begin`` before a measurement (the orchestrator's clock for
the ~20 s cap starts then), ``result`` with its figures, ``ready`` when its setup is done.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

PREFIX = "@@bench "


def emit(kind: str, name: str = "", data: dict[str, Any] | None = None) -> None:
    """One protocol line, flushed at once: the orchestrator times the child by these."""
    print(PREFIX + json.dumps({"kind": kind, "name": name, "data": data or {}}), flush=True)


def parse_line(line: str) -> dict[str, Any] | None:
    """A protocol message, or None for any other output."""
    if not line.startswith(PREFIX):
        return None
    try:
        message = json.loads(line[len(PREFIX) :])
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


def process_age() -> float:
    """Seconds since the kernel started this process (/proc/self/stat, field 22).

    Counts interpreter start-up and imports, which a ``perf_counter`` taken at the top of a
    script cannot; the kernel records the start in clock ticks (10 ms) since boot, which is
    what ``CLOCK_BOOTTIME`` counts too.
    """
    with open("/proc/self/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return time.clock_gettime(time.CLOCK_BOOTTIME) - started


def status_kb(field: str, pid: int | str = "self") -> int | None:
    """A ``Vm*`` line of /proc/PID/status in kB (VmHWM is the peak resident set size)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int | str = "self") -> float | None:
    """User + system CPU time of a process, to show how busy the loopback server was."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
