"""Learning curves on a finite pool: each learner against a direct computation, and bad input."""

import numpy as np
import pytest

from scaling_utils.engines import pool_curves as pc


@pytest.fixture(scope="module")
def toy():
    rng = np.random.default_rng(0)
    x = rng.random((120, 5))
    labels = np.repeat(np.arange(4), 30)
    y = np.sin(3 * x[:, 0]) + x[:, 1]
    pool, test = pc.split_pool(labels, 20, seed=0)
    return x, y, labels, pool, test


def test_split_pool_is_stratified_and_disjoint(toy):
    _x, _y, labels, pool, test = toy
    assert np.bincount(labels[test]).tolist() == [5] * 4
    assert np.intersect1d(pool, test).size == 0 and pool.size + test.size == 120
    with pytest.raises(ValueError, match="multiple of the number of labels"):
        pc.split_pool(labels, 10)
    with pytest.raises(ValueError, match="n_test must be"):
        pc.split_pool(labels, 200)


def test_kernel_matrix_and_distances(toy):
    x = toy[0]
    d = pc.pairwise_distances(x)
    assert np.allclose(d, np.linalg.norm(x[:, None] - x[None], axis=-1), atol=1e-7)
    assert np.allclose(pc.kernel_matrix("laplace", x, length=2.0), np.exp(-d / 2))
    assert np.allclose(pc.kernel_matrix("gaussian", x, length=2.0), np.exp(-d**2 / 8))
    assert pc.median_distance(x) == pytest.approx(np.median(d[np.triu_indices(120, 1)]))
    with pytest.raises(ValueError, match="needs a length scale"):
        pc.kernel_matrix("laplace", x)
    with pytest.raises(ValueError, match="kernel must be one of"):
        pc.kernel_matrix("cosine", x, length=1.0)


def test_kernel_curves_match_direct_solves(toy):
    x, y, _labels, pool, test = toy
    gram = pc.kernel_matrix("laplace", x, length=1.0)
    sizes = np.array([10, 40, 100])
    err = pc.kernel_curves(gram, y, pool, test, sizes, seeds=2, seed=3, ridge=1e-3)
    for s in range(2):
        order = np.random.default_rng([3, s]).permutation(pool)
        for j, D in enumerate(sizes):
            tr = order[:D]
            coef = np.linalg.solve(gram[np.ix_(tr, tr)] + 1e-3 * np.eye(D), y[tr])
            direct = np.mean((gram[np.ix_(test, tr)] @ coef - y[test]) ** 2)
            assert err["test"][s, j] == pytest.approx(direct, rel=1e-8)
            in_pool = np.mean((gram[np.ix_(pool, tr)] @ coef - y[pool]) ** 2)
            assert err["pool"][s, j] == pytest.approx(in_pool, rel=1e-8)
    assert err["test_se"].shape == sizes.shape and np.all(err["test_se"] > 0)
    with pytest.raises(ValueError, match="at most the pool size"):
        pc.kernel_curves(gram, y, pool, test, [10, 200])
    with pytest.raises(ValueError, match="must not share"):
        pc.kernel_curves(gram, y, pool, pool[:5], [10])


def test_nearest_neighbour_curves_match_brute_force(toy):
    x, y, _labels, pool, test = toy
    dist = pc.pairwise_distances(x[test], x[pool])
    sizes = np.array([1, 7, 50, 100])
    res = pc.nearest_neighbour_curves(dist, y[pool], y[test], sizes, seeds=2, seed=5)
    order = np.random.default_rng([5, 1]).permutation(pool.size)
    for j, D in enumerate(sizes):
        sub = dist[:, order[:D]]
        nn = order[:D][np.argmin(sub, axis=1)]
        assert res["mse"][1, j] == pytest.approx(np.mean((y[pool][nn] - y[test]) ** 2))
        assert res["distance"][1, j] == pytest.approx(sub.min(1).mean())


