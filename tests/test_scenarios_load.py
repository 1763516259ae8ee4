"""The loader: YAML in, a frozen model out, or every problem at file:line:col."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scenarios import InputError, Scenario, load_model, load_scenario, load_text
from scenarios.actions import ResponseLog
from scenarios.substances import LIBRARY_PATH, SubstanceLibrary
from scenarios.yamlsource import MAX_BYTES, parse_source

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small-river.yaml"
TEXT = SMALL.read_text(encoding="utf-8")


def problems(text: str, name: str = "x.yaml") -> list[str]:
    with pytest.raises(InputError) as caught:
        load_text(text, name, Scenario)
    return [str(p) for p in caught.value.problems]


def test_a_valid_scenario_loads_into_frozen_models() -> None:
    scenario = load_scenario(SMALL)
    assert scenario.id == "small-river"
    assert scenario.duration == 24 * 60
    assert scenario.start.utcoffset() is not None
    assert scenario.injects[0].trigger.at == 25  # type: ignore[union-attr]
    with pytest.raises(Exception, match="frozen"):
        scenario.seed = 1  # type: ignore[misc]


def test_an_error_names_file_line_column_path_and_value() -> None:
    text = TEXT.replace("length_km: 20,", "length_km: -3,")
    assert problems(text, "scenarios/library/x.yaml") == [
        "scenarios/library/x.yaml:8:36: reaches[0].length_km: must be > 0 (got -3)"
    ]


def test_a_block_style_value_is_located_at_the_value() -> None:
    text = TEXT.replace("    length_km: 30\n", "    length_km: 0\n")
    assert problems(text) == ["x.yaml:14:16: reaches[2].length_km: must be > 0 (got 0)"]


def test_a_missing_field_is_located_at_the_mapping_that_lacks_it() -> None:
    text = TEXT.replace("population: 50000, ", "")
    assert problems(text) == ["x.yaml:21:5: sites[1].population: required field missing"]


def test_an_unknown_field_is_located_at_its_key_and_a_spelling_is_suggested() -> None:
    text = TEXT.replace("    depth_m: 3\n", "    depht_m: 3\n")
    found = problems(text)
    assert "x.yaml:17:5: reaches[2].depht_m: unknown field 'depht_m' (did you mean 'depth_m'?)" in (
        found
    )


def test_union_tags_never_appear_in_paths() -> None:
    text = TEXT.replace("max_hold: 4h", "max_hold: -4h")
    assert problems(text) == ["x.yaml:20:76: sites[0].max_hold: must be > 0 (got '-4h')"]


def test_an_alias_field_is_shown_with_the_files_name() -> None:
    text = TEXT.replace("from: 自来水公司", "from: {zh: ''}")
    assert problems(text) == ["x.yaml:64:16: injects[2].from.zh: must not be empty"]


def test_an_unknown_enum_value_lists_the_allowed_values() -> None:
    text = TEXT.replace("channel: media", "channel: wechat")
    (found,) = problems(text)
    assert "injects[5].channel: must be one of phone, fax, sms, email, radio" in found
    assert "(got 'wechat')" in found


def test_an_unknown_site_kind_lists_the_kinds() -> None:
    text = TEXT.replace("kind: boundary", "kind: border")
    (found,) = problems(text)
    assert "sites[3].kind: kind must be one of intake, monitoring, boundary" in found


def test_a_site_without_kind_asks_for_one() -> None:
    text = TEXT.replace("{id: border, kind: boundary,", "{id: border,")
    (found,) = problems(text)
    assert "sites[3]: missing kind: give one of intake, monitoring" in found


def test_schema_errors_are_all_reported_together() -> None:
    text = TEXT.replace("length_km: 20,", "length_km: -3,").replace("seed: 7", "seed: -1")
    assert len(problems(text)) == 2


def test_cross_reference_errors_are_all_reported_together() -> None:
    text = TEXT.replace("downstream: down}", "downstream: dwn}").replace("to: city-cell", "to: x")
    found = problems(text)
    assert len(found) == 3  # one reach, two injects
    assert all(line.startswith("x.yaml:") for line in found)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert load_scenario(path).id == "small-river"


def test_a_file_over_five_megabytes_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InputError, match="over 5 MB are refused"):
        load_scenario(path)


def test_a_missing_file_is_one_problem_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(tmp_path / "nope.yaml")
    (problem,) = caught.value.problems
    assert problem.file.endswith("nope.yaml") and "cannot read" in problem.message


def test_deep_nesting_is_refused_not_a_crash() -> None:
    text = "id: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert problems(text) == ["x.yaml:1:68: YAML: nested more than 64 levels deep"]


def test_anchors_are_refused_even_when_harmless() -> None:
    text = TEXT.replace("seed: 7", "seed: &s 7")
    (found,) = problems(text)
    assert found.startswith("x.yaml:6:7: YAML: anchors and aliases (&s) are not allowed")


def test_non_text_keys_are_named_as_unknown_fields() -> None:
    (found,) = problems(TEXT + "1: one\n")
    assert "unknown field '1'" in found


def test_a_scalar_document_is_refused() -> None:
    assert problems("just words\n") == [
        "x.yaml:1:1: the top level must be a mapping of fields, not a single value ('just words')"
    ]


def test_load_model_reads_other_file_formats() -> None:
    library = load_model(LIBRARY_PATH, SubstanceLibrary)
    assert any(s.id == "aniline" for s in library.substances)
    log = load_text(
        "team: a\ncell: district\nactions:\n  - {at: 38min, kind: report, to: city-eeb}\n",
        "log.yaml",
        ResponseLog,
    )
    assert log.actions[0].at == 38


def test_load_model_locates_errors_in_other_file_formats() -> None:
    with pytest.raises(InputError) as caught:
        load_text(
            "team: a\ncell: d\nactions:\n  - {at: 5min, kind: report}\n  - {kind: shout}\n",
            "log.yaml",
            ResponseLog,
        )
    assert [str(p) for p in caught.value.problems] == [
        "log.yaml:4:5: actions[0].to: required field missing",
        "log.yaml:5:12: actions[1].kind: kind must be one of report, notify, request, "
        "declare_level, activate_plan, publish, consult_expert, arrive_scene, investigate, "
        "message, note (got 'shout')",
    ]


def test_an_impossible_date_is_a_located_problem_not_a_crash() -> None:
    text = TEXT.replace("start: 2025-09-12T02:10:00+08:00", "start: 2025-13-45T08:00:00+08:00")
    assert problems(text) == [
        "x.yaml:4:8: start: '2025-13-45T08:00:00+08:00' is not a date and time "
        "(month must be in 1..12); write e.g. 2025-09-12T02:10:00+08:00"
    ]


def test_an_impossible_date_deep_in_the_file_names_its_path() -> None:
    text = TEXT.replace("seed: 7", "seed: 7\nobjectives: [{zh: a, en: 2025-02-30}]")
    (found,) = problems(text)
    assert found.startswith("x.yaml:7:26: objectives[0].en: '2025-02-30' is not a date")


def test_a_merge_key_is_refused_at_its_place() -> None:
    assert problems("id: x\n<<: {x: 1}\n") == [
        "x.yaml:2:1: YAML: merge keys (<<) are not allowed; write the fields out in full"
    ]
    nested = TEXT.replace("    length_km: 30\n", "    <<: {length_km: 30}\n")
    (found,) = problems(nested)
    assert found.startswith("x.yaml:14:5: YAML: merge keys (<<) are not allowed")


def test_a_quoted_merge_key_is_only_an_unknown_field() -> None:
    (found,) = problems(TEXT + '"<<": 1\n')
    assert "unknown field '<<'" in found


def test_a_key_without_a_recorded_position_is_located_at_its_mapping() -> None:
    source = parse_source(TEXT, "x.yaml")
    source.root["reaches"][2]["copied"] = 1  # what a merge key used to leave: no position
    assert source.locate(("reaches", 2, "copied")) == (12, 5)
    assert source.locate(("reaches", 2, "copied"), key=True) == (12, 5)


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!str", "!custom"])
def test_yaml_tags_are_refused_at_their_place(tag: str) -> None:
    (found,) = problems(TEXT.replace("id: small-river", f"id: {tag} small-river"))
    assert found == f"x.yaml:2:5: YAML tags are not allowed ({tag}); write the plain value"


@pytest.mark.parametrize(
    ("before", "after", "where"),
    [
        ("mass_kg: 5000", "mass_kg: .inf", "x.yaml:38:53: spills[0].mass_kg"),
        ("discharge_m3s: 100,", "discharge_m3s: .nan,", "x.yaml:8:55: reaches[0].discharge_m3s"),
        ("km: 12,", "km: -.inf,", "x.yaml:21:49: sites[1].km"),
    ],
)
def test_infinite_and_nan_numbers_are_refused(before: str, after: str, where: str) -> None:
    (found,) = problems(TEXT.replace(before, after, 1))
    value = after.split(": ")[1].rstrip(",")
    assert found == f"{where}: must be a finite number (got {value})"


def test_an_infinite_duration_is_refused() -> None:
    found = problems(TEXT.replace("duration: 30min}", "duration: .inf}", 1))
    assert found == ["x.yaml:38:82: spills[0].duration: must be a finite number (got .inf)"]


@pytest.mark.parametrize("value", ["true", "false", "7.5", "'7'"])
def test_the_seed_is_a_whole_number_and_nothing_else(value: str) -> None:
    (found,) = problems(TEXT.replace("seed: 7", f"seed: {value}"))
    assert found.startswith("x.yaml:6:7: seed: must be a whole number")


def test_a_bare_number_duration_under_half_an_hour_asks_whether_hours_were_meant() -> None:
    assert problems(TEXT.replace("duration: 24h", "duration: 24")) == [
        "x.yaml:5:11: duration: a bare number is minutes: 24 is a 24min drill, shorter than "
        "30min; did you mean 24h?"
    ]


def test_a_drill_shorter_than_half_an_hour_is_refused_however_written() -> None:
    (found,) = problems(TEXT.replace("duration: 24h", "duration: 20min"))
    assert found == "x.yaml:5:11: duration: must be >= 30 (got '20min')"


def test_a_misspelt_field_is_one_problem_not_two() -> None:
    """The unknown key's "did you mean" names the field, so its absence is not listed too."""
    text = TEXT.replace("    length_km: 30\n", "    lenght_km: 30\n")
    assert problems(text) == [
        "x.yaml:14:5: reaches[2].lenght_km: unknown field 'lenght_km' (did you mean 'length_km'?)"
    ]


def test_a_missing_field_is_still_reported_beside_an_unrelated_unknown_one() -> None:
    text = TEXT.replace("    length_km: 30\n", "    colour: blue\n")
    assert problems(text) == [
        "x.yaml:12:5: reaches[2].length_km: required field missing",
        "x.yaml:14:5: reaches[2].colour: unknown field 'colour'",
    ]


def test_a_device_is_refused_without_reading_it() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario("/dev/zero")
    (problem,) = caught.value.problems
    assert problem.message.startswith("not a regular file")


def test_a_named_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_scenario(fifo)  # opening it would wait for a writer forever
