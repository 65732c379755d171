"""TwoNN and Levina–Bickel intrinsic-dimension estimators."""

import numpy as np
import pytest

from scaling_utils.data.manifolds import random_torus_embedding, sample_torus
from scaling_utils.measurement.dimension import (
    interval_coverage,
    levina_bickel,
    remove_duplicates,
    twonn,
    twonn_decimation,
)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_estimators_recover_torus_dimension(d):
    x = sample_torus(3000, d, seed=d)
    for est in (twonn(x, boxsize=1.0), levina_bickel(x, boxsize=1.0),
                twonn(x, boxsize=1.0, method="fit", ci="none")):
        assert abs(est.dimension - d) < 0.08 * d, est
    # log μ ~ Exp(d): the bootstrap over points has half-width ≈ 1.96 d/√N, as if the points were
    # independent; the split interval sees the extra spread that shared neighbours add
    boot = twonn(x, boxsize=1.0, ci="bootstrap", n_boot=300)
    assert boot.ci == "bootstrap" and boot.splits == 0
    assert (boot.interval[1] - boot.interval[0]) / 2 == pytest.approx(1.96 * d / np.sqrt(3000), rel=0.2)
    split = twonn(x, boxsize=1.0, splits=10, level=0.9)
    assert split.ci == "split" and split.splits == 10 and split.level == 0.9
    assert split.interval[0] < split.dimension < split.interval[1]


def test_split_interval_is_student_t_over_independent_subsets():
    x = np.unique(sample_torus(600, 3, seed=4), axis=0)  # the estimators work on the sorted distinct points
    est = levina_bickel(x, boxsize=1.0, splits=3, seed=7)
    perm = np.random.default_rng(7).permutation(len(x))
    parts = [levina_bickel(x[g], boxsize=1.0, ci="none").dimension for g in np.array_split(perm, 3)]
    half = 4.302652729911275 * np.std(parts, ddof=1) / np.sqrt(3)  # t_2 at 0.975
    assert est.interval == pytest.approx((est.dimension - half, est.dimension + half), rel=1e-12)
    assert twonn(x, ci="none").interval is None and twonn(x, ci="bootstrap", n_boot=0).interval is None


@pytest.mark.parametrize(("estimator", "d", "n_points", "repeats"),
                         [("twonn", 2, 1000, 200), ("twonn", 5, 1000, 200),
                          ("levina_bickel", 2, 1500, 150), ("levina_bickel", 4, 1500, 150)])
def test_split_interval_covers(estimator, d, n_points, repeats):
    """Nominal 95 % split intervals cover the true d in at least 90 % of repeated samples.

    The nearest-neighbours chapter uses 5000 points, split into 10 subsets (TwoNN) or 5
    (Levina–Bickel), at d = 1…6. The law of the distance ratios on the torus is the same at every
    density, so fewer points (and the default splits) measure the same coverage faster; smaller
    subsets are, if anything, the harder case. The binomial sd at 200 repeats is 0.015.
    """
    assert interval_coverage(estimator, d, n_points=n_points, repeats=repeats, seed=d) >= 0.90


@pytest.mark.parametrize(("estimator", "n_points", "repeats"), [("twonn", 500, 800), ("levina_bickel", 1000, 400)])
def test_split_interval_covers_at_a_family_wise_level(estimator, n_points, repeats):
    """At the Bonferroni level 1 − 0.05/6 used in the nearest-neighbours chapter, the split interval
    misses at most twice its nominal rate (subsets of 50 and 200 points: smaller than the chapter's)."""
    level = 1 - 0.05 / 6
    coverage = interval_coverage(estimator, 2, n_points=n_points, repeats=repeats, level=level, seed=11)
    assert coverage >= 1 - 2 * (1 - level)


def test_intrinsic_not_ambient_dimension():
    emb = random_torus_embedding(2, 30, seed=0)
    x = emb(sample_torus(3000, 2, seed=1))
    assert abs(twonn(x, ci="none").dimension - 2) < 0.2
    assert abs(levina_bickel(x, ci="none").dimension - 2) < 0.2


def test_boundary_free_periodicity_matters():
    # without the periodic metric the cube's boundary biases TwoNN only mildly; LB (larger k) more
    x = sample_torus(3000, 3, seed=2)
    assert levina_bickel(x, ci="none").dimension < levina_bickel(x, boxsize=1.0, ci="none").dimension


def test_duplicates_are_removed_or_rejected():
    x = sample_torus(500, 2, seed=3)
    xd = np.concatenate([x, x[:50]])
    est = twonn(xd, boxsize=1.0, ci="none")
    assert est.n_duplicates == 50 and est.n_points == 500
    assert est.dimension == twonn(x, boxsize=1.0, ci="none").dimension
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
    with pytest.raises(ValueError, match="ci must be one of"):
        twonn(sample_torus(50, 2), ci="percentile")
    with pytest.raises(ValueError, match="splits must be >= 2"):
        twonn(sample_torus(50, 2), splits=1)
    with pytest.raises(ValueError, match="splits=20 leaves fewer than 21 points per subset"):
        levina_bickel(sample_torus(300, 2), splits=20)
    with pytest.raises(ValueError, match="estimator must be one of"):
        interval_coverage("pca", 2, n_points=100)
    with pytest.raises(ValueError, match="ci must be one of"):
        interval_coverage("twonn", 2, n_points=100, ci="none")


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
        b = twonn(x, boxsize=1.0, ci="bootstrap", n_boot=200, seed=r).interval
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
    with pytest.raises(ValueError, match="leaves fewer than 31 points after deleting a group"):
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
