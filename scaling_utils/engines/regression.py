r"""Linear least squares, fast: one factorization serves every ridge and every target.

For a design matrix :math:`X \in \mathbb{R}^{n\times p}` with thin SVD :math:`X = U S V^\top`, the
ridge solution for every ridge :math:`\gamma \ge 0` at once is

.. math::  \hat\theta(\gamma) = V\,\mathrm{diag}\!\left(\frac{s_i}{s_i^2 + \gamma}\right) U^\top y,

and :math:`\gamma = 0` gives the minimum-norm least-squares solution :math:`X^+ y` (singular values
below ``rcond · s_max`` are dropped) — the limit gradient descent from zero reaches.
:func:`ridge_path` computes it for a grid of ridges and several targets from one SVD;
:func:`ridge_prefix_path` does so for every training-set prefix :math:`X_{1:n_k}`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_budget, check_in_range, check_sizes, check_square, psd_spectrum

__all__ = ["population_mse", "ridge_path", "ridge_prefix_path"]


def _check_ridges(ridges: Any) -> np.ndarray:
    return as_float_array("ridges", np.atleast_1d(as_float_array("ridges", ridges)), ndim=1, nonnegative=True)


def _check_problem(x: Any, y: Any, ridges: Any, rcond: float, prefixes: int = 1
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x = as_float_array("x", x, ndim=2)
    y = as_float_array("y", y, ndim=(1, 2))
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"x and y must have the same number of rows (got {x.shape[0]} and {y.shape[0]})")
    ridges = _check_ridges(ridges)
    rcond = check_in_range("rcond", rcond, low=0, high=1, high_open=True)
    (n, p), c = x.shape, 1 if y.ndim == 1 else y.shape[1]
    check_budget("the ridge path", nbytes=8.0 * (prefixes * ridges.size * p * c + 3 * n * p + (n + p) * c),
                 work=prefixes * (12.0 * n * p * min(n, p) + 2.0 * ridges.size * p * c * min(n, p)),
                 iterations=prefixes)
    return x, y, ridges, rcond


def _solve_from_svd(u: np.ndarray, s: np.ndarray, vt: np.ndarray, y: np.ndarray, ridges: np.ndarray,
                    rcond: float) -> np.ndarray:
    # The rcond cut defines the ridgeless (pseudo-inverse) solution only; with γ > 0 every
    # direction has the finite filter s/(s² + γ), and dropping small ones would bias the solution.
    keep = s > rcond * (s[0] if s.size else 0.0)
    uty = u.T @ y  # (r, c)
    with np.errstate(divide="ignore", invalid="ignore"):
        filt = s / (s**2 + ridges[:, None])  # (R, r)
        filt = np.where(ridges[:, None] == 0, np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0), filt)
    return np.einsum("rk,kc,kp->rpc", filt, uty, vt)  # (R, p, c)


def ridge_path(x: Any, y: Any, ridges: Any, *, rcond: float = 1e-10) -> np.ndarray:
    """Ridge coefficients for every ridge in ``ridges`` from one SVD of ``x``.

    Parameters
    ----------
    x : (n, p) design matrix.
    y : (n,) or (n, c) targets.
    ridges : ridge values γ ≥ 0 (0 = minimum-norm least squares).
    rcond : relative cut-off for small singular values in the ridgeless solution.

    Returns
    -------
    (len(ridges), p) or (len(ridges), p, c) coefficients, minimizing ``|y − xθ|² + γ|θ|²``.
    """
    x, y, ridges, rcond = _check_problem(x, y, ridges, rcond)
    y2 = y[:, None] if y.ndim == 1 else y
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    coef = _solve_from_svd(u, s, vt, y2, ridges, rcond)
    return coef[..., 0] if y.ndim == 1 else coef


def ridge_prefix_path(x: Any, y: Any, sizes: Any, ridges: Any, *, rcond: float = 1e-10) -> np.ndarray:
    """:func:`ridge_path` on every prefix ``x[:n]`` for ``n`` in ``sizes``: one SVD per prefix.

    Returns an array of shape (len(sizes), len(ridges), p[, c]).
    """
    sizes = check_sizes("sizes", sizes)
    x, y, ridges, rcond = _check_problem(x, y, ridges, rcond, sizes.size)
    if sizes[-1] > x.shape[0]:
        raise ValueError(f"sizes must be <= the number of rows of x ({x.shape[0]}), got {sizes[-1]}")
    y2 = y[:, None] if y.ndim == 1 else y
    out = np.empty((sizes.size, ridges.size, x.shape[1], y2.shape[1]))
    for k, n in enumerate(sizes):
        u, s, vt = np.linalg.svd(x[:n], full_matrices=False)
        out[k] = _solve_from_svd(u, s, vt, y2[:n], ridges, rcond)
    return out[..., 0] if y.ndim == 1 else out


def population_mse(error: Any, covariance: Any) -> np.ndarray:
    r"""Exact population MSE :math:`e^\top \Sigma e` of a linear predictor with coefficient error ``e``.

    For Gaussian (or any zero-mean) inputs with covariance Σ, :math:`\mathbb E_x[(e^\top x)^2] = e^\top\Sigma e`
    — no test set, no sampling noise. ``covariance`` is a (p,) diagonal or a (p, p) matrix;
    ``error`` is (..., p) and the result has shape (...). A covariance must be positive
    semi-definite: a non-negative diagonal, or a symmetric matrix with no negative eigenvalue
    beyond rounding.
    """
    error = as_float_array("error", error)
    cov = as_float_array("covariance", covariance, ndim=(1, 2))
    if error.ndim == 0 or error.shape[-1] != cov.shape[0]:
        raise ValueError(f"error has {error.shape[-1:]} coefficients but covariance is {cov.shape}")
    if cov.ndim == 1 and np.any(cov < 0):
        raise ValueError(f"covariance must be >= 0 on its diagonal (smallest {cov.min():.4g})")
    if cov.ndim == 2:
        psd_spectrum("covariance", np.linalg.eigvalsh(check_square("covariance", cov, symmetric=True)))
    if cov.ndim == 1:
        return np.einsum("...p,p,...p->...", error, cov, error)
    return np.einsum("...p,pq,...q->...", error, cov, error)
