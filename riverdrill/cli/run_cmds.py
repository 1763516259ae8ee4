"""Commands that run drills: ``run`` (a scenario with a driver → a run directory) and
``replay`` (run it again from its own records and check the log is byte-identical).

A run directory holds ``events.jsonl`` (the event log) and ``run.json`` (what was run: the
scenario's path and SHA-256, the seed, the driver and team). Later commands add the scorecard
and the report beside them, so :func:`execute_run` stays a small, reusable function.

Exit codes: 0 success; 1 bad input (invalid scenario or response log, an ``--out`` that is
not a directory one can write, a run directory that does not replay identically); 2 a usage
error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from riverdrill.cli.app import app
from riverdrill.cli.output import check_output_dir, console, errors, fail, fail_usage, writing
from scenarios.atomicfile import write_atomic
from sim.rundir import EVENTS_FILE, RUN_FILE, SCORECARD_FILE

if TYPE_CHECKING:
    from scenarios.schema import Scenario
    from sim.log import Log, Record
    from sim.run import Driver


@dataclass(frozen=True)
class RunResult:
    """A finished run: where it was written, what ran, and its log."""

    out: Path
    scenario: Scenario
    seed: int
    log: Log


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def make_driver(responses: Path | None, team: str | None, team_file: Path | None) -> Driver:
    """The driver the options ask for.

    Raises:
        InputError: If the response log or team profile file is invalid.
    """
    from sim.run import ResponseLogDriver, SimulatedTeamDriver

    if responses is not None:
        return ResponseLogDriver.from_file(responses)
    assert team is not None
    return SimulatedTeamDriver(team, profiles_path=team_file)


def execute_run(
    scenario_path: Path,
    out: Path,
    *,
    responses: Path | None = None,
    team: str | None = None,
    team_file: Path | None = None,
    seed: int | None = None,
) -> RunResult:
    """Load, run and write ``out/events.jsonl`` and ``out/run.json``.

    Raises:
        InputError: For a bad scenario, response log or profile, or an ``out`` that is not a
            directory one can write; nothing is written then.
        WriteFailed: If the system refuses to write ``out``.
    """
    from reports.runfiles import sha256_of
    from scenarios.load import load_scenario
    from sim.run import run_drill

    check_output_dir(out)  # before the drill: a bad --out must not cost a whole run
    scenario = load_scenario(scenario_path)
    driver = make_driver(responses, team, team_file)
    chosen = scenario.seed if seed is None else seed
    log = run_drill(scenario, chosen, driver)
    info: dict[str, Any] = {
        "scenario": str(scenario_path.resolve()),
        "scenario_id": scenario.id,
        "scenario_sha256": sha256_of(scenario_path),
        "seed": chosen,
        "driver": driver.name,
        "team": driver.team,
        "team_file": str(team_file.resolve()) if team_file else None,
        "responses": str(responses.resolve()) if responses else None,
        "responses_sha256": sha256_of(responses) if responses else None,
        "records": len(log),
    }
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
        log.write(out / EVENTS_FILE)
        _write_json(out / RUN_FILE, info)
    return RunResult(out, scenario, chosen, log)


_SHOWN = {
    "inject_delivered": "注入",
    "message_delivered": "消息",
    "action_taken": "行动",
    "action_refused": "拒绝",
    "request_refused": "拒绝",
    "task_completed": "完成",
    "task_failed": "失败",
    "truth_level": "定级",
}


def _describe(record: Record) -> str:
    data = record.data
    kind = record.kind.value
    if kind == "inject_delivered":
        return f"{data['inject']} ({data['channel']}): {data['text']['zh']}"
    if kind == "message_delivered":
        return f"← {data['from_cell']}: {data['text']['zh']}"
    if kind in ("action_taken", "action_refused"):
        action = data["action"]
        detail = " ".join(
            str(action[k])
            for k in ("to", "target", "agency", "task", "site", "channel", "level")
            if k in action
        )
        reason = f" — {data['reason']['zh']}" if kind == "action_refused" else ""
        return f"{action['kind']} {detail}{reason}"
    if kind in ("request_refused", "task_failed"):
        return f"{data['agency']} {data['task']} {data.get('site') or ''} — {data['reason']['zh']}"
    if kind == "task_completed":
        return f"{data['agency']} {data['task']} {data.get('site') or ''}"
    return f"{data.get('level') or '—'}"


def print_timeline(result: RunResult) -> None:
    """A short timeline of what the cells saw and did, and the truth's level."""
    from rich.table import Table

    from scenarios.types import format_duration

    table = Table(title=f"{result.scenario.title.zh} · seed {result.seed}", show_lines=False)
    for column in ("T+", "单元 cell", "", "内容 what"):
        table.add_column(column)
    for record in result.log:
        label = _SHOWN.get(record.kind.value)
        if label is None:
            continue
        when = format_duration(record.t_min)
        table.add_row(when, record.cell or "control", label, _describe(record))
    console.print(table)
    console.print(f"{len(result.log)} records → {result.out / EVENTS_FILE}", markup=False)


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="情景文件 · scenario file", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="输出目录 · run directory to write")],
    responses: Annotated[
        Path | None, typer.Option("--responses", help="应对记录 · response log (YAML)")
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="模拟队伍 · simulated team: prompt/average/slow/chaotic"),
    ] = None,
    team_file: Annotated[
        Path | None, typer.Option("--team-file", help="自定义队伍配置 · your own profiles YAML")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="随机种子 · default: the scenario's")
    ] = None,
) -> None:
    """运行推演 · Run a drill with a response log or a simulated team; write events.jsonl."""
    from scenarios.errors import InputError

    if (responses is None) == (team is None):
        fail_usage("give exactly one of --responses FILE or --team PROFILE")
    if seed is not None and seed < 0:
        fail_usage(f"--seed(={seed}) must be >= 0")
    try:
        result = execute_run(
            scenario, out, responses=responses, team=team, team_file=team_file, seed=seed
        )
        written = finish_run(result)
    except InputError as error:
        fail(error)
    print_timeline(result)
    for path in written:
        console.print(f"✓ {path}", markup=False, soft_wrap=True)


