"""Back tests: every bundled scenario with every simulated profile, against stored summaries.

A summary is small on purpose (counts per kind, first time of each action kind, inject fire
times, the truth's level): a change to the engine, the plume model, a profile or a bundled
scenario shows up here as a readable diff. Regenerate deliberately with ``RIVERDRILL_REGEN=1``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scenarios.load import load_scenario
from sim.log import Kind, Log
from sim.run import SimulatedTeamDriver, run_drill

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = sorted((ROOT / "scenarios" / "library").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "engine"
PROFILES = ("prompt", "average", "slow", "chaotic")


def action_key(action: dict[str, Any]) -> str:
    detail = action.get("task") or action.get("channel")
    return f"{action['kind']}/{detail}" if detail else str(action["kind"])


def summarize(log: Log) -> dict[str, Any]:
    """What the golden files hold."""
    first: dict[str, float] = {}
    for record in log.of_kind(Kind.action_taken):
        key = f"{record.cell}:{action_key(record.data['action'])}"
        first.setdefault(key, round(record.t_min, 2))
    level = log.of_kind(Kind.truth_level)
    return {
        "records": len(log),
        "counts": dict(sorted(Counter(r.kind.value for r in log).items())),
        "first_action_min": dict(sorted(first.items())),
        "injects_min": {
            r.data["inject"]: round(r.t_min, 2) for r in log.of_kind(Kind.inject_delivered)
        },
        "truth_level": level[0].data["level"] if level else None,
    }


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_a_bundled_scenario_plays_as_recorded(path: Path, profile: str) -> None:
    scenario = load_scenario(path)
    summary = summarize(run_drill(scenario, scenario.seed, SimulatedTeamDriver(profile)))
    golden = GOLDEN / f"{path.stem}-{profile}.json"
    if os.environ.get("RIVERDRILL_REGEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(
            json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert golden.exists(), (
        f"no golden file {golden.name}; run with RIVERDRILL_REGEN=1 to create it"
    )
    assert summary == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_file_belongs_to_a_bundled_scenario() -> None:
    expected = {f"{p.stem}-{profile}.json" for p in LIBRARY for profile in PROFILES}
    stale = {p.name for p in GOLDEN.glob("*.json")} - expected
    assert not stale, f"golden files of scenarios no longer bundled: {sorted(stale)}"
