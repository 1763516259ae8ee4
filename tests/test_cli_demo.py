"""``riverdrill demo`` and ``riverdrill run``: runs scored and reported end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from riverdrill.cli import app
from riverdrill.cli.demo_cmd import LIBRARY, run_demo


def test_demo_competition_writes_runs_scorecards_reports_and_a_leaderboard(tmp_path: Path) -> None:
    board = run_demo(tmp_path / "demo", LIBRARY / "tutorial.yaml", ("prompt", "slow"))
    assert board == tmp_path / "demo" / "leaderboard.html"
    html = board.read_text(encoding="utf-8")
    for team in ("prompt", "slow"):
        run_dir = tmp_path / "demo" / "runs" / team
        card = json.loads((run_dir / "scorecard.json").read_text(encoding="utf-8"))
        assert card["team"] == team
        assert team in html
    scores = {
        team: json.loads(
            (tmp_path / "demo" / "runs" / team / "scorecard.json").read_text(encoding="utf-8")
        )["score_100"]
        for team in ("prompt", "slow")
    }
    assert scores["prompt"] > scores["slow"], "the leaderboard separates a prompt team"


def test_run_writes_events_scorecard_and_report(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(
        app, ["run", str(LIBRARY / "tutorial.yaml"), "--team", "average", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {
        "events.jsonl",
        "run.json",
        "scorecard.json",
        "report.html",
    }
    assert "<html" in (out / "report.html").read_text(encoding="utf-8")


def test_demo_with_an_unknown_profile_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--teams", "heroic"])
    assert result.exit_code == 1
    assert "heroic" in result.output
