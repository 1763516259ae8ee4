"""The river's truth re-computed from a run's log, for the charts and the what-if.

The log records *events* of the truth (arrival, exceedance, peaks); the charts need the
*series*. Reports are pure functions of (scenario, log, scorecard), so the series are
re-computed with the same plume model under the same interventions the engine logged
(``truth_intervention`` records: the engine writes one for every intervention and stopped
spill). ``tests/test_reports_truth.py`` checks that the recomputed peaks agree with the log's
``truth_peak`` records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from reports.variant import ended_min, logged_variant, variant_of
from scenarios.schema import Scenario
from sim.interventions import Intervention, intervention_from_data
from sim.log import Kind, Log
from sim.plume import Release, Truth, releases_from_scenario, simulate
from sim.river import Network
from sim.truth import grid_step_min, network_for


@dataclass(frozen=True)
class RunTruth:
    """Everything the report re-computes about the river of one run."""

    scenario: Scenario
    """The variant the run actually played."""
    network: Network
    releases: tuple[Release, ...]
    interventions: tuple[Intervention, ...]
    truth: Truth
    end_min: float
    """The drill minute the run ended (:func:`reports.variant.ended_min`): the end of the
    series and of the what-if search."""
    dt_min: float = 1.0


def interventions_from_log(log: Log) -> tuple[Intervention, ...]:
    """The interventions in force at the end of the run, from its ``truth_intervention``
    records (the engine writes one whenever an intervention comes into force).

    A later record for the same site and start (a reopened intake) replaces the earlier one.
    """
    found: dict[tuple[str, str, float], Intervention] = {}
    for record in log.of_kind(Kind.truth_intervention):
        item = intervention_from_data(record.data)
        if item is None:
            continue
        where = getattr(item, "site", None) or getattr(item, "reach", "")
        start = getattr(item, "start_min", None) or getattr(item, "ready_min", None) or 0.0
        found[(type(item).__name__, str(where), float(start))] = item
    return tuple(found.values())


def _stops(log: Log) -> list[tuple[float, list[str]]]:
    """When spills were cut off, and which (``StopSource`` records)."""
    return [
        (r.t_min, list(r.data.get("spills") or ()))
        for r in log.of_kind(Kind.truth_intervention)
        if r.data.get("type") == "StopSource"
    ]


def _stopped(releases: tuple[Release, ...], scenario: Scenario, log: Log) -> tuple[Release, ...]:
    """Releases as cut off by ``stop_source`` (the same rule as the engine's keeper)."""
    ids = [s.id or f"spills[{i}]" for i, s in enumerate(scenario.spills)]
    out = list(releases)
    for t_min, stopped in _stops(log):
        for spill in stopped:
            if spill not in ids:
                continue
            i = ids.index(spill)
            rel = out[i]
            if t_min <= rel.start_min:
                out[i] = replace(rel, mass_kg=0.0, duration_min=0.0)
            elif t_min < rel.start_min + rel.duration_min:
                share = (t_min - rel.start_min) / rel.duration_min
                out[i] = replace(
                    rel, mass_kg=rel.mass_kg * share, duration_min=t_min - rel.start_min
                )
    return tuple(out)


def run_truth(
    scenario: Scenario,
    log: Log,
    interventions: Iterable[Intervention] | None = None,
    *,
    dt_min: float | None = None,
) -> RunTruth:
    """Re-compute the truth of a run; ``interventions`` overrides the logged ones (what-if).

    Args:
        scenario: The scenario as loaded (the variant is applied here from the log).
        log: The run's log.
        interventions: Use these instead of the logged interventions.
        dt_min: Grid step of the plume model; default the engine's (``grid_step_min``).
    """
    played = variant_of(scenario, log)
    network = network_for(played)
    initial = releases_from_scenario(played, network)
    # The engine's grid step (from the spills as drawn), so the curves are the engine's own.
    step = dt_min if dt_min is not None else grid_step_min(network, initial)
    releases = _stopped(initial, played, log)
    chosen = tuple(interventions) if interventions is not None else interventions_from_log(log)
    # The river as far as the drill was played: a drill the controller ended early is charted,
    # and its what-ifs searched, only up to its end, like the polluted supply it is scored on
    # (``reports.whatif.delivered``). At least one grid step: the model needs one.
    end_min = max(ended_min(played, log), step)
    truth = simulate(network, releases, chosen, t_end_min=end_min, dt_min=step)
    return RunTruth(played, network, releases, chosen, truth, end_min, step)


def resimulate(run: RunTruth, interventions: Iterable[Intervention]) -> Truth:
    """The same run's river under other interventions (network and spills reused)."""
    return simulate(
        run.network, run.releases, tuple(interventions), t_end_min=run.end_min, dt_min=run.dt_min
    )


def space_time_grid(
    run: RunTruth, step_km: float = 0.5, max_times: int = 160
) -> tuple[list[float], list[float], np.ndarray, list[tuple[str, float]]]:
    """Concentration/standard along the river below the first spill, on a coarse time grid.

    Returns:
        ``(km, t_min, ratio, points)``: distance from the spill (km), times, a
        ``(n_t, n_km)`` array of concentration/standard and the (reach, km) points.
    """
    first = run.releases[0]
    points = run.network.points_downstream(first.reach, first.km, step_km)
    conc = run.truth.along(points)
    standard = run.network.substance(first.substance).standard_mg_l
    stride = max(1, int(np.ceil(len(run.truth.t_min) / max_times)))
    t_index = np.arange(0, len(run.truth.t_min), stride)
    km = [i * 0.0 for i in range(len(points))]
    total = 0.0
    for i in range(1, len(points)):
        prev, here = points[i - 1], points[i]
        total += here[1] - prev[1] if here[0] == prev[0] else here[1]
        km[i] = total
    ratio = (conc[:, t_index] / standard).T
    return km, [float(t) for t in run.truth.t_min[t_index]], ratio, points


def chainage(
    run: RunTruth, points: list[tuple[str, float]], km: list[float], reach: str, at_km: float
) -> float | None:
    """Distance below the spill of a (reach, km) point on the path, or None when off it."""
    best: float | None = None
    for (r, k), d in zip(points, km, strict=True):
        if r == reach and k <= at_km + 1e-9:
            best = d + (at_km - k)
    if best is None and any(r == reach for r, _ in points):
        return None
    return best


__all__ = [
    "RunTruth",
    "chainage",
    "interventions_from_log",
    "logged_variant",
    "resimulate",
    "run_truth",
    "space_time_grid",
    "variant_of",
]
