r"""Learning curves on a finite pool of real images, with errors on held-out images.

A data set (:mod:`scaling_utils.data.real`) is split once into a **pool** and a held-out **test
set** (:func:`split_pool`, stratified by label). For each seed the pool is put in a random order
and the training set of size D is its first D images, so training sets are nested within a seed
and independent across seeds. Errors are mean squared errors on the test images, summed over
output columns (one column for the ±1 parity of a digit, ten for one-hot labels).

Learners, each with one factorization per seed serving every size:

* **Kernel regression** (:func:`kernel_curves`): predictor :math:`k_x^\top(K_D + \delta I)^{-1}y`
  with the Laplace :math:`e^{-|x-x'|/\ell}`, Gaussian :math:`e^{-|x-x'|^2/2\ell^2}` or arc-cosine
  (infinite-width ReLU, :func:`~scaling_utils.engines.features.arccos_kernel`) kernel. The
  Cholesky factor of the largest training set's :math:`K + \delta I` serves all D: the factor of a
  leading block is the leading block of the factor.
* **1-NN regression** (:func:`nearest_neighbour_curves`): :math:`\hat f(x) = y_{\rm NN(x)}`; the
  running minimum along the pool order of the test–pool distance matrix gives the nearest
  neighbour among the first D for every D at once.
* **Random ReLU features** (:func:`random_feature_curves`): :math:`\varphi_j(x) = \max(0, w_j\cdot x)`,
  :math:`w_j \sim \mathcal N(0, I)`, least squares with a relative ridge ``ridge``·tr/size
  (a jitter: the minimum-norm solution when D < P). A seed draws the weights and the pool order;
  P features are the first P of the seed's weights. Solved in the D×D form when D ≤ P, in the
  P×P form otherwise (the two are equal: :math:`\Phi^\top(\Phi\Phi^\top+\delta)^{-1} =
  (\Phi^\top\Phi+\delta)^{-1}\Phi^\top`).

The ``*_point`` functions are the grid points the chapters pass to
:func:`~scaling_utils.engines.sweep.run_sweep` (cached on disk): they take small parameters
(the data set's name, sizes, seeds) and load the data themselves.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from scipy import linalg

from ..data import real
from ..measurement.spectra import covariance_spectrum, kernel_eigensystem
from ..validation import (
    as_float_array,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
    check_square,
    require_finite,
)
from .features import arccos_kernel

__all__ = [
    "DATASETS",
    "KERNELS",
    "intrinsic_dimension_point",
    "kernel_curve_point",
    "kernel_curves",
    "kernel_eigensystem_point",
    "kernel_matrix",
    "median_distance",
    "nearest_neighbour_curves",
    "nearest_neighbour_point",
    "pairwise_distances",
    "random_feature_curves",
    "random_feature_point",
    "self_distance_curves",
    "self_distance_point",
    "spectrum_point",
    "split_pool",
]

KERNELS = ("laplace", "gaussian", "arccos")
DATASETS = ("mnist", "digits")


def split_pool(labels: Any, n_test: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(pool, test) index arrays, sorted; the test set holds ``n_test`` images, equally many per label.

    >>> pool, test = split_pool(np.repeat([0, 1], 5), 4, seed=1)
    >>> len(pool), np.bincount(np.repeat([0, 1], 5)[test]).tolist()
    (6, [2, 2])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-d (got shape {labels.shape})")
    if labels.size < 2:
        raise ValueError(f"labels must hold at least 2 images, one for the pool and one for the test set "
                         f"(got {labels.size})")
    seed = check_seed("seed", seed)
    classes = np.unique(labels)
    n_test = check_positive_int("n_test", n_test, minimum=classes.size)
    if n_test > labels.size - 1:
        raise ValueError(f"n_test must be at most {labels.size - 1}, one less than the number of labels, to leave "
                         f"an image for the pool (got {n_test})")
    if n_test % classes.size:
        raise ValueError(f"n_test must be a multiple of the number of labels {classes.size} (got {n_test})")
    per = n_test // classes.size
    rng = np.random.default_rng(seed)
    test = []
    for c in classes:
        members = np.flatnonzero(labels == c)
        if members.size <= per:
            raise ValueError(f"n_test={n_test} leaves no pool images of label {c!r} ({members.size} in all)")
        test.append(rng.choice(members, per, replace=False))
    test = np.sort(np.concatenate(test))
    return np.setdiff1d(np.arange(labels.size), test), test


def pairwise_distances(x1: Any, x2: Any | None = None) -> np.ndarray:
    """Euclidean distances (N1, N2) from :math:`|a|^2 + |b|^2 - 2a\\cdot b` (one matrix product), clipped at 0.

    Both sets are first shifted by the mean of ``x1`` (distances do not change): the expansion
    cancels :math:`|a|^2 + |b|^2` against :math:`2a\\cdot b`, and far from the origin that
    cancellation would eat the digits of small distances.
    """
    x1 = as_float_array("x1", x1, ndim=2)
    same = x2 is None
    x2 = x1 if same else as_float_array("x2", x2, ndim=2)
    if x1.shape[1] != x2.shape[1]:
        raise ValueError(f"x1 and x2 must have the same dimension ({x1.shape[1]} != {x2.shape[1]})")
    with np.errstate(over="ignore", invalid="ignore"):
        centre = x1.mean(axis=0)
        x1 = x1 - centre
        x2 = x1 if same else x2 - centre
        d2 = (x1**2).sum(1)[:, None] + (x2**2).sum(1)[None, :] - 2.0 * x1 @ x2.T
    d = np.sqrt(np.maximum(d2, 0.0))
    if same:
        np.fill_diagonal(d, 0.0)
    return require_finite("the distances", d, "x1 or x2 has entries so large that their squares overflow")


def median_distance(x: Any) -> float:
    """Median distance between distinct rows of ``x``: the kernels' length scale ℓ in the chapters."""
    x = as_float_array("x", x, ndim=2)
    if x.shape[0] < 2:
        raise ValueError(f"x must have at least 2 rows to have a distance between them (got {x.shape[0]})")
    d = pairwise_distances(x)
    return float(np.median(d[np.triu_indices(len(d), 1)]))


