"""Tests of scaling_utils.theory.random_features: against direct simulation, limits, symmetry, bad input."""

import numpy as np
import pytest

from scaling_utils.theory import random_features as rf

M = 200
LAM = rf.power_law_spectrum(M, 1.0)
WBAR2 = 1.0 / M


def _simulate(N, T, ridge, *, seeds=40, noise=0.0, sigma_u2=1.0, lam=LAM, v=WBAR2):
    """Direct simulation of the module docstring's model; exact population loss a^T Λ a."""
    Mloc = lam.size
    losses = []
    for s in range(seeds):
        rng = np.random.default_rng(1000 + s)
        x = rng.standard_normal((T, Mloc)) * np.sqrt(lam)
        u = rng.standard_normal((N, Mloc)) * np.sqrt(sigma_u2 / Mloc)
        w = rng.standard_normal(Mloc) * np.sqrt(v)
        y = x @ w + np.sqrt(noise) * rng.standard_normal(T)
        phi = x @ u.T
        if ridge > 0:
            theta = np.linalg.solve(phi.T @ phi + ridge * np.eye(N), phi.T @ y)
        else:
            theta = np.linalg.pinv(phi, rcond=1e-10) @ y
        a = u.T @ theta - w
        losses.append(a @ (lam * a))
    losses = np.asarray(losses)
    return losses.mean(), losses.std(ddof=1) / np.sqrt(seeds)


@pytest.mark.parametrize("N, T, ridge, noise, sigma_u2", [
    (40, 160, 1e-3, 0.0, 1.0),
    (160, 40, 1e-3, 0.0, 1.0),
    (80, 240, 0.0, 0.0, 1.0),
    (240, 80, 0.0, 0.0, 1.0),
    (100, 100, 1e-1, 0.0, 2.0),
    (80, 240, 1e-2, 1e-2, 1.0),
    (300, 120, 0.0, 1e-2, 1.0),
])
def test_theory_matches_simulation(N, T, ridge, noise, sigma_u2):
    mean, se = _simulate(N, T, ridge, noise=noise, sigma_u2=sigma_u2)
    theory = float(rf.test_loss(LAM, WBAR2, N, T, ridge, noise=noise, sigma_u2=sigma_u2))
    # 3 standard errors of the seed mean plus 6 % for finite-size (1/N, 1/T) corrections
    assert abs(mean - theory) <= 3 * se + 0.06 * theory, (mean, se, theory)


def test_simulation_distinguishes_wrong_theory():
    """The comparison above can fail: a theory without the 1/(1-g) factor is rejected."""
    N, T, ridge = 80, 240, 1e-3
    mean, se = _simulate(N, T, ridge)
    kappa = rf.solve_kappa(LAM, N, T, ridge)
    r = LAM / (LAM + kappa)
    wrong = float(WBAR2 * kappa * r.sum())  # drops d-correction and denominator
    assert abs(mean - wrong) > 3 * se + 0.06 * wrong


def test_finite_size_allowance_holds_the_exact_least_squares_correction():
    """N ≥ M, ridgeless, noise only: the fit is least squares on the M latent coordinates, whose exact mean
    σ²M/(T − M − 1) exceeds the deterministic equivalent σ²M/(T − M) by exactly the threshold term."""
    T = np.array([205.0, 230.0, 400.0, 1000.0])
    equivalent = rf.test_loss(LAM, 0.0, 300, T, 0.0, noise=0.5)
    assert np.allclose(equivalent, 0.5 * M / (T - M))
    threshold_term = rf.finite_size_allowance(300, T, M) - 1.0 / M
    assert np.allclose(equivalent * (1 + threshold_term), 0.5 * M / (T - M - 1), rtol=1e-12)
    # below M the threshold is N = T; far from every threshold only the 1/n term is left
    assert np.isclose(rf.finite_size_allowance(50, 40, M), 1 / 40 + 1 / 9)
    assert np.isclose(rf.finite_size_allowance(10, 10**6, M), 1 / 10 + 1 / (10**6 - 11))


