"""Incident levels from the 2014 national table (scenarios.levels), checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.actions import Level
from scenarios.errors import InputError
from scenarios.levels import (
    BoundaryCrossing,
    Crossing,
    InterruptedIntake,
    LevelFacts,
    LevelTable,
    TruthSummary,
    boundary_crossing,
    city_unit,
    facts_from_truth,
    grade,
    grade_run,
    is_municipality,
    load_table,
)
from scenarios.load import load_scenario
from scenarios.schema import CityClass, Jurisdiction

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios" / "library"


def _tree(*rows: tuple[str, str, str | None]) -> dict[str, Jurisdiction]:
    return {
        jid: Jurisdiction.model_validate({"id": jid, "name": jid, "level": level, "parent": parent})
        for jid, level, parent in rows
    }


CHONGQING = _tree(
    ("china", "nation", None),
    ("chongqing", "province", "china"),
    ("guizhou", "province", "china"),
    ("sichuan", "province", "china"),
    ("wulong", "district", "chongqing"),
    ("fuling", "district", "chongqing"),
    ("pengshui", "county", "chongqing"),
    ("guiyang", "city", "guizhou"),
    ("guang-an", "city", "sichuan"),
    ("linshui", "county", "guang-an"),
    ("nanchong", "city", "sichuan"),
    ("xichong", "county", "nanchong"),
    ("direct-county", "county", "sichuan"),
    ("laos", "nation", None),
)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"deaths": 2}, Level.IV),
        ({"deaths": 3}, Level.III),
        ({"deaths": 9}, Level.III),
        ({"deaths": 10}, Level.II),
        ({"deaths": 30}, Level.I),
        ({"injured": 49}, Level.III),
        ({"injured": 50}, Level.II),
        ({"injured": 100}, Level.I),
        ({"evacuated": 4999}, Level.IV),
        ({"evacuated": 5000}, Level.III),
        ({"evacuated": 10000}, Level.II),
        ({"evacuated": 50000}, Level.I),
        ({"direct_loss_cny": 4_999_999}, Level.IV),
        ({"direct_loss_cny": 5_000_000}, Level.III),
        ({"direct_loss_cny": 20_000_000}, Level.II),
        ({"direct_loss_cny": 100_000_000}, Level.I),
    ],
)
def test_counts_reach_the_level_of_the_2014_table(facts: dict[str, float], expected: Level) -> None:
    assert grade(LevelFacts.model_validate(facts)).level is expected


@pytest.mark.parametrize(
    ("serves", "expected"),
    [
        (CityClass.city_with_districts, Level.I),
        (CityClass.county_level_city, Level.II),
        (CityClass.township, Level.III),
    ],
)
def test_an_interrupted_intake_is_graded_by_the_place_it_serves(
    serves: CityClass, expected: Level
) -> None:
    facts = LevelFacts(intakes=(InterruptedIntake(site="x", serves=serves),))
    assert grade(facts).level is expected


def test_the_highest_criterion_sets_the_level_and_every_reason_is_kept() -> None:
    facts = LevelFacts(
        deaths=4,
        intakes=(InterruptedIntake(site="wulong-intake", serves=CityClass.county_level_city),),
        crossings=(Crossing(site="wl-fl", kind=BoundaryCrossing.cross_city),),
    )
    result = grade(facts)
    assert result.level is Level.II
    assert [(r.criterion, r.level) for r in result.reasons] == [
        ("intake_interrupted", Level.II),
        ("deaths", Level.III),
        ("crossing", Level.III),
    ]
    assert "wulong-intake" in result.reasons[0].zh
    assert result.to_data()["level"] == "II"
    assert set(result.to_data()["reasons"][0]) == {"criterion", "level", "zh", "en"}


def test_harm_without_any_criterion_is_a_general_incident_and_no_harm_is_none() -> None:
    assert grade(LevelFacts()).level is Level.IV
    assert grade(LevelFacts()).reasons[0].criterion == "floor"
    assert grade(LevelFacts(harm=False)).level is None


def test_the_table_is_data_a_stricter_table_changes_the_level() -> None:
    stricter = LevelTable.model_validate(
        {
            "id": "strict",
            "name": "strict",
            "floor": "IV",
            "counts": {"deaths": {"I": 3}},
            "intake_interrupted": {"township": "I"},
        }
    )
    assert grade(LevelFacts(deaths=3), stricter).level is Level.I
    township = InterruptedIntake(serves=CityClass.township)
    assert grade(LevelFacts(intakes=(township,)), stricter).level is Level.I
    assert grade(LevelFacts(intakes=(township,))).level is Level.III


def test_an_unknown_level_table_is_an_input_error_listing_the_bundled_ones() -> None:
    with pytest.raises(InputError, match="national-2014"):
        load_table("provincial-1999")


# -- boundaries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upstream", "downstream", "expected"),
    [
        # Chongqing is a province-level municipality: its districts and counties are not
        # cities, so crossing between two of them is not cross-city.
        ("wulong", "fuling", None),
        ("pengshui", "wulong", None),
        ("guiyang", "pengshui", BoundaryCrossing.cross_province),
        ("linshui", "xichong", BoundaryCrossing.cross_city),
        ("linshui", "guang-an", None),
        ("direct-county", "xichong", BoundaryCrossing.cross_city),
        ("chongqing", "laos", BoundaryCrossing.cross_border),
        ("wulong", "wulong", None),
        ("wulong", "nowhere", None),
    ],
)
def test_boundaries_are_classified_by_walking_up_to_province_and_city(
    upstream: str, downstream: str, expected: BoundaryCrossing | None
) -> None:
    assert boundary_crossing(upstream, downstream, CHONGQING) is expected


def test_chongqing_is_its_districts_city_and_acts_as_a_municipality() -> None:
    assert city_unit("wulong", CHONGQING) == "chongqing"
    assert city_unit("linshui", CHONGQING) == "guang-an"
    assert is_municipality("chongqing", CHONGQING)
    assert is_municipality("sichuan", CHONGQING)  # has a county directly under it
    assert not is_municipality("guizhou", CHONGQING)
    assert not is_municipality("guiyang", CHONGQING)


# -- from a run's truth ----------------------------------------------------------------------


def test_a_closed_intake_counts_as_interrupted_only_where_the_plume_reached() -> None:
    tutorial = load_scenario(LIBRARY / "tutorial.yaml")
    closed_before = TruthSummary(closed_intakes=frozenset({"jia-intake"}))
    assert facts_from_truth(tutorial, closed_before).intakes == ()
    assert grade_run(tutorial, closed_before).level is None  # nothing exceeded, nobody hurt
    reached = TruthSummary(
        closed_intakes=frozenset({"jia-intake"}), reached_sites=frozenset({"jia-intake"})
    )
    assert grade_run(tutorial, reached).level is Level.II


def test_an_exceedance_at_a_boundary_within_one_city_does_not_raise_the_level() -> None:
    tutorial = load_scenario(LIBRARY / "tutorial.yaml")
    truth = TruthSummary(exceeded_sites=frozenset({"jia-yi-boundary"}))
    facts = facts_from_truth(tutorial, truth)
    assert facts.crossings == ()
    assert grade(facts).level is Level.IV


# The baseline (nobody intervenes) of every bundled scenario, graded by hand from the table.
# Keyed by file name; which sites exceed comes from the plume model, the level from the table:
# - tutorial: jia-intake (county-level city) exceeds → II; the Jia–Yi boundary is inside
#   Demo City → no crossing. Level II.
# - wujiang-aniline: wulong-intake (county-level city) → II; jiangkou-intake (township) → III;
#   Guizhou → Pengshui boundary → cross-province → II; Pengshui → Wulong and Wulong → Fuling are
#   inside Chongqing → none. 1 injured → below III. Level II.
# - changshou-benzene: changshou-intake and fuling-intake (county-level cities) → II; the
#   Changshou → Fuling boundary is inside Chongqing → none. Level II.
# - thallium-tributary: qijiang-intake (county-level city) → II; township-intake → III; the
#   Wansheng → Qijiang boundary is inside Chongqing → none. Level II.
BASELINE: dict[str, tuple[Level, set[str], set[BoundaryCrossing]]] = {
    "tutorial": (Level.II, {"jia-intake"}, set()),
    "wujiang-aniline": (
        Level.II,
        {"wulong-intake", "jiangkou-intake"},
        {BoundaryCrossing.cross_province},
    ),
    "changshou-benzene": (Level.II, {"changshou-intake", "fuling-intake"}, set()),
    "thallium-tributary": (Level.II, {"qijiang-intake", "township-intake"}, set()),
}


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_baseline_level_of_every_bundled_scenario_is_the_one_computed_by_hand(
    path: Path,
) -> None:
    truth_module = pytest.importorskip("sim.truth")
    assert path.stem in BASELINE, f"grade {path.name} by hand and add it to BASELINE"
    scenario = load_scenario(path)
    level, intakes, crossings = BASELINE[path.stem]
    keeper = truth_module.TruthKeeper(scenario, scenario.duration)
    facts = facts_from_truth(scenario, keeper.summary(scenario.duration))
    assert {i.site for i in facts.intakes} == intakes
    assert {c.kind for c in facts.crossings} == crossings
    assert grade(facts).level is level
