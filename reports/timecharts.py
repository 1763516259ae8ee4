"""Charts about time and scores, as inline SVG strings.

Where the minutes were lost, criterion by criterion (:func:`minutes_lost_chart`); the run on
one time axis, lane by lane (:func:`timeline_chart`); and, for a competition, every
criterion's latency across teams (:func:`latency_chart`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports.charts import MARK_COLOURS, Mark, hour_ticks
from reports.i18n import Messages
from reports.svg import (
    EXCEED,
    INK,
    SERIES,
    axis_label,
    circle,
    esc,
    line,
    nice_ticks,
    open_svg,
    rect,
    stagger,
    text,
    tick_label,
    x_ticks,
)

WIDTH = 720.0
RIGHT = 16.0


@dataclass(frozen=True)
class LostRow:
    """One timed criterion: how long the team took against its limit."""

    label: str
    latency_min: float | None
    limit_min: float | None
    note: str

    @property
    def late(self) -> bool:
        """Done after its limit."""
        return (
            self.latency_min is not None
            and self.limit_min is not None
            and self.latency_min > self.limit_min + 1e-6
        )


@dataclass(frozen=True)
class LatencyRow:
    """One criterion across a competition's teams."""

    label: str
    limit_min: float | None
    values: tuple[tuple[str, float | None], ...]
    """``(team, latency)``; None = not done."""


LOST_AXIS_CAP_MIN = 480.0
"""Right end of the minutes-lost axis (8 h): the reporting limits are minutes to hours."""


def _break_mark(x: float, y: float) -> str:
    """Two white slashes across the end of a bar that runs past the axis."""
    return (
        f'<path d="M{x - 9:.1f} {y + 16:.1f} L{x - 3:.1f} {y - 2:.1f} M{x - 4:.1f} {y + 16:.1f} '
        f'L{x + 2:.1f} {y - 2:.1f}" stroke="#fff" stroke-width="2.5" fill="none"/>'
    )


def minutes_lost_chart(rows: list[LostRow], msgs: Messages) -> str:
    """Horizontal bars: time taken against the limit; the overrun is red, not done is grey."""
    row_h, top = 26.0, 26.0
    label_w = 200.0
    height = top + row_h * len(rows) + 34
    x0, x1 = label_w, WIDTH - 150
    # Cap the axis: one 24 h limit (final report) would squash every 30-minute bar to a sliver.
    # Bars past the cap end in a break mark; the note on the right gives the exact time.
    scale_max = (
        min(
            max([r.latency_min or 0.0 for r in rows] + [r.limit_min or 0.0 for r in rows] + [60.0]),
            LOST_AXIS_CAP_MIN,
        )
        * 1.05
    )

    def sx(minutes: float) -> float:
        return x0 + (x1 - x0) * min(minutes, scale_max) / scale_max

    parts = [open_svg(WIDTH, height, msgs.t("chart.lost_title"))]
    bottom = top + row_h * len(rows)
    ticks = [(sx(tick), tick_label(tick)) for tick in nice_ticks(0, scale_max, 6)]
    parts.extend(x_ticks(ticks, bottom, grid_top=top - 6))
    parts.append(axis_label((x0 + x1) / 2, bottom + 28, msgs.t("chart.minutes_axis")))
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(text(label_w - 8, y + 14, row.label, anchor="end", size=11))
        if row.latency_min is None:
            parts.append(rect(x0, y + 4, x1 - x0, 14, "#edf0f3"))
        else:
            ok = (
                min(row.latency_min, row.limit_min)
                if row.limit_min is not None
                else row.latency_min
            )
            parts.append(rect(x0, y + 4, sx(ok) - x0, 14, "#6a9fcb"))
            if row.limit_min is not None and row.latency_min > row.limit_min:
                parts.append(
                    rect(
                        sx(row.limit_min),
                        y + 4,
                        sx(row.latency_min) - sx(row.limit_min),
                        14,
                        EXCEED,
                    )
                )
            if row.latency_min > scale_max:
                parts.append(_break_mark(x1, y + 4))
        if row.limit_min is not None and row.limit_min <= scale_max:
            parts.append(line(sx(row.limit_min), y + 1, sx(row.limit_min), y + 21, INK, 2))
        parts.append(text(x1 + 8, y + 15, row.note, size=10.5, fill=EXCEED if row.late else INK))
    parts.append("</svg>")
    return "".join(parts)


