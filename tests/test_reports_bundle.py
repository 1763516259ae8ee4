"""A competition bundle: every team's report, a leaderboard and an index, linked relatively."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_reports_fixtures import (
    TUTORIAL,
    TUTORIAL_ACTIONS,
    WUJIANG,
    responses,
    run_log,
    tutorial,
    write_run_dir,
)

from reports.bundle import _slug, write_bundle
from reports.i18n import Messages
from reports.svg import esc
from scenarios.errors import InputError
from scoring.leaderboard import leaderboard
from scoring.scorecard import Scorecard

FAST = [
    {
        "at": "32min",
        "kind": "report",
        "to": "city-eeb",
        "channel": "phone",
        "report": "initial",
        "level": "II",
    },
    {
        "at": "40min",
        "kind": "request",
        "agency": "jia-water",
        "task": "close_intake",
        "site": "jia-intake",
    },
    {"at": "45min", "kind": "notify", "target": "yi", "channel": "phone"},
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("bundle")
    scenario = tutorial()
    teams = {"team-a": TUTORIAL_ACTIONS, "team-b": FAST, "team-c": TUTORIAL_ACTIONS[:3]}
    return [
        write_run_dir(base / f"run{i}", TUTORIAL, run_log(scenario, responses(actions, team)), team)
        for i, (team, actions) in enumerate(teams.items())
    ]


@pytest.fixture(scope="module")
def bundle(runs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Any:
    seen: list[tuple[int, int]] = []
    out = tmp_path_factory.mktemp("out")
    made = write_bundle(
        runs, out, formats=("html", "docx"), workers=2, progress=lambda d, n, _: seen.append((d, n))
    )
    assert seen[-1] == (3, 3)
    return made


def test_bundle_writes_every_report_a_leaderboard_and_an_index(bundle: Any) -> None:
    assert bundle.index.exists() and bundle.leaderboard.exists()
    assert len(bundle.reports) == 3
    for files in bundle.reports.values():
        assert files["html"].exists() and files["docx"].exists()


def test_every_link_of_the_bundle_resolves_inside_it(bundle: Any) -> None:
    for page in (bundle.index, bundle.leaderboard):
        for href in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            assert not href.startswith(("http:", "https:", "//", "/")), href
            assert (page.parent / href).exists(), href


def test_leaderboard_ranks_as_scoring_does(bundle: Any, runs: list[Path]) -> None:
    cards = [Scorecard.read(run / "scorecard.json") for run in runs]
    expected = [s.team for s in leaderboard(cards).standings]
    html = bundle.leaderboard.read_text(encoding="utf-8")
    table = html[html.index('<table class="board">') : html.index("</table>")]
    shown = re.findall(r'<tr><td class="num">\d+</td><td>([^<]+)</td>', table)
    assert shown == expected
    assert html.count("<svg") == 1  # the latency distribution


def test_team_names_become_safe_folder_names(bundle: Any) -> None:
    folders = sorted(p.name for p in (bundle.out / "teams").iterdir())
    assert folders == ["team-a", "team-b", "team-c"]
    taken: set[str] = set()
    assert [_slug(n, taken) for n in ("甲队 A", "甲队", "乙队", "../x")] == [
        "A",
        "team",
        "team-2",
        "x",
    ]


def test_a_bad_run_stops_the_bundle_before_anything_is_written(
    runs: list[Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    out = tmp_path / "out"
    with pytest.raises(InputError) as error:
        write_bundle([*runs, broken], out, workers=1)
    assert "broken/events.jsonl: no such file" in str(error.value)
    assert not out.exists()


def test_runs_of_different_scenarios_cannot_share_a_leaderboard(
    runs: list[Path], tmp_path: Path
) -> None:
    from scenarios.load import load_scenario
    from sim.run import SimulatedTeamDriver, run_drill

    wujiang = load_scenario(WUJIANG)
    other = write_run_dir(
        tmp_path / "wj",
        WUJIANG,
        run_drill(wujiang, wujiang.seed, SimulatedTeamDriver("prompt")),
        "prompt",
    )
    with pytest.raises(InputError, match="different scenarios"):
        write_bundle([runs[0], other], tmp_path / "out", workers=1)


def _pts(value: float | None) -> str:
    """Points as the leaderboard writes them."""
    if value is None:
        return Messages("zh").t("common.none")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def test_each_leaderboard_row_shows_its_own_teams_criterion_points(
    bundle: Any, runs: list[Path]
) -> None:
    cards = {card.team: card for card in (Scorecard.read(r / "scorecard.json") for r in runs)}
    compared = leaderboard(list(cards.values())).criteria
    html = bundle.leaderboard.read_text(encoding="utf-8")
    matrix = html[html.index('<table class="board matrix">') :]
    matrix = matrix[: matrix.index("</table>")]
    rows = re.findall(r'<tr><td class="nowrap">([^<]+)</td>(.*?)</tr>', matrix)
    assert sorted(team for team, _ in rows) == sorted(cards)
    shown = {
        team: re.findall(r'<td class="num st-[a-z_]+">([^<]*)</td>', cells) for team, cells in rows
    }
    for team, points in shown.items():
        lines = {(cell, line.id): line for cell, line in cards[team].lines()}
        expected = [_pts(lines[(c.cell, c.criterion)].points_earned) for c in compared]
        assert points == expected, team
    assert len({tuple(p) for p in shown.values()}) == len(shown)  # the teams differ


def test_latency_chart_marks_a_team_that_was_late(bundle: Any, runs: list[Path]) -> None:
    msgs = Messages("zh")
    cards = [Scorecard.read(r / "scorecard.json") for r in runs]
    compared = leaderboard(cards).criteria
    html = bundle.leaderboard.read_text(encoding="utf-8")
    svg = html[html.rindex("<svg") : html.rindex("</svg>")]
    parts = re.split(r'<text [^>]*text-anchor="end" font-size="11">([^<]*)</text>', svg)
    rows = dict(zip(parts[1::2], parts[2::2], strict=True))
    late = [
        (i, c, r)
        for i, c in enumerate(compared)
        for r in c.results
        if r.status.value == "late" and r.elapsed_min is not None
    ]
    assert late  # team-a's written report and its notice downstream came late
    for i, c, r in late:
        label = esc(f"{i + 1}. {c.name.get('zh')}")
        assert f"<title>{esc(r.team)}: {msgs.duration(r.elapsed_min)}</title>" in rows[label]


def test_each_leaderboard_row_links_to_its_own_teams_report(bundle: Any) -> None:
    html = bundle.leaderboard.read_text(encoding="utf-8")
    table = html[html.index('<table class="board">') : html.index("</table>")]
    links = re.findall(r'<tr><td class="num">\d+</td><td>([^<]+)</td>.*?<a href="([^"]+)">', table)
    assert sorted(team for team, _ in links) == ["team-a", "team-b", "team-c"]
    for team, href in links:
        assert href == f"teams/{team}/report.html"
        assert bundle.out / href == bundle.reports[team]["html"]


def test_two_runs_of_one_team_name_get_their_own_rows_and_links(
    runs: list[Path], tmp_path: Path
) -> None:
    # Two runs of the same simulated profile are both named after it: the bundle tells them
    # apart, on the leaderboard, in its ranking file and in the links, each to its own report.
    twin = write_run_dir(
        tmp_path / "twin", TUTORIAL, run_log(tutorial(), responses(FAST, "team-a")), "team-a"
    )
    made = write_bundle([runs[0], twin], tmp_path / "out", whatif=False)
    assert set(made.reports) == {"team-a", "team-a-2"}
    html = made.leaderboard.read_text(encoding="utf-8")
    table = html[html.index('<table class="board">') : html.index("</table>")]
    links = dict(
        re.findall(r'<tr><td class="num">\d+</td><td>([^<]+)</td>.*?<a href="([^"]+)">', table)
    )
    assert links == {"team-a": "teams/team-a/report.html", "team-a-2": "teams/team-a-2/report.html"}
    for team, href in links.items():
        assert made.out / href == made.reports[team]["html"]
    ranked = (made.out / "leaderboard.json").read_text(encoding="utf-8")
    assert '"team-a-2"' in ranked
