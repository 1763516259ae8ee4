"""The judges' sheet: scores entered by hand for a rubric's ``judge`` criteria.

A CSV (UTF-8, a byte-order mark tolerated) or XLSX file, one row per judge and item, with the
columns ``criterion, judge, score, comment`` and optionally ``team`` and ``cell`` (Chinese
headers 评分项/评委/得分/意见/队伍/角色 are accepted too). Several judges score each item; the
median is used and the spread (max − min) is shown. A blank score, or a judge who scored
other items but not this one, is listed as missing — never silently taken as zero. Unknown
criteria, criteria that are not judges' items, and scores outside ``0..max`` fail with the
file and row.

Without a ``team`` column the sheet applies to every team scored, which is refused when more
than one team is scored (the scores would be copied across teams); with one, a team the runs
scored do not have is refused at its row (:func:`check_teams`: a misspelt team would lose its
scores), and so is a cell the run does not have (:func:`check_cells`). Without ``cell`` a
score applies to every cell the criterion applies to.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scenarios.errors import InputError, Problem
from scenarios.yamlsource import decode
from scoring.rubric import Rubric

COLUMNS = ("criterion", "judge", "score", "comment", "team", "cell")
REQUIRED = ("criterion", "judge", "score")
ALIASES = {
    "评分项": "criterion",
    "指标": "criterion",
    "评委": "judge",
    "得分": "score",
    "分数": "score",
    "意见": "comment",
    "备注": "comment",
    "队伍": "team",
    "参赛队": "team",
    "角色": "cell",
}
ANY = "*"
"""The cell key of a score that applies to every cell."""


@dataclass(frozen=True)
class JudgeEntry:
    """One row of the sheet (``row`` is the spreadsheet's row number, 1 = header)."""

    row: int
    criterion: str
    judge: str
    score: float | None
    comment: str
    team: str | None
    cell: str | None


@dataclass(frozen=True)
class JudgeSheet:
    """A validated judges' sheet."""

    name: str
    entries: tuple[JudgeEntry, ...]
    has_team: bool
    columns: dict[str, int] = field(default_factory=dict)
    """Column number (1 = A) of each column the header names, to locate a bad cell."""

    def column(self, key: str) -> int:
        """The column number of ``key`` (``team``, ``cell``…), 1 when the sheet has none."""
        return self.columns.get(key, 1)

    @property
    def judges(self) -> tuple[str, ...]:
        """Every judge named on the sheet."""
        return tuple(sorted({e.judge for e in self.entries}))

    def teams(self) -> set[str]:
        """The teams named on the sheet."""
        return {e.team for e in self.entries if e.team}


@dataclass(frozen=True)
class MergedItem:
    """The scores of one item (criterion, cell) for one team."""

    criterion: str
    cell: str
    scores: tuple[tuple[str, float | None, str], ...]
    """(judge, score or None, comment) per row."""
    median: float | None
    spread: float | None
    missing: tuple[str, ...]


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def read_judges(path: str | Path, rubric: Rubric) -> JudgeSheet:
    """Read and validate a judges' sheet (``.csv`` or ``.xlsx``) against ``rubric``.

    Raises:
        InputError: every bad row at ``file:row:col: column: message``.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputError.single(name, f"cannot read: {error.strerror or error}") from None
    if name.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(raw, name)
    else:
        text = decode(raw, name)
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    return parse_rows(rows, name, rubric)


def _xlsx_rows(raw: bytes, name: str) -> list[list[str]]:
    from openpyxl import load_workbook  # late: only XLSX sheets need it

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not XLSX
        raise InputError.single(name, f"not an XLSX workbook ({error})") from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def parse_rows(rows: list[list[str]], name: str, rubric: Rubric) -> JudgeSheet:
    """Validate the rows of a sheet (the first row is the header)."""
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputError.single(name, "empty sheet; expected a header row " + ", ".join(COLUMNS))
    header: dict[str, int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(rows[0]):
        key = ALIASES.get(cell.strip(), cell.strip().lower())
        if key in COLUMNS:
            header[key] = index
        elif key:
            problems.append(
                Problem(name, 1, index + 1, _letters(index + 1), f"unknown column {cell!r}")
            )
    for key in REQUIRED:
        if key not in header:
            problems.append(Problem(name, 1, 1, "", f"missing column {key!r}"))
    if problems:
        raise InputError(problems)
    entries: list[JudgeEntry] = []
    seen: dict[tuple[str | None, str | None, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        entry, found = _entry(row, number, header, name, rubric)
        problems.extend(found)
        if entry is None:
            continue
        who = (entry.team, entry.cell, entry.criterion, entry.judge)
        if who in seen:
            message = f"{entry.judge} already scored {entry.criterion} on row {seen[who]}"
            problems.append(Problem(name, number, header["judge"] + 1, "judge", message))
            continue
        seen[who] = number
        entries.append(entry)
    if problems:
        raise InputError(problems)
    columns = {key: index + 1 for key, index in header.items()}
    return JudgeSheet(name=name, entries=tuple(entries), has_team="team" in header, columns=columns)


def _entry(
    row: list[str], number: int, header: dict[str, int], name: str, rubric: Rubric
) -> tuple[JudgeEntry | None, list[Problem]]:
    def get(key: str) -> str:
        index = header.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    def bad(key: str, message: str) -> Problem:
        return Problem(name, number, header.get(key, 0) + 1, key, message)

    problems: list[Problem] = []
    cid, judge, text = get("criterion"), get("judge"), get("score")
    criterion = rubric.criterion(cid)
    if criterion is None:
        items = ", ".join(c.id for c in rubric.judge_criteria) or "none"
        problems.append(bad("criterion", f"unknown criterion {cid!r} (judges' items: {items})"))
    elif criterion.judge is None:
        problems.append(bad("criterion", f"{cid!r} is scored from the log, not by judges"))
    if not judge:
        problems.append(bad("judge", "no judge named"))
    score: float | None = None
    if text:
        try:
            score = float(text)
        except ValueError:
            problems.append(bad("score", f"score {text!r} is not a number"))
        else:
            most = criterion.judge.max if criterion is not None and criterion.judge else None
            if most is not None and not 0 <= score <= most:
                problems.append(bad("score", f"score {score:g} is outside 0..{most:g}"))
    if problems:
        return None, problems
    entry = JudgeEntry(
        row=number,
        criterion=cid,
        judge=judge,
        score=score,
        comment=get("comment"),
        team=get("team") or None,
        cell=get("cell") or None,
    )
    return entry, []


def check_teams(sheet: JudgeSheet, teams: list[str | None]) -> None:
    """Refuse rows for a team that none of the scored runs is (every such row, with its file,
    row and column): its scores would otherwise be dropped without a word.

    Raises:
        InputError: one problem per row naming a team not in ``teams``.
    """
    scored = sorted({t for t in teams if t})
    listed = ", ".join(scored) or "none"
    _refuse_rows(
        sheet,
        "team",
        scored,
        lambda team: f"team {team!r} is not among the teams scored ({listed})",
    )


def check_cells(sheet: JudgeSheet, cells: list[str]) -> None:
    """Refuse rows for a cell the run does not have (every such row, with its file, row and
    column), as :func:`check_teams` refuses teams.

    Raises:
        InputError: one problem per row naming a cell not in ``cells``.
    """
    listed = ", ".join(cells)
    _refuse_rows(sheet, "cell", cells, lambda cell: f"no cell {cell!r} in this run ({listed})")


def _refuse_rows(
    sheet: JudgeSheet,
    column: Literal["team", "cell"],
    known: list[str],
    why: Callable[[str], str],
) -> None:
    """One problem per row whose ``column`` names something not in ``known``."""
    problems = []
    for e in sheet.entries:
        value = e.team if column == "team" else e.cell
        if value is not None and value not in known:
            problems.append(Problem(sheet.name, e.row, sheet.column(column), column, why(value)))
    if problems:
        raise InputError(problems)


def merge(sheet: JudgeSheet, team: str | None) -> dict[tuple[str, str], MergedItem]:
    """The scores for ``team`` per (cell or ``*``, criterion): median, spread and the judges
    of the sheet who have not scored the item."""
    mine = [e for e in sheet.entries if not sheet.has_team or e.team == team]
    judges = sorted({e.judge for e in mine}) or list(sheet.judges)
    grouped: dict[tuple[str, str], list[JudgeEntry]] = defaultdict(list)
    for e in mine:
        grouped[(e.cell or ANY, e.criterion)].append(e)
    merged: dict[tuple[str, str], MergedItem] = {}
    for (cell, cid), entries in grouped.items():
        values = [e.score for e in entries if e.score is not None]
        scored = {e.judge for e in entries if e.score is not None}
        merged[(cell, cid)] = MergedItem(
            criterion=cid,
            cell=cell,
            scores=tuple((e.judge, e.score, e.comment) for e in entries),
            median=statistics.median(values) if values else None,
            spread=(max(values) - min(values)) if values else None,
            missing=tuple(j for j in judges if j not in scored),
        )
    return merged


def judges_for(sheet: JudgeSheet, team: str | None) -> tuple[str, ...]:
    """The judges expected to score every item for ``team``."""
    mine = {e.judge for e in sheet.entries if not sheet.has_team or e.team == team}
    return tuple(sorted(mine)) or sheet.judges
