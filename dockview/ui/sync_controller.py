"""One sync at a time, from its start to a single ``finished``: the worker, its thread, its state.

A sync ends with two things that arrive in no fixed order: the worker's outcome, which the
window applies over two turns of the event loop, and the end of the worker's thread. The
controller emits ``finished`` only once both have happened, so whoever hears it finds the
controller idle and can start the next sync at once. (Saying "finished" as soon as the
outcome was applied let a slow thread end come after it, and the next sync was refused as
still running.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from dockview.ui.sync_worker import SyncFailure, SyncOutcome, SyncRequest, SyncWorker

log = logging.getLogger(__name__)

#: How long closing the window waits for a sync to stop: the client's request timeout.
SHUTDOWN_WAIT_MS = 45_000


class SyncState(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    CANCELLING = "cancelling"  # asked to stop; the worker stops at its next request or wait


class SyncController(QObject):
    """Starts, cancels and retires sync workers; the window applies what they report.

    ``request_for(full)`` builds each sync's request when it starts, so a changed API URL or
    key is used by the next sync. ``worker_type`` lets a test hold a worker at a chosen point.
    """

    stateChanged = Signal(object)  # SyncState
    progressed = Signal(int, int, int)  # events stored, total (-1 unknown), requests
    waiting = Signal(float, str)  # seconds left, reason ("rate limit" or "retry")
    rowsArrived = Signal(object)  # SyncOutcome: merge its rows into the table now
    succeeded = Signal(object)  # the same SyncOutcome a turn later: lists, panels, status
    failed = Signal(str, object)  # one sentence, and a SyncFailure
    finished = Signal(bool)  # once per sync, idle again; True when the sync succeeded

    def __init__(
        self,
        request_for: Callable[[bool], SyncRequest],
        parent: QObject | None = None,
        *,
        worker_type: type[SyncWorker] = SyncWorker,
    ) -> None:
        super().__init__(parent)
        self._request_for = request_for
        self.worker_type = worker_type
        self._state = SyncState.IDLE
        self._full = False
        # The worker has no Qt parent, so Python owns it: its reference is kept until its
        # thread has finished (dropping it earlier deletes the object under the running
        # thread), and it is never also deleteLater'd (that would delete it twice).
        self._worker: SyncWorker | None = None
        self._thread: QThread | None = None
        self._success: bool | None = None  # set once the outcome has been applied
        self._shut_down = False

    @property
    def state(self) -> SyncState:
        return self._state

    @property
    def full(self) -> bool:
        """Whether the sync under way (or the last one) fetches every event again."""
        return self._full

    def start(self, full: bool = False) -> bool:
        """Start a sync in a fresh thread; False (and nothing done) unless idle."""
        if self._state is not SyncState.IDLE or self._shut_down:
            return False
        worker = self.worker_type(self._request_for(full))
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(thread.quit)
        worker.progressed.connect(self._progressed)
        worker.waiting.connect(self._waiting)
        worker.succeeded.connect(self._outcome_arrived)
        worker.failed.connect(self._failure_arrived)
        thread.finished.connect(self._thread_finished)
        self._worker, self._thread, self._full, self._success = worker, thread, full, None
        self._set_state(SyncState.RUNNING)
        thread.start()
        return True

    def cancel(self) -> None:
        """Ask the running sync to stop; it reports a cancelled failure, then finishes."""
        if self._state is SyncState.RUNNING and self._worker is not None:
            self._worker.cancel()
            self._set_state(SyncState.CANCELLING)

    def shutdown(self) -> None:
        """Stop a sync under way and wait for its thread, for closing the window: nothing is
        reported after this. A request already under way ends within the client's timeout."""
        self._shut_down = True
        worker, thread = self._worker, self._thread
        if worker is None or thread is None:
            return
        worker.cancel()
        # The worker's own quit request is queued to this (now waiting) thread: ask directly.
        thread.quit()
        if thread.wait(SHUTDOWN_WAIT_MS):
            self._worker = self._thread = None
        else:  # keep both references: deleting them under a running thread would crash
            log.warning("The sync thread did not stop within %d ms", SHUTDOWN_WAIT_MS)

    def _set_state(self, state: SyncState) -> None:
        self._state = state
        self.stateChanged.emit(state)

    def _progressed(self, stored: int, total: int, requests: int) -> None:
        if not self._shut_down:
            self.progressed.emit(stored, total, requests)

    def _waiting(self, seconds_left: float, reason: str) -> None:
        if not self._shut_down:
            self.waiting.emit(seconds_left, reason)

    def _outcome_arrived(self, outcome: SyncOutcome) -> None:
        if self._shut_down:
            return
        self.rowsArrived.emit(outcome)
        # The rest on the next turn of the event loop, so that neither step holds the window
        # for long (50,000 new rows: the reset, then the lists and panels).
        QTimer.singleShot(0, self, lambda: self._outcome_settled(outcome))

    def _outcome_settled(self, outcome: SyncOutcome) -> None:
        if self._shut_down:
            return
        self.succeeded.emit(outcome)
        self._outcome_applied(True)

    def _failure_arrived(self, message: str, why: SyncFailure) -> None:
        if self._shut_down:
            return
        self.failed.emit(message, why)
        self._outcome_applied(False)

    def _outcome_applied(self, success: bool) -> None:
        self._success = success
        self._finish_if_over()

    def _thread_finished(self) -> None:
        if self._shut_down or self._thread is None:
            return
        self._thread.deleteLater()
        self._worker = self._thread = None
        self._finish_if_over()

    def _finish_if_over(self) -> None:
        """Finish once the outcome is applied and the worker retired, whichever came last."""
        if self._thread is not None or self._success is None:
            return
        success, self._success = self._success, None
        self._set_state(SyncState.IDLE)
        self.finished.emit(success)
