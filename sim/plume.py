"""The plume: what every site sees of the spills, given what the teams did.

API (pure functions of their arguments; numpy/scipy only)::

    network = Network.from_scenario(scenario)                  # sim.river
    truth = simulate(network, scenario.spills, interventions, t_end_min=2880)
    truth.sites["wulong-intake"].arrival_min / .peak_mg_l / .exceedances / ...
    truth.concentration_at("wulong-intake", t_min)             # any time(s), mg/L
    truth.along(network.points_downstream("wj-up", 5.0))       # space–time array
    summarize(network, SpillBatch(...))                        # sim.summary, Monte Carlo
    preview_rows(scenario)                                     # `riverdrill preview`

Interventions (``sim.interventions``): ``GateHold``, ``Interception``, ``Storage``,
``IntakeClosed``, ``FlowRelease`` — frozen records with their start times, in drill minutes.

How: each spill reaches each site through one *equivalent reach* that keeps the exact mean
travel time and temporal variance of the path (moments add over reaches, PLUME.md §1.3),
evaluated in closed form (exact when the path is one reach): a slug, or the stable
erfc/erfcx form for a release of finite duration. Spills superpose. Interventions are
operators on the mass-flux curve at their site, applied from upstream down; a changed outflow
is routed to the sites below by convolution with the first-passage kernel (mass exact), see
``sim.routing``. Concentration = mass flux / discharge at the site, so confluences dilute.

Conventions: a site that holds an intervention reports its *outflow* (what passes the
structure). Series are values at grid times, except curves narrower than a grid step, which
are stored as cell averages so that they keep their mass. With several substances,
exceedance uses the sum of concentration/standard over substances; concentrations and peaks
are reported for the first spill's substance. Arrival is the first time above
``detection_fraction`` (default 10⁻³) of the standard, or above ``detection_mg_l``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.breakthrough import first_crossing, peaks, windows_above
from sim.interventions import (
    Intervention,
    Resolved,
    Window,
    flow_factors,
    open_minutes_above,
    resolve,
)
from sim.river import Network
from sim.routing import (
    Routing,
    decay_per_s,
    direct_flux,
    direct_flux_at,
    flux_at_points,
    intervene_at,
    operator_order,
)

if TYPE_CHECKING:
    from scenarios.schema import Scenario, Spill

FloatArray = NDArray[np.float64]
KG_M3_TO_MG_L = 1000.0
DEFAULT_DETECTION_FRACTION = 1e-3
"""Arrival = first time above this share of the standard (unless a detection limit is set)."""

__all__ = [
    "Plume",
    "Release",
    "SiteTruth",
    "Truth",
    "preview_rows",
    "releases_from_scenario",
    "simulate",
]


@dataclass(frozen=True)
class Release:
    """One spill in plain numbers: ``mass_kg`` released evenly over ``duration_min``."""

    substance: str
    reach: str
    km: float
    mass_kg: float
    start_min: float = 0.0
    duration_min: float = 0.0

    @classmethod
    def from_spill(cls, spill: Spill, network: Network) -> Release:
        """Convert a scenario spill, placing a ``site`` spill at that site's reach and km."""
        if spill.site is not None:
            site = network.site(spill.site)
            reach, km = site.reach, site.km
        else:
            assert spill.reach is not None and spill.km is not None
            reach, km = spill.reach, spill.km
        return cls(spill.substance, reach, km, spill.total_mass_kg, spill.start, spill.duration)


def releases_from_scenario(scenario: Scenario, network: Network) -> tuple[Release, ...]:
    """Every spill of a (variant-drawn) scenario as a :class:`Release`."""
    return tuple(Release.from_spill(s, network) for s in scenario.spills)


