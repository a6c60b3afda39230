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

Input:
- Wheel over the plot: zoom around the cursor. Shift+wheel (or a sideways wheel/touchpad):
  pan in time. Wheel over the port names, or Alt+wheel anywhere: scroll the lanes.
- Drag with the left button: pan in time and scroll the lanes. A click without a drag on a
  bar selects it (``eventActivated``).
- Keys (the view takes focus): Left/Right the previous/next stay on the lane, Up/Down the
  nearest stay in the lane above/below, Enter/Space select the focused stay
  (``eventActivated``), +/= and - zoom, Shift+Left/Right pan, PageUp/PageDown scroll the
  lanes, Home fit all, End the last year.

Why custom painting (not QGraphicsView): 50,000 items would each be a Python object with its
own paint call. Here each lane keeps its stays sorted by docking time with the lane's longest
stay, so the stays that meet the visible range are one bisect away; bars narrower than a few
pixels are merged into runs per colour and drawn with one ``drawRects`` call per colour. The
painted picture is cached in a pixmap, so hover and selection repaint only their outlines.
Colours of text, grid and background come from the palette (light and dark schemes); bar
colours come from a fixed qualitative palette that reads on both.
"""

from __future__ import annotations

import html
import math
import re
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
from operator import attrgetter

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QScrollBar,
    QToolButton,
    QToolTip,
    QWidget,
)

from dockview.records import format_stay
from dockview.ui.common import collector_paused, named
from dockview.ui.event_model import EventFilterProxy, EventRow, format_time, local_zone

COLOUR_MODES = ("agency", "type")

#: A qualitative palette (Tableau 10, the grey swapped for a light blue) that reads on light
#: and dark backgrounds alike; "other" is the grey.
# fmt: off
BAR_COLOURS = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
               "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#A0CBE8")
# fmt: on
OTHER_COLOUR = "#BAB0AC"
OTHER = "other"
WARNING_COLOUR = "#D81B60"
LEGEND_TOP = len(BAR_COLOURS)

#: Colours that stay with a name whatever the filters show (an index into BAR_COLOURS).
PREFERRED_COLOURS = {
    "agency": {
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
    "type": {
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

_DAY = 86_400.0
_YEAR = 365.25 * _DAY
MIN_SPAN = 2 * 3600.0
MAX_SPAN = 200 * _YEAR
# fmt: off
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
# fmt: on
#: Tick steps, finest first: (unit, count, rough seconds). The first whose labels fit is used.
_TICK_STEPS = (
    ("hour", 1, 3600.0),
    ("hour", 3, 3 * 3600.0),
    ("hour", 6, 6 * 3600.0),
    ("hour", 12, 12 * 3600.0),
    ("day", 1, _DAY),
    ("day", 2, 2 * _DAY),
    ("day", 7, 7 * _DAY),
    ("month", 1, _YEAR / 12),
    ("month", 3, _YEAR / 4),
    ("month", 6, _YEAR / 2),
    ("year", 1, _YEAR),
    ("year", 2, 2 * _YEAR),
    ("year", 5, 5 * _YEAR),
    ("year", 10, 10 * _YEAR),
    ("year", 20, 20 * _YEAR),
    ("year", 50, 50 * _YEAR),
)
_TICK_SAMPLE = {"hour": "23:00", "day": "28", "month": "Sep", "year": "2000"}
#: Bars at least this wide are drawn one by one, rounded; narrower ones are merged into runs.
_WIDE = 4.0
_LABEL_MIN = 56.0
#: Relocation links are drawn between bars at least this wide (zoomed out they are clutter).
_LINKED_MIN = 6.0
_DRAG_START = 4
_LEFT_MIDDLE = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft


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


def _longest(starts: list[float], ends: list[float]) -> float:
    return max((end - start for start, end in zip(starts, ends, strict=True)), default=0.0)


def _luminance(colour: QColor) -> float:
    return 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()


class _Lane:
    """One docking port: its stays sorted by docking time, with what painting needs."""

    __slots__ = (
        "cats",
        "conflict_spans",
        "ends",
        "ids",
        "line",
        "location_id",
        "max_stay",
        "open",
        "port_name",
        "rows",
        "starts",
        "station_id",
        "station_name",
    )

    def __init__(
        self,
        station_id: int | None,
        station_name: str,
        location_id: int | None,
        port_name: str,
        rows: list[EventRow],
        now: float,
    ) -> None:
        rows.sort(key=attrgetter("docking_ts", "id"))
        self.station_id = station_id
        self.station_name = station_name
        self.location_id = location_id
        self.port_name = port_name
        self.rows = rows
        self.ids = [row.id for row in rows]
        self.starts = [row.docking_ts for row in rows]
        self.ends = [
            max(row.docking_ts, row.departure_ts if row.departure_ts is not None else now)
            for row in rows
        ]
        self.open = [i for i, row in enumerate(rows) if row.departure_ts is None]
        self.max_stay = _longest(self.starts, self.ends)
        self.cats: list[int] = []
        self.conflict_spans: list[tuple[float, float]] = []
        self.line = -1

    def refresh_now(self, now: float) -> None:
        for i in self.open:
            self.ends[i] = max(self.starts[i], now)
        self.max_stay = _longest(self.starts, self.ends)

    def visible_span(self, start: float, end: float) -> range:
        """Positions of the stays that may meet [start, end] (check ``ends`` for the rest)."""
        return range(
            bisect_left(self.starts, start - self.max_stay), bisect_right(self.starts, end)
        )


class _Index:
    """Event id → (lane, position in the lane), built with C-speed dict updates."""

    __slots__ = ("lanes", "positions")

    def __init__(self, lanes: list[_Lane]) -> None:
        self.lanes: dict[int, _Lane] = {}
        self.positions: dict[int, int] = {}
        for lane in lanes:
            self.lanes.update(dict.fromkeys(lane.ids, lane))
            self.positions.update(zip(lane.ids, range(len(lane.ids)), strict=True))

    def get(self, event_id: int) -> tuple[_Lane, int] | None:
        lane = self.lanes.get(event_id)
        return None if lane is None else (lane, self.positions[event_id])

    def __contains__(self, event_id: object) -> bool:
        return event_id in self.lanes

    def __getitem__(self, event_id: int) -> tuple[_Lane, int]:
        return self.lanes[event_id], self.positions[event_id]


class _Line:
    """A row of the picture: a station header (lane None) or a port's lane."""

    __slots__ = ("height", "lane", "station_name", "text", "top")

    def __init__(
        self, text: str, station_name: str, lane: _Lane | None, top: float, height: float
    ) -> None:
        self.text = text
        self.station_name = station_name
        self.lane = lane
        self.top = top
        self.height = height


