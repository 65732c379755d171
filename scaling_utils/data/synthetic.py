"""Data generators: inputs, targets and synthetic learning curves with known answers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_budget, check_in_range, check_positive_int, check_seed, require_finite

__all__ = ["synthetic_learning_curves"]


def synthetic_learning_curves(n: Any, *, alpha: float, amplitude: float = 1.0, offset: float = 0.0,
                              noise: float = 0.05, crossover: float = 0.0, crossover_power: float = 1.0,
                              seeds: int = 16, seed: int = 0) -> np.ndarray:
    r"""Learning curves with a known exponent, one row per seed.

    .. math::
        L_s(n) = L_\infty + c\, n^{-\alpha}\,\bigl[1 + (n_\times/n)^{\beta}\bigr]\, e^{\sigma\xi_{s,n} - \sigma^2/2},
        \qquad \xi_{s,n} \sim \mathcal N(0, 1)\ \text{i.i.d.}

    The bracket is a pre-asymptotic correction that dies off for :math:`n \gg n_\times`
    (``crossover``, power β = ``crossover_power``); the log-normal factor is multiplicative
    noise of relative size σ = ``noise`` on the excess loss with mean one, so
    :math:`\mathbb E L_s(n)` is exactly the noiseless curve.

    Parameters
    ----------
    n : sizes (positive).
    alpha, amplitude, offset : α > 0, c > 0 and L∞ ≥ 0 of the noiseless curve.
    noise : 0 ≤ σ ≤ 10 (a log-normal factor of spread e^σ).
    crossover, crossover_power : n× ≥ 0 (0: no correction) and β > 0.
    seeds : number of independent curves (rows).
    seed : seed of the generator.

    Returns
    -------
    ndarray of shape (seeds, len(n)).
    """
    n = as_float_array("n", n, ndim=1, positive=True)
    alpha = check_in_range("alpha", alpha, low=0, low_open=True)
    amplitude = check_in_range("amplitude", amplitude, low=0, low_open=True)
    offset = check_in_range("offset", offset, low=0)
    noise = check_in_range("noise", noise, low=0, high=10)
    crossover = check_in_range("crossover", crossover, low=0)
    crossover_power = check_in_range("crossover_power", crossover_power, low=0, low_open=True)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    check_budget("synthetic_learning_curves", nbytes=24.0 * seeds * n.size)
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore"):
        excess = amplitude * n ** (-alpha) * (1 + (crossover / n) ** crossover_power)
        factor = np.exp(noise * rng.standard_normal((seeds, n.size)) - noise**2 / 2)
        curves = offset + excess * factor
    return require_finite("the curves", curves, "amplitude, offset, alpha and crossover overflow at these sizes n")
