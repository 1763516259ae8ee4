"""The drill model: one run's clock, agents, truth and log, wired together.

:class:`DrillModel` is a ``mesa.Model`` (it owns the agent registry and, through a named
stream, Mesa's generators) holding a ``simpy.Environment`` whose clock is drill minutes. It
draws the variant, builds the agencies, starts the injects and the truth narrator, and is the
single door through which actions come in (:meth:`DrillModel.submit`) and records go out
(:meth:`DrillModel.record`). Behaviour lives in the modules it wires: ``agencies``, ``injects``,
``monitoring``, ``truth``, ``narrator``; drivers (``run``, ``live``, ``teams``) step it from
outside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import mesa
import simpy

from scenarios.actions import Action, RequestAction
from scenarios.schema import Reach, Scenario
from sim.actions import Index, action_data, check_action, relayed
from sim.agencies import Agency, agencies_for
from sim.injects import Injector
from sim.interventions import Intervention, intervention_data
from sim.log import LOG_FORMAT, Kind, Log, Record
from sim.narrator import log_peaks, narrate_spills, narrate_truth
from sim.rng import Streams, draw_variant
from sim.truth import TruthKeeper

ActionWatcher = Callable[[str, Action, Record], None]
"""Called with (cell, action, its action_taken record) for every accepted action."""

RecordListener = Callable[[Record], None]
"""Called with every record as it is appended (simulated teams read their inbox this way)."""


class DrillModel(mesa.Model):
    """One run of a scenario.

    Args:
        scenario: The validated scenario (the variant is drawn from ``seed``).
        seed: The run's seed; every random draw comes from its named streams.
        driver: How actions come in (``responses``, ``team``, ``live``), for the log.
        team: The team's name, if any, for the log.
    """

    def __init__(
        self, scenario: Scenario, seed: int, *, driver: str = "live", team: str | None = None
    ) -> None:
        streams = Streams(seed)
        super().__init__(rng=streams.generator("agents"))
        self.streams = streams
        self.seed = seed
        self.base_scenario = scenario
        self.scenario, self.variant = draw_variant(scenario, streams)
        self.end_min = float(self.scenario.duration)
        self.env = simpy.Environment(initial_time=0.0)
        self.log = Log()
        self.index = Index(self.scenario)
        self.reaches: dict[str, Reach] = {r.id: r for r in self.scenario.reaches}
        self.cells = tuple(c.id for c in self.scenario.cells)
        self.truth = TruthKeeper(self.scenario, self.end_min)
        self.truth_changed: simpy.Event = self.env.event()
        self.action_watchers: list[ActionWatcher] = []
        self.listeners: list[RecordListener] = []
        self.revealed_at: dict[str, float] = {}
        self.ended = False
        self.record(
            Kind.run_started,
            visible_to=self.cells,
            data={
                "log_format": LOG_FORMAT,
                "scenario": scenario.id,
                "seed": seed,
                "team": team,
                "cells": list(self.cells),
                "driver": driver,
            },
        )
        self.record(Kind.truth_variant, data={"variant": dict(self.variant)})
        self.agencies: dict[str, Agency] = agencies_for(self, self.scenario)
        self.injector = Injector(self)
        self.env.process(narrate_spills(self))
        self.narrator = self.env.process(narrate_truth(self))

    # --- records -------------------------------------------------------------------------------

    def record(
        self,
        kind: Kind,
        *,
        cell: str | None = None,
        actor: str | None = None,
        visible_to: Iterable[str] = (),
        data: dict[str, Any] | None = None,
    ) -> Record:
        """Append a record at the current drill time and tell the listeners."""
        entry = self.log.append(
            self.env.now, kind, cell=cell, actor=actor, visible_to=visible_to, data=data
        )
        for listener in self.listeners:
            listener(entry)
        return entry

    # --- actions ---------------------------------------------------------------------------------

    def submit(self, cell: str, action: Action) -> Record:
        """Take an action of ``cell`` now: refuse it with a reason, or log and play it.

        Never raises for a bad action: an invalid one becomes an ``action_refused`` record.
        """
        data = action_data(action)
        if self.ended:
            return self._refuse(cell, data, "kind", ("推演已结束", "the drill has ended"))
        problems = check_action(self.index, cell, action)
        if problems:
            first = problems[0]
            return self._refuse(cell, data, first.path, (first.reason.zh, first.reason.en))
        taken = self.record(
            Kind.action_taken, cell=cell, actor=cell, visible_to=(cell,), data={"action": data}
        )
        for watch in list(self.action_watchers):
            watch(cell, action, taken)
        if isinstance(action, RequestAction):
            self.agencies[action.agency].answer(cell, action, taken.seq)
        for receiver, channel, text in relayed(self.index, cell, action):
            self.record(
                Kind.message_delivered,
                cell=receiver,
                actor=cell,
                visible_to=(receiver,),
                data={
                    "from_cell": cell,
                    "channel": channel,
                    "text": text,
                    "action_seq": taken.seq,
                    "about": action.kind.value,
                },
            )
        return taken

    def _refuse(
        self, cell: str, data: dict[str, Any], field: str, reason: tuple[str, str]
    ) -> Record:
        audience = (cell,) if cell in self.index.cells else ()
        return self.record(
            Kind.action_refused,
            cell=cell,
            actor=cell,
            visible_to=audience,
            data={"action": data, "field": field, "reason": {"zh": reason[0], "en": reason[1]}},
        )

    # --- the river -------------------------------------------------------------------------------

    def intervene(self, item: Intervention, replacing: Intervention | None = None) -> None:
        """Bring an intervention into force and wake everything that plans on the truth."""
        self.truth.put(item, replacing)
        self.record(Kind.truth_intervention, data=intervention_data(item))
        self._truth_changed()

    def stop_spills(self, site: str | None) -> list[str]:
        """Cut off the spills still running (at ``site``, if given); their ids."""
        stopped = self.truth.stop_spills(self.env.now, site)
        if stopped:
            self.record(Kind.truth_intervention, data={"type": "StopSource", "spills": stopped})
            self._truth_changed()
        return stopped

    def _truth_changed(self) -> None:
        fired, self.truth_changed = self.truth_changed, self.env.event()
        fired.succeed()
        self.narrator.interrupt("truth changed")

    # --- the end ---------------------------------------------------------------------------------

    def finish(self, reason: str) -> Record:
        """Close the run: peaks and the incident level (control only), then ``run_ended``."""
        if self.ended:
            return self.log[len(self.log) - 1]
        log_peaks(self)
        grade = self.truth.grade(self.env.now)
        self.record(Kind.truth_level, data=grade.to_data())
        self.ended = True
        return self.record(Kind.run_ended, visible_to=self.cells, data={"reason": reason})
