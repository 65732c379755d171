"""Neighbour search, 1-NN, periodic linear interpolation, cell models and the sweeps."""

import numpy as np
import pytest

from scaling_utils.data.manifolds import random_fourier_target, random_torus_embedding
from scaling_utils.engines.neighbors import (
    cell_model_predict,
    cell_model_sweep,
    interpolation_sweep,
    linear_interpolate_torus,
    nearest_neighbors,
    nn_regression_sweep,
    one_nn_predict,
    theory_ratio,
)
from scaling_utils.theory import neighbors as th


def _periodic_brute(train, queries, k):
    delta = (queries[:, None, :] - train[None] + 0.5) % 1 - 0.5
    dist = np.linalg.norm(delta, axis=-1)
    idx = np.argsort(dist, axis=1)[:, :k]
    return np.take_along_axis(dist, idx, 1), idx


@pytest.mark.parametrize("d", [1, 3])
def test_kdtree_periodic_matches_brute_force(d):
    rng = np.random.default_rng(d)
    x, q = rng.random((300, d)), rng.random((50, d))
    dist, idx = nearest_neighbors(x, q, 3, boxsize=1.0)
    bd, bi = _periodic_brute(x, q, 3)
    assert np.allclose(dist, bd) and np.array_equal(idx, bi)


def test_brute_force_matches_kdtree_in_high_dimension():
    rng = np.random.default_rng(0)
    x, q = rng.standard_normal((500, 20)), rng.standard_normal((40, 20))
    d1, i1 = nearest_neighbors(x, q, 4, method="brute", block=7)
    d2, i2 = nearest_neighbors(x, q, 4, method="kdtree")
    assert np.allclose(d1, d2) and np.array_equal(i1, i2)


def test_one_nn_predict_returns_neighbour_label():
    x = np.array([[0.1], [0.5], [0.95]])
    y = np.array([1.0, 2.0, 3.0])
    assert np.array_equal(one_nn_predict(x, y, np.array([[0.02], [0.4]]), boxsize=1.0), [3.0, 2.0])


@pytest.mark.parametrize("d", [1, 2, 3])
def test_linear_interpolation_is_periodic_and_exact_for_linear_pieces(d):
    rng = np.random.default_rng(d)
    x, t = rng.random((400, d)), rng.random((300, d))
    f = random_fourier_target(d, 4, 1, seed=d)
    out = linear_interpolate_torus(x, f(x), t)
    assert np.all(np.isfinite(out))
    assert np.mean((out - f(t)) ** 2) < 0.05 * f.variance
    # training points are reproduced exactly, also at the wrap-around
    assert np.allclose(linear_interpolate_torus(x, f(x), x[:20]), f(x[:20]), atol=1e-10)
    if d >= 2:  # a wider margin does not change the triangulation inside the unit cell
        wide = linear_interpolate_torus(x, f(x), t, margin=0.5)
        assert np.allclose(out, wide, atol=1e-12)


def test_interpolation_d1_matches_theory():
    f = random_fourier_target(1, 1, 1, seed=0)
    tab = interpolation_sweep(1, [2000], f, n_test=2000, seeds=40, seed=1)
    ratio = tab.mse.mean() / th.linear_interpolation_mse_1d(np.array([2000]), f.laplacian_sq_mean)[0]
    assert ratio == pytest.approx(1, abs=0.2)


@pytest.mark.parametrize("d", [1, 2])
def test_cell_models_match_leading_order(d):
    f = random_fourier_target(d, 4, 1, seed=5)
    m = {1: 200, 2: 40}[d]
    t = np.random.default_rng(0).random((40000, d))
    e0 = np.mean((f(t) - cell_model_predict(t, f, m, 0)) ** 2)
    e1 = np.mean((f(t) - cell_model_predict(t, f, m, 1)) ** 2)
    assert e0 / th.cell_model_mse(m**d, d, 0, f.gradient_sq_mean) == pytest.approx(1, abs=0.05)
    assert e1 / th.cell_model_mse((d + 1) * m**d, d, 1, f.hessian_cell_constant) == pytest.approx(1, abs=0.05)
    # the affine projection is orthogonal to the cell's constant: its error has zero cell means
    assert abs(np.mean(f(t) - cell_model_predict(t, f, m, 1))) < 1e-3


