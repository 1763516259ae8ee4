"""The scenario's geography as scoring needs it: who is downstream, who is above whom.

Built once per scoring from the scenario alone (no run): which sites and jurisdictions lie
downstream of the spill on the river, the jurisdiction behind an addressee id (a jurisdiction
or an agency), and the roles of a cell (its jurisdiction's level and the kinds of agencies it
plays) for ``cell_roles``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scenarios.levels import is_municipality
from scenarios.schema import (
    Agency,
    BoundarySite,
    Cell,
    Jurisdiction,
    JurisdictionLevel,
    Reach,
    Scenario,
    Site,
    SiteKind,
)
from scenarios.types import Text


@dataclass(frozen=True)
class World:
    """Lookups over one scenario. Build with :func:`world_of`."""

    scenario: Scenario
    jurisdictions: dict[str, Jurisdiction]
    agencies: dict[str, Agency]
    sites: dict[str, Site]
    reaches: dict[str, Reach]
    cells: dict[str, Cell]
    downstream_sites: frozenset[str]
    """Sites at or below any spill point, following the river."""
    downstream_jurisdictions: frozenset[str]
    """Jurisdictions the river enters below any spill (and their ancestors)."""
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _memo: dict[tuple[str, ...], Any] = field(default_factory=dict)
    """Answers already computed: criteria ask the same questions once per cell."""

    def jurisdiction_of(self, addressee: str | None) -> str | None:
        """The jurisdiction an addressee id stands for: itself, or the agency's."""
        if addressee is None:
            return None
        if addressee in self.jurisdictions:
            return addressee
        agency = self.agencies.get(addressee)
        return agency.jurisdiction if agency is not None else None

    def ancestors(self, jid: str) -> tuple[str, ...]:
        """``jid`` and the jurisdictions above it, nearest first."""
        return self._ancestors.get(jid, (jid,))

    def has_level(self, jid: str, level: JurisdictionLevel) -> bool:
        """Whether ``jid`` is of ``level``; a 直辖市 (a province-level jurisdiction with
        districts directly under it) also counts as a city."""
        key = ("has_level", jid, level.value)
        if key not in self._memo:
            self._memo[key] = self._has_level(jid, level)
        return bool(self._memo[key])

    def _has_level(self, jid: str, level: JurisdictionLevel) -> bool:
        j = self.jurisdictions.get(jid)
        if j is None:
            return False
        if j.level is level:
            return True
        return level is JurisdictionLevel.city and is_municipality(jid, self.jurisdictions)

    def cell_jurisdiction(self, cell: str) -> str | None:
        """The cell's own jurisdiction (given, or its first agency's)."""
        c = self.cells.get(cell)
        if c is None:
            return None
        if c.jurisdiction is not None:
            return c.jurisdiction
        agency = self.agencies.get(c.plays[0])
        return agency.jurisdiction if agency is not None else None

    def is_above(self, jid: str, cell: str) -> bool:
        """Whether ``jid`` is strictly above the cell's jurisdiction."""
        own = self.cell_jurisdiction(cell)
        return own is not None and jid != own and jid in self.ancestors(own)

    def downstream_for(self, cell: str) -> frozenset[str]:
        """Downstream jurisdictions a cell must notify: neither its own, nor those above it,
        nor those within it (a city's own districts are not its neighbours)."""
        key = ("downstream_for", cell)
        if key not in self._memo:
            self._memo[key] = self._downstream_for(cell)
        found: frozenset[str] = self._memo[key]
        return found

    def _downstream_for(self, cell: str) -> frozenset[str]:
        own = self.cell_jurisdiction(cell)
        if own is None:
            return self.downstream_jurisdictions
        above = set(self.ancestors(own))
        return frozenset(
            j
            for j in self.downstream_jurisdictions
            if j not in above and own not in self.ancestors(j)
        )

    def boundaries_leaving(self, cell: str) -> frozenset[str]:
        """Boundary sites where the river leaves the cell's own area (its jurisdiction or one
        inside it, on the upstream side). A district is accountable for telling its neighbour
        before the plume crosses *its* boundary, not one far upstream it cannot influence."""
        key = ("boundaries_leaving", cell)
        if key not in self._memo:
            own = self.cell_jurisdiction(cell)
            found: set[str] = set()
            for site in self.sites.values():
                if own is None or site.kind is not SiteKind.boundary:
                    continue
                assert isinstance(site, BoundarySite)
                upstream = site.upstream or self.site_jurisdiction(site)
                if upstream is not None and own in self.ancestors(upstream):
                    found.add(site.id)
            self._memo[key] = frozenset(found)
        leaving: frozenset[str] = self._memo[key]
        return leaving

    def can_do(self, task: str) -> bool:
        """Whether any agency of the scenario has the capability ``task``."""
        key = ("can_do", str(task))
        if key not in self._memo:
            tasks = {c.value for a in self.agencies.values() for c in a.capabilities}
            self._memo[key] = str(task) in tasks
        able: bool = self._memo[key]
        return able

    def has_any_of_level(self, level: JurisdictionLevel) -> bool:
        """Whether any jurisdiction of the scenario is of ``level`` (see :meth:`has_level`)."""
        return any(self.has_level(j, level) for j in self.jurisdictions)

    def cell_roles(self, cell: str) -> frozenset[str]:
        """The level of the cell's jurisdiction (``city`` too for a 直辖市) and the kinds of
        the agencies it plays (``eco_env_bureau``, ``water_supply``…)."""
        key = ("cell_roles", cell)
        if key not in self._memo:
            self._memo[key] = self._cell_roles(cell)
        found: frozenset[str] = self._memo[key]
        return found

    def _cell_roles(self, cell: str) -> frozenset[str]:
        c = self.cells.get(cell)
        if c is None:
            return frozenset()
        roles = {self.agencies[a].kind.value for a in c.plays if a in self.agencies}
        own = self.cell_jurisdiction(cell)
        if own is not None and own in self.jurisdictions:
            roles.add(self.jurisdictions[own].level.value)
            if self.has_level(own, JurisdictionLevel.city):
                roles.add(JurisdictionLevel.city.value)
        return frozenset(roles)

    def names(self) -> dict[str, Text]:
        """Names of sites and jurisdictions by id, for sentences."""
        key = ("names",)
        if key not in self._memo:
            found: dict[str, Text] = {j.id: j.name for j in self.jurisdictions.values()}
            found.update({s.id: s.name for s in self.sites.values() if s.name is not None})
            self._memo[key] = found
        names: dict[str, Text] = self._memo[key]
        return names

    def site_jurisdiction(self, site: Site) -> str | None:
        """The jurisdiction a site lies in (its own, else its reach's)."""
        if site.jurisdiction is not None:
            return site.jurisdiction
        reach = self.reaches.get(site.reach)
        return reach.jurisdiction if reach is not None else None


