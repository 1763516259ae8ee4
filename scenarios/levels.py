"""Incident levels I–IV from what happened: the table of the national plan, kept as data.

The 2014 national plan (国家突发环境事件应急预案) grades an environmental incident by the
highest level any criterion reaches: deaths, people poisoned or seriously injured, people
evacuated, direct loss, a drinking-water intake interrupted (by the kind of place it serves) and
impact across an administrative boundary. The thresholds live in ``levels/national-2014.yaml``
(swap it for a provincial table); :func:`grade` applies one to :class:`LevelFacts`.

The engine grades at the end of a run (the ``truth_level`` record); scoring grades again from
the log's truth records with the rubric's table, through :func:`facts_from_truth`.

How boundaries are classified (the plan is silent on the mechanics, so this is our decision):
each side of a boundary site is walked up its ``parent`` chain. Different ``nation`` ancestors
make the crossing cross-border, different ``province`` ancestors cross-province, different
"city units" cross-city. A jurisdiction's city unit is its nearest ``city`` ancestor, or — when
it sits directly under a province-level jurisdiction — that province itself. So the districts
and counties of Chongqing (a province-level municipality whose districts are not cities) share
one city unit, and crossing between two of them is *not* cross-city; a county administered
directly by an ordinary province (省直管县) counts as a city of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field

from scenarios.actions import Level
from scenarios.schema import (
    BoundarySite,
    CityClass,
    IntakeSite,
    Jurisdiction,
    JurisdictionLevel,
    Scenario,
)
from scenarios.types import BiText, Frozen, Id

LEVELS_DIR = Path(__file__).with_name("levels")
DEFAULT_TABLE = "national-2014"

SEVERITY = {Level.I: 4, Level.II: 3, Level.III: 2, Level.IV: 1}
"""Larger is more severe; I (特别重大) is the most severe level."""

LEVEL_NAMES = {
    Level.I: ("特别重大", "particularly serious"),
    Level.II: ("重大", "serious"),
    Level.III: ("较大", "relatively serious"),
    Level.IV: ("一般", "general"),
}


class BoundaryCrossing(StrEnum):
    """How far an impact reached across administrative boundaries."""

    cross_city = "cross-city"
    cross_province = "cross-province"
    cross_border = "cross-border"


class Reason(Frozen):
    """One criterion of the table that the facts reach, with a sentence in zh and en."""

    criterion: str
    level: Level
    zh: str
    en: str


class Grade(Frozen):
    """The level of an incident (``None``: no harm, so no incident) and why."""

    level: Level | None
    reasons: tuple[Reason, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """The ``data`` of a ``truth_level`` record (docs/event-log.md)."""
        return {
            "level": self.level.value if self.level else None,
            "reasons": [r.model_dump(mode="json") for r in self.reasons],
        }


class InterruptedIntake(Frozen):
    """A centralised drinking-water intake whose supply the incident interrupted."""

    site: Id | None = None
    serves: CityClass


class Crossing(Frozen):
    """An impact across a boundary section (``site``), classified."""

    site: Id | None = None
    kind: BoundaryCrossing


class LevelFacts(Frozen):
    """What the table looks at. Counts come from the scenario's ``impact``."""

    harm: bool = Field(True, description="whether the environment was harmed at all")
    intakes: tuple[InterruptedIntake, ...] = ()
    crossings: tuple[Crossing, ...] = ()
    deaths: int = Field(0, ge=0)
    injured: int = Field(0, ge=0)
    evacuated: int = Field(0, ge=0)
    direct_loss_cny: float = Field(0.0, ge=0)


class CountThresholds(Frozen):
    """The lowest count that reaches each level; a level left out cannot be reached."""

    I: float | None = Field(None, ge=0)  # noqa: E741 - the official name of the level
    II: float | None = Field(None, ge=0)
    III: float | None = Field(None, ge=0)
    IV: float | None = Field(None, ge=0)


class LevelTable(Frozen):
    """A grading table (file format of ``scenarios/levels/*.yaml``)."""

    id: Id
    name: BiText
    source: str | None = None
    floor: Level | None = Field(None, description="level of any harmful incident")
    counts: dict[str, CountThresholds] = Field(default_factory=dict)
    intake_interrupted: dict[CityClass, Level] = Field(default_factory=dict)
    crossing: dict[BoundaryCrossing, Level] = Field(default_factory=dict)


