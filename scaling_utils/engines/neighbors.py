r"""Geometry of samples and the local models of the resolution-limited regime.

* :func:`nearest_neighbors` — k nearest training points of each query: ``scipy.spatial.KDTree``
  (periodic ``boxsize`` for the torus, all cores) in low ambient dimension, blocked NumPy matrix
  products in high ambient dimension, where k-d trees lose their advantage: the squared distances
  are expanded about the training points' centroid c, :math:`|x - c|^2 - 2(q - c)\cdot(x - c)` (+ the
  query's own :math:`|q - c|^2`, which does not change the ranking), so that points far from the
  origin lose no digits to cancellation; the k smallest per query are found by k passes of
  ``argmin`` (k ≤ 32; a partition of each row otherwise), and the selected distances are recomputed
  exactly.
* :func:`one_nn_predict` — piecewise-constant prediction :math:`\hat f(x) = y_{\rm NN(x)}`.
* :func:`linear_interpolate_torus` — piecewise-linear interpolation on the Delaunay triangulation
  (Bahri et al.'s "interpolating model"; Sharma–Kaplan's :math:`\alpha \approx 4/d`), made periodic by
  adding the periodic images of the points within a margin of the unit cell.
* :func:`cell_model_predict` — the P-parameter models of Theorem 3: a grid of cubic cells with a
  constant or an affine piece each, fitted with infinite data (the exact :math:`L^2` projection of
  the target, computed in closed form for a Fourier target).
* Sweeps (:func:`nn_regression_sweep`, :func:`interpolation_sweep`, :func:`cell_model_sweep`)
  return tidy tables, one row per (size, seed), for :func:`scaling_utils.measurement.fitting.curve_from_table`.

Every computation is vectorized over points; loops run only over seeds, sizes, periodic images or
coordinate axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..data.manifolds import FourierTarget, TorusEmbedding
from ..theory.neighbors import ball_volume, sinc_moment
from ..validation import (
    InputTypeError,
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
    require_finite,
)

__all__ = [
    "cell_model_predict",
    "cell_model_sweep",
    "interpolation_sweep",
    "linear_interpolate_torus",
    "nearest_neighbors",
    "nn_regression_sweep",
    "one_nn_predict",
    "theory_ratio",
]

_KDTREE_MAX_DIM = 12
_ARGMIN_K = 32    # up to this many neighbours, k passes of argmin beat a partition of every row


def _points(name: str, x: Any) -> np.ndarray:
    x = as_float_array(name, x, ndim=2)
    if x.shape[0] == 0:
        raise ValueError(f"{name} must contain at least one point")
    return x


def _wrap(x: np.ndarray, boxsize: float) -> np.ndarray:
    """Coordinates reduced into [0, boxsize): ``np.mod`` can round a tiny negative up to boxsize itself."""
    x = np.mod(x, boxsize)
    x[x >= boxsize] = 0.0
    return x


def _k_smallest(d2: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k smallest entries of each row of ``d2`` (overwritten)."""
    n, m = d2.shape
    if k >= m:
        return np.broadcast_to(np.arange(m), (n, m))
    if k > _ARGMIN_K:
        return np.argpartition(d2, k - 1, axis=1)[:, :k]
    rows, out = np.arange(n), np.empty((n, k), dtype=np.int64)
    for j in range(k):                  # k passes over the block, each one vectorized argmin
        out[:, j] = d2.argmin(axis=1)
        d2[rows, out[:, j]] = np.inf
    return out


