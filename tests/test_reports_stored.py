"""Stored what-ifs and curves (``whatif.json``, ``curves.json``): reused only when current.

A report must read the same whether they were reused or recomputed; a file of another log,
rubric or engine, or a garbled or edited one, is recomputed, never trusted and never a crash.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from test_reports_fixtures import ROOT, responses, run_log, tutorial, write_run_dir

import reports.curves
import reports.whatif
from reports import stored
from reports.curves import CURVES_FILE
from reports.html import render_report
from reports.rundir import load_run, report_of, write_run_report
from reports.svg import attr, esc
from reports.viewmodel import Report
from reports.whatif_store import WHATIF_FILE
from scoring.rulebook import RUBRICS_DIR

WHEN = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
LATE_ACTIONS: list[dict[str, Any]] = [
    {
        "at": "50min",
        "kind": "report",
        "to": "city-eeb",
        "channel": "phone",
        "report": "initial",
        "level": "III",
    },
    {
        "at": "9h",
        "kind": "request",
        "agency": "jia-water",
        "task": "close_intake",
        "site": "jia-intake",
    },
]
"""Another team's log of the tutorial: different what-ifs from the scripted team's."""


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tutorial run directory after ``riverdrill run``'s report: both files stored."""
    run = write_run_dir(
        tmp_path_factory.mktemp("stored") / "run",
        ROOT / "scenarios" / "library" / "tutorial.yaml",
        run_log(tutorial(), responses()),
        "jia-team-a",
    )
    write_run_report(run)
    assert (run / WHATIF_FILE).is_file() and (run / CURVES_FILE).is_file()
    return run


def _copy(run: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(run, tmp_path / "run"))


class Counted:
    """Counts the calls that re-run the drill and the plume model."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.whatifs = self.curves = 0
        real_whatifs, real_curves = reports.whatif.what_ifs, reports.curves.compute_curves

        def whatifs(*args: Any, **kwargs: Any) -> Any:
            self.whatifs += 1
            return real_whatifs(*args, **kwargs)

        def curves(*args: Any, **kwargs: Any) -> Any:
            self.curves += 1
            return real_curves(*args, **kwargs)

        monkeypatch.setattr(reports.whatif, "what_ifs", whatifs)
        monkeypatch.setattr(reports.curves, "compute_curves", curves)


def _report(run: Path, **kwargs: Any) -> Report:
    return report_of(load_run(run, **kwargs), "zh", generated_at=WHEN)


def test_the_report_is_byte_identical_whether_stored_results_were_reused_or_recomputed(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _copy(reported, tmp_path)
    counted = Counted(monkeypatch)
    reused = _report(run)
    assert (counted.whatifs, counted.curves) == (0, 0)
    assert reused.whatifs, "the tutorial team has what-ifs to show"
    for name in (WHATIF_FILE, CURVES_FILE):
        (run / name).unlink()
    recomputed = _report(run)
    assert (counted.whatifs, counted.curves) == (1, 1)
    assert (run / WHATIF_FILE).is_file() and (run / CURVES_FILE).is_file()  # stored again
    assert recomputed == reused  # the whole view model: what the Word report is made of
    assert render_report(recomputed) == render_report(reused)
    for lang in ("zh", "en"):
        assert render_report(report_of(load_run(run), lang, generated_at=WHEN)) == render_report(
            report_of(load_run(reported), lang, generated_at=WHEN)
        )


def test_a_whatif_file_of_another_log_is_recomputed(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = write_run_dir(
        tmp_path / "other",
        ROOT / "scenarios" / "library" / "tutorial.yaml",
        run_log(tutorial(), responses(LATE_ACTIONS)),
        "jia-team-a",
    )
    fresh = _report(other)  # stores the other log's own files
    for name in (WHATIF_FILE, CURVES_FILE):  # the scripted team's files, beside another log
        shutil.copy(reported / name, other / name)
    counted = Counted(monkeypatch)
    again = _report(other)
    assert (counted.whatifs, counted.curves) == (1, 1)
    assert again == fresh
    assert again.whatifs != _report(reported).whatifs
    stamp = json.loads((other / WHATIF_FILE).read_text(encoding="utf-8"))["stamp"]
    assert stamp["log_sha256"] == load_run(other).log_sha256  # and stored for this log


def test_a_whatif_file_of_another_rubric_is_recomputed(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _copy(reported, tmp_path)
    text = (RUBRICS_DIR / "chongqing-2024.yaml").read_text(encoding="utf-8")
    assert "limit: 30min " in text
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace("limit: 30min ", "limit: 45min ", 1), encoding="utf-8")
    counted = Counted(monkeypatch)
    changed = _report(run, rubric=edited)
    assert counted.whatifs == 1  # the rubric changed, so the what-ifs are re-run...
    assert counted.curves == 0  # ...but the river's curves do not depend on it
    stamp = json.loads((run / WHATIF_FILE).read_text(encoding="utf-8"))["stamp"]
    assert stamp["rubric_source"] == str(edited.resolve())  # and stored for that rubric
    _report(run, rubric=edited)
    assert counted.whatifs == 1  # reused the second time
    (run / WHATIF_FILE).unlink()
    assert _report(run, rubric=edited) == changed  # the same as computed from scratch


def test_a_stored_file_of_another_engine_is_recomputed(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _copy(reported, tmp_path)
    before = _report(run)
    counted = Counted(monkeypatch)
    monkeypatch.setattr(reports.curves, "engine_fingerprint", lambda: "another engine")
    monkeypatch.setattr(reports.whatif_store, "engine_fingerprint", lambda: "another engine")
    assert _report(run) == before
    assert (counted.whatifs, counted.curves) == (1, 1)


def _garble_numbers(path: Path) -> None:
    """Edit a number but keep the stamps: the content's own SHA-256 no longer matches."""
    data = json.loads(path.read_text(encoding="utf-8"))
    content = data["content"]
    if isinstance(content, list):
        content[0]["counterfactual"]["points"] += 10
    else:
        content["end_min"] += 60
    path.write_text(json.dumps(data), encoding="utf-8")


