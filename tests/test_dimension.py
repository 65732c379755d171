"""TwoNN and Levina–Bickel intrinsic-dimension estimators."""

import numpy as np
import pytest

from scaling_utils.data.manifolds import random_torus_embedding, sample_torus
from scaling_utils.measurement.dimension import levina_bickel, remove_duplicates, twonn, twonn_decimation


@pytest.mark.parametrize("d", [1, 2, 5])
def test_estimators_recover_torus_dimension(d):
    x = sample_torus(3000, d, seed=d)
    for est in (twonn(x, boxsize=1.0, n_boot=300), levina_bickel(x, boxsize=1.0, n_boot=200),
                twonn(x, boxsize=1.0, method="fit", n_boot=0)):
        assert abs(est.dimension - d) < 0.08 * d, est
    # log μ ~ Exp(d): the bootstrap half-width is ≈ 1.96 d/√N (it ignores the ~35 % extra spread
    # that shared neighbours add, measured over repeated samples in the chapter)
    lo, hi = twonn(x, boxsize=1.0, n_boot=300).interval
    assert (hi - lo) / 2 == pytest.approx(1.96 * d / np.sqrt(3000), rel=0.2)


def test_intrinsic_not_ambient_dimension():
    emb = random_torus_embedding(2, 30, seed=0)
    x = emb(sample_torus(3000, 2, seed=1))
    assert abs(twonn(x, n_boot=0).dimension - 2) < 0.2
    assert abs(levina_bickel(x, n_boot=0).dimension - 2) < 0.2


def test_boundary_free_periodicity_matters():
    # without the periodic metric the cube's boundary biases TwoNN only mildly; LB (larger k) more
    x = sample_torus(3000, 3, seed=2)
    assert levina_bickel(x, n_boot=0).dimension < levina_bickel(x, boxsize=1.0, n_boot=0).dimension


def test_duplicates_are_removed_or_rejected():
    x = sample_torus(500, 2, seed=3)
    xd = np.concatenate([x, x[:50]])
    est = twonn(xd, boxsize=1.0, n_boot=0)
    assert est.n_duplicates == 50 and est.n_points == 500
    assert est.dimension == twonn(x, boxsize=1.0, n_boot=0).dimension
    with pytest.raises(ValueError, match="duplicated"):
        twonn(xd, duplicates="raise")
    with pytest.raises(ValueError, match="duplicated"):
        levina_bickel(xd, duplicates="raise")
    assert remove_duplicates(xd)[1] == 50


def test_bad_inputs():
    with pytest.raises(ValueError, match="at least 3 distinct"):
        twonn(np.zeros((5, 2)))  # all duplicates: one distinct point
    with pytest.raises(ValueError, match="at least 21 distinct"):
        levina_bickel(sample_torus(20, 2))
    with pytest.raises(ValueError, match="k2 must be"):
        levina_bickel(sample_torus(50, 2), k1=10, k2=5)
    with pytest.raises(ValueError, match="method"):
        twonn(sample_torus(50, 2), method="ols")
    with pytest.raises(ValueError, match="points must have 2"):
        twonn(np.zeros(5))
    with pytest.raises(ValueError, match="points must be finite"):
        remove_duplicates(np.full((4, 2), np.nan))
    with pytest.raises(ValueError, match="boxsize"):
        twonn(sample_torus(50, 2), boxsize=-1.0)


def test_jackknife_interval_covers_and_bootstrap_undercovers():
    """Coverage of the nominal 95 % intervals of TwoNN over repeated samples of the uniform 4-torus.

    The delete-a-group jackknife (G = 10) is conservative; the bootstrap over points is optimistic
    (shared neighbours make the per-point statistics dependent). 60 repeats: binomial se ≈ 0.03.
    """
    jack = boot = 0
    repeats = 60
    for r in range(repeats):
        x = sample_torus(1000, 4, seed=500 + r)
        est = twonn(x, boxsize=1.0, ci="jackknife", groups=10, seed=r)
        jack += est.interval[0] <= 4 <= est.interval[1]
        b = twonn(x, boxsize=1.0, n_boot=200, seed=r).interval
        boot += b[0] <= 4 <= b[1]
    assert jack / repeats >= 0.9
    assert boot / repeats < jack / repeats


def test_levina_bickel_jackknife_covers():
    covered = 0
    for r in range(30):
        x = sample_torus(800, 3, seed=900 + r)
        lo, hi = levina_bickel(x, boxsize=1.0, ci="jackknife", groups=10, seed=r).interval
        covered += lo <= 3 <= hi
    assert covered / 30 >= 0.9


def test_ci_options():
    x = sample_torus(300, 2, seed=4)
    assert twonn(x, boxsize=1.0, ci="none").interval is None
    assert levina_bickel(x, boxsize=1.0, ci="none").interval is None
    a = twonn(x, boxsize=1.0, ci="jackknife", seed=3)
    assert a.interval == twonn(x, boxsize=1.0, ci="jackknife", seed=3).interval   # deterministic
    with pytest.raises(ValueError, match="ci must be one of"):
        twonn(x, ci="percentile")
    with pytest.raises(ValueError, match="groups must be >= 2"):
        twonn(x, ci="jackknife", groups=1)
    with pytest.raises(ValueError, match="fewer than k2"):
        levina_bickel(sample_torus(40, 2, seed=1), ci="jackknife", groups=2, k1=10, k2=30)


def test_decimation_is_flat_on_a_uniform_torus_and_checks_input():
    x = sample_torus(4000, 3, seed=11)
    dec = twonn_decimation(x, [4000, 1000, 250], seed=1)
    assert dec["subsets"].tolist() == [1, 4, 8] and np.isnan(dec["stderr"][0])
    # no boxsize here: the cube's boundary biases the estimate a little at every scale
    assert np.all(np.abs(dec["dimension"] - 3) < 0.35)
    with pytest.raises(ValueError, match="sizes must be integers"):
        twonn_decimation(x, [2])
    with pytest.raises(ValueError, match="sizes must be integers"):
        twonn_decimation(x, [5000])