def _brute_force(train: np.ndarray, queries: np.ndarray, k: int, block: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    centre = train.mean(axis=0)
    tc = train - centre
    # one matrix product gives |x − c|² − 2 (q − c)·(x − c): the queries carry a column of ones
    right = np.empty((len(train), train.shape[1] + 1))
    np.multiply(tc, -2.0, out=right[:, :-1])
    right[:, -1] = np.einsum("ij,ij->i", tc, tc)
    dist = np.empty((len(queries), k))
    idx = np.empty((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), block):  # loop over blocks of queries, not points
        q = queries[start:start + block]
        left = np.empty((len(q), train.shape[1] + 1))
        np.subtract(q, centre, out=left[:, :-1])
        left[:, -1] = 1.0
        part = _k_smallest(left @ right.T, k)
        d = np.linalg.norm(q[:, None, :] - train[part], axis=-1)  # exact, not from the expansion
        order = np.argsort(d, axis=1)
        dist[start:start + block] = np.take_along_axis(d, order, 1)
        idx[start:start + block] = np.take_along_axis(part, order, 1)
    return dist, idx


def nearest_neighbors(train: Any, queries: Any, k: int = 1, *, boxsize: float | None = None,
                      method: str = "auto", block: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Distances and indices of the ``k`` nearest training points of each query.

    Parameters
    ----------
    train : (D, n) training points. queries : (Q, n) query points.
    k : number of neighbours, 1 ≤ k ≤ D.
    boxsize : period of a periodic box (the torus :math:`[0, L)^n`), or None for Euclidean space.
        Points are reduced modulo ``boxsize``; only the k-d tree supports it.
    method : "kdtree", "brute" (blocked matrix products) or "auto" (k-d tree when n ≤ 12 or periodic).
    block : queries per block of the brute-force search (memory ≈ 8·block·D bytes); default
        :math:`\\max(64, \\lfloor 2^{19}/D \\rfloor)` (about 4 MB, so that the passes selecting the
        k nearest run in cache).

    Returns
    -------
    (dist, idx), each of shape (Q, k), sorted by distance.

    Examples
    --------
    >>> import numpy as np
    >>> dist, idx = nearest_neighbors(np.array([[0.1], [0.9]]), np.array([[0.02]]), boxsize=1.0)
    >>> round(float(dist[0, 0]), 2), int(idx[0, 0])
    (0.08, 0)
    """
    train = _points("train", train)
    queries = _points("queries", queries)
    if train.shape[1] != queries.shape[1]:
        raise ValueError(f"train and queries must have the same dimension ({train.shape[1]} != "
                         f"{queries.shape[1]})")
    k = check_positive_int("k", k, maximum=len(train))
    method = check_choice("method", method, ["auto", "kdtree", "brute"])
    block = max(64, 2**19 // len(train)) if block is None else check_positive_int("block", block)
    if boxsize is not None:
        boxsize = check_in_range("boxsize", boxsize, low=0, low_open=True)
        if method == "brute":
            raise ValueError('method="brute" does not support a periodic boxsize; use "kdtree"')
        train, queries = _wrap(train, boxsize), _wrap(queries, boxsize)
    if method == "auto":
        method = "kdtree" if boxsize is not None or train.shape[1] <= _KDTREE_MAX_DIM else "brute"
    n_dim, rows = train.shape[1], min(block, len(queries))
    check_budget("nearest_neighbors", nbytes=16.0 * len(queries) * k + 8.0 * len(train) * (n_dim + 2) + (
        8.0 * rows * (len(train) + k * n_dim) if method == "brute" else 0.0),
        work=2.0 * len(queries) * len(train) * (n_dim + min(k, _ARGMIN_K)) if method == "brute"
        else 50.0 * (len(train) + len(queries) * k) * np.log2(len(train) + 1) * n_dim,
        iterations=len(queries) / rows * (k + 2) if method == "brute" else 0)
    if method == "brute":
        from .backend import blas_threads

        with blas_threads(np, len(train)):   # small products: one BLAS thread is faster (and thread-independent)
            dist, idx = _brute_force(train, queries, k, block)
    else:
        from scipy.spatial import KDTree

        dist, idx = KDTree(train, boxsize=boxsize).query(queries, k=k, workers=-1)
    if not np.all(np.isfinite(dist)):
        raise ValueError("train and queries are too large: their distances overflow in floating point")
    return dist.reshape(len(queries), k), idx.reshape(len(queries), k)


def one_nn_predict(train_x: Any, train_y: Any, test_x: Any, *, boxsize: float | None = None
                   ) -> np.ndarray:
    """Piecewise-constant (1-nearest-neighbour) prediction :math:`\\hat f(x) = y_{\\mathrm{NN}(x)}`."""
    train_y = as_float_array("train_y", train_y, ndim=1)
    train_x = _points("train_x", train_x)
    if len(train_y) != len(train_x):
        raise ValueError(f"train_y must have one value per row of train_x ({len(train_y)} != {len(train_x)})")
    _, idx = nearest_neighbors(train_x, test_x, 1, boxsize=boxsize)
    return train_y[idx[:, 0]]


def _single_threaded_blas() -> Any:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(1, user_api="blas")


def _periodic_margin(n: int, d: int) -> float:
    """Width of the layer of periodic images that makes the padded Delaunay triangulation agree
    with the periodic one on the unit cell: twice the typical largest empty-ball radius
    :math:`(2(\\log n + 1)/(n V_d))^{1/d}`, at most 1/2."""
    return float(min(0.5, 2 * (2 * (np.log(n) + 1) / (n * ball_volume(d))) ** (1 / d)))


def linear_interpolate_torus(train_x: Any, train_y: Any, test_x: Any, *, margin: float | None = None
                             ) -> np.ndarray:
    """Periodic piecewise-linear interpolation on the unit torus :math:`[0,1)^d`.

    d = 1: ``numpy.interp`` with period 1. d ≥ 2: every training point is copied to its periodic
    images that fall within ``margin`` of the unit cell, the padded set is triangulated (Delaunay,
    ``scipy.interpolate.LinearNDInterpolator``), and the test points are interpolated linearly in
    their simplex. The default margin is :func:`_periodic_margin`; the triangulation inside the unit
    cell is then the periodic one. Cost grows quickly with d (Qhull); d ≤ 4 is practical.

    Returns the interpolated values, shape (Q,).
    """
    x = _points("train_x", train_x)
    y = as_float_array("train_y", train_y, ndim=1)
    t = _points("test_x", test_x)
    if len(y) != len(x):
        raise ValueError(f"train_y must have one value per training point, a row of train_x ({len(y)} != {len(x)})")
    d = x.shape[1]
    if t.shape[1] != d:
        raise ValueError(f"test_x must have d = {d} columns (got {t.shape[1]})")
    if len(x) < d + 2:
        raise ValueError(f"need at least d + 2 = {d + 2} training points to interpolate (got {len(x)})")
    x, t = _wrap(x, 1.0), _wrap(t, 1.0)
    if d == 1:
        return np.interp(t[:, 0], x[:, 0], y, period=1.0)
    margin = _periodic_margin(len(x), d) if margin is None else check_in_range(
        "margin", margin, low=0, high=1, low_open=True)
    padded_size = len(x) * (1 + 2 * margin) ** d
    check_budget("linear_interpolate_torus", nbytes=8.0 * (padded_size * (d + 1) * (d + 2) + len(t) * (d + 2)),
                 work=padded_size * 2.0 ** d * 1e3 + len(t) * d * d * 100, iterations=3.0**d)
    shifts = np.indices((3,) * d).reshape(d, -1).T - 1
    padded, values = [], []
    for s in shifts:  # 3^d periodic images, each selected with one vectorized mask
        img = x + s
        keep = np.all((img >= -margin) & (img <= 1 + margin), axis=1)
        padded.append(img[keep])
        values.append(y[keep])
    from scipy.interpolate import LinearNDInterpolator

    # Qhull's barycentric transforms call LAPACK once per simplex: a multi-threaded BLAS makes
    # each tiny call pay thread start-up (10x slower on a busy machine), so pin it to one thread.
    with _single_threaded_blas():
        interp = LinearNDInterpolator(np.concatenate(padded), np.concatenate(values))
        out = interp(t)
    if np.any(np.isnan(out)):
        raise ValueError("some test points fell outside the padded triangulation; increase margin")
    return out


def cell_model_predict(test_x: Any, target: FourierTarget, cells_per_side: int, order: int = 0
                       ) -> np.ndarray:
    """Prediction of the best (infinite-data, :math:`L^2`) cell model at ``test_x``.

    The torus is cut into :math:`m^d` cubes of side :math:`h = 1/m` (``cells_per_side`` = m).
    ``order=0``: the cell mean of f (:math:`m^d` parameters). ``order=1``: the :math:`L^2` projection
    on affine functions in each cell, :math:`c_0 + b\\cdot(x - c)` with
    :math:`b_i = \\langle f, x_i - c_i\\rangle / (h^2/12)` (:math:`(d+1)m^d` parameters). For a Fourier
    mode both are closed forms: with :math:`z = a e^{i(2\\pi k\\cdot c + \\phi)}`,
    :math:`c_0 = \\mathrm{Re}\\, z\\prod_j \\mathrm{sinc}(k_j h)` and
    :math:`\\langle f, x_i - c_i\\rangle = \\mathrm{Re}\\, i z\\,(h/2)\\,\\frac{\\sin u - u\\cos u}{u^2}
    \\prod_{j\\ne i}\\mathrm{sinc}(k_j h)`, :math:`u = \\pi k_i h`.
    """
    t = _points("test_x", test_x)
    if not isinstance(target, FourierTarget):
        raise InputTypeError(f"target must be a FourierTarget (got {type(target).__name__})")
    d = target.d
    if t.shape[1] != d:
        raise ValueError(f"test_x must have d = {d} columns (got {t.shape[1]})")
    m = check_positive_int("cells_per_side", cells_per_side)
    order = check_choice("order", order, [0, 1])
    modes = target.frequencies.shape[0]
    check_budget("cell_model_predict", nbytes=16.0 * 4 * len(t) * modes, work=20.0 * len(t) * modes * (d + 1) ** 2)
    h = 1.0 / m
    t = np.mod(t, 1.0)
    centre = (np.minimum(np.floor(t * m), m - 1) + 0.5) * h
    offset = t - centre
    k = target.frequencies.astype(float)  # (M, d)
    z = target.amplitudes * np.exp(1j * (2 * np.pi * centre @ k.T + target.phases))  # (Q, M)
    sinc = np.sinc(k * h)  # (M, d)
    pred = (z * sinc.prod(1)).real.sum(1)
    if order == 1:
        first = 1j * (h / 2) * sinc_moment(np.pi * k * h)  # (M, d)
        for i in range(d):  # loop over axes
            others = np.prod(np.delete(sinc, i, axis=1), axis=1)
            slope = (z * first[:, i] * others).real.sum(1) / (h**2 / 12)
            pred = pred + slope * offset[:, i]
    return pred


def _check_target(d: int, target: Any) -> None:
    if not isinstance(target, FourierTarget) or target.d != d:
        raise ValueError(f"target must be a FourierTarget on the {d}-torus (got {type(target).__name__}"
                         f"{f' on the {target.d}-torus' if isinstance(target, FourierTarget) else ''})")


def _stream(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([check_seed("seed", seed), *keys])


def nn_regression_sweep(d: int, sizes: Any, target: FourierTarget, *, n_test: int = 2000,
                        seeds: int = 8, seed: int = 0, embedding: TorusEmbedding | None = None) -> Any:
    """1-NN regression of ``target`` on the torus for every training-set size and seed.

    For each seed: ``max(sizes)`` training points and ``n_test`` fresh test points are drawn once;
    the training set of size D is the first D points (nested designs). With ``embedding`` the
    neighbours are found in the ambient space by Euclidean (chordal) distance — brute force — and
    ``r`` is that ambient distance; otherwise by the flat periodic distance with a k-d tree.

    Returns a DataFrame with columns ``seed, D, r, r2, l1, mse``: the test means of
    :math:`r`, :math:`r^2`, :math:`|f - \\hat f|` and :math:`(f - \\hat f)^2`.
    """
    import pandas as pd

    d = check_positive_int("d", d)
    sizes = check_sizes("sizes", sizes, minimum=1)
    _check_target(d, target)
    if embedding is not None and (not isinstance(embedding, TorusEmbedding) or embedding.d != d):
        raise ValueError(f"embedding must be a TorusEmbedding of the {d}-torus")
    n_test = check_positive_int("n_test", n_test)
    seeds = check_positive_int("seeds", seeds)
    width = d if embedding is None else embedding.ambient_dim
    check_budget("nn_regression_sweep", nbytes=8.0 * (int(sizes[-1]) + n_test) * (width + 2) * 2,
                 work=seeds * sizes.size * (200.0 * n_test * np.log2(sizes[-1] + 1) * d if embedding is None
                                            else 2.0 * n_test * sizes.mean() * width),
                 iterations=seeds * sizes.size)
    rows = []
    for s in range(seeds):
        rng = _stream(seed, d, s)
        x = rng.random((int(sizes[-1]), d))
        t = rng.random((n_test, d))
        y, ft = target(x), target(t)
        if embedding is not None:
            xe, te = embedding(x), embedding(t)
        for D in sizes:
            if embedding is None:
                dist, idx = nearest_neighbors(x[:D], t, 1, boxsize=1.0)
            else:
                dist, idx = nearest_neighbors(xe[:D], te, 1, method="brute")
            err = ft - y[idx[:, 0]]
            r = dist[:, 0]
            rows.append((s, int(D), r.mean(), (r**2).mean(), np.abs(err).mean(), (err**2).mean()))
    return pd.DataFrame(rows, columns=["seed", "D", "r", "r2", "l1", "mse"])


def interpolation_sweep(d: int, sizes: Any, target: FourierTarget, *, n_test: int = 2000, seeds: int = 4,
                        seed: int = 0) -> Any:
    """Piecewise-linear interpolation of ``target`` for every size and seed (nested designs).

    Returns a DataFrame with columns ``seed, D, mse``.
    """
    import pandas as pd

    d = check_positive_int("d", d)
    sizes = check_sizes("sizes", sizes, minimum=d + 2)
    _check_target(d, target)
    n_test = check_positive_int("n_test", n_test)
    seeds = check_positive_int("seeds", seeds)
    check_budget("interpolation_sweep", nbytes=8.0 * (int(sizes[-1]) + n_test) * (d + 2) * 3.0**d,
                 work=seeds * float(sizes.sum()) * 3.0**d * 2.0**d * 1e3, iterations=seeds * sizes.size * 3.0**d)
    rows = []
    for s in range(seeds):
        rng = _stream(seed, d, s, 1)
        x = rng.random((int(sizes[-1]), d))
        t = rng.random((n_test, d))
        y, ft = target(x), target(t)
        for D in sizes:
            err = ft - linear_interpolate_torus(x[:D], y[:D], t)
            rows.append((s, int(D), (err**2).mean()))
    return pd.DataFrame(rows, columns=["seed", "D", "mse"])


def cell_model_sweep(d: int, cells_per_side: Any, target: FourierTarget, *, n_test: int = 20000,
                     seeds: int = 4, seed: int = 0) -> Any:
    """Population errors of the infinite-data cell models, estimated on ``n_test`` fresh points per seed.

    Returns a DataFrame with columns ``seed, m, cells, P_constant, P_linear, l1_constant,
    mse_constant, mse_linear`` (P = number of parameters: :math:`m^d` and :math:`(d+1)m^d`).
    """
    import pandas as pd

    d = check_positive_int("d", d)
    ms = check_sizes("cells_per_side", cells_per_side, minimum=1)
    _check_target(d, target)
    n_test = check_positive_int("n_test", n_test)
    seeds = check_positive_int("seeds", seeds)
    modes = target.frequencies.shape[0]
    check_budget("cell_model_sweep", nbytes=16.0 * 4 * n_test * (modes + d),
                 work=seeds * ms.size * 40.0 * n_test * modes * (d + 1) ** 2, iterations=seeds * ms.size * d)
    if float(ms[-1]) ** d >= 2**63:
        raise ValueError(f"cells_per_side must keep m^d below 2^63 (got m = {ms[-1]} in d = {d})")
    rows = []
    for s in range(seeds):
        t = _stream(seed, d, s, 2).random((n_test, d))
        ft = target(t)
        for m in ms:
            e0 = ft - cell_model_predict(t, target, int(m), 0)
            e1 = ft - cell_model_predict(t, target, int(m), 1)
            cells = int(m) ** d
            rows.append((s, int(m), cells, cells, (d + 1) * cells, np.abs(e0).mean(), (e0**2).mean(),
                         (e1**2).mean()))
    return pd.DataFrame(rows, columns=["seed", "m", "cells", "P_constant", "P_linear", "l1_constant",
                                       "mse_constant", "mse_linear"])


def theory_ratio(curves: Any, theory: Any, *, level: float = 0.95) -> tuple[float, tuple[float, float]]:
    """Measured/theory ratio pooled over sizes, with a jackknife-over-seeds Student-t interval.

    ``curves`` is (seeds, sizes), at least 2 seeds; ``theory`` (sizes,). The ratio is the mean over
    sizes of :math:`\\bar L_k / L^{\\rm th}_k` (each size weighted equally) — a mean over seeds of each
    seed's own pooled ratio — and the interval is
    :func:`~scaling_utils.measurement.fitting.jackknife_interval` over the leave-one-seed-out ratios
    (for this linear statistic, the Student-t interval of the per-seed ratios).
    """
    from ..measurement.fitting import jackknife_interval

    curves = as_float_array("curves", curves, ndim=2)
    theory = as_float_array("theory", theory, ndim=1, positive=True)
    if theory.size != curves.shape[1]:
        raise ValueError(f"theory must have one value per size ({theory.size} != {curves.shape[1]})")
    if curves.shape[0] < 2:
        raise ValueError(f"curves must hold at least 2 seeds for an interval (got {curves.shape[0]})")
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    with np.errstate(over="ignore", invalid="ignore"):
        ratio = float((curves.mean(0) / theory).mean())
        seeds = len(curves)
        loo = ((curves.sum(0) - curves) / (seeds - 1) / theory).mean(-1)  # ratio with seed s left out
    require_finite("the ratio", [ratio, *loo], "curves or curves/theory are so large that their sums overflow")
    return ratio, jackknife_interval(ratio, loo, level)
