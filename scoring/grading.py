"""The true incident level of a run, and the report deadlines that follow from it.

Scoring grades the run again from the log's truth records with the rubric's level table
(``scenarios.levels``), rather than trusting the engine's ``truth_level`` record, so a log can
be rescored under another table. The national rule (环境保护部令第17号, art. 3–4) sets the
initial-report limit by level — 2 h for I/II, 4 h for III/IV, and the I/II procedure whenever
drinking water, heavy metals or a provincial boundary are involved — the numbers come from the
rubric's ``limit_by_level``, not from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.actions import Level
from scenarios.levels import (
    BoundaryCrossing,
    Grade,
    LevelFacts,
    LevelTable,
    TruthSummary,
    facts_from_truth,
    grade,
    more_severe,
)
from scenarios.schema import Scenario
from scoring.evidence import RunView
from scoring.rubric import LevelLimits


def truth_summary(view: RunView) -> TruthSummary:
    """What grading needs from a run's truth records and completed intake closures."""
    return TruthSummary(
        exceeded_sites=frozenset(view.exceedances),
        closed_intakes=frozenset(view.closed_intakes),
        reached_sites=frozenset(view.arrivals),
    )


@dataclass(frozen=True)
class TrueLevel:
    """The graded truth of a run.

    Attributes:
        grade: Level and reasons, recomputed from the truth records.
        facts: What the grade was computed from.
        logged: The level the engine logged in ``truth_level``, if any (for comparison).
        heavy_metal: Whether any spilled substance is a heavy metal.
    """

    grade: Grade
    facts: LevelFacts
    logged: Level | None
    heavy_metal: bool

    @property
    def level(self) -> Level | None:
        """The true level (``None``: the environment was not harmed)."""
        return self.grade.level


def true_level(scenario: Scenario, view: RunView, table: LevelTable) -> TrueLevel:
    """Grade a run from its truth records with ``table``."""
    facts = facts_from_truth(scenario, truth_summary(view))
    logged: Level | None = None
    if view.truth_level is not None:
        raw = str(view.truth_level.data.get("level"))
        logged = Level(raw) if raw in Level.__members__ else None
    return TrueLevel(
        grade=grade(facts, table),
        facts=facts,
        logged=logged,
        heavy_metal=_heavy_metal(scenario),
    )


def _heavy_metal(scenario: Scenario) -> bool:
    own = {s.id: s for s in scenario.substances}
    spilled = {s.substance for s in scenario.spills}
    if any(own[s].heavy_metal for s in spilled if s in own):
        return True
    missing = spilled - set(own)
    if not missing:
        return False
    from scenarios.substances import bundled_substances  # late: reads the bundled library

    library = bundled_substances()
    return any(library[s].heavy_metal for s in missing if s in library)


def escalation_conditions(truth: TrueLevel) -> frozenset[str]:
    """Which art. 4 conditions hold: ``drinking_water``, ``heavy_metal``, ``cross_province``."""
    held: set[str] = set()
    if truth.facts.intakes:
        held.add("drinking_water")
    if truth.heavy_metal:
        held.add("heavy_metal")
    severe = {BoundaryCrossing.cross_province, BoundaryCrossing.cross_border}
    if any(c.kind in severe for c in truth.facts.crossings):
        held.add("cross_province")
    return frozenset(held)


def reporting_level(limits: LevelLimits, truth: TrueLevel) -> tuple[Level | None, tuple[str, ...]]:
    """The level whose procedure applies, and the escalation conditions that raised it."""
    level = truth.level
    if level is None:
        return None, ()
    held = tuple(sorted(escalation_conditions(truth) & set(limits.escalate_when)))
    if held and limits.escalate_to is not None:
        raised = more_severe(level, limits.escalate_to)
        if raised is not level:
            return raised, held
    return level, ()


def report_limit_min(limits: LevelLimits, truth: TrueLevel) -> float | None:
    """The initial-report limit in minutes for the run's true level (``None``: no incident)."""
    level, _ = reporting_level(limits, truth)
    return None if level is None else limits.for_level(level)
