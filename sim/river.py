"""The river network: a tree of reaches with resolved hydraulics, and the sites on it.

:class:`Network` answers, for any point (reach, km), what lies downstream of it and what a
plume meets on the way: cumulative mean travel time T, temporal variance σ², distance, decay
exposure and the discharge at every site (PLUME.md §1.3–1.4). Everything is kept as
"remaining to the outlet" coordinates, so the path quantities between two points are one
subtraction and evaluate vectorised over many sites or many Monte Carlo runs.
:func:`river_km_between` is the distance along the scenario's reaches between two points (how
far an agency's crew travels to a site).

Modelling choices (the scenario format leaves them open):

- A reach has one velocity and one dispersion coefficient over its whole length ("one set of
  hydraulic parameters", schema docstring). Velocity: given, else Q/(width·depth), else Jobson
  (1996). K: given, else the scenario's empirical formula from width, depth and shear velocity.
- ``discharge_m3s`` is the flow at the reach's upstream end. A tributary joining part-way
  (``joins_at_km`` > 0) adds its outflow below the junction, so sites there are diluted; a
  reach entering at km 0 is taken to be already counted in the downstream reach's discharge.
  Mass flux is conserved through junctions and concentration is flux / local discharge, which
  is the full-mixing balance of PLUME.md §1.4.
- Decay: the reach's ``decay_per_day`` overrides the substance's default on that reach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from scenarios.schema import Reach, Scenario

FloatArray = NDArray[np.float64]
SECONDS_PER_DAY = 86400.0
MIN_DISPERSION_M2S = 1e-3
"""Floor on K: the closed forms divide by √K; a smaller K is numerically a pure shift."""

# Columns of the "remaining to the outlet" coordinate vectors.
_TIME, _VAR, _DIST, _DECAY_FIXED, _TIME_FREE = range(5)


@dataclass(frozen=True)
class ReachSpec:
    """A reach with its hydraulics resolved (what the plume model needs, in plain numbers)."""

    id: str
    length_km: float
    discharge_m3s: float
    velocity_mps: float
    dispersion_m2s: float
    decay_per_day: float | None = None
    """Overrides the substance's decay on this reach when set."""
    downstream: str | None = None
    joins_at_km: float | None = None
    jurisdiction: str = ""


@dataclass(frozen=True)
class SiteSpec:
    """A site at ``km`` from the upstream end of ``reach``, with the fields interventions use."""

    id: str
    reach: str
    km: float
    kind: str = "monitoring"
    max_hold_min: float | None = None
    pool_volume_m3: float | None = None
    efficiency: float | None = None
    build_time_min: float | None = None
    volume_m3: float | None = None


@dataclass(frozen=True)
class SubstanceSpec:
    """The two numbers of a substance the plume model needs."""

    id: str
    standard_mg_l: float
    decay_per_day: float = 0.0


class PathStats(NamedTuple):
    """Path quantities from one point to many: arrays over the targets.

    ``reachable`` is False where a target is not downstream; other values are then garbage.
    """

    reachable: NDArray[np.bool_]
    distance_m: FloatArray
    time_s: FloatArray
    variance_s2: FloatArray
    decay_fixed: FloatArray
    """Σ k·t over reaches with their own decay rate (dimensionless)."""
    time_free_s: FloatArray
    """Travel time over reaches that use the substance's decay rate."""

    def decay_exponent(self, substance_decay_per_s: float) -> FloatArray:
        """Total ``Σ k_i·L_i/u_i`` for a substance with the given default rate."""
        return self.decay_fixed + substance_decay_per_s * self.time_free_s


@dataclass(frozen=True)
class PathSegment:
    """One piece of a path: ``reach`` from ``from_km`` to ``to_km``."""

    reach: str
    from_km: float
    to_km: float


