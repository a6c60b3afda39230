"""What a docking-event list request selects: filters, search, ordering, paging values.

Follows Django REST framework and django-filter as LL2 runs them: unknown parameters are
ignored, junk ``limit``/``offset`` fall back to the defaults, and ordering puts nulls last
ascending and first descending, ties broken by ascending id (Postgres).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from typing import Any

from ll2_loopback.catalogue import Event, event_time, parse_time

#: LL2 clamps ``limit`` to this, like Django REST framework's ``max_limit``.
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
#: 2.3.0 id filters and where each looks.
ID_FILTERS_V230: dict[str, tuple[str, ...]] = {
    "space_station_target__id": ("space_station_target", "id"),
    "flight_vehicle_chaser__id": ("flight_vehicle_chaser", "id"),
    "docking_location__id": ("docking_location", "id"),
}
# django-filter's BooleanWidget: anything else leaves the filter out.
BOOLEANS = {"true": True, "True": True, "1": True, "false": False, "False": False, "0": False}
ORDER_FIELDS = frozenset({"docking", "departure", "id"})
INT_FILTERS_V220 = ("space_station__id", "flight_vehicle__id", "docking_location__id")
DATE_FILTERS = ("docking__gt", "docking__gte", "docking__lt", "docking__lte")


def nested_value(event: Mapping[str, Any], *path: str) -> Any:
    node: Any = event
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def haystack(event: Mapping[str, Any]) -> str:
    parts = [
        nested_value(event, "flight_vehicle", "spacecraft", "name"),
        nested_value(event, "flight_vehicle", "spacecraft", "serial_number"),
        nested_value(event, "flight_vehicle", "spacecraft", "spacecraft_config", "name"),
        nested_value(event, "flight_vehicle", "spacecraft", "spacecraft_config", "agency", "name"),
        nested_value(event, "docking_location", "name"),
        nested_value(event, "docking_location", "spacestation", "name"),
    ]
    return "\n".join(p for p in parts if isinstance(p, str)).casefold()


def haystack_v230(event: Mapping[str, Any]) -> str:
    """The fields 2.3.0 searches (its schema lists them), one per line."""
    parts = [
        nested_value(event, "docking_location", "name"),
        nested_value(event, "flight_vehicle_chaser", "spacecraft", "name"),
        nested_value(event, "flight_vehicle_target", "spacecraft", "name"),
        nested_value(event, "payload_flight_chaser", "payload", "name"),
        nested_value(event, "payload_flight_target", "payload", "name"),
        nested_value(event, "space_station_chaser", "name"),
        nested_value(event, "space_station_target", "name"),
    ]
    return "\n".join(p for p in parts if isinstance(p, str)).casefold()


def insert_by_docking(events: list[Event], event: Event) -> None:
    """Insert before the first event that docked later (keeps docking order)."""
    when = event_time(event, "docking")
    index = len(events)
    if when is not None:
        for i, other in enumerate(events):
            other_time = event_time(other, "docking")
            if other_time is not None and other_time > when:
                index = i
                break
    events.insert(index, event)


def positive_int(text: str | None, default: int, *, strict: bool) -> int:
    """Django REST framework's reading of limit/offset: junk falls back to the default."""
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        return default
    if value < 0 or (strict and value == 0):
        return default
    return value


def matches(
    event: Mapping[str, Any],
    ids: Mapping[str, int],
    bounds: Mapping[str, float],
    paths: Mapping[str, tuple[str, ...]] | None = None,
) -> bool:
    for key, wanted in ids.items():
        if paths is not None:
            got = nested_value(event, *paths[key])
        elif key == "space_station__id":
            got = nested_value(event, "docking_location", "spacestation", "id")
            if got is None:
                got = nested_value(event, "space_station", "id")
        elif key == "flight_vehicle__id":
            got = nested_value(event, "flight_vehicle", "id")
        else:
            got = nested_value(event, "docking_location", "id")
        if got != wanted:
            return False
    if bounds:
        when = event_time(event, "docking")
        if when is None:
            return False
        for key, bound in bounds.items():
            op = key.rsplit("__", 1)[1]
            if not (
                (op == "gt" and when > bound)
                or (op == "gte" and when >= bound)
                or (op == "lt" and when < bound)
                or (op == "lte" and when <= bound)
            ):
                return False
    return True


def docking_span(keys: list[float], bounds: Mapping[str, float]) -> tuple[int, int]:
    """The slice of docking-ordered ``keys`` that the docking bounds accept, by bisection.

    Same rule as :func:`_matches`: any bound excludes events without a docking time, which
    sort last (``inf``).
    """
    low, high = 0, len(keys)
    if not bounds:
        return low, high
    high = bisect.bisect_left(keys, math.inf)
    for key, bound in bounds.items():
        op = key.rsplit("__", 1)[1]
        if op == "gte":
            low = max(low, bisect.bisect_left(keys, bound, 0, high))
        elif op == "gt":
            low = max(low, bisect.bisect_right(keys, bound, 0, high))
        elif op == "lt":
            high = min(high, bisect.bisect_left(keys, bound, 0, high))
        else:  # lte
            high = min(high, bisect.bisect_right(keys, bound, 0, high))
    return low, max(low, high)


def sort_events(events: list[Event], fields: list[str]) -> list[Event]:
    """Order like Postgres: nulls last ascending, first descending; ties by ascending id.

    Keys are computed once per event into lists (this is the hot path of big benchmarks).
    """
    inf = math.inf
    id_keys: list[float] = []
    for event in events:
        ident = event.get("id")
        id_keys.append(ident if isinstance(ident, int) else inf)
    order = sorted(range(len(events)), key=id_keys.__getitem__)
    for field_name in reversed(fields):
        name = field_name.lstrip("-")
        keys: list[float]
        if name == "id":
            keys = id_keys
        else:
            keys = []
            for event in events:
                value = event.get(name)
                when = parse_time(value) if isinstance(value, str) else None
                keys.append(inf if when is None else when)
        order.sort(key=keys.__getitem__, reverse=field_name.startswith("-"))
    return [events[i] for i in order]
