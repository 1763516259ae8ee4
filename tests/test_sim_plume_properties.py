"""Properties over wide parameter ranges: finite, non-negative, never more mass than spilled."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.breakthrough import first_crossing, first_crossing_of, value_at
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


curve = st.lists(
    st.one_of(st.just(0.0), st.floats(0.0, 50.0), st.sampled_from([1.0, 2.0])),
    min_size=2,
    max_size=60,
)


@given(curve, st.floats(0.5, 30.0), st.floats(0.0, 3.0), st.data())
@settings(max_examples=300)
def test_the_one_site_readers_give_numpys_numbers_exactly(
    values: list[float], dt: float, threshold: float, data: st.DataObject
) -> None:
    """``first_crossing_of`` and ``value_at`` (what the engine asks per site and per sample)
    are bit for bit the vectorised ``first_crossing`` and ``np.interp``."""
    y = np.array(values)
    t = 100.0 + dt * np.arange(y.size)
    crossing = float(first_crossing(t, y[None, :], threshold)[0])
    one = first_crossing_of(t, y, threshold)
    assert (one is None and np.isnan(crossing)) or one == crossing
    grid = t.tolist()
    at = data.draw(st.lists(st.one_of(st.floats(50.0, t[-1] + 50.0), st.sampled_from(grid))))
    for x in at:
        assert value_at(grid, values, x) == float(np.interp(x, t, y))
