"""Tests of the solvable-model additions used by the solvable-statements chapter: non-Gaussian latent
coordinates, the kernel eigen-system of a feature map, and the sweep grid points."""

import numpy as np
import pandas as pd
import pytest

from scaling_utils.engines import solvable as sv
from scaling_utils.engines import solvable_sweeps as sw
from scaling_utils.theory import random_features as rf

M = 30
LAM = rf.power_law_spectrum(M, 1.0)


@pytest.mark.parametrize("law, kurtosis", [("gaussian", 3.0), ("rademacher", 1.0), ("student", 3 + 6 / (8 - 4)),
                                           ("elliptical", 3 + 6 / (8 - 4))])
def test_latent_laws_have_unit_covariance_and_their_kurtosis(law, kurtosis):
    g = np.random.default_rng(0).standard_normal((200_000, 3))
    xi = sv.latent_coordinates(g, law, df=8.0, seed=1)
    assert np.allclose(xi.mean(0), 0, atol=0.02) and np.allclose(np.cov(xi.T), np.eye(3), atol=0.03)
    assert np.mean(xi[:, 0] ** 4) == pytest.approx(kurtosis, rel=0.1)


def test_elliptical_shares_one_scale_per_sample_and_draws_are_reproducible():
    g = np.random.default_rng(1).standard_normal((50, 4))
    ell = sv.latent_coordinates(g, "elliptical", seed=3)
    scale = ell / g
    assert np.allclose(scale, scale[:, :1])                   # one scale per row
    iid = sv.latent_coordinates(g, "student", seed=3) / g
    assert not np.allclose(iid, iid[:, :1])
    assert np.array_equal(ell, sv.latent_coordinates(g, "elliptical", seed=3))
    assert np.array_equal(sv.latent_coordinates(g, "rademacher"), np.sign(g))


def test_simulation_with_non_gaussian_latents():
    base = sv.simulate_losses(LAM, 1 / M, [8, 20], [15, 40], [0.0, 0.1], seeds=2, seed=4)
    same = sv.simulate_losses(LAM, 1 / M, [8, 20], [15, 40], [0.0, 0.1], seeds=2, seed=4, latent="gaussian")
    assert np.array_equal(base, same)                          # the default path is unchanged
    L = sv.simulate_losses(LAM, 1 / M, [20], [40], [0.1], seeds=1, seed=4, latent="rademacher")
    rng = np.random.default_rng([4, 0])                         # the same draw, done by hand
    x = np.sign(rng.standard_normal((40, M))) * np.sqrt(LAM)
    u = rng.standard_normal((20, M)) * np.sqrt(1 / M)
    w = rng.standard_normal(M) * np.sqrt(1 / M)
    phi = x @ u.T
    theta = np.linalg.solve(phi.T @ phi + 0.1 * np.eye(20), phi.T @ (x @ w))
    a = u.T @ theta - w
    assert L[0, 0, 0, 0] == pytest.approx(a @ (LAM * a), rel=1e-8)


def test_feature_eigensystem_sectors():
    s2 = 2.0
    lin = sv.feature_eigensystem(LAM, 1 / M, "linear", 2, sigma_u2=s2)
    assert np.allclose(lin.eigenvalues, s2 * LAM / M) and np.allclose(lin.teacher_power, LAM / M)
    relu = sv.feature_eigensystem(LAM, 1 / M, "relu", 300, sigma_u2=s2, seed=2)
    assert np.allclose(np.sort(relu.eigenvalues[relu.odd])[::-1], s2 * LAM / (4 * M))
    assert relu.teacher_power[~relu.odd].sum() == 0 and relu.residual == pytest.approx(0, abs=1e-15)
    u = np.random.default_rng(2).standard_normal((300, M)) * np.sqrt(s2 / M)   # the pool, by hand
    K, _, _ = sv.feature_moments(LAM, u, np.zeros(M), "relu")
    even = np.linalg.eigvalsh(K - (u * LAM) @ u.T / 4)[::-1] / 300
    assert np.allclose(np.sort(relu.eigenvalues[~relu.odd])[::-1], even[even > 1e-12 * relu.eigenvalues.max()])
    erf = sv.feature_eigensystem(LAM, 1 / M, "erf", 300, sigma_u2=s2, seed=2)
    Ke, _, _ = sv.feature_moments(LAM, u, np.zeros(M), "erf")
    assert erf.odd.all() and erf.eigenvalues.sum() == pytest.approx(np.trace(Ke) / 300, rel=1e-9)
    assert erf.teacher_power.sum() + erf.residual == pytest.approx(LAM.sum() / M)
    assert 0 < erf.residual < 0.01 * LAM.sum() / M