def test_self_distance_curves_count_other_points(toy):
    x = toy[0]
    dist = pc.pairwise_distances(x)
    sizes = np.array([1, 10, 119])
    curves = pc.self_distance_curves(dist, sizes, seeds=1, seed=2)
    order = np.random.default_rng([2, 0]).permutation(120)
    for j, D in enumerate(sizes):
        expected = [np.min([dist[i, o] for o in [p for p in order if p != i][:D]]) for i in range(120)]
        assert curves[0, j] == pytest.approx(np.mean(expected))
    with pytest.raises(ValueError, match="at most N - 1"):
        pc.self_distance_curves(dist, [120])


def test_random_feature_curves_match_least_squares(toy):
    x, y, _labels, pool, test = toy
    mse = pc.random_feature_curves(x, y, pool, test, [5, 60], [10, 30], seeds=1, seed=4, ridge=1e-12)
    order = np.random.default_rng([4, 0]).permutation(pool)
    w = np.random.default_rng([4, 0, 1]).standard_normal((30, 5))
    for i, D in enumerate([5, 60]):
        for j, P in enumerate([10, 30]):
            phi = np.maximum(x[order[:D]] @ w[:P].T, 0)
            theta = np.linalg.lstsq(phi, y[order[:D]], rcond=None)[0]   # minimum norm when D < P
            pred = np.maximum(x[test] @ w[:P].T, 0) @ theta
            # agreement to conditioning: a few random ReLU features of 5-d inputs are nearly collinear
            assert mse[0, i, j] == pytest.approx(np.mean((pred - y[test]) ** 2), rel=1e-3)
    with pytest.raises(ValueError, match="ridge must be in"):
        pc.random_feature_curves(x, y, pool, test, [5], [10], ridge=0.0)


def test_point_functions_return_tidy_rows():
    rows = pc.nearest_neighbour_point("digits", "parity", [10, 100], n_test=100, seeds=2)
    assert len(rows) == 4 and set(rows[0]) == {"seed", "D", "mse", "distance"}
    es = pc.kernel_eigensystem_point("digits", "laplace", ("parity", "onehot"), n_test=100, pool_size=300)
    assert es["n_pool"] == 300 and es["eigenvalues"].size == 300
    assert es["target_power_parity"].sum() == pytest.approx(1.0)        # ±1 targets: mean y² = 1
    assert es["target_power_onehot"].sum() == pytest.approx(1.0)        # one 1 per row
    single = pc.kernel_eigensystem_point("digits", "laplace", ("onehot",), n_test=100, pool_size=300)
    assert np.allclose(single["target_power_onehot"], es["target_power_onehot"], atol=1e-12)
    spec = pc.spectrum_point("digits", "relu", n_features=100)
    assert spec["replicates"].shape == (10, 100) and spec["dim"] == 64     # one digit class deleted at a time
    rank = int(np.sum(spec["linear_eigenvalues"] > 1e-10 * spec["linear_eigenvalues"][0]))
    pixels = pc.spectrum_point("digits", "pixels")["eigenvalues"]
    assert rank == int(np.sum(pixels > 1e-10 * pixels[0]))                # linear features keep the data's rank
    rows = pc.self_distance_point("faces", [2, 50, 99], seeds=2)
    assert len(rows) == 6 and rows[0]["distance"] > rows[2]["distance"]
    dim = pc.intrinsic_dimension_point("faces", "twonn")
    assert dim["lo"] < dim["dimension"] < dim["hi"] and dim["n_points"] == 100
    with pytest.raises(ValueError, match="dataset must be one of"):
        pc.kernel_curve_point("cifar", "laplace", "parity", [10])
    with pytest.raises(ValueError, match="method must be one of"):
        pc.intrinsic_dimension_point("faces", "pca")
    with pytest.raises(ValueError, match="features must be one of"):
        pc.spectrum_point("mnist", "tanh")


def test_distances_far_from_the_origin_keep_their_digits():
    rng = np.random.default_rng(0)
    x = 1e8 + rng.standard_normal((20, 5)) * 1e-3
    y = 1e8 + rng.standard_normal((7, 5)) * 1e-3
    exact = np.sqrt(((y[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    np.testing.assert_allclose(pc.pairwise_distances(y, x), exact, rtol=1e-6)
    np.testing.assert_allclose(pc.pairwise_distances(x)[0, 1], np.linalg.norm(x[0] - x[1]), rtol=1e-6)
