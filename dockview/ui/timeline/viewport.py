"""Which stretch of time the plot shows, and where a moment lands in pixels.

Qt-free on purpose: zoom, pan and clamping are arithmetic on (time at the left edge, seconds
spanned), tested without a widget. A ``Viewport`` is frozen; the view swaps in a new one on
every change and repaints only when the time range really moved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

DAY = 86_400.0
YEAR = 365.25 * DAY
#: Zoom limits: two hours (hour ticks still fit) to two centuries (the whole history twice).
MIN_SPAN = 2 * 3600.0
MAX_SPAN = 200 * YEAR
#: One step of the zoom buttons and keys.
ZOOM_STEP = 1.5

Extent = tuple[float, float]


def clamp_span(span: float) -> float:
    """A span within the zoom limits."""
    return min(max(span, MIN_SPAN), MAX_SPAN)


@dataclass(frozen=True, slots=True)
class Viewport:
    """The time at the plot's left edge and the seconds across it, placed over the plot's
    pixels (``left``, ``width``; a width of 0 means the plot has not been laid out yet)."""

    t0: float
    span: float
    left: float = 0.0
    width: float = 0.0

    @property
    def end(self) -> float:
        return self.t0 + self.span

    def visible_range(self) -> tuple[float, float]:
        return self.t0, self.t0 + self.span

    def seconds_per_pixel(self) -> float:
        return self.span / self.width if self.width > 0 else self.span

    def time_to_x(self, ts: float) -> float:
        return self.left + (ts - self.t0) * self.width / self.span

    def x_to_time(self, x: float) -> float:
        width = self.width if self.width > 0 else 1.0
        return self.t0 + (x - self.left) * self.span / width

    def placed(self, left: float, width: float) -> Viewport:
        """The same times over a plot that moved or changed width."""
        return replace(self, left=left, width=width)

    def moved(self, t0: float, span: float, extent: Extent | None = None) -> Viewport:
        """Show ``span`` seconds from ``t0``, within the zoom limits. With the data's extent,
        at least a tenth of the view stays on the data, so panning never loses it."""
        span = clamp_span(span)
        if extent is not None:
            start, end = extent
            t0 = min(max(t0, start - 0.9 * span), end - 0.1 * span)
        return replace(self, t0=t0, span=span)

    def zoomed(
        self, factor: float, anchor_x: float | None = None, extent: Extent | None = None
    ) -> Viewport:
        """Zoom in (factor > 1) or out, keeping the time under ``anchor_x`` (the plot's middle
        by default) where it is."""
        if factor <= 0 or not math.isfinite(factor):
            return self
        x = self.left + self.width / 2 if anchor_x is None else anchor_x
        anchor = self.x_to_time(x)
        span = clamp_span(self.span / factor)
        fraction = (x - self.left) / self.width if self.width > 0 else 0.5
        return self.moved(anchor - fraction * span, span, extent)

    def panned(self, dx: float, extent: Extent | None = None) -> Viewport:
        """The picture moved ``dx`` pixels to the right (earlier times come into view)."""
        return self.moved(self.t0 - dx * self.seconds_per_pixel(), self.span, extent)

    def showing(self, start: float, end: float) -> Viewport:
        """Exactly [start, end] across the plot, or centred on it when the zoom limits say
        otherwise. Nonsense (not finite, empty or reversed) leaves the view as it is."""
        if not (math.isfinite(start) and math.isfinite(end)) or end <= start:
            return self
        span = clamp_span(end - start)
        return self.moved((start + end) / 2 - span / 2, span)

    def revealing(self, start: float, end: float) -> Viewport:
        """The view moved just enough to show a stay: centred on it when it lies outside, the
        zoom kept; zoomed out when the stay is wider than the view."""
        length = end - start
        if length > self.span * 0.9:
            margin = length * 0.08
            return self.showing(start - margin, end + margin)
        if start < self.t0 or end > self.end:
            return self.moved((start + end) / 2 - self.span / 2, self.span)
        return self


def fitting(extent: Extent | None, now: float, viewport: Viewport) -> Viewport:
    """Every stay with a little room on both sides; without data, the last ten years."""
    if extent is None:
        return viewport.showing(now - 10 * YEAR, now + 0.3 * YEAR)
    start, end = extent
    margin = max((end - start) * 0.02, 3600.0)
    return viewport.showing(start - margin, end + margin)


def last_year(now: float, viewport: Viewport) -> Viewport:
    """The twelve months up to now, and a little room after the "now" line."""
    return viewport.showing(now - 365 * DAY, now + 12 * DAY)