def kernel_matrix(name: str, x1: Any, x2: Any | None = None, *, length: float | None = None) -> np.ndarray:
    """Gram matrix of the ``"laplace"``, ``"gaussian"`` (length scale ``length`` > 0) or ``"arccos"`` kernel.

    >>> float(kernel_matrix("laplace", [[0.0, 0.0], [3.0, 4.0]], length=5.0)[0, 1]) == float(np.exp(-1))
    True
    """
    check_choice("kernel", name, KERNELS)
    if name == "arccos":
        return arccos_kernel(x1, x2)
    if length is None:
        raise ValueError(f"the {name} kernel needs a length scale: pass length > 0")
    length = check_in_range("length", length, low=0, low_open=True)
    d = pairwise_distances(x1, x2)
    return np.exp(-d / length) if name == "laplace" else np.exp(-0.5 * (d / length) ** 2)


def _orders(pool: np.ndarray, seeds: int, seed: int) -> list[np.ndarray]:
    return [np.random.default_rng([seed, s]).permutation(pool) for s in range(seeds)]


def _indices(name: str, value: Any, n: int, rows: str) -> np.ndarray:
    """A non-empty 1-d array of integer indices into the ``n`` rows of the array named ``rows``."""
    idx = as_float_array(name, value, ndim=1)
    if idx.size == 0 or np.any(idx != np.round(idx)):
        raise ValueError(f"{name} must be a non-empty 1-d array of integer indices (got {value!r:.80})")
    if idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"{name} indices must lie in [0, {n}), the rows of {rows} "
                         f"(got [{idx.min():g}, {idx.max():g}])")
    return idx.astype(np.int64)


