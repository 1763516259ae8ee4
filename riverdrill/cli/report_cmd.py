"""The ``report`` command: after-action reports (复盘报告) of one run or of a competition.

``riverdrill report RUN_DIR`` writes ``report.html`` beside the run's ``events.jsonl``;
``riverdrill report RUN_DIR... --out DIR`` writes every team's report, a leaderboard page and
an ``index.html`` into DIR. Heavy libraries load inside the command.

Run directories are read with the checks ``riverdrill score`` makes (``reports.runfiles``): a
truncated or edited log, a changed scenario file and a log of another scenario are refused with
the same messages; ``scorecard.json`` is used only when it was scored from this very log, and
``whatif.json``/``curves.json`` (stored by ``riverdrill run``) only when computed from these
very inputs — else they are recomputed and stored again (``reports.stored``). A single run's
Word report draws its charts in a forked worker (``reports.chartworker``).

Exit codes: 0 success; 1 bad input (a missing, truncated or tampered log, a log of another
scenario, a changed scenario file), or no PDF engine for ``--format pdf`` / no Chinese font for
``--format docx``; 2 a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from riverdrill.cli.app import app
from riverdrill.cli.output import (
    Lang,
    LangOption,
    check_output_dir,
    console,
    errors,
    fail,
    fail_usage,
    writing,
)

if TYPE_CHECKING:
    from reports.bundle import Bundle

FORMATS = ("html", "docx", "pdf")


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        fail_usage(f"--format(={text}) must be a comma list of {', '.join(FORMATS)}")
    return chosen


@app.command()
def report(
    run_dirs: Annotated[
        list[Path],
        typer.Argument(
            help="运行目录 · run directories (riverdrill run --out DIR)", show_default=False
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出目录 · output folder (needed for several runs)"),
    ] = None,
    lang: LangOption = Lang.zh,
    format: Annotated[
        str, typer.Option("--format", help="格式 · comma list of html, docx, pdf")
    ] = "html",
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="情景文件 · instead of run.json's")
    ] = None,
    rubric: Annotated[
        str | None, typer.Option("--rubric", help="评分细则 · rubric id or file")
    ] = None,
    no_whatif: Annotated[
        bool, typer.Option("--no-whatif", help="不做假设推演 · skip the what-if re-runs")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", help="并行进程数 · processes (default: CPUs)")
    ] = None,
) -> None:
    """复盘报告 · After-action reports: one run, or a competition bundle with a leaderboard."""
    from scenarios.errors import InputError

    formats = _formats(format)
    if jobs is not None and jobs < 1:
        fail_usage(f"--jobs(={jobs}) must be >= 1")
    if len(run_dirs) > 1 and out is None:
        fail_usage("several run directories need --out DIR for the bundle")
    if "pdf" in formats:
        from reports.pdf import unavailable

        reason = unavailable()
        if reason is not None:
            errors.print(f"pdf: {reason}", markup=False, soft_wrap=True)
            raise typer.Exit(1)
    from reports.chartworker import fork_available

    # One Word report draws its charts in a forked worker, which also checks the font (see
    # _single); otherwise check it here, before any work.
    charts_forked = len(run_dirs) == 1 and "docx" in formats and fork_available()
    if "docx" in formats and not charts_forked:
        _check_font()
    try:
        # Where the reports go, checked before any work: --out, else beside the run's log.
        if out is not None:
            check_output_dir(out)
        elif run_dirs[0].is_dir():
            check_output_dir(run_dirs[0])
        if len(run_dirs) == 1:
            _single(run_dirs[0], out, lang, formats, scenario, rubric, not no_whatif, charts_forked)
        else:
            assert out is not None
            bundle_with_progress(
                run_dirs, out, lang, formats, scenario, rubric, not no_whatif, jobs
            )
    except InputError as error:
        fail(error)


def _check_font() -> None:
    """Exit 1 when no Chinese font can draw the Word charts."""
    from reports.raster import FontMissing, cjk_font

    try:
        cjk_font()
    except FontMissing as missing:
        _no_font(str(missing))


def _no_font(why: str) -> NoReturn:
    errors.print(f"docx: {why}", markup=False, soft_wrap=True)
    raise typer.Exit(1)


def _single(
    run_dir: Path,
    out: Path | None,
    lang: str,
    formats: tuple[str, ...],
    scenario: Path | None,
    rubric: str | None,
    whatif: bool,
    charts_forked: bool = False,
) -> None:
    from contextlib import nullcontext
    from datetime import datetime

    from reports.chartworker import ChartWorker

    # Forked first, before the heavy imports below: the worker loads matplotlib on the other
    # core while this process reads the run and builds the report.
    with ChartWorker(lang) if charts_forked else nullcontext() as worker:
        from reports.rundir import REPORT_STEM, load_run, report_of, write_outputs
        from scenarios.load import load_scenario

        loaded = load_scenario(scenario) if scenario is not None else None
        inputs = load_run(run_dir, scenario=loaded, rubric=rubric)
        if inputs.rescored:
            console.print(f"! {inputs.rescored}", markup=False, soft_wrap=True)
        now = datetime.now().astimezone()
        report = report_of(
            inputs,
            lang,
            whatif=whatif,
            generated_at=now,
            charts_ready=worker.draw if worker is not None else None,
        )
        charts = None
        if worker is not None:
            missing = worker.font_problem()  # before anything is written, as without it
            if missing is not None:
                _no_font(missing)
            charts = worker.charts()
        with writing(out or run_dir):
            written = write_outputs(
                report, out or run_dir, REPORT_STEM, formats, created=now, charts=charts
            )
    for kind, path in written.items():
        console.print(f"✓ {kind}: {path}", markup=False, soft_wrap=True)


def bundle_with_progress(
    run_dirs: list[Path],
    out: Path,
    lang: str = "zh",
    formats: tuple[str, ...] = ("html",),
    scenario: Path | None = None,
    rubric: str | None = None,
    whatif: bool = True,
    jobs: int | None = None,
) -> Bundle:
    """Write a competition bundle with a progress bar and say where it went."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from reports import write_bundle

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        auto_refresh=False,  # no refresh thread: the report workers are forked from here
    ) as bar:
        task = bar.add_task("复盘报告 reports", total=len(run_dirs))

        def advance(done: int, total: int, team: str) -> None:
            bar.update(task, completed=done, description=f"复盘报告 reports · {Path(team).name}")
            bar.refresh()

        with writing(out):
            bundle = write_bundle(
                run_dirs, out, lang=lang, formats=formats, whatif=whatif, workers=jobs,
                progress=advance, scenario=scenario, rubric=rubric,
            )  # fmt: skip
    console.print(f"✓ index: {bundle.index}", markup=False, soft_wrap=True)
    console.print(f"✓ leaderboard: {bundle.leaderboard}", markup=False, soft_wrap=True)
    console.print(f"✓ {len(bundle.reports)} team reports in {out / 'teams'}", markup=False)
    return bundle
