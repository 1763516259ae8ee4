"""Reading a breakthrough curve: first crossing, peak, windows above a threshold.

Vectorised over the rows of a (sites × time) array. Crossing times are interpolated linearly
between grid points and the peak parabolically, so results do not snap to the grid step.
"""

from __future__ import annotations

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
    start_rows, start_cols = np.nonzero(change == 1)  # first column above
    end_rows, end_cols = np.nonzero(change == -1)  # first column below again
    starts = np.where(start_cols > 0, 0.0, t[0])
    inner = start_cols > 0
    starts[inner] = _cross(t, y, start_rows[inner], start_cols[inner] - 1, thr)
    ends = np.where(end_cols < n_t, 0.0, t[-1])
    inner = end_cols < n_t
    ends[inner] = _cross(t, y, end_rows[inner], end_cols[inner] - 1, thr)
    result: list[tuple[tuple[float, float], ...]] = [() for _ in range(n_rows)]
    bounds = np.searchsorted(start_rows, np.arange(n_rows + 1))
    for row in np.unique(start_rows):
        lo, hi = bounds[row], bounds[row + 1]
        result[row] = tuple(
            (float(a), float(b)) for a, b in zip(starts[lo:hi], ends[lo:hi], strict=True)
        )
    return result
