"""The river's curves a report charts, re-computed from the log or read back from ``curves.json``.

The charts show the concentration at every site over time and the plume along the river
(space-time). The log records only the truth's *events*, so the series are re-computed with
the plume model under the interventions the engine logged (``reports.truth``) — which needs
scipy and the model's code (≈ 0.3 s to import in a fresh process, more than the rest of an HTML
report's own work). They are a pure function of the scenario, the log and the engine, so
``riverdrill run`` keeps them in ``curves.json`` beside the log, stamped like ``whatif.json``
(``reports.stored``); a report reuses them when every stamp matches and re-computes them
otherwise.

What is kept is language-free data (site ids, minutes, mg/L, ratios, km): names, titles and
the team's numbered actions are added by ``reports.build``. The report is always built from the
stored (JSON) form, so it is the same whether the curves were reused or re-computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reports.stored import (
    as_stored,
    engine_fingerprint,
    json_list,
    json_number,
    json_numbers,
    json_object,
    json_text,
    read_stored,
    sha256_text,
    write_stored,
)
from sim.rundir import CURVES_FILE

if TYPE_CHECKING:
    import numpy as np

    from scenarios.schema import Scenario
    from sim.log import Log

MAX_POINTS = 360
"""Points per concentration polyline: enough for a smooth curve, small enough for the file."""

Span = tuple[float, float]


@dataclass(frozen=True)
class SiteCurve:
    """Concentration at one site the plume reached, thinned for drawing."""

    site: str
    t_min: tuple[float, ...]
    concentration_mg_l: tuple[float, ...]
    standard_mg_l: float
    closed: tuple[Span, ...]
    """Intake closures, ``(start, end)`` minutes (end: the run's end when never reopened)."""
    held: tuple[Span, ...]
    """Gate holds, likewise."""


@dataclass(frozen=True)
class Grid:
    """Concentration/standard along the river below the first spill, on a coarse time grid."""

    km: tuple[float, ...]
    t_min: tuple[float, ...]
    ratio: tuple[tuple[float, ...], ...]
    """``ratio[i][j]``: at ``t_min[i]`` and ``km[j]``, rounded to 3 decimals."""
    site_km: tuple[tuple[str, float], ...]
    """Sites on that path (scenario order) and their distance below the spill."""


@dataclass(frozen=True)
class Curves:
    """Everything the charts show about the river of one run."""

    end_min: float
    reached: tuple[SiteCurve, ...]
    """Sites the plume reached, in the order it reached them."""
    unreached: tuple[str, ...]
    """Ids of the sites it never reached."""
    grid: Grid | None
    """None when the path below the spill is too short to chart."""


def _thin(t: np.ndarray, c: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Every n-th point plus the peak, so the polyline keeps its true maximum."""
    import numpy as np

    stride = max(1, int(np.ceil(len(t) / MAX_POINTS)))
    keep = set(range(0, len(t), stride)) | {len(t) - 1, int(np.argmax(c))}
    index = sorted(keep)
    return tuple(round(float(t[i]), 2) for i in index), tuple(float(f"{c[i]:.5g}") for i in index)


def compute_curves(scenario: Scenario, log: Log) -> Curves:
    """Re-compute the curves with the plume model (imports it: scipy, the engine's code)."""
    import numpy as np

    from reports.truth import chainage, run_truth, space_time_grid
    from sim.interventions import GateHold, IntakeClosed

    run = run_truth(scenario, log)
    truth = run.truth
    order = sorted(run.scenario.sites, key=lambda s: truth.sites[s.id].arrival_min or float("inf"))
    reached, unreached = [], []
    for site in order:
        seen = truth.sites[site.id]
        if seen.arrival_min is None:
            unreached.append(site.id)
            continue
        t, c = _thin(seen.t_min, seen.concentration_mg_l)
        closed = tuple(
            (i.start_min, i.end_min if i.end_min is not None else run.end_min)
            for i in run.interventions
            if isinstance(i, IntakeClosed) and i.site == site.id
        )
        held = tuple(
            (i.start_min, i.end_min if i.end_min is not None else run.end_min)
            for i in run.interventions
            if isinstance(i, GateHold) and i.site == site.id
        )
        reached.append(SiteCurve(site.id, t, c, seen.standard_mg_l, closed, held))
    km, t_min, ratio, points = space_time_grid(run)
    grid = None
    if len(km) >= 2:
        site_km = []
        for site in run.scenario.sites:
            where = chainage(run, points, km, site.reach, site.km)
            if where is not None and km[0] - 1e-9 <= where <= km[-1] + 1e-9:
                site_km.append((site.id, where))
        grid = Grid(
            tuple(km),
            tuple(t_min),
            # Three decimals are plenty for colour bins that start at 0.1× the standard.
            tuple(tuple(row) for row in np.round(ratio, 3).tolist()),
            tuple(site_km),
        )
    return Curves(run.end_min, tuple(reached), tuple(unreached), grid)


def to_data(curves: Curves) -> dict[str, Any]:
    """The curves as plain JSON values."""
    grid = curves.grid
    return {
        "end_min": curves.end_min,
        "reached": [
            {
                "site": s.site,
                "t_min": s.t_min,
                "concentration_mg_l": s.concentration_mg_l,
                "standard_mg_l": s.standard_mg_l,
                "closed": s.closed,
                "held": s.held,
            }
            for s in curves.reached
        ],
        "unreached": curves.unreached,
        "grid": None
        if grid is None
        else {"km": grid.km, "t_min": grid.t_min, "ratio": grid.ratio, "site_km": grid.site_km},
    }


def _spans(value: Any, what: str) -> tuple[Span, ...]:
    spans = tuple(json_numbers(v, what) for v in json_list(value, what))
    if any(len(s) != 2 for s in spans):
        raise ValueError(f"{what} must be a list of [start, end]")
    return tuple((s[0], s[1]) for s in spans)


def from_data(value: Any) -> Curves:
    """Curves from the form :func:`to_data` writes, checked field by field.

    Raises:
        ValueError: For anything else (a garbled or hand-edited file).
    """
    data = json_object(value, "curves")
    reached = []
    for item in json_list(data.get("reached"), "reached"):
        s = json_object(item, "reached[]")
        reached.append(
            SiteCurve(
                json_text(s.get("site"), "site"),
                json_numbers(s.get("t_min"), "t_min"),
                json_numbers(s.get("concentration_mg_l"), "concentration_mg_l"),
                json_number(s.get("standard_mg_l"), "standard_mg_l"),
                _spans(s.get("closed"), "closed"),
                _spans(s.get("held"), "held"),
            )
        )
        if len(reached[-1].t_min) != len(reached[-1].concentration_mg_l):
            raise ValueError("t_min and concentration_mg_l differ in length")
    grid = None
    if data.get("grid") is not None:
        g = json_object(data["grid"], "grid")
        km, t_min = json_numbers(g.get("km"), "km"), json_numbers(g.get("t_min"), "t_min")
        ratio = tuple(json_numbers(row, "ratio") for row in json_list(g.get("ratio"), "ratio"))
        if len(ratio) != len(t_min) or any(len(row) != len(km) for row in ratio):
            raise ValueError("grid.ratio must be t_min × km")
        site_km = []
        for pair in json_list(g.get("site_km"), "site_km"):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError("site_km must be a list of [site, km]")
            site_km.append((json_text(pair[0], "site_km"), json_number(pair[1], "site_km")))
        grid = Grid(km, t_min, ratio, tuple(site_km))
    unreached = tuple(
        json_text(s, "unreached") for s in json_list(data.get("unreached"), "unreached")
    )
    return Curves(json_number(data.get("end_min"), "end_min"), tuple(reached), unreached, grid)


def stamp_of(scenario: Scenario, log_sha256: str) -> dict[str, Any]:
    """What stored curves must have been computed from to be reused: the log (its SHA-256
    covers the seed, the variant drawn and every intervention), the scenario as loaded and
    the engine's code and libraries."""
    return {
        "log_sha256": log_sha256,
        "scenario_sha256": sha256_text(scenario.model_dump_json()),
        "engine_sha256": engine_fingerprint(),
    }


def curves_of(run_dir: Path | None, scenario: Scenario, log: Log, log_sha256: str | None) -> Curves:
    """The run's curves: from ``run_dir/curves.json`` when it is current, else re-computed
    and stored there (a directory that cannot be written to only misses the cache).

    Without a run directory or the log's SHA-256 nothing is read or stored; the curves still
    go through their stored form, so the report reads the same.
    """
    path = Path(run_dir) / CURVES_FILE if run_dir is not None else None
    stamp = stamp_of(scenario, log_sha256) if log_sha256 else None
    if path is not None and stamp is not None:
        stored = read_stored(path, stamp, from_data)
        if stored is not None:
            return stored
    content = as_stored(to_data(compute_curves(scenario, log)))
    if path is not None and stamp is not None:
        # Compact: some 50 000 numbers, one per line would triple the file.
        write_stored(path, stamp, content, indent=None)
    return from_data(content)


__all__ = [
    "CURVES_FILE",
    "Curves",
    "Grid",
    "SiteCurve",
    "compute_curves",
    "curves_of",
    "from_data",
    "stamp_of",
    "to_data",
]
