"""The report's charts as PNG images for Word, drawn with matplotlib from the same chart data.

Word cannot show inline SVG reliably across the versions bureaus run, so the DOCX embeds
rasterised charts. Chinese labels need a CJK font: one is looked up by family name through
matplotlib's font manager (Windows, macOS and Linux names; Debian's ``fonts-wqy-microhei`` is
what ``make`` installs). Without one, labels would show as empty boxes, so
:func:`cjk_font` raises a clear error instead of silently drawing them. Figure 1, the
concentration panels, is drawn in :mod:`reports.raster_panels` on :func:`new_figure`.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from reports.charts import MARK_COLOURS, Mark
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


def new_figure(width_in: float, height_in: float) -> Any:
    """A matplotlib ``Figure`` of that size, with the report's fonts."""
    return _matplotlib()(figsize=(width_in, height_in))


def png_of(fig: Any, tight: bool = True) -> bytes:
    """``fig`` as PNG bytes at :data:`DPI` (``tight``: cropped to what is drawn)."""
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


def space_time_png(data: SpaceTime, t_end_min: float, msgs: Messages) -> bytes:
    """Figure 2 for Word: the same colour bins as the SVG, time downwards."""
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Rectangle

    fig = new_figure(6.7, 3.9)
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
    return png_of(fig, tight=False)


def lost_png(rows: list[LostRow], msgs: Messages) -> bytes:
    """Where the minutes were lost, for Word."""
    height = 0.32 * len(rows) + 0.7
    fig = new_figure(6.7, height)
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
    return png_of(fig, tight=False)


def warm_up(lang: str) -> None:
    """Draw a throw-away chart with a label in ``lang``: the first PNG of a process pays for
    loading the font file, setting up the renderer and reading the messages, whichever chart
    it is."""
    fig = new_figure(1.0, 0.5)
    fig.text(0.1, 0.5, Messages(lang).t("chart.minutes_axis"))
    png_of(fig, tight=False)


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
        from reports.raster_panels import concentration_png  # here: it imports this module

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
    "lost_png",
    "new_figure",
    "png_of",
    "space_time_png",
    "warm_up",
]
