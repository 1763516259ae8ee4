"""Metamorphic properties of scoring (hypothesis): earlier is never worse, rescoring is
idempotent, and every scorecard validates against its schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scoring_logs import END_MIN, ON_TIME, TRUTH, tutorial, tutorial_log
from test_scoring_scorecard import schema_errors

from scoring.rulebook import load_rubric
from scoring.schemas import CHECKED_IN
from scoring.score import score_run
from scoring.scorecard import Scorecard
from sim.log import Kind, Log

RUBRICS = [load_rubric("chongqing-2024"), load_rubric("national-2011")]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# ON_TIME's actions in order, with the team's own times drawn by hypothesis.
TEMPLATES = [action for _, action in ON_TIME]
CLOSE = next(i for i, a in enumerate(TEMPLATES) if a.get("task") == "close_intake")
times = st.lists(
    st.floats(0, 1400, allow_nan=False), min_size=len(TEMPLATES), max_size=len(TEMPLATES)
).map(sorted)
shifts = st.lists(
    st.floats(0, 900, allow_nan=False), min_size=len(TEMPLATES), max_size=len(TEMPLATES)
)


def run_log(at: list[float], keep: list[bool] | None = None, team: str = "team-a") -> Log:
    """The tutorial with the team acting at ``at``; the truth follows the intake closure
    (30 min after the request): polluted water is delivered from 474 until it closes."""
    keep = keep or [True] * len(TEMPLATES)
    actions = [(t, a) for t, a, k in zip(at, TEMPLATES, keep, strict=True) if k]
    closed = at[CLOSE] + 30.0 if keep[CLOSE] and at[CLOSE] + 30.0 < END_MIN else None
    truth = [e for e in TRUTH if e[1] is not Kind.truth_intake_polluted]
    end_pollution = 750.0 if closed is None else min(750.0, closed)
    if end_pollution > 474.0:
        truth += [
            (474.0, Kind.truth_intake_polluted, {"site": "jia-intake", "phase": "start"}),
            (end_pollution, Kind.truth_intake_polluted, {"site": "jia-intake", "phase": "end"}),
        ]
    done = []
    if closed is not None:
        done = [
            (
                closed,
                Kind.task_completed,
                {
                    "request_seq": 0,
                    "agency": "jia-water",
                    "task": "close_intake",
                    "site": "jia-intake",
                    "effect": {"closed": True},
                },
            )
        ]
    return tutorial_log(
        actions,
        truth=sorted(truth, key=lambda e: e[0]),
        cell_records=done,
        closed_intake_at=None,
        team=team,
    )


@SETTINGS
@given(times, shifts)
def test_doing_required_actions_earlier_never_lowers_the_score(
    at: list[float], by: list[float]
) -> None:
    """Each action moved earlier by its own amount, in the same order as before."""
    earlier: list[float] = []
    for t, d in zip(at, by, strict=True):
        earlier.append(max(earlier[-1] if earlier else 0.0, t - d, 0.0))
    for rubric in RUBRICS:
        before = score_run(tutorial(), rubric, run_log(at))
        after = score_run(tutorial(), rubric, run_log(earlier))
        assert after.points_max == before.points_max
        assert after.points_earned >= before.points_earned - 1e-9, rubric.id


@SETTINGS
@given(times, st.lists(st.booleans(), min_size=len(TEMPLATES), max_size=len(TEMPLATES)))
def test_rescoring_is_idempotent_and_survives_the_round_trip_through_files(
    at: list[float], keep: list[bool]
) -> None:
    log = run_log(at, keep)
    rubric = RUBRICS[0]
    first = score_run(tutorial(), rubric, log).to_json()
    again = score_run(tutorial(), rubric, Log.parse(log.to_jsonl())).to_json()
    assert first == again
    assert Scorecard.model_validate_json(first).to_json() == first


@SETTINGS
@given(times, st.lists(st.booleans(), min_size=len(TEMPLATES), max_size=len(TEMPLATES)))
def test_every_scorecard_validates_against_the_schema(at: list[float], keep: list[bool]) -> None:
    schema: dict[str, Any] = json.loads(Path(CHECKED_IN["scorecard"]).read_text("utf-8"))
    for rubric in RUBRICS:
        data = json.loads(score_run(tutorial(), rubric, run_log(at, keep)).to_json())
        assert schema_errors(data, schema, schema) == []


def test_the_property_fixture_scores_the_on_time_team_fully() -> None:
    """Guard the generator: ON_TIME's own times give the 93/93 of the hand computation."""
    card = score_run(tutorial(), RUBRICS[0], run_log([t for t, _ in ON_TIME]))
    assert (card.points_earned, card.points_max) == (93.0, 93.0)
