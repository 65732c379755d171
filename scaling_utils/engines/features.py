r"""Random features and their infinite-width kernels.

A random feature of width :math:`W` is :math:`\phi_j(x) = \sigma(w_j\cdot x)` with
:math:`w_j \sim \mathcal N(0, I_n)`, and its empirical kernel
:math:`K_W(x, x') = W^{-1}\sum_j \phi_j(x)\phi_j(x')` is an unbiased Monte Carlo estimate of the
infinite-width kernel :math:`K(x, x') = \mathbb E_w[\sigma(w\cdot x)\sigma(w\cdot x')]`
(Rahimi & Recht 2007). For two activations the expectation has a closed form:

* ReLU, :math:`\sigma(u) = \max(0, u)` — the degree-1 arc-cosine kernel of Cho & Saul
  (2009),

  .. math:: K(x, x') = \frac{|x||x'|}{2\pi}\bigl(\sin\theta + (\pi - \theta)\cos\theta\bigr),
            \qquad \theta = \angle(x, x').

  (Cho & Saul's :math:`k_1` is twice this: their features carry a factor :math:`\sqrt 2`.)
* erf, :math:`\sigma(u) = \operatorname{erf}(u)` — the arcsine kernel (Williams 1997),

  .. math:: K(x, x') = \frac{2}{\pi}\arcsin\frac{2x\cdot x'}{\sqrt{(1 + 2|x|^2)(1 + 2|x'|^2)}},

  and its derivative kernel
  :math:`\dot K(x, x') = \mathbb E[\operatorname{erf}'(w\cdot x)\operatorname{erf}'(w\cdot x')]
  = \frac{4}{\pi}\bigl[(1 + 2|x|^2)(1 + 2|x'|^2) - 4(x\cdot x')^2\bigr]^{-1/2}`
  (a Gaussian integral of :math:`e^{-h^2 - h'^2}`).

The neural tangent kernel (Jacot et al. 2018) of the two-layer network
:math:`f(x) = W^{-1/2}\sum_j a_j\,\operatorname{erf}(w_j\cdot x)` with
:math:`a_j \sim \mathcal N(0, 1)`, :math:`w_j \sim \mathcal N(0, I_n)`, both layers trained, is the sum
of the two layers' contributions,

.. math:: \Theta(x, x') = K(x, x') + \dot K(x, x')\, x\cdot x'.

Shapes: inputs are (N, n) arrays; kernels between (N1, n) and (N2, n) inputs are (N1, N2).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from ..validation import as_float_array, check_budget, check_choice, check_positive_int, check_seed, require_finite

__all__ = [
    "ACTIVATIONS",
    "arccos_kernel",
    "erf_derivative_kernel",
    "erf_kernel",
    "erf_ntk",
    "gaussian_weights",
    "random_feature_kernel",
    "random_features",
]

ACTIVATIONS = ("relu", "erf")
_OVERFLOW = "x1 and x2 are too large (their norms overflow in floating point)"


def _pair(x1: Any, x2: Any | None) -> tuple[np.ndarray, np.ndarray]:
    x1 = as_float_array("x1", x1, ndim=2)
    x2 = x1 if x2 is None else as_float_array("x2", x2, ndim=2)
    if x1.shape[1] != x2.shape[1]:
        raise ValueError(f"x1 and x2 must have the same input dimension "
                         f"(got {x1.shape[1]} and {x2.shape[1]})")
    check_budget("the kernel matrix", nbytes=8.0 * 6 * x1.shape[0] * x2.shape[0],
                 work=2.0 * x1.shape[0] * x2.shape[0] * (x1.shape[1] + 20))
    return x1, x2


def gaussian_weights(width: int, dim: int, *, seed: int | np.random.Generator = 0) -> np.ndarray:
    """First-layer weights :math:`w_j \\sim \\mathcal N(0, I_n)`, shape (width, dim).

    >>> gaussian_weights(3, 2, seed=1).shape
    (3, 2)
    """
    width = check_positive_int("width", width)
    dim = check_positive_int("dim", dim)
    seed = check_seed("seed", seed, generator=True)
    check_budget("gaussian_weights", nbytes=8.0 * width * dim)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    return rng.standard_normal((width, dim))


def random_features(x: Any, weights: Any, activation: str = "relu") -> np.ndarray:
    r"""Feature matrix :math:`\Phi_{ij} = \sigma(w_j\cdot x_i)`, shape (N, W) (no :math:`1/\sqrt W`).

    Parameters
    ----------
    x : (N, n) inputs.
    weights : (W, n) first-layer weights (e.g. from :func:`gaussian_weights`).
    activation : "relu" or "erf".

    >>> random_features([[1.0, 0.0]], [[1.0, 0.0], [-1.0, 0.0]]).tolist()
    [[1.0, 0.0]]
    """
    x = as_float_array("x", x, ndim=2)
    weights = as_float_array("weights", weights, ndim=2)
    check_choice("activation", activation, ACTIVATIONS)
    if weights.shape[1] != x.shape[1]:
        raise ValueError(f"weights must have {x.shape[1]} columns like x (got shape {weights.shape})")
    check_budget("random_features", nbytes=16.0 * x.shape[0] * weights.shape[0],
                 work=2.0 * x.shape[0] * weights.shape[0] * (x.shape[1] + 10))
    h = x @ weights.T
    return np.maximum(h, 0.0) if activation == "relu" else special.erf(h)


def random_feature_kernel(x1: Any, x2: Any | None, weights: Any, activation: str = "relu") -> np.ndarray:
    r"""Empirical kernel :math:`K_W(x, x') = W^{-1}\sum_j \sigma(w_j\cdot x)\sigma(w_j\cdot x')`, (N1, N2).

    Its expectation over Gaussian ``weights`` is :func:`arccos_kernel` (ReLU) or :func:`erf_kernel`.
    """
    weights = as_float_array("weights", weights, ndim=2)
    x1, x2 = _pair(x1, x2)
    if weights.shape[1] != x1.shape[1]:
        raise ValueError(f"weights must have {x1.shape[1]} columns like x1 and x2 (got shape {weights.shape})")
    check_budget("random_feature_kernel", nbytes=8.0 * (x1.shape[0] + x2.shape[0]) * (weights.shape[0] + x2.shape[0]),
                 work=2.0 * x1.shape[0] * x2.shape[0] * weights.shape[0])
    f1 = random_features(x1, weights, activation)
    f2 = f1 if x2 is x1 else random_features(x2, weights, activation)
    return f1 @ f2.T / weights.shape[0]


def arccos_kernel(x1: Any, x2: Any | None = None) -> np.ndarray:
    r"""Infinite-width ReLU kernel :math:`\mathbb E_w[\max(0, w\cdot x)\max(0, w\cdot x')]`, (N1, N2).

    .. math:: K(x, x') = \frac{|x||x'|}{2\pi}\bigl(\sin\theta + (\pi - \theta)\cos\theta\bigr)

    — half the degree-1 arc-cosine kernel of Cho & Saul (2009), eq. (6). The same formula gives
    :math:`\mathbb E_x` over :math:`x \sim \mathcal N(0, I)` for fixed weights (swap the roles).

    >>> round(float(arccos_kernel([[1.0, 0.0]])[0, 0]), 6)
    0.5
    """
    x1, x2 = _pair(x1, x2)
    n1 = np.linalg.norm(x1, axis=1)[:, None]
    n2 = np.linalg.norm(x2, axis=1)[None, :]
    norms = n1 * n2
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.clip(np.where(norms > 0, (x1 @ x2.T) / np.where(norms > 0, norms, 1.0), 1.0), -1.0, 1.0)
    theta = np.arccos(cos)
    return require_finite("the arc-cosine kernel", norms * (np.sin(theta) + (np.pi - theta) * cos) / (2 * np.pi),
                          _OVERFLOW)


def _erf_terms(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q1 = 1 + 2 * np.einsum("ij,ij->i", x1, x1)[:, None]
    q2 = 1 + 2 * np.einsum("ij,ij->i", x2, x2)[None, :]
    return x1 @ x2.T, q1, q2


def erf_kernel(x1: Any, x2: Any | None = None) -> np.ndarray:
    r"""Infinite-width erf kernel :math:`\mathbb E_w[\mathrm{erf}(w\cdot x)\,\mathrm{erf}(w\cdot x')]`.

    .. math:: K(x, x') = \frac{2}{\pi}\arcsin\frac{2x\cdot x'}{\sqrt{(1 + 2|x|^2)(1 + 2|x'|^2)}}

    for :math:`w \sim \mathcal N(0, I_n)` (Williams 1997).

    >>> float(erf_kernel([[0.0, 0.0]])[0, 0])
    0.0
    """
    x1, x2 = _pair(x1, x2)
    dot, q1, q2 = _erf_terms(x1, x2)
    return require_finite("the erf kernel", (2 / np.pi) * np.arcsin(np.clip(2 * dot / np.sqrt(q1 * q2), -1.0, 1.0)),
                          _OVERFLOW)


def erf_derivative_kernel(x1: Any, x2: Any | None = None) -> np.ndarray:
    r""":math:`\dot K(x, x') = \mathbb E_w[\mathrm{erf}'(w\cdot x)\,\mathrm{erf}'(w\cdot x')]`, (N1, N2).

    With :math:`\mathrm{erf}'(u) = 2e^{-u^2}/\sqrt\pi` and
    :math:`\mathbb E[e^{-h^\top h}] = \det(I + 2C)^{-1/2}`
    for :math:`h \sim \mathcal N(0, C)`,

    .. math:: \dot K(x, x') = \frac{4}{\pi}\bigl[(1 + 2|x|^2)(1 + 2|x'|^2) - 4 (x\cdot x')^2\bigr]^{-1/2}.

    >>> round(float(erf_derivative_kernel([[0.0]])[0, 0]), 6) == round(4 / np.pi, 6)
    True
    """
    x1, x2 = _pair(x1, x2)
    dot, q1, q2 = _erf_terms(x1, x2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = (4 / np.pi) / np.sqrt(q1 * q2 - 4 * dot**2)
    return require_finite("the erf derivative kernel", out, _OVERFLOW)


def erf_ntk(x1: Any, x2: Any | None = None) -> np.ndarray:
    r"""Analytic NTK of :math:`f(x) = W^{-1/2}\sum_j a_j\,\mathrm{erf}(w_j\cdot x)`, both layers trained.

    .. math:: \Theta(x, x') = K(x, x') + \mathbb E[a^2]\,\dot K(x, x')\, x\cdot x', \qquad \mathbb E[a^2] = 1,

    the first term from the readout weights :math:`a`, the second from the first layer :math:`w`
    (see :func:`erf_kernel`, :func:`erf_derivative_kernel`). Shape (N1, N2).
    """
    x1, x2 = _pair(x1, x2)
    return require_finite("the NTK", erf_kernel(x1, x2) + erf_derivative_kernel(x1, x2) * (x1 @ x2.T), _OVERFLOW)
