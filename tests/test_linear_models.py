"""Data generators of the variance-limited chapter: exact population moments and learning curves."""

import numpy as np
import pytest

from scaling_utils.engines import linear_models as LM
from scaling_utils.theory.variance import sandwich_excess_risk

MODEL = LM.ReluTeacherStudent.draw(4, 6, 12, noise_var=0.2, seed=1)


def test_population_moments_match_monte_carlo():
    phi, y = MODEL.sample(400_000, seed=2)
    n = y.size
    np.testing.assert_allclose(phi.T @ phi / n, MODEL.sigma, rtol=0.02, atol=0.01)
    np.testing.assert_allclose(phi.T @ y / n, MODEL.cross, rtol=0.03, atol=0.01)
    assert np.mean(y**2) == pytest.approx(MODEL.target_second_moment, rel=0.02)
    theta = np.linalg.lstsq(phi, y, rcond=None)[0]
    assert np.mean((y - phi @ theta) ** 2) == pytest.approx(MODEL.loss_inf, rel=0.02)
    assert MODEL.loss_inf > MODEL.noise_var  # the student cannot represent the teacher


def test_excess_is_zero_at_optimum_and_matches_held_out_loss():
    assert float(MODEL.excess(MODEL.theta_star)) == pytest.approx(0.0, abs=1e-12)
    theta = MODEL.theta_star + 0.1
    phi, y = MODEL.sample(400_000, seed=3)
    held_out = np.mean((y - phi @ theta) ** 2)
    assert held_out - MODEL.loss_inf == pytest.approx(float(MODEL.excess(theta)), rel=0.05)


def test_learning_curve_matches_sandwich_at_large_D():
    sizes = np.array([300, 3000])
    theta = MODEL.learning_curves(sizes, seeds=400, seed=4)
    excess = MODEL.excess(theta)
    theory = sandwich_excess_risk(sizes, MODEL.sigma, MODEL.omega(200_000, seed=5))
    se = excess.std(0) / np.sqrt(excess.shape[0])
    assert np.all(np.abs(excess.mean(0) - theory) < 4 * se + 0.03 * theory)


def test_coefficient_parts_split_excess_into_variance_and_shift():
    theta = MODEL.learning_curves([200, 2000], seeds=300, seed=6)
    parts = LM.coefficient_parts(theta, MODEL.theta_star, MODEL.sigma)
    np.testing.assert_allclose(parts.total, MODEL.excess(theta), rtol=1e-9)
    np.testing.assert_allclose(parts.mean_shift, 0.0, atol=1e-12)
    mean_total = parts.total.mean(0)
    np.testing.assert_allclose(parts.variance * (1 - 1 / 300) + parts.shift_squared + parts.variance / 300,
                               mean_total, rtol=1e-9)
    assert np.all(parts.variance > 0.9 * mean_total)  # the excess is almost all variance


def test_ols_learning_curves_noiseless_interpolates_above_P():
    ex = LM.ols_learning_curves([3, 12], 5, 0.0, seeds=4, seed=7)
    assert np.all(ex[:, 0] > 0.1)
    np.testing.assert_allclose(ex[:, 1], 0.0, atol=1e-20)


def test_bad_inputs():
    with pytest.raises(ValueError, match="sizes"):
        LM.ols_learning_curves([10, 5], 3, 1.0)
    with pytest.raises(ValueError, match="noise_var"):
        LM.ols_learning_curves([10], 3, -1.0)
    with pytest.raises(ValueError, match="P"):
        LM.ReluTeacherStudent.draw(3, 0, 5)
    with pytest.raises(ValueError, match="teacher"):
        LM.ReluTeacherStudent(np.ones((2, 3)), np.ones((2, 4)), np.ones(2))
    with pytest.raises(ValueError, match="readout"):
        LM.ReluTeacherStudent(np.ones((2, 3)), np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match="theta"):
        MODEL.excess(np.ones(3))
    with pytest.raises(ValueError, match="n_mc"):
        MODEL.omega(1)
    with pytest.raises(ValueError, match="D"):
        MODEL.sample(0)
    with pytest.raises(ValueError, match="theta must end"):
        LM.coefficient_parts(np.ones((2, 3)), np.ones(2), np.eye(2))
    with pytest.raises(ValueError, match="positive definite"):
        LM.coefficient_parts(np.ones((2, 2)), np.ones(2), -np.eye(2))
