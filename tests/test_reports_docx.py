"""The Word report opens with python-docx and has real headings, tables and chart images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from test_reports_fixtures import SCRIPT, tutorial, tutorial_run_dir

from reports.describe import Names
from reports.i18n import Messages
from reports.rundir import write_run_report


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Any:
    run_dir = tutorial_run_dir(tmp_path_factory.mktemp("docx") / "run")
    written = write_run_report(run_dir, formats=("docx",), whatif=True)
    assert set(written) == {"docx"} and not (run_dir / "report.html").exists()
    return Document(str(written["docx"]))


def _headings(document: Any, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_docx_has_the_report_sections_as_word_headings(document: Any) -> None:
    level1 = _headings(document, 1)
    for heading in (
        "要点摘要",
        "一、推演概况",
        "二、事件真实经过",
        "三、处置时间线",
        "四、各点位浓度变化与处置行动",
        "五、污染团时空分布",
        "六、评分结果",
        "七、能力评估",
        "八、主要优点与不足",
        "九、假设推演分析",
        "十、整改计划",
        "附件　推演事件记录",
    ):
        assert heading in level1
    assert "推演目标" in _headings(document, 2)


def test_docx_has_the_tables_a_bureau_fills_in(document: Any) -> None:
    headers = [tuple(c.text for c in t.rows[0].cells) for t in document.tables]
    assert ("序号", "问题", "整改措施", "能力要素", "责任单位", "完成时限") in headers
    assert ("评分项", "能力", "得分", "评分依据", "证据") in headers
    plan = next(t for t in document.tables if t.rows[0].cells[0].text == "序号")
    assert len(plan.rows) > 1 and all(row.cells[4].text == "" for row in plan.rows[1:])


def test_docx_has_one_filled_timeline_table_per_cell(document: Any) -> None:
    timelines = [
        t
        for t in document.tables
        if tuple(c.text for c in t.rows[0].cells) == ("时间", "类别", "内容")
    ]
    assert len(timelines) == len(tutorial().cells)
    assert all(len(t.rows) > 1 for t in timelines)


def test_docx_agencies_table_has_one_row_per_scenario_agency(document: Any) -> None:
    scenario = tutorial()
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "单位"]
    assert len(tables) == 1
    header = [c.text for c in tables[0].rows[0].cells]
    assert "可承担任务" in header and "由谁扮演" in header
    names = Names(scenario, Messages("zh"))
    shown = [row.cells[0].text for row in tables[0].rows[1:]]
    assert shown == [names(a.id) for a in scenario.agencies]


def test_docx_embeds_the_charts_as_png(document: Any) -> None:
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) >= 3
    assert all(r.target_part.blob[:8] == b"\x89PNG\r\n\x1a\n" for r in images)


def test_docx_cover_has_blank_signer_fields(document: Any) -> None:
    text = "\n".join(p.text for p in document.paragraphs[:30])
    assert "签发人：____" in text and "审核人：____" in text


def test_docx_keeps_team_text_as_text(document: Any) -> None:
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert SCRIPT in cells  # shown verbatim, as text: Word has no markup to inject into


def test_docx_headings_use_a_chinese_font(document: Any) -> None:
    fonts = document.styles["Heading 1"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "SimHei"
    )


def test_english_docx(tmp_path: Path) -> None:
    run_dir = tutorial_run_dir(tmp_path / "run")
    written = write_run_report(run_dir, lang="en", formats=("docx",), whatif=False)
    assert "1. Drill overview" in _headings(Document(str(written["docx"])), 1)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from reports.rundir import load_run, report_of

    run_dir = tutorial_run_dir(tmp_path_factory.mktemp("sections") / "run")
    return report_of(load_run(run_dir), "zh", whatif=False)


def test_docx_sections_are_the_html_reports_in_the_same_order(report: Any) -> None:
    """reports.docx_sections mirrors report.html.j2: Word's level-1 headings are the HTML
    report's section headings, one for one."""
    import html
    import re

    from reports.docx import build_docx
    from reports.html import render_report

    page = render_report(report)
    sections = [html.unescape(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert _headings(build_docx(report), 1) == sections and len(sections) == 12


def test_a_docx_that_cannot_be_written_leaves_no_temporary_file(
    report: Any, tmp_path: Path
) -> None:
    """write_docx goes through scenarios.atomicfile.write_atomic: a failed write leaves nothing."""
    from reports.docx import write_docx

    (tmp_path / "report.docx").mkdir()  # renaming over a folder fails
    with pytest.raises(OSError):
        write_docx(report, tmp_path / "report.docx")
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]
