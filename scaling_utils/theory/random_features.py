r"""Deterministic-equivalent theory of linear random-feature ridge regression (Maloney–Roberts–Sully).

The model
---------
* **Latent data.** :math:`x \in \mathbb R^M`, :math:`x \sim \mathcal N(0, \Lambda)`,
  :math:`\Lambda = \mathrm{diag}(\lambda_1, \dots, \lambda_M)` (``eigenvalues``); the book's
  default is the power law :math:`\lambda_I = \lambda_+ I^{-(1+\alpha)}` (:func:`power_law_spectrum`).
* **Teacher.** :math:`y = \sum_I w_I x_I + \varepsilon` with independent
  :math:`w_I \sim \mathcal N(0, v_I)` (``teacher_variances`` :math:`v_I`; the paper's choice is
  :math:`v_I = \sigma_w^2/M`) and label noise :math:`\varepsilon \sim \mathcal N(0, \sigma^2)`
  (``noise`` :math:`= \sigma^2`, a variance) on the training labels only.
* **Features.** :math:`\varphi = U x \in \mathbb R^N` with :math:`U_{jI} \sim \mathcal N(0, \sigma_u^2/M)`
  (``sigma_u2`` :math:`=\sigma_u^2`).
* **Fit.** :math:`T` samples, rows :math:`\varphi_t`, labels :math:`y_t`;
  :math:`\hat\theta = \arg\min_\theta \sum_t (y_t - \theta^\top\varphi_t)^2 + \gamma|\theta|^2
  = (\Phi^\top\Phi + \gamma I_N)^{-1}\Phi^\top y` (``ridge`` :math:`=\gamma`, on the *sum* of squares).
* **Loss convention.** Everything here returns the population mean squared error against the
  clean teacher, **without** the paper's factor ½:

  .. math:: L = \mathbb E_x\bigl[(\hat\theta^\top U x - w^\top x)^2\bigr] = a^\top\Lambda a,
            \qquad a = U^\top\hat\theta - w,

  averaged over teacher, data, noise and features. The paper's :math:`L = \tfrac12\mathbb E(z-y)^2`
  is half of this; the error on fresh *noisy* labels is ``test_loss(...) + noise``.

The theory
----------
With :math:`\mathrm{Df}_1(\kappa) = \sum_I \lambda_I/(\lambda_I+\kappa)` and
:math:`\mathrm{Df}_2(\kappa) = \sum_I \lambda_I^2/(\lambda_I+\kappa)^2`:

1. The effective ridge :math:`\kappa` is the root on the branch :math:`\mathrm{Df}_1 < \min(N, T)` of

   .. math:: \kappa\,\Bigl(1 - \frac{\mathrm{Df}_1(\kappa)}{T}\Bigr)\Bigl(1 - \frac{\mathrm{Df}_1(\kappa)}{N}\Bigr)
             = \lambda_{\rm eff}, \qquad \lambda_{\rm eff} = \frac{\gamma M}{\sigma_u^2 N T}.

   It is symmetric under :math:`N \leftrightarrow T`. (Two nested Marchenko–Pastur
   renormalizations: the :math:`T` samples renormalize :math:`\lambda_{\rm eff}` to
   :math:`\kappa_1 = \kappa(1-\mathrm{Df}_1/N)`, the :math:`N` random projections renormalize
   :math:`\kappa_1` to :math:`\kappa`.)
2. With :math:`d = (N-\mathrm{Df}_1)/(N-\mathrm{Df}_2)` and
   :math:`g = [\mathrm{Df}_1 - d(\mathrm{Df}_1-\mathrm{Df}_2)]/T`,

   .. math:: L = \frac{\kappa\sum_I v_I\frac{\lambda_I}{\lambda_I+\kappa}
             - d\,\kappa\sum_I v_I\frac{\lambda_I^2}{(\lambda_I+\kappa)^2} + \sigma^2 g}{1-g}.

   The numerator's first two terms are the error of the *infinite-data* ridge fit on the
   :math:`N` features at ridge :math:`\kappa_1` (:math:`d` is the derivative correction of its
   second-order deterministic equivalent); :math:`g` is the feature-space
   :math:`\mathrm{tr}[\Sigma_F^2(\Sigma_F+\kappa_1)^{-2}]/T`. For :math:`v_I = \bar w^2` this equals
   the form :math:`\tfrac{1}{1-g}[d\kappa^2\bar w^2\sum\lambda/(\lambda+\kappa)^2
   + (1-d)\kappa\bar w^2\sum\lambda/(\lambda+\kappa)]` (times ½ in the paper's convention).
   The normalizations are **our reconstruction** of the paper's result; the tests check it
   against direct simulation.
3. Ridgeless (:math:`\gamma\to0`, :math:`n = \min(N,T) < M`): :math:`\mathrm{Df}_1(\kappa_0) = n`, and
   for a uniform teacher :math:`v_I = \bar w^2`, noiseless,

   .. math:: L = \bar w^2\,\kappa_0\,\frac{n}{1 - n/\max(N,T)},

   exactly symmetric in :math:`N\leftrightarrow T`, with a pole at :math:`N = T`. For
   :math:`\min(N,T) \ge M` the fit is exact: :math:`\kappa_0 = 0` and only the noise term remains.
4. Power law :math:`\lambda_I = \lambda_+ I^{-(1+\alpha)}`, :math:`1 \ll n \ll M`:
   :math:`\kappa_0 \simeq \lambda_+ (c_\alpha/n)^{1+\alpha}`,
   :math:`c_\alpha = \frac{\pi/(1+\alpha)}{\sin(\pi/(1+\alpha))}`, so
   :math:`L \simeq \bar w^2\lambda_+ c_\alpha^{1+\alpha}\, n^{-\alpha}/(1 - n/\max(N,T))`.

Every function broadcasts over arrays of ``n_features``, ``n_samples`` and ``ridge``. The
spectral sums (:math:`\mathrm{Df}_{1,2}`, the teacher-weighted sums) come from one
:class:`~scaling_utils.theory.spectral_sums.SpectralSums` per call: exact at a lattice of
:math:`\log\kappa` panel edges, which brackets every grid point's root to one panel, and a
Chebyshev interpolant (relative accuracy ~1e-14) inside the panels the grid needs, on which the
:math:`\kappa` equations are solved for the whole grid at once
(:func:`scaling_utils.theory.roots.solve_bracketed`). A grid costs a few hundred passes over the
spectrum whatever its size. Nothing here draws random numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_budget, check_in_range, check_positive_int, require_finite
from .spectral_sums import SpectralSums, _df_pair, _gap, exact_sums, solve_monotone

__all__ = [
    "OptimalRidge",
    "c_alpha",
    "degrees_of_freedom",
    "finite_size_allowance",
    "kappa_asymptotic",
    "optimal_ridge",
    "power_law_spectrum",
    "ridgeless_kappa",
    "ridgeless_loss",
    "ridgeless_loss_asymptotic",
    "solve_kappa",
    "test_loss",
]

def power_law_spectrum(M: int, alpha: float, lambda_plus: float = 1.0) -> np.ndarray:
    r"""Latent eigenvalues :math:`\lambda_I = \lambda_+ I^{-(1+\alpha)}`, :math:`I = 1, \dots, M`.

    Example
    -------
    >>> power_law_spectrum(3, 1.0)
    array([1.        , 0.25      , 0.11111111])
    """
    M = check_positive_int("M", M)
    alpha = check_in_range("alpha", alpha, low=0, low_open=True)
    lambda_plus = check_in_range("lambda_plus", lambda_plus, low=0, low_open=True)
    check_budget("power_law_spectrum", nbytes=16.0 * M)
    with np.errstate(under="ignore"):
        lam = lambda_plus * np.arange(1, M + 1, dtype=float) ** (-(1.0 + alpha))
    if not lam[-1] > 0:
        raise ValueError(f"alpha={alpha:g}, lambda_plus={lambda_plus:g} and M={M}: the smallest eigenvalue "
                         "underflows to 0 (lower alpha or M)")
    return lam


def c_alpha(alpha: float) -> float:
    r""":math:`c_\alpha = \frac{\pi/(1+\alpha)}{\sin(\pi/(1+\alpha))}`.

    The constant in :math:`\mathrm{Df}_1(\kappa) \simeq c_\alpha (\lambda_+/\kappa)^{1/(1+\alpha)}`
    for a power-law spectrum and :math:`\lambda_M \ll \kappa \ll \lambda_+`.
    """
    alpha = check_in_range("alpha", alpha, low=0, low_open=True)
    s = np.pi / (1.0 + alpha)
    return float(s / np.sin(s))


# --------------------------------------------------------------------------------------------
# input checks


def _eigenvalues(eigenvalues: Any) -> np.ndarray:
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    if lam.size == 0:
        raise ValueError("eigenvalues must be non-empty")
    return lam


def _teacher(teacher_variances: Any, M: int) -> np.ndarray:
    v = as_float_array("teacher_variances", teacher_variances, ndim=(0, 1), nonnegative=True)
    if v.ndim == 1 and v.size != M:
        raise ValueError(f"teacher_variances must be a scalar or have one entry per eigenvalue "
                         f"({M}), got {v.size}")
    v = np.broadcast_to(v, (M,)).astype(float)
    with np.errstate(over="ignore"):
        require_finite("the teacher's total variance", np.sum(v), "teacher_variances are too large (overflow)")
    return v


def _sizes(name: str, value: Any) -> np.ndarray:
    return as_float_array(name, value, positive=True)


# --------------------------------------------------------------------------------------------
# building blocks


def degrees_of_freedom(eigenvalues: Any, kappa: Any) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`\mathrm{Df}_1(\kappa) = \sum_I \frac{\lambda_I}{\lambda_I+\kappa}` and
    :math:`\mathrm{Df}_2(\kappa) = \sum_I \frac{\lambda_I^2}{(\lambda_I+\kappa)^2}`, broadcast over ``kappa`` ≥ 0.

    Evaluated directly (one pass over the eigenvalues per κ).

    Example
    -------
    >>> degrees_of_freedom([1.0, 1.0], 1.0)
    (array(1.), array(0.5))
    """
    lam = _eigenvalues(eigenvalues)
    kappa = as_float_array("kappa", kappa, nonnegative=True)
    sums = exact_sums(lam, np.ones((1, lam.size)), kappa.ravel())
    return sums[:, 0, 0].reshape(kappa.shape), sums[:, 1, 0].reshape(kappa.shape)


