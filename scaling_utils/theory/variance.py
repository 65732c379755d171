r"""Closed forms of the variance-limited regime (no sampling).

Bahri et al. argue that a model whose size is held fixed approaches its limit as
:math:`L(D) - L(\infty) \propto D^{-1}`: the fitted function fluctuates about its mean with variance
:math:`\propto 1/D`, the first-order term of the loss averages to zero, and the second-order term is
proportional to that variance. Least squares on :math:`P` Gaussian features makes it exact.

* :func:`ols_excess_risk` — well-specified OLS with isotropic (or any) Gaussian inputs and noise
  variance :math:`\sigma^2` [derived]:

  .. math:: \mathbb E\,[L - L_\infty] = \sigma^2\,\mathbb E\operatorname{tr}\bigl(\Sigma (X^\top X)^{-1}\bigr)
            = \frac{\sigma^2 P}{D - P - 1}, \qquad D > P + 1,

  from the mean of the inverse Wishart matrix, :math:`\mathbb E (X^\top X)^{-1} = \Sigma^{-1}/(D - P - 1)`.
* :func:`min_norm_excess_risk` — the same model below the interpolation threshold, fitted by the
  minimum-norm solution (the limit of gradient descent from zero), with isotropic inputs and a
  signal of squared norm :math:`|w|^2` [derived]:

  .. math:: \mathbb E\,[L - L_\infty] = |w|^2\Bigl(1 - \frac DP\Bigr) + \frac{\sigma^2 D}{P - D - 1},
            \qquad D < P - 1,

  the first term the part of the signal outside the span of the D inputs, the second the noise.
* :func:`ols_local_exponent` — :math:`-d\log\mathbb E[L - L_\infty]/d\log D = D/(D - P - 1)`,
  which approaches 1 from above: the pre-asymptotic bias of a fitted exponent.
* :func:`sandwich_excess_risk` — misspecified least squares, :math:`D\to\infty` [derived]:
  :math:`\mathbb E[L - L_\infty] \simeq \operatorname{tr}(\Sigma^{-1}\Omega)/D` with
  :math:`\Sigma = \mathbb E[\phi\phi^\top]` and :math:`\Omega = \mathbb E[r^2\phi\phi^\top]`,
  :math:`r = y - \theta_*^\top\phi` the residual of the population optimum (the Huber–White
  "sandwich"; for well-specified noise :math:`\Omega = \sigma^2\Sigma` and it reduces to
  :math:`\sigma^2 P/D`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import (
    as_float_array,
    check_budget,
    check_in_range,
    check_positive_int,
    check_square,
    cholesky_factor,
    psd_spectrum,
    require_finite,
)

__all__ = ["min_norm_excess_risk", "ols_excess_risk", "ols_local_exponent", "sandwich_excess_risk"]


def _sizes(D: Any) -> np.ndarray:
    return as_float_array("D", D, positive=True)


def ols_excess_risk(D: Any, P: int, noise_var: float) -> np.ndarray:
    r"""Expected excess test MSE of well-specified OLS, :math:`\sigma^2 P/(D - P - 1)`.

    Parameters
    ----------
    D : training-set size(s), each > P + 1.
    P : number of features (≥ 1).
    noise_var : label-noise variance σ² ≥ 0.

    >>> float(ols_excess_risk(111, 10, 1.0))
    0.1
    """
    D = _sizes(D)
    P = check_positive_int("P", P)
    noise_var = check_in_range("noise_var", noise_var, low=0)
    if np.any(D <= P + 1):
        raise ValueError(f"D must be > P + 1 = {P + 1} for a finite OLS variance (smallest D {D.min():g})")
    return require_finite("the excess risk", noise_var * P / (D - P - 1), "noise_var is so large that it overflows")


def min_norm_excess_risk(D: Any, P: int, noise_var: float, signal: float = 1.0) -> np.ndarray:
    r"""Expected excess MSE of minimum-norm least squares, isotropic Gaussian inputs, both sides of D = P.

    .. math:: |w|^2(1 - D/P) + \frac{\sigma^2 D}{P - D - 1}\ (D < P - 1), \qquad
              \frac{\sigma^2 P}{D - P - 1}\ (D > P + 1),

    and ``inf`` for :math:`|D - P| \le 1`, where the expected variance diverges.

    Parameters
    ----------
    D : training-set size(s); P : number of features; noise_var : σ² ≥ 0;
    signal : :math:`|w|^2 \ge 0`, the squared norm of the true coefficients.

    >>> float(min_norm_excess_risk(5, 10, 0.0, 1.0))
    0.5
    """
    D = _sizes(D)
    P = check_positive_int("P", P)
    noise_var = check_in_range("noise_var", noise_var, low=0)
    signal = check_in_range("signal", signal, low=0)
    under = D < P - 1
    over = D > P + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        below = signal * (1 - D / P) + noise_var * D / (P - D - 1)
        above = noise_var * P / (D - P - 1)
    return np.where(under, below, np.where(over, above, np.inf))


def ols_local_exponent(D: Any, P: int) -> np.ndarray:
    r"""Local exponent :math:`-d\log[\sigma^2P/(D - P - 1)]/d\log D = D/(D - P - 1)` (D > P + 1).

    >>> float(ols_local_exponent(22, 10))
    2.0
    """
    D = _sizes(D)
    P = check_positive_int("P", P)
    if np.any(D <= P + 1):
        raise ValueError(f"D must be > P + 1 = {P + 1} (smallest D {D.min():g})")
    return D / (D - P - 1)


def sandwich_excess_risk(D: Any, sigma: Any, omega: Any) -> np.ndarray:
    r"""Large-D excess risk of least squares, :math:`\operatorname{tr}(\Sigma^{-1}\Omega)/D`.

    Parameters
    ----------
    D : training-set size(s) > 0.
    sigma : (P, P) feature second moment :math:`\mathbb E[\phi\phi^\top]` (positive definite).
    omega : (P, P) residual-weighted moment :math:`\mathbb E[r^2\phi\phi^\top]`.

    >>> float(sandwich_excess_risk(100, np.eye(3), 2 * np.eye(3)))
    0.06
    """
    D = _sizes(D)
    sigma = as_float_array("sigma", sigma, ndim=2)
    omega = as_float_array("omega", omega, ndim=2)
    if sigma.shape[0] != sigma.shape[1] or omega.shape != sigma.shape or sigma.size == 0:
        raise ValueError(f"sigma and omega must be non-empty square matrices of one shape (got {sigma.shape}, "
                         f"{omega.shape})")
    check_budget("sandwich_excess_risk", nbytes=8.0 * 6 * sigma.size, work=20.0 * sigma.shape[0] ** 3)
    psd_spectrum("omega", np.linalg.eigvalsh(check_square("omega", omega, symmetric=True)))
    chol = cholesky_factor("sigma", sigma)
    inv = np.linalg.solve(chol.T, np.linalg.solve(chol, np.eye(sigma.shape[0])))
    with np.errstate(over="ignore", invalid="ignore"):
        return require_finite("the excess risk", np.trace(inv @ omega) / D,
                              "D is too small or omega too large for sigma (overflow)")
