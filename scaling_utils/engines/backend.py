"""Where the dense linear algebra of the simulation sweeps runs: NumPy (default) or CuPy on a GPU.

The two sweep engines (:func:`scaling_utils.engines.teacher_student.loss_grid` and
:func:`scaling_utils.engines.solvable.simulate_losses`) draw their random numbers on the host with NumPy —
so every backend sees the same draw — and then do their factorizations, products and losses
with the array namespace returned by :func:`namespace`. They are written against the Python
array API standard (through ``array_api_compat``), so the same code runs on

* ``"numpy"`` — the default; factorizations go to SciPy's LAPACK;
* ``"cupy"`` — a CUDA GPU, when CuPy is installed (``pip install cupy-cuda12x``); never needed
  by the book or its tests;
* ``"array_api_strict"`` — the standard's reference namespace, which rejects anything outside
  the standard; the tests run the engines on it to check that the code is portable.

The backend is an argument of both engines (``backend=``); when it is not given, the
environment variable ``SCALING_UTILS_BACKEND`` decides, and otherwise NumPy.

On NumPy, :func:`blas_threads` runs sweeps of small matrices (up to :data:`SMALL_MATRIX` rows)
with one BLAS thread: they factor many matrices of a few hundred rows, where OpenBLAS's threads
cost more than they give (measured on the book's 2-core machine: the random-feature sweep of
``make bench`` takes 0.13 s single-threaded and 0.33 s with two threads).

The standard has no triangular solve; :func:`solve_triangular` dispatches to SciPy, to
``cupyx.scipy.linalg``, or (any other namespace) to the standard's general ``solve``, which
gives the same result at a higher cost.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from types import ModuleType
from typing import Any

import array_api_compat
import numpy as np
from scipy import linalg

from ..validation import InputTypeError, as_float_array, check_choice, check_in_range, check_positive_int

__all__ = ["BACKENDS", "ENV_VAR", "SMALL_MATRIX", "blas_threads", "cholesky_upper", "namespace", "qr_economic",
           "solve_triangular", "to_device", "to_host"]

BACKENDS = ("numpy", "cupy", "array_api_strict")
ENV_VAR = "SCALING_UTILS_BACKEND"
SMALL_MATRIX = 2048


def _check_xp(xp: Any) -> ModuleType:
    if not isinstance(xp, ModuleType) or not hasattr(xp, "asarray"):
        raise InputTypeError(f"xp must be an array namespace such as namespace('numpy') (got {xp!r:.80})")
    return xp


def _check_array(xp: ModuleType, name: str, a: Any, ndim: int) -> Any:
    """An array of namespace ``xp`` with ``ndim`` dimensions (NumPy input is checked to be finite)."""
    if array_api_compat.is_numpy_namespace(xp):
        a = as_float_array(name, a, ndim=ndim)
    elif getattr(a, "ndim", None) != ndim:
        raise ValueError(f"{name} must be a {ndim}-d array of this backend (got {a!r:.80})")
    return a


def blas_threads(xp: ModuleType, largest: int) -> contextlib.AbstractContextManager:
    """Context for a sweep whose largest matrix has ``largest`` rows: one BLAS thread on NumPy
    when that is at most :data:`SMALL_MATRIX`, the library's default otherwise (and on other backends)."""
    _check_xp(xp)
    largest = check_positive_int("largest", largest, minimum=0)
    if array_api_compat.is_numpy_namespace(xp) and largest <= SMALL_MATRIX:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(1, user_api="blas")
    return contextlib.nullcontext()


def namespace(backend: str | None = None) -> ModuleType:
    """The array namespace of ``backend`` (one of :data:`BACKENDS`; default ``$SCALING_UTILS_BACKEND`` or numpy).

    Raises
    ------
    ValueError for an unknown backend; ImportError, with what to install, when CuPy is asked
    for and is not installed.
    """
    backend = check_choice("backend", backend or os.environ.get(ENV_VAR) or "numpy", BACKENDS)
    if backend == "numpy":
        return array_api_compat.array_namespace(np.empty(0))
    if backend == "cupy":
        try:
            cupy = importlib.import_module("cupy")
        except ImportError as err:
            raise ImportError("backend 'cupy' needs CuPy and a CUDA GPU: pip install cupy-cuda12x "
                              "(or leave the backend at its default, numpy)") from err
        return array_api_compat.array_namespace(cupy.empty(0))
    return importlib.import_module("array_api_strict")