def ridgeless_kappa(eigenvalues: Any, n: Any) -> np.ndarray:
    r"""Ridgeless effective ridge :math:`\kappa_0`: the root of :math:`\mathrm{Df}_1(\kappa_0) = n`.

    ``n`` is :math:`\min(N, T)` (any positive real, broadcast); :math:`\kappa_0 = 0` where ``n`` ≥ M.

    Example
    -------
    >>> round(float(ridgeless_kappa([1.0, 1.0], 1.0)), 12)
    1.0
    """
    lam = _eigenvalues(eigenvalues)
    n = _sizes("n", n).astype(float)
    return solve_kappa(lam, n, n, 0.0)


def _solve(lam: np.ndarray, weights: np.ndarray, N: np.ndarray, T: np.ndarray, gamma: np.ndarray,
           sigma_u2: float) -> tuple[np.ndarray, np.ndarray]:
    """κ and the spectral sums at κ (``weights`` row 0 must be all ones) for flat N, T, γ.

    Two monotone solves on one :class:`SpectralSums`: the ridgeless :math:`\\kappa_0`
    (Df1 = min(N, T), decreasing in κ) and then the κ equation on κ ≥ κ0, whose left side
    rises from 0 to ∞ (module docstring).
    """
    M = lam.size
    n = np.minimum(N, T)
    lam_eff = gamma * M / (sigma_u2 * N * T)
    below = n < M                                        # κ0 > 0 only here
    lo0 = 0.5 * lam.min() * (M - n) / n                  # Df1(lo0) >= 2nM/(n+M) > n
    hi0 = 2.0 * lam.sum() / n                            # Df1(hi0) <= n/2 < n
    hi = 2.0 * np.maximum(2.0 * lam.sum() / n, 4.0 * lam_eff)
    needed = np.concatenate([lo0[below], hi0[below], lam_eff[lam_eff > 0], hi[lam_eff > 0]])
    kappa = np.zeros(n.shape)
    if needed.size == 0:                                 # ridgeless everywhere and n >= M: exact fit
        return kappa, exact_sums(lam, weights, kappa)
    if not (np.all(np.isfinite(needed)) and needed.min() > 0):
        raise ValueError("eigenvalues, n_features, n_samples, ridge and sigma_u2 put the effective ridge κ outside "
                         "the floating-point range (some are too large or too small)")
    sums = SpectralSums(lam, weights, needed.min(), needed.max())
    panels = np.full(n.shape, -1)

    i = np.flatnonzero(below)
    if i.size:                                           # κ0 depends on n = min(N, T) only
        n_uniq, back = np.unique(n[i], return_inverse=True)
        first = i[np.unique(back, return_index=True)[1]]

        def ridgeless(k, df, sel):
            return -_gap(n_uniq[sel], df, M)                 # Df1 − n
        k0, p0 = solve_monotone(ridgeless, sums, lo0[first], hi0[first], sign_lo=1.0)
        kappa[i], panels[i] = k0[back], p0[back]

    j = np.flatnonzero(lam_eff > 0)
    if j.size:
        def ridge(k, df, sel):
            Tj, Nj = T[j[sel]], N[j[sel]]
            return k * (_gap(Tj, df, M) / Tj) * (_gap(Nj, df, M) / Nj) - lam_eff[j[sel]]
        lo = np.maximum(kappa[j], lam_eff[j])              # ridge(lo) <= 0 on the branch κ >= κ0
        kappa[j], panels[j] = solve_monotone(ridge, sums, lo, np.maximum(hi[j], lo), sign_lo=-1.0)
    return kappa, sums(kappa, panels)


