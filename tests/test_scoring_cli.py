"""``riverdrill score``: run directories in, scorecard.json out, a leaderboard for several."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from test_scoring_logs import DATA, ON_TIME, TUTORIAL, replace_action, tutorial_log
from typer.testing import CliRunner

from riverdrill.cli import app
from scoring.scorecard import Scorecard

runner = CliRunner()


def run_dir(tmp: Path, name: str, actions: Any = ON_TIME, info: bool = True) -> Path:
    """A run directory as ``riverdrill run`` leaves it: events.jsonl and run.json."""
    directory = tmp / name
    directory.mkdir()
    tutorial_log(actions, team=name).write(directory / "events.jsonl")
    if info:
        record = {
            "scenario": str(TUTORIAL),
            "scenario_id": "tutorial-qingshui",
            "scenario_sha256": hashlib.sha256(TUTORIAL.read_bytes()).hexdigest(),
            "seed": 20250605,
            "driver": "responses",
            "team": name,
        }
        (directory / "run.json").write_text(json.dumps(record), encoding="utf-8")
    return directory


def test_score_writes_the_scorecard_and_prints_the_explanations(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    result = runner.invoke(app, ["score", str(directory)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    card = Scorecard.read(directory / "scorecard.json")
    assert (card.team, card.score_100) == ("team-a", 100.0)
    assert "半小时电话报（第一时间报告）于 T+50 分钟报送" in result.output
    assert "93/93 = 100/100" in result.output


def test_score_json_prints_the_scorecard_exactly_as_written(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    result = runner.invoke(app, ["score", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    assert result.output == (directory / "scorecard.json").read_text(encoding="utf-8")


def test_an_old_log_is_rescored_under_another_rubric_without_re_running(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    before = (directory / "events.jsonl").read_bytes()
    result = runner.invoke(app, ["score", str(directory), "--rubric", "national-2011", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rubric"] == "national-2011"
    assert (directory / "events.jsonl").read_bytes() == before


def test_several_run_directories_give_a_leaderboard(tmp_path: Path) -> None:
    a = run_dir(tmp_path, "team-a")
    b = run_dir(tmp_path, "team-b", replace_action(ON_TIME, "report", None, channel="phone"))
    result = runner.invoke(app, ["score", str(b), str(a), "--json"])
    assert result.exit_code == 0, result.output
    board = json.loads(result.output)
    assert [s["team"] for s in board["standings"]] == ["team-a", "team-b"]
    assert (b / "scorecard.json").exists()
    table = runner.invoke(app, ["score", str(b), str(a)], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "team-a" in table.output


def test_judges_and_overrides_are_applied(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    result = runner.invoke(
        app,
        [
            "score",
            str(directory),
            "--judges",
            str(DATA / "judges.csv"),
            "--overrides",
            str(DATA / "overrides.yaml"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["points_max"] == 123.0 and card["complete"] is True
    assert card["missing_judge_scores"] == [
        "coordination/district: 张评委",
        "coordination/district: 李评委",
    ]


def test_without_run_json_the_scenario_is_given_on_the_command_line(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a", info=False)
    refused = runner.invoke(app, ["score", str(directory)])
    assert refused.exit_code == 1
    assert "run.json: no such file; give the scenario with --scenario PATH" in refused.output
    result = runner.invoke(app, ["score", str(directory), "--scenario", str(TUTORIAL)])
    assert result.exit_code == 0, result.output


def test_a_tampered_log_is_refused_with_its_line(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    lines = (directory / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[3]
    (directory / "events.jsonl").write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["score", str(directory)])
    assert result.exit_code == 1
    assert "events.jsonl:4:1: seq: sequence gap" in result.output


def test_a_judges_sheet_naming_a_team_not_scored_is_refused_and_nothing_written(
    tmp_path: Path,
) -> None:
    a, b = run_dir(tmp_path, "team-a"), run_dir(tmp_path, "team-b")
    sheet = tmp_path / "judges.csv"
    text = (DATA / "judges-teams.csv").read_text(encoding="utf-8")
    sheet.write_text(text.replace("team-b,coordination,李评委", "team-c,coordination,李评委"))
    result = runner.invoke(app, ["score", str(a), str(b), "--judges", str(sheet)])
    assert result.exit_code == 1
    assert f"{sheet}:9:1: team: team 'team-c' is not among the teams scored (team-a, team-b)" in (
        result.output
    )
    assert not (a / "scorecard.json").exists() and not (b / "scorecard.json").exists()
    fixed = runner.invoke(
        app, ["score", str(a), str(b), "--judges", str(DATA / "judges-teams.csv")]
    )
    assert fixed.exit_code == 0, fixed.output


def test_the_scorecard_records_the_log_and_the_rubric_it_was_scored_from(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    assert runner.invoke(app, ["score", str(directory)]).exit_code == 0
    card = Scorecard.read(directory / "scorecard.json")
    digest = hashlib.sha256((directory / "events.jsonl").read_bytes()).hexdigest()
    assert (card.log_sha256, card.team, card.seed) == (digest, "team-a", 20250605)
    assert card.rubric_source == "chongqing-2024"


def test_a_judges_sheet_without_teams_is_refused_for_several_runs(tmp_path: Path) -> None:
    a, b = run_dir(tmp_path, "team-a"), run_dir(tmp_path, "team-b")
    result = runner.invoke(app, ["score", str(a), str(b), "--judges", str(DATA / "judges.csv")])
    assert result.exit_code == 1
    assert "no team column" in result.output


def test_a_bad_rubric_is_reported_at_its_line(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    bad = DATA / "bad" / "unknown-action-kind.yaml"
    result = runner.invoke(app, ["score", str(directory), "--rubric", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:8:" in result.output


def test_a_changed_scenario_file_is_refused(tmp_path: Path) -> None:
    directory = run_dir(tmp_path, "team-a")
    info = json.loads((directory / "run.json").read_text(encoding="utf-8"))
    info["scenario_sha256"] = "0" * 64
    (directory / "run.json").write_text(json.dumps(info), encoding="utf-8")
    result = runner.invoke(app, ["score", str(directory)])
    assert result.exit_code == 1
    assert "changed since the run" in result.output


def test_a_directory_written_by_riverdrill_run_is_scored(tmp_path: Path) -> None:
    responses = tmp_path / "responses.yaml"
    responses.write_text(
        "team: team-a\ncell: district\nactions:\n"
        "  - {at: 50min, kind: report, to: city-eeb, channel: phone, report: initial}\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    ran = runner.invoke(
        app, ["run", str(TUTORIAL), "--out", str(out), "--responses", str(responses)]
    )
    assert ran.exit_code == 0, ran.output
    result = runner.invoke(app, ["score", str(out), "--json"])
    assert result.exit_code == 0, result.output
    phone = next(
        c for c in json.loads(result.output)["cells"][0]["criteria"] if c["id"] == "phone-report"
    )
    assert phone["status"] == "met" and phone["elapsed_min"] == 20.0
