"""Hand-built event logs of the tutorial scenario, for the scoring tests.

The logs follow docs/event-log.md record by record, so scoring is tested without the engine.
The tutorial's truth below is the shape the scenario file describes (plume first detected at
the intake at ~6.3 h, above the standard 7.9-12.5 h, the boundary reached at 14 h), with round
numbers chosen here: the tests need a fixed truth, not the plume model's decimals.

Other scoring tests import :func:`tutorial_log` and the constants from this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.log import Kind, Log

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "library" / "tutorial.yaml"
DATA = ROOT / "tests" / "data" / "scoring"

REVEAL_MIN = 30.0
"""The tutorial's ``first-call`` inject (``reveals: incident``) arrives at T+30."""
END_MIN = 1440.0

Entry = tuple[float, Kind, dict[str, Any]]

# (t_min, kind, data) of the truth when nobody intervenes.
TRUTH: tuple[Entry, ...] = (
    (
        0.0,
        Kind.truth_spill,
        {
            "spill": "lorry",
            "substance": "aniline",
            "reach": "qingshui-jia",
            "km": 0.0,
            "mass_kg": 1000.0,
            "duration_min": 0.0,
        },
    ),
    (72.0, Kind.truth_arrival, {"site": "qingshui-dam", "site_kind": "dam"}),
    (180.0, Kind.truth_arrival, {"site": "shiqiao-section", "site_kind": "monitoring"}),
    (300.0, Kind.truth_arrival, {"site": "xinqiao-carbon", "site_kind": "interception"}),
    (378.0, Kind.truth_arrival, {"site": "jia-intake", "site_kind": "intake"}),
    (
        474.0,
        Kind.truth_exceedance_start,
        {"site": "jia-intake", "site_kind": "intake", "factor": 0.0},
    ),
    (474.0, Kind.truth_intake_polluted, {"site": "jia-intake", "phase": "start"}),
    (
        600.0,
        Kind.truth_peak,
        {"site": "jia-intake", "site_kind": "intake", "value_mg_l": 1.0, "standard_mg_l": 0.1},
    ),
    (
        750.0,
        Kind.truth_exceedance_end,
        {"site": "jia-intake", "site_kind": "intake", "factor": 0.0},
    ),
    (750.0, Kind.truth_intake_polluted, {"site": "jia-intake", "phase": "end"}),
    (840.0, Kind.truth_arrival, {"site": "jia-yi-boundary", "site_kind": "boundary"}),
    (
        1080.0,
        Kind.truth_exceedance_start,
        {"site": "jia-yi-boundary", "site_kind": "boundary", "factor": 0.0},
    ),
    (
        1200.0,
        Kind.truth_peak,
        {
            "site": "jia-yi-boundary",
            "site_kind": "boundary",
            "value_mg_l": 0.7,
            "standard_mg_l": 0.1,
        },
    ),
    (
        1380.0,
        Kind.truth_exceedance_end,
        {"site": "jia-yi-boundary", "site_kind": "boundary", "factor": 0.0},
    ),
)

FULL_CONTENT = {
    "time": "08:00",
    "place": "清水河大桥",
    "source": "交巡警",
    "cause": "槽罐车侧翻",
    "course": "罐体破裂全部泄漏",
    "pollutant": "苯胺",
    "quantity_t": 1.0,
    "monitoring": "石桥断面已布点",
    "casualties": "司机轻伤",
    "drinking_water": "甲区水厂取水口",
    "trend": "约 10 h 到达取水口",
    "measures": "已通知水厂",
    "planned": "活性炭投加",
    "advice": "关闭取水口",
    "sketch_map": True,
    "unit": "甲区生态环境局",
    "signer": "张局长",
    "contact": "023-0000000",
}

# A team that does everything on time (minutes are drill time, T+).
ON_TIME: tuple[tuple[float, dict[str, Any]], ...] = (
    (50.0, {"kind": "report", "to": "city-eeb", "channel": "phone", "report": "initial"}),
    (60.0, {"kind": "request", "agency": "jia-eeb", "task": "monitoring", "site": "jia-intake"}),
    (
        65.0,
        {"kind": "request", "agency": "jia-eeb", "task": "monitoring", "site": "jia-yi-boundary"},
    ),
    (70.0, {"kind": "arrive_scene", "site": None}),
    (
        80.0,
        {
            "kind": "report",
            "to": "city-eeb",
            "channel": "written",
            "report": "initial",
            "content": FULL_CONTENT,
        },
    ),
    (85.0, {"kind": "notify", "target": "yi", "channel": "phone"}),
    (90.0, {"kind": "investigate", "site": None}),
    (
        120.0,
        {"kind": "request", "agency": "jia-water", "task": "close_intake", "site": "jia-intake"},
    ),
    (130.0, {"kind": "declare_level", "level": "II"}),
    (200.0, {"kind": "publish", "channel": "website", "peak_mg_l": None}),
    (600.0, {"kind": "report", "to": "city-eeb", "channel": "written", "report": "follow-up"}),
)
"""Hand-computed under chongqing-2024: 93 of 93 points scored from the log (final report and
source cut-off not applicable, the two judges' items pending)."""


