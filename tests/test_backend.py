"""The sweep engines run unchanged on any array-API namespace (the GPU path), and choose it clearly."""

import importlib.util

import numpy as np
import pytest

from scaling_utils.engines import backend, solvable
from scaling_utils.engines.teacher_student import loss_grid, sample_teacher_student
from scaling_utils.theory.random_features import power_law_spectrum

LAM = power_law_spectrum(60, 1.0)


@pytest.mark.parametrize("teacher", ["sampled", "average"])
@pytest.mark.parametrize("ridge", [0.0, 1e-3])
def test_teacher_student_grid_is_the_same_on_the_strict_namespace(ridge, teacher):
    """array_api_strict rejects anything outside the standard: the code CuPy would run is portable."""
    model = sample_teacher_student(power_law_spectrum(300, 1.0), 80, 90, seed=0)
    sizes_d, sizes_p = [5, 20, 50, 90], [10, 30, 80]
    ours = loss_grid(model, sizes_d, sizes_p, ridge, teacher=teacher)
    strict = loss_grid(model, sizes_d, sizes_p, ridge, teacher=teacher, backend="array_api_strict")
    assert np.allclose(strict, ours, rtol=1e-9, atol=0)


@pytest.mark.parametrize("name", ["linear", "relu"])
def test_solvable_sweep_is_the_same_on_the_strict_namespace(name):
    args = (LAM, 1 / 60, [10, 40, 80], [5, 30, 50, 90], [0.0, 1e-2])
    kw = dict(seeds=2, name=name, teachers=2, n_test=500)
    ours = solvable.simulate_losses(*args, **kw)
    strict = solvable.simulate_losses(*args, **kw, backend="array_api_strict")
    big = ours > 1e-20       # N, T >= M ridgeless: exact recovery, a loss of rounding size
    assert big.sum() > 40
    assert np.allclose(strict[big], ours[big], rtol=1e-9, atol=0)


def test_environment_variable_chooses_the_backend(monkeypatch):
    monkeypatch.setenv(backend.ENV_VAR, "array_api_strict")
    assert backend.namespace().__name__ == "array_api_strict"
    monkeypatch.delenv(backend.ENV_VAR)
    assert backend.namespace().__name__ == "array_api_compat.numpy"


def test_bad_backend_names_the_choices():
    with pytest.raises(ValueError, match="backend must be one of"):
        backend.namespace("torch")


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed here")
def test_cupy_without_cupy_says_what_to_install():
    with pytest.raises(ImportError, match="pip install cupy"):
        backend.namespace("cupy")


def test_round_trip_and_triangular_helpers():
    xp = backend.namespace("array_api_strict")
    rng = np.random.default_rng(0)
    a = rng.standard_normal((6, 4))
    q, r = backend.qr_economic(xp, backend.to_device(xp, a))
    q, r = backend.to_host(q), backend.to_host(r)
    assert q.shape == (6, 4) and np.allclose(q @ r, a) and np.allclose(q.T @ q, np.eye(4))
    assert np.allclose(np.abs(r), np.abs(np.linalg.qr(a, mode="r")))
    g = a.T @ a + np.eye(4)
    chol = backend.to_host(backend.cholesky_upper(xp, backend.to_device(xp, g), ridge=1.0))
    assert np.allclose(chol.T @ chol, g)
    b = rng.standard_normal(4)
    x = backend.to_host(backend.solve_triangular(xp, backend.to_device(xp, chol), backend.to_device(xp, b), trans=True))
    assert np.allclose(chol.T @ x, b)
