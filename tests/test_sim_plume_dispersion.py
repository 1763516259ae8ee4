"""Empirical mixing parameters against published data (PLUME.md §2–3)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from sim.dispersion import (
    jobson_equivalent_dispersion_m2s,
    jobson_leading_edge_h,
    jobson_passage_h,
    jobson_peak_velocity_mps,
    jobson_unit_peak_concentration,
    longitudinal_dispersion_m2s,
    shear_velocity_mps,
)
from sim.plume import Release, simulate
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec

DATA = Path(__file__).parent / "data" / "plume"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_default_formula_is_within_a_factor_two_for_most_measured_rivers() -> None:
    rows = _rows("ldc_tayfur2005.csv")
    assert len(rows) == 71
    columns = {
        k: np.array([float(r[k]) for r in rows])
        for k in ("B_m", "H_m", "U_ms", "ustar_ms", "K_m2s")
    }
    shares = {}
    for formula in ("deng", "seo_cheong", "fischer"):
        predicted = longitudinal_dispersion_m2s(
            columns["B_m"], columns["H_m"], columns["U_ms"], columns["ustar_ms"], formula
        )
        ratio = predicted / columns["K_m2s"]
        shares[formula] = float(np.mean((ratio >= 0.5) & (ratio <= 2.0)))
    print("share within x2 of measured K:", {k: f"{v:.0%}" for k, v in shares.items()})
    assert shares["deng"] >= 0.60
    assert shares["deng"] >= shares["fischer"]


def test_unknown_formula_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="elder"):
        longitudinal_dispersion_m2s(10.0, 1.0, 0.5, 0.05, "elder")


def test_shear_velocity_from_slope_and_from_manning() -> None:
    assert shear_velocity_mps(2.0, slope=1e-4) == pytest.approx(np.sqrt(9.81 * 2.0 * 1e-4))
    # Manning: S = (nU)²/H^(4/3), so √(gHS) must equal U·n·√g/H^(1/6).
    depth, velocity, n = 3.0, 0.8, 0.03
    slope = (n * velocity) ** 2 / depth ** (4 / 3)
    assert shear_velocity_mps(depth, velocity_mps=velocity, manning_n=n) == pytest.approx(
        shear_velocity_mps(depth, slope=slope)
    )
    with pytest.raises(ValueError, match="slope"):
        shear_velocity_mps(2.0)


def test_jobson_example_3_rhine_is_reproduced_within_two_percent() -> None:
    row = _rows("jobson_rhine_example.csv")[0]
    length_km, q, q_a, area = (float(row[k]) for k in ("x_km", "Q_m3s", "Qa_m3s", "Da_km2"))
    velocity = jobson_peak_velocity_mps(q, area, q_a)
    t_peak_h = length_km * 1000 / velocity / 3600
    unit_peak = jobson_unit_peak_concentration(t_peak_h, q / q_a)
    assert velocity == pytest.approx(float(row["U_ms"]), rel=0.02)
    assert t_peak_h == pytest.approx(float(row["peak_time_h"]), rel=0.02)
    assert jobson_leading_edge_h(t_peak_h) == pytest.approx(float(row["arrival_h"]), rel=0.02)
    assert unit_peak == pytest.approx(float(row["peak_conc"]), rel=0.02)
    assert jobson_passage_h(unit_peak) == pytest.approx(7.7, rel=0.02)


def test_a_jobson_calibrated_reach_reproduces_the_rhine_peak_and_unit_peak() -> None:
    row = _rows("jobson_rhine_example.csv")[0]
    length_km, q, q_a, area = (float(row[k]) for k in ("x_km", "Q_m3s", "Qa_m3s", "Da_km2"))
    velocity = jobson_peak_velocity_mps(q, area, q_a)
    t_peak_h = length_km * 1000 / velocity / 3600
    k_m2s = jobson_equivalent_dispersion_m2s(
        jobson_unit_peak_concentration(t_peak_h, q / q_a), velocity, length_km * 1000
    )
    net = Network(
        [ReachSpec("rhine", length_km, q, velocity, k_m2s)],
        [SiteSpec("birsfelden", "rhine", length_km)],
        {"tracer": SubstanceSpec("tracer", 1.0)},
    )
    site = simulate(net, [Release("tracer", "rhine", 0.0, 1000.0)], t_end_min=40 * 60).sites[
        "birsfelden"
    ]
    assert site.peak_min is not None
    assert site.peak_min / 60 == pytest.approx(float(row["peak_time_h"]), rel=0.02)
    unit_peak = 1e6 * (site.peak_mg_l / 1000) * q / 1000.0  # C (kg/m³)·Q/M
    assert unit_peak == pytest.approx(float(row["peak_conc"]), rel=0.02)


def test_jobson_area_only_and_slope_forms_give_plausible_velocities() -> None:
    # PLUME.md: D_a 1000 km², Q 10 m³/s gives about 0.35 m/s from Eq. 16.
    assert jobson_peak_velocity_mps(10.0, 1000.0) == pytest.approx(0.35, abs=0.01)
    with_slope = jobson_peak_velocity_mps(1068, 48000, 730, slope=2e-4)
    assert 0.3 < with_slope < 3.0
    assert jobson_peak_velocity_mps(1068, 48000, 730, maximum_probable=True) > 1.9
