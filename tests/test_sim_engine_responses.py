"""A response log is checked against the scenario before anything runs: every problem, located."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from scenarios.errors import InputError
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.log import Kind
from sim.run import ResponseLogDriver, run_drill

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"

GOOD = """\
team: east-a
cell: district
scenario: straight-river
actions:
  - {at: 35min, kind: report, to: city-eeb, channel: phone, level: III}
  - {at: 50min, kind: request, agency: east-eeb, task: monitoring, site: intake}
  - {at: 1h30min, kind: notify, target: west}
"""

BAD = """\
team: east-a
cell: district
scenario: straight-river
actions:
  - {at: 35min, kind: report, to: city-eeb, channel: phone}
  - {at: 50min, kind: request, agency: nobody, task: monitoring, site: intake}
  - {at: 40min, kind: request, agency: fire, task: dosing, site: nowhere}
  - {at: 1h, kind: notify, target: mars}
  - {at: 2h, kind: note, text: x, cell: ghost}
  - {at: 3h, kind: message, to: district, text: 自言自语}
"""


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def write(tmp_path: Path, text: str, name: str = "responses.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_response_log_plays_each_action_at_its_time(tmp_path: Path) -> None:
    driver = ResponseLogDriver.from_file(write(tmp_path, GOOD))
    log = run_drill(straight(), 1, driver)
    taken = [(r.t_min, r.data["action"]["kind"]) for r in log.of_kind(Kind.action_taken)]
    assert taken == [(35.0, "report"), (50.0, "request"), (90.0, "notify")]
    assert log[0].data["driver"] == "responses" and log[0].data["team"] == "east-a"


def test_a_bad_response_log_gives_one_located_message_per_problem(tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    driver = ResponseLogDriver.from_file(path)
    with pytest.raises(InputError) as caught:
        run_drill(straight(), 1, driver)
    found = {(p.line, p.path): p.message for p in caught.value.problems}
    assert set(found) == {
        (6, "actions[1].agency"),
        (7, "actions[2].at"),
        (7, "actions[2].site"),
        (8, "actions[3].target"),
        (9, "actions[4].cell"),
        (10, "actions[5].to"),
    }
    assert "'nobody' does not exist" in found[(6, "actions[1].agency")]
    assert "earlier than the action before it" in found[(7, "actions[2].at")]
    assert all(p.file == str(path) and p.col > 0 for p in caught.value.problems)


def test_a_log_for_another_scenario_or_cell_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("scenario: straight-river", "scenario: wujiang").replace(
        "cell: district", "cell: nowhere"
    )
    with pytest.raises(InputError) as caught:
        ResponseLogDriver.from_file(write(tmp_path, text)).prepare(straight())
    assert {p.path for p in caught.value.problems} == {"scenario", "cell"}


def test_an_action_kind_the_cell_may_not_take_is_refused_before_the_run(tmp_path: Path) -> None:
    data = straight().model_dump(mode="json", by_alias=True)
    data["cells"].append({"id": "plant", "name": "水厂", "plays": ["water"]})
    scenario = Scenario.model_validate(data)
    text = "team: w\ncell: plant\nactions:\n  - {at: 10min, kind: declare_level, level: IV}\n"
    with pytest.raises(InputError) as caught:
        ResponseLogDriver.from_file(write(tmp_path, text)).prepare(scenario)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (4, "actions[0].kind")
    assert "may not declare_level" in problem.message


def test_a_wrongly_aimed_action_is_played_and_refused_in_the_log(tmp_path: Path) -> None:
    text = GOOD + "  - {at: 2h, kind: request, agency: water, task: close_intake, site: mon1}\n"
    log = run_drill(straight(), 1, ResponseLogDriver.from_file(write(tmp_path, text)))
    (refused,) = log.of_kind(Kind.action_refused)
    assert refused.t_min == 120.0 and refused.data["field"] == "site"


def test_an_unreadable_response_log_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        ResponseLogDriver.from_file(write(tmp_path, "team: x\ncell: district\nactions: 3\n"))


def test_an_action_before_the_drill_starts_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "team: east-a\ncell: district\nactions:\n"
        "  - {at: 35min, kind: note, text: 开始}\n"
        "  - {at: -5min, kind: note, text: 提前}\n",
    )
    with pytest.raises(InputError) as caught:
        run_drill(straight(), 1, ResponseLogDriver.from_file(path))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 5, "actions[1].at")
    assert "must be >= 0" in problem.message
