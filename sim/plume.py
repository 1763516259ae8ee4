"""The plume: what every site sees of the spills, given what the teams did.

API (pure functions of their arguments; numpy/scipy only)::

    network = Network.from_scenario(scenario)                  # sim.river
    truth = simulate(network, scenario.spills, interventions, t_end_min=2880)
    truth.sites["wulong-intake"].arrival_min / .peak_mg_l / .exceedances / ...
    truth.concentration_at("wulong-intake", t_min)             # any time(s), mg/L
    truth.along(network.points_downstream("wj-up", 5.0))       # space–time array
    summarize(network, SpillBatch(...))                        # sim.summary, Monte Carlo
    preview_rows(scenario)                                     # sim.preview

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

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.interventions import Intervention, Resolved, Window, flow_factors, resolve
from sim.releases import Release, as_releases, releases_from_scenario
from sim.river import Network
from sim.routing import Routing, decay_per_s, direct_flux, intervene_at, operator_order
from sim.sitetruth import KG_M3_TO_MG_L, SiteTruth, Truth, site_truths

if TYPE_CHECKING:
    from scenarios.schema import Spill

FloatArray = NDArray[np.float64]
DEFAULT_DETECTION_FRACTION = 1e-3
"""Arrival = first time above this share of the standard (unless a detection limit is set)."""

__all__ = [
    "DEFAULT_DETECTION_FRACTION",
    "KG_M3_TO_MG_L",
    "Plume",
    "Release",
    "SiteTruth",
    "Truth",
    "releases_from_scenario",
    "simulate",
]
"""The plume model's public names; ``Release``, ``SiteTruth`` and ``Truth`` live in
``sim.releases`` and ``sim.sitetruth`` and are re-exported here, the model's front door."""


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
        self.releases = as_releases(spills, net)
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
        sites = site_truths(
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
