"""The engine: time and behaviour of a drill (simpy clock, Mesa agents, the plume truth).

Public API: run a drill with a driver and get its event log; step a live drill; read logs.
"""

from sim.live import CellView, LiveSession
from sim.log import CONTROL, Kind, Log, Record
from sim.model import DrillModel
from sim.profiles import TeamProfile, load_profiles
from sim.rng import STREAMS, Streams, draw_variant
from sim.run import (
    Command,
    Driver,
    ResponseLogDriver,
    ScriptDriver,
    SimulatedTeamDriver,
    replay_commands,
    run_competition,
    run_drill,
)

__all__ = [
    "CONTROL",
    "STREAMS",
    "CellView",
    "Command",
    "DrillModel",
    "Driver",
    "Kind",
    "LiveSession",
    "Log",
    "Record",
    "ResponseLogDriver",
    "ScriptDriver",
    "SimulatedTeamDriver",
    "Streams",
    "TeamProfile",
    "draw_variant",
    "load_profiles",
    "replay_commands",
    "run_competition",
    "run_drill",
]
