"""A steppable drill: the engine driven from outside, one call at a time.

A live driver (such as the planned live server, DESIGN.md "Live drills") maps the wall clock to
drill minutes and calls :meth:`LiveSession.advance_to`; teams' actions go to
:meth:`LiveSession.submit`; the trainer pauses, resumes, fires manual injects and ends the
drill. Response logs and replays drive the very same calls, so a live drill's log can be
replayed byte for byte from its own records (``riverdrill replay``).

Ordering rule (what makes replay exact): ``advance_to(t)`` stops *before* the engine's own
events at ``t``; an action submitted at ``t`` is therefore logged before an inject due at the
same minute. Drill times are rounded to 1e-4 min (the log's precision), so the times in the
log are the times that were used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenarios.actions import Action
from scenarios.schema import Scenario
from sim.clock import TIME_DECIMALS
from sim.log import Kind, Log, Record
from sim.model import DrillModel

_INBOX = frozenset({Kind.inject_delivered, Kind.message_delivered})
_TASK_END = frozenset({Kind.task_completed, Kind.task_failed})


@dataclass(frozen=True)
class CellView:
    """What one cell may see now: never the truth, never another cell's traffic.

    Attributes:
        cell: The cell.
        clock_min: Drill minutes since the scenario's start.
        paused: Whether the controller has paused the clock.
        ended: Whether the drill is over.
        inbox: Injects and messages delivered to the cell, oldest first.
        results: Monitoring results delivered to the cell.
        open_tasks: Requests accepted and not yet done: ``request_seq, agency, task, site,
            status`` (``accepted``/``working``/``sampling``) and ``eta_min``.
        records: Every record the cell may see (its actions, answers, the above).
    """

    cell: str
    clock_min: float
    paused: bool
    ended: bool
    inbox: tuple[Record, ...]
    results: tuple[Record, ...]
    open_tasks: tuple[dict[str, Any], ...]
    records: tuple[Record, ...]


class LiveSession:
    """One drill instance stepped from outside.

    Args:
        scenario: The validated scenario.
        seed: The run's seed.
        driver: Recorded in ``run_started`` (``live``, ``responses``, ``team``).
        team: The team's name, recorded in ``run_started``.
    """

    def __init__(
        self, scenario: Scenario, seed: int, *, driver: str = "live", team: str | None = None
    ) -> None:
        self.model = DrillModel(scenario, seed, driver=driver, team=team)
        self.paused = False

    @property
    def log(self) -> Log:
        """The run's event log so far."""
        return self.model.log

    @property
    def clock_min(self) -> float:
        """The drill clock (minutes)."""
        return float(self.model.env.now)

    @property
    def end_min(self) -> float:
        """When the drill ends (the scenario's duration)."""
        return self.model.end_min

    @property
    def ended(self) -> bool:
        """Whether ``run_ended`` has been logged."""
        return self.model.ended

    def advance_to(self, t_min: float) -> float:
        """Run the engine up to drill minute ``t_min`` (no-op while paused or if earlier).

        Reaching the scenario's duration ends the run (``run_ended``, reason ``duration``).

        Returns:
            The drill clock afterwards.
        """
        if self.paused or self.ended:
            return self.clock_min
        target = min(round(float(t_min), TIME_DECIMALS), self.end_min)
        if target > self.model.env.now:
            self.model.env.run(until=target)
        if self.model.env.now >= self.end_min:
            self.model.finish("duration")
        return self.clock_min

    def submit(self, cell: str, action: Action) -> Record:
        """Take ``cell``'s action at the current drill time (also while paused).

        Returns:
            The ``action_taken`` record, or ``action_refused`` with the reason.
        """
        return self.model.submit(cell, action)

    def pause(self) -> Record | None:
        """Stop the drill clock (``clock_paused``); None if already paused."""
        if self.paused or self.ended:
            return None
        self.paused = True
        return self._clock(Kind.clock_paused)

    def resume(self) -> Record | None:
        """Restart the drill clock (``clock_resumed``); None if not paused."""
        if not self.paused or self.ended:
            return None
        self.paused = False
        return self._clock(Kind.clock_resumed)

    def _clock(self, kind: Kind) -> Record:
        return self.model.record(kind, actor="control", visible_to=self.model.cells)

    def fire_manual(self, inject_id: str) -> Record:
        """Deliver a manual inject now.

        Raises:
            ValueError: If it is not a manual inject, was already delivered, or the drill ended.
        """
        if self.ended:
            raise ValueError("the drill has ended")
        return self.model.injector.fire_manual(inject_id)

    def end(self) -> Record:
        """End the drill now, at the controller's word (``ended_by_controller``)."""
        return self.model.finish("ended_by_controller")

    def snapshot_for(self, cell: str) -> CellView:
        """What ``cell`` sees now.

        Raises:
            ValueError: If ``cell`` is not a cell of the scenario.
        """
        if cell not in self.model.index.cells:
            raise ValueError(
                f"cell(={cell!r}) is not in the scenario ({', '.join(self.model.cells)})"
            )
        records = tuple(self.log.visible_to(cell))
        return CellView(
            cell=cell,
            clock_min=self.clock_min,
            paused=self.paused,
            ended=self.ended,
            inbox=tuple(r for r in records if r.kind in _INBOX),
            results=tuple(r for r in records if r.kind is Kind.result_delivered),
            open_tasks=open_tasks(records),
            records=records,
        )


def open_tasks(records: tuple[Record, ...]) -> tuple[dict[str, Any], ...]:
    """Requests accepted and not yet completed or failed, from a cell's visible records."""
    tasks: dict[int, dict[str, Any]] = {}
    for record in records:
        seq = int(record.data.get("request_seq", -1))
        if record.kind is Kind.request_accepted:
            tasks[seq] = {
                "request_seq": seq,
                "agency": record.data["agency"],
                "task": record.data["task"],
                "site": record.data["site"],
                "status": "accepted",
                "eta_min": record.data["eta_min"],
            }
        elif record.kind is Kind.task_started and seq in tasks:
            sampling = record.data["task"] == "monitoring"
            tasks[seq]["status"] = "sampling" if sampling else "working"
        elif record.kind in _TASK_END:
            tasks.pop(seq, None)
    return tuple(tasks.values())