@dataclass(frozen=True, eq=False)
class SiteTruth:
    """What one site saw: series on :attr:`t_min` and the numbers scoring reads."""

    id: str
    kind: str
    reach: str
    km: float
    t_min: FloatArray
    concentration_mg_l: FloatArray
    """First spill's substance, mg/L, on the grid."""
    ratio: FloatArray
    """Σ concentration/standard over substances (= C/standard for one substance)."""
    standard_mg_l: float
    arrival_min: float | None
    """First time above the detection threshold; None if never."""
    peak_min: float | None
    peak_mg_l: float
    exceedances: tuple[tuple[float, float], ...]
    """Windows above the standard (factor 1), minutes."""
    mass_passed_kg: float
    delivered_exceedance_min: float | None
    """Intakes: minutes open while above the standard; None for other kinds."""

    @property
    def exceed_start_min(self) -> float | None:
        """Start of the first exceedance window."""
        return self.exceedances[0][0] if self.exceedances else None

    @property
    def exceed_end_min(self) -> float | None:
        """End of the last exceedance window."""
        return self.exceedances[-1][1] if self.exceedances else None

    @property
    def exceed_min(self) -> float:
        """Total minutes above the standard."""
        return sum(b - a for a, b in self.exceedances)

    def exceedance_windows(self, factor: float = 1.0) -> tuple[tuple[float, float], ...]:
        """Windows above ``factor`` × standard."""
        return windows_above(self.t_min, self.ratio[None, :], factor)[0]


@dataclass(frozen=True, eq=False)
class Truth:
    """The simulated truth of one run; ``sites`` maps site id to :class:`SiteTruth`."""

    network: Network
    releases: tuple[Release, ...]
    substances: tuple[str, ...]
    t_min: FloatArray
    sites: dict[str, SiteTruth]
    resolved: Resolved
    routing: Routing = field(repr=False)
    release_flux: FloatArray = field(repr=False)
    """Mass flux (kg/s) per release at every site, (n_releases, n_sites, n_t)."""

    def concentration_at(
        self, site_id: str, t_min: float | ArrayLike, substance: str | None = None
    ) -> float | FloatArray:
        """Concentration (mg/L) of a substance (default: the first spill's) at arbitrary times.

        Exact closed form for spills no intervention has changed on their way to the site;
        for the others, the simulated series interpolated linearly.
        """
        net = self.network
        index = net.site_index[net.site(site_id).id]
        wanted = substance or self.substances[0]
        t = np.asarray(t_min, dtype=np.float64)
        flat = t.ravel()
        last = self.routing.last_site(
            net, len(self.releases), net.site_reach[[index]], net.site_x_m[[index]]
        )[:, 0]
        flux = np.zeros(flat.shape)
        for j, rel in enumerate(self.releases):
            if rel.substance != wanted:
                continue
            if last[j] < 0:
                flux += direct_flux_at(
                    net, rel, int(net.site_reach[index]), float(net.site_x_m[index]), flat
                )
            else:
                flux += np.interp(
                    flat, self.t_min, self.release_flux[j, index], left=0.0, right=0.0
                )
        conc = flux * KG_M3_TO_MG_L / net.site_discharge_m3s[index]
        factor = flow_factors(net, self.resolved.releases, np.array([index]), flat)
        if factor is not None:
            conc = conc * factor[0]
        return float(conc[0]) if t.ndim == 0 else conc.reshape(t.shape)

    def along(
        self, points: Sequence[tuple[str, float]], substance: str | None = None
    ) -> FloatArray:
        """Concentration (mg/L) at (reach, km) points on the grid: shape (n_points, n_t).

        For space–time charts, e.g. ``truth.along(network.points_downstream(reach, km))``.
        Flow releases are not applied here (they only dilute sites, see ``interventions``).
        """
        net = self.network
        located = [net.locate(r, km) for r, km in points]
        reach = np.array([p[0] for p in located], dtype=np.int64)
        x_m = np.array([p[1] for p in located])
        wanted = substance or self.substances[0]
        chosen = [j for j, rel in enumerate(self.releases) if rel.substance == wanted]
        flux = flux_at_points(net, self.releases, self.routing, reach, x_m, self.t_min)
        q = np.array([net.discharge_at(int(r), float(x)) for r, x in zip(reach, x_m, strict=True)])
        return np.asarray(flux[chosen].sum(axis=0) * KG_M3_TO_MG_L / q[:, None], dtype=np.float64)


