"""What the plume model returns: every site's series and the numbers scoring reads.

:class:`SiteTruth` is one site's concentration series on the grid with its arrival, peak,
exceedance windows, mass passed and (intakes) minutes delivered above the standard;
:class:`Truth` holds them for every site with what is needed to answer at any other time or
place (``concentration_at``, ``along``). :func:`site_truths` computes the key numbers from
the series; :class:`sim.plume.Plume` builds the series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.breakthrough import first_crossing, peaks, windows_above
from sim.interventions import Resolved, flow_factors, open_minutes_above
from sim.releases import Release
from sim.river import Network
from sim.routing import Routing, direct_flux_at, flux_at_points

FloatArray = NDArray[np.float64]
KG_M3_TO_MG_L = 1000.0


@dataclass(frozen=True, eq=False)
class SiteTruth:
    """What one site saw: series on :attr:`t_min` and the numbers scoring reads."""

    id: str
    kind: str
    reach: str
    km: float
    t_min: FloatArray
    concentration_mg_l: FloatArray
    """First spill's substance, mg/L, on the grid."""
    ratio: FloatArray
    """Σ concentration/standard over substances (= C/standard for one substance)."""
    standard_mg_l: float
    arrival_min: float | None
    """First time above the detection threshold; None if never."""
    peak_min: float | None
    peak_mg_l: float
    exceedances: tuple[tuple[float, float], ...]
    """Windows above the standard (factor 1), minutes."""
    mass_passed_kg: float
    delivered_exceedance_min: float | None
    """Intakes: minutes open while above the standard; None for other kinds."""

    @property
    def exceed_start_min(self) -> float | None:
        """Start of the first exceedance window."""
        return self.exceedances[0][0] if self.exceedances else None

    @property
    def exceed_end_min(self) -> float | None:
        """End of the last exceedance window."""
        return self.exceedances[-1][1] if self.exceedances else None

    @property
    def exceed_min(self) -> float:
        """Total minutes above the standard."""
        return sum(b - a for a, b in self.exceedances)

    def exceedance_windows(self, factor: float = 1.0) -> tuple[tuple[float, float], ...]:
        """Windows above ``factor`` × standard."""
        return windows_above(self.t_min, self.ratio[None, :], factor)[0]


