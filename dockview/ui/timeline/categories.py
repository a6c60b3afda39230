"""What colour a bar gets: its agency or its vehicle family, as data.

Qt-free: colours are hex strings, and a stay's colour is a slot number into ``SLOT_COLOURS``
(the ten bar colours, then "other"), so painting turns each slot into a brush once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from enum import StrEnum
from operator import attrgetter
from typing import Protocol


class ColourMode(StrEnum):
    """What the bars are coloured by."""

    AGENCY = "agency"
    TYPE = "type"


#: A qualitative palette (Tableau 10, the grey swapped for a light blue) that reads on light
#: and dark backgrounds alike; "other" is the grey.
# fmt: off
BAR_COLOURS = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
               "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#A0CBE8")
# fmt: on
OTHER_COLOUR = "#BAB0AC"
OTHER = "other"
#: Overlapping stays (a data conflict) are outlined and hatched in this.
WARNING_COLOUR = "#D81B60"
LEGEND_TOP = len(BAR_COLOURS)
#: Slot → colour: the bar colours, then "other" (slot ``OTHER_SLOT``).
SLOT_COLOURS = (*BAR_COLOURS, OTHER_COLOUR)
OTHER_SLOT = len(BAR_COLOURS)

#: Colours that stay with a name whatever the filters show (an index into BAR_COLOURS).
PREFERRED_COLOURS: dict[ColourMode, dict[str, int]] = {
    ColourMode.AGENCY: {
        "SpaceX": 0,
        "CNSA": 1,
        "ROSCOSMOS": 2,
        "ESA": 3,
        "JAXA": 4,
        "CASC": 5,
        "Northrop Grumman": 6,
        "Orbital Sciences": 7,
        "Soviet Space Program": 8,
        "NASA": 9,
    },
    ColourMode.TYPE: {
        "Crew Dragon": 0,
        "Shenzhou": 1,
        "Soyuz": 2,
        "ATV": 3,
        "HTV": 4,
        "Tianzhou": 5,
        "Cygnus": 6,
        "Space Shuttle": 7,
        "Progress": 8,
        "Cargo Dragon": 9,
    },
}

AGENCY_SHORT = {
    "National Aeronautics and Space Administration": "NASA",
    "China National Space Administration": "CNSA",
    "China Aerospace Science and Technology Corporation": "CASC",
    "Japan Aerospace Exploration Agency": "JAXA",
    "European Space Agency": "ESA",
    "Northrop Grumman Space Systems": "Northrop Grumman",
    "Orbital Sciences Corporation": "Orbital Sciences",
    "Russian Federal Space Agency (ROSCOSMOS)": "ROSCOSMOS",
    "Canadian Space Agency": "CSA",
}

#: config_name → vehicle family, first match wins (so "Crew Dragon" before "Dragon").
VEHICLE_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), family)
    for pattern, family in (
        (r"crew dragon", "Crew Dragon"),
        (r"dragon", "Cargo Dragon"),
        (r"soyuz", "Soyuz"),
        (r"progress", "Progress"),
        (r"cygnus", "Cygnus"),
        (r"shenzhou", "Shenzhou"),
        (r"tianzhou", "Tianzhou"),
        (r"h-ii transfer|\bhtv", "HTV"),
        (r"automated transfer|\batv\b", "ATV"),
        (r"shuttle", "Space Shuttle"),
        (r"starliner", "Starliner"),
        (r"orion", "Orion"),
        (r"dream chaser", "Dream Chaser"),
        (r"apollo", "Apollo"),
    )
)


class CategorisedRow(Protocol):
    @property
    def agency_name(self) -> str | None: ...
    @property
    def config_name(self) -> str | None: ...


def vehicle_family(config_name: str | None) -> str:
    """ "Crew Dragon 2" → "Crew Dragon", "Progress-MS" → "Progress"; unknown names stay."""
    if not config_name:
        return "Unknown type"
    for pattern, family in VEHICLE_FAMILIES:
        if pattern.search(config_name):
            return family
    return config_name


def agency_short(agency_name: str | None) -> str:
    """The name a legend has room for: "NASA", "ROSCOSMOS", "SpaceX"."""
    if not agency_name:
        return "Unknown agency"
    short = AGENCY_SHORT.get(agency_name)
    if short:
        return short
    match = re.search(r"\(([^()]{2,20})\)\s*$", agency_name)
    return match.group(1) if match else agency_name


def assign_slots(
    groups: Sequence[Sequence[CategorisedRow]], mode: ColourMode
) -> tuple[list[list[int]], list[tuple[str, int]]]:
    """Colour slots for rows in groups (a lane's rows), and the legend as (name, slot).

    The ten commonest names get colours (a name's preferred colour where it has one, so
    ROSCOSMOS stays red whatever the filters); everything else is "other", which ends the
    legend when it is used."""
    shorten: Callable[[str | None], str]
    if mode == ColourMode.AGENCY:
        raw_name, shorten = attrgetter("agency_name"), agency_short
    else:
        raw_name, shorten = attrgetter("config_name"), vehicle_family
    # 50,000 rows share a few hundred agency and config names: each is shortened once.
    raw_by_group = [list(map(raw_name, rows)) for rows in groups]
    short = {raw: shorten(raw) for raw in set().union(*raw_by_group)}
    names_by_group = [list(map(short.__getitem__, raws)) for raws in raw_by_group]
    counts = Counter(name for names in names_by_group for name in names)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    top = [name for name, _ in ranked[:LEGEND_TOP]]
    preferred = PREFERRED_COLOURS[mode]
    taken = {preferred[name] for name in top if name in preferred}
    free = [slot for slot in range(len(BAR_COLOURS)) if slot not in taken]
    slot_of: dict[str, int] = {}
    for name in top:
        if name in preferred:
            slot_of[name] = preferred[name]
        else:
            slot_of[name] = free.pop(0)
    slots = [[slot_of.get(name, OTHER_SLOT) for name in names] for names in names_by_group]
    legend = [(name, slot_of[name]) for name in top]
    if len(counts) > len(top):
        legend.append((OTHER, OTHER_SLOT))
    return slots, legend