def _check_split(n: int, pool: Any, test: Any, sizes: Any, name: str = "sizes", rows: str = "gram"
                 ) -> tuple[np.ndarray, ...]:
    pool = _indices("pool", pool, n, rows)
    test = _indices("test", test, n, rows)
    if np.intersect1d(pool, test).size:
        raise ValueError("pool and test must not share images")
    sizes = check_sizes(name, sizes)
    if sizes[-1] > pool.size:
        raise ValueError(f"{name} must be at most the pool size {pool.size} (got {sizes[-1]})")
    return pool, test, sizes


def _targets(y: Any, n: int, name: str = "y", rows: str = "image") -> np.ndarray:
    y = as_float_array(name, y, ndim=(1, 2))
    if y.shape[0] != n:
        raise ValueError(f"{name} must have one row per {rows} ({n}), got {y.shape[0]}")
    return y.reshape(n, -1)


def _mse(pred: np.ndarray, y: np.ndarray) -> float:
    return float(((pred - y) ** 2).sum(1).mean())


def kernel_curves(gram: Any, y: Any, pool: Any, test: Any, sizes: Any, *, seeds: int = 8, seed: int = 0,
                  ridge: float = 0.0) -> dict[str, np.ndarray]:
    """Kernel-regression errors: ``"test"`` on the held-out test images and ``"pool"`` averaged over
    every pool image (the training images included), each (seeds, sizes) — the latter is the error
    under the pool's own uniform measure that :func:`scaling_utils.theory.kernels.learning_curve`
    predicts from the pool's eigensystem — and ``"test_se"`` (sizes,), the standard error that the
    finite test set adds to the seed-averaged test error: the spread over test images of each
    image's seed-averaged squared error, divided by √n_test (common to all seeds, so the spread
    over seeds does not contain it).

    Parameters
    ----------
    gram : (n, n) kernel matrix over all images (pool and test).
    y : (n,) or (n, c) targets.
    pool, test : disjoint index arrays (:func:`split_pool`).
    sizes : increasing training-set sizes D ≤ pool size.
    seeds, seed : number of random pool orders and the seed of their generator.
    ridge : δ ≥ 0 added to the diagonal of the training Gram matrix (0: interpolation).
    """
    gram = check_square("gram", gram, symmetric=True)
    n = gram.shape[0]
    pool, test, sizes = _check_split(n, pool, test, sizes)
    y = _targets(y, n, rows="row of gram")
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    ridge = check_in_range("ridge", ridge, low=0)
    top = int(sizes[-1])
    out = {"test": np.empty((seeds, sizes.size)), "pool": np.empty((seeds, sizes.size))}
    per_image = np.zeros((sizes.size, test.size))
    for s, order in enumerate(_orders(pool, seeds, seed)):
        train = order[:top]
        try:
            chol = linalg.cholesky(gram[np.ix_(train, train)] + ridge * np.eye(top), lower=True)
        except linalg.LinAlgError as exc:
            raise ValueError("the training Gram matrix is not positive definite: pass a ridge > 0") from exc
        k_test = gram[np.ix_(test, train)]
        k_pool = gram[np.ix_(pool, train)]
        for j, D in enumerate(sizes):
            c = chol[:D, :D]
            coef = linalg.solve_triangular(c, linalg.solve_triangular(c, y[train[:D]], lower=True),
                                           lower=True, trans="T")
            sq = ((k_test[:, :D] @ coef - y[test]) ** 2).sum(1)
            per_image[j] += sq / seeds
            out["test"][s, j] = float(sq.mean())
            out["pool"][s, j] = _mse(k_pool[:, :D] @ coef, y[pool])
    out["test_se"] = per_image.std(1, ddof=1) / np.sqrt(test.size)
    return out


