"""The competition bundle: every team's report, a leaderboard page and an index, in one folder.

``write_bundle(run_dirs, out)`` checks every run first (all problems at once, nothing written
on bad input), scores them, writes each team's report in a process pool (reports are
independent; the what-if re-runs dominate the cost), then the leaderboard and ``index.html``.
Every page is self-contained and links to the others by relative paths, so the folder can be
copied to a USB stick and opened on an intranet machine.

``riverdrill demo`` (``riverdrill/cli/demo_cmd.py``) runs the demo competition and calls this.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from reports.build import VERSION
from reports.html import render_index, render_leaderboard, write_html
from reports.i18n import Messages
from reports.rundir import (
    REPORT_STEM,
    RunInputs,
    check_formats,
    load_run,
    report_of,
    scenario_file,
    write_outputs,
)
from reports.timecharts import LatencyRow, latency_chart
from reports.viewmodel import BoardRow, Chart, IndexEntry, KeyValue, Leaderboard
from scenarios.atomicfile import write_atomic
from scenarios.errors import InputError, Problem
from scenarios.schema import Scenario
from scoring.leaderboard import CriterionComparison, leaderboard
from scoring.scorecard import Scorecard

Progress = Callable[[int, int, str], None]
"""Called as ``(done, total, team)`` after each team's report is written."""


@dataclass(frozen=True)
class Bundle:
    """What a bundle wrote."""

    out: Path
    index: Path
    leaderboard: Path
    reports: dict[str, dict[str, Path]]
    """Team → format → path."""


