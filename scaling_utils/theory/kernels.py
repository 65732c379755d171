r"""Spectral learning curves of kernel regression (Bordelon, Canatar, Pehlevan 2020).

Kernel ridge regression with eigenvalues :math:`\lambda_k` of the kernel's integral operator,
target coefficients :math:`v_k` in its eigenbasis, :math:`D` samples, ridge :math:`\delta` on the
unnormalized Gram matrix (predictor :math:`k_x^\top(K+\delta I)^{-1}y`) and label-noise
variance :math:`\sigma^2`. The self-consistent effective ridge κ solves

.. math:: \kappa = \delta + \kappa\sum_k \frac{\lambda_k}{D\lambda_k + \kappa},
   :label: bcp-kappa

and with :math:`\gamma = \sum_k D\lambda_k^2/(D\lambda_k+\kappa)^2` the generalization error
(against the clean target) is

.. math:: E_g = \frac{1}{1-\gamma}\Bigl[\sum_k \frac{\kappa^2 v_k^2}{(D\lambda_k+\kappa)^2} + \sigma^2\gamma\Bigr].

A mode is learned once :math:`D\lambda_k \gg \kappa`; ridgeless (:math:`\delta = 0`), κ is set
by :math:`\sum_k D\lambda_k/(D\lambda_k+\kappa) = D`: the effective number of learned modes is D.

**Tails.** Spectra are given as a finite list; the modes beyond it (total eigenvalue mass
``tail``, total target power ``target_tail``) have :math:`D\lambda_k \ll \kappa` and enter only
as :math:`\kappa\sum_{\rm tail}\lambda_k/(D\lambda_k+\kappa) \approx` ``tail`` in the κ equation
and as :math:`v_k^2` (unlearned) in the error; their :math:`O(D\lambda_k^2/\kappa^2)`
contribution to γ is dropped.

**Power laws.** For :math:`\lambda_k = a k^{-b}` and :math:`v_k^2 \propto k^{-c}`, the ridgeless
error decays as :math:`D^{-\min(c-1,\,2b)}` (:func:`ridgeless_exponent`). A target drawn from the
kernel's own prior has :math:`v_k^2 = \lambda_k` (c = b); then the continuum limit gives
:math:`\kappa \simeq a D (c_b/D)^b`, :math:`\gamma \simeq 1 - 1/b` and

.. math:: E_g \simeq a\, c_b^{\,b}\, D^{-(b-1)}, \qquad c_b = \frac{\pi/b}{\sin(\pi/b)}

(:func:`asymptotic_error`) — the same constant as the random-feature model's
:math:`c_\alpha` with :math:`b = 1+\alpha`. Everything is vectorized over grids of D and δ. In
:math:`z = \kappa/D` every sum above is a spectral sum at ridge z, so the κ equation is solved
and the error evaluated for the whole grid on one
:class:`~scaling_utils.theory.spectral_sums.SpectralSums` (a few hundred passes over the
spectrum, whatever the grid's size).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array, check_budget, check_in_range, require_finite
from .spectral_sums import SpectralSums, _df_pair, _gap, exact_sums, solve_monotone

__all__ = ["LearningCurve", "asymptotic_error", "c_b", "extrapolate_pool", "learning_curve", "ridgeless_exponent",
           "solve_kappa"]

def _spectrum(eigenvalues: Any) -> np.ndarray:
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    if lam.size == 0:
        raise ValueError("eigenvalues must be non-empty")
    return lam


def _solve(lam: np.ndarray, weights: np.ndarray, D: np.ndarray, shift: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`z = \kappa/D` and the spectral sums at z, for flattened D and shift = δ + tail.

    In z, :math:`\sum_k \lambda_k/(D\lambda_k+\kappa) = \mathrm{Df}_1(z)/D`, so :eq:`bcp-kappa`
    reads :math:`h(z) = 1 - \mathrm{Df}_1(z)/D - \mathrm{shift}/(Dz) = 0`, with h increasing in
    z; the whole grid is solved on one :class:`~scaling_utils.theory.spectral_sums.SpectralSums`
    (``weights`` row 0 all ones). z = 0 where shift = 0 and D ≥ the number of modes (every
    mode learned).
    """
    z = np.zeros(D.shape)
    n_modes = lam.size
    todo = np.flatnonzero((shift > 0) | (D < n_modes))
    if todo.size == 0:
        return z, exact_sums(lam, weights, z)
    Dt, st = D[todo], shift[todo]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        lo = np.where(st > 0, st / Dt, lam.min() * np.maximum(0.5 * (n_modes / Dt - 1.0), 0.0))  # h(lo) <= 0
        hi = 2.0 * (lam.sum() + st) / Dt + lo                                                   # h(hi) > 0
    if not (np.all(lo > 0) and np.all(np.isfinite(hi)) and np.all(np.isfinite(weights.sum(axis=1)))):
        raise ValueError("eigenvalues, n_samples, ridge, tail and target_power put the effective ridge κ outside the "
                         "floating-point range (some are too large or too small)")
    sums = SpectralSums(lam, weights, lo.min(), hi.max())

    def h(zz, df, sel):
        return _gap(Dt[sel], df, n_modes) / Dt[sel] - st[sel] / (Dt[sel] * zz)   # 1 − Df1/D − shift/(Dz)

    panels = np.full(D.shape, -1)
    z[todo], panels[todo] = solve_monotone(h, sums, lo, hi, sign_lo=-1.0)
    return z, sums(z, panels)


