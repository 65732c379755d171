r"""Stationary kernels on the flat torus :math:`\mathbb T^d = [0,1)^d`, with their exact spectra.

On the torus a stationary kernel :math:`k(x - x')` has the Fourier modes
:math:`e^{2\pi i\,m\cdot x}`, :math:`m \in \mathbb Z^d`, as eigenfunctions (for the uniform
measure), and its eigenvalues are its Fourier coefficients :math:`c_m`. We build the torus kernel
by periodizing a kernel :math:`k_{\mathbb R}` on :math:`\mathbb R^d`,

.. math:: k(r) = \sum_{n\in\mathbb Z^d} k_{\mathbb R}(r + n), \qquad
          c_m = \int_{\mathbb T^d} k(r)\, e^{-2\pi i m\cdot r}\,dr = \hat k_{\mathbb R}(2\pi m)

(Poisson summation), so the eigenvalues are the spectral density of :math:`k_{\mathbb R}` at
:math:`\omega = 2\pi m`, in closed form:

* **Matérn-ν**, variance σ², length scale ℓ:
  :math:`\hat k(\omega) = \sigma^2 \frac{2^d\pi^{d/2}\Gamma(\nu+d/2)(2\nu)^\nu}{\Gamma(\nu)\ell^{2\nu}}
  \bigl(\tfrac{2\nu}{\ell^2} + |\omega|^2\bigr)^{-\nu-d/2}`. Counting lattice points,
  :math:`|m| \approx (n/V_d)^{1/d}` for the n-th largest eigenvalue, so
  :math:`\lambda_n \simeq a\, n^{-(1+2\nu/d)}` (:meth:`TorusKernel.asymptotic_eigenvalues`):
  the smoother the kernel (larger ν) and the lower the dimension, the faster the decay.
* **Gaussian** (squared exponential): :math:`\hat k(\omega) = \sigma^2(2\pi\ell^2)^{d/2}e^{-\ell^2|\omega|^2/2}`,
  which decays faster than any power of n.

The periodized sum is evaluated over all images within the distance where
:math:`k_{\mathbb R}` falls below ``1e-11`` σ², so Gram matrices are exact to that precision.

For kernel regression the population error needs :math:`\int k(x_i, z)k(z, x_j)\,dz`, the
kernel with coefficients :math:`c_m^2`; for both families it is again of the same family
(:meth:`TorusKernel.squared`), so the error of a fit is computed exactly, without a test set
(:func:`prior_averaged_error`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import linalg, special

from ..validation import (
    InputTypeError,
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
    require_finite,
)
from .backend import blas_threads

__all__ = ["TorusKernel", "gram_spectrum", "prior_averaged_error", "prior_error_curve", "sample_prior",
           "uniform_points"]

_IMAGE_TOL = 1e-11
_GRID_SLACK = 4   # eigenvalues(n) enumerates a box of lattice points while it holds at most ~4n + 1e5 of them


def _bessel_k(nu: float, s: np.ndarray) -> np.ndarray:
    """Modified Bessel function K_ν; for integer ν by the (stable) upward recurrence from K_0, K_1,
    several times faster than ``scipy.special.kv``."""
    if nu != int(nu):
        return special.kv(nu, s)
    k_prev, k_cur = special.k0(s), special.k1(s)
    if nu == 0:
        return k_prev
    for n in range(1, int(nu)):
        k_prev, k_cur = k_cur, k_prev + (2 * n / s) * k_cur
    return k_cur


def _unit_ball_volume(d: int) -> float:
    return float(np.pi ** (d / 2) / special.gamma(d / 2 + 1))


@dataclass(frozen=True)
class TorusKernel:
    """A Matérn-ν or Gaussian kernel on the unit d-torus.

    Parameters
    ----------
    kind : "matern" or "gaussian".
    d : dimension ≥ 1.
    lengthscale : ℓ > 0 (keep it ≲ 0.3 so that few periodic images are needed).
    nu : Matérn smoothness ν > 0 (ignored for "gaussian").
    variance : σ² > 0, the variance of the kernel on R^d before periodization.

    Example
    -------
    >>> k = TorusKernel("matern", d=1, lengthscale=0.1, nu=0.5)
    >>> lam = k.eigenvalues(5)
    >>> bool(lam[1] == lam[2])   # the modes m = ±1 share an eigenvalue
    True
    """

    kind: str
    d: int
    lengthscale: float
    nu: float = 0.5
    variance: float = 1.0

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, ("matern", "gaussian"))
        check_positive_int("d", self.d)
        check_in_range("lengthscale", self.lengthscale, low=0, low_open=True)
        check_in_range("nu", self.nu, low=0, low_open=True)
        check_in_range("variance", self.variance, low=0, low_open=True)
        try:
            with np.errstate(all="ignore"):
                probe = np.append(self.value(self.lengthscale * np.array([0.0, 0.5, 1.0, 4.0])),
                                  self.spectral_density(np.array([0.0, 2 * np.pi])))
        except (OverflowError, ValueError, TypeError, ZeroDivisionError):   # out of the floating-point range
            probe = np.array([np.inf])
        if not np.all(np.isfinite(probe)):
            raise ValueError(f"nu={self.nu!r} with lengthscale={self.lengthscale!r} and variance={self.variance!r}: "
                             "the closed forms of the kernel overflow in floating point; use a smaller nu (the "
                             "Gaussian kernel is the nu → ∞ limit) or a variance and lengthscale nearer 1")

    # ---- spectrum -------------------------------------------------------------------------
    @property
    def _matern_prefactor(self) -> float:
        nu, d, ell = self.nu, self.d, self.lengthscale
        return float(self.variance * 2**d * np.pi ** (d / 2) * special.gamma(nu + d / 2) * (2 * nu) ** nu
                     / (special.gamma(nu) * ell ** (2 * nu)))

    def spectral_density(self, omega: Any) -> np.ndarray:
        r"""Spectral density :math:`\hat k_{\mathbb R}(\omega)` at frequencies of norm ``omega`` ≥ 0."""
        w = as_float_array("omega", omega, nonnegative=True)
        if self.kind == "matern":
            return self._matern_prefactor * (2 * self.nu / self.lengthscale**2 + w**2) ** (-self.nu - self.d / 2)
        ell = self.lengthscale
        return self.variance * (2 * np.pi * ell**2) ** (self.d / 2) * np.exp(-0.5 * ell**2 * w**2)

    def coefficients(self, modes: Any) -> np.ndarray:
        """Exact Fourier coefficients (eigenvalues) c_m for integer modes of shape (..., d)."""
        m = as_float_array("modes", modes)
        if m.ndim == 0 or m.shape[-1] != self.d:
            raise ValueError(f"modes must have shape (..., {self.d}) (got {m.shape})")
        return self.spectral_density(2 * np.pi * np.sqrt((m**2).sum(-1)))

    def eigenvalues(self, n: int) -> np.ndarray:
        r"""The n largest eigenvalues, in decreasing order, each repeated with its multiplicity.

        The eigenvalue of mode m depends on :math:`|m|^2` only, and decreases with it: the n largest
        are those of the n lattice points nearest the origin. They are enumerated on a box of
        lattice points while it is small; otherwise (high d) counted shell by shell, the number of
        m with :math:`|m|^2 = j` being the coefficients of :math:`(\sum_s q^{s^2})^d`.
        """
        n = check_positive_int("n", n)
        K = int(np.ceil((n / _unit_ball_volume(self.d)) ** (1 / self.d))) + 2
        while True:
            box = float(2 * K + 1) ** self.d
            if box > _GRID_SLACK * n + 1e5:
                return self._eigenvalues_by_shells(n, K)
            check_budget("TorusKernel.eigenvalues", nbytes=8.0 * box * (2 * self.d + 4))
            ax = np.arange(-K, K + 1)
            grid = np.stack(np.meshgrid(*([ax] * self.d), indexing="ij"), -1).reshape(-1, self.d)
            r2 = (grid**2).sum(1)
            inside = r2 <= K**2
            if inside.sum() >= n:
                break
            K *= 2
        c = np.sort(self.spectral_density(2 * np.pi * np.sqrt(r2[inside])))[::-1]
        return c[:n]

    def _eigenvalues_by_shells(self, n: int, K: int) -> np.ndarray:
        while True:
            kmax2 = K * K
            check_budget("TorusKernel.eigenvalues", nbytes=8.0 * (3 * (kmax2 + 1) + 2 * n),
                         work=float(self.d) * (K + 1) * (kmax2 + 1), iterations=self.d * (K + 1))
            roots = np.arange(int(np.sqrt(kmax2)) + 1)
            counts = np.zeros(kmax2 + 1)
            counts[0] = 1.0
            for _ in range(self.d):      # multiply by Σ_s q^(s²), s ∈ Z; capped at n (exact below n)
                new = counts.copy()
                for root in roots[1:]:
                    new[root * root:] += 2.0 * counts[: kmax2 + 1 - root * root]
                counts = np.minimum(new, n)
            if counts.sum() >= n:
                break
            K *= 2
        shells = np.flatnonzero(counts)
        reach = np.searchsorted(np.cumsum(counts[shells]), n) + 1      # shells needed for n values
        values = np.repeat(self.spectral_density(2 * np.pi * np.sqrt(shells[:reach].astype(float))),
                           counts[shells[:reach]].astype(np.int64))
        return np.sort(values)[::-1][:n]

    def trace(self) -> float:
        r"""Sum of all eigenvalues, :math:`\sum_m c_m = k(0)` on the torus."""
        return float(self.torus_value(np.zeros((1, self.d)))[0])

    @property
    def decay_exponent(self) -> float:
        """Asymptotic eigenvalue decay exponent 1 + 2ν/d (inf for the Gaussian kernel)."""
        return 1 + 2 * self.nu / self.d if self.kind == "matern" else float("inf")

    def asymptotic_eigenvalues(self, n: Any) -> np.ndarray:
        r"""Large-n power law :math:`\lambda_n \simeq a n^{-(1+2\nu/d)}` (Matérn only), from
        :math:`\hat k(\omega) \simeq A\omega^{-2\nu-d}` and :math:`|m| = (n/V_d)^{1/d}`."""
        if self.kind != "matern":
            raise ValueError("kind must be 'matern' for a power-law asymptote (the Gaussian has none)")
        n = as_float_array("n", n, positive=True)
        b = self.decay_exponent
        a = self._matern_prefactor * (2 * np.pi) ** (-2 * self.nu - self.d) * _unit_ball_volume(self.d) ** b
        with np.errstate(over="ignore"):
            return require_finite("the asymptote", a * n ** (-b), "n is too small (n^-b overflows)")

    @property
    def index_shift(self) -> float:
        r"""Crossover index :math:`n_0 = V_d\,(2\nu/\ell^2)^{d/2}/(2\pi)^d` of the Matérn spectrum.

        With :math:`n \approx V_d|m|^d`, eq. :math:`c_m \propto (2\nu/\ell^2 + 4\pi^2|m|^2)^{-\nu-d/2}`
        reads :math:`\lambda_n \propto \bigl[(n_0)^{2/d} + n^{2/d}\bigr]^{-(\nu + d/2)}`: the power law
        sets in only for :math:`n \gg n_0`. In d = 2 this is exactly a shifted power law,
        :math:`\lambda_n \propto (n + n_0)^{-(1+\nu)}` with :math:`n_0 = \nu/(2\pi\ell^2)` (up to
        lattice-point counting).
        """
        if self.kind != "matern":
            raise ValueError("kind must be 'matern' for an index shift")
        a = 2 * self.nu / self.lengthscale**2
        return float(_unit_ball_volume(self.d) * (a / (4 * np.pi**2)) ** (self.d / 2))

    def squared(self) -> TorusKernel:
        r"""The kernel with eigenvalues :math:`c_m^2`, i.e. :math:`\int k(x, z)k(z, x')\,dz`.

        Matérn: :math:`\nu_2 = 2\nu + d/2`, :math:`\ell_2 = \ell\sqrt{\nu_2/\nu}` (same
        :math:`2\nu/\ell^2`); Gaussian: :math:`\ell_2 = \sqrt2\,\ell`. The variance is matched at ω = 0.
        """
        if self.kind == "matern":
            nu2 = 2 * self.nu + self.d / 2
            base = TorusKernel("matern", self.d, self.lengthscale * np.sqrt(nu2 / self.nu), nu2, 1.0)
        else:
            base = TorusKernel("gaussian", self.d, np.sqrt(2) * self.lengthscale, 1.0, 1.0)
        var = float(self.spectral_density(0.0) ** 2 / base.spectral_density(0.0))
        return TorusKernel(base.kind, self.d, base.lengthscale, base.nu, var)

    # ---- real space -----------------------------------------------------------------------
    def value(self, r: Any) -> np.ndarray:
        """The kernel on R^d at distances ``r`` ≥ 0 (before periodization)."""
        r = as_float_array("r", r, nonnegative=True)
        if self.kind == "gaussian":
            return self.variance * np.exp(-0.5 * (r / self.lengthscale) ** 2)
        nu = self.nu
        s = np.sqrt(2 * nu) * r / self.lengthscale
        p = nu - 0.5
        if p >= 0 and p == int(p):  # half-integer ν: polynomial × exponential
            p = int(p)
            poly = sum(special.factorial(p + i) / (special.factorial(i) * special.factorial(p - i))
                       * (2 * s) ** (p - i) for i in range(p + 1))
            return self.variance * np.exp(-s) * poly * special.factorial(p) / special.factorial(2 * p)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            out = self.variance * 2 ** (1 - nu) / special.gamma(nu) * s**nu * _bessel_k(nu, s)
        # s → 0: s^ν K_ν(s) → 2^(ν−1) Γ(ν), so the kernel → its variance; K_ν(s) alone overflows first
        return np.where((s == 0) | ((s < 1) & ~np.isfinite(out)), self.variance, out)

    @cached_property
    def _image_cutoff(self) -> float:
        lo, hi = 0.0, self.lengthscale
        while self.value(hi) > _IMAGE_TOL * self.variance:
            hi *= 2
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if self.value(mid) > _IMAGE_TOL * self.variance else (lo, mid)
        return hi

    @cached_property
    def _images(self) -> np.ndarray:
        cut = self._image_cutoff
        K = int(np.ceil(cut + 0.5))
        check_budget(f"the periodic images of the kernel (lengthscale {self.lengthscale:g}, nu {self.nu:g} on the "
                     f"unit torus, {2 * K + 1}^{self.d} candidate shifts; keep the lengthscale ≲ 0.3 and nu not tiny)",
                     nbytes=8.0 * float(2 * K + 1) ** self.d * (self.d + 3))
        # every shift in {-K..K}^d, the last coordinate varying fastest
        shifts = (np.indices((2 * K + 1,) * self.d).reshape(self.d, -1).T - K).astype(float)
        closest = np.sqrt((np.clip(np.abs(shifts) - 0.5, 0, None) ** 2).sum(1))
        return shifts[closest <= cut]

    def torus_value(self, delta: Any) -> np.ndarray:
        """The periodized kernel at displacements ``delta`` of shape (..., d)."""
        delta = as_float_array("delta", delta)
        if delta.ndim == 0 or delta.shape[-1] != self.d:
            raise ValueError(f"delta must have shape (..., {self.d}) (got {delta.shape})")
        images = self._images
        points = float(np.prod(delta.shape[:-1]))
        check_budget("TorusKernel.torus_value", nbytes=8.0 * points * (self.d + 6),
                     work=points * len(images) * (3.0 * self.d + 40), iterations=len(images))
        delta = delta - np.round(delta)  # minimal image, in [-1/2, 1/2]
        out = np.zeros(delta.shape[:-1])
        cut = self._image_cutoff
        for shift in images:
            r = np.sqrt(((delta + shift) ** 2).sum(-1))
            near = r <= cut  # beyond the cut-off the kernel is below the tolerance
            if near.all():
                out += self.value(r)
            else:
                out[near] += self.value(r[near])
        return out

    def gram(self, x: Any, y: Any | None = None) -> np.ndarray:
        """Gram matrix k(x_i − y_j) of points on the torus (shape (n, d) and (m, d)).

        Without ``y`` the matrix of ``x`` with itself is built from its upper triangle (the
        kernel is even, k(−δ) = k(δ)) and its diagonal k(0): half the work, and exactly symmetric.
        """
        x = _points("x", x, self.d)
        if y is not None:
            y = _points("y", y, self.d)
            check_budget("TorusKernel.gram", nbytes=8.0 * len(x) * len(y) * (self.d + 6))
            return self.torus_value(x[:, None, :] - y[None, :, :])
        n = x.shape[0]
        check_budget("TorusKernel.gram", nbytes=8.0 * n * n * (self.d + 6) / 2)
        i, j = np.triu_indices(n, k=1)
        out = np.empty((n, n))
        out[np.diag_indices(n)] = self.trace()
        out[i, j] = out[j, i] = self.torus_value(x[i] - x[j])
        return out


def _check_kernel(kernel: Any) -> None:
    if not isinstance(kernel, TorusKernel):
        raise InputTypeError(f"kernel must be a TorusKernel (got {type(kernel).__name__})")


def _points(name: str, x: Any, d: int) -> np.ndarray:
    x = as_float_array(name, x, ndim=2)
    if x.shape[1] != d:
        raise ValueError(f"{name} must have shape (n, {d}) (got {x.shape})")
    return x


def uniform_points(n: int, d: int, *, seed: int) -> np.ndarray:
    """n points uniform on the unit d-torus, shape (n, d)."""
    n, d = check_positive_int("n", n), check_positive_int("d", d)
    seed = check_seed("seed", seed)
    check_budget("uniform_points", nbytes=8.0 * n * d)
    return np.random.default_rng(seed).random((n, d))


def sample_prior(kernel: TorusKernel, x: Any, *, seed: int, n_draws: int = 1, jitter: float = 1e-10
                 ) -> np.ndarray:
    r"""Draws of a Gaussian-process target :math:`f \sim \mathcal{GP}(0, k)` at points ``x``.

    Returns shape (n_draws, n). ``jitter`` (relative to k(0)) is added to the diagonal for the
    Cholesky factorization of the Gram matrix.
    """
    _check_kernel(kernel)
    n_draws = check_positive_int("n_draws", n_draws)
    seed = check_seed("seed", seed)
    jitter = check_in_range("jitter", jitter, low=0)
    x = _points("x", x, kernel.d)
    check_budget("sample_prior", nbytes=8.0 * len(x) * (2 * len(x) + 2 * n_draws),
                 work=len(x) ** 3 / 3 + 2.0 * len(x) ** 2 * n_draws)
    K = kernel.gram(x)
    K[np.diag_indices_from(K)] += jitter * kernel.trace()
    try:
        L = linalg.cholesky(K, lower=True, check_finite=False)
    except linalg.LinAlgError as exc:
        raise ValueError(f"jitter={jitter:g} is too small: the Gram matrix of x plus jitter × k(0) is not "
                         "numerically positive definite (duplicated points?)") from exc
    z = np.random.default_rng(seed).standard_normal((K.shape[0], n_draws))
    return (L @ z).T


def prior_averaged_error(kernel: TorusKernel, x: Any, sizes: Any, ridge: float = 0.0) -> np.ndarray:
    r"""Exact population error of kernel ridge(less) regression on every prefix ``x[:D]``,
    averaged over targets drawn from the kernel's own prior.

    For :math:`f \sim \mathcal{GP}(0, k)`, noiseless labels and the predictor
    :math:`\hat f(x) = k_x^\top(K + \delta I)^{-1} f_X`,

    .. math:: \mathbb E_f \|f - \hat f\|^2 = k(0) - \mathrm{tr}(G K_2) - \delta\,\mathrm{tr}(G^2K_2),
              \qquad G = (K + \delta I)^{-1},

    with :math:`(K_2)_{ij} = \int k(x_i, z)k(z, x_j)\,dz` (:meth:`TorusKernel.squared`). With
    :math:`K + \delta I = LL^\top` and :math:`M = L^{-1}`, the prefixes' traces are prefix sums
    of :math:`\mathrm{diag}(MK_2M^\top)` and of :math:`(MM^\top)\circ(MK_2M^\top)`: one Cholesky
    serves every D.

    Parameters
    ----------
    kernel : the kernel (and the prior of the target).
    x : (n, d) points; the fits use the prefixes x[:D].
    sizes : increasing D ≤ n.
    ridge : δ ≥ 0 on the unnormalized Gram matrix.
    """
    _check_kernel(kernel)
    x = _points("x", x, kernel.d)
    D = check_sizes("sizes", sizes)
    if D[-1] > x.shape[0]:
        raise ValueError(f"sizes must be <= the number of points ({x.shape[0]}), got {D[-1]}")
    ridge = float(as_float_array("ridge", ridge, ndim=0, nonnegative=True))
    x = x[: D[-1]]
    check_budget("prior_averaged_error", nbytes=8.0 * 7 * float(D[-1]) ** 2, work=3.0 * float(D[-1]) ** 3)
    with blas_threads(np, int(D[-1])):     # thread-independent numbers for small problems
        K = kernel.gram(x)
        K[np.diag_indices_from(K)] += ridge
        K2 = kernel.squared().gram(x)
        try:
            L = linalg.cholesky(K, lower=True, check_finite=False)
        except linalg.LinAlgError as exc:
            raise ValueError(f"ridge={ridge:g}: the Gram matrix of x[:{D[-1]}] plus the ridge is not numerically "
                             "positive definite (duplicated points, or a ridge of 0 with a smooth kernel); use a "
                             "ridge well above rounding level") from exc
        M = linalg.solve_triangular(L, np.eye(L.shape[0]), lower=True, check_finite=False)
        B = M @ K2 @ M.T
        t1 = np.cumsum(np.diag(B))[D - 1]
        err = kernel.trace() - t1
        if ridge > 0:
            C = (M @ M.T) * B
            t2 = C.cumsum(0).cumsum(1)[D - 1, D - 1]
            err = err - ridge * t2
        return err


# ---- sweep points (module-level, for scaling_utils.engines.sweep.run_sweep) ----------------------

def gram_spectrum(kind: str, d: int, lengthscale: float, nu: float, n_points: int, seed: int) -> Any:
    """Eigenvalues of the Gram matrix of ``n_points`` uniform points on the torus, divided by
    ``n_points`` (they approach the operator's eigenvalues as the number of points grows).

    One draw of the points (``seed``); returns a DataFrame with one row per index, columns
    ``n`` (1, 2, …, in decreasing order of the eigenvalue) and ``eigenvalue``.
    """
    import pandas as pd

    kernel = TorusKernel(kind, d, lengthscale, nu)
    n_points = check_positive_int("n_points", n_points)
    x = uniform_points(n_points, d, seed=seed)
    eigenvalues = np.linalg.eigvalsh(kernel.gram(x))[::-1] / n_points
    return pd.DataFrame({"n": np.arange(1, n_points + 1), "eigenvalue": eigenvalues})


def prior_error_curve(kind: str, d: int, lengthscale: float, nu: float, sizes: Any, seed: int) -> Any:
    """:func:`prior_averaged_error` of ridgeless interpolation on the prefixes of one draw of
    ``max(sizes)`` uniform points (``seed``): a DataFrame with columns ``D`` and ``error``."""
    import pandas as pd

    kernel = TorusKernel(kind, d, lengthscale, nu)
    D = check_sizes("sizes", sizes)
    error = prior_averaged_error(kernel, uniform_points(int(D[-1]), d, seed=seed), D)
    return pd.DataFrame({"D": D, "error": error})
