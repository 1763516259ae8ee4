"""One seed per run, split into named streams; variants drawn from ``randomize``."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from scenarios.errors import InputError
from scenarios.load import load_scenario
from scenarios.paths import parse_path, set_in
from scenarios.schema import Scenario
from sim.rng import STREAMS, Streams, draw_variant

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "engine" / "straight.yaml"


@cache
def randomized() -> Scenario:
    data = load_scenario(FIXTURE).model_dump(mode="json", by_alias=True)
    data["randomize"] = {
        "spills[0].mass_kg": {"uniform": [50, 150]},
        "spills[0].km": {"uniform": [0, 2]},
        "reaches[0].discharge_m3s": {"choice": [80, 100, 120]},
        "sites[4].population": {"uniform": [40000, 60000]},
    }
    return Scenario.model_validate(data)


def test_a_stream_does_not_depend_on_which_other_streams_were_used() -> None:
    fresh = Streams(42).generator("teams").random(3)
    busy = Streams(42)
    busy.generator("variant").random(100)
    busy.generator("measurement_noise").standard_normal(7)
    assert list(busy.generator("teams").random(3)) == list(fresh)


def test_named_streams_differ_from_each_other_and_between_seeds() -> None:
    draws = {name: Streams(1).generator(name).random() for name in STREAMS}
    assert len(set(draws.values())) == len(STREAMS)
    assert Streams(1).generator("variant").random() != Streams(2).generator("variant").random()


def test_a_sub_stream_depends_only_on_its_key() -> None:
    a = Streams(9).sub("agency_delays", "fire").random(2)
    streams = Streams(9)
    streams.sub("agency_delays", "hydro").random(50)
    assert list(streams.sub("agency_delays", "fire").random(2)) == list(a)
    assert Streams(9).sub("agency_delays", "hydro").random() != a[0]


def test_an_unknown_stream_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="weather"):
        Streams(1).generator("weather")


def test_the_same_seed_draws_the_same_variant() -> None:
    assert draw_variant(randomized(), Streams(7))[1] == draw_variant(randomized(), Streams(7))[1]


def test_different_seeds_draw_different_variants_within_the_ranges() -> None:
    variants = [draw_variant(randomized(), Streams(seed)) for seed in range(20)]
    masses = {overrides["spills[0].mass_kg"] for _, overrides in variants}
    assert len(masses) == 20
    for scenario, overrides in variants:
        assert 50 <= scenario.spills[0].mass_kg <= 150  # type: ignore[operator]
        assert scenario.spills[0].mass_kg == overrides["spills[0].mass_kg"]
        assert scenario.reaches[0].discharge_m3s in (80, 100, 120)
        population = overrides["sites[4].population"]
        assert isinstance(population, int) and 40000 <= population <= 60000
    assert {o["reaches[0].discharge_m3s"] for _, o in variants} == {80, 100, 120}


def test_a_variant_is_what_re_validating_the_whole_document_gives() -> None:
    """Only the changed spill, reach and site are validated again; the rest is reused."""
    scenario = randomized()
    for seed in range(10):
        variant, overrides = draw_variant(scenario, Streams(seed))
        document = scenario.model_dump(mode="json", by_alias=True)
        for path, value in overrides.items():
            document = set_in(document, parse_path(path), value)
        assert variant == Scenario.model_validate(document)
        assert variant.reaches[1] is scenario.reaches[1]  # untouched: the validated instance
        assert variant.spills[0] is not scenario.spills[0]


def test_an_out_of_range_draw_is_refused_naming_its_path() -> None:
    """A range that reaches past the schema (the loader's range check bypassed) never makes
    a variant that breaks it: the drawn value is validated like any other."""
    data = randomized().model_dump(mode="json", by_alias=True)
    data["randomize"] = {"spills[0].mass_kg": {"uniform": [-20, -10]}}
    with pytest.raises(InputError) as caught:
        draw_variant(Scenario.model_validate(data), Streams(1))
    (problem,) = caught.value.problems
    assert "spills[0].mass_kg" in str(problem)


def test_a_scenario_without_randomize_is_its_own_variant() -> None:
    scenario = load_scenario(FIXTURE)
    assert draw_variant(scenario, Streams(3)) == (scenario, {})


ALLOWED = {"SeedSequence", "default_rng", "Generator"}


def _global_rng_uses(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            (isinstance(node, ast.Import) and any(a.name == "random" for a in node.names))
            or (isinstance(node, ast.ImportFrom) and node.module in ("random", "numpy.random"))
            or (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "random"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in ("np", "numpy")
                and node.attr not in ALLOWED
            )
        ):
            lines.append(node.lineno)
    return lines


def test_the_engine_uses_no_global_random_generator() -> None:
    offences = [
        f"{path.name}:{line}"
        for path in sorted((ROOT / "sim").glob("*.py"))
        for line in _global_rng_uses(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offences == []


def test_the_global_generator_check_sees_a_global_draw() -> None:
    """Guard the guard."""
    bad = "import numpy as np\nimport random\nx = np.random.normal()\n"
    assert _global_rng_uses(ast.parse(bad)) == [2, 3]
