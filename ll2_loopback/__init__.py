"""A stand-in for The Space Devs' Launch Library 2 served on 127.0.0.1.

Why it exists: the real API allows 15 requests an hour, has no docking event younger than
its data set, and never fails on demand. Tests, benchmarks and offline trials need an API
that answers in milliseconds, holds as many events as asked for, and misbehaves exactly
when told to (throttling, 5xx, HTML pages, cut bodies, dropped connections, foreign
``next`` links, data that changes between pages). Stdlib only, so it also runs by hand::

    python -m ll2_loopback --port 8000 --events 600 --seed 1 --throttle 15/3600

It lives beside ``dockview/`` and ``tests/`` and is not installed with dockview: tests and
``bench/`` import it from the checkout.

Modules: ``catalogue`` (reference data from ``data/*.json``), ``generator`` (events for a
seed), ``v220``/``v230``/``v240``/``non_station`` (the shapes of each API version),
``lookups`` (2.3.0's configuration and agency records), ``query`` (filters, ordering,
paging), ``faults`` (:class:`Fault`), ``throttle`` (the rate limit), ``handler`` (HTTP) and
``server`` (:class:`LL2TestServer`).

URLs: every ``url`` field inside an event stays static and points at the real host, exactly
like the bundled sample of real events, so a real event served here is byte-for-byte the
real record. Only the paging links ``next``/``previous`` (and redirects) point at this
server's own origin, because those are what a client follows.
"""

from ll2_loopback.catalogue import API_ROOT, API_ROOT_V230, iso_duration
from ll2_loopback.faults import Fault
from ll2_loopback.generator import default_events, generate_events, generate_events_v230
from ll2_loopback.handler import RecordedRequest
from ll2_loopback.non_station import NON_STATION_IDS, non_station_events_v230
from ll2_loopback.query import MAX_LIMIT
from ll2_loopback.server import LL2TestServer
from ll2_loopback.v220 import SAMPLE_PATH, real_events, to_detailed_shape, to_list_shape
from ll2_loopback.v230 import real_events_v230, to_v230, to_v230_normal

__all__ = [
    "API_ROOT",
    "API_ROOT_V230",
    "MAX_LIMIT",
    "NON_STATION_IDS",
    "SAMPLE_PATH",
    "Fault",
    "LL2TestServer",
    "RecordedRequest",
    "default_events",
    "generate_events",
    "generate_events_v230",
    "iso_duration",
    "non_station_events_v230",
    "real_events",
    "real_events_v230",
    "to_detailed_shape",
    "to_list_shape",
    "to_v230",
    "to_v230_normal",
]
