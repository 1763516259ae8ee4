"""The append-only event log: the engine's only output.

Every happening of a run is one flat, frozen :class:`Record` — ``seq, t_min, kind, cell, actor,
visible_to, data`` — in the order it happened. Scoring and reports are pure functions of this
log; the live server replays it after a crash. Records of the truth (what the river really did)
are visible to control only. Serialised as JSON Lines with sorted keys and rounded times, so the
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

from scenarios.errors import InputError, Problem

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
                "t_min": round(self.t_min, 4),
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
        name = key if type(key) is str else str(key)
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None:
            out[name] = value
        elif kind is float:
            out[name] = round(value, 6)
        else:
            out[name] = _jsonable(value)
    return out


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
        record = Record(
            seq=len(self._records),
            t_min=float(t_min),
            kind=kind,
            cell=cell,
            actor=actor,
            visible_to=audience,
            data=MappingProxyType(_flat_jsonable(data)) if data else _EMPTY,
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
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_jsonl(), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> Log:
        """Read a log written by :meth:`write`, refusing truncated or tampered files.

        Raises:
            InputError: naming the line of the first bad JSON line or sequence gap.
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

        Raises:
            InputError: naming the line of the first bad JSON line or sequence gap.
        """
        records: list[Record] = []
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
                raise InputError(
                    [Problem(name, number, 1, "", f"not a valid log record ({exc})")]
                ) from None
            if record.seq != len(records):
                raise InputError(
                    [
                        Problem(
                            name,
                            number,
                            1,
                            "seq",
                            f"sequence gap: expected {len(records)}, found {record.seq} "
                            "(the log was truncated or edited)",
                        )
                    ]
                )
            records.append(record)
        if not records or records[0].kind is not Kind.run_started:
            raise InputError.single(name, "the log does not start with a run_started record")
        return cls(records)
