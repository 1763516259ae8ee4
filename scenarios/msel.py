"""The MSEL (inject list) as a table, for trainers who edit it in Excel or WPS.

One row per inject; columns :data:`COLUMNS`; the trigger in the compact notation of
``trigger_text``. CSV is written as UTF-8 with a byte-order mark so Excel and WPS show
Chinese correctly; CSV saved back by Excel in the local code page (GB18030) is read too.
Export then import gives the same injects, and leaves the file as it was. Import checks the
scenario with its new injects as a whole before anything is written, then rewrites only the
injects that changed, matched by ``id``: an unchanged inject keeps its text and comments, a
changed one keeps the comments inside it, a new one is appended in block style, a deleted one
goes with its comment lines. When the table holds the injects the file already has, the file
is not written at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from scenarios.atomicfile import write_atomic
from scenarios.crossref import check_scenario
from scenarios.errors import InputError, Problem
from scenarios.load import validate_source
from scenarios.messages import Detail, error_details
from scenarios.paths import DataPath, format_path
from scenarios.schema import Inject, Scenario
from scenarios.textfile import read_bounded
from scenarios.trigger_text import format_trigger, parse_trigger
from scenarios.types import Text, exact_duration
from scenarios.writing import Item, dump_yaml, replace_block, rewrite_items
from scenarios.yamlsource import Source, parse_source, read_source, to_plain

COLUMNS = (
    "id", "to", "channel", "from_zh", "from_en", "text_zh", "text_en", "trigger",
    "reveals", "expects", "notes_zh", "notes_en", "attachments",
)  # fmt: skip
REQUIRED = ("id", "to", "channel", "text_zh", "trigger")
Row = dict[str, str]


# --- injects <-> rows -------------------------------------------------------------------------


def inject_row(inject: Inject) -> Row:
    """The table row of one inject (every cell a string)."""
    return {
        "id": inject.id,
        "to": inject.to,
        "channel": inject.channel.value,
        "from_zh": inject.from_.zh if inject.from_ else "",
        "from_en": (inject.from_.en or "") if inject.from_ else "",
        "text_zh": inject.text.zh,
        "text_en": inject.text.en or "",
        "trigger": format_trigger(inject.trigger),
        "reveals": inject.reveals or "",
        "expects": ", ".join(inject.expects),
        "notes_zh": inject.notes.zh if inject.notes else "",
        "notes_en": (inject.notes.en or "") if inject.notes else "",
        "attachments": "; ".join(inject.attachments),
    }


def row_data(row: Row) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The inject data of a row, and the (column, message) of cells that cannot be read."""
    data: dict[str, Any] = {k: row[k] for k in ("id", "to", "channel") if row.get(k)}
    for name in ("from", "text", "notes"):
        zh, en = row.get(f"{name}_zh", ""), row.get(f"{name}_en", "")
        if zh or en:
            data[name] = {"zh": zh, "en": en or None}
    bad: list[tuple[str, str]] = []
    if row.get("trigger"):
        try:
            data["trigger"] = parse_trigger(row["trigger"])
        except ValueError as error:
            bad.append(("trigger", str(error)))
    if row.get("reveals"):
        data["reveals"] = row["reveals"]
    if row.get("expects"):
        data["expects"] = re.split(r"[,;，；\s]+", row["expects"].strip())
    if row.get("attachments"):
        data["attachments"] = [
            a.strip() for a in re.split(r"[;\n]", row["attachments"]) if a.strip()
        ]
    return data, bad


def _column_of(path: DataPath) -> tuple[str, DataPath]:
    """The table column holding an inject field, and the path inside that column's value."""
    head = str(path[0]) if path else "id"
    if head in ("from", "text", "notes"):
        lang = path[1] if len(path) > 1 and path[1] in ("zh", "en") else "zh"
        return f"{head}_{lang}", ()
    if head in COLUMNS:
        return head, tuple(path[1:]) if head == "trigger" else ()
    return "id", path


# --- table files ------------------------------------------------------------------------------


