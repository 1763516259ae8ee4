"""The truth of a run: the plume model under the interventions actually in force.

:class:`TruthKeeper` holds the spills and the interventions that agencies have put in place
and re-evaluates its ``sim.plume.Plume`` only when that set changes (once per change, cached
by the exact set; the spills' direct flux is computed once per run). Interventions act only
after their start, so a recomputation never rewrites the past: what was logged stays true.

``sim.narrator`` writes what the truth does, as it happens, into the log.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from scenarios.levels import Grade, TruthSummary, grade_run
from scenarios.memo import Memo
from scenarios.schema import Scenario
from sim.breakthrough import first_crossing_of, value_at
from sim.clock import EPS_MIN
from sim.interventions import IntakeClosed, Intervention
from sim.plume import Plume
from sim.releases import Release, releases_from_scenario
from sim.river import Network
from sim.sitetruth import Truth

STEPS_PER_SIGMA = 4.0
"""Grid steps per temporal standard deviation of the narrowest plume a site sees. Values on
the grid are exact (closed forms); between grid points crossings are interpolated linearly
and the peak parabolically, so four steps per σ keep times within a small fraction of a step
and interpolated concentrations within ~1 % — below the 5–10 % measurement noise."""

GRID_STEPS_MIN = (1.0, 2.0, 3.0, 5.0, 10.0)
"""Allowed grid steps (minutes): divisors of an hour, so grid times read naturally."""

SOURCE_RADIUS_M = 100.0
"""Sites this close to a spill are at the source itself; they do not set the grid step."""

SOURCE_MATCH_KM = 1.0
"""A spill this close to a risk source or outfall on the same reach comes from it."""

__all__ = ["TruthKeeper", "grid_step_min", "network_for"]


_NETWORKS: Memo[tuple[Any, ...], Network] = Memo(8)
"""The networks of the last few rivers (a process seldom runs more than a few drills)."""


def network_for(scenario: Scenario) -> Network:
    """The scenario's river network, shared by every run on the same river.

    A network depends on the reaches, sites, hydraulics and substances, not on the spills,
    so the variants of one drill (spill site, mass, start) share one; it is never mutated.
    """
    river = (scenario.reaches, scenario.sites, scenario.hydraulics, scenario.substances)
    found = _NETWORKS.get(river)
    if found is None:
        found = _NETWORKS.put(river, Network.from_scenario(scenario))
    return found


def grid_step_min(network: Network, releases: Iterable[Release]) -> float:
    """The coarsest allowed grid step with :data:`STEPS_PER_SIGMA` steps per σ of the
    narrowest breakthrough curve at any site (path dispersion plus release duration)."""
    narrowest = math.inf
    for rel in releases:
        stats = network.path_to_sites(rel.reach, rel.km)
        seen = stats.reachable & (stats.distance_m > SOURCE_RADIUS_M)
        if np.any(seen):
            variance_s2 = stats.variance_s2[seen].min() + (rel.duration_min * 60.0) ** 2 / 12.0
            narrowest = min(narrowest, math.sqrt(variance_s2) / 60.0)
    bound = narrowest / STEPS_PER_SIGMA
    return max((step for step in GRID_STEPS_MIN if step <= bound), default=GRID_STEPS_MIN[0])


class TruthKeeper:
    """Spills and interventions of one run, and the plume truth they imply.

    Intake closures change what an intake delivers, not the river: they are kept here and
    never trigger a recomputation.

    Args:
        scenario: The run's (variant) scenario.
        t_end_min: Last minute of the drill.
        dt_min: Grid step of the plume model; default: :func:`grid_step_min`.
    """

    def __init__(self, scenario: Scenario, t_end_min: float, dt_min: float | None = None) -> None:
        self.scenario = scenario
        self.network = network_for(scenario)
        self.t_end_min = t_end_min
        self.releases: tuple[Release, ...] = releases_from_scenario(scenario, self.network)
        self.dt_min = dt_min or grid_step_min(self.network, self.releases)
        self.initial_releases = self.releases
        self.spill_ids = tuple(s.id or f"spills[{i}]" for i, s in enumerate(scenario.spills))
        self.spill_sites = tuple(s.site for s in scenario.spills)
        self.interventions: tuple[Intervention, ...] = ()
        self._current: Truth | None = None
        self._baseline_grades: dict[float, Grade] = {}
        self._crossings: dict[tuple[int, str, float], float | None] = {}
        self._series: dict[tuple[int, str], tuple[list[float], list[float]]] = {}
        self._grids: dict[int, list[float]] = {}
        self._plumes: dict[tuple[Release, ...], Plume] = {}
        self._standards = {
            key: self.network.substance(key).standard_mg_l
            for key in dict.fromkeys(r.substance for r in self.releases)
        }

    @property
    def truth(self) -> Truth:
        """The plume truth under the interventions in force now."""
        if self._current is None:
            river = tuple(i for i in self.interventions if not isinstance(i, IntakeClosed))
            self._current = self._simulate(self.releases, river)
        return self._current

    @property
    def baseline(self) -> Truth:
        """The truth had nobody done anything (what a simulated team "estimates" from)."""
        return self._simulate(self.initial_releases, ())

    def _simulate(self, releases: tuple[Release, ...], river: tuple[Intervention, ...]) -> Truth:
        # One Plume per set of releases (a stop_source changes them): it computes the direct
        # flux once and caches every intervention set's truth.
        plume = self._plumes.get(releases)
        if plume is None:
            plume = self._plumes[releases] = Plume(
                self.network, releases, t_end_min=self.t_end_min, dt_min=self.dt_min
            )
        return plume.truth(river)

    # --- changes ----------------------------------------------------------------------------

    def put(self, item: Intervention, replacing: Intervention | None = None) -> None:
        """Bring ``item`` into force (in place of ``replacing``, e.g. a reopened intake)."""
        kept = tuple(i for i in self.interventions if i is not replacing)
        self.interventions = (*kept, item)
        self._current = None

    def stop_spills(self, t_min: float, site: str | None = None) -> list[str]:
        """Cut off every release still running at ``t_min`` (only at ``site`` if given).

        A spill is at ``site`` when it names the site or lies on its reach within
        :data:`SOURCE_MATCH_KM` of it. A release that has not started is cancelled; a running
        one keeps the mass released so far (the rate is even over the duration). Returns the
        ids of the spills changed.
        """
        changed: list[str] = []
        releases = list(self.releases)
        where = self.network.site(site) if site is not None else None
        for i, rel in enumerate(releases):
            if (
                where is not None
                and self.spill_sites[i] != site
                and not (rel.reach == where.reach and abs(rel.km - where.km) <= SOURCE_MATCH_KM)
            ):
                continue
            end = rel.start_min + rel.duration_min
            if t_min >= end - EPS_MIN or rel.mass_kg <= 0:
                continue
            if t_min <= rel.start_min:
                releases[i] = replace(rel, mass_kg=0.0, duration_min=0.0)
            else:
                share = (t_min - rel.start_min) / rel.duration_min
                releases[i] = replace(
                    rel, mass_kg=rel.mass_kg * share, duration_min=t_min - rel.start_min
                )
            changed.append(self.spill_ids[i])
        self.releases = tuple(releases)
        self._current = None
        return changed

    # --- questions the engine asks ------------------------------------------------------------

    def concentrations(self, site: str, t_min: float) -> list[tuple[str, float, float]]:
        """``(substance, standard_mg_l, concentration_mg_l)`` at ``site`` at ``t_min``.

        One substance: linear interpolation on the truth's grid (a plume passes in tens of
        minutes, the grid step is one, so the error is far below measurement noise, at a
        hundredth of the cost of the closed form). Several: the closed form per substance.
        """
        truth = self.truth
        if len(truth.substances) == 1:
            key = (id(truth), site)
            series = self._series.get(key)
            if series is None:  # Python lists once per site and truth: one value per sample
                seen = truth.sites[site]
                grid = self._grids.get(id(seen.t_min))  # one grid for every site and truth
                if grid is None:
                    grid = self._grids[id(seen.t_min)] = seen.t_min.tolist()
                series = self._series[key] = (grid, seen.concentration_mg_l.tolist())
            value = value_at(series[0], series[1], t_min)
            return [(truth.substances[0], self._standards[truth.substances[0]], value)]
        return [
            (s, self._standards[s], float(truth.concentration_at(site, t_min, s)))
            for s in truth.substances
        ]

    def arrival_min(self, site: str) -> float | None:
        """When the plume first reaches ``site`` under the current interventions."""
        return self.truth.sites[site].arrival_min

    def first_above_min(self, site: str, factor: float) -> float | None:
        """First time ``site`` is above ``factor`` × standard (interpolated), if ever."""
        truth = self.truth
        key = (id(truth), site, factor)
        if key not in self._crossings:
            seen = truth.sites[site]
            self._crossings[key] = first_crossing_of(seen.t_min, seen.ratio, factor)
        return self._crossings[key]

    def closed_windows(self, site: str) -> list[tuple[float, float]]:
        """Periods when the intake ``site`` is closed, as [start, end)."""
        return [
            (i.start_min, math.inf if i.end_min is None else i.end_min)
            for i in self.interventions
            if isinstance(i, IntakeClosed) and i.site == site
        ]

    def summary(self, until_min: float, *, baseline: bool = False) -> TruthSummary:
        """What grading needs: sites above the standard, reached, intakes closed.

        With ``baseline``, the river had nobody acted (no interventions, nothing closed).
        """
        truth = self.baseline if baseline else self.truth
        interventions = () if baseline else self.interventions
        return TruthSummary(
            exceeded_sites=frozenset(
                s.id
                for s in truth.sites.values()
                if s.exceedances and s.exceedances[0][0] < until_min
            ),
            closed_intakes=frozenset(i.site for i in interventions if isinstance(i, IntakeClosed)),
            reached_sites=frozenset(
                s.id
                for s in truth.sites.values()
                if s.arrival_min is not None and s.arrival_min < until_min
            ),
        )

    def grade(self, until_min: float, *, baseline: bool = False) -> Grade:
        """The incident level the run's truth reaches by ``until_min`` (``scenarios.levels``).

        With ``baseline``: the level a do-nothing river would reach by then (computed once per
        ``until_min``: the baseline never changes).
        """
        if not baseline:
            return grade_run(self.scenario, self.summary(until_min))
        found = self._baseline_grades.get(until_min)
        if found is None:
            found = grade_run(self.scenario, self.summary(until_min, baseline=True))
            self._baseline_grades[until_min] = found
        return found
