"""Covariance spectra with delete-a-group jackknife intervals; kernel eigensystems; power-law tails."""

import numpy as np
import pytest

from scaling_utils.measurement.fitting import fit_power_law
from scaling_utils.measurement.spectra import (
    covariance_spectrum,
    kernel_eigensystem,
    rank_grid,
)


def test_pseudo_curves_are_centred_jackknife_values():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((600, 6)) * np.arange(6, 0, -1)
    s = covariance_spectrum(x, groups=6, seed=1)
    c = s.pseudo_curves([1, 2, 3])
    assert np.allclose(c.mean(0), s.eigenvalues[:3])
    rep = s.replicates[:, :3]
    se_jack = np.sqrt((6 - 1) / 6 * ((rep - rep.mean(0)) ** 2).sum(0))
    assert np.allclose(s.stderr([1, 2, 3]), se_jack)
    # groups given as labels: each label is deleted once
    labelled = covariance_spectrum(x, groups=np.repeat(np.arange(3), 200))
    assert labelled.groups == 3 and labelled.replicates.shape == (3, 6)
    # fewer rows than columns: the Gram form gives the same non-zero eigenvalues
    wide = rng.standard_normal((10, 30))
    ev = covariance_spectrum(wide, groups=2).eigenvalues
    xc = wide - wide.mean(0)
    assert np.allclose(ev, np.sort(np.linalg.eigvalsh(xc.T @ xc / 10))[::-1].clip(0), atol=1e-12)


def test_spectral_exponent_interval_covers():
    """Delete-a-group jackknife-t interval of the fitted exponent, G = 8 and 10, over repeated samples.

    Gaussian rows with covariance k^-1.5 in 60 dimensions, n = 1500, ranks 2…30 fitted. The target
    is the estimator's own mean over the repeats (the interval is statistical, module docstring).
    """
    lam = np.arange(1, 61) ** -1.5
    k = rank_grid(30, 10, min_rank=2)
    for groups in (8, 10):
        fits = []
        for r in range(120):
            x = np.random.default_rng([groups, r]).standard_normal((1500, 60)) * np.sqrt(lam)
            s = covariance_spectrum(x, groups=groups, seed=r)
            fits.append(fit_power_law(k, s.pseudo_curves(k)))
        alpha = np.array([f.alpha for f in fits])
        covered = np.mean([f.interval[0] <= alpha.mean() <= f.interval[1] for f in fits])
        assert covered >= 0.9, (groups, covered)
        assert abs(alpha.mean() - 1.5) < 0.05


def test_rank_grid_and_bad_input():
    assert rank_grid(10, 50).tolist() == list(range(1, 11))
    with pytest.raises(ValueError, match="max_rank must be >= 2"):
        rank_grid(1)
    with pytest.raises(ValueError, match="groups must be >= 2"):
        covariance_spectrum(np.ones((10, 2)), groups=1)
    with pytest.raises(ValueError, match="one label per row"):
        covariance_spectrum(np.ones((10, 2)), groups=np.zeros(3))
    with pytest.raises(ValueError, match="at least 2 distinct labels"):
        covariance_spectrum(np.ones((10, 2)), groups=np.zeros(10))
    s = covariance_spectrum(np.random.default_rng(0).standard_normal((40, 3)), groups=4)
    with pytest.raises(ValueError, match="ranks must be integers"):
        s.pseudo_curves([0, 1])


def test_kernel_eigensystem_matches_definition():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((50, 3))
    gram = np.exp(-((z[:, None] - z[None]) ** 2).sum(-1))
    y = rng.standard_normal((50, 2))
    es = kernel_eigensystem(gram, y)
    assert np.isclose(es.eigenvalues.sum(), np.trace(gram) / 50)
    assert np.isclose(es.target_power.sum(), (y**2).sum(1).mean())          # Parseval on the pool
    assert np.all(np.diff(es.eigenvalues) <= 1e-15) and es.n_pool == 50
    lam, v2 = es.positive()
    assert lam.size == v2.size and lam.min() > 0
    assert es.column_power.shape == (2, 50)
    assert np.allclose(es.positive(columns=1)[1], es.column_power[1][es.eigenvalues > 1e-13 * es.eigenvalues[0]])
    with pytest.raises(ValueError, match="gram must be a square matrix"):
        kernel_eigensystem(np.ones((3, 4)), np.ones(3))
    with pytest.raises(ValueError, match="gram must be symmetric"):
        kernel_eigensystem(np.triu(np.ones((3, 3))), np.ones(3))
    with pytest.raises(ValueError, match="gram must be positive semi-definite"):
        kernel_eigensystem(-np.eye(3), np.ones(3))
    with pytest.raises(ValueError, match="one row per pool point"):
        kernel_eigensystem(gram, np.ones(5))


def test_numerical_rank():
    from scaling_utils.measurement.spectra import numerical_rank

    x = np.random.default_rng(2).standard_normal((100, 3)) @ np.random.default_rng(3).standard_normal((3, 8))
    assert numerical_rank(covariance_spectrum(x, groups=4).eigenvalues) == 3
    with pytest.raises(ValueError, match="positive value"):
        numerical_rank([0.0, 0.0])


def test_explained_rank():
    from scaling_utils.measurement.spectra import explained_rank

    assert explained_rank([1.0, 1.0, 1.0, 1.0], 0.5) == 2
    assert explained_rank([1.0, 0.0], 1.0) == 1
    with pytest.raises(ValueError, match="fraction must be in"):
        explained_rank([1.0], 0.0)
