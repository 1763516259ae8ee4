"""Typed view models of the after-action report: everything a template shows, already computed.

Templates format, never compute (STYLE.md §13): every number, sentence and chart a reader sees
is decided here or in the builders (``reports.sections``, ``reports.findings``,
``reports.whatif``) from the scenario, the log, the scorecard and the re-simulated truth.
Text fields hold plain ``str`` — team-entered text included — and the template escapes them;
only chart SVG, built by ``reports.charts`` with every label escaped, is marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from reports.charts import Mark, SitePanel
from reports.spacetime import SpaceTime
from reports.timecharts import LostRow


@dataclass(frozen=True)
class KeyValue:
    """One labelled line of a two-column table (overview, cover)."""

    label: str
    value: str


@dataclass(frozen=True)
class Cover:
    """The title page."""

    title: str
    subtitle: str
    scenario_title: str
    team: str
    drill_date: str
    rubric: str
    total: str
    rating: str
    generated: str
    disclaimer: str


@dataclass(frozen=True)
class CellRow:
    """A part played in the drill."""

    name: str
    plays: str
    jurisdiction: str


@dataclass(frozen=True)
class AgencyRow:
    """A participating agency, played by a cell or simulated."""

    name: str
    kind: str
    jurisdiction: str
    capabilities: str
    played_by: str


@dataclass(frozen=True)
class Overview:
    """Section 1: what the drill was."""

    facts: tuple[KeyValue, ...]
    description: str
    objectives: tuple[str, ...]
    cells: tuple[CellRow, ...]
    agencies: tuple[AgencyRow, ...]


@dataclass(frozen=True)
class SpillRow:
    """A spill as it really happened (the variant drawn for this run)."""

    substance: str
    place: str
    mass_t: str
    start: str
    duration: str
    standard: str


@dataclass(frozen=True)
class SiteRow:
    """What the river really did at one site."""

    site: str
    kind: str
    km: str
    arrival: str
    peak_time: str
    peak: str
    factor: str
    exceedance: str
    delivered: str
    exceeded: bool
    delivered_bad: bool


@dataclass(frozen=True)
class TruthSection:
    """Section 2: the incident as it really unfolded (the truth, revealed after the drill)."""

    summary: str
    spills: tuple[SpillRow, ...]
    variant: tuple[KeyValue, ...]
    sites: tuple[SiteRow, ...]
    true_level: str
    level_reasons: tuple[str, ...]
    declared_level: str


@dataclass(frozen=True)
class TimelineRow:
    """One happening on the shared time axis; ``lane`` picks its column."""

    seq: int
    t_plus: str
    clock: str
    lane: str
    lane_label: str
    text: str
    mark: int | None = None
    mark_kind: str = ""


@dataclass(frozen=True)
class TimelineCell:
    """The timeline of one cell (truth rows appear in every cell's table)."""

    cell: str
    rows: tuple[TimelineRow, ...]
    chart: Markup | None = None


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart with its caption and legend lines."""

    svg: Markup
    caption: str
    legend: tuple[Mark, ...] = ()
    notes: tuple[str, ...] = ()
    key: tuple[KeyValue, ...] = ()
    """Codes used on the chart and what they stand for (space-time site codes)."""


@dataclass(frozen=True)
class ScoreLine:
    """One line of the scorecard with its own explanation and its evidence."""

    criterion: str
    capability: str
    points: str
    max_points: str
    explanation: str
    evidence: str
    status: str
    """``full``, ``partial``, ``zero`` or ``judge`` — colours the row."""


@dataclass(frozen=True)
class CapabilityRow:
    """A capability's HSEEP rating (P/S/M/U) and why."""

    name: str
    rating: str
    rating_label: str
    points: str
    reason: str
    overridden: bool


@dataclass(frozen=True)
class Finding:
    """A strength or an area for improvement, traceable to log records."""

    title: str
    text: str
    capability: str
    evidence: str
    recommendation: str = ""


@dataclass(frozen=True)
class WhatIf:
    """One counterfactual re-run: the late action moved to its limit."""

    sentence: str
    metric: str
    actual: str
    counterfactual: str
    points_delta: str


@dataclass(frozen=True)
class PlanRow:
    """A row of the improvement plan; owner and due date are left for the bureau to fill."""

    number: int
    issue: str
    action: str
    capability: str
    owner: str = ""
    due: str = ""


@dataclass(frozen=True)
class LogRow:
    """A record of the full event log (appendix)."""

    seq: int
    t_plus: str
    clock: str
    kind: str
    cell: str
    audience: str
    text: str
    truth: bool


@dataclass(frozen=True)
class ScoreSummary:
    """Headline numbers of the scorecard."""

    total: str
    max_total: str
    percent: str
    lost_minutes: str
    penalties: str
    lost_sentence: str = ""


@dataclass(frozen=True)
class ChartData:
    """The data behind the charts, kept so Word can draw them as images (``reports.raster``)."""

    t_end_min: float
    panels: tuple[SitePanel, ...] = ()
    space_time: SpaceTime | None = None
    lost: tuple[LostRow, ...] = ()


@dataclass(frozen=True)
class Report:
    """The whole after-action report of one team's run, ready for a template."""

    lang: str
    title: str
    cover: Cover
    overview: Overview
    truth: TruthSection
    timeline: tuple[TimelineCell, ...]
    lost_chart: Chart | None
    concentration: Chart | None
    space_time: Chart | None
    summary: ScoreSummary
    scorecard: tuple[ScoreLine, ...]
    capabilities: tuple[CapabilityRow, ...]
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    whatifs: tuple[WhatIf, ...]
    whatif_note: str
    whatif_empty: str
    """Shown when there are no what-ifs: none needed, or "" when they were skipped."""
    plan: tuple[PlanRow, ...]
    log: tuple[LogRow, ...]
    marks: tuple[Mark, ...] = field(default_factory=tuple)
    chart_data: ChartData | None = None


@dataclass(frozen=True)
class BoardRow:
    """One team on the leaderboard."""

    rank: int
    team: str
    total: str
    percent: str
    missed: str
    latency: str
    href: str
    points: tuple[str, ...]
    """Points per criterion, in :attr:`Leaderboard.criteria` order."""
    status: tuple[str, ...]
    """Status per criterion (``met``, ``late``…), for the cell colour."""


@dataclass(frozen=True)
class Leaderboard:
    """The competition page: ranking, per-criterion comparison and latency distributions."""

    lang: str
    title: str
    scenario: str
    rubric: str
    teams: int
    criteria: tuple[KeyValue, ...]
    """Column code → criterion name."""
    rows: tuple[BoardRow, ...]
    latency: Chart | None
    generated: str


@dataclass(frozen=True)
class IndexEntry:
    """One line of the bundle's index: a team and its files."""

    label: str
    href: str
    files: tuple[KeyValue, ...]
