"""A run directory in, the after-action report out: what ``riverdrill run`` and ``report`` call.

A run directory (``riverdrill run --out DIR``) holds ``events.jsonl`` (the log) and
``run.json`` (the scenario's path, seed, driver, team); ``scorecard.json`` is added by scoring.
:func:`load_run` reads and checks them — a truncated or edited log is refused by
``sim.log.Log.read`` naming the line, a log of another scenario is refused here naming
``run_started`` — and :func:`write_run_report` writes ``report.html`` (and optionally
``report.docx``/``report.pdf``) beside them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reports.build import build_report
from reports.describe import Names
from reports.docx import write_docx
from reports.html import render_report, write_html
from reports.i18n import Messages
from reports.viewmodel import Report
from reports.whatif import WhatIfResult, what_ifs
from reports.whatif_text import view as whatif_view
from scenarios.errors import InputError, Problem
from scenarios.schema import Scenario
from scoring.rubric import Rubric
from scoring.scorecard import Scorecard
from sim.log import Log
from sim.rundir import EVENTS_FILE, RUN_FILE, SCORECARD_FILE

FORMATS = ("html", "docx", "pdf")
DEFAULT_RUBRIC = "chongqing-2024"


@dataclass(frozen=True)
class RunInputs:
    """Everything a report is a function of, read and checked from one run directory."""

    run_dir: Path
    scenario: Scenario
    rubric: Rubric
    log: Log
    scorecard: Scorecard
    info: dict[str, object]


_SCENARIOS: dict[tuple[str, int, int], Scenario] = {}
_RUBRICS: dict[str, Rubric] = {}


def scenario_file(path: Path) -> Scenario:
    """Load a scenario, once per process and file version: a bundle of 30 teams of one drill
    parses the YAML once (and forked workers inherit the parent's copy)."""
    from scenarios.load import load_scenario

    try:
        stat = path.stat()
    except OSError:
        return load_scenario(path)  # raises the loader's own "no such file" problem
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _SCENARIOS:
        _SCENARIOS[key] = load_scenario(path)
    return _SCENARIOS[key]


def rubric_named(name: str | Path) -> Rubric:
    """Load a rubric (bundled id or file), once per process."""
    from scoring.rulebook import load_rubric

    key = str(name)
    if key not in _RUBRICS:
        _RUBRICS[key] = load_rubric(name)
    return _RUBRICS[key]


def _read_info(run_dir: Path) -> dict[str, object]:
    path = run_dir / RUN_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError.single(str(path), f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError.single(str(path), "expected a JSON object")
    return data


def check_scenario(log: Log, scenario: Scenario, events: Path) -> None:
    """Refuse a log written for another scenario (names the ``run_started`` line).

    Raises:
        InputError: When ``run_started.data.scenario`` is not ``scenario.id``.
    """
    logged = log[0].data.get("scenario")
    if logged != scenario.id:
        raise InputError(
            [
                Problem(
                    str(events),
                    1,
                    1,
                    "run_started.data.scenario",
                    f"the log is of scenario {logged!r}, not {scenario.id!r}: "
                    "pass the scenario this run played (--scenario)",
                )
            ]
        )


def load_run(
    run_dir: Path,
    *,
    scenario: Scenario | None = None,
    rubric: Rubric | str | Path | None = None,
    rescore: bool = False,
) -> RunInputs:
    """Read a run directory: log, scenario (from ``run.json`` unless given), rubric, scorecard.

    The scorecard is read from ``scorecard.json`` (it may carry judges' scores and rating
    overrides) unless ``rescore`` or a ``rubric`` other than the scorecard's is asked for.

    Raises:
        InputError: For a missing, truncated or tampered log, a missing or unreadable
            ``run.json`` (when no scenario is given), a log of another scenario, or a bad
            rubric; each problem names its file and line.
    """
    from scoring.score import score_run

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise InputError.single(str(run_dir), "not a run directory (no such directory)")
    events = run_dir / EVENTS_FILE
    log = Log.read(events)
    info = _read_info(run_dir)
    if scenario is None:
        path = info.get("scenario")
        if not isinstance(path, str):
            raise InputError.single(
                str(run_dir / RUN_FILE), "missing, or names no scenario; pass --scenario"
            )
        scenario = scenario_file(Path(path))
    check_scenario(log, scenario, events)
    card_path = run_dir / SCORECARD_FILE
    stored: Scorecard | None = None
    if card_path.exists() and not rescore:
        try:
            stored = Scorecard.read(card_path)
        except ValueError as exc:
            raise InputError.single(
                str(card_path), f"not a scorecard ({str(exc).splitlines()[0]})"
            ) from None
    if isinstance(rubric, Rubric):
        chosen = rubric
    else:
        name = rubric or (stored.rubric if stored else None) or scenario.rubric or DEFAULT_RUBRIC
        chosen = rubric_named(name)
    if stored is not None and stored.rubric == chosen.id:
        card = stored
    else:
        card = score_run(scenario, chosen, log)
    return RunInputs(run_dir, scenario, chosen, log, card, info)


def report_of(
    inputs: RunInputs,
    lang: str = "zh",
    *,
    whatif: bool = True,
    generated_at: datetime | None = None,
) -> Report:
    """The report view model of a loaded run, with its what-ifs unless ``whatif`` is False."""
    views = None
    note = None
    if whatif:
        results = what_ifs(inputs.scenario, inputs.rubric, inputs.log, inputs.scorecard)
        names = Names(inputs.scenario, Messages(lang))
        views = [whatif_view(r, inputs.rubric, names) for r in results if _matters(r)]
    return build_report(
        inputs.scenario,
        inputs.log,
        inputs.scorecard,
        lang=lang,
        rubric=inputs.rubric,
        whatifs=views,
        whatif_note=note,
        generated_at=generated_at,
    )


def _matters(result: WhatIfResult) -> bool:
    """Keep what-ifs that change something: the points, or an intake's polluted supply."""
    a, c = result.actual, result.counterfactual
    return (
        abs(c.points - a.points) >= 0.005
        or any(abs(c.delivered_min.get(k, 0.0) - v) >= 0.5 for k, v in a.delivered_min.items())
        or result.change.intake is not None
    )


def write_outputs(
    report: Report,
    out_dir: Path,
    stem: str = "report",
    formats: tuple[str, ...] = ("html",),
    created: datetime | None = None,
) -> dict[str, Path]:
    """Write ``stem.html``/``.docx``/``.pdf`` of one report into ``out_dir``."""
    written: dict[str, Path] = {}
    html = render_report(report)
    if "html" in formats or "pdf" in formats:
        written["html"] = write_html(html, out_dir / f"{stem}.html")
    if "docx" in formats:
        written["docx"] = write_docx(report, out_dir / f"{stem}.docx", created=created)
    if "pdf" in formats:
        from reports.pdf import write_pdf

        written["pdf"] = write_pdf(written["html"], out_dir / f"{stem}.pdf")
        if "html" not in formats:
            written.pop("html").unlink()
    return written


def write_run_report(
    run_dir: Path,
    *,
    lang: str = "zh",
    formats: tuple[str, ...] = ("html",),
    scenario: Scenario | None = None,
    rubric: Rubric | str | Path | None = None,
    out_dir: Path | None = None,
    whatif: bool = True,
) -> dict[str, Path]:
    """Write the after-action report of one run beside its ``events.jsonl``.

    This is what ``riverdrill run`` calls after scoring (``report.html`` by default).

    Args:
        run_dir: The run directory.
        lang: ``zh`` (default) or ``en``.
        formats: Any of ``html``, ``docx``, ``pdf``.
        scenario: The scenario, when the caller has it loaded already.
        rubric: Rubric (model, id or path); default the scorecard's, else the scenario's.
        out_dir: Where to write; default ``run_dir``.
        whatif: Re-run the drill for the what-if section (default on).

    Returns:
        Format name → path written.

    Raises:
        InputError: For bad input (see :func:`load_run`).
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError.single(
            "--format", f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}"
        )
    inputs = load_run(Path(run_dir), scenario=scenario, rubric=rubric)
    now = datetime.now().astimezone()
    report = report_of(inputs, lang, whatif=whatif, generated_at=now)
    return write_outputs(report, Path(out_dir or run_dir), "report", formats, created=now)


__all__ = [
    "EVENTS_FILE",
    "FORMATS",
    "RunInputs",
    "check_scenario",
    "load_run",
    "report_of",
    "write_outputs",
    "write_run_report",
]
