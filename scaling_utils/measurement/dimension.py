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
with ``duplicates="raise"``): exact duplicates, and near-duplicates — points closer than
:data:`NEAR_DUPLICATE_RTOL` (1e-10) of the data's extent (the largest coordinate range, or the box
size on the torus), where a single pair would dominate :math:`\sum\log\mu` (five such pairs among 500
points took TwoNN from 2 to 1.05). On the torus the points are wrapped into the box first, so two
points that coincide only after wrapping are duplicates too.

Both estimators assume a continuous density, under which two neighbour distances tie with probability
zero. Discrete data (integer coordinates, a lattice) tie constantly — on a square lattice every
:math:`\mu = 1` and TwoNN returns about 1e16 — so when more than :data:`TIE_FRACTION` (1 %) of the
points have two consecutive neighbour distances equal to :data:`TIE_RTOL` (1e-9, relative), the
estimators raise a ValueError instead of returning a number.

**Intervals** (``ci=``). Neighbouring points share neighbours (mutual nearest neighbours share
:math:`r_1`), so the per-point statistics are dependent and a bootstrap over points
(``ci="bootstrap"``) is too narrow: it treats them as independent. The default ``ci="split"``
cuts the points at random into :math:`S` disjoint subsets, estimates :math:`\hat d_s` on each
subset *with its own neighbours* — the subsets are independent samples of the same law — and
reports the Student-t interval

.. math::  \hat d \pm t_{S-1}\,\frac{\operatorname{sd}(\hat d_1, \dots, \hat d_S)}{\sqrt S}

around the estimate :math:`\hat d` from all :math:`N` points. It rests on
:math:`\operatorname{Var}\hat d_N \approx \operatorname{Var}\hat d_{N/S}/S`: the dependence between
neighbours inflates the variance by a factor that does not depend on the density (the law of the
ratios of neighbour distances of a Poisson process is scale-free). :func:`interval_coverage`
measures the coverage of both methods over repeated samples of the flat torus: unit tests require
the split interval to cover at least 0.90 at nominal 0.95, and to miss at most twice the nominal
rate at the family-wise level 1 − 0.05/6; the bootstrap over points covered 0.85 at nominal 0.95
(TwoNN, d = 4, 1000 points, 100 samples). ``ci="jackknife"`` deletes one of ``groups`` random
groups of points at a time, re-estimates with the neighbours found again among the others, and forms
the Student-t interval of :func:`~scaling_utils.measurement.fitting.jackknife_interval` (a
delete-a-group jackknife, Efron & Tibshirani 1993, §11.5): the dependence between neighbours is part
of its spread; its coverage on uniform tori is at least 0.95 with 10 groups (a unit test).

In high ambient dimension without a periodic box, up to :data:`_MATRIX_MAX_POINTS` points, the
squared distances of the centred points are computed once and every subset of a split or a jackknife
reuses them (a partial sort per subset); the selected distances are recomputed exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..engines.neighbors import _wrap, nearest_neighbors
from ..validation import (
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    require_finite,
)
from .fitting import jackknife_interval

__all__ = ["CI_METHODS", "NEAR_DUPLICATE_RTOL", "TIE_FRACTION", "TIE_RTOL", "DimensionEstimate",
           "interval_coverage", "levina_bickel", "remove_duplicates", "twonn", "twonn_decimation"]

CI_METHODS = ("split", "jackknife", "bootstrap", "none")

#: Points closer than this fraction of the data's extent (or of the box size) are duplicates.
NEAR_DUPLICATE_RTOL = 1e-10
#: Two neighbour distances within this relative difference are tied.
TIE_RTOL = 1e-9
#: Above this fraction of points with tied neighbour distances the data count as discrete.
TIE_FRACTION = 0.01


@dataclass(frozen=True)
class DimensionEstimate:
    """An intrinsic-dimension estimate: ``dimension`` with an ``interval`` at ``level``, from
    ``n_points`` distinct points (``n_duplicates`` were removed), by ``method``; ``ci`` says how
    the interval was computed ("split" over ``splits`` disjoint subsets, "jackknife" deleting one of
    ``splits`` groups at a time, "bootstrap", or "none"); ``n_tied`` points were left out of the
    statistic because their neighbour distances tie (``ties="drop"``)."""

    dimension: float
    interval: tuple[float, float] | None
    n_points: int
    n_duplicates: int
    method: str
    level: float = 0.95
    ci: str = "none"
    splits: int = 0
    n_tied: int = 0

    def describe(self, digits: int = 2) -> str:
        digits = check_positive_int("digits", digits, minimum=0, maximum=17)
        text = f"d̂ = {self.dimension:.{digits}f}"
        if self.interval is not None:
            text += f" [{self.interval[0]:.{digits}f}, {self.interval[1]:.{digits}f}]"
        return text


