"""The MSEL: injects, the triggers that deliver them, and the actions a trigger waits for.

Reading and writing the MSEL as a table is ``msel.py``'s; triggers in the table's compact
form are ``trigger_text.py``'s; when a trigger fires is the engine's (``sim/injects.py``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from scenarios.types import BiText, Capability, Duration, Frozen, Id


class Channel(StrEnum):
    phone = "phone"
    fax = "fax"
    sms = "sms"
    email = "email"
    radio = "radio"
    media = "media"
    field = "field"
    written = "written"
    system = "system"


class ActionKind(StrEnum):
    """The closed vocabulary of what a cell can do (see ``scenarios.actions``)."""

    report = "report"
    notify = "notify"
    request = "request"
    declare_level = "declare_level"
    activate_plan = "activate_plan"
    publish = "publish"
    consult_expert = "consult_expert"
    arrive_scene = "arrive_scene"
    investigate = "investigate"
    message = "message"
    note = "note"


class ActionFilter(Frozen):
    """Which action a trigger waits for (or waits in vain for)."""

    kind: ActionKind
    target: Id | None = None
    task: Capability | None = None
    site: Id | None = None
    agency: Id | None = None
    channel: Channel | None = None
    cell: Id | None = Field(
        None, description="whose action counts; default: the cell the inject goes to"
    )


class AtTrigger(Frozen):
    at: Duration = Field(ge=0)
    jitter: Duration = Field(0.0, ge=0)


class PlumeReachesTrigger(Frozen):
    plume_reaches: Id


class Exceedance(Frozen):
    site: Id
    factor: float = Field(1.0, gt=0)


class ExceedsTrigger(Frozen):
    exceeds: Exceedance


class NoActionTrigger(Frozen):
    """Contingency: fires at ``by`` unless the expected action was taken before."""

    no_action: ActionFilter
    by: Duration = Field(gt=0)


class AfterActionTrigger(Frozen):
    after_action: ActionFilter
    delay: Duration = Field(0.0, ge=0)


class ManualTrigger(Frozen):
    manual: Literal[True]


_TRIGGER_KEYS = ("at", "plume_reaches", "exceeds", "no_action", "after_action", "manual")


def _trigger_tag(value: Any) -> str | None:
    if isinstance(value, Frozen):
        for key in _TRIGGER_KEYS:
            if key in type(value).model_fields:
                return key
    if isinstance(value, dict):
        for key in _TRIGGER_KEYS:
            if key in value:
                return key
    return None


Trigger = Annotated[
    Annotated[AtTrigger, Tag("at")]
    | Annotated[PlumeReachesTrigger, Tag("plume_reaches")]
    | Annotated[ExceedsTrigger, Tag("exceeds")]
    | Annotated[NoActionTrigger, Tag("no_action")]
    | Annotated[AfterActionTrigger, Tag("after_action")]
    | Annotated[ManualTrigger, Tag("manual")],
    Discriminator(
        _trigger_tag,
        custom_error_type="trigger",
        custom_error_message="trigger needs one of: " + ", ".join(_TRIGGER_KEYS),
    ),
]


class Inject(Frozen):
    """One line of the MSEL: a message delivered to a cell without advance notice."""

    id: Id
    to: Id
    channel: Channel
    from_: BiText | None = Field(None, alias="from")
    text: BiText
    trigger: Trigger
    reveals: Literal["incident"] | None = None
    expects: tuple[Id, ...] = ()
    attachments: tuple[str, ...] = ()
    notes: BiText | None = Field(None, description="for the controller only")
