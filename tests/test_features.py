"""Infinite-width kernels against Monte Carlo averages over random weights."""

import numpy as np
import pytest

from scaling_utils.engines import features as F

RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 3)) * np.array([0.3, 0.7, 1.2])


def _mc(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error over the first (weight) axis."""
    return values.mean(0), values.std(0) / np.sqrt(values.shape[0])


@pytest.mark.parametrize(("activation", "kernel"), [("relu", F.arccos_kernel), ("erf", F.erf_kernel)])
def test_kernels_match_monte_carlo(activation, kernel):
    w = F.gaussian_weights(200_000, 3, seed=1)
    phi = F.random_features(X, w, activation)  # (N, W)
    mean, se = _mc(np.einsum("iw,jw->wij", phi, phi))
    assert np.all(np.abs(mean - kernel(X)) < 5 * se + 1e-12)
    # the empirical kernel helper is the same average
    np.testing.assert_allclose(F.random_feature_kernel(X, None, w, activation), mean, rtol=1e-10)


def test_erf_derivative_kernel_and_ntk_match_monte_carlo():
    w = F.gaussian_weights(200_000, 3, seed=2)
    a = np.random.default_rng(3).standard_normal(200_000)
    h = X @ w.T
    g = 2 / np.sqrt(np.pi) * np.exp(-h**2)
    mean, se = _mc(np.einsum("iw,jw->wij", g, g))
    assert np.all(np.abs(mean - F.erf_derivative_kernel(X)) < 5 * se)
    e = F.random_features(X, w, "erf")
    hidden = (a**2)[:, None, None] * np.einsum("iw,jw->wij", g, g) * (X @ X.T)
    per_weight = np.einsum("iw,jw->wij", e, e) + hidden
    mean, se = _mc(per_weight)
    assert np.all(np.abs(mean - F.erf_ntk(X)) < 5 * se)


def test_arccos_special_angles():
    x = np.array([[2.0, 0.0], [0.0, 3.0], [-1.0, 0.0]])
    k = F.arccos_kernel(x)
    assert k[0, 0] == pytest.approx(4.0 / 2)            # θ = 0: |x|²/2
    assert k[0, 1] == pytest.approx(6.0 / (2 * np.pi))  # θ = π/2: |x||y|/2π
    assert k[0, 2] == pytest.approx(0.0, abs=1e-15)     # θ = π: no overlap
    np.testing.assert_allclose(k, k.T)


def test_kernels_symmetric_psd_and_cross_shapes():
    for kernel in (F.arccos_kernel, F.erf_kernel, F.erf_derivative_kernel, F.erf_ntk):
        k = kernel(X)
        np.testing.assert_allclose(k, k.T, atol=1e-14)
        assert np.linalg.eigvalsh(k).min() > -1e-10
        assert kernel(X[:2], X).shape == (2, 6)


def test_erf_kernel_small_input_limit():
    # for |x| → 0, erf(h) ≈ 2h/√π, so K ≈ (4/π) x·x'
    x = 1e-4 * X
    np.testing.assert_allclose(F.erf_kernel(x), 4 / np.pi * x @ x.T, rtol=1e-6)


def test_bad_inputs():
    with pytest.raises(ValueError, match="width"):
        F.gaussian_weights(0, 3)
    with pytest.raises(ValueError, match="dim"):
        F.gaussian_weights(3, 0)
    with pytest.raises(ValueError, match="activation"):
        F.random_features(X, np.ones((2, 3)), "tanh")
    with pytest.raises(ValueError, match="weights"):
        F.random_features(X, np.ones((2, 4)))
    with pytest.raises(ValueError, match="weights"):
        F.random_feature_kernel(X, None, np.ones(3))
    for kernel in (F.arccos_kernel, F.erf_kernel, F.erf_derivative_kernel, F.erf_ntk):
        with pytest.raises(ValueError, match="x1"):
            kernel(np.ones(3))
        with pytest.raises(ValueError, match="same input dimension"):
            kernel(X, np.ones((2, 4)))
