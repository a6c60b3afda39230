"""The statistics' bar chart: the top ten of a grouping, as horizontal bars with their figures.

It is painted with QPainter, not with Qt Charts: Qt Charts is not part of PySide6-Essentials,
which is all dockview depends on; it would take the full PySide6 wheels (about three times the
download and install size) to draw ten bars. A horizontal bar chart is a few rectangles and
labels, in the palette's colours, so it follows a light or dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QSizePolicy, QToolTip, QWidget

from dockview.stats import Grouping, Statistics, Stay
from dockview.timefmt import format_stay

CHART_TITLES: dict[str, str] = {
    Grouping.STATION: "Stations by dockings",
    Grouping.PORT: "Ports by dockings",
    Grouping.CONFIG: "Configs by dockings",
    Grouping.AGENCY: "Agencies by dockings",
    Grouping.LONGEST: "Longest stays",
    Grouping.BUSIEST: "Busiest ports by year, by dockings",
}
CHART_BARS = 10
EMPTY_CHART_TEXT = "No dockings match the filters"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str


class BarChart(QFrame):
    """A small horizontal bar chart, painted with QPainter in the palette's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._title = ""
        self._bars: list[Bar] = []
        self._bar_rects: list[QRect] = []

    def set_bars(self, title: str, bars: Sequence[Bar]) -> None:
        self._title = title
        self._bars = list(bars)
        description = "; ".join(f"{bar.label}: {bar.text}" for bar in self._bars)
        self.setAccessibleDescription(f"{title}. {description or EMPTY_CHART_TEXT}")
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def title(self) -> str:
        return self._title

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 4

    def sizeHint(self) -> QSize:
        """Room for ten bars whatever the grouping, so the table above does not jump."""
        metrics = self.fontMetrics()
        height = (CHART_BARS + 1) * self._row_height() + 2 * metrics.height()
        return QSize(48 * metrics.averageCharWidth(), height)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(24 * metrics.averageCharWidth(), 4 * self._row_height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            palette = self.palette()
            area = self.contentsRect()
            painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
            self._paint_chart(painter, palette, area.adjusted(12, 8, -12, -8))
        finally:
            painter.end()
        super().paintEvent(event)  # the frame, over the filled background's edge

    def _paint_chart(self, painter: QPainter, palette: QPalette, area: QRect) -> None:
        text_colour = palette.color(QPalette.ColorRole.Text)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_rect = QRect(area.left(), area.top(), area.width(), title_metrics.height())
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title_metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, area.width()),
        )
        painter.setFont(self.font())
        metrics = self.fontMetrics()
        top = title_rect.bottom() + 1 + metrics.height() // 2
        self._bar_rects = []
        if not self._bars:
            placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(placeholder)
            painter.drawText(
                QRect(area.left(), top, area.width(), area.bottom() - top),
                int(Qt.AlignmentFlag.AlignCenter),
                EMPTY_CHART_TEXT,
            )
            return

        row_height = self._row_height()
        gap = metrics.averageCharWidth()
        label_width = min(
            max(metrics.horizontalAdvance(bar.label) for bar in self._bars) + 2,
            int(area.width() * 0.4),
        )
        value_width = max(metrics.horizontalAdvance(bar.text) for bar in self._bars) + 2
        bar_left = area.left() + label_width + gap
        bar_room = max(1, area.right() - bar_left - gap - value_width)
        largest = max(bar.value for bar in self._bars) or 1.0
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        axis_colour = palette.color(QPalette.ColorRole.Mid)
        thickness = max(4, row_height - 6)

        for number, bar in enumerate(self._bars):
            row_top = top + number * row_height
            if row_top + row_height > area.bottom() + 1:
                break
            text_rect = QRect(area.left(), row_top, label_width, row_height)
            painter.setPen(text_colour)
            painter.drawText(
                text_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width),
            )
            length = max(2, round(bar_room * bar.value / largest)) if bar.value > 0 else 0
            bar_rect = QRect(bar_left, row_top + (row_height - thickness) // 2, length, thickness)
            painter.fillRect(bar_rect, bar_colour)
            painter.drawText(
                QRect(bar_left + length + gap, row_top, value_width + gap, row_height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.text,
            )
            self._bar_rects.append(QRect(area.left(), row_top, area.width(), row_height))
        painter.setPen(axis_colour)
        bottom = top + min(len(self._bar_rects), len(self._bars)) * row_height
        painter.drawLine(QPoint(bar_left - 1, top), QPoint(bar_left - 1, bottom))

    def bar_at(self, position: QPoint) -> Bar | None:
        for rect, bar in zip(self._bar_rects, self._bars, strict=False):
            if rect.contains(position):
                return bar
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            if bar is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), f"{bar.label}: {bar.text}", self)
            return True
        return super().event(event)


def chart_bars(statistics: Statistics, grouping: str) -> list[Bar]:
    """The chart's bars: the top ten of a grouping by dockings, or the longest stays by time."""
    if grouping == Grouping.LONGEST:
        return [
            Bar(_stay_label(stay), stay.seconds, format_stay(stay.seconds))
            for stay in statistics.longest_stays[:CHART_BARS]
        ]
    if grouping == Grouping.BUSIEST:
        top = sorted(statistics.busiest_ports_by_year, key=lambda entry: -entry[2])[:CHART_BARS]
        return [Bar(f"{year}  {port}", count, str(count)) for year, port, count in top]
    return [
        Bar(figure.label, figure.dockings, str(figure.dockings))
        for figure in statistics.groups(grouping)[:CHART_BARS]
    ]


def _stay_label(stay: Stay) -> str:
    return f"{stay.spacecraft}{' (docked now)' if stay.docked_now else ''}"
