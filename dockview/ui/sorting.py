"""Reordering a flat model's rows while the views' selection and current row stay on the same
items: the one helper every model that sorts itself uses (the events table's source model, the
docked-now and changes panels, the statistics table)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex

#: Given a row number from before the change, the row it moved to (or None when it is gone).
RowMove = Callable[[int], int | None]


def relayout(model: QAbstractItemModel, change: Callable[[], RowMove]) -> None:
    """Run ``change`` (which reorders or refreshes the rows and says where each old row went)
    between ``layoutAboutToBeChanged`` and ``layoutChanged``, and move every persistent index
    (selection, current row, a proxy's mapping) along with its row."""
    model.layoutAboutToBeChanged.emit()
    try:
        held = model.persistentIndexList()
        old_rows = [index.row() for index in held]
        moved_to = change()
        if held:
            new = []
            for index, row in zip(held, old_rows, strict=True):
                target = moved_to(row)
                new.append(
                    model.index(target, index.column()) if target is not None else QModelIndex()
                )
            model.changePersistentIndexList(held, new)
    finally:
        model.layoutChanged.emit()


def sorted_order(keys: Sequence[Any], *, descending: bool) -> list[int]:
    """Row numbers in key order; ties keep their present order, in either direction."""
    return sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)


def identity_move(old: Sequence[Any], new: Sequence[Any]) -> RowMove:
    """Rows that know what they are about (an event id, a station): each old row goes to
    where the same thing is now, or nowhere."""
    row_of = {identity: row for row, identity in enumerate(new)}
    return lambda old_row: row_of.get(old[old_row])
