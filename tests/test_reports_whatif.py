"""What-ifs re-run the drill with one action moved; their numbers match an independent re-run."""

from __future__ import annotations

from typing import Any

import pytest
from test_reports_fixtures import TUTORIAL_ACTIONS, responses, run_log, tutorial

from reports.describe import Names
from reports.i18n import Messages
from reports.whatif import WhatIfResult, delivered, what_ifs
from reports.whatif_text import view
from scoring.evidence import view_of
from scoring.rulebook import load_rubric
from scoring.score import score_run

SCENARIO = tutorial()
RUBRIC = load_rubric("chongqing-2024")


@pytest.fixture(scope="module")
def results() -> list[WhatIfResult]:
    log = run_log(SCENARIO, responses())
    return what_ifs(SCENARIO, RUBRIC, log)


def _independent(moved: dict[str, Any], at_min: float) -> tuple[float, dict[str, float]]:
    """Re-run from a hand-edited response log: the same actions, one of them at ``at_min``."""
    actions = [dict(a) for a in TUTORIAL_ACTIONS if a is not moved]
    actions.append({**moved, "at": at_min})
    actions.sort(key=lambda a: _minutes(a["at"]))
    log = run_log(SCENARIO, responses(actions))
    return score_run(SCENARIO, RUBRIC, log).points_earned, delivered(view_of(log), SCENARIO)


def _minutes(at: Any) -> float:
    from scenarios.types import parse_duration

    return parse_duration(at)


def test_the_late_intake_closure_what_if_matches_an_independent_rerun(
    results: list[WhatIfResult],
) -> None:
    earlier = [
        r
        for r in results
        if r.change.kind == "earlier" and r.change.action["task"] == "close_intake"
    ]
    assert len(earlier) == 1
    result = earlier[0]
    assert result.actual.delivered_min["jia-intake"] > 0
    assert result.counterfactual.delivered_min["jia-intake"] == 0
    closure = next(a for a in TUTORIAL_ACTIONS if a.get("task") == "close_intake")
    points, supplied = _independent(closure, result.change.target_min)
    assert supplied == result.counterfactual.delivered_min
    assert points == pytest.approx(result.counterfactual.points)


def test_a_late_report_moved_to_its_limit_matches_an_independent_rerun(
    results: list[WhatIfResult],
) -> None:
    result = next(r for r in results if r.change.criterion == "written-report")
    assert result.change.kind == "late" and result.change.target_min == pytest.approx(
        90.0
    )  # reveal 30 + 1 h
    written = next(a for a in TUTORIAL_ACTIONS if a.get("channel") == "written")
    points, supplied = _independent(written, 90.0)
    assert points == pytest.approx(result.counterfactual.points)
    assert points > result.actual.points
    assert supplied == result.counterfactual.delivered_min


def test_a_missed_criterion_gets_a_made_up_action_that_meets_it(
    results: list[WhatIfResult],
) -> None:
    result = next(r for r in results if r.change.criterion == "first-investigation")
    assert result.change.kind == "missing" and result.change.action["kind"] == "investigate"
    assert result.counterfactual.points > result.actual.points


def test_earlier_protection_never_supplies_more_polluted_water(results: list[WhatIfResult]) -> None:
    for r in results:
        for intake, minutes in r.actual.delivered_min.items():
            if r.change.kind in ("earlier", "added"):
                assert r.counterfactual.delivered_min[intake] <= minutes + 1e-6


def test_the_what_if_sentence_states_the_consequence_and_the_number(
    results: list[WhatIfResult],
) -> None:
    result = next(r for r in results if r.change.kind == "earlier")
    zh = view(result, RUBRIC, Names(SCENARIO, Messages("zh")))
    assert "甲区水厂取水口就不会取用超标水" in zh.sentence and "超标供水 0 分钟" in zh.sentence
    en = view(result, RUBRIC, Names(SCENARIO, Messages("en")))
    assert "would not have supplied water above the standard" in en.sentence
    assert en.counterfactual == "0 min"


def test_a_team_that_did_everything_on_time_gets_no_what_if() -> None:
    prompt = [
        {
            "at": "35min",
            "kind": "report",
            "to": "city-eeb",
            "channel": "phone",
            "report": "initial",
            "level": "II",
        },
        {
            "at": "40min",
            "kind": "request",
            "agency": "jia-water",
            "task": "close_intake",
            "site": "jia-intake",
        },
    ]
    log = run_log(SCENARIO, responses(prompt))
    results = what_ifs(SCENARIO, RUBRIC, log)
    assert not any(r.change.intake for r in results)  # the intake never supplied polluted water
    assert all(r.change.criterion != "phone-report" for r in results)
