"""The scorecard: stable JSON that validates against its schema, totals, ratings, overrides."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_scoring_logs import DATA, ON_TIME, replace_action, tutorial, tutorial_log

from scenarios.errors import InputError
from scenarios.yamlsource import read_source, to_plain
from scoring.criteria import Status
from scoring.rubric import Ratings
from scoring.rulebook import RUBRICS_DIR, load_overrides, load_rubric
from scoring.schemas import CHECKED_IN
from scoring.score import score_run
from scoring.scorecard import Overrides, Rating, Scorecard, suggest_rating

CHONGQING = load_rubric("chongqing-2024")


# -- a small JSON Schema checker (the keywords pydantic emits), so no extra dependency -------


def schema_errors(
    value: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "$"
) -> list[str]:
    """Every place ``value`` breaks ``schema`` (draft 2020-12 subset: $ref, type, enum, const,
    properties/required/additionalProperties, items, anyOf/oneOf/allOf, bounds, pattern)."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return schema_errors(value, target, root, at)
    errors: list[str] = []
    for key in ("anyOf", "oneOf"):
        if key in schema:
            passing = [s for s in schema[key] if not schema_errors(value, s, root, at)]
            if not passing or (key == "oneOf" and len(passing) > 1):
                errors.append(f"{at}: matches {len(passing)} of {key}")
    for sub in schema.get("allOf", []):
        errors += schema_errors(value, sub, root, at)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        checks = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
        }
        if not any(checks[k](value) for k in kinds):
            return [*errors, f"{at}: {value!r:.40} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{at}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{at}: {value!r} is not {schema['const']!r}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{at}: missing {k}" for k in schema.get("required", []) if k not in value]
        for k, v in value.items():
            if k in props:
                errors += schema_errors(v, props[k], root, f"{at}.{k}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{at}: unexpected {k}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(v, schema["additionalProperties"], root, f"{at}.{k}")
    if isinstance(value, list):
        if "items" in schema:
            for i, item in enumerate(value):
                errors += schema_errors(item, schema["items"], root, f"{at}[{i}]")
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{at}: fewer than {schema['minItems']} items")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{at}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{at}: {value} > {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append(f"{at}: {value} <= {schema['exclusiveMinimum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{at}: {value!r} does not match {schema['pattern']}")
        if len(value) > schema.get("maxLength", len(value)):
            errors.append(f"{at}: longer than {schema['maxLength']}")
    return errors


def _schema(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(CHECKED_IN[name].read_text(encoding="utf-8"))
    return result


def test_the_scorecard_json_validates_against_its_schema() -> None:
    schema = _schema("scorecard")
    data = json.loads(score_run(tutorial(), CHONGQING, tutorial_log()).to_json())
    assert schema_errors(data, schema, schema) == []


def test_the_schema_checker_catches_a_broken_scorecard() -> None:
    schema = _schema("scorecard")
    data = json.loads(score_run(tutorial(), CHONGQING, tutorial_log()).to_json())
    data["cells"][0]["criteria"][0]["status"] = "brilliant"
    del data["score_100"]
    errors = schema_errors(data, schema, schema)
    assert any("brilliant" in e for e in errors) and any("missing score_100" in e for e in errors)


@pytest.mark.parametrize("path", sorted(RUBRICS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_shipped_rubrics_validate_against_the_rubric_schema(path: Path) -> None:
    schema = _schema("rubric")
    data = to_plain(read_source(path).root)
    assert schema_errors(data, schema, schema) == []


def test_to_json_is_stable_and_reads_back_to_the_same_scorecard() -> None:
    first = score_run(tutorial(), CHONGQING, tutorial_log()).to_json()
    second = score_run(tutorial(), CHONGQING, tutorial_log()).to_json()
    assert first == second
    assert first.endswith("}\n") and "获知事件" in first  # UTF-8 text, not \\u escapes
    again = Scorecard.model_validate_json(first)
    assert again.to_json() == first


@pytest.mark.parametrize(
    ("share", "rating"),
    [
        (1.0, Rating.P),
        (0.9, Rating.P),
        (0.89, Rating.S),
        (0.7, Rating.S),
        (0.69, Rating.M),
        (0.4, Rating.M),
        (0.39, Rating.U),
        (0.0, Rating.U),
    ],
)
def test_capability_ratings_follow_the_documented_thresholds(share: float, rating: Rating) -> None:
    assert suggest_rating(share, Ratings()) is rating


def test_a_capability_rolls_up_its_criteria_and_penalties() -> None:
    """Reporting: phone 10 + written 10 + elements 10 + follow-up 4 = 34 available. With the
    phone report missed: 24/34 = 0.706 → S."""
    card = score_run(
        tutorial(),
        CHONGQING,
        tutorial_log(replace_action(ON_TIME, "report", None, channel="phone")),
    )
    reporting = next(c for c in card.cells[0].capabilities if c.capability.value == "reporting")
    assert (reporting.points_earned, reporting.points_max) == (24.0, 34.0)
    assert reporting.suggested is Rating.S and reporting.rating is Rating.S


def test_an_evaluator_override_replaces_the_suggestion_and_keeps_the_reason() -> None:
    overrides = load_overrides(DATA / "overrides.yaml")
    card = score_run(tutorial(), CHONGQING, tutorial_log(), overrides=overrides)
    by_name = {c.capability.value: c for c in card.cells[0].capabilities}
    assert by_name["reporting"].suggested is Rating.P
    assert by_name["reporting"].rating is Rating.S
    assert by_name["reporting"].override_reason == "电话报告口径不统一"
    # The team-specific override for another team does not apply to team-a.
    assert by_name["monitoring"].rating is Rating.P


def test_overrides_may_be_json_and_bad_ones_fail_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    path.write_text(
        '{"overrides": [{"capability": "monitoring", "rating": "M", "reason": "x"}]}',
        encoding="utf-8",
    )
    assert load_overrides(path).overrides[0].rating is Rating.M
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "overrides:\n  - capability: monitoring\n    rating: Q\n    reason: x\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_overrides(bad)
    assert caught.value.problems[0].line == 3


def test_totals_leave_out_what_is_not_applicable_or_pending() -> None:
    card = score_run(tutorial(), CHONGQING, tutorial_log())
    scored = [x for _, x in card.lines() if x.status not in (Status.not_applicable, Status.pending)]
    assert card.points_max == sum(x.points_max for x in scored) == 93.0
    assert card.cells[0].score_100 == card.score_100 == 100.0
    assert card.missing_judge_scores == (
        "plan-quality/district: (no scores)",
        "coordination/district: (no scores)",
    )


def test_overrides_model_is_frozen_and_strict() -> None:
    with pytest.raises(ValueError, match="extra"):
        Overrides.model_validate({"overrides": [], "colour": "red"})
