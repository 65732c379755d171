r"""Simulating the solvable model of Maloney, Roberts and Sully: random-feature ridge regression.

The model is the one of :mod:`scaling_utils.theory.random_features` (read its docstring for the
normalizations): latent :math:`x \sim \mathcal N(0, \mathrm{diag}\,\lambda)` in
:math:`\mathbb R^M`, teacher :math:`y = w^\top x + \varepsilon`, :math:`w_I \sim \mathcal N(0, v_I)`,
:math:`\varepsilon \sim \mathcal N(0, \sigma^2)`, features :math:`\varphi = \sigma(Ux)` with
:math:`U_{jI} \sim \mathcal N(0, \sigma_u^2/M)` and activation σ ∈ ``ACTIVATIONS``, ridge
:math:`\hat\theta = (\Phi^\top\Phi + \gamma)^{-1}\Phi^\top y` (minimum-norm least squares at γ = 0).
The loss is the population MSE against the clean teacher, without the paper's ½.

How the losses are computed, with no test-sampling noise where the model allows:

* **linear** features: :math:`L = a^\top\Lambda a`, :math:`a = U^\top\hat\theta - w` (exact);
* **relu** and **erf**: :math:`L = \hat\theta^\top K\hat\theta - 2\hat\theta^\top b + w^\top\Lambda w`
  with the exact feature second moment :math:`K_{jk} = \mathbb E[\varphi_j\varphi_k]` (arc-cosine
  kernel of Cho & Saul for ReLU, arcsine kernel for erf, both in the Λ-metric
  :math:`\Sigma_{jk} = u_j^\top\Lambda u_k`) and, by Stein's lemma,
  :math:`b_j = \mathbb E[\varphi_j y] = \mathbb E[\sigma'(z_j)]\,u_j^\top\Lambda w`;
* **tanh**: the same with :math:`K` estimated on ``n_test`` fresh samples (a large fixed test
  set) and :math:`\mathbb E[\tanh'(z_j)]` by Gauss–Hermite quadrature.

Reuse. Per seed one draw of data, features and teacher serves every (N, T, γ): feature sets are
nested (the first N rows of U), training sets are prefixes (the first T samples). Per
(seed, N) one kernel matrix :math:`\Phi\Phi^\top` serves all T ≤ N (its leading blocks), and a
Gram matrix :math:`\Phi^\top\Phi` accumulated block by block serves all T > N. With a ridge
γ > 0, one Cholesky factor per (seed, N, γ) solves every T ≤ N and one per (seed, N, T, γ) each
T > N; the ridgeless pseudo-inverse takes one eigendecomposition per (seed, N, T)
(:func:`_ridge_thetas`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..theory.random_features import power_law_spectrum
from ..validation import (
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
    require_finite,
)
from . import backend as _backend

__all__ = [
    "ACTIVATIONS",
    "LATENT_LAWS",
    "POOL_ACTIVATIONS",
    "FeatureEigensystem",
    "activation",
    "draw_losses",
    "feature_eigensystem",
    "feature_moments",
    "feature_spectrum",
    "latent_coordinates",
    "power_law_spectrum",
    "simulate_losses",
]

ACTIVATIONS = ("linear", "relu", "erf", "tanh")
_RCOND = 1e-11  # relative cut on kernel/Gram eigenvalues for the minimum-norm solution


def activation(name: str):
    """The elementwise activation ``name`` ∈ ``ACTIVATIONS`` as a numpy function."""
    check_choice("activation", name, ACTIVATIONS)
    if name == "linear":
        return lambda z: z
    if name == "relu":
        return lambda z: np.maximum(z, 0.0)
    if name == "erf":
        from scipy.special import erf
        return erf
    return np.tanh


# --------------------------------------------------------------------------------------------
# exact feature moments


def _mean_derivative(name: str, s2: np.ndarray) -> np.ndarray:
    r""":math:`\mathbb E[\sigma'(z)]` for :math:`z \sim \mathcal N(0, s^2)`."""
    if name == "linear":
        return np.ones_like(s2)
    if name == "relu":
        return np.full_like(s2, 0.5)
    if name == "erf":
        return 2.0 / np.sqrt(np.pi) / np.sqrt(1.0 + 2.0 * s2)
    z, wts = np.polynomial.hermite_e.hermegauss(80)       # ∫ f(z) e^{-z²/2} dz, tanh
    wts = wts / np.sqrt(2 * np.pi)
    return (wts * (1.0 - np.tanh(np.sqrt(s2)[:, None] * z) ** 2)).sum(axis=1)


def _second_moment(name: str, sigma: np.ndarray) -> np.ndarray:
    r"""Exact :math:`\mathbb E[\sigma(z_j)\sigma(z_k)]` for :math:`z \sim \mathcal N(0, \Sigma)`."""
    d = np.sqrt(np.diag(sigma))
    if name == "linear":
        return sigma.copy()
    if name == "relu":
        cos = np.clip(sigma / np.outer(d, d), -1.0, 1.0)
        theta = np.arccos(cos)
        return np.outer(d, d) * (np.sin(theta) + (np.pi - theta) * cos) / (2 * np.pi)
    if name == "erf":
        s = np.sqrt(1.0 + 2.0 * d**2)
        return 2.0 / np.pi * np.arcsin(np.clip(2.0 * sigma / np.outer(s, s), -1.0, 1.0))
    raise ValueError(f"no closed-form second moment for activation {name!r}")


def feature_moments(eigenvalues: Any, u: Any, w: Any, name: str, *, n_test: int = 20000,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    r"""Population moments :math:`K = \mathbb E[\varphi\varphi^\top]`, :math:`b = \mathbb E[\varphi\, w^\top x]`,
    :math:`c = w^\top\Lambda w` of features :math:`\varphi = \sigma(Ux)`, :math:`x \sim \mathcal N(0, \Lambda)`.

    Exact for ``linear``, ``relu``, ``erf``; for ``tanh`` K is estimated on ``n_test`` samples
    (generator ``seed``) and b by quadrature. The population loss of coefficients θ is then
    :math:`\theta^\top K\theta - 2\theta^\top b + c`.

    Example
    -------
    >>> lam = np.array([1.0, 0.5]); u = np.eye(2); w = np.array([1.0, 1.0])
    >>> K, b, c = feature_moments(lam, u, w, "linear")
    >>> np.allclose(K, np.diag(lam)), np.allclose(b, lam), c
    (True, True, 1.5)
    """
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    u = as_float_array("u", u, ndim=2)
    w = as_float_array("w", w, ndim=1)
    if lam.size == 0:
        raise ValueError("eigenvalues must be non-empty")
    if u.shape[1] != lam.size or w.size != lam.size:
        raise ValueError(f"u must have {lam.size} columns and w {lam.size} entries, one per entry of eigenvalues "
                         f"(got u {u.shape}, w {w.shape})")
    check_choice("activation", name, ACTIVATIONS)
    n_test = check_positive_int("n_test", n_test, minimum=2)
    seed = check_seed("seed", seed)
    n_feat, M = u.shape
    check_budget("feature_moments", nbytes=8.0 * (3 * n_feat * M + 3 * n_feat**2 + 4096.0 * (M + n_feat)),
                 work=2.0 * n_feat**2 * M + (2.0 * n_test * (M * n_feat + n_feat**2) if name == "tanh" else 0.0),
                 iterations=n_test / 4096 if name == "tanh" else 0)
    ul = u * lam
    sigma = ul @ u.T
    b = _mean_derivative(name, np.diag(sigma).copy()) * (ul @ w)
    if name == "tanh":
        rng = np.random.default_rng(seed)
        K = np.zeros_like(sigma)
        for start in range(0, n_test, 4096):
            m = min(4096, n_test - start)
            phi = np.tanh((rng.standard_normal((m, lam.size)) * np.sqrt(lam)) @ u.T)
            K += phi.T @ phi
        K /= n_test
    else:
        K = _second_moment(name, sigma)
    return K, b, float(w @ (lam * w))


def feature_spectrum(eigenvalues: Any, n_features: int, name: str, *, sigma_u2: float = 1.0,
                     seed: int = 0, n_test: int = 20000, center: bool = False) -> np.ndarray:
    r"""Eigenvalues (descending) of the feature second moment :math:`\mathbb E[\varphi\varphi^\top]`.

    Scaled by :math:`M/(N\sigma_u^2)`, the units in which linear features reproduce the latent
    spectrum: for σ = identity, :math:`\mathbb E[\varphi\varphi^\top] = U\Lambda U^\top`, whose
    non-zero eigenvalues are those of :math:`\Lambda^{1/2}U^\top U\Lambda^{1/2}` and
    :math:`U^\top U \to (N\sigma_u^2/M)\, I_M` for :math:`N \gg M`; so linear features have rank
    ≤ M and eigenvalues → λ_I. ``center`` subtracts the mean feature (removes the constant mode
    of ReLU features). Exact given U except for ``tanh`` (``n_test`` samples).

    Example
    -------
    >>> ev = feature_spectrum(power_law_spectrum(20, 1.0), 40, "linear")
    >>> ev.shape, bool(ev[25] < 1e-12 * ev[0])
    ((40,), True)
    """
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    if lam.size == 0:
        raise ValueError("eigenvalues must be non-empty")
    n_features = check_positive_int("n_features", n_features)
    sigma_u2 = check_in_range("sigma_u2", sigma_u2, low=0, low_open=True)
    check_choice("activation", name, ACTIVATIONS)
    seed = check_seed("seed", seed)
    check_choice("center", center, [True, False])
    check_budget("feature_spectrum", nbytes=8.0 * (3 * n_features * lam.size + 4 * n_features**2),
                 work=10.0 * n_features**3 + 2.0 * n_features**2 * lam.size)
    rng = np.random.default_rng(seed)
    u = rng.standard_normal((n_features, lam.size)) * np.sqrt(sigma_u2 / lam.size)
    with _backend.blas_threads(np, n_features):      # thread-independent numbers for small problems
        K, _, _ = feature_moments(lam, u, np.zeros(lam.size), name, n_test=n_test, seed=(seed + 1) % 2**63)
        if center:
            mean = _feature_mean(name, np.einsum("jm,m,jm->j", u, lam, u))
            K = K - np.outer(mean, mean)
        with np.errstate(over="ignore", invalid="ignore"):
            spectrum = np.linalg.eigvalsh(K)[::-1] * lam.size / (n_features * sigma_u2) \
                if np.all(np.isfinite(K)) else np.array([np.inf])
        return require_finite("the spectrum", spectrum, "eigenvalues and sigma_u2 are too large (overflow)")


def _feature_mean(name: str, s2: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.sqrt(s2 / (2 * np.pi))
    return np.zeros_like(s2)  # odd activations


# --------------------------------------------------------------------------------------------
# ridge fits reusing factorizations


def _filters(xp: Any, e: Any, ridges: Any) -> Any:
    """(R, r) spectral filters 1/(e + γ); for γ = 0, zero on numerically null directions.

    The cut applies to the ridgeless (pseudo-inverse) solution only: with γ > 0 every direction
    has a finite filter, and dropping small ones would bias the ridge solution.
    """
    keep = (e > _RCOND * xp.maximum(xp.max(e), 0.0)) | (ridges[:, None] > 0)
    return xp.where(keep, 1.0 / (xp.where(keep, e, 1.0) + ridges[:, None]), 0.0)


def _filtered(xp: Any, e: Any, v: Any, rhs: Any, ridges: Any) -> Any:
    r"""(R, C, k): :math:`V\,\mathrm{diag}(1/(e+\gamma))\,V^\top \mathrm{rhs}` for each ridge γ."""
    proj = xp.matrix_transpose(v) @ rhs                                       # (k, C)
    return xp.matrix_transpose(v @ (_filters(xp, e, ridges)[:, :, None] * proj))


def _ridge_thetas(xp: Any, phi: Any, y: Any, sizes: np.ndarray, ridges: np.ndarray) -> Any:
    r"""θ(T, γ) for every prefix T in ``sizes``, ridge γ in ``ridges`` (host) and column of ``y`` (T_max, C).

    Returns shape (len(sizes), R, C, N), in the namespace ``xp`` of ``phi`` and ``y``.

    * T ≤ N, dual form :math:`\theta = \Phi_T^\top(\Phi_T\Phi_T^\top + \gamma)^{-1}y_T`: the
      kernels of all prefixes are leading blocks of one kernel. For γ > 0, one Cholesky factor
      of that kernel serves every prefix (the factor of a leading block is the leading block of
      the factor); for γ = 0 (a pseudo-inverse, which must cut null directions) each prefix gets
      an eigendecomposition.
    * T > N, primal form :math:`\theta = (\Phi_T^\top\Phi_T + \gamma)^{-1}\Phi_T^\top y_T`,
      with the Gram matrix accumulated over prefixes: one Cholesky factor per (T, γ > 0), one
      eigendecomposition per T for γ = 0.

    A Cholesky factor costs about a tenth of an eigendecomposition, so ridge sweeps are cheap;
    an eigendecomposition would serve many ridges at once, but the sweeps here use a few.
    """
    n, c = phi.shape[1], y.shape[1]
    out = xp.empty((sizes.size, ridges.size, c, n), dtype=phi.dtype)
    zero = np.flatnonzero(ridges == 0).tolist()
    positive = np.flatnonzero(ridges > 0).tolist()
    no_ridge = xp.zeros(1, dtype=phi.dtype)
    small = sizes[sizes <= n].tolist()
    if small:
        kern = phi[: small[-1], :] @ xp.matrix_transpose(phi[: small[-1], :])
        for r in positive:
            R = _backend._cholesky_upper(xp, kern + float(ridges[r]) * xp.eye(small[-1], dtype=phi.dtype),
                                         ridge=float(ridges[r]))
            z = _backend._solve_triangular(xp, R, y[: small[-1], :], trans=True)     # prefix-consistent
            for k, t in enumerate(small):
                alpha = _backend._solve_triangular(xp, R[:t, :t], z[:t, :])         # (t, C)
                out[k, r, ...] = xp.matrix_transpose(alpha) @ phi[:t, :]
        for r in zero:
            for k, t in enumerate(small):
                e, v = xp.linalg.eigh(kern[:t, :t])
                out[k, r, ...] = _filtered(xp, e, v, y[:t, :], no_ridge)[0, ...] @ phi[:t, :]
    gram, h, done = xp.zeros((n, n), dtype=phi.dtype), xp.zeros((n, c), dtype=phi.dtype), 0
    for k, t in enumerate(sizes[sizes > n].tolist(), start=len(small)):    # primal, Gram accumulated
        blk = phi[done:t, :]
        gram = gram + xp.matrix_transpose(blk) @ blk
        h = h + xp.matrix_transpose(blk) @ y[done:t, :]
        done = t
        for r in positive:
            g = float(ridges[r])
            R = _backend._cholesky_upper(xp, gram + g * xp.eye(n, dtype=phi.dtype), ridge=g)
            theta = _backend._solve_triangular(xp, R, _backend._solve_triangular(xp, R, h, trans=True))
            out[k, r, ...] = xp.matrix_transpose(theta)
        if zero:
            e, v = xp.linalg.eigh(gram)
            for r in zero:
                out[k, r, ...] = _filtered(xp, e, v, h, no_ridge)[0, ...]
    return out



def _check_spectrum(eigenvalues: Any, teacher_variances: Any) -> tuple[np.ndarray, np.ndarray]:
    """The latent eigenvalues (non-empty, positive) and the teacher variances broadcast to them."""
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    if lam.size == 0:
        raise ValueError("eigenvalues must be non-empty")
    v = as_float_array("teacher_variances", teacher_variances, ndim=(0, 1), nonnegative=True)
    if v.ndim == 1 and v.size != lam.size:
        raise ValueError(f"teacher_variances must be a scalar or have {lam.size} entries, got {v.size}")
    return lam, np.broadcast_to(v, lam.shape)

def simulate_losses(eigenvalues: Any, teacher_variances: Any, n_features: Any, n_samples: Any, ridges: Any,
                    *, name: str = "linear", seeds: int = 4, seed: int = 0, sigma_u2: float = 1.0,
                    noise: float = 0.0, n_test: int = 20000, teachers: int = 1,
                    backend: str | None = None, latent: str = "gaussian", latent_df: float = 5.0) -> np.ndarray:
    r"""Population test losses of random-feature ridge regression on the latent model.

    Parameters
    ----------
    eigenvalues : (M,) latent eigenvalues λ_I > 0.
    teacher_variances : scalar or (M,) variances v_I ≥ 0 of the teacher weights.
    n_features, n_samples : increasing sizes N and T (nested features, prefix training sets).
    ridges : ridges γ ≥ 0 (0 = minimum-norm least squares).
    name : activation, one of ``ACTIVATIONS``.
    seeds, seed : number of independent draws (data, features, teacher, noise) and base seed;
        draw s uses ``numpy.random.default_rng([seed, s])``.
    sigma_u2 : σ_u², U_jI ~ N(0, σ_u²/M).
    noise : label-noise variance σ² ≥ 0 on the training labels.
    n_test : test samples for the tanh second moment (other activations are exact).
    teachers : independent teachers (and label noises) per seed, fitted at once (one
        factorization serves them all); the loss is averaged over them. This removes most
        of the seed-to-seed spread, which is dominated by the teacher draw.
    backend : where the linear algebra runs: "numpy" (default), "cupy" (a GPU) or
        "array_api_strict" (:mod:`scaling_utils.engines.backend`; default ``$SCALING_UTILS_BACKEND``).
        The draws are made on the host, so every backend fits the same data.
    latent, latent_df : the law of the latent coordinates :math:`x_I/\sqrt{\lambda_I}`, one of
        ``LATENT_LAWS`` (:func:`latent_coordinates`; ``latent_df`` is the Student-t ν); every law has
        covariance Λ, so the exact population loss still applies. Non-Gaussian laws need
        ``name="linear"`` (the other activations' moments are Gaussian integrals).

    Returns
    -------
    (seeds, len(n_features), len(n_samples), len(ridges)) losses
    :math:`\mathbb E_x[(\hat\theta^\top\varphi(x) - w^\top x)^2]` (no factor ½).

    Example
    -------
    >>> lam = power_law_spectrum(50, 1.0)
    >>> simulate_losses(lam, 1 / 50, [10, 20], [30], [0.0, 1e-2], seeds=2).shape
    (2, 2, 1, 2)
    """
    lam, v = _check_spectrum(eigenvalues, teacher_variances)
    M = lam.size
    n_features = check_sizes("n_features", n_features)
    n_samples = check_sizes("n_samples", n_samples)
    ridges = as_float_array("ridges", np.atleast_1d(ridges), ndim=1, nonnegative=True)
    check_choice("name", name, ACTIVATIONS)
    seeds = check_positive_int("seeds", seeds)
    sigma_u2 = check_in_range("sigma_u2", sigma_u2, low=0, low_open=True)
    noise = check_in_range("noise", noise, low=0)
    n_test = check_positive_int("n_test", n_test, minimum=2)
    teachers = check_positive_int("teachers", teachers)
    check_choice("latent", latent, LATENT_LAWS)
    if latent != "gaussian" and name != "linear":
        raise ValueError(f"latent={latent!r} needs name='linear' (the population moments of {name!r} "
                         "features are computed for Gaussian latents)")
    seed = check_seed("seed", seed)
    _check_simulation_budget(M, n_features, n_samples, ridges.size, teachers, seeds, name, n_test)
    act = activation(name)
    xp = _backend.namespace(backend)
    lam_d = _backend.to_device(xp, lam)
    n_max, t_max = int(n_features[-1]), int(n_samples[-1])
    out = np.empty((seeds, n_features.size, n_samples.size, ridges.size))
    # One BLAS thread for small problems (backend.blas_threads) around everything that multiplies,
    # the feature products and losses included: then the numbers do not depend on the thread count.
    with _backend.blas_threads(xp, max(n_max, t_max)):
        for s in range(seeds):
            rng = np.random.default_rng([seed, s])        # drawn on the host: every backend sees the same draw
            x = rng.standard_normal((t_max, M))
            if latent != "gaussian":
                x = latent_coordinates(x, latent, df=latent_df, seed=[seed, s])
            x = x * np.sqrt(lam)
            u = rng.standard_normal((n_max, M)) * np.sqrt(sigma_u2 / M)
            w = rng.standard_normal((M, teachers)) * np.sqrt(v)[:, None]                 # (M, C)
            y = x @ w + np.sqrt(noise) * rng.standard_normal((t_max, teachers))
            x_d, u_d, w_d, y_d = (_backend.to_device(xp, a) for a in (x, u, w, y))
            phi = x_d @ xp.matrix_transpose(u_d)
            if name != "linear":             # the activation on the host (erf is not in the array API)
                phi = _backend.to_device(xp, act(_backend.to_host(phi)))
                K, b, c = (_backend.to_device(xp, a) for a in _moments_many(lam, u, w, name, n_test,
                                                                             int(rng.integers(2**31))))
            _check_products(float(xp.max(xp.abs(phi))), max(n_max, t_max), "eigenvalues and sigma_u2")
            for i, n in enumerate(n_features.tolist()):
                with _backend.blas_threads(xp, max(n, t_max)):
                    theta = _ridge_thetas(xp, phi[:, :n], y_d, n_samples, ridges)  # (T, R, C, n)
                if name == "linear":
                    a = theta @ u_d[:n, :] - xp.matrix_transpose(w_d)           # exact: a = Uᵀθ − w
                    loss = xp.sum(a * a * lam_d, axis=-1)
                else:
                    loss = (xp.sum((theta @ K[:n, :n]) * theta, axis=-1)
                            - 2 * xp.sum(theta * xp.matrix_transpose(b[:n, :]), axis=-1) + c)
                out[s, i] = _backend.to_host(xp.mean(loss, axis=-1))
    return require_finite("the losses", out, "eigenvalues, teacher_variances, sigma_u2 or noise are too large "
                          "(the products overflow)")


def _check_products(largest: float, length: int, names: str) -> None:
    """Refuse features (largest entry ``largest``) whose kernel or Gram matrix, sums of ``length``
    products, could overflow; ``names`` are the parameters that set their scale."""
    with np.errstate(over="ignore"):
        bound = np.float64(largest) ** 2 * length
    if not np.isfinite(bound):
        raise ValueError(f"{names} are so large that the feature products overflow (largest feature about "
                         f"{largest:.3g})")


def _check_simulation_budget(M: int, n_features: np.ndarray, n_samples: np.ndarray, n_ridges: int, teachers: int,
                             seeds: int, name: str, n_test: int) -> None:
    n_max, t_max = float(n_features[-1]), float(n_samples[-1])
    small, big = np.minimum.outer(n_features, n_samples), np.maximum.outer(n_features, n_samples)
    fits = float(np.sum((n_ridges + 1.0) * small**2 * (small + big)))
    check_budget("simulate_losses",
                 nbytes=8.0 * (M * (t_max + n_max + teachers) + 3 * t_max * n_max + 3 * max(n_max, t_max) ** 2
                               + 2 * n_samples.size * n_ridges * teachers * n_max),
                 work=seeds * (2.0 * t_max * M * n_max + fits + 2.0 * n_max**2 * M
                               + (2.0 * n_test * M * n_max if name == "tanh" else 0.0)),
                 iterations=seeds * n_features.size * n_samples.size * (n_ridges + 1))


def draw_losses(eigenvalues: Any, teacher_variances: Any, data: Any, features: Any, n_features: Any,
                n_samples: Any, ridges: Any, *, sigma_u2: float = 1.0) -> np.ndarray:
    r"""Teacher-averaged population losses of linear random features for one given draw, noiseless.

    The draw is given as standard-normal matrices: ``data`` :math:`Z` (T_max, M), the samples
    :math:`x_t = \Lambda^{1/2} z_t`, and ``features`` :math:`G` (N_max, M), the feature weights
    :math:`U = \sqrt{\sigma_u^2/M}\, G`; as in :func:`simulate_losses`, the first N rows of G
    and the first T rows of Z are used. The loss is averaged *exactly* over Gaussian teachers
    :math:`w \sim \mathcal N(0, \mathrm{diag}\, v)`: it is a quadratic form in w, so its average
    is the mean over the M basis teachers :math:`\sqrt{M v_I}\, e_I`.

    **Symmetry per draw.** With :math:`K = Z\Lambda^{1/2}G^\top` and
    :math:`R = G^\top K^\top(KK^\top + \gamma M/\sigma_u^2)^{-1}Z` (pseudo-inverse at γ = 0), the
    fit in latent space is :math:`U^\top\hat\theta = R\Lambda^{1/2}w`, and for a uniform teacher
    :math:`v_I = \bar w^2` the averaged loss is :math:`\bar w^2\|\Lambda^{1/2}R\Lambda^{1/2} - \Lambda^{1/2}\|_F^2`.
    Exchanging the roles of Z and G turns K into :math:`K^\top` and R into :math:`R^\top`, and a
    matrix has the Frobenius norm of its transpose, so
    ``draw_losses(..., Z, G, N, T)[i, j] == draw_losses(..., G, Z, T, N)[j, i]`` for every draw and
    ridge: the N ↔ T symmetry of the closed form holds draw by draw, not only on average.

    Parameters
    ----------
    eigenvalues : (M,) latent eigenvalues λ_I > 0.
    teacher_variances : scalar or (M,) variances v_I ≥ 0 of the teacher weights.
    data, features : standard-normal draws Z (at least max T rows) and G (at least max N rows),
        M columns each.
    n_features, n_samples : increasing sizes N and T.
    ridges : ridges γ ≥ 0 (0 = minimum-norm least squares).
    sigma_u2 : σ_u², the variance scale of the feature weights.

    Returns
    -------
    (len(n_features), len(n_samples), len(ridges)) losses (no factor ½).

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> lam = power_law_spectrum(30, 1.0)
    >>> z, g = rng.standard_normal((20, 30)), rng.standard_normal((20, 30))
    >>> a = draw_losses(lam, 1 / 30, z, g, [8, 20], [8, 20], [0.0, 0.1])
    >>> b = draw_losses(lam, 1 / 30, g, z, [8, 20], [8, 20], [0.0, 0.1])
    >>> bool(np.allclose(a[0, 1], b[1, 0], rtol=1e-10))
    True
    """
    lam, v = _check_spectrum(eigenvalues, teacher_variances)
    M = lam.size
    n_features = check_sizes("n_features", n_features)
    n_samples = check_sizes("n_samples", n_samples)
    z = as_float_array("data", data, ndim=2)
    g = as_float_array("features", features, ndim=2)
    for what, arr, sizes, size_name in (("data", z, n_samples, "n_samples"), ("features", g, n_features,
                                                                               "n_features")):
        if arr.shape[1] != M or arr.shape[0] < sizes[-1]:
            raise ValueError(f"{what} must have {M} columns (one per entry of eigenvalues) and at least "
                             f"{int(sizes[-1])} rows (the largest of {size_name}; got shape {arr.shape})")
    ridges = as_float_array("ridges", np.atleast_1d(ridges), ndim=1, nonnegative=True)
    sigma_u2 = check_in_range("sigma_u2", sigma_u2, low=0, low_open=True)
    xp = _backend.namespace("numpy")
    scale = np.sqrt(M * v)                                      # basis teacher I: w = scale_I e_I
    x = z[: int(n_samples[-1])] * np.sqrt(lam)
    u = g[: int(n_features[-1])] * np.sqrt(sigma_u2 / M)
    out = np.empty((n_features.size, n_samples.size, ridges.size))
    _check_products(float(np.max(np.abs(x))) * float(np.max(np.abs(u))) * M, max(int(n_features[-1]), x.shape[0]),
                    "eigenvalues, sigma_u2, data and features")
    for i, n in enumerate(n_features.tolist()):
        with _backend.blas_threads(xp, max(n, x.shape[0])):
            theta = _ridge_thetas(xp, x @ u[:n].T, x * scale, n_samples, ridges)   # (T, R, M, n)
            out[i] = _basis_teacher_loss(theta, u[:n], scale, lam).mean(axis=-1)
    return require_finite("the losses", out, "eigenvalues, teacher_variances, data or features are too large "
                          "(the products overflow)")


def _basis_teacher_loss(theta: np.ndarray, u: np.ndarray, scale: np.ndarray, lam: np.ndarray) -> np.ndarray:
    r"""Population losses :math:`a_I^\top\Lambda a_I`, :math:`a_I = U^\top\theta_I - s_I e_I`, of the basis teachers.

    ``theta`` (..., M, N) holds the fit of basis teacher I in row I. With fewer features than
    latent dimensions the loss is evaluated as the quadratic form
    :math:`\theta^\top U\Lambda U^\top\theta - 2 s_I(U\Lambda)_{\cdot I}^\top\theta + s_I^2\lambda_I`,
    N² instead of NM operations per teacher; the N features cannot span the latent space there,
    so the loss is not small against :math:`s_I^2\lambda_I` and nothing is lost to cancellation.
    With N ≥ M the form in :math:`a_I` keeps exact zeros exact.
    """
    n, m = u.shape
    if n >= m:
        a = theta @ u - np.diag(scale)
        return np.sum(a * a * lam, axis=-1)
    ul = u * lam                                                # (N, M)
    quad = np.sum((theta @ (ul @ u.T)) * theta, axis=-1)
    cross = np.sum(theta * (ul * scale).T, axis=-1)
    return quad - 2 * cross + scale**2 * lam


def _moments_many(lam, u, w, name, n_test, seed):
    """feature_moments for several teachers (columns of w) sharing one K."""
    K, _, _ = feature_moments(lam, u, np.zeros(lam.size), name, n_test=n_test, seed=seed)
    ul = u * lam
    b = _mean_derivative(name, np.einsum("jm,jm->j", ul, u))[:, None] * (ul @ w)
    c = np.einsum("mc,m,mc->c", w, lam, w)
    return K, b, c


# --------------------------------------------------------------------------------------------
# non-Gaussian latent coordinates (universality)

LATENT_LAWS = ("gaussian", "rademacher", "student", "elliptical")


def latent_coordinates(gaussian: Any, law: str, *, df: float = 5.0, seed: Any = 0) -> np.ndarray:
    r"""Unit-variance latent coordinates of ``law``, built from standard normal draws ``gaussian`` (T, M).

    * ``"gaussian"``: ``gaussian`` itself;
    * ``"rademacher"``: :math:`\xi = \mathrm{sign}(g)`, ±1 with probability ½ each (kurtosis 1);
    * ``"student"``: independent Student-t coordinates,
      :math:`\xi_{tI} = g_{tI}\sqrt{(\nu-2)/\chi^2_{tI}}`, :math:`\chi^2_{tI} \sim \chi^2_\nu`
      (``df`` = ν > 2; finite fourth moment, kurtosis :math:`3 + 6/(\nu-4)`, for ν > 4);
    * ``"elliptical"``: the multivariate Student-t, one scale per sample,
      :math:`\xi_{tI} = g_{tI}\sqrt{(\nu-2)/\chi^2_t}`: the same marginals as ``"student"``, uncorrelated
      coordinates, but *dependent* ones (they share the sample's scale).

    Every law has mean 0 and identity covariance. The χ² draws come from
    ``numpy.random.default_rng(seed)``, so a law is a deterministic function of ``gaussian`` and ``seed``.

    Example
    -------
    >>> g = np.random.default_rng(0).standard_normal((20000, 3))
    >>> [round(float(latent_coordinates(g, law).var()), 1) for law in LATENT_LAWS]
    [1.0, 1.0, 1.0, 1.0]
    """
    g = as_float_array("gaussian", gaussian, ndim=2)
    check_choice("law", law, LATENT_LAWS)
    df = check_in_range("df", df, low=2, low_open=True)
    seed = check_seed("seed", seed, generator=True, sequence=True)
    if law == "gaussian":
        return g
    if law == "rademacher":
        return np.where(g >= 0, 1.0, -1.0)
    rng = np.random.default_rng(seed)
    chi2 = rng.chisquare(df, size=g.shape if law == "student" else (g.shape[0], 1))
    return g * np.sqrt((df - 2.0) / chi2)


# --------------------------------------------------------------------------------------------
# the kernel eigen-system of a feature map (input of scaling_utils.theory.gaussian_equivalence)

#: Activations whose pool moments :func:`feature_eigensystem` computes exactly.
POOL_ACTIVATIONS = ("linear", "relu", "erf")
_ODD_SLOPE = {"linear": 1.0, "relu": 0.5}      # odd part σ_o(z) = c z exactly for these activations


@dataclass(frozen=True)
class FeatureEigensystem:
    r"""The kernel spectrum of a feature map and a linear teacher's power on it.

    ``eigenvalues`` (K,) kernel eigenvalues :math:`\mu_k`, descending; ``teacher_power`` (K,) the
    expected teacher power :math:`\mathbb E\beta_k^2` on each eigenfunction; ``odd`` (K,) True for odd
    eigenfunctions (where a linear teacher lives); ``residual`` the teacher power outside their span.
    """

    eigenvalues: np.ndarray
    teacher_power: np.ndarray
    odd: np.ndarray
    residual: float


def feature_eigensystem(eigenvalues: Any, teacher_variances: Any, name: str, n_pool: int, *,
                        sigma_u2: float = 1.0, seed: int = 0) -> FeatureEigensystem:
    r"""Eigen-system of the kernel :math:`\mathbb E_u[\sigma(u^\top x)\sigma(u^\top x')]` of features
    :math:`\sigma(u^\top x)`, and a linear teacher's power on it.

    **Sectors.** Split :math:`\sigma = \sigma_o + \sigma_e` into odd and even parts. Under
    :math:`u \to -u`, a symmetry of the Gaussian weights, :math:`\mathbb E_u[\sigma_o(u^\top x)\sigma_e(u^\top x')]`
    vanishes, so the kernel is an odd kernel plus an even one, with odd and even eigenfunctions.
    A linear teacher is odd and lives in the odd sector only. ReLU: :math:`\mathrm{relu}(z) = z/2 + |z|/2`,
    so its odd sector is exactly the latent model with features :math:`Ux/2` and its even sector —
    the spectrum beyond M — carries no teacher power.

    **What is computed.** Odd sector of ``linear`` and ``relu``: the exact infinite-width one,
    :math:`\mu_I = c^2\sigma_u^2\lambda_I/M`, :math:`\mathbb E\beta_I^2 = v_I\lambda_I` (c = 1, ½).
    Otherwise a pool of ``n_pool`` random features, each paired with its mirror :math:`-u_j`, which
    cancels the cross term exactly: the pool's kernel :math:`\frac1n\sum_j(\sigma_o\otimes\sigma_o +
    \sigma_e\otimes\sigma_e)` has the eigenvalues of :math:`K_o/n` and :math:`K_e/n`,
    :math:`K_{o,e} = \mathbb E[\sigma_{o,e}(z)\sigma_{o,e}(z)^\top]` (exact Gaussian integrals,
    :func:`feature_moments`). ReLU's even sector: :math:`K_e = K - \Sigma/4`, :math:`\Sigma = U\Lambda U^\top`.
    erf (odd): eigenvectors :math:`q_k` of :math:`K`, teacher power :math:`q_k^\top C q_k/e_k` with
    :math:`C = \mathbb E_w[bb^\top]`, :math:`b_j = \mathbb E[\sigma'(z_j)]\,u_j^\top\Lambda w` (Stein's lemma).
    The pool stands in for the infinite-width kernel at ranks well below ``n_pool``; N ≪ n features
    drawn from the pool are statistically N fresh features.

    Parameters
    ----------
    eigenvalues : (M,) latent eigenvalues λ_I > 0.
    teacher_variances : scalar or (M,) variances v_I ≥ 0 of the teacher weights.
    name : activation, one of ``POOL_ACTIVATIONS``.
    n_pool : pool size n ≥ 2 (unused for ``linear``, whose kernel is exact).
    sigma_u2 : σ_u² > 0, :math:`u_{jI} \sim \mathcal N(0, \sigma_u^2/M)`.
    seed : seed of the pool's weights.

    Example
    -------
    >>> lam = power_law_spectrum(20, 1.0)
    >>> es = feature_eigensystem(lam, 0.05, "relu", 200)
    >>> int(es.odd.sum()), bool(np.isclose(es.teacher_power.sum() + es.residual, 0.05 * lam.sum()))
    (20, True)
    """
    lam, v = _check_spectrum(eigenvalues, teacher_variances)
    M = lam.size
    check_choice("name", name, POOL_ACTIVATIONS)
    n_pool = check_positive_int("n_pool", n_pool, minimum=2)
    sigma_u2 = check_in_range("sigma_u2", sigma_u2, low=0, low_open=True)
    seed = check_seed("seed", seed)
    if name != "linear":
        check_budget("feature_eigensystem", nbytes=8.0 * (2 * n_pool * M + 4 * n_pool**2),
                     work=2.0 * n_pool**2 * M + 10.0 * n_pool**3)
    parts = []                                                # (eigenvalues, teacher power or None, odd)
    if name in _ODD_SLOPE:
        parts.append((_ODD_SLOPE[name] ** 2 * sigma_u2 * lam / M, v * lam, True))
    if name != "linear":
        u = np.random.default_rng(seed).standard_normal((n_pool, M)) * np.sqrt(sigma_u2 / M)
        sigma = (u * lam) @ u.T
        second = _second_moment(name, sigma)
        if not (np.all(np.isfinite(second)) and np.max(np.abs(second)) > np.finfo(float).tiny):
            raise ValueError(f"sigma_u2={sigma_u2!r} with these eigenvalues puts the pool's kernel outside the "
                             "floating-point range")
        if name == "relu":
            parts.append((np.linalg.eigvalsh(second - sigma / 4) / n_pool, None, False))
        else:                                                  # erf is odd: the whole pool is odd sector
            e, q = np.linalg.eigh(second)
            proj = q.T @ (_mean_derivative(name, np.diag(sigma).copy())[:, None] * (u * lam))   # q^T B, b = B w
            big = e > _POOL_RCOND * e.max()
            parts.append((e / n_pool, np.where(big, (proj**2 @ v) / np.where(big, e, 1.0), 0.0), True))
    mu = np.concatenate([p[0] for p in parts])
    power = np.concatenate([np.zeros(p[0].size) if p[1] is None else p[1] for p in parts])
    odd = np.concatenate([np.full(p[0].size, p[2]) for p in parts])
    keep = mu > _POOL_RCOND * mu.max()
    order = np.argsort(mu[keep])[::-1]
    mu, power, odd = mu[keep][order], power[keep][order], odd[keep][order]
    return FeatureEigensystem(eigenvalues=mu, teacher_power=power, odd=odd,
                              residual=max(float(v @ lam - power.sum()), 0.0))


_POOL_RCOND = 1e-12   # pool eigenvalues below this fraction of the largest are numerical zeros
