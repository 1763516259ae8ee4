"""The scenario language: what a drill is, read from YAML and checked, every problem located.

Names are imported on first use (PEP 562), so ``import scenarios.errors`` stays cheap and
nothing here pulls in the engine's numeric libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios.lazy import lazy_exports

if TYPE_CHECKING:
    from scenarios.actions import Action, ResponseLog
    from scenarios.crossref import Finding, check_scenario
    from scenarios.errors import InputError, Problem
    from scenarios.load import load_model, load_scenario, load_text
    from scenarios.paths import format_path, parse_path
    from scenarios.schema import Inject, Scenario
    from scenarios.substances import substances_for
    from scenarios.types import Text, format_duration, parse_duration
    from scenarios.variant import apply_overrides

_WHERE = {
    "Action": "scenarios.actions",
    "ResponseLog": "scenarios.actions",
    "Finding": "scenarios.crossref",
    "check_scenario": "scenarios.crossref",
    "InputError": "scenarios.errors",
    "Problem": "scenarios.errors",
    "load_model": "scenarios.load",
    "load_scenario": "scenarios.load",
    "load_text": "scenarios.load",
    "format_path": "scenarios.paths",
    "parse_path": "scenarios.paths",
    "Inject": "scenarios.schema",
    "Scenario": "scenarios.schema",
    "substances_for": "scenarios.substances",
    "Text": "scenarios.types",
    "format_duration": "scenarios.types",
    "parse_duration": "scenarios.types",
    "apply_overrides": "scenarios.variant",
}

__all__ = [
    "Action",
    "Finding",
    "Inject",
    "InputError",
    "Problem",
    "ResponseLog",
    "Scenario",
    "Text",
    "apply_overrides",
    "check_scenario",
    "format_duration",
    "format_path",
    "load_model",
    "load_scenario",
    "load_text",
    "parse_duration",
    "parse_path",
    "substances_for",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
