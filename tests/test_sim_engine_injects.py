"""Every trigger kind of the scenario language fires exactly when it should.

The fixture ``tests/data/engine/straight.yaml`` is one straight river at 0.5 m/s (1.8 km/h)
with K = 10 m²/s and a 100 kg instantaneous aniline spill at km 0, so times can be checked by
hand: the intake at km 9 peaks at t_p = (√(K² + (u² + 4kK)x²) − K)/(u² + 4kK) ≈ 299.3 min.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scenarios.actions import ResponseLog
from scenarios.load import load_scenario
from scenarios.schema import Scenario
from sim.actions import action_from_data
from sim.injects import jittered_min
from sim.live import LiveSession
from sim.log import Kind, Log
from sim.rng import Streams
from sim.run import ResponseLogDriver, run_drill
from sim.truth import TruthKeeper

FIXTURE = Path(__file__).parent / "data" / "engine" / "straight.yaml"
SEED = 3


@cache
def straight() -> Scenario:
    return load_scenario(FIXTURE)


def responses(*actions: dict[str, Any], cell: str = "district") -> ResponseLogDriver:
    """A response log of the given actions (``at`` in minutes)."""
    return ResponseLogDriver(
        ResponseLog(team="t", cell=cell, actions=tuple(action_from_data(a) for a in actions))
    )


def delivered(log: Log) -> dict[str, float]:
    return {r.data["inject"]: r.t_min for r in log.of_kind(Kind.inject_delivered)}


def peak_data(log: Log) -> dict[str, Any]:
    return {r.data["site"]: r.data for r in log.of_kind(Kind.truth_peak)}


def truth_times(log: Log, kind: Kind, site: str) -> list[float]:
    return [r.t_min for r in log.of_kind(kind) if r.data.get("site") == site]


def test_an_at_trigger_fires_at_its_time() -> None:
    log = run_drill(straight(), SEED, responses())
    assert delivered(log)["first-call"] == 30.0


def test_jitter_is_symmetric_around_at_and_never_negative() -> None:
    assert jittered_min(60, 10, 0.0) == 50.0
    assert jittered_min(60, 10, 0.5) == 60.0
    assert jittered_min(60, 10, 0.999999) == pytest.approx(70.0, abs=1e-4)
    assert jittered_min(5, 10, 0.0) == 0.0


def test_a_jittered_inject_fires_at_the_draw_of_the_inject_jitter_stream() -> None:
    for seed in range(5):
        u = Streams(seed).generator("inject_jitter").random(len(straight().injects))
        log = run_drill(straight(), seed, responses())
        expected = round(jittered_min(60.0, 10.0, float(u[1])), 4)
        assert delivered(log)["city-hears"] == pytest.approx(expected, abs=1e-4)
        assert 50.0 <= delivered(log)["city-hears"] <= 70.0


def test_plume_reaches_fires_at_the_truth_arrival_at_the_site() -> None:
    log = run_drill(straight(), SEED, responses())
    baseline = TruthKeeper(straight(), straight().duration).baseline
    arrival = baseline.sites["intake"].arrival_min
    assert arrival is not None
    assert delivered(log)["smell-at-intake"] == pytest.approx(arrival, abs=1e-3)
    assert truth_times(log, Kind.truth_arrival, "intake") == [delivered(log)["smell-at-intake"]]


def test_the_intake_peak_is_logged_at_the_analytic_peak_time() -> None:
    u, k_m2s, x_m, decay = 0.5, 10.0, 9000.0, 0.05 / 86400.0
    a = u * u + 4 * decay * k_m2s
    t_p_min = (-k_m2s + math.sqrt(k_m2s**2 + a * x_m**2)) / a / 60.0
    log = run_drill(straight(), SEED, responses())
    (peak,) = [r for r in log.of_kind(Kind.truth_peak) if r.data["site"] == "intake"]
    assert peak.data["at_min"] == pytest.approx(t_p_min, abs=0.5)
    assert peak.t_min == straight().duration


def test_a_peak_record_carries_the_mass_that_passed_the_site() -> None:
    """100 kg spilled; what passes km 9 is that, decayed over the mean travel time (the
    first-passage factor e^(−2kx/(u+v)), v = √(u² + 4kK))."""
    u, k_m2s, x_m, decay = 0.5, 10.0, 9000.0, 0.05 / 86400.0
    expected = 100.0 * math.exp(-2 * decay * x_m / (u + math.sqrt(u * u + 4 * decay * k_m2s)))
    peaks = peak_data(run_drill(straight(), SEED, responses()))
    assert peaks["intake"]["mass_kg"] == pytest.approx(expected, rel=1e-4)
    assert peaks["mon1"]["mass_kg"] > peaks["intake"]["mass_kg"] > peaks["border"]["mass_kg"]
    dosing = {"at": 10, "kind": "request", "agency": "fire", "task": "dosing", "site": "carbon"}
    dosed = peak_data(run_drill(straight(), SEED, responses(dosing)))
    # The carbon (50 %, ready at 100 min) is in place before the plume: half passes it.
    assert dosed["intake"]["mass_kg"] == pytest.approx(0.5 * expected, rel=1e-3)
    assert dosed["mon1"]["mass_kg"] == peaks["mon1"]["mass_kg"]


def test_exceeds_fires_when_the_site_first_passes_factor_times_the_standard() -> None:
    log = run_drill(straight(), SEED, responses())
    baseline = TruthKeeper(straight(), straight().duration).baseline
    windows = baseline.sites["intake"].exceedance_windows(2.0)
    assert delivered(log)["intake-high"] == pytest.approx(windows[0][0], abs=1e-3)
    # Twice the standard comes after the standard itself.
    assert (
        delivered(log)["intake-high"] > truth_times(log, Kind.truth_exceedance_start, "intake")[0]
    )


def test_a_contingency_fires_at_by_when_the_action_never_came() -> None:
    log = run_drill(straight(), SEED, responses())
    assert delivered(log)["west-asks"] == 180.0


def test_a_contingency_does_not_fire_when_the_action_came_in_time() -> None:
    log = run_drill(straight(), SEED, responses({"at": 179, "kind": "notify", "target": "west"}))
    assert "west-asks" not in delivered(log)


def test_notifying_an_agency_of_the_jurisdiction_counts_as_notifying_it() -> None:
    log = run_drill(straight(), SEED, responses({"at": 90, "kind": "notify", "target": "west-eeb"}))
    assert "west-asks" not in delivered(log)


def test_an_action_at_exactly_by_is_late() -> None:
    log = run_drill(straight(), SEED, responses({"at": 180, "kind": "notify", "target": "west"}))
    assert delivered(log)["west-asks"] == 180.0


def test_a_contingency_only_counts_actions_of_its_own_cell() -> None:
    driver = responses({"at": 60, "kind": "notify", "target": "west"}, cell="city-cell")
    log = run_drill(straight(), SEED, driver)
    assert delivered(log)["west-asks"] == 180.0


def test_the_wrong_action_does_not_satisfy_a_contingency() -> None:
    log = run_drill(straight(), SEED, responses({"at": 60, "kind": "notify", "target": "city"}))
    assert delivered(log)["west-asks"] == 180.0


@cache
def joint() -> Scenario:
    """The fixture with two injects for the city that watch the district's reports."""
    data = straight().model_dump(mode="json", by_alias=True)
    watched = {"kind": "report", "target": "city", "cell": "district"}
    data["injects"] += [
        {"id": "city-gets-report", "to": "city-cell", "channel": "phone", "text": "区里已上报。",
         "trigger": {"after_action": watched, "delay": "5min"}},
        {"id": "city-chases", "to": "city-cell", "channel": "phone", "text": "区里还没报？",
         "trigger": {"no_action": watched, "by": "2h"}},
    ]  # fmt: skip
    return Scenario.model_validate(data)


