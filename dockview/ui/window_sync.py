"""What a sync's outcome does to the window, and what the status line says between syncs.

The :class:`~dockview.ui.sync_controller.SyncController` runs the sync; its outcome reaches the
window in two turns of the event loop: first the rows, merged into the table in one batch so
selection, sort and scroll survive; then the rest (filter choices, the Changes and Docked now
panels, the status line), which reads the cache again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from dockview.collector import collector_paused, settle_long_lived_objects
from dockview.store import Store
from dockview.sync import last_changes, last_sync_finished, plural
from dockview.timefmt import format_time
from dockview.ui.panels import describe_counts
from dockview.ui.sync_worker import SyncFailure, SyncOutcome

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow


def merge_rows(window: MainWindow, outcome: SyncOutcome) -> None:
    """Take the worker's ready-made rows: a reset when they replace the sample, otherwise a
    merge of just the rows that changed, so selection, order and scroll stay."""
    model = window.model
    current = window.current_id()
    with collector_paused():
        if outcome.replaces_all:
            model.set_rows(outcome.rows)
            if current is not None:
                window.select_event(current)
        else:
            model.apply_rows(outcome.rows)
    settle_long_lived_objects()
    model.set_marks(outcome.marks)


def show_outcome(window: MainWindow, outcome: SyncOutcome) -> None:
    """The rest of a sync's outcome, a turn after its rows: lists, panels, status."""
    result = outcome.result
    window.filter_bar.refresh_choices(outcome.choices)
    counts, changes, first_sync = last_changes(window.store)
    window.changes_panel.show_changes(counts, changes, first_sync)
    window.docked_now_panel.refresh()
    if first_sync:
        summary = f"{plural(result.new, 'docking')} now in the cache"
    else:
        summary = describe_counts(counts)
    window.sync_status.show_synced(
        f"{datetime.now():%H:%M}",
        summary,
        result.complete,
        lookups_fetched=not result.lookup_failure,
    )
    if outcome.note:  # once per cache; the status line's own text stays as it was
        window.statusBar().showMessage(outcome.note)
    current = window.current_id()
    if current is not None and any(row.id == current for row in outcome.rows):
        window.show_details(current)


def show_failure(window: MainWindow, message: str, why: SyncFailure) -> None:
    window.sync_status.show_failure(message, why, data_as_of(window.store, utc=window.model.utc))


def show_idle_status(window: MainWindow) -> None:
    context = window.context
    as_of = data_as_of(window.store, utc=window.model.utc)
    if context.notices:
        window.sync_status.show_message(" ".join(context.notices))
    elif context.offline:
        window.sync_status.show_message(f"Offline mode — data as of {as_of}")
    else:
        window.sync_status.show_message(f"Data as of {as_of}")


def data_as_of(store: Store, *, utc: bool) -> str:
    """When the cache's data was fetched, as the status line names it."""
    finished = last_sync_finished(store)
    if finished is not None:
        return format_time(finished.timestamp(), UTC if utc else None)
    return "the bundled sample" if store.has_sample() else "the last sync"


def cache_age_hours(store: Store) -> float | None:
    finished = last_sync_finished(store)
    return None if finished is None else (datetime.now(UTC) - finished).total_seconds() / 3600
