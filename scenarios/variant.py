"""Variants of a scenario: the same drill with some values changed, validated again.

The engine draws a variant from the seed (spill site, mass, start, flow regime, inject jitter)
and applies it here. A variant is made by re-validating the changed data
(``Scenario.model_validate``), never by mutating the scenario, and not with
``model_copy(update=)``, which would skip validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from threading import Lock
from typing import Any

from pydantic import ValidationError

from scenarios.errors import InputError
from scenarios.messages import validation_problems
from scenarios.paths import DataPath, parse_path, set_in
from scenarios.schema import Scenario

_CACHE_SIZE = 8
_cache: dict[int, tuple[Scenario, dict[str, Any]]] = {}
_lock = Lock()


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data with the file's field names; validating it gives it back.

    Cached for the last few scenarios (a calibration draws thousands of variants of one),
    so treat the result as read-only.
    """
    with _lock:
        hit = _cache.get(id(scenario))
    # The cache holds the scenario itself, so its id cannot be reused while the entry lives.
    if hit is not None and hit[0] is scenario:
        return hit[1]
    data = scenario.model_dump(by_alias=True)
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[id(scenario)] = (scenario, data)
    return data


def apply_overrides(scenario: Scenario, changes: Mapping[str | DataPath, Any]) -> Scenario:
    """A new scenario with the values at ``changes``' paths replaced, validated once.

    Args:
        scenario: The scenario to vary; it is not changed.
        changes: Values by path, written as in ``randomize`` (``"spills[0].km"``) or as
            tuples (``("spills", 0, "km")``).

    Returns:
        The variant. Cross-references are not re-checked here: ``randomize`` ranges were
        checked at both ends when the scenario was loaded.

    Raises:
        InputError: If a path does not exist or the variant breaks the schema.
    """
    data: Any = scenario_data(scenario)
    name = f"variant of {scenario.id}"
    for key, value in changes.items():
        try:
            path = parse_path(key) if isinstance(key, str) else tuple(key)
            data = set_in(data, path, value)
        except (KeyError, ValueError):
            raise InputError.single(name, f"no such place in the scenario: {key}") from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise InputError(validation_problems(error, Scenario, None, name)) from None
