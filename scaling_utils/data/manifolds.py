r"""Data on a d-dimensional manifold: the flat torus, its isometric embedding, smooth targets.

The resolution-limited chapter needs three things whose geometry is known exactly.

* **Inputs**: points uniform on the flat torus :math:`\mathbb T^d = [0, 1)^d` with periodic
  boundaries (unit volume, no boundary, the same neighbourhood statistics everywhere).
* **An embedding** :math:`\Phi: \mathbb T^d \to \mathbb R^n`, :math:`n \ge 2d`, that preserves the
  intrinsic geometry: each angle :math:`\theta_i` goes to the circle
  :math:`(\cos 2\pi\theta_i, \sin 2\pi\theta_i)/2\pi` of circumference 1 (the Clifford torus, whose
  induced metric is exactly the flat one — the map is an isometric embedding), the :math:`2d`
  coordinates are padded with zeros to :math:`n` and rotated by a fixed random orthogonal matrix.
  Ambient Euclidean distances are **chordal**:

  .. math::  |\Phi(\theta) - \Phi(\theta')|^2 = \sum_{i=1}^d \Bigl(\frac{\sin \pi\Delta_i}{\pi}\Bigr)^2,

  with :math:`\Delta_i` the periodic difference of the angles, so the chord equals the geodesic
  (flat) distance :math:`r` up to a relative error :math:`\le \pi^2 r^2/6`. At nearest-neighbour
  scales :math:`r \propto D^{-1/d} \to 0` this is a vanishing correction: exponents are unchanged
  and constants change by less than 1 % once :math:`r < 0.08`. (A linear isometry of a cube patch
  would give exact distances but reintroduce the boundary effects the torus avoids.)
* **Targets**: finite random Fourier series
  :math:`f(\theta) = \sum_m a_m \cos(2\pi k_m\cdot\theta + \phi_m)` with integer frequencies, so
  that :math:`f` is smooth and periodic and every average the theory needs is a finite sum, e.g.
  :math:`\mathbb E|\nabla f|^2 = \sum_m a_m^2 (2\pi|k_m|)^2 / 2`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..validation import as_float_array, check_budget, check_in_range, check_positive_int, check_seed, require_finite

__all__ = [
    "FourierTarget",
    "TorusEmbedding",
    "random_fourier_target",
    "random_torus_embedding",
    "sample_torus",
]


def _rng(seed: Any) -> np.random.Generator:
    seed = check_seed("seed", seed, generator=True)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def sample_torus(n: int, d: int, seed: Any = 0) -> np.ndarray:
    """``n`` points uniform on the flat unit torus :math:`[0,1)^d`.

    Parameters
    ----------
    n : number of points (≥ 1). d : intrinsic dimension (≥ 1).
    seed : integer seed or a ``numpy.random.Generator``.

    Returns
    -------
    ndarray of shape (n, d) with entries in [0, 1).

    Examples
    --------
    >>> sample_torus(3, 2, seed=0).shape
    (3, 2)
    """
    n = check_positive_int("n", n)
    d = check_positive_int("d", d)
    check_budget("sample_torus", nbytes=8.0 * n * d)
    return _rng(seed).random((n, d))


@dataclass(frozen=True, eq=False)
class TorusEmbedding:
    """The isometric embedding :math:`\\Phi(\\theta) = R\\,[\\cos 2\\pi\\theta, \\sin 2\\pi\\theta, 0]/2\\pi`.

    ``rotation`` is an (n, n) orthogonal matrix; ``d`` the torus dimension, ``ambient_dim`` n ≥ 2d.
    """

    d: int
    ambient_dim: int
    rotation: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        d = check_positive_int("d", self.d)
        n = check_positive_int("ambient_dim", self.ambient_dim, minimum=2 * d)
        rotation = as_float_array("rotation", self.rotation, ndim=2)
        if rotation.shape != (n, n) or not np.allclose(rotation.T @ rotation, np.eye(n), atol=1e-8):
            raise ValueError(f"rotation must be an orthogonal ({n}, {n}) matrix (got shape {rotation.shape})")
        object.__setattr__(self, "rotation", rotation)

    def __call__(self, theta: Any) -> np.ndarray:
        """Embed angles ``theta`` of shape (N, d) into :math:`\\mathbb R^n`; returns (N, n)."""
        theta = as_float_array("theta", theta, ndim=2)
        if theta.shape[1] != self.d:
            raise ValueError(f"theta must have d = {self.d} columns (got {theta.shape[1]})")
        with np.errstate(invalid="ignore"):
            circle = np.concatenate([np.cos(2 * np.pi * theta), np.sin(2 * np.pi * theta)], axis=1) / (2 * np.pi)
        require_finite("the embedded points", circle, "theta is so large that 2*pi*theta overflows")
        # Only the first 2d columns of the padded vector are non-zero: multiply by those rows of R^T.
        return circle @ self.rotation[:, : 2 * self.d].T

    @staticmethod
    def chordal_distance(geodesic_offsets: Any) -> np.ndarray:
        """Ambient distance for periodic coordinate offsets :math:`\\Delta` (shape (..., d)):
        :math:`\\sqrt{\\sum_i (\\sin\\pi\\Delta_i/\\pi)^2}`."""
        delta = as_float_array("geodesic_offsets", geodesic_offsets)
        if delta.ndim == 0:
            raise ValueError("geodesic_offsets must have shape (..., d) (got a scalar)")
        delta = delta - np.round(delta)    # periodic: sin²(πΔ) has period 1
        return np.sqrt(((np.sin(np.pi * delta) / np.pi) ** 2).sum(-1))


def random_torus_embedding(d: int, ambient_dim: int, seed: int = 0) -> TorusEmbedding:
    """A fixed random isometric embedding of :math:`\\mathbb T^d` into :math:`\\mathbb R^{n}`, n ≥ 2d.

    The rotation is Haar-distributed (QR of a Gaussian matrix with the sign convention that makes
    it uniform).

    Examples
    --------
    >>> emb = random_torus_embedding(2, 10, seed=0)
    >>> emb(sample_torus(5, 2)).shape
    (5, 10)
    """
    d = check_positive_int("d", d)
    ambient_dim = check_positive_int("ambient_dim", ambient_dim, minimum=2 * d)
    g = _rng(seed).standard_normal((ambient_dim, ambient_dim))
    q, r = np.linalg.qr(g)
    q = q * np.sign(np.diag(r))
    return TorusEmbedding(d=d, ambient_dim=ambient_dim, rotation=q)


@dataclass(frozen=True, eq=False)
class FourierTarget:
    r"""A smooth periodic target :math:`f(\theta) = \sum_m a_m \cos(2\pi k_m\cdot\theta + \phi_m)`.

    The frequencies are distinct integer vectors with no pair :math:`k_m = \pm k_{m'}`, so the modes
    are orthogonal on the torus and every population average is a finite sum.
    """

    frequencies: np.ndarray  # (M, d) integers
    amplitudes: np.ndarray  # (M,)
    phases: np.ndarray  # (M,)

    def __post_init__(self) -> None:
        freqs = as_float_array("frequencies", self.frequencies, ndim=2)
        if freqs.shape[0] == 0 or freqs.shape[1] == 0 or np.any(freqs != np.round(freqs)) \
                or np.any(np.abs(freqs) >= 2**31):
            raise ValueError(f"frequencies must be a non-empty (M, d) array of integers below 2^31 "
                             f"(got shape {freqs.shape})")
        for name in ("amplitudes", "phases"):
            arr = as_float_array(name, getattr(self, name), ndim=1)
            if arr.size != freqs.shape[0]:
                raise ValueError(f"{name} must have one entry per row of frequencies ({freqs.shape[0]}), "
                                 f"got {arr.size}")
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "frequencies", freqs.astype(np.int64))
        require_finite("amplitudes", self.hessian_cell_constant, "too large: the target's moments overflow")

    @property
    def d(self) -> int:
        return self.frequencies.shape[1]

    def __call__(self, theta: Any) -> np.ndarray:
        """Values at angles ``theta`` of shape (N, d); returns (N,)."""
        theta = as_float_array("theta", theta, ndim=2)
        if theta.shape[1] != self.d:
            raise ValueError(f"theta must have d = {self.d} columns (got {theta.shape[1]})")
        return np.cos(2 * np.pi * theta @ self.frequencies.T + self.phases) @ self.amplitudes

    @property
    def wavenumbers(self) -> np.ndarray:
        """:math:`\\omega_m = 2\\pi|k_m|`."""
        return 2 * np.pi * np.linalg.norm(self.frequencies, axis=1)

    @property
    def variance(self) -> float:
        """:math:`\\mathbb E f^2 = \\sum_m a_m^2/2` (the mean of f is zero)."""
        return float((self.amplitudes**2).sum() / 2)

    @property
    def gradient_sq_mean(self) -> float:
        """:math:`\\mathbb E|\\nabla f|^2 = \\sum_m a_m^2 \\omega_m^2 / 2`."""
        return float((self.amplitudes**2 * self.wavenumbers**2).sum() / 2)

    @property
    def lipschitz_bound(self) -> float:
        """An upper bound on the Lipschitz constant, :math:`\\sup|\\nabla f| \\le \\sum_m |a_m|\\omega_m`."""
        return float((np.abs(self.amplitudes) * self.wavenumbers).sum())

    @property
    def laplacian_sq_mean(self) -> float:
        """:math:`\\mathbb E(\\Delta f)^2 = \\sum_m a_m^2\\omega_m^4/2` (equals E f''² in d = 1)."""
        return float((self.amplitudes**2 * self.wavenumbers**4).sum() / 2)

    @property
    def hessian_cell_constant(self) -> float:
        r"""The constant :math:`c_H` of the cubic-cell linear fit, :math:`\mathrm{MSE} \approx c_H h^4`:

        .. math::  c_H = \sum_m \frac{a_m^2 (2\pi)^4}{2}\Bigl[\sum_i \frac{k_{mi}^4}{720}
                   + \sum_{i<j}\frac{k_{mi}^2 k_{mj}^2}{144}\Bigr]

        (see :func:`scaling_utils.theory.neighbors.cell_model_mse`).
        """
        k2 = self.frequencies.astype(float) ** 2
        diag = (k2**2).sum(1) / 720
        off = ((k2.sum(1)) ** 2 - (k2**2).sum(1)) / 2 / 144
        return float((self.amplitudes**2 * (2 * np.pi) ** 4 / 2 * (diag + off)).sum())


def random_fourier_target(d: int, n_modes: int = 8, max_frequency: int = 1, seed: int = 0,
                          variance: float = 1.0) -> FourierTarget:
    """A random smooth target: ``n_modes`` distinct frequencies from :math:`\\{-K..K\\}^d` (up to sign).

    Frequencies are drawn without replacement among the non-zero integer vectors with
    :math:`|k|_\\infty \\le K` = ``max_frequency`` whose first non-zero entry is positive (so no two are
    ± each other); if fewer than ``n_modes`` exist, all are used. Amplitudes are Gaussian, rescaled so
    that :math:`\\mathbb E f^2` = ``variance``; phases uniform.

    Examples
    --------
    >>> f = random_fourier_target(2, n_modes=3, seed=1)
    >>> round(f.variance, 6)
    1.0
    """
    d = check_positive_int("d", d, maximum=12)
    n_modes = check_positive_int("n_modes", n_modes)
    max_frequency = check_positive_int("max_frequency", max_frequency)
    variance = check_in_range("variance", variance, low=0, low_open=True)
    if (2 * max_frequency + 1) ** d > 5_000_000:
        raise ValueError(f"max_frequency={max_frequency} in d={d} gives more than 5e6 candidate "
                         "frequencies; lower max_frequency")
    rng = _rng(seed)
    grid = np.indices((2 * max_frequency + 1,) * d).reshape(d, -1).T - max_frequency
    nonzero = grid != 0
    first = np.argmax(nonzero, axis=1)
    canonical = nonzero.any(1) & (grid[np.arange(len(grid)), first] > 0)
    candidates = grid[canonical]
    pick = rng.choice(len(candidates), size=min(n_modes, len(candidates)), replace=False)
    freqs = candidates[np.sort(pick)]
    amps = rng.standard_normal(len(freqs))
    amps *= np.sqrt(2 * variance / (amps**2).sum())
    require_finite("the amplitudes", amps, f"variance={variance:g} is too large")
    phases = rng.uniform(0, 2 * np.pi, len(freqs))
    return FourierTarget(frequencies=freqs.astype(np.int64), amplitudes=amps, phases=phases)
