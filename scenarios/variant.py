"""Variants of a scenario: the same drill with some values changed, validated again.

The engine draws a variant from the seed (spill site, mass, start, flow regime, inject jitter)
and applies it here. A variant is made by re-validating the changed data
(``Scenario.model_validate``), never by mutating the scenario, and not with
``model_copy(update=)``, which would skip validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from scenarios.errors import InputError
from scenarios.memo import IdentityMemo
from scenarios.messages import validation_problems
from scenarios.paths import DataPath, get_in, parse_path, set_in
from scenarios.schema import Scenario

_Key = TypeVar("_Key", bound=str | DataPath)
"""A path as ``randomize`` writes it (``"spills[0].km"``) or as a tuple."""

_DATA: IdentityMemo[dict[str, Any]] = IdentityMemo(8)
"""The data of the last few scenarios (the very objects)."""


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data with the file's field names; validating it gives it back.

    Cached for the last few scenarios (a calibration draws thousands of variants of one),
    so treat the result as read-only.
    """
    data = _DATA.get(scenario)
    if data is None:
        data = _DATA.put(scenario, scenario.model_dump(by_alias=True))
    return data


def apply_overrides(scenario: Scenario, changes: Mapping[_Key, Any]) -> Scenario:
    """A new scenario with the values at ``changes``' paths replaced, validated once.

    Only what changed is validated again: each changed spill, reach, inject… (the element of
    a top-level list that a path enters, or the top-level field itself) from its data with the
    new values, then the scenario from its fields, every untouched child passed as the
    instance that was validated when the scenario was loaded (pydantic does not validate a
    model instance twice). That is the same check as re-validating the whole document, at a
    tenth of the cost; a variant that fails it is re-done on the whole document, so its error
    names the bad value and its path.

    Args:
        scenario: The scenario to vary; it is not changed.
        changes: Values by path, written as in ``randomize`` (``"spills[0].km"``) or as
            tuples (``("spills", 0, "km")``).

    Returns:
        The variant (``scenario`` itself when nothing changes). Cross-references are not
        re-checked here: ``randomize`` ranges were checked at both ends when the scenario was
        loaded.

    Raises:
        InputError: If a path does not exist or the variant breaks the schema.
    """
    if not changes:
        return scenario
    try:
        return _revalidate_changed(scenario, changes)
    except (ValidationError, KeyError, ValueError):
        pass  # re-done below, where the error is located and worded for the trainer
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


def _revalidate_changed(scenario: Scenario, changes: Mapping[_Key, Any]) -> Scenario:
    """:func:`apply_overrides`' fast path: re-validate the changed parts, reuse the rest.

    Raises:
        KeyError, ValueError: For a path that is not a place in the scenario, or overrides
            that overlap (the whole-document path handles both).
        ValidationError: If the variant breaks the schema.
    """
    document: Any = scenario_data(scenario)  # read-only; set_in copies what it changes
    units: dict[DataPath, Any] = {}
    for key, value in changes.items():
        path = parse_path(key) if isinstance(key, str) else tuple(key)
        head = path[0] if path else None
        if not isinstance(head, str) or head not in Scenario.model_fields:
            raise KeyError(key)
        # The unit re-validated: a list field's element, else the whole top-level field.
        size = 2 if len(path) > 2 and isinstance(path[1], int) else 1
        unit = path[:size]
        if any(other[0] == head and len(other) != size for other in units):
            # A whole list and one of its items both change: order matters, so the
            # whole-document path (which applies them in turn) does it.
            raise ValueError(f"{key} overlaps another override")
        data = units[unit] if unit in units else get_in(document, unit)
        units[unit] = set_in(data, path[size:], value)
    fields: dict[str, Any] = {name: getattr(scenario, name) for name in scenario.model_fields_set}
    for unit, data in units.items():
        name = str(unit[0])
        if len(unit) == 1:
            fields[name] = data
            continue
        items = list(fields.get(name, getattr(scenario, name)))
        items[int(unit[1])] = data
        fields[name] = items
    return Scenario.model_validate(fields)
