"""Emergency monitoring: sampling a section on a schedule and reporting what was measured.

A monitoring request puts a sampling point at a site: the first sample is taken when the
agency's crew arrives, then one every ``every`` (default 2 h) until the drill ends. What the
team gets back is the truth's concentration *at the sample time*, blurred by measurement noise,
censored at the method's detection limit and late by the method's turnaround. This is the
only way the river's truth reaches a team, so everything about it is declared here.

The numbers are typical of Chinese emergency monitoring practice (HJ 589 突发环境事件应急
监测技术规范): portable field kits first, confirmed by laboratory analysis.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.log import Kind

if TYPE_CHECKING:
    from sim.model import DrillModel

Readings = list[tuple[str, float, float | None]]
"""A sample's readings: ``(substance, standard_mg_l, measured mg/L or None)``."""

DEFAULT_EVERY_MIN = 120.0
"""Sampling interval when the request names none: the "every 2 h" of the first day."""

MIN_EVERY_MIN = 10.0
"""Shortest interval a crew can keep up (collecting, labelling, logging a sample)."""


@dataclass(frozen=True)
class Method:
    """How samples are analysed: noise, detection limit and turnaround.

    Attributes:
        name: ``field`` or ``lab`` (written in ``result_delivered``).
        sigma: Log-normal measurement noise (standard deviation of ln(measured/true)).
        detection_fraction: Detection limit as a fraction of the substance's standard.
        turnaround_min: Minutes from sampling to the result reaching the team.
    """

    name: str
    sigma: float
    detection_fraction: float
    turnaround_min: float


FIELD_KIT = Method("field", sigma=0.10, detection_fraction=0.2, turnaround_min=30.0)
"""Portable kits (colorimetric tubes, portable GC): about ±10 % repeatability, a detection
limit near a fifth of the standard (they answer "above or below the standard" well, traces
badly), a result within half an hour on the bank."""

LAB = Method("lab", sigma=0.05, detection_fraction=0.01, turnaround_min=240.0)
"""Laboratory analysis (GC-MS, ICP-MS): about ±5 %, a detection limit two orders below the
standard, but the sample must travel and queue: about 4 h door to door."""


def measure(true_mg_l: float, method: Method, standard_mg_l: float, z: float) -> float | None:
    """What the method reports for a true concentration, given one standard normal draw ``z``.

    The noise is multiplicative and median-preserving (``true·exp(σz)``): errors are
    proportional to the level measured, and a reading is never negative.

    Returns:
        The reading in mg/L, or ``None`` when it is below the detection limit.
    """
    value = max(true_mg_l, 0.0) * math.exp(method.sigma * z)
    if value < method.detection_fraction * standard_mg_l:
        return None
    return value


def sample_section(
    model: DrillModel,
    *,
    agency: str,
    cell: str,
    request_seq: int,
    site: str,
    every_min: float | None,
    lab: bool,
) -> Generator[Any, Any, None]:
    """Take a sample now and every ``every_min`` until the drill ends (a simpy process).

    Each sample is logged (``sample_taken``) and its result delivered to the requesting cell
    after the method's turnaround (``result_delivered``), one record per spilled substance.
    """
    env = model.env
    method = LAB if lab else FIELD_KIT
    interval = max(every_min or DEFAULT_EVERY_MIN, MIN_EVERY_MIN)
    noise: np.random.Generator = model.streams.generator("measurement_noise")
    audience = (cell,)

    def report_result(sample_id: str, taken_at: float, readings: Readings, _event: object) -> None:
        """Deliver a sample's readings to the requesting cell (when the turnaround ends)."""
        for substance, standard, value in readings:
            model.record(
                Kind.result_delivered,
                cell=cell,
                actor=agency,
                visible_to=audience,
                data={
                    "request_seq": request_seq,
                    "site": site,
                    "sample_id": sample_id,
                    "sampled_at_min": taken_at,
                    "substance": substance,
                    "value_mg_l": value,
                    "detection_limit_mg_l": method.detection_fraction * standard,
                    "standard_mg_l": standard,
                    "method": method.name,
                },
            )

    number = 0
    while True:
        number += 1
        sample_id = f"{site}#{request_seq}.{number}"
        taken_at = env.now
        model.record(
            Kind.sample_taken,
            cell=cell,
            actor=agency,
            visible_to=audience,
            data={"request_seq": request_seq, "site": site, "sample_id": sample_id},
        )
        readings = []
        for substance, standard, true_mg_l in model.truth.concentrations(site, taken_at):
            # One draw per reading, drawn at sampling time: the stream is consumed in the
            # order samples are taken, whatever the turnaround.
            value = measure(true_mg_l, method, standard, float(noise.standard_normal()))
            readings.append((substance, standard, value))
        # A plain timeout with a callback, not a process: one event per result instead of
        # three (results are the most frequent happening of a run).
        arrival = env.timeout(method.turnaround_min)
        arrival.callbacks.append(partial(report_result, sample_id, taken_at, readings))
        yield env.timeout(interval)
