import numpy as np
import pytest

from scaling_utils.engines.regression import population_mse, ridge_path, ridge_prefix_path


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    return rng.standard_normal((40, 60)), rng.standard_normal((40, 2))


def test_ridge_path_matches_direct_solves(problem):
    x, y = problem
    coef = ridge_path(x, y, [0.0, 0.3, 10.0])
    assert coef.shape == (3, 60, 2)
    assert np.allclose(coef[0], np.linalg.pinv(x) @ y, atol=1e-10)
    for k, g in enumerate([0.3, 10.0], start=1):
        assert np.allclose(coef[k], np.linalg.solve(x.T @ x + g * np.eye(60), x.T @ y), atol=1e-10)
    assert ridge_path(x, y[:, 0], 0.3).shape == (1, 60)


def test_prefix_path(problem):
    x, y = problem
    coef = ridge_prefix_path(x, y[:, 0], [5, 20, 40], [0.0, 1.0])
    assert coef.shape == (3, 2, 60)
    assert np.allclose(coef[1, 1], np.linalg.solve(x[:20].T @ x[:20] + np.eye(60), x[:20].T @ y[:20, 0]))
    assert np.allclose(coef[0, 0], np.linalg.pinv(x[:5]) @ y[:5, 0], atol=1e-10)


def test_population_mse_against_monte_carlo():
    rng = np.random.default_rng(1)
    lam = 1.0 / np.arange(1, 6) ** 2
    e = rng.standard_normal(5)
    xs = rng.standard_normal((200000, 5)) * np.sqrt(lam)
    assert population_mse(e, lam) == pytest.approx(np.mean((xs @ e) ** 2), rel=0.02)
    assert population_mse(e, np.diag(lam)) == pytest.approx(population_mse(e, lam))
    assert population_mse(np.stack([e, 2 * e]), lam).shape == (2,)


def test_bad_input(problem):
    x, y = problem
    with pytest.raises(ValueError, match="same number of rows"):
        ridge_path(x, y[:10], 0.1)
    with pytest.raises(ValueError, match="ridges must be >= 0"):
        ridge_path(x, y, [-1.0])
    with pytest.raises(ValueError, match="x must be finite"):
        ridge_path(np.full((3, 3), np.nan), np.ones(3), 0.1)
    with pytest.raises(ValueError, match="sizes must be <="):
        ridge_prefix_path(x, y, [10, 50], 0.1)
    with pytest.raises(ValueError, match="sizes must be strictly increasing"):
        ridge_prefix_path(x, y, [20, 10], 0.1)
    with pytest.raises(ValueError, match="covariance is"):
        population_mse(np.ones(3), np.ones(4))


def test_tiny_singular_directions_are_kept_when_ridge_is_positive():
    """The rcond cut is for the ridgeless solution only; a ridge fit must keep every direction."""
    rng = np.random.default_rng(2)
    q, _ = np.linalg.qr(rng.standard_normal((6, 3)))
    x = q * np.array([1.0, 1e-3, 1e-12])  # a singular value far below rcond · s_max
    y = rng.standard_normal(6)
    ridge = 1e-20
    exact = np.linalg.solve(x.T @ x + ridge * np.eye(3), x.T @ y)
    assert np.allclose(ridge_path(x, y, ridge)[0], exact, rtol=1e-6)
    assert ridge_path(x, y, 0.0)[0][2] == pytest.approx(0.0, abs=1e-6)  # ridgeless: cut
