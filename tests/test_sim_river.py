"""The river network: paths, travel times, reachability, discharge and hydraulics."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.schema import Reach
from sim.dispersion import jobson_peak_velocity_mps
from sim.hydraulics import resolve_reach
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec

TRACER = {"tracer": SubstanceSpec("tracer", standard_mg_l=1.0)}


def two_reaches_and_tributary() -> Network:
    """Main stem a → b, tributary t joining b at km 30."""
    return Network(
        [
            ReachSpec("a", 40, 100.0, 0.5, 20.0, downstream="b"),
            ReachSpec("b", 100, 120.0, 0.8, 50.0),
            ReachSpec("t", 25, 30.0, 0.4, 5.0, downstream="b", joins_at_km=30),
        ],
        [
            SiteSpec("a10", "a", 10),
            SiteSpec("b20", "b", 20),
            SiteSpec("b30", "b", 30),
            SiteSpec("b60", "b", 60),
            SiteSpec("t5", "t", 5),
        ],
        TRACER,
    )


def test_travel_time_adds_over_reaches() -> None:
    net = two_reaches_and_tributary()
    stats = net.path_to_sites("a", 0.0)
    times = dict(zip([s.id for s in net.sites], stats.time_s, strict=True))
    assert times["a10"] == pytest.approx(10_000 / 0.5)
    assert times["b60"] == pytest.approx(40_000 / 0.5 + 60_000 / 0.8)


def test_variance_adds_over_reaches() -> None:
    net = two_reaches_and_tributary()
    stats = net.path_to_sites("a", 5.0)
    b60 = net.site_index["b60"]
    expected = 2 * 20.0 * 35_000 / 0.5**3 + 2 * 50.0 * 60_000 / 0.8**3
    assert stats.variance_s2[b60] == pytest.approx(expected)


def test_sites_upstream_of_a_point_are_not_reached() -> None:
    net = two_reaches_and_tributary()
    reached = dict(
        zip([s.id for s in net.sites], net.path_to_sites("a", 20.0).reachable, strict=True)
    )
    assert reached == {"a10": False, "b20": True, "b30": True, "b60": True, "t5": False}


def test_tributary_reaches_only_the_main_stem_below_its_junction() -> None:
    net = two_reaches_and_tributary()
    stats = net.path_to_sites("t", 0.0)
    reached = dict(zip([s.id for s in net.sites], stats.reachable, strict=True))
    assert reached == {"a10": False, "b20": False, "b30": True, "b60": True, "t5": True}
    b60 = net.site_index["b60"]
    assert stats.time_s[b60] == pytest.approx(25_000 / 0.4 + 30_000 / 0.8)


def test_discharge_grows_below_a_tributary_junction() -> None:
    net = two_reaches_and_tributary()
    q = dict(zip([s.id for s in net.sites], net.site_discharge_m3s, strict=True))
    assert q["b20"] == 120.0
    assert q["b30"] == 150.0  # at the junction: fully mixed
    assert q["b60"] == 150.0


def test_path_lists_the_reaches_to_the_outlet() -> None:
    net = two_reaches_and_tributary()
    pieces = net.path("t", 10.0)
    assert [(p.reach, p.from_km, p.to_km) for p in pieces] == [
        ("t", 10.0, 25.0),
        ("b", 30.0, 100.0),
    ]
    points = net.points_downstream("t", 10.0, step_km=5.0)
    assert points[0] == ("t", 10.0)
    assert points[-1] == ("b", 100.0)


def test_a_cycle_is_rejected_with_the_reach_named() -> None:
    with pytest.raises(ValueError, match="cycle"):
        Network(
            [ReachSpec("x", 1, 1, 1, 1, downstream="y"), ReachSpec("y", 1, 1, 1, 1, downstream="x")]
        )


def test_unknown_downstream_and_off_reach_site_are_rejected() -> None:
    with pytest.raises(ValueError, match="downstream"):
        Network([ReachSpec("x", 1, 1, 1, 1, downstream="nowhere")])
    with pytest.raises(ValueError, match=r"km\(=5"):
        Network([ReachSpec("x", 1, 1, 1, 1)], [SiteSpec("s", "x", 5.0)])
    with pytest.raises(ValueError, match="joins_at_km"):
        Network(
            [ReachSpec("x", 1, 1, 1, 1, downstream="y", joins_at_km=9), ReachSpec("y", 2, 1, 1, 1)]
        )


def _reach(**fields: object) -> Reach:
    return Reach.model_validate(
        {"id": "r", "length_km": 10, "discharge_m3s": 100, "jurisdiction": "j", **fields}
    )


def test_velocity_is_given_else_from_geometry_else_from_jobson() -> None:
    assert resolve_reach(_reach(velocity_mps=0.7)).velocity_mps == 0.7
    assert resolve_reach(_reach(width_m=50, depth_m=4)).velocity_mps == pytest.approx(0.5)
    jobson = resolve_reach(_reach(drainage_area_km2=5000, mean_annual_discharge_m3s=80))
    assert jobson.velocity_mps == pytest.approx(jobson_peak_velocity_mps(100, 5000, 80))


def test_given_dispersion_wins_and_formulas_differ() -> None:
    assert resolve_reach(_reach(velocity_mps=0.5, dispersion_m2s=12.0)).dispersion_m2s == 12.0
    values = {
        f: resolve_reach(_reach(width_m=50, depth_m=4), f).dispersion_m2s
        for f in ("deng", "seo_cheong", "fischer")
    }
    assert len(set(values.values())) == 3
    assert all(0.1 < k < 1e4 for k in values.values())


def test_slope_and_manning_both_give_a_dispersion() -> None:
    with_slope = resolve_reach(_reach(width_m=50, depth_m=4, slope=1e-4)).dispersion_m2s
    with_n = resolve_reach(_reach(width_m=50, depth_m=4, manning_n=0.05)).dispersion_m2s
    assert np.isfinite(with_slope) and np.isfinite(with_n) and with_slope != with_n


def test_reach_decay_overrides_the_substance_decay() -> None:
    net = Network([ReachSpec("x", 10, 1, 1.0, 1, decay_per_day=0.5)], [SiteSpec("s", "x", 10)])
    stats = net.path_to_sites("x", 0.0)
    assert stats.decay_exponent(1.0)[0] == pytest.approx(0.5 / 86400 * 10_000)
