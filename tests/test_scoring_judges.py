"""The judges' sheet: median of several judges, spread, missing scores listed, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_scoring_logs import DATA, tutorial, tutorial_log

from scenarios.errors import InputError
from scoring.criteria import Status
from scoring.judges import check_cells, check_teams, merge, read_judges
from scoring.rulebook import load_rubric
from scoring.score import score_run
from scoring.scorecard import Scorecard, ScoreLine

CHONGQING = load_rubric("chongqing-2024")
BAD = DATA / "bad"


def line(card: Scorecard, cid: str) -> ScoreLine:
    return next(item for _, item in card.lines() if item.id == cid)


def test_the_median_of_the_judges_is_used_and_the_spread_shown() -> None:
    """plan-quality: 14, 18, 16 → median 16 of 20, spread 4. The sheet has a byte-order mark."""
    assert (DATA / "judges.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    sheet = read_judges(DATA / "judges.csv", CHONGQING)
    card = score_run(tutorial(), CHONGQING, tutorial_log(), sheet)
    plan = line(card, "plan-quality")
    assert (plan.status, plan.points_earned, plan.points_max) == (Status.partial, 16.0, 20.0)
    assert plan.explanation.zh == "处置方案科学性（评委）：评委评分中位数 16/20，得 16/20"
    item = next(j for j in card.judges if j.criterion == "plan-quality")
    assert (item.median, item.spread, item.cell) == (16.0, 4.0, "*")
    assert [s.judge for s in item.scores] == ["王评委", "李评委", "张评委"]
    assert item.scores[0].comment == "拦截点选择合理"


def test_missing_judge_scores_are_listed_and_never_taken_as_zero() -> None:
    """coordination: 王 gave 8, 李 left it blank, 张 never scored it → median of what was
    entered (8), and both gaps listed."""
    sheet = read_judges(DATA / "judges.csv", CHONGQING)
    card = score_run(tutorial(), CHONGQING, tutorial_log(), sheet)
    assert line(card, "coordination").points_earned == 8.0
    assert card.missing_judge_scores == (
        "coordination/district: 张评委",
        "coordination/district: 李评委",
    )
    assert card.complete  # every judges' item has at least one score
    item = next(j for j in card.judges if j.criterion == "coordination")
    assert item.missing_judges == ("张评委", "李评委")


def test_without_a_sheet_judges_items_are_pending_not_zero() -> None:
    card = score_run(tutorial(), CHONGQING, tutorial_log())
    assert line(card, "plan-quality").status is Status.pending
    assert line(card, "plan-quality").points_earned is None
    assert not card.complete


def test_a_sheet_with_a_team_column_scores_each_team_separately() -> None:
    sheet = read_judges(DATA / "judges-teams.csv", CHONGQING)
    assert sheet.has_team and sheet.teams() == {"team-a", "team-b"}
    a = score_run(tutorial(), CHONGQING, tutorial_log(team="team-a"), sheet)
    b = score_run(tutorial(), CHONGQING, tutorial_log(team="team-b"), sheet)
    assert (line(a, "plan-quality").points_earned, line(b, "plan-quality").points_earned) == (
        16.0,
        11.0,
    )
    assert line(b, "coordination").points_earned == 9.0


def test_chinese_headers_are_accepted() -> None:
    sheet = read_judges(DATA / "judges-zh.csv", CHONGQING)
    assert {e.criterion for e in sheet.entries} == {"plan-quality", "coordination"}


def test_an_xlsx_sheet_reads_like_the_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ("criterion", "judge", "score", "comment"),
        ("plan-quality", "王评委", 14, ""),
        ("plan-quality", "李评委", 18.5, "好"),
    ):
        sheet.append(row)
    path = tmp_path / "judges.xlsx"
    book.save(path)
    merged = merge(read_judges(path, CHONGQING), None)
    assert merged[("*", "plan-quality")].median == 16.25


def test_an_xlsx_sheet_with_a_bad_row_fails_with_its_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("criterion", "judge", "score"))
    sheet.append(("plan-quality", "王评委", 14))
    sheet.append(("plan-quality", "李评委", 99))
    path = tmp_path / "judges.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_judges(path, CHONGQING)
    assert str(caught.value.problems[0]).startswith(f"{path}:3:3: score:")


def _expected() -> list[tuple[str, int, str]]:
    rows = []
    for text in (BAD / "judges-expected.txt").read_text(encoding="utf-8").splitlines():
        if text and not text.startswith("#"):
            name, row, message = text.split(": ", 2)
            rows.append((name, int(row), message))
    return rows


@pytest.mark.parametrize(("name", "row", "message"), _expected(), ids=lambda v: str(v))
def test_a_bad_judges_sheet_fails_with_its_file_and_row(name: str, row: int, message: str) -> None:
    path = BAD / name
    with pytest.raises(InputError) as caught:
        read_judges(path, CHONGQING)
    problems = caught.value.problems
    assert any(p.file == str(path) and p.line == row and message in p.message for p in problems), (
        "\n".join(map(str, problems))
    )


def test_every_bad_sheet_has_an_expectation() -> None:
    listed = {name for name, _, _ in _expected()}
    assert listed == {p.name for p in BAD.glob("judges-*.csv")}


def test_a_score_for_a_cell_the_run_does_not_have_fails_at_its_row_and_column(
    tmp_path: Path,
) -> None:
    """The cell column is the fourth (D): the problem points at it, not at column 1."""
    path = tmp_path / "judges.csv"
    path.write_text("criterion,judge,score,cell\nplan-quality,王评委,14,water\n", encoding="utf-8")
    sheet = read_judges(path, CHONGQING)
    with pytest.raises(InputError) as caught:
        score_run(tutorial(), CHONGQING, tutorial_log(), sheet)
    assert str(caught.value.problems[0]).startswith(f"{path}:2:4: cell: no cell 'water'")


def test_a_team_the_runs_do_not_have_is_refused_at_its_row(tmp_path: Path) -> None:
    """A misspelt team would lose its scores without a word; every such row is named."""
    path = tmp_path / "judges.csv"
    path.write_text(
        "criterion,judge,team,score\n"
        "plan-quality,王评委,team-a,14\n"
        "plan-quality,王评委,taem-b,15\n"
        "plan-quality,李评委,taem-b,16\n",
        encoding="utf-8",
    )
    sheet = read_judges(path, CHONGQING)
    check_teams(sheet, ["team-a", "taem-b"])
    with pytest.raises(InputError) as caught:
        check_teams(sheet, ["team-a", "team-b", None])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{row}:3: team: team 'taem-b' is not among the teams scored (team-a, team-b)"
        for row in (3, 4)
    ]


def test_every_row_for_a_cell_the_run_does_not_have_is_refused_as_teams_are(
    tmp_path: Path,
) -> None:
    """Cells are checked like teams (one problem per row, at the cell column); a row without
    a cell applies to every cell and is never refused."""
    path = tmp_path / "judges.csv"
    path.write_text(
        "criterion,cell,judge,score\n"
        "plan-quality,district,王评委,14\n"
        "plan-quality,water,王评委,15\n"
        "plan-quality,,李评委,16\n"
        "plan-quality,watre,李评委,17\n",
        encoding="utf-8",
    )
    sheet = read_judges(path, CHONGQING)
    check_cells(sheet, ["district", "water", "watre"])
    with pytest.raises(InputError) as caught:
        check_cells(sheet, ["district", "city"])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:2: cell: no cell 'water' in this run (district, city)",
        f"{path}:5:2: cell: no cell 'watre' in this run (district, city)",
    ]
