"""The MSEL as a CSV/XLSX table: lossless both ways, errors at table:row:column."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from scenarios import InputError, load_scenario
from scenarios.msel import COLUMNS, export_msel, import_msel, read_table, write_table
from scenarios.schema import Inject, Trigger
from scenarios.trigger_text import format_trigger, parse_trigger

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small-river.yaml"
SCENARIOS = [
    SMALL,
    ROOT / "scenarios" / "starter.yaml",
    *sorted((ROOT / "scenarios" / "library").glob("*.yaml")),
]
TRIGGER = TypeAdapter(Trigger)


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    shutil.copy(path, target)
    return target


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "at 25min ±5min",
        "at 1h30min",
        "plume_reaches intake",
        "exceeds intake x1.5",
        "no_action notify target=south by 3h",
        "after_action request task=monitoring site=intake delay 40min",
        "after_action report",
        "manual",
    ],
)
def test_a_compact_trigger_reads_back_to_itself(text: str) -> None:
    trigger = TRIGGER.validate_python(parse_trigger(text))
    assert format_trigger(trigger) == text
    assert TRIGGER.validate_python(parse_trigger(format_trigger(trigger))) == trigger


def test_trigger_spellings_are_forgiving_where_unambiguous() -> None:
    assert parse_trigger("at 25min +-5min") == {"at": "25min", "jitter": "5min"}
    assert parse_trigger("at 25min ± 5min") == {"at": "25min", "jitter": "5min"}
    assert parse_trigger("at 12.5") == {"at": 12.5}
    assert parse_trigger("exceeds intake") == {"exceeds": {"site": "intake"}}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("att 5min", "did you mean 'at'?"),
        ("exceeds intake 2", "write the factor as x1.5"),
        ("exceeds intake xbig", "factor must be a number"),
        ("no_action notify targte=x by 3h", "unknown key 'targte' (did you mean 'target'?)"),
        ("no_action notify by 3h target=x", "write by once, last"),
        ("no_action target=x by 3h", "name the action kind first"),
    ],
)
def test_an_unreadable_trigger_says_what_to_write(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        parse_trigger(text)


minutes = st.one_of(
    st.integers(0, 3 * 1440).map(float),
    st.floats(0, 3 * 1440, allow_nan=False).filter(lambda m: m == 0 or m > 1e-3),
)


@given(at=minutes, jitter=minutes, by=minutes.filter(lambda m: m > 0), factor=st.floats(0.01, 100))
def test_any_trigger_survives_the_cell_format(
    at: float, jitter: float, by: float, factor: float
) -> None:
    for data in (
        {"at": at, "jitter": jitter},
        {"no_action": {"kind": "notify", "target": "x"}, "by": by},
        {"after_action": {"kind": "request", "task": "dosing"}, "delay": jitter},
        {"exceeds": {"site": "s", "factor": factor}},
    ):
        trigger = TRIGGER.validate_python(data)
        assert TRIGGER.validate_python(parse_trigger(format_trigger(trigger))) == trigger


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_export_then_import_gives_identical_injects(
    path: Path, suffix: str, tmp_path: Path
) -> None:
    scenario = copy_of(path, tmp_path)
    table = tmp_path / f"msel{suffix}"
    export_msel(scenario, table)
    import_msel(scenario, table, tmp_path / "again.yaml")
    assert load_scenario(tmp_path / "again.yaml").injects == load_scenario(path).injects
    assert load_scenario(tmp_path / "again.yaml") == load_scenario(path)


def test_csv_is_utf8_with_a_byte_order_mark_and_the_documented_columns(tmp_path: Path) -> None:
    table = tmp_path / "msel.csv"
    export_msel(SMALL, table)
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][COLUMNS.index("trigger")] == "at 25min ±5min"
    assert rows[4][COLUMNS.index("trigger")] == "no_action notify target=south by 3h"


def test_import_replaces_only_the_injects_and_keeps_comments(tmp_path: Path) -> None:
    scenario = copy_of(SMALL, tmp_path)
    original = scenario.read_text(encoding="utf-8")
    scenario.write_text(original + "# trailing remark\n", encoding="utf-8")
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[1][COLUMNS.index("text_zh")] = "改过的内容"
    write_csv(table, rows)
    import_msel(scenario, table)
    after = scenario.read_text(encoding="utf-8")
    head = original[: original.index("injects:")]
    assert after.startswith(head)  # every byte above the injects, comments included
    assert after.endswith("# trailing remark\n")
    assert load_scenario(scenario).injects[0].text.zh == "改过的内容"


def test_import_errors_name_table_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    scenario = copy_of(SMALL, tmp_path)
    before = scenario.read_bytes()
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[2][COLUMNS.index("trigger")] = "when it rains"
    rows[3][COLUMNS.index("to")] = "nobody"
    rows[4][COLUMNS.index("channel")] = "pigeon"
    rows[5][COLUMNS.index("trigger")] = "at -5min"
    write_csv(table, rows)
    with pytest.raises(InputError) as caught:
        import_msel(scenario, table)
    found = [str(p) for p in caught.value.problems]
    name = str(table)
    assert f"{name}:3:8: trigger (column H): cannot read 'when it rains'" in found[0]
    assert any(f.startswith(f"{name}:5:3: channel (column C): must be one of phone") for f in found)
    assert any(f.startswith(f"{name}:6:8: trigger (column H): at: must be >= 0") for f in found)
    assert scenario.read_bytes() == before


def test_cross_reference_errors_point_at_the_table_cell(tmp_path: Path) -> None:
    scenario = copy_of(SMALL, tmp_path)
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[3][COLUMNS.index("to")] = "nobody"
    rows[4][COLUMNS.index("trigger")] = "plume_reaches nowhere"
    write_csv(table, rows)
    with pytest.raises(InputError) as caught:
        import_msel(scenario, table)
    assert [str(p) for p in caught.value.problems] == [
        f"{table}:4:2: to (column B): unknown cell 'nobody' (known: city-cell, district)",
        f"{table}:5:8: trigger (column H): plume_reaches: unknown site 'nowhere' "
        "(known: border, carbon, gate, intake)",
    ]


def test_header_problems_are_reported_on_row_one(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "msel.csv", [["id", "to", "chanel", "text_zh", "trigger"]])
    with pytest.raises(InputError) as caught:
        import_msel(copy_of(SMALL, tmp_path), table)
    found = [str(p) for p in caught.value.problems]
    assert f"{table}:1:3: chanel: unknown column; columns are " + ", ".join(COLUMNS) in found
    assert f"{table}:1:1: channel: required column missing from the header row" in found


def test_a_csv_saved_by_excel_in_gb18030_is_read(tmp_path: Path) -> None:
    table = tmp_path / "msel.csv"
    export_msel(SMALL, table)
    text = table.read_bytes().decode("utf-8-sig")
    table.write_bytes(text.encode("gb18030"))
    import_msel(copy_of(SMALL, tmp_path), table, tmp_path / "out.yaml")
    assert load_scenario(tmp_path / "out.yaml").injects == load_scenario(SMALL).injects


def test_empty_rows_are_skipped_and_an_empty_table_clears_the_injects(tmp_path: Path) -> None:
    scenario = copy_of(SMALL, tmp_path)
    table = write_csv(tmp_path / "msel.csv", [list(COLUMNS), [""] * len(COLUMNS), []])
    import_msel(scenario, table)
    assert load_scenario(scenario).injects == ()
    assert "injects: []" in scenario.read_text(encoding="utf-8")


def test_import_appends_injects_to_a_scenario_that_had_none(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    bare = tmp_path / "bare.yaml"
    bare.write_text(text[: text.index("injects:")], encoding="utf-8")
    table = tmp_path / "msel.xlsx"
    export_msel(SMALL, table)
    import_msel(bare, table)
    assert load_scenario(bare).injects == load_scenario(SMALL).injects


def test_xlsx_keeps_text_that_looks_like_a_formula(tmp_path: Path) -> None:
    inject = Inject.model_validate(
        {
            "id": "f",
            "to": "district",
            "channel": "sms",
            "text": "=1+1 不是公式",
            "trigger": {"manual": True},
        }
    )
    table = tmp_path / "msel.xlsx"
    table.write_bytes(write_table([inject], table))
    rows = read_table(table)
    assert rows[1][COLUMNS.index("text_zh")] == "=1+1 不是公式"


def test_a_table_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "msel.xlsx"
    table.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        read_table(table)


def test_import_keeps_a_windows_file_crlf_throughout(tmp_path: Path) -> None:
    scenario = tmp_path / "win.yaml"
    scenario.write_bytes(SMALL.read_bytes().replace(b"\n", b"\r\n"))
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    import_msel(scenario, table)
    raw = scenario.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert load_scenario(scenario).injects == load_scenario(SMALL).injects


def test_import_counts_lines_as_yaml_does(tmp_path: Path) -> None:
    # A line separator pasted into a text ends a line for str.splitlines, not for YAML.
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("seed: 7", 'seed: 7\ndescription: "第一段\u2028第二段"')
    scenario = tmp_path / "sep.yaml"
    scenario.write_text(text, encoding="utf-8")
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    import_msel(scenario, table)
    after = scenario.read_text(encoding="utf-8")
    assert after[: after.index("injects:")] == text[: text.index("injects:")]
    assert load_scenario(scenario).injects == load_scenario(SMALL).injects


def test_import_into_a_scenario_written_as_one_flow_mapping(tmp_path: Path) -> None:
    from scenarios.writing import dump_yaml
    from scenarios.yamlsource import read_source

    root = read_source(SMALL).root
    root.fa.set_flow_style()
    scenario = tmp_path / "flow.yaml"
    scenario.write_text(dump_yaml(root), encoding="utf-8")
    table = tmp_path / "msel.csv"
    export_msel(SMALL, table)
    import_msel(scenario, table)
    assert load_scenario(scenario) == load_scenario(SMALL)


LIBRARY = sorted((ROOT / "scenarios" / "library").glob("*.yaml"))


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_export_then_import_leaves_the_file_byte_identical(
    path: Path, suffix: str, tmp_path: Path
) -> None:
    scenario = copy_of(path, tmp_path)
    table = tmp_path / f"msel{suffix}"
    export_msel(scenario, table)
    assert import_msel(scenario, table).written is False  # nothing to change: no write
    assert scenario.read_bytes() == path.read_bytes()
    assert import_msel(scenario, table, tmp_path / "copy.yaml").written
    assert (tmp_path / "copy.yaml").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_changing_one_inject_rewrites_only_its_changed_lines(path: Path, tmp_path: Path) -> None:
    scenario = copy_of(path, tmp_path)
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[2][COLUMNS.index("text_en")] = "Changed in the spreadsheet."
    write_csv(table, rows)
    import_msel(scenario, table)
    before, after = path.read_text(encoding="utf-8"), scenario.read_text(encoding="utf-8")
    assert comment_lines(after) == comment_lines(before)
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)
    changed = [new for old, new in pairs if old != new]
    assert len(changed) == 1 and "Changed in the spreadsheet." in changed[0]
    assert load_scenario(scenario).injects[1].text.en == "Changed in the spreadsheet."


def test_the_tutorial_keeps_all_its_comments_through_an_edited_table(tmp_path: Path) -> None:
    tutorial = ROOT / "scenarios" / "library" / "tutorial.yaml"
    scenario = copy_of(tutorial, tmp_path)
    table = tmp_path / "msel.xlsx"
    export_msel(scenario, table)
    rows = read_table(table)
    for row in rows[1:]:  # a note on every inject: each one changes
        row[COLUMNS.index("notes_zh")], row[COLUMNS.index("notes_en")] = "已复核", "reviewed"
    write_csv(tmp_path / "msel.csv", rows)
    import_msel(scenario, tmp_path / "msel.csv")
    text = scenario.read_text(encoding="utf-8")
    assert len(comment_lines(text)) == len(comment_lines(tutorial.read_text("utf-8"))) == 63
    assert "injects:\n  # 08:30" in text and "\n  - id: first-call\n    to: district\n" in text
    notes = [i.notes for i in load_scenario(scenario).injects]
    assert all(n is not None and (n.zh, n.en) == ("已复核", "reviewed") for n in notes)


def test_a_deleted_inject_goes_with_its_comments_and_a_new_one_is_appended(
    tmp_path: Path,
) -> None:
    tutorial = ROOT / "scenarios" / "library" / "tutorial.yaml"
    scenario = copy_of(tutorial, tmp_path)
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    assert rows[2][0] == "haulier-call"
    added = [*rows[2]]
    added[0] = "second-caller"
    del rows[2]
    write_csv(table, [*rows, added])
    import_msel(scenario, table)
    text = scenario.read_text(encoding="utf-8")
    assert "haulier" not in text.split("injects:")[1].split("second-caller")[0]
    assert "# 09:00 运输公司确认装载量" not in text  # the deleted inject's own comment
    assert "# 09:30 若尚未书面报告市局" in text  # the next inject's comment stays
    tail = text[text.index("  - id: second-caller") :]
    assert tail.startswith("  - id: second-caller\n    to: district\n    channel: phone\n")
    assert "\n    text:\n      zh: 我公司车辆装载苯胺" in tail  # block style, as the file writes
    ids = [i.id for i in load_scenario(scenario).injects]
    assert ids[:2] == ["first-call", "written-reminder"] and ids[-1] == "second-caller"


def test_reordered_rows_move_injects_with_their_comments(tmp_path: Path) -> None:
    tutorial = ROOT / "scenarios" / "library" / "tutorial.yaml"
    scenario = copy_of(tutorial, tmp_path)
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[1], rows[2] = rows[2], rows[1]
    write_csv(table, rows)
    import_msel(scenario, table)
    text = scenario.read_text(encoding="utf-8")
    assert (
        text.index("# 09:00 运输公司")
        < text.index("- id: haulier-call")
        < text.index("# 08:30 第一通电话")
        < text.index("- id: first-call")
    )
    assert sorted(text.splitlines()) == sorted(tutorial.read_text("utf-8").splitlines())


def test_a_changed_field_keeps_the_comments_inside_its_inject(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        "    to: district\n",
        "    to: district  # the bureau answers\n    # channel may change\n",
        1,
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[1][COLUMNS.index("channel")] = "fax"
    write_csv(table, rows)
    import_msel(scenario, table)
    assert scenario.read_text(encoding="utf-8") == text.replace(
        "    channel: phone\n", "    channel: fax\n", 1
    )


def test_an_action_filters_cell_survives_the_table() -> None:
    text = "no_action notify target=south cell=city-cell by 3h"
    trigger = TRIGGER.validate_python(parse_trigger(text))
    assert trigger.no_action.cell == "city-cell"  # type: ignore[union-attr]
    assert format_trigger(trigger) == text


def test_a_time_the_compact_form_cannot_hold_is_written_as_minutes_in_table_and_yaml(
    tmp_path: Path,
) -> None:
    """One rule (scenarios.types.exact_duration) for the table cell and the YAML value."""
    scenario = copy_of(SMALL, tmp_path)
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("{at: 25min, jitter: 5min}", "{at: 25.00001}"), "utf-8")
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    assert rows[1][COLUMNS.index("trigger")] == "at 25.00001"
    rows[1][COLUMNS.index("trigger")] = "at 12.00001 ±1h30min"
    write_csv(table, rows)
    import_msel(scenario, table)
    assert "trigger: {at: 12.00001, jitter: 1h30min}" in scenario.read_text(encoding="utf-8")
    trigger = load_scenario(scenario).injects[0].trigger
    assert (trigger.at, trigger.jitter) == (12.00001, 90)  # type: ignore[union-attr]


def test_a_file_without_a_final_newline_gets_whole_lines_when_injects_move(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SMALL.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    table = tmp_path / "msel.csv"
    export_msel(scenario, table)
    rows = read_table(table)
    rows[1], rows[-1] = rows[-1], rows[1]  # the last inject (no newline after it) moves up
    write_csv(table, rows)
    import_msel(scenario, table)
    injects = load_scenario(scenario).injects
    assert [i.id for i in injects] == [r[0] for r in rows[1:]]
    assert scenario.read_text(encoding="utf-8").endswith("\n")
