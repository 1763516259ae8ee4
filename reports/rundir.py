"""A run directory in, the after-action report out: what ``riverdrill run`` and ``report`` call.

A run directory (``riverdrill run --out DIR``) holds ``events.jsonl`` (the log) and
``run.json`` (the scenario's path and SHA-256, seed, driver, team, record count);
``scorecard.json`` is added by scoring. :func:`load_run` reads and checks them with
``reports.runfiles`` — the same checks, and words, as ``riverdrill score`` — and
:func:`write_run_report` writes ``report.html`` (and optionally ``report.docx``/``report.pdf``)
beside them, with ``curves.json`` and ``whatif.json``: the charts' curves and the what-ifs,
stamped with what they were computed from, so the next report of the run need not re-run the
plume model or the drill (``reports.stored``).

The engine (Mesa, simpy, the plume model and scipy) is imported only when they have to be
re-computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reports.build import ChartsReady, build_report
from reports.curves import CURVES_FILE, curves_of
from reports.describe import Names
from reports.html import render_report, write_html
from reports.i18n import Messages
from reports.runfiles import check_scenario, read_run, stored_scorecard
from reports.viewmodel import Report
from reports.whatif_store import WHATIF_FILE, what_ifs_of
from reports.whatif_text import view as whatif_view
from reports.whatif_types import WhatIfResult
from scenarios.errors import InputError
from scenarios.memo import Memo
from scenarios.schema import Scenario
from scoring.rubric import Rubric
from scoring.rulebook import DEFAULT_RUBRIC, rubric_source
from scoring.scorecard import Scorecard
from sim.log import Log
from sim.rundir import EVENTS_FILE, REPORT_FILE

if TYPE_CHECKING:
    from reports.docx import ChartSource

FORMATS = ("html", "docx", "pdf")
REPORT_STEM = Path(REPORT_FILE).stem
"""The report's file name without its suffix: ``report.html``, ``report.docx``, ``report.pdf``."""


@dataclass(frozen=True)
class RunInputs:
    """Everything a report is a function of, read and checked from one run directory."""

    run_dir: Path
    scenario: Scenario
    rubric: Rubric
    log: Log
    scorecard: Scorecard
    info: dict[str, object]
    rescored: str | None = None
    """Why ``scorecard.json`` was not used and the log was scored afresh (None: it was used,
    or there was none)."""
    log_sha256: str | None = None
    """SHA-256 of ``events.jsonl`` (None for a log held in memory): what stored what-ifs
    (``whatif.json``) are stamped with."""


_SCENARIOS: Memo[tuple[str, int, int], Scenario] = Memo(32)
"""The last scenarios loaded, by file version (see :func:`_file_version`)."""
_RUBRICS: Memo[str | tuple[str, int, int], Rubric] = Memo(32)
"""The last rubrics loaded: a bundled one by id, a file by version (see :func:`_file_version`)."""


