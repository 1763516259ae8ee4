"""Loading riverdrill files: YAML in, a validated frozen model out, or every problem at once.

Every problem reads ``scenarios/library/x.yaml:42:7: reaches[2].length_km: must be > 0 (got -3)``.
A scenario is checked in two passes: the schema (pydantic) first; when it holds, every
cross-reference check (``crossref.py``) runs and all its findings are reported together.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from scenarios.crossref import Finding, check_scenario
from scenarios.errors import InputError, Problem
from scenarios.messages import validation_problems
from scenarios.paths import format_path
from scenarios.schema import Scenario
from scenarios.yamlsource import Source, parse_source, read_source, to_plain

M = TypeVar("M", bound=BaseModel)


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and cross-check a scenario file.

    Args:
        path: The YAML file; shown in messages as given.

    Returns:
        The scenario, frozen.

    Raises:
        InputError: With every problem found, each at ``file:line:col``.
    """
    return load_model(path, Scenario)


def load_model(path: str | Path, model: type[M]) -> M:
    """Read and validate any riverdrill YAML file (rubric, response log, substance library…).

    A :class:`~scenarios.schema.Scenario` (or subclass) is also cross-checked.

    Args:
        path: The YAML file; shown in messages as given.
        model: The frozen pydantic model the file must match.

    Raises:
        InputError: With every problem found, each at ``file:line:col``.
    """
    return validate_source(read_source(path), model)


def load_text(text: str, name: str, model: type[M]) -> M:
    """Like :func:`load_model`, from text in memory (``name`` stands in for the file name)."""
    return validate_source(parse_source(text, name), model)


def validate_source(source: Source, model: type[M]) -> M:
    """Validate a parsed document against ``model``; see :func:`load_model`."""
    try:
        result = model.model_validate(to_plain(source.root))
    except ValidationError as error:
        raise InputError(validation_problems(error, model, source, source.name)) from None
    if isinstance(result, Scenario):
        findings = check_scenario(result)
        if findings:
            raise InputError(locate_findings(findings, source))
    return result


def locate_findings(
    findings: Iterable[Finding], source: Source | None, name: str = ""
) -> list[Problem]:
    """Turn cross-reference findings into problems at their place in ``source``."""
    problems = []
    for finding in findings:
        if source is None:
            line, col, file = 0, 0, name
        else:
            (line, col), file = source.locate(finding.path, key=finding.at_key), source.name
        problems.append(Problem(file, line, col, format_path(finding.path), finding.message))
    return problems
