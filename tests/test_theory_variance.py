"""Closed forms of the variance-limited regime against simulation."""

import numpy as np
import pytest

from scaling_utils.engines.linear_models import ols_learning_curves
from scaling_utils.theory import variance as V


def test_ols_excess_risk_matches_simulation():
    sizes = np.array([14, 30, 120])
    sim = ols_learning_curves(sizes, 8, 0.5, seeds=2000, seed=1)
    theory = V.ols_excess_risk(sizes, 8, 0.5)
    se = sim.std(0) / np.sqrt(sim.shape[0])
    assert np.all(np.abs(sim.mean(0) - theory) < 4 * se)


def test_min_norm_excess_risk_below_threshold_matches_simulation():
    sizes = np.array([3, 6, 12])
    sim = ols_learning_curves(sizes, 20, 0.3, signal=2.0, seeds=2000, seed=2)
    theory = V.min_norm_excess_risk(sizes, 20, 0.3, 2.0)
    se = sim.std(0) / np.sqrt(sim.shape[0])
    assert np.all(np.abs(sim.mean(0) - theory) < 4 * se)


def test_min_norm_agrees_with_ols_above_threshold_and_diverges_at_it():
    D = np.array([30.0, 100.0])
    np.testing.assert_allclose(V.min_norm_excess_risk(D, 10, 1.5), V.ols_excess_risk(D, 10, 1.5))
    assert np.all(np.isinf(V.min_norm_excess_risk([9, 10, 11], 10, 1.0)))


def test_local_exponent_is_the_log_derivative_and_tends_to_one():
    D = np.array([40.0, 400.0, 4000.0])
    eps = 1e-6
    numeric = -(np.log(V.ols_excess_risk(D * (1 + eps), 10, 1.0))
                - np.log(V.ols_excess_risk(D * (1 - eps), 10, 1.0))) / (2 * eps)
    np.testing.assert_allclose(V.ols_local_exponent(D, 10), numeric, rtol=1e-6)
    assert V.ols_local_exponent(1e7, 10) == pytest.approx(1.0, abs=1e-5)


def test_sandwich_reduces_to_ols_for_well_specified_noise():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((5, 5))
    sigma = a @ a.T + np.eye(5)
    np.testing.assert_allclose(V.sandwich_excess_risk([100, 1000], sigma, 0.7 * sigma),
                               0.7 * 5 / np.array([100, 1000]))


def test_bad_inputs():
    with pytest.raises(ValueError, match="D must be > P"):
        V.ols_excess_risk(11, 10, 1.0)
    with pytest.raises(ValueError, match="P"):
        V.ols_excess_risk(100, 0, 1.0)
    with pytest.raises(ValueError, match="noise_var"):
        V.ols_excess_risk(100, 10, -1.0)
    with pytest.raises(ValueError, match="D"):
        V.min_norm_excess_risk(-3, 10, 1.0)
    with pytest.raises(ValueError, match="signal"):
        V.min_norm_excess_risk(3, 10, 1.0, signal=-1.0)
    with pytest.raises(ValueError, match="D must be > P"):
        V.ols_local_exponent(5, 10)
    with pytest.raises(ValueError, match="positive definite"):
        V.sandwich_excess_risk(10, -np.eye(2), np.eye(2))
    with pytest.raises(ValueError, match="square"):
        V.sandwich_excess_risk(10, np.eye(2), np.eye(3))
