"""The rubric language: what a team is scored on, as frozen pydantic models read from YAML.

A rubric is a list of criteria and penalties. A criterion is one of five kinds, told apart by
the key it carries:

- ``end`` — *timed*: the first action matching a filter, measured from a ``start`` event
  against a ``limit``, a ``limit_by_level`` or a ``deadline`` relative to a truth event, with a
  ``credit`` curve for lateness. ``end.each_site`` makes it a coverage criterion (one matching
  action per site, e.g. monitoring at every intake downstream of the spill).
- ``content`` — elements of the most complete matching report (初报要素), credited by share.
- ``outcome`` — what the river really did (minutes an intake delivered polluted water, mass
  across a boundary, peak at a site).
- ``match`` — the declared level against the true level.
- ``judge`` — points entered by judges (``scoring.judges``).

Every number that DOMAIN.md marks *(configurable)* is written in a rubric file, never in code.
References to the scenario (sites, injects, jurisdictions, cells) can only be checked against
a scenario; :func:`scoring.rulebook.check_references` does that when scoring and reports the
rubric's file and line.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from scenarios.actions import Level
from scenarios.schema import Capability, SiteKind
from scenarios.types import BiText, Duration, Frozen, Id, Text
from scoring.filters import ActionMatch, ContentElement, End, Start, TruthEvent, exactly_one

RUBRIC_FORMAT = 1


class CapabilityName(StrEnum):
    """The capabilities criteria roll up to (HSEEP-style core capabilities of a bureau)."""

    reporting = "reporting"
    joint_prevention = "joint-prevention"
    monitoring = "monitoring"
    water_supply = "water-supply"
    source_control = "source-control"
    public_information = "public-information"
    command = "command"
    planning = "planning"


class Deadline(Frozen):
    """A deadline at a truth event minus a margin (e.g. notify 2 h before the boundary)."""

    before_truth: TruthEvent
    margin: Duration = Field(0.0, ge=0)


class LevelLimits(Frozen):
    """A limit that depends on the true incident level (环境保护部令第17号 art. 3), with the
    art. 4 rule: when any ``escalate_when`` condition holds, use ``escalate_to``'s limit."""

    I: Duration = Field(gt=0)  # noqa: E741 - the official name of the level
    II: Duration = Field(gt=0)
    III: Duration = Field(gt=0)
    IV: Duration = Field(gt=0)
    escalate_to: Level | None = None
    escalate_when: tuple[Literal["drinking_water", "heavy_metal", "cross_province"], ...] = ()

    def for_level(self, level: Level) -> float:
        """The limit in minutes for ``level``."""
        return float(getattr(self, level.value))


# -- credit ------------------------------------------------------------------------------------


class LinearCredit(Frozen):
    """Full points within the limit, falling linearly to zero at this elapsed time."""

    linear_to_zero_at: Duration = Field(gt=0)


class Band(Frozen):
    within: Duration = Field(gt=0)
    share: float = Field(ge=0, le=1)