@dataclass(eq=False)
class Network:
    """Reaches, sites and substances, with per-site arrays precomputed for vectorised use.

    Build it with :meth:`from_scenario`, or directly from :class:`ReachSpec` /
    :class:`SiteSpec` / :class:`SubstanceSpec` lists (tests, benchmarks).

    Raises:
        ValueError: On an unknown downstream reach, a cycle, a junction past a reach's end or
            a site off its reach; the message names the id.
    """

    reaches: Sequence[ReachSpec]
    sites: Sequence[SiteSpec] = ()
    substances: Mapping[str, SubstanceSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reaches = tuple(self.reaches)
        self.sites = tuple(self.sites)
        self.substances = dict(self.substances)
        self.reach_index = {r.id: i for i, r in enumerate(self.reaches)}
        self.site_index = {s.id: i for i, s in enumerate(self.sites)}
        self._build_reaches()
        self._build_sites()

    # --- construction -------------------------------------------------------------------

    def _build_reaches(self) -> None:
        n = len(self.reaches)
        self.length_m = np.array([r.length_km * 1000.0 for r in self.reaches])
        self.velocity_mps = np.array([r.velocity_mps for r in self.reaches])
        self.dispersion_m2s = np.array(
            [max(r.dispersion_m2s, MIN_DISPERSION_M2S) for r in self.reaches]
        )
        self.downstream = np.full(n, -1)
        self.joins_at_m = np.zeros(n)
        for i, reach in enumerate(self.reaches):
            if reach.downstream is None:
                continue
            if reach.downstream not in self.reach_index:
                raise ValueError(f"reach {reach.id}: downstream(={reach.downstream!r}) is unknown")
            j = self.reach_index[reach.downstream]
            self.downstream[i] = j
            self.joins_at_m[i] = (reach.joins_at_km or 0.0) * 1000.0
            if self.joins_at_m[i] > self.length_m[j] + 1e-6:
                raise ValueError(
                    f"reach {reach.id}: joins_at_km(={reach.joins_at_km:g}) is past the end of "
                    f"{reach.downstream} ({self.reaches[j].length_km:g} km)"
                )
        u, k_m2s = self.velocity_mps, self.dispersion_m2s
        decay = np.array(
            [np.nan if r.decay_per_day is None else r.decay_per_day for r in self.reaches]
        )
        fixed = ~np.isnan(decay)
        self.decay_override_per_s = decay / SECONDS_PER_DAY  # NaN: use the substance's rate
        self.rate = np.zeros((n, 5))  # coordinate change per metre travelled
        self.rate[:, _TIME] = 1.0 / u
        self.rate[:, _VAR] = 2.0 * k_m2s / u**3
        self.rate[:, _DIST] = 1.0
        self.rate[:, _DECAY_FIXED] = np.where(fixed, decay / SECONDS_PER_DAY / u, 0.0)
        self.rate[:, _TIME_FREE] = np.where(fixed, 0.0, 1.0 / u)
        self.chains = [self._chain(i) for i in range(n)]
        # entry[r, r2]: metres on r2 where a plume from reach r enters it (NaN: never).
        self.entry_m = np.full((n, n), np.nan)
        self.end_coords = np.zeros((n, 5))
        for i, chain in enumerate(self.chains):
            for below, entry in chain:
                self.entry_m[i, below] = entry
            # From the end of reach i: the rest of every reach below it, from where it is entered.
            for below, entry in chain[1:]:
                self.end_coords[i] += (self.length_m[below] - entry) * self.rate[below]
        self.head_discharge_m3s = np.array([r.discharge_m3s for r in self.reaches])
        self.junctions: list[list[tuple[float, int]]] = [[] for _ in range(n)]
        for i in range(n):
            if self.downstream[i] >= 0 and self.joins_at_m[i] > 0:
                self.junctions[self.downstream[i]].append((self.joins_at_m[i], i))
        self._outflow_cache: dict[int, float] = {}

    def _chain(self, start: int) -> list[tuple[int, float]]:
        """Reaches from ``start`` to the outlet, each with the metre mark where a plume enters."""
        chain = [(start, 0.0)]
        seen = {start}
        reach = start
        while self.downstream[reach] >= 0:
            entry = float(self.joins_at_m[reach])
            reach = int(self.downstream[reach])
            if reach in seen:
                raise ValueError(f"reach {self.reaches[start].id}: downstream links form a cycle")
            seen.add(reach)
            chain.append((reach, entry))
        return chain

    def _build_sites(self) -> None:
        n = len(self.sites)
        self.site_reach = np.zeros(n, dtype=np.int64)
        self.site_x_m = np.zeros(n)
        for i, site in enumerate(self.sites):
            self.site_reach[i], self.site_x_m[i] = self._locate(
                site.reach, site.km, f"site {site.id}"
            )
        self.site_coords = self.coords(self.site_reach, self.site_x_m)
        self.site_discharge_m3s = np.array(
            [
                self.discharge_at(int(r), float(x))
                for r, x in zip(self.site_reach, self.site_x_m, strict=True)
            ]
        )
        self.site_kinds = tuple(s.kind for s in self.sites)

    def _locate(self, reach: str, km: float, what: str) -> tuple[int, float]:
        if reach not in self.reach_index:
            raise ValueError(f"{what}: reach(={reach!r}) is unknown")
        index = self.reach_index[reach]
        length_km = self.reaches[index].length_km
        if not 0.0 <= km <= length_km + 1e-9:
            raise ValueError(f"{what}: km(={km:g}) is outside reach {reach} (0–{length_km:g} km)")
        return index, min(km, length_km) * 1000.0

    # --- queries --------------------------------------------------------------------------

    def locate(self, reach: str, km: float) -> tuple[int, float]:
        """Reach index and metres from its upstream end for (reach id, km), validated."""
        return self._locate(reach, km, "point")

    def coords(self, reach: ArrayLike, x_m: ArrayLike) -> FloatArray:
        """'Remaining to the outlet' coordinates of points, shape (..., 5).

        Columns: time (s), variance (s²), distance (m), fixed decay exposure, free time (s).
        The path quantities from point p to a downstream point q are ``coords(p) − coords(q)``.
        """
        r = np.asarray(reach, dtype=np.int64)
        x = np.asarray(x_m, dtype=np.float64)
        left = (self.length_m[r] - x)[..., None]
        return np.asarray(self.end_coords[r] + left * self.rate[r], dtype=np.float64)

    def reachable(
        self, reach: ArrayLike, x_m: ArrayLike, target_reach: ArrayLike, target_x_m: ArrayLike
    ) -> NDArray[np.bool_]:
        """Whether each target point is downstream of (or at) each source point (broadcast)."""
        r = np.asarray(reach, dtype=np.int64)
        tr = np.asarray(target_reach, dtype=np.int64)
        entry = self.entry_m[r, tr]
        same = r == tr
        start = np.where(same, x_m, entry)
        return np.asarray(~np.isnan(entry) & (np.asarray(target_x_m) >= start - 1e-9))

    def path_to_sites(self, reach: str, km: float) -> PathStats:
        """Path quantities from (reach, km) to every site (arrays over ``self.sites``)."""
        r, x = self.locate(reach, km)
        return self.path_between(r, x, self.site_reach, self.site_x_m, self.site_coords)

    def path_between(
        self,
        reach: ArrayLike,
        x_m: ArrayLike,
        target_reach: ArrayLike,
        target_x_m: ArrayLike,
        target_coords: FloatArray | None = None,
    ) -> PathStats:
        """Path quantities from source point(s) to target point(s), broadcast together."""
        if target_coords is None:
            target_coords = self.coords(target_reach, target_x_m)
        delta = self.coords(reach, x_m) - target_coords
        ok = self.reachable(reach, x_m, target_reach, target_x_m)
        delta = np.where(ok[..., None], np.maximum(delta, 0.0), 0.0)
        return PathStats(
            ok,
            delta[..., _DIST],
            delta[..., _TIME],
            delta[..., _VAR],
            delta[..., _DECAY_FIXED],
            delta[..., _TIME_FREE],
        )

    def discharge_at(self, reach: int, x_m: float) -> float:
        """Discharge (m³/s) at a point: the reach's head flow plus tributaries joined above."""
        total = float(self.head_discharge_m3s[reach])
        for joins_m, tributary in self.junctions[reach]:
            if joins_m <= x_m + 1e-9:
                total += self._outflow(tributary)
        return total

    def _outflow(self, reach: int) -> float:
        if reach not in self._outflow_cache:
            self._outflow_cache[reach] = self.discharge_at(reach, float(self.length_m[reach]))
        return self._outflow_cache[reach]

    def path(self, reach: str, km: float) -> tuple[PathSegment, ...]:
        """The river downstream of (reach, km) to the outlet, as reach pieces."""
        r, x = self.locate(reach, km)
        pieces = []
        for position, (chain_reach, entry) in enumerate(self.chains[r]):
            start_m = x if position == 0 else entry
            pieces.append(
                PathSegment(
                    self.reaches[chain_reach].id,
                    start_m / 1000.0,
                    self.reaches[chain_reach].length_km,
                )
            )
        return tuple(pieces)

    def points_downstream(
        self, reach: str, km: float, step_km: float = 1.0
    ) -> list[tuple[str, float]]:
        """Evenly spaced (reach, km) points from a point to the outlet, for space–time charts."""
        points: list[tuple[str, float]] = []
        for piece in self.path(reach, km):
            count = max(1, int(np.ceil((piece.to_km - piece.from_km) / step_km)))
            kms = np.linspace(piece.from_km, piece.to_km, count + 1)
            start = 1 if points else 0
            points.extend((piece.reach, float(k)) for k in kms[start:])
        return points

    def site(self, site_id: str) -> SiteSpec:
        """The site with this id."""
        try:
            return self.sites[self.site_index[site_id]]
        except KeyError:
            raise ValueError(f"site(={site_id!r}) is not in the network") from None

    def substance(self, substance_id: str) -> SubstanceSpec:
        """The substance with this id."""
        try:
            return self.substances[substance_id]
        except KeyError:
            known = ", ".join(sorted(self.substances)) or "none"
            raise ValueError(f"substance(={substance_id!r}) is unknown (known: {known})") from None

    # --- from a scenario ----------------------------------------------------------------

    @classmethod
    def from_scenario(
        cls, scenario: Scenario, substances: Mapping[str, SubstanceSpec] | None = None
    ) -> Network:
        """Resolve a validated scenario's reaches, sites and substances.

        Args:
            scenario: A validated :class:`scenarios.schema.Scenario`.
            substances: Substance table; default: the bundled library overlaid with the
                scenario's own (``scenarios.substances.substances_for``).
        """
        from sim.hydraulics import resolve_reach, site_specs  # late: hydraulics builds specs

        formula = scenario.hydraulics.dispersion_formula
        default_n = scenario.hydraulics.manning_n
        reaches = [resolve_reach(r, formula, default_n) for r in scenario.reaches]
        sites = site_specs(scenario.sites)
        if substances is None:
            from scenarios.substances import substances_for

            substances = {
                key: SubstanceSpec(key, s.standard_mg_l, s.decay_per_day)
                for key, s in substances_for(scenario).items()
            }
        return cls(reaches, sites, substances)


def river_km_between(
    reaches: Mapping[str, Reach], a: tuple[str, float], b: tuple[str, float]
) -> float:
    """Distance along the river network between two points (reach id, km from its head).

    Both points walk downstream to where their paths meet; on a tree that meeting reach is
    the first reach the two walks share.
    """

    def walk(point: tuple[str, float]) -> dict[str, tuple[float, float]]:
        reach, km = point
        travelled = 0.0
        seen: dict[str, tuple[float, float]] = {}
        while reach not in seen:
            seen[reach] = (travelled, km)
            spec = reaches[reach]
            if spec.downstream is None or spec.downstream not in reaches:
                break
            travelled += spec.length_km - km
            reach, km = spec.downstream, spec.joins_at_km or 0.0
        return seen

    from_a, from_b = walk(a), walk(b)
    for reach, (run_a, km_a) in from_a.items():
        if reach in from_b:
            run_b, km_b = from_b[reach]
            return run_a + run_b + abs(km_a - km_b)
    return float("inf")  # different river systems: the scenario should not ask
