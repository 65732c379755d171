"""Input checks shared by every public function, and the memory and work guard.

Each check raises :class:`ValueError` whose message names the offending parameter, the value and
the allowed range, so a reader who passes a bad size sees ``D must be a positive integer (got -3)``
instead of a traceback from deep inside NumPy. A value of the wrong *type* (a string for a
number, a complex array, None) raises :class:`InputTypeError`, which is both a ``TypeError`` and
a ``ValueError``.

**Sizes** are integers below :data:`MAX_INT` = 2⁵³ (beyond it a float no longer holds every
integer, and a conversion to int64 can wrap around silently).

**Matrices** that must be symmetric are checked to :data:`SYMMETRY_RTOL` of their largest entry;
positive semi-definite ones have their spectrum checked to :data:`PSD_RTOL` of the largest
eigenvalue and clipped at zero (:func:`psd_spectrum`): eigenvalues of order −1e-15 are rounding,
an eigenvalue of −1e-3 is a wrong matrix.

**Memory and work guard** (:func:`check_budget`). Before a function allocates or loops, it
estimates the bytes it will hold and its work (floating-point operations, each Python-level
iteration counted as :data:`ITERATION_COST` of them) from the shapes of its inputs, and refuses,
with the estimate in the message, anything over the limits:

* bytes: ``$SCALING_UTILS_MAX_BYTES`` (a number, or with a unit: ``8e9``, ``16GiB``), default half
  of the machine's physical memory;
* work: ``$SCALING_UTILS_MAX_WORK``, default :data:`DEFAULT_MAX_WORK` = 1e14 (about 20 minutes at
  the 80 GFLOP/s of a laptop's matrix product);

or, for a block of code, ``with resource_limits(max_bytes=..., max_work=...):`` (this process and
thread only: worker processes of a sweep read the environment variables).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_MAX_WORK",
    "ITERATION_COST",
    "MAX_INT",
    "InputTypeError",
    "as_float_array",
    "check_budget",
    "check_choice",
    "check_in_range",
    "check_positive_int",
    "check_same_length",
    "check_seed",
    "check_sizes",
    "check_square",
    "cholesky_factor",
    "max_bytes",
    "max_work",
    "psd_spectrum",
    "require_finite",
    "resource_limits",
]

#: Sizes and counts must be integers below this (2⁵³: every integer up to it is exact in a float).
MAX_INT = 2**53
#: A symmetric matrix may differ from its transpose by this much, relative to its largest entry.
SYMMETRY_RTOL = 1e-10
#: A positive semi-definite matrix may have eigenvalues down to −PSD_RTOL × its largest eigenvalue.
PSD_RTOL = 1e-8
#: Work (floating-point operations) charged for each Python-level loop iteration.
ITERATION_COST = 1e6
#: Default work limit (floating-point operations), ``$SCALING_UTILS_MAX_WORK`` overrides it.
DEFAULT_MAX_WORK = 1e14
BYTES_ENV = "SCALING_UTILS_MAX_BYTES"
WORK_ENV = "SCALING_UTILS_MAX_WORK"


class InputTypeError(TypeError, ValueError):
    """A parameter of the wrong type. Both a ``TypeError`` and a ``ValueError``, so code that
    catches either (as the book's checks always raised ``ValueError``) still catches it."""


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _numeric_array(name: str, value: Any) -> np.ndarray:
    """``value`` as a real NumPy array (any real dtype), or an :class:`InputTypeError`."""
    if value is None or isinstance(value, str | bytes):
        raise InputTypeError(f"{name} must be numeric (got {_short(value)})")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:        # ragged nested lists
        raise InputTypeError(f"{name} must be a numeric array (got {_short(value)})") from exc
    if raw.dtype.kind == "c" or (raw.dtype.kind == "O" and any(isinstance(v, complex) for v in raw.flat)):
        raise InputTypeError(f"{name} must be real (got complex values: {_short(value)})")
    if raw.dtype.kind not in "biufO":
        raise InputTypeError(f"{name} must be numeric (got {_short(value)} of dtype {raw.dtype})")
    return raw


def as_float_array(name: str, value: Any, *, ndim: int | Sequence[int] | None = None,
                   finite: bool = True, positive: bool = False,
                   nonnegative: bool = False) -> np.ndarray:
    """Convert ``value`` to a float array, checking type, dimension, finiteness and sign.

    Parameters
    ----------
    name : the parameter name used in error messages.
    value : array-like input (real; strings, None and complex values are refused).
    ndim : allowed number(s) of dimensions, or None for any.
    finite : reject NaN and ±inf.
    positive, nonnegative : reject entries ≤ 0 (resp. < 0).
    """
    raw = _numeric_array(name, value)
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"{name} must be numeric (got {_short(value)})") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, allowed))} dimension(s) "
                f"(got shape {arr.shape})")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 (smallest value {arr.min():.4g})")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (smallest value {arr.min():.4g})")
    return arr


