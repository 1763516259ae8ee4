"""Interventions as operators on the plume: what each does, and what it never does."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from sim.interventions import (
    FlowRelease,
    GateHold,
    IntakeClosed,
    Interception,
    Storage,
    intervention_data,
    intervention_from_data,
)
from sim.plume import Plume, Release, Truth, simulate
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec

MASS = 3000.0
SPILL = Release("x", "up", 5.0, MASS, 0.0, 40.0)


def network(decay_per_day: float = 0.0) -> Network:
    return Network(
        [
            ReachSpec("up", 80, 100.0, 0.5, 30.0, downstream="down"),
            ReachSpec("down", 150, 250.0, 0.8, 60.0),
        ],
        [
            SiteSpec("dam", "up", 20, kind="dam", max_hold_min=360),
            SiteSpec("carbon", "up", 40, kind="interception", efficiency=0.6),
            SiteSpec("pond", "up", 50, kind="storage", volume_m3=2e5),
            SiteSpec("mid", "up", 70),
            SiteSpec("intake", "down", 30, kind="intake"),
            SiteSpec("boundary", "down", 80, kind="boundary"),
        ],
        {"x": SubstanceSpec("x", 0.1, decay_per_day)},
    )


def run(*interventions: object, decay_per_day: float = 0.0) -> Truth:
    return simulate(network(decay_per_day), [SPILL], interventions, t_end_min=96 * 60)  # type: ignore[arg-type]


BASE = run()


@pytest.mark.parametrize("site", ["carbon", "mid", "intake", "boundary"])
def test_an_earlier_interception_never_raises_a_downstream_peak(site: str) -> None:
    peaks = [
        run(Interception("carbon", ready)).sites[site].peak_mg_l for ready in (1800, 1000, 600, 0)
    ]
    assert all(
        later >= earlier - 1e-12 for earlier, later in zip(peaks[1:], peaks[:-1], strict=True)
    )
    assert peaks[-1] < BASE.sites[site].peak_mg_l


def test_an_interception_ready_before_the_plume_removes_its_share_of_mass() -> None:
    truth = run(Interception("carbon", 0.0))
    assert truth.sites["carbon"].mass_passed_kg == pytest.approx(0.4 * MASS, rel=1e-3)
    assert truth.sites["boundary"].peak_mg_l == pytest.approx(
        0.4 * BASE.sites["boundary"].peak_mg_l, rel=1e-3
    )
    assert truth.sites["dam"].peak_mg_l == BASE.sites["dam"].peak_mg_l  # upstream untouched


def test_the_site_default_efficiency_is_used_when_none_is_given() -> None:
    default = run(Interception("carbon", 0.0))
    explicit = run(Interception("carbon", 0.0, efficiency=0.6))
    assert default.sites["mid"].peak_mg_l == explicit.sites["mid"].peak_mg_l


@pytest.mark.parametrize("site", ["mid", "intake", "boundary"])
def test_a_gate_hold_delays_arrival_downstream_by_the_hold_time(site: str) -> None:
    base = BASE.sites[site]
    held = run(GateHold("dam", 60.0, 60.0 + 240.0)).sites[site]
    assert base.arrival_min is not None and held.arrival_min is not None
    assert held.arrival_min - base.arrival_min == pytest.approx(240.0, abs=15.0)
    assert held.peak_mg_l == pytest.approx(base.peak_mg_l, rel=0.02)
    assert held.mass_passed_kg == pytest.approx(base.mass_passed_kg, rel=1e-3)


def test_a_gate_hold_ends_at_the_latest_after_max_hold() -> None:
    forever = run(GateHold("dam", 60.0)).sites["mid"]
    capped = run(GateHold("dam", 60.0, 60.0 + 360.0)).sites["mid"]
    assert forever.arrival_min == capped.arrival_min


def test_closing_an_intake_earlier_never_increases_delivered_exceedance() -> None:
    delivered = [
        run(IntakeClosed("intake", start)).sites["intake"].delivered_exceedance_min
        for start in (5000, 4000, 3500, 3000, 0)
    ]
    assert delivered[0] == BASE.sites["intake"].delivered_exceedance_min
    assert all(b <= a for a, b in itertools.pairwise(delivered))  # type: ignore[operator]
    assert delivered[-1] == 0.0


def test_closing_an_intake_does_not_change_the_river() -> None:
    closed = run(IntakeClosed("intake", 0.0))
    assert np.array_equal(
        closed.sites["boundary"].concentration_mg_l, BASE.sites["boundary"].concentration_mg_l
    )
    assert np.array_equal(
        closed.sites["intake"].concentration_mg_l, BASE.sites["intake"].concentration_mg_l
    )


def test_more_decay_never_raises_a_peak() -> None:
    peaks = [run(decay_per_day=k).sites["boundary"].peak_mg_l for k in (0.0, 0.1, 0.5, 2.0)]
    assert all(b < a for a, b in itertools.pairwise(peaks))


def test_storage_removes_the_mass_passing_while_it_fills() -> None:
    arrival = BASE.sites["pond"].peak_min
    assert arrival is not None
    truth = run(Storage("pond", arrival - 10))
    fill_min = 2e5 / 100.0 / 60.0
    t = BASE.t_min
    during = (t >= arrival - 10) & (t < arrival - 10 + fill_min)
    removed = BASE.sites["pond"].concentration_mg_l[during].sum() * 60 * 100.0 / 1e3
    assert MASS - truth.sites["pond"].mass_passed_kg == pytest.approx(removed, rel=1e-6)
    assert truth.sites["boundary"].mass_passed_kg == pytest.approx(MASS - removed, rel=2e-3)


def test_a_flow_release_dilutes_downstream_once_its_wave_arrives() -> None:
    truth = run(FlowRelease("up", 0.0, 100.0))
    assert truth.sites["mid"].peak_mg_l == pytest.approx(BASE.sites["mid"].peak_mg_l / 2, rel=1e-9)
    assert truth.sites["intake"].peak_mg_l == pytest.approx(
        BASE.sites["intake"].peak_mg_l * 250 / 350, rel=1e-9
    )


def test_interventions_compose_from_upstream_down() -> None:
    both = run(GateHold("dam", 60.0, 300.0), Interception("carbon", 0.0)).sites["boundary"]
    base = run(Interception("carbon", 0.0)).sites["boundary"]
    assert both.mass_passed_kg == pytest.approx(0.4 * MASS, rel=2e-3)
    assert both.arrival_min is not None and base.arrival_min is not None
    assert both.arrival_min - base.arrival_min == pytest.approx(240.0, abs=15.0)


def test_concentration_at_follows_the_series_under_interventions() -> None:
    truth = run(Interception("carbon", 1000.0), GateHold("dam", 60.0, 200.0))
    series = truth.sites["intake"].concentration_mg_l
    sampled = truth.concentration_at("intake", truth.t_min)
    assert np.allclose(sampled, series, rtol=1e-9, atol=1e-12 * series.max())


def test_space_time_matches_the_sites_it_passes() -> None:
    truth = run(Interception("carbon", 1000.0))
    grid = truth.along([("up", 70.0), ("down", 30.0)])
    assert np.allclose(grid[0], truth.sites["mid"].concentration_mg_l, atol=1e-12)
    assert np.allclose(grid[1], truth.sites["intake"].concentration_mg_l, atol=1e-12)


def test_an_unknown_site_is_named() -> None:
    with pytest.raises(ValueError, match="nowhere"):
        run(Interception("nowhere", 0.0))


def _same(a: Truth, b: Truth) -> bool:
    """Bit for bit: every series, every number, every routed outflow."""
    if not np.array_equal(a.release_flux, b.release_flux) or a.routing.order != b.routing.order:
        return False
    outflows = a.routing.outflows
    if outflows.keys() != b.routing.outflows.keys():
        return False
    if not all(np.array_equal(outflows[k], b.routing.outflows[k]) for k in outflows):
        return False
    for site, seen in a.sites.items():
        other = b.sites[site]
        if not (
            np.array_equal(seen.concentration_mg_l, other.concentration_mg_l)
            and np.array_equal(seen.ratio, other.ratio)
        ):
            return False
        numbers = ("arrival_min", "peak_min", "peak_mg_l", "exceedances", "mass_passed_kg")
        if any(
            getattr(seen, n) != getattr(other, n) for n in (*numbers, "delivered_exceedance_min")
        ):
            return False
    return True


def test_a_plume_re_evaluated_under_new_interventions_equals_a_fresh_simulation() -> None:
    """What a run does: the truth again each time the interventions change. Reusing the
    direct flux and the routing above an unchanged site gives exactly the fresh result."""
    steps = [
        GateHold("dam", 300, 500),
        Interception("carbon", 900),
        IntakeClosed("intake", 1200),
        Storage("pond", 600),
        FlowRelease("down", 100, 50.0),
    ]
    plume = Plume(network(0.1), [SPILL], t_end_min=96 * 60, dt_min=5.0)
    sets = [tuple(steps[:k]) for k in range(len(steps) + 1)]
    sets += [(steps[1],), (steps[3], steps[0]), tuple(reversed(steps)), ()]
    for interventions in sets:
        fresh = simulate(network(0.1), [SPILL], interventions, t_end_min=96 * 60, dt_min=5.0)
        assert _same(plume.truth(interventions), fresh), interventions
    assert plume.truth(sets[2]) is plume.truth(sets[2])  # cached by the intervention set


def test_a_gate_closed_while_the_plume_passes_holds_it_back_for_the_hold_time() -> None:
    """Closed as the plume's front reaches the dam, for 240 min while its peak (15 km at
    0.5 m/s: ~500 min) would pass: nothing passes the structure while it is closed, and the
    peak downstream comes 240 min later with all its mass (a held gate stores the water, it
    does not destroy the pollutant)."""
    dam = BASE.sites["dam"]
    assert dam.arrival_min is not None and dam.peak_min is not None
    start, end = dam.arrival_min, dam.arrival_min + 240.0
    assert start < dam.peak_min < end  # the plume is at the gate while it is closed
    held = run(GateHold("dam", start, end))
    at_dam = held.sites["dam"]
    closed = (at_dam.t_min > start + 1) & (at_dam.t_min < end - 1)
    assert np.all(at_dam.concentration_mg_l[closed] == 0.0)
    for site in ("intake", "boundary"):
        before, after = BASE.sites[site], held.sites[site]
        assert before.peak_min is not None and after.peak_min is not None
        assert after.peak_min - before.peak_min == pytest.approx(end - start, abs=15)
        assert after.mass_passed_kg == pytest.approx(before.mass_passed_kg, rel=1e-3)


@pytest.mark.parametrize(
    "item",
    [
        GateHold("dam", 30.0, 390.0),
        GateHold("dam", 30.0),
        Interception("carbon", 120.0, 0.4),
        Storage("pond", 60.0, 2e5, 15.0),
        IntakeClosed("intake", 200.0, 400.0),
        FlowRelease("up", 10.0, 50.0),
    ],
)
def test_an_intervention_survives_the_log_record_it_is_written_as(item: object) -> None:
    """The engine logs interventions as ``truth_intervention`` data; reports read them back."""
    data = intervention_data(item)  # type: ignore[arg-type]
    assert intervention_from_data(json.loads(json.dumps(data))) == item


def test_a_record_that_is_not_a_river_operator_reads_back_as_none() -> None:
    assert intervention_from_data({"type": "StopSource", "spills": ["s0"]}) is None
