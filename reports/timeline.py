"""The run on one time axis: numbered action marks, the per-cell timeline, the full log.

Marks number the moments the team's actions took effect (the incident learned of, a gate
closed, an interception ready, an intake closed) so every chart and table can point at them.
The timeline keeps routine records out (they stay in the appendix, which lists every record,
the truth marked as such).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from reports.charts import Mark
from reports.describe import Names, describe
from reports.i18n import Messages
from reports.sections import join_names, run_info
from reports.timecharts import timeline_chart
from reports.variant import ended_min
from reports.viewmodel import LogRow, TimelineCell, TimelineRow
from scenarios.schema import Scenario
from sim.log import CONTROL, Kind, Log, Record

LANES = {
    Kind.inject_delivered: "info",
    Kind.message_delivered: "info",
    Kind.result_delivered: "info",
    Kind.action_taken: "action",
    Kind.action_refused: "action",
    Kind.request_accepted: "agency",
    Kind.request_refused: "agency",
    Kind.task_started: "agency",
    Kind.task_completed: "agency",
    Kind.task_failed: "agency",
}
"""Timeline column of each record kind; truth kinds go to ``truth``, the rest to ``system``."""

QUIET = {Kind.sample_taken, Kind.request_accepted, Kind.truth_variant, Kind.truth_intervention}
"""Routine records left out of the timeline (they stay in the appendix): hourly sampling
would otherwise bury the decisions."""

MARKED_TASKS = {
    "operate_gate": "gate",
    "dosing": "interception",
    "activated_carbon": "interception",
    "build_dam": "interception",
    "boom": "interception",
    "divert": "interception",
    "close_intake": "intake",
    "release_water": "gate",
    "stop_source": "source",
}
"""Completed tasks that change the river or the water supplied: drawn on every chart."""


def marks(log: Log, names: Names, msgs: Messages) -> list[Mark]:
    """The numbered action markers drawn on the charts and listed under them.

    The moment the team learned of the incident, then every completed task that changes the
    river or the water supplied (gate closed, interception ready, intake closed).
    """
    found: list[Mark] = []
    reopen: dict[str, float] = {}
    for r in log.of_kind(Kind.task_completed):
        if r.data.get("task") == "reopen_intake" and r.data.get("site"):
            reopen[str(r.data["site"])] = r.t_min
    for r in log:
        if (
            r.kind is Kind.inject_delivered
            and r.data.get("reveals") == "incident"
            and not any(m.kind == "reveal" for m in found)
        ):
            label = msgs.t("mark.reveal", t=msgs.t_plus(r.t_min), cell=names(r.cell))
            found.append(Mark(0, r.t_min, "reveal", label, r.seq))
        elif r.kind is Kind.task_completed and str(r.data.get("task")) in MARKED_TASKS:
            kind = MARKED_TASKS[str(r.data["task"])]
            effect = r.data.get("effect") or {}
            site = str(r.data.get("site") or "")
            until = (
                effect.get("hold_until_min")
                if kind == "gate"
                else reopen.get(site)
                if kind == "intake"
                else None
            )
            at = float(effect.get("ready_min", r.t_min)) if kind == "interception" else r.t_min
            label = msgs.t(
                f"mark.{kind}",
                t=msgs.t_plus(at),
                site=names(site),
                agency=names(r.data.get("agency") or r.actor),
                task=names.enum("task", r.data.get("task")),
            )
            found.append(
                Mark(0, at, kind, label, r.seq, site, float(until) if until is not None else None)
            )
    found.sort(key=lambda m: (m.t_min, m.seq or 0))
    return [
        Mark(i + 1, m.t_min, m.kind, m.label, m.seq, m.site, m.until_min)
        for i, m in enumerate(found)
    ]


def timeline(
    scenario: Scenario, log: Log, names: Names, msgs: Messages, numbered: Sequence[Mark]
) -> tuple[TimelineCell, ...]:
    """Section 3: per cell, injects, actions, agency tasks and truth on one time axis.

    Each cell gets a swimlane chart (one tick per record) over a compact table in which the
    lane is a coloured tag: one row per happening, not one column per lane, so a 48-hour drill
    still fits on a few pages.
    """
    by_seq = {m.seq: m for m in numbered if m.seq is not None}
    cells = [c.id for c in scenario.cells]
    played = set(run_info(log).get("cells") or cells)  # type: ignore[call-overload]
    lanes = [(lane, msgs.t(f"timeline.{lane}")) for lane in ("info", "action", "agency", "truth")]
    out = []
    for cell in [c for c in cells if c in played]:
        rows = []
        for r in log:
            if r.kind in QUIET or r.cell not in (None, cell):
                continue
            lane = "truth" if r.kind.is_truth else LANES.get(r.kind, "system")
            mark = by_seq.get(r.seq)
            rows.append(
                TimelineRow(
                    seq=r.seq,
                    t_plus=msgs.t_plus(r.t_min),
                    clock=msgs.clock(scenario.start, r.t_min),
                    lane=lane,
                    lane_label=msgs.t(f"timeline.{lane}"),
                    text=describe(r, names),
                    mark=mark.number if mark else None,
                    mark_kind=mark.kind if mark else "",
                )
            )
        events = [(log[row.seq].t_min, row.lane) for row in rows]
        svg = timeline_chart(lanes, events, list(numbered), ended_min(scenario, log), msgs)
        out.append(TimelineCell(names(cell), tuple(rows), Markup(svg)))
    return tuple(out)


def appendix(scenario: Scenario, log: Log, names: Names, msgs: Messages) -> tuple[LogRow, ...]:
    """The full event log: what the team saw, plus the truth marked as such (control only)."""
    return tuple(_log_row(r, scenario, names, msgs) for r in log)


def _log_row(r: Record, scenario: Scenario, names: Names, msgs: Messages) -> LogRow:
    truth = r.kind.is_truth or r.visible_to == (CONTROL,)
    audience = (
        msgs.t("log.control_only")
        if truth
        else join_names([names(c) for c in r.visible_to if c != CONTROL], msgs)
        or msgs.t("log.everyone")
    )
    return LogRow(
        seq=r.seq,
        t_plus=msgs.t_plus(r.t_min),
        clock=msgs.clock(scenario.start, r.t_min, with_date=True),
        kind=names.enum("kind", r.kind.value),
        cell=names(r.cell) if r.cell else "",
        audience=audience,
        text=describe(r, names),
        truth=truth,
    )


__all__ = ["LANES", "MARKED_TASKS", "QUIET", "appendix", "marks", "timeline"]
