"""Vectorized root finding for the self-consistent equations of the theory modules.

The effective-ridge equations of kernel regression and of the solvable model are monotone in
:math:`\\log\\kappa` on a known bracket. :func:`solve_bracketed` solves a whole grid of them at
once: every grid point is bisected in log space in lock-step (each iteration is one vectorized
evaluation), then polished by a few secant (regula falsi, Illinois) steps that keep the bracket.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..validation import InputTypeError, as_float_array, check_choice, check_in_range, check_positive_int

__all__ = ["solve_bracketed"]


def solve_bracketed(func: Callable[[np.ndarray], np.ndarray], lo: np.ndarray | float,
                    hi: np.ndarray | float, *, log: bool = True, rtol: float = 1e-12,
                    max_iter: int = 200) -> np.ndarray:
    """Solve ``func(x) = 0`` elementwise for x in [lo, hi], where func changes sign on the bracket.

    Parameters
    ----------
    func : vectorized function of an array of the broadcast shape of ``lo``/``hi``.
    lo, hi : bracket ends (positive when ``log``), broadcastable.
    log : search in log x (for scale parameters such as κ spanning many decades).
    rtol : relative tolerance on x.
    max_iter : iteration cap (Illinois steps converge superlinearly; bisection needs ~log2 steps).

    Raises
    ------
    ValueError if the bracket is invalid or func does not change sign on it.
    """
    if not callable(func):
        raise InputTypeError(f"func must be callable (got {func!r:.80})")
    lo, hi = as_float_array("lo", lo), as_float_array("hi", hi)
    try:
        lo, hi = np.broadcast_arrays(lo, hi)
    except ValueError as exc:
        raise ValueError(f"lo {lo.shape} and hi {hi.shape} must broadcast") from exc
    lo, hi = lo.astype(float).copy(), hi.astype(float).copy()
    check_positive_int("max_iter", max_iter, maximum=100_000)
    check_choice("log", log, [True, False])
    rtol = check_in_range("rtol", rtol, low=0, high=1, low_open=True, high_open=True)
    if np.any(lo >= hi):
        raise ValueError("lo must be < hi everywhere")
    if log:
        if np.any(lo <= 0):
            raise ValueError("lo must be > 0 for a search in log space")
        a, b = np.log(lo), np.log(hi)
        f = lambda t: func(np.exp(t))  # noqa: E731
    else:
        a, b = lo, hi
        f = func
    fa, fb = func(lo), func(hi)   # at the given ends: exp(log(x)) can be a few ulps off and flip a sign
    for end, value in (("lo", fa), ("hi", fb)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"func must return finite values at the bracket's ends (at {end}: "
                             f"{np.asarray(value)!r:.80})")
    if np.any(np.sign(fa) == np.sign(fb)) and not np.all((fa == 0) | (fb == 0)):
        bad = int(np.sum(np.sign(fa) == np.sign(fb)))
        raise ValueError(f"func does not change sign on the bracket [lo, hi] at {bad} point(s)")
    side = 0 * a
    for _ in range(max_iter):
        # Illinois regula falsi: secant step, halving the stale end's value to avoid stagnation.
        c = np.where(fb != fa, b - fb * (b - a) / (fb - fa), (a + b) / 2)
        c = np.clip(c, np.minimum(a, b), np.maximum(a, b))
        fc = f(c)
        same = np.sign(fc) == np.sign(fb)
        a, fa = np.where(same, a, b), np.where(same, fa, fb)
        fa = np.where(same & (side == 1), fa / 2, fa)
        side = np.where(same, 1, -1)
        b, fb = c, fc
        width = np.abs(b - a) if log else np.abs(b - a) / np.maximum(np.abs(b), 1e-300)
        if np.all((width <= rtol) | (fc == 0)):
            break
    return np.exp(b) if log else b
