r"""Two-layer networks trained by gradient descent, and their infinite-width (kernel) limits.

**The network.** In the NTK parameterization (Jacot et al. 2018)

.. math:: f(x) = \frac{1}{\sqrt W}\sum_{j=1}^{W} a_j\,\operatorname{erf}(w_j\cdot x),
          \qquad a_j \sim \mathcal N(0, 1),\ w_j \sim \mathcal N(0, I_n),

both layers are trained by full-batch gradient descent on :math:`\mathcal L = \frac{1}{2D}\sum_i
(f(x_i) - y_i)^2` with step :math:`\eta`. The *antisymmetric* initialization duplicates every
neuron with the opposite readout, :math:`(w_{j+W/2}, a_{j+W/2}) = (w_j, -a_j)`, so that
:math:`f_0 \equiv 0` at every width while the tangent kernel at initialization keeps its mean.

**The kernel limit.** As :math:`W\to\infty` the network trains as its linearization with the
deterministic tangent kernel :math:`\Theta` (:func:`scaling_utils.engines.features.erf_ntk`). With
:math:`f_0 = 0`, gradient descent for :math:`t` steps gives on the training inputs
:math:`f_t = [I - (I - \eta\Theta/D)^t]\,y`, and at test inputs

.. math:: f_t(x_*) = \Theta_{*X}\, g_t(\Theta)\, y, \qquad
          g_t(\lambda) = \frac{1 - (1 - \eta\lambda/D)^t}{\lambda},
   :label: kernel-gd

computed from one eigendecomposition :math:`\Theta = U\Lambda U^\top`. Kernel ridge regression is
the same formula with :math:`g(\lambda) = 1/(\lambda + \gamma)`.

**First-order response.** For a kernel perturbed by :math:`\delta\Theta` (e.g. the fluctuation of a
finite-width kernel about its mean), the predictor changes to first order by

.. math:: \delta f_* = \delta\Theta_{*X}\, g(\Theta)y
          + \Theta_{*X}\, U\bigl[G\circ(U^\top\delta\Theta\,U)\bigr]U^\top y,
          \qquad G_{kl} = \frac{g(\lambda_k) - g(\lambda_l)}{\lambda_k - \lambda_l}

(the Daleckii–Krein formula for the derivative of a matrix function; :math:`G_{kk} = g'(\lambda_k)`).
Because a random-feature or tangent kernel at initialization is an unbiased estimate of its
infinite-width mean, :math:`\mathbb E\,\delta\Theta = 0` and so :math:`\mathbb E\,\delta f_* = 0`
exactly: it is a control variate for the excess loss (:func:`excess_loss_parts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from ..validation import (
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
    check_square,
    psd_spectrum,
    require_finite,
)
from .backend import blas_threads

__all__ = [
    "ExcessParts",
    "empirical_ntk",
    "excess_loss_parts",
    "init_two_layer",
    "kernel_predict",
    "kernel_predict_first_order",
    "network_output",
    "network_width_sweep",
    "random_feature_ridge_sweep",
    "train_two_layer",
]

_SQRT_PI = np.sqrt(np.pi)


# ---------------------------------------------------------------------------------------------
# the network
# ---------------------------------------------------------------------------------------------

def init_two_layer(width: int, dim: int, *, seeds: int = 1, seed: int = 0,
                   antisymmetric: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Initial weights ``w`` (seeds, width, dim) and readouts ``a`` (seeds, width).

    With ``antisymmetric`` (``width`` must be even) the second half of the neurons copies the first
    with opposite readout, so the network output is exactly zero at initialization.

    >>> w, a = init_two_layer(4, 3, seeds=2)
    >>> w.shape, a.shape, bool(np.all(a[:, :2] == -a[:, 2:]))
    ((2, 4, 3), (2, 4), True)
    """
    check_choice("antisymmetric", antisymmetric, [True, False])
    width = check_positive_int("width", width, minimum=2 if antisymmetric else 1)
    dim = check_positive_int("dim", dim)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    check_budget("init_two_layer", nbytes=16.0 * seeds * width * (dim + 1))
    if antisymmetric and width % 2:
        raise ValueError(f"width must be even for an antisymmetric initialization (got {width})")
    rng = np.random.default_rng(seed)
    half = width // 2 if antisymmetric else width
    w = rng.standard_normal((seeds, half, dim))
    a = rng.standard_normal((seeds, half))
    if antisymmetric:
        w = np.concatenate([w, w], axis=1)
        a = np.concatenate([a, -a], axis=1)
    return w, a


