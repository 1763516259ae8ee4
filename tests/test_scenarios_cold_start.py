"""Validating scenarios never loads the engine's libraries, and the package imports lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "scipy", "mesa", "simpy", "pandas", "matplotlib", "jinja2", "openpyxl")
"""Libraries `riverdrill validate` must not import (benchmarks/bench_validate.py reads this)."""

# The real console-script entry point, with every command module registered, as a user runs
# it; the top-level packages loaded by then are printed last, as JSON, on stderr.
REAL_VALIDATE = (
    "import json, sys\n"
    "from riverdrill.cli import main\n"
    "sys.argv = ['riverdrill', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    loaded = sorted({name.split('.')[0] for name in sys.modules})\n"
    "    print(json.dumps(loaded), file=sys.stderr)\n"
)


def loaded_by(*args: str) -> tuple[int, set[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", REAL_VALIDATE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    *messages, modules = result.stderr.strip().splitlines()
    return result.returncode, set(json.loads(modules)), "\n".join(messages)


def test_riverdrill_validate_loads_none_of_the_engines_libraries() -> None:
    code, loaded, messages = loaded_by("validate", "tests/data/small-river.yaml")
    assert code == 0, messages
    assert "riverdrill" in loaded and "scenarios" in loaded  # the real command ran
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_validating_several_files_and_a_broken_one_loads_none_of_them_either() -> None:
    library = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios/library").glob("*.yaml"))
    code, loaded, messages = loaded_by("validate", *library, "tests/data/bad/reach-cycle.yaml")
    assert code == 1 and "reaches form a cycle" in messages
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    code = (
        "import sys, scenarios, scenarios.errors; assert 'pydantic' not in sys.modules; "
        "assert 'ruamel' not in sys.modules; scenarios.load_scenario; "
        "assert 'scenarios.load' in sys.modules; print(sorted(scenarios.__all__))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "apply_overrides" in result.stdout and "load_scenario" in result.stdout
