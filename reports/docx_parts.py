"""Building blocks of the Word report: fast tables, pictures with captions, chart legends.

The sections made of them are in :mod:`reports.docx_sections`.

A table is written as ONE XML string and parsed once: python-docx's cell-by-cell API takes
seconds for a 400-row event log. Text is escaped for XML and stripped of the control
characters XML 1.0 forbids (a team can paste anything into a note).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from reports.svg import esc
from reports.viewmodel import Chart, KeyValue

TEXT_WIDTH_CM = 16.0
Translate = Callable[..., str]
"""``Messages.t``: a message key and its parameters to text."""
ChartSource = Callable[[str], bytes | None]
"""A chart's PNG by name (``reports.raster.CHARTS``), None when the report has no such chart.
The default draws it here; ``reports.chartworker`` has one drawn by a forked process, asked
in document order so the text is built while the charts are drawn."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: object) -> str:
    return esc(_CONTROL.sub("", str(text)))


def _cell(
    text: str, width: int, *, bold: bool = False, fill: str | None = None, size: float = 9
) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    runs = []
    for i, part in enumerate(str(text).split("\n")):
        brk = "<w:br/>" if i else ""
        runs.append(
            f'<w:r><w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{int(size * 2)}"/></w:rPr>{brk}'
            f'<w:t xml:space="preserve">{_clean(part)}</w:t></w:r>'
        )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>{"".join(runs)}</w:p></w:tc>'
    )


def table(
    doc: DocxDocument,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    fills: Sequence[str | None] | None = None,
    borders: bool = True,
) -> None:
    """Append a table built as one XML string (fast), header row repeated on every page."""
    twips = [int(w * 567) for w in widths_cm]
    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        + ('<w:tblStyle w:val="TableGrid"/>' if borders else "")
        + '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
        + "</w:tblGrid>"
    ]
    if header:
        parts.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>")
        parts.extend(
            _cell(h, w, bold=True, fill="F4F6F8") for h, w in zip(header, twips, strict=True)
        )
        parts.append("</w:tr>")
    for i, row in enumerate(rows):
        fill = fills[i] if fills else None
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.extend(_cell(c, w, fill=fill) for c, w in zip(row, twips, strict=True))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml("".join(parts)))  # before the final sectPr
    doc.add_paragraph()


def kv_table(doc: DocxDocument, rows: Sequence[KeyValue], borders: bool = True) -> None:
    table(doc, None, [(r.label, r.value) for r in rows], (4.0, 12.0), borders=borders)


def picture(doc: DocxDocument, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = doc.add_paragraph(caption)
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.runs[0].font.size = Pt(9)


def legend(doc: DocxDocument, chart: Chart | None) -> None:
    if chart is None:
        return
    for mark in chart.legend:
        line = doc.add_paragraph(
            f"[{mark.number}] {mark.label}" + (f"  #{mark.seq}" if mark.seq is not None else "")
        )
        line.paragraph_format.space_after = Pt(0)
        line.runs[0].font.size = Pt(9)
    for note in chart.notes:
        doc.add_paragraph(note).runs[0].font.size = Pt(9)


_STYLE_IDS: dict[str, str] = {}


def styled(doc: DocxDocument, text: str, style: str) -> Paragraph:
    """``doc.add_paragraph(text, style)``, without python-docx resolving the style by name for
    every paragraph (it scans styles.xml each time: a tenth of a second per report). Every
    report starts from python-docx's default template, so a style's id is looked up once per
    process."""
    if style not in _STYLE_IDS:
        _STYLE_IDS[style] = doc.styles[style].style_id
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = _STYLE_IDS[style]
    return paragraph


def heading(doc: DocxDocument, text: str, level: int) -> Paragraph:
    """``doc.add_heading(text, level)`` by way of :func:`styled`."""
    return styled(doc, text, "Title" if level == 0 else f"Heading {level}")


def page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


__all__ = [
    "TEXT_WIDTH_CM",
    "ChartSource",
    "Translate",
    "heading",
    "kv_table",
    "legend",
    "page_break",
    "picture",
    "styled",
    "table",
]
