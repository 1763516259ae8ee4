"""The after-action report as a Word document (python-docx), for government workflows.

Real Word headings (``Heading 1/2``, so the navigation pane and a table of contents work),
real tables with a repeating header row, and the charts embedded as PNG (``reports.raster``).
Fonts follow Chinese official-document habit: 黑体 (SimHei) headings, 宋体 (SimSun) body,
with a Latin font for digits. Big tables (timeline, event log) are written as one XML string
each: python-docx's cell-by-cell API is far too slow for a 400-row log.
"""

from __future__ import annotations

from collections.abc import Callable
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

from reports import raster
from reports.docx_parts import (
    Translate,
    heading,
    kv_table,
    legend,
    page_break,
    picture,
    styled,
    table,
)
from reports.i18n import Messages
from reports.viewmodel import KeyValue, Report
from scenarios.writing import write_atomic

BODY_FONT, HEADING_FONT, LATIN_FONT = "SimSun", "SimHei", "Times New Roman"

ChartSource = Callable[[str], bytes | None]
"""A chart's PNG by name (``reports.raster.CHARTS``), None when the report has no such chart.
The default draws it here; ``reports.chartworker`` has one drawn by a forked process, asked
in document order so the text is built while the charts are drawn."""


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


def _cover(doc: DocxDocument, report: Report, t: Translate) -> None:
    c = report.cover
    org = doc.add_paragraph(t("cover.org"))
    org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    org.runs[0].font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
    for _ in range(4):
        doc.add_paragraph()
    title = styled(doc, c.scenario_title, "Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(c.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.runs[0].font.size = Pt(15)
    for _ in range(3):
        doc.add_paragraph()
    rows = [
        KeyValue(t("cover.scenario"), c.scenario_title),
        KeyValue(t("cover.team"), c.team),
        KeyValue(t("cover.date"), c.drill_date),
        KeyValue(t("cover.rubric"), c.rubric),
        KeyValue(t("cover.total"), c.total),
        KeyValue(t("cover.rating"), c.rating),
    ]
    kv_table(doc, rows, borders=False)
    blank = "_" * 22
    for label in (
        f"{t('cover.unit')}{blank * 2}",
        f"{t('cover.signer')}{blank}    {t('cover.reviewer')}{blank}",
        f"{t('cover.sign_date')}{blank * 2}",
    ):
        doc.add_paragraph(label).paragraph_format.space_before = Pt(10)
    doc.add_paragraph()
    small = doc.add_paragraph(c.disclaimer + (f"\n{c.generated}" if c.generated else ""))
    small.runs[0].font.size = Pt(8)
    page_break(doc)


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
    r = report
    chart = charts or _drawn_here(report)
    doc = Document()
    _setup(doc, report, created)
    _cover(doc, report, t)
    heading(doc, t("section.summary"), 1)
    s = r.summary
    doc.add_paragraph(
        t(
            "summary.line",
            total=s.total,
            max=s.max_total,
            percent=s.percent,
            lost=s.lost_minutes,
            level=r.truth.true_level,
        )
    )
    doc.add_paragraph(r.truth.summary + s.lost_sentence)
    lost = chart("lost")
    if lost is not None:
        heading(doc, t("summary.lost_heading"), 2)
        picture(doc, lost, t("lost.caption"))
    heading(doc, t("section.overview"), 1)
    kv_table(doc, r.overview.facts)
    if r.overview.description:
        doc.add_paragraph(r.overview.description)
    heading(doc, t("overview.objectives"), 2)
    for item in r.overview.objectives or (t("overview.no_objectives"),):
        styled(doc, item, "List Number")
    heading(doc, t("overview.cells"), 2)
    table(
        doc,
        (t("overview.cell"), t("overview.plays"), t("overview.jurisdiction")),
        [(c.name, c.plays, c.jurisdiction) for c in r.overview.cells],
        (5, 7, 4),
    )
    heading(doc, t("overview.agencies"), 2)
    table(
        doc,
        (
            t("overview.agency"),
            t("overview.kind"),
            t("overview.jurisdiction"),
            t("overview.capabilities"),
            t("overview.played_by"),
        ),
        [
            (a.name, a.kind, a.jurisdiction, a.capabilities, a.played_by)
            for a in r.overview.agencies
        ],
        (4.2, 2.8, 2.6, 3.6, 2.8),
    )
    _truth(doc, r, t)
    heading(doc, t("section.timeline"), 1)
    doc.add_paragraph(t("timeline.intro"))
    for cell in r.timeline:
        heading(doc, t("timeline.cell", cell=cell.cell), 2)
        rows = [
            (
                f"{row.t_plus}\n{row.clock}",
                row.lane_label,
                (f"[{row.mark}] " if row.mark else "") + f"{row.text}  #{row.seq}",
            )
            for row in cell.rows
        ]
        fills = ["FFF4F2" if row.lane == "truth" else None for row in cell.rows]
        table(
            doc,
            (t("timeline.time"), t("timeline.lane"), t("timeline.content")),
            rows,
            (2.4, 2.2, 11.4),
            fills=fills,
        )
    heading(doc, t("section.concentration"), 1)
    doc.add_paragraph(t("concentration.intro"))
    concentration = chart("concentration")
    if concentration is not None:
        picture(doc, concentration, t("concentration.caption"))
        legend(doc, r.concentration)
    heading(doc, t("section.space_time"), 1)
    doc.add_paragraph(t("space_time.intro"))
    space_time = chart("space_time")
    if space_time is not None:
        picture(doc, space_time, t("space_time.caption"))
        legend(doc, r.space_time)
    _judgement(doc, r, t)
    return doc


def _truth(doc: DocxDocument, r: Report, t: Translate) -> None:
    heading(doc, t("section.truth"), 1)
    doc.add_paragraph(t("truth.intro"))
    heading(doc, t("truth.spills"), 2)
    table(
        doc,
        (
            t("truth.substance"),
            t("truth.where"),
            t("truth.mass"),
            t("truth.start"),
            t("truth.duration"),
            t("truth.limit"),
        ),
        [(s.substance, s.place, s.mass_t, s.start, s.duration, s.standard) for s in r.truth.spills],
        (2.2, 3.6, 1.8, 2.8, 2.0, 3.6),
    )
    if r.truth.variant:
        heading(doc, t("truth.variant"), 3)
        kv_table(doc, r.truth.variant)
    heading(doc, t("truth.sites"), 2)
    table(
        doc,
        (
            t("truth.site"),
            t("truth.kind"),
            t("truth.arrival"),
            t("truth.peak_time"),
            t("truth.peak"),
            t("truth.factor_col"),
            t("truth.exceedance"),
            t("truth.delivered"),
        ),
        [
            (s.site, s.kind, s.arrival, s.peak_time, s.peak, s.factor, s.exceedance, s.delivered)
            for s in r.truth.sites
        ],
        (2.6, 1.6, 2.0, 2.0, 1.4, 1.6, 2.8, 2.0),
    )
    heading(doc, t("truth.level"), 2)
    doc.add_paragraph(
        t("truth.level_text", level=r.truth.true_level, declared=r.truth.declared_level)
    )
    for reason in r.truth.level_reasons:
        styled(doc, reason, "List Bullet")


def _judgement(doc: DocxDocument, r: Report, t: Translate) -> None:
    heading(doc, t("section.scorecard"), 1)
    doc.add_paragraph(
        t(
            "scorecard.intro",
            total=r.summary.total,
            max=r.summary.max_total,
            percent=r.summary.percent,
        )
    )
    fills = {"full": "F4FBF5", "partial": "FFFAF0", "zero": "FFF6F5", "judge": None}
    table(
        doc,
        (
            t("scorecard.criterion"),
            t("scorecard.capability"),
            t("scorecard.points"),
            t("scorecard.explanation"),
            t("scorecard.evidence"),
        ),
        [
            (s.criterion, s.capability, f"{s.points} / {s.max_points}", s.explanation, s.evidence)
            for s in r.scorecard
        ],
        (3.0, 2.4, 1.6, 6.8, 2.2),
        fills=[fills[s.status] for s in r.scorecard],
    )
    heading(doc, t("section.capabilities"), 1)
    doc.add_paragraph(t("capabilities.intro"))
    table(
        doc,
        (
            t("capabilities.capability"),
            t("capabilities.rating"),
            t("capabilities.points"),
            t("capabilities.reason"),
        ),
        [
            (
                c.name,
                c.rating,
                c.points,
                t("capabilities.label_reason", label=c.rating_label, reason=c.reason)
                + (f" [{t('capabilities.overridden')}]" if c.overridden else ""),
            )
            for c in r.capabilities
        ],
        (4.0, 1.4, 2.0, 8.6),
    )
    heading(doc, t("section.findings"), 1)
    for title, items in (
        (t("findings.strengths"), r.strengths),
        (t("findings.improvements"), r.improvements),
    ):
        heading(doc, title, 2)
        if not items:
            doc.add_paragraph(t("findings.none"))
        for f in items:
            p = styled(doc, "", "List Number")
            p.add_run(f.title).bold = True
            p.add_run(f"{t('common.colon')}{f.text} {f.evidence}")
            if f.recommendation and items is r.improvements:
                p.add_run(f"\n{t('findings.recommendation')}{f.recommendation}")
    heading(doc, t("section.whatif"), 1)
    doc.add_paragraph(r.whatif_note)
    if not r.whatifs and r.whatif_empty:
        doc.add_paragraph(r.whatif_empty)
    for w in r.whatifs:
        styled(doc, w.sentence, "List Bullet")
        doc.add_paragraph(
            f"{w.metric}{t('common.colon')}"
            + t(
                "whatif.compare",
                actual=w.actual,
                counterfactual=w.counterfactual,
                delta=w.points_delta,
            )
        )
    heading(doc, t("section.plan"), 1)
    doc.add_paragraph(t("plan.intro"))
    table(
        doc,
        (
            t("plan.number"),
            t("plan.issue"),
            t("plan.action"),
            t("plan.capability"),
            t("plan.owner"),
            t("plan.due"),
        ),
        [(str(p.number), p.issue, p.action, p.capability, p.owner, p.due) for p in r.plan],
        (1.0, 5.0, 4.4, 2.2, 1.8, 1.6),
    )
    heading(doc, t("section.appendix"), 1)
    doc.add_paragraph(t("appendix.intro"))
    rows = [
        (
            str(x.seq),
            f"{x.t_plus}\n{x.clock}",
            x.kind + (f" [{t('appendix.truth_tag')}]" if x.truth else ""),
            x.audience,
            x.text,
        )
        for x in r.log
    ]
    table(
        doc,
        ("#", t("appendix.time"), t("appendix.kind"), t("appendix.visible"), t("appendix.content")),
        rows,
        (1.0, 2.4, 2.4, 2.0, 8.2),
        fills=["FFF4F2" if x.truth else None for x in r.log],
    )


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


__all__ = ["build_docx", "table", "write_docx"]
