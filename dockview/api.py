"""The Launch Library 2 client: one place that speaks HTTP, so the rest speaks records.

LL2 allows 15 requests an hour, so the client is frugal: pages of 100, at most two retries for
faults that may pass (every retry spends the budget), and a throttled request waits exactly as
long as the server says. Every httpx and JSON exception is turned into the
:mod:`dockview.errors` tree here, once, so callers show one sentence and never a traceback.

Versions differ in their paths and shapes; :class:`ApiFlavour` holds what differs, so a new
version is an adapter, not a rewrite.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from dockview import __version__
from dockview.errors import (
    ApiDataError,
    ApiError,
    ApiResponseError,
    ApiRetired,
    ApiThrottled,
    ApiUnavailable,
    SyncCancelled,
)
from dockview.lazy import lazy_import

if TYPE_CHECKING:
    import httpx
else:  # imported at the first request: the window's start does not wait for it
    httpx = lazy_import("httpx")

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://ll.thespacedevs.com/2.3.0"
#: The versions a person can pick by name, with what upstream says of each.
KNOWN_VERSIONS = {
    "2.3.0": ("https://ll.thespacedevs.com/2.3.0", "recommended"),
    "2.2.0": ("https://ll.thespacedevs.com/2.2.0", "unsupported upstream"),
    "2.4.0": ("https://ll.thespacedevs.com/api/ll/2.4.0", "preview, unreleased"),
}
#: Versions the API's own documentation lists as no longer supported.
UNSUPPORTED_VERSIONS = frozenset({"2.2.0"})
LOOKUP_CONFIGS = "configs"
LOOKUP_AGENCIES = "agencies"
PAGE_SIZE = 100
MAX_RETRIES = 2
#: Seconds: a whole request, and its connection (``httpx.Timeout(30.0, connect=10.0)``).
DEFAULT_TIMEOUT = (30.0, 10.0)
#: When the server gives no hint at all, wait this long before trying a throttled request again.
FALLBACK_THROTTLE_WAIT = 60.0
#: A throttle wait longer than this is never slept through; it is reported instead.
MAX_THROTTLE_WAIT = 3600.0

_EXPECTED_IN = re.compile(r"available in\s+(\d+(?:\.\d+)?)\s+second", re.IGNORECASE)
_VERSION_IN_PATH = re.compile(r"/(\d+\.\d+\.\d+)/?$")
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(frozen=True)
class ApiFlavour:
    """What differs between API versions: the list path, the filter names, and where the
    full configuration and agency records are (None: the events carry them, as 2.2.0's
    detailed mode does)."""

    version: str
    events_path: str
    station_filter: str
    vehicle_filter: str
    port_filter: str
    detailed_events: bool = True
    #: Lookup kind -> collection path; 2.4.0 picks detailed mode by path, 2.3.0 by ``mode``.
    lookup_paths: Mapping[str, str] | None = None
    lookup_params: Mapping[str, str] | None = None


FLAVOURS = {
    "2.2.0": ApiFlavour(
        version="2.2.0",
        events_path="docking_event/",
        station_filter="space_station__id",
        vehicle_filter="flight_vehicle__id",
        port_filter="docking_location__id",
    ),
    "2.3.0": ApiFlavour(
        version="2.3.0",
        events_path="docking_events/",
        station_filter="space_station_target__id",
        vehicle_filter="flight_vehicle_chaser__id",
        port_filter="docking_location__id",
        lookup_paths={LOOKUP_CONFIGS: "spacecraft_configurations/", LOOKUP_AGENCIES: "agencies/"},
        lookup_params={"mode": "detailed"},
    ),
    "2.4.0": ApiFlavour(
        version="2.4.0",
        events_path="docking_events/",
        station_filter="space_station_target__id",
        vehicle_filter="flight_vehicle_chaser__id",
        port_filter="docking_location__id",
        detailed_events=False,
        lookup_paths={
            LOOKUP_CONFIGS: "spacecraft_configurations/detailed/",
            LOOKUP_AGENCIES: "agencies/detailed/",
        },
        lookup_params={},
    ),
}


@dataclass(frozen=True)
class Page:
    """One page of events: the raw objects, the server's total, and where the next page is."""

    results: list[Any]
    count: int | None
    offset: int
    has_next: bool
    next_link_refused: bool = False


@dataclass(frozen=True)
class ThrottleStatus:
    limit: int | None
    period_seconds: float | None
    used: int | None
    next_use_seconds: float | None


