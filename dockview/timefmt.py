"""Times in one place: reading LL2's ISO 8601 texts, writing them back, and showing times to a
person.

Two forms of a moment, each where it fits:
- An **aware UTC datetime** is what parsing gives and what the cache's ISO texts are written
  from: the sync keyset needs its fractions of a second kept exactly.
- A **POSIX timestamp** (float seconds) is what every text for a person is made from: the
  table's rows, the statistics and the checks hold timestamps, and the table formats a time per
  painted cell.

Every text for a person takes the zone as a ``tzinfo``: ``UTC``, :func:`local_zone` (the
machine's UTC offset now, which the table, the timeline and the date filter share), or ``None``
for the machine's local time as its clock showed it at that moment (its own daylight-saving
offset, as ``datetime.astimezone()`` takes ``None``). :func:`display_zone` turns the window's
UTC setting into the zone.

No Qt here.
"""

from __future__ import annotations

import functools
import math
import time
from datetime import UTC, datetime, tzinfo

import isodate

__all__ = [
    "age_text",
    "display_zone",
    "format_date",
    "format_duration",
    "format_span",
    "format_stay",
    "format_time",
    "from_timestamp",
    "iso_utc",
    "iso_utc_seconds",
    "local_zone",
    "parse_duration_seconds",
    "parse_time",
    "timestamp_of",
    "utc_now_iso",
    "utc_year",
    "utc_year_start",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# -- reading LL2's texts -------------------------------------------------------------------------


def parse_time(value: object) -> datetime | None:
    """ISO 8601 → aware UTC datetime; None for anything else (a malformed field is no error).

    ``datetime.fromisoformat`` reads what LL2 writes (``2024-05-02T13:46:00Z``) ten times
    faster than isodate, which stays the fallback for the rarer ISO forms. A time without a
    zone is taken as UTC, as LL2 means it."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = isodate.parse_datetime(text)
        except (isodate.ISO8601Error, ValueError, TypeError, OverflowError):
            return None
    if not isinstance(parsed, datetime):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def parse_duration_seconds(value: object) -> float | None:
    """ISO 8601 duration (``P868DT14H14M29S``, zero parts left out) → seconds.

    Years and months have no fixed length; isodate returns a ``Duration`` for them, which we
    measure from the Unix epoch so the figure is at least stable.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    return _duration_seconds(value)


@functools.lru_cache(maxsize=4096)
def _duration_seconds(value: str) -> float | None:
    """Cached: a spacecraft's durations repeat in every event of its flights."""
    try:
        parsed = isodate.parse_duration(value.strip())
    except (isodate.ISO8601Error, ValueError, TypeError, OverflowError, ArithmeticError):
        return None
    try:
        if isinstance(parsed, isodate.Duration):
            seconds = ((_EPOCH + parsed) - _EPOCH).total_seconds()
        else:
            seconds = parsed.total_seconds()
    except (OverflowError, ValueError, TypeError, ArithmeticError):
        return None
    return float(seconds) if math.isfinite(seconds) else None


# -- timestamps and datetimes --------------------------------------------------------------------


def from_timestamp(timestamp: float) -> datetime:
    """A timestamp from the cache → the aware UTC datetime the records use."""
    return datetime.fromtimestamp(timestamp, UTC)


def timestamp_of(moment: datetime | None) -> float | None:
    """The cache's ``*_ts`` columns: what SQL compares and the rows sort by."""
    return moment.timestamp() if moment else None


def utc_year(timestamp: float) -> int:
    return datetime.fromtimestamp(timestamp, UTC).year


@functools.lru_cache(maxsize=512)
def utc_year_start(year: int) -> float:
    """Cached: yearly figures look the same few boundaries up once per interval."""
    return datetime(year, 1, 1, tzinfo=UTC).timestamp()


# -- LL2's ISO form ------------------------------------------------------------------------------


def iso_utc(moment: datetime) -> str:
    """UTC as LL2 writes it (``2024-05-02T13:46:00Z``), keeping fractions of a second so the
    sync keyset and the stored texts stay exact. isoformat is the fast formatter: a full sync
    writes 50,000 of these."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_utc_seconds(moment: datetime) -> str:
    """UTC in whole seconds (``2024-05-02T13:46:00Z``): the cache's own bookkeeping times and
    the CSV files' time columns."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now_iso() -> str:
    return iso_utc_seconds(datetime.now(UTC))


# -- zones ---------------------------------------------------------------------------------------


def local_zone() -> tzinfo:
    """The machine's UTC offset now, with its name: one fixed zone, so that converting a
    timestamp stays a C call however many cells are painted."""
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def display_zone(utc: bool) -> tzinfo:
    """The zone the window shows times in under its "Times in UTC" setting."""
    return UTC if utc else local_zone()


# -- texts for a person --------------------------------------------------------------------------


def format_time(
    timestamp: float, zone: tzinfo | None, *, seconds: bool = False, zone_name: bool = False
) -> str:
    """ "2024-05-02 13:46" (``seconds``: "13:46:00"; ``zone_name``: "13:46 UTC" or the local
    zone's abbreviation). ``zone=None`` is the local time with that moment's own offset.

    The table calls this per painted cell: isoformat takes 1.3 µs where strftime took 2.1."""
    moment = datetime.fromtimestamp(timestamp, zone)
    if zone is None:
        moment = moment.astimezone()
    text = (
        moment.isoformat(" ", "seconds")[:19] if seconds else moment.isoformat(" ", "minutes")[:16]
    )
    if zone_name:
        name = moment.tzname()
        if name:
            return f"{text} {name}"
    return text


def format_date(timestamp: float, zone: tzinfo | None) -> str:
    """ "2024-05-02" in ``zone`` (``None``: local time, as :func:`format_time`)."""
    return datetime.fromtimestamp(timestamp, zone).isoformat()[:10]


def format_duration(seconds: float | None) -> str:
    """Seconds → "868 d 14 h 14 min": what a person reads, with the zero parts left out."""
    if seconds is None:
        return ""
    total_minutes = int(seconds // 60)
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def format_stay(seconds: float) -> str:
    """Seconds → "163 d 1 h": the table's coarser "Docked for" figure."""
    total_hours = int(seconds // 3600)
    days, hours = divmod(total_hours, 24)
    if days:
        return f"{days} d {hours} h"
    minutes = int(seconds // 60) % 60
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def format_span(seconds: float) -> str:
    """ "12 days", "30 hours": a span said in a sentence, in whole units, hours under two days."""
    days = seconds / 86400
    return f"{days:,.0f} days" if days >= 2 else f"{seconds / 3600:,.0f} hours"


def age_text(timestamp: float | None, now: float | None = None) -> str:
    """ "3 h", "2 d": how long ago a moment was (a moment in the future is "0 h"); "unknown"
    without one. Hours up to two days, where a person still counts in hours."""
    if timestamp is None:
        return "unknown"
    hours = max(0.0, ((time.time() if now is None else now) - timestamp) / 3600)
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} d"
