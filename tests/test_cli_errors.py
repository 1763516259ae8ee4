"""A file the system refuses is the user's to fix: one line naming it, exit 1, no traceback,
nothing half-written; and ``--lang`` is refused the same way by every command.

These go through ``riverdrill.cli.main`` (the console script), where system errors are mapped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import riverdrill.cli
from riverdrill.cli import app, main

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "library" / "tutorial.yaml"
FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"


def riverdrill_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int | str | None, str]:
    """Run the console script with ``args``: its exit code and what it printed on stderr."""
    monkeypatch.setattr(sys, "argv", ["riverdrill", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    return exited.value.code, err


def files_under(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


def test_run_into_an_existing_file_is_refused_before_the_drill_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sim.run

    def no_drill(*_: object, **__: object) -> None:
        raise AssertionError("the drill ran although --out could not be written")

    monkeypatch.setattr(sim.run, "run_drill", no_drill)
    taken = tmp_path / "taken"
    taken.write_text("mine\n", encoding="utf-8")
    code, err = riverdrill_main(
        monkeypatch, capsys, "run", str(TUTORIAL), "--team", "average", "--out", str(taken)
    )
    assert code == 1
    assert err.strip() == f"{taken}: exists and is not a directory; give a directory"
    assert taken.read_text(encoding="utf-8") == "mine\n"
    assert files_under(tmp_path) == {"taken": b"mine\n"}


def test_run_under_a_file_names_the_file_in_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes").write_text("x", encoding="utf-8")
    code, err = riverdrill_main(
        monkeypatch, capsys, "run", str(FIXTURE), "--team", "slow", "--out", "notes/run"
    )
    assert code == 1
    assert err.strip() == "notes: is a file, not a directory, so notes/run cannot be created"
    assert files_under(tmp_path) == {"notes": b"x"}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-errors") / "run"
    result = CliRunner().invoke(app, ["run", str(FIXTURE), "--team", "prompt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_under_a_file_is_refused_and_writes_nothing(
    run_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "somefile"
    blocker.write_text("x", encoding="utf-8")
    before = files_under(run_dir)
    code, err = riverdrill_main(
        monkeypatch, capsys, "report", str(run_dir), "--out", str(blocker / "x"), "--no-whatif"
    )
    assert code == 1
    assert (
        err.strip()
        == f"{blocker}: is a file, not a directory, so {blocker / 'x'} cannot be created"
    )
    assert files_under(tmp_path) == {"somefile": b"x"}
    assert files_under(run_dir) == before


def test_a_scorecard_that_cannot_be_written_is_one_line_and_leaves_no_partial_file(
    run_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A folder where scorecard.json should go: the system refuses the write mid-command."""
    copy = tmp_path / "run"
    copy.mkdir()
    for name in ("events.jsonl", "run.json"):
        (copy / name).write_bytes((run_dir / name).read_bytes())
    (copy / "scorecard.json").mkdir()
    code, err = riverdrill_main(monkeypatch, capsys, "score", str(copy))
    assert code == 1
    assert err.strip() == f"{copy / 'scorecard.json'}: cannot write: Is a directory"
    assert sorted(p.name for p in copy.iterdir()) == ["events.jsonl", "run.json", "scorecard.json"]


def test_new_in_a_folder_that_is_a_file_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("x", encoding="utf-8")
    code, err = riverdrill_main(monkeypatch, capsys, "new", "afile/drill.yaml")
    assert code == 1
    assert err.strip() == "afile/drill.yaml: cannot write: Not a directory"
    assert files_under(tmp_path) == {"afile": b"x"}


def test_msel_export_into_a_missing_folder_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = riverdrill_main(
        monkeypatch, capsys, "msel", "export", str(TUTORIAL), "-o", "no/x.csv"
    )
    assert code == 1
    assert err.strip() == "no/x.csv: cannot write: No such file or directory"
    assert files_under(tmp_path) == {}


def test_a_file_the_system_refuses_to_read_is_one_line_not_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused() -> None:
        raise PermissionError(13, "Permission denied", "run/events.jsonl")

    monkeypatch.setattr(riverdrill.cli, "app", refused)
    code, err = riverdrill_main(monkeypatch, capsys)
    assert code == 1
    assert err.strip() == "run/events.jsonl: cannot read: Permission denied"


def test_a_bug_is_still_reported_as_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        raise KeyError("x")

    monkeypatch.setattr(riverdrill.cli, "app", broken)
    monkeypatch.delenv("RIVERDRILL_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["riverdrill"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 3
    assert "internal error (KeyError" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["preview", str(TUTORIAL)],
        ["demo"],
        ["report", "run"],
        ["score", "run"],
    ],
    ids=lambda c: c[0],
)
def test_an_unknown_language_is_refused_alike_by_every_command(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [*command, "--lang", "fr"])
    assert result.exit_code == 2
    assert "Invalid value for '--lang': --lang(=fr) must be one of zh, en" in result.output
    assert list(tmp_path.iterdir()) == []  # refused before anything was read or written


def test_every_command_with_a_language_takes_the_same_option() -> None:
    import inspect
    from typing import get_type_hints

    from riverdrill.cli import demo_cmd, preview_cmd, report_cmd, score_cmd
    from riverdrill.cli.output import Lang, LangOption

    commands = (demo_cmd.demo, preview_cmd.preview, report_cmd.report, score_cmd.score)
    for command in commands:
        assert get_type_hints(command, include_extras=True)["lang"] == LangOption, command
        assert inspect.signature(command).parameters["lang"].default is Lang.zh
