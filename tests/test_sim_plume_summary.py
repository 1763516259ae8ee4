"""Summary mode agrees with the full simulation and vectorises over runs."""

from __future__ import annotations

import numpy as np
import pytest

from sim.interventions import GateHold, IntakeClosed, Interception
from sim.plume import Release, simulate
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec
from sim.summary import SpillBatch, summarize


def network() -> Network:
    return Network(
        [
            ReachSpec("a", 100, 100.0, 0.5, 30.0, downstream="b"),
            ReachSpec("b", 200, 300.0, 0.8, 80.0),
            ReachSpec("t", 50, 50.0, 0.4, 10.0, downstream="b", joins_at_km=60),
        ],
        [
            SiteSpec("dam", "a", 15, kind="dam", max_hold_min=600),
            SiteSpec("carbon", "a", 30, kind="interception", efficiency=0.5),
        ]
        + [SiteSpec(f"a{k}", "a", k) for k in (10, 50, 90)]
        + [SiteSpec(f"b{k}", "b", k, kind="intake") for k in (20, 80)],
        {"x": SubstanceSpec("x", 0.1, 0.05)},
    )


@pytest.mark.parametrize("duration_min", [0.0, 40.0, 600.0])
def test_summary_matches_the_full_simulation(duration_min: float) -> None:
    net = network()
    truth = simulate(net, [Release("x", "a", 5.0, 2000.0, 30.0, duration_min)], t_end_min=120 * 60)
    summary = summarize(net, SpillBatch("x", "a", 5.0, 2000.0, 30.0, duration_min))
    for site_id, site in truth.sites.items():
        got = summary[site_id]
        assert site.arrival_min is not None and site.exceed_start_min is not None
        scale = site.exceed_min  # compare times on the scale of the plume's passage
        assert got.peak_mg_l[0] == pytest.approx(site.peak_mg_l, rel=0.02)
        assert got.arrival_min[0] == pytest.approx(site.arrival_min, abs=0.05 * scale)
        assert got.exceed_start_min[0] == pytest.approx(site.exceed_start_min, abs=0.05 * scale)
        assert got.exceed_end_min[0] == pytest.approx(site.exceed_end_min, abs=0.05 * scale)
        if site.kind == "intake":
            assert got.delivered_exceedance_min is not None
            assert got.delivered_exceedance_min[0] == pytest.approx(
                site.delivered_exceedance_min, rel=0.05
            )
        if duration_min < 60:  # a flat-topped curve has no well-defined peak time
            assert got.peak_min[0] == pytest.approx(site.peak_min, abs=0.01 * scale)


def test_many_runs_at_once_equal_runs_one_by_one() -> None:
    net = network()
    km = np.array([1.0, 12.0, 40.0, 70.0])
    mass = np.array([500.0, 2000.0, 8000.0, 100.0])
    batch = summarize(net, SpillBatch("x", ["a", "a", "a", "t"], km[[0, 1, 2, 0]], mass, 0.0, 40.0))
    for run in range(4):
        reach = "t" if run == 3 else "a"
        one = summarize(net, SpillBatch("x", reach, km[[0, 1, 2, 0]][run], mass[run], 0.0, 40.0))
        for site_id, site in one.items():
            np.testing.assert_array_equal(batch[site_id].peak_mg_l[run], site.peak_mg_l[0])
            np.testing.assert_array_equal(batch[site_id].arrival_min[run], site.arrival_min[0])


def test_sites_above_the_spill_are_never_reached_in_summary() -> None:
    got = summarize(network(), SpillBatch("x", "a", 60.0, 1000.0))
    assert np.isnan(got["a10"].arrival_min[0]) and got["a10"].peak_mg_l[0] == 0.0
    assert np.isnan(got["a50"].exceed_start_min[0]) and got["a50"].exceed_min[0] == 0.0
    assert not np.isnan(got["a90"].arrival_min[0])


def test_summary_interventions_move_the_numbers_the_right_way() -> None:
    net = network()
    batch = SpillBatch("x", "a", 5.0, 2000.0, 0.0, 40.0)
    base = summarize(net, batch)
    intercepted = summarize(net, batch, [Interception("carbon", 0.0)])
    assert intercepted["b80"].peak_mg_l[0] == pytest.approx(
        0.5 * base["b80"].peak_mg_l[0], rel=1e-9
    )
    held = summarize(net, batch, [GateHold("dam", 0.0, 300.0)])
    assert held["b80"].arrival_min[0] - base["b80"].arrival_min[0] == pytest.approx(300.0)
    closed = summarize(net, batch, [IntakeClosed("b80", 0.0)])
    assert closed["b80"].delivered_exceedance_min is not None
    assert closed["b80"].delivered_exceedance_min[0] == 0.0


def test_a_larger_dispersion_factor_lowers_and_spreads_the_peak() -> None:
    net = network()
    got = summarize(net, SpillBatch("x", "a", 5.0, 2000.0, dispersion_factor=np.array([1.0, 2.0])))
    peak = got["b80"].peak_mg_l
    assert peak[1] == pytest.approx(peak[0] / np.sqrt(2.0), rel=0.02)
    assert got["b80"].exceed_min[1] > got["b80"].exceed_min[0]


def test_summary_sees_an_upstream_hold_when_a_measure_below_it_becomes_ready() -> None:
    """The dam holds the plume 6 h; the carbon below it is ready only after the unheld plume
    would have passed, but before the held one arrives: it must remove its share."""
    net = network()
    release = Release("x", "a", 5.0, 2000.0, 30.0, 40.0)
    hold, carbon = GateHold("dam", 0.0, 360.0), Interception("carbon", 1000.0)
    full_held = simulate(net, [release], [hold], t_end_min=120 * 60).sites["b80"].peak_mg_l
    full_both = simulate(net, [release], [hold, carbon], t_end_min=120 * 60).sites["b80"].peak_mg_l
    batch = SpillBatch("x", "a", 5.0, 2000.0, 30.0, 40.0)
    held = summarize(net, batch, [hold])["b80"].peak_mg_l[0]
    # Listed downstream-first on purpose: the order of the list must not matter.
    both = summarize(net, batch, [carbon, hold])["b80"].peak_mg_l[0]
    assert full_both / full_held == pytest.approx(0.5, abs=0.05)
    assert both / held == pytest.approx(full_both / full_held, abs=0.05)
