"""Evaluating one criterion for one cell: pure functions of the scenario, the log and the truth.

Each function returns an :class:`Evaluation` — a status, the share of the points earned, the
seq numbers of the records that show it, the times involved and the facts behind the sentence
that ``scoring.explain`` writes. Times are drill minutes (``t_min``): a paused drill clock
stops ``t_min`` too, so elapsed time is a plain difference and pauses never count.

Statuses: ``met`` (in time / fully), ``late`` (done after the limit, credit by the curve),
``partial`` (some of a set: sites covered, elements present, intakes protected), ``missed``
(not done, or nothing earned), ``not_applicable`` and ``pending`` (judges' items not scored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from scenarios.schema import SiteKind
from scoring.evidence import ActionRecord, Moment, RunView
from scoring.filters import ActionMatch
from scoring.grading import TrueLevel, report_limit_min, reporting_level
from scoring.matching import action_matches, first_match, start_moment, truth_moment
from scoring.rubric import BandCredit, Credit, Criterion, LinearCredit, Penalty
from scoring.topology import World

EPS = 1e-6
"""Slack for comparing minutes (times are rounded to 1e-4 min in the log)."""


class Status(StrEnum):
    met = "met"
    partial = "partial"
    late = "late"
    missed = "missed"
    not_applicable = "not_applicable"
    pending = "pending"


class Reason(StrEnum):
    """Why an evaluation came out as it did: the case ``scoring.explain`` writes a sentence
    for (its catalogue key). ``scoring.explain`` handles every member, which mypy checks."""

    # scored from the log
    done = "done"
    not_done = "not_done"
    coverage = "coverage"
    elements = "elements"
    no_report = "no_report"
    outcome = "outcome"
    declared = "declared"
    not_declared = "not_declared"
    # scored by the judges
    judged = "judged"
    not_scored = "not_scored"
    # not applicable: the criterion or the scenario, whatever the log
    other_cells = "other_cells"
    other_roles = "other_roles"
    other_level = "other_level"
    no_agency = "no_agency"
    no_addressee = "no_addressee"
    no_downstream = "no_downstream"
    no_sites = "no_sites"
    no_incident = "no_incident"
    # not applicable: this run's log
    no_start = "no_start"
    truth_before_start = "truth_before_start"
    ended_before_limit = "ended_before_limit"
    not_in_log = "not_in_log"


class Evaluation(NamedTuple):
    """The outcome of one criterion for one cell, before points and sentences.

    ``share`` is the fraction of the criterion's points earned (``None`` when not applicable
    or pending). ``reason`` names the case for ``scoring.explain``; ``detail`` its facts. A
    named tuple: one is made per criterion and cell of every log scored.
    """

    status: Status
    share: float | None
    reason: Reason
    evidence: tuple[int, ...] = ()
    start_min: float | None = None
    at_min: float | None = None
    elapsed_min: float | None = None
    limit_min: float | None = None
    detail: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Context:
    """What every criterion is evaluated against."""

    world: World
    view: RunView
    truth: TrueLevel
    judge_medians: dict[tuple[str, str], float] = field(default_factory=dict)
    """Median judges' score per (cell, criterion id); see ``scoring.judges``."""


def _na(reason: Reason, **detail: Any) -> Evaluation:
    return Evaluation(Status.not_applicable, None, reason, detail=detail)


def _by_share(share: float) -> Status:
    if share >= 1 - EPS:
        return Status.met
    return Status.missed if share <= EPS else Status.partial


# -- applicability ------------------------------------------------------------------------------


def not_applicable_because(item: Criterion | Penalty, ctx: Context, cell: str) -> Reason | None:
    """Why ``item`` does not apply to ``cell`` (``None`` when it does)."""
    if item.cells and cell not in item.cells:
        return Reason.other_cells
    if item.cell_roles and ctx.world.cell_roles(cell).isdisjoint(item.cell_roles):
        return Reason.other_roles
    if isinstance(item, Criterion) and item.when_level and ctx.truth.level not in item.when_level:
        return Reason.other_level
    return None


