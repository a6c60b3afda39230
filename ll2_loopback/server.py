"""The loopback LL2 server: stored events, faults, the rate limit and request records."""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import threading
from collections import deque
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import parse_qs, urlencode, urlsplit

from ll2_loopback.catalogue import DAY, NOW_TS, Event, event_time, parse_time
from ll2_loopback.faults import REPLACING, Fault, QueuedFault, fault_reply
from ll2_loopback.generator import default_events, generate_events, shift_event
from ll2_loopback.handler import (
    Handler,
    Headers,
    HTTPServer,
    RecordedRequest,
    Reply,
    html_page,
    json_reply,
    not_found,
)
from ll2_loopback.lookups import lookup_reply
from ll2_loopback.non_station import non_station_events_v230
from ll2_loopback.query import (
    BOOLEANS,
    DATE_FILTERS,
    DEFAULT_LIMIT,
    ID_FILTERS_V230,
    INT_FILTERS_V220,
    MAX_LIMIT,
    ORDER_FIELDS,
    docking_span,
    haystack,
    haystack_v230,
    insert_by_docking,
    matches,
    positive_int,
    sort_events,
)
from ll2_loopback.throttle import RateLimit
from ll2_loopback.v220 import to_list_shape
from ll2_loopback.v230 import convert_v230, to_v230, to_v230_normal
from ll2_loopback.v240 import to_v240

LIST_PATH = "/2.2.0/docking_event/"
DETAIL_RE = re.compile(r"^/2\.2\.0/docking_event/(\d+)/$")
V220_RE = re.compile(r"^/2\.2\.0/docking_event(/\d+)?/?$")
LIST_PATH_V230 = "/2.3.0/docking_events/"
DETAIL_RE_V230 = re.compile(r"^/2\.3\.0/docking_events/(\d+)/$")
THROTTLE_PATH = "/2.3.0/api-throttle/"
LIST_PATH_V240 = "/api/ll/2.4.0/docking_events/"
DETAIL_RE_V240 = re.compile(r"^/api/ll/2\.4\.0/docking_events/(\d+)/$")
#: Configuration and agency records: root, collection, 2.4.0's mode path, record id.
LOOKUP_RE = re.compile(
    r"^/(2\.3\.0|api/ll/2\.4\.0)/(spacecraft_configurations|agencies)/(detailed/)?(?:(\d+)/)?$"
)


