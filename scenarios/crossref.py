"""Every check across a scenario document, in one place, all findings reported together.

The schema checks one model at a time; this module checks that the parts fit: ids are unique
and every reference resolves, the reaches form one river system, places lie on their reach,
tributaries are smaller than the rivers they join, every facility has an agency that can work
it, and triggers and ``randomize`` ranges stay inside the drill. Findings carry the document
path of the offending value; the loader turns them into ``file:line:col`` problems.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from scenarios.messages import did_you_mean
from scenarios.paths import DataPath
from scenarios.schema import (
    ActionFilter,
    AfterActionTrigger,
    AtTrigger,
    BoundarySite,
    Capability,
    ExceedsTrigger,
    GateSite,
    IntakeSite,
    InterceptionSite,
    NoActionTrigger,
    PlumeReachesTrigger,
    Scenario,
    SourceSite,
    StorageSite,
)
from scenarios.types import format_duration


@dataclass(frozen=True, order=True)
class Finding:
    """One cross-reference problem: where in the document, and what is wrong."""

    path: DataPath
    message: str
    at_key: bool = False


def check_scenario(scenario: Scenario, *, ranges: bool = True) -> list[Finding]:
    """All cross-reference findings for ``scenario`` (empty when it is consistent).

    Args:
        scenario: A scenario that passed schema validation.
        ranges: Also re-validate the scenario at the ends of every ``randomize`` range.
    """
    ids = _Ids(scenario)
    checks: list[Iterable[Finding]] = [
        _duplicates(scenario),
        _jurisdictions(scenario, ids),
        _reaches(scenario, ids),
        _sites(scenario, ids),
        _agencies(scenario, ids),
        _spills(scenario, ids),
        _cells(scenario, ids),
        _injects(scenario, ids),
    ]
    findings = sorted({f for check in checks for f in check})
    if ranges and scenario.randomize:
        from scenarios.ranges import check_randomize  # late: ranges re-enters this module

        findings += check_randomize(scenario, findings)
    return findings


class _Ids:
    """The scenario's id tables (first occurrence wins; duplicates are reported apart)."""

    def __init__(self, s: Scenario) -> None:
        self.jurisdictions = {j.id: j for j in reversed(s.jurisdictions)}
        self.reaches = {r.id: r for r in reversed(s.reaches)}
        self.sites = {x.id: x for x in reversed(s.sites)}
        self.agencies = {a.id: a for a in reversed(s.agencies)}
        self.cells = {c.id: c for c in reversed(s.cells)}
        self._substances: set[str] | None = None
        self._scenario = s

    @property
    def substances(self) -> set[str]:
        if self._substances is None:
            from scenarios.substances import substances_for  # late: reads the library file

            self._substances = set(substances_for(self._scenario))
        return self._substances

    def able(self, capability: Capability) -> list[str]:
        return [a for a, agency in self.agencies.items() if capability in agency.capabilities]


def _unknown(what: str, value: str, known: Collection[str]) -> str:
    names = sorted(known)
    hint = did_you_mean(value, names)
    if not hint and 0 < len(names) <= 8:
        hint = f" (known: {', '.join(names)})"
    elif not names:
        hint = f" (the scenario has no {what}s)"
    return f"unknown {what} {value!r}{hint}"


def _ref(path: DataPath, what: str, value: str | None, known: Collection[str]) -> Iterator[Finding]:
    if value is not None and value not in known:
        yield Finding(path, _unknown(what, value, known))


def _on_reach(path: DataPath, reach: str, km: float | None, ids: _Ids) -> Iterator[Finding]:
    found = ids.reaches.get(reach)
    if found is not None and km is not None and km > found.length_km:
        yield Finding(
            path, f"km {km:g} is beyond the end of reach {reach!r} ({found.length_km:g} km long)"
        )


def _duplicates(s: Scenario) -> Iterator[Finding]:
    for field in ("jurisdictions", "reaches", "sites", "agencies", "substances", "cells",
                  "injects", "spills"):  # fmt: skip
        first: dict[str, int] = {}
        for i, item in enumerate(getattr(s, field)):
            if item.id is None:
                continue
            if item.id in first:
                where = f"{field}[{first[item.id]}]"
                yield Finding((field, i, "id"), f"duplicate id {item.id!r} (first used at {where})")
            else:
                first[item.id] = i
    # A notify or report target may name a jurisdiction or an agency: one id, one meaning.
    jurisdictions = {j.id for j in s.jurisdictions}
    for i, agency in enumerate(s.agencies):
        if agency.id in jurisdictions:
            yield Finding(
                ("agencies", i, "id"),
                f"id {agency.id!r} names both an agency and a jurisdiction; notify and report "
                "targets would be ambiguous",
            )


