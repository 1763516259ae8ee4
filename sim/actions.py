"""Checking a submitted action against the scenario: which cell may do what, and where.

Two kinds of problem, kept apart on purpose:

- **structural** — an id that does not exist, a cell that is not in the scenario, an action
  kind the cell may not take. In a response log these are transcription errors: the run
  refuses to start and lists them all (``InputError``).
- **choices** — a real action aimed at the wrong place (closing an "intake" that is a
  monitoring section, dosing where the site needs a dam, a request with no site). A team can
  make that mistake, so it is played: the action is refused in the log (``action_refused``)
  with a reason in Chinese and English, and scoring sees it.

Anything that depends on the agency (capability, an intake or dam another agency runs, a
facility that is no longer usable, an agency played by another cell, push-back) is the agency's
answer and lives in ``sim.agencies``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from scenarios.actions import (
    Action,
    ArriveSceneAction,
    InvestigateAction,
    MessageAction,
    NotifyAction,
    ReportAction,
    RequestAction,
)
from scenarios.schema import (
    ActionFilter,
    ActionKind,
    AgencyKind,
    Capability,
    Scenario,
    SiteKind,
)


@dataclass(frozen=True)
class Reason:
    """Why something was refused, in both languages of the drill."""

    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        """The ``{zh, en}`` form used in log records."""
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Refusal:
    """One thing wrong with an action: the field, the reason, and whether it is structural."""

    path: str
    reason: Reason
    structural: bool


# Who may declare a level or speak for the government: a cell must play one of these kinds.
# (国家突发环境事件应急预案: the government and its departments grade and publish; a water
# plant or enterprise cell does not.) Kinds not listed here are open to every cell.
KIND_NEEDS_AGENCY = {
    ActionKind.declare_level: frozenset(
        {AgencyKind.eco_env_bureau, AgencyKind.government, AgencyKind.emergency_management}
    ),
    ActionKind.publish: frozenset(
        {
            AgencyKind.eco_env_bureau,
            AgencyKind.government,
            AgencyKind.emergency_management,
            AgencyKind.media,
        }
    ),
}

_INTERCEPTION_TASKS = frozenset(
    {Capability.build_dam, Capability.dosing, Capability.activated_carbon, Capability.boom}
)
_GATE_KINDS = frozenset({SiteKind.dam, SiteKind.sluice})
SITE_TASKS = frozenset(
    {
        Capability.monitoring,
        Capability.close_intake,
        Capability.reopen_intake,
        Capability.operate_gate,
        Capability.release_water,
        Capability.divert,
        *_INTERCEPTION_TASKS,
    }
)
"""Tasks that make no sense without a site."""

_ACTION = TypeAdapter(Action)


class Index:
    """Id lookups of one scenario, built once per run (validation runs on every action)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.cells = {c.id: c for c in scenario.cells}
        self.agencies = {a.id: a for a in scenario.agencies}
        self.jurisdictions = {j.id: j for j in scenario.jurisdictions}
        self.sites = {s.id: s for s in scenario.sites}
        self.player = {agency: cell.id for cell in scenario.cells for agency in cell.plays}
        self.addressees: dict[str, object] = {**self.agencies, **self.jurisdictions}
        """Ids a report or notice can go to: every agency and jurisdiction."""
        self.cell_jurisdiction = {
            c.id: c.jurisdiction
            or next((self.agencies[a].jurisdiction for a in c.plays if a in self.agencies), "")
            for c in scenario.cells
        }

    def cell_agency_kinds(self, cell: str) -> frozenset[AgencyKind]:
        """Kinds of the agencies a cell plays."""
        return frozenset(
            self.agencies[a].kind for a in self.cells[cell].plays if a in self.agencies
        )


def _unknown(
    path: str, what_zh: str, what_en: str, value: str, known: Mapping[str, Any]
) -> Refusal:
    listed = ", ".join(sorted(known)) or "—"
    return Refusal(
        path,
        Reason(
            f"{what_zh}“{value}”不存在（可选：{listed}）",
            f"{what_en} {value!r} does not exist (known: {listed})",
        ),
        structural=True,
    )


