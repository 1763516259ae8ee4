"""The plume model against closed forms, quadrature and mass balance (PLUME.md §1)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize_scalar

from sim.plume import Release, simulate
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec
from sim.sampling import kernel_windows
from sim.transport import release_flux, slug_flux, slug_peak_time_s, transfer_cdf

U, K, Q = 0.4, 25.0, 80.0  # m/s, m²/s, m³/s
MASS = 5000.0  # kg


def single_reach(decay_per_day: float = 0.0, km: float = 20.0) -> Network:
    return Network(
        [ReachSpec("r", 600, Q, U, K)],
        [SiteSpec("s", "r", km), SiteSpec("far", "r", 500)],
        {"x": SubstanceSpec("x", 0.1, decay_per_day)},
    )


def textbook_slug_mg_l(x: float, t: float, decay: float = 0.0) -> float:
    """PLUME.md §1.1 written out as in the reference, C = M/(A√(4πKt))·e^…, in mg/L."""
    area = Q / U
    return (
        1e3
        * MASS
        / (area * np.sqrt(4 * np.pi * K * t))
        * np.exp(-((x - U * t) ** 2) / (4 * K * t) - decay * t)
    )


def test_slug_peak_time_and_height_match_the_closed_form() -> None:
    truth = simulate(single_reach(), [Release("x", "r", 0.0, MASS)], t_end_min=1440)
    site = truth.sites["s"]
    t_p = (np.sqrt(K**2 + U**2 * 20_000**2) - K) / U**2
    assert site.peak_min == pytest.approx(t_p / 60, rel=0.005)
    assert site.peak_mg_l == pytest.approx(textbook_slug_mg_l(20_000, t_p), rel=0.01)


def test_finite_release_peak_matches_quadrature_of_superposed_slugs() -> None:
    tau = 90 * 60.0
    truth = simulate(
        single_reach(), [Release("x", "r", 0.0, MASS, duration_min=90)], t_end_min=1440
    )
    site = truth.sites["s"]

    def reference(t: float) -> float:
        return quad(lambda s: textbook_slug_mg_l(20_000, t - s) / tau, 0, min(t, tau), limit=200)[0]

    best = minimize_scalar(
        lambda t: -reference(t), bounds=(40_000, 80_000), method="bounded", options={"xatol": 1.0}
    )
    assert site.peak_min == pytest.approx(best.x / 60, rel=0.005)
    assert site.peak_mg_l == pytest.approx(reference(best.x), rel=0.01)


def test_concentration_at_any_time_is_the_closed_form() -> None:
    truth = simulate(single_reach(), [Release("x", "r", 0.0, MASS)], t_end_min=1440)
    for t_min in (700.5, 833.3, 901.0):
        assert truth.concentration_at("s", t_min) == pytest.approx(
            textbook_slug_mg_l(20_000, t_min * 60), rel=1e-9
        )


@pytest.mark.parametrize("duration_min", [0.0, 40.0, 600.0])
def test_mass_through_a_section_equals_the_mass_released(duration_min: float) -> None:
    net = Network(
        [ReachSpec("a", 30, Q, U, K, downstream="b"), ReachSpec("b", 60, 2 * Q, 0.9, 60.0)],
        [SiteSpec("a20", "a", 20), SiteSpec("b40", "b", 40)],
        {"x": SubstanceSpec("x", 0.1)},
    )
    truth = simulate(net, [Release("x", "a", 2.0, MASS, 30.0, duration_min)], t_end_min=4000)
    for site in truth.sites.values():
        assert site.mass_passed_kg == pytest.approx(MASS, rel=1e-3)


def test_a_long_release_settles_at_load_over_discharge() -> None:
    rate_kg_s = 0.5
    duration_min = 3000.0
    truth = simulate(
        single_reach(),
        [Release("x", "r", 0.0, rate_kg_s * duration_min * 60, 0.0, duration_min)],
        t_end_min=3000,
    )
    plateau = truth.concentration_at("s", 2500.0)
    assert plateau == pytest.approx(1e3 * rate_kg_s / Q, rel=1e-6)


def test_decay_reduces_the_mass_by_exp_minus_k_t() -> None:
    k_per_day = 0.5
    truth = simulate(single_reach(k_per_day), [Release("x", "r", 0.0, MASS)], t_end_min=1440)
    k = k_per_day / 86400
    travel_s = 20_000 / U
    v = np.sqrt(U**2 + 4 * k * K)
    exact = U / v * np.exp(20_000 * (U - v) / (2 * K))  # ∫ of the resident solution
    assert truth.sites["s"].mass_passed_kg / MASS == pytest.approx(exact, rel=1e-3)
    assert truth.sites["s"].mass_passed_kg / MASS == pytest.approx(np.exp(-k * travel_s), rel=2e-3)


def test_confluence_dilutes_by_the_discharge_ratio() -> None:
    net = Network(
        [
            ReachSpec("main", 100, 100.0, 0.6, 40.0),
            ReachSpec("trib", 10, 50.0, 0.5, 10.0, downstream="main", joins_at_km=50),
        ],
        [SiteSpec("above", "main", 49.999), SiteSpec("below", "main", 50.0)],
        {"x": SubstanceSpec("x", 0.1)},
    )
    truth = simulate(net, [Release("x", "main", 0.0, MASS)], t_end_min=3000)
    above, below = truth.sites["above"], truth.sites["below"]
    assert below.peak_mg_l / above.peak_mg_l == pytest.approx(100 / 150, rel=1e-3)
    assert below.mass_passed_kg == pytest.approx(above.mass_passed_kg, rel=1e-3)


def test_a_tributary_spill_arrives_diluted_by_the_main_stem() -> None:
    net = Network(
        [
            ReachSpec("main", 100, 400.0, 0.6, 40.0),
            ReachSpec("trib", 20, 20.0, 0.5, 10.0, downstream="main", joins_at_km=50),
        ],
        [
            SiteSpec("trib_end", "trib", 20.0),
            SiteSpec("main_below", "main", 50.0),
            SiteSpec("main_above", "main", 40.0),
        ],
        {"x": SubstanceSpec("x", 0.1)},
    )
    truth = simulate(net, [Release("x", "trib", 0.0, MASS)], t_end_min=3000)
    assert truth.sites["main_above"].arrival_min is None
    end, below = truth.sites["trib_end"], truth.sites["main_below"]
    assert below.peak_mg_l / end.peak_mg_l == pytest.approx(20 / 420, rel=1e-3)
    assert below.mass_passed_kg == pytest.approx(MASS, rel=1e-3)


def test_moments_add_across_reaches() -> None:
    reaches = [
        ReachSpec("a", 50, 100.0, 0.5, 20.0, downstream="b"),
        ReachSpec("b", 80, 100.0, 1.0, 80.0),
    ]
    net = Network(reaches, [SiteSpec("b80", "b", 80)], {"x": SubstanceSpec("x", 0.1)})
    truth = simulate(net, [Release("x", "a", 0.0, MASS)], t_end_min=6000, dt_min=0.5)
    t = truth.t_min * 60
    flux = truth.sites["b80"].concentration_mg_l
    mean = np.sum(t * flux) / np.sum(flux)
    var = np.sum((t - mean) ** 2 * flux) / np.sum(flux)
    mean_expected = 50_000 / 0.5 + 80_000 / 1.0
    var_expected = 2 * 20 * 50_000 / 0.5**3 + 2 * 80 * 80_000 / 1.0**3
    # The resident form adds 2K/u² to the mean and 8K²/u⁴ to the variance (PLUME.md §1.1).
    u_eq = 130_000 / mean_expected
    k_eq = var_expected * u_eq**3 / (2 * 130_000)
    assert mean == pytest.approx(mean_expected + 2 * k_eq / u_eq**2, rel=1e-4)
    assert var == pytest.approx(var_expected + 8 * k_eq**2 / u_eq**4, rel=1e-3)


def test_no_nan_at_500_km_for_a_finite_release() -> None:
    truth = simulate(
        single_reach(0.1), [Release("x", "r", 0.0, MASS, 0.0, 120.0)], t_end_min=30_000, dt_min=5.0
    )
    series = truth.sites["far"].concentration_mg_l
    assert np.all(np.isfinite(series)) and series.max() > 0
    assert truth.sites["far"].mass_passed_kg > 0


def test_release_kernel_matches_quadrature_of_slugs_with_decay() -> None:
    x, tau, k = 30_000.0, 3600.0, 2e-5
    for t in (70_000.0, 80_000.0, 90_000.0):
        expected = quad(lambda s, t=t: float(slug_flux(x, t - s, U, K, k)) / tau, 0, tau)[0]
        assert float(release_flux(x, t, tau, U, K, k)) == pytest.approx(expected, rel=1e-7)


def test_transfer_kernel_keeps_mass_and_mean() -> None:
    x, dt = 40_000.0, 60.0
    first, rows = kernel_windows(
        np.array([x, 0.0]), np.full(2, U), np.full(2, K), np.zeros(2), dt, 10_000
    )
    weights = rows[0]
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
    lags = (first[0] + np.arange(weights.size)) * dt
    assert np.sum(lags * weights) == pytest.approx(x / U, rel=1e-4)
    assert first[1] == 0 and rows[1, 0] == 1.0 and rows[1, 1:].sum() == 0.0  # at the site: identity
    assert float(transfer_cdf(x, 1e9, U, K, 1e-5)) == pytest.approx(
        np.exp(-2 * 1e-5 * x / (U + np.sqrt(U**2 + 4e-5 * K))), rel=1e-12
    )


def test_slug_peak_time_formula_is_the_maximum_of_the_slug() -> None:
    for x in (10.0, 500.0, 30_000.0):
        t_p = float(slug_peak_time_s(x, U, K, 1e-5))
        around = slug_flux(x, np.array([t_p * 0.999, t_p, t_p * 1.001]), U, K, 1e-5)
        assert around[1] >= around[0] and around[1] >= around[2]


@pytest.mark.parametrize("duration_min", [0.0, 40.0, 37.5, 700.0])
def test_grid_series_equal_the_closed_form_at_grid_times(duration_min: float) -> None:
    net = Network(
        [ReachSpec("a", 60, Q, U, K, downstream="b"), ReachSpec("b", 300, 3 * Q, 1.1, 300.0)],
        [SiteSpec("a30", "a", 30), SiteSpec("b50", "b", 50), SiteSpec("b290", "b", 290)],
        {"x": SubstanceSpec("x", 0.1, 0.2)},
    )
    truth = simulate(net, [Release("x", "a", 1.0, MASS, 15.0, duration_min)], t_end_min=9000)
    for site_id, site in truth.sites.items():
        exact = truth.concentration_at(site_id, truth.t_min)
        assert np.max(np.abs(site.concentration_mg_l - exact)) <= 1e-5 * np.max(exact)
