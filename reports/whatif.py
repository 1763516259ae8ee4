"""What if the late actions had been on time? Re-run the drill and say what would have changed.

Two families of counterfactual, each changing ONE thing and re-running the whole drill with
the same seed (same variant, same agency delays drawn in the same order), then re-scoring:

- **Timed criteria** late or missed: the action is moved to its limit (``start + limit``); a
  missed one is made up from the criterion's filter (``reports.synth``).
- **Intakes that supplied polluted water**: each intervention the team ordered (intake closure,
  dosing, carbon, dam, gate) is moved just early enough to protect the intake until the drill
  ended — found on the plume model alone by bisection (milliseconds), then confirmed by the
  full re-run, whose numbers are the ones reported. If the intake was never closed, a closure
  is added. A drill the controller ended early is judged as played: the re-run ends at the same
  minute, and the plume model is run only that far (``reports.truth.run_truth``).

The re-run replays the log's own commands (``sim.run``), so it works for response logs,
simulated teams and live drills alike; a simulated team's later reactions are not re-played.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reports.synth import close_intake_request, synthesize
from reports.truth import RunTruth, resimulate, run_truth
from reports.whatif_types import Change, Outcome, WhatIfResult
from scenarios.schema import IntakeSite, Scenario
from scoring.criteria import Status
from scoring.evidence import RunView, view_of
from scoring.judges import JudgeSheet
from scoring.rubric import Rubric
from scoring.score import score_run
from scoring.scorecard import Scorecard
from sim.actions import action_from_data
from sim.interventions import GateHold, IntakeClosed, Interception, Intervention, Storage
from sim.log import Kind, Log
from sim.run import Command, ScriptDriver, run_drill

INTERVENTION_TASKS = (
    "close_intake",
    "dosing",
    "activated_carbon",
    "build_dam",
    "boom",
    "divert",
    "operate_gate",
)
"""Requests whose effect on the river (or the water supplied) can protect an intake."""


def outcome_of(
    scenario: Scenario, rubric: Rubric, log: Log, judges: JudgeSheet | None = None
) -> Outcome:
    """Points and polluted-supply minutes per intake of a run."""
    card = score_run(scenario, rubric, log, judges)
    return Outcome(card.points_earned, delivered(view_of(log), scenario))


def delivered(view: RunView, scenario: Scenario) -> dict[str, float]:
    """Minutes each intake supplied water above the standard (open spans end with the run)."""
    out = {}
    for site in scenario.sites:
        if isinstance(site, IntakeSite):
            spans = view.polluted.get(site.id, [])
            out[site.id] = round(
                sum((end if end is not None else view.end_min) - start for start, end, _ in spans),
                1,
            )
    return out


def commands_of(log: Log, scenario: Scenario) -> list[tuple[int, Command]]:
    """The log's outside calls with the seq of the record each came from (``replay_commands``
    without losing which record is which, so one action can be moved)."""
    from scenarios.schema import ManualTrigger

    manual = {i.id for i in scenario.injects if isinstance(i.trigger, ManualTrigger)}
    found: list[tuple[int, Command]] = []
    for r in log:
        d = r.data
        if r.kind in (Kind.action_taken, Kind.action_refused) and r.cell is not None:
            found.append(
                (r.seq, Command(r.t_min, "submit", r.cell, action_from_data(d["action"], r.t_min)))
            )
        elif r.kind is Kind.inject_delivered and d.get("inject") in manual:
            found.append((r.seq, Command(r.t_min, "fire", inject=d["inject"])))
        elif r.kind in (Kind.clock_paused, Kind.clock_resumed):
            found.append(
                (r.seq, Command(r.t_min, "pause" if r.kind is Kind.clock_paused else "resume"))
            )
        elif r.kind is Kind.run_ended and d.get("reason") == "ended_by_controller":
            found.append((r.seq, Command(r.t_min, "end")))
    return found


def apply(base: Sequence[tuple[int, Command]], change: Change) -> tuple[Command, ...]:
    """The commands with ``change`` made, in time order (ties keep their original order)."""
    moved = Command(
        change.target_min, "submit", change.cell, action_from_data(change.action, change.target_min)
    )
    items = [(c.t_min, i, c) for i, (seq, c) in enumerate(base) if seq != change.seq]
    items.append((change.target_min, -1, moved))
    return tuple(c for _, _, c in sorted(items, key=lambda item: (item[0], item[1])))


def rerun(scenario: Scenario, log: Log, commands: Sequence[Command]) -> Log:
    """Run the drill again with the same seed, driver name and team, playing ``commands``."""
    info = log[0].data
    driver = ScriptDriver(
        list(commands), name=str(info.get("driver") or "live"), team=info.get("team")
    )
    return run_drill(scenario, int(info.get("seed") or 0), driver)


def _reveal(view: RunView) -> float:
    return min((m.t_min for m in view.reveals.values()), default=0.0)


def criterion_changes(
    scenario: Scenario, rubric: Rubric, log: Log, card: Scorecard
) -> list[Change]:
    """Late or missed timed criteria, each with its action moved to (or added at) its limit."""
    changes = []
    end = log[len(log) - 1].t_min
    for cell, line in card.lines():
        if line.kind != "timed" or line.status not in (Status.late, Status.missed):
            continue
        if line.start_min is None or line.limit_min is None:
            continue
        target = line.start_min + line.limit_min
        if target > end:
            continue
        if line.status is Status.late:
            seq = next(
                (
                    s
                    for s in line.evidence
                    if log[s].kind is Kind.action_taken
                    and log[s].cell == cell
                    and line.at_min is not None
                    and abs(log[s].t_min - line.at_min) < 1e-6
                ),
                None,
            )
            if seq is None:
                continue
            changes.append(
                Change(
                    "late",
                    cell,
                    dict(log[seq].data["action"]),
                    target,
                    log[seq].t_min,
                    seq,
                    line.id,
                )
            )
            continue
        criterion = rubric.criterion(line.id)
        made = synthesize(criterion, scenario, cell) if criterion is not None else None
        if made is not None:
            changes.append(Change("missing", cell, made, target, None, None, line.id))
    return changes


def _shift(item: Intervention, delta: float) -> Intervention:
    if isinstance(item, GateHold):
        return replace(
            item,
            start_min=item.start_min - delta,
            end_min=None if item.end_min is None else item.end_min - delta,
        )
    if isinstance(item, Interception):
        return replace(item, ready_min=item.ready_min - delta)
    if isinstance(item, IntakeClosed | Storage):
        return replace(item, start_min=item.start_min - delta)
    return item


def _starts(item: Intervention) -> float:
    return float(getattr(item, "ready_min", None) or getattr(item, "start_min", None) or 0.0)


def _protecting_shift(base: RunTruth, index: int, intake: str, most: float) -> float | None:
    """Smallest shift (minutes earlier, to 1 min) of intervention ``index`` that leaves the
    intake with no polluted supply until the drill ended (``base.end_min``), on the plume model
    alone; None if even ``most`` fails."""
    items = list(base.interventions)

    def polluted(delta: float) -> float:
        trial = [*items[:index], _shift(items[index], delta), *items[index + 1 :]]
        seen = resimulate(base, trial).sites[intake]
        return seen.delivered_exceedance_min or 0.0

    if most <= 0 or polluted(most) > 0:
        return None
    low, high = 0.0, most
    while high - low > 1.0:
        mid = (low + high) / 2
        low, high = (low, mid) if polluted(mid) <= 0 else (mid, high)
    return float(int(high) + 1)


def intake_changes(scenario: Scenario, log: Log) -> list[Change]:
    """For every intake that supplied polluted water: its interventions moved early enough."""
    view = view_of(log)
    supplied = {k: v for k, v in delivered(view, scenario).items() if v > 0}
    if not supplied:
        return []
    base = run_truth(scenario, log)
    items = list(base.interventions)
    completed = {int(r.data.get("request_seq", -1)): r for r in log.of_kind(Kind.task_completed)}
    reveal = _reveal(view)
    changes = []
    for intake in supplied:
        closed = False
        for r in log.of_kind(Kind.action_taken):
            action = r.data.get("action") or {}
            task, site = action.get("task"), action.get("site")
            if (
                action.get("kind") != "request"
                or task not in INTERVENTION_TASKS
                or r.seq not in completed
            ):
                continue
            if task == "close_intake" and site != intake:
                continue
            closed = closed or task == "close_intake"
            done = completed[r.seq]
            index = next(
                (
                    i
                    for i, it in enumerate(items)
                    if getattr(it, "site", None) == site and abs(_starts(it) - done.t_min) < 1e-3
                ),
                None,
            )
            if index is None:
                continue
            delta = _protecting_shift(base, index, intake, r.t_min - reveal)
            if delta is None:
                continue
            changes.append(
                Change(
                    "earlier",
                    str(r.cell),
                    dict(action),
                    r.t_min - delta,
                    r.t_min,
                    r.seq,
                    None,
                    intake,
                )
            )
        if not closed:
            made = close_intake_request(scenario, intake, view, reveal)
            if made is not None:
                cell, action, at = made
                changes.append(Change("added", cell, action, at, None, None, None, intake))
    return changes


def what_ifs(
    scenario: Scenario,
    rubric: Rubric,
    log: Log,
    card: Scorecard | None = None,
    judges: JudgeSheet | None = None,
) -> list[WhatIfResult]:
    """Every counterfactual of the run, re-run and re-scored.

    Args:
        scenario: The scenario as loaded (the re-run draws the same variant from the seed).
        rubric: The rubric the run was scored with.
        log: The run's log.
        card: Its scorecard (computed when None).
        judges: The judges' sheet, so that points compare like with like.
    """
    card = card or score_run(scenario, rubric, log, judges)
    base = commands_of(log, scenario)
    actual = outcome_of(scenario, rubric, log, judges)
    changes = intake_changes(scenario, log) + criterion_changes(scenario, rubric, log, card)
    results, seen = [], set()
    for change in changes:
        key = (
            change.seq,
            change.cell,
            str(sorted(change.action.items())),
            round(change.target_min, 3),
        )
        if key in seen:
            continue
        seen.add(key)
        commands = apply(base, change)
        counter = outcome_of(scenario, rubric, rerun(scenario, log, commands), judges)
        results.append(WhatIfResult(change, actual, counter, commands))
    return results


__all__ = [
    "Change",
    "Outcome",
    "WhatIfResult",
    "apply",
    "commands_of",
    "outcome_of",
    "rerun",
    "what_ifs",
]
