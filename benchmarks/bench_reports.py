"""Report speed (BENCHMARKS.md): one team's HTML ≤ 1 s, its DOCX ≤ 1.5 s, a 30-team bundle
≤ 30 s on 2 cores.

Run directories are made first (engine + scoring, not timed), as ``riverdrill run`` leaves
them. Timed, end to end from the run directory: reading the log, the scenario and the
scorecard, the what-if re-runs, building the view model and writing the file. "cold" is the
first report in a fresh process (imports, fonts, compiled templates); "warm" the median of
the next ``--repeat`` calls, which is what every team after the first in a bundle pays. Each
time is printed as wall seconds and, in brackets, the CPU seconds of the process doing the
work, which other jobs on the machine disturb much less. The bundles are wall time only.

Run: ``.venv/bin/python benchmarks/bench_reports.py [--repeat N] [--teams N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios" / "library"
PROFILES = ("prompt", "average", "slow", "chaotic")
CASES = [("tutorial", "average"), ("wujiang-aniline", "slow"), ("thallium-tributary", "average")]


def make_run(folder: Path, scenario_name: str, profile: str) -> Path:
    """A run directory of a simulated team, with its scorecard (not timed)."""
    from scenarios.load import load_scenario
    from scoring import load_rubric, score_run
    from sim.run import SimulatedTeamDriver, run_drill

    path = LIBRARY / f"{scenario_name}.yaml"
    scenario = load_scenario(path)
    log = run_drill(scenario, scenario.seed, SimulatedTeamDriver(profile))
    folder.mkdir(parents=True, exist_ok=True)
    log.write(folder / "events.jsonl")
    info = {
        "scenario": str(path),
        "scenario_id": scenario.id,
        "scenario_sha256": _sha256(path),
        "seed": scenario.seed,
        "driver": "team",
        "team": folder.name,
        "records": len(log),
    }
    (folder / "run.json").write_text(json.dumps(info), encoding="utf-8")
    rubric = load_rubric(scenario.rubric or "chongqing-2024")
    card = score_run(scenario, rubric, log, log_sha256=_sha256(folder / "events.jsonl"))
    (folder / "scorecard.json").write_text(card.to_json(), encoding="utf-8")
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cold(run_dir: Path, fmt: str) -> tuple[float, float]:
    """Seconds for one report in a fresh interpreter (imports included): wall time inside the
    child, and the child's CPU time (user + system; less disturbed by other load)."""
    code = (
        "import time, sys; t = time.perf_counter();"
        "from pathlib import Path; from reports import write_run_report;"
        f"write_run_report(Path(sys.argv[1]), formats=({fmt!r},));"
        "print(time.perf_counter() - t)"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", code, str(run_dir)], capture_output=True, text=True, check=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(done.stdout.strip().splitlines()[-1]), cpu


def _warm(run_dir: Path, fmt: str, repeat: int, whatif: bool = True) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeat`` reports after a first one."""
    from reports import write_run_report

    write_run_report(run_dir, formats=(fmt,), whatif=whatif)
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        write_run_report(run_dir, formats=(fmt,), whatif=whatif)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--teams", type=int, default=30)
    args = parser.parse_args()
    print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        base = Path(tmp)
        print("one team, end to end from the run directory (s): wall (CPU)")
        for name, profile in CASES:
            run = make_run(base / f"{name}-{profile}", name, profile)
            records = sum(1 for _ in (run / "events.jsonl").open(encoding="utf-8"))
            label = f"  {name:18s} {profile:8s} records={records:4d}"
            for fmt in ("html", "docx"):
                cold, cold_cpu = _cold(run, fmt)
                warm, warm_cpu = _warm(run, fmt, args.repeat)
                print(
                    f"{label} {fmt:4s} cold={cold:5.2f} ({cold_cpu:4.2f}) "
                    f"warm={warm:5.2f} ({warm_cpu:4.2f})"
                )
            bare, bare_cpu = _warm(run, "html", args.repeat, whatif=False)
            print(f"{label} html without what-if warm={bare:5.2f} ({bare_cpu:4.2f})")
        runs = [
            make_run(
                base / "teams" / f"team-{i:02d}", "wujiang-aniline", PROFILES[i % len(PROFILES)]
            )
            for i in range(args.teams)
        ]
        for formats in (("html",), ("html", "docx")):
            code = (
                "import time, sys; from pathlib import Path; t = time.perf_counter();"
                "from reports import write_bundle;"
                "write_bundle([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]),"
                f" formats={formats!r});"
                "print(time.perf_counter() - t)"
            )
            out = base / ("bundle-" + "-".join(formats))
            done = subprocess.run(
                [sys.executable, "-c", code, str(out), *map(str, runs)],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds = float(done.stdout.strip().splitlines()[-1])
            what = f"wujiang-aniline, {'+'.join(formats)}, fresh process, {os.cpu_count()} workers"
            print(f"{args.teams}-team bundle ({what}): {seconds:.1f} s")
    print(f"load at the end={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
