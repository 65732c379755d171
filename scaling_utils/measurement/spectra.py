r"""Spectra of data: covariance eigenvalues with intervals, and a kernel's eigensystem on a pool.

**Covariance spectra.** For rows :math:`x_1, \dots, x_n` (pixels, or features of the pixels) the
sample covariance :math:`C = \frac1n\sum_i (x_i - \bar x)(x_i - \bar x)^\top` has eigenvalues
:math:`\lambda_1 \ge \lambda_2 \ge \dots`; a power law :math:`\lambda_k \propto k^{-(1+\alpha)}` is a
straight line of slope :math:`-(1+\alpha)` against the rank k on log–log axes.

*Interval.* The rows are split into G groups (at random, or by a label such as the photograph a
patch comes from) and the spectrum is recomputed with each group deleted (the delete-a-group
jackknife, Efron & Tibshirani 1993, §11.5). With :math:`\lambda^{(-g)}` those spectra and
:math:`\bar\lambda^{(\cdot)}` their mean, the *pseudo-curves*

.. math:: c_g(k) = \lambda_k - (G-1)\bigl(\lambda_k^{(-g)} - \bar\lambda_k^{(\cdot)}\bigr)

have mean :math:`\lambda_k` (the full-sample spectrum) and standard error of the mean equal to the
jackknife standard error; leaving one of them out moves the mean by
:math:`\lambda^{(-g)} - \bar\lambda^{(\cdot)}`. Passed to
:func:`~scaling_utils.measurement.fitting.fit_power_law` as if they were G seeds, they give the
full-sample spectrum's exponent, per-rank errors for the window rule, and the delete-a-group
jackknife-t interval of the exponent (its coverage is measured in ``tests/test_spectra.py``).
The interval is statistical: the sample spectrum of n rows differs from the population's at
ranks comparable to n (eigenvalues of a finite sample spread, Marchenko–Pastur), which is why the
chapters fit ranks well below n.

**Kernel eigensystem on a pool** (Bordelon, Canatar, Pehlevan 2020). For a pool of n points with
Gram matrix :math:`K_{ij} = k(x_i, x_j)` and targets :math:`y_i`, the uniform measure on the pool
has kernel eigenvalues :math:`\lambda_k = \mu_k/n` (with :math:`K = \sum_k \mu_k u_k u_k^\top`,
:math:`|u_k| = 1`), eigenfunctions :math:`\phi_k(x_i) = \sqrt n\,u_{k,i}` (orthonormal under the
measure) and target coefficients :math:`v_k = \frac1n\sum_i\phi_k(x_i)y_i = u_k^\top y/\sqrt n`;
:math:`\sum_k v_k^2 = \frac1n\sum_i y_i^2`. These feed
:func:`scaling_utils.theory.kernels.learning_curve`.

**Beyond the pool**: see :func:`scaling_utils.theory.kernels.extrapolate_pool`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..validation import (
    as_float_array,
    check_in_range,
    check_positive_int,
    check_seed,
    check_square,
    psd_spectrum,
    require_finite,
)

__all__ = [
    "CovarianceSpectrum",
    "KernelEigensystem",
    "covariance_spectrum",
    "explained_rank",
    "kernel_eigensystem",
    "numerical_rank",
    "rank_grid",
]


def _eigenvalues(x: np.ndarray) -> np.ndarray:
    """Descending eigenvalues of the sample covariance of the rows of x (the Gram form when n < p)."""
    xc = x - x.mean(0)
    with np.errstate(over="ignore", invalid="ignore"):
        gram = xc.T @ xc if xc.shape[0] >= xc.shape[1] else xc @ xc.T
    require_finite("the covariance of x", gram, "x is so large that its covariance overflows")
    ev = np.linalg.eigvalsh(gram)[::-1] / x.shape[0]
    out = np.zeros(x.shape[1])
    m = min(ev.size, out.size)
    out[:m] = np.maximum(ev[:m], 0.0)
    return out


@dataclass(frozen=True)
class CovarianceSpectrum:
    """A sample covariance spectrum and its delete-a-group jackknife replicates.

    Attributes
    ----------
    eigenvalues : (p,) descending eigenvalues of all n rows (zeros beyond the rank).
    replicates : (G, p) the same with each group deleted.
    n_samples : n. groups : G.
    """

    eigenvalues: np.ndarray = field(repr=False)
    replicates: np.ndarray = field(repr=False)
    n_samples: int
    groups: int

    def pseudo_curves(self, ranks: Any) -> np.ndarray:
        """(G, len(ranks)) pseudo-curves at 1-based ``ranks``, for ``fit_power_law`` (module docstring)."""
        k = as_float_array("ranks", ranks)
        if k.ndim != 1 or k.size == 0 or np.any(k < 1) or np.any(k > self.eigenvalues.size) \
                or np.any(k != np.round(k)):
            raise ValueError(f"ranks must be integers in [1, {self.eigenvalues.size}] (got {ranks!r})")
        k = k.astype(int) - 1
        rep = self.replicates[:, k]
        return self.eigenvalues[k] - (self.groups - 1) * (rep - rep.mean(0))

    def stderr(self, ranks: Any) -> np.ndarray:
        """Jackknife standard error of the eigenvalue at each of ``ranks``."""
        c = self.pseudo_curves(ranks)
        return c.std(0, ddof=1) / np.sqrt(self.groups)


def covariance_spectrum(x: Any, *, groups: int | Any = 8, seed: int = 0) -> CovarianceSpectrum:
    """Covariance spectrum of the rows of ``x`` (n, p) with its delete-a-group jackknife replicates.

    ``groups`` is the number G ≥ 2 of random groups (a permutation seeded by ``seed``), or an
    (n,) array of group labels (e.g. the photograph each patch comes from).

    Example
    -------
    >>> x = np.random.default_rng(0).standard_normal((4000, 3)) * [3.0, 1.0, 0.1]
    >>> s = covariance_spectrum(x, groups=4)
    >>> np.round(np.sqrt(s.eigenvalues), 1).tolist(), s.replicates.shape
    ([3.1, 1.0, 0.1], (4, 3))
    """
    x = as_float_array("x", x, ndim=2)
    n = x.shape[0]
    seed = check_seed("seed", seed)
    if np.isscalar(groups):
        g = check_positive_int("groups", groups, minimum=2)
        labels = np.random.default_rng(seed).permutation(n) % g
    else:
        labels = np.asarray(groups)
        if labels.shape != (n,):
            raise ValueError(f"groups must be an int or one label per row ({n}), got shape {labels.shape}")
        labels = np.unique(labels, return_inverse=True)[1]
        g = int(labels.max()) + 1
        if g < 2:
            raise ValueError("groups must contain at least 2 distinct labels")
    if n < 2 * g:
        raise ValueError(f"x must have at least 2 rows per group ({2 * g}), got {n}")
    full = _eigenvalues(x)
    reps = np.stack([_eigenvalues(x[labels != j]) for j in range(g)])
    return CovarianceSpectrum(full, reps, n, g)


def rank_grid(max_rank: int, points: int = 30, min_rank: int = 1) -> np.ndarray:
    """About ``points`` distinct integer ranks spaced evenly in log k from ``min_rank`` to ``max_rank``.

    >>> rank_grid(100, 5).tolist()
    [1, 3, 10, 32, 100]
    """
    max_rank = check_positive_int("max_rank", max_rank, minimum=2)
    min_rank = check_positive_int("min_rank", min_rank, maximum=max_rank - 1)
    points = check_positive_int("points", points, minimum=2)
    return np.unique(np.round(np.geomspace(min_rank, max_rank, points)).astype(int))


def numerical_rank(eigenvalues: Any, rtol: float = 1e-10) -> int:
    """Number of eigenvalues above ``rtol`` times the largest: the rank of a covariance in floating point.

    >>> numerical_rank([4.0, 1.0, 1e-15, 0.0])
    2
    """
    ev = as_float_array("eigenvalues", eigenvalues, ndim=1)
    rtol = check_in_range("rtol", rtol, low=0)
    if ev.size == 0 or ev.max() <= 0:
        raise ValueError("eigenvalues must contain a positive value")
    return int(np.sum(ev > rtol * ev.max()))


def explained_rank(eigenvalues: Any, fraction: float = 0.9) -> int:
    """The number of leading eigenvalues that hold ``fraction`` of their sum: the data's *linear*
    dimension (how many principal components a linear model needs).

    >>> explained_rank([5.0, 3.0, 1.0, 1.0], 0.8)
    2
    """
    ev = as_float_array("eigenvalues", eigenvalues, ndim=1)
    fraction = check_in_range("fraction", fraction, low=0, high=1, low_open=True)
    if ev.size == 0 or ev.max() <= 0:
        raise ValueError("eigenvalues must contain a positive value")
    if ev.min() < -1e-10 * ev.max():
        raise ValueError(f"eigenvalues must be >= 0 up to rounding (smallest value {ev.min():.4g})")
    ev = np.clip(ev, 0.0, None)
    share = np.cumsum(np.sort(ev)[::-1]) / ev.sum()
    return int(np.searchsorted(share, fraction * (1 - 1e-12)) + 1)


@dataclass(frozen=True)
class KernelEigensystem:
    """Eigenvalues λ_k = μ_k/n of a pool's Gram matrix and the target powers :math:`v_k^2`.

    ``column_power`` is (c, n): the power of each target column in each mode; ``target_power``
    their sum over columns (the error of a c-output regression is the sum of the columns' errors).
    """

    eigenvalues: np.ndarray = field(repr=False)
    column_power: np.ndarray = field(repr=False)
    n_pool: int

    @property
    def target_power(self) -> np.ndarray:
        """:math:`v_k^2` summed over the target columns, shape (n,)."""
        return self.column_power.sum(0)

    def positive(self, relative: float = 1e-13, columns: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """(λ, v²) of the modes with λ > ``relative``·λ_1 (rounding-level eigenvalues dropped), the
        target power summed over ``columns`` (default all)."""
        relative = check_in_range("relative", relative, low=0)
        if columns is not None:
            cols = as_float_array("columns", np.atleast_1d(columns), ndim=1)
            c = self.column_power.shape[0]
            if np.any(cols != np.round(cols)) or np.any(cols < -c) or np.any(cols >= c):
                raise ValueError(f"columns must be integer indices of the {c} target columns (got {columns!r})")
            columns = cols.astype(np.int64)
        keep = self.eigenvalues > relative * self.eigenvalues[0]
        power = self.column_power if columns is None else self.column_power[columns]
        return self.eigenvalues[keep], power.sum(0)[keep]


def kernel_eigensystem(gram: Any, targets: Any) -> KernelEigensystem:
    r"""λ_k and :math:`v_k^2` of a pool (module docstring) from its (n, n) Gram matrix and (n,) or (n, c) targets.

    Example
    -------
    >>> K = np.array([[2.0, 1.0], [1.0, 2.0]])
    >>> es = kernel_eigensystem(K, [1.0, 1.0])
    >>> es.eigenvalues.tolist(), np.round(es.target_power, 12).tolist()
    ([1.5, 0.5], [1.0, 0.0])
    """
    gram = check_square("gram", gram, symmetric=True)
    n = gram.shape[0]
    if n == 0:
        raise ValueError("gram must hold at least one pool point (got shape (0, 0))")
    y = as_float_array("targets", targets, ndim=(1, 2))
    if y.shape[0] != n:
        raise ValueError(f"targets must have one row per pool point, a row of gram ({n}), got {y.shape[0]}")
    mu, u = np.linalg.eigh(gram)
    mu, u = psd_spectrum("gram", mu[::-1])[0], u[:, ::-1]
    with np.errstate(over="ignore"):
        power = require_finite("the target powers", (u.T @ y.reshape(n, -1)) ** 2, "targets are so large that "
                               "their squares overflow").T / n
    return KernelEigensystem(mu / n, power, n)