def check_sizes(name: str, value: Any, *, minimum: int = 1) -> np.ndarray:
    """A 1-d array of integer sizes (D, P, W, N, T …), each in [``minimum``, 2⁵³), strictly increasing."""
    arr = _numeric_array(name, value)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d sequence of sizes (got shape {arr.shape})")
    try:
        arr = arr.astype(float) if arr.dtype.kind == "O" else arr
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"{name} must contain numbers (got {_short(value)})") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain finite numbers (got {_short(value)})")
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must contain integers (got {_short(arr)})")
    if np.any(arr < minimum):
        raise ValueError(f"{name} must be >= {minimum} (smallest value {arr.min():g})")
    if np.any(arr >= MAX_INT):
        raise ValueError(f"{name} must be < 2^53 (largest value {arr.max():g})")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing (got {_short(arr)})")
    return arr.astype(np.int64)


def check_positive_int(name: str, value: Any, *, minimum: int = 1,
                       maximum: int | None = None) -> int:
    """An integer in ``[minimum, maximum]`` (``maximum`` defaults to 2⁵³ − 1)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputTypeError(f"{name} must be an integer (got {_short(value)})")
    upper = MAX_INT - 1 if maximum is None else maximum
    if value < minimum or value > upper:
        text = "2^53 - 1" if maximum is None else str(maximum)
        raise ValueError(f"{name} must be >= {minimum} and <= {text} (got {value})")
    return int(value)


def check_seed(name: str, value: Any, *, generator: bool = False, sequence: bool = False) -> Any:
    """A seed: an integer in [0, 2⁶³) (or, with ``generator``, a ``numpy.random.Generator``; with
    ``sequence``, a non-empty list or tuple of such integers, the entropy of a ``numpy.random.SeedSequence``).

    None is refused: every result of the book is reproducible from its seeds.
    """
    if generator and isinstance(value, np.random.Generator):
        return value
    if sequence and isinstance(value, list | tuple):
        if not value:
            raise ValueError(f"{name} must be a non-empty sequence of seeds (got {_short(value)})")
        return [check_seed(f"{name}[{i}]", v) for i, v in enumerate(value)]
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        allowed = ("a non-negative integer" + (" or a numpy Generator" if generator else "")
                   + (" or a sequence of them" if sequence else ""))
        raise InputTypeError(f"{name} must be {allowed} (got {_short(value)})")
    if not 0 <= value < 2**63:
        raise ValueError(f"{name} must be in [0, 2^63) (got {value})")
    return int(value)


def check_in_range(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                   low_open: bool = False, high_open: bool = False) -> float:
    """A finite real number in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    if (isinstance(value, bool | str | bytes | complex | np.complexfloating) or value is None
            or (isinstance(value, np.ndarray) and (value.ndim > 0 or value.dtype.kind not in "iuf"))):
        raise InputTypeError(f"{name} must be a real number (got {_short(value)})")
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"{name} must be a real number (got {_short(value)})") from exc
    lo_bad = low is not None and (x <= low if low_open else x < low)
    hi_bad = high is not None and (x >= high if high_open else x > high)
    if not np.isfinite(x) or lo_bad or hi_bad:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right} (got {value!r})")
    return x


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> Any:
    """``value`` must be one of ``choices`` (a bool matches only a bool, an array never)."""
    hit = False
    if not isinstance(value, np.ndarray | list | dict | set):
        try:
            flag = isinstance(value, bool | np.bool_)
            hit = any(value is c or (bool(value == c) and flag == isinstance(c, bool | np.bool_)) for c in choices)
        except (TypeError, ValueError):
            hit = False
    if not hit:
        raise ValueError(f"{name} must be one of {list(choices)} (got {_short(value)})")
    return value