def impossible(m: ActionMatch, world: World, cell: str) -> Reason | None:
    """Why no action could ever match ``m`` in this scenario (``None``: one could). A
    criterion the scenario gives no means to meet is not applicable, not missed."""
    if m.task is not None and not world.can_do(m.task.value):
        return Reason.no_agency
    level = m.to_level
    if level is not None and level != "above" and not world.has_any_of_level(level):
        return Reason.no_addressee
    if level == "above":
        own = world.cell_jurisdiction(cell)
        if own is None or len(world.ancestors(own)) < 2:
            return Reason.no_addressee
    if m.target_downstream_of is not None and not world.downstream_for(cell):
        return Reason.no_downstream
    return None


# -- credit -------------------------------------------------------------------------------------


def credit_share(credit: Credit, elapsed: float, limit: float | None) -> float:
    """Share of the points for an action ``elapsed`` minutes after the start."""
    if limit is None or elapsed <= limit + EPS:
        return 1.0
    if isinstance(credit, LinearCredit):
        zero_at = credit.linear_to_zero_at
        if zero_at <= limit + EPS:
            return 0.0  # a truth deadline came before the curve's zero: nothing left to earn
        return max(0.0, min(1.0, (zero_at - elapsed) / (zero_at - limit)))
    if isinstance(credit, BandCredit):
        return next((b.share for b in credit.bands if elapsed <= b.within + EPS), 0.0)
    return 0.0


# -- timed criteria -----------------------------------------------------------------------------


def _window(
    criterion: Criterion, ctx: Context, start: Moment, cell: str
) -> Evaluation | dict[str, Any]:
    """The limit in minutes after ``start`` (``limit_min`` may be None: no limit), or an
    Evaluation when the criterion cannot apply."""
    limit = criterion.limit
    detail: dict[str, Any] = {}
    if criterion.limit_by_level is not None:
        limit = report_limit_min(criterion.limit_by_level, ctx.truth)
        if limit is None:
            return _na(Reason.no_incident)
        level, raised_by = reporting_level(criterion.limit_by_level, ctx.truth)
        detail.update(level=level.value if level else None, raised_by=list(raised_by))
    if criterion.deadline is not None:
        event = truth_moment(criterion.deadline.before_truth, ctx.view, ctx.world, cell)
        if event is not None:
            if event.t_min < start.t_min - EPS:
                return _na(Reason.truth_before_start, place=criterion.deadline.before_truth.place)
            margin = criterion.deadline.margin
            window = max(0.0, event.t_min - margin - start.t_min)
            detail.update(
                truth_min=event.t_min,
                truth_seq=event.seq,
                margin=margin,
                place=event.site or criterion.deadline.before_truth.place,
            )
            limit = window if limit is None else min(limit, window)
    detail["limit_min"] = limit
    return detail


def evaluate_timed(criterion: Criterion, ctx: Context, cell: str) -> Evaluation:
    """A timed criterion: first matching action after the start, against the limit."""
    assert criterion.end is not None
    why = impossible(criterion.end.action, ctx.world, cell)
    if why is not None:
        return _na(why)
    start, start_kind = start_moment(criterion, ctx.view, cell)
    if start is None:
        return _na(Reason.no_start, start=start_kind)
    window = _window(criterion, ctx, start, cell)
    if isinstance(window, Evaluation):
        return window
    limit = window.pop("limit_min")
    detail = {"start": start_kind, **window}
    if criterion.end.each_site is not None:
        return _coverage(criterion, ctx, cell, start, limit, detail)
    actions = ctx.view.actions_of(cell, criterion.end.action.kind)
    action = first_match(actions, criterion.end.action, ctx.world, cell)
    base = (start.seq, *((window["truth_seq"],) if "truth_seq" in window else ()))
    if action is None:
        if limit is not None and start.t_min + limit > ctx.view.end_min + EPS:
            return _na(Reason.ended_before_limit, end_min=ctx.view.end_min, limit_min=limit)
        return Evaluation(
            Status.missed, 0.0, Reason.not_done, base, start.t_min, None, None, limit,
            {**detail, "end_min": ctx.view.end_min},
        )  # fmt: skip
    elapsed = max(0.0, action.t_min - start.t_min)
    share = credit_share(criterion.credit, elapsed, limit)
    on_time = limit is None or elapsed <= limit + EPS
    status = Status.met if on_time else Status.late
    return Evaluation(
        status, share, Reason.done, (*base, action.seq), start.t_min, action.t_min, elapsed, limit,
        {**detail, "action": action.kind},
    )  # fmt: skip


