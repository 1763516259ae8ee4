"""Simulated teams: dry runs, calibration and tests without people.

A profile (``sim.profiles``: ``prompt``, ``average``, ``slow``, ``chaotic`` or a user's own)
gives each step of the response a delay triangle, measured from the moment the cell learns of
the incident, and the rates of the classic mistakes. A simulated team is a Mesa agent that
reads only what its cell may see — the reveal inject, messages, monitoring results, agencies'
answers — and acts through ``DrillModel.submit`` like any other driver. It starts when its
cell learns of the incident: a ``reveals: incident`` inject, or a message from another cell.

What it knows beyond its inbox, and why: where the spill is (the first call says so, and a
real team reads it off the call) and the river's mean travel times (computing arrival times to
downstream receptors is part of the drill). Its level estimate is the level the river would
reach if nobody acted (``TruthKeeper.baseline``), wrong by one level at the profile's
``wrong_level`` rate. Everything else — exceedances at the intake, refusals — it learns as
its players would.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import simpy

from scenarios.actions import (
    Action,
    ActivatePlanAction,
    ArriveSceneAction,
    DeclareLevelAction,
    Level,
    MessageAction,
    NotifyAction,
    PublishAction,
    ReportAction,
    ReportContent,
    ReportKind,
    RequestAction,
)
from scenarios.schema import (
    ActionKind,
    Capability,
    Channel,
    IntakeSite,
    InterceptionSite,
    Site,
    SiteKind,
    StorageSite,
)
from sim.agentids import AGENT_IDS
from sim.log import Kind, Record
from sim.profiles import Step, TeamProfile
from sim.rng import draw_triangle
from sim.teamplan import Plan, agency_for, report_content

if TYPE_CHECKING:
    from sim.model import DrillModel

_LEVELS = (Level.I, Level.II, Level.III, Level.IV)


TEAM_READS = frozenset(
    {
        Kind.inject_delivered,
        Kind.message_delivered,
        Kind.result_delivered,
        Kind.request_accepted,
        Kind.request_refused,
    }
)
"""What a simulated team reads from its inbox (its own actions it knows already)."""

StepFn = Callable[[Plan], "Generator[Any, Any, None] | None"]
"""A step: done at once (returns None) or a generator that waits for answers."""


class SimulatedTeam(mesa.Agent):
    """A team playing one cell with a profile's tempo and mistakes.

    Args:
        model: The drill model.
        cell: The cell it plays.
        profile: Its profile.
    """

    _ids = AGENT_IDS  # shared with the agencies (see sim.agentids)

    def __init__(self, model: DrillModel, cell: str, profile: TeamProfile) -> None:
        super().__init__(model)
        self.drill = model
        self.cell = cell
        self.profile = profile
        self.draws = model.streams.sub("teams", cell)
        self.seen: list[Record] = []
        self.waiting: list[tuple[Callable[[Record], bool], simpy.Event]] = []
        self.closing: set[str] = set()
        model.listeners.append(self._hear)
        model.env.process(self.respond())

    def _hear(self, record: Record) -> None:
        if record.kind in TEAM_READS and self.cell in record.visible_to:
            self.seen.append(record)
            # Wake only the steps waiting for this very record: a team hears ~150 records a
            # drill and most are results below the standard that nobody waits for.
            if self.waiting:
                for waiter in [w for w in self.waiting if w[0](record)]:
                    self.waiting.remove(waiter)
                    waiter[1].succeed(record)

    def wait_for(
        self, wanted: Callable[[Record], bool], since: int = 0
    ) -> Generator[Any, Any, Record]:
        """Wait until a record the cell can see satisfies ``wanted``; return it.

        A record already heard (from the ``since``-th on) is returned at once; otherwise the
        step resumes when the first such record arrives (the others wake nobody).
        """
        seen = self.seen
        for i in range(since, len(seen)):
            if wanted(seen[i]):
                return seen[i]
        heard = self.drill.env.event()
        self.waiting.append((wanted, heard))
        found: Record = yield heard
        return found

    def act(self, action: Action) -> Record:
        """Submit an action of this cell now."""
        return self.drill.submit(self.cell, action)

    # --- the response ------------------------------------------------------------------------

    def respond(self) -> Generator[Any, Any, None]:
        """Wait to learn of the incident, then run every step of the profile in parallel.

        A cell learns of it from a ``reveals: incident`` inject or a message; a cell that no
        inject reveals it to (a water plant told only of symptoms) from its first inject.
        """
        told = any(i.to == self.cell and i.reveals for i in self.drill.scenario.injects)
        yield from self.wait_for(_learns_of_incident if told else _hears_anything)
        plan = Plan(self.drill, self.cell)
        env = self.drill.env
        steps = {
            Step.phone_report: self.report_by_phone,
            Step.written_report: self.report_in_writing,
            Step.request_monitoring: self.request_monitoring,
            Step.notify_downstream: self.notify_downstream,
            Step.activate_plan: self.activate_plan,
            Step.arrive_scene: self.go_to_scene,
            Step.declare_level: self.declare_level,
            Step.request_interception: self.request_interception,
            Step.operate_gate: self.hold_gate,
            Step.close_intake: self.close_intakes,
            Step.publish: self.publish_notice,
        }
        if not plan.commands:
            # An operator cell (a water plant) protects its own intakes, nothing else: after
            # its close_intake delay, or its reaction time when the profile has none.
            if plan.operates:
                triangle = self.profile.delays.get(Step.close_intake)
                delay = draw_triangle(self.draws, triangle or self.profile.react)
                env.process(self._after(delay, self.close_own_intakes, plan))
            return
        for step in Step:  # fixed order: the draws do not depend on dict order
            triangle = self.profile.delays.get(step)
            if triangle is None or step not in steps:
                continue
            delay = draw_triangle(self.draws, triangle)
            if float(self.draws.random()) < self.profile.errors.skip_step:
                continue
            env.process(self._after(delay, steps[step], plan))
        env.process(self.watch_results(plan))

    def _after(self, delay: float, step: StepFn, plan: Plan) -> Generator[Any, Any, None]:
        yield self.drill.env.timeout(delay)
        work = step(plan)
        if work is not None:  # a step that waits for answers is itself a process
            yield from work

    def _level(self, plan: Plan) -> Level:
        if float(self.draws.random()) >= self.profile.errors.wrong_level:
            return plan.level
        i = _LEVELS.index(plan.level)
        options = [_LEVELS[j] for j in (i - 1, i + 1) if 0 <= j < len(_LEVELS)]
        return options[int(self.draws.integers(len(options)))]

    def report_by_phone(self, plan: Plan) -> None:
        """Initial phone report (电话初报) to the bureau one level up."""
        self.act(
            ReportAction(
                kind=ActionKind.report,
                to=plan.upper,
                channel=Channel.phone,
                report=ReportKind.initial,
                level=self._level(plan),
            )
        )

    def report_in_writing(self, plan: Plan) -> None:
        """Written initial report, some elements left out at the profile's rate."""
        full = report_content(self.drill, plan)
        keep = {
            k: v
            for k, v in full.items()
            if float(self.draws.random()) >= self.profile.errors.missing_report_elements
        }
        self.act(
            ReportAction(
                kind=ActionKind.report,
                to=plan.upper,
                channel=Channel.written,
                report=ReportKind.initial,
                level=self._level(plan),
                content=ReportContent.model_validate(keep),
            )
        )

    def request_monitoring(self, plan: Plan) -> None:
        """Sampling at the first section below the spill, every intake and every boundary."""
        agency = agency_for(self.drill, self.cell, Capability.monitoring)
        first = plan.sites(SiteKind.monitoring)[:1]
        for site, _ in first + plan.sites(SiteKind.intake, SiteKind.boundary):
            if agency is not None:
                self.act(
                    RequestAction(
                        kind=ActionKind.request,
                        agency=agency,
                        task=Capability.monitoring,
                        site=site.id,
                        every=self.profile.monitoring_every,
                    )
                )

    def notify_downstream(self, plan: Plan) -> None:
        """Notify every downstream jurisdiction, forgetting some at the profile's rate."""
        for target in plan.neighbours:
            if float(self.draws.random()) >= self.profile.errors.forget_downstream_notice:
                self.act(NotifyAction(kind=ActionKind.notify, target=target, channel=Channel.phone))

    def activate_plan(self, plan: Plan) -> None:
        """Start the emergency plan."""
        self.act(ActivatePlanAction(kind=ActionKind.activate_plan, level=self._level(plan)))

    def go_to_scene(self, plan: Plan) -> None:
        """Arrive at the scene."""
        self.act(ArriveSceneAction(kind=ActionKind.arrive_scene))

    def declare_level(self, plan: Plan) -> None:
        """Declare the incident level."""
        self.act(DeclareLevelAction(kind=ActionKind.declare_level, level=self._level(plan)))

    def publish_notice(self, plan: Plan) -> None:
        """Publish authoritative information."""
        self.act(PublishAction(kind=ActionKind.publish, channel="website"))

    def request_interception(self, plan: Plan) -> Generator[Any, Any, None]:
        """Ask for an interception the plume has not passed yet; try the next if refused."""
        now = self.drill.env.now
        for site, eta in plan.downstream:
            if not isinstance(site, InterceptionSite | StorageSite):
                continue
            build_min = site.build_time if isinstance(site, InterceptionSite) else 0.0
            if eta <= now + build_min:
                continue  # too late to build before the plume arrives
            agency = agency_for(self.drill, self.cell, site.needs)
            if agency is None:
                continue
            taken = self.act(
                RequestAction(kind=ActionKind.request, agency=agency, task=site.needs, site=site.id)
            )
            if taken.kind is Kind.action_taken:
                answer = yield from self.wait_for(partial(_answers, taken.seq))
                if answer.kind is Kind.request_accepted:
                    return

    def hold_gate(self, plan: Plan) -> None:
        """Close the first dam or sluice below the spill that the plume has not passed."""
        now = self.drill.env.now
        gates = [s for s, eta in plan.sites(SiteKind.dam, SiteKind.sluice) if eta > now]
        if not gates:
            return
        site = gates[0]
        if float(self.draws.random()) < self.profile.errors.wrong_gate:
            wrong: list[Site] = list(plan.other_gates) or [
                s for s, _ in plan.sites(SiteKind.intake, SiteKind.monitoring)
            ]
            site = wrong[0] if wrong else site
        self._ask(Capability.operate_gate, site)

    def close_intakes(self, plan: Plan) -> None:
        """Close every intake below the spill (a precaution, before any result)."""
        for site, _ in plan.sites(SiteKind.intake):
            self._close(site)

    def close_own_intakes(self, plan: Plan) -> None:
        """Close the intakes below the spill that this cell's own agencies operate."""
        for site, _ in plan.downstream:
            if isinstance(site, IntakeSite) and site.operator in plan.operates:
                self._close(site)

    def _close(self, site: Site) -> None:
        if site.id in self.closing:
            return
        self.closing.add(site.id)
        self._ask(Capability.close_intake, site)

    def _ask(self, task: Capability, site: Site) -> None:
        """Request ``task`` at ``site`` of its operator — by message when a cell plays it."""
        operator = getattr(site, "operator", None)
        player = self.drill.index.player.get(operator or "")
        if player is not None and player != self.cell:
            text = {
                "zh": f"请执行{task.value}：{site.id}",
                "en": f"please {task.value} at {site.id}",
            }
            self.act(MessageAction(kind=ActionKind.message, to=player, text=text))
            return
        agency = agency_for(self.drill, self.cell, task, operator)
        if agency is not None:
            self.act(RequestAction(kind=ActionKind.request, agency=agency, task=task, site=site.id))

    def watch_results(self, plan: Plan) -> Generator[Any, Any, None]:
        """React to results above the standard: close that intake, send a follow-up report."""
        env, followed_up, looked = self.drill.env, False, 0
        while True:
            result = yield from self.wait_for(_exceeds, since=looked)
            # Next time, only what was heard after this result (the inbox is in seq order).
            looked = bisect_right(self.seen, result.seq, key=_seq)
            site = self.drill.index.sites[result.data["site"]]
            delay = draw_triangle(self.draws, self.profile.react)
            if site.kind == SiteKind.intake and site.id not in self.closing:
                env.process(self.close_later(delay, site))
            if not followed_up and plan.commands:
                followed_up = True
                env.process(self.follow_up_later(delay, plan, site.id))

    def close_later(self, delay: float, site: Site) -> Generator[Any, Any, None]:
        """Close an intake after the team's reaction time."""
        yield self.drill.env.timeout(delay)
        self._close(site)

    def follow_up_later(self, delay: float, plan: Plan, site: str) -> Generator[Any, Any, None]:
        """Send a written follow-up report (续报) about an exceedance."""
        yield self.drill.env.timeout(delay)
        self.act(
            ReportAction(
                kind=ActionKind.report,
                to=plan.upper,
                channel=Channel.written,
                report=ReportKind.follow_up,
                content=ReportContent(monitoring=f"{site} 超标"),
            )
        )


def _learns_of_incident(record: Record) -> bool:
    if record.kind is Kind.inject_delivered:
        return record.data.get("reveals") == "incident"
    return record.kind is Kind.message_delivered


def _hears_anything(record: Record) -> bool:
    return record.kind in (Kind.inject_delivered, Kind.message_delivered)


def _answers(seq: int, record: Record) -> bool:
    return (
        record.kind in (Kind.request_accepted, Kind.request_refused)
        and record.data.get("request_seq") == seq
    )


def _seq(record: Record) -> int:
    return record.seq


def _exceeds(record: Record) -> bool:
    if record.kind is not Kind.result_delivered:
        return False
    value = record.data.get("value_mg_l")
    return value is not None and value >= record.data.get("standard_mg_l", float("inf"))


def attach_teams(
    model: DrillModel, profile: TeamProfile, cells: tuple[str, ...] | None = None
) -> list[SimulatedTeam]:
    """Put a simulated team with ``profile`` on each cell (default: every cell)."""
    return [SimulatedTeam(model, cell, profile) for cell in (cells or model.cells)]
