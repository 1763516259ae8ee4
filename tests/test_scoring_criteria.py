"""Scoring behaviour on hand-built tutorial logs, with expected scores computed by hand.

The clock of most criteria starts when the cell learns of the incident: the tutorial's
``first-call`` inject at T+30. Under chongqing-2024 the on-time team scores 93 of 93 points
taken from the log (the final report and source cut-off are not applicable, the two judges'
items pending).
"""

from __future__ import annotations

from typing import Any

import pytest
from test_scoring_logs import (
    FULL_CONTENT,
    ON_TIME,
    ROOT,
    TRUTH,
    replace_action,
    tutorial,
    tutorial_log,
)

from scenarios.actions import Level
from scenarios.levels import LevelFacts
from scenarios.load import load_scenario
from scenarios.schema import JurisdictionLevel
from scoring.criteria import Status
from scoring.grading import TrueLevel, report_limit_min
from scoring.rubric import LevelLimits, Rubric
from scoring.rulebook import load_rubric
from scoring.score import score_run
from scoring.scorecard import Scorecard, ScoreLine
from scoring.topology import world_of
from sim.log import Kind

CHONGQING = load_rubric("chongqing-2024")


def score(actions: Any = ON_TIME, rubric: Rubric = CHONGQING, **log: Any) -> Scorecard:
    return score_run(tutorial(), rubric, tutorial_log(actions, **log))


def line(card: Scorecard, cid: str) -> ScoreLine:
    return next(item for _, item in card.lines() if item.id == cid)


def test_a_team_that_does_everything_on_time_gets_every_point() -> None:
    card = score()
    assert (card.points_earned, card.points_max, card.score_100) == (93.0, 93.0, 100.0)
    assert card.missed_limits == 0
    assert line(card, "phone-report").status is Status.met
    assert line(card, "final-report").status is Status.not_applicable  # the drill ends first
    assert line(card, "source-cut-off").status is Status.not_applicable  # nobody can stop it
    assert line(card, "plan-quality").status is Status.pending
    assert not card.complete
    assert card.truth.level is Level.II


def test_a_late_report_earns_points_on_the_linear_curve() -> None:
    """Phone at T+75: 45 min after learning, limit 30, zero at 60 → (60−45)/(60−30) = 0.5.
    Written at T+126: 96 min, limit 60, zero at 120 → (120−96)/(120−60) = 0.4."""
    actions = replace_action(ON_TIME, "report", (75.0, {**ON_TIME[0][1]}), channel="phone")
    written = {**ON_TIME[4][1]}
    actions = replace_action(actions, "report", (126.0, written), channel="written")
    card = score(sorted(actions, key=lambda a: a[0]))
    phone, late = line(card, "phone-report"), line(card, "written-report")
    assert (phone.status, phone.points_earned, phone.elapsed_min) == (Status.late, 5.0, 45.0)
    assert (late.status, late.points_earned, late.elapsed_min) == (Status.late, 4.0, 96.0)
    assert late.explanation.zh == (
        "1 小时书面报于 T+126 分钟报送（获知事件后 96 分钟），时限 60 分钟，得 4/10"
    )
    assert late.explanation.en == (
        "Written report within 1 h at T+126 min (96 min after learning of the incident), "
        "limit 60 min: 4/10"
    )
    assert card.points_earned == 93.0 - 5.0 - 6.0
    assert card.missed_limits == 2


def test_a_report_never_made_is_missed_and_earns_nothing() -> None:
    card = score(replace_action(ON_TIME, "report", None, channel="phone"))
    phone = line(card, "phone-report")
    assert (phone.status, phone.points_earned, phone.at_min) == (Status.missed, 0.0, None)
    assert "未完成" in phone.explanation.zh
    assert card.points_earned == 83.0
    assert card.score_100 == round(100 * 83 / 93, 2)


def test_pause_records_do_not_enter_the_arithmetic() -> None:
    """Scoring reads elapsed time straight from ``t_min`` (drill time, which a pause stops):
    pause records in the log change no line. That drill time does stop is tested with the
    live session in test_scoring_engine.py."""
    plain = score()
    paused = score(pauses=[(40.0, 40.0), (100.0, 100.0)])
    assert [(c, x.elapsed_min, x.points_earned) for c, x in paused.lines()] == [
        (c, x.elapsed_min, x.points_earned) for c, x in plain.lines()
    ]


