"""``riverdrill preview``: the trainer's truth view of the do-nothing baseline.

Shows, for the variant a seed draws, when the plume reaches every site, how high it peaks, when
the water is above standard, and the incident level that baseline implies. ``--json`` prints the
stable public form described in docs/preview.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from riverdrill.cli.app import app
from riverdrill.cli.output import Lang, LangOption, console, fail
from scenarios.errors import InputError

if TYPE_CHECKING:
    from scenarios.levels import Grade


def _clock(minutes: float | None) -> str:
    """T+h:mm, or a dash where the plume never arrives."""
    if minutes is None:
        return "—"
    whole = round(minutes)
    return f"T+{whole // 60}:{whole % 60:02d}"


def baseline(scenario_path: Path, seed: int | None) -> tuple[dict[str, Any], Grade]:
    """The ``--json`` document and the incident grade of the do-nothing baseline.

    The grade is the engine's (``sim.preview.baseline_grade``), so the table, the JSON and
    the ``truth_level`` of a run in which nobody acts give the same level.
    """
    from scenarios.load import load_scenario
    from sim.preview import baseline_grade, preview_rows
    from sim.rng import Streams, draw_variant
    from sim.truth import network_for

    scenario = load_scenario(scenario_path)
    run_seed = scenario.seed if seed is None else seed
    variant, _ = draw_variant(scenario, Streams(run_seed))
    rows = preview_rows(variant, network=network_for(variant))
    grade = baseline_grade(variant)
    data = grade.to_data()
    document = {
        "scenario": scenario.id,
        "seed": run_seed,
        "sites": rows,
        "level": data["level"],
        "level_reasons": data["reasons"],
    }
    return document, grade


@app.command()
def preview(
    scenario: Annotated[Path, typer.Argument(help="scenario YAML")],
    seed: Annotated[int | None, typer.Option(help="variant seed (default: the scenario's)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (stable interface)")] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Truth view of the do-nothing baseline: arrival, peak and exceedance at every site."""
    try:
        document, grade = baseline(scenario, seed)
    except InputError as error:
        fail(error)
    if as_json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    from rich.table import Table  # late: every command imports this module; --json needs no table

    zh = lang != "en"
    title = "不作为基线" if zh else "do-nothing baseline"
    table = Table(title=f"{document['scenario']} · seed {document['seed']} · {title}")
    headers = (
        (
            "站点",
            "kind" if not zh else "类型",
            "km",
            "到达",
            "峰现",
            "峰值mg/L",
            "倍数",
            "超标时段",
            "取水超标",
        )
        if zh
        else (
            "site",
            "kind",
            "km",
            "arrival",
            "peak at",
            "peak mg/L",
            "×std",
            "exceedance",
            "delivered",
        )
    )
    for index, header in enumerate(headers):
        table.add_column(
            header, justify="right" if index in (2, 5, 6, 8) else "left", no_wrap=index == 0
        )
    for row in document["sites"]:
        peak = row["peak_mg_l"]
        multiple = f"{peak / row['standard_mg_l']:.1f}" if peak else "—"
        delivered = row["delivered_exceedance_min"]
        window = (
            "—"
            if row["exceed_start_min"] is None
            else f"{_clock(row['exceed_start_min'])}–{_clock(row['exceed_end_min'])}"
        )
        table.add_row(
            row["id"],
            row["kind"],
            f"{row['km']:g}",
            _clock(row["arrival_min"]),
            _clock(row["peak_min"]),
            f"{peak:.3g}" if peak else "—",
            multiple,
            window,
            "—" if delivered is None else f"{delivered:.0f} min",
        )
    console.print(table)
    level = grade.level.value if grade.level else "—"
    label = "基线事件等级" if zh else "baseline incident level"
    console.print(f"{label}: [bold]{level}[/bold]")
    for reason in grade.reasons:
        console.print(f"  · {reason.zh if zh else reason.en}", markup=False)