def test_kappa_equation_and_symmetry():
    N = np.array([[30.0], [120.0], [500.0]])
    T = np.array([50.0, 300.0])
    ridge = 0.3
    k = rf.solve_kappa(LAM, N, T, ridge, sigma_u2=1.5)
    df1, _ = rf.degrees_of_freedom(LAM, k)
    lhs = k * (1 - df1 / T) * (1 - df1 / N)
    assert np.allclose(lhs, ridge * M / (1.5 * N * T), rtol=1e-9)
    assert np.all(df1 < np.minimum(N, T))
    swapped = rf.solve_kappa(LAM, T[:, None], N.ravel(), ridge, sigma_u2=1.5)  # shape (2, 3)
    assert np.allclose(k, swapped.T, rtol=1e-10)


def test_ridgeless_symmetry_and_closed_form():
    N = np.array([20.0, 50.0, 150.0, 190.0])
    T = np.array([60.0, 35.0, 400.0, 100.0])
    a = rf.ridgeless_loss(LAM, WBAR2, N, T)
    b = rf.ridgeless_loss(LAM, WBAR2, T, N)
    assert np.allclose(a, b, rtol=1e-9)
    n, m = np.minimum(N, T), np.maximum(N, T)
    closed = WBAR2 * rf.ridgeless_kappa(LAM, n) * n / (1 - n / m)
    assert np.allclose(a, closed, rtol=1e-9)


def test_ridgeless_pole_and_exact_fit():
    assert np.isinf(rf.ridgeless_loss(LAM, WBAR2, 100, 100))
    near = rf.ridgeless_loss(LAM, WBAR2, 100, [101, 110, 150])
    assert near[0] > near[1] > near[2]
    assert rf.ridgeless_loss(LAM, WBAR2, 300, 250) == 0.0          # both beyond M: exact recovery
    ols = rf.ridgeless_loss(LAM, WBAR2, 300, 250, noise=0.5)        # only the OLS variance remains
    assert np.isclose(ols, 0.5 * M / (250 - M))


def test_ridge_to_zero_is_continuous():
    N, T = np.array([40.0, 300.0, 90.0]), np.array([160.0, 120.0, 100.0])
    L0 = rf.ridgeless_loss(LAM, WBAR2, N, T, noise=1e-3)
    for ridge in (1e-9, 1e-11):
        L = rf.test_loss(LAM, WBAR2, N, T, ridge, noise=1e-3)
        assert np.allclose(L, L0, rtol=1e-4)
    assert np.all(rf.solve_kappa(LAM, N, T, 1e-10) >= rf.ridgeless_kappa(LAM, np.minimum(N, T)))


def test_infinite_data_and_kernel_limits():
    """N → ∞ at fixed λ_eff = γM/(NT): kernel ridge regression (Bordelon et al.); T → ∞: no variance."""
    big, T, lam_eff = 1e12, 80.0, 1e-3
    ridge = lam_eff * big * T / M
    k = rf.solve_kappa(LAM, big, T, ridge)
    df1, df2 = rf.degrees_of_freedom(LAM, k)
    assert np.isclose(k * (1 - df1 / T), lam_eff, rtol=1e-6)
    kernel = WBAR2 * k**2 * np.sum(LAM / (LAM + k) ** 2) / (1 - df2 / T)
    assert np.isclose(rf.test_loss(LAM, WBAR2, big, T, ridge), kernel, rtol=1e-6)
    # T → ∞ at N < M, ridge 0: κ0 from Df1 = N, loss = w̄² κ0 N (the projection error)
    N = 50.0
    k0 = rf.ridgeless_kappa(LAM, N)
    assert np.isclose(rf.ridgeless_loss(LAM, WBAR2, N, big), WBAR2 * k0 * N, rtol=1e-6)


