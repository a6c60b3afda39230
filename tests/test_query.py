"""One filter query: the window's ``accepts`` and the cache's SQL pick the same events, for any
query and any rows (open stays, events gone upstream, missing stations, odd Unicode)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockview.query import EventQuery, day_span
from dockview.rows import EventRow
from dockview.store import TABLE_FIELDS

# Letters whose case folding SQLite's lower()/LIKE get wrong: ß/ẞ fold to "ss", dotted and
# dotless i, the three sigmas, ligatures, titlecase digraphs.
TRICKY = "aAbBsSiIßẞİıΣσςﬁǅǆǄ Mir-1 Союз Ελλάς\u0301"  # noqa: RUF001
names = st.none() | st.text(alphabet=TRICKY, max_size=8)
small_ids = st.none() | st.integers(1, 4)


@st.composite
def table_rows(draw: st.DrawFn, event_id: int) -> tuple[Any, ...]:
    docking = draw(st.integers(0, 1000)) * 1.0
    departure = draw(st.none() | st.integers(0, 500).map(lambda span: docking + span))
    values = {
        "id": event_id,
        "docking_ts": docking,
        "departure_ts": departure,
        "spacecraft_id": draw(small_ids),
        "spacecraft_name": draw(names),
        "serial_number": draw(names),
        "config_type": draw(names),
        "config_name": draw(names),
        "agency_name": draw(names),
        "station_id": draw(small_ids),
        "station_name": draw(names),
        "location_id": draw(small_ids),
        "location_name": draw(names),
        "flight_vehicle_id": draw(small_ids),
        "gone_upstream_at": draw(st.none() | st.just("2024-05-01T00:00:00Z")),
        "chaser_name": draw(names),
        "target_kind": draw(st.none() | st.sampled_from(["station", "spacecraft", "payload"])),
        "target_name": draw(names),
    }
    return tuple(values[name] for name in TABLE_FIELDS)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[tuple[Any, ...]], EventQuery]:
    count = draw(st.integers(0, 12))
    rows = [draw(table_rows(event_id)) for event_id in range(1, count + 1)]
    # Text that is in a row more often than not, its case changed, or any text at all.
    texts = [field for row in rows for field in row if isinstance(field, str)]
    picked = st.sampled_from(texts) if texts else st.just("")
    text = draw(
        st.one_of(
            st.text(alphabet=TRICKY, max_size=4),
            picked.map(str.upper),
            picked.map(str.lower),
            picked.map(lambda value: value[1:4]),
        )
    )
    span = st.none() | st.integers(0, 1500).map(float)
    query = EventQuery(
        station_id=draw(small_ids),
        location_id=draw(small_ids),
        spacecraft_id=draw(small_ids),
        flight_vehicle_id=draw(small_ids),
        text=text,
        since_ts=draw(span),
        until_ts=draw(span),
        docked_now=draw(st.booleans()),
        include_gone=draw(st.booleans()),
        ids=draw(st.none() | st.lists(st.integers(0, 14), max_size=5).map(tuple)),
    )
    return rows, query


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE TABLE docking_events ({', '.join(TABLE_FIELDS)})")
    yield connection
    connection.close()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_accepts_and_sql_agree_on_every_row(
    conn: sqlite3.Connection, case: tuple[list[tuple[Any, ...]], EventQuery]
) -> None:
    rows, query = case
    conn.execute("DELETE FROM docking_events")
    marks = ",".join("?" * len(TABLE_FIELDS))
    conn.executemany(f"INSERT INTO docking_events VALUES ({marks})", rows)
    where, params = query.where(conn)
    by_sql = [row[0] for row in conn.execute(f"SELECT id FROM docking_events {where}", params)]
    by_python = [fields[0] for fields in rows if query.accepts(EventRow(fields))]
    fast = query.predicate()
    assert [fields[0] for fields in rows if fast(EventRow(fields))] == by_python
    answers = query.answers([EventRow(fields) for fields in rows])
    assert [fields[0] for fields, yes in zip(rows, answers, strict=True) if yes] == by_python
    assert all(answer is True or answer is False for answer in answers)
    assert sorted(by_sql) == by_python


@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_the_json_form_brings_back_the_same_query(
    case: tuple[list[tuple[Any, ...]], EventQuery],
) -> None:
    _, query = case
    assert EventQuery.from_json(json.loads(json.dumps(query.to_json()))) == query


def test_case_folding_beyond_ascii() -> None:
    fields = dict.fromkeys(TABLE_FIELDS)
    fields.update(id=1, docking_ts=0.0, spacecraft_name="Straße ΣΟΥΖ")
    row = EventRow(tuple(fields[name] for name in TABLE_FIELDS))
    assert EventQuery(text="STRASSE").accepts(row)
    assert EventQuery(text="  σουζ ").accepts(row)
    assert not EventQuery(text="strasse souz").accepts(row)


def test_docked_now_means_open_and_still_listed() -> None:
    def row(departure: float | None, gone: str | None) -> EventRow:
        fields = dict.fromkeys(TABLE_FIELDS)
        fields.update(id=1, docking_ts=0.0, departure_ts=departure, gone_upstream_at=gone)
        return EventRow(tuple(fields[name] for name in TABLE_FIELDS))

    docked_now = EventQuery(docked_now=True)
    assert docked_now.accepts(row(None, None))
    assert not docked_now.accepts(row(10.0, None))
    assert not docked_now.accepts(row(None, "2024-01-01T00:00:00Z"))
    # Gone events show (struck out) unless asked otherwise.
    assert EventQuery().accepts(row(10.0, "2024-01-01T00:00:00Z"))
    assert not EventQuery(include_gone=False).accepts(row(10.0, "2024-01-01T00:00:00Z"))


def test_malformed_remembered_filters_fall_back_to_defaults() -> None:
    assert EventQuery.from_json("nonsense") == EventQuery()
    assert (
        EventQuery.from_json(
            {"station_id": True, "text": 5, "since_ts": "x", "ids": ["a"], "docked_now": 1}
        )
        == EventQuery()
    )
    # A state remembered by an older dockview keeps what it shares.
    old = {"station_id": 18, "text": "Dragon", "docked_now": True, "dates": [True, "x", "y"]}
    assert EventQuery.from_json(old) == EventQuery(station_id=18, text="Dragon", docked_now=True)


def test_whole_days_in_a_zone() -> None:
    since, until = day_span(date(2024, 5, 1), date(2024, 5, 2), UTC)
    assert since == datetime(2024, 5, 1, tzinfo=UTC).timestamp()
    assert until is not None and datetime.fromtimestamp(until, UTC).date() == date(2024, 5, 2)
    assert day_span(None, None, UTC) == (None, None)