def finish_run(result: RunResult) -> list[Path]:
    """Score a fresh run and write its report: ``scorecard.json`` and ``report.html``.

    Raises:
        InputError: If the scenario's rubric cannot be loaded.
        WriteFailed: If the system refuses to write the run directory.
    """
    from reports import write_run_report
    from riverdrill.cli.score_cmd import score_directory

    score_directory(result.out)
    with writing(result.out):
        report = write_run_report(result.out, scenario=result.scenario)
    return [result.out / EVENTS_FILE, result.out / SCORECARD_FILE, *report.values()]


def replay_run(directory: Path, scenario: Path | None = None) -> tuple[Log, str]:
    """Re-run a run directory from its records; the new log and the recorded text.

    The directory is read with the checks ``riverdrill score`` and ``report`` make
    (``reports.runfiles.read_run``), so it is refused with the same words.

    Raises:
        InputError: If the directory, its ``run.json``, its scenario or its log cannot be
            read, the scenario file changed since the run, or ``run.json`` lacks what a
            replay needs (the seed, the driver and team).
    """
    from reports.runfiles import read_run
    from sim.run import ScriptDriver, SimulatedTeamDriver, replay_commands, run_drill

    run = read_run(directory, scenario)
    seed, name, team, team_file = _recorded(run.info, directory / RUN_FILE)
    driver: Driver
    if name == "team":
        assert team is not None  # _recorded requires it of a team's run
        driver = SimulatedTeamDriver(team, profiles_path=team_file)
    else:
        driver = ScriptDriver(replay_commands(run.log, run.scenario), name, team)
    log = run_drill(run.scenario, seed, driver)
    return log, run.events.read_text(encoding="utf-8")


def _recorded(info: dict[str, Any], path: Path) -> tuple[int, str, str | None, Path | None]:
    """The seed, driver, team and team file ``run.json`` recorded, checked.

    Raises:
        InputError: Naming ``run.json`` and each field that is missing or of the wrong type.
    """
    from scenarios.errors import InputError, Problem

    name = str(path)
    if not info:
        raise InputError.single(name, "no such file; a replay needs the seed and driver it records")
    problems: list[Problem] = []
    seed, driver, team, team_file = (
        info.get("seed"), info.get("driver", "live"), info.get("team"), info.get("team_file")
    )  # fmt: skip
    if seed is None:
        problems.append(Problem(name, 0, 0, "seed", "missing: a replay needs the run's seed"))
    elif type(seed) is not int or seed < 0:
        message = f"seed(={seed!r}) must be a whole number >= 0"
        problems.append(Problem(name, 0, 0, "seed", message))
    if not isinstance(driver, str) or not driver:
        problems.append(Problem(name, 0, 0, "driver", f"driver(={driver!r}) must be a name"))
    if team is not None and not isinstance(team, str):
        problems.append(Problem(name, 0, 0, "team", f"team(={team!r}) must be a text"))
    elif driver == "team" and not team:
        message = "missing: the run of a simulated team records its profile"
        problems.append(Problem(name, 0, 0, "team", message))
    if team_file is not None and (not isinstance(team_file, str) or not team_file):
        message = f"team_file(={team_file!r}) must be a path"
        problems.append(Problem(name, 0, 0, "team_file", message))
    if problems:
        raise InputError(problems)
    assert isinstance(seed, int) and isinstance(driver, str)  # checked above
    return seed, driver, team, Path(team_file) if team_file else None


@app.command()
def replay(
    directory: Annotated[Path, typer.Argument(help="运行目录 · run directory", show_default=False)],
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="情景文件 · instead of run.json's")
    ] = None,
) -> None:
    """复演 · Re-run a run directory from its records and check the log is byte-identical."""
    from scenarios.errors import InputError

    try:
        log, recorded = replay_run(directory, scenario)
    except InputError as error:
        fail(error)
    fresh = log.to_jsonl()
    if fresh == recorded:
        console.print(f"✓ identical: {len(log)} records", markup=False)
        return
    old_lines, new_lines = recorded.splitlines(), fresh.splitlines()
    differing = [
        n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1) if a != b
    ]
    number = differing[0] if differing else min(len(old_lines), len(new_lines)) + 1
    errors.print(f"{directory / EVENTS_FILE}:{number}: replay differs", markup=False)
    errors.print(
        f"  recorded: {old_lines[number - 1] if number <= len(old_lines) else '(end)'}",
        markup=False,
    )
    errors.print(
        f"  replayed: {new_lines[number - 1] if number <= len(new_lines) else '(end)'}",
        markup=False,
    )
    raise typer.Exit(1)
