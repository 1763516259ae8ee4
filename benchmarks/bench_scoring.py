"""Scoring speed: one log scored under a rubric, target ≤ 2 ms median (BENCHMARKS.md).

Logs come from the engine (``sim.run.run_drill``) so they have the records a real run has:
the tutorial with every simulated-team profile, and the Wujiang and Changshou drills with the
"average" team. The scenario and rubric are loaded once (a competition scores many logs of
one pair); each timing is one call of ``scoring.score_run``, including building the scorecard
and its sentences, but not writing it. Prints one line per case.

Prints, per case, the columns of the table in BENCHMARKS.md: scenario, team, records, cells,
median, p95 and min in ms (``--repeat`` calls after 20 warm-up calls; default 1000, the count
BENCHMARKS.md states), then the leaderboard of 21 scorecards.

Run: ``.venv/bin/python benchmarks/bench_scoring.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from scenarios.load import load_scenario
from scoring import leaderboard, load_rubric, score_run
from sim.run import SimulatedTeamDriver, run_drill

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios" / "library"
REPEAT = 1000
"""Calls per case (BENCHMARKS.md states this count)."""
CASES = [
    ("tutorial", "prompt"),
    ("tutorial", "average"),
    ("tutorial", "chaotic"),
    ("wujiang-aniline", "average"),
    ("changshou-benzene", "average"),
]


def _time(call: object, repeat: int) -> list[float]:
    assert callable(call)
    for _ in range(20):  # warm caches (enum lookups, pydantic validators)
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args()
    rubric = load_rubric("chongqing-2024")
    load = os.getloadavg()[0]
    print(f"score_run under {rubric.id}, {args.repeat} calls per case (ms), load {load:.2f}")
    print("| scenario | team | records | cells | median ms | p95 ms | min ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    cards = []
    for name, team in CASES:
        scenario = load_scenario(LIBRARY / f"{name}.yaml")
        log = run_drill(scenario, scenario.seed, SimulatedTeamDriver(team))
        cells = len(score_run(scenario, rubric, log).cells)
        samples = _time(lambda s=scenario, g=log: score_run(s, rubric, g), args.repeat)
        samples.sort()
        p95 = samples[int(0.95 * (len(samples) - 1))]
        median = statistics.median(samples)
        print(
            f"| {name} | {team} | {len(log)} | {cells} | {median:.3f} | {p95:.3f} "
            f"| {samples[0]:.3f} |"
        )
        if name == "tutorial":
            cards.append(score_run(scenario, rubric, log))
    many = cards * 7  # 21 teams
    samples = _time(lambda: leaderboard(many), max(50, args.repeat // 10))
    print(f"leaderboard of {len(many)} scorecards: median {statistics.median(samples):.3f} ms")


if __name__ == "__main__":
    main()