def check_action(index: Index, cell: str, action: Action) -> list[Refusal]:
    """Every problem of ``action`` taken by ``cell``; empty when it may be played.

    Args:
        index: Lookups of the (variant) scenario.
        cell: The acting cell's id.
        action: The action as submitted.

    Returns:
        Structural problems first-class and choice problems, in field order.
    """
    if cell not in index.cells:
        return [_unknown("cell", "推演单元", "cell", cell, index.cells)]
    problems: list[Refusal] = []
    allowed = KIND_NEEDS_AGENCY.get(action.kind)
    if allowed is not None and not (index.cell_agency_kinds(cell) & allowed):
        problems.append(
            Refusal(
                "kind",
                Reason(
                    f"推演单元“{cell}”无权执行“{action.kind.value}”（需由政府、生态环境或应急管理部门执行）",
                    f"cell {cell!r} may not {action.kind.value}: only a government, "
                    "ecology-environment or emergency-management cell may",
                ),
                structural=True,
            )
        )
    problems.extend(_check_ids(index, cell, action))
    if isinstance(action, RequestAction) and not any(p.structural for p in problems):
        problems.extend(_check_request_site(index, action))
    return problems


def _check_ids(index: Index, cell: str, action: Action) -> list[Refusal]:
    problems: list[Refusal] = []
    if isinstance(action, ReportAction) and action.to not in index.addressees:
        problems.append(_unknown("to", "报告对象", "report recipient", action.to, index.addressees))
    if isinstance(action, NotifyAction) and action.target not in index.addressees:
        problems.append(
            _unknown("target", "通报对象", "notify target", action.target, index.addressees)
        )
    if isinstance(action, RequestAction) and action.agency not in index.agencies:
        problems.append(_unknown("agency", "部门", "agency", action.agency, index.agencies))
    if isinstance(action, MessageAction):
        others = {c: None for c in index.cells if c != cell}
        if action.to not in others:
            problems.append(
                _unknown("to", "消息接收单元", "message recipient cell", action.to, others)
            )
    site = getattr(action, "site", None)
    if (
        isinstance(action, RequestAction | ArriveSceneAction | InvestigateAction)
        and site is not None
        and site not in index.sites
    ):
        problems.append(_unknown("site", "点位", "site", site, index.sites))
    return problems


def _check_request_site(index: Index, action: RequestAction) -> list[Refusal]:
    task = action.task
    if action.site is None:
        if task in SITE_TASKS:
            return [
                Refusal(
                    "site",
                    Reason(
                        f"请求“{task.value}”须指明点位", f"a {task.value} request must name a site"
                    ),
                    structural=False,
                )
            ]
        return []
    site = index.sites[action.site]
    suits, wanted_zh, wanted_en = _site_suits(task, site)
    if suits:
        return []
    return [
        Refusal(
            "site",
            Reason(
                f"点位“{site.id}”（{site.kind.value}）不适合“{task.value}”：需要{wanted_zh}",
                f"site {site.id!r} ({site.kind.value}) does not suit {task.value}: "
                f"needs {wanted_en}",
            ),
            structural=False,
        )
    ]


def _site_suits(task: Capability, site: Any) -> tuple[bool, str, str]:
    kind = site.kind
    if task in (Capability.close_intake, Capability.reopen_intake):
        return kind == SiteKind.intake, "取水口", "an intake"
    if task in (Capability.operate_gate, Capability.release_water):
        return kind in _GATE_KINDS, "闸坝", "a dam or sluice"
    if task in _INTERCEPTION_TASKS:
        ok = kind == SiteKind.interception and site.needs == task
        return (
            ok,
            f"以“{task.value}”方式处置的拦截点",
            f"an interception site that needs {task.value}",
        )
    if task == Capability.divert:
        ok = kind in (SiteKind.storage, SiteKind.interception) and site.needs == task
        return ok, "可导流的调蓄或拦截点", "a storage or interception site that needs divert"
    if task == Capability.stop_source:
        ok = kind in (SiteKind.risk_source, SiteKind.outfall)
        return ok, "风险源或排口", "a risk source or outfall"
    if task == Capability.evacuate:
        return kind == SiteKind.town, "城镇", "a town"
    return True, "", ""  # monitoring, investigate, traffic control: any site