def test_nn_regression_sweep_matches_exact_theory():
    d = 2
    f = random_fourier_target(d, 4, 1, seed=2)
    tab = nn_regression_sweep(d, [100, 3000], f, n_test=1000, seeds=10, seed=3)
    curves = tab.pivot(index="seed", columns="D", values="mse").to_numpy()
    ratio, interval = theory_ratio(curves, th.one_nn_mse(np.array([100, 3000]), d, f.wavenumbers,
                                                          f.amplitudes))
    assert interval[0] - 0.02 <= 1 <= interval[1] + 0.02
    assert interval[0] <= ratio <= interval[1]
    emb = random_torus_embedding(d, 12, seed=0)
    tab_e = nn_regression_sweep(d, [100, 3000], f, n_test=500, seeds=2, seed=3, embedding=emb)
    assert np.all(tab_e.r.to_numpy() <= tab.r.to_numpy()[:4] * 1.05 + 0.01)  # chords are shorter


def test_theory_ratio_is_the_t_interval_of_per_seed_ratios():
    rng = np.random.default_rng(0)
    theory = np.array([1.0, 0.5, 0.25])
    curves = theory * (1 + 0.1 * rng.standard_normal((6, 3)))
    ratio, (lo, hi) = theory_ratio(curves, theory, level=0.9)
    per_seed = (curves / theory).mean(1)
    half = 2.015048372669157 * per_seed.std(ddof=1) / np.sqrt(6)  # t_5 at 0.95
    assert ratio == pytest.approx(per_seed.mean()) and (lo, hi) == pytest.approx((ratio - half, ratio + half))


def test_cell_model_sweep_columns():
    f = random_fourier_target(2, 3, 1, seed=1)
    tab = cell_model_sweep(2, [4, 8], f, n_test=2000, seeds=2)
    assert list(tab.P_linear[:2]) == [48, 192]
    assert np.all(np.diff(tab.mse_linear[:2]) < 0)


def test_bad_inputs():
    x = np.random.default_rng(0).random((10, 2))
    with pytest.raises(ValueError, match="k must be"):
        nearest_neighbors(x, x, 11)
    with pytest.raises(ValueError, match="same dimension"):
        nearest_neighbors(x, x[:, :1])
    with pytest.raises(ValueError, match="brute"):
        nearest_neighbors(x, x, boxsize=1.0, method="brute")
    with pytest.raises(ValueError, match="method"):
        nearest_neighbors(x, x, method="ball")
    with pytest.raises(ValueError, match="train_y"):
        one_nn_predict(x, np.ones(3), x)
    with pytest.raises(ValueError, match="at least d \\+ 2"):
        linear_interpolate_torus(x[:3], np.ones(3), x)
    with pytest.raises(ValueError, match="margin"):
        linear_interpolate_torus(x, np.ones(10), x, margin=2.0)
    f = random_fourier_target(2)
    with pytest.raises(ValueError, match="cells_per_side"):
        cell_model_predict(x, f, 0)
    with pytest.raises(ValueError, match="target must be"):
        cell_model_predict(x, None, 4)
    with pytest.raises(ValueError, match="target must be a FourierTarget on the 3-torus"):
        nn_regression_sweep(3, [10], f)
    with pytest.raises(ValueError, match="embedding"):
        nn_regression_sweep(2, [10], f, embedding=random_torus_embedding(3, 6))
    with pytest.raises(ValueError, match="sizes"):
        interpolation_sweep(2, [2], f)
    with pytest.raises(ValueError, match="cells_per_side"):
        cell_model_sweep(2, [4, 2], f)
    with pytest.raises(ValueError, match="theory"):
        theory_ratio(np.ones((3, 2)), [1.0])
    with pytest.raises(ValueError, match="at least 2 seeds"):
        theory_ratio(np.ones((1, 2)), [1.0, 1.0])
    with pytest.raises(ValueError, match="level"):
        theory_ratio(np.ones((3, 2)), [1.0, 1.0], level=1.5)