def _check_params(w: Any, a: Any, dim: int, x_name: str = "x") -> tuple[np.ndarray, np.ndarray]:
    w = as_float_array("w", w, ndim=3)
    a = as_float_array("a", a, ndim=2)
    if a.shape != w.shape[:2]:
        raise ValueError(f"a must have shape (seeds, width) = {w.shape[:2]} (got {a.shape})")
    if w.shape[2] != dim:
        raise ValueError(f"w must have input dimension {dim} like {x_name} (got {w.shape[2]})")
    return w, a


def network_output(x: Any, w: Any, a: Any) -> np.ndarray:
    r""":math:`f(x) = W^{-1/2}\sum_j a_j\,\mathrm{erf}(w_j\cdot x)` for every seed: shape (seeds, N)."""
    x = as_float_array("x", x, ndim=2)
    w, a = _check_params(w, a, x.shape[1])
    check_budget("network_output", nbytes=8.0 * w.shape[0] * x.shape[0] * w.shape[1] * 2,
                 work=2.0 * w.shape[0] * x.shape[0] * w.shape[1] * (x.shape[1] + 20))
    h = np.matmul(x, np.ascontiguousarray(w.transpose(0, 2, 1)))  # (S, N, W)
    return np.matmul(special.erf(h, out=h), a[:, :, None])[..., 0] / np.sqrt(w.shape[1])


def train_two_layer(x: Any, y: Any, w: Any, a: Any, *, lr: float, steps: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    r"""Full-batch gradient descent on :math:`\frac{1}{2D}\sum_i (f(x_i) - y_i)^2`, both layers.

    Gradients (NTK parameterization, :math:`r_i = (f(x_i) - y_i)/D`, :math:`h_{ij} = w_j\cdot x_i`):
    :math:`\partial_{a_j} = W^{-1/2}\sum_i r_i\,\mathrm{erf}(h_{ij})`,
    :math:`\partial_{w_j} = W^{-1/2} a_j \sum_i r_i\,\mathrm{erf}'(h_{ij})\,x_i`.
    All seeds are trained at once (batched over the leading axis).

    Parameters
    ----------
    x : (D, n) training inputs; y : (D,) targets.
    w, a : initial parameters from :func:`init_two_layer` (not modified).
    lr : step size η > 0; steps : number of steps t ≥ 0.

    Returns
    -------
    The trained ``(w, a)``.
    """
    x = as_float_array("x", x, ndim=2)
    y = as_float_array("y", y, ndim=1)
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"x and y must have the same number of rows (got {x.shape[0]} and {y.shape[0]})")
    w, a = _check_params(w, a, x.shape[1])
    lr = check_in_range("lr", lr, low=0, low_open=True)
    steps = check_positive_int("steps", steps, minimum=0)
    seeds, width = a.shape
    check_budget("train_two_layer", nbytes=8.0 * seeds * (2 * x.shape[0] + 2 * x.shape[1] + 4) * width,
                 work=steps * seeds * x.shape[0] * width * (6.0 * x.shape[1] + 40), iterations=steps)
    wt = np.ascontiguousarray(w.transpose(0, 2, 1))  # (S, n, W): x @ wt is one BLAS call per seed
    a = a.copy()
    scale = 1 / np.sqrt(w.shape[1])
    n_train = x.shape[0]
    xt = np.ascontiguousarray(x.T)
    h = np.empty((w.shape[0], n_train, w.shape[1]))
    e = np.empty_like(h)
    for _ in range(steps):
        np.matmul(x, wt, out=h)  # (S, D, W)
        special.erf(h, out=e)
        r = (np.matmul(e, a[:, :, None])[..., 0] * scale - y) / n_train  # (S, D)
        grad_a = np.matmul(r[:, None, :], e)[:, 0] * scale
        np.square(h, out=h)
        np.negative(h, out=h)
        np.exp(h, out=h)
        h *= r[:, :, None]  # erf'(h) r, without the factor 2/√π
        grad_wt = np.matmul(xt, h) * (a * (2 / _SQRT_PI) * scale)[:, None, :]
        a -= lr * grad_a
        wt -= lr * grad_wt
    w = np.ascontiguousarray(wt.transpose(0, 2, 1))
    for name, value in (("w", w), ("a", a)):
        require_finite(f"the trained {name}", value, f"lr={lr:g} is too large: gradient descent diverged")
    return w, a


