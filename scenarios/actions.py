"""The closed action vocabulary and the response-log file format.

An action is what a cell does: report upward, notify a neighbour, request a task of an agency,
declare a level… Every kind has typed fields; anything else is refused with a reason. The same
models are read from a response log (a paper tabletop scored after the fact), produced by
simulated teams and submitted to a live session (``sim.live``; the planned live server, DESIGN.md
"Live drills").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from scenarios.schema import ActionKind, Capability, Channel
from scenarios.types import BiText, Duration, Frozen, Id


class Level(StrEnum):
    """Incident level (国家突发环境事件应急预案 2014): I is the most severe."""

    I = "I"  # noqa: E741 - the official name of the level
    II = "II"
    III = "III"
    IV = "IV"


class ReportKind(StrEnum):
    initial = "initial"
    follow_up = "follow-up"
    final = "final"


class ReportContent(Frozen):
    """The elements of an initial report (环境保护部令第17号 art. 13), all optional."""

    time: str | None = None
    place: str | None = None
    source: str | None = Field(None, description="information source")
    cause: str | None = None
    course: str | None = None
    pollutant: str | None = None
    quantity_t: float | None = Field(None, ge=0)
    monitoring: str | None = None
    casualties: str | None = None
    drinking_water: str | None = None
    trend: str | None = None
    measures: str | None = None
    planned: str | None = None
    advice: str | None = None
    sketch_map: bool | None = None
    unit: str | None = Field(None, description="reporting unit")
    signer: str | None = None
    contact: str | None = None

    def elements(self) -> frozenset[str]:
        """Names of the elements that were filled in."""
        return frozenset(k for k, v in self.model_dump().items() if v not in (None, "", False))


class _ActionBase(Frozen):
    at: Duration | None = Field(None, ge=0, description="minutes from scenario start")
    cell: Id | None = Field(None, description="acting cell; defaults to the log's cell")


class ReportAction(_ActionBase):
    kind: Literal[ActionKind.report]
    to: Id
    channel: Channel = Channel.phone
    report: ReportKind = ReportKind.initial
    level: Level | None = None
    content: ReportContent = ReportContent()


class NotifyAction(_ActionBase):
    kind: Literal[ActionKind.notify]
    target: Id
    channel: Channel = Channel.phone
    content: ReportContent = ReportContent()


class RequestAction(_ActionBase):
    kind: Literal[ActionKind.request]
    agency: Id
    task: Capability
    site: Id | None = None
    every: Duration | None = Field(None, gt=0, description="sampling interval (monitoring)")
    hold: Duration | None = Field(None, gt=0, description="how long a gate should hold")
    lab: bool = Field(False, description="send samples to the lab instead of field kits")


class DeclareLevelAction(_ActionBase):
    kind: Literal[ActionKind.declare_level]
    level: Level


class ActivatePlanAction(_ActionBase):
    kind: Literal[ActionKind.activate_plan]
    plan: str = "emergency"
    level: Level | None = None


class PublishAction(_ActionBase):
    kind: Literal[ActionKind.publish]
    channel: Literal["website", "weibo", "wechat", "press", "tv"] = "website"
    text: BiText | None = None
    peak_mg_l: float | None = Field(None, ge=0, description="figure published, if any")


class ConsultExpertAction(_ActionBase):
    kind: Literal[ActionKind.consult_expert]
    topic: str = ""


class ArriveSceneAction(_ActionBase):
    kind: Literal[ActionKind.arrive_scene]
    site: Id | None = None


class InvestigateAction(_ActionBase):
    kind: Literal[ActionKind.investigate]
    site: Id | None = None


class MessageAction(_ActionBase):
    """A message to another cell of a joint exercise; it arrives as an inject there."""

    kind: Literal[ActionKind.message]
    to: Id
    channel: Channel = Channel.phone
    text: BiText


class NoteAction(_ActionBase):
    kind: Literal[ActionKind.note]
    text: str


Action = Annotated[
    ReportAction
    | NotifyAction
    | RequestAction
    | DeclareLevelAction
    | ActivatePlanAction
    | PublishAction
    | ConsultExpertAction
    | ArriveSceneAction
    | InvestigateAction
    | MessageAction
    | NoteAction,
    Field(discriminator="kind"),
]


class ResponseLog(Frozen):
    """What a team did, with times: a paper tabletop's record, or a scripted test."""

    team: Id
    cell: Id
    scenario: Id | None = Field(None, description="scenario id, checked when given")
    actions: tuple[Action, ...] = ()