def write_table(injects: Sequence[Inject], path: str | Path) -> bytes:
    """The bytes of an MSEL table for ``path``'s type (``.csv`` or ``.xlsx``)."""
    rows = [inject_row(i) for i in injects]
    if Path(path).suffix.lower() == ".xlsx":
        from scenarios.msel_xlsx import xlsx_bytes

        return xlsx_bytes(COLUMNS, rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # Excel's own line ending
    writer.writerow(COLUMNS)
    writer.writerows([row[c] for c in COLUMNS] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def read_table(path: str | Path) -> list[list[str]]:
    """The cells of a CSV or XLSX table, header first, every cell a string.

    Raises:
        InputError: If the file cannot be read as a table.
    """
    name = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError.single(name, "expected a .csv or .xlsx file")
    raw = read_bounded(path, name)
    if suffix == ".xlsx":
        from scenarios.msel_xlsx import xlsx_cells

        return xlsx_cells(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Excel/WPS on Chinese Windows save "CSV" in the local code page
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError.single(name, "neither UTF-8 nor GB18030; save as CSV UTF-8") from None
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise InputError.single(name, f"not a readable CSV: {error}") from None


def table_rows(cells: list[list[str]], name: str) -> list[tuple[int, Row]]:
    """Rows as ``(spreadsheet row number, {column: cell})``, skipping empty rows.

    Raises:
        InputError: If the header lacks a required column or has an unknown one.
    """
    if not cells:
        raise InputError.single(name, "the table is empty; expected a header row")
    header = [h.strip().lower() for h in cells[0]]
    problems = []
    for col, title in enumerate(header, start=1):
        if title and title not in COLUMNS:
            problems.append(
                Problem(name, 1, col, title, f"unknown column; columns are {', '.join(COLUMNS)}")
            )
    problems += [
        Problem(name, 1, 1, column, "required column missing from the header row")
        for column in REQUIRED
        if column not in header
    ]
    if problems:
        raise InputError(problems)
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        if any(v.strip() for v in values):
            row = {h: v.strip() for h, v in zip(header, values, strict=False) if h}
            rows.append((number, row))
    return rows


def export_msel(scenario_path: str | Path, out: str | Path) -> int:
    """Write the injects of a scenario file to a CSV/XLSX table; return how many."""
    from scenarios.load import load_scenario

    scenario = load_scenario(scenario_path)
    write_atomic(out, write_table(scenario.injects, out))
    return len(scenario.injects)


@dataclass(frozen=True)
class Imported:
    """What :func:`import_msel` did."""

    count: int
    """Injects in the scenario now."""
    written: bool
    """Whether a file was written (``False``: the table matched the injects already there)."""


def import_msel(
    scenario_path: str | Path, table: str | Path, out: str | Path | None = None
) -> Imported:
    """Replace the injects of a scenario file with those of a table.

    The scenario with its new injects is checked in full (schema and cross-references)
    before anything is written. Only the injects that changed are rewritten (see the module
    docstring); every line outside ``injects:`` stays as it was. With ``out``, the result goes
    there and the scenario file is not touched.

    Raises:
        InputError: Problems in the table at ``table:row:column``, others in the scenario.
    """
    source = read_source(scenario_path)
    current = validate_source(source, Scenario)  # the scenario itself must be sound first
    name = str(table)
    rows = table_rows(read_table(table), name)
    problems, injects = _read_rows(rows, name)
    data = to_plain(source.root) | {"injects": injects}
    numbers = [number for number, _ in rows]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        details = error_details(error, Scenario)
        raise InputError(problems + _place(details, numbers, name, source)) from None
    if problems:
        raise InputError(problems)
    findings = check_scenario(scenario)
    if findings:
        details = [Detail(f.path, f.message, f.at_key) for f in findings]
        raise InputError(_place(details, numbers, name, source))
    count = len(scenario.injects)
    unchanged = scenario.injects == current.injects
    if unchanged and (out is None or Path(out) == Path(scenario_path)):
        return Imported(count, written=False)
    target = out if out is not None else scenario_path
    if unchanged:
        write_atomic(target, Path(scenario_path).read_bytes())
        return Imported(count, written=True)
    write_atomic(target, _new_text(source, current.injects, scenario, str(target)))
    return Imported(count, written=True)


def _new_text(source: Source, old: Sequence[Inject], scenario: Scenario, name: str) -> str:
    """The scenario file's text with ``scenario``'s injects, checked to load as them."""
    index = {inject.id: i for i, inject in enumerate(old)}
    items = []
    for inject in scenario.injects:
        i = index.get(inject.id)
        if i is None:
            items.append(Item(node=_inject_yaml(inject)))
        elif old[i] == inject:
            items.append(Item(old=i))
        else:
            same = [
                key
                for field, key in _KEYS.items()
                if getattr(old[i], field) == getattr(inject, field)
            ]
            items.append(Item(old=i, node=_inject_yaml(inject), same=frozenset(same)))
    text = rewrite_items(source, "injects", items)
    # Never write what loads as anything but the table's injects: should splicing ever go
    # wrong, the whole block written afresh is the safe answer.
    if text is not None and _loads_as(text, name, scenario):
        return text
    text = replace_block(source, "injects", injects_block(scenario.injects))
    validate_source(parse_source(text, name), Scenario)  # never write what cannot load
    return text


def _loads_as(text: str, name: str, scenario: Scenario) -> bool:
    try:
        return validate_source(parse_source(text, name), Scenario) == scenario
    except InputError:
        return False


_KEYS = {field: info.alias or field for field, info in Inject.model_fields.items()}
"""Inject field name -> its key in the file (``from_`` is written ``from``)."""


def _read_rows(
    rows: list[tuple[int, Row]], name: str
) -> tuple[list[Problem], list[dict[str, Any]]]:
    problems, injects = [], []
    for number, row in rows:
        data, bad = row_data(row)
        injects.append(data)
        for column, message in bad:
            problems.append(_cell_problem(name, number, column, message))
    return problems, injects


def _cell_problem(name: str, row: int, column: str, message: str) -> Problem:
    col = COLUMNS.index(column) + 1 if column in COLUMNS else 1
    letter = chr(ord("A") + col - 1)
    return Problem(name, row, col, f"{column} (column {letter})", message)


def _place(details: list[Detail], numbers: list[int], name: str, source: Source) -> list[Problem]:
    """Problems in the injects at their table cell; any others at their place in the file."""
    problems = []
    for detail in details:
        path = detail.path
        if len(path) >= 2 and path[0] == "injects" and isinstance(path[1], int):
            column, inner = _column_of(path[2:])
            message = f"{format_path(inner)}: {detail.message}" if inner else detail.message
            problems.append(_cell_problem(name, numbers[path[1]], column, message))
        else:
            line, col = source.locate(path, key=detail.at_key)
            problems.append(Problem(source.name, line, col, format_path(path), detail.message))
    return problems


# --- the injects block in YAML ----------------------------------------------------------------


def injects_block(injects: Sequence[Inject]) -> str:
    """YAML text for ``injects:``: a block per inject, small mappings kept on one line."""
    items = CommentedSeq(_inject_yaml(i) for i in injects)
    if not injects:
        items.fa.set_flow_style()
    return dump_yaml(CommentedMap([("injects", items)]))


def _inject_yaml(inject: Inject) -> CommentedMap:
    out = CommentedMap()
    out["id"] = inject.id
    out["to"] = inject.to
    out["channel"] = inject.channel.value
    if inject.from_ is not None:
        out["from"] = _text(inject.from_)
    out["text"] = _text(inject.text, block=True)
    trigger = inject.trigger.model_dump(exclude_defaults=True, mode="json")
    for key in ("at", "jitter", "by", "delay"):
        if key in trigger:
            trigger[key] = exact_duration(getattr(inject.trigger, key))
    out["trigger"] = _flow(trigger)
    for key in ("reveals",):
        if getattr(inject, key) is not None:
            out[key] = getattr(inject, key)
    for key in ("expects", "attachments"):
        if getattr(inject, key):
            out[key] = _flow(list(getattr(inject, key)))
    if inject.notes is not None:
        out["notes"] = _text(inject.notes, block=True)
    return out


def _text(text: Text, *, block: bool = False) -> Any:
    """Chinese alone as a plain string; both languages as ``{zh, en}`` (one line per language
    when ``block``, as the bundled scenarios write long texts)."""
    if text.en is None:
        return text.zh
    if block:
        return CommentedMap([("zh", text.zh), ("en", text.en)])
    return _flow({"zh": text.zh, "en": text.en})


def _flow(value: Any) -> Any:
    if isinstance(value, dict):
        node: Any = CommentedMap((k, _flow(v)) for k, v in value.items())
    elif isinstance(value, list):
        node = CommentedSeq(_flow(v) for v in value)
    else:
        return value
    node.fa.set_flow_style()
    return node
