"""The starter template and the test fixture load, and every range yields valid variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import apply_overrides, load_scenario
from scenarios.schema import Choice, Uniform

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "scenarios" / "starter.yaml"
FIXTURE = ROOT / "tests" / "data" / "small-river.yaml"
ALL = [STARTER, FIXTURE, *sorted((ROOT / "scenarios" / "library").glob("*.yaml"))]


@pytest.mark.parametrize("path", [STARTER, FIXTURE], ids=lambda p: p.name)
def test_the_template_validates_as_shipped(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.injects and scenario.randomize


def test_the_starter_explains_itself_in_both_languages() -> None:
    text = STARTER.read_text(encoding="utf-8")
    for words in (
        "河段 reaches",
        "点位 sites",
        "推演组 cells",
        "trigger 触发方式",
        "riverdrill validate",
    ):
        assert words in text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_randomize_range_gives_valid_variants_in_between(path: Path) -> None:
    scenario = load_scenario(path)
    for key, spec in scenario.randomize.items():
        if isinstance(spec, Uniform):
            low, high = spec.uniform
            values = [low, (low + high) / 2, high]
        else:
            assert isinstance(spec, Choice)
            values = list(spec.choice)
        for value in values:
            apply_overrides(scenario, {key: value})
