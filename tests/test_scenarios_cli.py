"""The scenario commands: validate, schema, new, msel export/import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from typer.testing import CliRunner

from riverdrill.cli import app
from scenarios import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small-river.yaml"
BAD = ROOT / "tests" / "data" / "bad"
run = CliRunner().invoke


def test_validate_prints_a_tick_with_id_and_title_and_exits_0() -> None:
    result = run(app, ["validate", str(SMALL)])
    assert result.exit_code == 0
    title = "小河苯胺泄漏（测试） · Aniline spill on a small river (test)"
    assert result.stdout == f"✓ small-river  {title}\n"


def test_validate_reports_every_file_and_exits_1_if_any_is_invalid() -> None:
    result = run(app, ["validate", str(SMALL), str(BAD / "zero-discharge.yaml"), str(SMALL)])
    assert result.exit_code == 1
    assert result.stdout.count("✓ small-river") == 2
    problem = "zero-discharge.yaml:11:57: reaches[1].discharge_m3s: must be > 0 (got 0)"
    assert problem in result.stderr
    assert result.stderr.rstrip().endswith("2 of 3 valid")


def test_a_long_problem_stays_on_one_line() -> None:
    result = run(app, ["validate", str(BAD / "unknown-site-kind.yaml")], terminal_width=40)
    assert len(result.stderr.strip().splitlines()) == 1


def test_validate_names_a_missing_file_and_exits_1(tmp_path: Path) -> None:
    result = run(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{tmp_path / 'nope.yaml'}: no such file"


def test_validate_without_paths_is_a_usage_error() -> None:
    assert run(app, ["validate"]).exit_code == 2


def test_validate_takes_a_directory_of_scenarios(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "a.yaml")
    shutil.copy(SMALL, tmp_path / "b.yaml")
    result = run(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0 and result.stdout.count("✓") == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(app, ["validate", str(empty)])
    assert result.exit_code == 1 and "no .yaml files" in result.stderr


def test_schema_prints_json_schema_for_each_format() -> None:
    for name in ("scenario", "responses", "substances"):
        result = run(app, ["schema", name])
        assert result.exit_code == 0
        document = json.loads(result.stdout)
        assert document["$schema"].endswith("2020-12/schema")
    assert "reaches" in json.loads(run(app, ["schema"]).stdout)["properties"]


def test_schema_rubric_prints_the_rubric_models_json_schema() -> None:
    from scoring.rubric import Rubric

    result = run(app, ["schema", "rubric"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["title"] == Rubric.__name__ == "Rubric"
    assert document["$id"].endswith("/rubric.schema.json")
    assert "criteria" in document["properties"]


def test_schema_of_an_unknown_format_is_a_usage_error() -> None:
    result = run(app, ["schema", "menu"])
    assert result.exit_code == 2 and "choose one of scenario" in result.stderr


def test_new_writes_a_starter_that_validates_and_will_not_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "drill.yaml"
    assert run(app, ["new", str(target)]).exit_code == 0
    assert load_scenario(target).id == "my-drill"
    target.write_text("mine", encoding="utf-8")
    result = run(app, ["new", str(target)])
    assert result.exit_code == 1 and "use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(app, ["new", str(target), "--force"]).exit_code == 0
    assert "# riverdrill 推演情景模板" in target.read_text(encoding="utf-8")


def test_msel_export_and_import_round_trip_through_the_cli(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    shutil.copy(SMALL, scenario)
    table = tmp_path / "msel.xlsx"
    result = run(app, ["msel", "export", str(scenario), "--out", str(table)])
    assert result.exit_code == 0 and "wrote 6 injects" in result.stdout
    result = run(
        app, ["msel", "import", str(scenario), str(table), "--out", str(tmp_path / "n.yaml")]
    )
    assert result.exit_code == 0
    assert load_scenario(tmp_path / "n.yaml") == load_scenario(SMALL)


def test_msel_export_refuses_an_unknown_table_type(tmp_path: Path) -> None:
    result = run(app, ["msel", "export", str(SMALL), "--out", str(tmp_path / "m.ods")])
    assert result.exit_code == 2


def test_msel_import_of_a_bad_table_exits_1_with_located_problems(tmp_path: Path) -> None:
    table = tmp_path / "m.csv"
    rows = "id,to,channel,text_zh,trigger\nx,district,phone,文字,soon\n"
    table.write_text(rows, encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    shutil.copy(SMALL, scenario)
    result = run(app, ["msel", "import", str(scenario), str(table)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{table}:2:8: trigger (column H): cannot read 'soon'")
    assert scenario.read_bytes() == SMALL.read_bytes()


def test_msel_import_refuses_an_unknown_table_type_as_a_usage_error(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    shutil.copy(SMALL, scenario)
    table = tmp_path / "m.ods"
    table.write_bytes(b"whatever")
    result = run(app, ["msel", "import", str(scenario), str(table)])
    assert result.exit_code == 2
    assert "must end in .csv or .xlsx, not 'm.ods'" in result.stderr
    assert scenario.read_bytes() == SMALL.read_bytes()


def test_msel_import_of_an_unchanged_table_writes_nothing_and_says_so(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    shutil.copy(SMALL, scenario)
    table = tmp_path / "m.csv"
    assert run(app, ["msel", "export", str(scenario), "--out", str(table)]).exit_code == 0
    before = scenario.stat().st_mtime_ns
    result = run(app, ["msel", "import", str(scenario), str(table)])
    assert result.exit_code == 0
    assert result.stdout == f"{scenario}: the 6 injects are unchanged; nothing written\n"
    assert scenario.stat().st_mtime_ns == before


def test_the_starter_opens_with_the_modeline_of_the_schema_beside_it() -> None:
    from scenarios.jsonschema import CHECKED_IN, HERE

    first = (HERE / "starter.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=scenario.schema.json"
    assert (HERE / first.split("$schema=")[1]) == CHECKED_IN["scenario"]


def test_new_points_the_modeline_at_the_installed_schema(tmp_path: Path) -> None:
    from scenarios.jsonschema import CHECKED_IN

    target = tmp_path / "drill.yaml"
    assert run(app, ["new", str(target)]).exit_code == 0
    first, *rest = target.read_text(encoding="utf-8").splitlines()
    uri = first.removeprefix("# yaml-language-server: $schema=")
    assert uri.startswith("file://") and Path(url2pathname(urlparse(uri).path)).is_file()
    assert Path(url2pathname(urlparse(uri).path)) == CHECKED_IN["scenario"].resolve()
    starter = (ROOT / "scenarios" / "starter.yaml").read_text(encoding="utf-8").splitlines()
    assert rest == starter[1:]