def check_same_length(**arrays: np.ndarray) -> int:
    """All arrays share their last-axis length; returns it."""
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    flat = [name for name, shape in shapes.items() if not shape]
    if flat:
        raise ValueError(f"{flat[0]} must be an array with a last axis (got {_short(arrays[flat[0]])})")
    lengths = {name: shape[-1] for name, shape in shapes.items()}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {v}" for k, v in lengths.items())
        raise ValueError(f"mismatched lengths: {desc}")
    return next(iter(lengths.values()))


def check_square(name: str, value: Any, *, symmetric: bool = False, batched: bool = False) -> np.ndarray:
    """A finite square matrix (``batched``: a stack (..., n, n)); ``symmetric`` to :data:`SYMMETRY_RTOL`.

    A non-symmetric matrix is refused rather than silently symmetrized: functions that use one
    triangle (Cholesky, ``eigh``) would otherwise ignore the other.
    """
    arr = as_float_array(name, value)
    if arr.ndim < 2 or (arr.ndim > 2 and not batched) or arr.shape[-1] != arr.shape[-2]:
        shape = "(..., n, n)" if batched else "(n, n)"
        raise ValueError(f"{name} must be a square matrix of shape {shape} (got shape {arr.shape})")
    if symmetric and arr.size:
        asym = float(np.max(np.abs(arr - np.swapaxes(arr, -1, -2))))
        scale = float(np.max(np.abs(arr)))
        if asym > SYMMETRY_RTOL * scale:
            raise ValueError(f"{name} must be symmetric: it differs from its transpose by {asym:.3g} "
                             f"(largest entry {scale:.3g}; allowed {SYMMETRY_RTOL:g} of it)")
    return arr