def _coverage(
    criterion: Criterion,
    ctx: Context,
    cell: str,
    start: Moment,
    limit: float | None,
    detail: dict[str, Any],
) -> Evaluation:
    """One matching action per site of the set; the share is the mean over sites."""
    assert criterion.end is not None and criterion.end.each_site is not None
    wanted = criterion.end.each_site
    sites = [
        s.id
        for s in ctx.world.scenario.sites
        if s.kind in wanted.site_kind
        and (wanted.downstream_of is None or s.id in ctx.world.downstream_sites)
    ]
    if not sites:
        return _na(Reason.no_sites)
    actions = ctx.view.actions_of(cell, criterion.end.action.kind)
    shares: list[float] = []
    evidence = [start.seq]
    missing: list[str] = []
    late: list[str] = []
    last_at: float | None = None
    for sid in sites:
        action = first_match(actions, criterion.end.action, ctx.world, cell, site=sid)
        if action is None:
            missing.append(sid)
            shares.append(0.0)
            continue
        evidence.append(action.seq)
        elapsed = max(0.0, action.t_min - start.t_min)
        if limit is not None and elapsed > limit + EPS:
            late.append(sid)
        shares.append(credit_share(criterion.credit, elapsed, limit))
        last_at = action.t_min if last_at is None else max(last_at, action.t_min)
    share = sum(shares) / len(sites)
    if missing:
        status = Status.missed if len(missing) == len(sites) else Status.partial
    else:
        status = Status.late if late else Status.met
    elapsed_all = None if last_at is None else max(0.0, last_at - start.t_min)
    return Evaluation(
        status, share, Reason.coverage, tuple(sorted(evidence)), start.t_min, last_at, elapsed_all,
        limit, {**detail, "sites": sites, "missing": missing, "late": late},
    )  # fmt: skip


# -- content, outcome, match, judge -------------------------------------------------------------


def evaluate_content(criterion: Criterion, ctx: Context, cell: str) -> Evaluation:
    """Elements present in the most complete action matching ``content.of`` (the earliest of
    equals), so sending another, sparser report never lowers the score."""
    assert criterion.content is not None
    required = list(criterion.content.elements)
    best: ActionRecord | None = None
    best_count = -1
    for action in ctx.view.actions_of(cell, criterion.content.of.kind):
        if action_matches(action, criterion.content.of, ctx.world, cell):
            count = len(action.elements & set(required))
            if count > best_count:
                best, best_count = action, count
    if best is None:
        return Evaluation(Status.missed, 0.0, Reason.no_report, detail={"required": required})
    action = best
    present = [e for e in required if e in action.elements]
    missing = [e for e in required if e not in action.elements]
    share = len(present) / len(required)
    return Evaluation(
        _by_share(share), share, Reason.elements, (action.seq,), at_min=action.t_min,
        detail={"required": required, "missing": missing, "present": len(present)},
    )  # fmt: skip


def _outcome_sites(ctx: Context, site: str | None, kind: SiteKind | None) -> list[str]:
    if site is not None:
        return [site]
    return [s.id for s in ctx.world.scenario.sites if s.kind == kind]


