"""Assembling one run's :class:`reports.viewmodel.Report` from its inputs.

``build_report(scenario, log, scorecard)`` is the pure function DESIGN.md promises: the truth
series for the charts are re-computed from the log (``reports.curves``, unless the caller
passes them, e.g. read back from ``curves.json``), the what-if results are passed in
(``reports.whatif`` computes them; they re-run the engine, so the caller decides whether to pay
for them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from markupsafe import Markup

from reports import charts, findings, sections, spacetime, timecharts, timeline
from reports.charts import Mark, SitePanel
from reports.curves import Curves, compute_curves, from_data, to_data
from reports.describe import Names
from reports.i18n import Messages
from reports.spacetime import SpaceTime
from reports.stored import as_stored
from reports.variant import variant_of
from reports.viewmodel import (
    Chart,
    ChartData,
    Cover,
    KeyValue,
    Report,
    ScoreSummary,
    WhatIf,
)
from scenarios.schema import Scenario
from scoring.rubric import Rubric
from scoring.scorecard import Scorecard
from sim.log import Log


def _version() -> str:
    """The installed riverdrill version, shown on every generated page."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("riverdrill")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "dev"


VERSION = _version()

ChartsReady = Callable[[ChartData, tuple[Mark, ...]], None]
"""Told the charts' data and numbered marks as soon as they are known, before the rest of the
report is built (``reports.chartworker`` starts drawing the Word charts then)."""


def build_report(
    scenario: Scenario,
    log: Log,
    scorecard: Scorecard,
    *,
    lang: str = "zh",
    rubric: Rubric | None = None,
    curves: Curves | None = None,
    whatifs: Sequence[WhatIf] | None = None,
    whatif_note: str | None = None,
    generated_at: datetime | None = None,
    drill_date: datetime | None = None,
    charts_ready: ChartsReady | None = None,
) -> Report:
    """The whole report of one run.

    Args:
        scenario: The scenario as loaded (the run's variant is re-applied from the log).
        log: The run's event log (already checked against the scenario).
        scorecard: The run's scorecard.
        lang: ``zh`` or ``en``.
        rubric: The rubric, for its rating thresholds (defaults otherwise).
        curves: The river's curves (``reports.curves.curves_of``); re-computed here when
            None.
        whatifs: What-if results (``reports.whatif.what_ifs``); None when they were not
            computed (the section then says they were skipped, not that none was needed).
        whatif_note: Why what-ifs are missing, when they could not be computed.
        generated_at: Shown on the cover; left out when None (golden files).
        drill_date: The date the drill was played; default the scenario's start.
        charts_ready: Called with the charts' data before the rest is built.
    """
    msgs = Messages(lang)
    names = Names(scenario, msgs)
    if curves is None:  # through the stored form, as curves read from curves.json are
        curves = from_data(as_stored(to_data(compute_curves(scenario, log))))
    played = variant_of(scenario, log)
    numbered = timeline.marks(log, names, msgs)
    lost = findings.lost_rows(scorecard, names, msgs)
    found_panels, unreached = panels(curves, played, names)
    grid = space_time_data(curves, played, numbered, names)
    chart_data = ChartData(curves.end_min, tuple(found_panels), grid, tuple(lost))
    if charts_ready is not None:
        charts_ready(chart_data, tuple(numbered))
    strengths, improvements = findings.findings(scorecard, names, msgs)
    summary = findings.summary(scorecard, msgs)
    cover = _cover(played, log, scorecard, summary, rubric, names, generated_at, drill_date)
    return Report(
        lang=lang,
        title=cover.title,
        cover=cover,
        overview=sections.overview(played, log, names, msgs),
        truth=sections.truth_section(played, log, names, msgs),
        timeline=timeline.timeline(played, log, names, msgs, numbered),
        lost_chart=_lost_chart(lost, msgs) if lost else None,
        concentration=concentration(found_panels, unreached, curves.end_min, numbered, msgs),
        space_time=space_time(grid, curves.end_min, msgs),
        summary=summary,
        scorecard=findings.scorecard_lines(scorecard, names, msgs),
        capabilities=findings.capability_rows(scorecard, names, msgs),
        strengths=strengths,
        improvements=improvements,
        whatifs=tuple(whatifs or ()),
        whatif_note=whatif_note or msgs.t("whatif.skipped" if whatifs is None else "whatif.intro"),
        whatif_empty="" if whatifs is None else msgs.t("whatif.none"),
        plan=findings.plan_rows(improvements, msgs),
        log=timeline.appendix(played, log, names, msgs),
        marks=tuple(numbered),
        chart_data=chart_data,
    )