def psd_spectrum(name: str, eigenvalues: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check and clip the spectrum (..., n) of a symmetric matrix that must be positive semi-definite.

    Raises if an eigenvalue is below −:data:`PSD_RTOL` × the largest |eigenvalue| of its matrix.
    Returns the eigenvalues clipped at 0 and, per matrix (shape (..., 1)), the rounding level
    n·ε·λ_max below which an eigenvalue is numerically zero.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    if not np.all(np.isfinite(lam)):
        raise ValueError(f"{name} has non-finite eigenvalues: its entries are too large")
    top = np.max(np.abs(lam), axis=-1, keepdims=True) if lam.shape[-1] else np.zeros((*lam.shape[:-1], 1))
    low = np.min(lam, axis=-1, keepdims=True) if lam.shape[-1] else top
    bad = low < -PSD_RTOL * top
    if np.any(bad):
        worst = float(np.min(low / np.where(top > 0, top, 1.0)))
        raise ValueError(f"{name} must be positive semi-definite: an eigenvalue is {worst:.3g} times the "
                         f"largest (allowed down to -{PSD_RTOL:g}, rounding)")
    return np.maximum(lam, 0.0), lam.shape[-1] * np.finfo(float).eps * top


def cholesky_factor(name: str, matrix: Any) -> np.ndarray:
    """Lower Cholesky factor of a finite symmetric matrix, or a ValueError if it is not positive definite."""
    matrix = check_square(name, matrix, symmetric=True)
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError as exc:
        smallest = float(np.linalg.eigvalsh(matrix).min())
        raise ValueError(f"{name} must be positive definite (smallest eigenvalue {smallest:.3g})") from exc


def require_finite(name: str, value: Any, why: str) -> Any:
    """Return ``value`` if every entry is finite; otherwise a ValueError saying ``why`` it is undefined."""
    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(f"{name} is not finite: {why}")
    return value


# ---------------------------------------------------------------------------------------------
# the memory and work guard

_LIMITS: ContextVar[tuple[float | None, float | None]] = ContextVar("scaling_utils_limits", default=(None, None))
_UNITS = {"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def _physical_memory() -> float:
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return 8.0 * 2**30


def _env_limit(var: str) -> float | None:
    text = os.environ.get(var, "").strip()
    if not text:
        return None
    match = re.fullmatch(r"([0-9.eE+]+)\s*([a-zA-Z]*)", text)
    unit = match and _UNITS.get(match.group(2).lower())
    try:
        value = float(match.group(1)) * unit if unit else float("nan")
    except ValueError:
        value = float("nan")
    if not value > 0 or not np.isfinite(value):
        raise ValueError(f"${var} must be a positive number, optionally with a unit such as GiB (got {text!r})")
    return value


def max_bytes() -> float:
    """The memory limit in bytes: :func:`resource_limits`, else ``$SCALING_UTILS_MAX_BYTES``, else half the RAM."""
    return _LIMITS.get()[0] or _env_limit(BYTES_ENV) or 0.5 * _physical_memory()


def max_work() -> float:
    """The work limit (operations): :func:`resource_limits`, else ``$SCALING_UTILS_MAX_WORK``, else 1e14."""
    return _LIMITS.get()[1] or _env_limit(WORK_ENV) or DEFAULT_MAX_WORK


@contextlib.contextmanager
def resource_limits(*, max_bytes: float | None = None, max_work: float | None = None) -> Iterator[None]:
    """Raise (or lower) the memory and work limits of :func:`check_budget` inside a ``with`` block.

    >>> with resource_limits(max_bytes=2**20):
    ...     check_budget("a test", nbytes=2**21)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: a test would need about 2 MiB of memory, over the limit of 1 MiB: ...
    """
    new = tuple(None if v is None else check_in_range(n, v, low=0, low_open=True)
                for n, v in (("max_bytes", max_bytes), ("max_work", max_work)))
    old = _LIMITS.get()
    token = _LIMITS.set((new[0] or old[0], new[1] or old[1]))
    try:
        yield
    finally:
        _LIMITS.reset(token)


def _bytes_text(n: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} bytes"


def check_budget(what: str, *, nbytes: float = 0.0, work: float = 0.0, iterations: float = 0.0) -> None:
    """Refuse, before it starts, a computation over the memory or work limit (module docstring).

    ``nbytes``: the largest memory the computation holds at once; ``work``: its floating-point
    operations; ``iterations``: its Python-level loop iterations (each counted as
    :data:`ITERATION_COST` operations). Estimates may be rough (within a small factor); they are
    computed in floating point, so astronomically large sizes cannot overflow them.
    """
    nbytes, total = float(nbytes), float(work) + ITERATION_COST * float(iterations)
    limit = max_bytes()
    if not nbytes <= limit:
        raise ValueError(f"{what} would need about {_bytes_text(nbytes)} of memory, over the limit of "
                         f"{_bytes_text(limit)}: reduce the sizes, or raise the limit with "
                         f"${BYTES_ENV} or scaling_utils.validation.resource_limits(max_bytes=...)")
    limit = max_work()
    if not total <= limit:
        raise ValueError(f"{what} would need about {total:.2g} operations, over the limit of {limit:.2g} "
                         f"(about 20 minutes at 80 GFLOP/s for the default 1e14): reduce the sizes, or "
                         f"raise the limit with ${WORK_ENV} or "
                         "scaling_utils.validation.resource_limits(max_work=...)")
