"""What-ifs stored beside the log (``whatif.json``), so a later report need not re-run the drill.

The what-ifs re-run the whole drill several times; that, and importing the engine to do it
(Mesa, pandas, simpy), was most of a one-off report's time. Their outcome is a pure function
of the scenario, the log (seed and the team's actions), the rubric, the scorecard they start
from (its late and missed lines), and the code and libraries that compute them. ``riverdrill
run`` computes them anyway for its ``report.html`` and keeps them in ``whatif.json``, stamped
with a digest of each (``reports.stored``); a report reuses them only when every stamp matches
and re-runs them otherwise — the engine is imported only then.

The report's what-if section is always built from the stored (JSON) form of the results, even
just after computing them, so a report is byte for byte the same whether they were reused or
recomputed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reports.stored import as_stored, engine_fingerprint, read_stored, sha256_text, write_stored
from reports.whatif_types import WhatIfResult, from_data, to_data
from sim.rundir import WHATIF_FILE

if TYPE_CHECKING:
    from scenarios.schema import Scenario
    from scoring.rubric import Rubric
    from scoring.scorecard import Scorecard
    from sim.log import Log


def stamp_of(
    scenario: Scenario, rubric: Rubric, log: Log, scorecard: Scorecard, log_sha256: str
) -> dict[str, Any]:
    """What stored what-ifs must have been computed from to be reused.

    Args:
        scenario: The scenario as loaded (its digest covers the file it came from, and a
            scenario given with ``--scenario``).
        rubric: The rubric the report scores with (its source and its content).
        log: The run's log (for the seed, shown in the file; the log's SHA-256 covers it).
        scorecard: The scorecard the what-ifs start from.
        log_sha256: SHA-256 of the ``events.jsonl`` bytes.
    """
    from scoring.rulebook import rubric_source

    return {
        "log_sha256": log_sha256,
        "seed": log[0].data.get("seed"),
        "scenario_sha256": sha256_text(scenario.model_dump_json()),
        "rubric": rubric.id,
        "rubric_source": rubric_source(rubric),
        "rubric_sha256": sha256_text(rubric.model_dump_json()),
        "scorecard_sha256": sha256_text(scorecard.to_json()),
        "engine_sha256": engine_fingerprint(),
    }


def what_ifs_of(
    run_dir: Path | None,
    scenario: Scenario,
    rubric: Rubric,
    log: Log,
    scorecard: Scorecard,
    log_sha256: str | None,
) -> list[WhatIfResult]:
    """The run's what-ifs: from ``run_dir/whatif.json`` when it is current, else re-run and
    stored there (a directory that cannot be written to only misses the cache).

    Without a run directory or the log's SHA-256 (a log held in memory) nothing is read or
    stored; the results still go through their stored form, so the report reads the same.
    """
    path = Path(run_dir) / WHATIF_FILE if run_dir is not None else None
    stamp = stamp_of(scenario, rubric, log, scorecard, log_sha256) if log_sha256 else None
    if path is not None and stamp is not None:
        stored = read_stored(path, stamp, from_data)
        if stored is not None:
            return stored
    from reports.whatif import what_ifs  # the engine: only when there is no current file

    content = as_stored(to_data(what_ifs(scenario, rubric, log, scorecard)))
    if path is not None and stamp is not None:
        write_stored(path, stamp, content)
    return from_data(content)


__all__ = ["WHATIF_FILE", "stamp_of", "what_ifs_of"]
