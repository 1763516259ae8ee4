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
from typing import Any, get_args

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


@dataclass(frozen=True)
class ActionRecord:
    """One action a cell took: ``data`` is the action's JSON with defaults filled in."""

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


@dataclass(frozen=True)
class Moment:
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

    def cells(self) -> list[str]:
        """The cells of the run (from ``run_started``), else those that acted."""
        first = self.log[0] if len(self.log) else None
        listed = list(first.data.get("cells") or []) if first is not None else []
        return listed or sorted(self.actions)


def _first(table: dict[str, Moment], key: str | None, moment: Moment) -> None:
    if key is not None and key not in table:
        table[key] = moment


_READ = frozenset(
    {
        Kind.run_started,
        Kind.run_ended,
        Kind.action_taken,
        Kind.inject_delivered,
        Kind.action_refused,
        Kind.request_refused,
        Kind.task_completed,
        *(k for k in Kind if k.is_truth),
    }
)
"""The kinds scoring reads; samples, results and task progress are skipped unread."""
_TRUTH = frozenset(k for k in Kind if k.is_truth)


def view_of(log: Log) -> RunView:
    """Index ``log`` for scoring in one pass."""
    view = RunView(log=log)
    last = 0.0
    for record in log:
        last = record.t_min
        kind = record.kind
        if kind not in _READ:
            continue
        data, seq = record.data, record.seq
        t = round(record.t_min, TIME_DIGITS)
        if kind is Kind.action_taken and record.cell is not None:
            action = dict(data.get("action") or {})
            akind = str(action.get("kind", ""))
            merged = {**ACTION_DEFAULTS.get(akind, {}), **action}
            content = merged.get("content") or {}
            filled = frozenset(k for k, v in content.items() if v not in (None, "", False))
            view.actions[record.cell].append(
                ActionRecord(seq, t, record.cell, akind, merged, filled)
            )
        elif kind is Kind.inject_delivered and record.cell is not None:
            moment = Moment(t, seq, record.cell)
            view.injects[str(data.get("inject"))].append(moment)
            if data.get("reveals") == "incident":
                _first(view.reveals, record.cell, moment)
        elif kind is Kind.action_refused and record.cell is not None:
            view.refused[record.cell].append(record)
        elif kind is Kind.request_refused and record.cell is not None:
            view.requests_refused[record.cell].append(record)
        elif kind is Kind.task_completed:
            effect = data.get("effect") or {}
            if data.get("task") == "close_intake" and effect.get("closed", True):
                _first(view.closed_intakes, data.get("site"), Moment(t, seq))
        elif kind in _TRUTH:
            _truth(view, record)
        elif kind is Kind.run_started:
            view.team = data.get("team")
            view.scenario_id = data.get("scenario")
            view.seed = data.get("seed")
            view.variant.update(data.get("variant") or {})
        elif kind is Kind.run_ended:
            view.end_min = t
    view.end_min = max(view.end_min, round(last, TIME_DIGITS))
    return view


def _truth(view: RunView, record: Record) -> None:
    kind, data, seq = record.kind, record.data, record.seq
    t = round(record.t_min, TIME_DIGITS)
    site, site_kind = data.get("site"), data.get("site_kind")
    if site is not None and site_kind is not None:
        view.site_kinds[site] = site_kind
    moment = Moment(t, seq, site)
    if kind is Kind.truth_spill:
        if view.spill is None:
            view.spill = moment
    elif kind is Kind.truth_arrival:
        _first(view.arrivals, site, moment)
        _first(view.arrivals_by_kind, site_kind, moment)
    elif kind is Kind.truth_exceedance_start:
        _first(view.exceedances, site, moment)
        _first(view.exceedances_by_kind, site_kind, moment)
    elif kind is Kind.truth_peak and site is not None:
        view.peaks[site] = record
    elif kind is Kind.truth_intake_polluted and site is not None:
        spans = view.polluted.setdefault(site, [])
        if data.get("phase") == "end" and spans and spans[-1][1] is None:
            spans[-1] = (spans[-1][0], t, spans[-1][2])
        elif data.get("phase") == "start":
            spans.append((t, None, seq))
    elif kind is Kind.truth_level:
        view.truth_level = record
    elif kind is Kind.truth_variant:
        view.variant.update(data.get("variant") or {})