def empirical_ntk(x1: Any, x2: Any | None, w: Any, a: Any) -> np.ndarray:
    r"""Tangent kernel of the finite network, per seed: shape (seeds, N1, N2).

    .. math:: \hat\Theta(x, x') = \frac1W\sum_j\bigl[\mathrm{erf}(h_j)\mathrm{erf}(h_j')
              + a_j^2\,\mathrm{erf}'(h_j)\mathrm{erf}'(h_j')\,x\cdot x'\bigr].

    At initialization its mean over weights is :func:`scaling_utils.engines.features.erf_ntk`.
    ``x2=None`` means ``x2 = x1``.
    """
    x1 = as_float_array("x1", x1, ndim=2)
    x2 = x1 if x2 is None else as_float_array("x2", x2, ndim=2)
    if x1.shape[1] != x2.shape[1]:
        raise ValueError(f"x1 and x2 must have the same input dimension "
                         f"(got {x1.shape[1]} and {x2.shape[1]})")
    w, a = _check_params(w, a, x1.shape[1], "x1")
    seeds, width = a.shape
    check_budget("empirical_ntk", nbytes=8.0 * seeds * ((x1.shape[0] + x2.shape[0]) * width * 3 + 3 * x1.shape[0]
                                                       * x2.shape[0]),
                 work=4.0 * seeds * x1.shape[0] * x2.shape[0] * width)
    wt = np.ascontiguousarray(w.transpose(0, 2, 1))

    def parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h = np.matmul(x, wt)  # (S, N, W)
        e = special.erf(h)
        np.square(h, out=h)
        np.negative(h, out=h)
        return e, np.exp(h, out=h)

    e1, g1 = parts(x1)
    e2, g2 = (e1, g1) if x2 is x1 else parts(x2)
    readout = np.matmul(e1, e2.transpose(0, 2, 1))
    hidden = np.matmul(g1 * (a * a * (4 / np.pi))[:, None, :], g2.transpose(0, 2, 1)) * (x1 @ x2.T)
    return (readout + hidden) / w.shape[1]


# ---------------------------------------------------------------------------------------------
# kernel predictors: ridge and gradient descent, and their first-order response
# ---------------------------------------------------------------------------------------------

def _filter(ridge: float | None, lr: float | None, steps: int | None, n_train: int):
    """The spectral filter g and its derivative g' for ridge or t-step gradient descent."""
    if (ridge is None) == (lr is None):
        raise ValueError("give either ridge (kernel ridge) or lr and steps (kernel gradient descent)")
    if ridge is not None:
        ridge = check_in_range("ridge", ridge, low=0, low_open=True)
        return (lambda lam: 1 / (lam + ridge)), (lambda lam: -1 / (lam + ridge) ** 2)
    lr = check_in_range("lr", lr, low=0, low_open=True)
    if steps is None:
        raise ValueError("steps must be given with lr")
    steps = check_positive_int("steps", steps, minimum=0)
    c = lr / n_train

    def g(lam: np.ndarray) -> np.ndarray:
        small = np.abs(c * lam) < 1e-8
        safe = np.where(small, 1.0, lam)
        return np.where(small, steps * c, (1 - (1 - c * safe) ** steps) / safe)

    def dg(lam: np.ndarray) -> np.ndarray:
        small = np.abs(c * lam) < 1e-6
        safe = np.where(small, 1.0, lam)
        q = (1 - c * safe) ** (steps - 1)
        val = (steps * c * q * safe - (1 - q * (1 - c * safe))) / safe**2
        return np.where(small, -steps * (steps - 1) * c * c / 2, val)

    return g, dg


