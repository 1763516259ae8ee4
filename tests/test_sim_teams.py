"""Simulated teams act on what they see, at their profile's tempo, with its mistakes."""

from __future__ import annotations

import statistics
from functools import cache
from pathlib import Path

import pytest

from scenarios.errors import InputError
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.log import Kind, Log
from sim.profiles import PROFILES_PATH, Step, TeamProfile, load_profiles, profile
from sim.run import SimulatedTeamDriver, run_drill

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def first(log: Log, cell: str, kind: str, **fields: str) -> float | None:
    for record in log.of_kind(Kind.action_taken):
        action = record.data["action"]
        if (
            record.cell == cell
            and action["kind"] == kind
            and all(action.get(k) == v for k, v in fields.items())
        ):
            return record.t_min
    return None


def test_the_bundled_profiles_are_prompt_average_slow_and_chaotic() -> None:
    profiles = load_profiles()
    assert set(profiles) == {"prompt", "average", "slow", "chaotic"}
    assert all(p.delays for p in profiles.values())
    assert profiles["chaotic"].errors.skip_step > 0


def test_an_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(InputError, match="prompt"):
        profile("heroic")


def test_a_user_can_bring_their_own_profiles(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text(
        "profiles:\n  - id: drilled\n    name: 训练有素\n    delays:\n"
        "      phone_report: {min: 1min, mode: 2min, max: 3min}\n",
        encoding="utf-8",
    )
    log = run_drill(straight(), 1, SimulatedTeamDriver("drilled", profiles_path=path))
    phone = first(log, "district", "report", channel="phone")
    assert phone is not None and 31.0 <= phone <= 33.0
    assert {r.data["action"]["kind"] for r in log.of_kind(Kind.action_taken)} == {"report"}


def test_the_profile_file_is_checked_like_every_riverdrill_file(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text(
        "profiles:\n  - id: x\n    name: x\n    delays: {coffee: 5min}\n", encoding="utf-8"
    )
    with pytest.raises(InputError):
        load_profiles(path)


def test_a_team_acts_only_after_its_cell_learns_of_the_incident() -> None:
    log = run_drill(straight(), 2, SimulatedTeamDriver("prompt"))
    reveal = next(r.t_min for r in log.of_kind(Kind.inject_delivered) if r.cell == "district")
    assert min(r.t_min for r in log.of_kind(Kind.action_taken) if r.cell == "district") > reveal


def test_a_team_that_hears_nothing_does_nothing() -> None:
    data = straight().model_dump(mode="json", by_alias=True)
    data["injects"] = []
    quiet = Scenario.model_validate(data)
    log = run_drill(quiet, 2, SimulatedTeamDriver("prompt"))
    assert not log.of_kind(Kind.action_taken)


def test_a_prompt_team_reports_sooner_than_a_slow_one() -> None:
    def median_phone(name: str) -> float:
        times = [first(run_drill(straight(), s, SimulatedTeamDriver(name)), "district", "report",
                       channel="phone") for s in range(8)]  # fmt: skip
        return statistics.median(t for t in times if t is not None)

    assert median_phone("prompt") + 20 < median_phone("slow")
    assert median_phone("prompt") - 30 <= 20  # within 20 min of the call at T+30


def test_a_team_closes_an_intake_once_a_result_there_exceeds_the_standard() -> None:
    watchful = TeamProfile(
        id="watchful",
        name="watchful",
        delays={Step.request_monitoring: {"min": 1, "mode": 1, "max": 1}},
        monitoring_every=10,
        react={"min": 5, "mode": 5, "max": 5},
    )
    log = run_drill(straight(), 3, SimulatedTeamDriver(watchful, cells=["district"]))
    results = [
        r
        for r in log.of_kind(Kind.result_delivered)
        if r.data["site"] == "intake" and (r.data["value_mg_l"] or 0) >= r.data["standard_mg_l"]
    ]
    close = first(log, "district", "request", task="close_intake", site="intake")
    assert results and close == pytest.approx(results[0].t_min + 5.0)


def test_a_team_estimates_the_level_a_do_nothing_river_would_reach() -> None:
    log = run_drill(straight(), 4, SimulatedTeamDriver("prompt"))
    declared = [r.data["action"]["level"] for r in log.of_kind(Kind.action_taken)
                if r.data["action"]["kind"] == "declare_level"]  # fmt: skip
    assert declared and declared[0] in {"II", "III", "IV"}


def test_the_profiles_file_is_the_bundled_one() -> None:
    assert PROFILES_PATH.name == "teams.yaml" and PROFILES_PATH.exists()