def action_data(action: Action) -> dict[str, Any]:
    """The action as in a response log, without ``at`` and ``cell`` (the record has both)."""
    return action.model_dump(mode="json", by_alias=True, exclude={"at", "cell"}, exclude_none=True)


def action_from_data(data: Mapping[str, Any], at_min: float | None = None) -> Action:
    """Rebuild an action from :func:`action_data` (replaying a log)."""
    payload = dict(data)
    if at_min is not None:
        payload["at"] = at_min
    return _ACTION.validate_python(payload)


def action_target(action: Action) -> str | None:
    """Whom the action is addressed to: report ``to``, notify ``target``, message ``to``."""
    if isinstance(action, ReportAction | MessageAction):
        return action.to
    if isinstance(action, NotifyAction):
        return action.target
    if isinstance(action, RequestAction):
        return action.agency
    return None


def cells_addressed(index: Index, cell: str, addressee: str) -> list[str]:
    """Cells other than ``cell`` that an addressee stands for in a joint exercise.

    An agency is its player's; a jurisdiction is every cell whose jurisdiction it is (a
    cell's own, or its first agency's).
    """
    if addressee in index.player:
        found = [index.player[addressee]]
    else:
        found = [c for c, j in index.cell_jurisdiction.items() if j == addressee]
    return [c for c in found if c != cell]


def relayed(index: Index, cell: str, action: Action) -> list[tuple[str, str, dict[str, str]]]:
    """Where an action arrives as a message: ``[(cell, channel, {zh, en})]``.

    A ``message`` goes to its cell. A report or notice addressed to an agency or jurisdiction
    that another cell plays reaches that cell (what one cell does changes what the others
    see); the text says who reported what, and the receiving cell decides what to do.
    """
    if isinstance(action, MessageAction):
        return [(action.to, action.channel.value, action.text.model_dump())]
    if not isinstance(action, ReportAction | NotifyAction):
        return []
    name = index.cells[cell].name
    if isinstance(action, ReportAction):
        what = {
            "initial": ("初报", "initial"),
            "follow-up": ("续报", "follow-up"),
            "final": ("终报", "final"),
        }
        zh_kind, en_kind = what[action.report.value]
        how_zh = "电话" if action.channel.value == "phone" else "书面"
        level = f"，初判{action.level.value}级" if action.level else ""
        level_en = f", preliminary level {action.level.value}" if action.level else ""
        text = {
            "zh": f"{name.zh}{how_zh}{zh_kind}{level}",
            "en": f"{name.en or name.zh}: {action.channel.value} {en_kind} report{level_en}",
        }
        addressee = action.to
    else:
        text = {
            "zh": f"{name.zh}通报：辖区发生突发水污染事件，可能影响你方",
            "en": f"{name.en or name.zh} notifies you of a pollution incident that may reach you",
        }
        addressee = action.target
    channel = action.channel.value
    return [(c, channel, text) for c in cells_addressed(index, cell, addressee)]


def matches(wanted: ActionFilter, action: Action, index: Index) -> bool:
    """Whether ``action`` is what a trigger's filter waits for.

    ``target`` matches the action's addressee, or — when the addressee is an agency — that
    agency's jurisdiction, so ``{kind: notify, target: fuling}`` is met by notifying
    ``fuling-eeb``.
    """
    if action.kind != wanted.kind:
        return False
    if wanted.target is not None:
        target = action_target(action)
        agency = index.agencies.get(target or "")
        if target != wanted.target and (agency is None or agency.jurisdiction != wanted.target):
            return False
    if wanted.task is not None and getattr(action, "task", None) != wanted.task:
        return False
    if wanted.site is not None and getattr(action, "site", None) != wanted.site:
        return False
    if wanted.agency is not None and action_target(action) != wanted.agency:
        return False
    return wanted.channel is None or getattr(action, "channel", None) == wanted.channel


__all__ = [
    "KIND_NEEDS_AGENCY",
    "SITE_TASKS",
    "Index",
    "Reason",
    "Refusal",
    "action_data",
    "action_from_data",
    "action_target",
    "cells_addressed",
    "check_action",
    "matches",
    "relayed",
]
