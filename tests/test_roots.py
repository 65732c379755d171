import numpy as np
import pytest
from scipy.optimize import brentq

from scaling_utils.theory.roots import solve_bracketed


def test_vectorized_matches_brentq_on_kappa_equation():
    lam = np.arange(1, 2001) ** -1.5
    sizes = np.geomspace(5, 1000, 20)

    def g(kappa):  # ridgeless spectral self-consistency 1 = (1/n) Σ λ/(λ + κ/n), increasing in κ
        return 1.0 - np.sum(lam / (lam + kappa[:, None] / sizes[:, None]), axis=-1) / sizes

    kappa = solve_bracketed(g, np.full(20, 1e-12), np.full(20, 1e3))
    for n, k in zip(sizes, kappa, strict=True):
        ref = brentq(lambda t, n=n: 1.0 - np.sum(lam / (lam + t / n)) / n, 1e-12, 1e3, xtol=1e-300,
                     rtol=1e-14)
        assert k == pytest.approx(ref, rel=1e-9)


def test_linear_space_and_broadcasting():
    roots = solve_bracketed(lambda x: x**2 - np.array([[2.0], [3.0]]), 0.0, 5.0, log=False)
    assert roots.shape == (2, 1)
    assert np.allclose(roots[:, 0], np.sqrt([2.0, 3.0]))


def test_bad_brackets():
    with pytest.raises(ValueError, match="does not change sign"):
        solve_bracketed(lambda x: x + 1.0, 1.0, 2.0)
    with pytest.raises(ValueError, match="lo must be < hi"):
        solve_bracketed(lambda x: x, 2.0, 1.0)
    with pytest.raises(ValueError, match="lo must be > 0"):
        solve_bracketed(lambda x: x, -1.0, 1.0)
