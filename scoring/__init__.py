"""Scoring: a pure function of (scenario, rubric, event log, judges' sheet) to a scorecard.

Rubrics (``scoring/rubrics/*.yaml``) say what a team is scored on; :func:`score_run` applies
one to a run's log; :func:`leaderboard` ranks the scorecards of a competition.

Names are imported on first use (PEP 562), so a report that reads a stored scorecard does not
load the rubric machinery, judges' sheets and leaderboards it does not touch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios.lazy import lazy_exports

if TYPE_CHECKING:
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

_WHERE = {
    "Status": "scoring.criteria",
    "JudgeSheet": "scoring.judges",
    "read_judges": "scoring.judges",
    "Leaderboard": "scoring.leaderboard",
    "leaderboard": "scoring.leaderboard",
    "CapabilityName": "scoring.rubric",
    "Criterion": "scoring.rubric",
    "Rubric": "scoring.rubric",
    "DEFAULT_RUBRIC": "scoring.rulebook",
    "bundled_rubrics": "scoring.rulebook",
    "check_references": "scoring.rulebook",
    "load_overrides": "scoring.rulebook",
    "load_rubric": "scoring.rulebook",
    "rubric_source": "scoring.rulebook",
    "score_run": "scoring.score",
    "Override": "scoring.scorecard",
    "Overrides": "scoring.scorecard",
    "Rating": "scoring.scorecard",
    "Scorecard": "scoring.scorecard",
}

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

__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
