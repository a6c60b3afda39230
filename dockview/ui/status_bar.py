"""The sync's part of the status bar: what a sync is doing or did, its progress, the countdown
of a wait, Cancel while it runs and Retry after a failure.

It follows a :class:`SyncController` for what changes while a sync runs; the window tells it
the rest (an outcome's summary, a failure, the data's age), since only the window knows the
cache.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QWidget,
)

from dockview.ui.common import named
from dockview.ui.sync_controller import SyncController, SyncState
from dockview.ui.sync_worker import SyncFailure


class SyncStatus(QWidget):
    """The controls (progress, Cancel, Retry) and, placed apart by :meth:`place_in`, the text."""

    cancelRequested = Signal()
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync_label = named(QLabel(), "syncStatus", "Sync status")
        self.sync_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = named(QProgressBar(), "syncProgress", "Sync progress")
        self.progress.setMaximumWidth(180)
        self.progress.setVisible(False)
        self.cancel_button = named(QPushButton("Cancel"), "cancelSync", "Cancel sync")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.retry_button = named(QPushButton("Retry"), "retrySync", "Retry sync")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.retryRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.retry_button)

    def place_in(self, bar: QStatusBar) -> None:
        """The text among the bar's normal widgets, so a passing message (an export's) covers
        it for a while; the controls among the permanent ones, so Cancel stays at hand."""
        bar.addWidget(self.sync_label, 1)
        bar.addPermanentWidget(self)

    def follow(self, controller: SyncController) -> None:
        """Show what the controller's sync is doing, as it happens."""
        controller.stateChanged.connect(lambda state: self.show_state(state, controller.full))
        controller.progressed.connect(self.show_progress)
        controller.waiting.connect(self.show_waiting)

    def show_message(self, text: str) -> None:
        self.sync_label.setText(text)

    def show_state(self, state: SyncState, full: bool) -> None:
        running = state is not SyncState.IDLE
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(state is SyncState.RUNNING)
        if state is SyncState.RUNNING:
            self.retry_button.setVisible(False)
            self.progress.setRange(0, 0)
            self.sync_label.setToolTip("")
            self.sync_label.setText("Full resync…" if full else "Syncing…")
        elif state is SyncState.CANCELLING:
            self.sync_label.setText("Cancelling…")

    def show_progress(self, stored: int, total: int, requests: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(stored, total))
            self.sync_label.setText(f"Syncing… {stored:,} of {total:,} events")
        else:
            self.sync_label.setText(f"Syncing… {stored:,} events")

    def show_waiting(self, seconds_left: float, reason: str) -> None:
        if seconds_left <= 0:
            self.sync_label.setText("Syncing…")
            return
        what = "Hourly request limit reached" if reason == "rate limit" else "No good answer"
        self.sync_label.setText(f"{what}; going on in {int(seconds_left + 0.999)} s")

    def show_synced(
        self, at: str, summary: str, complete: bool, *, lookups_fetched: bool = True
    ) -> None:
        text = f"Synced at {at}: {summary}."
        if not complete:
            text += " The data changed meanwhile; the next sync does a full pass."
        if not lookups_fetched:
            text += " Configuration and agency details were not fetched; the next sync tries again."
        self.sync_label.setText(text)

    def show_failure(self, message: str, why: SyncFailure, data_as_of: str) -> None:
        if why == SyncFailure.CANCELLED:
            self.sync_label.setText("Sync cancelled; it continues where it stopped next time.")
        elif why == SyncFailure.OFFLINE:
            self._show_offline(data_as_of, message)
        else:
            # The cache is busy, or the API said something unexpected: say it as it is.
            self.sync_label.setText(f"Sync failed: {message}")
            self.sync_label.setToolTip(message)
            self.retry_button.setVisible(True)

    def _show_offline(self, data_as_of: str, reason: str) -> None:
        self.sync_label.setText(f"Offline — data as of {data_as_of}")
        self.sync_label.setToolTip(reason)
        self.retry_button.setVisible(True)
