"""Closed-form 1-D advection–dispersion–decay kernels (PLUME.md §1), per unit mass.

Every kernel returns a *mass flux density* through a section at distance ``x_m`` below a
source, per kg released: multiply by the mass (kg) to get kg/s through the section and divide
by the discharge there (m³/s) to get kg/m³. Working in mass flux makes confluence dilution
exact (flux is conserved, discharge grows) and lets one kernel serve every site downstream.

- :func:`slug_flux` — instantaneous release, the exact infinite-channel solution
  ``Q·C = u/√(4πKt)·exp(−(x−ut)²/(4Kt) − kt)``.
- :func:`release_flux` — the same, released evenly over ``duration_s`` (superposed slugs),
  in the stable erfc/erfcx form (no overflow at hundreds of km).
- :func:`transfer_cdf` — the first-passage (inverse-Gaussian)
  response used to route an already-computed flux curve further downstream: its moments add
  exactly over reaches and its grid weights sum to the decay factor, so routing keeps mass.
- :func:`support_s` — the time window outside which a kernel is below e⁻³⁶ of its peak, so
  callers evaluate only where the plume actually is.

Arguments broadcast; times are seconds after the release starts; ``t <= 0`` gives 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import erfc, erfcx

FloatArray = NDArray[np.float64]

TAIL_EXPONENT = 36.0
"""Kernels are cut where the exponent drops by this much (e⁻³⁶ ≈ 2·10⁻¹⁶ of the peak)."""

_TINY_S = 1e-200

_PASSED_A = 8.0
_NOT_YET_A = 28.0
"""Below a = −8 the erfc/erfcx bracket of :func:`_cumulative` is exactly 2.0 in float64,
above a = 28 exactly 0.0."""


def slug_flux(
    x_m: ArrayLike, t_s: ArrayLike, u_mps: ArrayLike, k_m2s: ArrayLike, decay_per_s: ArrayLike = 0.0
) -> FloatArray:
    """Mass flux density (1/s) through a section after an instantaneous unit release.

    The resident solution of PLUME.md §1.1 times Q: ``u/√(4πKt)·exp(−(x−ut)²/(4Kt) − kt)``.
    Its integral over t is exactly 1 for k = 0 and x > 0, and its peak time is
    :func:`slug_peak_time_s`.

    Args:
        x_m: Distance below the source (m), ≥ 0.
        t_s: Time since release (s).
        u_mps: Mean velocity (m/s).
        k_m2s: Longitudinal dispersion coefficient (m²/s), > 0.
        decay_per_s: First-order decay rate (1/s).

    Returns:
        Flux density per kg released, 0 where ``t_s <= 0``.
    """
    t = np.asarray(t_s, dtype=np.float64)
    # Below ~1e-200 s the product 4Kt underflows; at the source the slug is still a point.
    positive = bool(np.all(t > _TINY_S))
    if not positive:
        t = np.where(t > _TINY_S, t, 1.0)
    u = np.asarray(u_mps, dtype=np.float64)
    k4 = 4.0 * np.asarray(k_m2s, dtype=np.float64)
    shape = np.broadcast_shapes(np.shape(x_m), t.shape, u.shape, k4.shape, np.shape(decay_per_s))
    # Written with in-place ufuncs: this is the hot loop of every full-series run, and the
    # temporaries of the textbook expression cost more than the arithmetic (PLUME.md §6).
    four_kt = np.multiply(k4, t, out=np.empty(np.broadcast_shapes(k4.shape, t.shape)))
    expo = np.multiply(u, t, out=np.empty(shape))
    with np.errstate(over="ignore"):  # a huge exponent is exp(−∞) = 0, the right answer
        np.subtract(x_m, expo, out=expo)
        np.multiply(expo, expo, out=expo)
        np.divide(expo, four_kt, out=expo)
        if np.any(decay_per_s):
            expo += np.multiply(decay_per_s, t)
        np.negative(expo, out=expo)
        np.exp(expo, out=expo)
        np.sqrt(four_kt, out=four_kt)
        np.divide(expo, four_kt, out=expo)
        expo *= u / np.sqrt(np.pi)
    if not positive:
        expo[np.broadcast_to(np.asarray(t_s) <= _TINY_S, expo.shape)] = 0.0
    return expo


def slug_peak_time_s(
    x_m: ArrayLike, u_mps: ArrayLike, k_m2s: ArrayLike, decay_per_s: ArrayLike = 0.0
) -> FloatArray:
    """Exact time of the peak of :func:`slug_flux` at a fixed section (PLUME.md §1.1).

    Root of ``(u² + 4kK)·t² + 2K·t − x² = 0``.
    """
    k_m2s = np.asarray(k_m2s, dtype=np.float64)
    a = np.square(u_mps) + 4.0 * np.asarray(decay_per_s) * k_m2s
    # Rationalised form x²/(K + √(K² + a·x²)) avoids cancellation when K ≫ u·x.
    x2 = np.square(x_m)
    return np.asarray(x2 / (k_m2s + np.sqrt(k_m2s**2 + a * x2)), dtype=np.float64)


def _cumulative(
    x: FloatArray, t: FloatArray, u: FloatArray, k_m2s: FloatArray, decay: FloatArray, sign: float
) -> FloatArray:
    """Shared erfc/erfcx core of the release primitive (sign −1) and the transfer CDF (+1).

    ``½·e^{(u−v)x/(2K)}·[erfc(a) ± e^{−a²}·erfcx(b)]`` with ``v = √(u²+4kK)``,
    ``a = (x−vt)/(2√(Kt))``, ``b = (x+vt)/(2√(Kt))``. The naive ``e^{vx/K}·erfc(b)`` overflows
    past ~300 km; ``e^{−a²}·erfcx(b)`` is the same number and never does.
    """
    safe_t = np.where(t > _TINY_S, t, 1.0)
    v = np.sqrt(u * u + 4.0 * decay * k_m2s)
    root = 2.0 * np.sqrt(k_m2s * safe_t)
    a = (x - v * safe_t) / root
    b = (x + v * safe_t) / root
    # (u − v)·x/(2K) rewritten as −2kx/(u+v): no division by a possibly tiny K.
    scale = 0.5 * np.exp(-2.0 * decay * x / (u + v))
    # The bracket is exactly 2.0 where a < −8 (and b ≥ 0): erfc(a) rounds to 2 and
    # e^{−a²}·erfcx(b) ≤ e^{−64} is far below half an ulp of 2; and exactly 0.0 where
    # a > 28 (b > a there): erfc(a) and e^{−a²} both underflow to 0. A window spends most of
    # its cells in one or the other, so the special functions run only on the rest.
    passed = (a < -_PASSED_A) & (b >= 0.0)
    settled = passed | (a > _NOT_YET_A)
    with np.errstate(over="ignore"):  # a² = ∞ only multiplies a zero: e^{−∞}·erfcx(b) = 0
        if settled.any():
            scale = np.broadcast_to(scale, a.shape)
            value = scale * np.where(passed, 2.0, 0.0)
            live = np.flatnonzero(~settled)
            a, b = a.ravel()[live], b.ravel()[live]
            value.ravel()[live] = scale.ravel()[live] * (erfc(a) + sign * np.exp(-a * a) * erfcx(b))
        else:
            value = scale * (erfc(a) + sign * np.exp(-a * a) * erfcx(b))
    if sign < 0:
        value *= u / v
    return np.where(t > _TINY_S, value, 0.0)


def release_flux(
    x_m: ArrayLike,
    t_s: ArrayLike,
    duration_s: ArrayLike,
    u_mps: ArrayLike,
    k_m2s: ArrayLike,
    decay_per_s: ArrayLike = 0.0,
) -> FloatArray:
    """Mass flux density (1/s) for a unit mass released evenly over ``duration_s``.

    ``(P(t) − P(t−τ))/τ`` with ``P(t) = u·F(x,t)`` of PLUME.md §1.2 (each parcel decays over
    its own age). For a long release the flux settles at ``1/τ`` (plateau ``C = W/Q``).
    Durations shorter than 10⁻⁶ s are treated as a slug.
    """
    arrays = np.broadcast_arrays(
        *(
            np.asarray(a, dtype=np.float64)
            for a in (x_m, t_s, duration_s, u_mps, k_m2s, decay_per_s)
        )
    )
    x, t, tau, u, k_m2s, decay = arrays
    short = tau < 1e-6
    tau_safe = np.where(short, 1.0, tau)
    upper = _cumulative(x, t, u, k_m2s, decay, -1.0)
    lower = _cumulative(x, t - tau_safe, u, k_m2s, decay, -1.0)
    flux = (upper - lower) / tau_safe
    if np.any(short):
        flux = np.where(short, slug_flux(x, t, u, k_m2s, decay), flux)
    # Rounding can leave −1e-17 where both primitives have saturated; a flux is never negative.
    return np.maximum(flux, 0.0)


def release_primitive(
    x_m: ArrayLike, t_s: ArrayLike, u_mps: ArrayLike, k_m2s: ArrayLike, decay_per_s: ArrayLike = 0.0
) -> FloatArray:
    """``P(t) = u·F(x,t)``: the share of a unit slug that has passed by ``t_s`` (resident form).

    :func:`release_flux` is ``(P(t) − P(t−τ))/τ``; callers on a grid whose step divides τ
    evaluate P once and difference it with a shift.
    """
    x, t, u, k_m2s, decay = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (x_m, t_s, u_mps, k_m2s, decay_per_s))
    )
    return _cumulative(x, t, u, k_m2s, decay, -1.0)


def transfer_cdf(
    x_m: ArrayLike, t_s: ArrayLike, u_mps: ArrayLike, k_m2s: ArrayLike, decay_per_s: ArrayLike = 0.0
) -> FloatArray:
    """Fraction of a unit pulse that has passed a section ``x_m`` below by time ``t_s``.

    The first-passage (inverse-Gaussian) distribution with decay: mean x/u, variance 2Kx/u³,
    total ``e^{−2kx/(u+v)}``. Its moments add exactly over reaches, which is why routing uses
    it (PLUME.md §1.3).
    """
    x, t, u, k_m2s, decay = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (x_m, t_s, u_mps, k_m2s, decay_per_s))
    )
    return _cumulative(x, t, u, k_m2s, decay, 1.0)


def support_s(
    x_m: ArrayLike, u_mps: ArrayLike, k_m2s: ArrayLike, tail: float = TAIL_EXPONENT
) -> tuple[FloatArray, FloatArray]:
    """Times (s) between which ``(x−ut)²/(4Kt) <= tail``: where a slug is not negligible.

    Roots of ``u²t² − (2ux + 4K·tail)·t + x² = 0``. Decay only shrinks the kernel, so the
    window is conservative with it.
    """
    x = np.asarray(x_m, dtype=np.float64)
    u = np.asarray(u_mps, dtype=np.float64)
    k_m2s = np.asarray(k_m2s, dtype=np.float64)
    half_b = u * x + 2.0 * k_m2s * tail
    root = 2.0 * np.sqrt(k_m2s * tail * (u * x + k_m2s * tail))
    hi = (half_b + root) / (u * u)
    lo = np.square(x) / (half_b + root)  # = (half_b − root)/u², without the cancellation
    return lo, hi
