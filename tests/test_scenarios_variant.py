"""Variants are made by re-validating changed data, never by mutating a scenario."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from scenarios import InputError, apply_overrides, format_path, load_scenario, parse_path
from scenarios.paths import get_in, set_in
from scenarios.schema import AtTrigger, Scenario

SMALL = Path(__file__).parent / "data" / "small-river.yaml"


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load_scenario(SMALL)


def test_no_changes_give_an_equal_scenario(scenario) -> None:  # type: ignore[no-untyped-def]
    assert apply_overrides(scenario, {}) == scenario


def test_a_change_is_applied_and_the_original_is_untouched(scenario) -> None:  # type: ignore[no-untyped-def]
    before = scenario.model_dump()
    variant = apply_overrides(
        scenario, {"spills[0].km": 7.5, "injects[0].trigger.at": "30min", ("seed",): 9}
    )
    assert variant.spills[0].km == 7.5
    assert isinstance(variant.injects[0].trigger, AtTrigger)
    assert variant.injects[0].trigger.at == 30  # durations are validated, hence minutes
    assert variant.seed == 9
    assert scenario.model_dump() == before
    assert variant.reaches is not scenario.reaches or variant.reaches == scenario.reaches


def test_an_invalid_value_is_refused_with_its_path(scenario) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        apply_overrides(scenario, {"reaches[1].discharge_m3s": -1})
    (problem,) = caught.value.problems
    assert problem.path == "reaches[1].discharge_m3s"
    assert problem.message == "must be > 0 (got -1)"
    assert problem.file == "variant of small-river"


def test_a_path_that_does_not_exist_is_refused(scenario) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=r"no such place in the scenario: spills\[4\]\.km"):
        apply_overrides(scenario, {"spills[4].km": 1})


def test_an_unknown_field_is_refused(scenario) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="unknown field 'kmm'"):
        apply_overrides(scenario, {"spills[0].kmm": 1})


def whole_document(scenario: Scenario, changes: dict[Any, Any]) -> Scenario:
    """The variant made the slow way: every change set in the dumped document, in turn."""
    data = scenario.model_dump(mode="json", by_alias=True)
    for key, value in changes.items():
        data = set_in(data, parse_path(key) if isinstance(key, str) else key, value)
    return Scenario.model_validate(data)


@pytest.mark.parametrize(
    "changes",
    [
        {"spills[0].km": 3.25, "reaches[1].discharge_m3s": 90, "sites[1].population": 7},
        {("spills", 0, "mass_kg"): 12.5, "duration": "30h"},  # a tuple path, a top-level field
        {"spills[0].km": 2, "spills[0].mass_kg": 4000, "injects[0].trigger.at": "45min"},
        # A whole item and a field of it, applied in turn (the whole-document path does it).
        {
            "spills[0]": {"substance": "aniline", "reach": "up", "km": 3, "mass_kg": 9},
            "spills[0].km": 4,
        },
    ],
)
def test_a_variant_is_what_re_validating_the_whole_document_gives(  # type: ignore[no-untyped-def]
    scenario, changes: dict[Any, Any]
) -> None:
    """Only the changed spill, reach, site… is validated again, and the result is the same."""
    assert apply_overrides(scenario, changes) == whole_document(scenario, changes)


def test_untouched_parts_of_a_variant_are_the_validated_instances(scenario) -> None:  # type: ignore[no-untyped-def]
    variant = apply_overrides(scenario, {"spills[0].km": 3.25, "sites[1].population": 7})
    assert variant.spills[0] is not scenario.spills[0] and variant.spills[0].km == 3.25
    assert variant.sites[1] is not scenario.sites[1]
    assert variant.sites[0] is scenario.sites[0]
    for name in ("reaches", "injects"):
        pairs = zip(getattr(variant, name), getattr(scenario, name), strict=True)
        assert all(new is old for new, old in pairs), name


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("spills[0].mass_kg", -5.0),  # gt=0
        ("spills[0].km", "far"),  # not a number
        ("reaches[0].discharge_m3s", 0),  # gt=0
        ("duration", 0),  # a top-level field: gt=0
        ("sites[1].population", -1),  # ge=0, inside a discriminated union
    ],
)
def test_an_out_of_range_value_is_refused_naming_its_path(  # type: ignore[no-untyped-def]
    scenario, path: str, value: object
) -> None:
    with pytest.raises(InputError, match=re.escape(f"{path}: must be")):
        apply_overrides(scenario, {path: value})


def test_drawing_a_variant_is_fast(scenario) -> None:  # type: ignore[no-untyped-def]
    apply_overrides(scenario, {"spills[0].km": 2})
    began = time.perf_counter()
    for i in range(200):
        apply_overrides(scenario, {"spills[0].km": 1 + i / 100})
    per_call = (time.perf_counter() - began) / 200
    assert per_call < 0.005  # one validation, no deep copies; ~0.1 ms on a laptop


def test_paths_read_and_write_like_trainers_do() -> None:
    assert parse_path("injects[3].trigger.at") == ("injects", 3, "trigger", "at")
    assert parse_path("a[0][1]") == ("a", 0, 1)
    assert format_path(("randomize", "spills[0].km")) == 'randomize["spills[0].km"]'
    assert format_path(("reaches", 2, "length_km")) == "reaches[2].length_km"
    for bad in ("", "a..b", "0a", "a[x]", "a[0"):
        with pytest.raises(ValueError):
            parse_path(bad)


def test_set_in_copies_only_the_path() -> None:
    data = {"a": [{"b": 1}, {"b": 2}], "c": {"d": 3}}
    changed = set_in(data, ("a", 1, "b"), 5)
    assert data["a"][1]["b"] == 2 and changed["a"][1]["b"] == 5
    assert changed["c"] is data["c"] and changed["a"][0] is data["a"][0]
    assert get_in(changed, ("a", 1, "b")) == 5
    assert get_in(changed, ("x",), None) is None
    with pytest.raises(KeyError):
        set_in(data, ("a", 9, "b"), 1)