def nearest_neighbour_curves(distances: Any, y_pool: Any, y_test: Any, sizes: Any, *, seeds: int = 8,
                             seed: int = 0) -> dict[str, np.ndarray]:
    """1-NN regression MSE and mean nearest-neighbour distance, each (seeds, sizes).

    ``distances`` is the (n_test, n_pool) matrix from test to pool images; ``y_pool``, ``y_test``
    their targets. For each seed the pool is taken in a random order (generator ``[seed, s]``) and
    the nearest of its first D images is found for every D by a running minimum.
    """
    dist = as_float_array("distances", distances, ndim=2, nonnegative=True)
    n_test, n_pool = dist.shape
    y_pool = _targets(y_pool, n_pool, "y_pool", "column of distances")
    y_test = _targets(y_test, n_test, "y_test", "row of distances")
    sizes = check_sizes("sizes", sizes)
    if sizes[-1] > n_pool:
        raise ValueError(f"sizes must be at most the pool size {n_pool} (got {sizes[-1]})")
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    mse, mean_dist = np.empty((seeds, sizes.size)), np.empty((seeds, sizes.size))
    rows = np.arange(n_test)
    for s, order in enumerate(_orders(np.arange(n_pool), seeds, seed)):
        d = dist[:, order[:sizes[-1]]]
        running = np.minimum.accumulate(d, axis=1)
        for j, D in enumerate(sizes):
            nn = order[np.argmin(d[:, :D], axis=1)]
            mse[s, j] = _mse(y_pool[nn], y_test)
            mean_dist[s, j] = running[rows, D - 1].mean()
    return {"mse": mse, "distance": mean_dist}


def self_distance_curves(distances: Any, sizes: Any, *, seeds: int = 8, seed: int = 0) -> np.ndarray:
    r"""Mean distance from each point to the nearest of D *other* points of the same set, (seeds, sizes).

    ``distances`` is the (N, N) matrix of the set. For each seed the points are put in a random
    order (generator ``[seed, s]``); for each point, the D others are the first D points of that
    order other than itself. This is the nearest-neighbour distance behind the resolution-limited
    exponents, :math:`\mathbb E\,r \propto D^{-1/d}` on a d-dimensional manifold, measured on
    the data themselves (sizes up to N − 1).
    """
    dist = as_float_array("distances", distances, ndim=2, nonnegative=True)
    n = dist.shape[0]
    if dist.shape != (n, n):
        raise ValueError(f"distances must be square (got shape {dist.shape})")
    if dist.size and dist.max() > np.finfo(np.float32).max:
        raise ValueError(f"distances must be at most {np.finfo(np.float32).max:.3g} (they are held in float32; "
                         f"got {dist.max():.3g})")
    sizes = check_sizes("sizes", sizes)
    if sizes[-1] > n - 1:
        raise ValueError(f"sizes must be at most N - 1 = {n - 1}, N the number of rows of distances "
                         f"(got {sizes[-1]})")
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    out = np.empty((seeds, sizes.size))
    masked = dist.astype(np.float32)      # float32: half the memory traffic; distances are O(1)
    np.fill_diagonal(masked, np.inf)
    for s, order in enumerate(_orders(np.arange(n), seeds, seed)):
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        nearest = np.full(n, np.inf, dtype=np.float32)   # nearest among the first `done` of the order
        done = 0
        for j, D in enumerate(sizes):
            if D > done:
                nearest = np.minimum(nearest, masked[:, order[done:D]].min(axis=1))
                done = D
            # a point among the first D sees only D - 1 others there: take one more point for it
            first = nearest.astype(float)
            if D < n:
                inside = position < D
                first[inside] = np.minimum(first[inside], masked[inside, order[D]])
            out[s, j] = first.mean()
    return out


def _ridge_predict(phi: np.ndarray, y: np.ndarray, phi_test: np.ndarray, ridge: float) -> np.ndarray:
    D, P = phi.shape
    try:
        if D <= P:
            a = phi @ phi.T
            a[np.diag_indices(D)] += ridge * np.trace(a) / D
            coef = linalg.cho_solve(linalg.cho_factor(a, lower=True), y)
            return (phi_test @ phi.T) @ coef
        a = phi.T @ phi
        a[np.diag_indices(P)] += ridge * np.trace(a) / P
        theta = linalg.cho_solve(linalg.cho_factor(a, lower=True), phi.T @ y)
    except (linalg.LinAlgError, ValueError) as exc:      # not positive definite, or not finite
        raise ValueError(f"ridge={ridge!r} leaves the {min(D, P)}-dimensional system singular or overflows it: the "
                         "relative ridge must lie above rounding level and far below 1/eps (e.g. 1e-10)") from exc
    return phi_test @ theta


