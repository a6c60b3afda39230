"""The window's exports: JSON (the events as the API sent them) or CSV (the table's columns as
they are shown, plus the id), for the rows shown or the rows selected, in the order shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QTableView

from dockview.export import csv_columns, export_from_store, stream_csv, write_export, write_text
from dockview.query import EventQuery
from dockview.rows import EventRow
from dockview.store import Store
from dockview.ui.event_table import EventTableModel

#: The save dialog's choices; the chosen one (or the name's suffix) decides the format.
FILE_TYPES = "JSON files (*.json);;CSV files (*.csv);;All files (*)"


def is_csv(path: Path, chosen_type: str = "") -> bool:
    return path.suffix.lower() == ".csv" or (path.suffix == "" and chosen_type.startswith("CSV"))


def shown_columns(table: QTableView) -> list[int]:
    """The table's visible columns, left to right as the person arranged them."""
    header = table.horizontalHeader()
    logical = (header.logicalIndex(visual) for visual in range(header.count()))
    return [number for number in logical if not header.isSectionHidden(number)]


def write_rows(
    rows: Sequence[EventRow],
    path: Path,
    *,
    table: QTableView,
    model: EventTableModel,
    store: Store,
    api_url: str,
    csv: bool,
) -> int:
    """Write these rows, in this order, atomically; returns how many were written."""
    if csv:
        columns = csv_columns(shown_columns(table))
        return write_text(
            path,
            lambda out: stream_csv(rows, columns, out, zone=model.zone, now=model.now),
        )
    ids = [row.id for row in rows]
    return write_export(
        export_from_store(store, EventQuery(ids=tuple(ids)), api_url=api_url, ordered_ids=ids),
        path,
    )
