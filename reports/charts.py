"""The report's charts as inline SVG strings, drawn from plain chart data.

Concentration over time at every site, with the team's actions marked and the standard drawn
(:func:`concentration_chart`), and the :class:`Mark` every chart shares. The plume in space and
time is in ``reports.spacetime``; charts about time and scores in ``reports.timecharts``.
The data classes are filled by ``reports.build``; ``reports.raster`` draws the same data as
PNG for Word.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from reports.i18n import Messages
from reports.svg import (
    EXCEED,
    GRID,
    MUTED,
    SERIES,
    circle,
    line,
    nice_ticks,
    open_svg,
    polygon,
    polyline,
    rect,
    stagger,
    text,
    tick_label,
    time_ticks,
    x_ticks,
)

MARK_COLOURS = {
    "reveal": "#4a5568",
    "gate": "#2f855a",
    "interception": "#6b46c1",
    "intake": "#c05621",
    "monitoring": "#2b6cb0",
    "source": "#975a16",
    "other": "#718096",
}
"""One colour per kind of action marker; the legend under the chart repeats them."""

WIDTH = 720.0
Scale = Callable[[float], float]
"""A data-to-pixel mapping of one axis."""
LEFT, RIGHT = 64.0, 16.0


@dataclass(frozen=True)
class Mark:
    """A team action drawn on the time axis: a numbered circle explained in the legend."""

    number: int
    t_min: float
    kind: str
    label: str
    seq: int | None = None
    site: str | None = None
    until_min: float | None = None
    """End of the effect (gate hold, intake closure) for shaded windows."""


@dataclass(frozen=True)
class SitePanel:
    """Concentration over time at one site (the truth, re-computed from the log)."""

    site: str
    title: str
    kind: str
    t_min: tuple[float, ...]
    mg_l: tuple[float, ...]
    standard_mg_l: float
    closed: tuple[tuple[float, float], ...] = ()
    """Windows when the intake was closed (delivered water protected)."""
    held: tuple[tuple[float, float], ...] = ()
    """Windows when the gate at this site held the river back."""


def hour_ticks(
    t_end_min: float, place: Scale, msgs: Messages, count: int = 8
) -> list[tuple[float, str]]:
    """``(position, label)`` of the whole-hour ticks of a drill's time axis."""
    return [
        (place(tick), msgs.t("chart.hour_tick", h=round(tick / 60)))
        for tick in time_ticks(t_end_min, count)
    ]


def series_scale(panel: SitePanel) -> tuple[bool, float, float]:
    """``(log, low, high)`` of a panel's y axis: log when the peak is over 30× the standard,
    so the standard never hugs the axis."""
    peak = max(panel.mg_l, default=0.0)
    top = max(peak, panel.standard_mg_l * 1.5)
    if peak > 30 * panel.standard_mg_l:
        return True, panel.standard_mg_l / 100.0, top * 1.5
    return False, 0.0, top * 1.08


def panel_columns(count: int) -> int:
    """One column of panels for a few sites, two for many (keeps Figure 1 to ~2 pages)."""
    return 1 if count <= 6 else 2


@dataclass(frozen=True)
class _Box:
    x0: float
    x1: float
    y_top: float
    y_bot: float


def concentration_chart(
    panels: list[SitePanel], marks: list[Mark], t_end_min: float, msgs: Messages
) -> str:
    """Small multiples: one panel per site, shared time axis, actions marked on every panel.

    The standard is a dashed red line; concentration above it is filled red where the
    water was delivered (or flows on) and pale where an intake was closed.
    """
    cols = panel_columns(len(panels))
    panel_h, gap, top_pad, col_gap = (
        (124.0, 46.0, 30.0, 0.0) if cols == 1 else (100.0, 46.0, 30.0, 58.0)
    )
    rows_n = math.ceil(len(panels) / cols)
    height = top_pad + rows_n * (panel_h + gap) + 6
    width = (WIDTH - LEFT - RIGHT - col_gap * (cols - 1)) / cols
    parts = [open_svg(WIDTH, height, msgs.t("chart.concentration_title")), _closed_pattern()]
    for index, panel in enumerate(panels):
        row, col = divmod(index, cols)
        x0 = LEFT + col * (width + col_gap)
        y_top = top_pad + row * (panel_h + gap)
        box = _Box(x0, x0 + width, y_top, y_top + panel_h)
        _panel(parts, panel, box, marks, index < cols, t_end_min, msgs, 8 if cols == 1 else 5)
    parts.append("</svg>")
    return "".join(parts)