def test_sweep_points_are_the_engine_calls():
    point = sw.losses_point(M=M, alpha=1.0, n_features=[5, 10], n_samples=[12], ridges=[0.1], seed=7,
                            name="relu", teachers=2)
    s2 = sw.unit_preactivation(M, 1.0)
    assert s2 == pytest.approx(M / LAM.sum())
    direct = sv.simulate_losses(LAM, 1 / M, [5, 10], [12], [0.1], name="relu", seeds=1, seed=7, sigma_u2=s2,
                                teachers=2)[0]
    assert np.array_equal(point["losses"], direct)
    budget = sw.budget_point(M=M, alpha=1.0, budget=64.0, n_features=[4, 8, 16], ridges=[0.1, 1.0], seed=1,
                             teachers=2)
    assert budget["losses"].shape == (3, 2)
    assert budget["losses"][1, 0] == sv.simulate_losses(LAM, 1 / M, [8], [8], [0.1, 1.0], seeds=1, seed=1001,
                                                        teachers=2)[0, 0, 0, 0]
    es = sw.eigensystem_point(M=M, alpha=1.0, name="relu", n_pool=50, seed=0)
    assert np.array_equal(es["eigenvalues"], sv.feature_eigensystem(LAM, 1 / M, "relu", 50, sigma_u2=s2).eigenvalues)

    table = pd.DataFrame([{"seed": 2, "losses": np.ones(2)}, {"seed": 1, "losses": np.zeros(2)}])
    assert sw.stack_losses(table, 2).tolist() == [[0, 0], [1, 1]]


def test_bad_input():
    g = np.ones((3, 2))
    with pytest.raises(ValueError, match="law must be one of"):
        sv.latent_coordinates(g, "cauchy")
    with pytest.raises(ValueError, match="df must be"):
        sv.latent_coordinates(g, "student", df=2.0)
    with pytest.raises(ValueError, match="gaussian must have"):
        sv.latent_coordinates(np.ones(3), "student")
    with pytest.raises(ValueError, match="latent must be one of"):
        sv.simulate_losses(LAM, 1 / M, [5], [5], [0.1], latent="cauchy")
    with pytest.raises(ValueError, match="needs name='linear'"):
        sv.simulate_losses(LAM, 1 / M, [5], [5], [0.1], name="relu", latent="rademacher")
    with pytest.raises(ValueError, match="name must be one of"):
        sv.feature_eigensystem(LAM, 1 / M, "tanh", 10)
    with pytest.raises(ValueError, match="n_pool must be"):
        sv.feature_eigensystem(LAM, 1 / M, "relu", 1)
    with pytest.raises(ValueError, match="teacher_variances must be"):
        sv.feature_eigensystem(LAM, np.ones(3), "relu", 10)
    with pytest.raises(ValueError, match="sigma_u2 must be"):
        sv.feature_eigensystem(LAM, 1 / M, "relu", 10, sigma_u2=0.0)

    with pytest.raises(ValueError, match="distinct seeds"):
        sw.stack_losses(pd.DataFrame([{"seed": 1, "losses": np.ones(2)}] * 2), 2)
    with pytest.raises(ValueError, match="columns 'seed' and 'losses'"):
        sw.stack_losses(pd.DataFrame([{"x": 1}]), 1)