def _cover(
    played: Scenario,
    log: Log,
    scorecard: Scorecard,
    summary: ScoreSummary,
    rubric: Rubric | None,
    names: Names,
    generated_at: datetime | None,
    drill_date: datetime | None,
) -> Cover:
    """The title page: the drill, the team and its cells, the total and the overall rating."""
    msgs = names.msgs
    lang = msgs.lang
    title = msgs.t("report.title", scenario=played.title.get(lang))
    team = scorecard.team or str(log[0].data.get("team") or msgs.t("common.none"))
    cells = msgs.t("common.list_sep").join(names(c.cell) for c in scorecard.cells)
    generated = (
        msgs.t("common.generated", when=generated_at.strftime("%Y-%m-%d %H:%M"), version=VERSION)
        if generated_at
        else ""
    )
    return Cover(
        title=title,
        subtitle=msgs.t("report.subtitle"),
        scenario_title=played.title.get(lang),
        team=msgs.t("report.team_cell", team=team, cells=cells),
        drill_date=msgs.date(drill_date or played.start),
        rubric=scorecard.rubric_name.get(lang),
        total=msgs.t(
            "report.total", total=summary.total, max=summary.max_total, percent=summary.percent
        ),
        rating=findings.overall_rating(scorecard, rubric.ratings if rubric else None, msgs),
        generated=generated,
        disclaimer=msgs.t("report.disclaimer"),
    )


def _lost_chart(rows: list[timecharts.LostRow], msgs: Messages) -> Chart:
    return Chart(Markup(timecharts.minutes_lost_chart(rows, msgs)), msgs.t("lost.caption"))


def panels(curves: Curves, played: Scenario, names: Names) -> tuple[list[SitePanel], list[str]]:
    """One panel per site the plume reached (in the order it reached them), and the names of
    the sites it did not."""
    sites = {s.id: s for s in played.sites}
    out = []
    for curve in curves.reached:
        site = sites[curve.site]
        title = names.msgs.t(
            "chart.panel_title", site=names(site.id), kind=names.enum("site_kind", site.kind.value)
        )
        out.append(
            SitePanel(
                site.id,
                title,
                site.kind.value,
                curve.t_min,
                curve.concentration_mg_l,
                curve.standard_mg_l,
                curve.closed,
                curve.held,
            )
        )
    return out, [names(site) for site in curves.unreached]


def concentration(
    found: list[SitePanel],
    unreached: list[str],
    t_end_min: float,
    numbered: list[Mark],
    msgs: Messages,
) -> Chart | None:
    """Figure 1: concentration at every site with the team's actions."""
    if not found:
        return None
    svg = charts.concentration_chart(found, numbered, t_end_min, msgs)
    notes = (
        (msgs.t("concentration.unreached", sites=msgs.t("common.list_sep").join(unreached)),)
        if unreached
        else ()
    )
    return Chart(Markup(svg), msgs.t("concentration.caption"), tuple(numbered), notes)


def space_time_data(
    curves: Curves, played: Scenario, numbered: list[Mark], names: Names
) -> SpaceTime | None:
    """The plume along the river below the first spill, with the sites and marks on it."""
    grid = curves.grid
    if grid is None:
        return None
    kinds = {s.id: s.kind.value for s in played.sites}
    site_km = dict(grid.site_km)
    shown = [m for m in numbered if m.site in site_km]
    return SpaceTime(
        km=grid.km,
        t_min=grid.t_min,
        ratio=grid.ratio,
        sites=tuple((km, names(site), kinds[site]) for site, km in grid.site_km),
        marks=tuple(shown),
        mark_km={m.number: site_km[str(m.site)] for m in shown},
    )


def space_time(data: SpaceTime | None, t_end_min: float, msgs: Messages) -> Chart | None:
    """Figure 2: the space-time chart."""
    if data is None:
        return None
    svg = spacetime.space_time_chart(data, t_end_min, msgs)
    codes = spacetime.site_codes(len(data.sites))
    key = tuple(
        KeyValue(code, msgs.t("space_time.key", site=label, km=f"{km:.1f}"))
        for code, (km, label, _) in zip(codes, data.sites, strict=True)
    )
    return Chart(Markup(svg), msgs.t("space_time.caption"), data.marks, key=key)


__all__ = ["build_report", "concentration", "panels", "space_time", "space_time_data"]
