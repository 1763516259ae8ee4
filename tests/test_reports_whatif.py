"""What-ifs re-run the drill with one action moved; their numbers match an independent re-run."""

from __future__ import annotations

from typing import Any

import pytest
from test_reports_fixtures import (
    TUTORIAL_ACTIONS,
    never_closed_ended_at_600,
    responses,
    run_log,
    tutorial,
)

from reports.curves import compute_curves
from reports.describe import Names
from reports.i18n import Messages
from reports.truth import run_truth
from reports.whatif import WhatIfResult, delivered, rerun, what_ifs
from reports.whatif_text import view
from scoring.evidence import view_of
from scoring.rulebook import load_rubric
from scoring.score import score_run
from sim.actions import action_from_data

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


def _points_text(value: float) -> str:
    """Points as the what-if sentence writes them (two decimals, trailing zeros dropped)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def test_a_polluted_supply_still_running_at_the_end_counts_up_to_the_end() -> None:
    """An intake still supplying polluted water when the drill ends counts until the end."""
    short = SCENARIO.model_copy(update={"duration": 600.0})  # ends mid-exceedance (475-749)
    never_closed = [a for a in TUTORIAL_ACTIONS if a.get("task") != "close_intake"]
    log = run_log(short, responses(never_closed))
    view = view_of(log)
    [(start, end, _)] = view.polluted["jia-intake"]
    assert end is None and start < view.end_min == 600.0
    supplied = delivered(view, short)["jia-intake"]
    truth = run_truth(short, log).truth.sites["jia-intake"].delivered_exceedance_min
    assert supplied == pytest.approx(600.0 - start, abs=0.1)
    assert truth is not None and supplied == pytest.approx(truth, abs=0.1)


def test_a_drill_ended_early_counts_the_polluted_supply_up_to_the_end() -> None:
    ended = never_closed_ended_at_600()
    assert ended[len(ended) - 1].data["reason"] == "ended_by_controller"
    view = view_of(ended)
    [(start, end, _)] = view.polluted["jia-intake"]
    assert end is None and view.end_min == 600.0
    assert delivered(view, SCENARIO)["jia-intake"] == pytest.approx(600.0 - start, abs=0.1)


def test_the_river_of_a_drill_ended_early_is_recomputed_up_to_its_end_only() -> None:
    """The truth, its charts and the what-if search stop where the drill was stopped: the
    polluted supply the truth gives is the one the drill is scored on (to 600 min), not the
    one the scenario's full day would have had (to 749 min)."""
    ended = never_closed_ended_at_600()
    run = run_truth(SCENARIO, ended)
    assert run.end_min == 600.0 and run.truth.sites["jia-intake"].t_min[-1] == 600.0
    supplied = delivered(view_of(ended), SCENARIO)["jia-intake"]
    assert run.truth.sites["jia-intake"].delivered_exceedance_min == pytest.approx(
        supplied, abs=0.5
    )
    curves = compute_curves(SCENARIO, ended)
    assert curves.end_min == 600.0
    assert curves.reached and all(site.t_min[-1] <= 600.0 for site in curves.reached)
    assert curves.grid is not None and curves.grid.t_min[-1] <= 600.0


def test_the_added_closure_of_a_drill_ended_early_agrees_with_the_truth_up_to_its_end() -> None:
    """Actual and counterfactual supply of the what-if are what the truth, recomputed from
    each run's log, gives up to the drill's real end."""
    ended = never_closed_ended_at_600()
    [added] = [r for r in what_ifs(SCENARIO, RUBRIC, ended) if r.change.kind == "added"]
    assert added.change.intake == "jia-intake"
    counter = rerun(SCENARIO, ended, added.commands)
    assert counter[len(counter) - 1].t_min == 600.0
    for log, outcome in ((ended, added.actual), (counter, added.counterfactual)):
        truth = run_truth(SCENARIO, log).truth.sites["jia-intake"]
        assert truth.delivered_exceedance_min == pytest.approx(
            outcome.delivered_min["jia-intake"], abs=0.5
        )
    assert added.actual.delivered_min["jia-intake"] > 0
    assert added.counterfactual.delivered_min["jia-intake"] == 0


def test_an_intake_never_closed_gets_one_added_closure_that_matches_an_independent_rerun() -> None:
    never_closed = [a for a in TUTORIAL_ACTIONS if a.get("task") != "close_intake"]
    log = run_log(SCENARIO, responses(never_closed))
    added = [
        r
        for r in what_ifs(SCENARIO, RUBRIC, log)
        if r.change.kind == "added" and r.change.action.get("task") == "close_intake"
    ]
    assert len(added) == 1
    result = added[0]
    assert result.change.intake == result.change.action["site"] == "jia-intake"
    assert result.actual.delivered_min["jia-intake"] > 0
    assert result.counterfactual.delivered_min["jia-intake"] == 0
    actions = [*never_closed, {**result.change.action, "at": result.change.target_min}]
    actions.sort(key=lambda a: _minutes(a["at"]))
    rerun = run_log(SCENARIO, responses(actions))
    assert delivered(view_of(rerun), SCENARIO) == result.counterfactual.delivered_min
    assert score_run(SCENARIO, RUBRIC, rerun).points_earned == pytest.approx(
        result.counterfactual.points
    )


def test_a_points_only_what_if_states_both_the_actual_and_the_counterfactual_points(
    results: list[WhatIfResult],
) -> None:
    result = next(r for r in results if r.change.criterion == "written-report")
    actual, counter = result.actual.points, result.counterfactual.points
    assert result.actual.delivered_min == result.counterfactual.delivered_min  # points only
    assert _points_text(actual) != _points_text(counter)
    for lang in ("zh", "en"):
        shown = view(result, RUBRIC, Names(SCENARIO, Messages(lang)))
        assert _points_text(actual) in shown.sentence, shown.sentence
        assert _points_text(counter) in shown.sentence, shown.sentence
        assert (shown.actual, shown.counterfactual) == (_points_text(actual), _points_text(counter))


def test_a_moved_action_is_played_once_at_its_new_time_and_not_at_its_old_one(
    results: list[WhatIfResult],
) -> None:
    result = next(r for r in results if r.change.criterion == "written-report")
    change = result.change
    assert change.actual_min is not None and change.actual_min != change.target_min
    moved = action_from_data(change.action).model_dump(exclude={"at", "cell"})
    copies = [
        c
        for c in result.commands
        if c.op == "submit"
        and c.action is not None
        and c.action.model_dump(exclude={"at", "cell"}) == moved
    ]
    assert [c.t_min for c in copies] == [change.target_min]
    assert not [c for c in result.commands if abs(c.t_min - change.actual_min) < 1e-6]
