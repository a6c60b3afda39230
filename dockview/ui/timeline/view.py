"""The timeline widget: the view's state (viewport, selection, keyboard focus), its commands
and questions, and the events it receives.

It follows the table's filter proxy through ``source``, lays out with ``layout`` and paints with
``painting`` into a picture cached under everything it depends on, so hover and selection
repaint only their outlines on top of it. Wheel, mouse, keys and tooltips are handed to
``input``, which calls the commands here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import tzinfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QWidget

from dockview.timefmt import display_zone
from dockview.ui.common import named
from dockview.ui.event_model import EventFilterProxy
from dockview.ui.timeline.axis import Tick, TickUnit
from dockview.ui.timeline.categories import ColourMode
from dockview.ui.timeline.data import TimelineData
from dockview.ui.timeline.header import TimelineHeader
from dockview.ui.timeline.input import TimelineInput
from dockview.ui.timeline.lanes import Lane
from dockview.ui.timeline.layout import compute_layout, initial_layout
from dockview.ui.timeline.overlaps import Pair
from dockview.ui.timeline.painting import (
    SLOT_QCOLOURS,
    Frame,
    PictureCache,
    font_numbers,
    paint_marks,
    qrect,
    tick_widths,
)
from dockview.ui.timeline.source import TimelineSource
from dockview.ui.timeline.tooltips import stay_tooltip
from dockview.ui.timeline.viewport import YEAR, ZOOM_STEP, Viewport, fitting, last_year


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
        self._utc = bool(getattr(proxy.sourceModel(), "utc", False))
        self._zone: tzinfo = display_zone(self._utc)
        self._source = TimelineSource(proxy, self.isVisible, self)
        self._source.changed.connect(self._data_rebuilt)
        self._source.clockMoved.connect(self._invalidate)
        self._source.rebuilt.connect(self.rebuilt)
        now = self._source.data.now
        self._viewport = Viewport(now - 10 * YEAR, 10 * YEAR)
        self._layout = initial_layout(tick_widths(self.font()))
        self._plot = QRectF()
        self._selected: int | None = None
        self._marked: frozenset[int] = frozenset()  # several selected at once (an issue's)
        self._focus_id: int | None = None
        self._picture = PictureCache()
        self.last_paint: dict[str, float] = {"ms": 0.0, "bars": 0, "cached": 0}
        self._header = TimelineHeader(self)
        self._header.colourModeChosen.connect(self.set_colour_mode)
        self._header.fit_all.clicked.connect(self.fit_all)
        self._header.last_year.clicked.connect(self.last_year)
        self._header.zoom_in.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        self._header.zoom_out.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        self._scroll = named(QScrollBar(Qt.Orientation.Vertical, self), "timelineScroll")
        self._scroll.valueChanged.connect(self._invalidate)
        self._scroll.hide()
        self._input = TimelineInput(self, self._scroll)

        self.setToolTip("")
        self._source.rebuild()
        self.fit_all()

    @property
    def _data(self) -> TimelineData:
        return self._source.data

    # -- public API ---------------------------------------------------------------------------

    def proxy(self) -> EventFilterProxy:
        """The table's filter proxy this view follows."""
        return self._source.proxy

    @property
    def now(self) -> float:
        """The clock the still-docked bars run to (the table model's, re-read on changes)."""
        return self._data.now

    @property
    def conflicts(self) -> list[Pair]:
        """Stays that overlap on one port, as (earlier, later) event ids."""
        return self._data.conflicts

    @property
    def relocations(self) -> list[Pair]:
        """One vehicle's consecutive stays at two ports, as (before, after) event ids."""
        return self._data.relocations

    @property
    def colour_mode(self) -> ColourMode:
        return self._data.mode

    def set_colour_mode(self, mode: ColourMode | str) -> None:
        """Colour the bars by "agency" or by vehicle "type" (the config's family)."""
        mode = ColourMode(mode)  # ValueError for anything else
        self._header.mode_button(mode).setChecked(True)
        if mode == self._data.mode:
            return
        self._data.recolour(mode)
        self._relayout()
        self._invalidate()

    def set_utc(self, utc: bool) -> None:
        """Axis labels and tooltips in UTC or in local time."""
        if utc == self._utc:
            return
        self._utc = utc
        self._zone = display_zone(utc)
        self._invalidate()

    def fit_all(self) -> None:
        """Show every docking the filters let through, with a little room on both sides."""
        self._show(fitting(self._data.extent, self.now, self._viewport))

    def last_year(self) -> None:
        """The twelve months up to now, and a little room after the "now" line."""
        self._show(last_year(self.now, self._viewport))

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the time under ``anchor_x`` where it is."""
        self._show(self._viewport.zoomed(factor, anchor_x, self._data.extent))

    def pan(self, dx: float) -> None:
        """Move the picture ``dx`` pixels to the right (earlier times come into view)."""
        self._show(self._viewport.panned(dx, self._data.extent))

    def set_visible_range(self, start: float, end: float) -> None:
        """Show exactly [start, end] across the plot's width (clamped to the zoom limits)."""
        self._show(self._viewport.showing(start, end))

    def pan_to(self, start: float) -> None:
        """Show the same span from ``start`` on (kept on the data, as panning is)."""
        viewport = self._viewport
        self._show(viewport.moved(start, viewport.span, self._data.extent))

    def visible_range(self) -> tuple[float, float]:
        return self._viewport.visible_range()

    def seconds_per_pixel(self) -> float:
        return self._viewport.seconds_per_pixel()

    def time_to_x(self, ts: float) -> float:
        return self._viewport.time_to_x(ts)

    def x_to_time(self, x: float) -> float:
        return self._viewport.x_to_time(x)

    def plot_rect(self) -> QRectF:
        """Where the bars are drawn, in this widget's coordinates (below the axis, right of
        the port names, above the legend)."""
        return QRectF(self._plot)

    def bar_rect(self, event_id: int) -> QRectF | None:
        """A bar's rectangle in this widget's coordinates (it may lie outside the plot), or
        None when the filters hide the event. A still-docked bar ends at ``now``."""
        bar = self._layout.stay_bar(
            self._data.index, event_id, self._viewport, self._scroll.value()
        )
        return qrect(bar) if bar is not None else None

    def lane_of(self, event_id: int) -> int | None:
        """The row (counting station headers) the event's port is drawn in."""
        return self._data.lane_line(event_id)

    def lanes(self) -> list[tuple[str, str | None]]:
        """Every row top to bottom: (station, port), port None for a station's header row."""
        return [
            (line.station_name, line.lane.port_name if line.lane else None)
            for line in self._data.lines
        ]

    def event_at(self, pos: QPointF | QPoint) -> int | None:
        """The event whose bar is at ``pos`` (a few pixels' grace for thin bars), or None."""
        point = QPointF(pos)
        if not self._plot.contains(point):
            return None
        number = self._layout.line_at(point.y(), self._scroll.value())
        lane = self._data.lines[number].lane if number is not None else None
        if lane is None:
            return None
        viewport = self._viewport
        i = lane.stay_at(viewport.x_to_time(point.x()), 3 * viewport.seconds_per_pixel())
        return lane.ids[i] if i is not None else None

    def scroll_to_event(self, event_id: int) -> None:
        """Bring an event's bar into view and show it selected. The zoom stays, unless the
        bar is wider than the view; then the view zooms out to show all of it."""
        found = self._data.index.get(event_id)
        self._selected = event_id
        if found is not None:
            self._focus_id = event_id
            self._reveal(*found)
        self.update()

    def activate(self, event_id: int) -> None:
        """Select and focus a stay as a click does, and say so (``eventActivated``)."""
        self._selected = event_id
        self._focus_id = event_id
        self.update()
        self.eventActivated.emit(event_id)

    def move_focus(self, along: int = 0, across: int = 0) -> None:
        """Move the keyboard focus ``along`` stays on its lane or ``across`` lanes, and
        bring it into view; without a focus, start near the middle of the lanes shown."""
        first, last = self._layout.visible_lines(self._scroll.value())
        middle = self._viewport.x_to_time(self._plot.center().x())
        found = self._data.focus_step(self._focus_id, along, across, range(first, last), middle)
        if found is not None:
            lane, i = found
            self._focus_id = lane.ids[i]
            self._reveal(lane, i)
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

    def tick_unit(self) -> TickUnit:
        """The unit of the axis ticks at this zoom: "year", "month", "day" or "hour"."""
        return self.frame().ticks().unit

    def tick_labels(self) -> list[Tick]:
        """The axis's tick labels now shown: (x in widget coordinates, text)."""
        left, right = self._plot.left(), self._plot.right()
        time_to_x = self._viewport.time_to_x
        return [
            (x, text)
            for ts, text in self.frame().ticks().ticks
            if left <= (x := time_to_x(ts)) <= right
        ]

    def legend_items(self) -> list[tuple[str, QColor]]:
        """The legend's entries in order: up to ten names, then "other" when it is used."""
        return [(name, QColor(SLOT_QCOLOURS[slot])) for name, slot in self._data.legend]

    def bar_colour(self, event_id: int) -> QColor | None:
        found = self._data.index.get(event_id)
        if found is None:
            return None
        lane, i = found
        return QColor(SLOT_QCOLOURS[lane.cats[i]])

    def tooltip_text(self, event_id: int) -> str | None:
        """What hovering the bar says: vehicle, port, dates, how long it stayed, and any
        overlap or relocation."""
        return stay_tooltip(self._data, event_id, self._zone, self._utc)

    # -- following the proxy ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._source.stale:
            self._source.rebuild()
            if self._selected is not None:
                self.scroll_to_event(self._selected)

    def _data_rebuilt(self, had_data: bool) -> None:
        summary = self._data.summary()
        self._header.summary.setText(summary)
        self.setAccessibleDescription(f"Timeline of {summary}")
        self._relayout()
        if not had_data and self._data.extent is not None:
            self.fit_all()
        else:
            viewport = self._viewport
            self._show(viewport.moved(viewport.t0, viewport.span, self._data.extent))
        self._invalidate()

    # -- view state and geometry --------------------------------------------------------------

    def _show(self, viewport: Viewport) -> None:
        if (viewport.t0, viewport.span) != (self._viewport.t0, self._viewport.span):
            self._viewport = viewport
            self._invalidate()

    def _reveal(self, lane: Lane, i: int) -> None:
        self._show(self._viewport.revealing(lane.starts[i], lane.ends[i]))
        self._scroll.setValue(self._layout.scroll_revealing(lane.line, self._scroll.value()))

    def _invalidate(self, *_: object) -> None:
        self._picture.invalidate()
        self.update()

    def _relayout(self) -> None:
        """Measure the font, lay everything out, and place the header and scroll bar."""
        header_height = self._header.sizeHint().height()
        self._header.setGeometry(0, 0, self.width(), header_height)
        lines = self._data.lines
        legend = self._data.legend_entries()
        layout = compute_layout(
            self.width(),
            self.height(),
            lines,
            legend,
            font_numbers(self.font(), lines, legend),
            header_height=header_height,
            scroll_bar_width=self._scroll.sizeHint().width(),
        )
        self._layout = layout
        plot = layout.plot
        self._plot = qrect(plot)
        self._viewport = self._viewport.placed(plot.left, plot.width)
        if layout.overflow:
            bar = layout.scroll_bar
            self._scroll.setGeometry(int(bar.left), int(bar.top), int(bar.width), int(bar.height))
            self._scroll.setRange(0, layout.scroll_range())
            self._scroll.setPageStep(int(plot.height))
            self._scroll.setSingleStep(int(layout.lane_height))
            self._scroll.show()
        else:
            self._scroll.setRange(0, 0)
            self._scroll.hide()

    def frame(self) -> Frame:
        """What the picture is painted from, as it stands."""
        return Frame(
            self._data,
            self._source.version,
            self._layout,
            self._viewport,
            self._scroll.value(),
            self.palette(),
            self.font(),
            self._utc,
            self._zone,
        )

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        began = time.perf_counter()
        frame = self.frame()
        painter = QPainter(self)
        try:
            cached = self._picture.draw(painter, frame, self.size(), self.devicePixelRatioF())
            paint_marks(
                painter,
                frame,
                hover=self._input.hover,
                selected=self._marked | ({self._selected} if self._selected is not None else set()),
                focus=self._focus_id,
                has_focus=self.hasFocus(),
            )
        finally:
            painter.end()
        self.last_paint["ms"] = (time.perf_counter() - began) * 1000
        self.last_paint["bars"] = self._picture.bars
        self.last_paint["cached"] = int(cached)

    # -- events (wheel, mouse, keys and tooltips go on to ``input``) ------------------------------

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
            self._input.tooltip(event)
            return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._input.wheel(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._input.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._input.move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._input.release(event):
            super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self._input.leave()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._input.key(event):
            super().keyPressEvent(event)
