"""The detail pane of one docking is the same whichever API version the cache came from:
2.2.0 carries the full configuration and agency inside the event, 2.3.0 and 2.4.0 get them
from their own endpoints (synced against the loopback server)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockview.api import LL2Client
from dockview.lookup_records import LookupRecords
from dockview.store import Store
from dockview.sync import run_sync
from dockview.ui.detail_pane import NOT_FETCHED_TEXT, SECTIONS, DetailPane, FullRecords
from ll2_loopback import LL2TestServer, generate_events, real_events

VERSIONS = ("2.2.0", "2.3.0", "2.4.0")


@pytest.fixture
def server() -> Iterator[LL2TestServer]:
    with LL2TestServer(generate_events(200, seed=2) + real_events()).start() as started:
        yield started


def base_url(server: LL2TestServer, version: str) -> str:
    return {
        "2.2.0": server.base_url,
        "2.3.0": server.base_url_v230,
        "2.4.0": server.base_url_v240,
    }[version]


def synced(server: LL2TestServer, version: str, path: Path) -> Store:
    store = Store(path)
    with LL2Client(base_url(server, version)) as client:
        assert run_sync(store, client).complete
    return store


def pane_for(qtbot: Any, store: Store, event_id: int) -> DetailPane:
    """The pane as the window fills it: the stored event and its fetched records."""
    pane = DetailPane()
    qtbot.addWidget(pane)
    config, agency = LookupRecords(store).for_event(event_id)
    pane.show_event(store.raw_event(event_id), (), FullRecords(config, agency))
    return pane


def test_a_crew_dragon_docking_shows_the_same_four_sections_in_every_version(
    server: LL2TestServer, qtbot: Any, tmp_path: Path
) -> None:
    crew_dragon = 568  # a real event: Crew Dragon Endeavour at the ISS
    texts: dict[str, dict[str, str]] = {}
    for version in VERSIONS:
        with synced(server, version, tmp_path / f"{version}.db") as store:
            pane = pane_for(qtbot, store, crew_dragon)
            texts[version] = {name: pane.section_text(name) for name in SECTIONS}
    for name in SECTIONS:
        assert texts["2.2.0"][name], f"{name} missing for 2.2.0"
        assert texts["2.3.0"][name] == texts["2.2.0"][name], name
        assert texts["2.4.0"][name] == texts["2.2.0"][name], name
    config = texts["2.3.0"]["config"].splitlines()
    for line in (
        "Name: Crew Dragon 2",
        "Type: Capsule",
        "In use: yes",
        "Agency: SpaceX",
        "Human rated: yes",
        "Crew capacity: 4",
        "Payload capacity: 6,000 kg",
        "Maiden flight: 2019-03-02",
        "Height: 8.1 m",
        "Diameter: 4 m",
        "Flight life: up to 210 days",
    ):
        assert line in config
    agency = texts["2.3.0"]["agency"].splitlines()
    for line in (
        "Name: SpaceX",
        "Abbreviation: SpX",
        "Type: Commercial",
        "Country: USA",
        "Founded: 2002",
        "Administrator: CEO: Elon Musk",
    ):
        assert line in agency
    assert any(line.startswith("Description: Space Exploration Technologies") for line in agency)


def test_the_pane_says_details_are_not_fetched_until_a_sync_fetches_them(
    server: LL2TestServer, qtbot: Any, tmp_path: Path
) -> None:
    server.lookup_failure = 503
    with synced(server, "2.3.0", tmp_path / "c.db") as store:
        pane = pane_for(qtbot, store, 568)
        config = pane.section_text("config").splitlines()
        assert f"Details: {NOT_FETCHED_TEXT}" in config
        assert "Name: Crew Dragon 2" in config  # what the event itself says
        assert f"Details: {NOT_FETCHED_TEXT}" in pane.section_text("agency").splitlines()
        server.lookup_failure = None
        with LL2Client(server.base_url_v230) as client:
            run_sync(store, client)
        pane = pane_for(qtbot, store, 568)
        assert NOT_FETCHED_TEXT not in pane.section_text("config")
        assert "Flight life: up to 210 days" in pane.section_text("config").splitlines()
        assert "Founded: 2002" in pane.section_text("agency").splitlines()


def test_payload_dockings_name_the_payload_its_type_and_operator(
    server: LL2TestServer, qtbot: Any, tmp_path: Path
) -> None:
    with synced(server, "2.3.0", tmp_path / "c.db") as store:
        nauka = pane_for(qtbot, store, 900_007).section_text("spacecraft").splitlines()
        start = nauka.index("Payload (chaser)")
        assert nauka[start + 1 : start + 4] == [
            "Name: Nauka (Multipurpose Laboratory Module)",
            "Type: Space Station Module",
            "Operator: Russian Federal Space Agency (ROSCOSMOS)",
        ]
        mev = pane_for(qtbot, store, 900_005).section_text("spacecraft").splitlines()
        start = mev.index("Payload (target)")
        assert mev[start + 1 : start + 4] == [
            "Name: Intelsat 901",
            "Type: Communication Satellite",
            "Operator: Intelsat",
        ]


def test_a_2_4_0_docking_with_nulls_everywhere_is_stored_and_shown(
    server: LL2TestServer, qtbot: Any, tmp_path: Path
) -> None:
    bare = copy.deepcopy(server.events_v230[3])
    bare.update(id=888_002, docking_location=None, flight_vehicle_chaser=None)
    bare["space_station_target"] = None
    server.add_event_v230(bare)
    with synced(server, "2.4.0", tmp_path / "c.db") as store:
        pane = pane_for(qtbot, store, 888_002)
        assert pane.section_text("spacecraft").startswith("Spacecraft\nThis docking\nDocked: ")
        assert pane.section_text("config") == pane.section_text("agency") == ""
