"""Routing spills and flux curves through the network (the engine room of ``sim.plume``).

Two ways a curve reaches a point:

- **Direct**: a spill's closed form evaluated at the point, through the *equivalent reach*
  of the path (``X = ΣL``, ``u = X/T``, ``K = σ²u³/(2X)``, mean decay rate): mean travel time
  and temporal variance are exact (PLUME.md §1.3) and a one-reach path is the exact solution.
- **Routed**: when an intervention site lies on the path, the spill's *outflow* from the last
  such site is convolved with the first-passage kernel of the rest of the path. On a uniform
  reach this composition is exact (the resident slug is the first-passage density convolved
  with a kernel that does not depend on distance), and the grid kernel conserves mass.

Routing the whole outflow, rather than adding the intervention's change to the direct curve,
leaves no residue of the part of the plume an intervention removed or delayed.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import scipy.fft
from numpy.typing import NDArray

from sim.interventions import Resolved, Window, apply_operators
from sim.river import SECONDS_PER_DAY, Network, PathStats
from sim.sampling import kernel_span, kernel_windows, release_windows
from sim.transport import release_flux, slug_flux, support_s

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class Spill(Protocol):
    """What routing needs of a release (``sim.releases.Release``)."""

    @property
    def substance(self) -> str: ...
    @property
    def reach(self) -> str: ...
    @property
    def km(self) -> float: ...
    @property
    def mass_kg(self) -> float: ...
    @property
    def start_min(self) -> float: ...
    @property
    def duration_min(self) -> float: ...


def decay_per_s(net: Network, substance: str) -> float:
    """A substance's default first-order decay rate in 1/s."""
    return net.substance(substance).decay_per_day / SECONDS_PER_DAY


