"""Selecting rows the way a person does: Ctrl+A, then Ctrl+click to leave some out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from dockview.ui.main_window import MainWindow


def test_select_all_then_leave_two_out(
    make_window: Callable[..., MainWindow], seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    window.show()
    table = window.table
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.export_action.text() == "&Export 10 selected events…"
    model = table.model()
    titles = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
    left_out = []
    for row in (2, 5):
        left_out.append(int(model.index(row, titles.index("ID")).data()))
        y = table.rowViewportPosition(row) + table.rowHeight(row) // 2
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            QPoint(20, y),
        )
    assert window.export_action.text() == "&Export 8 selected events…"
    window.copy_action.trigger()
    copied = {event["id"] for event in json.loads(QApplication.clipboard().text())["results"]}
    assert len(copied) == 8 and not copied & set(left_out)
