"""Speed of the drill engine (targets from issue #4).

1. A full in-process run of the Wujiang scenario with an ``average`` simulated team to the end
   of its 48 h: median ≤ 10 ms. Every run builds its own model and truth (no truth is shared
   between runs); loading the YAML is not part of a run. What belongs to the river and not to
   the spill is shared, as in any long-lived process: the ``Network`` and its routing kernels
   (a row shows a run that recomputes the kernels, as the first run on a river does).
2. The engine's overhead: the same run against a bare simpy loop that processes the same
   number of events (a ratio; the plume model's share is printed beside it).
3. ``riverdrill run`` cold start (a fresh subprocess, wall time): ≤ 2.5 s; and ``import
   sim.log`` in a fresh interpreter (what scoring and reports pay before reading a log).

    .venv/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import gc
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
from sim import routing  # noqa: E402
from sim.plume import Plume  # noqa: E402
from sim.run import SimulatedTeamDriver, run_drill  # noqa: E402

SCENARIO = ROOT / "scenarios" / "library" / "wujiang-aniline.yaml"
RUN_TARGET_MS = 10.0
COLD_TARGET_S = 2.5
RUNS = 200
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
    """Milliseconds per run spent evaluating the plume model (``sim.plume.Plume.truth``)."""
    original = Plume.truth
    spent = [0.0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - began

    Plume.truth = wrapped  # type: ignore[method-assign]
    try:
        for _ in range(runs):
            call()
    finally:
        Plume.truth = original  # type: ignore[method-assign]
    return spent[0] / runs * 1e3


def gc_share(call: Callable[[], Any], runs: int) -> float:
    """Milliseconds per run spent in Python's cyclic garbage collector (all generations)."""
    spent, began = [0.0], [0.0]

    def watch(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - began[0]

    gc.callbacks.append(watch)
    try:
        for _ in range(runs):
            call()
    finally:
        gc.callbacks.remove(watch)
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


def import_times(module: str) -> list[float]:
    """Wall time (s) of a fresh interpreter importing ``module`` (what scoring and reports pay)."""
    times = []
    for _ in range(COLD_RUNS):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)
        times.append(time.perf_counter() - began)
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

    def fresh_kernels_run() -> Any:
        routing._KERNELS.clear()  # what the first run on a river pays
        return run_drill(scenario, scenario.seed, driver)

    gc.collect()
    objects_before = len(gc.get_objects())
    same = timed(one_run, RUNS)
    cpu = timed(one_run, RUNS, time.process_time)
    varied = timed(varied_run, RUNS)
    fresh = timed(fresh_kernels_run, RUNS)
    gc.collect()
    objects_after = len(gc.get_objects())
    records = len(one_run())
    events = count_events(one_run)
    bare = timed(lambda: bare_loop(events), RUNS)
    plume_ms = plume_share(one_run, 20)
    gc_ms = gc_share(one_run, RUNS)
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
    print(
        f"  routing kernels recomputed every run: median {statistics.median(fresh):.2f} ms, "
        f"min {min(fresh):.2f} ms"
    )
    print(
        f"  objects alive before / after the {4 * (RUNS + 1)} runs above: {objects_before} / "
        f"{objects_after} (a finished run leaves nothing behind)"
    )
    print(f"  of which plume model (sim.plume.Plume.truth): {plume_ms:.2f} ms per run")
    print(f"  of which garbage collection (gc, all generations): {gc_ms:.2f} ms per run")
    bare_ms = statistics.median(bare)
    print(
        f"  bare simpy loop, {events} events: median {bare_ms:.3f} ms -> engine/bare ratio "
        f"{median / bare_ms:.1f}x (without the plume model {(median - plume_ms) / bare_ms:.1f}x)"
    )
    imports = import_times("sim.log")
    print(
        f"python -c 'import sim.log' (subprocess): best {min(imports):.2f} s, "
        f"median {statistics.median(imports):.2f} s"
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
