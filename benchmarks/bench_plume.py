"""Speed of the plume model (targets in issue #3; results go to BENCHMARKS.md).

Run: ``.venv/bin/python benchmarks/bench_plume.py``. Prints, best of several repeats:

1. the core slug kernel against the bare numpy expression on the same 10⁷ arrays
   (target: kernel ≥ 0.8× the bare expression's speed);
2. a full series run: 20 sites, 72 h at 1-min steps (target ≤ 5 ms), without and with
   interventions;
3. summary mode for the same network, vectorised over runs (target ≥ 50,000 runs/s/core);
4. a full series for every bundled scenario (``scenarios/library/*.yaml``): all sites, 72 h at
   1-min steps, network built once, median and min of 50 calls after a warm-up; the scenario
   with the most sites is the target row (≤ 5 ms).
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")  # per-core figures

import numpy as np
import scipy

from scenarios import load_scenario
from sim.interventions import GateHold, IntakeClosed, Interception
from sim.plume import Release, simulate
from sim.river import Network, ReachSpec, SiteSpec, SubstanceSpec
from sim.summary import SpillBatch, summarize
from sim.transport import slug_flux


def best_of(function: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    """Best wall time (s) of one call over ``repeat`` rounds of ``number`` calls."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return float(best)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def twenty_site_network() -> Network:
    """A 240-km main stem in four reaches plus a tributary; 20 sites, all below the spill."""
    reaches = [
        ReachSpec("m1", 40, 300.0, 0.9, 60.0, downstream="m2"),
        ReachSpec("m2", 60, 420.0, 1.0, 120.0, downstream="m3"),
        ReachSpec("m3", 70, 520.0, 1.1, 200.0, downstream="m4"),
        ReachSpec("m4", 70, 600.0, 1.2, 250.0),
        ReachSpec("trib", 30, 80.0, 0.6, 20.0, downstream="m2", joins_at_km=25),
    ]
    sites = [SiteSpec("dam", "m1", 30, kind="dam", max_hold_min=360)]
    sites += [SiteSpec(f"m1-{k}", "m1", k) for k in (5, 15, 38)]
    sites += [SiteSpec(f"m2-{k}", "m2", k) for k in (10, 30, 55)]
    sites += [SiteSpec("carbon", "m2", 40, kind="interception", efficiency=0.6)]
    sites += [SiteSpec(f"m3-{k}", "m3", k, kind="intake") for k in (10, 35)]
    sites += [SiteSpec(f"m3-{k}", "m3", k) for k in (50, 69)]
    sites += [SiteSpec(f"m4-{k}", "m4", k) for k in (5, 20, 35, 50, 60, 70)]
    sites += [SiteSpec("m2-45", "m2", 45), SiteSpec("m3-60", "m3", 60)]
    assert len(sites) == 20
    return Network(reaches, sites, {"aniline": SubstanceSpec("aniline", 0.1, 0.05)})


def bench_kernel() -> None:
    n = 10_000_000
    rng = np.random.default_rng(3)
    t = rng.uniform(1.0, 200_000.0, n)
    scalars = (40_000.0, 0.5, 50.0, 1e-6)
    # As simulate calls it: one entry per evaluated cell, parameters repeated per site.
    arrays = (
        rng.uniform(1e3, 1e5, n),
        rng.uniform(0.2, 1.5, n),
        rng.uniform(5.0, 500.0, n),
        rng.uniform(0.0, 1e-5, n),
    )
    mass, area = 5000.0, 500.0
    for label, (x, u, k_m2s, k) in (("scalar parameters", scalars), ("array parameters", arrays)):

        def bare(x: Any = x, u: Any = u, k_m2s: Any = k_m2s, k: Any = k) -> object:
            return (
                mass
                / (area * np.sqrt(4 * np.pi * k_m2s * t))
                * np.exp(-((x - u * t) ** 2) / (4 * k_m2s * t) - k * t)
            )

        def kernel(x: Any = x, u: Any = u, k_m2s: Any = k_m2s, k: Any = k) -> object:
            return slug_flux(x, t, u, k_m2s, k)

        bare_s = best_of(bare, repeat=3)
        kernel_s = best_of(kernel, repeat=3)
        print(
            f"slug kernel, 1e7 float64, {label}: bare numpy {n / bare_s / 1e6:.1f} M evals/s "
            f"({bare_s * 1e3:.0f} ms); sim.transport.slug_flux {n / kernel_s / 1e6:.1f} M "
            f"evals/s ({kernel_s * 1e3:.0f} ms); speed ratio kernel/bare = {bare_s / kernel_s:.2f}"
        )


