"""Small helpers every widget module uses."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str | None = None) -> W:
    """Give a widget the objectName tests and style sheets find it by, and the name a screen
    reader says (PySide6's typing rejects both as constructor keywords)."""
    widget.setObjectName(object_name)
    if accessible_name:
        widget.setAccessibleName(accessible_name)
    return widget


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector would walk 50,000 fresh row objects several times while they
    are made, sorted or laid out (measured: tens of ms a pass on the GUI thread); pause it
    meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