def _coerce(spills: Iterable[Release | Spill], network: Network) -> tuple[Release, ...]:
    return tuple(s if isinstance(s, Release) else Release.from_spill(s, network) for s in spills)


_Steps = tuple[tuple[int, tuple[tuple[str, Window], ...]], ...]
"""Intervention sites, upstream first, each with its operators: what a routing state depends on."""


class Plume:
    """The spills of one run on one time grid, prepared once, evaluated under interventions.

    A run asks for the truth again whenever the interventions in force change, always with
    the same spills and grid. The direct flux of every release at every site does not depend
    on the interventions (it is most of the cost of a first evaluation), so it is computed
    once. Interventions act from upstream down, and the flux a step leaves behind depends only
    on the steps before it: the state after each intervention site is kept, keyed by those
    steps, so adding an intervention below the ones in force re-routes only from the new site
    down. Truths are cached by the exact intervention set. Results are bit-identical to
    evaluating from scratch; treat their arrays as read-only.

    Args:
        network: The river.
        spills: :class:`Release` records or scenario ``Spill`` models (times in minutes).
        t_end_min: Last grid time (minutes from the drill start).
        dt_min: Grid step (minutes); it should resolve the narrowest curve of interest
            (values at grid times are exact; a curve narrower than a step is under-sampled).
        t_start_min: First grid time.
        detection_fraction: Arrival threshold as a share of the standard.
        detection_mg_l: Arrival threshold as a detection limit (first substance), instead.

    Raises:
        ValueError: For an empty grid, no spill, an unknown substance, reach or site.
    """

    STATES_KEPT = 16
    """Routing states kept (each is one flux array); the oldest goes first."""

    def __init__(
        self,
        network: Network,
        spills: Iterable[Release | Spill],
        *,
        t_end_min: float,
        dt_min: float = 1.0,
        t_start_min: float = 0.0,
        detection_fraction: float = DEFAULT_DETECTION_FRACTION,
        detection_mg_l: float | None = None,
    ) -> None:
        if dt_min <= 0 or t_end_min <= t_start_min:
            raise ValueError(
                f"need dt_min > 0 and t_end_min > t_start_min (got dt_min={dt_min}, "
                f"{t_start_min}..{t_end_min} min)"
            )
        net = self.network = network
        self.releases = _coerce(spills, net)
        if not self.releases:
            raise ValueError("simulate needs at least one spill")
        self.substances = tuple(dict.fromkeys(r.substance for r in self.releases))
        self.standards = np.array([net.substance(s).standard_mg_l for s in self.substances])
        steps = int(np.floor((t_end_min - t_start_min) / dt_min + 1e-9))
        self.t_min = np.asarray(t_start_min + dt_min * np.arange(steps + 1), dtype=np.float64)
        self.detection_fraction = detection_fraction
        self.detection_mg_l = detection_mg_l
        self._decays = np.array([decay_per_s(net, r.substance) for r in self.releases])
        self._direct: FloatArray | None = None
        self._states: dict[_Steps, tuple[FloatArray, dict[tuple[int, int], FloatArray]]] = {}
        self._truths: dict[tuple[Intervention, ...], Truth] = {}

    @property
    def direct(self) -> FloatArray:
        """Mass flux (kg/s) per release at every site with no intervention (read-only)."""
        if self._direct is None:
            net = self.network
            self._direct = direct_flux(net, self.releases, net.site_reach, net.site_x_m, self.t_min)
        return self._direct

    def truth(self, interventions: Iterable[Intervention] = ()) -> Truth:
        """Concentration series and their key numbers at every site under ``interventions``.

        Returns:
            A :class:`Truth` (the same object for the same interventions in the same order).

        Raises:
            ValueError: For an intervention at an unknown site or reach.
        """
        key = tuple(interventions)
        found = self._truths.get(key)
        if found is None:
            found = self._truths[key] = self._evaluate(key)
        return found

    def _evaluate(self, interventions: tuple[Intervention, ...]) -> Truth:
        net, t_min = self.network, self.t_min
        resolved = resolve(interventions, net)
        order = operator_order(net, resolved)
        outflows: dict[tuple[int, int], FloatArray]
        if t_min.size < 2 or not order:
            # Shared with the cache, not copied: a truth's arrays are read-only.
            per_release, outflows = self.direct, {}
        else:
            per_release, outflows = self._route(order, resolved)
        routing = Routing(order, outflows)
        substances = self.substances
        index = [substances.index(rel.substance) for rel in self.releases]
        if index == list(range(len(substances))):
            # One release per substance, in order: the sum below would only add zeros.
            flux = per_release.transpose(1, 0, 2)
        else:
            flux = np.zeros((len(net.sites), len(substances), t_min.size))
            for j, i in enumerate(index):
                flux[:, i] += per_release[j]
        conc = flux * (KG_M3_TO_MG_L / net.site_discharge_m3s)[:, None, None]
        factor = flow_factors(net, resolved.releases, np.arange(len(net.sites)), t_min)
        if factor is not None:
            conc *= factor[:, None, :]
        sites = _site_truths(
            net,
            resolved,
            t_min,
            conc,
            flux,
            self.standards,
            self.detection_fraction,
            self.detection_mg_l,
        )
        return Truth(net, self.releases, substances, t_min, sites, resolved, routing, per_release)

    def _route(
        self, order: tuple[int, ...], resolved: Resolved
    ) -> tuple[FloatArray, dict[tuple[int, int], FloatArray]]:
        """The flux after every intervention site, resumed from the longest kept state."""
        steps: _Steps = tuple((site, resolved.operators[site]) for site in order)
        done = len(steps)
        while done and steps[:done] not in self._states:
            done -= 1
        flux, outflows = self._states[steps[:done]] if done else (self.direct, {})
        flux, outflows = flux.copy(), dict(outflows)
        for k in range(done, len(steps)):
            intervene_at(
                self.network, order, k, steps[k][1], self._decays, flux, self.t_min, outflows
            )
            if len(self._states) >= self.STATES_KEPT:
                self._states.pop(next(iter(self._states)))
            self._states[steps[: k + 1]] = (flux.copy(), dict(outflows))
        return flux, outflows


