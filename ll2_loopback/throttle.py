"""The rate limit of the loopback server: LL2's 15 requests an hour, on demand.

A fixed window like Django REST framework's throttles: ``throttle_limit`` requests per
``throttle_window`` seconds, then 429 for the rest of the window (or ``throttle_wait``
seconds), reported the way ``throttle_style`` says: a ``Retry-After`` header, only the
body's "Expected available in N seconds", or neither.
"""

from __future__ import annotations

import math
import time
from contextlib import AbstractContextManager
from typing import Any, cast

from ll2_loopback.handler import Reply, json_reply

#: What the throttle endpoint reports as the limit when none is set.
UNLIMITED = 1_000_000


class RateLimit:
    """Mixed into :class:`LL2TestServer`, which owns the attributes and the lock."""

    throttle_limit: int | None
    throttle_window: float
    throttle_style: str
    throttle_wait: float | None
    _lock: AbstractContextManager[Any]
    _used: int
    _window_start: float | None
    _blocked_until: float | None

    def reset_throttle(self) -> None:
        """Give the full budget back now."""
        with self._lock:
            self._used = 0
            self._window_start = None
            self._blocked_until = None

    def _spend(self) -> int | None:
        """Count one request; None if allowed, else the seconds to report in the 429."""
        with self._lock:
            now = time.monotonic()
            expired = self._window_start is None or now - self._window_start >= self.throttle_window
            if expired or (self._blocked_until is not None and now >= self._blocked_until):
                self._used = 0
                self._window_start = now
                self._blocked_until = None
            if self.throttle_limit is None or self._used < self.throttle_limit:
                self._used += 1
                return None
            if self._blocked_until is None:
                start = cast(float, self._window_start)
                wait = (
                    self.throttle_wait
                    if self.throttle_wait is not None
                    else start + self.throttle_window - now
                )
                self._blocked_until = now + max(0.0, wait)
            return max(0, math.ceil(self._blocked_until - now))

    def _throttle_status(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            active = (
                self._window_start is not None
                and now - self._window_start < self.throttle_window
                and (self._blocked_until is None or now < self._blocked_until)
            )
            used = self._used if active else 0
            limit = self.throttle_limit if self.throttle_limit is not None else UNLIMITED
            next_use = 0
            if active and self.throttle_limit is not None and used >= self.throttle_limit:
                start = cast(float, self._window_start)
                until = self._blocked_until
                if until is None:
                    wait = self.throttle_wait
                    until = now + wait if wait is not None else start + self.throttle_window
                next_use = max(0, math.ceil(until - now))
            return {
                "your_request_limit": limit,
                "limit_frequency_secs": int(self.throttle_window),
                "current_use": used,
                "next_use_secs": next_use,
                "ident": "127.0.0.1",
            }

    def _throttled_reply(self, wait: int) -> Reply:
        if self.throttle_style == "none":
            return json_reply(429, {"detail": "Request was throttled."})
        unit = "second" if wait == 1 else "seconds"  # DRF uses ngettext here
        body = {"detail": f"Request was throttled. Expected available in {wait} {unit}."}
        if self.throttle_style == "header":
            return json_reply(429, body, **{"Retry-After": str(wait)})
        return json_reply(429, body)
