"""Rendering view models to one self-contained HTML file each.

Jinja2 with ``StrictUndefined`` (a missing field is an error, never an empty cell in a signed
document) and autoescape on for every template: team-entered text is escaped wherever it
appears. The stylesheet is inlined and the charts are inline SVG, so a report opens offline
from a USB stick on an intranet machine and makes no network request at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from reports.i18n import Messages
from reports.viewmodel import IndexEntry, Leaderboard, Report
from scenarios.atomicfile import write_atomic

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment(lang: str) -> Environment:
    """The Jinja environment of one language (compiled templates are cached per process)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = Messages(lang).t
    env.globals["lang"] = lang
    return env


def _render(template: str, lang: str, **context: Any) -> str:
    return environment(lang).get_template(template).render(**context)


def render_report(report: Report) -> str:
    """The after-action report of one run as an HTML document."""
    return _render("report.html.j2", report.lang, report=report, title=report.title)


def render_leaderboard(board: Leaderboard) -> str:
    """The competition's ranking page as an HTML document."""
    return _render("leaderboard.html.j2", board.lang, board=board, title=board.title)


def render_index(
    lang: str, title: str, scenario: str, entries: Sequence[IndexEntry], generated: str
) -> str:
    """The bundle's ``index.html``: the leaderboard and every team's report files."""
    return _render(
        "index.html.j2", lang, title=title, scenario=scenario, entries=entries, generated=generated
    )


def write_html(text: str, path: Path) -> Path:
    """Write ``text`` atomically (a half-written report never replaces a good one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return path


__all__ = ["environment", "render_index", "render_leaderboard", "render_report", "write_html"]
