"""What `dockview sync` shows while it runs: one updating line on a terminal, a few plain lines
elsewhere (a log, CI, a pipe), nothing but errors with ``-q``.

A 50,000-event sync is 500 pages; one line per page buried the summary. Hand-written rather than
tqdm or rich: the terminal line is one ``\\r`` write, and the plain mode (start, each tenth, end)
and the throttle countdown are ours either way, so a dependency would add weight, not code saved.
"""

from __future__ import annotations

from typing import IO

from dockview.sync import SyncProgress, plural

#: Without a known total (an incremental sync), a plain line every this many pages.
PLAIN_EVERY_PAGES = 10
#: A throttle wait in plain mode is said when it starts, then this often (seconds).
PLAIN_WAIT_EVERY = 300.0
_CLEAR_LINE = "\x1b[K"


class SyncReporter:
    """Receives the sync's progress and the client's throttle waits; see the module docstring.

    ``requests_left`` is what the API's throttle endpoint said before the sync started (None
    when it did not say); the line counts it down as requests are made.
    """

    def __init__(
        self, stream: IO[str], *, quiet: bool = False, requests_left: int | None = None
    ) -> None:
        self.stream = stream
        self.quiet = quiet
        self.is_tty = stream.isatty()
        self.requests_left = requests_left
        self.pages = 0
        self._last: SyncProgress | None = None
        self._tenths_said = -1
        self._last_wait_said: float | None = None
        self._line_open = False

    # -- what the sync reports ----------------------------------------------------------------

    def progress(self, update: SyncProgress) -> None:
        self.pages += 1
        self._last = update
        if self.quiet:
            return
        if self.is_tty:
            self._show(self._status(update))
            return
        if self._plain_line_due(update):
            self.stream.write(self._status(update) + "\n")
            self.stream.flush()

    def waiting(self, seconds_left: float, reason: str) -> None:
        if self.quiet:
            return
        what = "hourly request limit reached" if reason == "rate limit" else "no good answer"
        countdown = f"{what}; going on in {int(seconds_left + 0.999)} s"
        if self.is_tty:
            if seconds_left > 0:
                before = self._status(self._last) + " · " if self._last else ""
                self._show(f"{before}{countdown} (Ctrl-C stops; the sync resumes next time)")
            elif self._last is not None:
                self._show(self._status(self._last))
            return
        due = self._last_wait_said is None or (
            self._last_wait_said - seconds_left >= PLAIN_WAIT_EVERY
        )
        if seconds_left > 0 and due:
            self.stream.write(countdown[0].upper() + countdown[1:] + "\n")
            self.stream.flush()
            self._last_wait_said = seconds_left
        if seconds_left <= 0:
            self._last_wait_said = None

    def finish(self) -> None:
        """Clear the terminal line: the summary that follows says it all."""
        if self._line_open:
            self.stream.write("\r" + _CLEAR_LINE)
            self.stream.flush()
            self._line_open = False

    # -- helpers ------------------------------------------------------------------------------

    def _status(self, update: SyncProgress) -> str:
        of_total = f" of {update.total}" if update.total else ""
        parts = [f"{update.stored}{of_total} events stored", plural(self.pages, "page")]
        if self.requests_left is not None:
            left = max(0, self.requests_left - update.requests)
            parts.append(f"{plural(left, 'request')} left this hour")
        return " · ".join(parts)

    def _show(self, text: str) -> None:
        self.stream.write("\r" + text + _CLEAR_LINE)
        self.stream.flush()
        self._line_open = True

    def _plain_line_due(self, update: SyncProgress) -> bool:
        """The first page, then each tenth of the total (or every few pages without one)."""
        if update.total:
            tenths = min(10, update.stored * 10 // update.total)
            due = tenths > self._tenths_said
            self._tenths_said = max(self._tenths_said, tenths)
            return due
        return self.pages == 1 or self.pages % PLAIN_EVERY_PAGES == 0
