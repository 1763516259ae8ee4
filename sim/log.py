"""The append-only event log: the engine's only output.

Every happening of a run is one flat, frozen :class:`Record` — ``seq, t_min, kind, cell, actor,
visible_to, data`` — in the order it happened. Scoring and reports are pure functions of this
log, and a live driver (such as the planned live server, DESIGN.md "Live drills") can rebuild
a drill from it after a crash. Records of the truth (what the river really did) are visible to
control only. Serialised as JSON Lines with sorted keys and rounded times, so the
same scenario, seed and actions give a byte-identical file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scenarios.atomicfile import write_atomic
from scenarios.errors import InputError, Problem
from sim.clock import TIME_DECIMALS

CONTROL = "control"
"""The pseudo-cell of the trainer/controller, who sees everything."""

LOG_FORMAT = 1
"""Version of the record layout, written in the ``run_started`` record."""


class Kind(StrEnum):
    """Every kind of record, in one place."""

    run_started = "run_started"
    run_ended = "run_ended"
    inject_delivered = "inject_delivered"
    message_delivered = "message_delivered"
    action_taken = "action_taken"
    action_refused = "action_refused"
    request_accepted = "request_accepted"
    request_refused = "request_refused"
    task_started = "task_started"
    task_completed = "task_completed"
    task_failed = "task_failed"
    sample_taken = "sample_taken"
    result_delivered = "result_delivered"
    clock_paused = "clock_paused"
    clock_resumed = "clock_resumed"
    truth_spill = "truth_spill"
    truth_arrival = "truth_arrival"
    truth_peak = "truth_peak"
    truth_exceedance_start = "truth_exceedance_start"
    truth_exceedance_end = "truth_exceedance_end"
    truth_intake_polluted = "truth_intake_polluted"
    truth_level = "truth_level"
    truth_variant = "truth_variant"
    truth_intervention = "truth_intervention"

    @property
    def is_truth(self) -> bool:
        """Whether records of this kind describe the hidden truth (control only)."""
        return self in TRUTH_KINDS


_EMPTY: MappingProxyType[str, Any] = MappingProxyType({})

TRUTH_KINDS = frozenset(k for k in Kind if k.value.startswith("truth_"))
"""The kinds that describe the hidden truth: visible to control only."""


def _freeze(data: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(dict(data))


@dataclass(frozen=True, slots=True)
class Record:
    """One happening. ``t_min`` is minutes from the scenario's start (drill time)."""

    seq: int
    t_min: float
    kind: Kind
    cell: str | None
    actor: str | None
    visible_to: tuple[str, ...]
    data: MappingProxyType[str, Any] = field(default_factory=lambda: _freeze({}))

    def visible_for(self, cell: str) -> bool:
        """Whether ``cell`` may see this record (control sees everything)."""
        return cell == CONTROL or cell in self.visible_to

    def to_json(self) -> str:
        """One JSON line; keys sorted and times rounded so output is byte-stable."""
        return json.dumps(
            {
                "seq": self.seq,
                "t_min": round(self.t_min, TIME_DECIMALS),
                "kind": self.kind.value,
                "cell": self.cell,
                "actor": self.actor,
                "visible_to": list(self.visible_to),
                "data": _jsonable(dict(self.data)),
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )


def _jsonable(value: Any) -> Any:
    # Hot path (every record): the common scalar types are tested first, by exact type.
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return round(value, 6)
    if isinstance(value, dict | MappingProxyType):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float):  # numpy floats subclass float
        return round(float(value), 6)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # numpy ints, bools
        return _jsonable(value.item())
    return value


def _flat_jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`_jsonable` of a record's data, with the flat scalar fields done inline (hot)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        kind = type(value)
        if kind is str or kind is int or value is None or kind is bool:
            out[key if type(key) is str else str(key)] = value
        elif kind is float:
            out[key if type(key) is str else str(key)] = round(value, 6)
        else:
            out[key if type(key) is str else str(key)] = _jsonable(value)
    return out


_new_record = object.__new__
_SET_FIELDS = tuple(getattr(Record, name).__set__ for name in Record.__slots__)


def _make_record(
    seq: int,
    t_min: float,
    kind: Kind,
    cell: str | None,
    actor: str | None,
    visible_to: tuple[str, ...],
    data: MappingProxyType[str, Any],
) -> Record:
    """``Record(...)`` in half the time: the slots are set through their descriptors, not the
    frozen dataclass's ``object.__setattr__`` per field (one call per record of every run)."""
    record = _new_record(Record)
    set_seq, set_t, set_kind, set_cell, set_actor, set_visible, set_data = _SET_FIELDS
    set_seq(record, seq)
    set_t(record, t_min)
    set_kind(record, kind)
    set_cell(record, cell)
    set_actor(record, actor)
    set_visible(record, visible_to)
    set_data(record, data)
    return record


