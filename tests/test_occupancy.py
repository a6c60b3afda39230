"""Occupancy over time on hand-worked examples, and its CSV files read back."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dockview.occupancy import compute_occupancy, write_occupancy_csv

DAY = 86400.0


def ts(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Row:
    docking_ts: float
    departure_ts: float | None
    location_id: int | None
    location_name: str | None
    station_id: int | None = 1
    station_name: str | None = "Alpha"
    gone: bool = False


def stay(start: str, end: str | None, port: int, name: str, **extra: object) -> Row:
    return Row(ts(start), ts(end) if end else None, port, name, **extra)  # type: ignore[arg-type]


NOW = ts("2022-07-02 12:00")

# Three overlapping stays, worked by hand:
#   A  Fwd  01-01 → 01-11
#   B  Aft  01-05 → 01-08
#   C  Fwd  01-07 → 01-20   (overlaps A on Fwd from 01-07 to 01-11: a data conflict)
# Vehicles docked: 1 from 01-01, 2 from 01-05, 3 from 01-07, 2 from 01-08, 1 from 01-11,
# 0 from 01-20. Peak 3, on 01-07 for one day. Fwd is occupied 01-01 → 01-20 (19 days, the
# overlap counted once), Aft 3 days, of 2021's 365.
THREE = [
    stay("2021-01-01 00:00", "2021-01-11 00:00", 10, "Fwd"),
    stay("2021-01-05 00:00", "2021-01-08 00:00", 11, "Aft"),
    stay("2021-01-07 00:00", "2021-01-20 00:00", 10, "Fwd"),
]


def test_three_overlapping_stays_by_hand() -> None:
    occupancy = compute_occupancy(THREE, NOW)
    (station,) = occupancy.stations
    assert station.label == "Alpha"
    assert station.steps == (
        (ts("2021-01-01 00:00"), 1),
        (ts("2021-01-05 00:00"), 2),
        (ts("2021-01-07 00:00"), 3),
        (ts("2021-01-08 00:00"), 2),
        (ts("2021-01-11 00:00"), 1),
        (ts("2021-01-20 00:00"), 0),
    )
    assert station.peak == 3
    assert station.peak_spans == ((ts("2021-01-07 00:00"), ts("2021-01-08 00:00")),)
    assert station.peak_label() == "3 vehicles, 2021-01-07"
    assert station.count_at(ts("2021-01-09 00:00")) == 2
    shares = {(entry.port, entry.year): entry for entry in occupancy.port_years}
    assert set(shares) == {("Aft (Alpha)", 2021), ("Fwd (Alpha)", 2021)}
    assert shares["Fwd (Alpha)", 2021].occupied_seconds == 19 * DAY
    assert shares["Fwd (Alpha)", 2021].share == pytest.approx(19 / 365)
    assert shares["Aft (Alpha)", 2021].share == pytest.approx(3 / 365)


def test_a_handover_at_one_second_is_no_peak_and_a_return_is_another_peak_time() -> None:
    rows = [
        stay("2021-01-01 00:00", "2021-02-01 00:00", 10, "Fwd"),
        stay("2021-02-01 00:00", "2021-03-01 00:00", 11, "Aft"),  # handover: still 1
        stay("2021-04-01 00:00", "2021-05-01 00:00", 10, "Fwd"),
    ]
    (station,) = compute_occupancy(rows, NOW).stations
    assert station.steps == (
        (ts("2021-01-01 00:00"), 1),
        (ts("2021-03-01 00:00"), 0),
        (ts("2021-04-01 00:00"), 1),
        (ts("2021-05-01 00:00"), 0),
    )
    assert station.peak_label() == "1 vehicle, 2021-01-01 (and 1 other time)"


def test_a_stay_across_new_year_and_an_open_stay_this_year() -> None:
    rows = [
        stay("2021-12-31 12:00", "2022-01-02 00:00", 10, "Fwd"),
        stay("2022-07-01 12:00", None, 11, "Aft"),  # docked now: one day until NOW
        stay("2022-01-05 00:00", "2022-01-01 00:00", 11, "Aft"),  # departs first: nothing
        stay("2020-01-01 00:00", "2020-02-01 00:00", 11, "Aft", gone=True),
    ]
    occupancy = compute_occupancy(rows, NOW)
    shares = {(entry.port, entry.year): entry for entry in occupancy.port_years}
    assert shares["Fwd (Alpha)", 2021].occupied_seconds == 0.5 * DAY
    assert shares["Fwd (Alpha)", 2022].occupied_seconds == 1.0 * DAY
    # The current year counts only up to now: 2022-01-01 to 07-02 12:00 is 182.5 days.
    assert shares["Aft (Alpha)", 2022].year_seconds == 182.5 * DAY
    assert shares["Aft (Alpha)", 2022].share == pytest.approx(1 / 182.5)
    assert ("Aft (Alpha)", 2020) not in shares
    (station,) = occupancy.stations
    assert station.steps[-1] == (NOW, 0)


def test_stations_are_apart_and_the_fullest_comes_first() -> None:
    rows = [*THREE, stay("2021-01-01 00:00", "2021-01-02 00:00", 50, "Nadir", station_id=2)]
    rows[-1] = Row(rows[-1].docking_ts, rows[-1].departure_ts, 50, "Nadir", 2, "Beta")
    occupancy = compute_occupancy(rows, NOW)
    assert [(s.label, s.peak) for s in occupancy.stations] == [("Alpha", 3), ("Beta", 1)]


def test_csv_files_read_back(tmp_path: Path) -> None:
    occupancy = compute_occupancy(THREE, NOW)
    ports = tmp_path / "ports.csv"
    assert write_occupancy_csv(occupancy, ports, "ports") == 2
    with ports.open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == [
        "Port",
        "Port id",
        "Year (UTC)",
        "Occupied seconds",
        "Year seconds",
        "Share",
    ]
    assert lines[2] == ["Fwd (Alpha)", "10", "2021", str(19 * 86400), str(365 * 86400), "0.0521"]
    steps = tmp_path / "steps.csv"
    assert write_occupancy_csv(occupancy, steps, "stations") == 6
    with steps.open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[3] == ["Alpha", "1", "2021-01-07T00:00:00Z", "3"]
