"""Making up the action a team never took, for the what-if re-run.

A missed criterion names what would have met it only as a filter (``report`` by ``phone`` to
a ``city``-level addressee; ``notify`` a jurisdiction downstream of the spill). The action is
found by trying the scenario's own addressees, agencies and sites in file order and keeping
the first that both passes the criterion's filter (``scoring.matching``) and is an action the
cell may take (``sim.actions.check_action``). None when the scenario offers no such action.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError

from scenarios.actions import Action, ReportContent
from scenarios.schema import Agency, IntakeSite, Scenario
from scoring.evidence import ACTION_DEFAULTS, ActionRecord, RunView
from scoring.filters import ActionMatch
from scoring.matching import action_matches
from scoring.rubric import Criterion
from scoring.topology import world_of
from sim.actions import Index, action_data, check_action
from sim.river import river_km_between

_ACTION: TypeAdapter[Action] = TypeAdapter(Action)
_FULL_CONTENT = {
    name: (True if name == "sketch_map" else 1.0 if name == "quantity_t" else "...")
    for name in ReportContent.model_fields
}


def _candidates(m: ActionMatch, scenario: Scenario) -> Iterator[dict[str, Any]]:
    kind = m.kind.value
    addressees = (
        [m.to or m.target]
        if (m.to or m.target)
        else [
            *(a.id for a in scenario.agencies),
            *(j.id for j in scenario.jurisdictions),
        ]
    )
    if kind == "report":
        for to in addressees:
            yield {
                "kind": kind,
                "to": to,
                "channel": m.channel or "phone",
                "report": (m.report.value if m.report else "initial"),
                "content": _FULL_CONTENT if m.content_has else {},
            }
    elif kind == "notify":
        targets = (
            [m.target]
            if m.target
            else [j.id for j in scenario.jurisdictions] + [a.id for a in scenario.agencies]
        )
        for target in targets:
            yield {"kind": kind, "target": target, "channel": m.channel or "phone"}
    elif kind == "request" and m.task is not None:
        agencies = (
            [m.agency]
            if m.agency
            else [a.id for a in scenario.agencies if m.task in a.capabilities]
        )
        sites = (
            [m.site]
            if m.site
            else [s.id for s in scenario.sites if m.site_kind is None or s.kind == m.site_kind]
        )
        for agency in agencies:
            for site in [*sites, None]:
                yield {
                    "kind": kind,
                    "agency": agency,
                    "task": m.task.value,
                    **({"site": site} if site else {}),
                }
    elif kind in ("arrive_scene", "investigate"):
        yield {"kind": kind, **({"site": m.site} if m.site else {})}
    elif kind == "publish":
        yield {
            "kind": kind,
            "channel": m.channel
            if m.channel in ("website", "weibo", "wechat", "press", "tv")
            else "website",
        }
    elif kind == "activate_plan" or kind == "consult_expert":
        yield {"kind": kind}


def synthesize(criterion: Criterion, scenario: Scenario, cell: str) -> dict[str, Any] | None:
    """An action (as log data) that would meet ``criterion``'s end filter, or None."""
    if criterion.end is None or criterion.end.each_site is not None:
        return None
    wanted = criterion.end.action
    world = world_of(scenario)
    index = Index(scenario)
    for data in _candidates(wanted, scenario):
        try:
            action = _ACTION.validate_python(data)
        except ValidationError:
            continue
        if check_action(index, cell, action):
            continue
        plain = action_data(action)
        merged = {**ACTION_DEFAULTS.get(plain["kind"], {}), **plain}
        if action_matches(ActionRecord(-1, 0.0, cell, plain["kind"], merged), wanted, world, cell):
            return plain
    return None


def _operator(scenario: Scenario, intake: IntakeSite) -> Agency | None:
    agencies = {a.id: a for a in scenario.agencies}
    own = agencies.get(intake.operator)
    if own is not None and "close_intake" in own.capabilities:
        return own
    return next((a for a in scenario.agencies if "close_intake" in a.capabilities), None)


def close_intake_request(
    scenario: Scenario, intake_id: str, view: RunView, reveal_min: float
) -> tuple[str, dict[str, Any], float] | None:
    """A closure of ``intake_id`` ordered just in time: ``(cell, action, at)`` or None.

    "Just in time" is the moment the intake first exceeded the standard minus the operator's
    slowest response and its drive; never before the team learned of the incident.
    """
    intake = next((s for s in scenario.sites if s.id == intake_id), None)
    exceeded = view.exceedances.get(intake_id)
    if not isinstance(intake, IntakeSite) or exceeded is None:
        return None
    agency = _operator(scenario, intake)
    if agency is None:
        return None
    travel = 0.0
    if agency.base is not None:
        reaches = {r.id: r for r in scenario.reaches}
        km = river_km_between(
            reaches, (agency.base.reach, agency.base.km), (intake.reach, intake.km)
        )
        travel = 0.0 if km == float("inf") else km / agency.travel_kmh * 60.0
    cells = list(view.reveals) or [c.id for c in scenario.cells]
    action = {"kind": "request", "agency": agency.id, "task": "close_intake", "site": intake_id}
    index = Index(scenario)
    for cell in cells:
        if not check_action(index, cell, _ACTION.validate_python(action)):
            at = max(reveal_min, exceeded.t_min - agency.respond.max - travel)
            return cell, action, round(at, 1)
    return None


__all__ = ["close_intake_request", "synthesize"]
