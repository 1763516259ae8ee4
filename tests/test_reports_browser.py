"""A real Chromium opens the reports offline: no request leaves the file system, no console
error, Chinese glyphs available; first pages are screenshotted into tests/artifacts/."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_reports_fixtures import (
    TUTORIAL,
    TUTORIAL_ACTIONS,
    responses,
    run_log,
    tutorial,
    write_run_dir,
)

from reports.bundle import write_bundle

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
A4 = {"width": 794, "height": 1123}  # A4 at 96 dpi

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian chromium at /usr/bin/chromium (make test installs it)",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("browser")
    scenario = tutorial()
    runs = [
        write_run_dir(base / name, TUTORIAL, run_log(scenario, responses(actions, name)), name)
        for name, actions in (("team-a", TUTORIAL_ACTIONS), ("team-b", TUTORIAL_ACTIONS[:4]))
    ]
    return write_bundle(runs, base / "out", formats=("html", "docx", "pdf"), workers=1)


def _open(
    browser: Any, path: Path, viewport: dict[str, int] = A4
) -> tuple[Any, list[str], list[str]]:
    """Open a file with every non-file request aborted and recorded."""
    page = browser.new_page(viewport=viewport)
    attempted: list[str] = []
    problems: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file:"):
            request_route.continue_()
        else:
            attempted.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    return page, attempted, problems


def test_every_page_opens_offline_without_errors(browser: Any, bundle: Any) -> None:
    pages = [
        bundle.index,
        bundle.leaderboard,
        *(files["html"] for files in bundle.reports.values()),
    ]
    for path in pages:
        page, attempted, problems = _open(browser, path)
        assert attempted == [], f"{path.name} tried the network: {attempted}"
        assert problems == [], f"{path.name}: {problems}"
        if path != bundle.index:
            assert page.evaluate("document.querySelectorAll('svg').length") >= 1
        page.close()


def test_a_chinese_font_is_available_to_the_report(browser: Any, bundle: Any) -> None:
    page, _, _ = _open(browser, bundle.reports["team-a"]["html"])
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Microsoft YaHei" in family and "WenQuanYi Micro Hei" in family
    assert page.evaluate("document.fonts.check('16px \"WenQuanYi Micro Hei\"', '复盘报告')")
    page.close()


def test_screenshots_of_each_format_first_page(browser: Any, bundle: Any) -> None:
    """HTML, PDF (Chromium's own viewer) and DOCX (LibreOffice when installed, else its
    headings and cover text drawn as HTML) — for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    files = bundle.reports["team-a"]
    page, _, _ = _open(browser, files["html"])
    page.screenshot(path=str(ARTIFACTS / "report-html-first-page.png"))
    page.close()
    page, _, _ = _open(browser, bundle.leaderboard, {"width": 900, "height": 1200})
    page.screenshot(path=str(ARTIFACTS / "leaderboard.png"), full_page=True)
    page.close()
    assert files["pdf"].read_bytes()[:5] == b"%PDF-"
    viewer = browser.new_page(viewport={"width": 900, "height": 1200})
    viewer.goto(files["pdf"].resolve().as_uri())
    viewer.wait_for_timeout(2000)  # the PDF viewer renders asynchronously
    viewer.screenshot(path=str(ARTIFACTS / "report-pdf-first-page.png"))
    viewer.close()
    preview = _docx_first_page(files["docx"], ARTIFACTS)
    if preview.suffix == ".pdf":  # LibreOffice's rendering, in Chromium's PDF viewer
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(preview.resolve().as_uri())
        page.wait_for_timeout(2000)  # the PDF viewer renders asynchronously
    else:
        page, _, _ = _open(browser, preview)
    page.screenshot(path=str(ARTIFACTS / "report-docx-first-page.png"))
    page.close()
    for name in (
        "report-html-first-page",
        "leaderboard",
        "report-pdf-first-page",
        "report-docx-first-page",
    ):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def _docx_first_page(docx_path: Path, folder: Path) -> Path:
    """The DOCX's first page as something a browser can show."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        import subprocess

        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return folder / (docx_path.stem + ".pdf")
    from docx import Document

    document = Document(str(docx_path))
    body = []
    for paragraph in document.paragraphs:
        if "w:br" in paragraph._p.xml and 'w:type="page"' in paragraph._p.xml:
            break  # the cover ends at its page break
        style = paragraph.style.name if paragraph.style is not None else ""
        tag = "h1" if style == "Title" else "h2" if style.startswith("Heading") else "p"
        align = "center" if paragraph.alignment == 1 else "left"
        body.append(f"<{tag} style='text-align:{align}'>{html.escape(paragraph.text)}</{tag}>")
        if paragraph.text == "无脚本推演复盘报告":  # the cover table follows the subtitle
            rows = "".join(
                f"<tr><th>{html.escape(r.cells[0].text)}</th><td>{html.escape(r.cells[1].text)}</td></tr>"
                for r in document.tables[0].rows
            )
            body.append(f"<table style='margin:auto'>{rows}</table>")
    page = folder / "report-docx-first-page.html"
    fonts = "'SimSun','WenQuanYi Micro Hei',sans-serif"
    note = "DOCX preview: the first page's text as python-docx reads it (no LibreOffice here)"
    page.write_text(
        "<!DOCTYPE html><meta charset='utf-8'>"
        f'<body style="width:160mm;margin:20mm auto;font-family:{fonts}">'
        f"<p style='color:#888;font-size:9pt'>{note}</p>" + "".join(body),
        encoding="utf-8",
    )
    return page