def per_call_ms(function: Callable[[], object], calls: int = 200) -> tuple[float, float]:
    """Minimum and median wall time of single calls, in ms (after 10 warm-up calls)."""
    for _ in range(10):
        function()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.min(times)), 1e3 * float(np.median(times))


def bench_full(net: Network) -> None:
    horizon = 72 * 60
    release = Release("aniline", "m1", 2.0, 12_000.0, 0.0, 40.0)
    slug = Release("aniline", "m1", 2.0, 12_000.0)
    actions = (
        GateHold("dam", 60.0, 240.0),
        Interception("carbon", 900.0),
        IntakeClosed("m3-10", 1200.0),
    )
    truth = simulate(net, [release], t_end_min=horizon)
    reached = sum(s.arrival_min is not None for s in truth.sites.values())
    cases = {
        "slug": lambda: simulate(net, [slug], t_end_min=horizon),
        "40-min release": lambda: simulate(net, [release], t_end_min=horizon),
        "40-min release + gate hold, interception, intake closure": lambda: simulate(
            net, [release], actions, t_end_min=horizon
        ),
    }
    print(f"full series, {len(net.sites)} sites x {truth.t_min.size} steps ({reached} reached):")
    for name, call in cases.items():
        low, median = per_call_ms(call)
        print(f"  {name}: min {low:.2f} ms, median {median:.2f} ms")


def bench_summary(net: Network) -> None:
    runs = 100_000
    rng = np.random.default_rng(11)
    batch = SpillBatch(
        "aniline",
        "m1",
        rng.uniform(0.5, 30.0, runs),
        rng.uniform(8000, 16000, runs),
        rng.uniform(0.0, 60.0, runs),
        rng.uniform(0.0, 120.0, runs),
        dispersion_factor=10 ** rng.normal(0.0, 0.38, runs),
    )
    seconds = best_of(lambda: summarize(net, batch), repeat=3)
    print(
        f"summary mode, 20 sites: {runs} runs in {seconds * 1e3:.0f} ms = "
        f"{runs / seconds:,.0f} runs/s (one core)"
    )


LIBRARY = Path(__file__).resolve().parent.parent / "scenarios" / "library"
TARGET_MS = 5.0


def bench_library(calls: int = 50) -> None:
    """One row per bundled scenario; the one with the most sites is the target row."""
    horizon = 72 * 60
    rows = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        scenario = load_scenario(path)
        net = Network.from_scenario(scenario)
        spills = scenario.spills

        def call(net: Network = net, spills: Any = spills) -> object:
            return simulate(net, spills, t_end_min=horizon, dt_min=1.0)

        call()  # warm-up
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        rows.append((path.stem, len(net.sites), 1e3 * float(np.median(times)), 1e3 * min(times)))
    target = max(rows, key=lambda row: row[1])[0]
    print(f"bundled scenarios, full series, 72 h at 1-min steps ({calls} calls, after a warm-up):")
    for name, n_sites, median, low in rows:
        mark = ""
        if name == target:
            verdict = "met" if median <= TARGET_MS else "NOT met"
            mark = f"  <- target row (most sites; <= {TARGET_MS:g} ms: {verdict})"
        print(f"  {name} ({n_sites} sites): median {median:.2f} ms, min {low:.2f} ms{mark}")


def main() -> None:
    print(
        f"machine: {cpu_model()}, {os.cpu_count()} CPUs; numpy {np.__version__}, "
        f"scipy {scipy.__version__}, python {platform.python_version()}"
    )
    net = twenty_site_network()
    bench_kernel()
    bench_full(net)
    bench_summary(net)
    bench_library()


if __name__ == "__main__":
    main()
