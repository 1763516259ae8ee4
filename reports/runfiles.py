"""A run directory's files read and checked: the one place ``riverdrill score`` and ``report``
(and ``reports.rundir``) take them from, so both refuse the same things with the same words.

A run directory (``sim.rundir``) holds ``events.jsonl``, ``run.json`` and, once scored,
``scorecard.json``. :func:`read_run` reads the log (``sim.log.Log.read`` refuses a truncated or
edited one, naming the line), compares its length with the ``records`` that ``run.json``
counted, finds the scenario the run played — ``run.json``'s file, refused when its SHA-256 is no
longer the one recorded at the run — and refuses a log of another scenario at its
``run_started`` line. :func:`stored_scorecard` reuses ``scorecard.json`` only when it records
this log's SHA-256, team and seed.

Light on purpose: the command line imports it without the report renderers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.errors import InputError, Problem
from scenarios.schema import Scenario
from scoring.scorecard import Scorecard
from sim.log import Log
from sim.rundir import EVENTS_FILE, RUN_FILE, SCORECARD_FILE

ScenarioLoader = Callable[[Path], Scenario]
"""Reads a scenario file (``scenarios.load.load_scenario``, or a caching wrapper of it)."""


@dataclass(frozen=True)
class RunFiles:
    """A run directory's log, ``run.json`` and scenario, checked against one another."""

    run_dir: Path
    log: Log
    log_sha256: str
    """SHA-256 of the ``events.jsonl`` bytes."""
    info: dict[str, Any]
    """``run.json`` (empty when there is none and the scenario was given)."""
    scenario: Scenario

    @property
    def events(self) -> Path:
        """The log's file."""
        return self.run_dir / EVENTS_FILE


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_info(run_dir: Path) -> dict[str, Any] | None:
    """``run.json`` of a run directory, or None when there is none.

    Raises:
        InputError: When it is not a JSON object.
    """
    path = run_dir / RUN_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise InputError.single(str(path), "not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(str(path), f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError.single(str(path), "expected a JSON object")
    return data


def check_records(info: dict[str, Any], log: Log, events: Path) -> None:
    """Refuse a log whose length is not the ``records`` count ``run.json`` wrote at the run.

    Raises:
        InputError: Naming the log's first line past the shorter of the two.
    """
    expected = info.get("records")
    if expected is None:
        return
    if type(expected) is not int or expected < 1:
        raise InputError.single(
            str(events.with_name(RUN_FILE)),
            f"records(={expected!r}) must be a whole number of records",
            path="records",
        )
    found = len(log)
    if found == expected:
        return
    line = expected + 1 if found > expected else found
    raise InputError(
        [
            Problem(
                str(events),
                line,
                1,
                "",
                f"the log has {found} records but run.json counted {expected} at the run: "
                "it was truncated or edited",
            )
        ]
    )


def scenario_path(run_dir: Path, info: dict[str, Any] | None) -> Path:
    """The scenario file ``run.json`` names, unchanged since the run.

    Raises:
        InputError: When there is no ``run.json`` or it names no scenario, the file is gone,
            or its SHA-256 differs from the one recorded at the run.
    """
    info_path = str(run_dir / RUN_FILE)
    if info is None:
        raise InputError.single(info_path, "no such file; give the scenario with --scenario PATH")
    named = info.get("scenario")
    if not isinstance(named, str) or not named:
        raise InputError.single(
            info_path, "names no scenario; give the scenario with --scenario PATH", path="scenario"
        )
    path = Path(named)
    if not path.is_file():
        raise InputError.single(
            info_path, f"scenario {path} no longer exists; give --scenario PATH", path="scenario"
        )
    recorded = info.get("scenario_sha256")
    if recorded and sha256_of(path) != recorded:
        raise InputError.single(
            str(path),
            "the scenario file changed since the run (SHA-256 differs from run.json's); "
            "restore it, or give the scenario the run played with --scenario PATH",
        )
    return path


def check_scenario(log: Log, scenario: Scenario, events: Path) -> None:
    """Refuse a log written for another scenario (names the ``run_started`` line).

    Raises:
        InputError: When ``run_started.data.scenario`` is not ``scenario.id``.
    """
    logged = log[0].data.get("scenario")
    if logged != scenario.id:
        raise InputError(
            [
                Problem(
                    str(events),
                    1,
                    1,
                    "run_started.data.scenario",
                    f"the log is of scenario {logged!r}, not {scenario.id!r}: "
                    "pass the scenario this run played (--scenario)",
                )
            ]
        )


def read_run(
    run_dir: Path, scenario: Scenario | Path | None = None, *, load: ScenarioLoader | None = None
) -> RunFiles:
    """Read and cross-check a run directory's log, ``run.json`` and scenario.

    Args:
        run_dir: The run directory.
        scenario: The scenario (a model, or a file to load) instead of ``run.json``'s; a
            scenario given so is not checked against the SHA-256 recorded at the run.
        load: How to read a scenario file (default ``scenarios.load.load_scenario``).

    Raises:
        InputError: For a missing, truncated or edited log, a ``run.json`` that is unreadable
            or counts other records, a missing or changed scenario, or a log of another
            scenario; each problem names its file (and line).
    """
    if load is None:
        from scenarios.load import load_scenario

        load = load_scenario
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise InputError.single(str(run_dir), "not a run directory (no such directory)")
    events = run_dir / EVENTS_FILE
    log = Log.read(events)
    digest = sha256_of(events)
    info = read_info(run_dir)
    check_records(info or {}, log, events)
    if isinstance(scenario, Scenario):
        played = scenario
    else:
        played = load(scenario if scenario is not None else scenario_path(run_dir, info))
    check_scenario(log, played, events)
    return RunFiles(run_dir, log, digest, info or {}, played)


def not_this_logs(card: Scorecard, run: RunFiles) -> str | None:
    """Why a scorecard was not scored from ``run``'s log (None when it was): a different
    SHA-256 of ``events.jsonl``, team or seed."""
    start = run.log[0].data
    found = []
    if card.log_sha256 != run.log_sha256:
        recorded = card.log_sha256[:12] + "..." if card.log_sha256 else "none recorded"
        found.append(f"log SHA-256 {recorded}, events.jsonl's {run.log_sha256[:12]}...")
    if card.team != start.get("team"):
        found.append(f"team {card.team!r}, the log's {start.get('team')!r}")
    if card.seed != start.get("seed"):
        found.append(f"seed {card.seed!r}, the log's {start.get('seed')!r}")
    return "; ".join(found) or None


def stored_scorecard(run: RunFiles) -> tuple[Scorecard | None, str | None]:
    """``scorecard.json`` if it was scored from this run's log; else None and why not.

    A scorecard of another log is not used: scoring is a pure function of the log, so the
    caller rescores. One carrying judges' scores or rating overrides is refused instead, as
    rescoring would drop them silently.

    Raises:
        InputError: For a file that is not a scorecard, or another log's scorecard that
            carries judges' scores or overrides.
    """
    path = run.run_dir / SCORECARD_FILE
    if not path.exists():
        return None, None
    try:
        card = Scorecard.read(path)
    except (ValueError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError.single(str(path), f"not a scorecard ({first})") from None
    why = not_this_logs(card, run)
    if why is None:
        return card, None
    overridden = any(c.override_reason for cell in card.cells for c in cell.capabilities)
    if card.judges or overridden:
        raise InputError.single(
            str(path),
            f"not scored from this run's events.jsonl ({why}), and it holds judges' scores or "
            "rating overrides that rescoring would lose: score this run again "
            "(riverdrill score RUN_DIR --judges SHEET)",
        )
    return None, f"{path} was not scored from this run's events.jsonl ({why}); rescored"


__all__ = [
    "RunFiles",
    "check_records",
    "check_scenario",
    "not_this_logs",
    "read_info",
    "read_run",
    "scenario_path",
    "sha256_of",
    "stored_scorecard",
]
