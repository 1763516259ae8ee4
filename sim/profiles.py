"""Simulated team profiles: the file format of ``teams.yaml`` and how it is read.

A profile gives each step of a response (:class:`Step`) a delay triangle, measured from the
moment the cell learns of the incident, and the rates of the classic mistakes
(:class:`Errors`). The bundled ``teams.yaml`` holds ``prompt``, ``average``, ``slow`` and
``chaotic``; a user passes their own file with the same layout. ``sim.teams`` plays them.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator

from scenarios.errors import InputError
from scenarios.schema import Triangle
from scenarios.types import BiText, Duration, Frozen, Id

PROFILES_PATH = Path(__file__).with_name("teams.yaml")


class Step(StrEnum):
    """The steps of a response a simulated team can take, each with its own delay."""

    phone_report = "phone_report"
    request_monitoring = "request_monitoring"
    activate_plan = "activate_plan"
    notify_downstream = "notify_downstream"
    arrive_scene = "arrive_scene"
    written_report = "written_report"
    close_intake = "close_intake"
    operate_gate = "operate_gate"
    declare_level = "declare_level"
    request_interception = "request_interception"
    publish = "publish"


class Errors(Frozen):
    """How often a team makes each mistake (probabilities)."""

    wrong_level: float = Field(0.0, ge=0, le=1, description="declares/reports a level one off")
    missing_report_elements: float = Field(0.0, ge=0, le=1, description="per element left out")
    forget_downstream_notice: float = Field(0.0, ge=0, le=1, description="per jurisdiction")
    wrong_gate: float = Field(0.0, ge=0, le=1, description="asks to operate the wrong gate")
    skip_step: float = Field(0.0, ge=0, le=1, description="per step, never done at all")


class TeamProfile(Frozen):
    """One simulated team's tempo and error rates."""

    id: Id
    name: BiText
    description: BiText | None = None
    delays: dict[Step, Triangle] = Field(default_factory=dict)
    react: Triangle = Triangle(min=10, mode=20, max=45)
    monitoring_every: Duration | None = Field(None, gt=0)
    errors: Errors = Errors()


class TeamProfiles(Frozen):
    """The file format of ``teams.yaml``."""

    profiles: tuple[TeamProfile, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> TeamProfiles:
        ids = [p.id for p in self.profiles]
        if len(set(ids)) != len(ids):
            raise ValueError(f"profile ids must be unique (got {', '.join(ids)})")
        return self


@cache
def _load(path: str) -> dict[str, TeamProfile]:
    from scenarios.load import load_model  # late: the loader imports the YAML parser

    return {p.id: p for p in load_model(path, TeamProfiles).profiles}


def load_profiles(path: str | Path | None = None) -> dict[str, TeamProfile]:
    """The profiles of ``path`` (default: the bundled ``teams.yaml``), by id."""
    return _load(str(path or PROFILES_PATH))


def profile(name: str, path: str | Path | None = None) -> TeamProfile:
    """One profile by id.

    Raises:
        InputError: If there is no such profile (the message lists the known ones).
    """
    profiles = load_profiles(path)
    if name not in profiles:
        known = ", ".join(profiles)
        raise InputError.single(
            str(path or PROFILES_PATH), f"no team profile {name!r} (known: {known})"
        )
    return profiles[name]
