"""``riverdrill demo``: a complete demo competition on the bundled library.

Three simulated teams of different profiles play the Wujiang scenario from the same seed; each
run is scored and reported, and a leaderboard ties them together. This is what ``make demo``
runs on a fresh machine, so it must work offline with nothing but the package installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import scenarios
from riverdrill.cli.app import app
from riverdrill.cli.output import Lang, LangOption, check_output_dir, console, fail, fail_usage
from scenarios.errors import InputError

LIBRARY = Path(scenarios.__file__).resolve().parent / "library"
DEMO_SCENARIO = "wujiang-aniline"
DEMO_TEAMS = ("prompt", "average", "slow")


def run_demo(
    out: Path,
    scenario: Path = LIBRARY / f"{DEMO_SCENARIO}.yaml",
    teams: tuple[str, ...] = DEMO_TEAMS,
    lang: str = "zh",
) -> Path:
    """Run, score and report one simulated team per profile; return the leaderboard's path.

    Raises:
        InputError: If the scenario or a profile is bad; runs already written stay intact.
    """
    from riverdrill.cli.report_cmd import bundle_with_progress
    from riverdrill.cli.run_cmds import execute_run
    from riverdrill.cli.score_cmd import score_directory

    run_dirs = []
    for team in teams:
        result = execute_run(scenario, out / "runs" / team, team=team)
        card = score_directory(result.out)
        console.print(
            f"✓ {team}: {len(result.log)} records, {card.score_100:g}/100 → {result.out}",
            markup=False,
        )
        run_dirs.append(result.out)
    return bundle_with_progress(run_dirs, out, lang=lang).leaderboard


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="输出目录 · where to write")] = Path(
        "out/demo"
    ),
    scenario: Annotated[
        Path | None, typer.Option(help="情景 · scenario (default: the Wujiang drill)")
    ] = None,
    teams: Annotated[str, typer.Option(help="模拟队伍 · comma-separated team profiles")] = ",".join(
        DEMO_TEAMS
    ),
    lang: LangOption = Lang.zh,
) -> None:
    """演示 · A demo competition: simulated teams, scorecards, reports and a leaderboard."""
    chosen = tuple(t.strip() for t in teams.split(",") if t.strip())
    if not chosen:
        fail_usage("--teams needs at least one profile")
    try:
        check_output_dir(out)
        board = run_demo(out, scenario or LIBRARY / f"{DEMO_SCENARIO}.yaml", chosen, lang)
    except InputError as error:
        fail(error)
    console.print(f"排行榜 leaderboard: {board.resolve()}", markup=False, soft_wrap=True)
