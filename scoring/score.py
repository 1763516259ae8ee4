"""Scoring a run: the pure function of (scenario, rubric, log, judges' sheet) to a scorecard.

:func:`score_run` is what ``riverdrill score`` and the engine's ``riverdrill run`` call. It
reads nothing but its arguments (and the bundled level table the rubric names), so any old log
can be rescored under another rubric without re-running the drill.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from scenarios.levels import load_table
from scenarios.memo import IdentityMemo
from scenarios.paths import DataPath
from scenarios.schema import Scenario
from scenarios.types import Text
from scenarios.variant import apply_overrides
from scoring.criteria import (
    Context,
    Evaluation,
    Reason,
    Status,
    evaluate,
    not_applicable_because,
)
from scoring.evidence import view_of
from scoring.explain import criterion_sentence, penalty_sentence
from scoring.grading import TrueLevel, true_level
from scoring.judges import ANY, JudgeSheet, MergedItem, check_cells, judges_for, merge
from scoring.penalties import evaluate_penalty
from scoring.rubric import CapabilityName, Criterion, Rubric
from scoring.rulebook import check_references, rubric_source
from scoring.scorecard import (
    CapabilityLine,
    CellCard,
    JudgeItem,
    JudgeScore,
    Override,
    Overrides,
    PenaltyLine,
    Scorecard,
    ScoreLine,
    TruthCard,
    suggest_rating,
)
from scoring.topology import World, world_of
from sim.log import Log

TIMED_KINDS = ("timed", "coverage")
SCORED = (Status.met, Status.partial, Status.late, Status.missed)


def score_run(
    scenario: Scenario,
    rubric: Rubric,
    log: Log,
    judges: JudgeSheet | None = None,
    overrides: Overrides | None = None,
    *,
    log_sha256: str | None = None,
) -> Scorecard:
    """Score one run.

    Args:
        scenario: The scenario the run played (the variant's base file: ids and geography).
        rubric: The rule set.
        log: The run's event log.
        judges: The judges' sheet, if any; judges' items stay ``pending`` without it.
        overrides: Evaluators' capability ratings that replace the suggestions.
        log_sha256: The SHA-256 of the ``events.jsonl`` the log was read from, recorded in
            the scorecard so that a reader can tell it belongs to that file.

    Raises:
        InputError: when the rubric names sites, injects or cells the scenario lacks, or the
            judges' sheet names a cell the run does not have.
    """
    check_references(rubric, scenario)
    view = view_of(log)
    world = _world(scenario, view.variant)
    scenario = world.scenario
    truth = true_level(scenario, view, load_table(rubric.level_table))
    cells = [c for c in view.cells() if c in world.cells] or list(world.cells)
    merged = merge(judges, view.team) if judges is not None else {}
    if judges is not None:
        check_cells(judges, cells)
    medians = {
        (cell, c.id): item.median
        for c in rubric.judge_criteria
        for cell in cells
        if (item := merged.get((cell, c.id)) or merged.get((ANY, c.id))) is not None
        and item.median is not None
    }
    ctx = Context(world=world, view=view, truth=truth, judge_medians=medians)
    cards = tuple(_cell_card(rubric, ctx, cell, overrides, view.team) for cell in cells)
    earned = round(sum(c.points_earned for c in cards), 2)
    most = round(sum(c.points_max for c in cards), 2)
    lines = [line for card in cards for line in card.criteria]
    timed = [line for line in lines if line.kind in TIMED_KINDS]
    latencies = [
        line.elapsed_min
        for line in timed
        if line.elapsed_min is not None and line.status in (Status.met, Status.late)
    ]
    missing = _missing_scores(rubric, ctx, cells, merged, judges, view.team)
    return Scorecard(
        rubric=rubric.id,
        rubric_name=rubric.name,
        rubric_source=rubric_source(rubric),
        scenario=view.scenario_id or scenario.id,
        team=view.team,
        seed=view.seed,
        log_sha256=log_sha256,
        truth=_truth_card(truth, rubric),
        cells=cards,
        points_earned=earned,
        points_max=most,
        score_100=_per_100(earned, most),
        complete=not any(line.status is Status.pending for line in lines),
        missed_limits=sum(
            line.status in (Status.late, Status.missed, Status.partial) for line in timed
        ),
        median_latency_min=round(statistics.median(latencies), 4) if latencies else None,
        judges=tuple(_judge_item(item) for _, item in sorted(merged.items())),
        missing_judge_scores=tuple(missing),
    )


_WORLDS: IdentityMemo[World] = IdentityMemo(8)
"""The last few worlds built, by scenario (the very object) and variant drawn: a competition
scores many logs of one scenario and variant."""


def _world(scenario: Scenario, variant: dict[str, Any]) -> World:
    """The lookups of the run's scenario: the variant the seed drew (a spill's km, a flow
    regime) decides what is downstream. Variants are made by re-validation, so cached."""
    drawn = tuple(sorted((str(k), repr(v)) for k, v in variant.items()))
    world = _WORLDS.get(scenario, drawn)
    if world is not None:
        return world
    actual = scenario
    if variant:
        changes: dict[str | DataPath, Any] = {str(k): v for k, v in variant.items()}
        actual = apply_overrides(scenario, changes)
    return _WORLDS.put(scenario, world_of(actual), drawn)


def _per_100(earned: float, most: float) -> float:
    return round(100.0 * earned / most, 2) if most > 0 else 0.0


def _truth_card(truth: TrueLevel, rubric: Rubric) -> TruthCard:
    return TruthCard(
        level=truth.level,
        reasons=truth.grade.reasons,
        table=rubric.level_table,
        logged_level=truth.logged,
    )


_SAME_FOR_ALL = frozenset(
    {
        Reason.other_cells,
        Reason.other_roles,
        Reason.other_level,
        Reason.no_agency,
        Reason.no_addressee,
        Reason.no_downstream,
        Reason.no_sites,
        Reason.no_incident,
        Reason.not_scored,
    }
)
"""Reasons whose score line depends on the criterion alone (not on the cell, the team or the
log): a criterion that does not apply to a cell, or a judges' item not yet scored."""

