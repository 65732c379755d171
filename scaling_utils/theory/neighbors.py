r"""Nearest-neighbour geometry and the errors of local models on the flat torus (no sampling).

Setting: :math:`D` training points uniform on the unit-volume torus :math:`[0,1)^d`, a query point
:math:`x` independent of them, :math:`r = |x - x_{\rm NN}|` its distance to the nearest one.

**Distance law** [derived]. The ball of radius :math:`s \le 1/2` around :math:`x` does not wrap
around the torus and has volume :math:`V_d s^d`, :math:`V_d = \pi^{d/2}/\Gamma(d/2+1)`, so exactly

.. math::  P(r > s) = (1 - V_d s^d)^D \approx \exp(-D V_d s^d) \qquad (s \le 1/2),

a Weibull law with shape :math:`d` and scale :math:`(D V_d)^{-1/d}` at large :math:`D`. Its moments are

.. math::  \mathbb E r^k = V_d^{-k/d}\,\Gamma(1 + k/d)\,\frac{\Gamma(D+1)}{\Gamma(D+1+k/d)}
           \;\simeq\; \Gamma(1 + k/d)\,(D V_d)^{-k/d},

exact up to the probability :math:`(1 - V_d 2^{-d})^D` that :math:`r > 1/2` (negligible for the
sizes used here) — the :math:`D^{-1/d}` of Bahri et al.'s Theorem 2.

**1-NN regression** [derived]. The displacement :math:`\delta = x_{\rm NN} - x` is isotropic and
independent of :math:`x` (the torus is homogeneous), so for a Fourier target
:math:`f = \sum_m a_m\cos(2\pi k_m\cdot x + \phi_m)` with orthogonal modes the MSE of predicting
:math:`f(x_{\rm NN})` is exactly

.. math::  L_2(D) = \sum_m a_m^2\,\bigl(1 - \mathbb E_r\,\Omega_d(\omega_m r)\bigr), \qquad
           \Omega_d(t) = \Gamma(d/2)\,(2/t)^{d/2-1} J_{d/2-1}(t),

with :math:`\omega_m = 2\pi|k_m|` and :math:`\Omega_d` the characteristic function of a uniform unit
direction. Expanding :math:`1 - \Omega_d(t) = t^2/2d + O(t^4)` gives the leading order

.. math::  L_2 \simeq \mathbb E|\nabla f|^2\,\mathbb E r^2 / d \propto D^{-2/d}.

**Theorem 2 bound** [paper]. For Lipschitz :math:`f` (constant :math:`K_f`),
:math:`|f(x) - f(x_{\rm NN})| \le K_f r`, so :math:`L_1 \le K_f\,\mathbb E r \propto D^{-1/d}`.

**Cell models** (Theorem 3 [paper], constants [derived]). With :math:`P` parameters spent on a
grid of cubic cells of side :math:`h` and infinite data, a constant per cell (:math:`P = h^{-d}`)
leaves :math:`\mathrm{MSE} \simeq \mathbb E|\nabla f|^2 h^2/12`; the best affine function per cell
(:math:`P = (d+1)h^{-d}`) leaves the part of the quadratic Taylor term orthogonal to affine
functions, :math:`\mathrm{MSE} \simeq c_H h^4`
(:attr:`~scaling_utils.data.manifolds.FourierTarget.hessian_cell_constant`).

**Piecewise-linear interpolation, d = 1** [derived]. A query falls in a gap of length :math:`h`
with probability :math:`\propto h` (size bias) at a uniform position :math:`t`; the error is
:math:`-f''\,t(h-t)/2`, and averaging over Dirichlet spacings gives
:math:`\mathrm{MSE} \simeq \mathbb E f''^2 / [(D+1)(D+2)(D+3)(D+4)] \propto D^{-4}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special, stats

from ..validation import (
    MAX_INT,
    InputTypeError,
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    require_finite,
)

__all__ = [
    "ball_volume",
    "cell_model_mse",
    "isotropic_characteristic",
    "linear_interpolation_mse_1d",
    "lipschitz_l1_bound",
    "nn_distance_moment",
    "nn_distance_survival",
    "nn_distance_weibull",
    "nn_expectation",
    "one_nn_mse",
    "one_nn_mse_leading",
]


def _sizes(D: Any) -> np.ndarray:
    D = as_float_array("D", D, positive=True)
    if np.any(D < 1) or np.any(D != np.round(D)) or np.any(D >= MAX_INT):
        raise ValueError(f"D must contain integers in [1, 2^53) (got {D!r:.80})")
    return D


def ball_volume(d: int) -> float:
    """Volume of the unit ball in :math:`\\mathbb R^d`, :math:`V_d = \\pi^{d/2}/\\Gamma(d/2 + 1)`.

    >>> round(ball_volume(2), 6)
    3.141593
    """
    d = check_positive_int("d", d)
    with np.errstate(over="ignore", invalid="ignore"):
        volume = float(np.pi ** (d / 2) / special.gamma(d / 2 + 1))
    if not 0 < volume < np.inf:
        raise ValueError(f"d={d}: the unit ball's volume is outside the floating-point range (d up to about 340)")
    return volume


def nn_distance_moment(D: Any, d: int, k: float = 1.0, *, exact: bool = True) -> np.ndarray:
    """:math:`\\mathbb E r^k` of the nearest-neighbour distance among ``D`` uniform points on the torus.

    ``exact=True``: :math:`V_d^{-k/d}\\Gamma(1+k/d)\\Gamma(D+1)/\\Gamma(D+1+k/d)` (exact while the
    neighbour is within 1/2; the ratio of Gamma functions is the inverse Pochhammer symbol, accurate
    for any D — a difference of ``gammaln`` values lost 1e-10 at D = 1e5 and all digits near 2^53);
    ``exact=False``: the Weibull limit :math:`\\Gamma(1+k/d)(DV_d)^{-k/d}`.

    >>> round(float(nn_distance_moment(9, 1)), 12)  # d = 1: E r = 1/(2(D+1))
    0.05
    """
    D = _sizes(D)
    d = check_positive_int("d", d)
    k = check_in_range("k", k, low=0, low_open=True)
    check_choice("exact", exact, [True, False])
    v = ball_volume(d)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if exact:
            out = v ** (-k / d) * special.gamma(1 + k / d) / special.poch(D + 1, k / d)
        else:
            out = special.gamma(1 + k / d) * (D * v) ** (-k / d)
    return require_finite("the moment", out, f"k={k:g} is too large for d={d} (Γ(1 + k/d) overflows)")


def nn_distance_survival(s: Any, D: int, d: int) -> np.ndarray:
    """:math:`P(r > s) = (1 - V_d s^d)^D`, exact for :math:`0 \\le s \\le 1/2`."""
    s = as_float_array("s", s, nonnegative=True)
    if np.any(s > 0.5):
        raise ValueError("s must be <= 1/2 (beyond it the ball wraps around the unit torus)")
    D = check_positive_int("D", D)
    d = check_positive_int("d", d)
    return np.clip(1 - ball_volume(d) * s**d, 0, 1) ** D


def nn_distance_weibull(D: int, d: int) -> Any:
    """The large-D law of r: a frozen ``scipy.stats.weibull_min`` with shape d, scale :math:`(DV_d)^{-1/d}`."""
    D = check_positive_int("D", D)
    d = check_positive_int("d", d)
    return stats.weibull_min(c=d, scale=(D * ball_volume(d)) ** (-1 / d))


def nn_expectation(func: Callable[[np.ndarray], np.ndarray], D: Any, d: int, *, nodes: int = 200
                   ) -> np.ndarray:
    """:math:`\\mathbb E\\, g(r)` under the exact law :math:`P(r>s) = (1-V_d s^d)^D`, for each ``D``.

    Gauss–Legendre quadrature in the scaled variable :math:`x = s (D V_d)^{1/d}`, whose density
    :math:`d\\,x^{d-1}(1 - x^d/D)^{D-1}` is smooth; truncated where :math:`x^d = 60`. ``func`` maps an
    array of distances to an array of the same shape (vectorized). Returns an array shaped like ``D``.
    """
    D = _sizes(D)
    d = check_positive_int("d", d)
    nodes = check_positive_int("nodes", nodes, minimum=8)
    if not callable(func):
        raise InputTypeError(f"func must be callable (got {func!r:.80})")
    check_budget("nn_expectation", nbytes=8.0 * (nodes * nodes + 6 * nodes * D.size), work=10.0 * nodes**3)
    xg, wg = np.polynomial.legendre.leggauss(nodes)
    Dc = D[..., None]
    xmax = np.minimum(60.0 ** (1 / d), Dc ** (1 / d))
    x = (xg + 1) / 2 * xmax
    w = wg / 2 * xmax
    dens = d * x ** (d - 1) * np.clip(1 - x**d / Dc, 0, 1) ** (Dc - 1)
    s = x * (Dc * ball_volume(d)) ** (-1 / d)
    values = func(s)
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"func must return real numbers (got {values!r:.80})") from exc
    if values.shape != s.shape or not np.all(np.isfinite(values)):
        raise ValueError(f"func must map an array of distances to finite values of the same shape {s.shape} "
                         f"(got shape {values.shape})")
    return (values * dens * w).sum(-1)


def isotropic_characteristic(t: Any, d: int) -> np.ndarray:
    """:math:`\\Omega_d(t) = \\mathbb E\\cos(t\\,u_1)` for a uniform unit vector u in :math:`\\mathbb R^d`:
    :math:`\\Gamma(d/2)(2/t)^{d/2-1}J_{d/2-1}(t)` (:math:`\\cos t` in d = 1)."""
    t = as_float_array("t", t, nonnegative=True)
    d = check_positive_int("d", d)
    nu = d / 2 - 1
    small = t < 1e-3
    ts = np.where(small, 1.0, t)
    with np.errstate(over="ignore", invalid="ignore"):
        full = special.gamma(d / 2) * (2 / ts) ** nu * special.jv(nu, ts)
        series = 1 - t**2 / (2 * d) + t**4 / (8 * d * (d + 2))
    return require_finite("the characteristic function", np.where(small, series, full),
                          f"d={d} is too large for its closed form at these t")


def _one_minus_omega(t: np.ndarray, d: int) -> np.ndarray:
    """1 − Ω_d(t), accurate also for small t."""
    series = t**2 / (2 * d) - t**4 / (8 * d * (d + 2)) + t**6 / (48 * d * (d + 2) * (d + 4))
    return np.where(t < 1e-2, series, 1 - isotropic_characteristic(t, d))


def one_nn_mse(D: Any, d: int, wavenumbers: Any, amplitudes: Any) -> np.ndarray:
    """Exact population MSE of 1-NN regression of an orthogonal-mode Fourier target on the torus.

    :math:`\\sum_m a_m^2 (1 - \\mathbb E_r \\Omega_d(\\omega_m r))`; ``wavenumbers`` are
    :math:`\\omega_m = 2\\pi|k_m|` (e.g. ``FourierTarget.wavenumbers``).
    """
    d = check_positive_int("d", d)
    om = as_float_array("wavenumbers", wavenumbers, ndim=1, positive=True)
    a = as_float_array("amplitudes", amplitudes, ndim=1)
    if om.size != a.size:
        raise ValueError(f"wavenumbers and amplitudes must have the same length ({om.size} != {a.size})")
    with np.errstate(over="ignore"):
        require_finite("the target's variance", np.sum(a**2), "amplitudes are too large (their squares overflow)")

    def g(s: np.ndarray) -> np.ndarray:
        return (a**2 * _one_minus_omega(s[..., None] * om, d)).sum(-1)

    return nn_expectation(g, D, d)


def one_nn_mse_leading(D: Any, d: int, gradient_sq_mean: float, *, exact_moment: bool = True
                       ) -> np.ndarray:
    """Leading-order 1-NN MSE :math:`\\mathbb E|\\nabla f|^2\\,\\mathbb E r^2/d`."""
    g = check_in_range("gradient_sq_mean", gradient_sq_mean, low=0)
    check_choice("exact_moment", exact_moment, [True, False])
    with np.errstate(over="ignore"):
        return require_finite("the MSE", g * nn_distance_moment(D, d, 2, exact=exact_moment) / d,
                              "gradient_sq_mean is too large (overflow)")


def lipschitz_l1_bound(D: Any, d: int, lipschitz: float) -> np.ndarray:
    """Theorem 2's bound on the 1-NN L1 error, :math:`K_f\\,\\mathbb E r`."""
    lipschitz = check_in_range("lipschitz", lipschitz, low=0)
    with np.errstate(over="ignore"):
        return require_finite("the bound", lipschitz * nn_distance_moment(D, d, 1), "lipschitz is too large (overflow)")


