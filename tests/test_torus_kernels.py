"""Tests for scaling_utils.engines.torus_kernels: spectra, periodization, Gram matrices, prior, errors."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from scaling_utils.engines.torus_kernels import (
    TorusKernel,
    gram_spectrum,
    prior_averaged_error,
    prior_error_curve,
    sample_prior,
    uniform_points,
)


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(1):
        yield


KERNELS = [TorusKernel("matern", 1, 0.1, 0.5), TorusKernel("matern", 1, 0.15, 1.5),
           TorusKernel("matern", 2, 0.1, 1.0), TorusKernel("matern", 1, 0.1, 0.8),
           TorusKernel("gaussian", 1, 0.1)]


@pytest.mark.parametrize("k", KERNELS)
def test_fourier_coefficients_are_exact(k):
    if k.d == 1:
        # Gauss–Legendre on [0, 1/2] (the kernel is even and smooth away from r = 0)
        t, w = np.polynomial.legendre.leggauss(400)
        r, w = 0.25 * (t + 1), 0.25 * w
        values = k.torus_value(r[:, None])
        for m in [0, 1, 7]:
            c = 2 * np.sum(w * values * np.cos(2 * np.pi * m * r))
            assert c == pytest.approx(float(k.coefficients([m])), rel=1e-6)
    # the coefficients sum to k(0) (Parseval at r = 0); tail of c_m ~ m^-(2ν+d) left out
    assert k.eigenvalues(20000).sum() == pytest.approx(k.trace(), rel=2e-3)


def test_matern_half_integer_matches_bessel_form():
    r = np.linspace(0, 0.5, 7)
    for nu in [0.5, 1.5, 2.5]:
        closed = TorusKernel("matern", 1, 0.2, nu).value(r)
        bessel = TorusKernel("matern", 1, 0.2, nu + 1e-9).value(r)
        np.testing.assert_allclose(closed, bessel, rtol=1e-6)
    np.testing.assert_allclose(TorusKernel("matern", 1, 0.2, 0.5).value(r), np.exp(-r / 0.2))


def test_squared_kernel_has_squared_coefficients():
    for k in KERNELS:
        m = np.array([[0] * k.d, [1] + [0] * (k.d - 1), [3] * k.d])
        np.testing.assert_allclose(k.squared().coefficients(m), k.coefficients(m) ** 2, rtol=1e-10)


def test_eigenvalues_sorted_with_multiplicity_and_power_law():
    k = TorusKernel("matern", 2, 0.1, 1.0)
    lam = k.eigenvalues(4000)
    assert np.all(np.diff(lam) <= 0)
    assert lam[1] == lam[4] and lam[4] > lam[5]  # four modes |m| = 1 in d = 2
    n = np.array([1000.0, 3000.0])
    slope = -np.diff(np.log(k.asymptotic_eigenvalues(n))) / np.diff(np.log(n))
    assert slope[0] == pytest.approx(1 + 2 * 1.0 / 2)
    ratio = lam[2999] / k.asymptotic_eigenvalues(3000.0)
    assert 0.8 < ratio < 1.2


def test_gram_eigenvalues_approach_the_spectrum():
    k = TorusKernel("matern", 1, 0.1, 0.5)
    x = uniform_points(800, 1, seed=0)
    ev = np.linalg.eigvalsh(k.gram(x))[::-1] / 800
    lam = k.eigenvalues(40)
    np.testing.assert_allclose(ev[:40], lam, rtol=0.15)


def test_gram_is_periodic_and_symmetric():
    k = TorusKernel("matern", 2, 0.1, 1.5)
    x = uniform_points(30, 2, seed=1)
    K = k.gram(x)
    np.testing.assert_allclose(K, K.T)
    np.testing.assert_allclose(k.gram(x + np.array([1.0, -2.0]), x), K, atol=1e-12)
    assert np.linalg.eigvalsh(K).min() > 0


@pytest.mark.parametrize("kind, d, nu", [("matern", 1, 0.5), ("matern", 2, 1.5), ("gaussian", 2, 0.5)])
def test_gram_of_one_point_set_equals_the_two_set_gram(kind, d, nu):
    # the one-argument Gram is built from its upper triangle and k(0): the same matrix as the general path
    k = TorusKernel(kind, d, 0.15, nu)
    x = uniform_points(40, d, seed=2)
    np.testing.assert_allclose(k.gram(x), k.gram(x, x), rtol=1e-13, atol=1e-15)
    assert np.array_equal(k.gram(x), k.gram(x).T)


def test_prior_samples_have_the_kernel_covariance():
    k = TorusKernel("matern", 1, 0.2, 1.5)
    x = uniform_points(6, 1, seed=2)
    f = sample_prior(k, x, seed=0, n_draws=20000)
    np.testing.assert_allclose(np.cov(f.T), k.gram(x), atol=0.03)


def test_prior_averaged_error_matches_monte_carlo():
    k = TorusKernel("matern", 1, 0.1, 0.5)
    x = uniform_points(540, 1, seed=3)
    train, test = x[:40], x[40:]
    for ridge in [0.0, 0.5]:
        exact = prior_averaged_error(k, train, [40], ridge)[0]
        f = sample_prior(k, x, seed=1, n_draws=400)
        A = np.linalg.solve(k.gram(train) + ridge * np.eye(40), k.gram(train, test))
        mc = np.mean((f[:, 40:] - f[:, :40] @ A) ** 2)
        assert mc == pytest.approx(exact, rel=0.08)
    # prefixes share one factorization and agree with separate computations
    both = prior_averaged_error(k, train, [10, 40], 0.5)
    assert both[0] == pytest.approx(prior_averaged_error(k, train[:10], [10], 0.5)[0], rel=1e-9)


def test_sweep_points_are_the_direct_computations():
    k = TorusKernel("matern", 2, 0.1, 1.5)
    table = gram_spectrum("matern", 2, 0.1, 1.5, 60, seed=4)
    assert list(table.columns) == ["n", "eigenvalue"] and table["n"].tolist() == list(range(1, 61))
    direct = np.linalg.eigvalsh(k.gram(uniform_points(60, 2, seed=4)))[::-1] / 60
    np.testing.assert_allclose(table["eigenvalue"], direct, rtol=1e-12)
    curve = prior_error_curve("matern", 2, 0.1, 1.5, [10, 30], seed=5)
    np.testing.assert_allclose(curve["error"], prior_averaged_error(k, uniform_points(30, 2, seed=5), [10, 30]))
    assert curve["D"].tolist() == [10, 30]
    with pytest.raises(ValueError, match="n_points"):
        gram_spectrum("matern", 1, 0.1, 0.5, 0, seed=0)
    with pytest.raises(ValueError, match="sizes"):
        prior_error_curve("matern", 1, 0.1, 0.5, [30, 10], seed=0)
    with pytest.raises(ValueError, match="kind"):
        gram_spectrum("laplace", 1, 0.1, 0.5, 10, seed=0)


def test_bad_input():
    with pytest.raises(ValueError, match="kind"):
        TorusKernel("laplace", 1, 0.1)
    with pytest.raises(ValueError, match="d"):
        TorusKernel("matern", 0, 0.1)
    with pytest.raises(ValueError, match="lengthscale"):
        TorusKernel("matern", 1, -0.1)
    with pytest.raises(ValueError, match="nu"):
        TorusKernel("matern", 1, 0.1, nu=0.0)
    with pytest.raises(ValueError, match="variance"):
        TorusKernel("matern", 1, 0.1, variance=-1.0)
    k = TorusKernel("matern", 2, 0.1)
    with pytest.raises(ValueError, match="modes"):
        k.coefficients([1, 2, 3])
    with pytest.raises(ValueError, match="n must"):
        k.eigenvalues(0)
    with pytest.raises(ValueError, match="omega"):
        k.spectral_density(-1.0)
    with pytest.raises(ValueError, match="r must"):
        k.value(-1.0)
    with pytest.raises(ValueError, match="delta"):
        k.torus_value(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="x must"):
        k.gram(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="kind must be 'matern'"):
        TorusKernel("gaussian", 1, 0.1).asymptotic_eigenvalues(10)
    with pytest.raises(ValueError, match="n must"):
        uniform_points(0, 1, seed=0)
    with pytest.raises(ValueError, match="seed"):
        uniform_points(3, 1, seed=-2)
    x = uniform_points(5, 2, seed=0)
    with pytest.raises(ValueError, match="n_draws"):
        sample_prior(k, x, seed=0, n_draws=0)
    with pytest.raises(ValueError, match="jitter"):
        sample_prior(k, x, seed=0, jitter=-1.0)
    with pytest.raises(ValueError, match="sizes"):
        prior_averaged_error(k, x, [6])
    with pytest.raises(ValueError, match="ridge"):
        prior_averaged_error(k, x, [5], ridge=-1.0)
