"""Validating scenarios never loads the engine's libraries, and the package imports lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"numpy", "scipy", "mesa", "pandas", "simpy", "matplotlib", "jinja2", "openpyxl"}
# Only the scenario commands: a stand-in riverdrill.cli package keeps the other command
# modules (and whatever they import) out, so this tests the validate path itself.
VALIDATE_ALONE = (
    "import atexit, json, sys, types, riverdrill; cli = types.ModuleType('riverdrill.cli'); "
    "cli.__path__ = [riverdrill.__path__[0] + '/cli']; sys.modules['riverdrill.cli'] = cli; "
    "atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})),"
    " file=sys.stderr)); "
    "from riverdrill.cli.app import app; import riverdrill.cli.scenario_cmds; app()"
)


def test_validate_loads_none_of_the_engines_libraries() -> None:
    result = subprocess.run(
        [sys.executable, "-c", VALIDATE_ALONE, "validate", "tests/data/small-river.yaml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert not loaded & HEAVY, sorted(loaded & HEAVY)


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    code = (
        "import sys, scenarios, scenarios.errors; assert 'pydantic' not in sys.modules; "
        "assert 'ruamel' not in sys.modules; scenarios.load_scenario; "
        "assert 'scenarios.load' in sys.modules; print(sorted(scenarios.__all__))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "apply_overrides" in result.stdout and "load_scenario" in result.stdout
