"""A few SVG primitives and axis arithmetic shared by the report's charts.

Charts are written as plain strings (no SVG library: nothing to install on an intranet, and a
string is what the template inlines). Every piece of text goes through :func:`esc`, so a site
or team name can never break out of the markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

FONT_STACK = (
    "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','WenQuanYi Micro Hei',"
    "'SimHei','SimSun',sans-serif"
)
"""Chinese-capable font stack: Windows, macOS, Linux; ends in a generic family."""

INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#e3e8ee"
EXCEED = "#c0392b"
SERIES = "#1f4e79"


# The rules of xml.sax.saxutils' escape and quoteattr, written out: importing that module pulls
# in urllib.request, http.client and ssl (≈ 15-50 ms of a one-off report's start).


def esc(text: object) -> str:
    """Text content escaped for XML (``<``, ``>``, ``&``)."""
    return str(text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def attr(value: object) -> str:
    """An attribute value, quoted and escaped: double quotes unless the value holds one and
    no single quote; line breaks and tabs as character references."""
    data = esc(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'


def fmt(value: float) -> str:
    """A coordinate with at most one decimal: keeps the SVG small and byte-stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def open_svg(width: float, height: float, label: str) -> str:
    """The root element: scales to its container, labelled for screen readers.

    No ``xmlns``: inline SVG in HTML5 gets its namespace from the parser, and leaving the URL
    out means the report contains no ``http://`` at all.
    """
    return (
        f'<svg viewBox="0 0 {fmt(width)} {fmt(height)}" '
        f'width="100%" role="img" aria-label={attr(label)} font-family="{FONT_STACK}" '
        f'font-size="11" fill="{INK}">'
    )


def text(
    x: float,
    y: float,
    content: object,
    *,
    anchor: str = "start",
    size: float | None = None,
    fill: str | None = None,
    weight: str | None = None,
    rotate: float | None = None,
) -> str:
    """A ``<text>`` element (escaped)."""
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    if size is not None:
        extra += f' font-size="{fmt(size)}"'
    if fill is not None:
        extra += f' fill="{fill}"'
    if weight is not None:
        extra += f' font-weight="{weight}"'
    if rotate is not None:
        extra += f' transform="rotate({fmt(rotate)} {fmt(x)} {fmt(y)})"'
    return f'<text x="{fmt(x)}" y="{fmt(y)}"{extra}>{esc(content)}</text>'


def line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, dash: str = ""
) -> str:
    """A straight ``<line>``."""
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" '
        f'stroke="{stroke}" stroke-width="{fmt(width)}"{extra}/>'
    )


def rect(
    x: float, y: float, w: float, h: float, fill: str, *, opacity: float = 1.0, stroke: str = ""
) -> str:
    """A ``<rect>``; zero or negative sizes are clamped so the SVG stays valid."""
    extra = f' fill-opacity="{fmt(opacity)}"' if opacity < 1 else ""
    if stroke:
        extra += f' stroke="{stroke}"'
    return (
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(max(w, 0))}" height="{fmt(max(h, 0))}" '
        f'fill="{fill}"{extra}/>'
    )


def polyline(points: Iterable[tuple[float, float]], stroke: str, width: float = 1.5) -> str:
    """An open ``<polyline>`` through ``points``."""
    coords = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{stroke}" '
        f'stroke-width="{fmt(width)}" stroke-linejoin="round"/>'
    )


def polygon(points: Iterable[tuple[float, float]], fill: str, opacity: float = 1.0) -> str:
    """A filled ``<polygon>``."""
    coords = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)
    extra = f' fill-opacity="{fmt(opacity)}"' if opacity < 1 else ""
    return f'<polygon points="{coords}" fill="{fill}"{extra}/>'


def circle(cx: float, cy: float, r: float, fill: str, stroke: str = "#fff") -> str:
    """A filled ``<circle>``."""
    return f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r)}" fill="{fill}" stroke="{stroke}"/>'


def axis_label(
    x: float, y: float, content: object, *, anchor: str = "middle", rotate: float | None = None
) -> str:
    """A tick label or an axis title: small and muted, centred unless told."""
    return text(x, y, content, anchor=anchor, size=10, fill=MUTED, rotate=rotate)


def x_ticks(
    ticks: Iterable[tuple[float, object]], y: float, *, grid_top: float | None = None
) -> list[str]:
    """Labelled ticks along a horizontal axis at ``y``, one per ``(x, label)``.

    With ``grid_top``, a grid line from there down to the axis and the label under it; else a
    short tick mark hanging below the axis and the label under the mark.
    """
    parts = []
    for x, label in ticks:
        if grid_top is None:
            parts.append(line(x, y, x, y + 4, MUTED))
            parts.append(axis_label(x, y + 15, label))
        else:
            parts.append(line(x, grid_top, x, y, GRID))
            parts.append(axis_label(x, y + 14, label))
    return parts


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]`` (1-2-5 steps)."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-6:
        ticks.append(round(value, 10))
        value += step
    return ticks


def time_ticks(t_end_min: float, count: int = 8) -> list[float]:
    """Tick positions in minutes on whole hours (or days for long drills)."""
    hours = t_end_min / 60.0
    steps = (1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 96)
    step_h = next((s for s in steps if hours / s <= count), steps[-1])
    return [h * 60.0 for h in range(0, int(hours // step_h * step_h) + 1, step_h)]


def tick_label(value: float) -> str:
    """A tick value without trailing zeros (``0.05``, ``2``, ``1e-04``)."""
    if value == 0:
        return "0"
    if abs(value) < 1e-3:
        return f"{value:.0e}"
    return f"{value:.6g}"


def stagger(positions: Sequence[float], min_gap: float, rows: int = 3) -> list[int]:
    """Assign each position a row so that labels closer than ``min_gap`` do not overlap.

    Positions are processed in order; each takes the first row whose last label is far
    enough away, else the row whose last label is furthest.
    """
    last: list[float] = [-math.inf] * rows
    assigned = []
    for x in positions:
        row = next((r for r in range(rows) if x - last[r] >= min_gap), None)
        if row is None:
            row = min(range(rows), key=lambda r: last[r])
        last[row] = x
        assigned.append(row)
    return assigned
