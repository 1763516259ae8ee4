"""What a simulated team works out before it acts: its plan, whom to ask, what to write.

:class:`Plan` is what a competent team reads off the first call and the river map: the
downstream sites with their arrival estimates, the jurisdictions to notify, whom to report
to and the level the incident will reach. :func:`agency_for` picks the agency to ask for a
task; :func:`report_content` fills in a written report. ``sim.teams`` decides when to act.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.actions import Level
from scenarios.schema import AgencyKind, BoundarySite, Capability, Site, SiteKind
from sim.agencies import Agency

if TYPE_CHECKING:
    from sim.model import DrillModel


_COMMAND_KINDS = frozenset(
    {AgencyKind.eco_env_bureau, AgencyKind.government, AgencyKind.emergency_management}
)


class Plan:
    """What a competent team works out from the first call and the river map."""

    def __init__(self, model: DrillModel, cell: str) -> None:
        index, scenario = model.index, model.scenario
        spec = index.cells[cell]
        self.cell = cell
        plays = [index.agencies[a] for a in spec.plays if a in index.agencies]
        self.jurisdiction = spec.jurisdiction or (plays[0].jurisdiction if plays else "")
        self.commands = any(a.kind in _COMMAND_KINDS for a in plays)
        self.operates = [a.id for a in plays if a.kind == AgencyKind.water_supply]
        # Minutes from the spill to every site downstream of it (mean travel time).
        network = model.truth.network
        eta = np.full(len(scenario.sites), np.inf)
        for spill in model.truth.releases:
            stats = network.path_to_sites(spill.reach, spill.km)
            here = np.where(stats.reachable, spill.start_min + stats.time_s / 60.0, np.inf)
            eta = np.minimum(eta, here)
        order = np.argsort(eta, kind="stable")
        self.downstream = [(scenario.sites[i], float(eta[i])) for i in order if np.isfinite(eta[i])]
        below = {s.id for s, _ in self.downstream}
        self.other_gates = [
            s
            for s in scenario.sites
            if s.kind in (SiteKind.dam, SiteKind.sluice) and s.id not in below
        ]
        self.upper = upper_of(model, self.jurisdiction)
        # Notify jurisdictions the plume will enter: not its own, not where the spill is.
        source = {model.reaches[r.reach].jurisdiction for r in model.truth.releases}
        targets: list[str] = []
        for site, _ in self.downstream:
            for j in (
                site.jurisdiction or model.reaches[site.reach].jurisdiction,
                site.downstream if isinstance(site, BoundarySite) else None,
            ):
                if (
                    isinstance(j, str)
                    and j in index.jurisdictions
                    and j != self.jurisdiction
                    and j not in source | set(targets)
                ):
                    targets.append(j)
        self.neighbours = targets
        self.level = model.truth.grade(model.end_min, baseline=True).level or Level.IV

    def sites(self, *kinds: SiteKind) -> list[tuple[Site, float]]:
        """Downstream sites of the given kinds with their arrival estimates, nearest first."""
        return [(s, eta) for s, eta in self.downstream if s.kind in kinds]


def upper_of(model: DrillModel, jurisdiction: str) -> str:
    """Whom a cell reports to: the bureau one level up, else that jurisdiction itself."""
    index = model.index
    parent = (
        index.jurisdictions[jurisdiction].parent if jurisdiction in index.jurisdictions else None
    )
    if parent is None:
        return jurisdiction or next(iter(index.jurisdictions))
    bureaus = [
        a.id
        for a in index.agencies.values()
        if a.jurisdiction == parent and a.kind == AgencyKind.eco_env_bureau
    ]
    return bureaus[0] if bureaus else parent


def agency_for(
    model: DrillModel, cell: str, task: Capability, operator: str | None = None
) -> str | None:
    """Who to ask: the site's operator, else the cell's own agency, else a simulated one."""
    # A plain pass over the AgentSet: ``select`` builds a new weak-keyed set on every ask.
    ids = sorted(
        (a.player != cell, a.agency_id)
        for a in model.agents_by_type[Agency]
        if task in a.spec.capabilities and a.player in (None, cell)
    )
    if operator is not None and any(agency == operator for _, agency in ids):
        return operator
    return ids[0][1] if ids else None


def report_content(model: DrillModel, plan: Plan) -> dict[str, Any]:
    """The written report's elements as a competent team fills them in (all present)."""
    spill = model.scenario.spills[0]
    where = spill.site or f"{spill.reach} km {spill.km:g}"
    return {
        "time": model.scenario.start.strftime("%H:%M"),
        "place": where,
        "source": "接报",
        "cause": "交通事故",
        "course": "槽罐车泄漏",
        "pollutant": spill.substance,
        "quantity_t": round(spill.total_mass_kg / 1000.0, 3),
        "monitoring": "已布点监测",
        "casualties": "无",
        "drinking_water": "已通知取水口",
        "trend": "向下游迁移",
        "measures": "已通知下游",
        "planned": "加密监测",
        "advice": "关注下游取水",
        "sketch_map": True,
        "unit": plan.cell,
        "signer": "值班领导",
        "contact": "值班电话",
    }