class Log:
    """The append-only sequence of records of one run."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._records: list[Record] = list(records)

    def append(
        self,
        t_min: float,
        kind: Kind,
        *,
        cell: str | None = None,
        actor: str | None = None,
        visible_to: Iterable[str] = (),
        data: dict[str, Any] | None = None,
    ) -> Record:
        """Add a record at the end and return it. Truth is forced to control-only."""
        if self._records and t_min < self._records[-1].t_min - 1e-9:
            raise ValueError(
                f"t_min(={t_min}) is earlier than the last record ({self._records[-1].t_min})"
            )
        audience = (CONTROL,) if kind in TRUTH_KINDS else tuple(visible_to)
        record = _make_record(
            len(self._records),
            float(t_min),
            kind,
            cell,
            actor,
            audience,
            MappingProxyType(_flat_jsonable(data)) if data else _EMPTY,
        )
        self._records.append(record)
        return record

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, seq: int) -> Record:
        return self._records[seq]

    @property
    def records(self) -> tuple[Record, ...]:
        """All records, oldest first."""
        return tuple(self._records)

    def of_kind(self, *kinds: Kind) -> list[Record]:
        """The records of the given kinds, in order."""
        wanted = set(kinds)
        return [r for r in self._records if r.kind in wanted]

    def visible_to(self, cell: str) -> list[Record]:
        """What ``cell`` is allowed to see."""
        return [r for r in self._records if r.visible_for(cell)]

    def to_jsonl(self) -> str:
        """The whole log as JSON Lines (one record per line, trailing newline)."""
        return "".join(r.to_json() + "\n" for r in self._records)

    def write(self, path: Path) -> None:
        """Write the log atomically: a crash never leaves half a file behind."""
        write_atomic(path, self.to_jsonl())

    @classmethod
    def read(cls, path: Path) -> Log:
        """Read a log written by :meth:`write`, refusing truncated or tampered files.

        See :meth:`parse` for the checks.

        Raises:
            InputError: naming the file and, for a bad record, its line.
        """
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError.single(name, "no such file") from None
        except UnicodeDecodeError:
            raise InputError.single(name, "not UTF-8 text; is this an events.jsonl?") from None
        return cls.parse(text, name)

    @classmethod
    def parse(cls, text: str, name: str = "<log>") -> Log:
        """Read JSON Lines produced by :meth:`to_jsonl`; ``name`` locates problems.

        A finished run's log is checked as docs/event-log.md ("Reading a log") states: every
        line a record; ``seq`` counting 0, 1, 2… with no gap; ``t_min`` never going back; the
        first record ``run_started``; one ``run_ended``, followed only by ``action_refused``
        records (actions submitted after the end). A file cut at a line boundary has no
        ``run_ended`` and is refused like one cut mid-line.

        Raises:
            InputError: naming the line of the first problem.
        """
        records: list[Record] = []
        previous = 0.0
        ended: int | None = None  # line of run_ended
        last_line = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                record = Record(
                    seq=int(raw["seq"]),
                    t_min=float(raw["t_min"]),
                    kind=Kind(raw["kind"]),
                    cell=raw["cell"],
                    actor=raw["actor"],
                    visible_to=tuple(raw["visible_to"]),
                    data=_freeze(raw["data"]),
                )
            except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                raise _bad(name, number, "", f"not a valid log record ({exc})") from None
            if record.seq != len(records):
                message = (
                    f"sequence gap: expected {len(records)}, found {record.seq} "
                    "(the log was truncated or edited)"
                )
                raise _bad(name, number, "seq", message)
            if not records and record.kind is not Kind.run_started:
                message = f"the log starts with {record.kind.value}, not run_started"
                raise _bad(name, number, "kind", message)
            if record.t_min < previous - 1e-9:
                message = (
                    f"t_min(={record.t_min:g}) is earlier than the previous record's "
                    f"({previous:g}): time never goes back in a log (it was edited)"
                )
                raise _bad(name, number, "t_min", message)
            if ended is not None and record.kind is not Kind.action_refused:
                message = (
                    f"{record.kind.value} after run_ended (line {ended}): only refused late "
                    "actions may follow the end (the log was edited or two logs joined)"
                )
                raise _bad(name, number, "kind", message)
            if record.kind is Kind.run_ended:
                ended = number
            previous = record.t_min
            last_line = number
            records.append(record)
        if not records:
            raise InputError.single(name, "the log is empty (no run_started record)")
        if ended is None:
            last = records[-1]
            message = (
                f"the log ends with seq {last.seq} ({last.kind.value}) and no run_ended record: "
                "it was cut short (or the run has not finished)"
            )
            raise _bad(name, last_line, "", message)
        return cls(records)


def _bad(name: str, line: int, key: str, message: str) -> InputError:
    """A problem of the record at ``line`` of a log (``key``: the field at fault)."""
    return InputError([Problem(name, line, 1, key, message)])
