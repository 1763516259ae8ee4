"""After-action reports (复盘报告): HTML, Word and PDF, in Chinese and English.

Reports are pure functions of (scenario, log, scorecard): the truth's curves are re-computed
from the log, the what-ifs re-run the drill — and both are kept beside the log, stamped with
what they came from, so a later report of the run reuses them (``reports.stored``). Entry
points:

- :func:`write_run_report` — one run directory → ``report.html`` (and ``.docx``/``.pdf``);
  what ``riverdrill run`` calls after scoring.
- :func:`write_bundle` — several run directories → every team's report, ``leaderboard.html``
  and ``index.html`` (``riverdrill report RUN_DIR... --out DIR``).
- :func:`build_report`, :func:`render_report`, :func:`write_docx` — the steps, for callers
  that hold the inputs in memory (the live server).

Names are imported on first use, so ``import reports`` stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios.lazy import lazy_exports

if TYPE_CHECKING:
    from reports.build import build_report
    from reports.bundle import Bundle, write_bundle
    from reports.docx import write_docx
    from reports.html import render_leaderboard, render_report
    from reports.i18n import Messages
    from reports.pdf import PdfUnavailable, write_pdf
    from reports.rundir import load_run, report_of, write_run_report
    from reports.viewmodel import Leaderboard, Report
    from reports.whatif import what_ifs
    from reports.whatif_types import WhatIfResult

_WHERE = {
    "build_report": "reports.build",
    "Bundle": "reports.bundle",
    "write_bundle": "reports.bundle",
    "write_docx": "reports.docx",
    "render_leaderboard": "reports.html",
    "render_report": "reports.html",
    "Messages": "reports.i18n",
    "PdfUnavailable": "reports.pdf",
    "write_pdf": "reports.pdf",
    "load_run": "reports.rundir",
    "report_of": "reports.rundir",
    "write_run_report": "reports.rundir",
    "Leaderboard": "reports.viewmodel",
    "Report": "reports.viewmodel",
    "WhatIfResult": "reports.whatif_types",
    "what_ifs": "reports.whatif",
}

__all__ = [
    "Bundle",
    "Leaderboard",
    "Messages",
    "PdfUnavailable",
    "Report",
    "WhatIfResult",
    "build_report",
    "load_run",
    "render_leaderboard",
    "render_report",
    "report_of",
    "what_ifs",
    "write_bundle",
    "write_docx",
    "write_pdf",
    "write_run_report",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
