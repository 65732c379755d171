r"""Estimating scaling exponents from learning curves.

The model fitted everywhere in the book is

.. math::  L(n) = L_\infty + c\, n^{-\alpha},

measured at sizes :math:`n_1 < \dots < n_K` over :math:`S` independent seeds. The offset
:math:`L_\infty` can be absent (``offset=None``: a pure power law), known from theory
(``offset=<float>``), or fitted jointly (``offset="fit"``).

* Pure or known offset: weighted least squares of :math:`\log(\bar L - L_\infty)` on
  :math:`\log n`, each point weighted by the inverse variance of its log,
  :math:`\operatorname{Var}\log(\bar L - L_\infty) \approx \mathrm{se}^2/(\bar L - L_\infty)^2`.
* Fitted offset: non-linear least squares of :math:`\bar L` weighted by :math:`1/\mathrm{se}`.

Intervals treat the seed as the unit of independence (resampling or deleting whole seeds keeps
the correlation between sizes that a shared seed induces). Two methods, ``ci=``:

* ``"jackknife"`` (default): leave one seed out at a time and refit; the jackknife standard error
  :math:`\mathrm{se}_J^2 = \frac{S-1}{S}\sum_s (\hat\alpha_{(-s)} - \bar\alpha_{(\cdot)})^2`
  gives the Student-t interval :math:`\hat\alpha \pm t_{S-1}\,\mathrm{se}_J`;
* ``"bootstrap"``: resample seeds with replacement, refit, and take the percentile interval.

Their coverage was measured by repeated draws (:func:`interval_coverage`; a unit test and the
measuring-exponents chapter): the percentile bootstrap under-covers with few seeds (about 0.6
at S = 2 and 0.85 at S = 3 for a nominal 0.95), the jackknife-t holds at or above nominal level
from S = 2 up. Hence the default.

Fit windows. ``window="auto"`` applies one rule everywhere: among the windows
:math:`[n_k, n_K]` that end at the largest size, take the widest that passes two tests at level
``p_min``: the χ² goodness of fit of the power law, and a likelihood-ratio test for curvature
of :math:`\log(\bar L - L_\infty)` in :math:`\log n` — extend towards small n only while a
straight line in log–log still describes the data within its error bars. The interval of the
fit is statistical only: a transient too weak to be detected at this noise level biases the
estimate without widening the interval. ``window="widest"`` applies the same two tests to every
window :math:`[n_i, n_j]`, not only to those that end at the largest size, and takes the widest
in :math:`\log n` that passes (ties: more points, then larger n): for curves that are a power
law only in their middle, such as the eigenvalues of a real data set, which bend at small rank
(the few leading directions) and fall off at large rank (the data's finite size or rank).

The local slope :math:`s(n) = d\log(L - L_\infty)/d\log n` (finite differences between
neighbouring sizes) is the diagnostic: a power law has constant :math:`s = -\alpha`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from ..validation import (
    InputTypeError,
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    require_finite,
)

__all__ = ["CI_METHODS", "COVERAGE_SEED_COUNTS", "FitResult", "LocalSlope", "curve_from_table", "fit_like",
           "fit_power_law", "interval_coverage", "interval_coverage_point", "jackknife_interval", "local_slope"]

CI_METHODS = ("jackknife", "bootstrap", "none")
#: Seed counts at which the coverage of the jackknife-t interval is measured (a unit test requires
#: at least 0.90 at nominal 0.95 for each, with and without a fitted offset). The claims ledger
#: accepts a fitted interval only at these seed counts.
COVERAGE_SEED_COUNTS = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32)

_MIN_POINTS = {"none": 3, "fixed": 3, "fit": 4}
# Losses whose largest magnitude lies outside [2^-SAFE_EXPONENT, 2^SAFE_EXPONENT] are rescaled by a
# power of two inside the fit (exact in floating point) so that squared errors and weights can
# neither overflow nor underflow; inside the range the fit runs on the data as given.
_SAFE_EXPONENT = 50


def _loss_scale(values: np.ndarray) -> float:
    """1, or the power of two that brings the largest |value| near 1 when it is far outside it."""
    top = float(np.max(np.abs(values))) if values.size else 1.0
    if top == 0 or 2.0**-_SAFE_EXPONENT <= top <= 2.0**_SAFE_EXPONENT:
        return 1.0
    return float(2.0 ** np.round(np.log2(top)))


@dataclass(frozen=True)
class FitResult:
    """A fitted power law :math:`L = L_\\infty + c n^{-\\alpha}` and how it was obtained.

    Attributes
    ----------
    alpha, interval : the exponent and its interval over seeds (None with a single seed).
    amplitude : the prefactor c.
    offset, offset_interval : L∞ (fitted, given, or 0) and, when fitted, its interval.
    offset_mode : "none", "fixed" or "fit".
    window : (n_min, n_max) of the points used.
    n, mean, stderr : every size and the seed-mean loss with its standard error.
    in_window : boolean mask of the points used.
    residuals : standardized residuals (data − model)/σ of the points in the window.
    chi2_dof, p_value : goodness of fit in the window.
    level : the interval's confidence level.
    ci : how the interval was computed ("jackknife" or "bootstrap"; "none" without one).
    seeds : the number of seeds (independent curves) behind the mean.
    """

    alpha: float
    interval: tuple[float, float] | None
    amplitude: float
    offset: float
    offset_interval: tuple[float, float] | None
    offset_mode: str
    window: tuple[float, float]
    n: np.ndarray = field(repr=False)
    mean: np.ndarray = field(repr=False)
    stderr: np.ndarray = field(repr=False)
    in_window: np.ndarray = field(repr=False)
    residuals: np.ndarray = field(repr=False)
    chi2_dof: float = float("nan")
    p_value: float = float("nan")
    level: float = 0.95
    ci: str = "none"
    seeds: int = 1

    def predict(self, n: Any) -> np.ndarray:
        """The fitted curve :math:`L_\\infty + c n^{-\\alpha}` at sizes ``n``."""
        n = as_float_array("n", n, positive=True)
        return self.offset + self.amplitude * n ** (-self.alpha)

    def covers(self, value: float) -> bool:
        """Whether the exponent's interval contains ``value`` (False when there is none)."""
        value = check_in_range("value", value)
        return self.interval is not None and self.interval[0] <= value <= self.interval[1]

    def describe(self, symbol: str = "α", digits: int = 3) -> str:
        """``α = 0.502 [0.489, 0.515]`` — the exponent with its interval, for legends and text."""
        if not isinstance(symbol, str):
            raise InputTypeError(f"symbol must be a string (got {symbol!r})")
        digits = check_positive_int("digits", digits, minimum=0, maximum=17)
        text = f"{symbol} = {self.alpha:.{digits}f}"
        if self.interval is not None:
            text += f" [{self.interval[0]:.{digits}f}, {self.interval[1]:.{digits}f}]"
        return text

    def __str__(self) -> str:
        return (f"{self.describe()} ({100 * self.level:.0f}% CI), offset={self.offset_mode}, "
                f"window=[{self.window[0]:g}, {self.window[1]:g}], χ²/dof={self.chi2_dof:.2f}")


