r"""Bahri et al.'s random-feature teacher–student model, with the exact population loss.

The model (Bahri, Dyer, Kaplan, Lee, Sharma, *Explaining Neural Scaling Laws*, §"random feature models")
----------------------------------------------------------------------------------------------------------
* **Teacher features.** :math:`F(x) \in \mathbb R^S` with :math:`\mathbb E[F_M F_{M'}] = \lambda_M\delta_{MM'}`.
  We take them Gaussian, :math:`F \sim \mathcal N(0, \Lambda)`, :math:`\Lambda = \mathrm{diag}\,\lambda`,
  typically :math:`\lambda_n = n^{-(1+\alpha_K)}`
  (:func:`scaling_utils.theory.random_features.power_law_spectrum`).
* **Teacher.** :math:`y = \omega^\top F(x)`, :math:`\omega \sim \mathcal N(0, I_S/S)`.
* **Student.** :math:`P` features :math:`f = \mathcal P F` with a fixed random projection
  :math:`\mathcal P \in \mathbb R^{P\times S}`, :math:`\mathcal P_{jM} \sim \mathcal N(0, 1/S)`
  (``projection="gaussian"``), fitted to :math:`D` samples by (ridge) least squares,
  :math:`\hat\theta = \arg\min_\theta \sum_i (y_i - \theta^\top f_i)^2 + \gamma|\theta|^2`; ridge
  :math:`\gamma = 0` is the minimum-norm solution gradient descent from zero converges to.
  ``projection="subset"`` instead keeps :math:`P` of the :math:`S` coordinates, chosen at random.
* **Loss.** The exact population mean squared error (no test set, no factor ½):

  .. math:: L = \mathbb E_x\bigl[(\hat\theta^\top\mathcal P F - \omega^\top F)^2\bigr]
            = a^\top \Lambda a, \qquad a = \mathcal P^\top\hat\theta - \omega.

With Gaussian :math:`\mathcal P` this is exactly the linear random-feature model of
:mod:`scaling_utils.theory.random_features` with :math:`M = S` latent dimensions, :math:`N = P`
features (:math:`\sigma_u^2 = 1`), :math:`T = D` samples and teacher variances :math:`1/S`, so its
deterministic equivalent applies with the same conventions.

Limits, exactly. As :math:`D \to \infty` least squares returns the population projection
:math:`\theta^* = G^{-1}\mathcal P\Lambda\omega`, :math:`G = \mathcal P\Lambda\mathcal P^\top`; as
:math:`P \to \infty`, :math:`\mathcal P^\top\mathcal P \to (P/S) I` and the minimum-norm student
becomes minimum-norm regression on :math:`F` itself (kernel regression with kernel
:math:`F^\top F'`). Averaged over the teacher :math:`\omega`, both losses take the same form

.. math:: L = \frac1S\Bigl[\mathrm{tr}\,\Lambda - \mathrm{tr}\bigl((A\Lambda A^\top)^{-1}A\Lambda^2A^\top\bigr)\Bigr],

with :math:`A = \mathcal P` (:math:`n = P` rows, :func:`loss_infinite_data`) or :math:`A = Z`, the
:math:`D \times S` standard-normal matrix with :math:`F_i = \Lambda^{1/2} z_i`
(:math:`n = D` rows, :func:`loss_infinite_features`). Both :math:`A` have i.i.d. Gaussian entries,
so :math:`L(D{=}\infty, P{=}n)` and :math:`L(D{=}n, P{=}\infty)` have the same distribution:
the duality of the two resolution-limited regimes holds exactly, at every size.

Speed. Every sweep reuses one factorization per model instance. For a fixed :math:`P`, the
solutions for all sample prefixes :math:`D \le P` come from one factor of the :math:`D\times D`
Gram matrix :math:`ff^\top + \gamma I` (its leading blocks are the prefixes' Gram matrices,
and the triangular factor of a leading block is the leading block of the factor); for a fixed
:math:`D`, all :math:`P < D` come from one factor of :math:`f^\top f + \gamma I`. Ridgeless,
the factors are the Q and R of a QR decomposition of f (the Gram matrix is never formed); with
a ridge they are Cholesky factors (:class:`_PrefixFits`). The infinite-data and
infinite-feature limits need one Cholesky factor of :math:`A\Lambda A^\top` for all sizes (its
condition number grows only like :math:`n^{1+\alpha_K}`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from scipy import linalg

from ..validation import (
    InputTypeError,
    as_float_array,
    check_budget,
    check_choice,
    check_positive_int,
    check_seed,
    check_sizes,
    require_finite,
)
from . import backend as _backend

__all__ = [
    "TeacherStudent",
    "first_order_term",
    "loss_grid",
    "loss_infinite_data",
    "loss_infinite_features",
    "population_loss",
    "sample_teacher_student",
]


@dataclass(frozen=True)
class TeacherStudent:
    """One draw of Bahri's teacher–student model (see the module docstring).

    Attributes
    ----------
    eigenvalues : (S,) feature variances λ.
    teacher : (S,) teacher weights ω.
    projection : (P_max, S) student projection 𝒫 (its first P rows are the P-feature student).
    latent : (D_max, S) standard-normal z_i; the teacher features are F_i = Λ^{1/2} z_i.
    kind : "gaussian" or "subset".
    """

    eigenvalues: np.ndarray = field(repr=False)
    teacher: np.ndarray = field(repr=False)
    projection: np.ndarray = field(repr=False)
    latent: np.ndarray = field(repr=False)
    kind: str = "gaussian"

    def __post_init__(self) -> None:
        lam = as_float_array("eigenvalues", self.eigenvalues, ndim=1, positive=True)
        if lam.size == 0:
            raise ValueError("eigenvalues must be non-empty")
        arrays = {"teacher": (1, (lam.size,)), "projection": (2, (None, lam.size)), "latent": (2, (None, lam.size))}
        for name, (ndim, shape) in arrays.items():
            arr = as_float_array(name, getattr(self, name), ndim=ndim)
            if any(want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)):
                raise ValueError(f"{name} must have shape {tuple('n' if w is None else w for w in shape)} for "
                                 f"S = {lam.size} eigenvalues (got {arr.shape})")
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "eigenvalues", lam)
        check_choice("kind", self.kind, ("gaussian", "subset"))

    @property
    def S(self) -> int:
        return self.eigenvalues.size

    @cached_property
    def inputs(self) -> np.ndarray:
        """(D_max, S) teacher features F_i = Λ^{1/2} z_i of the training samples (computed once)."""
        return self.latent * np.sqrt(self.eigenvalues)

    @cached_property
    def features(self) -> np.ndarray:
        """(D_max, P_max) student features f_i = 𝒫 F_i (computed once: every sweep on this model reuses them).

        One BLAS thread for small models (:func:`~scaling_utils.engines.backend.blas_threads`), so that the
        features, and every loss computed from them, do not depend on the thread count."""
        check_budget("TeacherStudent.features", nbytes=8.0 * self.latent.shape[0] * self.projection.shape[0],
                     work=2.0 * self.latent.shape[0] * self.projection.shape[0] * self.S)
        with _backend.blas_threads(np, max(self.latent.shape[0], self.projection.shape[0])):
            return self.inputs @ self.projection.T

    @cached_property
    def targets(self) -> np.ndarray:
        """(D_max,) labels y_i = ω·F_i (computed once, like :attr:`features`)."""
        with _backend.blas_threads(np, max(self.latent.shape[0], self.projection.shape[0])):
            return self.inputs @ self.teacher

    def swapped(self) -> TeacherStudent:
        r"""The dual draw: the projection and the training inputs exchange roles.

        The new projection is :math:`Z/\sqrt S` (D_max × S) and the new latent inputs are
        :math:`\sqrt S\,\mathcal P` (P_max × S), so the new student features are
        :math:`f^\top` — the old design transposed — and each solve of one model is the other's
        with samples and features exchanged (minimum norm ↔ least squares, and the ridge terms
        match too). Averaged over the teacher, the loss at (D, P) of this draw equals the loss at
        (P, D) of the swapped draw exactly: D ↔ P is an identity per draw, not only in distribution.
        Needs a Gaussian projection.
        """
        if self.kind != "gaussian":
            raise ValueError(f"kind must be 'gaussian' to swap projection and inputs (got {self.kind!r})")
        root = np.sqrt(self.S)
        return TeacherStudent(self.eigenvalues, self.teacher, self.latent / root, self.projection * root,
                              self.kind)


def _check_model(model: Any) -> TeacherStudent:
    if not isinstance(model, TeacherStudent):
        raise InputTypeError(f"model must be a TeacherStudent (got {type(model).__name__})")
    return model


def sample_teacher_student(eigenvalues: Any, n_features: int, n_samples: int, *, seed: int,
                           projection: str = "gaussian") -> TeacherStudent:
    """Draw teacher ω ~ N(0, I/S), projection 𝒫 (n_features × S) and n_samples latent inputs.

    Parameters
    ----------
    eigenvalues : (S,) positive feature variances λ.
    n_features : P_max, the largest student size (smaller students use the first rows of 𝒫).
    n_samples : D_max, the largest training set (smaller ones are its prefixes).
    seed : seed of the random generator (deterministic).
    projection : "gaussian" (𝒫_jM ~ N(0, 1/S)) or "subset" (P_max distinct coordinates in
        random order; needs n_features ≤ S).

    Example
    -------
    >>> from scaling_utils.theory.random_features import power_law_spectrum
    >>> m = sample_teacher_student(power_law_spectrum(50, 1.0), 10, 20, seed=0)
    >>> m.features.shape
    (20, 10)
    """
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    if lam.size == 0:
        raise ValueError("eigenvalues must be non-empty")
    S = lam.size
    n_features = check_positive_int("n_features", n_features)
    n_samples = check_positive_int("n_samples", n_samples)
    check_choice("projection", projection, ("gaussian", "subset"))
    seed = check_seed("seed", seed)
    check_budget("sample_teacher_student",
                 nbytes=8.0 * S * (n_features + 3 * n_samples + 2) + 8.0 * n_features * n_samples)
    rng = np.random.default_rng(seed)
    teacher = rng.standard_normal(S) / np.sqrt(S)
    if projection == "gaussian":
        proj = rng.standard_normal((n_features, S)) / np.sqrt(S)
    else:
        if n_features > S:
            raise ValueError(f"n_features must be <= S = {S} for a subset projection (got {n_features})")
        proj = np.zeros((n_features, S))
        proj[np.arange(n_features), rng.permutation(S)[:n_features]] = 1.0
    latent = rng.standard_normal((n_samples, S))
    return TeacherStudent(lam, teacher, proj, latent, projection)


def population_loss(model: TeacherStudent, coef: Any) -> np.ndarray:
    r"""Exact population loss :math:`a^\top\Lambda a`, :math:`a = \mathcal P_{1:P}^\top\theta - \omega`.

    ``coef`` is (P,) or (k, P): the student uses the first P rows of the projection.
    """
    model = _check_model(model)
    coef = as_float_array("coef", coef, ndim=(1, 2))
    P = coef.shape[-1]
    if P > model.projection.shape[0]:
        raise ValueError(f"coef has {P} entries but the model has only {model.projection.shape[0]} features")
    a = coef @ model.projection[:P] - model.teacher
    with np.errstate(over="ignore", invalid="ignore"):
        return require_finite("the population loss", (a * a) @ model.eigenvalues, "coef is too large (overflow)")


class _PrefixFits:
    r"""Ridge(less) fits on every column prefix :math:`F_k = F_{:,1:k}` of a tall F (m × K, m ≥ K).

    * :meth:`least_squares`: :math:`\theta_k = \arg\min |F_k\theta - y|^2 + \gamma|\theta|^2`
      (the columns of F are features);
    * :meth:`min_norm`: :math:`\theta_k = F_k(F_k^\top F_k + \gamma)^{-1}y_{1:k}` (the columns of F
      are samples: for γ = 0 the minimum-norm interpolant).

    One factorization serves every prefix. γ = 0: F = QR, and the leading k columns of Q and
    leading k × k block of R are those of :math:`F_k`, so :math:`\theta_k = R_k^{-1}(Q^\top y)_{1:k}`
    and :math:`\theta_k = Q_{:,1:k}R_k^{-\top}y_{1:k}` — as accurate as a QR solve, with no Gram
    matrix formed (which matters at the interpolation threshold, where F is worst conditioned).
    γ > 0: the Cholesky factor of :math:`F^\top F + \gamma I`, whose leading blocks are the
    prefixes' factors; the triangular solves (semi-normal equations) are followed by one step of
    iterative refinement against F itself. ``xp`` is the array namespace of F
    (:mod:`scaling_utils.engines.backend`). The right-hand side is a vector (labels) or a matrix
    (one column per right-hand side; prefixes are its leading rows).
    """

    def __init__(self, xp: Any, F: Any, ridge: float):
        self.xp, self.F, self.ridge = xp, F, ridge
        if ridge == 0.0:
            self.Q, self.R = _backend.qr_economic(xp, F)
        else:
            self.Q = None
            G = F.T @ F + ridge * xp.eye(F.shape[1], dtype=F.dtype)
            self.R = _backend._cholesky_upper(xp, G, ridge=ridge)

    def _tri(self, k: int, b: Any, *, trans: bool = False) -> Any:
        return _backend._solve_triangular(self.xp, self.R[:k, :k], b, trans=trans)

    def _ridge_solves(self, rhs: Any, sizes: np.ndarray) -> list[Any]:
        """x_k with (F_kᵀF_k + γ) x_k = rhs_{1:k}, refined once."""
        z = _backend._solve_triangular(self.xp, self.R, rhs, trans=True)  # prefix-consistent
        out = []
        for k in sizes.tolist():
            x = self._tri(k, z[:k, ...])
            Fk = self.F[:, :k]
            residual = rhs[:k, ...] - (Fk.T @ (Fk @ x) + self.ridge * x)
            out.append(x + self._tri(k, self._tri(k, residual, trans=True)))
        return out

    def least_squares(self, y: Any, sizes: np.ndarray) -> list[Any]:
        if self.Q is None:
            return self._ridge_solves(self.F.T @ y, sizes)
        c = self.Q.T @ y
        return [self._tri(k, c[:k, ...]) for k in sizes.tolist()]

    def min_norm(self, y: Any, sizes: np.ndarray) -> list[Any]:
        if self.Q is None:
            return [self.F[:, :k] @ a for k, a in zip(sizes.tolist(), self._ridge_solves(y, sizes), strict=True)]
        z = _backend._solve_triangular(self.xp, self.R, y, trans=True)  # prefix-consistent
        return [self.Q[:, :k] @ z[:k, ...] for k in sizes.tolist()]


def loss_grid(model: TeacherStudent, n_samples: Any, n_features: Any, ridge: float = 0.0, *,
              teacher: str = "sampled", backend: str | None = None) -> np.ndarray:
    r"""Exact population loss of the ridge(less) student for every (D, P) on a grid.

    Parameters
    ----------
    model : a :class:`TeacherStudent` (D ≤ D_max samples and P ≤ P_max features are used).
    n_samples : increasing training-set sizes D.
    n_features : increasing student sizes P.
    ridge : γ ≥ 0 on the sum of squared errors (0 = minimum-norm least squares).
    teacher : "sampled" — the loss :math:`a^\top\Lambda a` for the model's ω; or "average" — its
        exact average over :math:`\omega \sim \mathcal N(0, I_S/S)` for this draw of 𝒫 and the
        inputs (see below).
    backend : where the linear algebra runs: "numpy" (default), "cupy" (a GPU) or
        "array_api_strict" (:mod:`scaling_utils.engines.backend`; default ``$SCALING_UTILS_BACKEND``).

    Returns
    -------
    (len(n_samples), len(n_features)) array of losses.

    Uses one factorization per P for all D ≤ P and one per D for all P < D (module docstring).
    Ridgeless fits need min(D, P) ≤ S (otherwise the minimum-norm solution is not unique in
    the form used here).

    **Teacher average.** The student is linear in the labels, :math:`\hat\theta = \Theta y` with
    :math:`y = X\omega` (:math:`X` the D × S inputs), so :math:`a = (\mathcal P^\top\Theta X - I)\omega`
    and, with :math:`\mathbb E\,\omega\omega^\top = I/S`,

    .. math:: \mathbb E_\omega L = \frac1S\Bigl[\mathrm{tr}(\Theta^\top K\Theta W)
              - 2\,\mathrm{tr}(\Theta C) + \mathrm{tr}\,\Lambda\Bigr],
              \quad K = \mathcal P\Lambda\mathcal P^\top,\ W = XX^\top,\ C = X\Lambda\mathcal P^\top,

    whose blocks for every (D, P) are leading blocks of the three matrices at (D_max, P_max); the
    map Θ of each size comes from the same factorizations, solved for the identity. It costs
    :math:`O(S(D_{\max}+P_{\max})^2)` once and :math:`O(nm(n+m))` per grid point (n = min, m = max),
    so it is meant for grids of a few hundred. Averaged over the teacher, the surface is exactly
    symmetric under D ↔ P for every draw: ``loss_grid(m, D, P, teacher="average")`` equals
    ``loss_grid(m.swapped(), P, D, teacher="average").T`` (:meth:`TeacherStudent.swapped`).
    """
    model = _check_model(model)
    D = check_sizes("n_samples", n_samples)
    P = check_sizes("n_features", n_features)
    ridge = float(as_float_array("ridge", ridge, ndim=0, nonnegative=True))
    if D[-1] > model.latent.shape[0]:
        raise ValueError(f"n_samples must be <= {model.latent.shape[0]} (the model's D_max), got {D[-1]}")
    if P[-1] > model.projection.shape[0]:
        raise ValueError(f"n_features must be <= {model.projection.shape[0]} (the model's P_max), got {P[-1]}")
    if ridge == 0.0 and np.any(np.minimum(D[:, None], P[None, :]) > model.S):
        raise ValueError(f"ridgeless fits need min(D, P) <= S = {model.S}")
    check_choice("teacher", teacher, ("sampled", "average"))
    xp = _backend.namespace(backend)
    d_max, p_max = float(D[-1]), float(P[-1])
    check_budget("loss_grid", nbytes=8.0 * (4 * d_max * p_max + 3 * max(d_max, p_max) ** 2 + p_max * model.S),
                 work=float(np.sum(np.minimum.outer(D, P) ** 2 * np.maximum.outer(D, P))) * 4
                 + 2.0 * (D.size + P.size) * max(d_max, p_max) * p_max * model.S,
                 iterations=D.size * P.size)
    f_all = _backend.to_device(xp, model.features[: D[-1], : P[-1]])
    proj = _backend.to_device(xp, model.projection[: P[-1]])
    lam = _backend.to_device(xp, model.eigenvalues)
    if teacher == "sampled":
        y_all, w = _backend.to_device(xp, model.targets[: D[-1]]), _backend.to_device(xp, model.teacher)

        def rhs(n):
            return y_all[:n]

        def loss(thetas, n):            # aᵀΛa, a = 𝒫ᵀθ − ω, for each θ (zero-padded to one width)
            width = max(th.shape[0] for th in thetas)
            coef = xp.zeros((len(thetas), width), dtype=f_all.dtype)
            for k, th in enumerate(thetas):
                coef[k, : th.shape[0]] = th
            a = coef @ proj[:width, :] - w
            return _backend.to_host((a * a) @ lam)
    else:
        X = _backend.to_device(xp, model.inputs[: D[-1]])
        lam_proj = proj * lam
        K, W, C = proj @ lam_proj.T, X @ X.T, X @ lam_proj.T      # 𝒫Λ𝒫ᵀ, XXᵀ, XΛ𝒫ᵀ
        trace = float(np.sum(model.eigenvalues))

        def rhs(n):
            return xp.eye(n, dtype=f_all.dtype)

        def loss(thetas, n):            # E_ω aᵀΛa for each map Θ (features × n samples)
            out = []
            for th in thetas:
                p = th.shape[0]
                quad = xp.sum((K[:p, :p] @ th) * (th @ W[:n, :n]))
                cross = xp.sum(th * C[:n, :p].T)
                out.append((float(quad) - 2 * float(cross) + trace) / model.S)
            return np.array(out)

    with _backend.blas_threads(xp, int(max(D[-1], P[-1]))):
        return _loss_grid(xp, f_all, D, P, ridge, rhs, loss)


def _loss_grid(xp, f_all, D, P, ridge, rhs, loss) -> np.ndarray:
    """The sweep of :func:`loss_grid`: ``rhs(n)`` is the right-hand side for n samples (the labels,
    or the identity for the map Θ), ``loss(solutions, n)`` the losses of one factorization's solutions."""
    out = np.full((D.size, P.size), np.nan)
    for j, p in enumerate(P.tolist()):  # D <= p: the samples are the columns of fᵀ, prefixes in D
        rows = D[D <= p]
        if rows.size == 0:
            continue
        n = int(rows[-1])
        out[: rows.size, j] = loss(_PrefixFits(xp, f_all[:n, :p].T, ridge).min_norm(rhs(n), rows), n)
    for i, n in enumerate(D.tolist()):  # P < n: the features are the columns of f, prefixes in P
        cols = P[P < n]
        if cols.size == 0:
            continue
        out[i, : cols.size] = loss(_PrefixFits(xp, f_all[:n, : int(cols[-1])], ridge).least_squares(rhs(n), cols), n)
    return out


