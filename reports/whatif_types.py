"""What a what-if is, as data: the change made, the run's outcome and the re-run's outcome.

Kept apart from ``reports.whatif`` (which re-runs the drill and so needs the engine: Mesa,
simpy) so that a report built from stored what-ifs (``reports.whatif_store``) and the
sentences of ``reports.whatif_text`` load none of it.

:func:`to_data` and :func:`from_data` convert results to and from plain JSON values; a report
always builds its what-if section from that form, so it is the same whether the results were
just computed or read back from ``whatif.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reports.stored import (
    json_integer,
    json_list,
    json_number,
    json_object,
    json_optional,
    json_text,
)

if TYPE_CHECKING:
    from sim.run import Command

CHANGE_KINDS = ("late", "missing", "earlier", "added")


@dataclass(frozen=True)
class Outcome:
    """The consequences of one run that a what-if compares."""

    points: float
    delivered_min: dict[str, float]
    """Per intake: minutes it supplied water above the standard."""


@dataclass(frozen=True)
class Change:
    """One counterfactual: an action moved (``seq``) or added, at ``target_min``."""

    kind: str
    """``late`` / ``missing`` (a timed criterion) or ``earlier`` / ``added`` (an intake)."""
    cell: str
    action: dict[str, Any]
    target_min: float
    actual_min: float | None = None
    seq: int | None = None
    criterion: str | None = None
    intake: str | None = None


@dataclass(frozen=True)
class WhatIfResult:
    """A change, the run's outcome and the re-run's outcome."""

    change: Change
    actual: Outcome
    counterfactual: Outcome
    commands: tuple[Command, ...] = ()
    """The commands the re-run played; empty for results read back from their JSON form
    (the report never shows them)."""


def to_data(results: Sequence[WhatIfResult]) -> list[dict[str, Any]]:
    """Results as plain JSON values (the re-run's commands are left out)."""
    return [
        {
            "change": {
                "kind": r.change.kind,
                "cell": r.change.cell,
                "action": r.change.action,
                "target_min": r.change.target_min,
                "actual_min": r.change.actual_min,
                "seq": r.change.seq,
                "criterion": r.change.criterion,
                "intake": r.change.intake,
            },
            "actual": _outcome_data(r.actual),
            "counterfactual": _outcome_data(r.counterfactual),
        }
        for r in results
    ]


def _outcome_data(outcome: Outcome) -> dict[str, Any]:
    return {"points": outcome.points, "delivered_min": dict(outcome.delivered_min)}


def from_data(data: Any) -> list[WhatIfResult]:
    """Results from the form :func:`to_data` writes, checked field by field.

    Raises:
        ValueError: For anything that is not that form (a garbled or hand-edited file).
    """
    return [
        WhatIfResult(
            _change(json_object(item, "result").get("change")),
            _outcome(item.get("actual")),
            _outcome(item.get("counterfactual")),
        )
        for item in json_list(data, "what-if results")
    ]


def _outcome(value: Any) -> Outcome:
    data = json_object(value, "outcome")
    delivered = json_object(data.get("delivered_min"), "delivered_min")
    return Outcome(
        json_number(data.get("points"), "points"),
        {str(k): json_number(v, "delivered_min") for k, v in delivered.items()},
    )


def _change(value: Any) -> Change:
    data = json_object(value, "change")
    kind = data.get("kind")
    if kind not in CHANGE_KINDS:
        raise ValueError(f"change.kind must be one of {', '.join(CHANGE_KINDS)}")
    action = dict(json_object(data.get("action"), "change.action"))
    json_text(action.get("kind"), "change.action.kind")
    return Change(
        kind,
        json_text(data.get("cell"), "change.cell"),
        action,
        json_number(data.get("target_min"), "change.target_min"),
        json_optional(data.get("actual_min"), json_number, "change.actual_min"),
        json_optional(data.get("seq"), json_integer, "change.seq"),
        json_optional(data.get("criterion"), json_text, "change.criterion"),
        json_optional(data.get("intake"), json_text, "change.intake"),
    )


__all__ = ["Change", "Outcome", "WhatIfResult", "from_data", "to_data"]