@dataclass(frozen=True)
class LocalSlope:
    """Finite-difference slope of :math:`\\log(L - L_\\infty)` against :math:`\\log n`.

    ``n`` are the geometric midpoints of neighbouring sizes; ``slope`` the slopes (negative for a
    decaying loss; a power law with exponent α has slope −α everywhere); ``lo``/``hi`` a
    bootstrap-over-seeds interval (NaN without seeds). ``alpha`` is −slope, the local exponent.
    """

    n: np.ndarray
    slope: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def alpha(self) -> np.ndarray:
        return -self.slope


def curve_from_table(table: Any, x: str, y: str, seed: str = "seed") -> tuple[np.ndarray, np.ndarray]:
    """Pivot a tidy table (one row per size and seed) into ``(n, losses[seed, size])``."""
    if not hasattr(table, "columns") or not hasattr(table, "pivot_table"):
        raise InputTypeError(f"table must be a pandas DataFrame (got {type(table).__name__})")
    for name, col in (("x", x), ("y", y), ("seed", seed)):
        if not isinstance(col, str):
            raise InputTypeError(f"{name} must be a column name (got {col!r:.80})")
    for col in (x, y, seed):
        if col not in table.columns:
            raise ValueError(f"column {col!r} not in table (columns: {list(table.columns)})")
    wide = table.pivot_table(index=seed, columns=x, values=y, aggfunc="mean")
    if wide.isna().any().any():
        raise ValueError(f"table must have a value of {y!r} for every ({seed}, {x}) pair")
    return wide.columns.to_numpy(), wide.to_numpy()


