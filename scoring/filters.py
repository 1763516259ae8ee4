"""What a criterion watches for: truth events, start events and filters on actions.

Part of the rubric language (``scoring.rubric``): a timed criterion starts at a :data:`Start`
and ends at the first action an :class:`ActionMatch` accepts; a deadline is set by a
:class:`TruthEvent`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from scenarios.actions import ReportKind
from scenarios.schema import ActionKind, Capability, JurisdictionLevel, SiteKind
from scenarios.types import Frozen, Id

ContentElement = Literal[
    "time",
    "place",
    "source",
    "cause",
    "course",
    "pollutant",
    "quantity_t",
    "monitoring",
    "casualties",
    "drinking_water",
    "trend",
    "measures",
    "planned",
    "advice",
    "sketch_map",
    "unit",
    "signer",
    "contact",
]
"""The fields of ``scenarios.actions.ReportContent`` (a test keeps the two in step)."""

ActionChannel = Literal[
    "phone", "fax", "sms", "email", "radio", "media", "field", "written", "system",
    "website", "weibo", "wechat", "press", "tv",
]  # fmt: skip
"""Channels of messages and reports (``Channel``) plus the publishing channels."""


def exactly_one(model: Frozen, names: tuple[str, ...], what: str) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        listed = ", ".join(names)
        found = ", ".join(given) or "none"
        raise ValueError(f"{what} needs exactly one of {listed} (found {found})")


# -- events ------------------------------------------------------------------------------------


class TruthEvent(Frozen):
    """Something the river really did: the plume first reaching, or first exceeding the
    standard at, a site (an id) or any site of a kind (``boundary``, ``intake``…)."""

    plume_reaches: Id | None = None
    exceeds: Id | None = None

    @model_validator(mode="after")
    def _one(self) -> TruthEvent:
        exactly_one(self, ("plume_reaches", "exceeds"), "a truth event")
        return self

    @property
    def place(self) -> str:
        """The site id or site kind the event names."""
        return self.plume_reaches or self.exceeds or ""


class RevealsStart(Frozen):
    """When the cell learned of the incident (the inject marked ``reveals: incident``)."""

    reveals: Literal["incident"]


class SpillStart(Frozen):
    """Time 0 of the (first) spill."""

    spill: Literal[True]


class InjectStart(Frozen):
    """When an inject was delivered (to the scored cell, else to any cell)."""

    inject: Id


class TruthStart(Frozen):
    """When a truth event happened."""

    truth: TruthEvent


def _start_tag(value: Any) -> str | None:
    keys = ("reveals", "spill", "inject", "truth")
    if isinstance(value, dict):
        return next((k for k in keys if k in value), None)
    return next((k for k in keys if k in type(value).model_fields), None)


Start = Annotated[
    Annotated[RevealsStart, Tag("reveals")]
    | Annotated[SpillStart, Tag("spill")]
    | Annotated[InjectStart, Tag("inject")]
    | Annotated[TruthStart, Tag("truth")],
    Discriminator(
        _start_tag,
        custom_error_type="start",
        custom_error_message="start needs one of: reveals, spill, inject, truth",
    ),
]


# -- what ends a timed criterion ----------------------------------------------------------------


class ActionMatch(Frozen):
    """A filter on the actions of the scored cell; every field given must match.

    ``target`` and ``to`` both name the addressee (a report's ``to``, a notice's ``target``, a
    message's ``to`` or a request's ``agency``), by jurisdiction or agency id. ``to_level``
    matches the level of the addressee's jurisdiction (a 直辖市 such as Chongqing also counts
    as ``city``); ``above`` means any jurisdiction above the cell's own.
    """

    kind: ActionKind
    channel: ActionChannel | None = None
    target: Id | None = None
    to: Id | None = None
    to_level: JurisdictionLevel | Literal["above"] | None = None
    target_downstream_of: Literal["spill"] | None = None
    agency: Id | None = None
    task: Capability | None = None
    site: Id | None = None
    site_kind: SiteKind | None = None
    report: ReportKind | None = None
    content_has: tuple[ContentElement, ...] = ()


class SiteSet(Frozen):
    """Every site of these kinds (downstream of the spill unless ``downstream_of`` is null)."""

    site_kind: tuple[SiteKind, ...] = Field(min_length=1)
    downstream_of: Literal["spill"] | None = "spill"


class End(Frozen):
    """The action that ends a timed criterion; with ``each_site``, one per site of the set."""

    action: ActionMatch
    each_site: SiteSet | None = None
