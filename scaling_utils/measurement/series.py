r"""The constants of a law whose exponents are known: :math:`L(n) = \sum_j c_j\, n^{-p_j}`.

Where theory fixes the exponent and leaves the constant open — the variance-limited excess
:math:`L(n) - L_\infty = c_1 n^{-1} + c_2 n^{-2} + \dots` — the measurement is the constant
:math:`c_1 = \lim_{n\to\infty} n\,(L(n) - L_\infty)`, and the next powers absorb the finite-size
correction instead of biasing it.

The model is linear in the :math:`c_j`: weighted least squares of the seed mean
:math:`\bar L(n_k)` on the basis :math:`n_k^{-p_j}`, each size weighted by :math:`1/\mathrm{se}_k^2`.
Intervals treat the seed as the unit of independence, as :func:`~scaling_utils.measurement.fitting.fit_power_law`
does: leave one seed out, refit (weights included), and take the Student-t interval of the
jackknife (:func:`~scaling_utils.measurement.fitting.jackknife_interval`). For a fit that is linear
in the seed means this is the usual standard error with :math:`S - 1` degrees of freedom; its coverage
is measured in ``tests/test_series.py`` at every seed count the ledger accepts from 3 up (and on
nested least-squares learning curves at 32 seeds); it needs at least 3 seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..validation import as_float_array, check_in_range, require_finite
from .fitting import jackknife_interval

__all__ = ["SeriesFit", "fit_inverse_powers"]


@dataclass(frozen=True)
class SeriesFit:
    r"""A fitted expansion :math:`L(n) = \sum_j c_j n^{-p_j}` and how it was obtained.

    Attributes
    ----------
    powers : the exponents :math:`p_j` (given, not fitted).
    coefficients : the :math:`c_j`, shape (len(powers),).
    intervals : (len(powers), 2) Student-t jackknife intervals over seeds.
    n, mean, stderr : the sizes and the seed mean with its standard error.
    chi2_dof : weighted χ² per degree of freedom of the seed mean about the fit.
    level : the intervals' confidence level; seeds : the number of seeds.
    """

    powers: tuple[float, ...]
    coefficients: np.ndarray
    intervals: np.ndarray
    n: np.ndarray = field(repr=False)
    mean: np.ndarray = field(repr=False)
    stderr: np.ndarray = field(repr=False)
    chi2_dof: float = float("nan")
    level: float = 0.95
    seeds: int = 2

    def predict(self, n: Any) -> np.ndarray:
        r""":math:`\sum_j c_j n^{-p_j}` at sizes ``n``."""
        n = as_float_array("n", n, positive=True)
        with np.errstate(over="ignore", invalid="ignore"):
            value = sum(c * n ** (-p) for c, p in zip(self.coefficients, self.powers, strict=True))
        return require_finite("the prediction", value, "n is so small that a power n^-p overflows")


def _solve(basis: np.ndarray, mean: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares of ``mean`` (..., K) on ``basis`` (K, J); returns (coefficients, χ²)."""
    w = 1 / se  # (..., K)
    a = basis * w[..., :, None]
    b = (mean * w)[..., None]
    coef = np.linalg.solve(np.swapaxes(a, -1, -2) @ a, np.swapaxes(a, -1, -2) @ b)[..., 0]
    chi2 = np.sum(((mean - coef @ basis.T) * w) ** 2, axis=-1)
    return coef, chi2


def fit_inverse_powers(n: Any, losses: Any, powers: Any = (1.0, 2.0), *, level: float = 0.95) -> SeriesFit:
    r"""Fit :math:`L(n) = \sum_j c_j n^{-p_j}` with known powers; jackknife-t intervals over seeds.

    Parameters
    ----------
    n : sizes, 1-d, positive, strictly increasing; more sizes than powers.
    losses : (seeds, sizes) excess losses :math:`L - L_\infty`, one row per seed, at least 3 seeds
        (each leave-one-seed-out fit needs its own weights), with a nonzero spread over seeds at
        every size (the weights are :math:`1/\mathrm{se}^2`).
    powers : the exponents :math:`p_j`, distinct and positive (default: 1 and 2, the
        variance-limited constant and its first correction).
    level : confidence level of the intervals, in (0, 1).

    Returns
    -------
    SeriesFit

    Examples
    --------
    >>> n = np.array([10.0, 20, 40, 80, 160])
    >>> rng = np.random.default_rng(0)
    >>> losses = (3 / n + 5 / n**2) * (1 + 0.01 * rng.standard_normal((8, 5)))
    >>> fit = fit_inverse_powers(n, losses)
    >>> round(float(fit.coefficients[0]), 1)
    3.0
    """
    n = as_float_array("n", n, ndim=1, positive=True)
    if np.any(np.diff(n) <= 0):
        raise ValueError("n must be strictly increasing")
    powers = as_float_array("powers", powers, ndim=1, positive=True)
    if powers.size == 0 or np.unique(powers).size != powers.size:
        raise ValueError(f"powers must be distinct positive exponents (got {powers.tolist()})")
    if n.size <= powers.size:
        raise ValueError(f"need more sizes than powers to fit: {n.size} sizes for {powers.size} powers")
    losses = as_float_array("losses", losses, ndim=2)
    if losses.shape[1] != n.size:
        raise ValueError(f"losses must have one column per size: n has {n.size} sizes, "
                         f"losses has shape {losses.shape}")
    seeds = losses.shape[0]
    if seeds < 3:
        raise ValueError(f"losses must hold at least 3 seeds: the weights of every leave-one-out fit "
                         f"need a spread over the seeds left (got {seeds})")
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)

    def mean_se(curves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return curves.mean(-2), curves.std(-2, ddof=1) / np.sqrt(curves.shape[-2])

    with np.errstate(over="ignore", invalid="ignore"):
        mean, se = mean_se(losses)
    require_finite("the seed mean and its standard error", (mean, se), "losses are so large that they overflow")
    keep = ~np.eye(seeds, dtype=bool)  # row s: every seed but s
    loo_mean, loo_se = mean_se(losses[np.nonzero(keep)[1].reshape(seeds, seeds - 1)])
    if np.any(se <= 0) or np.any(loo_se <= 0):
        raise ValueError("losses must vary over seeds at every size (with any one seed left out): "
                         "the weights are 1/se²")
    basis = n[:, None] ** -powers[None, :]
    coef, chi2 = _solve(basis, mean, se)
    loo, _ = _solve(basis, loo_mean, loo_se)
    intervals = np.array([jackknife_interval(c, loo[:, j], level) for j, c in enumerate(coef)])
    return SeriesFit(powers=tuple(float(p) for p in powers), coefficients=coef, intervals=intervals, n=n,
                     mean=mean, stderr=se, chi2_dof=float(chi2 / (n.size - powers.size)), level=level,
                     seeds=seeds)
