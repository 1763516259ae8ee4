"""Checks of ``randomize``: each path must exist, and each range must stay physical.

A range is checked by building the variant at each of its ends (each choice of a ``choice``)
and validating it like a scenario of its own, so every bound the schema and the
cross-reference checks know (a km beyond the reach, a negative mass, a discharge of zero, a
spill after the drill) applies to the range as well without being written twice.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from scenarios.crossref import Finding, check_scenario
from scenarios.errors import InputError
from scenarios.messages import did_you_mean, show
from scenarios.paths import DataPath, format_path, parse_path
from scenarios.schema import Scenario, Uniform
from scenarios.variant import apply_overrides


def check_randomize(scenario: Scenario, known: list[Finding]) -> list[Finding]:
    """Findings for every ``randomize`` entry of ``scenario``.

    Args:
        scenario: A schema-valid scenario.
        known: Findings already reported for the scenario itself; a variant that only
            repeats them says nothing new about the range.
    """
    findings: list[Finding] = []
    already = {(f.path, f.message) for f in known}
    for key, spec in scenario.randomize.items():
        here = ("randomize", key)
        try:
            path = parse_path(key)
        except ValueError as error:
            findings.append(Finding(here, str(error), at_key=True))
            continue
        missing = _missing_part(scenario, path)
        if missing is not None:
            findings.append(Finding(here, missing, at_key=True))
            continue
        if isinstance(spec, Uniform):
            ends = [("lower end", spec.uniform[0]), ("upper end", spec.uniform[1])]
        else:
            ends = [("choice", value) for value in spec.choice]
        for label, value in ends:
            problem = _problem_at(scenario, key, value, already)
            if problem is not None:
                findings.append(Finding(here, f"{label} {show(value)} is out of bounds: {problem}"))
    return findings


def _problem_at(
    scenario: Scenario, key: str, value: Any, already: set[tuple[DataPath, str]]
) -> str | None:
    """The first problem of the variant with ``key`` set to ``value``, or ``None``."""
    try:
        variant = apply_overrides(scenario, {key: value})
    except InputError as error:
        first = error.problems[0]
        return f"{first.path}: {first.message}" if first.path else first.message
    for finding in check_scenario(variant, ranges=False):
        if (finding.path, finding.message) not in already:
            return f"{format_path(finding.path)}: {finding.message}"
    return None


def _missing_part(scenario: Scenario, path: DataPath) -> str | None:
    """Why ``path`` names nothing in ``scenario``, or ``None`` if it names a field."""
    if path[0] == "randomize":
        return "randomize cannot vary itself"
    node: Any = scenario
    for depth, part in enumerate(path):
        where = format_path(path[:depth]) or "the top level"
        if isinstance(node, BaseModel):
            fields = {f.alias or n: n for n, f in type(node).model_fields.items()}
            if not isinstance(part, str) or part not in fields:
                return f"no field {part!r} at {where}{did_you_mean(str(part), fields)}"
            node = getattr(node, fields[part])
        elif isinstance(node, tuple):
            if not isinstance(part, int):
                return f"{where} is a list: index it like {where}[0]"
            if part >= len(node):
                return f"{format_path(path[: depth + 1])} does not exist ({where} has {len(node)})"
            node = node[part]
        elif isinstance(node, dict):
            if part not in node:
                return f"no key {part!r} at {where}"
            node = node[part]
        else:
            return f"{where} is a single value; it has no {part!r}"
    return None