def _panel(
    parts: list[str],
    panel: SitePanel,
    box: _Box,
    marks: list[Mark],
    first_row: bool,
    t_end_min: float,
    msgs: Messages,
    tick_count: int,
) -> None:
    x0, x1, y_top, y_bot = box.x0, box.x1, box.y_top, box.y_bot
    log, low, high = series_scale(panel)

    def tx(t: float) -> float:
        return x0 + (x1 - x0) * min(max(t, 0.0), t_end_min) / t_end_min

    def ty(v: float) -> float:
        if log:
            frac = (math.log10(max(v, low)) - math.log10(low)) / (
                math.log10(high) - math.log10(low)
            )
        else:
            frac = v / high
        return y_bot - (y_bot - y_top) * min(max(frac, 0.0), 1.0)

    parts.append(text(x0, y_top - 8, panel.title, weight="bold", size=12))
    parts.append(rect(x0, y_top, x1 - x0, y_bot - y_top, "#fbfcfd", stroke=GRID))
    if log:
        ticks = [
            10.0**e for e in range(math.ceil(math.log10(low)), math.floor(math.log10(high)) + 1)
        ]
    else:
        ticks = nice_ticks(0.0, high, 4)
    for tick in ticks:
        y = ty(tick)
        if y_top <= y <= y_bot:
            parts.append(line(x0, y, x1, y, GRID))
            parts.append(
                text(x0 - 5, y + 3.5, tick_label(tick), anchor="end", size=9.5, fill=MUTED)
            )
    std_y = ty(panel.standard_mg_l)
    parts.extend(_exceedance_fill(panel, tx, ty, std_y))
    labels: list[str] = []
    for windows, pattern, key, colour in (
        (panel.closed, "url(#closed)", "chart.intake_closed", MARK_COLOURS["intake"]),
        (panel.held, "url(#held)", "chart.gate_held", MARK_COLOURS["gate"]),
    ):
        for start, end in windows:
            parts.append(
                rect(tx(start), y_top, tx(end) - tx(start), y_bot - y_top, pattern, opacity=0.9)
            )
            labels.extend(_band_label(tx(start) + 3, y_bot - 4, msgs.t(key), colour))
    if panel.t_min:
        parts.append(
            polyline([(tx(t), ty(v)) for t, v in zip(panel.t_min, panel.mg_l, strict=True)], SERIES)
        )
    parts.append(line(x0, std_y, x1, std_y, EXCEED, 1.2, "6 4"))
    label = msgs.t("chart.standard", value=tick_label(panel.standard_mg_l))
    parts.append(text(x1 - 4, std_y - 4, label, anchor="end", size=9.5, fill=EXCEED))
    parts.extend(labels)
    unit = msgs.t("chart.mg_l_log") if log else msgs.t("chart.mg_l")
    parts.append(
        text(x0 - 48, (y_top + y_bot) / 2, unit, anchor="middle", size=9.5, fill=MUTED, rotate=-90)
    )
    rows = stagger([tx(m.t_min) for m in marks], 16.0, rows=2)
    for mark, row in zip(marks, rows, strict=True):
        x = tx(mark.t_min)
        colour = MARK_COLOURS.get(mark.kind, MARK_COLOURS["other"])
        parts.append(line(x, y_top, x, y_bot, colour, 1, "2 2"))
        if first_row or mark.site == panel.site:
            cy = y_top + 9 + row * 16
            parts.append(circle(x, cy, 7.5, colour))
            parts.append(
                text(x, cy + 3.5, mark.number, anchor="middle", size=9, fill="#fff", weight="bold")
            )
    parts.extend(x_ticks(hour_ticks(t_end_min, tx, msgs, tick_count), y_bot))


def _band_label(x: float, y: float, label: str, colour: str) -> list[str]:
    """A label on a white plate, so the curve or the standard line never runs through it."""
    width = sum(9.5 if ord(ch) > 0x2E80 else 5.4 for ch in label) + 6
    return [
        rect(x, y - 11, width, 14, "#ffffff", opacity=0.85),
        text(x + 3, y, label, size=9.5, fill=colour),
    ]


def _closed_pattern() -> str:
    return (
        '<defs><pattern id="closed" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fdf1e7"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#f3c9a6" stroke-width="2"/></pattern>'
        '<pattern id="held" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(-45)"><rect width="6" height="6" fill="#edf7ef"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#bfe0c6" stroke-width="2"/></pattern></defs>'
    )


def _exceedance_fill(panel: SitePanel, tx: Scale, ty: Scale, std_y: float) -> list[str]:
    """Polygons between the standard line and the curve wherever the curve is above it."""
    std = panel.standard_mg_l
    shapes: list[str] = []
    run: list[tuple[float, float]] = []
    pairs = list(zip(panel.t_min, panel.mg_l, strict=True))
    for i, (t, v) in enumerate(pairs):
        if i > 0:
            t0, v0 = pairs[i - 1]
            if (v0 > std) != (v > std) and v != v0:
                tc = t0 + (t - t0) * (std - v0) / (v - v0)
                run.append((tx(tc), std_y))
                if v <= std:
                    shapes.append(_run_polygon(run, std_y, panel, tx))
                    run = []
        if v > std:
            run.append((tx(t), ty(v)))
    if run:
        shapes.append(_run_polygon(run, std_y, panel, tx))
    return shapes


def _run_polygon(run: list[tuple[float, float]], std_y: float, panel: SitePanel, tx: Scale) -> str:
    x_start, x_end = run[0][0], run[-1][0]
    protected = any(tx(a) <= x_start and x_end <= tx(b) + 0.5 for a, b in panel.closed)
    fill = "#e8a79d" if protected else EXCEED
    return polygon([(x_start, std_y), *run, (x_end, std_y)], fill, 0.45 if protected else 0.35)


__all__ = [
    "LEFT",
    "MARK_COLOURS",
    "RIGHT",
    "WIDTH",
    "Mark",
    "Scale",
    "SitePanel",
    "concentration_chart",
    "hour_ticks",
    "panel_columns",
    "series_scale",
]
