"""The engine: time and behaviour of a drill (simpy clock, Mesa agents, the plume truth).

Public API: run a drill with a driver and get its event log; step a live drill; read logs.

Names are imported on first use (PEP 562), so ``import sim.log`` (what scoring and reports
read) does not pull in Mesa, simpy or the plume model's numeric libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios.lazy import lazy_exports

if TYPE_CHECKING:
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

_WHERE = {
    "CellView": "sim.live",
    "LiveSession": "sim.live",
    "CONTROL": "sim.log",
    "Kind": "sim.log",
    "Log": "sim.log",
    "Record": "sim.log",
    "DrillModel": "sim.model",
    "TeamProfile": "sim.profiles",
    "load_profiles": "sim.profiles",
    "STREAMS": "sim.rng",
    "Streams": "sim.rng",
    "draw_variant": "sim.rng",
    "Command": "sim.run",
    "Driver": "sim.run",
    "ResponseLogDriver": "sim.run",
    "ScriptDriver": "sim.run",
    "SimulatedTeamDriver": "sim.run",
    "replay_commands": "sim.run",
    "run_competition": "sim.run",
    "run_drill": "sim.run",
}

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


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
