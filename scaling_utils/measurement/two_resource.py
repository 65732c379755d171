r"""A scaling law in two resources, fitted as Hoffmann et al. and Besiroglu et al. fit it.

The law (Hoffmann et al. 2022, their Eq. 2) is

.. math::  L(N, D) = E + A N^{-\alpha} + B D^{-\beta},

with N the parameters and D the training tokens. Following Hoffmann et al.'s Approach 3 as
replicated by Besiroglu et al. (2024), it is fitted on the log of the loss with parameters
:math:`\theta = (a, b, e, \alpha, \beta)`, :math:`A = e^a`, :math:`B = e^b`, :math:`E = e^e`:

.. math::
   \min_\theta \sum_i \operatorname{Huber}_\delta\bigl(
       \operatorname{LSE}(a - \alpha\log N_i,\; b - \beta\log D_i,\; e) - \log L_i\bigr),

where LSE is the log-sum-exp, so the model is exactly :math:`\log L(N_i, D_i)`, and the Huber
loss (quadratic below δ, linear above; δ = 10⁻³ by default) makes the fit robust to outlying
runs. The objective and its analytic gradient are vectorized over many parameter vectors at
once: the whole grid of starting points is scored in one pass, and L-BFGS (SciPy) is run from
the best few. A fit whose optimizer does not report convergence is an error, not a result.

**Intervals** come from a bootstrap over runs (resample the runs with replacement, refit,
warm-started from the full-data optimum and the best grid starts; percentile intervals).

**Compute-optimal allocation.** With compute :math:`C \approx 6ND` (Kaplan et al. 2020),
minimizing L at fixed C gives (Hoffmann et al., their Eq. 4)

.. math::
   N_{\rm opt}(C) = G\,(C/6)^{a}, \quad D_{\rm opt}(C) = G^{-1}(C/6)^{b}, \quad
   a = \frac{\beta}{\alpha+\beta},\ b = \frac{\alpha}{\alpha+\beta},\quad
   G = \Bigl(\frac{\alpha A}{\beta B}\Bigr)^{1/(\alpha+\beta)} .
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize
from scipy.special import logsumexp, softmax

from ..validation import (
    InputTypeError,
    as_float_array,
    check_in_range,
    check_positive_int,
    check_seed,
    require_finite,
)

__all__ = ["TwoResourceFit", "compute_optimal", "coverage_replica", "fit_two_resource", "start_grid",
           "two_resource_loss"]

_NAMES = ("E", "A", "B", "alpha", "beta")


def two_resource_loss(n: Any, d: Any, *, E: float, A: float, B: float, alpha: float, beta: float) -> np.ndarray:
    """The law :math:`E + A N^{-\\alpha} + B D^{-\\beta}` at parameters ``n`` and tokens ``d``.

    The five parameters are finite real numbers; a loss beyond the floating-point range is a ValueError.
    """
    n = as_float_array("n", n, positive=True)
    d = as_float_array("d", d, positive=True)
    E, A, B, alpha, beta = (check_in_range(name, value) for name, value in
                            (("E", E), ("A", A), ("B", B), ("alpha", alpha), ("beta", beta)))
    with np.errstate(over="ignore", invalid="ignore"):
        loss = E + A * n ** (-alpha) + B * d ** (-beta)
    return require_finite("the loss", loss, "n or d is so small (or A, B, alpha, beta so large) that a term "
                          "overflows")


def start_grid() -> np.ndarray:
    """Hoffmann et al.'s grid of L-BFGS starts, rows (a, b, e, α, β): 6·6·5·5·5 = 4500 points.

    α, β ∈ {0, 0.5, …, 2}; e ∈ {−1, −0.5, …, 1}; a, b ∈ {0, 5, …, 25}.
    """
    a = np.arange(0, 30, 5.0)
    e = np.arange(-1, 1.5, 0.5)
    ab = np.arange(0, 2.5, 0.5)
    mesh = np.meshgrid(a, a, e, ab, ab, indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1)


def _objective(theta: np.ndarray, logn: np.ndarray, logd: np.ndarray, logl: np.ndarray, weights: np.ndarray,
               delta: float) -> tuple[np.ndarray, np.ndarray]:
    """Huber objective (divided by δ, which leaves its minimizer unchanged) and its gradient.

    ``theta`` has shape (..., 5); returns values of shape (...) and gradients (..., 5).
    ``weights`` counts each run (bootstrap multiplicities; ones for a plain fit).
    """
    a, b, e, al, be = (theta[..., k, None] for k in range(5))
    terms = np.stack(np.broadcast_arrays(a - al * logn, b - be * logd, e), axis=-1)   # (..., n, 3)
    r = logsumexp(terms, axis=-1) - logl
    small = np.abs(r) <= delta
    value = (weights * np.where(small, 0.5 * r**2 / delta, np.abs(r) - 0.5 * delta)).sum(-1)
    dr = weights * np.where(small, r / delta, np.sign(r))                               # dH/dr
    w = softmax(terms, axis=-1)                                                         # d LSE / d terms
    grad = np.stack([(dr * w[..., 0]).sum(-1), (dr * w[..., 1]).sum(-1), (dr * w[..., 2]).sum(-1),
                     -(dr * w[..., 0] * logn).sum(-1), -(dr * w[..., 1] * logd).sum(-1)], axis=-1)
    return value, grad


def _minimize(x0: np.ndarray, args: tuple) -> optimize.OptimizeResult:
    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        v, g = _objective(x, *args)
        return float(v), g

    return optimize.minimize(fun, x0, jac=True, method="L-BFGS-B",
                             options={"maxiter": 10_000, "ftol": 1e-12, "gtol": 1e-8})


def _ranked_starts(starts: np.ndarray, args: tuple, n_starts: int) -> np.ndarray:
    """The ``n_starts`` starts with the lowest objective, scored in one vectorized pass (chunked)."""
    values = np.concatenate([_objective(chunk, *args)[0] for chunk in np.array_split(starts, 1 + len(starts) // 500)])
    return starts[np.argsort(values)[:n_starts]]


def _best_fit(starts: np.ndarray, args: tuple) -> np.ndarray:
    """Run L-BFGS from each start; return the converged optimum with the lowest objective."""
    best, best_value, messages = None, np.inf, []
    for x0 in starts:
        res = _minimize(x0, args)
        if res.success and np.all(np.isfinite(res.x)) and res.fun < best_value:
            best, best_value = res.x, res.fun
        elif not res.success:
            messages.append(str(res.message))
    if best is None:
        raise RuntimeError(f"L-BFGS did not converge from any of the {len(starts)} best starts "
                           f"(first message: {messages[0] if messages else 'non-finite optimum'})")
    return best


def _bootstrap(theta: np.ndarray, top: np.ndarray, logs: tuple, delta: float, n_boot: int, seed: int) -> np.ndarray:
    """Refit ``n_boot`` resamples of the runs (as multiplicity weights), warm-started from the full-data
    optimum (and, should that fail to converge, the best grid starts); rows (E, A, B, α, β)."""
    rng = np.random.default_rng(seed)
    runs = logs[0].size
    reps = []
    for _ in range(n_boot):
        counts = np.bincount(rng.integers(0, runs, runs), minlength=runs).astype(float)
        args = (*logs, counts, delta)
        try:
            reps.append(_best_fit(theta[None], args))
        except RuntimeError:
            reps.append(_best_fit(top, args))
    return np.array([[p[k] for k in _NAMES] for p in map(_to_params, reps)]).reshape(-1, 5)


@dataclass(frozen=True)
class TwoResourceFit:
    """A fitted :math:`L = E + A N^{-\\alpha} + B D^{-\\beta}` with bootstrap intervals.

    ``params`` maps "E", "A", "B", "alpha", "beta" to estimates; ``intervals`` to (lo, hi)
    percentile intervals at ``level`` over ``n_boot`` bootstrap replicates (empty without);
    ``a``/``b`` are the compute-optimal exponents β/(α+β) and α/(α+β) with ``a_interval``/
    ``b_interval``; ``replicates`` holds the bootstrap parameter vectors (rows E, A, B, α, β);
    ``residuals`` are log L − log L̂ of the runs fitted.
    """

    params: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    a: float
    b: float
    a_interval: tuple[float, float] | None
    b_interval: tuple[float, float] | None
    delta: float
    level: float
    n_boot: int
    n_runs: int
    residuals: np.ndarray = field(repr=False)
    replicates: np.ndarray = field(repr=False)

    def predict(self, n: Any, d: Any) -> np.ndarray:
        """The fitted loss at parameters ``n`` and tokens ``d``."""
        return two_resource_loss(n, d, **self.params)

    def describe(self, digits: int = 3) -> str:
        """``E = 1.82 [1.77, 1.87], α = 0.348 [0.32, 0.37], …`` for text and legends."""
        digits = check_positive_int("digits", digits, maximum=17)
        parts = []
        for name in _NAMES:
            text = f"{'α' if name == 'alpha' else 'β' if name == 'beta' else name} = {self.params[name]:.{digits}g}"
            if name in self.intervals:
                lo, hi = self.intervals[name]
                text += f" [{lo:.{digits}g}, {hi:.{digits}g}]"
            parts.append(text)
        return ", ".join(parts)


def _to_params(theta: np.ndarray) -> dict[str, float]:
    a, b, e, alpha, beta = (float(v) for v in theta)
    return {"E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)), "alpha": alpha, "beta": beta}


def fit_two_resource(n: Any, d: Any, loss: Any, *, delta: float = 1e-3, n_boot: int = 0, level: float = 0.95,
                     n_starts: int = 8, seed: int = 0) -> TwoResourceFit:
    """Fit :math:`L(N, D) = E + A N^{-\\alpha} + B D^{-\\beta}` by Huber loss on log L, L-BFGS from a grid.

    Parameters
    ----------
    n, d, loss : per run, the parameters N, the training tokens D and the final loss (positive, finite,
        same length, at least 6 runs).
    delta : the Huber threshold δ > 0 on log-loss residuals (default 10⁻³, as Hoffmann et al.).
    n_boot : bootstrap replicates over runs for the intervals (0: none).
    level : confidence level of the percentile intervals.
    n_starts : L-BFGS runs from the best-scoring grid starts (the whole :func:`start_grid` is scored).
    seed : seed of the bootstrap.

    Raises ValueError on bad input and RuntimeError when L-BFGS converges from no start.

    Examples
    --------
    >>> import numpy as np
    >>> n, d = np.meshgrid(np.geomspace(1e7, 1e10, 8), np.geomspace(1e9, 1e12, 8))
    >>> loss = 1.7 + 400 * n**-0.34 + 400 * d**-0.28
    >>> fit = fit_two_resource(n.ravel(), d.ravel(), loss.ravel())
    >>> round(fit.params["alpha"], 3), round(fit.params["beta"], 3)
    (0.34, 0.28)
    """
    n = as_float_array("n", n, ndim=1, positive=True)
    d = as_float_array("d", d, ndim=1, positive=True)
    loss = as_float_array("loss", loss, ndim=1, positive=True)
    if not n.size == d.size == loss.size:
        raise ValueError(f"n, d and loss must have one value per run (lengths {n.size}, {d.size}, {loss.size})")
    if n.size < 6:
        raise ValueError(f"need at least 6 runs to fit 5 parameters (got {n.size})")
    delta = check_in_range("delta", delta, low=0, low_open=True)
    n_boot = check_positive_int("n_boot", n_boot, minimum=0)
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    n_starts = check_positive_int("n_starts", n_starts)
    seed = check_seed("seed", seed)
    from threadpoolctl import threadpool_limits

    logn, logd, logl = np.log(n), np.log(d), np.log(loss)
    args = (logn, logd, logl, np.ones(n.size), delta)
    # L-BFGS on 5 parameters calls BLAS on tiny vectors: extra BLAS threads only spin (15x slower measured)
    with threadpool_limits(1, user_api="blas"):
        top = _ranked_starts(start_grid(), args, n_starts)
        theta = _best_fit(top, args)
        replicates = _bootstrap(theta, top, (logn, logd, logl), delta, n_boot, seed)
    params = _to_params(theta)
    residuals = logl - np.log(two_resource_loss(n, d, **params))

    intervals: dict[str, tuple[float, float]] = {}
    a_int = b_int = None
    if n_boot:
        q = [(1 - level) / 2, (1 + level) / 2]
        for k, name in enumerate(_NAMES):
            intervals[name] = tuple(float(v) for v in np.quantile(replicates[:, k], q))
        al, be = replicates[:, 3], replicates[:, 4]
        a_int = tuple(float(v) for v in np.quantile(be / (al + be), q))
        b_int = tuple(float(v) for v in np.quantile(al / (al + be), q))
    alpha, beta = params["alpha"], params["beta"]
    return TwoResourceFit(params=params, intervals=intervals, a=beta / (alpha + beta), b=alpha / (alpha + beta),
                          a_interval=a_int, b_interval=b_int, delta=delta, level=level, n_boot=n_boot,
                          n_runs=int(n.size), residuals=residuals, replicates=replicates)


def compute_optimal(fit: TwoResourceFit | dict[str, float], compute: Any) -> tuple[np.ndarray, np.ndarray]:
    """The compute-optimal :math:`N_{\\rm opt}(C)` and :math:`D_{\\rm opt}(C)` at compute ``C = 6ND``.

    ``fit`` is a :class:`TwoResourceFit` or a dict of the five parameters.
    """
    p = _params("fit", fit)
    compute = as_float_array("compute", compute, positive=True)
    alpha = check_in_range("alpha", p["alpha"], low=0, low_open=True)
    beta = check_in_range("beta", p["beta"], low=0, low_open=True)
    A = check_in_range("A", p["A"], low=0, low_open=True)
    B = check_in_range("B", p["B"], low=0, low_open=True)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        g = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
        n_opt = g * (compute / 6) ** (beta / (alpha + beta))
        d_opt = compute / (6 * n_opt)
    require_finite("the compute-optimal allocation", (n_opt, d_opt), "the parameters or compute put N_opt or "
                   "D_opt beyond the floating-point range")
    return n_opt, d_opt


def _params(name: str, fit: Any) -> dict[str, Any]:
    """The five parameters of a :class:`TwoResourceFit` or of a mapping that names them."""
    if isinstance(fit, TwoResourceFit):
        return dict(fit.params)
    if not isinstance(fit, Mapping):
        raise InputTypeError(f"{name} must be a TwoResourceFit or a dict of {list(_NAMES)} "
                             f"(got {type(fit).__name__})")
    missing = [k for k in _NAMES if k not in fit]
    if missing:
        raise ValueError(f"{name} must give {list(_NAMES)} (missing {missing})")
    return {k: fit[k] for k in _NAMES}


def coverage_replica(n: Any, d: Any, truth: dict[str, float], residuals: Any, *, n_boot: int = 80,
                     level: float = 0.95, delta: float = 1e-3, seed: int = 0) -> dict[str, bool]:
    """One replica of a coverage check at a real design: do the bootstrap intervals cover the truth?

    Draws losses :math:`L_i = L(N_i, D_i; \\text{truth})\\, e^{\\epsilon_i}` with the log errors
    :math:`\\epsilon_i` resampled from ``residuals`` (the fit's own residuals, so the replica has the
    real data's error distribution), fits them with :func:`fit_two_resource` and ``n_boot``
    bootstrap replicates, and reports for E, α, β and the allocation exponent a = β/(α+β) whether
    the ``level`` interval contains the true value. Averaged over seeds this is the coverage.
    """
    n = as_float_array("n", n, ndim=1, positive=True)
    d = as_float_array("d", d, ndim=1, positive=True)
    truth = _params("truth", truth)
    residuals = as_float_array("residuals", residuals, ndim=1)
    if residuals.size == 0:
        raise ValueError("residuals must hold at least one residual to resample")
    n_boot = check_positive_int("n_boot", n_boot)
    seed = check_seed("seed", seed)
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore"):
        noise = np.exp(rng.choice(residuals, size=n.size))
    loss = two_resource_loss(n, d, **truth) * require_finite("exp(residuals)", noise, "residuals are too large")
    fit = fit_two_resource(n, d, loss, delta=delta, n_boot=n_boot, level=level, seed=seed)
    a_true = truth["beta"] / (truth["alpha"] + truth["beta"])
    out = {name: bool(fit.intervals[name][0] <= truth[name] <= fit.intervals[name][1])
           for name in ("E", "alpha", "beta")}
    out["a"] = bool(fit.a_interval[0] <= a_true <= fit.a_interval[1])
    return out