_FIXED_LINES: IdentityMemo[dict[tuple[int, Reason], ScoreLine]] = IdentityMemo(32)
"""Those lines of the last few rubrics (the very objects), built once per criterion and
reason: about half the lines of a joint exercise."""


def _fixed_lines(rubric: Rubric) -> dict[tuple[int, Reason], ScoreLine]:
    """The rubric's fixed lines so far, by criterion (``id()``: the memo holds the rubric, and
    so its criteria) and reason; one memo lookup per cell, not one per line."""
    fixed = _FIXED_LINES.get(rubric)
    if fixed is None:
        fixed = _FIXED_LINES.put(rubric, {})
    return fixed


def _line(
    criterion: Criterion,
    ev: Evaluation,
    names: dict[str, Text],
    fixed: dict[tuple[int, Reason], ScoreLine],
) -> ScoreLine:
    if ev.reason not in _SAME_FOR_ALL:
        return _new_line(criterion, ev, names)
    key = (id(criterion), ev.reason)
    line = fixed.get(key)
    if line is None:
        line = fixed[key] = _new_line(criterion, ev, names)
    return line


def _new_line(criterion: Criterion, ev: Evaluation, names: dict[str, Text]) -> ScoreLine:
    most = criterion.max_points
    earned = None if ev.share is None else round(most * ev.share, 2)
    return ScoreLine(
        id=criterion.id,
        name=criterion.title,
        capability=criterion.capability,
        kind=criterion.kind,
        status=ev.status,
        evidence=tuple(sorted(set(ev.evidence))),
        start_min=ev.start_min,
        at_min=ev.at_min,
        elapsed_min=None if ev.elapsed_min is None else round(ev.elapsed_min, 4),
        limit_min=ev.limit_min,
        points_earned=earned,
        points_max=most,
        explanation=criterion_sentence(criterion, ev, earned, most, names),
    )


