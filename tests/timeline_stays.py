"""Plain stays for the timeline's Qt-free tests: what the timeline reads from a table row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

HOUR = 3600.0
DAY = 86_400.0


def ts(year: int, month: int, day: int, hour: int = 0) -> float:
    return datetime(year, month, day, hour, tzinfo=UTC).timestamp()


@dataclass
class Stay:
    id: int
    docking_ts: float
    departure_ts: float | None
    station_id: int | None = 1
    station_name: str | None = "ISS"
    location_id: int | None = 10
    location_name: str | None = "Harmony zenith"
    flight_vehicle_id: int | None = None
    gone: bool = False
    spacecraft_name: str | None = None
    serial_number: str | None = None
    config_name: str | None = None
    agency_name: str | None = None

    def stay_seconds(self, now: float) -> float:
        end = self.departure_ts if self.departure_ts is not None else now
        return max(0.0, end - self.docking_ts)