def test_a_trigger_can_watch_another_cells_actions() -> None:
    """Joint exercise: when the district reports to the city, the city gets an inject."""
    report = {"at": 45, "kind": "report", "to": "city-eeb", "channel": "phone", "level": "IV"}
    log = run_drill(joint(), SEED, responses(report))
    fired = delivered(log)
    assert fired["city-gets-report"] == 50.0
    assert "city-chases" not in fired
    (record,) = [
        r for r in log.of_kind(Kind.inject_delivered) if r.data["inject"] == "city-gets-report"
    ]
    assert record.visible_to == ("city-cell",)


def test_a_trigger_watching_another_cell_ignores_the_inject_cells_own_actions() -> None:
    report = {"at": 45, "kind": "report", "to": "city", "channel": "phone", "level": "IV"}
    fired = delivered(run_drill(joint(), SEED, responses(report, cell="city-cell")))
    assert "city-gets-report" not in fired
    assert fired["city-chases"] == 120.0


def test_after_action_fires_its_delay_after_the_first_matching_action() -> None:
    driver = responses(
        {"at": 50, "kind": "request", "agency": "east-eeb", "task": "monitoring", "site": "mon1"},
        {"at": 70, "kind": "request", "agency": "east-eeb", "task": "monitoring", "site": "intake"},
    )
    log = run_drill(straight(), SEED, driver)
    assert delivered(log)["lab-late"] == 90.0
    assert (
        len([r for r in log.of_kind(Kind.inject_delivered) if r.data["inject"] == "lab-late"]) == 1
    )


