"""pointwise_agreement on synthetic losses (the chapters' tests of their own theories use it the same way)."""

import numpy as np
import pytest
from scipy import stats

from scaling_utils.measurement.agreement import pointwise_agreement

THEORY = np.geomspace(1.0, 1e-3, 12)


def _losses(seed: int, seeds: int = 8, bias: float = 1.0) -> np.ndarray:
    """Seed-level losses with a 5 % multiplicative noise around ``bias`` × THEORY."""
    rng = np.random.default_rng(seed)
    return bias * THEORY * np.exp(0.05 * rng.standard_normal((seeds, THEORY.size)))


def test_exact_theory_passes_at_the_family_wise_rate():
    """The worst-point test is a family-wise 95 % test: an exact theory passes in ≥ 90 % of 300 experiments."""
    passed = [pointwise_agreement(_losses(s), THEORY * np.exp(0.05**2 / 2)).holds for s in range(300)]
    assert np.mean(passed) >= 0.90


def test_a_wrong_constant_fails_and_the_alternative_measures_it():
    right = pointwise_agreement(_losses(1), THEORY, alternative=1.3 * THEORY)
    assert right.holds and right.alternative > right.critical
    wrong = pointwise_agreement(_losses(1), 1.3 * THEORY)
    assert not wrong.holds and np.isnan(wrong.alternative)
    # a stated allowance absorbs a known relative correction of that size, and only that
    assert pointwise_agreement(_losses(2, bias=1.03), THEORY, allowance=0.05).holds
    assert not pointwise_agreement(_losses(2, bias=1.3), THEORY, allowance=0.05).holds


def test_z_definition_allowance_and_critical_value():
    losses = np.array([[1.0, 2.0], [3.0, 4.0]])  # means 2, 3; se 1, 1
    a = pointwise_agreement(losses, [1.0, 3.0], alternative=[4.0, 3.0])
    assert a.z.tolist() == [1.0, 0.0] and a.worst == 1.0 and a.worst_index == 0
    assert a.critical == pytest.approx(stats.t.ppf(1 - 0.05 / 4, 1))
    assert a.alternative == pytest.approx(3.0 / 2.0)
    assert pointwise_agreement(losses, [1.0, 3.0], allowance=0.5).z.tolist() == [0.5, 0.0]


@pytest.mark.parametrize("kwargs, match", [
    (dict(losses=np.ones((1, 2)), theory=[1.0, 1.0]), "at least 2 seeds"),
    (dict(losses=[[1.0, 2.0], [3.0, 4.0]], theory=[1.0]), "one value per column"),
    (dict(losses=[[1.0, 2.0], [3.0, 4.0]], theory=[1.0, -1.0]), "theory"),
    (dict(losses=[[1.0, 2.0], [3.0, 4.0]], theory=[1.0, 1.0], allowance=-0.1), "allowance"),
    (dict(losses=[[1.0, 2.0], [3.0, 4.0]], theory=[1.0, 1.0], alternative=[1.0]), "alternative"),
    (dict(losses=np.ones((3, 2)), theory=[1.0, 1.0]), "vary over seeds"),
    (dict(losses=[[1.0, 2.0], [3.0, 4.0]], theory=[1.0, 1.0], level=0), "level"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pointwise_agreement(**kwargs)
