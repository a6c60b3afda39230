"""The timeline: per station, one lane per docking port, each docking a bar in time.

What a person sees, top to bottom: a small header ("Colour by: Agency | Type", Fit all, Last
year, minus, plus, and a one-line summary), a time axis whose ticks adapt to the zoom (decades and
years → months → days → hours, with the enclosing year/month/day in a second row), the lanes
(a station header row, then one lane per port, sorted by name, with the names in a left
gutter), and a legend strip at the bottom (the ten commonest agencies or vehicle families,
then "other", then the marks for "docked now", overlaps and relocations).

A still-docked vehicle's bar runs to the dashed "now" line and ends in an arrow head. Two
stays that overlap on one port are a data conflict: the overlapping stretch is hatched and
outlined in a warning colour. A flight vehicle that moved between ports has its two bars
joined by a thin curve from the end of one to the start of the next.

Why custom painting (not QGraphicsView): 50,000 items would each be a Python object with its
own paint call. Here the picture is a few functions of plain data.

The modules, from data to pixels. The first seven never import Qt, not even through this
``__init__``, which imports the widget only when it is asked for:
- ``lanes``: one lane per port, stays sorted for bisecting; ``overlaps``: conflicts and
  relocations; ``categories``: colours by agency or vehicle family; ``data``: all of them
  built from the visible rows.
- ``axis``: tick unit and tick times; ``viewport``: time ↔ x, zoom, pan, clamping.
- ``layout``: the geometry of one picture, from size, font measurements and data.
- ``painting``: the picture, from data, viewport, layout and palette.
- ``view``: the widget (state, commands, questions, events), with ``source`` (following the
  table's filter proxy), ``input`` (wheel, mouse, keys, tooltips), ``header`` and
  ``tooltips``.
"""

from typing import TYPE_CHECKING, Any

from dockview.ui.timeline.axis import MONTHS, TickUnit
from dockview.ui.timeline.categories import (
    AGENCY_SHORT,
    BAR_COLOURS,
    LEGEND_TOP,
    OTHER,
    OTHER_COLOUR,
    PREFERRED_COLOURS,
    VEHICLE_FAMILIES,
    WARNING_COLOUR,
    ColourMode,
    agency_short,
    vehicle_family,
)
from dockview.ui.timeline.viewport import MAX_SPAN, MIN_SPAN

if TYPE_CHECKING:
    from dockview.ui.timeline.view import TimelineView


def __getattr__(name: str) -> Any:
    """The widget, imported on first use, so the Qt-free modules import without Qt."""
    if name == "TimelineView":
        from dockview.ui.timeline.view import TimelineView

        return TimelineView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AGENCY_SHORT",
    "BAR_COLOURS",
    "LEGEND_TOP",
    "MAX_SPAN",
    "MIN_SPAN",
    "MONTHS",
    "OTHER",
    "OTHER_COLOUR",
    "PREFERRED_COLOURS",
    "VEHICLE_FAMILIES",
    "WARNING_COLOUR",
    "ColourMode",
    "TickUnit",
    "TimelineView",
    "agency_short",
    "vehicle_family",
]
