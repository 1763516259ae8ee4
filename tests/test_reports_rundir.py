"""A run directory in, a report out; a truncated or tampered log is refused naming the line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_reports_fixtures import (
    TUTORIAL,
    TUTORIAL_ACTIONS,
    WUJIANG,
    responses,
    run_log,
    sha256,
    tutorial,
    tutorial_run_dir,
    write_run_dir,
)
from typer.testing import CliRunner

from reports.rundir import load_run, write_run_report
from scenarios.errors import InputError
from scoring.scorecard import Scorecard

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
    _edit_json(run / "run.json", scenario=str(WUJIANG), scenario_sha256=sha256(WUJIANG))
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
    with pytest.raises(
        InputError, match=r"run\.json: no such file; give the scenario with --scenario"
    ):
        load_run(run)


def _edit_json(path: Path, **changes: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_scorecard_of_the_run_is_reused_when_present(good: Path, tmp_path: Path) -> None:
    """What only the stored file has (an evaluator's override) reaches the report."""
    run = _copy(good, tmp_path)
    card = json.loads((run / "scorecard.json").read_text(encoding="utf-8"))
    card["cells"][0]["capabilities"][0]["override_reason"] = "评估员复核"
    _edit_json(run / "scorecard.json", cells=card["cells"])
    inputs = load_run(run)
    assert inputs.scorecard.cells[0].capabilities[0].override_reason == "评估员复核"
    assert inputs.rescored is None


def _team_b(tmp_path: Path) -> Path:
    """Another team's run of the tutorial: fewer actions, so another score."""
    log = run_log(tutorial(), responses(TUTORIAL_ACTIONS[:2], "jia-team-b"))
    return write_run_dir(tmp_path / "team-b", TUTORIAL, log, "jia-team-b")


def test_a_scorecard_of_another_run_is_not_mixed_into_the_report(
    good: Path, tmp_path: Path
) -> None:
    """Team B's scorecard.json beside team A's log: the report scores team A's log."""
    run, other = _copy(good, tmp_path), _team_b(tmp_path)
    shutil.copy(other / "scorecard.json", run / "scorecard.json")
    inputs = load_run(run)
    assert inputs.scorecard.team == "jia-team-a"
    assert inputs.scorecard == Scorecard.read(good / "scorecard.json")
    assert inputs.scorecard.points_earned != Scorecard.read(other / "scorecard.json").points_earned
    assert inputs.rescored is not None
    assert "not scored from this run's events.jsonl" in inputs.rescored
    assert "team 'jia-team-b', the log's 'jia-team-a'" in inputs.rescored


def test_the_scorecard_names_the_log_team_seed_and_rubric_it_was_scored_from(good: Path) -> None:
    card = load_run(good, rescore=True).scorecard
    assert card.log_sha256 == sha256(good / "events.jsonl")
    assert (card.team, card.seed) == ("jia-team-a", tutorial().seed)
    assert (card.rubric, card.rubric_source) == ("chongqing-2024", "chongqing-2024")


def test_another_runs_scorecard_holding_judges_scores_is_refused(
    good: Path, tmp_path: Path
) -> None:
    """Rescoring would silently drop the judges' scores, so the report refuses instead."""
    run, other = _copy(good, tmp_path), _team_b(tmp_path)
    score = {"judge": "王评委", "score": 14.0, "comment": ""}
    judged = {"criterion": "plan-quality", "cell": "*", "median": 14.0, "spread": 0.0,
              "scores": [score], "missing_judges": []}  # fmt: skip
    shutil.copy(other / "scorecard.json", run / "scorecard.json")
    _edit_json(run / "scorecard.json", judges=[judged])
    with pytest.raises(InputError) as error:
        load_run(run)
    _, text = _problem(error)
    assert text.startswith(f"{run / 'scorecard.json'}: not scored from this run's events.jsonl")
    assert "judges' scores or rating overrides that rescoring would lose" in text


def test_a_log_with_fewer_records_than_run_json_counted_is_refused(
    good: Path, tmp_path: Path
) -> None:
    run = _copy(good, tmp_path)
    records = len((run / "events.jsonl").read_text(encoding="utf-8").splitlines())
    _edit_json(run / "run.json", records=records + 3)
    with pytest.raises(InputError) as error:
        load_run(run)
    line, text = _problem(error)
    assert line == records
    assert f"the log has {records} records but run.json counted {records + 3}" in text


def test_a_log_cut_after_a_whole_line_is_refused(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    lines = (run / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (run / "events.jsonl").write_text("".join(lines[:100]), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_run(run)
    line, text = _problem(error)
    assert line == 100 and "no run_ended record: it was cut short" in text


def test_a_changed_scenario_file_is_refused(good: Path, tmp_path: Path) -> None:
    run = _copy(good, tmp_path)
    _edit_json(run / "run.json", scenario_sha256="0" * 64)
    with pytest.raises(InputError) as error:
        load_run(run)
    assert _problem(error)[1].startswith(f"{TUTORIAL}: the scenario file changed since the run")


def test_a_report_of_a_no_whatif_run_says_the_what_ifs_were_skipped(good: Path) -> None:
    """Not that no action could have been moved earlier: nobody looked."""
    from reports.html import render_report
    from reports.rundir import report_of

    for lang, skipped, none in (
        ("zh", "本报告未进行假设推演", "没有超时或缺失且可提前的处置行动"),
        ("en", "What-ifs were skipped for this report", "No late or missing action could"),
    ):
        html = render_report(report_of(load_run(good), lang, whatif=False))
        assert skipped in html and none not in html
        section = html[html.index('id="whatif"') :]
        assert "moved to its limit" not in section and "移到其时限" not in section


def test_write_run_report_writes_report_html_beside_the_log(good: Path, tmp_path: Path) -> None:
    from sim.rundir import REPORT_FILE

    run = _copy(good, tmp_path)
    written = write_run_report(run, whatif=False)
    assert written == {"html": run / REPORT_FILE} and REPORT_FILE == "report.html"
    assert (run / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_report_file_name_is_spelled_only_in_sim_rundir() -> None:
    """Every writer of a report takes its name from ``sim.rundir.REPORT_FILE`` (through
    ``reports.rundir.REPORT_STEM``), so the name cannot drift between run, report and bundle."""
    import ast

    root = Path(__file__).resolve().parent.parent
    spelled = []
    for path in sorted([*(root / "reports").glob("*.py"), *(root / "riverdrill").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or getattr(node.func, "id", "") != "write_outputs":
                continue
            stems = [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "stem")]
            spelled += [f"{path.name}:{node.lineno}" for a in stems if isinstance(a, ast.Constant)]
    assert spelled == []


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


def _score_and_report(run: Path) -> tuple[Any, Any]:
    return _cli("score", str(run)), _cli("report", str(run), "--no-whatif")


def _first_problem(result: Any) -> str:
    return result.output.strip().splitlines()[0]


@pytest.mark.parametrize(
    "damage",
    ["changed scenario", "another scenario", "records", "cut short", "time goes back"],
)
def test_score_and_report_refuse_a_bad_run_directory_with_the_same_message(
    good: Path, tmp_path: Path, damage: str
) -> None:
    run = _copy(good, tmp_path)
    events = run / "events.jsonl"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    if damage == "changed scenario":
        _edit_json(run / "run.json", scenario_sha256="0" * 64)
    elif damage == "another scenario":
        _edit_json(run / "run.json", scenario=str(WUJIANG), scenario_sha256=sha256(WUJIANG))
    elif damage == "records":
        _edit_json(run / "run.json", records=len(lines) - 1)
    elif damage == "cut short":
        events.write_text("".join(lines[:-1]), encoding="utf-8")
    else:
        lines[40] = re.sub(r'"t_min":[0-9.]+', '"t_min":1.0', lines[40])
        events.write_text("".join(lines), encoding="utf-8")
    scored, reported = _score_and_report(run)
    assert (scored.exit_code, reported.exit_code) == (1, 1)
    assert _first_problem(scored) == _first_problem(reported)
    expected = {
        "changed scenario": f"{TUTORIAL}: the scenario file changed since the run",
        "another scenario": f"{events}:1:1: run_started.data.scenario: the log is of scenario "
        "'tutorial-qingshui', not 'wujiang-aniline",
        "records": f"{events}:{len(lines)}:1: the log has {len(lines)} records but run.json "
        f"counted {len(lines) - 1}",
        "cut short": f"{events}:{len(lines) - 1}:1: the log ends with seq {len(lines) - 2}",
        "time goes back": f"{events}:41:1: t_min: t_min(=1) is earlier than",
    }[damage]
    assert _first_problem(scored).startswith(expected)
    stored = (good / "scorecard.json").read_text(encoding="utf-8")
    assert (run / "scorecard.json").read_text(encoding="utf-8") == stored  # nothing written


def test_report_uses_the_custom_rubric_score_was_given(good: Path, tmp_path: Path) -> None:
    """``score --rubric FILE`` then ``report``: the report loads the rubric from that file."""
    run = _copy(good, tmp_path)
    bundled = Path(__file__).resolve().parent.parent / "scoring" / "rubrics" / "chongqing-2024.yaml"
    text = bundled.read_text(encoding="utf-8")
    custom = tmp_path / "rubrics" / "custom.yaml"
    custom.parent.mkdir()
    custom.write_text(re.sub(r"(?m)^id: .*$", "id: mass-test", text, count=1), encoding="utf-8")
    scored = _cli("score", str(run), "--rubric", str(custom))
    assert scored.exit_code == 0, scored.output
    reported = _cli("report", str(run), "--no-whatif")
    assert reported.exit_code == 0, reported.output
    card = Scorecard.read(run / "scorecard.json")
    inputs = load_run(run)
    assert inputs.rubric.id == "mass-test" and inputs.scorecard == card
    assert (card.rubric, card.rubric_source) == ("mass-test", str(custom.resolve()))


def test_report_code_restates_no_name_scoring_exports() -> None:
    """One default rubric, in one place: report modules import scoring's names (such as
    ``DEFAULT_RUBRIC``) instead of assigning a copy that could drift."""
    import ast

    import scoring

    exported = set(scoring.__all__)
    reports = Path(__file__).resolve().parent.parent / "reports"
    copies = []
    for path in sorted(reports.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            copies += [
                f"{path.name}:{node.lineno}: {t.id}"
                for t in targets
                if isinstance(t, ast.Name) and t.id in exported
            ]
    assert copies == []
