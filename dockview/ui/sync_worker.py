"""Sync in a worker thread: the same ``run_sync`` the command line uses, reporting by signals.

The worker opens its own cache connection and API client in its thread (SQLite connections
and httpx clients stay in the thread that made them) and never touches a widget: the window
hears about progress, waits, the outcome or a one-sentence failure through queued signals.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from dockview.api import LL2Client
from dockview.errors import ApiThrottled, ApiUnavailable, CacheBusy, DockviewError, SyncCancelled
from dockview.store import FilterChoices, Store
from dockview.sync import LAST_SYNC_STATE, SyncProgress, SyncResult, api_switched, run_sync
from dockview.ui.event_model import EventRow

log = logging.getLogger(__name__)

#: Why a sync ended without success: the window words its status bar after these.
FAILED_CANCELLED = "cancelled"
FAILED_BUSY = "busy"
FAILED_OFFLINE = "offline"
FAILED_ERROR = "error"


MARKS_STATE = "last_sync_marks"


@dataclass(frozen=True)
class SyncOutcome:
    """A finished sync, with the window's share of the work already done in the worker."""

    result: SyncResult
    rows: list[EventRow]
    replaces_all: bool
    marks: dict[int, str]
    sample_left: bool
    choices: FilterChoices


@dataclass(frozen=True)
class SyncRequest:
    db_path: Path
    api_url: str
    api_key: str | None
    full: bool = False


class SyncWorker(QObject):
    """Runs one sync; create one per sync and move it to a QThread (see :func:`start_sync`)."""

    progressed = Signal(int, int, int)  # events stored, total (-1 unknown), requests
    waiting = Signal(float, str)  # seconds left, reason ("rate limit" or "retry")
    succeeded = Signal(object)  # SyncOutcome
    failed = Signal(str, str)  # one sentence, and FAILED_CANCELLED/_BUSY/_OFFLINE/_ERROR
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
            self.failed.emit(str(exc), FAILED_CANCELLED)
        except CacheBusy as exc:
            self.failed.emit(str(exc), FAILED_BUSY)
        except (ApiUnavailable, ApiThrottled) as exc:
            self.failed.emit(str(exc), FAILED_OFFLINE)
        except DockviewError as exc:
            log.info("Sync failed: %s", exc, exc_info=True)
            self.failed.emit(str(exc), FAILED_ERROR)
        except Exception as exc:  # a bug: keep the window alive, keep the traceback in the log
            log.exception("Sync crashed")
            name = type(exc).__name__
            self.failed.emit(f"The sync stopped on an unexpected error ({name}).", FAILED_ERROR)
        else:
            self.succeeded.emit(result)
        finally:
            self.done.emit()

    def _sync(self) -> SyncOutcome:
        """Sync, then do here (not on the GUI thread) what the window's model needs: the
        table rows that changed, built as row objects, and the marks."""
        request = self.request
        with (
            Store(request.db_path) as store,
            LL2Client(
                request.api_url,
                api_key=request.api_key,
                on_wait=lambda left, reason: self.waiting.emit(left, reason),
                should_cancel=self._cancel.is_set,
            ) as client,
        ):
            # The window has the cache as of the last good sync: a sync that failed since then
            # committed its pages but gave the window no rows (and the sync after finds them
            # unchanged), so those rows go with this sync's.
            last = store.get_state(LAST_SYNC_STATE)
            finished = last.get("finished_at") if isinstance(last, dict) else None
            last_good = finished if isinstance(finished, str) else None
            replaces_all = (
                store.has_sample()
                or store.event_count() == 0
                or api_switched(store, request.api_url) is not None
                or last_good is None
            )
            result = run_sync(store, client, full=request.full, progress=self._progress)
            if replaces_all or last_good is None:
                fields = store.table_rows()
                marks: dict[int, str] = {}  # the first real data: everything is new
            else:
                ids = {*result.new_ids, *result.changed_ids, *result.gone_ids}
                fields = store.table_rows(sorted(ids.union(store.ids_written_since(last_good))))
                marks = {event_id: "new" for event_id in result.new_ids}
                marks.update({event_id: "changed" for event_id in result.changed_ids})
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
            )

    def _progress(self, update: SyncProgress) -> None:
        total = update.total if update.total is not None else -1
        self.progressed.emit(update.stored, total, update.requests)


def start_sync(request: SyncRequest, parent: QObject) -> tuple[SyncWorker, QThread]:
    """Wire a worker into a fresh thread that ends when the worker is done.

    The worker has no Qt parent, so Python owns it: the caller must keep its reference until
    the thread's ``finished`` signal (dropping it earlier deletes the C++ object under the
    running thread), and must not also ``deleteLater`` it (that would delete it twice).
    """
    thread = QThread(parent)
    worker = SyncWorker(request)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.done.connect(thread.quit)
    thread.start()
    return worker, thread