def solve_kappa(eigenvalues: Any, n_features: Any, n_samples: Any, ridge: Any, *,
                sigma_u2: float = 1.0) -> np.ndarray:
    r"""The effective ridge :math:`\kappa(N, T, \gamma)` of linear random-feature ridge regression.

    Solves :math:`\kappa(1-\mathrm{Df}_1/T)(1-\mathrm{Df}_1/N) = \gamma M/(\sigma_u^2 N T)` on the
    branch :math:`\kappa \ge \kappa_0` (:math:`\kappa_0` = :func:`ridgeless_kappa` of
    :math:`\min(N,T)`), where the left side increases from :math:`0` to :math:`\infty`; ridge 0
    gives :math:`\kappa_0`. The whole grid is solved at once on a
    :class:`~scaling_utils.theory.spectral_sums.SpectralSums` interpolant of :math:`\mathrm{Df}_1`
    (relative accuracy ~1e-13).

    Parameters
    ----------
    eigenvalues : (M,) latent eigenvalues λ_I > 0.
    n_features, n_samples : N > 0 and T > 0 (broadcast; reals allowed for smooth curves).
    ridge : γ ≥ 0 (broadcast).
    sigma_u2 : feature-weight variance scale σ_u² > 0 (U_jI ~ N(0, σ_u²/M)).

    Returns
    -------
    κ with the broadcast shape of ``n_features``, ``n_samples``, ``ridge``.

    Example
    -------
    >>> lam = power_law_spectrum(1000, 1.0)
    >>> k = solve_kappa(lam, [100, 200], 200, 0.0)
    >>> bool(np.isclose(degrees_of_freedom(lam, k[0])[0], 100.0))
    True
    """
    lam = _eigenvalues(eigenvalues)
    N, T, gamma, shape = _grid(n_features, n_samples, ridge)
    sigma_u2 = check_in_range("sigma_u2", sigma_u2, low=0, low_open=True)
    return _solve(lam, np.ones((1, lam.size)), N, T, gamma, sigma_u2)[0].reshape(shape)