def equivalent(
    net: Network, source_reach: int, stats: PathStats, decay: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Distance, velocity, K and decay rate of the one reach with the path's mean and variance.

    Targets at the source itself (under 1 m) take the source reach's own parameters.
    """
    x, time, var = stats.distance_m, stats.time_s, stats.variance_s2
    near = x < 1.0
    override = net.decay_override_per_s[source_reach]
    local_decay = decay if np.isnan(override) else override
    safe_x = np.where(near, 1.0, x)
    safe_t = np.where(near, 1.0, np.maximum(time, 1e-9))
    u = np.where(near, net.velocity_mps[source_reach], safe_x / safe_t)
    k_m2s = np.where(
        near, net.dispersion_m2s[source_reach], np.maximum(var * u**3 / (2.0 * safe_x), 1e-3)
    )
    k = np.where(near, local_decay, stats.decay_exponent(decay) / safe_t)
    return x, u, k_m2s, k


def direct_flux(
    net: Network, releases: Sequence[Spill], reach: IntArray, x_m: FloatArray, t_min: FloatArray
) -> FloatArray:
    """Mass flux (kg/s) of each release at target points on a uniform grid.

    Only the window where a curve exceeds e⁻³⁶ of its peak is evaluated, all targets of a
    release in one flat call (no Python loop over sites).

    Returns:
        Shape (n_releases, n_targets, n_t).
    """
    n_t = t_min.size
    t0 = float(t_min[0])
    dt = float(t_min[1] - t_min[0]) if n_t > 1 else 1.0
    flux = np.zeros((len(releases), reach.size, n_t))
    coords = net.coords(reach, x_m)
    for j, rel in enumerate(releases):
        r, xs = net.locate(rel.reach, rel.km)
        stats = net.path_between(r, xs, reach, x_m, coords)
        targets = np.flatnonzero(stats.reachable)
        if targets.size == 0 or rel.mass_kg <= 0:
            continue
        x, u, k_m2s, k = (
            a[targets] for a in equivalent(net, r, stats, decay_per_s(net, rel.substance))
        )
        tau_s = rel.duration_min * 60.0
        # A curve narrower than a grid step is stored as cell averages, so it keeps its mass.
        sigma_s = np.sqrt(2.0 * k_m2s * x / u**3)
        narrow = sigma_s < dt * 60.0
        lo, hi = support_s(x, u, k_m2s)
        pad = np.where(narrow, 0.5 * dt, 0.0)
        first = np.maximum(
            np.ceil((rel.start_min + lo / 60.0 - pad - t0) / dt),
            np.floor((rel.start_min - pad - t0) / dt) + 1,
        ).astype(np.int64)
        last = np.floor((rel.start_min + (hi + tau_s) / 60.0 + pad - t0) / dt).astype(np.int64)
        first, last = np.maximum(first, 0), np.minimum(last, n_t - 1)
        counts = np.maximum(last - first + 1, 0)
        which, cols, values = release_windows(
            x, u, k_m2s, k, first, counts, narrow, t0, dt, rel.start_min, tau_s
        )
        flux[j, targets[which], cols] = rel.mass_kg * values
    return flux


def direct_flux_at(
    net: Network, rel: Spill, reach: int, x_m: float, t_min: FloatArray
) -> FloatArray:
    """One release's mass flux (kg/s) at one point at arbitrary times (exact, no window)."""
    r, xs = net.locate(rel.reach, rel.km)
    stats = net.path_between(r, xs, np.array([reach]), np.array([x_m]))
    if not stats.reachable[0] or rel.mass_kg <= 0:
        return np.zeros(t_min.shape)
    x, u, k_m2s, k = (
        float(a[0]) for a in equivalent(net, r, stats, decay_per_s(net, rel.substance))
    )
    t_s = (t_min - rel.start_min) * 60.0
    if rel.duration_min > 0:
        return rel.mass_kg * release_flux(x, t_s, rel.duration_min * 60.0, u, k_m2s, k)
    return rel.mass_kg * slug_flux(x, t_s, u, k_m2s, k)


def route(
    net: Network,
    site: int,
    curves: FloatArray,
    decays: FloatArray,
    reach: IntArray,
    x_m: FloatArray,
    t_min: FloatArray,
) -> FloatArray:
    """Convolve flux curves leaving ``site`` with the kernel to each target (FFT).

    Only the curves' non-zero span and each kernel's own window take part, each kernel placed
    at its own lag: the transforms are a few plume-widths long, not the whole drill.

    Args:
        curves: Shape (m, n_t), kg/s at the site.
        decays: Decay rate (1/s) of each curve's substance, shape (m,).
        reach, x_m: Target points, all downstream of the site.

    Returns:
        Shape (n_targets, m, n_t).
    """
    n_t = t_min.size
    out = np.zeros((reach.size, curves.shape[0], n_t))
    active = np.flatnonzero(np.any(curves != 0.0, axis=0))
    if active.size == 0 or reach.size == 0:
        return out
    c0, c1 = int(active[0]), int(active[-1])
    span = c1 - c0 + 1
    dt_s = float(t_min[1] - t_min[0]) * 60.0
    stats = net.path_between(net.site_reach[site], net.site_x_m[site], reach, x_m)
    source = int(net.site_reach[site])
    first_all = np.zeros((len(np.unique(decays)), reach.size), dtype=np.int64)
    windows = []
    for g, rate in enumerate(np.unique(decays)):
        x, u, k_m2s, k = equivalent(net, source, stats, float(rate))
        first, weights = _kernels(net, site, reach, x_m, (x, u, k_m2s, k), dt_s, n_t - c0)
        first_all[g] = first
        windows.append((np.flatnonzero(decays == rate), weights))
    width = max(w.shape[1] for _, w in windows)
    kernels = np.zeros((reach.size, curves.shape[0], width))
    for columns, weights in windows:
        kernels[:, columns, : weights.shape[1]] = weights[:, None, :]
    size = scipy.fft.next_fast_len(span + width - 1, real=True)
    spectrum = scipy.fft.rfft(curves[:, c0 : c1 + 1], size, axis=-1)
    routed = scipy.fft.irfft(scipy.fft.rfft(kernels, size, axis=-1) * spectrum, size, axis=-1)
    length = span + width - 1
    for g, (columns, _) in enumerate(windows):
        for i in range(reach.size):
            begin = c0 + int(first_all[g, i])
            count = min(length, n_t - begin)
            if count > 0:
                out[i, columns, begin : begin + count] = routed[i, columns, :count]
    # FFT round-off leaves ±1e-17 ripples where the curve is zero; a flux is never negative.
    return np.maximum(out, 0.0)


_KERNELS_KEPT = 64
_KERNELS: weakref.WeakKeyDictionary[Network, dict[tuple[Any, ...], tuple[IntArray, FloatArray]]]
_KERNELS = weakref.WeakKeyDictionary()


def _kernels(
    net: Network,
    site: int,
    reach: IntArray,
    x_m: FloatArray,
    params: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    dt_s: float,
    limit: int,
) -> tuple[IntArray, FloatArray]:
    """:func:`~sim.sampling.kernel_windows` from ``site`` to the targets, kept on the network.

    A kernel is a property of the river between two points (and the decay rate and grid
    step), not of the spill, so it is shared like the network itself: by every evaluation
    and run on that river. The key holds everything the weights depend on — source, targets,
    decay (in ``params``), step and each kernel's last cell (where ``limit`` cuts it) — so a
    kept kernel is bit for bit the one that would be computed. Treat the arrays as read-only.
    """
    x, u, k_m2s, k = params
    _, last = kernel_span(x, u, k_m2s, dt_s, limit)
    key = (site, reach.tobytes(), x_m.tobytes(), k.tobytes(), dt_s, last.tobytes())
    kept = _KERNELS.get(net)
    if kept is None:
        kept = _KERNELS[net] = {}
    found = kept.get(key)
    if found is None:
        found = kernel_windows(x, u, k_m2s, k, dt_s, limit)
        for array in found:
            array.setflags(write=False)
        if len(kept) >= _KERNELS_KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = found
    return found


@dataclass(frozen=True)
class Routing:
    """Which intervention site each release last passes before each target.

    ``order`` lists intervention sites from upstream down (a site below another comes later).
    """

    order: tuple[int, ...]
    outflows: dict[tuple[int, int], FloatArray]
    """(site, release) → outflow of that release from that site, kg/s on the grid."""

    def last_site(
        self, net: Network, n_releases: int, reach: IntArray, x_m: FloatArray
    ) -> IntArray:
        """Per (release, target point): the last intervention site that changed the release
        on its way to the point, or −1 where the point sees the direct closed form."""
        result = np.full((n_releases, reach.size), -1, dtype=np.int64)
        for site in self.order:
            below = net.reachable(net.site_reach[site], net.site_x_m[site], reach, x_m)
            for j in range(n_releases):
                if (site, j) in self.outflows:
                    result[j, below] = site
        return result


def operator_order(net: Network, resolved: Resolved) -> tuple[int, ...]:
    """Intervention sites from upstream down (a site below another comes later)."""
    return tuple(sorted(resolved.operators, key=lambda i: (-net.site_coords[i, 0], i)))


def intervene(
    net: Network, resolved: Resolved, releases: Sequence[Spill], flux: FloatArray, t_min: FloatArray
) -> Routing:
    """Apply site operators from upstream down, rerouting each changed outflow below.

    Args:
        flux: Direct flux per release at every site, (n_releases, n_sites, n_t); updated in
            place to what each site really sees.

    Returns:
        The routing record (outflows), for evaluating other points later.
    """
    order = operator_order(net, resolved)
    outflows: dict[tuple[int, int], FloatArray] = {}
    if t_min.size < 2:
        return Routing(order, outflows)
    decays = np.array([decay_per_s(net, r.substance) for r in releases])
    for k in range(len(order)):
        intervene_at(net, order, k, resolved.operators[order[k]], decays, flux, t_min, outflows)
    return Routing(order, outflows)


def intervene_at(
    net: Network,
    order: Sequence[int],
    k: int,
    operators: Sequence[tuple[str, Window]],
    decays: FloatArray,
    flux: FloatArray,
    t_min: FloatArray,
    outflows: dict[tuple[int, int], FloatArray],
) -> None:
    """Step ``k`` of :func:`intervene`: the operators of site ``order[k]``, then re-routing.

    What this step does depends only on ``flux`` as the sites before it left it, so a caller
    that kept that state can resume here (``sim.plume.Plume`` does).

    Args:
        order: The intervention sites, upstream first (:func:`operator_order`).
        k: Which of them.
        operators: Its operators.
        decays: Decay rate (1/s) of each release's substance.
        flux: (n_releases, n_sites, n_t), updated in place.
        outflows: (site, release) → changed outflow, added to in place.
    """
    site = order[k]
    inflow = flux[:, site]
    outflow = apply_operators(inflow, t_min, operators)
    changed = np.array(
        [j for j in range(flux.shape[0]) if not np.array_equal(outflow[j], inflow[j])],
        dtype=np.int64,
    )
    if changed.size == 0:
        return  # no effect: keep the exact closed forms below
    for j in changed:
        outflows[(site, int(j))] = outflow[j]
    flux[changed, site] = outflow[changed]
    below = net.reachable(net.site_reach[site], net.site_x_m[site], net.site_reach, net.site_x_m)
    below[list(order[: k + 1])] = False  # itself, and co-located sites processed before
    rows = np.flatnonzero(below)
    if rows.size:
        routed = route(
            net,
            site,
            outflow[changed],
            decays[changed],
            net.site_reach[rows],
            net.site_x_m[rows],
            t_min,
        )
        flux[np.ix_(changed, rows)] = routed.transpose(1, 0, 2)


def flux_at_points(
    net: Network,
    releases: Sequence[Spill],
    routing: Routing,
    reach: IntArray,
    x_m: FloatArray,
    t_min: FloatArray,
) -> FloatArray:
    """Flux per release at arbitrary points on the grid, interventions included.

    Returns:
        Shape (n_releases, n_points, n_t).
    """
    flux = direct_flux(net, releases, reach, x_m, t_min)
    last = routing.last_site(net, len(releases), reach, x_m)
    for (site, j), outflow in routing.outflows.items():
        rows = np.flatnonzero(last[j] == site)
        if rows.size:
            decay = np.array([decay_per_s(net, releases[j].substance)])
            flux[j, rows] = route(
                net, site, outflow[None, :], decay, reach[rows], x_m[rows], t_min
            )[:, 0]
    return flux