@cache
def tutorial() -> Scenario:
    """The bundled tutorial scenario (read once)."""
    return load_scenario(TUTORIAL)


def tutorial_log(
    actions: Iterable[tuple[float, dict[str, Any]]] = ON_TIME,
    *,
    truth: Sequence[Entry] = TRUTH,
    extra: Sequence[Entry] = (),
    cell_records: Sequence[tuple[float, Kind, dict[str, Any]]] = (),
    closed_intake_at: float | None = 150.0,
    pauses: Sequence[tuple[float, float]] = (),
    team: str = "team-a",
    cell: str = "district",
    end: float = END_MIN,
) -> Log:
    """A log of the tutorial in which ``cell`` takes ``actions``.

    Args:
        actions: (t_min, action JSON without ``at``) per action.
        truth: The truth records; the intake's polluted spans are dropped when it is closed.
        extra: More control records (e.g. a ``truth_level``).
        cell_records: Records of the cell other than actions (``action_refused``…).
        closed_intake_at: When the water company closes the intake (None: never).
        pauses: (t_min, t_min) of a ``clock_paused`` and its ``clock_resumed``; in drill
            time both are at the same minute, since a paused clock does not advance.
        team: Written in ``run_started``.
        cell: The acting cell.
        end: The ``run_ended`` time.
    """
    rows: list[tuple[float, int, Kind, str | None, dict[str, Any], tuple[str, ...]]] = []

    def add(t: float, order: int, kind: Kind, who: str | None, data: dict[str, Any]) -> None:
        seen = ("control",) if kind.is_truth else (cell,) if who else ("control", cell)
        rows.append((t, order, kind, who, data, seen))

    add(
        REVEAL_MIN,
        1,
        Kind.inject_delivered,
        cell,
        {
            "inject": "first-call",
            "channel": "phone",
            "from": {"zh": "甲区公安局交巡警支队"},
            "text": {"zh": "清水河大桥一辆危化品运输车侧翻"},
            "reveals": "incident",
        },
    )
    for t, action in actions:
        add(t, 2, Kind.action_taken, cell, {"action": action})
    for t, kind, data in cell_records:
        add(t, 2, kind, cell, data)
    polluted_ok = closed_intake_at is None
    for t, kind, data in truth:
        if kind is Kind.truth_intake_polluted and not polluted_ok:
            continue
        add(t, 3, kind, None, data)
    if closed_intake_at is not None:
        add(
            closed_intake_at,
            2,
            Kind.task_completed,
            cell,
            {
                "request_seq": 0,
                "agency": "jia-water",
                "task": "close_intake",
                "site": "jia-intake",
                "effect": {"closed": True},
            },
        )
    for t, kind, data in extra:
        add(t, 3, kind, None, data)
    for paused, resumed in pauses:
        add(paused, 0, Kind.clock_paused, None, {})
        add(resumed, 0, Kind.clock_resumed, None, {})
    rows.sort(key=lambda r: (r[0], r[1]))
    log = Log()
    log.append(
        0.0,
        Kind.run_started,
        visible_to=("control", cell),
        data={
            "log_format": 1,
            "scenario": "tutorial-qingshui",
            "seed": 20250605,
            "team": team,
            "cells": [cell],
            "driver": "responses",
            "variant": {},
        },
    )
    for t, _, kind, who, data, seen in rows:
        actor = "control" if kind in (Kind.clock_paused, Kind.clock_resumed) else who
        log.append(t, kind, cell=who, actor=actor, visible_to=seen, data=data)
    log.append(end, Kind.run_ended, visible_to=("control", cell), data={"reason": "duration"})
    return log


def replace_action(
    actions: Sequence[tuple[float, dict[str, Any]]],
    kind: str,
    new: tuple[float, dict[str, Any]] | None,
    **match: Any,
) -> list[tuple[float, dict[str, Any]]]:
    """``actions`` with the first action of ``kind`` (and ``match`` fields) replaced or
    dropped (``new`` None)."""
    out = list(actions)
    for i, (_, action) in enumerate(out):
        if action["kind"] == kind and all(action.get(k) == v for k, v in match.items()):
            if new is None:
                del out[i]
            else:
                out[i] = new
            return out
    raise AssertionError(f"no {kind} action matching {match}")


def test_a_hand_built_log_reads_back_through_the_tamper_check(tmp_path: Path) -> None:
    """The builder writes what ``Log.read`` accepts: the tests score real log files."""
    log = tutorial_log()
    path = tmp_path / "events.jsonl"
    log.write(path)
    again = Log.read(path)
    assert again.to_jsonl() == log.to_jsonl()
    assert again[0].kind is Kind.run_started


def test_a_truth_record_offered_to_a_cell_is_narrowed_to_control() -> None:
    """However wide the audience a builder gives it, the truth reaches control only."""
    log = tutorial_log()
    before = len(log)
    record = log.append(
        END_MIN,
        Kind.truth_level,
        visible_to=("control", "district"),
        data={"level": "IV", "reasons": []},
    )
    assert log[before] is record
    assert record.visible_to == ("control",)
    assert not record.visible_for("district")
    assert record not in log.visible_to("district")
