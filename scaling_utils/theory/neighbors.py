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

The mean absolute error has no closed form, but the same average
:math:`L_1(D) = \mathbb E_r\, g(r)`, :math:`g(s) = \mathbb E_{x,u}|f(x) - f(x + s u)|` (u a uniform
direction) is a smooth one-dimensional integral over r once :math:`g` is known; :func:`one_nn_l1`
computes :math:`g` by quasi-Monte Carlo over :math:`(x, u)` on a grid of :math:`s`.

**Embedded torus** [derived]. Under the isometric (Clifford) embedding, ambient distances are chords,
:math:`|\Phi(x) - \Phi(x')| = r\,(1 - \tfrac{\pi^2}{6} r^2 \sum_i u_i^4 + O(r^4))`, and
:math:`\mathbb E\sum_i u_i^4 = 3/(d+2)` for a uniform direction, so the mean ambient
nearest-neighbour distance is :math:`\mathbb E r - \frac{\pi^2}{2(d+2)}\mathbb E r^3` up to
:math:`O(\mathbb E r^5)` (:func:`chordal_nn_distance_mean`).

**Theorem 2 bound** [paper]. For Lipschitz :math:`f` (constant :math:`K_f`),
:math:`|f(x) - f(x_{\rm NN})| \le K_f r`, so :math:`L_1 \le K_f\,\mathbb E r \propto D^{-1/d}`.

**Cell models** (Theorem 3 [paper], constants [derived]). With :math:`P` parameters spent on a
grid of cubic cells of side :math:`h` and infinite data, a constant per cell (:math:`P = h^{-d}`)
leaves :math:`\mathrm{MSE} \simeq \mathbb E|\nabla f|^2 h^2/12`; the best affine function per cell
(:math:`P = (d+1)h^{-d}`) leaves the part of the quadratic Taylor term orthogonal to affine
functions, :math:`\mathrm{MSE} \simeq c_H h^4`
(:attr:`~scaling_utils.data.manifolds.FourierTarget.hessian_cell_constant`). For a Fourier target
both are exact at every :math:`h = 1/m` (:func:`cell_model_mse_exact`): per mode, the cell mean keeps
the fraction :math:`S^2 = \prod_j \mathrm{sinc}^2(k_j h)` of its power and the affine part a further
:math:`12\sum_i G_i^2/h^2` with :math:`G_i = \frac h2\,\frac{\sin u_i - u_i\cos u_i}{u_i^2}
\prod_{j\ne i}\mathrm{sinc}(k_j h)`, :math:`u_i = \pi k_i h`; different modes do not mix once
:math:`m > 2\max|k_j|` (no aliasing on the grid of cell centres).

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
    check_seed,
    require_finite,
)

