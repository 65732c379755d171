import numpy as np
import pytest
from scipy.optimize import brentq

from scaling_utils.theory import random_features as rf
from scaling_utils.theory.spectral_sums import SpectralSums, exact_sums

SPECTRA = {
    "power law 2": np.arange(1, 5001) ** -2.0,
    "power law 1.2": np.arange(1, 3001) ** -1.2,
    "clustered": np.random.default_rng(0).random(2000) ** 8 + 1e-12,   # 12 decades, uneven
    "degenerate": np.ones(10),
}


@pytest.mark.parametrize("name", SPECTRA)
def test_interpolant_matches_direct_sums_over_22_decades(name):
    lam = SPECTRA[name]
    weights = np.stack([np.ones(lam.size), np.random.default_rng(1).random(lam.size)])
    sums = SpectralSums(lam, weights, 1e-16, 1e6)
    kappa = np.exp(np.random.default_rng(2).uniform(np.log(1e-16), np.log(1e6), 3000))
    got, want = sums(kappa), exact_sums(lam, weights, kappa)
    assert np.max(np.abs(got - want) / want) < 1e-12      # relative, for every sum and weight
    df = sums(kappa, df_only=True)
    assert np.allclose(df[:, 0], want[:, 0, 0], rtol=1e-12, atol=0)
    assert np.allclose(df[:, 1], want[:, 2, 0] + want[:, 3, 0], rtol=1e-12, atol=0)   # Σ(1 − r)


def test_difference_sum_has_no_cancellation():
    lam = np.array([1.0, 2.0])
    kappa = np.array([1e-14])
    s = exact_sums(lam, np.ones((1, 2)), kappa)[0, :, 0]
    assert s[2] == pytest.approx(kappa[0] * (1 / 1.0 + 1 / 2.0), rel=1e-12)   # Σ r(1-r) ≈ κ Σ 1/λ
    assert abs((s[0] - s[1]) / s[2] - 1) > 1e-6                                 # the naive difference is noise


