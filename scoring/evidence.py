"""The log indexed once for scoring: actions per cell, injects, and the truth.

Scoring reads every record of a run through one :class:`RunView`, built in a single pass over
the log (docs/event-log.md is the contract for each record's ``data``). Actions are kept as the
plain dicts the engine wrote, with the action models' defaults filled in, so a filter can
compare fields without re-validating every action.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple, get_args

from pydantic import BaseModel

from scenarios.actions import Action
from sim.log import Kind, Log, Record


def _defaults() -> dict[str, dict[str, Any]]:
    """Per action kind, the defaults of its optional fields, as JSON values."""
    table: dict[str, dict[str, Any]] = {}
    union = get_args(Action)[0]
    for model in get_args(union):
        assert issubclass(model, BaseModel)
        kind = model.model_fields["kind"].annotation
        (value,) = get_args(kind)
        values: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if name in ("at", "cell", "kind") or info.is_required():
                continue
            default = info.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                default = default.model_dump(mode="json", exclude_none=True)
            elif isinstance(default, StrEnum):
                default = default.value
            values[name] = default
        table[str(value.value if isinstance(value, StrEnum) else value)] = values
    return table


ACTION_DEFAULTS = _defaults()

TIME_DIGITS = 4
"""Times are read at the precision ``events.jsonl`` stores them, so scoring a log in memory
and scoring it after a round trip through the file give the same scorecard."""


class ActionRecord(NamedTuple):
    """One action a cell took: ``data`` is the action's JSON with defaults filled in.

    A named tuple, like :class:`Moment`: immutable, and built for every action of every log
    scored at a fraction of a frozen dataclass's cost.
    """

    seq: int
    t_min: float
    cell: str
    kind: str
    data: dict[str, Any]
    elements: frozenset[str] = frozenset()
    """The content elements filled in (a report's or notice's ``content``)."""

    @property
    def addressee(self) -> str | None:
        """Who the action is addressed to: ``to``, ``target`` or a request's ``agency``."""
        for key in ("to", "target", "agency"):
            value = self.data.get(key)
            if isinstance(value, str):
                return value
        return None


class Moment(NamedTuple):
    """When something happened, and the record that shows it."""

    t_min: float
    seq: int
    site: str | None = None


@dataclass
class RunView:
    """Everything scoring reads from a log. Build with :func:`view_of`."""

    log: Log
    team: str | None = None
    scenario_id: str | None = None
    seed: int | None = None
    end_min: float = 0.0
    actions: dict[str, list[ActionRecord]] = field(default_factory=lambda: defaultdict(list))
    refused: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    requests_refused: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    injects: dict[str, list[Moment]] = field(default_factory=lambda: defaultdict(list))
    """Deliveries per inject id (``site`` holds the receiving cell)."""
    reveals: dict[str, Moment] = field(default_factory=dict)
    """Per cell, when it learned of the incident."""
    spill: Moment | None = None
    arrivals: dict[str, Moment] = field(default_factory=dict)
    arrivals_by_kind: dict[str, Moment] = field(default_factory=dict)
    exceedances: dict[str, Moment] = field(default_factory=dict)
    exceedances_by_kind: dict[str, Moment] = field(default_factory=dict)
    peaks: dict[str, Record] = field(default_factory=dict)
    polluted: dict[str, list[tuple[float, float | None, int]]] = field(default_factory=dict)
    """Per intake, (start, end or None, seq) of each time it delivered polluted water."""
    closed_intakes: dict[str, Moment] = field(default_factory=dict)
    site_kinds: dict[str, str] = field(default_factory=dict)
    truth_level: Record | None = None
    variant: dict[str, Any] = field(default_factory=dict)
    """The values the seed drew for this run (``path: value``), applied to the scenario."""

    by_kind: dict[tuple[str, str], list[ActionRecord]] = field(default_factory=dict)
    """Per (cell, action kind), the cell's actions of that kind in order."""

    def actions_of(self, cell: str, kind: str) -> list[ActionRecord]:
        """``cell``'s actions of one kind, oldest first (a criterion looks for one kind)."""
        return self.by_kind.get((cell, str(kind)), [])

    def cells(self) -> list[str]:
        """The cells of the run (from ``run_started``), else those that acted."""
        first = self.log[0] if len(self.log) else None
        listed = list(first.data.get("cells") or []) if first is not None else []
        return listed or sorted(self.actions)


