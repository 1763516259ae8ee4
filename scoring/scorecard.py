"""The scorecard: what a team earned on every criterion, why, and the capability ratings.

A frozen pydantic model written as ``RUN_DIR/scorecard.json`` (:meth:`Scorecard.to_json` is
byte-stable). ``scoring/scorecard.schema.json`` is generated from it (``scoring.schemas``) and a
test keeps the two in sync.

Capability ratings follow HSEEP: P performed without challenges, S with some challenges, M with
major challenges, U unable to perform. The suggestion comes from the share of the capability's
points earned (penalties of that capability deducted), against the rubric's ``ratings``
thresholds (defaults P ≥ 90 %, S ≥ 70 %, M ≥ 40 %, else U); an evaluator may override it with
a reason (:class:`Override`).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import Field

from scenarios.actions import Level
from scenarios.levels import Reason
from scenarios.types import BiText, Frozen, Id
from scoring.criteria import Status
from scoring.rubric import CapabilityName, Ratings

SCORECARD_FORMAT = 1


class Rating(StrEnum):
    """HSEEP performance ratings."""

    P = "P"
    S = "S"
    M = "M"
    U = "U"


def suggest_rating(share: float, ratings: Ratings) -> Rating:
    """The rating a share of points suggests under ``ratings``' thresholds."""
    if share >= ratings.P - 1e-9:
        return Rating.P
    if share >= ratings.S - 1e-9:
        return Rating.S
    if share >= ratings.M - 1e-9:
        return Rating.M
    return Rating.U


class Override(Frozen):
    """An evaluator's rating of a capability, replacing the suggestion (team/cell: all when
    left out)."""

    capability: CapabilityName
    rating: Rating
    reason: str = Field(min_length=1)
    by: str | None = None
    team: Id | None = None
    cell: Id | None = None


class Overrides(Frozen):
    """The file format of an overrides file (YAML or JSON)."""

    overrides: tuple[Override, ...] = ()


class ScoreLine(Frozen):
    """One criterion for one cell."""

    id: Id
    name: BiText
    capability: CapabilityName | None
    kind: str
    status: Status
    evidence: tuple[int, ...] = Field(description="seq numbers of the records that show it")
    start_min: float | None = None
    at_min: float | None = None
    elapsed_min: float | None = Field(None, description="drill minutes from start to action")
    limit_min: float | None = None
    points_earned: float | None = Field(description="null when not applicable or pending")
    points_max: float
    explanation: BiText


class PenaltyLine(Frozen):
    """One penalty for one cell."""

    id: Id
    name: BiText
    capability: CapabilityName | None
    occurrences: int
    evidence: tuple[int, ...]
    points_deducted: float
    explanation: BiText


class CapabilityLine(Frozen):
    """A capability's roll-up for one cell."""

    capability: CapabilityName
    points_earned: float
    points_max: float
    share: float | None
    suggested: Rating | None
    rating: Rating | None
    override_reason: str | None = None
    override_by: str | None = None


class CellCard(Frozen):
    """Everything scored for one cell."""

    cell: Id
    name: BiText | None
    criteria: tuple[ScoreLine, ...]
    penalties: tuple[PenaltyLine, ...]
    capabilities: tuple[CapabilityLine, ...]
    points_earned: float
    points_max: float
    score_100: float


class TruthCard(Frozen):
    """The true incident level, recomputed from the log's truth records."""

    level: Level | None
    reasons: tuple[Reason, ...]
    table: str
    logged_level: Level | None = Field(description="what the engine's truth_level said")


class JudgeScore(Frozen):
    judge: str
    score: float | None
    comment: str = ""


class JudgeItem(Frozen):
    """The judges' scores of one item: per judge, the median used and the spread."""

    criterion: Id
    cell: str = Field(description="a cell id, or * for every cell")
    scores: tuple[JudgeScore, ...]
    median: float | None
    spread: float | None
    missing_judges: tuple[str, ...]


class Scorecard(Frozen):
    """A team's scores on one run under one rubric."""

    format: int = SCORECARD_FORMAT
    rubric: Id
    rubric_name: BiText
    rubric_source: str | None = Field(
        None,
        description="where the rubric was read: a bundled rubric's id, or the file's absolute "
        "path (so a report loads the same rubric again); null for a rubric built in code",
    )
    scenario: str
    team: str | None
    seed: int | None
    log_sha256: str | None = Field(
        None,
        description="SHA-256 of the events.jsonl bytes scored (null when scored from memory): "
        "a scorecard is reused only beside the very log it scored",
    )
    truth: TruthCard
    cells: tuple[CellCard, ...]
    points_earned: float
    points_max: float
    score_100: float = Field(description="points earned per 100 points available")
    complete: bool = Field(description="false while judges' items are pending")
    missed_limits: int = Field(description="timed criteria late or missed")
    median_latency_min: float | None = Field(
        description="median drill minutes from start to action over timed criteria done"
    )
    judges: tuple[JudgeItem, ...] = ()
    missing_judge_scores: tuple[str, ...] = Field(
        (), description="criterion/cell: judge, for every score not yet entered"
    )

    def to_json(self) -> str:
        """Stable JSON: fixed key order, two-space indent, UTF-8 text, trailing newline."""
        data = self.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def lines(self) -> list[tuple[str, ScoreLine]]:
        """Every (cell, score line)."""
        return [(card.cell, line) for card in self.cells for line in card.criteria]

    @classmethod
    def read(cls, path: Path) -> Scorecard:
        """Read a ``scorecard.json`` written by :meth:`to_json`."""
        return cls.model_validate_json(path.read_text(encoding="utf-8"))
