"""``riverdrill preview``: the trainer's truth view and its stable JSON interface."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from riverdrill.cli import app

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios" / "library"
PUBLIC_FIELDS = {
    "id", "kind", "reach", "km", "arrival_min", "peak_min", "peak_mg_l", "standard_mg_l",
    "exceed_start_min", "exceed_end_min", "delivered_exceedance_min",
}  # fmt: skip


def _preview_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["preview", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_preview_json_has_exactly_the_public_fields() -> None:
    document = _preview_json(str(LIBRARY / "tutorial.yaml"))
    assert set(document) == {"scenario", "seed", "sites"}
    assert document["scenario"] == "tutorial-qingshui"
    assert document["sites"], "every site of the scenario is listed"
    for row in document["sites"]:
        assert set(row) == PUBLIC_FIELDS


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