def _river_below(scenario: Scenario, reaches: dict[str, Reach]) -> list[tuple[str, float, bool]]:
    """Every (reach, from_km, is_spill_reach) stretch at or below a spill: a site on ``reach``
    at ``km >= from_km`` is downstream. A tributary enters its downstream reach at
    ``joins_at_km``; the first stretch of each spill is the reach it happened on."""
    sites = {s.id: s for s in scenario.sites}
    stretches: list[tuple[str, float, bool]] = []
    for spill in scenario.spills:
        if spill.site is not None and spill.site in sites:
            reach_id, km = sites[spill.site].reach, sites[spill.site].km
        elif spill.reach is not None:
            reach_id, km = spill.reach, spill.km or 0.0
        else:
            continue
        seen: set[str] = set()
        current: str | None = reach_id
        while current is not None and current in reaches and current not in seen:
            seen.add(current)
            stretches.append((current, km, current == reach_id))
            reach = reaches[current]
            km = reach.joins_at_km or 0.0
            current = reach.downstream
    return stretches


def world_of(scenario: Scenario) -> World:
    """Build the lookups of ``scenario``."""
    jurisdictions = {j.id: j for j in scenario.jurisdictions}
    reaches = {r.id: r for r in scenario.reaches}
    sites = {s.id: s for s in scenario.sites}
    ancestors: dict[str, tuple[str, ...]] = {}
    for jid in jurisdictions:
        chain: list[str] = []
        current: str | None = jid
        while current is not None and current in jurisdictions and current not in chain:
            chain.append(current)
            current = jurisdictions[current].parent
        ancestors[jid] = tuple(chain)

    stretches = _river_below(scenario, reaches)
    below = frozenset(
        s.id for s in scenario.sites if any(s.reach == r and s.km >= k for r, k, _ in stretches)
    )
    # The spill's own reach is where it happened, not a jurisdiction the river enters.
    entered = {reaches[r].jurisdiction for r, _, first in stretches if not first}
    for sid in below:
        site = sites[sid]
        if isinstance(site, BoundarySite):
            entered.add(site.downstream)
        elif site.jurisdiction is not None:
            entered.add(site.jurisdiction)
    downstream: set[str] = set()
    for jid in entered:
        downstream.update(ancestors.get(jid, (jid,)))
    return World(
        scenario=scenario,
        jurisdictions=jurisdictions,
        agencies={a.id: a for a in scenario.agencies},
        sites=sites,
        reaches=reaches,
        cells={c.id: c for c in scenario.cells},
        downstream_sites=below,
        downstream_jurisdictions=frozenset(downstream),
        _ancestors=ancestors,
    )
