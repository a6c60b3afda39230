"""Small helpers every widget module uses."""

from __future__ import annotations

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