def _slug(team: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", team).strip("-.") or "team"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _scenario(path: str | None) -> Scenario | None:
    return None if path is None else scenario_file(Path(path))


def _load_all(
    run_dirs: Sequence[Path], scenario: str | None, rubric: str | None
) -> list[RunInputs]:
    """Every run loaded and checked; every problem of every run reported together."""
    problems: list[Problem] = []
    loaded: list[RunInputs] = []
    chosen = _scenario(scenario)
    for run_dir in run_dirs:
        try:
            loaded.append(load_run(Path(run_dir), scenario=chosen, rubric=rubric))
        except InputError as error:
            problems.extend(error.problems)
    if not problems and loaded:
        ids = {i.scenario.id for i in loaded}
        if len(ids) > 1:
            listed = ", ".join(f"{i.run_dir.name}: {i.scenario.id}" for i in loaded)
            problems.append(
                Problem(
                    "report",
                    0,
                    0,
                    "",
                    f"runs of different scenarios cannot share a leaderboard ({listed})",
                )
            )
    if not loaded and not problems:
        problems.append(Problem("report", 0, 0, "", "no run directories given"))
    if problems:
        raise InputError(problems)
    return loaded


Job = tuple[str, str, str, tuple[str, ...], bool, str, str | None, str | None]
"""run dir, out dir, lang, formats, what-if, timestamp, scenario path, rubric."""


def _one_team(job: Job) -> tuple[str, dict[str, Path]]:
    """Worker: load one run again (cheap, and only paths cross the process boundary) and
    write its report."""
    run_dir, out_dir, lang, formats, whatif, stamp, scenario, rubric = job
    inputs = load_run(Path(run_dir), scenario=_scenario(scenario), rubric=rubric)
    when = datetime.fromisoformat(stamp)
    report = report_of(inputs, lang, whatif=whatif, generated_at=when)
    return run_dir, write_outputs(report, Path(out_dir), REPORT_STEM, formats, created=when)


def _context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it: workers inherit the imported modules and the parsed
    scenario and rubric (spawn would re-import everything, ~1.5 s per worker). Explicit,
    because importing Mesa switches the process-wide default to spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _pts(value: float | None, msgs: Messages) -> str:
    return msgs.t("common.none") if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def board_view(
    cards: Sequence[Scorecard],
    hrefs: dict[str, str],
    lang: str,
    scenario_title: str,
    generated: str,
) -> Leaderboard:
    """The leaderboard page's view model from the teams' scorecards."""
    msgs = Messages(lang)
    board = leaderboard(cards)
    compared = board.criteria
    criteria = tuple(KeyValue(str(i + 1), c.name.get(lang)) for i, c in enumerate(compared))
    by_team = {card.team or "": card for card in cards}
    rows = []
    for standing in board.standings:
        points, status = [], []
        for c in compared:
            result = next((r for r in c.results if r.team == standing.team), None)
            points.append(_pts(result.points_earned, msgs) if result else "")
            status.append(result.status.value if result else "")
        rows.append(
            BoardRow(
                rank=standing.rank,
                team=standing.team,
                total=f"{_pts(standing.points_earned, msgs)} / {_pts(standing.points_max, msgs)}",
                percent=f"{standing.score_100:.1f}",
                missed=str(standing.missed_limits),
                latency=msgs.duration(standing.median_latency_min),
                href=hrefs.get(standing.team, ""),
                points=tuple(points),
                status=tuple(status),
            )
        )
    first = next(iter(by_team.values()))
    return Leaderboard(
        lang=lang,
        title=msgs.t("leaderboard.title", scenario=scenario_title),
        scenario=scenario_title,
        rubric=first.rubric_name.get(lang),
        teams=len(cards),
        criteria=criteria,
        rows=tuple(rows),
        latency=_latency_chart(cards, compared, lang, msgs),
        generated=generated,
    )


def _latency_chart(
    cards: Sequence[Scorecard],
    compared: Sequence[CriterionComparison],
    lang: str,
    msgs: Messages,
) -> Chart | None:
    """How long each team took on each timed or coverage criterion that applied, against its
    limit; None when no such criterion applied."""
    timed = [
        c
        for c in compared
        if c.kind in ("timed", "coverage")
        and any(r.status.value not in ("not_applicable", "pending") for r in c.results)
    ]
    latency_rows = [
        LatencyRow(
            f"{compared.index(c) + 1}. {c.name.get(lang)}",
            _limit(cards, c.criterion, c.cell),
            tuple(
                (r.team, r.elapsed_min if r.status.value in ("met", "late") else None)
                for r in c.results
                if r.status.value not in ("not_applicable", "pending")
            ),
        )
        for c in timed
    ]
    return (
        Chart(Markup(latency_chart(latency_rows, msgs)), msgs.t("leaderboard.latency_caption"))
        if latency_rows
        else None
    )


def _limit(cards: Sequence[Scorecard], criterion: str, cell: str) -> float | None:
    """The criterion's limit as the scorecards state it (the most common value across teams:
    a deadline relative to the truth can differ a little between teams)."""
    limits = [
        line.limit_min
        for card in cards
        for c, line in card.lines()
        if line.id == criterion and c == cell and line.limit_min is not None
    ]
    return max(set(limits), key=limits.count) if limits else None


def write_bundle(
    run_dirs: Sequence[Path],
    out: Path,
    *,
    lang: str = "zh",
    formats: Sequence[str] = ("html",),
    whatif: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
    scenario: Path | None = None,
    rubric: str | None = None,
) -> Bundle:
    """Write every team's report, ``leaderboard.html`` and ``index.html`` into ``out``.

    Args:
        run_dirs: The teams' run directories (one scenario, one rubric).
        out: The bundle folder (created).
        lang: ``zh`` or ``en``.
        formats: Report formats per team (``html``, ``docx``, ``pdf``).
        whatif: Include the what-if re-runs in every report.
        workers: Processes for the reports; default the CPU count (1 runs in-process).
        progress: Called after each team's report.
        scenario: The scenario file, instead of each run's ``run.json``.
        rubric: Rubric id or path, instead of each scorecard's.

    Raises:
        InputError: For any bad run directory, mixed scenarios or an unknown format; every
            problem is listed and nothing is written.
    """
    check_formats(formats)
    scenario_text = str(scenario) if scenario is not None else None
    loaded = _load_all(run_dirs, scenario_text, rubric)
    out = Path(out)
    teams = _teams(loaded)
    now = datetime.now().astimezone()
    jobs: list[Job] = [
        (
            str(team.inputs.run_dir),
            str(out / team.folder),
            lang,
            tuple(formats),
            whatif,
            now.isoformat(),
            scenario_text,
            rubric,
        )
        for team in teams
    ]
    written = _write_reports(jobs, workers, progress)
    msgs = Messages(lang)
    title = loaded[0].scenario.title.get(lang)
    generated = msgs.t("common.generated", when=now.strftime("%Y-%m-%d %H:%M"), version=VERSION)
    # By name, which _teams made unique within the bundle: what the leaderboard's rows link to.
    hrefs = {team.name: f"{team.folder}/{REPORT_STEM}.html" for team in teams}
    board = _write_leaderboard(out, [team.card for team in teams], hrefs, lang, title, generated)
    entries = [
        IndexEntry(
            team.name,
            hrefs[team.name],
            tuple(
                KeyValue(fmt, f"{team.folder}/{path.name}")
                for fmt, path in written[str(team.inputs.run_dir)].items()
            ),
        )
        for team in teams
    ]
    index = write_html(
        render_index(lang, msgs.t("leaderboard.index_title"), title, entries, generated),
        out / "index.html",
    )
    reports = {team.name: written[str(team.inputs.run_dir)] for team in teams}
    return Bundle(out, index, board, reports)


def _write_leaderboard(
    out: Path,
    cards: Sequence[Scorecard],
    hrefs: dict[str, str],
    lang: str,
    title: str,
    generated: str,
) -> Path:
    """``leaderboard.html`` (rows linking to ``hrefs``) and the ranking as ``leaderboard.json``."""
    board = board_view(cards, hrefs, lang, title, generated)
    path = write_html(render_leaderboard(board), out / "leaderboard.html")
    write_atomic(out / "leaderboard.json", leaderboard(cards).to_json())
    return path


@dataclass(frozen=True)
class _Team:
    """One team of the bundle: its run, its name in the bundle, its scorecard under that name,
    and its report folder (``teams/<slug>``)."""

    inputs: RunInputs
    name: str
    card: Scorecard
    folder: str


def _teams(loaded: Sequence[RunInputs]) -> list[_Team]:
    """The teams in run order, each named by its scorecard (else its run directory).

    Names are made unique within the bundle: two runs of one simulated profile are both
    ``average``, and the leaderboard ranks, compares and links teams by name. The second
    becomes ``average-2`` (as its folder), on the leaderboard and in the index; its own
    report keeps the name of its run.
    """
    taken: set[str] = set()
    names: set[str] = set()
    teams = []
    for inputs in loaded:
        name = inputs.scorecard.team or inputs.run_dir.name
        unique, n = name, 2
        while unique in names:
            unique, n = f"{name}-{n}", n + 1
        names.add(unique)
        card = inputs.scorecard
        if unique != card.team:
            card = card.model_copy(update={"team": unique})
        teams.append(_Team(inputs, unique, card, f"teams/{_slug(unique, taken)}"))
    return teams


def _write_reports(
    jobs: Sequence[Job], workers: int | None, progress: Progress | None
) -> dict[str, dict[str, Path]]:
    """Every team's report, in ``workers`` processes (default: one per CPU, up to one per
    team; 1 writes them here); run directory → format → path."""
    written: dict[str, dict[str, Path]] = {}
    count = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    with (
        ProcessPoolExecutor(max_workers=count, mp_context=_context())
        if count > 1
        else nullcontext()
    ) as pool:
        results = pool.map(_one_team, jobs) if pool is not None else map(_one_team, jobs)
        for n, (run_dir, paths) in enumerate(results, start=1):
            written[run_dir] = paths
            if progress:
                progress(n, len(jobs), run_dir)
    return written


__all__ = ["Bundle", "board_view", "write_bundle"]
