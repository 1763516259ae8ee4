"""Named random streams and the draws made from them: one seed per run, nothing global.

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
from typing import Any

import numpy as np

from scenarios.paths import get_in, parse_path
from scenarios.schema import Choice, Scenario, Triangle, Uniform
from scenarios.variant import apply_overrides, scenario_data

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


def draw_variant(scenario: Scenario, streams: Streams) -> tuple[Scenario, dict[str, Any]]:
    """The run's variant of ``scenario`` and the overrides that made it (for the log)."""
    overrides = draw_overrides(scenario, streams.generator("variant"))
    return apply_overrides(scenario, overrides), overrides


def draw_triangle(rng: np.random.Generator, spec: Triangle) -> float:
    """One delay (minutes) from a triangular distribution; a degenerate one is its value."""
    if spec.max <= spec.min:
        return float(spec.min)
    return float(rng.triangular(spec.min, spec.mode, spec.max))