def random_feature_curves(x: Any, y: Any, pool: Any, test: Any, n_samples: Any, n_features: Any, *,
                          seeds: int = 8, seed: int = 0, ridge: float = 1e-10) -> np.ndarray:
    """Test MSE of least squares on random ReLU features, shape (seeds, len(n_samples), len(n_features)).

    ``n_samples`` (D) and ``n_features`` (P) are increasing sizes; every pair is fitted. ``ridge`` is
    relative to the mean diagonal of the matrix solved (a jitter; keep away from D = P, where the
    minimum-norm solution has its pole).
    """
    x = as_float_array("x", x, ndim=2)
    n = x.shape[0]
    pool, test, D_sizes = _check_split(n, pool, test, n_samples, "n_samples", "x")
    P_sizes = check_sizes("n_features", n_features)
    y = _targets(y, n, rows="row of x")
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    ridge = check_in_range("ridge", ridge, low=0, low_open=True)
    out = np.empty((seeds, D_sizes.size, P_sizes.size))
    for s, order in enumerate(_orders(pool, seeds, seed)):
        w = np.random.default_rng([seed, s, 1]).standard_normal((int(P_sizes[-1]), x.shape[1]))
        train = order[:D_sizes[-1]]
        phi = np.maximum(x[train] @ w.T, 0.0)
        phi_test = np.maximum(x[test] @ w.T, 0.0)
        for i, D in enumerate(D_sizes):
            for j, P in enumerate(P_sizes):
                pred = _ridge_predict(phi[:D, :P], y[train[:D]], phi_test[:, :P], ridge)
                out[s, i, j] = _mse(pred, y[test])
    return require_finite("the errors", out, "x or y is so large that the features or errors overflow")


# --- grid points for run_sweep: small parameters, data loaded here -----------------------------

@lru_cache(maxsize=2)
def _data(dataset: str) -> real.ImageData:
    check_choice("dataset", dataset, DATASETS)
    return real.load_mnist() if dataset == "mnist" else real.load_digits()


@lru_cache(maxsize=2)
def _distances(dataset: str) -> np.ndarray:
    return pairwise_distances(_data(dataset).x)


def _split(dataset: str, n_test: int, split_seed: int) -> tuple[real.ImageData, np.ndarray, np.ndarray]:
    check_choice("dataset", dataset, DATASETS)       # before the cache, which needs a hashable name
    split_seed = check_seed("split_seed", split_seed)
    data = _data(dataset)
    pool, test = split_pool(data.labels, n_test, seed=split_seed)
    return data, pool, test


def _gram(dataset: str, kernel: str, pool: np.ndarray) -> np.ndarray:
    """Kernel matrix over all images; the length scale ℓ is the median distance within the pool."""
    data = _data(dataset)
    if kernel == "arccos":
        return arccos_kernel(data.x)
    d = _distances(dataset)
    length = float(np.median(d[np.ix_(pool, pool)][np.triu_indices(pool.size, 1)]))
    return np.exp(-d / length) if kernel == "laplace" else np.exp(-0.5 * (d / length) ** 2)


