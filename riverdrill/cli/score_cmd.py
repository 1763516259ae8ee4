"""``riverdrill score``: score run directories under a rubric; several make a leaderboard.

Reads ``RUN_DIR/events.jsonl`` (refusing a truncated or edited log) and ``RUN_DIR/run.json``
(the scenario's path and SHA-256, written by ``riverdrill run``) with the checks ``riverdrill
report`` makes (``reports.runfiles``), writes ``RUN_DIR/scorecard.json`` (stamped with the log's
SHA-256 and where the rubric was read) and prints a table (or JSON). Nothing is written unless
every run directory, and the judges' sheet, is good. Scoring never re-runs the drill, so an
old log can be rescored under another rubric: ``--rubric national-2011``.

Exit codes: 0 success; 1 bad input (a run directory, rubric, judges' sheet or overrides file
that cannot be read or does not fit); 2 a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from riverdrill.cli.app import app
from riverdrill.cli.output import Lang, LangOption, check_output_dir, console, fail, writing
from scenarios.atomicfile import write_atomic
from sim.rundir import SCORECARD_FILE

if TYPE_CHECKING:
    from scenarios.schema import Scenario
    from scoring import JudgeSheet, Leaderboard, Overrides, Rubric, Scorecard

_STATUS_ZH = {
    "met": "达标",
    "late": "超时",
    "partial": "部分",
    "missed": "未完成",
    "not_applicable": "不适用",
    "pending": "待评",
}
_STATUS_STYLE = {"met": "green", "late": "yellow", "partial": "yellow", "missed": "red"}


def run_scenario(directory: Path, scenario_path: Path | None = None) -> Scenario:
    """The scenario a run directory played: ``--scenario`` if given, else ``run.json``'s.

    Raises:
        InputError: when neither is there, the file is gone or changed since the run.
    """
    from reports import runfiles
    from scenarios.load import load_scenario

    if scenario_path is not None:
        return load_scenario(scenario_path)
    return load_scenario(runfiles.scenario_path(directory, runfiles.read_info(directory)))


def score_one(
    directory: Path,
    rubric: Rubric | None = None,
    judges: JudgeSheet | None = None,
    overrides: Overrides | None = None,
    scenario_path: Path | None = None,
) -> Scorecard:
    """Score one run directory (nothing written): its log checked as ``riverdrill report``
    checks it (``reports.runfiles.read_run``), the scorecard stamped with the log's SHA-256.

    Raises:
        InputError: for anything that cannot be read or does not fit.
    """
    from reports.runfiles import read_run
    from scoring import DEFAULT_RUBRIC, load_rubric, score_run

    run = read_run(directory, scenario_path)
    chosen = rubric or load_rubric(run.scenario.rubric or DEFAULT_RUBRIC)
    return score_run(run.scenario, chosen, run.log, judges, overrides, log_sha256=run.log_sha256)


def write_scorecard(directory: Path, card: Scorecard) -> Path:
    """Write ``directory/scorecard.json`` atomically (a failure leaves no partial file).

    Raises:
        WriteFailed: If the system refuses to write it.
    """
    out = directory / SCORECARD_FILE
    with writing(out):
        write_atomic(out, card.to_json())
    return out


def score_directory(
    directory: Path,
    rubric: Rubric | None = None,
    judges: JudgeSheet | None = None,
    overrides: Overrides | None = None,
    scenario_path: Path | None = None,
) -> Scorecard:
    """Score one run directory and write its ``scorecard.json``.

    Args:
        directory: The run directory.
        rubric: The rubric; default the scenario's ``rubric``, else chongqing-2024.
        judges: The judges' sheet, if any.
        overrides: Capability-rating overrides, if any.
        scenario_path: The scenario, when the directory has no ``run.json``.

    Raises:
        InputError: for anything that cannot be read or does not fit.
    """
    card = score_one(directory, rubric, judges, overrides, scenario_path)
    write_scorecard(directory, card)
    return card


def print_scorecard(card: Scorecard, lang: str) -> None:
    """The scorecard as tables: one per cell with a line per criterion, then capabilities and
    the total. The explanation names the criterion, so it gets the width."""
    from rich.table import Table

    console.print(f"{card.rubric_name.get(lang)} · {card.team or '—'} · {card.scenario}")
    for card_cell in card.cells:
        name = card_cell.name.get(lang) if card_cell.name else card_cell.cell
        table = Table(title=f"{name} ({card_cell.cell})", expand=True)
        table.add_column("状态 status", no_wrap=True)
        table.add_column("得分 points", no_wrap=True, justify="right")
        table.add_column("说明 why", ratio=1, overflow="fold")
        for line in card_cell.criteria:
            status = line.status.value
            shown = _STATUS_ZH[status] if lang == "zh" else status
            style = _STATUS_STYLE.get(status, "dim")
            points = "—" if line.points_earned is None else f"{line.points_earned:g}"
            table.add_row(
                f"[{style}]{shown}[/]", f"{points}/{line.points_max:g}", line.explanation.get(lang)
            )
        for p in card_cell.penalties:
            if p.occurrences:
                shown = "扣分" if lang == "zh" else "penalty"
                table.add_row(
                    f"[red]{shown}[/]", f"−{p.points_deducted:g}", p.explanation.get(lang)
                )
        console.print(table)
    ratings = Table(title="能力评级 capability ratings (P/S/M/U)")
    for column in ("单元 cell", "能力 capability", "得分 points", "建议 suggested", "评级 rating"):
        ratings.add_column(column)
    for card_cell in card.cells:
        for cap in card_cell.capabilities:
            note = f" ({cap.override_reason})" if cap.override_reason else ""
            ratings.add_row(
                card_cell.cell,
                cap.capability.value,
                f"{cap.points_earned:g}/{cap.points_max:g}",
                cap.suggested.value if cap.suggested else "—",
                (cap.rating.value if cap.rating else "—") + note,
            )
    console.print(ratings)
    level = card.truth.level.value if card.truth.level else "—"
    console.print(
        f"实际级别 true level: {level} · 总分 total: {card.points_earned:g}/{card.points_max:g}"
        f" = {card.score_100:g}/100" + ("" if card.complete else " (待评委评分 judges pending)"),
        markup=False,
    )
    for missing in card.missing_judge_scores:
        console.print(f"  缺评委评分 missing judge score: {missing}", markup=False)


def print_leaderboard(board: Leaderboard, lang: str) -> None:
    """The ranking, then latency statistics per criterion across teams."""
    from rich.table import Table

    table = Table(title=f"排名 leaderboard · {board.rubric}")
    for column in ("名次 rank", "队伍 team", "得分 /100", "超时项 missed", "中位时延 median min"):
        table.add_column(column)
    for s in board.standings:
        latency = "—" if s.median_latency_min is None else f"{s.median_latency_min:g}"
        mark = "" if s.complete else " *"
        table.add_row(str(s.rank), s.team, f"{s.score_100:g}{mark}", str(s.missed_limits), latency)
    console.print(table)
    stats = Table(title="各项时延 latency per criterion (min)")
    for column in (
        "评分项 criterion",
        "单元 cell",
        "中位 median",
        "最快 min",
        "最慢 max",
        "达标率 met",
    ):
        stats.add_column(column)
    for c in board.criteria:
        if c.kind not in ("timed", "coverage"):
            continue
        lat = c.latency

        def fmt(value: float | None) -> str:
            return "—" if value is None else f"{value:g}"

        share = "—" if lat.share_met is None else f"{lat.share_met:.0%}"
        stats.add_row(c.name.get(lang), c.cell, fmt(lat.median_min), fmt(lat.min_min),
                      fmt(lat.max_min), share)  # fmt: skip
    console.print(stats)


@app.command()
def score(
    run_dirs: Annotated[
        list[Path], typer.Argument(help="运行目录 · run directories", show_default=False)
    ],
    rubric: Annotated[
        str | None,
        typer.Option(
            "--rubric", help="评分细则 id 或路径 · rubric id or path (default: the scenario's)"
        ),
    ] = None,
    judges: Annotated[
        Path | None, typer.Option("--judges", help="评委评分表 · judges' sheet (CSV/XLSX)")
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option("--overrides", help="评估员评级调整 · rating overrides (YAML/JSON)"),
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="情景文件（无 run.json 时）· scenario file")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON · print JSON")] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """评分 · Score run directories; write scorecard.json; several give a leaderboard."""
    from scenarios.errors import InputError
    from scoring import leaderboard, load_overrides, load_rubric, read_judges
    from scoring.judges import check_teams

    try:
        chosen = load_rubric(rubric) if rubric else None
        if judges is not None and chosen is None:
            chosen = _rubric_of(run_dirs[0], scenario)
        sheet = read_judges(judges, chosen) if judges is not None and chosen else None
        if sheet is not None and not sheet.has_team and len(run_dirs) > 1:
            raise InputError.single(
                str(judges), f"no team column, but {len(run_dirs)} runs are scored; add one", line=1
            )
        extra = load_overrides(overrides) if overrides is not None else None
        cards = _score_all(run_dirs, chosen, sheet, extra, scenario)
        if sheet is not None:
            check_teams(sheet, [card.team for card in cards])
        for directory in run_dirs:  # all of them, before the first scorecard is written
            check_output_dir(directory)
        for directory, card in zip(run_dirs, cards, strict=True):
            write_scorecard(directory, card)
        board = leaderboard(cards) if len(cards) > 1 else None
    except InputError as error:
        fail(error)
    if as_json:
        text = board.to_json() if board is not None else cards[0].to_json()
        typer.echo(text, nl=False)
        return
    if board is None:
        print_scorecard(cards[0], lang)
    else:
        print_leaderboard(board, lang)


def _score_all(
    run_dirs: list[Path],
    rubric: Rubric | None,
    sheet: JudgeSheet | None,
    overrides: Overrides | None,
    scenario: Path | None,
) -> list[Scorecard]:
    """Every run scored; the problems of every run reported together."""
    from scenarios.errors import InputError

    cards, problems = [], []
    for directory in run_dirs:
        try:
            cards.append(score_one(directory, rubric, sheet, overrides, scenario))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return cards


def _rubric_of(directory: Path, scenario_path: Path | None) -> Rubric:
    """The rubric a run's scenario names (needed to check a judges' sheet)."""
    from scoring import DEFAULT_RUBRIC, load_rubric

    return load_rubric(run_scenario(directory, scenario_path).rubric or DEFAULT_RUBRIC)