class _Header(QWidget):
    """The strip above the canvas: colour mode, zoom buttons and a one-line summary."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(4)
        layout.addWidget(QLabel("Colour by:"))
        self.agency = self._button("Agency", "timelineColourAgency", "Colour the bars by agency")
        self.type = self._button(
            "Type", "timelineColourType", "Colour the bars by vehicle type (Soyuz, Progress, …)"
        )
        self.agency.setCheckable(True)
        self.type.setCheckable(True)
        self.agency.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.addButton(self.agency)
        self.group.addButton(self.type)
        layout.addWidget(self.agency)
        layout.addWidget(self.type)
        layout.addSpacing(12)
        self.summary = named(QLabel(), "timelineSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.summary, 1)
        self.fit_all = self._button("Fit all", "timelineFitAll", "Show every docking (Home)")
        self.last_year = self._button(
            "Last year", "timelineLastYear", "Show the last twelve months (End)"
        )
        self.zoom_out = self._button("\u2212", "timelineZoomOut", "Zoom out (-)")
        self.zoom_in = self._button("+", "timelineZoomIn", "Zoom in (+)")
        for button in (self.fit_all, self.last_year, self.zoom_out, self.zoom_in):
            layout.addWidget(button)

    def _button(self, text: str, object_name: str, tip: str) -> QToolButton:
        button = named(QToolButton(self), object_name, tip.split(" (")[0])
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button


class TimelineView(QWidget):
    """Port occupancy over time for the events the table's filters let through."""

    #: A bar was clicked (or Enter pressed on the focused bar): select it in the table.
    eventActivated = Signal(int)
    #: The lanes were rebuilt from the proxy (after a burst of its signals, coalesced).
    rebuilt = Signal()

    def __init__(self, proxy: EventFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "timelineView", "Docking timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(QSize(360, 220))
        self._proxy = proxy
        model = proxy.sourceModel()
        self._utc = bool(getattr(model, "utc", False))
        self._zone: tzinfo = UTC if self._utc else local_zone()
        self._mode = "agency"
        self._now = time.time()

        # Data, rebuilt from the proxy.
        self._lanes: list[_Lane] = []
        self._lines: list[_Line] = []
        self._tops: list[float] = []
        self._content_height = 0.0
        self._index = _Index([])
        self._extent: tuple[float, float] | None = None
        self.conflicts: list[tuple[int, int]] = []
        self.relocations: list[tuple[int, int]] = []
        self._conflict_of: dict[int, list[int]] = {}
        self._moved_from: dict[int, int] = {}
        self._moved_to: dict[int, int] = {}
        self._colours: list[QColor] = []
        self._legend: list[tuple[str, QColor]] = []
        self._data_version = 0
        self._had_data = False
        self._forced = True
        self._shown: frozenset[int] = frozenset()

        # View state: the time at the plot's left edge and the seconds it spans.
        self._t0 = self._now - 10 * _YEAR
        self._span = 10 * _YEAR
        self._selected: int | None = None
        self._marked: frozenset[int] = frozenset()  # several selected at once (an issue's)
        self._focus_id: int | None = None
        self._hover: int | None = None
        self._press: tuple[QPointF, float, int] | None = None
        self._dragging = False

        # Geometry, recomputed on resize, font change and rebuild.
        self._plot = QRectF()
        self._gutter = 160.0
        self._axis_height = 36.0
        self._legend_height = 24.0
        self._lane_height = 20.0
        self._station_height = 22.0

        self._layer: QPixmap | None = None
        self._layer_key: tuple[object, ...] | None = None
        self.last_paint: dict[str, float] = {"ms": 0.0, "bars": 0, "cached": 0}

        self._header = _Header(self)
        self._header.agency.clicked.connect(lambda: self.set_colour_mode("agency"))
        self._header.type.clicked.connect(lambda: self.set_colour_mode("type"))
        self._header.fit_all.clicked.connect(self.fit_all)
        self._header.last_year.clicked.connect(self.last_year)
        self._header.zoom_in.clicked.connect(lambda: self.zoom(1.5))
        self._header.zoom_out.clicked.connect(lambda: self.zoom(1 / 1.5))
        self._scroll = named(QScrollBar(Qt.Orientation.Vertical, self), "timelineScroll")
        self._scroll.valueChanged.connect(self._scrolled)
        self._scroll.hide()

        self._stale = True
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(0)
        self._rebuild_timer.timeout.connect(self._rebuild)
        # A layoutChanged may be only the table's new sort order: then the rows are the same
        # and the rebuild is skipped. The others always rebuild.
        proxy.layoutChanged.connect(self._layout_changed)
        proxy.modelReset.connect(self._schedule_rebuild)
        proxy.rowsInserted.connect(self._schedule_rebuild)
        proxy.rowsRemoved.connect(self._schedule_rebuild)
        proxy.dataChanged.connect(self._data_changed)

        self.setToolTip("")
        self._rebuild()
        self.fit_all()

    # -- public API ---------------------------------------------------------------------------

    def proxy(self) -> EventFilterProxy:
        """The table's filter proxy this view follows."""
        return self._proxy

    @property
    def now(self) -> float:
        """The clock the still-docked bars run to (the table model's, re-read on changes)."""
        return self._now

    @property
    def colour_mode(self) -> str:
        return self._mode

    def set_colour_mode(self, mode: str) -> None:
        """Colour the bars by "agency" or by vehicle "type" (the config's family)."""
        if mode not in COLOUR_MODES:
            raise ValueError(f"colour mode must be one of {COLOUR_MODES}, not {mode!r}")
        (self._header.agency if mode == "agency" else self._header.type).setChecked(True)
        if mode == self._mode:
            return
        self._mode = mode
        self._assign_colours()
        self._relayout()
        self._invalidate()

    def set_utc(self, utc: bool) -> None:
        """Axis labels and tooltips in UTC or in local time."""
        if utc == self._utc:
            return
        self._utc = utc
        self._zone = UTC if utc else local_zone()
        self._invalidate()

    def fit_all(self) -> None:
        """Show every docking the filters let through, with a little room on both sides."""
        if self._extent is None:
            self.set_visible_range(self._now - 10 * _YEAR, self._now + 0.3 * _YEAR)
            return
        start, end = self._extent
        margin = max((end - start) * 0.02, 3600.0)
        self.set_visible_range(start - margin, end + margin)

    def last_year(self) -> None:
        """The twelve months up to now, and a little room after the "now" line."""
        self.set_visible_range(self._now - 365 * _DAY, self._now + 12 * _DAY)

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the time under ``anchor_x`` where it is."""
        if factor <= 0 or not math.isfinite(factor):
            return
        plot = self._plot
        x = plot.center().x() if anchor_x is None else anchor_x
        anchor = self.x_to_time(x)
        span = min(max(self._span / factor, MIN_SPAN), MAX_SPAN)
        fraction = (x - plot.left()) / plot.width() if plot.width() > 0 else 0.5
        self._set_view(anchor - fraction * span, span)

    def pan(self, dx: float) -> None:
        """Move the picture ``dx`` pixels to the right (earlier times come into view)."""
        self._set_view(self._t0 - dx * self.seconds_per_pixel(), self._span)

    def set_visible_range(self, start: float, end: float) -> None:
        """Show exactly [start, end] across the plot's width (clamped to the zoom limits)."""
        if not (math.isfinite(start) and math.isfinite(end)) or end <= start:
            return
        span = min(max(end - start, MIN_SPAN), MAX_SPAN)
        centre = (start + end) / 2
        self._set_view(centre - span / 2, span, clamp=False)

    def visible_range(self) -> tuple[float, float]:
        return self._t0, self._t0 + self._span

    def seconds_per_pixel(self) -> float:
        width = self._plot.width()
        return self._span / width if width > 0 else self._span

    def time_to_x(self, ts: float) -> float:
        plot = self._plot
        return plot.left() + (ts - self._t0) * plot.width() / self._span

    def x_to_time(self, x: float) -> float:
        plot = self._plot
        width = plot.width() if plot.width() > 0 else 1.0
        return self._t0 + (x - plot.left()) * self._span / width

    def plot_rect(self) -> QRectF:
        """Where the bars are drawn, in this widget's coordinates (below the axis, right of
        the port names, above the legend)."""
        return QRectF(self._plot)

    def bar_rect(self, event_id: int) -> QRectF | None:
        """A bar's rectangle in this widget's coordinates (it may lie outside the plot), or
        None when the filters hide the event. A still-docked bar ends at ``now``."""
        found = self._index.get(event_id)
        if found is None:
            return None
        lane, i = found
        line = self._lines[lane.line]
        x1 = self.time_to_x(lane.starts[i])
        x2 = self.time_to_x(lane.ends[i])
        top, height = self._bar_band(line)
        return QRectF(x1, top, max(x2 - x1, 0.0), height)

    def lane_of(self, event_id: int) -> int | None:
        """The row (counting station headers) the event's port is drawn in."""
        found = self._index.get(event_id)
        return found[0].line if found is not None else None

    def lanes(self) -> list[tuple[str, str | None]]:
        """Every row top to bottom: (station, port), port None for a station's header row."""
        return [
            (line.station_name, line.lane.port_name if line.lane else None) for line in self._lines
        ]

    def event_at(self, pos: QPointF | QPoint) -> int | None:
        """The event whose bar is at ``pos`` (a few pixels' grace for thin bars), or None."""
        point = QPointF(pos)
        plot = self._plot
        if not plot.contains(point):
            return None
        line = self._line_at(point.y())
        if line is None or line.lane is None:
            return None
        lane = line.lane
        t = self.x_to_time(point.x())
        grace = 3 * self.seconds_per_pixel()
        best: tuple[float, float, int] | None = None
        for i in lane.visible_span(t - grace, t + grace):
            start, end = lane.starts[i], lane.ends[i]
            if end < t - grace:
                continue
            distance = 0.0 if start <= t <= end else min(abs(start - t), abs(end - t))
            # Inside beats near; among overlapping stays the later one is drawn on top.
            key = (distance, -start, i)
            if best is None or key < best:
                best = key
        return lane.ids[best[2]] if best is not None else None

    def scroll_to_event(self, event_id: int) -> None:
        """Bring an event's bar into view and show it selected. The zoom stays, unless the
        bar is wider than the view; then the view zooms out to show all of it."""
        found = self._index.get(event_id)
        self._selected = event_id
        if found is None:
            self.update()
            return
        self._focus_id = event_id
        self._reveal(*found)
        self.update()

    def selected_event(self) -> int | None:
        return self._selected

    def mark_events(self, event_ids: Iterable[int]) -> None:
        """Outline these events as selected too: the table's selection when it holds several
        (a data issue's events)."""
        marked = frozenset(event_ids)
        if marked != self._marked:
            self._marked = marked
            self.update()

    def marked_events(self) -> frozenset[int]:
        return self._marked

    def focused_event(self) -> int | None:
        return self._focus_id

    def tick_unit(self) -> str:
        """The unit of the axis ticks at this zoom: "year", "month", "day" or "hour"."""
        return self._ticks()[0]

    def tick_labels(self) -> list[tuple[float, str]]:
        """The axis's tick labels now shown: (x in widget coordinates, text)."""
        _, ticks, _ = self._ticks()
        left, right = self._plot.left(), self._plot.right()
        return [(x, text) for ts, text in ticks if left <= (x := self.time_to_x(ts)) <= right]

    def legend_items(self) -> list[tuple[str, QColor]]:
        """The legend's entries in order: up to ten names, then "other" when it is used."""
        return list(self._legend)

    def bar_colour(self, event_id: int) -> QColor | None:
        found = self._index.get(event_id)
        if found is None:
            return None
        lane, i = found
        return QColor(self._colours[lane.cats[i]])

    def tooltip_text(self, event_id: int) -> str | None:
        """What hovering the bar says: vehicle, port, dates, how long it stayed, and any
        overlap or relocation."""
        found = self._index.get(event_id)
        if found is None:
            return None
        lane, i = found
        row = lane.rows[i]
        name = row.spacecraft_name or "Unknown vehicle"
        serial = row.serial_number
        lines = [f"{name} ({serial})" if serial and serial not in name else name]
        kind = " · ".join(part for part in (row.config_name, row.agency_name) if part)
        if kind:
            lines.append(kind)
        lines.append(f"{lane.port_name}, {lane.station_name}")
        zone = "UTC" if self._utc else "local time"
        docked = format_time(row.docking_ts, self._zone)
        if row.departure_ts is not None:
            lines.append(f"{docked} → {format_time(row.departure_ts, self._zone)} ({zone})")
            lines.append(f"Docked for {format_stay(row.stay_seconds(self._now))}")
        elif row.gone:
            lines.append(f"{docked} ({zone}) → no departure known (gone upstream)")
        else:
            lines.append(f"{docked} ({zone}) → docked now")
            lines.append(f"Docked for {format_stay(row.stay_seconds(self._now))} so far")
        for other in self._conflict_of.get(event_id, []):
            other_found = self._index.get(other)
            if other_found is not None:
                other_row = other_found[0].rows[other_found[1]]
                label = other_row.spacecraft_name or f"event {other}"
                lines.append(f"⚠ Overlaps {label} on this port (data conflict)")
        moved_from = self._moved_from.get(event_id)
        if moved_from is not None and moved_from in self._index:
            before, _ = self._index[moved_from]
            lines.append(f"Relocated from {before.port_name} ({before.station_name})")
        moved_to = self._moved_to.get(event_id)
        if moved_to is not None and moved_to in self._index:
            after, _ = self._index[moved_to]
            lines.append(f"Relocated to {after.port_name} ({after.station_name})")
        return "\n".join(lines)

    # -- following the proxy ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._rebuild()
            if self._selected is not None:
                self.scroll_to_event(self._selected)

    def _schedule_rebuild(self, *_: object) -> None:
        self._forced = True
        self._rebuild_timer.start()

    def _layout_changed(self, *_: object) -> None:
        self._rebuild_timer.start()

    def _data_changed(self, _top: object, _bottom: object, roles: Iterable[int] = ()) -> None:
        if list(roles):
            # How rows look (time zone, the clock, sync marks): only the clock matters here.
            model = self._proxy.sourceModel()
            now = getattr(model, "now", None)
            if isinstance(now, float) and now != self._now:
                self._now = now
                for lane in self._lanes:
                    if lane.open:
                        lane.refresh_now(now)
                self._extent = self._compute_extent()
                self._invalidate()
            return
        self._schedule_rebuild()

    def _rebuild(self) -> None:
        """Re-read the proxy's visible rows: lanes, colours, overlaps and relocations.

        Only while shown: behind another tab the work (~75 ms at 50,000 events) would slow
        every filter change in the table for nothing; showEvent catches up."""
        self._rebuild_timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        model = self._proxy.sourceModel()
        rows = self._proxy.visible_rows() if model is not None else []
        # The lanes hold the row objects, so their ids stay unique while compared.
        shown = frozenset(map(id, rows))
        if not self._forced and shown == self._shown:
            self.rebuilt.emit()
            return
        self._forced = False
        self._shown = shown
        # Building makes some 100,000 small objects at 50,000 events; the cyclic collector
        # would walk the whole heap several times meanwhile (measured: 130 ms instead of 75).
        with collector_paused():
            self._build_lanes(model, rows)
        self._relayout()
        if not self._had_data and self._extent is not None:
            self.fit_all()
        else:
            self._set_view(self._t0, self._span)
        self._invalidate()
        self.rebuilt.emit()

    def _build_lanes(self, model: QAbstractItemModel | None, rows: list[EventRow]) -> None:
        now = getattr(model, "now", None)
        self._now = now if isinstance(now, float) else time.time()
        had_data = self._extent is not None

        grouped: dict[tuple[int | None, int | None], list[EventRow]] = {}
        for row in rows:
            key = (row.station_id, row.location_id)
            bucket = grouped.get(key)
            if bucket is None:
                grouped[key] = [row]
            else:
                bucket.append(row)
        stations: dict[int | None, list[_Lane]] = {}
        for (station_id, location_id), members in grouped.items():
            first = members[0]
            station_name = first.station_name or (
                f"Station {station_id}" if station_id is not None else "Unknown station"
            )
            port_name = first.location_name or (
                f"Port {location_id}" if location_id is not None else "Unknown port"
            )
            lane = _Lane(station_id, station_name, location_id, port_name, members, self._now)
            stations.setdefault(station_id, []).append(lane)

        def station_order(item: tuple[int | None, list[_Lane]]) -> tuple[float, str]:
            lanes = item[1]
            latest = max(max(lane.ends) for lane in lanes)
            return (-latest, lanes[0].station_name.casefold())

        self._lanes = []
        self._lines = []
        top = 0.0
        for _, lanes in sorted(stations.items(), key=station_order):
            lanes.sort(key=lambda lane: (lane.port_name.casefold(), lane.location_id or 0))
            station = lanes[0].station_name
            self._lines.append(_Line(station, station, None, top, self._station_height))
            top += self._station_height
            for lane in lanes:
                lane.line = len(self._lines)
                self._lines.append(_Line(lane.port_name, station, lane, top, self._lane_height))
                self._lanes.append(lane)
                top += self._lane_height
        self._tops = [line.top for line in self._lines]
        self._content_height = top
        self._index = _Index(self._lanes)
        self._find_conflicts()
        self._find_relocations(rows)
        self._extent = self._compute_extent()
        self._assign_colours()
        self._data_version += 1
        self._update_summary(len(rows))
        self._had_data = had_data

    def _compute_extent(self) -> tuple[float, float] | None:
        if not self._lanes:
            return None
        start = min(lane.starts[0] for lane in self._lanes)
        end = max(max(lane.ends) for lane in self._lanes)
        return start, end

    def _find_conflicts(self) -> None:
        """Stays that overlap on one port: each pair once, and the overlapping stretch."""
        pairs: list[tuple[int, int]] = []
        for lane in self._lanes:
            lane.conflict_spans = []
            if lane.location_id is None:
                continue  # "Unknown port" gathers unrelated stays: no conflict to claim
            starts, ends, ids = lane.starts, lane.ends, lane.ids
            active: list[int] = []
            active_until = -math.inf  # the latest end among the active stays
            for i in range(len(starts)):
                start = starts[i]
                if start >= active_until:
                    # The usual case: every earlier stay has ended.
                    active = [i]
                    active_until = ends[i]
                    continue
                active = [j for j in active if ends[j] > start]
                for j in active:
                    pairs.append((ids[j], ids[i]))
                    lane.conflict_spans.append((start, min(ends[i], ends[j])))
                active.append(i)
                active_until = max(active_until, ends[i])
            lane.conflict_spans = _merged(lane.conflict_spans)
        self.conflicts = pairs
        conflict_of: dict[int, list[int]] = {}
        for first, second in pairs:
            conflict_of.setdefault(first, []).append(second)
            conflict_of.setdefault(second, []).append(first)
        self._conflict_of = conflict_of

    def _find_relocations(self, rows: list[EventRow]) -> None:
        """Consecutive stays of one flight vehicle at different ports."""
        flights: dict[int, list[EventRow]] = {}
        for row in rows:
            if row.flight_vehicle_id is not None:
                flights.setdefault(row.flight_vehicle_id, []).append(row)
        pairs: list[tuple[int, int]] = []
        for members in flights.values():
            if len(members) < 2:
                continue
            members.sort(key=attrgetter("docking_ts", "id"))
            for before, after in pairwise(members):
                if (before.station_id, before.location_id) != (
                    after.station_id,
                    after.location_id,
                ):
                    pairs.append((before.id, after.id))
        pairs.sort(key=lambda pair: self._index[pair[0]][0].starts[self._index[pair[0]][1]])
        self.relocations = pairs
        self._moved_to = {before: after for before, after in pairs}
        self._moved_from = {after: before for before, after in pairs}

    def _assign_colours(self) -> None:
        """The ten commonest names get colours (a name's preferred colour where it has one,
        so ROSCOSMOS stays red whatever the filters), everything else is "other"."""
        category = self._category_function()
        names_by_lane = [[category(row) for row in lane.rows] for lane in self._lanes]
        counts = Counter(name for names in names_by_lane for name in names)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        top = [name for name, _ in ranked[:LEGEND_TOP]]
        preferred = PREFERRED_COLOURS[self._mode]
        taken = {preferred[name] for name in top if name in preferred}
        free = [slot for slot in range(len(BAR_COLOURS)) if slot not in taken]
        slot_of: dict[str, int] = {}
        for name in top:
            if name in preferred:
                slot_of[name] = preferred[name]
            else:
                slot_of[name] = free.pop(0)
        palette = [QColor(code) for code in BAR_COLOURS] + [QColor(OTHER_COLOUR)]
        other = len(BAR_COLOURS)
        for lane, names in zip(self._lanes, names_by_lane, strict=True):
            lane.cats = [slot_of.get(name, other) for name in names]
        self._colours = palette
        legend = [(name, palette[slot_of[name]]) for name in top]
        if len(counts) > len(top):
            legend.append((OTHER, palette[other]))
        self._legend = legend

    def _category_function(self) -> Callable[[EventRow], str]:
        memo: dict[str | None, str] = {}
        if self._mode == "agency":

            def by_agency(row: EventRow) -> str:
                name = row.agency_name
                found = memo.get(name)
                if found is None:
                    found = memo[name] = agency_short(name)
                return found

            return by_agency

        def by_type(row: EventRow) -> str:
            name = row.config_name
            found = memo.get(name)
            if found is None:
                found = memo[name] = vehicle_family(name)
            return found

        return by_type

    def _update_summary(self, count: int) -> None:
        parts = [
            f"{count:,} docking{'s' if count != 1 else ''}",
            f"{len(self._lanes)} port{'s' if len(self._lanes) != 1 else ''}",
        ]
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} overlap{'s' if len(self.conflicts) != 1 else ''}")
        if self.relocations:
            parts.append(
                f"{len(self.relocations)} relocation{'s' if len(self.relocations) != 1 else ''}"
            )
        text = " · ".join(parts)
        self._header.summary.setText(text)
        self.setAccessibleDescription(f"Timeline of {text}")

    # -- view state ---------------------------------------------------------------------------

    def _set_view(self, t0: float, span: float, *, clamp: bool = True) -> None:
        span = min(max(span, MIN_SPAN), MAX_SPAN)
        if clamp and self._extent is not None:
            # Keep at least a tenth of the view on the data.
            start, end = self._extent
            t0 = min(max(t0, start - 0.9 * span), end - 0.1 * span)
        if (t0, span) != (self._t0, self._span):
            self._t0, self._span = t0, span
            self._invalidate()

    def _reveal(self, lane: _Lane, i: int) -> None:
        start, end = lane.starts[i], lane.ends[i]
        view_start, view_end = self.visible_range()
        length = end - start
        if length > self._span * 0.9:
            margin = length * 0.08
            self.set_visible_range(start - margin, end + margin)
        elif start < view_start or end > view_end:
            self._set_view((start + end) / 2 - self._span / 2, self._span, clamp=False)
        line = self._lines[lane.line]
        visible = self._plot.height()
        value = self._scroll.value()
        if line.top < value:
            self._scroll.setValue(int(line.top) - int(self._station_height))
        elif line.top + line.height > value + visible:
            self._scroll.setValue(int(line.top + line.height - visible) + 1)

    def _scrolled(self, _value: int) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        self._layer_key = None
        self.update()

    # -- geometry -----------------------------------------------------------------------------

    def _relayout(self) -> None:
        """Place the header and scroll bar; compute the gutter, axis, legend and plot."""
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        self._station_height = max(18.0, math.ceil(line + 7))
        base_lane = max(16.0, math.ceil(line + 5))
        header_height = self._header.sizeHint().height()
        self._header.setGeometry(0, 0, self.width(), header_height)
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetricsF(bold)
        widest = 0.0
        for entry in self._lines:
            if entry.lane is None:
                widest = max(widest, bold_metrics.horizontalAdvance(entry.text) + 12)
            else:
                widest = max(widest, metrics.horizontalAdvance(entry.text) + 24)
        self._gutter = min(max(widest, 120.0), max(160.0, self.width() * 0.22))
        self._axis_height = math.ceil(2 * line + 10)
        self._legend_height = self._legend_layout(self.width())[1]
        top = header_height + self._axis_height
        bottom = self.height() - self._legend_height
        available = max(bottom - top, 1.0)
        # A few lanes grow (up to 1.6 times) into the room there is; a few too many shrink a
        # little (down to the text's height) before a scroll bar is needed.
        lanes = len(self._lanes)
        stations = len(self._lines) - lanes
        lanes_room = available - stations * self._station_height
        lane_height = base_lane
        if lanes and lanes_room > lanes * base_lane:
            lane_height = min(lanes_room / lanes, base_lane * 1.6)
        elif lanes:
            lane_height = max(lanes_room / lanes, max(14.0, math.ceil(line + 1)))
        self._lane_height = float(math.floor(lane_height))
        row_top = 0.0
        for entry in self._lines:
            entry.top = row_top
            entry.height = self._lane_height if entry.lane else self._station_height
            row_top += entry.height
        self._tops = [entry.top for entry in self._lines]
        self._content_height = row_top
        overflow = self._content_height > available
        scroll_width = self._scroll.sizeHint().width() if overflow else 0
        right = self.width() - scroll_width
        self._plot = QRectF(self._gutter, top, max(right - self._gutter, 1.0), available)
        if overflow:
            self._scroll.setGeometry(int(right), int(top), scroll_width, int(available))
            self._scroll.setRange(0, math.ceil(self._content_height - available))
            self._scroll.setPageStep(int(available))
            self._scroll.setSingleStep(int(self._lane_height))
            self._scroll.show()
        else:
            self._scroll.setRange(0, 0)
            self._scroll.hide()

    def _bar_band(self, line: _Line) -> tuple[float, float]:
        """Top and height of the bars in a lane, in widget coordinates."""
        top = self._plot.top() + line.top - self._scroll.value()
        return top + 3.0, line.height - 6.0

    def _line_at(self, y: float) -> _Line | None:
        content_y = y - self._plot.top() + self._scroll.value()
        if content_y < 0 or content_y >= self._content_height:
            return None
        position = bisect_right(self._tops, content_y) - 1
        return self._lines[position] if position >= 0 else None

    def _legend_entries(self) -> list[tuple[str, QColor | None, str]]:
        """(text, swatch colour or None, mark) — mark names a special swatch."""
        entries: list[tuple[str, QColor | None, str]] = [
            (name, colour, "") for name, colour in self._legend
        ]
        if any(lane.open for lane in self._lanes):
            entries.append(("docked now", None, "open"))
        if self.conflicts:
            entries.append(("overlap (data conflict)", None, "conflict"))
        if self.relocations:
            entries.append(("relocation", None, "relocation"))
        return entries

    def _legend_layout(self, width: float) -> tuple[list[tuple[float, float, int]], float]:
        """Where each legend entry goes: [(x, row, entry index)] and the strip's height."""
        metrics = QFontMetricsF(self.font())
        row_height = metrics.height() + 6
        x, row = 8.0, 0
        placed: list[tuple[float, float, int]] = []
        for number, (text, _, _) in enumerate(self._legend_entries()):
            item_width = 22 + metrics.horizontalAdvance(text) + 14
            if x + item_width > width - 8 and x > 8:
                row += 1
                x = 8.0
            placed.append((x, row, number))
            x += item_width
        rows = row + 1 if placed else 1
        return placed, rows * row_height + 6

    # -- axis ---------------------------------------------------------------------------------

    def _ticks(self) -> tuple[str, list[tuple[float, str]], list[tuple[float, str]]]:
        """(unit, ticks, context) for the visible range: each a (time, label) list."""
        metrics = QFontMetricsF(self.font())
        seconds_per_pixel = self.seconds_per_pixel()
        unit, count = "year", 50
        for candidate, step, seconds in _TICK_STEPS:
            needed = metrics.horizontalAdvance(_TICK_SAMPLE[candidate]) + 18
            if step == 1 and candidate == "month":
                needed += 4
            if seconds / seconds_per_pixel >= needed:
                unit, count = candidate, step
                break
        start, end = self.visible_range()
        zone = self._zone
        return (
            unit,
            _tick_times(unit, count, start, end, zone),
            _context_times(unit, start, end, zone),
        )

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        began = time.perf_counter()
        dpr = self.devicePixelRatioF()
        key = (
            self.width(),
            self.height(),
            dpr,
            self._t0,
            self._span,
            self._scroll.value(),
            self._data_version,
            self._mode,
            self._utc,
            self.palette().cacheKey(),
            self.font().key(),
        )
        cached = key == self._layer_key and self._layer is not None
        if not cached:
            layer = QPixmap(
                QSize(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
            )
            layer.setDevicePixelRatio(dpr)
            painter = QPainter(layer)
            try:
                bars = self._paint_layer(painter)
            finally:
                painter.end()
            self._layer = layer
            self._layer_key = key
            self.last_paint["bars"] = bars
        painter = QPainter(self)
        try:
            assert self._layer is not None
            painter.drawPixmap(0, 0, self._layer)
            self._paint_marks(painter)
        finally:
            painter.end()
        self.last_paint["ms"] = (time.perf_counter() - began) * 1000
        self.last_paint["cached"] = int(cached)

    def _paint_layer(self, painter: QPainter) -> int:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        painter.fillRect(QRectF(0, 0, self.width(), self.height()), window)
        plot = self._plot
        lanes_area = QRectF(0, plot.top(), plot.right(), plot.height())
        painter.fillRect(lanes_area, palette.color(QPalette.ColorRole.Base))
        first, last = self._visible_lines()
        self._paint_rows(painter, first, last)
        _, ticks, context = self._ticks()
        self._paint_grid(painter, ticks, context)
        painter.save()
        painter.setClipRect(plot)
        bars, labelled = self._paint_bars(painter, first, last)
        self._paint_conflicts(painter, first, last)
        self._paint_labels(painter, labelled)
        self._paint_relocations(painter)
        self._paint_now(painter)
        painter.restore()
        self._paint_gutter(painter, first, last)
        self._paint_axis(painter, ticks, context)
        self._paint_legend(painter)
        if not self._lines:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter,
                "No dockings match the filters.",
            )
        return bars

    def _visible_lines(self) -> tuple[int, int]:
        """The rows that meet the plot's height: [first, last)."""
        if not self._lines:
            return 0, 0
        value = self._scroll.value()
        first = max(0, bisect_right(self._tops, value) - 1)
        last = bisect_left(self._tops, value + self._plot.height())
        return first, min(last, len(self._lines))

    def _paint_rows(self, painter: QPainter, first: int, last: int) -> None:
        palette = self.palette()
        stripe = palette.color(QPalette.ColorRole.AlternateBase)
        header = QColor(palette.color(QPalette.ColorRole.Window))
        rule = QColor(palette.color(QPalette.ColorRole.Mid))
        plot = self._plot
        offset = plot.top() - self._scroll.value()
        painter.save()
        painter.setClipRect(QRectF(0, plot.top(), plot.right(), plot.height()))
        lane_number = 0
        for number in range(first, last):
            line = self._lines[number]
            rect = QRectF(0, offset + line.top, plot.right(), line.height)
            if line.lane is None:
                painter.fillRect(rect, header)
                painter.setPen(QPen(rule, 1))
                painter.drawLine(rect.bottomLeft(), rect.bottomRight())
                lane_number = 0
            else:
                if lane_number % 2:
                    painter.fillRect(rect, stripe)
                lane_number += 1
        painter.restore()

    def _paint_grid(
        self,
        painter: QPainter,
        ticks: list[tuple[float, str]],
        context: list[tuple[float, str]],
    ) -> None:
        plot = self._plot
        grid = QColor(self.palette().color(QPalette.ColorRole.Mid))
        grid.setAlpha(70)
        strong = QColor(grid)
        strong.setAlpha(150)
        painter.save()
        painter.setClipRect(plot)
        painter.setPen(QPen(grid, 1))
        for ts, _ in ticks:
            x = round(self.time_to_x(ts)) + 0.5
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(QPen(strong, 1))
        for ts, _ in context:
            x = round(self.time_to_x(ts)) + 0.5
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.restore()

    def _paint_bars(
        self, painter: QPainter, first: int, last: int
    ) -> tuple[int, list[tuple[QRectF, _Lane, int, QColor]]]:
        """Every bar that meets the visible range in the visible rows; returns how many, and
        the bars wide enough for a name."""
        plot = self._plot
        left, right = plot.left(), plot.right()
        t0 = self._t0
        scale = plot.width() / self._span
        start_time, end_time = self.visible_range()
        colours = self._colours
        runs: list[list[QRectF]] = [[] for _ in colours]
        wide: list[list[tuple[float, float, float, float, _Lane, int]]] = [[] for _ in colours]
        count = 0
        for number in range(first, last):
            line = self._lines[number]
            lane = line.lane
            if lane is None:
                continue
            top, height = self._bar_band(line)
            starts, ends, cats = lane.starts, lane.ends, lane.cats
            run_cat = -1
            run_x1 = run_x2 = 0.0
            for i in lane.visible_span(start_time, end_time):
                end = ends[i]
                if end < start_time:
                    continue
                count += 1
                x1 = left + (starts[i] - t0) * scale
                x2 = left + (end - t0) * scale
                cat = cats[i]
                if x2 - x1 >= _WIDE:
                    wide[cat].append((x1, x2, top, height, lane, i))
                    continue
                if cat == run_cat and x1 - run_x2 < 1.0:
                    if x2 > run_x2:
                        run_x2 = x2
                    continue
                if run_cat >= 0:
                    runs[run_cat].append(QRectF(run_x1, top, max(run_x2 - run_x1, 1.0), height))
                run_cat, run_x1, run_x2 = cat, x1, x2
            if run_cat >= 0:
                runs[run_cat].append(QRectF(run_x1, top, max(run_x2 - run_x1, 1.0), height))

        painter.setPen(Qt.PenStyle.NoPen)
        for cat, rects in enumerate(runs):
            if rects:
                painter.setBrush(colours[cat])
                painter.drawRects(rects)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        labelled: list[tuple[QRectF, _Lane, int, QColor]] = []
        for cat, bars in enumerate(wide):
            if not bars:
                continue
            colour = colours[cat]
            painter.setBrush(colour)
            painter.setPen(QPen(colour.darker(135), 1))
            for x1, x2, top, height, lane, i in bars:
                # Clip far-off ends so huge coordinates never reach the paint engine; leave
                # a pixel between back-to-back stays so the gap between them shows.
                x1 = max(x1, left - 8)
                x2 = min(x2, right + 8)
                rect = QRectF(x1 + 0.5, top + 0.5, max(x2 - x1 - 1.5, 1.0), height - 1)
                painter.drawRoundedRect(rect, 3, 3)
                if rect.width() >= _LABEL_MIN:
                    labelled.append((rect, lane, i, colour))
        self._paint_open_ends(painter, first, last)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        return count, labelled

    def _paint_open_ends(self, painter: QPainter, first: int, last: int) -> None:
        """Still-docked bars end in an arrow head at "now"; stays that vanished upstream with
        no departure end in a dashed edge."""
        start_time, end_time = self.visible_range()
        now_x = self.time_to_x(self._now)
        for number in range(first, last):
            line = self._lines[number]
            lane = line.lane
            if lane is None or not lane.open:
                continue
            top, height = self._bar_band(line)
            for i in lane.open:
                if lane.ends[i] < start_time or lane.starts[i] > end_time:
                    continue
                row = lane.rows[i]
                colour = self._colours[lane.cats[i]]
                x1 = max(self.time_to_x(lane.starts[i]), self._plot.left() - 8)
                if row.gone:
                    text = self.palette().color(QPalette.ColorRole.Text)
                    painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(QRectF(x1, top, max(now_x - x1, 1.0), height))
                    continue
                # A tail that brightens towards "now", then a head pointing past it.
                tail = min(48.0, max(now_x - x1, 0.0))
                gradient = QLinearGradient(now_x - tail, 0, now_x, 0)
                gradient.setColorAt(0.0, colour)
                gradient.setColorAt(1.0, colour.lighter(150))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(gradient)
                painter.drawRect(QRectF(now_x - tail, top + 1, tail, height - 2))
                head = QPolygonF(
                    [
                        QPointF(now_x - 1, top - 2),
                        QPointF(now_x + height * 0.7, top + height / 2),
                        QPointF(now_x - 1, top + height + 2),
                    ]
                )
                painter.setBrush(colour)
                painter.setPen(QPen(colour.darker(150), 1))
                painter.drawPolygon(head)

    def _paint_labels(
        self, painter: QPainter, labelled: list[tuple[QRectF, _Lane, int, QColor]]
    ) -> None:
        """Vehicle names inside bars wide enough, left to right per lane, never overlapping
        (stays that overlap on a port would otherwise print over each other)."""
        if not labelled:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.88))
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        plot = self._plot
        black, white = QColor("#111111"), QColor("#FFFFFF")
        labelled.sort(key=lambda entry: (entry[0].top(), entry[0].left()))
        lane_top, taken_until = -1.0, -math.inf
        for rect, lane, i, colour in labelled:
            if rect.top() != lane_top:
                lane_top, taken_until = rect.top(), -math.inf
            visible = rect.intersected(plot)
            if visible.left() < taken_until + 6:
                continue  # a name here would sit on another bar's stretch
            left = visible.left()
            room = visible.right() - left - 8
            if room < _LABEL_MIN - 8:
                continue
            row = lane.rows[i]
            text = row.spacecraft_name or row.config_name or f"#{row.id}"
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            if not elided or elided == "…":
                continue
            painter.setPen(black if _luminance(colour) > 0.55 else white)
            box = QRectF(left + 4, rect.top(), room, rect.height())
            painter.drawText(box, _LEFT_MIDDLE, elided)
            taken_until = left + 4 + metrics.horizontalAdvance(elided)
        painter.setFont(self.font())

    def _paint_conflicts(self, painter: QPainter, first: int, last: int) -> None:
        """The overlapping stretch of two stays on one port: hatched, in a warning colour."""
        warning = QColor(WARNING_COLOUR)
        hatch = QBrush(warning, Qt.BrushStyle.BDiagPattern)
        start_time, end_time = self.visible_range()
        for number in range(first, last):
            line = self._lines[number]
            lane = line.lane
            if lane is None or not lane.conflict_spans:
                continue
            top, height = self._bar_band(line)
            for start, end in lane.conflict_spans:
                if end < start_time or start > end_time:
                    continue
                x1 = max(self.time_to_x(start), self._plot.left() - 4)
                x2 = min(self.time_to_x(end), self._plot.right() + 4)
                rect = QRectF(x1, top - 2, max(x2 - x1, 3.0), height + 4)
                painter.setPen(QPen(warning, 2))
                painter.setBrush(hatch)
                painter.drawRect(rect)

    def _paint_relocations(self, painter: QPainter) -> None:
        """A thin curve from the end of one stay to the start of the same vehicle's next."""
        if not self.relocations:
            return
        start_time, end_time = self.visible_range()
        colour = QColor(self.palette().color(QPalette.ColorRole.Text))
        colour.setAlpha(170)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colour, 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        index = self._index
        plot = self._plot
        for before, after in self.relocations:
            lane_a, i = index[before]
            lane_b, j = index[after]
            end_a, start_b = lane_a.ends[i], lane_b.starts[j]
            if max(end_a, start_b) < start_time or min(end_a, start_b) > end_time:
                continue
            line_a, line_b = self._lines[lane_a.line], self._lines[lane_b.line]
            top_a, height_a = self._bar_band(line_a)
            top_b, height_b = self._bar_band(line_b)
            y_a, y_b = top_a + height_a / 2, top_b + height_b / 2
            if max(y_a, y_b) < plot.top() or min(y_a, y_b) > plot.bottom():
                continue
            x_a, x_b = self.time_to_x(end_a), self.time_to_x(start_b)
            if (
                x_a - self.time_to_x(lane_a.starts[i]) < _LINKED_MIN
                or self.time_to_x(lane_b.ends[j]) - x_b < _LINKED_MIN
            ):
                continue  # too thin to tell apart: the link would only hide the bars
            bend = 14.0
            path = QPainterPath(QPointF(x_a, y_a))
            path.cubicTo(QPointF(x_a + bend, y_a), QPointF(x_b - bend, y_b), QPointF(x_b, y_b))
            painter.drawPath(path)
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(x_a, y_a), 2.2, 2.2)
            painter.drawEllipse(QPointF(x_b, y_b), 2.2, 2.2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_now(self, painter: QPainter) -> None:
        x = self.time_to_x(self._now)
        plot = self._plot
        if not plot.left() <= x <= plot.right():
            return
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        pen = QPen(colour, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    def _paint_gutter(self, painter: QPainter, first: int, last: int) -> None:
        palette = self.palette()
        plot = self._plot
        gutter = QRectF(0, plot.top(), self._gutter, plot.height())
        painter.save()
        painter.setClipRect(gutter)
        rule = QColor(palette.color(QPalette.ColorRole.Mid))
        text = palette.color(QPalette.ColorRole.Text)
        window_text = palette.color(QPalette.ColorRole.WindowText)
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetricsF(self.font())
        bold_metrics = QFontMetricsF(bold)
        offset = plot.top() - self._scroll.value()
        for number in range(first, last):
            line = self._lines[number]
            if line.lane is None:
                painter.setFont(bold)
                painter.setPen(window_text)
                rect = QRectF(6, offset + line.top, self._gutter - 10, line.height)
                label = bold_metrics.elidedText(
                    line.text, Qt.TextElideMode.ElideRight, rect.width()
                )
            else:
                painter.setFont(self.font())
                painter.setPen(text)
                rect = QRectF(18, offset + line.top, self._gutter - 24, line.height)
                label = metrics.elidedText(line.text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(rect, _LEFT_MIDDLE, label)
        painter.setFont(self.font())
        painter.restore()
        painter.setPen(QPen(rule, 1))
        x = round(self._gutter) - 0.5
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    def _paint_axis(
        self,
        painter: QPainter,
        ticks: list[tuple[float, str]],
        context: list[tuple[float, str]],
    ) -> None:
        palette = self.palette()
        plot = self._plot
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        top = plot.top() - self._axis_height
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
        rule = palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(rule, 1))
        painter.drawLine(QPointF(0, plot.top() - 0.5), QPointF(self.width(), plot.top() - 0.5))
        painter.setPen(faint)
        painter.drawText(
            QRectF(6, top, self._gutter - 10, self._axis_height - 2),
            Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
            "UTC" if self._utc else "Local time",
        )
        painter.save()
        painter.setClipRect(QRectF(plot.left(), top, plot.width(), self._axis_height))
        # Context row (the year of month ticks, the month of day ticks, …): sticky at the left.
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        bold_metrics = QFontMetricsF(bold)
        painter.setPen(text)
        context_y = top + 3
        for number, (ts, label) in enumerate(context):
            x = max(self.time_to_x(ts), plot.left()) + 3
            width = bold_metrics.horizontalAdvance(label)
            if number + 1 < len(context):
                next_x = self.time_to_x(context[number + 1][0])
                x = min(x, next_x - width - 8)
                if x < plot.left():
                    continue  # pushed out by the next one
            painter.drawText(QPointF(x, context_y + bold_metrics.ascent()), label)
        painter.setFont(self.font())
        tick_y = top + line + 6
        for ts, label in ticks:
            x = self.time_to_x(ts)
            painter.setPen(QPen(rule, 1))
            painter.drawLine(
                QPointF(round(x) + 0.5, plot.top() - 5), QPointF(round(x) + 0.5, plot.top())
            )
            painter.setPen(text)
            painter.drawText(QPointF(x + 3, tick_y + metrics.ascent()), label)
        now_x = self.time_to_x(self._now)
        if plot.left() <= now_x <= plot.right():
            highlight = palette.color(QPalette.ColorRole.Highlight)
            label = "now"
            width = metrics.horizontalAdvance(label) + 8
            box = QRectF(now_x - width / 2, top + 2, width, line + 2)
            if box.right() > plot.right():
                box.moveRight(plot.right())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(highlight)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def _paint_legend(self, painter: QPainter) -> None:
        palette = self.palette()
        metrics = QFontMetricsF(self.font())
        row_height = metrics.height() + 6
        top = self.height() - self._legend_height
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(QPointF(0, top + 0.5), QPointF(self.width(), top + 0.5))
        entries = self._legend_entries()
        placed, _ = self._legend_layout(self.width())
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for x, row, number in placed:
            label, colour, mark = entries[number]
            y = top + 4 + row * row_height
            swatch = QRectF(x, y + (row_height - 10) / 2 - 1, 18, 10)
            if mark == "open":
                grey = QColor(OTHER_COLOUR)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(grey)
                painter.drawRect(QRectF(swatch.left(), swatch.top() + 1, 11, 8))
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(swatch.left() + 10, swatch.top() - 1),
                            QPointF(swatch.right(), swatch.center().y()),
                            QPointF(swatch.left() + 10, swatch.bottom() + 1),
                        ]
                    )
                )
            elif mark == "conflict":
                warning = QColor(WARNING_COLOUR)
                painter.setPen(QPen(warning, 2))
                painter.setBrush(QBrush(warning, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(swatch)
            elif mark == "relocation":
                line_colour = QColor(palette.color(QPalette.ColorRole.Text))
                painter.setPen(QPen(line_colour, 1.4))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                path = QPainterPath(QPointF(swatch.left(), swatch.top()))
                path.cubicTo(
                    QPointF(swatch.center().x(), swatch.top()),
                    QPointF(swatch.center().x(), swatch.bottom()),
                    QPointF(swatch.right(), swatch.bottom()),
                )
                painter.drawPath(path)
            else:
                assert colour is not None
                painter.setPen(QPen(colour.darker(135), 1))
                painter.setBrush(colour)
                painter.drawRoundedRect(swatch, 3, 3)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + 24, y, metrics.horizontalAdvance(label) + 4, row_height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_marks(self, painter: QPainter) -> None:
        """What changes without a new picture: selection, hover and keyboard focus."""
        plot = self._plot
        palette = self.palette()
        painter.save()
        painter.setClipRect(plot.adjusted(-1, -1, 1, 1))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._hover is not None and self._hover != self._selected:
            rect = self._shown_rect(self._hover)
            if rect is not None:
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1.5))
                painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)
        for selected in self._marked | ({self._selected} if self._selected is not None else set()):
            rect = self._shown_rect(selected)
            if rect is not None:
                highlight = palette.color(QPalette.ColorRole.Highlight)
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 4))
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)
                painter.setPen(QPen(highlight, 2.5))
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)
        if self.hasFocus() and self._focus_id is not None:
            rect = self._shown_rect(self._focus_id)
            if rect is not None:
                pen = QPen(palette.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DotLine)
                painter.setPen(pen)
                painter.drawRect(rect.adjusted(-4, -3, 4, 3))
        painter.restore()
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(plot.adjusted(0.5, 0.5, -0.5, -0.5))

    def _shown_rect(self, event_id: int) -> QRectF | None:
        rect = self.bar_rect(event_id)
        if rect is None:
            return None
        plot = self._plot
        left, right = max(rect.left(), plot.left() - 8), min(rect.right(), plot.right() + 8)
        if right < left:
            return None
        return QRectF(left, rect.top(), max(right - left, 2.0), rect.height())

    # -- input --------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._invalidate()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.FontChange or kind == QEvent.Type.StyleChange:
            self._relayout()
            self._invalidate()
        elif kind == QEvent.Type.PaletteChange:
            self._invalidate()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event)
            return True
        return super().event(event)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        point = QPointF(event.pos())
        event_id = self.event_at(point)
        text: str | None = None
        area = QRect()
        if event_id is not None:
            text = self.tooltip_text(event_id)
            shown = self._shown_rect(event_id)
            if shown is not None:
                # Moving onto another bar asks again instead of keeping this text.
                area = shown.toAlignedRect()
        elif point.x() < self._gutter and self._plot.top() <= point.y() <= self._plot.bottom():
            line = self._line_at(point.y())
            if line is not None:
                text = self._line_tooltip(line)
        elif self._plot.contains(point):
            text = "Wheel: zoom · Shift+wheel or drag: pan · click a bar to select it"
        if text:
            lines = text.split("\n")
            rich = "<b>" + html.escape(lines[0]) + "</b>"
            if len(lines) > 1:
                rich += "<br>" + "<br>".join(html.escape(line) for line in lines[1:])
            QToolTip.showText(
                event.globalPos(), f"<p style='white-space:pre'>{rich}</p>", self, area
            )
        else:
            QToolTip.hideText()

    def _line_tooltip(self, line: _Line) -> str:
        if line.lane is not None:
            count = len(line.lane.ids)
            return f"{line.text}\n{line.station_name}: {count} docking{'s' if count != 1 else ''}"
        lanes = [
            entry.lane
            for entry in self._lines
            if entry.lane is not None and entry.station_name == line.text
        ]
        count = sum(len(lane.ids) for lane in lanes)
        return f"{line.text}\n{len(lanes)} ports, {count} dockings"

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        modifiers = event.modifiers()
        position = event.position()
        over_names = position.x() < self._gutter
        if modifiers & Qt.KeyboardModifier.AltModifier or over_names:
            # Alt turns the wheel sideways on some platforms: take whichever axis moved.
            steps = delta.y() or delta.x()
            self._scroll.setValue(self._scroll.value() - round(steps / 120 * 3 * self._lane_height))
        elif modifiers & Qt.KeyboardModifier.ShiftModifier or abs(delta.x()) > abs(delta.y()):
            steps = delta.x() or delta.y()
            self.pan(steps / 120 * self._plot.width() / 10)
        elif delta.y():
            self.zoom(1.0015 ** delta.y(), position.x())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = (event.position(), self._t0, self._scroll.value())
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, t0, scroll = self._press
            moved = position - start
            if not self._dragging and moved.manhattanLength() >= _DRAG_START:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                self._set_view(t0 - moved.x() * self.seconds_per_pixel(), self._span)
                self._scroll.setValue(scroll - round(moved.y()))
            return
        hover = self.event_at(position)
        if hover != self._hover:
            self._hover = hover
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if hover is not None
                else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        dragged = self._dragging
        self._press = None
        self._dragging = False
        self.unsetCursor()
        if not dragged:
            event_id = self.event_at(event.position())
            if event_id is not None:
                self._activate(event_id)
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hover is not None:
            self._hover = None
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        Key = Qt.Key
        if key in (Key.Key_Plus, Key.Key_Equal):
            self.zoom(1.5, self._focus_anchor())
        elif key in (Key.Key_Minus, Key.Key_Underscore):
            self.zoom(1 / 1.5, self._focus_anchor())
        elif key == Key.Key_Home:
            self.fit_all()
        elif key == Key.Key_End:
            self.last_year()
        elif key in (Key.Key_Left, Key.Key_Right) and shift:
            step = self._plot.width() / 10
            self.pan(step if key == Key.Key_Left else -step)
        elif key in (Key.Key_Left, Key.Key_Right):
            self._move_focus_along(-1 if key == Key.Key_Left else 1)
        elif key in (Key.Key_Up, Key.Key_Down):
            self._move_focus_across(-1 if key == Key.Key_Up else 1)
        elif key in (Key.Key_PageUp, Key.Key_PageDown):
            page = self._scroll.pageStep()
            self._scroll.setValue(
                self._scroll.value() + (page if key == Key.Key_PageDown else -page)
            )
        elif key in (Key.Key_Return, Key.Key_Enter, Key.Key_Space):
            if self._focus_id is not None and self._focus_id in self._index:
                self._activate(self._focus_id)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _activate(self, event_id: int) -> None:
        self._selected = event_id
        self._focus_id = event_id
        self.update()
        self.eventActivated.emit(event_id)

    def _focus_anchor(self) -> float | None:
        rect = self._shown_rect(self._focus_id) if self._focus_id is not None else None
        if rect is not None and self._plot.contains(rect.center()):
            return rect.center().x()
        return None

    def _initial_focus(self) -> tuple[_Lane, int] | None:
        """Without a focused bar, start at the bar nearest the middle of the first lane shown."""
        first, last = self._visible_lines()
        middle = self.x_to_time(self._plot.center().x())
        for number in range(first, last):
            lane = self._lines[number].lane
            if lane is not None:
                return lane, _nearest(lane, middle)
        return (self._lanes[0], 0) if self._lanes else None

    def _move_focus_along(self, step: int) -> None:
        found = self._index.get(self._focus_id) if self._focus_id is not None else None
        if found is None:
            found = self._initial_focus()
            if found is None:
                return
            lane, i = found
        else:
            lane, i = found
            i = min(max(i + step, 0), len(lane.ids) - 1)
        self._focus_id = lane.ids[i]
        self._reveal(lane, i)
        self.update()

    def _move_focus_across(self, step: int) -> None:
        found = self._index.get(self._focus_id) if self._focus_id is not None else None
        if found is None:
            self._move_focus_along(0)
            return
        lane, i = found
        middle = (lane.starts[i] + lane.ends[i]) / 2
        number = self._lanes.index(lane) + step
        if not 0 <= number < len(self._lanes):
            return
        target = self._lanes[number]
        j = _nearest(target, middle)
        self._focus_id = target.ids[j]
        self._reveal(target, j)
        self.update()


