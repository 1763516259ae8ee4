"""What teams do to the river, as operators on the mass-flux curve at a site.

The engine turns team actions into a list of these frozen records (times in drill minutes)
and passes it to :func:`sim.plume.simulate`. Each record acts at one site (or one reach):

- :class:`Interception` — removes ``efficiency`` of the mass passing after ``ready_min``
  (``C_down = C_up·(1 − f·H(t − t_ready))``, PLUME.md §1.5).
- :class:`GateHold` — a dam or sluice holds the river back from ``start_min`` to ``end_min``
  (at latest ``start_min + max_hold``). Chosen model: a **pure delay** (plug flow through the
  pool): nothing passes while closed and, once reopened, everything that arrived since the
  closure passes ``hold`` minutes late; the pool stays raised by Q·hold afterwards. Why: it
  conserves mass, adds no dilution the scenario did not state, and gives the drill the effect
  operators count on ("the hold buys N minutes downstream"). The CSTR alternative of §1.5
  would spread and dilute the plume by a mixed pool volume that scenarios rarely know; it
  would be an optimistic assumption in a drill about protecting intakes.
- :class:`Storage` — diverts the river (or ``rate_m3s`` of it) into a pond of ``volume_m3``
  from ``start_min`` until the pond is full; the diverted share of the flux is removed.
- :class:`IntakeClosed` — changes nothing in the river; the intake stops delivering water, so
  its delivered exceedance excludes the closed period.
- :class:`FlowRelease` — an upstream reservoir release of ``extra_discharge_m3s`` entering at
  the head of ``reach``. Approximation: concentrations below are diluted by Q/(Q+ΔQ) from the
  time the flood wave arrives (kinematic celerity 5/3·u); the faster travel and larger K of the
  raised flow are ignored (so arrival times are not brought forward).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.river import Network, SiteSpec

FloatArray = NDArray[np.float64]
KINEMATIC_CELERITY_RATIO = 5.0 / 3.0
"""Flood-wave celerity / mean velocity for a wide channel with Manning friction."""


@dataclass(frozen=True)
class GateHold:
    """A dam or sluice closed from ``start_min``; reopened at ``end_min`` or after max_hold."""

    site: str
    start_min: float
    end_min: float | None = None


@dataclass(frozen=True)
class Interception:
    """A temporary dam, dosing or carbon point that works from ``ready_min`` on."""

    site: str
    ready_min: float
    efficiency: float | None = None
    """Share of the passing mass removed; default: the site's ``efficiency``."""


@dataclass(frozen=True)
class Storage:
    """Diversion into a reservoir, pond or wetland from ``start_min`` until it is full."""

    site: str
    start_min: float
    volume_m3: float | None = None
    """Default: the site's ``volume_m3``."""
    rate_m3s: float | None = None
    """Diverted discharge; default (and at most) the whole river."""

    def __post_init__(self) -> None:
        if self.volume_m3 is not None and not self.volume_m3 > 0:
            raise ValueError(f"volume_m3(={self.volume_m3}) must be > 0")
        if self.rate_m3s is not None and not self.rate_m3s > 0:
            raise ValueError(f"rate_m3s(={self.rate_m3s}) must be > 0")


@dataclass(frozen=True)
class IntakeClosed:
    """A water intake stops drawing from ``start_min`` until ``end_min`` (None: to the end)."""

    site: str
    start_min: float
    end_min: float | None = None


@dataclass(frozen=True)
class FlowRelease:
    """Extra discharge released into the head of ``reach`` from ``start_min``."""

    reach: str
    start_min: float
    extra_discharge_m3s: float
    end_min: float | None = None

    def __post_init__(self) -> None:
        # A negative release would concentrate the plume (or divide by zero): not a release.
        if not self.extra_discharge_m3s > 0:
            raise ValueError(f"extra_discharge_m3s(={self.extra_discharge_m3s}) must be > 0")


Intervention = GateHold | Interception | Storage | IntakeClosed | FlowRelease
SiteOperator = GateHold | Interception | Storage


@dataclass(frozen=True)
class Window:
    """A resolved interval [start, end) in minutes and a strength (share or hold)."""

    start_min: float
    end_min: float
    value: float


@dataclass(frozen=True)
class Resolved:
    """Interventions checked against the network and reduced to numbers."""

    operators: dict[int, tuple[tuple[str, Window], ...]]
    """Per site index: ("intercept"|"hold"|"divert", window), in time order."""
    intake_closed: dict[int, tuple[Window, ...]]
    releases: tuple[tuple[int, Window], ...]
    """(reach index, window with value = extra discharge m³/s)."""


def resolve(interventions: Iterable[Intervention], network: Network) -> Resolved:
    """Validate interventions against the network and turn them into windows.

    Raises:
        ValueError: On an unknown site or reach, or a missing parameter that the site does
            not supply either (the message names the intervention).
    """
    operators: dict[int, list[tuple[str, Window]]] = {}
    closed: dict[int, list[Window]] = {}
    releases: list[tuple[int, Window]] = []
    for item in interventions:
        if isinstance(item, FlowRelease):
            reach, _ = network.locate(item.reach, 0.0)
            end = np.inf if item.end_min is None else item.end_min
            releases.append((reach, Window(item.start_min, end, item.extra_discharge_m3s)))
            continue
        index = network.site_index.get(item.site)
        if index is None:
            raise ValueError(f"{item!r}: site is not in the network")
        site = network.sites[index]
        if isinstance(item, IntakeClosed):
            end = np.inf if item.end_min is None else item.end_min
            closed.setdefault(index, []).append(Window(item.start_min, end, 1.0))
        else:
            operators.setdefault(index, []).append(_operator_window(item, site, network, index))
    return Resolved(
        {i: tuple(sorted(ops, key=lambda o: o[1].start_min)) for i, ops in operators.items()},
        {i: tuple(w) for i, w in closed.items()},
        tuple(releases),
    )


