"""Named random streams and scenario variants: one seed per run, nothing global.

A run's seed is split with ``np.random.SeedSequence(seed).spawn`` into one independent stream
per random quantity (the pydesrap habit). Streams are looked up by *name*, and the name's
position in :data:`STREAMS` fixes its spawn key, so the draws of one stream never depend on
whether, when or how often another stream was used. New streams are appended to the tuple;
reordering it would change every run's variant.

Sub-streams (``Streams.sub("agency_delays", "wulong-fire")``) give one generator per agency,
team or cell, keyed by a stable id: requests to one agency do not shift the delays of another.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import ValidationError

from scenarios.paths import DataPath, format_path, get_in, parse_path, set_in
from scenarios.schema import Choice, Scenario, Uniform

STREAMS = ("variant", "inject_jitter", "agency_delays", "measurement_noise", "teams", "agents")
"""Every named stream, in spawn order. Append only: a stream's position is its identity."""

VARIANT_DECIMALS = 6
"""Drawn values are rounded so the variant written in the log reproduces the run exactly."""


class Streams:
    """The named random streams of one run.

    Args:
        seed: The run's seed (≥ 0).
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed(={seed}) must be >= 0")
        self.seed = int(seed)
        self._children: dict[str, np.random.SeedSequence] = {}
        self._generators: dict[str, np.random.Generator] = {}

    def _index(self, name: str) -> int:
        try:
            return STREAMS.index(name)
        except ValueError:
            raise KeyError(
                f"stream(={name!r}) is unknown; streams are {', '.join(STREAMS)}"
            ) from None

    def _sequence(self, name: str) -> np.random.SeedSequence:
        """Child ``STREAMS.index(name)`` of ``SeedSequence(seed).spawn(len(STREAMS))`` (the
        same entropy and spawn key), made on first use: a run draws from four streams and
        keys sub-streams of the other two, so spawning all six up front is wasted work."""
        found = self._children.get(name)
        if found is None:
            found = np.random.SeedSequence(self.seed, spawn_key=(self._index(name),))
            self._children[name] = found
        return found

    def generator(self, name: str) -> np.random.Generator:
        """The generator of stream ``name`` (the same object on every call)."""
        if name not in self._generators:
            self._generators[name] = np.random.default_rng(self._sequence(name))
        return self._generators[name]

    def sub(self, name: str, key: str) -> np.random.Generator:
        """A fresh generator for ``key`` (an agency, cell or site id) inside stream ``name``.

        The key is hashed (CRC-32, stable across processes, unlike ``hash``) into the spawn
        key, so the sub-stream of a key is the same whatever other keys exist.
        """
        child = np.random.SeedSequence(
            self.seed, spawn_key=(self._index(name), zlib.crc32(key.encode("utf-8")))
        )
        return np.random.default_rng(child)


def draw_overrides(scenario: Scenario, rng: np.random.Generator) -> dict[str, Any]:
    """Draw one value for every ``randomize`` entry, in the order the scenario lists them.

    ``uniform: [low, high]`` draws a float (an int where the field holds an int);
    ``choice: [...]`` picks one item with equal weights.
    """
    document: Any = None  # the scenario as data, only if a uniform range needs it
    overrides: dict[str, Any] = {}
    for path_text, spec in scenario.randomize.items():
        if isinstance(spec, Uniform):
            low, high = spec.uniform
            value: Any = round(float(rng.uniform(low, high)), VARIANT_DECIMALS)
            if document is None:
                document = scenario_data(scenario)
            current = get_in(document, parse_path(path_text), None)
            if isinstance(current, int) and not isinstance(current, bool):
                value = round(value)
        else:
            assert isinstance(spec, Choice)
            value = spec.choice[int(rng.integers(len(spec.choice)))]
        overrides[path_text] = value
    return overrides


def scenario_data(scenario: Scenario) -> Any:
    """The scenario as plain data (``scenarios.variant``'s cached dump when available)."""
    try:
        from scenarios.variant import scenario_data as cached
    except ImportError:  # integration point, see apply_variant
        return scenario.model_dump(mode="json", by_alias=True)
    return cached(scenario)


def apply_variant(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """The scenario with ``overrides`` applied, re-validated (never mutated or model_copy'd).

    Only what changed is validated again: each changed spill, reach, inject… (the element of
    a top-level list that a path enters, or the top-level field itself) from its data with the
    new values, then the scenario from its fields, every untouched child passed as the
    instance that was validated when the scenario was loaded (pydantic does not validate a
    model instance twice). That is the same check as re-validating the whole document, at a
    tenth of the cost; a variant that fails it is re-done on the whole document
    (``scenarios.variant.apply_overrides`` when that module exists), so its error names the
    bad value and path exactly as before.
    """
    if not overrides:
        return scenario
    try:
        return _revalidate_changed(scenario, overrides)
    except (ValidationError, KeyError, ValueError, TypeError):
        pass  # re-done below, where the error is located and worded for the trainer
    try:
        from scenarios.variant import apply_overrides
    except ImportError:  # integration point: the scenario package's variant module
        return _revalidate(scenario, overrides)
    changes: dict[str | tuple[str | int, ...], Any] = {k: v for k, v in overrides.items()}
    return apply_overrides(scenario, changes)


def _revalidate_changed(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """:func:`apply_variant`'s fast path: re-validate the changed parts, reuse the rest."""
    document: Any = scenario_data(scenario)  # read-only; set_in copies what it changes
    units: dict[tuple[str | int, ...], Any] = {}
    for path_text, value in overrides.items():
        path = parse_path(path_text)
        head = path[0]
        if not isinstance(head, str) or head not in Scenario.model_fields:
            raise KeyError(path_text)
        # The unit re-validated: a list field's element, else the whole top-level field.
        size = 2 if len(path) > 2 and isinstance(path[1], int) else 1
        unit = path[:size]
        if any(other[0] == head and len(other) != size for other in units):
            # A whole list and one of its items both change: order matters, so the
            # whole-document path (which applies them in turn) does it.
            raise ValueError(f"{path_text} overlaps another override")
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


def _revalidate(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    document: Any = scenario.model_dump(mode="json", by_alias=True)
    for path_text, value in overrides.items():
        path: DataPath = parse_path(path_text)
        try:
            document = set_in(document, path, value)
        except KeyError:
            raise ValueError(f"randomize path {format_path(path)} does not exist") from None
    return Scenario.model_validate(document)


def draw_variant(scenario: Scenario, streams: Streams) -> tuple[Scenario, dict[str, Any]]:
    """The run's variant of ``scenario`` and the overrides that made it (for the log)."""
    overrides = draw_overrides(scenario, streams.generator("variant"))
    return apply_variant(scenario, overrides), overrides
