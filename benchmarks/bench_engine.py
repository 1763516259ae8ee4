"""Speed of the drill engine (targets from issue #4).

1. A full in-process run of the Wujiang scenario with an ``average`` simulated team to the end
   of its 48 h: median ≤ 10 ms. Every run builds its own model and truth (no cache is shared
   between runs); loading the YAML is not part of a run.
2. The engine's overhead: the same run against a bare simpy loop that processes the same
   number of events (a ratio; the plume model's share is printed beside it).
3. ``riverdrill run`` cold start (a fresh subprocess, wall time): ≤ 2.5 s.

    .venv/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenarios.load import load_scenario  # noqa: E402
from sim import truth as truth_module  # noqa: E402
from sim.run import SimulatedTeamDriver, run_drill  # noqa: E402

SCENARIO = ROOT / "scenarios" / "library" / "wujiang-aniline.yaml"
RUN_TARGET_MS = 10.0
COLD_TARGET_S = 2.5
RUNS = 60
COLD_RUNS = 5


def timed(
    call: Callable[[], Any], runs: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Times (ms) of ``runs`` calls after one warm-up call, wall clock by default."""
    call()
    times = []
    for _ in range(runs):
        began = clock()
        call()
        times.append((clock() - began) * 1e3)
    return times


def count_events(call: Callable[[], Any]) -> int:
    """How many events simpy processes during ``call`` (by counting ``Environment.step``)."""
    original = simpy.Environment.step
    counter = [0]

    def step(self: simpy.Environment) -> None:
        counter[0] += 1
        original(self)

    simpy.Environment.step = step  # type: ignore[method-assign]
    try:
        call()
    finally:
        simpy.Environment.step = original  # type: ignore[method-assign]
    return counter[0]


def bare_loop(events: int) -> None:
    """A simpy process that yields ``events`` timeouts: the floor of any simpy engine."""
    env = simpy.Environment()

    def tick() -> Any:
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(tick())
    env.run()


def plume_share(call: Callable[[], Any], runs: int) -> float:
    """Milliseconds per run spent inside ``sim.plume.simulate``."""
    original = truth_module.simulate
    spent = [0.0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - began

    truth_module.simulate = wrapped  # type: ignore[assignment]
    try:
        for _ in range(runs):
            call()
    finally:
        truth_module.simulate = original  # type: ignore[assignment]
    return spent[0] / runs * 1e3


def cold_start() -> list[float]:
    script = Path(sys.executable).with_name("riverdrill")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "riverdrill.cli"]
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(COLD_RUNS):
            began = time.perf_counter()
            result = subprocess.run(
                [*command, "run", str(SCENARIO), "--team", "average", "--out", out],
                capture_output=True,
                cwd=ROOT,
            )
            times.append(time.perf_counter() - began)
            if result.returncode != 0:
                print(result.stderr.decode(errors="replace"), file=sys.stderr)
                raise SystemExit("riverdrill run failed")
    return times


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    except OSError:
        return "?"


def main() -> None:
    load = load_average()
    scenario = load_scenario(SCENARIO)
    driver = SimulatedTeamDriver("average")

    def one_run() -> Any:
        return run_drill(scenario, scenario.seed, driver)

    seeds = iter(range(10**6))

    def varied_run() -> Any:
        return run_drill(scenario, next(seeds), driver)

    same = timed(one_run, RUNS)
    cpu = timed(one_run, RUNS, time.process_time)
    varied = timed(varied_run, RUNS)
    records = len(one_run())
    events = count_events(one_run)
    bare = timed(lambda: bare_loop(events), RUNS)
    plume_ms = plume_share(one_run, 20)
    median = statistics.median(same)
    print(f"wujiang + average team, seed {scenario.seed}: {records} records, {events} simpy events")
    print(f"  (1-minute load average before timing: {load})")
    print(
        f"  full run: median {median:.2f} ms, p90 {sorted(same)[int(0.9 * RUNS)]:.2f} ms, "
        f"min {min(same):.2f} ms (target <= {RUN_TARGET_MS:g} ms: "
        f"{'met' if median <= RUN_TARGET_MS else 'NOT met'})"
    )
    print(f"  CPU time of this process: median {statistics.median(cpu):.2f} ms")
    print(f"  over {RUNS} different seeds: median {statistics.median(varied):.2f} ms")
    print(f"  of which plume model (sim.plume.simulate): {plume_ms:.2f} ms per run")
    bare_ms = statistics.median(bare)
    print(
        f"  bare simpy loop, {events} events: median {bare_ms:.3f} ms -> engine/bare ratio "
        f"{median / bare_ms:.1f}x (without the plume model {(median - plume_ms) / bare_ms:.1f}x)"
    )
    cold = cold_start()
    best = min(cold)
    print(
        f"riverdrill run (subprocess, cold): best {best:.2f} s, "
        f"median {statistics.median(cold):.2f} s (target <= {COLD_TARGET_S:g} s: "
        f"{'met' if best <= COLD_TARGET_S else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