def test_after_action_does_not_fire_without_the_action() -> None:
    log = run_drill(straight(), SEED, responses({"at": 50, "kind": "note", "text": "等待"}))
    assert "lab-late" not in delivered(log)


def test_a_manual_inject_waits_for_the_controller() -> None:
    log = run_drill(straight(), SEED, responses())
    assert "media-call" not in delivered(log)
    session = LiveSession(straight(), SEED)
    session.advance_to(100)
    record = session.fire_manual("media-call")
    assert (record.t_min, record.cell, record.visible_to) == (100.0, "city-cell", ("city-cell",))
    with pytest.raises(ValueError, match="already delivered"):
        session.fire_manual("media-call")
    with pytest.raises(ValueError, match="not a manual inject"):
        session.fire_manual("first-call")


def test_an_inject_carries_channel_and_sender_but_never_the_controllers_notes() -> None:
    log = run_drill(straight(), SEED, responses())
    (high,) = [r for r in log.of_kind(Kind.inject_delivered) if r.data["inject"] == "intake-high"]
    assert high.data["channel"] == "phone"
    assert high.actor == "自来水公司"
    assert "控制人员备注" not in log.to_jsonl()
    assert "controller only" not in log.to_jsonl()


def test_reveals_stamps_when_each_cell_learned_of_the_incident() -> None:
    session = LiveSession(straight(), SEED)
    session.advance_to(straight().duration)
    revealed = session.model.revealed_at
    assert revealed["district"] == 30.0
    assert 50.0 <= revealed["city-cell"] <= 70.0


def test_a_gate_hold_postpones_a_plume_reaches_inject() -> None:
    hold = {"at": 10, "kind": "request", "agency": "hydro", "task": "operate_gate", "site": "gate"}
    baseline = delivered(run_drill(straight(), SEED, responses()))["smell-at-intake"]
    held = run_drill(straight(), SEED, responses(hold))
    # The gate closes at 10 + 20 min and holds 4 h: the front reaches the intake ~4 h later.
    assert delivered(held)["smell-at-intake"] > baseline + 200
    assert truth_times(held, Kind.truth_arrival, "intake") == [delivered(held)["smell-at-intake"]]


def test_a_message_reaches_only_the_cell_it_is_addressed_to() -> None:
    message = {"at": 40, "kind": "message", "to": "city-cell", "text": "请支援监测"}
    log = run_drill(straight(), SEED, responses(message))
    (record,) = log.of_kind(Kind.message_delivered)
    assert (record.t_min, record.cell, record.actor) == (40.0, "city-cell", "district")
    assert record.visible_to == ("city-cell",)
    assert record.data["text"]["zh"] == "请支援监测"


def test_a_report_to_an_agency_played_by_another_cell_arrives_there() -> None:
    report = {"at": 45, "kind": "report", "to": "city-eeb", "channel": "phone", "level": "IV"}
    log = run_drill(straight(), SEED, responses(report))
    (record,) = log.of_kind(Kind.message_delivered)
    assert (record.cell, record.data["about"]) == ("city-cell", "report")


def test_a_second_reveal_does_not_move_when_the_cell_learned_of_the_incident(
    tmp_path: Path,
) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    smell = "    trigger: {plume_reaches: intake}\n"
    assert text.count(smell) == 1
    path = tmp_path / "two-reveals.yaml"
    path.write_text(text.replace(smell, smell + "    reveals: incident\n"), encoding="utf-8")
    scenario = load_scenario(path)
    session = LiveSession(scenario, SEED)
    session.advance_to(scenario.duration)
    assert delivered(session.log)["smell-at-intake"] > 30.0  # the second reveal did arrive
    assert session.model.revealed_at["district"] == 30.0


def test_a_drill_ended_early_logs_only_the_peaks_and_mass_that_came_before_its_end() -> None:
    full = run_drill(straight(), SEED, responses())
    session = LiveSession(straight(), SEED)
    session.advance_to(65.0)  # mon1 (km 1.8) peaked at about 1 h; the intake (km 9) at 5 h
    session.end()
    early = peak_data(session.log)
    assert "intake" not in early and "intake" in peak_data(full)
    assert early["mon1"]["at_min"] < 65.0
    assert 0.0 < early["mon1"]["mass_kg"] < peak_data(full)["mon1"]["mass_kg"]
    assert peak_data(full)["mon1"]["mass_kg"] == pytest.approx(100.0, rel=0.01)  # 100 kg spilled
