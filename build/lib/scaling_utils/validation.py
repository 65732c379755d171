"""Input checks shared by every public function.

Each check raises :class:`ValueError` whose message names the offending parameter and the
allowed range, so a reader who passes a bad size sees ``D must be a positive integer (got -3)``
instead of a traceback from deep inside NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "as_float_array",
    "check_choice",
    "check_in_range",
    "check_positive_int",
    "check_same_length",
    "check_sizes",
    "cholesky_factor",
]


def as_float_array(name: str, value: Any, *, ndim: int | Sequence[int] | None = None,
                   finite: bool = True, positive: bool = False,
                   nonnegative: bool = False) -> np.ndarray:
    """Convert ``value`` to a float array, checking dimension, finiteness and sign.

    Parameters
    ----------
    name : the parameter name used in error messages.
    value : array-like input.
    ndim : allowed number(s) of dimensions, or None for any.
    finite : reject NaN and ±inf.
    positive, nonnegative : reject entries ≤ 0 (resp. < 0).
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric (got {value!r})") from exc
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
    """A 1-d array of integer sizes (D, P, W, N, T …), each ≥ ``minimum``, strictly increasing."""
    arr = np.asarray(value)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d sequence of sizes (got shape {arr.shape})")
    if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain finite numbers (got {value!r})")
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must contain integers (got {arr!r})")
    if np.any(arr < minimum):
        raise ValueError(f"{name} must be >= {minimum} (smallest value {arr.min():g})")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing (got {arr!r})")
    return arr.astype(np.int64)


def check_positive_int(name: str, value: Any, *, minimum: int = 1,
                       maximum: int | None = None) -> int:
    """An integer in ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer (got {value!r})")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(f"{name} must be >= {minimum}{upper} (got {value})")
    return int(value)


def check_in_range(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                   low_open: bool = False, high_open: bool = False) -> float:
    """A finite real number in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a real number (got {value!r})") from exc
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
    """``value`` must be one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)} (got {value!r})")
    return value


def check_same_length(**arrays: np.ndarray) -> int:
    """All arrays share their last-axis length; returns it."""
    lengths = {name: np.shape(a)[-1] for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {v}" for k, v in lengths.items())
        raise ValueError(f"mismatched lengths: {desc}")
    return next(iter(lengths.values()))


def cholesky_factor(name: str, matrix: np.ndarray) -> np.ndarray:
    """Lower Cholesky factor of a symmetric matrix, or a ValueError if it is not positive definite."""
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError as exc:
        raise ValueError(f"{name} must be positive definite") from exc