def test_power_law_asymptotics():
    lam = rf.power_law_spectrum(200_000, 1.0)
    n = np.array([20.0, 100.0])
    k = rf.ridgeless_kappa(lam, n)
    assert np.allclose(k, rf.kappa_asymptotic(1.0, n), rtol=0.05)
    L = rf.ridgeless_loss(lam, 1.0, n, 4 * n)
    assert np.allclose(L, rf.ridgeless_loss_asymptotic(1.0, 1.0, n, 4 * n), rtol=0.05)
    assert np.isclose(rf.c_alpha(1.0), np.pi / 2)


def test_optimal_ridge_beats_grid_and_removes_pole():
    opt = rf.optimal_ridge(LAM, WBAR2, [60, 100, 150], [100, 100, 100])
    grid = rf.test_loss(LAM, WBAR2, np.array([60, 100, 150])[:, None], 100, np.logspace(-6, 2, 41))
    assert np.all(opt.loss <= grid.min(axis=1) * (1 + 1e-9))
    assert np.all(np.isfinite(opt.loss)) and np.all(opt.ridge > 0)


def test_power_law_spectrum():
    lam = rf.power_law_spectrum(4, 0.5, lambda_plus=2.0)
    assert np.allclose(lam, 2.0 * np.arange(1, 5) ** -1.5)


@pytest.mark.parametrize("call, match", [
    (lambda: rf.power_law_spectrum(0, 1.0), "M"),
    (lambda: rf.power_law_spectrum(10, -1.0), "alpha"),
    (lambda: rf.power_law_spectrum(10, 1.0, lambda_plus=0), "lambda_plus"),
    (lambda: rf.solve_kappa([1.0, -1.0], 10, 10, 0.1), "eigenvalues"),
    (lambda: rf.solve_kappa(LAM, 0, 10, 0.1), "n_features"),
    (lambda: rf.solve_kappa(LAM, 10, -5, 0.1), "n_samples"),
    (lambda: rf.solve_kappa(LAM, 10, 10, -0.1), "ridge"),
    (lambda: rf.solve_kappa(LAM, 10, 10, 0.1, sigma_u2=0), "sigma_u2"),
    (lambda: rf.test_loss(LAM, np.ones(3), 10, 10, 0.1), "teacher_variances"),
    (lambda: rf.test_loss(LAM, -1.0, 10, 10, 0.1), "teacher_variances"),
    (lambda: rf.test_loss(LAM, 1.0, 10, 10, 0.1, noise=-1), "noise"),
    (lambda: rf.ridgeless_loss(LAM, 1.0, np.nan, 10), "n_features"),
    (lambda: rf.ridgeless_kappa(LAM, 0), "n"),
    (lambda: rf.degrees_of_freedom(LAM, -1.0), "kappa"),
    (lambda: rf.optimal_ridge(LAM, 1.0, 10, 10, [0.0, 1.0]), "ridges"),
    (lambda: rf.kappa_asymptotic(0.0, 10), "alpha"),
    (lambda: rf.ridgeless_loss_asymptotic(1.0, -1.0, 10, 20), "teacher_variance"),
    (lambda: rf.c_alpha(-2), "alpha"),
    (lambda: rf.finite_size_allowance(0, 10, 100), "n_features"),
    (lambda: rf.finite_size_allowance(10, 10, 0), "M"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_exact_fit_at_min_n_t_equal_to_m_is_zero_on_both_sides():
    """Ridgeless, noiseless, min(N, T) = M: T = M samples (or N = M features) pin every latent
    direction, so the loss is 0 whichever side is larger (hypothesis found T = M, N > M giving inf)."""
    lam = rf.power_law_spectrum(20, 1.0)
    a, b = rf.test_loss(lam, 1 / 20, [26.67, 20], [20, 26.67], 0.0)
    assert a == b == 0.0
    assert np.isinf(rf.test_loss(lam, 1 / 20, 26.67, 20, 0.0, noise=1e-3))   # with noise: the pole
    assert np.isinf(rf.test_loss(lam, 1 / 20, 10, 10, 0.0))                    # N = T < M: the pole