def _first(table: dict[str, Moment], key: str | None, moment: Moment) -> None:
    if key is not None and key not in table:
        table[key] = moment


_TRUTH = frozenset(k for k in Kind if k.is_truth)
_READ = frozenset(
    {
        Kind.run_started,
        Kind.run_ended,
        Kind.action_taken,
        Kind.inject_delivered,
        Kind.action_refused,
        Kind.request_refused,
        Kind.task_completed,
        *_TRUTH,
    }
)
"""The kinds scoring reads; samples, results and task progress are skipped unread."""


def view_of(log: Log) -> RunView:
    """Index ``log`` for scoring in one pass."""
    view = RunView(log=log)
    actions, by_kind, injects, reveals = view.actions, view.by_kind, view.injects, view.reveals
    for record in log:
        kind = record.kind
        if kind not in _READ:
            continue
        if kind in _TRUTH:
            _truth(view, record)
        elif kind is Kind.action_taken:
            if record.cell is not None:
                action = _action(record)
                actions[record.cell].append(action)
                by_kind.setdefault((record.cell, action.kind), []).append(action)
        elif kind is Kind.inject_delivered:
            if record.cell is not None:
                data = record.data
                moment = Moment(round(record.t_min, TIME_DIGITS), record.seq, record.cell)
                injects[str(data.get("inject"))].append(moment)
                if data.get("reveals") == "incident":
                    _first(reveals, record.cell, moment)
        elif kind is Kind.action_refused:
            if record.cell is not None:
                view.refused[record.cell].append(record)
        elif kind is Kind.request_refused:
            if record.cell is not None:
                view.requests_refused[record.cell].append(record)
        elif kind is Kind.task_completed:
            data = record.data
            effect = data.get("effect") or {}
            if data.get("task") == "close_intake" and effect.get("closed", True):
                t = round(record.t_min, TIME_DIGITS)
                _first(view.closed_intakes, data.get("site"), Moment(t, record.seq))
        elif kind is Kind.run_started:
            data = record.data
            view.team = data.get("team")
            view.scenario_id = data.get("scenario")
            view.seed = data.get("seed")
            view.variant.update(data.get("variant") or {})
        else:  # run_ended
            view.end_min = round(record.t_min, TIME_DIGITS)
    if len(log):
        view.end_min = max(view.end_min, round(log[len(log) - 1].t_min, TIME_DIGITS))
    return view


def _action(record: Record) -> ActionRecord:
    """An ``action_taken`` record as scoring reads it: the action's JSON with defaults."""
    action = record.data.get("action") or {}
    kind = str(action.get("kind", ""))
    merged = {**ACTION_DEFAULTS.get(kind, {}), **action}
    content = merged.get("content") or {}
    filled = frozenset(k for k, v in content.items() if v not in (None, "", False))
    assert record.cell is not None
    t = round(record.t_min, TIME_DIGITS)
    return ActionRecord(record.seq, t, record.cell, kind, merged, filled)


def _truth(view: RunView, record: Record) -> None:
    kind, data = record.kind, record.data
    site, site_kind = data.get("site"), data.get("site_kind")
    if site is not None and site_kind is not None:
        view.site_kinds[site] = site_kind
    if kind is Kind.truth_arrival:
        moment = Moment(round(record.t_min, TIME_DIGITS), record.seq, site)
        _first(view.arrivals, site, moment)
        _first(view.arrivals_by_kind, site_kind, moment)
    elif kind is Kind.truth_exceedance_start:
        moment = Moment(round(record.t_min, TIME_DIGITS), record.seq, site)
        _first(view.exceedances, site, moment)
        _first(view.exceedances_by_kind, site_kind, moment)
    elif kind is Kind.truth_peak:
        if site is not None:
            view.peaks[site] = record
    elif kind is Kind.truth_spill:
        if view.spill is None:
            view.spill = Moment(round(record.t_min, TIME_DIGITS), record.seq, site)
    elif kind is Kind.truth_intake_polluted:
        if site is not None:
            t = round(record.t_min, TIME_DIGITS)
            spans = view.polluted.setdefault(site, [])
            if data.get("phase") == "end" and spans and spans[-1][1] is None:
                spans[-1] = (spans[-1][0], t, spans[-1][2])
            elif data.get("phase") == "start":
                spans.append((t, None, record.seq))
    elif kind is Kind.truth_level:
        view.truth_level = record
    elif kind is Kind.truth_variant:
        view.variant.update(data.get("variant") or {})
