"""The plume in space and time: distance along the river against drill time, as inline SVG.

Colour bins of concentration / standard on a distance-time grid re-computed from the log
(``reports.truth.space_time_grid``); sites as coded vertical lines (their names listed under
the chart, since sites cluster), gate holds and interceptions drawn where and when they acted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from reports.charts import LEFT, MARK_COLOURS, RIGHT, WIDTH, Mark, Scale, hour_ticks
from reports.i18n import Messages
from reports.svg import (
    GRID,
    INK,
    MUTED,
    axis_label,
    circle,
    line,
    nice_ticks,
    open_svg,
    rect,
    stagger,
    text,
    tick_label,
    x_ticks,
)

BAND_COLOURS = ("#fde8e4", "#f9c0b1", "#f28f79", "#e35d48", "#c0392b", "#8e1b12")
"""Space-time bins of × standard, from 'traces' to 'more than 10 times'."""
BAND_EDGES = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0)
"""Lower edge (× standard) of each bin in :data:`BAND_COLOURS`."""


@dataclass(frozen=True)
class SpaceTime:
    """The plume along one path of the river: × standard on a distance-time grid."""

    km: tuple[float, ...]
    t_min: tuple[float, ...]
    ratio: tuple[tuple[float, ...], ...]
    """``ratio[i][j]``: concentration / standard at time ``t_min[i]``, distance ``km[j]``."""
    sites: tuple[tuple[float, str, str], ...] = ()
    """``(km, label, kind)`` of the sites on the path."""
    marks: tuple[Mark, ...] = ()
    mark_km: dict[int, float] = field(default_factory=dict)


def space_time_chart(data: SpaceTime, t_end_min: float, msgs: Messages) -> str:
    """Distance along the river (x) against drill time (y, downwards like a timetable).

    Colour bins of × standard; sites as labelled vertical lines, boundaries dashed; gate and
    interception marks drawn at their site from the moment they took effect.
    """
    top, bottom = 80.0, 364.0
    height = bottom + 64.0
    x0, x1 = LEFT, WIDTH - RIGHT
    km_lo, km_hi = (data.km[0], data.km[-1]) if data.km else (0.0, 1.0)
    span = max(km_hi - km_lo, 1e-6)

    def kx(km: float) -> float:
        return x0 + (x1 - x0) * (km - km_lo) / span

    def ty(t: float) -> float:
        return top + (bottom - top) * min(max(t, 0.0), t_end_min) / t_end_min

    parts = [open_svg(WIDTH, height, msgs.t("chart.space_time_title"))]
    parts.append(rect(x0, top, x1 - x0, bottom - top, "#fbfcfd", stroke=GRID))
    parts.extend(_band_rects(data, kx, ty, t_end_min))
    for y, label in hour_ticks(t_end_min, ty, msgs, count=6):
        parts.append(line(x0, y, x1, y, GRID, 0.6))
        parts.append(axis_label(x0 - 5, y + 3.5, label, anchor="end"))
    parts.extend(x_ticks([(kx(t), tick_label(t)) for t in nice_ticks(km_lo, km_hi, 8)], bottom))
    parts.append(axis_label((x0 + x1) / 2, bottom + 30, msgs.t("chart.km_axis")))
    parts.append(axis_label(14, (top + bottom) / 2, msgs.t("chart.time_axis"), rotate=-90))
    parts.extend(_site_lines(data, kx, top, bottom))
    parts.extend(_action_marks(data, kx, ty, t_end_min))
    parts.extend(_band_legend(x0, bottom + 44, msgs))
    parts.append("</svg>")
    return "".join(parts)


def _site_lines(data: SpaceTime, kx: Scale, top: float, bottom: float) -> list[str]:
    """A vertical line at each site, boundaries dashed, its code above in staggered rows."""
    parts = []
    codes = site_codes(len(data.sites))
    rows = stagger([kx(km) for km, _, _ in data.sites], 13.0, rows=4)
    for (km, _, kind), code, row in zip(data.sites, codes, rows, strict=True):
        x = kx(km)
        dash = "5 3" if kind == "boundary" else "1.5 2.5"
        label_y = top - 8 - row * 14
        parts.append(
            line(x, label_y + 3, x, bottom, INK if kind == "boundary" else MUTED, 0.8, dash)
        )
        parts.append(text(x, label_y, code, anchor="middle", size=10, weight="bold"))
    return parts


def _action_marks(data: SpaceTime, kx: Scale, ty: Scale, t_end_min: float) -> list[str]:
    """Each of the team's actions at a site on the path: a numbered dot when it was taken and a
    bar down to the end of its effect (or of the drill)."""
    parts = []
    for mark in data.marks:
        at_km = data.mark_km.get(mark.number)
        if at_km is None:
            continue
        colour = MARK_COLOURS.get(mark.kind, MARK_COLOURS["other"])
        y_end = ty(mark.until_min if mark.until_min is not None else t_end_min)
        parts.append(line(kx(at_km), ty(mark.t_min), kx(at_km), y_end, colour, 3.5))
        parts.append(circle(kx(at_km), ty(mark.t_min), 7.5, colour))
        parts.append(
            text(
                kx(at_km),
                ty(mark.t_min) + 3.5,
                mark.number,
                anchor="middle",
                size=9,
                fill="#fff",
                weight="bold",
            )
        )
    return parts


def site_codes(count: int) -> list[str]:
    """Short codes (A, B, … Z, AA, AB …) that stand for site names on the space-time chart;
    the names are listed under it, because clustered sites cannot all be labelled in place."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26] for i in range(count)]


def band_indices(ratio: Sequence[Sequence[float]]) -> np.ndarray:
    """Colour bin of every cell: -1 below the first edge, else the index in BAND_COLOURS."""
    return np.digitize(np.asarray(ratio, dtype=float), BAND_EDGES) - 1


def _band_rects(data: SpaceTime, kx: Scale, ty: Scale, t_end_min: float) -> list[str]:
    """Run-length encode each time row into rects of one colour: small SVG, no raster."""
    shapes: list[str] = []
    km = data.km
    if not km or not data.ratio:
        return shapes
    edges = [km[0]] + [(a + b) / 2 for a, b in pairwise(km)] + [km[-1]]
    times = data.t_min
    bands = band_indices(data.ratio)
    for i, row in enumerate(bands.tolist()):
        t_lo = times[i] if i == 0 else (times[i - 1] + times[i]) / 2
        t_hi = times[i] if i == len(times) - 1 else (times[i] + times[i + 1]) / 2
        y0, y1 = ty(t_lo), ty(t_hi)
        j = 0
        while j < len(row):
            band = row[j]
            k = j
            while k + 1 < len(row) and row[k + 1] == band:
                k += 1
            if band >= 0:
                width = kx(edges[k + 1]) - kx(edges[j])
                shapes.append(rect(kx(edges[j]), y0, width, y1 - y0 + 0.3, BAND_COLOURS[band]))
            j = k + 1
    return shapes


def _band_legend(x: float, y: float, msgs: Messages) -> list[str]:
    parts = [text(x, y + 9, msgs.t("chart.band_legend"), size=10, fill=MUTED)]
    x += 96
    for edge, colour in zip(BAND_EDGES, BAND_COLOURS, strict=True):
        parts.append(rect(x, y, 16, 11, colour))
        parts.append(text(x + 20, y + 9.5, msgs.t("chart.band_edge", x=tick_label(edge)), size=10))
        x += 78
    return parts


__all__ = [
    "BAND_COLOURS",
    "BAND_EDGES",
    "SpaceTime",
    "band_indices",
    "site_codes",
    "space_time_chart",
]