def _cell_card(
    rubric: Rubric, ctx: Context, cell: str, overrides: Overrides | None, team: str | None
) -> CellCard:
    names = ctx.world.names()
    fixed = _fixed_lines(rubric)
    lines = tuple(_line(c, evaluate(c, ctx, cell), names, fixed) for c in rubric.criteria)
    penalties: list[PenaltyLine] = []
    for p in rubric.penalties:
        outcome = evaluate_penalty(p, ctx, cell)
        if outcome.deducted is None:
            continue
        penalties.append(
            PenaltyLine(
                id=p.id,
                name=p.name or Text(zh=p.id, en=p.id),
                capability=p.capability,
                occurrences=len(outcome.hits),
                evidence=tuple(h.seq for h in outcome.hits),
                points_deducted=outcome.deducted,
                explanation=penalty_sentence(p, len(outcome.hits), outcome.deducted),
            )
        )
    scored = [line for line in lines if line.status in SCORED]
    deducted = sum(p.points_deducted for p in penalties)
    earned = round(max(0.0, sum(line.points_earned or 0.0 for line in scored) - deducted), 2)
    most = round(sum(line.points_max for line in scored), 2)
    return CellCard(
        cell=cell,
        name=ctx.world.cells[cell].name if cell in ctx.world.cells else None,
        criteria=lines,
        penalties=tuple(penalties),
        capabilities=_capabilities(rubric, scored, penalties, overrides, team, cell),
        points_earned=earned,
        points_max=most,
        score_100=_per_100(earned, most),
    )


def _capabilities(
    rubric: Rubric,
    scored: list[ScoreLine],
    penalties: list[PenaltyLine],
    overrides: Overrides | None,
    team: str | None,
    cell: str,
) -> tuple[CapabilityLine, ...]:
    earned: dict[CapabilityName, float] = defaultdict(float)
    most: dict[CapabilityName, float] = defaultdict(float)
    for line in scored:
        if line.capability is not None:
            earned[line.capability] += line.points_earned or 0.0
            most[line.capability] += line.points_max
    for p in penalties:
        if p.capability is not None and p.capability in most:
            earned[p.capability] -= p.points_deducted
    out = []
    for capability in CapabilityName:
        if capability not in most:
            continue
        share = max(0.0, earned[capability]) / most[capability] if most[capability] else None
        suggested = suggest_rating(share, rubric.ratings) if share is not None else None
        chosen = _override(overrides, capability, team, cell)
        out.append(
            CapabilityLine(
                capability=capability,
                points_earned=round(max(0.0, earned[capability]), 2),
                points_max=round(most[capability], 2),
                share=None if share is None else round(share, 4),
                suggested=suggested,
                rating=chosen.rating if chosen else suggested,
                override_reason=chosen.reason if chosen else None,
                override_by=chosen.by if chosen else None,
            )
        )
    return tuple(out)


def _override(
    overrides: Overrides | None, capability: CapabilityName, team: str | None, cell: str
) -> Override | None:
    if overrides is None:
        return None
    # The most specific override wins: team and cell, then either, then neither.
    matching = [
        o
        for o in overrides.overrides
        if o.capability is capability and o.team in (None, team) and o.cell in (None, cell)
    ]
    matching.sort(key=lambda o: (o.team is not None) + (o.cell is not None), reverse=True)
    return matching[0] if matching else None


def _judge_item(item: MergedItem) -> JudgeItem:
    return JudgeItem(
        criterion=item.criterion,
        cell=item.cell,
        scores=tuple(JudgeScore(judge=j, score=s, comment=c) for j, s, c in item.scores),
        median=item.median,
        spread=item.spread,
        missing_judges=item.missing,
    )


def _missing_scores(
    rubric: Rubric,
    ctx: Context,
    cells: list[str],
    merged: dict[tuple[str, str], MergedItem],
    sheet: JudgeSheet | None,
    team: str | None,
) -> list[str]:
    """``criterion/cell: judge`` for every judges' score not entered (never taken as zero)."""
    expected = judges_for(sheet, team) if sheet is not None else ()
    missing: list[str] = []
    for c in rubric.judge_criteria:
        for cell in cells:
            if not_applicable_because(c, ctx, cell) is not None:
                continue
            item = merged.get((cell, c.id)) or merged.get((ANY, c.id))
            who = item.missing if item is not None else expected
            if item is None and not who:
                missing.append(f"{c.id}/{cell}: (no scores)")
            missing.extend(f"{c.id}/{cell}: {j}" for j in who)
    return missing