def _measure(name: str, sid: str, ctx: Context) -> tuple[float | None, list[int]]:
    """The measured value at a site and the records showing it (None: not in the log)."""
    view = ctx.view
    if name == "delivered_exceedance_min":
        spans = view.polluted.get(sid, [])
        total = sum((end if end is not None else view.end_min) - t0 for t0, end, _ in spans)
        return total, [seq for _, _, seq in spans]
    peak = view.peaks.get(sid)
    if peak is None:
        return 0.0, []  # the plume never peaked there: nothing reached it
    data = peak.data
    if name == "mass_across_kg":
        mass = data.get("mass_kg")
        return (float(mass) if mass is not None else None), [peak.seq]
    value = float(data.get("value_mg_l") or 0.0)
    if name == "peak_factor":
        standard = float(data.get("standard_mg_l") or 0.0)
        return (max(0.0, (value - standard) / standard) if standard > 0 else None), [peak.seq]
    return value, [peak.seq]


def evaluate_outcome(criterion: Criterion, ctx: Context, cell: str) -> Evaluation:
    """A bound on the truth at a site, or at every site of a kind (share: sites within)."""
    assert criterion.outcome is not None
    name, bound = criterion.outcome.measure
    sites = _outcome_sites(ctx, bound.site, bound.site_kind)
    if not sites:
        return _na(Reason.no_sites)
    values: dict[str, float] = {}
    evidence: list[int] = []
    unknown: list[str] = []
    for sid in sites:
        value, seqs = _measure(name, sid, ctx)
        evidence.extend(seqs)
        if value is None:
            unknown.append(sid)
        else:
            values[sid] = value
    if not values:
        return _na(Reason.not_in_log, measure=name, sites=unknown)
    over = [s for s, v in values.items() if v > bound.max + EPS]
    share = 1 - len(over) / len(values)
    return Evaluation(
        _by_share(share), share, Reason.outcome, tuple(sorted(evidence)),
        detail={"measure": name, "max": bound.max, "values": values, "over": over},
    )  # fmt: skip


_LEVEL_ORDER = {"I": 1, "II": 2, "III": 3, "IV": 4}


def evaluate_match(criterion: Criterion, ctx: Context, cell: str) -> Evaluation:
    """The level the cell declared (first or last declaration) against the true level."""
    assert criterion.match is not None
    truth = ctx.truth.level
    if truth is None:
        return _na(Reason.no_incident)
    sources = set(criterion.match.sources)
    declared = [
        a
        for a in ctx.view.actions.get(cell, [])
        if a.kind in sources and a.data.get("level") in _LEVEL_ORDER
    ]
    if not declared:
        return Evaluation(Status.missed, 0.0, Reason.not_declared, detail={"truth": truth.value})
    chosen = declared[0] if criterion.match.which == "first" else declared[-1]
    level = str(chosen.data["level"])
    gap = abs(_LEVEL_ORDER[level] - _LEVEL_ORDER[truth.value])
    share = 1.0 if gap == 0 else criterion.match.off_by_one_share if gap == 1 else 0.0
    return Evaluation(
        _by_share(share), share, Reason.declared, (chosen.seq,), at_min=chosen.t_min,
        detail={"declared": level, "truth": truth.value},
    )  # fmt: skip


def evaluate_judge(criterion: Criterion, ctx: Context, cell: str) -> Evaluation:
    """The judges' median score, or pending when no judge has scored it."""
    assert criterion.judge is not None
    median = ctx.judge_medians.get((cell, criterion.id))
    if median is None:
        return Evaluation(
            Status.pending, None, Reason.not_scored, detail={"max": criterion.judge.max}
        )
    share = median / criterion.judge.max
    detail = {"median": median, "max": criterion.judge.max}
    return Evaluation(_by_share(share), share, Reason.judged, detail=detail)


def evaluate(criterion: Criterion, ctx: Context, cell: str) -> Evaluation:
    """Evaluate any criterion for ``cell``, applicability first."""
    why = not_applicable_because(criterion, ctx, cell)
    if why is not None:
        return _na(why)
    if criterion.end is not None:
        return evaluate_timed(criterion, ctx, cell)
    if criterion.content is not None:
        return evaluate_content(criterion, ctx, cell)
    if criterion.outcome is not None:
        return evaluate_outcome(criterion, ctx, cell)
    if criterion.match is not None:
        return evaluate_match(criterion, ctx, cell)
    return evaluate_judge(criterion, ctx, cell)
