import numpy as np
import pandas as pd
import pytest

from scaling_utils.data.synthetic import synthetic_learning_curves
from scaling_utils.measurement.fitting import (
    COVERAGE_SEED_COUNTS,
    curve_from_table,
    fit_like,
    fit_power_law,
    interval_coverage,
    jackknife_interval,
    local_slope,
)

N = np.geomspace(10, 1e5, 13)


@pytest.mark.parametrize(("offset_arg", "offset_true"), [(None, 0.0), (0.3, 0.3), ("fit", 0.3)])
def test_recovers_exponent_and_covers_it(offset_arg, offset_true):
    losses = synthetic_learning_curves(N, alpha=0.7, amplitude=2.0, offset=offset_true, noise=0.05,
                                       seeds=12, seed=4)
    fit = fit_power_law(N, losses, offset=offset_arg, n_boot=300)
    assert abs(fit.alpha - 0.7) < 0.03
    # a single 95% interval misses 1 time in 20 (coverage is tested below); 2.5 half-widths almost never
    half_width = (fit.interval[1] - fit.interval[0]) / 2
    assert abs(fit.alpha - 0.7) < 2.5 * half_width
    assert fit.interval[0] < fit.alpha < fit.interval[1]
    if offset_arg == "fit":
        assert abs(fit.offset - 0.3) < 0.01 and fit.offset_interval is not None
    assert fit.window == (N[0], N[-1])
    assert np.allclose(fit.predict(N), fit.offset + fit.amplitude * N ** -fit.alpha)


def test_noiseless_curve_is_exact():
    losses = 0.1 + 3.0 * N**-0.4
    fit = fit_power_law(N, losses, offset="fit", ci="none")
    assert fit.alpha == pytest.approx(0.4, abs=1e-6)
    assert fit.offset == pytest.approx(0.1, abs=1e-8)
    assert fit.interval is None and fit.ci == "none"


@pytest.mark.parametrize("offset", [None, "fit"])
@pytest.mark.parametrize("seeds", COVERAGE_SEED_COUNTS)
def test_jackknife_interval_covers_at_every_seed_count_the_ledger_accepts(seeds, offset):
    """Nominal 95 % jackknife-t intervals cover the truth in at least 90 % of 300 experiments.

    With 300 repeats the binomial sd of a coverage of 0.95 is 0.013: 0.90 is four sd below it.
    """
    assert interval_coverage(seeds, offset=offset, repeats=300, seed=seeds) >= 0.90


@pytest.mark.parametrize("seeds", [4, 6, 8, 12, 16, 32])
def test_jackknife_interval_covers_at_a_family_wise_level(seeds):
    """At the Bonferroni level 1 − 0.05/6 (six simultaneous claims, as in the nearest-neighbours
    chapter, at the seed counts it uses) the jackknife-t misses at most twice its nominal rate.

    1000 repeats: 8.3 misses expected at nominal level, at most 16 allowed (P ≈ 0.5 % to exceed by chance).
    """
    level = 1 - 0.05 / 6
    assert interval_coverage(seeds, repeats=1000, level=level, seed=100 + seeds) >= 1 - 2 * (1 - level)


def test_percentile_bootstrap_under_covers_with_two_seeds():
    """Why the jackknife is the default: the percentile bootstrap from 2 seeds covers ~60 %."""
    assert interval_coverage(2, ci="bootstrap", repeats=200, seed=1) < 0.80


def test_jackknife_interval_is_student_t():
    loo = np.array([0.9, 1.0, 1.1, 1.0])
    lo, hi = jackknife_interval(1.0, loo, 0.95)
    se = np.sqrt(3 / 4 * 0.02)
    assert hi - 1.0 == pytest.approx(3.182446305 * se, rel=1e-6) and 1.0 - lo == pytest.approx(hi - 1.0)
    with pytest.raises(ValueError, match="leave_one_out must hold at least 2"):
        jackknife_interval(1.0, [1.0])


@pytest.mark.parametrize("offset", [None, 0.1, "fit"])
def test_fit_like_reproduces_the_fit_on_the_data_itself(offset):
    """Fitting the data's own mean curve 'like the fit' returns the fit's exponent."""
    losses = synthetic_learning_curves(N, alpha=0.6, amplitude=2.0, offset=0.1 if offset else 0.0,
                                       noise=0.05, crossover=50, seeds=6, seed=7)
    fit = fit_power_law(N, losses, offset=offset, window="auto")
    assert fit_like(fit, fit.mean) == pytest.approx(fit.alpha, abs=1e-6)


def test_fit_like_uses_the_data_weights_not_its_own():
    """A bending prediction fitted with the data's weights differs from an unweighted fit of it."""
    losses = synthetic_learning_curves(N, alpha=0.5, noise=0.05, seeds=6, seed=8)
    losses[:, :4] *= 50  # the small sizes are noisy: their weights are tiny
    fit = fit_power_law(N, losses)
    bending = N**-0.5 * (1 + 30 / N)
    weighted = fit_like(fit, bending)
    unweighted = fit_power_law(N, bending).alpha
    assert abs(weighted - 0.5) < abs(unweighted - 0.5)
    with pytest.raises(ValueError, match="one value per size"):
        fit_like(fit, bending[:-1])


