"""PDF, optional: print the HTML report with a local Chromium, or WeasyPrint if installed.

Chromium first: it prints exactly what a reader sees on screen (the same engine, the same
``@page`` rules). It runs headless from the command line, so no Python browser driver is
needed. Without either, :class:`PdfUnavailable` says what to install; HTML and DOCX still work.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from scenarios.atomicfile import write_atomic

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge")
TIMEOUT_S = 120


class PdfUnavailable(RuntimeError):
    """Neither Chromium nor WeasyPrint is available to make a PDF."""


def find_browser() -> str | None:
    """Path of a Chromium-family browser on ``PATH``, if any."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _chromium(browser: str, html: Path) -> bytes:
    """The PDF of ``html`` as ``browser`` prints it (into its throw-away profile folder)."""
    with tempfile.TemporaryDirectory(prefix="riverdrill-pdf-") as profile:
        pdf = Path(profile) / f"{html.stem}.pdf"
        # Offline and quiet: no first-run, sync or component updates; a throw-away profile.
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", html.resolve().as_uri(),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        if done.returncode != 0 or not pdf.exists():
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfUnavailable(f"{browser} could not print {html.name}: {tail[0]}")
        return pdf.read_bytes()


def unavailable() -> str | None:
    """Why no PDF can be made here (what to install), or None when one can."""
    if find_browser() is not None:
        return None
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return (
            "PDF needs Chromium (Debian: apt-get install chromium) or WeasyPrint "
            "(pip install 'riverdrill[pdf]'); the HTML report prints to PDF from any browser"
        )
    return None


def write_pdf(html: Path, pdf: Path) -> Path:
    """Print ``html`` to ``pdf`` (A4, as laid out by the report's ``@page`` rules).

    Raises:
        PdfUnavailable: With what to install when no PDF engine is available.
    """
    browser = find_browser()
    if browser is not None:
        content = _chromium(browser, html)
    else:
        reason = unavailable()
        if reason is not None:
            raise PdfUnavailable(reason)
        from weasyprint import HTML

        content = HTML(filename=str(html)).write_pdf()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(pdf, content)
    return pdf


__all__ = ["PdfUnavailable", "find_browser", "unavailable", "write_pdf"]
