"""Penalties: points taken off per occurrence of something a team should not have done.

- ``action_refused`` / ``request_refused``: the engine refused an action (malformed, not
  allowed for the cell) or an agency refused a request.
- ``wrong_site``: a request of one of the listed tasks (closing an intake, operating a gate)
  at a site that is not downstream of any spill — the plume could never reach it, so the wrong
  one was closed.
- ``published_peak_off_by_pct``: a published peak (``publish.peak_mg_l``) that differs by
  more than the percentage from the true peak at every site (the figure matches no site).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.criteria import Context, not_applicable_because
from scoring.rubric import Penalty


@dataclass(frozen=True)
class Hit:
    """One occurrence of a penalised happening."""

    seq: int
    t_min: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PenaltyOutcome:
    """The occurrences of a penalty for a cell and the points taken off (``None``: the
    penalty does not apply to the cell)."""

    hits: tuple[Hit, ...]
    deducted: float | None
    why_not: str | None = None


def _hits(penalty: Penalty, ctx: Context, cell: str) -> list[Hit]:
    when, view = penalty.when, ctx.view
    if when.action_refused:
        return [
            Hit(r.seq, r.t_min, {"reason": dict(r.data.get("reason") or {})})
            for r in view.refused.get(cell, [])
        ]
    if when.request_refused:
        return [
            Hit(r.seq, r.t_min, {"reason": dict(r.data.get("reason") or {})})
            for r in view.requests_refused.get(cell, [])
        ]
    if when.wrong_site is not None:
        tasks = {t.value for t in when.wrong_site.task}
        return [
            Hit(a.seq, a.t_min, {"task": a.data.get("task"), "site": a.data.get("site")})
            for a in view.actions.get(cell, [])
            if a.kind == "request"
            and a.data.get("task") in tasks
            and a.data.get("site") in ctx.world.sites
            and a.data.get("site") not in ctx.world.downstream_sites
        ]
    assert when.published_peak_off_by_pct is not None
    truths = [
        float(r.data.get("value_mg_l") or 0.0)
        for r in view.peaks.values()
        if float(r.data.get("value_mg_l") or 0.0) > 0
    ]
    if not truths:
        return []  # nothing to compare a figure with
    hits = []
    for a in view.actions.get(cell, []):
        published = a.data.get("peak_mg_l") if a.kind == "publish" else None
        if published is None:
            continue
        error = min(abs(float(published) - v) / v * 100.0 for v in truths)
        if error > when.published_peak_off_by_pct:
            hits.append(Hit(a.seq, a.t_min, {"published": published, "error_pct": error}))
    return hits


def evaluate_penalty(penalty: Penalty, ctx: Context, cell: str) -> PenaltyOutcome:
    """The occurrences of ``penalty`` for ``cell`` and the points taken off (capped)."""
    why = not_applicable_because(penalty, ctx, cell)
    if why is not None:
        return PenaltyOutcome((), None, why)
    hits = tuple(_hits(penalty, ctx, cell))
    deducted = len(hits) * penalty.points
    if penalty.max_total is not None:
        deducted = min(deducted, penalty.max_total)
    return PenaltyOutcome(hits, round(deducted, 2))