def _grid(n_features: Any, n_samples: Any, ridge: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    N, T = _sizes("n_features", n_features), _sizes("n_samples", n_samples)
    gamma = as_float_array("ridge", ridge, nonnegative=True)
    N, T, gamma = np.broadcast_arrays(N, T, gamma)
    return N.ravel().astype(float), T.ravel().astype(float), gamma.ravel().astype(float), N.shape


def _loss_from_sums(N, T, kappa, sums, noise, ridgeless, M):
    """The loss formula of the module docstring from the spectral sums at κ (flat arrays).

    ``sums[:, :, 0]`` are Df1, Df2, Df1 − Df2, Σ(1 − r)²; ``sums[:, :, 1]`` the same sums
    weighted by the teacher variances (a1, a2, a1 − a2, …). Differences enter directly — Df1 − Df2,
    and N − Df1, T − Df1 through :func:`~scaling_utils.theory.spectral_sums.gap` — so nothing
    cancels, also where N or T is near M. On the ridgeless branch with min(N, T) < M,
    Df1 = min(N, T) holds exactly; it is imposed so that the pole at N = T is an exact ``inf``
    rather than a large number from rounding.
    """
    df = _df_pair(sums)                                   # Df1 and its complement Σ(1 − r)
    dd, a2, ad = sums[:, 2, 0], sums[:, 1, 1], sums[:, 2, 1]
    n = np.minimum(N, T)
    exact = ridgeless & (n < M)
    df1 = np.where(exact, n, df[:, 0])
    gap_n = np.where(exact, N - n, _gap(N, df, M))        # N − Df1
    gap_t = np.where(exact, T - n, _gap(T, df, M))        # T − Df1
    with np.errstate(divide="ignore", invalid="ignore"):
        den = gap_n + dd                                  # N − Df2
        ok = den > 0
        d = np.where(ok, gap_n / np.where(ok, den, 1.0), 1.0)
        one_minus_d = np.where(ok, dd / np.where(ok, den, 1.0), 0.0)
        g = (df1 - d * dd) / T
        one_minus_g = (gap_t + d * dd) / T
        num = kappa * (ad + one_minus_d * a2) + noise * g
        # 1 − g = 0: the ridgeless pole N = T < M (num > 0: inf), or an exact fit — κ = 0 with
        # min(N, T) = M (T = M samples pin the M latent directions) — whose noiseless loss is 0, not 0/0
        loss = np.where(one_minus_g > 0, num / np.where(one_minus_g > 0, one_minus_g, 1.0),
                        np.where(num == 0, 0.0, np.inf))
    if np.any(~np.isfinite(loss) & (one_minus_g > 0)):
        raise ValueError("teacher_variances and noise are too large: the loss overflows")
    return loss


def test_loss(eigenvalues: Any, teacher_variances: Any, n_features: Any, n_samples: Any, ridge: Any, *,
              sigma_u2: float = 1.0, noise: float = 0.0) -> np.ndarray:
    r"""Expected population test loss of linear random-feature ridge regression (no factor ½).

    :math:`L = \bigl[\kappa\sum_I v_I\frac{\lambda_I}{\lambda_I+\kappa} - d\,\kappa\sum_I v_I
    \frac{\lambda_I^2}{(\lambda_I+\kappa)^2} + \sigma^2 g\bigr]/(1-g)` with κ from
    :func:`solve_kappa` (see the module docstring for d, g and the conventions). It is the error
    against the clean teacher, averaged over teacher, data, label noise and features;
    ``inf`` at the ridgeless pole :math:`N = T < M`. The sums come from one
    :class:`~scaling_utils.theory.spectral_sums.SpectralSums` for the whole grid, so a grid of
    any size costs a few hundred passes over the spectrum.

    Parameters
    ----------
    eigenvalues : (M,) latent eigenvalues.
    teacher_variances : scalar or (M,) variances v_I ≥ 0 of the teacher weights.
    n_features, n_samples, ridge : N > 0, T > 0, γ ≥ 0, broadcast against each other.
    sigma_u2 : σ_u² > 0.
    noise : label-noise variance σ² ≥ 0 on the training labels.

    Example
    -------
    >>> lam = power_law_spectrum(500, 1.0)
    >>> L = test_loss(lam, 1 / 500, [50, 100], 400, 1e-3)
    >>> bool(L[1] < L[0])
    True
    """
    lam = _eigenvalues(eigenvalues)
    v = _teacher(teacher_variances, lam.size)
    N, T, gamma, shape = _grid(n_features, n_samples, ridge)
    sigma_u2 = check_in_range("sigma_u2", sigma_u2, low=0, low_open=True)
    noise = check_in_range("noise", noise, low=0)
    kappa, sums = _solve(lam, np.stack([np.ones(lam.size), v]), N, T, gamma, sigma_u2)
    return _loss_from_sums(N, T, kappa, sums, noise, gamma == 0, lam.size).reshape(shape)


test_loss.__test__ = False  # a formula, not a pytest test, even when imported into a test module


def ridgeless_loss(eigenvalues: Any, teacher_variances: Any, n_features: Any, n_samples: Any, *,
                   noise: float = 0.0) -> np.ndarray:
    r"""The :math:`\gamma \to 0` limit of :func:`test_loss` (minimum-norm least squares).

    For a uniform teacher :math:`v_I = \bar w^2`, noiseless, and :math:`n = \min(N,T) < M` this is
    the closed form :math:`L = \bar w^2\kappa_0\, n/(1 - n/\max(N,T))` with
    :math:`\mathrm{Df}_1(\kappa_0) = n` — symmetric in :math:`N \leftrightarrow T`, with a pole
    (``inf``) at :math:`N = T`. For :math:`\min(N,T) \ge M` the noiseless loss is 0.

    Example
    -------
    >>> lam = power_law_spectrum(400, 1.0)
    >>> a, b = ridgeless_loss(lam, 1 / 400, [200, 600], [600, 200])
    >>> bool(np.isclose(a, b))
    True
    """
    return test_loss(eigenvalues, teacher_variances, n_features, n_samples, 0.0, noise=noise)


def finite_size_allowance(n_features: Any, n_samples: Any, M: int) -> np.ndarray:
    r"""Relative size of the leading finite-size corrections to :func:`test_loss` at (N, T), latent size M.

    The deterministic equivalent is exact as N, T, M → ∞ together; a simulation at finite size
    differs from it by corrections whose leading terms are

    * :math:`1/n`, :math:`n = \min(N, T, M)`: the loss is built from normalized traces of
      resolvents of :math:`n`-dimensional random matrices, whose deterministic equivalents have
      relative errors of order :math:`1/n` (taken here with coefficient 1);
    * :math:`1/(\Delta - 1)` near an interpolation threshold, :math:`\Delta` samples or features
      away from it, where the variance factor :math:`1/(1 - g)` is the mean of an inverse Wishart
      matrix. For least squares with P parameters and D Gaussian samples the exact mean excess
      loss is :math:`\sigma^2 P/(D - P - 1)` and its deterministic equivalent
      :math:`\sigma^2 P/(D - P)`: their ratio is :math:`1 + 1/(\Delta - 1)`, :math:`\Delta = D - P`.
      The ridgeless fit has its threshold at :math:`N = T` when N < M (:math:`\Delta = |N - T|`),
      and at :math:`T = M` when N ≥ M, where the fit in latent space is least squares on M
      coordinates (:math:`\Delta = |T - M|`).

    The allowance is their sum, :math:`1/n + 1/\max(\Delta - 1, 1)`. A ridge removes the
    threshold, so for γ > 0 it is an upper bound.

    Example
    -------
    >>> finite_size_allowance([50, 800], [1600, 450], 400).round(4)
    array([0.0206, 0.0229])
    """
    N, T = _sizes("n_features", n_features), _sizes("n_samples", n_samples)
    for name, value in (("n_features", N), ("n_samples", T)):
        if np.any(value < 1):
            raise ValueError(f"{name} must be >= 1 (smallest value {value.min():.4g})")
    try:
        N, T = np.broadcast_arrays(N, T)
    except ValueError as exc:
        raise ValueError(f"n_features and n_samples must broadcast together (shapes {N.shape} and {T.shape})") from exc
    M = check_positive_int("M", M)
    n = np.minimum(np.minimum(N, T), M)
    delta = np.where(N >= M, np.abs(T - M), np.abs(N - T))
    return 1.0 / n + 1.0 / np.maximum(delta - 1.0, 1.0)


def kappa_asymptotic(alpha: float, n: Any, lambda_plus: float = 1.0) -> np.ndarray:
    r"""Power-law asymptote :math:`\kappa_0 \simeq \lambda_+ (c_\alpha/n)^{1+\alpha}` for :math:`1 \ll n \ll M`."""
    return _kappa_asymptotic(alpha, n, lambda_plus, "n")


def _kappa_asymptotic(alpha: float, n: Any, lambda_plus: float, what: str) -> np.ndarray:
    """:func:`kappa_asymptotic`, its overflow blamed on the parameter(s) ``what`` that give n."""
    ca = c_alpha(alpha)
    lambda_plus = check_in_range("lambda_plus", lambda_plus, low=0, low_open=True)
    n = _sizes("n", n)
    with np.errstate(over="ignore"):
        kappa = lambda_plus * (ca / n) ** (1.0 + alpha)
    return require_finite("the asymptote", kappa, f"{what} is so small that (c_alpha/n)^(1+alpha) overflows (the "
                          "asymptote holds for n >> 1)")


def ridgeless_loss_asymptotic(alpha: float, teacher_variance: float, n_features: Any, n_samples: Any,
                              lambda_plus: float = 1.0) -> np.ndarray:
    r"""Power-law asymptote of the ridgeless loss for a uniform teacher :math:`v_I = \bar w^2`:

    :math:`L \simeq \bar w^2 \lambda_+ c_\alpha^{1+\alpha}\, n^{-\alpha} / (1 - n/m)`,
    :math:`n = \min(N,T) \ll M`, :math:`m = \max(N,T)`. The exponent in N (at T = ∞) and in
    T (at N = ∞) is α.
    """
    wbar2 = check_in_range("teacher_variance", teacher_variance, low=0)
    N, T = np.broadcast_arrays(_sizes("n_features", n_features), _sizes("n_samples", n_samples))
    n, m = np.minimum(N, T), np.maximum(N, T)
    kappa = _kappa_asymptotic(alpha, n, lambda_plus, "n = min(n_features, n_samples)")
    with np.errstate(divide="ignore"):
        return np.where(n < m, wbar2 * kappa * n / (1 - n / m), np.inf)


class OptimalRidge:
    """Result of :func:`optimal_ridge`: ``ridge`` (γ*), ``loss`` (L at γ*), ``at_edge`` (γ* at a grid end)."""

    def __init__(self, ridge: np.ndarray, loss: np.ndarray, at_edge: np.ndarray):
        self.ridge, self.loss, self.at_edge = ridge, loss, at_edge

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"OptimalRidge(ridge={self.ridge!r}, loss={self.loss!r})"


def optimal_ridge(eigenvalues: Any, teacher_variances: Any, n_features: Any, n_samples: Any,
                  ridges: Any = None, *, sigma_u2: float = 1.0, noise: float = 0.0) -> OptimalRidge:
    r"""The ridge minimizing :func:`test_loss` at each (N, T), and the minimal loss.

    A log-spaced grid search over ``ridges`` (default :math:`10^{-8}\ldots10^{4}`, 97 points,
    plus γ = 0), refined by a parabola through the three grid points around the minimum in
    :math:`\log\gamma` (kept only if it lowers the loss). ``at_edge`` flags minima at the
    largest grid ridge or at γ = 0 / the smallest positive ridge (then widen the grid).

    Example
    -------
    >>> lam = power_law_spectrum(500, 1.0)
    >>> opt = optimal_ridge(lam, 1 / 500, 100, 100)
    >>> bool(np.isfinite(opt.loss) and opt.ridge > 0)
    True
    """
    lam = _eigenvalues(eigenvalues)
    if ridges is None:
        ridges = np.concatenate([[0.0], np.logspace(-8, 4, 97)])
    ridges = np.sort(as_float_array("ridges", ridges, ndim=1, nonnegative=True))
    if ridges.size < 3 or np.count_nonzero(ridges > 0) < 2:
        raise ValueError("ridges must contain at least 3 values, 2 of them > 0")
    N, T = np.broadcast_arrays(_sizes("n_features", n_features), _sizes("n_samples", n_samples))
    shape = N.shape
    N, T = N.ravel(), T.ravel()
    L = test_loss(lam, teacher_variances, N[:, None], T[:, None], ridges, sigma_u2=sigma_u2, noise=noise)
    k = np.argmin(L, axis=-1)
    best_r = ridges[k]
    best_L = np.take_along_axis(L, k[..., None], axis=-1)[..., 0]
    at_edge = (k == ridges.size - 1) | (ridges[k] == 0) | (k == np.argmax(ridges > 0))
    inner = ~at_edge
    if np.any(inner):
        kk = k[inner]
        x = np.log(np.stack([ridges[kk - 1], ridges[kk], ridges[kk + 1]], axis=-1))
        Li = L[inner]
        y = np.log(np.stack([np.take_along_axis(Li, (kk + o)[:, None], 1)[:, 0] for o in (-1, 0, 1)], -1))
        den = (x[:, 0] - x[:, 1]) * (x[:, 0] - x[:, 2]) * (x[:, 1] - x[:, 2])
        a = (x[:, 2] * (y[:, 1] - y[:, 0]) + x[:, 1] * (y[:, 0] - y[:, 2]) + x[:, 0] * (y[:, 2] - y[:, 1])) / den
        b = (x[:, 2]**2 * (y[:, 0] - y[:, 1]) + x[:, 1]**2 * (y[:, 2] - y[:, 0])
             + x[:, 0]**2 * (y[:, 1] - y[:, 2])) / den
        xv = np.where(a > 0, -b / (2 * np.where(a > 0, a, 1.0)), x[:, 1])
        xv = np.clip(xv, x[:, 0], x[:, 2])
        rv = np.exp(xv)
        Lv = test_loss(lam, teacher_variances, N[inner], T[inner], rv, sigma_u2=sigma_u2, noise=noise)
        better = Lv < best_L[inner]
        br, bl = best_r[inner], best_L[inner]
        br[better], bl[better] = rv[better], Lv[better]
        best_r[inner], best_L[inner] = br, bl
    return OptimalRidge(best_r.reshape(shape), best_L.reshape(shape), at_edge.reshape(shape))