def _grid(n_samples: Any, ridge: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    D = as_float_array("n_samples", n_samples, positive=True)
    delta = as_float_array("ridge", ridge, nonnegative=True)
    try:
        D, delta = np.broadcast_arrays(D, delta)
    except ValueError as exc:
        raise ValueError(f"n_samples {D.shape} and ridge {delta.shape} must broadcast") from exc
    check_budget("the learning-curve grid", nbytes=8.0 * 40 * D.size)
    return D.ravel().astype(float), delta.ravel().astype(float), D.shape


def solve_kappa(eigenvalues: Any, n_samples: Any, ridge: Any = 0.0, *, tail: float = 0.0) -> np.ndarray:
    r"""Effective ridge κ of :eq:`bcp-kappa`, broadcast over ``n_samples`` (D > 0) and ``ridge`` (δ ≥ 0).

    ``tail`` ≥ 0 is the eigenvalue mass of the modes not listed. Ridgeless with no tail and
    D ≥ number of modes, every mode is learned and κ = 0.

    Example
    -------
    >>> lam = np.arange(1, 10001) ** -2.0
    >>> k = solve_kappa(lam, [10, 100])
    >>> bool(np.isclose((lam / (100 * lam + k[1])).sum(), 1.0))   # ridgeless: Σ λ/(Dλ+κ) = 1
    True
    """
    lam = _spectrum(eigenvalues)
    tail = check_in_range("tail", tail, low=0)
    D, delta, shape = _grid(n_samples, ridge)
    z, _ = _solve(lam, np.ones((1, lam.size)), D, delta + tail)
    return (D * z).reshape(shape)


@dataclass(frozen=True)
class LearningCurve:
    """Result of :func:`learning_curve`: ``error`` E_g, effective ridge ``kappa`` and ``gamma``."""

    error: np.ndarray
    kappa: np.ndarray
    gamma: np.ndarray


def learning_curve(eigenvalues: Any, target_power: Any, n_samples: Any, ridge: Any = 0.0, *,
                   noise: float = 0.0, tail: float = 0.0, target_tail: float = 0.0) -> LearningCurve:
    r"""Bordelon–Canatar–Pehlevan generalization error on a grid of D and δ.

    Parameters
    ----------
    eigenvalues : (K,) kernel eigenvalues λ_k > 0.
    target_power : scalar or (K,) target powers :math:`v_k^2` ≥ 0 (use ``eigenvalues`` for a
        target drawn from the kernel's prior).
    n_samples, ridge : D > 0 and δ ≥ 0, broadcast against each other.
    noise : label-noise variance σ² ≥ 0.
    tail, target_tail : eigenvalue mass and target power of the modes beyond the list.

    Example
    -------
    >>> lam = np.arange(1, 20001) ** -2.0
    >>> E = learning_curve(lam, lam, [100, 200]).error
    >>> bool(1.9 < E[0] / E[1] < 2.1)   # E ∝ D^-(b-1) = D^-1
    True
    """
    lam = _spectrum(eigenvalues)
    v2 = as_float_array("target_power", target_power, ndim=(0, 1), nonnegative=True)
    if v2.ndim == 1 and v2.size != lam.size:
        raise ValueError(f"target_power must be a scalar or have one entry per entry of eigenvalues ({lam.size}), "
                         f"got {v2.size}")
    v2 = np.broadcast_to(v2, lam.shape)
    noise = check_in_range("noise", noise, low=0)
    tail = check_in_range("tail", tail, low=0)
    target_tail = check_in_range("target_tail", target_tail, low=0)
    D, delta, shape = _grid(n_samples, ridge)
    z, sums = _solve(lam, np.stack([np.ones(lam.size), v2]), D, delta + tail)
    gamma = sums[:, 1, 0] / D          # Σ Dλ²/(Dλ+κ)² = Df2(z)/D
    bias = sums[:, 3, 1]               # Σ v²κ²/(Dλ+κ)² = Σ v²(1 - r)², r = λ/(λ+z)
    df = _df_pair(sums)                                   # Df1 and its complement Σ(1 − r)
    one_minus_gamma = (_gap(D, df, lam.size) + sums[:, 2, 0]) / D      # (D − Df2)/D, no cancellation
    kappa = D * z
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):   # γ = 1 (ridgeless, D = number of modes)
        error = np.where(one_minus_gamma > 0, (bias + target_tail + noise * gamma) / one_minus_gamma, np.inf)
    if np.any(~np.isfinite(error) & (one_minus_gamma > 0)):
        raise ValueError("target_power, target_tail and noise are too large: the error overflows")
    return LearningCurve(error.reshape(shape), kappa.reshape(shape), gamma.reshape(shape))


