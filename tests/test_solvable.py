"""Tests of scaling_utils.engines.solvable: exact moments, reuse of factorizations, theory agreement, bad input."""

import numpy as np
import pytest

from scaling_utils.engines import solvable as sv
from scaling_utils.engines.backend import namespace
from scaling_utils.theory import random_features as rf

LAM = rf.power_law_spectrum(60, 1.0)


def test_ridge_paths_match_direct_solves():
    """Nested features and prefix training sets give the same θ as solving each problem from scratch."""
    rng = np.random.default_rng(0)
    phi, y = rng.standard_normal((50, 20)), rng.standard_normal(50)
    sizes, ridges = np.array([5, 12, 20, 33, 50]), np.array([0.0, 0.1, 3.0])
    theta = sv._ridge_thetas(namespace("numpy"), phi, y[:, None], sizes, ridges)[:, :, 0]
    for k, t in enumerate(sizes):
        for r, g in enumerate(ridges):
            a = phi[:t]
            direct = np.linalg.pinv(a) @ y[:t] if g == 0 else np.linalg.solve(a.T @ a + g * np.eye(20), a.T @ y[:t])
            assert np.allclose(theta[k, r], direct, atol=1e-8)


def test_linear_losses_are_exact_population_losses():
    """Against an explicit per-problem computation with the same random draws."""
    L = sv.simulate_losses(LAM, 0.02, [10, 40], [25, 80], [0.0, 0.5], seeds=1, seed=3, noise=0.01)
    rng = np.random.default_rng([3, 0])
    x = rng.standard_normal((80, 60)) * np.sqrt(LAM)
    u = rng.standard_normal((40, 60)) * np.sqrt(1 / 60)
    w = rng.standard_normal(60) * np.sqrt(0.02)
    y = x @ w + 0.1 * rng.standard_normal(80)
    for i, n in enumerate([10, 40]):
        for j, t in enumerate([25, 80]):
            phi = x[:t] @ u[:n].T
            th = np.linalg.pinv(phi) @ y[:t]
            a = u[:n].T @ th - w
            assert np.isclose(L[0, i, j, 0], a @ (LAM * a), rtol=1e-6)
            th = np.linalg.solve(phi.T @ phi + 0.5 * np.eye(n), phi.T @ y[:t])
            a = u[:n].T @ th - w
            assert np.isclose(L[0, i, j, 1], a @ (LAM * a), rtol=1e-8)


def test_linear_simulation_matches_theory():
    M = 150
    lam = rf.power_law_spectrum(M, 1.0)
    N, T, ridges = np.array([30, 100]), np.array([60, 300]), np.array([0.0, 1e-2])
    L = sv.simulate_losses(lam, 1 / M, N, T, ridges, seeds=30, seed=1)
    many = sv.simulate_losses(lam, 1 / M, N, T, ridges, seeds=6, seed=2, teachers=16)
    # several teachers per seed: same expectation, much smaller seed-to-seed spread
    assert many.std(0).max() / many.mean(0).max() < L.std(0).max() / L.mean(0).max()
    theory = rf.test_loss(lam, 1 / M, N[:, None, None], T[None, :, None], ridges)
    ok = np.isfinite(theory) & (theory > 0)
    mean, se = L.mean(0), L.std(0, ddof=1) / np.sqrt(L.shape[0])
    assert np.all(np.abs(mean - theory)[ok] <= 3 * se[ok] + 0.06 * theory[ok])
    # N, T >= M, ridgeless, noiseless: the teacher is recovered exactly
    L2 = sv.simulate_losses(lam, 1 / M, [200], [250], [0.0], seeds=2)
    assert np.all(L2 < 1e-20)


def test_draw_losses_is_the_exact_teacher_average():
    """Against the explicit teacher average w̄² tr[(Q − I)ᵀΛ(Q − I)V] of one draw, Q = Uᵀ(ΦᵀΦ + γ)⁺ΦᵀX."""
    rng = np.random.default_rng(4)
    z, g = rng.standard_normal((30, 60)), rng.standard_normal((70, 60))
    v = rng.uniform(0.5, 2.0, 60) / 60                       # a non-uniform teacher
    sizes_n, sizes_t, ridges = [12, 70], [9, 30], [0.0, 0.3]
    L = sv.draw_losses(LAM, v, z, g, sizes_n, sizes_t, ridges, sigma_u2=2.0)
    x, u = z * np.sqrt(LAM), g * np.sqrt(2.0 / 60)
    for i, n in enumerate(sizes_n):
        for j, t in enumerate(sizes_t):
            phi = x[:t] @ u[:n].T
            for r, gam in enumerate(ridges):
                a = np.linalg.pinv(phi) if gam == 0 else np.linalg.solve(phi.T @ phi + gam * np.eye(n), phi.T)
                q = u[:n].T @ a @ x[:t] - np.eye(60)
                assert np.isclose(L[i, j, r], np.sum(q * (LAM[:, None] * q) * v[None, :]), rtol=1e-9)


def test_draw_losses_symmetric_per_draw():
    """Exchanging the roles of data and feature draws exchanges N and T exactly, with or without a ridge."""
    rng = np.random.default_rng(6)
    z, g = rng.standard_normal((90, 60)), rng.standard_normal((90, 60))
    sizes, ridges = [10, 25, 90], [0.0, 1e-3, 0.5]
    a = sv.draw_losses(LAM, 1 / 60, z, g, sizes, sizes, ridges)
    b = sv.draw_losses(LAM, 1 / 60, g, z, sizes, sizes, ridges)
    off = ~np.eye(3, dtype=bool)
    assert np.allclose(a[off], b.transpose(1, 0, 2)[off], rtol=1e-10, atol=0)
    # without the exchange, one draw's L(N, T) and L(T, N) differ: the symmetry is in distribution only
    assert np.max(np.abs(np.log(a[off] / a.transpose(1, 0, 2)[off]))) > 1e-3


