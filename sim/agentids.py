"""Ids for the engine's Mesa agents that do not keep finished models alive.

Mesa 3.3 numbers every agent from a class-level ``defaultdict`` keyed by the model itself
(``Agent._ids``), so every model ever built stays in memory with its agents, log and truth
(mesa issue 3179, fixed after 3.3). The engine's agents (agencies and simulated teams) count
in :data:`AGENT_IDS` instead, a table keyed weakly by model.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator

import mesa


class AgentIds(weakref.WeakKeyDictionary[mesa.Model, Iterator[int]]):
    """Per-model counters of ``mesa.Agent.unique_id`` that let a finished model go.

    Mesa 3.3 keeps them in a class-level ``defaultdict`` keyed by the model itself, so every
    model ever built stays in memory with its agents, log and truth (mesa issue 3179, fixed
    after 3.3): ~1 MB per run, for the whole life of a long-running process (a competition
    bundle, a calibration). The engine's agents count in this table instead; ids still start
    at 1 in every model.
    """

    def __getitem__(self, model: mesa.Model) -> Iterator[int]:
        found = self.get(model)
        if found is None:
            found = self[model] = itertools.count(1)
        return found


AGENT_IDS = AgentIds()
"""The id counters of every engine agent (agencies and simulated teams share them)."""
