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

Intervals come from a bootstrap over seeds: seeds are resampled with replacement, the mean
curve and its standard errors are recomputed and the fit repeated; the percentile interval of
the replicates is reported. A seed is the unit of independence in every experiment here, so
resampling seeds keeps the correlation between sizes that a shared seed induces.

Fit windows. ``window="auto"`` applies one rule everywhere: among the windows
:math:`[n_k, n_K]` that end at the largest size, take the widest that passes two tests at level
``p_min``: the χ² goodness of fit of the power law, and a likelihood-ratio test for curvature
of :math:`\log(\bar L - L_\infty)` in :math:`\log n` — extend towards small n only while a
straight line in log–log still describes the data within its error bars. The interval of the
fit is statistical only: a transient too weak to be detected at this noise level biases the
estimate without widening the interval.

The local slope :math:`s(n) = d\log(L - L_\infty)/d\log n` (finite differences between
neighbouring sizes) is the diagnostic: a power law has constant :math:`s = -\alpha`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from ..validation import as_float_array, check_choice, check_in_range, check_positive_int

__all__ = ["FitResult", "LocalSlope", "curve_from_table", "fit_power_law", "local_slope"]

_MIN_POINTS = {"none": 3, "fixed": 3, "fit": 4}


@dataclass(frozen=True)
class FitResult:
    """A fitted power law :math:`L = L_\\infty + c n^{-\\alpha}` and how it was obtained.

    Attributes
    ----------
    alpha, interval : the exponent and its bootstrap percentile interval (None without seeds).
    amplitude : the prefactor c.
    offset, offset_interval : L∞ (fitted, given, or 0) and, when fitted, its interval.
    offset_mode : "none", "fixed" or "fit".
    window : (n_min, n_max) of the points used.
    n, mean, stderr : every size and the seed-mean loss with its standard error.
    in_window : boolean mask of the points used.
    residuals : standardized residuals (data − model)/σ of the points in the window.
    chi2_dof, p_value : goodness of fit in the window.
    level, n_boot : the interval's confidence level and number of bootstrap replicates.
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
    n_boot: int = 0

    def predict(self, n: Any) -> np.ndarray:
        """The fitted curve :math:`L_\\infty + c n^{-\\alpha}` at sizes ``n``."""
        n = as_float_array("n", n, positive=True)
        return self.offset + self.amplitude * n ** (-self.alpha)

    def covers(self, value: float) -> bool:
        """Whether the exponent's interval contains ``value`` (False when there is none)."""
        return self.interval is not None and self.interval[0] <= value <= self.interval[1]

    def describe(self, symbol: str = "α", digits: int = 3) -> str:
        """``α = 0.502 [0.489, 0.515]`` — the exponent with its interval, for legends and text."""
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


def fit_power_law(n: Any, losses: Any, *, offset: float | str | None = None,
                  window: tuple[float, float] | str | None = None, level: float = 0.95,
                  n_boot: int = 1000, p_min: float = 0.05, seed: int = 0) -> FitResult:
    """Fit :math:`L(n) = L_\\infty + c n^{-\\alpha}` with a bootstrap-over-seeds interval for α.

    Parameters
    ----------
    n : sizes, 1-d, positive, strictly increasing.
    losses : shape (seeds, sizes) — one learning curve per seed — or (sizes,) for a single curve
        (then no interval is computed).
    offset : None (L∞ = 0), a float (known L∞, e.g. from theory), or "fit".
    window : None (all points), (n_min, n_max) inclusive, or "auto" (see module docstring).
    level : confidence level of the interval, in (0, 1).
    n_boot : bootstrap replicates (0 for none).
    p_min : χ² p-value an "auto" window must reach.
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
    if losses.shape[-1] != n.size:
        raise ValueError(f"losses must have one column per size: n has {n.size} sizes, "
                         f"losses has shape {losses.shape}")
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    p_min = check_in_range("p_min", p_min, low=0, high=1, high_open=True)
    if offset is None:
        mode, off = "none", 0.0
    elif isinstance(offset, str):
        mode, off = check_choice("offset", offset, ["fit"]), 0.0
    else:
        mode, off = "fixed", check_in_range("offset", offset)
    curves = losses[None, :] if losses.ndim == 1 else losses
    mean, se = _mean_and_stderr(curves)

    if window is None:
        mask = np.ones(n.size, bool)
    elif isinstance(window, str):
        check_choice("window", window, ["auto"])
        mask = _auto_window(n, mean, se, mode, off, p_min)
    else:
        if len(window) != 2 or not window[0] < window[1]:
            raise ValueError(f"window must be (n_min, n_max) with n_min < n_max (got {window!r})")
        mask = (n >= window[0]) & (n <= window[1])
    need = _MIN_POINTS[mode]
    if mask.sum() < need:
        raise ValueError(f"too few points to fit: {mask.sum()} sizes in the window, need at least "
                         f"{need} for offset={offset!r}")
    if mode == "fixed" and np.any(mean[mask] <= off):
        raise ValueError(f"offset={off:g} must be below every mean loss in the window "
                         f"(smallest mean {mean[mask].min():.4g})")

    nw, mw, sw = n[mask], mean[mask], se[mask]
    alpha, logc, l_inf, chi2 = _fit_once(nw, mw, sw, mode, off)
    nparam = 3 if mode == "fit" else 2
    dof = mask.sum() - nparam
    sigma = np.where(sw > 0, sw, np.nan)
    resid = (mw - (l_inf + np.exp(logc) * nw ** (-alpha))) / sigma
    chi2_dof = chi2 / dof  # NaN when there are no per-point errors (a single seed)
    p_value = float(stats.chi2.sf(chi2, dof)) if np.isfinite(chi2) else float("nan")

    interval = offset_interval = None
    if curves.shape[0] >= 2 and n_boot > 0:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, curves.shape[0], size=(n_boot, curves.shape[0]))
        bm, bse = _mean_and_stderr(curves[idx][..., mask])
        q = [(1 - level) / 2, (1 + level) / 2]
        if mode == "fit":
            ba, _, boff, _ = _nonlinear_fit(nw, bm, bse)
            ok = np.isfinite(ba)
            offset_interval = tuple(float(v) for v in np.quantile(boff[ok], q))
        else:
            ba = _log_fit(np.log(nw), bm, bse, off)[0]
        ok = np.isfinite(ba)
        if ok.mean() < 0.95:
            raise ValueError(f"bootstrap failed for {100 * (1 - ok.mean()):.0f}% of replicates: the "
                             "losses are too noisy for this offset/window (mean − offset ≤ 0)")
        interval = tuple(float(v) for v in np.quantile(ba[ok], q))

    return FitResult(alpha=float(alpha), interval=interval, amplitude=float(np.exp(logc)),
                     offset=float(l_inf), offset_interval=offset_interval, offset_mode=mode,
                     window=(float(nw[0]), float(nw[-1])), n=n, mean=mean, stderr=se,
                     in_window=mask, residuals=resid, chi2_dof=float(chi2_dof), p_value=p_value,
                     level=level, n_boot=n_boot if interval is not None else 0)


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
    offset = check_in_range("offset", offset)
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    curves = losses[None, :] if losses.ndim == 1 else losses
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
