"""``riverdrill run`` writes a run directory; ``riverdrill replay`` re-runs it byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from riverdrill.cli import app

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"
invoke = CliRunner().invoke

RESPONSES = """\
team: east-a
cell: district
actions:
  - {at: 35min, kind: report, to: city-eeb, channel: phone, level: III}
  - {at: 50min, kind: request, agency: east-eeb, task: monitoring, site: intake}
"""


def test_run_with_a_team_writes_the_log_and_what_was_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = invoke(
        app, ["run", str(FIXTURE), "--team", "average", "--seed", "7", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (info["seed"], info["driver"], info["team"]) == (7, "team", "average")
    assert info["scenario"] == str(FIXTURE.resolve()) and len(info["scenario_sha256"]) == 64
    lines = (out / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == info["records"]
    assert json.loads(lines[0])["kind"] == "run_started"
    assert "first-call" in result.output


def test_the_seed_defaults_to_the_scenarios(tmp_path: Path) -> None:
    invoke(app, ["run", str(FIXTURE), "--team", "slow", "--out", str(tmp_path)])
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["seed"] == 11


def test_replay_of_a_run_directory_is_byte_identical(tmp_path: Path) -> None:
    responses = tmp_path / "responses.yaml"
    responses.write_text(RESPONSES, encoding="utf-8")
    for name, driver in (
        ("team", ["--team", "chaotic"]),
        ("paper", ["--responses", str(responses)]),
    ):
        out = tmp_path / name
        assert invoke(app, ["run", str(FIXTURE), *driver, "--out", str(out)]).exit_code == 0
        replay = invoke(app, ["replay", str(out)])
        assert replay.exit_code == 0, replay.output
        assert "identical" in replay.output


def test_replay_names_the_first_line_that_differs(tmp_path: Path) -> None:
    invoke(app, ["run", str(FIXTURE), "--team", "prompt", "--out", str(tmp_path)])
    events = tmp_path / "events.jsonl"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [n for n, line in enumerate(lines) if '"inject":"first-call"' in line]
    lines[number] = lines[number].replace('"t_min":30.0', '"t_min":31.0')
    events.write_text("".join(lines), encoding="utf-8")
    result = invoke(app, ["replay", str(tmp_path)])
    assert result.exit_code == 1
    assert f"events.jsonl:{number + 1}: replay differs" in result.output


def test_a_bad_response_log_fails_with_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    responses = tmp_path / "responses.yaml"
    responses.write_text(
        RESPONSES.replace("east-eeb", "nobody").replace("city-eeb", "x"), encoding="utf-8"
    )
    out = tmp_path / "run"
    result = invoke(app, ["run", str(FIXTURE), "--responses", str(responses), "--out", str(out)])
    assert result.exit_code == 1
    assert "responses.yaml:4:" in result.output and "responses.yaml:5:" in result.output
    assert not out.exists()


def test_run_needs_exactly_one_driver(tmp_path: Path) -> None:
    assert invoke(app, ["run", str(FIXTURE), "--out", str(tmp_path)]).exit_code == 2
    both = ["run", str(FIXTURE), "--team", "slow", "--responses", "x.yaml", "--out", str(tmp_path)]
    assert invoke(app, both).exit_code == 2


def test_an_unknown_profile_or_missing_directory_is_bad_input(tmp_path: Path) -> None:
    result = invoke(app, ["run", str(FIXTURE), "--team", "heroic", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "heroic" in result.output
    for where in (tmp_path / "nowhere", FIXTURE, tmp_path):
        replay = invoke(app, ["replay", str(where)])
        assert replay.exit_code == 1
        assert replay.exception is None or isinstance(replay.exception, SystemExit)  # no crash
        assert "run directory" in replay.output or "no such file" in replay.output


def _run_json(tmp_path: Path, text: str) -> Path:
    """A run directory of the fixture whose run.json is replaced by ``text``."""
    out = tmp_path / "run"
    assert invoke(app, ["run", str(FIXTURE), "--team", "slow", "--out", str(out)]).exit_code == 0
    (out / "run.json").write_text(text, encoding="utf-8")
    return out


def _refusal(args: list[str]) -> str:
    result = invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no crash
    return result.output


def test_replay_refuses_a_run_json_that_is_not_an_object_as_score_and_report_do(
    tmp_path: Path,
) -> None:
    for text, expected in (
        ("[]", "run.json: expected a JSON object"),
        ("{}", "run.json: scenario: names no scenario; give the scenario with --scenario PATH"),
    ):
        out = _run_json(tmp_path, text)
        replayed = _refusal(["replay", str(out)])
        assert replayed == f"{out}/{expected}\n"
        assert _refusal(["score", str(out)]) == replayed
        assert _refusal(["report", str(out), "--no-whatif"]) == replayed
        for name in ("run.json", "events.jsonl"):
            assert (out / name).exists()
        shutil.rmtree(out)


def test_replay_names_a_missing_or_mistyped_seed_in_run_json(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert invoke(app, ["run", str(FIXTURE), "--team", "slow", "--out", str(out)]).exit_code == 0
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    for seed, message in (
        (None, "seed: missing: a replay needs the run's seed"),
        ("11", "seed: seed(='11') must be a whole number >= 0"),
        (True, "seed: seed(=True) must be a whole number >= 0"),
        (-1, "seed: seed(=-1) must be a whole number >= 0"),
    ):
        changed = {k: v for k, v in info.items() if k != "seed"}
        if seed is not None:
            changed["seed"] = seed
        (out / "run.json").write_text(json.dumps(changed), encoding="utf-8")
        assert _refusal(["replay", str(out)]) == f"{out / 'run.json'}: {message}\n"


def test_replay_names_every_bad_field_of_run_json_at_once(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert invoke(app, ["run", str(FIXTURE), "--team", "slow", "--out", str(out)]).exit_code == 0
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    bad = info | {"seed": 1.5, "team": None, "team_file": 3}
    (out / "run.json").write_text(json.dumps(bad), encoding="utf-8")
    lines = _refusal(["replay", str(out)]).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["seed", "team", "team_file"]
