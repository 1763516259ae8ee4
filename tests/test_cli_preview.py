"""``riverdrill preview``: the trainer's truth view and its stable JSON interface."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riverdrill.cli import app
from scenarios.actions import ResponseLog
from scenarios.load import load_scenario
from sim.log import Kind
from sim.run import ResponseLogDriver, run_drill

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios" / "library"
BUNDLED = sorted(p.stem for p in LIBRARY.glob("*.yaml"))
PUBLIC_KEYS = {"scenario", "seed", "sites", "level", "level_reasons"}
PUBLIC_FIELDS = {
    "id", "kind", "reach", "km", "arrival_min", "peak_min", "peak_mg_l", "standard_mg_l",
    "exceed_start_min", "exceed_end_min", "delivered_exceedance_min",
}  # fmt: skip
NUMBERS_OR_NULL = {
    "arrival_min", "peak_min", "peak_mg_l", "exceed_start_min", "exceed_end_min",
    "delivered_exceedance_min",
}  # fmt: skip
REASON_FIELDS = {"criterion", "level", "zh", "en"}
LEVELS = {"I", "II", "III", "IV"}


def _preview_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["preview", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_preview_json_has_exactly_the_public_fields_with_their_types() -> None:
    document = _preview_json(str(LIBRARY / "tutorial.yaml"))
    assert set(document) == PUBLIC_KEYS
    assert document["scenario"] == "tutorial-qingshui"
    assert isinstance(document["seed"], int)
    assert document["sites"], "every site of the scenario is listed"
    for row in document["sites"]:
        assert set(row) == PUBLIC_FIELDS
        assert all(isinstance(row[key], str) for key in ("id", "kind", "reach"))
        assert all(isinstance(row[key], float) for key in ("km", "standard_mg_l"))
        assert all(row[key] is None or isinstance(row[key], float) for key in NUMBERS_OR_NULL)
    # Added after the first release (additive): the baseline's incident level and why.
    assert document["level"] is None or document["level"] in LEVELS
    for reason in document["level_reasons"]:
        assert set(reason) == REASON_FIELDS
        assert reason["level"] in LEVELS
        assert all(isinstance(reason[key], str) for key in REASON_FIELDS)


def test_preview_json_and_table_give_the_same_level_and_reasons() -> None:
    path = str(LIBRARY / "tutorial.yaml")
    document = _preview_json(path)
    table = CliRunner().invoke(app, ["preview", path, "--lang", "en"], terminal_width=200)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("baseline incident level:"))
    assert lines[at] == f"baseline incident level: {document['level']}"
    assert document["level"] == "II"
    shown = [line.strip().removeprefix("· ") for line in lines[at + 1 :] if line.strip()]
    assert shown == [reason["en"] for reason in document["level_reasons"]]


@pytest.mark.parametrize("stem", BUNDLED)
def test_preview_level_is_the_level_the_engine_logs_when_nobody_acts(stem: str) -> None:
    """A run whose response log has no actions ends at the level ``preview`` announced."""
    scenario = load_scenario(LIBRARY / f"{stem}.yaml")
    for seed in (scenario.seed, 1):
        document = _preview_json(str(LIBRARY / f"{stem}.yaml"), "--seed", str(seed))
        idle = ResponseLog(team="idle", cell=scenario.cells[0].id, scenario=scenario.id)
        log = run_drill(scenario, seed, ResponseLogDriver(idle))
        assert not log.of_kind(Kind.action_taken)
        (logged,) = log.of_kind(Kind.truth_level)
        assert document["level"] == logged.data["level"]
        assert document["level_reasons"] == logged.data["reasons"]


def test_preview_intake_exceeds_in_the_do_nothing_baseline() -> None:
    sites = {row["id"]: row for row in _preview_json(str(LIBRARY / "tutorial.yaml"))["sites"]}
    intake = sites["jia-intake"]
    # 18 km at 0.5 m/s: the centre of the plume passes after 10 h; dispersion brings the peak
    # a little earlier. Nobody closes the intake, so it delivers polluted water throughout.
    assert 8 * 60 < intake["peak_min"] < 10 * 60
    assert intake["peak_mg_l"] > intake["standard_mg_l"]
    assert intake["exceed_start_min"] < intake["peak_min"] < intake["exceed_end_min"]
    expected = intake["exceed_end_min"] - intake["exceed_start_min"]
    assert abs(intake["delivered_exceedance_min"] - expected) <= 2
    # Only intakes deliver water.
    assert all(
        row["delivered_exceedance_min"] is None for row in sites.values() if row["kind"] != "intake"
    )


def test_the_example_in_docs_is_what_preview_prints_for_the_tutorial() -> None:
    """docs/preview.md shows real output; after a model change, paste the command's output."""
    text = (ROOT / "docs" / "preview.md").read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(example) == _preview_json(str(LIBRARY / "tutorial.yaml"))


def test_preview_seed_draws_another_variant_of_a_randomised_scenario() -> None:
    path = str(LIBRARY / "wujiang-aniline.yaml")
    first = _preview_json(path, "--seed", "1")
    second = _preview_json(path, "--seed", "2")
    assert first["seed"] == 1 and second["seed"] == 2
    assert first["sites"] != second["sites"]
    assert _preview_json(path, "--seed", "1") == first


def test_preview_of_a_broken_scenario_names_the_line_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (LIBRARY / "tutorial.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("length_km:", "lenght_km:", 1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "riverdrill", "preview", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:" in result.stderr and "lenght_km" in result.stderr