def latency_chart(rows: list[LatencyRow], msgs: Messages) -> str:
    """Per criterion, every team's latency as a dot, the spread as a box, the limit as a bar."""
    row_h, top = 34.0, 20.0
    label_w, miss_w = 200.0, 60.0
    height = top + row_h * len(rows) + 36
    x0, x1 = label_w, WIDTH - RIGHT - miss_w
    values = [v for r in rows for _, v in r.values if v is not None]
    limits = [r.limit_min for r in rows if r.limit_min is not None]
    # Same cap as the minutes-lost chart: a 24 h limit must not squash the 30-minute ones;
    # later times sit on the right edge (their exact value is in each dot's tooltip).
    scale_max = min(max([*values, *limits, 60.0]), LOST_AXIS_CAP_MIN) * 1.05

    def sx(minutes: float) -> float:
        return x0 + (x1 - x0) * min(minutes, scale_max) / scale_max

    parts = [open_svg(WIDTH, height, msgs.t("chart.latency_title"))]
    bottom = top + row_h * len(rows)
    ticks = [(sx(tick), tick_label(tick)) for tick in nice_ticks(0, scale_max, 6)]
    parts.extend(x_ticks(ticks, bottom, grid_top=top - 4))
    parts.append(axis_label((x0 + x1) / 2, bottom + 28, msgs.t("chart.minutes_axis")))
    parts.append(axis_label(x1 + miss_w / 2 + 8, top - 6, msgs.t("chart.not_done")))
    for i, row in enumerate(rows):
        y_mid = top + i * row_h + row_h / 2
        parts.append(text(label_w - 8, y_mid + 4, row.label, anchor="end", size=11))
        done = sorted(v for _, v in row.values if v is not None)
        if len(done) >= 2:
            q1, q3 = _quantile(done, 0.25), _quantile(done, 0.75)
            parts.append(rect(sx(q1), y_mid - 9, max(sx(q3) - sx(q1), 1.5), 18, "#dbe7f3"))
            med = _quantile(done, 0.5)
            parts.append(line(sx(med), y_mid - 9, sx(med), y_mid + 9, SERIES, 2))
        if row.limit_min is not None and row.limit_min <= scale_max:
            parts.append(
                line(sx(row.limit_min), y_mid - 13, sx(row.limit_min), y_mid + 13, EXCEED, 2)
            )
        missed = 0
        xs = [sx(v) if v is not None else None for _, v in row.values]
        lanes = stagger([x for x in xs if x is not None], 6.0, rows=3)
        lane_iter = iter(lanes)
        for (team, value), x in zip(row.values, xs, strict=True):
            if x is None:
                cx, cy = x1 + 18 + (missed % 6) * 7, y_mid - 4 + (missed // 6) * 7
                missed += 1
                colour = "#a0aec0"
            else:
                cx, cy = x, y_mid + (next(lane_iter) - 1) * 6
                late = row.limit_min is not None and value is not None and value > row.limit_min
                colour = EXCEED if late else SERIES
            title = (
                f"{team}: {msgs.duration(value) if value is not None else msgs.t('chart.not_done')}"
            )
            parts.append(f"<g><title>{esc(title)}</title>{circle(cx, cy, 3.2, colour, 'none')}</g>")
    parts.append("</svg>")
    return "".join(parts)


def _quantile(sorted_values: list[float], q: float) -> float:
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


LANE_COLOURS = {"info": "#2b6cb0", "action": "#1f2933", "agency": "#6b46c1", "truth": EXCEED}


def timeline_chart(
    lanes: list[tuple[str, str]],
    events: list[tuple[float, str]],
    marks: list[Mark],
    t_end_min: float,
    msgs: Messages,
) -> str:
    """Swimlanes on one time axis: a tick per record in its lane, numbered action marks.

    Args:
        lanes: ``(lane id, label)`` from top to bottom.
        events: ``(t_min, lane id)`` of every record shown in the timeline.
        marks: The numbered action markers (drawn in the agency lane).
        t_end_min: End of the drill.
        msgs: Messages for the axis.
    """
    lane_h, top, label_w = 30.0, 42.0, 110.0
    height = top + lane_h * len(lanes) + 26
    x0, x1 = label_w, WIDTH - RIGHT

    def tx(t: float) -> float:
        return x0 + (x1 - x0) * min(max(t, 0.0), t_end_min) / t_end_min

    parts = [open_svg(WIDTH, height, msgs.t("chart.timeline_title"))]
    index = {lane: i for i, (lane, _) in enumerate(lanes)}
    bottom = top + lane_h * len(lanes)
    parts.extend(x_ticks(hour_ticks(t_end_min, tx, msgs), bottom, grid_top=top))
    for i, (lane, label) in enumerate(lanes):
        y = top + i * lane_h
        parts.append(
            rect(x0, y + 3, x1 - x0, lane_h - 6, "#f7f9fb" if lane != "truth" else "#fff4f2")
        )
        parts.append(text(label_w - 8, y + lane_h / 2 + 4, label, anchor="end", size=10.5))
    for t, lane in events:
        if lane not in index:
            continue
        y = top + index[lane] * lane_h
        parts.append(line(tx(t), y + 7, tx(t), y + lane_h - 7, LANE_COLOURS.get(lane, INK), 1.2))
    rows = stagger([tx(m.t_min) for m in marks], 16.0, rows=2)
    for mark, row in zip(marks, rows, strict=True):
        colour = MARK_COLOURS.get(mark.kind, MARK_COLOURS["other"])
        cx, cy = tx(mark.t_min), top - 10 - row * 16
        parts.append(line(cx, cy, cx, bottom, colour, 0.8, "2 2"))
        parts.append(circle(cx, cy, 7.5, colour))
        parts.append(
            text(cx, cy + 3.5, mark.number, anchor="middle", size=9, fill="#fff", weight="bold")
        )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["LatencyRow", "LostRow", "latency_chart", "minutes_lost_chart", "timeline_chart"]
