"""The bundled drill library: every scenario loads, says it is fictional, speaks Chinese and
English, exercises every kind of trigger, and is a fair test (doing nothing fails an intake,
hours after the first call)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from scenarios.crossref import check_scenario
from scenarios.load import load_scenario
from scenarios.schema import (
    AfterActionTrigger,
    AtTrigger,
    ExceedsTrigger,
    GateSite,
    ManualTrigger,
    NoActionTrigger,
    PlumeReachesTrigger,
    Scenario,
    SiteKind,
    Uniform,
)
from scenarios.types import Text
from scenarios.variant import apply_overrides
from scenarios.yamlsource import read_source, to_plain

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios" / "library"
RUBRICS = ROOT / "scoring" / "rubrics"
FILES = sorted(LIBRARY.glob("*.yaml"))
BUNDLED = {"tutorial", "wujiang-aniline", "changshou-benzene", "thallium-tributary"}
MODELINE = "# yaml-language-server: $schema=../scenario.schema.json"
CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def scenario(name: str) -> Scenario:
    """A bundled scenario by file stem, read once."""
    return load_scenario(LIBRARY / f"{name}.yaml")


def texts(value: Any, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every bilingual text in a model tree, with the path where it sits."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from texts(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{path}[{key!r}]")


def first_reveal_min(s: Scenario) -> float:
    """The earliest time a cell can learn of the incident (an ``at`` inject, before jitter)."""
    times = [
        i.trigger.at - i.trigger.jitter
        for i in s.injects
        if i.reveals == "incident" and isinstance(i.trigger, AtTrigger)
    ]
    return min(times)


def variants(s: Scenario) -> Iterator[tuple[str, Scenario]]:
    """The scenario as written and at both ends of every ``uniform`` range."""
    yield "as written", s
    for key, spread in s.randomize.items():
        if isinstance(spread, Uniform):
            for end in spread.uniform:
                yield f"{key}={end:g}", apply_overrides(s, {key: end})


STEMS = [f.stem for f in FILES]


def test_the_library_bundles_the_four_drills() -> None:
    assert set(STEMS) >= BUNDLED


def test_scenario_ids_are_unique_across_the_library() -> None:
    ids = [scenario(stem).id for stem in STEMS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("stem", STEMS)
def test_every_bundled_scenario_validates_with_no_cross_reference_finding(stem: str) -> None:
    s = scenario(stem)  # raises InputError listing every problem
    assert check_scenario(s) == []


@pytest.mark.parametrize("stem", STEMS)
def test_a_bundled_file_opens_with_the_schema_modeline(stem: str) -> None:
    first = (LIBRARY / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE


@pytest.mark.parametrize("stem", STEMS)
def test_a_bundled_file_is_plain_data_without_yaml_tricks(stem: str) -> None:
    """No anchors or aliases (the loader refuses them) and no tabs; the file reads back."""
    text = (LIBRARY / f"{stem}.yaml").read_text(encoding="utf-8")
    assert "\t" not in text
    data = to_plain(read_source(LIBRARY / f"{stem}.yaml").root)
    assert Scenario.model_validate(data) == scenario(stem)


@pytest.mark.parametrize("stem", STEMS)
def test_a_scenario_says_it_is_fictional_in_both_languages(stem: str) -> None:
    description = scenario(stem).description
    assert description is not None
    assert "本情景为虚构演练情景" in description.zh
    assert "地理与数据经过改编" in description.zh
    assert description.en is not None
    assert "fictional drill scenario" in description.en
    assert "adapted" in description.en


@pytest.mark.parametrize("stem", STEMS)
def test_every_text_has_chinese_and_english(stem: str) -> None:
    found = list(texts(scenario(stem)))
    assert len(found) > 50  # titles, names, every inject's sender and text…
    missing = [path for path, t in found if not t.en or not t.en.strip()]
    assert missing == [], f"no English at: {missing}"
    not_chinese = [path for path, t in found if not CJK.search(t.zh)]
    assert not_chinese == [], f"zh is not Chinese at: {not_chinese}"
    chinese_in_en = [path for path, t in found if t.en and CJK.search(t.en)]
    assert chinese_in_en == [], f"Chinese left in the English at: {chinese_in_en}"


@pytest.mark.parametrize("stem", STEMS)
def test_a_scenario_has_at_least_twelve_injects(stem: str) -> None:
    assert len(scenario(stem).injects) >= 12


@pytest.mark.parametrize("stem", STEMS)
def test_a_scenario_uses_every_kind_of_trigger(stem: str) -> None:
    """At least one contingency, manual, plume, exceedance and after-action inject, and a
    first call at a set time that reveals the incident."""
    injects = scenario(stem).injects
    kinds = {type(i.trigger) for i in injects}
    assert {
        NoActionTrigger,
        ManualTrigger,
        PlumeReachesTrigger,
        ExceedsTrigger,
        AfterActionTrigger,
    } <= kinds
    assert any(i.reveals == "incident" and isinstance(i.trigger, AtTrigger) for i in injects)


@pytest.mark.parametrize("stem", STEMS)
def test_every_cell_receives_injects_and_learns_of_the_incident(stem: str) -> None:
    s = scenario(stem)
    for cell in s.cells:
        mine = [i for i in s.injects if i.to == cell.id]
        assert mine, f"cell {cell.id} gets no inject"
        assert any(i.reveals == "incident" for i in mine), f"cell {cell.id} is never told"


@pytest.mark.parametrize("stem", STEMS)
def test_a_scenario_is_scored_by_the_chongqing_rubric_and_expects_its_criteria(
    stem: str,
) -> None:
    s = scenario(stem)
    assert s.rubric == "chongqing-2024"
    rubric_file = RUBRICS / f"{s.rubric}.yaml"
    if not rubric_file.exists():
        pytest.skip("the rubric file is not in this tree")
    rubric = to_plain(read_source(rubric_file).root)
    criteria = {c["id"] for c in rubric["criteria"]}
    expected = {e for i in s.injects for e in i.expects}
    assert expected, "no inject names a criterion it tests"
    assert expected <= criteria, f"unknown criteria: {sorted(expected - criteria)}"


@pytest.mark.parametrize("stem", STEMS)
def test_every_contingency_fires_before_the_drill_ends(stem: str) -> None:
    s = scenario(stem)
    for inject in s.injects:
        if isinstance(inject.trigger, NoActionTrigger):
            assert first_reveal_min(s) < inject.trigger.by < s.duration


@pytest.mark.parametrize("stem", STEMS)
def test_doing_nothing_fails_an_intake_hours_after_the_first_call(stem: str) -> None:
    """The fair-test rule: in every draw the do-nothing baseline puts an intake several times
    over the standard, and no intake exceeds before a prompt team could have closed it."""
    preview = pytest.importorskip("sim.preview")
    for label, variant in variants(scenario(stem)):
        rows = preview.preview_rows(variant, dt_min=2.0)
        intakes = [r for r in rows if r["kind"] == SiteKind.intake.value]
        assert intakes, label
        worst = max(r["peak_mg_l"] or 0.0 for r in intakes) / intakes[0]["standard_mg_l"]
        assert worst >= 3.0, f"{label}: worst intake peak only {worst:.1f}x the standard"
        for row in intakes:
            if row["exceed_start_min"] is not None:
                lead_h = (row["exceed_start_min"] - first_reveal_min(variant)) / 60
                assert lead_h >= 3.0, f"{label}: {row['id']} exceeds {lead_h:.1f} h after the call"


# -- the tutorial: small, round and hand-computable --------------------------------------------


def test_the_tutorial_is_small() -> None:
    s = scenario("tutorial")
    kinds = [site.kind for site in s.sites]
    for kind in (
        SiteKind.intake,
        SiteKind.boundary,
        SiteKind.monitoring,
        SiteKind.dam,
        SiteKind.interception,
    ):
        assert kinds.count(kind) == 1, kind
    assert len(s.reaches) <= 2
    assert len(s.cells) == 1
    assert len(s.spills) == 1
    assert s.duration == 24 * 60


def test_the_tutorial_has_no_randomness_and_round_trigger_times() -> None:
    s = scenario("tutorial")
    assert s.randomize == {}
    for inject in s.injects:
        trigger = inject.trigger
        if isinstance(trigger, AtTrigger):
            assert trigger.jitter == 0, inject.id
            minutes = trigger.at
        elif isinstance(trigger, NoActionTrigger):
            minutes = trigger.by
        elif isinstance(trigger, AfterActionTrigger):
            minutes = trigger.delay
        else:
            continue
        assert minutes % 30 == 0, f"{inject.id}: {minutes:g} min is not a round time"


def test_the_tutorial_river_moves_18_km_every_10_hours() -> None:
    s = scenario("tutorial")
    assert all(r.velocity_mps == 0.5 for r in s.reaches)
    spill = s.spills[0]
    assert (spill.km, spill.start, spill.duration) == (0, 0, 0)
    preview = pytest.importorskip("sim.preview")
    peaks = {r["id"]: r["peak_min"] for r in preview.preview_rows(s, dt_min=1.0)}
    for site in s.sites:
        hand_min = site.km / 1.8 * 60  # 0.5 m/s = 1.8 km/h
        # Dispersion brings a slug's peak forward by about K/u² = 50/0.25 s ≈ 3.3 min.
        assert peaks[site.id] == pytest.approx(hand_min, abs=5), site.id


def test_the_tutorial_dam_is_reached_before_it_can_no_longer_help() -> None:
    """The one dam lies above the intake, so holding it buys the intake time."""
    s = scenario("tutorial")
    dam = next(site for site in s.sites if isinstance(site, GateSite))
    intake = next(site for site in s.sites if site.kind == SiteKind.intake)
    assert dam.reach == intake.reach and dam.km < intake.km


# -- the joint exercise --------------------------------------------------------------------------


def test_the_joint_exercise_has_a_city_a_district_and_a_water_plant_cell() -> None:
    s = scenario("changshou-benzene")
    agencies = {a.id: a for a in s.agencies}
    kinds = {agencies[cell.plays[0]].kind.value for cell in s.cells}
    assert len(s.cells) == 3
    assert kinds == {"eco_env_bureau", "water_supply"}
    levels = {j.id: j.level.value for j in s.jurisdictions}
    cell_levels = {levels[agencies[cell.plays[0]].jurisdiction] for cell in s.cells}
    assert cell_levels == {"province", "district"}  # Chongqing is a 直辖市


def test_the_joint_exercise_expects_messages_between_cells() -> None:
    """The district is prompted when it has not messaged the water cell."""
    s = scenario("changshou-benzene")
    assert any(
        isinstance(i.trigger, NoActionTrigger)
        and i.trigger.no_action.kind.value == "message"
        and i.trigger.no_action.target == "water"
        for i in s.injects
    )