@dataclass(frozen=True, eq=False)
class Truth:
    """The simulated truth of one run; ``sites`` maps site id to :class:`SiteTruth`."""

    network: Network
    releases: tuple[Release, ...]
    substances: tuple[str, ...]
    t_min: FloatArray
    sites: dict[str, SiteTruth]
    resolved: Resolved
    routing: Routing = field(repr=False)
    release_flux: FloatArray = field(repr=False)
    """Mass flux (kg/s) per release at every site, (n_releases, n_sites, n_t)."""

    def mass_passed_by(self, site_id: str, until_min: float) -> float:
        """Mass (kg, all releases) that passed ``site_id`` in the grid cells up to ``until_min``
        (a run ended early); :attr:`SiteTruth.mass_passed_kg` is the whole grid's."""
        index = self.network.site_index[self.network.site(site_id).id]
        upto = int(np.searchsorted(self.t_min, until_min, side="right"))
        dt_s = (self.t_min[1] - self.t_min[0]) * 60.0 if self.t_min.size > 1 else 0.0
        return float(self.release_flux[:, index, :upto].sum() * dt_s)

    def concentration_at(
        self, site_id: str, t_min: float | ArrayLike, substance: str | None = None
    ) -> float | FloatArray:
        """Concentration (mg/L) of a substance (default: the first spill's) at arbitrary times.

        Exact closed form for spills no intervention has changed on their way to the site;
        for the others, the simulated series interpolated linearly.
        """
        net = self.network
        index = net.site_index[net.site(site_id).id]
        wanted = substance or self.substances[0]
        t = np.asarray(t_min, dtype=np.float64)
        flat = t.ravel()
        last = self.routing.last_site(
            net, len(self.releases), net.site_reach[[index]], net.site_x_m[[index]]
        )[:, 0]
        flux = np.zeros(flat.shape)
        for j, rel in enumerate(self.releases):
            if rel.substance != wanted:
                continue
            if last[j] < 0:
                flux += direct_flux_at(
                    net, rel, int(net.site_reach[index]), float(net.site_x_m[index]), flat
                )
            else:
                flux += np.interp(
                    flat, self.t_min, self.release_flux[j, index], left=0.0, right=0.0
                )
        conc = flux * KG_M3_TO_MG_L / net.site_discharge_m3s[index]
        factor = flow_factors(net, self.resolved.releases, np.array([index]), flat)
        if factor is not None:
            conc = conc * factor[0]
        return float(conc[0]) if t.ndim == 0 else conc.reshape(t.shape)

    def along(
        self, points: Sequence[tuple[str, float]], substance: str | None = None
    ) -> FloatArray:
        """Concentration (mg/L) at (reach, km) points on the grid: shape (n_points, n_t).

        For space–time charts, e.g. ``truth.along(network.points_downstream(reach, km))``.
        Flow releases are not applied here (they only dilute sites, see ``interventions``).
        """
        net = self.network
        located = [net.locate(r, km) for r, km in points]
        reach = np.array([p[0] for p in located], dtype=np.int64)
        x_m = np.array([p[1] for p in located])
        wanted = substance or self.substances[0]
        chosen = [j for j, rel in enumerate(self.releases) if rel.substance == wanted]
        flux = flux_at_points(net, self.releases, self.routing, reach, x_m, self.t_min)
        q = np.array([net.discharge_at(int(r), float(x)) for r, x in zip(reach, x_m, strict=True)])
        return np.asarray(flux[chosen].sum(axis=0) * KG_M3_TO_MG_L / q[:, None], dtype=np.float64)


def site_truths(
    net: Network,
    resolved: Resolved,
    t_min: FloatArray,
    conc: FloatArray,
    flux: FloatArray,
    standards: FloatArray,
    detection_fraction: float,
    detection_mg_l: float | None,
) -> dict[str, SiteTruth]:
    """Every site's :class:`SiteTruth` from the concentration and flux series on ``t_min``."""
    lead = conc[:, 0]
    ratio = lead / standards[0] if conc.shape[1] == 1 else (conc / standards[:, None]).sum(axis=1)
    if detection_mg_l is None:
        arrival = first_crossing(t_min, ratio, detection_fraction)
    else:
        arrival = first_crossing(t_min, lead, detection_mg_l)
    peak_t, peak_c = peaks(t_min, lead)
    windows = windows_above(t_min, ratio, 1.0)
    dt_s = (t_min[1] - t_min[0]) * 60.0 if t_min.size > 1 else 0.0
    mass = (flux.sum(axis=(1, 2)) * dt_s).tolist()
    # Python floats once for all sites (the same values as float() of each element).
    arrival_min, peak_min, peak_mg_l = arrival.tolist(), peak_t.tolist(), peak_c.tolist()
    standard = float(standards[0])
    out: dict[str, SiteTruth] = {}
    for i, spec in enumerate(net.sites):
        arrived = not math.isnan(arrival_min[i])
        delivered = None
        if spec.kind == "intake":
            delivered = open_minutes_above(windows[i], resolved.intake_closed.get(i, ()))
        out[spec.id] = SiteTruth(
            id=spec.id,
            kind=spec.kind,
            reach=spec.reach,
            km=spec.km,
            t_min=t_min,
            concentration_mg_l=lead[i],
            ratio=ratio[i],
            standard_mg_l=standard,
            arrival_min=arrival_min[i] if arrived else None,
            peak_min=peak_min[i] if arrived else None,
            peak_mg_l=peak_mg_l[i] if arrived else 0.0,
            exceedances=windows[i],
            mass_passed_kg=mass[i],
            delivered_exceedance_min=delivered,
        )
    return out