def _gram_factor(A: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Upper Cholesky factor R of A Λ Aᵀ = RᵀR."""
    B = A * np.sqrt(lam)
    try:
        return linalg.cholesky(B @ B.T, lower=False, check_finite=False)
    except linalg.LinAlgError as exc:
        raise ValueError(f"the {len(A)}x{len(A)} Gram matrix A Λ Aᵀ of the model is not numerically positive "
                         "definite (sizes too close to S, or eigenvalues near rounding level)") from exc


def _projection_loss(A: np.ndarray, lam: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    r"""Teacher-averaged loss for every row prefix of A:
    :math:`\frac1S[\mathrm{tr}\Lambda - \mathrm{tr}((A\Lambda A^\top)^{-1}A\Lambda^2A^\top)]`."""
    A = A[: sizes[-1]]
    W = linalg.solve_triangular(_gram_factor(A, lam), A * lam, trans="T", check_finite=False)  # R⁻ᵀ A Λ
    captured = np.cumsum(np.einsum("ij,ij->i", W, W))
    return (lam.sum() - captured[sizes - 1]) / lam.size


def _limit_sizes(name: str, sizes: Any, rows: int, rows_name: str, model: TeacherStudent, teacher: str) -> np.ndarray:
    """Checks shared by the two limits: increasing sizes up to min(rows, S), and a known teacher mode."""
    _check_model(model)
    sizes = check_sizes(name, sizes)
    check_choice("teacher", teacher, ("average", "sampled"))
    if sizes[-1] > min(rows, model.S):
        raise ValueError(f"{name} must be <= min({rows_name}, S) = {min(rows, model.S)}, got {sizes[-1]}")
    return sizes


def loss_infinite_data(model: TeacherStudent, n_features: Any, *, teacher: str = "average") -> np.ndarray:
    r"""Exact :math:`\lim_{D\to\infty} L` at each P.

    The infinite-data fit is the population projection
    :math:`\theta^* = G^{-1}\mathcal P\Lambda\omega`, :math:`G = \mathcal P\Lambda\mathcal P^\top`,
    with loss :math:`\omega^\top\Lambda\omega - \omega^\top\Lambda\mathcal P^\top G^{-1}\mathcal P\Lambda\omega`
    (``teacher="sampled"``: the model's ω). Averaged over :math:`\omega \sim \mathcal N(0, I/S)`
    (``teacher="average"``) it is
    :math:`\frac1S[\mathrm{tr}\Lambda - \mathrm{tr}(G^{-1}\mathcal P\Lambda^2\mathcal P^\top)]`.
    One Cholesky factor of G serves every P. Needs P ≤ S.
    """
    P = _limit_sizes("n_features", n_features, _check_model(model).projection.shape[0], "P_max", model, teacher)
    lam = model.eigenvalues
    with _backend.blas_threads(np, int(P[-1])):     # thread-independent numbers for small problems
        if teacher == "average":
            return _projection_loss(model.projection, lam, P)
        A = model.projection[: P[-1]]
        z = linalg.solve_triangular(_gram_factor(A, lam), A @ (lam * model.teacher), trans="T", check_finite=False)
        return model.teacher**2 @ lam - np.cumsum(z**2)[P - 1]


def loss_infinite_features(model: TeacherStudent, n_samples: Any, *, teacher: str = "average") -> np.ndarray:
    r"""Exact :math:`\lim_{P\to\infty} L` of the minimum-norm Gaussian-projection student at each D.

    As :math:`P\to\infty`, :math:`\mathcal P^\top\mathcal P \to (P/S)I` and the student becomes
    minimum-norm regression on F: :math:`a = -(I - \Pi_D)\omega` with :math:`\Pi_D` the projector
    on the span of the training inputs :math:`F_1, \dots, F_D`; ``teacher="sampled"`` returns
    :math:`a^\top\Lambda a` for the model's ω. Averaged over ω (``teacher="average"``),
    :math:`\frac1S[\mathrm{tr}\Lambda - \mathrm{tr}(\Pi_D\Lambda)]` — the form of
    :func:`loss_infinite_data` with 𝒫 replaced by the standard-normal Z. Needs D ≤ S.
    """
    D = _limit_sizes("n_samples", n_samples, _check_model(model).latent.shape[0], "D_max", model, teacher)
    lam = model.eigenvalues
    with _backend.blas_threads(np, int(D[-1])):     # thread-independent numbers for small problems
        if teacher == "average":
            return _projection_loss(model.latent, lam, D)
        Z = model.latent[: D[-1]]
        R = _gram_factor(Z, lam)
        X = Z * np.sqrt(lam)
        z = linalg.solve_triangular(R, X @ model.teacher, trans="T", check_finite=False)
        out = np.empty(D.size)
        for i, n in enumerate(D):
            u = linalg.solve_triangular(R[:n, :n], z[:n], check_finite=False)
            a = X[:n].T @ u - model.teacher
            out[i] = (a * a) @ lam
        return out


def first_order_term(model: TeacherStudent, n_samples: int, n_features: Any) -> np.ndarray:
    r"""The zero-mean first-order part of :math:`L(D, P) - L(D, \infty)` (Gaussian projection, D < P).

    Write :math:`\mathcal P^\top\mathcal P = \frac PS(I + \Delta)`, :math:`\mathbb E\Delta = 0`. The
    minimum-norm student's latent predictor
    :math:`\beta = \mathcal P^\top\mathcal P X^\top(X\mathcal P^\top\mathcal P X^\top)^{-1}y` is, to
    first order in Δ, :math:`\beta_0 + (I - \Pi)\Delta\beta_0` with
    :math:`\beta_0 = X^\top(XX^\top)^{-1}y` (the :math:`P = \infty` solution) and Π the projector on
    the span of the training inputs, so

    .. math:: L(D, P) - L(D, \infty) = 2\,(\beta_0-\omega)^\top\Lambda(I-\Pi)\,\Delta\,\beta_0 + O(\Delta^2).

    The first term has mean exactly zero over projections — Bahri et al.'s argument for the
    variance-limited regime — but it dominates one instance's excess (its size is
    :math:`\propto\sqrt{D/P}`, the mean excess :math:`\propto D/P`). Subtracting it is a control
    variate: the mean is unchanged and the noise drops to the second-order scale.
    Returns the first-order term for every P in ``n_features``.
    """
    model = _check_model(model)
    n = check_positive_int("n_samples", n_samples)
    P = check_sizes("n_features", n_features)
    if model.kind != "gaussian":
        raise ValueError("projection must be 'gaussian' for the first-order expansion")
    if n > min(model.latent.shape[0], model.S) or P[0] <= n or P[-1] > model.projection.shape[0]:
        raise ValueError(f"need n_samples < n_features <= {model.projection.shape[0]} and "
                         f"n_samples <= min(D_max, S) = {min(model.latent.shape[0], model.S)}")
    lam, w = model.eigenvalues, model.teacher
    X = model.inputs[:n]
    chol = linalg.cho_factor(X @ X.T, check_finite=False)
    beta0 = X.T @ linalg.cho_solve(chol, X @ w, check_finite=False)
    g = lam * (beta0 - w)
    r = g - X.T @ linalg.cho_solve(chol, X @ g, check_finite=False)   # (I − Π) Λ (β0 − ω)
    proj_beta = model.projection[: P[-1]] @ beta0
    proj_r = model.projection[: P[-1]] @ r
    cum = np.cumsum(proj_beta * proj_r)[P - 1]                       # rᵀ 𝒫ᵀ𝒫 β0 for each prefix
    return 2 * (model.S / P * cum - r @ beta0)
