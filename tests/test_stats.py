"""Statistics: every figure on a small hand-made data set with exact times, the CSV files read
back, and the real seed events through the cache."""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dockview.errors import ExportError
from dockview.records import parse_events
from dockview.stats import (
    GROUPINGS,
    GroupFigures,
    Statistics,
    Stay,
    compute_statistics,
    csv_header,
    write_csv,
)
from dockview.store import TABLE_FIELDS, Store

DAY = 86400.0


def ts(text: str) -> float:
    """ "2021-12-31 12:00" (UTC) → a timestamp."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Row:
    """A plain object with the attributes the statistics read (not the Qt table's EventRow)."""

    id: int
    docking_ts: float
    departure_ts: float | None
    station_id: int | None
    station_name: str | None
    location_id: int | None
    location_name: str | None
    config_name: str | None
    agency_name: str | None
    spacecraft_name: str | None = None
    gone: bool = False


ALPHA = (1, "Alpha")
BETA = (2, "Beta")
FWD = (10, "Fwd")
AFT = (11, "Aft")
NADIR = (20, "Nadir")
NOW = ts("2022-01-10 12:00")


def row(
    event_id: int,
    station: tuple[int, str],
    port: tuple[int, str],
    config: str,
    agency: str,
    docked: str,
    days: float | None,
    gone: bool = False,
) -> Row:
    start = ts(docked)
    return Row(
        id=event_id,
        docking_ts=start,
        departure_ts=None if days is None else start + days * DAY,
        station_id=station[0],
        station_name=station[1],
        location_id=port[0],
        location_name=port[1],
        config_name=config,
        agency_name=agency,
        spacecraft_name=f"Craft {event_id}",
        gone=gone,
    )


#: Seven counted dockings, one gone upstream. Row 6 docked on New Year's Eve and is still
#: docked: ten days at NOW. Row 7 (gone) would be the longest and would tie 2022 if counted.
ROWS = [
    row(1, ALPHA, FWD, "Capsule X", "Agency One", "2020-01-01 00:00", 10),
    row(2, ALPHA, FWD, "Cargo Y", "Agency Two", "2020-03-01 00:00", 30),
    row(3, ALPHA, AFT, "Capsule X", "Agency One", "2020-06-01 00:00", 20),
    row(4, ALPHA, AFT, "Cargo Y", "Agency Two", "2021-02-01 00:00", 40),
    row(5, BETA, NADIR, "Capsule X", "Agency Two", "2021-05-01 00:00", 5),
    row(6, ALPHA, FWD, "Capsule X", "Agency One", "2021-12-31 12:00", None),
    row(7, ALPHA, AFT, "Cargo Y", "Agency Two", "2022-01-02 00:00", 1000, gone=True),
    row(8, BETA, NADIR, "Cargo Y", "Agency Two", "2022-01-05 00:00", 1),
]


def figures(
    key: int | str,
    label: str,
    days: list[float],
    median_days: float,
    docked_now: int = 0,
) -> GroupFigures:
    return GroupFigures(
        key=key,
        label=label,
        dockings=len(days),
        total_seconds=sum(days) * DAY,
        median_seconds=median_days * DAY,
        longest_seconds=max(days) * DAY,
        docked_now=docked_now,
    )


@pytest.fixture
def statistics() -> Statistics:
    return compute_statistics(ROWS, NOW)


def test_per_station(statistics: Statistics) -> None:
    assert statistics.dockings == 7
    assert statistics.docked_now == 1
    assert statistics.by_station == [
        # Odd count: the middle stay. The still-docked stay counts its ten days up to NOW.
        figures(1, "Alpha", [10, 30, 20, 40, 10], median_days=20, docked_now=1),
        # Even count: the mean of the two middle stays.
        figures(2, "Beta", [5, 1], median_days=3),
    ]


def test_per_port_ties_in_dockings_go_by_label(statistics: Statistics) -> None:
    assert statistics.by_port == [
        figures(10, "Fwd (Alpha)", [10, 30, 10], median_days=10, docked_now=1),
        figures(11, "Aft (Alpha)", [20, 40], median_days=30),
        figures(20, "Nadir (Beta)", [5, 1], median_days=3),
    ]


def test_per_config_and_agency(statistics: Statistics) -> None:
    assert statistics.by_config == [
        figures("Capsule X", "Capsule X", [10, 20, 5, 10], median_days=10, docked_now=1),
        figures("Cargo Y", "Cargo Y", [30, 40, 1], median_days=30),
    ]
    assert statistics.by_agency == [
        figures("Agency Two", "Agency Two", [30, 40, 5, 1], median_days=17.5),
        figures("Agency One", "Agency One", [10, 20, 10], median_days=10, docked_now=1),
    ]


def test_longest_stays_longest_first_ties_by_earlier_docking(statistics: Statistics) -> None:
    stays = statistics.longest_stays
    assert [(stay.event_id, stay.seconds / DAY) for stay in stays] == [
        (4, 40),
        (2, 30),
        (3, 20),
        (1, 10),  # ten days, docked before row 6
        (6, 10),
        (5, 5),
        (8, 1),
    ]
    assert stays[0] == Stay(
        event_id=4,
        spacecraft="Craft 4",
        port="Aft",
        station="Alpha",
        docking_ts=ts("2021-02-01 00:00"),
        departure_ts=ts("2021-02-01 00:00") + 40 * DAY,
        seconds=40 * DAY,
    )
    assert stays[4].docked_now and stays[4].departure_ts is None


def test_longest_stays_keeps_ten() -> None:
    rows = [
        row(n, ALPHA, FWD, "Capsule X", "Agency One", "2020-01-01 00:00", n) for n in range(1, 13)
    ]
    stays = compute_statistics(reversed(rows), NOW).longest_stays
    assert [stay.event_id for stay in stays] == [12, 11, 10, 9, 8, 7, 6, 5, 4, 3]


def test_busiest_port_of_each_year_by_docking_year_ties_all_listed(
    statistics: Statistics,
) -> None:
    assert statistics.busiest_ports_by_year == [
        (2020, "Fwd (Alpha)", 2),
        # Three ports with one docking each: all listed, by label. Row 6 docked on
        # 2021-12-31 and counts for 2021 though it is still docked in 2022.
        (2021, "Aft (Alpha)", 1),
        (2021, "Fwd (Alpha)", 1),
        (2021, "Nadir (Beta)", 1),
        # Row 7 (gone) is not counted, or Aft would tie Nadir here.
        (2022, "Nadir (Beta)", 1),
    ]


def test_a_still_docked_stay_counts_up_to_now() -> None:
    later = compute_statistics(ROWS, NOW + 5 * DAY)
    assert later.longest_stays[3].event_id == 6
    assert later.longest_stays[3].seconds == 15 * DAY
    assert later.by_station[0].total_seconds == (110 + 5) * DAY


def test_gone_rows_are_left_out_everywhere() -> None:
    only_gone = compute_statistics([ROWS[6]], NOW)
    assert only_gone == Statistics(
        now=NOW,
        dockings=0,
        docked_now=0,
        by_station=[],
        by_port=[],
        by_config=[],
        by_agency=[],
        longest_stays=[],
        busiest_ports_by_year=[],
    )


def test_missing_names_and_a_departure_before_docking() -> None:
    odd = Row(
        id=99,
        docking_ts=ts("2023-03-01 00:00"),
        departure_ts=ts("2023-02-01 00:00"),
        station_id=None,
        station_name=None,
        location_id=None,
        location_name=None,
        config_name=None,
        agency_name=None,
    )
    statistics = compute_statistics([odd], NOW)
    assert statistics.by_station[0].label == "Unknown station"
    assert statistics.by_port[0].label == "Unknown port (Unknown station)"
    assert statistics.by_config[0].label == "Unknown config"
    assert statistics.by_agency[0].label == "Unknown agency"
    assert statistics.longest_stays[0].spacecraft == "Unknown spacecraft"
    assert statistics.longest_stays[0].seconds == 0.0


# -- CSV ------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_per_station(statistics: Statistics, tmp_path: Path) -> None:
    target = tmp_path / "stations.csv"
    assert write_csv(statistics, target, "station") == 2
    assert read_csv(target) == [
        [
            "Station",
            "Station id",
            "Dockings",
            "Docked now",
            "Total seconds",
            "Total docked",
            "Median seconds",
            "Median stay",
            "Longest seconds",
            "Longest stay",
        ],
        ["Alpha", "1", "5", "1", "9504000", "110 d", "1728000", "20 d", "3456000", "40 d"],
        ["Beta", "2", "2", "0", "518400", "6 d", "259200", "3 d", "432000", "5 d"],
    ]


def test_csv_per_agency_has_no_id_column(statistics: Statistics, tmp_path: Path) -> None:
    target = tmp_path / "agencies.csv"
    write_csv(statistics, target, "agency")
    lines = read_csv(target)
    assert lines[0][:3] == ["Agency", "Dockings", "Docked now"]
    assert lines[1] == [
        "Agency Two",
        "4",
        "0",
        "6566400",
        "76 d",
        "1512000",
        "17 d 12 h",
        "3456000",
        "40 d",
    ]


def test_csv_longest_and_busiest(statistics: Statistics, tmp_path: Path) -> None:
    longest = tmp_path / "longest.csv"
    assert write_csv(statistics, longest, "longest") == 7
    lines = read_csv(longest)
    assert lines[0] == csv_header("longest")
    assert lines[1] == [
        "1",
        "4",
        "Craft 4",
        "Aft",
        "Alpha",
        "2021-02-01T00:00:00Z",
        "2021-03-13T00:00:00Z",
        "3456000",
        "40 d",
        "no",
    ]
    assert lines[5] == [
        "5",
        "6",
        "Craft 6",
        "Fwd",
        "Alpha",
        "2021-12-31T12:00:00Z",
        "",
        "864000",
        "10 d",
        "yes",
    ]
    busiest = tmp_path / "busiest.csv"
    assert write_csv(statistics, busiest, "busiest") == 5
    assert read_csv(busiest)[:3] == [
        ["Year (docking, UTC)", "Port", "Dockings"],
        ["2020", "Fwd (Alpha)", "2"],
        ["2021", "Aft (Alpha)", "1"],
    ]


def test_csv_of_every_grouping_has_a_header_and_its_rows(
    statistics: Statistics, tmp_path: Path
) -> None:
    for grouping in GROUPINGS:
        target = tmp_path / f"{grouping}.csv"
        count = write_csv(statistics, target, grouping)
        lines = read_csv(target)
        assert len(lines) == count + 1
        assert all(len(line) == len(lines[0]) for line in lines)


def test_csv_failures(statistics: Statistics, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown grouping"):
        write_csv(statistics, tmp_path / "x.csv", "year")
    with pytest.raises(ExportError) as failure:
        write_csv(statistics, tmp_path / "missing" / "x.csv", "station")
    message = str(failure.value)
    assert message.endswith(".") and message.count(". ") == 0
    assert list(tmp_path.iterdir()) == []


def test_csv_keeps_a_median_half_second(tmp_path: Path) -> None:
    rows = [
        row(1, ALPHA, FWD, "Capsule X", "Agency One", "2020-01-01 00:00", 1),
        row(2, ALPHA, FWD, "Capsule X", "Agency One", "2020-02-01 00:00", 2 + 1 / DAY),
    ]
    target = tmp_path / "s.csv"
    write_csv(compute_statistics(rows, NOW), target, "station")
    assert read_csv(target)[1][6:8] == ["129600.5", "1 d 12 h"]


# -- the real seed events -------------------------------------------------------------------------


class TableRow:
    """A cache row (``Store.table_rows()``) read by field name, without Qt."""

    def __init__(self, fields: tuple[Any, ...]) -> None:
        self.__dict__.update(zip(TABLE_FIELDS, fields, strict=True))
        self.gone = self.gone_upstream_at is not None


@pytest.fixture
def seed_rows(seed_events: list[dict[str, Any]], db_path: Path) -> list[TableRow]:
    """The seed events, with Soyuz MS-27 (620) still docked, as in the window's tests."""
    events = copy.deepcopy(seed_events)
    soyuz = next(event for event in events if event["id"] == 620)
    soyuz["departure"] = None
    soyuz["flight_vehicle"]["mission_end"] = None
    with Store(db_path) as store:
        parsed, _ = parse_events(events)
        store.write_page(parsed, source_url="https://ll.thespacedevs.com/2.2.0")
        return [TableRow(fields) for fields in store.table_rows()]


def test_seed_events(seed_rows: list[TableRow]) -> None:
    statistics = compute_statistics(seed_rows, ts("2025-04-30 00:00"))
    assert [(s.label, s.dockings, s.docked_now) for s in statistics.by_station] == [
        ("International Space Station", 8, 1),
        ("Tiangong space station", 2, 0),
    ]
    tiangong = statistics.by_station[1]
    assert tiangong.median_seconds == tiangong.total_seconds / 2
    longest = statistics.longest_stays[0]
    assert (longest.spacecraft, longest.seconds) == ("Tianzhou-7", 25713840.0)
    assert statistics.by_agency[0].label == "SpaceX"
    assert statistics.by_agency[0].dockings == 4
    assert statistics.by_config[0].label == "Crew Dragon 2"
    assert statistics.busiest_ports_by_year == [
        (2024, "Harmony zenith (International Space Station)", 2),
        (2025, "Harmony forward (International Space Station)", 1),
        (2025, "Prichal nadir (International Space Station)", 1),
    ]


def test_seed_events_later_the_open_soyuz_stay_is_longest(seed_rows: list[TableRow]) -> None:
    # Soyuz MS-27 docked 2025-04-08 08:57:43 UTC and is still docked in the seed: by the end of
    # January 2026 its stay passes Tianzhou-7's 297 d 14 h 44 min.
    statistics = compute_statistics(seed_rows, ts("2026-11-26 09:00"))
    assert [stay.spacecraft for stay in statistics.longest_stays[:2]] == [
        "Soyuz MS-27",
        "Tianzhou-7",
    ]
    assert statistics.longest_stays[0].departure_ts is None
