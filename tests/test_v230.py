"""LL2 2.3.0 beside 2.2.0, end to end against the loopback server: chaser and target,
dockings with no station, the switch between versions, and a retired 2.2.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from dockview.api import LL2Client
from dockview.cli import EXIT_ERROR, EXIT_OK, main
from dockview.query import EventQuery
from dockview.records import parse_event
from dockview.store import Store
from ll2_loopback import (
    NON_STATION_IDS,
    LL2TestServer,
    real_events,
    real_events_v230,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def test_both_versions_become_the_same_records() -> None:
    old = {e["id"]: parse_event(e) for e in real_events()}
    new = {e["id"]: parse_event(e) for e in real_events_v230(detailed=True)}
    assert set(old) == set(new)
    for event_id, record in new.items():
        before = old[event_id]
        assert record.api_version == "2.3.0" and before.api_version == "2.2.0"
        assert (record.docking, record.departure) == (before.docking, before.departure)
        assert record.spacecraft is not None and before.spacecraft is not None
        assert record.spacecraft.name == before.spacecraft.name
        assert record.config is not None and before.config is not None
        assert record.config.name == before.config.name
        assert record.agency is not None and before.agency is not None
        assert record.agency.name == before.agency.name
        assert (record.location and record.location.name) == (
            before.location and before.location.name
        )
        assert record.station is not None and record.station.name == before.station.name
        assert record.chaser is not None and record.chaser.name == before.spacecraft.name
        assert record.target is not None and (record.target.kind, record.target.name) == (
            "station",
            before.station.name,
        )
        assert record.launch_id == before.launch_id


def test_the_client_speaks_2_3_0_paths_and_filter_names() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"count": 0, "next": None, "results": []})

    client = LL2Client("https://ll.example.org/2.3.0", transport=httpx.MockTransport(answer))
    flavour = client.flavour
    client.fetch_events_page(filters={flavour.station_filter: "4", flavour.port_filter: "30"})
    assert seen[0].url.path == "/2.3.0/docking_events/"
    assert seen[0].url.params["space_station_target__id"] == "4"
    assert seen[0].url.params["docking_location__id"] == "30"
    assert flavour.vehicle_filter == "flight_vehicle_chaser__id"


def test_a_2_3_0_sync_stores_every_event_including_dockings_with_no_station(
    capsys: pytest.CaptureFixture[str], ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url_v230]
    code, out, err = run(capsys, "sync", *common)
    assert code == EXIT_OK, err
    served = {e["id"]: plain(e) for e in ll2_server.events_v230}
    assert out.startswith(f"Full sync: {len(served)} new, 0 changed, 0 rejected;")
    target = tmp_path / "all.json"
    assert run(capsys, "export", *common, "-o", str(target))[0] == EXIT_OK
    document = json.loads(target.read_text("utf-8"))
    assert document["source"] == {"api_url": ll2_server.base_url_v230, "api_version": "2.3.0"}
    assert {e["id"]: e for e in document["results"]} == served  # the shape 2.3.0 sent
    with Store(db_path) as store:
        sides = {
            row[0]: row[1:]
            for row in store.conn.execute(
                "SELECT id, chaser_kind, chaser_name, target_kind, target_name, station_id"
                " FROM docking_events WHERE id IN (900003, 900005, 900007)"
            )
        }
    assert sides[900005] == ("spacecraft", sides[900005][1], "payload", "Intelsat 901", None)
    assert sides[900003][2] == "spacecraft" and sides[900003][4] is None
    assert sides[900007][0] == "payload" and sides[900007][2] == "station"
    assert set(NON_STATION_IDS) <= set(served)


def test_switching_version_fetches_everything_again_and_keeps_each_shape(
    capsys: pytest.CaptureFixture[str], ll2_server: LL2TestServer, db_path: Path
) -> None:
    old = ["--db", str(db_path), "--api-url", ll2_server.base_url]
    new = ["--db", str(db_path), "--api-url", ll2_server.base_url_v230]
    assert run(capsys, "sync", *old)[0] == EXIT_OK
    code, out, err = run(capsys, "sync", "-q", *new)
    assert code == EXIT_OK
    assert f"the cache was last synced from {ll2_server.base_url}; this sync fetches every" in err
    assert out.startswith("Full sync:")
    with Store(db_path) as store:
        versions = dict(
            store.conn.execute(
                "SELECT api_version, count(*) FROM docking_events"
                " WHERE gone_upstream_at IS NULL GROUP BY api_version"
            ).fetchall()
        )
        assert versions == {"2.3.0": len(ll2_server.events_v230)}
        one = next(store.iter_raw_events(EventQuery(ids=(568,))))
    assert "flight_vehicle_chaser" in one and "flight_vehicle" not in one
    code, out, _ = run(capsys, "sync", *new)
    assert out.startswith("Incremental sync:")


@pytest.mark.parametrize("status", [404, 410])
def test_a_retired_2_2_0_says_how_to_switch(
    capsys: pytest.CaptureFixture[str], ll2_server: LL2TestServer, db_path: Path, status: int
) -> None:
    ll2_server.retire_v220 = status
    code, _, err = run(capsys, "sync", "--db", str(db_path), "--api-url", ll2_server.base_url)
    assert code == EXIT_ERROR
    assert err.strip().splitlines()[-1] == (
        f"dockview: The API at 127.0.0.1:{ll2_server.port} answers {status} for docking events:"
        " API version 2.2.0 looks retired, or the API URL is wrong. Switch to 2.3.0 with"
        f" --api-url {ll2_server.base_url_v230} (or DOCKVIEW_API_URL, or the window's Settings)."
    )
