"""Properties over wide parameter ranges: finite, non-negative, never more mass than spilled."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.plume import Release, simulate
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec
from sim.summary import SpillBatch, summarize
from sim.transport import release_flux, slug_flux, transfer_cdf

distance = st.floats(0.0, 1e6)
velocity = st.floats(1e-3, 10.0)
dispersion = st.floats(1e-3, 1e5)
decay = st.floats(0.0, 1e-2)
times = st.lists(st.floats(-1e3, 1e7), min_size=1, max_size=20)


@given(distance, times, velocity, dispersion, decay, st.floats(0.0, 1e6))
def test_kernels_are_finite_and_non_negative(
    x: float, t: list[float], u: float, k_m2s: float, k: float, tau: float
) -> None:
    t_s = np.array(t)
    for values in (
        slug_flux(x, t_s, u, k_m2s, k),
        release_flux(x, t_s, tau, u, k_m2s, k),
        transfer_cdf(x, t_s, u, k_m2s, k),
    ):
        assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert np.all(transfer_cdf(x, t_s, u, k_m2s, k) <= 1.0 + 1e-12)


reach_params = st.tuples(
    st.floats(1.0, 500.0),  # length_km
    st.floats(0.5, 20_000.0),  # discharge
    st.floats(0.05, 3.0),  # velocity
    st.floats(1e-3, 5_000.0),  # dispersion
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(reach_params, min_size=1, max_size=3),
    st.floats(0.0, 1.0),
    st.floats(0.0, 600.0),
    st.floats(0.0, 5.0),
)
def test_simulation_is_finite_non_negative_and_never_creates_mass(
    reaches: list[tuple[float, float, float, float]],
    spill_share: float,
    duration_min: float,
    decay_per_day: float,
) -> None:
    specs = [
        ReachSpec(
            f"r{i}", length, q, u, k_m2s, downstream=f"r{i + 1}" if i + 1 < len(reaches) else None
        )
        for i, (length, q, u, k_m2s) in enumerate(reaches)
    ]
    sites = [
        SiteSpec(f"s{i}", f"r{i}", length * share)
        for i, (length, *_) in enumerate(reaches)
        for share in (0.0, 0.5, 1.0)
    ]
    net = Network(specs, sites, {"x": SubstanceSpec("x", 0.01, decay_per_day)})
    spill = Release("x", "r0", reaches[0][0] * spill_share, 1000.0, 10.0, duration_min)
    truth = simulate(net, [spill], t_end_min=3 * 1440, dt_min=5.0)
    for site in truth.sites.values():
        assert np.all(np.isfinite(site.concentration_mg_l))
        assert np.all(site.concentration_mg_l >= 0)
        assert site.mass_passed_kg <= 1000.0 * 1.01
    summary = summarize(net, SpillBatch("x", "r0", spill.km, 1000.0, 10.0, duration_min))
    for got in summary.values():
        assert np.all(np.isfinite(got.peak_mg_l)) and np.all(got.peak_mg_l >= 0)
