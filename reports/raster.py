"""The report's charts as PNG images for Word, drawn with matplotlib from the same chart data.

Word cannot show inline SVG reliably across the versions bureaus run, so the DOCX embeds
rasterised charts. Chinese labels need a CJK font: one is looked up by family name through
matplotlib's font manager (Windows, macOS and Linux names; Debian's ``fonts-wqy-microhei`` is
what ``make`` installs). Without one, labels would show as empty boxes, so
:func:`cjk_font` raises a clear error instead of silently drawing them.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from reports.charts import MARK_COLOURS, Mark, SitePanel, panel_columns, series_scale
from reports.i18n import Messages
from reports.spacetime import BAND_COLOURS, BAND_EDGES, SpaceTime, site_codes
from reports.svg import stagger
from reports.timecharts import LOST_AXIS_CAP_MIN, LostRow
from reports.viewmodel import ChartData

CJK_FAMILIES = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Hiragino Sans GB",
    "Noto Sans SC",
)
DPI = 130
"""Pixels per inch of the Word charts: 6.7 in wide, shown 16 cm wide (≈ 140 px per inch)."""
PNG_COMPRESSION = 1


class FontMissing(RuntimeError):
    """No CJK-capable font is installed; Chinese chart labels cannot be drawn."""


@cache
def cjk_font() -> str:
    """The first installed CJK font family of :data:`CJK_FAMILIES`.

    Raises:
        FontMissing: With the Debian package to install.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    raise FontMissing(
        "no Chinese font found for the Word charts; install one "
        "(Debian: apt-get install fonts-wqy-microhei) and delete matplotlib's font cache"
    )


