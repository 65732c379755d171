r"""Least squares with a fixed number of features: the data side of the variance-limited regime.

Two generators, both with *exact population losses* (no test set):

* :func:`ols_learning_curves` — well-specified linear regression: inputs
  :math:`x \sim \mathcal N(0, I_P)`, targets :math:`y = w^\top x + \sigma\varepsilon`, fitted by least
  squares (minimum norm below :math:`D = P`). The excess test MSE of a fit :math:`\hat w` is exactly
  :math:`|\hat w - w|^2`; its mean is :func:`scaling_utils.theory.variance.min_norm_excess_risk`.
* :class:`ReluTeacherStudent` — a fixed student of :math:`P` random ReLU features
  :math:`\phi_i(x) = \max(0, s_i\cdot x)` fitted to a ReLU teacher network it cannot represent,
  :math:`y = \sum_m c_m \max(0, t_m\cdot x) + \sigma\varepsilon`. With :math:`x \sim \mathcal N(0, I_n)`
  every population moment is an arc-cosine kernel (:func:`scaling_utils.engines.features.arccos_kernel`):
  :math:`\Sigma = \mathbb E[\phi\phi^\top] = k(S, S)`, :math:`b = \mathbb E[\phi y] = k(S, T)\,c`,
  :math:`\mathbb E y^2 = c^\top k(T, T)c + \sigma^2`. Hence the population optimum
  :math:`\theta_* = \Sigma^{-1}b`, the irreducible loss :math:`L_\infty = \mathbb E y^2 - b^\top\theta_*`
  and the excess of any fit, :math:`(\hat\theta - \theta_*)^\top\Sigma(\hat\theta - \theta_*)`, are exact.

Learning curves use nested training sets (the first D samples of one stream per seed), so one
stream serves every size; the seed is the unit of independence.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ..validation import (
    InputTypeError,
    as_float_array,
    check_budget,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
    cholesky_factor,
    require_finite,
)
from .features import arccos_kernel
from .networks import ExcessParts, excess_loss_parts

__all__ = ["ReluTeacherStudent", "coefficient_parts", "ols_learning_curves"]


def _prefix_solutions(x: np.ndarray, y: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Least squares on every prefix x[:, :n] (batched over the leading seed axis): (S, K, P).

    Above P + 1 samples the normal equations are accumulated chunk by chunk (one pass over the data);
    at or below it the minimum-norm solution comes from a batched pseudo-inverse.
    """
    seeds, _, p = x.shape
    out = np.empty((seeds, sizes.size, p))
    gram = np.zeros((seeds, p, p))
    moment = np.zeros((seeds, p))
    done = 0
    for k, n in enumerate(sizes):
        gram += np.matmul(x[:, done:n].transpose(0, 2, 1), x[:, done:n])
        moment += np.einsum("sdp,sd->sp", x[:, done:n], y[:, done:n])
        done = n
        if n > p + 1:
            out[:, k] = np.linalg.solve(gram, moment[..., None])[..., 0]
        else:
            out[:, k] = np.matmul(np.linalg.pinv(x[:, :n]), y[:, :n, None])[..., 0]
    return out


def ols_learning_curves(sizes: Any, P: int, noise_var: float, *, signal: float = 1.0, seeds: int = 20,
                        seed: int = 0, chunk: int = 25) -> np.ndarray:
    r"""Excess test MSE :math:`|\hat w - w|^2` of least squares on ``P`` isotropic Gaussian features.

    For each seed a true :math:`w` with :math:`|w|^2 =` ``signal`` (uniform direction) and a stream of
    samples are drawn; the fit at size D uses the first D samples (minimum-norm for D ≤ P + 1).

    Parameters
    ----------
    sizes : increasing training-set sizes D ≥ 1.
    P : number of features; noise_var : label-noise variance σ² ≥ 0; signal : |w|² ≥ 0.
    seeds : number of independent seeds; seed : generator seed; chunk : seeds per batch (memory).

    Returns
    -------
    (seeds, len(sizes)) array of exact excess population losses.

    >>> ols_learning_curves([20, 50], 5, 1.0, seeds=3).shape
    (3, 2)
    """
    sizes = check_sizes("sizes", sizes)
    P = check_positive_int("P", P)
    noise_var = check_in_range("noise_var", noise_var, low=0)
    signal = check_in_range("signal", signal, low=0)
    seeds = check_positive_int("seeds", seeds)
    chunk = check_positive_int("chunk", chunk)
    seed = check_seed("seed", seed)
    _check_prefix_budget("ols_learning_curves", sizes, P, seeds, chunk)
    rng = np.random.default_rng(seed)
    out = np.empty((seeds, sizes.size))
    for start in range(0, seeds, chunk):
        s = min(chunk, seeds - start)
        w = rng.standard_normal((s, P))
        w *= np.sqrt(signal) / np.linalg.norm(w, axis=1, keepdims=True)
        x = rng.standard_normal((s, int(sizes[-1]), P))
        y = np.einsum("sdp,sp->sd", x, w) + np.sqrt(noise_var) * rng.standard_normal((s, int(sizes[-1])))
        theta = _prefix_solutions(x, y, sizes)
        out[start:start + s] = np.sum((theta - w[:, None, :]) ** 2, axis=-1)
    return out