def simulate(
    network: Network,
    spills: Iterable[Release | Spill],
    interventions: Iterable[Intervention] = (),
    *,
    t_end_min: float,
    dt_min: float = 1.0,
    t_start_min: float = 0.0,
    detection_fraction: float = DEFAULT_DETECTION_FRACTION,
    detection_mg_l: float | None = None,
) -> Truth:
    """Concentration series and their key numbers at every site.

    One evaluation of a :class:`Plume`; to evaluate the same spills under several sets of
    interventions, build the :class:`Plume` once and call :meth:`Plume.truth`.

    Args:
        network: The river.
        spills: :class:`Release` records or scenario ``Spill`` models (times in minutes).
        interventions: Team actions already turned into intervention records.
        t_end_min: Last grid time (minutes from the drill start).
        dt_min: Grid step (minutes); it should resolve the narrowest curve of interest
            (values at grid times are exact; a curve narrower than a step is under-sampled).
        t_start_min: First grid time.
        detection_fraction: Arrival threshold as a share of the standard.
        detection_mg_l: Arrival threshold as a detection limit (first substance), instead.

    Returns:
        A :class:`Truth`.

    Raises:
        ValueError: For an empty grid, no spill, an unknown substance, reach or site.
    """
    plume = Plume(
        network,
        spills,
        t_end_min=t_end_min,
        dt_min=dt_min,
        t_start_min=t_start_min,
        detection_fraction=detection_fraction,
        detection_mg_l=detection_mg_l,
    )
    return plume.truth(interventions)


