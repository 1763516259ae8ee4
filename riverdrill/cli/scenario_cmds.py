"""Commands on scenario files: ``validate``, ``schema``, ``new`` and ``msel export|import``.

Only typer is imported at module level: ``riverdrill validate`` must start in well under half
a second, so pydantic models, YAML and openpyxl are imported inside the commands.

Exit codes: 0 success; 1 bad input (an invalid file, a file that does not exist, a file that
would be overwritten) or a file the system refuses to write (``riverdrill.cli.main``); 2 a
usage error (no path given, an unknown schema name, a table that is not .csv or .xlsx).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from riverdrill.cli.app import app
from riverdrill.cli.output import console, errors, fail, fail_usage, writing
from scenarios.atomicfile import write_atomic

TABLE_SUFFIXES = (".csv", ".xlsx")

msel_app = typer.Typer(
    help="情景注入清单（MSEL）表格导出/导入 · The inject list as a CSV/XLSX table.",
    no_args_is_help=True,
)
app.add_typer(msel_app, name="msel")


def _scenario_files(paths: list[Path]) -> list[Path]:
    """The files named, with each directory replaced by the ``*.yaml`` files in it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            files.extend(found or [path])
        else:
            files.append(path)
    return files


def _check(path: Path) -> list[Any]:
    """``["ok", label]`` or ``["bad", problem lines…]`` for one path (plain data: see forked)."""
    from scenarios.errors import InputError
    from scenarios.load import load_scenario

    if path.is_dir():
        return ["bad", f"{path}: no .yaml files in this directory"]
    if not path.exists():
        return ["bad", f"{path}: no such file"]
    try:
        scenario = load_scenario(path)
    except InputError as error:
        return ["bad", *(str(p) for p in error.problems)]
    title = scenario.title.zh + (f" · {scenario.title.en}" if scenario.title.en else "")
    return ["ok", f"{scenario.id}  {title}"]


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="情景文件或目录 · scenario files, or directories of them", show_default=False
        ),
    ],
) -> None:
    """检查情景文件 · Check scenario files: every problem at once, as file:line:col.

    Prints ✓ id and title for each valid file, and each problem of an invalid one on its own
    line. Exits 0 when all are valid, 1 when any is invalid or missing.
    """
    from riverdrill.cli.forked import map_files
    from scenarios.load import load_scenario  # noqa: F401  import before forking, once

    files = _scenario_files(paths)
    bad = 0
    for status, *lines in map_files(_check, files):
        if status == "ok":
            console.print(f"[green]✓[/green] {lines[0]}", soft_wrap=True, highlight=False)
            continue
        bad += 1
        for line in lines:
            errors.print(line, markup=False, soft_wrap=True)
    if len(files) > 1:
        summary = f"{len(files) - bad} of {len(files)} valid"
        (errors if bad else console).print(summary, markup=False)
    if bad:
        raise typer.Exit(1)


SCHEMA_NAMES = ("scenario", "responses", "rubric", "substances")


@app.command()
def schema(
    name: Annotated[
        str,
        typer.Argument(help="scenario | responses | rubric | substances"),
    ] = "scenario",
) -> None:
    """输出 JSON Schema · Print the JSON Schema of a file format (for editors and tools).

    Example: riverdrill schema scenario > scenario.schema.json
    """
    from pydantic import BaseModel

    from scenarios.jsonschema import model_for, schema_text

    if name not in SCHEMA_NAMES:
        fail_usage(f"unknown schema {name!r}; choose one of {', '.join(SCHEMA_NAMES)}")
    if name == "rubric":
        from scoring.rubric import Rubric  # late: the scoring package is not needed otherwise

        model: type[BaseModel] = Rubric
    else:
        model = model_for(name)
    sys.stdout.write(schema_text(model, name))


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="写到哪里 · where to write")] = Path("scenario.yaml"),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件 · overwrite")] = False,
) -> None:
    """新建情景 · Write a commented, bilingual starter scenario that validates as it is.

    Its first line points editors at the JSON Schema installed with riverdrill (a file: URI).
    """
    if path.exists() and not force:
        errors.print(f"{path}: already exists; use --force to overwrite it", markup=False)
        raise typer.Exit(1)
    from scenarios.jsonschema import CHECKED_IN, HERE

    # Package data, installed with the scenarios package. Its first line names the schema
    # beside it (scenario.schema.json); the copy names that installed file wherever it goes.
    starter = (HERE / "starter.yaml").read_text(encoding="utf-8")
    modeline, rest = starter.split("\n", 1)
    schema_uri = CHECKED_IN["scenario"].resolve().as_uri()
    text = f"{modeline.split('$schema=')[0]}$schema={schema_uri}\n{rest}"
    with writing(path):
        write_atomic(path, text)
    console.print(f"wrote {path}; check it with: riverdrill validate {path}", markup=False)


@msel_app.command("export")
def msel_export(
    scenario: Annotated[Path, typer.Argument(help="情景文件 · scenario file")],
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.csv or FILE.xlsx")],
) -> None:
    """导出注入清单 · Write the scenario's injects to a CSV (UTF-8, Excel-ready) or XLSX table."""
    from scenarios.errors import InputError
    from scenarios.msel import export_msel

    if out.suffix.lower() not in TABLE_SUFFIXES:
        fail_usage(f"--out must end in .csv or .xlsx, not {out.name!r}")
    try:
        with writing(out):
            count = export_msel(scenario, out)
    except InputError as error:
        fail(error)
    console.print(f"wrote {count} injects to {out}", markup=False)


@msel_app.command("import")
def msel_import(
    scenario: Annotated[Path, typer.Argument(help="情景文件 · scenario file")],
    table: Annotated[Path, typer.Argument(help="FILE.csv or FILE.xlsx")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="写入新文件（缺省覆盖原文件）· new file (default: in place)"
        ),
    ] = None,
) -> None:
    """导入注入清单 · Replace the scenario's injects with a table's, keeping the rest as written.

    Nothing is written unless the scenario with its new injects is valid, and nothing when the
    table holds the injects the file already has; only changed injects are rewritten, and
    comments stay. Problems in the table are given as table:row:column.
    """
    from scenarios.errors import InputError
    from scenarios.msel import import_msel

    if table.suffix.lower() not in TABLE_SUFFIXES:
        fail_usage(f"the table must end in .csv or .xlsx, not {table.name!r}")
    try:
        with writing(out or scenario):
            done = import_msel(scenario, table, out)
    except InputError as error:
        fail(error)
    if done.written:
        console.print(f"wrote {done.count} injects to {out or scenario}", markup=False)
    else:
        console.print(
            f"{scenario}: the {done.count} injects are unchanged; nothing written", markup=False
        )
