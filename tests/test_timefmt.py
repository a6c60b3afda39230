"""dockview.timefmt: the texts LL2 writes read back, and the texts a person reads.

Zones are set explicitly (fixed offsets), never taken from the machine's TZ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dockview.timefmt import (
    age_text,
    display_zone,
    format_date,
    format_duration,
    format_span,
    format_stay,
    format_time,
    from_timestamp,
    iso_utc,
    iso_utc_seconds,
    parse_duration_seconds,
    parse_time,
    timestamp_of,
    utc_year,
    utc_year_start,
)

#: Crew Dragon Endeavour docking at Harmony forward: 2024-05-02 13:46 UTC.
DOCKED = datetime(2024, 5, 2, 13, 46, tzinfo=UTC)
TOKYO = timezone(timedelta(hours=9), "JST")
NEWFOUNDLAND = timezone(timedelta(hours=-3, minutes=-30), "NST")


# -- reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-02T13:46:00Z",
        "2024-05-02T13:46Z",
        "2024-05-02T13:46:00+00:00",
        "2024-05-02T22:46:00+09:00",
        "2024-05-02T10:16:00-03:30",
        "2024-05-02T13:46:00",  # no zone: UTC, as LL2 means it
        "  2024-05-02T13:46:00Z\n",
        "20240502T134600Z",  # basic format
        "2024-123T13:46:00Z",  # an ordinal date, which only the isodate fallback reads
    ],
)
def test_times_read_as_the_same_utc_moment(text: str) -> None:
    moment = parse_time(text)
    assert moment == DOCKED
    assert moment is not None and moment.utcoffset() == timedelta(0)


def test_fractions_of_a_second_are_kept() -> None:
    moment = parse_time("2024-05-02T13:46:00.250Z")
    assert moment == DOCKED + timedelta(milliseconds=250)


@pytest.mark.parametrize(
    "value", [None, "", "   ", "yesterday", "2024-13-02T13:46:00Z", "2024-05-02T25:00Z", 17, 1.5]
)
def test_what_is_no_time_reads_as_none(value: object) -> None:
    assert parse_time(value) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("P868DT14H14M29S", 868 * 86400 + 14 * 3600 + 14 * 60 + 29),
        ("P3D", 3 * 86400),  # zero parts left out
        ("PT5H", 5 * 3600),
        ("PT7M", 7 * 60),
        ("PT0S", 0),
        ("PT1.5S", 1.5),
    ],
)
def test_durations_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_duration_seconds(text) == seconds


@pytest.mark.parametrize("value", [None, "", "868 days", "P", 3600])
def test_what_is_no_duration_reads_as_none(value: object) -> None:
    assert parse_duration_seconds(value) is None


# -- LL2's form, timestamps ----------------------------------------------------------------------


def test_utc_text_as_ll2_writes_it() -> None:
    assert iso_utc(DOCKED) == "2024-05-02T13:46:00Z"
    assert iso_utc(DOCKED.astimezone(TOKYO)) == "2024-05-02T13:46:00Z"
    assert iso_utc_seconds(DOCKED.astimezone(NEWFOUNDLAND)) == "2024-05-02T13:46:00Z"


def test_the_keyset_text_keeps_fractions_and_whole_seconds_text_drops_them() -> None:
    moment = DOCKED + timedelta(microseconds=123456)
    assert iso_utc(moment) == "2024-05-02T13:46:00.123456Z"
    assert parse_time(iso_utc(moment)) == moment
    assert iso_utc_seconds(moment) == "2024-05-02T13:46:00Z"


def test_timestamps_and_datetimes_round_trip() -> None:
    stamp = timestamp_of(DOCKED)
    assert stamp == 1714657560.0
    assert from_timestamp(1714657560.0) == DOCKED
    assert from_timestamp(1714657560.0).tzinfo is UTC
    assert timestamp_of(None) is None


def test_utc_years() -> None:
    assert utc_year(DOCKED.timestamp()) == 2024
    assert utc_year_start(2024) == datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    # The last second of 2023 in UTC is already 2024 in Tokyo; the year is UTC's.
    assert utc_year(utc_year_start(2024) - 1) == 2023


# -- texts for a person --------------------------------------------------------------------------


def test_times_in_utc() -> None:
    stamp = DOCKED.timestamp() + 7
    assert format_time(stamp, UTC) == "2024-05-02 13:46"
    assert format_time(stamp, UTC, zone_name=True) == "2024-05-02 13:46 UTC"
    assert format_time(stamp, UTC, seconds=True, zone_name=True) == "2024-05-02 13:46:07 UTC"
    assert format_date(stamp, UTC) == "2024-05-02"


def test_times_in_a_zone_east_of_utc_move_to_the_next_day() -> None:
    stamp = DOCKED.timestamp() + 5 * 3600  # 18:46 UTC is 03:46 the next day in Tokyo
    assert format_time(stamp, UTC) == "2024-05-02 18:46"
    assert format_time(stamp, TOKYO) == "2024-05-03 03:46"
    assert format_time(stamp, TOKYO, zone_name=True) == "2024-05-03 03:46 JST"
    assert format_date(stamp, UTC) == "2024-05-02"
    assert format_date(stamp, TOKYO) == "2024-05-03"


def test_times_in_a_half_hour_zone_west_of_utc() -> None:
    assert format_time(DOCKED.timestamp(), NEWFOUNDLAND) == "2024-05-02 10:16"
    assert format_time(DOCKED.timestamp(), NEWFOUNDLAND, seconds=True) == "2024-05-02 10:16:00"
    assert format_date(DOCKED.timestamp() - 11 * 3600, NEWFOUNDLAND) == "2024-05-01"


def test_the_utc_setting_picks_utc() -> None:
    assert display_zone(True) is UTC
    assert display_zone(False).utcoffset(None) is not None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (868 * 86400 + 14 * 3600 + 14 * 60 + 29, "868 d 14 h 14 min"),
        (3 * 86400, "3 d"),
        (3 * 86400 + 5 * 60, "3 d 5 min"),
        (2 * 3600, "2 h"),
        (59, "0 min"),
        (0, "0 min"),
        (None, ""),
    ],
)
def test_durations_leave_zero_parts_out(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (163 * 86400 + 1 * 3600 + 25 * 60, "163 d 1 h"),
        (2 * 86400, "2 d 0 h"),
        (5 * 3600 + 7 * 60, "5 h 7 min"),
        (42 * 60 + 59, "42 min"),
        (0, "0 min"),
    ],
)
def test_stays_are_coarser(seconds: float, text: str) -> None:
    assert format_stay(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1500 * 86400, "1,500 days"), (2 * 86400, "2 days"), (47 * 3600, "47 hours"), (0, "0 hours")],
)
def test_spans_in_sentences_count_days_from_two_days(seconds: float, text: str) -> None:
    assert format_span(seconds) == text


@pytest.mark.parametrize(
    ("hours_ago", "text"),
    [(0, "0 h"), (3.2, "3 h"), (47.4, "47 h"), (48, "2 d"), (24 * 9 + 13, "10 d"), (-5, "0 h")],
)
def test_ages_count_hours_then_days(hours_ago: float, text: str) -> None:
    now = DOCKED.timestamp()
    assert age_text(now - hours_ago * 3600, now) == text


def test_an_unknown_moment_has_an_unknown_age() -> None:
    assert age_text(None, DOCKED.timestamp()) == "unknown"
    assert age_text(timestamp_of(parse_time("not a time"))) == "unknown"