def remove_duplicates(points: Any, *, duplicates: str = "remove", boxsize: float | None = None
                      ) -> tuple[np.ndarray, int]:
    """Distinct rows of ``points`` (N, n) and the number removed; ``duplicates="raise"`` rejects any.

    Rows are sorted (``numpy.unique``). Near-duplicates — rows closer than
    :data:`NEAR_DUPLICATE_RTOL` times the data's extent (the largest coordinate range; on the torus,
    ``boxsize``, the rows are first wrapped into the box and distances are periodic) — count as
    duplicates: of each such group the first row is kept.
    """
    x = as_float_array("points", points, ndim=2)
    check_choice("duplicates", duplicates, ["remove", "raise"])
    if boxsize is not None:
        boxsize = check_in_range("boxsize", boxsize, low=0, low_open=True)
        x = _wrap(x, boxsize)
    unique = np.unique(x, axis=0)
    if len(unique) > 1:
        from scipy.spatial import KDTree

        extent = float(np.max(np.ptp(unique, axis=0)))   # (≤ boxsize on the torus)
        pairs = KDTree(unique, boxsize=boxsize).query_pairs(NEAR_DUPLICATE_RTOL * extent, output_type="ndarray")
        if len(pairs):
            unique = np.delete(unique, np.unique(pairs.max(axis=1)), axis=0)
    removed = len(x) - len(unique)
    if removed and duplicates == "raise":
        raise ValueError(f"points contains {removed} duplicated row(s) (exact, or closer than "
                         f"{NEAR_DUPLICATE_RTOL:g} of the data's extent); remove them or pass "
                         'duplicates="remove"')
    return unique, removed


def _prepare(points: Any, duplicates: str, minimum: int, boxsize: float | None
             ) -> tuple[np.ndarray, int, float | None]:
    if boxsize is not None:
        boxsize = check_in_range("boxsize", boxsize, low=0, low_open=True)
    x, removed = remove_duplicates(points, duplicates=duplicates, boxsize=boxsize)
    if len(x) < minimum:
        wrapped = "" if boxsize is None else f", wrapped into a box of boxsize={boxsize:g}"
        raise ValueError(f"points must contain at least {minimum} distinct points (got {len(x)}"
                         f"{f' after removing {removed} duplicates' if removed else ''}{wrapped})")
    return x, removed, boxsize


def _tied(dist: np.ndarray) -> np.ndarray:
    """Per point: whether two of its sorted neighbour distances ``dist`` (N, k) tie (module docstring)."""
    return np.any(np.diff(dist, axis=1) <= TIE_RTOL * dist[:, 1:], axis=1)


def _handle_ties(dist: np.ndarray, ties: str) -> np.ndarray:
    """``ties="raise"``: refuse discrete data (more than TIE_FRACTION of the points tied), keep the rest;
    ``ties="drop"``: the rows of the points whose neighbour distances do not tie."""
    tied = _tied(dist)
    if ties == "drop":
        return dist[~tied]
    if tied.mean() > TIE_FRACTION:
        raise ValueError(f"points look discrete (a lattice or rounded coordinates): {tied.sum()} of {len(dist)} "
                         "points have two neighbour distances equal to within 1e-9 (relative), which a "
                         "continuous density gives with probability zero; the estimators assume one "
                         '(ties="drop" leaves those points out of the statistic)')
    return dist


_MATRIX_MAX_POINTS = 8000   # below this, high-dimensional neighbours come from one distance matrix


class _Neighbours:
    """Distances to the k nearest *other* points, among all points or among a subset of them.

    In high ambient dimension without a periodic box (where :func:`nearest_neighbors` uses blocked
    matrix products anyway) and for at most :data:`_MATRIX_MAX_POINTS` points, the squared distances
    of the centred points are computed once, so that every subset needs only a partial sort; the
    selected distances are then recomputed exactly.
    """

    def __init__(self, x: np.ndarray, boxsize: float | None) -> None:
        self.x, self.boxsize, self.d2 = x, boxsize, None
        if boxsize is None and x.shape[1] > 12 and len(x) <= _MATRIX_MAX_POINTS:
            check_budget("the distance matrix", nbytes=8.0 * len(x) ** 2, work=2.0 * len(x) ** 2 * x.shape[1])
            xc = x - x.mean(0)
            sq = (xc**2).sum(1)
            self.d2 = sq[:, None] + sq[None, :] - 2.0 * xc @ xc.T
            np.fill_diagonal(self.d2, np.inf)

    def __call__(self, k: int, keep: np.ndarray | None = None) -> np.ndarray:
        """(n, k) sorted distances from each kept point to its k nearest other kept points."""
        z = self.x if keep is None else self.x[keep]
        if self.d2 is None:
            dist = nearest_neighbors(z, z, k + 1, boxsize=self.boxsize)[0][:, 1:]
        else:
            d2 = self.d2 if keep is None else self.d2[np.ix_(keep, keep)]
            idx = np.argpartition(d2, k - 1, axis=1)[:, :k]
            dist = np.sort(np.linalg.norm(z[:, None, :] - z[idx], axis=-1), axis=1)
        return dist


