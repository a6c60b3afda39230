"""Sync in a worker thread: the same ``run_sync`` the command line uses, reporting by signals.

The worker opens its own cache connection and API client in its thread (SQLite connections
and httpx clients stay in the thread that made them) and never touches a widget: the window
hears about progress, waits, the outcome or a one-sentence failure through queued signals.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from dockview.api import LL2Client, origin_of
from dockview.errors import ApiThrottled, ApiUnavailable, CacheBusy, DockviewError, SyncCancelled
from dockview.keychain import read_key
from dockview.store import FilterChoices, Store
from dockview.sync import (
    SyncProgress,
    SyncResult,
    api_switched,
    last_sync_finished,
    run_sync,
    unsupported_version_note,
)
from dockview.ui.event_model import EventRow

log = logging.getLogger(__name__)


class SyncFailure(StrEnum):
    """Why a sync ended without success: the status bar words its message after these."""

    CANCELLED = "cancelled"
    BUSY = "busy"  # another dockview holds the cache
    OFFLINE = "offline"  # the API cannot be reached, or keeps refusing for now
    ERROR = "error"  # the API said something unexpected, or a bug


MARKS_STATE = "last_sync_marks"


def stored_marks(store: Store) -> dict[int, str]:
    """The marks of the last sync, as the cache keeps them for the next start."""
    state = store.get_state(MARKS_STATE) or {}
    marks: dict[int, str] = {}
    for kind in ("new", "changed"):
        for event_id in state.get(kind, []) if isinstance(state, dict) else []:
            if isinstance(event_id, int):
                marks[event_id] = kind
    return marks


@dataclass(frozen=True)
class SyncOutcome:
    """A finished sync, with the window's share of the work already done in the worker."""

    result: SyncResult
    rows: list[EventRow]
    replaces_all: bool
    marks: dict[int, str]
    sample_left: bool
    choices: FilterChoices
    #: Said once per cache: upstream no longer supports the API version in use.
    note: str | None = None


@dataclass(frozen=True)
class SyncRequest:
    db_path: Path
    api_url: str
    api_key: str | None
    full: bool = False
    #: The key is in the system keyring, not read yet: the worker asks it, as loading the
    #: keyring's backends holds the thread that asks for ~120 ms (the window's, at F5).
    key_in_keyring: bool = False


class SyncWorker(QObject):
    """Runs one sync; create one per sync and move it to a QThread (the SyncController in
    ``sync_controller.py`` does both)."""

    progressed = Signal(int, int, int)  # events stored, total (-1 unknown), requests
    waiting = Signal(float, str)  # seconds left, reason ("rate limit" or "retry")
    succeeded = Signal(object)  # SyncOutcome
    failed = Signal(str, object)  # one sentence, and a SyncFailure
    done = Signal()

    def __init__(self, request: SyncRequest) -> None:
        super().__init__()
        self.request = request
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Safe from any thread: the sync stops at its next request or second of waiting."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._sync()
        except SyncCancelled as exc:
            self.failed.emit(str(exc), SyncFailure.CANCELLED)
        except CacheBusy as exc:
            self.failed.emit(str(exc), SyncFailure.BUSY)
        except (ApiUnavailable, ApiThrottled) as exc:
            self.failed.emit(str(exc), SyncFailure.OFFLINE)
        except DockviewError as exc:
            log.info("Sync failed: %s", exc, exc_info=True)
            self.failed.emit(str(exc), SyncFailure.ERROR)
        except Exception as exc:  # a bug: keep the window alive, keep the traceback in the log
            log.exception("Sync crashed")
            name = type(exc).__name__
            self.failed.emit(
                f"The sync stopped on an unexpected error ({name}).", SyncFailure.ERROR
            )
        else:
            self.succeeded.emit(result)
        finally:
            self.done.emit()

    def _sync(self) -> SyncOutcome:
        """Sync, then do here (not on the GUI thread) what the window's model needs: the
        table rows that changed, built as row objects, and the marks."""
        request = self.request
        api_key = request.api_key
        if api_key is None and request.key_in_keyring:
            api_key = read_key()
        with (
            Store(request.db_path) as store,
            LL2Client(
                request.api_url,
                api_key=api_key,
                on_wait=lambda left, reason: self.waiting.emit(left, reason),
                should_cancel=self._cancel.is_set,
            ) as client,
        ):
            # Another API version sends every event in another shape: all rows are read
            # again, but the marks stay (the store tells a new shape from a change). Another
            # host is other data: like the first real data, nothing is marked.
            previous = api_switched(store, request.api_url)
            switched = previous is not None
            first_data = (
                store.has_sample()
                or store.event_count() == 0
                or (previous is not None and origin_of(previous) != origin_of(request.api_url))
            )
            kept = stored_marks(store) if switched and not first_data else {}
            # The window has the cache as of the last good sync: a sync that failed since then
            # committed its pages but gave the window no rows (and the sync after finds them
            # unchanged), so those rows go with this sync's.
            last_good = last_sync_finished(store)
            replaces_all = first_data or switched or last_good is None
            note = unsupported_version_note(store, request.api_url)
            result = run_sync(store, client, full=request.full, progress=self._progress)
            written = result.written
            if replaces_all or last_good is None:  # the second test only narrows the type
                fields = store.table_rows()
            else:
                ids = {*written.new_ids, *written.changed_ids, *result.gone_ids}
                fields = store.table_rows(sorted(ids.union(store.ids_written_since(last_good))))
            marks: dict[int, str] = dict(kept)
            if not first_data:  # the first real data is all new: marking it says nothing
                marks.update({event_id: "new" for event_id in written.new_ids})
                marks.update({event_id: "changed" for event_id in written.changed_ids})
            store.set_state(
                MARKS_STATE,
                {
                    "new": [i for i, kind in marks.items() if kind == "new"],
                    "changed": [i for i, kind in marks.items() if kind == "changed"],
                },
            )
            return SyncOutcome(
                result=result,
                rows=[EventRow(row) for row in fields],
                replaces_all=replaces_all,
                marks=marks,
                sample_left=store.has_sample(),
                choices=store.filter_choices(),
                note=note,
            )

    def _progress(self, update: SyncProgress) -> None:
        total = update.total if update.total is not None else -1
        self.progressed.emit(update.stored, total, update.requests)