def linear_interpolation_mse_1d(D: Any, f2_sq_mean: float) -> np.ndarray:
    """Leading-order MSE of periodic piecewise-linear interpolation through D uniform points on the
    circle: :math:`\\mathbb E f''^2/[(D+1)(D+2)(D+3)(D+4)]`."""
    D = _sizes(D)
    f2 = check_in_range("f2_sq_mean", f2_sq_mean, low=0)
    return f2 / ((D + 1) * (D + 2) * (D + 3) * (D + 4))


def cell_model_mse(P: Any, d: int, order: int, constant: float) -> np.ndarray:
    """Leading-order population MSE of a P-parameter cell model with infinite data.

    ``order=0`` (a constant per cubic cell, :math:`P = h^{-d}`): ``constant`` is
    :math:`\\mathbb E|\\nabla f|^2` and the MSE is :math:`\\mathbb E|\\nabla f|^2 h^2/12 \\propto P^{-2/d}`.
    ``order=1`` (best affine function per cell, :math:`P = (d+1)h^{-d}`): ``constant`` is :math:`c_H`
    and the MSE is :math:`c_H h^4 \\propto P^{-4/d}`.
    """
    P = as_float_array("P", P, positive=True)
    d = check_positive_int("d", d)
    order = check_choice("order", order, [0, 1])
    constant = check_in_range("constant", constant, low=0)
    cells = P / (d + 1) if order == 1 else P
    with np.errstate(over="ignore"):
        h = cells ** (-1 / d)
        mse = constant * h**2 / 12 if order == 0 else constant * h**4
    return require_finite("the MSE", mse, "P is too small or constant too large (overflow)")