def _nearest(lane: _Lane, moment: float) -> int:
    """The stay on a lane closest to a moment (containing it, or the nearest edge)."""
    best, best_distance = 0, math.inf
    for i in lane.visible_span(moment, moment):
        if lane.starts[i] <= moment <= lane.ends[i]:
            return i
    position = bisect_left(lane.starts, moment)
    for i in (position - 1, position):
        if 0 <= i < len(lane.ids):
            distance = min(abs(lane.starts[i] - moment), abs(lane.ends[i] - moment))
            if distance < best_distance:
                best, best_distance = i, distance
    return best


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping stretches joined, so each is hatched once however many stays share it."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _month_start(year: int, month: int, zone: tzinfo) -> float:
    return datetime(year, month, 1, tzinfo=zone).timestamp()


def _tick_times(
    unit: str, count: int, start: float, end: float, zone: tzinfo
) -> list[tuple[float, str]]:
    """Ticks at round calendar times in ``zone`` between start and end, with their labels."""
    first = datetime.fromtimestamp(max(start, -62_000_000_000), zone)
    ticks: list[tuple[float, str]] = []
    if unit == "year":
        year = max(1, first.year - first.year % count)
        while True:
            moment = datetime(year, 1, 1, tzinfo=zone).timestamp()
            if moment > end or year > 9000:
                break
            if moment >= start:
                ticks.append((moment, str(year)))
            year += count
    elif unit == "month":
        year, month = first.year, first.month - (first.month - 1) % count
        while True:
            moment = _month_start(year, month, zone)
            if moment > end:
                break
            if moment >= start:
                ticks.append((moment, _MONTHS[month - 1]))
            month += count
            if month > 12:
                year, month = year + 1, month - 12
    elif unit == "day":
        year, month = first.year, first.month
        while True:
            if _month_start(year, month, zone) > end:
                break
            length = (
                datetime(year + month // 12, month % 12 + 1, 1) - datetime(year, month, 1)
            ).days
            day = 1
            while day <= length and length - day >= count // 2:
                moment = datetime(year, month, day, tzinfo=zone).timestamp()
                if moment > end:
                    break
                if moment >= start:
                    ticks.append((moment, str(day)))
                day += count
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day_start = datetime(first.year, first.month, first.day, tzinfo=zone)
        while day_start.timestamp() <= end:
            for hour in range(0, 24, count):
                moment = (day_start + timedelta(hours=hour)).timestamp()
                if start <= moment <= end:
                    ticks.append((moment, f"{hour:02d}:00"))
            day_start += timedelta(days=1)
    return ticks


def _context_times(unit: str, start: float, end: float, zone: tzinfo) -> list[tuple[float, str]]:
    """The enclosing periods shown above the ticks, starting with the one at the left edge."""
    first = datetime.fromtimestamp(max(start, -62_000_000_000), zone)
    spans: list[tuple[float, str]] = []
    if unit == "month":
        year = first.year
        while True:
            moment = datetime(year, 1, 1, tzinfo=zone).timestamp()
            if moment > end:
                break
            spans.append((moment, str(year)))
            year += 1
    elif unit == "day":
        year, month = first.year, first.month
        while True:
            moment = _month_start(year, month, zone)
            if moment > end:
                break
            spans.append((moment, f"{_MONTH_NAMES[month - 1]} {year}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif unit == "hour":
        day = datetime(first.year, first.month, first.day, tzinfo=zone)
        while day.timestamp() <= end:
            spans.append((day.timestamp(), f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"))
            day += timedelta(days=1)
    return spans
