"""Cold start of ``riverdrill validate`` on the bundled library (target: ≤ 0.5 s in total).

Runs the real console script in a fresh subprocess five times (``RUNS=n`` to change) and
prints the best wall time and the best CPU time (user + system, which other load on the
machine disturbs far less), then the slowest imports of one run under ``python -X importtime``
and any of ``HEAVY`` that was loaded (a regression: validation must not load the engine; the
list is ``tests/test_scenarios_cold_start.HEAVY``, which the test suite enforces).

    .venv/bin/python benchmarks/bench_validate.py
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.5
RUNS = int(os.environ.get("RUNS", "5"))

sys.path.insert(0, str(ROOT))
# One list of what validation must not import, kept beside the test that enforces it.
from tests.test_scenarios_cold_start import HEAVY  # noqa: E402


def scenario_files() -> list[str]:
    files = sorted(str(p) for p in (ROOT / "scenarios" / "library").glob("*.yaml"))
    return files or [str(ROOT / "scenarios" / "starter.yaml")]


def command() -> list[str]:
    script = Path(sys.executable).with_name("riverdrill")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from riverdrill.cli import main; main()"]


# The scenario commands alone: ``riverdrill.cli`` is stood in for, so its ``__init__`` does not
# import the other command modules. What validation itself costs, whatever they import.
ALONE = (
    "import sys, types, riverdrill; cli = types.ModuleType('riverdrill.cli'); "
    "cli.__path__ = [riverdrill.__path__[0] + '/cli']; sys.modules['riverdrill.cli'] = cli; "
    "from riverdrill.cli.app import app; import riverdrill.cli.scenario_cmds; app()"
)


def best_times(files: list[str], alone: bool = False) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of ``RUNS`` cold runs, in seconds."""
    walls, cpus = [], []
    run = [sys.executable, "-c", ALONE] if alone else command()
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        result = subprocess.run([*run, "validate", *files], capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if result.returncode != 0:
            print(result.stderr.decode(errors="replace"), file=sys.stderr)
            raise SystemExit("validate failed; fix the library before timing it")
    return min(walls), min(cpus)


def import_offenders(files: list[str], top: int = 12) -> tuple[list[tuple[int, str]], set[str]]:
    code = "import sys; from riverdrill.cli import main; sys.argv[1:] = sys.argv[1:]; main()"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, "validate", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    rows: dict[str, int] = {}  # the forked child reports its own late imports again: keep one
    loaded = set()
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            loaded.add(match.group(4).split(".")[0])
            if not match.group(3).strip() and len(match.group(3)) == 1:  # top-level imports
                module = match.group(4)
                rows[module] = max(rows.get(module, 0), int(match.group(2)))
    return sorted(((us, m) for m, us in rows.items()), reverse=True)[:top], loaded


def main() -> None:
    files = scenario_files()
    lines = sum(len(Path(f).read_text(encoding="utf-8").splitlines()) for f in files)
    best, cpu = best_times(files)
    verdict = "OK" if best <= TARGET_S else "TOO SLOW"
    print(
        f"riverdrill validate, {len(files)} files ({lines} lines), best of {RUNS}: "
        f"wall {best * 1000:.0f} ms, cpu {cpu * 1000:.0f} ms "
        f"(target ≤ {TARGET_S * 1000:.0f} ms wall) {verdict}"
    )
    alone, alone_cpu = best_times(files, alone=True)
    print(
        f"  scenario commands alone (other command modules not imported): "
        f"wall {alone * 1000:.0f} ms, cpu {alone_cpu * 1000:.0f} ms"
    )
    single, _ = best_times(files[:1])
    print(f"  one file ({Path(files[0]).name}): wall {single * 1000:.0f} ms")
    offenders, loaded = import_offenders(files)
    print("slowest top-level imports (cumulative µs):")
    for micros, module in offenders:
        print(f"  {micros:>8}  {module}")
    heavy = sorted(set(HEAVY) & loaded)
    print(f"heavy libraries imported: {', '.join(heavy) if heavy else 'none'}")
    if best > TARGET_S or heavy:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
