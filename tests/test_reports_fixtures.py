"""Shared inputs of the report tests: a tutorial run written as a real run directory.

The response log is scripted (no randomness in what the team does) and deliberately
imperfect — a late written report, an intake closed after it exceeded, no gate hold, no
investigation — so the report has
strengths, areas for improvement and what-ifs. Team-entered text carries HTML on purpose:
every report must show it as text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from scenarios.actions import ResponseLog
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from scoring.rulebook import load_rubric
from scoring.score import score_run
from sim.log import Log
from sim.run import ResponseLogDriver, run_drill

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "library" / "tutorial.yaml"
WUJIANG = ROOT / "scenarios" / "library" / "wujiang-aniline.yaml"
SCRIPT = "<script>alert('note')</script>"
CONTENT_HTML = "清水河大桥</td><img src=x onerror=alert(1)>"
PUBLISH_HTML = '<a href="http://evil.example/">自来水安全</a>'

TUTORIAL_ACTIONS: list[dict[str, Any]] = [
    {"at": "20min", "kind": "note", "text": f"{SCRIPT} 值班室接报前记录"},
    {
        "at": "38min",
        "kind": "report",
        "to": "city-eeb",
        "channel": "phone",
        "report": "initial",
        "level": "III",
    },
    {
        "at": "55min",
        "kind": "request",
        "agency": "jia-eeb",
        "task": "monitoring",
        "site": "jia-intake",
        "every": "1h",
    },
    {
        "at": "1h50min",
        "kind": "report",
        "to": "city-eeb",
        "channel": "written",
        "report": "initial",
        "content": {"time": "08:00", "place": CONTENT_HTML, "pollutant": "苯胺", "quantity_t": 1},
    },
    {
        "at": "5h",
        "kind": "request",
        "agency": "jia-fire",
        "task": "dosing",
        "site": "xinqiao-carbon",
    },
    {"at": "5h30min", "kind": "notify", "target": "yi", "channel": "phone"},
    {
        "at": "8h30min",
        "kind": "request",
        "agency": "jia-water",
        "task": "close_intake",
        "site": "jia-intake",
    },
    {"at": "10h", "kind": "publish", "channel": "weibo", "text": {"zh": PUBLISH_HTML}},
    {"at": "12h", "kind": "declare_level", "level": "III"},
]
"""What the scripted tutorial team does (times from the scenario's start)."""


def sha256(path: Path) -> str:
    """A file's SHA-256, as ``riverdrill run`` and ``score`` record it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tutorial() -> Scenario:
    """The bundled tutorial scenario."""
    return load_scenario(TUTORIAL)


def responses(actions: list[dict[str, Any]] | None = None, team: str = "jia-team-a") -> ResponseLog:
    """The tutorial team's response log (``actions`` replaces the scripted ones)."""
    return ResponseLog.model_validate(
        {
            "team": team,
            "cell": "district",
            "scenario": "tutorial-qingshui",
            "actions": actions or TUTORIAL_ACTIONS,
        }
    )


def run_log(scenario: Scenario, log_: ResponseLog) -> Log:
    """Run the drill with a response log."""
    return run_drill(scenario, scenario.seed, ResponseLogDriver(log_))


def never_closed_ended_at_600() -> Log:
    """The scripted team without its intake closure, the drill ended by the controller at
    600 min (the tutorial lasts 24 h; its intake is above the standard from 475 to 749 min)."""
    from reports.whatif import commands_of, rerun
    from sim.run import Command

    scenario = tutorial()
    never_closed = [a for a in TUTORIAL_ACTIONS if a.get("task") != "close_intake"]
    full = run_log(scenario, responses(never_closed))
    played = [c for _, c in commands_of(full, scenario) if c.t_min < 600.0]
    return rerun(scenario, full, [*played, Command(600.0, "end")])


def write_run_dir(
    directory: Path, scenario_path: Path, log: Log, team: str | None, *, scored: bool = True
) -> Path:
    """A run directory as ``riverdrill run`` writes it (plus ``scorecard.json``)."""
    scenario = load_scenario(scenario_path)
    directory.mkdir(parents=True, exist_ok=True)
    log.write(directory / "events.jsonl")
    info = {
        "scenario": str(scenario_path),
        "scenario_id": scenario.id,
        "scenario_sha256": sha256(scenario_path),
        "seed": scenario.seed,
        "driver": log[0].data.get("driver"),
        "team": team,
        "records": len(log),
    }
    (directory / "run.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    if scored:
        rubric = load_rubric(scenario.rubric or "chongqing-2024")
        card = score_run(scenario, rubric, log, log_sha256=sha256(directory / "events.jsonl"))
        (directory / "scorecard.json").write_text(card.to_json(), encoding="utf-8")
    return directory


def tutorial_run_dir(directory: Path, team: str = "jia-team-a") -> Path:
    """The scripted tutorial team's run directory."""
    scenario = tutorial()
    return write_run_dir(directory, TUTORIAL, run_log(scenario, responses(team=team)), team)
