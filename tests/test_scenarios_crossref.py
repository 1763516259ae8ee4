"""Cross-reference checks: the parts of a scenario fit together, every misfit reported."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scenarios import Scenario, check_scenario, format_path
from scenarios.yamlsource import read_source, to_plain

SMALL = Path(__file__).parent / "data" / "small-river.yaml"
BASE: dict[str, Any] = to_plain(read_source(SMALL).root)


def findings(change: Callable[[dict[str, Any]], object]) -> list[str]:
    data = copy.deepcopy(BASE)
    change(data)
    return [
        f"{format_path(f.path)}: {f.message}" for f in check_scenario(Scenario.model_validate(data))
    ]


def test_the_fixture_is_consistent() -> None:
    assert findings(lambda d: None) == []


def test_an_agency_and_a_jurisdiction_may_not_share_an_id() -> None:
    def change(d: dict[str, Any]) -> None:
        d["agencies"].append({"id": "east", "kind": "police", "jurisdiction": "east"})

    assert findings(change) == [
        "agencies[5].id: id 'east' names both an agency and a jurisdiction; notify and report "
        "targets would be ambiguous"
    ]


def test_duplicate_inject_and_cell_ids_are_reported_at_the_second_use() -> None:
    def change(d: dict[str, Any]) -> None:
        d["injects"].append(copy.deepcopy(d["injects"][0]))
        d["cells"].append(copy.deepcopy(d["cells"][1]))

    assert findings(change) == [
        "cells[2].id: duplicate id 'city-cell' (first used at cells[1])",
        "injects[6].id: duplicate id 'first-call' (first used at injects[0])",
    ]


def test_a_jurisdiction_cycle_is_reported() -> None:
    def change(d: dict[str, Any]) -> None:
        d["jurisdictions"][0]["parent"] = "east"

    found = findings(change)
    assert "jurisdictions[0].parent: jurisdiction 'city' is its own ancestor through parent" in (
        found
    )


def test_a_reach_flowing_into_itself_is_a_cycle() -> None:
    def change(d: dict[str, Any]) -> None:
        d["reaches"][2]["downstream"] = "down"

    assert findings(change) == ["reaches[2].downstream: reaches form a cycle: down → down"]


def test_a_three_reach_cycle_is_reported_once() -> None:
    def change(d: dict[str, Any]) -> None:
        d["reaches"][2]["downstream"] = "trib"
        d["reaches"][0]["downstream"] = "trib"
        d["reaches"][1]["downstream"] = "up"
        del d["reaches"][1]["joins_at_km"]

    found = [f for f in findings(change) if "cycle" in f]
    assert len(found) == 1 and "up → trib → up" in found[0]


def test_joins_at_km_without_downstream_is_reported() -> None:
    def change(d: dict[str, Any]) -> None:
        d["reaches"][2]["joins_at_km"] = 3

    assert findings(change) == [
        "reaches[2].joins_at_km: joins_at_km needs downstream (the reach it joins)"
    ]


def test_a_storage_site_needs_an_agency_able_to_divert() -> None:
    def change(d: dict[str, Any]) -> None:
        d["sites"].append(
            {"id": "pond", "kind": "storage", "reach": "down", "km": 1, "volume_m3": 1e5}
        )

    assert findings(change) == [
        "sites[4].needs: no agency can divert to use this storage: give one agency the "
        "capability divert"
    ]


def test_boundary_jurisdictions_must_exist() -> None:
    def change(d: dict[str, Any]) -> None:
        d["sites"][3]["upstream"] = "nowhere"

    assert findings(change) == [
        "sites[3].upstream: unknown jurisdiction 'nowhere' (known: city, east, south, west)"
    ]


def test_action_filters_name_existing_targets_sites_and_agencies() -> None:
    def change(d: dict[str, Any]) -> None:
        d["injects"][3]["trigger"]["no_action"].update(target="nobody-at-all", site="x", agency="y")

    assert findings(change) == [
        "injects[3].trigger.no_action.agency: unknown agency 'y' (known: city-eeb, east-eeb, "
        "fire, hydro, water)",
        "injects[3].trigger.no_action.site: unknown site 'x' (known: border, carbon, gate, intake)",
        "injects[3].trigger.no_action.target: unknown target 'nobody-at-all'",
    ]


def test_a_spill_at_an_unknown_site_is_reported() -> None:
    def change(d: dict[str, Any]) -> None:
        d["spills"][0] = {"substance": "aniline", "site": "bridge", "mass_kg": 100}

    found = findings(change)
    assert found[0].startswith("spills[0].site: unknown site 'bridge'")


def test_a_scenario_substance_extends_the_library() -> None:
    def change(d: dict[str, Any]) -> None:
        d["substances"] = [{"id": "dye", "name": "染料", "standard_mg_l": 1}]
        d["spills"][0]["substance"] = "dye"

    assert findings(change) == []


def test_ranges_are_checked_at_every_choice() -> None:
    def change(d: dict[str, Any]) -> None:
        d["randomize"]["spills[0].start"] = {"choice": ["0min", "1h", "3d"]}

    assert findings(change) == [
        "randomize[\"spills[0].start\"]: choice '3d' is out of bounds: spills[0].start: "
        "starts at 3d, when the drill is over (duration 1d)"
    ]


def test_a_range_that_only_repeats_a_known_problem_adds_nothing() -> None:
    def change(d: dict[str, Any]) -> None:
        d["cells"][0]["plays"] = ["ghost"]

    assert findings(change) == [
        "cells[0].plays[0]: unknown agency 'ghost' (known: city-eeb, east-eeb, fire, hydro, water)"
    ]


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("randomize.x", "randomize cannot vary itself"),
        ("spills.km", "spills is a list: index it like spills[0]"),
        ("seed.x", "seed is a single value; it has no 'x'"),
        ("spills[0]km", "is not a path"),
    ],
)
def test_randomize_paths_must_name_a_field(key: str, fragment: str) -> None:
    def change(d: dict[str, Any]) -> None:
        d["randomize"] = {key: {"uniform": [1, 2]}}

    (found,) = findings(change)
    assert fragment in found


def test_an_action_filter_cell_must_be_a_cell() -> None:
    def change(d: dict[str, Any]) -> None:
        d["injects"][3]["trigger"]["no_action"]["cell"] = "east-eeb"  # an agency, not a cell
        d["injects"][4]["trigger"]["after_action"]["cell"] = "city-cell"  # a cell: fine

    assert findings(change) == [
        "injects[3].trigger.no_action.cell: unknown cell 'east-eeb' (known: city-cell, district)"
    ]


def test_a_drill_under_an_hour_hints_that_a_bare_number_is_minutes() -> None:
    def change(d: dict[str, Any]) -> None:
        d["duration"] = 45  # meant 45h; the inject at 25min still fits, the one at 3h does not

    late, ranged = findings(change)
    hint = " (a bare number is minutes: did you mean duration: 45h?)"
    assert late == (
        "injects[3].trigger.by: by 3h is after the drill ends (duration 45min); the inject "
        "would never be sent" + hint
    )
    assert ranged.startswith('randomize["spills[0].start"]: upper end 60 is out of bounds')
    assert ranged.endswith("when the drill is over (duration 45min)" + hint)


def test_a_drill_of_an_hour_or_more_gets_no_such_hint() -> None:
    def change(d: dict[str, Any]) -> None:
        d["duration"] = "2h"

    assert findings(change)
    assert not any("bare number" in f for f in findings(change))
