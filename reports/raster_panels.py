"""Figure 1 for Word: concentration at every site, small multiples drawn on ONE matplotlib axes.

The PNG twin of the SVG's panels (``reports.charts``): the same scales, windows and marks. One
axes per site would be the obvious way, but matplotlib lays out ticks per axes and 18 sites
took ~4 s; panels placed by hand in one coordinate system (:class:`_Panel`) take a fraction,
and the straight lines go into one collection per style (:class:`_Layers`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from reports.charts import MARK_COLOURS, Mark, SitePanel, panel_columns, series_scale
from reports.i18n import Messages
from reports.raster import new_figure, png_of
from reports.svg import nice_ticks, tick_label, time_ticks

Segment = list[tuple[float, float]]


@dataclass
class _Layers:
    """The frames, shaded windows and straight lines of every panel, gathered to be added as
    one collection per style: a few artists instead of two hundred."""

    frames: list[Any] = field(default_factory=list)
    shades: list[Any] = field(default_factory=list)
    shade_colours: list[tuple[float, float, float, float]] = field(default_factory=list)
    grid: list[Segment] = field(default_factory=list)
    standards: list[Segment] = field(default_factory=list)
    mark_lines: dict[str, list[Segment]] = field(default_factory=dict)

    def add_to(self, ax: Any) -> None:
        """Stacked as one artist each would be: frames and shaded windows under the filled
        exceedance (z 1), the grid over it, then the series (z 2), the standards and the marks."""
        ax.add_collection(PatchCollection(self.frames, match_original=True, zorder=0.5))
        ax.add_collection(
            PatchCollection(self.shades, facecolors=self.shade_colours, linewidths=0, zorder=0.6)
        )
        ax.add_collection(LineCollection(self.grid, colors="#e3e8ee", linewidths=0.4, zorder=1.9))
        ax.add_collection(
            LineCollection(
                self.standards, colors="#c0392b", linewidths=0.7, linestyles="--", zorder=2.5
            )
        )
        for colour, segments in self.mark_lines.items():
            ax.add_collection(
                LineCollection(segments, colors=colour, linewidths=0.6, linestyles=":", zorder=2.6)
            )


@dataclass(frozen=True)
class _Panel:
    """Where one site's panel sits on the shared axes: hours across from ``left``, its value
    scale (log or linear, as the SVG's) mapped to ``bottom`` .. ``bottom + 1``."""

    left: float
    bottom: float
    width_h: float
    log: bool
    low: float
    high: float

    def x(self, t_min: float) -> float:
        """The x of a time (minutes)."""
        return self.left + t_min / 60

    def y(self, value: float) -> float:
        """The y of a concentration (mg/L), kept inside the panel."""
        if self.log:
            frac = (math.log10(max(value, self.low)) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low)
            )
        else:
            frac = value / self.high
        return self.bottom + min(max(frac, 0.0), 1.0)


def concentration_png(
    panels: list[SitePanel], marks: list[Mark], t_end_min: float, msgs: Messages
) -> bytes:
    """Figure 1 as PNG: a panel per site, as many across as the SVG's, hours under the last row."""
    cols = panel_columns(len(panels))
    rows_n = math.ceil(len(panels) / cols)
    width_h = t_end_min / 60.0
    gap_x = width_h * (0.16 if cols > 1 else 0.0)
    pitch = 1.4  # panel height 1 plus room for the title (hour labels only under the last row)
    fig = new_figure(6.7, 1.25 * rows_n + 0.2) if cols > 1 else new_figure(6.7, 1.5 * rows_n + 0.2)
    ax = fig.add_axes((0.07, 0.005, 0.92, 0.99))
    ax.set_axis_off()
    ax.set_xlim(-0.02 * width_h, cols * width_h + (cols - 1) * gap_x + 0.04 * width_h)
    ax.set_ylim(-rows_n * pitch + 0.35, 0.25)
    hour_ticks = time_ticks(t_end_min, 8 if cols == 1 else 5)
    layers = _Layers()
    for index, site in enumerate(panels):
        row, col = divmod(index, cols)
        panel = _Panel(col * (width_h + gap_x), -row * pitch - 1.0, width_h, *series_scale(site))
        _value_grid(ax, layers, panel)
        _closed_and_held(layers, site, panel)
        _series(ax, layers, site, panel)
        _action_marks(ax, layers, marks, panel, site.site, number_all=row == 0)
        ax.text(panel.left, panel.bottom + 1.05, site.title, ha="left", va="bottom", fontsize=7)
        if index >= len(panels) - cols:  # hour labels under the last row only: time is shared
            _hour_labels(ax, panel, hour_ticks, msgs)
    layers.add_to(ax)
    return png_of(fig, tight=False)