def _check_prefix_budget(what: str, sizes: np.ndarray, P: int, seeds: int, chunk: int) -> None:
    batch, d_max = min(chunk, seeds), float(sizes[-1])
    check_budget(what, nbytes=8.0 * batch * (d_max * (P + 2) + 3 * P * P + sizes.size * P),
                 work=seeds * (2.0 * d_max * P * P + sizes.size * 10.0 * P**3), iterations=seeds / chunk * sizes.size)


class ReluTeacherStudent:
    r"""Random ReLU features fitted to a ReLU teacher, with exact population moments.

    Parameters
    ----------
    student : (P, n) student weights :math:`s_i` (fixed: the model does not change with D).
    teacher : (M, n) teacher weights :math:`t_m`; readout : (M,) teacher readout :math:`c_m`.
    noise_var : label-noise variance σ² ≥ 0.

    Use :meth:`draw` for Gaussian weights.
    """

    def __init__(self, student: Any, teacher: Any, readout: Any, noise_var: float = 0.0) -> None:
        self.student = as_float_array("student", student, ndim=2)
        self.teacher = as_float_array("teacher", teacher, ndim=2)
        self.readout = as_float_array("readout", readout, ndim=1)
        if self.teacher.shape[1] != self.student.shape[1]:
            raise ValueError(f"teacher must have {self.student.shape[1]} columns like student "
                             f"(got {self.teacher.shape})")
        if self.readout.shape[0] != self.teacher.shape[0]:
            raise ValueError(f"readout must have one entry per teacher unit ({self.teacher.shape[0]}), "
                             f"got {self.readout.shape[0]}")
        self.noise_var = check_in_range("noise_var", noise_var, low=0)

    @classmethod
    def draw(cls, dim: int, P: int, M: int, noise_var: float = 0.0, *, seed: int = 0) -> ReluTeacherStudent:
        r"""Student and teacher weights :math:`\mathcal N(0, I_n)`, readout :math:`\mathcal N(0, 1/M)`."""
        dim = check_positive_int("dim", dim)
        P = check_positive_int("P", P)
        M = check_positive_int("M", M)
        seed = check_seed("seed", seed)
        check_budget("ReluTeacherStudent.draw", nbytes=8.0 * ((P + M) * dim + 2 * P * P + P * M))
        rng = np.random.default_rng(seed)
        return cls(rng.standard_normal((P, dim)), rng.standard_normal((M, dim)),
                   rng.standard_normal(M) / np.sqrt(M), noise_var)

    @property
    def P(self) -> int:
        """Number of student features."""
        return self.student.shape[0]

    @cached_property
    def sigma(self) -> np.ndarray:
        r""":math:`\Sigma = \mathbb E[\phi\phi^\top]`, (P, P)."""
        return arccos_kernel(self.student)

    @cached_property
    def cross(self) -> np.ndarray:
        r""":math:`b = \mathbb E[\phi\,y]`, (P,)."""
        return arccos_kernel(self.student, self.teacher) @ self.readout

    @cached_property
    def target_second_moment(self) -> float:
        r""":math:`\mathbb E y^2 = c^\top k(T, T) c + \sigma^2`."""
        return float(self.readout @ arccos_kernel(self.teacher) @ self.readout + self.noise_var)

    @cached_property
    def theta_star(self) -> np.ndarray:
        r"""Population optimum :math:`\theta_* = \Sigma^{-1}b`."""
        return np.linalg.solve(self.sigma, self.cross)

    @cached_property
    def loss_inf(self) -> float:
        r""":math:`L_\infty = \mathbb E y^2 - b^\top\theta_*`, the loss of the best student."""
        return self.target_second_moment - float(self.cross @ self.theta_star)

    def sample(self, D: int, *, seed: int | np.random.Generator = 0, batch: tuple[int, ...] = ()
               ) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``D`` samples: features (*batch, D, P) and targets (*batch, D)."""
        D = check_positive_int("D", D)
        seed = check_seed("seed", seed, generator=True)
        if not isinstance(batch, tuple | list):
            raise InputTypeError(f"batch must be a tuple of batch sizes (got {batch!r:.80})")
        batch = tuple(check_positive_int("batch", b, minimum=0) for b in batch)
        rows = float(np.prod(batch, dtype=float)) * D
        check_budget("ReluTeacherStudent.sample", nbytes=8.0 * rows * (self.student.shape[1] + self.P + 2),
                     work=2.0 * rows * self.student.shape[1] * (self.P + self.teacher.shape[0]))
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        x = rng.standard_normal((*batch, D, self.student.shape[1]))
        phi = np.maximum(x @ self.student.T, 0.0)
        y = np.maximum(x @ self.teacher.T, 0.0) @ self.readout
        y = y + np.sqrt(self.noise_var) * rng.standard_normal(y.shape)
        return phi, y

    def excess(self, theta: Any) -> np.ndarray:
        r"""Exact excess population MSE :math:`(\theta - \theta_*)^\top\Sigma(\theta - \theta_*)`, (...)."""
        theta = as_float_array("theta", theta)
        if theta.shape[-1] != self.P:
            raise ValueError(f"theta must end in {self.P} coefficients (got shape {theta.shape})")
        e = theta - self.theta_star
        return require_finite("the excess", np.einsum("...p,pq,...q->...", e, self.sigma, e),
                              "theta is too large (its squares overflow)")

    def omega(self, n_mc: int = 200_000, *, seed: int = 0) -> np.ndarray:
        r""":math:`\Omega = \mathbb E[r^2\phi\phi^\top]` with :math:`r = y - \theta_*^\top\phi`, (P, P).

        The noiseless part by Monte Carlo over ``n_mc`` inputs; the noise adds :math:`\sigma^2\Sigma`
        exactly. Feeds :func:`scaling_utils.theory.variance.sandwich_excess_risk`.
        """
        n_mc = check_positive_int("n_mc", n_mc, minimum=2)
        seed = check_seed("seed", seed)
        check_budget("ReluTeacherStudent.omega", nbytes=8.0 * n_mc * (self.student.shape[1] + 2 * self.P + 2),
                     work=2.0 * n_mc * (self.student.shape[1] * (self.P + self.teacher.shape[0]) + self.P**2))
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((n_mc, self.student.shape[1]))
        phi = np.maximum(x @ self.student.T, 0.0)
        r = np.maximum(x @ self.teacher.T, 0.0) @ self.readout - phi @ self.theta_star
        return (phi * (r * r)[:, None]).T @ phi / n_mc + self.noise_var * self.sigma

    def learning_curves(self, sizes: Any, *, seeds: int = 20, seed: int = 0, chunk: int = 25) -> np.ndarray:
        """Least-squares coefficients at every size and seed, shape (seeds, len(sizes), P).

        Nested training sets per seed; minimum-norm below D = P + 2.
        """
        sizes = check_sizes("sizes", sizes)
        seeds = check_positive_int("seeds", seeds)
        chunk = check_positive_int("chunk", chunk)
        seed = check_seed("seed", seed)
        _check_prefix_budget("ReluTeacherStudent.learning_curves", sizes, self.P, seeds, chunk)
        rng = np.random.default_rng(seed)
        out = np.empty((seeds, sizes.size, self.P))
        for start in range(0, seeds, chunk):
            s = min(chunk, seeds - start)
            phi, y = self.sample(int(sizes[-1]), seed=rng, batch=(s,))
            out[start:start + s] = _prefix_solutions(phi, y, sizes)
        return out


def coefficient_parts(theta: Any, theta_star: Any, sigma: Any) -> ExcessParts:
    r"""Seed decomposition of the excess :math:`(\hat\theta - \theta_*)^\top\Sigma(\hat\theta - \theta_*)`.

    The coefficients are mapped to function space by :math:`e = C^\top\theta` with :math:`\Sigma = CC^\top`
    (so that :math:`|e|^2` is the population excess) and split by
    :func:`scaling_utils.engines.networks.excess_loss_parts`; at the population optimum the first-order term
    vanishes identically, so ``mean_shift`` is zero and ``total`` = ``fluctuation`` =
    variance + :math:`|\bar f - f_*|^2`.

    Parameters
    ----------
    theta : (seeds, ..., P) fitted coefficients; theta_star : (P,); sigma : (P, P) positive definite.
    """
    theta = as_float_array("theta", theta)
    theta_star = as_float_array("theta_star", theta_star, ndim=1)
    sigma = as_float_array("sigma", sigma, ndim=2)
    p = theta_star.shape[0]
    if p == 0 or theta.ndim < 2 or theta.shape[-1] != p or sigma.shape != (p, p):
        raise ValueError(f"theta must end in {p} coefficients like theta_star, after a seed axis, and sigma be "
                         f"({p}, {p}), P >= 1 (got {theta.shape}, {sigma.shape})")
    chol = cholesky_factor("sigma", sigma)
    scale = np.sqrt(p)  # excess_loss_parts averages over its last axis; |e|² is a sum
    f = scale * theta @ chol
    f_star = scale * theta_star @ chol
    return excess_loss_parts(f, f_star, f_star)