def c_b(b: float) -> float:
    r""":math:`c_b = (\pi/b)/\sin(\pi/b)` for a spectrum :math:`\lambda_k \propto k^{-b}`, b > 1."""
    b = check_in_range("b", b, low=1, low_open=True)
    return float((np.pi / b) / np.sin(np.pi / b))


def ridgeless_exponent(b: float, c: float | None = None) -> float:
    r"""Decay exponent of the ridgeless error for :math:`\lambda_k \propto k^{-b}`,
    :math:`v_k^2 \propto k^{-c}`: :math:`\min(c-1, 2b)`; ``c`` defaults to b (target from the prior)."""
    b = check_in_range("b", b, low=1, low_open=True)
    c = b if c is None else check_in_range("c", c, low=1, low_open=True)
    return float(min(c - 1, 2 * b))


def asymptotic_error(n_samples: Any, b: float, amplitude: float = 1.0) -> np.ndarray:
    r"""Ridgeless large-D error :math:`a\,c_b^{\,b}D^{-(b-1)}` for :math:`v_k^2 = \lambda_k = a k^{-b}`."""
    D = as_float_array("n_samples", n_samples, positive=True)
    amplitude = check_in_range("amplitude", amplitude, low=0, low_open=True)
    with np.errstate(over="ignore", under="ignore"):
        return require_finite("the asymptotic error", amplitude * c_b(b) ** b * D ** (1 - b),
                              "amplitude, b or n_samples overflow")


def extrapolate_pool(error: Any, error_half: Any) -> np.ndarray:
    r"""A pool-based learning curve extrapolated to an infinite pool: :math:`2E_n - E_{n/2}`.

    :func:`learning_curve` on the eigen-decomposition of a finite pool of n points predicts the
    error under the pool's own measure, which falls to zero as D → n. If the pool's finiteness
    shifts the prediction by an amount proportional to 1/n,
    :math:`E_n(D) = E_\infty(D) + a(D)/n + O(n^{-2})`, then the predictions from the pool and
    from half of it eliminate the first-order term (Richardson extrapolation):
    :math:`E_\infty(D) = 2E_n(D) - E_{n/2}(D) + O(n^{-2})`. Meaningful for D well below n/2.

    >>> float(extrapolate_pool(0.3 + 1 / 400, 0.3 + 1 / 200))
    0.3
    """
    e = as_float_array("error", error, nonnegative=True)
    h = as_float_array("error_half", error_half, nonnegative=True)
    if e.shape != h.shape:
        raise ValueError(f"error and error_half must have the same shape (got {e.shape} and {h.shape})")
    with np.errstate(over="ignore"):
        return require_finite("the extrapolated error", 2.0 * e - h, "error is so large that 2 * error overflows")
