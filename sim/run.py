"""Running a drill: one scenario, one seed, one driver → one event log.

Three drivers share one small Protocol (:class:`Driver`): a response log (a paper tabletop's
record, checked against the scenario before anything runs), a simulated team profile, and a
script of recorded commands (a replay of a live drill or of a response-log run). A live driver
(such as the planned live server, DESIGN.md "Live drills") drives :class:`~sim.live.LiveSession`
directly; every driver here drives the same class, so all runs are stepped the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from scenarios.actions import Action, ResponseLog
from scenarios.errors import InputError, Problem
from scenarios.paths import DataPath, format_path
from scenarios.schema import ManualTrigger, Scenario
from scenarios.types import format_duration
from sim.actions import Index, action_from_data, check_action
from sim.live import LiveSession
from sim.log import Kind, Log
from sim.profiles import TeamProfile
from sim.profiles import profile as load_profile
from sim.teams import attach_teams

Locator = Callable[[DataPath], tuple[int, int]]
"""Line and column of a path in the file a driver was read from."""


class Driver(Protocol):
    """How actions come into a run.

    Attributes:
        name: ``responses``, ``team`` or ``live`` (written in ``run_started``).
        team: The team's name, or None.
    """

    name: str
    team: str | None

    def prepare(self, scenario: Scenario) -> None:
        """Check the driver against the scenario before the run starts.

        Raises:
            InputError: With every problem, so the run never starts half-way.
        """

    def drive(self, session: LiveSession) -> None:
        """Play the whole drill on ``session`` (up to its end)."""


def run_drill(scenario: Scenario, seed: int, driver: Driver, *, team: str | None = None) -> Log:
    """Run ``scenario`` with ``seed`` and ``driver`` to its end and return the log.

    Args:
        scenario: The validated scenario.
        seed: The run's seed.
        driver: Where the actions come from.
        team: The team's name in the log; default: the driver's.

    Raises:
        InputError: If the driver's input does not fit the scenario (nothing has run).
    """
    driver.prepare(scenario)
    session = LiveSession(scenario, seed, driver=driver.name, team=team or driver.team)
    driver.drive(session)
    session.advance_to(session.end_min)
    return session.log


def run_competition(scenario: Scenario, seed: int, drivers: Mapping[str, Driver]) -> dict[str, Log]:
    """One independent instance per team, all from the same seed (same variant, same injects).

    Every driver is checked before any instance runs; each log names its team by its key.
    """
    for driver in drivers.values():
        driver.prepare(scenario)
    return {team: run_drill(scenario, seed, driver, team=team) for team, driver in drivers.items()}


# --- scripted commands (response logs and replays) -------------------------------------------


@dataclass(frozen=True)
class Command:
    """One outside call at a drill time: an action, a manual inject, a pause, an end."""

    t_min: float
    op: Literal["submit", "fire", "pause", "resume", "end"]
    cell: str | None = None
    action: Action | None = None
    inject: str | None = None


def play(session: LiveSession, commands: Sequence[Command]) -> None:
    """Issue ``commands`` in order, advancing the clock to each one's time."""
    for command in commands:
        session.advance_to(command.t_min)  # a no-op while paused: the clock stands still
        if command.op == "submit":
            assert command.cell is not None and command.action is not None
            session.submit(command.cell, command.action)
        elif command.op == "fire":
            assert command.inject is not None
            session.fire_manual(command.inject)
        elif command.op == "pause":
            session.pause()
        elif command.op == "resume":
            session.resume()
        else:
            session.end()


