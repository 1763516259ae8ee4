"""A run directory in, a report out; a truncated or tampered log is refused naming the line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_reports_fixtures import WUJIANG, tutorial_run_dir
from typer.testing import CliRunner

from reports.rundir import load_run, write_run_report
from scenarios.errors import InputError

runner = CliRunner()


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tutorial_run_dir(tmp_path_factory.mktemp("rundir") / "run")


def _copy(good: Path, tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(good, target)
    return target


def _problem(error: pytest.ExceptionInfo[InputError]) -> tuple[int, str]:
    problem = error.value.problems[0]
    return problem.line, str(problem)


def test_a_bad_json_line_is_refused_naming_its_line(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    lines = (run / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4][: len(lines[4]) // 2] + "\n"  # truncated mid-record
    (run / "events.jsonl").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_run(run)
    line, text = _problem(error)
    assert line == 5 and "events.jsonl:5:1" in text and "not a valid log record" in text


def test_a_sequence_gap_is_refused_naming_its_line(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    lines = (run / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[6]  # a record removed by hand
    (run / "events.jsonl").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_run(run)
    line, text = _problem(error)
    assert line == 7 and "sequence gap" in text


def test_a_log_of_another_scenario_is_refused(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    info["scenario"] = str(WUJIANG)
    (run / "run.json").write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_run(run)
    line, text = _problem(error)
    assert line == 1 and "run_started.data.scenario" in text
    assert "'tutorial-qingshui', not 'wujiang-aniline" in text


def test_a_missing_log_or_run_file_is_named(tmp_path: Path, good: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"events\.jsonl: no such file"):
        load_run(empty)
    run = _copy(good, tmp_path)
    (run / "run.json").unlink()
    with pytest.raises(InputError, match=r"run\.json: missing, or names no scenario"):
        load_run(run)


def test_the_scorecard_of_the_run_is_reused_when_present(good: Path) -> None:
    inputs = load_run(good)
    stored = json.loads((good / "scorecard.json").read_text(encoding="utf-8"))
    assert inputs.scorecard.points_earned == stored["points_earned"]


def test_write_run_report_writes_report_html_beside_the_log(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    written = write_run_report(run, whatif=False)
    assert written == {"html": run / "report.html"}
    assert (run / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _cli(*args: str) -> Any:
    from riverdrill.cli import app

    return runner.invoke(app, list(args))


def test_cli_reports_a_run_and_refuses_a_tampered_one(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    ok = _cli("report", str(run), "--no-whatif", "--lang", "en")
    assert ok.exit_code == 0, ok.output
    assert "report.html" in ok.output
    lines = (run / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (run / "events.jsonl").write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")
    bad = _cli("report", str(run))
    assert bad.exit_code == 1
    assert "events.jsonl:4:1: seq: sequence gap" in bad.output
    assert "Traceback" not in bad.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr"], "--lang(=fr) must be one of zh, en"),
        (["--format", "html,xls"], "--format(=html,xls)"),
        (["--jobs", "0"], "--jobs(=0) must be >= 1"),
    ],
)
def test_cli_usage_errors_exit_2(good: Path, args: list[str], message: str) -> None:
    result = _cli("report", str(good), *args)
    assert result.exit_code == 2 and message in result.output


def test_cli_needs_out_for_several_runs(good: Path) -> None:
    result = _cli("report", str(good), str(good))
    assert result.exit_code == 2 and "--out" in result.output