class BandCredit(Frozen):
    """After the limit, the share of the first band whose ``within`` is not yet passed."""

    bands: tuple[Band, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending(self) -> BandCredit:
        times = [b.within for b in self.bands]
        if times != sorted(times):
            raise ValueError("bands must be listed with increasing 'within'")
        return self


Credit = Literal["full", "step"] | LinearCredit | BandCredit


# -- other kinds of criteria -------------------------------------------------------------------


class SiteLimit(Frozen):
    """A bound at a site (id) or at every site of a kind."""

    site: Id | None = None
    site_kind: SiteKind | None = None
    max: float = Field(ge=0)

    @model_validator(mode="after")
    def _one(self) -> SiteLimit:
        exactly_one(self, ("site", "site_kind"), "an outcome bound")
        return self


class Outcome(Frozen):
    """A bound on the truth. ``peak_factor`` is "超标 N 倍", (C − limit) / limit."""

    delivered_exceedance_min: SiteLimit | None = None
    mass_across_kg: SiteLimit | None = None
    peak_mg_l: SiteLimit | None = None
    peak_factor: SiteLimit | None = None

    @model_validator(mode="after")
    def _one(self) -> Outcome:
        names = ("delivered_exceedance_min", "mass_across_kg", "peak_mg_l", "peak_factor")
        exactly_one(self, names, "an outcome")
        return self

    @property
    def measure(self) -> tuple[str, SiteLimit]:
        """Which measure is bounded, and the bound."""
        for name in ("delivered_exceedance_min", "mass_across_kg", "peak_mg_l", "peak_factor"):
            bound = getattr(self, name)
            if bound is not None:
                return name, bound
        raise AssertionError("validated: exactly one measure")


class Match(Frozen):
    """The level the cell declared against the true level."""

    declared_level: Literal["truth"]
    which: Literal["first", "last"] = Field("last", description="which declaration counts")
    sources: tuple[Literal["declare_level", "report", "activate_plan"], ...] = Field(
        ("declare_level",), min_length=1, description="actions whose level is a declaration"
    )
    off_by_one_share: float = Field(0.0, ge=0, le=1)


class Judge(Frozen):
    """Points entered by judges on the judges' sheet, from 0 to ``max``."""

    max: float = Field(gt=0)


class Content(Frozen):
    """Elements present in the first action matching ``of``, credited by share."""

    of: ActionMatch
    elements: tuple[ContentElement, ...] = Field(min_length=1)


CRITERION_KINDS = ("end", "content", "outcome", "match", "judge")


class Criterion(Frozen):
    """One scored item. Give exactly one of ``end``, ``content``, ``outcome``, ``match``,
    ``judge``; ``start``/``limit``/``limit_by_level``/``deadline``/``credit`` go with ``end``.
    With no limit at all, a timed criterion is met when the action happens before the run ends.
    """

    id: Id
    name: BiText | None = None
    description: BiText | None = None
    capability: CapabilityName | None = None
    points: float | None = Field(None, gt=0, description="default 10, or judge.max")
    cells: tuple[Id, ...] = Field((), description="cells it applies to; empty: every cell")
    cell_roles: tuple[str, ...] = Field(
        (), description="jurisdiction levels or agency kinds of the cells it applies to"
    )
    when_level: tuple[Level, ...] = Field((), description="only when the true level is one of")
    start: Start | None = None
    end: End | None = None
    limit: Duration | None = Field(None, ge=0)
    limit_by_level: LevelLimits | None = None
    deadline: Deadline | None = None
    credit: Credit = "full"
    content: Content | None = None
    outcome: Outcome | None = None
    match: Match | None = None
    judge: Judge | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Criterion:
        exactly_one(self, CRITERION_KINDS, "a criterion")
        if self.end is None:
            timing = ("start", "limit", "limit_by_level", "deadline")
            extra = [n for n in timing if getattr(self, n) is not None]
            if self.credit != "full":
                extra.append("credit")
            if extra:
                raise ValueError(f"{', '.join(extra)}: only for a timed criterion (one with end)")
        if self.limit is not None and self.limit_by_level is not None:
            raise ValueError("give limit or limit_by_level, not both")
        credit, limit = self.credit, self.limit
        zero_at = credit.linear_to_zero_at if isinstance(credit, LinearCredit) else None
        if zero_at is not None and limit is not None and zero_at <= limit:
            raise ValueError("credit.linear_to_zero_at must be later than limit")
        return self

    @property
    def kind(self) -> str:
        """``timed``, ``coverage``, ``content``, ``outcome``, ``match`` or ``judge``."""
        if self.end is not None:
            return "coverage" if self.end.each_site is not None else "timed"
        return next(k for k in CRITERION_KINDS if getattr(self, k) is not None)

    @property
    def max_points(self) -> float:
        """Points available (``points``, else ``judge.max`` for judges' items, else 10)."""
        if self.points is not None:
            return self.points
        return self.judge.max if self.judge is not None else 10.0

    @property
    def title(self) -> BiText:
        """The name, or the id when the rubric gives none."""
        return self.name or Text(zh=self.id, en=self.id)


# -- penalties ---------------------------------------------------------------------------------


class WrongSite(Frozen):
    """A request of one of these tasks at a site not downstream of any spill (a gate or an
    intake the plume could never reach: the wrong one was closed)."""

    task: tuple[Capability, ...] = Field(min_length=1)


class PenaltyWhen(Frozen):
    """What is penalised, once per occurrence."""

    action_refused: Literal[True] | None = None
    request_refused: Literal[True] | None = None
    wrong_site: WrongSite | None = None
    published_peak_off_by_pct: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one(self) -> PenaltyWhen:
        names = ("action_refused", "request_refused", "wrong_site", "published_peak_off_by_pct")
        exactly_one(self, names, "a penalty condition")
        return self


class Penalty(Frozen):
    """Points deducted per occurrence, up to ``max_total``."""

    id: Id
    name: BiText | None = None
    capability: CapabilityName | None = None
    points: float = Field(gt=0)
    max_total: float | None = Field(None, gt=0)
    cells: tuple[Id, ...] = ()
    cell_roles: tuple[str, ...] = ()
    when: PenaltyWhen


class Ratings(Frozen):
    """Lowest share of a capability's points for each suggested HSEEP rating; below ``M``:
    U (unable to perform). P: performed without challenges; S: with some; M: with major."""

    P: float = Field(0.9, ge=0, le=1)
    S: float = Field(0.7, ge=0, le=1)
    M: float = Field(0.4, ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Ratings:
        if not self.P >= self.S >= self.M:
            raise ValueError(f"need P >= S >= M (got {self.P:g}, {self.S:g}, {self.M:g})")
        return self


class Rubric(Frozen):
    """A rule set (``scoring/rubrics/*.yaml``)."""

    id: Id
    name: BiText
    description: BiText | None = None
    source: str | None = Field(None, description="the rules it follows")
    level_table: str = Field("national-2014", description="scenarios/levels table id or path")
    ratings: Ratings = Ratings()
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    penalties: tuple[Penalty, ...] = ()

    _origin: Any = PrivateAttr(default=None)
    _read_from: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        seen: set[str] = set()
        items: tuple[Criterion | Penalty, ...] = (*self.criteria, *self.penalties)
        for item in items:
            if item.id in seen:
                raise ValueError(f"criterion id {item.id!r} is used twice")
            seen.add(item.id)
        return self

    def criterion(self, cid: str) -> Criterion | None:
        """The criterion with id ``cid``."""
        return next((c for c in self.criteria if c.id == cid), None)

    @property
    def judge_criteria(self) -> tuple[Criterion, ...]:
        """The criteria scored by judges."""
        return tuple(c for c in self.criteria if c.judge is not None)

    @property
    def origin(self) -> Any:
        """The parsed file (``scenarios.yamlsource.Source``) it was read from, if any."""
        return self._origin

    @property
    def read_from(self) -> str | None:
        """Where it was read: a bundled rubric's id, or its file's absolute path (set by
        ``scoring.rulebook.load_rubric``); None for a rubric not read from a file."""
        return self._read_from
