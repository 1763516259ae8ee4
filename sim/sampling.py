"""Putting closed-form curves on the time grid, accurately and cheaply.

- Values at grid times, evaluated only inside each curve's window (``transport.support_s``).
- A release whose duration is whole grid steps evaluates its primitive once and differences
  it with a shift (half the special-function calls).
- Curves narrower than a grid step are stored as cell averages so they keep their mass.
- Wide curves are evaluated exactly every σ/8 (less where the curve is skewed) with their
  exact slopes, and cubic Hermite fills the cells between: relative error ~10⁻⁶ for values,
  ~10⁻⁵ for routing kernel weights, and a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from sim.transport import (
    release_flux,
    release_primitive,
    slug_flux,
    slug_peak_time_s,
    support_s,
    transfer_cdf,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

ROUTING_TAIL_EXPONENT = 28.0
"""Routing kernels are cut where they fall below e⁻²⁸ ≈ 7·10⁻¹³ of their peak."""


def release_windows(
    x: FloatArray,
    u: FloatArray,
    k_m2s: FloatArray,
    k: FloatArray,
    first: IntArray,
    counts: IntArray,
    narrow: NDArray[np.bool_],
    t0: float,
    dt: float,
    start_min: float,
    tau_s: float,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Unit-mass flux of one release on each target's window of grid cells.

    Args:
        x, u, k_m2s, k: Equivalent-reach parameters per target.
        first, counts: Each target's window: first grid index and number of cells.
        narrow: Targets whose curve is narrower than a step (stored as cell averages).
        t0, dt: Grid start and step (minutes).
        start_min, tau_s: Release start (minutes) and duration (seconds).

    Returns:
        Flat arrays: target index, grid column and value of every evaluated cell.
    """
    sigma_s = np.sqrt(2.0 * k_m2s * x / u**3)
    scale = _smooth_scale_s(x, u, k_m2s, sigma_s)
    stride = np.maximum(1, np.floor(scale / (HERMITE_POINTS_PER_SIGMA * dt * 60.0)))
    stride = np.where((tau_s > 0) & ~narrow, stride, 1).astype(np.int64)
    parts: list[tuple[IntArray, IntArray, FloatArray]] = []
    for smooth in (False, True):
        members = np.flatnonzero(((stride > 1) == smooth) & (counts > 0))
        if members.size == 0:
            continue
        count = counts[members]
        which = np.repeat(members, count)
        cols = np.arange(int(count.sum())) - np.repeat(
            np.cumsum(count) - count - first[members], count
        )
        part = (x[members], u[members], k_m2s[members], k[members])
        if smooth:
            values = _hermite_release(
                *part, first[members], count, stride[members], t0, dt, start_min, tau_s
            )
        else:
            values = _exact_values(
                *part, first[members], count, narrow[members], t0, dt, start_min, tau_s
            )
        parts.append((which, cols, values))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    which, cols, values = (np.concatenate(c) for c in zip(*parts, strict=True))
    return which, cols, values


HERMITE_POINTS_PER_SIGMA = 8


def _smooth_scale_s(
    x: FloatArray, u: FloatArray, k_m2s: FloatArray, sigma_s: FloatArray
) -> FloatArray:
    """Time scale on which a curve changes: σ, or less where the curve is skewed.

    At low Péclet number the peak comes early and steep (t_p ≪ σ); half the peak time then
    bounds the scale so interpolation never steps over the rise.
    """
    return np.minimum(sigma_s, 0.5 * slug_peak_time_s(x, u, k_m2s))


def _exact_values(
    x: FloatArray,
    u: FloatArray,
    k_m2s: FloatArray,
    k: FloatArray,
    first: IntArray,
    counts: IntArray,
    narrow: NDArray[np.bool_],
    t0: float,
    dt: float,
    start_min: float,
    tau_s: float,
) -> FloatArray:
    """Closed-form values on each target's window (flattened), cell averages where narrow."""
    which = np.repeat(np.arange(x.size), counts)
    cols = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts - first, counts)
    t_s = np.asarray((t0 + cols * dt - start_min) * 60.0, dtype=np.float64)
    params = (u[which], k_m2s[which], k[which])
    shift = tau_s / (dt * 60.0)
    if tau_s > 0 and abs(shift - round(shift)) < 1e-9:
        # τ is whole grid steps: P(t−τ) is P a few cells back, so evaluate P only once.
        values = _shifted_difference(
            x, u, k_m2s, k, first, counts, round(shift), t0, dt, start_min, tau_s
        )
    elif tau_s > 0:
        values = release_flux(x[which], t_s, tau_s, *params)
    else:
        values = slug_flux(x[which], t_s, *params)
    fine = narrow[which]
    if np.any(fine):
        values[fine] = _cell_averages(
            x[which][fine], t_s[fine], tau_s, dt * 60.0, *(p[fine] for p in params)
        )
    return values


