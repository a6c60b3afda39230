"""Pausing Python's cyclic garbage collector around work that makes many objects at once.

Qt-free, so the data modules (checks, occupancy) and the widgets share it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector would walk 50,000 fresh row objects several times while they
    are made, sorted or laid out (measured: tens of ms a pass on the GUI thread; a check of
    50,000 events finding 28,000 issues took three times as long with it running); pause it
    meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle_long_lived_objects() -> None:
    """The table's rows live as long as the window: move everything alive now out of the
    collector's sight (gc.freeze), so later collections do not walk them on every pass."""
    gc.freeze()