class LL2TestServer(RateLimit):
    """Launch Library 2.2.0, 2.3.0 and 2.4.0 docking events over real HTTP on 127.0.0.1, with
    faults on demand.

    Stores detailed events; ``mode=detailed`` serves them as stored, the default list mode
    reduces them (:func:`to_list_shape`). ``next``/``previous`` point at :attr:`origin`.
    Without ``ordering`` events come in stored order (the real default is neither id nor
    docking). ``format=api`` gives an HTML page, as the browsable API does.

    API 2.3.0 (``/2.3.0/docking_events/`` and ``.../{id}/``, :attr:`base_url_v230`) serves
    ``events_v230`` (stored detailed; ``mode=normal``, the default, reduces them with
    :func:`to_v230_normal`; the detail path answers detailed). Without ``events_v230`` the
    2.3.0 events are derived from the 2.2.0 ones with :func:`to_v230` (same ids), plus
    :func:`non_station_events_v230` when ``v230_extras``; the derivation follows every
    change to the 2.2.0 events that the result cache sees. :meth:`add_event_v230` and
    :meth:`remove_event_v230` change only the 2.3.0 side. Filters use the 2.3.0 names
    (``space_station_target__id``, ``flight_vehicle_chaser__id``, ``docking_location__id``,
    ``docking__gt/gte/lt/lte``, ``docked``, ``search``); the 2.2.0 names are unknown there
    and, like any unknown parameter, silently ignored. ``retire_v220`` = 404 or 410 makes
    every 2.2.0 docking_event request answer that status (``{"detail": "Not found."}``)
    at once: recorded, but no fault, no budget.

    API 2.4.0 (``/api/ll/2.4.0/docking_events/``, :attr:`base_url_v240`) serves the 2.3.0
    events in the normal shape whatever ``mode`` says (:func:`to_v240`). The configuration
    and agency collections of 2.3.0 and 2.4.0 (``spacecraft_configurations``, ``agencies``;
    see :mod:`ll2_loopback.lookups`) spend the rate limit and are counted in
    :attr:`lookup_requests`; ``lookup_failure`` makes them all answer that status.

    Faults act only on docking_event requests (list and detail). A
    fault that replaces the answer (status codes, HTML, invalid JSON, drop before the
    response) is answered before the rate limit is consulted and spends no budget; the
    others (slow, truncated, drop after headers, wrong content type, foreign next,
    insert/remove between pages) wrap whatever the API would have answered, 429 included.
    2.2.0 and 2.3.0 docking-event requests share the faults, the counting and the budget;
    insert/remove faults change the events of the version that was asked.
    """

    def __init__(
        self,
        events: list[Event] | None = None,
        *,
        events_v230: list[Event] | None = None,
        v230_extras: bool = True,
        throttle_limit: int | None = None,
        throttle_window: float = 3600.0,
        throttle_style: str = "header",
        port: int = 0,
    ) -> None:
        if throttle_style not in ("header", "body", "none"):
            raise ValueError(f"throttle_style must be header, body or none: {throttle_style!r}")
        self._events: list[Event] = list(default_events() if events is None else events)
        self.throttle_limit = throttle_limit
        self.throttle_window = throttle_window
        self.throttle_style = throttle_style
        #: Seconds a 429 reports and the budget really stays closed; None = rest of window.
        self.throttle_wait: float | None = None
        #: Answer /2.3.0/api-throttle/ as a one-element list, as its published schema says.
        self.throttle_endpoint_as_list = False
        #: Print one line per request on stderr (the command line turns it on).
        self.log_requests = False
        #: Reuse filtered+sorted results across pages (for benchmarks with 50,000 events).
        #: Changes through add_event/remove_event/the events setter/faults and appends to
        #: the list are seen; after editing an event dict in place, call invalidate_cache().
        self.cache_results = False
        self._cache: dict[Any, tuple[tuple[int, int, int], list[Event]]] = {}
        #: With ``cache_results``: every event in ``ordering=docking`` order beside its docking
        #: time, so a keyset page (``docking__gte=...``) is two bisections and a slice instead
        #: of filtering and sorting the whole list (see :meth:`_docking_index`).
        self._indexes: dict[bool, tuple[tuple[Any, ...], list[float], list[Event]]] = {}
        self._version = 0
        self._events_v230: list[Event] | None = None if events_v230 is None else list(events_v230)
        #: Derived 2.3.0 events (no ``events_v230``) include non_station_events_v230().
        self.v230_extras = v230_extras
        #: 404 or 410: the 2.2.0 docking_event paths answer only that (the API retired).
        self.retire_v220: int | None = None
        #: A status every configuration and agency request answers (503, 429, ...) instead.
        self.lookup_failure: int | None = None
        self._v230_version = 0
        self._v230_added: list[Event] = []
        self._v230_removed: set[Any] = set()
        self._derived: tuple[tuple[Any, ...], list[Event]] | None = None
        self.requests: list[RecordedRequest] = []
        self._port = port
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._faults: deque[QueuedFault] = deque()
        self._scheduled: list[QueuedFault] = []
        self._event_requests = 0
        self._used = 0
        self._window_start: float | None = None
        self._blocked_until: float | None = None

    # -- life cycle ------------------------------------------------------------------
    def start(self) -> Self:
        """Bind 127.0.0.1 (port 0 = any free one) and serve from a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("LL2TestServer already started")
        self._stopping.clear()
        self._httpd = HTTPServer(("127.0.0.1", self._port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"LL2TestServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open keep-alive connections and wake any "slow" sleepers."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        """``with LL2TestServer(...) as s`` starts it; ``with ....start() as s`` keeps it."""
        if self._httpd is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("LL2TestServer is not running; call start()")
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/2.2.0`` (no trailing slash)."""
        return f"{self.origin}/2.2.0"

    @property
    def base_url_v230(self) -> str:
        """``http://127.0.0.1:PORT/2.3.0`` (no trailing slash)."""
        return f"{self.origin}/2.3.0"

    @property
    def base_url_v240(self) -> str:
        """``http://127.0.0.1:PORT/api/ll/2.4.0`` (no trailing slash)."""
        return f"{self.origin}/api/ll/2.4.0"

    @property
    def lookup_requests(self) -> list[RecordedRequest]:
        """Recorded requests for configuration and agency records."""
        with self._lock:
            return [r for r in self.requests if LOOKUP_RE.match(r.path)]

    def _lookup(self, match: re.Match[str], raw_query: str) -> Reply:
        """``spacecraft_configurations`` or ``agencies``: one record by path, or a page of
        them (filters ``id`` and ``spacecraft``). 2.3.0 picks the mode by ``?mode=``, 2.4.0
        by a ``detailed/`` path part. Spends the rate limit like any request."""
        if self.lookup_failure is not None:
            return json_reply(self.lookup_failure, {"detail": "Service unavailable."})
        wait = self._spend()
        if wait is not None:
            return self._throttled_reply(wait)
        return lookup_reply(match, raw_query, self.origin)

    # -- data ------------------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        """The live list of stored (detailed) events; the handler snapshots it per request."""
        return self._events

    @events.setter
    def events(self, events: list[Event]) -> None:
        with self._lock:
            self._version += 1
            self._events = list(events)

    def invalidate_cache(self) -> None:
        """Forget cached results and derived 2.3.0 events (after editing events in place)."""
        with self._lock:
            self._version += 1
            self._v230_version += 1
            self._cache.clear()
            self._indexes.clear()
            self._derived = None

    def add_event(self, event: Event) -> None:
        """Insert before the first stored event that docked later (keeps docking order)."""
        with self._lock:
            self._version += 1
            insert_by_docking(self._events, event)

    def remove_event(self, event_id: int) -> bool:
        """Drop the event with this id; False if there was none."""
        with self._lock:
            self._version += 1
            for i, event in enumerate(self._events):
                if event.get("id") == event_id:
                    del self._events[i]
                    return True
        return False

    @property
    def v230_derived(self) -> bool:
        """True while the 2.3.0 events are derived from the 2.2.0 ones (no ``events_v230``)."""
        return self._events_v230 is None

    @property
    def events_v230(self) -> list[Event]:
        """The stored (detailed) 2.3.0 events: the live list when given, else a snapshot of
        the derived ones (editing that snapshot changes nothing; use add/remove_event_v230)."""
        return self._snapshot(v230=True)[1]

    @events_v230.setter
    def events_v230(self, events: list[Event]) -> None:
        with self._lock:
            self._v230_version += 1
            self._events_v230 = list(events)

    def add_event_v230(self, event: Event) -> None:
        """Add a stored (detailed) 2.3.0 event in docking order; 2.2.0 does not see it."""
        with self._lock:
            self._v230_version += 1
            if self._events_v230 is None:
                self._v230_added.append(event)
            else:
                insert_by_docking(self._events_v230, event)

    def remove_event_v230(self, event_id: int) -> bool:
        """Drop a 2.3.0 event (2.2.0 keeps its own); False if there was none."""
        with self._lock:
            events = self._snapshot(v230=True)[1]
            if not any(e.get("id") == event_id for e in events):
                return False
            self._v230_version += 1
            if self._events_v230 is None:
                self._v230_removed.add(event_id)
                self._v230_added = [e for e in self._v230_added if e.get("id") != event_id]
            else:
                self._events_v230 = [e for e in self._events_v230 if e.get("id") != event_id]
            return True

    def _snapshot(self, *, v230: bool, copy: bool = True) -> tuple[tuple[Any, ...], list[Event]]:
        """A stamp that changes with the events, and a list of them that nobody mutates
        (``copy=False``: the live list when there is one, for callers that only stamp)."""
        with self._lock:
            if not v230:
                events = self._events
                return (self._version, id(events), len(events)), list(events) if copy else events
            if self._events_v230 is not None:
                events = self._events_v230
                stamp = ("v230", self._v230_version, id(events), len(events))
                return stamp, list(events) if copy else events
            key = (
                "derived",
                self._version,
                self._v230_version,
                id(self._events),
                len(self._events),
                self.v230_extras,
            )
            if self._derived is None or self._derived[0] != key:
                derived = convert_v230(self._events, detailed=True)
                if self.v230_extras:
                    derived += non_station_events_v230(True)
                removed = self._v230_removed
                derived = [e for e in derived if e.get("id") not in removed]
                for event in self._v230_added:
                    insert_by_docking(derived, event)
                self._derived = (key, derived)
            return key, self._derived[1]

    @property
    def event_requests(self) -> list[RecordedRequest]:
        """Recorded requests other than api-throttle ones."""
        with self._lock:
            return [r for r in self.requests if not r.api_throttle]

    # -- faults ----------------------------------------------------------------------
    def inject(
        self, fault: str | Fault, *, times: int = 1, on_request: int | None = None, **options: Any
    ) -> None:
        """Queue a fault for the next ``times`` docking_event requests.

        Without ``on_request`` faults queue up one after another. ``on_request=k`` starts
        it at the k-th docking_event request from now (1 = the next one) and takes
        precedence over the queue on that request.
        """
        kind = Fault.named(fault)
        if times < 1 or (on_request is not None and on_request < 1):
            raise ValueError("times and on_request count from 1")
        with self._lock:
            if on_request is None:
                self._faults.append(QueuedFault(kind, times, None, dict(options)))
            else:
                start = self._event_requests + on_request
                self._scheduled.append(QueuedFault(kind, times, start, dict(options)))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._scheduled.clear()

    def _take_fault(self, number: int) -> QueuedFault | None:
        with self._lock:
            for fault in self._scheduled:
                if fault.start is not None and fault.start <= number:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._scheduled.remove(fault)
                    return fault
            if self._faults:
                fault = self._faults[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.popleft()
                return fault
        return None

    # -- request handling ------------------------------------------------------------
    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _record(self, handler: Handler) -> RecordedRequest:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = Headers()
        for name, value in handler.headers.items():
            key = name.lower()
            dict.__setitem__(headers, key, f"{headers[key]}, {value}" if key in headers else value)
        record = RecordedRequest(
            handler.command,
            parts.path,
            query,
            headers,
            api_throttle=parts.path.rstrip("/") == THROTTLE_PATH.rstrip("/"),
        )
        with self._lock:
            self.requests.append(record)
        return record

    def _serve(self, handler: Handler) -> None:
        record = self._record(handler)
        parts = urlsplit(handler.path)
        path = parts.path
        if self.retire_v220 is not None and V220_RE.match(path):
            handler.send(json_reply(int(self.retire_v220), {"detail": "Not found."}), record)
            return
        slashless = (LIST_PATH, THROTTLE_PATH, LIST_PATH_V230)
        if path in (p.rstrip("/") for p in slashless) or re.fullmatch(
            r"/2\.2\.0/docking_event/\d+|/2\.3\.0/docking_events/\d+", path
        ):
            location = path + "/" + (f"?{parts.query}" if parts.query else "")
            handler.send(json_reply(301, {}, Location=location), record)
            return
        if path == THROTTLE_PATH:
            status = self._throttle_status()
            handler.send(
                json_reply(200, [status] if self.throttle_endpoint_as_list else status), record
            )
            return
        lookup = LOOKUP_RE.match(path)
        if lookup is not None:
            handler.send(self._lookup(lookup, parts.query), record)
            return
        v240 = path == LIST_PATH_V240 or DETAIL_RE_V240.match(path) is not None
        v230 = path == LIST_PATH_V230 or v240
        detail = DETAIL_RE.match(path) or DETAIL_RE_V230.match(path) or DETAIL_RE_V240.match(path)
        v230 = v230 or (detail is not None and not path.startswith("/2.2.0/"))
        if path not in (LIST_PATH, LIST_PATH_V230, LIST_PATH_V240) and detail is None:
            handler.send(not_found(), record)
            return

        with self._lock:
            self._event_requests += 1
            number = self._event_requests
        fault = self._take_fault(number)
        name = fault.fault if fault is not None else None
        options = fault.options if fault is not None else {}
        if name == Fault.DROP and options.get("when", "headers") == "start":
            handler.close_connection = True
            return
        if name is not None and name in REPLACING:
            handler.send(fault_reply(name, options), record)
            return
        if name == Fault.SLOW and self._stopping.wait(float(options.get("delay", 5))):
            handler.close_connection = True
            return

        wait = self._spend()
        if wait is not None:
            reply = self._throttled_reply(wait)
        elif detail is not None:
            reply = self._detail(int(detail.group(1)), v230=v230, raw_query=parts.query, v240=v240)
        else:
            next_origin = None
            if name == Fault.FOREIGN_NEXT:
                next_origin = str(options.get("next_origin", "http://evil.example.invalid"))
            reply = self._list(path, parts.query, next_origin, v230=v230, v240=v240)

        content_type = None
        if name == Fault.WRONG_CONTENT_TYPE:
            content_type = str(options.get("content_type", "text/plain; charset=utf-8"))
        cut = {Fault.TRUNCATED: "half", Fault.DROP: "headers"}.get(name) if name else None
        handler.send(reply, record, content_type=content_type, cut=cut)

        if name == Fault.INSERT_BETWEEN_PAGES:
            self._insert(options, v230=v230)
        elif name == Fault.REMOVE_BETWEEN_PAGES:
            target = options.get("event_id")
            if target is None and reply.event_ids:
                target = reply.event_ids[0]
            if target is not None:
                (self.remove_event_v230 if v230 else self.remove_event)(int(target))

    def _insert(self, options: Mapping[str, Any], *, v230: bool = False) -> None:
        """The insert_between_pages fault: ``event`` (of the version asked) or a new one,
        generated one day before the first docking (or at ``docking``)."""
        event = options.get("event")
        if event is None:
            events = self._snapshot(v230=v230)[1]
            ids = [e["id"] for e in events if isinstance(e.get("id"), int) and e["id"] < 900_000]
            times = [t for e in events if (t := event_time(e, "docking")) is not None]
            new_id = max(ids, default=999) + 1
            event = generate_events(1, seed=new_id, start_id=new_id)[0]
            if "docking" in options:
                target = cast(float, parse_time(str(options["docking"])))
            else:
                target = min(times, default=float(NOW_TS)) - DAY
            shift_event(event, int(target))
            if v230:
                event = to_v230(event, detailed=True)
        (self.add_event_v230 if v230 else self.add_event)(event)

    def _detail(
        self, event_id: int, *, v230: bool = False, raw_query: str = "", v240: bool = False
    ) -> Reply:
        """One event; 2.3.0 answers detailed unless ``mode=normal``; 2.4.0 always normal."""
        events = self._snapshot(v230=v230)[1]
        found = next((e for e in events if e.get("id") == event_id), None)
        if found is None:
            return not_found()
        if v240:
            found = to_v240(found)
        elif v230 and parse_qs(raw_query).get("mode", [""])[-1] == "normal":
            found = to_v230_normal(found)
        reply = json_reply(200, found)
        reply.event_ids = [event_id]
        return reply

    def _list(
        self,
        path: str,
        raw_query: str,
        next_origin: str | None,
        *,
        v230: bool = False,
        v240: bool = False,
    ) -> Reply:
        multi = parse_qs(raw_query, keep_blank_values=True)
        query = {k: v[-1] for k, v in multi.items()}
        fmt = query.get("format", "")
        if fmt not in ("", "json", "api"):
            return not_found()

        errors: dict[str, list[str]] = {}
        wanted_ids: dict[str, int] = {}
        for key in ID_FILTERS_V230 if v230 else INT_FILTERS_V220:
            text = query.get(key, "").strip()
            if text:
                try:
                    wanted_ids[key] = int(float(text))
                except ValueError:
                    errors[key] = ["Enter a number."]
        bounds: dict[str, float] = {}
        for key in DATE_FILTERS:
            text = query.get(key, "").strip()
            if text:
                parsed = parse_time(text)
                if parsed is None:
                    errors[key] = ["Enter a valid date/time."]
                else:
                    bounds[key] = parsed
        if errors:
            return json_reply(400, errors)
        docked = BOOLEANS.get(query.get("docked", "").strip()) if v230 else None

        terms = query.get("search", "").replace(",", " ").casefold().split()
        fields = [f.strip() for f in query.get("ordering", "").split(",")]
        fields = [f for f in fields if f.lstrip("-") in ORDER_FIELDS]
        limit = min(positive_int(query.get("limit"), DEFAULT_LIMIT, strict=True), MAX_LIMIT)
        offset = positive_int(query.get("offset"), 0, strict=False)
        count, page = self._select(
            wanted_ids, bounds, terms, fields, offset, limit, v230=v230, docked=docked
        )
        detailed = query.get("mode") == "detailed"
        reduce: Callable[[Mapping[str, Any]], Event] = to_v230_normal if v230 else to_list_shape
        if v240:  # no detailed mode at all
            detailed, reduce = False, to_v240
        results = page if detailed else [reduce(e) for e in page]

        def link(new_offset: int | None, origin: str) -> str:
            params = dict(multi)
            params["limit"] = [str(limit)]
            if new_offset is None:
                params.pop("offset", None)
            else:
                params["offset"] = [str(new_offset)]
            return f"{origin}{path}?{urlencode(sorted(params.items()), doseq=True)}"

        next_link = link(offset + limit, self.origin) if offset + limit < count else None
        if next_origin is not None:
            next_link = link(offset + limit, next_origin)
        previous = None
        if offset > 0:
            previous = link(None if offset - limit <= 0 else offset - limit, self.origin)
        payload = {"count": count, "next": next_link, "previous": previous, "results": results}
        if fmt == "api":
            text = json.dumps(payload, ensure_ascii=False, indent=2)
            body = html_page(
                "Docking Event List - Django REST framework",
                f"<pre>{text.replace('<', '&lt;')}</pre>",
            )
            return Reply(200, body, "text/html; charset=utf-8")
        reply = json_reply(200, payload, Allow="GET, HEAD, OPTIONS")
        reply.event_ids = [e["id"] for e in page if isinstance(e.get("id"), int)]
        return reply

    def _select(
        self,
        wanted_ids: Mapping[str, int],
        bounds: Mapping[str, float],
        terms: list[str],
        fields: list[str],
        offset: int,
        limit: int,
        *,
        v230: bool = False,
        docked: bool | None = None,
    ) -> tuple[int, list[Event]]:
        """How many events match, and the page of them at ``offset``.

        The keyset requests of a sync (only docking bounds, ``ordering=docking``) are answered
        from the docking index when results may be cached: at 50,000 events filtering and
        sorting everything took ~30 ms a request and made this server the bottleneck of the
        sync benchmark. The result is the same list the general path below would slice.
        """
        fast = fields == ["docking"] and not wanted_ids and not terms and docked is None
        if self.cache_results and fast:
            keys, ordered = self._docking_index(v230=v230)
            low, high = docking_span(keys, bounds)
            start = low + offset
            return high - low, ordered[start : low + min(high - low, offset + limit)]
        cache_key = (
            v230,
            docked,
            tuple(sorted(wanted_ids.items())),
            tuple(sorted(bounds.items())),
            tuple(terms),
            tuple(fields),
        )
        stamp, events = self._snapshot(v230=v230)
        with self._lock:
            hit = self._cache.get(cache_key) if self.cache_results else None
        if hit is not None and hit[0] == stamp:
            selected = hit[1]
        else:
            paths = ID_FILTERS_V230 if v230 else None
            hay_of = haystack_v230 if v230 else haystack
            selected = []
            for event in events:
                if not matches(event, wanted_ids, bounds, paths):
                    continue
                if docked is not None and (event.get("departure") is None) != docked:
                    continue
                if terms:
                    hay = hay_of(event)
                    if not all(term in hay for term in terms):
                        continue
                selected.append(event)
            if fields:
                selected = sort_events(selected, fields)
            if self.cache_results:
                with self._lock:
                    if len(self._cache) > 64:
                        self._cache.clear()
                    self._cache[cache_key] = (stamp, selected)
        return len(selected), selected[offset : offset + limit]

    def _docking_index(self, *, v230: bool = False) -> tuple[list[float], list[Event]]:
        """Docking keys (``inf`` = no docking time) and events in ``ordering=docking`` order,
        rebuilt only when the events change (the same stamp the result cache uses)."""
        with self._lock:
            stamp, events = self._snapshot(v230=v230, copy=False)
            index = self._indexes.get(v230)
            if index is not None and index[0] == stamp:
                return index[1], index[2]
            events = list(events)
        ordered = sort_events(events, ["docking"])
        inf = math.inf
        keys = [
            inf if (when := event_time(event, "docking")) is None else when for event in ordered
        ]
        with self._lock:
            self._indexes[v230] = (stamp, keys, ordered)
        return keys, ordered
