"""A stand-in for The Space Devs' Launch Library 2 (API 2.2.0 and 2.3.0) served on 127.0.0.1.

Why it exists: the real API allows 15 requests an hour, has no docking event younger than
its data set, and never fails on demand. Tests, benchmarks and offline trials need an API
that answers in milliseconds, holds as many events as asked for, and misbehaves exactly
when told to (throttling, 5xx, HTML pages, cut bodies, dropped connections, foreign
``next`` links, data that changes between pages). Stdlib only, so it also runs by hand::

    python tests/ll2_server.py --port 8000 --events 600 --seed 1 --throttle 15/3600

URLs: every ``url`` field inside an event stays static and points at the real host
(``https://ll.thespacedevs.com/2.2.0/.../?format=api``), exactly like the bundled sample of
real events, so a real event served here is byte-for-byte the real record. Only the paging
links ``next``/``previous`` (and redirects) point at this server's own origin, because those
are what a client follows.

API 2.3.0 (``/2.3.0/docking_events/``) serves the same dockings as chaser -> target
(:func:`to_v230`, same ids), plus dockings without a station that only 2.3.0 has
(:func:`non_station_events_v230`); its ``url`` fields point at ``API_ROOT_V230``. The first
line the command line prints is the 2.2.0 base URL, the second the 2.3.0 one.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import contextlib
import copy
import json
import math
import random
import re
import signal
import socket
import sys
import threading
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import parse_qs, urlencode, urlsplit

__all__ = [
    "API_ROOT",
    "API_ROOT_V230",
    "FAULTS",
    "MAX_LIMIT",
    "NON_STATION_IDS",
    "LL2TestServer",
    "RecordedRequest",
    "default_events",
    "generate_events",
    "generate_events_v230",
    "iso_duration",
    "main",
    "non_station_events_v230",
    "real_events",
    "real_events_v230",
    "to_detailed_shape",
    "to_list_shape",
    "to_v230",
    "to_v230_normal",
]

Event = dict[str, Any]

#: Static prefix of every ``url`` field inside events (see the module docstring).
API_ROOT = "https://ll.thespacedevs.com/2.2.0"
#: LL2 clamps ``limit`` to this, like Django REST framework's ``max_limit``.
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
SAMPLE_PATH = Path(__file__).parent.parent / "resources" / "sample_events.json"

_MEDIA = "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media"


def _url(kind: str, ident: int) -> str:
    return f"{API_ROOT}/{kind}/{ident}/?format=api"


def _ts(year: int, month: int = 1, day: int = 1) -> int:
    return calendar.timegm((year, month, day, 0, 0, 0, 0, 0, 0))


#: "Now" of the generated data set: fixed, so a seed always yields the same events.
NOW_TS = _ts(2026, 1, 20)
_DAY = 86_400
_HOUR = 3_600


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int) -> str:
    """ISO 8601 duration with zero parts left out, as LL2 writes them ("P213DT6H20M")."""
    days, rest = divmod(max(0, int(seconds)), _DAY)
    hours, rest = divmod(rest, _HOUR)
    minutes, secs = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    clock = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    if clock:
        out += "T" + clock
    return out if out != "P" else "PT0S"


# --------------------------------------------------------------------------------------
# Reference tables. Ids, names and image URLs that occur in the bundled sample of real
# events are copied from it, so generated and real events agree wherever they meet (a
# client that caches configs, agencies or locations by id sees one truth). The tables are
# kept one row per line (fmt: off) because they are data, read across.
# --------------------------------------------------------------------------------------

_AgencyRow = tuple[str, str, str, str, str, str, str, str, str | None, str]
_ConfigRow = tuple[
    str, int, str, int, bool, str, bool, bool, int | None, int | None, str, float, float, str
]
_FleetRow = tuple[int, int, str, str | None, bool, str, str, int, int, int, int, int, str]

# fmt: off
# id: name, type, abbrev, country, founded, administrator, launchers, spacecraft, parent, text
_AGENCIES: dict[int, _AgencyRow] = {
    63: ("Russian Federal Space Agency (ROSCOSMOS)", "Government", "RFSA", "RUS", "1992",
         "Director General: Dmitry Bakanov", "Soyuz | Proton | Angara", "Soyuz | Progress",
         None, "The Roscosmos State Corporation for Space Activities, Russia's space agency."),
    66: ("Soviet Space Program", "Government", "CCCP", "RUS", "1955", "",
         "Soyuz | Proton | Energia", "Soyuz | Progress | Salyut", None,
         "The space program of the Soviet Union, from Sputnik to Mir."),
    121: ("SpaceX", "Commercial", "SpX", "USA", "2002", "CEO: Elon Musk",
          "Falcon 9 | Falcon Heavy | Starship", "Dragon", None,
          "Space Exploration Technologies Corp., known as SpaceX, builds rockets and capsules."),
    17: ("China National Space Administration", "Government", "CNSA", "CHN", "1993",
         "Administrator: Shan Zhongde", "Long March", "Shenzhou", None,
         "The national space agency of the People's Republic of China (国家航天局)."),
    88: ("China Aerospace Science and Technology Corporation", "Government", "CASC", "CHN",
         "1999", "Chairman: Wu Yansheng", "Long March", "Shenzhou | Tianzhou", None,
         "The main contractor for the Chinese space program (中国航天科技集团)."),
    257: ("Northrop Grumman Space Systems", "Commercial", "NGSS", "USA", "2018",
          "President: Rob Fleming", "Antares | Minotaur | Pegasus", "Cygnus",
          "Northrop Grumman", "The space sector of Northrop Grumman, formerly Orbital ATK."),
    179: ("Orbital Sciences Corporation", "Commercial", "OSC", "USA", "1982", "",
          "Antares | Pegasus | Taurus", "Cygnus", None,
          "Builder of the original Cygnus cargo spacecraft, later merged into Orbital ATK."),
    44: ("National Aeronautics and Space Administration", "Government", "NASA", "USA", "1958",
         "Administrator: Sean Duffy (acting)", "Space Shuttle | SLS", "Space Shuttle | Orion",
         None, "The civilian space agency of the United States."),
    27: ("European Space Agency", "Multinational", "ESA",
         "AUT, BEL, CZE, DNK, FIN, FRA, DEU, GRC, IRL, ITA, LUX, NLD, NOR, POL, PRT, ROU, "
         "ESP, SWE, CHE, GBR", "1975", "Director General: Josef Aschbacher", "Ariane | Vega",
         "ATV", None, "Europe's intergovernmental space organisation."),
    37: ("Japan Aerospace Exploration Agency", "Government", "JAXA", "JPN", "2003",
         "President: Hiroshi Yamakawa", "H-IIB | H3", "HTV | HTV-X", None,
         "Japan's national aerospace agency (宇宙航空研究開発機構)."),
    80: ("Boeing", "Commercial", "BA", "USA", "1916", "CEO: Kelly Ortberg",
         "Delta IV | Atlas V (via ULA)", "CST-100 Starliner", None,
         "American aerospace company, builder of the CST-100 Starliner."),
}

# id: name, type id, type name, agency id, in use, image url, reusable, human rated, crew,
#     payload kg, maiden flight, height m, diameter m, flight life
_CONFIGS: dict[int, _ConfigRow] = {
    6: ("Crew Dragon 2", 2, "Capsule", 121, True,
        f"{_MEDIA}/images/spacex_dm-2_cre_image_20200504065311.jpeg",
        True, True, 4, 6000, "2019-03-02", 8.1, 4.0, "up to 210 days"),
    7: ("Cargo Dragon 2", 2, "Capsule", 121, True,
        f"{_MEDIA}/images/crs-28_dragon_d_image_20230530191602.jpeg",
        True, False, None, 6000, "2020-12-06", 8.1, 4.0, "about 30 days"),
    2: ("Shenzhou", 2, "Capsule", 17, True,
        f"{_MEDIA}/images/shenzhou_image_20190207032522.jpeg",
        False, True, 3, 300, "1999-11-19", 9.25, 2.8, "up to 6 months docked"),
    25: ("Tianzhou", 4, "Cargo Resupply", 88, True,
         f"{_MEDIA}/images/tianzhou_image_20210513100807.jpg",
         False, False, None, 6900, "2017-04-20", 10.6, 3.35, "up to 1 year"),
    33: ("Progress-MS", 4, "Cargo Resupply", 63, True,
         f"{_MEDIA}/images/progress-ms_image_20231219150735.jpeg",
         False, False, None, 2600, "2015-12-21", 7.2, 2.72, "up to 6 months docked"),
    38: ("Soyuz MS", 2, "Capsule", 63, True,
         f"{_MEDIA}/images/soyuz_ms_in_orb_image_20240313130407.jpeg",
         False, True, 3, 170, "2016-07-07", 7.48, 2.72, "up to 1 year docked"),
    19: ("Cygnus Enhanced", 4, "Cargo Resupply", 257, True,
         f"{_MEDIA}/images/cygnus2520enhanced_image_20190207032513.jpeg",
         False, False, None, 3750, "2015-12-06", 6.39, 3.07, "up to 1 year"),
    40: ("Soyuz 7K-OKS", 2, "Capsule", 66, False, f"{_MEDIA}/images/soyuz_7k-oks_image.jpg",
         False, True, 3, None, "1971-04-23", 7.95, 2.72, "about 30 days"),
    41: ("Soyuz 7K-T", 2, "Capsule", 66, False, f"{_MEDIA}/images/soyuz_7k-t_image.jpg",
         False, True, 2, None, "1973-09-27", 7.48, 2.72, "about 60 days docked"),
    42: ("Soyuz T", 2, "Capsule", 66, False, f"{_MEDIA}/images/soyuz_t_image.jpg",
         False, True, 3, None, "1978-12-16", 7.0, 2.72, "about 120 days docked"),
    43: ("Soyuz TM", 2, "Capsule", 63, False, f"{_MEDIA}/images/soyuz_tm_image.jpg",
         False, True, 3, None, "1986-05-21", 7.0, 2.72, "about 180 days docked"),
    44: ("Soyuz TMA", 2, "Capsule", 63, False, f"{_MEDIA}/images/soyuz_tma_image.jpg",
         False, True, 3, None, "2002-10-30", 7.0, 2.72, "about 200 days docked"),
    46: ("Progress 7K-TG", 4, "Cargo Resupply", 66, False, f"{_MEDIA}/images/progress_7k.jpg",
         False, False, None, 2300, "1978-01-20", 7.9, 2.72, "about 30 days docked"),
    47: ("Progress M", 4, "Cargo Resupply", 63, False, f"{_MEDIA}/images/progress_m.jpg",
         False, False, None, 2350, "1989-08-23", 7.2, 2.72, "up to 6 months docked"),
    9: ("Space Shuttle", 5, "Spaceplane", 44, False, f"{_MEDIA}/images/space_shuttle.jpg",
        True, True, 7, 27500, "1981-04-12", 37.24, 23.79, "about 2 weeks"),
    10: ("Dragon 1", 2, "Capsule", 121, False, f"{_MEDIA}/images/dragon_1_image.jpg",
         True, False, None, 6000, "2010-12-08", 6.1, 3.7, "about 30 days"),
    11: ("Automated Transfer Vehicle", 4, "Cargo Resupply", 27, False,
         f"{_MEDIA}/images/atv_image.jpg",
         False, False, None, 7667, "2008-03-09", 10.3, 4.5, "up to 6 months docked"),
    12: ("H-II Transfer Vehicle", 4, "Cargo Resupply", 37, False,
         f"{_MEDIA}/images/htv_image.jpg",
         False, False, None, 6000, "2009-09-10", 9.8, 4.4, "about 2 months"),
    13: ("Cygnus", 4, "Cargo Resupply", 179, False, f"{_MEDIA}/images/cygnus_image.jpg",
         False, False, None, 2000, "2013-09-18", 5.14, 3.07, "about 2 months"),
    14: ("CST-100 Starliner", 2, "Capsule", 80, True, f"{_MEDIA}/images/starliner_image.jpg",
         True, True, 4, None, "2019-12-20", 5.03, 4.56, "up to 210 days"),
    20: ("HTV-X", 4, "Cargo Resupply", 37, True, f"{_MEDIA}/images/htv-x_image.jpg",
         False, False, None, 5820, "2025-10-26", 8.0, 4.4, "up to 6 months"),
}

# Reusable vehicles, fixed values (their counters are "current state" in LL2 too). The four
# that occur in the bundled sample are copied from it verbatim.
# id, config, name, serial, in_space, time in space, time docked, flights, mission ends,
# status, in service from, until, description
_SOON = NOW_TS + _DAY
_FLEET: tuple[_FleetRow, ...] = (
    (3, 9, "Space Shuttle Atlantis", "OV-104", False, "P306DT14H12M43S", "P118DT2H9M", 33, 33,
     2, _ts(1992), _ts(2012), "The fourth operational orbiter, flew the last Shuttle mission."),
    (4, 9, "Space Shuttle Discovery", "OV-103", False, "P364DT22H39M29S", "P151DT3H58M", 39,
     39, 2, _ts(1992), _ts(2012), "The most flown orbiter, first to dock with the ISS."),
    (5, 9, "Space Shuttle Endeavour", "OV-105", False, "P296DT3H34M2S", "P142DT19H25M", 25,
     25, 2, _ts(1992), _ts(2012), "Built to replace Challenger; carried the first ISS node."),
    (20, 10, "Dragon C106", "C106", False, "P97DT20H11M", "P92DT2H44M", 3, 3, 2, _ts(2012),
     _ts(2021), "The first Dragon to fly three times."),
    (21, 10, "Dragon C108", "C108", False, "P105DT1H36M", "P99DT11H53M", 3, 3, 2, _ts(2012),
     _ts(2021), "Flew CRS-8, CRS-14 and CRS-18."),
    (22, 10, "Dragon C112", "C112", False, "P96DT17H8M", "P91DT9H2M", 3, 3, 2, _ts(2012),
     _ts(2021), "Flew CRS-12, CRS-17 and CRS-20."),
    (23, 10, "Dragon C113", "C113", False, "P66DT7H45M", "P62DT15H5M", 2, 2, 2, _ts(2012),
     _ts(2021), "Flew CRS-13 and CRS-19."),
    (289, 6, "Crew Dragon Endeavour", "C206", False, "P868DT14H14M29S", "P858DT15H30M4S", 6, 6,
     1, _ts(2019), _SOON,
     "Crew Dragon 6 is the Crew Dragon spacecraft launched on the SpaceX DM-2 demonstration "
     "mission to the ISS."),
    (400, 6, "Crew Dragon Resilience", "C207", False, "P405DT3H41M", "P398DT6H19M", 3, 3, 1,
     _ts(2020, 11), _SOON, "Crew Dragon that flew Crew-1, Inspiration4 and Crew-9."),
    (542, 6, "Crew Dragon Endurance", "C210", False, "P680DT7H29M37S", "P672DT11H33M26S", 4, 4,
     1, _ts(2021, 11), _SOON,
     "Crew Dragon spacecraft used for the Crew-3 mission to the International Space Station."),
    (551, 6, "Crew Dragon Freedom", "C212", True, "P431DT6H4M37S", "P422DT9H57M17S", 5, 4, 1,
     _ts(2022, 4), _SOON, "Crew Dragon spacecraft first used for Crew-4."),
    (690, 6, "Crew Dragon Grace", "C213", False, "P19DT23H44M", "P17DT6H21M", 1, 1, 1,
     _ts(2025, 6), _SOON, "Fifth Crew Dragon, first flown on Axiom Mission 4."),
    (444, 7, "Cargo Dragon C208", "C208", False, "P164DT8H2M", "P152DT17H30M", 5, 5, 1,
     _ts(2020, 12), _SOON, "First Cargo Dragon 2"),
    (474, 7, "Cargo Dragon C209", "C209", False, "P175DT23H36M1S", "P163DT1H25M23S", 5, 5, 1,
     _ts(2021, 8), _SOON, "Second Cargo Dragon 2"),
    (530, 7, "Cargo Dragon C211", "C211", False, "P118DT4H51M", "P110DT21H7M", 4, 4, 1,
     _ts(2022, 7), _SOON, "Third Cargo Dragon 2"),
    (600, 14, "Starliner Calypso", "Spacecraft 1", False, "P101DT6H2M", "P93DT14H40M", 2, 2,
     1, _ts(2022), _SOON, "The Starliner capsule that flew Boe-OFT and Boe-CFT."),
    (601, 14, "Starliner Spacecraft 2", None, False, "P6DT1H3M", "P4DT20H15M", 1, 1, 1,
     _ts(2022), _SOON, "The Starliner capsule that flew OFT-2."),
)

_STATUS = {1: "Active", 2: "Retired", 3: "Destroyed", 4: "Single Use"}

# id: name, destination (LL2 spells flight destinations its own way), image
_STATIONS: dict[int, tuple[str, str, str]] = {
    4: ("International Space Station", "International Space Station",
        f"{_MEDIA}/images/international2520space2520station_image_20190220215716.jpeg"),
    18: ("Tiangong space station", "Tiangong Space Station",
         f"{_MEDIA}/images/tiangong_space_station_image_20210429043416.jpeg"),
    2: ("Mir", "Mir", f"{_MEDIA}/images/mir_image_20190207032407.jpeg"),
    5: ("Salyut 1", "Salyut 1", f"{_MEDIA}/images/salyut_1_image_20190207032410.jpeg"),
    6: ("Salyut 4", "Salyut 4", f"{_MEDIA}/images/salyut_4_image_20190207032411.jpeg"),
    7: ("Salyut 6", "Salyut 6", f"{_MEDIA}/images/salyut_6_image_20190207032412.jpeg"),
    8: ("Salyut 7", "Salyut 7", f"{_MEDIA}/images/salyut_7_image_20190207032413.jpeg"),
    11: ("Tiangong-1", "Tiangong-1", f"{_MEDIA}/images/tiangong-1_image_20190207032415.jpeg"),
    13: ("Tiangong-2", "Tiangong-2", f"{_MEDIA}/images/tiangong-2_image_20190207032416.jpeg"),
}

_LATER = NOW_TS + 1
# Which configs visit a kind of port, and when: (config id, from, until, weight).
_SCHEDULES: dict[str, tuple[tuple[int, int, int, float], ...]] = {
    "salyut1": ((40, _ts(1971), _ts(1972), 1.0),),
    "salyut4": ((41, _ts(1974), _ts(1978), 1.0),),
    "salyut_fwd": ((41, _ts(1977), _ts(1981, 6), 1.0), (42, _ts(1980, 6), _ts(1987), 1.0)),
    "salyut_aft": ((41, _ts(1977), _ts(1981, 6), 1.0), (42, _ts(1980, 6), _ts(1987), 1.0),
                   (46, _ts(1978), _ts(1987), 2.0)),
    "mir": ((42, _ts(1986), _ts(1986, 7), 1.0), (43, _ts(1986, 5), _ts(2001), 1.0),
            (46, _ts(1986), _ts(1990, 6), 1.5), (47, _ts(1989, 8), _ts(2001), 1.5)),
    "mir_dm": ((9, _ts(1995, 6), _ts(1998, 7), 1.0),),
    "iss_rs": ((43, _ts(2000), _ts(2002, 11), 1.0), (44, _ts(2002, 10), _ts(2016, 7), 1.0),
               (38, _ts(2016, 7), _LATER, 1.0), (47, _ts(2000), _ts(2016), 1.5),
               (33, _ts(2015, 12), _LATER, 1.5)),
    "iss_aft": ((44, _ts(2002, 10), _ts(2016, 7), 0.3), (47, _ts(2000), _ts(2016), 1.5),
                (33, _ts(2015, 12), _LATER, 1.5), (11, _ts(2008, 4), _ts(2015, 2), 1.0)),
    "iss_pma": ((9, _ts(2000), _ts(2011, 8), 1.0), (6, _ts(2019, 3), _LATER, 2.0),
                (7, _ts(2020, 12), _LATER, 1.0), (14, _ts(2022, 5), _ts(2024, 9), 0.3)),
    "iss_zenith": ((6, _ts(2020, 12), _LATER, 1.0), (7, _ts(2020, 12), _LATER, 1.0)),
    "iss_cbm": ((12, _ts(2009, 9), _ts(2020, 9), 1.0), (10, _ts(2012, 5), _ts(2020, 5), 1.0),
                (13, _ts(2013, 9), _ts(2016, 4), 1.0), (19, _ts(2015, 12), _LATER, 1.5),
                (20, _ts(2025, 10), _LATER, 0.5)),
    "tg1": ((2, _ts(2011), _ts(2014), 1.0),),
    "tg2": ((2, _ts(2016), _ts(2018), 1.0), (25, _ts(2017), _ts(2018), 1.0)),
    "css_crew": ((2, _ts(2021), _LATER, 1.0),),
    "css_aft": ((25, _ts(2021), _LATER, 1.0),),
}
# fmt: on


@dataclass(frozen=True, slots=True)
class _Lane:
    """One docking port over the time it existed; stays on it never overlap."""

    loc_id: int
    name: str
    station_id: int
    start: int
    end: int
    kind: str


# fmt: off
_LANES: tuple[_Lane, ...] = (
    _Lane(21, "Salyut 1 forward", 5, _ts(1971, 4, 23), _ts(1971, 6, 30), "salyut1"),
    _Lane(22, "Salyut 4 forward", 6, _ts(1975, 1, 12), _ts(1977, 2, 3), "salyut4"),
    _Lane(23, "Salyut 6 forward", 7, _ts(1977, 10, 9), _ts(1981, 5, 26), "salyut_fwd"),
    _Lane(24, "Salyut 6 aft", 7, _ts(1977, 12, 11), _ts(1982, 7, 29), "salyut_aft"),
    _Lane(25, "Salyut 7 forward", 8, _ts(1982, 5, 14), _ts(1986, 6, 25), "salyut_fwd"),
    _Lane(26, "Salyut 7 aft", 8, _ts(1982, 5, 25), _ts(1986, 6, 25), "salyut_aft"),
    _Lane(9, "Mir forward", 2, _ts(1986, 3, 15), _ts(2000, 6, 15), "mir"),
    _Lane(10, "Mir aft", 2, _ts(1986, 4, 26), _ts(1987, 4, 9), "mir"),
    _Lane(11, "Kvant-1 aft", 2, _ts(1987, 4, 9), _ts(2000, 10, 15), "mir"),
    _Lane(12, "Kristall axial", 2, _ts(1990, 6, 10), _ts(1995, 11, 12), "mir"),
    _Lane(13, "Docking Module", 2, _ts(1995, 11, 12), _ts(1998, 6, 4), "mir_dm"),
    _Lane(27, "Tiangong-1 forward", 11, _ts(2011, 11, 2), _ts(2013, 6, 26), "tg1"),
    _Lane(28, "Tiangong-2 aft", 13, _ts(2016, 10, 18), _ts(2017, 9, 17), "tg2"),
    _Lane(2, "Zvezda aft", 4, _ts(2000, 8, 8), NOW_TS, "iss_aft"),
    _Lane(5, "Zarya nadir", 4, _ts(2000, 11, 2), _ts(2010, 5, 1), "iss_rs"),
    _Lane(4, "Pirs nadir", 4, _ts(2001, 9, 17), _ts(2021, 7, 26), "iss_rs"),
    _Lane(3, "Poisk zenith", 4, _ts(2009, 11, 12), NOW_TS, "iss_rs"),
    _Lane(6, "Rassvet nadir", 4, _ts(2010, 5, 18), NOW_TS, "iss_rs"),
    _Lane(42, "Prichal nadir", 4, _ts(2021, 11, 26), NOW_TS, "iss_rs"),
    _Lane(7, "Destiny forward", 4, _ts(2001, 2, 10), _ts(2007, 11, 14), "iss_pma"),
    _Lane(19, "Harmony forward", 4, _ts(2007, 11, 14), NOW_TS, "iss_pma"),
    _Lane(30, "Harmony zenith", 4, _ts(2020, 12, 7), NOW_TS, "iss_zenith"),
    _Lane(20, "Harmony nadir", 4, _ts(2009, 9, 17), NOW_TS, "iss_cbm"),
    _Lane(1, "Unity nadir", 4, _ts(2013, 9, 29), NOW_TS, "iss_cbm"),
    _Lane(31, "Tianhe forward", 18, _ts(2021, 6, 17), NOW_TS, "css_crew"),
    _Lane(32, "Tianhe aft", 18, _ts(2021, 5, 29), NOW_TS, "css_aft"),
    _Lane(41, "Tianhe nadir", 18, _ts(2022, 6, 5), NOW_TS, "css_crew"),
    _Lane(43, "Tianhe zenith", 18, _ts(2023, 5, 30), NOW_TS, "css_crew"),
)

_CYGNUS_NAMES = (
    "Francis R. “Dick” Scobee", "Alan Bean", "Roger Chaffee", "Kalpana Chawla", "Sally Ride",
    "John Glenn", "Ellison “El” Onizuka", "Patricia “Patty” Hilliard Robertson", "Laurel Clark",
    "Michael P. Anderson", "Piers Sellers", "Gene Cernan", "Judith Resnik", "Sylvester “Syl” Blue",
)
_ATV_NAMES = ("Jules Verne", "Johannes Kepler", "Edoardo Amaldi", "Albert Einstein",
              "Georges Lemaître")
# fmt: on


def _spacecraft_name(cfg: int, k: int, rng: random.Random) -> tuple[str, str | None]:
    """Name and serial number of the k-th single-use vehicle of a config."""
    if cfg in (40, 41):
        return f"Soyuz {k}", None
    if cfg == 42:
        return f"Soyuz T-{k}", rng.choice((f"7K-ST No.{k + 5}", None))
    if cfg == 43:
        return f"Soyuz TM-{k}", rng.choice((f"11F732 No.{50 + k}", None))
    if cfg == 44:
        return f"Soyuz TMA-{k}", rng.choice((f"11F732 #2{k:02d}", None))
    if cfg == 38:
        return f"Soyuz MS-{k:02d}", (f"11F732 #7{k:02d}" if rng.random() < 0.7 else None)
    if cfg == 46:
        return f"Progress {k}", None
    if cfg == 47:
        return f"Progress M-{k:02d}", rng.choice((f"No.{200 + k}", None))
    if cfg == 33:
        return f"Progress MS-{k:02d}", f"MS-{k:02d} (No.{430 + k})"
    if cfg == 11:
        name = _ATV_NAMES[k - 1] if k <= len(_ATV_NAMES) else f"Vehicle {k}"
        return f"ATV-{k} {name}", f"ATV-00{k}"
    if cfg == 12:
        return f"HTV-{k} (こうのとり{k}号機)", f"HTV{k}"
    if cfg == 20:
        return f"HTV-X{k}", None
    if cfg == 13:
        return f"Cygnus Orb-{k}", None
    if cfg == 19:
        person = _CYGNUS_NAMES[k % len(_CYGNUS_NAMES)]
        return f"Cygnus CRS NG-{k} (S.S. {person})", None
    if cfg == 2:
        return f"Shenzhou {k}", str(k)
    if cfg == 25:
        return f"Tianzhou-{k}", str(k)
    return f"{_CONFIGS[cfg][0]} {k}", None


# The first number of each single-use series (by config id) that docked somewhere.
_FIRST_NUMBER = {40: 10, 42: 2, 43: 1, 44: 1, 38: 1, 46: 1, 47: 1, 33: 1, 11: 1, 12: 1, 20: 1,
                 13: 1, 19: 5, 2: 8, 25: 1}  # fmt: skip
_SERIES = {41: 40}  # Soyuz 7K-T continues the numbering of Soyuz 7K-OKS


def _agency_detailed(agency_id: int) -> Event:
    row = _AGENCIES.get(agency_id)
    if row is None:
        return {
            "id": agency_id,
            "url": _url("agencies", agency_id),
            "name": f"Agency {agency_id}",
            "featured": False,
            "type": None,
            "country_code": "",
            "abbrev": "",
            "description": None,
            "administrator": None,
            "founding_year": None,
            "launchers": "",
            "spacecraft": "",
            "parent": None,
            "image_url": None,
            "logo_url": None,
        }
    name, kind, abbrev, country, founded, admin, launchers, craft, parent, text = row
    slug = abbrev.lower()
    return {
        "id": agency_id,
        "url": _url("agencies", agency_id),
        "name": name,
        "featured": agency_id in (63, 121, 44, 17),
        "type": kind,
        "country_code": country,
        "abbrev": abbrev,
        "description": text,
        "administrator": admin or None,
        "founding_year": founded,
        "launchers": launchers,
        "spacecraft": craft,
        "parent": parent,
        "image_url": f"{_MEDIA}/images/{slug}_image.jpg",
        "logo_url": f"{_MEDIA}/logo/{slug}_logo.png",
    }


def _config_detailed(config_id: int) -> Event:
    """The full ``spacecraft_config`` of detailed mode (list fields first, like LL2)."""
    row = _CONFIGS.get(config_id)
    if row is None:
        return {
            "id": config_id,
            "url": _url("config/spacecraft", config_id),
            "name": f"Spacecraft {config_id}",
            "type": {"id": 2, "name": "Capsule"},
            "agency": _agency_detailed(0),
            "in_use": False,
            "capability": "",
            "history": "",
            "details": "",
            "maiden_flight": None,
            "height": None,
            "diameter": None,
            "human_rated": False,
            "crew_capacity": None,
            "payload_capacity": None,
            "flight_life": None,
            "image_url": None,
            "nation_url": None,
            "wiki_link": "",
            "info_link": "",
        }
    (
        name,
        type_id,
        type_name,
        agency_id,
        in_use,
        image,
        _reusable,
        human,
        crew,
        payload,
        maiden,
        height,
        diameter,
        life,
    ) = row
    wiki = "https://en.wikipedia.org/wiki/" + name.split(" ")[0]
    return {
        "id": config_id,
        "url": _url("config/spacecraft", config_id),
        "name": name,
        "type": {"id": type_id, "name": type_name},
        "agency": _agency_detailed(agency_id),
        "in_use": in_use,
        "capability": ("Crew transport" if human else "Cargo resupply")
        + (", reusable" if _reusable else ""),
        "history": f"{name} first flew on {maiden}.",
        "details": f"The {name} ({type_name.lower()}) is operated by "
        f"{_AGENCIES.get(agency_id, ('its operator',))[0]}.",
        "maiden_flight": maiden,
        "height": height,
        "diameter": diameter,
        "human_rated": human,
        "crew_capacity": crew,
        "payload_capacity": payload,
        "flight_life": life,
        "image_url": image,
        "nation_url": f"{_MEDIA}/images/{config_id}_nation.jpg",
        "wiki_link": wiki,
        "info_link": f"https://www.thespacedevs.com/spacecraft/{config_id}",
    }


def _fleet_vehicle(row: _FleetRow, config: Event) -> Event:
    sc_id, _cfg, name, serial, in_space, in_space_for, docked_for, flights, ends, status = row[:10]
    return {
        "id": sc_id,
        "url": _url("spacecraft", sc_id),
        "name": name,
        "serial_number": serial,
        "is_placeholder": False,
        "in_space": in_space,
        "time_in_space": in_space_for,
        "time_docked": docked_for,
        "flights_count": flights,
        "mission_ends_count": ends,
        "status": {"id": status, "name": _STATUS[status]},
        "description": row[12],
        "spacecraft_config": config,
    }


def _station_detail(station_id: int) -> Event:
    name, _dest, image = _STATIONS.get(station_id, (f"Station {station_id}", "", None))
    return {
        "id": station_id,
        "url": _url("spacestation", station_id),
        "name": name,
        "image_url": image,
    }


@dataclass(slots=True)
class _Slot:
    lane: _Lane
    dock: int
    dep: int | None
    flight: _Flight | None = None


@dataclass(slots=True)
class _Flight:
    ident: int
    config: int
    spacecraft: Event
    record: Event
    launch_id: str
    single_use: bool
    slots: list[_Slot] = field(default_factory=list)


def _round_time(ts: float, rng: random.Random) -> int:
    t = int(ts)
    return t - t % 60 if rng.random() < 0.8 else t


def _allocate(n: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of n over weights; every lane gets one first if n allows."""
    base = [1] * len(weights) if n >= len(weights) else [0] * len(weights)
    rest = n - sum(base)
    total = sum(weights)
    shares = [rest * w / total for w in weights]
    counts = [b + int(s) for b, s in zip(base, shares, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _candidates(kind: str, t: int) -> list[tuple[int, float]]:
    sched = _SCHEDULES[kind]
    found = [(cfg, w) for cfg, start, end, w in sched if start <= t < end]
    if found:
        return found
    nearest = min(sched, key=lambda row: min(abs(t - row[1]), abs(t - row[2])))
    return [(nearest[0], nearest[3])]


def generate_events(n: int, seed: int = 0, start_id: int = 1000) -> list[Event]:
    """n realistic docking events in detailed shape, sorted by docking time.

    Deterministic for a seed. Ids run from start_id upward (a few neighbours swapped, since
    LL2 ids follow data entry, not docking order); flight and single-use spacecraft ids
    come from the same range (they are other tables). Ids below 1000 belong to the fixed
    vehicles and the real sample, so keep start_id >= 1000 when mixing with real_events().
    Nested objects are shared between events (one dict per spacecraft, config, agency,
    location, station) like records in the real database: to change one event's nested
    value, replace the nested dict instead of mutating it.
    """
    if n <= 0:
        return []
    rng = random.Random(seed)
    lanes = list(_LANES)
    counts = _allocate(n, [float(lane.end - lane.start) for lane in lanes])

    slots: list[_Slot] = []
    by_lane: list[list[_Slot]] = []
    for lane, m in zip(lanes, counts, strict=True):
        mine: list[_Slot] = []
        if m:
            width = (lane.end - lane.start) / m
            for j in range(m):
                begin = lane.start + j * width
                dock = _round_time(begin + width * rng.uniform(0.0, 0.1), rng)
                dep = _round_time(dock + width * rng.uniform(0.3, 0.88), rng)
                mine.append(_Slot(lane, dock, max(dep, dock + 60)))
        by_lane.append(mine)
        slots.extend(mine)

    # About 1.5 % still docked: the newest stay of active ports that single-use vehicles
    # visit (so in_space can honestly be true), moved to a recent date.
    n_open = round(n * 0.015) if n >= 20 else 0
    single_use = {cid for cid, row in _CONFIGS.items() if not row[6]}
    ranks: list[list[_Slot]] = []
    for lane, mine in zip(lanes, by_lane, strict=True):
        if lane.end == NOW_TS and mine:
            usable = [
                s
                for s in reversed(mine)
                if any(c in single_use for c, _ in _candidates(lane.kind, s.dock))
            ]
            ranks.append(usable)
    rank = 0
    while n_open > 0 and any(rank < len(r) for r in ranks):
        layer = sorted((r[rank] for r in ranks if rank < len(r)), key=lambda s: -s.dock)
        for s in layer[:n_open]:
            s.dep = None
            if rank == 0:
                recent = NOW_TS - rng.randint(3 * _DAY, 150 * _DAY)
                s.dock = max(s.dock, recent - recent % 60)
        n_open -= min(n_open, len(layer))
        rank += 1

    slots.sort(key=lambda s: (s.dock, s.lane.loc_id))

    configs = {cid: _config_detailed(cid) for cid in _CONFIGS}
    fleet: dict[int, list[Event]] = {}
    fleet_span: dict[int, tuple[int, int]] = {}
    for row in _FLEET:
        fleet.setdefault(row[1], []).append(_fleet_vehicle(row, configs[row[1]]))
        fleet_span[row[0]] = (row[10], row[11])
    stations = {sid: _station_detail(sid) for sid in _STATIONS}
    station_mini = {
        sid: {"id": sid, "url": st["url"], "name": st["name"]} for sid, st in stations.items()
    }
    locations = {
        lane.loc_id: {
            "id": lane.loc_id,
            "name": lane.name,
            "spacestation": station_mini[lane.station_id],
        }
        for lane in lanes
    }

    numbers: dict[int, int] = {}
    flights: list[_Flight] = []
    relocating: dict[int, tuple[_Flight, int]] = {}  # station -> (Soyuz flight, deadline)
    for s in slots:
        lane = s.lane
        cands = _candidates(lane.kind, s.dock)
        if s.dep is None:
            cands = [c for c in cands if c[0] in single_use] or cands
        pending = relocating.get(lane.station_id)
        if pending is not None:
            flight, deadline = pending
            last = flight.slots[-1]
            if s.dock > deadline:
                del relocating[lane.station_id]
            elif (
                last.dep is not None
                and last.dep < s.dock
                and last.lane.loc_id != lane.loc_id
                and any(c == flight.config for c, _ in cands)
            ):
                del relocating[lane.station_id]
                s.flight = flight
                flight.slots.append(s)
                continue
        if len(cands) == 1:
            cfg = cands[0][0]
        else:
            cfg = rng.choices([c for c, _ in cands], weights=[w for _, w in cands])[0]
        ident = start_id + len(flights)
        if cfg in single_use:
            series = _SERIES.get(cfg, cfg)
            k = numbers.get(series, _FIRST_NUMBER.get(series, 1))
            numbers[series] = k + 1
            name, serial = _spacecraft_name(cfg, k, rng)
            if serial is not None and rng.random() < 0.1:
                serial = None
            agency = _AGENCIES.get(_CONFIGS[cfg][3], ("its operator",))[0]
            craft: Event = {
                "id": ident,
                "url": _url("spacecraft", ident),
                "name": name,
                "serial_number": serial,
                "is_placeholder": rng.random() < 0.005,
                "in_space": False,
                "time_in_space": "PT0S",
                "time_docked": "PT0S",
                "flights_count": 1,
                "mission_ends_count": 1,
                "status": {"id": 4, "name": "Single Use"},
                "description": f"{name} is a {_CONFIGS[cfg][0]} spacecraft flown by {agency} "
                f"to {_STATIONS[lane.station_id][0]}.",
                "spacecraft_config": configs[cfg],
            }
        else:
            vehicles = fleet[cfg]
            active = [
                v for v in vehicles if fleet_span[v["id"]][0] <= s.dock < fleet_span[v["id"]][1]
            ]
            craft = rng.choice(active or vehicles)
        record: Event = {
            "id": ident,
            "url": _url("spacecraft/flight", ident),
            "destination": _STATIONS[lane.station_id][1],
            "mission_end": None,
            "spacecraft": craft,
        }
        launch_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        flight = _Flight(ident, cfg, craft, record, launch_id, cfg in single_use, [s])
        s.flight = flight
        flights.append(flight)
        if cfg in (42, 43, 44, 38) and s.dep is not None and rng.random() < 0.12:
            relocating[lane.station_id] = (flight, s.dep + 45 * _DAY)

    for flight in flights:
        still_docked = any(s.dep is None for s in flight.slots)
        last_dep = max((s.dep for s in flight.slots if s.dep is not None), default=None)
        after = rng.randint(3 * _HOUR, 40 * _HOUR)
        if not still_docked and last_dep is not None:
            flight.record["mission_end"] = _iso(last_dep + after)
        if flight.single_use:
            docked = sum((s.dep if s.dep is not None else NOW_TS) - s.dock for s in flight.slots)
            first = flight.slots[0].dock
            end = NOW_TS if still_docked or last_dep is None else last_dep + after
            craft = flight.spacecraft
            craft["time_docked"] = iso_duration(docked)
            craft["time_in_space"] = iso_duration(end - first + rng.randint(2 * _HOUR, 3 * _DAY))
            craft["in_space"] = still_docked
            craft["mission_ends_count"] = 0 if still_docked else 1

    ids = list(range(start_id, start_id + len(slots)))
    i = 0
    while i < len(ids) - 1:
        if rng.random() < 0.08:
            ids[i], ids[i + 1] = ids[i + 1], ids[i]
            i += 1
        i += 1

    events: list[Event] = []
    for ident, s in zip(ids, slots, strict=True):
        flight = cast(_Flight, s.flight)
        events.append(
            {
                "id": ident,
                "url": _url("docking_event", ident),
                "launch_id": flight.launch_id,
                "docking": _iso(s.dock),
                "departure": _iso(s.dep) if s.dep is not None else None,
                "flight_vehicle": flight.record,
                "docking_location": locations[s.lane.loc_id],
                "space_station": stations[s.lane.station_id],
            }
        )
    return events


def to_detailed_shape(event: Mapping[str, Any]) -> Event:
    """A deep copy of a list-mode event grown into the detailed shape.

    Adds ``space_station`` and the detailed agency/config fields that are missing; every
    value already present is kept as it was (so reducing it again gives the input back).
    """
    out: Event = copy.deepcopy(dict(event))
    location = out.get("docking_location") or {}
    station = location.get("spacestation") if isinstance(location, dict) else None
    if "space_station" not in out and isinstance(station, dict):
        sid = station.get("id")
        detail = _station_detail(sid) if isinstance(sid, int) else {}
        out["space_station"] = {
            "id": sid,
            "url": station.get("url"),
            "name": station.get("name"),
            "image_url": detail.get("image_url"),
        }
    flight = out.get("flight_vehicle") or {}
    craft = flight.get("spacecraft") if isinstance(flight, dict) else None
    config = craft.get("spacecraft_config") if isinstance(craft, dict) else None
    if isinstance(config, dict):
        extra = _config_detailed(config.get("id", 0))
        agency = config.get("agency")
        if isinstance(agency, dict):
            extra_agency = _agency_detailed(agency.get("id", 0))
            for key, value in extra_agency.items():
                agency.setdefault(key, value)
        for key, value in extra.items():
            config.setdefault(key, value)
    return out


def to_list_shape(event: Mapping[str, Any]) -> Event:
    """The default (list) mode view of a stored detailed event, as new dicts."""
    out: Event = {k: v for k, v in event.items() if k != "space_station"}
    flight = event.get("flight_vehicle")
    if not isinstance(flight, dict):
        return out
    craft = flight.get("spacecraft")
    if not isinstance(craft, dict):
        return out
    config = craft.get("spacecraft_config")
    if isinstance(config, dict):
        agency = config.get("agency")
        short: Event = {k: config[k] for k in ("id", "url", "name", "type") if k in config}
        if isinstance(agency, dict):
            short["agency"] = {k: agency[k] for k in ("id", "url", "name", "type") if k in agency}
        elif "agency" in config:
            short["agency"] = agency
        for key in ("in_use", "image_url"):
            if key in config:
                short[key] = config[key]
        craft = {**craft, "spacecraft_config": short}
    out["flight_vehicle"] = {**flight, "spacecraft": craft}
    return out


def real_events() -> list[Event]:
    """The 10 real events bundled with dockview, in detailed shape (fresh copies)."""
    with SAMPLE_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return [to_detailed_shape(event) for event in data["results"]]


def default_events() -> list[Event]:
    """What the ``ll2_server`` fixture and a bare ``LL2TestServer()`` serve: 570 events."""
    return generate_events(560, seed=1) + real_events()


# --------------------------------------------------------------------------------------
# API 2.3.0: the same dockings as chaser -> target (see /work/shared/LL2.md and the OpenAPI
# schema in reference/). Stored events are in the detailed shape
# (DockingEventEndpointDetailed); to_v230_normal() reduces them to the default one. Every
# ``url`` inside points at the real 2.3.0 host and ends in a slash, without ``?format=``.
# --------------------------------------------------------------------------------------

#: Static prefix of every ``url`` field inside 2.3.0 events.
API_ROOT_V230 = "https://ll.thespacedevs.com/2.3.0"
#: Ids of the non-station dockings that only the 2.3.0 data set holds (see
#: non_station_events_v230()); everything of theirs has ids from 900_000 upward.
NON_STATION_IDS = (900_001, 900_002, 900_003, 900_004, 900_005, 900_006, 900_007)


def _url230(kind: str, ident: int | str) -> str:
    return f"{API_ROOT_V230}/{kind}/{ident}/"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


_AGENCY_TYPES = {
    "Government": 1,
    "Multinational": 2,
    "Commercial": 3,
    "Educational": 4,
    "Private": 5,
    "Unknown": 6,
}

# fmt: off
# Agencies that only 2.3.0 objects (launch providers, payload owners) refer to:
# id: name, type, abbrev, country
_EXTRA_AGENCIES: dict[int, tuple[str, str, str, str]] = {
    115: ("Arianespace", "Commercial", "ASA", "FRA"),
    124: ("United Launch Alliance", "Commercial", "ULA", "USA"),
    98: ("Mitsubishi Heavy Industries", "Commercial", "MHI", "JPN"),
    900_101: ("Intelsat", "Commercial", "INTL", "LUX"),
    900_102: ("S.P. Korolev Rocket and Space Corporation Energia", "Commercial", "RSCE",
              "RUS"),
    900_103: ("Khrunichev State Research and Production Space Center", "Government", "KhSC",
              "RUS"),
}
_COUNTRIES: dict[str, tuple[int, str, str, str]] = {  # alpha-3: id, name, alpha-2, nationality
    "USA": (2, "United States of America", "US", "American"),
    "RUS": (5, "Russia", "RU", "Russian"),
    "CHN": (6, "China", "CN", "Chinese"),
    "JPN": (11, "Japan", "JP", "Japanese"),
    "FRA": (8, "France", "FR", "French"),
    "LUX": (68, "Luxembourg", "LU", "Luxembourgish"),
}
# Spacecraft configuration families: id: name, manufacturer agency, maiden flight
_FAMILIES: dict[int, tuple[str, int, str]] = {
    1: ("Dragon", 121, "2010-12-08"), 2: ("Soyuz", 66, "1966-11-28"),
    3: ("Progress", 66, "1978-01-20"), 4: ("Shenzhou", 17, "1999-11-19"),
    5: ("Tianzhou", 88, "2017-04-20"), 6: ("Cygnus", 179, "2013-09-18"),
    7: ("Space Shuttle", 44, "1981-04-12"), 8: ("ATV", 27, "2008-03-09"),
    9: ("HTV", 37, "2009-09-10"), 10: ("Starliner", 80, "2019-12-20"),
    11: ("Apollo", 44, "1966-02-26"), 12: ("Mission Extension Vehicle", 257, "2019-10-09"),
}
_FAMILY_OF = {6: 1, 7: 1, 10: 1, 40: 2, 41: 2, 42: 2, 43: 2, 44: 2, 38: 2, 46: 3, 47: 3, 33: 3,
              2: 4, 25: 5, 13: 6, 19: 6, 9: 7, 11: 8, 12: 9, 20: 9, 14: 10, 900_201: 2,
              900_202: 11, 900_203: 11, 900_204: 2, 900_205: 12}
# Station facts for SpaceStationNormal: founded, deorbited, (type id, type name)
_STATION_FACTS: dict[int, tuple[str, str | None, int, str]] = {
    4: ("1998-11-20", None, 1, "Multinational"), 18: ("2021-04-29", None, 2, "Government"),
    2: ("1986-02-20", "2001-03-23", 2, "Government"),
    5: ("1971-04-19", "1971-10-11", 2, "Government"),
    6: ("1974-12-26", "1977-02-03", 2, "Government"),
    7: ("1977-09-29", "1982-07-29", 2, "Government"),
    8: ("1982-04-19", "1991-02-07", 2, "Government"),
    11: ("2011-09-29", "2018-04-02", 2, "Government"),
    13: ("2016-09-15", "2019-07-19", 2, "Government"),
}
# Launchers: name: launcher configuration id, family, variant
_ROCKETS: dict[str, tuple[int, str, str]] = {
    "Falcon 9 Block 5": (164, "Falcon", "Block 5"), "Falcon 9 v1.1": (26, "Falcon", "v1.1"),
    "Long March 2F/G": (91, "Long March 2", "F/G"), "Long March 7": (210, "Long March 7", ""),
    "Soyuz 2.1a": (35, "Soyuz", "2.1a"), "Soyuz-FG": (38, "Soyuz", "FG"),
    "Soyuz-U": (37, "Soyuz", "U"), "Soyuz": (36, "Soyuz", ""),
    "Antares 230+": (220, "Antares", "230+"), "Antares 120": (218, "Antares", "120"),
    "Space Shuttle": (12, "Space Shuttle", ""), "Ariane 5 ES": (23, "Ariane", "5 ES"),
    "H-IIB": (30, "H-II", "B"), "H3-24W": (400, "H3", "24W"), "Atlas V N22": (230, "Atlas", "N22"),
    "Saturn V": (10, "Saturn", "V"), "Saturn IB": (11, "Saturn", "IB"),
    "Proton-M / Briz-M": (60, "Proton", "M / Briz-M"), "Proton-M": (59, "Proton", "M"),
    "Ariane 44L": (18, "Ariane", "44L"), "Ariane 5 ECA": (21, "Ariane", "5 ECA"),
    "Ariane 5 G+": (20, "Ariane", "5 G+"),
}
# Spacecraft config id: launcher, launch provider agency, hours from launch to the first
# docking, mission type
_LAUNCH_OF: dict[int, tuple[str, int, float, str]] = {
    6: ("Falcon 9 Block 5", 121, 28.0, "Human Exploration"),
    7: ("Falcon 9 Block 5", 121, 36.0, "Resupply"),
    10: ("Falcon 9 v1.1", 121, 60.0, "Resupply"),
    2: ("Long March 2F/G", 88, 6.5, "Human Exploration"),
    25: ("Long March 7", 88, 3.3, "Resupply"),
    33: ("Soyuz 2.1a", 63, 3.5, "Resupply"), 38: ("Soyuz 2.1a", 63, 3.2, "Human Exploration"),
    19: ("Antares 230+", 257, 60.0, "Resupply"), 13: ("Antares 120", 179, 80.0, "Resupply"),
    40: ("Soyuz", 66, 27.0, "Human Exploration"), 41: ("Soyuz", 66, 26.0, "Human Exploration"),
    42: ("Soyuz-U", 66, 26.0, "Human Exploration"), 43: ("Soyuz-U", 63, 50.0, "Human Exploration"),
    44: ("Soyuz-FG", 63, 50.0, "Human Exploration"), 46: ("Soyuz-U", 66, 50.0, "Resupply"),
    47: ("Soyuz-U", 63, 50.0, "Resupply"), 9: ("Space Shuttle", 44, 42.0, "Human Exploration"),
    11: ("Ariane 5 ES", 115, 500.0, "Resupply"), 12: ("H-IIB", 98, 130.0, "Resupply"),
    20: ("H3-24W", 98, 90.0, "Resupply"), 14: ("Atlas V N22", 124, 26.0, "Human Exploration"),
}
# The launches of the flights in the bundled real sample: flight id: name, net
_REAL_LAUNCHES: dict[int, tuple[str, str]] = {
    776: ("Falcon 9 Block 5 | Crew-8", "2024-03-04T03:53:38Z"),
    832: ("Long March 2F/G | Shenzhou 18", "2024-04-25T12:59:00Z"),
    828: ("Long March 7 | Tianzhou-7", "2024-01-17T14:27:30Z"),
    670: ("Falcon 9 Block 5 | Axiom Mission 3", "2024-01-18T21:49:00Z"),
    829: ("Soyuz 2.1a | Progress MS-26", "2024-02-15T03:25:05Z"),
    826: ("Falcon 9 Block 5 | Dragon CRS-2 SpX-30", "2024-03-21T20:55:00Z"),
    833: ("Soyuz 2.1a | Progress MS-27", "2024-05-30T09:43:00Z"),
    812: ("Falcon 9 Block 5 | Cygnus CRS-2 NG-21", "2024-08-04T15:02:43Z"),
    840: ("Falcon 9 Block 5 | Crew-10", "2025-03-14T23:03:00Z"),
    858: ("Soyuz 2.1a | Soyuz MS-27", "2025-04-08T05:47:15Z"),
}
# fmt: on

_SUCCESS = {
    "id": 3,
    "name": "Launch Successful",
    "abbrev": "Success",
    "description": "The launch vehicle successfully inserted its payload(s) into the target "
    "orbit(s).",
}
_MINUTE = {
    "id": 1,
    "name": "Minute",
    "abbrev": "MIN",
    "description": "The T-0 is accurate to the minute.",
}


def _image(name: str, url: str | None) -> Event | None:
    """An Image object as 2.3.0 has them instead of ``image_url`` strings (None stays None)."""
    if not url:
        return None
    stem, dot, ext = url.rpartition(".")
    return {
        "id": zlib.crc32(url.encode()) % 900_000 + 100_000,
        "name": f"[AUTO] {name} - image",
        "image_url": url,
        "thumbnail_url": f"{stem}_thumbnail.{ext}" if dot else url,
        "credit": None,
        "license": {"id": 1, "name": "Unknown", "priority": 9, "link": None},
        "single_use": True,
        "variants": [],
    }


def _agency_row(ident: int) -> tuple[str, str, str, str] | None:
    """(name, type, abbrev, country) of an agency known to either table."""
    row = _AGENCIES.get(ident)
    if row is not None:
        return row[0], row[1], row[2], row[3]
    return _EXTRA_AGENCIES.get(ident)


def _kind(value: Any) -> Event | None:
    """``agency.type``: 2.2.0 has a string, 2.3.0 an AgencyType ``{id, name}``."""
    if isinstance(value, str):
        return {"id": _AGENCY_TYPES.get(value, 6), "name": value}
    return cast(Event, value) if isinstance(value, dict) else None


class _V230Builder:
    """Turns 2.2.0 records into 2.3.0 ones, one shared dict per record like a database.

    ``events`` (2.2.0) are read once to know each flight's first docking, from which its
    launch time is estimated (the two events of a relocated Soyuz share one launch).
    """

    def __init__(self, events: Iterable[Mapping[str, Any]] = ()) -> None:
        self.first_docking: dict[str, int] = {}
        for event in events:
            launch_id = event.get("launch_id")
            when = _event_time(event, "docking")
            if isinstance(launch_id, str) and when is not None:
                known = self.first_docking.get(launch_id)
                self.first_docking[launch_id] = int(when if known is None else min(known, when))
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _once(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    # -- agencies, configs, families -------------------------------------------------
    def agency(self, source: Mapping[str, Any] | None) -> Event | None:
        """AgencyMini from a 2.2.0 agency (any shape)."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            row = _agency_row(ident) if isinstance(ident, int) else None
            return {
                "response_mode": "list",
                "id": ident,
                "url": _url230("agencies", str(ident)),
                "name": source.get("name"),
                "abbrev": source.get("abbrev") or (row[2] if row else ""),
                "type": _kind(source.get("type")),
            }

        return cast(Event, self._once(("agency", ident), make))

    def agency_by_id(self, ident: int) -> Event | None:
        row = _agency_row(ident)
        if row is None:
            return None
        return self.agency({"id": ident, "name": row[0], "type": row[1], "abbrev": row[2]})

    def agency_normal(self, ident: int) -> Event | None:
        """AgencyNormal (the payload of a detailed payload-flight chaser names its makers so)."""

        def make() -> Event | None:
            mini = self.agency_by_id(ident)
            if mini is None:
                return None
            row = _AGENCIES.get(ident)
            codes = cast(tuple[str, str, str, str], _agency_row(ident))[3]
            country = []
            for code in (c.strip() for c in codes.split(",")):
                known = _COUNTRIES.get(code)
                if known is not None:
                    cid, name, alpha2, nationality = known
                    country.append(
                        {
                            "id": cid,
                            "name": name,
                            "alpha_2_code": alpha2,
                            "alpha_3_code": code,
                            "nationality_name": nationality,
                            "nationality_name_composed": nationality,
                        }
                    )
            slug = str(mini["abbrev"]).lower() or str(ident)
            name = str(mini["name"])
            return {
                **mini,
                "response_mode": "normal",
                "featured": ident in (63, 121, 44, 17),
                "country": country,
                "description": row[9] if row else None,
                "administrator": (row[5] or None) if row else None,
                "founding_year": int(row[4]) if row and row[4].isdigit() else None,
                "launchers": row[6] if row else "",
                "spacecraft": row[7] if row else "",
                "parent": row[8] if row else None,
                "image": _image(name, f"{_MEDIA}/images/{slug}_image.jpg"),
                "logo": _image(name, f"{_MEDIA}/logo/{slug}_logo.png") if row else None,
                "social_logo": None,
            }

        return cast("Event | None", self._once(("agency_normal", ident), make))

    def families(self, config_id: Any) -> list[Event] | None:
        family_id = _FAMILY_OF.get(config_id) if isinstance(config_id, int) else None
        if family_id is None:
            return None
        name, maker, maiden = _FAMILIES[family_id]

        def make() -> list[Event]:
            return [
                {
                    "response_mode": "normal",
                    "id": family_id,
                    "name": name,
                    "description": f"The {name} family of spacecraft.",
                    "manufacturer": self.agency_by_id(maker),
                    "parent": None,
                    "maiden_flight": maiden,
                }
            ]

        return cast("list[Event]", self._once(("family", family_id), make))

    def config(self, source: Mapping[str, Any] | None) -> Event | None:
        """SpacecraftConfigNormal from a 2.2.0 ``spacecraft_config`` (list or detailed)."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            name = str(source.get("name"))
            return {
                "response_mode": "normal",
                "id": ident,
                "url": _url230("spacecraft_configurations", str(ident)),
                "name": source.get("name"),
                "type": source.get("type"),
                "agency": self.agency(source.get("agency")),
                "family": self.families(ident),
                "in_use": source.get("in_use"),
                "image": _image(name, source.get("image_url")),
            }

        return cast(Event, self._once(("config", ident), make))

    # -- spacecraft, stations, launches, flights -------------------------------------
    def craft(self, source: Mapping[str, Any] | None) -> Event | None:
        """SpacecraftNormal from a 2.2.0 ``spacecraft``. Single-use vehicles get no image
        (``image: null``, as most do in the live API), reusable ones an image and a
        ``fastest_turnaround``."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            name = str(source.get("name"))
            status = source.get("status")
            single = not isinstance(status, dict) or status.get("name") == "Single Use"
            flights = source.get("flights_count")
            turnaround = None
            if isinstance(flights, int) and flights > 1 and isinstance(ident, int):
                turnaround = iso_duration((45 + ident % 120) * _DAY + (ident * 7919) % _DAY)
            image = None if single else _image(name, f"{_MEDIA}/images/{_slug(name)}_image.jpg")
            return {
                "response_mode": "normal",
                "id": ident,
                "url": _url230("spacecraft", str(ident)),
                "name": source.get("name"),
                "serial_number": source.get("serial_number"),
                "is_placeholder": source.get("is_placeholder", False),
                "image": image,
                "in_space": source.get("in_space"),
                "time_in_space": source.get("time_in_space"),
                "time_docked": source.get("time_docked"),
                "flights_count": flights,
                "mission_ends_count": source.get("mission_ends_count"),
                "status": status,
                "description": source.get("description"),
                "spacecraft_config": self.config(source.get("spacecraft_config")),
                "fastest_turnaround": turnaround,
            }

        return cast(Event, self._once(("craft", ident), make))

    def station(self, ident: Any, name: Any, image_url: Any, *, detailed: bool) -> Event:
        """SpaceStationMini (or SpaceStationNormal when ``detailed``)."""

        def make() -> Event:
            mini: Event = {
                "id": ident,
                "url": _url230("space_stations", str(ident)),
                "name": name,
                "image": _image(str(name), image_url if isinstance(image_url, str) else None),
            }
            if not detailed:
                return mini
            founded, gone, type_id, type_name = _STATION_FACTS.get(
                ident, ("1970-01-01", None, 2, "Government")
            )
            return {
                **mini,
                "status": {"id": 2, "name": "De-Orbited"} if gone else {"id": 1, "name": "Active"},
                "founded": founded,
                "deorbited": gone,
                "description": f"{name} is a space station in low Earth orbit.",
                "orbit": "Low Earth Orbit",
                "type": {"id": type_id, "name": type_name},
            }

        return cast(Event, self._once(("station", ident, detailed), make))

    def launch(
        self,
        ident: str,
        name: str,
        net: int | None,
        rocket: str,
        provider: int,
        mission: str,
        *,
        detailed: bool,
    ) -> Event:
        """LaunchMini ``{id, url, name}``, or LaunchNormal when ``detailed``."""

        def make() -> Event:
            mini: Event = {"id": ident, "url": _url230("launches", ident), "name": name}
            if not detailed:
                return mini
            rocket_id, family, variant = _ROCKETS.get(rocket, (0, rocket, ""))
            when = _iso(net) if net is not None else None
            seed = int(ident.replace("-", "")[:6], 16) if re.match(r"^[0-9a-f]{6}", ident) else 0
            mission_name = name.partition(" | ")[2] or name
            return {
                **mini,
                "response_mode": "normal",
                "slug": _slug(name),
                "launch_designator": None,
                "status": _SUCCESS,
                "last_updated": _iso(NOW_TS - (seed % 400) * _DAY),
                "net": when,
                "net_precision": _MINUTE if net is not None else None,
                "window_end": when,
                "window_start": when,
                "image": None,
                "infographic": None,
                "probability": None,
                "weather_concerns": None,
                "failreason": "",
                "hashtag": None,
                "launch_service_provider": self.agency_by_id(provider),
                "rocket": {
                    "id": 5000 + seed % 5000,
                    "configuration": {
                        "response_mode": "list",
                        "id": rocket_id,
                        "url": _url230("launcher_configurations", rocket_id),
                        "name": rocket,
                        "families": [{"response_mode": "list", "id": rocket_id, "name": family}],
                        "full_name": rocket,
                        "variant": variant,
                    },
                },
                "mission": {
                    "id": 7000 + seed % 5000,
                    "name": mission_name,
                    "type": mission,
                    "description": f"{mission_name}: {mission.lower()} mission.",
                    "image": None,
                    "orbit": {
                        "id": 8,
                        "name": "Low Earth Orbit",
                        "abbrev": "LEO",
                        "celestial_body": {"response_mode": "list", "id": 1, "name": "Earth"},
                    },
                    "agencies": [],
                    "info_urls": [],
                    "vid_urls": [],
                },
                "pad": None,
                "webcast_live": False,
                "program": [],
                "orbital_launch_attempt_count": None,
                "location_launch_attempt_count": None,
                "pad_launch_attempt_count": None,
                "agency_launch_attempt_count": None,
                "orbital_launch_attempt_count_year": None,
                "location_launch_attempt_count_year": None,
                "pad_launch_attempt_count_year": None,
                "agency_launch_attempt_count_year": None,
            }

        return cast(Event, self._once(("launch", ident, detailed), make))

    def flight_launch(
        self, flight: Mapping[str, Any], launch_id: Any, first: int | None, *, detailed: bool
    ) -> tuple[Event | None, int | None]:
        """The launch of a 2.2.0 flight (its event's ``launch_id``) and its time, both made
        up from the vehicle unless the flight is one of the real sample."""
        if not isinstance(launch_id, str):
            return None, None
        craft = flight.get("spacecraft") if isinstance(flight.get("spacecraft"), dict) else {}
        config = craft.get("spacecraft_config") if isinstance(craft, dict) else None
        config_id = config.get("id") if isinstance(config, dict) else None
        rocket, provider, lead, mission = _LAUNCH_OF.get(
            config_id if isinstance(config_id, int) else -1, ("Soyuz", 66, 24.0, "Resupply")
        )
        real = _REAL_LAUNCHES.get(flight.get("id", -1))
        net: int | None = None
        if real is not None:
            name, net = real[0], int(cast(float, _parse_time(real[1])))
        else:
            name = f"{rocket} | {craft.get('name') if isinstance(craft, dict) else 'Unknown'}"
            first = self.first_docking.get(launch_id, first)
            net = None if first is None else first - int(lead * _HOUR)
            if net is not None:
                net -= net % 60
        launch = self.launch(launch_id, name, net, rocket, provider, mission, detailed=detailed)
        return launch, net

    def flight(
        self,
        source: Mapping[str, Any] | None,
        launch_id: Any,
        first: int | None,
        *,
        detailed: bool,
    ) -> Event | None:
        """SpacecraftFlightMini (SpacecraftFlightNormal when ``detailed``) from a 2.2.0
        ``flight_vehicle``: the event's ``launch_id`` becomes a ``launch`` object."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            launch, net = self.flight_launch(source, launch_id, first, detailed=detailed)
            return self.flight_from(
                ident,
                self.craft(cast("Mapping[str, Any] | None", source.get("spacecraft"))),
                launch,
                net,
                source.get("destination"),
                source.get("mission_end"),
                detailed=detailed,
            )

        return cast(Event, self._once(("flight", ident, launch_id, detailed), make))

    @staticmethod
    def flight_from(
        ident: Any,
        craft: Event | None,
        launch: Event | None,
        net: int | None,
        destination: Any,
        mission_end: Any,
        *,
        detailed: bool,
    ) -> Event:
        duration = None
        end = _parse_time(mission_end) if isinstance(mission_end, str) else None
        if net is not None and end is not None:
            duration = iso_duration(int(end) - net)
        out: Event = {
            "id": ident,
            "url": _url230("spacecraft_flights", str(ident)),
            "destination": destination,
            "mission_end": mission_end,
            "spacecraft": craft,
            "launch": launch,
            "landing": None,
            "duration": duration,
            "turn_around_time": None,
        }
        if detailed:
            out["response_mode"] = "normal"
        return out

    def location(self, source: Mapping[str, Any] | None) -> Event | None:
        """DockingLocation ``{id, name, spacestation, spacecraft, payload}`` of a station port."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            station = source.get("spacestation")
            mini = None
            if isinstance(station, dict):
                sid = station.get("id")
                image = _STATIONS.get(sid, ("", "", None))[2] if isinstance(sid, int) else None
                mini = self.station(sid, station.get("name"), image, detailed=False)
            return {
                "id": ident,
                "name": source.get("name"),
                "spacestation": mini,
                "spacecraft": None,
                "payload": None,
            }

        return cast(Event, self._once(("location", ident), make))

    # -- events ----------------------------------------------------------------------
    def event(self, source: Mapping[str, Any], *, detailed: bool) -> Event:
        first = _event_time(source, "docking")
        flight = source.get("flight_vehicle")
        location = source.get("docking_location")
        target = None
        station_ref = location.get("spacestation") if isinstance(location, dict) else None
        station = source.get("space_station")
        if isinstance(station_ref, dict) or isinstance(station, dict):
            ref = station_ref if isinstance(station_ref, dict) else cast(Event, station)
            sid = ref.get("id")
            image = station.get("image_url") if isinstance(station, dict) else None
            if image is None and isinstance(sid, int):
                image = _STATIONS.get(sid, ("", "", None))[2]
            target = self.station(sid, ref.get("name"), image, detailed=False)
        ident = source.get("id")
        return {
            "id": ident,
            "url": _url230("docking_events", str(ident)),
            "docking": source.get("docking"),
            "departure": source.get("departure"),
            "docking_location": self.location(
                cast("Mapping[str, Any] | None", location) if isinstance(location, dict) else None
            ),
            "space_station_target": target,
            "flight_vehicle_target": None,
            "payload_flight_target": None,
            "response_mode": "detailed" if detailed else "normal",
            "flight_vehicle_chaser": self.flight(
                flight if isinstance(flight, dict) else None,
                source.get("launch_id"),
                None if first is None else int(first),
                detailed=detailed,
            ),
            "space_station_chaser": None,
            "payload_flight_chaser": None,
        }


# fmt: off
# The dockings without a station that 2.3.0 holds (2.2.0 never shows them). Vehicles are
# given in the 2.2.0 shape and go through the same builder as everything else.
# config id: name, (type id, type name), agency id
_X_CONFIGS: dict[int, tuple[str, tuple[int, str], int]] = {
    900_201: ("Soyuz 7K-OK", (2, "Capsule"), 66),
    900_202: ("Apollo Command and Service Module", (2, "Capsule"), 44),
    900_203: ("Apollo Lunar Module", (6, "Lander"), 44),
    900_204: ("Soyuz 7K-TM", (2, "Capsule"), 66),
    900_205: ("Mission Extension Vehicle", (9, "Satellite Servicing"), 257),
}
_EXTRA_AGENCIES.update({
    900_104: ("Space Systems Loral", "Commercial", "SSL", "USA"),
    900_105: ("Airbus Defence and Space", "Commercial", "ADS", "FRA"),
})
# flight id: spacecraft id, name, serial, config, status (id), in space, time in space,
#   time docked, destination, mission end, (launch name, net, launcher, provider, mission)
_XFlight = tuple[int, str, str | None, int, int, bool, str, str, str, str | None,
                 tuple[str, str, str, int, str]]
_APOLLO_11 = ("Saturn V | Apollo 11", "1969-07-16T13:32:00Z", "Saturn V", 44,
              "Human Exploration")
_X_FLIGHTS: dict[int, _XFlight] = {
    900_401: (900_301, "Kosmos 186", "7K-OK No.6", 900_201, 4, False, "P3D23H50M", "PT3H30M",
              "Low Earth Orbit", "1967-10-31T09:20:00Z",
              ("Soyuz | Kosmos 186", "1967-10-27T09:29:54Z", "Soyuz", 66, "Test Flight")),
    900_402: (900_302, "Kosmos 188", "7K-OK No.5", 900_201, 3, False, "P3D1H47M", "PT3H30M",
              "Low Earth Orbit", "1967-11-02T10:00:00Z",
              ("Soyuz | Kosmos 188", "1967-10-30T08:12:41Z", "Soyuz", 66, "Test Flight")),
    900_403: (900_303, "Soyuz 4", None, 900_201, 4, False, "P2DT23H23M", "PT4H35M",
              "Low Earth Orbit", "1969-01-17T06:53:00Z",
              ("Soyuz | Soyuz 4", "1969-01-14T07:30:00Z", "Soyuz", 66, "Human Exploration")),
    900_404: (900_304, "Soyuz 5", None, 900_201, 4, False, "P3DT54M", "PT4H35M",
              "Low Earth Orbit", "1969-01-18T07:59:00Z",
              ("Soyuz | Soyuz 5", "1969-01-15T07:04:57Z", "Soyuz", 66, "Human Exploration")),
    900_405: (900_306, "Eagle", "LM-5", 900_203, 4, False, "P5DT10H9M", "PT2H6M31S",
              "Lunar Orbit", None, _APOLLO_11),
    900_406: (900_305, "Columbia", "CSM-107", 900_202, 2, False, "P8DT3H18M35S",
              "P3DT13H49M", "Lunar Orbit", "1969-07-24T16:50:35Z", _APOLLO_11),
    900_407: (900_307, "Apollo CSM-111", "CSM-111", 900_202, 4, False, "P9DT1H28M24S",
              "P1DT20H2M51S", "Low Earth Orbit", "1975-07-24T21:18:24Z",
              ("Saturn IB | Apollo-Soyuz Test Project", "1975-07-15T19:50:00Z", "Saturn IB",
               44, "Human Exploration")),
    900_408: (900_308, "Soyuz 19", "7K-TM No.75", 900_204, 4, False, "P5DT22H30M51S",
              "P1DT20H2M51S", "Low Earth Orbit", "1975-07-21T10:50:51Z",
              ("Soyuz-U | Soyuz 19", "1975-07-15T12:20:00Z", "Soyuz-U", 66,
               "Human Exploration")),
    900_409: (900_309, "MEV-1", None, 900_205, 1, True, "P2295DT13H42M", "P1862DT9H25M",
              "Geostationary Orbit", None,
              ("Proton-M / Briz-M | Eutelsat 5 West B & MEV-1", "2019-10-09T10:17:56Z",
               "Proton-M / Briz-M", 900_103, "Communications")),
    900_410: (900_310, "MEV-2", None, 900_205, 1, True, "P1984DT2H", "P1744DT6H",
              "Geostationary Orbit", None,
              ("Ariane 5 ECA | Galaxy 30 & MEV-2", "2020-08-15T22:04:00Z", "Ariane 5 ECA",
               115, "Communications")),
}
# payload flight id: payload id, name, type, manufacturer, operator, mass kg, destination,
#   (launch name, net, launcher, provider, mission)
_XPayload = tuple[int, str, tuple[int, str], int, int, float, str,
                  tuple[str, str, str, int, str]]
_X_PAYLOADS: dict[int, _XPayload] = {
    900_601: (900_501, "Intelsat 901", (3, "Communication Satellite"), 900_104, 900_101,
              4723.0, "Geostationary Orbit",
              ("Ariane 44L | Intelsat 901", "2001-06-09T06:45:00Z", "Ariane 44L", 115,
               "Communications")),
    900_602: (900_502, "Intelsat 10-02", (3, "Communication Satellite"), 900_105, 900_101,
              5575.0, "Geostationary Orbit",
              ("Ariane 5 G+ | Intelsat 10-02", "2004-06-16T22:27:00Z", "Ariane 5 G+", 115,
               "Communications")),
    900_603: (900_503, "Nauka (Multipurpose Laboratory Module)", (12, "Space Station Module"),
              900_103, 63, 20350.0, "International Space Station",
              ("Proton-M | Nauka", "2021-07-21T14:58:25Z", "Proton-M", 900_103,
               "Space Station Assembly")),
}
# location id: name, station id, config id, payload flight id (exactly one is set)
_X_LOCATIONS: dict[int, tuple[str, int | None, int | None, int | None]] = {
    900_701: ("Soyuz 7K-OK passive port", None, 900_201, None),
    900_702: ("Apollo CSM docking probe", None, 900_202, None),
    900_703: ("Soyuz 7K-TM APAS-75", None, 900_204, None),
    900_704: ("Intelsat 901 launch adapter ring", None, None, 900_601),
    900_705: ("Intelsat 10-02 launch adapter ring", None, None, 900_602),
    900_706: ("Zvezda nadir", 4, None, None),
}
# event id: docking, departure, location, chaser (kind, id), target (kind, id);
#   kinds: "flight" (spacecraft flight), "payload" (payload flight), "station"
_X_EVENTS: dict[int, tuple[str, str | None, int, tuple[str, int], tuple[str, int]]] = {
    900_001: ("1967-10-30T09:20:00Z", "1967-10-30T12:50:00Z", 900_701,
              ("flight", 900_401), ("flight", 900_402)),
    900_002: ("1969-01-16T08:20:00Z", "1969-01-16T12:55:00Z", 900_701,
              ("flight", 900_403), ("flight", 900_404)),
    900_003: ("1969-07-21T21:35:00Z", "1969-07-21T23:41:31Z", 900_702,
              ("flight", 900_405), ("flight", 900_406)),
    900_004: ("1975-07-17T16:09:09Z", "1975-07-19T12:12:00Z", 900_703,
              ("flight", 900_407), ("flight", 900_408)),
    900_005: ("2020-02-25T07:15:00Z", "2025-04-01T16:40:00Z", 900_704,
              ("flight", 900_409), ("payload", 900_601)),
    900_006: ("2021-04-12T17:34:00Z", None, 900_705, ("flight", 900_410), ("payload", 900_602)),
    900_007: ("2021-07-29T13:29:01Z", None, 900_706, ("payload", 900_603), ("station", 4)),
}
# fmt: on


def _x_config(ident: int) -> Event:
    name, (type_id, type_name), agency = _X_CONFIGS[ident]
    row = cast(tuple[str, str, str, str], _agency_row(agency))
    return {
        "id": ident,
        "name": name,
        "type": {"id": type_id, "name": type_name},
        "agency": {"id": agency, "name": row[0], "type": row[1], "abbrev": row[2]},
        "in_use": ident == 900_205,
        "image_url": f"{_MEDIA}/images/{_slug(name)}_image.jpg",
    }


def _x_launch(
    builder: _V230Builder, spec: tuple[str, str, str, int, str], detailed: bool
) -> tuple[Event, int]:
    name, net, rocket, provider, mission = spec
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, _url230("launches", name)))
    when = int(cast(float, _parse_time(net)))
    return builder.launch(ident, name, when, rocket, provider, mission, detailed=detailed), when


def _x_flight(builder: _V230Builder, ident: int, detailed: bool) -> Event:
    craft_id, name, serial, config, status, in_space, in_space_for, docked_for = _X_FLIGHTS[ident][
        :8
    ]
    destination, mission_end, launch = _X_FLIGHTS[ident][8:]
    craft = builder.craft(
        {
            "id": craft_id,
            "name": name,
            "serial_number": serial,
            "is_placeholder": False,
            "in_space": in_space,
            "time_in_space": in_space_for,
            "time_docked": docked_for,
            "flights_count": 1,
            "mission_ends_count": 0 if in_space else 1,
            "status": {"id": status, "name": _STATUS[status]},
            "description": f"{name}, a {_X_CONFIGS[config][0]} spacecraft.",
            "spacecraft_config": _x_config(config),
        }
    )
    return builder.flight_from(
        ident,
        craft,
        *_x_launch(builder, launch, detailed),
        destination,
        mission_end,
        detailed=detailed,
    )


def _x_payload(builder: _V230Builder, flight_id: int, *, detailed: bool) -> Event:
    """A payload (PayloadMini or, ``detailed``, PayloadNormal) of a payload flight."""
    ident, name, kind, maker, operator, mass = _X_PAYLOADS[flight_id][:6]

    def make() -> Event:
        mini: Event = {
            "response_mode": "normal" if detailed else "list",
            "id": ident,
            "name": name,
            "type": {"id": kind[0], "name": kind[1]},
            "manufacturer": builder.agency_by_id(maker),
            "operator": builder.agency_by_id(operator),
            "image": _image(name, f"{_MEDIA}/images/{_slug(name)}_image.jpg")
            if ident != 900_502
            else None,
        }
        if not detailed:
            return mini
        return {
            **mini,
            "manufacturer": builder.agency_normal(maker),
            "operator": builder.agency_normal(operator),
            "wiki_link": "https://en.wikipedia.org/wiki/" + name.split(" (")[0].replace(" ", "_"),
            "info_link": "",
            "program": [],
            "cost": None,
            "mass": mass,
            "description": f"{name}, {kind[1].lower()}.",
        }

    return cast(Event, builder._once(("payload", ident, detailed), make))


def _x_payload_flight(builder: _V230Builder, ident: int, *, detailed: bool) -> Event:
    """PayloadFlightMini, or PayloadFlightNormal when ``detailed``."""
    destination, launch = _X_PAYLOADS[ident][6:]
    return {
        "response_mode": "normal" if detailed else "list",
        "id": ident,
        "url": _url230("payload_flights", ident),
        "destination": destination,
        "amount": 1,
        "payload": _x_payload(builder, ident, detailed=detailed),
        "launch": _x_launch(builder, launch, detailed)[0],
        "landing": None,
    }


def _x_location(builder: _V230Builder, ident: int) -> Event:
    name, station, config, payload_flight = _X_LOCATIONS[ident]
    return {
        "id": ident,
        "name": name,
        "spacestation": None
        if station is None
        else builder.station(station, _STATIONS[station][0], _STATIONS[station][2], detailed=False),
        "spacecraft": None if config is None else builder.config(_x_config(config)),
        "payload": None
        if payload_flight is None
        else _x_payload(builder, payload_flight, detailed=False),
    }


def _non_station(builder: _V230Builder, *, detailed: bool) -> list[Event]:
    out: list[Event] = []
    for ident, (docking, departure, location, chaser, target) in _X_EVENTS.items():
        sides: Event = {}
        for role, (kind, ref), grow in (("chaser", chaser, detailed), ("target", target, False)):
            if kind == "flight":
                sides[f"flight_vehicle_{role}"] = _x_flight(builder, ref, grow)
            elif kind == "payload":
                sides[f"payload_flight_{role}"] = _x_payload_flight(builder, ref, detailed=grow)
            else:
                name, _dest, image = _STATIONS[ref]
                sides[f"space_station_{role}"] = builder.station(ref, name, image, detailed=grow)
        out.append(
            {
                "id": ident,
                "url": _url230("docking_events", ident),
                "docking": docking,
                "departure": departure,
                "docking_location": _x_location(builder, location),
                "space_station_target": sides.get("space_station_target"),
                "flight_vehicle_target": sides.get("flight_vehicle_target"),
                "payload_flight_target": sides.get("payload_flight_target"),
                "response_mode": "detailed" if detailed else "normal",
                "flight_vehicle_chaser": sides.get("flight_vehicle_chaser"),
                "space_station_chaser": sides.get("space_station_chaser"),
                "payload_flight_chaser": sides.get("payload_flight_chaser"),
            }
        )
    return out


def non_station_events_v230(detailed: bool = True) -> list[Event]:
    """The 2.3.0-only dockings (ids NON_STATION_IDS), in docking order.

    900001 Kosmos 186 -> Kosmos 188 and 900002 Soyuz 4 -> Soyuz 5 (free-flying spacecraft),
    900003 Apollo 11 LM Eagle -> CSM Columbia, 900004 Apollo (ASTP) -> Soyuz 19: all with
    ``flight_vehicle_target`` and a location whose ``spacecraft`` is the target's config.
    900005 MEV-1 -> Intelsat 901 and 900006 MEV-2 -> Intelsat 10-02 (still docked): a
    ``payload_flight_target`` and a location with ``payload``. 900007 Nauka -> ISS (still
    docked): a ``payload_flight_chaser`` and ``space_station_target``, no
    ``flight_vehicle_chaser`` at all.
    """
    return _non_station(_V230Builder(), detailed=detailed)


def to_v230(event_220_detailed: Mapping[str, Any], detailed: bool = False) -> Event:
    """A 2.2.0 event (list or detailed shape) as the 2.3.0 API would answer it.

    ``flight_vehicle`` becomes ``flight_vehicle_chaser`` (with a ``launch`` object for the
    event's ``launch_id``), the station ``space_station_target``; the other four sides are
    null. ``detailed`` gives DockingEventEndpointDetailed: only the chaser grows (its
    ``launch`` becomes a LaunchNormal), as the schema says. Ids are kept.
    """
    return _V230Builder([event_220_detailed]).event(event_220_detailed, detailed=detailed)


def _convert_v230(events: Iterable[Mapping[str, Any]], *, detailed: bool) -> list[Event]:
    """Many 2.2.0 events at once: nested records are shared between the results."""
    events = list(events)
    builder = _V230Builder(events)
    return [builder.event(event, detailed=detailed) for event in events]


def _by_docking(events: list[Event]) -> list[Event]:
    """Stable sort by docking time (events without one last)."""
    return sorted(events, key=lambda e: (_event_time(e, "docking") is None, e.get("docking")))


def generate_events_v230(
    n: int, seed: int = 0, detailed_store: bool = True, *, start_id: int = 1000
) -> list[Event]:
    """generate_events(n, seed, start_id) as 2.3.0 events plus non_station_events_v230(),
    sorted by docking time. ``detailed_store`` picks the detailed (stored) shape."""
    converted = _convert_v230(generate_events(n, seed, start_id), detailed=detailed_store)
    return _by_docking(converted + non_station_events_v230(detailed_store))


def real_events_v230(detailed: bool = True) -> list[Event]:
    """The 10 real events of the sample as 2.3.0 events (with their real launches)."""
    return _convert_v230(real_events(), detailed=detailed)


def to_v230_normal(event: Mapping[str, Any]) -> Event:
    """The default (``mode=normal``) view of a stored detailed 2.3.0 event, as new dicts:
    the chaser side shrinks back (launch -> LaunchMini, station -> SpaceStationMini,
    payload flight -> PayloadFlightMini); the target side and the location stay."""
    out: Event = dict(event)
    if "response_mode" in out:
        out["response_mode"] = "normal"
    flight = event.get("flight_vehicle_chaser")
    if isinstance(flight, dict):
        out["flight_vehicle_chaser"] = {
            k: _launch_mini(v) if k == "launch" else v
            for k, v in flight.items()
            if k != "response_mode"
        }
    station = event.get("space_station_chaser")
    if isinstance(station, dict):
        out["space_station_chaser"] = {
            k: station[k] for k in ("id", "url", "name", "image") if k in station
        }
    payload_flight = event.get("payload_flight_chaser")
    if isinstance(payload_flight, dict):
        shrunk: Event = {}
        for key, value in payload_flight.items():
            if key == "response_mode":
                value = "list"
            elif key == "launch":
                value = _launch_mini(value)
            elif key == "payload" and isinstance(value, dict):
                value = _payload_mini(value)
            shrunk[key] = value
        out["payload_flight_chaser"] = shrunk
    return out


def _launch_mini(launch: Any) -> Any:
    if not isinstance(launch, dict):
        return launch
    return {k: launch[k] for k in ("id", "url", "name") if k in launch}


def _agency_mini(agency: Any) -> Any:
    if not isinstance(agency, dict):
        return agency
    keys = ("response_mode", "id", "url", "name", "abbrev", "type")
    out = {k: agency[k] for k in keys if k in agency}
    out["response_mode"] = "list"
    return out


def _payload_mini(payload: Mapping[str, Any]) -> Event:
    keys = ("response_mode", "id", "name", "type", "manufacturer", "operator", "image")
    out: Event = {k: payload[k] for k in keys if k in payload}
    out["response_mode"] = "list"
    for key in ("manufacturer", "operator"):
        if key in out:
            out[key] = _agency_mini(out[key])
    return out


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------

#: Names accepted by LL2TestServer.inject().
FAULTS = frozenset(
    {
        "500",
        "502",
        "503",
        "status",
        "html_error",
        "html_500",
        "wrong_content_type",
        "truncated",
        "drop",
        "invalid_json",
        "slow",
        "foreign_next",
        "insert_between_pages",
        "remove_between_pages",
    }
)
# Faults that answer instead of the API (so they neither reach nor spend the rate limit).
_REPLACING = frozenset({"500", "502", "503", "status", "html_error", "html_500", "invalid_json"})

_LIST_PATH = "/2.2.0/docking_event/"
_DETAIL_RE = re.compile(r"^/2\.2\.0/docking_event/(\d+)/$")
_V220_RE = re.compile(r"^/2\.2\.0/docking_event(/\d+)?/?$")
_LIST_PATH_V230 = "/2.3.0/docking_events/"
_DETAIL_RE_V230 = re.compile(r"^/2\.3\.0/docking_events/(\d+)/$")
#: 2.3.0 id filters and where each looks.
_PATHS_V230: dict[str, tuple[str, ...]] = {
    "space_station_target__id": ("space_station_target", "id"),
    "flight_vehicle_chaser__id": ("flight_vehicle_chaser", "id"),
    "docking_location__id": ("docking_location", "id"),
}
# django-filter's BooleanWidget: anything else leaves the filter out.
_BOOLEANS = {"true": True, "True": True, "1": True, "false": False, "False": False, "0": False}
_THROTTLE_PATH = "/2.3.0/api-throttle/"
_ORDER_FIELDS = frozenset({"docking", "departure", "id"})
_INT_FILTERS = ("space_station__id", "flight_vehicle__id", "docking_location__id")
_DATE_FILTERS = ("docking__gt", "docking__gte", "docking__lt", "docking__lte")
_UNLIMITED = 1_000_000


class _Headers(dict[str, str]):
    """A dict of request headers whose lookups ignore case (keys are stored lower-case)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class RecordedRequest:
    """One request as the server saw it, so tests can check what a client sent.

    ``headers`` is a dict whose lookups ignore case (``headers["authorization"]`` and
    ``headers["Authorization"]`` both work; iteration yields lower-case names).
    ``api_throttle`` marks requests to /2.3.0/api-throttle/ (they spend no budget).
    ``status`` is the status sent (0 when the connection was dropped without one).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    api_throttle: bool = False
    status: int = 0


@dataclass
class _Fault:
    name: str
    remaining: int
    start: int | None
    options: dict[str, Any]


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    event_ids: list[int] = field(default_factory=list)


def _json_reply(status: int, payload: Any, **headers: str) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _Reply(status, body, headers=dict(headers))


def _not_found() -> _Reply:
    return _json_reply(404, {"detail": "Not found."})


_TIMES: dict[str, float | None] = {}


def _parse_time(text: str) -> float | None:
    """Seconds since the epoch of an ISO 8601 time (naive means UTC); None if unparseable.

    Memoised in a plain dict: sorting 50,000 events parses each time once, not per request.
    """
    try:
        return _TIMES[text]
    except KeyError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    else:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        value = moment.timestamp()
    if len(_TIMES) < 1_000_000:
        _TIMES[text] = value
    return value


def _event_time(event: Mapping[str, Any], key: str) -> float | None:
    value = event.get(key)
    return _parse_time(value) if isinstance(value, str) else None


def _nested_id(event: Mapping[str, Any], *path: str) -> Any:
    node: Any = event
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _haystack(event: Mapping[str, Any]) -> str:
    parts = [
        _nested_id(event, "flight_vehicle", "spacecraft", "name"),
        _nested_id(event, "flight_vehicle", "spacecraft", "serial_number"),
        _nested_id(event, "flight_vehicle", "spacecraft", "spacecraft_config", "name"),
        _nested_id(event, "flight_vehicle", "spacecraft", "spacecraft_config", "agency", "name"),
        _nested_id(event, "docking_location", "name"),
        _nested_id(event, "docking_location", "spacestation", "name"),
    ]
    return "\n".join(p for p in parts if isinstance(p, str)).casefold()


def _haystack_v230(event: Mapping[str, Any]) -> str:
    """The fields 2.3.0 searches (its schema lists them), one per line."""
    parts = [
        _nested_id(event, "docking_location", "name"),
        _nested_id(event, "flight_vehicle_chaser", "spacecraft", "name"),
        _nested_id(event, "flight_vehicle_target", "spacecraft", "name"),
        _nested_id(event, "payload_flight_chaser", "payload", "name"),
        _nested_id(event, "payload_flight_target", "payload", "name"),
        _nested_id(event, "space_station_chaser", "name"),
        _nested_id(event, "space_station_target", "name"),
    ]
    return "\n".join(p for p in parts if isinstance(p, str)).casefold()


def _insert_by_docking(events: list[Event], event: Event) -> None:
    """Insert before the first event that docked later (keeps docking order)."""
    when = _event_time(event, "docking")
    index = len(events)
    if when is not None:
        for i, other in enumerate(events):
            other_time = _event_time(other, "docking")
            if other_time is not None and other_time > when:
                index = i
                break
    events.insert(index, event)


def _positive_int(text: str | None, default: int, *, strict: bool) -> int:
    """Django REST framework's reading of limit/offset: junk falls back to the default."""
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        return default
    if value < 0 or (strict and value == 0):
        return default
    return value


def _html_page(title: str, text: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><h1>{title}</h1><p>{text}</p>"
        "<hr><p>cloudflare</p></body></html>\n"
    ).encode()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], ll2: LL2TestServer) -> None:
        self.ll2 = ll2
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up: tests do that on purpose."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API behind its proxy
    server_version = "LL2TestServer/2.2.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections go away eventually

    @property
    def ll2(self) -> LL2TestServer:
        return cast(_HTTPServer, self.server).ll2

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.ll2._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.ll2._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.ll2.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def do_GET(self) -> None:
        try:
            self.ll2._serve(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _refuse(self) -> None:
        record = self.ll2._record(self)
        reply = _json_reply(
            405, {"detail": f'Method "{self.command}" not allowed.'}, Allow="GET, HEAD, OPTIONS"
        )
        self.send(reply, record)

    do_POST = do_PUT = do_PATCH = do_DELETE = _refuse

    def send(
        self,
        reply: _Reply,
        record: RecordedRequest,
        *,
        content_type: str | None = None,
        cut: str | None = None,
    ) -> None:
        """Write a reply; ``cut`` = "half" sends half the body, "headers" none of it."""
        record.status = reply.status
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type or reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if cut == "headers":
            self.close_connection = True
            return
        if cut == "half":
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(reply.body)


class LL2TestServer:
    """Launch Library 2.2.0 and 2.3.0 docking events over real HTTP on 127.0.0.1, with
    faults on demand.

    Stores detailed events; ``mode=detailed`` serves them as stored, the default list mode
    reduces them (:func:`to_list_shape`). ``next``/``previous`` point at :attr:`origin`.
    Without ``ordering`` events come in stored order (the real default is neither id nor
    docking). ``format=api`` gives an HTML page, as the browsable API does.

    API 2.3.0 (``/2.3.0/docking_events/`` and ``.../{id}/``, :attr:`base_url_v230`) serves
    ``events_v230`` (stored detailed; ``mode=normal``, the default, reduces them with
    :func:`to_v230_normal`; the detail path answers detailed). Without ``events_v230`` the
    2.3.0 events are derived from the 2.2.0 ones with :func:`to_v230` (same ids), plus
    :func:`non_station_events_v230` when ``v230_extras``; the derivation follows every
    change to the 2.2.0 events that the result cache sees. :meth:`add_event_v230` and
    :meth:`remove_event_v230` change only the 2.3.0 side. Filters use the 2.3.0 names
    (``space_station_target__id``, ``flight_vehicle_chaser__id``, ``docking_location__id``,
    ``docking__gt/gte/lt/lte``, ``docked``, ``search``); the 2.2.0 names are unknown there
    and, like any unknown parameter, silently ignored. ``retire_v220`` = 404 or 410 makes
    every 2.2.0 docking_event request answer that status (``{"detail": "Not found."}``)
    at once: recorded, but no fault, no budget.

    Faults and the rate limit act only on docking_event requests (list and detail). A
    fault that replaces the answer (status codes, HTML, invalid JSON, drop before the
    response) is answered before the rate limit is consulted and spends no budget; the
    others (slow, truncated, drop after headers, wrong content type, foreign next,
    insert/remove between pages) wrap whatever the API would have answered, 429 included.
    2.2.0 and 2.3.0 docking-event requests share the faults, the counting and the budget;
    insert/remove faults change the events of the version that was asked.
    """

    def __init__(
        self,
        events: list[Event] | None = None,
        *,
        events_v230: list[Event] | None = None,
        v230_extras: bool = True,
        throttle_limit: int | None = None,
        throttle_window: float = 3600.0,
        throttle_style: str = "header",
        port: int = 0,
    ) -> None:
        if throttle_style not in ("header", "body", "none"):
            raise ValueError(f"throttle_style must be header, body or none: {throttle_style!r}")
        self._events: list[Event] = list(default_events() if events is None else events)
        self.throttle_limit = throttle_limit
        self.throttle_window = throttle_window
        self.throttle_style = throttle_style
        #: Seconds a 429 reports and the budget really stays closed; None = rest of window.
        self.throttle_wait: float | None = None
        #: Answer /2.3.0/api-throttle/ as a one-element list, as its published schema says.
        self.throttle_endpoint_as_list = False
        #: Print one line per request on stderr (the command line turns it on).
        self.log_requests = False
        #: Reuse filtered+sorted results across pages (for benchmarks with 50,000 events).
        #: Changes through add_event/remove_event/the events setter/faults and appends to
        #: the list are seen; after editing an event dict in place, call invalidate_cache().
        self.cache_results = False
        self._cache: dict[Any, tuple[tuple[int, int, int], list[Event]]] = {}
        #: With ``cache_results``: every event in ``ordering=docking`` order beside its docking
        #: time, so a keyset page (``docking__gte=...``) is two bisections and a slice instead
        #: of filtering and sorting the whole list (see :meth:`_docking_index`).
        self._indexes: dict[bool, tuple[tuple[Any, ...], list[float], list[Event]]] = {}
        self._version = 0
        self._events_v230: list[Event] | None = None if events_v230 is None else list(events_v230)
        #: Derived 2.3.0 events (no ``events_v230``) include non_station_events_v230().
        self.v230_extras = v230_extras
        #: 404 or 410: the 2.2.0 docking_event paths answer only that (the API retired).
        self.retire_v220: int | None = None
        self._v230_version = 0
        self._v230_added: list[Event] = []
        self._v230_removed: set[Any] = set()
        self._derived: tuple[tuple[Any, ...], list[Event]] | None = None
        self.requests: list[RecordedRequest] = []
        self._port = port
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._faults: deque[_Fault] = deque()
        self._scheduled: list[_Fault] = []
        self._event_requests = 0
        self._used = 0
        self._window_start: float | None = None
        self._blocked_until: float | None = None

    # -- life cycle ------------------------------------------------------------------
    def start(self) -> Self:
        """Bind 127.0.0.1 (port 0 = any free one) and serve from a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("LL2TestServer already started")
        self._stopping.clear()
        self._httpd = _HTTPServer(("127.0.0.1", self._port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"LL2TestServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open keep-alive connections and wake any "slow" sleepers."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        """``with LL2TestServer(...) as s`` starts it; ``with ....start() as s`` keeps it."""
        if self._httpd is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("LL2TestServer is not running; call start()")
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/2.2.0`` (no trailing slash)."""
        return f"{self.origin}/2.2.0"

    @property
    def base_url_v230(self) -> str:
        """``http://127.0.0.1:PORT/2.3.0`` (no trailing slash)."""
        return f"{self.origin}/2.3.0"

    # -- data ------------------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        """The live list of stored (detailed) events; the handler snapshots it per request."""
        return self._events

    @events.setter
    def events(self, events: list[Event]) -> None:
        with self._lock:
            self._version += 1
            self._events = list(events)

    def invalidate_cache(self) -> None:
        """Forget cached results and derived 2.3.0 events (after editing events in place)."""
        with self._lock:
            self._version += 1
            self._v230_version += 1
            self._cache.clear()
            self._indexes.clear()
            self._derived = None

    def add_event(self, event: Event) -> None:
        """Insert before the first stored event that docked later (keeps docking order)."""
        with self._lock:
            self._version += 1
            _insert_by_docking(self._events, event)

    def remove_event(self, event_id: int) -> bool:
        """Drop the event with this id; False if there was none."""
        with self._lock:
            self._version += 1
            for i, event in enumerate(self._events):
                if event.get("id") == event_id:
                    del self._events[i]
                    return True
        return False

    @property
    def v230_derived(self) -> bool:
        """True while the 2.3.0 events are derived from the 2.2.0 ones (no ``events_v230``)."""
        return self._events_v230 is None

    @property
    def events_v230(self) -> list[Event]:
        """The stored (detailed) 2.3.0 events: the live list when given, else a snapshot of
        the derived ones (editing that snapshot changes nothing; use add/remove_event_v230)."""
        return self._snapshot(v230=True)[1]

    @events_v230.setter
    def events_v230(self, events: list[Event]) -> None:
        with self._lock:
            self._v230_version += 1
            self._events_v230 = list(events)

    def add_event_v230(self, event: Event) -> None:
        """Add a stored (detailed) 2.3.0 event in docking order; 2.2.0 does not see it."""
        with self._lock:
            self._v230_version += 1
            if self._events_v230 is None:
                self._v230_added.append(event)
            else:
                _insert_by_docking(self._events_v230, event)

    def remove_event_v230(self, event_id: int) -> bool:
        """Drop a 2.3.0 event (2.2.0 keeps its own); False if there was none."""
        with self._lock:
            events = self._snapshot(v230=True)[1]
            if not any(e.get("id") == event_id for e in events):
                return False
            self._v230_version += 1
            if self._events_v230 is None:
                self._v230_removed.add(event_id)
                self._v230_added = [e for e in self._v230_added if e.get("id") != event_id]
            else:
                self._events_v230 = [e for e in self._events_v230 if e.get("id") != event_id]
            return True

    def _snapshot(self, *, v230: bool, copy: bool = True) -> tuple[tuple[Any, ...], list[Event]]:
        """A stamp that changes with the events, and a list of them that nobody mutates
        (``copy=False``: the live list when there is one, for callers that only stamp)."""
        with self._lock:
            if not v230:
                events = self._events
                return (self._version, id(events), len(events)), list(events) if copy else events
            if self._events_v230 is not None:
                events = self._events_v230
                stamp = ("v230", self._v230_version, id(events), len(events))
                return stamp, list(events) if copy else events
            key = (
                "derived",
                self._version,
                self._v230_version,
                id(self._events),
                len(self._events),
                self.v230_extras,
            )
            if self._derived is None or self._derived[0] != key:
                derived = _convert_v230(self._events, detailed=True)
                if self.v230_extras:
                    derived += non_station_events_v230(True)
                removed = self._v230_removed
                derived = [e for e in derived if e.get("id") not in removed]
                for event in self._v230_added:
                    _insert_by_docking(derived, event)
                self._derived = (key, derived)
            return key, self._derived[1]

    @property
    def event_requests(self) -> list[RecordedRequest]:
        """Recorded requests other than api-throttle ones."""
        with self._lock:
            return [r for r in self.requests if not r.api_throttle]

    # -- faults ----------------------------------------------------------------------
    def inject(
        self, fault: str, *, times: int = 1, on_request: int | None = None, **options: Any
    ) -> None:
        """Queue a fault for the next ``times`` docking_event requests.

        Without ``on_request`` faults queue up one after another. ``on_request=k`` starts
        it at the k-th docking_event request from now (1 = the next one) and takes
        precedence over the queue on that request.
        """
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(sorted(FAULTS))}")
        if times < 1 or (on_request is not None and on_request < 1):
            raise ValueError("times and on_request count from 1")
        with self._lock:
            if on_request is None:
                self._faults.append(_Fault(fault, times, None, dict(options)))
            else:
                start = self._event_requests + on_request
                self._scheduled.append(_Fault(fault, times, start, dict(options)))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._scheduled.clear()

    def _take_fault(self, number: int) -> _Fault | None:
        with self._lock:
            for fault in self._scheduled:
                if fault.start is not None and fault.start <= number:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._scheduled.remove(fault)
                    return fault
            if self._faults:
                fault = self._faults[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.popleft()
                return fault
        return None

    # -- throttling ------------------------------------------------------------------
    def reset_throttle(self) -> None:
        """Give the full budget back now."""
        with self._lock:
            self._used = 0
            self._window_start = None
            self._blocked_until = None

    def _spend(self) -> int | None:
        """Count one request; None if allowed, else the seconds to report in the 429."""
        with self._lock:
            now = time.monotonic()
            expired = self._window_start is None or now - self._window_start >= self.throttle_window
            if expired or (self._blocked_until is not None and now >= self._blocked_until):
                self._used = 0
                self._window_start = now
                self._blocked_until = None
            if self.throttle_limit is None or self._used < self.throttle_limit:
                self._used += 1
                return None
            if self._blocked_until is None:
                start = cast(float, self._window_start)
                wait = (
                    self.throttle_wait
                    if self.throttle_wait is not None
                    else start + self.throttle_window - now
                )
                self._blocked_until = now + max(0.0, wait)
            return max(0, math.ceil(self._blocked_until - now))

    def _throttle_status(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            active = (
                self._window_start is not None
                and now - self._window_start < self.throttle_window
                and (self._blocked_until is None or now < self._blocked_until)
            )
            used = self._used if active else 0
            limit = self.throttle_limit if self.throttle_limit is not None else _UNLIMITED
            next_use = 0
            if active and self.throttle_limit is not None and used >= self.throttle_limit:
                start = cast(float, self._window_start)
                until = self._blocked_until
                if until is None:
                    wait = self.throttle_wait
                    until = now + wait if wait is not None else start + self.throttle_window
                next_use = max(0, math.ceil(until - now))
            return {
                "your_request_limit": limit,
                "limit_frequency_secs": int(self.throttle_window),
                "current_use": used,
                "next_use_secs": next_use,
                "ident": "127.0.0.1",
            }

    def _throttled_reply(self, wait: int) -> _Reply:
        if self.throttle_style == "none":
            return _json_reply(429, {"detail": "Request was throttled."})
        unit = "second" if wait == 1 else "seconds"  # DRF uses ngettext here
        body = {"detail": f"Request was throttled. Expected available in {wait} {unit}."}
        if self.throttle_style == "header":
            return _json_reply(429, body, **{"Retry-After": str(wait)})
        return _json_reply(429, body)

    # -- request handling ------------------------------------------------------------
    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _record(self, handler: _Handler) -> RecordedRequest:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = _Headers()
        for name, value in handler.headers.items():
            key = name.lower()
            dict.__setitem__(headers, key, f"{headers[key]}, {value}" if key in headers else value)
        record = RecordedRequest(
            handler.command,
            parts.path,
            query,
            headers,
            api_throttle=parts.path.rstrip("/") == _THROTTLE_PATH.rstrip("/"),
        )
        with self._lock:
            self.requests.append(record)
        return record

    def _serve(self, handler: _Handler) -> None:
        record = self._record(handler)
        parts = urlsplit(handler.path)
        path = parts.path
        if self.retire_v220 is not None and _V220_RE.match(path):
            handler.send(_json_reply(int(self.retire_v220), {"detail": "Not found."}), record)
            return
        slashless = (_LIST_PATH, _THROTTLE_PATH, _LIST_PATH_V230)
        if path in (p.rstrip("/") for p in slashless) or re.fullmatch(
            r"/2\.2\.0/docking_event/\d+|/2\.3\.0/docking_events/\d+", path
        ):
            location = path + "/" + (f"?{parts.query}" if parts.query else "")
            handler.send(_json_reply(301, {}, Location=location), record)
            return
        if path == _THROTTLE_PATH:
            status = self._throttle_status()
            handler.send(
                _json_reply(200, [status] if self.throttle_endpoint_as_list else status), record
            )
            return
        v230 = path == _LIST_PATH_V230
        detail = _DETAIL_RE.match(path)
        if detail is None:
            detail = _DETAIL_RE_V230.match(path)
            v230 = v230 or detail is not None
        if path not in (_LIST_PATH, _LIST_PATH_V230) and detail is None:
            handler.send(_not_found(), record)
            return

        with self._lock:
            self._event_requests += 1
            number = self._event_requests
        fault = self._take_fault(number)
        name = fault.name if fault is not None else ""
        options = fault.options if fault is not None else {}
        if name == "drop" and options.get("when", "headers") == "start":
            handler.close_connection = True
            return
        if name in _REPLACING:
            handler.send(self._fault_reply(name, options), record)
            return
        if name == "slow" and self._stopping.wait(float(options.get("delay", 5))):
            handler.close_connection = True
            return

        wait = self._spend()
        if wait is not None:
            reply = self._throttled_reply(wait)
        elif detail is not None:
            reply = self._detail(int(detail.group(1)), v230=v230, raw_query=parts.query)
        else:
            next_origin = None
            if name == "foreign_next":
                next_origin = str(options.get("next_origin", "http://evil.example.invalid"))
            reply = self._list(path, parts.query, next_origin, v230=v230)

        content_type = None
        if name == "wrong_content_type":
            content_type = str(options.get("content_type", "text/plain; charset=utf-8"))
        cut = {"truncated": "half", "drop": "headers"}.get(name)
        handler.send(reply, record, content_type=content_type, cut=cut)

        if name == "insert_between_pages":
            self._insert(options, v230=v230)
        elif name == "remove_between_pages":
            target = options.get("event_id")
            if target is None and reply.event_ids:
                target = reply.event_ids[0]
            if target is not None:
                (self.remove_event_v230 if v230 else self.remove_event)(int(target))

    def _fault_reply(self, name: str, options: Mapping[str, Any]) -> _Reply:
        defaults: dict[str, tuple[int, str, str]] = {
            "500": (500, "application/json", '{"detail":"Internal server error."}'),
            "502": (502, "text/plain; charset=utf-8", "502 Bad Gateway"),
            "503": (
                503,
                "application/json",
                '{"detail":"Service temporarily unavailable, try again later."}',
            ),
            "status": (404, "application/json", '{"detail":"Not found."}'),
            "html_error": (
                200,
                "text/html; charset=utf-8",
                _html_page(
                    "ll.thespacedevs.com | 502: Bad gateway",
                    "The web server reported a bad gateway error. Please try again in a few "
                    "minutes.",
                ).decode(),
            ),
            "html_500": (
                500,
                "text/html; charset=utf-8",
                '<!doctype html>\n<html lang="en"><head><title>Server Error (500)'
                "</title></head><body><h1>Server Error (500)</h1><p></p></body></html>\n",
            ),
            "invalid_json": (
                200,
                "application/json",
                '{"count": 5, "results": [{"id": 1, "docking": "2024-0\x00<<garbage>> }{ ]]',
            ),
        }
        status, content_type, body = defaults[name]
        reply = _Reply(
            int(options.get("status", status)),
            str(options.get("body", body)).encode("utf-8"),
            str(options.get("content_type", content_type)),
        )
        if "retry_after" in options:
            reply.headers["Retry-After"] = str(options["retry_after"])
        reply.headers.update({str(k): str(v) for k, v in options.get("headers", {}).items()})
        return reply

    def _insert(self, options: Mapping[str, Any], *, v230: bool = False) -> None:
        """The insert_between_pages fault: ``event`` (of the version asked) or a new one,
        generated one day before the first docking (or at ``docking``)."""
        event = options.get("event")
        if event is None:
            events = self._snapshot(v230=v230)[1]
            ids = [e["id"] for e in events if isinstance(e.get("id"), int) and e["id"] < 900_000]
            times = [t for e in events if (t := _event_time(e, "docking")) is not None]
            new_id = max(ids, default=999) + 1
            event = generate_events(1, seed=new_id, start_id=new_id)[0]
            if "docking" in options:
                target = cast(float, _parse_time(str(options["docking"])))
            else:
                target = min(times, default=float(NOW_TS)) - _DAY
            _shift(event, int(target))
            if v230:
                event = to_v230(event, detailed=True)
        (self.add_event_v230 if v230 else self.add_event)(event)

    def _detail(self, event_id: int, *, v230: bool = False, raw_query: str = "") -> _Reply:
        """One event; 2.3.0 answers detailed unless ``mode=normal``."""
        events = self._snapshot(v230=v230)[1]
        found = next((e for e in events if e.get("id") == event_id), None)
        if found is None:
            return _not_found()
        if v230 and parse_qs(raw_query).get("mode", [""])[-1] == "normal":
            found = to_v230_normal(found)
        reply = _json_reply(200, found)
        reply.event_ids = [event_id]
        return reply

    def _list(
        self, path: str, raw_query: str, next_origin: str | None, *, v230: bool = False
    ) -> _Reply:
        multi = parse_qs(raw_query, keep_blank_values=True)
        query = {k: v[-1] for k, v in multi.items()}
        fmt = query.get("format", "")
        if fmt not in ("", "json", "api"):
            return _not_found()

        errors: dict[str, list[str]] = {}
        wanted_ids: dict[str, int] = {}
        for key in _PATHS_V230 if v230 else _INT_FILTERS:
            text = query.get(key, "").strip()
            if text:
                try:
                    wanted_ids[key] = int(float(text))
                except ValueError:
                    errors[key] = ["Enter a number."]
        bounds: dict[str, float] = {}
        for key in _DATE_FILTERS:
            text = query.get(key, "").strip()
            if text:
                parsed = _parse_time(text)
                if parsed is None:
                    errors[key] = ["Enter a valid date/time."]
                else:
                    bounds[key] = parsed
        if errors:
            return _json_reply(400, errors)
        docked = _BOOLEANS.get(query.get("docked", "").strip()) if v230 else None

        terms = query.get("search", "").replace(",", " ").casefold().split()
        fields = [f.strip() for f in query.get("ordering", "").split(",")]
        fields = [f for f in fields if f.lstrip("-") in _ORDER_FIELDS]
        limit = min(_positive_int(query.get("limit"), DEFAULT_LIMIT, strict=True), MAX_LIMIT)
        offset = _positive_int(query.get("offset"), 0, strict=False)
        count, page = self._select(
            wanted_ids, bounds, terms, fields, offset, limit, v230=v230, docked=docked
        )
        detailed = query.get("mode") == "detailed"
        reduce = to_v230_normal if v230 else to_list_shape
        results = page if detailed else [reduce(e) for e in page]

        def link(new_offset: int | None, origin: str) -> str:
            params = dict(multi)
            params["limit"] = [str(limit)]
            if new_offset is None:
                params.pop("offset", None)
            else:
                params["offset"] = [str(new_offset)]
            return f"{origin}{path}?{urlencode(sorted(params.items()), doseq=True)}"

        next_link = link(offset + limit, self.origin) if offset + limit < count else None
        if next_origin is not None:
            next_link = link(offset + limit, next_origin)
        previous = None
        if offset > 0:
            previous = link(None if offset - limit <= 0 else offset - limit, self.origin)
        payload = {"count": count, "next": next_link, "previous": previous, "results": results}
        if fmt == "api":
            text = json.dumps(payload, ensure_ascii=False, indent=2)
            body = _html_page(
                "Docking Event List - Django REST framework",
                f"<pre>{text.replace('<', '&lt;')}</pre>",
            )
            return _Reply(200, body, "text/html; charset=utf-8")
        reply = _json_reply(200, payload, Allow="GET, HEAD, OPTIONS")
        reply.event_ids = [e["id"] for e in page if isinstance(e.get("id"), int)]
        return reply

    def _select(
        self,
        wanted_ids: Mapping[str, int],
        bounds: Mapping[str, float],
        terms: list[str],
        fields: list[str],
        offset: int,
        limit: int,
        *,
        v230: bool = False,
        docked: bool | None = None,
    ) -> tuple[int, list[Event]]:
        """How many events match, and the page of them at ``offset``.

        The keyset requests of a sync (only docking bounds, ``ordering=docking``) are answered
        from the docking index when results may be cached: at 50,000 events filtering and
        sorting everything took ~30 ms a request and made this server the bottleneck of the
        sync benchmark. The result is the same list the general path below would slice.
        """
        fast = fields == ["docking"] and not wanted_ids and not terms and docked is None
        if self.cache_results and fast:
            keys, ordered = self._docking_index(v230=v230)
            low, high = _docking_span(keys, bounds)
            start = low + offset
            return high - low, ordered[start : low + min(high - low, offset + limit)]
        cache_key = (
            v230,
            docked,
            tuple(sorted(wanted_ids.items())),
            tuple(sorted(bounds.items())),
            tuple(terms),
            tuple(fields),
        )
        stamp, events = self._snapshot(v230=v230)
        with self._lock:
            hit = self._cache.get(cache_key) if self.cache_results else None
        if hit is not None and hit[0] == stamp:
            selected = hit[1]
        else:
            paths = _PATHS_V230 if v230 else None
            haystack = _haystack_v230 if v230 else _haystack
            selected = []
            for event in events:
                if not _matches(event, wanted_ids, bounds, paths):
                    continue
                if docked is not None and (event.get("departure") is None) != docked:
                    continue
                if terms:
                    hay = haystack(event)
                    if not all(term in hay for term in terms):
                        continue
                selected.append(event)
            if fields:
                selected = _sorted(selected, fields)
            if self.cache_results:
                with self._lock:
                    if len(self._cache) > 64:
                        self._cache.clear()
                    self._cache[cache_key] = (stamp, selected)
        return len(selected), selected[offset : offset + limit]

    def _docking_index(self, *, v230: bool = False) -> tuple[list[float], list[Event]]:
        """Docking keys (``inf`` = no docking time) and events in ``ordering=docking`` order,
        rebuilt only when the events change (the same stamp the result cache uses)."""
        with self._lock:
            stamp, events = self._snapshot(v230=v230, copy=False)
            index = self._indexes.get(v230)
            if index is not None and index[0] == stamp:
                return index[1], index[2]
            events = list(events)
        ordered = _sorted(events, ["docking"])
        inf = math.inf
        keys = [
            inf if (when := _event_time(event, "docking")) is None else when for event in ordered
        ]
        with self._lock:
            self._indexes[v230] = (stamp, keys, ordered)
        return keys, ordered


def _matches(
    event: Mapping[str, Any],
    ids: Mapping[str, int],
    bounds: Mapping[str, float],
    paths: Mapping[str, tuple[str, ...]] | None = None,
) -> bool:
    for key, wanted in ids.items():
        if paths is not None:
            got = _nested_id(event, *paths[key])
        elif key == "space_station__id":
            got = _nested_id(event, "docking_location", "spacestation", "id")
            if got is None:
                got = _nested_id(event, "space_station", "id")
        elif key == "flight_vehicle__id":
            got = _nested_id(event, "flight_vehicle", "id")
        else:
            got = _nested_id(event, "docking_location", "id")
        if got != wanted:
            return False
    if bounds:
        when = _event_time(event, "docking")
        if when is None:
            return False
        for key, bound in bounds.items():
            op = key.rsplit("__", 1)[1]
            if not (
                (op == "gt" and when > bound)
                or (op == "gte" and when >= bound)
                or (op == "lt" and when < bound)
                or (op == "lte" and when <= bound)
            ):
                return False
    return True


def _docking_span(keys: list[float], bounds: Mapping[str, float]) -> tuple[int, int]:
    """The slice of docking-ordered ``keys`` that the docking bounds accept, by bisection.

    Same rule as :func:`_matches`: any bound excludes events without a docking time, which
    sort last (``inf``).
    """
    low, high = 0, len(keys)
    if not bounds:
        return low, high
    high = bisect.bisect_left(keys, math.inf)
    for key, bound in bounds.items():
        op = key.rsplit("__", 1)[1]
        if op == "gte":
            low = max(low, bisect.bisect_left(keys, bound, 0, high))
        elif op == "gt":
            low = max(low, bisect.bisect_right(keys, bound, 0, high))
        elif op == "lt":
            high = min(high, bisect.bisect_left(keys, bound, 0, high))
        else:  # lte
            high = min(high, bisect.bisect_right(keys, bound, 0, high))
    return low, max(low, high)


def _sorted(events: list[Event], fields: list[str]) -> list[Event]:
    """Order like Postgres: nulls last ascending, first descending; ties by ascending id.

    Keys are computed once per event into lists (this is the hot path of big benchmarks).
    """
    inf = math.inf
    id_keys: list[float] = []
    for event in events:
        ident = event.get("id")
        id_keys.append(ident if isinstance(ident, int) else inf)
    order = sorted(range(len(events)), key=id_keys.__getitem__)
    for field_name in reversed(fields):
        name = field_name.lstrip("-")
        keys: list[float]
        if name == "id":
            keys = id_keys
        else:
            keys = []
            for event in events:
                value = event.get(name)
                when = _parse_time(value) if isinstance(value, str) else None
                keys.append(inf if when is None else when)
        order.sort(key=keys.__getitem__, reverse=field_name.startswith("-"))
    return [events[i] for i in order]


def _shift(event: Event, docking: int) -> None:
    """Move a freshly generated (unshared) event so it docks at ``docking``."""
    old = _event_time(event, "docking")
    delta = docking - int(old if old is not None else docking)
    for holder, key in (
        (event, "docking"),
        (event, "departure"),
        (event["flight_vehicle"], "mission_end"),
    ):
        value = holder.get(key)
        if isinstance(value, str):
            holder[key] = _iso(int(cast(float, _parse_time(value))) + delta)


def _parse_throttle(text: str) -> tuple[int, float]:
    """``"15/3600"`` -> (15, 3600.0); the window defaults to an hour."""
    limit, _, window = text.partition("/")
    return int(limit), float(window or 3600)


def main(argv: list[str] | None = None) -> int:
    """Serve by hand until Ctrl-C: ``python tests/ll2_server.py --port 8000 --events 600``."""
    parser = argparse.ArgumentParser(description="Imitation of Launch Library 2 (2.2.0, 2.3.0).")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--events", type=int, default=560, help="generated events")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-real", action="store_true", help="leave out the 10 real events")
    parser.add_argument("--throttle", metavar="N/SECS", help="e.g. 15/3600 (the real limit)")
    parser.add_argument("--throttle-style", choices=("header", "body", "none"), default="header")
    parser.add_argument("--throttle-wait", type=float, help="seconds a 429 lasts")
    parser.add_argument("--quiet", action="store_true", help="no request log on stderr")
    parser.add_argument(
        "--retire-v220", type=int, metavar="STATUS", help="answer 2.2.0 with 404 or 410"
    )
    parser.add_argument(
        "--no-v230-extras", action="store_true", help="2.3.0 without the non-station dockings"
    )
    args = parser.parse_args(argv)

    events = generate_events(args.events, seed=args.seed)
    if not args.no_real:
        events += real_events()
    limit: int | None = None
    window = 3600.0
    if args.throttle:
        limit, window = _parse_throttle(args.throttle)
    server = LL2TestServer(
        events,
        throttle_limit=limit,
        throttle_window=window,
        throttle_style=args.throttle_style,
        port=args.port,
        v230_extras=not args.no_v230_extras,
    )
    server.retire_v220 = args.retire_v220
    server.throttle_wait = args.throttle_wait
    server.log_requests = not args.quiet
    server.cache_results = True  # nobody edits events in place here; pages come fast
    server.start()
    print(server.base_url, flush=True)  # first line: 2.2.0, second: 2.3.0
    print(server.base_url_v230, flush=True)
    n_v230 = len(server.events_v230)
    print(
        f"{len(events)} docking events (2.3.0: {n_v230}); Ctrl-C stops.",
        file=sys.stderr,
        flush=True,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())  # `kill` stops it cleanly too
    try:
        while not done.wait(0.5):  # short waits keep Ctrl-C responsive everywhere
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
