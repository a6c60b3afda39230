"""One exception tree, so the window and the command line can show any failure as one sentence.

Each message is written for a person: what went wrong and, where it helps, what to do next.
Foreign exceptions (httpx, json, sqlite3, OSError) are mapped into this tree once, at the
module that meets them, with ``raise ... from exc`` so the log keeps the cause.
"""


class DockviewError(Exception):
    """Anything dockview can explain to a person in one sentence."""


class ApiError(DockviewError):
    """The Launch Library 2 API could not give us what we asked for."""


class ApiUnavailable(ApiError):
    """No answer at all: no network, DNS failure, refused connection, timeout.

    ``retryable`` is False when trying again at once cannot help (no route, no such host,
    nothing listening): retries spend the hourly budget and the person's time.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ApiThrottled(ApiError):
    """The hourly request budget is spent; ``wait_seconds`` says when it comes back."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class ApiResponseError(ApiError):
    """The server answered with an HTTP error status."""

    def __init__(self, message: str, status: int, excerpt: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.excerpt = excerpt


class ApiRetired(ApiResponseError):
    """The API version in use answers 404 or 410 for its whole endpoint."""


class ApiDataError(ApiError):
    """The server answered, but not with the JSON the schema promises."""


class StoreError(DockviewError):
    """The local cache could not be read or written."""


class CacheBusy(StoreError):
    """Another dockview process holds the cache's write lock for too long."""


class ExportError(DockviewError):
    """The export file could not be written; nothing partial was left behind."""


class SyncCancelled(DockviewError):
    """The person (or Ctrl-C) stopped the sync; what was stored stays, and it resumes."""
