"""Ranking teams of a competition, and comparing them criterion by criterion.

Teams are ranked by (documented tie-breaks, in order):

1. total score per 100 points available, higher first;
2. fewer missed limits (timed criteria late, missed or only partly covered);
3. earlier median latency (drill minutes from start to action over timed criteria done;
   a team with none ranks after teams with some);
4. team id, alphabetically — so the order is total and the same on every machine.

For every criterion (and cell), the comparison lists each team's status and points, and the
latency statistics across teams: median, minimum and maximum elapsed minutes over the teams
that did it, and the share of teams that met it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from scenarios.errors import InputError
from scenarios.types import BiText, Frozen
from scoring.criteria import Status
from scoring.scorecard import Scorecard

_SCORED = (Status.met, Status.partial, Status.late, Status.missed)


class Standing(Frozen):
    """One team's place."""

    rank: int
    team: str
    score_100: float
    points_earned: float
    points_max: float
    missed_limits: int
    median_latency_min: float | None
    complete: bool


class TeamResult(Frozen):
    """One team on one criterion."""

    team: str
    status: Status
    points_earned: float | None
    points_max: float
    elapsed_min: float | None


class LatencyStats(Frozen):
    """Elapsed minutes over the teams that did it, and the share of scored teams that met it."""

    teams_done: int
    median_min: float | None
    min_min: float | None
    max_min: float | None
    share_met: float | None


class CriterionComparison(Frozen):
    criterion: str
    cell: str
    name: BiText
    kind: str
    results: tuple[TeamResult, ...]
    latency: LatencyStats


class Leaderboard(Frozen):
    rubric: str
    standings: tuple[Standing, ...]
    criteria: tuple[CriterionComparison, ...]

    def to_json(self) -> str:
        """Stable JSON, like :meth:`Scorecard.to_json`."""
        return self.model_dump_json(indent=2) + "\n"


def rank_key(card: Scorecard) -> tuple[float, int, float, str]:
    """The sort key of the tie-break order (see the module docstring)."""
    latency = card.median_latency_min
    return (
        -card.score_100,
        card.missed_limits,
        latency if latency is not None else float("inf"),
        card.team or "",
    )


def leaderboard(cards: Sequence[Scorecard]) -> Leaderboard:
    """Rank teams scored under one rubric and compare them per criterion.

    Raises:
        InputError: when the scorecards were made under different rubrics.
    """
    if not cards:
        raise InputError.single("leaderboard", "no scorecards to rank")
    rubrics = sorted({c.rubric for c in cards})
    if len(rubrics) > 1:
        raise InputError.single(
            "leaderboard", f"scorecards use different rubrics ({', '.join(rubrics)})"
        )
    ordered = sorted(cards, key=rank_key)
    standings = tuple(
        Standing(
            rank=i,
            team=c.team or "",
            score_100=c.score_100,
            points_earned=c.points_earned,
            points_max=c.points_max,
            missed_limits=c.missed_limits,
            median_latency_min=c.median_latency_min,
            complete=c.complete,
        )
        for i, c in enumerate(ordered, start=1)
    )
    return Leaderboard(rubric=rubrics[0], standings=standings, criteria=_compare(ordered))


def _compare(cards: Sequence[Scorecard]) -> tuple[CriterionComparison, ...]:
    keys: list[tuple[str, str]] = []
    found: dict[tuple[str, str], list[TeamResult]] = {}
    about: dict[tuple[str, str], tuple[BiText, str]] = {}
    for card in cards:
        for cell, line in card.lines():
            key = (line.id, cell)
            if key not in found:
                keys.append(key)
                found[key] = []
                about[key] = (line.name, line.kind)
            found[key].append(
                TeamResult(
                    team=card.team or "",
                    status=line.status,
                    points_earned=line.points_earned,
                    points_max=line.points_max,
                    elapsed_min=line.elapsed_min,
                )
            )
    return tuple(
        CriterionComparison(
            criterion=key[0],
            cell=key[1],
            name=about[key][0],
            kind=about[key][1],
            results=tuple(found[key]),
            latency=latency_stats(found[key]),
        )
        for key in keys
    )


def latency_stats(results: Sequence[TeamResult]) -> LatencyStats:
    """Latency statistics of one criterion across teams."""
    done = [
        r.elapsed_min
        for r in results
        if r.elapsed_min is not None and r.status in (Status.met, Status.late)
    ]
    scored = [r for r in results if r.status in _SCORED]
    met = sum(r.status is Status.met for r in scored)
    return LatencyStats(
        teams_done=len(done),
        median_min=round(statistics.median(done), 4) if done else None,
        min_min=min(done) if done else None,
        max_min=max(done) if done else None,
        share_met=round(met / len(scored), 4) if scored else None,
    )
