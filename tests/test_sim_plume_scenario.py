"""The plume model built from a validated scenario, and the preview rows."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios.schema import Scenario
from sim.plume import Release, releases_from_scenario, simulate
from sim.preview import preview_rows
from sim.river import Network

PREVIEW_FIELDS = {
    "id",
    "kind",
    "reach",
    "km",
    "arrival_min",
    "peak_min",
    "peak_mg_l",
    "standard_mg_l",
    "exceed_start_min",
    "exceed_end_min",
    "delivered_exceedance_min",
}


def scenario(**changes: Any) -> Scenario:
    data: dict[str, Any] = {
        "id": "plume-test",
        "title": {"zh": "测试", "en": "test"},
        "start": "2025-09-12T02:10:00+08:00",
        "duration": "48h",
        "reaches": [
            {
                "id": "up",
                "length_km": 42,
                "discharge_m3s": 850,
                "velocity_mps": 0.85,
                "jurisdiction": "a",
                "downstream": "mid",
            },
            {
                "id": "mid",
                "length_km": 58,
                "discharge_m3s": 900,
                "width_m": 220,
                "depth_m": 9,
                "jurisdiction": "a",
            },
            {
                "id": "trib",
                "length_km": 30,
                "discharge_m3s": 60,
                "velocity_mps": 0.6,
                "jurisdiction": "a",
                "downstream": "mid",
                "joins_at_km": 21,
            },
        ],
        "sites": [
            {"id": "spring", "kind": "monitoring", "reach": "up", "km": 1},
            {
                "id": "dam",
                "kind": "dam",
                "reach": "up",
                "km": 38,
                "operator": "hydro",
                "max_hold": "6h",
            },
            {
                "id": "intake",
                "kind": "intake",
                "reach": "mid",
                "km": 12,
                "population": 120000,
                "operator": "water",
            },
            {
                "id": "carbon",
                "kind": "interception",
                "reach": "mid",
                "km": 25,
                "method": "activated_carbon",
                "efficiency": 0.6,
                "build_time": "3h",
                "needs": "dosing",
            },
            {"id": "trib-mouth", "kind": "monitoring", "reach": "trib", "km": 30},
            {"id": "boundary", "kind": "boundary", "reach": "mid", "km": 58, "downstream": "b"},
        ],
        "jurisdictions": [
            {"id": "a", "name": {"zh": "甲", "en": "A"}, "level": "county"},
            {"id": "b", "name": {"zh": "乙", "en": "B"}, "level": "county"},
        ],
        "spills": [
            {
                "substance": "aniline",
                "reach": "up",
                "km": 5,
                "mass_kg": 12000,
                "start": "0min",
                "duration": "40min",
            }
        ],
        "cells": [{"id": "c1", "name": {"zh": "丙", "en": "C"}, "plays": ["x"]}],
    }
    return Scenario.model_validate(data | changes)


def test_a_scenario_network_resolves_velocity_dispersion_and_substances() -> None:
    net = Network.from_scenario(scenario())
    reaches = {r.id: r for r in net.reaches}
    assert reaches["up"].velocity_mps == 0.85
    assert reaches["mid"].velocity_mps == pytest.approx(900 / (220 * 9))
    assert all(r.dispersion_m2s > 0 for r in net.reaches)
    assert net.substance("aniline").standard_mg_l > 0
    assert net.site("dam").max_hold_min == 360.0
    assert net.site("carbon").build_time_min == 180.0


def test_the_scenario_dispersion_formula_is_used() -> None:
    deng = Network.from_scenario(scenario())
    fischer = Network.from_scenario(scenario(hydraulics={"dispersion_formula": "fischer"}))
    assert deng.reaches[1].dispersion_m2s != fischer.reaches[1].dispersion_m2s


def test_preview_rows_have_exactly_the_cli_fields_and_none_where_never_reached() -> None:
    rows = {row["id"]: row for row in preview_rows(scenario())}
    assert all(set(row) == PREVIEW_FIELDS for row in rows.values())
    for upstream in ("spring", "trib-mouth"):
        assert all(
            rows[upstream][k] is None
            for k in ("arrival_min", "peak_min", "peak_mg_l", "exceed_start_min", "exceed_end_min")
        )
    intake = rows["intake"]
    assert (
        intake["arrival_min"]
        < intake["exceed_start_min"]
        < intake["peak_min"]
        < intake["exceed_end_min"]
    )
    assert intake["delivered_exceedance_min"] == pytest.approx(
        intake["exceed_end_min"] - intake["exceed_start_min"], abs=0.2
    )
    assert rows["dam"]["delivered_exceedance_min"] is None


def test_a_tributary_spill_from_a_scenario_reaches_the_main_stem_diluted() -> None:
    trib_spill = {
        "substance": "aniline",
        "reach": "trib",
        "km": 0,
        "mass_kg": 2000,
        "duration": "10min",
    }
    sc = scenario(spills=[trib_spill])
    truth = simulate(Network.from_scenario(sc), sc.spills, t_end_min=sc.duration)
    mouth, below = truth.sites["trib-mouth"], truth.sites["carbon"]
    assert truth.sites["intake"].arrival_min is None  # above the junction
    assert below.arrival_min is not None and mouth.arrival_min is not None
    assert below.peak_mg_l < mouth.peak_mg_l * 60 / 900 * 1.01


def test_a_spill_at_a_site_and_a_rate_spill_are_placed_and_sized() -> None:
    sc = scenario(
        spills=[
            {
                "substance": "aniline",
                "site": "dam",
                "rate_kg_h": 600,
                "start": "1h",
                "duration": "2h",
            }
        ]
    )
    (release,) = releases_from_scenario(sc, Network.from_scenario(sc))
    assert release == Release("aniline", "up", 38.0, 1200.0, 60.0, 120.0)
