"""Closed forms of scaling_utils.theory.neighbors, checked against simulation and known limits."""

import numpy as np
import pytest
from scipy import special

from scaling_utils.data.manifolds import random_fourier_target, random_torus_embedding
from scaling_utils.engines.neighbors import cell_model_predict, nearest_neighbors, nn_regression_sweep
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


@pytest.mark.parametrize("d", [2, 4])
def test_one_nn_l1_matches_simulation_and_leading_order(d):
    # (not d = 1: there the per-seed errors are so heavy-tailed that 12 seeds misjudge their spread)
    f = random_fourier_target(d, 6, 1, seed=2)
    D = np.array([30, 300, 3000])
    theory = th.one_nn_l1(D, d, f.frequencies, f.amplitudes, f.phases)
    tab = nn_regression_sweep(d, D, f, n_test=2000, seeds=12, seed=5)
    curves = tab.pivot(index="seed", columns="D", values="l1").to_numpy()
    z = (curves.mean(0) - theory) / (curves.std(0, ddof=1) / np.sqrt(12))
    assert np.all(np.abs(z) < 4.5), z  # t with 11 dof, three points
    # another quasi-Monte Carlo rule agrees to the documented accuracy (up to 1e-2, at small D)
    other = th.one_nn_l1(D, d, f.frequencies, f.amplitudes, f.phases, seed=1)
    assert np.allclose(other, theory, rtol=2e-2)
    # far out, g(s) is linear: L1 → E|∇f·u| E r (E|∇f·u| by plain Monte Carlo here)
    rng = np.random.default_rng(0)
    x, z = rng.random((200_000, d)), rng.standard_normal((200_000, d))
    u = z / np.linalg.norm(z, axis=1, keepdims=True)
    grad = -(np.sin(2 * np.pi * x @ f.frequencies.T + f.phases) * f.amplitudes) @ (2 * np.pi * f.frequencies)
    slope = np.abs((grad * u).sum(1)).mean()
    big = np.array([10**9])
    assert th.one_nn_l1(big, d, f.frequencies, f.amplitudes, f.phases)[0] == pytest.approx(
        slope * th.nn_distance_moment(big, d, 1)[0], rel=1e-2)


def test_chordal_distance_matches_embedded_simulation():
    d, D = 3, np.array([10, 30])
    f = random_fourier_target(d, 4, 1, seed=0)
    emb = random_torus_embedding(d, 8, seed=1)
    tab = nn_regression_sweep(d, D, f, n_test=3000, seeds=12, seed=4, embedding=emb)
    curves = tab.pivot(index="seed", columns="D", values="r").to_numpy()
    mean, se = curves.mean(0), curves.std(0, ddof=1) / np.sqrt(12)
    chord, flat = th.chordal_nn_distance_mean(D, d), th.nn_distance_moment(D, d, 1)
    assert np.all(np.abs(mean - chord) < 4 * se)
    assert np.all(flat - chord > 8 * se)  # the chord correction is resolved at these sizes


@pytest.mark.parametrize(("d", "order"), [(1, 0), (1, 1), (2, 0), (2, 1), (3, 1)])
def test_exact_cell_model_mse(d, order):
    f = random_fourier_target(d, 6, 1, seed=3)
    m = np.array([3, 5, 12])
    exact = th.cell_model_mse_exact(m, f.frequencies, f.amplitudes, order)
    t = np.random.default_rng(d).random((200_000, d))
    for mi, e in zip(m, exact, strict=True):
        err = f(t) - cell_model_predict(t, f, int(mi), order)
        assert np.mean(err**2) == pytest.approx(e, rel=0.02)
    # fine cells: the leading order E|∇f|² h²/12 or c_H h⁴
    fine = np.array([4096 if d < 3 else 512])
    P = fine**d * (d + 1 if order else 1)
    constant = f.hessian_cell_constant if order else f.gradient_sq_mean
    assert th.cell_model_mse_exact(fine, f.frequencies, f.amplitudes, order)[0] == pytest.approx(
        th.cell_model_mse(P, d, order, constant)[0], rel=1e-3)


def test_sinc_moment_series_and_closed_form_agree():
    u = np.array([1e-3 * (1 - 1e-9), 1e-3 * (1 + 1e-9)])
    assert th.sinc_moment(u)[0] == pytest.approx(th.sinc_moment(u)[1], rel=1e-8)
    assert th.sinc_moment(np.array([np.pi]))[0] == pytest.approx(1 / np.pi)


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
    f = random_fourier_target(2, 3, 1, seed=0)
    with pytest.raises(ValueError, match="cells_per_side must be integers > 2"):
        th.cell_model_mse_exact([2], f.frequencies, f.amplitudes, 0)
    with pytest.raises(ValueError, match="one row per mode"):
        th.cell_model_mse_exact([4], f.frequencies, f.amplitudes[:2], 0)
    with pytest.raises(ValueError, match="frequencies must be integer"):
        th.cell_model_mse_exact([4], f.frequencies + 0.5, f.amplitudes, 0)
    with pytest.raises(ValueError, match="frequencies must have d = 3 columns"):
        th.one_nn_l1([10], 3, f.frequencies, f.amplitudes, f.phases)
    with pytest.raises(ValueError, match="n_points must be"):
        th.one_nn_l1([10], 2, f.frequencies, f.amplitudes, f.phases, n_points=10)
    with pytest.raises(ValueError, match="D must"):
        th.chordal_nn_distance_mean([0], 2)