#: A run of digits long enough to be an integer orjson cannot keep: it turns integers past 64
#: bits into floats without a word. Every integer of 18 digits or fewer fits in 64 bits; a false
#: hit (a long digit run in a string, a long float) only costs the slower exact decoder. Found
#: by mapping every digit to "0" and looking for nineteen of them: two C passes, 0.3 ms over a
#: 500 kB page where the regular expression ``\d{19,}`` took 3 ms (12 % of a full sync).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19


def decode_json(body: bytes) -> Any:
    """JSON with every number kept as sent: orjson (7x faster) for the pages it decodes exactly,
    the standard library (exact integers of any size) for the rest, and for what orjson refuses
    (lone surrogates)."""
    if _LONG_DIGIT_RUN not in body.translate(_DIGITS_AS_ZERO):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return json.loads(body)


def normalise_api_url(url: str) -> str:
    """Strip whitespace and trailing slashes; refuse anything that is not http(s) with a host.

    Credentials in the URL (``user:pass@host``) are refused too: a key belongs in
    ``DOCKVIEW_API_KEY``, where it is never printed.
    """
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiError(
            f"The API URL must start with http:// or https:// and name a host: {text!r}."
        )
    if parts.username or parts.password:
        raise ApiError(
            "The API URL must not contain a user name or password; set DOCKVIEW_API_KEY."
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def api_version_of(url: str) -> str:
    """The version named by the URL's last path part (``.../2.2.0``); 2.2.0 when none is named."""
    match = _VERSION_IN_PATH.search(urlsplit(url).path)
    return match.group(1) if match else "2.2.0"


def version_label(version: str) -> str:
    """``"2.3.0 (recommended)"``: a version with what upstream says of it, when known."""
    known = KNOWN_VERSIONS.get(version)
    return f"{version} ({known[1]})" if known else version


def is_insecure_remote(url: str) -> bool:
    """Plain http to anything but this machine: the key and the data could be read on the way."""
    parts = urlsplit(url)
    return parts.scheme == "http" and (parts.hostname or "") not in _LOOPBACK_HOSTS


def origin_of(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), port)


