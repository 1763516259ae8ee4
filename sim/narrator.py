"""Narrating the truth: the control-only ``truth_*`` records, written as things happen.

:func:`narrate_truth` is the simpy process that tracks, for every site, whether the plume has
arrived, whether it is above the standard and (intakes) whether polluted water is being
drawn, and wakes at the next change of any of them — or earlier, when an intervention changes
the truth (the model interrupts it). :func:`narrate_spills` logs each spill as it starts and
:func:`log_peaks` the peaks once the run is over. Teams never see these records; scoring and
the report read them.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from sim.clock import EPS_MIN
from sim.log import Kind
from sim.sitetruth import Truth

if TYPE_CHECKING:
    from sim.model import DrillModel


@dataclass
class _SiteState:
    arrived: bool = False
    exceeding: bool = False
    polluted: bool = False


def _inside(t: float, windows: Iterable[tuple[float, float]]) -> bool:
    return any(start <= t + EPS_MIN < end for start, end in windows)


class _Narrator:
    """Per-site state and the times it can next change, for one version of the truth."""

    def __init__(self, model: DrillModel) -> None:
        self.model = model
        self.kinds = {s.id: s.kind.value for s in model.scenario.sites}
        self.state = {site: _SiteState() for site in self.kinds}

    def update(self, site: str, truth: Truth, now: float) -> None:
        """Log what changed at ``site`` since it was last looked at."""
        model, kind = self.model, self.kinds[site]
        seen, was = truth.sites[site], self.state[site]
        exceeding = _inside(now, seen.exceedances)
        arrival = seen.arrival_min
        arrived = arrival is not None and arrival <= now + EPS_MIN
        polluted = (
            kind == "intake" and exceeding and not _inside(now, model.truth.closed_windows(site))
        )
        if arrived == was.arrived and exceeding == was.exceeding and polluted == was.polluted:
            return  # most looks change nothing (every site is looked at on every new truth)
        new = _SiteState(arrived=arrived, exceeding=exceeding, polluted=polluted)
        base = {"site": site, "site_kind": kind}
        if new.arrived and not was.arrived:
            model.record(Kind.truth_arrival, data=base)
        if new.exceeding and not was.exceeding:
            model.record(Kind.truth_exceedance_start, data={**base, "factor": 1.0})
        if new.polluted != was.polluted:
            phase = "start" if new.polluted else "end"
            model.record(Kind.truth_intake_polluted, data={"site": site, "phase": phase})
        if was.exceeding and not new.exceeding:
            model.record(Kind.truth_exceedance_end, data={**base, "factor": 1.0})
        self.state[site] = new

    def edges(self, truth: Truth, now: float) -> list[tuple[float, str]]:
        """Every later time at which some site's state can change, in order."""
        found: list[tuple[float, str]] = []
        for site, kind in self.kinds.items():
            seen = truth.sites[site]
            times = [math.inf if seen.arrival_min is None else seen.arrival_min]
            times.extend(t for window in seen.exceedances for t in window)
            if kind == "intake":
                times.extend(t for window in self.model.truth.closed_windows(site) for t in window)
            found.extend((t, site) for t in times if now + EPS_MIN < t < self.model.end_min)
        found.sort()
        return found


def narrate_truth(model: DrillModel) -> Generator[Any, Any, None]:
    """Log arrival, exceedance and intake-pollution changes at every site as they happen.

    On every change of the truth (the model interrupts this process) and at the start, all
    sites are looked at and the times of their next changes planned; between changes only
    the sites due are looked at. Plain timeouts and an interrupt, rather than a condition
    event per wait: this process wakes more often than any other.
    """
    env, narrator = model.env, _Narrator(model)
    while True:
        truth, now = model.truth.truth, env.now
        for site in narrator.kinds:
            narrator.update(site, truth, now)
        edges = narrator.edges(truth, now)
        try:
            k = 0
            while k < len(edges):
                yield env.timeout(edges[k][0] - env.now)
                while k < len(edges) and edges[k][0] <= env.now + EPS_MIN:
                    narrator.update(edges[k][1], truth, env.now)
                    k += 1
            yield env.event()  # nothing left to narrate unless the truth changes
        except simpy.Interrupt:
            continue


def narrate_spills(model: DrillModel) -> Generator[Any, Any, None]:
    """Log each spill when it starts (``truth_spill``)."""
    env, keeper = model.env, model.truth
    order = sorted(range(len(keeper.releases)), key=lambda i: keeper.releases[i].start_min)
    for i in order:
        rel = keeper.releases[i]
        if rel.start_min >= model.end_min:
            return
        if rel.start_min > env.now:
            yield env.timeout(rel.start_min - env.now)
        rel = keeper.releases[i]  # re-read: a stop_source may have cut it off meanwhile
        if rel.mass_kg <= 0:
            continue
        model.record(
            Kind.truth_spill,
            data={
                "spill": keeper.spill_ids[i],
                "substance": rel.substance,
                "reach": rel.reach,
                "km": rel.km,
                "mass_kg": rel.mass_kg,
                "duration_min": rel.duration_min,
            },
        )


def log_peaks(model: DrillModel) -> None:
    """At the end of the run: the peak at every site the plume reached (``truth_peak``).

    A peak is only known once no intervention can change what follows, so it is logged at
    the end, with ``at_min`` saying when it happened, and with ``mass_kg``, the mass that
    passed the site over the drill (what a structure let through, at an intervention site).
    A drill the controller ends early ends its river there too: no peak still to come, and
    only the mass that had passed by then.
    """
    truth, ended_min = model.truth.truth, float(model.env.now)
    whole_grid = ended_min >= float(truth.t_min[-1])
    for site in model.scenario.sites:
        seen = truth.sites[site.id]
        if seen.peak_min is None or seen.peak_min >= min(ended_min, model.end_min):
            continue
        mass_kg = seen.mass_passed_kg if whole_grid else truth.mass_passed_by(site.id, ended_min)
        model.record(
            Kind.truth_peak,
            data={
                "site": site.id,
                "site_kind": site.kind.value,
                "value_mg_l": seen.peak_mg_l,
                "standard_mg_l": seen.standard_mg_l,
                "substance": truth.substances[0],
                "at_min": seen.peak_min,
                "mass_kg": mass_kg,
            },
        )