def kernel_curve_point(dataset: str, kernel: str, target: str, sizes: Any, *, n_test: int = 1000,
                       split_seed: int = 0, seeds: int = 8, seed: int = 0, ridge: float = 0.0
                       ) -> list[dict[str, float]]:
    """One sweep point: kernel-regression learning curves, rows (seed, D, mse, pool_mse)."""
    check_choice("kernel", kernel, KERNELS)
    check_choice("target", target, real.TARGETS)
    data, pool, test = _split(dataset, n_test, split_seed)
    y = real.label_targets(data.labels, target)
    err = kernel_curves(_gram(dataset, kernel, pool), y, pool, test, sizes, seeds=seeds, seed=seed, ridge=ridge)
    return [{"seed": s, "D": int(D), "mse": float(err["test"][s, j]), "pool_mse": float(err["pool"][s, j]),
             "test_se": float(err["test_se"][j])} for s in range(seeds) for j, D in enumerate(sizes)]


def kernel_eigensystem_point(dataset: str, kernel: str, targets: tuple[str, ...] = ("parity",), *,
                             n_test: int = 1000, split_seed: int = 0, pool_size: int | None = None,
                             subset_seed: int = 0) -> dict[str, Any]:
    """One sweep point: the kernel's eigenvalues on the pool (or on a random subset of it of
    ``pool_size`` images, generator ``subset_seed``) and the target powers of each of ``targets``:
    arrays ``eigenvalues`` and ``target_power_<target>``."""
    check_choice("kernel", kernel, KERNELS)
    if not isinstance(targets, tuple | list) or not targets:
        raise ValueError(f"targets must be a non-empty tuple of names from {list(real.TARGETS)} (got {targets!r})")
    for t in targets:
        check_choice("targets", t, real.TARGETS)
    subset_seed = check_seed("subset_seed", subset_seed)
    data, pool, _test = _split(dataset, n_test, split_seed)
    gram = _gram(dataset, kernel, pool)
    if pool_size is not None:
        pool_size = check_positive_int("pool_size", pool_size, minimum=2, maximum=pool.size)
        pool = np.sort(np.random.default_rng(subset_seed).choice(pool, pool_size, replace=False))
    ys = [real.label_targets(data.labels, t)[pool].reshape(pool.size, -1) for t in targets]
    es = kernel_eigensystem(gram[np.ix_(pool, pool)], np.concatenate(ys, axis=1))
    out: dict[str, Any] = {"n_pool": int(pool.size), "eigenvalues": es.eigenvalues}
    start = 0
    for t, y in zip(targets, ys, strict=True):
        out[f"target_power_{t}"] = es.column_power[start:start + y.shape[1]].sum(0)
        start += y.shape[1]
    return out


def nearest_neighbour_point(dataset: str, target: str, sizes: Any, *, n_test: int = 1000, split_seed: int = 0,
                            seeds: int = 8, seed: int = 0) -> list[dict[str, float]]:
    """One sweep point: 1-NN curves, rows (seed, D, mse, distance)."""
    check_choice("target", target, real.TARGETS)
    data, pool, test = _split(dataset, n_test, split_seed)
    y = real.label_targets(data.labels, target)
    res = nearest_neighbour_curves(_distances(dataset)[np.ix_(test, pool)], y[pool], y[test], sizes,
                                   seeds=seeds, seed=seed)
    return [{"seed": s, "D": int(D), "mse": float(res["mse"][s, j]), "distance": float(res["distance"][s, j])}
            for s in range(seeds) for j, D in enumerate(sizes)]


def random_feature_point(dataset: str, target: str, n_samples: Any, n_features: Any, *, n_test: int = 1000,
                         split_seed: int = 0, seeds: int = 8, seed: int = 0, ridge: float = 1e-10
                         ) -> list[dict[str, float]]:
    """One sweep point: random-ReLU-feature curves, rows (seed, D, P, mse)."""
    check_choice("target", target, real.TARGETS)
    data, pool, test = _split(dataset, n_test, split_seed)
    y = real.label_targets(data.labels, target)
    mse = random_feature_curves(data.x, y, pool, test, n_samples, n_features, seeds=seeds, seed=seed, ridge=ridge)
    return [{"seed": s, "D": int(D), "P": int(P), "mse": float(mse[s, i, j])}
            for s in range(seeds) for i, D in enumerate(n_samples) for j, P in enumerate(n_features)]


