"""The timeline's data without a widget: lanes per port, overlaps, relocations, colours,
the summary line, the legend and where the keyboard focus goes."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockview.ui.timeline.categories import (
    BAR_COLOURS,
    OTHER,
    OTHER_SLOT,
    PREFERRED_COLOURS,
    ColourMode,
    agency_short,
    assign_slots,
    vehicle_family,
)
from dockview.ui.timeline.data import LegendMark, TimelineData
from dockview.ui.timeline.lanes import Lane, build_lanes
from dockview.ui.timeline.overlaps import find_conflicts, merged
from tests.timeline_stays import DAY, Stay, ts

NOW = ts(2026, 1, 1)


def ports(data: TimelineData) -> list[tuple[str, str | None]]:
    return [(line.station_name, line.lane and line.lane.port_name) for line in data.lines]


# -- lanes ------------------------------------------------------------------------------------


def test_ports_become_lanes_grouped_by_station_latest_first() -> None:
    stays = [
        Stay(1, ts(2000, 1, 1), ts(2000, 2, 1), 2, "Mir", 20, "Kvant-1 aft"),
        Stay(2, ts(2024, 1, 1), ts(2024, 2, 1), 1, "ISS", 11, "zvezda aft"),
        Stay(3, ts(2023, 1, 1), ts(2023, 2, 1), 1, "ISS", 10, "Harmony zenith"),
        Stay(4, ts(1999, 1, 1), ts(1999, 1, 9), 2, "Mir", 21, "Docking Module"),
        Stay(5, ts(2022, 1, 1), ts(2022, 1, 9), 1, "ISS", 12, None),
        Stay(6, ts(2022, 3, 1), ts(2022, 3, 9), 1, "ISS", None, None),
        Stay(7, ts(1990, 3, 1), ts(1990, 3, 9), 3, None, 30, "Forward"),
    ]
    data = TimelineData(stays, NOW)
    # The station with the latest stay first; its ports by name, whatever the case; ports
    # and stations without a name are called by their id, or "Unknown".
    assert ports(data) == [
        ("ISS", None),
        ("ISS", "Harmony zenith"),
        ("ISS", "Port 12"),
        ("ISS", "Unknown port"),
        ("ISS", "zvezda aft"),
        ("Mir", None),
        ("Mir", "Docking Module"),
        ("Mir", "Kvant-1 aft"),
        ("Station 3", None),
        ("Station 3", "Forward"),
    ]
    assert [lane.port_name for lane in data.lanes] == [
        port for _, port in ports(data) if port is not None
    ]
    assert data.lane_line(2) == 4
    assert data.lane_line(4) == 6
    assert data.lane_line(99) is None
    assert data.extent == (ts(1990, 3, 1), ts(2024, 2, 1))
    assert TimelineData([], NOW).extent is None


def test_a_lane_keeps_its_stays_in_docking_order() -> None:
    stays = [
        Stay(3, ts(2024, 5, 1), ts(2024, 6, 1)),
        Stay(1, ts(2024, 1, 1), ts(2024, 2, 1)),
        Stay(2, ts(2024, 3, 1), ts(2024, 4, 1)),
    ]
    (lane,), _ = build_lanes(stays, NOW)
    assert lane.ids == [1, 2, 3]
    assert lane.starts == [ts(2024, 1, 1), ts(2024, 3, 1), ts(2024, 5, 1)]
    assert lane.max_stay == ts(2024, 2, 1) - ts(2024, 1, 1)


def test_a_still_docked_stay_runs_to_now_and_follows_the_clock() -> None:
    data = TimelineData(
        [Stay(1, ts(2025, 4, 8), None), Stay(2, ts(2024, 1, 1), ts(2024, 2, 1))], NOW
    )
    lane, i = data.index[1]
    assert lane.ends[i] == NOW
    assert lane.open == [i]
    assert data.extent == (ts(2024, 1, 1), NOW)
    assert not data.refresh_now(NOW)
    later = NOW + 2 * DAY
    assert data.refresh_now(later)
    assert data.now == later
    assert lane.ends[i] == later
    assert data.extent == (ts(2024, 1, 1), later)
    assert lane.max_stay == later - ts(2025, 4, 8)


def test_a_stay_docked_after_now_does_not_end_before_it_starts() -> None:
    data = TimelineData([Stay(1, NOW + DAY, None)], NOW)
    lane, i = data.index[1]
    assert lane.ends[i] == lane.starts[i] == NOW + DAY


spans = st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 300)), min_size=1, max_size=40).map(
    lambda pairs: [Stay(n, float(s), float(s + d)) for n, (s, d) in enumerate(pairs)]
)


@settings(max_examples=150, deadline=None)
@given(spans, st.integers(-100, 1100), st.integers(0, 400))
def test_visible_span_finds_every_stay_that_meets_a_range(
    stays: list[Stay], start: int, length: int
) -> None:
    (lane,), _ = build_lanes(stays, NOW)
    end = start + length
    found = {i for i in lane.visible_span(start, end) if lane.ends[i] >= start}
    expected = {i for i in range(len(lane.ids)) if lane.starts[i] <= end and lane.ends[i] >= start}
    assert found == expected


def test_the_stay_under_the_pointer() -> None:
    stays = [
        Stay(1, 100.0, 200.0),
        Stay(2, 150.0, 300.0),  # overlaps 1: drawn on top of it
        Stay(3, 400.0, 401.0),  # thin
    ]
    (lane,), _ = build_lanes(stays, NOW)
    assert lane.ids[lane.stay_at(120.0, 1.0) or 0] == 1
    assert lane.ids[lane.stay_at(170.0, 1.0) or 0] == 2  # inside both: the later one
    assert lane.ids[lane.stay_at(398.0, 5.0) or 0] == 3  # near a thin one, within the grace
    assert lane.stay_at(350.0, 5.0) is None
    assert lane.nearest(170.0) == 0  # containing it: the first that does
    assert lane.nearest(360.0) == 2  # 40 s from 3's start, 60 s from 2's end
    assert lane.nearest(1000.0) == 2
    assert lane.nearest(0.0) == 0


# -- overlaps ---------------------------------------------------------------------------------


def test_overlapping_stays_on_one_port_are_a_conflict_touching_ones_are_not() -> None:
    stays = [
        Stay(566, ts(2024, 3, 23), ts(2024, 4, 28)),
        Stay(9001, ts(2024, 4, 1), ts(2024, 4, 10)),
        Stay(568, ts(2024, 5, 2), ts(2024, 10, 23)),
        Stay(9002, ts(2024, 10, 23), ts(2024, 11, 1)),  # docks as 568 leaves
        Stay(7, ts(2024, 4, 5), ts(2024, 4, 6), location_id=11, location_name="Other port"),
    ]
    data = TimelineData(stays, NOW)
    assert data.conflicts == [(566, 9001)]
    assert data.conflict_of == {566: [9001], 9001: [566]}
    lane, _ = data.index[566]
    assert lane.conflict_spans == [(ts(2024, 4, 1), ts(2024, 4, 10))]
    assert data.index[7][0].conflict_spans == []


def test_three_overlapping_stays_are_three_pairs_hatched_once() -> None:
    stays = [Stay(1, 0.0, 100.0), Stay(2, 10.0, 50.0), Stay(3, 40.0, 120.0), Stay(4, 200.0, 300.0)]
    (lane,), _ = build_lanes(stays, NOW)
    assert find_conflicts([lane]) == [(1, 2), (1, 3), (2, 3)]
    assert lane.conflict_spans == [(10.0, 100.0)]


def test_stays_at_an_unknown_port_claim_no_conflict() -> None:
    stays = [Stay(1, 0.0, 100.0, location_id=None), Stay(2, 10.0, 50.0, location_id=None)]
    assert TimelineData(stays, NOW).conflicts == []


def test_merged_spans() -> None:
    assert merged([(5.0, 8.0), (1.0, 3.0), (2.0, 4.0), (4.0, 4.5), (10.0, 11.0)]) == [
        (1.0, 4.5),
        (5.0, 8.0),
        (10.0, 11.0),
    ]
    assert merged([]) == []


@settings(max_examples=150, deadline=None)
@given(spans)
def test_conflicts_are_exactly_the_overlapping_pairs(stays: list[Stay]) -> None:
    (lane,), _ = build_lanes(stays, NOW)
    found = find_conflicts([lane])
    expected = [
        (lane.ids[j], lane.ids[i])
        for i in range(len(lane.ids))
        for j in range(i)
        if lane.ends[j] > lane.starts[i]
    ]
    assert sorted(found) == sorted(expected)
    assert len(found) == len(set(found))
    # The hatched stretches are the overlaps, each stretch once.
    overlaps = [
        (lane.starts[i], min(lane.ends[i], lane.ends[j]))
        for i in range(len(lane.ids))
        for j in range(i)
        if lane.ends[j] > lane.starts[i]
    ]
    assert lane.conflict_spans == merged(overlaps)
    assert all(a[1] < b[0] for a, b in pairwise(lane.conflict_spans))


# -- relocations ------------------------------------------------------------------------------


def test_a_vehicle_that_moved_ports_is_a_relocation() -> None:
    poisk = {"location_id": 5, "location_name": "Poisk zenith"}
    zvezda = {"location_id": 2, "location_name": "Zvezda aft"}
    stays = [
        # Progress MS-27 (flight vehicle 833): Poisk, then Zvezda, then back to Poisk.
        Stay(570, ts(2024, 6, 1), ts(2024, 11, 19), flight_vehicle_id=833, **poisk),
        Stay(9003, ts(2024, 11, 19, 14), ts(2025, 1, 10), flight_vehicle_id=833, **zvezda),
        Stay(9004, ts(2025, 1, 11), ts(2025, 2, 1), flight_vehicle_id=833, **poisk),
        # Another vehicle redocking at the same port is no relocation.
        Stay(1, ts(2020, 1, 1), ts(2020, 2, 1), flight_vehicle_id=7, **poisk),
        Stay(2, ts(2020, 2, 2), ts(2020, 3, 1), flight_vehicle_id=7, **poisk),
        # Nor are two vehicles, or a stay whose vehicle is unknown.
        Stay(3, ts(2021, 1, 1), ts(2021, 2, 1), flight_vehicle_id=8, **zvezda),
        Stay(4, ts(2021, 3, 1), ts(2021, 4, 1), flight_vehicle_id=None, **poisk),
        Stay(5, ts(2021, 5, 1), ts(2021, 6, 1), flight_vehicle_id=None, **zvezda),
    ]
    data = TimelineData(stays, NOW)
    assert data.relocations == [(570, 9003), (9003, 9004)]
    assert data.moved_to == {570: 9003, 9003: 9004}
    assert data.moved_from == {9003: 570, 9004: 9003}
    assert data.conflicts == []


def test_relocations_are_ordered_by_the_earlier_docking() -> None:
    stays = [
        Stay(1, ts(2010, 1, 1), ts(2010, 2, 1), flight_vehicle_id=2, location_id=1),
        Stay(2, ts(2010, 3, 1), ts(2010, 4, 1), flight_vehicle_id=2, location_id=2),
        Stay(3, ts(2005, 1, 1), ts(2005, 2, 1), flight_vehicle_id=1, location_id=1),
        Stay(4, ts(2005, 3, 1), ts(2005, 4, 1), flight_vehicle_id=1, location_id=2),
    ]
    assert TimelineData(stays, NOW).relocations == [(3, 4), (1, 2)]


# -- colours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "family"),
    [
        ("Crew Dragon 2", "Crew Dragon"),
        ("Cargo Dragon 2", "Cargo Dragon"),
        ("Dragon 1", "Cargo Dragon"),
        ("Progress-MS", "Progress"),
        ("Soyuz MS", "Soyuz"),
        ("Cygnus Enhanced", "Cygnus"),
        ("H-II Transfer Vehicle", "HTV"),
        ("HTV-X", "HTV"),
        ("Automated Transfer Vehicle", "ATV"),
        ("Space Shuttle", "Space Shuttle"),
        ("CST-100 Starliner", "Starliner"),
        ("Tianzhou", "Tianzhou"),
        ("Mystery Craft", "Mystery Craft"),
        (None, "Unknown type"),
    ],
)
def test_vehicle_families(config: str | None, family: str) -> None:
    assert vehicle_family(config) == family


def test_agency_short_names() -> None:
    assert agency_short("Russian Federal Space Agency (ROSCOSMOS)") == "ROSCOSMOS"
    assert agency_short("National Aeronautics and Space Administration") == "NASA"
    assert agency_short("SpaceX") == "SpaceX"
    assert agency_short("Some Agency (SA)") == "SA"
    assert agency_short(None) == "Unknown agency"


def by_agency(*names_and_counts: tuple[str, int]) -> list[Stay]:
    stays: list[Stay] = []
    for name, count in names_and_counts:
        stays += [Stay(len(stays), float(len(stays)), None, agency_name=name) for _ in range(count)]
    return stays


def test_a_name_keeps_its_colour_whatever_else_is_shown() -> None:
    stays = by_agency(
        ("Russian Federal Space Agency (ROSCOSMOS)", 5), ("Blue Origin", 4), ("SpaceX", 3)
    )
    (slots,), legend = assign_slots([stays], ColourMode.AGENCY)
    preferred = PREFERRED_COLOURS[ColourMode.AGENCY]
    # Commonest first; ROSCOSMOS and SpaceX in their own colours, Blue Origin in the first
    # colour no preferred name in the legend holds.
    assert legend == [("ROSCOSMOS", preferred["ROSCOSMOS"]), ("Blue Origin", 1), ("SpaceX", 0)]
    assert slots == [2] * 5 + [1] * 4 + [0] * 3
    assert ColourMode("type") is ColourMode.TYPE
    with pytest.raises(ValueError):
        ColourMode("rainbow")


def test_beyond_ten_names_the_rest_are_other() -> None:
    names = [(f"Agency {letter}", 20 - number) for number, letter in enumerate("ABCDEFGHIJKL")]
    (slots,), legend = assign_slots([by_agency(*names)], ColourMode.AGENCY)
    assert [name for name, _ in legend] == [f"Agency {c}" for c in "ABCDEFGHIJ"] + [OTHER]
    assert sorted(slot for _, slot in legend[:10]) == list(range(len(BAR_COLOURS)))
    assert legend[-1] == (OTHER, OTHER_SLOT)
    assert set(slots[-(9 + 10) :]) == {OTHER_SLOT}  # K (10 stays) and L (9)


def test_colour_by_vehicle_type() -> None:
    stays = [
        Stay(1, 0.0, 1.0, config_name="Soyuz MS"),
        Stay(2, 1.0, 2.0, config_name="Progress MS"),
        Stay(3, 2.0, 3.0, config_name="Progress M"),
    ]
    data = TimelineData(stays, NOW)
    data.recolour(ColourMode.TYPE)
    assert data.mode == ColourMode.TYPE
    preferred = PREFERRED_COLOURS[ColourMode.TYPE]
    assert data.legend == [("Progress", preferred["Progress"]), ("Soyuz", preferred["Soyuz"])]
    assert data.lanes[0].cats == [preferred["Soyuz"], preferred["Progress"], preferred["Progress"]]


# -- summary, legend, keyboard focus ----------------------------------------------------------


def test_the_summary_and_the_legend_say_what_is_shown() -> None:
    stays = [
        Stay(1, ts(2024, 1, 1), ts(2024, 3, 1), agency_name="SpaceX", flight_vehicle_id=1),
        Stay(2, ts(2024, 2, 1), None, agency_name="SpaceX"),
        Stay(3, ts(2024, 4, 1), ts(2024, 5, 1), location_id=11, flight_vehicle_id=1),
    ]
    data = TimelineData(stays, NOW)
    assert data.summary() == "3 dockings · 2 ports · 1 overlap · 1 relocation"
    entries = data.legend_entries()
    assert [(entry.text, entry.mark) for entry in entries] == [
        ("SpaceX", LegendMark.COLOUR),
        ("Unknown agency", LegendMark.COLOUR),
        ("docked now", LegendMark.OPEN),
        ("overlap (data conflict)", LegendMark.CONFLICT),
        ("relocation", LegendMark.RELOCATION),
    ]
    one = TimelineData([Stay(1, 0.0, 1.0)], NOW)
    assert one.summary() == "1 docking · 1 port"
    assert [entry.mark for entry in one.legend_entries()] == [LegendMark.COLOUR]
    many = TimelineData([Stay(n, float(n), n + 0.5) for n in range(1234)], NOW)
    assert many.summary() == "1,234 dockings · 1 port"


def test_keyboard_focus_moves_along_a_lane_and_across_lanes() -> None:
    harmony = {"location_id": 1, "location_name": "A harmony forward"}
    zenith = {"location_id": 2, "location_name": "B harmony zenith"}
    stays = [
        Stay(528, ts(2024, 3, 1), ts(2024, 8, 1), **harmony),
        Stay(10, ts(2023, 1, 1), ts(2023, 2, 1), **harmony),
        Stay(566, ts(2024, 3, 23), ts(2024, 4, 28), **zenith),
        Stay(568, ts(2024, 5, 2), ts(2024, 10, 23), **zenith),
    ]
    data = TimelineData(stays, NOW)

    def ids(found: tuple[Lane, int] | None) -> int | None:
        return None if found is None else found[0].ids[found[1]]

    everything = range(len(data.lines))
    assert ids(data.focus_step(568, -1, 0, everything, 0.0)) == 566
    assert ids(data.focus_step(566, -1, 0, everything, 0.0)) == 566  # the lane's first
    assert ids(data.focus_step(568, 1, 0, everything, 0.0)) == 568  # and its last
    # Up from Endeavour (568): the stay in the lane above nearest the middle of its stay.
    assert ids(data.focus_step(568, 0, -1, everything, 0.0)) == 528
    assert ids(data.focus_step(528, 0, -1, everything, 0.0)) is None  # no lane above
    # Without a focus (or a hidden one): near the given moment in the first lane shown.
    assert ids(data.focus_step(None, 1, 0, everything, ts(2023, 1, 15))) == 10
    assert ids(data.focus_step(12345, 0, 1, range(2, 3), ts(2024, 6, 1))) == 568
    assert TimelineData([], NOW).focus_step(None, 1, 0, range(0), 0.0) is None
