"""Tests of scaling_utils.measurement.optimum (the location of a tuned curve's minimum) and of the
point-by-point agreement statistic the solvable-statements chapter uses."""

import numpy as np
import pytest
from scipy import stats

from scaling_utils.measurement.agreement import pointwise_agreement
from scaling_utils.measurement.optimum import optimum_location, parabola_minimum, parabola_vertex


def test_vertex_of_an_exact_parabola_and_window_at_the_edge():
    x = np.linspace(-3, 3, 13)
    assert parabola_vertex(x, 2 * (x + 0.7) ** 2 + 1) == pytest.approx(-0.7)
    # minimum at the grid's end: the window shifts inwards and still finds the vertex
    assert parabola_vertex(x, (x - 3.2) ** 2) == pytest.approx(3.2)
    assert parabola_minimum(x, 0.5 * (x - 0.25) ** 2 - 2) == pytest.approx((0.25, -2.0))


def test_optimum_interval_covers_the_truth_at_the_nominal_rate():
    """Noisy tuned curves with a known minimum: the jackknife-t interval (8 seeds) must cover the
    true location in at least 90 % of 200 experiments (binomial sd 0.015 at 0.95)."""
    x = np.linspace(-2, 2, 9)
    ridge_effect = np.array([1.0, 1.2, 1.5])                      # three "ridges", the first best
    truth = np.exp(0.5 * (x - 0.4) ** 2)[:, None] * ridge_effect
    covered = 0
    for r in range(200):
        rng = np.random.default_rng(r)
        losses = truth[None] * np.exp(0.05 * rng.standard_normal((8, 9, 1)) + 0.01 * rng.standard_normal((8, 9, 3)))
        opt = optimum_location(x, losses)
        covered += opt.interval[0] <= 0.4 <= opt.interval[1]
    assert covered / 200 >= 0.90


def test_tuning_takes_the_best_hyperparameter_of_the_seed_mean():
    x = np.arange(5.0)
    losses = np.stack([np.stack([(x - 2) ** 2 + 1, (x - 2) ** 2 + 3], axis=-1)] * 3)
    losses[1] *= 1.01
    opt = optimum_location(x, losses, points=3)
    assert np.allclose(opt.curve, losses.mean(0)[:, 0]) and opt.estimate == pytest.approx(2.0)


def test_pointwise_agreement_worst_point_and_alternative():
    losses = np.array([[1.0, 2.0], [3.0, 4.0]])  # means 2, 3; se 1, 1
    a = pointwise_agreement(losses, [1.0, 3.0], alternative=[4.0, 3.0])
    assert a.z.tolist() == [1.0, 0.0] and a.worst == 1.0 and a.worst_index == 0
    assert a.critical == pytest.approx(stats.t.ppf(1 - 0.05 / 4, 1))
    assert a.alternative == pytest.approx(1.5)
    assert pointwise_agreement(losses, [1.0, 3.0], allowance=0.5).z.tolist() == [0.5, 0.0]


def test_bad_input():
    x = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match="points must be >= 3"):
        parabola_vertex(x, x**2, points=2)
    with pytest.raises(ValueError, match="same length"):
        parabola_vertex(x, x[:4] ** 2)
    with pytest.raises(ValueError, match="strictly increasing"):
        parabola_vertex(x[::-1], x**2)
    with pytest.raises(ValueError, match="not convex"):
        parabola_vertex(x, -(x**2))
    with pytest.raises(ValueError, match="at least 2 seeds"):
        optimum_location(x, np.ones((1, 5)))
    with pytest.raises(ValueError, match="losses must be > 0"):
        optimum_location(x, -np.ones((3, 5)))
    with pytest.raises(ValueError, match="level must be"):
        optimum_location(x, np.exp(x**2)[None].repeat(3, 0), level=1.5)
