"""The do-nothing baseline: the rows ``riverdrill preview`` prints at every site, and the
incident level it implies, graded exactly as the engine grades a run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.plume import simulate
from sim.river import Network
from sim.truth import TruthKeeper

if TYPE_CHECKING:
    from scenarios.levels import Grade
    from scenarios.schema import Scenario


def preview_rows(
    scenario: Scenario,
    *,
    dt_min: float = 1.0,
    network: Network | None = None,
) -> list[dict[str, Any]]:
    """Do-nothing baseline at every site, as the rows ``riverdrill preview`` prints.

    Args:
        scenario: An already-drawn (variant) scenario (``sim.rng.draw_variant``).
        dt_min: Grid step.
        network: Reuse a built network.

    Returns:
        One dict per site with ``id, kind, reach, km, arrival_min, peak_min, peak_mg_l,
        standard_mg_l, exceed_start_min, exceed_end_min, delivered_exceedance_min`` (None
        where the plume never arrives / the field does not apply).
    """
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


def baseline_grade(scenario: Scenario) -> Grade:
    """The incident level the do-nothing baseline reaches by the drill's end.

    The engine's own grading (:meth:`sim.truth.TruthKeeper.grade` on its grid): the level a
    run in which nobody acts logs in its ``truth_level`` record, and the one a simulated team
    estimates from. Not re-derived from the rounded rows of :func:`preview_rows`, so it cannot
    drift from the engine's.

    Args:
        scenario: An already-drawn (variant) scenario (``sim.rng.draw_variant``).
    """
    keeper = TruthKeeper(scenario, float(scenario.duration))
    return keeper.grade(keeper.t_end_min, baseline=True)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
