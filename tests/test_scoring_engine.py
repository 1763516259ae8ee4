"""Scoring logs written by the engine (``sim.run.run_drill`` with a response-log driver).

The engine computes the truth with the plume model, so arrival times differ from the
hand-built logs by minutes; the cases below are chosen so that the expected scores do not
depend on them (every limit is far from the truth's deadlines).
"""

from __future__ import annotations

from typing import Any

import pytest
from test_scoring_logs import FULL_CONTENT, ON_TIME, replace_action, tutorial

from scenarios.actions import Level, ResponseLog
from scoring.criteria import Status
from scoring.rulebook import load_rubric
from scoring.score import score_run
from scoring.scorecard import Scorecard, ScoreLine
from sim.log import Kind, Log

run = pytest.importorskip("sim.run")
CHONGQING = load_rubric("chongqing-2024")


def responses(actions: Any = ON_TIME) -> ResponseLog:
    listed = []
    for t, action in actions:
        clean = {k: v for k, v in action.items() if v is not None}
        listed.append({**clean, "at": t})
    return ResponseLog.model_validate({"team": "team-a", "cell": "district", "actions": listed})


def engine_log(actions: Any = ON_TIME, pauses: tuple[float, ...] = ()) -> Log:
    driver = run.ResponseLogDriver(responses(actions))
    if not pauses:
        return run.run_drill(tutorial(), tutorial().seed, driver)
    commands = list(driver.commands())
    for t in pauses:
        commands += [run.Command(t, "pause"), run.Command(t, "resume")]
    commands.sort(key=lambda c: (c.t_min, c.op != "pause", c.op == "resume"))
    script = run.ScriptDriver(commands, "live", "team-a")
    return run.run_drill(tutorial(), tutorial().seed, script)


def line(card: Scorecard, cid: str) -> ScoreLine:
    return next(item for _, item in card.lines() if item.id == cid)


def score(actions: Any = ON_TIME, **kw: Any) -> Scorecard:
    return score_run(tutorial(), CHONGQING, engine_log(actions, **kw))


def test_an_engine_run_of_the_on_time_team_scores_every_point() -> None:
    card = score()
    assert (card.points_earned, card.points_max) == (93.0, 93.0)
    assert card.truth.level is Level.II
    assert card.truth.logged_level is Level.II  # the engine's grade agrees with scoring's


def test_an_engine_run_with_a_late_written_report_is_on_the_linear_curve() -> None:
    written = {**ON_TIME[4][1]}
    actions = replace_action(ON_TIME, "report", (126.0, written), channel="written")
    card = score(sorted(actions, key=lambda a: a[0]))
    assert (line(card, "written-report").status, line(card, "written-report").points_earned) == (
        Status.late,
        4.0,
    )
    assert card.points_earned == 87.0


def test_an_engine_run_without_a_phone_report_misses_it() -> None:
    card = score(replace_action(ON_TIME, "report", None, channel="phone"))
    assert line(card, "phone-report").status is Status.missed
    assert card.points_earned == 83.0


def test_an_engine_run_paused_in_the_middle_scores_the_same() -> None:
    plain, paused = score(), score(pauses=(40.0, 100.0))
    assert any(r.kind is Kind.clock_paused for r in engine_log(pauses=(40.0,)))
    assert [(x.id, x.elapsed_min, x.points_earned) for _, x in paused.lines()] == [
        (x.id, x.elapsed_min, x.points_earned) for _, x in plain.lines()
    ]


def test_an_engine_run_with_report_elements_missing_is_credited_by_share() -> None:
    content = {k: v for k, v in FULL_CONTENT.items() if k not in ("signer", "pollutant")}
    written = {**ON_TIME[4][1], "content": content}
    card = score(replace_action(ON_TIME, "report", (80.0, written), channel="written"))
    assert line(card, "initial-report-elements").points_earned == round(10 * 16 / 18, 2)


def test_an_engine_run_with_the_wrong_level_declared_gets_half() -> None:
    actions = replace_action(
        ON_TIME, "declare_level", (130.0, {"kind": "declare_level", "level": "III"})
    )
    assert line(score(actions), "level-correct").points_earned == 4.0


def test_an_engine_run_with_a_refused_action_is_penalised() -> None:
    """Asking the water company to close the barrage: the site does not suit the task."""
    wrong = {
        "kind": "request",
        "agency": "jia-water",
        "task": "close_intake",
        "site": "qingshui-dam",
    }
    log = engine_log(sorted([*ON_TIME, (100.0, wrong)], key=lambda a: a[0]))
    assert sum(r.kind is Kind.action_refused for r in log) == 1
    card = score_run(tutorial(), CHONGQING, log)
    refused = next(p for p in card.cells[0].penalties if p.id == "refused-actions")
    assert (refused.occurrences, refused.points_deducted) == (1, 1.0)
    assert card.points_earned == 92.0


def test_an_action_submitted_while_the_engine_is_paused_counts_at_the_pause() -> None:
    """Paused at T+40; the phone report comes in while paused and is stamped T+40, so 10 min
    after learning of the incident, however long the pause lasted in wall-clock time."""
    driver = run.ResponseLogDriver(responses())
    commands = [c for c in driver.commands() if c.action is None or c.t_min != 50.0]
    phone = next(c for c in driver.commands() if c.t_min == 50.0)
    commands += [
        run.Command(40.0, "pause"),
        run.Command(45.0, "submit", "district", phone.action),
        run.Command(45.0, "resume"),
    ]
    commands.sort(key=lambda c: c.t_min)
    log = run.run_drill(tutorial(), tutorial().seed, run.ScriptDriver(commands, "live", "team-a"))
    card = score_run(tutorial(), CHONGQING, log)
    assert line(card, "phone-report").at_min == 40.0
    assert line(card, "phone-report").elapsed_min == 10.0
