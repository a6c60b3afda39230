"""What hovering says: about a stay (vehicle, port, dates, how long, overlaps, relocations),
about a port or station name, and the same text as the rich text a tooltip shows."""

from __future__ import annotations

import html
from datetime import tzinfo

from dockview.timefmt import format_stay, format_time
from dockview.ui.timeline.data import TimelineData
from dockview.ui.timeline.layout import Layout

_PLOT_HINT = "Wheel: zoom · Shift+wheel or drag: pan · click a bar to select it"


def stay_tooltip(data: TimelineData, event_id: int, zone: tzinfo, utc: bool) -> str | None:
    """Lines about one stay, None when the filters hide it."""
    found = data.index.get(event_id)
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
    zone_name = "UTC" if utc else "local time"
    docked = format_time(row.docking_ts, zone)
    if row.departure_ts is not None:
        lines.append(f"{docked} → {format_time(row.departure_ts, zone)} ({zone_name})")
        lines.append(f"Docked for {format_stay(row.stay_seconds(data.now))}")
    elif row.gone:
        lines.append(f"{docked} ({zone_name}) → no departure known (gone upstream)")
    else:
        lines.append(f"{docked} ({zone_name}) → docked now")
        lines.append(f"Docked for {format_stay(row.stay_seconds(data.now))} so far")
    for other in data.conflict_of.get(event_id, []):
        other_found = data.index.get(other)
        if other_found is not None:
            other_row = other_found[0].rows[other_found[1]]
            label = other_row.spacecraft_name or f"event {other}"
            lines.append(f"⚠ Overlaps {label} on this port (data conflict)")
    moved_from = data.moved_from.get(event_id)
    if moved_from is not None and moved_from in data.index:
        before, _ = data.index[moved_from]
        lines.append(f"Relocated from {before.port_name} ({before.station_name})")
    moved_to = data.moved_to.get(event_id)
    if moved_to is not None and moved_to in data.index:
        after, _ = data.index[moved_to]
        lines.append(f"Relocated to {after.port_name} ({after.station_name})")
    return "\n".join(lines)


def line_tooltip(data: TimelineData, number: int) -> str:
    """A port's dockings, or a station's ports and dockings."""
    line = data.lines[number]
    if line.lane is not None:
        count = len(line.lane.ids)
        return f"{line.text}\n{line.station_name}: {count} docking{'s' if count != 1 else ''}"
    lanes = data.station_lanes(line.text)
    count = sum(len(lane.ids) for lane in lanes)
    return f"{line.text}\n{len(lanes)} ports, {count} dockings"


def place_tooltip(
    data: TimelineData, layout: Layout, scroll: int, x: float, y: float
) -> str | None:
    """Away from the bars: the name under the pointer in the gutter, or how to use the plot."""
    plot = layout.plot
    if x < layout.gutter and plot.top <= y <= plot.bottom:
        number = layout.line_at(y, scroll)
        return line_tooltip(data, number) if number is not None else None
    inside = plot.left <= x <= plot.right and plot.top <= y <= plot.bottom
    if inside and plot.width > 0 and plot.height > 0:
        return _PLOT_HINT
    return None


def rich_tooltip(text: str) -> str:
    """The first line bold, the rest below it, never wrapped."""
    lines = text.split("\n")
    rich = "<b>" + html.escape(lines[0]) + "</b>"
    if len(lines) > 1:
        rich += "<br>" + "<br>".join(html.escape(line) for line in lines[1:])
    return f"<p style='white-space:pre'>{rich}</p>"