def test_a_written_report_missing_elements_is_credited_by_the_share_present() -> None:
    content = {k: v for k, v in FULL_CONTENT.items() if k not in ("signer", "pollutant")}
    written = {**ON_TIME[4][1], "content": content}
    card = score(replace_action(ON_TIME, "report", (80.0, written), channel="written"))
    elements = line(card, "initial-report-elements")
    assert elements.status is Status.partial
    assert elements.points_earned == round(10 * 16 / 18, 2)
    assert "缺少污染物、签发人" in elements.explanation.zh
    assert line(card, "written-report").status is Status.met  # sent on time all the same


def test_a_report_filter_requiring_an_element_misses_a_report_without_it() -> None:
    rubric = Rubric.model_validate(
        {
            "id": "strict",
            "name": "要素",
            "criteria": [
                {
                    "id": "written-with-pollutant",
                    "end": {
                        "action": {
                            "kind": "report",
                            "channel": "written",
                            "content_has": ["pollutant", "quantity_t"],
                        }
                    },
                    "limit": "1h",
                }
            ],
        }
    )
    content = {k: v for k, v in FULL_CONTENT.items() if k != "pollutant"}
    actions = replace_action(
        ON_TIME, "report", (80.0, {**ON_TIME[4][1], "content": content}), channel="written"
    )
    assert line(score(actions, rubric), "written-with-pollutant").status is Status.missed
    assert line(score(ON_TIME, rubric), "written-with-pollutant").status is Status.met


@pytest.mark.parametrize(
    ("declared", "status", "points"),
    [("II", Status.met, 8.0), ("III", Status.partial, 4.0), ("IV", Status.missed, 0.0)],
)
def test_a_wrong_level_earns_the_off_by_one_share_or_nothing(
    declared: str, status: Status, points: float
) -> None:
    actions = replace_action(
        ON_TIME, "declare_level", (130.0, {"kind": "declare_level", "level": declared})
    )
    level = line(score(actions), "level-correct")
    assert (level.status, level.points_earned) == (status, points)


def test_the_last_declaration_counts_and_a_report_level_is_a_declaration() -> None:
    first = {**ON_TIME[0][1], "level": "III"}
    actions = replace_action(ON_TIME, "report", (50.0, first), channel="phone")
    assert line(score(actions), "level-correct").points_earned == 8.0  # II declared later
    no_declare = replace_action(actions, "declare_level", None)
    assert line(score(no_declare), "level-correct").points_earned == 4.0


def test_penalties_are_taken_off_per_occurrence_up_to_their_cap() -> None:
    refused = [
        (
            95.0,
            Kind.action_refused,
            {
                "action": {
                    "kind": "request",
                    "agency": "jia-water",
                    "task": "close_intake",
                    "site": "qingshui-dam",
                },
                "reason": {"zh": "点位不适合", "en": "site does not suit"},
            },
        )
        for _ in range(7)
    ]
    publish = {"kind": "publish", "channel": "website", "peak_mg_l": 0.2}
    actions = replace_action(ON_TIME, "publish", (200.0, publish))
    card = score(actions, cell_records=refused)
    penalties = {p.id: p for p in card.cells[0].penalties}
    assert penalties["refused-actions"].occurrences == 7
    assert penalties["refused-actions"].points_deducted == 5.0  # 7 × 1, capped at 5
    # 0.2 mg/L is 80 % off the intake's 1.0 and 71 % off the boundary's 0.7: over 50 %.
    assert penalties["wrong-figures"].points_deducted == 5.0
    assert card.points_earned == 93.0 - 10.0
    assert penalties["wrong-figures"].explanation.zh == "发布数据失实：1 次，扣 5 分"


def test_closing_a_gate_the_plume_cannot_reach_is_penalised() -> None:
    """Move the spill to km 10: the barrage (km 3.6) is then upstream of it."""
    data = tutorial().model_dump(mode="json", by_alias=True, exclude_none=True)
    data["spills"][0]["km"] = 10
    moved = type(tutorial()).model_validate(data)
    gate = {
        "kind": "request",
        "agency": "jia-sluice",
        "task": "operate_gate",
        "site": "qingshui-dam",
    }
    card = score_run(moved, CHONGQING, tutorial_log([*ON_TIME, (140.0, gate)]))
    wrong = next(p for p in card.cells[0].penalties if p.id == "wrong-closure")
    assert (wrong.occurrences, wrong.points_deducted) == (1, 3.0)
    assert score(sorted([*ON_TIME, (140.0, gate)], key=lambda a: a[0])).points_earned == 93.0