class ResponseLogDriver:
    """A team's recorded actions, each taken at its ``at``.

    Args:
        responses: The response log.
        source: The file it came from (for messages).
        locate: Line/column of a path in that file, when known.
    """

    name = "responses"

    def __init__(
        self, responses: ResponseLog, source: str = "<responses>", locate: Locator | None = None
    ) -> None:
        self.responses = responses
        self.team: str | None = responses.team
        self.source = source
        self.locate = locate

    @classmethod
    def from_file(cls, path: str | Path) -> ResponseLogDriver:
        """Read a response log, keeping line numbers for later problems.

        Raises:
            InputError: If the file is not a valid response log.
        """
        from scenarios.load import validate_source
        from scenarios.yamlsource import read_source

        source = read_source(path)
        return cls(validate_source(source, ResponseLog), str(path), source.locate)

    def problems(self, scenario: Scenario) -> list[Problem]:
        """Everything in the log that does not fit the scenario, each at its place."""
        found: list[Problem] = []

        def add(path: DataPath, message: str) -> None:
            line, col = self.locate(path) if self.locate else (0, 0)
            found.append(Problem(self.source, line, col, format_path(path), message))

        log, index = self.responses, Index(scenario)
        if log.scenario is not None and log.scenario != scenario.id:
            add(("scenario",), f"the log is for scenario {log.scenario!r}, not {scenario.id!r}")
        if log.cell not in index.cells:
            add(
                ("cell",),
                f"cell {log.cell!r} is not in the scenario (cells: {', '.join(index.cells)})",
            )
        previous = 0.0
        for i, action in enumerate(log.actions):
            here: DataPath = ("actions", i)
            if action.at is None:
                add((*here, "at"), "give the time of the action (at: 35min)")
            elif action.at < 0:
                add((*here, "at"), f"at(={format_duration(action.at)}) must be >= 0")
            elif action.at < previous:
                add(
                    (*here, "at"),
                    f"{format_duration(action.at)} is earlier than the action "
                    f"before it ({format_duration(previous)}); list actions in time order",
                )
            else:
                previous = action.at
            cell = action.cell or log.cell
            if action.cell is not None and action.cell not in index.cells:
                add((*here, "cell"), f"cell {action.cell!r} is not in the scenario")
                continue
            if cell not in index.cells:
                continue
            for refusal in check_action(index, cell, action):
                if refusal.structural:
                    add((*here, *refusal.path.split(".")), refusal.reason.en)
        return found

    def prepare(self, scenario: Scenario) -> None:
        """Refuse the whole log if anything in it does not fit the scenario."""
        problems = self.problems(scenario)
        if problems:
            raise InputError(problems)

    def commands(self) -> list[Command]:
        """The log as timed commands."""
        return [
            Command(float(a.at or 0.0), "submit", a.cell or self.responses.cell, a)
            for a in self.responses.actions
        ]

    def drive(self, session: LiveSession) -> None:
        """Take every action at its time."""
        play(session, self.commands())


class SimulatedTeamDriver:
    """Simulated teams with one profile on every cell (or on ``cells``).

    Args:
        profile: A profile, or the id of a bundled (or ``profiles_path``) profile.
        cells: The cells it plays; default all.
        profiles_path: A user's profile file.
    """

    name = "team"

    def __init__(
        self,
        profile: TeamProfile | str,
        cells: Sequence[str] | None = None,
        profiles_path: str | Path | None = None,
    ) -> None:
        if not isinstance(profile, TeamProfile):
            profile = load_profile(profile, profiles_path)
        self.profile = profile
        self.team: str | None = self.profile.id
        self.cells = tuple(cells) if cells else None

    def prepare(self, scenario: Scenario) -> None:
        """Check that the cells exist."""
        known = {c.id for c in scenario.cells}
        bad = [c for c in self.cells or () if c not in known]
        if bad:
            raise InputError.single("<team>", f"cells not in the scenario: {', '.join(bad)}")

    def drive(self, session: LiveSession) -> None:
        """Let the teams play to the end."""
        attach_teams(session.model, self.profile, self.cells)
        session.advance_to(session.end_min)


class ScriptDriver:
    """Recorded commands played back (a replay).

    Args:
        commands: What to do and when.
        name: The original run's driver name.
        team: The original run's team.
    """

    def __init__(
        self, commands: Sequence[Command], name: str = "live", team: str | None = None
    ) -> None:
        self.commands = list(commands)
        self.name = name
        self.team = team

    def prepare(self, scenario: Scenario) -> None:
        """Nothing to check: the commands came from a log of this scenario."""

    def drive(self, session: LiveSession) -> None:
        """Issue the commands."""
        play(session, self.commands)


def replay_commands(log: Log, scenario: Scenario) -> list[Command]:
    """The outside calls a log records: actions, manual injects, pauses, an early end."""
    manual = {i.id for i in scenario.injects if isinstance(i.trigger, ManualTrigger)}
    commands: list[Command] = []
    for record in log:
        data: Mapping[str, Any] = record.data
        if record.kind in (Kind.action_taken, Kind.action_refused) and record.cell is not None:
            action = action_from_data(data["action"], record.t_min)
            commands.append(Command(record.t_min, "submit", record.cell, action))
        elif record.kind is Kind.inject_delivered and data.get("inject") in manual:
            commands.append(Command(record.t_min, "fire", inject=data["inject"]))
        elif record.kind is Kind.clock_paused:
            commands.append(Command(record.t_min, "pause"))
        elif record.kind is Kind.clock_resumed:
            commands.append(Command(record.t_min, "resume"))
        elif record.kind is Kind.run_ended and data.get("reason") == "ended_by_controller":
            commands.append(Command(record.t_min, "end"))
    return commands
