"""The MSEL played out: every inject waits for its trigger, then lands in one cell's inbox.

One simpy process per inject, named for what it waits for. When a trigger fires, the inject is
delivered as an ``inject_delivered`` record visible only to its target cell (with channel and
sender; never the controller's ``notes``). An inject is delivered at most once.

Trigger semantics (where the scenario language is silent, decided here):

- ``at`` + ``jitter``: fires at ``at + U(-jitter, +jitter)``, clamped at 0 — symmetric, so
  ``at`` stays the expected time the trainer wrote. One uniform draw per inject, in scenario
  order, from the ``inject_jitter`` stream (drawn for every inject, so adding a jitter to one
  inject never moves another).
- ``plume_reaches``: the truth's arrival at the site; re-planned whenever an intervention
  changes the truth (a closed gate can postpone it, or stop it).
- ``exceeds``: the first time the site is above ``factor`` × standard; re-planned likewise.
- ``no_action … by``: fires at ``by`` unless the target cell took a matching action strictly
  before ``by`` (an action at exactly ``by`` is late; the rule does not depend on the order of
  events within one instant).
- ``after_action … delay``: fires ``delay`` after the target cell's first matching action.
  Both action triggers look at the inject's own cell (a contingency tests *that* cell), unless
  the filter names another ``cell``: in a joint exercise, "when the district reports to the
  city, the city gets an inject" watches the district's actions and delivers to the city.
- ``manual``: held until the controller fires it (``LiveSession.fire_manual``; a replay
  re-fires it at the recorded time). A response log cannot fire one: a paper tabletop has no
  controller, so manual injects stay undelivered there.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from scenarios.actions import Action
from scenarios.schema import (
    AfterActionTrigger,
    AtTrigger,
    ExceedsTrigger,
    Inject,
    ManualTrigger,
    NoActionTrigger,
    PlumeReachesTrigger,
)
from sim.actions import matches
from sim.clock import EPS_MIN
from sim.log import Kind, Record

if TYPE_CHECKING:
    from sim.model import DrillModel


def jittered_min(at_min: float, jitter_min: float, u: float) -> float:
    """The firing time of an ``at`` trigger for a uniform draw ``u`` in [0, 1)."""
    return max(0.0, at_min + (2.0 * u - 1.0) * jitter_min)


class Injector:
    """Starts one process per inject and delivers what fires.

    Args:
        model: The drill model (its scenario, clock, truth and log).
    """

    def __init__(self, model: DrillModel) -> None:
        self.model = model
        self.delivered: dict[str, float] = {}
        self.manual: dict[str, Inject] = {}
        injects = model.scenario.injects
        draws = model.streams.generator("inject_jitter").random(len(injects))
        for inject, u in zip(injects, draws, strict=True):
            if inject.to not in model.index.cells:
                continue  # crossref refuses this at load; guard hand-built scenarios
            trigger = inject.trigger
            env = model.env
            if isinstance(trigger, AtTrigger):
                env.process(
                    self.deliver_at(inject, jittered_min(trigger.at, trigger.jitter, float(u)))
                )
            elif isinstance(trigger, PlumeReachesTrigger):
                env.process(self.await_plume(inject, trigger.plume_reaches))
            elif isinstance(trigger, ExceedsTrigger):
                env.process(
                    self.await_exceedance(inject, trigger.exceeds.site, trigger.exceeds.factor)
                )
            elif isinstance(trigger, NoActionTrigger):
                env.process(self.await_deadline(inject, trigger))
            elif isinstance(trigger, AfterActionTrigger):
                self._watch_for_action(inject, trigger)
            else:
                assert isinstance(trigger, ManualTrigger)
                self.manual[inject.id] = inject

    # --- delivery ----------------------------------------------------------------------------

    def deliver(self, inject: Inject) -> Record | None:
        """Put ``inject`` in its cell's inbox now (once); returns the record, if delivered."""
        if inject.id in self.delivered:
            return None
        model = self.model
        self.delivered[inject.id] = model.env.now
        record = model.record(
            Kind.inject_delivered,
            cell=inject.to,
            actor=inject.from_.zh if inject.from_ is not None else None,
            visible_to=(inject.to,),
            data={
                "inject": inject.id,
                "channel": inject.channel.value,
                "from": inject.from_.model_dump() if inject.from_ is not None else None,
                "text": inject.text.model_dump(),
                "reveals": inject.reveals,
                "attachments": list(inject.attachments),
            },
        )
        if inject.reveals == "incident":
            model.revealed_at.setdefault(inject.to, model.env.now)
        return record

    def fire_manual(self, inject_id: str) -> Record:
        """Deliver a manual inject now, for the controller.

        Raises:
            ValueError: If ``inject_id`` is not a manual inject or was already delivered.
        """
        inject = self.manual.get(inject_id)
        if inject is None:
            known = ", ".join(sorted(self.manual)) or "none"
            raise ValueError(f"inject(={inject_id!r}) is not a manual inject (manual: {known})")
        record = self.deliver(inject)
        if record is None:
            raise ValueError(f"inject(={inject_id!r}) was already delivered")
        return record

    # --- the processes --------------------------------------------------------------------------

    def deliver_at(self, inject: Inject, at_min: float) -> Generator[Any, Any, None]:
        """Wait until ``at_min``, then deliver."""
        yield self.model.env.timeout(at_min)
        self.deliver(inject)

    def await_plume(self, inject: Inject, site: str) -> Generator[Any, Any, None]:
        """Deliver when the plume reaches ``site`` (re-planned when the truth changes)."""
        yield from self._await_truth(inject, lambda: self.model.truth.arrival_min(site))

    def await_exceedance(
        self, inject: Inject, site: str, factor: float
    ) -> Generator[Any, Any, None]:
        """Deliver when ``site`` goes above ``factor`` × standard (re-planned likewise)."""
        yield from self._await_truth(inject, lambda: self.model.truth.first_above_min(site, factor))

    def _await_truth(self, inject: Inject, when: Any) -> Generator[Any, Any, None]:
        env = self.model.env
        while True:
            at = when()
            t = math.inf if at is None else float(at)
            if t <= env.now + EPS_MIN:
                self.deliver(inject)
                return
            waits = [self.model.truth_changed]
            if t < self.model.end_min:
                waits.append(env.timeout(t - env.now))
            yield env.any_of(waits)

    def await_deadline(self, inject: Inject, trigger: NoActionTrigger) -> Generator[Any, Any, None]:
        """Deliver at ``by`` unless the watched cell took the expected action before it."""
        done: list[float] = []
        actor = trigger.no_action.cell or inject.to

        def watch(cell: str, action: Action, record: Record) -> None:
            if cell == actor and not done and matches(trigger.no_action, action, self.model.index):
                done.append(record.t_min)

        self.model.action_watchers.append(watch)
        yield self.model.env.timeout(trigger.by)
        self.model.action_watchers.remove(watch)
        if not any(t < trigger.by for t in done):
            self.deliver(inject)

    def _watch_for_action(self, inject: Inject, trigger: AfterActionTrigger) -> None:
        model = self.model
        actor = trigger.after_action.cell or inject.to

        def watch(cell: str, action: Action, record: Record) -> None:
            if cell == actor and matches(trigger.after_action, action, model.index):
                model.action_watchers.remove(watch)
                model.env.process(self.deliver_after(inject, trigger.delay))

        model.action_watchers.append(watch)

    def deliver_after(self, inject: Inject, delay_min: float) -> Generator[Any, Any, None]:
        """Wait ``delay_min`` after the awaited action, then deliver."""
        yield self.model.env.timeout(delay_min)
        self.deliver(inject)