def _value_grid(ax: Any, layers: _Layers, panel: _Panel) -> None:
    """The panel's frame, and a grid line and label at each value tick inside it."""
    left, bottom, width_h = panel.left, panel.bottom, panel.width_h
    layers.frames.append(
        Rectangle((left, bottom), width_h, 1.0, fc="#fbfcfd", ec="#cfd6de", lw=0.5)
    )
    low, high = panel.low, panel.high
    ticks = (
        [10.0**e for e in range(math.ceil(math.log10(low)), math.floor(math.log10(high)) + 1)]
        if panel.log
        else nice_ticks(0.0, high, 3)
    )
    for tick in ticks:
        y = panel.y(tick)
        if bottom <= y <= bottom + 1:
            layers.grid.append([(left, y), (left + width_h, y)])
            ax.text(
                left - 0.01 * width_h,
                y,
                tick_label(tick),
                ha="right",
                va="center",
                fontsize=5.5,
                color="#6b7785",
            )


def _closed_and_held(layers: _Layers, site: SitePanel, panel: _Panel) -> None:
    """Shade the windows when the site's intake was closed or its water held by a gate."""
    for windows, colour in (
        (site.closed, MARK_COLOURS["intake"]),
        (site.held, MARK_COLOURS["gate"]),
    ):
        for start, end in windows:
            layers.shades.append(Rectangle((panel.x(start), panel.bottom), (end - start) / 60, 1.0))
            layers.shade_colours.append(to_rgba(colour, 0.1))


def _series(ax: Any, layers: _Layers, site: SitePanel, panel: _Panel) -> None:
    """The concentration over time, filled red where it is over the standard, and the
    standard as a dashed line."""
    xs = [panel.x(t) for t in site.t_min]
    ys = [panel.y(v) for v in site.mg_l]
    std = panel.y(site.standard_mg_l)
    ax.fill_between(
        xs,
        std,
        ys,
        where=[v > site.standard_mg_l for v in site.mg_l],
        color="#c0392b",
        alpha=0.3,
        lw=0,
    )
    ax.plot(xs, ys, color="#1f4e79", lw=0.9)
    layers.standards.append([(panel.left, std), (panel.left + panel.width_h, std)])


def _action_marks(
    ax: Any, layers: _Layers, marks: list[Mark], panel: _Panel, site: str, number_all: bool
) -> None:
    """A dotted line at each of the team's actions; its number on the panels of the first row
    (``number_all``) and on its own site's."""
    for mark in marks:
        x = panel.x(mark.t_min)
        colour = MARK_COLOURS.get(mark.kind, MARK_COLOURS["other"])
        layers.mark_lines.setdefault(colour, []).append([(x, panel.bottom), (x, panel.bottom + 1)])
        if number_all or mark.site == site:
            ax.text(
                x,
                panel.bottom + 0.93,
                str(mark.number),
                ha="center",
                va="top",
                fontsize=5.5,
                color="white",
                bbox={"boxstyle": "circle,pad=0.12", "fc": colour, "ec": "none"},
            )


def _hour_labels(ax: Any, panel: _Panel, hour_ticks: list[float], msgs: Messages) -> None:
    """The time axis under a panel of the last row: its hours."""
    for tick in hour_ticks:
        ax.text(
            panel.x(tick),
            panel.bottom - 0.04,
            msgs.t("chart.hour_tick", h=round(tick / 60)),
            ha="center",
            va="top",
            fontsize=5.5,
            color="#6b7785",
        )


__all__ = ["concentration_png"]