def _hermite_release(
    x: FloatArray,
    u: FloatArray,
    k_m2s: FloatArray,
    k: FloatArray,
    first: IntArray,
    counts: IntArray,
    stride: IntArray,
    t0: float,
    dt: float,
    start_min: float,
    tau_s: float,
) -> FloatArray:
    """Release flux on each window from exact values and slopes every ``stride`` cells."""

    def value(i: IntArray, t: FloatArray) -> FloatArray:
        return release_flux(x[i], t, tau_s, u[i], k_m2s[i], k[i])

    def slope(i: IntArray, t: FloatArray) -> FloatArray:
        p = (x[i], u[i], k_m2s[i], k[i])
        return (slug_flux(p[0], t, *p[1:]) - slug_flux(p[0], t - tau_s, *p[1:])) / tau_s

    t_first = np.asarray((t0 + first * dt - start_min) * 60.0, dtype=np.float64)
    return np.maximum(hermite_windows(t_first, counts, stride, dt * 60.0, value, slope), 0.0)


def hermite_windows(
    t_first_s: FloatArray,
    counts: IntArray,
    stride: IntArray,
    dt_s: float,
    value: Callable[[IntArray, FloatArray], FloatArray],
    slope: Callable[[IntArray, FloatArray], FloatArray],
) -> FloatArray:
    """Sample smooth curves on windows of ``counts`` cells (step ``dt_s``) from ``t_first_s``.

    ``value(i, t)`` and ``slope(i, t)`` give curve i and its time derivative exactly; they
    are called every ``stride[i]`` cells and cubic Hermite fills the cells between (exact at
    the nodes; stride 1 is plain evaluation).

    Returns:
        The windows, flattened in target order.
    """
    n = counts.size
    nodes = (counts - 1 + stride - 1) // stride + 1  # the last node is at or past the end
    node_offsets = np.cumsum(nodes) - nodes
    node_owner = np.repeat(np.arange(n), nodes)
    node_index = np.arange(int(nodes.sum())) - node_offsets[node_owner]
    node_stride = stride[node_owner]
    node_t = t_first_s[node_owner] + node_index * node_stride * dt_s
    f0 = value(node_owner, node_t)
    d0 = slope(node_owner, node_t) * (node_stride * dt_s)
    # Segment j runs from node j to node j+1 (the last node pairs with itself, weight 0).
    last = node_index == nodes[node_owner] - 1
    f1 = np.where(last, f0, np.roll(f0, -1))
    d1 = np.where(last, d0, np.roll(d0, -1))
    c2 = 3.0 * (f1 - f0) - 2.0 * d0 - d1
    c3 = 2.0 * (f0 - f1) + d0 + d1
    # Cells per segment, then every per-segment quantity spread by a contiguous repeat.
    cells = np.clip(counts[node_owner] - node_index * node_stride, 0, node_stride)
    total = int(cells.sum())
    starts = np.cumsum(cells) - cells
    w = np.arange(total, dtype=np.float64)
    w -= np.repeat(starts, cells)
    w /= np.repeat(node_stride, cells)
    # f0 + w·(d0 + w·(c2 + w·c3)) by Horner in place: the same operations, no temporaries.
    out = np.repeat(c3, cells)
    out *= w
    out += np.repeat(c2, cells)
    out *= w
    out += np.repeat(d0, cells)
    out *= w
    out += np.repeat(f0, cells)
    return out


def _shifted_difference(
    x: FloatArray,
    u: FloatArray,
    k_m2s: FloatArray,
    k: FloatArray,
    first: IntArray,
    counts: IntArray,
    shift: int,
    t0: float,
    dt: float,
    start_min: float,
    tau_s: float,
) -> FloatArray:
    """Release flux on each target's window from one evaluation of the primitive P."""
    extended = counts + shift
    offsets = np.cumsum(extended) - extended
    owner = np.repeat(np.arange(x.size), extended)
    position = np.arange(int(extended.sum())) - offsets[owner]
    t_s = (t0 + (first[owner] - shift + position) * dt - start_min) * 60.0
    primitive = release_primitive(x[owner], t_s, u[owner], k_m2s[owner], k[owner])
    keep = position >= shift
    upper = np.flatnonzero(keep)
    flux = (primitive[upper] - primitive[upper - shift]) / tau_s
    return np.maximum(flux, 0.0)