def _site_truths(
    net: Network,
    resolved: Resolved,
    t_min: FloatArray,
    conc: FloatArray,
    flux: FloatArray,
    standards: FloatArray,
    detection_fraction: float,
    detection_mg_l: float | None,
) -> dict[str, SiteTruth]:
    lead = conc[:, 0]
    ratio = lead / standards[0] if conc.shape[1] == 1 else (conc / standards[:, None]).sum(axis=1)
    if detection_mg_l is None:
        arrival = first_crossing(t_min, ratio, detection_fraction)
    else:
        arrival = first_crossing(t_min, lead, detection_mg_l)
    peak_t, peak_c = peaks(t_min, lead)
    windows = windows_above(t_min, ratio, 1.0)
    dt_s = (t_min[1] - t_min[0]) * 60.0 if t_min.size > 1 else 0.0
    mass = (flux.sum(axis=(1, 2)) * dt_s).tolist()
    # Python floats once for all sites (the same values as float() of each element).
    arrival_min, peak_min, peak_mg_l = arrival.tolist(), peak_t.tolist(), peak_c.tolist()
    standard = float(standards[0])
    out: dict[str, SiteTruth] = {}
    for i, spec in enumerate(net.sites):
        arrived = not math.isnan(arrival_min[i])
        delivered = None
        if spec.kind == "intake":
            delivered = open_minutes_above(windows[i], resolved.intake_closed.get(i, ()))
        out[spec.id] = SiteTruth(
            id=spec.id,
            kind=spec.kind,
            reach=spec.reach,
            km=spec.km,
            t_min=t_min,
            concentration_mg_l=lead[i],
            ratio=ratio[i],
            standard_mg_l=standard,
            arrival_min=arrival_min[i] if arrived else None,
            peak_min=peak_min[i] if arrived else None,
            peak_mg_l=peak_mg_l[i] if arrived else 0.0,
            exceedances=windows[i],
            mass_passed_kg=mass[i],
            delivered_exceedance_min=delivered,
        )
    return out


def preview_rows(
    scenario: Scenario,
    seed: int | None = None,
    *,
    dt_min: float = 1.0,
    network: Network | None = None,
) -> list[dict[str, Any]]:
    """Do-nothing baseline at every site, as the rows ``riverdrill preview`` prints.

    Args:
        scenario: An already-drawn (variant) scenario; ``seed`` is accepted for the CLI's
            signature and unused here (the engine's rng draws the variant).
        seed: Unused.
        dt_min: Grid step.
        network: Reuse a built network.

    Returns:
        One dict per site with ``id, kind, reach, km, arrival_min, peak_min, peak_mg_l,
        standard_mg_l, exceed_start_min, exceed_end_min, delivered_exceedance_min`` (None
        where the plume never arrives / the field does not apply).
    """
    del seed
    net = network or Network.from_scenario(scenario)
    truth = simulate(net, scenario.spills, t_end_min=scenario.duration, dt_min=dt_min)
    rows = []
    for site in truth.sites.values():
        arrived = site.arrival_min is not None
        rows.append(
            {
                "id": site.id,
                "kind": site.kind,
                "reach": site.reach,
                "km": site.km,
                "arrival_min": _rounded(site.arrival_min),
                "peak_min": _rounded(site.peak_min),
                "peak_mg_l": float(f"{site.peak_mg_l:.4g}") if arrived else None,
                "standard_mg_l": site.standard_mg_l,
                "exceed_start_min": _rounded(site.exceed_start_min),
                "exceed_end_min": _rounded(site.exceed_end_min),
                "delivered_exceedance_min": _rounded(site.delivered_exceedance_min),
            }
        )
    return rows


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