def _operator_window(
    item: SiteOperator, site: SiteSpec, network: Network, index: int
) -> tuple[str, Window]:
    if isinstance(item, Interception):
        share = item.efficiency if item.efficiency is not None else site.efficiency
        if share is None or not 0.0 <= share <= 1.0:
            raise ValueError(f"{item!r}: efficiency(={share}) must be in [0, 1]")
        return "intercept", Window(item.ready_min, np.inf, share)
    if isinstance(item, GateHold):
        latest = np.inf if site.max_hold_min is None else item.start_min + site.max_hold_min
        end = min(latest, np.inf if item.end_min is None else item.end_min)
        if not np.isfinite(end):
            raise ValueError(f"{item!r}: give end_min (site {site.id} has no max_hold)")
        end = max(end, item.start_min)
        return "hold", Window(item.start_min, end, end - item.start_min)
    volume = item.volume_m3 if item.volume_m3 is not None else site.volume_m3
    if volume is None or volume <= 0:
        raise ValueError(f"{item!r}: volume_m3(={volume}) must be > 0")
    river = float(network.site_discharge_m3s[index])
    rate = river if item.rate_m3s is None else min(item.rate_m3s, river)
    return "divert", Window(item.start_min, item.start_min + volume / rate / 60.0, rate / river)


def apply_operators(
    flux: FloatArray, t_min: FloatArray, operators: Sequence[tuple[str, Window]]
) -> FloatArray:
    """Outflow of a site: its operators applied in time order to the inflow flux.

    Args:
        flux: Inflow mass flux on the grid, shape (..., n_t).
        t_min: The grid (minutes), shape (n_t,).
        operators: As in :attr:`Resolved.operators`.

    Returns:
        A new array, the outflow.
    """
    out = np.array(flux, dtype=np.float64, copy=True)
    for name, window in operators:
        if name == "intercept":
            out[..., t_min >= window.start_min] *= 1.0 - window.value
        elif name == "divert":
            during = (t_min >= window.start_min) & (t_min < window.end_min)
            out[..., during] *= 1.0 - window.value
        else:
            out = _hold(out, t_min, window)
    return out


def _hold(flux: FloatArray, t_min: FloatArray, window: Window) -> FloatArray:
    """Pure delay by ``window.value`` of everything arriving after the closure."""
    before = t_min < window.start_min
    after = t_min >= window.end_min
    shifted = np.zeros_like(flux)
    source_times = t_min[after] - window.value
    rows = flux.reshape(-1, flux.shape[-1])
    out_rows = shifted.reshape(-1, flux.shape[-1])
    for row, out_row in zip(rows, out_rows, strict=True):
        # Linear interpolation between grid points: holds need not be whole steps.
        out_row[after] = np.interp(source_times, t_min, row, left=0.0, right=0.0)
        out_row[before] = row[before]
    return shifted


def flow_factors(
    network: Network,
    releases: Sequence[tuple[int, Window]],
    site_rows: NDArray[np.int64],
    t_min: FloatArray,
) -> FloatArray | None:
    """Dilution factor Q/(Q+ΣΔQ) at sites over time; None when there are no releases.

    Returns:
        Shape (len(site_rows), len(t_min)).
    """
    if not releases:
        return None
    t = np.asarray(t_min, dtype=np.float64)
    extra = np.zeros((len(site_rows), t.size))
    reach = network.site_reach[site_rows]
    x_m = network.site_x_m[site_rows]
    for release_reach, window in releases:
        stats = network.path_between(release_reach, 0.0, reach, x_m)
        wave_min = stats.time_s / KINEMATIC_CELERITY_RATIO / 60.0
        on = (t >= window.start_min + wave_min[:, None]) & (t < window.end_min + wave_min[:, None])
        extra += np.where(stats.reachable[:, None] & on, window.value, 0.0)
    q = network.site_discharge_m3s[site_rows][:, None]
    return np.asarray(q / (q + extra), dtype=np.float64)


def open_minutes_above(windows: Sequence[tuple[float, float]], closed: Sequence[Window]) -> float:
    """Minutes inside the exceedance ``windows`` while the intake was not closed."""
    total = 0.0
    for start, end in windows:
        total += end - start
        for c_start, c_end in merge(closed):
            total -= max(0.0, min(end, c_end) - max(start, c_start))
    return max(total, 0.0)


def merge(windows: Iterable[Window]) -> list[tuple[float, float]]:
    """Union of windows as sorted, disjoint (start, end) pairs."""
    merged: list[list[float]] = []
    for w in sorted(windows, key=lambda w: w.start_min):
        if merged and w.start_min <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], w.end_min)
        else:
            merged.append([w.start_min, w.end_min])
    return [(a, b) for a, b in merged]


_INTERVENTION_TYPES: dict[str, type[Intervention]] = {
    cls.__name__: cls for cls in (GateHold, Interception, Storage, IntakeClosed, FlowRelease)
}


def intervention_data(item: Intervention) -> dict[str, Any]:
    """An intervention as record data: its type name and fields (``truth_intervention``)."""
    data = {k: v for k, v in asdict(item).items() if v is not None}
    return {"type": type(item).__name__, **data}


def intervention_from_data(data: Mapping[str, Any]) -> Intervention | None:
    """The inverse of :func:`intervention_data`; None for records that are not an operator
    on the river (``StopSource`` changes the spills, not the curve)."""
    fields = dict(data)
    cls = _INTERVENTION_TYPES.get(str(fields.pop("type", "")))
    if cls is None:
        return None
    fields.pop("replacing", None)
    return cls(**fields)
