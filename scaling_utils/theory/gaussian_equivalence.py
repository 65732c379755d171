r"""Random-feature ridge regression on *nonlinear* features, by Gaussian equivalence.

The model is the one of :mod:`scaling_utils.engines.solvable`: latent :math:`x \sim \mathcal N(0, \Lambda)`
in :math:`\mathbb R^M`, linear teacher :math:`y = w^\top x` with :math:`w_I \sim \mathcal N(0, v_I)`,
:math:`N` features :math:`\varphi_j = \sigma(u_j^\top x)`, :math:`u_j \sim \mathcal N(0, \sigma_u^2 I_M/M)`,
ridge :math:`\gamma` on the sum of squares, :math:`T` samples. The loss is the population MSE against
the clean teacher, without the paper's ½.

The argument
------------
1. **Mercer decomposition of the feature map.** The infinite-width kernel
   :math:`k(x, x') = \mathbb E_u[\sigma(u^\top x)\sigma(u^\top x')]` has eigenvalues :math:`\mu_k` and
   orthonormal eigenfunctions :math:`\psi_k` on the data law, and each random feature is
   :math:`\varphi(x; u) = \sum_k \sqrt{\mu_k}\,\chi_k(u)\,\psi_k(x)` with :math:`\chi_k` orthonormal in
   :math:`u`. For linear features :math:`\mu_I = \sigma_u^2\lambda_I/M` and :math:`\psi_I = x_I/\sqrt{\lambda_I}`:
   the latent model itself.
2. **Gaussian equivalence** (the assumption): treat :math:`\chi_k(u_j)` and :math:`\psi_k(x_t)` as
   independent standard Gaussians. The nonlinear model then *is* the linear model of
   :mod:`~scaling_utils.theory.random_features` with the spectrum :math:`\mu_k` in place of the latent
   one and the teacher's coefficients :math:`\beta_k = \langle\psi_k, y\rangle` in place of
   :math:`w_I\sqrt{\lambda_I}`. In those units the effective ridge solves
   :math:`\kappa(1-\mathrm{Df}_1/T)(1-\mathrm{Df}_1/N) = \gamma/(NT)`, and the loss is
   :func:`~scaling_utils.theory.random_features.test_loss` with teacher variances
   :math:`\mathbb E\beta_k^2/\mu_k` (Defilippis et al. 2024 prove a deterministic equivalent of this
   form for general feature maps). The part :math:`\rho` of the teacher outside the span of the
   :math:`\psi_k` is learned by no feature: it acts as label noise in training and adds to the loss.

The spectrum and the teacher's power on it come from
:func:`scaling_utils.engines.solvable.feature_eigensystem` (a pool of random features with exact
population moments). Nothing here draws random numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_in_range
from .random_features import _eigenvalues, test_loss

__all__ = ["gaussian_equivalent_loss"]


def gaussian_equivalent_loss(eigenvalues: Any, teacher_power: Any, n_features: Any, n_samples: Any,
                             ridge: Any, *, noise: float = 0.0, residual: float = 0.0) -> np.ndarray:
    r"""The Gaussian-equivalent test loss of ridge regression on N random features of a kernel.

    :math:`L = L_{\rm lin}(\mu, \mathbb E\beta^2/\mu;\ N, T, \gamma;\ \sigma^2 + \rho) + \rho`:
    :func:`~scaling_utils.theory.random_features.test_loss` on the kernel spectrum :math:`\mu_k` with
    teacher variances :math:`\mathbb E\beta_k^2/\mu_k`, in units where the effective-ridge equation
    reads :math:`\kappa(1-\mathrm{Df}_1/T)(1-\mathrm{Df}_1/N) = \gamma/(NT)` (``sigma_u2`` = K, the
    number of eigenvalues), with the unlearnable residual ρ added to the label noise σ² and to the
    loss (module docstring; no factor ½).

    Parameters
    ----------
    eigenvalues : (K,) kernel eigenvalues μ_k > 0 (of :math:`\mathbb E_u[\sigma(u^\top x)\sigma(u^\top x')]`).
    teacher_power : (K,) expected teacher power :math:`\mathbb E\beta_k^2 \ge 0` on each eigenfunction.
    n_features, n_samples, ridge : N > 0, T > 0, γ ≥ 0, broadcast against each other.
    noise : label-noise variance σ² ≥ 0.
    residual : teacher power ρ ≥ 0 outside the span of the eigenfunctions.

    Example
    -------
    For linear features the kernel spectrum is :math:`\lambda_I/M` (σ_u² = 1) and the teacher's power
    :math:`v\lambda_I`: the latent model's own loss.

    >>> from scaling_utils.theory.random_features import power_law_spectrum
    >>> lam = power_law_spectrum(50, 1.0)
    >>> L = gaussian_equivalent_loss(lam / 50, 0.02 * lam, [10, 20], 40, 1e-2)
    >>> bool(np.allclose(L, test_loss(lam, 0.02, [10, 20], 40, 1e-2)))
    True
    """
    mu = _eigenvalues(eigenvalues)
    power = as_float_array("teacher_power", teacher_power, ndim=1, nonnegative=True)
    if power.size != mu.size:
        raise ValueError(f"teacher_power must have one entry per eigenvalue (eigenvalues has {mu.size}), "
                         f"got {power.size}")
    noise = check_in_range("noise", noise, low=0)
    residual = check_in_range("residual", residual, low=0)
    return test_loss(mu, power / mu, n_features, n_samples, ridge, sigma_u2=float(mu.size),
                     noise=noise + residual) + residual
