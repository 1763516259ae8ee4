"""Every broken scenario in tests/data/bad/ is refused with its problem at file:line:col."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riverdrill.cli import app
from scenarios import InputError, load_scenario
from scenarios.yamlsource import make_yaml

BAD = Path(__file__).parent / "data" / "bad"
EXPECTED: dict[str, dict[str, object]] = make_yaml().load(
    (BAD / "expected.yaml").read_text(encoding="utf-8")
)
NAMES = sorted(EXPECTED)
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): ")


def test_the_index_lists_every_broken_file_and_at_least_thirty() -> None:
    files = sorted(p.name for p in BAD.glob("*.yaml") if p.name != "expected.yaml")
    assert files == NAMES
    assert len(NAMES) >= 30


@pytest.mark.parametrize("name", NAMES)
def test_each_broken_file_is_refused_with_one_problem_at_its_line_and_column(name: str) -> None:
    """One defect, one problem: the message, at the line and column the index gives."""
    expected = EXPECTED[name]
    with pytest.raises(InputError) as caught:
        load_scenario(BAD / name)
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 1, lines
    (problem,) = caught.value.problems
    assert str(expected["message"]) in str(problem), lines
    assert (problem.line, problem.col) == (expected["line"], expected["col"]), lines
    if problem.line:
        assert LOCATED.match(str(problem)), lines


@pytest.mark.parametrize("name", NAMES)
def test_each_broken_file_fails_validate_with_exit_1(name: str) -> None:
    result = CliRunner().invoke(app, ["validate", str(BAD / name)])
    assert result.exit_code == 1
    assert str(EXPECTED[name]["message"]) in result.stderr
    line, col = EXPECTED[name]["line"], EXPECTED[name]["col"]
    prefix = f"{BAD / name}:{line}:{col}: " if line else f"{BAD / name}: "
    assert [row for row in result.stderr.splitlines() if row] == [
        row for row in result.stderr.splitlines() if row.startswith(prefix)
    ], result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    "name",
    ["alias-bomb.yaml", "latin1.yaml", "reach-cycle.yaml", "invalid-date.yaml", "merge-key.yaml"],
)
def test_the_installed_command_prints_one_line_per_problem_and_exits_1(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from riverdrill.cli import main; main()", "validate", BAD / name],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    rows = result.stderr.strip().splitlines()
    assert len(rows) == 1 and LOCATED.match(rows[0]), result.stderr
    assert result.stdout == ""
