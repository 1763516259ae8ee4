"""Report speed (BENCHMARKS.md): one team's HTML ≤ 1 s, its DOCX ≤ 1.5 s, a 30-team bundle
≤ 30 s on 2 cores.

The targets are for a one-off ``riverdrill report RUN_DIR`` in a fresh process, on a run
directory as ``riverdrill run`` leaves it. So each case first runs the real command
``riverdrill run SCENARIO --team PROFILE --out DIR`` (timed: "run cold", whose own target is
≤ 2.5 s), which writes ``events.jsonl``, ``run.json``, ``scorecard.json``, ``report.html`` and
the stored ``whatif.json`` and ``curves.json``. Then, each ``--cold-runs`` times in a new
process, wall time seen from here (interpreter start-up included) and, in brackets, the CPU
seconds of the command and its children (less disturbed by other load):

- "CLI reused": ``riverdrill report DIR --format html|docx --out OUT`` with the stored files
  current. The script checks they were reused, not rewritten: if they were (the engine's
  code changed between the run and the report, e.g. someone editing ``sim/``), the
  line says so.
- "CLI recomputed": the same with ``whatif.json`` and ``curves.json`` deleted first, so the
  report re-runs the drill for the what-ifs and the plume model for the curves.

And, as before, end to end through the Python API (``write_run_report``) on a run directory
made in-process (engine + scoring, not timed; no stored files): "cold" is the first report in
a fresh interpreter (it computes and stores the what-ifs and curves); "warm" the median of the
next ``--repeat`` calls in one process (which reuse what the first stored: what every team
after the first in a bundle pays, or ``riverdrill run`` after its own run). The bundles are
``write_bundle`` over run directories made in-process (no stored files: each worker computes
them), wall time only.

Run: ``.venv/bin/python benchmarks/bench_reports.py [--repeat N] [--cold-runs N] [--teams N]``.
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
CASES = [
    ("tutorial", "average"),
    ("wujiang-aniline", "average"),
    ("wujiang-aniline", "slow"),
    ("thallium-tributary", "average"),
]
STORED = ("whatif.json", "curves.json")
"""What ``riverdrill run`` stores for later reports (``reports.stored``)."""
CLI = [sys.executable, "-c", "from riverdrill.cli import main; main()"]
"""The console script's entry point, in this interpreter (what ``riverdrill`` runs)."""


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


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a command in a new process, seen from here, and its CPU seconds
    (user + system, its children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cli_run(folder: Path, scenario_name: str, profile: str) -> tuple[Path, float, float]:
    """``riverdrill run`` into ``folder``, timed: the directory, wall and CPU seconds."""
    scenario = str(LIBRARY / f"{scenario_name}.yaml")
    wall, cpu = _timed([*CLI, "run", scenario, "--team", profile, "--out", str(folder)])
    missing = [name for name in STORED if not (folder / name).is_file()]
    if missing:
        raise SystemExit(f"riverdrill run did not store {', '.join(missing)} in {folder}")
    return folder, wall, cpu


def _stored_state(run_dir: Path) -> list[tuple[int, str]]:
    return [((run_dir / name).stat().st_mtime_ns, _sha256(run_dir / name)) for name in STORED]


def cli_report(run_dir: Path, fmt: str, runs: int, *, recompute: bool) -> tuple[str, bool]:
    """``riverdrill report RUN --format fmt`` ``runs`` times, each in a new process: the
    median and best wall (CPU) seconds, and whether every run used the stored files
    (always False when ``recompute`` deletes them first)."""
    walls, cpus, reused = [], [], True
    for _ in range(runs):
        if recompute:
            for name in STORED:
                (run_dir / name).unlink(missing_ok=True)
        state = _stored_state(run_dir) if not recompute else None
        out = str(run_dir / "out")
        wall, cpu = _timed([*CLI, "report", str(run_dir), "--format", fmt, "--out", out])
        reused = reused and not recompute and _stored_state(run_dir) == state
        walls.append(wall)
        cpus.append(cpu)
    text = (
        f"{statistics.median(walls):5.2f} ({statistics.median(cpus):4.2f}) best {min(walls):4.2f}"
    )
    return text, reused


def _cold(run_dir: Path, fmt: str) -> tuple[float, float]:
    """Seconds for one report in a fresh interpreter (imports included): wall time inside the
    child, and the child's CPU time (user + system; less disturbed by other load)."""
    code = (
        "import time, sys; t = time.perf_counter();"
        "from pathlib import Path; from reports import write_run_report;"
        f"write_run_report(Path(sys.argv[1]), formats=({fmt!r},));"
        "print(time.perf_counter() - t)"
    )
    for name in STORED:  # the first report of a run made in-process: nothing stored yet
        (run_dir / name).unlink(missing_ok=True)
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
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--teams", type=int, default=30)
    args = parser.parse_args()
    print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        base = Path(tmp)
        print(
            "one-off CLI in a new process, on a run directory as `riverdrill run` leaves it "
            f"(s, median of {args.cold_runs}): wall (CPU) best"
        )
        for name, profile in CASES:
            run, wall, cpu = cli_run(base / "cli" / f"{name}-{profile}", name, profile)
            records = sum(1 for _ in (run / "events.jsonl").open(encoding="utf-8"))
            label = f"  {name:18s} {profile:8s} records={records:4d}"
            print(f"{label} run cold {wall:5.2f} ({cpu:4.2f})")
            for fmt in ("html", "docx"):
                text, reused = cli_report(run, fmt, args.cold_runs, recompute=False)
                note = "" if reused else "  (NOT reused: the stored files were recomputed)"
                print(f"{label} {fmt:4s} CLI reused     {text}{note}")
            for fmt in ("html", "docx"):
                text, _ = cli_report(run, fmt, args.cold_runs, recompute=True)
                print(f"{label} {fmt:4s} CLI recomputed {text}")
        print("one team through the API, end to end from the run directory (s): wall (CPU)")
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
            for team in runs:  # each bundle starts from run directories with nothing stored
                for stored in STORED:
                    (team / stored).unlink(missing_ok=True)
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
