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
live = pytest.importorskip("sim.live")
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


# -- pauses, with the live session the live server drives -----------------------------------
#
# ``LiveSession`` keeps no wall clock: the server turns wall time into ``advance_to`` requests,
# which do nothing while the controller has paused the drill. So however long a pause lasts,
# and however many requests come in meanwhile, drill time stands still.

PHONE = ON_TIME[0][1]
"""The phone report to the city (limit: 30 drill minutes after learning of the incident)."""


def _clean(action: dict[str, Any]) -> Any:
    from sim.actions import action_from_data

    return action_from_data({k: v for k, v in action.items() if v is not None})


def _play_rest(session: Any, after: float) -> Log:
    """Take the on-time team's other actions at their drill minutes, then run to the end."""
    for t, action in ON_TIME[1:]:
        if t > after:
            session.advance_to(t)
            session.submit("district", _clean(action))
    session.advance_to(session.end_min)
    log: Log = session.log
    return log


def _paused_while_asked_to_advance(session: Any, *, requests: tuple[float, ...]) -> None:
    """Pause, then the server's requests for later drill minutes while paused: all refused."""
    at = session.clock_min
    assert session.pause() is not None
    for wall_min in requests:
        assert session.advance_to(wall_min) == at
    assert session.clock_min == at


def test_a_pause_is_not_counted_in_elapsed_drill_time() -> None:
    """Paused at drill minute 20 while the server asks for minutes 25, 45 and 80 (an hour of
    wall time): the clock stays at 20, the first call (due at 30) is not delivered during the
    pause, and after resuming the phone report 20 drill minutes after the call scores as 20
    minutes elapsed, on time — not the 80 minutes of wall time since the call was due."""
    session = live.LiveSession(tutorial(), tutorial().seed, team="team-a")
    session.advance_to(20)
    _paused_while_asked_to_advance(session, requests=(25.0, 45.0, 80.0))
    assert session.snapshot_for("district").inbox == ()  # the river and the injects stopped too
    assert session.resume() is not None
    session.advance_to(50)  # 30 drill minutes after the pause: the server excludes its length
    assert session.submit("district", _clean(PHONE)).t_min == 50.0
    log = _play_rest(session, 50.0)
    pauses = [(r.kind, r.t_min) for r in log if r.kind in (Kind.clock_paused, Kind.clock_resumed)]
    assert pauses == [(Kind.clock_paused, 20.0), (Kind.clock_resumed, 20.0)]
    call = next(r for r in log.of_kind(Kind.inject_delivered) if r.data["inject"] == "first-call")
    assert call.t_min == 30.0
    phone = line(score_run(tutorial(), CHONGQING, log), "phone-report")
    assert (phone.status, phone.start_min, phone.at_min) == (Status.met, 30.0, 50.0)
    assert phone.elapsed_min == 50.0 - 30.0


def test_an_action_submitted_while_paused_is_stamped_at_the_pause() -> None:
    """Paused at T+40, ten minutes after the first call; the phone report comes in while the
    server keeps asking for T+90: it is stamped T+40 and scores 10 minutes elapsed."""
    session = live.LiveSession(tutorial(), tutorial().seed, team="team-a")
    session.advance_to(40)
    _paused_while_asked_to_advance(session, requests=(60.0, 90.0))
    assert session.submit("district", _clean(PHONE)).t_min == 40.0
    assert session.advance_to(90.0) == 40.0
    assert session.resume() is not None
    log = _play_rest(session, 40.0)
    card = score_run(tutorial(), CHONGQING, log)
    phone = line(card, "phone-report")
    assert (phone.status, phone.at_min, phone.elapsed_min) == (Status.met, 40.0, 10.0)
    assert card.points_earned == 93.0
