"""The report's sections as Word content: one function per section of ``report.html.j2``.

Each takes the document, the report's view model and the message catalogue's ``t``, and
appends its section in the template's order and wording; the building blocks (fast tables,
pictures, legends) are in :mod:`reports.docx_parts`. A section with a chart asks ``chart``
for its PNG where the chart goes, so charts drawn by another process are waited for in
document order (``reports.chartworker``).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from reports.docx_parts import (
    ChartSource,
    Translate,
    heading,
    kv_table,
    legend,
    page_break,
    picture,
    styled,
    table,
)
from reports.viewmodel import KeyValue, Report


def cover(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The title page: the drill, the team, the score, and blank lines to sign."""
    c = r.cover
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


def summary(doc: DocxDocument, r: Report, t: Translate, chart: ChartSource) -> None:
    """The score, the minutes over the limits and the true level, then where the minutes went."""
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
    png = chart("lost")
    if png is not None:
        heading(doc, t("summary.lost_heading"), 2)
        picture(doc, png, t("lost.caption"))


def overview(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The drill as planned: facts, objectives, the cells and the agencies they played."""
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


def truth(doc: DocxDocument, r: Report, t: Translate) -> None:
    """What really happened: the spills, each site's arrival and peak, the true level."""
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


def timeline(doc: DocxDocument, r: Report, t: Translate) -> None:
    """Each cell's drill, row by row, the truth's rows shaded."""
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


def concentration(doc: DocxDocument, r: Report, t: Translate, chart: ChartSource) -> None:
    """Concentration over time at every site, the team's actions marked on it."""
    heading(doc, t("section.concentration"), 1)
    doc.add_paragraph(t("concentration.intro"))
    png = chart("concentration")
    if png is not None:
        picture(doc, png, t("concentration.caption"))
        legend(doc, r.concentration)


def space_time(doc: DocxDocument, r: Report, t: Translate, chart: ChartSource) -> None:
    """The plume in space and time: along the river, hour by hour."""
    heading(doc, t("section.space_time"), 1)
    doc.add_paragraph(t("space_time.intro"))
    png = chart("space_time")
    if png is not None:
        picture(doc, png, t("space_time.caption"))
        legend(doc, r.space_time)


def scorecard(doc: DocxDocument, r: Report, t: Translate) -> None:
    """Each criterion's points and why, shaded by how much was earned."""
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


def capabilities(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The rating of each capability and the reason for it."""
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


def findings(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The strengths, then the improvements with their recommendations."""
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


def whatif(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The what-if re-runs: what one change would have given."""
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


def plan(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The improvement plan, with owner and due date to fill in."""
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


def appendix(doc: DocxDocument, r: Report, t: Translate) -> None:
    """The whole event log, truth records shaded."""
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


__all__ = [
    "appendix",
    "capabilities",
    "concentration",
    "cover",
    "findings",
    "overview",
    "plan",
    "scorecard",
    "space_time",
    "summary",
    "timeline",
    "truth",
    "whatif",
]
