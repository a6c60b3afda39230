"""Make a demo cache for the README's Data issues and occupancy screenshots.

    python scripts/demo_cache.py /tmp/demo.db
    dockview gui --offline --db /tmp/demo.db --view issues --screenshot docs/issues.png

It holds the loopback LL2 server's generated history (600 events, seed 1: every station from
Salyut 1 to Tiangong, the open stays of January 2026) with a few of its events given the errors
real LL2 data carries, one of each kind ``dockview check`` reports: one flight at two ports at
once, a mission end before the departure, two stays on one port at once, a departure before
its docking, a docking in the future and a station its port does not belong to.
"""

from __future__ import annotations

import copy
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dockview.records import parse_events  # noqa: E402
from dockview.store import Store  # noqa: E402
from ll2_loopback import generate_events  # noqa: E402

SOURCE_URL = "http://127.0.0.1:8000/2.2.0"


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_flaws(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events with one error of each kind: two new events (a flight at a second port, a
    vehicle at a taken port) and four changed ones."""
    iss = [n for n, e in enumerate(events) if e["docking_location"]["spacestation"]["id"] == 4]
    done = [n for n in iss if events[n]["departure"] is not None]
    other_station = next(e for e in events if e["docking_location"]["spacestation"]["id"] != 4)
    flawed = list(events)
    next_id = max(e["id"] for e in events) + 1

    def changed(number: int, *, new_event: bool = False) -> dict[str, Any]:
        nonlocal next_id
        event = copy.deepcopy(events[number])  # nested dicts are shared: never edit in place
        if new_event:
            event["id"] = next_id
            next_id += 1
            flawed.append(event)
        else:
            flawed[number] = event
        return event

    # One flight at two ports at once (as Soyuz T-15 in the 2.1.0 list).
    twice = changed(done[-40], new_event=True)
    twice["docking_location"] = copy.deepcopy(events[done[-60]]["docking_location"])
    # Another vehicle docked at a port that is taken, for twelve days.
    host = events[done[-20]]
    crowd = changed(done[-25], new_event=True)
    crowd["flight_vehicle"]["id"] += 100_000
    crowd["docking_location"] = copy.deepcopy(host["docking_location"])
    middle = _time(host["docking"]) + (_time(host["departure"]) - _time(host["docking"])) / 3
    crowd["docking"] = _iso(middle)
    crowd["departure"] = _iso(middle + timedelta(days=12))
    # The mission ends three hours before the departure.
    early = changed(done[-30])
    early["flight_vehicle"]["mission_end"] = _iso(_time(early["departure"]) - timedelta(hours=3))
    # A departure typed a year early.
    backwards = changed(done[-15])
    backwards["departure"] = _iso(_time(backwards["docking"]) - timedelta(days=365))
    # A docking planned, not yet done.
    future = changed(done[-10])
    future["docking"], future["departure"] = "2027-03-01T12:00:00Z", None
    # The event names another station than its port's.
    mismatch = changed(done[-5])
    mismatch["space_station"] = copy.deepcopy(other_station["docking_location"]["spacestation"])
    return flawed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    target = Path(argv[0])
    if target.exists():
        print(f"{target} exists; give a new file name.", file=sys.stderr)
        return 1
    generated = generate_events(600, seed=1)
    events, rejected = parse_events(add_flaws(generated), "2.2.0")
    with Store(target) as store:
        store.write_page(events, source_url=SOURCE_URL)
        store.set_state("last_sync", {"finished_at": "2026-11-27T09:00:00Z", "kind": "full"})
    print(f"{len(events)} events in {target} ({len(rejected)} rejected)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
