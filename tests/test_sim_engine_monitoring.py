"""Monitoring results are the truth at the sample time, blurred only as much as declared."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.actions import ResponseLog
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.actions import action_from_data
from sim.log import Kind, Log
from sim.monitoring import FIELD_KIT, LAB, measure
from sim.run import ResponseLogDriver, run_drill
from sim.truth import TruthKeeper

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"
SEED = 5


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def sampling(*sites: str, every: str = "2h", lab: bool = False, at: float = 0.0) -> Log:
    actions = tuple(
        action_from_data({"at": at, "kind": "request", "agency": "east-eeb", "task": "monitoring",
                          "site": site, "every": every, "lab": lab})
        for site in sites
    )  # fmt: skip
    return run_drill(
        straight(), SEED, ResponseLogDriver(ResponseLog(team="t", cell="district", actions=actions))
    )


@cache
def baseline_truth() -> Any:
    return TruthKeeper(straight(), straight().duration).baseline


def test_the_first_sample_is_taken_when_the_crew_arrives_then_every_interval() -> None:
    log = sampling("mon1")
    taken = [r.t_min for r in log.of_kind(Kind.sample_taken)]
    # 10 min to respond + 1.8 km at 36 km/h = 3 min, then every 2 h until the end.
    assert taken[:3] == [pytest.approx(13.0), pytest.approx(133.0), pytest.approx(253.0)]
    assert taken[-1] < straight().duration
    assert len(taken) == 12


def test_field_results_arrive_half_an_hour_after_sampling_and_lab_results_four_hours() -> None:
    for lab, turnaround in ((False, 30.0), (True, 240.0)):
        log = sampling("mon1", lab=lab)
        first = log.of_kind(Kind.result_delivered)[0]
        assert first.t_min - first.data["sampled_at_min"] == pytest.approx(turnaround)
        assert first.data["method"] == ("lab" if lab else "field")


@pytest.mark.parametrize("method", [FIELD_KIT, LAB], ids=["field", "lab"])
def test_results_track_the_plume_truth_within_the_declared_noise(method: Any) -> None:
    log = sampling(
        "mon1", "gate", "carbon", "old-pond", "intake", "border", every="10min", lab=method is LAB
    )
    truth = baseline_truth()
    errors = []
    for result in log.of_kind(Kind.result_delivered):
        value = result.data["value_mg_l"]
        true = float(truth.concentration_at(result.data["site"], result.data["sampled_at_min"]))
        if value is not None and true > 3 * result.data["detection_limit_mg_l"]:
            errors.append(math.log(value / true))
    assert len(errors) > 25
    assert max(abs(e) for e in errors) < 4.5 * method.sigma
    assert abs(float(np.mean(errors))) < 3 * method.sigma / math.sqrt(len(errors)) + 0.01
    assert float(np.std(errors)) == pytest.approx(method.sigma, rel=0.35)


def test_a_concentration_below_the_detection_limit_is_reported_as_not_detected() -> None:
    log = sampling("border", every="1h")
    early = [r for r in log.of_kind(Kind.result_delivered) if r.data["sampled_at_min"] < 600]
    assert early and all(r.data["value_mg_l"] is None for r in early)
    assert all(r.data["detection_limit_mg_l"] == pytest.approx(0.02) for r in early)


def test_the_lab_detects_less_than_a_field_kit() -> None:
    assert LAB.detection_fraction < FIELD_KIT.detection_fraction
    assert LAB.sigma < FIELD_KIT.sigma
    assert LAB.turnaround_min > FIELD_KIT.turnaround_min


@given(
    true=st.floats(0, 100, allow_nan=False),
    z=st.floats(-6, 6, allow_nan=False),
    standard=st.floats(0.0001, 20),
)
def test_a_reading_is_never_negative_and_censored_only_below_the_limit(
    true: float, z: float, standard: float
) -> None:
    value = measure(true, FIELD_KIT, standard, z)
    if value is None:
        assert true * math.exp(FIELD_KIT.sigma * z) < FIELD_KIT.detection_fraction * standard
    else:
        assert value >= FIELD_KIT.detection_fraction * standard
        assert value == pytest.approx(true * math.exp(FIELD_KIT.sigma * z))


def test_results_go_only_to_the_requesting_cell() -> None:
    log = sampling("intake", every="30min")
    kinds = (Kind.sample_taken, Kind.result_delivered)
    records = log.of_kind(*kinds)
    assert {r.kind for r in records} == set(kinds)  # both kinds present: `all` is not vacuous
    assert all(r.visible_to == ("district",) for r in records)
