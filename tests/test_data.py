import numpy as np
import pytest

from scaling_utils.data.synthetic import synthetic_learning_curves


def test_seed_mean_is_noiseless_curve():
    n = np.array([10.0, 100.0, 1000.0])
    curves = synthetic_learning_curves(n, alpha=0.5, amplitude=2, offset=0.1, noise=0.2, crossover=50,
                                       seeds=20000, seed=0)
    truth = 0.1 + 2 * n**-0.5 * (1 + 50 / n)
    assert curves.shape == (20000, 3)
    assert np.allclose(curves.mean(0), truth, rtol=5e-3)
    assert np.all(curves > 0.1)


def test_deterministic_and_seeded():
    n = [10, 100]
    a = synthetic_learning_curves(n, alpha=1.0, seed=3)
    assert np.array_equal(a, synthetic_learning_curves(n, alpha=1.0, seed=3))
    assert not np.array_equal(a, synthetic_learning_curves(n, alpha=1.0, seed=4))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"alpha": 0}, "alpha must be in"), ({"alpha": 1, "noise": -1}, "noise must be in"),
    ({"alpha": 1, "seeds": 0}, "seeds must be >= 1"), ({"alpha": 1, "offset": -0.1}, "offset must be in"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synthetic_learning_curves([10, 100], **kwargs)
    with pytest.raises(ValueError, match="n must be > 0"):
        synthetic_learning_curves([0, 100], alpha=1)
