"""The events table, as other modules import it. The parts live in their own modules: the rows
(``dockview.rows``, free of Qt), the source model (``dockview.ui.event_table``), the proxy
(``dockview.ui.event_proxy``) and the filter (``dockview.query``)."""

from __future__ import annotations

from dockview.query import EventQuery
from dockview.rows import EventRow
from dockview.ui.event_proxy import EventFilterProxy
from dockview.ui.event_table import COLUMN_INDEX, COLUMNS, Column, EventRole, EventTableModel

__all__ = [
    "COLUMNS",
    "COLUMN_INDEX",
    "Column",
    "EventFilterProxy",
    "EventQuery",
    "EventRole",
    "EventRow",
    "EventTableModel",
]
