"""One message catalogue: the same keys in both languages, every key used exists, and no
reader-visible text is hard-coded in a template or in Python, in either language."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reports.i18n import LANGS, Messages, catalogue
from scenarios.catalogue import disagreements

REPORTS = Path(__file__).resolve().parent.parent / "reports"
TEMPLATES = REPORTS / "templates"


def test_both_languages_define_the_same_keys_with_the_same_placeholders() -> None:
    """A sentence cannot silently lose a number in translation. The one exception is the
    date: the month as a number in Chinese, as a name in English."""
    problems = disagreements({lang: catalogue(lang) for lang in LANGS})
    assert [p for p in problems if not p.startswith("common.date: placeholders")] == []


def _used_keys() -> set[str]:
    used: set[str] = set()
    for path in [*TEMPLATES.glob("*.j2"), *REPORTS.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"""\bt\(\s*["']([a-z_][\w.-]*\.[\w.-]+)["']""", text))
    return used


def test_every_literal_key_in_code_and_templates_exists() -> None:
    known = set(catalogue("zh"))
    missing = sorted(k for k in _used_keys() if k not in known)
    assert missing == []


def test_no_reader_visible_text_is_hard_coded_in_templates() -> None:
    """Text between tags, outside ``{{ }}`` and ``{% %}``, may only be punctuation or markup."""
    offences = []
    for path in TEMPLATES.glob("*.html.j2"):
        source = path.read_text(encoding="utf-8")
        stripped = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", source, flags=re.S)
        stripped = re.sub(r"<style>.*?</style>", " ", stripped, flags=re.S)
        for chunk in re.sub(r"<[^>]*>", "\n", stripped).splitlines():
            visible = chunk.replace("&emsp;", "").replace("&nbsp;", "").strip()
            if re.search(r"[A-Za-z\u4e00-\u9fff]", visible) and visible not in ("#",):
                offences.append(f"{path.name}: {visible!r}")
    assert offences == []


def _docstrings(tree: ast.AST) -> set[int]:
    """Ids of the string constants that are docstrings (of modules, classes, functions and
    attributes): prose for programmers, which may quote the reports."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        for statement in body if isinstance(body, list) else ():
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                found.add(id(statement.value))
    return found


PROSE_MARKS = re.compile(r"[\u2010-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
"""Chinese characters and punctuation, and typographic marks (dashes, ellipsis, middle dot,
curly quotes): text a reader reads."""


def test_no_reader_visible_text_is_hard_coded_in_report_code() -> None:
    """Every string literal in report code that is not a docstring is plain ASCII: Chinese
    prose, full-width punctuation, "—", "·" and "…" live in the catalogue. Comments are not
    string literals; docstrings are found by the parser, not by a guess at the line."""
    offences = []
    for path in sorted(REPORTS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and PROSE_MARKS.search(node.value)
            ):
                offences.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert offences == []


# -- what a report shows, rendered through a catalogue of markers -----------------------------

OPEN, CLOSE = "\u27e6", "\u27e7"
"""⟦ and ⟧: every message is rendered as its placeholders between these marks."""


def _marked(lang: str) -> dict[str, str]:
    return {
        key: OPEN + "|".join(f"{{{name}}}" for name in re.findall(r"{(\w+)}", text)) + CLOSE
        for key, text in _REAL_CATALOGUE(lang).items()
    }


_REAL_CATALOGUE = catalogue


@pytest.fixture
def marked_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every message replaced by markers around its placeholders' values."""
    from reports import html, i18n

    monkeypatch.setattr(i18n, "catalogue", cache(_marked))
    html.environment.cache_clear()  # it holds a Messages of the real catalogue
    yield
    html.environment.cache_clear()


def _strings(value: object, lang: str, out: set[str]) -> set[str]:
    """Every string of the report's inputs, bilingual texts in ``lang`` only."""
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        if value and set(value) <= {"zh", "en"}:
            text = value.get(lang) or value.get("zh")
            out.update([text] if isinstance(text, str) else [])
        else:
            for item in value.values():
                _strings(item, lang, out)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _strings(item, lang, out)
    return out


def _outside_markers(text: str) -> str:
    while True:
        stripped = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if stripped == text:
            return text
        text = stripped


class _Visible(HTMLParser):
    """The text a reader sees: text nodes (SVG labels included) and tooltips."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")
        self.parts.extend(v for k, v in attrs if k in ("title", "alt", "aria-label") and v)

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    return "\n".join(parts)


def _unexplained(shown: str, data: set[str]) -> list[str]:
    """Words, Chinese runs and marks shown outside the markers that no input contains."""
    joined = "\n".join(data)
    words = {w for d in data for w in re.findall(r"[A-Za-z]{2,}", d)}
    outside = _outside_markers(shown)
    found = {w for w in re.findall(r"[A-Za-z]{2,}", outside) if w not in words}
    found |= {run for run in re.findall(r"[\u4e00-\u9fff]+", outside) if run not in joined}
    found |= {c for c in PROSE_MARKS.findall(outside) if c not in joined}
    return sorted(found)


@pytest.mark.filterwarnings("ignore:Glyph")  # the Word charts' font has no ⟦ ⟧
@pytest.mark.parametrize("lang", LANGS)
def test_every_word_a_report_shows_comes_from_the_catalogue_or_the_run(
    lang: str, marked_catalogue: None, tmp_path: Path
) -> None:
    """Rendered with every message replaced by markers, the HTML report, the Word report and
    the leaderboard show nothing else but what the run's inputs say (names, the team's text,
    scoring's sentences), numbers and ASCII punctuation: no word or mark from Python."""
    from test_reports_fixtures import tutorial_run_dir

    from reports.bundle import board_view
    from reports.docx import write_docx
    from reports.html import render_leaderboard, render_report
    from reports.rundir import load_run, report_of

    inputs = load_run(tutorial_run_dir(tmp_path / "run"))
    data: set[str] = set()
    for source in (inputs.scenario, inputs.scorecard, inputs.rubric):
        _strings(source.model_dump(mode="json"), lang, data)
    for record in inputs.log:
        _strings([dict(record.data), record.cell, record.actor], lang, data)
    report = report_of(inputs, lang)
    parser = _Visible()
    parser.feed(render_report(report))
    board = board_view([inputs.scorecard], {}, lang, inputs.scenario.title.get(lang), "")
    parser.feed(render_leaderboard(board))
    shown = "\n".join(parser.parts) + _docx_text(write_docx(report, tmp_path / "r.docx"))
    assert _unexplained(shown, data) == []


def test_the_marker_check_sees_a_mark_hard_coded_in_python(
    marked_catalogue: None, tmp_path: Path
) -> None:
    """The check above would catch the "—" that ``findings`` once wrote for a pending line."""
    assert _unexplained(f"{OPEN}{CLOSE} — / 4 {OPEN}x{CLOSE}", {"x"}) == ["—"]
    assert _unexplained("3.6 km", {"清水河"}) == ["km"]


def test_durations_read_naturally_in_both_languages() -> None:
    zh, en = Messages("zh"), Messages("en")
    assert zh.duration(95) == "1小时35分钟"
    assert en.duration(95) == "1 h 35 min"
    assert zh.duration(0) == "0分钟"
    assert en.duration(2 * 1440 + 5) == "2 d 5 min"
    assert zh.duration(None) == "—"


def test_dates_and_clock_times_follow_the_reader() -> None:
    start = datetime(2025, 6, 5, 8, 0)
    assert Messages("zh").date(start) == "2025年6月5日"
    assert Messages("en").date(start) == "5 Jun 2025"
    assert Messages("zh").clock(start, 95) == "09:35"
    assert Messages("zh").t_plus(74.4) == "T+74"


def test_an_unknown_key_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        Messages("zh").t("no.such.key")


def test_english_falls_back_to_chinese_only_for_absent_keys() -> None:
    en = Messages("en")
    assert en.t("section.overview") == "1. Drill overview"
