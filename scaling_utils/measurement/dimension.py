r"""Intrinsic dimension from nearest-neighbour distances.

Both estimators assume that, locally, the points are a Poisson process of constant density on a
d-dimensional manifold, so that the number of points within radius :math:`r` grows as :math:`r^d`.

**TwoNN** (Facco, d'Errico, Rodriguez, Laio 2017). With :math:`r_1 < r_2` the distances of a point
to its first and second neighbours, :math:`\mu = r_2/r_1` is Pareto distributed,
:math:`P(\mu > m) = m^{-d}`, independently of the density. So :math:`\log\mu \sim \mathrm{Exp}(d)` and

.. math::  \hat d = \frac{N - 1}{\sum_i \log\mu_i}

(the unbiased maximum-likelihood estimate, ``method="mle"``), or, as in the original paper, the slope
of :math:`-\log(1 - F(\mu))` against :math:`\log\mu` through the origin with the largest 10 % of
:math:`\mu` discarded (``method="fit"``).

**Levina–Bickel** (2004). With :math:`T_j(x)` the distance to the j-th neighbour,
:math:`\sum_{j<k}\log(T_k/T_j)` is Gamma(k − 1, d) distributed, so the inverse dimension is estimated by

.. math::  \hat d_k^{-1} = \frac{1}{N(k-1)}\sum_i\sum_{j=1}^{k-1}\log\frac{T_k(x_i)}{T_j(x_i)},

averaged over points before inverting (MacKay & Ghahramani's correction of the original average of
per-point inverses, which is biased upward), then :math:`\hat d` is averaged over
:math:`k_1 \le k \le k_2`.

Duplicated points have :math:`r_1 = 0` and break both estimators; they are removed first (or rejected
with ``duplicates="raise"``).

Intervals, ``ci=``:

* ``"bootstrap"`` (default): a percentile bootstrap over points of the per-point statistics.
  Neighbouring points share neighbours, so these statistics are dependent and the interval is
  optimistic: its coverage of the true d on uniform tori is 0.81–0.89 at nominal 0.95
  (``tests/test_dimension.py``).
* ``"jackknife"``: the points are split at random into ``groups`` groups; the estimate is
  recomputed with each group deleted (neighbours found again among the remaining points), and the
  Student-t interval of :func:`~scaling_utils.measurement.fitting.jackknife_interval` is formed
  from these G estimates (delete-a-group jackknife, Efron & Tibshirani 1993, §11.5). Deleting
  points re-draws the neighbour relations, so the dependence is part of the spread; the interval
  is conservative: its coverage is at least 0.95 on uniform tori with G = 10
  (``tests/test_dimension.py``). The chapters put only these intervals in the claims ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engines.neighbors import nearest_neighbors
from ..validation import as_float_array, check_choice, check_in_range, check_positive_int
from .fitting import jackknife_interval

__all__ = ["CI_METHODS", "DimensionEstimate", "levina_bickel", "remove_duplicates", "twonn", "twonn_decimation"]

CI_METHODS = ("bootstrap", "jackknife", "none")


@dataclass(frozen=True)
class DimensionEstimate:
    """An intrinsic-dimension estimate: ``dimension`` with a bootstrap ``interval`` at ``level``,
    from ``n_points`` distinct points (``n_duplicates`` were removed), by ``method``."""

    dimension: float
    interval: tuple[float, float] | None
    n_points: int
    n_duplicates: int
    method: str
    level: float = 0.95

    def describe(self, digits: int = 2) -> str:
        text = f"d̂ = {self.dimension:.{digits}f}"
        if self.interval is not None:
            text += f" [{self.interval[0]:.{digits}f}, {self.interval[1]:.{digits}f}]"
        return text


def remove_duplicates(points: Any, *, duplicates: str = "remove") -> tuple[np.ndarray, int]:
    """Distinct rows of ``points`` (N, n) and the number removed; ``duplicates="raise"`` rejects any."""
    x = as_float_array("points", points, ndim=2)
    check_choice("duplicates", duplicates, ["remove", "raise"])
    unique = np.unique(x, axis=0)
    removed = len(x) - len(unique)
    if removed and duplicates == "raise":
        raise ValueError(f"points contains {removed} duplicated row(s); remove them or pass "
                         'duplicates="remove"')
    return unique, removed


def _prepare(points: Any, duplicates: str, minimum: int, boxsize: float | None
             ) -> tuple[np.ndarray, int, float | None]:
    x, removed = remove_duplicates(points, duplicates=duplicates)
    if boxsize is not None:
        boxsize = check_in_range("boxsize", boxsize, low=0, low_open=True)
        x, removed2 = remove_duplicates(np.mod(x, boxsize), duplicates=duplicates)
        removed += removed2
    if len(x) < minimum:
        raise ValueError(f"points must contain at least {minimum} distinct points (got {len(x)}"
                         f"{f' after removing {removed} duplicates' if removed else ''})")
    return x, removed, boxsize


def _bootstrap(stat: np.ndarray, estimator: Any, n_boot: int, level: float, seed: int
               ) -> tuple[float, float] | None:
    if n_boot == 0:
        return None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(stat), size=(n_boot, len(stat)))
    chunk = max(1, 2**22 // stat.size)  # replicates per chunk, to bound memory
    reps = np.concatenate([estimator(stat[idx[i:i + chunk]]) for i in range(0, n_boot, chunk)])
    lo, hi = np.quantile(reps, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


_MATRIX_MAX_POINTS = 8000   # below this, high-dimensional neighbours come from one distance matrix


class _Neighbours:
    """Distances to the k nearest *other* points, for all points or for a subset of them.

    In high ambient dimension without a periodic box (where :func:`nearest_neighbors` uses
    blocked matrix products anyway) and for at most ``_MATRIX_MAX_POINTS`` points, the squared
    distances are computed once, so that the jackknife's subsets need only a partial sort; the
    selected distances are then recomputed exactly, as :func:`nearest_neighbors` does.
    """

    def __init__(self, x: np.ndarray, boxsize: float | None) -> None:
        self.x, self.boxsize = x, boxsize
        self.d2 = None
        if boxsize is None and x.shape[1] > 12 and len(x) <= _MATRIX_MAX_POINTS:
            sq = (x**2).sum(1)
            self.d2 = sq[:, None] + sq[None, :] - 2.0 * x @ x.T
            np.fill_diagonal(self.d2, np.inf)

    def __call__(self, k: int, keep: np.ndarray | None = None) -> np.ndarray:
        """(n, k) sorted distances from each kept point to its k nearest other kept points."""
        z = self.x if keep is None else self.x[keep]
        if self.d2 is None:
            return nearest_neighbors(z, z, k + 1, boxsize=self.boxsize)[0][:, 1:]
        d2 = self.d2 if keep is None else self.d2[np.ix_(keep, keep)]
        idx = np.argpartition(d2, k - 1, axis=1)[:, :k]
        dist = np.linalg.norm(z[:, None, :] - z[idx], axis=-1)
        return np.sort(dist, axis=1)


def _interval(ci: str, n: int, stat: np.ndarray, estimator: Any, compute: Any, value: float, *,
              n_boot: int, groups: int, level: float, seed: int) -> tuple[float, float] | None:
    """The estimate's interval: bootstrap over per-point statistics, or delete-a-group jackknife.

    ``compute(keep)`` is the estimate from the points selected by the boolean mask ``keep``.
    """
    if ci == "none":
        return None
    if ci == "bootstrap":
        return _bootstrap(stat, estimator, n_boot, level, seed)
    labels = np.random.default_rng(seed).permutation(n) % groups
    loo = np.array([compute(labels != g) for g in range(groups)])
    return jackknife_interval(value, loo, level)


def _check_ci(ci: str, groups: int, n: int) -> int:
    check_choice("ci", ci, CI_METHODS)
    if ci != "jackknife":
        return groups
    return check_positive_int("groups", groups, minimum=2, maximum=max(2, n // 4))


def twonn(points: Any, *, boxsize: float | None = None, method: str = "mle", discard: float = 0.1,
          ci: str = "bootstrap", n_boot: int = 1000, groups: int = 10, level: float = 0.95, seed: int = 0,
          duplicates: str = "remove") -> DimensionEstimate:
    """TwoNN intrinsic dimension of ``points`` (N, n), N ≥ 3 distinct points.

    Parameters
    ----------
    boxsize : period of a periodic box (e.g. 1.0 for the unit torus), or None.
    method : "mle" (:math:`(N-1)/\\sum\\log\\mu`) or "fit" (Facco et al.'s regression through the
        origin, discarding the largest fraction ``discard`` of μ).
    ci : "bootstrap" (over points; ``n_boot=0``: no interval), "jackknife" (delete one of
        ``groups`` random groups at a time) or "none" (see the module docstring).
    n_boot, groups, level, seed : replicates, jackknife groups, confidence level, generator seed.
    duplicates : "remove" or "raise".

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((4000, 2))
    >>> est = twonn(x, boxsize=1.0, n_boot=0)
    >>> abs(est.dimension - 2) < 0.15
    True
    """
    check_choice("method", method, ["mle", "fit"])
    discard = check_in_range("discard", discard, low=0, high=1, high_open=True)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    x, removed, boxsize = _prepare(points, duplicates, 3, boxsize)
    groups = _check_ci(ci, groups, len(x))

    neighbours = _Neighbours(x, boxsize)

    def log_mu(keep: np.ndarray | None = None) -> np.ndarray:
        dist = neighbours(2, keep)
        return np.log(dist[:, 1] / dist[:, 0])

    if method == "mle":
        def estimator(lm: np.ndarray) -> np.ndarray:
            return (lm.shape[-1] - 1) / lm.sum(-1)
    else:
        def estimator(lm: np.ndarray) -> np.ndarray:
            n = lm.shape[-1]
            keep = int(np.floor(n * (1 - discard)))
            if keep < 2:
                raise ValueError(f"discard={discard} leaves fewer than 2 points to fit")
            srt = np.sort(lm, axis=-1)[..., :keep]
            y = -np.log(1 - np.arange(1, keep + 1) / n)
            return (srt * y).sum(-1) / (srt**2).sum(-1)

    logmu = log_mu()
    value = float(estimator(logmu))
    interval = _interval(ci, len(x), logmu, estimator, lambda keep: float(estimator(log_mu(keep))), value,
                         n_boot=n_boot, groups=groups, level=level, seed=seed)
    return DimensionEstimate(value, interval, len(x), removed, f"TwoNN ({method})", level)


def levina_bickel(points: Any, *, k1: int = 10, k2: int = 20, boxsize: float | None = None,
                  ci: str = "bootstrap", n_boot: int = 1000, groups: int = 10, level: float = 0.95, seed: int = 0,
                  duplicates: str = "remove") -> DimensionEstimate:
    """Levina–Bickel maximum-likelihood intrinsic dimension, averaged over k in [k1, k2].

    Needs 2 ≤ k1 ≤ k2 and more than k2 distinct points. Other parameters as in :func:`twonn`.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((3000, 3))
    >>> abs(levina_bickel(x, boxsize=1.0, n_boot=0).dimension - 3) < 0.2
    True
    """
    k1 = check_positive_int("k1", k1, minimum=2)
    k2 = check_positive_int("k2", k2, minimum=k1)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    x, removed, boxsize = _prepare(points, duplicates, k2 + 1, boxsize)
    groups = _check_ci(ci, groups, len(x))
    if ci == "jackknife" and len(x) - len(x) // groups - 1 < k2 + 1:
        raise ValueError(f"groups={groups} leaves fewer than k2 + 1 = {k2 + 1} points after deleting a group")
    ks = np.arange(k1, k2 + 1)

    neighbours = _Neighbours(x, boxsize)

    def statistic(keep: np.ndarray | None = None) -> np.ndarray:
        logt = np.log(neighbours(k2, keep))  # T_1 … T_{k2}
        cum = np.cumsum(logt, axis=1)  # Σ_{j≤k} log T_j
        # per point and k: (1/(k-1)) Σ_{j<k} log(T_k/T_j) = log T_k − (Σ_{j<k} log T_j)/(k−1)
        return logt[:, ks - 1] - cum[:, ks - 2] / (ks - 1)  # (N, K)

    def estimator(s: np.ndarray) -> np.ndarray:
        return (1.0 / s.mean(-2)).mean(-1)

    stat = statistic()
    value = float(estimator(stat))
    interval = _interval(ci, len(x), stat, estimator, lambda keep: float(estimator(statistic(keep))), value,
                         n_boot=n_boot, groups=groups, level=level, seed=seed)
    return DimensionEstimate(value, interval, len(x), removed, f"Levina–Bickel (k={k1}…{k2})", level)


def twonn_decimation(points: Any, sizes: Any, *, max_subsets: int = 8, seed: int = 0,
                     duplicates: str = "remove") -> dict[str, np.ndarray]:
    """TwoNN at decreasing sample sizes: the scale dependence of the estimate (Facco et al.'s block analysis).

    The distinct points are shuffled (generator ``seed``) and cut into disjoint subsets of each
    size n in ``sizes`` (at most ``max_subsets`` per size); the nearest neighbours among n points
    sit at the distance scale of n points, so d̂(n) is the dimension seen at that scale.

    Returns arrays ``n``, ``dimension`` (mean over the subsets), ``stderr`` (standard error over the
    subsets; NaN with one) and ``subsets``.
    """
    x, _ = remove_duplicates(points, duplicates=duplicates)
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or sizes.size == 0 or np.any(sizes < 3) or np.any(sizes > len(x)) \
            or np.any(sizes != np.round(sizes)):
        raise ValueError(f"sizes must be integers in [3, {len(x)}] (got {sizes!r})")
    max_subsets = check_positive_int("max_subsets", max_subsets)
    perm = np.random.default_rng(seed).permutation(len(x))
    n_out, mean, se, count = [], [], [], []
    for n in sizes.astype(int):
        k = min(max_subsets, len(x) // n)
        est = np.array([twonn(x[perm[i * n:(i + 1) * n]], ci="none").dimension for i in range(k)])
        n_out.append(n)
        mean.append(est.mean())
        se.append(est.std(ddof=1) / np.sqrt(k) if k > 1 else np.nan)
        count.append(k)
    return {"n": np.array(n_out), "dimension": np.array(mean), "stderr": np.array(se), "subsets": np.array(count)}
