"""Reading a breakthrough curve: first crossing, peak, windows above a threshold.

Vectorised over the rows of a (sites × time) array. Crossing times are interpolated linearly
between grid points and the peak parabolically, so results do not snap to the grid step.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def _cross(
    t: FloatArray,
    y: FloatArray,
    rows: NDArray[np.intp],
    before: NDArray[np.intp],
    threshold: FloatArray,
) -> FloatArray:
    """Time where row ``rows`` crosses ``threshold`` between columns ``before`` and +1."""
    y0 = y[rows, before]
    y1 = y[rows, before + 1]
    span = y1 - y0
    share = np.divide(threshold[rows] - y0, span, out=np.zeros_like(span), where=span != 0)
    return t[before] + np.clip(share, 0.0, 1.0) * (t[before + 1] - t[before])


def first_crossing(t: FloatArray, y: FloatArray, threshold: ArrayLike) -> FloatArray:
    """First time each row rises above ``threshold`` (NaN where it never does).

    Args:
        t: Grid times, shape (n_t,).
        y: Curves, shape (n_rows, n_t).
        threshold: Scalar or per-row thresholds.
    """
    thr = np.broadcast_to(np.asarray(threshold, dtype=np.float64), (y.shape[0],))
    above = y > thr[:, None]
    first = np.argmax(above, axis=1)
    hit = above[np.arange(y.shape[0]), first]
    result = np.full(y.shape[0], np.nan)
    rows = np.flatnonzero(hit & (first > 0))
    result[rows] = _cross(t, y, rows, first[rows] - 1, thr)
    result[hit & (first == 0)] = t[0]
    return result


def first_crossing_of(t: FloatArray, y: FloatArray, threshold: float) -> float | None:
    """:func:`first_crossing` of one curve, as a float (None where it never rises above).

    The same arithmetic on one row without the per-row machinery: the engine asks this of
    one site at a time, where numpy's per-call overhead is most of the cost.
    """
    above = y > threshold
    first = int(above.argmax())
    if not above[first]:
        return None
    if first == 0:
        return float(t[0])
    y0, y1 = float(y[first - 1]), float(y[first])
    span = y1 - y0
    share = (threshold - y0) / span if span != 0 else 0.0
    t0, t1 = float(t[first - 1]), float(t[first])
    return t0 + min(max(share, 0.0), 1.0) * (t1 - t0)


def value_at(t: Sequence[float], y: Sequence[float], x: float) -> float:
    """``np.interp(x, t, y)`` for one time ``x`` (not NaN) on Python lists (``t`` increasing).

    The same arithmetic as numpy's ``arr_interp`` (same branches, same operations, so the
    same float), without a numpy call per value: the engine reads one value per sample.
    """
    last = len(t) - 1
    if x < t[0]:
        return y[0]
    if x >= t[last]:
        return y[last]
    j = bisect_right(t, x) - 1
    if t[j] == x:
        return y[j]
    slope = (y[j + 1] - y[j]) / (t[j + 1] - t[j])
    value = slope * (x - t[j]) + y[j]
    if value != value:  # NaN one way: try the other, as numpy does
        value = slope * (x - t[j + 1]) + y[j + 1]
        if value != value and y[j] == y[j + 1]:
            value = y[j]
    return value


def peaks(t: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Time and value of each row's maximum, refined by a parabola through three points."""
    n_rows, n_t = y.shape
    index = np.argmax(y, axis=1)
    rows = np.arange(n_rows)
    value = y[rows, index]
    time = t[index].astype(np.float64)
    inner = (index > 0) & (index < n_t - 1)
    r, i = rows[inner], index[inner]
    y0, y1, y2 = y[r, i - 1], y[r, i], y[r, i + 1]
    curvature = y0 - 2.0 * y1 + y2
    ok = curvature < 0
    shift = np.where(ok, 0.5 * (y0 - y2) / np.where(ok, curvature, -1.0), 0.0)
    step = t[i + 1] - t[i]
    time[inner] = t[i] + shift * step
    value[inner] = y1 - 0.25 * (y0 - y2) * shift
    return time, value


def windows_above(
    t: FloatArray, y: FloatArray, threshold: ArrayLike
) -> list[tuple[tuple[float, float], ...]]:
    """Intervals where each row is above ``threshold``; an open end is cut at the grid's end."""
    n_rows, n_t = y.shape
    thr = np.broadcast_to(np.asarray(threshold, dtype=np.float64), (n_rows,))
    above = y > thr[:, None]
    padded = np.zeros((n_rows, n_t + 2), dtype=np.int8)
    padded[:, 1:-1] = above
    change = np.diff(padded, axis=1)
    # Flat indices split by divmod: the same row-major order as np.nonzero, at a third of
    # the cost on the small arrays of a drill.
    start_rows, start_cols = np.divmod(np.flatnonzero(change == 1), n_t + 1)  # first above
    end_rows, end_cols = np.divmod(np.flatnonzero(change == -1), n_t + 1)  # first below again
    starts = np.where(start_cols > 0, 0.0, t[0])
    inner = start_cols > 0
    starts[inner] = _cross(t, y, start_rows[inner], start_cols[inner] - 1, thr)
    ends = np.where(end_cols < n_t, 0.0, t[-1])
    inner = end_cols < n_t
    ends[inner] = _cross(t, y, end_rows[inner], end_cols[inner] - 1, thr)
    # Starts and ends pair up in order: both come row by row, each row's in time order.
    grouped: dict[int, list[tuple[float, float]]] = {}
    for row, a, b in zip(start_rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
        grouped.setdefault(row, []).append((a, b))
    result: list[tuple[tuple[float, float], ...]] = [() for _ in range(n_rows)]
    for row, found in grouped.items():
        result[row] = tuple(found)
    return result