def spectrum_point(source: str, features: str, *, n_features: int = 0, seed: int = 0, patch_size: int = 16
                   ) -> dict[str, Any]:
    r"""One sweep point: a covariance spectrum with its jackknife replicates.

    ``source`` is ``"mnist"`` or ``"digits"`` (the jackknife deletes one digit class at a time) or
    ``"patches"`` (natural-image patches of ``patch_size``; it deletes one photograph at a time).
    ``features`` is ``"pixels"`` or ``"relu"``: ``n_features`` random features
    :math:`\max(0, w\cdot x)`, :math:`w \sim \mathcal N(0, I/p)` (weights from generator ``seed``).
    Returns arrays ``eigenvalues``, ``replicates`` and, for ``"relu"``, ``linear_eigenvalues``: the
    spectrum of the linear features :math:`w\cdot x` with the same weights,
    :math:`\mathrm{eig}(W C W^\top)` for the pixel covariance C.
    """
    check_choice("source", source, (*DATASETS, "patches"))
    check_choice("features", features, ("pixels", "relu"))
    seed = check_seed("seed", seed)
    data = real.natural_patches(patch_size) if source == "patches" else _data(source)
    x = data.x
    out: dict[str, Any] = {}
    if features == "relu":
        n_features = check_positive_int("n_features", n_features)
        w = np.random.default_rng(seed).standard_normal((n_features, x.shape[1])) / np.sqrt(x.shape[1])
        xc = x - x.mean(0)
        cov = xc.T @ xc / x.shape[0]
        out["linear_eigenvalues"] = np.maximum(np.linalg.eigvalsh(w @ cov @ w.T)[::-1], 0.0)
        x = np.maximum(x @ w.T, 0.0)
    spec = covariance_spectrum(x, groups=data.labels)
    out.update({"n_samples": spec.n_samples, "groups": spec.groups, "eigenvalues": spec.eigenvalues,
                "replicates": spec.replicates, "dim": data.dim})
    return out


def intrinsic_dimension_point(dataset: str, method: str, *, k1: int = 10, k2: int = 20, groups: int = 10,
                              seed: int = 0) -> dict[str, float]:
    """One sweep point: TwoNN (``method="twonn"``) or Levina–Bickel (``"mle"``, neighbours k1…k2) on a
    whole data set (``"mnist"``, ``"digits"``, ``"faces"``) with its delete-a-group jackknife
    interval (``groups`` groups, generator ``seed``). Points whose neighbour distances tie (the
    digits' integer grey levels make a few) are left out of the statistic (``ties="drop"``)."""
    from ..measurement.dimension import levina_bickel, twonn

    check_choice("dataset", dataset, (*DATASETS, "faces"))
    check_choice("method", method, ("twonn", "mle"))
    x = real.load_faces().x if dataset == "faces" else _data(dataset).x
    est = (twonn(x, ci="jackknife", groups=groups, seed=seed, ties="drop") if method == "twonn" else
           levina_bickel(x, k1=k1, k2=k2, ci="jackknife", groups=groups, seed=seed, ties="drop"))
    return {"dimension": est.dimension, "lo": est.interval[0], "hi": est.interval[1], "n_points": est.n_points,
            "n_duplicates": est.n_duplicates, "n_tied": est.n_tied}


def self_distance_point(dataset: str, sizes: Any, *, seeds: int = 8, seed: int = 0) -> list[dict[str, float]]:
    """One sweep point: :func:`self_distance_curves` on a whole data set (``"mnist"``, ``"digits"``,
    ``"faces"``), rows (seed, D, distance)."""
    check_choice("dataset", dataset, (*DATASETS, "faces"))
    seed = check_seed("seed", seed)
    dist = pairwise_distances(real.load_faces().x) if dataset == "faces" else _distances(dataset)
    curves = self_distance_curves(dist, sizes, seeds=seeds, seed=seed)
    return [{"seed": s, "D": int(D), "distance": float(curves[s, j])} for s in range(seeds)
            for j, D in enumerate(sizes)]