def test_ignoring_offset_biases_exponent_low():
    losses = synthetic_learning_curves(N, alpha=0.5, amplitude=3, offset=0.2, noise=0.05, seeds=8, seed=1)
    biased = fit_power_law(N, losses, n_boot=200)
    assert biased.interval[1] < 0.4
    assert biased.chi2_dof > 10


def test_auto_window_drops_transient():
    losses = synthetic_learning_curves(N, alpha=0.5, noise=0.05, crossover=300, seeds=16, seed=2)
    full = fit_power_law(N, losses, offset=0.0, ci="none")
    auto = fit_power_law(N, losses, offset=0.0, window="auto", ci="none")
    assert auto.window[0] > N[0]
    assert abs(auto.alpha - 0.5) < abs(full.alpha - 0.5) / 3


def test_explicit_window_and_residuals():
    losses = synthetic_learning_curves(N, alpha=0.5, noise=0.05, seeds=8, seed=3)
    fit = fit_power_law(N, losses, window=(100, 1e4), ci="none")
    assert fit.in_window.sum() == len(fit.residuals) == np.sum((N >= 100) & (N <= 1e4))
    assert np.all(np.isfinite(fit.residuals))
    assert "α = " in fit.describe() and "window" in str(fit)


def test_local_slope_of_pure_power_law_is_constant():
    slope = local_slope(N, 2.0 * N**-0.8)
    assert np.allclose(slope.alpha, 0.8)
    assert slope.n.shape == (N.size - 1,)
    noisy = local_slope(N, synthetic_learning_curves(N, alpha=0.8, noise=0.05, seeds=10, seed=0))
    assert np.all(noisy.lo <= noisy.slope + 1e-12) and np.all(noisy.slope <= noisy.hi + 1e-12)


def test_curve_from_table():
    table = pd.DataFrame({"D": [10, 20, 10, 20], "seed": [0, 0, 1, 1], "loss": [1.0, 0.5, 1.2, 0.6]})
    n, losses = curve_from_table(table, x="D", y="loss")
    assert n.tolist() == [10, 20] and losses.shape == (2, 2)
    with pytest.raises(ValueError, match="column 'L' not in table"):
        curve_from_table(table, x="D", y="L")
    with pytest.raises(ValueError, match="for every"):
        curve_from_table(table.iloc[:3], x="D", y="loss")


@pytest.mark.parametrize(("n", "losses", "kwargs", "message"), [
    ([0, 1, 2, 3], np.ones(4), {}, "n must be > 0"),
    ([1, 3, 2, 4], np.ones(4), {}, "n must be strictly increasing"),
    ([1, 2, 3, 4], np.ones(3), {}, "losses must have one column per size"),
    ([1, 2, 3, 4], [1, 2, np.nan, 4], {}, "losses must be finite"),
    ([1, 2], [1.0, 0.5], {}, "too few points to fit"),
    ([1, 2, 3], [1.0, 0.5, 0.3], {"offset": "fit"}, "too few points to fit"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"offset": 0.25}, "offset=0.25 must be below"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"offset": "free"}, "offset must be one of"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"window": (3, 1)}, "window must be"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"window": "best"}, "window must be one of"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"window": "auto"}, "needs per-point errors"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"level": 1.5}, "level must be in"),
    ([1, 2, 3, 4], [1, 0.5, 0.3, 0.2], {"n_boot": -1}, "n_boot must be >= 0"),
])
def test_bad_input(n, losses, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fit_power_law(n, losses, **kwargs)


def test_local_slope_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        local_slope([1], [1.0])
    with pytest.raises(ValueError, match="one column per size"):
        local_slope([1, 2, 3], [1.0, 0.5])
    with pytest.raises(ValueError, match="level must be in"):
        local_slope([1, 2, 3], [1.0, 0.5, 0.3], level=0)


def test_widest_window_finds_the_power_law_in_the_middle():
    n = np.geomspace(1, 1000, 25)
    # a power law between about 5 and 300, bending at both ends (a spectrum's shape)
    clean = n**-1.2 * (1 + (1.5 / n) ** 3) * np.exp(-(n / 700) ** 6)
    rng = np.random.default_rng(0)
    curves = clean * (1 + 0.01 * rng.standard_normal((16, n.size)))
    fit = fit_power_law(n, curves, window="widest")
    assert 2 < fit.window[0] < 12 and 150 < fit.window[1] < 700
    assert fit.alpha == pytest.approx(1.2, abs=0.05)
    auto = fit_power_law(n, curves, window="auto")       # anchored at the largest n: fails here
    assert np.log(auto.window[1] / auto.window[0]) < np.log(fit.window[1] / fit.window[0])
    # a pure power law: the whole range
    pure = n**-0.7 * (1 + 0.01 * rng.standard_normal((16, n.size)))
    assert fit_power_law(n, pure, window="widest").window == (n[0], n[-1])
    with pytest.raises(ValueError, match="needs per-point errors"):
        fit_power_law(n, clean, window="widest")
    with pytest.raises(ValueError, match="window must be one of"):
        fit_power_law(n, curves, window="best")