class LL2Client:
    """A polite LL2 client: frugal paging, bounded retries, throttle waits that can be cancelled.

    ``sleep`` and ``transport`` are injectable so tests run without waiting or a network.
    ``on_wait(seconds_left, reason)`` is called once a second during a throttle wait (the
    terminal's countdown, the window's status bar); ``should_cancel()`` is polled between
    requests and during waits.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        *,
        api_key: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int = MAX_RETRIES,
        backoff: float = 2.0,
        wait_when_throttled: bool = True,
        on_wait: Callable[[float, str], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = normalise_api_url(base_url)
        self.api_version = api_version_of(self.base_url)
        if self.api_version not in FLAVOURS:
            known = " or ".join(f".../{version}" for version in FLAVOURS)
            raise ApiError(f"dockview does not know API version {self.api_version}; use {known}.")
        self.flavour = FLAVOURS[self.api_version]
        self._api_key = api_key or None
        self._origin = origin_of(self.base_url)
        self.max_retries = max_retries
        self.backoff = backoff
        self.wait_when_throttled = wait_when_throttled
        self.on_wait = on_wait
        self.should_cancel = should_cancel or (lambda: False)
        self._sleep = sleep
        self.requests_made = 0
        whole, connect = DEFAULT_TIMEOUT
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(whole, connect=connect) if timeout is None else timeout,
            follow_redirects=False,
            headers={
                "Accept": "application/json",
                "User-Agent": f"dockview/{__version__} (+https://github.com/dockview)",
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LL2Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def has_key(self) -> bool:
        return self._api_key is not None

    # -- public requests ---------------------------------------------------------------------

    def fetch_events_page(
        self,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        ordering: str = "docking",
        filters: Mapping[str, str] | None = None,
        detailed: bool = True,
    ) -> Page:
        """One page of docking events, offset-based: the next page is built from our own base
        URL, never from the server's ``next`` link, so the key cannot be led to another host."""
        params: dict[str, str] = {"format": "json", "limit": str(limit), "offset": str(offset)}
        if detailed and self.flavour.detailed_events:
            params["mode"] = "detailed"
        if ordering:
            params["ordering"] = ordering
        params.update(filters or {})
        url = f"{self.base_url}/{self.flavour.events_path}"
        body = self._get_json(url, params, what="docking events")
        if not isinstance(body, Mapping) or not isinstance(body.get("results"), list):
            raise ApiDataError("The API answered with JSON that is not a page of docking events.")
        count = body.get("count")
        next_link = body.get("next")
        refused = isinstance(next_link, str) and origin_of(next_link) != self._origin
        if refused:
            log.warning("Ignoring a next link that points away from the configured API host.")
        results = body["results"]
        return Page(
            results=results,
            count=count if isinstance(count, int) and not isinstance(count, bool) else None,
            offset=offset,
            has_next=bool(next_link),
            next_link_refused=refused,
        )

    def fetch_lookup(self, kind: str, filters: Mapping[str, str]) -> list[Mapping[str, Any]]:
        """Full configuration or agency records (``kind``: LOOKUP_CONFIGS or LOOKUP_AGENCIES)
        in one request: no retry and no throttle wait, because these records only complete
        the detail pane, and a sync must never wait or fail for them. ``filters`` may hold
        ``id`` (one integer); 2.3.0's configurations take no ``id`` filter, so one of those
        is asked for by its own path."""
        paths = self.flavour.lookup_paths
        if not paths or kind not in paths:
            return []
        params: dict[str, str] = {"format": "json", "limit": str(PAGE_SIZE)}
        params.update(self.flavour.lookup_params or {})
        params.update(filters)
        url = f"{self.base_url}/{paths[kind]}"
        by_path = kind == LOOKUP_CONFIGS and "id" in params and self.flavour.version == "2.3.0"
        if by_path:
            url += f"{params.pop('id')}/"
        self._check_cancel()
        try:
            body = self._get_json_once(url, params, what=f"{kind} records")
        except ApiRetired:
            if by_path:  # no record of that id
                return []
            raise
        if by_path:
            return [body] if isinstance(body, Mapping) else []
        results = body.get("results") if isinstance(body, Mapping) else None
        if not isinstance(results, list):
            raise ApiDataError(f"The API answered with JSON that is not a page of {kind}.")
        return [item for item in results if isinstance(item, Mapping)]

    def throttle_status(self) -> ThrottleStatus | None:
        """Ask ``/2.3.0/api-throttle/`` (free of charge) how the budget stands; None if unknown."""
        parts = urlsplit(self.base_url)
        url = f"{parts.scheme}://{parts.netloc}/2.3.0/api-throttle/"
        try:
            response = self._http.get(url, headers=self._auth_headers(url))
            body = response.json()
        except (httpx.HTTPError, ValueError):
            log.info("The api-throttle endpoint did not answer usefully.")
            return None
        if isinstance(body, list):
            body = body[0] if body else None
        if not isinstance(body, Mapping):
            return None

        def number(key: str) -> float | None:
            value = body.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            return None

        limit = number("your_request_limit")
        used = number("current_use")
        return ThrottleStatus(
            limit=int(limit) if limit is not None else None,
            period_seconds=number("limit_frequency_secs"),
            used=int(used) if used is not None else None,
            next_use_seconds=number("next_use_secs"),
        )

    # -- the one place that sends requests ----------------------------------------------------

    def _auth_headers(self, url: str) -> dict[str, str]:
        if self._api_key and origin_of(url) == self._origin:
            return {"Authorization": f"Token {self._api_key}"}
        return {}

    def redact(self, text: str) -> str:
        """Belt and braces: whatever a server echoes back, the key never reaches a message."""
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text

    def _check_cancel(self) -> None:
        if self.should_cancel():
            raise SyncCancelled(
                "Sync cancelled; what was fetched is kept and it resumes next time."
            )

    def _get_json(self, url: str, params: Mapping[str, str], *, what: str) -> Any:
        attempt = 0
        while True:
            self._check_cancel()
            try:
                return self._get_json_once(url, params, what=what)
            except ApiThrottled as throttled:
                if not self.wait_when_throttled or throttled.wait_seconds > MAX_THROTTLE_WAIT:
                    raise
                self._wait(throttled.wait_seconds, "rate limit")
                # A throttled request is not a fault; it does not use up a retry.
            except ApiUnavailable as exc:
                if not exc.retryable:
                    raise
                attempt = self._retry_or_raise(exc, attempt)
            except ApiDataError as exc:
                attempt = self._retry_or_raise(exc, attempt)
            except ApiResponseError as exc:
                if exc.status < 500:
                    raise
                attempt = self._retry_or_raise(exc, attempt)

    def _retry_or_raise(self, exc: ApiError, attempt: int) -> int:
        if attempt >= self.max_retries:
            raise exc
        delay = self.backoff * (2**attempt)
        log.info("Retrying after %s (attempt %d of %d).", exc, attempt + 1, self.max_retries)
        self._wait(delay, "retry")
        return attempt + 1

    def _wait(self, seconds: float, reason: str) -> None:
        """Sleep in steps of at most a second, reporting and honouring cancel as we go."""
        remaining = seconds
        while remaining > 0:
            self._check_cancel()
            if self.on_wait is not None:
                self.on_wait(remaining, reason)
            step = min(1.0, remaining)
            self._sleep(step)
            remaining -= step
        if self.on_wait is not None:
            self.on_wait(0.0, reason)

    def _get_json_once(self, url: str, params: Mapping[str, str], *, what: str) -> Any:
        self.requests_made += 1
        try:
            response = self._http.get(url, params=params, headers=self._auth_headers(url))
        except httpx.TimeoutException as exc:
            raise ApiUnavailable(f"The API at {self._host()} did not answer in time.") from exc
        except httpx.ConnectError as exc:
            # No network, no such host, nothing listening: retrying soon would not help, and
            # the sync resumes next time. Marked so _get_json does not retry it.
            raise ApiUnavailable(
                f"Could not reach the API at {self._host()}; check the network connection.",
                retryable=False,
            ) from exc
        except httpx.TransportError as exc:
            raise ApiUnavailable(
                f"The connection to the API at {self._host()} broke off; check the network "
                "connection."
            ) from exc
        except httpx.HTTPError as exc:
            raise ApiUnavailable(f"The request to {self._host()} failed.") from exc

        status = response.status_code
        if status == 429:
            raise ApiThrottled(self._throttled_message(wait := self._throttle_wait(response)), wait)
        if status in (404, 410):
            # The list endpoint itself is missing: LimitOffsetPagination answers an empty page,
            # never 404, for an offset past the end.
            advice = ""
            if self.api_version == "2.2.0":
                newer = self.base_url[: -len("2.2.0")] + "2.3.0"
                advice = (
                    f" Switch to 2.3.0 with --api-url {newer} (or DOCKVIEW_API_URL, or the "
                    "window's Settings)."
                )
            raise ApiRetired(
                f"The API at {self._host()} answers {status} for {what}: API version "
                f"{self.api_version} looks retired, or the API URL is wrong.{advice}",
                status,
                self._excerpt(response),
            )
        if status >= 400:
            raise ApiResponseError(
                f"The API answered HTTP {status} {response.reason_phrase} for {what}.",
                status,
                self._excerpt(response),
            )
        if status >= 300:
            raise ApiResponseError(
                f"The API answered with a redirect (HTTP {status}), which dockview does not "
                "follow; check the API URL.",
                status,
            )
        content_type = response.headers.get("content-type", "")
        body = response.content  # json.loads reads UTF-8 bytes itself: no second decode
        says_json = "json" in content_type.lower()
        if body[:64].lstrip().startswith(b"<"):
            # An HTML page (a proxy's or the browsable API's error page), whatever its status.
            raise ApiDataError(
                f"The API answered with {content_type.split(';')[0] or 'an unknown type'} "
                "instead of JSON."
            )
        # A wrong content type on a good JSON body is the server's slip, not lost data.
        try:
            return decode_json(body)
        except ValueError as exc:
            if not says_json:
                raise ApiDataError(
                    f"The API answered with {content_type.split(';')[0] or 'an unknown type'} "
                    "instead of JSON."
                ) from exc
            raise ApiDataError("The API's answer was cut off or is not valid JSON.") from exc

    def _host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _excerpt(self, response: httpx.Response) -> str:
        try:
            text = response.text
        except (UnicodeDecodeError, httpx.HTTPError):
            return ""
        return self.redact(" ".join(text.split())[:200])

    def _throttle_wait(self, response: httpx.Response) -> float:
        """Seconds to wait: ``Retry-After``, else the body's "Expected available in N seconds",
        else what ``api-throttle`` says, else a minute."""
        retry_after = response.headers.get("retry-after")
        if retry_after:
            seconds = _parse_retry_after(retry_after)
            if seconds is not None:
                return seconds
        try:
            detail = str(response.json().get("detail", ""))
        except (ValueError, AttributeError):
            detail = response.text[:500]
        match = _EXPECTED_IN.search(detail)
        if match:
            return float(match.group(1))
        status = self.throttle_status()
        if status is not None and status.next_use_seconds is not None:
            return max(0.0, status.next_use_seconds)
        return FALLBACK_THROTTLE_WAIT

    def _throttled_message(self, wait: float) -> str:
        minutes = max(1, round(wait / 60))
        when = f"{int(wait)} seconds" if wait < 120 else f"about {minutes} minutes"
        return (
            f"The API's hourly request limit is used up; it can be asked again in {when} "
            "(run the sync again then; it resumes where it stopped)."
        )


def _parse_retry_after(value: str) -> float | None:
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        import email.utils  # only for a server's Retry-After date: not at start

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
