"""Ranking a competition: total, then fewer missed limits, then median latency, then team id."""

from __future__ import annotations

from typing import Any

import pytest
from test_scoring_logs import ON_TIME, replace_action, tutorial, tutorial_log

from scenarios.errors import InputError
from scoring.criteria import Status
from scoring.leaderboard import leaderboard
from scoring.rulebook import load_rubric
from scoring.score import score_run
from scoring.scorecard import Scorecard

CHONGQING = load_rubric("chongqing-2024")


def card(team: str, actions: Any = ON_TIME) -> Scorecard:
    return score_run(tutorial(), CHONGQING, tutorial_log(actions, team=team))


def variant(base: Scorecard, **changes: Any) -> Scorecard:
    """A scorecard with some totals changed, made by re-validating (never by mutating)."""
    return Scorecard.model_validate({**base.model_dump(), **changes})


def test_teams_are_ranked_by_total_score() -> None:
    fast = card("fast")
    slow = card("slow", replace_action(ON_TIME, "report", None, channel="phone"))
    board = leaderboard([slow, fast])
    assert [(s.rank, s.team) for s in board.standings] == [(1, "fast"), (2, "slow")]
    assert board.standings[1].missed_limits == 1


def test_a_tie_on_total_goes_to_fewer_missed_limits_then_earlier_latency_then_team_id() -> None:
    base = card("x")
    a = variant(base, team="a", score_100=80.0, missed_limits=2, median_latency_min=20.0)
    b = variant(base, team="b", score_100=80.0, missed_limits=1, median_latency_min=90.0)
    c = variant(base, team="c", score_100=80.0, missed_limits=1, median_latency_min=40.0)
    d = variant(base, team="d", score_100=80.0, missed_limits=1, median_latency_min=40.0)
    e = variant(base, team="e", score_100=80.0, missed_limits=1, median_latency_min=None)
    board = leaderboard([a, b, c, d, e])
    assert [s.team for s in board.standings] == ["c", "d", "b", "e", "a"]
    assert [s.rank for s in board.standings] == [1, 2, 3, 4, 5]


def test_latency_statistics_per_criterion_across_teams() -> None:
    """Phone reports 20, 45 and never: median 32.5, min 20, max 45; one met of three."""
    late = replace_action(ON_TIME, "report", (75.0, {**ON_TIME[0][1]}), channel="phone")
    never = replace_action(ON_TIME, "report", None, channel="phone")
    board = leaderboard([card("a"), card("b", sorted(late, key=lambda x: x[0])), card("c", never)])
    phone = next(c for c in board.criteria if c.criterion == "phone-report")
    assert [(r.team, r.status) for r in phone.results] == [
        ("a", Status.met),
        ("b", Status.late),
        ("c", Status.missed),
    ]
    stats = phone.latency
    assert (stats.teams_done, stats.median_min, stats.min_min, stats.max_min) == (2, 32.5, 20, 45)
    assert stats.share_met == round(1 / 3, 4)


def test_scorecards_of_different_rubrics_are_not_ranked_together() -> None:
    other = score_run(tutorial(), load_rubric("national-2011"), tutorial_log(team="b"))
    with pytest.raises(InputError, match="different rubrics"):
        leaderboard([card("a"), other])


def test_the_leaderboard_json_is_stable() -> None:
    cards = [card("a"), card("b")]
    assert leaderboard(cards).to_json() == leaderboard(list(cards)).to_json()
