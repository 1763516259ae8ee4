"""A spill in plain numbers, as the plume model takes it.

:class:`Release` is what a scenario's ``Spill`` becomes once its site is placed on the network
(reach and km) and its mass totalled; the plume model, the summary mode and the engine's
truth keeper all take releases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.river import Network

if TYPE_CHECKING:
    from scenarios.schema import Scenario, Spill


@dataclass(frozen=True)
class Release:
    """One spill in plain numbers: ``mass_kg`` released evenly over ``duration_min``."""

    substance: str
    reach: str
    km: float
    mass_kg: float
    start_min: float = 0.0
    duration_min: float = 0.0

    @classmethod
    def from_spill(cls, spill: Spill, network: Network) -> Release:
        """Convert a scenario spill, placing a ``site`` spill at that site's reach and km."""
        if spill.site is not None:
            site = network.site(spill.site)
            reach, km = site.reach, site.km
        else:
            assert spill.reach is not None and spill.km is not None
            reach, km = spill.reach, spill.km
        return cls(spill.substance, reach, km, spill.total_mass_kg, spill.start, spill.duration)


def releases_from_scenario(scenario: Scenario, network: Network) -> tuple[Release, ...]:
    """Every spill of a (variant-drawn) scenario as a :class:`Release`."""
    return tuple(Release.from_spill(s, network) for s in scenario.spills)


def as_releases(spills: Iterable[Release | Spill], network: Network) -> tuple[Release, ...]:
    """Releases as given, scenario spills converted."""
    return tuple(s if isinstance(s, Release) else Release.from_spill(s, network) for s in spills)
