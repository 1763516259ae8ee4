"""The MSEL table as an Excel workbook (openpyxl, imported only when an XLSX is touched)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from scenarios.errors import InputError
from scenarios.trigger_text import FORMS

SHEET = "MSEL"
_WIDTHS = {"text_zh": 48, "text_en": 48, "trigger": 36, "notes_zh": 30, "notes_en": 30}
_HELP = [
    ("列 / column", "说明 / meaning"),
    ("id", "注入编号，唯一 / inject id, unique"),
    ("to", "接收的推演组（cell id） / the cell that receives it"),
    ("channel", "phone, fax, sms, email, radio, media, field, written, system"),
    ("from_zh / from_en", "来源 / who it comes from"),
    ("text_zh / text_en", "内容 / the message"),
    ("trigger", "触发条件 / when it is sent: " + " | ".join(FORMS)),
    ("reveals", "incident = 此条让推演组得知事件 / the cell learns of the incident"),
    ("expects", "考核的评分项，逗号分隔 / rubric criteria it tests, comma separated"),
    ("notes_zh / notes_en", "导调备注，推演组看不到 / controller notes, not shown to players"),
    ("attachments", "附件，分号分隔 / attachments, separated by ;"),
]


def xlsx_bytes(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> bytes:
    """A workbook with the MSEL sheet (header frozen, every cell text) and a help sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for row, values in enumerate([dict(zip(columns, columns, strict=True)), *rows], start=1):
        for col, column in enumerate(columns, start=1):
            cell = sheet.cell(row=row, column=col)
            cell.value = values.get(column, "")
            cell.data_type = "s"  # a text starting with "=" stays text, never a formula
            if row == 1:
                cell.font = Font(bold=True)
            elif column in _WIDTHS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, column in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(col)].width = _WIDTHS.get(column, 16)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("说明 help")
    for line in _HELP:
        guide.append(line)
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_cells(raw: bytes, name: str) -> list[list[str]]:
    """The cells of the MSEL sheet (or the first sheet) as strings.

    Raises:
        InputError: If the bytes are not a readable workbook.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError.single(name, f"not a readable .xlsx workbook ({error})") from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