__all__ = [
    "ball_volume",
    "cell_model_mse",
    "cell_model_mse_exact",
    "chordal_nn_distance_mean",
    "isotropic_characteristic",
    "linear_interpolation_mse_1d",
    "lipschitz_l1_bound",
    "nn_distance_moment",
    "nn_distance_survival",
    "nn_distance_weibull",
    "nn_expectation",
    "one_nn_l1",
    "one_nn_mse",
    "one_nn_mse_leading",
    "sinc_moment",
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


def _fourier_modes(frequencies: Any, amplitudes: Any, phases: Any | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = as_float_array("frequencies", frequencies, ndim=2)
    if np.any(k != np.round(k)):
        raise ValueError("frequencies must be integer vectors")
    a = as_float_array("amplitudes", amplitudes, ndim=1)
    phi = np.zeros(len(a)) if phases is None else as_float_array("phases", phases, ndim=1)
    if not len(k) == len(a) == len(phi):
        raise ValueError(f"frequencies, amplitudes and phases must have one row per mode "
                         f"({len(k)}, {len(a)}, {len(phi)})")
    return k, a, phi


def one_nn_l1(D: Any, d: int, frequencies: Any, amplitudes: Any, phases: Any, *, n_points: int = 2**13,
              grid: int = 48, seed: int = 0) -> np.ndarray:
    """Population mean absolute error of 1-NN regression of a Fourier target on the torus.

    :math:`L_1(D) = \\mathbb E_r\\, g(r)` with :math:`g(s) = \\mathbb E_{x,u}|f(x) - f(x + s u)|`,
    :math:`x` uniform on the torus, :math:`u` a uniform unit direction independent of it, and r under
    the exact distance law (:func:`nn_expectation`). :math:`g` is evaluated on ``grid`` log-spaced
    distances by a scrambled Sobol rule of ``n_points`` nodes in :math:`(x, u)` (the same nodes at
    every distance, so :math:`g` is smooth in s), and interpolated by a cubic spline of
    :math:`g(s)/s` in :math:`\\log s` (constant below the grid, where :math:`g` is linear in s).
    The differences are formed as :math:`2\\sin(\\theta + \\tfrac{s\\omega}{2})\\sin\\tfrac{s\\omega}{2}`,
    accurate at small s. Accuracy: the spread over scrambles (``seed``) is a relative
    :math:`10^{-3}` to :math:`10^{-2}` — largest at small D, where r is large and the rule sees
    :math:`|f(x) - f(x')|` of nearly independent points — and it changes slowly with D, so a
    fitted exponent moves by only :math:`10^{-4}` to :math:`5\\times 10^{-4}` (8-mode targets,
    d = 3 to 6, D from 30 to :math:`10^5`). Deterministic for a given ``seed``.

    ``frequencies`` (M, d) integer, ``amplitudes`` and ``phases`` (M,), as in
    :class:`~scaling_utils.data.manifolds.FourierTarget`.
    """
    from scipy.interpolate import CubicSpline
    from scipy.stats import qmc

    D = _sizes(D)
    if D.size == 0:
        raise ValueError("D must hold at least one training-set size")
    d = check_positive_int("d", d)
    k, a, phi = _fourier_modes(frequencies, amplitudes, phases)
    if k.shape[1] != d:
        raise ValueError(f"frequencies must have d = {d} columns (got {k.shape[1]})")
    n_points = check_positive_int("n_points", n_points, minimum=64)
    grid = check_positive_int("grid", grid, minimum=8)
    seed = check_seed("seed", seed)
    check_budget("one_nn_l1", nbytes=8.0 * n_points * (2 * d + 4 * len(a)),
                 work=float(grid) * n_points * len(a) * 30, iterations=grid)
    nodes = qmc.Sobol(2 * d, scramble=True, seed=seed).random(n_points)
    x = nodes[:, :d]
    z = special.ndtri(np.clip(nodes[:, d:], 1e-12, 1 - 1e-12))
    u = z / np.linalg.norm(z, axis=1, keepdims=True)
    theta = 2 * np.pi * x @ k.T + phi  # (n, M)
    proj = 2 * np.pi * u @ k.T  # (n, M): ω_m · u
    scale = (D * ball_volume(d)) ** (-1 / d)
    s_grid = np.geomspace(1e-3 * scale.min(), (60.0 / (D.min() * ball_volume(d))) ** (1 / d), grid)
    g = np.empty(grid)
    for i, s in enumerate(s_grid):  # loop over distances; vectorized over nodes and modes
        half = s * proj / 2
        g[i] = np.abs((2 * np.sin(theta + half) * np.sin(half)) @ a).mean()
    spline = CubicSpline(np.log(s_grid), g / s_grid)

    def g_of(s: np.ndarray) -> np.ndarray:
        return s * spline(np.log(np.clip(s, s_grid[0], s_grid[-1])))

    return nn_expectation(g_of, D, d)


def sinc_moment(u: Any) -> np.ndarray:
    """:math:`(\\sin u - u\\cos u)/u^2` (the first moment of a Fourier mode over a cell), with its series
    :math:`u/3 - u^3/30` near 0."""
    u = as_float_array("u", u)
    small = np.abs(u) < 1e-3
    us = np.where(small, 1.0, u)
    return np.where(small, u / 3 - u**3 / 30, (np.sin(us) - us * np.cos(us)) / us**2)


def chordal_nn_distance_mean(D: Any, d: int) -> np.ndarray:
    """Mean ambient nearest-neighbour distance on the isometrically embedded (Clifford) torus.

    :math:`\\mathbb E r - \\frac{\\pi^2}{2(d+2)}\\mathbb E r^3` with the exact moments of
    :func:`nn_distance_moment`: the chord :math:`\\sqrt{\\sum_i(\\sin\\pi\\Delta_i/\\pi)^2}` to first
    order in :math:`r^2`, averaged over a uniform direction. The neglected terms are
    :math:`O(\\mathbb E r^5)` (including the rare case where the chordal nearest neighbour is not the
    flat one).
    """
    d = check_positive_int("d", d)
    return nn_distance_moment(D, d, 1) - np.pi**2 / (2 * (d + 2)) * nn_distance_moment(D, d, 3)


def cell_model_mse_exact(cells_per_side: Any, frequencies: Any, amplitudes: Any, order: int) -> np.ndarray:
    """Exact population MSE of the infinite-data cell model of a Fourier target, for each m.

    The torus is cut into :math:`m^d` cubes of side :math:`h = 1/m`; ``order=0`` keeps the cell
    mean, ``order=1`` the best affine function per cell. Per mode, the kept power is
    :math:`a^2 S^2/2` with :math:`S = \\prod_j \\mathrm{sinc}(k_j h)`, plus (affine)
    :math:`a^2/2 \\cdot 12\\sum_i G_i^2/h^2`; the MSE is the total power :math:`\\sum a^2/2` minus the
    kept power (see the module docstring). Exact when ``m > 2 max|k_j|`` (no two modes alias on the
    grid of cell centres); smaller m is a ValueError. The leading order is :func:`cell_model_mse`.
    """
    k, a, _ = _fourier_modes(frequencies, amplitudes)
    order = check_choice("order", order, [0, 1])
    m = as_float_array("cells_per_side", cells_per_side, positive=True)
    if np.any(m != np.round(m)) or np.any(m <= 2 * np.abs(k).max()) or np.any(m >= MAX_INT):
        raise ValueError(f"cells_per_side must be integers > 2 max|k| = {2 * np.abs(k).max():g} and < 2^53 "
                         f"(got {np.unique(m)})")
    h = 1.0 / m[..., None, None]  # (..., 1, 1) against modes × axes
    sinc = np.sinc(k * h)  # (..., M, d)
    kept = sinc.prod(-1) ** 2
    if order == 1:
        moment = sinc_moment(np.pi * k * h)
        d = k.shape[1]
        others = np.stack([np.prod(np.delete(sinc, i, axis=-1), axis=-1) for i in range(d)], axis=-1)
        gi = (h / 2) * moment * others  # (..., M, d)
        kept = kept + 12 * (gi**2).sum(-1) / h[..., 0] ** 2
    return (a**2 / 2 * (1 - kept)).sum(-1)
