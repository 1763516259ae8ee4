"""The after-action report as a Word document (python-docx), for government workflows.

Real Word headings (``Heading 1/2``, so the navigation pane and a table of contents work),
real tables with a repeating header row, and the charts embedded as PNG (``reports.raster``).
Fonts follow Chinese official-document habit: 黑体 (SimHei) headings, 宋体 (SimSun) body,
with a Latin font for digits. Big tables (timeline, event log) are written as one XML string
each: python-docx's cell-by-cell API is far too slow for a 400-row log.

This module sets up the document and puts the sections in order; each section is a function
of :mod:`reports.docx_sections`, built from the blocks of :mod:`reports.docx_parts`.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from reports import docx_sections as sections
from reports import raster
from reports.docx_parts import ChartSource, table
from reports.i18n import Messages
from reports.viewmodel import Report
from scenarios.atomicfile import write_atomic

BODY_FONT, HEADING_FONT, LATIN_FONT = "SimSun", "SimHei", "Times New Roman"


def _fonts(
    style: Any,
    east: str,
    size: float | None = None,
    bold: bool | None = None,
    colour: str | None = None,
) -> None:
    style.font.name = LATIN_FONT
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = RGBColor.from_string(colour)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _setup(doc: DocxDocument, report: Report, created: datetime | None) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    _fonts(doc.styles["Normal"], BODY_FONT, 10.5)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        _fonts(doc.styles[name], HEADING_FONT, size, True, "000000")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(
        parse_xml(  # a PAGE field: Word fills in the number
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
        )
    )
    footer._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        )
    )
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    props = doc.core_properties
    props.title = report.title
    props.author = "riverdrill"
    props.language = "zh-CN" if report.lang == "zh" else "en"
    if created is not None:
        props.created = props.modified = created


def _drawn_here(report: Report) -> ChartSource:
    data = report.chart_data

    def draw(name: str) -> bytes | None:
        return None if data is None else raster.chart_png(name, data, report.marks, report.lang)

    return draw


def build_docx(
    report: Report, *, created: datetime | None = None, charts: ChartSource | None = None
) -> DocxDocument:
    """The report as a ``docx.Document`` (not yet saved); ``charts`` supplies the chart
    images (default: drawn in this process)."""
    t = Messages(report.lang).t
    chart = charts or _drawn_here(report)
    doc = Document()
    _setup(doc, report, created)
    sections.cover(doc, report, t)
    sections.summary(doc, report, t, chart)
    sections.overview(doc, report, t)
    sections.truth(doc, report, t)
    sections.timeline(doc, report, t)
    sections.concentration(doc, report, t, chart)
    sections.space_time(doc, report, t, chart)
    sections.scorecard(doc, report, t)
    sections.capabilities(doc, report, t)
    sections.findings(doc, report, t)
    sections.whatif(doc, report, t)
    sections.plan(doc, report, t)
    sections.appendix(doc, report, t)
    return doc


def write_docx(
    report: Report,
    path: Path,
    *,
    created: datetime | None = None,
    charts: ChartSource | None = None,
) -> Path:
    """Build and save the Word report atomically (``charts``: see :func:`build_docx`)."""
    doc = build_docx(report, created=created, charts=charts)
    content = BytesIO()
    doc.save(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, content.getvalue())
    return path


__all__ = ["ChartSource", "build_docx", "table", "write_docx"]
