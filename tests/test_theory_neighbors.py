"""Closed forms of scaling_utils.theory.neighbors, checked against simulation and known limits."""

import numpy as np
import pytest
from scipy import special

from scaling_utils.data.manifolds import random_fourier_target
from scaling_utils.engines.neighbors import nearest_neighbors
from scaling_utils.theory import neighbors as th


def test_ball_volume_known_values():
    assert th.ball_volume(1) == pytest.approx(2.0)
    assert th.ball_volume(3) == pytest.approx(4 * np.pi / 3)


def test_moment_exact_d1_and_weibull_limit():
    D = np.array([1, 9, 99])
    assert np.allclose(th.nn_distance_moment(D, 1), 1 / (2 * (D + 1)))  # exact on the circle
    big = np.array([1e6])
    for d in (2, 5):
        ratio = th.nn_distance_moment(big, d, 2) / th.nn_distance_moment(big, d, 2, exact=False)
        assert ratio == pytest.approx(1, abs=1e-5)


@pytest.mark.parametrize("d", [1, 3, 5])
def test_moments_match_simulation(d):
    rng = np.random.default_rng(d)
    D, reps = 200, 40
    r = np.concatenate([nearest_neighbors(rng.random((D, d)), rng.random((500, d)), boxsize=1.0)[0][:, 0]
                        for _ in range(reps)])
    for k in (1, 2):
        sim = np.mean(r**k)
        se = np.std(r**k) / np.sqrt(reps * 15)  # conservative: test points share training sets
        assert abs(sim - th.nn_distance_moment(D, d, k)) < 4 * se


def test_nn_expectation_reproduces_moments_and_survival():
    for d in (1, 2, 6):
        D = np.array([50, 5000])
        q = th.nn_expectation(lambda s: s**2, D, d)
        assert np.allclose(q, th.nn_distance_moment(D, d, 2), rtol=1e-6)
    s = np.array([0.0, 0.01, 0.05])
    assert np.allclose(th.nn_distance_survival(s, 100, 2), (1 - np.pi * s**2) ** 100)
    w = th.nn_distance_weibull(10**6, 3)
    assert w.sf(0.01) == pytest.approx(th.nn_distance_survival(0.01, 10**6, 3), rel=1e-3)


def test_isotropic_characteristic_limits():
    t = np.array([0.0, 1e-4, 0.5, 3.0])
    assert np.allclose(th.isotropic_characteristic(t, 1), np.cos(t))
    assert np.allclose(th.isotropic_characteristic(t, 3), np.where(t > 0, np.sin(t) / np.where(t > 0, t, 1), 1))
    assert np.allclose(th.isotropic_characteristic(t, 2), special.j0(t))


def test_one_nn_mse_tends_to_leading_order():
    f = random_fourier_target(3, 6, 1, seed=0)
    D = np.array([1e2, 1e7])
    exact = th.one_nn_mse(D, 3, f.wavenumbers, f.amplitudes)
    lead = th.one_nn_mse_leading(D, 3, f.gradient_sq_mean)
    assert exact[0] < 0.99 * lead[0]  # curvature lowers the MSE at small D
    assert exact[1] == pytest.approx(lead[1], rel=1e-3)


def test_cell_and_interpolation_forms():
    assert th.cell_model_mse(np.array([100.0]), 2, 0, 12.0)[0] == pytest.approx(0.01)
    assert th.cell_model_mse(np.array([300.0]), 2, 1, 1.0)[0] == pytest.approx(1e-4)
    assert th.linear_interpolation_mse_1d(np.array([1]), 120.0)[0] == pytest.approx(1.0)
    assert th.lipschitz_l1_bound(np.array([9]), 1, 2.0)[0] == pytest.approx(0.1)


def test_bad_inputs():
    with pytest.raises(ValueError, match="d must be"):
        th.ball_volume(0)
    with pytest.raises(ValueError, match="D must"):
        th.nn_distance_moment([0.5], 2)
    with pytest.raises(ValueError, match="k must"):
        th.nn_distance_moment([10], 2, k=-1)
    with pytest.raises(ValueError, match="s must be <= 1/2"):
        th.nn_distance_survival([0.7], 10, 2)
    with pytest.raises(ValueError, match="D must"):
        th.nn_distance_weibull(0, 2)
    with pytest.raises(ValueError, match="func must be callable"):
        th.nn_expectation(3, [10], 2)
    with pytest.raises(ValueError, match="t must"):
        th.isotropic_characteristic([-1.0], 2)
    with pytest.raises(ValueError, match="same length"):
        th.one_nn_mse([10], 2, [1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="gradient_sq_mean"):
        th.one_nn_mse_leading([10], 2, -1.0)
    with pytest.raises(ValueError, match="lipschitz"):
        th.lipschitz_l1_bound([10], 2, float("nan"))
    with pytest.raises(ValueError, match="f2_sq_mean"):
        th.linear_interpolation_mse_1d([10], -2.0)
    with pytest.raises(ValueError, match="order"):
        th.cell_model_mse([10], 2, 2, 1.0)