def to_device(xp: ModuleType, a: Any) -> Any:
    """Copy a host array (finite, real) into namespace ``xp`` as float64."""
    return _check_xp(xp).asarray(as_float_array("a", a))


def to_host(a: Any) -> np.ndarray:
    """Copy an array of any backend back to a NumPy array."""
    if array_api_compat.is_numpy_array(a):
        return a
    if array_api_compat.is_cupy_array(a):
        return a.get()
    if not hasattr(a, "__dlpack__"):
        raise InputTypeError(f"a must be an array of a supported backend (got {type(a).__name__})")
    return np.from_dlpack(a)


def solve_triangular(xp: ModuleType, r: Any, b: Any, *, trans: bool = False) -> Any:
    """Solve ``r x = b`` (or ``rᵀ x = b`` when ``trans``) for an upper-triangular ``r``."""
    _check_xp(xp)
    check_choice("trans", trans, [True, False])
    r = _check_array(xp, "r", r, 2)
    b = _check_array(xp, "b", b, b.ndim if hasattr(b, "ndim") and b.ndim in (1, 2) else 1)
    if r.shape[0] != r.shape[1] or b.shape[0] != r.shape[0]:
        raise ValueError(f"r must be square and b have as many rows (got r {tuple(r.shape)}, b {tuple(b.shape)})")
    return _solve_triangular(xp, r, b, trans=trans)


def _solve_triangular(xp: ModuleType, r: Any, b: Any, *, trans: bool = False) -> Any:
    """:func:`solve_triangular` without the checks, for the engines' inner loops (checked inputs)."""
    if array_api_compat.is_numpy_namespace(xp):
        return linalg.solve_triangular(r, b, trans="T" if trans else "N", check_finite=False)
    if array_api_compat.is_cupy_namespace(xp):
        from cupyx.scipy.linalg import solve_triangular as cupy_solve_triangular

        return cupy_solve_triangular(r, b, trans="T" if trans else "N")
    return xp.linalg.solve(xp.linalg.matrix_transpose(r) if trans else r, b)


def qr_economic(xp: ModuleType, a: Any) -> tuple[Any, Any]:
    """The reduced QR decomposition ``a = QR`` of a tall (m ≥ n) matrix: Q (m, n), R (n, n) upper-triangular."""
    a = _check_array(_check_xp(xp), "a", a, 2)
    if a.shape[0] < a.shape[1]:
        raise ValueError(f"a must be tall, rows >= columns (got shape {tuple(a.shape)})")
    if array_api_compat.is_numpy_namespace(xp):
        q, r = linalg.qr(a, mode="economic", check_finite=False)
        if not (np.all(np.isfinite(q)) and np.all(np.isfinite(r))):
            raise ValueError("a is too large: its QR decomposition overflows")
        return q, r
    result = xp.linalg.qr(a)            # mode="reduced", the default (CuPy through array_api_compat too)
    return result.Q, result.R


def cholesky_upper(xp: ModuleType, g: Any, *, ridge: float) -> Any:
    """Upper Cholesky factor R of ``g = RᵀR``, a Gram matrix plus ``ridge`` on its diagonal.

    Raises
    ------
    ValueError naming the ridge when ``g`` is not numerically positive definite (a ridge below
    rounding level on a rank-deficient design). NumPy raises inside LAPACK; CuPy returns NaN
    instead, so the factor's diagonal is checked on every backend.
    """
    g = _check_array(_check_xp(xp), "g", g, 2)
    ridge = check_in_range("ridge", ridge, low=0)
    if g.shape[0] != g.shape[1]:
        raise ValueError(f"g must be a square matrix (got shape {tuple(g.shape)})")
    return _cholesky_upper(xp, g, ridge=ridge)


def _cholesky_upper(xp: ModuleType, g: Any, *, ridge: float) -> Any:
    """:func:`cholesky_upper` without the input checks (a non-finite factor is still refused)."""
    try:
        if array_api_compat.is_numpy_namespace(xp):
            R = linalg.cholesky(g, lower=False, check_finite=False)
        else:
            R = xp.linalg.cholesky(g, upper=True)
    except np.linalg.LinAlgError:
        R = None
    if R is None or not bool(xp.all(xp.isfinite(xp.linalg.diagonal(R)))):
        raise ValueError(f"ridge={ridge:g} is too small for this design: the {g.shape[0]}x{g.shape[0]} "
                         "regularized Gram matrix is not numerically positive definite; use ridge=0 (the "
                         "minimum-norm fit) or a ridge well above rounding level (~1e-12 of its diagonal)")
    return R
