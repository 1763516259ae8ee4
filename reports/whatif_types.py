"""What a what-if is, as data: the change made, the run's outcome and the re-run's outcome.

Kept apart from ``reports.whatif`` (which re-runs the drill and so needs the engine: Mesa,
simpy) so that a report built from stored what-ifs (``reports.whatif_store``) and the
sentences of ``reports.whatif_text`` load none of it.

:func:`to_data` and :func:`from_data` convert results to and from plain JSON values; a report
always builds its what-if section from that form, so it is the same whether the results were
just computed or read back from ``whatif.json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    if not isinstance(data, list):
        raise ValueError("what-if results must be a list")
    return [
        WhatIfResult(
            _change(_mapping(item, "result").get("change")),
            _outcome(item.get("actual")),
            _outcome(item.get("counterfactual")),
        )
        for item in data
    ]


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    return value


def _number(value: Any, what: str) -> float:
    # bool is an int to Python, but never a number of minutes or points
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number")
    return value


def _optional(value: Any, kind: type, what: str) -> Any:
    if value is None:
        return None
    if kind is float:
        return _number(value, what)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ValueError(f"{what} must be a {kind.__name__} or null")
    return value


def _outcome(value: Any) -> Outcome:
    data = _mapping(value, "outcome")
    delivered = _mapping(data.get("delivered_min"), "delivered_min")
    return Outcome(
        _number(data.get("points"), "points"),
        {str(k): _number(v, "delivered_min") for k, v in delivered.items()},
    )


def _change(value: Any) -> Change:
    data = _mapping(value, "change")
    kind, cell = data.get("kind"), data.get("cell")
    if kind not in CHANGE_KINDS:
        raise ValueError(f"change.kind must be one of {', '.join(CHANGE_KINDS)}")
    if not isinstance(cell, str):
        raise ValueError("change.cell must be text")
    action = dict(_mapping(data.get("action"), "change.action"))
    if not isinstance(action.get("kind"), str):
        raise ValueError("change.action.kind must be text")
    return Change(
        kind,
        cell,
        action,
        _number(data.get("target_min"), "change.target_min"),
        _optional(data.get("actual_min"), float, "change.actual_min"),
        _optional(data.get("seq"), int, "change.seq"),
        _optional(data.get("criterion"), str, "change.criterion"),
        _optional(data.get("intake"), str, "change.intake"),
    )


__all__ = ["Change", "Outcome", "WhatIfResult", "from_data", "to_data"]