def test_an_intake_left_open_delivers_polluted_water_and_misses_the_outcome() -> None:
    actions = replace_action(ON_TIME, "request", None, task="close_intake")
    card = score(actions, closed_intake_at=None)
    intake = line(card, "intake-protected")
    assert (intake.status, intake.points_earned) == (Status.missed, 0.0)
    assert "甲区水厂取水口 276" in intake.explanation.zh  # 474 → 750 min


def test_monitoring_only_the_intake_covers_half_the_required_sites() -> None:
    actions = replace_action(ON_TIME, "request", None, site="jia-yi-boundary")
    cover = line(score(actions), "monitoring-intake")
    assert (cover.status, cover.points_earned) == (Status.partial, 4.0)
    assert "未覆盖甲乙区界断面" in cover.explanation.zh


def test_a_notice_after_the_deadline_before_the_boundary_is_late() -> None:
    """Plume at the boundary at T+840, margin 2 h: the window closes at T+720 (690 min
    after learning), and the 1 h limit is tighter still; at T+800 nothing is left."""
    actions = replace_action(
        ON_TIME, "notify", (800.0, {"kind": "notify", "target": "yi", "channel": "phone"})
    )
    notice = line(score(sorted(actions, key=lambda a: a[0])), "downstream-notice")
    assert (notice.status, notice.points_earned, notice.limit_min) == (Status.late, 0.0, 60.0)


def test_a_deadline_from_the_truth_alone_is_the_event_minus_the_margin() -> None:
    rubric = Rubric.model_validate(
        {
            "id": "notice",
            "name": "通报",
            "criteria": [
                {
                    "id": "notice",
                    "end": {"action": {"kind": "notify", "target_downstream_of": "spill"}},
                    "deadline": {"before_truth": {"plume_reaches": "boundary"}, "margin": "2h"},
                }
            ],
        }
    )
    late = replace_action(ON_TIME, "notify", (730.0, {"kind": "notify", "target": "yi"}))
    ok = replace_action(ON_TIME, "notify", (720.0, {"kind": "notify", "target": "yi"}))
    assert line(score(sorted(ok), rubric), "notice").limit_min == 690.0
    assert line(score(sorted(ok), rubric), "notice").status is Status.met
    assert line(score(sorted(late), rubric), "notice").status is Status.late
    # Notifying the cell's own city is not a downstream notice.
    city = replace_action(ON_TIME, "notify", (85.0, {"kind": "notify", "target": "demo-city"}))
    assert line(score(city, rubric), "notice").status is Status.missed


def test_credit_in_bands_takes_the_first_band_not_yet_passed() -> None:
    rubric = Rubric.model_validate(
        {
            "id": "bands",
            "name": "分档",
            "criteria": [
                {
                    "id": "phone",
                    "end": {"action": {"kind": "report", "channel": "phone"}},
                    "limit": "30min",
                    "credit": {
                        "bands": [
                            {"within": "45min", "share": 0.6},
                            {"within": "60min", "share": 0.3},
                        ]
                    },
                }
            ],
        }
    )
    for at, points in ((55.0, 10.0), (70.0, 6.0), (90.0, 3.0), (95.0, 0.0)):
        actions = replace_action(ON_TIME, "report", (at, {**ON_TIME[0][1]}), channel="phone")
        assert (
            line(score(sorted(actions, key=lambda a: a[0]), rubric), "phone").points_earned
            == points
        )


@pytest.mark.parametrize(
    ("start", "elapsed"),
    [
        ({"spill": True}, 50.0),
        ({"reveals": "incident"}, 20.0),
        ({"inject": "first-call"}, 20.0),
        ({"truth": {"plume_reaches": "qingshui-dam"}}, 0.0),  # done before it: no time taken
    ],
)
def test_a_timed_criterion_can_start_at_the_spill_an_inject_or_a_truth_event(
    start: dict[str, Any], elapsed: float
) -> None:
    rubric = Rubric.model_validate(
        {
            "id": "s",
            "name": "起算",
            "criteria": [
                {
                    "id": "phone",
                    "start": start,
                    "end": {"action": {"kind": "report", "channel": "phone"}},
                }
            ],
        }
    )
    assert line(score(rubric=rubric), "phone").elapsed_min == elapsed