def _jurisdictions(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    for i, j in enumerate(s.jurisdictions):
        yield from _ref(("jurisdictions", i, "parent"), "jurisdiction", j.parent, ids.jurisdictions)
        seen, parent = {j.id}, j.parent
        while parent is not None and parent in ids.jurisdictions:
            if parent in seen:
                if parent == j.id:
                    yield Finding(
                        ("jurisdictions", i, "parent"),
                        f"jurisdiction {j.id!r} is its own ancestor through parent",
                    )
                break
            seen.add(parent)
            parent = ids.jurisdictions[parent].parent


def _reaches(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    unknown_downstream = False
    in_cycle = _cycle_members(s, ids)
    for i, r in enumerate(s.reaches):
        path = ("reaches", i)
        yield from _ref((*path, "jurisdiction"), "jurisdiction", r.jurisdiction, ids.jurisdictions)
        if r.downstream is None:
            if r.joins_at_km is not None:
                yield Finding(
                    (*path, "joins_at_km"), "joins_at_km needs downstream (the reach it joins)"
                )
            continue
        down = ids.reaches.get(r.downstream)
        if down is None:
            unknown_downstream = True
            yield Finding((*path, "downstream"), _unknown("reach", r.downstream, ids.reaches))
            continue
        # Around a loop every reach "flows into" a smaller one: the cycle is the one error.
        if r.discharge_m3s > down.discharge_m3s and r.id not in in_cycle:
            yield Finding(
                (*path, "discharge_m3s"),
                f"{r.discharge_m3s:g} m³/s is more than the {down.discharge_m3s:g} m³/s of "
                f"{down.id!r}, the reach it flows into",
            )
        if r.joins_at_km is not None and r.joins_at_km > down.length_km:
            yield Finding(
                (*path, "joins_at_km"),
                f"km {r.joins_at_km:g} is beyond the end of reach {down.id!r} "
                f"({down.length_km:g} km long)",
            )
    yield from _reach_tree(s, ids, unknown_downstream)


def _cycles(s: Scenario, ids: _Ids) -> list[list[str]]:
    """Each cycle of the downstream links once, as the reach ids around it."""
    cycles: list[list[str]] = []
    seen: set[str] = set()
    for r in s.reaches:
        chain: list[str] = []
        current: str | None = r.id
        while current is not None and current in ids.reaches and current not in chain:
            if current in seen:
                break
            chain.append(current)
            current = ids.reaches[current].downstream
        seen.update(chain)
        if current is not None and current in chain:
            cycles.append(chain[chain.index(current) :])
    return cycles


def _cycle_members(s: Scenario, ids: _Ids) -> set[str]:
    return {rid for cycle in _cycles(s, ids) for rid in cycle}


def _reach_tree(s: Scenario, ids: _Ids, unknown_downstream: bool) -> Iterator[Finding]:
    """The reaches must drain to exactly one outlet, without cycles."""
    index = {r.id: i for i, r in reversed(list(enumerate(s.reaches)))}
    cycles = _cycles(s, ids)
    for cycle in cycles:
        # Blame the link that points back up the list: trainers list reaches from upstream,
        # so a downstream naming an earlier reach is the likely slip.
        back = [rid for rid in cycle if index[ids.reaches[rid].downstream or rid] <= index[rid]]
        blamed = max(back or cycle, key=lambda rid: index[rid])
        at = cycle.index(blamed)
        turn = [*cycle[at + 1 :], *cycle[: at + 1]]
        turn = [*turn, turn[0]]
        yield Finding(
            ("reaches", index[blamed], "downstream"),
            "reaches form a cycle: " + " → ".join(turn),
        )
    outlets = [i for i, r in enumerate(s.reaches) if r.downstream is None]
    if len(outlets) > 1:
        # The mouth is the outlet carrying the most water; the others lack a downstream.
        mouth = max(outlets, key=lambda i: (s.reaches[i].discharge_m3s, i))
        for i in outlets:
            if i != mouth:
                yield Finding(
                    ("reaches", i, "downstream"),
                    f"reach {s.reaches[i].id!r} has no downstream, but {s.reaches[mouth].id!r} "
                    "is already the outlet: the reaches must form one river system with "
                    "exactly one outlet",
                )
    if not outlets and not cycles and not unknown_downstream:
        yield Finding(("reaches",), "no reach is the outlet (one reach must have no downstream)")


def _sites(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    for i, site in enumerate(s.sites):
        path = ("sites", i)
        yield from _ref((*path, "reach"), "reach", site.reach, ids.reaches)
        yield from _on_reach((*path, "km"), site.reach, site.km, ids)
        yield from _ref(
            (*path, "jurisdiction"), "jurisdiction", site.jurisdiction, ids.jurisdictions
        )
        if isinstance(site, IntakeSite):
            yield from _operator(path, site.operator, Capability.close_intake, "the intake", ids)
        elif isinstance(site, GateSite):
            yield from _operator(
                path, site.operator, Capability.operate_gate, f"the {site.kind}", ids
            )
        elif isinstance(site, SourceSite):
            yield from _ref((*path, "operator"), "agency", site.operator, ids.agencies)
        elif isinstance(site, BoundarySite):
            for side in ("upstream", "downstream"):
                value = getattr(site, side)
                yield from _ref((*path, side), "jurisdiction", value, ids.jurisdictions)
        elif isinstance(site, InterceptionSite | StorageSite) and not ids.able(site.needs):
            yield Finding(
                (*path, "needs"),
                f"no agency can {site.needs.value} to use this {site.kind.value}: give one "
                f"agency the capability {site.needs.value}",
            )


def _operator(
    path: DataPath, operator: str, needed: Capability, what: str, ids: _Ids
) -> Iterator[Finding]:
    agency = ids.agencies.get(operator)
    if agency is None:
        yield Finding((*path, "operator"), _unknown("agency", operator, ids.agencies))
    elif needed not in agency.capabilities:
        yield Finding(
            (*path, "operator"),
            f"operator {operator!r} cannot {needed.value} for {what}: add {needed.value} to its "
            "capabilities",
        )


def _agencies(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    for i, agency in enumerate(s.agencies):
        path = ("agencies", i)
        yield from _ref(
            (*path, "jurisdiction"), "jurisdiction", agency.jurisdiction, ids.jurisdictions
        )
        if agency.base is not None:
            yield from _ref((*path, "base", "reach"), "reach", agency.base.reach, ids.reaches)
            yield from _on_reach((*path, "base", "km"), agency.base.reach, agency.base.km, ids)


def _spills(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    for i, spill in enumerate(s.spills):
        path = ("spills", i)
        yield from _ref((*path, "substance"), "substance", spill.substance, ids.substances)
        yield from _ref((*path, "site"), "site", spill.site, ids.sites)
        if spill.reach is not None:
            yield from _ref((*path, "reach"), "reach", spill.reach, ids.reaches)
            yield from _on_reach((*path, "km"), spill.reach, spill.km, ids)
        if spill.start >= s.duration:
            yield Finding(
                (*path, "start"),
                f"starts at {format_duration(spill.start)}, when the drill is over "
                f"(duration {format_duration(s.duration)}){_hours_hint(s)}",
            )


def _cells(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    for i, cell in enumerate(s.cells):
        for k, agency in enumerate(cell.plays):
            yield from _ref(("cells", i, "plays", k), "agency", agency, ids.agencies)
        yield from _ref(
            ("cells", i, "jurisdiction"), "jurisdiction", cell.jurisdiction, ids.jurisdictions
        )


def _injects(s: Scenario, ids: _Ids) -> Iterator[Finding]:
    for i, inject in enumerate(s.injects):
        path = ("injects", i)
        yield from _ref((*path, "to"), "cell", inject.to, ids.cells)
        trigger, tpath = inject.trigger, (*path, "trigger")
        if isinstance(trigger, AtTrigger):
            yield from _within(s, (*tpath, "at"), "at", trigger.at)
        elif isinstance(trigger, PlumeReachesTrigger):
            yield from _ref((*tpath, "plume_reaches"), "site", trigger.plume_reaches, ids.sites)
        elif isinstance(trigger, ExceedsTrigger):
            yield from _ref((*tpath, "exceeds", "site"), "site", trigger.exceeds.site, ids.sites)
        elif isinstance(trigger, NoActionTrigger):
            yield from _filter((*tpath, "no_action"), trigger.no_action, ids)
            yield from _within(s, (*tpath, "by"), "by", trigger.by)
        elif isinstance(trigger, AfterActionTrigger):
            yield from _filter((*tpath, "after_action"), trigger.after_action, ids)
            yield from _within(s, (*tpath, "delay"), "delay", trigger.delay)


def _within(s: Scenario, path: DataPath, name: str, minutes: float) -> Iterator[Finding]:
    if minutes > s.duration:
        yield Finding(
            path,
            f"{name} {format_duration(minutes)} is after the drill ends "
            f"(duration {format_duration(s.duration)}); the inject would never be sent"
            f"{_hours_hint(s)}",
        )


def _hours_hint(s: Scenario) -> str:
    """For a drill of under an hour: the likely cause of anything "after the drill ends".

    A bare ``duration: 45`` is 45 minutes; under 30 the schema refuses it outright.
    """
    if s.duration >= 60:
        return ""
    return f" (a bare number is minutes: did you mean duration: {s.duration:g}h?)"


def _filter(path: DataPath, action: ActionFilter, ids: _Ids) -> Iterator[Finding]:
    targets = {*ids.agencies, *ids.jurisdictions, *ids.cells}
    yield from _ref((*path, "target"), "target", action.target, targets)
    yield from _ref((*path, "site"), "site", action.site, ids.sites)
    yield from _ref((*path, "agency"), "agency", action.agency, ids.agencies)
    yield from _ref((*path, "cell"), "cell", action.cell, ids.cells)