def _file_version(path: Path) -> tuple[str, int, int] | None:
    """A file's resolved path, mtime and size (a file edited in a long-lived process is read
    again); None when it cannot be read, so the loader reports why."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def scenario_file(path: Path) -> Scenario:
    """Load a scenario, once per process and file version: a bundle of 30 teams of one drill
    parses the YAML once (and forked workers inherit the parent's copy)."""
    from scenarios.load import load_scenario

    key = _file_version(path)
    if key is None:
        return load_scenario(path)  # raises the loader's own "no such file" problem
    found = _SCENARIOS.get(key)
    if found is None:
        found = _SCENARIOS.put(key, load_scenario(path))
    return found


def rubric_named(name: str | Path) -> Rubric:
    """Load a rubric (bundled id or file), once per process and file version."""
    from scoring.rulebook import load_rubric, rubric_path

    path = rubric_path(name)  # raises the loader's own "no rubric" problem
    # A bundled rubric ships with the code, so its id names one version; a file may be edited.
    key = str(name) if path != Path(name) else _file_version(path)
    if key is None:
        return load_rubric(name)  # raises the loader's own "cannot read" problem
    found = _RUBRICS.get(key)
    if found is None:
        found = _RUBRICS.put(key, load_rubric(name))
    return found


def _same_rubric(card: Scorecard, rubric: Rubric) -> bool:
    """Whether ``card`` was scored under ``rubric`` (by id, and by file when both say)."""
    source = rubric_source(rubric)
    known = card.rubric_source is not None and source is not None
    return card.rubric == rubric.id and (not known or card.rubric_source == source)


def load_run(
    run_dir: Path,
    *,
    scenario: Scenario | None = None,
    rubric: Rubric | str | Path | None = None,
    rescore: bool = False,
) -> RunInputs:
    """Read a run directory: log, scenario (from ``run.json`` unless given), rubric, scorecard.

    The scorecard is read from ``scorecard.json`` (it may carry judges' scores and rating
    overrides) when it was scored from this very log (its SHA-256, team and seed) under the
    rubric asked for — by default the one it names, loaded from where it was read then;
    otherwise, or with ``rescore``, the log is scored afresh.

    Raises:
        InputError: For a missing, truncated or tampered log, a missing or unreadable
            ``run.json`` (when no scenario is given), a changed scenario file, a log of
            another scenario, a bad rubric, or another log's scorecard holding judges' scores;
            each problem names its file and line.
    """
    from scoring.score import score_run

    run = read_run(Path(run_dir), scenario, load=scenario_file)
    stored, rescored = (None, None) if rescore else stored_scorecard(run)
    if isinstance(rubric, Rubric):
        chosen = rubric
    else:
        name = (
            rubric
            or (stored.rubric_source or stored.rubric if stored else None)
            or run.scenario.rubric
            or DEFAULT_RUBRIC
        )
        chosen = rubric_named(name)
    if stored is not None and _same_rubric(stored, chosen):
        card = stored
    else:
        card = score_run(run.scenario, chosen, run.log, log_sha256=run.log_sha256)
    return RunInputs(
        run.run_dir, run.scenario, chosen, run.log, card, run.info, rescored, run.log_sha256
    )


def report_of(
    inputs: RunInputs,
    lang: str = "zh",
    *,
    whatif: bool = True,
    generated_at: datetime | None = None,
    charts_ready: ChartsReady | None = None,
) -> Report:
    """The report view model of a loaded run, with its what-ifs unless ``whatif`` is False
    (the section then says they were skipped).

    The charts' curves and the what-ifs are read from the run directory's ``curves.json`` and
    ``whatif.json`` when they were stored from these very inputs, else re-computed and stored
    there (``reports.curves``, ``reports.whatif_store``). ``charts_ready`` is told the
    charts' data as soon as it is known (``reports.build.build_report``).
    """
    views = None
    if whatif:
        results = what_ifs_of(
            inputs.run_dir,
            inputs.scenario,
            inputs.rubric,
            inputs.log,
            inputs.scorecard,
            inputs.log_sha256,
        )
        names = Names(inputs.scenario, Messages(lang))
        views = [whatif_view(r, inputs.rubric, names) for r in results if _matters(r)]
    return build_report(
        inputs.scenario,
        inputs.log,
        inputs.scorecard,
        lang=lang,
        rubric=inputs.rubric,
        curves=curves_of(inputs.run_dir, inputs.scenario, inputs.log, inputs.log_sha256),
        whatifs=views,
        generated_at=generated_at,
        charts_ready=charts_ready,
    )


def _matters(result: WhatIfResult) -> bool:
    """Keep what-ifs that change something: the points, or an intake's polluted supply."""
    a, c = result.actual, result.counterfactual
    return (
        abs(c.points - a.points) >= 0.005
        or any(abs(c.delivered_min.get(k, 0.0) - v) >= 0.5 for k, v in a.delivered_min.items())
        or result.change.intake is not None
    )


def check_formats(formats: Sequence[str]) -> None:
    """Refuse a report format other than :data:`FORMATS`.

    Raises:
        InputError: Naming the unknown formats and the known ones.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError.single(
            "--format", f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}"
        )


def write_outputs(
    report: Report,
    out_dir: Path,
    stem: str = REPORT_STEM,
    formats: tuple[str, ...] = ("html",),
    created: datetime | None = None,
    charts: ChartSource | None = None,
) -> dict[str, Path]:
    """Write ``stem.html``/``.docx``/``.pdf`` of one report into ``out_dir``; ``charts``
    supplies the Word charts (``reports.docx.build_docx``; default: drawn here)."""
    written: dict[str, Path] = {}
    if "html" in formats or "pdf" in formats:  # a Word-only report renders no HTML
        written["html"] = write_html(render_report(report), out_dir / f"{stem}.html")
    if "docx" in formats:
        from reports.docx import write_docx  # python-docx: only for Word (65 ms to import)

        written["docx"] = write_docx(
            report, out_dir / f"{stem}.docx", created=created, charts=charts
        )
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
        whatif: Include the what-if section (default on): read from ``whatif.json`` when it
            is current, else re-run and stored there.

    Returns:
        Format name → path written.

    Raises:
        InputError: For bad input (see :func:`load_run`).
    """
    check_formats(formats)
    inputs = load_run(Path(run_dir), scenario=scenario, rubric=rubric)
    now = datetime.now().astimezone()
    report = report_of(inputs, lang, whatif=whatif, generated_at=now)
    return write_outputs(report, Path(out_dir or run_dir), REPORT_STEM, formats, created=now)


__all__ = [
    "CURVES_FILE",
    "EVENTS_FILE",
    "FORMATS",
    "REPORT_STEM",
    "WHATIF_FILE",
    "RunInputs",
    "check_formats",
    "check_scenario",
    "load_run",
    "report_of",
    "write_outputs",
    "write_run_report",
]