def test_criteria_for_other_cells_or_roles_do_not_apply() -> None:
    rubric = Rubric.model_validate(
        {
            "id": "cells",
            "name": "单元",
            "criteria": [
                {"id": "for-city", "cell_roles": ["city"], "judge": {"max": 5}},
                {"id": "for-district", "cell_roles": ["district"], "judge": {"max": 5}},
                {"id": "for-eeb", "cell_roles": ["eco_env_bureau"], "judge": {"max": 5}},
                {"id": "when-I", "when_level": ["I"], "judge": {"max": 5}},
            ],
        }
    )
    card = score(rubric=rubric)
    assert line(card, "for-city").status is Status.not_applicable
    assert line(card, "for-district").status is Status.pending
    assert line(card, "for-eeb").status is Status.pending
    assert line(card, "when-I").status is Status.not_applicable


def test_the_chongqing_bureau_counts_as_the_city_and_its_districts_are_not_its_neighbours() -> None:
    """In the joint exercise the Chongqing bureau cell is a city; Fuling is downstream of the
    Changshou district cell but inside the city cell's own jurisdiction."""
    joint = load_scenario(ROOT / "scenarios" / "library" / "changshou-benzene.yaml")
    world = world_of(joint)
    assert world.has_level("chongqing", JurisdictionLevel.city)
    assert {"city", "province", "eco_env_bureau"} <= world.cell_roles("city")
    assert world.downstream_for("district") == frozenset({"fuling"})
    assert world.downstream_for("city") == frozenset()
    assert world.is_above("chongqing", "district") and world.is_above("china", "city")


def _truth(level: Level | None, heavy_metal: bool = False, intakes: int = 0) -> TrueLevel:
    from scenarios.levels import Grade, InterruptedIntake
    from scenarios.schema import CityClass

    facts = LevelFacts(
        intakes=tuple(InterruptedIntake(serves=CityClass.township) for _ in range(intakes))
    )
    return TrueLevel(Grade(level=level), facts, None, heavy_metal)


def test_the_national_report_limit_follows_the_level_and_the_art_4_escalation() -> None:
    limits = LevelLimits.model_validate(
        {
            "I": "2h",
            "II": "2h",
            "III": "4h",
            "IV": "4h",
            "escalate_to": "II",
            "escalate_when": ["drinking_water", "heavy_metal", "cross_province"],
        }
    )
    assert report_limit_min(limits, _truth(Level.III)) == 240
    assert report_limit_min(limits, _truth(Level.IV)) == 240
    assert report_limit_min(limits, _truth(Level.I)) == 120
    assert report_limit_min(limits, _truth(Level.III, heavy_metal=True)) == 120
    assert report_limit_min(limits, _truth(Level.IV, intakes=1)) == 120
    assert report_limit_min(limits, _truth(None)) is None


def test_the_national_rubric_gives_the_tutorial_two_hours_for_a_level_ii_incident() -> None:
    card = score(rubric=load_rubric("national-2011"))
    initial = line(card, "initial-report")
    assert (initial.status, initial.limit_min) == (Status.met, 120.0)
    assert line(card, "ministry-report").status is Status.not_applicable  # no nation level
    late = replace_action(ON_TIME, "report", (170.0, {**ON_TIME[0][1]}), channel="phone")
    late = replace_action(late, "report", (171.0, {**ON_TIME[4][1]}), channel="written")
    card = score(sorted(late, key=lambda a: a[0]), rubric=load_rubric("national-2011"))
    assert line(card, "initial-report").status is Status.late


def test_scoring_recomputes_the_level_and_keeps_what_the_engine_logged() -> None:
    logged = (1440.0, Kind.truth_level, {"level": "III", "reasons": []})
    card = score(extra=[logged])
    assert card.truth.level is Level.II
    assert card.truth.logged_level is Level.III


def test_evidence_points_at_the_inject_and_the_action_records() -> None:
    log = tutorial_log()
    card = score_run(tutorial(), CHONGQING, log)
    phone = line(card, "phone-report")
    kinds = [log[seq].kind for seq in phone.evidence]
    assert kinds == [Kind.inject_delivered, Kind.action_taken]
    assert [log[seq].t_min for seq in phone.evidence] == [30.0, 50.0]


def test_the_truth_of_the_hand_built_log_is_what_the_tutorial_describes() -> None:
    """Guard the fixture: the intake exceeds 474–750 and the boundary is reached at 840."""
    kinds = {(k, d.get("site")): t for t, k, d in TRUTH}
    assert kinds[(Kind.truth_exceedance_start, "jia-intake")] == 474.0
    assert kinds[(Kind.truth_arrival, "jia-yi-boundary")] == 840.0