@cache
def _matplotlib() -> Any:
    """matplotlib set up once per process — the CJK font found once, the PNG writer chosen —
    and its ``Figure`` class. Figures are made directly, not through pyplot: no figure manager
    to register and close, and pyplot is never imported."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [cjk_font(), "DejaVu Sans"],
            "axes.unicode_minus": False,
            "font.size": 8,
            "axes.linewidth": 0.6,
            "svg.hashsalt": "riverdrill",
        }
    )
    return Figure


def _figure(width_in: float, height_in: float) -> Any:
    return _matplotlib()(figsize=(width_in, height_in))


def _png(fig: Any, tight: bool = True) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=DPI,
        bbox_inches="tight" if tight else None,
        metadata={"Software": None},
        # zlib level 1: a chart of flat colours packs nearly as small, several times faster
        pil_kwargs={"compress_level": PNG_COMPRESSION},
    )
    return buffer.getvalue()


def concentration_png(
    panels: list[SitePanel], marks: list[Mark], t_end_min: float, msgs: Messages
) -> bytes:
    """Figure 1 for Word: the SVG's small multiples, drawn on ONE matplotlib axes.

    One axes per site would be the obvious way, but matplotlib lays out ticks per axes and
    18 sites took ~4 s; panels placed by hand in one coordinate system take a fraction. The
    straight lines (grid, standards, action marks) go into one collection per style, not one
    artist each: a few artists instead of two hundred.
    """
    import math

    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    from reports.svg import nice_ticks, tick_label, time_ticks

    cols = panel_columns(len(panels))
    rows_n = math.ceil(len(panels) / cols)
    width_h = t_end_min / 60.0
    gap_x = width_h * (0.16 if cols > 1 else 0.0)
    pitch = 1.4  # panel height 1 plus room for the title (hour labels only under the last row)
    fig = _figure(6.7, 1.25 * rows_n + 0.2) if cols > 1 else _figure(6.7, 1.5 * rows_n + 0.2)
    ax = fig.add_axes((0.07, 0.005, 0.92, 0.99))
    ax.set_axis_off()
    ax.set_xlim(-0.02 * width_h, cols * width_h + (cols - 1) * gap_x + 0.04 * width_h)
    ax.set_ylim(-rows_n * pitch + 0.35, 0.25)
    hour_ticks = time_ticks(t_end_min, 8 if cols == 1 else 5)
    frames: list[Any] = []
    shades: list[Any] = []
    shade_colours: list[tuple[float, float, float, float]] = []
    grid: list[list[tuple[float, float]]] = []
    standards: list[list[tuple[float, float]]] = []
    mark_lines: dict[str, list[list[tuple[float, float]]]] = {}
    for index, panel in enumerate(panels):
        row, col = divmod(index, cols)
        left, bottom = col * (width_h + gap_x), -row * pitch - 1.0
        log, low, high = series_scale(panel)

        def ny(
            v: float, log: bool = log, low: float = low, high: float = high, bottom: float = bottom
        ) -> float:
            if log:
                frac = (math.log10(max(v, low)) - math.log10(low)) / (
                    math.log10(high) - math.log10(low)
                )
            else:
                frac = v / high
            return bottom + min(max(frac, 0.0), 1.0)

        frames.append(Rectangle((left, bottom), width_h, 1.0, fc="#fbfcfd", ec="#cfd6de", lw=0.5))
        ticks = (
            [10.0**e for e in range(math.ceil(math.log10(low)), math.floor(math.log10(high)) + 1)]
            if log
            else nice_ticks(0.0, high, 3)
        )
        for tick in ticks:
            y = ny(tick)
            if bottom <= y <= bottom + 1:
                grid.append([(left, y), (left + width_h, y)])
                ax.text(
                    left - 0.01 * width_h,
                    y,
                    tick_label(tick),
                    ha="right",
                    va="center",
                    fontsize=5.5,
                    color="#6b7785",
                )
        for windows, colour in (
            (panel.closed, MARK_COLOURS["intake"]),
            (panel.held, MARK_COLOURS["gate"]),
        ):
            for start, end in windows:
                shades.append(Rectangle((left + start / 60, bottom), (end - start) / 60, 1.0))
                shade_colours.append(to_rgba(colour, 0.1))
        xs = [left + t / 60 for t in panel.t_min]
        ys = [ny(v) for v in panel.mg_l]
        std = ny(panel.standard_mg_l)
        ax.fill_between(
            xs,
            std,
            ys,
            where=[v > panel.standard_mg_l for v in panel.mg_l],
            color="#c0392b",
            alpha=0.3,
            lw=0,
        )
        ax.plot(xs, ys, color="#1f4e79", lw=0.9)
        standards.append([(left, std), (left + width_h, std)])
        for mark in marks:
            x = left + mark.t_min / 60
            colour = MARK_COLOURS.get(mark.kind, MARK_COLOURS["other"])
            mark_lines.setdefault(colour, []).append([(x, bottom), (x, bottom + 1)])
            if row == 0 or mark.site == panel.site:
                ax.text(
                    x,
                    bottom + 0.93,
                    str(mark.number),
                    ha="center",
                    va="top",
                    fontsize=5.5,
                    color="white",
                    bbox={"boxstyle": "circle,pad=0.12", "fc": colour, "ec": "none"},
                )
        ax.text(left, bottom + 1.05, panel.title, ha="left", va="bottom", fontsize=7)
        if index < len(panels) - cols:
            continue  # hour labels under the last row only: the time axis is shared
        for tick in hour_ticks:
            ax.text(
                left + tick / 60,
                bottom - 0.04,
                msgs.t("chart.hour_tick", h=round(tick / 60)),
                ha="center",
                va="top",
                fontsize=5.5,
                color="#6b7785",
            )
    # Stacked as one artist each would be: frames and shaded windows under the filled
    # exceedance (z 1), the grid over it, then the series (z 2), the standards and the marks.
    ax.add_collection(PatchCollection(frames, match_original=True, zorder=0.5))
    ax.add_collection(PatchCollection(shades, facecolors=shade_colours, linewidths=0, zorder=0.6))
    ax.add_collection(LineCollection(grid, colors="#e3e8ee", linewidths=0.4, zorder=1.9))
    ax.add_collection(
        LineCollection(standards, colors="#c0392b", linewidths=0.7, linestyles="--", zorder=2.5)
    )
    for colour, segments in mark_lines.items():
        ax.add_collection(
            LineCollection(segments, colors=colour, linewidths=0.6, linestyles=":", zorder=2.6)
        )
    return _png(fig, tight=False)


def space_time_png(data: SpaceTime, t_end_min: float, msgs: Messages) -> bytes:
    """Figure 2 for Word: the same colour bins as the SVG, time downwards."""
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Rectangle

    fig = _figure(6.7, 3.9)
    ax = fig.subplots()
    # Fixed margins instead of bbox_inches="tight", which draws the figure twice.
    fig.subplots_adjust(left=0.09, right=0.98, top=0.86, bottom=0.22)
    ratio = np.asarray(data.ratio, dtype=float)
    ratio = np.where(ratio < BAND_EDGES[0], np.nan, ratio)
    cmap = ListedColormap(list(BAND_COLOURS))
    norm = BoundaryNorm([*BAND_EDGES, 1e12], cmap.N)
    extent = (data.km[0], data.km[-1], t_end_min / 60, 0)
    ax.imshow(ratio, aspect="auto", extent=extent, cmap=cmap, norm=norm, interpolation="nearest")
    span = max(data.km[-1] - data.km[0], 1e-6)
    rows = stagger([km / span * 600 for km, _, _ in data.sites], 13.0, rows=4)
    for (km, _, kind), code, row in zip(data.sites, site_codes(len(data.sites)), rows, strict=True):
        ax.axvline(
            km,
            color="#1f2933" if kind == "boundary" else "#6b7785",
            lw=0.7,
            ls="--" if kind == "boundary" else ":",
        )
        ax.text(
            km,
            1.01 + row * 0.045,
            code,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=6.5,
            fontweight="normal",
        )
    for mark in data.marks:
        at_km = data.mark_km.get(mark.number)
        if at_km is None:
            continue
        colour = MARK_COLOURS.get(mark.kind, MARK_COLOURS["other"])
        end = mark.until_min if mark.until_min is not None else t_end_min
        ax.plot([at_km, at_km], [mark.t_min / 60, end / 60], color=colour, lw=2.2)
        ax.text(
            at_km,
            mark.t_min / 60,
            str(mark.number),
            ha="center",
            va="center",
            fontsize=6.5,
            color="white",
            bbox={"boxstyle": "circle,pad=0.15", "fc": colour, "ec": "none"},
        )
    ax.set_xlabel(msgs.t("chart.km_axis"), fontsize=7.5)
    ax.set_ylabel(msgs.t("chart.time_axis") + " (h)", fontsize=7.5)
    ax.tick_params(labelsize=7)
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in BAND_COLOURS]
    ax.legend(
        handles,
        [msgs.t("chart.band_edge", x=f"{e:g}") for e in BAND_EDGES],
        title=msgs.t("chart.band_legend"),
        fontsize=6.5,
        title_fontsize=6.5,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=6,
        frameon=False,
    )
    return _png(fig, tight=False)


def lost_png(rows: list[LostRow], msgs: Messages) -> bytes:
    """Where the minutes were lost, for Word."""
    height = 0.32 * len(rows) + 0.7
    fig = _figure(6.7, height)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.31, right=0.82, top=1 - 0.1 / height, bottom=0.45 / height)
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        if row.latency_min is not None:
            ok = (
                min(row.latency_min, row.limit_min)
                if row.limit_min is not None
                else row.latency_min
            )
            ax.barh(y, ok, color="#6a9fcb", height=0.6)
            if row.limit_min is not None and row.latency_min > row.limit_min:
                ax.barh(
                    y,
                    row.latency_min - row.limit_min,
                    left=row.limit_min,
                    color="#c0392b",
                    height=0.6,
                )
        if row.limit_min is not None:
            ax.plot([row.limit_min] * 2, [y - 0.4, y + 0.4], color="#1f2933", lw=1.5)
        ax.text(
            1.01,
            y,
            row.note,
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=7,
            color="#c0392b" if row.late else "#1f2933",
        )
    longest = max(
        [r.latency_min or 0.0 for r in rows] + [r.limit_min or 0.0 for r in rows] + [60.0]
    )
    ax.set_xlim(0, min(longest, LOST_AXIS_CAP_MIN) * 1.05)  # same cap as the SVG
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.label for r in reversed(rows)], fontsize=7.5)
    ax.set_xlabel(msgs.t("chart.minutes_axis"), fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#e3e8ee", lw=0.5)
    return _png(fig, tight=False)


def warm_up(lang: str) -> None:
    """Draw a throw-away chart with a label in ``lang``: the first PNG of a process pays for
    loading the font file, setting up the renderer and reading the messages, whichever chart
    it is."""
    fig = _figure(1.0, 0.5)
    fig.text(0.1, 0.5, Messages(lang).t("chart.minutes_axis"))
    _png(fig, tight=False)


CHARTS = ("lost", "concentration", "space_time")
"""The Word report's charts, in the order the document shows them."""


def chart_png(name: str, data: ChartData, marks: tuple[Mark, ...], lang: str) -> bytes | None:
    """One of :data:`CHARTS` as PNG, or None when the report has no such chart."""
    msgs = Messages(lang)
    if name == "lost":
        return lost_png(list(data.lost), msgs) if data.lost else None
    if name == "concentration":
        if not data.panels:
            return None
        return concentration_png(list(data.panels), list(marks), data.t_end_min, msgs)
    if name == "space_time":
        if data.space_time is None:
            return None
        return space_time_png(data.space_time, data.t_end_min, msgs)
    raise ValueError(f"no chart {name!r}; charts are {', '.join(CHARTS)}")


__all__ = [
    "CHARTS",
    "FontMissing",
    "chart_png",
    "cjk_font",
    "concentration_png",
    "lost_png",
    "space_time_png",
    "warm_up",
]