def _mean_and_stderr(losses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = losses.mean(axis=-2)
    seeds = losses.shape[-2]
    if seeds < 2:
        return mean, np.zeros_like(mean)
    return mean, losses.std(axis=-2, ddof=1) / np.sqrt(seeds)


def _log_fit(logn: np.ndarray, y: np.ndarray, se: np.ndarray, offset: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted LS of log(y − offset) on log n; vectorized over leading axes.

    Returns (alpha, log amplitude, chi²). Points where y − offset ≤ 0 give NaN.
    """
    excess = y - offset
    with np.errstate(divide="ignore", invalid="ignore"):
        logy = np.where(excess > 0, np.log(np.where(excess > 0, excess, 1.0)), np.nan)
        sigma = se / excess
    weighted = np.all(sigma > 0, axis=-1, keepdims=True)
    w = np.where(weighted, 1.0 / np.where(sigma > 0, sigma, 1.0) ** 2, 1.0)
    sw = w.sum(-1)
    xm = (w * logn).sum(-1) / sw
    ym = (w * logy).sum(-1) / sw
    sxx = (w * (logn - xm[..., None]) ** 2).sum(-1)
    sxy = (w * (logn - xm[..., None]) * (logy - ym[..., None])).sum(-1)
    slope = sxy / sxx
    intercept = ym - slope * xm
    resid = logy - (intercept[..., None] + slope[..., None] * logn)
    chi2 = np.where(weighted[..., 0], (w * resid**2).sum(-1), np.nan)
    return -slope, intercept, chi2


def _profile_chi2(n: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For fixed α the model L∞ + c n^(−α) is linear in (L∞, c): solve it in closed form.

    ``y``, ``w`` have shape (..., K) and ``alpha`` shape (...,) or (..., G) broadcasting against
    them with the size axis last. Returns (χ², c, L∞).
    """
    x = n ** (-alpha[..., None])
    y, w = y[..., None, :], w[..., None, :]
    sw, sx, sy = w.sum(-1), (w * x).sum(-1), (w * y).sum(-1)
    sxx, sxy = (w * x * x).sum(-1), (w * x * y).sum(-1)
    det = sw * sxx - sx * sx
    c = (sw * sxy - sx * sy) / det
    off = (sy - c * sx) / sw
    chi2 = (w * (y - off[..., None] - c[..., None] * x) ** 2).sum(-1)
    return chi2, c, off


def _nonlinear_fit(n: np.ndarray, y: np.ndarray, se: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weighted LS of y = L∞ + c n^(−α), vectorized over leading axes of ``y``/``se``.

    Variable projection: L∞ and c are eliminated in closed form for each α, the profile χ²(α)
    is scanned on a log-spaced grid over [0.01, 8] and refined by golden-section search around its minimum.
    Returns (α, log c, L∞, χ²); α is NaN where the best fit has c ≤ 0 (no decaying power law).
    """
    weighted = np.all(se > 0, axis=-1, keepdims=True)
    w = np.where(weighted, 1.0 / np.where(se > 0, se, 1.0) ** 2, 1.0)
    grid = np.geomspace(0.01, 8.0, 160)
    chi2 = _profile_chi2(n, y, w, np.broadcast_to(grid, y.shape[:-1] + grid.shape))[0]
    k = np.clip(np.nanargmin(np.where(np.isfinite(chi2), chi2, np.inf), axis=-1), 1, grid.size - 2)
    lo, hi = grid[k - 1], grid[k + 1]
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(32):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        fa = _profile_chi2(n, y, w, a[..., None])[0][..., 0]
        fb = _profile_chi2(n, y, w, b[..., None])[0][..., 0]
        left = fa < fb
        hi = np.where(left, b, hi)
        lo = np.where(left, lo, a)
    alpha = (lo + hi) / 2
    chi2, c, off = (v[..., 0] for v in _profile_chi2(n, y, w, alpha[..., None]))
    with np.errstate(invalid="ignore", divide="ignore"):
        logc = np.where(c > 0, np.log(np.where(c > 0, c, 1.0)), np.nan)
    alpha = np.where(c > 0, alpha, np.nan)
    chi2 = np.where(weighted[..., 0], chi2, np.nan)
    return alpha, logc, off, chi2


def _fit_once(n: np.ndarray, mean: np.ndarray, se: np.ndarray, mode: str, offset: float
              ) -> tuple[float, float, float, float]:
    if mode == "fit":
        return tuple(float(v) for v in _nonlinear_fit(n, mean, se))
    alpha, logc, chi2 = _log_fit(np.log(n), mean, se, offset)
    return float(alpha), float(logc), offset, float(chi2)


def _curvature_p_value(n: np.ndarray, mean: np.ndarray, se: np.ndarray, offset: float) -> float:
    """p-value of a quadratic term in log n added to the straight line log(L̄ − L∞) vs log n.

    A likelihood-ratio (Δχ², one degree of freedom) test: it is far more sensitive to a slowly
    drifting local slope than the overall χ² goodness of fit.
    """
    excess = mean - offset
    if np.any(excess <= 0):
        return 0.0
    x = np.log(n) - np.log(n).mean()
    y = np.log(excess)
    sqrt_w = excess / se

    def chi2(degree: int) -> float:
        design = np.vander(x, degree + 1) * sqrt_w[:, None]
        coef = np.linalg.lstsq(design, y * sqrt_w, rcond=None)[0]
        return float(((y * sqrt_w - design @ coef) ** 2).sum())

    return float(stats.chi2.sf(chi2(1) - chi2(2), 1))


def _auto_window(n: np.ndarray, mean: np.ndarray, se: np.ndarray, mode: str, offset: float,
                 p_min: float) -> np.ndarray:
    """Widest window ending at the largest n that passes both tests at level ``p_min``.

    The tests: χ² goodness of fit of the power law, and no significant curvature of
    log(L̄ − L∞) in log n (see :func:`_curvature_p_value`). If no window passes, the narrowest
    allowed one (the largest sizes) is used.
    """
    if not np.all(se > 0):
        raise ValueError('window="auto" needs per-point errors: give losses for at least 2 seeds')
    need = _MIN_POINTS[mode] + 1  # one more than the fit needs, so the curvature test has a dof
    nparam = 2 if mode != "fit" else 3
    last = len(n) - need
    if last < 0:
        raise ValueError(f'too few points to fit: window="auto" needs at least {need} sizes '
                         f"for this offset (got {len(n)})")
    for start in range(last + 1):
        sl = slice(start, None)
        *_, l_inf, chi2 = _fit_once(n[sl], mean[sl], se[sl], mode, offset)
        dof = len(n) - start - nparam
        if (np.isfinite(chi2) and stats.chi2.sf(chi2, dof) >= p_min
                and _curvature_p_value(n[sl], mean[sl], se[sl], l_inf) >= p_min):
            break
    mask = np.zeros(len(n), bool)
    mask[start:] = True
    return mask


def _widest_window(n: np.ndarray, mean: np.ndarray, se: np.ndarray, mode: str, offset: float,
                   p_min: float) -> np.ndarray:
    """Widest window [n_i, n_j] (in log n) that passes both tests of :func:`_auto_window`.

    Ties go to the window with more points, then to the one at larger n. If none passes, the
    narrowest allowed window at the largest sizes is used, as for ``"auto"``.
    """
    if not np.all(se > 0):
        raise ValueError('window="widest" needs per-point errors: give losses for at least 2 seeds')
    need = _MIN_POINTS[mode] + 1
    nparam = 2 if mode != "fit" else 3
    if len(n) < need:
        raise ValueError(f'too few points to fit: window="widest" needs at least {need} sizes '
                         f"for this offset (got {len(n)})")
    logn = np.log(n)
    best, best_key = (len(n) - need, len(n)), None
    for start in range(len(n) - need + 1):
        for stop in range(start + need, len(n) + 1):
            key = (logn[stop - 1] - logn[start], stop - start, logn[stop - 1])
            if best_key is not None and key <= best_key:
                continue
            sl = slice(start, stop)
            *_, l_inf, chi2 = _fit_once(n[sl], mean[sl], se[sl], mode, offset)
            if (np.isfinite(chi2) and stats.chi2.sf(chi2, stop - start - nparam) >= p_min
                    and _curvature_p_value(n[sl], mean[sl], se[sl], l_inf) >= p_min):
                best, best_key = (start, stop), key
    mask = np.zeros(len(n), bool)
    mask[best[0]:best[1]] = True
    return mask


def fit_power_law(n: Any, losses: Any, *, offset: float | str | None = None,
                  window: tuple[float, float] | str | None = None, level: float = 0.95,
                  ci: str = "jackknife", n_boot: int = 1000, p_min: float = 0.05, seed: int = 0) -> FitResult:
    """Fit :math:`L(n) = L_\\infty + c n^{-\\alpha}` with an interval over seeds for α.

    Parameters
    ----------
    n : sizes, 1-d, positive, strictly increasing.
    losses : shape (seeds, sizes) — one learning curve per seed — or (sizes,) for a single curve
        (then no interval is computed).
    offset : None (L∞ = 0), a float (known L∞, e.g. from theory), or "fit".
    window : None (all points), (n_min, n_max) inclusive, "auto" or "widest" (see module docstring).
    level : confidence level of the interval, in (0, 1).
    ci : "jackknife" (Student-t on the leave-one-seed-out jackknife; default), "bootstrap"
        (percentile bootstrap over seeds) or "none"; see the module docstring for their measured
        coverage.
    n_boot : bootstrap replicates (``ci="bootstrap"`` only; 0 for no interval).
    p_min : level of the two tests an "auto" or "widest" window must pass.
    seed : seed of the bootstrap's random generator (results are deterministic).

    Returns
    -------
    FitResult

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> n = np.geomspace(10, 1e4, 12)
    >>> losses = 2 * n**-0.5 * (1 + 0.05 * rng.standard_normal((20, 12)))
    >>> fit = fit_power_law(n, losses)
    >>> round(fit.alpha, 2)
    0.5
    """
    n = as_float_array("n", n, ndim=1, positive=True)
    if np.any(np.diff(n) <= 0):
        raise ValueError("n must be strictly increasing")
    losses = as_float_array("losses", losses, ndim=(1, 2))
    if losses.shape[-1] != n.size or losses.size == 0:
        raise ValueError(f"losses must have one column per size and at least one curve: n has {n.size} "
                         f"sizes, losses has shape {losses.shape}")
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    check_choice("ci", ci, CI_METHODS)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    p_min = check_in_range("p_min", p_min, low=0, high=1, high_open=True)
    seed = check_seed("seed", seed)
    if offset is None:
        mode, off = "none", 0.0
    elif isinstance(offset, str):
        mode, off = check_choice("offset", offset, ["fit"]), 0.0
    else:
        mode, off = "fixed", check_in_range("offset", offset)
    curves = losses[None, :] if losses.ndim == 1 else losses
    if ci == "bootstrap" and curves.shape[0] >= 2:
        check_budget("the bootstrap over seeds", nbytes=16.0 * n_boot * curves.size,
                     work=10.0 * n_boot * curves.size * (160 if mode == "fit" else 1))
    scale = _loss_scale(np.append(curves, off))   # exact rescaling of extreme loss scales (module top)
    curves, off = curves / scale, off / scale
    mean, se = _mean_and_stderr(curves)

    if window is None:
        mask = np.ones(n.size, bool)
    elif isinstance(window, str):
        check_choice("window", window, ["auto", "widest"])
        rule = _auto_window if window == "auto" else _widest_window
        mask = rule(n, mean, se, mode, off, p_min)
    else:
        bounds = as_float_array("window", window, ndim=1)
        if bounds.size != 2 or not bounds[0] < bounds[1]:
            raise ValueError(f"window must be (n_min, n_max) with n_min < n_max (got {window!r})")
        mask = (n >= bounds[0]) & (n <= bounds[1])
    need = _MIN_POINTS[mode]
    if mask.sum() < need:
        raise ValueError(f"too few points to fit: {mask.sum()} sizes in the window, need at least "
                         f"{need} for offset={offset!r}")
    if mode != "fit" and np.any(mean[mask] <= off):
        worst = int(np.argmin(np.where(mask, mean, np.inf)))
        if mode == "fixed":
            raise ValueError(f"offset={off * scale:g} must be below every mean loss in the window "
                             f"(smallest mean {mean[worst] * scale:.4g} at n = {n[worst]:g})")
        raise ValueError(f"losses must have a positive mean at every size in the window for a pure power law "
                         f"(offset=None; mean {mean[worst] * scale:.4g} at n = {n[worst]:g}): fit it to "
                         "log(mean), or pass offset='fit'")

    nw, mw, sw = n[mask], mean[mask], se[mask]
    alpha, logc, l_inf, chi2 = _fit_once(nw, mw, sw, mode, off)
    if not (np.isfinite(alpha) and np.isfinite(logc)):
        raise ValueError("losses: no decaying power law fits them (the best L∞ + c n^-α has c ≤ 0: the mean "
                         "loss does not decrease over the window)")
    nparam = 3 if mode == "fit" else 2
    dof = mask.sum() - nparam
    sigma = np.where(sw > 0, sw, np.nan)
    resid = (mw - (l_inf + np.exp(logc) * nw ** (-alpha))) / sigma
    with np.errstate(over="ignore", invalid="ignore"):   # per-point errors of the data before rescaling
        resolved = _mean_and_stderr(losses if losses.ndim == 2 else losses[None, :])[1][mask] != 0
    if curves.shape[0] >= 2 and np.all(resolved) and not np.all(np.isfinite(resid)):
        raise ValueError(f"offset={offset!r}: the fit is numerically undefined, the losses' variation is below "
                         "rounding next to the offset")
    chi2_dof = chi2 / dof  # NaN when there are no per-point errors (a single seed)
    p_value = float(stats.chi2.sf(chi2, dof)) if np.isfinite(chi2) else float("nan")

    interval = offset_interval = None
    seeds = curves.shape[0]
    if seeds >= 2 and (ci == "jackknife" or (ci == "bootstrap" and n_boot > 0)):
        if ci == "jackknife":
            keep = ~np.eye(seeds, dtype=bool)  # row s: every seed but s
            replicates = curves[np.nonzero(keep)[1].reshape(seeds, seeds - 1)]
        else:
            replicates = curves[np.random.default_rng(seed).integers(0, seeds, size=(n_boot, seeds))]
        bm, bse = _mean_and_stderr(replicates[..., mask])
        if mode == "fit":
            ba, _, boff, _ = _nonlinear_fit(nw, bm, bse)
        else:
            ba = _log_fit(np.log(nw), bm, bse, off)[0]
        failed = ~np.isfinite(ba)
        if ci == "jackknife" and failed.any():
            raise ValueError(f"the fit failed with {failed.sum()} of {seeds} seeds left out: the losses are too "
                             "noisy for this offset/window (mean − offset ≤ 0 or no decaying power law)")
        if failed.mean() > 0.05:
            raise ValueError(f"bootstrap failed for {100 * failed.mean():.0f}% of replicates: the losses are too "
                             "noisy for this offset/window (mean − offset ≤ 0)")
        if ci == "jackknife":
            interval = jackknife_interval(alpha, ba, level)
            if mode == "fit":
                offset_interval = jackknife_interval(l_inf, boff, level)
        else:
            q = [(1 - level) / 2, (1 + level) / 2]
            interval = tuple(float(v) for v in np.quantile(ba[~failed], q))
            if mode == "fit":
                offset_interval = tuple(float(v) for v in np.quantile(boff[~failed], q))

    if offset_interval is not None:
        offset_interval = (offset_interval[0] * scale, offset_interval[1] * scale)
    return FitResult(alpha=float(alpha), interval=interval, amplitude=float(np.exp(logc)) * scale,
                     offset=float(l_inf) * scale, offset_interval=offset_interval, offset_mode=mode,
                     window=(float(nw[0]), float(nw[-1])), n=n, mean=mean * scale, stderr=se * scale,
                     in_window=mask, residuals=resid, chi2_dof=float(chi2_dof), p_value=p_value,
                     level=level, ci=ci if interval is not None else "none", seeds=seeds)


def jackknife_interval(estimate: float, leave_one_out: Any, level: float = 0.95) -> tuple[float, float]:
    r"""Student-t interval from a leave-one-out jackknife: ``estimate ± t_{S−1} se_J``.

    ``leave_one_out`` holds the S estimates with one unit (seed) deleted each;
    :math:`\mathrm{se}_J^2 = \frac{S-1}{S}\sum_s(\hat\theta_{(-s)} - \bar\theta_{(\cdot)})^2`
    (Efron & Tibshirani 1993, ch. 11).
    """
    loo = as_float_array("leave_one_out", leave_one_out, ndim=1)
    if loo.size < 2:
        raise ValueError(f"leave_one_out must hold at least 2 estimates (got {loo.size})")
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    estimate = check_in_range("estimate", estimate)
    s = loo.size
    with np.errstate(over="ignore", invalid="ignore"):
        se = np.sqrt((s - 1) / s * np.sum((loo - loo.mean()) ** 2))
        half = stats.t.ppf((1 + level) / 2, s - 1) * se
    lo, hi = require_finite("the interval", [estimate - half, estimate + half],
                            "estimate and leave_one_out are too large (overflow)")
    return float(lo), float(hi)


def fit_like(fit: FitResult, prediction: Any) -> float:
    """The exponent of ``prediction`` fitted exactly as ``fit`` was fitted to the data.

    ``prediction`` is a theory curve at the sizes ``fit.n``. It is fitted over the same window,
    with the same offset treatment (none, the same fixed L∞, or L∞ fitted again) and the *data's*
    weights: the inverse variance of each point's log for a known offset, 1/se² for a fitted one.
    A measured exponent and this predicted one then weigh the same sizes alike, so their
    difference is statistical, not a difference of fitting procedures.
    """
    if not isinstance(fit, FitResult):
        raise InputTypeError(f"fit must be a FitResult from fit_power_law (got {type(fit).__name__})")
    prediction = as_float_array("prediction", prediction, ndim=1, positive=True)
    if prediction.size != fit.n.size:
        raise ValueError(f"prediction must have one value per size of the fit ({fit.n.size}), "
                         f"got {prediction.size}")
    mask = fit.in_window
    n, se, mean, pred = fit.n[mask], fit.stderr[mask], fit.mean[mask], prediction[mask]
    if fit.offset_mode == "fit":
        scale = _loss_scale(np.concatenate([pred, se]))   # exact rescaling of extreme scales
        alpha = float(_nonlinear_fit(n, pred / scale, se / scale)[0])
        if not np.isfinite(alpha):
            raise ValueError("prediction: no decaying power law fits it (the best L∞ + c n^-α has c ≤ 0)")
        return alpha
    if np.any(pred <= fit.offset):
        raise ValueError(f"prediction must exceed the fit's offset {fit.offset:g} in the window")
    # weights of the data's log: sigma_k = se_k / (mean_k − L∞); pass se' so that se'/(pred − L∞) = sigma_k
    se_equiv = se / (mean - fit.offset) * (pred - fit.offset)
    return float(_log_fit(np.log(n), pred, se_equiv, fit.offset)[0])


def interval_coverage(seeds: int, *, ci: str = "jackknife", offset: str | None = None, repeats: int = 400,
                      alpha: float = 0.5, noise: float = 0.1, sizes: Any = None, level: float = 0.95,
                      seed: int = 0) -> float:
    r"""Fraction of ``repeats`` synthetic experiments whose interval for α covers the true α.

    Each experiment draws ``seeds`` curves :math:`L_\infty + 3 n^{-\alpha}` with log-normal
    noise of relative size ``noise`` (:func:`~scaling_utils.data.synthetic.synthetic_learning_curves`;
    L∞ = 0.2 when ``offset="fit"``, else 0) at ``sizes`` (default 10 sizes from 10 to 10⁴) and
    fits them with ``fit_power_law(..., offset=offset, ci=ci)``. The binomial standard error of the
    result is about :math:`\sqrt{0.05 \cdot 0.95/\mathrm{repeats}}`.
    """
    from ..data.synthetic import synthetic_learning_curves

    seeds = check_positive_int("seeds", seeds, minimum=2)
    repeats = check_positive_int("repeats", repeats)
    check_choice("offset", offset, [None, "fit"])
    check_choice("ci", ci, CI_METHODS[:2])
    seed = check_seed("seed", seed)
    alpha = check_in_range("alpha", alpha, low=0, high=8, low_open=True)   # the fit's search range in α
    sizes = np.geomspace(10, 1e4, 10) if sizes is None else as_float_array("sizes", sizes, ndim=1, positive=True)
    if sizes.size < 4 or np.any(np.diff(sizes) <= 0):
        raise ValueError(f"sizes must hold at least 4 strictly increasing sizes (got {sizes!r:.80})")
    check_budget("interval_coverage", nbytes=8.0 * 400 * seeds * sizes.size,
                 work=repeats * seeds * (seeds if ci == "jackknife" else 400) * sizes.size * 200,
                 iterations=repeats)
    l_inf = 0.2 if offset == "fit" else 0.0
    covered = 0
    for r in range(repeats):
        losses = synthetic_learning_curves(sizes, alpha=alpha, amplitude=3.0, offset=l_inf, noise=noise,
                                           seeds=seeds, seed=seed * 1_000_003 + r)
        covered += fit_power_law(sizes, losses, offset=offset, ci=ci, level=level, n_boot=400, seed=r).covers(alpha)
    return covered / repeats


def interval_coverage_point(seeds: int, ci: str, offset: str | None, repeats: int, seed: int) -> dict[str, float]:
    """:func:`interval_coverage` as a point of :func:`~scaling_utils.engines.sweep.run_sweep` (cached, parallel):
    ``{"coverage": …}``."""
    return {"coverage": interval_coverage(seeds, ci=ci, offset=offset, repeats=repeats, seed=seed)}


def local_slope(n: Any, losses: Any, *, offset: float = 0.0, level: float = 0.68,
                n_boot: int = 400, seed: int = 0) -> LocalSlope:
    """Finite-difference slopes :math:`\\Delta\\log(\\bar L - L_\\infty)/\\Delta\\log n`.

    ``losses`` is (seeds, sizes) or (sizes,). With seeds, a bootstrap over seeds gives a
    ``level`` interval per slope. Points with mean ≤ offset give NaN slopes.
    """
    n = as_float_array("n", n, ndim=1, positive=True)
    if n.size < 2 or np.any(np.diff(n) <= 0):
        raise ValueError("n must have at least 2 strictly increasing sizes")
    losses = as_float_array("losses", losses, ndim=(1, 2))
    if losses.shape[-1] != n.size:
        raise ValueError(f"losses must have one column per size: n has {n.size} sizes, "
                         f"losses has shape {losses.shape}")
    if losses.size == 0:
        raise ValueError(f"losses must hold at least one curve (got shape {losses.shape})")
    offset = check_in_range("offset", offset)
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    seed = check_seed("seed", seed)
    curves = losses[None, :] if losses.ndim == 1 else losses
    check_budget("the bootstrap over seeds", nbytes=24.0 * n_boot * curves.size, work=20.0 * n_boot * curves.size)
    logn = np.log(n)

    def slopes(mean: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            logl = np.where(mean > offset, np.log(np.abs(mean - offset)), np.nan)
        return np.diff(logl, axis=-1) / np.diff(logn)

    s = slopes(curves.mean(0))
    lo = hi = np.full_like(s, np.nan)
    if curves.shape[0] >= 2 and n_boot > 0:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, curves.shape[0], size=(n_boot, curves.shape[0]))
        reps = slopes(curves[idx].mean(1))
        lo, hi = np.nanquantile(reps, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return LocalSlope(n=np.sqrt(n[1:] * n[:-1]), slope=s, lo=lo, hi=hi)
