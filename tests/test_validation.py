import numpy as np
import pytest

from scaling_utils import validation as v


def test_as_float_array_accepts_and_converts():
    out = v.as_float_array("x", [1, 2, 3], ndim=1, positive=True)
    assert out.dtype == float and out.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(("value", "kwargs", "message"), [
    ([1, np.nan], {}, "x must be finite"),
    ([[1, 2]], {"ndim": 1}, "x must have 1 dimension"),
    ([0, 1], {"positive": True}, "x must be > 0"),
    ([-1, 1], {"nonnegative": True}, "x must be >= 0"),
    (["a"], {}, "x must be numeric"),
])
def test_as_float_array_rejects(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        v.as_float_array("x", value, **kwargs)


def test_check_seed_takes_a_sequence_only_when_asked():
    assert v.check_seed("seed", [np.int64(3), 4], sequence=True) == [3, 4]
    for bad, msg in [([3, -1], r"seed\[1\] must be in \[0, 2\^63\)"), ([], "non-empty sequence"),
                     ([2.5], r"seed\[0\] must be a non-negative integer"), ("0", "or a sequence of them")]:
        with pytest.raises(ValueError, match=msg):
            v.check_seed("seed", bad, sequence=True)
    with pytest.raises(TypeError, match="seed must be a non-negative integer"):
        v.check_seed("seed", [1, 2])


def test_check_sizes():
    assert v.check_sizes("D", [1, 10, 100]).dtype == np.int64
    for bad, msg in [([10, 5], "strictly increasing"), ([0, 5], ">= 1"), ([1.5, 2], "integers"),
                     ([], "non-empty"), ([[1, 2]], "1-d")]:
        with pytest.raises(ValueError, match=f"D must .*{msg}"):
            v.check_sizes("D", bad)


def test_check_positive_int_and_range_and_choice():
    assert v.check_positive_int("seeds", 3) == 3
    with pytest.raises(ValueError, match="seeds must be >= 1"):
        v.check_positive_int("seeds", 0)
    with pytest.raises(ValueError, match="seeds must be an integer"):
        v.check_positive_int("seeds", 2.5)
    with pytest.raises(ValueError, match="seeds must be >= 1 and <= 4"):
        v.check_positive_int("seeds", 5, maximum=4)
    assert v.check_in_range("level", 0.5, low=0, high=1) == 0.5
    with pytest.raises(ValueError, match=r"level must be in \(0, 1\)"):
        v.check_in_range("level", 1.0, low=0, high=1, low_open=True, high_open=True)
    with pytest.raises(ValueError, match="ridge must be in"):
        v.check_in_range("ridge", float("nan"), low=0)
    with pytest.raises(ValueError, match="mode must be one of"):
        v.check_choice("mode", "x", ["a", "b"])


def test_check_same_length():
    assert v.check_same_length(a=np.zeros(3), b=np.zeros((2, 3))) == 3
    with pytest.raises(ValueError, match="a has 3, b has 2"):
        v.check_same_length(a=np.zeros(3), b=np.zeros(2))


def test_cholesky_factor():
    chol = v.cholesky_factor("sigma", np.array([[4.0, 0.0], [0.0, 9.0]]))
    assert np.allclose(chol, np.diag([2.0, 3.0]))
    with pytest.raises(ValueError, match="sigma must be positive definite"):
        v.cholesky_factor("sigma", -np.eye(2))