def test_zero_is_exact_and_range_is_checked():
    lam = np.array([1.0, 0.5, 0.25])
    sums = SpectralSums(lam, np.ones((1, 3)), 1e-3, 1e3)
    assert np.array_equal(sums(np.array([0.0]))[0, :, 0], [3.0, 3.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="outside the range"):
        sums(np.array([1e6]))
    with pytest.raises(ValueError, match="kappa_min"):
        SpectralSums(lam, np.ones((1, 3)), 0.0, 1.0)


def test_only_the_needed_panels_are_built():
    lam = SPECTRA["power law 2"]
    sums = SpectralSums(lam, np.ones((1, lam.size)), 1e-10, 1e4)
    sums(np.array([1e-3, 1.1e-3]))
    assert sums.n_panels_built == 1


def _kappa_by_brentq(lam, n_features, n_samples, ridge):
    """κ of one grid point, the plain way: scalar brentq solves on direct sums."""
    def df1(t):
        return np.sum(lam / (lam + np.exp(t)))

    n = min(n_features, n_samples)
    k0 = np.exp(brentq(lambda t: df1(t) - n, -200, 50, xtol=1e-15, rtol=1e-15)) if n < lam.size else 0.0
    le = ridge * lam.size / (n_features * n_samples)
    if le == 0:
        return k0

    def f(t):
        return np.exp(t) * (1 - df1(t) / n_samples) * (1 - df1(t) / n_features) - le

    return np.exp(brentq(f, np.log(max(k0, le)), np.log(4 * lam.sum() / n + 8 * le + k0), xtol=1e-15, rtol=1e-15))


def test_kappa_and_loss_equal_direct_evaluation():
    """κ equals per-point brentq solves; the interpolated loss equals the formula summed directly at κ."""
    lam = SPECTRA["power law 2"]
    v = np.random.default_rng(3).random(lam.size) / lam.size
    N, T = np.meshgrid(np.geomspace(10, 4000, 9), np.geomspace(12, 9000, 9), indexing="ij")
    for ridge in (0.0, 1e-6, 1.0):
        kappa = rf.solve_kappa(lam, N, T, ridge)
        plain = np.array([_kappa_by_brentq(lam, a, b, ridge) for a, b in zip(N.ravel(), T.ravel(), strict=True)])
        assert np.allclose(kappa.ravel(), plain, rtol=1e-12, atol=0)
        r = lam / (lam + kappa[..., None])
        df1, df2 = r.sum(-1), (r * r).sum(-1)
        if ridge == 0:
            df1 = np.where(np.minimum(N, T) < lam.size, np.minimum(N, T), df1)
        d = (N - df1) / (N - df2)
        g = (df1 - d * (df1 - df2)) / T
        with np.errstate(divide="ignore"):
            direct = np.where(1 - g > 0, kappa * ((v * r).sum(-1) - d * (v * r * r).sum(-1)) / (1 - g), np.inf)
        got = rf.test_loss(lam, v, N, T, ridge)
        assert np.array_equal(np.isfinite(got), np.isfinite(direct))
        assert np.allclose(got[np.isfinite(got)], direct[np.isfinite(got)], rtol=1e-9, atol=0)


def test_kernel_learning_curve_equals_direct_sums():
    """Bordelon–Canatar–Pehlevan error from the interpolated sums equals the sums taken directly at κ."""
    from scaling_utils.theory import kernels

    lam = np.arange(1, 20001) ** -1.5
    v2 = lam * np.random.default_rng(4).random(lam.size)
    D = np.geomspace(5, 3000, 17)[:, None]
    delta = np.array([0.0, 1e-4, 1.0])
    lc = kernels.learning_curve(lam, v2, D, delta, noise=0.1, tail=1e-3, target_tail=2e-3)
    k = lc.kappa[..., None]
    den = D[..., None] * lam + k
    assert np.allclose(k[..., 0], delta + 1e-3 + k[..., 0] * (lam / den).sum(-1), rtol=1e-11)   # eq. bcp-kappa
    gamma = (D[..., None] * lam**2 / den**2).sum(-1)
    error = ((k**2 * v2 / den**2).sum(-1) + 2e-3 + 0.1 * gamma) / (1 - gamma)
    assert np.allclose(lc.gamma, gamma, rtol=1e-11) and np.allclose(lc.error, error, rtol=1e-11)


def test_extreme_spectra_and_ridges_found_in_review():
    """Cases a reviewer's random sweep broke: κ underflow/overflow, κ/λ > 1e308, roots within ulps of a bracket end."""
    from scaling_utils.theory import kernels

    steep = np.exp(-np.arange(1, 401.0))                 # 174 decades
    assert np.isfinite(rf.test_loss(steep, 1 / 400, 390, 780, 0.0))
    assert np.isfinite(kernels.learning_curve(steep, steep, 390).error)
    lam = SPECTRA["power law 2"][:500]
    for ridge in (1e-160, 1e160):
        assert np.isfinite(rf.test_loss(lam, 1 / 500, 600, 1000, ridge))
    steeper = np.exp(-np.arange(1, 701.0))               # κ/λ beyond the float range
    assert rf.test_loss(steeper, 1 / 700, 10, 10, 1e4) == pytest.approx(8.3139e-4, rel=1e-4)
    assert kernels.learning_curve(steeper, steeper, 10, 1e6).error == pytest.approx(0.582, rel=1e-3)
    assert kernels.solve_kappa([1.0], 1, 1e16) == pytest.approx(1e16, rel=1e-12)
    assert rf.solve_kappa([1.0], 1, 1, 1e16) == pytest.approx(1e16, rel=1e-12)


def test_kappa_accurate_when_a_size_equals_the_number_of_modes():
    """N = M with a tiny ridge: N − Df1 must come from the complement Σ(1 − r), not from a difference."""
    flat = np.ones(200)
    for ridge in (1e-12, 1e-16, 1e-30):
        kappa = float(rf.solve_kappa(flat, 200, 1000, ridge))
        # flat spectrum: Df1 = M/(1+κ), so the κ equation is κ · (T − M/(1+κ))/T · (Mκ/(1+κ))/N = γM/(NT)
        lhs = kappa * (1000 - 200 / (1 + kappa)) / 1000 * (200 * kappa / (1 + kappa)) / 200
        assert lhs == pytest.approx(ridge * 200 / (200 * 1000), rel=1e-12)
        loss = float(rf.test_loss(flat, 1 / 200, 200, 1000, ridge))
        # the loss formula for a flat spectrum, v = 1/M, N = M: r = 1/(1+κ), s = κ/(1+κ),
        # N − Df1 = Ms, N − Df2 = Ms(1 + r), d = 1/(1 + r), 1 − g = (T − M + Ms + d·Mrs)/T
        r, s_ = 1 / (1 + kappa), kappa / (1 + kappa)
        d = 1 / (1 + r)
        exact = kappa * (r * s_ + (1 - d) * r * r) / ((1000 - 200 + 200 * s_ + d * 200 * r * s_) / 1000)
        assert loss == pytest.approx(exact, rel=1e-12)
