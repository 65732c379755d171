"""Tests for scaling_utils.theory.kernels (Bordelon–Canatar–Pehlevan learning curves)."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from scaling_utils.engines.torus_kernels import TorusKernel, prior_averaged_error, uniform_points
from scaling_utils.theory import kernels as tk
from scaling_utils.theory import random_features as rf


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(1):
        yield


def test_kappa_solves_its_equation_on_a_grid():
    lam = np.arange(1, 5001) ** -1.5
    D = np.array([10.0, 100.0, 1000.0])[:, None]
    ridge = np.array([0.0, 1e-3, 1.0])[None, :]
    k = tk.solve_kappa(lam, D, ridge, tail=1e-3)
    assert k.shape == (3, 3)
    rhs = ridge + k * (lam / (D[..., None] * lam + k[..., None])).sum(-1) + 1e-3
    np.testing.assert_allclose(k, rhs, rtol=1e-9)
    # ridgeless, no tail, every mode learnable: κ = 0 and no error
    assert tk.solve_kappa(lam[:5], 10.0)[()] == 0.0
    assert tk.learning_curve(lam[:5], lam[:5], 10.0).error[()] == 0.0


def test_gaussian_features_simulation():
    # linear regression on Gaussian features x ~ N(0, Λ), target y = v·φ: BCP's exact setting
    K, D, delta = 400, 60, 1e-2
    lam = np.arange(1, K + 1) ** -2.0
    rng = np.random.default_rng(0)
    errs = []
    for _ in range(150):
        w = rng.standard_normal(K)                         # v_k² = λ_k on average
        X = rng.standard_normal((D, K)) * np.sqrt(lam)
        beta = X.T @ np.linalg.solve(X @ X.T + delta * np.eye(D), X @ w)
        errs.append(((beta - w) ** 2) @ lam)
    theory = tk.learning_curve(lam, lam, D, delta).error
    assert np.mean(errs) == pytest.approx(theory, rel=0.06)


def test_torus_kernel_simulation_matches_theory():
    k = TorusKernel("matern", 2, 0.1, 0.5)
    sizes = np.array([20, 80, 200])
    sims = np.mean([prior_averaged_error(k, uniform_points(200, 2, seed=s), sizes) for s in range(3)], 0)
    lam = k.eigenvalues(60000)
    tail = k.trace() - lam.sum()
    theory = tk.learning_curve(lam, lam, sizes, tail=tail, target_tail=tail).error
    np.testing.assert_allclose(sims, theory, rtol=0.08)


def test_agrees_with_random_feature_theory_at_infinite_width():
    # kernel regression = the random-feature model with N → ∞ (ridge δ = γ M / (σ_u² N))
    M = 300
    lam = rf.power_law_spectrum(M, 1.0)
    T, delta, N = np.array([20.0, 100.0]), 0.05, 1e9
    bcp = tk.learning_curve(lam, lam / M, T, delta).error
    mrs = rf.test_loss(lam, 1 / M, N, T, delta * N / M)
    np.testing.assert_allclose(bcp, mrs, rtol=1e-5)


def test_tail_mass_stands_in_for_the_missing_modes():
    lam = np.arange(1, 200001) ** -2.0
    D = np.array([50.0, 200.0])
    full = tk.learning_curve(lam, lam, D).error
    cut = 5000
    short = tk.learning_curve(lam[:cut], lam[:cut], D, tail=lam[cut:].sum(), target_tail=lam[cut:].sum()).error
    np.testing.assert_allclose(short, full, rtol=1e-3)
    assert not np.allclose(tk.learning_curve(lam[:cut], lam[:cut], D).error, full, rtol=1e-2)


def test_power_law_asymptote_and_exponent():
    b = 2.5
    lam = 3.0 * np.arange(1, 400001) ** -b
    D = np.array([300.0, 1000.0])
    E = tk.learning_curve(lam, lam, D).error
    np.testing.assert_allclose(E, tk.asymptotic_error(D, b, 3.0), rtol=0.02)
    slope = -np.diff(np.log(E)) / np.diff(np.log(D))
    assert slope[0] == pytest.approx(tk.ridgeless_exponent(b), abs=0.02)
    assert tk.ridgeless_exponent(2.0, 6.0) == 4.0   # capped at 2b
    assert tk.c_b(2.0) == pytest.approx(np.pi / 2)


def test_bad_input():
    lam = np.array([1.0, 0.5])
    with pytest.raises(ValueError, match="eigenvalues"):
        tk.solve_kappa([1.0, -1.0], 10)
    with pytest.raises(ValueError, match="n_samples"):
        tk.solve_kappa(lam, 0)
    with pytest.raises(ValueError, match="ridge"):
        tk.solve_kappa(lam, 10, -1.0)
    with pytest.raises(ValueError, match="tail"):
        tk.solve_kappa(lam, 10, tail=-1.0)
    with pytest.raises(ValueError, match="target_power"):
        tk.learning_curve(lam, [1.0, 2.0, 3.0], 10)
    with pytest.raises(ValueError, match="noise"):
        tk.learning_curve(lam, lam, 10, noise=-1.0)
    with pytest.raises(ValueError, match="target_tail"):
        tk.learning_curve(lam, lam, 10, target_tail=-1.0)
    with pytest.raises(ValueError, match="b must"):
        tk.c_b(1.0)
    with pytest.raises(ValueError, match="c must"):
        tk.ridgeless_exponent(2.0, 0.5)
    with pytest.raises(ValueError, match="amplitude"):
        tk.asymptotic_error(10, 2.0, 0.0)


def test_extrapolate_pool_removes_a_first_order_pool_correction():
    from scaling_utils.theory.kernels import extrapolate_pool

    D = np.array([10.0, 100.0])
    e_inf = 0.5 * D**-0.4
    a = 3.0 * D**0.5                          # a correction growing with D, ∝ 1/n
    n = 4000.0
    assert np.allclose(extrapolate_pool(e_inf + a / n, e_inf + a / (n / 2)), e_inf)
    with pytest.raises(ValueError, match="same shape"):
        extrapolate_pool([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="error must be >= 0"):
        extrapolate_pool([-1.0], [1.0])
