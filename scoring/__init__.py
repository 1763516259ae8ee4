"""Scoring: a pure function of (scenario, rubric, event log, judges' sheet) to a scorecard.

Rubrics (``scoring/rubrics/*.yaml``) say what a team is scored on; :func:`score_run` applies
one to a run's log; :func:`leaderboard` ranks the scorecards of a competition.
"""

from scoring.criteria import Status
from scoring.judges import JudgeSheet, read_judges
from scoring.leaderboard import Leaderboard, leaderboard
from scoring.rubric import CapabilityName, Criterion, Rubric
from scoring.rulebook import (
    DEFAULT_RUBRIC,
    bundled_rubrics,
    check_references,
    load_overrides,
    load_rubric,
    rubric_source,
)
from scoring.score import score_run
from scoring.scorecard import Override, Overrides, Rating, Scorecard

__all__ = [
    "DEFAULT_RUBRIC",
    "CapabilityName",
    "Criterion",
    "JudgeSheet",
    "Leaderboard",
    "Override",
    "Overrides",
    "Rating",
    "Rubric",
    "Scorecard",
    "Status",
    "bundled_rubrics",
    "check_references",
    "leaderboard",
    "load_overrides",
    "load_rubric",
    "read_judges",
    "rubric_source",
    "score_run",
]
