"""Agencies: the organisations that do what teams ask, after their delays, or push back.

Every scenario agency is a Mesa agent. A request is answered at once (accepted with an ETA,
or refused with a reason); an accepted request becomes a simpy process named for what the
agency does (``close_intake``, ``operate_gate``, ``build_interception``…): wait for a free
crew (``capacity`` as a ``simpy.Resource``), the response delay drawn from the agency's
triangle, the drive from its base to the site at ``travel_kmh`` (river km along the network),
then the work. Effects on the river go to the truth as plume interventions.

Decisions the scenario language leaves open:

- A crew is busy from dispatch until its work is *in place* (gate closed, dam built, sampling
  point set up); a monitoring schedule then runs without holding the crew, so one sampling
  team can serve several sections, as real ones do.
- An agency played by the requesting cell is that cell's own staff: the request is carried
  out with the agency's delays (the cell is the command post, its field units are simulated).
  An agency played by *another* cell refuses: "played by cell X — send it a message"; what
  that cell does is up to its players.
- Refusals (no such capability, an intake or dam that another agency runs, the facility is
  ``usable: false``, push-back drawn with ``refuse_probability``) come immediately, when the
  agency answers the phone. Closing or reopening an intake is its ``operator``'s job, and so
  is working a dam's or sluice's gates: any other agency refuses and names the operator,
  even one with the capability (a water company cannot shut another company's intake).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import simpy

from scenarios.actions import RequestAction
from scenarios.schema import Agency as AgencySpec
from scenarios.schema import (
    Capability,
    GateSite,
    IntakeSite,
    InterceptionSite,
    Scenario,
    StorageSite,
)
from sim.actions import Reason
from sim.agentids import AGENT_IDS
from sim.interventions import FlowRelease, GateHold, IntakeClosed, Interception, Storage
from sim.log import Kind
from sim.monitoring import sample_section
from sim.river import river_km_between
from sim.rng import draw_triangle

if TYPE_CHECKING:
    from sim.model import DrillModel

RELEASE_EXTRA_FRACTION = 0.5
"""A ``release_water`` request adds this share of the reach's discharge (scenarios give no
release volume; +50 % is a typical emergency release from a run-of-river reservoir)."""

OPERATOR_TASKS = frozenset(
    {Capability.close_intake, Capability.reopen_intake, Capability.operate_gate}
)
"""Tasks only the site's ``operator`` carries out: its intake's valves, its dam's gates. (A
storage or interception site has no operator: any agency with the capability may do it.)"""


_INTERCEPTION_TASKS = frozenset(
    {Capability.build_dam, Capability.dosing, Capability.activated_carbon, Capability.boom}
)


class Agency(mesa.Agent):
    """A scenario agency acting in the drill.

    Args:
        model: The drill model.
        spec: The agency as declared in the scenario.
        player: The cell that plays it, or ``None`` when it is simulated.
    """

    _ids = AGENT_IDS  # not Mesa's own counters: see sim.agentids

    def __init__(self, model: DrillModel, spec: AgencySpec, player: str | None) -> None:
        super().__init__(model)
        self.drill = model
        self.spec = spec
        self.agency_id = spec.id
        self.player = player
        self._crews: simpy.Resource | None = None
        self._delays: np.random.Generator | None = None

    @property
    def crews(self) -> simpy.Resource:
        """The agency's crews (``capacity`` tasks at once); made on first use."""
        if self._crews is None:
            self._crews = simpy.Resource(self.drill.env, capacity=self.spec.capacity)
        return self._crews

    @property
    def delays(self) -> np.random.Generator:
        """The agency's own random stream (``agency_delays`` keyed by its id)."""
        if self._delays is None:
            self._delays = self.drill.streams.sub("agency_delays", self.agency_id)
        return self._delays

    # --- answering ------------------------------------------------------------------------

    def answer(self, cell: str, request: RequestAction, request_seq: int) -> None:
        """Accept ``request`` (and start the work) or refuse it, at the current time."""
        reason = self._refusal(cell, request)
        base = {
            "request_seq": request_seq,
            "agency": self.agency_id,
            "task": request.task.value,
            "site": request.site,
        }
        if reason is not None:
            self.drill.record(
                Kind.request_refused,
                cell=cell,
                actor=self.agency_id,
                visible_to=(cell,),
                data={**base, "reason": reason.as_dict()},
            )
            return
        delay_min = draw_triangle(self.delays, self.spec.respond)
        travel = self.travel_min(request.site)
        self.drill.record(
            Kind.request_accepted,
            cell=cell,
            actor=self.agency_id,
            visible_to=(cell,),
            data={**base, "eta_min": self.drill.env.now + self.expected_min(request, travel)},
        )
        self.drill.env.process(self.carry_out(cell, request, request_seq, delay_min, travel))

    def _refusal(self, cell: str, request: RequestAction) -> Reason | None:
        # Always draw, so the stream does not shift when a scenario edits refuse_probability.
        push_back = float(self.delays.random()) < self.spec.refuse_probability
        if self.player is not None and self.player != cell:
            return Reason(
                f"该部门由推演单元“{self.player}”扮演，请与其联系",
                f"this agency is played by cell {self.player!r}; send it a message",
            )
        if request.task not in self.spec.capabilities:
            have = ", ".join(c.value for c in self.spec.capabilities) or "—"
            return Reason(
                f"本部门不具备“{request.task.value}”能力（具备：{have}）",
                f"we cannot do {request.task.value} (we can: {have})",
            )
        site = self.drill.index.sites.get(request.site or "")
        if (
            request.task in OPERATOR_TASKS
            and isinstance(site, IntakeSite | GateSite)
            and site.operator != self.agency_id
        ):
            return _not_ours(self.drill, site, site.operator)
        if site is not None and not site.usable:
            return Reason(
                f"点位“{site.id}”已不具备使用条件",
                f"site {site.id!r} can no longer be used",
            )
        if push_back:
            return Reason(
                "力量已调往他处，暂时无法执行该任务",
                "our crews are committed elsewhere; we cannot take this on now",
            )
        return None

    def travel_min(self, site: str | None) -> float:
        """Minutes to drive from the agency's base to ``site`` (0 without base or site)."""
        if self.spec.base is None or site is None:
            return 0.0
        spot = self.drill.index.sites[site]
        km = river_km_between(
            self.drill.reaches, (self.spec.base.reach, self.spec.base.km), (spot.reach, spot.km)
        )
        return 0.0 if km == float("inf") else km / self.spec.travel_kmh * 60.0

    def expected_min(self, request: RequestAction, travel_min: float) -> float:
        """What the agency promises: its most likely delay, the drive and any build time."""
        site = self.drill.index.sites.get(request.site or "")
        build = site.build_time if isinstance(site, InterceptionSite) else 0.0
        return self.spec.respond.mode + travel_min + build

    # --- doing ------------------------------------------------------------------------------

    def carry_out(
        self, cell: str, request: RequestAction, request_seq: int, delay_min: float, travel: float
    ) -> Generator[Any, Any, None]:
        """Wait for a crew, respond, travel, then do the task (a simpy process)."""
        env = self.drill.env
        base = {
            "request_seq": request_seq,
            "agency": self.agency_id,
            "task": request.task.value,
            "site": request.site,
        }
        with self.crews.request() as crew:
            yield crew
            yield env.timeout(delay_min + travel)
            self.drill.record(
                Kind.task_started, cell=cell, actor=self.agency_id, visible_to=(cell,), data=base
            )
            work = self._work(request)
            effect_or_failure = yield env.process(work)
        if request.task == Capability.monitoring:
            env.process(
                sample_section(
                    self.drill,
                    agency=self.agency_id,
                    cell=cell,
                    request_seq=request_seq,
                    site=request.site or "",
                    every_min=request.every,
                    lab=request.lab,
                )
            )
            return
        if isinstance(effect_or_failure, Reason):
            self.drill.record(
                Kind.task_failed,
                cell=cell,
                actor=self.agency_id,
                visible_to=(cell,),
                data={**base, "reason": effect_or_failure.as_dict()},
            )
            return
        self.drill.record(
            Kind.task_completed,
            cell=cell,
            actor=self.agency_id,
            visible_to=(cell,),
            data={**base, "effect": effect_or_failure},
        )

    def _work(self, request: RequestAction) -> Generator[Any, Any, dict[str, Any] | Reason]:
        site = request.site or ""
        task = request.task
        if task == Capability.close_intake:
            return (yield from self.close_intake(site))
        if task == Capability.reopen_intake:
            return (yield from self.reopen_intake(site))
        if task == Capability.operate_gate:
            return (yield from self.operate_gate(site, request.hold))
        if task == Capability.release_water:
            return (yield from self.release_water(site))
        if task in _INTERCEPTION_TASKS or task == Capability.divert:
            return (yield from self.build_interception(site))
        if task == Capability.stop_source:
            return (yield from self.stop_source(request.site))
        return (yield from self.stand_by())  # monitoring set-up, evacuate, investigate…

    def stand_by(self) -> Generator[Any, Any, dict[str, Any]]:
        """Tasks with no effect on the river: done on arrival."""
        yield self.drill.env.timeout(0)
        return {}

    def close_intake(self, site: str) -> Generator[Any, Any, dict[str, Any] | Reason]:
        """Stop the intake drawing water until it is reopened."""
        yield self.drill.env.timeout(0)
        truth = self.drill.truth
        if any(
            isinstance(i, IntakeClosed) and i.site == site and i.end_min is None
            for i in truth.interventions
        ):
            return Reason(f"取水口“{site}”已关闭", f"intake {site!r} is already closed")
        self.drill.intervene(IntakeClosed(site=site, start_min=self.drill.env.now))
        return {"closed": True}

    def reopen_intake(self, site: str) -> Generator[Any, Any, dict[str, Any] | Reason]:
        """Resume drawing water at a closed intake."""
        yield self.drill.env.timeout(0)
        now = self.drill.env.now
        for item in self.drill.truth.interventions:
            if isinstance(item, IntakeClosed) and item.site == site and item.end_min is None:
                self.drill.intervene(IntakeClosed(site, item.start_min, now), replacing=item)
                return {"closed": False}
        return Reason(f"取水口“{site}”未关闭", f"intake {site!r} is not closed")

    def operate_gate(
        self, site: str, hold_min: float | None
    ) -> Generator[Any, Any, dict[str, Any] | Reason]:
        """Close a dam or sluice for ``hold_min`` (at most its ``max_hold``)."""
        yield self.drill.env.timeout(0)
        now = self.drill.env.now
        spot = self.drill.index.sites[site]
        assert isinstance(spot, GateSite)  # sim.actions checked the site suits the task
        for item in self.drill.truth.interventions:
            if isinstance(item, GateHold) and item.site == site and (item.end_min or 0) > now:
                return Reason(
                    f"闸坝“{site}”正在蓄水拦截", f"gate {site!r} is already holding the river"
                )
        hold = min(hold_min or spot.max_hold, spot.max_hold)
        self.drill.intervene(GateHold(site=site, start_min=now, end_min=now + hold))
        return {"hold_until_min": now + hold}

    def release_water(self, site: str) -> Generator[Any, Any, dict[str, Any] | Reason]:
        """Release extra water from a dam into its reach to dilute the plume."""
        yield self.drill.env.timeout(0)
        spot = self.drill.index.sites[site]
        extra = RELEASE_EXTRA_FRACTION * self.drill.reaches[spot.reach].discharge_m3s
        self.drill.intervene(
            FlowRelease(reach=spot.reach, start_min=self.drill.env.now, extra_discharge_m3s=extra)
        )
        return {"extra_discharge_m3s": extra}

    def build_interception(self, site: str) -> Generator[Any, Any, dict[str, Any] | Reason]:
        """Build a temporary dam, dosing or carbon point (or divert into storage)."""
        spot = self.drill.index.sites[site]
        if any(getattr(i, "site", None) == site for i in self.drill.truth.interventions):
            yield self.drill.env.timeout(0)
            return Reason(f"点位“{site}”已在处置中", f"site {site!r} is already in use")
        if isinstance(spot, StorageSite):
            yield self.drill.env.timeout(0)
            now = self.drill.env.now
            self.drill.intervene(Storage(site=site, start_min=now, volume_m3=spot.volume_m3))
            return {"diverting_from_min": now, "volume_m3": spot.volume_m3}
        assert isinstance(spot, InterceptionSite)
        yield self.drill.env.timeout(spot.build_time)
        now = self.drill.env.now
        self.drill.intervene(Interception(site=site, ready_min=now, efficiency=spot.efficiency))
        return {"ready_min": now, "efficiency": spot.efficiency}

    def stop_source(self, site: str | None) -> Generator[Any, Any, dict[str, Any] | Reason]:
        """Cut off the spill (all ongoing spills, or those at ``site``)."""
        yield self.drill.env.timeout(0)
        stopped = self.drill.stop_spills(site)
        if not stopped:
            return Reason("泄漏已停止，无需切断", "nothing is leaking any more")
        return {"stopped_spills": stopped}


def _not_ours(model: DrillModel, site: IntakeSite | GateSite, operator: str) -> Reason:
    """Why an agency will not touch another's intake or gates: it names the operator."""
    spec = model.index.agencies.get(operator)
    name = spec.name if spec is not None else None
    zh = f"“{name.zh}”（{operator}）" if name is not None else f"“{operator}”"
    en = f"{name.en or name.zh} ({operator})" if name is not None else repr(operator)
    if isinstance(site, IntakeSite):
        return Reason(
            f"取水口“{site.id}”由{zh}运营，请向其提出",
            f"intake {site.id!r} is run by {en}; ask them",
        )
    return Reason(
        f"闸坝“{site.id}”由{zh}运营，请向其提出",
        f"the gates of {site.id!r} are run by {en}; ask them",
    )


def agencies_for(model: DrillModel, scenario: Scenario) -> dict[str, Agency]:
    """One agent per scenario agency, knowing which cell (if any) plays it."""
    player = {agency: cell.id for cell in scenario.cells for agency in cell.plays}
    return {a.id: Agency(model, a, player.get(a.id)) for a in scenario.agencies}


__all__ = [
    "OPERATOR_TASKS",
    "RELEASE_EXTRA_FRACTION",
    "Agency",
    "agencies_for",
]