@pytest.mark.parametrize("name", ["relu", "erf", "tanh"])
def test_feature_moments_against_monte_carlo(name):
    rng = np.random.default_rng(5)
    lam = rf.power_law_spectrum(30, 1.0)
    u = rng.standard_normal((8, 30)) * np.sqrt(30 / lam.sum() / 30)
    w = rng.standard_normal(30)
    K, b, c = sv.feature_moments(lam, u, w, name, n_test=4000, seed=1)
    x = rng.standard_normal((400_000, 30)) * np.sqrt(lam)
    phi = sv.activation(name)(x @ u.T)
    Kmc, bmc = phi.T @ phi / len(x), phi.T @ (x @ w) / len(x)
    tol_K = 0.05 if name == "tanh" else 0.01   # tanh's K itself is a 4000-sample estimate
    assert np.abs(Kmc - K).max() <= tol_K * np.abs(K).max()
    assert np.abs(bmc - b).max() <= 0.02 * np.abs(b).max()
    assert np.isclose(c, w @ (lam * w))


def test_nonlinear_loss_is_population_loss():
    """ReLU: θᵀKθ − 2θᵀb + c equals the Monte-Carlo test loss of the fitted model."""
    L = sv.simulate_losses(LAM, 1 / 60, [30], [100], [1e-3], name="relu", seeds=1, seed=7)
    rng = np.random.default_rng([7, 0])
    x = rng.standard_normal((100, 60)) * np.sqrt(LAM)
    u = rng.standard_normal((30, 60)) * np.sqrt(1 / 60)
    w = rng.standard_normal(60) * np.sqrt(1 / 60)
    y = x @ w
    phi = np.maximum(x @ u.T, 0)
    th = np.linalg.solve(phi.T @ phi + 1e-3 * np.eye(30), phi.T @ y)
    xt = np.random.default_rng(99).standard_normal((200_000, 60)) * np.sqrt(LAM)
    mc = np.mean((np.maximum(xt @ u.T, 0) @ th - xt @ w) ** 2)
    assert np.isclose(L[0, 0, 0, 0], mc, rtol=0.03)


def test_feature_spectra():
    lam = rf.power_law_spectrum(40, 1.0)
    lin = sv.feature_spectrum(lam, 400, "linear")
    assert np.all(np.abs(lin[40:]) < 1e-10 * lin[0])            # rank <= M
    assert np.allclose(lin[5:20], lam[5:20], rtol=0.3)            # → λ_I for N >> M
    relu = sv.feature_spectrum(lam, 400, "relu", sigma_u2=40 / lam.sum())
    assert np.all(relu[40:200] > 1e-8 * relu[0])                  # nonlinear features: full rank
    centered = sv.feature_spectrum(lam, 400, "relu", sigma_u2=40 / lam.sum(), center=True)
    assert centered[0] < relu[0]                                  # the constant mode is removed


@pytest.mark.parametrize("call, match", [
    (lambda: sv.activation("sigmoid"), "activation"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [10], [0.0], name="cube"), "name"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10, 5], [10], [0.0]), "n_features"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [0], [0.0]), "n_samples"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [10], [-1.0]), "ridges"),
    (lambda: sv.simulate_losses(LAM, np.ones(3), [10], [10], [0.0]), "teacher_variances"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [10], [0.0], seeds=0), "seeds"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [10], [0.0], teachers=0), "teachers"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [10], [0.0], noise=-1), "noise"),
    (lambda: sv.simulate_losses(LAM, 1.0, [10], [10], [0.0], sigma_u2=0), "sigma_u2"),
    (lambda: sv.simulate_losses([-1.0, 1.0], 1.0, [10], [10], [0.0]), "eigenvalues"),
    (lambda: sv.feature_spectrum(LAM, 0, "relu"), "n_features"),
    (lambda: sv.draw_losses(LAM, 1.0, np.ones((5, 60)), np.ones((9, 60)), [9], [10], [0.0]), "data"),
    (lambda: sv.draw_losses(LAM, 1.0, np.ones((9, 60)), np.ones((9, 59)), [9], [9], [0.0]), "features"),
    (lambda: sv.draw_losses(LAM, np.ones(3), np.ones((9, 60)), np.ones((9, 60)), [9], [9], [0.0]),
     "teacher_variances"),
    (lambda: sv.draw_losses(LAM, 1.0, np.ones((9, 60)), np.ones((9, 60)), [9], [9], [-1.0]), "ridges"),
    (lambda: sv.draw_losses(LAM, 1.0, np.ones((9, 60)), np.ones((9, 60)), [9], [9], [0.0], sigma_u2=0),
     "sigma_u2"),
    (lambda: sv.feature_spectrum(LAM, 10, "relu", sigma_u2=-1), "sigma_u2"),
    (lambda: sv.feature_moments(LAM, np.ones((3, 5)), np.ones(60), "relu"), "columns"),
    (lambda: sv.feature_moments(LAM, np.ones((3, 60)), np.ones(60), "relu", n_test=1), "n_test"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
