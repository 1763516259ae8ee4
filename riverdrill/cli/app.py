"""The ``riverdrill`` command-line application object; commands register on it.

Each command lives in its own module of this package and imports heavy libraries (numpy,
mesa, jinja2) inside the command function, so ``riverdrill validate`` starts fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="riverdrill",
    help="无脚本推演 · Unscripted-drill simulator for river pollution emergencies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