GARBLED = {
    "binary": lambda p: p.write_bytes(b"\x00\xff\xfe garbage {"),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "not ours": lambda p: p.write_text('{"format": 1, "stamp": [], "content": 3}'),
    "a list": lambda p: p.write_text("[]"),
    "nested too deep": lambda p: p.write_text("[" * 200_000),
    "numbers edited": _garble_numbers,
    "content of the wrong form": lambda p: p.write_text(
        json.dumps({**json.loads(p.read_text()), "content": {"end_min": "late"}})
    ),
}


@pytest.mark.parametrize("how", sorted(GARBLED))
@pytest.mark.parametrize("name", [WHATIF_FILE, CURVES_FILE])
def test_a_garbled_stored_file_is_ignored_and_rewritten(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, how: str
) -> None:
    run = _copy(reported, tmp_path)
    expected = _report(run)
    GARBLED[how](run / name)
    counted = Counted(monkeypatch)
    assert _report(run) == expected
    assert (counted.whatifs, counted.curves) == ((1, 0) if name == WHATIF_FILE else (0, 1))
    assert _report(run) == expected and (counted.whatifs + counted.curves) == 1  # stored again


def test_an_unwritable_stored_file_still_gives_the_report(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _copy(reported, tmp_path)
    expected = _report(run)
    for name in (WHATIF_FILE, CURVES_FILE):  # a folder in the way: not read, not replaced
        (run / name).unlink()
        (run / name).mkdir()
    counted = Counted(monkeypatch)
    assert _report(run) == expected
    assert (counted.whatifs, counted.curves) == (1, 1)
    assert sorted(p.name for p in run.iterdir() if p.name.startswith(".")) == []  # no temp


def test_write_stored_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    stamp = {"log_sha256": "abc"}
    assert stored.write_stored(path, stamp, {"a": [1.5, 2]})
    assert stored.write_stored(path, stamp, {"a": [3.25]})
    assert stored.read_stored(path, stamp, lambda c: c) == {"a": [3.25]}
    assert stored.read_stored(path, {"log_sha256": "abd"}, lambda c: c) is None
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_a_report_with_stored_results_never_imports_the_engine(reported: Path) -> None:
    """The point of the files: a one-off ``riverdrill report`` loads no Mesa, pandas,
    simpy or scipy (and with the files gone, it does re-run the drill)."""
    code = (
        "import sys; from riverdrill.cli import main; sys.argv = ['riverdrill', 'report', "
        f"{str(reported)!r}, '--out', {str(reported / 'out')!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(sorted(m for m in ('mesa', 'pandas', 'simpy', 'scipy', 'matplotlib')"
        " if m in sys.modules))"
    )
    # The first process stores the files for the code as it is now (other work on the engine
    # may have changed it since the fixture stored them); the second must reuse them.
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_svg_escaping_follows_xml_sax_saxutils() -> None:
    """reports.svg escapes like xml.sax.saxutils (not imported for its cost at start-up)."""
    samples = ["", "a<b>&c", 'say "hi"', "it's", "both \" and '", "tab\tline\nret\r", "中文"]
    for text in samples:
        assert esc(text) == escape(text)
        assert attr(text) == quoteattr(text)


def _docx_parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_word_charts_drawn_by_the_forked_worker_are_the_ones_drawn_here(
    reported: Path, tmp_path: Path
) -> None:
    from reports.chartworker import ChartWorker, fork_available
    from reports.rundir import write_outputs

    if not fork_available():
        pytest.skip("no fork on this platform: the charts are drawn in the process")
    report = _report(reported)
    here = write_outputs(report, tmp_path / "here", formats=("docx",), created=WHEN)
    with ChartWorker("zh") as worker:
        assert report.chart_data is not None
        worker.draw(report.chart_data, report.marks)
        assert worker.font_problem() is None
        charts = worker.charts()
        assert charts is not None
        forked = write_outputs(
            report, tmp_path / "forked", formats=("docx",), created=WHEN, charts=charts
        )
    assert _docx_parts(forked["docx"]) == _docx_parts(here["docx"])
    assert any(name.startswith("word/media/") for name in _docx_parts(here["docx"]))


def test_no_chinese_font_is_reported_by_the_worker_before_anything_is_written(
    reported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import reports.raster
    from reports.chartworker import fork_available
    from riverdrill.cli import app

    if not fork_available():
        pytest.skip("no fork on this platform")

    def missing() -> str:
        raise reports.raster.FontMissing("no Chinese font found for the Word charts")

    monkeypatch.setattr(reports.raster, "cjk_font", missing)  # the worker is forked with it
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(reported), "--format", "html,docx", "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "docx: no Chinese font" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_the_compiled_message_catalogue_is_the_yaml_and_never_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports import i18n
    from scenarios.catalogue import read_tables

    monkeypatch.setattr(i18n, "COMPILED_DIR", tmp_path / "__pycache__")
    parsed = read_tables(i18n.MESSAGES_DIR, ("zh",))["zh"]
    i18n.catalogue.cache_clear()
    try:
        assert i18n.catalogue("zh") == parsed  # parsed, then compiled
        compiled = tmp_path / "__pycache__" / "zh.json"
        assert compiled.is_file()
        i18n.catalogue.cache_clear()
        assert i18n.catalogue("zh") == parsed  # read back
        stale = {**parsed, "report.title": "STALE"}
        current = json.loads(compiled.read_text(encoding="utf-8"))["stamp"]
        for garble in (
            lambda: compiled.write_text("{not json"),
            lambda: stored.write_stored(compiled, {"source_sha256": "another yaml"}, stale),
            lambda: compiled.write_text(  # the right stamp, an edited table
                compiled.read_text(encoding="utf-8").replace(
                    json.dumps(parsed["report.title"], ensure_ascii=False)[1:-1], "STALE"
                )
            ),
        ):
            stored.write_stored(compiled, current, parsed)
            garble()
            i18n.catalogue.cache_clear()
            assert i18n.catalogue("zh") == parsed
    finally:
        i18n.catalogue.cache_clear()