MAX_SUB_RELEASES = 256
"""A narrow finite release is split into at most this many slugs (else point-sampled)."""


def _cell_averages(
    x: FloatArray,
    t_s: FloatArray,
    tau_s: float,
    dt_s: float,
    u: FloatArray,
    k_m2s: FloatArray,
    k: FloatArray,
) -> FloatArray:
    """Mean flux over grid cells centred on ``t_s``: exact for a slug (the slug's integral
    over the cell is the release primitive over one step); a release of duration τ is split
    into ⌈τ/dt⌉ slugs at the centres of its parts, which keeps its mass exactly."""
    parts = int(np.ceil(tau_s / dt_s - 1e-9))
    if parts > MAX_SUB_RELEASES:
        return release_flux(x, t_s, tau_s, u, k_m2s, k)
    if parts == 0:
        return release_flux(x, t_s + 0.5 * dt_s, dt_s, u, k_m2s, k)
    centres = (np.arange(parts) + 0.5) * tau_s / parts
    shifted = t_s[:, None] - centres[None, :] + 0.5 * dt_s
    cells = release_flux(x[:, None], shifted, dt_s, u[:, None], k_m2s[:, None], k[:, None])
    return np.asarray(cells.mean(axis=1), dtype=np.float64)


def kernel_span(
    x: FloatArray, u: FloatArray, k_m2s: FloatArray, dt_s: float, limit: int
) -> tuple[IntArray, IntArray]:
    """First and last grid cell of each routing kernel of :func:`kernel_windows` (cheap: no
    special function); with the kernel's parameters they fix its weights."""
    at_source = x < 1.0
    lo, hi = support_s(x, u, k_m2s, ROUTING_TAIL_EXPONENT)
    first = np.where(at_source, 0, np.maximum(0, np.floor(lo / dt_s + 0.5))).astype(np.int64)
    last = np.where(at_source, 0, np.ceil(hi / dt_s + 0.5)).astype(np.int64)
    return first, np.maximum(np.minimum(last, limit - 1), first)


def kernel_windows(
    x: FloatArray, u: FloatArray, k_m2s: FloatArray, k: FloatArray, dt_s: float, limit: int
) -> tuple[IntArray, FloatArray]:
    """Grid routing kernels for many targets at once, each cut to its own window.

    Weight j of target i is the share of a pulse arriving in grid cell ``first[i] + j``
    (cell integrals of the first-passage density, so the weights sum to the decay factor).

    Returns:
        ``first`` (n,) and ``weights`` (n, max width); cells past ``limit`` are dropped.
    """
    first, last = kernel_span(x, u, k_m2s, dt_s, limit)
    counts = last - first + 1
    # Cell edges of every window, all targets in one flat array; wide kernels from exact CDF
    # values and densities every σ/8 (cubic Hermite between), narrow ones exactly.
    sigma_s = np.sqrt(2.0 * k_m2s * x / u**3)
    scale = _smooth_scale_s(x, u, k_m2s, sigma_s)
    stride = np.maximum(1, np.floor(scale / (HERMITE_POINTS_PER_SIGMA * dt_s))).astype(np.int64)
    n_edges = counts + 1

    def cdf(i: IntArray, t: FloatArray) -> FloatArray:
        return transfer_cdf(x[i], t, u[i], k_m2s[i], k[i])

    def density(i: IntArray, t: FloatArray) -> FloatArray:
        safe = np.maximum(t, 1e-9)
        return slug_flux(x[i], safe, u[i], k_m2s[i], k[i]) * x[i] / (u[i] * safe)

    starts = np.asarray((first - 0.5) * dt_s, dtype=np.float64)
    edges = hermite_windows(starts, n_edges, stride, dt_s, cdf, density)
    offsets = np.cumsum(n_edges) - n_edges
    owner = np.repeat(np.arange(x.size), n_edges)
    position = np.arange(int(n_edges.sum())) - offsets[owner]
    step = np.diff(edges)
    weights = np.zeros((x.size, int(counts.max())))
    keep = np.ones(step.size, dtype=bool)
    keep[(offsets + n_edges - 1)[:-1]] = False  # the step between one window and the next
    rows = owner[:-1][keep]
    weights[rows, position[:-1][keep]] = step[keep]
    return first, weights
