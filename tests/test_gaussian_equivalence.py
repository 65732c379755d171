"""Tests of scaling_utils.theory.gaussian_equivalence: the latent limit, the residual, ReLU simulation, bad input."""

import numpy as np
import pytest

from scaling_utils.engines import solvable as sv
from scaling_utils.theory import random_features as rf
from scaling_utils.theory.gaussian_equivalence import gaussian_equivalent_loss

M = 40
LAM = rf.power_law_spectrum(M, 1.0)


@pytest.mark.parametrize("sigma_u2, noise, ridge", [(1.0, 0.0, 1e-2), (2.5, 1e-3, 0.0), (0.7, 0.0, 1.0)])
def test_linear_features_in_kernel_units_are_the_latent_theory(sigma_u2, noise, ridge):
    """Kernel eigenvalues σ_u²λ/M and teacher power vλ give random_features.test_loss exactly."""
    v = np.linspace(0.5, 1.5, M) / M
    es = sv.feature_eigensystem(LAM, v, "linear", 2, sigma_u2=sigma_u2)
    N, T = np.array([[10], [25], [70]]), np.array([15, 60, 200])
    got = gaussian_equivalent_loss(es.eigenvalues, es.teacher_power, N, T, ridge, noise=noise)
    want = rf.test_loss(LAM, v, N, T, ridge, sigma_u2=sigma_u2, noise=noise)
    assert np.allclose(got, want, rtol=1e-10)


def test_residual_is_a_mode_no_feature_can_learn():
    """Teacher power ρ outside the span acts like a mode of vanishing eigenvalue carrying ρ."""
    mu, power = LAM / M, LAM / M
    rho = 0.1 * power.sum()
    with_residual = gaussian_equivalent_loss(mu, power, [12, 30], 50, 1e-2, noise=1e-3, residual=rho)
    as_mode = gaussian_equivalent_loss(np.append(mu, 1e-12 * mu[-1]), np.append(power, rho), [12, 30], 50, 1e-2,
                                       noise=1e-3)
    assert np.allclose(with_residual, as_mode, rtol=1e-6)


def test_relu_features_against_simulation():
    """ReLU features: the Gaussian-equivalent loss on a 1600-feature pool against exact-population-loss
    simulations. Allowance: 3 standard errors plus 8 % (finite-size corrections of the deterministic
    equivalent at N, T ≥ 20, of order 1/min(N, T); halving the pool changes these points by < 2 %)."""
    s2 = M / LAM.sum()
    es = sv.feature_eigensystem(LAM, 1 / M, "relu", 1600, sigma_u2=s2, seed=1)
    N, T, ridge = np.array([20, 60]), np.array([40, 200]), 1e-2
    theory = gaussian_equivalent_loss(es.eigenvalues, es.teacher_power, N[:, None], T[None, :], ridge,
                                      residual=es.residual)
    sim = sv.simulate_losses(LAM, 1 / M, N, T, [ridge], name="relu", seeds=8, seed=5, sigma_u2=s2, teachers=32)[..., 0]
    mean, se = sim.mean(0), sim.std(0, ddof=1) / np.sqrt(8)
    assert np.all(np.abs(mean - theory) <= 3 * se + 0.08 * theory)
    # the latent spectrum alone (features Ux/2) is far off: the nonlinear part matters
    latent = rf.test_loss(LAM, 1 / M, N[:, None], T[None, :], ridge, sigma_u2=s2 / 4)
    assert np.all(mean > 1.3 * latent)


def test_bad_input():
    mu = LAM / M
    with pytest.raises(ValueError, match="one entry per eigenvalue"):
        gaussian_equivalent_loss(mu, mu[:-1], 10, 10, 0.1)
    with pytest.raises(ValueError, match="teacher_power must be >= 0"):
        gaussian_equivalent_loss(mu, -mu, 10, 10, 0.1)
    with pytest.raises(ValueError, match="eigenvalues must be > 0"):
        gaussian_equivalent_loss(-mu, mu, 10, 10, 0.1)
    with pytest.raises(ValueError, match="noise must be"):
        gaussian_equivalent_loss(mu, mu, 10, 10, 0.1, noise=-1.0)
    with pytest.raises(ValueError, match="residual must be"):
        gaussian_equivalent_loss(mu, mu, 10, 10, 0.1, residual=-1.0)