def _check_interval_args(ci: str, splits: int, n_boot: int, level: float, seed: int
                         ) -> tuple[str, int, int, float, int]:
    check_choice("ci", ci, CI_METHODS)
    splits = check_positive_int("splits" if ci != "jackknife" else "groups", splits, minimum=2)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    return ci, splits, n_boot, level, check_seed("seed", seed)


def _interval(n: int, compute: Callable[[np.ndarray], float], estimator: Callable[[np.ndarray], np.ndarray],
              value: float, stat: np.ndarray, *, ci: str, splits: int, minimum: int, n_boot: int, level: float,
              seed: int) -> tuple[float, float] | None:
    """The interval of ``value`` = ``estimator(stat)`` over ``n`` points.

    ``compute(keep)`` is the estimate from the points selected by the boolean mask ``keep``, with
    their neighbours found among themselves; ``stat`` the per-point statistics (for the bootstrap).
    """
    rng = np.random.default_rng(seed)
    if ci == "split":
        if n // splits < minimum:
            raise ValueError(f"splits={splits} leaves fewer than {minimum} points per subset "
                             f"({n} points); use fewer splits")
        labels = np.empty(n, int)
        for g, idx in enumerate(np.array_split(rng.permutation(n), splits)):
            labels[idx] = g
        parts = np.array([compute(labels == g) for g in range(splits)])
        half = stats.t.ppf((1 + level) / 2, splits - 1) * parts.std(ddof=1) / np.sqrt(splits)
        return float(value - half), float(value + half)
    if ci == "jackknife":
        if n - -(-n // splits) < minimum:
            raise ValueError(f"groups={splits} leaves fewer than {minimum} points after deleting a group ({n} points)")
        labels = rng.permutation(n) % splits
        return jackknife_interval(value, np.array([compute(labels != g) for g in range(splits)]), level)
    if ci == "bootstrap" and n_boot > 0:
        check_budget("the bootstrap over points", nbytes=16.0 * n_boot * len(stat), work=4.0 * n_boot * stat.size,
                     iterations=n_boot * stat.size / 2**22)
        idx = rng.integers(0, len(stat), size=(n_boot, len(stat)))
        chunk = max(1, 2**22 // stat.size)  # replicates per chunk, to bound memory
        reps = np.concatenate([estimator(stat[idx[i:i + chunk]]) for i in range(0, n_boot, chunk)])
        lo, hi = np.quantile(reps, [(1 - level) / 2, (1 + level) / 2])
        return float(lo), float(hi)
    return None


def _result(value: float, interval: tuple[float, float] | None, x: np.ndarray, removed: int, method: str,
            level: float, ci: str, splits: int, n_tied: int) -> DimensionEstimate:
    if interval is None:
        ci = "none"
    return DimensionEstimate(value, interval, len(x), removed, method, level, ci,
                             splits if ci in ("split", "jackknife") else 0, n_tied)


def twonn(points: Any, *, boxsize: float | None = None, method: str = "mle", discard: float = 0.1,
          ci: str = "split", splits: int = 10, n_boot: int = 1000, groups: int = 10, level: float = 0.95,
          seed: int = 0, duplicates: str = "remove", ties: str = "raise") -> DimensionEstimate:
    """TwoNN intrinsic dimension of ``points`` (N, n), N ≥ 3 distinct points.

    Parameters
    ----------
    boxsize : period of a periodic box (e.g. 1.0 for the unit torus), or None.
    method : "mle" (:math:`(N-1)/\\sum\\log\\mu`) or "fit" (Facco et al.'s regression through the
        origin, discarding the largest fraction ``discard`` of μ).
    ci : "split" (Student-t over ``splits`` disjoint random subsets, each with its own neighbours;
        the default), "bootstrap" (percentile bootstrap over points, ``n_boot`` replicates; too
        narrow, see the module docstring), "jackknife" (delete one of ``groups`` random groups at a
        time) or "none".
    level, seed : the interval's level; the seed of the random split, jackknife groups or bootstrap.
    duplicates : "remove" or "raise".
    ties : "raise" (refuse discrete data, see the module docstring) or "drop" (leave the points whose
        neighbour distances tie out of the statistic; they still serve as neighbours; counted in
        ``n_tied``).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((4000, 2))
    >>> est = twonn(x, boxsize=1.0, ci="none")
    >>> abs(est.dimension - 2) < 0.15
    True
    """
    check_choice("method", method, ["mle", "fit"])
    check_choice("ties", ties, ["raise", "drop"])
    discard = check_in_range("discard", discard, low=0, high=1, high_open=True)
    ci, splits, n_boot, level, seed = _check_interval_args(ci, groups if ci == "jackknife" else splits, n_boot,
                                                           level, seed)
    x, removed, boxsize = _prepare(points, duplicates, 3, boxsize)
    neighbours = _Neighbours(x, boxsize)

    def log_mu(keep: np.ndarray | None = None) -> np.ndarray:
        dist = _handle_ties(neighbours(2, keep), ties)
        return np.log(dist[:, 1] / dist[:, 0])

    logmu = log_mu()

    if method == "mle":
        def estimator(lm: np.ndarray) -> np.ndarray:
            return (lm.shape[-1] - 1) / lm.sum(-1)
    else:
        def estimator(lm: np.ndarray) -> np.ndarray:
            n = lm.shape[-1]
            keep = int(np.floor(n * (1 - discard)))
            if keep < 2:
                raise ValueError(f"discard={discard} leaves fewer than 2 points to fit")
            if keep >= n:  # F(μ) = i/N reaches 1 at the largest μ: −log(1 − F) = ∞
                raise ValueError(f"discard={discard} keeps all {n} points; method='fit' must discard at least "
                                 f"the largest μ: discard >= 1/N = {1 / n:.3g}")
            srt = np.sort(lm, axis=-1)[..., :keep]
            y = -np.log(1 - np.arange(1, keep + 1) / n)
            return (srt * y).sum(-1) / (srt**2).sum(-1)

    value = float(require_finite("the TwoNN estimate", estimator(logmu), "every point has r2 = r1"))
    interval = _interval(len(x), lambda keep: float(estimator(log_mu(keep))), estimator, value, logmu, ci=ci,
                         splits=splits, minimum=3, n_boot=n_boot, level=level, seed=seed)
    n_tied = int(_tied(neighbours(2)).sum()) if ties == "drop" else 0
    return _result(value, interval, x, removed, f"TwoNN ({method})", level, ci, splits, n_tied)


def levina_bickel(points: Any, *, k1: int = 10, k2: int = 20, boxsize: float | None = None,
                  ci: str = "split", splits: int = 5, n_boot: int = 1000, groups: int = 10, level: float = 0.95,
                  seed: int = 0, duplicates: str = "remove", ties: str = "raise") -> DimensionEstimate:
    """Levina–Bickel maximum-likelihood intrinsic dimension, averaged over k in [k1, k2].

    Needs 2 ≤ k1 ≤ k2 and more than k2 distinct points (more than k2 per subset with
    ``ci="split"``; the default 5 subsets keep each large enough that its k2-th neighbour stays
    local). Other parameters as in :func:`twonn`.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((3000, 3))
    >>> abs(levina_bickel(x, boxsize=1.0, ci="none").dimension - 3) < 0.2
    True
    """
    k1 = check_positive_int("k1", k1, minimum=2)
    k2 = check_positive_int("k2", k2, minimum=k1)
    check_choice("ties", ties, ["raise", "drop"])
    ci, splits, n_boot, level, seed = _check_interval_args(ci, groups if ci == "jackknife" else splits, n_boot,
                                                           level, seed)
    x, removed, boxsize = _prepare(points, duplicates, k2 + 1, boxsize)
    ks = np.arange(k1, k2 + 1)
    neighbours = _Neighbours(x, boxsize)

    def statistic(keep: np.ndarray | None = None) -> np.ndarray:
        logt = np.log(_handle_ties(neighbours(k2, keep), ties))  # T_1 … T_{k2}
        cum = np.cumsum(logt, axis=1)  # Σ_{j≤k} log T_j
        # per point and k: (1/(k-1)) Σ_{j<k} log(T_k/T_j) = log T_k − (Σ_{j<k} log T_j)/(k−1)
        return logt[:, ks - 1] - cum[:, ks - 2] / (ks - 1)  # (N, K)

    def estimator(s: np.ndarray) -> np.ndarray:
        return (1.0 / s.mean(-2)).mean(-1)

    stat = statistic()
    value = float(require_finite("the Levina–Bickel estimate", estimator(stat), "tied neighbour distances"))
    interval = _interval(len(x), lambda keep: float(estimator(statistic(keep))), estimator, value, stat, ci=ci,
                         splits=splits, minimum=k2 + 1, n_boot=n_boot, level=level, seed=seed)
    n_tied = int(_tied(neighbours(k2)).sum()) if ties == "drop" else 0
    return _result(value, interval, x, removed, f"Levina–Bickel (k={k1}…{k2})", level, ci, splits, n_tied)


def interval_coverage(estimator: str, d: int, *, n_points: int, ci: str = "split", splits: int | None = None,
                      repeats: int = 200, level: float = 0.95, n_boot: int = 300, seed: int = 0) -> float:
    """Fraction of ``repeats`` independent samples of the flat ``d``-torus whose interval covers ``d``.

    Each repeat draws ``n_points`` uniform points (a fresh stream per repeat) and estimates the
    dimension with ``estimator`` ("twonn" or "levina_bickel", periodic metric) and the interval
    method ``ci`` ("split" with ``splits`` subsets — default that of the estimator —, "jackknife"
    with ``splits`` groups, or "bootstrap" with ``n_boot`` replicates). The binomial standard error
    of the result is about :math:`\\sqrt{(1 - \\mathrm{level})\\,\\mathrm{level}/\\mathrm{repeats}}`.

    The torus is the case where both estimators are exact (the ratios of neighbour distances follow
    their limit laws whenever the neighbourhoods do not wrap around), so a miss is the interval's fault.
    """
    check_choice("estimator", estimator, ["twonn", "levina_bickel"])
    d = check_positive_int("d", d)
    seed = check_seed("seed", seed)
    n_points = check_positive_int("n_points", n_points, minimum=3)
    check_choice("ci", ci, CI_METHODS[:3])
    repeats = check_positive_int("repeats", repeats)
    func = twonn if estimator == "twonn" else levina_bickel
    kwargs: dict[str, Any] = {"ci": ci, "level": level, "n_boot": n_boot, "boxsize": 1.0}
    if splits is not None:
        kwargs["groups" if ci == "jackknife" else "splits"] = splits
    covered = 0
    for r in range(repeats):
        x = np.random.default_rng([seed, d, r]).random((n_points, d))
        lo, hi = func(x, seed=r, **kwargs).interval
        covered += lo <= d <= hi
    return covered / repeats


def twonn_decimation(points: Any, sizes: Any, *, max_subsets: int = 8, seed: int = 0,
                     duplicates: str = "remove", ties: str = "raise") -> dict[str, np.ndarray]:
    """TwoNN at decreasing sample sizes: the scale dependence of the estimate (Facco et al.'s block analysis).

    The distinct points are shuffled (generator ``seed``) and cut into disjoint subsets of each
    size n in ``sizes`` (at most ``max_subsets`` per size); the nearest neighbours among n points
    sit at the distance scale of n points, so d̂(n) is the dimension seen at that scale.

    ``ties`` as in :func:`twonn`. Returns arrays ``n``, ``dimension`` (mean over the subsets),
    ``stderr`` (standard error over the subsets; NaN with one) and ``subsets``.
    """
    x, _ = remove_duplicates(points, duplicates=duplicates)
    seed = check_seed("seed", seed)
    sizes = as_float_array("sizes", sizes, ndim=1)
    if sizes.size == 0 or np.any(sizes < 3) or np.any(sizes > len(x)) or np.any(sizes != np.round(sizes)):
        raise ValueError(f"sizes must be integers in [3, {len(x)}], {len(x)} the number of distinct points "
                         f"(got {sizes!r})")
    max_subsets = check_positive_int("max_subsets", max_subsets)
    perm = np.random.default_rng(seed).permutation(len(x))
    n_out, mean, se, count = [], [], [], []
    for n in sizes.astype(int):
        k = min(max_subsets, len(x) // n)
        est = np.array([twonn(x[perm[i * n:(i + 1) * n]], ci="none", ties=ties).dimension for i in range(k)])
        n_out.append(n)
        mean.append(est.mean())
        se.append(est.std(ddof=1) / np.sqrt(k) if k > 1 else np.nan)
        count.append(k)
    return {"n": np.array(n_out), "dimension": np.array(mean), "stderr": np.array(se), "subsets": np.array(count)}
