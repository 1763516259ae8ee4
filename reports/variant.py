"""What a run played: the scenario with the run's randomised values applied, and until when.

Apart from ``reports.truth`` so that a report whose curves are stored (``reports.curves``)
needs only this, not the plume model and its numeric libraries.
"""

from __future__ import annotations

from typing import Any

from scenarios.schema import Scenario
from scenarios.variant import apply_overrides
from sim.log import Kind, Log


def logged_variant(log: Log) -> dict[str, Any]:
    """The randomised values of the run (``truth_variant``; older logs: ``run_started``)."""
    overrides: dict[str, Any] = dict(log[0].data.get("variant") or {})
    for record in log.of_kind(Kind.truth_variant):
        overrides.update(dict(record.data.get("variant") or {}))
    return overrides


def variant_of(scenario: Scenario, log: Log) -> Scenario:
    """The scenario with the run's randomised values applied (re-validated)."""
    return apply_overrides(scenario, logged_variant(log))


def ended_min(scenario: Scenario, log: Log) -> float:
    """The drill minute the run ended: its ``run_ended`` record's — the scenario's duration, or
    earlier when the controller ended the drill — or the duration for a log that has none
    (one assembled in memory; a log read from a file always has one)."""
    ended = log.of_kind(Kind.run_ended)
    return float(ended[-1].t_min) if ended else float(scenario.duration)


__all__ = ["ended_min", "logged_variant", "variant_of"]