def _check_kernels(k_train: Any, k_test: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k_train = as_float_array("k_train", k_train, ndim=(2, 3))
    k_test = as_float_array("k_test", k_test, ndim=(2, 3))
    y = as_float_array("y", y, ndim=1)
    d = y.shape[0]
    if d == 0:
        raise ValueError("y must hold at least one training target")
    if k_train.shape[-2:] != (d, d):
        raise ValueError(f"k_train must be ({d}, {d}) for the {d} targets in y (got {k_train.shape})")
    if k_test.shape[-1] != d:
        raise ValueError(f"k_test must have {d} columns, one per training point (got {k_test.shape})")
    check_square("k_train", k_train, symmetric=True, batched=True)
    try:
        batch = int(np.prod(np.broadcast_shapes(k_train.shape[:-2], k_test.shape[:-2])))
    except ValueError as exc:
        raise ValueError(f"the leading (batch) axes of k_train {k_train.shape} and k_test {k_test.shape} "
                         "must broadcast") from exc
    check_budget("the kernel predictor", nbytes=8.0 * batch * (3 * d * d + k_test.shape[-2] * d),
                 work=batch * (10.0 * d**3 + 2.0 * k_test.shape[-2] * d))
    return k_train, k_test, y


def _spectrum(k_train: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eigendecomposition of the (symmetric, checked) kernel: eigenvalues clipped at 0, eigenvectors,
    and the mask of numerically null directions (eigenvalues at rounding level, n·ε·λ_max)."""
    lam, u = np.linalg.eigh(k_train)
    lam, floor = psd_spectrum("k_train", lam)
    return lam, u, lam <= floor


def kernel_predict(k_train: Any, k_test: Any, y: Any, *, ridge: float | None = None,
                   lr: float | None = None, steps: int | None = None) -> np.ndarray:
    r"""Kernel predictor :math:`f_* = K_{*X}\,g(K)\,y`, by ridge or by t steps of gradient descent.

    Parameters
    ----------
    k_train : (..., D, D) kernel between training inputs (symmetric).
    k_test : (..., N, D) kernel between prediction and training inputs.
    y : (D,) training targets.
    ridge : γ > 0 for kernel ridge regression, :math:`g(\lambda) = 1/(\lambda + \gamma)`; or
    lr, steps : η and t for gradient descent from :math:`f_0 = 0` on :math:`\frac{1}{2D}|f - y|^2`,
        :math:`g(\lambda) = [1 - (1 - \eta\lambda/D)^t]/\lambda` (eq. kernel-gd of the module).

    Returns
    -------
    (..., N) predictions.

    ``k_train`` must be symmetric positive semi-definite (eigenvalues down to −1e-8 of the largest
    are rounding and are clipped to 0). Its numerically null directions (eigenvalues below
    D·ε·λ_max) are dropped from the ridge filter, as from a pseudo-inverse: for kernels of one
    positive semi-definite kernel function ``k_test`` has no component there, and keeping them would
    multiply rounding errors by 1/γ (with γ = 1e-15 the prediction was off by about 60, with γ = 1e-300
    by 1e18).

    >>> k = np.eye(2); float(kernel_predict(k, k, [1.0, 0.0], ridge=1.0)[0])
    0.5
    """
    k_train, k_test, y = _check_kernels(k_train, k_test, y)
    g, _ = _filter(ridge, lr, steps, y.shape[0])
    lam, u, null = _spectrum(k_train)
    gl = np.where(null, 0.0, g(lam)) if ridge is not None else g(lam)
    coef = np.einsum("...ik,...k,...jk,j->...i", u, gl, u, y)
    return require_finite("the prediction", np.einsum("...nd,...d->...n", k_test, coef),
                          "gradient descent diverges (lr × the largest eigenvalue / D > 2) or the kernels overflow")


def kernel_predict_first_order(k_train: Any, k_test: Any, y: Any, dk_train: Any, dk_test: Any, *,
                               ridge: float | None = None, lr: float | None = None,
                               steps: int | None = None) -> np.ndarray:
    r"""First-order change :math:`\delta f_*` of :func:`kernel_predict` when the kernels move by ``dk``.

    .. math:: \delta f_* = \delta K_{*X}\,g(K)y + K_{*X}\,U\bigl[G\circ(U^\top\delta K\,U)\bigr]U^\top y,
              \quad G_{kl} = \frac{g(\lambda_k) - g(\lambda_l)}{\lambda_k - \lambda_l}.

    ``k_train`` (D, D), ``k_test`` (N, D) are the unperturbed kernels; ``dk_train`` (..., D, D) and
    ``dk_test`` (..., N, D) are perturbations (a leading seed axis is allowed). Returns (..., N).
    """
    k_train, k_test, y = _check_kernels(k_train, k_test, y)
    if k_train.ndim != 2 or k_test.ndim != 2:
        raise ValueError("k_train and k_test must be single (unbatched) kernels here")
    dk_train = as_float_array("dk_train", dk_train)
    dk_test = as_float_array("dk_test", dk_test)
    if dk_train.shape[-2:] != k_train.shape or dk_test.shape[-2:] != k_test.shape:
        raise ValueError(f"dk_train and dk_test must end in shapes {k_train.shape} and {k_test.shape} "
                         f"(got {dk_train.shape} and {dk_test.shape})")
    check_square("dk_train", dk_train, symmetric=True, batched=True)
    batch = float(np.prod(dk_train.shape[:-2])) + float(np.prod(dk_test.shape[:-2]))
    d = y.shape[0]
    check_budget("kernel_predict_first_order", nbytes=8.0 * (batch + 1) * (2 * d * d + k_test.shape[0] * d),
                 work=(batch + 1) * 4.0 * d**3)
    g, dg = _filter(ridge, lr, steps, y.shape[0])
    lam, u, _ = _spectrum(k_train)
    gl = g(lam)
    diff = lam[:, None] - lam[None, :]
    close = np.abs(diff) <= 1e-9 * max(1.0, float(np.abs(lam).max()))
    mid = (lam[:, None] + lam[None, :]) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        big_g = np.where(close, dg(mid), (gl[:, None] - gl[None, :]) / np.where(close, 1.0, diff))
    uy = u.T @ y
    coef = u @ (gl * uy)  # g(K) y
    rotated = np.einsum("ik,...ij,jl->...kl", u, dk_train, u)  # Uᵀ δK U
    dcoef = np.einsum("ik,...k->...i", u, np.einsum("kl,...kl,l->...k", big_g, rotated, uy))
    out = np.einsum("...nd,d->...n", dk_test, coef) + np.einsum("nd,...d->...n", k_test, dcoef)
    return require_finite("the first-order response", out, "the filter's derivative overflows (ridge too small, "
                          "or lr too large: gradient descent diverges)")


# ---------------------------------------------------------------------------------------------
# width sweeps
# ---------------------------------------------------------------------------------------------

def _check_data(x_train: Any, y_train: Any, x_test: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training inputs (D, n), their targets (D,), and test inputs (N_test, n), as float arrays."""
    x_train, y_train = as_float_array("x_train", x_train, ndim=2), as_float_array("y_train", y_train, ndim=1)
    x_test = as_float_array("x_test", x_test, ndim=2)
    if y_train.shape[0] != x_train.shape[0] or x_train.shape[0] == 0:
        raise ValueError(f"y_train must have one target per row of x_train (got {y_train.shape[0]} targets for "
                         f"{x_train.shape[0]} rows; at least one)")
    if x_test.shape[1] != x_train.shape[1]:
        raise ValueError(f"x_test must have the {x_train.shape[1]} columns of x_train (got {x_test.shape[1]})")
    return x_train, y_train, x_test


def random_feature_ridge_sweep(x_train: Any, y_train: Any, x_test: Any, widths: Any, *, ridge: float,
                               seeds: int, seed: int = 0, activation: str = "relu"
                               ) -> tuple[np.ndarray, np.ndarray]:
    r"""Random-feature ridge regression at every width, and its first-order kernel response.

    For each width :math:`W` and seed, draws :math:`w_j \sim \mathcal N(0, I_n)`, forms the empirical
    kernels :math:`K_W` (:func:`scaling_utils.engines.features.random_feature_kernel`) and predicts
    :math:`f_W = K_{W,*X}(K_W + \gamma I)^{-1}y` — identical to ridge regression on the features
    :math:`\phi/\sqrt W` with ridge γ. The first-order response :math:`\delta f` to
    :math:`\delta K = K_W - K` about the infinite-width kernel K (arc-cosine for ReLU, arcsine for erf)
    is returned alongside; its mean over seeds is exactly zero.

    Returns
    -------
    f, df : arrays of shape (seeds, len(widths), N_test).
    """
    from .features import arccos_kernel, erf_kernel, random_feature_kernel

    x_train, y_train, x_test = _check_data(x_train, y_train, x_test)
    widths = check_sizes("widths", widths)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    kernel = {"relu": arccos_kernel, "erf": erf_kernel}[check_choice("activation", activation, ["relu", "erf"])]
    d, n_test = x_train.shape[0], x_test.shape[0]
    check_budget("random_feature_ridge_sweep",
                 nbytes=8.0 * (seeds * widths.size * (d + n_test) * (d + 1) + int(widths[-1]) * (d + n_test) * 2),
                 work=seeds * (2.0 * float(widths.sum()) * (d + n_test) * (d + x_train.shape[1])
                               + widths.size * 20.0 * d**3),
                 iterations=seeds * widths.size)
    k_train, k_test = kernel(x_train), kernel(x_test, x_train)
    x_all = np.vstack([x_train, x_test])
    d = x_train.shape[0]
    rng = np.random.default_rng(seed)
    f = np.empty((seeds, widths.size, x_test.shape[0]))
    dk_tr = np.empty((seeds, widths.size, d, d))
    dk_te = np.empty((seeds, widths.size, x_test.shape[0], d))
    for s in range(seeds):
        for k, width in enumerate(widths):
            weights = rng.standard_normal((int(width), x_train.shape[1]))
            kw = random_feature_kernel(x_all, x_train, weights, activation)
            f[s, k] = kernel_predict(kw[:d], kw[d:], y_train, ridge=ridge)
            dk_tr[s, k], dk_te[s, k] = kw[:d] - k_train, kw[d:] - k_test
    df = kernel_predict_first_order(k_train, k_test, y_train, dk_tr, dk_te, ridge=ridge)
    return f, df


def network_width_sweep(x_train: Any, y_train: Any, x_test: Any, widths: Any, *, lr: float, steps: int,
                        seeds: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Train the antisymmetrically initialized erf network at every width; first-order NTK response.

    For each width, ``seeds`` networks (:func:`init_two_layer`) are trained by :func:`train_two_layer`
    and evaluated on ``x_test``. Alongside, the first-order response
    (:func:`kernel_predict_first_order`) of the linearized predictor to the fluctuation
    :math:`\hat\Theta_0 - \Theta` of each network's tangent kernel at initialization, whose mean over
    seeds is exactly zero.

    Returns
    -------
    f, df : arrays of shape (seeds, len(widths), N_test).
    """
    from .features import erf_ntk

    x_train, y_train, x_test = _check_data(x_train, y_train, x_test)
    widths = check_sizes("widths", widths, minimum=2)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    theta_train, theta_test = erf_ntk(x_train), erf_ntk(x_test, x_train)
    f = np.empty((seeds, widths.size, x_test.shape[0]))
    df = np.empty_like(f)
    with blas_threads(np, max(len(x_train), len(x_test))):   # thread-independent numbers (small problems)
        for k, width in enumerate(widths):
            w, a = init_two_layer(int(width), x_train.shape[1], seeds=seeds, seed=seed + 7919 * k)
            dk_tr = empirical_ntk(x_train, None, w, a) - theta_train
            dk_te = empirical_ntk(x_test, x_train, w, a) - theta_test
            df[:, k] = kernel_predict_first_order(theta_train, theta_test, y_train, dk_tr, dk_te,
                                                  lr=lr, steps=steps)
            w, a = train_two_layer(x_train, y_train, w, a, lr=lr, steps=steps)
            f[:, k] = network_output(x_test, w, a)
    return f, df


# ---------------------------------------------------------------------------------------------
# decomposing the excess loss over seeds
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExcessParts:
    r"""The excess test loss :math:`L_s - L_\infty` of every seed s, split into its parts.

    With :math:`\delta_s = f_s - f_\infty` and :math:`c = f_\infty - y` on the test points
    (:math:`\langle\cdot,\cdot\rangle` the mean over test points),

    .. math:: L_s - L_\infty = \underbrace{2\langle c, \delta f_s\rangle}_{\texttt{first\_order}}
              + \underbrace{2\langle c, \delta_s - \delta f_s\rangle}_{\texttt{mean\_shift}}
              + \underbrace{\langle\delta_s, \delta_s\rangle}_{\texttt{fluctuation}},

    where :math:`\delta f_s` is the zero-mean first-order response (zero if not given). Averaged
    over seeds: first_order → 0; mean_shift → :math:`2\langle c, \bar f - f_\infty\rangle`, the loss
    change from the shift of the mean function; fluctuation → :math:`\mathrm{variance} +
    |\bar f - f_\infty|^2`. Arrays are per seed, shape (seeds, ...) — ready for a bootstrap over seeds.

    ``variance`` (the unbiased seed variance of f, averaged over test points) and ``shift_squared``
    (:math:`|\bar f - f_\infty|^2`, bias-corrected by subtracting variance/S) have shape (...).
    """

    total: np.ndarray
    first_order: np.ndarray
    mean_shift: np.ndarray
    fluctuation: np.ndarray
    variance: np.ndarray
    shift_squared: np.ndarray

    @property
    def corrected(self) -> np.ndarray:
        """total − first_order: the same mean as ``total`` with the O(W^(-1/2)) seed noise removed."""
        return self.total - self.first_order


def excess_loss_parts(f: Any, f_inf: Any, y: Any, first_order: Any | None = None) -> ExcessParts:
    """Split the excess test MSE of seeds ``f`` (seeds, ..., N) over the limit ``f_inf`` (..., N).

    ``y`` (N,) or broadcastable are the test targets; ``first_order`` (same shape as ``f``) the
    zero-mean linear response, e.g. from :func:`random_feature_ridge_sweep`. See :class:`ExcessParts`.

    >>> p = excess_loss_parts([[1.0], [3.0]], [2.0], [2.0])
    >>> p.total.tolist(), float(p.variance)
    ([1.0, 1.0], 2.0)
    """
    f = as_float_array("f", f)
    if f.ndim < 2 or f.shape[0] < 2:
        raise ValueError(f"f must have a seed axis first with at least 2 seeds (got shape {f.shape})")
    f_inf = as_float_array("f_inf", f_inf)
    y = as_float_array("y", y)
    try:
        delta = f - f_inf
        c = np.broadcast_to(f_inf - y, f.shape[1:])
    except ValueError as exc:
        raise ValueError(f"f {f.shape}, f_inf {f_inf.shape} and y {y.shape} must broadcast") from exc
    lin = np.zeros_like(f) if first_order is None else as_float_array("first_order", first_order)
    if lin.shape != f.shape:
        raise ValueError(f"first_order must have the shape of f {f.shape} (got {lin.shape})")
    seeds = f.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        first = 2 * np.mean(c * lin, axis=-1)
        shift = 2 * np.mean(c * (delta - lin), axis=-1)
        fluct = np.mean(delta**2, axis=-1)
        variance = np.mean(np.var(f, axis=0, ddof=1), axis=-1)
        shift2 = np.mean(np.mean(delta, axis=0) ** 2, axis=-1) - variance / seeds
    require_finite("the excess-loss parts", np.concatenate([np.ravel(v) for v in (first, shift, fluct, shift2)]),
                   "f, f_inf, y or first_order are too large (their squares overflow)")
    return ExcessParts(total=first + shift + fluct, first_order=first, mean_shift=shift, fluctuation=fluct,
                       variance=variance, shift_squared=shift2)