_COUNT_WORDS = {
    "deaths": ("死亡", "人", "deaths"),
    "injured": ("中毒或重伤", "人", "poisoned or seriously injured"),
    "evacuated": ("疏散转移", "人", "evacuated"),
    "direct_loss_cny": ("直接经济损失", "元", "CNY direct loss"),
}
_CROSSING_WORDS = {
    BoundaryCrossing.cross_city: ("跨设区的市级行政区域", "across a city boundary"),
    BoundaryCrossing.cross_province: ("跨省级行政区域", "across a provincial boundary"),
    BoundaryCrossing.cross_border: ("跨国境", "across the national border"),
}
_CLASS_WORDS = {
    CityClass.city_with_districts: ("设区的市", "a city with districts"),
    CityClass.county_level_city: ("县级城市", "a county-level city"),
    CityClass.township: ("乡镇", "a township"),
}


def more_severe(a: Level | None, b: Level | None) -> Level | None:
    """The more severe of two levels (``None`` is below IV)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if SEVERITY[a] >= SEVERITY[b] else b


def grade(facts: LevelFacts, table: LevelTable | None = None) -> Grade:
    """Grade an incident: the highest level that any criterion of ``table`` reaches.

    Args:
        facts: What happened.
        table: The grading table; the bundled national 2014 table when ``None``.

    Returns:
        The level and every criterion that reached a level, most severe first.
    """
    table = table or load_table()
    reasons: list[Reason] = []
    for field, thresholds in table.counts.items():
        value = float(getattr(facts, field, 0) or 0)
        reached = _count_level(value, thresholds)
        if reached is not None:
            zh_word, unit, en_word = _COUNT_WORDS.get(field, (field, "", field))
            bound = getattr(thresholds, reached.value)
            reasons.append(
                Reason(
                    criterion=field,
                    level=reached,
                    zh=f"{zh_word} {value:g} {unit}（≥{bound:g}：{LEVEL_NAMES[reached][0]}）",
                    en=f"{value:g} {en_word} (≥ {bound:g}: level {reached.value})",
                )
            )
    for intake in facts.intakes:
        if (level := table.intake_interrupted.get(intake.serves)) is not None:
            zh_place, en_place = _CLASS_WORDS[intake.serves]
            name = intake.site or "?"
            reasons.append(
                Reason(
                    criterion="intake_interrupted",
                    level=level,
                    zh=f"{zh_place}集中式饮用水水源取水中断（{name}）",
                    en=f"drinking-water intake of {en_place} interrupted ({name})",
                )
            )
    for crossing in facts.crossings:
        if (level := table.crossing.get(crossing.kind)) is not None:
            zh_word, en_word = _CROSSING_WORDS[crossing.kind]
            name = crossing.site or "?"
            reasons.append(
                Reason(
                    criterion="crossing",
                    level=level,
                    zh=f"污染{zh_word}（{name}）",
                    en=f"pollution {en_word} ({name})",
                )
            )
    if facts.harm and table.floor is not None:
        reasons.append(
            Reason(
                criterion="floor",
                level=table.floor,
                zh=f"发生突发环境事件（至少为{LEVEL_NAMES[table.floor][0]}级）",
                en=f"an environmental incident occurred (at least level {table.floor.value})",
            )
        )
    reasons.sort(key=lambda r: -SEVERITY[r.level])
    # A floor reason under a more severe criterion says nothing new.
    if len(reasons) > 1:
        reasons = [r for r in reasons if r.criterion != "floor"]
    level = reasons[0].level if reasons else None
    return Grade(level=level, reasons=tuple(reasons))


def _count_level(value: float, thresholds: CountThresholds) -> Level | None:
    for level in (Level.I, Level.II, Level.III, Level.IV):
        bound = getattr(thresholds, level.value)
        if bound is not None and value >= bound:
            return level
    return None


@cache
def load_table(name: str = DEFAULT_TABLE) -> LevelTable:
    """A grading table by id (``scenarios/levels/<id>.yaml``) or path, read once.

    Raises:
        InputError: when the file is missing or not a valid table (file and line).
    """
    from scenarios.errors import InputError
    from scenarios.load import load_model  # late: the loader imports the YAML parser

    path = Path(name)
    if not path.suffix:
        path = LEVELS_DIR / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in LEVELS_DIR.glob("*.yaml")))
        raise InputError.single(str(path), f"no level table {name!r} (bundled: {known})")
    return load_model(path, LevelTable)


# -- jurisdictions -----------------------------------------------------------------------------


def _ancestors(jid: str, by_id: Mapping[str, Jurisdiction]) -> list[Jurisdiction]:
    """``jid`` and its ancestors, nearest first; stops on unknown ids and cycles."""
    chain: list[Jurisdiction] = []
    seen: set[str] = set()
    current: str | None = jid
    while current is not None and current in by_id and current not in seen:
        seen.add(current)
        chain.append(by_id[current])
        current = by_id[current].parent
    return chain


def _nearest(chain: list[Jurisdiction], *levels: JurisdictionLevel) -> str | None:
    for j in chain:
        if j.level in levels:
            return j.id
    return None


def city_unit(jid: str, by_id: Mapping[str, Jurisdiction]) -> str | None:
    """The city a jurisdiction belongs to for grading: its nearest ``city`` ancestor (itself
    included), or the province-level jurisdiction it sits directly under (a 直辖市 such as
    Chongqing, or a county administered directly by a province)."""
    chain = _ancestors(jid, by_id)
    return _nearest(chain, JurisdictionLevel.city, JurisdictionLevel.province)


def is_municipality(jid: str, by_id: Mapping[str, Jurisdiction]) -> bool:
    """Whether a province-level jurisdiction has districts or counties directly under it, so
    that it also acts as the city (直辖市: its bureau is "the city bureau" to its districts)."""
    j = by_id.get(jid)
    if j is None or j.level is not JurisdictionLevel.province:
        return False
    lower = (JurisdictionLevel.district, JurisdictionLevel.county)
    return any(c.parent == jid and c.level in lower for c in by_id.values())


def boundary_crossing(
    upstream: str, downstream: str, by_id: Mapping[str, Jurisdiction]
) -> BoundaryCrossing | None:
    """Classify a boundary between two jurisdictions (see the module docstring)."""
    up, down = _ancestors(upstream, by_id), _ancestors(downstream, by_id)
    if not up or not down:
        return None
    pairs = (
        (BoundaryCrossing.cross_border, (JurisdictionLevel.nation,)),
        (BoundaryCrossing.cross_province, (JurisdictionLevel.province,)),
    )
    for kind, levels in pairs:
        a, b = _nearest(up, *levels), _nearest(down, *levels)
        if a is not None and b is not None and a != b:
            return kind
    a, b = city_unit(upstream, by_id), city_unit(downstream, by_id)
    if a is not None and b is not None and a != b:
        return BoundaryCrossing.cross_city
    return None


# -- from a run's truth ------------------------------------------------------------------------


@dataclass(frozen=True)
class TruthSummary:
    """What the river really did, as far as grading needs it.

    Attributes:
        exceeded_sites: Sites where the concentration went above the standard.
        closed_intakes: Intakes that were closed during the run.
        reached_sites: Sites the plume reached at all; a closure counts as an interruption only
            at an intake the plume reached (closing one it never reached was a precaution).
    """

    exceeded_sites: frozenset[str] = frozenset()
    closed_intakes: frozenset[str] = frozenset()
    reached_sites: frozenset[str] = frozenset()


def facts_from_truth(scenario: Scenario, truth: TruthSummary) -> LevelFacts:
    """Derive the grading facts of a run from its scenario and truth.

    An intake counts as interrupted when the water there exceeded the standard, or when it was
    closed and the plume reached it. A boundary counts when the water exceeded the standard at
    its section; it is classified by :func:`boundary_crossing`. Counts of casualties and loss
    come from the scenario's ``impact``. The environment counts as harmed when any site
    exceeded the standard or anybody was hurt.
    """
    by_id = {j.id: j for j in scenario.jurisdictions}
    reach_j = {r.id: r.jurisdiction for r in scenario.reaches}
    intakes: list[InterruptedIntake] = []
    crossings: list[Crossing] = []
    for site in scenario.sites:
        if isinstance(site, IntakeSite):
            closed = site.id in truth.closed_intakes and site.id in truth.reached_sites
            if site.id in truth.exceeded_sites or closed:
                intakes.append(InterruptedIntake(site=site.id, serves=site.serves))
        elif isinstance(site, BoundarySite) and site.id in truth.exceeded_sites:
            upstream = site.upstream or site.jurisdiction or reach_j.get(site.reach, "")
            kind = boundary_crossing(upstream, site.downstream, by_id)
            if kind is not None:
                crossings.append(Crossing(site=site.id, kind=kind))
    impact = scenario.impact
    hurt = impact.deaths + impact.injured + impact.evacuated > 0 or impact.direct_loss_cny > 0
    return LevelFacts(
        harm=bool(truth.exceeded_sites) or hurt,
        intakes=tuple(intakes),
        crossings=tuple(crossings),
        deaths=impact.deaths,
        injured=impact.injured,
        evacuated=impact.evacuated,
        direct_loss_cny=impact.direct_loss_cny,
    )


def grade_run(scenario: Scenario, truth: TruthSummary, table: LevelTable | None = None) -> Grade:
    """Grade a run: :func:`facts_from_truth` then :func:`grade`."""
    return grade(facts_from_truth(scenario, truth), table)
