"""Which records a criterion looks at: start events, truth events and matching actions.

Pure lookups over the scenario (:class:`~scoring.topology.World`) and the indexed log
(:class:`~scoring.evidence.RunView`); ``scoring.criteria`` turns them into scores.
"""

from __future__ import annotations

from collections.abc import Iterable

from scenarios.schema import SiteKind
from scoring.evidence import ActionRecord, Moment, RunView
from scoring.filters import (
    ActionMatch,
    InjectStart,
    RevealsStart,
    SpillStart,
    TruthEvent,
    TruthStart,
)
from scoring.rubric import Criterion
from scoring.topology import World

# -- events -------------------------------------------------------------------------------------


def truth_moment(
    event: TruthEvent, view: RunView, world: World | None = None, cell: str | None = None
) -> Moment | None:
    """When a truth event first happened: at a site id, or at any site of a kind.

    For ``boundary`` as a kind and a known cell, the boundaries where the river leaves the
    cell's own area come first (:meth:`World.boundaries_leaving`); any boundary is the
    fallback when the cell's area has none.
    """
    place = event.place
    if event.plume_reaches is not None:
        by_site, by_kind = view.arrivals, view.arrivals_by_kind
    else:
        by_site, by_kind = view.exceedances, view.exceedances_by_kind
    if place not in SiteKind.__members__.values():
        return by_site.get(place)
    if place == SiteKind.boundary and world is not None and cell is not None:
        own = [by_site[s] for s in world.boundaries_leaving(cell) if s in by_site]
        if own:
            return min(own, key=lambda m: (m.t_min, m.seq))
    return by_kind.get(place)


def start_moment(criterion: Criterion, view: RunView, cell: str) -> tuple[Moment | None, str]:
    """When the clock of a timed criterion starts for ``cell``, and which start it is."""
    start = criterion.start or RevealsStart(reveals="incident")
    if isinstance(start, RevealsStart):
        return view.reveals.get(cell), "reveals"
    if isinstance(start, SpillStart):
        return view.spill or Moment(0.0, 0), "spill"
    if isinstance(start, InjectStart):
        deliveries = view.injects.get(start.inject, [])
        mine = [m for m in deliveries if m.site == cell]
        chosen = (mine or deliveries)[0] if deliveries else None
        return chosen, "inject"
    assert isinstance(start, TruthStart)
    return truth_moment(start.truth, view), "truth"


# -- matching actions ---------------------------------------------------------------------------


def action_matches(
    action: ActionRecord, m: ActionMatch, world: World, cell: str, site: str | None = None
) -> bool:
    """Whether ``action`` (of ``cell``) passes every field the filter gives, and is at
    ``site`` when one is given (coverage criteria ask site by site)."""
    data = action.data
    # StrEnum members compare equal to their text, so no .value lookups in this hot loop.
    if action.kind != m.kind:
        return False
    if site is not None and data.get("site") != site:
        return False
    if m.channel is not None and data.get("channel") != m.channel:
        return False
    if m.target is not None and action.addressee != m.target:
        return False
    if m.to is not None and action.addressee != m.to:
        return False
    if m.agency is not None and data.get("agency") != m.agency:
        return False
    if m.task is not None and data.get("task") != m.task:
        return False
    if m.site is not None and data.get("site") != m.site:
        return False
    if m.report is not None and data.get("report") != m.report:
        return False
    if m.site_kind is not None:
        where = world.sites.get(str(data.get("site")))
        if where is None or where.kind != m.site_kind:
            return False
    if m.to_level is not None or m.target_downstream_of is not None:
        jid = world.jurisdiction_of(action.addressee)
        if jid is None:
            return False
        level = m.to_level
        if level == "above" and not world.is_above(jid, cell):
            return False
        if level is not None and level != "above" and not world.has_level(jid, level):
            return False
        if m.target_downstream_of is not None and jid not in world.downstream_for(cell):
            return False
    return not m.content_has or set(m.content_has) <= action.elements


def first_match(
    actions: Iterable[ActionRecord],
    m: ActionMatch,
    world: World,
    cell: str,
    site: str | None = None,
) -> ActionRecord | None:
    """The earliest action matching ``m`` (at ``site``, when given)."""
    return next((a for a in actions if action_matches(a, m, world, cell, site)), None)
